//! Views over a computed report: the whale curve (Cooper and Kaplan), the profitability
//! matrix (Shapiro et al.), recommended actions, and pivots by a customer attribute.

use crate::assumptions::ActionRules;
use crate::compute::{ratio_bp, LineKey, Lines, Report};
use crate::drivers::Model;
use crate::money::{mul_div_round, to_scaled, Money, RATE_ONE, RATE_SCALE};
use serde::{Deserialize, Serialize};

/// The whale curve: customers sorted by net profit, highest first, and cumulative profit. The
/// summary and the points drawn are computed on every recompute without sorting every
/// customer (see [`select_ranks`]); the whole order, for exports and the chart's readout of any
/// customer, is [`WhaleOrder`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Whale {
    /// Customers on the curve.
    pub customers: usize,
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
    /// The most points [`Whale::curve`] gives.
    max_points: usize,
    /// The curve at every rank the views read (the drawn points, the deciles, the peak and
    /// any asked for), in rank order.
    points: Vec<CurvePoint>,
}

/// Every customer in whale-curve order, with the cumulative profit after each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhaleOrder {
    /// Customer indices, most profitable first (ties by index, so the order is stable).
    pub order: Vec<u32>,
    /// Cumulative net profit after each customer of `order`, in cents, saturating.
    pub cumulative: Vec<i64>,
}

impl WhaleOrder {
    pub fn of(profits: &[i64]) -> WhaleOrder {
        let mut buf = SortBuffers::default();
        let mut order = Vec::new();
        sort_descending(profits, &mut order, &mut buf);
        let mut running = 0i64;
        let cumulative = buf
            .sorted
            .iter()
            .map(|&p| {
                running = running.saturating_add(p);
                running
            })
            .collect();
        WhaleOrder { order, cumulative }
    }
}

/// Working memory of [`sort_descending`] (24 MB for a million customers), which a caller
/// sorting again and again (the customer table) keeps instead of allocating it afresh.
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

/// The points drawn of the whale curve: enough for a smooth curve at any width.
pub const CURVE_POINTS: usize = 360;

/// The ranks (customers counted from the most profitable, 1 or more) of a curve of at most
/// about `max_points` points over `n` customers, evenly spread, with the first and the last.
fn curve_ranks(n: usize, max_points: usize) -> impl Iterator<Item = usize> {
    let step = n.div_ceil(max_points.max(2)).max(1);
    (1..=n).step_by(step).chain((n > 0).then_some(n))
}

/// The ranks after each tenth of `n` customers, rounded up.
fn decile_ranks(n: usize) -> impl Iterator<Item = usize> {
    (1..=10)
        .map(move |k| (n * k).div_ceil(10))
        .filter(|&k| k > 0)
}

/// The sums and extremes of customers' profits that the whale curve's summary reads.
#[derive(Debug, PartialEq)]
struct ProfitSums {
    total: i64,
    gains: i64,
    losses: i64,
    gainers: usize,
    lowest: i64,
    highest: i64,
}

/// `a + b`, saturating at the i64 limits unless `PLAIN`: then a plain addition, for callers
/// that know their figures cannot overflow (checked once for a whole column, so that a loop
/// over a million figures has no saturation test in it).
#[inline(always)]
fn add_saturating_unless<const PLAIN: bool>(a: i64, b: i64) -> i64 {
    if PLAIN {
        a + b
    } else {
        a.saturating_add(b)
    }
}

impl ProfitSums {
    /// In one pass, without a branch on the sign: profits and losses mixed at random would
    /// mispredict it for a good share of a million customers. `PLAIN` adds without saturating,
    /// for profits whose count times largest magnitude is within i64 (no sum can overflow).
    #[inline(always)]
    fn of<const PLAIN: bool>(profits: &[i64]) -> ProfitSums {
        let add = add_saturating_unless::<PLAIN>;
        let mut sums = ProfitSums {
            total: 0,
            gains: 0,
            losses: 0,
            gainers: 0,
            lowest: i64::MAX,
            highest: i64::MIN,
        };
        for &p in profits {
            sums.total = add(sums.total, p);
            sums.gains = add(sums.gains, p.max(0));
            sums.losses = add(sums.losses, p.min(0));
            sums.gainers += usize::from(p > 0);
            sums.lowest = sums.lowest.min(p);
            sums.highest = sums.highest.max(p);
        }
        sums
    }
}

impl Whale {
    /// Recomputes the curve from each customer's net profit (in cents): the summary, and the
    /// points at the ranks of a curve of `max_points`, the deciles, the peak and `ranks`.
    /// `bound` is at least every profit's magnitude (`u64::MAX` when not known).
    pub fn recompute(
        &mut self,
        profits: &[i64],
        bound: u64,
        max_points: usize,
        ranks: &[usize],
        buf: &mut SelectBuffers,
    ) {
        let n = profits.len();
        // Sorted most profitable first, the running sum rises while profits are positive and
        // falls after: the peak is the sum of the positive profits, reached after the last
        // of them. Summed with plain additions when no sum can pass the i64 limits: a
        // saturating addition is several instructions in WebAssembly, and three of them for
        // each customer cost 4 to 7 ms of a recompute at a million customers in V8.
        let ProfitSums {
            total,
            gains,
            losses,
            gainers,
            lowest,
            highest,
        } = if u128::from(bound) * n as u128 <= i64::MAX as u128 {
            ProfitSums::of::<true>(profits)
        } else {
            ProfitSums::of::<false>(profits)
        };
        self.customers = n;
        self.total_profit = Money(total);
        self.peak_customers = gainers;
        self.peak_profit = Money(gains);
        self.peak_bp = ratio_bp(Money(gains), Money(total));
        self.past_peak_bp = if n == 0 {
            0
        } else {
            mul_div_round((n - gainers) as i64, 10_000, n as i64)
        };
        self.tail_loss = Money(losses);
        self.max_points = max_points;
        let mut wanted: Vec<usize> = curve_ranks(n, max_points)
            .chain(decile_ranks(n))
            .chain((gainers > 0).then_some(gainers))
            .chain(ranks.iter().copied().filter(|&k| (1..=n).contains(&k)))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        if n > 0 {
            select_ranks_within(profits, (lowest, highest), &wanted, buf, &mut self.points);
        } else {
            self.points.clear();
        }
    }

