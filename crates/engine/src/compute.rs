//! The recompute: every P&L line of every customer from driver totals and rates.
//!
//! Lines follow the team's domain model; docs/model.md lists each formula and the choices made
//! where the model leaves one open (commission floor, financing per invoice, TDABC). Each line is
//! rounded to the cent once, half away from zero; totals are sums of the rounded customer
//! lines, so they tie out exactly.

use crate::assumptions::{EquipmentBasis, Rates};
use crate::date::Month;
use crate::drivers::{DriverRow, Model, AGE_BUCKETS, COST_UNKNOWN, MAX_ROLES, NOT_ACQUIRED};
use crate::facts::ActivityKind;
use crate::money::{
    div_round_by, div_round_wide, money_times_rate, mul_div_round, mul_div_round_by, saturate,
    Money, COUNT_RATE_TO_CENTS, QTY_RATE_TO_CENTS,
};
use crate::views::{self, Action, Quadrant, Rule, Whale, WhaleOrder};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Every P&L line of one customer (or of the total), in the model's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lines {
    pub revenue: Money,
    pub cogs: Money,
    pub gross_margin: Money,
    pub commission: Money,
    pub sales_cost: Money,
    pub acquisition: Money,
    pub service_cost: Money,
    pub equipment: Money,
    pub handling: Money,
    pub financing: Money,
    pub bad_debt: Money,
    pub cost_to_serve: Money,
    pub net_profit: Money,
    /// Reported beside net profit, never added into it: the referred customer's profit is
    /// already in its own line.
    pub referral_value: Money,
    pub advocacy: Money,
    pub total_value: Money,
}

/// The name of a P&L line, as in the model and in exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKey {
    Revenue,
    Cogs,
    GrossMargin,
    Commission,
    SalesCost,
    Acquisition,
    ServiceCost,
    Equipment,
    Handling,
    Financing,
    BadDebt,
    CostToServe,
    NetProfit,
    ReferralValue,
    Advocacy,
    TotalValue,
}

impl LineKey {
    pub const ALL: [LineKey; 16] = [
        LineKey::Revenue,
        LineKey::Cogs,
        LineKey::GrossMargin,
        LineKey::Commission,
        LineKey::SalesCost,
        LineKey::Acquisition,
        LineKey::ServiceCost,
        LineKey::Equipment,
        LineKey::Handling,
        LineKey::Financing,
        LineKey::BadDebt,
        LineKey::CostToServe,
        LineKey::NetProfit,
        LineKey::ReferralValue,
        LineKey::Advocacy,
        LineKey::TotalValue,
    ];

    /// Its position in [`LineKey::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The line's name in the model (and the CSV column).
    pub fn key(self) -> &'static str {
        match self {
            LineKey::Revenue => "revenue",
            LineKey::Cogs => "cogs",
            LineKey::GrossMargin => "gross_margin",
            LineKey::Commission => "commission",
            LineKey::SalesCost => "sales_cost",
            LineKey::Acquisition => "acquisition",
            LineKey::ServiceCost => "service_cost",
            LineKey::Equipment => "equipment",
            LineKey::Handling => "handling",
            LineKey::Financing => "financing",
            LineKey::BadDebt => "bad_debt",
            LineKey::CostToServe => "cost_to_serve",
            LineKey::NetProfit => "net_profit",
            LineKey::ReferralValue => "referral_value",
            LineKey::Advocacy => "advocacy",
            LineKey::TotalValue => "total_value",
        }
    }

    /// The components of cost to serve, in the model's order.
    pub const COST_TO_SERVE_PARTS: [LineKey; 8] = [
        LineKey::Commission,
        LineKey::SalesCost,
        LineKey::Acquisition,
        LineKey::ServiceCost,
        LineKey::Equipment,
        LineKey::Handling,
        LineKey::Financing,
        LineKey::BadDebt,
    ];
}

impl Lines {
    pub fn get(&self, key: LineKey) -> Money {
        match key {
            LineKey::Revenue => self.revenue,
            LineKey::Cogs => self.cogs,
            LineKey::GrossMargin => self.gross_margin,
            LineKey::Commission => self.commission,
            LineKey::SalesCost => self.sales_cost,
            LineKey::Acquisition => self.acquisition,
            LineKey::ServiceCost => self.service_cost,
            LineKey::Equipment => self.equipment,
            LineKey::Handling => self.handling,
            LineKey::Financing => self.financing,
            LineKey::BadDebt => self.bad_debt,
            LineKey::CostToServe => self.cost_to_serve,
            LineKey::NetProfit => self.net_profit,
            LineKey::ReferralValue => self.referral_value,
            LineKey::Advocacy => self.advocacy,
            LineKey::TotalValue => self.total_value,
        }
    }

    pub fn set(&mut self, key: LineKey, value: Money) {
        *match key {
            LineKey::Revenue => &mut self.revenue,
            LineKey::Cogs => &mut self.cogs,
            LineKey::GrossMargin => &mut self.gross_margin,
            LineKey::Commission => &mut self.commission,
            LineKey::SalesCost => &mut self.sales_cost,
            LineKey::Acquisition => &mut self.acquisition,
            LineKey::ServiceCost => &mut self.service_cost,
            LineKey::Equipment => &mut self.equipment,
            LineKey::Handling => &mut self.handling,
            LineKey::Financing => &mut self.financing,
            LineKey::BadDebt => &mut self.bad_debt,
            LineKey::CostToServe => &mut self.cost_to_serve,
            LineKey::NetProfit => &mut self.net_profit,
            LineKey::ReferralValue => &mut self.referral_value,
            LineKey::Advocacy => &mut self.advocacy,
            LineKey::TotalValue => &mut self.total_value,
        } = value;
    }

