//! The `chibo` command: serve the web application, migrate, load the demo or generated data,
//! print statistics and the tree, manage accounts.

use anyhow::{Context, Result, anyhow, bail};
use chibo_domain::account::{MIN_PASSWORD_CHARS, Role, check_password};
use chibo_domain::calendar::{Clock, format_date, parse_date};
use chibo_domain::error::Lang;
use chibo_domain::member::MemberStatus;
use chibo_gen::Scale;
use chibo_store::account::{Account, NewAccount};
use chibo_store::org::OrgNode;
use chibo_store::{Store, StoreConfig, StoreError};
use clap::{Parser, Subcommand};
use std::io::{BufRead, Write};
use std::net::SocketAddr;
use std::time::Instant;

mod backup;
mod bench;
mod bench_serve;
mod committee;
mod export;
mod import;
mod meeting;
mod org;
mod stats;

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
        /// Minutes without a request after which a session ends.
        #[arg(long, env = "CHIBO_SESSION_IDLE_MINUTES", default_value_t = 30)]
        session_idle_minutes: i64,
        /// Hours after sign-in after which a session ends however active.
        #[arg(long, env = "CHIBO_SESSION_MAX_HOURS", default_value_t = 12)]
        session_max_hours: i64,
        /// Mark cookies Secure even without X-Forwarded-Proto (behind a TLS proxy).
        #[arg(long, env = "CHIBO_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Count failed sign-ins by X-Forwarded-For (only behind a trusted proxy).
        #[arg(long, env = "CHIBO_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
        /// API requests one token may make per minute.
        #[arg(long, env = "CHIBO_API_PER_MINUTE", default_value_t = 600)]
        api_per_minute: i64,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Write a consistent copy of the database to FILE while it is served (SQLite: VACUUM
    /// INTO; PostgreSQL: pg_dump).
    Backup {
        /// The copy to write (must not exist).
        file: std::path::PathBuf,
    },
    /// Replace the database with the copy FILE (stop the server first).
    Restore {
        /// A copy written by `chibo backup`.
        file: std::path::PathBuf,
    },
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
    /// Every figure of one organization's dashboard (its subtree) on a date.
    Stats(OrgOn),
    /// An organization's committee as it stood on a date: its term, who held which position
    /// (with their concurrent posts and duties), what is missing, its working regulation.
    Committee(OrgOn),
    /// Change the organization tree: found an organization (the first one of an empty
    /// installation too).
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// An organization's meetings (and its subtree's) in the month of a date: each one's day,
    /// kind, state, attendance and resolution.
    Meeting(OrgOn),
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
    /// The rules in force on a date and the public holidays of its year.
    Rules {
        /// Date dd/mm/yyyy (default: today).
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Create an API token for an account (printed once on standard output).
    Token {
        /// The account's login.
        #[arg(long)]
        login: String,
        /// What the token is for.
        #[arg(long, default_value = "tập lệnh")]
        name: String,
        /// Narrow it to this organization's subtree (code or name).
        #[arg(long)]
        org: Option<String>,
        /// Reads only.
        #[arg(long)]
        read_only: bool,
    },
    /// Import a member list (.xlsx, .xls, .ods, .csv) into an organization, all rows or none.
    Import {
        /// The file.
        file: std::path::PathBuf,
        /// Organization (code or name) the members go to; cells are read from the file.
        #[arg(long)]
        org: String,
        /// Import the valid rows and leave out the others (default: all or nothing).
        #[arg(long)]
        valid_only: bool,
        /// Write the rows left out, with an error column, to this .xlsx file.
        #[arg(long)]
        rejected: Option<std::path::PathBuf>,
        /// Import as this account, inside its scope (default: the operator, everywhere).
        #[arg(long = "as")]
        as_login: Option<String>,
    },
    /// Export the member list (the columns import reads, filtered, on a date) or the dashboard
    /// of an organization as .xlsx or .csv, streamed.
    Export(export::ExportArgs),
    /// Time writing a generated member list of many rows and show that memory stays flat.
    BenchExport(export::BenchArgs),
    /// Time importing a generated list on fresh SQLite and PostgreSQL databases.
    BenchImport {
        /// Rows in the generated file.
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Runs per engine (the median is printed).
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// Serve under load: requests per second, p50/p95 and the server's memory for the home
    /// page, a dashboard, the member list and an API read of a province (and a cell's home),
    /// with several connections at once; then a member page and an API read while a member
    /// list is imported. Each database gets the demo if it is empty.
    BenchServe {
        /// Databases to measure (sqlite://FILE, postgres://…); repeat the option.
        #[arg(long = "db", required = true)]
        dbs: Vec<String>,
        /// Seconds of load per line.
        #[arg(long, default_value_t = 15.0)]
        seconds: f64,
        /// Connections at once.
        #[arg(long, default_value_t = 8)]
        connections: usize,
        /// Rows of the member list imported while pages are read (0: none).
        #[arg(long, default_value_t = 100_000)]
        import_rows: usize,
    },
    /// Time the figures (dashboard of the nation, a province, a commune, a cell, today and
    /// past dates), the search and a page of the member list, against the plain SQL aggregate,
    /// on each database given (generated at the scale asked if empty, reused otherwise).
    BenchStats {
        /// Databases to measure (sqlite://FILE, postgres://…); repeat the option.
        #[arg(long = "db", required = true)]
        dbs: Vec<String>,
        /// Scale generated into an empty database: nation, province, commune.
        #[arg(long, default_value = "nation")]
        scale: chibo_gen::Scale,
        /// Queries per figure.
        #[arg(long, default_value_t = 200)]
        samples: usize,
        /// Runs of the slow plain SQL aggregate per level.
        #[arg(long, default_value_t = 3)]
        baseline_runs: usize,
        /// Rebuild the facts and checkpoints of a reused database first (and time it).
        #[arg(long)]
        rebuild: bool,
    },
}

/// An organization and a date, as `chibo stats` and `chibo committee` take them.
#[derive(clap::Args)]
struct OrgOn {
    /// Code, whole name, or a unique part of a name (case and diacritics ignored).
    #[arg(required_unless_present = "org_flag")]
    org: Option<String>,
    /// The same, as an option.
    #[arg(long = "org", conflicts_with = "org")]
    org_flag: Option<String>,
    /// Date dd/mm/yyyy (default: today).
    #[arg(long, visible_alias = "as-of")]
    on: Option<String>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

impl OrgOn {
    /// The organization named (or the Vietnamese refusal listing the candidates) and the day.
    async fn read(&self, store: &Store) -> Result<(chibo_store::org::Org, chrono::NaiveDate)> {
        let on = parse_as_of(self.on.as_deref(), store.today())?;
        Ok((resolve(store, self.org.as_deref().or(self.org_flag.as_deref()).unwrap_or_default()).await?, on))
    }
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
        /// Organization the account's scope is rooted at (code or name); for org_admin,
        /// org_viewer and secretary.
        #[arg(long)]
        org: Option<String>,
        /// The member a member account belongs to (CCCD or party card number).
        #[arg(long)]
        member: Option<String>,
        /// Name shown in the interface.
        #[arg(long)]
        name: Option<String>,
    },
    /// List accounts.
    List,
    /// Enable sign-in for an account again (recovery when no administrator can sign in).
    Enable {
        /// Login name.
        login: String,
    },
    /// Lift the sign-in delay of a login after wrong passwords, from every address.
    Unlock {
        /// Login name.
        login: String,
    },
}

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

fn parse_as_of(s: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    match s {
        None => Ok(today),
        Some(s) => parse_date(s).ok_or_else(|| anyhow!("ngày «{s}» không hợp lệ, hãy nhập theo dạng dd/mm/yyyy")),
    }
}

async fn open(cli: &Cli) -> Result<Store> {
    let config = StoreConfig { url: cli.database_url.clone(), max_connections: cli.max_connections };
    let store = Store::open(&config).await?;
    // CHIBO_TODAY sets the day for a demonstration or a test of deadlines; time still passes.
    match std::env::var("CHIBO_TODAY") {
        Ok(day) if !day.trim().is_empty() => {
            let day = parse_date(&day).ok_or_else(|| anyhow!("CHIBO_TODAY «{day}» không phải là ngày hợp lệ (dd/mm/yyyy)"))?;
            Ok(store.with_clock(Clock::starting_on(day)))
        }
        _ => Ok(store),
    }
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
    store.operator("cli").resolve_org(query).await.map_err(|e| match e {
        StoreError::NotFound => anyhow!("không tìm thấy tổ chức «{}»", query.trim()),
        other => other.into(),
    })
}

/// A member by CCCD or party card number (the two identifiers a person can quote).
async fn find_member(store: &Store, q: &str) -> Result<i64> {
    let s = store.operator("cli");
    let roots = store.root_orgs().await?;
    for root in roots {
        let filter = chibo_store::member::MemberFilter { query: Some(q.to_owned()), statuses: MemberStatus::ALL.to_vec(), ..Default::default() };
        let page = s.list_members(root, &filter, 0, 2).await?;
        match page.items.as_slice() {
            [m] => return Ok(m.id),
            [] => continue,
            _ => bail!("«{q}» khớp với nhiều đảng viên; hãy dùng số CCCD hoặc số thẻ đảng viên"),
        }
    }
    bail!("không tìm thấy đảng viên có số CCCD hoặc số thẻ «{q}»")
}

/// Hashes the password and creates the account as the operator.
async fn create_account(store: &Store, login: &str, name: &str, password: &str, role: Role, org_id: Option<i64>, member_id: Option<i64>) -> Result<Account> {
    let password_hash = chibo_web::auth::hash_password(password).map_err(|e| anyhow!("không băm được mật khẩu: {e}"))?;
    let new = NewAccount { login: login.to_owned(), display_name: name.to_owned(), password_hash, role, org_id, member_id };
    Ok(store.operator("cli").create_account(new).await?)
}

/// The password of every demo account (printed by `chibo demo`; a demo is not a deployment).
const DEMO_PASSWORD: &str = "chibo-demo-2025";

/// A demo account to create, and what it reaches (for the printed list).
struct DemoAccount {
    login: &'static str,
    name: &'static str,
    role: Role,
    org: Option<i64>,
    member: Option<i64>,
    reach: String,
}

/// One account per role in the demo, rooted at the places the articles name.
async fn create_demo_accounts(store: &Store) -> Result<Vec<(Account, String)>> {
    let s = store.operator("demo");
    let cua_ong = resolve(store, "Đảng bộ phường Cửa Ông").await?;
    let kp3 =
        s.children(cua_ong.id, store.today()).await?.into_iter().find(|c| c.name == "Chi bộ khu phố 3").ok_or_else(|| anyhow!("thiếu Chi bộ khu phố 3"))?;
    let thanh = s
        .list_members(kp3.id, &chibo_store::member::MemberFilter { query: Some("Nguyễn Văn Thành".into()), ..Default::default() }, 0, 1)
        .await?
        .items
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("thiếu đảng viên Nguyễn Văn Thành"))?;
    let qn = resolve(store, "Đảng bộ tỉnh Quảng Ninh").await?.id;
    // Đảng bộ thành phố Cẩm Phả was dissolved on 1/7/2025 (the district level was abolished);
    // its viewer now reads the ward that carries the city's name and was its centre.
    let cp = resolve(store, "Đảng bộ phường Cẩm Phả").await?.id;
    let plan = [
        DemoAccount { login: "admin", name: "Quản trị hệ thống", role: Role::Admin, org: None, member: None, reach: "toàn hệ thống".into() },
        DemoAccount {
            login: "quangninh",
            name: "Ban Tổ chức Tỉnh ủy Quảng Ninh",
            role: Role::OrgAdmin,
            org: Some(qn),
            member: None,
            reach: "Đảng bộ tỉnh Quảng Ninh".into(),
        },
        DemoAccount {
            login: "campha",
            name: "Đảng ủy phường Cẩm Phả (chỉ xem)",
            role: Role::OrgViewer,
            org: Some(cp),
            member: None,
            reach: "Đảng bộ phường Cẩm Phả".into(),
        },
        DemoAccount {
            login: "cuaong", name: "Đảng ủy phường Cửa Ông", role: Role::OrgAdmin, org: Some(cua_ong.id), member: None, reach: cua_ong.name.clone()
        },
        DemoAccount {
            login: "bithu.kp3",
            name: "Nguyễn Văn Thành (Bí thư Chi bộ khu phố 3)",
            role: Role::Secretary,
            org: Some(kp3.id),
            member: None,
            reach: format!("{}, {}", kp3.name, cua_ong.name),
        },
        DemoAccount {
            login: "thanh", name: "Nguyễn Văn Thành", role: Role::Member, org: None, member: Some(thanh.id), reach: "hồ sơ của chính mình".into()
        },
    ];
    let mut out = Vec::new();
    for d in plan {
        out.push((create_account(store, d.login, d.name, DEMO_PASSWORD, d.role, d.org, d.member).await?, d.reach));
    }
    Ok(out)
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Command::Serve { addr, session_idle_minutes, session_max_hours, secure_cookies, trust_forwarded_for, api_per_minute } => {
            let store = open(&cli).await?;
            let mut config = chibo_web::WebConfig {
                secure_cookies: *secure_cookies,
                trust_forwarded_for: *trust_forwarded_for,
                api_per_minute: (*api_per_minute).max(1),
                ..Default::default()
            };
            config.session.idle = chrono::Duration::minutes((*session_idle_minutes).max(1));
            config.session.absolute = chrono::Duration::hours((*session_max_hours).max(1));
            // Checkpoints of the figures as days pass (figures are right without them, only
            // slower to sum): at start and every hour, by one process at a time when several
            // serve one database (the others skip the round).
            let keeper = store.clone();
            tokio::spawn(async move {
                loop {
                    match keeper.chore(chibo_store::Chore::Checkpoints).await {
                        Ok(Some(guard)) => {
                            if let Err(e) = keeper.refresh_checkpoints(keeper.today()).await {
                                tracing::warn!(error = %e, "figures: checkpoints not refreshed");
                            }
                            if let Err(e) = guard.release().await {
                                tracing::warn!(error = %e, "figures: lock not released (its connection closes)");
                            }
                        }
                        Ok(None) => tracing::debug!("figures: another process is refreshing the checkpoints"),
                        Err(e) => tracing::warn!(error = %e, "figures: checkpoints not refreshed"),
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                }
            });
            eprintln!("chibo đang chạy tại http://{addr} (cơ sở dữ liệu {})", store.backend().name());
            chibo_web::serve(store, *addr, config).await.context("máy chủ web dừng vì lỗi")?;
        }
        Command::Backup { file } => backup::backup(&cli.database_url, file).await?,
        Command::Restore { file } => backup::restore(&cli.database_url, file).await?,
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
                "Đã nạp dữ liệu mẫu tỉnh Quảng Ninh: {} tổ chức, {} hồ sơ đảng viên (cả người đã ra khỏi danh sách từ 2021), {} sự kiện ({:.1} giây, {}).",
                counts.orgs,
                counts.members,
                counts.member_events,
                t.elapsed().as_secs_f64(),
                store.backend().name()
            );
            println!("Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):");
            for (a, reach) in create_demo_accounts(&store).await? {
                println!("  {:<12} {:<28} {}", a.login, a.role.label_vi(), reach);
            }
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
        Command::Stats(args) => {
            let store = open(&cli).await?;
            let (o, on) = args.read(&store).await?;
            let d = stats::dashboard(&store, &o, on).await?;
            if args.json { println!("{}", stats::json(&d)?) } else { print!("{}", stats::text(&d)) }
        }
        Command::Committee(args) => {
            let store = open(&cli).await?;
            let (o, on) = args.read(&store).await?;
            let (c, in_charge) = committee::read(&store, &o, on).await?;
            if args.json {
                println!("{}", committee::json(&c, &in_charge)?);
            } else {
                let parent = match o.parent_id {
                    Some(p) => Some(store.public().org_name(p).await?),
                    None => None,
                };
                print!("{}", committee::text(&o, parent.as_deref(), &c, &in_charge));
            }
        }
        Command::Org { command } => org::run(&open(&cli).await?, command).await?,
        Command::Meeting(args) => {
            let store = open(&cli).await?;
            let (o, on) = args.read(&store).await?;
            let lines = meeting::read(&store, &o, on).await?;
            if args.json { println!("{}", serde_json::to_string(&lines)?) } else { print!("{}", meeting::text(&o, on, &lines)) }
        }
        Command::Orgs { under, depth, as_of, json } => {
            let store = open(&cli).await?;
            let as_of = parse_as_of(as_of.as_deref(), store.today())?;
            let scoped = store.operator("cli");
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
        Command::Rules { as_of } => {
            let store = open(&cli).await?;
            let on = parse_as_of(as_of.as_deref(), store.today())?;
            let book = store.rule_book().await?;
            let r = book.at(on);
            println!("Quy tắc áp dụng ngày {} (hiệu lực từ {}):", format_date(on), format_date(r.effective_from));
            println!("  Nguồn: {}", r.source);
            println!("  Thời gian dự bị: {} tháng", r.probation_months);
            println!(
                "  Lễ kết nạp trong {} ngày làm việc; xét công nhận chính thức trong {} ngày làm việc",
                r.ceremony_within_working_days, r.recognition_within_working_days
            );
            println!("  Chuyển sinh hoạt chính thức trong {} ngày làm việc", r.transfer_within_working_days);
            println!("  Biểu quyết: ít nhất {}/{} số đảng viên chính thức", r.vote_threshold.num, r.vote_threshold.den);
            println!("  Tuổi đối tượng kết nạp: từ đủ {} tuổi đến {} tuổi (tính theo tháng)", r.candidate_min_age_years, r.candidate_max_age_months / 12);
            println!("  Giấy chứng nhận bồi dưỡng nhận thức có giá trị {} tháng", r.certificate_validity_months);
            let cal = store.working_calendar(on).await?;
            let days: Vec<String> = cal.holidays_in(chrono::Datelike::year(&on)).into_iter().map(format_date).collect();
            println!("Ngày nghỉ lễ, tết năm {} ({} ngày): {}", chrono::Datelike::year(&on), days.len(), days.join(", "));
        }
        Command::Token { login, name, org, read_only } => {
            let store = open(&cli).await?;
            let (account, _) = store.account_for_login(login).await?.ok_or_else(|| anyhow!("không có tài khoản «{login}»"))?;
            let org_id = match org {
                Some(q) => Some(resolve(&store, q).await?.id),
                None => None,
            };
            let token = chibo_web::auth::new_token();
            store.create_api_token(&account, name, &chibo_web::auth::hash_token(&token), org_id, *read_only).await?;
            eprintln!("Đã tạo mã truy cập cho «{login}»; mã chỉ hiện một lần:");
            println!("{token}");
        }
        Command::Import { file, org, valid_only, rejected, as_login } => {
            let store = open(&cli).await?;
            import::import(&store, as_login.as_deref(), org, file, *valid_only, rejected.as_deref()).await?;
        }
        Command::Export(args) => export::run(&open(&cli).await?, args).await?,
        Command::BenchExport(args) => export::bench(args)?,
        Command::BenchImport { rows, runs } => import::bench(*rows, *runs).await?,
        Command::BenchServe { dbs, seconds, connections, import_rows } => bench_serve::run(dbs, *seconds, (*connections).max(1), *import_rows).await?,
        Command::BenchStats { dbs, scale, samples, baseline_runs, rebuild } => {
            let targets: Vec<bench::Target> = dbs.iter().map(|u| bench::Target { url: u.clone() }).collect();
            bench::run(&targets, *scale, *samples, *baseline_runs, *rebuild).await?;
        }
        Command::User { command } => {
            let store = open(&cli).await?;
            let scoped = store.operator("cli");
            match command {
                UserCommand::Add { login, role, org, member, name } => {
                    let codes = || Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
                    let role = Role::from_code(role).ok_or_else(|| anyhow!("vai trò «{role}» không có; chọn một trong: {}", codes()))?;
                    let org_id = match (role, org) {
                        (Role::Admin | Role::Member, Some(_)) => bail!("vai trò «{}» không gắn với tổ chức; bỏ --org", role.code()),
                        (Role::Admin | Role::Member, None) => None,
                        (_, None) => bail!("vai trò «{}» cần --org (tổ chức mà tài khoản được quản lý)", role.code()),
                        (_, Some(q)) => Some(resolve(&store, q).await?.id),
                    };
                    let member_id = match (role, member) {
                        (Role::Member, Some(q)) => Some(find_member(&store, q).await?),
                        (Role::Member, None) => bail!("tài khoản đảng viên cần --member (số CCCD hoặc số thẻ đảng viên)"),
                        (_, Some(_)) => bail!("chỉ tài khoản đảng viên mới gắn với --member"),
                        (_, None) => None,
                    };
                    eprint!("Mật khẩu (ít nhất {MIN_PASSWORD_CHARS} ký tự): ");
                    let mut password = String::new();
                    std::io::stdin().lock().read_line(&mut password)?;
                    let password = password.trim_end_matches(['\r', '\n']);
                    check_password(password).map_err(|e| anyhow!(e.full_message(Lang::Vi)))?;
                    let a = create_account(&store, login, name.as_deref().unwrap_or(login), password, role, org_id, member_id).await?;
                    eprintln!("Đã tạo tài khoản «{}» ({}).", a.login, a.role.label_vi());
                }
                UserCommand::List => {
                    for a in scoped.accounts(0, 500).await?.items {
                        println!("{}\t{}\t{}\t{}", a.login, a.role.code(), a.display_name, if a.active { "hoạt động" } else { "đã khóa" });
                    }
                }
                UserCommand::Enable { login } => {
                    let (a, _) = store.account_for_login(login).await?.ok_or_else(|| anyhow!("không có tài khoản «{login}»"))?;
                    if a.active {
                        eprintln!("Tài khoản «{}» vẫn đang hoạt động.", a.login);
                    } else {
                        scoped.set_account_active(a.id, a.version, true).await.map_err(|e| anyhow!(e.message(Lang::Vi)))?;
                        eprintln!("Đã mở lại tài khoản «{}».", a.login);
                    }
                }
                UserCommand::Unlock { login } => {
                    let n = store.lift_sign_in_lock(login).await?;
                    eprintln!("Đã bỏ thời gian chờ đăng nhập của «{login}» ({n} địa chỉ).");
                }
            }
        }
    }
    Ok(())
}
