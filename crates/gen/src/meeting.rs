//! Meetings for generated cells: a regular meeting every month on the cell's usual day (a
//! few months missed, more in a weak cell), a thematic meeting most quarters, each with the
//! attendance of the roll of its day (the same domain function the store uses:
//! [`chibo_domain::meeting::roll`]), most members present, some excused with a reason, a few
//! absent without one (a handful of members often), the upper committee's member in charge
//! now and then; the minutes (the rules' agenda with reports, opinions, a conclusion and
//! the month's resolution put to the vote) when asked for; signed within days, except the
//! last one at times; this month's meeting planned and notified when its day is still ahead.

use chibo_domain::meeting::{Attendee, Counts, Item, Meeting, MeetingKind, MeetingRules, MeetingState, Opinion, Presence, Role, RollMember, Vote, roll};
use chibo_domain::member::{MemberId, MemberStatus};
use chibo_domain::org::OrgId;
use chibo_domain::rules::RuleBook;
use chibo_store::bulk::{MeetingRow, MemberRow};
use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;

/// The next key of meetings.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    meeting: i64,
}

impl Default for Keys {
    fn default() -> Self {
        Keys { meeting: 1 }
    }
}

/// A cell whose meetings are generated.
pub struct Cell<'a> {
    /// Key.
    pub id: OrgId,
    /// Its members (every member whose spans pass through it).
    pub members: &'a [&'a MemberRow],
    /// The first month with a meeting (its first day).
    pub from: NaiveDate,
    /// Where it meets.
    pub place: &'a str,
    /// The upper committee's members in charge of it, with their names.
    pub in_charge: &'a [(MemberId, String)],
    /// Write the minutes (items, opinions, votes), not only the attendance.
    pub minutes: bool,
}

const EXCUSES: [&str; 6] = ["Ốm", "Đi công tác", "Việc gia đình", "Đang điều trị tại bệnh viện", "Tuổi cao, sức yếu", "Đi học tập trung"];

const REPORTS: [&str; 4] = [
    "Chi bộ lãnh đạo hoàn thành các chỉ tiêu thu quỹ, vệ sinh môi trường và an ninh trật tự trên địa bàn",
    "Các tổ dân cư duy trì tốt phong trào toàn dân đoàn kết xây dựng đời sống văn hóa",
    "Hoàn thành việc rà soát hộ nghèo, cận nghèo và vận động nhân dân tham gia bảo hiểm y tế",
    "Tổ chức ra quân làm sạch đường làng, ngõ xóm và trồng cây xanh tại nhà văn hóa",
];

const OPINIONS: [&str; 4] = [
    "Đề nghị chi bộ quan tâm hơn đến việc thu đảng phí đúng hạn",
    "Cần tăng cường tuyên truyền để nhân dân chấp hành quy định về an toàn giao thông",
    "Nhất trí với báo cáo, đề nghị bổ sung kế hoạch chăm lo gia đình chính sách",
    "Đề nghị phân công đảng viên phụ trách từng tổ dân cư cụ thể hơn",
];

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    chibo_domain::calendar::add_months(first_of_month(d), 1)
}

/// The roll of the cell on a day from its members' spans.
fn roll_on(cell: &Cell<'_>, on: NaiveDate) -> Vec<RollMember> {
    cell.members
        .iter()
        .filter_map(|m| {
            let s = m.history.spans.iter().find(|s| s.from <= on && on < s.until && s.cell == cell.id)?;
            Some(RollMember { member_id: m.id, name: m.profile.full_name.clone(), status: s.status, away: false })
        })
        .collect()
}

