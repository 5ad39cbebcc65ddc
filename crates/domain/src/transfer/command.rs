//! The writes on a transfer, as commands: the letter that sends a member (`LetterInput` →
//! [`Letter`]), and the answers to it (accept, refuse or withdraw, end a temporary transfer).
//! The page's forms and the API's bodies both parse into these, so the two can never accept
//! different things; what depends on the stored transfer is judged by the rules in the
//! concept's `mod.rs`, which the store calls inside its change.

use super::{Month, TransferKind};
use crate::calendar::{OPEN_END, add_months, date_field, format_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::OrgId;
use crate::rules::RuleBook;
use crate::text::{grapheme_len, squash};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The introduction letter as typed (strings, as a form posts them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LetterInput {
    /// "permanent", "temporary" or "out".
    #[serde(alias = "transfer_kind")]
    pub kind: String,
    /// The receiving organization inside the instance (its id), for permanent and temporary.
    pub to_org: String,
    /// The receiving organization's name, for a transfer out.
    pub destination: String,
    /// Số giấy giới thiệu.
    pub letter_no: String,
    /// Ngày giới thiệu.
    pub letter_on: String,
    /// Đã đóng đảng phí đến hết tháng (mm/yyyy).
    pub fees_paid_through: String,
    /// End of a temporary transfer.
    pub until: String,
    /// Lý do, ghi chú.
    pub note: String,
}

/// A validated letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// Kind.
    pub kind: TransferKind,
    /// Receiving organization inside the instance.
    pub to_org: Option<OrgId>,
    /// Receiving organization outside the instance (or the origin of an arrival).
    pub destination: Option<String>,
    /// Number.
    pub letter_no: String,
    /// Date.
    pub letter_on: NaiveDate,
    /// Fees paid through this month.
    pub fees_paid_through: Month,
    /// End of a temporary transfer.
    pub until: Option<NaiveDate>,
    /// Reason or note.
    pub note: Option<String>,
}

impl LetterInput {
    /// The letter a member arriving from outside brings: where from, its number and date, and
    /// the month their fees are paid through.
    pub fn arrival(origin: &str, letter_no: &str, letter_on: &str, fees_paid_through: &str) -> LetterInput {
        LetterInput {
            kind: TransferKind::In.code().to_owned(),
            destination: origin.to_owned(),
            letter_no: letter_no.to_owned(),
            letter_on: letter_on.to_owned(),
            fees_paid_through: fees_paid_through.to_owned(),
            ..Default::default()
        }
    }

    /// Validates every field at once. `arrival` reads the letter of a member arriving from
    /// outside (kind "in", origin in `destination`).
    pub fn validate(&self, book: &RuleBook, today: NaiveDate) -> Result<Letter, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(
            &mut e,
            &[
                ("kind", &self.kind),
                ("to_org", &self.to_org),
                ("destination", &self.destination),
                ("letter_no", &self.letter_no),
                ("letter_on", &self.letter_on),
                ("fees_paid_through", &self.fees_paid_through),
                ("until", &self.until),
                ("note", &self.note),
            ],
        ) {
            return Err(e);
        }
        let kind = match TransferKind::from_code(self.kind.trim()) {
            Some(k) => Some(k),
            None => {
                e.push(if self.kind.trim().is_empty() {
                    FieldError::new("transfer_kind", ErrorCode::Required)
                } else {
                    FieldError::new("transfer_kind", ErrorCode::InvalidChoice).with("value", self.kind.trim())
                });
                None
            }
        };
        let to_org = match (kind, self.to_org.trim()) {
            (Some(TransferKind::Permanent | TransferKind::Temporary), "") => {
                e.push(FieldError::new("to_org", ErrorCode::Required));
                None
            }
            (Some(TransferKind::Permanent | TransferKind::Temporary), s) => match s.parse::<OrgId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    e.push(FieldError::new("to_org", ErrorCode::InvalidChoice).with("value", s));
                    None
                }
            },
            _ => None,
        };
        let destination = squash(&self.destination);
        let destination = match kind {
            Some(TransferKind::Out | TransferKind::In) if destination.is_empty() => {
                e.push(FieldError::new("destination", ErrorCode::Required));
                None
            }
            _ if grapheme_len(&destination) > 200 => {
                e.push(FieldError::new("destination", ErrorCode::TooLong).with("max", 200));
                None
            }
            _ => (!destination.is_empty()).then_some(destination),
        };
        let letter_no = self.letter_no.trim().to_owned();
        if letter_no.is_empty() {
            e.push(FieldError::new("letter_no", ErrorCode::Required));
        } else if grapheme_len(&letter_no) > 50 {
            e.push(FieldError::new("letter_no", ErrorCode::TooLong).with("max", 50));
        }
        let letter_on = date_field(&mut e, "letter_on", &self.letter_on, true, today);
        let fees = match self.fees_paid_through.trim() {
            "" => {
                e.push(FieldError::new("fees_paid_through", ErrorCode::Required));
                None
            }
            s => match Month::parse(s) {
                Some(m) if letter_on.is_some_and(|d| m > Month::of(d)) => {
                    e.push(
                        FieldError::new("fees_paid_through", ErrorCode::FeesAfterLetter).with("month", m).with("date", format_date(letter_on.unwrap_or(today))),
                    );
                    None
                }
                Some(m) => Some(m),
                None => {
                    e.push(FieldError::new("fees_paid_through", ErrorCode::MonthFormat).with("value", s));
                    None
                }
            },
        };
        let until = match kind {
            Some(TransferKind::Temporary) => {
                let until = date_field(&mut e, "until", &self.until, true, OPEN_END);
                if let (Some(u), Some(from)) = (until, letter_on) {
                    let max = add_months(from, book.at(from).temporary_transfer_max_months);
                    let min = add_months(from, book.at(from).temporary_transfer_min_months);
                    if u <= from {
                        e.push(
                            FieldError::new("until", ErrorCode::DateBeforeOther)
                                .with("date", format_date(u))
                                .with("other", "ngày giới thiệu")
                                .with("other_date", format_date(from)),
                        );
                    } else if u < min {
                        e.push(
                            FieldError::new("until", ErrorCode::TemporaryTooShort)
                                .with("months", book.at(from).temporary_transfer_min_months)
                                .with("min", format_date(min)),
                        );
                    } else if u > max {
                        e.push(
                            FieldError::new("until", ErrorCode::TemporaryTooLong)
                                .with("months", book.at(from).temporary_transfer_max_months)
                                .with("max", format_date(max)),
                        );
                    }
                }
                until
            }
            _ => None,
        };
        let note = squash(&self.note);
        if grapheme_len(&note) > 500 {
            e.push(FieldError::new("note", ErrorCode::TooLong).with("max", 500));
        }
        e.into_result()?;
        match (kind, letter_on, fees) {
            (Some(kind), Some(letter_on), Some(fees_paid_through)) => {
                Ok(Letter { kind, to_org, destination, letter_no, letter_on, fees_paid_through, until, note: (!note.is_empty()).then_some(note) })
            }
            _ => Err(FieldError::new("transfer_kind", ErrorCode::Required).into()),
        }
    }
}

