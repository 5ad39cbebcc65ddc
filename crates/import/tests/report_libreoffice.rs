//! Reports opened by LibreOffice: a dashboard and a member list written as .xlsx, converted to
//! CSV by `soffice --headless --convert-to csv`, read the same as the CSV variant of the same
//! report, cell by cell: numbers as numbers, dates dd/mm/yyyy rendered from real date cells,
//! Vietnamese text intact, IDs with their leading zeros. On both engines.
//!
//! Without LibreOffice the test is skipped with a message, except under CI (`CI` set), where it
//! fails: `scripts/test-deps` installs it.

use chibo_domain::calendar::format_date;
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind};
use chibo_import::report::{self, Format};
use chibo_store::member::MemberFilter;
use chibo_store::org::NewOrg;
use chibo_store::{Store, db_test};
use chrono::NaiveDate;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The LibreOffice command, or None (skip) outside CI.
fn soffice() -> Option<&'static str> {
    for cmd in ["soffice", "libreoffice"] {
        if Command::new(cmd).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(cmd);
        }
    }
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!("CI: LibreOffice (soffice) is missing; scripts/test-deps installs libreoffice-calc");
    }
    eprintln!("LibreOffice (soffice) not found: skipping the LibreOffice check (scripts/test-deps installs it)");
    None
}

