//! Exact money arithmetic on scaled integers.
//!
//! The what-if hot path recomputes every customer's P&L on each slider move, so it works on
//! integers: money in cents, quantities (hours, days) in thousandths, rates in millionths.
//! `rust_decimal` stays at the edges (parsing, assumptions, display), where conversions are
//! checked and never round silently. Every P&L line is rounded once, half away from zero (the
//! "commercial" rounding an accountant expects), and totals are sums of rounded customer
//! lines, so the sum of the customer lines always equals the total to the cent.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Decimal places of a money amount (cents).
pub const MONEY_SCALE: u32 = 2;
/// Decimal places of a quantity such as hours or days (thousandths).
pub const QTY_SCALE: u32 = 3;
/// Decimal places of a rate: money per unit, or a fraction such as 0.025 (millionths).
pub const RATE_SCALE: u32 = 6;

const QTY_ONE: i64 = 1_000;
/// One, as a rate or share in millionths is held.
pub(crate) const RATE_ONE: i64 = 1_000_000;

/// An amount of money in cents of the workbook's currency. Arithmetic saturates at the i64 limits
/// (about 92 quadrillion): only absurd inputs get there, and a figure never wraps to the wrong
/// sign.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(into = "Decimal", try_from = "Decimal")]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }

    /// The exact decimal value, for display and export.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, MONEY_SCALE)
    }

    /// Converts an exact decimal; refuses values with more than two decimals or out of range
    /// rather than rounding them without saying so.
    pub fn from_decimal(value: Decimal) -> Result<Money, ScaleError> {
        to_scaled(value, MONEY_SCALE).map(Money)
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

impl From<Money> for Decimal {
    fn from(m: Money) -> Decimal {
        m.to_decimal()
    }
}

impl TryFrom<Decimal> for Money {
    type Error = ScaleError;
    fn try_from(d: Decimal) -> Result<Money, ScaleError> {
        Money::from_decimal(d)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0.saturating_add(o.0))
    }
}
impl Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0.saturating_sub(o.0))
    }
}
impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}
impl AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 = self.0.saturating_add(o.0);
    }
}
impl SubAssign for Money {
    fn sub_assign(&mut self, o: Money) {
        self.0 = self.0.saturating_sub(o.0);
    }
}
impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.fold(0i64, |a, m| a.saturating_add(m.0)))
    }
}

/// A decimal that does not fit the fixed scale it is stored at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScaleError {
    /// More decimal places than the scale keeps, e.g. 0.0000001 as a rate.
    TooPrecise { value: Decimal, max_decimals: u32 },
    /// Larger than the integer behind the scale can hold.
    TooLarge { value: Decimal },
}

impl fmt::Display for ScaleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScaleError::TooPrecise {
                value,
                max_decimals,
            } => write!(f, "{value} has more than {max_decimals} decimal places"),
            ScaleError::TooLarge { value } => write!(f, "{value} is too large"),
        }
    }
}

/// `value × 10^scale` as an integer, refusing a value that would need rounding or overflow.
pub fn to_scaled(value: Decimal, scale: u32) -> Result<i64, ScaleError> {
    let scaled = value
        .checked_mul(Decimal::from(10i64.pow(scale)))
        .ok_or(ScaleError::TooLarge { value })?;
    if !scaled.fract().is_zero() {
        return Err(ScaleError::TooPrecise {
            value,
            max_decimals: scale,
        });
    }
    scaled.to_i64().ok_or(ScaleError::TooLarge { value })
}

/// `n / d` rounded half away from zero; `d` must be positive.
#[inline]
pub fn div_round(n: i64, d: i64) -> i64 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if 2 * r.unsigned_abs() >= d.unsigned_abs() {
        q + n.signum()
    } else {
        q
    }
}