/// The receiving side's acceptance as typed: the cell that takes the member in, and the day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcceptTransferInput {
    /// The cell's id.
    pub cell: String,
    /// The day, dd/mm/yyyy or yyyy-mm-dd.
    pub on: String,
}

/// A checked acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptTransfer {
    /// The cell that takes the member in.
    pub cell: OrgId,
    /// The day.
    pub on: NaiveDate,
}

impl AcceptTransferInput {
    /// A cell and a day (errors on `cell` and `answered_on`).
    pub fn validate(&self) -> Result<AcceptTransfer, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("cell", &self.cell), ("on", &self.on)]) {
            return Err(e);
        }
        let on = date_field(&mut e, "answered_on", &self.on, true, OPEN_END);
        let cell = self.cell.trim().parse::<OrgId>().ok();
        if cell.is_none() {
            e.push(FieldError::new("cell", ErrorCode::Required));
        }
        match (cell, on) {
            (Some(cell), Some(on)) if e.is_empty() => Ok(AcceptTransfer { cell, on }),
            _ => Err(e),
        }
    }
}

/// A refusal (by the receiving side) or a withdrawal (by the sending side) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefuseTransferInput {
    /// The day.
    pub on: String,
    /// Why.
    pub reason: String,
}

/// A checked refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefuseTransfer {
    /// The day.
    pub on: NaiveDate,
    /// Why, single-spaced.
    pub reason: String,
}

impl RefuseTransferInput {
    /// A day and a reason (errors on `answered_on` and `note`).
    pub fn validate(&self) -> Result<RefuseTransfer, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("on", &self.on), ("reason", &self.reason)]) {
            return Err(e);
        }
        let on = date_field(&mut e, "answered_on", &self.on, true, OPEN_END);
        let reason = super::refusal_reason(&self.reason).map_err(|fe| e.push(fe)).ok();
        match (on, reason) {
            (Some(on), Some(reason)) => Ok(RefuseTransfer { on, reason }),
            _ => Err(e),
        }
    }
}

/// The end of an accepted temporary transfer as typed: its day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndTransferInput {
    /// The day.
    pub on: String,
}

/// A checked end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndTransfer {
    /// The day the member is back at the home cell's meetings.
    pub on: NaiveDate,
}