    /// Adds every line of `o` (for totals and pivots).
    pub fn accumulate(&mut self, o: &Lines) {
        self.revenue += o.revenue;
        self.cogs += o.cogs;
        self.gross_margin += o.gross_margin;
        self.commission += o.commission;
        self.sales_cost += o.sales_cost;
        self.acquisition += o.acquisition;
        self.service_cost += o.service_cost;
        self.equipment += o.equipment;
        self.handling += o.handling;
        self.financing += o.financing;
        self.bad_debt += o.bad_debt;
        self.cost_to_serve += o.cost_to_serve;
        self.net_profit += o.net_profit;
        self.referral_value += o.referral_value;
        self.advocacy += o.advocacy;
        self.total_value += o.total_value;
    }

    /// Net profit as a share of revenue, in basis points (1% = 100); `None` without revenue.
    pub fn margin_bp(&self) -> Option<i64> {
        ratio_bp(self.net_profit, self.revenue)
    }
    /// Gross margin as a share of revenue, in basis points.
    pub fn gross_margin_bp(&self) -> Option<i64> {
        ratio_bp(self.gross_margin, self.revenue)
    }
    /// Cost to serve as a share of revenue, in basis points.
    pub fn cost_to_serve_bp(&self) -> Option<i64> {
        ratio_bp(self.cost_to_serve, self.revenue)
    }
}

/// `part / whole` in basis points, rounded half away from zero; `None` when `whole <= 0`.
pub fn ratio_bp(part: Money, whole: Money) -> Option<i64> {
    (whole.0 > 0).then(|| mul_div_round(part.0, 10_000, whole.0))
}

/// The activity kinds that cost money (case studies and references bring value instead).
const COST_DRIVERS: [ActivityKind; 5] = [
    ActivityKind::Visit,
    ActivityKind::Ticket,
    ActivityKind::Order,
    ActivityKind::Delivery,
    ActivityKind::Return,
];

/// How the multiply-add lines are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arithmetic {
    /// 64-bit multiply-adds, with no overflow check per customer: only when
    /// [`CostTerms::fit_in_64_bits`] holds for a row of the model's per-field maxima, which
    /// bounds every customer's terms. Three times faster than checking each customer.
    Fast,
    /// Decides per sum: 64-bit when its terms are small enough, exact 128-bit otherwise.
    Checked,
}

/// Each product of a term must stay below 2^59 so that a sum of up to 16 of them stays below
/// 2^63: the bits of the two factors (64 - leading zeros each) may add up to 59 at most.
const MIN_LEADING_ZEROS: u32 = 128 - 59;

/// The (driver, rate) pairs of the lines that are sums of products, at one scale per line.
pub struct CostTerms {
    sales: [(i64, i64); MAX_ROLES + 1],
    service: [(i64, i64); MAX_ROLES + 1 + COST_DRIVERS.len()],
    handling: [(i64, i64); 3 + COST_DRIVERS.len()],
    bad_debt: [(i64, i64); AGE_BUCKETS],
    advocacy: [(i64, i64); 2],
}

fn small(terms: &[(i64, i64)]) -> bool {
    terms.iter().all(|(a, b)| {
        a.unsigned_abs().leading_zeros() + b.unsigned_abs().leading_zeros() >= MIN_LEADING_ZEROS
    })
}

// The terms of each line. Hour terms are in billionths (thousandths of an hour x millionths per
// hour) and count terms join them at the same scale (x 1,000), so each line is rounded once.

#[inline(always)]
fn count(row: &DriverRow, kind: ActivityKind) -> i64 {
    row.counts[kind.index()] as i64
}

/// A flat cost per unit, at the scale of the hour terms.
#[inline(always)]
fn per_count(row: &DriverRow, r: &Rates, kind: ActivityKind) -> (i64, i64) {
    (count(row, kind), r.unit_rate[kind.index()] * 1_000)
}

/// Each role's rate on its own line and zero on the other: no branch per role.
#[inline(always)]
fn hour_terms(row: &DriverRow, rates: &[i64; MAX_ROLES]) -> [(i64, i64); MAX_ROLES] {
    std::array::from_fn(|slot| (row.hours_by_role[slot] as i64, rates[slot]))
}

/// Time-driven activity costs, already per driver unit in billionths.
#[inline(always)]
fn tdabc_terms(
    row: &DriverRow,
    per_unit: &[i64; ActivityKind::COUNT],
) -> [(i64, i64); COST_DRIVERS.len()] {
    COST_DRIVERS.map(|k| (count(row, k), per_unit[k.index()]))
}

#[inline(always)]
fn sales_terms(row: &DriverRow, r: &Rates) -> [(i64, i64); MAX_ROLES + 1] {
    let h = hour_terms(row, &r.sales_role_rate);
    [
        h[0],
        h[1],
        h[2],
        h[3],
        h[4],
        h[5],
        per_count(row, r, ActivityKind::Visit),
    ]
}

#[inline(always)]
fn service_terms(row: &DriverRow, r: &Rates) -> [(i64, i64); MAX_ROLES + 1 + COST_DRIVERS.len()] {
    let (h, t) = (
        hour_terms(row, &r.service_role_rate),
        tdabc_terms(row, r.tdabc.service()),
    );
    [
        h[0],
        h[1],
        h[2],
        h[3],
        h[4],
        h[5],
        per_count(row, r, ActivityKind::Ticket),
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
    ]
}

#[inline(always)]
fn handling_terms(row: &DriverRow, r: &Rates) -> [(i64, i64); 3 + COST_DRIVERS.len()] {
    let t = tdabc_terms(row, r.tdabc.handling());
    [
        per_count(row, r, ActivityKind::Order),
        per_count(row, r, ActivityKind::Delivery),
        per_count(row, r, ActivityKind::Return),
        t[0],
        t[1],
        t[2],
        t[3],
        t[4],
    ]
}

#[inline(always)]
fn bad_debt_terms(row: &DriverRow, r: &Rates) -> [(i64, i64); AGE_BUCKETS] {
    std::array::from_fn(|b| (row.open_by_bucket[b], r.write_off[b]))
}

