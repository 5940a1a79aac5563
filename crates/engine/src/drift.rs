//! Drift: net profit per month per customer, and the customers sliding into loss.
//!
//! Monthly figures use the same line formulas as the totals, on the month's drivers (with the
//! acquisition cost falling in that month). Each month is rounded on its own, so a customer's
//! months can differ from its total by a few cents; the totals are the figures of record.
//!
//! *Crossed into loss* is judged on trailing three-month windows, and a window counts as a loss
//! only when it loses money **even without its worst month**: the best two of its three months
//! together are below zero. One month without an invoice (service time, visits and tickets
//! still booked, no revenue) makes that month a loss and can sink a three-month total on its
//! own; it no longer flags a customer whose other two months earn money. A real slide is a loss
//! in at least two of the three months, so it is still caught, two months into the slide. A
//! customer is flagged when the window ending in the last month is such a loss, every window
//! since a named month has been one, and the months before the first of those windows were
//! profitable together.

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
    /// Profitable before, but every trailing three-month window since `since` has lost money
    /// even without its worst month (`since` is the end month of the first such window of the
    /// final run).
    CrossedIntoLoss { since: Month },
    /// Over `from..=to`, profit trends down while service time trends up, both by at least a
    /// tenth between the earlier and the later half of the months.
    ProfitFallingServiceRising { from: Month, to: Month },
}