    /// The curve after the top `customers` customers, when it is one of the ranks computed.
    pub fn at(&self, customers: usize) -> Option<CurvePoint> {
        self.points
            .binary_search_by_key(&customers, |p| p.customers)
            .ok()
            .map(|i| self.points[i])
    }

    fn at_ranks(&self, ranks: impl Iterator<Item = usize>) -> Vec<CurvePoint> {
        let mut out: Vec<CurvePoint> = ranks.filter_map(|k| self.at(k)).collect();
        out.dedup();
        out
    }

    /// The curve as drawn: at most about `max_points` points (as recomputed), evenly spread
    /// over the customers, always with the first customer, the peak and the last.
    pub fn curve(&self) -> Vec<CurvePoint> {
        let n = self.customers;
        let mut ranks: Vec<usize> = curve_ranks(n, self.max_points).collect();
        if self.peak_customers > 0 {
            ranks.push(self.peak_customers);
        }
        ranks.sort_unstable();
        self.at_ranks(ranks.into_iter())
    }

    /// The curve after each tenth of the customers (rounded up), for the chart's table.
    pub fn deciles(&self) -> Vec<CurvePoint> {
        self.at_ranks(decile_ranks(self.customers))
    }

    /// The lowest point of the curve, zero included: the curve rises then falls, so it is at
    /// one of its ends.
    pub fn lowest(&self) -> i64 {
        let first = self.at(1).map_or(0, |p| p.cumulative.0);
        first.min(self.total_profit.0).min(0)
    }

    /// At most about `max_points` points (x = share of customers, y = cumulative profit as a
    /// share of total profit), starting at the origin. Chart geometry only.
    pub fn points(&self) -> Vec<(f64, f64)> {
        let n = self.customers;
        if n == 0 || self.total_profit.0 == 0 {
            return Vec::new();
        }
        let total = self.total_profit.0 as f64;
        let mut pts = vec![(0.0, 0.0)];
        pts.extend(
            self.curve()
                .into_iter()
                .map(|p| (p.customers as f64 / n as f64, p.cumulative.0 as f64 / total)),
        );
        pts
    }
}

/// Working memory of [`select_ranks`], kept from one recompute to the next.
#[derive(Clone, Debug, Default)]
pub struct SelectBuffers {
    counts: Vec<u32>,
    sums: Vec<i64>,
    grouped: Vec<u64>,
}

/// Buckets of one histogram at most: 2^14 counts and sums (192 KB) stay in the processor's
/// second-level cache.
const SELECT_BITS: u32 = 14;
/// Groups this small are sorted; larger ones are split again by their next bits.
const SELECT_SORT_BELOW: usize = 512;

/// The curve at each of `ranks` (ascending, each in 1..=n), into `out`: the customer at that
/// rank of [`sort_descending`]'s order and the cumulative profit after it, exactly as the
/// whole order gives them.
///
/// Sorting a million customers to read a few hundred ranks does far more than needed. Each
/// customer is a 64-bit key as in [`sort_descending`] (distance below the highest profit, then
/// index), so the order is the keys' order. One pass counts the keys, and sums their
/// profits, by their top bits (up to 14); the buckets holding a wanted rank are known from the
/// counts, and a second pass gathers only their keys. A small bucket is sorted; a large one (many
/// customers with nearly the same profit) is split again by its next bits. Two passes over
/// the profits instead of a sort's ten, and the same answer. Profits whose sum could overflow,
/// or whose keys do not fit 64 bits, take the whole sort.
pub fn select_ranks(
    profits: &[i64],
    ranks: &[usize],
    buf: &mut SelectBuffers,
    out: &mut Vec<CurvePoint>,
) {
    out.clear();
    if let (Some(&max), Some(&min)) = (profits.iter().max(), profits.iter().min()) {
        select_ranks_within(profits, (min, max), ranks, buf, out);
    }
}

/// [`select_ranks`] for profits whose lowest and highest are known (and `profits` not empty).
fn select_ranks_within(
    profits: &[i64],
    (min, max): (i64, i64),
    ranks: &[usize],
    buf: &mut SelectBuffers,
    out: &mut Vec<CurvePoint>,
) {
    out.clear();
    let n = profits.len();
    let index_bits = u64::BITS - (n.saturating_sub(1) as u64).leading_zeros();
    let key_bits = index_bits + (u64::BITS - (max.wrapping_sub(min) as u64).leading_zeros());
    let largest = max.unsigned_abs().max(min.unsigned_abs()) as u128;
    if key_bits > u64::BITS || largest * n as u128 > i64::MAX as u128 {
        let whole = WhaleOrder::of(profits);
        out.extend(ranks.iter().map(|&k| CurvePoint {
            customers: k,
            customer: whole.order[k - 1],
            cumulative: Money(whole.cumulative[k - 1]),
        }));
        return;
    }
    // No sum below can overflow: every partial sum is at most n x the largest magnitude.
    let codec = KeyCodec { max, index_bits };
    let keys = ProfitKeys { profits, codec };
    let group = Group {
        key_bits,
        before: 0,
        before_sum: 0,
    };
    group.select(&keys, codec, ranks, buf, &mut |rank, key, cumulative| {
        out.push(CurvePoint {
            customers: rank,
            customer: codec.customer(key),
            cumulative: Money(cumulative),
        })
    });
}

/// A customer's whale-order key: its distance below the highest profit, then its index.
#[derive(Clone, Copy)]
struct KeyCodec {
    max: i64,
    index_bits: u32,
}

impl KeyCodec {
    #[inline(always)]
    fn key(self, index: usize, profit: i64) -> u64 {
        (self.max.wrapping_sub(profit) as u64) << self.index_bits | index as u64
    }
    #[inline(always)]
    fn profit(self, key: u64) -> i64 {
        self.max.wrapping_sub((key >> self.index_bits) as i64)
    }
    fn customer(self, key: u64) -> u32 {
        (key & ((1u64 << self.index_bits) - 1)) as u32
    }
}

