//! Store behaviour on both engines: every test runs on a fresh SQLite file and a fresh
//! PostgreSQL database.

use chibo_domain::error::{ErrorCode, Lang};
use chibo_domain::member::{Gender, MemberChange, MemberEvent, MemberInput, MemberProfile, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgChange, OrgId, OrgKind};
use chibo_domain::scope::{Actor, Reach, Rights};
use chibo_store::Scope;
use chibo_store::audit::AuditFilter;
use chibo_store::member::MemberFilter;
use chibo_store::org::{NewOrg, OrgMatch};
use chibo_store::{Store, StoreError, db_test};
use chrono::NaiveDate;

/// The upgrade of every migration over rows of every table (a file of its own).
#[path = "store/upgrade.rs"]
mod upgrade;

/// Committees and terms (a file of its own).
#[path = "store/committee.rs"]
mod committee;

/// The holes of the rules a ward met in its first month (a file of its own).
#[path = "store/holes.rs"]
mod holes;
/// Meetings (a file of its own).
#[path = "store/meeting.rs"]
mod meeting;

/// Several servers on one database: start-ups, chores, import jobs (a file of its own).
#[path = "store/servers.rs"]
mod servers;

/// Many writers at once (a file of its own).
#[path = "store/concurrency.rs"]
mod concurrency;

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

fn new_org(code: &str, name: &str, kind: OrgKind, parent: Option<OrgId>, on: NaiveDate) -> NewOrg {
    NewOrg { code: code.into(), name: name.into(), kind, category: OrgCategory::Other, parent_id: parent, founded_on: on, decision_no: None }
}

/// Province → district → grassroots committee → two cells, plus a second district with its
/// own grassroots committee and cell.
struct Tree {
    province: OrgId,
    district_a: OrgId,
    district_b: OrgId,
    ward_a: OrgId,
    cell_a1: OrgId,
    cell_a2: OrgId,
    ward_b: OrgId,
    cell_b1: OrgId,
}

async fn tree(store: &Store) -> Tree {
    let s = store.within(&admin());
    let on = d(2000, 1, 1);
    let province = s.create_org(new_org("QN", "Đảng bộ tỉnh Quảng Ninh", OrgKind::Province, None, on)).await.unwrap().id;
    let district_a = s.create_org(new_org("QN.CP", "Đảng bộ thành phố Cẩm Phả", OrgKind::UpperGrassroots, Some(province), on)).await.unwrap().id;
    let district_b = s.create_org(new_org("QN.HL", "Đảng bộ thành phố Hạ Long", OrgKind::UpperGrassroots, Some(province), on)).await.unwrap().id;
    let ward_a = s.create_org(new_org("QN.CP.CO", "Đảng bộ phường Cửa Ông", OrgKind::GrassrootsCommittee, Some(district_a), on)).await.unwrap().id;
    let cell_a1 = s.create_org(new_org("QN.CP.CO.KP3", "Chi bộ khu phố 3", OrgKind::Cell, Some(ward_a), on)).await.unwrap().id;
    let cell_a2 = s.create_org(new_org("QN.CP.CO.KP10", "Chi bộ khu phố 10", OrgKind::Cell, Some(ward_a), on)).await.unwrap().id;
    let ward_b = s.create_org(new_org("QN.HL.BC", "Đảng bộ phường Bãi Cháy", OrgKind::GrassrootsCommittee, Some(district_b), on)).await.unwrap().id;
    let cell_b1 = s.create_org(new_org("QN.HL.BC.1", "Chi bộ khu 1", OrgKind::Cell, Some(ward_b), on)).await.unwrap().id;
    Tree { province, district_a, district_b, ward_a, cell_a1, cell_a2, ward_b, cell_b1 }
}

fn profile(name: &str, gender: Gender, birth: NaiveDate, cccd: Option<&str>) -> MemberProfile {
    MemberInput {
        full_name: name.into(),
        gender: gender.code().into(),
        birth_date: birth.format("%d/%m/%Y").to_string(),
        cccd: cccd.unwrap_or_default().into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

async fn admitted(store: &Store, name: &str, gender: Gender, cell: OrgId, on: NaiveDate) -> chibo_store::member::Member {
    store
        .within(&admin())
        .create_member(profile(name, gender, d(1970, 5, 5), None), MemberEvent { on, change: MemberChange::Admitted { cell } }, Some("1-QĐ/ĐU"))
        .await
        .unwrap()
}

/// A member moved into a cell of another grassroots organization the way the rules want it
/// (a plain move there is refused): a permanent transfer to `to`, its letter accepted into
/// `cell` the same day.
async fn transfer_to(store: &Store, id: chibo_domain::member::MemberId, to: OrgId, cell: OrgId, on: NaiveDate) -> chibo_store::member::Member {
    let s = store.within(&admin());
    let m = s.member(id).await.unwrap();
    let book = store.rule_book().await.unwrap();
    let letter = chibo_domain::transfer::LetterInput {
        kind: "permanent".into(),
        to_org: to.to_string(),
        letter_no: "7-GGT/ĐU".into(),
        letter_on: on.format("%d/%m/%Y").to_string(),
        fees_paid_through: on.format("%m/%Y").to_string(),
        ..Default::default()
    };
    let sent = s.send_transfer(m.id, m.version, letter.validate(&book, today()).unwrap()).await.unwrap();
    s.accept_transfer(sent.id, sent.version, cell, on).await.unwrap();
    s.member(id).await.unwrap()
}

fn subtree_scope(org: OrgId, path: &chibo_domain::org::OrgPath, can_write: bool) -> Scope {
    let rights = if can_write { Rights::Full } else { Rights::Read };
    Scope::for_tests(Actor::User { id: 7, login: "bithu".into() }, Reach::Subtree { org, path: path.clone() }, rights)
}

db_test!(tree_reads_in_vietnamese_order_with_paths, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let nodes = s.subtree(t.province, today(), None).await.unwrap();
    let names: Vec<_> = nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Đảng bộ tỉnh Quảng Ninh",
            "Đảng bộ thành phố Cẩm Phả",
            "Đảng bộ phường Cửa Ông",
            "Chi bộ khu phố 3",
            "Chi bộ khu phố 10",
            "Đảng bộ thành phố Hạ Long",
            "Đảng bộ phường Bãi Cháy",
            "Chi bộ khu 1",
        ]
    );
    let kids = s.children(t.ward_a, today()).await.unwrap();
    assert_eq!(kids.iter().map(|k| k.id).collect::<Vec<_>>(), vec![t.cell_a1, t.cell_a2]);
    let depth1 = s.subtree(t.province, today(), Some(1)).await.unwrap();
    assert_eq!(depth1.len(), 3);
    let cell = s.org(t.cell_a1).await.unwrap();
    assert_eq!(cell.path.ids(), vec![t.province, t.district_a, t.ward_a, t.cell_a1]);
});

db_test!(moved_branch_reads_differently_before_and_after, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    admitted(store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    let ward = s.org(t.ward_a).await.unwrap();
    s.change_org(t.ward_a, ward.version, d(2025, 7, 1), OrgChange::Moved { parent: t.district_b }, Some("99-QĐ/TU")).await.unwrap();
    let before = s.org_stats(t.district_a, d(2021, 11, 2)).await.unwrap();
    let after = s.org_stats(t.district_a, today()).await.unwrap();
    assert_eq!((before.members, before.grassroots_orgs, before.cells_under_grassroots, before.direct_children), (1, 1, 2, 1));
    assert_eq!((after.members, after.grassroots_orgs, after.cells_under_grassroots, after.direct_children), (0, 0, 0, 0));
    let b_now = s.org_stats(t.district_b, today()).await.unwrap();
    assert_eq!((b_now.members, b_now.grassroots_orgs, b_now.cells_under_grassroots), (1, 2, 3));
    // The cells' paths followed their parent; the province total never changed.
    let cell = s.org(t.cell_a1).await.unwrap();
    assert_eq!(cell.path.ids(), vec![t.province, t.district_b, t.ward_a, t.cell_a1]);
    for on in [d(2021, 11, 2), today()] {
        assert_eq!(s.org_stats(t.province, on).await.unwrap().members, 1);
    }
    let history = s.org_history(t.ward_a).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].description, "Chuyển trực thuộc Đảng bộ thành phố Hạ Long");
    assert_eq!(history[1].decision_no.as_deref(), Some("99-QĐ/TU"));
});

db_test!(stale_org_update_is_refused_and_changes_nothing, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let cell = s.org(t.cell_a1).await.unwrap();
    s.change_org(t.cell_a1, cell.version, d(2020, 1, 1), OrgChange::Renamed { name: "Chi bộ khu phố 3A".into() }, None).await.unwrap();
    let err = s.change_org(t.cell_a1, cell.version, d(2021, 1, 1), OrgChange::Renamed { name: "Chi bộ khu phố 3B".into() }, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Stale { expected, actual } if expected == cell.version && actual == cell.version + 1), "{err:?}");
    assert!(err.message(Lang::Vi).contains("đã được người khác sửa"));
    assert_eq!(s.org(t.cell_a1).await.unwrap().name, "Chi bộ khu phố 3A");
    // The old name is still what the tree said before the rename.
    assert_eq!(s.node_at(t.cell_a1, d(2019, 12, 31)).await.unwrap().unwrap().name, "Chi bộ khu phố 3");
});

db_test!(stale_member_update_is_refused_and_changes_nothing, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Trần Thị Hoa", Gender::Female, t.cell_a1, d(2015, 3, 1)).await;
    let mut p = m.profile.clone();
    p.occupation = Some("Giáo viên".into());
    let updated = s.update_member_profile(m.id, m.version, p.clone()).await.unwrap();
    assert_eq!(updated.version, m.version + 1);
    p.occupation = Some("Hưu trí".into());
    let err = s.update_member_profile(m.id, m.version, p).await.unwrap_err();
    assert!(matches!(err, StoreError::Stale { .. }), "{err:?}");
    assert_eq!(s.member(m.id).await.unwrap().profile.occupation.as_deref(), Some("Giáo viên"));
    let err = s.record_member_event(m.id, m.version, MemberEvent { on: d(2016, 3, 1), change: MemberChange::MadeOfficial }, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Stale { .. }), "{err:?}");
    assert_eq!(s.member(m.id).await.unwrap().status, MemberStatus::Probationary);
});

db_test!(future_or_prebirth_member_events_are_refused_in_vietnamese, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Lê Văn Bình", Gender::Male, t.cell_a1, d(2015, 3, 1)).await;
    let tomorrow = today().succ_opt().unwrap();
    let err = s.record_member_event(m.id, m.version, MemberEvent { on: tomorrow, change: MemberChange::MadeOfficial }, None).await.unwrap_err();
    let msg = err.message(Lang::Vi);
    assert_eq!(err.code(), "date_in_future");
    assert!(msg.starts_with("Ngày sự kiện: ngày ") && msg.contains("ở tương lai"), "{msg}");
    let err =
        s.record_member_event(m.id, m.version, MemberEvent { on: d(1960, 1, 1), change: MemberChange::Moved { cell: t.cell_a2 } }, None).await.unwrap_err();
    let msg = err.message(Lang::Vi);
    assert_eq!(err.code(), "date_before_birth");
    assert_eq!(msg, "Ngày sự kiện: ngày 01/01/1960 trước ngày sinh của đảng viên (05/05/1970)");
    let after = s.member(m.id).await.unwrap();
    assert_eq!((after.version, after.status, after.org_id), (m.version, MemberStatus::Probationary, t.cell_a1));
    assert_eq!(s.member_history(m.id).await.unwrap().len(), 1);
});

