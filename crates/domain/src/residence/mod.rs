//! Residence links: a member who works in one cell and also takes part, where they live, in
//! the cell of their residential area (sinh hoạt nơi cư trú, Quy định 213-QĐ/TW), with the
//! residence cell's yearly comment. The rules here decide whether a link or a comment is
//! allowed; the store supplies what it reads inside its change and calls them.

pub mod audit;
pub mod command;

use crate::calendar::format_date;
use crate::error::{ErrorCode, FieldError};
use crate::member::MemberStatus;
use crate::org::{OrgId, OrgKind};
use crate::text::{grapheme_len, squash};
use chrono::{Datelike, NaiveDate};

/// Longest note on a link (address, residential group).
pub const NOTE_MAX: usize = 300;
/// Longest yearly comment.
pub const COMMENT_MAX: usize = 2000;

/// Members who take part in party life (probationary, official, exempt) keep a residence
/// link; the others have nothing to link.
pub fn check_linkable(status: MemberStatus) -> Result<(), FieldError> {
    if !matches!(status, MemberStatus::Probationary | MemberStatus::Official | MemberStatus::Exempt) {
        return Err(FieldError::new("residence_cell", ErrorCode::TransitionNotAllowed)
            .with("event", "Giới thiệu về nơi cư trú")
            .with("status", status.label_vi()));
    }
    Ok(())
}

/// The residence cell is another cell than the member's own.
pub fn check_other_cell(work_cell: OrgId, cell: OrgId) -> Result<(), FieldError> {
    if cell == work_cell {
        return Err(FieldError::new("residence_cell", ErrorCode::ResidenceSameCell));
    }
    Ok(())
}

/// The residence cell, as it stood on the link's first day, is a cell (it holds members).
pub fn check_residence_cell(kind: OrgKind, name: &str) -> Result<(), FieldError> {
    if !kind.holds_members() {
        return Err(FieldError::new("residence_cell", ErrorCode::OrgNotCell).with("org", name));
    }
    Ok(())
}

/// A link starts today at the latest.
pub fn check_start(from_on: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if from_on > today {
        return Err(FieldError::new("from_on", ErrorCode::DateInFuture).with("date", format_date(from_on)).with("today", format_date(today)));
    }
    Ok(())
}

/// A new link replaces the one in force (which ends that day): it names another cell and
/// starts after the one in force started.
pub fn check_follows(current_cell: OrgId, current_from: NaiveDate, cell: OrgId, from_on: NaiveDate) -> Result<(), FieldError> {
    if current_cell == cell {
        return Err(FieldError::new("residence_cell", ErrorCode::ResidenceSameCell));
    }
    if from_on <= current_from {
        return Err(FieldError::new("from_on", ErrorCode::DateBeforeOther)
            .with("date", format_date(from_on))
            .with("other", "ngày bắt đầu sinh hoạt nơi cư trú trước đó")
            .with("other_date", format_date(current_from)));
    }
    Ok(())
}

/// A link's note single-spaced, at most [`NOTE_MAX`] characters; empty is none.
pub fn link_note(note: &str) -> Result<Option<String>, FieldError> {
    let note = squash(note);
    if grapheme_len(&note) > NOTE_MAX {
        return Err(FieldError::new("note", ErrorCode::TooLong).with("max", NOTE_MAX));
    }
    Ok((!note.is_empty()).then_some(note))
}

/// A yearly comment, trimmed: required, at most [`COMMENT_MAX`] characters.
pub fn comment_text(comment: &str) -> Result<String, FieldError> {
    let comment = comment.trim();
    if comment.is_empty() {
        return Err(FieldError::new("comment", ErrorCode::Required));
    }
    if grapheme_len(comment) > COMMENT_MAX {
        return Err(FieldError::new("comment", ErrorCode::TooLong).with("max", COMMENT_MAX));
    }
    Ok(comment.to_owned())
}

/// A comment is for a year from the link's first year to this one.
pub fn check_comment_year(year: i32, linked_on: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if year < linked_on.year() || year > today.year() {
        return Err(FieldError::new("year", ErrorCode::InvalidChoice).with("value", year));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn code(r: Result<(), FieldError>) -> Option<(String, ErrorCode)> {
        r.err().map(|e| (e.field, e.code))
    }

    #[test]
    fn a_serving_member_links_to_another_cell() {
        assert_eq!(check_linkable(MemberStatus::Exempt), Ok(()));
        assert_eq!(code(check_linkable(MemberStatus::Candidate)), Some(("residence_cell".into(), ErrorCode::TransitionNotAllowed)));
        assert_eq!(code(check_other_cell(5, 5)), Some(("residence_cell".into(), ErrorCode::ResidenceSameCell)));
        assert_eq!(check_residence_cell(OrgKind::Cell, "Chi bộ khu phố 3"), Ok(()));
        assert_eq!(code(check_residence_cell(OrgKind::GrassrootsCommittee, "Đảng bộ phường")), Some(("residence_cell".into(), ErrorCode::OrgNotCell)));
        assert_eq!(code(check_start(d(2026, 11, 26), d(2026, 11, 25))), Some(("from_on".into(), ErrorCode::DateInFuture)));
    }

    #[test]
    fn a_new_link_follows_the_one_in_force() {
        assert_eq!(check_follows(7, d(2025, 1, 1), 8, d(2026, 1, 1)), Ok(()));
        assert_eq!(code(check_follows(7, d(2025, 1, 1), 7, d(2026, 1, 1))), Some(("residence_cell".into(), ErrorCode::ResidenceSameCell)));
        assert_eq!(code(check_follows(7, d(2025, 1, 1), 8, d(2025, 1, 1))), Some(("from_on".into(), ErrorCode::DateBeforeOther)));
    }

    #[test]
    fn notes_and_comments_have_their_lengths_and_years() {
        assert_eq!(link_note("  Tổ  12 "), Ok(Some("Tổ 12".to_owned())));
        assert_eq!(link_note(" "), Ok(None));
        assert_eq!(link_note(&"a".repeat(NOTE_MAX + 1)).map_err(|e| e.code), Err(ErrorCode::TooLong));
        assert_eq!(comment_text(" Gương mẫu ").as_deref(), Ok("Gương mẫu"));
        assert_eq!(comment_text("").map_err(|e| e.code), Err(ErrorCode::Required));
        assert_eq!(comment_text(&"ê".repeat(COMMENT_MAX + 1)).map_err(|e| e.code), Err(ErrorCode::TooLong));
        let (linked, today) = (d(2024, 5, 1), d(2026, 11, 25));
        assert_eq!(check_comment_year(2024, linked, today), Ok(()));
        assert_eq!(code(check_comment_year(2023, linked, today)), Some(("year".into(), ErrorCode::InvalidChoice)));
        assert_eq!(code(check_comment_year(2027, linked, today)), Some(("year".into(), ErrorCode::InvalidChoice)));
    }
}
