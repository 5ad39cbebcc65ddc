//! Committees and their terms: who leads an organization and who answers for what.
//!
//! An organization's committee is elected (or appointed) for a term (nhiệm kỳ). A term holds
//! the seats of its bodies: the executive committee (ban chấp hành: cấp ủy, chi ủy), the
//! standing committee (ban thường vụ) where the organization has one and the inspection
//! commission (ủy ban kiểm tra) from the grassroots committee up. A seat is a dated
//! assignment of a member to a position, elected or appointed, with its decision and the
//! upper level's approval (chuẩn y). Beside the seats: concurrent posts outside the party
//! (nhất thể hoá: the cell's secretary is also the village head), each committee member's
//! duties (phân công nhiệm vụ) and the committee's working regulation (quy chế làm việc).
//!
//! A seat follows its holder's life as the rules of the day say ([`CommitteeRules`]): a
//! temporary transfer keeps it, a move out of the organization or a death ends it that day,
//! a suspension suspends it. [`follow`] derives this from the member's validity spans, so the
//! committee "as it stood on D" is right for any date.

pub mod audit;
pub mod command;

use crate::member::{MemberId, MemberSpan, MemberStatus};
use crate::org::{OrgId, OrgKind, code_enum};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Surrogate key of a term.
pub type TermId = i64;
/// Surrogate key of a seat.
pub type SeatId = i64;
/// Surrogate key of a concurrent post.
pub type PostId = i64;
/// Surrogate key of a duty assignment.
pub type DutyId = i64;
/// Surrogate key of a working regulation.
pub type RegulationId = i64;

code_enum! {
    /// A body of a committee.
    Body {
        /// Ban chấp hành (cấp ủy, chi ủy).
        Executive = "cap_uy", "Ban chấp hành (cấp ủy)", "Executive committee";
        /// Ban thường vụ.
        Standing = "thuong_vu", "Ban thường vụ", "Standing committee";
        /// Ủy ban kiểm tra.
        Inspection = "kiem_tra", "Ủy ban kiểm tra", "Inspection commission";
    }
}

code_enum! {
    /// A position in a committee.
    Position {
        /// Bí thư.
        Secretary = "bi_thu", "Bí thư", "Secretary";
        /// Phó bí thư.
        Deputy = "pho_bi_thu", "Phó bí thư", "Deputy secretary";
        /// Ủy viên ban thường vụ.
        StandingMember = "uy_vien_btv", "Ủy viên Ban Thường vụ", "Standing committee member";
        /// Cấp ủy viên (chi ủy viên in a cell, đảng ủy viên in a committee).
        Member = "cap_uy_vien", "Cấp ủy viên", "Committee member";
        /// Chủ nhiệm ủy ban kiểm tra.
        InspectionChair = "chu_nhiem_ubkt", "Chủ nhiệm Ủy ban kiểm tra", "Inspection commission chair";
        /// Phó chủ nhiệm ủy ban kiểm tra.
        InspectionDeputy = "pho_chu_nhiem_ubkt", "Phó Chủ nhiệm Ủy ban kiểm tra", "Inspection commission deputy chair";
        /// Ủy viên ủy ban kiểm tra.
        InspectionMember = "uy_vien_ubkt", "Ủy viên Ủy ban kiểm tra", "Inspection commission member";
    }
}

impl Position {
    /// The body the position sits in.
    pub fn body(self) -> Body {
        match self {
            Position::Secretary | Position::Deputy | Position::Member => Body::Executive,
            Position::StandingMember => Body::Standing,
            Position::InspectionChair | Position::InspectionDeputy | Position::InspectionMember => Body::Inspection,
        }
    }

    /// The position's title in an organization of this kind ("Chi ủy viên" in a cell,
    /// "Đảng ủy viên" in a committee).
    pub fn title_vi(self, kind: OrgKind) -> &'static str {
        match (self, kind.holds_members()) {
            (Position::Member, true) => "Chi ủy viên",
            (Position::Member, false) => "Đảng ủy viên",
            (p, _) => p.label_vi(),
        }
    }

    /// Whether an organization of this kind has the position at all: cells have a secretary,
    /// a deputy and (from the rules' size) a chi ủy; the standing committee and the
    /// inspection commission exist from the grassroots committee up; a party group has no
    /// committee.
    pub fn exists_in(self, kind: OrgKind) -> bool {
        match kind {
            OrgKind::Group => false,
            OrgKind::Cell | OrgKind::GrassrootsCell | OrgKind::PartialCommittee => self.body() == Body::Executive,
            _ => true,
        }
    }

    /// Whether one organization's term holds at most one person in this position at a time.
    pub fn is_single(self) -> bool {
        matches!(self, Position::Secretary | Position::InspectionChair)
    }
}

code_enum! {
    /// How a seat was obtained.
    SeatBasis {
        /// Bầu tại đại hội hoặc hội nghị.
        Elected = "bau", "Được bầu", "Elected";
        /// Chỉ định của cấp ủy cấp trên.
        Appointed = "chi_dinh", "Được chỉ định", "Appointed";
    }
}

code_enum! {
    /// Why a seat ended (recorded by hand; a member's life ends a seat by itself).
    SeatEnd {
        /// Hết nhiệm kỳ.
        TermEnded = "het_nhiem_ky", "Hết nhiệm kỳ", "Term ended";
        /// Điều động, luân chuyển công tác.
        Reassigned = "dieu_dong", "Điều động, luân chuyển", "Reassigned";
        /// Thôi giữ chức theo nguyện vọng.
        Resigned = "xin_thoi", "Xin thôi giữ chức", "Resigned";
        /// Miễn nhiệm.
        Dismissed = "mien_nhiem", "Miễn nhiệm", "Dismissed";
        /// Kỷ luật cách chức.
        Disciplined = "cach_chuc", "Kỷ luật cách chức", "Removed by discipline";
        /// Nghỉ hưu.
        Retired = "nghi_huu", "Nghỉ hưu", "Retired";
        /// Lý do khác.
        Other = "khac", "Lý do khác", "Other reason";
    }
}

