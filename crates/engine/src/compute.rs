//! The recompute: every P&L line of every customer from driver totals and rates.
//!
//! Lines follow the team's domain model; docs/model.md lists each formula and the choices made
//! where the model leaves one open (commission floor, financing per invoice, TDABC). Each line is
//! rounded to the cent once, half away from zero; totals are sums of the rounded customer
//! lines, so they tie out exactly.

use crate::assumptions::{EquipmentBasis, Rates};
use crate::date::Month;
use crate::drivers::{DriverRow, Model, COST_UNKNOWN, MAX_ROLES, NOT_ACQUIRED};
use crate::facts::ActivityKind;
use crate::money::{
    div_round_by, div_round_wide, money_times_rate, mul_div_round, mul_div_round_by, saturate,
    Money, COUNT_RATE_TO_CENTS, QTY_RATE_TO_CENTS,
};
use crate::views::{self, Action, Quadrant, Rule, Whale};
use serde::{Deserialize, Serialize};

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
    bad_debt: [(i64, i64); crate::drivers::AGE_BUCKETS],
    advocacy: [(i64, i64); 2],
}

fn small(terms: &[(i64, i64)]) -> bool {
    terms.iter().all(|(a, b)| {
        a.unsigned_abs().leading_zeros() + b.unsigned_abs().leading_zeros() >= MIN_LEADING_ZEROS
    })
}

