//! Transfers of party activity (chuyển sinh hoạt đảng): the introduction letter the sending
//! organization issues and its validation. A permanent transfer inside the instance puts the
//! member in transit until the receiving organization accepts or refuses; a temporary one
//! keeps the member on the home cell's roll while they attend another cell until an end date;
//! a transfer out of the instance ends the member's record here with a letter.

pub mod audit;

use crate::calendar::{add_months, format_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::{OrgId, code_enum};
use crate::rules::RuleBook;
use crate::text::grapheme_len;
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
        let destination = self.destination.split_whitespace().collect::<Vec<_>>().join(" ");
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
                let until = date_field(&mut e, "until", &self.until, true, crate::calendar::OPEN_END);
                if let (Some(u), Some(from)) = (until, letter_on) {
                    let max = add_months(from, book.at(from).temporary_transfer_max_months);
                    if u <= from {
                        e.push(
                            FieldError::new("until", ErrorCode::DateBeforeOther)
                                .with("date", format_date(u))
                                .with("other", "ngày giới thiệu")
                                .with("other_date", format_date(from)),
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
        let note = self.note.split_whitespace().collect::<Vec<_>>().join(" ");
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

/// Reads a required or optional date field, refusing dates after `latest`.
pub fn date_field(e: &mut ValidationErrors, field: &str, value: &str, required: bool, latest: NaiveDate) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            if required {
                e.push(FieldError::new(field, ErrorCode::Required));
            }
            None
        }
        s => match crate::calendar::parse_date(s) {
            None => {
                e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", s));
                None
            }
            Some(d) if d > latest => {
                e.push(FieldError::new(field, ErrorCode::DateInFuture).with("date", format_date(d)).with("today", format_date(latest)));
                None
            }
            Some(d) => Some(d),
        },
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

    #[test]
    fn months_read_both_ways_and_print_vietnamese() {
        assert_eq!(Month::parse("10/2026"), Some(Month { year: 2026, month: 10 }));
        assert_eq!(Month::parse("2026-03"), Some(Month { year: 2026, month: 3 }));
        assert_eq!(Month::parse("13/2026"), None);
        assert_eq!(Month { year: 2026, month: 3 }.to_string(), "03/2026");
    }

    #[test]
    fn a_temporary_letter_needs_an_end_within_the_limit() {
        let today = d(2026, 11, 25);
        let input = LetterInput {
            kind: "temporary".into(),
            to_org: "42".into(),
            letter_no: "15-GGT/ĐU".into(),
            letter_on: "02/11/2026".into(),
            fees_paid_through: "10/2026".into(),
            until: "03/11/2027".into(),
            ..Default::default()
        };
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
}