db_test!(member_state_always_agrees_with_events, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Phạm Thị Lan", Gender::Female, t.cell_a1, d(2015, 3, 1)).await;
    let m = s.record_member_event(m.id, m.version, MemberEvent { on: d(2016, 3, 1), change: MemberChange::MadeOfficial }, Some("5-QĐ/ĐU")).await.unwrap();
    // A third cell of the same ward (a move to another ward's cell is a transfer).
    let cell_a3 = s.create_org(new_org("QN.CP.CO.KP5", "Chi bộ khu phố 5", OrgKind::Cell, Some(t.ward_a), d(2000, 1, 1))).await.unwrap().id;
    let m = s.record_member_event(m.id, m.version, MemberEvent { on: d(2020, 6, 1), change: MemberChange::Moved { cell: cell_a3 } }, None).await.unwrap();
    // A back-dated event in the middle is placed by date and everything is re-derived.
    let m = s.record_member_event(m.id, m.version, MemberEvent { on: d(2018, 1, 1), change: MemberChange::Moved { cell: t.cell_a2 } }, None).await.unwrap();
    assert_eq!((m.status, m.org_id, m.official_on), (MemberStatus::Official, cell_a3, Some(d(2016, 3, 1))));
    let at = |on| s.member_at(m.id, on);
    assert_eq!(at(d(2015, 12, 1)).await.unwrap().unwrap().status, MemberStatus::Probationary);
    assert_eq!(at(d(2019, 1, 1)).await.unwrap().unwrap().cell, t.cell_a2);
    assert_eq!(at(d(2021, 1, 1)).await.unwrap().unwrap().cell, cell_a3);
    assert!(at(d(2015, 2, 28)).await.unwrap().is_none());
    let h = s.member_history(m.id).await.unwrap();
    let kinds: Vec<_> = h.iter().map(|e| e.change.code()).collect();
    assert_eq!(kinds, vec!["admitted", "made_official", "moved", "moved"]);
    assert_eq!(h[2].org_name.as_deref(), Some("Chi bộ khu phố 10"));
    // An impossible transition is refused and leaves the member as it was.
    let err = s.record_member_event(m.id, m.version, MemberEvent { on: d(2022, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap_err();
    assert_eq!(err.code(), "transition_not_allowed");
    assert_eq!(s.member(m.id).await.unwrap().version, m.version);
});

db_test!(members_join_cells_only_and_only_while_they_exist, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let p = profile("Vũ Văn Nam", Gender::Male, d(1980, 1, 1), None);
    let err = s.create_member(p.clone(), MemberEvent { on: d(2010, 1, 1), change: MemberChange::Admitted { cell: t.ward_a } }, None).await.unwrap_err();
    assert_eq!(err.code(), "org_not_cell");
    let err = s.create_member(p, MemberEvent { on: d(1999, 1, 1), change: MemberChange::Admitted { cell: t.cell_a1 } }, None).await.unwrap_err();
    assert_eq!(err.code(), "org_not_active_on_date");
    assert!(err.message(Lang::Vi).contains("không hoạt động vào ngày 01/01/1999"));
});

db_test!(duplicate_cccd_is_a_field_error, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let ev = |cell| MemberEvent { on: d(2010, 1, 1), change: MemberChange::Admitted { cell } };
    s.create_member(profile("Đỗ Văn An", Gender::Male, d(1980, 1, 1), Some("001080000123")), ev(t.cell_a1), None).await.unwrap();
    let err = s.create_member(profile("Đỗ Văn Ân", Gender::Male, d(1981, 1, 1), Some("001080000123")), ev(t.cell_a2), None).await.unwrap_err();
    assert_eq!(err.code(), "member_cccd_taken");
    assert_eq!(err.message(Lang::Vi), "Số CCCD: số CCCD này đã có ở một đảng viên khác");
    let page = s.list_members(t.province, &MemberFilter { query: Some("001080000123".into()), ..Default::default() }, 0, 10).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].profile.cccd.as_ref().unwrap().as_str(), "001080000123");
});

