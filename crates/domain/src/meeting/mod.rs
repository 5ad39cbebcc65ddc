//! Meetings (sinh hoạt chi bộ, họp cấp ủy): the monthly life of a cell and the meetings of
//! committees.
//!
//! A meeting is planned (date, time, place, topic, the documents to read), notified to the
//! members, held, and its minutes signed; it may be cancelled with a reason. Its record is
//! data: the attendance of every member convened from the roll as of its date, the agenda
//! items with what was reported, who spoke and the conclusion, the votes against their base,
//! the chair and the minutes secretary. A signed record is never rewritten: a correction is
//! an amendment kept beside the original. The committee above may rate a meeting's quality.
//!
//! Who is convened is computed from the roll ([`roll`]): official and probationary members
//! are convened; exempt members are listed and may attend but stand outside the base (as the
//! rules of the day say); members away on a temporary transfer and suspended members are not
//! convened, each with its reason; members on a temporary transfer into the cell and invited
//! guests attend without counting. The quorum and the vote base are computed from the
//! attendance by the rules ([`MeetingRules`]), never typed.

pub mod audit;
pub mod command;

use crate::member::{MemberId, MemberStatus};
use crate::org::{OrgId, OrgKind, code_enum};
use crate::rules::Fraction;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Surrogate key of a meeting.
pub type MeetingId = i64;

code_enum! {
    /// What kind of meeting.
    MeetingKind {
        /// Sinh hoạt chi bộ thường kỳ (hằng tháng).
        Regular = "thuong_ky", "Sinh hoạt thường kỳ", "Regular monthly meeting";
        /// Sinh hoạt chuyên đề.
        Thematic = "chuyen_de", "Sinh hoạt chuyên đề", "Thematic meeting";
        /// Họp bất thường.
        Extraordinary = "bat_thuong", "Họp bất thường", "Extraordinary meeting";
        /// Họp cấp ủy (chi ủy, đảng ủy, ban thường vụ).
        Committee = "cap_uy", "Họp cấp ủy", "Committee meeting";
    }
}

impl MeetingKind {
    /// Whether an organization of this kind holds meetings of this kind: members meet in
    /// cells (regular, thematic, extraordinary); every organization with a committee holds
    /// committee meetings; a committee above the cells also holds thematic and extraordinary
    /// conferences of its committee.
    pub fn held_by(self, org: OrgKind) -> bool {
        match self {
            MeetingKind::Regular => org.holds_members(),
            MeetingKind::Committee => org != OrgKind::Group,
            MeetingKind::Thematic | MeetingKind::Extraordinary => org != OrgKind::Group,
        }
    }

    /// Whether the members of the organization are convened (a cell's meeting), rather than
    /// its committee's seats (a committee meeting, or any meeting of a committee above the
    /// cells).
    pub fn convenes_members(self, org: OrgKind) -> bool {
        self != MeetingKind::Committee && org.holds_members()
    }
}

