//! Meetings on both engines: the roll of a cell with exempt, probationary, suspended and
//! temporarily transferred members against a hand count; attendance, minutes, signature and
//! amendment; the figures (facts against the recount) and the lists behind them; the to-do;
//! the audit; and the scope of another cell's secretary and of the level above.

use super::{admin, admitted, d, official, subtree_scope, tree};
use chibo_domain::audit::Entity;
use chibo_domain::committee::command::Picked;
use chibo_domain::error::ErrorCode;
use chibo_domain::meeting::command::{AmendInput, AttendanceInput, ItemInput, MinutesInput, PlanInput, PresenceInput, RateInput, SignInput, VoteInput};
use chibo_domain::meeting::{Exclusion, MeetingFigure, MeetingState, Presence, Quality, Role};
use chibo_domain::member::{Gender, MemberChange, MemberEvent};
use chibo_domain::org::OrgKind;
use chibo_domain::transfer::LetterInput;
use chibo_store::audit::AuditFilter;
use chibo_store::meeting::AttendanceList;
use chibo_store::todo::{Subject, TodoKind};
use chibo_store::{StoreError, db_test};

fn code(e: StoreError) -> ErrorCode {
    match e {
        StoreError::Invalid(v) => v.errors[0].code,
        other => panic!("{other:?}"),
    }
}

fn plan(kind: &str, on: &str) -> PlanInput {
    PlanInput { kind: kind.into(), held_on: on.into(), starts_at: "19:30".into(), place: "Nhà văn hóa khu phố 3".into(), ..Default::default() }
}

fn presence(id: i64, p: &str, reason: &str) -> PresenceInput {
    PresenceInput { member_id: Some(id), presence: p.into(), reason: reason.into() }
}