db_test!(secretary_cannot_read_or_change_another_cell, |store| {
    let t = tree(store).await;
    let own = admitted(store, "Hoàng Văn Hải", Gender::Male, t.cell_a1, d(2012, 1, 1)).await;
    let other = admitted(store, "Bùi Thị Mai", Gender::Female, t.cell_b1, d(2012, 1, 1)).await;
    let cell = store.within(&admin()).org(t.cell_a1).await.unwrap();
    let s = store.within(&subtree_scope(t.cell_a1, &cell.path, true));
    assert_eq!(s.member(own.id).await.unwrap().id, own.id);
    assert!(matches!(s.member(other.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.org(t.cell_b1).await, Err(StoreError::NotFound)));
    assert!(matches!(s.org_stats(t.province, today()).await, Err(StoreError::NotFound)));
    let err = s.record_member_event(other.id, other.version, MemberEvent { on: d(2013, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
    // Moving one's own member into a cell outside the scope is refused the same way.
    let err =
        s.record_member_event(own.id, own.version, MemberEvent { on: d(2013, 1, 1), change: MemberChange::Moved { cell: t.cell_b1 } }, None).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
    assert!(matches!(s.find_org("Chi bộ khu 1").await.unwrap(), OrgMatch::None));
    let page = s.list_members(t.cell_a1, &MemberFilter::default(), 0, 50).await.unwrap();
    assert_eq!(page.items.iter().map(|m| m.id).collect::<Vec<_>>(), vec![own.id]);
    assert!(matches!(s.list_members(t.province, &MemberFilter::default(), 0, 50).await, Err(StoreError::NotFound)));
    // Read-only scope: reads work, writes are refused before touching anything.
    let viewer = store.within(&subtree_scope(t.cell_a1, &cell.path, false));
    assert_eq!(viewer.member(own.id).await.unwrap().id, own.id);
    let err = viewer.record_member_event(own.id, own.version, MemberEvent { on: d(2013, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly));
    assert_eq!(store.within(&admin()).member(own.id).await.unwrap().status, MemberStatus::Probationary);
});

db_test!(every_write_is_audited_with_before_and_after, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Ngô Thị Hằng", Gender::Female, t.cell_a1, d(2012, 1, 1)).await;
    let m2 = s.record_member_event(m.id, m.version, MemberEvent { on: d(2013, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap();
    let log = s.audit_log(&AuditFilter { entity: Some("member".into()), entity_id: Some(m.id), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["member.made_official", "member.create"]);
    assert_eq!(log[0].actor, "system:test");
    assert_eq!(log[0].before.as_ref().unwrap()["status"], "probationary");
    assert_eq!(log[0].after.as_ref().unwrap()["status"], "official");
    assert!(log[1].before.is_none());
    assert_eq!(m2.version, m.version + 1);
    let org_log = s.audit_log(&AuditFilter { entity: Some("org".into()), limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(org_log.len(), 8, "one entry per founded org");
    // A scoped reader sees only entries of records in their subtree.
    let other = store.within(&admin()).org(t.cell_b1).await.unwrap();
    let log_b = store.within(&subtree_scope(t.cell_b1, &other.path, false)).audit_log(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(log_b.len(), 1);
    assert_eq!(log_b[0].entity_id, Some(t.cell_b1));
});

db_test!(stats_count_members_by_standing_and_gender_as_of_dates, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let a = admitted(store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    s.record_member_event(a.id, a.version, MemberEvent { on: d(2011, 1, 1), change: MemberChange::MadeOfficial }, None).await.unwrap();
    admitted(store, "Trần Thị Thu", Gender::Female, t.cell_a2, d(2020, 1, 1)).await;
    let c = admitted(store, "Lê Thị Hà", Gender::Female, t.cell_b1, d(2018, 1, 1)).await;
    s.record_member_event(c.id, c.version, MemberEvent { on: d(2019, 6, 1), change: MemberChange::Died }, None).await.unwrap();
    let st = s.org_stats(t.province, today()).await.unwrap();
    assert_eq!((st.members, st.official, st.probationary, st.women), (2, 1, 1, 1));
    assert_eq!((st.direct_children, st.grassroots_orgs, st.cells_under_grassroots), (2, 2, 3));
    assert_eq!(st.code, "QN");
    let then = s.org_stats(t.province, d(2019, 1, 1)).await.unwrap();
    assert_eq!((then.members, then.official, then.probationary, then.women), (2, 1, 1, 1));
    let early = s.org_stats(t.province, d(2010, 6, 1)).await.unwrap();
    assert_eq!((early.members, early.official, early.probationary), (1, 0, 1));
    let ward = s.org_stats(t.ward_a, today()).await.unwrap();
    assert_eq!((ward.members, ward.grassroots_orgs, ward.cells_under_grassroots, ward.direct_children), (2, 1, 2, 2));
    let b = s.org_stats(t.ward_b, today()).await.unwrap();
    assert_eq!(b.members, 0);
});

db_test!(orgs_resolve_by_code_name_without_diacritics_or_unique_part, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    assert_eq!(s.resolve_org("QN.CP").await.unwrap().id, t.district_a);
    assert_eq!(s.resolve_org("dang bo thanh pho cam pha").await.unwrap().id, t.district_a);
    assert_eq!(s.resolve_org("ĐẢNG BỘ PHƯỜNG CỬA ÔNG").await.unwrap().id, t.ward_a);
    assert_eq!(s.resolve_org("bai chay").await.unwrap().id, t.ward_b);
    let err = s.resolve_org("khu phố").await.unwrap_err();
    assert_eq!(err.code(), "org_ambiguous");
    let msg = err.message(Lang::Vi);
    assert!(msg.contains("Chi bộ khu phố 3 (QN.CP.CO.KP3), thuộc Đảng bộ phường Cửa Ông") && msg.contains("Chi bộ khu phố 10 (QN.CP.CO.KP10)"), "{msg}");
    assert!(matches!(s.resolve_org("không có").await, Err(StoreError::NotFound)));
});

db_test!(merge_moves_children_and_members_then_dissolves, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = admitted(store, "Đặng Văn Cường", Gender::Male, t.cell_a2, d(2012, 1, 1)).await;
    let src = s.org(t.cell_a2).await.unwrap();
    s.merge_org(t.cell_a2, src.version, t.cell_a1, d(2024, 1, 1), Some("12-QĐ/ĐU")).await.unwrap();
    let merged = s.org(t.cell_a2).await.unwrap();
    assert_eq!(merged.dissolved_on, Some(d(2024, 1, 1)));
    assert_eq!(s.member(m.id).await.unwrap().org_id, t.cell_a1);
    assert_eq!(s.member_at(m.id, d(2023, 12, 31)).await.unwrap().unwrap().cell, t.cell_a2);
    assert_eq!(s.org_stats(t.ward_a, today()).await.unwrap().cells_under_grassroots, 1);
    assert_eq!(s.org_stats(t.ward_a, d(2023, 1, 1)).await.unwrap().cells_under_grassroots, 2);
    assert_eq!(s.org_stats(t.ward_a, today()).await.unwrap().members, 1);
    // Merge a district: its grassroots committee moves, the district is dissolved.
    let da = s.org(t.district_a).await.unwrap();
    s.merge_org(t.district_a, da.version, t.district_b, d(2025, 7, 1), None).await.unwrap();
    let st = s.org_stats(t.district_b, today()).await.unwrap();
    assert_eq!((st.direct_children, st.grassroots_orgs, st.members), (2, 2, 1));
    assert_eq!(s.org_stats(t.province, today()).await.unwrap().direct_children, 1);
    assert_eq!(s.org_stats(t.province, d(2025, 6, 30)).await.unwrap().direct_children, 2);
});

db_test!(dissolving_a_nonempty_org_or_creating_a_cycle_is_refused, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let ward = s.org(t.ward_a).await.unwrap();
    let err = s.change_org(t.ward_a, ward.version, d(2024, 1, 1), OrgChange::Dissolved, None).await.unwrap_err();
    assert_eq!(err.code(), "org_has_children");
    assert!(err.message(Lang::Vi).contains("còn 2 đơn vị trực thuộc"));
    admitted(store, "Dương Văn Long", Gender::Male, t.cell_a1, d(2012, 1, 1)).await;
    let cell = s.org(t.cell_a1).await.unwrap();
    let err = s.change_org(t.cell_a1, cell.version, d(2024, 1, 1), OrgChange::Dissolved, None).await.unwrap_err();
    assert_eq!(err.code(), "org_has_members");
    let da = s.org(t.district_a).await.unwrap();
    let err = s.change_org(t.district_a, da.version, d(2024, 1, 1), OrgChange::Moved { parent: t.ward_a }, None).await.unwrap_err();
    assert!(matches!(err.code(), "org_cycle" | "parent_kind_not_allowed"), "{}", err.code());
    let err = s.change_org(t.cell_a1, cell.version, d(2024, 1, 1), OrgChange::Moved { parent: t.district_b }, None).await.unwrap_err();
    assert_eq!(err.code(), "parent_kind_not_allowed");
    assert!(err.message(Lang::Vi).contains("Chi bộ trực thuộc không thể trực thuộc Đảng bộ cấp trên cơ sở"));
    // Nothing changed.
    assert_eq!(s.org(t.cell_a1).await.unwrap().version, cell.version);
    assert_eq!(s.subtree(t.province, today(), None).await.unwrap().len(), 8);
});

db_test!(invalid_codes_and_duplicate_codes_are_field_errors, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let err = s.create_org(new_org("QN.CP", "Trùng mã", OrgKind::GrassrootsCell, Some(t.district_a), d(2001, 1, 1))).await.unwrap_err();
    assert_eq!(err.code(), "org_code_taken");
    assert_eq!(err.message(Lang::Vi), "Mã tổ chức: mã tổ chức «QN.CP» đã được dùng");
    let err = s.create_org(new_org("Cửa Ông 2", "X", OrgKind::GrassrootsCell, Some(t.district_a), d(2001, 1, 1))).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OrgCodeFormat.as_str());
    assert!(matches!(err, StoreError::Invalid(ref v) if v.errors[0].field == "code"));
});

db_test!(member_list_is_in_vietnamese_order_and_searchable_without_diacritics, |store| {
    let t = tree(store).await;
    for (name, g) in [
        ("Trần Thị An", Gender::Female),
        ("Nguyễn Văn An", Gender::Male),
        ("Lê Văn Bình", Gender::Male),
        ("Nguyễn Anh", Gender::Male),
        ("Vũ Thị Đào", Gender::Female),
        ("Đỗ Văn Dũng", Gender::Male),
        ("Nguyễn Văn Thành", Gender::Male),
    ] {
        admitted(store, name, g, t.cell_a1, d(2012, 1, 1)).await;
    }
    let s = store.within(&admin());
    let page = s.list_members(t.province, &MemberFilter::default(), 0, 50).await.unwrap();
    let names: Vec<_> = page.items.iter().map(|m| m.profile.full_name.as_str()).collect();
    assert_eq!(names, vec!["Nguyễn Văn An", "Trần Thị An", "Nguyễn Anh", "Lê Văn Bình", "Đỗ Văn Dũng", "Vũ Thị Đào", "Nguyễn Văn Thành"]);
    let found = s.list_members(t.province, &MemberFilter { query: Some("nguyen van thanh".into()), ..Default::default() }, 0, 10).await.unwrap();
    assert_eq!(found.items.iter().map(|m| m.profile.full_name.as_str()).collect::<Vec<_>>(), vec!["Nguyễn Văn Thành"]);
    let women = s.list_members(t.province, &MemberFilter { gender: Some(Gender::Female), ..Default::default() }, 0, 10).await.unwrap();
    assert_eq!(women.total, 2);
    let second = s.list_members(t.province, &MemberFilter::default(), 3, 3).await.unwrap();
    assert_eq!((second.total, second.items.len(), second.items[0].profile.full_name.as_str()), (7, 3, "Lê Văn Bình"));
});

db_test!(members_registered_from_paper_records_count_by_their_standing, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    for (name, status) in [("Nguyễn Văn An", MemberStatus::Official), ("Lê Thị Bình", MemberStatus::Probationary)] {
        let ev = MemberEvent { on: d(2020, 1, 1), change: MemberChange::Registered { cell: t.cell_a1, status } };
        s.create_member(profile(name, Gender::Male, d(1980, 1, 1), None), ev, None).await.unwrap();
    }
    let st = s.org_stats(t.province, today()).await.unwrap();
    assert_eq!((st.members, st.official, st.probationary), (2, 1, 1));
    let before = s.org_stats(t.province, d(2019, 12, 31)).await.unwrap();
    assert_eq!(before.members, 0);
});

db_test!(the_audit_log_cannot_be_rewritten_even_by_hand, |store| {
    let t = tree(store).await;
    admitted(store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    let before = store.within(&admin()).audit_log(&AuditFilter { limit: 500, ..Default::default() }).await.unwrap().len();
    assert!(before > 0);
    for sql in ["UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"] {
        let err = chibo_store::testing::execute(store, sql).await.unwrap_err();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.within(&admin()).audit_log(&AuditFilter { limit: 500, ..Default::default() }).await.unwrap().len(), before);
});

db_test!(migrations_upgrade_a_database_of_the_first_schema_with_its_rows, |store| {
    use chibo_store::migration::Migrator;
    use sea_orm_migration::MigratorTrait;
    // Back to the first schema (every later migration's down step runs), then rows written
    // as the first version wrote them, then the upgrade.
    // On one connection (a transaction), so that no other pooled connection holds the old
    // schema while tables are dropped and made again.
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let txn = chibo_store::testing::connection(store).begin().await.unwrap();
    Migrator::down(&txn, None).await.unwrap();
    Migrator::up(&txn, Some(1)).await.unwrap();
    let rows = [
        "INSERT INTO org (id, code, name, name_folded, sort_key, kind, category, parent_id, path, depth, founded_on, dissolved_on, version, updated_at) \
         VALUES (1, 'QN', 'Đảng bộ tỉnh Quảng Ninh', 'dang bo tinh quang ninh', 'k', 'tinh', 'khac', NULL, '/1/', 1, '2000-01-01', NULL, 1, '2024-01-01 00:00:00+00:00')",
        "INSERT INTO org_span (org_id, valid_from, valid_until, parent_id, path, depth, name, kind, category) VALUES (1, '2000-01-01', '9999-12-31', NULL, '/1/', 1, 'Đảng bộ tỉnh Quảng Ninh', 'tinh', 'khac')",
        "INSERT INTO org (id, code, name, name_folded, sort_key, kind, category, parent_id, path, depth, founded_on, dissolved_on, version, updated_at) \
         VALUES (2, 'QN.1', 'Chi bộ khu 1', 'chi bo khu 1', 'k', 'chi_bo_co_so', 'khac', 1, '/1/2/', 2, '2000-01-01', NULL, 1, '2024-01-01 00:00:00+00:00')",
        "INSERT INTO org_span (org_id, valid_from, valid_until, parent_id, path, depth, name, kind, category) VALUES (2, '2000-01-01', '9999-12-31', 1, '/1/2/', 2, 'Chi bộ khu 1', 'chi_bo_co_so', 'khac')",
        "INSERT INTO member (id, full_name, name_folded, sort_key, other_name, gender, birth_date, birth_place, home_town, ethnicity, religion, permanent_address, current_address, \
         cccd, card_number, occupation, general_education, professional_education, political_theory, party_position, government_position, org_id, status, admitted_on, official_on, version, updated_at) \
         VALUES (1, 'Nguyễn Văn Thành', 'nguyen van thanh', 'k', NULL, 'nam', '1958-04-12', NULL, NULL, 'Kinh', 'Không', NULL, NULL, '022058001234', NULL, NULL, NULL, 'none', 'none', NULL, NULL, 2, 'official', '1985-05-19', '1986-05-19', 1, '2024-01-01 00:00:00+00:00')",
        "INSERT INTO member_span (member_id, valid_from, valid_until, org_id, status) VALUES (1, '1985-05-19', '9999-12-31', 2, 'official')",
    ];
    for sql in rows {
        txn.execute_unprepared(sql).await.unwrap();
    }
    // The upgrade runs on the same connection too: SQLite checks `ALTER TABLE ... ADD COLUMN`
    // against the schema a connection cached, and the pool's other connections cached the
    // schema from before the downgrade (a real upgrade starts a fresh process).
    Migrator::up(&txn, None).await.unwrap();
    txn.commit().await.unwrap();
    // The first start after the upgrade derives the figures' facts of the old rows.
    store.migrate().await.unwrap();
    let s = store.within(&admin());
    let m = s.member(1).await.unwrap();
    assert_eq!(
        (m.profile.full_name.as_str(), m.profile.cccd.as_ref().unwrap().as_str(), m.profile.phone.as_deref()),
        ("Nguyễn Văn Thành", "022058001234", None)
    );
    assert_eq!(s.org_stats(1, today()).await.unwrap().members, 1);
    // The upgraded schema takes new writes, including the new columns and the audit guard.
    let contact = chibo_domain::member::ContactInput { phone: "0912345678".into(), ..Default::default() }.validate().unwrap();
    let me = store.own(&chibo_store::account::OwnGrant::for_tests(Actor::User { id: 1, login: "thanh".into() }, 1));
    assert_eq!(me.update_contact(1, contact).await.unwrap().profile.phone.as_deref(), Some("0912345678"));
    assert!(chibo_store::testing::execute(store, "DELETE FROM audit").await.is_err());
});

db_test!(rules_come_from_the_database_and_a_future_version_leaves_the_past_alone, |store| {
    use chibo_domain::rules::{DayChange, RuleSet};
    let book = store.rule_book().await.unwrap();
    let seeded = book.at(d(2026, 11, 25)).clone();
    assert_eq!((seeded.probation_months, seeded.vote_threshold.num, seeded.vote_threshold.den), (12, 2, 3));
    let t = tree(store).await;
    // Only a national scope changes the rules.
    let province = store.within(&admin()).org(t.province).await.unwrap();
    let provincial = store.within(&subtree_scope(t.province, &province.path, true));
    let future = RuleSet { effective_from: d(2030, 1, 1), probation_months: 18, source: "giả định".into(), ..seeded.clone() };
    assert!(matches!(provincial.add_rule_version(future.clone()).await, Err(StoreError::ReadOnly)));
    store.within(&admin()).add_rule_version(future.clone()).await.unwrap();
    let book = store.rule_book().await.unwrap();
    assert_eq!(book.at(d(2026, 11, 25)).probation_months, 12, "today's decisions keep today's rules");
    assert_eq!(book.at(d(2030, 6, 1)).probation_months, 18);
    // The same date twice is refused in Vietnamese.
    let err = store.within(&admin()).add_rule_version(future).await.unwrap_err();
    assert!(err.message(Lang::Vi).contains("đã có bộ quy tắc hiệu lực từ ngày 01/01/2030"), "{}", err.message(Lang::Vi));
    // Tết 2026 is off; a keeper's change moves a working day.
    let cal = store.working_calendar(d(2026, 2, 1)).await.unwrap();
    assert!(!cal.is_working_day(d(2026, 2, 17)));
    store.within(&admin()).set_calendar_day(d(2026, 2, 21), DayChange::WorkingDay, "Làm bù theo Thông báo của Chính phủ").await.unwrap();
    let cal = store.working_calendar(d(2026, 2, 1)).await.unwrap();
    assert!(cal.is_working_day(d(2026, 2, 21)));
    let log = store.within(&admin()).audit_log(&AuditFilter { limit: 50, ..Default::default() }).await.unwrap();
    assert!(log.iter().any(|e| e.action == "calendar.set") && log.iter().any(|e| e.action == "rules.create"));
});

db_test!(the_roll_of_an_organization_reads_as_it_stood_on_a_date, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let thanh = admitted(store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    admitted(store, "Trần Thị Lan", Gender::Female, t.cell_a1, d(2012, 1, 1)).await;
    // Thành moves to Bãi Cháy in 2020 and is made official on the way; later the ward of
    // Cửa Ông moves to Hạ Long.
    let m = s.record_member_event(thanh.id, thanh.version, MemberEvent { on: d(2011, 1, 5), change: MemberChange::MadeOfficial }, None).await.unwrap();
    transfer_to(store, m.id, t.ward_b, t.cell_b1, d(2020, 3, 1)).await;
    let ward = s.org(t.ward_a).await.unwrap();
    s.change_org(t.ward_a, ward.version, d(2025, 7, 1), OrgChange::Moved { parent: t.district_b }, None).await.unwrap();
    let roll = async |org, on: Option<NaiveDate>| {
        let f = MemberFilter { as_of: on, ..Default::default() };
        s.list_members(org, &f, 0, 50).await.unwrap().items.into_iter().map(|m| (m.profile.full_name, m.org_name, m.status)).collect::<Vec<_>>()
    };
    // In 2010 only Thành, probationary, in Chi bộ khu phố 3.
    assert_eq!(roll(t.cell_a1, Some(d(2010, 6, 1))).await, vec![("Nguyễn Văn Thành".to_owned(), "Chi bộ khu phố 3".to_owned(), MemberStatus::Probationary)]);
    // In 2019 both in Cẩm Phả; in 2021 Thành is in Hạ Long, Lan still in Cẩm Phả.
    assert_eq!(roll(t.district_a, Some(d(2019, 6, 1))).await.len(), 2);
    let y2021: Vec<String> = roll(t.district_a, Some(d(2021, 6, 1))).await.into_iter().map(|r| r.0).collect();
    assert_eq!(y2021, vec!["Trần Thị Lan"]);
    assert_eq!(roll(t.district_b, Some(d(2021, 6, 1))).await[0].1, "Chi bộ khu 1");
    // Since 7/2025 Cửa Ông (with Lan) is in Hạ Long too; the roll of today agrees with the
    // as-of roll of today.
    let b_today: Vec<String> = roll(t.district_b, Some(today())).await.into_iter().map(|r| r.0).collect();
    assert_eq!(b_today, vec!["Trần Thị Lan", "Nguyễn Văn Thành"]);
    assert_eq!(roll(t.district_b, None).await.into_iter().map(|r| r.0).collect::<Vec<_>>(), b_today);
    assert!(roll(t.district_a, Some(today())).await.is_empty());
    // Before Cẩm Phả existed there is nothing to read.
    assert!(matches!(s.list_members(t.district_a, &MemberFilter { as_of: Some(d(1999, 1, 1)), ..Default::default() }, 0, 5).await, Err(StoreError::NotFound)));
});

db_test!(the_todo_list_shows_probation_deadlines_and_small_cells_by_the_rules, |store| {
    use chibo_store::todo::TodoKind;
    let t = tree(store).await;
    let s = store.within(&admin());
    let now = today();
    // Admitted 11 months and 20 days ago: probation ends within 30 days.
    let soon = now.checked_sub_months(chrono::Months::new(12)).unwrap() + chrono::Days::new(10);
    let near = admitted(store, "Nguyễn Văn An", Gender::Male, t.cell_a1, soon).await;
    // Admitted two years ago and never recognized: overdue.
    let late = admitted(store, "Lê Thị Bình", Gender::Female, t.cell_b1, now.checked_sub_months(chrono::Months::new(24)).unwrap()).await;
    // Admitted last month: nothing to do yet.
    admitted(store, "Trần Văn Cường", Gender::Male, t.cell_a1, now.checked_sub_months(chrono::Months::new(1)).unwrap()).await;
    let items = s.todo(now).await.unwrap();
    let late_item = &items[0];
    assert_eq!((late_item.kind, late_item.person, late_item.overdue), (TodoKind::RecognitionOverdue, Some(late.id), true), "overdue first");
    let near_item = items.iter().find(|i| i.person == Some(near.id)).expect("probation ending");
    let rules = store.rule_book().await.unwrap();
    let ends = rules.at(soon).probation_ends(soon);
    let cal = store.working_calendar(now).await.unwrap();
    assert_eq!(
        (near_item.kind, near_item.date(chibo_store::todo::FactKey::ProbationEnds), near_item.due),
        (TodoKind::ProbationEnding, Some(ends), Some(cal.add_working_days(ends, 30)))
    );
    assert_eq!(items.iter().filter(|i| i.person.is_some()).count(), 2);
    // Every cell here has no official member: all three are too small.
    let small: Vec<_> = items.iter().filter(|i| i.kind == TodoKind::CellTooSmall).map(|i| i.org_id).collect();
    assert_eq!(small.len(), 3);
    // A scope sees its own lines only.
    let ward = s.org(t.ward_a).await.unwrap();
    let local = store.within(&subtree_scope(t.ward_a, &ward.path, false)).todo(now).await.unwrap();
    assert!(local.iter().all(|i| [t.ward_a, t.cell_a1, t.cell_a2].contains(&i.org_id)));
    assert!(local.iter().any(|i| i.person == Some(near.id)) && !local.iter().any(|i| i.person == Some(late.id)));
    // The list is computed once per scope and day while nothing changes, and again after any
    // audited change: another ward's scope never gets this one's list.
    let first = s.todo_shared(now).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &s.todo_shared(now).await.unwrap()));
    let ward_list = store.within(&subtree_scope(t.ward_a, &ward.path, false)).todo_shared(now).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &ward_list) && ward_list.len() < first.len());
    let again = admitted(store, "Phạm Văn Dũng", Gender::Male, t.cell_a1, soon).await;
    let after = s.todo_shared(now).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &after));
    assert!(after.iter().any(|i| i.person == Some(again.id)), "the new member's probation is listed at once");
});

