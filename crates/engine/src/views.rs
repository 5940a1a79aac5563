//! Views over a computed report: the whale curve (Cooper and Kaplan), the profitability
//! matrix (Shapiro et al.), recommended actions, and pivots by a customer attribute.

use crate::assumptions::ActionRules;
use crate::compute::{ratio_bp, LineKey, Lines, Report};
use crate::drivers::Model;
use crate::money::{mul_div_round, to_scaled, Money, RATE_SCALE};
use serde::{Deserialize, Serialize};

/// The whale curve: customers sorted by net profit, highest first, and cumulative profit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Whale {
    /// Customer indices, most profitable first (ties by index, so the order is stable).
    pub order: Vec<u32>,
    /// Cumulative net profit after each customer of `order`, in cents.
    pub cumulative: Vec<i64>,
    pub total_profit: Money,
    /// How many customers (from the top) it takes to reach the peak.
    pub peak_customers: usize,
    /// The highest cumulative profit.
    pub peak_profit: Money,
    /// Peak as a share of total profit, in basis points (25,000 = 250%); `None` when total
    /// profit is zero or negative and the share has no meaning.
    pub peak_bp: Option<i64>,
    /// Share of customers after the peak, in basis points: those that give profit back.
    pub past_peak_bp: i64,
    /// Sum of the losses of unprofitable customers (zero or negative).
    pub tail_loss: Money,
}

/// Buffers the whale-curve sort reuses from one recompute to the next (a million customers
/// need 24 MB of them; allocating them afresh costs page faults on every slider move).
#[derive(Clone, Debug, Default)]
pub struct SortBuffers {
    keys: Vec<u64>,
    scratch: Vec<u64>,
    /// Net profits in curve order, highest first.
    sorted: Vec<i64>,
}

/// Sorts customers by a figure (net profit for the whale curve), highest first, ties in index
/// order: their indices into `order`, their figures into `buf.sorted`.
///
/// Each customer becomes one 64-bit key: its distance below the highest profit in the high
/// bits, its index in the low bits, so equal profits keep index order. A least-significant-digit
/// radix sort runs over the distance bits only, 11 a pass, with every pass's counts taken in one
/// read: a few passes over 8 MB for a million customers, several times faster than a
/// comparison sort. Distances too wide to share 64 bits with an index (profits spread over
/// more than 10^11 currency units) are sorted by comparison instead.
pub fn sort_descending(profits: &[i64], order: &mut Vec<u32>, buf: &mut SortBuffers) {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    let max = profits.iter().copied().max().unwrap_or(0);
    let min = profits.iter().copied().min().unwrap_or(0);
    // max >= profit, so every distance is in 0..2^64 and exact as u64.
    let distance = |p: i64| max.wrapping_sub(p) as u64;
    let index_bits = u64::BITS - (profits.len().saturating_sub(1) as u64).leading_zeros();
    let distance_bits = u64::BITS - distance(min).leading_zeros();
    buf.keys.clear();
    if index_bits + distance_bits <= u64::BITS {
        buf.keys.extend(
            profits
                .iter()
                .enumerate()
                .map(|(i, &p)| distance(p) << index_bits | i as u64),
        );
        let passes = distance_bits.div_ceil(BITS) as usize;
        let digit = |key: u64, pass: usize| {
            ((key >> (index_bits + pass as u32 * BITS)) as usize) & (BUCKETS - 1)
        };
        let mut starts = vec![[0usize; BUCKETS]; passes];
        for &key in &buf.keys {
            for (pass, counts) in starts.iter_mut().enumerate() {
                counts[digit(key, pass)] += 1;
            }
        }
        buf.scratch.resize(buf.keys.len(), 0);
        for (pass, start) in starts.iter_mut().enumerate() {
            let mut sum = 0;
            for slot in start.iter_mut() {
                let count = *slot;
                *slot = sum;
                sum += count;
            }
            for &key in &buf.keys {
                let d = digit(key, pass);
                buf.scratch[start[d]] = key;
                start[d] += 1;
            }
            std::mem::swap(&mut buf.keys, &mut buf.scratch);
        }
        let index_mask = (1u64 << index_bits) - 1;
        order.clear();
        order.extend(buf.keys.iter().map(|&key| (key & index_mask) as u32));
        buf.sorted.clear();
        buf.sorted.extend(
            buf.keys
                .iter()
                .map(|&key| max.wrapping_sub((key >> index_bits) as i64)),
        );
    } else {
        let mut pairs: Vec<(u64, u32)> = profits
            .iter()
            .enumerate()
            .map(|(i, &p)| (distance(p), i as u32))
            .collect();
        pairs.sort_unstable();
        order.clear();
        order.extend(pairs.iter().map(|&(_, i)| i));
        buf.sorted.clear();
        buf.sorted
            .extend(order.iter().map(|&i| profits[i as usize]));
    }
}

