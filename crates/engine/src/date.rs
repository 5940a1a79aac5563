//! Calendar dates and months, just what the model needs: day counts between dates (days to
//! pay, overdue age) and month indices (periods). A tiny type instead of a date crate keeps the
//! WebAssembly small; the civil-calendar conversion is Howard Hinnant's `days_from_civil`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::num::NonZeroU32;

/// A proleptic Gregorian calendar date, held as one number: the year, month and day in bits
/// that keep their order (`year << 9 | month << 5 | day`), so that comparing two dates is
/// comparing two numbers, and a date and an optional date take 4 bytes each. Every invoice
/// holds three: at a million invoices, the 8 bytes of a year, month and day laid out apart (12
/// optional) took 16 MB more.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date(NonZeroU32);

impl Date {
    /// A valid date, or None (30 February, month 13...).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        if !(1000..=9999).contains(&year) {
            return None;
        }
        // The year is 1000 or later: never zero.
        NonZeroU32::new((year as u32) << 9 | month << 5 | day).map(Date)
    }

    pub fn year(self) -> i32 {
        (self.0.get() >> 9) as i32
    }
    pub fn month(self) -> u32 {
        self.0.get() >> 5 & 15
    }
    pub fn day(self) -> u32 {
        self.0.get() & 31
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil, in 32 bits: every date's year is 1000 to 9999
        // (see `new`), so no figure passes 3.7 million, and there are no eras to split off.
        // Aggregation counts the days of every invoice's dates; 64-bit division is a slow
        // instruction in WebAssembly, where engines turn a 32-bit division by a constant
        // into a multiplication.
        let m = self.month() as i32;
        let y = self.year() - i32::from(m <= 2);
        let doy = (153 * if m > 2 { m - 3 } else { m + 9 } + 2) / 5 + self.day() as i32 - 1;
        (y * 365 + y / 4 - y / 100 + y / 400 + doy - 719_468) as i64
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        Date::new(i32::try_from(year).ok()?, month as u32, day as u32)
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch() + days)
    }

    pub fn period(self) -> Month {
        Month::new(self.year(), self.month())
    }

    /// Parses ISO `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next()?.parse().ok()?;
        let m = parts.next()?.parse().ok()?;
        let d = parts.next()?.parse().ok()?;
        Date::new(y, m, d)
    }
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Date({self})")
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for Date {
    type Error = String;
    fn try_from(s: String) -> Result<Date, String> {
        Date::parse_iso(&s).ok_or_else(|| format!("{s:?} is not a date in the form YYYY-MM-DD"))
    }
}

/// A calendar month, the model's period: months since year 0 (January of year 0 is 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month(pub i32);

impl Month {
    pub fn new(year: i32, month: u32) -> Month {
        Month(year * 12 + month as i32 - 1)
    }
    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }
    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }
    /// Months from `self` to `later`, counting both ends: Jan..Mar is 3.
    pub fn span_inclusive(self, later: Month) -> i32 {
        later.0 - self.0 + 1
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_round_trip() {
        let d = Date::new(1970, 1, 1).unwrap();
        assert_eq!(d.days_since_epoch(), 0);
        let leap = Date::new(2024, 2, 29).unwrap();
        assert_eq!(
            Date::from_days_since_epoch(leap.days_since_epoch()),
            Some(leap)
        );
        // 2000-03-01 is day 11,017: 30 years x 365 + 7 leap days (72..96) + 31 + 29 = 11,017.
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_since_epoch(), 11_017);
    }

    /// Every date there is, in order, one day after the one before, from the first to the last
    /// (their counts checked with Python's `datetime`), each day count back to its date, each
    /// date's year, month and day as made, and each date compared greater than the one before
    /// (the packed number keeps the calendar's order).
    #[test]
    fn every_date_counts_one_day_more_than_the_day_before() {
        let first = Date::new(1000, 1, 1).unwrap();
        // date(1000, 1, 1) - date(1970, 1, 1) in Python: -354,285 days.
        assert_eq!(first.days_since_epoch(), -354_285);
        let mut expected = first.days_since_epoch();
        let mut before = None;
        for year in 1000..=9999 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let date = Date::new(year, month, day).unwrap();
                    assert_eq!((date.year(), date.month(), date.day()), (year, month, day));
                    assert!(before < Some(date), "{date} after {before:?}");
                    before = Some(date);
                    assert_eq!(date.days_since_epoch(), expected, "{date}");
                    assert_eq!(Date::from_days_since_epoch(expected), Some(date));
                    expected += 1;
                }
            }
        }
        // date(9999, 12, 31) - date(1970, 1, 1): 2,932,896 days, the last counted above.
        assert_eq!(expected - 1, 2_932_896);
        assert_eq!(Date::from_days_since_epoch(expected), None, "year 10000");
    }

    #[test]
    fn a_date_and_an_optional_date_take_four_bytes() {
        assert_eq!(std::mem::size_of::<Date>(), 4);
        assert_eq!(std::mem::size_of::<Option<Date>>(), 4);
    }

    #[test]
    fn day_counts() {
        let a = Date::new(2025, 1, 31).unwrap();
        let b = Date::new(2025, 3, 2).unwrap();
        assert_eq!(a.days_until(b), 30); // 28 days of February + 2
        assert_eq!(b.days_until(a), -30);
    }

    #[test]
    fn invalid_dates_refused() {
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::parse_iso("2025-04-31").is_none());
        assert_eq!(
            Date::parse_iso("2025-04-30").map(|d| d.to_string()),
            Some("2025-04-30".into())
        );
    }

    #[test]
    fn months() {
        let m = Month::new(2025, 12);
        assert_eq!(m.next(), Month::new(2026, 1));
        assert_eq!(m.next().to_string(), "2026-01");
        assert_eq!(Month::new(2025, 1).span_inclusive(Month::new(2025, 3)), 3);
    }
}
