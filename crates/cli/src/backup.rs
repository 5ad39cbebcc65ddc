//! `chibo backup FILE` and `chibo restore FILE`: a consistent copy of a served database, and
//! putting one back.
//!
//! SQLite: `VACUUM INTO` writes the database as of one moment while it is served (a `cp` of
//! a live file mixes moments and may not open); a restore checks the copy's integrity and
//! replaces the database file (the server must be stopped). PostgreSQL: `pg_dump` in its
//! custom format and `pg_restore`, which must be installed (Debian: `postgresql-client`).

use anyhow::{Context, Result, anyhow, bail};
use chibo_store::{Backend, Store, StoreConfig};
use std::path::{Path, PathBuf};

/// The file a `sqlite://` URL names.
fn sqlite_file(url: &str) -> Result<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).ok_or_else(|| anyhow!("không phải địa chỉ SQLite"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Ok(PathBuf::from(path))
}

/// Whether a program can be run (the PostgreSQL tools).
fn have(tool: &str) -> bool {
    std::process::Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn need(tool: &str) -> Result<()> {
    if have(tool) {
        Ok(())
    } else {
        bail!(
            "không tìm thấy «{tool}»: cài gói postgresql-client (Debian: apt-get install postgresql-client) cùng phiên bản với máy chủ PostgreSQL, rồi chạy lại"
        )
    }
}

/// Writes a consistent copy of the database at `url` to `file` (which must not exist).
pub async fn backup(url: &str, file: &Path) -> Result<()> {
    if file.exists() {
        bail!("tệp «{}» đã có; chọn tên khác (bản sao lưu không ghi đè)", file.display());
    }
    match Backend::from_url(url)? {
        Backend::Sqlite => {
            let store = Store::connect(&StoreConfig::new(url)).await?;
            store.backup_sqlite(file).await.context("sao lưu SQLite")?;
            store.close().await?;
        }
        Backend::Postgres => {
            need("pg_dump")?;
            let status = std::process::Command::new("pg_dump").args(["--format=custom", "--no-owner", "--file"]).arg(file).arg(url).status()?;
            if !status.success() {
                bail!("pg_dump không thành công ({status})");
            }
        }
    }
    eprintln!("Đã sao lưu vào «{}».", file.display());
    Ok(())
}

/// Puts the copy `file` in place of the database at `url` (the server must be stopped).
pub async fn restore(url: &str, file: &Path) -> Result<()> {
    if !file.exists() {
        bail!("không có tệp «{}»", file.display());
    }
    match Backend::from_url(url)? {
        Backend::Sqlite => {
            let copy = Store::connect(&StoreConfig::new(format!("sqlite://{}", file.display()))).await?;
            let whole = copy.integrity_ok().await?;
            copy.close().await?;
            if !whole {
                bail!("tệp «{}» không phải là một cơ sở dữ liệu nguyên vẹn; không khôi phục", file.display());
            }
            let target = sqlite_file(url)?;
            // Beside the target, then one rename: a crash leaves the old database or the new.
            let staged = target.with_extension("restoring");
            std::fs::copy(file, &staged).with_context(|| format!("chép «{}»", file.display()))?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::rename(&staged, &target)?;
            // Bring an older copy's schema up to date.
            Store::open(&StoreConfig::new(url)).await?.close().await?;
        }
        Backend::Postgres => {
            need("pg_restore")?;
            let status = std::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"])
                .arg(url)
                .arg(file)
                .status()?;
            if !status.success() {
                bail!("pg_restore không thành công ({status})");
            }
        }
    }
    eprintln!("Đã khôi phục từ «{}».", file.display());
    Ok(())
}