/// An official member of a cell since 2011 (admitted 2010).
async fn official(store: &Store, name: &str, cell: OrgId) -> chibo_store::member::Member {
    let m = admitted(store, name, Gender::Female, cell, d(2010, 1, 4)).await;
    store
        .within(&admin())
        .record_member_event(m.id, m.version, MemberEvent { on: d(2011, 1, 4), change: MemberChange::MadeOfficial }, Some("2-QĐ/ĐU"))
        .await
        .unwrap()
}

async fn candidate(store: &Store, name: &str, cell: OrgId, birth: NaiveDate) -> chibo_store::member::Member {
    store
        .within(&admin())
        .create_member(profile(name, Gender::Male, birth, None), MemberEvent { on: d(2024, 6, 1), change: MemberChange::CandidateRegistered { cell } }, None)
        .await
        .unwrap()
}

fn file(introducers: [i64; 2]) -> chibo_domain::admission::CandidateFile {
    chibo_domain::admission::CandidateFile {
        certificate_no: "GCN-12/2024".into(),
        certificate_on: d(2024, 10, 1),
        applied_on: d(2025, 1, 10),
        background_on: Some(d(2025, 1, 20)),
        vetted_on: Some(d(2025, 2, 1)),
        introducers,
        known_since: [d(2022, 1, 1), d(2023, 1, 1)],
    }
}

fn decision(on: NaiveDate, number: &str) -> chibo_domain::admission::Decision {
    chibo_domain::admission::Decision { on, number: number.into(), issued_by: "Đảng ủy phường Cửa Ông".into() }
}