/// Keys to select among: every customer's (made from its profit), or a gathered group's.
trait Keys {
    fn len(&self) -> usize;
    fn key(&self, i: usize) -> u64;
}

struct ProfitKeys<'a> {
    profits: &'a [i64],
    codec: KeyCodec,
}

impl Keys for ProfitKeys<'_> {
    fn len(&self) -> usize {
        self.profits.len()
    }
    #[inline(always)]
    fn key(&self, i: usize) -> u64 {
        self.codec.key(i, self.profits[i])
    }
}

impl Keys for [u64] {
    fn len(&self) -> usize {
        <[u64]>::len(self)
    }
    #[inline(always)]
    fn key(&self, i: usize) -> u64 {
        self[i]
    }
}

/// Keys whose bits above `key_bits` are all equal, with `before` keys and `before_sum` of
/// profit ahead of them in the whole order.
struct Group {
    key_bits: u32,
    before: usize,
    before_sum: i64,
}

/// A bucket holding at least one wanted rank.
struct Wanted {
    bucket: usize,
    count: usize,
    /// Where its keys start in the gathered keys.
    offset: usize,
    /// Its keys and their profit ahead of it, in the whole order.
    group: Group,
    /// Its ranks, as positions in the ranks asked for.
    ranks: std::ops::Range<usize>,
}

impl Group {
    /// Calls `found(rank overall, key, cumulative profit)` for each of `ranks` (1-based within
    /// this group, ascending).
    fn select<K: Keys + ?Sized>(
        &self,
        keys: &K,
        codec: KeyCodec,
        ranks: &[usize],
        buf: &mut SelectBuffers,
        found: &mut dyn FnMut(usize, u64, i64),
    ) {
        let len = keys.len();
        if ranks.is_empty() {
            return;
        }
        if len < SELECT_SORT_BELOW || self.key_bits == 0 {
            let mut sorted: Vec<u64> = (0..len).map(|i| keys.key(i)).collect();
            sorted.sort_unstable();
            let (mut k, mut sum) = (0, self.before_sum);
            for &rank in ranks {
                while k < rank {
                    sum += codec.profit(sorted[k]);
                    k += 1;
                }
                found(self.before + rank, sorted[rank - 1], sum);
            }
            return;
        }
        // About eight keys a bucket, at most 2^14 buckets: buckets to clear and scan cost
        // time too, and fewer of them stay in a nearer cache.
        let for_len = (usize::BITS - len.leading_zeros()).saturating_sub(3).max(8);
        let bits = self.key_bits.min(SELECT_BITS).min(for_len);
        let shift = self.key_bits - bits;
        let mask = (1u64 << bits) - 1;
        let bucket = |key: u64| ((key >> shift) & mask) as usize;
        let buckets = 1usize << bits;
        // Count and sum every key by bucket.
        let mut counts = std::mem::take(&mut buf.counts);
        let mut sums = std::mem::take(&mut buf.sums);
        counts.clear();
        counts.resize(buckets, 0);
        sums.clear();
        sums.resize(buckets, 0);
        for i in 0..len {
            let key = keys.key(i);
            let b = bucket(key);
            counts[b] += 1;
            sums[b] += codec.profit(key);
        }
        // The buckets holding a wanted rank, each with what comes ahead of it and where its
        // keys will go once gathered.
        let mut wanted: Vec<Wanted> = Vec::new();
        let (mut seen, mut seen_sum, mut r) = (0usize, self.before_sum, 0);
        for (b, (&count, &sum)) in counts.iter().zip(&sums).enumerate() {
            let count = count as usize;
            let first = r;
            while r < ranks.len() && ranks[r] <= seen + count {
                r += 1;
            }
            if r > first {
                let offset = wanted.last().map_or(0, |w| w.offset + w.count);
                wanted.push(Wanted {
                    bucket: b,
                    count,
                    offset,
                    group: Group {
                        key_bits: shift,
                        before: self.before + seen,
                        before_sum: seen_sum,
                    },
                    ranks: first..r,
                });
                if r == ranks.len() {
                    break;
                }
            }
            seen += count;
            seen_sum += sum;
        }
        // Each bucket's slot in `wanted`, kept in the counts (no longer needed as counts).
        counts.fill(u32::MAX);
        for (slot, w) in wanted.iter().enumerate() {
            counts[w.bucket] = slot as u32;
        }
        // Gather the wanted buckets' keys, grouped by bucket.
        let total = wanted.last().map_or(0, |w| w.offset + w.count);
        let mut grouped = std::mem::take(&mut buf.grouped);
        grouped.clear();
        grouped.resize(total, 0);
        let mut next: Vec<usize> = wanted.iter().map(|w| w.offset).collect();
        for i in 0..len {
            let key = keys.key(i);
            let slot = counts[bucket(key)];
            if slot != u32::MAX {
                grouped[next[slot as usize]] = key;
                next[slot as usize] += 1;
            }
        }
        buf.counts = counts;
        buf.sums = sums;
        let mut within = Vec::new();
        for w in &wanted {
            let seen = w.group.before - self.before;
            within.clear();
            within.extend(ranks[w.ranks.clone()].iter().map(|&rank| rank - seen));
            let group: &[u64] = &grouped[w.offset..w.offset + w.count];
            w.group.select(group, codec, &within, buf, found);
        }
        buf.grouped = grouped;
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
    /// The quadrant of a customer with revenue, from its two comparisons with the company.
    /// A table, not branches: the branch-free decision indexes it.
    #[inline(always)]
    fn by_margin_and_cost(high_margin: bool, high_cost: bool) -> Quadrant {
        const BY_MARGIN_AND_COST: [Quadrant; 4] = [
            Quadrant::LowMarginLowCost,
            Quadrant::LowMarginHighCost,
            Quadrant::HighMarginLowCost,
            Quadrant::HighMarginHighCost,
        ];
        BY_MARGIN_AND_COST[usize::from(high_margin) << 1 | usize::from(high_cost)]
    }

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
    /// The company's revenue, net profit and cost to serve; a company without positive
    /// revenue splits at zero, as the shares 0 / 1.
    revenue: i64,
    net_profit: i64,
    cost_to_serve: i64,
    /// A customer figure up to this magnitude times any of the company's three fits in 64
    /// bits, so its shares compare with plain multiplications.
    small: u64,
    /// Whether the company's three figures are exact as floating-point numbers.
    exact_in_f64: bool,
}

/// Integers up to this magnitude are exact as `f64`.
const EXACT_IN_F64: u64 = 1 << 53;

/// Whether `a > b`, and whether that answer is certain, for `a` and `b` each the
/// floating-point product of two integers that `f64` holds exactly. Each is then the exact
/// product rounded once, and rounding never reverses an order: exact products `x <= y` round
/// to `a <= b`. So `a > b` proves `x > y`, and `a < b` proves `x < y`; only `a == b` (a tie, or
/// a difference below the products' precision) leaves the order to an exact comparison.
#[inline(always)]
fn screened_greater(a: f64, b: f64) -> (bool, bool) {
    (a > b, a != b)
}

impl Splits {
    pub fn of(totals: &Lines) -> Splits {
        let (revenue, net_profit, cost_to_serve) = match totals.revenue.0 {
            revenue if revenue > 0 => (revenue, totals.net_profit.0, totals.cost_to_serve.0),
            // part / revenue against 0 / 1: the customer's part against zero.
            _ => (1, 0, 0),
        };
        let company = revenue
            .unsigned_abs()
            .max(net_profit.unsigned_abs())
            .max(cost_to_serve.unsigned_abs());
        Splits {
            revenue,
            net_profit,
            cost_to_serve,
            small: i64::MAX as u64 / company,
            exact_in_f64: company <= EXACT_IN_F64,
        }
    }