/// Builds the whale curve of some customer lines.
pub fn whale(lines: &[Lines]) -> Whale {
    let profits: Vec<i64> = lines.iter().map(|l| l.net_profit.0).collect();
    let mut w = Whale::default();
    w.recompute(&profits, &mut SortBuffers::default());
    w
}

impl Whale {
    /// Recomputes the curve from each customer's net profit (in cents), reusing buffers.
    pub fn recompute(&mut self, profits: &[i64], buf: &mut SortBuffers) {
        let n = profits.len();
        sort_descending(profits, &mut self.order, buf);
        self.cumulative.clear();
        let mut running = 0i64;
        let mut peak = 0i64;
        let mut peak_customers = 0usize;
        let mut tail_loss = 0i64;
        for (pos, &profit) in buf.sorted.iter().enumerate() {
            running = running.saturating_add(profit);
            self.cumulative.push(running);
            if running > peak {
                peak = running;
                peak_customers = pos + 1;
            }
            if profit < 0 {
                tail_loss = tail_loss.saturating_add(profit);
            }
        }
        self.total_profit = Money(running);
        self.peak_customers = peak_customers;
        self.peak_profit = Money(peak);
        self.peak_bp = ratio_bp(Money(peak), Money(running));
        self.past_peak_bp = if n == 0 {
            0
        } else {
            mul_div_round((n - peak_customers) as i64, 10_000, n as i64)
        };
        self.tail_loss = Money(tail_loss);
    }

    /// The curve after the top `customers` customers (1 or more).
    fn point(&self, customers: usize) -> CurvePoint {
        CurvePoint {
            customers,
            customer: self.order[customers - 1],
            cumulative: Money(self.cumulative[customers - 1]),
        }
    }

    /// The curve as drawn: at most about `max_points` points, evenly spread over the
    /// customers, always with the first customer, the peak and the last.
    pub fn curve(&self, max_points: usize) -> Vec<CurvePoint> {
        let n = self.cumulative.len();
        if n == 0 {
            return Vec::new();
        }
        let step = n.div_ceil(max_points.max(2));
        let mut counts: Vec<usize> = (1..=n).step_by(step).collect();
        counts.push(n);
        if self.peak_customers > 0 {
            counts.push(self.peak_customers);
        }
        counts.sort_unstable();
        counts.dedup();
        counts.into_iter().map(|k| self.point(k)).collect()
    }

    /// The curve after each tenth of the customers (rounded up), for the chart's table.
    pub fn deciles(&self) -> Vec<CurvePoint> {
        let n = self.cumulative.len();
        let mut counts: Vec<usize> = (1..=10).map(|k| (n * k).div_ceil(10)).collect();
        counts.dedup();
        counts
            .into_iter()
            .filter(|&k| k > 0)
            .map(|k| self.point(k))
            .collect()
    }

    /// At most about `max_points` points (x = share of customers, y = cumulative profit as a
    /// share of total profit), starting at the origin. Chart geometry only.
    pub fn points(&self, max_points: usize) -> Vec<(f64, f64)> {
        let n = self.cumulative.len();
        if n == 0 || self.total_profit.0 == 0 {
            return Vec::new();
        }
        let total = self.total_profit.0 as f64;
        let mut pts = vec![(0.0, 0.0)];
        pts.extend(
            self.curve(max_points)
                .into_iter()
                .map(|p| (p.customers as f64 / n as f64, p.cumulative.0 as f64 / total)),
        );
        pts
    }
}

