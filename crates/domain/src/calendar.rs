//! Dates as Vietnamese users write them, and "today" in Vietnam.

use crate::error::{ErrorCode, FieldError, ValidationErrors};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// The last representable day; used as the open end of a validity span so that range checks
/// are plain comparisons on both engines (no NULL handling in hot queries).
pub const OPEN_END: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("9999-12-31 is a valid date"),
};

/// Vietnam's time zone; the country has no daylight saving time.
pub const VIETNAM: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(o) => o,
    None => panic!("UTC+7 is a valid offset"),
};

/// Where "now" comes from: the system clock, or a moment fixed by a test or a demonstration
/// (`CHIBO_TODAY`). The store holds one and hands it to every change and page, so the whole
/// system agrees on what day it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
    /// Whole days added to the system clock (a demonstration set to another day).
    shift_days: i64,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { fixed: None, shift_days: 0 }
    }

    /// The system clock moved by whole days so that today is `day`; time still passes.
    pub fn starting_on(day: NaiveDate) -> Clock {
        Clock { fixed: None, shift_days: (day - Clock::system().today()).num_days() }
    }

    /// Always this moment.
    pub fn fixed_at(at: DateTime<Utc>) -> Clock {
        Clock { fixed: Some(at), shift_days: 0 }
    }

    /// Always noon of this day in Vietnam.
    pub fn fixed_on(day: NaiveDate) -> Clock {
        let noon = day.and_hms_opt(12, 0, 0).expect("noon exists").and_local_timezone(VIETNAM).single().expect("fixed offset");
        Clock::fixed_at(noon.with_timezone(&Utc))
    }

    /// Whether the clock is fixed or moved (not the system's own).
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some() || self.shift_days != 0
    }

    /// The current moment.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now) + chrono::Duration::days(self.shift_days)
    }

    /// Today's date in Vietnam (UTC+7), the day a secretary would write on a decision.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&VIETNAM).date_naive()
    }
}

/// Formats a date the Vietnamese way: dd/mm/yyyy.
pub fn format_date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Reads a required date field of a command: empty is `Required`, unreadable `DateFormat`.
pub fn required_date(e: &mut crate::error::ValidationErrors, field: &str, value: &str) -> Option<NaiveDate> {
    use crate::error::{ErrorCode, FieldError};
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

/// Reads an optional date field of a command: not given is none, given it must be a date
/// (an empty string sent through the API is a malformed date, not an absent one).
pub fn optional_date(e: &mut crate::error::ValidationErrors, field: &str, value: Option<&str>) -> Option<NaiveDate> {
    use crate::error::{ErrorCode, FieldError};
    let v = value?;
    parse_date(v).or_else(|| {
        e.push(FieldError::new(field, ErrorCode::DateFormat).with("value", v.trim()));
        None
    })
}

/// Parses dd/mm/yyyy (also d/m/yyyy) or ISO yyyy-mm-dd.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let mut parts = s.split(['/', '-', '.']);
    let day: u32 = parts.next()?.trim().parse().ok()?;
    let month: u32 = parts.next()?.trim().parse().ok()?;
    let year_text = parts.next()?.trim();
    if parts.next().is_some() || year_text.len() != 4 {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads a date field as a form or a body sends it (dd/mm/yyyy or yyyy-mm-dd), pushing its
/// error by field: required when empty (if `required`), malformed, or after `latest`.
pub fn date_field(e: &mut ValidationErrors, field: &str, value: &str, required: bool, latest: NaiveDate) -> Option<NaiveDate> {
    match value.trim() {
        "" => {
            if required {
                e.push(FieldError::new(field, ErrorCode::Required));
            }
            None
        }
        s => match parse_date(s) {
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

/// Adds whole months, clamping the day to the end of the target month (31/01 + 1 month = 28/02).
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(chrono::Months::new(months)).unwrap_or(OPEN_END)
}

/// Subtracts whole months, clamping the day like [`add_months`].
pub fn sub_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(chrono::Months::new(months)).unwrap_or(NaiveDate::MIN)
}

/// Whole years between two dates (age, party age).
pub fn years_between(from: NaiveDate, to: NaiveDate) -> i32 {
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_vietnamese_and_iso_dates() {
        assert_eq!(parse_date("02/11/2021"), Some(d(2021, 11, 2)));
        assert_eq!(parse_date("2/1/2021"), Some(d(2021, 1, 2)));
        assert_eq!(parse_date("2021-11-02"), Some(d(2021, 11, 2)));
        assert_eq!(parse_date(" 31/12/1999 "), Some(d(1999, 12, 31)));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(parse_date("31/02/2021"), None);
        assert_eq!(parse_date("12/13/2021"), None);
        assert_eq!(parse_date("01/01/21"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn formats_with_leading_zeros() {
        assert_eq!(format_date(d(2021, 1, 2)), "02/01/2021");
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(add_months(d(2021, 1, 31), 1), d(2021, 2, 28));
        assert_eq!(add_months(d(2020, 2, 29), 12), d(2021, 2, 28));
    }

    #[test]
    fn years_between_counts_completed_years() {
        assert_eq!(years_between(d(1970, 6, 15), d(2020, 6, 14)), 49);
        assert_eq!(years_between(d(1970, 6, 15), d(2020, 6, 15)), 50);
    }

    #[test]
    fn today_is_not_far_from_utc_today() {
        let diff = (Clock::system().today() - Utc::now().date_naive()).num_days();
        assert!((0..=1).contains(&diff), "diff {diff}");
    }

    #[test]
    fn a_fixed_clock_gives_the_vietnamese_day() {
        let c = Clock::fixed_on(d(2026, 3, 2));
        assert_eq!(c.today(), d(2026, 3, 2));
        // 23:30 UTC on 1 March is already 2 March in Vietnam.
        let late = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(23, 30, 0).unwrap().and_utc();
        assert_eq!(Clock::fixed_at(late).today(), d(2026, 3, 2));
        assert!(c.is_fixed() && !Clock::system().is_fixed());
        let moved = Clock::starting_on(d(2030, 1, 1));
        assert_eq!(moved.today(), d(2030, 1, 1));
        assert!(moved.now() < moved.now() + chrono::Duration::seconds(1));
    }
}
