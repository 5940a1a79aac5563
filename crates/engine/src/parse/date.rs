//! Dates as they appear in exported files: "2025-03-07", "2025-03-07T10:00:00", "07/03/2025",
//! "7.3.2025", "03/07/2025", "07/03/25", "2025. 03. 07." and Excel's date numbers ("45723").
//!
//! The only question text alone cannot answer is whether "07/03/2025" is 7 March or 3 July, so
//! a column's order is detected from all its cells ([`detect_order`]); when no cell settles it,
//! the guess says so and the person chooses. Nothing here guesses silently, and no input panics:
//! every failure is a [`DateError`] that names the text.

use crate::date::Date;
use std::fmt;

/// How a column writes dates. Only the order of day and month needs saying: a four-digit year
/// first is always read year-month-day, and Excel date numbers read the same under any order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// Year, month, day: "2025-03-07", "2025. 03. 07.". Day-first or month-first text is refused
    /// under this order, because which of its first two parts is the month is unknown.
    Iso,
    /// Day, month, year: "07/03/2025", "7.3.2025" (most of Europe, Latin America, Asia).
    DayFirst,
    /// Month, day, year: "03/07/2025" (the United States, some exports from US software).
    MonthFirst,
}

impl DateOrder {
    pub const ALL: [DateOrder; 3] = [DateOrder::Iso, DateOrder::DayFirst, DateOrder::MonthFirst];

    /// Its key in the translation table (`dateorder.<key>`) and in saved plans.
    pub fn key(self) -> &'static str {
        match self {
            DateOrder::Iso => "iso",
            DateOrder::DayFirst => "day_first",
            DateOrder::MonthFirst => "month_first",
        }
    }

    pub fn from_key(key: &str) -> Option<DateOrder> {
        DateOrder::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Why a cell is not a date. Each error keeps the (trimmed) text so its message can show the
/// person exactly which cell to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// The cell is empty or only whitespace; the caller decides whether that is allowed.
    Empty,
    /// The text is not written like a date at all ("abc", "07/03"), or is day-first/month-first
    /// text read as [`DateOrder::Iso`].
    NotADate(String),
    /// Written like a date, but the calendar has no such day: "31/02/2025", "2025-02-29",
    /// month 13, and Excel's fictitious 1900-02-29 (date number 60).
    Impossible(String),
    /// A real-looking date outside what the model handles: years before 1000 or after 9999, Excel
    /// date numbers outside 1..=2958465 (9999-12-31).
    OutOfRange(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Empty => write!(f, "the cell is empty, but a date was expected"),
            DateError::NotADate(text) => write!(f, "\"{text}\" is not a date we can read"),
            DateError::Impossible(text) => write!(f, "\"{text}\" is not a real date"),
            DateError::OutOfRange(text) => write!(
                f,
                "\"{text}\" is outside the dates we can read (years 1000 to 9999, \
                 Excel date numbers 1 to 2958465)"
            ),
        }
    }
}

impl std::error::Error for DateError {}

/// A column's date order as detected from its cells, with how many cells it reads, so the import
/// screen can show "312 dates read, 2 not" before anything is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderGuess {
    /// The order the cells prove; `None` when they prove none (see `ambiguous`) or contradict
    /// each other (day-first and month-first cells, or year-first and year-last cells mixed).
    pub order: Option<DateOrder>,
    /// True when every date could be read either day-first or month-first (no day above 12):
    /// the person must choose, because a guess would silently swap days and months.
    pub ambiguous: bool,
    /// Non-empty cells that read as dates under `order` (under day-first when `order` is None).
    pub parsed: usize,
    /// Non-empty cells that do not.
    pub failed: usize,
}