code_enum! {
    /// Where a meeting stands.
    MeetingState {
        /// Dự kiến: planned, not yet announced.
        Planned = "planned", "Dự kiến", "Planned";
        /// Đã thông báo cho đảng viên.
        Notified = "notified", "Đã thông báo", "Notified";
        /// Đã họp, biên bản chưa ký.
        Held = "held", "Đã họp, chưa ký biên bản", "Held, minutes not signed";
        /// Biên bản đã ký.
        Signed = "signed", "Đã ký biên bản", "Minutes signed";
        /// Hủy, hoãn.
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
}

impl MeetingState {
    /// Whether the record (attendance, agenda, minutes, votes) may still be written.
    pub fn record_open(self) -> bool {
        matches!(self, MeetingState::Planned | MeetingState::Notified | MeetingState::Held)
    }
}

code_enum! {
    /// A person's presence at a meeting.
    Presence {
        /// Có mặt.
        Present = "co_mat", "Có mặt", "Present";
        /// Đến muộn.
        Late = "den_muon", "Đến muộn", "Late";
        /// Vắng có lý do (có phép).
        Excused = "vang_co_ly_do", "Vắng có lý do", "Absent with permission";
        /// Vắng không có lý do.
        Absent = "vang_khong_ly_do", "Vắng không lý do", "Absent without reason";
    }
}

impl Presence {
    /// Present or late: at the meeting.
    pub fn attended(self) -> bool {
        matches!(self, Presence::Present | Presence::Late)
    }
}

code_enum! {
    /// How a person on the attendance list stands at the meeting.
    Role {
        /// Đảng viên chính thức.
        Official = "official", "Đảng viên chính thức", "Official member";
        /// Đảng viên dự bị.
        Probationary = "probationary", "Đảng viên dự bị", "Probationary member";
        /// Đảng viên được miễn sinh hoạt (có thể dự).
        Exempt = "exempt", "Miễn sinh hoạt", "Exempt from activity";
        /// Đảng viên sinh hoạt tạm thời tại chi bộ.
        Visiting = "tam_thoi", "Sinh hoạt tạm thời", "On temporary transfer here";
        /// Cấp ủy viên (một ghế trong cấp ủy: họp cấp ủy).
        Seat = "cap_uy_vien", "Cấp ủy viên", "Committee member";
        /// Cấp ủy viên cấp trên phụ trách chi bộ.
        InCharge = "phu_trach", "Cấp ủy viên cấp trên phụ trách", "Upper committee member in charge";
        /// Đảng viên đang công tác sinh hoạt nơi cư trú (Quy định 213).
        Resident = "noi_cu_tru", "Đảng viên công tác, cư trú tại địa bàn (QĐ 213)", "Working member living in the area";
        /// Khách mời.
        Guest = "khach_moi", "Khách mời", "Guest";
    }
}

impl Role {
    /// Whether the role counts in the base of the quorum.
    pub fn convened(self, rules: &MeetingRules) -> bool {
        match self {
            Role::Official | Role::Probationary | Role::Seat => true,
            Role::Exempt => rules.exempt_in_base,
            _ => false,
        }
    }

    /// Invited rather than on the roll.
    pub fn invited(self) -> bool {
        matches!(self, Role::InCharge | Role::Resident | Role::Guest)
    }
}

code_enum! {
    /// Why a member of the organization is not convened.
    Exclusion {
        /// Đang sinh hoạt tạm thời ở tổ chức đảng khác.
        Away = "tam_thoi_noi_khac", "Đang sinh hoạt tạm thời nơi khác", "On temporary transfer elsewhere";
        /// Đang bị đình chỉ sinh hoạt.
        Suspended = "dinh_chi", "Đang bị đình chỉ sinh hoạt", "Suspended";
    }
}

code_enum! {
    /// The quality of a meeting as the committee above rates it.
    Quality {
        /// Tốt.
        Good = "tot", "Tốt", "Good";
        /// Khá.
        Fair = "kha", "Khá", "Fair";
        /// Trung bình.
        Average = "trung_binh", "Trung bình", "Average";
        /// Kém.
        Poor = "kem", "Kém", "Poor";
    }
}

/// The rules of meetings, one part of each dated rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingRules {
    /// A cell that has not held its regular meeting by this day of the month goes on the
    /// to-do list.
    pub regular_due_day: u32,
    /// The notice goes out this many days before the meeting (the to-do reminds the
    /// secretary of a planned meeting not yet notified).
    pub notice_days_before: u32,
    /// The minutes are signed within this many days of the meeting.
    pub minutes_within_days: u32,
    /// At least this many thematic meetings a quarter.
    pub thematic_per_quarter: u32,
    /// The meeting is valid when those present are more than this share of the convened.
    pub quorum_more_than: Fraction,
    /// A motion passes when its votes for are more than this share of the vote base.
    pub vote_more_than: Fraction,
    /// Exempt members count in the quorum's base (their attendance counts when they come).
    pub exempt_in_base: bool,
    /// Absences without reason in a year that are grounds for striking off (a to-do, never
    /// automatic).
    pub absences_strike_off: u32,
    /// Consecutive absences without reason that go on the to-do list.
    pub absences_running: u32,
    /// The upper committee's members in charge of a cell are invited to its regular meetings.
    pub invite_in_charge: bool,
    /// The working members who live in the cell's area (Quy định 213) are invited to its
    /// regular meetings.
    pub invite_residents: bool,
    /// The agenda of a regular meeting, item by item.
    pub regular_agenda: Vec<String>,
    /// The agenda of a thematic meeting.
    pub thematic_agenda: Vec<String>,
    /// The agenda of other meetings.
    pub other_agenda: Vec<String>,
    /// What the committee above looks at when it rates a meeting.
    pub quality_criteria: Vec<String>,
}

