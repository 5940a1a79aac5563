//! Number formatting for screens and reports, from exact integers (never through f64):
//! plain styles for files, and [`Locale`] for what people read, in their language's way with
//! the workbook's currency.

use crate::currency::Currency;
use crate::date::{Date, Month};
use crate::i18n::{fill, tr, Lang};
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

/// Separates thousands with `sep`; numbers shorter than `3 + min_grouping` digits stay
/// whole (Spanish and Polish write 1234 but 12 345: CLDR's minimum grouping digits).
fn group_digits(digits: &str, sep: Option<char>, min_grouping: usize) -> String {
    let Some(sep) = sep else {
        return digits.to_string();
    };
    if digits.len() < 3 + min_grouping {
        return digits.to_string();
    }
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
    scaled_grouped(value, decimals, shown, style, 1)
}

fn scaled_grouped(
    value: i64,
    decimals: u32,
    shown: u32,
    style: NumberStyle,
    min_grouping: usize,
) -> String {
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
    let whole = group_digits(&(abs / unit).to_string(), style.group, min_grouping);
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

/// A no-break space: keeps "1 234" and "12,5 €" on one line.
const NBSP: char = '\u{a0}';

/// How a language writes numbers, money, percentages and dates, with the workbook's currency:
/// $1,234,567.89 · 1.234.567,89 Ft · 1.234.567,89 € · Rp1.234.567,89 · 1 234 567,89 zł.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    pub currency: Currency,
}

/// Whole numbers as `lang` writes them: counts of customers, rows, months.
pub fn integer(lang: Lang, n: i64) -> String {
    let locale = Locale {
        lang,
        currency: Currency::default(),
    };
    locale.scaled(n, 0, 0)
}

impl Locale {
    pub fn new(lang: Lang, currency: Currency) -> Locale {
        Locale { lang, currency }
    }

    /// Decimal mark and thousands separator. Hungarian is written with points here, as
    /// Profitbook's Hungarian users asked (CLDR would give a space).
    pub fn numbers(self) -> NumberStyle {
        match self.lang {
            Lang::En => NumberStyle::ENGLISH,
            Lang::Hu | Lang::Es | Lang::Id => NumberStyle::COMMA,
            Lang::Pl => NumberStyle {
                decimal: ',',
                group: Some(NBSP),
            },
        }
    }

    fn min_grouping(self) -> usize {
        match self.lang {
            Lang::Es | Lang::Pl => 2,
            Lang::En | Lang::Hu | Lang::Id => 1,
        }
    }

    /// An integer scaled by 10^`decimals`, shown with `shown` places (see [`scaled`]).
    pub fn scaled(self, value: i64, decimals: u32, shown: u32) -> String {
        scaled_grouped(value, decimals, shown, self.numbers(), self.min_grouping())
    }

    /// An amount without its currency, for table cells under a caption that names it.
    pub fn amount(self, m: Money) -> String {
        self.scaled(m.cents(), 2, 2)
    }

    /// An amount with its currency, where it stands alone.
    pub fn money(self, m: Money) -> String {
        let digits = self.scaled(m.cents().saturating_abs(), 2, 2);
        let sign = if m.cents() < 0 { "-" } else { "" };
        let symbol = self.symbol();
        match self.lang {
            // $1,234.56, Rp1.234,56; a code keeps a space: PLN 1,234.56.
            Lang::En | Lang::Id => {
                let gap = if symbol.chars().all(|c| c.is_ascii_uppercase()) {
                    NBSP.to_string()
                } else {
                    String::new()
                };
                format!("{sign}{symbol}{gap}{digits}")
            }
            Lang::Hu | Lang::Es | Lang::Pl => format!("{sign}{digits}{NBSP}{symbol}"),
        }
    }