db_test!(a_candidate_walks_to_official_member_and_each_refusal_says_why, |store| {
    use chibo_domain::admission::{Stage, Step};
    let t = tree(store).await;
    let s = store.within(&admin());
    let mut officials = Vec::new();
    for i in 0..9 {
        officials.push(official(store, &format!("Đảng viên {i}"), t.cell_a1).await);
    }
    let newcomer = admitted(store, "Trần Thị Mới", Gender::Female, t.cell_a1, d(2024, 12, 1)).await;
    let c = candidate(store, "Phạm Văn Hùng", t.cell_a1, d(2001, 3, 15)).await;

    // A probationary introducer is refused, by name, and nothing is written.
    let err = s.open_admission(c.id, file([officials[0].id, newcomer.id]), [None, None]).await.unwrap_err();
    let StoreError::Invalid(v) = err else { panic!("{err:?}") };
    assert_eq!(v.errors[0].field, "introducer_2");
    assert_eq!(v.errors[0].code, ErrorCode::IntroducerNotOfficial);
    assert!(v.errors[0].message(Lang::Vi).contains("Trần Thị Mới"), "{}", v.errors[0].message(Lang::Vi));
    assert_eq!(s.admissions(None, 0, 10).await.unwrap().total, 0);

    let case = s.open_admission(c.id, file([officials[0].id, officials[1].id]), [None, None]).await.unwrap();
    assert_eq!(case.case.stage, Stage::Candidate);
    assert_eq!(case.introducer_names, ["Đảng viên 0".to_owned(), "Đảng viên 1".to_owned()]);
    // The cell had 9 official members on the vote date: 6 is two thirds.
    assert_eq!(s.cell_official_count(t.cell_a1, d(2025, 2, 10)).await.unwrap(), 9);
    let case = s.advance_admission(case.case.id, case.case.version, Step::Vote { on: d(2025, 2, 10), votes_for: 6, votes_against: 3 }).await.unwrap();
    assert_eq!(case.case.stage, Stage::Voted);
    assert_eq!(case.case.vote.unwrap().official_total, 9);
    // A stale version is refused.
    let stale = s.advance_admission(case.case.id, case.case.version - 1, Step::Ceremony { on: d(2025, 3, 1) }).await.unwrap_err();
    assert!(matches!(stale, StoreError::Stale { .. }));
    let case = s.advance_admission(case.case.id, case.case.version, Step::Decision { decision: decision(d(2025, 2, 20), "123-QĐ/ĐU") }).await.unwrap();
    let m = s.member(c.id).await.unwrap();
    assert_eq!((m.status, m.admitted_on), (MemberStatus::Probationary, Some(d(2025, 2, 20))));
    let hist = s.member_history(c.id).await.unwrap();
    let last = hist.last().unwrap();
    assert_eq!((last.decision_no.as_deref(), last.issued_by.as_deref()), (Some("123-QĐ/ĐU"), Some("Đảng ủy phường Cửa Ông")));
    let case = s.advance_admission(case.case.id, case.case.version, Step::Ceremony { on: d(2025, 3, 1) }).await.unwrap();
    // A rule version for the future (18 months' probation) changes nothing for this case.
    let mut future = store.rule_book().await.unwrap().at(today()).clone();
    future.effective_from = today() + chrono::Days::new(1);
    future.probation_months = 18;
    s.add_rule_version(future).await.unwrap();
    let err =
        s.advance_admission(case.case.id, case.case.version, Step::RecognitionVote { on: d(2026, 2, 19), votes_for: 9, votes_against: 0 }).await.unwrap_err();
    let StoreError::Invalid(v) = err else { panic!("{err:?}") };
    assert_eq!(v.errors[0].code, ErrorCode::ProbationNotOver);
    assert!(v.errors[0].message(Lang::Vi).contains("01/03/2026"), "probation runs from the ceremony");
    let case = s.advance_admission(case.case.id, case.case.version, Step::RecognitionVote { on: d(2026, 3, 2), votes_for: 8, votes_against: 1 }).await.unwrap();
    let case =
        s.advance_admission(case.case.id, case.case.version, Step::RecognitionDecision { decision: decision(d(2026, 3, 10), "456-QĐ/ĐU") }).await.unwrap();
    assert_eq!(case.case.stage, Stage::Official);
    let m = s.member(c.id).await.unwrap();
    assert_eq!((m.status, m.official_on, m.admitted_on), (MemberStatus::Official, Some(d(2026, 3, 1)), Some(d(2025, 2, 20))));
    // Party age and standing as of dates, from the events.
    assert_eq!(s.member_at(c.id, d(2025, 6, 1)).await.unwrap().unwrap().status, MemberStatus::Probationary);
    assert_eq!(s.org_stats(t.cell_a1, d(2025, 6, 1)).await.unwrap().probationary, 2);
    assert_eq!(s.org_stats(t.cell_a1, d(2025, 1, 1)).await.unwrap().members, 10);
    let audit = store
        .within(&admin())
        .audit_log(&AuditFilter { entity: Some("admission".into()), entity_id: Some(case.case.id), limit: 50, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 6, "open, vote, decision, ceremony, recognition vote and decision, each audited once");
});

db_test!(a_vote_below_two_thirds_a_late_ceremony_and_a_failed_recognition, |store| {
    use chibo_domain::admission::{Stage, Step};
    use chibo_store::todo::TodoKind;
    let t = tree(store).await;
    let s = store.within(&admin());
    let mut officials = Vec::new();
    for i in 0..9 {
        officials.push(official(store, &format!("Đảng viên {i}"), t.cell_a1).await);
    }
    // 5 of 9 is below two thirds: the case ends, the person stays a candidate.
    let c1 = candidate(store, "Lê Văn An", t.cell_a1, d(1995, 1, 1)).await;
    let case = s.open_admission(c1.id, file([officials[0].id, officials[1].id]), [None, None]).await.unwrap();
    let case = s.advance_admission(case.case.id, case.case.version, Step::Vote { on: d(2025, 2, 10), votes_for: 5, votes_against: 4 }).await.unwrap();
    assert_eq!(case.case.stage, Stage::Rejected);
    assert!(case.case.vote_shortfall(&store.rule_book().await.unwrap()).unwrap().message(Lang::Vi).contains("cần ít nhất 6"));
    assert_eq!(s.member(c1.id).await.unwrap().status, MemberStatus::Candidate);
    let err = s.advance_admission(case.case.id, case.case.version, Step::Decision { decision: decision(d(2025, 2, 20), "1-QĐ/ĐU") }).await.unwrap_err();
    let StoreError::Invalid(v) = err else { panic!("{err:?}") };
    assert_eq!(v.errors[0].code, ErrorCode::StepOutOfOrder);

    // Decided without a ceremony long past the 30 working days: on the to-do list as overdue.
    let c2 = candidate(store, "Đỗ Thị Bình", t.cell_a1, d(1996, 1, 1)).await;
    let case = s.open_admission(c2.id, file([officials[2].id, officials[3].id]), [None, None]).await.unwrap();
    let case = s.advance_admission(case.case.id, case.case.version, Step::Vote { on: d(2025, 2, 10), votes_for: 9, votes_against: 0 }).await.unwrap();
    let case = s.advance_admission(case.case.id, case.case.version, Step::Decision { decision: decision(d(2025, 2, 20), "2-QĐ/ĐU") }).await.unwrap();
    let todo = s.todo(today()).await.unwrap();
    let line = todo.iter().find(|i| i.kind == TodoKind::CeremonyOverdue).expect("ceremony overdue");
    assert_eq!((line.person, line.subject, line.overdue), (Some(c2.id), chibo_store::todo::Subject::Admission(case.case.id), true));
    assert_eq!(line.due, Some(d(2025, 4, 3)), "30 working days after 20/02/2025");
    let case = s.advance_admission(case.case.id, case.case.version, Step::Ceremony { on: d(2025, 5, 5) }).await.unwrap();
    assert!(!s.todo(today()).await.unwrap().iter().any(|i| i.kind == TodoKind::CeremonyOverdue));

    // Recognition vote fails: the decision strikes the member off.
    let case = s.advance_admission(case.case.id, case.case.version, Step::RecognitionVote { on: d(2026, 5, 6), votes_for: 4, votes_against: 5 }).await.unwrap();
    let case = s.advance_admission(case.case.id, case.case.version, Step::RecognitionDecision { decision: decision(d(2026, 5, 12), "3-QĐ/ĐU") }).await.unwrap();
    assert_eq!(case.case.stage, Stage::StruckOff);
    let m = s.member(c2.id).await.unwrap();
    assert_eq!(m.status, MemberStatus::StruckOff);
    assert_eq!(s.org_stats(t.cell_a1, today()).await.unwrap().members, 9);
    assert_eq!(s.org_stats(t.cell_a1, d(2026, 1, 1)).await.unwrap().members, 10);
});

/// A transfer figure of the dashboard of `org` on `on` (this year's flows) and the names of
/// the member list behind it.
async fn transfer_flow(s: &chibo_store::Scoped<'_>, org: OrgId, flow: chibo_store::member::Flow, on: NaiveDate) -> (i64, Vec<String>) {
    use chibo_store::member::Flow;
    let dash = s.dashboard(org, on).await.unwrap();
    let figure = match flow {
        Flow::TransferredIn => dash.flows.transferred_in,
        Flow::TransferredOut => dash.flows.transferred_out,
        other => panic!("{other:?}"),
    };
    let filter = MemberFilter { flow: Some((flow, dash.flows.from, on)), ..Default::default() };
    let list = s.list_members(org, &filter, 0, 50).await.unwrap();
    assert_eq!(list.total, list.items.len() as i64);
    assert_eq!(s.count_members(org, &filter).await.unwrap(), list.total);
    (figure, list.items.into_iter().map(|m| m.profile.full_name).collect())
}

db_test!(a_transfer_keeps_each_member_in_exactly_one_count, |store| {
    use chibo_domain::transfer::{LetterInput, TransferState};
    use chibo_store::todo::TodoKind;
    use chibo_store::transfer::Direction;
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let sender = subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, true);
    let receiver = subtree_scope(t.ward_b, &s.org(t.ward_b).await.unwrap().path, true);
    let (sender, receiver) = (store.within(&sender), store.within(&receiver));
    let m = official(store, "Nguyễn Văn Thành", t.cell_a1).await;
    let letter = |kind: &str, to: OrgId, on: &str| LetterInput {
        kind: kind.into(),
        to_org: to.to_string(),
        letter_no: "25-GGT/ĐU".into(),
        letter_on: on.into(),
        fees_paid_through: "09/2026".into(),
        ..Default::default()
    };
    let sent = sender.send_transfer(m.id, m.version, letter("permanent", t.ward_b, "01/10/2026").validate(&book, today()).unwrap()).await.unwrap();
    assert_eq!(sent.state, TransferState::Pending);
    assert_eq!(sender.member(m.id).await.unwrap().status, MemberStatus::InTransit);
    // The sender cannot answer its own letter; the receiver sees it and its deadline.
    assert!(matches!(sender.accept_transfer(sent.id, sent.version, t.cell_a2, d(2026, 10, 5)).await.unwrap_err(), StoreError::NotFound));
    let incoming = receiver.transfers(Direction::Incoming, Some(TransferState::Pending), 0, 10).await.unwrap();
    assert_eq!(incoming.items.iter().map(|t| t.full_name.as_str()).collect::<Vec<_>>(), ["Nguyễn Văn Thành"]);
    let todo = receiver.todo(today()).await.unwrap();
    assert!(todo.iter().any(|i| i.kind == TodoKind::TransferWaiting && i.subject == chibo_store::todo::Subject::Transfer(sent.id)));
    // The sending cell cannot be dissolved while its member is in transit.
    let a1 = s.org(t.cell_a1).await.unwrap();
    let err = s.change_org(t.cell_a1, a1.version, d(2026, 10, 3), OrgChange::Dissolved, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref v) if v.errors[0].code == ErrorCode::OrgHasMembers), "{err:?}");
    // The receiver cannot read the member's record before accepting.
    assert!(matches!(receiver.member(m.id).await.unwrap_err(), StoreError::NotFound));
    let done = receiver.accept_transfer(sent.id, sent.version, t.cell_b1, d(2026, 10, 20)).await.unwrap();
    assert_eq!((done.state, done.answered_cell), (TransferState::Accepted, Some(t.cell_b1)));
    assert_eq!(receiver.member(m.id).await.unwrap().status, MemberStatus::Official);
    assert!(!receiver.todo(today()).await.unwrap().iter().any(|i| i.kind == TodoKind::TransferWaiting));
    // Every day, the member is in exactly one of: cell A, in transit, cell B.
    for (on, a, transit, b) in [(d(2026, 9, 30), 1, 0, 0), (d(2026, 10, 1), 0, 1, 0), (d(2026, 10, 19), 0, 1, 0), (d(2026, 10, 20), 0, 0, 1)] {
        let sa = s.org_stats(t.cell_a1, on).await.unwrap();
        let sb = s.org_stats(t.cell_b1, on).await.unwrap();
        let p = s.org_stats(t.province, on).await.unwrap();
        assert_eq!((sa.members, sa.in_transit, sb.members), (a, transit, b), "{on}");
        assert_eq!((p.members + p.in_transit, p.in_transit), (1, transit), "{on}");
    }

    // A refused transfer sends the member back to the sending cell, with the reason.
    let m2 = official(store, "Hoàng Thị Lan", t.cell_a1).await;
    let sent = sender.send_transfer(m2.id, m2.version, letter("permanent", t.ward_b, "02/11/2026").validate(&book, today()).unwrap()).await.unwrap();
    assert!(matches!(receiver.refuse_transfer(sent.id, sent.version, d(2026, 11, 5), "  ").await.unwrap_err(), StoreError::Invalid(_)));
    let back = receiver.refuse_transfer(sent.id, sent.version, d(2026, 11, 5), "Không đúng địa chỉ nơi cư trú").await.unwrap();
    assert_eq!(back.state, TransferState::Rejected);
    let m2 = sender.member(m2.id).await.unwrap();
    assert_eq!((m2.status, m2.org_id), (MemberStatus::Official, t.cell_a1));
    assert_eq!(s.org_stats(t.cell_a1, today()).await.unwrap().members, 1);

    // A temporary transfer changes no count and shows on the to-do list once it has ended.
    let temp = LetterInput { until: "01/02/2026".into(), fees_paid_through: "10/2025".into(), ..letter("temporary", t.ward_b, "01/11/2025") }
        .validate(&book, today())
        .unwrap();
    let sent = sender.send_transfer(m2.id, m2.version, temp).await.unwrap();
    receiver.accept_transfer(sent.id, sent.version, t.cell_b1, d(2025, 11, 3)).await.unwrap();
    assert_eq!(sender.member(m2.id).await.unwrap().status, MemberStatus::Official);
    assert_eq!(s.org_stats(t.cell_b1, d(2025, 12, 1)).await.unwrap().members, 0);
    assert!(
        sender.todo(today()).await.unwrap().iter().any(|i| i.kind == TodoKind::TemporaryEnded && i.subject == chibo_store::todo::Subject::Transfer(sent.id))
    );

    // Out of the instance: the record ends here with its letter.
    let m2 = sender.member(m2.id).await.unwrap();
    let out = LetterInput { destination: "Đảng ủy Công an tỉnh Bắc Ninh".into(), ..letter("out", 0, "20/11/2026") }.validate(&book, today()).unwrap();
    let t_out = sender.send_transfer(m2.id, m2.version, out).await.unwrap();
    assert_eq!((t_out.state, t_out.to_name.as_deref()), (TransferState::Done, Some("Đảng ủy Công an tỉnh Bắc Ninh")));
    assert_eq!(sender.member(m2.id).await.unwrap().status, MemberStatus::TransferredOut);
    let audit = s.audit_log(&AuditFilter { entity: Some("transfer".into()), limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(audit.len(), 7, "four letters, two acceptances and a refusal");

    // The year's transfer figures and the lists behind them. Ward A lost Thành (accepted by
    // ward B) and Lan (out of the instance); Lan's refused letter and her temporary transfer
    // count for nothing. The province lost only Lan: Thành moved inside it.
    use chibo_store::member::Flow::{TransferredIn, TransferredOut};
    let on = d(2026, 11, 25);
    let names = |v: &[&str]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(transfer_flow(&s, t.ward_a, TransferredOut, on).await, (2, names(&["Hoàng Thị Lan", "Nguyễn Văn Thành"])));
    assert_eq!(transfer_flow(&s, t.ward_a, TransferredIn, on).await, (0, vec![]));
    assert_eq!(transfer_flow(&s, t.ward_b, TransferredIn, on).await, (1, names(&["Nguyễn Văn Thành"])));
    assert_eq!(transfer_flow(&s, t.cell_b1, TransferredIn, on).await, (1, names(&["Nguyễn Văn Thành"])));
    assert_eq!(transfer_flow(&s, t.ward_b, TransferredOut, on).await, (0, vec![]));
    assert_eq!(transfer_flow(&s, t.province, TransferredIn, on).await, (0, vec![]));
    assert_eq!(transfer_flow(&s, t.province, TransferredOut, on).await, (1, names(&["Hoàng Thị Lan"])));
    // Before the acceptance, ward B had received nobody yet; Thành's letter was already out.
    assert_eq!(transfer_flow(&s, t.ward_b, TransferredIn, d(2026, 10, 19)).await, (0, vec![]));
    assert_eq!(transfer_flow(&s, t.ward_a, TransferredOut, d(2026, 10, 19)).await, (1, names(&["Nguyễn Văn Thành"])));
    // Lan's refused letter (02/11) took nobody out.
    assert_eq!(transfer_flow(&s, t.ward_a, TransferredOut, d(2026, 11, 10)).await, (1, names(&["Nguyễn Văn Thành"])));
});