impl MeetingRules {
    /// The agenda a meeting of this kind starts from.
    pub fn agenda(&self, kind: MeetingKind) -> &[String] {
        match kind {
            MeetingKind::Regular => &self.regular_agenda,
            MeetingKind::Thematic => &self.thematic_agenda,
            MeetingKind::Extraordinary | MeetingKind::Committee => &self.other_agenda,
        }
    }

    /// Whether `present` people make the quorum of `convened`.
    pub fn quorum_met(&self, present: u32, convened: u32) -> bool {
        exceeds(self.quorum_more_than, present, convened)
    }

    /// The fewest present that make the quorum of `convened`.
    pub fn quorum_needed(&self, convened: u32) -> u32 {
        least_above(self.quorum_more_than, convened)
    }

    /// Whether `votes_for` of `base` pass a motion.
    pub fn vote_passes(&self, votes_for: u32, base: u32) -> bool {
        exceeds(self.vote_more_than, votes_for, base)
    }

    /// The fewest votes for that pass a motion of `base`.
    pub fn votes_needed(&self, base: u32) -> u32 {
        least_above(self.vote_more_than, base)
    }
}

/// `part` is more than `share` of `whole` (exact integer arithmetic; nothing of nothing).
fn exceeds(share: Fraction, part: u32, whole: u32) -> bool {
    whole > 0 && u64::from(part) * u64::from(share.den) > u64::from(share.num) * u64::from(whole)
}

/// The least `n` with `n` more than `share` of `whole`.
fn least_above(share: Fraction, whole: u32) -> u32 {
    let floor = u64::from(share.num) * u64::from(whole) / u64::from(share.den.max(1));
    u32::try_from(floor + 1).unwrap_or(u32::MAX).max(1)
}

/// A meeting as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Key.
    pub id: MeetingId,
    /// The organization that meets.
    pub org_id: OrgId,
    /// Kind.
    pub kind: MeetingKind,
    /// Day.
    pub held_on: NaiveDate,
    /// Time ("19:30"), if set.
    pub starts_at: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Topic (the thematic meeting's subject, or the month's).
    pub topic: Option<String>,
    /// Documents to read before the meeting.
    pub documents: Option<String>,
    /// State.
    pub state: MeetingState,
    /// The day the notice went out.
    pub notified_on: Option<NaiveDate>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// The chair, and the name as it stood.
    pub chair: Option<(MemberId, String)>,
    /// The minutes secretary.
    pub secretary: Option<(MemberId, String)>,
    /// The day the minutes were signed.
    pub signed_on: Option<NaiveDate>,
    /// The meeting's resolution: its number and text.
    pub resolution_no: Option<String>,
    /// The resolution's text.
    pub resolution: Option<String>,
    /// Quality rated by the committee above.
    pub quality: Option<Quality>,
    /// The rating's note and day.
    pub quality_note: Option<String>,
    /// Day rated.
    pub rated_on: Option<NaiveDate>,
    /// Version for optimistic concurrency.
    pub version: i64,
}

impl Meeting {
    /// The calendar month (year, month) the meeting counts for.
    pub fn month(&self) -> (i32, u32) {
        (self.held_on.year(), self.held_on.month())
    }
}

/// A member of the organization on the meeting's day, as the roll gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollMember {
    /// The member.
    pub member_id: MemberId,
    /// Their name.
    pub name: String,
    /// Their status in the organization on the day.
    pub status: MemberStatus,
    /// Away on an accepted temporary transfer to another organization on the day.
    pub away: bool,
}

