//! Synthetic companies of any size, for benchmarks (natively and in the browser): the same
//! driver totals a real import would produce, without generating the transactions.

use crate::date::Date;
use crate::date::Month;
use crate::drivers::{AttributeColumn, DriverRow, Model, ReferralLink, COST_UNKNOWN, NOT_ACQUIRED};
use crate::facts::{ActivityKind, Customer, Dataset, Invoice};
use crate::money::Money;
use crate::sample::Rng;

/// Roles of the synthetic company, as in the default assumptions.
const ROLES: [&str; 4] = ["sales", "account manager", "support", "field service"];
const SEGMENTS: [&str; 3] = ["Enterprise", "Mid-market", "Small business"];

/// A model of `customers` customers over 24 months, deterministic for a given size.
pub fn synthetic_model(customers: usize) -> Model {
    let mut rng = Rng::for_customer(customers);
    let first = Month::new(2024, 11);
    let last = Month::new(2026, 10);
    let mut drivers = Vec::with_capacity(customers);
    let mut acquired = Vec::with_capacity(customers);
    let mut segment_codes = Vec::with_capacity(customers);
    for _ in 0..customers {
        let revenue = rng.range((50_000, 50_000_000)); // 500 to 500,000
        let costed = if rng.range((0, 1)) == 0 { revenue } else { 0 };
        let mut row = DriverRow {
            revenue,
            costed_revenue: costed,
            known_cost: costed * rng.range((40, 80)) / 100,
            amount_days: revenue * rng.range((10, 120)),
            ..DriverRow::default()
        };
        row.open_by_bucket[rng.range((0, 4)) as usize] = revenue * rng.range((0, 20)) / 100;
        for slot in 0..ROLES.len() {
            row.hours_by_role[slot] = rng.range((0, 200_000)) as u32; // up to 200 h
        }
        for kind in ActivityKind::ALL {
            let max = match kind {
                ActivityKind::CaseStudy | ActivityKind::Reference => 1,
                _ => 200,
            };
            row.counts[kind.index()] = rng.range((0, max)) as u32;
        }
        drivers.push(row);
        acquired.push(if rng.range((0, 9)) == 0 {
            first.0 + rng.range((0, 23)) as i32
        } else {
            NOT_ACQUIRED
        });
        segment_codes.push(rng.range((0, SEGMENTS.len() as i64 - 1)) as u32);
    }
    // One customer in a hundred refers the next two.
    let referrals = (0..customers.saturating_sub(2))
        .step_by(100)
        .flat_map(|i| {
            [1, 2].map(|k| ReferralLink {
                referrer: i as u32,
                referred: (i + k) as u32,
                would_have_come_anyway: k == 2,
            })
        })
        .collect();
    let mut model = Model {
        as_of: None,
        window: Some((first, last)),
        roles: ROLES.iter().map(|r| r.to_string()).collect(),
        ids: (0..customers).map(|i| format!("S{i:07}")).collect(),
        names: (0..customers)
            .map(|i| format!("Synthetic customer {i}"))
            .collect(),
        attributes: vec![AttributeColumn {
            name: "segment".into(),
            values: SEGMENTS.iter().map(|s| s.to_string()).collect(),
            codes: segment_codes,
        }],
        acquired,
        acquisition_cost: vec![COST_UNKNOWN; customers],
        drivers,
        periods: Default::default(),
        referrals,
        bounds: DriverRow::default(),
    };
    model.bounds = model.driver_bounds();
    model
}

/// Bytes per customer of the state a recompute reads: driver totals, acquisition month and
/// cost, and one code per attribute column. Ids and names are labels the recompute never reads.
pub fn what_if_bytes_per_customer(model: &Model) -> usize {
    std::mem::size_of::<DriverRow>()
        + std::mem::size_of::<i32>()
        + std::mem::size_of::<i64>()
        + model.attributes.len() * std::mem::size_of::<u32>()
}