/// `n / D` rounded half away from zero, with the divisor known at compile time, exactly, for
/// every `n`.
///
/// Natively the compiler replaces a division by a constant with a multiplication and shifts.
/// WebAssembly has no instruction for the high half of a 64-bit product, so there the division
/// stays a division, the slowest instruction of a recompute (measured in Chromium: a third of
/// the time of a line of twelve multiply-adds). For divisors of 10,000 and more the quotient is
/// instead estimated by a floating-point multiplication and settled in integers. The estimate
/// of x = |n| / D is within 3 x 2^-53 of it relatively, so within 2^63 / D x 3 x 2^-53 < 0.31:
/// its integer part is k = trunc(x), or k + 1 when x > k + 0.69, or k - 1 when x < k + 0.31.
/// Adding one when the exact remainder left by that integer part is at least half a divisor
/// gives round(x) in all three cases (the remainder is then within 0..D, below zero, or at
/// least D). No figure is rounded in floating point.
#[inline(always)]
pub fn div_round_by<const D: i64>(n: i64) -> i64 {
    const { assert!(D > 0) };
    if D < 10_000 {
        return div_round(n, D);
    }
    let magnitude = n.unsigned_abs();
    let estimate = (magnitude as f64 * (1.0 / D as f64)) as u64;
    // Between -0.31 and 1.31 divisors: small, so the wrapping arithmetic is exact.
    let remainder = magnitude.wrapping_sub(estimate.wrapping_mul(D as u64)) as i64;
    let rounded = (estimate + u64::from(2 * remainder >= D)) as i64;
    if n < 0 {
        rounded.wrapping_neg()
    } else {
        rounded
    }
}

/// Two factors of at most this magnitude multiply within i64 (3,037,000,499² < 2⁶³).
const SQRT_I64_MAX: u64 = 3_037_000_499;

/// Whether `a x b` surely fits in i64, from the magnitudes alone: WebAssembly has no overflow
/// flag, so a checked 64-bit multiplication there is a call to a software routine; this test
/// is two comparisons, and answers yes for every amount below 30 million in two decimals.
#[inline(always)]
fn surely_fits(a: i64, b: i64) -> bool {
    a.unsigned_abs() <= SQRT_I64_MAX && b.unsigned_abs() <= SQRT_I64_MAX
}

/// `a x b / D`, rounded half away from zero, exact in 128 bits when the product overflows.
#[inline(always)]
pub fn mul_div_round_by<const D: i64>(a: i64, b: i64) -> i64 {
    if surely_fits(a, b) {
        return div_round_by::<D>(a * b);
    }
    match a.checked_mul(b) {
        Some(p) => div_round_by::<D>(p),
        None => saturate(div_round_wide(a as i128 * b as i128, D as i128)),
    }
}

/// `n / d` rounded half away from zero on 128 bits; `d` must be positive.
#[inline]
pub fn div_round_wide(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if 2 * r.unsigned_abs() >= d.unsigned_abs() {
        q + n.signum()
    } else {
        q
    }
}

/// `a × b / d`, rounded half away from zero, saturating at the i64 range (only absurd inputs
/// get there; the product is exact in 128 bits). The i64 path avoids 128-bit division, which
/// is a software routine in WebAssembly and dominates the recompute if used everywhere.
#[inline]
pub fn mul_div_round(a: i64, b: i64, d: i64) -> i64 {
    if surely_fits(a, b) {
        return div_round(a * b, d);
    }
    match a.checked_mul(b) {
        Some(p) => div_round(p, d),
        None => saturate(div_round_wide(a as i128 * b as i128, d as i128)),
    }
}

