//! Committees and terms on both engines: a term walked from start to end, seats that follow
//! their holders' lives, the nhất thể hoá figure on dates before and after each change, the
//! to-do, the audit, and the scope of another cell's secretary.

use super::{admin, d, official, subtree_scope, tree};
use chibo_domain::audit::{Action, Entity};
use chibo_domain::committee::audit::SeatAction;
use chibo_domain::committee::command::{EndSeatInput, Picked, PostInput, RegulationInput, SeatInput, TermInput};
use chibo_domain::committee::{CommitteeList, Position, SeatState, Shape};
use chibo_domain::error::ErrorCode;
use chibo_domain::org::{OrgCategory, OrgKind};
use chibo_domain::transfer::LetterInput;
use chibo_store::audit::AuditFilter;
use chibo_store::org::NewOrg;
use chibo_store::todo::TodoKind;
use chibo_store::{StoreError, db_test};

fn code(e: StoreError) -> ErrorCode {
    match e {
        StoreError::Invalid(v) => v.errors[0].code,
        other => panic!("{other:?}"),
    }
}

/// The committee figures summed from the facts equal those counted again from the committee
/// tables, for each node on each day (and so does every other figure of the dashboard).
async fn facts_agree(s: &chibo_store::Scoped<'_>, nodes: &[i64], days: &[chrono::NaiveDate]) {
    for &node in nodes {
        for &day in days {
            let fast = s.dashboard(node, day).await.unwrap();
            let slow = s.dashboard_recount(node, day).await.unwrap();
            assert_eq!(fast.committees, slow.committees, "committee figures of {node} on {day}");
            assert_eq!(fast, slow, "dashboard of {node} on {day}");
        }
    }
}

const DAYS: [(i32, u32, u32); 12] = [
    (2017, 3, 15),
    (2020, 8, 31),
    (2020, 9, 1),
    (2020, 10, 9),
    (2020, 10, 10),
    (2021, 6, 1),
    (2022, 5, 1),
    (2023, 2, 28),
    (2023, 3, 1),
    (2023, 4, 1),
    (2025, 10, 14),
    (2025, 10, 15),
];

