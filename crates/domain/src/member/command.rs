//! The writes a person makes on a member's record, as commands. The page's form and the API's
//! body both parse into these, so the two can never accept different things; the rules that
//! decide whether the input makes sense live here.

use super::{MemberChange, MemberEvent};
use crate::calendar::{format_date, parse_date};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::org::{OrgId, code_enum};
use chrono::NaiveDate;
use serde::Serialize;

code_enum! {
    /// The events a person records on a member by hand. Admissions, recognitions of members
    /// admitted here, transfers in and out go through their cases and letters instead.
    RecordableEvent {
        /// Công nhận chính thức (a member admitted elsewhere, without a case here).
        MadeOfficial = "made_official", "Công nhận đảng viên chính thức", "Made official";
        /// Chuyển sang chi bộ khác trong cùng đảng bộ.
        Moved = "moved", "Chuyển sinh hoạt đảng", "Moved to another cell";
        /// Miễn sinh hoạt.
        Exempted = "exempted", "Miễn sinh hoạt", "Exempted";
        /// Đình chỉ sinh hoạt.
        Suspended = "suspended", "Đình chỉ sinh hoạt", "Suspended";
        /// Trở lại sinh hoạt.
        Reinstated = "reinstated", "Trở lại sinh hoạt", "Reinstated";
        /// Xóa tên.
        StruckOff = "struck_off", "Xóa tên", "Struck off";
        /// Khai trừ.
        Expelled = "expelled", "Khai trừ", "Expelled";
        /// Ra khỏi Đảng.
        Left = "left", "Ra khỏi Đảng", "Left the party";
        /// Từ trần.
        Died = "died", "Từ trần", "Died";
        /// Kết nạp lại: a person struck off or expelled earlier, admitted again.
        Readmitted = "admitted", "Kết nạp lại vào Đảng", "Readmission";
    }
}

impl RecordableEvent {
    /// Whether the event names a cell.
    pub fn needs_cell(self) -> bool {
        matches!(self, RecordableEvent::Moved | RecordableEvent::Readmitted)
    }
}

/// What a decision adds to an event: its number, the committee that signed it, the reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventDetails {
    /// Số quyết định.
    pub decision_no: Option<String>,
    /// Cấp ủy ra quyết định.
    pub issued_by: Option<String>,
    /// Lý do, ghi chú.
    pub note: Option<String>,
    /// Đến ngày: the end of an exemption granted for a period.
    pub until: Option<NaiveDate>,
}

/// The cell an event names, as the caller found it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CellChoice {
    /// None given.
    #[default]
    None,
    /// Found.
    Found(OrgId),
    /// Given, but no organization in the caller's reach matches it.
    NotFound,
}

/// An event as typed (a form) or sent (the API), before it is checked.
#[derive(Debug, Clone, Default)]
pub struct RecordEventInput {
    /// The event's code ([`RecordableEvent`]).
    pub event: String,
    /// Its date, dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// The cell (moves and readmissions).
    pub cell: CellChoice,
    /// Số quyết định.
    pub decision_no: String,
    /// Cấp ủy ra quyết định.
    pub issued_by: String,
    /// Lý do, ghi chú.
    pub note: String,
    /// Đến ngày (an exemption for a period).
    pub until: String,
}

/// A checked event, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEvent {
    /// What and when.
    pub event: MemberEvent,
    /// The decision's details.
    pub details: EventDetails,
}

fn tidy(s: &str) -> Option<String> {
    Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
}

fn date(e: &mut ValidationErrors, field: &str, value: &str) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            e.push(FieldError::new(field, ErrorCode::Required));
            None
        }
        v => parse_date(v).or_else(|| {
            e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", v));
            None
        }),
    }
}