#[inline(always)]
fn advocacy_terms(row: &DriverRow, r: &Rates) -> [(i64, i64); 2] {
    let value = |k: ActivityKind| (count(row, k), r.unit_rate[k.index()]);
    [
        value(ActivityKind::CaseStudy),
        value(ActivityKind::Reference),
    ]
}

impl CostTerms {
    /// Builds the terms of one row.
    #[inline]
    pub fn of(row: &DriverRow, r: &Rates) -> CostTerms {
        CostTerms {
            sales: sales_terms(row, r),
            service: service_terms(row, r),
            handling: handling_terms(row, r),
            bad_debt: bad_debt_terms(row, r),
            advocacy: advocacy_terms(row, r),
        }
    }

    /// Whether every sum of these terms is exact in 64 bits. Evaluated on a row of per-field
    /// maxima, it holds for every row those maxima bound.
    pub fn fit_in_64_bits(&self) -> bool {
        small(&self.sales)
            && small(&self.service)
            && small(&self.handling)
            && small(&self.bad_debt)
            && small(&self.advocacy)
    }
}

/// Sum of products `a x b`, divided by `d` and rounded once.
#[inline]
fn dot_round<const D: i64>(terms: &[(i64, i64)], arithmetic: Arithmetic) -> i64 {
    if arithmetic == Arithmetic::Fast || small(terms) {
        div_round_by::<D>(terms.iter().map(|(a, b)| a * b).sum())
    } else {
        let sum: i128 = terms.iter().map(|&(a, b)| a as i128 * b as i128).sum();
        saturate(div_round_wide(sum, D as i128))
    }
}

/// Acquisition cost falling inside the months `from..=to`: all of it in the month acquired when
/// expensed, else an even share for each month of its spread that falls inside.
pub fn acquisition_in(
    model: &Model,
    rates: &Rates,
    customer: usize,
    from: Month,
    to: Month,
) -> i64 {
    let acquired = model.acquired[customer];
    if acquired == NOT_ACQUIRED {
        return 0;
    }
    let known = model.acquisition_cost[customer];
    let cost = if known == COST_UNKNOWN {
        rates.acquisition_cost
    } else {
        known
    };
    let spread = rates.acquisition_spread_months;
    if spread <= 0 {
        return if (from.0..=to.0).contains(&acquired) {
            cost
        } else {
            0
        };
    }
    let first = acquired.max(from.0) as i64;
    let last = (acquired as i64 + spread - 1).min(to.0 as i64);
    let months = (last - first + 1).max(0);
    mul_div_round(cost, months, spread)
}

// One function per line computed from drivers and rates; `own_lines` and the column pass of
// the recompute both use them, so a customer's figure is the same whichever way it was reached.

#[inline(always)]
fn cogs_of(row: &DriverRow, r: &Rates) -> i64 {
    let uncosted_revenue = row.revenue.saturating_sub(row.costed_revenue);
    row.known_cost
        .saturating_add(money_times_rate(uncosted_revenue, r.uncosted_cost_share))
}

/// Commission is paid on positive revenue only: a period in which credit notes exceed invoices
/// pays no commission, and no clawback is modelled.
#[inline(always)]
fn commission_of(row: &DriverRow, commission_rate: i64) -> i64 {
    money_times_rate(row.revenue.max(0), commission_rate)
}

#[inline(always)]
fn sales_cost_of(row: &DriverRow, r: &Rates, arithmetic: Arithmetic) -> i64 {
    dot_round::<QTY_RATE_TO_CENTS>(&sales_terms(row, r), arithmetic)
}

#[inline(always)]
fn service_cost_of(row: &DriverRow, r: &Rates, arithmetic: Arithmetic) -> i64 {
    dot_round::<QTY_RATE_TO_CENTS>(&service_terms(row, r), arithmetic)
}

#[inline(always)]
fn equipment_of(row: &DriverRow, r: &Rates) -> i64 {
    match r.equipment_basis {
        EquipmentBasis::PerHour => {
            let hours: i64 = row.hours_by_role.iter().map(|&h| h as i64).sum();
            mul_div_round_by::<QTY_RATE_TO_CENTS>(hours, r.equipment_per_hour)
        }
        EquipmentBasis::PercentOfWages => {
            // The overhead applies to the exact sum of the sales and service wages, and the
            // result is rounded once.
            let wages: i128 = hour_terms(row, &r.sales_role_rate)
                .iter()
                .chain(&hour_terms(row, &r.service_role_rate))
                .map(|&(h, rate)| h as i128 * rate as i128)
                .sum();
            saturate(div_round_wide(
                wages * r.equipment_overhead as i128,
                QTY_RATE_TO_CENTS as i128 * 1_000_000,
            ))
        }
    }
}

#[inline(always)]
fn handling_of(row: &DriverRow, r: &Rates, arithmetic: Arithmetic) -> i64 {
    dot_round::<QTY_RATE_TO_CENTS>(&handling_terms(row, r), arithmetic)
}

/// revenue x (days_to_pay / 365) x cost_of_capital, with revenue x days_to_pay summed per
/// invoice (amount x days outstanding).
#[inline(always)]
fn financing_of(row: &DriverRow, r: &Rates) -> i64 {
    mul_div_round_by::<{ 365 * 1_000_000 }>(row.amount_days, r.cost_of_capital)
}

#[inline(always)]
fn bad_debt_of(row: &DriverRow, r: &Rates, arithmetic: Arithmetic) -> i64 {
    dot_round::<1_000_000>(&bad_debt_terms(row, r), arithmetic)
}

#[inline(always)]
fn advocacy_of(row: &DriverRow, r: &Rates, arithmetic: Arithmetic) -> i64 {
    dot_round::<COUNT_RATE_TO_CENTS>(&advocacy_terms(row, r), arithmetic)
}