/// `rows` invoices over `customers` customers as facts, ready to aggregate: random customers
/// C0000001 to C{customers}, 2025 dates, -500.00 to 50,000.00, one in ten open, due the month
/// after. [`synthetic_invoice_csv`] writes the same invoices as a file.
pub fn synthetic_invoices(rows: usize, customers: usize) -> Dataset {
    let mut rng = Rng::for_customer(rows);
    let customers = customers.max(1);
    let id = |c: usize| format!("C{c:07}");
    // Days 1 to 28 of months 1 to 12 are all valid dates.
    let day = |y, m, d| Date::new(y, m, d).expect("a day 1 to 28 of a month 1 to 12");
    let invoices = (0..rows)
        .map(|i| {
            let customer = rng.range((1, customers as i64)) as usize;
            let (d, m) = (rng.range((1, 28)) as u32, rng.range((1, 12)) as u32);
            let cents = rng.range((-50_000, 5_000_000));
            let paid = (rng.range((0, 9)) != 0).then(|| day(2026, m.min(11) + 1, d));
            Invoice {
                customer_id: id(customer),
                number: format!("SZ-{i:08}"),
                date: day(2025, m, d),
                amount: Money(cents),
                discount: Money::ZERO,
                cost: None,
                due: Some(day(2025, m.min(11) + 1, d)),
                paid,
            }
        })
        .collect();
    Dataset {
        customers: (1..=customers)
            .map(|c| Customer {
                id: id(c),
                name: format!("Customer {c}"),
                attributes: Vec::new(),
                acquired_on: None,
                acquisition_cost: None,
            })
            .collect(),
        invoices,
        ..Dataset::default()
    }
}

/// The invoices of [`synthetic_invoices`] as a European spreadsheet exports them: semicolons,
/// decimal commas, day-first dates, a header in Hungarian. Deterministic; about 63 bytes a row.
pub fn synthetic_invoice_csv(rows: usize, customers: usize) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(rows * 80 + 100);
    out.push_str("Ügyfél;Számlaszám;Kelte;Nettó összeg;Fizetési határidő;Fizetve\r\n");
    let day_first = |d: Date| format!("{:02}.{:02}.{}", d.day(), d.month(), d.year());
    for inv in synthetic_invoices(rows, customers).invoices {
        let cents = inv.amount.cents();
        let (whole, frac) = (cents / 100, (cents % 100).abs());
        let sign = if cents < 0 && whole == 0 { "-" } else { "" };
        let _ = write!(
            out,
            "{};{};{};{sign}{whole},{frac:02};{};{}\r\n",
            inv.customer_id,
            inv.number,
            day_first(inv.date),
            inv.due.map(day_first).unwrap_or_default(),
            inv.paid.map(day_first).unwrap_or_default(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compute, Assumptions, Rates};

    #[test]
    fn what_if_state_fits_200_bytes_per_customer() {
        // DriverRow: 4 x i64 + 5 x i64 buckets + 6 x u32 hours + 7 x u32 counts = 124 -> 128
        // aligned; + 4 (month acquired) + 8 (acquisition cost) + 4 per attribute column.
        assert_eq!(std::mem::size_of::<DriverRow>(), 128);
        let mut m = synthetic_model(10);
        assert_eq!(what_if_bytes_per_customer(&m), 144);
        // With the four attribute columns of a typical file (segment, region, rep, channel):
        // 128 + 12 + 4 x 4 = 156, within the 200-byte budget.
        let segment = m.attributes[0].clone();
        for name in ["region", "rep", "channel"] {
            m.attributes.push(AttributeColumn {
                name: name.into(),
                ..segment.clone()
            });
        }
        assert_eq!(what_if_bytes_per_customer(&m), 156);
    }

    #[test]
    fn synthetic_model_computes_with_default_assumptions() {
        let m = synthetic_model(1_000);
        let a = Assumptions::default();
        let rates = Rates::compile(&a, &m).unwrap();
        let r = compute(&m, &rates, &a.actions);
        assert_eq!(r.lines.len(), 1_000);
        assert_eq!(
            r.whale_order().cumulative.last().copied(),
            Some(r.totals.net_profit.cents())
        );
        assert_eq!(synthetic_model(1_000), m, "deterministic");
    }
}