code_enum! {
    /// What a member's status does to the seats they hold.
    SeatEffect {
        /// Giữ chức.
        Keep = "keep", "Giữ chức", "Keeps the seat";
        /// Tạm đình chỉ chức vụ.
        Suspend = "suspend", "Tạm đình chỉ chức vụ", "Seat suspended";
        /// Thôi giữ chức từ ngày đó.
        End = "end", "Thôi giữ chức", "Leaves the seat";
    }
}

code_enum! {
    /// A post outside the party held together with a party position (nhất thể hoá).
    PostKind {
        /// Trưởng thôn, tổ trưởng tổ dân phố, trưởng khu phố.
        VillageHead = "truong_thon", "Trưởng thôn, khu phố, tổ dân phố", "Village or residential group head";
        /// Chủ tịch Ủy ban nhân dân xã, phường.
        CommuneChair = "chu_tich_ubnd", "Chủ tịch Ủy ban nhân dân", "People's committee chair";
        /// Chủ tịch Hội đồng nhân dân.
        CouncilChair = "chu_tich_hdnd", "Chủ tịch Hội đồng nhân dân", "People's council chair";
        /// Chủ tịch Ủy ban Mặt trận Tổ quốc.
        FrontChair = "chu_tich_mttq", "Chủ tịch Ủy ban Mặt trận Tổ quốc", "Fatherland Front chair";
        /// Thủ trưởng cơ quan, đơn vị.
        AgencyHead = "thu_truong", "Thủ trưởng cơ quan, đơn vị", "Head of the agency";
        /// Chức danh khác.
        Other = "khac", "Chức danh khác", "Other post";
    }
}

code_enum! {
    /// A field of work a committee member answers for.
    DutyField {
        /// Công tác tổ chức, cán bộ, đảng viên.
        Organization = "to_chuc", "Tổ chức, cán bộ, đảng viên", "Organization and cadres";
        /// Công tác kiểm tra, giám sát.
        Inspection = "kiem_tra", "Kiểm tra, giám sát", "Inspection";
        /// Công tác tuyên giáo.
        Propaganda = "tuyen_giao", "Tuyên giáo", "Propaganda and education";
        /// Công tác dân vận.
        MassMobilization = "dan_van", "Dân vận", "Mass mobilization";
        /// Kinh tế, xã hội.
        Economy = "kinh_te", "Kinh tế, xã hội", "Economy and society";
        /// Quốc phòng, an ninh.
        Security = "quoc_phong", "Quốc phòng, an ninh", "Defence and security";
        /// Văn phòng, tài chính đảng.
        Office = "van_phong", "Văn phòng, tài chính đảng", "Office and party finance";
        /// Lĩnh vực khác.
        Other = "khac", "Lĩnh vực khác", "Other field";
    }
}

/// The rules of committees and terms, one part of each dated rule set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitteeRules {
    /// A term from the grassroots committee up, in months (60).
    pub term_months: u32,
    /// A cell's term, in months (30: two congresses in five years).
    pub cell_term_months: u32,
    /// A cell's term in the pilot of one congress per term (QĐ 294: 60).
    pub cell_term_months_pilot: u32,
    /// The most members a cell's chi ủy has (7).
    pub cell_committee_max: u32,
    /// What each status does to a member's seats; a status not listed keeps them.
    pub seat_effects: Vec<(MemberStatus, SeatEffect)>,
    /// A person appointed by the upper level may hold a seat in an organization they are not
    /// a member of.
    pub appointed_may_be_outside: bool,
    /// A term ending within this many months with no congress planned goes on the to-do (6).
    pub congress_warning_months: u32,
    /// A working regulation is expected this many months into a term (3).
    pub regulation_due_months: u32,
    /// The largest attached regulation file, in bytes.
    pub regulation_max_bytes: u64,
}

impl CommitteeRules {
    /// What a status does to a seat.
    pub fn effect(&self, status: MemberStatus) -> SeatEffect {
        self.seat_effects.iter().find(|(s, _)| *s == status).map_or(SeatEffect::Keep, |(_, e)| *e)
    }

    /// How long a term of this organization runs.
    pub fn term_length(&self, kind: OrgKind, pilot: bool) -> u32 {
        match (kind.holds_members(), pilot) {
            (true, true) => self.cell_term_months_pilot,
            (true, false) => self.cell_term_months,
            (false, _) => self.term_months,
        }
    }
}

/// A committee's term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// Key.
    pub id: TermId,
    /// The organization.
    pub org_id: OrgId,
    /// Its name ("Nhiệm kỳ 2020 – 2025").
    pub label: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// The day it is planned to end (from the rules, or as decided).
    pub planned_end: NaiveDate,
    /// The day it ended (the next congress), if it has.
    pub ended_on: Option<NaiveDate>,
    /// A cell in the pilot of one congress per term.
    pub pilot: bool,
    /// Số lượng cấp ủy viên được cấp trên phê duyệt, if decided.
    pub planned_size: Option<u32>,
    /// The local rule asks this cell's secretary to be the village head.
    pub village_head_expected: bool,
    /// The congress that opened it, once congresses are recorded.
    pub congress_id: Option<i64>,
    /// Version, for optimistic locking.
    pub version: i64,
}

