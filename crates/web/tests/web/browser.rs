//! Browser tests in real headless Chromium, driven through Debian's chromedriver: a person
//! signs in, finds a member without typing diacritics, fails and then succeeds to correct
//! their CCCD, and sees the change in the audit log; a secretary cannot open another cell's
//! member by URL. Screenshots of the main pages go to `target/screenshots/`.

use crate::helpers::{PASSWORD, TestApp};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts chromedriver and a headless Chromium session, or None outside CI when they are not
/// installed (`.ci/run` installs them; under CI their absence fails the test).
async fn browser() -> Option<(Driver, Client)> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        let in_ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
        assert!(!in_ci, "CI: {CHROMEDRIVER} is missing; .ci/run installs chromium-driver");
        eprintln!("{CHROMEDRIVER} missing: skipping the browser test (apt-get install chromium chromium-driver)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start chromedriver");
    let driver = Driver(child);
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1000", "--lang=vi"]
        }
    });
    let caps: fantoccini::wd::Capabilities = caps.as_object().unwrap().clone();
    let mut last_err = String::new();
    for _ in 0..50 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(c) => return Some((driver, c)),
            Err(e) => last_err = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not start a Chromium session: {last_err}");
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
}

/// A screenshot of the whole page on a 390 px phone (the window made tall enough for it).
async fn phone_page_shot(c: &Client, name: &str) {
    let tall = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap().as_i64().unwrap_or(844);
    c.set_window_size(390, tall.clamp(844, 4000) as u32 + 100).await.unwrap();
    shot(c, name).await;
    c.set_window_size(390, 844).await.unwrap();
}

