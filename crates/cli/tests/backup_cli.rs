//! `chibo backup FILE` while members are written, then `chibo restore FILE` into another
//! database, on SQLite and PostgreSQL: the restored database's audit log is exactly the
//! source's up to its last entry, and its figures are the source's (the writes during the
//! backup change no figure) and those of its own spans.

use chibo_store::audit::{AuditEntry, AuditFilter};
use chibo_store::member::MemberFilter;
use chibo_store::testing::{self, TestDb};
use std::process::Command;

fn chibo(url: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(args).args(["--database-url", url]).env("CHIBO_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "chibo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn same(e: &AuditEntry) -> (i64, String, Option<i64>, Option<serde_json::Value>, Option<serde_json::Value>) {
    (e.id, e.action.clone(), e.entity_id, e.before.clone(), e.after.clone())
}

async fn check(src: TestDb, dst: TestDb, file: std::path::PathBuf) {
    chibo_gen::load_scale(&src.store, chibo_gen::Scale::Cell, 7, |_, _| {}).await.unwrap();
    let s = src.store.operator("test");
    let root = src.store.root_orgs().await.unwrap()[0];
    let today = src.store.today();
    let figures = format!("{:?}", s.dashboard(root, today).await.unwrap());
    let members = s.list_members(root, &MemberFilter::default(), 0, 20).await.unwrap().items;
    let writers: Vec<_> = members
        .into_iter()
        .map(|m| {
            let store = src.store.clone();
            tokio::spawn(async move {
                let s = store.operator("test");
                let mut version = m.version;
                for occupation in ["Giáo viên", "Kỹ sư", "Hưu trí"] {
                    let mut p = m.profile.clone();
                    p.occupation = Some(occupation.into());
                    version = s.update_member_profile(m.id, version, p).await.unwrap().version;
                }
            })
        })
        .collect();
    let (url, path) = (src.url(), file.display().to_string());
    tokio::task::spawn_blocking(move || chibo(&url, &["backup", &path])).await.unwrap();
    for w in writers {
        w.await.unwrap();
    }
    // The server of the database restored into is stopped.
    dst.store.clone().close().await.unwrap();
    let (url, path) = (dst.url(), file.display().to_string());
    tokio::task::spawn_blocking(move || chibo(&url, &["restore", &path])).await.unwrap();
    let restored = chibo_store::Store::open(&chibo_store::StoreConfig::new(dst.url())).await.unwrap();
    let r = restored.operator("test");
    let all = AuditFilter { limit: 500, ..Default::default() };
    let copied = r.audit_log(&all).await.unwrap();
    let last = copied.first().map(|e| e.id).unwrap();
    let source = s.audit_log(&all).await.unwrap();
    assert_eq!(copied.iter().map(same).collect::<Vec<_>>(), source.iter().filter(|e| e.id <= last).map(same).collect::<Vec<_>>());
    assert_eq!(format!("{:?}", r.dashboard(root, today).await.unwrap()), figures);
    assert_eq!(format!("{:?}", r.dashboard_recount(root, today).await.unwrap()), figures);
    restored.close().await.unwrap();
    let _ = std::fs::remove_file(&file);
    src.cleanup().await;
    dst.cleanup().await;
}

fn backup_file(engine: &str) -> std::path::PathBuf {
    let f = std::env::temp_dir().join(format!("chibo_backup_cli_{engine}_{}.bak", std::process::id()));
    let _ = std::fs::remove_file(&f);
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_during_writes_restores_to_the_database_of_that_moment() {
    check(testing::sqlite().await, testing::sqlite().await, backup_file("sqlite")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_during_writes_restores_to_the_database_of_that_moment() {
    let (Some(src), Some(dst)) = (testing::postgres().await, testing::postgres().await) else { return };
    check(src, dst, backup_file("postgres")).await;
}
