//! Invariants of the model on random companies and random assumptions.

use profitbook_engine::assumptions::{Assumptions, CostLine, EquipmentBasis, Param, RoleRate};
use profitbook_engine::date::Date;
use profitbook_engine::facts::{
    ActivityCount, ActivityKind, Customer, Dataset, Invoice, Referral, TimeEntry,
};
use profitbook_engine::{aggregate, compute, LineKey, Lines, Money, Rates, Report};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::HashMap;

const ROLES: [(&str, CostLine); 3] = [
    ("sales", CostLine::Sales),
    ("support", CostLine::Service),
    ("field service", CostLine::Service),
];

fn day(offset: i64) -> Date {
    Date::new(2024, 1, 1).unwrap().add_days(offset).unwrap()
}

/// A random company: up to 12 customers with invoices (some with cost, some open, some credit
/// notes), time, activities and referrals (each customer referred at most once).
fn dataset() -> impl Strategy<Value = Dataset> {
    (1usize..12).prop_flat_map(|n| {
        let invoice = (
            0..n,
            -50_000i64..2_000_000,
            0i64..5_000,
            prop::option::of(0i64..1_500_000),
            0i64..700,
            prop::option::of(0i64..150),
        );
        let time = (0..n, 0usize..ROLES.len(), 0i64..700, 0i64..40_000);
        let activity = (0..n, 0usize..ActivityKind::COUNT, 0i64..700, 0u32..40);
        let referral = (0..n, 0..n, any::<bool>());
        (
            Just(n),
            prop::collection::vec(invoice, 0..40),
            prop::collection::vec(time, 0..30),
            prop::collection::vec(activity, 0..30),
            prop::collection::vec(referral, 0..6),
            prop::collection::vec(prop::option::of(0i64..700), n),
        )
            .prop_map(|(n, invoices, times, activities, referrals, acquired)| {
                let id = |i: usize| format!("C{i}");
                let mut referred = std::collections::HashSet::new();
                Dataset {
                    as_of: Some(day(730)),
                    attribute_names: vec!["segment".into()],
                    customers: (0..n)
                        .map(|i| Customer {
                            id: id(i),
                            name: format!("Customer {i}"),
                            attributes: vec![if i % 2 == 0 { "even" } else { "odd" }.into()],
                            acquired_on: acquired[i].map(day),
                            acquisition_cost: None,
                        })
                        .collect(),
                    invoices: invoices
                        .into_iter()
                        .enumerate()
                        .map(|(k, (c, amount, disc, cost, on, paid_after))| {
                            let discount = if amount > 0 { disc.min(amount) } else { 0 };
                            Invoice {
                                customer_id: id(c),
                                number: format!("INV-{k}"),
                                date: day(on),
                                amount: Money(amount),
                                discount: Money(discount),
                                cost: cost.map(Money),
                                due: Some(day(on + 30)),
                                paid: paid_after.map(|p| day(on + p)),
                            }
                        })
                        .collect(),
                    time_entries: times
                        .into_iter()
                        .map(|(c, r, on, h)| TimeEntry {
                            customer_id: id(c),
                            date: day(on),
                            role: ROLES[r].0.into(),
                            activity: "work".into(),
                            hours_milli: h,
                        })
                        .collect(),
                    activities: activities
                        .into_iter()
                        .map(|(c, k, on, count)| ActivityCount {
                            customer_id: id(c),
                            date: day(on),
                            kind: ActivityKind::ALL[k],
                            count,
                        })
                        .collect(),
                    referrals: referrals
                        .into_iter()
                        .filter(|(from, to, _)| from != to && referred.insert(*to))
                        .map(|(from, to, anyway)| Referral {
                            referrer_id: id(from),
                            referred_id: id(to),
                            would_have_come_anyway: anyway,
                        })
                        .collect(),
                }
            })
    })
}

fn money_decimal(max_cents: i64) -> impl Strategy<Value = Decimal> {
    (0..max_cents).prop_map(|c| Decimal::new(c, 2))
}
fn share() -> impl Strategy<Value = Decimal> {
    (0i64..=10_000).prop_map(|bp| Decimal::new(bp, 4))
}

