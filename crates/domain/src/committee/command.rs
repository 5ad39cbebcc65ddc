//! The writes on committees, as commands: a term recorded or ended, a position assigned or
//! ended, a concurrent post, a duty, a working regulation. The page's forms and the API's
//! bodies both parse into these; what can be decided from the input and the rules alone is
//! decided here, what needs the stored records (is the member in the organization on that
//! day, is the secretary's seat free) by the store.

use super::{DutyField, Position, PostKind, SeatBasis, SeatEnd, Term, term_label};
use crate::calendar::{add_months, format_date, parse_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::{OrgId, OrgKind};
use crate::rules::RuleBook;
use crate::text::grapheme_len;
use chrono::NaiveDate;

/// A record a person picked by name, as the caller found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Picked {
    /// Nothing picked.
    #[default]
    None,
    /// Found in the caller's reach.
    Found(i64),
    /// Typed, but nothing in the caller's reach matches it.
    NotFound,
}

fn tidy(s: &str) -> Option<String> {
    Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
}

pub(crate) fn text(e: &mut ValidationErrors, field: &str, value: &str, required: bool, max: usize) -> Option<String> {
    let t = tidy(value);
    match &t {
        None if required => e.push(FieldError::new(field, ErrorCode::Required)),
        Some(s) if grapheme_len(s) > max => e.push(FieldError::new(field, ErrorCode::TooLong).with("max", max)),
        _ => {}
    }
    t
}

fn date(e: &mut ValidationErrors, field: &str, value: &str, required: bool, today: NaiveDate) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            if required {
                e.push(FieldError::new(field, ErrorCode::Required));
            }
            None
        }
        v => match parse_date(v) {
            None => {
                e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", v));
                None
            }
            Some(d) if d > today => {
                e.push(FieldError::new(field, ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(today)));
                None
            }
            Some(d) => Some(d),
        },
    }
}

fn not_before(e: &mut ValidationErrors, field: &str, d: Option<NaiveDate>, other: &str, other_date: NaiveDate) {
    if let Some(d) = d.filter(|d| *d < other_date) {
        e.push(
            FieldError::new(field, ErrorCode::DateBeforeOther).with("date", format_date(d)).with("other", other).with("other_date", format_date(other_date)),
        );
    }
}

fn after(e: &mut ValidationErrors, field: &str, d: Option<NaiveDate>, other: &str, other_date: Option<NaiveDate>) {
    if let (Some(d), Some(o)) = (d, other_date)
        && d <= o
    {
        e.push(FieldError::new(field, ErrorCode::DateBeforeOther).with("date", format_date(d)).with("other", other).with("other_date", format_date(o)));
    }
}

pub(crate) fn choice<T>(e: &mut ValidationErrors, field: &str, value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    match value.trim() {
        "" => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
        v => parse(v).or_else(|| {
            e.push(FieldError::new(field, ErrorCode::InvalidChoice).with("value", v));
            None
        }),
    }
}

pub(crate) fn picked(e: &mut ValidationErrors, field: &str, p: Picked) -> Option<i64> {
    match p {
        Picked::Found(id) => Some(id),
        Picked::NotFound => {
            e.push(FieldError::new(field, ErrorCode::NotFound));
            None
        }
        Picked::None => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
    }
}

pub(crate) fn number(e: &mut ValidationErrors, field: &str, value: &str, max: u32) -> Option<u32> {
    match value.trim() {
        "" => None,
        v => match v.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                e.push(FieldError::new(field, ErrorCode::NumberRange).with("value", v).with("min", 1).with("max", max));
                None
            }
        },
    }
}

/// A term as typed.
#[derive(Debug, Clone, Default)]
pub struct TermInput {
    /// Its name; empty: "Nhiệm kỳ 2025 – 2030" from the dates.
    pub label: String,
    /// First day (the congress's day).
    pub starts_on: String,
    /// Planned end; empty: from the rules.
    pub planned_end: String,
    /// A cell in the pilot of one congress per term.
    pub pilot: bool,
    /// The approved number of committee members, if decided.
    pub planned_size: String,
    /// The local rule asks the secretary to be the village head.
    pub village_head_expected: bool,
}

