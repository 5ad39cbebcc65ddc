//! Admission into the party (phát triển đảng viên) as a case that moves through its steps:
//! candidate file → cell vote → admission decision → ceremony → probation → recognition vote
//! → recognition decision (official member) or striking off. Each step is checked here
//! against the rule set in force on its date; the store supplies the facts it cannot know
//! (the cell's official members on the vote date, the introducers' standing) and writes the
//! member events the steps imply.

pub mod audit;
pub mod command;

use crate::calendar::{add_months, format_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::member::{MemberId, MemberStatus};
use crate::org::{OrgId, code_enum};
use crate::rules::{RuleBook, WorkingCalendar};
use crate::text::grapheme_len;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Surrogate key of an admission case.
pub type AdmissionId = i64;

code_enum! {
    /// Where an admission case stands.
    Stage {
        /// Hồ sơ đang chuẩn bị: waiting for the cell's vote.
        Candidate = "candidate", "Chờ chi bộ xét, biểu quyết", "Waiting for the cell vote";
        /// Chi bộ đã biểu quyết: waiting for the committee's decision.
        Voted = "voted", "Chờ quyết định kết nạp", "Waiting for the admission decision";
        /// Đã có quyết định: waiting for the ceremony.
        Decided = "decided", "Chờ tổ chức lễ kết nạp", "Waiting for the ceremony";
        /// Đang dự bị.
        Probation = "probation", "Đang trong thời gian dự bị", "On probation";
        /// Chi bộ đã biểu quyết công nhận: waiting for the committee's decision.
        RecognitionVoted = "recognition_voted", "Chờ quyết định công nhận chính thức", "Waiting for the recognition decision";
        /// Đã là đảng viên chính thức.
        Official = "official", "Đã công nhận chính thức", "Made official";
        /// Không được công nhận, đã xóa tên.
        StruckOff = "struck_off", "Không được công nhận, đã xóa tên", "Not recognized, struck off";
        /// Chi bộ không tán thành kết nạp.
        Rejected = "rejected", "Chi bộ không tán thành kết nạp", "Not admitted by the cell";
    }
}

/// A cell's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// Date of the meeting.
    pub on: NaiveDate,
    /// Official members in favour.
    pub votes_for: u32,
    /// Official members against.
    pub votes_against: u32,
    /// Official members of the cell on that date (the denominator).
    pub official_total: u32,
}

/// A committee's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Its date (effective date of the change it makes).
    pub on: NaiveDate,
    /// Its number ("123-QĐ/ĐU").
    pub number: String,
    /// The committee that signed it.
    pub issued_by: String,
}

/// An admission case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdmissionCase {
    /// Key.
    pub id: AdmissionId,
    /// The person (a candidate record, later the member).
    pub member_id: MemberId,
    /// The cell that proposes and admits.
    pub cell: OrgId,
    /// The candidate file.
    pub file: CandidateFile,
    /// The cell's admission vote.
    pub vote: Option<Vote>,
    /// The admission decision.
    pub decision: Option<Decision>,
    /// Date of the ceremony.
    pub ceremony_on: Option<NaiveDate>,
    /// The recognition vote.
    pub recognition_vote: Option<Vote>,
    /// The recognition decision (or the decision to strike off).
    pub recognition_decision: Option<Decision>,
    /// Where it stands.
    pub stage: Stage,
    /// Row version.
    pub version: i64,
}

/// The candidate file (hồ sơ người vào Đảng).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateFile {
    /// Number of the awareness-course certificate (giấy chứng nhận bồi dưỡng nhận thức về Đảng).
    pub certificate_no: String,
    /// Its date.
    pub certificate_on: NaiveDate,
    /// Date of the application (đơn xin vào Đảng).
    pub applied_on: NaiveDate,
    /// Date the background form (lý lịch) was completed.
    pub background_on: Option<NaiveDate>,
    /// Date the family and background vetting (thẩm tra lý lịch) concluded.
    pub vetted_on: Option<NaiveDate>,
    /// The two introducers.
    pub introducers: [MemberId; 2],
    /// Since when each introducer has known the candidate.
    pub known_since: [NaiveDate; 2],
}