fn scratch(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let dir = std::env::temp_dir().join(format!("chibo_lo_{tag}_{}_{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// LibreOffice's CSV of the first sheet: UTF-8, comma, cells as shown.
fn convert(cmd: &str, dir: &Path, file: &Path) -> String {
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = Command::new(cmd)
        .args([profile.as_str(), "--headless", "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    let csv = dir.join(file.with_extension("csv").file_name().unwrap());
    assert!(csv.exists(), "LibreOffice did not convert {}: {}", file.display(), String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(csv).unwrap()
}

/// Records without trailing empty fields, empty records dropped.
fn records(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let mut v: Vec<String> = r.unwrap().iter().map(str::to_owned).collect();
            while v.last().is_some_and(String::is_empty) {
                v.pop();
            }
            v
        })
        .filter(|v| !v.is_empty())
        .collect()
}

/// The spreadsheet as LibreOffice shows it equals the CSV variant, row by row (the export
/// time may differ by a minute between the two files: only its form is compared).
fn same_table(from_lo: &[Vec<String>], from_csv: &[Vec<String>]) {
    assert_eq!(from_lo.len(), from_csv.len(), "rows: {from_lo:?}\n---\n{from_csv:?}");
    for (i, (a, b)) in from_lo.iter().zip(from_csv).enumerate() {
        if a.first().is_some_and(|c| c == "Thời điểm xuất") {
            let t = &a[1];
            assert!(t.len() == 16 && t.as_bytes()[2] == b'/' && t.as_bytes()[5] == b'/' && t.as_bytes()[13] == b':', "export time {t}");
            continue;
        }
        assert_eq!(a, b, "row {i}");
    }
}

fn row<'a>(t: &'a [Vec<String>], label: &str) -> &'a [String] {
    t.iter().find(|r| r.first().is_some_and(|c| c == label)).unwrap_or_else(|| panic!("no row «{label}» in {t:?}"))
}

struct Tree {
    ward: OrgId,
}

async fn setup(store: &Store) -> Tree {
    let s = store.operator("test");
    let on = d(1980, 1, 1);
    let org = |code: &str, name: &str, kind, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let p = s.create_org(org("QN", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, None)).await.unwrap().id;
    let ward = s.create_org(org("QN.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, Some(p))).await.unwrap().id;
    let kp3 = s.create_org(org("QN.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, Some(ward))).await.unwrap().id;
    let kp10 = s.create_org(org("QN.CO.KP10", "Chi bộ khu phố 10", OrgKind::Cell, Some(ward))).await.unwrap().id;
    let people = [
        ("Nguyễn Văn Thành", "nam", "15/06/1962", "001062001234", kp3, d(1985, 3, 1), true),
        ("Lê Thị Hằng", "nu", "01/02/1990", "", kp3, d(2015, 5, 19), true),
        ("Phạm Văn Đức", "nam", "03/04/1970", "022070000001", kp10, d(1995, 9, 2), true),
        ("Đỗ Thị Ánh Tuyết", "nu", "20/10/1998", "", kp10, d(2024, 3, 26), false),
    ];
    for (name, gender, birth, cccd, cell, admitted, official) in people {
        let p = MemberInput {
            full_name: name.into(),
            gender: gender.into(),
            birth_date: birth.into(),
            cccd: cccd.into(),
            ethnicity: if name.starts_with("Đỗ") { "Tày".into() } else { String::new() },
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        let m = s.create_member(p, MemberEvent { on: admitted, change: MemberChange::Admitted { cell } }, Some("12-QĐ/ĐU")).await.unwrap();
        if official {
            let on = admitted.checked_add_months(chrono::Months::new(12)).unwrap();
            s.record_member_event(m.id, m.version, MemberEvent { on, change: MemberChange::MadeOfficial }, Some("34-QĐ/ĐU")).await.unwrap();
        }
    }
    Tree { ward }
}

db_test!(libreoffice_reads_the_reports_as_written, |store| {
    let Some(cmd) = soffice() else { return };
    let t = setup(store).await;
    let s = store.operator("test");
    let dir = scratch(store.backend().name());
    let on = d(2024, 12, 31);

    // The dashboard.
    let dash = s.dashboard(t.ward, on).await.unwrap();
    let xlsx = dir.join("thong_ke.xlsx");
    report::dashboard(&chibo_domain::stats::Figures::of(&dash), Format::Xlsx, std::fs::File::create(&xlsx).unwrap()).unwrap();
    let csv = report::dashboard(&chibo_domain::stats::Figures::of(&dash), Format::Csv, Cursor::new(Vec::new())).unwrap().into_inner();
    let lo = records(&convert(cmd, &dir, &xlsx));
    same_table(&lo, &records(&String::from_utf8(csv).unwrap()));
    assert_eq!(lo[0], ["SỐ LIỆU THỐNG KÊ ĐẢNG VIÊN VÀ TỔ CHỨC ĐẢNG"]);
    assert_eq!(row(&lo, "Tổ chức")[1], "Đảng bộ phường Cửa Ông");
    assert_eq!(row(&lo, "Mã tổ chức")[1], "QN.CO");
    assert_eq!(row(&lo, "Số liệu tính đến ngày")[1], "31/12/2024", "a date cell shown dd/mm/yyyy");
    // One row per figure: its key, its label, its value and its share of the members.
    let header = lo.iter().position(|r| r.first().is_some_and(|c| c == "Mã chỉ tiêu")).unwrap();
    assert_eq!(lo[header], ["Mã chỉ tiêu", "Chỉ tiêu", "Số lượng", "Tỷ lệ (%)"]);
    assert_eq!(row(&lo, "members.total")[1..3], ["Đảng viên", "4"]);
    assert_eq!(dash.members(), 4);
    assert_eq!((row(&lo, "members.by_gender.male")[2].as_str(), row(&lo, "members.by_gender.female")[2].as_str()), ("2", "2"));
    assert_eq!(row(&lo, "members.official")[2], dash.official().to_string());
    assert_eq!(row(&lo, "members.probationary")[2..], ["1", "25"]);
    assert_eq!(row(&lo, "members.party_age_at_least.30")[2], "1");
    assert_eq!(row(&lo, "members.by_ethnicity.Tày")[2], "1");
    assert_eq!(row(&lo, "flows.admitted")[2], "1");
    assert_eq!(row(&lo, "orgs.by_kind.chi_bo_truc_thuoc")[1..3], ["Chi bộ trực thuộc", "2"]);
    let age = |k: &str| row(&lo, &format!("members.by_age.up_to_30{k}"))[2].clone();
    assert_eq!([age(""), age(".male"), age(".female")], ["1", "0", "1"]);

    // The member list as of the same day.
    let filter = MemberFilter { as_of: Some(on), ..Default::default() };
    let xlsx = dir.join("danh_sach.xlsx");
    let (_, n) = report::member_list(&s, t.ward, &filter, Format::Xlsx, std::fs::File::create(&xlsx).unwrap()).await.unwrap();
    assert_eq!(n, 4);
    let (csv, _) = report::member_list(&s, t.ward, &filter, Format::Csv, Cursor::new(Vec::new())).await.unwrap();
    let lo = records(&convert(cmd, &dir, &xlsx));
    same_table(&lo, &records(&String::from_utf8(csv.into_inner()).unwrap()));
    let header = lo.iter().position(|r| r.first().is_some_and(|c| c == "Họ và tên")).unwrap();
    let col = |name: &str| lo[header].iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"));
    let names: Vec<&str> = lo[header + 1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Phạm Văn Đức", "Lê Thị Hằng", "Nguyễn Văn Thành", "Đỗ Thị Ánh Tuyết"], "Vietnamese name order (given name first)");
    let thanh = &lo[header + 3];
    assert_eq!(thanh[col("Ngày sinh")], "15/06/1962");
    assert_eq!(thanh[col("Số CCCD")], "001062001234", "text keeps its leading zeros");
    assert_eq!(thanh[col("Ngày vào Đảng")], "01/03/1985");
    assert_eq!(thanh[col("Ngày chính thức")], format_date(d(1986, 3, 1)));
    assert_eq!(thanh[col("Mã chi bộ")], "QN.CO.KP3");
    assert_eq!(thanh[col(report::STANDING_COLUMN)], "Chính thức");
    assert_eq!(lo[header + 4][col(report::STANDING_COLUMN)], "Dự bị");

    // The list imports back: the header row is found below the header block.
    let mut table = chibo_import::read_table("danh_sach.xlsx", &std::fs::read(&xlsx).unwrap()).unwrap();
    table.find_header(|cells| chibo_import::Mapping::guess(cells).0.iter().flatten().count());
    assert_eq!(table.headers[0], "Họ và tên");
    assert_eq!(table.rows.len(), 4);
    assert_eq!(table.rows[2].1[col("Ngày sinh")], "15/06/1962");

    // The organizations behind the dashboard's "direct sub-organizations": its two cells,
    // their official members as numbers.
    let direct = chibo_store::stats::OrgFilter { direct: true, ..Default::default() };
    let xlsx = dir.join("to_chuc.xlsx");
    let (_, n) = report::org_list(&s, t.ward, on, direct, Format::Xlsx, std::fs::File::create(&xlsx).unwrap()).await.unwrap();
    assert_eq!(n as i64, dash.direct_children);
    let (csv, _) = report::org_list(&s, t.ward, on, direct, Format::Csv, Cursor::new(Vec::new())).await.unwrap();
    let lo = records(&convert(cmd, &dir, &xlsx));
    same_table(&lo, &records(&String::from_utf8(csv.into_inner()).unwrap()));
    assert_eq!(row(&lo, "Danh sách")[1], "Đơn vị trực thuộc");
    let header = lo.iter().position(|r| r.first().is_some_and(|c| c == "Mã tổ chức") && r.len() > 2).unwrap();
    let official: i64 = lo[header + 1..].iter().map(|r| r[4].parse::<i64>().unwrap()).sum();
    assert_eq!(official, dash.official(), "every official member of the ward is in one of its cells");
    let _ = std::fs::remove_dir_all(&dir);
});