    /// Whether [`Splits::quadrant_screened`] holds for customers whose revenue, net profit
    /// and cost to serve are all within `bound` in magnitude: every figure, the customer's
    /// and the company's, is exact as a floating-point number.
    pub fn screened_for(&self, bound: u64) -> bool {
        bound <= EXACT_IN_F64 && self.exact_in_f64
    }

    /// [`Splits::quadrant_of`], decided in floating point where that is certain and exactly
    /// otherwise, for customers within a bound that [`Splits::screened_for`] accepts.
    ///
    /// Each customer's shares are compared with the company's by two cross products, which
    /// pass 64 bits for a company of any size (a company's revenue of 10^12 cents times a
    /// customer's 10^7). 128-bit multiplication is a software routine in WebAssembly; over a
    /// million customers on every slider move it took a quarter of the recompute. Floating
    /// point multiplies in one instruction, and rounds without reversing an order (see
    /// [`screened_greater`]): only a customer whose share is within about one part in 10^16
    /// of the company's, a tie above all, takes the exact comparison.
    #[inline(always)]
    pub fn quadrant_screened(&self, f: Figures) -> Quadrant {
        let (revenue, company_revenue) = (f.revenue as f64, self.revenue as f64);
        let (high_margin, margin_certain) = screened_greater(
            f.net_profit as f64 * company_revenue,
            self.net_profit as f64 * revenue,
        );
        let (high_cost, cost_certain) = screened_greater(
            f.cost_to_serve as f64 * company_revenue,
            self.cost_to_serve as f64 * revenue,
        );
        if f.revenue <= 0 {
            Quadrant::NoRevenue
        } else if margin_certain & cost_certain {
            Quadrant::by_margin_and_cost(high_margin, high_cost)
        } else {
            self.quadrant_of(f)
        }
    }