/// Cost to serve: the sum of its parts, in the model's order. Saturating: only absurd inputs
/// reach the i64 limit, and then the figure stays at the limit instead of wrapping to a wrong
/// sign.
#[inline(always)]
fn sum_of_parts(parts: [i64; 8]) -> i64 {
    parts.into_iter().fold(0i64, i64::saturating_add)
}

/// All lines of one customer except referral value, which needs every other customer's net
/// profit first (total value is net profit plus advocacy until it is added).
#[inline]
pub fn own_lines(
    row: &DriverRow,
    commission_rate: i64,
    acquisition: i64,
    r: &Rates,
    arithmetic: Arithmetic,
) -> Lines {
    let revenue = row.revenue;
    let cogs = cogs_of(row, r);
    let gross_margin = revenue.saturating_sub(cogs);
    let commission = commission_of(row, commission_rate);
    let sales_cost = sales_cost_of(row, r, arithmetic);
    let service_cost = service_cost_of(row, r, arithmetic);
    let equipment = equipment_of(row, r);
    let handling = handling_of(row, r, arithmetic);
    let financing = financing_of(row, r);
    let bad_debt = bad_debt_of(row, r, arithmetic);
    let advocacy = advocacy_of(row, r, arithmetic);
    let cost_to_serve = sum_of_parts([
        commission,
        sales_cost,
        acquisition,
        service_cost,
        equipment,
        handling,
        financing,
        bad_debt,
    ]);
    let net_profit = gross_margin.saturating_sub(cost_to_serve);
    Lines {
        revenue: Money(revenue),
        cogs: Money(cogs),
        gross_margin: Money(gross_margin),
        commission: Money(commission),
        sales_cost: Money(sales_cost),
        acquisition: Money(acquisition),
        service_cost: Money(service_cost),
        equipment: Money(equipment),
        handling: Money(handling),
        financing: Money(financing),
        bad_debt: Money(bad_debt),
        cost_to_serve: Money(cost_to_serve),
        net_profit: Money(net_profit),
        referral_value: Money::ZERO,
        advocacy: Money(advocacy),
        total_value: Money(net_profit.saturating_add(advocacy)),
    }
}

/// A line computed from one customer's drivers and the rates alone; every other line is a sum
/// of these (or, for referral value, of other customers' net profit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Revenue,
    Cogs,
    Commission,
    SalesCost,
    Acquisition,
    ServiceCost,
    Equipment,
    Handling,
    Financing,
    BadDebt,
    Advocacy,
}

impl Part {
    const ALL: [Part; 11] = [
        Part::Revenue,
        Part::Cogs,
        Part::Commission,
        Part::SalesCost,
        Part::Acquisition,
        Part::ServiceCost,
        Part::Equipment,
        Part::Handling,
        Part::Financing,
        Part::BadDebt,
        Part::Advocacy,
    ];

    fn line(self) -> LineKey {
        match self {
            Part::Revenue => LineKey::Revenue,
            Part::Cogs => LineKey::Cogs,
            Part::Commission => LineKey::Commission,
            Part::SalesCost => LineKey::SalesCost,
            Part::Acquisition => LineKey::Acquisition,
            Part::ServiceCost => LineKey::ServiceCost,
            Part::Equipment => LineKey::Equipment,
            Part::Handling => LineKey::Handling,
            Part::Financing => LineKey::Financing,
            Part::BadDebt => LineKey::BadDebt,
            Part::Advocacy => LineKey::Advocacy,
        }
    }

    /// Every rate the line reads. Equal inputs give an equal column, so a recompute keeps the
    /// column instead of computing it again.
    fn inputs(self, r: &Rates) -> Vec<i64> {
        let kinds = |kinds: &[ActivityKind]| -> Vec<i64> {
            kinds.iter().map(|k| r.unit_rate[k.index()]).collect()
        };
        let joined = |parts: &[&[i64]]| parts.concat();
        match self {
            Part::Revenue => Vec::new(),
            Part::Cogs => vec![r.uncosted_cost_share],
            Part::Commission => {
                let (col, by_code) = match &r.commission_by_code {
                    Some((col, by_code)) => (*col as i64, by_code.as_slice()),
                    None => (-1, &[][..]),
                };
                joined(&[&[r.commission_default, col], by_code])
            }
            Part::SalesCost => joined(&[
                &r.sales_role_rate,
                &[r.unit_rate[ActivityKind::Visit.index()]],
            ]),
            Part::Acquisition => vec![r.acquisition_cost, r.acquisition_spread_months],
            Part::ServiceCost => joined(&[
                &r.service_role_rate,
                &[r.unit_rate[ActivityKind::Ticket.index()]],
                r.tdabc.service(),
            ]),
            Part::Equipment => match r.equipment_basis {
                EquipmentBasis::PerHour => vec![0, r.equipment_per_hour],
                EquipmentBasis::PercentOfWages => joined(&[
                    &[1, r.equipment_overhead],
                    &r.sales_role_rate,
                    &r.service_role_rate,
                ]),
            },
            Part::Handling => joined(&[
                &kinds(&[
                    ActivityKind::Order,
                    ActivityKind::Delivery,
                    ActivityKind::Return,
                ]),
                r.tdabc.handling(),
            ]),
            Part::Financing => vec![r.cost_of_capital],
            Part::BadDebt => r.write_off.to_vec(),
            Part::Advocacy => kinds(&[ActivityKind::CaseStudy, ActivityKind::Reference]),
        }
    }

