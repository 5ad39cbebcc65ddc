//! The test application: a fresh database on each engine, a small tree with the places of the
//! source articles, one account per role, and the real server on a free port.

use chibo_domain::account::Role;
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_store::account::NewAccount;
use chibo_store::org::NewOrg;
use chibo_store::testing::TestDb;
use chibo_web::{AppState, WebConfig};
use chrono::NaiveDate;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// The password of every test account.
pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// Ids of the fixture's records.
#[derive(Debug, Clone, Copy)]
pub struct Ids {
    pub province: i64,
    pub district_a: i64,
    pub ward_a: i64,
    pub cell_a1: i64,
    pub cell_a2: i64,
    pub district_b: i64,
    pub cell_b1: i64,
    pub other_province: i64,
    pub other_cell: i64,
    /// Nguyễn Văn Thành, Chi bộ khu phố 3 (cell_a1).
    pub thanh: i64,
    /// Lê Văn Hùng, Chi bộ khu phố 10 (cell_a2).
    pub hung: i64,
    /// Phạm Thị Hoa, Chi bộ khu 1 of Bãi Cháy (cell_b1).
    pub hoa: i64,
    /// Hoàng Văn Nam, in the other province.
    pub nam: i64,
}

pub const EMPTY: Ids = Ids {
    province: 0,
    district_a: 0,
    ward_a: 0,
    cell_a1: 0,
    cell_a2: 0,
    district_b: 0,
    cell_b1: 0,
    other_province: 0,
    other_cell: 0,
    thanh: 0,
    hung: 0,
    hoa: 0,
    nam: 0,
};