db_test!(residence_cells_list_their_residents_and_comment_yearly, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = official(store, "Vũ Văn Cường", t.cell_a1).await;
    let work = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, true));
    let home = store.within(&subtree_scope(t.ward_b, &s.org(t.ward_b).await.unwrap().path, true));
    let err = work.link_residence(m.id, t.cell_a1, d(2025, 1, 1), "").await.unwrap_err();
    let StoreError::Invalid(v) = err else { panic!("{err:?}") };
    assert_eq!(v.errors[0].code, ErrorCode::ResidenceSameCell);
    let link = work.link_residence(m.id, t.cell_b1, d(2025, 1, 1), "Tổ 5, khu 1").await.unwrap();
    assert_eq!(link.cell_name, "Chi bộ khu 1");
    let residents = home.residents(t.cell_b1, today()).await.unwrap();
    assert_eq!(residents.iter().map(|r| (r.full_name.as_str(), r.work_cell.as_str())).collect::<Vec<_>>(), [("Vũ Văn Cường", "Chi bộ khu phố 3")]);
    assert!(home.residents(t.cell_b1, d(2024, 12, 31)).await.unwrap().is_empty());
    // Only the residence side writes the comment.
    assert!(matches!(work.comment_residence(link.id, 2025, "Gương mẫu").await.unwrap_err(), StoreError::NotFound));
    home.comment_residence(link.id, 2025, "Gương mẫu, tích cực tham gia sinh hoạt tổ dân phố").await.unwrap();
    let again = home.comment_residence(link.id, 2025, "Gương mẫu").await.unwrap();
    assert_eq!(again.comments, [(2025, "Gương mẫu".to_owned())]);
    assert!(matches!(home.comment_residence(link.id, 2024, "Trước khi về").await.unwrap_err(), StoreError::Invalid(_)));
    let of = work.residences_of(m.id).await.unwrap();
    assert_eq!(of[0].comments.len(), 1);
});

db_test!(an_arrival_from_outside_is_registered_from_its_letter, |store| {
    use chibo_domain::transfer::{LetterInput, TransferKind, TransferState};
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let letter = LetterInput {
        kind: "in".into(),
        destination: "Đảng ủy Công an tỉnh Lạng Sơn".into(),
        letter_no: "88-GGT/ĐU".into(),
        letter_on: "03/11/2026".into(),
        fees_paid_through: "10/2026".into(),
        ..Default::default()
    };
    let without_origin = LetterInput { destination: String::new(), ..letter.clone() }.validate(&book, today()).unwrap_err();
    assert_eq!(without_origin.errors[0].field, "destination");
    // The letter's dates are checked: recognized before admitted is refused.
    let arrive = |dates| {
        s.register_arrival(
            profile("Mai Văn Sơn", Gender::Male, d(1988, 2, 2), None),
            t.cell_b1,
            MemberStatus::Official,
            dates,
            letter.validate(&book, today()).unwrap(),
        )
    };
    let err = arrive((Some(d(2012, 5, 1)), Some(d(2011, 5, 1)))).await.unwrap_err();
    let StoreError::Invalid(v) = err else { panic!("{err:?}") };
    assert_eq!(v.errors[0].field, "official_on");
    let (m, tr) = arrive((Some(d(2012, 5, 1)), Some(d(2013, 5, 1)))).await.unwrap();
    assert_eq!((m.status, m.org_id, m.admitted_on, m.official_on), (MemberStatus::Official, t.cell_b1, Some(d(2012, 5, 1)), Some(d(2013, 5, 1))));
    // A later event keeps the dates of the letter.
    let after = s.record_member_event(m.id, m.version, MemberEvent { on: d(2026, 11, 10), change: MemberChange::Exempted }, None).await.unwrap();
    assert_eq!((after.admitted_on, after.official_on), (Some(d(2012, 5, 1)), Some(d(2013, 5, 1))));
    assert_eq!(
        (tr.kind, tr.state, tr.to_org, tr.destination.as_deref()),
        (TransferKind::In, TransferState::Done, Some(t.cell_b1), Some("Đảng ủy Công an tỉnh Lạng Sơn"))
    );
    assert_eq!(s.member_history(m.id).await.unwrap()[0].decision_no.as_deref(), Some("88-GGT/ĐU"));
    assert_eq!(s.org_stats(t.cell_b1, d(2026, 11, 2)).await.unwrap().members, 0);
    assert_eq!(s.org_stats(t.cell_b1, d(2026, 11, 3)).await.unwrap().members, 1);
    assert_eq!(s.org_stats(t.cell_b1, d(2026, 11, 12)).await.unwrap().members, 1, "exempt members still count");
    // An arrival from outside the instance is a transfer in, for the cell and the province.
    let arrived = (1, vec!["Mai Văn Sơn".to_owned()]);
    assert_eq!(transfer_flow(&s, t.cell_b1, chibo_store::member::Flow::TransferredIn, d(2026, 11, 25)).await, arrived);
    assert_eq!(transfer_flow(&s, t.province, chibo_store::member::Flow::TransferredIn, d(2026, 11, 25)).await, arrived);
    assert_eq!(transfer_flow(&s, t.province, chibo_store::member::Flow::TransferredIn, d(2026, 11, 2)).await.0, 0);
    // A secretary of another ward cannot register someone into this cell.
    let other = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, true));
    let again = LetterInput { letter_no: "89-GGT/ĐU".into(), ..letter }.validate(&book, today()).unwrap();
    assert!(matches!(
        other
            .register_arrival(profile("Mai Thị Sen", Gender::Female, d(1990, 2, 2), None), t.cell_b1, MemberStatus::Official, (None, None), again)
            .await
            .unwrap_err(),
        StoreError::NotFound
    ));
});

db_test!(an_exemption_for_a_period_comes_back_on_the_todo_list_when_it_ends, |store| {
    use chibo_store::member::EventDetails;
    use chibo_store::todo::TodoKind;
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = official(store, "Trịnh Văn Bảo", t.cell_a1).await;
    let until = today() + chrono::Days::new(10);
    let details = EventDetails {
        decision_no: Some("7-QĐ/CB".into()),
        issued_by: Some("Chi bộ khu phố 3".into()),
        note: Some("Điều trị bệnh dài ngày".into()),
        until: Some(until),
    };
    let m = s.record_member_event_with(m.id, m.version, MemberEvent { on: d(2026, 6, 1), change: MemberChange::Exempted }, &details).await.unwrap();
    let last = s.member_history(m.id).await.unwrap().pop().unwrap();
    assert_eq!((last.note.as_deref(), last.until, last.issued_by.as_deref()), (Some("Điều trị bệnh dài ngày"), Some(until), Some("Chi bộ khu phố 3")));
    let todo = s.todo(today()).await.unwrap();
    let line = todo.iter().find(|i| i.kind == TodoKind::ExemptionEnding).expect("exemption ending");
    assert_eq!((line.person, line.due, line.overdue), (Some(m.id), Some(until), false));
    assert!(s.todo(until + chrono::Days::new(1)).await.unwrap().iter().any(|i| i.kind == TodoKind::ExemptionEnding && i.overdue));
    // Reinstated: nothing left to do.
    s.record_member_event(m.id, m.version, MemberEvent { on: today(), change: MemberChange::Reinstated }, None).await.unwrap();
    assert!(!s.todo(today()).await.unwrap().iter().any(|i| i.kind == TodoKind::ExemptionEnding));
});