/// The distance between axis ticks for a chart of money spanning `range` cents in about
/// `ticks` steps: 1, 2 or 5 times a power of ten, at least one currency unit.
pub fn tick_step(range: i64, ticks: i64) -> i64 {
    let raw = range.max(0) / ticks.max(1);
    let mut power = 100i64;
    loop {
        for m in [1, 2, 5] {
            if m * power >= raw {
                return m * power;
            }
        }
        match power.checked_mul(10) {
            Some(p) if p <= i64::MAX / 50 => power = p,
            _ => return i64::MAX / 4,
        }
    }
}

/// A point of the whale curve: after the top `customers` customers, of whom `customer` is the
/// last, the cumulative net profit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub customers: usize,
    pub customer: u32,
    pub cumulative: Money,
}

/// The profitability matrix: cost to serve (share of revenue) against net margin, split at the
/// company's own averages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High margin, low cost to serve ("passive" in Shapiro's terms): the best customers.
    HighMarginLowCost,
    /// High margin, high cost to serve ("carriage trade"): pay well, demand a lot.
    HighMarginHighCost,
    /// Low margin, low cost to serve ("bargain basement").
    LowMarginLowCost,
    /// Low margin, high cost to serve ("aggressive"): the ones to fix first.
    LowMarginHighCost,
    /// No positive revenue: the shares are undefined.
    NoRevenue,
}

impl Quadrant {
    pub fn key(self) -> &'static str {
        match self {
            Quadrant::HighMarginLowCost => "high_margin_low_cost",
            Quadrant::HighMarginHighCost => "high_margin_high_cost",
            Quadrant::LowMarginLowCost => "low_margin_low_cost",
            Quadrant::LowMarginHighCost => "low_margin_high_cost",
            Quadrant::NoRevenue => "no_revenue",
        }
    }
}

/// Where the profitability matrix splits: at the company's own net margin and cost-to-serve
/// share.
#[derive(Clone, Copy, Debug)]
pub struct Splits {
    revenue: i64,
    net_profit: i64,
    cost_to_serve: i64,
    /// A customer figure up to this magnitude times any of the company's three fits in 64
    /// bits, so its shares compare with plain multiplications.
    small: u64,
}

impl Splits {
    pub fn of(totals: &Lines) -> Splits {
        let (revenue, net_profit, cost_to_serve) = (
            totals.revenue.0,
            totals.net_profit.0,
            totals.cost_to_serve.0,
        );
        let company = revenue
            .unsigned_abs()
            .max(net_profit.unsigned_abs())
            .max(cost_to_serve.unsigned_abs())
            .max(1);
        Splits {
            revenue,
            net_profit,
            cost_to_serve,
            small: i64::MAX as u64 / company,
        }
    }

    /// A customer's quadrant. Its shares are compared with the company's exactly, by cross
    /// multiplication: no rounding, and no division (a slow instruction, run twice for each of
    /// a million customers on every slider move). A company without positive revenue splits
    /// at zero.
    #[inline]
    pub fn quadrant_of(&self, l: &Lines) -> Quadrant {
        let revenue = l.revenue.0;
        if revenue <= 0 {
            return Quadrant::NoRevenue;
        }
        // part / revenue against company_part / company_revenue, both revenues positive.
        let against = |part: i64, company_part: i64| {
            if self.revenue <= 0 {
                return part.cmp(&0);
            }
            // In 64 bits when both products fit, decided by magnitudes: 128-bit multiplication,
            // and even a checked 64-bit one, is a software routine in WebAssembly.
            if part.unsigned_abs().max(revenue.unsigned_abs()) <= self.small {
                (part * self.revenue).cmp(&(company_part * revenue))
            } else {
                (part as i128 * self.revenue as i128).cmp(&(company_part as i128 * revenue as i128))
            }
        };
        let high_margin = against(l.net_profit.0, self.net_profit).is_ge();
        let high_cost = against(l.cost_to_serve.0, self.cost_to_serve).is_gt();
        match (high_margin, high_cost) {
            (true, false) => Quadrant::HighMarginLowCost,
            (true, true) => Quadrant::HighMarginHighCost,
            (false, false) => Quadrant::LowMarginLowCost,
            (false, true) => Quadrant::LowMarginHighCost,
        }
    }
}

