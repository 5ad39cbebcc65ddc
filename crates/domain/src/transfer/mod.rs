//! Transfers of party activity (chuyển sinh hoạt đảng): the introduction letter the sending
//! organization issues and its validation. A permanent transfer inside the instance puts the
//! member in transit until the receiving organization accepts or refuses; a temporary one
//! keeps the member on the home cell's roll while they attend another cell until an end date;
//! a transfer out of the instance ends the member's record here with a letter.

pub mod audit;
pub mod command;

pub use command::{Letter, LetterInput};

use crate::calendar::format_date;
use crate::error::{ErrorCode, FieldError};
use crate::member::MemberStatus;
use crate::org::{OrgId, OrgPath, code_enum};
use crate::text::squash;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Surrogate key of a transfer.
pub type TransferId = i64;

code_enum! {
    /// The kind of transfer.
    TransferKind {
        /// Chuyển sinh hoạt đảng chính thức, inside the instance.
        Permanent = "permanent", "Chuyển sinh hoạt đảng chính thức", "Permanent transfer";
        /// Chuyển sinh hoạt đảng tạm thời, inside the instance.
        Temporary = "temporary", "Chuyển sinh hoạt đảng tạm thời", "Temporary transfer";
        /// Chuyển ra ngoài: to an organization this instance does not hold.
        Out = "out", "Chuyển sinh hoạt ra ngoài", "Transfer out";
        /// Tiếp nhận từ ngoài: an arrival registered from a letter.
        In = "in", "Tiếp nhận từ nơi khác", "Arrival from outside";
    }
}

code_enum! {
    /// Where a transfer stands.
    TransferState {
        /// Chờ tiếp nhận.
        Pending = "pending", "Chờ tiếp nhận", "Waiting for acceptance";
        /// Đã tiếp nhận.
        Accepted = "accepted", "Đã tiếp nhận", "Accepted";
        /// Không tiếp nhận: the member went back to the sending cell.
        Rejected = "rejected", "Không tiếp nhận, đã trả lại", "Refused, returned";
        /// Đã kết thúc: a temporary transfer that ended.
        Ended = "ended", "Đã kết thúc sinh hoạt tạm thời", "Ended";
        /// Hoàn tất: a transfer out or an arrival, complete when recorded.
        Done = "done", "Hoàn tất", "Complete";
    }
}

/// A month ("tháng 10/2026"), for the fees-paid-through line of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Month {
    /// Reads "mm/yyyy", "m/yyyy" or "yyyy-mm".
    pub fn parse(s: &str) -> Option<Month> {
        let s = s.trim();
        let (y, m) = if let Some((y, m)) = s.split_once('-') { (y, m) } else { s.split_once('/').map(|(m, y)| (y, m))? };
        let (year, month): (i32, u32) = (y.trim().parse().ok()?, m.trim().parse().ok()?);
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Month { year, month })
    }

    /// The month of a date.
    pub fn of(d: NaiveDate) -> Month {
        Month { year: d.year(), month: d.month() }
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:04}", self.month, self.year)
    }
}

// ---- The rules that decide whether a transfer may be sent or answered ----
//
// The store supplies the facts it reads inside its change (the member's standing, the
// receiving organization's path and whether it is active, the open letters) and calls these
// before it writes.

fn date_before(field: &str, d: NaiveDate, other: &str, other_d: NaiveDate) -> FieldError {
    FieldError::new(field, ErrorCode::DateBeforeOther).with("date", format_date(d)).with("other", other).with("other_date", format_date(other_d))
}

/// A letter is issued for a probationary or official member, and only for a transfer that
/// leaves from here (an arrival is registered, not sent).
pub fn check_sendable(status: MemberStatus, kind: TransferKind) -> Result<(), FieldError> {
    if !matches!(status, MemberStatus::Probationary | MemberStatus::Official) {
        return Err(FieldError::new("transfer_kind", ErrorCode::TransitionNotAllowed).with("event", kind.label_vi()).with("status", status.label_vi()));
    }
    if kind == TransferKind::In {
        return Err(FieldError::new("transfer_kind", ErrorCode::InvalidChoice).with("value", kind.label_vi()));
    }
    Ok(())
}

/// The receiving organization of a letter inside the instance, as the store found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receiver {
    /// Its id.
    pub id: OrgId,
    /// Its path today.
    pub path: OrgPath,
    /// Its name, for the message.
    pub name: String,
    /// It exists on the letter's date.
    pub active: bool,
}