db_test!(a_new_residence_link_ends_the_previous_one_and_both_are_audited, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let m = official(store, "Đào Thị Nga", t.cell_a1).await;
    s.link_residence(m.id, t.cell_b1, d(2024, 1, 1), "").await.unwrap();
    let err = s.link_residence(m.id, t.cell_b1, d(2025, 1, 1), "").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref v) if v.errors[0].code == ErrorCode::ResidenceSameCell), "{err:?}");
    let err = s.link_residence(m.id, t.cell_a2, d(2023, 6, 1), "").await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref v) if v.errors[0].field == "from_on"), "{err:?}");
    s.link_residence(m.id, t.cell_a2, d(2025, 6, 1), "").await.unwrap();
    let links = s.residences_of(m.id).await.unwrap();
    assert_eq!(links.iter().map(|l| (l.cell_id, l.until_on)).collect::<Vec<_>>(), [(t.cell_a2, None), (t.cell_b1, Some(d(2025, 6, 1)))]);
    let log = s.audit_log(&AuditFilter { entity: Some("residence".into()), limit: 10, ..Default::default() }).await.unwrap();
    assert_eq!(log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["residence.link", "residence.end", "residence.link"]);
});

/// A small deterministic generator (no dependency needed for a test's dice).
struct Dice(u64);

impl Dice {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
    fn day(&mut self, from: NaiveDate, days: u64) -> NaiveDate {
        from + chrono::Days::new(self.next(days))
    }
}

db_test!(fast_figures_equal_a_slow_recount_on_random_nodes_and_dates, |store| {
    use chibo_domain::member::{Education, PoliticalTheory};
    // Checkpoints every few facts, so that sums start from many of them.
    chibo_store::stats::set_stride(3);
    let t = tree(store).await;
    let s = store.within(&admin());
    let cells = [t.cell_a1, t.cell_a2, t.cell_b1];
    let mut dice = Dice(0x5eed);
    let mut members = Vec::new();
    for i in 0..24 {
        let cell = cells[dice.next(3) as usize];
        let on = dice.day(d(2001, 1, 1), 8000);
        let gender = if dice.next(3) == 0 { Gender::Female } else { Gender::Male };
        let mut p = profile(&format!("Người Thứ {i}"), gender, dice.day(d(1950, 1, 1), 15000), None);
        p.ethnicity = ["Kinh", "Tày", "Dao"][dice.next(3) as usize].into();
        p.professional_education = [Education::University, Education::None, Education::Master][dice.next(3) as usize];
        p.political_theory = [PoliticalTheory::Elementary, PoliticalTheory::Advanced][dice.next(2) as usize];
        let m = s.create_member(p, MemberEvent { on, change: MemberChange::Admitted { cell } }, None).await.unwrap();
        members.push((m, on));
    }
    // A random life for each: recognition, moves, exemption, death or leaving.
    for (m, admitted_on) in &members {
        let mut m = m.clone();
        let mut on = *admitted_on;
        for _ in 0..3 {
            on = on + chrono::Days::new(200 + dice.next(900));
            if on >= today() {
                break;
            }
            let change = match (m.status, dice.next(6)) {
                (MemberStatus::Probationary, _) => MemberChange::MadeOfficial,
                (MemberStatus::Official, 0 | 1) => MemberChange::Moved { cell: cells[dice.next(3) as usize] },
                (MemberStatus::Official, 2) => MemberChange::Exempted,
                (MemberStatus::Official, 3) => MemberChange::Died,
                (MemberStatus::Official, 4) => MemberChange::Left,
                _ => continue,
            };
            // A plain move stays in the ward (Bãi Cháy's cell is another's), and a recognition
            // waits for the end of probation.
            let ward = |c: OrgId| c == t.cell_b1;
            if matches!(change, MemberChange::Moved { cell } if cell == m.org_id || ward(cell) != ward(m.org_id)) {
                continue;
            }
            if change == MemberChange::MadeOfficial && on < *admitted_on + chrono::Months::new(12) {
                continue;
            }
            m = s.record_member_event(m.id, m.version, MemberEvent { on, change }, None).await.unwrap();
        }
    }
    // The tree changes too: a ward moves to the other district, a cell closes after its
    // members left it, and a new cell opens.
    let ward = s.org(t.ward_a).await.unwrap();
    s.change_org(t.ward_a, ward.version, d(2015, 7, 1), OrgChange::Moved { parent: t.district_b }, None).await.unwrap();
    let fresh = s.create_org(new_org("QN.HL.BC.2", "Chi bộ khu 2", OrgKind::Cell, Some(t.ward_b), d(2018, 3, 1))).await.unwrap();
    let mover = &members[0].0;
    let mover = s.member(mover.id).await.unwrap();
    if mover.status.is_member() && mover.org_id == t.cell_b1 {
        s.record_member_event(mover.id, mover.version, MemberEvent { on: d(2024, 2, 2), change: MemberChange::Moved { cell: fresh.id } }, None).await.unwrap();
    } else if matches!(mover.status, MemberStatus::Official | MemberStatus::Probationary) {
        transfer_to(store, mover.id, t.ward_b, fresh.id, d(2024, 2, 2)).await;
    }
    // A profile correction moves the breakdowns.
    let edited = s.member(members[1].0.id).await.unwrap();
    let mut p = edited.profile.clone();
    p.gender = if p.gender == Gender::Male { Gender::Female } else { Gender::Male };
    s.update_member_profile(edited.id, edited.version, p).await.unwrap();
    // New checkpoints today, then more writes after them (back-dated).
    store.refresh_checkpoints(today()).await.unwrap();
    let late = admitted(store, "Người Đến Sau", Gender::Female, t.cell_b1, d(2003, 3, 3)).await;
    s.record_member_event(late.id, late.version, MemberEvent { on: d(2004, 3, 10), change: MemberChange::MadeOfficial }, None).await.unwrap();

    let nodes = [t.province, t.district_a, t.district_b, t.ward_a, t.ward_b, t.cell_a1, t.cell_a2, t.cell_b1, fresh.id];
    let mut compared = 0;
    for _ in 0..40 {
        let node = nodes[dice.next(nodes.len() as u64) as usize];
        let on = if dice.next(5) == 0 { today() } else { dice.day(d(2000, 1, 1), (today() - d(2000, 1, 1)).num_days() as u64) };
        let fast = s.dashboard(node, on).await;
        let slow = s.dashboard_recount(node, on).await;
        match (fast, slow) {
            (Ok(f), Ok(r)) => {
                assert_eq!(f, r, "node {node} on {on}");
                compared += 1;
            }
            (Err(StoreError::NotFound), Err(StoreError::NotFound)) => {}
            (f, r) => panic!("node {node} on {on}: {f:?} vs {r:?}"),
        }
    }
    assert!(compared > 25, "too few nodes existed on the dates drawn: {compared}");
    // The figures are not trivially zero.
    let now = s.dashboard(t.province, today()).await.unwrap();
    assert!(now.members() > 5 && now.tally.get("flow:admission") == 25, "{:?}", now.tally);
    assert!(now.tally.get("flow:exit") > 0 && now.small_cells() > 0);
    // A full rebuild gives the same figures as the ones kept up to date by the writes.
    let before = s.dashboard(t.province, d(2016, 6, 6)).await.unwrap();
    store.rebuild_stats(&mut |_, _| {}).await.unwrap();
    assert_eq!(s.dashboard(t.province, d(2016, 6, 6)).await.unwrap(), before);
    chibo_store::stats::set_stride(chibo_store::stats::STRIDE);
});

db_test!(drill_down_lists_have_as_many_rows_as_their_figure, |store| {
    use chibo_domain::stats::{AGE_BANDS, PARTY_AGE_BANDS, Standing};
    use chibo_store::member::Flow;
    let t = tree(store).await;
    let s = store.within(&admin());
    let mut dice = Dice(42);
    for i in 0..15 {
        let cell = [t.cell_a1, t.cell_a2, t.cell_b1][dice.next(3) as usize];
        let on = dice.day(d(2002, 1, 1), 8000);
        let g = if i % 3 == 0 { Gender::Female } else { Gender::Male };
        let m = s
            .create_member(
                profile(&format!("Đảng Viên {i}"), g, dice.day(d(1950, 1, 1), 16000), None),
                MemberEvent { on, change: MemberChange::Admitted { cell } },
                None,
            )
            .await
            .unwrap();
        if dice.next(3) > 0 {
            let off = on + chrono::Days::new(370);
            if off < today() {
                let m = s.record_member_event(m.id, m.version, MemberEvent { on: off, change: MemberChange::MadeOfficial }, None).await.unwrap();
                if dice.next(4) == 0 && off + chrono::Days::new(30) < today() {
                    s.record_member_event(m.id, m.version, MemberEvent { on: off + chrono::Days::new(30), change: MemberChange::Died }, None).await.unwrap();
                }
            }
        }
    }
    for on in [d(2015, 5, 5), today()] {
        let dash = s.dashboard(t.province, on).await.unwrap();
        let s = &s;
        let province = t.province;
        let count = move |f: MemberFilter| async move { s.list_members(province, &MemberFilter { as_of: Some(on), ..f }, 0, 1).await.unwrap().total };
        assert_eq!(count(MemberFilter::default()).await, dash.members());
        for st in [Standing::Official, Standing::Probationary, Standing::InTransit] {
            assert_eq!(count(MemberFilter { standing: Some(st), ..Default::default() }).await, dash.tally.get(&format!("standing:{}", st.code())));
        }
        let year = chrono::Datelike::year(&on);
        for (i, (men, women)) in dash.age_pyramid().into_iter().enumerate() {
            let years = Some(AGE_BANDS[i].years_in(year));
            assert_eq!(count(MemberFilter { birth_years: years, gender: Some(Gender::Male), ..Default::default() }).await, men);
            assert_eq!(count(MemberFilter { birth_years: years, gender: Some(Gender::Female), ..Default::default() }).await, women);
        }
        for (i, n) in dash.party_age().into_iter().enumerate() {
            assert_eq!(count(MemberFilter { admit_years: Some(PARTY_AGE_BANDS[i].years_in(year)), ..Default::default() }).await, n);
        }
        for (e, n) in dash.breakdown("education") {
            let education = chibo_domain::member::Education::from_code(&e);
            assert_eq!(count(MemberFilter { education, ..Default::default() }).await, n);
        }
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let admitted = s.list_members(t.province, &MemberFilter { flow: Some((Flow::Admitted, from, on)), ..Default::default() }, 0, 1).await.unwrap().total;
        let exited = s.list_members(t.province, &MemberFilter { flow: Some((Flow::Exited, from, on)), ..Default::default() }, 0, 1).await.unwrap().total;
        assert_eq!((admitted, exited), (dash.flows.admitted, dash.flows.exited));
        let small = s.counted_orgs(t.province, on, chibo_store::stats::OrgFilter { small_cells: true, ..Default::default() }, 0, 10).await.unwrap();
        assert_eq!(small.total, dash.small_cells());
        let cells = s.counted_orgs(t.province, on, chibo_store::stats::OrgFilter { kind: Some(OrgKind::Cell), ..Default::default() }, 0, 10).await.unwrap();
        assert_eq!(cells.total, dash.orgs_by_kind().iter().find(|k| k.0 == OrgKind::Cell).map_or(0, |k| k.1));
        let direct = s.counted_orgs(t.province, on, chibo_store::stats::OrgFilter { direct: true, ..Default::default() }, 0, 10).await.unwrap();
        assert_eq!(direct.total, dash.direct_children);
        // The rollup's organization figures, the node included: grassroots organizations, and
        // cells under grassroots committees (a cell counts itself).
        use chibo_store::stats::OrgFilter;
        for node in [t.province, t.cell_a1] {
            let rollup = s.dashboard(node, on).await.unwrap().rollup();
            let grassroots = s.counted_orgs(node, on, OrgFilter { grassroots: true, ..Default::default() }, 0, 10).await.unwrap();
            assert_eq!(grassroots.total, rollup.grassroots_orgs);
            let cells = s.counted_orgs(node, on, OrgFilter { kind: Some(OrgKind::Cell), with_node: true, ..Default::default() }, 0, 10).await.unwrap();
            assert_eq!(cells.total, rollup.cells_under_grassroots);
        }
        for (flow, n) in [(Flow::TransferredIn, dash.flows.transferred_in), (Flow::TransferredOut, dash.flows.transferred_out)] {
            assert_eq!(s.list_members(t.province, &MemberFilter { flow: Some((flow, from, on)), ..Default::default() }, 0, 1).await.unwrap().total, n);
        }
    }
});

