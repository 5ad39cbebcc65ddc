//! Committees for generated organizations: a succession of terms by the rules' lengths (a
//! cell's congress every 30 months, a committee's every five years), each with a secretary,
//! a deputy where the organization is large enough, a chi ủy where the cell has nine official
//! members, committee members and an inspection chair in a grassroots committee, a standing
//! committee and an inspection commission from the commune level up; the secretary of a
//! residential cell is also the village or residential group's head (nhất thể hoá). The
//! running term's members share out the organizations below (phân công phụ trách). A
//! dissolved organization's last term ends the day it was dissolved; one founded by decision
//! has its first committee appointed. Seats follow their holders' lives by the same domain
//! function the store uses ([`chibo_domain::committee::follow`]).

use chibo_domain::calendar::add_months;
use chibo_domain::committee::{Duty, DutyField, Left, Position, Post, PostKind, Regulation, Seat, SeatBasis, SeatEnd, Term, follow, term_label};
use chibo_domain::member::{MemberSpan, MemberStatus};
use chibo_domain::org::{OrgCategory, OrgId, OrgKind};
use chibo_domain::rules::RuleBook;
use chibo_store::bulk::{CommitteeRow, MemberRow};
use chrono::NaiveDate;

/// The next keys of terms, seats and posts.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    term: i64,
    seat: i64,
    post: i64,
    regulation: i64,
    duty: i64,
}

impl Default for Keys {
    fn default() -> Self {
        Keys { term: 1, seat: 1, post: 1, regulation: 1, duty: 1 }
    }
}

/// An organization that gets a committee.
pub struct Org<'a> {
    /// Key.
    pub id: OrgId,
    /// Level.
    pub kind: OrgKind,
    /// Category.
    pub category: OrgCategory,
    /// The first term starts on this day (a congress), or the day after founding if later.
    pub first_term: NaiveDate,
    /// Founding date.
    pub founded: NaiveDate,
    /// Where the secretary is the head ("Khu phố 3, phường Cửa Ông").
    pub place: &'a str,
    /// The day its line of terms stops, if it does (dissolved, or a reorganization gave it a
    /// new committee): the term running then ends that day and none starts after.
    pub until: Option<NaiveDate>,
    /// Its first committee was appointed by the upper level (an organization founded by
    /// decision, as the commune-level committees of 1/7/2025), not elected.
    pub appointed_first: bool,
    /// The organizations under it that today's committee members are each in charge of
    /// (phụ trách), shared out among them.
    pub in_charge: &'a [OrgId],
}