/// A checked term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermFields {
    /// Name.
    pub label: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Planned end.
    pub planned_end: NaiveDate,
    /// Pilot.
    pub pilot: bool,
    /// Approved size.
    pub planned_size: Option<u32>,
    /// Secretary expected to be the village head.
    pub village_head_expected: bool,
}

impl TermInput {
    /// Checks a term of an organization of `kind`: a start not in the future, a planned end
    /// after it (by default the rules' length of a term for this kind, by the rules in force on
    /// the start), a sensible size. A party group has no committee.
    pub fn validate(&self, kind: OrgKind, book: &RuleBook, today: NaiveDate) -> Result<TermFields, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[("label", &self.label), ("starts_on", &self.starts_on), ("planned_end", &self.planned_end), ("planned_size", &self.planned_size)],
        ) {
            return Err(e);
        }
        if kind == OrgKind::Group {
            e.push(FieldError::new("term_org", ErrorCode::PositionNotInOrg).with("position", "cấp ủy").with("kind", kind.label_vi()));
        }
        let starts_on = date(&mut e, "term_start", &self.starts_on, true, today);
        let planned_end = match self.planned_end.trim() {
            "" => starts_on.map(|s| add_months(s, book.at(s).committee.term_length(kind, self.pilot))),
            v => parse_date(v).or_else(|| {
                e.push(FieldError::new("term_planned_end", ErrorCode::DateFormat).with("value", v));
                None
            }),
        };
        after(&mut e, "term_planned_end", planned_end, "ngày bắt đầu nhiệm kỳ", starts_on);
        if self.pilot && !kind.holds_members() {
            e.push(FieldError::new("term_pilot", ErrorCode::InvalidChoice).with("value", "thí điểm (chỉ áp dụng cho chi bộ)"));
        }
        let planned_size = number(&mut e, "term_planned_size", &self.planned_size, 99);
        let label = text(&mut e, "term_label", &self.label, false, 100);
        e.into_result()?;
        match (starts_on, planned_end) {
            (Some(starts_on), Some(planned_end)) => Ok(TermFields {
                label: label.unwrap_or_else(|| term_label(starts_on, planned_end)),
                starts_on,
                planned_end,
                pilot: self.pilot,
                planned_size,
                village_head_expected: self.village_head_expected,
            }),
            _ => Err(FieldError::new("term_start", ErrorCode::Required).into()),
        }
    }
}

/// The end of a term as typed.
#[derive(Debug, Clone, Default)]
pub struct CloseTermInput {
    /// The day it ended (the next congress).
    pub ended_on: String,
}

impl CloseTermInput {
    /// Checks the end: after the term's start, not in the future.
    pub fn validate(&self, term: &Term, today: NaiveDate) -> Result<NaiveDate, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("ended_on", &self.ended_on)]) {
            return Err(e);
        }
        if term.ended_on.is_some() {
            e.push(FieldError::new("term_end", ErrorCode::TermClosed).with("term", &term.label));
        }
        let on = date(&mut e, "term_end", &self.ended_on, true, today);
        after(&mut e, "term_end", on, "ngày bắt đầu nhiệm kỳ", Some(term.starts_on));
        e.into_result()?;
        on.ok_or_else(|| FieldError::new("term_end", ErrorCode::Required).into())
    }
}

/// A position assigned, as typed.
#[derive(Debug, Clone, Default)]
pub struct SeatInput {
    /// The member, picked by name.
    pub member: Picked,
    /// The position's code.
    pub position: String,
    /// "bau" or "chi_dinh".
    pub basis: String,
    /// First day in the seat.
    pub from: String,
    /// Số quyết định.
    pub decision_no: String,
    /// Ngày chuẩn y.
    pub approved_on: String,
    /// Số quyết định chuẩn y.
    pub approval_no: String,
    /// Ghi chú.
    pub note: String,
}