db_test!(a_cell_meeting_counts_its_roll_as_the_rules_say_and_its_minutes_stay_signed, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let today = store.today();
    let cell = t.cell_a1;
    // Six official members, two probationary (admitted in March 2026), one exempt, one
    // suspended, one away on a temporary transfer; one member of another cell here on a
    // temporary transfer.
    let mut officials = Vec::new();
    for name in ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Văn Dũng", "Hoàng Thị Én", "Vũ Văn Phúc"] {
        officials.push(official(store, name, cell).await);
    }
    let giang = admitted(store, "Đỗ Thị Giang", Gender::Female, cell, d(2026, 3, 2)).await;
    let hai = admitted(store, "Bùi Văn Hải", Gender::Male, cell, d(2026, 3, 2)).await;
    let mut exempt = official(store, "Ngô Văn Ích", cell).await;
    exempt =
        s.record_member_event(exempt.id, exempt.version, MemberEvent { on: d(2025, 1, 6), change: MemberChange::Exempted }, Some("9-QĐ/ĐU")).await.unwrap();
    let suspended = official(store, "Đinh Văn Khoa", cell).await;
    s.record_member_event(suspended.id, suspended.version, MemberEvent { on: d(2026, 9, 1), change: MemberChange::Suspended }, Some("12-QĐ/UBKT"))
        .await
        .unwrap();
    let away = official(store, "Lý Văn Lâm", cell).await;
    let visitor = official(store, "Mai Thị Ngọc", t.cell_b1).await;
    let letter = |to: i64, on: &str| LetterInput {
        kind: "temporary".into(),
        to_org: to.to_string(),
        letter_no: "31-GGT/ĐU".into(),
        letter_on: on.into(),
        fees_paid_through: "09/2026".into(),
        until: "01/03/2027".into(),
        ..Default::default()
    };
    let sent = s.send_transfer(away.id, away.version, letter(t.ward_b, "01/10/2026").validate(&book, today).unwrap()).await.unwrap();
    s.accept_transfer(sent.id, sent.version, t.cell_b1, d(2026, 10, 5)).await.unwrap();
    let sent = s.send_transfer(visitor.id, visitor.version, letter(t.ward_a, "01/10/2026").validate(&book, today).unwrap()).await.unwrap();
    s.accept_transfer(sent.id, sent.version, cell, d(2026, 10, 5)).await.unwrap();

    let cell_path = s.org(cell).await.unwrap().path;
    let secretary = store.within(&subtree_scope(cell, &cell_path, true));
    let m = secretary.plan_meeting(cell, plan("thuong_ky", "04/11/2026").validate(OrgKind::Cell, today).unwrap()).await.unwrap();
    assert_eq!(m.state, MeetingState::Planned);
    let m = secretary.notify_meeting(m.id, m.version).await.unwrap();
    assert_eq!((m.state, m.notified_on), (MeetingState::Notified, Some(today)));

    // The roll of 04/11/2026, by hand: convened are the six official and two probationary
    // members (8); the exempt member is listed outside the base; the suspended member and
    // the one away are named apart; the visitor attends without counting.
    let r = secretary.meeting(m.id).await.unwrap();
    assert!(!r.attendance_recorded);
    assert_eq!(r.next_resolution_no, "01-NQ/CB", "the first resolution of the year without a term");
    let roles: Vec<(&str, Role)> = r.attendees.iter().map(|a| (a.name.as_str(), a.role)).collect();
    assert_eq!(roles.iter().filter(|(_, r)| *r == Role::Official).count(), 6);
    assert_eq!(roles.iter().filter(|(_, r)| *r == Role::Probationary).map(|(n, _)| *n).collect::<Vec<_>>(), ["Đỗ Thị Giang", "Bùi Văn Hải"]);
    assert!(roles.contains(&("Ngô Văn Ích", Role::Exempt)) && roles.contains(&("Mai Thị Ngọc", Role::Visiting)));
    let out: Vec<(&str, Exclusion)> = r.excluded.iter().map(|e| (e.name.as_str(), e.why)).collect();
    assert_eq!(out, [("Đinh Văn Khoa", Exclusion::Suspended), ("Lý Văn Lâm", Exclusion::Away)]);
    assert_eq!((r.counts.convened, r.counts.present, r.counts.quorum_needed), (8, 8, 5));
    // The vote base is counted as for an admission vote: the official members of the cell
    // that day, the one away included (7).
    assert_eq!((r.vote_base, r.votes_needed), (7, 4));

    // Two excused, one absent without reason, one late; the exempt member came.
    let [an, bich, cuong, dung, en, phuc] = [0, 1, 2, 3, 4, 5].map(|i| officials[i].id);
    let att = AttendanceInput {
        lines: vec![
            presence(bich, "vang_co_ly_do", "Ốm"),
            presence(cuong, "vang_co_ly_do", "Đi công tác"),
            presence(dung, "vang_khong_ly_do", ""),
            presence(en, "den_muon", ""),
            presence(exempt.id, "co_mat", ""),
        ],
        guests: "Trần Văn Khách — Bí thư Đoàn phường".into(),
    }
    .validate()
    .unwrap();
    let r = secretary.record_attendance(m.id, m.version, att).await.unwrap();
    assert_eq!(r.meeting.state, MeetingState::Held);
    let c = r.counts;
    assert_eq!((c.convened, c.present, c.late, c.excused, c.absent, c.quorum_met), (8, 5, 1, 2, 1, true));
    // Others at the meeting: the exempt member, the visitor, the guest; official members
    // present who may vote: An, Én, Phúc.
    assert_eq!((c.others_present, c.official_present), (3, 3));
    assert!(r.attendees.iter().any(|a| a.name == "Trần Văn Khách — Bí thư Đoàn phường" && a.role == Role::Guest));

    // The minutes: four items, a vote of the three official members present (3 of 7 does
    // not pass: more than half of 7 is 4), the chair and the secretary among those present.
    let mut items: Vec<ItemInput> = r.items.iter().take(4).map(|i| ItemInput { title: i.title.clone(), ..Default::default() }).collect();
    assert_eq!(items.len(), 4, "the rules' agenda of a regular meeting");
    items[0].report = "Hoàn thành 5/6 nhiệm vụ tháng 10".into();
    items[0].opinions = "Vũ Văn Phúc: Cần đôn đốc thu đảng phí\nnguyen van an: Đồng ý".into();
    items[3].conclusion = "Giao đồng chí Phúc phụ trách vệ sinh môi trường".into();
    items[3].vote = VoteInput { votes_for: "3".into(), ..Default::default() };
    let voters = r.counts.official_present;
    let too_many =
        MinutesInput { items: vec![ItemInput { vote: VoteInput { votes_for: "4".into(), ..Default::default() }, ..items[3].clone() }], ..Default::default() };
    assert_eq!(too_many.validate(voters, r.vote_base).unwrap_err().errors[0].code, ErrorCode::VotesAbovePresent);
    let minutes = MinutesInput { items, chair: Picked::Found(an), secretary: Picked::Found(phuc), resolution_no: "11-NQ/CB".into(), ..Default::default() };
    let absent_chair = MinutesInput { chair: Picked::Found(dung), ..minutes.clone() }.validate(voters, r.vote_base).unwrap();
    let err = secretary.record_minutes(m.id, r.meeting.version, absent_chair).await.unwrap_err();
    assert_eq!(code(err), ErrorCode::NotFound, "the chair is someone present");
    let r = secretary.record_minutes(m.id, r.meeting.version, minutes.validate(voters, r.vote_base).unwrap()).await.unwrap();
    assert_eq!(r.items.len(), 4);
    assert_eq!(r.items[0].opinions.iter().map(|o| o.member_id).collect::<Vec<_>>(), [Some(phuc), Some(an)], "speakers matched without diacritics");
    let v = &r.items[3].votes[0];
    assert_eq!((v.votes_for, v.base, v.passed(&book.at(d(2026, 11, 4)).meeting)), (3, 7, false));
    assert_eq!(r.meeting.chair.as_ref().map(|c| c.1.as_str()), Some("Nguyễn Văn An"));

    // Signed, the record changes only by an amendment kept beside it.
    let on = SignInput::default().validate(r.meeting.held_on, today).unwrap();
    let signed = secretary.sign_meeting(m.id, r.meeting.version, on).await.unwrap();
    assert_eq!(signed.state, MeetingState::Signed);
    let again = AttendanceInput { lines: vec![presence(dung, "co_mat", "")], guests: String::new() }.validate().unwrap();
    assert_eq!(code(secretary.record_attendance(m.id, signed.version, again).await.unwrap_err()), ErrorCode::MeetingState);
    let fixed = AmendInput { text: "Đồng chí Dũng vắng có lý do (ốm), đã báo trước".into() }.validate("bithu", today).unwrap();
    let amended = secretary.amend_meeting(m.id, signed.version, fixed).await.unwrap();
    let r = secretary.meeting(m.id).await.unwrap();
    assert_eq!((r.amendments.len(), r.counts.absent), (1, 1), "the signed attendance stays as it was");
    // A stale version is refused.
    assert!(matches!(secretary.notify_meeting(m.id, signed.version).await.unwrap_err(), StoreError::Stale { .. }));

    // The cell's secretary does not rate her own meetings; the ward does.
    let rate = RateInput { quality: "kha".into(), note: "Chuẩn bị chu đáo".into() }.validate().unwrap();
    assert_eq!(code(secretary.rate_meeting(m.id, amended.version, rate.clone()).await.unwrap_err()), ErrorCode::RateByUpperLevel);
    let ward_path = s.org(t.ward_a).await.unwrap().path;
    let ward = store.within(&subtree_scope(t.ward_a, &ward_path, true));
    let rated = ward.rate_meeting(m.id, amended.version, rate).await.unwrap();
    assert_eq!(rated.quality, Some(Quality::Fair));
    // Another ward's staff does not see it.
    let other_path = s.org(t.ward_b).await.unwrap().path;
    let other = store.within(&subtree_scope(t.ward_b, &other_path, true));
    assert!(matches!(other.meeting(m.id).await.unwrap_err(), StoreError::NotFound));

    // Every step is in the audit log, in words.
    let log = s.audit_log(&AuditFilter { entity: Some(Entity::Meeting.code().into()), limit: 50, ..Default::default() }).await.unwrap();
    assert_eq!(log.len(), 7, "plan, notice, attendance, minutes, signature, amendment, rating");

    // The figures of November: the cell met; 5 of 8 convened attended; facts and recount
    // agree on the cell, the ward and the province before, during and after the month.
    for (on, held, present) in [(d(2026, 11, 3), 0, 0), (d(2026, 11, 4), 1, 5), (d(2026, 11, 30), 1, 5), (d(2026, 12, 1), 0, 0)] {
        for node in [cell, t.ward_a, t.province] {
            let fast = s.dashboard(node, on).await.unwrap();
            let slow = s.dashboard_recount(node, on).await.unwrap();
            assert_eq!(fast, slow, "dashboard of {node} on {on}");
            assert_eq!(fast.tally.get(&MeetingFigure::HeldMonth.key()), held, "{node} on {on}");
            assert_eq!(fast.tally.get(&MeetingFigure::Present.key()), present, "{node} on {on}");
        }
    }
    let list = s.meeting_attendance(t.ward_a, d(2026, 11, 30), AttendanceList::Attended, 0, 100).await.unwrap();
    assert_eq!(list.total, 5, "the list behind the attendance figure");
    let mut f = chibo_store::stats::OrgFilter { meeting: Some(MeetingFigure::HeldMonth), ..Default::default() };
    assert_eq!(s.counted_orgs(t.ward_a, d(2026, 11, 30), f, 0, 50).await.unwrap().total, 1);
    f.meeting = Some(MeetingFigure::ThematicQuarter);
    assert_eq!(s.counted_orgs(t.ward_a, d(2026, 11, 30), f, 0, 50).await.unwrap().total, 0);
    let _ = (giang, hai);
});