/// The receiving organization is another one than the member's own cell or any organization
/// above it, and exists on the letter's date.
pub fn check_receiver(cell: OrgId, cell_path: &OrgPath, to: &Receiver, letter_on: NaiveDate) -> Result<(), FieldError> {
    if to.id == cell || to.path.contains(cell_path) {
        return Err(FieldError::new("to_org", ErrorCode::TransferSameOrg));
    }
    if !to.active {
        return Err(FieldError::new("to_org", ErrorCode::OrgNotActiveOnDate).with("org", &to.name).with("date", format_date(letter_on)));
    }
    Ok(())
}

/// The refusal of a second letter while one is waiting (also what the unique index's
/// violation reads as).
pub fn letter_waiting() -> FieldError {
    FieldError::new("transfer_kind", ErrorCode::TransferAnswered).with("state", "đang có giấy giới thiệu chờ tiếp nhận")
}

/// One letter waiting per member at a time.
pub fn check_none_waiting(waiting: bool) -> Result<(), FieldError> {
    if waiting { Err(letter_waiting()) } else { Ok(()) }
}

/// Only a waiting transfer is accepted, refused or withdrawn.
pub fn check_waiting(state: TransferState) -> Result<(), FieldError> {
    if state != TransferState::Pending {
        return Err(FieldError::new("state", ErrorCode::TransferAnswered).with("state", state.label_vi()));
    }
    Ok(())
}

/// An answer is dated between the letter and today.
pub fn check_answer_date(letter_on: NaiveDate, on: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if on > today {
        return Err(FieldError::new("answered_on", ErrorCode::DateInFuture).with("date", format_date(on)).with("today", format_date(today)));
    }
    if on < letter_on {
        return Err(date_before("answered_on", on, "ngày giới thiệu", letter_on));
    }
    Ok(())
}

/// The cell that takes the member in is under the receiving organization.
pub fn check_accepting_cell(to_path: &OrgPath, cell_path: &OrgPath) -> Result<(), FieldError> {
    if !to_path.contains(cell_path) {
        return Err(FieldError::new("cell", ErrorCode::NotFound));
    }
    Ok(())
}

/// The reason of a refusal, its words single-spaced; it cannot be empty.
pub fn refusal_reason(reason: &str) -> Result<String, FieldError> {
    let reason = squash(reason);
    if reason.is_empty() {
        return Err(FieldError::new("note", ErrorCode::Required));
    }
    Ok(reason)
}

/// An accepted temporary transfer ends on a day between its acceptance and today.
pub fn check_end(
    kind: TransferKind,
    state: TransferState,
    letter_on: NaiveDate,
    accepted_on: Option<NaiveDate>,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    if kind != TransferKind::Temporary || state != TransferState::Accepted {
        return Err(FieldError::new("state", ErrorCode::TransferAnswered).with("state", state.label_vi()));
    }
    check_answer_date(letter_on, on, today)?;
    if let Some(accepted) = accepted_on.filter(|a| on < *a) {
        return Err(date_before("answered_on", on, "ngày tiếp nhận", accepted));
    }
    Ok(())
}

