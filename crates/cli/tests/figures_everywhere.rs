//! One model of figures, rendered everywhere: for a generated commune, on a few organizations
//! and dates, the API's dashboard, `chibo stats --json`, the statistics page, the dashboard's
//! export (the page's and `chibo export --dashboard`) and the home page's cards show the same
//! figures, by the same keys, with the same values. On SQLite and PostgreSQL.

use chibo_domain::account::Role;
use chibo_domain::calendar::format_date;
use chibo_store::account::NewAccount;
use chibo_store::testing::{self, TestDb};
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

const PASSWORD: &str = "mat-khau-thu-nghiem";

fn today() -> NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// `chibo ARGS --database-url …`: its standard output.
fn chibo(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(args).args(["--database-url", &db.url()]).env("CHIBO_LOG", "warn").output().unwrap();
    assert!(out.status.success(), "chibo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The value of the first hidden input with this name.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    html.find(&needle).map(|i| html[i + needle.len()..].split('"').next().unwrap_or("").to_owned()).unwrap_or_default()
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x2f;", "/").replace("&#x3D;", "=").replace("&#x3d;", "=").replace("&#38;", "&")
}

fn number(s: &str) -> i64 {
    s.trim().replace(['.', ','], "").parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// Every (link, value) of a page: figure cards, and chart bars (`aria-label="label: N"`).
fn shown(page: &str) -> BTreeMap<String, i64> {
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
fn href(org: i64, f: &Value) -> String {
    let q = f["list"]["query"].as_str().unwrap();
    match f["list"]["list"].as_str().unwrap() {
        "members" => format!("/members?org={org}&{q}"),
        _ => format!("/orgs/{org}/stats/orgs?{q}"),
    }
}

/// (key, value, share) of every figure of a dashboard object.
fn figures(v: &Value) -> Vec<(String, i64, Option<f64>)> {
    v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["figures"].as_array().unwrap().iter())
        .map(|f| (f["key"].as_str().unwrap().to_owned(), f["value"].as_i64().unwrap(), f["share"].as_f64()))
        .collect()
}

/// (key, value, share) of the rows of a dashboard export in CSV.
fn exported(csv: &str) -> Vec<(String, i64, Option<f64>)> {
    let lines: Vec<&str> = csv.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("Mã chỉ tiêu,Chỉ tiêu,Số lượng,Tỷ lệ (%)")).unwrap_or_else(|| panic!("no header in {csv}"));
    let mut out = Vec::new();
    for line in &lines[header + 1..] {
        // key,label,value,share: the label may be quoted with commas in it, the others never.
        let mut back = line.rsplitn(3, ',');
        let (share, value, rest) = (back.next().unwrap_or(""), back.next(), back.next());
        // A section heading is a row of one cell.
        let (Some(value), Some(rest)) = (value, rest) else { continue };
        let Ok(value) = value.parse::<i64>() else { continue };
        let share = (!share.is_empty()).then(|| share.parse::<f64>().unwrap());
        out.push((rest.split(',').next().unwrap().to_owned(), value, share));
    }
    out
}

async fn check(db: TestDb) {
    chibo_gen::load_scale(&db.store, chibo_gen::Scale::Commune, 11, |_, _| {}).await.unwrap();
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
    let c = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = c.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let form = [("_csrf", hidden(&login, "_csrf")), ("login", "admin".into()), ("password", PASSWORD.into()), ("next", "/".into())];
    assert_eq!(c.post(format!("{base}/login")).form(&form).send().await.unwrap().status(), 303);
    let get = async |url: String| {
        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        r.text().await.unwrap()
    };

    let root = db.store.root_orgs().await.unwrap()[0];
    let nodes = s.subtree(root, today(), None).await.unwrap();
    let deep = nodes.iter().find(|n| n.path.depth() == nodes[0].path.depth() + 2).unwrap();
    let mut populated = 0;
    for (org, code, on) in [(root, nodes[0].code.clone(), today()), (deep.id, deep.code.clone(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())] {
        let api: Value = c.get(format!("{base}/api/v1/orgs/{org}/dashboard?as_of={on}")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        let all = figures(&api);
        assert!(all.len() > 40, "a commune's dashboard has many figures: {all:?}");
        populated += usize::from(all[0].1 > 0);

        // `chibo stats --json` prints the API's object.
        let cli: Value = serde_json::from_str(&chibo(&db, &["stats", &code, "--on", &format_date(on), "--json"])).unwrap();
        assert_eq!(cli, api, "chibo stats --json of {code} on {on}");

        // The page shows every figure behind its list with the same value: cards always,
        // bars and the pyramid's sides where they count someone (an age band's total is the
        // sum of its two sides, which the pyramid shows).
        let page = shown(&get(format!("{base}/orgs/{org}/stats?on={}", format_date(on))).await);
        for section in api["sections"].as_array().unwrap() {
            let cards = ["key", "flows", "small_cells"].contains(&section["key"].as_str().unwrap());
            for f in section["figures"].as_array().unwrap() {
                let (key, value) = (f["key"].as_str().unwrap(), f["value"].as_i64().unwrap());
                let band_total = key.starts_with("members.by_age.") && !key.ends_with("male");
                match page.get(&href(org, f)) {
                    Some(v) => assert_eq!(*v, value, "{key} of {code} on the page"),
                    None => assert!(!cards && (value == 0 || band_total), "{key} ({value}) of {code} is not on the page"),
                }
            }
        }

        // The exports: one row per figure, the same keys, values and shares.
        let csv = get(format!("{base}/export/dashboard?org={org}&on={}&format=csv", format_date(on))).await;
        assert_eq!(exported(&csv), all, "the page's export of {code}");
        let file = std::env::temp_dir().join(format!("chibo-figures-{}-{org}.csv", std::process::id()));
        chibo(&db, &["export", "--org", &code, "--dashboard", "--on", &format_date(on), "--out", file.to_str().unwrap()]);
        let written = std::fs::read_to_string(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(exported(&written), all, "chibo export --dashboard of {code}");

        // The home page's cards are figures of today's dashboard of the root.
        if on == today() {
            let home = shown(&get(format!("{base}/")).await);
            let by_key = |k: &str| api["sections"][0]["figures"].as_array().unwrap().iter().find(|f| f["key"] == k).unwrap().clone();
            for key in [
                "members.total",
                "members.official",
                "members.probationary",
                "members.women",
                "members.in_transit",
                "orgs.grassroots",
                "orgs.cells_under_grassroots",
            ] {
                let f = by_key(key);
                assert_eq!(home.get(&href(org, &f)), f["value"].as_i64().as_ref(), "{key} on the home page");
            }
        }
    }
    assert!(populated >= 1, "the dashboards compared had members");
    server.abort();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_are_the_same_everywhere_sqlite() {
    check(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_are_the_same_everywhere_postgres() {
    let Some(db) = testing::postgres().await else { return };
    check(db).await;
}