/// Random valid assumptions.
fn assumptions() -> impl Strategy<Value = Assumptions> {
    (
        (
            share(),
            share(),
            money_decimal(20_000),
            money_decimal(20_000),
            money_decimal(20_000),
        ),
        (
            money_decimal(50_000),
            money_decimal(5_000),
            money_decimal(5_000),
            money_decimal(5_000),
            money_decimal(10_000),
        ),
        (
            money_decimal(2_000),
            share(),
            any::<bool>(),
            money_decimal(300_000),
            0i64..24,
        ),
        (
            share(),
            prop::array::uniform5(share()),
            share(),
            money_decimal(300_000),
        ),
    )
        .prop_map(|(a, b, c, e)| {
            let mut x = Assumptions::default();
            (x.gross_margin_pct, x.commission.default_rate) = (a.0, a.1);
            x.roles = ROLES
                .iter()
                .zip([a.2, a.3, a.4])
                .map(|((role, line), rate)| RoleRate {
                    role: role.to_string(),
                    line: *line,
                    hourly_rate: rate,
                })
                .collect();
            (x.cost_per_visit, x.cost_per_ticket, x.cost_per_order) = (b.0, b.1, b.2);
            (x.cost_per_delivery, x.cost_per_return) = (b.3, b.4);
            (x.equipment_rate_per_hour, x.equipment_overhead_pct) = (c.0, c.1);
            x.equipment_basis = if c.2 {
                EquipmentBasis::PerHour
            } else {
                EquipmentBasis::PercentOfWages
            };
            (x.acquisition_cost, x.acquisition_spread_months) = (c.3, Decimal::from(c.4));
            (x.cost_of_capital, x.write_off, x.referral_attribution) = (e.0, e.1, e.2);
            x.saved_acquisition_cost = e.3;
            x
        })
}

fn run(data: &Dataset, a: &Assumptions) -> (Vec<String>, Report) {
    let model = aggregate(data).model;
    let rates = Rates::compile(a, &model).expect("generated assumptions are valid");
    let report = compute(&model, &rates, &a.actions);
    (model.ids, report)
}

