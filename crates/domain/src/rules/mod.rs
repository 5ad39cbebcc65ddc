//! The rules of party work as dated data: probation length, deadlines in working days, vote
//! thresholds, age limits, certificate validity, the size rules of cells and committees, and
//! the public holidays that make the working-day calendar. Regulations change every year or
//! two (QĐ 24 → QĐ 232 → QĐ 294 within 2025), so each version has an effective date and a
//! decision is always judged by the version in force on its date: a version added for the
//! future changes nothing in the past.

pub mod audit;

use crate::calendar::add_months;
use crate::lunar;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A share such as "two thirds".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    /// Numerator.
    pub num: u32,
    /// Denominator (never 0).
    pub den: u32,
}

impl Fraction {
    /// Whether `part` of `whole` reaches the share (exact integer arithmetic: 6 of 9 is 2/3).
    pub fn reached(self, part: u32, whole: u32) -> bool {
        whole > 0 && u64::from(part) * u64::from(self.den) >= u64::from(self.num) * u64::from(whole)
    }
}

/// The public holidays of a year, as the Labour Code lays them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayRules {
    /// Fixed solar holidays as (month, day): 1/1, 30/4, 1/5, 2/9.
    pub fixed: Vec<(u32, u32)>,
    /// Days off before Tết (1/1 âm lịch), counting the last day of the old year.
    pub tet_days_before: u32,
    /// Days off from Tết on, Tết included.
    pub tet_days_from: u32,
    /// Giỗ Tổ Hùng Vương (10/3 âm lịch) is a holiday.
    pub hung_kings: bool,
    /// An extra day next to Quốc khánh: -1 the day before 2/9, +1 the day after, 0 none.
    pub national_day_extra: i32,
    /// A holiday on a weekend gives the next working day off (nghỉ bù).
    pub compensate_weekends: bool,
}

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// First day this version applies to.
    pub effective_from: NaiveDate,
    /// Where the numbers come from ("Quy định 294-QĐ/TW, 2025").
    pub source: String,
    /// Probation after admission (12).
    pub probation_months: u32,
    /// The admission ceremony within this many working days of the decision (30).
    pub ceremony_within_working_days: u32,
    /// The recognition vote within this many working days after probation ends (30).
    pub recognition_within_working_days: u32,
    /// A permanent transfer within this many working days of a job or residence change (60).
    pub transfer_within_working_days: u32,
    /// Share of the cell's official members needed to admit or recognize (2/3).
    pub vote_threshold: Fraction,
    /// Youngest age of a candidate, in full years (18).
    pub candidate_min_age_years: u32,
    /// Oldest age of a candidate, in months ("60 tuổi tính theo tháng": 720).
    pub candidate_max_age_months: u32,
    /// Validity of the awareness-course certificate (60).
    pub certificate_validity_months: u32,
    /// An introducer has been an official member this long (12).
    pub introducer_min_official_months: u32,
    /// An introducer has known the candidate this long (12).
    pub introducer_min_known_months: u32,
    /// Longest temporary transfer (12).
    pub temporary_transfer_max_months: u32,
    /// Shortest temporary transfer (3): a shorter absence is not a transfer.
    pub temporary_transfer_min_months: u32,
    /// Official members a cell needs (3).
    pub min_official_per_cell: u32,
    /// Members from which a grassroots organization is a đảng bộ cơ sở (30).
    pub grassroots_committee_min_members: u32,
    /// Official members from which a cell elects a chi ủy (9).
    pub cell_committee_min_official: u32,
    /// Public holidays.
    pub holidays: HolidayRules,
    /// Committees and terms.
    pub committee: crate::committee::CommitteeRules,
    /// Meetings.
    pub meeting: crate::meeting::MeetingRules,
}

impl RuleSet {
    /// The last day of probation for an admission decision dated `admitted_on`.
    pub fn probation_ends(&self, admitted_on: NaiveDate) -> NaiveDate {
        add_months(admitted_on, self.probation_months)
    }
}