impl Term {
    /// Whether the term runs on `d`.
    pub fn runs_on(&self, d: NaiveDate) -> bool {
        self.starts_on <= d && self.ended_on.is_none_or(|e| d < e)
    }
}

/// A seat: one member in one position of one term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// Key.
    pub id: SeatId,
    /// The term.
    pub term_id: TermId,
    /// The holder.
    pub member_id: MemberId,
    /// The holder's name.
    pub full_name: String,
    /// The position.
    pub position: Position,
    /// Elected or appointed.
    pub basis: SeatBasis,
    /// First day in the seat.
    pub from: NaiveDate,
    /// First day after it, when ended by hand.
    pub until: Option<NaiveDate>,
    /// Why it was ended by hand.
    pub end: Option<SeatEnd>,
    /// Số quyết định (công nhận kết quả bầu cử, chỉ định).
    pub decision_no: Option<String>,
    /// Ngày cấp trên chuẩn y.
    pub approved_on: Option<NaiveDate>,
    /// Số quyết định chuẩn y.
    pub approval_no: Option<String>,
    /// Ghi chú.
    pub note: Option<String>,
    /// The day the holder's life ended the seat, and how.
    pub left: Option<Left>,
    /// Version.
    pub version: i64,
}

/// How a member's life ended a seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Left {
    /// The day.
    pub on: NaiveDate,
    /// The status that ended it, or None when the member moved out of the organization.
    pub status: Option<MemberStatus>,
}

impl Left {
    /// In words.
    pub fn reason_vi(&self) -> String {
        match self.status {
            Some(s) => format!("thôi giữ chức do {}", s.label_vi().to_lowercase()),
            None => "thôi giữ chức do chuyển sinh hoạt khỏi tổ chức".to_owned(),
        }
    }
}

impl Seat {
    /// The first day the seat is no longer held (by hand or by the holder's life).
    pub fn ends_on(&self) -> Option<NaiveDate> {
        match (self.until, self.left.map(|l| l.on)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the seat is held on `d` (suspensions aside: see [`SeatState`]).
    pub fn held_on(&self, d: NaiveDate) -> bool {
        self.from <= d && self.ends_on().is_none_or(|e| d < e)
    }
}

/// A seat as it stood on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatState {
    /// Not started yet.
    NotYet,
    /// Held.
    Held,
    /// Held but suspended (the holder's activity is suspended).
    Suspended,
    /// Ended.
    Ended,
}

/// How a member's life shaped a seat: the day it ended (if it did) and the periods it was
/// suspended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Followed {
    /// The first day the holder's life ended the seat.
    pub left: Option<Left>,
    /// Suspended periods [from, until).
    pub suspended: Vec<(NaiveDate, NaiveDate)>,
}

impl Followed {
    /// The seat's state on `d`, given the first day in it and its end by hand.
    pub fn state_on(&self, from: NaiveDate, until: Option<NaiveDate>, d: NaiveDate) -> SeatState {
        let ends = match (until, self.left.map(|l| l.on)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if d < from {
            SeatState::NotYet
        } else if ends.is_some_and(|e| d >= e) {
            SeatState::Ended
        } else if self.suspended.iter().any(|&(a, b)| a <= d && d < b) {
            SeatState::Suspended
        } else {
            SeatState::Held
        }
    }
}

/// Follows a seat that starts on `from` through its holder's spans: the seat ends on the
/// first day from `from` on that the holder's status ends it ([`CommitteeRules::effect`],
/// by the rules in force that day) or that the holder is outside the organization (`inside`
/// says whether a cell is inside the committee's organization on a day; skipped for a holder
/// appointed from outside). An ended seat never comes back: someone who returns is assigned
/// again.
pub fn follow(
    from: NaiveDate,
    spans: &[MemberSpan],
    inside: impl Fn(OrgId, NaiveDate) -> bool,
    outsider: bool,
    rules_at: impl Fn(NaiveDate) -> CommitteeRules,
) -> Followed {
    let mut out = Followed::default();
    for s in spans.iter().filter(|s| s.until > from) {
        let start = s.from.max(from);
        let rules = rules_at(start);
        let effect = rules.effect(s.status);
        let status_ends = effect == SeatEffect::End || !s.status.is_member();
        if status_ends {
            out.left = Some(Left { on: start, status: Some(s.status) });
            return out;
        }
        if !outsider && !inside(s.cell, start) {
            out.left = Some(Left { on: start, status: None });
            return out;
        }
        if effect == SeatEffect::Suspend {
            match out.suspended.last_mut() {
                Some(last) if last.1 == start => last.1 = s.until,
                _ => out.suspended.push((start, s.until)),
            }
        }
    }
    out
}

/// A concurrent post outside the party (nhất thể hoá).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Key.
    pub id: PostId,
    /// The member.
    pub member_id: MemberId,
    /// The member's name.
    pub full_name: String,
    /// What post.
    pub kind: PostKind,
    /// Where ("Khu phố 3, phường Hồng Gai").
    pub place: String,
    /// First day.
    pub from: NaiveDate,
    /// First day after it, if ended.
    pub until: Option<NaiveDate>,
    /// Ghi chú.
    pub note: Option<String>,
    /// Version.
    pub version: i64,
}

impl Post {
    /// Whether the post is held on `d`.
    pub fn held_on(&self, d: NaiveDate) -> bool {
        self.from <= d && self.until.is_none_or(|u| d < u)
    }

