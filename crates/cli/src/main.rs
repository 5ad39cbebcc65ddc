//! The `chibo` command: serve the web application, migrate, load the demo or generated data,
//! print statistics and the tree, manage accounts.

use anyhow::{Context, Result, anyhow, bail};
use chibo_domain::calendar::{format_date, parse_date, today};
use chibo_domain::error::Lang;
use chibo_domain::scope::Scope;
use chibo_gen::Scale;
use chibo_store::org::OrgNode;
use chibo_store::{Store, StoreConfig, StoreError};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "chibo", version, about = "Quản lý công tác xây dựng Đảng ở cơ sở")]
struct Cli {
    /// Database URL: sqlite://FILE (default sqlite://chibo.db) or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, env = "CHIBO_DATABASE_URL", default_value = "sqlite://chibo.db", global = true, hide_env_values = true)]
    database_url: String,
    /// PostgreSQL connection pool size.
    #[arg(long, env = "CHIBO_MAX_CONNECTIONS", default_value_t = 10, global = true)]
    max_connections: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "CHIBO_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the Quảng Ninh demo scenario (from the source articles) into an empty database.
    Demo {
        /// Seed for the generated people.
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// Erase everything in the database first.
        #[arg(long)]
        reset: bool,
    },
    /// Generate synthetic data: cell, commune, province or nation (5.6 million members).
    Gen {
        /// How much: cell, commune, province, nation.
        #[arg(long, default_value = "commune")]
        scale: Scale,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Erase everything in the database first.
        #[arg(long)]
        reset: bool,
    },
    /// Figures of one organization (and its subtree) on a date.
    Stats {
        /// Code, whole name, or a unique part of a name (case and diacritics ignored).
        #[arg(long)]
        org: String,
        /// Date dd/mm/yyyy (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// List the organization tree.
    Orgs {
        /// Start here (default: the roots).
        #[arg(long)]
        under: Option<String>,
        /// Levels below the start.
        #[arg(long)]
        depth: Option<u32>,
        /// Date dd/mm/yyyy (default: today).
        #[arg(long)]
        as_of: Option<String>,
        /// Print JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        /// Login name.
        #[arg(long)]
        login: String,
        /// admin, org_admin, org_viewer, secretary or member.
        #[arg(long)]
        role: String,
        /// Organization the account's scope is rooted at (code or name); not for admin.
        #[arg(long)]
        org: Option<String>,
        /// Name shown in the interface.
        #[arg(long)]
        name: Option<String>,
    },
    /// List accounts.
    List,
}

const ROLES: &[&str] = &["admin", "org_admin", "org_viewer", "secretary", "member"];

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("CHIBO_LOG").unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()))
        .with_writer(std::io::stderr)
        .init();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("Lỗi: {}", explain(&e));
        std::process::exit(1);
    }
}

/// Store errors in Vietnamese with field labels; others with their cause chain.
fn explain(e: &anyhow::Error) -> String {
    match e.downcast_ref::<StoreError>() {
        Some(se) => se.message(Lang::Vi),
        None => format!("{e:#}"),
    }
}

fn parse_as_of(s: Option<&str>) -> Result<chrono::NaiveDate> {
    match s {
        None => Ok(today()),
        Some(s) => parse_date(s).ok_or_else(|| anyhow!("ngày «{s}» không hợp lệ, hãy nhập theo dạng dd/mm/yyyy")),
    }
}

async fn open(cli: &Cli) -> Result<Store> {
    let config = StoreConfig { url: cli.database_url.clone(), max_connections: cli.max_connections };
    Ok(Store::open(&config).await?)
}

async fn reset_if(store: &Store, reset: bool) -> Result<()> {
    if reset {
        store.reset().await?;
    } else if !store.is_empty().await? {
        bail!("cơ sở dữ liệu đã có dữ liệu; thêm --reset để xóa và nạp lại");
    }
    Ok(())
}

