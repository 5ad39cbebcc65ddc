//! A cell's term walked from start to end, read through every interface: positions assigned, a
//! secretary who is also the khu phố's head, a working regulation, a temporary transfer that
//! keeps the seat and a permanent move that ends it that day. On dates before and after each
//! change, the committee figures of the dashboard page, the API's `/dashboard` and
//! `chibo stats --json` are the same and the expected ones, and `chibo committee` and the API's
//! `/orgs/{id}/committee` name the same secretary (or none). On SQLite and PostgreSQL.

mod common;

use chibo_domain::calendar::format_date;
use chibo_domain::committee::command::{Picked, PostInput, RegulationInput, SeatInput, TermInput};
use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_domain::transfer::LetterInput;
use chibo_store::org::NewOrg;
use chibo_store::testing::{self, TestDb};
use chrono::NaiveDate;
use common::{Served, chibo, href, shown};
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const KEYS: [&str; 4] = ["committees.residential_cells", "committees.secretary_village_heads", "committees.with_term", "committees.with_regulation"];

/// The committee figures of a dashboard object, in the order of [`KEYS`], with the figures.
fn committee_figures(v: &Value) -> Vec<(i64, Value)> {
    let section = v["sections"].as_array().unwrap().iter().find(|s| s["key"] == "committees").expect("a committees section");
    KEYS.iter()
        .map(|k| {
            let f = section["figures"].as_array().unwrap().iter().find(|f| f["key"] == *k).unwrap_or_else(|| panic!("{k} missing"));
            (f["value"].as_i64().unwrap(), f.clone())
        })
        .collect()
}

/// The secretary named by a committee object (the API's or `chibo committee --json`).
fn secretary(v: &Value) -> Option<String> {
    v["seats"].as_array().unwrap().iter().find(|s| s["seat"]["position"] == "bi_thu").map(|s| s["seat"]["full_name"].as_str().unwrap().to_owned())
}