/// Reads one cell as a date written in `order`.
///
/// Leading and trailing whitespace is ignored. Day, month and year are separated by '-', '/',
/// '.' or spaces (the same separator between all parts; a trailing '.' is allowed, as in the
/// Hungarian "2025. 03. 07."). A four-digit year first is read year-month-day under every
/// order. A time after the date ("2025-03-07T10:00:00", "07.03.2025 10:00", "3/7/2025 10:00 PM")
/// is checked for shape and then ignored, because the model counts whole days.
///
/// A two-digit year is 2000-2069 for 00-69 and 1970-1999 for 70-99: spreadsheet programs use
/// a similar window, and a business's invoice dates fall in it.
///
/// Text that is only digits, optionally with a decimal part after '.' or ',' ("45723",
/// "45723.5"), is an Excel date number in the 1900 date system under every order: 1 is
/// 1900-01-01, and from 61 (1900-03-01) on, one more than the true day count because Excel
/// counts a 29 February 1900 that never was; 60 is that day and so is
/// [`DateError::Impossible`]. The decimal part is the time of day and is ignored.
pub fn parse_date(text: &str, order: DateOrder) -> Result<Date, DateError> {
    // The common case before trimming: an ISO date has no white space to trim (in a V8
    // profile of the import benchmark, trimming, a call of its own, was about a twentieth of
    // checking its rows).
    if let Some(date) = iso_date(text) {
        return Ok(date);
    }
    let text = text.trim();
    if let Some(date) = iso_date(text) {
        return Ok(date);
    }
    read(text)
        .and_then(|shape| resolve(shape, order))
        .map_err(|fail| fail.naming(text))
}

/// Detects how a column writes dates from its cells; empty cells are skipped.
///
/// A four-digit year first means [`DateOrder::Iso`] when no cell is written day/month first. A
/// cell that is a valid date only day-first (its first part is above 12, "25/03/2025") proves
/// [`DateOrder::DayFirst`]; one valid only month-first ("03/25/2025") proves
/// [`DateOrder::MonthFirst`]. Cells proving both make the order `None`. When no cell proves
/// either, the guess is `ambiguous` with order `None`: the person chooses. A column of Excel date
/// numbers only reads the same under every order and is reported as `Iso`.
pub fn detect_order(samples: &[&str]) -> OrderGuess {
    let mut year_first = 0;
    let mut year_last = 0;
    let mut serials = 0;
    let mut proves_day_first = 0;
    let mut proves_month_first = 0;
    for sample in samples {
        match read(sample.trim()) {
            Ok(Shape::Serial(_)) => serials += 1,
            Ok(Shape::YearFirst { .. }) => year_first += 1,
            Ok(shape @ Shape::YearLast { .. }) => {
                year_last += 1;
                let day_first = resolve(shape, DateOrder::DayFirst).is_ok();
                let month_first = resolve(shape, DateOrder::MonthFirst).is_ok();
                if day_first && !month_first {
                    proves_day_first += 1;
                } else if month_first && !day_first {
                    proves_month_first += 1;
                }
            }
            Err(_) => {}
        }
    }

    let mut ambiguous = false;
    let order = if year_first > 0 {
        (year_last == 0).then_some(DateOrder::Iso)
    } else if proves_day_first > 0 && proves_month_first > 0 {
        None
    } else if proves_day_first > 0 {
        Some(DateOrder::DayFirst)
    } else if proves_month_first > 0 {
        Some(DateOrder::MonthFirst)
    } else if year_last > 0 {
        ambiguous = true;
        None
    } else if serials > 0 {
        // Date numbers read the same under every order: nothing for the person to choose.
        Some(DateOrder::Iso)
    } else {
        None
    };

    let counted = order.unwrap_or(DateOrder::DayFirst);
    let mut parsed = 0;
    let mut failed = 0;
    for sample in samples {
        match read(sample.trim()).and_then(|shape| resolve(shape, counted)) {
            Ok(_) => parsed += 1,
            Err(Fail::Empty) => {}
            Err(_) => failed += 1,
        }
    }
    OrderGuess {
        order,
        ambiguous,
        parsed,
        failed,
    }
}

