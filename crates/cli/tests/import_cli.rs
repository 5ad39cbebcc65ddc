//! `chibo export` and `chibo import` from the command line: a list exported from one database
//! imports into another unchanged; the same file again, a file with errors, and an
//! organization outside the `--as` account's scope are refused with Vietnamese messages.

use chibo_domain::account::Role;
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_store::account::NewAccount;
use chibo_store::member::MemberFilter;
use chibo_store::org::NewOrg;
use chibo_store::testing::{self, TestDb};
use std::process::Command;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// A province, a ward, two cells; returns the ward and the first cell.
async fn tree(db: &TestDb) -> (i64, i64) {
    let s = db.store.operator("test");
    let on = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let org = |code: &str, name: &str, kind, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category: OrgCategory::Other,
        parent_id: parent,
        founded_on: on,
        decision_no: None,
    };
    let p = s.create_org(org("T", "Đảng bộ tỉnh Thử", OrgKind::Province, None)).await.unwrap().id;
    let w = s.create_org(org("T.W", "Đảng bộ phường Thử", OrgKind::GrassrootsCommittee, Some(p))).await.unwrap().id;
    let c1 = s.create_org(org("T.W.1", "Chi bộ khu 1", OrgKind::Cell, Some(w))).await.unwrap().id;
    s.create_org(org("T.W.2", "Chi bộ khu 2", OrgKind::Cell, Some(w))).await.unwrap();
    (w, c1)
}

fn chibo(db: &TestDb, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chibo")).args(args).args(["--database-url", &db.url()]).env("CHIBO_LOG", "warn").output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exported_list_imports_into_another_database_once() {
    let from = testing::sqlite().await;
    let (ward, cell) = tree(&from).await;
    let s = from.store.operator("test");
    for (name, birth, cccd) in
        [("Nguyễn Văn Thành", "15/06/1962", "001062001234"), ("Lê Thị Hằng", "01/02/1990", ""), ("Phạm Văn Đức", "3/4/1970", "022070000001")]
    {
        let p = MemberInput { full_name: name.into(), gender: "nam".into(), birth_date: birth.into(), cccd: cccd.into(), ..Default::default() }
            .validate(today())
            .unwrap();
        s.create_member(p, MemberEvent { on: chrono::NaiveDate::from_ymd_opt(2001, 3, 1).unwrap(), change: MemberChange::Admitted { cell } }, None)
            .await
            .unwrap();
    }
    let file = std::env::temp_dir().join(format!("chibo_cli_{}.xlsx", std::process::id()));
    let file = file.to_str().unwrap();
    let (ok, err) = chibo(&from, &["export", "--org", "T.W", "--out", file]);
    assert!(ok, "{err}");
    assert!(err.contains("Đã xuất 3 đảng viên"), "{err}");

    let to = testing::sqlite().await;
    let (ward_to, _) = tree(&to).await;
    let password_hash = chibo_web::auth::hash_password("mat-khau-thu").unwrap();
    to.store
        .operator("test")
        .create_account(NewAccount {
            login: "bithu".into(),
            display_name: "Bí thư".into(),
            password_hash,
            role: Role::Secretary,
            org_id: Some(ward_to + 1),
            member_id: None,
        })
        .await
        .unwrap();
    // A secretary of one cell cannot import into the ward.
    let (ok, err) = chibo(&to, &["import", file, "--org", "T.W", "--as", "bithu"]);
    assert!(!ok && err.contains("không tìm thấy tổ chức «T.W» trong phạm vi"), "{err}");

    let (ok, err) = chibo(&to, &["import", file, "--org", "T.W"]);
    assert!(ok, "{err}");
    assert!(err.contains("3 dòng: 3 hợp lệ, 0 có lỗi") && err.contains("Đã nhập 3 đảng viên vào «Đảng bộ phường Thử»"), "{err}");
    let again = chibo_import::export_rows(&to.store.operator("test"), ward_to).await.unwrap();
    assert_eq!(again, chibo_import::export_rows(&s, ward).await.unwrap());

    // The same file again: refused, nothing added.
    let (ok, err) = chibo(&to, &["import", file, "--org", "T.W"]);
    assert!(!ok && err.contains("đã được nhập vào «Đảng bộ phường Thử»"), "{err}");
    let filter = MemberFilter::default();
    assert_eq!(to.store.operator("test").list_members(ward_to, &filter, 0, 1).await.unwrap().total, 3);

    // A file with an error: all or nothing refuses and names the row and column.
    let bad = std::env::temp_dir().join(format!("chibo_cli_{}.csv", std::process::id()));
    std::fs::write(&bad, "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã chi bộ\nHồ Văn Mới,Nam,01/01/1980,12345,T.W.2\nĐinh Thị Tốt,Nữ,02/02/1982,,T.W.2\n")
        .unwrap();
    let (ok, err) = chibo(&to, &["import", bad.to_str().unwrap(), "--org", "T.W"]);
    assert!(!ok, "{err}");
    assert!(err.contains("Dòng 2, cột «Số CCCD»: số CCCD phải gồm đúng 12 chữ số (đang có 5 ký tự)"), "{err}");
    assert!(err.contains("tệp có 1 dòng lỗi; chưa nhập đảng viên nào"), "{err}");
    assert_eq!(to.store.operator("test").list_members(ward_to, &filter, 0, 1).await.unwrap().total, 3);
    // Valid rows only, with the rejected row written out.
    let rejected = std::env::temp_dir().join(format!("chibo_cli_{}_loai.xlsx", std::process::id()));
    let (ok, err) = chibo(&to, &["import", bad.to_str().unwrap(), "--org", "T.W", "--valid-only", "--rejected", rejected.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("Đã nhập 1 đảng viên"), "{err}");
    let t = chibo_import::read_table("loai.xlsx", &std::fs::read(&rejected).unwrap()).unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].1[0], "Hồ Văn Mới");
    for f in [file.to_owned(), bad.to_string_lossy().into_owned(), rejected.to_string_lossy().into_owned()] {
        let _ = std::fs::remove_file(f);
    }
    from.cleanup().await;
    to.cleanup().await;
}