impl RecordEventInput {
    /// Checks the input: a known event, a date, a cell where the event needs one, an end date
    /// only for an exemption and after its start. Every problem is reported, by field.
    pub fn validate(&self) -> Result<RecordEvent, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let kind = RecordableEvent::from_code(self.event.trim());
        if kind.is_none() {
            e.push(FieldError::new("event", ErrorCode::InvalidChoice).with("value", self.event.trim()));
        }
        let on = date(&mut e, "event_date", &self.date);
        let cell = match (kind.is_some_and(RecordableEvent::needs_cell), self.cell) {
            (true, CellChoice::Found(c)) => Some(c),
            (true, CellChoice::NotFound) => {
                e.push(FieldError::new("cell", ErrorCode::NotFound));
                None
            }
            (true, CellChoice::None) => {
                e.push(FieldError::new("cell", ErrorCode::Required));
                None
            }
            (false, _) => None,
        };
        // An end date belongs to an exemption for a period, after its start.
        let until = if self.until.trim().is_empty() { None } else { date(&mut e, "until", &self.until) };
        if let Some(u) = until {
            if kind != Some(RecordableEvent::Exempted) {
                e.push(FieldError::new("until", ErrorCode::InvalidChoice).with("value", self.until.trim()));
            } else if let Some(on) = on.filter(|on| u <= *on) {
                e.push(
                    FieldError::new("until", ErrorCode::DateBeforeOther)
                        .with("date", format_date(u))
                        .with("other", "ngày sự kiện")
                        .with("other_date", format_date(on)),
                );
            }
        }
        let change = kind.and_then(|k| match k {
            RecordableEvent::MadeOfficial => Some(MemberChange::MadeOfficial),
            RecordableEvent::Moved => cell.map(|cell| MemberChange::Moved { cell }),
            RecordableEvent::Exempted => Some(MemberChange::Exempted),
            RecordableEvent::Suspended => Some(MemberChange::Suspended),
            RecordableEvent::Reinstated => Some(MemberChange::Reinstated),
            RecordableEvent::StruckOff => Some(MemberChange::StruckOff),
            RecordableEvent::Expelled => Some(MemberChange::Expelled),
            RecordableEvent::Left => Some(MemberChange::Left),
            RecordableEvent::Died => Some(MemberChange::Died),
            RecordableEvent::Readmitted => cell.map(|cell| MemberChange::Admitted { cell }),
        });
        match (on, change) {
            (Some(on), Some(change)) if e.is_empty() => Ok(RecordEvent {
                event: MemberEvent { on, change },
                details: EventDetails { decision_no: tidy(&self.decision_no), issued_by: tidy(&self.issued_by), note: tidy(&self.note), until },
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(event: &str, date: &str) -> RecordEventInput {
        RecordEventInput { event: event.into(), date: date.into(), ..Default::default() }
    }

    fn fields(r: Result<RecordEvent, ValidationErrors>) -> Vec<(String, ErrorCode)> {
        r.unwrap_err().errors.iter().map(|f| (f.field.clone(), f.code)).collect()
    }

    #[test]
    fn an_exemption_for_a_period_reads_with_its_details() {
        let r =
            RecordEventInput {
                until: "30/06/2027".into(), decision_no: " 12-QĐ/ĐU ".into(), note: "Sức khỏe  yếu".into(), ..input("exempted", "01/07/2026")
            }
            .validate()
            .unwrap();
        assert_eq!(r.event.change, MemberChange::Exempted);
        assert_eq!(r.details.until, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!((r.details.decision_no.as_deref(), r.details.note.as_deref()), (Some("12-QĐ/ĐU"), Some("Sức khỏe yếu")));
    }

    #[test]
    fn wrong_input_is_reported_by_field() {
        assert_eq!(
            fields(input("transferred_out", "01/07/2026").validate()),
            [("event".to_owned(), ErrorCode::InvalidChoice)],
            "a transfer out needs its letter"
        );
        assert_eq!(fields(input("moved", "01/07/2026").validate()), [("cell".to_owned(), ErrorCode::Required)]);
        let lost = RecordEventInput { cell: CellChoice::NotFound, ..input("admitted", "01/07/2026") };
        assert_eq!(fields(lost.validate()), [("cell".to_owned(), ErrorCode::NotFound)]);
        let early = RecordEventInput { until: "01/07/2026".into(), ..input("exempted", "01/07/2026") };
        assert_eq!(fields(early.validate()), [("until".to_owned(), ErrorCode::DateBeforeOther)]);
        let stray = RecordEventInput { until: "01/08/2026".into(), ..input("suspended", "01/07/2026") };
        assert_eq!(fields(stray.validate()), [("until".to_owned(), ErrorCode::InvalidChoice)]);
        assert_eq!(fields(input("died", "31/02/2026").validate()), [("event_date".to_owned(), ErrorCode::DateFormat)]);
        let r = RecordEventInput { cell: CellChoice::Found(7), ..input("admitted", "2026-07-01") }.validate().unwrap();
        assert_eq!(r.event.change, MemberChange::Admitted { cell: 7 });
    }
}