/// A checked position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignSeat {
    /// The member.
    pub member_id: i64,
    /// The position.
    pub position: Position,
    /// Elected or appointed.
    pub basis: SeatBasis,
    /// First day.
    pub from: NaiveDate,
    /// Decision.
    pub decision_no: Option<String>,
    /// Approval.
    pub approved_on: Option<NaiveDate>,
    /// Approval number.
    pub approval_no: Option<String>,
    /// Note.
    pub note: Option<String>,
}

impl SeatInput {
    /// Checks a position in a term of an organization of `kind`: a position the kind has, a
    /// first day within the term and not in the future, an approval not before it.
    pub fn validate(&self, kind: OrgKind, term: &Term, today: NaiveDate) -> Result<AssignSeat, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("position", &self.position),
                ("basis", &self.basis),
                ("from", &self.from),
                ("decision_no", &self.decision_no),
                ("approved_on", &self.approved_on),
                ("approval_no", &self.approval_no),
                ("note", &self.note),
            ],
        ) {
            return Err(e);
        }
        let member_id = picked(&mut e, "seat_member", self.member);
        let position = choice(&mut e, "position", &self.position, Position::from_code);
        if let Some(p) = position.filter(|p| !p.exists_in(kind)) {
            e.push(FieldError::new("position", ErrorCode::PositionNotInOrg).with("position", p.title_vi(kind)).with("kind", kind.label_vi()));
        }
        let basis = choice(&mut e, "basis", &self.basis, SeatBasis::from_code);
        let from = date(&mut e, "seat_from", &self.from, true, today);
        not_before(&mut e, "seat_from", from, "ngày bắt đầu nhiệm kỳ", term.starts_on);
        if let (Some(f), Some(end)) = (from, term.ended_on)
            && f >= end
        {
            e.push(FieldError::new("seat_from", ErrorCode::DateOutsideTerm).with("date", format_date(f)).with("term", &term.label));
        }
        let approved_on = date(&mut e, "approved_on", &self.approved_on, false, today);
        if let Some(f) = from {
            not_before(&mut e, "approved_on", approved_on, "ngày nhận chức", f);
        }
        let decision_no = text(&mut e, "decision_number", &self.decision_no, false, 50);
        let approval_no = text(&mut e, "approval_no", &self.approval_no, false, 50);
        let note = text(&mut e, "note", &self.note, false, 500);
        e.into_result()?;
        match (member_id, position, basis, from) {
            (Some(member_id), Some(position), Some(basis), Some(from)) => {
                Ok(AssignSeat { member_id, position, basis, from, decision_no, approved_on, approval_no, note })
            }
            _ => Err(FieldError::new("position", ErrorCode::Required).into()),
        }
    }
}

/// The end of a position, as typed.
#[derive(Debug, Clone, Default)]
pub struct EndSeatInput {
    /// The first day no longer in the seat.
    pub until: String,
    /// The reason's code.
    pub reason: String,
    /// Ghi chú.
    pub note: String,
}

/// A checked end of a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndSeat {
    /// First day no longer in the seat.
    pub until: NaiveDate,
    /// Why.
    pub reason: SeatEnd,
    /// Note.
    pub note: Option<String>,
}

impl EndSeatInput {
    /// Checks the end of a seat that began on `from`.
    pub fn validate(&self, from: NaiveDate, today: NaiveDate) -> Result<EndSeat, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("until", &self.until), ("reason", &self.reason), ("note", &self.note)]) {
            return Err(e);
        }
        let until = date(&mut e, "seat_until", &self.until, true, today);
        after(&mut e, "seat_until", until, "ngày nhận chức", Some(from));
        let reason = choice(&mut e, "seat_end", &self.reason, SeatEnd::from_code);
        let note = text(&mut e, "note", &self.note, false, 500);
        e.into_result()?;
        match (until, reason) {
            (Some(until), Some(reason)) => Ok(EndSeat { until, reason, note }),
            _ => Err(FieldError::new("seat_end", ErrorCode::Required).into()),
        }
    }
}