    /// This line for every customer, into `out` (emptied first), and its stats. Inlined where
    /// it is called once per arithmetic, each call with it fixed: the fast copy of the loops
    /// carries no 128-bit path and no test of which path to take.
    #[inline(always)]
    fn fill(
        self,
        model: &Model,
        r: &Rates,
        arithmetic: Arithmetic,
        out: &mut Vec<i64>,
    ) -> ColumnStats {
        out.clear();
        let rows = model.drivers.iter();
        // One loop per line, each with its formula inlined: no branch on the line per customer.
        match self {
            Part::Revenue => extend_with_stats(out, rows.map(|row| row.revenue)),
            Part::Cogs => extend_with_stats(out, rows.map(|row| cogs_of(row, r))),
            Part::Commission => match &r.commission_by_code {
                Some(_) => extend_with_stats(
                    out,
                    rows.enumerate()
                        .map(|(i, row)| commission_of(row, r.commission_of(model, i))),
                ),
                None => extend_with_stats(
                    out,
                    rows.map(|row| commission_of(row, r.commission_default)),
                ),
            },
            Part::SalesCost => {
                extend_with_stats(out, rows.map(|row| sales_cost_of(row, r, arithmetic)))
            }
            Part::Acquisition => {
                let (from, to) = model.window.unwrap_or((Month(0), Month(0)));
                extend_with_stats(
                    out,
                    (0..model.len()).map(|i| acquisition_in(model, r, i, from, to)),
                )
            }
            Part::ServiceCost => {
                extend_with_stats(out, rows.map(|row| service_cost_of(row, r, arithmetic)))
            }
            Part::Equipment => extend_with_stats(out, rows.map(|row| equipment_of(row, r))),
            Part::Handling => {
                extend_with_stats(out, rows.map(|row| handling_of(row, r, arithmetic)))
            }
            Part::Financing => extend_with_stats(out, rows.map(|row| financing_of(row, r))),
            Part::BadDebt => {
                extend_with_stats(out, rows.map(|row| bad_debt_of(row, r, arithmetic)))
            }
            Part::Advocacy => {
                extend_with_stats(out, rows.map(|row| advocacy_of(row, r, arithmetic)))
            }
        }
    }
}

/// Appends `values` to `out` and returns their stats, in the same pass.
#[inline(always)]
fn extend_with_stats<I: Iterator<Item = i64>>(out: &mut Vec<i64>, values: I) -> ColumnStats {
    let mut stats = ColumnStats::default();
    // `map`, not `inspect`: a map over a slice's iterator keeps its trusted length, so the
    // vector is reserved once and written without a capacity check per value.
    #[allow(clippy::manual_inspect)]
    out.extend(values.map(|v| {
        // Exact in 128 bits (no step can overflow).
        stats.sum += v as i128;
        stats.bound = stats.bound.max(v.unsigned_abs());
        v
    }));
    stats
}

/// Every customer's P&L lines, one column per line. Columns are shared between a report and
/// the next one computed from it: a slider move computes only the columns it changes.
#[derive(Clone, Debug, Default)]
pub struct LineTable {
    columns: [Arc<Vec<i64>>; LineKey::ALL.len()],
    /// Each column's exact sum and magnitude bound, kept with it.
    stats: [ColumnStats; LineKey::ALL.len()],
}

/// A column's exact sum (its total before saturating to i64) and a bound on its values'
/// magnitude. The bounds tell when a sum of columns cannot reach the i64 limits, so the
/// saturating additions of the model are plain additions (which the compiler vectorises), and
/// the sums give the totals of derived lines without another pass.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ColumnStats {
    sum: i128,
    bound: u64,
}

impl ColumnStats {
    /// One pass over the column.
    fn of(column: &[i64]) -> ColumnStats {
        // Exact in 128 bits (no step can overflow).
        let sum = column.iter().map(|&v| v as i128).sum();
        let bound = column.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
        ColumnStats { sum, bound }
    }

    /// The total line: the sum, saturating at the i64 range like every figure.
    fn total(self) -> Money {
        Money(saturate(self.sum))
    }
}

/// Whether values within these bounds can be added without reaching the i64 limits.
fn fits(bounds: &[u64]) -> bool {
    bounds.iter().map(|&b| b as u128).sum::<u128>() <= i64::MAX as u128
}

impl LineTable {
    pub fn len(&self) -> usize {
        self.columns[0].len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// One line for every customer, in cents.
    pub fn column(&self, key: LineKey) -> &[i64] {
        &self.columns[key.index()]
    }
    /// Every line of customer `i`.
    pub fn get(&self, i: usize) -> Option<Lines> {
        (i < self.len()).then(|| {
            let c = |key: LineKey| Money(self.columns[key.index()][i]);
            Lines {
                revenue: c(LineKey::Revenue),
                cogs: c(LineKey::Cogs),
                gross_margin: c(LineKey::GrossMargin),
                commission: c(LineKey::Commission),
                sales_cost: c(LineKey::SalesCost),
                acquisition: c(LineKey::Acquisition),
                service_cost: c(LineKey::ServiceCost),
                equipment: c(LineKey::Equipment),
                handling: c(LineKey::Handling),
                financing: c(LineKey::Financing),
                bad_debt: c(LineKey::BadDebt),
                cost_to_serve: c(LineKey::CostToServe),
                net_profit: c(LineKey::NetProfit),
                referral_value: c(LineKey::ReferralValue),
                advocacy: c(LineKey::Advocacy),
                total_value: c(LineKey::TotalValue),
            }
        })
    }
    /// Every customer's lines, in customer order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Lines> + '_ {
        (0..self.len()).map(|i| self.get(i).expect("index below len"))
    }
    pub fn to_vec(&self) -> Vec<Lines> {
        self.iter().collect()
    }

    /// Takes a column out to be written: its own memory when no other report shares it, a new
    /// one otherwise. Put it back with [`LineTable::put`].
    fn take(&mut self, key: LineKey) -> Vec<i64> {
        let column = std::mem::take(&mut self.columns[key.index()]);
        Arc::try_unwrap(column).unwrap_or_default()
    }
    fn put(&mut self, key: LineKey, column: Vec<i64>, stats: ColumnStats) {
        self.columns[key.index()] = Arc::new(column);
        self.stats[key.index()] = stats;
    }
    fn stats(&self, key: LineKey) -> ColumnStats {
        self.stats[key.index()]
    }

