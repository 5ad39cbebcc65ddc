//! Committees on the web, on both engines: the working regulation as a file (uploaded, read
//! back byte for byte, refused when it is not a PDF or DOCX or too large, hidden from other
//! cells), the upper level's approval of an elected position, the committee lists as
//! spreadsheets, and the holder's picker that finds members by name.

use crate::helpers::{PASSWORD, TestApp, engines, hidden};
use calamine::{Data, Reader};
use chibo_domain::account::Role;
use chibo_store::account::NewAccount;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method};
use serde_json::Value;

/// A small but well-formed PDF.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A secretary of another cell of the same ward (Chi bộ khu phố 10).
async fn other_secretary(app: &TestApp) -> Client {
    let password_hash = chibo_web::auth::hash_password(PASSWORD).unwrap();
    let account = NewAccount {
        login: "bithu.kp10".into(),
        display_name: "bithu.kp10".into(),
        password_hash,
        role: Role::Secretary,
        org_id: Some(app.ids.cell_a2),
        member_id: None,
    };
    app.db.store.operator("t").create_account(account).await.unwrap();
    app.login("bithu.kp10").await
}

/// Khu phố 3's term from its congress of 15/10/2025, recorded through the page.
async fn term(app: &TestApp, c: &Client, csrf: &str) -> i64 {
    let r = c.post(format!("{}/orgs/{}/terms/new", app.base, app.ids.cell_a1)).form(&[("_csrf", csrf), ("term_start", "15/10/2025")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    app.db.store.operator("t").terms(app.ids.cell_a1).await.unwrap()[0].id
}

/// Nguyễn Văn Thành elected secretary at the congress, picked in the holder's picker.
async fn secretary(app: &TestApp, c: &Client, csrf: &str, term: i64) -> i64 {
    let thanh = app.ids.thanh.to_string();
    let form = [("_csrf", csrf), ("seat_member", &thanh), ("seat_member_q", ""), ("position", "bi_thu"), ("basis", "bau"), ("seat_from", "15/10/2025")];
    let r = c.post(format!("{}/terms/{term}/seats/new", app.base)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    app.db.store.operator("t").term_seats(term).await.unwrap()[0].id
}

/// The app on a fresh database, khu phố 3's secretary signed in, with the cell's term.
async fn cell_with_term(db: chibo_store::testing::TestDb) -> (TestApp, Client, String, i64) {
    let app = TestApp::start(db).await;
    let c = app.login("bithu.kp3").await;
    let csrf = app.csrf(&c).await;
    let term = term(&app, &c, &csrf).await;
    (app, c, csrf, term)
}

fn regulation_form(csrf: &str, file: Part) -> Form {
    Form::new()
        .text("_csrf", csrf.to_owned())
        .text("adopted_on", "20/10/2025")
        .text("decision_number", "01-QĐ/CB")
        .text("regulation_text", "")
        .part("regulation_file", file)
}

async fn committee_page(app: &TestApp, c: &Client) -> String {
    c.get(format!("{}/orgs/{}/committee", app.base, app.ids.cell_a1)).send().await.unwrap().text().await.unwrap()
}

/// The text between `after` and the next `"`.
fn attr_after(html: &str, after: &str) -> String {
    let i = html.find(after).unwrap_or_else(|| panic!("«{after}» not in the page"));
    html[i + after.len()..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regulation_file_is_read_back_byte_for_byte_and_only_inside_the_scope() {
    for db in engines().await {
        let (app, c, csrf, term) = cell_with_term(db).await;
        // The form sends files: it says so.
        let form = c.get(format!("{}/terms/{term}/regulation", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("type=\"file\"") && form.contains("tối đa 10 MB"), "{form}");

        let name = "Quy chế làm việc chi bộ.pdf";
        let part = Part::bytes(PDF.to_vec()).file_name(name).mime_str("application/pdf").unwrap();
        let r = c.post(format!("{}/terms/{term}/regulation", app.base)).multipart(regulation_form(&csrf, part)).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.ends_with("saved=regulation"));
        let page = c.get(format!("{}{to}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Đã lưu quy chế làm việc.") && page.contains("Số 01-QĐ/CB · ban hành ngày 20/10/2025"), "{page}");
        assert!(page.contains("Tải quy chế (PDF, 1 KB)"), "{page}");
        let href = attr_after(&page, "<a href=\"/regulations/");
        let url = format!("{}/regulations/{href}", app.base);

        let r = c.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"quy_che_lam_viec_chi_bo.pdf\""), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''Quy%20ch%E1%BA%BF%20l%C3%A0m%20vi%E1%BB%87c%20chi%20b%E1%BB%99.pdf"), "{disposition}");
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF, "the file comes back byte for byte");

        // Another cell's secretary and a member's own account: not found, like no file at all.
        let other = other_secretary(&app).await;
        assert_eq!(other.get(&url).send().await.unwrap().status(), 404);
        assert_eq!(app.login("thanh").await.get(&url).send().await.unwrap().status(), 404);
        // The district's viewer reads it.
        assert_eq!(app.login("campha").await.get(&url).send().await.unwrap().bytes().await.unwrap().as_ref(), PDF);

        // Through the API: the same bytes to the cell's token, 404 to the other cell's.
        let id: i64 = href.split('/').next().unwrap().parse().unwrap();
        let mine = app.token("bithu.kp3", None, true).await;
        let theirs = app.token("bithu.kp10", None, true).await;
        let r = app.api(Method::GET, &format!("/regulations/{id}/file"), &mine).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
        let r = app.api(Method::GET, &format!("/regulations/{id}/file"), &theirs).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_that_is_not_a_pdf_or_docx_or_too_large_is_refused_beside_its_field_and_nothing_is_stored() {
    for db in engines().await {
        let (app, c, csrf, term) = cell_with_term(db).await;
        let send = async |name: &str, bytes: Vec<u8>| {
            let part = Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/octet-stream").unwrap();
            let r = c.post(format!("{}/terms/{term}/regulation", app.base)).multipart(regulation_form(&csrf, part)).send().await.unwrap();
            assert_eq!(r.status(), 200, "the form comes back");
            let cut_off = r.headers().get("connection").is_some_and(|v| v == "close");
            (r.text().await.unwrap(), cut_off)
        };
        let (page, _) = send("cai-dat.exe", b"MZ\x90\x00\x03\x00\x00\x00 This program cannot be run in DOS mode".to_vec()).await;
        let error = attr_after(&page, "id=\"e-regulation_file\">").replace("&laquo;", "«");
        assert!(page.contains("id=\"e-regulation_file\">tệp «cai-dat.exe» không phải văn bản PDF hoặc DOCX"), "{error}\n{page}");
        assert!(page.contains("value=\"01-QĐ/CB\""), "what was typed is kept");
        assert!(!page.contains("chưa được lưu: hãy chọn lại tệp"), "the refused file's own error says what is wrong");
        // A name that lies is read by its first bytes.
        let (page, _) = send("quy-che.pdf", b"<html>not a pdf</html>".to_vec()).await;
        assert!(page.contains("tệp «quy-che.pdf» không phải văn bản PDF hoặc DOCX"));
        // Above the rules' 10 MB, and above the request limit itself: the same message.
        let big = [PDF, &vec![b' '; 11 * 1024 * 1024]].concat();
        let (page, cut_off) = send("quy-che-lon.pdf", big).await;
        assert!(page.contains("id=\"e-regulation_file\">tệp 11264 KB, vượt quá 10240 KB"), "{}", attr_after(&page, "id=\"e-regulation_file\">"));
        assert!(!cut_off, "read whole, refused by the rules");
        let huge = [PDF, &vec![b' '; 17 * 1024 * 1024]].concat();
        let (page, cut_off) = send("quy-che-rat-lon.pdf", huge).await;
        assert!(page.contains("id=\"e-regulation_file\">tệp 174") && page.contains("vượt quá 10240 KB"), "{}", attr_after(&page, "id=\"e-regulation_file\">"));
        assert!(cut_off, "cut off at the request limit, and the connection closed");
        // A good file refused for another field's sake: the person is told to choose it again.
        let part = Part::bytes(PDF.to_vec()).file_name("quy-che.pdf").mime_str("application/pdf").unwrap();
        let form = Form::new().text("_csrf", csrf.clone()).text("adopted_on", "20/10/2025").text("decision_number", "").part("regulation_file", part);
        let page = c.post(format!("{}/terms/{term}/regulation", app.base)).multipart(form).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("id=\"e-decision_number\">không được để trống") && page.contains("Tệp «quy-che.pdf» chưa được lưu: hãy chọn lại tệp"), "{page}");
        // Nothing was stored.
        assert!(app.db.store.operator("t").regulations(term).await.unwrap().is_empty());
        assert!(committee_page(&app, &c).await.contains("Chưa ban hành quy chế làm việc"));
        // A typed text still goes as a plain form.
        let form = [("_csrf", csrf.as_str()), ("adopted_on", "20/10/2025"), ("decision_number", "01-QĐ/CB"), ("regulation_text", "Điều 1. Phạm vi")];
        let r = c.post(format!("{}/terms/{term}/regulation", app.base)).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let stored = app.db.store.operator("t").regulations(term).await.unwrap();
        assert_eq!((stored.len(), stored[0].text.as_deref(), stored[0].file.is_none()), (1, Some("Điều 1. Phạm vi"), true));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_adopts_a_regulation_as_json_text_or_as_a_multipart_file() {
    for db in engines().await {
        let (app, _, _, term) = cell_with_term(db).await;
        let token = app.token("bithu.kp3", None, false).await;
        let path = format!("/terms/{term}/regulations");
        let r = app
            .api(Method::POST, &path, &token)
            .json(&serde_json::json!({"adopted_on": "2025-10-20", "decision_no": "01-QĐ/CB", "text": "Điều 1."}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["revision"].as_i64(), v["text"].as_str(), v["file"].is_null()), (Some(1), Some("Điều 1."), true));

        let form = |name: &str, bytes: &[u8]| {
            Form::new().text("adopted_on", "21/10/2025").text("decision_no", "02-QĐ/CB").part("file", Part::bytes(bytes.to_vec()).file_name(name.to_owned()))
        };
        let r = app.api(Method::POST, &path, &token).multipart(form("quy-chế.pdf", PDF)).send().await.unwrap();
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["revision"].as_i64(), v["file"]["name"].as_str(), v["file"]["size"].as_u64()), (Some(2), Some("quy-chế.pdf"), Some(PDF.len() as u64)));
        let back = app.api(Method::GET, &v["file"]["href"].as_str().unwrap()["/api/v1".len()..], &token).send().await.unwrap();
        assert_eq!(back.bytes().await.unwrap().as_ref(), PDF);

        let r = app.api(Method::POST, &path, &token).multipart(form("setup.exe", b"MZ\x90\x00")).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["errors"][0]["field"].as_str(), v["errors"][0]["code"].as_str()), (Some("regulation_file"), Some("file_type")));
        assert!(v["errors"][0]["message"].as_str().unwrap().contains("không phải văn bản PDF hoặc DOCX"));
        // A part the operation does not know is refused like a JSON body's unknown field.
        let r = app.api(Method::POST, &path, &token).multipart(form("a.pdf", PDF).text("member_id", "7")).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "multipart_data");
        // 11 MB passes the API's 64 KB limit for JSON (the file's route has its own) and is
        // refused by the rules' 10 MB.
        let big = [PDF, &vec![b' '; 11 * 1024 * 1024]].concat();
        let r = app.api(Method::POST, &path, &token).multipart(form("lon.pdf", &big)).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["errors"][0]["code"].as_str(), Some("file_too_large"));
        assert_eq!(app.db.store.operator("t").regulations(term).await.unwrap().len(), 2, "the refused files stored nothing");
        // A read-only token is refused; a token of another cell does not find the term.
        let read_only = app.token("bithu.kp3", None, true).await;
        assert_eq!(app.api(Method::POST, &path, &read_only).multipart(form("a.pdf", PDF)).send().await.unwrap().status(), 403);
        other_secretary(&app).await;
        let theirs = app.token("bithu.kp10", None, false).await;
        assert_eq!(app.api(Method::POST, &path, &theirs).multipart(form("a.pdf", PDF)).send().await.unwrap().status(), 404);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_elected_position_waits_for_approval_until_the_upper_levels_decision_is_recorded() {
    for db in engines().await {
        let (app, c, csrf, term) = cell_with_term(db).await;
        let seat = secretary(&app, &c, &csrf, term).await;
        let page = committee_page(&app, &c).await;
        assert!(page.contains("Chờ chuẩn y") && page.contains(&format!("href=\"/seats/{seat}/approve\"")), "{page}");

        let form = c.get(format!("{}/seats/{seat}/approve", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("Nguyễn Văn Thành · Bí thư · Chi bộ khu phố 3 · được bầu từ ngày 15/10/2025"), "{form}");
        assert!(!form.contains("name=\"seat_member\"") && !form.contains("name=\"member_id\""), "no identifier is asked");
        let version = hidden(&form, "version");
        let url = format!("{}/seats/{seat}/approve", app.base);
        // A day before the election, then no number: refused beside the fields.
        let r = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("approved_on", "10/10/2025"), ("approval_no", "125-QĐ/ĐU"), ("version", &version)])
            .send()
            .await
            .unwrap();
        let text = r.text().await.unwrap();
        assert!(text.contains("id=\"e-approved_on\"") && text.contains("không được trước ngày nhận chức (15/10/2025)"), "{text}");
        let r =
            c.post(&url).form(&[("_csrf", csrf.as_str()), ("approved_on", "20/10/2025"), ("approval_no", " "), ("version", &version)]).send().await.unwrap();
        assert!(r.text().await.unwrap().contains("id=\"e-approval_no\">không được để trống"));
        assert!(app.db.store.operator("t").term_seats(term).await.unwrap()[0].approved_on.is_none(), "nothing saved yet");

        let r = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("approved_on", "20/10/2025"), ("approval_no", "125-QĐ/ĐU"), ("version", &version)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        let page = c.get(format!("{}{to}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Đã lưu quyết định chuẩn y chức vụ Bí thư của đồng chí Nguyễn Văn Thành (số 125-QĐ/ĐU)."), "{page}");
        assert!(page.contains("Chuẩn y ngày 20/10/2025 (số 125-QĐ/ĐU)") && !page.contains("Chờ chuẩn y"), "{page}");
        // The same old form again: the seat has changed since.
        let r = c
            .post(&url)
            .form(&[("_csrf", csrf.as_str()), ("approved_on", "21/10/2025"), ("approval_no", "126-QĐ/ĐU"), ("version", &version)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let s = &app.db.store.operator("t").term_seats(term).await.unwrap()[0];
        assert_eq!((s.approval_no.as_deref(), s.version), (Some("125-QĐ/ĐU"), version.parse::<i64>().unwrap() + 1));
        // A read-only viewer sees it and may not approve.
        let viewer = app.login("campha").await;
        assert_eq!(viewer.get(&url).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_approves_a_position_with_if_match() {
    for db in engines().await {
        let (app, c, csrf, term) = cell_with_term(db).await;
        let seat = secretary(&app, &c, &csrf, term).await;
        let token = app.token("bithu.kp3", None, false).await;
        let path = format!("/seats/{seat}/approve");
        let body = serde_json::json!({"approved_on": "2025-10-20", "approval_no": "125-QĐ/ĐU"});
        assert_eq!(app.api(Method::POST, &path, &token).json(&body).send().await.unwrap().status(), 428);
        assert_eq!(app.api(Method::POST, &path, &token).header("If-Match", "\"7\"").json(&body).send().await.unwrap().status(), 412);
        let early = serde_json::json!({"approved_on": "2025-10-01", "approval_no": "125-QĐ/ĐU"});
        let r = app.api(Method::POST, &path, &token).header("If-Match", "\"1\"").json(&early).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let r = app.api(Method::POST, &path, &token).header("If-Match", "\"1\"").json(&body).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["etag"], "\"2\"");
        let v: Value = r.json().await.unwrap();
        assert_eq!((v["approved_on"].as_str(), v["approval_no"].as_str()), (Some("2025-10-20"), Some("125-QĐ/ĐU")));
        app.stop().await;
    }
}

/// The rows of the first sheet, every cell as text (dates as dd/mm/yyyy).
fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::DateTime(d) => d.as_datetime().unwrap().format("%d/%m/%Y").to_string(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_and_its_terms_download_as_spreadsheets_with_the_rows_of_the_page() {
    for db in engines().await {
        let (app, c, csrf, term) = cell_with_term(db).await;
        let seat = secretary(&app, &c, &csrf, term).await;
        let duty = [("_csrf", csrf.as_str()), ("duty_field", "to_chuc"), ("duty_text", "Phụ trách chung"), ("duty_from", "15/10/2025")];
        assert_eq!(c.post(format!("{}/seats/{seat}/duties/new", app.base)).form(&duty).send().await.unwrap().status(), 303);
        let page = committee_page(&app, &c).await;
        assert!(page.contains("Tải Excel") && page.contains("/committee/export?on="), "{page}");

        let r = c.get(format!("{}/orgs/{}/committee/export?on=01/11/2025&format=xlsx", app.base, app.ids.cell_a1)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("cap-uy-22.CP.CO.KP3-2025-11-01.xlsx"));
        let rows = sheet(&r.bytes().await.unwrap());
        assert_eq!(rows[0][0], "DANH SÁCH CẤP ỦY");
        assert!(rows.iter().any(|r| r[0] == "Số liệu tính đến ngày" && r[1] == "01/11/2025"), "{rows:?}");
        let header = rows.iter().position(|r| r[0] == "STT").expect("the header row");
        assert_eq!(rows[header][1..4], ["Chức vụ", "Họ và tên", "Từ ngày"]);
        let body = &rows[header + 1..];
        assert_eq!(body.len(), 1, "one position, as on the page: {body:?}");
        assert_eq!(body[0][1..5], ["Bí thư", "Nguyễn Văn Thành", "15/10/2025", "Được bầu"]);
        assert_eq!(body[0][8], "Chờ chuẩn y");
        assert!(body[0][9].contains("Phụ trách chung"), "{:?}", body[0]);
        // Before the congress: the heading says so and there are no rows.
        let r = c.get(format!("{}/orgs/{}/committee/export?on=01/01/2025", app.base, app.ids.cell_a1)).send().await.unwrap();
        let rows = sheet(&r.bytes().await.unwrap());
        assert!(rows.iter().any(|r| r[1] == "Chưa có nhiệm kỳ vào ngày này"));
        assert_eq!(rows.last().unwrap()[0], "STT");

        let csv = c.get(format!("{}/orgs/{}/committee/export?on=01/11/2025&format=csv", app.base, app.ids.cell_a1)).send().await.unwrap();
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}') && csv.contains("1,Bí thư,Nguyễn Văn Thành,15/10/2025,Được bầu"), "{csv}");
        // The copies of the names that left are in the audit log, each with its size.
        let log = app.db.store.operator("t");
        let entries = log.audit_log(&chibo_store::audit::AuditFilter { entity: Some("org".into()), limit: 10, ..Default::default() }).await.unwrap();
        let exports: Vec<_> = entries.iter().filter(|e| e.action == "committee.export").collect();
        assert_eq!(exports.len(), 3, "{entries:?}");
        assert_eq!((exports[0].after.as_ref().unwrap()["format"].as_str(), exports[0].after.as_ref().unwrap()["rows"].as_i64()), (Some("csv"), Some(1)));

        let r = c.get(format!("{}/orgs/{}/terms/export?format=xlsx", app.base, app.ids.cell_a1)).send().await.unwrap();
        let rows = sheet(&r.bytes().await.unwrap());
        let header = rows.iter().position(|r| r[0] == "Nhiệm kỳ").expect("the header row");
        assert_eq!(rows[header + 1][0..3], ["Nhiệm kỳ 2025 – 2028", "15/10/2025", "15/04/2028"]);
        // Another cell's secretary does not get it.
        let other = other_secretary(&app).await;
        assert_eq!(other.get(format!("{}/orgs/{}/committee/export", app.base, app.ids.cell_a1)).send().await.unwrap().status(), 404);
        assert_eq!(other.get(format!("{}/orgs/{}/terms/export", app.base, app.ids.cell_a1)).send().await.unwrap().status(), 404);
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_holder_is_picked_by_name_without_diacritics_among_the_organizations_members_only() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let csrf = app.csrf(&c).await;
        // A ward committee's term: the picker searches the whole ward (both cells).
        let r = c
            .post(format!("{}/orgs/{}/terms/new", app.base, app.ids.ward_a))
            .form(&[("_csrf", csrf.as_str()), ("term_start", "15/10/2025")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let term = app.db.store.operator("t").terms(app.ids.ward_a).await.unwrap()[0].id;
        let picks = |q: &str| {
            let url = format!("{}/terms/{term}/holders?seat_member_q={}", app.base, q.replace(' ', "+"));
            let c = c.clone();
            async move { c.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let found = picks("le van hung").await;
        assert!(found.contains(&format!("value=\"{}\"", app.ids.hung)) && found.contains("Lê Văn Hùng · sinh 1980 · Chi bộ khu phố 10"), "{found}");
        assert!(!found.contains("Nguyễn Văn Thành"));
        assert!(picks("tran thi lan").await.contains("Trần Thị Lan · sinh 1975 · Chi bộ khu phố 3"));
        // Someone of another ward is not offered.
        let none = picks("pham thi hoa").await;
        assert!(!none.contains("Phạm Thị Hoa") && none.contains("Không có đảng viên nào của tổ chức khớp «pham thi hoa»"), "{none}");

        // Many members: the first 20 in Vietnamese order, and how many more.
        let s = app.db.store.operator("t");
        for i in 0..25 {
            let input = chibo_domain::member::MemberInput {
                full_name: format!("Đỗ Văn Thử {i}"),
                gender: "nam".into(),
                birth_date: "01/01/1990".into(),
                cccd: format!("0220900{i:05}"),
                ..Default::default()
            };
            let p = input.validate(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
            let on = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
            let ev = chibo_domain::member::MemberEvent {
                on,
                change: chibo_domain::member::MemberChange::Registered { cell: app.ids.cell_a2, status: chibo_domain::member::MemberStatus::Official },
            };
            s.create_member(p, ev, None).await.unwrap();
        }
        let many = picks("do van thu").await;
        assert_eq!(many.matches("type=\"radio\"").count(), 20);
        assert!(many.contains("Còn 5 người nữa; hãy gõ thêm họ tên để thu hẹp."), "{many}");

        // Without a script: the name typed alone picks the only match; an ambiguous one comes
        // back with the matches to choose from.
        let seat = |q: &'static str| {
            [("_csrf", csrf.clone()), ("seat_member_q", q.into()), ("position", "bi_thu".into()), ("basis", "bau".into()), ("seat_from", "15/10/2025".into())]
        };
        let r = c.post(format!("{}/terms/{term}/seats/new", app.base)).form(&seat("do van thu")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let text = r.text().await.unwrap();
        assert!(text.contains("id=\"e-seat_member\">không được để trống") && text.matches("type=\"radio\"").count() == 20, "{text}");
        let r = c.post(format!("{}/terms/{term}/seats/new", app.base)).form(&seat("le van hung")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let seats = app.db.store.operator("t").term_seats(term).await.unwrap();
        assert_eq!((seats.len(), seats[0].member_id), (1, app.ids.hung));
        // A member of another province picked by a forged key: not found, nothing saved.
        let nam = app.ids.nam.to_string();
        let form = [("_csrf", csrf.as_str()), ("seat_member", nam.as_str()), ("position", "pho_bi_thu"), ("basis", "bau"), ("seat_from", "15/10/2025")];
        let r = c.post(format!("{}/terms/{term}/seats/new", app.base)).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("id=\"e-seat_member\""));
        assert_eq!(app.db.store.operator("t").term_seats(term).await.unwrap().len(), 1);
        app.stop().await;
    }
}