    /// A customer's quadrant. Its shares are compared with the company's exactly, by cross
    /// multiplication: no rounding, and no division (a slow instruction, run twice for each of
    /// a million customers on every slider move).
    #[inline]
    pub fn quadrant_of(&self, f: Figures) -> Quadrant {
        let revenue = f.revenue;
        if revenue <= 0 {
            return Quadrant::NoRevenue;
        }
        // part / revenue against company_part / company_revenue, both revenues positive.
        let against = |part: i64, company_part: i64| {
            // In 64 bits when both products fit, decided by magnitudes: 128-bit multiplication,
            // and even a checked 64-bit one, is a software routine in WebAssembly.
            if part.unsigned_abs().max(revenue.unsigned_abs()) <= self.small {
                (part * self.revenue).cmp(&(company_part * revenue))
            } else {
                (part as i128 * self.revenue as i128).cmp(&(company_part as i128 * revenue as i128))
            }
        };
        let high_margin = against(f.net_profit, self.net_profit).is_ge();
        let high_cost = against(f.cost_to_serve, self.cost_to_serve).is_gt();
        Quadrant::by_margin_and_cost(high_margin, high_cost)
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

/// The figures of one customer that its quadrant and action read, by value: the recompute
/// decides them for every customer, and a struct of all sixteen lines built for each would be
/// written to memory and read back in WebAssembly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub revenue: i64,
    pub gross_margin: i64,
    pub sales_cost: i64,
    pub acquisition: i64,
    pub cost_to_serve: i64,
    pub net_profit: i64,
    pub total_value: i64,
}

impl Figures {
    pub fn of(l: &Lines) -> Figures {
        Figures {
            revenue: l.revenue.0,
            gross_margin: l.gross_margin.0,
            sales_cost: l.sales_cost.0,
            acquisition: l.acquisition.0,
            cost_to_serve: l.cost_to_serve.0,
            net_profit: l.net_profit.0,
            total_value: l.total_value.0,
        }
    }
}

/// Whether `part > whole x share`, the product rounded to the cent half away from zero as
/// [`mul_div_round`] does (share in millionths, `whole >= 0`, `share >= 0`). Without a
/// division when the figures are small enough, which they are for any real company: for an
/// integer `part`, `part > round(y / D)` exactly when `part x D > y + D / 2`. `SMALL` says the
/// caller knows they are (see [`ActionContext::small_for`]), so they are not checked.
#[inline(always)]
fn exceeds_share<const SMALL: bool>(part: i64, whole: i64, share: i64) -> bool {
    const D: i64 = RATE_ONE;
    // part x D and whole x share + D / 2 both stay below i64::MAX.
    const LIMIT: u64 = 9_000_000_000_000;
    if SMALL
        || (part.unsigned_abs() <= LIMIT
            && whole.unsigned_abs() <= LIMIT
            && (0..=D).contains(&share))
    {
        part * D > whole * share + D / 2
    } else {
        part > mul_div_round(whole, share, D)
    }
}

/// Whether a customer's gross margin, in basis points of its revenue rounded as [`ratio_bp`]
/// rounds them (half away from zero), is below `company_bp`; a customer without revenue has
/// none, which is below any company's. Without the division when the figures are small enough:
/// with v = gross x 10,000 / revenue and revenue > 0, round(v) < c exactly when
/// v < c - 1/2 (v >= 0, rounding up from a half) or v <= c - 1/2 (v < 0, rounding down from
/// one), that is when gross x 20,000 is below (or at) (2c - 1) x revenue. `SMALL` as for
/// [`exceeds_share`].
#[inline(always)]
fn gross_margin_below<const SMALL: bool>(gross: i64, revenue: i64, company_bp: i64) -> bool {
    // gross x 20,000 and (2c - 1) x revenue both stay below i64::MAX.
    if SMALL
        || (gross.unsigned_abs() <= SMALL_FIGURES
            && revenue.unsigned_abs() <= SMALL_FIGURES
            && company_bp.unsigned_abs() <= COMPANY_BP_LIMIT)
    {
        let (scaled, edge) = (gross * 20_000, (2 * company_bp - 1) * revenue);
        let below = if gross >= 0 {
            scaled < edge
        } else {
            scaled <= edge
        };
        // Selected, not branched on: both sides are already computed.
        if revenue > 0 {
            below
        } else {
            i64::MIN < company_bp
        }
    } else {
        ratio_bp(Money(gross), Money(revenue)).unwrap_or(i64::MIN) < company_bp
    }
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

/// Figures up to this many cents (11 billion in currency units, for one customer) may be
/// decided without checking the size of each product: see [`ActionContext::small_for`].
const SMALL_FIGURES: u64 = 1 << 40;
/// The company's gross margin, in basis points, up to which the same holds.
const COMPANY_BP_LIMIT: u64 = 1 << 20;

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
            top_count: mul_div_round(n as i64, share_micro(rules.top_share), RATE_ONE).max(0)
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
        match self.top_count {
            0 => TopCut::NONE,
            // Asked for at least as many as there are customers: all of them.
            k if k >= net_profit.len() => TopCut {
                profit: i64::MIN,
                last: u32::MAX,
            },
            k => {
                let last = whale
                    .at(k)
                    .expect("the whale curve was recomputed with the top rank")
                    .customer;
                TopCut {
                    profit: net_profit[last as usize],
                    last,
                }
            }
        }
    }

    /// The rank where the top customers end, for [`Whale::recompute`] to compute.
    pub fn top_rank(&self) -> usize {
        self.top_count
    }

    /// The recommended action for one customer, and the rule that chose it. Referral and
    /// advocacy value are counted before a customer is ever marked "consider ending".
    ///
    /// The rules apply in order (see [`DECISIONS`]). Every test is made for every customer and
    /// the answer looked up: the tests are a few multiplications, while branching on them, over
    /// a million customers where profitable and loss-making ones alternate at random,
    /// mispredicts for a good share of them.
    #[inline(always)]
    pub fn action_of(&self, f: Figures, is_top: bool) -> (Action, Rule) {
        self.action_with::<false>(f, is_top)
    }

    /// Whether every customer whose revenue, gross margin, sales cost, acquisition cost and
    /// total value are within `bound` in magnitude may be decided by
    /// [`ActionContext::action_of_small`]: `bound` is at most [`SMALL_FIGURES`], and the rules'
    /// shares and the company's gross margin are within their ranges. Then no test's product
    /// nor the value before acquisition cost can pass 2^63.
    pub fn small_for(&self, bound: u64) -> bool {
        bound <= SMALL_FIGURES
            && [self.scale_back_share, self.end_share]
                .iter()
                .all(|share| (0..=RATE_ONE).contains(share))
            && self.company_gross_bp.unsigned_abs() <= COMPANY_BP_LIMIT
    }

    /// [`ActionContext::action_of`] for a customer within a bound that
    /// [`ActionContext::small_for`] accepts: the same tests, without checking the size of each
    /// product first or saturating a sum (the checks were a quarter of deciding a customer's
    /// quadrant and action in WebAssembly).
    #[inline(always)]
    pub fn action_of_small(&self, f: Figures, is_top: bool) -> (Action, Rule) {
        self.action_with::<true>(f, is_top)
    }