/// What the store knows of an introducer on the application date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntroducerFacts {
    /// Who.
    pub member_id: MemberId,
    /// Name, for messages.
    pub name: String,
    /// Status on the application date.
    pub status: Option<MemberStatus>,
    /// Date made official.
    pub official_on: Option<NaiveDate>,
    /// Their cell on the application date.
    pub cell: Option<OrgId>,
    /// The candidate and the introducer share a workplace (declared on the file).
    pub same_workplace: bool,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Hoàn thiện hồ sơ: the background form done and the vetting concluded.
    Vetting {
        /// Date the background form was completed.
        background_on: NaiveDate,
        /// Date the vetting concluded.
        vetted_on: NaiveDate,
    },
    /// Chi bộ biểu quyết đề nghị kết nạp.
    Vote {
        /// Date.
        on: NaiveDate,
        /// In favour.
        votes_for: u32,
        /// Against.
        votes_against: u32,
    },
    /// Quyết định kết nạp.
    Decision {
        /// Decision.
        decision: Decision,
    },
    /// Lễ kết nạp.
    Ceremony {
        /// Date.
        on: NaiveDate,
    },
    /// Chi bộ biểu quyết công nhận chính thức.
    RecognitionVote {
        /// Date.
        on: NaiveDate,
        /// In favour.
        votes_for: u32,
        /// Against.
        votes_against: u32,
    },
    /// Quyết định công nhận chính thức (or striking off when the vote failed).
    RecognitionDecision {
        /// Decision.
        decision: Decision,
    },
}

impl Step {
    /// Vietnamese name of the step.
    pub fn label_vi(&self) -> &'static str {
        match self {
            Self::Vetting { .. } => "Hoàn thiện lý lịch và thẩm tra",
            Self::Vote { .. } => "Chi bộ biểu quyết đề nghị kết nạp",
            Self::Decision { .. } => "Quyết định kết nạp",
            Self::Ceremony { .. } => "Lễ kết nạp",
            Self::RecognitionVote { .. } => "Chi bộ biểu quyết công nhận chính thức",
            Self::RecognitionDecision { .. } => "Quyết định công nhận chính thức",
        }
    }

    /// The step's date.
    pub fn on(&self) -> NaiveDate {
        match self {
            Self::Vote { on, .. } | Self::Ceremony { on } | Self::RecognitionVote { on, .. } => *on,
            Self::Vetting { vetted_on, .. } => *vetted_on,
            Self::Decision { decision } | Self::RecognitionDecision { decision } => decision.on,
        }
    }
}

/// What a step does to the member, for the store to record as an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing on the member record.
    None,
    /// Admitted as probationary member on the date.
    Admitted(NaiveDate),
    /// Made official on the date (the day probation ended).
    MadeOfficial(NaiveDate),
    /// Struck off on the date.
    StruckOff(NaiveDate),
}

/// Age in whole months on a date.
pub fn age_months(birth: NaiveDate, on: NaiveDate) -> u32 {
    use chrono::Datelike;
    let mut m = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    if on.day() < birth.day() {
        m -= 1;
    }
    m.max(0) as u32
}

fn not_before(field: &str, d: NaiveDate, other: &str, other_d: NaiveDate) -> Option<FieldError> {
    (d < other_d)
        .then(|| FieldError::new(field, ErrorCode::DateBeforeOther).with("date", format_date(d)).with("other", other).with("other_date", format_date(other_d)))
}

fn not_future(field: &str, d: NaiveDate, today: NaiveDate) -> Option<FieldError> {
    (d > today).then(|| FieldError::new(field, ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(today)))
}

