//! What the pages do with real data: search without diacritics, Vietnamese order, a refused
//! edit that keeps what was typed, an accepted one in the audit log, creating records, the
//! lazy tree, the language switch.

use crate::helpers::{TestApp, engines, hidden};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_found_without_diacritics_and_listed_in_vietnamese_order() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let page = c.get(format!("{}/members?q=nguyen+van+thanh", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("/members/{}\">Nguyễn Văn Thành", app.ids.thanh)));
        assert!(!page.contains("Trần Thị Lan"));
        // By CCCD, leading zeros and all.
        let page = c.get(format!("{}/members?q=022175000321", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Trần Thị Lan") && !page.contains("Nguyễn Văn Thành"));
        // Given name first: Hoa, Hùng, Lan, Thành (Vietnamese order), not by family name.
        let page = c.get(format!("{}/members", app.base)).send().await.unwrap().text().await.unwrap();
        let pos = |n: &str| page.find(n).unwrap_or_else(|| panic!("{n} missing"));
        assert!(pos("Phạm Thị Hoa") < pos("Lê Văn Hùng") && pos("Lê Văn Hùng") < pos("Trần Thị Lan") && pos("Trần Thị Lan") < pos("Nguyễn Văn Thành"));
        // Filters: women only; born in 1990.
        let page = c.get(format!("{}/members?gender=nu", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Trần Thị Lan") && page.contains("Phạm Thị Hoa") && !page.contains("Lê Văn Hùng"));
        let page = c.get(format!("{}/members?born=08/03/1990", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Phạm Thị Hoa") && !page.contains("Trần Thị Lan"));
        // The home page's to-do list names the cells below three official members.
        let home = c.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(
            home.contains("Chi bộ chưa đủ đảng viên chính thức")
                && home.contains("Chi bộ khu phố 10")
                && home.contains("1 đảng viên chính thức · cần ít nhất 3")
        );
        // By cell, typed without diacritics; an unknown one is said.
        let page = c.get(format!("{}/members?cell=khu+pho+10", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Lê Văn Hùng") && !page.contains("Trần Thị Lan"));
        let page = c.get(format!("{}/members?cell=khu+pho+99", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Tổ chức: không tìm thấy bản ghi"));
        // The roll as it stood before the fixture's members were entered (19/05/2010) is empty.
        let page = c.get(format!("{}/members?as_of=01/01/2009", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Không có kết quả nào") && page.contains("value=\"01/01/2009\""));
        let page = c.get(format!("{}/members?as_of=01/06/2010", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Nguyễn Văn Thành") && page.contains("Phạm Thị Hoa"));
        // An htmx request gets only the results.
        let partial = c.get(format!("{}/members?q=hoa", app.base)).header("HX-Request", "true").send().await.unwrap().text().await.unwrap();
        assert!(partial.contains("Phạm Thị Hoa") && !partial.contains("<html"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_edit_keeps_the_input_saves_nothing_and_a_valid_one_is_audited() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("bithu.kp3").await;
        let url = format!("{}/members/{}/edit", app.base, app.ids.thanh);
        let form = c.get(&url).send().await.unwrap().text().await.unwrap();
        let csrf = hidden(&form, "_csrf");
        let version = hidden(&form, "version");
        let fields = |cccd: &'static str| {
            vec![
                ("_csrf", csrf.clone()),
                ("version", version.clone()),
                ("full_name", "Nguyễn Văn Thành".to_owned()),
                ("gender", "nam".to_owned()),
                ("birth_date", "12/04/1958".to_owned()),
                ("cccd", cccd.to_owned()),
                ("phone", "0912 345 678".to_owned()),
            ]
        };
        let r = c.post(&url).form(&fields("02205800123")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("số CCCD phải gồm đúng 12 chữ số (đang có 11 ký tự)"), "the message names the problem");
        assert!(page.contains("<a href=\"#f-cccd\">Số CCCD: số CCCD phải gồm"), "the summary names the field and links to it");
        assert!(page.contains("value=\"02205800123\""), "what was typed is kept");
        assert!(page.contains("value=\"0912 345 678\""));
        let s = app.db.store.operator("t");
        let m = s.member(app.ids.thanh).await.unwrap();
        assert_eq!((m.profile.cccd.as_ref().unwrap().as_str(), m.version), ("022058001234", 1));
        let r = c.post(&url).form(&fields("022058009876")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let m = s.member(app.ids.thanh).await.unwrap();
        assert_eq!((m.profile.cccd.as_ref().unwrap().as_str(), m.profile.phone.as_deref(), m.version), ("022058009876", Some("0912345678"), 2));
        let log = c.get(format!("{}/audit?entity=member&id={}", app.base, app.ids.thanh)).send().await.unwrap().text().await.unwrap();
        assert!(log.contains("Sửa hồ sơ đảng viên") && log.contains("bithu.kp3"));
        assert!(log.contains("<del>022058001234</del>") && log.contains("<ins>022058009876</ins>"));
        // Editing again from the old form (stale version) is refused and changes nothing.
        let r = c.post(&url).form(&fields("022058005555")).send().await.unwrap().text().await.unwrap();
        assert!(r.contains("bản ghi đã được người khác sửa"));
        assert_eq!(s.member(app.ids.thanh).await.unwrap().profile.cccd.unwrap().as_str(), "022058009876");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_adds_a_member_and_records_an_event_in_her_cell() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("bithu.kp3").await;
        let form = c.get(format!("{}/members/new", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("value=\"22.CP.CO.KP3\""), "the secretary's cell is proposed");
        let csrf = hidden(&form, "_csrf");
        let fields = [
            ("_csrf", csrf.as_str()),
            ("full_name", "Đỗ Thị Mai"),
            ("gender", "nu"),
            ("birth_date", "15/06/1995"),
            ("first_event", "admitted"),
            ("event_date", "19/05/2026"),
            ("cell", "22.CP.CO.KP3"),
            ("decision_no", "45-QĐ/ĐU"),
        ];
        let r = c.post(format!("{}/members/new", app.base)).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        let page = c.get(format!("{}{location}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Đỗ Thị Mai") && page.contains("Đảng viên dự bị") && page.contains("45-QĐ/ĐU"));
        // Into another cell: refused as not found, nothing created.
        let outside = [
            ("_csrf", csrf.as_str()),
            ("full_name", "Vũ Văn Long"),
            ("gender", "nam"),
            ("birth_date", "15/06/1995"),
            ("first_event", "admitted"),
            ("event_date", "19/05/2026"),
            ("cell", "22.HL.BC.1"),
        ];
        let r = c.post(format!("{}/members/new", app.base)).form(&outside).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("value=\"Vũ Văn Long\""));
        let admin = app.db.store.operator("t");
        let found = admin
            .list_members(app.ids.province, &chibo_store::member::MemberFilter { query: Some("vu van long".into()), ..Default::default() }, 0, 5)
            .await
            .unwrap();
        assert_eq!(found.total, 0);
        // A future event is refused with the date named.
        let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let ev = c.get(format!("{}/members/{id}/event", app.base)).send().await.unwrap().text().await.unwrap();
        let version = hidden(&ev, "version");
        let r = c
            .post(format!("{}/members/{id}/event", app.base))
            .form(&[("_csrf", csrf.as_str()), ("version", version.as_str()), ("event", "made_official"), ("event_date", "01/01/2099")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(r.contains("ngày 01/01/2099 ở tương lai"));
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tree_expands_lazily_and_an_admin_founds_and_renames_a_cell() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("quangninh").await;
        let kids = c.get(format!("{}/orgs/{}/children", app.base, app.ids.ward_a)).send().await.unwrap().text().await.unwrap();
        assert!(kids.contains("Chi bộ khu phố 3") && kids.contains("Chi bộ khu phố 10") && !kids.contains("<html"));
        // Natural order: 3 before 10; counts of members beside them.
        assert!(kids.find("Chi bộ khu phố 3").unwrap() < kids.find("Chi bộ khu phố 10").unwrap());
        assert!(kids.contains("2 đảng viên"));
        let found = c.get(format!("{}/orgs?q=cua+ong", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(found.contains("Đảng bộ phường Cửa Ông"));
        let form = c.get(format!("{}/orgs/{}/new", app.base, app.ids.ward_a)).send().await.unwrap().text().await.unwrap();
        let csrf = hidden(&form, "_csrf");
        let fields = [
            ("_csrf", csrf.as_str()),
            ("code", "22.CP.CO.KP5"),
            ("name", "Chi bộ khu phố 5"),
            ("kind", "chi_bo_truc_thuoc"),
            ("category", "khu_dan_cu"),
            ("founded_on", "01/03/2026"),
        ];
        let r = c.post(format!("{}/orgs/{}/new", app.base, app.ids.ward_a)).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        // The same code again is a field error.
        let again = c.post(format!("{}/orgs/{}/new", app.base, app.ids.ward_a)).form(&fields).send().await.unwrap().text().await.unwrap();
        assert!(again.contains("mã tổ chức «22.CP.CO.KP5» đã được dùng"));
        let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let r = c
            .post(format!("{}/orgs/{id}/change/rename", app.base))
            .form(&[("_csrf", csrf.as_str()), ("version", "1"), ("event_date", "01/04/2026"), ("name", "Chi bộ khu phố 5A")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let page = c.get(format!("{}/orgs/{id}", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<h1>Chi bộ khu phố 5A</h1>") && page.contains("Đổi tên"));
        let s = app.db.store.operator("t");
        let then = s.node_at(id, chrono::NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()).await.unwrap().unwrap();
        assert_eq!(then.name, "Chi bộ khu phố 5");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interface_switches_to_english_and_back() {
    let app = TestApp::start(chibo_store::testing::sqlite().await).await;
    let c = app.login("campha").await;
    let r = c.get(format!("{}/lang/en?next=/members", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/members");
    let page = c.get(format!("{}/members", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Log out") && page.contains("Official member"));
    c.get(format!("{}/lang/vi?next=/", app.base)).send().await.unwrap();
    let page = c.get(format!("{}/members", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Đăng xuất"));
    // An outside address is never followed.
    let r = c.get(format!("{}/lang/en?next=//evil.example", app.base)).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_sees_only_their_record_and_edits_their_contact() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let c = app.login("thanh").await;
        let r = c.get(format!("{}/", app.base)).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/me");
        let page = c.get(format!("{}/me", app.base)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Nguyễn Văn Thành") && page.contains("022058001234"));
        let csrf = hidden(&page, "_csrf");
        let bad = c
            .post(format!("{}/me", app.base))
            .form(&[("_csrf", csrf.as_str()), ("version", "1"), ("phone", "12ab"), ("email", "thanh@")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(bad.contains("Số điện thoại: số điện thoại gồm 9 đến 11 chữ số") && bad.contains("value=\"thanh@\""));
        let ok = [
            ("_csrf", csrf.as_str()),
            ("version", "1"),
            ("current_address", "Khu phố 3, phường Cửa Ông"),
            ("phone", "0912345678"),
            ("email", "thanh@example.vn"),
        ];
        let r = c.post(format!("{}/me", app.base)).form(&ok).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/me?saved=1");
        let m = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
        assert_eq!(m.profile.email.as_deref(), Some("thanh@example.vn"));
        // The CCCD is not theirs to change: a field the form does not have is ignored.
        let sneaky = [("_csrf", csrf.as_str()), ("version", "2"), ("phone", "0912345678"), ("cccd", "000000000000")];
        c.post(format!("{}/me", app.base)).form(&sneaky).send().await.unwrap();
        let m = app.db.store.operator("t").member(app.ids.thanh).await.unwrap();
        assert_eq!(m.profile.cccd.unwrap().as_str(), "022058001234");
        app.stop().await;
    }
}

/// Posts a form and returns (status, location or page text).
async fn post(c: &reqwest::Client, url: String, fields: &[(&str, &str)]) -> (u16, String) {
    let r = c.post(url).form(fields).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(r.text().await.unwrap()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_takes_a_candidate_through_admission_and_a_member_through_a_transfer_on_the_pages() {
    for db in engines().await {
        let app = TestApp::start(db).await;
        let i = app.ids;
        let c = app.login("bithu.kp3").await;
        let csrf = app.csrf(&c).await;
        let base = &app.base;
        let (s, location) = post(
            &c,
            format!("{base}/members/new"),
            &[
                ("_csrf", &csrf),
                ("full_name", "Đinh Văn Minh"),
                ("gender", "nam"),
                ("birth_date", "15/03/2001"),
                ("first_event", "candidate"),
                ("event_date", "01/06/2024"),
                ("cell", "22.CP.CO.KP3"),
            ],
        )
        .await;
        assert_eq!(s, 303);
        let minh: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
        let profile = c.get(format!("{base}/members/{minh}")).send().await.unwrap().text().await.unwrap();
        assert!(profile.contains(&format!("/admissions/new?member={minh}")), "a candidate's page offers to open a case");
        // The form lists the cell's members as introducers.
        let form = c.get(format!("{base}/admissions/new?member={minh}")).send().await.unwrap().text().await.unwrap();
        assert!(form.contains(&format!("value=\"{}\"", i.thanh)) && form.contains("Nguyễn Văn Thành (Đảng viên chính thức)"));
        let lan = app
            .db
            .store
            .operator("t")
            .list_members(i.cell_a1, &chibo_store::member::MemberFilter { query: Some("tran thi lan".into()), ..Default::default() }, 0, 1)
            .await
            .unwrap()
            .items[0]
            .id;
        let (thanh, lan) = (i.thanh.to_string(), lan.to_string());
        let file = |second: &str| {
            vec![
                ("_csrf", csrf.clone()),
                ("certificate_no", "GCN-7/2024".to_owned()),
                ("certificate_on", "01/10/2024".to_owned()),
                ("applied_on", "10/01/2025".to_owned()),
                ("introducer_1", thanh.clone()),
                ("known_since_1", "01/01/2020".to_owned()),
                ("introducer_2", second.to_owned()),
                ("known_since_2", "01/06/2024".to_owned()),
            ]
        };
        // Known for only seven months: refused beside the field, nothing opened.
        let r = c.post(format!("{base}/admissions?member={minh}")).form(&file(&lan)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(page.contains("phải quen biết và cùng công tác với người vào Đảng ít nhất 12 tháng"), "{page}");
        assert!(page.contains("value=\"GCN-7/2024\""), "the input is kept");
        // The second introducer works with Minh but belongs to khu phố 10 (outside the
        // secretary's scope): named by party card, with the shared workplace.
        let admin = app.db.store.operator("t");
        let hung = admin.member(i.hung).await.unwrap();
        let mut p = hung.profile.clone();
        p.card_number = Some(chibo_domain::member::CardNumber::parse("10045678").unwrap());
        admin.update_member_profile(i.hung, hung.version, p).await.unwrap();
        let mut ok = file("");
        ok[7].1 = "01/06/2023".into();
        let mut unknown = ok.clone();
        unknown.push(("introducer_2_card", "99999999".into()));
        let r = c.post(format!("{base}/admissions?member={minh}")).form(&unknown).send().await.unwrap().text().await.unwrap();
        assert!(r.contains("Người giới thiệu thứ hai: không tìm thấy"), "{r}");
        ok.push(("introducer_2_card", "10045678".into()));
        ok.push(("workplace_2", "Trường THCS Cửa Ông".into()));
        let r = c.post(format!("{base}/admissions?member={minh}")).form(&ok).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let case = r.headers()["location"].to_str().unwrap().to_owned();
        let page = c.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("đảng viên mã số {} · quen biết từ 01/06/2023 · Trường THCS Cửa Ông", i.hung)), "not named outside the scope: {page}");
        let version = |html: &str| hidden(html, "version");
        let step = async |fields: Vec<(&str, &str)>| {
            let page = c.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
            let v = version(&page);
            let mut all = vec![("_csrf", csrf.as_str()), ("version", v.as_str())];
            all.extend(fields);
            post(&c, format!("{base}{case}/step"), &all).await
        };
        let (s, _) = step(vec![("step", "vetting"), ("background_on", "20/01/2025"), ("vetted_on", "01/02/2025")]).await;
        assert_eq!(s, 303);
        // The vote form says how many official members the cell has and the share needed.
        let page = c.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Hôm nay chi bộ có 2 đảng viên chính thức"), "{page}");
        let (s, _) = step(vec![("step", "vote"), ("vote_on", "10/02/2025"), ("votes_for", "two"), ("votes_against", "0")]).await;
        assert_eq!(s, 200, "a count that is not a number comes back with the form");
        let (s, _) = step(vec![("step", "vote"), ("vote_on", "10/02/2025"), ("votes_for", "2"), ("votes_against", "0")]).await;
        assert_eq!(s, 303);
        let (s, _) =
            step(vec![("step", "decision"), ("decision_number", "15-QĐ/ĐU"), ("decision_on", "20/02/2025"), ("issued_by", "Đảng ủy phường Cửa Ông")]).await;
        assert_eq!(s, 303);
        let page = c.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Quá hạn tổ chức lễ kết nạp: hạn là 03/04/2025."), "{page}");
        let (s, _) = step(vec![("step", "ceremony"), ("ceremony_on", "10/04/2025")]).await;
        assert_eq!(s, 303);
        let page = c.get(format!("{base}{case}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Lễ kết nạp tổ chức muộn: hạn là 03/04/2025"), "a late ceremony stays flagged");
        let profile = c.get(format!("{base}/members/{minh}")).send().await.unwrap().text().await.unwrap();
        assert!(profile.contains("Đảng viên dự bị") && profile.contains("15-QĐ/ĐU") && profile.contains("Đảng ủy phường Cửa Ông"));

        // Thành moves to Bãi Cháy (outside the secretary's scope): a letter, then the province
        // accepts into Chi bộ khu 1 and the letter prints.
        let page = c.get(format!("{base}/members/{}/transfer", i.thanh)).send().await.unwrap().text().await.unwrap();
        let v = version(&page);
        let (s, transfer) = post(
            &c,
            format!("{base}/members/{}/transfer", i.thanh),
            &[
                ("_csrf", &csrf),
                ("version", &v),
                ("kind", "permanent"),
                ("to", "bai chay"),
                ("letter_no", "31-GGT/ĐU"),
                ("letter_on", "01/10/2026"),
                ("fees_paid_through", "09/2026"),
            ],
        )
        .await;
        assert_eq!(s, 303, "{transfer}");
        let letter = c.get(format!("{base}{transfer}/letter")).send().await.unwrap().text().await.unwrap();
        assert!(
            letter.contains("GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG")
                && letter.contains("Kính gửi: <strong>Đảng bộ phường Bãi Cháy</strong>")
                && letter.contains("09/2026")
        );
        assert!(letter.contains("ngày 01 tháng 10 năm 2026") && letter.contains("ĐẢNG BỘ PHƯỜNG CỬA ÔNG"));
        let qn = app.login("quangninh").await;
        let qcsrf = app.csrf(&qn).await;
        let page = qn.get(format!("{base}{transfer}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("<option value=\"{}\">Chi bộ khu 1</option>", i.cell_b1)), "the receiving side picks one of its cells");
        let v = version(&page);
        let (s, _) = post(
            &qn,
            format!("{base}{transfer}/accept"),
            &[("_csrf", &qcsrf), ("version", &v), ("cell", &i.cell_b1.to_string()), ("answered_on", "10/10/2026")],
        )
        .await;
        assert_eq!(s, 303);
        assert_eq!(c.get(format!("{base}/members/{}", i.thanh)).send().await.unwrap().status(), 404, "Thành has left the secretary's cell");

        // Hùng (khu phố 10) lives in khu phố 3: the province links him, the secretary comments.
        let page = qn.get(format!("{base}/members/{}/residence", i.hung)).send().await.unwrap().text().await.unwrap();
        let v = version(&page);
        let (s, _) = post(
            &qn,
            format!("{base}/members/{}/residence", i.hung),
            &[("_csrf", &qcsrf), ("version", &v), ("residence_cell", "22.CP.CO.KP3"), ("from_on", "01/01/2025"), ("note", "Tổ 5")],
        )
        .await;
        assert_eq!(s, 303);
        let list = c.get(format!("{base}/orgs/{}/residents", i.cell_a1)).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("Lê Văn Hùng") && list.contains("Chi bộ khu phố 10"), "{list}");
        let link = list.split("action=\"/residences/").nth(1).unwrap().split('/').next().unwrap().to_owned();
        let year = hidden(&list, "year");
        let (s, _) = post(&c, format!("{base}/residences/{link}/comment"), &[("_csrf", &csrf), ("year", &year), ("comment", "Gương mẫu ở khu dân cư")]).await;
        assert_eq!(s, 303);
        assert!(c.get(format!("{base}/orgs/{}/residents", i.cell_a1)).send().await.unwrap().text().await.unwrap().contains("Gương mẫu ở khu dân cư"));
        // A comment too long is refused beside its box, with the text kept.
        let long = "x".repeat(2001);
        let (s, page) = post(&c, format!("{base}/residences/{link}/comment"), &[("_csrf", &csrf), ("year", &year), ("comment", &long)]).await;
        assert_eq!(s, 200);
        assert!(page.contains(&format!("aria-describedby=\"ecm-{link}\"")) && page.contains(&long) && page.contains("2000"), "{page}");

        // The province reads all of it in its audit log in words: actions, records by name,
        // organizations by name, dates dd/mm/yyyy; never a stored code.
        let log = |entity: &str| {
            let qn = qn.clone();
            let url = format!("{base}/audit?entity={entity}");
            async move { qn.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let transfers = log("transfer").await;
        assert!(transfers.contains("Giới thiệu chuyển sinh hoạt đảng") && transfers.contains("Tiếp nhận sinh hoạt đảng"), "{transfers}");
        assert!(transfers.contains("Chuyển sinh hoạt Nguyễn Văn Thành"), "the record is named");
        assert!(transfers.contains("<ins>Chi bộ khu 1</ins>") && transfers.contains("<ins>10/10/2026</ins>"), "{transfers}");
        assert!(transfers.contains("<ins>Chờ tiếp nhận</ins>") && transfers.contains("<ins>Đã tiếp nhận</ins>"), "states by their labels");
        let admissions = log("admission").await;
        assert!(admissions.contains("Mở hồ sơ kết nạp") && admissions.contains("Hồ sơ kết nạp Đinh Văn Minh"), "{admissions}");
        let residences = log("residence").await;
        assert!(residences.contains("Nhận xét của chi bộ nơi cư trú") && residences.contains("Gương mẫu ở khu dân cư"), "{residences}");
        let everything = log("").await;
        for page in [&transfers, &admissions, &residences, &everything] {
            for code in chibo_domain::audit::Action::all().iter().map(|a| a.code()) {
                assert!(!page.contains(&format!(">{code}<")), "the code {code} is shown");
            }
            assert!(!page.contains(" #"), "a record shown by its key");
        }
        app.stop().await;
    }
}