/// A customer on the profitability matrix: its cost to serve and net margin as shares of its
/// revenue, in basis points, and its revenue (the point's size).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixPoint {
    pub customer: u32,
    pub cost_to_serve_bp: i64,
    pub margin_bp: i64,
    pub revenue: Money,
}

/// The customers with revenue to place on the matrix: every one when there are at most `max`,
/// else the `max` with the most revenue (a chart of a million points says less than one of the
/// customers that carry the business). Most revenue first. Revenue is data, not an assumption,
/// so the choice holds until the data changes.
pub fn largest_by_revenue(revenue: &[i64], max: usize) -> Vec<u32> {
    let mut order = Vec::new();
    sort_descending(revenue, &mut order, &mut SortBuffers::default());
    order
        .into_iter()
        .filter(|&i| revenue[i as usize] > 0)
        .take(max)
        .collect()
}

/// The matrix points of `customers` (see [`largest_by_revenue`]), in their order.
pub fn matrix_points_of(report: &Report, customers: &[u32]) -> Vec<MatrixPoint> {
    customers
        .iter()
        .filter_map(|&i| {
            let l = report.lines.get(i as usize)?;
            Some(MatrixPoint {
                customer: i,
                cost_to_serve_bp: l.cost_to_serve_bp()?,
                margin_bp: l.margin_bp()?,
                revenue: l.revenue,
            })
        })
        .collect()
}

/// The matrix points of the `max` customers with the most revenue.
pub fn matrix_points(report: &Report, max: usize) -> Vec<MatrixPoint> {
    let customers = largest_by_revenue(report.lines.column(LineKey::Revenue), max);
    matrix_points_of(report, &customers)
}

/// The customers of one quadrant, with their revenue and net profit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuadrantSummary {
    pub quadrant: Quadrant,
    pub customers: usize,
    pub revenue: Money,
    pub net_profit: Money,
}

impl Quadrant {
    /// Best first, "no revenue" last.
    pub const ALL: [Quadrant; 5] = [
        Quadrant::HighMarginLowCost,
        Quadrant::HighMarginHighCost,
        Quadrant::LowMarginLowCost,
        Quadrant::LowMarginHighCost,
        Quadrant::NoRevenue,
    ];
}

/// Every quadrant, in [`Quadrant::ALL`] order, with its customers' count, revenue and profit.
pub fn quadrant_summary(report: &Report) -> Vec<QuadrantSummary> {
    let mut out = Quadrant::ALL.map(|quadrant| QuadrantSummary {
        quadrant,
        customers: 0,
        revenue: Money::ZERO,
        net_profit: Money::ZERO,
    });
    let revenue = report.lines.column(LineKey::Revenue);
    let net = report.lines.column(LineKey::NetProfit);
    for (i, q) in report.quadrants.iter().enumerate() {
        let slot = &mut out[Quadrant::ALL.iter().position(|x| x == q).unwrap_or(4)];
        slot.customers += 1;
        slot.revenue += Money(revenue[i]);
        slot.net_profit += Money(net[i]);
    }
    out.to_vec()
}

/// What to do with a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    DevelopAndReward,
    Keep,
    Reprice,
    ReduceCostToServe,
    ScaleBackEffort,
    ConsiderEnding,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::DevelopAndReward,
        Action::Keep,
        Action::Reprice,
        Action::ReduceCostToServe,
        Action::ScaleBackEffort,
        Action::ConsiderEnding,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::DevelopAndReward => "develop_and_reward",
            Action::Keep => "keep",
            Action::Reprice => "reprice",
            Action::ReduceCostToServe => "reduce_cost_to_serve",
            Action::ScaleBackEffort => "scale_back_effort",
            Action::ConsiderEnding => "consider_ending",
        }
    }
}

/// The rule that chose an action, so the UI can say why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Profitable and among the top share of customers by net profit.
    TopByProfit,
    /// Profitable, but sales cost takes more than the set share of gross margin.
    SalesEffortExceedsShare,
    /// Profitable.
    Profitable,
    /// Loss-making on its own, but referral and advocacy value cover the loss.
    ReferralsCoverLoss,
    /// The loss is no more than this period's cost of winning the customer: a sunk cost, not
    /// a reason to end the relationship.
    AcquisitionCostOnly,
    /// Loss, after referral and advocacy value, beyond the set share of revenue.
    LossBeyondShare,
    /// Loss-making with a gross margin below the company's: the price is the problem.
    LowGrossMargin,
    /// Loss-making with a normal gross margin: serving it costs too much.
    HighCostToServe,
}