/// The party dates an arrival's letter states: admission before official recognition, both
/// before the letter, and the recognition only for an official member.
pub fn check_party_dates(admitted: Option<NaiveDate>, official: Option<NaiveDate>, status: MemberStatus, letter_on: NaiveDate) -> Result<(), FieldError> {
    if let Some(a) = admitted.filter(|a| *a > letter_on) {
        return Err(date_before("letter_on", letter_on, "ngày vào Đảng", a));
    }
    if let (Some(a), Some(o)) = (admitted, official)
        && o < a
    {
        return Err(date_before("official_on", o, "ngày vào Đảng", a));
    }
    if status == MemberStatus::Official && admitted.is_some() && official.is_none() {
        return Err(FieldError::new("official_on", ErrorCode::Required));
    }
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_read_both_ways_and_print_vietnamese() {
        assert_eq!(Month::parse("10/2026"), Some(Month { year: 2026, month: 10 }));
        assert_eq!(Month::parse("2026-03"), Some(Month { year: 2026, month: 3 }));
        assert_eq!(Month::parse("13/2026"), None);
        assert_eq!(Month { year: 2026, month: 3 }.to_string(), "03/2026");
    }

    fn codes(r: Result<(), FieldError>) -> Option<(String, ErrorCode)> {
        r.err().map(|e| (e.field, e.code))
    }

    #[test]
    fn only_a_serving_member_is_sent_and_never_as_an_arrival() {
        assert_eq!(check_sendable(MemberStatus::Official, TransferKind::Permanent), Ok(()));
        assert_eq!(codes(check_sendable(MemberStatus::Exempt, TransferKind::Out)), Some(("transfer_kind".into(), ErrorCode::TransitionNotAllowed)));
        assert_eq!(codes(check_sendable(MemberStatus::Probationary, TransferKind::In)), Some(("transfer_kind".into(), ErrorCode::InvalidChoice)));
    }

    #[test]
    fn the_receiver_is_elsewhere_and_exists_on_the_letter_date() {
        let committee = OrgPath::root(1);
        let cell = committee.child(5);
        let other = Receiver { id: 9, path: OrgPath::root(9), name: "Chi bộ 9".into(), active: true };
        assert_eq!(check_receiver(5, &cell, &other, d(2026, 11, 2)), Ok(()));
        let above = Receiver { id: 1, path: committee, ..other.clone() };
        assert_eq!(codes(check_receiver(5, &cell, &above, d(2026, 11, 2))), Some(("to_org".into(), ErrorCode::TransferSameOrg)));
        let own = Receiver { id: 5, path: cell.clone(), ..other.clone() };
        assert_eq!(codes(check_receiver(5, &cell, &own, d(2026, 11, 2))), Some(("to_org".into(), ErrorCode::TransferSameOrg)));
        let gone = Receiver { active: false, ..other };
        assert_eq!(codes(check_receiver(5, &cell, &gone, d(2026, 11, 2))), Some(("to_org".into(), ErrorCode::OrgNotActiveOnDate)));
        assert_eq!(codes(check_none_waiting(true)), Some(("transfer_kind".into(), ErrorCode::TransferAnswered)));
    }

    #[test]
    fn an_answer_is_dated_between_the_letter_and_today_on_a_waiting_letter() {
        let (letter, today) = (d(2026, 11, 2), d(2026, 11, 25));
        assert_eq!(check_answer_date(letter, d(2026, 11, 2), today), Ok(()));
        assert_eq!(codes(check_answer_date(letter, d(2026, 11, 26), today)), Some(("answered_on".into(), ErrorCode::DateInFuture)));
        assert_eq!(codes(check_answer_date(letter, d(2026, 11, 1), today)), Some(("answered_on".into(), ErrorCode::DateBeforeOther)));
        assert_eq!(codes(check_waiting(TransferState::Accepted)), Some(("state".into(), ErrorCode::TransferAnswered)));
        let to = OrgPath::root(9);
        assert_eq!(check_accepting_cell(&to, &to.child(12)), Ok(()));
        assert_eq!(codes(check_accepting_cell(&to, &OrgPath::root(12))), Some(("cell".into(), ErrorCode::NotFound)));
        assert_eq!(refusal_reason("  không  đủ  điều kiện "), Ok("không đủ điều kiện".to_owned()));
        assert_eq!(refusal_reason(" ").map_err(|e| e.code), Err(ErrorCode::Required));
    }

    #[test]
    fn only_an_accepted_temporary_transfer_ends_and_not_before_its_acceptance() {
        let (letter, accepted, today) = (d(2026, 1, 5), Some(d(2026, 1, 10)), d(2026, 11, 25));
        let end = |kind, state, on| check_end(kind, state, letter, accepted, on, today);
        assert_eq!(end(TransferKind::Temporary, TransferState::Accepted, d(2026, 6, 1)), Ok(()));
        assert_eq!(codes(end(TransferKind::Permanent, TransferState::Accepted, d(2026, 6, 1))), Some(("state".into(), ErrorCode::TransferAnswered)));
        assert_eq!(codes(end(TransferKind::Temporary, TransferState::Pending, d(2026, 6, 1))), Some(("state".into(), ErrorCode::TransferAnswered)));
        assert_eq!(codes(end(TransferKind::Temporary, TransferState::Accepted, d(2026, 1, 8))), Some(("answered_on".into(), ErrorCode::DateBeforeOther)));
        assert_eq!(codes(end(TransferKind::Temporary, TransferState::Accepted, d(2026, 12, 1))), Some(("answered_on".into(), ErrorCode::DateInFuture)));
    }

    #[test]
    fn an_arrivals_party_dates_are_in_order() {
        let letter = d(2026, 11, 2);
        let dates = |a, o, s| check_party_dates(a, o, s, letter);
        assert_eq!(dates(Some(d(2020, 1, 1)), Some(d(2021, 1, 1)), MemberStatus::Official), Ok(()));
        assert_eq!(codes(dates(Some(d(2026, 12, 1)), None, MemberStatus::Probationary)), Some(("letter_on".into(), ErrorCode::DateBeforeOther)));
        assert_eq!(codes(dates(Some(d(2021, 1, 1)), Some(d(2020, 1, 1)), MemberStatus::Official)), Some(("official_on".into(), ErrorCode::DateBeforeOther)));
        assert_eq!(codes(dates(Some(d(2021, 1, 1)), None, MemberStatus::Official)), Some(("official_on".into(), ErrorCode::Required)));
    }
}