    /// The currency's sign as this language writes it; a code where the sign would be
    /// unclear ("$" is also the peso's) or foreign.
    pub fn symbol(self) -> &'static str {
        use Currency::*;
        match (self.currency, self.lang) {
            (Eur, _) => "€",
            (Usd, Lang::En) => "$",
            (Usd, Lang::Es | Lang::Id) => "US$",
            (Gbp, Lang::En | Lang::Id) => "£",
            (Pln, Lang::Pl) => "zł",
            (Huf, Lang::Hu) => "Ft",
            (Idr, Lang::Id) => "Rp",
            (other, _) => other.code(),
        }
    }

    /// A share in basis points with one decimal: 2,345 bp is 23.5% (Spanish: 23,5 %).
    pub fn percent_bp(self, bp: i64) -> String {
        let number = self.scaled(bp, 2, 1);
        match self.lang {
            Lang::Es => format!("{number}{NBSP}%"),
            _ => format!("{number}%"),
        }
    }

    /// A whole number.
    pub fn integer(self, n: i64) -> String {
        self.scaled(n, 0, 0)
    }

    /// An exact decimal as typed or stored (an assumption's value), without rounding:
    /// 1234.5 is "1,234.5" in English, "1234,5" in Polish.
    pub fn decimal(self, d: rust_decimal::Decimal) -> String {
        let text = d.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let style = self.numbers();
        let mut out = format!(
            "{sign}{}",
            group_digits(whole, style.group, self.min_grouping())
        );
        if !fraction.is_empty() {
            out.push(style.decimal);
            out.push_str(fraction);
        }
        out
    }

    /// A decimal as it stands in a field the person edits: the language's decimal mark and no
    /// thousands separator, which, typed back, could read as a decimal mark ("1.500").
    pub fn editable(self, d: rust_decimal::Decimal) -> String {
        d.to_string()
            .replace('.', &self.numbers().decimal.to_string())
    }

    /// "Mar 2025", "2025. márc.", "mar 2025".
    pub fn month(self, m: Month) -> String {
        fill(
            tr(self.lang, "date.month"),
            &[
                ("month", tr(self.lang, &format!("month.{}", m.month()))),
                ("year", &m.year().to_string()),
            ],
        )
    }

    /// "7 Mar 2025", "2025. márc. 7.".
    pub fn date(self, d: Date) -> String {
        fill(
            tr(self.lang, "date.day"),
            &[
                ("day", &d.day().to_string()),
                ("month", tr(self.lang, &format!("month.{}", d.month()))),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// "Amounts in euros.": the caption of tables whose cells carry no currency sign.
    pub fn amounts_caption(self) -> &'static str {
        tr(
            self.lang,
            &format!("currency.amounts_in.{}", self.currency.code()),
        )
    }
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

    /// The examples, one per language, each with a currency its users keep books in.
    #[test]
    fn money_in_each_language() {
        let m = Money(123_456_789);
        let case = |lang, currency| Locale::new(lang, currency).money(m).replace('\u{a0}', " ");
        assert_eq!(case(Lang::Pl, Currency::Pln), "1 234 567,89 zł");
        assert_eq!(case(Lang::Hu, Currency::Huf), "1.234.567,89 Ft");
        assert_eq!(case(Lang::Id, Currency::Idr), "Rp1.234.567,89");
        assert_eq!(case(Lang::Es, Currency::Eur), "1.234.567,89 €");
        assert_eq!(case(Lang::En, Currency::Usd), "$1,234,567.89");
        // The currency is the workbook's, whatever the language.
        assert_eq!(case(Lang::En, Currency::Pln), "PLN 1,234,567.89");
        assert_eq!(case(Lang::Pl, Currency::Eur), "1 234 567,89 €");
        assert_eq!(case(Lang::Es, Currency::Usd), "1.234.567,89 US$");
        assert_eq!(case(Lang::Id, Currency::Eur), "€1.234.567,89");
    }

    #[test]
    fn negative_money_carries_its_sign_first() {
        let m = Money(-123_456);
        let case = |lang, currency| Locale::new(lang, currency).money(m).replace('\u{a0}', " ");
        assert_eq!(case(Lang::En, Currency::Usd), "-$1,234.56");
        assert_eq!(case(Lang::Hu, Currency::Huf), "-1.234,56 Ft");
        assert_eq!(case(Lang::Id, Currency::Idr), "-Rp1.234,56");
        assert_eq!(case(Lang::En, Currency::Gbp), "-£1,234.56");
    }

    /// Spanish and Polish leave four-digit numbers whole (CLDR minimum grouping digits 2).
    #[test]
    fn four_digits_stay_whole_in_spanish_and_polish() {
        assert_eq!(integer(Lang::Es, 1_234), "1234");
        assert_eq!(integer(Lang::Es, 12_345), "12.345");
        assert_eq!(integer(Lang::Pl, 1_234), "1234");
        assert_eq!(integer(Lang::Pl, 12_345), "12\u{a0}345");
        assert_eq!(integer(Lang::En, 1_234), "1,234");
        assert_eq!(integer(Lang::Hu, 1_234), "1.234");
        assert_eq!(integer(Lang::Id, -1_234_567), "-1.234.567");
    }

    #[test]
    fn percentages_per_language() {
        // 2,345 bp = 23.45% -> 23.5 (half away from zero).
        assert_eq!(
            Locale::new(Lang::En, Currency::Eur).percent_bp(2_345),
            "23.5%"
        );
        assert_eq!(
            Locale::new(Lang::Pl, Currency::Eur).percent_bp(2_345),
            "23,5%"
        );
        assert_eq!(
            Locale::new(Lang::Es, Currency::Eur).percent_bp(-2_345),
            "-23,5\u{a0}%"
        );
    }

    #[test]
    fn amounts_in_tables_carry_no_sign() {
        let m = Money(-123_456_789);
        assert_eq!(
            Locale::new(Lang::En, Currency::Usd).amount(m),
            "-1,234,567.89"
        );
        assert_eq!(
            Locale::new(Lang::Hu, Currency::Huf).amount(m),
            "-1.234.567,89"
        );
    }

    #[test]
    fn decimals_keep_their_places() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(
            Locale::new(Lang::En, Currency::Eur).decimal(d("1234.5")),
            "1,234.5"
        );
        assert_eq!(
            Locale::new(Lang::Pl, Currency::Eur).decimal(d("1234.5")),
            "1234,5"
        );
        assert_eq!(
            Locale::new(Lang::Hu, Currency::Eur).decimal(d("-0.025")),
            "-0,025"
        );
        assert_eq!(Locale::new(Lang::Es, Currency::Eur).decimal(d("12")), "12");
        // In a field: no grouping, so 1.500 is never typed back meaning 1.5.
        assert_eq!(
            Locale::new(Lang::Hu, Currency::Eur).editable(d("1500.5")),
            "1500,5"
        );
        assert_eq!(
            Locale::new(Lang::En, Currency::Eur).editable(d("1500.5")),
            "1500.5"
        );
    }

    #[test]
    fn months_and_dates_in_english() {
        let en = Locale::new(Lang::En, Currency::Eur);
        assert_eq!(en.month(Month::new(2025, 3)), "Mar 2025");
        assert_eq!(en.date(Date::new(2025, 3, 7).unwrap()), "7 Mar 2025");
    }

    /// The README's months: each language's order and abbreviations, from its table.
    #[test]
    fn months_in_other_languages() {
        let march = Month::new(2025, 3);
        let month = |lang| Locale::new(lang, Currency::Eur).month(march);
        assert_eq!(month(Lang::Hu), "2025. márc.");
        assert_eq!(month(Lang::Es), "mar 2025");
        assert_eq!(month(Lang::Pl), "mar 2025");
        assert_eq!(month(Lang::Id), "Mar 2025");
    }
}