/// Someone on a meeting's attendance list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// The member, when the person is one in this instance.
    pub member_id: Option<MemberId>,
    /// Name as it stood.
    pub name: String,
    /// How they stand at the meeting.
    pub role: Role,
    /// Present, late, absent.
    pub presence: Presence,
    /// The reason given for an absence, or a note.
    pub reason: Option<String>,
}

/// A member of the organization not convened, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Excluded {
    /// The member.
    pub member_id: MemberId,
    /// Name.
    pub name: String,
    /// Why.
    pub why: Exclusion,
}

/// Who a meeting convenes on its day.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Roll {
    /// The attendance list as it starts: everyone present.
    pub attendees: Vec<Attendee>,
    /// Members of the organization not convened, each with its reason.
    pub excluded: Vec<Excluded>,
}

/// The roll of a cell's meeting: its members on the day (official, probationary, exempt; the
/// suspended and those away on a temporary transfer named apart), the members on a temporary
/// transfer into it, and those invited. Everyone starts present; names in Vietnamese order.
pub fn roll(members: &[RollMember], visiting: &[(MemberId, String)], invited: &[(Option<MemberId>, String, Role)]) -> Roll {
    let mut out = Roll::default();
    let attendee =
        |member_id: Option<MemberId>, name: &str, role: Role| Attendee { member_id, name: name.to_owned(), role, presence: Presence::Present, reason: None };
    for m in members {
        let excluded = |why| Excluded { member_id: m.member_id, name: m.name.clone(), why };
        match m.status {
            _ if m.away => out.excluded.push(excluded(Exclusion::Away)),
            MemberStatus::Suspended => out.excluded.push(excluded(Exclusion::Suspended)),
            MemberStatus::Official => out.attendees.push(attendee(Some(m.member_id), &m.name, Role::Official)),
            MemberStatus::Probationary => out.attendees.push(attendee(Some(m.member_id), &m.name, Role::Probationary)),
            MemberStatus::Exempt => out.attendees.push(attendee(Some(m.member_id), &m.name, Role::Exempt)),
            _ => {}
        }
    }
    let on_roll: std::collections::BTreeSet<MemberId> = out.attendees.iter().filter_map(|a| a.member_id).collect();
    for (id, name) in visiting.iter().filter(|(id, _)| !on_roll.contains(id)) {
        out.attendees.push(attendee(Some(*id), name, Role::Visiting));
    }
    let mut seen = on_roll;
    for (id, name, role) in invited {
        if id.is_some_and(|id| !seen.insert(id)) {
            continue;
        }
        out.attendees.push(attendee(*id, name, *role));
    }
    let key = |a: &Attendee| (role_order(a.role), crate::text::person_sort_key(&a.name));
    out.attendees.sort_by_key(key);
    out.excluded.sort_by_key(|e| crate::text::person_sort_key(&e.name));
    out
}

fn role_order(r: Role) -> usize {
    Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX)
}

/// The counts of an attendance list, by the rules of the meeting's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Convened: the base of the quorum.
    pub convened: u32,
    /// Of the convened, present or late.
    pub present: u32,
    /// Of the convened, late.
    pub late: u32,
    /// Of the convened, absent with permission.
    pub excused: u32,
    /// Of the convened, absent without reason.
    pub absent: u32,
    /// Others at the meeting (exempt members outside the base, visitors, guests).
    pub others_present: u32,
    /// The fewest present that make the quorum.
    pub quorum_needed: u32,
    /// Whether the quorum is met.
    pub quorum_met: bool,
    /// Official members present: who may vote on the members' motions.
    pub official_present: u32,
}

impl Counts {
    /// Counts an attendance list.
    pub fn of(attendees: &[Attendee], rules: &MeetingRules) -> Counts {
        let mut c = Counts::default();
        for a in attendees {
            let attended = a.presence.attended();
            if a.role.convened(rules) {
                c.convened += 1;
                match a.presence {
                    Presence::Present => c.present += 1,
                    Presence::Late => {
                        c.present += 1;
                        c.late += 1;
                    }
                    Presence::Excused => c.excused += 1,
                    Presence::Absent => c.absent += 1,
                }
            } else if attended {
                c.others_present += 1;
            }
            if attended && matches!(a.role, Role::Official | Role::Seat) {
                c.official_present += 1;
            }
        }
        c.quorum_needed = rules.quorum_needed(c.convened);
        c.quorum_met = rules.quorum_met(c.present, c.convened);
        c
    }
}