/// Checks a new candidate file: the candidate's age on the application date (by month), the
/// certificate still valid, the background dates in order, and both introducers.
pub fn check_file(
    book: &RuleBook,
    candidate: MemberId,
    birth: NaiveDate,
    cell: OrgId,
    file: &CandidateFile,
    introducers: &[IntroducerFacts; 2],
    today: NaiveDate,
) -> Result<(), ValidationErrors> {
    let rules = book.at(file.applied_on);
    let mut e = ValidationErrors::new();
    if file.certificate_no.trim().is_empty() {
        e.push(FieldError::new("certificate_no", ErrorCode::Required));
    } else if grapheme_len(&file.certificate_no) > 50 {
        e.push(FieldError::new("certificate_no", ErrorCode::TooLong).with("max", 50));
    }
    for (field, d) in [
        ("certificate_on", Some(file.certificate_on)),
        ("applied_on", Some(file.applied_on)),
        ("background_on", file.background_on),
        ("vetted_on", file.vetted_on),
    ] {
        if let Some(err) = d.and_then(|d| not_future(field, d, today)) {
            e.push(err);
        }
    }
    if let Err(err) = check_age(book, "applied_on", birth, file.applied_on) {
        e.push(err);
    }
    let expires = add_months(file.certificate_on, rules.certificate_validity_months);
    if file.applied_on >= expires {
        e.push(certificate_expired(file.certificate_on, expires));
    }
    if let Some(err) = not_before("applied_on", file.applied_on, "ngày cấp giấy chứng nhận", file.certificate_on) {
        e.push(err);
    }
    if let Some(err) = file.background_on.and_then(|d| not_before("background_on", d, "ngày làm đơn", file.applied_on)) {
        e.push(err);
    }
    if let (Some(v), Some(b)) = (file.vetted_on, file.background_on)
        && let Some(err) = not_before("vetted_on", v, "ngày hoàn thành lý lịch", b)
    {
        e.push(err);
    }
    if file.introducers[0] == file.introducers[1] || file.introducers.contains(&candidate) {
        e.push(FieldError::new("introducer_2", ErrorCode::IntroducersDistinct));
    }
    for (i, facts) in introducers.iter().enumerate() {
        let field = if i == 0 { "introducer_1" } else { "introducer_2" };
        let needed_since = crate::calendar::sub_months(file.applied_on, rules.introducer_min_official_months);
        let official_long_enough = facts.status == Some(MemberStatus::Official) && facts.official_on.is_some_and(|o| o <= needed_since);
        if !official_long_enough {
            e.push(
                FieldError::new(field, ErrorCode::IntroducerNotOfficial)
                    .with("name", &facts.name)
                    .with("months", rules.introducer_min_official_months)
                    .with("date", format_date(file.applied_on)),
            );
        } else if facts.cell != Some(cell) && !facts.same_workplace {
            e.push(FieldError::new(field, ErrorCode::IntroducerNotShared).with("name", &facts.name));
        }
        let known_needed = crate::calendar::sub_months(file.applied_on, rules.introducer_min_known_months);
        if file.known_since[i] > known_needed {
            e.push(
                FieldError::new(if i == 0 { "known_since_1" } else { "known_since_2" }, ErrorCode::IntroducerNotKnownLongEnough)
                    .with("name", &facts.name)
                    .with("months", rules.introducer_min_known_months),
            );
        }
    }
    e.into_result()
}

/// A case is opened for a candidate (a person not yet in the party).
pub fn check_can_open(status: MemberStatus) -> Result<(), FieldError> {
    if status != MemberStatus::Candidate {
        return Err(FieldError::new("status", ErrorCode::TransitionNotAllowed).with("event", "Lập hồ sơ kết nạp").with("status", status.label_vi()));
    }
    Ok(())
}

/// The refusal of a second case while one is in progress (also what the unique index's
/// violation reads as).
pub fn case_in_progress() -> FieldError {
    FieldError::new("step", ErrorCode::StepOutOfOrder).with("step", "Lập hồ sơ kết nạp").with("stage", "đã có hồ sơ đang xét")
}

/// One case in progress per person at a time.
pub fn check_none_in_progress(in_progress: bool) -> Result<(), FieldError> {
    if in_progress { Err(case_in_progress()) } else { Ok(()) }
}

/// A step is taken while the person is still on the roll of the cell that proposed them.
pub fn check_still_in_cell(step: &Step, case_cell: OrgId, member_cell: OrgId, member_cell_name: &str) -> Result<(), FieldError> {
    if member_cell != case_cell {
        return Err(FieldError::new("step", ErrorCode::TransitionNotAllowed)
            .with("event", step.label_vi())
            .with("status", format!("đã chuyển sang «{member_cell_name}»")));
    }
    Ok(())
}