/// A concurrent post, as typed.
#[derive(Debug, Clone, Default)]
pub struct PostInput {
    /// The member, picked by name.
    pub member: Picked,
    /// The post's code.
    pub kind: String,
    /// Where ("Khu phố 3").
    pub place: String,
    /// First day.
    pub from: String,
    /// Ghi chú.
    pub note: String,
}

/// A checked concurrent post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPost {
    /// The member.
    pub member_id: i64,
    /// The post.
    pub kind: PostKind,
    /// Where.
    pub place: String,
    /// First day.
    pub from: NaiveDate,
    /// Note.
    pub note: Option<String>,
}

impl PostInput {
    /// Checks a concurrent post: a known post, where it is held, since when.
    pub fn validate(&self, today: NaiveDate) -> Result<RecordPost, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("kind", &self.kind), ("place", &self.place), ("from", &self.from), ("note", &self.note)]) {
            return Err(e);
        }
        let member_id = picked(&mut e, "post_member", self.member);
        let kind = choice(&mut e, "post_kind", &self.kind, PostKind::from_code);
        let place = text(&mut e, "post_place", &self.place, true, 200);
        let from = date(&mut e, "post_from", &self.from, true, today);
        let note = text(&mut e, "note", &self.note, false, 500);
        e.into_result()?;
        match (member_id, kind, place, from) {
            (Some(member_id), Some(kind), Some(place), Some(from)) => Ok(RecordPost { member_id, kind, place, from, note }),
            _ => Err(FieldError::new("post_kind", ErrorCode::Required).into()),
        }
    }
}

/// The end of something dated (a post, a duty), as typed.
#[derive(Debug, Clone, Default)]
pub struct EndInput {
    /// The first day after it.
    pub until: String,
}

impl EndInput {
    /// Checks the end of something that began on `from`.
    pub fn validate(&self, field: &str, from: NaiveDate, today: NaiveDate) -> Result<NaiveDate, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("until", &self.until)]) {
            return Err(e);
        }
        let until = date(&mut e, field, &self.until, true, today);
        after(&mut e, field, until, "ngày bắt đầu", Some(from));
        e.into_result()?;
        until.ok_or_else(|| FieldError::new(field, ErrorCode::Required).into())
    }
}

/// A duty, as typed.
#[derive(Debug, Clone, Default)]
pub struct DutyInput {
    /// The field's code.
    pub field: String,
    /// The organizations in charge of, picked by name.
    pub in_charge_of: Vec<Picked>,
    /// What the duty is.
    pub text: String,
    /// First day.
    pub from: String,
}

/// A checked duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignDuty {
    /// Field.
    pub field: DutyField,
    /// Organizations in charge of.
    pub in_charge_of: Vec<OrgId>,
    /// Text.
    pub text: Option<String>,
    /// First day.
    pub from: NaiveDate,
}

impl DutyInput {
    /// Checks a duty of a seat held from `seat_from`: a field, a first day not before the
    /// seat's, and either a text or an organization in charge of.
    pub fn validate(&self, seat_from: NaiveDate, today: NaiveDate) -> Result<AssignDuty, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("field", &self.field), ("text", &self.text), ("from", &self.from)]) {
            return Err(e);
        }
        let field = choice(&mut e, "duty_field", &self.field, DutyField::from_code);
        let mut in_charge_of = Vec::new();
        for p in &self.in_charge_of {
            match p {
                Picked::Found(id) if !in_charge_of.contains(id) => in_charge_of.push(*id),
                Picked::Found(_) | Picked::None => {}
                Picked::NotFound => e.push(FieldError::new("in_charge_of", ErrorCode::NotFound)),
            }
        }
        let text = text(&mut e, "duty_text", &self.text, false, 1000);
        if text.is_none() && in_charge_of.is_empty() {
            e.push(FieldError::new("duty_text", ErrorCode::Required));
        }
        let from = date(&mut e, "duty_from", &self.from, true, today);
        not_before(&mut e, "duty_from", from, "ngày nhận chức", seat_from);
        e.into_result()?;
        match (field, from) {
            (Some(field), Some(from)) => Ok(AssignDuty { field, in_charge_of, text, from }),
            _ => Err(FieldError::new("duty_field", ErrorCode::Required).into()),
        }
    }
}