/// Every month of the model's window for one customer, months without activity included.
pub fn monthly(model: &Model, rates: &Rates, customer: usize) -> Vec<MonthFigure> {
    let Some((first, last)) = model.window else {
        return Vec::new();
    };
    let mut cells = model.periods_of(customer).peekable();
    let commission = rates.commission_of(model, customer);
    let mut out = Vec::with_capacity(first.span_inclusive(last).max(0) as usize);
    let mut m = first;
    while m <= last {
        let row = cells
            .next_if(|c| c.month == m)
            .map_or(DriverRow::default(), |c| c.row);
        let acquisition = acquisition_in(model, rates, customer, m, m);
        let lines = own_lines(&row, commission, acquisition, rates, Arithmetic::Checked);
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

/// Whether the trailing window ending at month `end` loses money even without its worst month:
/// the sum of its months less the lowest one is below zero. The window's total is then below
/// zero too, and at least two of its months are losses, so no single month explains it.
fn losing_window(months: &[MonthFigure], end: usize) -> bool {
    let window = &months[end + 1 - TRAILING_MONTHS..=end];
    // In 128 bits: months at the i64 limit (absurd data) must not wrap.
    let total: i128 = window.iter().map(|m| m.net_profit.0 as i128).sum();
    let worst = window.iter().map(|m| m.net_profit.0).min().unwrap_or(0);
    total - (worst as i128) < 0
}

/// The drift flags of one customer's months.
pub fn flags(months: &[MonthFigure]) -> Vec<DriftFlag> {
    let mut out = Vec::new();
    let n = months.len();
    if n < 2 * TRAILING_MONTHS {
        return out;
    }
    if losing_window(months, n - 1) {
        let mut since = n - 1;
        while since > TRAILING_MONTHS - 1 && losing_window(months, since - 1) {
            since -= 1;
        }
        let before: i128 = months[..since + 1 - TRAILING_MONTHS]
            .iter()
            .map(|m| m.net_profit.0 as i128)
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
    // A trend is only named when it is material: the later half earns at least a tenth less
    // than the earlier half, and takes at least a tenth more service time. Month-to-month noise
    // in a steady customer makes the slopes point anywhere, and flagged every other customer.
    let half = n / 2;
    let sum = |part: &[MonthFigure], f: fn(&MonthFigure) -> i64| -> i128 {
        part.iter().map(|m| f(m) as i128).sum()
    };
    let (early, late) = (&months[..half], &months[n - half..]);
    let (profit_before, profit_after) = (
        sum(early, |m| m.net_profit.0),
        sum(late, |m| m.net_profit.0),
    );
    let (service_before, service_after) = (
        sum(early, |m| m.service_hours_milli),
        sum(late, |m| m.service_hours_milli),
    );
    let profit_fell = 10 * (profit_before - profit_after) >= profit_before.abs().max(1);
    let service_rose = 10 * (service_after - service_before) >= service_before.max(1);
    if slope(&profit) < 0.0 && slope(&service) > 0.0 && profit_fell && service_rose {
        out.push(DriftFlag::ProfitFallingServiceRising {
            from: months[0].month,
            to: months[n - 1].month,
        });
    }
    out
}

/// The customers with at least one drift flag, with their flags.
pub fn drifting(model: &Model, rates: &Rates) -> Vec<(u32, Vec<DriftFlag>)> {
    drifting_in(model, rates, 0..model.len())
}

/// [`drifting`] for some of the customers, so a caller can work through a million of them in
/// steps (each customer's months are computed afresh).
pub fn drifting_in(
    model: &Model,
    rates: &Rates,
    customers: std::ops::Range<usize>,
) -> Vec<(u32, Vec<DriftFlag>)> {
    customers
        .filter(|&i| i < model.len())
        .filter_map(|i| {
            let f = flags(&monthly(model, rates, i));
            (!f.is_empty()).then_some((i as u32, f))
        })
        .collect()
}

/// The customers that crossed into loss, with the month their loss began, in the order of
/// `drifting` (customer order).
pub fn crossed_into_loss(drifting: &[(u32, Vec<DriftFlag>)]) -> Vec<(u32, Month)> {
    drifting
        .iter()
        .filter_map(|(c, flags)| {
            flags.iter().find_map(|x| match x {
                DriftFlag::CrossedIntoLoss { since } => Some((*c, *since)),
                DriftFlag::ProfitFallingServiceRising { .. } => None,
            })
        })
        .collect()
}

/// How many customers crossed into loss in each month (the month their loss began), in month
/// order, months without a crossing left out.
pub fn crossings_by_month(drifting: &[(u32, Vec<DriftFlag>)]) -> Vec<(Month, usize)> {
    let mut months: Vec<Month> = drifting
        .iter()
        .flat_map(|(_, flags)| flags.iter())
        .filter_map(|f| match f {
            DriftFlag::CrossedIntoLoss { since } => Some(*since),
            DriftFlag::ProfitFallingServiceRising { .. } => None,
        })
        .collect();
    months.sort_unstable();
    let mut out: Vec<(Month, usize)> = Vec::new();
    for m in months {
        match out.last_mut() {
            Some((last, n)) if *last == m => *n += 1,
            _ => out.push((m, 1)),
        }
    }
    out
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
        // Windows ending at month indices 5..7, total and total without the worst month:
        //   5: 100 + 50 - 20 = 130           -> not a loss
        //   6: 50 - 20 - 40 = -10, without -40: 50 - 20 = 30 > 0 -> one month explains it
        //   7: -20 - 40 - 60 = -120, without -60: -20 - 40 = -60 < 0 -> a loss
        // So the final run of losing windows starts at index 7; the months before its window
        // (indices 0..=4) earned 100 x 4 + 50 = 450 > 0.
        let m = months(&[100, 100, 100, 100, 50, -20, -40, -60], &[0; 8]);
        assert_eq!(
            flags(&m),
            vec![DriftFlag::CrossedIntoLoss { since: m[7].month }]
        );
    }

    #[test]
    fn one_bad_month_is_not_a_crossing() {
        // The last window totals 150 - 400 + 100 = -150, but without its worst month (-400) it
        // earns 150 + 100 = 250: not flagged. The same with the bad month last.
        let m = months(&[150, 150, 150, 150, 150, 150, -400, 100], &[0; 8]);
        assert!(flags(&m).is_empty());
        let m = months(&[150, 150, 150, 150, 150, 150, 100, -400], &[0; 8]);
        assert!(flags(&m).is_empty());
    }

    use crate::assumptions::Assumptions;
    use crate::date::Date;
    use crate::drivers::aggregate;
    use crate::facts::{Customer, Dataset, Invoice, TimeEntry};

    /// One customer's facts for 2025: per month, the invoiced amount in whole currency units
    /// (0: no invoice that month) and the support hours logged. Invoices are paid the day they
    /// are issued, so no financing cost and no bad debt.
    fn year_of(data: &mut Dataset, id: &str, invoiced: [i64; 12], support_hours: [i64; 12]) {
        data.customers.push(Customer {
            id: id.into(),
            name: id.into(),
            attributes: Vec::new(),
            acquired_on: None,
            acquisition_cost: None,
        });
        for month in 0..12 {
            let date = Date::new(2025, month as u32 + 1, 15).unwrap();
            if invoiced[month] != 0 {
                data.invoices.push(Invoice {
                    customer_id: id.into(),
                    number: format!("{id}-{month}"),
                    date,
                    amount: Money(invoiced[month] * 100),
                    discount: Money::ZERO,
                    cost: None,
                    due: None,
                    paid: Some(date),
                });
            }
            data.time_entries.push(TimeEntry {
                customer_id: id.into(),
                date,
                role: "support".into(),
                activity: "phone support".into(),
                hours_milli: support_hours[month] * 1_000,
            });
        }
    }

    #[test]
    fn steady_customer_with_a_month_without_invoices_is_not_flagged() {
        // Default assumptions: 40% gross margin, 3% commission, support 45/h, equipment 6/h.
        // A month with an invoice of 1,000 and 5 h of support:
        //   1,000 x 0.40 - 1,000 x 0.03 - 5 x 45 - 5 x 6 = 400 - 30 - 225 - 30 = 115.00
        // November, no invoice but the same 5 h: -225 - 30 = -255.00.
        // The windows ending in November and December both total 115 + 115 - 255 = -25.00
        // (the three-month rule alone flagged this customer), but without November they earn
        // 230.00: not a crossing. Service time is flat, so no trend flag either.
        let mut data = Dataset {
            as_of: Date::new(2025, 12, 31),
            ..Dataset::default()
        };
        let mut invoiced = [1_000; 12];
        invoiced[10] = 0;
        year_of(&mut data, "STEADY", invoiced, [5; 12]);
        let model = aggregate(&data).model;
        let rates = Rates::compile(&Assumptions::default(), &model).unwrap();
        let m = monthly(&model, &rates, 0);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0].net_profit, Money(11_500));
        assert_eq!(m[10].net_profit, Money(-25_500));
        assert_eq!(m[11].net_profit, Money(11_500));
        assert!(flags(&m).is_empty(), "{:?}", flags(&m));
        assert!(drifting(&model, &rates).is_empty());
    }

    #[test]
    fn customer_sliding_into_loss_is_flagged_from_the_second_losing_month() {
        // Defaults as above. January to August: 1,000 invoiced, 5 h of support: 115.00 a month.
        // September: 700 and 8 h:  280 - 21 - 360 - 48 = -149.00
        // October:   500 and 10 h: 200 - 15 - 450 - 60 = -325.00
        // November and December: 400 and 10 h: 160 - 12 - 450 - 60 = -362.00 each.
        // Windows, total without the worst month:
        //   ending September: 115 + 115 (without -149) = 230 > 0   -> not a loss
        //   ending October:   115 - 149 (without -325) = -34 < 0   -> a loss
        //   ending November:  -149 - 325 (without -362) = -474    -> a loss
        //   ending December:  -325 - 362 (without -362) = -687    -> a loss
        // Since October 2025; the months before its window (January to July) earned
        // 7 x 115 = 805 > 0. Service hours rise while profit falls: the trend flag too.
        let mut data = Dataset {
            as_of: Date::new(2025, 12, 31),
            ..Dataset::default()
        };
        year_of(
            &mut data,
            "SLIDE",
            [
                1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 700, 500, 400, 400,
            ],
            [5, 5, 5, 5, 5, 5, 5, 5, 8, 10, 10, 10],
        );
        let model = aggregate(&data).model;
        let rates = Rates::compile(&Assumptions::default(), &model).unwrap();
        let m = monthly(&model, &rates, 0);
        let profits: Vec<i64> = m.iter().map(|f| f.net_profit.0).collect();
        assert_eq!(
            profits,
            [
                11_500, 11_500, 11_500, 11_500, 11_500, 11_500, 11_500, 11_500, -14_900, -32_500,
                -36_200, -36_200
            ]
        );
        assert_eq!(
            flags(&m),
            vec![
                DriftFlag::CrossedIntoLoss {
                    since: Month::new(2025, 10)
                },
                DriftFlag::ProfitFallingServiceRising {
                    from: Month::new(2025, 1),
                    to: Month::new(2025, 12)
                }
            ]
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
        // Halves 1,500 then 600: 900 less, more than a tenth. Service 6 then 15 hours.
        // A slight dip instead (halves 1,500 and 1,420: 80 less, under the tenth of 150) with
        // the same rising service is noise, not drift.
        assert!(flags(&months(
            &[520, 500, 480, 490, 470, 460],
            &[1, 2, 3, 4, 5, 6]
        ))
        .is_empty());
        // And a real fall with service up by less than a tenth (halves 30.0 and 32.0 hours,
        // 2.0 more, under 3.0) is not this flag either.
        let hours = [9_000, 10_000, 11_000, 10_500, 10_600, 10_900];
        assert!(flags(&months(&[600, 500, 400, 300, 200, 100], &hours)).is_empty());
    }

    #[test]
    fn crossings_are_counted_by_the_month_the_loss_began() {
        let (oct, nov) = (Month::new(2025, 10), Month::new(2025, 11));
        let trend = DriftFlag::ProfitFallingServiceRising { from: oct, to: nov };
        let flagged = vec![
            (3, vec![DriftFlag::CrossedIntoLoss { since: nov }]),
            (5, vec![DriftFlag::CrossedIntoLoss { since: oct }, trend]),
            (8, vec![trend]),
            (9, vec![DriftFlag::CrossedIntoLoss { since: nov }]),
        ];
        // October: customer 5; November: customers 3 and 9; customer 8 only trends.
        assert_eq!(crossings_by_month(&flagged), vec![(oct, 1), (nov, 2)]);
    }

    #[test]
    fn always_loss_making_is_not_drift() {
        assert!(flags(&months(&[-1, -1, -1, -1, -1, -1], &[0; 6])).is_empty());
    }
}
