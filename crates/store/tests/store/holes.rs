//! The holes a ward met in its first month (issue 22, §2): every path to official standing
//! obeys probation whatever created the member, an imported official member counts official
//! from the «Ngày chính thức» of the file, and a member registered from records keeps the
//! party dates those records give.

use super::*;
use chibo_store::import::{ImportFile, ImportRow};

/// One row of an import of a probationary or official member of `cell`.
fn import_row(line: usize, name: &str, cell: OrgId, status: MemberStatus, admitted: NaiveDate, official: Option<NaiveDate>) -> ImportRow {
    ImportRow { line, profile: profile(name, Gender::Female, d(1980, 1, 1), None), cell, status, admitted_on: Some(admitted), official_on: official }
}

async fn import(store: &Store, org: OrgId, rows: &[ImportRow], name: &str) {
    let file = ImportFile { name: name.into(), sha256: format!("{:064x}", rows.len() + name.len()), rows: rows.len() };
    let refs: Vec<&ImportRow> = rows.iter().collect();
    store.within(&admin()).commit_import(org, &file, &refs, &|_, _| {}).await.unwrap();
}

async fn by_name(store: &Store, org: OrgId, name: &str) -> chibo_store::member::Member {
    let filter = MemberFilter { query: Some(name.into()), ..Default::default() };
    store.within(&admin()).list_members(org, &filter, 0, 2).await.unwrap().items.remove(0)
}

db_test!(a_recognition_waits_for_the_end_of_probation_whatever_created_the_member, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let admitted_on = d(2025, 3, 1);
    import(store, t.ward_a, &[import_row(2, "Đinh Thị Nhập", t.cell_a1, MemberStatus::Probationary, admitted_on, None)], "ds.xlsx").await;
    let imported = by_name(store, t.ward_a, "Đinh Thị Nhập").await;
    let registered = s
        .register_member(
            profile("Cao Thị Đăng", Gender::Female, d(1985, 1, 1), None),
            MemberEvent { on: d(2025, 4, 1), change: MemberChange::Registered { cell: t.cell_a1, status: MemberStatus::Probationary } },
            None,
            (Some(admitted_on), None),
        )
        .await
        .unwrap();
    let by_event = admitted(store, "Mai Thị Kết", Gender::Female, t.cell_a1, admitted_on).await;
    for m in [&imported, &registered, &by_event] {
        // A month after admission: refused, nothing written.
        let early = MemberEvent { on: d(2025, 4, 2), change: MemberChange::MadeOfficial };
        let err = s.record_member_event(m.id, m.version, early, Some("9-QĐ/ĐU")).await.unwrap_err();
        assert_eq!(err.code(), "probation_not_over", "{}: {err:?}", m.profile.full_name);
        assert_eq!(err.message(Lang::Vi), "Ngày sự kiện: ngày 02/04/2025 chưa hết thời gian dự bị (hết ngày 01/03/2026)");
        assert_eq!(s.member(m.id).await.unwrap().status, MemberStatus::Probationary);
        // Once the twelve months are over: recognized.
        let on_time = MemberEvent { on: d(2026, 3, 1), change: MemberChange::MadeOfficial };
        assert_eq!(s.record_member_event(m.id, m.version, on_time, Some("9-QĐ/ĐU")).await.unwrap().status, MemberStatus::Official);
    }
});

db_test!(an_imported_official_member_counts_official_from_the_recognition_date, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let rows = [
        import_row(2, "Vương Thị Chính", t.cell_a1, MemberStatus::Official, d(2025, 1, 13), Some(d(2026, 1, 13))),
        import_row(3, "Lý Thị Miễn", t.cell_a1, MemberStatus::Exempt, d(2025, 1, 13), Some(d(2026, 1, 13))),
    ];
    import(store, t.ward_a, &rows, "chinh-thuc.xlsx").await;
    let before = s.org_stats(t.cell_a1, d(2025, 6, 1)).await.unwrap();
    assert_eq!((before.members, before.official, before.probationary), (2, 0, 2), "probationary between admission and recognition");
    let after = s.org_stats(t.cell_a1, d(2026, 2, 1)).await.unwrap();
    assert_eq!((after.members, after.probationary), (2, 0), "recognized on 13/01/2026");
    let m = by_name(store, t.ward_a, "Vương Thị Chính").await;
    assert_eq!((m.status, m.admitted_on, m.official_on), (MemberStatus::Official, Some(d(2025, 1, 13)), Some(d(2026, 1, 13))));
    let exempt = by_name(store, t.ward_a, "Lý Thị Miễn").await;
    assert_eq!((exempt.status, exempt.official_on), (MemberStatus::Exempt, Some(d(2026, 1, 13))));
});