/// A [`DateError`] before the text is attached, so that [`detect_order`] can try every cell
/// without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fail {
    Empty,
    NotADate,
    Impossible,
    OutOfRange,
}

impl Fail {
    fn naming(self, text: &str) -> DateError {
        match self {
            Fail::Empty => DateError::Empty,
            Fail::NotADate => DateError::NotADate(text.to_string()),
            Fail::Impossible => DateError::Impossible(text.to_string()),
            Fail::OutOfRange => DateError::OutOfRange(text.to_string()),
        }
    }
}

/// How a cell is written, before the calendar is consulted: the numbers are not yet checked, so
/// that detection can see which order a cell would be valid under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// An Excel date number (its whole part; saturated at `u64::MAX` when longer).
    Serial(u64),
    /// A four-digit year first.
    YearFirst { year: u32, month: u32, day: u32 },
    /// Day and month in an unknown order, then the year (two-digit years already widened).
    YearLast { first: u32, second: u32, year: u32 },
}

/// A real date written exactly "2025-03-07", as nearly every export writes its dates, read
/// without [`read`]'s searches for a time, a separator and a shape; it means the same under
/// every order. `None` for anything else, an impossible date included, which [`read`] then
/// reads or names.
fn iso_date(text: &str) -> Option<Date> {
    let b: &[u8; 10] = text.as_bytes().try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    Date::new(number(&b[..4])? as i32, number(&b[5..7])?, number(&b[8..])?)
}

/// The shape of trimmed text.
fn read(text: &str) -> Result<Shape, Fail> {
    if text.is_empty() {
        return Err(Fail::Empty);
    }
    if let Some(serial) = serial_number(text) {
        return Ok(Shape::Serial(serial));
    }
    let [a, b, c] = split_parts(without_time(text)?).ok_or(Fail::NotADate)?;
    match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => Ok(Shape::YearFirst {
            year: digits(a),
            month: digits(b),
            day: digits(c),
        }),
        (1..=2, 1..=2, 2) => Ok(Shape::YearLast {
            first: digits(a),
            second: digits(b),
            year: match digits(c) {
                short @ 0..=69 => 2000 + short,
                short => 1900 + short,
            },
        }),
        (1..=2, 1..=2, 4) => Ok(Shape::YearLast {
            first: digits(a),
            second: digits(b),
            year: digits(c),
        }),
        _ => Err(Fail::NotADate),
    }
}

/// The date a shape means in `order`.
fn resolve(shape: Shape, order: DateOrder) -> Result<Date, Fail> {
    match shape {
        Shape::Serial(serial) => from_excel_serial(serial),
        Shape::YearFirst { year, month, day } => calendar(year, month, day),
        Shape::YearLast {
            first,
            second,
            year,
        } => match order {
            DateOrder::Iso => Err(Fail::NotADate),
            DateOrder::DayFirst => calendar(year, second, first),
            DateOrder::MonthFirst => calendar(year, first, second),
        },
    }
}

fn calendar(year: u32, month: u32, day: u32) -> Result<Date, Fail> {
    if !(1000..=9999).contains(&year) {
        return Err(Fail::OutOfRange);
    }
    Date::new(year as i32, month, day).ok_or(Fail::Impossible)
}

/// Days from 1970-01-01 back to 1899-12-30, the day before Excel's day 1 once its fictitious
/// 1900-02-29 is accounted for (1970-01-01 is Excel's 25569).
const EXCEL_EPOCH_OFFSET: i64 = 25_569;

/// The largest Excel date number, 9999-12-31.
const EXCEL_MAX_SERIAL: u64 = 2_958_465;

fn from_excel_serial(serial: u64) -> Result<Date, Fail> {
    let days = match serial {
        // Before the fictitious 1900-02-29 Excel's count is true: day 1 is 1900-01-01.
        1..=59 => serial as i64 + 1 - EXCEL_EPOCH_OFFSET,
        60 => return Err(Fail::Impossible),
        61..=EXCEL_MAX_SERIAL => serial as i64 - EXCEL_EPOCH_OFFSET,
        _ => return Err(Fail::OutOfRange),
    };
    Date::from_days_since_epoch(days).ok_or(Fail::OutOfRange)
}

