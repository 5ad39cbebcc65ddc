//! `chibo bench-serve`: the server under load, as its users meet it. For each database it
//! starts `chibo serve` as a child process (so its memory is its own), signs in as the demo's
//! province staff and cell secretary, and drives pages and an API read from several
//! connections at once, printing requests per second, p50/p95 and the server's resident
//! memory; then it measures a member page and an API read while a large member list is
//! imported into the same database, and the import's own time.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use chibo_domain::org::OrgId;
use chibo_import::Mode;
use chibo_store::{Store, StoreConfig};

use crate::bench::percentile;

/// What one line of the table measured.
struct Line {
    what: String,
    level: &'static str,
    requests: usize,
    secs: f64,
    latencies: Vec<f64>,
    rss_mib: f64,
    peak_mib: f64,
}

/// A signed-in client of the server under test.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    bearer: Option<String>,
}

impl Client {
    async fn get(&self, path: &str) -> Result<()> {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = &self.bearer {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let _ = resp.bytes().await?;
        if !status.is_success() {
            bail!("{path}: trả lời {status}");
        }
        Ok(())
    }
}

/// The server's resident memory now and at its peak (MiB), from /proc.
fn memory_of(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib =
        |key: &str| status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (kib("VmRSS:") / 1024.0, kib("VmHWM:") / 1024.0)
}

/// A free port on the loopback.
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Signs in through the login form, as a browser does.
async fn sign_in(base: &str, login: &str, password: &str) -> Result<Client> {
    let http = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(64).build()?;
    let page = http.get(format!("{base}/login")).send().await?.text().await?;
    let csrf = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow!("trang đăng nhập không có mã _csrf"))?
        .to_owned();
    let resp = http.post(format!("{base}/login")).form(&[("_csrf", csrf.as_str()), ("login", login), ("password", password)]).send().await?;
    let home = resp.url().path().to_owned();
    if home == "/login" {
        bail!("không đăng nhập được bằng tài khoản «{login}»");
    }
    Ok(Client { http, base: base.to_owned(), bearer: None })
}

/// `connections` loops asking `path` until `secs` have passed; every answer must be a success.
async fn load(client: &Client, path: &str, connections: usize, secs: f64) -> Result<(usize, f64, Vec<f64>)> {
    for _ in 0..5 {
        client.get(path).await?;
    }
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(secs);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, path) = (client.clone(), path.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let t = Instant::now();
                client.get(&path).await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all.len(), start.elapsed().as_secs_f64(), all))
}

