//! Drift: net profit per month per customer, and the customers sliding into loss.
//!
//! Monthly figures use the same line formulas as the totals, on the month's drivers (with the
//! acquisition cost falling in that month). Each month is rounded on its own, so a customer's
//! months can differ from its total by a few cents; the totals are the figures of record.

use crate::assumptions::{CostLine, Rates};
use crate::compute::{acquisition_in, own_lines, Arithmetic};
use crate::date::Month;
use crate::drivers::{DriverRow, Model, MAX_ROLES};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Months of the trailing window that decides "crossed into loss".
pub const TRAILING_MONTHS: usize = 3;

/// One customer's month: net profit and hours of service-line roles (thousandths).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigure {
    pub month: Month,
    pub net_profit: Money,
    pub service_hours_milli: i64,
}

/// Why a customer is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "flag")]
pub enum DriftFlag {
    /// Profitable before, but the trailing three-month profit has been negative since `since`
    /// (the end month of the first negative window of the final run).
    CrossedIntoLoss { since: Month },
    /// Over `from..=to`, profit trends down while service time trends up.
    ProfitFallingServiceRising { from: Month, to: Month },
}

/// Every month of the model's window for one customer, months without activity included.
pub fn monthly(model: &Model, rates: &Rates, customer: usize) -> Vec<MonthFigure> {
    let Some((first, last)) = model.window else {
        return Vec::new();
    };
    let cells = model.periods_of(customer);
    let commission = rates.commission_of(model, customer);
    let mut out = Vec::with_capacity(first.span_inclusive(last).max(0) as usize);
    let mut next_cell = 0;
    let mut m = first;
    let empty = DriverRow::default();
    while m <= last {
        let row = match cells.get(next_cell) {
            Some(c) if c.month == m => {
                next_cell += 1;
                &c.row
            }
            _ => &empty,
        };
        let acquisition = acquisition_in(model, rates, customer, m, m);
        let lines = own_lines(row, commission, acquisition, rates, Arithmetic::Checked);
        let service_hours_milli = (0..MAX_ROLES)
            .filter(|&s| rates.role_line[s] == CostLine::Service)
            .map(|s| row.hours_by_role[s] as i64)
            .sum();
        out.push(MonthFigure {
            month: m,
            net_profit: lines.net_profit,
            service_hours_milli,
        });
        m = m.next();
    }
    out
}

/// Least-squares slope of `ys` against 0, 1, 2...: a trend statistic, not a money figure.
fn slope(ys: &[f64]) -> f64 {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return 0.0;
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (x, y) in ys.iter().enumerate() {
        let dx = x as f64 - mean_x;
        num += dx * (y - mean_y);
        den += dx * dx;
    }
    num / den
}

/// The drift flags of one customer's months.
pub fn flags(months: &[MonthFigure]) -> Vec<DriftFlag> {
    let mut out = Vec::new();
    let n = months.len();
    if n < 2 * TRAILING_MONTHS {
        return out;
    }
    let trailing = |end: usize| -> i64 {
        months[end + 1 - TRAILING_MONTHS..=end]
            .iter()
            .map(|m| m.net_profit.0)
            .sum()
    };
    if trailing(n - 1) < 0 {
        let mut since = n - 1;
        while since > TRAILING_MONTHS - 1 && trailing(since - 1) < 0 {
            since -= 1;
        }
        let before: i64 = months[..since + 1 - TRAILING_MONTHS]
            .iter()
            .map(|m| m.net_profit.0)
            .sum();
        if before > 0 {
            out.push(DriftFlag::CrossedIntoLoss {
                since: months[since].month,
            });
        }
    }
    let profit: Vec<f64> = months.iter().map(|m| m.net_profit.0 as f64).collect();
    let service: Vec<f64> = months
        .iter()
        .map(|m| m.service_hours_milli as f64)
        .collect();
    let half = n / 2;
    let first_half: i64 = months[..half].iter().map(|m| m.net_profit.0).sum();
    let second_half: i64 = months[n - half..].iter().map(|m| m.net_profit.0).sum();
    if slope(&profit) < 0.0 && slope(&service) > 0.0 && second_half < first_half {
        out.push(DriftFlag::ProfitFallingServiceRising {
            from: months[0].month,
            to: months[n - 1].month,
        });
    }
    out
}

/// The customers with at least one drift flag, with their flags.
pub fn drifting(model: &Model, rates: &Rates) -> Vec<(u32, Vec<DriftFlag>)> {
    (0..model.len())
        .filter_map(|i| {
            let f = flags(&monthly(model, rates, i));
            (!f.is_empty()).then_some((i as u32, f))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(profits: &[i64], service: &[i64]) -> Vec<MonthFigure> {
        profits
            .iter()
            .zip(service)
            .enumerate()
            .map(|(i, (&p, &s))| MonthFigure {
                month: Month(24_300 + i as i32),
                net_profit: Money(p),
                service_hours_milli: s,
            })
            .collect()
    }

    #[test]
    fn crossing_into_loss_names_the_month() {
        // Trailing 3-month sums ending at months 5..7: (100+50-20)=130, (50-20-40)=-10,
        // (-20-40-60)=-120: negative since month index 6; before it, months 0..=3 sum to 400 > 0.
        let m = months(&[100, 100, 100, 100, 50, -20, -40, -60], &[0; 8]);
        // Month index 4 window (100+100+50) > 0, so the run of negative windows starts at 6.
        assert_eq!(
            flags(&m),
            vec![DriftFlag::CrossedIntoLoss { since: m[6].month }]
        );
    }

    #[test]
    fn falling_profit_with_rising_service() {
        let m = months(&[600, 500, 400, 300, 200, 100], &[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            flags(&m),
            vec![DriftFlag::ProfitFallingServiceRising {
                from: m[0].month,
                to: m[5].month
            }]
        );
        // Same fall with flat service time: not flagged.
        assert!(flags(&months(&[600, 500, 400, 300, 200, 100], &[3; 6])).is_empty());
    }

    #[test]
    fn always_loss_making_is_not_drift() {
        assert!(flags(&months(&[-1, -1, -1, -1, -1, -1], &[0; 6])).is_empty());
    }
}