/// A candidate's age on a date (the application, and again the cell's vote): from the minimum
/// in full years to the maximum counted in months.
pub fn check_age(book: &RuleBook, field: &str, birth: NaiveDate, on: NaiveDate) -> Result<(), FieldError> {
    let rules = book.at(on);
    let age = age_months(birth, on);
    if age < rules.candidate_min_age_years * 12 || age > rules.candidate_max_age_months {
        return Err(FieldError::new(field, ErrorCode::CandidateAge)
            .with("min", rules.candidate_min_age_years)
            .with("max", rules.candidate_max_age_months / 12)
            .with("date", format_date(on))
            .with("age", format!("{} tuổi {} tháng", age / 12, age % 12)));
    }
    Ok(())
}

fn certificate_expired(on: NaiveDate, expires: NaiveDate) -> FieldError {
    FieldError::new("certificate_on", ErrorCode::CertificateExpired).with("date", format_date(on)).with("expired", format_date(expires))
}

/// The day an awareness-course certificate stops being valid.
pub fn certificate_expires(book: &RuleBook, certificate_on: NaiveDate) -> NaiveDate {
    add_months(certificate_on, book.at(certificate_on).certificate_validity_months)
}

fn check_vote(book: &RuleBook, field: &str, on: NaiveDate, votes_for: u32, votes_against: u32, official_total: u32) -> Result<bool, ValidationErrors> {
    if official_total == 0 {
        return Err(FieldError::new("vote_on", ErrorCode::CellHasNoOfficial).with("date", format_date(on)).into());
    }
    let sum = u64::from(votes_for) + u64::from(votes_against);
    if sum > u64::from(official_total) {
        return Err(FieldError::new(field, ErrorCode::VoteCounts).with("sum", sum).with("total", official_total).into());
    }
    Ok(book.at(on).vote_threshold.reached(votes_for, official_total))
}

fn vote_below(book: &RuleBook, on: NaiveDate, votes_for: u32, total: u32) -> FieldError {
    let t = book.at(on).vote_threshold;
    let needed = (u64::from(total) * u64::from(t.num)).div_ceil(u64::from(t.den));
    FieldError::new("votes_for", ErrorCode::VoteBelowThreshold)
        .with("for", votes_for)
        .with("total", total)
        .with("share", format!("{}/{}", t.num, t.den))
        .with("needed", needed)
}

fn check_decision(d: &Decision) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if d.number.trim().is_empty() {
        e.push(FieldError::new("decision_number", ErrorCode::Required));
    } else if grapheme_len(&d.number) > 50 {
        e.push(FieldError::new("decision_number", ErrorCode::TooLong).with("max", 50));
    }
    if d.issued_by.trim().is_empty() {
        e.push(FieldError::new("issued_by", ErrorCode::Required));
    } else if grapheme_len(&d.issued_by) > 200 {
        e.push(FieldError::new("issued_by", ErrorCode::TooLong).with("max", 200));
    }
    e.into_result()
}

fn out_of_order(step: &Step, stage: Stage) -> ValidationErrors {
    FieldError::new("step", ErrorCode::StepOutOfOrder).with("step", step.label_vi()).with("stage", stage.label_vi()).into()
}

impl AdmissionCase {
    /// The day probation ends, once the ceremony is held: probation runs 12 months from the
    /// ceremony (Điều lệ Đảng, Điều 5), while party age counts from the decision.
    pub fn probation_ends(&self, book: &RuleBook) -> Option<NaiveDate> {
        self.ceremony_on.map(|c| book.at(c).probation_ends(c))
    }

    /// The last day for the ceremony, once decided.
    pub fn ceremony_due(&self, book: &RuleBook, cal: &WorkingCalendar) -> Option<NaiveDate> {
        self.decision.as_ref().map(|d| cal.add_working_days(d.on, book.at(d.on).ceremony_within_working_days))
    }

    /// Whether the ceremony was (or, still undone, is by `today`) later than the rules allow.
    pub fn ceremony_late(&self, book: &RuleBook, cal: &WorkingCalendar, today: NaiveDate) -> bool {
        match (self.ceremony_due(book, cal), self.ceremony_on) {
            (Some(due), Some(held)) => held > due,
            (Some(due), None) => today > due,
            _ => false,
        }
    }

