//! Imports on both engines, from spreadsheets and CSV files the tests write themselves:
//! every row error in Vietnamese by row and column, all-or-nothing, valid rows only with the
//! rejected rows as a spreadsheet, re-import without duplicates, and the export round trip.

use chibo_domain::calendar::format_date;
use chibo_domain::error::ErrorCode;
use chibo_domain::member::{Gender, MemberChange, MemberEvent, MemberInput, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind};
use chibo_domain::scope::{Actor, Reach, Rights};
use chibo_import::{ImportError, Mapping, Mode, Phase, commit, export, prepare, read_table, remember_mapping};
use chibo_store::Scope;
use chibo_store::audit::AuditFilter;
use chibo_store::member::MemberFilter;
use chibo_store::org::NewOrg;
use chibo_store::{Store, StoreError, db_test};
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn admin() -> Scope {
    Scope::operator("test")
}

fn quiet(_: Phase, _: u64, _: u64) {}

struct Tree {
    ward: OrgId,
    kp3: OrgId,
    kp10: OrgId,
    other_cell: OrgId,
}

async fn tree(store: &Store) -> Tree {
    let s = store.within(&admin());
    let on = d(2000, 1, 1);
    let org = |code: &str, name: &str, kind, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let province = s.create_org(org("QN", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, None)).await.unwrap().id;
    let ward = s.create_org(org("QN.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, Some(province))).await.unwrap().id;
    let kp3 = s.create_org(org("QN.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, Some(ward))).await.unwrap().id;
    let kp10 = s.create_org(org("QN.CO.KP10", "Chi bộ khu phố 10", OrgKind::Cell, Some(ward))).await.unwrap().id;
    let other_ward = s.create_org(org("QN.BC", "Đảng bộ phường Bãi Cháy", OrgKind::GrassrootsCommittee, Some(province))).await.unwrap().id;
    let other_cell = s.create_org(org("QN.BC.1", "Chi bộ khu 1", OrgKind::Cell, Some(other_ward))).await.unwrap().id;
    Tree { ward, kp3, kp10, other_cell }
}

/// A workbook of text cells, except `(row, col, serial)` numbers written as numbers.
fn xlsx(rows: &[Vec<&str>], numbers: &[(u32, u16, f64)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    for (r, c, n) in numbers {
        ws.write_number(*r, *c, *n).unwrap();
    }
    book.save_to_buffer().unwrap()
}

const HEADERS: [&str; 9] = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Số thẻ đảng", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"];

async fn existing_member(store: &Store, cell: OrgId) {
    let profile = MemberInput {
        full_name: "Trần Thị Hoa".into(),
        gender: "nu".into(),
        birth_date: "02/03/1975".into(),
        cccd: "022175000111".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    store.within(&admin()).create_member(profile, MemberEvent { on: d(2000, 5, 1), change: MemberChange::Admitted { cell } }, None).await.unwrap();
}

async fn member_count(store: &Store, org: OrgId) -> i64 {
    store.within(&admin()).list_members(org, &MemberFilter::default(), 0, 1).await.unwrap().total
}

db_test!(preview_names_every_error_by_row_and_column, |store| {
    let t = tree(store).await;
    existing_member(store, t.kp3).await;
    let future = format_date(today() + chrono::Days::new(3));
    let mut rows = vec![HEADERS.to_vec()];
    rows.extend([
        // 2: valid; birth date an Excel serial number (15/06/1962), CCCD with a leading zero.
        vec!["1", "Nguyễn Văn Thành", "Nam", "", "001062001234", "093456", "01/03/1990", "01/03/1991", "Chi bộ khu phố 3"],
        // 3: CCCD of 11 digits.
        vec!["2", "Lê Văn An", "Nam", "12/12/1970", "01062001234", "", "01/03/1995", "", "Chi bộ khu phố 3"],
        // 4: impossible date.
        vec!["3", "Phạm Thị Bích", "Nữ", "31/02/1980", "", "", "", "", "Chi bộ khu phố 3"],
        // 5: admission in the future.
        vec!["4", "Hoàng Văn Cường", "Nam", "1/2/80", "", "", &future, "", "Chi bộ khu phố 10"],
        // 6: official before admission.
        vec!["5", "Đỗ Thị Dung", "Nữ", "1981-04-05", "", "", "10/10/2010", "09/10/2010", "Chi bộ khu phố 10"],
        // 7: unknown cell (a cell of another ward is unknown here too).
        vec!["6", "Vũ Văn Em", "Nam", "05/05/1985", "", "", "", "", "Chi bộ khu 1"],
        // 8: same CCCD as row 2.
        vec!["7", "Ngô Văn Phúc", "Nam", "06/06/1986", "001062001234", "", "", "", "Chi bộ khu phố 3"],
        // 9: CCCD of a member already recorded.
        vec!["8", "Trần Hoa", "Nữ", "07/07/1977", "022175000111", "", "", "", "Chi bộ khu phố 3"],
        // 10: name and birth date of a member already recorded (diacritics and case aside).
        vec!["9", "TRAN THI HOA", "Nữ", "02/03/1975", "", "", "", "", "Chi bộ khu phố 10"],
        // 11: valid, d/m/yy dates.
        vec!["10", "Bùi Thị Giang", "Nữ", "3/4/88", "", "", "5/6/15", "", "Chi bộ khu phố 10"],
    ]);
    let bytes = xlsx(&rows, &[(1, 3, 22812.0)]);
    let s = store.within(&admin());
    let p = prepare(&s, t.ward, "danh_sach.xlsx", &bytes, None, &quiet).await.unwrap();
    assert!(p.preview.problems.is_empty(), "{:?}", p.preview.problems);
    let messages: Vec<String> = p.preview.errors().map(|e| e.message()).collect();
    let expect = [
        "Dòng 3, cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)",
        "Dòng 4, cột «Ngày sinh»: ngày «31/02/1980» không hợp lệ, hãy nhập theo dạng dd/mm/yyyy",
        &format!("Dòng 5, cột «Ngày vào Đảng»: ngày {future} ở tương lai (hôm nay là {})", format_date(today())),
        "Dòng 6, cột «Ngày chính thức»: ngày 09/10/2010 không được trước ngày vào Đảng (10/10/2010)",
        "Dòng 7, cột «Chi bộ»: không có chi bộ «Chi bộ khu 1» thuộc «Đảng bộ phường Cửa Ông»",
        "Dòng 8, cột «Số CCCD»: trùng số CCCD với dòng 2 trong tệp",
        "Dòng 9, cột «Số CCCD»: có thể trùng với đảng viên đã có: Trần Thị Hoa, sinh 02/03/1975, Chi bộ khu phố 3 (cùng số CCCD)",
        "Dòng 10, cột «Họ và tên»: có thể trùng với đảng viên đã có: Trần Thị Hoa, sinh 02/03/1975, Chi bộ khu phố 3 (cùng họ tên và ngày sinh)",
    ];
    assert_eq!(messages, expect.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(p.preview.valid_count(), 2);
    let first = p.preview.rows[0].row.as_ref().unwrap();
    assert_eq!(first.profile.birth_date, d(1962, 6, 15));
    assert_eq!(first.profile.cccd.as_ref().unwrap().as_str(), "001062001234");
    assert_eq!(first.profile.card_number.as_ref().unwrap().as_str(), "093456");
    assert_eq!(first.status, MemberStatus::Official);
    let last = p.preview.rows[9].row.as_ref().unwrap();
    assert_eq!((last.profile.birth_date, last.admitted_on, last.cell), (d(1988, 4, 3), Some(d(2015, 6, 5)), t.kp10));

    // All or nothing: refused, nothing written.
    let before = member_count(store, t.ward).await;
    let err = commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap_err();
    assert!(matches!(err, ImportError::Rejected { invalid: 8, .. }), "{err}");
    assert!(err.to_string().contains("tệp có 8 dòng lỗi; chưa nhập đảng viên nào"));
    assert_eq!(member_count(store, t.ward).await, before);
    assert!(s.imports(t.ward).await.unwrap().is_empty());

    // Only the valid rows, when asked; the rejected rows come back as a spreadsheet.
    let rec = commit(&s, &p, Mode::ValidOnly, &quiet).await.unwrap();
    assert_eq!((rec.row_count, rec.imported, rec.rejected), (10, 2, 8));
    assert_eq!(member_count(store, t.ward).await, before + 2);
    let rejected = export::rejected_xlsx(&p.preview, &p.table).unwrap();
    let back = read_table("loai.xlsx", &rejected).unwrap();
    assert_eq!(back.headers.last().map(String::as_str), Some("Lỗi"));
    assert_eq!(back.rows.len(), 8);
    assert_eq!(back.rows[0].1[4], "01062001234");
    assert!(back.rows[0].1.last().unwrap().contains("cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số"));
});

db_test!(csv_in_windows_1258_and_utf8_with_bom, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    // Windows-1258: tones as combining marks after the base letter (ễ = ê + 0xDE, ọ = o + 0xF2).
    let cp1258: &[u8] = b"Ho ten,Gioi tinh,Ngay sinh,So CCCD,Ma chi bo\r\nNguy\xEA\xDEn V\xE3n Tha\xCCnh,Nam,15/06/1962,001062001234,QN.CO.KP3\r\n";
    let p = prepare(&s, t.ward, "cu.csv", cp1258, None, &quiet).await.unwrap();
    assert!(p.preview.is_clean(), "{:?}", p.preview.errors().map(|e| e.message()).collect::<Vec<_>>());
    let row = p.preview.rows[0].row.as_ref().unwrap();
    assert_eq!(row.profile.full_name, "Nguyễn Văn Thành");
    assert_eq!(row.cell, t.kp3);
    commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap();

    let utf8 = "\u{feff}Họ và tên;Giới tính;Ngày sinh;Số CCCD;Chi bộ;Trạng thái\nLê Thị Hằng;Nữ;1/2/1990;002190000123;Chi bộ khu phố 10;Đảng viên dự bị\n";
    let p = prepare(&s, t.ward, "moi.csv", utf8.as_bytes(), None, &quiet).await.unwrap();
    assert!(p.preview.is_clean());
    assert_eq!(p.table.headers[0], "Họ và tên");
    commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap();
    let m = s.list_members(t.kp10, &MemberFilter::default(), 0, 10).await.unwrap();
    assert_eq!(m.items.len(), 1);
    assert_eq!(m.items[0].profile.cccd.as_ref().unwrap().as_str(), "002190000123");
    assert_eq!(m.items[0].status, MemberStatus::Probationary);
});

db_test!(reimport_creates_no_duplicates_and_is_audited, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = vec![
        HEADERS.to_vec(),
        vec!["1", "Nguyễn Văn Thành", "Nam", "15/06/1962", "001062001234", "", "01/03/1990", "01/03/1991", "Chi bộ khu phố 3"],
        vec!["2", "Lê Thị Hằng", "Nữ", "01/02/1990", "", "", "02/09/2020", "", "Chi bộ khu phố 10"],
    ];
    let bytes = xlsx(&rows, &[]);
    let p = prepare(&s, t.ward, "ds.xlsx", &bytes, None, &quiet).await.unwrap();
    let rec = commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap();
    assert_eq!(rec.imported, 2);
    assert_eq!(rec.sha256.len(), 64);

    // Each member has the "imported" event, dated their admission (not before the cell was
    // founded, 01/01/2000), and keeps the party dates of the file.
    let m = s.list_members(t.kp3, &MemberFilter::default(), 0, 10).await.unwrap().items.remove(0);
    assert_eq!((m.status, m.admitted_on, m.official_on), (MemberStatus::Official, Some(d(1990, 3, 1)), Some(d(1991, 3, 1))));
    let h = s.member_history(m.id).await.unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].change, MemberChange::Imported { cell: t.kp3, status: MemberStatus::Official });
    assert_eq!(h[0].on, d(2000, 1, 1));
    assert_eq!(s.member_at(m.id, d(2005, 1, 1)).await.unwrap().unwrap().cell, t.kp3);
    assert!(s.member_at(m.id, d(1999, 1, 1)).await.unwrap().is_none());

    // One audit entry for the whole import, with file name, rows and hash.
    let log = s.audit_log(&AuditFilter { entity: Some("member_import".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "member.import");
    let after = log[0].after.clone().unwrap();
    assert_eq!((after["file_name"].as_str(), after["rows"].as_i64(), after["sha256"].as_str()), (Some("ds.xlsx"), Some(2), Some(rec.sha256.as_str())));

    // The same file again: refused in the preview and at commit, in Vietnamese.
    let again = prepare(&s, t.ward, "ds-copy.xlsx", &bytes, None, &quiet).await.unwrap();
    assert_eq!(again.preview.problems[0].code, ErrorCode::ImportAlreadyDone);
    let err = commit(&s, &again, Mode::ValidOnly, &quiet).await.unwrap_err().to_string();
    assert!(err.contains("tệp «ds.xlsx» đã được nhập vào «Đảng bộ phường Cửa Ông»"), "{err}");
    let err = s.commit_import(t.ward, &again.file, &p.preview.valid_rows(), &|_, _| {}).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    // The same people in another file: each row is a probable duplicate, nothing is added.
    let mut more = rows.clone();
    more.push(vec!["3", "Hồ Văn Mới", "Nam", "03/03/1983", "", "", "", "", "Chi bộ khu phố 3"]);
    let p3 = prepare(&s, t.ward, "ds2.xlsx", &xlsx(&more, &[]), None, &quiet).await.unwrap();
    assert_eq!(p3.preview.invalid_count(), 2);
    assert!(p3.preview.rows[0].errors[0].message().contains("có thể trùng với đảng viên đã có: Nguyễn Văn Thành"));
    let rec3 = commit(&s, &p3, Mode::ValidOnly, &quiet).await.unwrap();
    assert_eq!(rec3.imported, 1);
    assert_eq!(member_count(store, t.ward).await, 3);
    assert_eq!(s.imports(t.ward).await.unwrap().len(), 2);
});

/// A minimal OpenDocument spreadsheet: text cells, and `date:` cells as ODS dates.
fn ods(rows: &[Vec<&str>]) -> Vec<u8> {
    use std::io::Write;
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="DS">"#,
    );
    for row in rows {
        xml.push_str("<table:table-row>");
        for v in row {
            match v.strip_prefix("date:") {
                Some(d) => {
                    xml.push_str(&format!(r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{d}</text:p></table:table-cell>"#))
                }
                None => xml.push_str(&format!(r#"<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#)),
            }
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

db_test!(ods_with_date_cells, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = vec![
        vec!["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Chi bộ"],
        vec!["Đặng Thị Thu", "Nữ", "date:1962-06-15", "000062001234", "chi bo khu pho 10"],
    ];
    let p = prepare(&s, t.ward, "ds.ods", &ods(&rows), None, &quiet).await.unwrap();
    assert!(p.preview.is_clean(), "{:?}", p.preview.errors().map(|e| e.message()).collect::<Vec<_>>());
    let row = p.preview.rows[0].row.as_ref().unwrap();
    assert_eq!((row.profile.birth_date, row.profile.cccd.as_ref().unwrap().as_str(), row.cell), (d(1962, 6, 15), "000062001234", t.kp10));
});

db_test!(mapping_is_corrected_and_remembered, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = vec![vec!["Tên", "Phái", "Sinh", "Đơn vị"], vec!["Lê Văn Tám", "Nam", "01/01/1980", "QN.CO.KP3"]];
    let bytes = xlsx(&rows, &[]);
    let p = prepare(&s, t.ward, "x.xlsx", &bytes, None, &quiet).await.unwrap();
    // "Tên", "Phái", "Sinh" are not recognised: the required columns are reported missing.
    assert!(p.preview.problems.iter().any(|e| e.code == ErrorCode::ImportMissingColumn));
    let fixed = Mapping::from_codes(&["full_name".into(), "gender".into(), "birth_date".into(), "cell_code".into()], 4);
    remember_mapping(&s, &p.table.headers, &fixed).await.unwrap();
    let p = prepare(&s, t.ward, "x.xlsx", &bytes, None, &quiet).await.unwrap();
    assert_eq!(p.mapping, fixed);
    assert!(p.preview.is_clean(), "{:?}", p.preview.problems);
    assert_eq!(p.preview.rows[0].row.as_ref().unwrap().cell, t.kp3);
    // Someone else's files are read with the usual guess: a mapping is the chooser's own.
    let other = store.operator("another operator");
    let p = prepare(&other, t.ward, "x.xlsx", &bytes, None, &quiet).await.unwrap();
    assert_ne!(p.mapping, fixed);
});

db_test!(title_rows_above_the_headers_are_skipped, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = vec![
        vec!["DANH SÁCH ĐẢNG VIÊN ĐẢNG BỘ PHƯỜNG CỬA ÔNG"],
        vec!["(đến ngày 01/11/2026)"],
        vec![],
        vec!["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ"],
        vec!["1", "Lê Văn Tám", "Nam", "01/01/1980", "QN.CO.KP3"],
    ];
    let p = prepare(&s, t.ward, "a.xlsx", &xlsx(&rows, &[]), None, &quiet).await.unwrap();
    assert!(p.preview.is_clean(), "{:?} {:?}", p.preview.problems, p.preview.errors().map(|e| e.message()).collect::<Vec<_>>());
    assert_eq!(p.table.headers[1], "Họ và tên");
    // Line numbers stay those of the spreadsheet; a code in the «Chi bộ» column is accepted.
    assert_eq!(p.preview.rows.len(), 1);
    assert_eq!(p.preview.rows[0].line, 5);
    assert_eq!(p.preview.rows[0].row.as_ref().unwrap().cell, t.kp3);
});

db_test!(a_ward_needs_a_cell_column, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = vec![vec!["Họ và tên", "Giới tính", "Ngày sinh"], vec!["Lê Văn Tám", "Nam", "01/01/1980"]];
    let p = prepare(&s, t.ward, "a.xlsx", &xlsx(&rows, &[]), None, &quiet).await.unwrap();
    let messages: Vec<String> = p.preview.errors().map(|e| e.message()).collect();
    assert_eq!(messages, vec!["Dòng 2, cột «Chi bộ»: không được để trống".to_owned()]);
});

db_test!(import_stays_inside_the_scope, |store| {
    let t = tree(store).await;
    let org = store.within(&admin()).org(t.kp10).await.unwrap();
    let secretary = Scope::for_tests(Actor::User { id: 9, login: "bithu".into() }, Reach::Subtree { org: t.kp10, path: org.path }, Rights::Members);
    let s = store.within(&secretary);
    let rows = vec![vec!["Họ và tên", "Giới tính", "Ngày sinh"], vec!["Lê Văn Tám", "Nam", "01/01/1980"]];
    let bytes = xlsx(&rows, &[]);
    // Another organization is not found; the cell itself needs no cell column.
    assert!(matches!(prepare(&s, t.ward, "a.xlsx", &bytes, None, &quiet).await, Err(ImportError::Store(StoreError::NotFound))));
    assert!(matches!(prepare(&s, t.other_cell, "a.xlsx", &bytes, None, &quiet).await, Err(ImportError::Store(StoreError::NotFound))));
    let p = prepare(&s, t.kp10, "a.xlsx", &bytes, None, &quiet).await.unwrap();
    let rec = commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap();
    assert_eq!(rec.recorded_by, "bithu");
    let viewer = s.scope().narrowed_to(Rights::Read);
    assert!(matches!(prepare(&store.within(&viewer), t.kp10, "b.xlsx", &bytes, None, &quiet).await, Err(ImportError::Store(StoreError::ReadOnly))));
});

db_test!(exported_list_imports_back_unchanged, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    // Members recorded the usual way: admitted, made official, one exempt, one probationary.
    let mk = |name: &str, gender: Gender, birth: &str, cccd: &str| {
        MemberInput {
            full_name: name.into(),
            gender: gender.code().into(),
            birth_date: birth.into(),
            cccd: cccd.into(),
            card_number: if cccd.is_empty() { String::new() } else { format!("0{}", &cccd[6..]) },
            phone: "0912 345 678".into(),
            birth_place: "Cẩm Phả".into(),
            political_theory: "trung_cap".into(),
            professional_education: "dai_hoc".into(),
            general_education: "12/12".into(),
            ..Default::default()
        }
        .validate(today())
        .unwrap()
    };
    let a = s
        .create_member(
            mk("Nguyễn Văn Thành", Gender::Male, "15/06/1962", "001062001234"),
            MemberEvent { on: d(2001, 3, 1), change: MemberChange::Admitted { cell: t.kp3 } },
            None,
        )
        .await
        .unwrap();
    let a = s.record_member_event(a.id, a.version, MemberEvent { on: d(2002, 3, 1), change: MemberChange::MadeOfficial }, None).await.unwrap();
    s.record_member_event(a.id, a.version, MemberEvent { on: d(2020, 1, 1), change: MemberChange::Exempted }, None).await.unwrap();
    s.create_member(
        mk("Lê Thị Hằng", Gender::Female, "01/02/1990", ""),
        MemberEvent { on: d(2025, 9, 2), change: MemberChange::Admitted { cell: t.kp10 } },
        None,
    )
    .await
    .unwrap();
    let first = chibo_import::export_rows(&s, t.ward).await.unwrap();
    assert_eq!(first.len(), 2);
    let file = export::xlsx("Danh sách", &export::headers(), &first).unwrap();
    let csv = export::csv(&export::headers(), &first);

    // Into an empty database with the same organizations: the same list comes out.
    for (name, bytes) in [("ds.xlsx", file), ("ds.csv", csv)] {
        let db = match store.backend() {
            chibo_store::Backend::Sqlite => chibo_store::testing::sqlite().await,
            chibo_store::Backend::Postgres => chibo_store::testing::postgres().await.unwrap(),
        };
        let t = tree(&db.store).await;
        let s = db.store.within(&admin());
        let p = prepare(&s, t.ward, name, &bytes, None, &quiet).await.unwrap();
        assert!(p.preview.is_clean(), "{name}: {:?} {:?}", p.preview.problems, p.preview.errors().map(|e| e.message()).collect::<Vec<_>>());
        commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap();
        let again = chibo_import::export_rows(&s, t.ward).await.unwrap();
        assert_eq!(again, first, "{name}");
        db.cleanup().await;
    }
});

db_test!(a_standing_that_its_dates_contradict_is_refused, |store| {
    let t = tree(store).await;
    let rows = vec![
        vec!["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Trạng thái", "Chi bộ"],
        // 2: recognized without an admission date.
        vec!["Lê Văn An", "Nam", "12/12/1970", "", "01/03/1996", "Chính thức", "Chi bộ khu phố 3"],
        // 3: said probationary, yet recognized.
        vec!["Phạm Thị Bích", "Nữ", "01/02/1980", "01/03/2010", "01/03/2011", "Dự bị", "Chi bộ khu phố 3"],
        // 4: consistent.
        vec!["Hoàng Văn Cường", "Nam", "01/02/1981", "01/03/2010", "01/03/2011", "Chính thức", "Chi bộ khu phố 3"],
    ];
    let bytes = xlsx(&rows, &[]);
    let s = store.within(&admin());
    let p = prepare(&s, t.ward, "trang_thai.xlsx", &bytes, None, &quiet).await.unwrap();
    let messages: Vec<String> = p.preview.errors().map(|e| e.message()).collect();
    assert_eq!(
        messages,
        ["Dòng 2, cột «Ngày vào Đảng»: không được để trống", "Dòng 3, cột «Trạng thái»: trạng thái «Đảng viên dự bị» không khớp: đã có ngày chính thức",]
    );
    assert_eq!(p.preview.valid_count(), 1);
});

/// Imports Thành (khu phố 3) and Hằng (khu phố 10) into the ward, all rows.
async fn import_two(s: &chibo_store::Scoped<'_>, ward: OrgId) {
    let rows = vec![
        HEADERS.to_vec(),
        vec!["1", "Nguyễn Văn Thành", "Nam", "15/06/1962", "001062001234", "", "01/03/1990", "01/03/1991", "Chi bộ khu phố 3"],
        vec!["2", "Lê Thị Hằng", "Nữ", "01/02/1990", "", "", "02/09/2020", "", "Chi bộ khu phố 10"],
    ];
    let p = prepare(s, ward, "ds.xlsx", &xlsx(&rows, &[]), None, &quiet).await.unwrap();
    commit(s, &p, Mode::AllOrNothing, &quiet).await.unwrap();
}

db_test!(an_import_cut_off_before_its_figures_is_repaired_at_the_next_start, |store| {
    use chibo_store::testing::execute;
    let t = tree(store).await;
    let s = store.within(&admin());
    import_two(&s, t.ward).await;
    let on = today();
    assert_eq!(s.dashboard(t.ward, on).await.unwrap().members(), 2);
    // A finished import owes nothing: a start changes no figure.
    store.migrate().await.unwrap();
    assert_eq!(s.dashboard(t.ward, on).await.unwrap(), s.dashboard_recount(t.ward, on).await.unwrap());

    // The process dies after the load's transaction and before the facts' one: the members
    // are there, their facts are not, and the import is still marked, owing its facts from
    // its first member.
    for sql in [
        "DELETE FROM stat_checkpoint",
        "DELETE FROM stat_fact WHERE member_id IS NOT NULL",
        "UPDATE member_import SET facts_pending = TRUE, first_member_id = last_member_id - 1",
    ] {
        execute(store, sql).await.unwrap();
    }
    assert_eq!(s.dashboard(t.ward, on).await.unwrap().members(), 0, "the figures are stale before the repair");
    store.migrate().await.unwrap();
    let fast = s.dashboard(t.ward, on).await.unwrap();
    assert_eq!(fast.members(), 2);
    assert_eq!(fast, s.dashboard_recount(t.ward, on).await.unwrap());
    assert_eq!(execute(store, "UPDATE member_import SET row_count = row_count WHERE facts_pending = TRUE").await.unwrap(), 0, "the mark is cleared");
});

/// `n` distinct members from the `from`th on, alternately in the two cells of the tree,
/// admitted over three decades (some still probationary), so their facts fall on many days.
fn many_rows(from: usize, n: usize) -> Vec<Vec<String>> {
    const FAMILY: [&str; 6] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"];
    const GIVEN: [&str; 6] = ["An", "Bình", "Hằng", "Hùng", "Lan", "Thành"];
    let mut rows = vec![HEADERS.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>()];
    for i in from..from + n {
        let birth = d(1950, 1, 1) + chrono::Days::new(i as u64 * 3);
        let admitted = d(1995, 1, 1) + chrono::Days::new((i as u64 * 7) % 10_500);
        let official = if i % 9 == 0 { String::new() } else { format_date(admitted + chrono::Days::new(365)) };
        let official = if admitted > today() - chrono::Days::new(400) { String::new() } else { official };
        rows.push(vec![
            (i + 1).to_string(),
            format!("{} Văn {}", FAMILY[i % 6], GIVEN[(i / 6) % 6]),
            if i % 2 == 0 { "Nam" } else { "Nữ" }.into(),
            format_date(birth),
            String::new(),
            String::new(),
            format_date(admitted),
            official,
            if i % 2 == 0 { "Chi bộ khu phố 3" } else { "Chi bộ khu phố 10" }.into(),
        ]);
    }
    rows
}

db_test!(a_large_import_into_a_database_with_checkpoints_keeps_every_figure_right, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let import = async |name: &str, rows: Vec<Vec<String>>| {
        let as_str: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let p = prepare(&s, t.ward, name, &xlsx(&as_str, &[]), None, &quiet).await.unwrap();
        commit(&s, &p, Mode::AllOrNothing, &quiet).await.unwrap()
    };
    import("dot-1.xlsx", many_rows(0, 1_500)).await;
    // Checkpoints on several days, as a server running over the years would have made them;
    // the next import's changes are added to each checkpoint on or after their day.
    let mut written = 0;
    for day in [d(2003, 1, 1), d(2010, 1, 1), d(2017, 1, 1), today()] {
        written += store.refresh_checkpoints(day).await.unwrap().written;
    }
    assert!(written >= 3, "the first import's facts make checkpoints on several days ({written})");
    // More members than one transaction of the figures derives (three of them).
    let rec = import("dot-2.xlsx", many_rows(1_500, 4_500)).await;
    assert_eq!(rec.imported, 4_500);
    assert_eq!(s.dashboard(t.ward, today()).await.unwrap().members(), 6_000);
    for on in [d(2001, 6, 30), d(2005, 6, 30), d(2012, 1, 1), d(2020, 3, 15), today()] {
        assert_eq!(s.dashboard(t.ward, on).await.unwrap(), s.dashboard_recount(t.ward, on).await.unwrap(), "the figures on {on}");
    }
});

/// An output that fails once `room` bytes are written (a full disk).
#[derive(Debug)]
struct FullDisk {
    written: usize,
    room: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.written + b.len() > self.room {
            return Err(std::io::Error::other("đĩa đầy"));
        }
        self.written += b.len();
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::io::Seek for FullDisk {
    fn seek(&mut self, _: std::io::SeekFrom) -> std::io::Result<u64> {
        Ok(self.written as u64)
    }
}

db_test!(an_export_whose_output_fails_says_so, |store| {
    use chibo_import::report::{self, Format};
    let t = tree(store).await;
    let s = store.within(&admin());
    import_two(&s, t.ward).await;
    // The pages are written by another thread: its failure comes back as the export's error.
    let err = report::member_list(&s, t.ward, &MemberFilter::default(), Format::Csv, FullDisk { written: 0, room: 300 }).await.unwrap_err();
    assert!(err.to_string().contains("đĩa đầy"), "{err}");
    let (out, n) = report::member_list(&s, t.ward, &MemberFilter::default(), Format::Csv, FullDisk { written: 0, room: 1 << 20 }).await.unwrap();
    assert_eq!(n, 2);
    assert!(out.written > 300);
});
