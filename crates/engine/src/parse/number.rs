//! Numbers as our users' files write them: "1.234.567,89 zł", "Rp1.234.567,89", "$1,234.56",
//! "1 234,56", "1'234.56", "(12)", "12-", "−12", "12,5%". A column's format (decimal and
//! grouping characters) is detected from its cells, and a column that could be read two ways
//! ("1.234") is reported as ambiguous for the person to decide, never guessed.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// How a column writes numbers: the same [`NumberStyle`] that formats figures for display.
pub use crate::format::NumberStyle;

/// Every style a column may use, in the order they are preferred when several read a column
/// identically.
pub const CANDIDATES: [NumberStyle; 6] = [
    NumberStyle::ENGLISH,
    NumberStyle::COMMA,
    NumberStyle {
        decimal: ',',
        group: Some(' '),
    },
    NumberStyle {
        decimal: '.',
        group: Some(' '),
    },
    NumberStyle {
        decimal: '.',
        group: Some('\''),
    },
    NumberStyle {
        decimal: ',',
        group: Some('\''),
    },
];

/// Whether `c` groups digits in `style`: a space style also takes no-break spaces, an
/// apostrophe style also the typographic '’'.
fn is_group(style: NumberStyle, c: char) -> bool {
    match style.group {
        Some(' ') => matches!(c, ' ' | '\u{a0}' | '\u{202f}'),
        Some('\'') => matches!(c, '\'' | '’'),
        Some(g) => c == g,
        None => false,
    }
}

/// A number read from a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub value: Decimal,
    /// The currency the cell named, as written in the table below (e.g. "PLN" for "zł").
    pub currency: Option<&'static str>,
    /// The cell ended in '%': `value` is already divided by 100.
    pub percent: bool,
}

/// Why a cell is not a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    Empty,
    /// Characters that are not part of a number in this format.
    NotANumber,
    /// Thousands separators in the wrong places ("1.23.4"), or in the decimals.
    BadGrouping,
    /// More digits than can be held exactly (28 significant digits).
    TooLarge,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberError::Empty => "the cell is empty",
            NumberError::NotANumber => "not a number",
            NumberError::BadGrouping => "thousands separators in the wrong places",
            NumberError::TooLarge => "too many digits to keep exactly",
        })
    }
}

/// Currency symbols and codes accepted before or after a number, with the code they stand for.
/// Longer tokens first, so "PLN" is not read as a stray "P".
const CURRENCIES: [(&str, &str); 12] = [
    ("PLN", "PLN"),
    ("HUF", "HUF"),
    ("IDR", "IDR"),
    ("EUR", "EUR"),
    ("USD", "USD"),
    ("GBP", "GBP"),
    ("zł", "PLN"),
    ("Ft", "HUF"),
    ("Rp", "IDR"),
    ("€", "EUR"),
    ("$", "USD"),
    ("£", "GBP"),
];

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}')
}

/// Removes one currency token from the start or the end.
fn strip_currency(s: &str) -> (&str, Option<&'static str>) {
    for (token, code) in CURRENCIES {
        let n = token.len();
        if s.len() >= n && s.is_char_boundary(n) && s[..n].eq_ignore_ascii_case(token) {
            return (s[n..].trim_matches(is_space), Some(code));
        }
        if s.len() >= n
            && s.is_char_boundary(s.len() - n)
            && s[s.len() - n..].eq_ignore_ascii_case(token)
        {
            return (s[..s.len() - n].trim_matches(is_space), Some(code));
        }
    }
    (s, None)
}

/// Removes one sign: leading '-', '−' or '+', parentheses, or a trailing '-'.
fn strip_sign(s: &str) -> (&str, bool) {
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        return (inner.trim_matches(is_space), true);
    }
    if let Some(r) = s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        return (r.trim_matches(is_space), true);
    }
    if let Some(r) = s.strip_prefix('+') {
        return (r.trim_matches(is_space), false);
    }
    if let Some(r) = s.strip_suffix('-') {
        return (r.trim_matches(is_space), true);
    }
    (s, false)
}