/// The whole part of text that is only digits with an optional decimal part ("45723",
/// "45723.75", "45723,75"), or None.
fn serial_number(text: &str) -> Option<u64> {
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return None;
    }
    // Only digits, so parsing fails only on overflow: far beyond any date number.
    Some(whole.parse().unwrap_or(u64::MAX))
}

/// The date part of text, after checking and dropping a time of day that follows it after a 'T'
/// or whitespace.
fn without_time(text: &str) -> Result<&str, Fail> {
    let Some(colon) = text.find(':') else {
        return Ok(text);
    };
    let (at, separator) = text[..colon]
        .char_indices()
        .rev()
        .find(|&(_, c)| c == 'T' || c == 't' || c.is_whitespace())
        .ok_or(Fail::NotADate)?;
    if !is_time(&text[at + separator.len_utf8()..]) {
        return Err(Fail::NotADate);
    }
    Ok(text[..at].trim_end())
}

/// Whether text is a time of day: "10:00", "7:05:30", "10:00:00.123", optionally followed by
/// "AM"/"PM", "Z" or a UTC offset ("+01:00", "-0500").
fn is_time(text: &str) -> bool {
    let Some((hour, rest)) = take_number(text, 1, 2) else {
        return false;
    };
    let Some((minute, mut rest)) = rest.strip_prefix(':').and_then(|r| take_number(r, 2, 2)) else {
        return false;
    };
    if hour > 24 || minute > 59 {
        return false;
    }
    if let Some(after) = rest.strip_prefix(':') {
        match take_number(after, 2, 2) {
            Some((second, after)) if second <= 60 => rest = after,
            _ => return false,
        }
        if let Some(after) = rest.strip_prefix(['.', ',']) {
            let fraction = after.bytes().take_while(u8::is_ascii_digit).count();
            if fraction == 0 {
                return false;
            }
            rest = &after[fraction..];
        }
    }
    let rest = rest.trim_start();
    if rest.is_empty()
        || ["am", "pm", "z"]
            .iter()
            .any(|s| rest.eq_ignore_ascii_case(s))
    {
        return true;
    }
    // A UTC offset: sign, two-digit hours, optionally minutes with or without ':'.
    let Some(offset) = rest.strip_prefix(['+', '-']) else {
        return false;
    };
    let digit = |i: usize| offset.as_bytes().get(i).is_some_and(u8::is_ascii_digit);
    let two = digit(0) && digit(1);
    match offset.len() {
        2 => two,
        4 => two && digit(2) && digit(3),
        5 => two && offset.as_bytes()[2] == b':' && digit(3) && digit(4),
        _ => false,
    }
}

/// A number of `min..=max` ASCII digits at the start of text, and the rest.
fn take_number(text: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    (min..=max)
        .contains(&len)
        .then(|| (digits(&text[..len]), &text[len..]))
}

/// The value of a short run of ASCII digits (at most 4 here, so no overflow).
fn digits(text: &str) -> u32 {
    text.bytes()
        .fold(0, |value, b| value * 10 + u32::from(b - b'0'))
}