    /// The last day for the recognition decision.
    pub fn recognition_due(&self, book: &RuleBook, cal: &WorkingCalendar) -> Option<NaiveDate> {
        self.probation_ends(book).map(|end| cal.add_working_days(end, book.at(end).recognition_within_working_days))
    }

    /// Applies a step: the case as it is after it and what it does to the member. `official`
    /// is the cell's official members on the step's date (for votes); `today` bounds dates.
    pub fn advance(&self, book: &RuleBook, step: &Step, official: u32, today: NaiveDate) -> Result<(AdmissionCase, Effect), ValidationErrors> {
        let mut next = self.clone();
        let on = step.on();
        if let Some(err) = not_future(step_field(step), on, today) {
            return Err(err.into());
        }
        let effect = match (step, self.stage) {
            (Step::Vetting { background_on, vetted_on }, Stage::Candidate) => {
                let mut e = ValidationErrors::new();
                if let Some(err) = not_future("background_on", *background_on, today) {
                    e.push(err);
                }
                if let Some(err) = not_before("background_on", *background_on, "ngày làm đơn", self.file.applied_on) {
                    e.push(err);
                }
                if let Some(err) = not_before("vetted_on", *vetted_on, "ngày hoàn thành lý lịch", *background_on) {
                    e.push(err);
                }
                e.into_result()?;
                next.file.background_on = Some(*background_on);
                next.file.vetted_on = Some(*vetted_on);
                Effect::None
            }
            (Step::Vote { on, votes_for, votes_against }, Stage::Candidate) => {
                // The cell votes on a complete file: background form done, vetting concluded.
                let mut e = ValidationErrors::new();
                if self.file.background_on.is_none() {
                    e.push(FieldError::new("background_on", ErrorCode::FileIncomplete));
                }
                if self.file.vetted_on.is_none() {
                    e.push(FieldError::new("vetted_on", ErrorCode::FileIncomplete));
                }
                e.into_result()?;
                if let Some(err) = self.file.vetted_on.and_then(|v| not_before("vote_on", *on, "ngày thẩm tra lý lịch", v)) {
                    return Err(err.into());
                }
                if let Some(err) = not_before("vote_on", *on, "ngày làm đơn", self.file.applied_on) {
                    return Err(err.into());
                }
                let expires = certificate_expires(book, self.file.certificate_on);
                if *on >= expires {
                    return Err(certificate_expired(self.file.certificate_on, expires).into());
                }
                let passed = check_vote(book, "votes_for", *on, *votes_for, *votes_against, official)?;
                next.vote = Some(Vote { on: *on, votes_for: *votes_for, votes_against: *votes_against, official_total: official });
                next.stage = if passed { Stage::Voted } else { Stage::Rejected };
                Effect::None
            }
            (Step::Decision { decision }, Stage::Voted) => {
                check_decision(decision)?;
                let vote_on = self.vote.map(|v| v.on).unwrap_or(decision.on);
                if let Some(err) = not_before("decision_on", decision.on, "ngày chi bộ biểu quyết", vote_on) {
                    return Err(err.into());
                }
                let expires = certificate_expires(book, self.file.certificate_on);
                if decision.on >= expires {
                    return Err(certificate_expired(self.file.certificate_on, expires).into());
                }
                next.decision = Some(decision.clone());
                next.stage = Stage::Decided;
                Effect::Admitted(decision.on)
            }
            (Step::Ceremony { on }, Stage::Decided) => {
                let decided = self.decision.as_ref().map(|d| d.on).unwrap_or(*on);
                if let Some(err) = not_before("ceremony_on", *on, "ngày quyết định kết nạp", decided) {
                    return Err(err.into());
                }
                next.ceremony_on = Some(*on);
                next.stage = Stage::Probation;
                Effect::None
            }
            (Step::RecognitionVote { on, votes_for, votes_against }, Stage::Probation) => {
                let ends = self.probation_ends(book).unwrap_or(*on);
                if *on < ends {
                    return Err(FieldError::new("vote_on", ErrorCode::ProbationNotOver).with("date", format_date(*on)).with("ends", format_date(ends)).into());
                }
                let passed = check_vote(book, "votes_for", *on, *votes_for, *votes_against, official)?;
                next.recognition_vote = Some(Vote { on: *on, votes_for: *votes_for, votes_against: *votes_against, official_total: official });
                next.stage = Stage::RecognitionVoted;
                let _ = passed;
                Effect::None
            }
            (Step::RecognitionDecision { decision }, Stage::RecognitionVoted) => {
                check_decision(decision)?;
                let vote = self.recognition_vote.ok_or_else(|| out_of_order(step, self.stage))?;
                if let Some(err) = not_before("decision_on", decision.on, "ngày chi bộ biểu quyết", vote.on) {
                    return Err(err.into());
                }
                next.recognition_decision = Some(decision.clone());
                if book.at(vote.on).vote_threshold.reached(vote.votes_for, vote.official_total) {
                    next.stage = Stage::Official;
                    // Official from the day probation ended, whatever day the decision was signed.
                    Effect::MadeOfficial(self.probation_ends(book).unwrap_or(decision.on))
                } else {
                    next.stage = Stage::StruckOff;
                    Effect::StruckOff(decision.on)
                }
            }
            (step, stage) => return Err(out_of_order(step, stage)),
        };
        Ok((next, effect))
    }

