//! The access matrix: every route, every role, records inside and outside each scope. A
//! record outside the scope answers 404 exactly like one that does not exist; a read-only
//! scope answers 403 to changes; nobody signed out gets past the login page.

use crate::helpers::{Ids, TestApp, engines};

/// Roles in matrix order.
const ROLES: [&str; 6] = ["anonymous", "admin", "quangninh", "campha", "bithu.kp3", "thanh"];

/// (method, path, expected status per role in `ROLES` order).
fn matrix(i: &Ids) -> Vec<(&'static str, String, [u16; 6])> {
    let g = |p: String, e: [u16; 6]| ("GET", p, e);
    let p = |p: String, e: [u16; 6]| ("POST", p, e);
    vec![
        g("/".into(), [303, 200, 200, 200, 200, 303]),
        g("/orgs".into(), [303, 200, 200, 200, 200, 404]),
        g("/orgs?q=cua+ong".into(), [303, 200, 200, 200, 200, 404]),
        g("/orgs/new".into(), [303, 200, 404, 404, 404, 404]),
        g(format!("/orgs/{}", i.province), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}", i.district_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}", i.cell_a2), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}", i.other_cell), [303, 200, 404, 404, 404, 404]),
        g(format!("/orgs/{}/children", i.ward_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/children", i.district_b), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/new", i.ward_a), [303, 200, 200, 403, 404, 404]),
        g(format!("/orgs/{}/change/rename", i.cell_a1), [303, 200, 200, 403, 403, 404]),
        g(format!("/orgs/{}/change/move", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/change/dissolve", i.other_cell), [303, 200, 404, 404, 404, 404]),
        g("/members".into(), [303, 200, 200, 200, 200, 404]),
        g("/members?q=nguyen+van+thanh".into(), [303, 200, 200, 200, 200, 404]),
        g(format!("/members?org={}", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/members/{}", i.thanh), [303, 200, 200, 200, 200, 404]),
        g(format!("/members/{}", i.hung), [303, 200, 200, 200, 404, 404]),
        g(format!("/members/{}", i.hoa), [303, 200, 200, 404, 404, 404]),
        g(format!("/members/{}", i.nam), [303, 200, 404, 404, 404, 404]),
        g("/members/999999".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/members/{}/edit", i.thanh), [303, 200, 200, 403, 200, 404]),
        g(format!("/members/{}/edit", i.hung), [303, 200, 200, 403, 404, 404]),
        g(format!("/members/{}/edit", i.nam), [303, 200, 404, 404, 404, 404]),
        g(format!("/members/{}/event", i.thanh), [303, 200, 200, 403, 200, 404]),
        g("/members/new".into(), [303, 200, 200, 403, 200, 404]),
        g("/audit".into(), [303, 200, 200, 200, 200, 404]),
        g(format!("/audit?entity=member&id={}", i.hoa), [303, 200, 200, 200, 200, 404]),
        g("/accounts".into(), [303, 200, 200, 404, 404, 404]),
        g("/accounts/new".into(), [303, 200, 200, 404, 404, 404]),
        g("/me".into(), [303, 404, 404, 404, 404, 200]),
        g("/admissions".into(), [303, 200, 200, 200, 200, 404]),
        g("/admissions?stage=decided".into(), [303, 200, 200, 200, 200, 404]),
        g(format!("/admissions/new?member={}", i.thanh), [303, 200, 200, 403, 200, 404]),
        g(format!("/admissions/new?member={}", i.hoa), [303, 200, 200, 404, 404, 404]),
        g("/admissions/999999".into(), [303, 404, 404, 404, 404, 404]),
        g("/transfers".into(), [303, 200, 200, 200, 200, 404]),
        g("/transfers?dir=in&state=pending".into(), [303, 200, 200, 200, 200, 404]),
        g("/transfers/999999".into(), [303, 404, 404, 404, 404, 404]),
        g("/transfers/999999/letter".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/members/{}/transfer", i.thanh), [303, 200, 200, 403, 200, 404]),
        g(format!("/members/{}/transfer", i.hoa), [303, 200, 200, 404, 404, 404]),
        g(format!("/members/{}/residence", i.thanh), [303, 200, 200, 403, 200, 404]),
        g(format!("/orgs/{}/residents", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/residents", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/import".into(), [303, 200, 200, 403, 200, 404]),
        g(format!("/import?org={}", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/import/no-such-job".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/export/members?org={}", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/export/members?org={}&format=csv", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/stats".into(), [303, 303, 303, 303, 303, 404]),
        g(format!("/orgs/{}/stats", i.province), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/stats?on=02/11/2021", i.district_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/stats", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/stats", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/stats", i.other_cell), [303, 200, 404, 404, 404, 404]),
        g(format!("/orgs/{}/stats/orgs?kind=chi_bo_truc_thuoc", i.ward_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/stats/orgs?small=1", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/stats/orgs?direct=1", i.district_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/stats/orgs/export?direct=1&format=csv", i.ward_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/stats/orgs/export?small=1&format=xlsx", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/members?org={}&flow=transferred_out", i.ward_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/members?org={}&as_of=02/11/2021&standing=official&birth_to=1990", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/members?org={}&flow=admitted&flow_from=01/01/2021&flow_to=02/11/2021", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/export/dashboard?org={}&format=csv", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/export/dashboard?org={}&format=xlsx", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/no-such-page".into(), [404, 404, 404, 404, 404, 404]),
        g("/login".into(), [200, 200, 200, 200, 200, 200]),
        g("/setup".into(), [200, 200, 200, 200, 200, 200]),
        g("/lang/vi".into(), [303, 303, 303, 303, 303, 303]),
        g("/assets/app.css".into(), [200, 200, 200, 200, 200, 200]),
        g("/assets/htmx.min.js".into(), [200, 200, 200, 200, 200, 200]),
        g("/import/no-such-job/status".into(), [303, 404, 404, 404, 404, 404]),
        g("/import/no-such-job/rejected.xlsx".into(), [303, 404, 404, 404, 404, 404]),
        g("/tokens".into(), [303, 200, 200, 200, 200, 200]),
        g(format!("/orgs/{}/committee", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/committee?on=02/11/2021", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/terms/new", i.cell_a1), [303, 200, 200, 403, 200, 404]),
        g(format!("/orgs/{}/terms/new", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/terms/999999/close".into(), [303, 404, 404, 404, 404, 404]),
        g("/terms/999999/seats/new".into(), [303, 404, 404, 404, 404, 404]),
        g("/terms/999999/regulation".into(), [303, 404, 404, 404, 404, 404]),
        g("/seats/999999/end".into(), [303, 404, 404, 404, 404, 404]),
        g("/seats/999999/duties/new".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/members/{}/posts/new", i.thanh), [303, 200, 200, 403, 200, 404]),
        g(format!("/members/{}/posts/new", i.hoa), [303, 200, 200, 404, 404, 404]),
        g("/posts/999999/end".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/orgs/{}/committee/export", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/committee/export?on=02/11/2021&format=csv", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/terms/export?format=xlsx", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/terms/export", i.other_cell), [303, 200, 404, 404, 404, 404]),
        g("/terms/999999/holders?seat_member_q=thanh".into(), [303, 404, 404, 404, 404, 404]),
        g("/seats/999999/approve".into(), [303, 404, 404, 404, 404, 404]),
        g("/regulations/999999/file".into(), [303, 404, 404, 404, 404, 404]),
        g(format!("/orgs/{}/meetings", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/meetings?all=1", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/meetings/export?format=csv", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/meetings/export", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/meetings/new", i.cell_a1), [303, 200, 200, 403, 200, 404]),
        g(format!("/orgs/{}/meetings/new", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g(format!("/orgs/{}/meetings/attendance?presence=attended", i.ward_a), [303, 200, 200, 200, 404, 404]),
        g(format!("/orgs/{}/meetings/attendance?repeated=1", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/meetings/attendance?repeated=1", i.other_cell), [303, 200, 404, 404, 404, 404]),
        g(format!("/orgs/{}/meetings/attendance/export?presence=attended&format=csv", i.cell_a1), [303, 200, 200, 200, 200, 404]),
        g(format!("/orgs/{}/meetings/attendance/export?repeated=1", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        g("/meetings/999999".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/edit".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/attendance".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/counts?presence_1=co_mat".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/minutes".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/sign".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/cancel".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/amend".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/rate".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/print".into(), [303, 404, 404, 404, 404, 404]),
        g("/meetings/999999/notice".into(), [303, 404, 404, 404, 404, 404]),
        // Changes with a valid form token but an incomplete form: those allowed get the form
        // back with its errors (200, nothing saved), the others are refused.
        p(format!("/members/{}/edit", i.thanh), [303, 200, 200, 403, 200, 404]),
        p(format!("/members/{}/edit", i.hoa), [303, 200, 200, 404, 404, 404]),
        p(format!("/members/{}/edit", i.nam), [303, 200, 404, 404, 404, 404]),
        p(format!("/members/{}/event", i.thanh), [303, 200, 200, 403, 200, 404]),
        p(format!("/members/{}/event", i.hung), [303, 200, 200, 403, 404, 404]),
        p("/members/new".into(), [303, 200, 200, 403, 200, 404]),
        p("/orgs/new".into(), [303, 200, 404, 404, 404, 404]),
        p(format!("/orgs/{}/new", i.ward_a), [303, 200, 200, 403, 404, 404]),
        p(format!("/orgs/{}/new", i.other_province), [303, 200, 404, 404, 404, 404]),
        p(format!("/orgs/{}/change/rename", i.cell_a1), [303, 200, 200, 403, 403, 404]),
        p("/accounts/new".into(), [303, 200, 200, 404, 404, 404]),
        p(format!("/admissions?member={}", i.thanh), [303, 200, 200, 403, 200, 404]),
        p(format!("/admissions?member={}", i.hoa), [303, 200, 200, 404, 404, 404]),
        p("/admissions/999999/step".into(), [303, 404, 404, 404, 404, 404]),
        p(format!("/members/{}/transfer", i.thanh), [303, 200, 200, 403, 200, 404]),
        p(format!("/members/{}/transfer", i.hoa), [303, 200, 200, 404, 404, 404]),
        p(format!("/members/{}/residence", i.hung), [303, 200, 200, 403, 404, 404]),
        p("/transfers/999999/accept".into(), [303, 404, 404, 404, 404, 404]),
        p("/residences/999999/comment".into(), [303, 404, 404, 404, 404, 404]),
        p("/me".into(), [303, 404, 404, 404, 404, 200]),
        // Sign-in and set-up forms carry their own page's token: without it, refused.
        p("/login".into(), [403, 403, 403, 403, 403, 403]),
        p("/setup".into(), [403, 403, 403, 403, 403, 403]),
        p("/accounts/999999/password".into(), [303, 400, 400, 404, 404, 404]),
        p("/accounts/999999/active".into(), [303, 404, 404, 404, 404, 404]),
        p("/accounts/999999/unlock".into(), [303, 404, 404, 404, 404, 404]),
        p("/import".into(), [303, 400, 400, 400, 400, 404]),
        p("/import/no-such-job/mapping".into(), [303, 404, 404, 403, 404, 404]),
        p("/import/no-such-job/commit".into(), [303, 404, 404, 403, 404, 404]),
        p("/tokens".into(), [303, 200, 200, 200, 200, 200]),
        p("/tokens/999999/revoke".into(), [303, 404, 404, 404, 404, 404]),
        p("/transfers/999999/refuse".into(), [303, 404, 404, 404, 404, 404]),
        p("/transfers/999999/end".into(), [303, 404, 404, 404, 404, 404]),
        p(format!("/orgs/{}/terms/new", i.cell_a1), [303, 200, 200, 403, 200, 404]),
        p(format!("/orgs/{}/terms/new", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        p("/terms/999999/close".into(), [303, 404, 404, 404, 404, 404]),
        p("/terms/999999/seats/new".into(), [303, 404, 404, 404, 404, 404]),
        p("/terms/999999/regulation".into(), [303, 404, 404, 404, 404, 404]),
        p("/seats/999999/end".into(), [303, 404, 404, 404, 404, 404]),
        p("/seats/999999/duties/new".into(), [303, 404, 404, 404, 404, 404]),
        p(format!("/members/{}/posts/new", i.thanh), [303, 200, 200, 403, 200, 404]),
        p("/posts/999999/end".into(), [303, 404, 404, 404, 404, 404]),
        p("/seats/999999/approve".into(), [303, 404, 404, 404, 404, 404]),
        p(format!("/orgs/{}/meetings/new", i.cell_a1), [303, 200, 200, 403, 200, 404]),
        p(format!("/orgs/{}/meetings/new", i.cell_b1), [303, 200, 200, 404, 404, 404]),
        p("/meetings/999999/edit".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/notify".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/attendance".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/minutes".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/sign".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/cancel".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/amend".into(), [303, 404, 404, 404, 404, 404]),
        p("/meetings/999999/rate".into(), [303, 404, 404, 404, 404, 404]),
        // Signing out last: every client is signed out after it.
        p("/logout".into(), [303, 303, 303, 303, 303, 303]),
    ]
}

/// Whether a concrete path (its query left out) fits a route's pattern.
fn fits(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or_default();
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| (a.starts_with('{') && !b.is_empty()) || a == b)
}

#[test]
fn the_matrix_covers_every_route_the_server_declares() {
    let rows = matrix(&crate::helpers::EMPTY);
    let missing: Vec<String> = chibo_web::page_routes()
        .iter()
        .filter(|r| !rows.iter().any(|(m, p, _)| *m == r.method && fits(r.path, p)))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(missing.is_empty(), "routes the access matrix does not try:\n{}", missing.join("\n"));
    assert!(fits("/members/{id}/edit", "/members/7/edit?x=1") && !fits("/members/{id}", "/members/7/edit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_each_role_as_the_matrix_says() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let mut clients = vec![app.client()];
        let mut tokens = vec![String::new()];
        for login in &ROLES[1..] {
            let c = app.login(login).await;
            tokens.push(if *login == "thanh" { me_token(&app, &c).await } else { app.csrf(&c).await });
            clients.push(c);
        }
        let mut wrong = Vec::new();
        for (method, path, expected) in matrix(&app.ids) {
            for (k, role) in ROLES.iter().enumerate() {
                let url = format!("{}{path}", app.base);
                let r = match method {
                    "GET" => clients[k].get(&url).send().await.unwrap(),
                    // An invalid phone number for /me; empty fields elsewhere.
                    _ => clients[k].post(&url).form(&[("_csrf", tokens[k].as_str()), ("phone", "12ab"), ("version", "1")]).send().await.unwrap(),
                };
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                if status != expected[k] {
                    wrong.push(format!("{method} {path} as {role}: {status}, expected {}", expected[k]));
                }
                if status == 404 && *role != "anonymous" && !body.contains("Không tìm thấy") {
                    wrong.push(format!("{method} {path} as {role}: a 404 without the Vietnamese not-found page"));
                }
            }
        }
        assert!(wrong.is_empty(), "access matrix mismatches:\n{}", wrong.join("\n"));
        // Nothing above saved anything: every change was incomplete or refused.
        let thanh = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
        assert_eq!(thanh.version, 1);
        app.stop().await;
    }
}

async fn me_token(app: &TestApp, c: &reqwest::Client) -> String {
    let page = c.get(format!("{}/me", app.base)).send().await.unwrap().text().await.unwrap();
    crate::helpers::hidden(&page, "_csrf")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_without_the_form_token_is_refused_and_saves_nothing() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let url = format!("{}/members/{}/edit", app.base, app.ids.thanh);
        let form = [("full_name", "Nguyễn Văn Thành"), ("gender", "nam"), ("birth_date", "12/04/1958"), ("cccd", "022058009999"), ("version", "1")];
        let r = c.post(&url).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = c.post(&url).form(&[form.as_slice(), &[("_csrf", "0000")]].concat()).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let m = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
        assert_eq!(m.profile.cccd.unwrap().as_str(), "022058001234");
        // With the token the same form is saved.
        let csrf = app.csrf(&c).await;
        let r = c.post(&url).form(&[form.as_slice(), &[("_csrf", csrf.as_str())]].concat()).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let m = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
        assert_eq!(m.profile.cccd.unwrap().as_str(), "022058009999");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_shows_only_records_inside_the_scope() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let viewer = app.login("campha").await;
        let page = viewer.get(format!("{}/audit?entity=member", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Trần Thị Lan"), "a member of Cẩm Phả is in its log");
        assert!(!page.contains("Phạm Thị Hoa"), "a member of Hạ Long is not");
        assert!(!page.contains("Hoàng Văn Nam"));
        let admin = app.login("admin").await;
        let page = admin.get(format!("{}/audit?entity=member", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Phạm Thị Hoa") && page.contains("Hoàng Văn Nam"));
        app.stop().await;
    }
}