/// Every version of the rules, in effective-date order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    versions: Vec<RuleSet>,
}

/// Why a rule book or a new version was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The text is not a valid rule set.
    #[error("bộ quy tắc không đọc được: {0}")]
    Unreadable(String),
    /// Two versions with one effective date.
    #[error("đã có bộ quy tắc hiệu lực từ ngày {0}")]
    DuplicateDate(String),
    /// A number that makes no sense (a zero denominator, a zero probation).
    #[error("giá trị không hợp lệ: {0}")]
    Invalid(&'static str),
    /// No version yet.
    #[error("chưa có bộ quy tắc nào")]
    Empty,
}

impl RuleBook {
    /// Builds a book from versions (any order).
    pub fn new(mut versions: Vec<RuleSet>) -> Result<RuleBook, RuleError> {
        if versions.is_empty() {
            return Err(RuleError::Empty);
        }
        versions.sort_by_key(|v| v.effective_from);
        for w in versions.windows(2) {
            if w[0].effective_from == w[1].effective_from {
                return Err(RuleError::DuplicateDate(crate::calendar::format_date(w[0].effective_from)));
            }
        }
        for v in &versions {
            check(v)?;
        }
        Ok(RuleBook { versions })
    }

    /// Reads versions from JSON (an array of rule sets).
    pub fn from_json(text: &str) -> Result<RuleBook, RuleError> {
        let versions: Vec<RuleSet> = serde_json::from_str(text).map_err(|e| RuleError::Unreadable(e.to_string()))?;
        RuleBook::new(versions)
    }

    /// The version in force on a date (the first version also rules dates before it: the
    /// system has no older source).
    pub fn at(&self, d: NaiveDate) -> &RuleSet {
        self.versions.iter().rev().find(|v| v.effective_from <= d).unwrap_or(&self.versions[0])
    }

    /// Every version.
    pub fn versions(&self) -> &[RuleSet] {
        &self.versions
    }
}

fn check(v: &RuleSet) -> Result<(), RuleError> {
    if v.vote_threshold.den == 0 || v.vote_threshold.num > v.vote_threshold.den {
        return Err(RuleError::Invalid("tỉ lệ biểu quyết"));
    }
    if v.probation_months == 0 {
        return Err(RuleError::Invalid("thời gian dự bị"));
    }
    if v.temporary_transfer_min_months > v.temporary_transfer_max_months {
        return Err(RuleError::Invalid("thời hạn sinh hoạt tạm thời"));
    }
    if v.holidays.tet_days_from == 0 || v.holidays.fixed.iter().any(|&(m, d)| NaiveDate::from_ymd_opt(2024, m, d).is_none()) {
        return Err(RuleError::Invalid("ngày nghỉ lễ"));
    }
    Ok(())
}

/// A day the calendar's keeper changed by hand (a government decision moving a day off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DayChange {
    /// A day off that the rules do not give.
    Holiday,
    /// A working day on a weekend or on a day the rules give off (làm bù).
    WorkingDay,
}

/// Working days: Monday to Friday, less the public holidays of the rules in force each year,
/// with the keeper's changes on top.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    off: BTreeSet<NaiveDate>,
    on: BTreeSet<NaiveDate>,
}

impl WorkingCalendar {
    /// The calendar of years `from..=to` (each year's holidays by the rules in force on its
    /// 1 January), then the changes made by hand.
    pub fn new(rules: &RuleBook, from: i32, to: i32, changes: &[(NaiveDate, DayChange)]) -> WorkingCalendar {
        let mut cal = WorkingCalendar::default();
        for year in from..=to {
            let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) else { continue };
            for d in public_holidays(&rules.at(jan1).holidays, year) {
                cal.off.insert(d);
            }
        }
        for &(d, change) in changes {
            match change {
                DayChange::Holiday => {
                    cal.on.remove(&d);
                    cal.off.insert(d);
                }
                DayChange::WorkingDay => {
                    cal.off.remove(&d);
                    cal.on.insert(d);
                }
            }
        }
        cal
    }

    /// Whether people work on a day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.on.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.off.contains(&d)
    }

    /// The `n`-th working day after `start` (a deadline "within n working days").
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d + Days::new(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as u32
    }

    /// The days off (other than weekends) of a year, in order.
    pub fn holidays_in(&self, year: i32) -> Vec<NaiveDate> {
        self.off.iter().copied().filter(|d| d.year() == year).collect()
    }
}

