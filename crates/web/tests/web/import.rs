//! The import pages: upload, preview with errors by row and column, the mapping corrected and
//! remembered, all-or-nothing refused, valid rows only, the rejected rows downloaded, progress
//! polled; and the member-list export. Jobs belong to the account that uploaded them.

use crate::helpers::{TestApp, engines, hidden};
use chibo_store::member::MemberFilter;
use std::time::{Duration, Instant};

async fn upload(app: &TestApp, c: &reqwest::Client, org: i64, name: &str, body: &str) -> String {
    let csrf = app.csrf(c).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf)
        .text("org", org.to_string())
        .part("file", reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name.to_owned()));
    let r = c.post(format!("{}/import", app.base)).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// Polls the job's progress until it asks for a reload, then returns the page.
async fn settle(app: &TestApp, c: &reqwest::Client, job: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let r = c.get(format!("{}{job}/status", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        if r.headers().get("hx-refresh").is_some() {
            break;
        }
        let body = r.text().await.unwrap();
        assert!(body.contains("<progress"), "{body}");
        assert!(Instant::now() < deadline, "import did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.get(format!("{}{job}", app.base)).send().await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_preview_commit_and_export() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("bithu.kp3").await;
        let form = c.get(format!("{}/import", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("Nhập danh sách đảng viên") && form.contains("Chi bộ khu phố 3"));
        let csv = "Họ và tên,Giới tính,Ngày sinh,Số CCCD\nĐinh Văn Mới,Nam,02/09/1980,001080009999\nLý Thị Sai,Nữ,01/01/1985,01085000123\n";
        let job = upload(&app, &c, app.ids.cell_a1, "moi.csv", csv).await;
        let page = settle(&app, &c, &job).await;
        assert!(page.contains("<strong>1</strong> hợp lệ, <strong>1</strong> có lỗi"), "{page}");
        assert!(page.contains("Dòng 3, cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)"));
        // In English: the same preview, the messages in English.
        c.get(format!("{}/lang/en?next=/", app.base)).send().await.unwrap();
        let en = c.get(format!("{}{job}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(en.contains("<strong>1</strong> valid, <strong>1</strong> with errors"), "{en}");
        assert!(en.contains("Row 3, column «Số CCCD»: a CCCD number has exactly 12 digits (got 11 characters)"), "{en}");
        assert!(en.contains("<option value=\"cccd\" selected>National ID (CCCD)</option>"));
        c.get(format!("{}/lang/vi?next=/", app.base)).send().await.unwrap();
        // Another account does not see the job.
        let admin = app.login("admin").await;
        assert_eq!(admin.get(format!("{}{job}", app.base)).send().await.unwrap().status(), 404);

        // All or nothing: refused, nothing written.
        let csrf = hidden(&page, "_csrf");
        let r = c.post(format!("{}{job}/commit", app.base)).form(&[("_csrf", csrf.as_str()), ("mode", "all")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = settle(&app, &c, &job).await;
        assert!(page.contains("tệp có 1 dòng lỗi; chưa nhập đảng viên nào"), "{page}");
        let s = app.db.store.operator("test");
        let q = |name: &str| MemberFilter { query: Some(name.into()), ..Default::default() };
        assert_eq!(s.list_members(app.ids.cell_a1, &q("Đinh Văn Mới"), 0, 5).await.unwrap().total, 0);

        // Only the valid rows: one member, and the rejected row downloadable with its error.
        let r = c.post(format!("{}{job}/commit", app.base)).form(&[("_csrf", csrf.as_str()), ("mode", "valid_only")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = settle(&app, &c, &job).await;
        assert!(page.contains("Đã nhập 1 đảng viên từ «moi.csv» (1 dòng bỏ qua)."), "{page}");
        let m = s.list_members(app.ids.cell_a1, &q("Đinh Văn Mới"), 0, 5).await.unwrap();
        assert_eq!(m.total, 1);
        assert_eq!(m.items[0].profile.cccd.as_ref().unwrap().as_str(), "001080009999");
        let r = c.get(format!("{}{job}/rejected.xlsx", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("moi-dong-bi-loai.xlsx"));
        let t = chibo_import::read_table("x.xlsx", &r.bytes().await.unwrap()).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].1[3], "01085000123");
        assert!(t.rows[0].1.last().unwrap().contains("số CCCD phải gồm đúng 12 chữ số"));

        // The same file again is refused before anything is written.
        let again = upload(&app, &c, app.ids.cell_a1, "moi-lai.csv", csv).await;
        let page = settle(&app, &c, &again).await;
        assert!(page.contains("tệp «moi.csv» đã được nhập vào «Chi bộ khu phố 3»"), "{page}");

        // The export lists the cell's members, CCCDs as text, in the import's columns.
        let r = c.get(format!("{}/export/members?org={}&format=csv", app.base, app.ids.cell_a1)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        // A header block (title, organization, day, time of export), then the import's columns.
        assert!(text.starts_with("\u{feff}DANH SÁCH ĐẢNG VIÊN"), "{text}");
        assert!(text.lines().any(|l| l.starts_with("Họ và tên,")), "{text}");
        assert!(text.contains("Đinh Văn Mới") && text.contains("001080009999") && text.contains("Nguyễn Văn Thành"));
        assert!(!text.contains("Lê Văn Hùng"), "another cell's member");
        assert!(r_disposition_ok(&app, &c).await, "a Vietnamese-safe file name");
        // The copy that left is in the audit log, with its size.
        let log = app.db.store.operator("t");
        let entries = log.audit_log(&chibo_store::audit::AuditFilter { entity: Some("org".into()), limit: 5, ..Default::default() }).await.unwrap();
        let export = entries.iter().find(|e| e.action == "member.export").expect("export audited");
        assert_eq!(export.after.as_ref().unwrap()["format"], "csv");
        // Outside the secretary's cell: not found.
        let r = c.get(format!("{}/export/members?org={}&format=xlsx", app.base, app.ids.cell_a2)).send().await.unwrap();
        assert_eq!(r.status(), 404);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mapping_is_corrected_on_the_page_and_viewers_cannot_import() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let csv = "Tên,Phái,Sinh,Đơn vị\nĐinh Thị Ba,Nữ,03/03/1983,22.CP.CO.KP10\n";
        let job = upload(&app, &c, app.ids.ward_a, "ba.csv", csv).await;
        let page = settle(&app, &c, &job).await;
        assert!(page.contains("chưa chọn cột cho «Họ và tên»"), "{page}");
        let csrf = hidden(&page, "_csrf");
        let form = [("_csrf", csrf.as_str()), ("col0", "full_name"), ("col1", "gender"), ("col2", "birth_date"), ("col3", "cell_code")];
        assert_eq!(c.post(format!("{}{job}/mapping", app.base)).form(&form).send().await.unwrap().status(), 303);
        let page = settle(&app, &c, &job).await;
        assert!(page.contains("<strong>1</strong> hợp lệ, <strong>0</strong> có lỗi"), "{page}");
        assert!(page.contains("<option value=\"cell_code\" selected>Mã chi bộ</option>"));
        // Remembered: the same headers in another file are mapped the same way.
        let job2 = upload(&app, &c, app.ids.ward_a, "ba2.csv", "Tên,Phái,Sinh,Đơn vị\nĐinh Văn Tư,Nam,04/04/1984,22.CP.CO.KP3\n").await;
        let page = settle(&app, &c, &job2).await;
        assert!(page.contains("<strong>1</strong> hợp lệ"), "{page}");

        let viewer = app.login("campha").await;
        assert_eq!(viewer.get(format!("{}/import", app.base)).send().await.unwrap().status(), 403);
        // A viewer exports (read-only), cell codes and all; nothing was imported yet.
        let text = viewer.get(format!("{}/export/members?org={}&format=csv", app.base, app.ids.ward_a)).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("Lê Văn Hùng,") && text.contains(",22.CP.CO.KP10,Chi bộ khu phố 10,"), "{text}");
        assert!(!text.contains("Đinh Thị Ba"));
        app.stop().await;
    }
}

/// Serves another user's page again and again while the job runs; each must come back in
/// under two seconds. Returns how many were served while the job was in `phase`.
async fn serve_others_while_running(app: &TestApp, c: &reqwest::Client, other: &reqwest::Client, job: &str, phase: &str) -> usize {
    let mut served = 0;
    loop {
        let r = c.get(format!("{}{job}/status", app.base)).send().await.unwrap();
        if r.headers().get("hx-refresh").is_some() {
            return served;
        }
        let in_phase = r.text().await.unwrap().contains(phase);
        let t = Instant::now();
        let r = other.get(format!("{}/members?q=hung", app.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("Lê Văn Hùng"));
        assert!(t.elapsed() < Duration::from_secs(2), "a page took {:?} during the import", t.elapsed());
        served += usize::from(in_phase);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_users_are_served_during_a_large_import() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let mut csv = String::from("Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã chi bộ\n");
        for i in 0..30_000 {
            csv.push_str(&format!(
                "Nguyễn Văn Số {i},Nam,{:02}/{:02}/{},{:012},22.CP.CO.KP{}\n",
                i % 28 + 1,
                i % 12 + 1,
                1950 + i % 40,
                7_000_000 + i,
                if i % 2 == 0 { 3 } else { 10 }
            ));
        }
        let job = upload(&app, &c, app.ids.ward_a, "lon.csv", &csv).await;
        let other = app.login("campha").await;
        assert!(serve_others_while_running(&app, &c, &other, &job, "Đang kiểm tra").await > 0, "the check finished before another user was served");
        let page = c.get(format!("{}{job}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<strong>30000</strong> hợp lệ"), "{page}");
        let csrf = hidden(&page, "_csrf");
        let r = c.post(format!("{}{job}/commit", app.base)).form(&[("_csrf", csrf.as_str()), ("mode", "all")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert!(serve_others_while_running(&app, &c, &other, &job, "Đang ghi").await > 0, "the writes finished before another user was served");
        let page = c.get(format!("{}{job}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Đã nhập 30000 đảng viên"), "{page}");
        app.stop().await;
    }
}

/// The export's Content-Disposition carries an ASCII name and the UTF-8 one.
async fn r_disposition_ok(app: &TestApp, c: &reqwest::Client) -> bool {
    let r = c.get(format!("{}/export/members?org={}&format=csv", app.base, app.ids.cell_a1)).send().await.unwrap();
    let d = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    d.starts_with("attachment; filename=\"danh-sach-dang-vien-") && d.contains("filename*=UTF-8''danh-sach-dang-vien-")
}
