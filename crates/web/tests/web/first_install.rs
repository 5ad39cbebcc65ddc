//! A first installation: from an empty database an administrator founds the ward through the
//! API, builds its cells, changes them (rename, reclassify, merge) with dates, decisions and
//! If-Match, registers members, and reads the ward's dashboard. Nothing is written to the
//! database directly: the only step outside the API is the first account, which
//! `chibo user add` makes through the store.

use crate::helpers::{PASSWORD, TestApp, engines};
use chibo_domain::account::Role;
use chibo_store::account::NewAccount;
use chibo_web::WebConfig;
use reqwest::Method;
use serde_json::{Value, json};

async fn answer(r: reqwest::RequestBuilder) -> (u16, Option<String>, Value) {
    let r = r.send().await.unwrap();
    let etag = r.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    (r.status().as_u16(), etag, r.json::<Value>().await.unwrap_or(Value::Null))
}

/// The fields a refusal names, in order.
fn fields(v: &Value) -> Vec<String> {
    v["errors"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()).unwrap_or_default()
}

fn figure(dash: &Value, key: &str) -> i64 {
    dash["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["figures"].as_array().unwrap())
        .find(|f| f["key"] == key)
        .map_or(0, |f| f["value"].as_i64().unwrap())
}

/// The first account of an installation, as `chibo user add --role admin` makes it.
async fn first_admin(app: &TestApp) {
    let hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
    let admin =
        NewAccount { login: "admin".into(), display_name: "Quản trị".into(), password_hash: hash, role: Role::Admin, org_id: None, member_id: None };
    app.db.store.operator("cli").create_account(admin).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ward_is_built_from_an_empty_installation_through_the_api() {
    for db in engines().await {
        let app = TestApp::start_with(db, WebConfig::default(), false).await;
        // `chibo user add --role admin`, then `chibo token`.
        first_admin(&app).await;
        let t = app.token("admin", None, false).await;
        let (status, _, v) = answer(app.api(Method::GET, "/orgs", &t)).await;
        assert_eq!((status, v["items"].as_array().unwrap().len()), (200, 0), "an empty installation");

        // The ward, at the top of this installation's tree.
        let ward = json!({"code": "CO", "name": "Đảng bộ phường  Cửa Ông", "kind": "dang_bo_co_so", "category": "xa_phuong",
                          "founded_on": "2020-01-01", "decision_no": "1-QĐ/TU"});
        let (status, etag, w) = answer(app.api(Method::POST, "/orgs", &t).json(&ward)).await;
        assert_eq!((status, etag.as_deref(), w["name"].as_str(), w["parent_id"].is_null()), (201, Some("\"1\""), Some("Đảng bộ phường Cửa Ông"), true), "{w}");
        let ward_id = w["id"].as_i64().unwrap();
        let (status, _, v) = answer(app.api(Method::POST, "/orgs", &t).json(&ward)).await;
        assert_eq!((status, v["errors"][0]["code"].as_str()), (422, Some("org_code_taken")), "{v}");

        // Its cells, and a third one merged into the first.
        let cell = |code: &str, name: &str| json!({"code": code, "name": name, "kind": "chi_bo_truc_thuoc", "category": "khu_dan_cu", "parent_id": ward_id, "founded_on": "01/02/2020"});
        let mut cells = Vec::new();
        for (code, name) in [("CO.KP3", "Chi bộ khu phố 3"), ("CO.KP5", "Chi bộ khu phố 5"), ("CO.KP9", "Chi bộ khu phố 9")] {
            let (status, _, c) = answer(app.api(Method::POST, "/orgs", &t).json(&cell(code, name))).await;
            assert_eq!((status, c["parent_id"].as_i64()), (201, Some(ward_id)), "{c}");
            cells.push(c["id"].as_i64().unwrap());
        }
        let (kp3, kp5, kp9) = (cells[0], cells[1], cells[2]);

        // A change needs If-Match; a stale one changes nothing; refusals name the body's fields.
        let rename = json!({"type": "rename", "date": "2024-03-01", "decision_no": "15-QĐ/ĐU", "name": "Chi bộ khu phố 5A"});
        let (status, _, _) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).json(&rename)).await;
        assert_eq!(status, 428);
        let (status, _, _) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "\"7\"").json(&rename)).await;
        assert_eq!(status, 412);
        let (status, etag, c) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "\"1\"").json(&rename)).await;
        assert_eq!((status, etag.as_deref(), c["name"].as_str()), (200, Some("\"2\""), Some("Chi bộ khu phố 5A")), "{c}");
        let (_, etag, old) = answer(app.api(Method::GET, &format!("/orgs/{kp5}?as_of=2023-01-01"), &t)).await;
        assert_eq!((etag.as_deref(), old["name"].as_str()), (Some("\"2\""), Some("Chi bộ khu phố 5")), "the name as it stood");
        let wrong = json!({"type": "move", "date": "2024-13-01", "parent_id": 999_999});
        let (status, _, v) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "*").json(&wrong)).await;
        assert_eq!((status, fields(&v)), (422, vec!["date".to_owned()]), "{v}");
        let lost = json!({"type": "move", "date": "2024-04-01", "parent_id": 999_999});
        let (status, _, v) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "*").json(&lost)).await;
        assert_eq!((status, fields(&v)), (422, vec!["parent_id".to_owned()]), "{v}");
        let under_itself = json!({"type": "move", "date": "2024-04-01", "parent_id": kp3});
        let (status, _, v) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "*").json(&under_itself)).await;
        assert_eq!((status, fields(&v)), (422, vec!["parent_id".to_owned()]), "a cell under a cell: {v}");
        let reclassify = json!({"type": "reclassify", "date": "2024-04-01", "kind": "chi_bo_truc_thuoc", "category": "dn_ngoai_nha_nuoc"});
        let (status, _, c) = answer(app.api(Method::POST, &format!("/orgs/{kp5}/changes"), &t).header("If-Match", "\"2\"").json(&reclassify)).await;
        assert_eq!((status, c["category"].as_str()), (200, Some("dn_ngoai_nha_nuoc")), "{c}");
        let merge = json!({"into_id": kp3, "date": "2024-06-01", "decision_no": "20-QĐ/ĐU"});
        let (status, _, v) = answer(app.api(Method::POST, &format!("/orgs/{kp9}/merge"), &t).header("If-Match", "\"1\"").json(&merge)).await;
        assert_eq!((status, v["id"].as_i64()), (200, Some(kp3)), "{v}");
        let (status, _, v) = answer(app.api(Method::GET, &format!("/orgs/{kp9}"), &t)).await;
        assert_eq!(status, 404, "merged away: {v}");

        // The ward's own administrator may build under it, not found another top organization.
        let hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
        let keeper = NewAccount {
            login: "cuaong".into(),
            display_name: "Đảng ủy".into(),
            password_hash: hash,
            role: Role::OrgAdmin,
            org_id: Some(ward_id),
            member_id: None,
        };
        app.db.store.operator("cli").create_account(keeper).await.unwrap();
        let k = app.token("cuaong", None, false).await;
        let top = json!({"code": "HL", "name": "Đảng bộ phường Hà Lầm", "kind": "dang_bo_co_so", "category": "xa_phuong", "founded_on": "2020-01-01"});
        let (status, _, v) = answer(app.api(Method::POST, "/orgs", &k).json(&top)).await;
        assert_eq!((status, v["code"].as_str()), (403, Some("top_org_needs_whole_tree")), "{v}");
        let (status, _, _) = answer(app.api(Method::POST, "/orgs", &t).json(&top)).await;
        assert_eq!(status, 201);
        let other = answer(app.api(Method::GET, "/orgs?q=HL", &t)).await.2["items"][0]["id"].as_i64().unwrap();
        let (status, _, v) = answer(app.api(Method::POST, "/orgs", &k).json(&json!({"code": "HL.1", "name": "Chi bộ 1", "kind": "chi_bo_truc_thuoc",
            "category": "khu_dan_cu", "parent_id": other, "founded_on": "2020-01-01"})))
        .await;
        assert_eq!((status, fields(&v)), (422, vec!["parent_id".to_owned()]), "a parent outside the scope: {v}");

        // Members, registered through the API.
        let member = |name: &str, cccd: &str, kind: &str, date: &str, cell: i64| {
            json!({"profile": {"full_name": name, "gender": "nu", "birth_date": "1980-05-01", "cccd": cccd},
                   "first_event": {"type": kind, "date": date, "cell_id": cell, "decision_no": "3-QĐ/ĐU"}})
        };
        let probation_from = (chibo_domain::calendar::Clock::system().today() - chrono::Duration::days(60)).format("%Y-%m-%d").to_string();
        for (name, cccd, kind, date, cell) in [
            ("Nguyễn Thị Lan", "022180000001", "registered_official", "2020-02-01", kp3),
            ("Trần Thị Mai", "022180000002", "registered_official", "2020-02-01", kp3),
            ("Lê Thị Hồng", "022180000003", "registered_official", "2020-02-01", kp3),
            ("Phạm Thị Thu", "022180000004", "admitted", probation_from.as_str(), kp5),
        ] {
            let (status, _, m) = answer(app.api(Method::POST, "/members", &k).json(&member(name, cccd, kind, date, cell))).await;
            assert_eq!(status, 201, "{name}: {m}");
        }

        // The ward's dashboard counts what was built.
        let (status, _, dash) = answer(app.api(Method::GET, &format!("/orgs/{ward_id}/dashboard"), &k)).await;
        assert_eq!(status, 200, "{dash}");
        let got: Vec<i64> =
            ["members.total", "members.official", "members.probationary", "orgs.direct_children", "orgs.by_kind.chi_bo_truc_thuoc", "orgs.small_cells"]
                .iter()
                .map(|key| figure(&dash, key))
                .collect();
        // Khu phố 5A has one probationary member and no official one: a cell too small.
        assert_eq!(got, vec![4, 3, 1, 2, 2, 1], "{dash}");
        // Before the merger the ward had three cells.
        let (_, _, past) = answer(app.api(Method::GET, &format!("/orgs/{ward_id}/dashboard?as_of=2024-05-31"), &k)).await;
        assert_eq!((figure(&past, "orgs.direct_children"), figure(&past, "members.total")), (3, 3), "{past}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_founds_the_first_organization_on_the_page() {
    for db in engines().await {
        let app = TestApp::start_with(db, WebConfig::default(), false).await;
        first_admin(&app).await;
        let c = app.login("admin").await;
        let tree = c.get(format!("{}/orgs", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(tree.contains("Chưa có tổ chức nào") && tree.contains("href=\"/orgs/new\""), "{tree}");
        let form = c.get(format!("{}/orgs/new", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("Thành lập tổ chức cấp trên cùng") && form.contains("Số quyết định"), "{form}");
        let csrf = crate::helpers::hidden(&form, "_csrf");
        let mut fields = vec![
            ("_csrf", csrf.as_str()),
            ("code", "CO"),
            ("name", "Đảng bộ phường Cửa Ông"),
            ("kind", "dang_bo_co_so"),
            ("category", "xa_phuong"),
            ("founded_on", "01/01/2099"),
            ("decision_no", "1-QĐ/TU"),
        ];
        // A founding in the future is refused beside its field, with what was typed kept.
        let again = c.post(format!("{}/orgs/new", app.base)).form(&fields).send().await.unwrap().text().await.unwrap();
        assert!(again.contains("Ngày thành lập: ngày 01/01/2099") && again.contains("value=\"Đảng bộ phường Cửa Ông\""), "{again}");
        fields[5] = ("founded_on", "01/01/2020");
        let r = c.post(format!("{}/orgs/new", app.base)).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = c.get(format!("{}{}", app.base, r.headers()["location"].to_str().unwrap())).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<h1>Đảng bộ phường Cửa Ông</h1>") && page.contains("1-QĐ/TU"), "{page}");
        let tree = c.get(format!("{}/orgs", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(!tree.contains("Chưa có tổ chức nào") && tree.contains("Đảng bộ phường Cửa Ông"));
        app.stop().await;
    }
}