    /// The post as people say it: "Trưởng khu phố 3, phường Cửa Ông", "Tổ trưởng tổ dân
    /// phố 5", "Chủ tịch Ủy ban nhân dân phường Cửa Ông"; a post of another kind is its place
    /// as typed (the place names the post there).
    pub fn title_vi(&self) -> String {
        let place = self.place.trim();
        let lower_first = || {
            let mut chars = place.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect::<String>()).unwrap_or_default()
        };
        // The place's first word says what it is (folded, with a space to end on a word).
        let folded = format!("{} ", crate::text::fold(place));
        let starts = |words: &[&str]| words.iter().any(|w| folded.starts_with(w));
        match self.kind {
            PostKind::VillageHead if starts(&["to "]) => format!("Tổ trưởng {}", lower_first()),
            PostKind::VillageHead if starts(&["thon ", "khu ", "ban ", "ap ", "xom ", "khom ", "lang "]) => format!("Trưởng {}", lower_first()),
            PostKind::Other if !place.is_empty() => place.to_owned(),
            kind => format!("{} {place}", kind.label_vi()).trim_end().to_owned(),
        }
    }
}

/// A duty assigned to a seat's holder (phân công nhiệm vụ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duty {
    /// Key.
    pub id: DutyId,
    /// The seat.
    pub seat_id: SeatId,
    /// The seat holder's name.
    pub full_name: String,
    /// The field.
    pub field: DutyField,
    /// The organizations (sub-organizations, residential cells) the holder is in charge of.
    pub in_charge_of: Vec<OrgId>,
    /// Their names, in the same order.
    pub in_charge_names: Vec<String>,
    /// What the duty is, in the committee's words.
    pub text: String,
    /// First day.
    pub from: NaiveDate,
    /// First day after it, if ended.
    pub until: Option<NaiveDate>,
    /// Version.
    pub version: i64,
}

/// A committee's working regulation for a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regulation {
    /// Key.
    pub id: RegulationId,
    /// The term.
    pub term_id: TermId,
    /// Its revision within the term (1, 2, …).
    pub revision: u32,
    /// Ngày ban hành.
    pub adopted_on: NaiveDate,
    /// Số quyết định ban hành ("Số 02-QĐ/ĐU").
    pub decision_no: String,
    /// The text, when typed in.
    pub text: Option<String>,
    /// The attached file's name, type and size, when one is attached.
    pub file: Option<RegulationFile>,
    /// Version.
    pub version: i64,
}

/// An attached file's description (its bytes are read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegulationFile {
    /// File name as uploaded.
    pub name: String,
    /// Media type (application/pdf, the DOCX type).
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
}

/// A problem with a committee's make-up on a day, shown as a warning and on the to-do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// No secretary.
    SecretaryVacant,
    /// More committee members than the rules or the approved number allow.
    AboveSize {
        /// Members seated.
        seated: u32,
        /// The most allowed.
        max: u32,
    },
    /// Fewer committee members than the approved number.
    BelowSize {
        /// Members seated.
        seated: u32,
        /// The approved number.
        planned: u32,
    },
    /// A cell under the size for a chi ủy has committee members besides the secretary and
    /// the deputy.
    NoCommitteeBelowSize {
        /// Official members of the cell.
        official: u32,
        /// The size from which a cell elects a chi ủy.
        needed: u32,
    },
    /// More than one deputy in a cell without a chi ủy.
    TooManyDeputies {
        /// Deputies seated.
        seated: u32,
    },
}

impl Shape {
    /// In Vietnamese.
    pub fn text_vi(&self) -> String {
        match self {
            Shape::SecretaryVacant => "Khuyết bí thư".to_owned(),
            Shape::AboveSize { seated, max } => format!("Cấp ủy có {seated} đồng chí, vượt số lượng tối đa {max}"),
            Shape::BelowSize { seated, planned } => format!("Cấp ủy có {seated} đồng chí, ít hơn số lượng được duyệt {planned}"),
            Shape::NoCommitteeBelowSize { official, needed } => {
                format!("Chi bộ có {official} đảng viên chính thức (dưới {needed}) nên không bầu chi ủy, chỉ bầu bí thư và phó bí thư")
            }
            Shape::TooManyDeputies { seated } => format!("Chi bộ không có chi ủy chỉ có một phó bí thư (đang có {seated})"),
        }
    }

    /// In English.
    pub fn text_en(&self) -> String {
        match self {
            Shape::SecretaryVacant => "No secretary".to_owned(),
            Shape::AboveSize { seated, max } => format!("The committee has {seated} members, above the maximum of {max}"),
            Shape::BelowSize { seated, planned } => format!("The committee has {seated} members, below the approved {planned}"),
            Shape::NoCommitteeBelowSize { official, needed } => {
                format!("The cell has {official} official members (under {needed}): it elects a secretary and a deputy, no committee")
            }
            Shape::TooManyDeputies { seated } => format!("A cell without a committee has one deputy (now {seated})"),
        }
    }
}