/// Reads one cell in a known format.
pub fn parse_number(text: &str, format: NumberStyle) -> Result<Amount, NumberError> {
    let s = text.trim_matches(is_space);
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    // A sign may stand outside the currency ("-$12", "(12 zł)") or inside it ("$-12").
    let (s, outer_negative) = strip_sign(s);
    let (s, currency) = strip_currency(s);
    let (s, inner_negative) = strip_sign(s);
    if outer_negative && inner_negative {
        return Err(NumberError::NotANumber);
    }
    let (s, percent) = match s.strip_suffix('%') {
        Some(r) => (r.trim_matches(is_space), true),
        None => (s, false),
    };
    if percent && currency.is_some() {
        return Err(NumberError::NotANumber);
    }
    let digits = plain_digits(s, format)?;
    let mut value = Decimal::from_str(&digits).map_err(|_| NumberError::TooLarge)?;
    if outer_negative || inner_negative {
        value = -value;
    }
    if percent {
        value /= Decimal::ONE_HUNDRED;
    }
    Ok(Amount {
        value,
        currency,
        percent,
    })
}

/// "1.234.567,89" in the comma format becomes "1234567.89"; grouping is checked: the first
/// group has 1 to 3 digits and every later group exactly 3.
fn plain_digits(s: &str, format: NumberStyle) -> Result<String, NumberError> {
    let (int_part, frac_part) = match s.find(format.decimal) {
        Some(i) => (&s[..i], Some(&s[i + format.decimal.len_utf8()..])),
        None => (s, None),
    };
    let mut out = String::with_capacity(s.len());
    let mut group_len = 0usize;
    let mut groups = 0usize;
    for c in int_part.chars() {
        if c.is_ascii_digit() {
            out.push(c);
            group_len += 1;
        } else if is_group(format, c) {
            let first = groups == 0;
            if (first && !(1..=3).contains(&group_len)) || (!first && group_len != 3) {
                return Err(NumberError::BadGrouping);
            }
            groups += 1;
            group_len = 0;
        } else {
            return Err(NumberError::NotANumber);
        }
    }
    if groups > 0 && group_len != 3 {
        return Err(NumberError::BadGrouping);
    }
    if let Some(frac) = frac_part {
        if frac.is_empty() && out.is_empty() {
            return Err(NumberError::NotANumber);
        }
        out.push('.');
        for c in frac.chars() {
            if c.is_ascii_digit() {
                out.push(c);
            } else if is_group(format, c) || c == format.decimal {
                return Err(NumberError::BadGrouping);
            } else {
                return Err(NumberError::NotANumber);
            }
        }
    }
    if !out.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError::NotANumber);
    }
    if out.chars().filter(char::is_ascii_digit).count() > 28 {
        return Err(NumberError::TooLarge);
    }
    Ok(out)
}

/// What a column's cells say about its number format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatGuess {
    /// The format that reads the most cells (the first of [`CANDIDATES`] on a tie).
    pub format: NumberStyle,
    /// Two formats read every cell they can, but read some cell as different numbers
    /// ("1.234": 1234 or 1.234): the person must choose.
    pub ambiguous: bool,
    /// No format with the other decimal mark reads the cells alike: they tell the decimal
    /// mark. Cells of whole numbers do not ("1500" is 1500 either way), and a later "1.500"
    /// could then be 1.5 or 1500.
    pub decimal_known: bool,
    /// Non-empty cells the chosen format reads, and those it cannot.
    pub parsed: usize,
    pub failed: usize,
}

