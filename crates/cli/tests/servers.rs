//! Two `chibo serve` on one database, started at the same moment on a fresh database (the
//! start-up's migrations run once, both come up): a person signs in through one, uploads and
//! writes a member list through it, and follows the import's progress and reads its result
//! (the preview, the written import, the rows left out) through the other. On PostgreSQL
//! (required under CI, like every PostgreSQL test) and on one SQLite file.

use chibo_domain::account::Role;
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_store::account::NewAccount;
use chibo_store::member::MemberFilter;
use chibo_store::org::NewOrg;
use chibo_store::{Store, StoreConfig};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "mat-khau-thu-nghiem";

/// A `chibo serve` process, killed when dropped.
struct Server {
    child: Child,
    base: String,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }
}

/// A port nobody listens on now (bound, then released for the server to take).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve(url: &str) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--database-url", url])
        .env("CHIBO_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let lines = child.stderr.take().unwrap();
    let sink = stderr.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(lines).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Server { child, base: format!("http://127.0.0.1:{port}"), stderr }
}

/// Waits until the server answers (before any account exists its sign-in page sends people
/// to the set-up page).
async fn ready(server: &mut Server, http: &reqwest::Client) {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("chibo serve stopped ({status}) at start-up:\n{}", server.log());
        }
        if let Ok(r) = http.get(format!("{}/login", server.base)).send().await
            && !r.status().is_server_error()
        {
            return;
        }
        assert!(Instant::now() < deadline, "chibo serve did not come up:\n{}", server.log());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The value of the first hidden input with this name.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle).map(|i| html[i + needle.len()..].split('"').next().unwrap_or("").to_owned()).unwrap_or_default()
}

async fn text(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// A client that keeps cookies (the session cookie is the host's, whatever the port: one
/// browser before a load balancer) and does not follow redirects.
fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn login(c: &reqwest::Client, server: &Server, login: &str) {
    let (_, page) = text(c, format!("{}/login", server.base)).await;
    let csrf = hidden(&page, "_csrf");
    let r = c
        .post(format!("{}/login", server.base))
        .form(&[("_csrf", csrf.as_str()), ("login", login), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "sign-in of {login} through {}", server.base);
}

/// Polls a job's progress on `server` until it asks for a reload; returns how many answers
/// showed a progress bar.
async fn settle(c: &reqwest::Client, server: &Server, job: &str) -> usize {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut bars = 0;
    loop {
        let r = c.get(format!("{}{job}/status", server.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "progress of {job} through {}", server.base);
        if r.headers().get("hx-refresh").is_some() {
            return bars;
        }
        let body = r.text().await.unwrap();
        assert!(body.contains("<progress"), "{body}");
        bars += 1;
        assert!(Instant::now() < deadline, "the import did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A province, a ward and a cell, a secretary of the cell and an administrator elsewhere.
async fn seed(url: &str) -> i64 {
    let store = Store::open(&StoreConfig::new(url)).await.unwrap();
    let s = store.operator("test");
    let on = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let org = |code: &str, name: &str, kind, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let p = s.create_org(org("22", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, None)).await.unwrap().id;
    let w = s.create_org(org("22.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, Some(p))).await.unwrap().id;
    let cell = s.create_org(org("22.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, Some(w))).await.unwrap().id;
    for (login, role, org) in [("bithu.kp3", Role::Secretary, cell), ("quangninh", Role::OrgAdmin, p)] {
        let password_hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
        s.create_account(NewAccount { login: login.into(), display_name: login.into(), password_hash, role, org_id: Some(org), member_id: None })
            .await
            .unwrap();
    }
    store.close().await.unwrap();
    cell
}

async fn two_servers(url: &str) {
    // Both at the same moment on a database with no schema yet.
    let (mut a, mut b) = (serve(url), serve(url));
    let http = client();
    ready(&mut a, &http).await;
    ready(&mut b, &http).await;
    let cell = seed(url).await;

    let c = client();
    login(&c, &a, "bithu.kp3").await;
    let (status, form) = text(&c, format!("{}/import?org={cell}", a.base)).await;
    assert_eq!(status, 200, "{form}");
    let csrf = hidden(&form, "_csrf");
    let csv = "Họ và tên,Giới tính,Ngày sinh,Số CCCD\nĐinh Văn Mới,Nam,02/09/1980,001080009999\nLý Thị Hai,Nữ,05/05/1991,001191008888\nLý Thị Sai,Nữ,01/01/1985,01085000123\n";
    let upload = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("org", cell.to_string())
        .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("moi.csv"));
    let r = c.post(format!("{}/import", a.base)).multipart(upload).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let job = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(job.starts_with("/import/"), "{job}");

    // The check, followed and read through the other server.
    settle(&c, &b, &job).await;
    let (status, page) = text(&c, format!("{}{job}", b.base)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<strong>2</strong> hợp lệ, <strong>1</strong> có lỗi"), "{page}");
    assert!(page.contains("Dòng 4, cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số"), "{page}");
    assert!(page.contains("<option value=\"cccd\" selected>"), "{page}");

    // Written through the first (only the valid rows), the result read through the other.
    let r = c.post(format!("{}{job}/commit", a.base)).form(&[("_csrf", csrf.as_str()), ("mode", "valid_only")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    settle(&c, &b, &job).await;
    let (_, page) = text(&c, format!("{}{job}", b.base)).await;
    assert!(page.contains("Đã nhập 2 đảng viên từ «moi.csv» (1 dòng bỏ qua)."), "{page}");
    let r = c.get(format!("{}{job}/rejected.xlsx", b.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let t = chibo_import::read_table("x.xlsx", &r.bytes().await.unwrap()).unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].1[3], "01085000123");
    // A second commit through the other server starts nothing: the job is written.
    let r = c.post(format!("{}{job}/commit", b.base)).form(&[("_csrf", csrf.as_str()), ("mode", "valid_only")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(settle(&c, &a, &job).await, 0);

    // Another account finds no such job on either server.
    let other = client();
    login(&other, &b, "quangninh").await;
    for server in [&a, &b] {
        assert_eq!(text(&other, format!("{}{job}", server.base)).await.0, 404);
        assert_eq!(text(&other, format!("{}{job}/status", server.base)).await.0, 404);
    }

    let store = Store::open(&StoreConfig::new(url)).await.unwrap();
    let s = store.operator("test");
    assert_eq!(s.list_members(cell, &MemberFilter::default(), 0, 10).await.unwrap().total, 2);
    assert_eq!(s.org_stats(cell, chibo_domain::calendar::Clock::system().today()).await.unwrap().members, 2);
    assert_eq!(s.imports(cell).await.unwrap().len(), 1);
    store.close().await.unwrap();
    for server in [&mut a, &mut b] {
        assert!(server.child.try_wait().unwrap().is_none(), "a server stopped:\n{}", server.log());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_share_an_import() {
    let Some(db) = chibo_store::testing::postgres().await else { return };
    // A fresh database: no schema at all, for the two start-ups to race over.
    chibo_store::testing::execute(&db.store, "DROP SCHEMA public CASCADE").await.unwrap();
    chibo_store::testing::execute(&db.store, "CREATE SCHEMA public").await.unwrap();
    two_servers(&db.url()).await;
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_sqlite_file_share_an_import() {
    let path = std::env::temp_dir().join(format!("chibo_servers_{}.db", std::process::id()));
    two_servers(&format!("sqlite://{}", path.display())).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