fn by_id(ids: &[String], report: &Report) -> HashMap<String, Lines> {
    ids.iter().cloned().zip(report.lines.iter()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn totals_equal_the_sum_of_customer_lines(data in dataset(), a in assumptions()) {
        let (_, report) = run(&data, &a);
        for key in LineKey::ALL {
            let sum: Money = report.lines.iter().map(|l| l.get(key)).sum();
            prop_assert_eq!(sum, report.totals.get(key), "line {}", key.key());
        }
        for l in report.lines.iter() {
            let parts: Money = LineKey::COST_TO_SERVE_PARTS.iter().map(|k| l.get(*k)).sum();
            prop_assert_eq!(parts, l.cost_to_serve);
            prop_assert_eq!(l.gross_margin - l.cost_to_serve, l.net_profit);
            prop_assert_eq!(l.net_profit + l.referral_value + l.advocacy, l.total_value);
        }
    }

    #[test]
    fn order_of_input_rows_does_not_matter(data in dataset(), a in assumptions(), seed in any::<u64>()) {
        let (ids, report) = run(&data, &a);
        let mut shuffled = data.clone();
        let mut state = seed | 1;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        macro_rules! shuffle {
            ($v:expr) => {
                for i in (1..$v.len()).rev() {
                    let j = next(i + 1);
                    $v.swap(i, j);
                }
            };
        }
        shuffle!(shuffled.customers);
        shuffle!(shuffled.invoices);
        shuffle!(shuffled.time_entries);
        shuffle!(shuffled.activities);
        shuffle!(shuffled.referrals);
        // Roles are numbered in the order first seen; the rates follow the names.
        let (ids2, report2) = run(&shuffled, &a);
        prop_assert_eq!(by_id(&ids, &report), by_id(&ids2, &report2));
        prop_assert_eq!(report.totals, report2.totals);
    }

    #[test]
    fn zero_cost_assumptions_leave_net_profit_equal_to_gross_margin(data in dataset(), mut a in assumptions()) {
        for p in Param::all(&a) {
            let cost_like = !matches!(p, Param::GrossMarginPct | Param::ReferralAttribution
                | Param::SavedAcquisitionCost | Param::ValuePerCaseStudy | Param::ValuePerReference
                | Param::Retention | Param::DiscountRate | Param::Growth | Param::AcquisitionSpreadMonths);
            if cost_like {
                p.set(&mut a, Decimal::ZERO).unwrap();
            }
        }
        let (_, report) = run(&data, &a);
        for l in report.lines.iter() {
            prop_assert_eq!(l.net_profit, l.gross_margin);
        }
    }

    #[test]
    fn raising_a_cost_rate_never_raises_any_profit(
        data in dataset(),
        a in assumptions(),
        which in 0usize..64,
        bump in 1i64..100_000,
    ) {
        let cost_params: Vec<Param> = Param::all(&a)
            .into_iter()
            .filter(|p| matches!(p,
                Param::CommissionRate | Param::RoleRate(_) | Param::CostPerVisit
                | Param::CostPerTicket | Param::CostPerOrder | Param::CostPerDelivery
                | Param::CostPerReturn | Param::EquipmentRatePerHour
                | Param::EquipmentOverheadPct | Param::AcquisitionCost | Param::CostOfCapital
                | Param::WriteOff(_)))
            .collect();
        let p = cost_params[which % cost_params.len()];
        let before = p.get(&a).unwrap();
        let mut raised = a.clone();
        let is_share = before <= Decimal::ONE && matches!(p,
            Param::CommissionRate | Param::EquipmentOverheadPct | Param::CostOfCapital | Param::WriteOff(_));
        let after = if is_share {
            (before + Decimal::new(bump, 5)).min(Decimal::ONE)
        } else {
            before + Decimal::new(bump, 2)
        };
        p.set(&mut raised, after).unwrap();
        let (_, low) = run(&data, &a);
        let (_, high) = run(&data, &raised);
        for (l, h) in low.lines.iter().zip(high.lines.iter()) {
            prop_assert!(h.net_profit <= l.net_profit, "{:?} {} -> {}", p, before, after);
        }
    }

    #[test]
    fn a_report_recomputed_after_one_change_equals_a_fresh_one(
        data in dataset(),
        a in assumptions(),
        b in assumptions(),
        which in 0usize..64,
    ) {
        // One assumption takes its value from another random set, as a slider move does; the
        // report computed from the last one keeps the lines the change does not touch.
        let params = Param::all(&a);
        let p = params[which % params.len()];
        let mut moved = a.clone();
        if let Some(v) = p.get(&b) {
            p.set(&mut moved, v).unwrap();
        }
        let model = aggregate(&data).model;
        let before = Rates::compile(&a, &model).expect("generated assumptions are valid");
        let Ok(after) = Rates::compile(&moved, &model) else {
            return Ok(());
        };
        let last = compute(&model, &before, &a.actions);
        let next = last.recomputed(&model, &after, &moved.actions);
        let fresh = compute(&model, &after, &moved.actions);
        prop_assert_eq!(next.lines.to_vec(), fresh.lines.to_vec(), "{:?}", p);
        prop_assert_eq!(next.totals, fresh.totals);
        prop_assert_eq!(&next.whale, &fresh.whale);
        prop_assert_eq!(&next.quadrants, &fresh.quadrants);
        prop_assert_eq!(&next.actions, &fresh.actions);
        prop_assert_eq!(next.unprofitable, fresh.unprofitable);
        // Updated in place, sharing nothing with a last report, the same figures.
        let mut updated = compute(&model, &before, &a.actions);
        updated.update(&model, &after, &moved.actions);
        prop_assert_eq!(updated.lines.to_vec(), fresh.lines.to_vec(), "{:?}", p);
        prop_assert_eq!(updated.totals, fresh.totals);
        // The last report is left as it was.
        prop_assert_eq!(last.lines.to_vec(), compute(&model, &before, &a.actions).lines.to_vec());
    }

    #[test]
    fn whale_curve_ends_at_total_profit(data in dataset(), a in assumptions()) {
        let (_, report) = run(&data, &a);
        let w = &report.whale;
        let everyone = report.whale_order();
        prop_assert_eq!(everyone.cumulative.last().copied().unwrap_or(0), report.totals.net_profit.cents());
        // Every point drawn, and every decile, is the whole order's.
        for p in w.curve().into_iter().chain(w.deciles()) {
            prop_assert_eq!(p.customer, everyone.order[p.customers - 1]);
            prop_assert_eq!(p.cumulative.cents(), everyone.cumulative[p.customers - 1]);
        }
        if report.totals.net_profit.cents() != 0 {
            let last = *w.points().last().unwrap();
            prop_assert_eq!(last.0, 1.0);
            prop_assert_eq!(last.1, 1.0);
        }
        if report.totals.net_profit.cents() > 0 {
            prop_assert!(w.peak_bp.unwrap() >= 10_000);
        }
    }
}

mod arithmetic {
    use super::*;
    use profitbook_engine::compute::{own_lines, Arithmetic, CostTerms};
    use profitbook_engine::drivers::{DriverRow, AGE_BUCKETS, MAX_ROLES};

    /// Any driver row, from tiny to the largest the types hold.
    fn row() -> impl Strategy<Value = DriverRow> {
        let money = prop_oneof![-1_000_000_000i64..1_000_000_000, any::<i64>()];
        (
            (money.clone(), money.clone(), money.clone(), money.clone()),
            prop::array::uniform5(money),
            prop::array::uniform6(any::<u32>()),
            prop::array::uniform7(prop_oneof![0u32..1000, any::<u32>()]),
        )
            .prop_map(
                |((revenue, costed, cost, days), open, hours, counts)| DriverRow {
                    revenue,
                    costed_revenue: costed,
                    known_cost: cost,
                    amount_days: days,
                    open_by_bucket: open,
                    hours_by_role: hours,
                    counts,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Where the once-per-model check allows 64-bit arithmetic, it gives exactly what the
        /// per-sum checked arithmetic gives; and no row, however large, panics.
        #[test]
        fn fast_path_equals_checked_path(r in row(), a in assumptions()) {
            let model = aggregate(&Dataset::default()).model;
            let mut a = a;
            a.roles.truncate(MAX_ROLES);
            let rates = Rates::compile(&a, &model).unwrap();
            let checked = own_lines(&r, rates.commission_default, 0, &rates, Arithmetic::Checked);
            if CostTerms::of(&r, &rates).fit_in_64_bits() {
                let fast = own_lines(&r, rates.commission_default, 0, &rates, Arithmetic::Fast);
                prop_assert_eq!(fast, checked);
            }
            prop_assert_eq!(AGE_BUCKETS, r.open_by_bucket.len());
        }

        /// The report's lines are each customer's own lines, added up with saturation, and
        /// its totals the saturated sums: whether the column bounds allowed plain additions
        /// (small rows) or not (rows near the i64 limits).
        #[test]
        fn report_lines_are_own_lines_saturated(rows in prop::collection::vec(row(), 1..6), a in assumptions()) {
            let mut a = a;
            a.roles.truncate(MAX_ROLES);
            let mut model = aggregate(&Dataset::default()).model;
            let n = rows.len();
            model.ids = (0..n).map(|i| format!("C{i}")).collect();
            model.names = model.ids.clone();
            model.acquired = vec![profitbook_engine::drivers::NOT_ACQUIRED; n];
            model.acquisition_cost = vec![profitbook_engine::drivers::COST_UNKNOWN; n];
            model.roles = (0..MAX_ROLES).map(|k| format!("role {k}")).collect();
            model.drivers = rows;
            model.bounds = model.driver_bounds();
            let Ok(rates) = Rates::compile(&a, &model) else {
                return Ok(());
            };
            let report = compute(&model, &rates, &a.actions);
            let arithmetic = if CostTerms::of(&model.bounds, &rates).fit_in_64_bits() {
                Arithmetic::Fast
            } else {
                Arithmetic::Checked
            };
            let mut sums = [0i128; LineKey::ALL.len()];
            for (i, r) in model.drivers.iter().enumerate() {
                let own = own_lines(r, rates.commission_of(&model, i), 0, &rates, arithmetic);
                let got = report.lines.get(i).unwrap();
                // No referrals here: total value is net profit plus advocacy.
                prop_assert_eq!(got, own, "customer {}", i);
                for key in LineKey::ALL {
                    sums[key.index()] += own.get(key).0 as i128;
                }
            }
            for key in LineKey::ALL {
                let want = sums[key.index()].clamp(i64::MIN as i128, i64::MAX as i128) as i64;
                prop_assert_eq!(report.totals.get(key).0, want, "{:?}", key);
            }
        }
    }
}

mod quadrants {
    use super::*;
    use profitbook_engine::views::{Figures, Quadrant, Splits};
    use std::cmp::Ordering;

    /// The matrix quadrant restated from the model with exact 128-bit cross products: high
    /// margin when the customer's net margin is at or above the company's, high cost when its
    /// cost-to-serve share is above the company's; a company without revenue splits at zero.
    fn exact_quadrant(company: (i64, i64, i64), f: Figures) -> Quadrant {
        if f.revenue <= 0 {
            return Quadrant::NoRevenue;
        }
        let (revenue, net, cost) = company;
        let against = |part: i64, company_part: i64| -> Ordering {
            if revenue <= 0 {
                return part.cmp(&0);
            }
            (part as i128 * revenue as i128).cmp(&(company_part as i128 * f.revenue as i128))
        };
        match (
            against(f.net_profit, net).is_ge(),
            against(f.cost_to_serve, cost).is_gt(),
        ) {
            (true, false) => Quadrant::HighMarginLowCost,
            (true, true) => Quadrant::HighMarginHighCost,
            (false, false) => Quadrant::LowMarginLowCost,
            (false, true) => Quadrant::LowMarginHighCost,
        }
    }

    /// A customer's part of `revenue` at the company's share, moved by `step` cents: a near
    /// tie, whose cross products differ far below a floating-point number's precision.
    fn near(company_part: i64, company_revenue: i64, revenue: i64, step: i64) -> i64 {
        let at_share = company_part as i128 * revenue as i128 / company_revenue.max(1) as i128;
        (at_share as i64).saturating_add(step)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The quadrant the recompute decides in floating point, with the exact comparison
        /// for what floating point cannot tell apart, is the exact quadrant: for customers at
        /// random and at a few cents from the company's own shares, on companies up to the
        /// 2^53 cents that floating point holds exactly.
        #[test]
        fn the_screened_quadrant_is_exact(
            company_revenue in prop_oneof![-5i64..5, 1i64..=(1 << 53)],
            net_share in -2_000i64..=1_000,
            cost_share in 0i64..=2_000,
            revenue in prop_oneof![-5i64..5, 1i64..1_000_000_000, 1i64..=(1 << 53)],
            steps in (-2i64..=2, -2i64..=2),
            at_random in any::<bool>(),
            random_parts in (-(1i64 << 53)..=(1 << 53), -(1i64 << 53)..=(1 << 53)),
        ) {
            let company_net = (company_revenue as i128 * net_share as i128 / 1_000) as i64;
            let company_cost = (company_revenue as i128 * cost_share as i128 / 1_000) as i64;
            let (net_profit, cost_to_serve) = if at_random {
                random_parts
            } else {
                (
                    near(company_net, company_revenue, revenue, steps.0),
                    near(company_cost, company_revenue, revenue, steps.1),
                )
            };
            let totals = Lines {
                revenue: Money(company_revenue),
                net_profit: Money(company_net),
                cost_to_serve: Money(company_cost),
                ..Lines::default()
            };
            let splits = Splits::of(&totals);
            let f = Figures { revenue, net_profit, cost_to_serve, ..Figures::default() };
            let bound = revenue.unsigned_abs().max(net_profit.unsigned_abs()).max(cost_to_serve.unsigned_abs());
            let want = exact_quadrant((company_revenue, company_net, company_cost), f);
            prop_assert_eq!(splits.quadrant_of(f), want);
            if splits.screened_for(bound) {
                prop_assert_eq!(splits.quadrant_screened(f), want);
            }
        }
    }
}