db_test!(missed_meetings_and_repeated_absences_go_on_the_to_do_never_further, |store| {
    let t = tree(store).await;
    let s = store.within(&admin());
    let today = store.today();
    let cell = t.cell_a1;
    let a = official(store, "Nguyễn Văn An", cell).await;
    let b = official(store, "Trần Văn Bảo", cell).await;
    let c = official(store, "Lê Thị Chi", cell).await;
    // Three regular meetings this year; Bảo absent without reason from each.
    let mut last = None;
    for on in ["03/09/2026", "05/10/2026", "04/11/2026"] {
        let m = s.plan_meeting(cell, plan("thuong_ky", on).validate(OrgKind::Cell, today).unwrap()).await.unwrap();
        let att = AttendanceInput { lines: vec![presence(b.id, "vang_khong_ly_do", "")], guests: String::new() }.validate().unwrap();
        let r = s.record_attendance(m.id, m.version, att).await.unwrap();
        last = Some(r.meeting);
    }
    let last = last.unwrap();
    let todo = s.todo(today).await.unwrap();
    let has = |k: TodoKind, sub: Subject| todo.iter().any(|i| i.kind == k && i.subject == sub);
    assert!(has(TodoKind::AbsentRunning, Subject::Member(b.id)));
    assert!(has(TodoKind::AbsentRepeatedly, Subject::Member(b.id)));
    assert!(!has(TodoKind::AbsentRepeatedly, Subject::Member(a.id)));
    // The minutes are not signed: overdue once the rules' week has passed.
    let unsigned = todo.iter().find(|i| i.kind == TodoKind::MinutesUnsigned && i.subject == Subject::Meeting(last.id)).unwrap();
    assert_eq!(unsigned.overdue, today > d(2026, 11, 11));
    // No regular meeting yet this month: the cell is on the list (before the rules' day only
    // while none is planned), the other cells too.
    assert!(has(TodoKind::MeetingDue, Subject::Org(cell)));
    assert!(has(TodoKind::MeetingDue, Subject::Org(t.cell_b1)));
    // The member is still a member: nothing is automatic.
    assert_eq!(s.member(b.id).await.unwrap().status, chibo_domain::member::MemberStatus::Official);
    // The figure and its list: one member absent repeatedly this year, three times.
    let dash = s.dashboard(t.ward_a, d(2026, 11, 30)).await.unwrap();
    assert_eq!(dash.tally.get(&MeetingFigure::AbsentRepeatedly.key()), 1);
    assert_eq!(dash, s.dashboard_recount(t.ward_a, d(2026, 11, 30)).await.unwrap());
    let list = s.meeting_attendance(t.ward_a, d(2026, 11, 30), AttendanceList::Repeated, 0, 10).await.unwrap();
    assert_eq!(list.items.iter().map(|l| (l.member_id, l.absences)).collect::<Vec<_>>(), [(Some(b.id), 3)]);
    // Every month from January was not met: no cell met every month.
    assert_eq!(dash.tally.get(&MeetingFigure::FullYear.key()), 0);
    // A planned meeting in the coming days not notified is on the list; a cancelled one not.
    let soon = (today + chrono::Days::new(2)).format("%d/%m/%Y").to_string();
    let thematic = PlanInput { topic: "Học tập Nghị quyết Đại hội XIV".into(), ..plan("chuyen_de", &soon) };
    let p = s.plan_meeting(t.cell_a2, thematic.validate(OrgKind::Cell, today).unwrap()).await.unwrap();
    assert!(s.todo(today).await.unwrap().iter().any(|i| i.kind == TodoKind::MeetingNotNotified && i.subject == Subject::Meeting(p.id)));
    let cancelled = s.cancel_meeting(p.id, p.version, "Trùng lịch họp của phường".into()).await.unwrap();
    assert_eq!(cancelled.state, MeetingState::Cancelled);
    assert!(!s.todo(today).await.unwrap().iter().any(|i| i.subject == Subject::Meeting(p.id)));
    let _ = c;
});

