//! The JSON API: scope on every endpoint, ETags and If-Match, problem details with field
//! lists, tokens (revoked, read-only, narrowed), limits, cursor paging, and the same figures
//! as `chibo stats` and the pages.

use crate::helpers::{TestApp, engines};
use reqwest::Method;
use serde_json::{Value, json};

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

async fn body(r: reqwest::Response) -> (u16, String, Value) {
    let status = r.status().as_u16();
    let ctype = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let v = r.json::<Value>().await.unwrap_or(Value::Null);
    (status, ctype, v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_keeps_to_the_tokens_scope() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        // The viewer of Cẩm Phả: Thành (Cửa Ông, Cẩm Phả) is inside, Hoa (Hạ Long) outside.
        let t = app.token("campha", None, false).await;
        let inside = [
            format!("/members/{}", i.thanh),
            format!("/members/{}/events", i.thanh),
            format!("/orgs/{}", i.cell_a1),
            format!("/orgs/{}/children", i.ward_a),
            format!("/orgs/{}/stats", i.district_a),
            format!("/orgs/{}/subtree?depth=3", i.district_a),
            format!("/members?under={}", i.cell_a1),
        ];
        let outside = [
            format!("/members/{}", i.hoa),
            format!("/members/{}/events", i.hoa),
            format!("/orgs/{}", i.cell_b1),
            format!("/orgs/{}/children", i.district_b),
            format!("/orgs/{}/stats", i.province),
            format!("/orgs/{}/subtree", i.province),
            format!("/members?under={}", i.cell_b1),
            format!("/members/{}", i.nam),
        ];
        for p in &inside {
            assert_eq!(app.api(Method::GET, p, &t).send().await.unwrap().status(), 200, "{p}");
        }
        for p in &outside {
            let (status, ctype, v) = body(app.api(Method::GET, p, &t).send().await.unwrap()).await;
            assert_eq!((status, ctype.as_str(), v["code"].as_str()), (404, "application/problem+json", Some("not_found")), "{p}");
        }
        // Writes outside the scope are not found either, and change nothing.
        let profile = json!({"full_name": "Phạm Thị Hoa", "gender": "nu", "birth_date": "08/03/1990", "cccd": "022190000000"});
        let r = app.api(Method::PUT, &format!("/members/{}", i.hoa), &t).header("If-Match", "\"1\"").json(&profile).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let ev = json!({"type": "died", "date": "2026-01-01"});
        assert_eq!(app.api(Method::POST, &format!("/members/{}/events", i.hoa), &t).header("If-Match", "\"1\"").json(&ev).send().await.unwrap().status(), 404);
        let new = json!({"profile": {"full_name": "Vũ Văn Long", "gender": "nam", "birth_date": "1990-01-01"}, "first_event": {"type": "admitted", "date": "2026-01-01", "cell_id": i.cell_b1}});
        let secretary = app.token("bithu.kp3", None, false).await;
        assert_eq!(app.api(Method::POST, "/members", &secretary).json(&new).send().await.unwrap().status(), 404);
        let r = app.api(Method::PUT, &format!("/members/{}", i.hung), &secretary).header("If-Match", "\"1\"").json(&profile).send().await.unwrap();
        assert_eq!(r.status(), 404, "another cell of the same ward");
        // Inside the scope but read-only: refused with 403.
        let r = app.api(Method::PUT, &format!("/members/{}", i.thanh), &t).header("If-Match", "\"1\"").json(&profile).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // The audit log holds only records of the scope.
        let (_, _, log) = body(app.api(Method::GET, "/audit?entity=member&limit=200", &t).send().await.unwrap()).await;
        let names: Vec<&str> = log["items"].as_array().unwrap().iter().filter_map(|e| e["after"]["profile"]["full_name"].as_str()).collect();
        assert!(names.contains(&"Nguyễn Văn Thành") && !names.contains(&"Phạm Thị Hoa"), "{names:?}");
        let hoa = app.db.store.operator("t").member(i.hoa).await.unwrap();
        assert_eq!((hoa.version, hoa.profile.cccd.unwrap().as_str()), (1, "022190007654"));
        // A member's token reads only their own record.
        let own = app.token("thanh", None, false).await;
        assert_eq!(app.api(Method::GET, &format!("/members/{}", i.thanh), &own).send().await.unwrap().status(), 200);
        assert_eq!(app.api(Method::GET, &format!("/members/{}", i.hung), &own).send().await.unwrap().status(), 404);
        assert_eq!(app.api(Method::GET, "/members", &own).send().await.unwrap().status(), 404);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_need_the_current_etag_and_report_every_wrong_field() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let t = app.token("bithu.kp3", None, false).await;
        let url = format!("/members/{}", app.ids.thanh);
        let r = app.api(Method::GET, &url, &t).send().await.unwrap();
        assert_eq!(r.headers()["etag"], "\"1\"");
        let good = json!({"full_name": "Nguyễn Văn Thành", "gender": "nam", "birth_date": "1958-04-12", "cccd": "022058001234", "phone": "0912345678"});
        // Without If-Match: 428; with a stale one: 412; nothing changes either way.
        assert_eq!(app.api(Method::PUT, &url, &t).json(&good).send().await.unwrap().status(), 428);
        let (status, _, v) = body(app.api(Method::PUT, &url, &t).header("If-Match", "\"7\"").json(&good).send().await.unwrap()).await;
        assert_eq!((status, v["code"].as_str()), (412, Some("stale_version")));
        assert!(v["detail"].as_str().unwrap().contains("bản ghi đã được người khác sửa"));
        let s = app.db.store.operator("t");
        assert_eq!(s.member(app.ids.thanh).await.unwrap().version, 1);
        // Every wrong field, named, in Vietnamese.
        let bad = json!({"full_name": "", "gender": "x", "birth_date": "31/02/1958", "cccd": "12345"});
        let (status, ctype, v) = body(app.api(Method::PUT, &url, &t).header("If-Match", "\"1\"").json(&bad).send().await.unwrap()).await;
        assert_eq!((status, ctype.as_str()), (422, "application/problem+json"));
        let fields: Vec<&str> = v["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["full_name", "gender", "birth_date", "cccd"]);
        assert_eq!(v["errors"][3]["message"], "Số CCCD: số CCCD phải gồm đúng 12 chữ số (đang có 5 ký tự)");
        assert_eq!(v["errors"][3]["code"], "cccd_format");
        // The current ETag: saved, a new ETag back.
        let r = app.api(Method::PUT, &url, &t).header("If-Match", "\"1\"").json(&good).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["etag"].to_str().unwrap()), (200, "\"2\""));
        // An event: a future date is refused with the field named.
        let (status, _, v) = body(
            app.api(Method::POST, &format!("{url}/events"), &t)
                .header("If-Match", "\"2\"")
                .json(&json!({"type": "exempted", "date": "2099-01-01"}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, v["errors"][0]["field"].as_str()), (422, Some("date")));
        let r = app
            .api(Method::POST, &format!("{url}/events"), &t)
            .header("If-Match", "\"2\"")
            .json(&json!({"type": "exempted", "date": "2026-01-05", "decision_no": "9-QĐ/ĐU", "until": "2026-06-30", "issued_by": "Đảng ủy phường"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let (_, _, events) = body(app.api(Method::GET, &format!("{url}/events"), &t).send().await.unwrap()).await;
        assert_eq!(events.as_array().unwrap().last().unwrap()["type"], "exempted");
        // The exemption's period reaches the to-do list, as a page-recorded one would.
        let (_, _, todo) = body(app.api(Method::GET, "/todo", &t).send().await.unwrap()).await;
        let line = todo.as_array().unwrap().iter().find(|l| l["kind"] == "exemption_ending").expect("the exemption's end is to do");
        assert_eq!((line["due"].as_str(), line["label"].as_str()), (Some("2026-06-30"), Some("Đã hết thời hạn miễn sinh hoạt")), "{line}");
        // The same rules as the page: an end date only for an exemption; a transfer out only
        // with its letter.
        for bad in [json!({"type": "suspended", "date": "2026-01-06", "until": "2026-06-30"}), json!({"type": "transferred_out", "date": "2026-01-06"})] {
            let r = app.api(Method::POST, &format!("{url}/events"), &t).header("If-Match", "\"3\"").json(&bad).send().await.unwrap();
            assert!(r.status().is_client_error(), "{bad}: {}", r.status());
        }
        let (_, _, after) = body(app.api(Method::GET, &url, &t).send().await.unwrap()).await;
        assert_eq!(after["status"], "exempt", "nothing was recorded");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_narrowed_and_read_only_tokens_do_what_they_say() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let t = app.token("quangninh", None, false).await;
        assert_eq!(app.api(Method::GET, "/members", &t).send().await.unwrap().status(), 200);
        assert_eq!(app.api(Method::GET, "/members", "not-a-token").send().await.unwrap().status(), 401);
        assert_eq!(app.client().get(format!("{}/api/v1/members", app.base)).send().await.unwrap().status(), 401);
        let (account, _) = app.db.store.account_for_login("quangninh").await.unwrap().unwrap();
        let id = app.db.store.api_tokens(account.id).await.unwrap()[0].id;
        app.db.store.revoke_api_token(&account, id).await.unwrap();
        let (status, _, v) = body(app.api(Method::GET, "/members", &t).send().await.unwrap()).await;
        assert_eq!((status, v["code"].as_str()), (401, Some("unauthorized")));
        // Narrowed to Hạ Long: Cẩm Phả's members are out of reach although the owner sees them.
        let narrow = app.token("quangninh", Some(app.ids.district_b), false).await;
        assert_eq!(app.api(Method::GET, &format!("/members/{}", app.ids.hoa), &narrow).send().await.unwrap().status(), 200);
        assert_eq!(app.api(Method::GET, &format!("/members/{}", app.ids.thanh), &narrow).send().await.unwrap().status(), 404);
        // Read-only: reads work, writes are refused.
        let ro = app.token("quangninh", None, true).await;
        assert_eq!(app.api(Method::GET, &format!("/members/{}", app.ids.thanh), &ro).send().await.unwrap().status(), 200);
        let r = app
            .api(Method::POST, &format!("/members/{}/events", app.ids.thanh), &ro)
            .header("If-Match", "\"1\"")
            .json(&json!({"type": "exempted", "date": "2026-01-05"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // A narrowing outside the owner's own scope cannot be made.
        let (viewer, _) = app.db.store.account_for_login("campha").await.unwrap().unwrap();
        assert!(app.db.store.create_api_token(&viewer, "x", "hash-x", Some(app.ids.district_b), true).await.is_err());
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_problems_never_server_errors() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let t = app.token("quangninh", None, false).await;
    let put = |b: reqwest::Body| {
        app.api(Method::PUT, &format!("/members/{}", app.ids.thanh), &t).header("If-Match", "\"1\"").header("content-type", "application/json").body(b)
    };
    let cases: Vec<(&str, reqwest::RequestBuilder, u16)> = vec![
        ("malformed JSON", put("{\"full_name\": ".into()), 400),
        ("wrong type", put("{\"full_name\": 12}".into()), 422),
        ("unknown field", put("{\"full_name\": \"A\", \"admin\": true}".into()), 422),
        ("invalid UTF-8", put(vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}'].into()), 400),
        ("too large", put(format!("{{\"full_name\": \"{}\"}}", "a".repeat(200_000)).into()), 413),
        ("not JSON", app.api(Method::PUT, &format!("/members/{}", app.ids.thanh), &t).header("If-Match", "\"1\"").body("x"), 415),
        ("huge id", app.api(Method::GET, "/members/99999999999999999999999", &t), 400),
        ("id not a number", app.api(Method::GET, "/members/abc", &t), 400),
        ("limit too large", app.api(Method::GET, "/members?limit=100000", &t), 400),
        ("negative limit", app.api(Method::GET, "/members?limit=-1", &t), 400),
        ("unknown parameter", app.api(Method::GET, "/members?admin=1", &t), 400),
        ("bad cursor", app.api(Method::GET, "/members?cursor=zzz", &t), 400),
        ("bad date", app.api(Method::GET, &format!("/orgs/{}/stats?as_of=31/02/2021", app.ids.province), &t), 400),
        ("no such route", app.api(Method::GET, "/nothing", &t), 404),
        (
            "huge event date",
            app.api(Method::POST, &format!("/members/{}/events", app.ids.thanh), &t)
                .header("If-Match", "\"1\"")
                .json(&json!({"type": "died", "date": "99999-99-99"})),
            422,
        ),
    ];
    for (what, req, expected) in cases {
        let (status, ctype, v) = body(req.send().await.unwrap()).await;
        assert_eq!(status, expected, "{what}: {v}");
        assert_eq!(ctype, "application/problem+json", "{what}");
        assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()) && v["detail"].is_string(), "{what}: {v}");
    }
    let m = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
    assert_eq!(m.version, 1, "nothing was written");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_pages_cover_every_member_once_in_vietnamese_order() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let t = app.token("admin", None, false).await;
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                Some(c) => format!("/members?under={}&limit=2&cursor={c}", app.ids.province),
                None => format!("/members?under={}&limit=2", app.ids.province),
            };
            let (status, _, v) = body(app.api(Method::GET, &path, &t).send().await.unwrap()).await;
            assert_eq!(status, 200);
            seen.extend(v["items"].as_array().unwrap().iter().map(|m| m["profile"]["full_name"].as_str().unwrap().to_owned()));
            match v["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, vec!["Phạm Thị Hoa", "Lê Văn Hùng", "Trần Thị Lan", "Nguyễn Văn Thành"]);
        let (_, _, before) = body(app.api(Method::GET, &format!("/members?under={}&as_of=2009-12-31", app.ids.province), &t).send().await.unwrap()).await;
        assert_eq!(before["items"].as_array().unwrap().len(), 0, "nobody was registered yet");
        // The to-do list: every fixture cell has fewer than three official members.
        let (_, _, todo) = body(app.api(Method::GET, "/todo", &t).send().await.unwrap()).await;
        let small: Vec<&str> = todo.as_array().unwrap().iter().filter(|i| i["kind"] == "cell_too_small").map(|i| i["name"].as_str().unwrap()).collect();
        assert!(small.contains(&"Chi bộ khu phố 3") && small.contains(&"Chi bộ khu 1"), "{small:?}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_gives_the_same_figures_as_chibo_stats_and_the_home_page() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let t = app.token("admin", None, false).await;
        for org in [app.ids.province, app.ids.district_a, app.ids.ward_a, app.ids.cell_b1] {
            for on in [today(), chrono::NaiveDate::from_ymd_opt(2015, 6, 30).unwrap()] {
                let (_, _, v) = body(app.api(Method::GET, &format!("/orgs/{org}/stats?as_of={on}"), &t).send().await.unwrap()).await;
                // `chibo stats` prints the store's rollup.
                let s = app.db.store.operator("cli").org_stats(org, on).await.unwrap();
                let cli = serde_json::to_value(&s).unwrap();
                for k in ["members", "official", "probationary", "women", "direct_children", "grassroots_orgs", "cells_under_grassroots"] {
                    assert_eq!(v[k], cli[k], "{k} of {org} on {on}");
                }
            }
        }
        // The home page of the province's administrator shows the same member count.
        let c = app.login("quangninh").await;
        let home = c.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap();
        let (_, _, v) = body(app.api(Method::GET, &format!("/orgs/{}/stats", app.ids.province), &t).send().await.unwrap()).await;
        assert!(home.contains(&format!("<span class=\"figure-value\">{}</span> <span class=\"figure-label\">Đảng viên</span>", v["members"])));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_rate_limited_per_minute() {
    let db = chibo_store::testing::sqlite().await;
    let config = chibo_web::WebConfig { api_per_minute: 3, ..Default::default() };
    let app = TestApp::start_with(db, config, true).await;
    let t = app.token("admin", None, false).await;
    for _ in 0..3 {
        assert_eq!(app.api(Method::GET, "/orgs", &t).send().await.unwrap().status(), 200);
    }
    let r = app.api(Method::GET, "/orgs", &t).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    // Another token is not affected.
    let other = app.token("admin", None, true).await;
    assert_eq!(app.api(Method::GET, "/orgs", &other).send().await.unwrap().status(), 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_description_lists_every_operation() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let doc: Value = app.client().get(format!("{}/api/v1/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    ops.sort();
    assert_eq!(
        ops,
        vec![
            "GET /api/v1/admissions",
            "GET /api/v1/admissions/{id}",
            "GET /api/v1/audit",
            "GET /api/v1/meetings/{id}",
            "GET /api/v1/members",
            "GET /api/v1/members/{id}",
            "GET /api/v1/members/{id}/events",
            "GET /api/v1/orgs",
            "GET /api/v1/orgs/{id}",
            "GET /api/v1/orgs/{id}/children",
            "GET /api/v1/orgs/{id}/committee",
            "GET /api/v1/orgs/{id}/dashboard",
            "GET /api/v1/orgs/{id}/meetings",
            "GET /api/v1/orgs/{id}/meetings/attendance",
            "GET /api/v1/orgs/{id}/stats",
            "GET /api/v1/orgs/{id}/subtree",
            "GET /api/v1/orgs/{id}/terms",
            "GET /api/v1/regulations/{id}/file",
            "GET /api/v1/todo",
            "GET /api/v1/transfers",
            "GET /api/v1/transfers/{id}",
            "POST /api/v1/admissions",
            "POST /api/v1/admissions/{id}/steps",
            "POST /api/v1/meetings/{id}/amendments",
            "POST /api/v1/meetings/{id}/cancel",
            "POST /api/v1/meetings/{id}/notify",
            "POST /api/v1/meetings/{id}/rating",
            "POST /api/v1/meetings/{id}/sign",
            "POST /api/v1/members",
            "POST /api/v1/members/{id}/events",
            "POST /api/v1/members/{id}/posts",
            "POST /api/v1/members/{id}/transfers",
            "POST /api/v1/orgs",
            "POST /api/v1/orgs/{id}/changes",
            "POST /api/v1/orgs/{id}/meetings",
            "POST /api/v1/orgs/{id}/merge",
            "POST /api/v1/orgs/{id}/terms",
            "POST /api/v1/seats/{id}/approve",
            "POST /api/v1/seats/{id}/end",
            "POST /api/v1/terms/{id}/regulations",
            "POST /api/v1/terms/{id}/seats",
            "POST /api/v1/transfers/{id}/accept",
            "POST /api/v1/transfers/{id}/refuse",
            "PUT /api/v1/meetings/{id}",
            "PUT /api/v1/meetings/{id}/attendance",
            "PUT /api/v1/meetings/{id}/minutes",
            "PUT /api/v1/members/{id}",
        ]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subtree_reads_the_tree_as_it_stood() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let t = app.token("admin", None, false).await;
    let (_, _, v) = body(app.api(Method::GET, &format!("/orgs/{}/subtree?depth=3", app.ids.province), &t).send().await.unwrap()).await;
    let names: Vec<&str> = v["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        vec![
            "Đảng bộ tỉnh Quảng Ninh",
            "Đảng bộ thành phố Cẩm Phả",
            "Đảng bộ phường Cửa Ông",
            "Chi bộ khu phố 3",
            "Chi bộ khu phố 10",
            "Đảng bộ thành phố Hạ Long",
            "Đảng bộ phường Bãi Cháy",
            "Chi bộ khu 1",
        ]
    );
    assert_eq!(v["items"][1]["kind"], "tren_co_so");
    // Before the organizations were founded there was nothing to read.
    let (status, _, _) = body(app.api(Method::GET, &format!("/orgs/{}/subtree?as_of=1999-12-31", app.ids.province), &t).send().await.unwrap()).await;
    assert_eq!(status, 404);
    let (_, _, page) = body(app.api(Method::GET, &format!("/orgs/{}/subtree?depth=3&limit=5", app.ids.province), &t).send().await.unwrap()).await;
    assert_eq!((page["items"].as_array().unwrap().len(), page["next_cursor"].as_str()), (5, Some("5")));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_creates_a_token_on_the_page_sees_it_once_and_revokes_it() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let c = app.login("campha").await;
    let page = c.get(format!("{}/tokens", app.base)).send().await.unwrap().text().await.unwrap();
    let csrf = crate::helpers::hidden(&page, "_csrf");
    let created = c
        .post(format!("{}/tokens", app.base))
        .form(&[("_csrf", csrf.as_str()), ("name", "Cổng thông tin"), ("org", "cua ong"), ("read_only", "1")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = created.split("<code id=\"new-token\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert!(created.contains("Cổng thông tin") && created.contains("Chỉ đọc") && created.contains("Đảng bộ phường Cửa Ông"));
    // Shown once: the list does not show it again.
    assert!(!c.get(format!("{}/tokens", app.base)).send().await.unwrap().text().await.unwrap().contains(&token));
    assert_eq!(app.api(Method::GET, &format!("/members/{}", app.ids.thanh), &token).send().await.unwrap().status(), 200);
    let (account, _) = app.db.store.account_for_login("campha").await.unwrap().unwrap();
    let id = app.db.store.api_tokens(account.id).await.unwrap()[0].id;
    let r = c.post(format!("{}/tokens/{id}/revoke", app.base)).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(app.api(Method::GET, &format!("/members/{}", app.ids.thanh), &token).send().await.unwrap().status(), 401);
    let log = c.get(format!("{}/audit?entity=token", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(log.contains("Thu hồi mã truy cập API") && log.contains("Tạo mã truy cập API"));
    app.stop().await;
}

async fn etag_of(app: &TestApp, path: &str, token: &str) -> String {
    let r = app.api(Method::GET, path, token).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.headers()["etag"].to_str().unwrap().to_owned()
}

async fn step(app: &TestApp, case: i64, token: &str, body: Value) -> (u16, Value) {
    let tag = etag_of(app, &format!("/admissions/{case}"), token).await;
    let (status, _, v) =
        body_of(app.api(Method::POST, &format!("/admissions/{case}/steps"), token).header("If-Match", tag).json(&body).send().await.unwrap()).await;
    (status, v)
}

async fn body_of(r: reqwest::Response) -> (u16, String, Value) {
    body(r).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_candidate_becomes_an_official_member_through_the_api_and_a_transfer_keeps_the_counts() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        let t = app.token("bithu.kp3", None, false).await;
        let new = json!({"profile": {"full_name": "Đinh Văn Minh", "gender": "nam", "birth_date": "2001-03-15"}, "first_event": {"type": "candidate", "date": "2024-06-01", "cell_id": i.cell_a1}});
        let (status, _, m) = body(app.api(Method::POST, "/members", &t).json(&new).send().await.unwrap()).await;
        assert_eq!(status, 201, "{m}");
        let minh = m["id"].as_i64().unwrap();
        let (_, _, lan) = body(app.api(Method::GET, &format!("/members?under={}&q=tran+thi+lan", i.cell_a1), &t).send().await.unwrap()).await;
        let lan = lan["items"][0]["id"].as_i64().unwrap();
        let file = |member: i64, introducers: [i64; 2]| {
            json!({"member_id": member, "certificate_no": "GCN-7/2024", "certificate_date": "2024-10-01", "applied_on": "2025-01-10",
                   "introducer_ids": introducers, "known_since": ["2020-01-01", "2021-06-01"]})
        };
        let (status, _, case) = body(app.api(Method::POST, "/admissions", &t).json(&file(minh, [i.thanh, lan])).send().await.unwrap()).await;
        assert_eq!(status, 201, "{case}");
        let case = case["id"].as_i64().unwrap();
        // The cell votes on a complete file only: first the background form and the vetting.
        let (s, v) = step(&app, case, &t, json!({"step": "vote", "date": "2025-02-10", "votes_for": 2, "votes_against": 0})).await;
        assert_eq!((s, v["errors"][0]["code"].as_str(), v["errors"][1]["field"].as_str()), (422, Some("file_incomplete"), Some("vetted_on")), "{v}");
        // A negative count is refused whatever the step, even one that takes no votes.
        let (s, v) = step(&app, case, &t, json!({"step": "vetting", "background_on": "2025-01-20", "date": "2025-02-01", "votes_against": -1})).await;
        assert_eq!((s, v["errors"][0]["field"].as_str()), (422, Some("votes_against")), "{v}");
        let (s, v) = step(&app, case, &t, json!({"step": "vetting", "background_on": "2025-01-20", "date": "2025-02-01"})).await;
        assert_eq!((s, v["vetted_on"].as_str()), (200, Some("2025-02-01")), "{v}");
        // Both official members of the cell vote for: 2 of 2.
        let (s, v) = step(&app, case, &t, json!({"step": "vote", "date": "2025-02-10", "votes_for": 2, "votes_against": 0})).await;
        assert_eq!((s, v["stage"].as_str(), v["vote"]["official_total"].as_i64()), (200, Some("voted"), Some(2)), "{v}");
        // A step without If-Match is refused (428); the ceremony before the decision is refused (422).
        let r = app.api(Method::POST, &format!("/admissions/{case}/steps"), &t).json(&json!({"step": "ceremony", "date": "2025-03-01"})).send().await.unwrap();
        assert_eq!(r.status(), 428);
        let (s, v) = step(&app, case, &t, json!({"step": "ceremony", "date": "2025-03-01"})).await;
        assert_eq!((s, v["errors"][0]["code"].as_str()), (422, Some("step_out_of_order")), "{v}");
        let (s, v) =
            step(&app, case, &t, json!({"step": "decision", "date": "2025-02-20", "decision_no": "15-QĐ/ĐU", "issued_by": "Đảng ủy phường Cửa Ông"})).await;
        assert_eq!((s, v["stage"].as_str()), (200, Some("decided")), "{v}");
        let (_, _, m) = body(app.api(Method::GET, &format!("/members/{minh}"), &t).send().await.unwrap()).await;
        assert_eq!((m["status"].as_str(), m["admitted_on"].as_str()), (Some("probationary"), Some("2025-02-20")), "{m}");

        // A probationary member cannot introduce: the refusal names the field and the person.
        let other = json!({"profile": {"full_name": "Lý Thị Thu", "gender": "nu", "birth_date": "2000-01-01"}, "first_event": {"type": "candidate", "date": "2024-06-01", "cell_id": i.cell_a1}});
        let (_, _, thu) = body(app.api(Method::POST, "/members", &t).json(&other).send().await.unwrap()).await;
        let (status, _, v) =
            body(app.api(Method::POST, "/admissions", &t).json(&file(thu["id"].as_i64().unwrap(), [i.thanh, minh])).send().await.unwrap()).await;
        assert_eq!(
            (status, v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()),
            (422, Some("introducer_ids"), Some("introducer_not_official")),
            "{v}"
        );
        assert!(v["errors"][0]["message"].as_str().unwrap().contains("Đinh Văn Minh"), "{v}");

        let (s, _) = step(&app, case, &t, json!({"step": "ceremony", "date": "2025-03-01"})).await;
        assert_eq!(s, 200);
        let (s, v) = step(&app, case, &t, json!({"step": "recognition_vote", "date": "2026-03-02", "votes_for": 2, "votes_against": 0})).await;
        assert_eq!((s, v["stage"].as_str()), (200, Some("recognition_voted")), "{v}");
        let (s, v) = step(
            &app,
            case,
            &t,
            json!({"step": "recognition_decision", "date": "2026-03-10", "decision_no": "40-QĐ/ĐU", "issued_by": "Đảng ủy phường Cửa Ông"}),
        )
        .await;
        assert_eq!((s, v["stage"].as_str()), (200, Some("official")), "{v}");
        let (_, _, m) = body(app.api(Method::GET, &format!("/members/{minh}"), &t).send().await.unwrap()).await;
        assert_eq!((m["status"].as_str(), m["official_on"].as_str()), (Some("official"), Some("2026-03-01")), "{m}");

        // Minh moves to Bãi Cháy: in transit, then accepted by the province's staff.
        let stats = async |org: i64, on: &str| {
            let (_, _, v) =
                body(app.api(Method::GET, &format!("/orgs/{org}/stats?as_of={on}"), &app.token("admin", None, true).await).send().await.unwrap()).await;
            (v["members"].as_i64().unwrap(), v["in_transit"].as_i64().unwrap())
        };
        let tag = etag_of(&app, &format!("/members/{minh}"), &t).await;
        let letter =
            json!({"kind": "permanent", "to_org_id": i.cell_b1, "letter_no": "31-GGT/ĐU", "letter_date": "2026-10-01", "fees_paid_through": "09/2026"});
        let (status, _, tr) =
            body(app.api(Method::POST, &format!("/members/{minh}/transfers"), &t).header("If-Match", tag).json(&letter).send().await.unwrap()).await;
        assert_eq!((status, tr["state"].as_str()), (201, Some("pending")), "{tr}");
        let tr = tr["id"].as_i64().unwrap();
        assert_eq!(stats(i.cell_a1, "2026-10-05").await, (2, 1));
        assert_eq!(stats(i.cell_b1, "2026-10-05").await, (1, 0));
        // The sending secretary cannot accept; the province can.
        let tag = etag_of(&app, &format!("/transfers/{tr}"), &t).await;
        let accept = json!({"cell_id": i.cell_b1, "date": "2026-10-10"});
        assert_eq!(app.api(Method::POST, &format!("/transfers/{tr}/accept"), &t).header("If-Match", &tag).json(&accept).send().await.unwrap().status(), 404);
        let qn = app.token("quangninh", None, false).await;
        let (_, _, todo) = body(app.api(Method::GET, "/todo", &qn).send().await.unwrap()).await;
        assert!(todo.as_array().unwrap().iter().any(|l| l["kind"] == "transfer_waiting" && l["transfer_id"] == tr), "{todo}");
        let (status, _, v) =
            body(app.api(Method::POST, &format!("/transfers/{tr}/accept"), &qn).header("If-Match", &tag).json(&accept).send().await.unwrap()).await;
        assert_eq!((status, v["state"].as_str()), (200, Some("accepted")), "{v}");
        assert_eq!(stats(i.cell_a1, "2026-10-10").await, (2, 0));
        assert_eq!(stats(i.cell_b1, "2026-10-10").await, (2, 0));
        assert_eq!(stats(i.province, "2026-10-05").await, (4, 1));
        assert_eq!(stats(i.province, "2026-10-10").await, (5, 0));

        // An arrival from outside is registered from the letter it brings; without the origin
        // it is refused, naming the field.
        let arrival = |origin: Option<&str>| {
            json!({"profile": {"full_name": "Mai Văn Sơn", "gender": "nam", "birth_date": "1988-02-02"},
                   "first_event": {"type": "arrival_official", "date": "2026-11-03", "cell_id": i.cell_a1, "decision_no": "88-GGT/ĐU", "origin": origin, "fees_paid_through": "10/2026"}})
        };
        let (status, _, v) = body(app.api(Method::POST, "/members", &t).json(&arrival(None)).send().await.unwrap()).await;
        assert_eq!((status, v["errors"][0]["field"].as_str()), (422, Some("first_event.origin")), "{v}");
        let (status, _, v) = body(app.api(Method::POST, "/members", &t).json(&arrival(Some("Đảng ủy Công an tỉnh Lạng Sơn"))).send().await.unwrap()).await;
        assert_eq!((status, v["status"].as_str()), (201, Some("official")), "{v}");
        let (_, _, list) = body(app.api(Method::GET, "/transfers?direction=in&state=done", &t).send().await.unwrap()).await;
        assert_eq!(list["items"][0]["kind"], "in", "{list}");
        assert_eq!(list["items"][0]["to_name"], "Chi bộ khu phố 3", "{list}");
    }
}
