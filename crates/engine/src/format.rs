//! Number formatting for screens and reports, from exact integers (never through f64).

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// How a locale writes numbers, for display and for reading users' files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NumberStyle {
    /// '.' or ','.
    pub decimal: char,
    /// Thousands separator: '.', ',', ' ' or '\''; `None` for plain numbers (exports).
    pub group: Option<char>,
}

impl NumberStyle {
    /// 1,234,567.89
    pub const ENGLISH: NumberStyle = NumberStyle {
        decimal: '.',
        group: Some(','),
    };
    /// 1.234.567,89
    pub const COMMA: NumberStyle = NumberStyle {
        decimal: ',',
        group: Some('.'),
    };
    /// 1234567.89: machine-readable exports.
    pub const PLAIN: NumberStyle = NumberStyle {
        decimal: '.',
        group: None,
    };
}

fn group_digits(digits: &str, sep: Option<char>) -> String {
    let Some(sep) = sep else {
        return digits.to_string();
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

/// An integer scaled by 10^`decimals`, written with `decimals` places (rounded half away from
/// zero when `shown` is fewer than `decimals`).
pub fn scaled(value: i64, decimals: u32, shown: u32, style: NumberStyle) -> String {
    let drop = decimals.saturating_sub(shown);
    let v = if drop > 0 {
        crate::money::div_round(value, 10i64.pow(drop))
    } else {
        value
    };
    let shown = decimals.min(shown);
    let negative = v < 0;
    let abs = v.unsigned_abs();
    let unit = 10u64.pow(shown);
    let whole = group_digits(&(abs / unit).to_string(), style.group);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&whole);
    if shown > 0 {
        out.push(style.decimal);
        out.push_str(&format!("{:0width$}", abs % unit, width = shown as usize));
    }
    out
}

/// Money with two decimals: 1,234,567.89
pub fn money(m: Money, style: NumberStyle) -> String {
    scaled(m.cents(), 2, 2, style)
}

/// A share in basis points as a percentage with one decimal: 2,345 bp is "23.5%".
pub fn percent_bp(bp: i64, style: NumberStyle) -> String {
    format!("{}%", scaled(bp, 2, 1, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_english() {
        assert_eq!(
            money(Money(123_456_789), NumberStyle::ENGLISH),
            "1,234,567.89"
        );
        assert_eq!(money(Money(-5), NumberStyle::ENGLISH), "-0.05");
        assert_eq!(money(Money(100_000), NumberStyle::ENGLISH), "1,000.00");
        assert_eq!(money(Money(99_999), NumberStyle::PLAIN), "999.99");
        assert_eq!(
            money(Money(i64::MIN), NumberStyle::PLAIN),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn percent_rounds_half_away() {
        assert_eq!(percent_bp(2_345, NumberStyle::ENGLISH), "23.5%"); // 23.45 -> 23.5
        assert_eq!(percent_bp(-2_345, NumberStyle::ENGLISH), "-23.5%");
        assert_eq!(percent_bp(25_000, NumberStyle::ENGLISH), "250.0%");
    }
}