/// The upper level's approval (chuẩn y) of an elected position, as typed.
#[derive(Debug, Clone, Default)]
pub struct ApproveInput {
    /// Ngày chuẩn y (dd/mm/yyyy).
    pub approved_on: String,
    /// Số quyết định chuẩn y.
    pub approval_no: String,
}

/// A checked approval: its day and the upper level's decision number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApproveSeat {
    /// Ngày chuẩn y.
    pub approved_on: NaiveDate,
    /// Số quyết định chuẩn y ("125-QĐ/ĐU").
    pub approval_no: String,
}

impl ApproveInput {
    /// Checks an approval of a position held from `from`: a day not before it and not in the
    /// future, and the decision's number (the store checks the day against the seat again).
    pub fn validate(&self, from: NaiveDate, today: NaiveDate) -> Result<ApproveSeat, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("approved_on", &self.approved_on), ("approval_no", &self.approval_no)]) {
            return Err(e);
        }
        let on = match self.approved_on.trim() {
            "" => {
                e.push(FieldError::new("approved_on", ErrorCode::Required));
                None
            }
            v => match parse_date(v) {
                None => {
                    e.push(FieldError::new("approved_on", ErrorCode::DateFormat).with("value", v));
                    None
                }
                Some(d) if d > today => {
                    e.push(FieldError::new("approved_on", ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(today)));
                    None
                }
                Some(d) if d < from => {
                    e.push(
                        FieldError::new("approved_on", ErrorCode::DateBeforeOther)
                            .with("date", format_date(d))
                            .with("other", "ngày nhận chức")
                            .with("other_date", format_date(from)),
                    );
                    None
                }
                Some(d) => Some(d),
            },
        };
        let number = self.approval_no.split_whitespace().collect::<Vec<_>>().join(" ");
        if number.is_empty() {
            e.push(FieldError::new("approval_no", ErrorCode::Required));
        } else if grapheme_len(&number) > 50 {
            e.push(FieldError::new("approval_no", ErrorCode::TooLong).with("max", 50));
        }
        e.into_result()?;
        on.map(|approved_on| ApproveSeat { approved_on, approval_no: number }).ok_or_else(|| FieldError::new("approved_on", ErrorCode::Required).into())
    }
}

/// An uploaded file.
#[derive(Debug, Clone, Default)]
pub struct Upload {
    /// Its name.
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A working regulation, as typed.
#[derive(Debug, Clone, Default)]
pub struct RegulationInput {
    /// Ngày ban hành.
    pub adopted_on: String,
    /// Số quyết định.
    pub decision_no: String,
    /// Its text, if typed in.
    pub text: String,
    /// Its file, if attached.
    pub file: Option<Upload>,
}

/// A checked working regulation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdoptRegulation {
    /// Adoption day.
    pub adopted_on: NaiveDate,
    /// Decision number.
    pub decision_no: String,
    /// Text.
    pub text: Option<String>,
    /// File: name, media type and bytes.
    pub file: Option<(String, &'static str, Vec<u8>)>,
}

/// The media type of a PDF or DOCX file, read from its first bytes (a name can lie).
pub fn document_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"PK\x03\x04") && bytes.windows(5).take(4096).any(|w| w == b"word/") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else {
        None
    }
}

