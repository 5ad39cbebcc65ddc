//! A member's positions in the party on their page and on their own record, and who from the
//! committee above is in charge of an organization on its page, with real committees on both
//! engines: two terms of Chi bộ khu phố 3 (Thành deputy, then secretary and head of the khu
//! phố), and Lan on the ward's committee, in charge of the cell.

use crate::helpers::{TestApp, engines};
use chibo_domain::committee::command::{DutyInput, Picked, PostInput, SeatInput, TermInput};
use chibo_domain::org::OrgKind;

/// The committees of the fixture; returns Lan's id.
pub async fn committees(app: &TestApp) -> i64 {
    let store = &app.db.store;
    let s = store.operator("test");
    let book = store.rule_book().await.unwrap();
    let today = store.today();
    let i = app.ids;
    let filter = chibo_store::member::MemberFilter { query: Some("tran thi lan".into()), ..Default::default() };
    let lan = s.list_members(i.cell_a1, &filter, 0, 1).await.unwrap().items[0].id;
    let term = async |org: i64, kind: OrgKind, starts: &str| {
        s.open_term(org, TermInput { starts_on: starts.into(), ..Default::default() }.validate(kind, &book, today).unwrap()).await.unwrap()
    };
    let seat = |m: i64, p: &str, from: &str| SeatInput {
        member: Picked::Found(m),
        position: p.into(),
        basis: "bau".into(),
        from: from.into(),
        decision_no: "15-QĐ/ĐU".into(),
        ..Default::default()
    };
    let first = term(i.cell_a1, OrgKind::Cell, "01/09/2015").await;
    s.assign_seat(first.id, seat(i.thanh, "pho_bi_thu", "01/09/2015").validate(OrgKind::Cell, &first, today).unwrap()).await.unwrap();
    // The next congress ends the first term and its seats.
    let second = term(i.cell_a1, OrgKind::Cell, "01/09/2020").await;
    let secretary = s.assign_seat(second.id, seat(i.thanh, "bi_thu", "01/09/2020").validate(OrgKind::Cell, &second, today).unwrap()).await.unwrap();
    let duty = DutyInput { field: "to_chuc".into(), text: "Phụ trách chung".into(), from: "01/09/2020".into(), ..Default::default() };
    s.assign_duty(secretary.id, duty.validate(secretary.from, today).unwrap()).await.unwrap();
    let post = PostInput {
        member: Picked::Found(i.thanh),
        kind: "truong_thon".into(),
        place: "Khu phố 3, phường Cửa Ông".into(),
        from: "01/01/2017".into(),
        ..Default::default()
    };
    s.record_post(post.validate(today).unwrap()).await.unwrap();
    // Lan sits on the ward's committee and answers for khu phố 3.
    let ward = term(i.ward_a, OrgKind::GrassrootsCommittee, "15/10/2020").await;
    let lan_seat = s.assign_seat(ward.id, seat(lan, "cap_uy_vien", "15/10/2020").validate(OrgKind::GrassrootsCommittee, &ward, today).unwrap()).await.unwrap();
    let duty = DutyInput { field: "to_chuc".into(), in_charge_of: vec![Picked::Found(i.cell_a1)], from: "15/10/2020".into(), ..Default::default() };
    s.assign_duty(lan_seat.id, duty.validate(lan_seat.from, today).unwrap()).await.unwrap();
    lan
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_members_page_shows_their_positions_duties_and_posts() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        let lan = committees(&app).await;
        let get = async |c: &reqwest::Client, path: String| {
            let r = c.get(format!("{}{path}", app.base)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.text().await.unwrap()
        };

        // The cell's secretary opens Thành's page: the seat he holds first, then the one that
        // ended with the first term, each with its organization and parent, term, dates and
        // basis; his duty and his post as head of the khu phố.
        let c = app.login("bithu.kp3").await;
        let page = get(&c, format!("/members/{}", i.thanh)).await;
        assert!(page.contains("<h2 id=\"positions\">Chức vụ trong Đảng</h2>"), "{page}");
        let section = &page[page.find("id=\"positions\"").unwrap()..page.find("Quá trình sinh hoạt Đảng").unwrap()];
        let at = |text: &str| section.find(text).unwrap_or_else(|| panic!("{text} missing from {section}"));
        assert!(at("<strong>Bí thư</strong>") < at("<strong>Phó bí thư</strong>"), "held first, then ended");
        for text in [
            "Đang giữ chức",
            "Chi bộ khu phố 3, Đảng bộ phường Cửa Ông",
            "Nhiệm kỳ 2020 – 2023",
            "từ 01/09/2020",
            "Được bầu · Quyết định số 15-QĐ/ĐU",
            "Tổ chức, cán bộ, đảng viên · Phụ trách chung · từ 01/09/2020",
            "Nhiệm kỳ 2015 – 2018",
            "01/09/2015 – 01/09/2020",
            "Hết nhiệm kỳ",
            "Trưởng khu phố 3, phường Cửa Ông từ 01/01/2017",
        ] {
            at(text);
        }
        // His cell's committee is the secretary's to open, as it stood on the seat's last day.
        assert!(section.contains(&format!("href=\"/orgs/{}/committee?on=31/08/2020\"", i.cell_a1)), "{section}");

        // Lan sits on the ward's committee, which the cell's secretary may not open: named
        // with its parent, not linked; her duty names the cell she answers for.
        let page = get(&c, format!("/members/{lan}")).await;
        assert!(page.contains("<strong>Đảng ủy viên</strong>") && page.contains("Đảng bộ phường Cửa Ông, Đảng bộ thành phố Cẩm Phả"), "{page}");
        assert!(page.contains("Tổ chức, cán bộ, đảng viên · phụ trách Chi bộ khu phố 3 · từ 15/10/2020"), "{page}");
        assert!(!page.contains(&format!("/orgs/{}/committee", i.ward_a)), "the ward is outside a cell secretary's scope");
        let province = app.login("quangninh").await;
        let page = get(&province, format!("/members/{lan}")).await;
        assert!(page.contains(&format!("href=\"/orgs/{}/committee?on=", i.ward_a)), "the province's staff may open the ward's committee");
        // Someone with no position says so.
        let page = get(&province, format!("/members/{}", i.hung)).await;
        assert!(page.contains("Chưa giữ chức vụ nào trong cấp ủy."));

        // The cell's page names who from the ward is in charge of it, linked to its committee;
        // another cell has nobody.
        let page = get(&c, format!("/orgs/{}", i.cell_a1)).await;
        assert!(page.contains("<dt>Cấp trên phụ trách</dt>"), "{page}");
        assert!(page.contains(&format!("<a href=\"/orgs/{}/committee\">Trần Thị Lan (Đảng ủy viên, Đảng bộ phường Cửa Ông)</a>", i.cell_a1)), "{page}");
        let page = get(&province, format!("/orgs/{}", i.cell_a2)).await;
        assert!(!page.contains("Cấp trên phụ trách"));

        // Thành signed in sees the same positions on his own record, without links to pages
        // a member's account does not have.
        let me = app.login("thanh").await;
        let page = get(&me, "/me".to_owned()).await;
        assert!(page.contains("Chức vụ trong Đảng") && page.contains("<strong>Bí thư</strong>") && page.contains("Hết nhiệm kỳ"), "{page}");
        assert!(page.contains("Trưởng khu phố 3, phường Cửa Ông từ 01/01/2017"));
        assert!(!page.contains("/committee"), "{page}");
        app.stop().await;
    }
}