/// The problems of a committee's executive body on a day: `held` are the positions held that
/// day (suspended seats count as held: the seat is not vacant), `official` the organization's
/// official members that day.
pub fn shape(kind: OrgKind, term: &Term, held: &[Position], official: u32, rules: &crate::rules::RuleSet) -> Vec<Shape> {
    let mut out = Vec::new();
    let count = |p: Position| held.iter().filter(|&&h| h == p).count() as u32;
    if count(Position::Secretary) == 0 {
        out.push(Shape::SecretaryVacant);
    }
    let seated = held.iter().filter(|p| p.body() == Body::Executive).count() as u32;
    if kind.holds_members() {
        let needed = rules.cell_committee_min_official;
        if official < needed {
            if count(Position::Member) > 0 {
                out.push(Shape::NoCommitteeBelowSize { official, needed });
            }
            if count(Position::Deputy) > 1 {
                out.push(Shape::TooManyDeputies { seated: count(Position::Deputy) });
            }
        } else if seated > rules.committee.cell_committee_max {
            out.push(Shape::AboveSize { seated, max: rules.committee.cell_committee_max });
        }
    }
    if let Some(planned) = term.planned_size {
        if seated > planned && !out.iter().any(|s| matches!(s, Shape::AboveSize { .. })) {
            out.push(Shape::AboveSize { seated, max: planned });
        } else if seated < planned {
            out.push(Shape::BelowSize { seated, planned });
        }
    }
    out
}

/// The default name of a term that starts on `starts` and is planned to end on `end`.
pub fn term_label(starts: NaiveDate, end: NaiveDate) -> String {
    use chrono::Datelike;
    format!("Nhiệm kỳ {} – {}", starts.year(), end.year())
}

/// What a committee figure of the dashboard counts; the list behind it is the organizations
/// it counts that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommitteeList {
    /// Cells of villages and residential groups.
    Residential,
    /// Residential cells whose secretary that day is also the village or group's head.
    VillageHead,
    /// Organizations with a term running that day.
    Term,
    /// Organizations whose running term has its working regulation adopted by that day.
    Regulation,
}

impl CommitteeList {
    /// Every figure, in the dashboard's order.
    pub const ALL: [CommitteeList; 4] = [CommitteeList::Residential, CommitteeList::VillageHead, CommitteeList::Term, CommitteeList::Regulation];

    /// Its code in a list's query (`committee=village_head`).
    pub fn code(self) -> &'static str {
        match self {
            CommitteeList::Residential => "residential",
            CommitteeList::VillageHead => "village_head",
            CommitteeList::Term => "term",
            CommitteeList::Regulation => "regulation",
        }
    }

    /// From its code.
    pub fn from_code(code: &str) -> Option<CommitteeList> {
        CommitteeList::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The key its facts move in a tally (`committee:village_head`).
    pub fn key(self) -> &'static str {
        match self {
            CommitteeList::Residential => "committee:residential",
            CommitteeList::VillageHead => "committee:village_head",
            CommitteeList::Term => "committee:term",
            CommitteeList::Regulation => "committee:regulation",
        }
    }

    /// The figure it is a share of: the secretaries who are village heads among the
    /// residential cells, the regulations among the running terms.
    pub fn among(self) -> Option<CommitteeList> {
        match self {
            CommitteeList::VillageHead => Some(CommitteeList::Residential),
            CommitteeList::Regulation => Some(CommitteeList::Term),
            CommitteeList::Residential | CommitteeList::Term => None,
        }
    }

    /// Its name in a language.
    pub fn label(self, lang: crate::error::Lang) -> &'static str {
        use crate::error::Lang::{En, Vi};
        match (self, lang) {
            (CommitteeList::Residential, Vi) => "Chi bộ thôn, khu phố, tổ dân phố",
            (CommitteeList::Residential, En) => "Village and residential cells",
            (CommitteeList::VillageHead, Vi) => "Bí thư chi bộ đồng thời là trưởng thôn, khu phố",
            (CommitteeList::VillageHead, En) => "Secretaries who are also the village head",
            (CommitteeList::Term, Vi) => "Tổ chức đảng có cấp ủy nhiệm kỳ hiện tại",
            (CommitteeList::Term, En) => "Organizations with a running term",
            (CommitteeList::Regulation, Vi) => "Có quy chế làm việc của nhiệm kỳ",
            (CommitteeList::Regulation, En) => "With the term's working regulation",
        }
    }
}

/// The days an organization counts under the committee figures that do not depend on its
/// level and category alone, as sorted, disjoint intervals [from, until) (the open end is
/// [`crate::calendar::OPEN_END`]). Being residential is a property of its path spans; the
/// village-head figure also needs it, which [`crate::stats::committee_facts`] applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CountedDays {
    /// A term runs.
    pub term: Vec<(NaiveDate, NaiveDate)>,
    /// A term runs and its working regulation has been adopted.
    pub regulation: Vec<(NaiveDate, NaiveDate)>,
    /// A term runs, its secretary holds the seat and is also the village or group's head.
    pub village_head: Vec<(NaiveDate, NaiveDate)>,
}

