//! The writes on residence links, as commands: linking a member to the cell where they live,
//! and the residence cell's yearly comment. Pages and any API parse into these; what depends
//! on stored records (the member's standing, the link in force) is judged by the rules in the
//! concept's `mod.rs` inside the store's change.

use super::{comment_text, link_note};
use crate::calendar::{OPEN_END, date_field};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::OrgId;
use chrono::{Datelike, NaiveDate};

/// The residence cell as the caller looked it up (by code or name, anywhere in the instance).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CellLookup {
    /// Nothing typed.
    #[default]
    None,
    /// One organization.
    Found(OrgId),
    /// None, or several, match: the error to show beside the field.
    Refused(FieldError),
}

/// A residence link as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkResidenceInput {
    /// The residence cell.
    pub cell: CellLookup,
    /// Since, dd/mm/yyyy or yyyy-mm-dd.
    pub from_on: String,
    /// Address, residential group.
    pub note: String,
}

/// A checked residence link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkResidence {
    /// The residence cell.
    pub cell: OrgId,
    /// Since.
    pub from_on: NaiveDate,
    /// Address, residential group, single-spaced.
    pub note: Option<String>,
}

impl LinkResidenceInput {
    /// A cell, a day and a note of bounded length (errors on `residence_cell`, `from_on`,
    /// `note`).
    pub fn validate(&self) -> Result<LinkResidence, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("from_on", &self.from_on), ("note", &self.note)]) {
            return Err(e);
        }
        let from_on = date_field(&mut e, "from_on", &self.from_on, true, OPEN_END);
        let cell = match &self.cell {
            CellLookup::None => {
                e.push(FieldError::new("residence_cell", ErrorCode::Required));
                None
            }
            CellLookup::Found(id) => Some(*id),
            CellLookup::Refused(fe) => {
                e.push(fe.clone());
                None
            }
        };
        let note = link_note(&self.note).map_err(|fe| e.push(fe)).ok();
        match (cell, from_on, note) {
            (Some(cell), Some(from_on), Some(note)) => Ok(LinkResidence { cell, from_on, note }),
            _ => Err(e),
        }
    }
}

/// A yearly comment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentResidenceInput {
    /// The year; this year when empty.
    pub year: String,
    /// The comment.
    pub comment: String,
}

/// A checked comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentResidence {
    /// The year it is for.
    pub year: i32,
    /// The comment, trimmed.
    pub comment: String,
}

impl CommentResidenceInput {
    /// A year (this year's when none is given) and a comment (errors on `year`, `comment`).
    pub fn validate(&self, today: NaiveDate) -> Result<CommentResidence, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("year", &self.year), ("comment", &self.comment)]) {
            return Err(e);
        }
        let year = match self.year.trim() {
            "" => Some(today.year()),
            y => y.parse::<i32>().map_err(|_| e.push(FieldError::new("year", ErrorCode::InvalidChoice).with("value", y))).ok(),
        };
        let comment = comment_text(&self.comment).map_err(|fe| e.push(fe)).ok();
        match (year, comment) {
            (Some(year), Some(comment)) => Ok(CommentResidence { year, comment }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: ValidationErrors) -> Vec<(String, ErrorCode)> {
        e.errors.into_iter().map(|f| (f.field, f.code)).collect()
    }

    #[test]
    fn a_link_reads_its_cell_day_and_note() {
        let ok = LinkResidenceInput { cell: CellLookup::Found(7), from_on: "01/03/2026".into(), note: " Tổ  5 ".into() }.validate().unwrap();
        assert_eq!(ok, LinkResidence { cell: 7, from_on: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), note: Some("Tổ 5".into()) });
        let missing = LinkResidenceInput::default().validate().unwrap_err();
        assert_eq!(fields(missing), [("from_on".to_owned(), ErrorCode::Required), ("residence_cell".to_owned(), ErrorCode::Required)]);
        let ambiguous = FieldError::new("residence_cell", ErrorCode::OrgAmbiguous).with("query", "khu 3");
        let refused = LinkResidenceInput { cell: CellLookup::Refused(ambiguous), from_on: "01/03/2026".into(), note: "x".repeat(301) }.validate().unwrap_err();
        assert_eq!(fields(refused), [("residence_cell".to_owned(), ErrorCode::OrgAmbiguous), ("note".to_owned(), ErrorCode::TooLong)]);
    }

    #[test]
    fn a_comment_is_for_this_year_unless_another_is_given() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let c = CommentResidenceInput { year: String::new(), comment: " Gương mẫu ".into() }.validate(today).unwrap();
        assert_eq!(c, CommentResidence { year: 2026, comment: "Gương mẫu".into() });
        assert_eq!(CommentResidenceInput { year: "2025".into(), comment: "Tốt".into() }.validate(today).unwrap().year, 2025);
        let bad = CommentResidenceInput { year: "năm nay".into(), comment: String::new() }.validate(today).unwrap_err();
        assert_eq!(fields(bad), [("year".to_owned(), ErrorCode::InvalidChoice), ("comment".to_owned(), ErrorCode::Required)]);
    }
}