db_test!(a_term_from_start_to_end_follows_its_members_and_its_figures, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let today = store.today();
    // A residential cell of the ward (khu phố 5), beside the two cells of the tree.
    let kp5 = s
        .create_org(NewOrg {
            code: "QN.CP.CO.KP5".into(),
            name: "Chi bộ khu phố 5".into(),
            kind: OrgKind::Cell,
            category: OrgCategory::Residential,
            parent_id: Some(t.ward_a),
            founded_on: d(2000, 1, 1),
            decision_no: None,
        })
        .await
        .unwrap();
    let thanh = official(store, "Nguyễn Văn Thành", kp5.id).await;
    let lan = official(store, "Trần Thị Lan", kp5.id).await;
    let hung = official(store, "Lê Văn Hùng", t.cell_b1).await;
    let ward = s.org(t.ward_a).await.unwrap();
    let secretary = store.within(&subtree_scope(kp5.id, &kp5.path, true));
    let days: Vec<chrono::NaiveDate> = DAYS.iter().map(|&(y, m, dd)| d(y, m, dd)).chain([today]).collect();
    let nodes = [t.province, t.ward_a, kp5.id];

    // The cell's secretary records the term and its committee.
    let term = secretary
        .open_term(
            kp5.id,
            TermInput { starts_on: "01/09/2020".into(), village_head_expected: true, ..Default::default() }.validate(OrgKind::Cell, &book, today).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!((term.planned_end, term.label.as_str()), (d(2023, 3, 1), "Nhiệm kỳ 2020 – 2023"));
    let seat =
        |m: i64, p: &str, from: &str| SeatInput { member: Picked::Found(m), position: p.into(), basis: "bau".into(), from: from.into(), ..Default::default() };
    let thanh_seat = secretary.assign_seat(term.id, seat(thanh.id, "bi_thu", "01/09/2020").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap();
    secretary.assign_seat(term.id, seat(lan.id, "pho_bi_thu", "01/09/2020").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap();
    // One secretary at a time; no seat for a member of another ward's cell unless appointed.
    let err = secretary.assign_seat(term.id, seat(lan.id, "bi_thu", "01/10/2020").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap_err();
    assert_eq!(code(err), ErrorCode::SeatTaken);
    let err = s.assign_seat(term.id, seat(hung.id, "pho_bi_thu", "01/10/2020").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap_err();
    assert_eq!(code(err), ErrorCode::SeatHolderOutside);
    // Thành has been head of khu phố 3 since 2017.
    secretary
        .record_post(
            PostInput {
                member: Picked::Found(thanh.id),
                kind: "truong_thon".into(),
                place: "Khu phố 5, phường Cửa Ông".into(),
                from: "15/03/2017".into(),
                ..Default::default()
            }
            .validate(today)
            .unwrap(),
        )
        .await
        .unwrap();

    facts_agree(&s, &nodes, &days).await;
    let c = secretary.committee_on(kp5.id, d(2021, 6, 1)).await.unwrap();
    assert_eq!(
        c.seats.iter().map(|x| (x.seat.full_name.as_str(), x.title.as_str())).collect::<Vec<_>>(),
        [("Nguyễn Văn Thành", "Bí thư"), ("Trần Thị Lan", "Phó bí thư")]
    );
    assert_eq!(c.seats[0].posts.len(), 1);
    assert_eq!(c.shape, vec![]);
    let (share, list) = s.committee_share(t.province, d(2021, 6, 1), CommitteeList::VillageHead).await.unwrap();
    assert_eq!((share.count, share.of, list.len()), (1, 1, 1), "only the residential cell counts");
    assert_eq!(list[0].secretary.as_deref(), Some("Nguyễn Văn Thành"));
    // The dashboard's figures say the same, and the organization list behind them has them.
    let dash = s.dashboard(t.province, d(2021, 6, 1)).await.unwrap();
    assert_eq!((dash.committees.secretary_village_heads, dash.committees.residential_cells, dash.committees.with_term), (1, 1, 1));
    let heads = chibo_store::stats::OrgFilter { committee: Some(CommitteeList::VillageHead), ..Default::default() };
    let behind = s.counted_orgs(t.province, d(2021, 6, 1), heads, 0, 10).await.unwrap();
    assert_eq!(behind.items.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Chi bộ khu phố 5"]);
    let figures = chibo_domain::stats::Figures::of(&dash);
    assert_eq!(figures.value("committees.secretary_village_heads"), 1);
    // Before the term there was no committee.
    assert!(secretary.committee_on(kp5.id, d(2020, 8, 31)).await.unwrap().term.is_none());
    assert_eq!(s.committee_share(t.province, d(2020, 8, 31), CommitteeList::VillageHead).await.unwrap().0.count, 0);

    // Lan stays in another cell for a while (temporary transfer): she keeps her seat.
    let letter = |kind: &str, to: i64, on: &str, until: &str| LetterInput {
        kind: kind.into(),
        to_org: to.to_string(),
        letter_no: "3-GGT/CB".into(),
        letter_on: on.into(),
        fees_paid_through: "01/2022".into(),
        until: until.into(),
        ..Default::default()
    };
    let lan = s.member(lan.id).await.unwrap();
    s.send_transfer(lan.id, lan.version, letter("temporary", t.cell_a2, "10/02/2022", "10/08/2022").validate(&book, today).unwrap()).await.unwrap();
    let c = secretary.committee_on(kp5.id, d(2022, 5, 1)).await.unwrap();
    assert_eq!(c.seats.iter().filter(|x| x.state == SeatState::Held).count(), 2);

    // Thành moves permanently to Hạ Long on 01/03/2023: he leaves the seat that day.
    let thanh = s.member(thanh.id).await.unwrap();
    s.send_transfer(thanh.id, thanh.version, letter("permanent", t.ward_b, "01/03/2023", "").validate(&book, today).unwrap()).await.unwrap();
    let before = secretary.committee_on(kp5.id, d(2023, 2, 28)).await.unwrap();
    assert_eq!(before.seats.iter().map(|x| x.seat.position).collect::<Vec<_>>(), [Position::Secretary, Position::Deputy]);
    facts_agree(&s, &nodes, &days).await;
    let after = secretary.committee_on(kp5.id, d(2023, 3, 1)).await.unwrap();
    assert_eq!(after.seats.iter().map(|x| x.seat.full_name.as_str()).collect::<Vec<_>>(), ["Trần Thị Lan"]);
    assert_eq!(after.shape, vec![Shape::SecretaryVacant]);
    assert_eq!(s.committee_share(t.province, d(2023, 2, 28), CommitteeList::VillageHead).await.unwrap().0.count, 1);
    assert_eq!(s.committee_share(t.province, d(2023, 3, 1), CommitteeList::VillageHead).await.unwrap().0.count, 0);
    assert_eq!(s.dashboard(t.province, d(2023, 3, 1)).await.unwrap().committees.secretary_village_heads, 0);
    let positions = s.member_positions(thanh.id).await.unwrap();
    let left = positions.seats[0].seat.left.unwrap();
    assert_eq!(
        (positions.seats[0].org_name.as_str(), positions.seats[0].parent_name.as_deref(), positions.seats[0].term_label.as_str()),
        ("Chi bộ khu phố 5", Some("Đảng bộ phường Cửa Ông"), "Nhiệm kỳ 2020 – 2023")
    );
    assert_eq!((left.on, left.status), (d(2023, 3, 1), Some(chibo_domain::member::MemberStatus::InTransit)));
    // The seat's end is in the audit log, as its own action, under the cell.
    let log = secretary.audit_log(&AuditFilter { entity: Some(Entity::Seat.code().into()), limit: 50, ..Default::default() }).await.unwrap();
    assert!(log.iter().any(|e| Action::parse(&e.entity, &e.action) == Some(Action::Seat(SeatAction::Follow)) && e.entity_id == Some(thanh_seat.id)), "{log:?}");

    // The to-do: no secretary, no working regulation, the term past its planned end.
    let todo = secretary.todo(today).await.unwrap();
    for kind in [TodoKind::SecretaryVacant, TodoKind::RegulationMissing, TodoKind::TermEnding] {
        assert!(todo.iter().any(|i| i.kind == kind && i.org_id == kp5.id), "{kind:?} in {todo:?}");
    }
    // A working regulation with a file that is not a document is refused; a text is kept.
    let fake = RegulationInput {
        adopted_on: "10/10/2020".into(),
        decision_no: "01-QĐ/CB".into(),
        file: Some(chibo_domain::committee::command::Upload { name: "quy-che.pdf".into(), bytes: b"MZ".to_vec() }),
        ..Default::default()
    };
    assert_eq!(fake.validate(&term, &book, today).unwrap_err().errors[0].code, ErrorCode::FileType);
    let reg = RegulationInput { text: "Điều 1. Chi bộ làm việc theo nguyên tắc tập trung dân chủ.".into(), file: None, ..fake };
    secretary.adopt_regulation(term.id, reg.validate(&term, &book, today).unwrap()).await.unwrap();
    let (cover, _) = s.committee_share(t.province, d(2021, 1, 1), CommitteeList::Regulation).await.unwrap();
    assert_eq!((cover.count, cover.of), (1, 1));
    assert_eq!(s.dashboard(t.province, d(2021, 1, 1)).await.unwrap().committees.with_regulation, 1);
    facts_agree(&s, &nodes, &days).await;
    assert_eq!(s.committee_share(t.province, d(2020, 10, 9), CommitteeList::Regulation).await.unwrap().0.count, 0);

    // Another cell's secretary can neither see nor change this committee.
    let a2 = s.org(t.cell_a2).await.unwrap();
    let other = store.within(&subtree_scope(a2.id, &a2.path, true));
    assert!(matches!(other.committee_on(kp5.id, d(2021, 6, 1)).await.unwrap_err(), StoreError::NotFound));
    let lan = s.member(lan.id).await.unwrap();
    let err = other.assign_seat(term.id, seat(lan.id, "bi_thu", "01/04/2023").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound), "{err:?}");
    assert!(matches!(other.term(term.id).await.unwrap_err(), StoreError::NotFound));
    // The ward's staff see the cell inside their ward.
    let ward_staff = store.within(&subtree_scope(ward.id, &ward.path, false));
    assert_eq!(ward_staff.committee_on(kp5.id, d(2021, 6, 1)).await.unwrap().seats.len(), 2);

    // Lan is elected secretary; the term ends at the next congress and her seat with it.
    let lan_seat = secretary.assign_seat(term.id, seat(lan.id, "bi_thu", "01/04/2023").validate(OrgKind::Cell, &term, today).unwrap()).await.unwrap();
    let term = secretary.terms(kp5.id).await.unwrap().remove(0);
    let next = secretary
        .open_term(kp5.id, TermInput { starts_on: "15/10/2025".into(), ..Default::default() }.validate(OrgKind::Cell, &book, today).unwrap())
        .await
        .unwrap();
    let old = secretary.term(term.id).await.unwrap().term;
    assert_eq!(old.ended_on, Some(d(2025, 10, 15)));
    let (lan_after, _) = secretary.seat(lan_seat.id).await.unwrap();
    assert_eq!((lan_after.until, lan_after.end), (Some(d(2025, 10, 15)), Some(chibo_domain::committee::SeatEnd::TermEnded)));
    assert_eq!(secretary.committee_on(kp5.id, d(2025, 10, 15)).await.unwrap().term.map(|t| t.id), Some(next.id));
    facts_agree(&s, &nodes, &days).await;
    // A database from before the committee facts (as one upgraded to this version): the
    // next start derives them, and the figures are the same.
    let with_facts = s.dashboard(t.province, d(2021, 6, 1)).await.unwrap();
    for sql in ["DELETE FROM stat_checkpoint", "DELETE FROM stat_fact WHERE subject = 'c'"] {
        chibo_store::testing::execute(store, sql).await.unwrap();
    }
    assert_eq!(s.dashboard(t.province, d(2021, 6, 1)).await.unwrap().committees.residential_cells, 0);
    store.migrate().await.unwrap();
    assert_eq!(s.dashboard(t.province, d(2021, 6, 1)).await.unwrap(), with_facts);
    facts_agree(&s, &nodes, &days).await;
    // Ending a seat by hand needs a day after its start and a reason.
    let err = EndSeatInput { until: "01/04/2023".into(), reason: "".into(), note: "".into() }.validate(lan_seat.from, today).unwrap_err();
    assert_eq!(
        err.errors.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
        [("seat_until", ErrorCode::DateBeforeOther), ("seat_end", ErrorCode::Required)]
    );
});