/// Detects a column's format from its cells (empty cells are ignored).
pub fn detect_format(samples: &[&str]) -> FormatGuess {
    let cells: Vec<&str> = samples
        .iter()
        .copied()
        .filter(|s| !s.trim_matches(is_space).is_empty())
        .collect();
    let readings: Vec<(NumberStyle, Vec<Option<Decimal>>)> = CANDIDATES
        .iter()
        .map(|&f| {
            let values = cells
                .iter()
                .map(|c| parse_number(c, f).ok().map(|a| a.value))
                .collect();
            (f, values)
        })
        .collect();
    let read = |values: &[Option<Decimal>]| values.iter().filter(|v| v.is_some()).count();
    let best = readings
        .iter()
        .max_by(|a, b| {
            read(&a.1)
                .cmp(&read(&b.1))
                .then(std::cmp::Ordering::Greater)
        })
        .expect("there are candidates");
    let most = read(&best.1);
    // Another format reading as many cells, but giving some cell a different value.
    let ambiguous = most > 0
        && readings
            .iter()
            .any(|(f, values)| *f != best.0 && read(values) == most && values != &best.1);
    let decimal_known = most > 0
        && !readings.iter().any(|(f, values)| {
            f.decimal != best.0.decimal && read(values) == most && values == &best.1
        });
    FormatGuess {
        format: best.0,
        ambiguous,
        decimal_known,
        parsed: most,
        failed: cells.len() - most,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn value(text: &str, f: NumberStyle) -> Decimal {
        parse_number(text, f)
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
            .value
    }

    const SPACE_COMMA: NumberStyle = NumberStyle {
        decimal: ',',
        group: Some(' '),
    };

    #[test]
    fn locales_and_currencies() {
        let p = |t: &str, f| parse_number(t, f).unwrap();
        assert_eq!(
            p("1 234 567,89 zł", SPACE_COMMA),
            Amount {
                value: d("1234567.89"),
                currency: Some("PLN"),
                percent: false
            }
        );
        assert_eq!(
            p("1.234.567,89 Ft", NumberStyle::COMMA).value,
            d("1234567.89")
        );
        assert_eq!(
            p("1.234.567,89 Ft", NumberStyle::COMMA).currency,
            Some("HUF")
        );
        assert_eq!(
            p("Rp1.234.567,89", NumberStyle::COMMA).currency,
            Some("IDR")
        );
        assert_eq!(
            p("1.234.567,89 €", NumberStyle::COMMA).currency,
            Some("EUR")
        );
        assert_eq!(
            p("$1,234,567.89", NumberStyle::ENGLISH),
            Amount {
                value: d("1234567.89"),
                currency: Some("USD"),
                percent: false
            }
        );
        assert_eq!(p("PLN 12,50", SPACE_COMMA).value, d("12.50"));
        assert_eq!(p("eur 3", NumberStyle::ENGLISH).currency, Some("EUR"));
        // The written codes, before or after the number.
        assert_eq!(
            p("HUF 1.234.567,89", NumberStyle::COMMA),
            Amount {
                value: d("1234567.89"),
                currency: Some("HUF"),
                percent: false
            }
        );
        assert_eq!(
            p("1.234.567,89 IDR", NumberStyle::COMMA),
            Amount {
                value: d("1234567.89"),
                currency: Some("IDR"),
                percent: false
            }
        );
        assert_eq!(p("12,50 PLN", SPACE_COMMA).currency, Some("PLN"));
        assert_eq!(p("-12.50 EUR", NumberStyle::ENGLISH).value, d("-12.50"));
        // No-break and narrow no-break spaces group digits too (Excel and LibreOffice use them).
        assert_eq!(
            value("1\u{a0}234\u{202f}567,5", SPACE_COMMA),
            d("1234567.5")
        );
        assert_eq!(value("1'234.56", CANDIDATES[4]), d("1234.56"));
        assert_eq!(value("1’234.56", CANDIDATES[4]), d("1234.56"));
        assert_eq!(value("  42 ", NumberStyle::ENGLISH), d("42"));
        assert_eq!(value("0,5", NumberStyle::COMMA), d("0.5"));
        assert_eq!(value(",5", NumberStyle::COMMA), d("0.5"));
    }

    #[test]
    fn negatives_in_every_form() {
        for t in [
            "-12.5", "−12.5", "(12.5)", "12.5-", "-$12.5", "$-12.5", "($12.5)",
        ] {
            assert_eq!(value(t, NumberStyle::ENGLISH), d("-12.5"), "{t}");
        }
        assert_eq!(value("+7", NumberStyle::ENGLISH), d("7"));
        assert_eq!(
            parse_number("-(12)", NumberStyle::ENGLISH),
            Err(NumberError::NotANumber)
        );
    }

    #[test]
    fn percentages() {
        let a = parse_number("12,5%", NumberStyle::COMMA).unwrap();
        assert_eq!((a.value, a.percent), (d("0.125"), true));
        assert_eq!(value("-3 %", NumberStyle::ENGLISH), d("-0.03"));
        assert_eq!(
            parse_number("5% $", NumberStyle::ENGLISH),
            Err(NumberError::NotANumber)
        );
    }

    #[test]
    fn bad_cells_are_named_not_bent() {
        use NumberError::*;
        let e = |t: &str, f| parse_number(t, f).unwrap_err();
        assert_eq!(e("", NumberStyle::ENGLISH), Empty);
        assert_eq!(e(" \u{a0} ", NumberStyle::ENGLISH), Empty);
        assert_eq!(e("abc", NumberStyle::ENGLISH), NotANumber);
        assert_eq!(e("12 apples", NumberStyle::ENGLISH), NotANumber);
        assert_eq!(e("1.23.4", NumberStyle::COMMA), BadGrouping);
        assert_eq!(e("1,2345.6", NumberStyle::ENGLISH), BadGrouping);
        assert_eq!(e("1234,567.5", NumberStyle::ENGLISH), BadGrouping);
        assert_eq!(e("1.5.5", NumberStyle::ENGLISH), BadGrouping);
        assert_eq!(
            e(
                "1,234",
                NumberStyle {
                    decimal: '.',
                    group: None
                }
            ),
            NotANumber
        );
        assert_eq!(e("-", NumberStyle::ENGLISH), NotANumber);
        assert_eq!(e("%", NumberStyle::ENGLISH), NotANumber);
        assert_eq!(
            e("12345678901234567890123456789", NumberStyle::ENGLISH),
            TooLarge
        );
    }

    #[test]
    fn detects_a_column_format_or_says_it_cannot() {
        let g = detect_format(&["1.234,56", "12,50", "", "3"]);
        assert_eq!(
            (g.format, g.ambiguous, g.parsed, g.failed),
            (NumberStyle::COMMA, false, 3, 0)
        );
        let g = detect_format(&["$1,234.56", "$0.99"]);
        assert_eq!((g.format, g.ambiguous), (NumberStyle::ENGLISH, false));
        let g = detect_format(&["1 234,5", "7,25"]);
        assert_eq!((g.format, g.ambiguous), (SPACE_COMMA, false));
        // "1.234" and "5.678" read as thousands or as decimals: the person decides.
        let g = detect_format(&["1.234", "5.678"]);
        assert!(g.ambiguous);
        // Whole numbers read the same in every format: nothing to decide.
        let g = detect_format(&["12", "-7", "(3)"]);
        assert_eq!(
            (g.format, g.ambiguous, g.parsed),
            (NumberStyle::ENGLISH, false, 3)
        );
        // A cell no format reads is counted, not dropped.
        let g = detect_format(&["1,5", "2,25", "n/a"]);
        assert_eq!((g.format.decimal, g.parsed, g.failed), (',', 2, 1));
    }

    #[test]
    fn no_input_panics() {
        let alphabet: Vec<char> = "0123456789.,' -−+()%$€£łzFtRpPLNHUF\u{a0}\u{202f}’a٣"
            .chars()
            .collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut samples = Vec::new();
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 14) as usize;
            let s: String = (0..len)
                .map(|k| alphabet[((x >> (k * 4)) as usize + k * 7) % alphabet.len()])
                .collect();
            for f in CANDIDATES {
                let _ = parse_number(&s, f);
            }
            samples.push(s);
        }
        let refs: Vec<&str> = samples.iter().map(String::as_str).collect();
        for chunk in refs.chunks(50) {
            let g = detect_format(chunk);
            assert_eq!(
                g.parsed + g.failed,
                chunk
                    .iter()
                    .filter(|s| !s.trim_matches(is_space).is_empty())
                    .count()
            );
        }
    }
}