/// A vote taken at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// What was voted on.
    pub subject: String,
    /// Votes for.
    pub votes_for: u32,
    /// Against.
    pub votes_against: u32,
    /// Abstentions.
    pub abstain: u32,
    /// The base: the organization's official members on the day, as for an admission vote.
    pub base: u32,
}

impl Vote {
    /// Whether it passed, by the rules of the day.
    pub fn passed(&self, rules: &MeetingRules) -> bool {
        rules.vote_passes(self.votes_for, self.base)
    }
}

/// An opinion given on an agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    /// Who spoke (a member, when one).
    pub member_id: Option<MemberId>,
    /// Their name.
    pub speaker: String,
    /// What they said, in short.
    pub text: String,
}

/// An agenda item with its minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Its title.
    pub title: String,
    /// What was reported.
    pub report: Option<String>,
    /// The opinions.
    pub opinions: Vec<Opinion>,
    /// The conclusion.
    pub conclusion: Option<String>,
    /// The votes on it.
    pub votes: Vec<Vote>,
}

/// A correction to signed minutes, kept beside the original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    /// The day of the correction.
    pub made_on: NaiveDate,
    /// What is corrected, and how.
    pub text: String,
    /// Who recorded it.
    pub by: String,
}

/// The counted facts of a cell's meetings, as day intervals with a weight: what the figures
/// of any day sum (see [`crate::stats::meeting_facts`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeetingDays {
    /// (from, until, weight) for each figure.
    pub spans: Vec<(MeetingFigure, NaiveDate, NaiveDate, i32)>,
}

code_enum! {
    /// A figure of meetings counted as facts.
    MeetingFigure {
        /// Cells that held their regular meeting this month (from its day to the month's end).
        HeldMonth = "held_month", "Chi bộ đã sinh hoạt thường kỳ trong tháng", "Cells that held their regular meeting this month";
        /// Cells that met every month from January to the month before (counted through the
        /// month after; in January, the whole of last year).
        FullYear = "full_year", "Chi bộ sinh hoạt đủ các kỳ từ đầu năm", "Cells that met every month this year";
        /// Cells with a thematic meeting this quarter.
        ThematicQuarter = "thematic_quarter", "Chi bộ đã sinh hoạt chuyên đề trong quý", "Cells with a thematic meeting this quarter";
        /// Members convened to the regular meetings held this month.
        Convened = "convened", "Lượt đảng viên được triệu tập trong tháng", "Members convened this month";
        /// Of them, present.
        Present = "present", "Lượt đảng viên dự sinh hoạt trong tháng", "Members present this month";
        /// Cells whose regular meeting this month an upper committee member in charge attended.
        UpperAttended = "upper_attended", "Chi bộ có cấp ủy viên cấp trên dự sinh hoạt trong tháng", "Cells whose meeting the upper committee attended this month";
        /// Members absent without reason the rules' number of times this year.
        AbsentRepeatedly = "absent_repeatedly", "Đảng viên vắng sinh hoạt không lý do nhiều lần trong năm", "Members absent without reason repeatedly this year";
    }
}

impl MeetingFigure {
    /// The tally key of the figure.
    pub fn key(self) -> String {
        format!("meeting:{}", self.code())
    }
}

fn first_of_month(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    if d.month() == 12 { first_of_month(d.year() + 1, 1) } else { first_of_month(d.year(), d.month() + 1) }
}

fn next_quarter(d: NaiveDate) -> NaiveDate {
    let q = (d.month() - 1) / 3;
    if q == 3 { first_of_month(d.year() + 1, 1) } else { first_of_month(d.year(), q * 3 + 4) }
}