impl Rule {
    pub fn key(self) -> &'static str {
        match self {
            Rule::TopByProfit => "top_by_profit",
            Rule::SalesEffortExceedsShare => "sales_effort_exceeds_share",
            Rule::Profitable => "profitable",
            Rule::ReferralsCoverLoss => "referrals_cover_loss",
            Rule::AcquisitionCostOnly => "acquisition_cost_only",
            Rule::LossBeyondShare => "loss_beyond_share",
            Rule::LowGrossMargin => "low_gross_margin",
            Rule::HighCostToServe => "high_cost_to_serve",
        }
    }
}

fn share_micro(v: rust_decimal::Decimal) -> i64 {
    to_scaled(v, RATE_SCALE).unwrap_or(0)
}

/// A customer's value without this period's acquisition cost, which is sunk once paid.
fn ongoing(l: &Lines) -> i64 {
    l.total_value.0.saturating_add(l.acquisition.0)
}

/// Where the top customers by net profit end: the last one's profit and index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopCut {
    profit: i64,
    last: u32,
}

impl TopCut {
    /// No customer is in the top.
    const NONE: TopCut = TopCut {
        profit: i64::MAX,
        last: 0,
    };

    /// Whether customer `index`, with this net profit, is among the top customers.
    #[inline]
    pub fn contains(self, index: usize, net_profit: i64) -> bool {
        net_profit > self.profit || (net_profit == self.profit && index <= self.last as usize)
    }
}

/// The thresholds of the action rules, resolved once per recompute.
pub struct ActionContext {
    top_count: usize,
    company_gross_bp: i64,
    end_share: i64,
    scale_back_share: i64,
}

impl ActionContext {
    pub fn new(n: usize, totals: &Lines, rules: &ActionRules) -> ActionContext {
        ActionContext {
            top_count: mul_div_round(n as i64, share_micro(rules.top_share), 1_000_000).max(0)
                as usize,
            company_gross_bp: totals.gross_margin_bp().unwrap_or(0),
            end_share: share_micro(rules.end_loss_share),
            scale_back_share: share_micro(rules.scale_back_sales_share),
        }
    }

    /// The top customers by net profit (the first `top_count` of the whale order), as a test
    /// on a customer's profit and index instead of a list: the whale order puts higher profits
    /// first and equal profits in index order.
    pub fn top_cut(&self, whale: &Whale, net_profit: &[i64]) -> TopCut {
        match self
            .top_count
            .checked_sub(1)
            .and_then(|k| whale.order.get(k))
        {
            Some(&last) => TopCut {
                profit: net_profit[last as usize],
                last,
            },
            None if self.top_count == 0 => TopCut::NONE,
            // Asked for at least as many as there are customers: all of them.
            None => TopCut {
                profit: i64::MIN,
                last: u32::MAX,
            },
        }
    }

    /// The recommended action for one customer, and the rule that chose it. Referral and
    /// advocacy value are counted before a customer is ever marked "consider ending".
    #[inline]
    pub fn action_of(&self, l: &Lines, is_top: bool) -> (Action, Rule) {
        let net = l.net_profit.0;
        if net >= 0 {
            if net > 0 && is_top {
                (Action::DevelopAndReward, Rule::TopByProfit)
            } else if l.gross_margin.0 > 0
                && l.sales_cost.0
                    > mul_div_round(l.gross_margin.0, self.scale_back_share, 1_000_000)
            {
                (Action::ScaleBackEffort, Rule::SalesEffortExceedsShare)
            } else {
                (Action::Keep, Rule::Profitable)
            }
        } else if l.total_value.0 >= 0 {
            (Action::Keep, Rule::ReferralsCoverLoss)
        } else if ongoing(l) >= 0 {
            (Action::Keep, Rule::AcquisitionCostOnly)
        } else if -ongoing(l) > mul_div_round(l.revenue.0.max(0), self.end_share, 1_000_000) {
            (Action::ConsiderEnding, Rule::LossBeyondShare)
        } else if l.gross_margin_bp().unwrap_or(i64::MIN) < self.company_gross_bp {
            (Action::Reprice, Rule::LowGrossMargin)
        } else {
            (Action::ReduceCostToServe, Rule::HighCostToServe)
        }
    }
}