impl CostTerms {
    /// Builds the terms of one row. Hour terms are in billionths (thousandths of an hour x
    /// millionths per hour) and count terms join them at the same scale (x 1,000), so each
    /// line is rounded once.
    #[inline]
    pub fn of(row: &DriverRow, r: &Rates) -> CostTerms {
        let count = |k: ActivityKind| row.counts[k.index()] as i64;
        let per_count = |k: ActivityKind| (count(k), r.unit_rate[k.index()] * 1_000);
        // Each role's rate on its own line and zero on the other: no branch per role.
        let hours = |rates: &[i64; MAX_ROLES]| {
            std::array::from_fn::<_, MAX_ROLES, _>(|slot| {
                (row.hours_by_role[slot] as i64, rates[slot])
            })
        };
        // Time-driven activity costs are already per driver unit in billionths.
        let tdabc =
            |per: &[i64; ActivityKind::COUNT]| COST_DRIVERS.map(|k| (count(k), per[k.index()]));
        let (sh, vh) = (hours(&r.sales_role_rate), hours(&r.service_role_rate));
        let (st, ht) = (tdabc(r.tdabc.service()), tdabc(r.tdabc.handling()));
        let (b, w) = (&row.open_by_bucket, &r.write_off);
        CostTerms {
            sales: [
                sh[0],
                sh[1],
                sh[2],
                sh[3],
                sh[4],
                sh[5],
                per_count(ActivityKind::Visit),
            ],
            service: [
                vh[0],
                vh[1],
                vh[2],
                vh[3],
                vh[4],
                vh[5],
                per_count(ActivityKind::Ticket),
                st[0],
                st[1],
                st[2],
                st[3],
                st[4],
            ],
            handling: [
                per_count(ActivityKind::Order),
                per_count(ActivityKind::Delivery),
                per_count(ActivityKind::Return),
                ht[0],
                ht[1],
                ht[2],
                ht[3],
                ht[4],
            ],
            bad_debt: [
                (b[0], w[0]),
                (b[1], w[1]),
                (b[2], w[2]),
                (b[3], w[3]),
                (b[4], w[4]),
            ],
            advocacy: [
                (
                    count(ActivityKind::CaseStudy),
                    r.unit_rate[ActivityKind::CaseStudy.index()],
                ),
                (
                    count(ActivityKind::Reference),
                    r.unit_rate[ActivityKind::Reference.index()],
                ),
            ],
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

/// All lines of one customer except referral value and total value, which need every other
/// customer's net profit first.
#[inline]
pub fn own_lines(
    row: &DriverRow,
    commission_rate: i64,
    acquisition: i64,
    r: &Rates,
    arithmetic: Arithmetic,
) -> Lines {
    let revenue = row.revenue;
    let uncosted_revenue = revenue.saturating_sub(row.costed_revenue);
    let cogs = row
        .known_cost
        .saturating_add(money_times_rate(uncosted_revenue, r.uncosted_cost_share));
    let gross_margin = revenue.saturating_sub(cogs);
    // Commission is paid on positive revenue only: a period in which credit notes exceed
    // invoices pays no commission, and no clawback is modelled.
    let commission = money_times_rate(revenue.max(0), commission_rate);
    let terms = CostTerms::of(row, r);
    let sales_cost = dot_round::<QTY_RATE_TO_CENTS>(&terms.sales, arithmetic);
    let service_cost = dot_round::<QTY_RATE_TO_CENTS>(&terms.service, arithmetic);
    let equipment = match r.equipment_basis {
        EquipmentBasis::PerHour => {
            let hours: i64 = row.hours_by_role.iter().map(|&h| h as i64).sum();
            mul_div_round_by::<QTY_RATE_TO_CENTS>(hours, r.equipment_per_hour)
        }
        EquipmentBasis::PercentOfWages => {
            // The wage terms lead the sales and service lines; the overhead applies to their
            // exact sum, and the result is rounded once.
            let wages: i128 = terms.sales[..MAX_ROLES]
                .iter()
                .chain(&terms.service[..MAX_ROLES])
                .map(|&(h, rate)| h as i128 * rate as i128)
                .sum();
            saturate(div_round_wide(
                wages * r.equipment_overhead as i128,
                QTY_RATE_TO_CENTS as i128 * 1_000_000,
            ))
        }
    };
    let handling = dot_round::<QTY_RATE_TO_CENTS>(&terms.handling, arithmetic);
    // revenue x (days_to_pay / 365) x cost_of_capital, with revenue x days_to_pay summed per
    // invoice (amount x days outstanding).
    let financing = mul_div_round_by::<{ 365 * 1_000_000 }>(row.amount_days, r.cost_of_capital);
    let bad_debt = dot_round::<1_000_000>(&terms.bad_debt, arithmetic);
    let advocacy = dot_round::<COUNT_RATE_TO_CENTS>(&terms.advocacy, arithmetic);
    // Saturating: only absurd inputs reach the i64 limit, and then the figure stays at the limit
    // instead of wrapping to a wrong sign.
    let cost_to_serve = [
        commission,
        sales_cost,
        acquisition,
        service_cost,
        equipment,
        handling,
        financing,
        bad_debt,
    ]
    .into_iter()
    .fold(0i64, i64::saturating_add);
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

/// Everything the workbook shows for one set of assumptions.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub lines: Vec<Lines>,
    /// Sum of `lines`, line by line.
    pub totals: Lines,
    pub quadrants: Vec<Quadrant>,
    pub actions: Vec<(Action, Rule)>,
    pub whale: Whale,
    /// Customers with net profit below zero.
    pub unprofitable: usize,
    /// Working memory kept between recomputes.
    buffers: Buffers,
}

#[derive(Clone, Debug, Default)]
struct Buffers {
    profits: Vec<i64>,
    sort: views::SortBuffers,
    top: Vec<bool>,
}

/// Computes every customer's lines, the totals, the whale curve, quadrants and actions.
pub fn compute(model: &Model, rates: &Rates, rules: &crate::assumptions::ActionRules) -> Report {
    let mut report = Report::default();
    compute_into(model, rates, rules, &mut report);
    report
}

/// [`compute`] into an existing report, reusing its buffers: at a million customers, fresh
/// buffers on every slider move cost more than the arithmetic. Two passes over the customers:
/// lines, totals and sort keys; then quadrants and actions.
pub fn compute_into(
    model: &Model,
    rates: &Rates,
    rules: &crate::assumptions::ActionRules,
    report: &mut Report,
) {
    let (from, to) = model.window.unwrap_or((Month(0), Month(0)));
    // One overflow decision for the whole model, not one per customer.
    let arithmetic = if CostTerms::of(&model.bounds, rates).fit_in_64_bits() {
        Arithmetic::Fast
    } else {
        Arithmetic::Checked
    };
    let Report {
        lines,
        totals,
        quadrants,
        actions,
        whale,
        unprofitable,
        buffers,
    } = report;
    lines.clear();
    buffers.profits.clear();
    let mut sum = Lines::default();
    let mut losses = 0;
    for (i, row) in model.drivers.iter().enumerate() {
        let acquisition = acquisition_in(model, rates, i, from, to);
        let commission = rates.commission_of(model, i);
        let l = own_lines(row, commission, acquisition, rates, arithmetic);
        sum.accumulate(&l);
        losses += usize::from(l.net_profit.is_negative());
        // Referral value, added below, does not change net profit: the sort keys are final.
        buffers.profits.push(l.net_profit.0);
        lines.push(l);
    }
    let referral_total = apply_referrals(model, rates, lines);
    sum.referral_value += referral_total;
    sum.total_value += referral_total;
    *totals = sum;
    *unprofitable = losses;
    whale.recompute(&buffers.profits, &mut buffers.sort);
    let margin_split = sum.margin_bp().unwrap_or(0);
    let cost_split = sum.cost_to_serve_bp().unwrap_or(0);
    let ctx = views::ActionContext::new(lines.len(), &sum, rules);
    ctx.mark_top(whale, &mut buffers.top);
    quadrants.clear();
    actions.clear();
    for (l, &is_top) in lines.iter().zip(&buffers.top) {
        quadrants.push(views::quadrant_of(l, margin_split, cost_split));
        actions.push(ctx.action_of(l, is_top));
    }
}

/// referral_value_i = attribution x sum of net_profit_j over customers j that i brought in
/// ```text
///                + saved_acquisition_cost x customers i referred who would have come anyway.
/// ```
/// Rounded once per referrer, and added to the referrer's total value. Returns the sum of all
/// referral values, for the totals.
fn apply_referrals(model: &Model, rates: &Rates, lines: &mut [Lines]) -> Money {
    let mut total = Money::ZERO;
    let mut start = 0;
    while start < model.referrals.len() {
        let referrer = model.referrals[start].referrer;
        let mut end = start;
        let mut brought_profit = 0i64;
        let mut came_anyway = 0i64;
        while end < model.referrals.len() && model.referrals[end].referrer == referrer {
            let link = &model.referrals[end];
            if link.would_have_come_anyway {
                came_anyway += 1;
            } else if let Some(referred) = lines.get(link.referred as usize) {
                brought_profit = brought_profit.saturating_add(referred.net_profit.0);
            }
            end += 1;
        }
        let value = Money(
            money_times_rate(brought_profit, rates.referral_attribution)
                .saturating_add(came_anyway.saturating_mul(rates.saved_acquisition_cost)),
        );
        if let Some(l) = lines.get_mut(referrer as usize) {
            // Own lines left referral value at zero and total value at net profit + advocacy;
            // += keeps a referrer whose links are not contiguous whole.
            l.referral_value += value;
            l.total_value += value;
            total += value;
        }
        start = end;
    }
    total
}