db_test!(a_member_registered_from_records_keeps_their_party_dates, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let first = MemberEvent { on: d(2020, 2, 1), change: MemberChange::Registered { cell: t.cell_a1, status: MemberStatus::Official } };
    let m =
        s.register_member(profile("Hà Thị Cũ", Gender::Female, d(1960, 1, 1), None), first, None, (Some(d(1985, 5, 19)), Some(d(1986, 5, 19)))).await.unwrap();
    assert_eq!((m.admitted_on, m.official_on), (Some(d(1985, 5, 19)), Some(d(1986, 5, 19))));
    // Party age counts from the records' admission (1985): 40 years and more.
    let st = s.dashboard(t.cell_a1, d(2026, 1, 1)).await.unwrap();
    assert_eq!(st.party_age_at_least(40), 1);
    // A correction of the records' dates; a later event keeps them.
    let m = s.update_member(m.id, m.version, m.profile.clone(), Some((Some(d(1985, 6, 1)), Some(d(1986, 6, 1))))).await.unwrap();
    let m = s.record_member_event(m.id, m.version, MemberEvent { on: d(2021, 1, 1), change: MemberChange::Moved { cell: t.cell_a2 } }, None).await.unwrap();
    assert_eq!((m.admitted_on, m.official_on), (Some(d(1985, 6, 1)), Some(d(1986, 6, 1))));
    // Dates after the registration are refused, and a member admitted here has the dates of
    // the decisions recorded.
    let err = s.update_member(m.id, m.version, m.profile.clone(), Some((Some(d(2021, 6, 1)), None))).await.unwrap_err();
    assert_eq!(err.code(), "date_before_other", "{err:?}");
    let here = admitted(store, "Tạ Thị Mới", Gender::Female, t.cell_a1, d(2024, 1, 1)).await;
    let err = s.update_member(here.id, here.version, here.profile.clone(), Some((Some(d(2020, 1, 1)), None))).await.unwrap_err();
    assert_eq!(err.code(), "status_dates_disagree", "{err:?}");
    assert_eq!(s.member(here.id).await.unwrap().admitted_on, Some(d(2024, 1, 1)));
});

db_test!(a_plain_move_into_a_cell_of_another_grassroots_organization_is_refused_as_a_transfer, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Kiều Thị Chuyển", Gender::Female, t.cell_a1, d(2020, 1, 1)).await;
    let away = MemberEvent { on: d(2021, 1, 1), change: MemberChange::Moved { cell: t.cell_b1 } };
    let err = s.record_member_event(m.id, m.version, away, None).await.unwrap_err();
    assert_eq!(err.code(), "move_needs_transfer");
    let msg = err.message(Lang::Vi);
    assert!(msg.starts_with("Chi bộ: chi bộ «Chi bộ khu 1» thuộc đảng bộ khác") && msg.contains("chuyển sinh hoạt đảng (giấy giới thiệu"), "{msg}");
    assert_eq!(s.member(m.id).await.unwrap().org_id, t.cell_a1);
    // Inside the ward a move is the ward's plain decision.
    let near = MemberEvent { on: d(2021, 1, 1), change: MemberChange::Moved { cell: t.cell_a2 } };
    assert_eq!(s.record_member_event(m.id, m.version, near, None).await.unwrap().org_id, t.cell_a2);
});

db_test!(ending_a_temporary_transfer_keeps_the_letter_s_term_as_issued, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let m = admitted(store, "Âu Thị Tạm", Gender::Female, t.cell_a1, d(2015, 1, 1)).await;
    let m = s.record_member_event(m.id, m.version, MemberEvent { on: d(2016, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap();
    let letter = |until: &str| chibo_domain::transfer::LetterInput {
        kind: "temporary".into(),
        to_org: t.ward_b.to_string(),
        letter_no: "12-GGT/ĐU".into(),
        letter_on: "02/11/2025".into(),
        fees_paid_through: "10/2025".into(),
        until: until.into(),
        ..Default::default()
    };
    // Thirty days is not a temporary transfer: three months at least, by the stored rules.
    let short = letter("02/12/2025").validate(&book, today()).unwrap_err();
    assert_eq!(short.errors[0].code, ErrorCode::TemporaryTooShort);
    let sent = s.send_transfer(m.id, m.version, letter("02/05/2026").validate(&book, today()).unwrap()).await.unwrap();
    let taken = s.accept_transfer(sent.id, sent.version, t.cell_b1, d(2025, 11, 5)).await.unwrap();
    let ended = s.end_temporary_transfer(taken.id, taken.version, d(2026, 2, 2)).await.unwrap();
    assert_eq!((ended.until, ended.ended_on), (Some(d(2026, 5, 2)), Some(d(2026, 2, 2))), "the letter's term stays as signed");
    let log = s.audit_log(&AuditFilter { entity: Some("transfer".into()), entity_id: Some(sent.id), limit: 5, ..Default::default() }).await.unwrap();
    assert_eq!(log[0].action, "transfer.end");
    assert_eq!(
        (log[0].after.as_ref().unwrap()["until"].as_str(), log[0].after.as_ref().unwrap()["ended_on"].as_str()),
        (Some("2026-05-02"), Some("2026-02-02"))
    );
});

db_test!(a_grassroots_committee_below_the_rules_membership_is_on_the_todo_list, |store| {
    use chibo_domain::todo::{FactValue, TodoKind};
    let t = tree(store).await;
    let s = store.within(&admin());
    for (i, cell) in [t.cell_a1, t.cell_a2, t.cell_a1].into_iter().enumerate() {
        admitted(store, &format!("Người Phường {i}"), Gender::Female, cell, d(2020, 1, 1)).await;
    }
    let small = |items: Vec<chibo_domain::todo::TodoItem>| {
        items
            .into_iter()
            .filter(|i| i.kind == TodoKind::GrassrootsCommitteeTooSmall)
            .map(|i| (i.org_id, i.facts.iter().map(|f| f.value).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    };
    // Cửa Ông has three members, Bãi Cháy none; the rule book wants 30 of a đảng bộ cơ sở.
    let found = small(s.todo(today()).await.unwrap());
    assert!(found.contains(&(t.ward_a, vec![FactValue::Count(3), FactValue::Count(30)])), "{found:?}");
    assert!(found.contains(&(t.ward_b, vec![FactValue::Count(0), FactValue::Count(30)])), "{found:?}");
    // A scope below the committee does not see it.
    let cell = s.org(t.cell_a1).await.unwrap();
    assert!(small(store.within(&subtree_scope(t.cell_a1, &cell.path, true)).todo(today()).await.unwrap()).is_empty());
});
