//! Sensitivity: each assumption moved down and up by a share of its value, and what that does
//! to total net profit, ranked by the size of the swing (the tornado chart).

use crate::assumptions::{Assumptions, Param, Unit};
use crate::compute::Report;
use crate::drivers::Model;
use crate::money::Money;
use crate::Rates;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Total net profit with one assumption moved down and up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sensitivity {
    pub param: Param,
    pub low: Decimal,
    pub high: Decimal,
    pub net_profit_low: Money,
    pub net_profit_high: Money,
}

impl Sensitivity {
    /// How far net profit moves between the two ends.
    pub fn swing(&self) -> Money {
        Money((self.net_profit_high.0 - self.net_profit_low.0).saturating_abs())
    }
}

/// The assumptions that can change net profit. Referral and advocacy values change total
/// value only, and retention, discount and growth only lifetime value.
pub fn moves_net_profit(p: Param) -> bool {
    !matches!(
        p,
        Param::ReferralAttribution
            | Param::SavedAcquisitionCost
            | Param::ValuePerCaseStudy
            | Param::ValuePerReference
            | Param::Retention
            | Param::DiscountRate
            | Param::Growth
    )
}

/// `value` moved by `share` (0.1 for 10%) down or up, at the precision the assumption is kept
/// at: whole months, cents, and shares to the millionth.
fn moved(p: Param, a: &Assumptions, value: Decimal, share: Decimal, up: bool) -> Decimal {
    let factor = if up {
        Decimal::ONE + share
    } else {
        Decimal::ONE - share
    };
    let decimals = match p.meta(a).unit {
        Unit::Months => 0,
        Unit::Money | Unit::MoneyPerHour => 2,
        Unit::Percent => 6,
    };
    (value * factor)
        .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// One assumption moved by `share` both ways, from `base` (the report for `a`); `None` when a
/// moved value is refused (a share above 100%) or the assumption has no value.
pub fn sensitivity_of(
    model: &Model,
    base: &Report,
    a: &Assumptions,
    p: Param,
    share: Decimal,
) -> Option<Sensitivity> {
    let value = p.get(a)?;
    let net_at = |v: Decimal| -> Option<Money> {
        let mut x = a.clone();
        p.set(&mut x, v).ok()?;
        let rates = Rates::compile(&x, model).ok()?;
        // From the base report: only the lines this assumption feeds are computed.
        Some(base.recomputed(model, &rates, &x.actions).totals.net_profit)
    };
    let (low, high) = (
        moved(p, a, value, share, false),
        moved(p, a, value, share, true),
    );
    Some(Sensitivity {
        param: p,
        low,
        high,
        net_profit_low: net_at(low)?,
        net_profit_high: net_at(high)?,
    })
}

/// Largest swing first; equal swings in panel order.
pub fn rank(mut all: Vec<Sensitivity>) -> Vec<Sensitivity> {
    all.sort_by_key(|s| std::cmp::Reverse(s.swing()));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute;
    use crate::testing::{no_commission, two_ticket_customers};

    #[test]
    fn ranked_by_swing_by_hand() {
        // Two customers with revenue 1,000.00 each at 40% gross margin (400.00), no commission,
        // 30 and 50 support tickets at 6.00: net 220.00 + 100.00 = 320.00.
        // Tickets at 5.40 / 6.60: 238 + 130 = 368.00 / 202 + 70 = 272.00: a swing of 96.00.
        // Gross margin 36% / 44%: 180 + 60 = 240.00 / 260 + 140 = 400.00: a swing of 160.00.
        // Commission is 0: moving it by 10% moves nothing.
        let model = two_ticket_customers();
        let a = no_commission();
        let base = compute(&model, &Rates::compile(&a, &model).unwrap(), &a.actions);
        assert_eq!(base.totals.net_profit, Money(32_000));
        let share = Decimal::new(1, 1);
        let all: Vec<Sensitivity> = [
            Param::CommissionRate,
            Param::CostPerTicket,
            Param::GrossMarginPct,
        ]
        .into_iter()
        .filter_map(|p| sensitivity_of(&model, &base, &a, p, share))
        .collect();
        let ranked = rank(all);
        let summary: Vec<(Param, Money, Money, Money)> = ranked
            .iter()
            .map(|s| (s.param, s.net_profit_low, s.net_profit_high, s.swing()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    Param::GrossMarginPct,
                    Money(24_000),
                    Money(40_000),
                    Money(16_000)
                ),
                (
                    Param::CostPerTicket,
                    Money(36_800),
                    Money(27_200),
                    Money(9_600)
                ),
                (
                    Param::CommissionRate,
                    Money(32_000),
                    Money(32_000),
                    Money(0)
                ),
            ]
        );
        assert_eq!(ranked[1].low, Decimal::new(54, 1));
        assert!(!moves_net_profit(Param::Retention));
    }

    #[test]
    fn whole_month_assumptions_stay_whole() {
        // 12 months moved by 10%: 10.8 -> 11 and 13.2 -> 13.
        let mut a = Assumptions::default();
        Param::AcquisitionSpreadMonths
            .set(&mut a, Decimal::from(12))
            .unwrap();
        let share = Decimal::new(1, 1);
        let p = Param::AcquisitionSpreadMonths;
        assert_eq!(
            moved(p, &a, Decimal::from(12), share, false),
            Decimal::from(11)
        );
        assert_eq!(
            moved(p, &a, Decimal::from(12), share, true),
            Decimal::from(13)
        );
    }
}