/// Saturates a 128-bit intermediate into i64.
#[inline]
pub fn saturate(v: i128) -> i64 {
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// An amount in cents times a rate in millionths, as cents.
#[inline]
pub fn money_times_rate(cents: i64, rate_micro: i64) -> i64 {
    mul_div_round_by::<RATE_ONE>(cents, rate_micro)
}

/// Scale factor from (quantity in thousandths × rate in millionths) to cents:
/// 10^(3 + 6 - 2) = 10^7.
pub const QTY_RATE_TO_CENTS: i64 = QTY_ONE * RATE_ONE / 100;
/// Scale factor from (whole count × rate in millionths) to cents: 10^(6 - 2).
pub const COUNT_RATE_TO_CENTS: i64 = RATE_ONE / 100;

#[cfg(test)]
mod tests {
    use super::*;

    /// `n / d` rounded half away from zero, restated in 128 bits.
    fn div_round_reference(n: i64, d: i64) -> i64 {
        div_round_wide(n as i128, d as i128) as i64
    }

    /// Every divisor the engine divides by, with `n` drawn from all of i64 and from near the
    /// multiples and half-multiples of the divisor, where rounding turns.
    fn check_all_divisors(n: i64) -> Result<(), proptest::test_runner::TestCaseError> {
        use proptest::prop_assert_eq;
        prop_assert_eq!(div_round_by::<10_000>(n), div_round_reference(n, 10_000));
        prop_assert_eq!(
            div_round_by::<1_000_000>(n),
            div_round_reference(n, 1_000_000)
        );
        prop_assert_eq!(
            div_round_by::<10_000_000>(n),
            div_round_reference(n, 10_000_000)
        );
        prop_assert_eq!(
            div_round_by::<365_000_000>(n),
            div_round_reference(n, 365_000_000)
        );
        prop_assert_eq!(div_round_by::<7>(n), div_round_reference(n, 7));
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(20_000))]

        #[test]
        fn division_by_a_constant_is_exact(n in proptest::prelude::any::<i64>()) {
            check_all_divisors(n)?;
        }

        #[test]
        fn division_by_a_constant_rounds_at_the_halves(
            multiple in -(1i64 << 40)..(1i64 << 40),
            divisor in proptest::sample::select(vec![10_000i64, 1_000_000, 10_000_000, 365_000_000]),
            offset in -3i64..=3,
            half in proptest::prelude::any::<bool>(),
        ) {
            // n = multiple x divisor (+ half a divisor) + a few units: on and around every
            // point where the rounded quotient changes.
            let base = multiple as i128 * divisor as i128 + if half { divisor as i128 / 2 } else { 0 };
            let n = (base + offset as i128).clamp(i64::MIN as i128, i64::MAX as i128) as i64;
            check_all_divisors(n)?;
        }
    }

    #[test]
    fn division_by_a_constant_at_the_ends_of_i64() {
        for n in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1, -1, 0, 1] {
            check_all_divisors(n).unwrap();
        }
        // 25,000,000 / 10^7 = 2.5 -> 3 and -2.5 -> -3 (half away from zero); 2.4999999 -> 2.
        assert_eq!(div_round_by::<10_000_000>(25_000_000), 3);
        assert_eq!(div_round_by::<10_000_000>(-25_000_000), -3);
        assert_eq!(div_round_by::<10_000_000>(24_999_999), 2);
        assert_eq!(div_round_by::<10_000_000>(-24_999_999), -2);
    }
    use rust_decimal::prelude::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn products_near_the_quick_test_s_edge_are_exact() {
        // Against the 128-bit path, at the edge of the magnitude test and past it, both signs.
        let wide =
            |a: i64, b: i64, d: i64| saturate(div_round_wide(a as i128 * b as i128, d as i128));
        let edge = SQRT_I64_MAX as i64;
        for a in [edge, edge + 1, -edge, -(edge + 1), 3 * edge, i64::MAX / 7] {
            for b in [edge, edge - 1, -edge, 2, -3, 1_000_000] {
                assert_eq!(
                    mul_div_round(a, b, 1_000_000),
                    wide(a, b, 1_000_000),
                    "{a} x {b}"
                );
                assert_eq!(
                    mul_div_round_by::<10_000>(a, b),
                    wide(a, b, 10_000),
                    "{a} x {b}"
                );
            }
        }
        // The largest product the quick test accepts still fits.
        assert!(edge.checked_mul(edge).is_some());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(div_round(5, 10), 1); // 0.5 -> 1
        assert_eq!(div_round(-5, 10), -1); // -0.5 -> -1
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-14, 10), -1);
        assert_eq!(div_round(15, 10), 2);
        assert_eq!(div_round(-15, 10), -2);
    }

    #[test]
    fn money_times_rate_rounds_once() {
        // 1,234.56 x 2.5% = 30.864 -> 30.86
        assert_eq!(money_times_rate(123_456, 25_000), 3_086);
        // 0.10 x 5% = 0.005 -> 0.01 (half away from zero)
        assert_eq!(money_times_rate(10, 50_000), 1);
        assert_eq!(money_times_rate(-10, 50_000), -1);
    }

    #[test]
    fn wide_path_matches_narrow_path() {
        // i64::MAX / 2 cents x 3.0: overflows i64 in the product, saturates in the result.
        assert_eq!(mul_div_round(i64::MAX / 2, 3_000_000, RATE_ONE), i64::MAX);
        // A product that overflows i64 but whose quotient fits.
        let a = 4_000_000_000_000_000i64;
        assert_eq!(mul_div_round(a, 5, 10), 2_000_000_000_000_000);
    }

    #[test]
    fn scaled_conversion_is_exact_or_refused() {
        assert_eq!(to_scaled(d("12.34"), 2), Ok(1234));
        assert_eq!(to_scaled(d("-0.5"), 2), Ok(-50));
        assert_eq!(to_scaled(d("0.025"), 6), Ok(25_000));
        assert!(matches!(
            to_scaled(d("1.005"), 2),
            Err(ScaleError::TooPrecise { .. })
        ));
        assert!(matches!(
            to_scaled(d("99999999999999999999"), 2),
            Err(ScaleError::TooLarge { .. })
        ));
        assert_eq!(Money::from_decimal(d("1.10")).unwrap().to_string(), "1.10");
    }
}