    /// The largest magnitude bound among the columns of `keys`.
    fn largest_bound(&self, keys: &[LineKey]) -> u64 {
        keys.iter()
            .map(|&key| self.stats(key).bound)
            .max()
            .unwrap_or(0)
    }
}

/// What the lines of a report were computed from, to tell which columns the next recompute
/// can keep.
#[derive(Clone, Debug, PartialEq)]
struct Basis {
    /// The model's identity as far as the lines can tell: size, window and per-field maxima.
    customers: usize,
    window: Option<(Month, Month)>,
    bounds: DriverRow,
    /// Per [`Part`], the rates its column was computed with.
    inputs: Vec<Vec<i64>>,
    /// The rates of referral value: attribution and saved acquisition cost.
    referral: [i64; 2],
}

/// A part of cost to serve as it was before a recompute replaced it.
#[derive(Debug)]
struct Replaced {
    key: LineKey,
    column: Arc<Vec<i64>>,
    stats: ColumnStats,
}

/// Everything the workbook shows for one set of assumptions.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub lines: LineTable,
    /// Sum of `lines`, line by line.
    pub totals: Lines,
    pub quadrants: Vec<Quadrant>,
    pub actions: Vec<(Action, Rule)>,
    /// The whale curve's summary and drawn points.
    pub whale: Whale,
    /// Every customer in whale-curve order, sorted when first asked for (an export, the
    /// chart's readout), not on every recompute.
    order: std::sync::OnceLock<WhaleOrder>,
    /// Customers with net profit below zero.
    pub unprofitable: usize,
    basis: Option<Basis>,
    /// Working memory kept between recomputes.
    buffers: Buffers,
}

#[derive(Clone, Debug, Default)]
struct Buffers {
    select: views::SelectBuffers,
}

/// Computes every customer's lines, the totals, the whale curve, quadrants and actions.
pub fn compute(model: &Model, rates: &Rates, rules: &crate::assumptions::ActionRules) -> Report {
    let mut report = Report::default();
    report.update(model, rates, rules);
    report
}

impl Report {
    /// This report recomputed for new rates, as [`Report::update`] does, leaving `self` as it
    /// was: the columns the change does not touch are shared, not copied.
    pub fn recomputed(
        &self,
        model: &Model,
        rates: &Rates,
        rules: &crate::assumptions::ActionRules,
    ) -> Report {
        let mut next = Report {
            lines: self.lines.clone(),
            totals: self.totals,
            unprofitable: self.unprofitable,
            basis: self.basis.clone(),
            ..Report::default()
        };
        next.update(model, rates, rules);
        next
    }

    /// Every customer in whale-curve order, with cumulative profit.
    pub fn whale_order(&self) -> &WhaleOrder {
        self.order
            .get_or_init(|| WhaleOrder::of(self.lines.column(LineKey::NetProfit)))
    }

    /// Recomputes the report for `rates`. A report last computed from this same `model` keeps
    /// every line whose rates did not change (a slider moves one rate, so one line is computed
    /// again); from another model, every line is computed. The result is the same either way.
    ///
    /// The caller must not pass a changed model under the same size and maxima: the model is
    /// not compared value by value (a million customers), so compute a new report for a new
    /// model.
    pub fn update(
        &mut self,
        model: &Model,
        rates: &Rates,
        rules: &crate::assumptions::ActionRules,
    ) {
        // One overflow decision for the whole model, not one per customer.
        let arithmetic = if CostTerms::of(&model.bounds, rates).fit_in_64_bits() {
            Arithmetic::Fast
        } else {
            Arithmetic::Checked
        };
        let inputs: Vec<Vec<i64>> = Part::ALL.iter().map(|p| p.inputs(rates)).collect();
        let same_model = self.basis.as_ref().is_some_and(|b| {
            b.customers == model.len() && b.window == model.window && b.bounds == model.bounds
        });
        let referral = [rates.referral_attribution, rates.saved_acquisition_cost];
        let mut changed =
            !same_model || self.basis.as_ref().is_some_and(|b| b.referral != referral);
        let mut gross_changed = !same_model;
        // The one part of cost to serve that changed, as it was: cost to serve is then
        // corrected by the part's change instead of added up again from all eight parts.
        let mut replaced: Vec<Replaced> = Vec::new();
        for (k, part) in Part::ALL.into_iter().enumerate() {
            let keep = same_model
                && self
                    .basis
                    .as_ref()
                    .is_some_and(|b| b.inputs[k] == inputs[k]);
            if keep {
                continue;
            }
            let key = part.line();
            if same_model && LineKey::COST_TO_SERVE_PARTS.contains(&key) {
                replaced.push(Replaced {
                    key,
                    column: self.lines.columns[key.index()].clone(),
                    stats: self.lines.stats(key),
                });
            }
            let mut column = self.lines.take(key);
            let stats = match arithmetic {
                Arithmetic::Fast => part.fill(model, rates, Arithmetic::Fast, &mut column),
                Arithmetic::Checked => part.fill(model, rates, Arithmetic::Checked, &mut column),
            };
            self.totals.set(key, stats.total());
            self.lines.put(key, column, stats);
            gross_changed |= matches!(part, Part::Revenue | Part::Cogs);
            changed = true;
        }
        // Only a single part changed from a report of the same model: otherwise (a first
        // report, a new model, several parts) every part is added up.
        let one_part = match replaced.as_slice() {
            [only] if same_model && !gross_changed && self.lines.len() == model.len() => Some(only),
            _ => None,
        };
        self.basis = Some(Basis {
            customers: model.len(),
            window: model.window,
            bounds: model.bounds,
            inputs,
            referral,
        });
        if changed {
            self.derive_sums(model, rates, gross_changed, one_part);
        }
        self.derive_views(rules);
    }