impl<'a> Org<'a> {
    /// An organization with an elected committee from `first_term`, never dissolved, no one
    /// in charge of anything below it.
    pub fn new(id: OrgId, kind: OrgKind, category: OrgCategory, first_term: NaiveDate, founded: NaiveDate, place: &'a str) -> Org<'a> {
        Org { id, kind, category, first_term, founded, place, until: None, appointed_first: false, in_charge: &[] }
    }
}

/// The seats a committee of this level fills at its congress (cells: by their size, in
/// [`committees`]).
fn positions_of(kind: OrgKind) -> Vec<Position> {
    use Position as P;
    let mut v = vec![P::Secretary, P::Deputy];
    match kind {
        OrgKind::Province | OrgKind::Central => {
            v.extend([P::Deputy, P::Deputy]);
            v.extend([P::StandingMember; 9]);
            v.extend([P::Member; 12]);
            v.extend([P::InspectionChair, P::InspectionDeputy, P::InspectionDeputy, P::InspectionMember, P::InspectionMember]);
        }
        OrgKind::UpperGrassroots => {
            v.push(P::Deputy);
            v.extend([P::StandingMember; 4]);
            v.extend([P::Member; 8]);
            v.extend([P::InspectionChair, P::InspectionDeputy, P::InspectionMember]);
        }
        _ => {
            v.extend([P::Member; 4]);
            if P::InspectionChair.exists_in(kind) {
                v.push(P::InspectionChair);
            }
        }
    }
    v
}

/// The field a committee member of this position looks after, the `i`-th of its kind.
fn field_of(position: Position, i: usize) -> DutyField {
    const FIELDS: [DutyField; 6] =
        [DutyField::Organization, DutyField::Propaganda, DutyField::MassMobilization, DutyField::Economy, DutyField::Security, DutyField::Office];
    match position {
        Position::Secretary => DutyField::Organization,
        Position::InspectionChair | Position::InspectionDeputy | Position::InspectionMember => DutyField::Inspection,
        _ => FIELDS[i % FIELDS.len()],
    }
}

fn holds(spans: &[MemberSpan], inside: &impl Fn(OrgId) -> bool, on: NaiveDate) -> Option<MemberStatus> {
    spans
        .iter()
        .find(|s| s.from <= on && on < s.until && inside(s.cell))
        .map(|s| s.status)
        .filter(|s| matches!(s, MemberStatus::Probationary | MemberStatus::Official))
}

/// The terms of an organization up to `today`, with their seats and the secretary's posts.
/// `members` are candidates (members of the organization's cells at some time), in the order
/// the generator prefers them; `inside` says whether a cell is inside the organization.
pub fn committees(
    keys: &mut Keys,
    org: &Org<'_>,
    members: &[&MemberRow],
    inside: impl Fn(OrgId) -> bool,
    book: &RuleBook,
    today: NaiveDate,
) -> Vec<CommitteeRow> {
    let mut out = Vec::new();
    let mut start = org.first_term.max(org.founded + chrono::Days::new(1));
    let mut previous_secretary: Option<i64> = None;
    let mut post_open: Option<usize> = None;
    let mut posts: Vec<(usize, Post)> = Vec::new();
    while start <= today && org.until.is_none_or(|d| start < d) {
        let rules = &book.at(start).committee;
        let length = rules.term_length(org.kind, false);
        let planned_end = add_months(start, length);
        let next = match org.until {
            Some(d) if d < planned_end => d,
            _ => planned_end,
        };
        let ended_on = (next <= today).then_some(next);
        let basis = if org.appointed_first && out.is_empty() { SeatBasis::Appointed } else { SeatBasis::Elected };
        let term = Term {
            id: keys.term,
            org_id: org.id,
            label: term_label(start, planned_end),
            starts_on: start,
            planned_end,
            ended_on,
            pilot: false,
            planned_size: None,
            village_head_expected: org.category == OrgCategory::Residential && org.kind.holds_members(),
            congress_id: None,
            version: 1,
        };
        keys.term += 1;
        // Who can sit: members of the organization on the congress's day, officials first.
        let mut eligible: Vec<(&MemberRow, MemberStatus)> = members.iter().filter_map(|m| holds(&m.history.spans, &inside, start).map(|s| (*m, s))).collect();
        eligible.sort_by_key(|(m, s)| (*s != MemberStatus::Official, Some(m.id) != previous_secretary));
        let official = eligible.iter().filter(|(_, s)| *s == MemberStatus::Official).count() as u32;
        let positions = if org.kind.holds_members() {
            let mut v = vec![Position::Secretary];
            if eligible.len() >= 5 {
                v.push(Position::Deputy);
            }
            if official >= book.at(start).cell_committee_min_official {
                v.extend([Position::Member; 3]);
            }
            v
        } else {
            positions_of(org.kind)
        };
        let mut seats = Vec::new();
        for (position, (m, _)) in positions.into_iter().zip(eligible.iter()) {
            let f = follow(start, &m.history.spans, |cell, _| inside(cell), false, |d| book.at(d).committee.clone());
            let left: Option<Left> = f.left.filter(|l| ended_on.is_none_or(|e| l.on < e));
            let (until, end) = match (ended_on, left) {
                (Some(e), None) => (Some(e), Some(SeatEnd::TermEnded)),
                _ => (None, None),
            };
            let seat = Seat {
                id: keys.seat,
                term_id: term.id,
                member_id: m.id,
                full_name: m.profile.full_name.clone(),
                position,
                basis,
                from: start,
                until,
                end,
                decision_no: Some(match basis {
                    SeatBasis::Appointed => format!("{}-QĐ/TU", 100 + keys.term % 900),
                    SeatBasis::Elected => format!("{}-QĐ/ĐU", 1 + keys.seat % 300),
                }),
                approved_on: None,
                approval_no: None,
                note: None,
                left,
                version: 1,
            };
            keys.seat += 1;
            if position == Position::Secretary && term.village_head_expected {
                // The secretary is the head of the village or residential group: a post that
                // runs while they are secretary.
                let ends = seat.ends_on();
                match post_open {
                    Some(i) if previous_secretary == Some(m.id) => posts[i].1.until = ends,
                    _ => {
                        if let Some(i) = post_open {
                            posts[i].1.until = posts[i].1.until.or(Some(start));
                        }
                        posts.push((
                            out.len(),
                            Post {
                                id: keys.post,
                                member_id: m.id,
                                full_name: m.profile.full_name.clone(),
                                kind: PostKind::VillageHead,
                                place: org.place.to_owned(),
                                from: start,
                                until: ends,
                                note: None,
                                version: 1,
                            },
                        ));
                        keys.post += 1;
                        post_open = Some(posts.len() - 1);
                    }
                }
                previous_secretary = Some(m.id);
            } else if position == Position::Secretary {
                previous_secretary = Some(m.id);
            }
            seats.push(seat);
        }
        // The working regulation, adopted within the rules' months of the congress.
        let adopted_on = start + chrono::Days::new(20 + (keys.term as u64 * 7) % 60);
        let regulations = if adopted_on <= today {
            keys.regulation += 1;
            vec![Regulation {
                id: keys.regulation - 1,
                term_id: term.id,
                revision: 1,
                adopted_on,
                decision_no: format!("{:02}-QĐ/{}", 1 + keys.regulation % 20, if org.kind.holds_members() { "CB" } else { "ĐU" }),
                text: Some(format!(
                    "Quy chế làm việc {} {}. Điều 1: nguyên tắc tập trung dân chủ, tập thể lãnh đạo, cá nhân phụ trách. Điều 2: nhiệm vụ của bí thư, phó bí thư và từng cấp ủy viên. Điều 3: chế độ sinh hoạt định kỳ hằng tháng.",
                    term.label.to_lowercase(),
                    if org.kind.holds_members() { "của chi bộ" } else { "của đảng ủy" }
                )),
                file: None,
                version: 1,
            }]
        } else {
            Vec::new()
        };
        let duties = if ended_on.is_none() { duties_of(keys, org, &seats, start) } else { Vec::new() };
        out.push(CommitteeRow { term, seats, posts: Vec::new(), regulations, duties });
        start = next;
    }
    for (i, p) in posts {
        out[i].posts.push(p);
    }
    out
}

/// The duties of a running term's committee members (phân công nhiệm vụ), a fortnight after
/// the congress: the secretary leads the whole; every other member still seated looks after a
/// field and is in charge of a share of the organizations below, attending their monthly
/// meetings.
fn duties_of(keys: &mut Keys, org: &Org<'_>, seats: &[Seat], start: NaiveDate) -> Vec<Duty> {
    let from = start + chrono::Days::new(14);
    let held: Vec<&Seat> = seats.iter().filter(|s| s.ends_on().is_none_or(|e| e > from)).collect();
    let others: Vec<&&Seat> = held.iter().filter(|s| s.position != Position::Secretary).collect();
    let mut shares: Vec<Vec<OrgId>> = vec![Vec::new(); others.len()];
    for (i, o) in org.in_charge.iter().enumerate() {
        if let Some(share) = shares.get_mut(i % others.len().max(1)) {
            share.push(*o);
        }
    }
    let mut out = Vec::new();
    let mut push = |seat: &Seat, field: DutyField, text: String, in_charge_of: Vec<OrgId>| {
        out.push(Duty {
            id: keys.duty,
            seat_id: seat.id,
            full_name: seat.full_name.clone(),
            field,
            in_charge_names: Vec::new(),
            in_charge_of,
            text,
            from,
            until: seat.ends_on().filter(|e| *e > from),
            version: 1,
        });
        keys.duty += 1;
    };
    if let Some(secretary) = held.iter().find(|s| s.position == Position::Secretary) {
        push(secretary, DutyField::Organization, "Phụ trách chung; trực tiếp phụ trách công tác tổ chức, cán bộ".to_owned(), Vec::new());
    }
    for (i, (seat, share)) in others.iter().zip(shares).enumerate() {
        let text = if share.is_empty() {
            format!("Phụ trách lĩnh vực {}", field_of(seat.position, i).label_vi().to_lowercase())
        } else {
            format!(
                "Phụ trách lĩnh vực {}; dự sinh hoạt hằng tháng với {} tổ chức đảng được phân công",
                field_of(seat.position, i).label_vi().to_lowercase(),
                share.len()
            )
        };
        push(seat, field_of(seat.position, i), text, share);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, replay};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(id: i64, name: &str, events: Vec<MemberEvent>) -> MemberRow {
        let profile = MemberInput { full_name: name.into(), gender: "nam".into(), birth_date: "01/01/1960".into(), ..Default::default() }
            .validate(d(2026, 12, 3))
            .unwrap();
        let history = replay(profile.birth_date, &events, d(2026, 12, 3)).unwrap();
        MemberRow { id, profile, events: events.into_iter().map(|e| (e, None)).collect(), history }
    }

    fn book() -> RuleBook {
        let mut v: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../store/src/migration/m0005_rules.json")).unwrap();
        v[0]["temporary_transfer_min_months"] = 3.into();
        v[0]["committee"] = serde_json::json!({
            "term_months": 60, "cell_term_months": 30, "cell_term_months_pilot": 60, "cell_committee_max": 7,
            "seat_effects": [["suspended", "suspend"], ["in_transit", "end"], ["transferred_out", "end"], ["deceased", "end"]],
            "appointed_may_be_outside": true, "congress_warning_months": 6, "regulation_due_months": 3, "regulation_max_bytes": 1000
        });
        RuleBook::from_json(&serde_json::to_string(&v).unwrap()).unwrap()
    }

    #[test]
    fn a_residential_cell_keeps_its_secretary_as_village_head_until_he_dies() {
        let cell = 7;
        let admitted = |on| MemberEvent { on, change: MemberChange::Admitted { cell } };
        let official = |on| MemberEvent { on, change: MemberChange::MadeOfficial };
        let mut people: Vec<MemberRow> = (0..6).map(|i| member(i + 1, &format!("Người {i}"), vec![admitted(d(2000, 1, 1)), official(d(2001, 1, 1))])).collect();
        people[0] = member(
            1,
            "Nguyễn Văn Thành",
            vec![admitted(d(1985, 5, 19)), official(d(1986, 5, 19)), MemberEvent { on: d(2024, 2, 1), change: MemberChange::Died }],
        );
        let refs: Vec<&MemberRow> = people.iter().collect();
        let org = Org::new(cell, OrgKind::Cell, OrgCategory::Residential, d(2017, 3, 15), d(1990, 1, 1), "Khu phố 3");
        let rows = committees(&mut Keys::default(), &org, &refs, |c| c == cell, &book(), d(2026, 12, 3));
        // Terms every 30 months from 15/03/2017, the last one running.
        assert_eq!(rows.iter().map(|r| r.term.starts_on).collect::<Vec<_>>(), [d(2017, 3, 15), d(2019, 9, 15), d(2022, 3, 15), d(2024, 9, 15)]);
        assert_eq!(rows.last().unwrap().term.ended_on, None);
        // Thành is secretary in the first three terms; he leaves the seat the day he dies.
        let sec = |r: &CommitteeRow| r.seats.iter().find(|s| s.position == Position::Secretary).map(|s| (s.member_id, s.ends_on()));
        assert_eq!(sec(&rows[0]), Some((1, Some(d(2019, 9, 15)))));
        assert_eq!(sec(&rows[2]), Some((1, Some(d(2024, 2, 1)))));
        assert_ne!(sec(&rows[3]).unwrap().0, 1);
        // One post for his years as secretary, another for his successor.
        let posts: Vec<&Post> = rows.iter().flat_map(|r| &r.posts).collect();
        assert_eq!(posts.iter().map(|p| (p.member_id, p.from, p.until)).collect::<Vec<_>>()[0], (1, d(2017, 3, 15), Some(d(2024, 2, 1))));
        assert_eq!(posts.len(), 2);
    }
}
