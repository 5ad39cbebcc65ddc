//! The statistics dashboard: on random nodes and dates of a randomly lived fixture tree, every
//! figure of the page is the total of the list behind it (web list and API list), and the
//! API's dashboard says the same; a past date is not changed by a later event; a bad date is
//! refused in Vietnamese; a viewer sees nothing outside their scope.

use crate::helpers::{Ids, TestApp, engines};
use chibo_domain::calendar::format_date;
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput};
use chrono::{Datelike, Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Members who lived a party life in the fixture's cells: candidates admitted, made official,
/// moved, some of them gone. Steps the rules refuse are skipped.
async fn live(app: &TestApp, seed: u64, people: usize) {
    let s = app.db.store.operator("test");
    let i = app.ids;
    let cells = [i.cell_a1, i.cell_a2, i.cell_b1];
    let mut rng = StdRng::seed_from_u64(seed);
    let now = today();
    let ethnicities = ["Kinh", "Tày", "Dao", "Sán Dìu"];
    let religions = ["Không", "Phật giáo", "Công giáo"];
    let education = ["none", "trung_cap", "dai_hoc", "thac_si"];
    let theory = ["none", "so_cap", "trung_cap", "cao_cap"];
    for k in 0..people {
        let start = d(rng.random_range(2008..=2024), rng.random_range(1..=12), rng.random_range(1..=28));
        let birth = d(start.year() - rng.random_range(19..50), rng.random_range(1..=12), rng.random_range(1..=28));
        let female = rng.random_bool(0.45);
        // CCCD: province, then century and gender, then the year of birth.
        let century_gender = if birth.year() >= 2000 { 2 } else { 0 } + u32::from(female);
        let input = MemberInput {
            full_name: format!("Người Thử {k}"),
            gender: if female { "nu" } else { "nam" }.into(),
            birth_date: format_date(birth),
            cccd: format!("022{century_gender}{:02}{:06}", birth.year() % 100, 500_000 + k),
            ethnicity: ethnicities[rng.random_range(0..ethnicities.len())].into(),
            religion: religions[rng.random_range(0..religions.len())].into(),
            professional_education: education[rng.random_range(0..education.len())].into(),
            political_theory: theory[rng.random_range(0..theory.len())].into(),
            ..Default::default()
        };
        let Ok(profile) = input.validate(now) else { continue };
        let mut cell = cells[rng.random_range(0..cells.len())];
        let Ok(mut m) = s.create_member(profile, MemberEvent { on: start, change: MemberChange::CandidateRegistered { cell } }, None).await else { continue };
        let mut on = start.checked_add_days(Days::new(rng.random_range(30..200))).unwrap();
        let mut steps = vec![MemberChange::Admitted { cell }];
        steps.push(MemberChange::MadeOfficial);
        if rng.random_bool(0.3) {
            cell = cells[rng.random_range(0..cells.len())];
            steps.push(MemberChange::Moved { cell });
        }
        if rng.random_bool(0.25) {
            steps.push([MemberChange::Died, MemberChange::Left, MemberChange::StruckOff][rng.random_range(0..3)].clone());
        }
        for change in steps {
            if on > now {
                break;
            }
            match s.record_member_event(m.id, m.version, MemberEvent { on, change }, Some("1-QĐ/ĐU")).await {
                Ok(next) => m = next,
                Err(_) => break,
            }
            on = on.checked_add_days(Days::new(rng.random_range(366..1500))).unwrap();
        }
    }
    // A few permanent transfers from district A to district B in the last weeks, so that the
    // year's transfer figures have members behind them.
    let book = app.db.store.rule_book().await.unwrap();
    let official = chibo_store::member::MemberFilter { standing: Some(chibo_domain::stats::Standing::Official), ..Default::default() };
    let movers = s.list_members(i.district_a, &official, 0, 3).await.unwrap().items;
    let (sent_on, accepted_on) = (now - Days::new(20), now - Days::new(10));
    let mut moved = 0;
    for m in movers {
        let letter = chibo_domain::transfer::LetterInput {
            kind: "permanent".into(),
            to_org: i.district_b.to_string(),
            letter_no: "7-GGT/ĐU".into(),
            letter_on: format_date(sent_on),
            fees_paid_through: format!("{:02}/{}", sent_on.month(), sent_on.year()),
            ..Default::default()
        };
        let Ok(sent) = s.send_transfer(m.id, m.version, letter.validate(&book, now).unwrap()).await else { continue };
        s.accept_transfer(sent.id, sent.version, i.cell_b1, accepted_on).await.unwrap();
        moved += 1;
    }
    assert!(moved > 0, "some members moved");
    // This month's regular meetings of two cells, each with a member absent without reason,
    // so that the meeting figures have cells and people behind them.
    for cell in [i.cell_a1, i.cell_b1] {
        let plan = chibo_domain::meeting::command::PlanInput { kind: "thuong_ky".into(), held_on: format_date(now), ..Default::default() };
        let m = s.plan_meeting(cell, plan.validate(chibo_domain::org::OrgKind::Cell, now).unwrap()).await.unwrap();
        let r = s.meeting(m.id).await.unwrap();
        let absent = r.attendees.iter().filter_map(|a| a.member_id).take(1).map(|id| (id, chibo_domain::meeting::Presence::Absent, None)).collect();
        s.record_attendance(m.id, m.version, chibo_domain::meeting::command::RecordAttendance { lines: absent, guests: vec![] }).await.unwrap();
    }
}

/// `&amp;` back to `&`.
fn unescape(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#x2f;", "/").replace("&#x3D;", "=").replace("&#x3d;", "=").replace("&#38;", "&")
}

fn parse_number(s: &str) -> i64 {
    s.trim().replace(['.', ','], "").parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

/// Every (link, figure) of a dashboard page: figure cards and chart bars.
fn figures(page: &str) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    let card = "<a class=\"figure\" href=\"";
    let mut rest = page;
    while let Some(i) = rest.find(card) {
        rest = &rest[i + card.len()..];
        let href = rest.split('"').next().unwrap();
        let v = rest.split("<span class=\"figure-value\">").nth(1).unwrap().split('<').next().unwrap();
        out.push((unescape(href), parse_number(v)));
    }
    // Chart bars: <a href="…" aria-label="label: N">
    let bar = "<a href=\"";
    let mut rest = page;
    while let Some(i) = rest.find(bar) {
        rest = &rest[i + bar.len()..];
        let href = rest.split('"').next().unwrap();
        let after = &rest[href.len()..];
        if let Some(label) = after.strip_prefix("\" aria-label=\"") {
            let label = label.split('"').next().unwrap();
            if let Some((_, v)) = label.rsplit_once(": ")
                && v.chars().all(|c| c.is_ascii_digit() || c == '.')
            {
                out.push((unescape(href), parse_number(v)));
            }
        }
    }
    out
}

/// The "N kết quả" total of a list page.
fn list_total(page: &str) -> i64 {
    let v = page.split("aria-live=\"polite\">").nth(1).expect("a list total").split(' ').next().unwrap();
    parse_number(v)
}

/// The API query of a web member-list link (dates as yyyy-mm-dd, `org` as `under`).
fn api_query(href: &str) -> String {
    let q = href.split_once('?').unwrap().1;
    let mut out = vec!["count=true".to_owned(), "limit=1".to_owned()];
    for pair in q.split('&') {
        let (k, v) = pair.split_once('=').unwrap();
        let key = if k == "org" { "under" } else { k };
        let value = match k {
            "as_of" | "flow_from" | "flow_to" => chibo_domain::calendar::parse_date(v).unwrap().to_string(),
            _ => v.to_string(),
        };
        out.push(format!("{key}={value}"));
    }
    out.join("&")
}

async fn get(c: &reqwest::Client, url: String) -> (u16, String) {
    let r = c.get(&url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn nodes(i: &Ids) -> Vec<i64> {
    vec![i.province, i.district_a, i.ward_a, i.cell_a1, i.cell_a2, i.district_b, i.cell_b1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_figure_is_the_total_of_the_list_behind_it_on_random_nodes_and_dates() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        live(&app, 6, 40).await;
        let c = app.login("quangninh").await;
        let token = app.token("quangninh", None, true).await;
        let mut rng = StdRng::seed_from_u64(66);
        let all = nodes(&app.ids);
        let mut checked = 0;
        let mut meetings = 0;
        for round in 0..5 {
            // Today first for the district that received the transfers, then random.
            let node = if round == 0 { app.ids.district_b } else { all[rng.random_range(0..all.len())] };
            let on =
                if round == 0 { today() } else { d(rng.random_range(2009..=today().year()), rng.random_range(1..=12), rng.random_range(1..=28)).min(today()) };
            let (status, page) = get(&c, format!("{}/orgs/{node}/stats?on={}", app.base, format_date(on))).await;
            assert_eq!(status, 200, "dashboard of {node} on {on}: {page}");
            assert!(page.contains("<svg class=\"chart\""), "charts drawn on the server");
            let figs = figures(&page);
            assert!(figs.len() > 10, "figures and bars found: {figs:?}");
            if round == 0 {
                let came = figs.iter().find(|(h, _)| h.contains("flow=transferred_in")).map(|f| f.1);
                assert!(came.is_some_and(|n| n > 0), "the transfers into district B are a figure with a list: {came:?}");
            }
            // The API's dashboard: its figures are the page's, each behind the same list.
            let api: serde_json::Value =
                app.api(reqwest::Method::GET, &format!("/orgs/{node}/dashboard?as_of={on}"), &token).send().await.unwrap().json().await.unwrap();
            let mut cards = 0;
            for section in api["sections"].as_array().unwrap() {
                for f in section["figures"].as_array().unwrap() {
                    let q = f["list"]["query"].as_str().unwrap();
                    let href = match f["list"]["list"].as_str() {
                        Some("members") => format!("/members?org={node}&{q}"),
                        Some("attendance") => format!("/orgs/{node}/meetings/attendance?{q}"),
                        _ => format!("/orgs/{node}/stats/orgs?{q}"),
                    };
                    let shown = figs.iter().find(|(h, _)| *h == href).map(|f| f.1);
                    if ["key", "flows", "small_cells", "meetings"].contains(&section["key"].as_str().unwrap()) {
                        assert_eq!(shown, f["value"].as_i64(), "{} of {node} on {on}", f["key"]);
                        cards += 1;
                    } else if let Some(v) = shown {
                        assert_eq!(Some(v), f["value"].as_i64(), "{} of {node} on {on}", f["key"]);
                    }
                }
            }
            assert!(cards >= 18, "the key figures, the flows, the small cells and the meetings are cards");
            // And the store's reference recount.
            let reference = app.db.store.operator("t").dashboard_recount(node, on).await.unwrap();
            let total = api["sections"][0]["figures"][0].clone();
            assert_eq!((total["key"].as_str(), total["value"].as_i64()), (Some("members.total"), Some(reference.members())));
            for (href, value) in &figs {
                if href.starts_with("/members?") {
                    let (status, list) = get(&c, format!("{}{href}", app.base)).await;
                    assert_eq!(status, 200, "{href}");
                    assert_eq!(list_total(&list), *value, "web list {href} of the figure {value}");
                    if href.contains("as_of=") || href.contains("flow=") {
                        let q = api_query(href);
                        let r = app.api(reqwest::Method::GET, &format!("/members?{q}"), &token).send().await.unwrap();
                        assert_eq!(r.status(), 200, "/members?{q}");
                        let body: serde_json::Value = r.json().await.unwrap();
                        assert_eq!(body["total"].as_i64(), Some(*value), "API list /members?{q} of the figure {value}");
                    }
                    checked += 1;
                } else if href.contains("/stats/orgs?") {
                    let (status, list) = get(&c, format!("{}{href}", app.base)).await;
                    assert_eq!(status, 200, "{href}");
                    assert_eq!(list_total(&list), *value, "organization list {href}");
                    // Its export has as many rows, each under the column headers.
                    let export = href.replacen("/stats/orgs?", "/stats/orgs/export?", 1);
                    let (status, csv) = get(&c, format!("{}{export}&format=csv", app.base)).await;
                    assert_eq!(status, 200, "{export}");
                    let header = csv.lines().position(|l| l.starts_with("Mã tổ chức,Tên tổ chức,")).unwrap_or_else(|| panic!("no header in {export}: {csv}"));
                    assert_eq!(csv.lines().skip(header + 1).filter(|l| !l.is_empty()).count() as i64, *value, "export {export}: {csv}");
                    checked += 1;
                } else if href.contains("/meetings/attendance?") {
                    let (status, list) = get(&c, format!("{}{href}", app.base)).await;
                    assert_eq!(status, 200, "{href}");
                    assert_eq!(list_total(&list), *value, "attendance list {href}");
                    let export = href.replacen("/meetings/attendance?", "/meetings/attendance/export?", 1);
                    let (status, csv) = get(&c, format!("{}{export}&format=csv", app.base)).await;
                    assert_eq!(status, 200, "{export}");
                    let header = csv.lines().position(|l| l.starts_with("Họ và tên,Chi bộ,")).unwrap_or_else(|| panic!("no header in {export}: {csv}"));
                    assert_eq!(csv.lines().skip(header + 1).filter(|l| !l.is_empty()).count() as i64, *value, "export {export}: {csv}");
                    meetings += 1;
                    checked += 1;
                }
            }
        }
        assert!(checked > 60, "only {checked} lists checked");
        assert!(meetings >= 10, "the attendance lists behind the meeting figures: {meetings}");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_past_dashboard_keeps_its_figures_after_a_later_event() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let cell = app.ids.cell_a2;
        let members = |page: &str| figures(page).iter().find(|(h, _)| h.ends_with(&format!("org={cell}&as_of=2015-06-01"))).map(|f| f.1);
        let (_, before) = get(&c, format!("{}/orgs/{cell}/stats?on=01/06/2015", app.base)).await;
        assert_eq!(members(&before), Some(1), "Hùng on 01/06/2015");
        // Hùng died on 10/01/2016.
        let s = app.db.store.operator("test");
        let hung = s.member(app.ids.hung).await.unwrap();
        s.record_member_event(hung.id, hung.version, MemberEvent { on: d(2016, 1, 10), change: MemberChange::Died }, None).await.unwrap();
        let (_, again) = get(&c, format!("{}/orgs/{cell}/stats?on=01/06/2015", app.base)).await;
        assert_eq!(members(&again), Some(1), "the past is unchanged");
        let (_, after) = get(&c, format!("{}/orgs/{cell}/stats?on=31/12/2016", app.base)).await;
        let figs = figures(&after);
        let members_2016 = figs.iter().find(|(h, _)| h.ends_with("as_of=2016-12-31")).unwrap().1;
        assert_eq!(members_2016, 0);
        let exited = figs.iter().find(|(h, _)| h.contains("flow=exited")).unwrap();
        assert_eq!(exited.1, 1, "one exit in 2016");
        let (_, list) = get(&c, format!("{}{}", app.base, exited.0)).await;
        assert!(list.contains("Lê Văn Hùng"), "the exit list names him");
        assert!(list.contains("Ra khỏi Đảng từ 01/01/2016 đến 31/12/2016"), "the filter in words");
        // The trend of the province shows him until 2015 and not in 2016.
        let (_, province) = get(&c, format!("{}/orgs/{}/stats?on=31/12/2016", app.base, app.ids.province)).await;
        assert!(province.contains("2015: 4") && province.contains("2016: 3"), "trend 2015 → 2016");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_or_future_date_is_refused_beside_the_field_in_vietnamese() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let url = |on: &str| format!("{}/orgs/{}/stats?on={on}", app.base, app.ids.province);
        let (status, page) = get(&c, url("31/02/2021")).await;
        assert_eq!(status, 422);
        assert!(page.contains("Ngày «31/02/2021» không hợp lệ: nhập theo dạng dd/mm/yyyy"), "{page}");
        assert!(page.contains("aria-invalid=\"true\""));
        let future = today() + Days::new(40);
        let (status, page) = get(&c, url(&format_date(future))).await;
        assert_eq!(status, 422);
        assert!(page.contains(&format!("Ngày {} chưa đến", format_date(future))));
        let (status, page) = get(&c, url("01/01/1990")).await;
        assert_eq!(status, 422);
        assert!(page.contains("chưa thành lập hoặc đã giải thể"));
        let token = app.token("quangninh", None, true).await;
        let r = app.api(reqwest::Method::GET, &format!("/orgs/{}/dashboard?as_of=2021-02-31", app.ids.province), &token).send().await.unwrap();
        assert_eq!(r.status(), 400);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_sees_no_dashboard_or_list_outside_the_scope() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        let c = app.login("campha").await;
        for path in [
            format!("/orgs/{}/stats", i.province),
            format!("/orgs/{}/stats", i.cell_b1),
            format!("/orgs/{}/stats/orgs?small=1", i.district_b),
            format!("/members?org={}&as_of=01%2F01%2F2020&standing=official", i.cell_b1),
            format!("/export/dashboard?org={}&format=csv", i.province),
        ] {
            let (status, body) = get(&c, format!("{}{path}", app.base)).await;
            assert_eq!(status, 404, "{path}");
            assert!(body.contains("Không tìm thấy"));
        }
        let (status, page) = get(&c, format!("{}/orgs/{}/stats", app.base, i.district_a)).await;
        assert_eq!(status, 200);
        assert!(!page.contains("Bãi Cháy"));
        let token = app.token("campha", None, true).await;
        let r = app.api(reqwest::Method::GET, &format!("/orgs/{}/dashboard", i.province), &token).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let r = app.api(reqwest::Method::GET, &format!("/members?under={}&standing=official&count=true", i.cell_b1), &token).send().await.unwrap();
        assert_eq!(r.status(), 404);
        // The whole scope: /stats opens the root of the viewer's scope.
        let r = c.get(format!("{}/stats", app.base)).send().await.unwrap();
        assert_eq!(r.headers()["location"], format!("/orgs/{}/stats", i.district_a).as_str());
        // The dashboard downloads: a CSV with the figures.
        let (status, csv) = get(&c, format!("{}/export/dashboard?org={}&format=csv", app.base, i.district_a)).await;
        assert_eq!(status, 200);
        assert!(csv.contains("Số liệu chính") && csv.contains("Đảng viên"), "{csv}");

        // Thành moves to Bãi Cháy: Cẩm Phả's roll of 2023 still names him, as its figures
        // count him, but not with his CCCD, and not as a link to a record it can no longer open.
        let s = app.db.store.operator("test");
        let thanh = s.member(i.thanh).await.unwrap();
        // Into another ward's cell: a permanent transfer, accepted the same day.
        let book = app.db.store.rule_book().await.unwrap();
        let letter = chibo_domain::transfer::LetterInput {
            kind: "permanent".into(),
            to_org: i.cell_b1.to_string(),
            letter_no: "7-GGT/ĐU".into(),
            letter_on: "02/01/2024".into(),
            fees_paid_through: "01/2024".into(),
            ..Default::default()
        };
        let sent = s.send_transfer(thanh.id, thanh.version, letter.validate(&book, today()).unwrap()).await.unwrap();
        s.accept_transfer(sent.id, sent.version, i.cell_b1, d(2024, 1, 2)).await.unwrap();
        let (status, page) = get(&c, format!("{}/members?org={}&as_of=01%2F06%2F2023", app.base, i.district_a)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Nguyễn Văn Thành") && page.contains("nay sinh hoạt ở đơn vị khác"), "{page}");
        assert!(!page.contains(&format!("href=\"/members/{}\"", i.thanh)));
        assert!(page.contains(&format!("href=\"/members/{}\"", i.hung)), "Hùng is still in Cẩm Phả: linked");
        let (_, csv) = get(&c, format!("{}/export/members?org={}&as_of=01%2F06%2F2023&format=csv", app.base, i.district_a)).await;
        assert!(csv.contains("Nguyễn Văn Thành") && !csv.contains("022058001234") && csv.contains("022080004567"), "{csv}");
        let r = app.api(reqwest::Method::GET, &format!("/members?under={}&as_of=2023-06-01", i.district_a), &token).send().await.unwrap();
        let body: serde_json::Value = r.json().await.unwrap();
        let row = body["items"].as_array().unwrap().iter().find(|m| m["id"] == i.thanh).unwrap().clone();
        assert_eq!((row["elsewhere"].as_bool(), row["profile"]["cccd"].as_str()), (Some(true), None));
        app.stop().await;
    }
}