    /// Gross margin (when revenue or cogs changed), cost to serve, net profit, referral value
    /// and total value from the parts.
    ///
    /// With `one_part`, the only part that changed since the last report of this model, cost
    /// to serve is the last one corrected by that part's change: four columns read instead of
    /// nine. The same figures, while no sum, then or now, can reach the i64 limits.
    fn derive_sums(
        &mut self,
        model: &Model,
        rates: &Rates,
        gross_changed: bool,
        one_part: Option<&Replaced>,
    ) {
        use LineKey::*;
        let lines = &mut self.lines;
        let n = lines.len();
        let (revenue, cogs) = (lines.stats(Revenue), lines.stats(Cogs));
        if gross_changed {
            let mut gross = lines.take(GrossMargin);
            gross.resize(n, 0);
            let (r, c) = (&lines.column(Revenue)[..n], &lines.column(Cogs)[..n]);
            let stats = if fits(&[revenue.bound, cogs.bound]) {
                for ((g, &r), &c) in gross.iter_mut().zip(r).zip(c) {
                    *g = r - c;
                }
                ColumnStats {
                    sum: revenue.sum - cogs.sum,
                    bound: revenue.bound + cogs.bound,
                }
            } else {
                for ((g, &r), &c) in gross.iter_mut().zip(r).zip(c) {
                    *g = r.saturating_sub(c);
                }
                ColumnStats::of(&gross)
            };
            lines.put(GrossMargin, gross, stats);
        }
        let gross = lines.stats(GrossMargin);
        let part_stats = LineKey::COST_TO_SERVE_PARTS.map(|k| lines.stats(k));
        // With one part changed, the last cost to serve, to be corrected by its change
        // (holding it makes taking the column give new memory, as a report shared with the
        // last one does anyway). The new columns are written once each, by extending (a
        // column resized first is written twice).
        let last_cost = one_part.map(|_| lines.columns[CostToServe.index()].clone());
        let mut cost = lines.take(CostToServe);
        let mut net = lines.take(NetProfit);
        cost.clear();
        net.clear();
        let g = &lines.column(GrossMargin)[..n];
        let p = LineKey::COST_TO_SERVE_PARTS.map(|k| &lines.column(k)[..n]);
        let mut unprofitable = 0;
        let mut counted = |profit: i64| {
            unprofitable += usize::from(profit < 0);
            profit
        };
        let part_bounds = part_stats.map(|s| s.bound);
        // The correction holds when the last cost to serve was a plain sum too: the bounds of
        // the parts it was added up from (the replaced part's old bound among them) fit.
        let correction = one_part
            .zip(last_cost.as_deref())
            .filter(|(replaced, last)| {
                let mut bounds = part_bounds;
                let at = LineKey::COST_TO_SERVE_PARTS
                    .iter()
                    .position(|&k| k == replaced.key);
                at.is_some_and(|at| {
                    bounds[at] = replaced.stats.bound;
                    fits(&[fits_sum(&bounds), gross.bound]) && last.len() == n
                })
            });
        let (cost_stats, net_stats) = if fits(&[fits_sum(&part_bounds), gross.bound]) {
            // No sum can reach the limits: plain additions, the same figures.
            match correction {
                Some((replaced, last)) => {
                    let (was, now) = (&replaced.column[..n], lines.column(replaced.key));
                    cost.extend(
                        last[..n]
                            .iter()
                            .zip(was)
                            .zip(&now[..n])
                            .map(|((&cost, &was), &now)| cost - was + now),
                    );
                }
                None => cost.extend((0..n).map(|i| {
                    p[0][i] + p[1][i] + p[2][i] + p[3][i] + p[4][i] + p[5][i] + p[6][i] + p[7][i]
                })),
            }
            net.extend(g.iter().zip(&cost).map(|(&g, &c)| counted(g - c)));
            let cost_sum: i128 = part_stats.iter().map(|s| s.sum).sum();
            let cost_bound = fits_sum(&part_bounds);
            (
                ColumnStats {
                    sum: cost_sum,
                    bound: cost_bound,
                },
                ColumnStats {
                    sum: gross.sum - cost_sum,
                    bound: gross.bound + cost_bound,
                },
            )
        } else {
            cost.extend((0..n).map(|i| sum_of_parts(p.map(|column| column[i]))));
            net.extend(
                g.iter()
                    .zip(&cost)
                    .map(|(&g, &c)| counted(g.saturating_sub(c))),
            );
            (ColumnStats::of(&cost), ColumnStats::of(&net))
        };
        self.unprofitable = unprofitable;
        let mut referral = lines.take(ReferralValue);
        referral.clear();
        referral.resize(n, 0);
        let referral_stats = referral_values(model, rates, &net, &mut referral);
        let mut total = lines.take(TotalValue);
        total.clear();
        let advocacy = lines.stats(Advocacy);
        let a = &lines.column(Advocacy)[..n];
        let bounds = [net_stats.bound, advocacy.bound, referral_stats.bound];
        let parts = net.iter().zip(a).zip(&referral);
        let total_stats = if fits(&bounds) {
            total.extend(parts.map(|((&n, &a), &r)| n + a + r));
            ColumnStats {
                sum: net_stats.sum + advocacy.sum + referral_stats.sum,
                bound: fits_sum(&bounds),
            }
        } else {
            total.extend(parts.map(|((&n, &a), &r)| n.saturating_add(a).saturating_add(r)));
            ColumnStats::of(&total)
        };
        for (key, column, stats) in [
            (CostToServe, cost, cost_stats),
            (NetProfit, net, net_stats),
            (ReferralValue, referral, referral_stats),
            (TotalValue, total, total_stats),
        ] {
            lines.put(key, column, stats);
        }
        for key in [
            GrossMargin,
            CostToServe,
            NetProfit,
            ReferralValue,
            TotalValue,
        ] {
            self.totals.set(key, lines.stats(key).total());
        }
    }