impl RegulationInput {
    /// Checks a regulation of a term: adopted within the term and not in the future, with a
    /// decision number, and a text or a PDF/DOCX file within the rules' size.
    pub fn validate(&self, term: &Term, book: &RuleBook, today: NaiveDate) -> Result<AdoptRegulation, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("adopted_on", &self.adopted_on), ("decision_no", &self.decision_no), ("text", &self.text)]) {
            return Err(e);
        }
        let adopted_on = date(&mut e, "adopted_on", &self.adopted_on, true, today);
        not_before(&mut e, "adopted_on", adopted_on, "ngày bắt đầu nhiệm kỳ", term.starts_on);
        let decision_no = text(&mut e, "decision_number", &self.decision_no, true, 50);
        let text = text(&mut e, "regulation_text", &self.text, false, 200_000);
        let max = book.at(adopted_on.unwrap_or(term.starts_on)).committee.regulation_max_bytes;
        let file = match self.file.as_ref().filter(|f| !f.bytes.is_empty()) {
            None => None,
            Some(f) if f.bytes.len() as u64 > max => {
                e.push(FieldError::new("regulation_file", ErrorCode::FileTooLarge).with("size", f.bytes.len() / 1024).with("max", max / 1024));
                None
            }
            Some(f) => match document_type(&f.bytes) {
                Some(t) => {
                    let name = tidy(&f.name).unwrap_or_else(|| "quy-che.pdf".into());
                    Some((name.chars().take(200).collect(), t, f.bytes.clone()))
                }
                None => {
                    e.push(FieldError::new("regulation_file", ErrorCode::FileType).with("value", f.name.trim()));
                    None
                }
            },
        };
        if text.is_none() && file.is_none() && e.for_field("regulation_file").is_none() {
            e.push(FieldError::new("regulation_text", ErrorCode::Required));
        }
        e.into_result()?;
        match (adopted_on, decision_no) {
            (Some(adopted_on), Some(decision_no)) => Ok(AdoptRegulation { adopted_on, decision_no, text, file }),
            _ => Err(FieldError::new("adopted_on", ErrorCode::Required).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn book() -> RuleBook {
        crate::rules::test_book()
    }

    fn codes(r: ValidationErrors) -> Vec<(String, ErrorCode)> {
        r.errors.iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    fn term() -> Term {
        Term {
            id: 1,
            org_id: 7,
            label: "Nhiệm kỳ 2025 – 2030".into(),
            starts_on: d(2025, 6, 1),
            planned_end: d(2030, 6, 1),
            ended_on: None,
            pilot: false,
            planned_size: None,
            village_head_expected: true,
            congress_id: None,
            version: 1,
        }
    }

    #[test]
    fn a_terms_planned_end_comes_from_the_rules_for_its_kind() {
        let today = d(2026, 12, 3);
        let input = TermInput { starts_on: "15/06/2025".into(), ..Default::default() };
        let cell = input.validate(OrgKind::Cell, &book(), today).unwrap();
        assert_eq!(cell.planned_end, d(2027, 12, 15), "a cell's term is 30 months");
        assert_eq!(cell.label, "Nhiệm kỳ 2025 – 2027");
        let pilot = TermInput { pilot: true, ..input.clone() }.validate(OrgKind::Cell, &book(), today).unwrap();
        assert_eq!(pilot.planned_end, d(2030, 6, 15), "a pilot cell's term is five years");
        let committee = input.validate(OrgKind::GrassrootsCommittee, &book(), today).unwrap();
        assert_eq!(committee.planned_end, d(2030, 6, 15));
        let bad = TermInput { starts_on: "15/06/2025".into(), planned_end: "01/01/2025".into(), planned_size: "0".into(), pilot: true, ..Default::default() }
            .validate(OrgKind::GrassrootsCommittee, &book(), today)
            .unwrap_err();
        assert_eq!(
            codes(bad),
            vec![
                ("term_planned_end".into(), ErrorCode::DateBeforeOther),
                ("term_pilot".into(), ErrorCode::InvalidChoice),
                ("term_planned_size".into(), ErrorCode::NumberRange)
            ]
        );
        assert_eq!(codes(TermInput::default().validate(OrgKind::Group, &book(), today).unwrap_err())[0].1, ErrorCode::PositionNotInOrg);
    }

    #[test]
    fn a_seat_needs_a_member_a_position_of_the_kind_and_a_day_in_the_term() {
        let today = d(2026, 12, 3);
        let ok = SeatInput { member: Picked::Found(5), position: "bi_thu".into(), basis: "bau".into(), from: "01/06/2025".into(), ..Default::default() }
            .validate(OrgKind::Cell, &term(), today)
            .unwrap();
        assert_eq!((ok.member_id, ok.position, ok.basis, ok.from), (5, Position::Secretary, SeatBasis::Elected, d(2025, 6, 1)));
        let bad = SeatInput {
            member: Picked::NotFound,
            position: "uy_vien_btv".into(),
            basis: "bau".into(),
            from: "01/01/2025".into(),
            approved_on: "31/12/2024".into(),
            ..Default::default()
        }
        .validate(OrgKind::Cell, &term(), today)
        .unwrap_err();
        assert_eq!(
            codes(bad),
            vec![
                ("seat_member".into(), ErrorCode::NotFound),
                ("position".into(), ErrorCode::PositionNotInOrg),
                ("seat_from".into(), ErrorCode::DateBeforeOther),
                ("approved_on".into(), ErrorCode::DateBeforeOther)
            ]
        );
    }

    #[test]
    fn a_regulation_is_a_text_or_a_real_pdf_or_docx_within_the_size() {
        let today = d(2026, 12, 3);
        let base = RegulationInput { adopted_on: "10/07/2025".into(), decision_no: "01-QĐ/CB".into(), ..Default::default() };
        assert_eq!(codes(base.validate(&term(), &book(), today).unwrap_err()), vec![("regulation_text".into(), ErrorCode::Required)]);
        let pdf = RegulationInput { file: Some(Upload { name: "quy che.pdf".into(), bytes: b"%PDF-1.7 ...".to_vec() }), ..base.clone() };
        assert_eq!(pdf.validate(&term(), &book(), today).unwrap().file.unwrap().1, "application/pdf");
        let fake = RegulationInput { file: Some(Upload { name: "quy-che.pdf".into(), bytes: b"MZ not a pdf".to_vec() }), ..base.clone() };
        assert_eq!(codes(fake.validate(&term(), &book(), today).unwrap_err()), vec![("regulation_file".into(), ErrorCode::FileType)]);
        let big =
            RegulationInput { file: Some(Upload { name: "a.pdf".into(), bytes: [b"%PDF-".as_slice(), &vec![0; 11 * 1024 * 1024]].concat() }), ..base.clone() };
        assert_eq!(codes(big.validate(&term(), &book(), today).unwrap_err()), vec![("regulation_file".into(), ErrorCode::FileTooLarge)]);
        let early = RegulationInput { adopted_on: "01/01/2025".into(), text: "Điều 1".into(), ..base };
        assert_eq!(codes(early.validate(&term(), &book(), today).unwrap_err()), vec![("adopted_on".into(), ErrorCode::DateBeforeOther)]);
    }
    #[test]
    fn an_approval_needs_a_day_from_the_election_to_today_and_a_decision_number() {
        let (from, today) = (NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(), NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
        let a = ApproveInput { approved_on: "15/07/2025".into(), approval_no: "  125-QĐ/ĐU ".into() }.validate(from, today).unwrap();
        assert_eq!((a.approved_on, a.approval_no.as_str()), (NaiveDate::from_ymd_opt(2025, 7, 15).unwrap(), "125-QĐ/ĐU"));
        let codes = |i: ApproveInput| i.validate(from, today).unwrap_err().errors.iter().map(|e| (e.field.clone(), e.code)).collect::<Vec<_>>();
        assert_eq!(codes(ApproveInput::default()), [("approved_on".to_owned(), ErrorCode::Required), ("approval_no".to_owned(), ErrorCode::Required)]);
        assert_eq!(codes(ApproveInput { approved_on: "30/06/2025".into(), approval_no: "1".into() }), [("approved_on".to_owned(), ErrorCode::DateBeforeOther)]);
        assert_eq!(codes(ApproveInput { approved_on: "01/01/2027".into(), approval_no: "1".into() }), [("approved_on".to_owned(), ErrorCode::DateInFuture)]);
        assert_eq!(codes(ApproveInput { approved_on: "31/02/2026".into(), approval_no: "1".into() }), [("approved_on".to_owned(), ErrorCode::DateFormat)]);
    }
}