/// Recommended action per customer (see [`ActionContext::action_of`]).
pub fn actions(
    lines: &[Lines],
    totals: &Lines,
    whale: &Whale,
    rules: &ActionRules,
    out: &mut Vec<(Action, Rule)>,
) {
    let ctx = ActionContext::new(lines.len(), totals, rules);
    let net: Vec<i64> = lines.iter().map(|l| l.net_profit.0).collect();
    let top = ctx.top_cut(whale, &net);
    out.clear();
    out.extend(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| ctx.action_of(l, top.contains(i, l.net_profit.0))),
    );
}

/// Whether a waterfall bar is a total standing on zero or a change from the running figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Total,
    Change,
}

/// One bar of a customer's waterfall: the running figure goes from `from` to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaterfallStep {
    pub line: LineKey,
    pub kind: StepKind,
    pub from: Money,
    pub to: Money,
}

/// From revenue to net profit to total value: revenue, less cost of goods, is gross margin;
/// less each part of cost to serve, net profit; plus referral value and advocacy, total value.
/// The totals are the customer's own lines, so a change's bars end exactly where the next
/// total stands.
pub fn waterfall(l: &Lines) -> Vec<WaterfallStep> {
    let mut steps = Vec::with_capacity(16);
    let mut running = Money::ZERO;
    let total = |steps: &mut Vec<WaterfallStep>, line: LineKey, running: &mut Money| {
        *running = l.get(line);
        steps.push(WaterfallStep {
            line,
            kind: StepKind::Total,
            from: Money::ZERO,
            to: *running,
        });
    };
    let change =
        |steps: &mut Vec<WaterfallStep>, line: LineKey, delta: Money, running: &mut Money| {
            let from = *running;
            *running = from + delta;
            steps.push(WaterfallStep {
                line,
                kind: StepKind::Change,
                from,
                to: *running,
            });
        };
    total(&mut steps, LineKey::Revenue, &mut running);
    change(&mut steps, LineKey::Cogs, -l.cogs, &mut running);
    total(&mut steps, LineKey::GrossMargin, &mut running);
    for part in LineKey::COST_TO_SERVE_PARTS {
        change(&mut steps, part, -l.get(part), &mut running);
    }
    total(&mut steps, LineKey::NetProfit, &mut running);
    change(
        &mut steps,
        LineKey::ReferralValue,
        l.referral_value,
        &mut running,
    );
    change(&mut steps, LineKey::Advocacy, l.advocacy, &mut running);
    total(&mut steps, LineKey::TotalValue, &mut running);
    steps
}

/// One row of a pivot: the customers sharing one attribute value, and their summed lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PivotRow {
    pub value: String,
    pub customers: usize,
    pub unprofitable: usize,
    pub lines: Lines,
}