/// A held (or signed) meeting as the figures read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMeeting {
    /// Kind.
    pub kind: MeetingKind,
    /// Day.
    pub held_on: NaiveDate,
    /// The counts of its attendance.
    pub counts: Counts,
    /// An upper committee member in charge attended.
    pub upper_attended: bool,
    /// Members absent without reason.
    pub absent: Vec<MemberId>,
}

/// The counted days of a cell's held meetings (cancelled and planned meetings count for
/// nothing): each figure as intervals of days, so "on D" reads the month, quarter and year of
/// D as they stood on D.
pub fn counted_days(meetings: &[HeldMeeting], rules_at: impl Fn(NaiveDate) -> MeetingRules) -> MeetingDays {
    use std::collections::{BTreeMap, BTreeSet};
    let mut out = MeetingDays::default();
    let mut months: BTreeMap<(i32, u32), NaiveDate> = BTreeMap::new();
    let mut quarters: BTreeMap<(i32, u32), NaiveDate> = BTreeMap::new();
    let mut upper: BTreeMap<(i32, u32), NaiveDate> = BTreeMap::new();
    let mut sorted: Vec<&HeldMeeting> = meetings.iter().collect();
    sorted.sort_by_key(|m| m.held_on);
    let mut absences: BTreeMap<(i32, MemberId), u32> = BTreeMap::new();
    for m in &sorted {
        let d = m.held_on;
        if m.kind == MeetingKind::Regular {
            let first = months.entry((d.year(), d.month())).or_insert(d);
            *first = (*first).min(d);
            out.spans.push((MeetingFigure::Convened, d, next_month(d), m.counts.convened as i32));
            out.spans.push((MeetingFigure::Present, d, next_month(d), m.counts.present as i32));
            if m.upper_attended {
                let first = upper.entry((d.year(), d.month())).or_insert(d);
                *first = (*first).min(d);
            }
            let limit = rules_at(d).absences_strike_off.max(1);
            for member in &m.absent {
                let n = absences.entry((d.year(), *member)).or_insert(0);
                *n += 1;
                if *n == limit {
                    out.spans.push((MeetingFigure::AbsentRepeatedly, d, first_of_month(d.year() + 1, 1), 1));
                }
            }
        }
        if m.kind == MeetingKind::Thematic {
            let first = quarters.entry((d.year(), (d.month() - 1) / 3)).or_insert(d);
            *first = (*first).min(d);
        }
    }
    for first in months.values() {
        out.spans.push((MeetingFigure::HeldMonth, *first, next_month(*first), 1));
    }
    for first in upper.values() {
        out.spans.push((MeetingFigure::UpperAttended, *first, next_month(*first), 1));
    }
    for first in quarters.values() {
        out.spans.push((MeetingFigure::ThematicQuarter, *first, next_quarter(*first), 1));
    }
    // Every month from January: counted from February 1st (the first month done) through the
    // month after the last one of the run (in January of the next year for a full year).
    let years: BTreeSet<i32> = months.keys().map(|(y, _)| *y).collect();
    for y in years {
        let run = (1..=12).take_while(|m| months.contains_key(&(y, *m))).count() as u32;
        if run > 0 {
            // Through the month after the run: a run of 11 counts through December, a full
            // year through January.
            let until = crate::calendar::add_months(first_of_month(y, 1), run + 1);
            out.spans.push((MeetingFigure::FullYear, first_of_month(y, 2), until, 1));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn rules() -> MeetingRules {
        MeetingRules {
            regular_due_day: 10,
            notice_days_before: 5,
            minutes_within_days: 7,
            thematic_per_quarter: 1,
            quorum_more_than: Fraction { num: 1, den: 2 },
            vote_more_than: Fraction { num: 1, den: 2 },
            exempt_in_base: false,
            absences_strike_off: 3,
            absences_running: 2,
            invite_in_charge: true,
            invite_residents: true,
            regular_agenda: vec!["Kết quả tháng trước".into(), "Nhiệm vụ tháng tới".into()],
            thematic_agenda: vec!["Chuyên đề".into()],
            other_agenda: vec!["Nội dung".into()],
            quality_criteria: vec![],
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn member(id: i64, name: &str, status: MemberStatus, away: bool) -> RollMember {
        RollMember { member_id: id, name: name.into(), status, away }
    }

    #[test]
    fn the_roll_convenes_official_and_probationary_members_and_names_who_is_left_out() {
        let members = [
            member(1, "Trần Văn Bình", MemberStatus::Official, false),
            member(2, "Nguyễn Thị An", MemberStatus::Probationary, false),
            member(3, "Lê Văn Cường", MemberStatus::Exempt, false),
            member(4, "Phạm Văn Dũng", MemberStatus::Official, true),
            member(5, "Hoàng Thị Em", MemberStatus::Suspended, false),
        ];
        let r = roll(
            &members,
            &[(9, "Vũ Văn Giang".into())],
            &[(Some(20), "Đỗ Văn Hải".into(), Role::InCharge), (Some(1), "Trần Văn Bình".into(), Role::Resident)],
        );
        let names: Vec<(&str, Role)> = r.attendees.iter().map(|a| (a.name.as_str(), a.role)).collect();
        assert_eq!(
            names,
            [
                ("Trần Văn Bình", Role::Official),
                ("Nguyễn Thị An", Role::Probationary),
                ("Lê Văn Cường", Role::Exempt),
                ("Vũ Văn Giang", Role::Visiting),
                ("Đỗ Văn Hải", Role::InCharge)
            ]
        );
        let out: Vec<(i64, Exclusion)> = r.excluded.iter().map(|e| (e.member_id, e.why)).collect();
        assert_eq!(out, [(4, Exclusion::Away), (5, Exclusion::Suspended)]);
        let c = Counts::of(&r.attendees, &rules());
        // Convened: the official and the probationary member; the exempt member is outside
        // the base and counts with the visitor and the guest as others present.
        assert_eq!((c.convened, c.present, c.others_present, c.official_present), (2, 2, 3, 1));
    }

    #[test]
    fn quorum_is_more_than_half_of_the_convened() {
        let r = rules();
        // 11 convened: 6 make it, 5 do not; 10 convened: 6 (5 is exactly half).
        assert_eq!((r.quorum_needed(11), r.quorum_met(6, 11), r.quorum_met(5, 11)), (6, true, false));
        assert_eq!((r.quorum_needed(10), r.quorum_met(5, 10), r.quorum_met(6, 10)), (6, false, true));
        assert!(!r.quorum_met(0, 0));
        let mut att: Vec<Attendee> =
            (0..10).map(|i| Attendee { member_id: Some(i), name: format!("A{i}"), role: Role::Official, presence: Presence::Present, reason: None }).collect();
        att[0].presence = Presence::Excused;
        att[1].presence = Presence::Excused;
        att[2].presence = Presence::Absent;
        att[3].presence = Presence::Late;
        let c = Counts::of(&att, &r);
        assert_eq!((c.convened, c.present, c.late, c.excused, c.absent, c.quorum_needed, c.quorum_met), (10, 7, 1, 2, 1, 6, true));
        let mut with_exempt = r.clone();
        with_exempt.exempt_in_base = true;
        att.push(Attendee { member_id: Some(99), name: "E".into(), role: Role::Exempt, presence: Presence::Absent, reason: None });
        assert_eq!(Counts::of(&att, &with_exempt).convened, 11);
        assert_eq!(Counts::of(&att, &r).convened, 10);
    }

    #[test]
    fn a_vote_passes_with_more_than_half_of_its_base() {
        let r = rules();
        let v = |f| Vote { subject: "Nghị quyết".into(), votes_for: f, votes_against: 0, abstain: 0, base: 11 };
        assert!(v(6).passed(&r));
        assert!(!v(5).passed(&r));
        assert_eq!(r.votes_needed(11), 6);
        assert_eq!(r.votes_needed(12), 7);
    }

    #[test]
    fn only_cells_hold_regular_meetings_and_convene_members() {
        assert!(MeetingKind::Regular.held_by(OrgKind::Cell));
        assert!(!MeetingKind::Regular.held_by(OrgKind::GrassrootsCommittee));
        assert!(MeetingKind::Committee.held_by(OrgKind::UpperGrassroots));
        assert!(!MeetingKind::Committee.convenes_members(OrgKind::Cell));
        assert!(MeetingKind::Thematic.convenes_members(OrgKind::GrassrootsCell));
        assert!(!MeetingKind::Thematic.convenes_members(OrgKind::GrassrootsCommittee));
    }

    fn held(kind: MeetingKind, on: NaiveDate, absent: &[i64]) -> HeldMeeting {
        HeldMeeting {
            kind,
            held_on: on,
            counts: Counts { convened: 10, present: 8, ..Counts::default() },
            upper_attended: on.month() == 3,
            absent: absent.to_vec(),
        }
    }

    fn count_on(days: &MeetingDays, f: MeetingFigure, on: NaiveDate) -> i32 {
        days.spans.iter().filter(|(g, a, b, _)| *g == f && *a <= on && on < *b).map(|s| s.3).sum()
    }

    #[test]
    fn counted_days_read_the_month_quarter_and_year_of_the_day() {
        let mut ms: Vec<HeldMeeting> = (1..=12).filter(|m| *m != 6).map(|m| held(MeetingKind::Regular, d(2025, m, 4), &[])).collect();
        ms.push(held(MeetingKind::Regular, d(2025, 3, 20), &[]));
        ms.push(held(MeetingKind::Thematic, d(2025, 5, 15), &[]));
        ms[0].absent = vec![7];
        ms[1].absent = vec![7];
        ms[2].absent = vec![7, 8];
        let days = counted_days(&ms, |_| rules());
        // Held this month: from the meeting's day to the month's end, once a month.
        assert_eq!(count_on(&days, MeetingFigure::HeldMonth, d(2025, 3, 3)), 0);
        assert_eq!(count_on(&days, MeetingFigure::HeldMonth, d(2025, 3, 25)), 1);
        assert_eq!(count_on(&days, MeetingFigure::HeldMonth, d(2025, 6, 30)), 0);
        // Every month from January: Jan–May done, June missed.
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 1, 31)), 0);
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 6, 15)), 1);
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 7, 1)), 0);
        // The thematic meeting counts for the second quarter.
        assert_eq!(count_on(&days, MeetingFigure::ThematicQuarter, d(2025, 5, 14)), 0);
        assert_eq!(count_on(&days, MeetingFigure::ThematicQuarter, d(2025, 6, 30)), 1);
        assert_eq!(count_on(&days, MeetingFigure::ThematicQuarter, d(2025, 7, 1)), 0);
        // Two regular meetings in March: both convened counts add up.
        assert_eq!(count_on(&days, MeetingFigure::Convened, d(2025, 3, 31)), 20);
        assert_eq!(count_on(&days, MeetingFigure::Present, d(2025, 3, 31)), 16);
        assert_eq!(count_on(&days, MeetingFigure::UpperAttended, d(2025, 3, 31)), 1);
        // Member 7 absent three times by March 4: counted from then to the year's end.
        assert_eq!(count_on(&days, MeetingFigure::AbsentRepeatedly, d(2025, 3, 3)), 0);
        assert_eq!(count_on(&days, MeetingFigure::AbsentRepeatedly, d(2025, 12, 31)), 1);
        assert_eq!(count_on(&days, MeetingFigure::AbsentRepeatedly, d(2026, 1, 1)), 0);
        // A full year counts through January of the next year.
        let full: Vec<HeldMeeting> = (1..=12).map(|m| held(MeetingKind::Regular, d(2024, m, 4), &[])).collect();
        let days = counted_days(&full, |_| rules());
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 1, 31)), 1);
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 2, 1)), 0);
        // January to November met: counted through December (the month after the run).
        let eleven: Vec<HeldMeeting> = (1..=11).map(|m| held(MeetingKind::Regular, d(2024, m, 4), &[])).collect();
        let days = counted_days(&eleven, |_| rules());
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2024, 12, 31)), 1);
        assert_eq!(count_on(&days, MeetingFigure::FullYear, d(2025, 1, 1)), 0);
    }
}