db_test!(a_committee_meeting_convenes_the_committee_of_the_day, |store| {
    use chibo_domain::committee::command::{SeatInput, TermInput};
    let t = tree(store).await;
    let s = store.within(&admin());
    let book = store.rule_book().await.unwrap();
    let today = store.today();
    let a = official(store, "Nguyễn Văn An", t.cell_a1).await;
    let b = official(store, "Trần Văn Bảo", t.cell_a2).await;
    let term = s
        .open_term(t.ward_a, TermInput { starts_on: "01/08/2025".into(), ..Default::default() }.validate(OrgKind::GrassrootsCommittee, &book, today).unwrap())
        .await
        .unwrap();
    for (m, p) in [(a.id, "bi_thu"), (b.id, "pho_bi_thu")] {
        let seat = SeatInput { member: Picked::Found(m), position: p.into(), basis: "bau".into(), from: "01/08/2025".into(), ..Default::default() };
        s.assign_seat(term.id, seat.validate(OrgKind::GrassrootsCommittee, &term, today).unwrap()).await.unwrap();
    }
    // A ward holds no regular cell meeting, only its committee's.
    assert_eq!(plan("thuong_ky", "02/11/2026").validate(OrgKind::GrassrootsCommittee, today).unwrap_err().errors[0].code, ErrorCode::MeetingKindNotInOrg);
    let m = s.plan_meeting(t.ward_a, plan("cap_uy", "02/11/2026").validate(OrgKind::GrassrootsCommittee, today).unwrap()).await.unwrap();
    let r = s.meeting(m.id).await.unwrap();
    let names: Vec<(&str, Role, Presence)> = r.attendees.iter().map(|x| (x.name.as_str(), x.role, x.presence)).collect();
    assert_eq!(names, [("Nguyễn Văn An", Role::Seat, Presence::Present), ("Trần Văn Bảo", Role::Seat, Presence::Present)]);
    assert_eq!((r.counts.convened, r.vote_base), (2, 2));
    // Committee meetings are not cell meetings: no figure moves.
    let att = AttendanceInput::default().validate().unwrap();
    s.record_attendance(m.id, m.version, att).await.unwrap();
    let dash = s.dashboard(t.ward_a, d(2026, 11, 30)).await.unwrap();
    assert_eq!(dash.tally.get(&MeetingFigure::HeldMonth.key()), 0);
    assert_eq!(dash, s.dashboard_recount(t.ward_a, d(2026, 11, 30)).await.unwrap());
});