    /// Whether the recognition vote (if taken) reached the threshold.
    pub fn recognition_passed(&self, book: &RuleBook) -> Option<bool> {
        self.recognition_vote.map(|v| book.at(v.on).vote_threshold.reached(v.votes_for, v.official_total))
    }

    /// A refusal of the admission vote as a message, for callers that want to explain a
    /// rejected case.
    pub fn vote_shortfall(&self, book: &RuleBook) -> Option<FieldError> {
        let v = self.vote?;
        (!book.at(v.on).vote_threshold.reached(v.votes_for, v.official_total)).then(|| vote_below(book, v.on, v.votes_for, v.official_total))
    }
}

fn step_field(step: &Step) -> &'static str {
    match step {
        Step::Vetting { .. } => "vetted_on",
        Step::Vote { .. } | Step::RecognitionVote { .. } => "vote_on",
        Step::Decision { .. } | Step::RecognitionDecision { .. } => "decision_on",
        Step::Ceremony { .. } => "ceremony_on",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleBook;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn book() -> RuleBook {
        crate::rules::test_book()
    }

    fn official(id: MemberId, since: NaiveDate, cell: OrgId) -> IntroducerFacts {
        IntroducerFacts {
            member_id: id,
            name: format!("Người {id}"),
            status: Some(MemberStatus::Official),
            official_on: Some(since),
            cell: Some(cell),
            same_workplace: false,
        }
    }

    fn file() -> CandidateFile {
        CandidateFile {
            certificate_no: "GCN-15/2025".into(),
            certificate_on: d(2025, 3, 1),
            applied_on: d(2025, 4, 1),
            background_on: Some(d(2025, 5, 1)),
            vetted_on: Some(d(2025, 6, 1)),
            introducers: [10, 11],
            known_since: [d(2020, 1, 1), d(2021, 1, 1)],
        }
    }

    fn case() -> AdmissionCase {
        AdmissionCase {
            id: 1,
            member_id: 5,
            cell: 7,
            file: file(),
            vote: None,
            decision: None,
            ceremony_on: None,
            recognition_vote: None,
            recognition_decision: None,
            stage: Stage::Candidate,
            version: 1,
        }
    }

    fn decision(on: NaiveDate) -> Decision {
        Decision { on, number: "123-QĐ/ĐU".into(), issued_by: "Đảng ủy phường Hồng Gai".into() }
    }

    #[test]
    fn a_good_file_passes_and_a_probationary_introducer_is_refused() {
        let b = book();
        let today = d(2026, 11, 25);
        let good = [official(10, d(2010, 1, 1), 7), official(11, d(2015, 1, 1), 7)];
        check_file(&b, 5, d(2000, 5, 5), 7, &file(), &good, today).unwrap();

        let mut probationary = good.clone();
        probationary[1].status = Some(MemberStatus::Probationary);
        probationary[1].official_on = None;
        let err = check_file(&b, 5, d(2000, 5, 5), 7, &file(), &probationary, today).unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].field, "introducer_2");
        assert_eq!(err.errors[0].code, ErrorCode::IntroducerNotOfficial);
        assert!(err.errors[0].message(crate::error::Lang::Vi).contains("Người 11"), "{}", err.errors[0].message(crate::error::Lang::Vi));

        // Official for only 11 months on the application date.
        let mut recent = good.clone();
        recent[0].official_on = Some(d(2024, 5, 2));
        assert_eq!(check_file(&b, 5, d(2000, 5, 5), 7, &file(), &recent, today).unwrap_err().errors[0].code, ErrorCode::IntroducerNotOfficial);

        // Another cell, no shared workplace; then the same with the workplace declared.
        let mut elsewhere = good.clone();
        elsewhere[0].cell = Some(99);
        assert_eq!(check_file(&b, 5, d(2000, 5, 5), 7, &file(), &elsewhere, today).unwrap_err().errors[0].code, ErrorCode::IntroducerNotShared);
        elsewhere[0].same_workplace = true;
        check_file(&b, 5, d(2000, 5, 5), 7, &file(), &elsewhere, today).unwrap();
    }

    #[test]
    fn age_is_counted_in_months_and_the_certificate_expires() {
        let b = book();
        let today = d(2026, 11, 25);
        let good = [official(10, d(2010, 1, 1), 7), official(11, d(2015, 1, 1), 7)];
        // 18 on 02/04/2025: one day short on 01/04/2025.
        let err = check_file(&b, 5, d(2007, 4, 2), 7, &file(), &good, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::CandidateAge);
        check_file(&b, 5, d(2007, 4, 1), 7, &file(), &good, today).unwrap();
        // 60 years and one month on the application date.
        assert_eq!(check_file(&b, 5, d(1965, 3, 1), 7, &file(), &good, today).unwrap_err().errors[0].code, ErrorCode::CandidateAge);
        check_file(&b, 5, d(1965, 4, 1), 7, &file(), &good, today).unwrap();

        let mut old = file();
        old.certificate_on = d(2020, 3, 1);
        let err = check_file(&b, 5, d(2000, 5, 5), 7, &old, &good, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::CertificateExpired);
        assert!(err.errors[0].message(crate::error::Lang::Vi).contains("01/03/2025"));
    }

    #[test]
    fn the_cell_votes_on_a_complete_file_only() {
        let b = book();
        let today = d(2026, 11, 25);
        let mut c = case();
        c.file.background_on = None;
        c.file.vetted_on = None;
        let err = c.advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 9, votes_against: 0 }, 9, today).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(fields, [("background_on", ErrorCode::FileIncomplete), ("vetted_on", ErrorCode::FileIncomplete)]);
        // Vetting before the background form is refused; in order it completes the file.
        assert!(c.advance(&b, &Step::Vetting { background_on: d(2025, 5, 1), vetted_on: d(2025, 4, 1) }, 9, today).is_err());
        let (c, _) = c.advance(&b, &Step::Vetting { background_on: d(2025, 5, 1), vetted_on: d(2025, 6, 1) }, 9, today).unwrap();
        assert_eq!((c.stage, c.file.vetted_on), (Stage::Candidate, Some(d(2025, 6, 1))));
        let (c, _) = c.advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 9, votes_against: 0 }, 9, today).unwrap();
        assert_eq!(c.stage, Stage::Voted);
    }

    #[test]
    fn the_whole_path_to_official_member() {
        let b = book();
        let today = d(2026, 11, 25);
        let c = case();
        // 6 of 9 is exactly two thirds; 5 of 9 is not.
        let (below, _) = c.advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 5, votes_against: 4 }, 9, today).unwrap();
        assert_eq!(below.stage, Stage::Rejected);
        assert!(below.vote_shortfall(&b).unwrap().message(crate::error::Lang::Vi).contains("cần ít nhất 6"));
        let err = c.advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 6, votes_against: 4 }, 9, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::VoteCounts);
        let (c, e) = c.advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 6, votes_against: 3 }, 9, today).unwrap();
        assert_eq!((c.stage, e), (Stage::Voted, Effect::None));

        // Skipping the ceremony before the decision is refused with the stage named.
        let err = c.advance(&b, &Step::Ceremony { on: d(2025, 7, 20) }, 9, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::StepOutOfOrder);

        let (c, e) = c.advance(&b, &Step::Decision { decision: decision(d(2025, 7, 15)) }, 9, today).unwrap();
        assert_eq!(e, Effect::Admitted(d(2025, 7, 15)));
        assert_eq!(c.probation_ends(&b), None, "probation starts with the ceremony");
        let (c, _) = c.advance(&b, &Step::Ceremony { on: d(2025, 8, 1) }, 9, today).unwrap();
        assert_eq!(c.stage, Stage::Probation);
        assert_eq!(c.probation_ends(&b), Some(d(2026, 8, 1)));

        let err = c.advance(&b, &Step::RecognitionVote { on: d(2026, 7, 20), votes_for: 9, votes_against: 0 }, 9, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::ProbationNotOver);
        // A cell without official members that day cannot vote at all.
        let err = c.advance(&b, &Step::RecognitionVote { on: d(2026, 8, 3), votes_for: 0, votes_against: 0 }, 0, today).unwrap_err();
        assert_eq!(err.errors[0].code, ErrorCode::CellHasNoOfficial);
        let (c, _) = c.advance(&b, &Step::RecognitionVote { on: d(2026, 8, 3), votes_for: 8, votes_against: 1 }, 10, today).unwrap();
        let (c, e) = c.advance(&b, &Step::RecognitionDecision { decision: decision(d(2026, 8, 10)) }, 10, today).unwrap();
        assert_eq!(c.stage, Stage::Official);
        assert_eq!(e, Effect::MadeOfficial(d(2026, 8, 1)));
    }

    #[test]
    fn a_failed_recognition_vote_strikes_off_and_a_late_ceremony_is_flagged() {
        let b = book();
        let cal = WorkingCalendar::new(&b, 2024, 2027, &[]);
        let today = d(2026, 11, 25);
        let (c, _) = case().advance(&b, &Step::Vote { on: d(2025, 7, 1), votes_for: 9, votes_against: 0 }, 9, today).unwrap();
        let (c, _) = c.advance(&b, &Step::Decision { decision: decision(d(2025, 7, 15)) }, 9, today).unwrap();
        // 30 working days after 15/07/2025 (2/9 and the day next to it are holidays).
        let due = c.ceremony_due(&b, &cal).unwrap();
        assert_eq!(due, d(2025, 8, 26));
        assert!(c.ceremony_late(&b, &cal, d(2025, 8, 27)));
        assert!(!c.ceremony_late(&b, &cal, d(2025, 8, 26)));
        let (late, _) = c.advance(&b, &Step::Ceremony { on: d(2025, 9, 10) }, 9, today).unwrap();
        assert!(late.ceremony_late(&b, &cal, today));
        let (c, _) = late.advance(&b, &Step::RecognitionVote { on: d(2026, 9, 14), votes_for: 5, votes_against: 5 }, 10, today).unwrap();
        assert_eq!(c.recognition_passed(&b), Some(false));
        let (c, e) = c.advance(&b, &Step::RecognitionDecision { decision: decision(d(2026, 9, 21)) }, 10, today).unwrap();
        assert_eq!((c.stage, e), (Stage::StruckOff, Effect::StruckOff(d(2026, 9, 21))));
    }

    #[test]
    fn a_case_opens_for_a_candidate_without_one_in_progress() {
        assert_eq!(check_can_open(MemberStatus::Candidate), Ok(()));
        assert_eq!(check_can_open(MemberStatus::Official).map_err(|e| (e.field, e.code)), Err(("status".into(), ErrorCode::TransitionNotAllowed)));
        assert_eq!(check_none_in_progress(false), Ok(()));
        assert_eq!(check_none_in_progress(true).map_err(|e| e.code), Err(ErrorCode::StepOutOfOrder));
    }

    #[test]
    fn a_step_needs_the_person_still_in_the_proposing_cell() {
        let step = Step::Ceremony { on: d(2025, 9, 1) };
        assert_eq!(check_still_in_cell(&step, 7, 7, "Chi bộ 7"), Ok(()));
        let moved = check_still_in_cell(&step, 7, 8, "Chi bộ 8").unwrap_err();
        assert_eq!((moved.field.as_str(), moved.code), ("step", ErrorCode::TransitionNotAllowed));
        assert!(moved.message(crate::error::Lang::Vi).contains("Chi bộ 8"));
    }
}
