//! What an outside probe found, closed: redirects only to this site, no copies of personal
//! data in caches, the audit log read like the lists of the past, sign-in guesses counted one
//! by one however many arrive at once.

use crate::helpers::{PASSWORD, TestApp, engines, hidden};
use chibo_domain::member::{MemberChange, MemberEvent};
use chibo_web::WebConfig;
use reqwest::Method;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_follows_only_paths_of_this_site() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let c = app.client();
    let cases = [
        ("/members?q=thanh", "/members?q=thanh"),
        ("/%09/evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example/", "/"),
        ("/a%0D%0ASet-Cookie:%20x=1", "/"),
        ("/%0A/evil.example", "/"),
        ("/%00", "/"),
        ("/members?q=Th%C3%A0nh", "/members?q=Th%C3%A0nh"),
    ];
    for (next, expected) in cases {
        let r = c.get(format!("{}/lang/en?next={next}", app.base)).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, expected), "{next}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_api_answers_and_downloads_are_never_cached_but_assets_are() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let c = app.login("quangninh").await;
    let token = app.token("quangninh", None, false).await;
    let no_store = |r: &reqwest::Response| r.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
    for path in ["/".to_owned(), format!("/members/{}", app.ids.thanh), format!("/export/members?org={}&format=csv", app.ids.cell_a1), "/login".to_owned()] {
        let r = c.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(no_store(&r).as_deref(), Some("no-store"), "{path}: {}", r.status());
    }
    let r = app.api(Method::GET, &format!("/members/{}", app.ids.thanh), &token).send().await.unwrap();
    assert_eq!((r.status().as_u16(), no_store(&r).as_deref()), (200, Some("no-store")));
    let css = c.get(format!("{}/assets/app.css", app.base)).send().await.unwrap();
    assert_ne!(no_store(&css).as_deref(), Some("no-store"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_withholds_the_personal_details_of_a_member_who_moved_away() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let s = app.db.store.operator("t");
        let thanh = s.member(app.ids.thanh).await.unwrap();
        let moved = MemberEvent { on: chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(), change: MemberChange::Moved { cell: app.ids.cell_a2 } };
        s.record_member_event(thanh.id, thanh.version, moved, None).await.unwrap();
        // The secretary of Khu phố 3 no longer has him: his record is not found, and the log
        // names him without his identity number.
        let token = app.token("bithu.kp3", None, true).await;
        assert_eq!(app.api(Method::GET, &format!("/members/{}", thanh.id), &token).send().await.unwrap().status(), 404);
        let log = app.api(Method::GET, "/audit?entity=member&limit=200", &token).send().await.unwrap().text().await.unwrap();
        assert!(log.contains("Nguyễn Văn Thành") && !log.contains("022058001234"), "{log}");
        let page = app.login("bithu.kp3").await.get(format!("{}/audit", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Nguyễn Văn Thành") && !page.contains("022058001234"));
        // The ward, which still has him, reads it.
        let ward = app.token("quangninh", None, true).await;
        assert!(app.api(Method::GET, "/audit?entity=member&limit=200", &ward).send().await.unwrap().text().await.unwrap().contains("022058001234"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_are_counted_one_by_one_and_the_owner_elsewhere_is_not_kept_out() {
    for db in engines().await {
        let mut config = WebConfig { trust_forwarded_for: true, ..WebConfig::default() };
        config.throttle.per_login = 5;
        config.throttle.per_addr = 1_000;
        let app = TestApp::start_with(db, config, true).await;
        let attacker = app.client();
        let page = attacker.get(format!("{}/login", app.base)).send().await.unwrap().text().await.unwrap();
        let csrf = hidden(&page, "_csrf");
        let guess = |password: &'static str, from: &'static str| {
            let req = attacker.post(format!("{}/login", app.base)).header("X-Forwarded-For", from).form(&[
                ("_csrf", csrf.as_str()),
                ("login", "campha"),
                ("password", password),
                ("next", "/"),
            ]);
            tokio::spawn(async move { req.send().await.unwrap() })
        };
        let guesses: Vec<_> = (0..29).map(|_| guess("doan-bua-mot-lan", "10.0.0.1")).collect();
        let mut statuses = Vec::new();
        for g in guesses {
            let r = g.await.unwrap();
            if r.status() == 429 {
                assert!(r.headers().contains_key("retry-after"));
                assert!(r.text().await.unwrap().contains("Đăng nhập sai quá nhiều lần; hãy thử lại sau"));
                statuses.push(429);
            } else {
                statuses.push(r.status().as_u16());
            }
        }
        assert_eq!(statuses.iter().filter(|&&s| s == 401).count(), 5, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 24, "{statuses:?}");
        // Even the right password waits at that address; the owner elsewhere signs in.
        assert_eq!(guess(PASSWORD, "10.0.0.1").await.unwrap().status(), 429);
        assert_eq!(guess(PASSWORD, "10.0.0.2").await.unwrap().status(), 303);
        // An administrator lifts the wait (`chibo user unlock campha`).
        assert_eq!(app.db.store.lift_sign_in_lock("campha").await.unwrap(), 1);
        // (A new client: signing in used up the first one's form token.)
        let owner = app.client();
        let page = owner.get(format!("{}/login", app.base)).send().await.unwrap().text().await.unwrap();
        let form = [("_csrf", hidden(&page, "_csrf")), ("login", "campha".into()), ("password", PASSWORD.into()), ("next", "/".into())];
        let r = owner.post(format!("{}/login", app.base)).header("X-Forwarded-For", "10.0.0.1").form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_control_and_invisible_only_text_is_refused_by_the_api_naming_the_field() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let token = app.token("quangninh", None, false).await;
        let url = format!("/members/{}", app.ids.thanh);
        for (body, field, code) in [
            (serde_json::json!({"full_name": "Nguyễn\u{0}Văn Thành", "gender": "nam", "birth_date": "1958-04-12"}), "full_name", "text_unprintable"),
            (serde_json::json!({"full_name": "\u{200B}\u{200B}", "gender": "nam", "birth_date": "1958-04-12"}), "full_name", "text_invisible"),
            (
                serde_json::json!({"full_name": "Nguyễn Văn Thành", "gender": "nam", "birth_date": "1958-04-12", "occupation": "Kỹ\u{1B}sư"}),
                "occupation",
                "text_unprintable",
            ),
        ] {
            let r = app.api(Method::PUT, &url, &token).header("If-Match", "\"1\"").json(&body).send().await.unwrap();
            assert_eq!(r.status(), 422);
            let v: serde_json::Value = r.json().await.unwrap();
            let e = v["errors"].as_array().unwrap().iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("{v}"));
            assert_eq!(e["code"], code, "{v}");
        }
        assert_eq!(app.db.store.operator("t").member(app.ids.thanh).await.unwrap().version, 1);
        app.stop().await;
    }
}