    /// The whale curve, quadrants and actions, which depend on every customer's lines.
    fn derive_views(&mut self, rules: &crate::assumptions::ActionRules) {
        let net = self.lines.column(LineKey::NetProfit);
        let ctx = views::ActionContext::new(net.len(), &self.totals, rules);
        let ranks = [ctx.top_rank()];
        let net_bound = self.lines.stats(LineKey::NetProfit).bound;
        self.whale.recompute(
            net,
            net_bound,
            views::CURVE_POINTS,
            &ranks,
            &mut self.buffers.select,
        );
        self.order = Default::default();
        let top = ctx.top_cut(&self.whale, net);
        let splits = views::Splits::of(&self.totals);
        let n = net.len();
        let col = |key: LineKey| &self.lines.column(key)[..n];
        let columns = DecisionColumns {
            revenue: col(LineKey::Revenue),
            gross_margin: col(LineKey::GrossMargin),
            sales_cost: col(LineKey::SalesCost),
            acquisition: col(LineKey::Acquisition),
            cost_to_serve: col(LineKey::CostToServe),
            net_profit: col(LineKey::NetProfit),
            total_value: col(LineKey::TotalValue),
        };
        // Written in place over the last report's (no push, no capacity check per customer).
        self.quadrants.resize(n, Quadrant::NoRevenue);
        self.actions.resize(n, (Action::Keep, Rule::Profitable));
        let bound =
            self.lines
                .largest_bound(&[LineKey::Revenue, LineKey::NetProfit, LineKey::CostToServe]);
        // The largest figure an action's tests read.
        let figures_bound = self.lines.largest_bound(&[
            LineKey::Revenue,
            LineKey::GrossMargin,
            LineKey::SalesCost,
            LineKey::Acquisition,
            LineKey::TotalValue,
        ]);
        let (quadrants, actions) = (&mut self.quadrants[..], &mut self.actions[..]);
        let screened = |f| splits.quadrant_screened(f);
        let exact = |f| splits.quadrant_of(f);
        let small = |f, is_top| ctx.action_of_small(f, is_top);
        let checked = |f, is_top| ctx.action_of(f, is_top);
        match (splits.screened_for(bound), ctx.small_for(figures_bound)) {
            (true, true) => columns.decide(quadrants, actions, top, screened, small),
            (true, false) => columns.decide(quadrants, actions, top, screened, checked),
            (false, _) => columns.decide(quadrants, actions, top, exact, checked),
        }
    }
}

/// The seven lines the quadrants and actions read, one column each, all as long.
struct DecisionColumns<'a> {
    revenue: &'a [i64],
    gross_margin: &'a [i64],
    sales_cost: &'a [i64],
    acquisition: &'a [i64],
    cost_to_serve: &'a [i64],
    net_profit: &'a [i64],
    total_value: &'a [i64],
}

impl DecisionColumns<'_> {
    /// Every customer's quadrant and action. One copy of the loop per way of deciding the
    /// quadrant and the action (no test of which, per customer), and every slice cut to the
    /// same length (no bounds check per customer either).
    #[inline(always)]
    fn decide(
        &self,
        quadrants: &mut [Quadrant],
        actions: &mut [(Action, Rule)],
        top: views::TopCut,
        quadrant_of: impl Fn(views::Figures) -> Quadrant,
        action_of: impl Fn(views::Figures, bool) -> (Action, Rule),
    ) {
        let n = self.net_profit.len();
        let (quadrants, actions) = (&mut quadrants[..n], &mut actions[..n]);
        let (revenue, gross_margin, sales_cost) = (
            &self.revenue[..n],
            &self.gross_margin[..n],
            &self.sales_cost[..n],
        );
        let (acquisition, cost_to_serve, net_profit, total_value) = (
            &self.acquisition[..n],
            &self.cost_to_serve[..n],
            &self.net_profit[..n],
            &self.total_value[..n],
        );
        for i in 0..n {
            let figures = views::Figures {
                revenue: revenue[i],
                gross_margin: gross_margin[i],
                sales_cost: sales_cost[i],
                acquisition: acquisition[i],
                cost_to_serve: cost_to_serve[i],
                net_profit: net_profit[i],
                total_value: total_value[i],
            };
            quadrants[i] = quadrant_of(figures);
            actions[i] = action_of(figures, top.contains(i, net_profit[i]));
        }
    }
}

/// The bound of a sum of values within `bounds`, when [`fits`] holds for them.
fn fits_sum(bounds: &[u64]) -> u64 {
    bounds.iter().fold(0u64, |sum, &b| sum.saturating_add(b))
}

/// referral_value_i = attribution x sum of net_profit_j over customers j that i brought in
/// ```text
///                + saved_acquisition_cost x customers i referred who would have come anyway.
/// ```
/// Rounded once per referrer, into `out` (zero for customers who referred nobody, so the
/// column's stats are those of the referrers').
fn referral_values(
    model: &Model,
    rates: &Rates,
    net_profit: &[i64],
    out: &mut [i64],
) -> ColumnStats {
    let mut stats = ColumnStats::default();
    // The model keeps referrals sorted by referrer: one run of links per referrer.
    for links in model.referrals.chunk_by(|a, b| a.referrer == b.referrer) {
        let mut brought_profit = 0i64;
        let mut came_anyway = 0i64;
        for link in links {
            if link.would_have_come_anyway {
                came_anyway += 1;
            } else if let Some(&profit) = net_profit.get(link.referred as usize) {
                brought_profit = brought_profit.saturating_add(profit);
            }
        }
        let value = money_times_rate(brought_profit, rates.referral_attribution)
            .saturating_add(came_anyway.saturating_mul(rates.saved_acquisition_cost));
        if let Some(slot) = out.get_mut(links[0].referrer as usize) {
            stats.sum += value as i128;
            stats.bound = stats.bound.max(value.unsigned_abs());
            *slot = value;
        }
    }
    stats
}