/// A running application.
pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    pub ids: Ids,
    server: tokio::task::JoinHandle<()>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn seed(db: &TestDb) -> Ids {
    let s = db.store.operator("test");
    let on = d(2000, 1, 1);
    let org = |code: &str, name: &str, kind, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let province = s.create_org(org("22", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, None)).await.unwrap().id;
    let district_a = s.create_org(org("22.CP", "Đảng bộ thành phố Cẩm Phả", OrgKind::UpperGrassroots, Some(province))).await.unwrap().id;
    let ward_a = s.create_org(org("22.CP.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, Some(district_a))).await.unwrap().id;
    let cell_a1 = s.create_org(org("22.CP.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, Some(ward_a))).await.unwrap().id;
    let cell_a2 = s.create_org(org("22.CP.CO.KP10", "Chi bộ khu phố 10", OrgKind::Cell, Some(ward_a))).await.unwrap().id;
    let district_b = s.create_org(org("22.HL", "Đảng bộ thành phố Hạ Long", OrgKind::UpperGrassroots, Some(province))).await.unwrap().id;
    let ward_b = s.create_org(org("22.HL.BC", "Đảng bộ phường Bãi Cháy", OrgKind::GrassrootsCommittee, Some(district_b))).await.unwrap().id;
    let cell_b1 = s.create_org(org("22.HL.BC.1", "Chi bộ khu 1", OrgKind::Cell, Some(ward_b))).await.unwrap().id;
    let other_province = s.create_org(org("20", "Đảng bộ tỉnh Lạng Sơn", OrgKind::Province, None)).await.unwrap().id;
    let other_upper = s.create_org(org("20.LS", "Đảng bộ phường Lương Văn Tri", OrgKind::UpperGrassroots, Some(other_province))).await.unwrap().id;
    let other_cell = s.create_org(org("20.LS.1", "Chi bộ khối 1", OrgKind::GrassrootsCell, Some(other_upper))).await.unwrap().id;
    let member = |name: &str, gender: &str, birth: &str, cccd: &str| MemberInput {
        full_name: name.into(),
        gender: gender.into(),
        birth_date: birth.into(),
        cccd: cccd.into(),
        ..Default::default()
    };
    let add = async |input: MemberInput, cell| {
        let p = input.validate(today()).unwrap();
        let ev = MemberEvent { on: d(2010, 5, 19), change: MemberChange::Registered { cell, status: MemberStatus::Official } };
        s.create_member(p, ev, Some("12-QĐ/ĐU")).await.unwrap().id
    };
    let thanh = add(member("Nguyễn Văn Thành", "nam", "12/04/1958", "022058001234"), cell_a1).await;
    add(member("Trần Thị Lan", "nu", "03/09/1975", "022175000321"), cell_a1).await;
    let hung = add(member("Lê Văn Hùng", "nam", "21/12/1980", "022080004567"), cell_a2).await;
    let hoa = add(member("Phạm Thị Hoa", "nu", "08/03/1990", "022190007654"), cell_b1).await;
    let nam = add(member("Hoàng Văn Nam", "nam", "01/01/1985", "020085001111"), other_cell).await;
    let accounts = [
        ("admin", Role::Admin, None, None),
        ("quangninh", Role::OrgAdmin, Some(province), None),
        ("campha", Role::OrgViewer, Some(district_a), None),
        ("bithu.kp3", Role::Secretary, Some(cell_a1), None),
        ("thanh", Role::Member, None, Some(thanh)),
    ];
    for (login, role, org_id, member_id) in accounts {
        let password_hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
        s.create_account(NewAccount { login: login.into(), display_name: login.into(), password_hash, role, org_id, member_id }).await.unwrap();
    }
    Ids { province, district_a, ward_a, cell_a1, cell_a2, district_b, cell_b1, other_province, other_cell, thanh, hung, hoa, nam }
}

impl TestApp {
    /// Starts the application on a seeded database.
    pub async fn start(db: TestDb) -> TestApp {
        // Generous throttling by address: every test client signs in from 127.0.0.1.
        let config = WebConfig { throttle: chibo_web::Throttle { per_addr: 10_000, ..WebConfig::default().throttle }, ..WebConfig::default() };
        Self::start_with(db, config, true).await
    }

    /// Starts the application with settings, on a seeded or an empty database.
    pub async fn start_with(db: TestDb, config: WebConfig, seeded: bool) -> TestApp {
        let ids = if seeded { seed(&db).await } else { EMPTY };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(db.store.clone(), config);
        let server = tokio::spawn(async move {
            chibo_web::serve_on(listener, state).await.unwrap();
        });
        TestApp { base, db, ids, server }
    }

    /// A client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// A client signed in as `login`.
    pub async fn login(&self, login: &str) -> reqwest::Client {
        let c = self.client();
        let r = self.try_login(&c, login, PASSWORD).await;
        assert_eq!(r.status(), 303, "login {login} failed");
        c
    }

    /// Posts the login form (fetching its CSRF cookie first).
    pub async fn try_login(&self, c: &reqwest::Client, login: &str, password: &str) -> reqwest::Response {
        let page = c.get(format!("{}/login", self.base)).send().await.unwrap().text().await.unwrap();
        let csrf = hidden(&page, "_csrf");
        c.post(format!("{}/login", self.base)).form(&[("_csrf", csrf.as_str()), ("login", login), ("password", password), ("next", "/")]).send().await.unwrap()
    }

    /// The CSRF token of a signed-in client (read from a page's form).
    pub async fn csrf(&self, c: &reqwest::Client) -> String {
        let page = c.get(format!("{}/audit", self.base)).send().await.unwrap().text().await.unwrap();
        hidden(&page, "_csrf")
    }

    /// Stops the server and drops the database.
    pub async fn stop(self) {
        self.server.abort();
        self.db.cleanup().await;
    }
}

/// The value of the first hidden input with this name.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle).map(|i| html[i + needle.len()..].split('"').next().unwrap_or("").to_owned()).unwrap_or_default()
}

/// A fresh database on each engine (PostgreSQL is required under CI).
pub async fn engines() -> Vec<TestDb> {
    let mut v = vec![chibo_store::testing::sqlite().await];
    if let Some(pg) = chibo_store::testing::postgres().await {
        v.push(pg);
    }
    v
}

impl TestApp {
    /// A new API token of an account, optionally narrowed and read-only.
    pub async fn token(&self, login: &str, org: Option<i64>, read_only: bool) -> String {
        let (account, _) = self.db.store.account_for_login(login).await.unwrap().unwrap();
        let token = chibo_web::auth::new_token();
        self.db.store.create_api_token(&account, "thử nghiệm", &chibo_web::auth::hash_token(&token), org, read_only).await.unwrap();
        token
    }

    /// An API request with a bearer token.
    pub fn api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client().request(method, format!("{}/api/v1{path}", self.base)).bearer_auth(token)
    }
}