impl EndTransferInput {
    /// A day (error on `answered_on`).
    pub fn validate(&self) -> Result<EndTransfer, ValidationErrors> {
        let mut e = ValidationErrors::new();
        // Text no one could have typed is refused before anything is read from it.
        if !crate::text::check_all(&mut e, &[("on", &self.on)]) {
            return Err(e);
        }
        match date_field(&mut e, "answered_on", &self.on, true, OPEN_END) {
            Some(on) => Ok(EndTransfer { on }),
            None => Err(e),
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

    fn fields(e: ValidationErrors) -> Vec<(String, ErrorCode)> {
        e.errors.into_iter().map(|f| (f.field, f.code)).collect()
    }

    /// A temporary letter of 02/11/2026 until `until`.
    fn temporary(until: &str) -> LetterInput {
        LetterInput {
            kind: "temporary".into(),
            to_org: "42".into(),
            letter_no: "15-GGT/ĐU".into(),
            letter_on: "02/11/2026".into(),
            fees_paid_through: "10/2026".into(),
            until: until.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_temporary_letter_lasts_at_least_the_rules_minimum() {
        let input = temporary("02/12/2026");
        let err = input.validate(&book(), d(2026, 11, 25)).unwrap_err();
        assert_eq!(fields(err.clone()), [("until".to_owned(), ErrorCode::TemporaryTooShort)]);
        assert_eq!(err.errors[0].full_message(crate::error::Lang::Vi), "Đến ngày: sinh hoạt tạm thời ít nhất 3 tháng, tức là đến ngày 02/02/2027 trở đi");
        let three_months = LetterInput { until: "02/02/2027".into(), ..input };
        assert_eq!(three_months.validate(&book(), d(2026, 11, 25)).unwrap().until, Some(d(2027, 2, 2)));
    }

    #[test]
    fn a_temporary_letter_needs_an_end_within_the_limit() {
        let today = d(2026, 11, 25);
        let input = temporary("03/11/2027");
        let err = input.validate(&book(), today).unwrap_err();
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].code, ErrorCode::TemporaryTooLong);
        let ok = LetterInput { until: "02/11/2027".into(), ..input.clone() }.validate(&book(), today).unwrap();
        assert_eq!(ok.to_org, Some(42));
        assert_eq!(ok.until, Some(d(2027, 11, 2)));
        // Fees cannot be paid beyond the letter's month; the kind is required.
        let err = LetterInput { fees_paid_through: "12/2026".into(), kind: String::new(), ..input }.validate(&book(), today).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["transfer_kind", "fees_paid_through"]);
    }

    #[test]
    fn a_letter_out_names_its_destination() {
        let today = d(2026, 11, 25);
        let input = LetterInput {
            kind: "out".into(),
            letter_no: "7".into(),
            letter_on: "20/11/2026".into(),
            fees_paid_through: "11/2026".into(),
            ..Default::default()
        };
        assert_eq!(input.validate(&book(), today).unwrap_err().errors[0].field, "destination");
        let ok = LetterInput { destination: "Đảng ủy Công an tỉnh Bắc Ninh".into(), ..input }.validate(&book(), today).unwrap();
        assert_eq!(ok.to_org, None);
        assert_eq!(ok.destination.as_deref(), Some("Đảng ủy Công an tỉnh Bắc Ninh"));
    }

    #[test]
    fn answers_read_their_cell_day_and_reason() {
        let ok = AcceptTransferInput { cell: " 12 ".into(), on: "2026-11-20".into() }.validate().unwrap();
        assert_eq!(ok, AcceptTransfer { cell: 12, on: d(2026, 11, 20) });
        let bad = AcceptTransferInput { cell: "mười hai".into(), on: "31/11/2026".into() }.validate().unwrap_err();
        assert_eq!(fields(bad), [("answered_on".to_owned(), ErrorCode::DateFormat), ("cell".to_owned(), ErrorCode::Required)]);
        let refused = RefuseTransferInput { on: "20/11/2026".into(), reason: " chưa  đủ hồ sơ ".into() }.validate().unwrap();
        assert_eq!(refused.reason, "chưa đủ hồ sơ");
        let bad = RefuseTransferInput { on: String::new(), reason: "  ".into() }.validate().unwrap_err();
        assert_eq!(fields(bad), [("answered_on".to_owned(), ErrorCode::Required), ("note".to_owned(), ErrorCode::Required)]);
        assert_eq!(EndTransferInput { on: "01/12/2026".into() }.validate(), Ok(EndTransfer { on: d(2026, 12, 1) }));
        assert_eq!(fields(EndTransferInput { on: "x".into() }.validate().unwrap_err()), [("answered_on".to_owned(), ErrorCode::DateFormat)]);
    }
}
