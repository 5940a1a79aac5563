//! Lifetime value and prospect evaluation.
//!
//! ```text
//! simple CLV    = m x r / (1 + d - r) - acquisition
//! with growth g = m x r / (1 + d - r(1 + g)) - acquisition, only when 1 + d > r(1 + g)
//! ```
//!
//! m is the margin per period, r the retention per period, d the discount rate per period: all
//! three in the same time unit (here a year).

use crate::assumptions::{Assumptions, CostLine};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifetimeError {
    /// Retention must lie in 0..=1.
    RetentionOutOfRange { retention: Decimal },
    /// The discount rate must be zero or more.
    NegativeDiscount { discount: Decimal },
    /// 1 + d <= r(1 + g): margins grow faster than they are discounted and lost, so the sum has
    /// no finite value.
    NoFiniteValue {
        one_plus_d: Decimal,
        r_times_one_plus_g: Decimal,
    },
}

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifetimeError::RetentionOutOfRange { retention } => {
                write!(f, "retention: {retention} is outside 0 to 1")
            }
            LifetimeError::NegativeDiscount { discount } => {
                write!(f, "discount_rate: {discount} is negative")
            }
            LifetimeError::NoFiniteValue {
                one_plus_d,
                r_times_one_plus_g,
            } => write!(
                f,
                "lifetime value is not finite: 1 + discount ({one_plus_d}) must exceed retention x (1 + growth) ({r_times_one_plus_g})"
            ),
        }
    }
}

fn cents(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Customer lifetime value, rounded to the cent.
pub fn clv(
    margin: Decimal,
    retention: Decimal,
    discount: Decimal,
    growth: Decimal,
    acquisition: Decimal,
) -> Result<Decimal, LifetimeError> {
    if retention < Decimal::ZERO || retention > Decimal::ONE {
        return Err(LifetimeError::RetentionOutOfRange { retention });
    }
    if discount < Decimal::ZERO {
        return Err(LifetimeError::NegativeDiscount { discount });
    }
    let one_plus_d = Decimal::ONE + discount;
    let r_g = retention * (Decimal::ONE + growth);
    let denominator = one_plus_d - r_g;
    if denominator <= Decimal::ZERO {
        return Err(LifetimeError::NoFiniteValue {
            one_plus_d,
            r_times_one_plus_g: r_g,
        });
    }
    Ok(cents(margin * retention / denominator - acquisition))
}

/// A prospect, on assumed figures, per year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prospect {
    pub revenue_per_year: Decimal,
    pub gross_margin_pct: Decimal,
    pub service_hours_per_year: Decimal,
    pub sales_hours_to_win: Decimal,
    pub retention: Decimal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProspectResult {
    /// Gross margin less commission, service time and its equipment, per year.
    pub net_profit_per_year: Decimal,
    /// The cost of winning it: sales hours at the sales rate, with equipment.
    pub acquisition: Decimal,
    pub clv: Result<Decimal, LifetimeError>,
    /// Months until the acquisition cost is earned back; `None` when it never is.
    pub payback_months: Option<u32>,
}

/// The first role's rate on `line`, or zero when no role is on that line.
fn line_rate(a: &Assumptions, line: CostLine) -> Decimal {
    a.roles
        .iter()
        .find(|r| r.line == line)
        .map_or(Decimal::ZERO, |r| r.hourly_rate)
}

/// Evaluates a prospect with the company's own rates.
pub fn evaluate_prospect(p: &Prospect, a: &Assumptions) -> ProspectResult {
    let equipment = a.equipment_rate_per_hour;
    let gross = p.revenue_per_year * p.gross_margin_pct;
    let commission = p.revenue_per_year * a.commission.default_rate;
    let service = p.service_hours_per_year * (line_rate(a, CostLine::Service) + equipment);
    let net = cents(gross - commission - service);
    let acquisition = cents(p.sales_hours_to_win * (line_rate(a, CostLine::Sales) + equipment));
    let clv = clv(net, p.retention, a.discount_rate, a.growth, acquisition);
    let payback_months = (net > Decimal::ZERO).then(|| {
        let months = (acquisition * Decimal::from(12) / net).ceil();
        u32::try_from(months.mantissa() / 10i128.pow(months.scale())).unwrap_or(u32::MAX)
    });
    ProspectResult {
        net_profit_per_year: net,
        acquisition,
        clv,
        payback_months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn simple_clv_by_hand() {
        // m = 1,000, r = 0.8, d = 0.1: 1000 x 0.8 / (1.1 - 0.8) = 800 / 0.3 = 2,666.666... -> 2,666.67
        // less acquisition 500 = 2,166.67
        assert_eq!(
            clv(d("1000"), d("0.8"), d("0.1"), d("0"), d("500")),
            Ok(d("2166.67"))
        );
    }

    #[test]
    fn clv_with_growth_by_hand() {
        // 1 + d - r(1 + g) = 1.1 - 0.8 x 1.05 = 1.1 - 0.84 = 0.26; 800 / 0.26 = 3,076.923... -> 3,076.92
        assert_eq!(
            clv(d("1000"), d("0.8"), d("0.1"), d("0.05"), d("0")),
            Ok(d("3076.92"))
        );
    }

    #[test]
    fn clv_refused_when_not_finite() {
        // 1 + 0.1 <= 0.9 x 1.25 = 1.125
        let e = clv(d("1000"), d("0.9"), d("0.1"), d("0.25"), d("0")).unwrap_err();
        assert_eq!(
            e,
            LifetimeError::NoFiniteValue {
                one_plus_d: d("1.1"),
                r_times_one_plus_g: d("1.125")
            }
        );
        assert!(matches!(
            clv(d("1"), d("1.2"), d("0.1"), d("0"), d("0")),
            Err(LifetimeError::RetentionOutOfRange { .. })
        ));
    }

    #[test]
    fn prospect_by_hand() {
        // Defaults: commission 3%, support 45/h, sales 65/h, equipment 6/h, d 10%, g 0.
        // Gross 120,000 x 0.35 = 42,000; commission 3,600; service 100 h x (45 + 6) = 5,100
        // net = 42,000 - 3,600 - 5,100 = 33,300 a year.
        // Acquisition 40 h x (65 + 6) = 2,840; payback 2,840 x 12 / 33,300 = 1.02 -> 2 months.
        // CLV = 33,300 x 0.9 / (1.1 - 0.9) - 2,840 = 149,850 - 2,840 = 147,010.
        let p = Prospect {
            revenue_per_year: d("120000"),
            gross_margin_pct: d("0.35"),
            service_hours_per_year: d("100"),
            sales_hours_to_win: d("40"),
            retention: d("0.9"),
        };
        let r = evaluate_prospect(&p, &Assumptions::default());
        assert_eq!(r.net_profit_per_year, d("33300.00"));
        assert_eq!(r.acquisition, d("2840.00"));
        assert_eq!(r.payback_months, Some(2));
        assert_eq!(r.clv, Ok(d("147010.00")));
    }
}