    #[inline(always)]
    fn action_with<const SMALL: bool>(&self, f: Figures, is_top: bool) -> (Action, Rule) {
        let net = f.net_profit;
        // The value without this period's acquisition cost, which is sunk once paid.
        let ongoing = add_saturating_unless::<SMALL>(f.total_value, f.acquisition);
        let loss = if SMALL {
            -ongoing
        } else {
            ongoing.saturating_neg()
        };
        let tests = [
            net >= 0,
            // `&`, not `&&`: both sides are cheap, and a short cut would be a branch.
            (net > 0) & is_top,
            (f.gross_margin > 0)
                & exceeds_share::<SMALL>(f.sales_cost, f.gross_margin, self.scale_back_share),
            f.total_value >= 0,
            ongoing >= 0,
            exceeds_share::<SMALL>(loss, f.revenue.max(0), self.end_share),
            gross_margin_below::<SMALL>(f.gross_margin, f.revenue, self.company_gross_bp),
        ];
        let index = tests.iter().enumerate().fold(0, |index, (bit, &passed)| {
            index | usize::from(passed) << bit
        });
        DECISIONS[index]
    }
}

/// The action and the rule that chose it, for each outcome of the tests of
/// [`ActionContext::action_of`] (bit 0: net profit at least zero; 1: profitable and among the
/// top customers; 2: sales cost beyond its share of gross margin; 3: total value at least
/// zero; 4: value before this period's acquisition cost at least zero; 5: the loss beyond its
/// share of revenue; 6: gross margin below the company's).
const DECISIONS: [(Action, Rule); 128] = {
    const fn passed(index: usize, bit: usize) -> bool {
        index & (1 << bit) != 0
    }
    let mut table = [(Action::Keep, Rule::Profitable); 128];
    let mut index = 0;
    while index < 128 {
        table[index] = if passed(index, 0) {
            if passed(index, 1) {
                (Action::DevelopAndReward, Rule::TopByProfit)
            } else if passed(index, 2) {
                (Action::ScaleBackEffort, Rule::SalesEffortExceedsShare)
            } else {
                (Action::Keep, Rule::Profitable)
            }
        } else if passed(index, 3) {
            (Action::Keep, Rule::ReferralsCoverLoss)
        } else if passed(index, 4) {
            (Action::Keep, Rule::AcquisitionCostOnly)
        } else if passed(index, 5) {
            (Action::ConsiderEnding, Rule::LossBeyondShare)
        } else if passed(index, 6) {
            (Action::Reprice, Rule::LowGrossMargin)
        } else {
            (Action::ReduceCostToServe, Rule::HighCostToServe)
        };
        index += 1;
    }
    table
};

/// Recommended action per customer (see [`ActionContext::action_of`]).
pub fn actions(
    lines: &[Lines],
    totals: &Lines,
    rules: &ActionRules,
    out: &mut Vec<(Action, Rule)>,
) {
    let ctx = ActionContext::new(lines.len(), totals, rules);
    let net: Vec<i64> = lines.iter().map(|l| l.net_profit.0).collect();
    let mut whale = Whale::default();
    let ranks = [ctx.top_rank()];
    whale.recompute(
        &net,
        u64::MAX,
        CURVE_POINTS,
        &ranks,
        &mut SelectBuffers::default(),
    );
    let top = ctx.top_cut(&whale, &net);
    out.clear();
    out.extend(
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| ctx.action_of(Figures::of(l), top.contains(i, l.net_profit.0))),
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

    fn with_cost(revenue: i64, net: i64, cost: i64) -> Lines {
        Lines {
            cost_to_serve: Money(cost),
            ..customer(revenue, 0, 0, net)
        }
    }

    /// The action rules as the model states them, one after the other: the reference for the
    /// looked-up decision.
    fn action_by_rules(ctx: &ActionContext, f: Figures, is_top: bool) -> (Action, Rule) {
        let net = f.net_profit;
        let ongoing = f.total_value.saturating_add(f.acquisition);
        if net >= 0 {
            if net > 0 && is_top {
                (Action::DevelopAndReward, Rule::TopByProfit)
            } else if f.gross_margin > 0
                && f.sales_cost > mul_div_round(f.gross_margin, ctx.scale_back_share, RATE_ONE)
            {
                (Action::ScaleBackEffort, Rule::SalesEffortExceedsShare)
            } else {
                (Action::Keep, Rule::Profitable)
            }
        } else if f.total_value >= 0 {
            (Action::Keep, Rule::ReferralsCoverLoss)
        } else if ongoing >= 0 {
            (Action::Keep, Rule::AcquisitionCostOnly)
        } else if -ongoing > mul_div_round(f.revenue.max(0), ctx.end_share, RATE_ONE) {
            (Action::ConsiderEnding, Rule::LossBeyondShare)
        } else if ratio_bp(Money(f.gross_margin), Money(f.revenue)).unwrap_or(i64::MIN)
            < ctx.company_gross_bp
        {
            (Action::Reprice, Rule::LowGrossMargin)
        } else {
            (Action::ReduceCostToServe, Rule::HighCostToServe)
        }
    }

    #[test]
    fn the_looked_up_action_is_the_rules_action() {
        // A company with a 30% gross margin; end at a loss beyond 20% of revenue, scale back
        // sales effort beyond 50% of gross margin. Customers on both sides of every test, and
        // exactly on its edge (sales cost 50 of gross 100, a loss of 200 on revenue 1,000).
        let company = Lines {
            revenue: Money(100_000),
            gross_margin: Money(30_000),
            ..Lines::default()
        };
        let ctx = ActionContext::new(10, &company, &rules());
        assert!(ctx.small_for(10_000));
        let mut decided = std::collections::HashSet::new();
        // Revenue 20,000 with gross 5,999 is 2,999.5 bp, rounded to the company's 3,000 (not
        // below); 5,998 is 2,999 bp (below); and -2.5 bp rounds away from zero to -3. Half of
        // 5,999 is 2,999.5, rounded to 3,000: a sales cost of 3,000 is at the share, not past.
        for revenue in [-10, 0, 1_000, 10_000, 20_000] {
            for gross in [-5, -100, 0, 100, 290, 300, 310, 3_000, 5_998, 5_999, 6_000] {
                for sales in [0, 50, 51, 2_999, 3_000, 3_001, 10_000] {
                    for net in [-2_000, -201, -200, -1, 0, 1, 2_000] {
                        for value_beyond_net in [0, 150, 5_000] {
                            for acquisition in [0, 60, 5_000] {
                                for is_top in [false, true] {
                                    let f = Figures {
                                        revenue,
                                        gross_margin: gross,
                                        sales_cost: sales,
                                        acquisition,
                                        net_profit: net,
                                        total_value: net + value_beyond_net,
                                        ..Figures::default()
                                    };
                                    let want = action_by_rules(&ctx, f, is_top);
                                    assert_eq!(
                                        ctx.action_of(f, is_top),
                                        want,
                                        "{f:?} top {is_top}"
                                    );
                                    assert_eq!(
                                        ctx.action_of_small(f, is_top),
                                        want,
                                        "small, {f:?} top {is_top}"
                                    );
                                    decided.insert(want);
                                }
                            }
                        }
                    }
                }
            }
        }
        // Every action and rule was reached.
        assert_eq!(decided.len(), 8, "{decided:?}");
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The gross-margin test without the division is the test by rounded basis points,
        /// at random and on the edges of rounding (a margin of c - 1/2 basis points).
        #[test]
        fn gross_margin_below_is_the_rounded_comparison(
            // Multiples of 20,000 put a margin exactly on a half basis point.
            revenue in proptest::prop_oneof![
                -3i64..3,
                1i64..1_000_000_000,
                (1i64..50_000).prop_map(|k| k * 20_000),
                proptest::prelude::any::<i64>()
            ],
            company_bp in proptest::prop_oneof![-20_000i64..20_000, proptest::prelude::any::<i64>()],
            at_edge in proptest::prelude::any::<bool>(),
            offset in -2i64..=2,
            gross in proptest::prelude::any::<i64>(),
        ) {
            // On the edge: gross = (2c - 1) x revenue / 20,000, nudged.
            let gross = if at_edge {
                let edge = (2 * company_bp as i128 - 1) * revenue as i128 / 20_000 + offset as i128;
                edge.clamp(i64::MIN as i128, i64::MAX as i128) as i64
            } else {
                gross
            };
            let want = ratio_bp(Money(gross), Money(revenue)).unwrap_or(i64::MIN) < company_bp;
            proptest::prop_assert_eq!(gross_margin_below::<false>(gross, revenue, company_bp), want);
        }

        /// Within the bound `small_for` accepts, the action decided without checking each
        /// product's size is the checked one: at random, at the bound, and with figures on the
        /// edges of both share tests (sales cost at its share of gross margin, the loss at its
        /// share of revenue, each rounded and nudged by a cent; a share of a half of an odd
        /// figure is exactly half a cent).
        #[test]
        fn small_figures_decide_as_the_checked_tests_do(
            figure in proptest::collection::vec(
                proptest::prop_oneof![
                    -(SMALL_FIGURES as i64)..=SMALL_FIGURES as i64,
                    -1_000i64..1_000,
                    proptest::sample::select(vec![SMALL_FIGURES as i64, -(SMALL_FIGURES as i64)]),
                ],
                5,
            ),
            company_gross_bp in proptest::prop_oneof![
                -(COMPANY_BP_LIMIT as i64)..=COMPANY_BP_LIMIT as i64,
                -20_000i64..20_000,
            ],
            end_share in proptest::prop_oneof![0..=RATE_ONE, proptest::strategy::Just(RATE_ONE / 2)],
            scale_back_share in proptest::prop_oneof![0..=RATE_ONE, proptest::strategy::Just(RATE_ONE / 2)],
            on_edges in proptest::prelude::any::<bool>(),
            nudge in -1i64..=1,
            is_top in proptest::prelude::any::<bool>(),
        ) {
            let ctx = ActionContext { top_count: 1, company_gross_bp, end_share, scale_back_share };
            let (revenue, gross_margin, acquisition, total_value) =
                (figure[0], figure[1], figure[2], figure[3]);
            let within = |v: i64| v.clamp(-(SMALL_FIGURES as i64), SMALL_FIGURES as i64);
            let sales_cost = if on_edges {
                within(mul_div_round(gross_margin.max(0), scale_back_share, RATE_ONE) + nudge)
            } else {
                figure[4]
            };
            // The loss before acquisition cost (acquisition less total value) at the end
            // share of revenue: total value = acquisition - that loss.
            let total_value = if on_edges {
                within(acquisition - mul_div_round(revenue.max(0), end_share, RATE_ONE) + nudge)
            } else {
                total_value
            };
            let f = Figures {
                revenue,
                gross_margin,
                sales_cost,
                acquisition,
                net_profit: total_value,
                total_value,
                ..Figures::default()
            };
            let bound = [revenue, gross_margin, sales_cost, acquisition, total_value]
                .map(i64::unsigned_abs)
                .into_iter()
                .max()
                .unwrap_or(0);
            proptest::prop_assert!(ctx.small_for(bound));
            proptest::prop_assert_eq!(ctx.action_of_small(f, is_top), ctx.action_of(f, is_top));
        }
    }

    proptest::proptest! {
        /// The curve summed with plain additions, when profits' count times their largest
        /// magnitude fits in i64, is the curve summed with saturating ones: the same for
        /// profits of any size (huge ones take the saturating sums; a plain sum that could
        /// overflow would panic here, where overflow is checked).
        #[test]
        fn a_curve_summed_plainly_within_its_bound_is_the_saturating_one(
            profits in proptest::collection::vec(
                proptest::prop_oneof![
                    -1_000i64..1_000,
                    proptest::prelude::any::<i64>(),
                    proptest::sample::select(vec![i64::MIN, i64::MAX, i64::MAX / 3, i64::MIN / 3]),
                ],
                // Few profits, so that huge ones often add up past the limits.
                0..8,
            ),
        ) {
            let bound = profits.iter().map(|p| p.unsigned_abs()).max().unwrap_or(0);
            let whale_with = |bound: u64| {
                let mut whale = Whale::default();
                whale.recompute(&profits, bound, 7, &[1], &mut SelectBuffers::default());
                whale
            };
            proptest::prop_assert_eq!(whale_with(bound), whale_with(u64::MAX));
            if u128::from(bound) * profits.len() as u128 <= i64::MAX as u128 {
                proptest::prop_assert_eq!(
                    ProfitSums::of::<true>(&profits),
                    ProfitSums::of::<false>(&profits)
                );
            }
        }
    }

    #[test]
    fn small_figures_stop_at_their_bound_and_at_the_rules_ranges() {
        let ctx = |company_gross_bp, end_share, scale_back_share| ActionContext {
            top_count: 0,
            company_gross_bp,
            end_share,
            scale_back_share,
        };
        assert!(ctx(3_000, 200_000, 500_000).small_for(SMALL_FIGURES));
        // One cent past the bound, or a rule or company margin past its range: refused.
        assert!(!ctx(3_000, 200_000, 500_000).small_for(SMALL_FIGURES + 1));
        assert!(ctx(COMPANY_BP_LIMIT as i64, 0, RATE_ONE).small_for(0));
        assert!(ctx(-(COMPANY_BP_LIMIT as i64), RATE_ONE, 0).small_for(0));
        assert!(!ctx(COMPANY_BP_LIMIT as i64 + 1, 0, 0).small_for(0));
        assert!(!ctx(0, RATE_ONE + 1, 0).small_for(0));
        assert!(!ctx(0, 0, -1).small_for(0));
    }

    #[test]
    fn quadrants_compare_shares_exactly_in_64_or_128_bits() {
        // The company: margin 1,000 / 10,000 = 10%, cost to serve 2,000 / 10,000 = 20%.
        let company = Splits::of(&with_cost(10_000, 1_000, 2_000));
        // 10% exactly is high margin (at or above); 20% exactly is not high cost (above).
        // Then products past 64 bits: a company of 9 x 10^15 cents against a customer's 10^6
        // cents of profit on 10^7 revenue (10% against the company's 10%, 20% cost against 20%).
        let big = Splits::of(&with_cost(
            9_000_000_000_000_000,
            900_000_000_000_000,
            1_800_000_000_000_000,
        ));
        let cases = [
            (company, (500, 50, 100), Quadrant::HighMarginLowCost),
            (company, (500, 49, 101), Quadrant::LowMarginHighCost),
            (company, (0, 5, 5), Quadrant::NoRevenue),
            (
                big,
                (10_000_000, 1_000_000, 2_000_000),
                Quadrant::HighMarginLowCost,
            ),
            (
                big,
                (10_000_000, 999_999, 2_000_001),
                Quadrant::LowMarginHighCost,
            ),
        ];
        for (splits, (revenue, net, cost), want) in cases {
            let f = Figures::of(&with_cost(revenue, net, cost));
            assert_eq!(splits.quadrant_of(f), want, "{f:?}");
        }
    }

    #[test]
    fn the_screened_quadrant_is_the_exact_quadrant() {
        // Customers around the company's own shares (ties included), with and without
        // revenue: the floating-point screen agrees with the exact comparison on each.
        let company = Splits::of(&with_cost(1_000_000, 100_000, 300_000));
        let mut checked = 0;
        for revenue in [-10, 0, 1, 10, 1_000, 999_999] {
            for net in (-30..=30).map(|k| k * revenue.max(1) / 10) {
                for cost in (-10..=40).map(|k| k * revenue.max(1) / 10) {
                    let f = Figures::of(&with_cost(revenue, net, cost));
                    assert!(company.screened_for(revenue.max(net.abs()).max(cost.abs()) as u64));
                    assert_eq!(
                        company.quadrant_screened(f),
                        company.quadrant_of(f),
                        "{f:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 6 * 61 * 51);
        // A company without revenue splits at zero, screened or not.
        let no_revenue = Splits::of(&with_cost(0, 5, 5));
        let f = Figures::of(&with_cost(100, 1, -1));
        assert_eq!(no_revenue.quadrant_of(f), Quadrant::HighMarginLowCost);
        assert_eq!(no_revenue.quadrant_screened(f), Quadrant::HighMarginLowCost);
    }

    #[test]
    fn a_difference_below_floating_point_precision_is_decided_exactly() {
        // The company: revenue R = 2^53 - 1 cents, net profit (R - 1) / 3 =
        // 3,002,399,751,580,330, a margin a hair below one third. A customer with 0.05 of
        // profit on 0.15 of revenue (exactly one third): 5 x R = 45,035,996,273,704,955
        // against 15 x (R - 1) / 3 = 45,035,996,273,704,950. Both products round to the same
        // f64 (...952: at this size f64 steps by 8), so only the exact comparison sees that
        // the customer's margin is the higher one.
        let r: i64 = (1 << 53) - 1;
        let company = Splits::of(&with_cost(r, (r - 1) / 3, 0));
        assert_eq!(5.0 * r as f64, ((r - 1) / 3) as f64 * 15.0);
        assert!(company.screened_for(15));
        let f = Figures::of(&with_cost(15, 5, -1));
        assert_eq!(company.quadrant_of(f), Quadrant::HighMarginLowCost);
        assert_eq!(company.quadrant_screened(f), Quadrant::HighMarginLowCost);
        // A company past 2^53 cents is not screened at all.
        assert!(!Splits::of(&with_cost(1 << 54, 1, 1)).screened_for(1));
    }

    #[test]
    fn selected_ranks_are_the_whole_orders() {
        // Against the whole sort, on spreads that take each path: few customers (sorted at
        // once), wide spreads, many ties and a heavy tail (buckets split again), all equal,
        // and profits at the ends of i64 (the whole sort).
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |span: i64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % span as u64) as i64
        };
        // (name, profit from a random draw and the customer's index)
        type Spread = (&'static str, fn(i64, i64) -> i64);
        let spreads: [Spread; 6] = [
            ("wide", |r, _| r - 50_000_000),
            ("ties", |r, _| r % 7 - 3),
            ("tail", |r, k| {
                if k % 997 == 0 {
                    r * 1_000
                } else {
                    r % 20_000 - 10_000
                }
            }),
            ("equal", |_, _| 42),
            ("negative", |r, _| -r),
            ("extremes", |r, k| [i64::MAX, i64::MIN, r][(k % 3) as usize]),
        ];
        for n in [1usize, 7, 600, 5_000, 70_000] {
            for (name, spread) in spreads {
                let profits: Vec<i64> = (0..n as i64)
                    .map(|k| spread(next(100_000_000), k))
                    .collect();
                let step = (n / 50).max(1);
                let ranks: Vec<usize> = (1..=n)
                    .step_by(step)
                    .chain([n])
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mut got = Vec::new();
                select_ranks(&profits, &ranks, &mut SelectBuffers::default(), &mut got);
                let whole = WhaleOrder::of(&profits);
                let want: Vec<CurvePoint> = ranks
                    .iter()
                    .map(|&k| CurvePoint {
                        customers: k,
                        customer: whole.order[k - 1],
                        cumulative: Money(whole.cumulative[k - 1]),
                    })
                    .collect();
                assert_eq!(got, want, "{name}, {n} customers");
            }
        }
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
        actions(&lines, &totals, &rules(), &mut out);
        assert_eq!(
            out,
            vec![
                (Action::Keep, Rule::AcquisitionCostOnly),
                (Action::ConsiderEnding, Rule::LossBeyondShare)
            ]
        );
    }
}