/// The meetings of a cell from `cell.from` to `today` (this month's planned if still ahead).
pub fn meetings<R: Rng>(keys: &mut Keys, rng: &mut R, cell: &Cell<'_>, book: &RuleBook, today: NaiveDate) -> Vec<MeetingRow> {
    let mut out = Vec::new();
    let weak = rng.random_bool(0.08);
    let usual_day = rng.random_range(2..8u32);
    // A few members of each cell are often absent without reason.
    let often_absent: Vec<MemberId> = cell.members.iter().filter(|_| rng.random_bool(0.02)).map(|m| m.id).collect();
    let mut month = first_of_month(cell.from);
    while month <= today {
        let day = month.with_day(usual_day).unwrap_or(month);
        let missed = rng.random_bool(if weak { 0.25 } else { 0.03 });
        let last_month = next_month(month) > today;
        if !missed && day >= cell.from {
            out.push(meeting(keys, rng, cell, MeetingKind::Regular, day, book, today, &often_absent, last_month));
        }
        // A thematic meeting in the middle month of most quarters.
        if month.month() % 3 == 2 && rng.random_bool(if weak { 0.4 } else { 0.85 }) {
            let on = month.with_day(usual_day + 14).unwrap_or(month);
            if on >= cell.from {
                out.push(meeting(keys, rng, cell, MeetingKind::Thematic, on, book, today, &often_absent, last_month));
            }
        }
        month = next_month(month);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn meeting<R: Rng>(
    keys: &mut Keys,
    rng: &mut R,
    cell: &Cell<'_>,
    kind: MeetingKind,
    on: NaiveDate,
    book: &RuleBook,
    today: NaiveDate,
    often_absent: &[MemberId],
    last_month: bool,
) -> MeetingRow {
    let rules: &MeetingRules = &book.at(on).meeting;
    let id = keys.meeting;
    keys.meeting += 1;
    let topic = (kind == MeetingKind::Thematic).then(|| "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh".to_owned());
    let mut m = Meeting {
        id,
        org_id: cell.id,
        kind,
        held_on: on,
        starts_at: Some(if rng.random_bool(0.7) { "19:30" } else { "08:00" }.to_owned()),
        place: Some(cell.place.to_owned()),
        topic,
        documents: None,
        state: MeetingState::Planned,
        notified_on: None,
        cancel_reason: None,
        chair: None,
        secretary: None,
        signed_on: None,
        resolution_no: None,
        resolution: None,
        quality: None,
        quality_note: None,
        rated_on: None,
        version: 1,
    };
    if on > today {
        // Still ahead: notified a couple of weeks before, as the Sổ tay habit has it.
        if on <= today + Days::new(15) {
            m.state = MeetingState::Notified;
            m.notified_on = Some(today.min(on - Days::new(1)));
        }
        return MeetingRow { meeting: m, counts: Counts::default(), upper_attended: false, attendees: Vec::new(), items: Vec::new() };
    }
    let invited: Vec<(Option<MemberId>, String, Role)> = if kind == MeetingKind::Regular && rules.invite_in_charge {
        cell.in_charge.iter().map(|(id, n)| (Some(*id), n.clone(), Role::InCharge)).collect()
    } else {
        vec![]
    };
    let members = roll_on(cell, on);
    let official = members.iter().filter(|r| r.status == MemberStatus::Official).count() as u32;
    let mut attendees = roll(&members, &[], &invited).attendees;
    for a in &mut attendees {
        let often = a.member_id.is_some_and(|id| often_absent.contains(&id));
        a.presence = match a.role {
            Role::InCharge => {
                if rng.random_bool(0.3) {
                    Presence::Present
                } else {
                    Presence::Absent
                }
            }
            Role::Exempt => {
                if rng.random_bool(0.3) {
                    Presence::Present
                } else {
                    Presence::Excused
                }
            }
            _ if often && rng.random_bool(0.45) => Presence::Absent,
            _ => match rng.random_range(0..100) {
                0..=87 => Presence::Present,
                88..=90 => Presence::Late,
                91..=97 => Presence::Excused,
                _ => Presence::Absent,
            },
        };
        if a.presence == Presence::Excused {
            a.reason = Some(EXCUSES[rng.random_range(0..EXCUSES.len())].to_owned());
        }
    }
    let counts = Counts::of(&attendees, rules);
    let upper = attendees.iter().any(|a| a.role == Role::InCharge && a.presence.attended());
    let present: Vec<&Attendee> = attendees.iter().filter(|a| a.presence.attended() && matches!(a.role, Role::Official | Role::Probationary)).collect();
    m.chair = present.first().and_then(|a| Some((a.member_id?, a.name.clone())));
    m.secretary = present.get(1).and_then(|a| Some((a.member_id?, a.name.clone())));
    m.state = MeetingState::Held;
    let signed = m.chair.is_some() && m.secretary.is_some() && counts.quorum_met && !(last_month && rng.random_bool(0.3));
    if signed {
        m.state = MeetingState::Signed;
        m.signed_on = Some((on + Days::new(rng.random_range(0..4))).min(today));
    }
    let mut items = Vec::new();
    if cell.minutes {
        let n = rules.agenda(kind).len();
        for (i, title) in rules.agenda(kind).iter().enumerate() {
            let mut item = Item { title: title.clone(), report: None, opinions: Vec::new(), conclusion: None, votes: Vec::new() };
            if i == 0 {
                item.report = Some(REPORTS[rng.random_range(0..REPORTS.len())].to_owned());
                for a in present.iter().skip(2).take(rng.random_range(0..3)) {
                    item.opinions.push(Opinion {
                        member_id: a.member_id,
                        speaker: a.name.clone(),
                        text: OPINIONS[rng.random_range(0..OPINIONS.len())].to_owned(),
                    });
                }
            }
            if i + 1 == n {
                item.conclusion = Some("Chi bộ thống nhất giao nhiệm vụ cho từng đảng viên, hoàn thành trước ngày 30 hằng tháng".to_owned());
                let voters = counts.official_present;
                let against = u32::from(voters > 3 && rng.random_bool(0.1));
                item.votes.push(Vote {
                    subject: "Thông qua nghị quyết của chi bộ".to_owned(),
                    votes_for: voters - against,
                    votes_against: against,
                    abstain: 0,
                    base: official,
                });
            }
            items.push(item);
        }
        if kind == MeetingKind::Regular {
            m.resolution_no = Some(format!("{:02}-NQ/CB", on.month()));
            m.resolution = Some("Tiếp tục lãnh đạo thực hiện tốt các nhiệm vụ chính trị của khu dân cư".to_owned());
        }
    }
    MeetingRow { meeting: m, counts, upper_attended: upper, attendees, items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chibo_domain::member::{MemberChange, MemberEvent, MemberInput, replay};
    use rand::SeedableRng;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(id: i64, cell: OrgId, admitted: NaiveDate) -> MemberRow {
        let profile =
            MemberInput { full_name: format!("Nguyễn Văn Số {id}"), gender: "nam".into(), birth_date: "01/01/1970".into(), ..Default::default() }
                .validate(d(2026, 12, 4))
                .unwrap();
        let events = vec![MemberEvent { on: admitted, change: MemberChange::Admitted { cell } }];
        let history = replay(profile.birth_date, &events, d(2026, 12, 4)).unwrap();
        MemberRow { id, profile, events: events.into_iter().map(|e| (e, None)).collect(), history }
    }

    #[test]
    fn a_year_of_meetings_convenes_the_roll_of_each_day() {
        let book = crate::test_book();
        let rows: Vec<MemberRow> = (1..=12).map(|i| member(i, 7, if i == 12 { d(2026, 6, 1) } else { d(2000, 1, 1) })).collect();
        let refs: Vec<&MemberRow> = rows.iter().collect();
        let cell =
            Cell { id: 7, members: &refs, from: d(2025, 12, 1), place: "Nhà văn hóa", in_charge: &[(99, "Trần Văn Phụ Trách".into())], minutes: true };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let ms = meetings(&mut Keys::default(), &mut rng, &cell, &book, d(2026, 12, 4));
        let regular: Vec<&MeetingRow> = ms.iter().filter(|m| m.meeting.kind == MeetingKind::Regular).collect();
        assert!((11..=13).contains(&regular.len()), "a meeting most months from December 2025: {}", regular.len());
        for m in &ms {
            let held = m.meeting.state != MeetingState::Planned && m.meeting.state != MeetingState::Notified;
            if !held {
                assert!(m.attendees.is_empty());
                continue;
            }
            // The member admitted in June 2026 is convened from then on only.
            let twelfth = m.attendees.iter().any(|a| a.member_id == Some(12));
            assert_eq!(twelfth, m.meeting.held_on >= d(2026, 6, 1), "{}", m.meeting.held_on);
            assert_eq!(m.counts, Counts::of(&m.attendees, &book.at(m.meeting.held_on).meeting));
            if m.meeting.state == MeetingState::Signed {
                assert!(m.counts.quorum_met && m.meeting.chair.is_some());
            }
        }
        // Ids are consecutive across cells.
        assert_eq!(ms.iter().map(|m| m.meeting.id).collect::<Vec<_>>(), (1..=ms.len() as i64).collect::<Vec<_>>());
    }
}