/// Sorted, disjoint intervals covering the same days as `v` (overlapping or touching
/// intervals merged, empty ones dropped).
pub fn union_of(mut v: Vec<(NaiveDate, NaiveDate)>) -> Vec<(NaiveDate, NaiveDate)> {
    v.retain(|(a, b)| a < b);
    v.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The days of one organization's committee figures, from its terms, the seats of those
/// terms, the concurrent posts of the seats' holders and the first adoption day of each
/// term's regulation. Seats and posts of other terms or members are ignored.
pub fn counted_days(terms: &[Term], seats: &[Seat], posts: &[Post], adopted: &[(TermId, NaiveDate)]) -> CountedDays {
    let end = crate::calendar::OPEN_END;
    let span = |t: &Term| (t.starts_on, t.ended_on.unwrap_or(end));
    let mut out = CountedDays { term: union_of(terms.iter().map(span).collect()), ..Default::default() };
    let mut regulation = Vec::new();
    let mut village_head = Vec::new();
    for t in terms {
        let (from, until) = span(t);
        if let Some(first) = adopted.iter().filter(|(id, _)| *id == t.id).map(|(_, d)| *d).min() {
            regulation.push((from.max(first), until));
        }
        for s in seats.iter().filter(|s| s.term_id == t.id && s.position == Position::Secretary) {
            let (a, b) = (from.max(s.from), until.min(s.ends_on().unwrap_or(end)));
            for p in posts.iter().filter(|p| p.member_id == s.member_id && p.kind == PostKind::VillageHead) {
                village_head.push((a.max(p.from), b.min(p.until.unwrap_or(end))));
            }
        }
    }
    out.regulation = union_of(regulation);
    out.village_head = union_of(village_head);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    pub(crate) fn rules() -> CommitteeRules {
        CommitteeRules {
            term_months: 60,
            cell_term_months: 30,
            cell_term_months_pilot: 60,
            cell_committee_max: 7,
            seat_effects: vec![
                (MemberStatus::Suspended, SeatEffect::Suspend),
                (MemberStatus::InTransit, SeatEffect::End),
                (MemberStatus::TransferredOut, SeatEffect::End),
                (MemberStatus::Deceased, SeatEffect::End),
                (MemberStatus::Expelled, SeatEffect::End),
                (MemberStatus::StruckOff, SeatEffect::End),
                (MemberStatus::Left, SeatEffect::End),
            ],
            appointed_may_be_outside: true,
            congress_warning_months: 6,
            regulation_due_months: 3,
            regulation_max_bytes: 10 * 1024 * 1024,
        }
    }

    fn span(from: NaiveDate, until: NaiveDate, cell: OrgId, status: MemberStatus) -> MemberSpan {
        MemberSpan { from, until, cell, status }
    }

    #[test]
    fn a_temporary_stay_elsewhere_keeps_the_seat_and_a_permanent_move_ends_it_that_day() {
        // Cell 7 is inside the committee's organization, cell 9 is not.
        let inside = |c: OrgId, _: NaiveDate| c == 7;
        let end = crate::calendar::OPEN_END;
        // A temporary transfer changes no span: the member stays in cell 7 all along.
        let kept = follow(d(2020, 9, 1), &[span(d(2010, 1, 1), end, 7, MemberStatus::Official)], inside, false, |_| rules());
        assert_eq!(kept.left, None);
        assert_eq!(kept.state_on(d(2020, 9, 1), None, d(2024, 1, 1)), SeatState::Held);
        // A permanent transfer: in transit from 01/03/2023, then in cell 9.
        let spans = [
            span(d(2010, 1, 1), d(2023, 3, 1), 7, MemberStatus::Official),
            span(d(2023, 3, 1), d(2023, 3, 20), 7, MemberStatus::InTransit),
            span(d(2023, 3, 20), end, 9, MemberStatus::Official),
        ];
        let moved = follow(d(2020, 9, 1), &spans, inside, false, |_| rules());
        assert_eq!(moved.left, Some(Left { on: d(2023, 3, 1), status: Some(MemberStatus::InTransit) }));
        assert_eq!(moved.state_on(d(2020, 9, 1), None, d(2023, 2, 28)), SeatState::Held);
        assert_eq!(moved.state_on(d(2020, 9, 1), None, d(2023, 3, 1)), SeatState::Ended);
        // Moving inside the organization (a grassroots committee's seat, cells 7 and 8 in it)
        // keeps it; moving to a cell outside ends it.
        let spans = [span(d(2010, 1, 1), d(2022, 1, 1), 7, MemberStatus::Official), span(d(2022, 1, 1), end, 8, MemberStatus::Official)];
        assert_eq!(follow(d(2020, 9, 1), &spans, |c, _| c == 7 || c == 8, false, |_| rules()).left, None);
        assert_eq!(follow(d(2020, 9, 1), &spans, inside, false, |_| rules()).left, Some(Left { on: d(2022, 1, 1), status: None }));
        // Someone appointed from outside keeps the seat wherever their cell is.
        assert_eq!(follow(d(2020, 9, 1), &spans, inside, true, |_| rules()).left, None);
    }

    #[test]
    fn a_suspension_suspends_the_seat_and_an_ended_seat_does_not_come_back() {
        let end = crate::calendar::OPEN_END;
        let spans = [
            span(d(2010, 1, 1), d(2022, 5, 1), 7, MemberStatus::Official),
            span(d(2022, 5, 1), d(2022, 8, 1), 7, MemberStatus::Suspended),
            span(d(2022, 8, 1), d(2024, 1, 1), 7, MemberStatus::Official),
            span(d(2024, 1, 1), d(2024, 2, 1), 7, MemberStatus::InTransit),
            span(d(2024, 2, 1), end, 7, MemberStatus::Official),
        ];
        let f = follow(d(2020, 9, 1), &spans, |c, _| c == 7, false, |_| rules());
        assert_eq!(f.suspended, vec![(d(2022, 5, 1), d(2022, 8, 1))]);
        assert_eq!(f.state_on(d(2020, 9, 1), None, d(2022, 6, 1)), SeatState::Suspended);
        assert_eq!(f.state_on(d(2020, 9, 1), None, d(2022, 8, 1)), SeatState::Held);
        // Returned to the cell on 01/02/2024 (a refused transfer): the seat stays ended.
        assert_eq!(f.state_on(d(2020, 9, 1), None, d(2024, 6, 1)), SeatState::Ended);
        // An end by hand before the life's end wins.
        assert_eq!(f.state_on(d(2020, 9, 1), Some(d(2021, 1, 1)), d(2021, 6, 1)), SeatState::Ended);
    }

    #[test]
    fn the_effects_come_from_the_rules_of_the_day() {
        let end = crate::calendar::OPEN_END;
        let spans = [span(d(2010, 1, 1), d(2026, 1, 1), 7, MemberStatus::Official), span(d(2026, 1, 1), end, 7, MemberStatus::Suspended)];
        // From 2025 a (hypothetical) rule set ends the seat of a suspended member.
        let later = |day: NaiveDate| {
            let mut r = rules();
            if day >= d(2025, 1, 1) {
                r.seat_effects.retain(|(s, _)| *s != MemberStatus::Suspended);
                r.seat_effects.push((MemberStatus::Suspended, SeatEffect::End));
            }
            r
        };
        assert_eq!(follow(d(2020, 9, 1), &spans, |c, _| c == 7, false, later).left, Some(Left { on: d(2026, 1, 1), status: Some(MemberStatus::Suspended) }));
        assert!(follow(d(2020, 9, 1), &spans, |c, _| c == 7, false, |_| rules()).left.is_none());
    }

    #[test]
    fn a_post_reads_as_people_say_it() {
        let post = |kind, place: &str| Post {
            id: 1,
            member_id: 1,
            full_name: "Nguyễn Văn Thành".into(),
            kind,
            place: place.into(),
            from: d(2017, 1, 1),
            until: None,
            note: None,
            version: 1,
        };
        assert_eq!(post(PostKind::VillageHead, "Khu phố 3, phường Cửa Ông").title_vi(), "Trưởng khu phố 3, phường Cửa Ông");
        assert_eq!(post(PostKind::VillageHead, "Thôn Đồng Tâm").title_vi(), "Trưởng thôn Đồng Tâm");
        assert_eq!(post(PostKind::VillageHead, "Tổ dân phố 5").title_vi(), "Tổ trưởng tổ dân phố 5");
        assert_eq!(post(PostKind::VillageHead, "Ấp 2").title_vi(), "Trưởng ấp 2");
        assert_eq!(post(PostKind::VillageHead, "Tổ 7, khu 2").title_vi(), "Tổ trưởng tổ 7, khu 2");
        assert_eq!(post(PostKind::VillageHead, "Thongnhat").title_vi(), "Trưởng thôn, khu phố, tổ dân phố Thongnhat");
        // A place that does not say what it is keeps the kind's full name.
        assert_eq!(post(PostKind::VillageHead, "Cửa Ông 3").title_vi(), "Trưởng thôn, khu phố, tổ dân phố Cửa Ông 3");
        assert_eq!(post(PostKind::CommuneChair, "phường Cửa Ông").title_vi(), "Chủ tịch Ủy ban nhân dân phường Cửa Ông");
        assert_eq!(post(PostKind::Other, "Giám đốc Hợp tác xã Đồng Tâm").title_vi(), "Giám đốc Hợp tác xã Đồng Tâm");
    }

    #[test]
    fn positions_exist_by_the_kind_of_organization() {
        assert!(Position::Secretary.exists_in(OrgKind::Cell));
        assert!(!Position::StandingMember.exists_in(OrgKind::Cell));
        assert!(!Position::InspectionChair.exists_in(OrgKind::GrassrootsCell));
        assert!(Position::InspectionChair.exists_in(OrgKind::GrassrootsCommittee));
        assert!(!Position::Secretary.exists_in(OrgKind::Group));
        assert_eq!(Position::Member.title_vi(OrgKind::Cell), "Chi ủy viên");
        assert_eq!(Position::Member.title_vi(OrgKind::GrassrootsCommittee), "Đảng ủy viên");
    }

    fn rule_set() -> crate::rules::RuleSet {
        crate::rules::test_book().versions()[0].clone()
    }

    fn term(planned_size: Option<u32>) -> Term {
        Term {
            id: 1,
            org_id: 7,
            label: "Nhiệm kỳ 2025 – 2027".into(),
            starts_on: d(2025, 6, 1),
            planned_end: d(2027, 12, 1),
            ended_on: None,
            pilot: false,
            planned_size,
            village_head_expected: false,
            congress_id: None,
            version: 1,
        }
    }

    #[test]
    fn a_small_cell_elects_a_secretary_and_one_deputy_a_large_one_a_chi_uy_of_at_most_seven() {
        use Position as P;
        let r = rule_set();
        assert_eq!(shape(OrgKind::Cell, &term(None), &[P::Deputy], 5, &r), vec![Shape::SecretaryVacant]);
        assert_eq!(shape(OrgKind::Cell, &term(None), &[P::Secretary, P::Deputy], 5, &r), vec![]);
        assert_eq!(shape(OrgKind::Cell, &term(None), &[P::Secretary, P::Deputy, P::Deputy], 8, &r), vec![Shape::TooManyDeputies { seated: 2 }]);
        assert_eq!(shape(OrgKind::Cell, &term(None), &[P::Secretary, P::Member], 8, &r), vec![Shape::NoCommitteeBelowSize { official: 8, needed: 9 }]);
        let eight = [P::Secretary, P::Deputy, P::Member, P::Member, P::Member, P::Member, P::Member, P::Member];
        assert_eq!(shape(OrgKind::Cell, &term(None), &eight, 40, &r), vec![Shape::AboveSize { seated: 8, max: 7 }]);
        assert_eq!(shape(OrgKind::Cell, &term(None), &eight[..7], 40, &r), vec![]);
        // A grassroots committee is judged against the number the upper level approved.
        assert_eq!(shape(OrgKind::GrassrootsCommittee, &term(Some(9)), &eight, 300, &r), vec![Shape::BelowSize { seated: 8, planned: 9 }]);
        assert_eq!(shape(OrgKind::GrassrootsCommittee, &term(Some(7)), &eight, 300, &r), vec![Shape::AboveSize { seated: 8, max: 7 }]);
    }

    fn seat_of(id: SeatId, term: TermId, member: MemberId, position: Position, from: NaiveDate, until: Option<NaiveDate>) -> Seat {
        Seat {
            id,
            term_id: term,
            member_id: member,
            full_name: String::new(),
            position,
            basis: SeatBasis::Elected,
            from,
            until,
            end: None,
            decision_no: None,
            approved_on: None,
            approval_no: None,
            note: None,
            left: None,
            version: 1,
        }
    }

    fn post_of(member: MemberId, kind: PostKind, from: NaiveDate, until: Option<NaiveDate>) -> Post {
        Post { id: 1, member_id: member, full_name: String::new(), kind, place: String::new(), from, until, note: None, version: 1 }
    }

    #[test]
    fn intervals_merge_when_they_overlap_or_touch_and_empty_ones_vanish() {
        let v = vec![(d(2021, 1, 1), d(2021, 3, 1)), (d(2020, 1, 1), d(2020, 6, 1)), (d(2020, 6, 1), d(2020, 9, 1)), (d(2022, 1, 1), d(2022, 1, 1))];
        assert_eq!(union_of(v), vec![(d(2020, 1, 1), d(2020, 9, 1)), (d(2021, 1, 1), d(2021, 3, 1))]);
    }

    #[test]
    fn a_secretary_counts_as_village_head_only_while_term_seat_and_post_overlap() {
        let end = crate::calendar::OPEN_END;
        let mut first = term(None);
        first.ended_on = Some(d(2027, 12, 1));
        let mut second = term(None);
        second.id = 2;
        second.starts_on = d(2027, 12, 1);
        let seats = [
            // Secretary from the term's start, left on 01/03/2026; another from 01/05/2026.
            seat_of(1, 1, 10, Position::Secretary, d(2025, 6, 1), Some(d(2026, 3, 1))),
            seat_of(2, 1, 11, Position::Secretary, d(2026, 5, 1), None),
            // A deputy who is a village head does not count.
            seat_of(3, 1, 12, Position::Deputy, d(2025, 6, 1), None),
            // Member 11 is secretary again in the next term.
            seat_of(4, 2, 11, Position::Secretary, d(2027, 12, 1), None),
            // A seat of another term (another organization) is ignored.
            seat_of(5, 9, 10, Position::Secretary, d(2020, 1, 1), None),
        ];
        let posts = [
            post_of(10, PostKind::VillageHead, d(2017, 3, 15), None),
            post_of(11, PostKind::VillageHead, d(2026, 7, 1), Some(d(2028, 1, 1))),
            post_of(12, PostKind::VillageHead, d(2017, 1, 1), None),
            // Another kind of post does not count.
            post_of(11, PostKind::CommuneChair, d(2026, 1, 1), None),
        ];
        let days = counted_days(&[first, second], &seats, &posts, &[(1, d(2025, 5, 1)), (1, d(2025, 9, 1)), (2, d(2028, 2, 1))]);
        assert_eq!(days.term, vec![(d(2025, 6, 1), end)], "two terms end to end are one interval");
        // The regulation adopted before the term counts from its first day; the next term's
        // only from its adoption.
        assert_eq!(days.regulation, vec![(d(2025, 6, 1), d(2027, 12, 1)), (d(2028, 2, 1), end)]);
        assert_eq!(days.village_head, vec![(d(2025, 6, 1), d(2026, 3, 1)), (d(2026, 7, 1), d(2028, 1, 1))]);
    }

    #[test]
    fn committee_facts_follow_the_paths_and_count_village_heads_only_in_residential_cells() {
        use crate::stats::{PathSpan, Tally, committee_facts};
        let end = crate::calendar::OPEN_END;
        let span = |from, until, path: &str, category| PathSpan { from, until, path: path.into(), kind: OrgKind::Cell, category };
        // A residential cell moved under another ward on 01/07/2025, then became an agency's
        // cell on 01/01/2027.
        let spans = [
            span(d(2000, 1, 1), d(2025, 7, 1), "/1/2/7/", crate::org::OrgCategory::Residential),
            span(d(2025, 7, 1), d(2027, 1, 1), "/1/3/7/", crate::org::OrgCategory::Residential),
            span(d(2027, 1, 1), end, "/1/3/7/", crate::org::OrgCategory::Administration),
        ];
        let days = CountedDays { term: vec![(d(2025, 6, 1), end)], regulation: vec![], village_head: vec![(d(2025, 6, 1), end)] };
        let facts = committee_facts(7, &spans, &days);
        let on = |day: NaiveDate, prefix: &str| {
            let mut t = Tally::default();
            facts.iter().filter(|f| f.day <= day && f.path.starts_with(prefix)).for_each(|f| t.add(f));
            (t.get(CommitteeList::Residential.key()), t.get(CommitteeList::VillageHead.key()), t.get(CommitteeList::Term.key()))
        };
        assert_eq!(on(d(2025, 6, 30), "/1/2/"), (1, 1, 1));
        assert_eq!(on(d(2025, 7, 1), "/1/2/"), (0, 0, 0), "moved away with its figures");
        assert_eq!(on(d(2025, 7, 1), "/1/3/"), (1, 1, 1));
        assert_eq!(on(d(2027, 1, 1), "/1/"), (0, 0, 1), "no longer residential: the term still runs");
    }
}