/// The P&L by the values of one customer attribute (segment, region, rep...). The rows add up
/// to the report's totals. `None` when the model has no such attribute.
pub fn pivot(model: &Model, report: &Report, attribute: &str) -> Option<Vec<PivotRow>> {
    let col = model.attribute(attribute)?;
    let mut rows: Vec<PivotRow> = col
        .values
        .iter()
        .map(|v| PivotRow {
            value: v.clone(),
            customers: 0,
            unprofitable: 0,
            lines: Lines::default(),
        })
        .collect();
    for (i, l) in report.lines.iter().enumerate() {
        let row = &mut rows[col.codes[i] as usize];
        row.customers += 1;
        row.unprofitable += usize::from(l.net_profit.is_negative());
        row.lines.accumulate(&l);
    }
    rows.sort_by(|a, b| {
        b.lines
            .net_profit
            .cmp(&a.lines.net_profit)
            .then(a.value.cmp(&b.value))
    });
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn rules() -> ActionRules {
        ActionRules {
            top_share: Decimal::ZERO,
            end_loss_share: Decimal::new(20, 2),
            scale_back_sales_share: Decimal::new(50, 2),
        }
    }

    fn customer(revenue: i64, gross: i64, acquisition: i64, net: i64) -> Lines {
        Lines {
            revenue: Money(revenue),
            gross_margin: Money(gross),
            acquisition: Money(acquisition),
            net_profit: Money(net),
            total_value: Money(net),
            ..Lines::default()
        }
    }

    #[test]
    fn quadrants_compare_shares_exactly_in_64_or_128_bits() {
        let with_cost = |revenue: i64, net: i64, cost: i64| Lines {
            cost_to_serve: Money(cost),
            ..customer(revenue, 0, 0, net)
        };
        // The company: margin 1,000 / 10,000 = 10%, cost to serve 2,000 / 10,000 = 20%.
        let company = Splits::of(&with_cost(10_000, 1_000, 2_000));
        // 10% exactly is high margin (at or above); 20% exactly is not high cost (above).
        assert_eq!(
            company.quadrant_of(&with_cost(500, 50, 100)),
            Quadrant::HighMarginLowCost
        );
        assert_eq!(
            company.quadrant_of(&with_cost(500, 49, 101)),
            Quadrant::LowMarginHighCost
        );
        assert_eq!(
            company.quadrant_of(&with_cost(0, 5, 5)),
            Quadrant::NoRevenue
        );
        // Products past 64 bits: a company of 9 x 10^15 cents against a customer's 10^6 cents
        // of profit on 10^7 revenue (10% against the company's 10%, 20% cost against 20%).
        let big = Splits::of(&with_cost(
            9_000_000_000_000_000,
            900_000_000_000_000,
            1_800_000_000_000_000,
        ));
        assert_eq!(
            big.quadrant_of(&with_cost(10_000_000, 1_000_000, 2_000_000)),
            Quadrant::HighMarginLowCost
        );
        assert_eq!(
            big.quadrant_of(&with_cost(10_000_000, 999_999, 2_000_001)),
            Quadrant::LowMarginHighCost
        );
    }

    #[test]
    fn curve_points_and_deciles_by_hand() {
        // Profits 5, -3, 5, 0, -3, 7, 1, 2, -1, 4 (customers 0..9). Most profitable first:
        // 5 (7), 0 (5), 2 (5), 9 (4), 7 (2), 6 (1), 3 (0), 8 (-1), 1 (-3), 4 (-3); cumulative
        // 7, 12, 17, 21, 23, 24, 24, 23, 20, 17. Peak 24 after 6 customers.
        let profits = [5, -3, 5, 0, -3, 7, 1, 2, -1, 4];
        let mut w = Whale::default();
        w.recompute(&profits, &mut SortBuffers::default());
        assert_eq!(w.order, vec![5, 0, 2, 9, 7, 6, 3, 8, 1, 4]);
        assert_eq!(w.peak_customers, 6);
        let at = |customers: usize, customer: u32, cumulative: i64| CurvePoint {
            customers,
            customer,
            cumulative: Money(cumulative),
        };
        // Four points asked for: every third customer (10 / 4 rounded up), the peak and the
        // last.
        assert_eq!(
            w.curve(4),
            vec![
                at(1, 5, 7),
                at(4, 9, 21),
                at(6, 6, 24),
                at(7, 3, 24),
                at(10, 4, 17)
            ]
        );
        // Ten customers: each tenth is one more customer.
        let deciles = w.deciles();
        assert_eq!(deciles.len(), 10);
        assert_eq!(deciles[0], at(1, 5, 7));
        assert_eq!(deciles[5], at(6, 6, 24));
        assert_eq!(deciles[9], at(10, 4, 17));
    }

    #[test]
    fn chart_ticks_are_round_steps() {
        // 3,000,000.00 in four steps is 750,000.00 a step: rounded up to 1,000,000.00.
        assert_eq!(tick_step(300_000_000, 4), 100_000_000);
        // 6,000.00 in four: 1,500.00, rounded up to 2,000.00.
        assert_eq!(tick_step(600_000, 4), 200_000);
        // Nothing to span: one currency unit.
        assert_eq!(tick_step(0, 4), 100);
        assert_eq!(tick_step(i64::MAX, 4), i64::MAX / 4);
    }

    #[test]
    fn waterfall_by_hand() {
        // Revenue 1,000.00, cost of goods 600.00: gross margin 400.00. Commission 30.00 and
        // service cost 120.50 leave 249.50; referral value 10.00 and advocacy 5.00 make 264.50.
        let l = Lines {
            revenue: Money(100_000),
            cogs: Money(60_000),
            gross_margin: Money(40_000),
            commission: Money(3_000),
            service_cost: Money(12_050),
            cost_to_serve: Money(15_050),
            net_profit: Money(24_950),
            referral_value: Money(1_000),
            advocacy: Money(500),
            total_value: Money(26_450),
            ..Lines::default()
        };
        let steps = waterfall(&l);
        let bar = |line: LineKey| *steps.iter().find(|s| s.line == line).unwrap();
        let (m, total, change) = (Money, StepKind::Total, StepKind::Change);
        let step = |line, kind, from, to| WaterfallStep {
            line,
            kind,
            from: m(from),
            to: m(to),
        };
        assert_eq!(steps.len(), 15);
        assert_eq!(
            bar(LineKey::Revenue),
            step(LineKey::Revenue, total, 0, 100_000)
        );
        assert_eq!(
            bar(LineKey::Cogs),
            step(LineKey::Cogs, change, 100_000, 40_000)
        );
        assert_eq!(
            bar(LineKey::GrossMargin),
            step(LineKey::GrossMargin, total, 0, 40_000)
        );
        assert_eq!(
            bar(LineKey::Commission),
            step(LineKey::Commission, change, 40_000, 37_000)
        );
        // The parts without cost are bars of no height where the running figure stands.
        assert_eq!(
            bar(LineKey::SalesCost),
            step(LineKey::SalesCost, change, 37_000, 37_000)
        );
        assert_eq!(
            bar(LineKey::ServiceCost),
            step(LineKey::ServiceCost, change, 37_000, 24_950)
        );
        assert_eq!(
            bar(LineKey::BadDebt),
            step(LineKey::BadDebt, change, 24_950, 24_950)
        );
        assert_eq!(
            bar(LineKey::NetProfit),
            step(LineKey::NetProfit, total, 0, 24_950)
        );
        assert_eq!(
            bar(LineKey::Advocacy),
            step(LineKey::Advocacy, change, 25_950, 26_450)
        );
        assert_eq!(
            bar(LineKey::TotalValue),
            step(LineKey::TotalValue, total, 0, 26_450)
        );
    }

    #[test]
    fn the_sort_puts_the_highest_profit_first_and_ties_in_index_order() {
        // A narrow spread sorts packed keys; profits at the ends of i64 are too wide to share
        // 64 bits with an index and take the comparison sort. Same order either way.
        let cases = [
            (vec![5, -3, 5, 0, -3, 7], vec![5, 0, 2, 3, 1, 4]),
            (
                vec![i64::MAX, i64::MIN, 0, i64::MAX, -1, i64::MIN],
                vec![0, 3, 2, 4, 1, 5],
            ),
        ];
        for (profits, want) in cases {
            let mut order = Vec::new();
            let mut buf = SortBuffers::default();
            sort_descending(&profits, &mut order, &mut buf);
            assert_eq!(order, want);
            let sorted: Vec<i64> = want.iter().map(|&i| profits[i as usize]).collect();
            assert_eq!(buf.sorted, sorted);
        }
    }

    #[test]
    fn a_loss_from_winning_the_customer_is_not_a_reason_to_end_it() {
        // Revenue 2,000, gross 800; won this period for 1,000: net -200. Without the sunk
        // acquisition cost it earns 800, so keep it. The second customer loses 1,000 with
        // nothing to show: beyond 20% of its 2,000 revenue, so consider ending.
        let lines = [
            customer(200_000, 80_000, 100_000, -20_000),
            customer(200_000, 80_000, 0, -100_000),
        ];
        let mut totals = Lines::default();
        for l in &lines {
            totals.accumulate(l);
        }
        let mut out = Vec::new();
        actions(&lines, &totals, &whale(&lines), &rules(), &mut out);
        assert_eq!(
            out,
            vec![
                (Action::Keep, Rule::AcquisitionCostOnly),
                (Action::ConsiderEnding, Rule::LossBeyondShare)
            ]
        );
    }
}