async fn resolve(store: &Store, query: &str) -> Result<chibo_store::org::Org> {
    store.scoped(Scope::system("cli")).resolve_org(query).await.map_err(|e| match e {
        StoreError::NotFound => anyhow!("không tìm thấy tổ chức «{}»", query.trim()),
        other => other.into(),
    })
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Serve { addr } => {
            let store = open(&cli).await?;
            eprintln!("chibo đang chạy tại http://{addr} (cơ sở dữ liệu {})", store.backend().name());
            chibo_web::serve(store, *addr).await.context("máy chủ web dừng vì lỗi")?;
        }
        Command::Migrate => {
            open(&cli).await?;
            eprintln!("Cơ sở dữ liệu đã được cập nhật.");
        }
        Command::Demo { seed, reset } => {
            let store = open(&cli).await?;
            reset_if(&store, *reset).await?;
            let t = Instant::now();
            let counts = chibo_gen::load_demo(&store, *seed).await?;
            eprintln!(
                "Đã nạp dữ liệu mẫu tỉnh Quảng Ninh: {} tổ chức, {} đảng viên, {} sự kiện ({:.1} giây, {}).",
                counts.orgs,
                counts.members,
                counts.member_events,
                t.elapsed().as_secs_f64(),
                store.backend().name()
            );
        }
        Command::Gen { scale, seed, reset } => {
            let store = open(&cli).await?;
            reset_if(&store, *reset).await?;
            let t = Instant::now();
            let mut last = Instant::now();
            let counts = chibo_gen::load_scale(&store, *scale, *seed, |done, total| {
                if last.elapsed().as_secs() >= 5 || done == total {
                    last = Instant::now();
                    eprintln!("  … {done}/{total} đảng viên ({:.0} giây)", t.elapsed().as_secs_f64());
                }
            })
            .await?;
            let secs = t.elapsed().as_secs_f64();
            let size = store.size_bytes().await?;
            eprintln!(
                "Đã sinh {} tổ chức, {} đảng viên, {} sự kiện trong {:.1} giây trên {}; dung lượng {:.0} MB.",
                counts.orgs,
                counts.members,
                counts.member_events,
                secs,
                store.backend().name(),
                size as f64 / 1_048_576.0
            );
        }
        Command::Stats { org, as_of, json } => {
            let store = open(&cli).await?;
            let as_of = parse_as_of(as_of.as_deref())?;
            let o = resolve(&store, org).await?;
            let s = store.scoped(Scope::system("cli")).org_stats(o.id, as_of).await.map_err(|e| match e {
                StoreError::NotFound => anyhow!("tổ chức «{}» chưa có hoặc đã giải thể vào ngày {}", o.name, format_date(as_of)),
                other => other.into(),
            })?;
            if *json {
                let mut v = serde_json::to_value(&s)?;
                v["as_of"] = serde_json::Value::String(format_date(as_of));
                v["kind"] = serde_json::Value::String(s.kind.code().into());
                println!("{v}");
            } else {
                println!("{} ({}) — ngày {}", s.name, s.code, format_date(as_of));
                println!("  Đảng viên:                         {:>10}", s.members);
                println!("    chính thức:                      {:>10}", s.official);
                println!("    dự bị:                           {:>10}", s.probationary);
                println!("    nữ:                              {:>10}", s.women);
                println!("  Đơn vị trực thuộc:                 {:>10}", s.direct_children);
                println!("  Tổ chức cơ sở đảng:                {:>10}", s.grassroots_orgs);
                println!("  Chi bộ trực thuộc đảng bộ cơ sở:   {:>10}", s.cells_under_grassroots);
            }
        }
        Command::Orgs { under, depth, as_of, json } => {
            let store = open(&cli).await?;
            let as_of = parse_as_of(as_of.as_deref())?;
            let scoped = store.scoped(Scope::system("cli"));
            let roots: Vec<i64> = match under {
                Some(q) => vec![resolve(&store, q).await?.id],
                None => store.root_orgs().await?,
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let codes = store.org_codes().await?;
            for root in roots {
                let nodes: Vec<OrgNode> = scoped.subtree(root, as_of, *depth).await?;
                let base = nodes.first().map(|n| n.path.depth()).unwrap_or(0);
                for n in nodes {
                    let parent_code = n.parent_id.and_then(|p| codes.get(&p).cloned()).unwrap_or_default();
                    if *json {
                        let v = serde_json::json!({"code": n.code, "name": n.name, "kind": n.kind.code(), "parent_code": parent_code});
                        writeln!(out, "{v}")?;
                    } else {
                        let indent = "  ".repeat(n.path.depth() - base);
                        writeln!(out, "{indent}{}\t{}\t{}\t{}", n.code, n.name, n.kind.label_vi(), parent_code)?;
                    }
                }
            }
        }
        Command::User { command } => {
            let store = open(&cli).await?;
            let scoped = store.scoped(Scope::system("cli"));
            match command {
                UserCommand::Add { login, role, org, name } => {
                    if !ROLES.contains(&role.as_str()) {
                        bail!("vai trò «{role}» không có; chọn một trong: {}", ROLES.join(", "));
                    }
                    let org_id = match (role.as_str(), org) {
                        ("admin", None) => None,
                        ("admin", Some(_)) => bail!("quản trị hệ thống không gắn với tổ chức; bỏ --org"),
                        (_, None) => bail!("vai trò «{role}» cần --org (tổ chức mà tài khoản được quản lý)"),
                        (_, Some(q)) => Some(resolve(&store, q).await?.id),
                    };
                    eprint!("Mật khẩu (ít nhất 10 ký tự): ");
                    let mut password = String::new();
                    std::io::stdin().lock().read_line(&mut password)?;
                    let password = password.trim_end_matches(['\r', '\n']);
                    if password.chars().count() < 10 {
                        bail!("mật khẩu phải có ít nhất 10 ký tự");
                    }
                    let hash = chibo_web::auth::hash_password(password).map_err(|e| anyhow!("không băm được mật khẩu: {e}"))?;
                    let a = scoped
                        .create_account(chibo_store::account::NewAccount {
                            login: login.clone(),
                            display_name: name.clone().unwrap_or_else(|| login.clone()),
                            password_hash: hash,
                            role: role.clone(),
                            org_id,
                        })
                        .await?;
                    eprintln!("Đã tạo tài khoản «{}» ({}).", a.login, a.role);
                }
                UserCommand::List => {
                    for a in scoped.accounts().await? {
                        println!("{}\t{}\t{}\t{}", a.login, a.role, a.display_name, if a.active { "hoạt động" } else { "đã khóa" });
                    }
                }
            }
        }
    }
    Ok(())
}