/// The public holidays of a Gregorian year under a holiday rule, compensation included.
pub fn public_holidays(h: &HolidayRules, year: i32) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    for &(m, d) in &h.fixed {
        if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
            days.insert(date);
        }
    }
    if h.national_day_extra != 0
        && let Some(qk) = NaiveDate::from_ymd_opt(year, 9, 2)
    {
        days.insert(if h.national_day_extra < 0 { qk - Days::new(1) } else { qk + Days::new(1) });
    }
    if let Some(tet) = lunar::tet(year) {
        let first = tet - Days::new(u64::from(h.tet_days_before));
        for i in 0..(h.tet_days_before + h.tet_days_from) {
            days.insert(first + Days::new(u64::from(i)));
        }
    }
    if h.hung_kings
        && let Some(gio_to) = lunar::lunar_to_solar(10, 3, year, false)
    {
        days.insert(gio_to);
    }
    if h.compensate_weekends {
        let weekend = |d: &NaiveDate| matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        let on_weekends: Vec<NaiveDate> = days.iter().copied().filter(weekend).collect();
        for d in on_weekends {
            let mut next = d + Days::new(1);
            while weekend(&next) || days.contains(&next) {
                next = next + Days::new(1);
            }
            days.insert(next);
        }
    }
    days
}

