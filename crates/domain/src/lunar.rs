//! The Vietnamese lunisolar calendar (âm lịch), computed astronomically for Vietnam's time
//! zone (UTC+7), as in Hồ Ngọc Đức's published method: new moons and the sun's longitude from
//! Jean Meeus' formulas; the month containing the winter solstice is month 11; a leap month is
//! the first month of a 13-month year without a major solar term. Needed for the public
//! holidays that move every year (Tết Nguyên đán, Giỗ Tổ Hùng Vương).

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;

const TZ: f64 = 7.0;

/// Julian day number of a Gregorian date.
fn jd_from_date(d: NaiveDate) -> i64 {
    // The Julian day of 1970-01-01 is 2440588.
    2_440_588 + d.signed_duration_since(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days()
}

fn date_from_jd(jd: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Duration::days(jd - 2_440_588)
}

/// The Julian day (local) of the k-th new moon after 1/1/1900.
fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 -= 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 += 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 -= 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 -= 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 += 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat =
        if t < -11.0 { 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3 } else { -0.000278 + 0.000265 * t + 0.000262 * t2 };
    let jd_new = jd1 + c1 - deltat;
    (jd_new + 0.5 + TZ / 24.0).floor() as i64
}

/// The sun's longitude at local midnight of a Julian day, as one of 12 sectors (0..11).
fn sun_longitude_sector(jdn: i64) -> i64 {
    let t = (jdn as f64 - 2451545.5 - TZ / 24.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    (l / PI * 6.0).floor() as i64
}

/// The Julian day of the start of lunar month 11 of the lunar year around Gregorian year `yy`
/// (the month that contains the winter solstice).
fn lunar_month_11(yy: i32) -> i64 {
    let off = jd_from_date(NaiveDate::from_ymd_opt(yy, 12, 31).unwrap_or_default()) - 2415021;
    let k = (off as f64 / 29.530588853).floor() as i64;
    let nm = new_moon_day(k);
    // The sun's longitude at the new moon: past 270° (sector 9) means the solstice is earlier.
    if sun_longitude_sector(nm) >= 9 { new_moon_day(k - 1) } else { nm }
}

/// Which month after month 11 is the leap month of a 13-month year.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_longitude_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The Gregorian date of a lunar date (day, month 1..12, lunar year, whether the month is the
/// leap one). None for a leap month that year does not have, or a day out of range.
pub fn lunar_to_solar(day: u32, month: u32, year: i32, leap: bool) -> Option<NaiveDate> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let (a11, b11) = if month < 11 { (lunar_month_11(year - 1), lunar_month_11(year)) } else { (lunar_month_11(year), lunar_month_11(year + 1)) };
    let k = (0.5 + (a11 as f64 - 2415021.076998695) / 29.530588853).floor() as i64;
    let mut off = month as i64 - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if leap && month as i64 != leap_month {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    let month_start = new_moon_day(k + off);
    let next_start = new_moon_day(k + off + 1);
    let jd = month_start + day as i64 - 1;
    (jd < next_start).then(|| date_from_jd(jd))
}

/// Tết Nguyên đán (1/1 âm lịch) of the lunar year that begins in Gregorian year `year`.
pub fn tet(year: i32) -> Option<NaiveDate> {
    lunar_to_solar(1, 1, year, false)
}

/// The first day of the lunar year containing a Gregorian date's year, for callers that
/// count from Tết.
pub fn lunar_year_start(d: NaiveDate) -> Option<NaiveDate> {
    let this = tet(d.year())?;
    if d >= this { Some(this) } else { tet(d.year() - 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tet_falls_on_the_published_dates() {
        let known = [
            (2019, d(2019, 2, 5)),
            (2020, d(2020, 1, 25)),
            (2021, d(2021, 2, 12)),
            (2022, d(2022, 2, 1)),
            (2023, d(2023, 1, 22)),
            (2024, d(2024, 2, 10)),
            (2025, d(2025, 1, 29)),
            (2026, d(2026, 2, 17)),
            (2027, d(2027, 2, 6)),
            // The new moon of 2/2/2030 falls at 23:07 in Hà Nội but after midnight in Beijing:
            // Vietnam celebrates a day before China.
            (2030, d(2030, 2, 2)),
        ];
        for (y, date) in known {
            assert_eq!(tet(y), Some(date), "Tết {y}");
        }
    }

    #[test]
    fn hung_kings_day_and_leap_months() {
        // Giỗ Tổ Hùng Vương, 10/3 âm lịch.
        assert_eq!(lunar_to_solar(10, 3, 2024, false), Some(d(2024, 4, 18)));
        assert_eq!(lunar_to_solar(10, 3, 2025, false), Some(d(2025, 4, 7)));
        assert_eq!(lunar_to_solar(10, 3, 2026, false), Some(d(2026, 4, 26)));
        // 2025 has a leap sixth month (tháng 6 nhuận) starting 25/7/2025; 2024 has none.
        assert_eq!(lunar_to_solar(1, 6, 2025, true), Some(d(2025, 7, 25)));
        assert_eq!(lunar_to_solar(1, 6, 2024, true), None);
        // The last day of a 29-day month does not exist as day 30.
        assert!(lunar_to_solar(31, 1, 2025, false).is_none());
        assert_eq!(lunar_year_start(d(2026, 1, 10)), Some(d(2025, 1, 29)));
    }
}