/// The three digit runs of a date, or None. Between runs: '-', '/' or '.', with optional
/// whitespace around it, or whitespace alone; the same separator between all parts, so that
/// "07/03-2025" is refused rather than read. A '.' may also end the text ("2025. 03. 07.").
fn split_parts(text: &str) -> Option<[&str; 3]> {
    let mut parts = [""; 3];
    let mut count = 0;
    let mut separator: Option<char> = None;
    let mut rest = text;
    loop {
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 || count == parts.len() {
            return None;
        }
        parts[count] = &rest[..len];
        count += 1;
        rest = &rest[len..];
        if rest.is_empty() {
            break;
        }
        let spaced = rest.trim_start();
        let (mark, after) = match spaced.chars().next() {
            Some(c @ ('-' | '/' | '.')) => (c, &spaced[1..]),
            _ => (' ', spaced),
        };
        let next = after.trim_start();
        if next.len() == rest.len() {
            return None; // not a separator: a letter, a comma, another script's digit...
        }
        if *separator.get_or_insert(mark) != mark {
            return None;
        }
        if next.is_empty() {
            // Only a trailing dot after the last part and dots between parts.
            if count == parts.len() && mark == '.' {
                break;
            }
            return None;
        }
        rest = next;
    }
    (count == parts.len()).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use DateOrder::{DayFirst, Iso, MonthFirst};

    proptest! {
        // The shortcut for ISO dates reads a date exactly when the general reader reads one,
        // the same date under every order.
        #[test]
        fn iso_dates_read_as_the_general_reader_reads_them(
            year in 0u32..12_000,
            month in 0u32..14,
            day in 0u32..33,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02}");
            for order in [Iso, DayFirst, MonthFirst] {
                prop_assert_eq!(iso_date(&text), read(&text).and_then(|s| resolve(s, order)).ok());
            }
        }

        // Any other text: the shortcut answers only where the general reader agrees.
        #[test]
        fn the_iso_shortcut_leaves_other_text_to_the_general_reader(text in "[0-9 /.:T-]{8,12}") {
            if let Some(date) = iso_date(&text) {
                prop_assert_eq!(read(&text).and_then(|s| resolve(s, DayFirst)), Ok(date));
            }
        }
    }

    #[test]
    fn iso_dates_by_hand() {
        assert_eq!(iso_date("2025-03-07"), Some(date(2025, 3, 7)));
        assert_eq!(iso_date("2024-02-29"), Some(date(2024, 2, 29)));
        // Impossible, out of range or shaped otherwise: the general reader's.
        for text in [
            "2025-02-29",
            "0999-01-01",
            "2025-3-07",
            "2025/03/07",
            "2025-03-07T10:00",
        ] {
            assert_eq!(iso_date(text), None, "{text}");
        }
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    const ORDERS: [DateOrder; 3] = [Iso, DayFirst, MonthFirst];

    #[test]
    fn iso_dates_with_and_without_time() {
        let expected = date(2025, 3, 7);
        for text in [
            "2025-03-07",
            "  2025-03-07\t",
            "2025-3-7",
            "2025/03/07",
            "2025.03.07",
            "2025 03 07",
            "2025-03-07T10:00:00",
            "2025-03-07T10:00",
            "2025-03-07T10:00:00Z",
            "2025-03-07T10:00:00.123+01:00",
            "2025-03-07T23:59:59-0500",
            "2025-03-07 10:00",
            "2025-03-07 10:00:00",
        ] {
            for order in ORDERS {
                assert_eq!(parse_date(text, order), Ok(expected), "{text:?} {order:?}");
            }
        }
    }

    #[test]
    fn hungarian_year_first_with_dots_and_spaces() {
        for order in ORDERS {
            assert_eq!(parse_date("2025. 03. 07.", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("2025. 3. 7.", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("2025.03.07.", order), Ok(date(2025, 3, 7)));
            assert_eq!(
                parse_date("2025. 12. 31. 10:00:00", order),
                Ok(date(2025, 12, 31))
            );
        }
        // No-break spaces, as some spreadsheet exports write them.
        assert_eq!(
            parse_date("2025.\u{a0}03.\u{a0}07.", Iso),
            Ok(date(2025, 3, 7))
        );
    }

    #[test]
    fn day_first_dates() {
        let expected = date(2025, 3, 7);
        for text in [
            "07/03/2025",
            "7/3/2025",
            "7.3.2025",
            "07.03.2025",
            "07-03-2025",
            "07 03 2025",
            "07.03.2025 10:00",
            "07/03/2025 10:00:00",
        ] {
            assert_eq!(parse_date(text, DayFirst), Ok(expected), "{text:?}");
        }
        assert_eq!(parse_date("25/12/2024", DayFirst), Ok(date(2024, 12, 25)));
    }

    #[test]
    fn month_first_dates() {
        assert_eq!(parse_date("03/07/2025", MonthFirst), Ok(date(2025, 3, 7)));
        assert_eq!(parse_date("3/7/2025", MonthFirst), Ok(date(2025, 3, 7)));
        assert_eq!(
            parse_date("3/7/2025 10:15 PM", MonthFirst),
            Ok(date(2025, 3, 7))
        );
        assert_eq!(parse_date("12/25/2024", MonthFirst), Ok(date(2024, 12, 25)));
        // The same text reads differently day-first: that is why the order is asked for.
        assert_eq!(parse_date("03/07/2025", DayFirst), Ok(date(2025, 7, 3)));
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(parse_date("07/03/25", DayFirst), Ok(date(2025, 3, 7)));
        assert_eq!(parse_date("03/07/25", MonthFirst), Ok(date(2025, 3, 7)));
        assert_eq!(parse_date("7.3.00", DayFirst), Ok(date(2000, 3, 7)));
        assert_eq!(parse_date("07/03/69", DayFirst), Ok(date(2069, 3, 7)));
        assert_eq!(parse_date("07/03/70", DayFirst), Ok(date(1970, 3, 7)));
        assert_eq!(parse_date("31/12/99", DayFirst), Ok(date(1999, 12, 31)));
    }

    #[test]
    fn leap_days_and_impossible_dates() {
        assert_eq!(parse_date("2024-02-29", Iso), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("29/02/2024", DayFirst), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("2000-02-29", Iso), Ok(date(2000, 2, 29)));
        assert_eq!(
            parse_date("2025-02-29", Iso),
            Err(DateError::Impossible("2025-02-29".into()))
        );
        assert_eq!(
            parse_date("1900-02-29", Iso),
            Err(DateError::Impossible("1900-02-29".into()))
        );
        assert_eq!(
            parse_date("31/04/2025", DayFirst),
            Err(DateError::Impossible("31/04/2025".into()))
        );
        assert_eq!(
            parse_date("31/02/2025", DayFirst),
            Err(DateError::Impossible("31/02/2025".into()))
        );
        // Month 13, day 0.
        assert_eq!(
            parse_date("07/13/2025", DayFirst),
            Err(DateError::Impossible("07/13/2025".into()))
        );
        assert_eq!(
            parse_date("00/03/2025", DayFirst),
            Err(DateError::Impossible("00/03/2025".into()))
        );
        assert_eq!(
            parse_date("2025-13-01", MonthFirst),
            Err(DateError::Impossible("2025-13-01".into()))
        );
    }

    #[test]
    fn empty_and_garbage() {
        for order in ORDERS {
            assert_eq!(parse_date("", order), Err(DateError::Empty));
            assert_eq!(parse_date("   \t ", order), Err(DateError::Empty));
            assert_eq!(
                parse_date("abc", order),
                Err(DateError::NotADate("abc".into()))
            );
        }
        for text in [
            "07/03",
            "07/03/2025/1",
            "07/03-2025",
            "7 March 2025",
            "07/03/205",
            "07/03/20255",
            "123/03/2025",
            "-07/03/2025",
            "2025-03-07T",
            "2025-03-07T10",
            "2025-03-07Tnoon:00",
            "2025-03-07 25:00",
            "2025-03-07 10:00 tomorrow",
            "07//03//2025",
            "07/03/2025.",
            "٠٧/٠٣/٢٠٢٥",
            "45723.",
            "1.5.",
        ] {
            assert_eq!(
                parse_date(text, DayFirst),
                Err(DateError::NotADate(text.into())),
                "{text:?}"
            );
        }
        // Day-first text under the year-first order: which part is the month is unknown.
        assert_eq!(
            parse_date("07/03/2025", Iso),
            Err(DateError::NotADate("07/03/2025".into()))
        );
    }

    #[test]
    fn out_of_range() {
        assert_eq!(
            parse_date("0999-12-31", Iso),
            Err(DateError::OutOfRange("0999-12-31".into()))
        );
        assert_eq!(
            parse_date("31/12/0999", DayFirst),
            Err(DateError::OutOfRange("31/12/0999".into()))
        );
        for text in ["0", "2958466", "99999999999999999999999999"] {
            assert_eq!(
                parse_date(text, DayFirst),
                Err(DateError::OutOfRange(text.into()))
            );
        }
        assert_eq!(parse_date("2958465", Iso), Ok(date(9999, 12, 31)));
        assert_eq!(parse_date("9999-12-31", Iso), Ok(date(9999, 12, 31)));
        assert_eq!(parse_date("1000-01-01", Iso), Ok(date(1000, 1, 1)));
    }

    #[test]
    fn excel_serials() {
        for order in ORDERS {
            assert_eq!(parse_date("1", order), Ok(date(1900, 1, 1)));
            assert_eq!(parse_date("59", order), Ok(date(1900, 2, 28)));
            assert_eq!(
                parse_date("60", order),
                Err(DateError::Impossible("60".into()))
            );
            assert_eq!(parse_date("61", order), Ok(date(1900, 3, 1)));
            assert_eq!(parse_date("45723", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date(" 45723 ", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("45723.75", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("45723.5", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("45723,5", order), Ok(date(2025, 3, 7)));
            assert_eq!(parse_date("045723", order), Ok(date(2025, 3, 7)));
        }
        // Check 45723 independently: the days from 1899-12-30 to 2025-03-07.
        assert_eq!(date(1899, 12, 30).days_until(date(2025, 3, 7)), 45_723);
        assert_eq!(date(1899, 12, 30).days_until(date(1970, 1, 1)), 25_569);
    }

    #[test]
    fn messages_name_the_text() {
        let message = |text: &str| parse_date(text, DayFirst).unwrap_err().to_string();
        assert_eq!(message("31/02/2025"), "\"31/02/2025\" is not a real date");
        assert_eq!(message("abc"), "\"abc\" is not a date we can read");
        assert_eq!(message(" "), "the cell is empty, but a date was expected");
        assert!(message("0999-01-01").starts_with("\"0999-01-01\" is outside the dates"));
    }

    #[test]
    fn detects_day_first_from_a_day_above_12() {
        let guess = detect_order(&["01/02/2025", "07/03/2025", "25/03/2025", "", "11/04/2025"]);
        assert_eq!(
            guess,
            OrderGuess {
                order: Some(DayFirst),
                ambiguous: false,
                parsed: 4,
                failed: 0
            }
        );
        assert_eq!(parse_date("25/03/2025", DayFirst), Ok(date(2025, 3, 25)));
    }

    #[test]
    fn detects_month_first_from_a_13th() {
        let guess = detect_order(&["03/07/2025", "03/13/2025", "12/01/2025", "oops"]);
        assert_eq!(
            guess,
            OrderGuess {
                order: Some(MonthFirst),
                ambiguous: false,
                parsed: 3,
                failed: 1
            }
        );
        assert_eq!(parse_date("03/13/2025", MonthFirst), Ok(date(2025, 3, 13)));
    }

    #[test]
    fn all_days_up_to_12_is_ambiguous() {
        let guess = detect_order(&["01/02/2025", "07/03/2025", "12/12/2024", "45723"]);
        assert_eq!(
            guess,
            OrderGuess {
                order: None,
                ambiguous: true,
                parsed: 4,
                failed: 0
            }
        );
    }

    #[test]
    fn contradicting_cells_have_no_order() {
        let guess = detect_order(&["25/03/2025", "03/25/2025", "01/02/2025"]);
        assert_eq!(
            guess,
            OrderGuess {
                order: None,
                ambiguous: false,
                parsed: 2, // counted day-first
                failed: 1
            }
        );
        // Year-first and year-last cells mixed.
        let guess = detect_order(&["2025-03-07", "25/03/2025"]);
        assert_eq!(guess.order, None);
        assert!(!guess.ambiguous);
    }

    #[test]
    fn detects_iso() {
        let guess = detect_order(&[
            "2025-03-07",
            "2025-03-13T08:00:00",
            "2025-02-29",
            "45723",
            " ",
        ]);
        assert_eq!(
            guess,
            OrderGuess {
                order: Some(Iso),
                ambiguous: false,
                parsed: 3,
                failed: 1
            }
        );
    }

    #[test]
    fn detects_nothing_in_empty_or_non_date_columns_and_iso_for_serials_only() {
        let nothing = OrderGuess {
            order: None,
            ambiguous: false,
            parsed: 0,
            failed: 0,
        };
        assert_eq!(detect_order(&[]), nothing);
        assert_eq!(detect_order(&["", "  "]), nothing);
        assert_eq!(
            detect_order(&["abc", "x"]),
            OrderGuess {
                failed: 2,
                ..nothing
            }
        );
        assert_eq!(
            detect_order(&["45723", "45724.5"]),
            OrderGuess {
                order: Some(Iso),
                parsed: 2,
                ..nothing
            }
        );
        // Cells impossible in both orders prove nothing.
        assert_eq!(
            detect_order(&["31/02/2025", "01/02/2025"]),
            OrderGuess {
                ambiguous: true,
                parsed: 1,
                failed: 1,
                ..nothing
            }
        );
    }

    #[test]
    fn every_day_1990_to_2030_round_trips_in_every_form() {
        let first = date(1990, 1, 1).days_since_epoch();
        let last = date(2030, 12, 31).days_since_epoch();
        let excel_day_zero = date(1899, 12, 30);
        for days in first..=last {
            let d = Date::from_days_since_epoch(days).unwrap();
            let (y, m, dd) = (d.year(), d.month(), d.day());
            let forms = [
                (format!("{dd:02}/{m:02}/{y:04}"), DayFirst),
                (format!("{dd}.{m}.{y}"), DayFirst),
                (format!("{dd:02}/{m:02}/{:02}", y % 100), DayFirst),
                (format!("{m:02}/{dd:02}/{y:04}"), MonthFirst),
                (format!("{y:04}-{m:02}-{dd:02}"), Iso),
                (format!("{y}. {m:02}. {dd:02}."), Iso),
                (excel_day_zero.days_until(d).to_string(), Iso),
                (excel_day_zero.days_until(d).to_string(), DayFirst),
            ];
            for (text, order) in forms {
                assert_eq!(parse_date(&text, order), Ok(d), "{text:?} {order:?}");
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        const CHARS: &[char] = &[
            '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '1', '2', '3', '9', '-', '/',
            '.', ' ', ' ', ',', ':', 'T', 't', 'Z', '+', 'a', 'M', 'P', 'x', 'ł', '٣', '\u{a0}',
            '\t', '\u{3000}', '€',
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples = Vec::with_capacity(10_000);
        for _ in 0..10_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| CHARS[(next() % CHARS.len() as u64) as usize])
                .collect();
            for order in ORDERS {
                if let Err(error) = parse_date(&text, order) {
                    let _ = error.to_string();
                }
            }
            samples.push(text);
        }
        let samples: Vec<&str> = samples.iter().map(String::as_str).collect();
        for column in samples.chunks(7) {
            let guess = detect_order(column);
            assert_eq!(
                guess.parsed + guess.failed,
                column.iter().filter(|s| !s.trim().is_empty()).count()
            );
        }
        let _ = detect_order(&samples);
    }
}