/// The rules as the store seeds them (m0005's versions with m0012's committee rules, m0013's
/// meeting rules and m0015's shortest temporary transfer), for the domain's tests.
#[cfg(test)]
pub(crate) fn test_book() -> RuleBook {
    let mut versions: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../../store/src/migration/m0005_rules.json")).unwrap();
    for v in &mut versions {
        v["committee"] = serde_json::to_value(crate::committee::tests::rules()).unwrap();
        v["meeting"] = serde_json::to_value(crate::meeting::tests::rules()).unwrap();
        v["temporary_transfer_min_months"] = 3.into();
    }
    RuleBook::from_json(&serde_json::to_string(&versions).unwrap()).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rules_2019() -> RuleSet {
        RuleSet {
            effective_from: d(2019, 1, 1),
            source: "Điều lệ Đảng, Quy định 24-QĐ/TW; Bộ luật Lao động 2019".into(),
            probation_months: 12,
            ceremony_within_working_days: 30,
            recognition_within_working_days: 30,
            transfer_within_working_days: 60,
            vote_threshold: Fraction { num: 2, den: 3 },
            candidate_min_age_years: 18,
            candidate_max_age_months: 720,
            certificate_validity_months: 60,
            introducer_min_official_months: 12,
            introducer_min_known_months: 12,
            temporary_transfer_max_months: 12,
            temporary_transfer_min_months: 3,
            min_official_per_cell: 3,
            grassroots_committee_min_members: 30,
            cell_committee_min_official: 9,
            holidays: HolidayRules {
                fixed: vec![(1, 1), (4, 30), (5, 1), (9, 2)],
                tet_days_before: 1,
                tet_days_from: 4,
                hung_kings: true,
                national_day_extra: -1,
                compensate_weekends: true,
            },
            committee: crate::committee::tests::rules(),
            meeting: crate::meeting::tests::rules(),
        }
    }

    #[test]
    fn two_thirds_is_counted_exactly() {
        let t = Fraction { num: 2, den: 3 };
        assert!(t.reached(6, 9));
        assert!(!t.reached(5, 8), "5/8 is below two thirds");
        assert!(t.reached(2, 3));
        assert!(!t.reached(0, 0));
    }

    #[test]
    fn the_version_in_force_judges_each_date_and_a_future_version_changes_no_past() {
        let old = rules_2019();
        let new = RuleSet { effective_from: d(2027, 1, 1), probation_months: 18, source: "giả định".into(), ..rules_2019() };
        let book = RuleBook::new(vec![new.clone(), old.clone()]).unwrap();
        assert_eq!(book.at(d(2026, 11, 25)).probation_months, 12);
        assert_eq!(book.at(d(2027, 1, 1)).probation_months, 18);
        assert_eq!(book.at(d(2010, 1, 1)).probation_months, 12);
        assert_eq!(book.at(d(2025, 3, 1)).probation_ends(d(2025, 3, 1)), d(2026, 3, 1));
        assert!(matches!(RuleBook::new(vec![old.clone(), old.clone()]), Err(RuleError::DuplicateDate(_))));
        let bad = RuleSet { vote_threshold: Fraction { num: 2, den: 0 }, ..old };
        assert!(RuleBook::new(vec![bad]).is_err());
    }

    #[test]
    fn rule_sets_round_trip_through_json() {
        let book = RuleBook::new(vec![rules_2019()]).unwrap();
        let text = serde_json::to_string(book.versions()).unwrap();
        assert_eq!(RuleBook::from_json(&text).unwrap(), book);
        assert!(matches!(RuleBook::from_json("[{\"effective_from\": \"2019-01-01\"}]"), Err(RuleError::Unreadable(_))));
    }

    #[test]
    fn holidays_of_2026_follow_the_labour_code_and_the_moon() {
        let cal = WorkingCalendar::new(&RuleBook::new(vec![rules_2019()]).unwrap(), 2026, 2026, &[]);
        let h = cal.holidays_in(2026);
        // Tết Bính Ngọ is 17/2/2026: 16/2 (the last day of the old year) to 20/2.
        for day in 16..=20 {
            assert!(h.contains(&d(2026, 2, day)), "{day}/2");
        }
        // Giỗ Tổ 26/4/2026 is a Sunday: Monday 27/4 is off instead; 30/4 and 1/5 as usual.
        assert!(h.contains(&d(2026, 4, 26)) && h.contains(&d(2026, 4, 27)));
        assert!(!cal.is_working_day(d(2026, 4, 30)) && !cal.is_working_day(d(2026, 5, 1)));
        // 1/1/2026 is a Thursday; 1 and 2/9 (Tuesday, Wednesday).
        assert!(!cal.is_working_day(d(2026, 1, 1)) && cal.is_working_day(d(2026, 1, 2)));
        assert!(!cal.is_working_day(d(2026, 9, 1)) && !cal.is_working_day(d(2026, 9, 2)));
        assert!(cal.is_working_day(d(2026, 11, 25)));
    }

    #[test]
    fn deadlines_count_working_days_only() {
        let book = RuleBook::new(vec![rules_2019()]).unwrap();
        let cal = WorkingCalendar::new(&book, 2025, 2027, &[]);
        // A decision on Friday 13/2/2026 before Tết: 30 working days skip the weekends and
        // Tết (16–20/2): five full weeks from 23/2 to 27/3, then 30/3 to 3/4.
        let due = cal.add_working_days(d(2026, 2, 13), 30);
        assert_eq!(due, d(2026, 4, 3));
        assert_eq!(cal.working_days_between(d(2026, 2, 13), due), 30);
        // A keeper's change: the government moves a working Saturday.
        let moved = WorkingCalendar::new(&book, 2026, 2026, &[(d(2026, 2, 14), DayChange::WorkingDay), (d(2026, 2, 23), DayChange::Holiday)]);
        assert!(moved.is_working_day(d(2026, 2, 14)) && !moved.is_working_day(d(2026, 2, 23)));
    }
}