/// The server process, stopped when dropped.
struct Server {
    child: std::process::Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_server(url: &str) -> Result<Server> {
    let port = free_port()?;
    let child = std::process::Command::new(std::env::current_exe()?)
        .args(["--database-url", url, "serve", "--addr", &format!("127.0.0.1:{port}"), "--api-per-minute", "100000000"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("không chạy được «chibo serve»")?;
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let probe = reqwest::Client::new();
    let started = Instant::now();
    while probe.get(format!("{}/login", server.base)).send().await.is_err() {
        if started.elapsed() > Duration::from_secs(1800) {
            bail!("máy chủ không trả lời sau 30 phút");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(server)
}

/// The demo's places the load is put on, loading the demo into an empty database.
struct Places {
    province: OrgId,
    member: i64,
}

async fn prepare(store: &Store) -> Result<Places> {
    if store.root_orgs().await?.is_empty() {
        eprintln!("{}: nạp dữ liệu mẫu…", store.backend().name());
        chibo_gen::load_demo(store, 1).await?;
        crate::create_demo_accounts(store).await?;
    } else if store.account_for_login("quangninh").await?.is_none() {
        crate::create_demo_accounts(store).await?;
    }
    let province = crate::resolve(store, "Đảng bộ tỉnh Quảng Ninh").await?.id;
    let s = store.operator("bench");
    let member = s
        .list_members(province, &chibo_store::member::MemberFilter::default(), 0, 1)
        .await?
        .items
        .first()
        .map(|m| m.id)
        .ok_or_else(|| anyhow!("tỉnh không có đảng viên"))?;
    Ok(Places { province, member })
}

/// An API token of the province's staff account, read only.
async fn api_token(store: &Store, province: OrgId) -> Result<String> {
    let (account, _) = store.account_for_login("quangninh").await?.ok_or_else(|| anyhow!("thiếu tài khoản «quangninh»"))?;
    let token = chibo_web::auth::new_token();
    store.create_api_token(&account, "bench-serve", &chibo_web::auth::hash_token(&token), Some(province), true).await?;
    Ok(token)
}

/// Runs the load on each database and prints one table.
pub async fn run(dbs: &[String], secs: f64, connections: usize, import_rows: usize) -> Result<()> {
    println!("| engine | what | level | requests/s | p50 ms | p95 ms | server RSS after, MiB | peak RSS, MiB | requests |");
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for url in dbs {
        let store = Store::open(&StoreConfig::new(url.as_str())).await?;
        let engine = store.backend().name();
        let places = prepare(&store).await?;
        let token = api_token(&store, places.province).await?;
        let server = start_server(url).await?;
        let pid = server.child.id();
        let (rss, _) = memory_of(pid);
        eprintln!("{engine}: máy chủ sẵn sàng ({rss:.0} MiB)");
        let province = sign_in(&server.base, "quangninh", crate::DEMO_PASSWORD).await?;
        let secretary = sign_in(&server.base, "bithu.kp3", crate::DEMO_PASSWORD).await?;
        let api = Client { http: reqwest::Client::new(), base: server.base.clone(), bearer: Some(token) };
        let p = places.province;
        let plan: Vec<(&str, &'static str, &Client, String)> = vec![
            ("home page (figures and to-do list)", "province", &province, "/".into()),
            ("dashboard page", "province", &province, format!("/orgs/{p}/stats")),
            ("member list page", "province", &province, "/members".into()),
            ("member page", "province", &province, format!("/members/{}", places.member)),
            ("API read: dashboard", "province", &api, format!("/api/v1/orgs/{p}/dashboard")),
            ("home page (figures and to-do list)", "cell", &secretary, "/".into()),
        ];
        let mut lines = Vec::new();
        for (what, level, client, path) in plan {
            let (requests, took, latencies) = load(client, &path, connections, secs).await?;
            let (rss_mib, peak_mib) = memory_of(pid);
            lines.push(Line { what: what.to_owned(), level, requests, secs: took, latencies, rss_mib, peak_mib });
        }
        if import_rows > 0 {
            lines.extend(during_import(&store, &province, &api, &places, connections, import_rows, pid).await?);
        }
        for mut l in lines {
            let (p50, p95) = (percentile(&mut l.latencies.clone(), 0.5), percentile(&mut l.latencies, 0.95));
            println!(
                "| {engine} | {} | {} | {:.0} | {p50:.1} | {p95:.1} | {:.0} | {:.0} | {} |",
                l.what,
                l.level,
                l.requests as f64 / l.secs,
                l.rss_mib,
                l.peak_mib,
                l.requests
            );
        }
        drop(server);
        store.close().await?;
    }
    Ok(())
}

/// A member page and an API read from `connections` loops while `rows` members are imported
/// into the same database (by this process, as `chibo import` does beside a running server).
async fn during_import(store: &Store, page: &Client, api: &Client, places: &Places, connections: usize, rows: usize, pid: u32) -> Result<Vec<Line>> {
    if crate::resolve(store, "BENCH").await.is_ok() {
        bail!("cơ sở dữ liệu đã có tổ chức thử «BENCH» của một lần đo trước: đo trên một bản mới");
    }
    let bytes = chibo_import::export::xlsx("Danh sách", &chibo_import::export::headers(), &crate::import::bench_rows(rows))?;
    let ward = crate::import::bench_tree(store).await?;
    let s = store.operator("bench");
    let prepared = chibo_import::prepare(&s, ward, "bench-serve.xlsx", &bytes, None, &|_, _, _| {}).await?;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut loops = Vec::new();
    for (client, path) in [(page, format!("/members/{}", places.member)), (api, format!("/api/v1/orgs/{}/dashboard", places.province))] {
        for _ in 0..connections / 2 {
            let (client, path, done) = (client.clone(), path.clone(), done.clone());
            loops.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let t = Instant::now();
                    client.get(&path).await?;
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                }
                Ok::<_, anyhow::Error>(lat)
            }));
        }
    }
    let t = Instant::now();
    let rec = chibo_import::commit(&s, &prepared, Mode::AllOrNothing, &|_, _, _| {}).await.map_err(crate::import::import_error)?;
    let took = t.elapsed().as_secs_f64();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    if rec.imported as usize != rows {
        bail!("chỉ nhập được {} / {rows} dòng", rec.imported);
    }
    let mut lat = [Vec::new(), Vec::new()];
    for (i, l) in loops.into_iter().enumerate() {
        lat[usize::from(i >= connections / 2)].extend(l.await??);
    }
    let [pages, reads] = lat;
    let (rss_mib, peak_mib) = memory_of(pid);
    eprintln!("{}: nhập {rows} dòng trong {took:.1} giây khi máy chủ đang phục vụ", store.backend().name());
    Ok(vec![
        Line {
            what: format!("member page during an import of {rows} rows (import took {took:.1} s)"),
            level: "province",
            requests: pages.len(),
            secs: took,
            latencies: pages,
            rss_mib,
            peak_mib,
        },
        Line {
            what: format!("API read during the same import ({rows} rows)"),
            level: "province",
            requests: reads.len(),
            secs: took,
            latencies: reads,
            rss_mib,
            peak_mib,
        },
    ])
}