db_test!(a_past_roll_names_who_left_the_scope_without_their_personal_details, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let input = MemberInput {
        full_name: "Đinh Văn Khoa".into(),
        gender: "nam".into(),
        birth_date: "05/05/1970".into(),
        cccd: "022070001234".into(),
        phone: "0912345678".into(),
        permanent_address: "Tổ 5, khu 1, phường Cửa Ông".into(),
        ..Default::default()
    };
    let m = s
        .create_member(input.validate(today()).unwrap(), MemberEvent { on: d(2010, 1, 4), change: MemberChange::Admitted { cell: t.cell_a1 } }, None)
        .await
        .unwrap();
    transfer_to(store, m.id, t.ward_b, t.cell_b1, d(2024, 1, 2)).await;
    let ward_a = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, false));
    let ward_b = store.within(&subtree_scope(t.ward_b, &s.org(t.ward_b).await.unwrap().path, false));
    let then = MemberFilter { as_of: Some(d(2023, 6, 1)), ..Default::default() };
    let details = |m: &chibo_store::member::Member| {
        (m.profile.full_name.clone(), m.profile.cccd.as_ref().map(|c| c.as_str().to_owned()), m.profile.phone.clone(), m.profile.permanent_address.clone())
    };
    // Ward A's roll of 2023 names him (the figures count him), but his identity number,
    // phone and address now belong to ward B; both ways of paging agree.
    let past = ward_a.list_members(t.ward_a, &then, 0, 10).await.unwrap();
    assert_eq!(past.items.iter().map(details).collect::<Vec<_>>(), [("Đinh Văn Khoa".to_owned(), None, None, None)]);
    let paged = ward_a.members_after(t.ward_a, &then, None, 10).await.unwrap();
    assert_eq!(paged.iter().map(details).collect::<Vec<_>>(), [("Đinh Văn Khoa".to_owned(), None, None, None)]);
    assert!(past.items[0].elsewhere && paged[0].elsewhere);
    assert!(matches!(ward_a.member(m.id).await.unwrap_err(), StoreError::NotFound));
    // Ward B, which has him now, and the province see everything, on any day's list.
    let full = ("Đinh Văn Khoa".to_owned(), Some("022070001234".to_owned()), Some("0912345678".to_owned()), Some("Tổ 5, khu 1, phường Cửa Ông".to_owned()));
    assert_eq!(
        ward_b.list_members(t.ward_b, &MemberFilter::default(), 0, 10).await.unwrap().items.iter().map(details).collect::<Vec<_>>(),
        std::slice::from_ref(&full)
    );
    assert_eq!(s.list_members(t.ward_a, &then, 0, 10).await.unwrap().items.iter().map(details).collect::<Vec<_>>(), [full]);
});

db_test!(the_audit_log_withholds_the_personal_details_of_who_left_the_scope, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let input = |name: &str, cccd: &str| MemberInput {
        full_name: name.into(),
        gender: "nam".into(),
        birth_date: "05/05/1970".into(),
        cccd: cccd.into(),
        phone: "0912345678".into(),
        permanent_address: "Tổ 5, khu 1, phường Cửa Ông".into(),
        ..Default::default()
    };
    let admitted_to = |cell| MemberEvent { on: d(2010, 1, 4), change: MemberChange::Admitted { cell } };
    let gone = s.create_member(input("Đinh Văn Khoa", "022070001234").validate(today()).unwrap(), admitted_to(t.cell_a1), None).await.unwrap();
    let stays = s.create_member(input("Đinh Văn Lâm", "022070005678").validate(today()).unwrap(), admitted_to(t.cell_a1), None).await.unwrap();
    transfer_to(store, gone.id, t.ward_b, t.cell_b1, d(2024, 1, 2)).await;
    let ward_a = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, false));
    let ward_b = store.within(&subtree_scope(t.ward_b, &s.org(t.ward_b).await.unwrap().path, false));
    let log_of = async |scoped: &chibo_store::Scoped<'_>, id| {
        let entries = scoped.audit_log(&AuditFilter { entity: Some("member".into()), entity_id: Some(id), limit: 50, ..Default::default() }).await.unwrap();
        let text: Vec<String> = entries.iter().flat_map(|e| [e.before.clone(), e.after.clone()]).flatten().map(|v| v.to_string()).collect();
        (entries.len(), text.join("\n"))
    };
    // Ward A still reads the entries filed under it, with his name, but without the
    // identity number, phone and address that now belong to ward B.
    let (n, text) = log_of(&ward_a, gone.id).await;
    assert!(n >= 1 && text.contains("Đinh Văn Khoa"), "{text}");
    for detail in ["022070001234", "0912345678", "Tổ 5, khu 1"] {
        assert!(!text.contains(detail), "{detail} in {text}");
    }
    // The member who stayed, ward B for the one who came, and the province read everything.
    assert!(log_of(&ward_a, stays.id).await.1.contains("022070005678"));
    assert!(log_of(&ward_b, gone.id).await.1.contains("022070001234"));
    assert!(log_of(&s, gone.id).await.1.contains("0912345678"));
});

db_test!(the_last_active_administrator_cannot_be_disabled, |store| {
    use chibo_domain::account::Role;
    use chibo_store::account::NewAccount;
    let s = store.within(&admin());
    let new = |login: &str| NewAccount {
        login: login.into(),
        display_name: login.into(),
        password_hash: "x".into(),
        role: Role::Admin,
        org_id: None,
        member_id: None,
    };
    let first = s.create_account(new("quantri")).await.unwrap();
    let err = s.set_account_active(first.id, first.version, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::LastAdmin.as_str(), "{err:?}");
    assert!(err.message(Lang::Vi).contains("quản trị viên hệ thống cuối cùng"));
    assert!(s.account(first.id).await.unwrap().active);
    // With a second administrator, one of them may go; then the other is the last.
    let second = s.create_account(new("quantri2")).await.unwrap();
    let first = s.set_account_active(first.id, first.version, false).await.unwrap();
    assert!(!first.active);
    let err = s.set_account_active(second.id, second.version, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::LastAdmin.as_str());
    // Enabling again (`chibo user enable`) is always allowed.
    assert!(s.set_account_active(first.id, first.version, true).await.unwrap().active);
});

db_test!(sign_in_tries_are_paced_per_login_and_address_and_an_administrator_lifts_the_wait, |store| {
    use chibo_store::account::SignInPace;
    let pace = SignInPace { free: 2, first: chrono::Duration::seconds(30), longest: chrono::Duration::minutes(15) };
    let wide = SignInPace { free: 100, ..pace };
    for _ in 0..2 {
        assert_eq!(store.claim_sign_in("bithu", "10.0.0.1", pace, wide).await.unwrap(), None);
    }
    // The third waits the first delay, the owner's address is not held.
    let wait = store.claim_sign_in("bithu", "10.0.0.1", pace, wide).await.unwrap().unwrap();
    assert!(wait > chrono::Duration::seconds(25) && wait <= chrono::Duration::seconds(30), "{wait:?}");
    assert_eq!(store.claim_sign_in("Bithu ", "10.0.0.2", pace, wide).await.unwrap(), None);
    assert_eq!(store.lift_sign_in_lock("BITHU").await.unwrap(), 2);
    assert_eq!(store.claim_sign_in("bithu", "10.0.0.1", pace, wide).await.unwrap(), None);
});

db_test!(an_administrator_of_the_scope_lifts_an_accounts_sign_in_wait_audited, |store| {
    use chibo_domain::account::Role;
    use chibo_store::account::{NewAccount, SignInPace};
    let t = tree(store).await;
    let s = store.within(&admin());
    let secretary = s
        .create_account(NewAccount {
            login: "bithu.kp3".into(),
            display_name: "Bí thư khu phố 3".into(),
            password_hash: "x".into(),
            role: Role::Secretary,
            org_id: Some(t.cell_a1),
            member_id: None,
        })
        .await
        .unwrap();
    let pace = SignInPace { free: 1, first: chrono::Duration::seconds(30), longest: chrono::Duration::minutes(15) };
    let wide = SignInPace { free: 100, ..pace };
    assert_eq!(store.claim_sign_in("bithu.kp3", "10.0.0.1", pace, wide).await.unwrap(), None);
    assert!(store.claim_sign_in("bithu.kp3", "10.0.0.1", pace, wide).await.unwrap().is_some());
    let ward_a = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, true));
    let ward_b = store.within(&subtree_scope(t.ward_b, &s.org(t.ward_b).await.unwrap().path, true));
    assert!(ward_a.sign_in_delayed(&["bithu.kp3", "khac"]).await.unwrap().contains("bithu.kp3"));
    // Outside the scope the account does not exist, and the wait stays.
    let err = ward_b.lift_account_sign_in_lock(secretary.id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound.as_str(), "{err:?}");
    let unlocks = async || {
        let f = AuditFilter { entity: Some("account".into()), entity_id: Some(secretary.id), limit: 50, ..Default::default() };
        s.audit_log(&f).await.unwrap().into_iter().filter(|e| e.action == "account.unlock").count()
    };
    assert_eq!(unlocks().await, 0);
    assert!(store.claim_sign_in("bithu.kp3", "10.0.0.1", pace, wide).await.unwrap().is_some());
    // A read-only scope cannot lift it either.
    let ward_a_read = store.within(&subtree_scope(t.ward_a, &s.org(t.ward_a).await.unwrap().path, false));
    assert!(ward_a_read.lift_account_sign_in_lock(secretary.id).await.is_err());
    assert_eq!(ward_a.lift_account_sign_in_lock(secretary.id).await.unwrap(), 1);
    assert_eq!(unlocks().await, 1);
    assert!(ward_a.sign_in_delayed(&["bithu.kp3"]).await.unwrap().is_empty());
    assert_eq!(store.claim_sign_in("bithu.kp3", "10.0.0.1", pace, wide).await.unwrap(), None);
    // Nothing waiting: nothing lifted, nothing written.
    store.lift_sign_in_lock("bithu.kp3").await.unwrap();
    assert_eq!(ward_a.lift_account_sign_in_lock(secretary.id).await.unwrap(), 0);
    assert_eq!(unlocks().await, 1);
});
