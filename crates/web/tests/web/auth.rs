//! Signing in and out: wrong passwords, throttling, logout, timeouts, disabled accounts, the
//! first administrator's one-time set-up.

use crate::helpers::{PASSWORD, TestApp, engines, hidden};
use chibo_web::WebConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_is_refused_in_vietnamese_then_throttled() {
    for db in engines().await {
        let mut config = WebConfig::default();
        config.throttle.per_login = 3;
        config.throttle.per_addr = 1_000;
        let app = TestApp::start_with(db, config, true).await;
        let c = app.client();
        for _ in 0..3 {
            let r = app.try_login(&c, "bithu.kp3", "sai-mat-khau-roi").await;
            assert_eq!(r.status(), 401);
            assert!(r.text().await.unwrap().contains("Tên đăng nhập hoặc mật khẩu không đúng"));
        }
        // The fourth try is refused even with the right password, and says how long to wait.
        let r = app.try_login(&c, "bithu.kp3", PASSWORD).await;
        assert_eq!(r.status(), 429);
        let text = r.text().await.unwrap();
        assert!(text.contains("Đăng nhập sai quá nhiều lần; hãy thử lại sau ") && text.contains(" giây"), "{text}");
        // Other accounts are not affected.
        assert_eq!(app.try_login(&app.client(), "campha", PASSWORD).await.status(), 303);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_lifts_a_sign_in_wait_from_the_accounts_page() {
    for db in engines().await {
        let mut config = WebConfig::default();
        config.throttle.per_login = 2;
        config.throttle.per_addr = 1_000;
        let app = TestApp::start_with(db, config, true).await;
        let admin = app.login("quangninh").await;
        let page = admin.get(format!("{}/accounts", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("Đang chờ đăng nhập lại"), "nobody waits yet");
        for _ in 0..2 {
            assert_eq!(app.try_login(&app.client(), "bithu.kp3", "sai-mat-khau-roi").await.status(), 401);
        }
        assert_eq!(app.try_login(&app.client(), "bithu.kp3", PASSWORD).await.status(), 429);
        let page = admin.get(format!("{}/accounts", app.base)).send().await.unwrap().text().await.unwrap();
        let row = &page[page.find("bithu.kp3").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains("Đang chờ đăng nhập lại") && row.contains("Bỏ thời gian chờ"), "{row}");
        let action = row[row.find("action=\"/accounts/").unwrap() + 8..].split('"').next().unwrap();
        let action = row.split("action=\"").map(|a| a.split('"').next().unwrap()).find(|a| a.ends_with("/unlock")).unwrap_or(action).to_owned();
        let csrf = hidden(&page, "_csrf");
        // Someone who administers nothing cannot lift it.
        let other = app.login("campha").await;
        let other_csrf = app.csrf(&other).await;
        let r = other.post(format!("{}{action}", app.base)).form(&[("_csrf", other_csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(app.try_login(&app.client(), "bithu.kp3", PASSWORD).await.status(), 429, "still waiting");
        let r = admin.post(format!("{}{action}", app.base)).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        let page = admin.get(format!("{}{to}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Đã bỏ thời gian chờ đăng nhập của tài khoản «bithu.kp3»."), "{to}");
        assert!(!page.contains("Đang chờ đăng nhập lại"));
        assert_eq!(app.try_login(&app.client(), "bithu.kp3", PASSWORD).await.status(), 303);
        let log = admin.get(format!("{}/audit?entity=account", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(log.contains("Bỏ thời gian chờ đăng nhập"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cookie_is_http_only_and_logout_ends_the_session() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.client();
        let r = app.try_login(&c, "campha", PASSWORD).await;
        let cookie = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|v| v.starts_with("chibo_session=")).unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");
        let token = cookie.split(';').next().unwrap().to_owned();
        assert_eq!(c.get(format!("{}/members", app.base)).send().await.unwrap().status(), 200);
        let csrf = app.csrf(&c).await;
        let r = c.post(format!("{}/logout", app.base)).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        // The old token no longer opens anything, even when replayed by another client.
        let replay = app.client().get(format!("{}/members", app.base)).header("cookie", token).send().await.unwrap();
        assert_eq!(replay.status(), 303);
        assert!(replay.headers()["location"].to_str().unwrap().starts_with("/login"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_tls_the_cookie_is_secure() {
    let db = chibo_store::testing::sqlite().await;
    let app = TestApp::start(db).await;
    let c = app.client();
    let page = c.get(format!("{}/login", app.base)).header("X-Forwarded-Proto", "https").send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "_csrf");
    let r = c
        .post(format!("{}/login", app.base))
        .header("X-Forwarded-Proto", "https")
        .form(&[("_csrf", csrf.as_str()), ("login", "campha"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    let cookie = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).find(|v| v.starts_with("chibo_session=")).unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_expire() {
    let db = chibo_store::testing::sqlite().await;
    let mut config = WebConfig::default();
    config.session.idle = chrono::Duration::seconds(1);
    let app = TestApp::start_with(db, config, true).await;
    let c = app.login("campha").await;
    assert_eq!(c.get(format!("{}/", app.base)).send().await.unwrap().status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    assert_eq!(c.get(format!("{}/", app.base)).send().await.unwrap().status(), 303);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_cannot_sign_in_and_loses_its_sessions() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let secretary = app.login("bithu.kp3").await;
        let admin = app.login("quangninh").await;
        let page = admin.get(format!("{}/accounts", app.base)).send().await.unwrap().text().await.unwrap();
        // The form that disables bithu.kp3 is the one in its row.
        let row = &page[page.find("bithu.kp3").unwrap()..];
        let action = row[row.find("action=\"/accounts/").unwrap() + 8..].split('"').next().unwrap().to_owned();
        let version = hidden(row, "version");
        let csrf = hidden(&page, "_csrf");
        let r =
            admin.post(format!("{}{action}", app.base)).form(&[("_csrf", csrf.as_str()), ("version", version.as_str()), ("active", "0")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(secretary.get(format!("{}/", app.base)).send().await.unwrap().status(), 303);
        assert_eq!(app.try_login(&app.client(), "bithu.kp3", PASSWORD).await.status(), 401);
        let log = admin.get(format!("{}/audit?entity=account", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(log.contains("Khóa tài khoản"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_administrator_is_created_once_with_the_setup_link() {
    let db = chibo_store::testing::sqlite().await;
    let token = chibo_web::auth::new_token();
    db.store.replace_setup_token(&chibo_web::auth::hash_token(&token)).await.unwrap();
    let app = TestApp::start_with(db, WebConfig::default(), false).await;
    let c = app.client();
    let r = c.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/setup");
    let bad = c.get(format!("{}/setup?token=abc", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(bad.contains("không hợp lệ"));
    let page = c.get(format!("{}/setup?token={token}", app.base)).send().await.unwrap().text().await.unwrap();
    let csrf = hidden(&page, "_csrf");
    let short = c
        .post(format!("{}/setup", app.base))
        .form(&[("_csrf", csrf.as_str()), ("token", token.as_str()), ("login", "quantri"), ("password", "ngan")])
        .send()
        .await
        .unwrap();
    assert!(short.text().await.unwrap().contains("Mật khẩu: mật khẩu phải có ít nhất 10 ký tự"));
    let form = [("_csrf", csrf.as_str()), ("token", token.as_str()), ("login", "quantri"), ("display_name", "Quản trị"), ("password", PASSWORD)];
    assert_eq!(c.post(format!("{}/setup", app.base)).form(&form).send().await.unwrap().status(), 303);
    assert_eq!(app.try_login(&app.client(), "quantri", PASSWORD).await.status(), 303);
    // The link works once.
    let second = [("_csrf", csrf.as_str()), ("token", token.as_str()), ("login", "khac"), ("display_name", "Khác"), ("password", PASSWORD)];
    let again = c.post(format!("{}/setup", app.base)).form(&second).send().await.unwrap().text().await.unwrap();
    assert!(again.contains("không hợp lệ"));
    assert_eq!(app.db.store.account_count().await.unwrap(), 1);
    app.stop().await;
}