async fn walk(db: TestDb) {
    let store = &db.store;
    let s = store.operator("test");
    let book = store.rule_book().await.unwrap();
    let today = store.today();
    let org = |code: &str, name: &str, kind, category, parent| NewOrg {
        code: code.into(),
        name: name.into(),
        kind,
        category,
        parent_id: parent,
        founded_on: d(2000, 1, 1),
        decision_no: None,
    };
    let province = s.create_org(org("22", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, OrgCategory::Other, None)).await.unwrap();
    let ward = s.create_org(org("22.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, OrgCategory::Other, Some(province.id))).await.unwrap();
    let kp3 = s.create_org(org("22.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, OrgCategory::Residential, Some(ward.id))).await.unwrap();
    let other_ward = s.create_org(org("22.BC", "Đảng bộ phường Bãi Cháy", OrgKind::GrassrootsCommittee, OrgCategory::Other, Some(province.id))).await.unwrap();
    let bc1 = s.create_org(org("22.BC.1", "Chi bộ khu 1", OrgKind::Cell, OrgCategory::Other, Some(other_ward.id))).await.unwrap();
    let member = async |name: &str, gender: &str, birth: &str| {
        let p = MemberInput { full_name: name.into(), gender: gender.into(), birth_date: birth.into(), ..Default::default() }.validate(today).unwrap();
        let ev = MemberEvent { on: d(2010, 5, 19), change: MemberChange::Registered { cell: kp3.id, status: MemberStatus::Official } };
        s.create_member(p, ev, Some("12-QĐ/ĐU")).await.unwrap().id
    };
    let thanh = member("Nguyễn Văn Thành", "nam", "12/04/1958").await;
    let lan = member("Trần Thị Lan", "nu", "03/09/1975").await;
    member("Lê Văn Hùng", "nam", "21/12/1980").await;

    // The congress of 01/09/2020 elects Thành secretary and Lan deputy; Thành has been the
    // head of khu phố 3 since 2017; the working regulation is adopted on 10/10/2020.
    let term = s
        .open_term(
            kp3.id,
            TermInput { starts_on: "01/09/2020".into(), village_head_expected: true, ..Default::default() }.validate(OrgKind::Cell, &book, today).unwrap(),
        )
        .await
        .unwrap();
    let seat = |m: i64, p: &str| {
        SeatInput { member: Picked::Found(m), position: p.into(), basis: "bau".into(), from: "01/09/2020".into(), ..Default::default() }
            .validate(OrgKind::Cell, &term, today)
            .unwrap()
    };
    s.assign_seat(term.id, seat(thanh, "bi_thu")).await.unwrap();
    s.assign_seat(term.id, seat(lan, "pho_bi_thu")).await.unwrap();
    let post = PostInput {
        member: Picked::Found(thanh),
        kind: "truong_thon".into(),
        place: "Khu phố 3, phường Cửa Ông".into(),
        from: "01/01/2017".into(),
        ..Default::default()
    };
    s.record_post(post.validate(today).unwrap()).await.unwrap();
    let reg = RegulationInput {
        adopted_on: "10/10/2020".into(),
        decision_no: "01-QĐ/CB".into(),
        text: "Điều 1. Chi bộ làm việc theo nguyên tắc tập trung dân chủ.".into(),
        ..Default::default()
    };
    s.adopt_regulation(term.id, reg.validate(&term, &book, today).unwrap()).await.unwrap();
    // Thành works in Bãi Cháy for six months (a temporary transfer, received there and ended),
    // then moves there for good.
    let letter = |kind: &str, to: i64, on: &str, until: &str| LetterInput {
        kind: kind.into(),
        to_org: to.to_string(),
        letter_no: "3-GGT/CB".into(),
        letter_on: on.into(),
        fees_paid_through: "01/2022".into(),
        until: until.into(),
        ..Default::default()
    };
    let m = s.member(thanh).await.unwrap();
    let stay = s.send_transfer(thanh, m.version, letter("temporary", bc1.id, "10/02/2022", "10/08/2022").validate(&book, today).unwrap()).await.unwrap();
    let stay = s.accept_transfer(stay.id, stay.version, bc1.id, d(2022, 2, 15)).await.unwrap();
    s.end_temporary_transfer(stay.id, stay.version, d(2022, 8, 10)).await.unwrap();
    let m = s.member(thanh).await.unwrap();
    s.send_transfer(thanh, m.version, letter("permanent", other_ward.id, "01/03/2023", "").validate(&book, today).unwrap()).await.unwrap();

    let served = Served::start(&db).await;
    // (day, [residential cells, secretaries who are village heads, with a term, with its
    // regulation], the secretary that day).
    let thanh_name = Some("Nguyễn Văn Thành");
    let walk = [
        (d(2020, 8, 31), [1, 0, 0, 0], None),
        (d(2020, 9, 1), [1, 1, 1, 0], thanh_name),
        (d(2020, 10, 9), [1, 1, 1, 0], thanh_name),
        (d(2020, 10, 10), [1, 1, 1, 1], thanh_name),
        (d(2022, 2, 9), [1, 1, 1, 1], thanh_name),
        (d(2022, 2, 10), [1, 1, 1, 1], thanh_name),
        (d(2022, 2, 15), [1, 1, 1, 1], thanh_name),
        (d(2022, 8, 10), [1, 1, 1, 1], thanh_name),
        (d(2023, 2, 28), [1, 1, 1, 1], thanh_name),
        (d(2023, 3, 1), [1, 0, 1, 1], None),
    ];
    for (on, expected, named) in walk {
        let day = format_date(on);
        let api = served.api(&format!("/orgs/{}/dashboard?as_of={on}", province.id)).await;
        let cli: Value = serde_json::from_str(&chibo(&db, &["stats", "--org", "Quang Ninh", "--on", &day, "--json"])).unwrap();
        let page = shown(&served.page(&format!("/orgs/{}/stats?on={day}", province.id)).await);
        let figures = committee_figures(&api);
        assert_eq!(figures.iter().map(|(v, _)| *v).collect::<Vec<_>>(), expected, "the API's committee figures on {day}");
        assert_eq!(committee_figures(&cli).iter().map(|(v, _)| *v).collect::<Vec<_>>(), expected, "chibo stats on {day}");
        for ((value, f), key) in figures.iter().zip(KEYS) {
            assert_eq!(page.get(&href(province.id, f)), Some(value), "{key} on the dashboard page on {day}");
        }

        // The committee that day: the API and `chibo committee` (by a name typed without
        // diacritics) name the same secretary.
        let api = served.api(&format!("/orgs/{}/committee?as_of={on}", kp3.id)).await;
        let cli: Value = serde_json::from_str(&chibo(&db, &["committee", "--org", "chi bo khu pho 3", "--on", &day, "--json"])).unwrap();
        assert_eq!(secretary(&api).as_deref(), named, "the API's secretary on {day}");
        assert_eq!(secretary(&cli).as_deref(), named, "chibo committee's secretary on {day}");
        let text = chibo(&db, &["committee", "chi bo khu pho 3", "--on", &day]);
        assert!(text.starts_with(&format!("Cấp ủy Chi bộ khu phố 3 (22.CO.KP3), thuộc Đảng bộ phường Cửa Ông — ngày {day}\n")), "{text}");
        match (named, api["term"].is_null()) {
            (_, true) => assert!(text.contains("Chưa có nhiệm kỳ nào vào ngày này."), "{text}"),
            (Some(name), false) => {
                let line = text.lines().find(|l| l.trim_start().starts_with("Bí thư")).unwrap_or_else(|| panic!("no secretary in {text}"));
                assert!(line.contains(name) && line.contains("từ 01/09/2020, được bầu"), "{line}");
                assert!(text.contains("Kiêm nhiệm: Trưởng khu phố 3, phường Cửa Ông từ 01/01/2017"), "{text}");
            }
            (None, false) => assert!(text.contains("Lưu ý: Khuyết bí thư") && !text.contains("Nguyễn Văn Thành"), "{text}"),
        }
    }
    // A name that fits several organizations is refused, each candidate with its parent.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chibo"))
        .args(["committee", "--org", "chi bo khu", "--database-url", &db.url()])
        .env("CHIBO_LOG", "warn")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an ambiguous name is refused");
    assert!(
        err.contains("khớp với nhiều tổ chức")
            && err.contains("Chi bộ khu phố 3 (22.CO.KP3), thuộc Đảng bộ phường Cửa Ông")
            && err.contains("Chi bộ khu 1 (22.BC.1), thuộc Đảng bộ phường Bãi Cháy"),
        "{err}"
    );
    served.stop();
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_walked_from_start_to_end_reads_the_same_everywhere_sqlite() {
    walk(testing::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_walked_from_start_to_end_reads_the_same_everywhere_postgres() {
    let Some(db) = testing::postgres().await else { return };
    walk(db).await;
}
