//! The demo reproduces the figures published in the source articles, on both engines, and
//! small generated scales add up.

use chibo_gen::demo::reference_date;
use chibo_gen::{Scale, load_demo, load_scale};
use chibo_store::Scope;
use chibo_store::member::MemberFilter;
use chibo_store::{Store, db_test};
use chrono::Datelike;

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

async fn stats(store: &Store, org: &str, on: chrono::NaiveDate) -> chibo_store::stats::OrgStats {
    let s = store.operator("test");
    let o = s.resolve_org(org).await.unwrap_or_else(|e| panic!("{org}: {e}"));
    s.org_stats(o.id, on).await.unwrap()
}

db_test!(demo_reproduces_the_articles_figures, |store| {
    let counts = load_demo(store, 2021).await.unwrap();
    // People who left since 2021 stay on record beside those admitted since.
    assert!(counts.members > 104_700 && counts.members < 107_000, "{}", counts.members);
    // November 2021: the figures of the articles, in the tree of the time.
    let on = reference_date();
    let qn = stats(store, "Đảng bộ tỉnh Quảng Ninh", on).await;
    assert_eq!(qn.in_transit, 0);
    assert_eq!((qn.direct_children, qn.grassroots_orgs, qn.cells_under_grassroots, qn.members), (20, 696, 4_971, 104_700), "Quảng Ninh on {on}");
    assert_eq!(qn.official + qn.probationary, qn.members);
    assert!(qn.women > 20_000 && qn.women < 50_000);
    // Đảng bộ thành phố Cẩm Phả was dissolved on 1/7/2025; its past is still there.
    let cp = stats(store, "Đảng bộ thành phố Cẩm Phả", on).await;
    assert_eq!((cp.direct_children, cp.grassroots_orgs, cp.cells_under_grassroots, cp.members), (51, 51, 366, 10_379), "Cẩm Phả on {on}");
    let hl = stats(store, "Đảng bộ thành phố Hạ Long", on).await;
    assert_eq!(hl.grassroots_orgs, 88);
    assert!(hl.members > 16_000, "hơn 16.000: {}", hl.members);
    let tb = stats(store, "Đảng bộ xã Tân Bình", on).await;
    assert_eq!((tb.members, tb.cells_under_grassroots), (164, 14));
    // Đảng bộ Than Quảng Ninh is not territorial: the reform leaves it as it was.
    for on in [reference_date(), today()] {
        let than = stats(store, "Đảng bộ Than Quảng Ninh", on).await;
        assert_eq!((than.grassroots_orgs, than.direct_children), (40, 40));
        assert!((18_500..19_000).contains(&than.members), "gần 19.000: {}", than.members);
    }
    // Today: the district level is gone. Under the province, one committee per 2025 commune
    // of the data file and the seven committees that are not territorial; no member changed
    // cells, so the province counts the same members (one of them in transit between two
    // cells of Cửa Ông, counted beside the members, never in two places).
    let communes = chibo_gen::places::province_by_name("Quảng Ninh").unwrap().communes.len() as i64;
    assert_eq!(communes, 54);
    let now = stats(store, "Đảng bộ tỉnh Quảng Ninh", today()).await;
    assert_eq!((now.direct_children, now.members + now.in_transit, now.in_transit), (communes + 7, 104_700, 1));
    let s = store.operator("test");
    let province = s.resolve_org("Đảng bộ tỉnh Quảng Ninh").await.unwrap();
    let kids = s.children(province.id, today()).await.unwrap();
    let territorial: Vec<_> = kids.iter().filter(|k| k.category == chibo_domain::org::OrgCategory::Commune).collect();
    assert_eq!(territorial.len() as i64, communes);
    assert!(kids.iter().all(|k| k.kind == chibo_domain::org::OrgKind::UpperGrassroots));
    for k in &territorial {
        assert!(["Đảng bộ xã ", "Đảng bộ phường ", "Đảng bộ đặc khu "].iter().any(|p| k.name.starts_with(p)), "{}", k.name);
    }
    for gone in ["thành phố", "thị xã", "huyện"] {
        assert!(kids.iter().all(|k| !k.name.contains(gone)), "no district-level committee is alive: {kids:?}");
    }
    let cp_org = s.resolve_org("Đảng bộ thành phố Cẩm Phả").await.unwrap();
    assert_eq!(cp_org.dissolved_on, Some(chibo_gen::reform::reform_date()));
    assert!(s.node_at(cp_org.id, today()).await.unwrap().is_none());
    for name in ["Đảng bộ đặc khu Vân Đồn", "Đảng bộ phường Cẩm Phả", "Đảng bộ xã Tiên Yên", "Đảng bộ Công an tỉnh"] {
        assert!(kids.iter().any(|k| k.name == name), "{name} under the province today");
    }
    // The reform day changes the tree, not the members.
    let eve = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    let before = stats(store, "Đảng bộ tỉnh Quảng Ninh", eve).await;
    let after = stats(store, "Đảng bộ tỉnh Quảng Ninh", chibo_gen::reform::reform_date()).await;
    assert_eq!((before.direct_children, after.direct_children), (20, communes + 7));
    assert_eq!((before.members, before.in_transit, before.official), (after.members, after.in_transit, after.official));
    // Probationary members of November 2021 have been recognized since; today's probationary
    // members were admitted in the last year.
    let then = stats(store, "Đảng bộ tỉnh Quảng Ninh", reference_date()).await;
    let now = stats(store, "Đảng bộ tỉnh Quảng Ninh", today()).await;
    assert!(then.probationary > 1_000, "{}", then.probationary);
    assert!(now.probationary > 300 && now.probationary < then.probationary, "{} → {}", then.probationary, now.probationary);
    // The named places are there: Chi bộ khu phố 3 of phường Cửa Ông and its secretary. The
    // ward's committee became the commune-level committee of the new phường Cửa Ông, and its
    // cells chi bộ cơ sở under it; khu phố 3 keeps its members.
    use chibo_domain::org::OrgKind;
    let cuaong = s.resolve_org("Đảng bộ phường Cửa Ông").await.unwrap();
    let then = s.node_at(cuaong.id, reference_date()).await.unwrap().unwrap();
    assert_eq!((then.kind, then.parent_id), (OrgKind::GrassrootsCommittee, Some(cp_org.id)));
    assert_eq!((cuaong.kind, cuaong.parent_id), (OrgKind::UpperGrassroots, Some(province.id)));
    let kids = s.children(cuaong.id, today()).await.unwrap();
    let kp3 = kids.iter().find(|k| k.name == "Chi bộ khu phố 3").expect("Chi bộ khu phố 3");
    assert_eq!(kp3.kind, OrgKind::GrassrootsCell);
    let kp3_then = s.children(cuaong.id, reference_date()).await.unwrap().into_iter().find(|k| k.id == kp3.id).expect("khu phố 3 in 2021");
    assert_eq!((kp3_then.name.as_str(), kp3_then.kind), ("Chi bộ khu phố 3", OrgKind::Cell));
    let kp3_eve = s.org_stats(kp3.id, eve).await.unwrap();
    let kp3_day = s.org_stats(kp3.id, chibo_gen::reform::reform_date()).await.unwrap();
    assert_eq!(kp3_eve.members, kp3_day.members);
    assert!(kp3_eve.members >= 5);
    let found = s.list_members(kp3.id, &MemberFilter { query: Some("nguyen van thanh".into()), ..Default::default() }, 0, 10).await.unwrap();
    let thanh = found.items.iter().find(|m| m.profile.party_position.as_deref().is_some_and(|p| p.contains("Bí thư"))).expect("Nguyễn Văn Thành, bí thư");
    assert_eq!(thanh.profile.full_name, "Nguyễn Văn Thành");
    assert!(thanh.profile.government_position.as_deref().unwrap().contains("Trưởng khu phố 3"));
    // The work in progress shows on the to-do lists of the province and of khu phố 3.
    use chibo_store::todo::TodoKind;
    let qn = s.resolve_org("Đảng bộ tỉnh Quảng Ninh").await.unwrap();
    let within = |org: i64, path: chibo_domain::org::OrgPath| {
        Scope::for_tests(
            chibo_domain::scope::Actor::System { what: "test".into() },
            chibo_domain::scope::Reach::Subtree { org, path },
            chibo_domain::scope::Rights::Full,
        )
    };
    let province = store.within(&within(qn.id, qn.path.clone()));
    let todo = province.todo(today()).await.unwrap();
    for kind in [TodoKind::CeremonyOverdue, TodoKind::CertificateExpiring, TodoKind::TransferWaiting, TodoKind::TemporaryEnded, TodoKind::ProbationEnding] {
        assert!(
            todo.iter().any(|i| i.kind == kind),
            "{kind:?} on the province list: {:?}",
            todo.iter().map(|i| i.kind).collect::<std::collections::BTreeSet<_>>()
        );
    }
    let cell = store.within(&within(kp3.id, s.org(kp3.id).await.unwrap().path));
    let mine = cell.todo(today()).await.unwrap();
    // The meetings' items depend on this month's day (see below); the others are fixed.
    let meeting_kinds = ["MeetingDue", "MeetingNotNotified", "MinutesUnsigned", "AbsentRunning", "AbsentRepeatedly"];
    let kinds: std::collections::BTreeSet<_> = mine.iter().map(|i| format!("{:?}", i.kind)).filter(|k| !meeting_kinds.contains(&k.as_str())).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["CeremonyOverdue", "CertificateExpiring", "ProbationEnding", "TemporaryEnded", "TermEnding"],
        "{mine:?}"
    );
    // Committees: Thành has been secretary of khu phố 3 and its head since 2017; on the
    // articles' date every residential cell's secretary is the head of its village or
    // residential group.
    let kp3_committee = cell.committee_on(kp3.id, reference_date()).await.unwrap();
    let secretary = kp3_committee.seats.iter().find(|x| x.seat.position == chibo_domain::committee::Position::Secretary).expect("a secretary in 2021");
    assert_eq!(secretary.seat.full_name, "Nguyễn Văn Thành");
    assert!(
        secretary.posts.iter().any(|p| p.kind == chibo_domain::committee::PostKind::VillageHead && p.place == "Khu phố 3, phường Cửa Ông"),
        "{:?}",
        secretary.posts
    );
    let first = s.member_positions(secretary.seat.member_id).await.unwrap();
    let in_kp3: Vec<_> = first.seats.iter().filter(|s| s.org_name == "Chi bộ khu phố 3").collect();
    assert_eq!(in_kp3.last().unwrap().seat.from.format("%Y").to_string(), "2017");
    let (share, list) = province.committee_share(qn.id, reference_date(), chibo_domain::committee::CommitteeList::VillageHead).await.unwrap();
    assert_eq!((share.count, share.of), (1_542, 1_542), "{:?}", list.iter().filter(|r| !r.meets).take(5).collect::<Vec<_>>());
    assert_eq!(list.len(), 1_542);
    let figures = chibo_domain::stats::Figures::of(&province.dashboard(qn.id, reference_date()).await.unwrap());
    assert_eq!((figures.value("committees.secretary_village_heads"), figures.value("committees.residential_cells")), (1_542, 1_542));
    assert_eq!(figures.figure("committees.secretary_village_heads").unwrap().share, Some(100.0));
    // Every organization of the province has its committee today, the province's with its
    // standing committee and inspection commission; on the articles' date every organization
    // of Cẩm Phả had its working regulation for the term (seed 000: 100%).
    let tree = s.subtree(qn.id, today(), None).await.unwrap();
    let dash = province.dashboard(qn.id, today()).await.unwrap();
    assert_eq!(dash.committees.with_term, tree.len() as i64, "every organization has a running term");
    let top = s.committee_on(qn.id, today()).await.unwrap();
    assert_eq!(top.term.as_ref().map(|t| t.label.as_str()), Some("Nhiệm kỳ 2025 – 2030"));
    let held = |p: chibo_domain::committee::Position| top.seats.iter().filter(|x| x.seat.position == p).count();
    use chibo_domain::committee::Position as P;
    assert_eq!((held(P::Secretary), held(P::StandingMember) > 5, held(P::InspectionChair)), (1, true, 1), "{:?}", top.seats);
    let cam_pha = s.resolve_org("Đảng bộ thành phố Cẩm Phả").await.unwrap();
    let cp_dash = province.dashboard(cam_pha.id, reference_date()).await.unwrap();
    assert!(cp_dash.committees.with_term > 400, "{:?}", cp_dash.committees);
    assert_eq!(cp_dash.committees.with_regulation, cp_dash.committees.with_term);
    // The district was dissolved on 1/7/2025, its last term with it.
    assert!(s.committee_on(cam_pha.id, reference_date()).await.unwrap().term.is_some());
    assert!(s.terms(cam_pha.id).await.unwrap().iter().all(|t| t.ended_on.is_some_and(|e| e <= chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap())));
    // The ward's committee, appointed on 1/7/2025, shares out its cells: someone of it is in
    // charge of Chi bộ khu phố 3 (seed 001: ủy viên BTV, đảng ủy viên phụ trách chi bộ TDP).
    let who = s.in_charge_of(kp3.id, today()).await.unwrap();
    assert_eq!(who.iter().map(|w| w.committee_org.as_str()).collect::<Vec<_>>(), ["Đảng bộ phường Cửa Ông"], "{who:?}");
    // A year of meetings: Chi bộ khu phố 3 met most months, each with its attendance from
    // the roll of the day and its minutes; the ward's member in charge came now and then.
    use chibo_domain::meeting::{MeetingFigure, MeetingKind, MeetingState};
    let regular = chibo_store::meeting::MeetingFilter { kind: Some(MeetingKind::Regular), only_org: true, ..Default::default() };
    let kp3_meetings = cell.meetings(kp3.id, &regular, 0, 50).await.unwrap();
    assert!((10..=13).contains(&kp3_meetings.total), "{}", kp3_meetings.total);
    let held = kp3_meetings.items.iter().find(|l| l.meeting.state == MeetingState::Signed).expect("a signed meeting");
    let rec = cell.meeting(held.meeting.id).await.unwrap();
    assert!(rec.attendance_recorded && !rec.items_from_template && rec.counts.quorum_met, "{rec:?}");
    assert_eq!(rec.counts.convened, held.convened);
    assert!(rec.items.iter().any(|i| !i.votes.is_empty()) && rec.meeting.chair.is_some());
    // Across the province last month: most cells met, some did not; the figures summed from
    // the facts equal those counted again from the meetings.
    let last_month = today().with_day(1).unwrap() - chrono::Days::new(1);
    let dash = province.dashboard(qn.id, last_month).await.unwrap();
    let cells = dash.tally.get("kind:chi_bo_truc_thuoc") + dash.tally.get("kind:chi_bo_co_so");
    let met = dash.tally.get(&MeetingFigure::HeldMonth.key());
    assert!(met * 100 > cells * 80 && met < cells, "{met} of {cells} cells met in {last_month}");
    assert!(dash.tally.get(&MeetingFigure::Present.key()) * 100 > dash.tally.get(&MeetingFigure::Convened.key()) * 80);
    let cuaong_dash = province.dashboard(cuaong.id, last_month).await.unwrap();
    assert_eq!(cuaong_dash, province.dashboard_recount(cuaong.id, last_month).await.unwrap());
    let ward = s.committee_on(cuaong.id, today()).await.unwrap();
    assert!(ward.seats.iter().all(|x| x.seat.basis == chibo_domain::committee::SeatBasis::Appointed), "{:?}", ward.seats);
    assert_eq!(cell.residents(kp3.id, today()).await.unwrap().len(), 3);
    // Xã Tân Bình has no 2025 namesake: its committee was merged into a commune of huyện Đầm
    // Hà, where its cells carry its name.
    let tan_binh = s.resolve_org("Đảng bộ xã Tân Bình").await.unwrap();
    let rural = s.children(tan_binh.id, reference_date()).await.unwrap().iter().filter(|c| c.name.starts_with("Chi bộ thôn")).count();
    assert_eq!(rural, 9);
    assert!(s.node_at(tan_binh.id, today()).await.unwrap().is_none());
    let moved = s.search_orgs("Chi bộ thôn 1 Tân Bình", 5).await.unwrap();
    assert_eq!(moved.len(), 1, "{moved:?}");
    let dam_ha = s.org(moved[0].parent_id.unwrap()).await.unwrap();
    assert!(["Đảng bộ xã Đầm Hà", "Đảng bộ xã Quảng Tân"].contains(&dam_ha.name.as_str()), "{}", dam_ha.name);
});

