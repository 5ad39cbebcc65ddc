//! What the tests that compare the interfaces share: running `chibo`, the real server on a free
//! port with an administrator signed in and an API token, and reading the figures a dashboard
//! page shows and the API returns.
// Each test binary uses its part of this module.
#![allow(dead_code)]

use chibo_domain::account::Role;
use chibo_store::account::NewAccount;
use chibo_store::testing::TestDb;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// `chibo ARGS --database-url …`: its standard output.
pub fn chibo(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(args).args(["--database-url", &db.url()]).env("CHIBO_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "chibo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The value of the first hidden input with this name.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle).map(|i| html[i + needle.len()..].split('"').next().unwrap_or("").to_owned()).unwrap_or_default()
}

pub fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x2f;", "/").replace("&#x3D;", "=").replace("&#x3d;", "=").replace("&#38;", "&")
}

pub fn number(s: &str) -> i64 {
    s.trim().replace(['.', ','], "").parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// Every (link, value) of a page: figure cards, and chart bars (`aria-label="label: N"`).
pub fn shown(page: &str) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    let card = "<a class=\"figure\" href=\"";
    for part in page.split(card).skip(1) {
        let href = part.split('"').next().unwrap();
        let v = part.split("<span class=\"figure-value\">").nth(1).unwrap().split('<').next().unwrap();
        out.insert(unescape(href), number(v));
    }
    for part in page.split("<a href=\"").skip(1) {
        let href = part.split('"').next().unwrap();
        if let Some(label) = part[href.len()..].strip_prefix("\" aria-label=\"")
            && let Some((_, v)) = label.split('"').next().unwrap().rsplit_once(": ")
            && v.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            out.insert(unescape(href), number(v));
        }
    }
    out
}

/// The page link of a figure's list.
pub fn href(org: i64, f: &Value) -> String {
    let q = f["list"]["query"].as_str().unwrap();
    match f["list"]["list"].as_str().unwrap() {
        "members" => format!("/members?org={org}&{q}"),
        "attendance" => format!("/orgs/{org}/meetings/attendance?{q}"),
        _ => format!("/orgs/{org}/stats/orgs?{q}"),
    }
}

/// (key, value, share) of every figure of a dashboard object.
pub fn figures(v: &Value) -> Vec<(String, i64, Option<f64>)> {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["figures"].as_array().unwrap().iter())
        .map(|f| (f["key"].as_str().unwrap().to_owned(), f["value"].as_i64().unwrap(), f["share"].as_f64()))
        .collect()
}

/// The real server over a test database, with an administrator signed in (`client`) and a
/// read-only API token of theirs.
pub struct Served {
    pub base: String,
    pub client: reqwest::Client,
    pub token: String,
    server: tokio::task::JoinHandle<()>,
}

impl Served {
    /// Creates the administrator, starts the server and signs in.
    pub async fn start(db: &TestDb) -> Served {
        let s = db.store.operator("test");
        let password_hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
        let account = NewAccount { login: "admin".into(), display_name: "admin".into(), password_hash, role: Role::Admin, org_id: None, member_id: None };
        s.create_account(account).await.unwrap();
        let (admin, _) = db.store.account_for_login("admin").await.unwrap().unwrap();
        let token = chibo_web::auth::new_token();
        db.store.create_api_token(&admin, "thử nghiệm", &chibo_web::auth::hash_token(&token), None, true).await.unwrap();

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = chibo_web::AppState::new(db.store.clone(), chibo_web::WebConfig::default());
        let server = tokio::spawn(async move { chibo_web::serve_on(listener, state).await.unwrap() });
        let client = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let login = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
        let form = [("_csrf", hidden(&login, "_csrf")), ("login", "admin".into()), ("password", PASSWORD.into()), ("next", "/".into())];
        assert_eq!(client.post(format!("{base}/login")).form(&form).send().await.unwrap().status(), 303);
        Served { base, client, token, server }
    }

    /// A page of the signed-in administrator (it must answer 200).
    pub async fn page(&self, path: &str) -> String {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.text().await.unwrap()
    }

    /// An API object read with the token.
    pub async fn api(&self, path: &str) -> Value {
        let r = self.client.get(format!("{}/api/v1{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }

    /// Stops the server.
    pub fn stop(self) {
        self.server.abort();
    }
}