async fn text_of(c: &Client, css: &str) -> String {
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

async fn fill(c: &Client, css: &str, value: &str) {
    let e = c.find(Locator::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// A candidate of khu phố 3 with an admission case opened (introduced by Thành and Lan);
/// returns the case id.
async fn candidate_case(app: &TestApp) -> i64 {
    use chibo_domain::member::{MemberChange, MemberEvent, MemberInput};
    let s = app.db.store.operator("test");
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let p = MemberInput { full_name: "Đinh Văn Minh".into(), gender: "nam".into(), birth_date: "15/03/2001".into(), ..Default::default() }
        .validate(chibo_domain::calendar::Clock::system().today())
        .unwrap();
    let m = s.create_member(p, MemberEvent { on: d(2024, 6, 1), change: MemberChange::CandidateRegistered { cell: app.ids.cell_a1 } }, None).await.unwrap();
    let filter = chibo_store::member::MemberFilter { query: Some("tran thi lan".into()), ..Default::default() };
    let lan = s.list_members(app.ids.cell_a1, &filter, 0, 1).await.unwrap().items[0].id;
    let file = chibo_domain::admission::CandidateFile {
        certificate_no: "GCN-7/2024".into(),
        certificate_on: d(2024, 10, 1),
        applied_on: d(2025, 1, 10),
        background_on: None,
        vetted_on: None,
        introducers: [app.ids.thanh, lan],
        known_since: [d(2020, 1, 1), d(2021, 1, 1)],
    };
    s.open_admission(m.id, file, [None, None]).await.unwrap().case.id
}

async fn login(c: &Client, app: &TestApp, who: &str) {
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    fill(c, "#login", who).await;
    fill(c, "#password", PASSWORD).await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("header.site .user")).await.unwrap();
}

async fn logout(c: &Client) {
    c.find(Locator::Css("header.site form.inline button")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_corrects_a_member_in_chromium_and_a_secretary_stays_in_her_cell() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;

    // The login page, then the organization administrator's home.
    c.goto(&format!("{}/", app.base)).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    shot(&c, "01-login").await;
    login(&c, &app, "quangninh").await;
    assert!(text_of(&c, "h1").await.contains("Đảng bộ tỉnh Quảng Ninh"));
    shot(&c, "02-home").await;

    // Search without diacritics; htmx replaces the results as the person types.
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("#results tbody tr")).await.unwrap().len(), 4, "the whole province before searching");
    fill(&c, "#q", "nguyen van thanh").await;
    // htmx swaps the results in after a pause in typing.
    let mut rows = 0;
    for _ in 0..50 {
        rows = c.find_all(Locator::Css("#results tbody tr")).await.unwrap().len();
        if rows == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(rows, 1, "only Nguyễn Văn Thành matches");
    let link = c.find(Locator::XPath("//div[@id='results']//a[text()='Nguyễn Văn Thành']")).await.unwrap();
    shot(&c, "03-member-search").await;
    link.click().await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Nguyễn Văn Thành");
    shot(&c, "04-member-profile").await;

    // An invalid CCCD: the Vietnamese message beside the field, the typed value kept, nothing saved.
    c.find(Locator::LinkText("Sửa")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#f-cccd")).await.unwrap();
    fill(&c, "#f-cccd", "02205800123").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    let error = text_of(&c, "#e-cccd").await;
    assert_eq!(error, "số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)");
    assert_eq!(c.find(Locator::Css("#f-cccd")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("02205800123"));
    assert!(text_of(&c, ".form-errors").await.contains("Số CCCD"));
    shot(&c, "05-member-edit-error").await;
    let stored = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
    assert_eq!(stored.profile.cccd.unwrap().as_str(), "022058001234");

    // Corrected: saved, shown on the profile.
    fill(&c, "#f-cccd", "022058001235").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("dl.details")).await.unwrap();
    assert!(text_of(&c, "dl.details").await.contains("022058001235"));

    // The change in the audit log, with before and after.
    c.goto(&format!("{}/audit?entity=member&id={}", app.base, app.ids.thanh)).await.unwrap();
    let first = text_of(&c, "table.list tbody tr").await;
    assert!(first.contains("Sửa hồ sơ đảng viên") && first.contains("quangninh"), "{first}");
    assert_eq!(text_of(&c, "table.list tbody tr del").await, "022058001234");
    assert_eq!(text_of(&c, "table.list tbody tr ins").await, "022058001235");
    shot(&c, "06-audit").await;

    // The other main pages, for the record.
    c.goto(&format!("{}/orgs", app.base)).await.unwrap();
    let expand = c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("ul.tree details summary")).await.unwrap();
    expand.click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath("//ul[@class='tree']//a[text()='Đảng bộ thành phố Cẩm Phả']")).await.unwrap();
    shot(&c, "07-org-tree").await;
    c.goto(&format!("{}/orgs/{}", app.base, app.ids.ward_a)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Đảng bộ phường Cửa Ông");
    shot(&c, "08-org-page").await;
    c.goto(&format!("{}/members/new?org={}", app.base, app.ids.cell_a1)).await.unwrap();
    shot(&c, "09-member-new").await;
    c.goto(&format!("{}/accounts", app.base)).await.unwrap();
    shot(&c, "10-accounts").await;
    c.goto(&format!("{}/tokens", app.base)).await.unwrap();
    fill(&c, "#f-name", "Cổng thông tin tỉnh").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(&c, "#new-token").await.len(), 64);
    shot(&c, "10b-api-token").await;
    logout(&c).await;

    // A secretary reaches her own cell's member but not another cell's, even by URL.
    login(&c, &app, "bithu.kp3").await;
    c.goto(&format!("{}/members/{}", app.base, app.ids.thanh)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Nguyễn Văn Thành");
    c.goto(&format!("{}/members/{}", app.base, app.ids.hung)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Không tìm thấy");
    assert!(c.source().await.unwrap().contains("nằm ngoài phạm vi bạn được xem"));
    assert!(!c.source().await.unwrap().contains("Lê Văn Hùng"));
    shot(&c, "11-out-of-scope").await;

    // The secretary takes a candidate's file to the cell's vote: an impossible count is
    // refused beside the field, then the vote is recorded.
    let case = candidate_case(&app).await;
    c.goto(&format!("{}/admissions", app.base)).await.unwrap();
    c.find(Locator::LinkText("Đinh Văn Minh")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#f-background_on")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Hồ sơ kết nạp: Đinh Văn Minh");
    fill(&c, "#f-background_on", "20/01/2025").await;
    fill(&c, "#f-vetted_on", "01/02/2025").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#f-vote_on")).await.unwrap();
    fill(&c, "#f-vote_on", "10/02/2025").await;
    fill(&c, "#f-votes_for", "3").await;
    fill(&c, "#f-votes_against", "0").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#e-votes_for")).await.unwrap();
    assert!(text_of(&c, "#e-votes_for").await.contains("nhiều hơn số đảng viên chính thức của chi bộ (2)"));
    shot(&c, "14-admission-vote-refused").await;
    fill(&c, "#f-votes_for", "2").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#f-decision_number")).await.unwrap();
    assert!(text_of(&c, ".lead").await.contains("Chờ quyết định kết nạp"));
    assert_eq!(c.current_url().await.unwrap().path(), format!("/admissions/{case}"));
    shot(&c, "15-admission-voted").await;
    c.goto(&format!("{}/", app.base)).await.unwrap();
    logout(&c).await;

    // A member sees their own record, on a phone-sized screen.
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app, "thanh").await;
    assert_eq!(text_of(&c, "h1").await, "Nguyễn Văn Thành");
    shot(&c, "12-member-self-phone").await;
    c.goto(&format!("{}/members", app.base)).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Không tìm thấy");
    c.goto(&format!("{}/me", app.base)).await.unwrap();
    logout(&c).await;
    login(&c, &app, "bithu.kp3").await;
    c.goto(&format!("{}/members?org={}", app.base, app.ids.cell_a1)).await.unwrap();
    shot(&c, "13-member-list-phone").await;

    c.close().await.unwrap();
    app.stop().await;
}

/// The dashboard on a phone: opened from the home page, another date chosen, a figure clicked
/// to the list with that many rows; a bad date refused beside the field.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_works_on_a_phone_and_its_figures_open_their_lists() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app, "quangninh").await;
    c.find(Locator::LinkText("Thống kê chi tiết")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("svg.chart")).await.unwrap();
    assert!(text_of(&c, "h1").await.contains("Đảng bộ tỉnh Quảng Ninh"));
    shot(&c, "20-dashboard-phone").await;
    // No horizontal scrolling on a phone.
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(wide.as_i64().unwrap() <= 390, "page is {wide} px wide on a 390 px phone");

    // Another date.
    fill(&c, "#on", "02/11/2021").await;
    c.find(Locator::Css("form.stats-date button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#s-flows")).await.unwrap();
    assert!(text_of(&c, "#h-flows").await.contains("02/11/2021"));
    assert_eq!(c.find(Locator::Css("#on")).await.unwrap().prop("value").await.unwrap().as_deref(), Some("02/11/2021"));
    for (section, name) in
        [("#s-key", "21-dashboard-key"), ("#s-age", "22-dashboard-pyramid"), ("#s-party-age", "23-dashboard-party-age"), ("#s-trend", "24-dashboard-trend")]
    {
        let e = c.find(Locator::Css(section)).await.unwrap();
        let png = e.screenshot().await.unwrap();
        std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    }

    // A figure opens the list behind it, with as many rows as the figure says.
    let card = c.find(Locator::Css("#s-key a.figure[href*='standing=official']")).await.unwrap();
    let value: usize = card.find(Locator::Css(".figure-value")).await.unwrap().text().await.unwrap().replace('.', "").parse().unwrap();
    assert!(value > 0);
    card.click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#results")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("#results tbody tr")).await.unwrap().len(), value);
    assert!(text_of(&c, ".active-filters").await.contains("Đảng viên chính thức · ngày 02/11/2021 · Đảng bộ tỉnh Quảng Ninh"));
    shot(&c, "25-drill-down-list-phone").await;

    // A bar of a chart is a link too: the women aged 61–70 in 2021.
    c.back().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#s-age svg")).await.unwrap();
    let bar = c.find(Locator::Css("#s-age svg a[aria-label^='Nữ, 41–50 tuổi']")).await.unwrap();
    let label = bar.attr("aria-label").await.unwrap().unwrap();
    let n: usize = label.rsplit(": ").next().unwrap().replace('.', "").parse().unwrap();
    bar.click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#results")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("#results tbody tr")).await.unwrap().len(), n, "{label}");

    // A bad date: the message beside the field.
    c.goto(&format!("{}/orgs/{}/stats?on=31/02/2021", app.base, app.ids.province)).await.unwrap();
    assert!(text_of(&c, "#on-error").await.contains("không hợp lệ"));
    shot(&c, "26-dashboard-bad-date-phone").await;

    // The desktop view, for the record.
    c.set_window_size(1280, 1000).await.unwrap();
    c.goto(&format!("{}/orgs/{}/stats?on=02/11/2021", app.base, app.ids.province)).await.unwrap();
    shot(&c, "27-dashboard-desktop").await;
    c.close().await.unwrap();
    app.stop().await;
}

/// A cell secretary records the cell's committee on a phone: a term, the secretary, a duty
/// and the secretary's post as head of the khu phố; each save says what was saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_records_the_cells_committee_on_a_phone() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app, "bithu.kp3").await;
    c.goto(&format!("{}/orgs/{}", app.base, app.ids.cell_a1)).await.unwrap();
    c.find(Locator::LinkText("Cấp ủy, nhiệm kỳ")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, ".notice").await.contains("Chưa có nhiệm kỳ"));
    c.find(Locator::LinkText("Ghi nhận nhiệm kỳ mới")).await.unwrap().click().await.unwrap();
    // A wrong date comes back beside its field, the rest kept.
    fill(&c, "#f-term_start", "31/02/2025").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#e-term_start").await.contains("không hợp lệ"));
    shot(&c, "30-committee-term-error-phone").await;
    fill(&c, "#f-term_start", "15/10/2025").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã lưu nhiệm kỳ"));
    assert!(text_of(&c, "h2").await.contains("Nhiệm kỳ 2025 – 2028"));

    // The secretary: Nguyễn Văn Thành, elected at the congress.
    // Picked by name, typed without diacritics: the matches narrow as he types.
    c.find(Locator::LinkText("Thêm chức vụ")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#picks-seat_member").await.contains("Trần Thị Lan"), "a small cell's members are listed before typing");
    fill(&c, "#f-seat_member", "nguyen van thanh").await;
    let mut picks = String::new();
    for _ in 0..50 {
        picks = text_of(&c, "#picks-seat_member").await;
        if !picks.contains("Trần Thị Lan") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(picks.contains("Nguyễn Văn Thành · sinh 1958 · Chi bộ khu phố 3") && !picks.contains("Trần Thị Lan"), "{picks}");
    c.find(Locator::Css(&format!("input[name=seat_member][value=\"{}\"]", app.ids.thanh))).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#f-position")).await.unwrap().select_by_value("bi_thu").await.unwrap();
    shot(&c, "31-committee-seat-form-phone").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã ghi nhận chức vụ"));
    assert!(text_of(&c, "table.list tbody").await.contains("Nguyễn Văn Thành"));

    // His duty, then his post as head of khu phố 3.
    c.find(Locator::LinkText("Phân công")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#f-duty_field")).await.unwrap().select_by_value("to_chuc").await.unwrap();
    fill(&c, "#f-duty_text", "Phụ trách chung, công tác tổ chức và đảng viên").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã lưu phân công"));
    c.find(Locator::LinkText("Kiêm nhiệm")).await.unwrap().click().await.unwrap();
    fill(&c, "#f-post_place", "Khu phố 3, phường Cửa Ông").await;
    fill(&c, "#f-post_from", "01/03/2017").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã lưu chức danh kiêm nhiệm"));
    let row = text_of(&c, "table.list tbody").await;
    assert!(row.contains("Trưởng thôn, khu phố, tổ dân phố Khu phố 3, phường Cửa Ông") && row.contains("Phụ trách chung"), "{row}");
    assert!(row.contains("Chờ chuẩn y"), "{row}");
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(wide.as_i64().unwrap() <= 390, "page is {wide} px wide on a 390 px phone");
    phone_page_shot(&c, "32-committee-phone").await;

    // The upper level's approval.
    c.find(Locator::LinkText("Chuẩn y")).await.unwrap().click().await.unwrap();
    fill(&c, "#f-approved_on", "20/10/2025").await;
    fill(&c, "#f-approval_no", "125-QĐ/ĐU").await;
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã lưu quyết định chuẩn y chức vụ Bí thư của đồng chí Nguyễn Văn Thành"));
    assert!(text_of(&c, "table.list tbody").await.contains("Chuẩn y ngày 20/10/2025"));

    // The working regulation as a PDF file: first a file that is not one.
    let dir = std::env::temp_dir().join(format!("chibo-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (exe, pdf) = (dir.join("cai-dat.exe"), dir.join("Quy chế làm việc.pdf"));
    std::fs::write(&exe, b"MZ\x90\x00 not a document").unwrap();
    std::fs::write(&pdf, b"%PDF-1.4\n%%EOF\n").unwrap();
    c.find(Locator::LinkText("Ban hành quy chế")).await.unwrap().click().await.unwrap();
    fill(&c, "#f-decision_number", "01-QĐ/CB").await;
    c.find(Locator::Css("#f-regulation_file")).await.unwrap().send_keys(exe.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#e-regulation_file").await.contains("không phải văn bản PDF hoặc DOCX"));
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(wide.as_i64().unwrap() <= 390, "the regulation form is {wide} px wide on a 390 px phone");
    phone_page_shot(&c, "33-committee-regulation-form-phone").await;
    c.find(Locator::Css("#f-regulation_file")).await.unwrap().send_keys(pdf.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("form.stack button[type=submit]")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "p.notice[role=status]").await.contains("Đã lưu quy chế làm việc"));
    assert!(c.find(Locator::XPath("//a[contains(., 'Tải quy chế (PDF, 1 KB)')]")).await.is_ok());
    phone_page_shot(&c, "34-committee-with-regulation-phone").await;
    std::fs::remove_dir_all(&dir).ok();

    // The committee as it stood before the congress: none.
    c.goto(&format!("{}/orgs/{}/committee?on=01/01/2025", app.base, app.ids.cell_a1)).await.unwrap();
    assert!(text_of(&c, ".notice").await.contains("Chưa có nhiệm kỳ"));
    c.close().await.unwrap();
    app.stop().await;
}

/// A member's positions on a phone: the seats as cards, each with its term, dates and duties,
/// and the concurrent post; nothing wider than the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_positions_read_on_a_phone() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    crate::positions::committees(&app).await;
    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app, "bithu.kp3").await;
    c.goto(&format!("{}/members/{}#positions", app.base, app.ids.thanh)).await.unwrap();
    assert_eq!(text_of(&c, "#positions").await, "Chức vụ trong Đảng");
    let cards = text_of(&c, "#positions + table.list tbody").await;
    assert!(cards.contains("Bí thư") && cards.contains("Nhiệm kỳ 2020 – 2023") && cards.contains("Hết nhiệm kỳ"), "{cards}");
    assert!(text_of(&c, "ul.posts").await.contains("Trưởng khu phố 3, phường Cửa Ông từ 01/01/2017"));
    let wide = c.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(wide.as_i64().unwrap() <= 390, "page is {wide} px wide on a 390 px phone");
    c.execute("document.getElementById('positions').scrollIntoView()", vec![]).await.unwrap();
    shot(&c, "33-member-positions-phone").await;
    c.close().await.unwrap();
    app.stop().await;
}

/// The value of the figure `key` of an organization's dashboard today, through the API.
async fn figure(app: &TestApp, token: &str, org: i64, key: &str) -> i64 {
    let d: serde_json::Value = app.api(reqwest::Method::GET, &format!("/orgs/{org}/dashboard"), token).send().await.unwrap().json().await.unwrap();
    d["sections"].as_array().unwrap().iter().flat_map(|s| s["figures"].as_array().unwrap().iter()).find(|f| f["key"] == key).unwrap()["value"].as_i64().unwrap()
}

/// Waits until the element's text contains `wanted` (htmx swaps it in after a request; a
/// form's answer replaces the page, whose old element goes stale meanwhile).
async fn wait_text(c: &Client, css: &str, wanted: &str) -> String {
    let mut text = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            text = t;
            if text.contains(wanted) {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    text
}

/// The secretary of Chi bộ khu phố 3 records this month's regular meeting on a 390 px phone:
/// the plan, the notice, the attendance (two excused with their reasons, one absent without
/// reason, the quorum recounted as she taps), four agenda items with a vote, the signature and
/// the printed minutes; the cell's and the ward's figure of cells that met this month go up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_records_a_regular_meeting_on_a_phone() {
    let Some((_driver, c)) = browser().await else { return };
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let people = crate::meeting::fill_cell(&app).await;
    let id_of = |name: &str| people.iter().find(|(n, _)| n == name).unwrap().1;
    let (cell, ward) = (app.ids.cell_a1, app.ids.ward_a);
    let token = app.token("quangninh", None, true).await;
    let key = "meetings.held_month";
    let before = (figure(&app, &token, cell, key).await, figure(&app, &token, ward, key).await);
    assert_eq!(before, (0, 0), "no meeting yet this month");
    let today = chibo_domain::calendar::Clock::system().today();

    c.set_window_size(390, 844).await.unwrap();
    login(&c, &app, "bithu.kp3").await;
    c.goto(&format!("{}/orgs/{cell}", app.base)).await.unwrap();
    c.find(Locator::LinkText("Sinh hoạt chi bộ")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("Lên lịch sinh hoạt")).await.unwrap().click().await.unwrap();
    fill(&c, "#f-held_on", &chibo_domain::calendar::format_date(today)).await;
    fill(&c, "#f-place", "Nhà văn hóa khu phố 3").await;
    fill(&c, "#f-documents", "Nghị quyết số 05-NQ/ĐU của Đảng ủy phường").await;
    phone_page_shot(&c, "40-meeting-plan-phone").await;
    c.find(Locator::Css("form.stack .form-actions button")).await.unwrap().click().await.unwrap();
    assert!(wait_text(&c, "p.notice[role=status]", "Đã lên lịch sinh hoạt thường kỳ").await.contains("Đã lên lịch sinh hoạt thường kỳ"));
    c.find(Locator::XPath("//button[text()='Thông báo cho đảng viên']")).await.unwrap().click().await.unwrap();
    assert!(wait_text(&c, "p.notice[role=status]", "Đã thông báo cuộc họp cho 7 đảng viên").await.contains("Đã thông báo cuộc họp cho 7 đảng viên"));
    phone_page_shot(&c, "41-meeting-notified-phone").await;

    // Attendance: everyone present; three taps change three people, two reasons typed.
    c.find(Locator::LinkText("Điểm danh")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "#counts").await.contains("Có mặt 7/7 — đủ số lượng, cần 4"));
    shot(&c, "42-meeting-attendance-phone").await;
    let (lan, cuc, dung) = (id_of("Trần Thị Lan"), id_of("Đỗ Thị Cúc"), id_of("Vũ Văn Dũng"));
    for (id, code) in [(lan, "vang_co_ly_do"), (cuc, "vang_co_ly_do"), (dung, "vang_khong_ly_do")] {
        let tap = c.find(Locator::Css(&format!("#f-presence_{id} label.tap-{code}"))).await.unwrap();
        let h = tap.rectangle().await.unwrap().3;
        assert!(h >= 44.0, "a tap target of {h} px");
        // Under the counts, which stay at the top of the screen as she scrolls.
        c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&tap).unwrap()]).await.unwrap();
        tap.click().await.unwrap();
    }
    assert!(!c.find(Locator::Css(&format!("#f-reason_{dung}"))).await.unwrap().is_displayed().await.unwrap(), "no reason box for an absence without reason");
    fill(&c, &format!("#f-reason_{lan}"), "Ốm, nằm viện").await;
    fill(&c, &format!("#f-reason_{cuc}"), "Đi công tác Hà Nội").await;
    let counts = wait_text(&c, "#counts", "Có mặt 4/7").await;
    assert!(counts.contains("Có mặt 4/7 — đủ số lượng, cần 4") && counts.contains("vắng có lý do 2 · vắng không lý do 1"), "{counts}");
    phone_page_shot(&c, "43-meeting-attendance-tapped-phone").await;
    c.find(Locator::Css("form.attendance .form-actions button")).await.unwrap().click().await.unwrap();
    assert!(wait_text(&c, "p.notice[role=status]", "Đã lưu điểm danh: Có mặt 4/7").await.contains("Đã lưu điểm danh: Có mặt 4/7"));

    // The minutes: the agenda prefilled; four items kept, the last two cleared; a vote.
    c.find(Locator::LinkText("Ghi biên bản")).await.unwrap().click().await.unwrap();
    assert_eq!(
        c.find(Locator::Css("#f-items\\.1\\.title")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some("Đánh giá kết quả thực hiện nhiệm vụ tháng trước")
    );
    fill(&c, "#f-items\\.1\\.report", "Chi bộ hoàn thành 5/5 chỉ tiêu tháng.").await;
    fill(&c, "#f-items\\.1\\.opinions", "Phạm Văn Bình: Đồng ý với báo cáo").await;
    fill(&c, "#f-items\\.1\\.conclusion", "Thống nhất đánh giá.").await;
    fill(&c, "#f-items\\.2\\.conclusion", "Quán triệt Nghị quyết 05-NQ/ĐU.").await;
    fill(&c, "#f-items\\.3\\.conclusion", "Mỗi đảng viên đăng ký một việc làm theo Bác.").await;
    fill(&c, "#f-items\\.4\\.report", "Vận động nhân dân giữ vệ sinh môi trường.").await;
    c.find(Locator::Css("#f-items\\.4\\.title"))
        .await
        .unwrap()
        .find(Locator::XPath("./ancestor::fieldset//details/summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&c, "#f-items\\.4\\.vote_subject", "Thông qua nhiệm vụ tháng tới").await;
    fill(&c, "#f-items\\.4\\.votes_for", "3").await;
    fill(&c, "#f-items\\.4\\.votes_against", "0").await;
    for n in [5, 6] {
        fill(&c, &format!("#f-items\\.{n}\\.title"), "").await;
    }
    c.find(Locator::Css("#f-chair")).await.unwrap().select_by_value(&app.ids.thanh.to_string()).await.unwrap();
    c.find(Locator::Css("#f-minutes_secretary")).await.unwrap().select_by_value(&id_of("Phạm Văn Bình").to_string()).await.unwrap();
    fill(&c, "#f-resolution_no", "12-NQ/CB").await;
    phone_page_shot(&c, "44-meeting-minutes-phone").await;
    c.find(Locator::Css("form.minutes .form-actions button.primary")).await.unwrap().click().await.unwrap();
    assert!(wait_text(&c, "p.notice[role=status]", "Đã lưu biên bản: 4 nội dung.").await.contains("Đã lưu biên bản: 4 nội dung."));

    // Signed, then printed.
    c.find(Locator::Css(".sign-form button")).await.unwrap().click().await.unwrap();
    assert!(wait_text(&c, "p.notice[role=status]", "Đã ký biên bản ngày").await.contains("Đã ký biên bản ngày"));
    phone_page_shot(&c, "45-meeting-signed-phone").await;
    c.find(Locator::LinkText("In biên bản")).await.unwrap().click().await.unwrap();
    assert!(text_of(&c, "article.letter h1").await.contains("BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ"));
    let paper = text_of(&c, "article.letter").await;
    assert!(paper.contains("Đồng chí Trần Thị Lan — vắng có lý do: Ốm, nằm viện") && paper.contains("T/M CHI BỘ"), "{paper}");
    phone_page_shot(&c, "46-meeting-print-phone").await;
    c.set_window_size(1280, 1000).await.unwrap();
    let tall = c.execute("return document.documentElement.scrollHeight", vec![]).await.unwrap().as_i64().unwrap_or(1000);
    c.set_window_size(1280, tall.clamp(1000, 4000) as u32 + 100).await.unwrap();
    shot(&c, "47-meeting-print-a4").await;

    // The month's figure counts the cell, in the cell and in the ward.
    let after = (figure(&app, &token, cell, key).await, figure(&app, &token, ward, key).await);
    assert_eq!(after, (1, 1), "the cell met this month");
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{}/", app.base)).await.unwrap();
    logout(&c).await;
    login(&c, &app, "quangninh").await;
    c.goto(&format!("{}/orgs/{ward}/stats", app.base)).await.unwrap();
    let month = format!("{:02}/{}", chrono::Datelike::month(&today), chrono::Datelike::year(&today));
    let card = c.find(Locator::XPath(&format!("//a[@class='figure'][contains(., 'Chi bộ đã sinh hoạt thường kỳ tháng {month}')]"))).await.unwrap();
    assert!(card.text().await.unwrap().starts_with('1'), "{}", card.text().await.unwrap());
    card.click().await.unwrap();
    assert!(text_of(&c, "p[aria-live=polite]").await.starts_with("1 "), "the list behind the figure");
    phone_page_shot(&c, "48-meeting-ward-figure-list-phone").await;
    c.close().await.unwrap();
    app.stop().await;
}