db_test!(generated_commune_adds_up_and_reads_back, |store| {
    let counts = load_scale(store, Scale::Commune, 3, |_, _| {}).await.unwrap();
    let s = store.operator("test");
    let root = s.resolve_org("TW").await.unwrap();
    let st = s.org_stats(root.id, today()).await.unwrap();
    assert_eq!(st.members as u64, counts.members);
    assert_eq!(st.direct_children, 1);
    assert!((14..=18).contains(&st.grassroots_orgs), "{}", st.grassroots_orgs);
    assert!((90..=120).contains(&st.cells_under_grassroots), "{}", st.cells_under_grassroots);
    assert!((1_500..=1_900).contains(&st.members), "{}", st.members);
    // Before the 1/7/2025 reorganization these organizations did not exist.
    let before = s.org_stats(root.id, chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()).await.unwrap();
    assert_eq!((before.members, before.grassroots_orgs), (0, 0));
    // The bulk-loaded rows behave like interactively written ones: a member can be edited.
    use chibo_domain::member::{MemberChange, MemberEvent, MemberStatus};
    let official = MemberFilter { statuses: vec![MemberStatus::Official], ..Default::default() };
    let page = s.list_members(root.id, &official, 0, 1).await.unwrap();
    let m = &page.items[0];
    let after = s.record_member_event(m.id, m.version, MemberEvent { on: today(), change: MemberChange::Exempted }, None).await.unwrap();
    assert_eq!((after.status, after.version), (MemberStatus::Exempt, m.version + 1));
    assert_eq!(s.member_history(m.id).await.unwrap().last().unwrap().change, MemberChange::Exempted);
    // Every organization that holds members has a committee today; the residential ones'
    // secretaries are their villages' heads.
    let (heads, list) = s.committee_share(root.id, today(), chibo_domain::committee::CommitteeList::VillageHead).await.unwrap();
    assert!(heads.of > 0 && heads.count == heads.of, "{heads:?}");
    let cell = s.committee_on(list[0].org_id, today()).await.unwrap();
    assert!(cell.term.is_some() && cell.seats.iter().any(|x| x.seat.position == chibo_domain::committee::Position::Secretary), "{cell:?}");
    // So has every organization above them, the root of the party aside; someone of the
    // commune's committee is in charge of each of its residential cells.
    let tree = s.subtree(root.id, today(), None).await.unwrap();
    let dash = s.dashboard(root.id, today()).await.unwrap();
    assert_eq!(dash.committees.with_term, tree.len() as i64 - 1, "{:?}", dash.committees);
    let commune = tree.iter().find(|n| n.kind == chibo_domain::org::OrgKind::UpperGrassroots).unwrap();
    let who = s.in_charge_of(list[0].org_id, today()).await.unwrap();
    assert_eq!(who.iter().map(|w| w.committee_org.as_str()).collect::<Vec<_>>(), [commune.name.as_str()]);
    let top = s.committee_on(commune.id, today()).await.unwrap();
    assert!(top.seats.iter().any(|x| x.seat.position == chibo_domain::committee::Position::StandingMember), "{top:?}");
    // A year of meetings in every cell since the reorganization, counted as facts like the
    // rest: the figures of last month equal those counted again from the meetings.
    let last_month = today().with_day(1).unwrap() - chrono::Days::new(1);
    let dash = s.dashboard(root.id, last_month).await.unwrap();
    assert!(dash.tally.get(&chibo_domain::meeting::MeetingFigure::HeldMonth.key()) > 0, "{:?}", dash.tally);
    assert_eq!(dash, s.dashboard_recount(root.id, last_month).await.unwrap());
});

db_test!(bulk_load_refuses_a_database_with_data, |store| {
    load_scale(store, Scale::Cell, 1, |_, _| {}).await.unwrap();
    assert!(load_scale(store, Scale::Cell, 1, |_, _| {}).await.is_err());
    let s = store.operator("test");
    let root = s.resolve_org("TW").await.unwrap();
    assert_eq!(s.org_stats(root.id, today()).await.unwrap().members, 25);
});
