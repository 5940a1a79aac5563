//! Aggregation: facts become per-customer driver totals (the what-if state) and per-month
//! cells (for drift), once. A slider change recomputes from these totals and never re-reads
//! transactions.
//!
//! Rows that cannot be used are never dropped silently: each one is returned as a
//! [`Rejected`] with its table, row, field, value and the rule that refused it.

use crate::assumptions::same_name;
use crate::date::{Date, Month};
use crate::facts::{ActivityKind, Dataset, Invoice, InvoiceFigures, Table};
use crate::hash::{FastMap, FastSet};
use crate::money::Money;
use crate::words;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::convert::Infallible;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Range;

/// Rows checked (by the import or here), or customers added up, in one call: a browser runs a
/// function's first calls in its quickly compiled code and later calls in its optimised code,
/// never switching within one call, so a million rows gone through in one call would run in
/// the slow code throughout (measured in V8 in a fresh instance: adding up the import
/// benchmark's file took 300 ms in one call, 220 ms in portions).
pub(crate) const PORTION_ROWS: usize = 1 << 14;
const PORTION_CUSTOMERS: usize = 1 << 12;

/// `rows` in consecutive portions of [`PORTION_ROWS`], the last one shorter.
pub(crate) fn portions(rows: Range<usize>) -> impl Iterator<Item = Range<usize>> {
    portions_of(rows, PORTION_ROWS)
}

/// `items` in consecutive portions of `size`, the last one shorter.
fn portions_of(items: Range<usize>, size: usize) -> impl Iterator<Item = Range<usize>> {
    let end = items.end;
    items
        .step_by(size)
        .map(move |start| start..(start + size).min(end))
}

/// How many distinct employee roles one workbook prices separately.
pub const MAX_ROLES: usize = 6;
/// Open-invoice age buckets: not yet due, 1-30, 31-60, 61-90 and over 90 days overdue.
pub const AGE_BUCKETS: usize = 5;
/// Days a customer has to pay when an invoice has no due date.
pub const DEFAULT_PAYMENT_TERMS_DAYS: i64 = 30;

/// The age bucket of an invoice `days_overdue` past its due date.
pub fn age_bucket(days_overdue: i64) -> usize {
    match days_overdue {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
    }
}

/// Everything the model needs about one customer (or one customer-month), as exact integers.
/// Kept small: it is the per-customer what-if state (see `size_of` in the tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriverRow {
    /// Net invoiced amount in cents: after discounts, credit notes and returns.
    pub revenue: i64,
    /// The part of `revenue` whose rows carry their own cost.
    pub costed_revenue: i64,
    /// Cost of goods of the rows that carry one, in cents.
    pub known_cost: i64,
    /// Sum over invoices of amount x days outstanding (cents x days): revenue x days to pay.
    pub amount_days: i64,
    /// Open invoice amounts in cents by age bucket at the as-of date.
    pub open_by_bucket: [i64; AGE_BUCKETS],
    /// Hours logged per role, in thousandths of an hour.
    pub hours_by_role: [u32; MAX_ROLES],
    /// Activity counts, indexed by [`ActivityKind::index`].
    pub counts: [u32; ActivityKind::COUNT],
}

impl DriverRow {
    pub fn count(&self, kind: ActivityKind) -> u32 {
        self.counts[kind.index()]
    }
}

/// A customer attribute column, dictionary-encoded so pivots and per-segment rates are an
/// index away.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeColumn {
    pub name: String,
    /// Distinct values, sorted.
    pub values: Vec<String>,
    /// Per customer, the index into `values`.
    pub codes: Vec<u32>,
}

/// "Customer `referrer` brought in customer `referred`" between customer indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralLink {
    pub referrer: u32,
    pub referred: u32,
    pub would_have_come_anyway: bool,
}

/// One customer's drivers in one month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCell {
    pub customer: u32,
    pub month: Month,
    pub row: DriverRow,
}

/// A driver row's fields as one list ([`DriverRow::fields`]): revenue, costed revenue, known
/// cost and amount x days, then the open buckets, the hours by role and the counts by kind.
pub(crate) const ROW_FIELDS: usize = COUNT_FIELDS + ActivityKind::COUNT;
/// Where each field, or each group of fields, is in [`DriverRow::fields`].
const REVENUE: usize = 0;
const COSTED_REVENUE: usize = 1;
const KNOWN_COST: usize = 2;
const AMOUNT_DAYS: usize = 3;
const BUCKET_FIELDS: usize = 4;
const HOUR_FIELDS: usize = BUCKET_FIELDS + AGE_BUCKETS;
const COUNT_FIELDS: usize = HOUR_FIELDS + MAX_ROLES;
// The non-zero fields of a row are one bit each of a u32.
const _: () = assert!(ROW_FIELDS <= 32);

impl DriverRow {
    /// The row's fields as one list ([`DriverRow::set_field`] sets one back).
    pub(crate) fn fields(&self) -> [i64; ROW_FIELDS] {
        let mut out = [0; ROW_FIELDS];
        out[REVENUE] = self.revenue;
        out[COSTED_REVENUE] = self.costed_revenue;
        out[KNOWN_COST] = self.known_cost;
        out[AMOUNT_DAYS] = self.amount_days;
        let (buckets, narrow) = out[BUCKET_FIELDS..].split_at_mut(AGE_BUCKETS);
        buckets.copy_from_slice(&self.open_by_bucket);
        let (hours, counts) = narrow.split_at_mut(MAX_ROLES);
        for (to, &from) in hours.iter_mut().zip(&self.hours_by_role) {
            *to = from.into();
        }
        for (to, &from) in counts.iter_mut().zip(&self.counts) {
            *to = from.into();
        }
        out
    }

    /// One bit for each of `fields` that is not zero (computed without a branch).
    pub(crate) fn non_zero(fields: &[i64; ROW_FIELDS]) -> u32 {
        let mut mask = 0;
        for (bit, &value) in fields.iter().enumerate() {
            mask |= u32::from(value != 0) << bit;
        }
        mask
    }

    /// Field `field` of [`DriverRow::fields`], without making the whole list (0 past the last).
    #[inline]
    pub(crate) fn field(&self, field: usize) -> i64 {
        match field {
            REVENUE => self.revenue,
            COSTED_REVENUE => self.costed_revenue,
            KNOWN_COST => self.known_cost,
            AMOUNT_DAYS => self.amount_days,
            BUCKET_FIELDS..HOUR_FIELDS => self.open_by_bucket[field - BUCKET_FIELDS],
            HOUR_FIELDS..COUNT_FIELDS => self.hours_by_role[field - HOUR_FIELDS].into(),
            _ => self
                .counts
                .get(field - COUNT_FIELDS)
                .map_or(0, |&c| c.into()),
        }
    }

    /// Sets field `field` of [`DriverRow::fields`] (hours and counts must be within u32); a
    /// field past the last is ignored.
    #[inline]
    pub(crate) fn set_field(&mut self, field: usize, value: i64) {
        match field {
            REVENUE => self.revenue = value,
            COSTED_REVENUE => self.costed_revenue = value,
            KNOWN_COST => self.known_cost = value,
            AMOUNT_DAYS => self.amount_days = value,
            BUCKET_FIELDS..HOUR_FIELDS => self.open_by_bucket[field - BUCKET_FIELDS] = value,
            HOUR_FIELDS..COUNT_FIELDS => self.hours_by_role[field - HOUR_FIELDS] = value as u32,
            _ => {
                if let Some(count) = self.counts.get_mut(field - COUNT_FIELDS) {
                    *count = value as u32;
                }
            }
        }
    }
}

/// The month cells, sorted by customer, then month. Each cell's drivers are held as the mask
/// of its fields that are not zero and those fields alone: a month has a few of a driver row's
/// twenty-two (an invoice month its revenue, amount x days and perhaps an open bucket), and
/// whole rows took 136 bytes a cell, a gigabyte at ten million invoices of a million customers
/// (seven million cells), written into fresh memory by each import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<PeriodCell>", into = "Vec<PeriodCell>")]
pub struct Periods {
    customers: Vec<u32>,
    months: Vec<Month>,
    /// Per cell, one bit per field of [`DriverRow::fields`] that is not zero.
    masks: Vec<u32>,
    /// Per cell, where its fields end in `fields`.
    ends: Vec<usize>,
    fields: Vec<i64>,
}

impl Periods {
    /// Room for `cells` cells with `fields` non-zero fields between them.
    pub fn with_capacity(cells: usize, fields: usize) -> Periods {
        Periods {
            customers: Vec::with_capacity(cells),
            months: Vec::with_capacity(cells),
            masks: Vec::with_capacity(cells),
            ends: Vec::with_capacity(cells),
            fields: Vec::with_capacity(fields),
        }
    }

    /// Adds a cell after the others (which must keep them in customer order).
    pub fn push(&mut self, customer: u32, month: Month, row: &DriverRow) {
        // The mask first, then only the fields it names: a month has a few of the twenty-two.
        self.push_fed(customer, month, row, DriverRow::non_zero(&row.fields()));
    }

    /// Each cell as it is kept: its customer, its month, the mask of its non-zero fields (one
    /// bit each, numbered as in [`DriverRow::fields`]) and those fields, in the mask's order.
    /// The model's bytes are written from this form, without a driver row made for each cell.
    pub(crate) fn stored(&self) -> impl Iterator<Item = (u32, Month, u32, &[i64])> + '_ {
        (0..self.len()).map(|i| self.stored_cell(i))
    }

    /// The `i`-th cell as it is kept (see [`Periods::stored`]).
    fn stored_cell(&self, i: usize) -> (u32, Month, u32, &[i64]) {
        let start = i.checked_sub(1).map_or(0, |before| self.ends[before]);
        let fields = &self.fields[start..self.ends[i]];
        (self.customers[i], self.months[i], self.masks[i], fields)
    }

    /// Adds a cell after the others from its kept form (see [`Periods::stored`]): `value`
    /// gives the field of each of `mask`'s bits in turn. A field it gives as zero is left
    /// out, bit and all, as [`Periods::push`] leaves it out; on an error nothing is added.
    pub(crate) fn push_stored<E>(
        &mut self,
        customer: u32,
        month: Month,
        mask: u32,
        mut value: impl FnMut(usize) -> Result<i64, E>,
    ) -> Result<(), E> {
        let start = self.fields.len();
        let mut kept = 0;
        for field in set_bits(mask) {
            match value(field) {
                Ok(0) => {}
                Ok(v) => {
                    self.fields.push(v);
                    kept |= 1 << field;
                }
                Err(e) => {
                    self.fields.truncate(start);
                    return Err(e);
                }
            }
        }
        self.customers.push(customer);
        self.months.push(month);
        self.masks.push(kept);
        self.ends.push(self.fields.len());
        Ok(())
    }

    /// [`Periods::push`] for a row whose non-zero fields are among those of `fed` (one bit
    /// each, as [`DriverRow::fields`] numbers them): only those are looked at, a few of the
    /// twenty-two. Fed fields that came to zero are left out.
    pub(crate) fn push_fed(&mut self, customer: u32, month: Month, row: &DriverRow, fed: u32) {
        debug_assert_eq!(
            DriverRow::non_zero(&row.fields()) & !fed,
            0,
            "a field not fed"
        );
        let read = |field| Ok::<i64, Infallible>(row.field(field));
        self.push_stored(customer, month, fed, read)
            .unwrap_or_else(|never| match never {});
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// The `i`-th cell.
    ///
    /// # Panics
    ///
    /// When there is no `i`-th cell.
    pub fn get(&self, i: usize) -> PeriodCell {
        let (customer, month, mask, fields) = self.stored_cell(i);
        let mut row = DriverRow::default();
        // Each value to its field, by the mask's set bits in turn (as many as there are
        // values): a test of every field was most of the time reading a month.
        for (field, &value) in set_bits(mask).zip(fields) {
            row.set_field(field, value);
        }
        PeriodCell {
            customer,
            month,
            row,
        }
    }

    /// The cells in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PeriodCell> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The cells numbered `cells`, in order.
    fn range(&self, cells: Range<usize>) -> impl Iterator<Item = PeriodCell> + '_ {
        cells.map(|i| self.get(i))
    }

    /// Each cell's customer, in order.
    pub fn customers(&self) -> &[u32] {
        &self.customers
    }
}

impl From<Vec<PeriodCell>> for Periods {
    fn from(cells: Vec<PeriodCell>) -> Periods {
        let non_zero = |c: &PeriodCell| DriverRow::non_zero(&c.row.fields()).count_ones() as usize;
        let mut periods = Periods::with_capacity(cells.len(), cells.iter().map(non_zero).sum());
        for c in &cells {
            periods.push(c.customer, c.month, &c.row);
        }
        periods
    }
}

impl From<Periods> for Vec<PeriodCell> {
    fn from(periods: Periods) -> Vec<PeriodCell> {
        periods.iter().collect()
    }
}

/// Sentinel for "no acquisition date".
pub const NOT_ACQUIRED: i32 = i32::MIN;
/// Sentinel for "acquisition cost unknown: use the assumption".
pub const COST_UNKNOWN: i64 = i64::MIN;

/// The aggregated workbook: what every recompute reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub as_of: Option<Date>,
    /// First and last month that have any fact.
    pub window: Option<(Month, Month)>,
    /// Roles found in the time log; index = slot in [`DriverRow::hours_by_role`].
    pub roles: Vec<String>,
    pub ids: Vec<String>,
    pub names: Vec<String>,
    pub attributes: Vec<AttributeColumn>,
    /// Per customer: month acquired as [`Month`]`.0`, or [`NOT_ACQUIRED`].
    pub acquired: Vec<i32>,
    /// Per customer: known acquisition cost in cents, or [`COST_UNKNOWN`].
    pub acquisition_cost: Vec<i64>,
    pub drivers: Vec<DriverRow>,
    /// Sorted by customer, then month.
    pub periods: Periods,
    /// Sorted by referrer.
    pub referrals: Vec<ReferralLink>,
    /// Per field, the largest magnitude over all customers' drivers (see
    /// [`Model::driver_bounds`]); kept up to date by whoever builds or changes `drivers`.
    pub bounds: DriverRow,
}

impl Model {
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    pub fn attribute(&self, name: &str) -> Option<&AttributeColumn> {
        self.attributes.iter().find(|a| a.name == name)
    }
    /// The month cells of one customer, in month order.
    pub fn periods_of(&self, customer: usize) -> impl Iterator<Item = PeriodCell> + '_ {
        let (c, customers) = (customer as u32, self.periods.customers());
        let start = customers.partition_point(|&p| p < c);
        let end = customers.partition_point(|&p| p <= c);
        self.periods.range(start..end)
    }
    /// Referrals made by one customer.
    pub fn referrals_by(&self, customer: usize) -> &[ReferralLink] {
        let c = customer as u32;
        let start = self.referrals.partition_point(|r| r.referrer < c);
        let end = self.referrals.partition_point(|r| r.referrer <= c);
        &self.referrals[start..end]
    }
    /// Whether the model's parts agree with each other, as every computation assumes: one entry
    /// per customer in each column, attribute codes and referrals naming real values and
    /// customers, month cells and referrals in customer order, at most [`MAX_ROLES`] roles. A
    /// model read from a file is checked before anything computes with it, and its bounds are
    /// recomputed rather than trusted.
    pub fn check(&mut self) -> Result<(), String> {
        let n = self.len();
        let column = |name: &str, len: usize| {
            (len == n)
                .then_some(())
                .ok_or_else(|| format!("{name} has {len} entries for {n} customers"))
        };
        column("names", self.names.len())?;
        column("acquired", self.acquired.len())?;
        column("acquisition_cost", self.acquisition_cost.len())?;
        column("drivers", self.drivers.len())?;
        if self.roles.len() > MAX_ROLES {
            return Err(format!(
                "{} roles, more than the {MAX_ROLES} a workbook prices",
                self.roles.len()
            ));
        }
        for a in &self.attributes {
            column(&format!("attribute {}", a.name), a.codes.len())?;
            if let Some(code) = a.codes.iter().find(|&&c| c as usize >= a.values.len()) {
                return Err(format!(
                    "attribute {} names value {code}, which it does not have",
                    a.name
                ));
            }
        }
        let customer = |c: u32| (c as usize) < n;
        let cells = self.periods.customers();
        if !cells.iter().all(|&c| customer(c)) || !cells.windows(2).all(|w| w[0] <= w[1]) {
            return Err("the monthly figures are not in customer order".to_string());
        }
        if !self
            .referrals
            .iter()
            .all(|r| customer(r.referrer) && customer(r.referred))
            || !self
                .referrals
                .windows(2)
                .all(|w| w[0].referrer <= w[1].referrer)
        {
            return Err("the referrals name customers the workbook does not have".to_string());
        }
        self.bounds = self.driver_bounds();
        Ok(())
    }

    /// Per field, the largest magnitude over all customers: a row that bounds every customer's
    /// drivers, used to decide once per recompute whether 64-bit arithmetic is exact for all.
    pub fn driver_bounds(&self) -> DriverRow {
        let mut b = DriverRow::default();
        let max = |a: i64, v: i64| a.max(v.saturating_abs());
        for d in &self.drivers {
            b.revenue = max(b.revenue, d.revenue);
            b.costed_revenue = max(b.costed_revenue, d.costed_revenue);
            b.known_cost = max(b.known_cost, d.known_cost);
            b.amount_days = max(b.amount_days, d.amount_days);
            for (x, v) in b.open_by_bucket.iter_mut().zip(d.open_by_bucket) {
                *x = max(*x, v);
            }
            for (x, v) in b.hours_by_role.iter_mut().zip(d.hours_by_role) {
                *x = (*x).max(v);
            }
            for (x, v) in b.counts.iter_mut().zip(d.counts) {
                *x = (*x).max(v);
            }
        }
        b
    }
}

/// Why a fact row was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The customer id is empty.
    EmptyCustomerId,
    /// A second customer row with an id already seen.
    DuplicateCustomer,
    /// The row names a customer that is not in the customer table.
    UnknownCustomer,
    /// An invoice number already used by an earlier row of the same customer.
    DuplicateInvoice,
    /// A discount below zero would raise revenue.
    NegativeDiscount,
    /// A credit note (negative amount) carrying a discount: a credit is already net.
    DiscountOnCreditNote,
    /// A discount larger than the invoiced amount.
    DiscountExceedsAmount,
    /// An acquisition cost below zero would lower the cost to serve.
    NegativeAcquisitionCost,
    /// Hours must be zero or more.
    NegativeHours,
    /// More distinct roles than the workbook prices.
    TooManyRoles { max: u8 },
    /// A customer cannot refer itself.
    SelfReferral,
    /// The same referral appears twice.
    DuplicateReferral,
    /// The customer was already referred by another customer; its profit can be attributed
    /// to one referrer only.
    AlreadyReferred,
    /// A quantity too large to add up exactly.
    Overflow,
}

impl RejectReason {
    /// Its key in the translation table: `reject.<key>`.
    pub fn key(&self) -> &'static str {
        match self {
            RejectReason::EmptyCustomerId => "empty_customer_id",
            RejectReason::DuplicateCustomer => "duplicate_customer",
            RejectReason::UnknownCustomer => "unknown_customer",
            RejectReason::DuplicateInvoice => "duplicate_invoice",
            RejectReason::NegativeDiscount => "negative_discount",
            RejectReason::DiscountOnCreditNote => "discount_on_credit_note",
            RejectReason::DiscountExceedsAmount => "discount_exceeds_amount",
            RejectReason::NegativeAcquisitionCost => "negative_acquisition_cost",
            RejectReason::NegativeHours => "negative_hours",
            RejectReason::TooManyRoles { .. } => "too_many_roles",
            RejectReason::SelfReferral => "self_referral",
            RejectReason::DuplicateReferral => "duplicate_referral",
            RejectReason::AlreadyReferred => "already_referred",
            RejectReason::Overflow => "overflow",
        }
    }

    /// One of each, for the translation table's test.
    pub const EXAMPLES: [RejectReason; 14] = [
        RejectReason::EmptyCustomerId,
        RejectReason::DuplicateCustomer,
        RejectReason::UnknownCustomer,
        RejectReason::DuplicateInvoice,
        RejectReason::NegativeDiscount,
        RejectReason::DiscountOnCreditNote,
        RejectReason::DiscountExceedsAmount,
        RejectReason::NegativeAcquisitionCost,
        RejectReason::NegativeHours,
        RejectReason::TooManyRoles {
            max: MAX_ROLES as u8,
        },
        RejectReason::SelfReferral,
        RejectReason::DuplicateReferral,
        RejectReason::AlreadyReferred,
        RejectReason::Overflow,
    ];
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            RejectReason::EmptyCustomerId => "the customer id is empty".to_string(),
            RejectReason::DuplicateCustomer => "this customer id appears twice".to_string(),
            RejectReason::UnknownCustomer => "no customer with this id".to_string(),
            RejectReason::DuplicateInvoice => "duplicate invoice number".to_string(),
            RejectReason::NegativeDiscount => "a discount cannot be negative".to_string(),
            RejectReason::DiscountOnCreditNote => {
                "a credit note (negative amount) cannot carry a discount".to_string()
            }
            RejectReason::DiscountExceedsAmount => {
                "the discount is larger than the invoiced amount".to_string()
            }
            RejectReason::NegativeAcquisitionCost => {
                "an acquisition cost cannot be negative".to_string()
            }
            RejectReason::NegativeHours => "hours must be zero or more".to_string(),
            RejectReason::TooManyRoles { max } => format!("more than {max} roles"),
            RejectReason::SelfReferral => "a customer cannot refer itself".to_string(),
            RejectReason::DuplicateReferral => "the same referral appears twice".to_string(),
            RejectReason::AlreadyReferred => {
                "this customer was already referred by another customer".to_string()
            }
            RejectReason::Overflow => "the total is too large".to_string(),
        };
        f.write_str(&text)
    }
}

/// One fact row the aggregation refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub table: Table,
    /// 1-based row within the table (data rows, not counting a header).
    pub row: usize,
    pub field: &'static str,
    pub value: String,
    pub reason: RejectReason,
}

/// Rows read, used and rejected for one table: read = used + rejected, always.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableCount {
    pub read: usize,
    pub used: usize,
    pub rejected: usize,
}

/// The aggregation's result: the model and the account of every row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Aggregated {
    pub model: Model,
    pub rejected: Vec<Rejected>,
    pub counts: Vec<(Table, TableCount)>,
}

/// Collects row outcomes per table so read = used + rejected by construction.
struct Ledger {
    rejected: Vec<Rejected>,
    counts: Vec<(Table, TableCount)>,
}

impl Ledger {
    fn count(&mut self, table: Table) -> &mut TableCount {
        if let Some(i) = self.counts.iter().position(|(t, _)| *t == table) {
            return &mut self.counts[i].1;
        }
        self.counts.push((table, TableCount::default()));
        &mut self.counts.last_mut().expect("just pushed").1
    }
    fn used(&mut self, table: Table) {
        let c = self.count(table);
        c.read += 1;
        c.used += 1;
    }
    fn reject(
        &mut self,
        table: Table,
        row: usize,
        field: &'static str,
        value: &str,
        reason: RejectReason,
    ) {
        let c = self.count(table);
        c.read += 1;
        c.rejected += 1;
        self.rejected.push(Rejected {
            table,
            row: row + 1,
            field,
            value: value.to_string(),
            reason,
        });
    }
}

/// Cents kept as two 32-bit halves: aligned to 4 bytes, where an i64 is aligned to 8, they let
/// a pending row take 40 bytes instead of 48 (ten million rows wait at once when ten million
/// invoices are added up, in memory the page has not used before: 80 MB less to take; the
/// first run of the page's ten-million-row benchmark took 3.73 to 3.91 s against 4.46 to 5.24
/// s in Chromium).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct HalvedCents([u32; 2]);

impl HalvedCents {
    fn new(cents: i64) -> HalvedCents {
        HalvedCents([cents as u32, (cents >> 32) as u32])
    }

    fn get(self) -> i64 {
        (u64::from(self.0[0]) | u64::from(self.0[1]) << 32) as i64
    }
}

/// An open invoice's age bucket, or none, in one byte (an `Option<u8>` takes two, which made a
/// pending row 44 bytes instead of 40).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct OpenBucket(u8);

impl OpenBucket {
    const NONE: u8 = u8::MAX;

    fn new(bucket: Option<u8>) -> OpenBucket {
        debug_assert!(bucket.is_none_or(|b| (b as usize) < AGE_BUCKETS));
        OpenBucket(bucket.unwrap_or(OpenBucket::NONE))
    }

    fn get(self) -> Option<u8> {
        (self.0 != OpenBucket::NONE).then_some(self.0)
    }
}

/// What one transaction row adds to its customer, checked on its own (customer known, discount
/// sound, figures in range) but not yet against the customer's other rows. Kept small: a
/// million rows wait at once, and are written twice and read once (an `Option<i64>` would
/// take 16 bytes).
#[derive(Clone, Copy)]
enum Contribution {
    Invoice {
        net: HalvedCents,
        /// The row's cost of goods, when `costed`.
        cost: HalvedCents,
        costed: bool,
        /// Days from the invoice to its payment (or the as-of date), when it ties up capital:
        /// fewer than 2^22 between any two dates (years 1000 to 9999).
        days: u32,
        /// The age bucket of an open invoice.
        open_bucket: OpenBucket,
        /// A refusal that waits until the duplicate-number check has had its say, as the
        /// checks have always run in this order.
        refused: Option<RejectReason>,
        /// The invoice number's hash, when it has a number: checked against the customer's
        /// earlier numbers without reading the row again.
        number: Option<NonZeroU32>,
    },
    Hours {
        role: u8,
        milli: u32,
    },
    Count {
        kind: u8,
        count: u32,
    },
}

/// The new values of the fields a contribution feeds, worked out before any is written.
enum Sums {
    Invoice {
        revenue: i64,
        amount_days: i64,
        costed: Option<(i64, i64)>,
        open: Option<(usize, i64)>,
    },
    Hours {
        role: usize,
        milli: u32,
    },
    Count {
        kind: usize,
        count: u32,
    },
}

impl Sums {
    #[inline]
    fn write_to(self, row: &mut DriverRow) {
        match self {
            Sums::Invoice {
                revenue,
                amount_days,
                costed,
                open,
            } => {
                row.revenue = revenue;
                row.amount_days = amount_days;
                if let Some((costed_revenue, known_cost)) = costed {
                    row.costed_revenue = costed_revenue;
                    row.known_cost = known_cost;
                }
                if let Some((bucket, open)) = open {
                    row.open_by_bucket[bucket] = open;
                }
            }
            Sums::Hours { role, milli } => row.hours_by_role[role] = milli,
            Sums::Count { kind, count } => row.counts[kind] = count,
        }
    }
}

impl Contribution {
    /// The fields of [`DriverRow::fields`] this row feeds, one bit each.
    fn fields_fed(&self) -> u32 {
        let bit = |field: usize| 1u32 << field;
        match *self {
            Contribution::Invoice {
                costed,
                open_bucket,
                ..
            } => {
                let costed = if costed {
                    bit(COSTED_REVENUE) | bit(KNOWN_COST)
                } else {
                    0
                };
                let open = open_bucket
                    .get()
                    .map_or(0, |b| bit(BUCKET_FIELDS + b as usize));
                bit(REVENUE) | bit(AMOUNT_DAYS) | costed | open
            }
            Contribution::Hours { role, .. } => bit(HOUR_FIELDS + role as usize),
            Contribution::Count { kind, .. } => bit(COUNT_FIELDS + kind as usize),
        }
    }

    /// The fields of `row` this row feeds (a few of a driver row's twenty-two) with the row
    /// added, or `None` when a sum would overflow.
    #[inline]
    fn sums(&self, row: &DriverRow) -> Option<Sums> {
        let add = |a: i64, b: i64| a.checked_add(b);
        Some(match *self {
            Contribution::Invoice {
                net,
                cost,
                costed,
                days,
                open_bucket,
                ..
            } => {
                let (net, cost) = (net.get(), cost.get());
                Sums::Invoice {
                    revenue: add(row.revenue, net)?,
                    amount_days: add(row.amount_days, amount_times_days(net, days.into())?)?,
                    costed: match costed {
                        true => Some((add(row.costed_revenue, net)?, add(row.known_cost, cost)?)),
                        false => None,
                    },
                    open: match open_bucket.get() {
                        Some(b) => Some((b as usize, add(row.open_by_bucket[b as usize], net)?)),
                        None => None,
                    },
                }
            }
            Contribution::Hours { role, milli } => Sums::Hours {
                role: role as usize,
                milli: row.hours_by_role[role as usize].checked_add(milli)?,
            },
            Contribution::Count { kind, count } => Sums::Count {
                kind: kind as usize,
                count: row.counts[kind as usize].checked_add(count)?,
            },
        })
    }

    /// Adds this row to `row`; on overflow returns `false` and leaves `row` unchanged, so the
    /// row that would overflow is rejected instead of a total silently saturating.
    #[cfg(test)]
    fn try_add_to(&self, row: &mut DriverRow) -> bool {
        self.sums(row).map(|sums| sums.write_to(row)).is_some()
    }

    /// Adds this row to both `total` and `month`, or, when either would overflow, to neither
    /// (and returns `false`). Only the fields the row feeds are read and written, not copies
    /// of the two whole 128-byte rows.
    #[inline]
    fn try_add_to_both(&self, total: &mut DriverRow, month: &mut DriverRow) -> bool {
        match (self.sums(total), self.sums(month)) {
            (Some(to_total), Some(to_month)) => {
                to_total.write_to(total);
                to_month.write_to(month);
                true
            }
            _ => false,
        }
    }
}

/// A transaction row waiting to be added: its customer, month and row (of the table its
/// contribution's kind names).
#[derive(Clone, Copy)]
struct Pending {
    customer: u32,
    month: i32,
    row: u32,
    contribution: Contribution,
}

impl Pending {
    fn table(&self) -> Table {
        match self.contribution {
            Contribution::Invoice { .. } => Table::Invoices,
            Contribution::Hours { .. } => Table::TimeLog,
            Contribution::Count { .. } => Table::Activities,
        }
    }
}

/// Where each customer's pending rows go, so that every row is written once, in its place:
/// adding up one customer at a time keeps its total and its months in the cache, where rows in
/// file order jump across all customers. The slots are counted from the facts' keys before any
/// row is checked (a counting sort without a second copy of all the rows, which a sort needed);
/// customer `c`'s rows fill `starts[c]..` in the order they come, and a row refused before it
/// is placed leaves its slot at the end of the customer's range unfilled.
///
/// The rows are sorted in two steps, both within the cache. Customers are cut into blocks of
/// consecutive customers with at most [`BLOCK_ROWS`] slots between them (or one customer with
/// more): a row is first written at the next free slot of its block, so that the writes
/// follow a stream for each 16,384 rows instead of landing anywhere in the pending rows
/// (writing each row straight into its customer's slot was a cache miss a row, two thirds of
/// placing a million invoices); then each block is grouped by customer through a block-sized
/// scratch buffer, in the order the rows came.
struct Slots {
    starts: Vec<u32>,
    next: Vec<u32>,
    /// Each block's first customer, and one past the last block's last.
    block_starts: Vec<u32>,
    /// Each block's next free slot.
    block_next: Vec<u32>,
}

/// At most this many slots in a block of several customers: its grouping buffer (655 KB at 40
/// bytes a row) fits in the 1 MB cache while the block's rows stream through, and a million
/// rows make about 60 blocks, ten million about 600. Blocks of a quarter of this size made four
/// times the streams to write to, more than the processor keeps the addresses of: ten million
/// invoices were placed in 0.67 to 0.81 s in V8 (over several runs), against 0.61 to 0.63 s
/// with these, which group the rows no slower.
const BLOCK_ROWS: u32 = 1 << 14;
const _: () = assert!(
    BLOCK_ROWS as usize <= PORTION_ROWS,
    "a portion holds a block or more"
);

/// A key's customer and the block its rows are first written to.
#[derive(Clone, Copy)]
struct Placement {
    customer: u32,
    block: u32,
}

impl Slots {
    /// The slots of the facts `keys` gives, for `customers` customers, and each key's
    /// placement: its customer (`customer_of`) and that customer's block, or None for a key
    /// of no customer.
    ///
    /// A key's customer and block are looked up together, one cache miss a row where the
    /// customer and then its block were two; and rows are counted per key, then per customer,
    /// one random access a row where the customer and then its count were two. Once the
    /// customers outgrow the cache those misses are most of placing: ten million invoices of a
    /// million customers aggregated in 6.8 s in V8 before both, 4.5 to 4.9 s after.
    fn of(
        keys: &FactKeys,
        customer_of: Vec<Option<u32>>,
        customers: usize,
    ) -> (Slots, Vec<Option<Placement>>) {
        let mut per_key = vec![0u32; keys.ids.len()];
        let all = keys.invoices.iter().chain(&keys.time_entries);
        for &k in all.chain(&keys.activities) {
            per_key[k as usize] += 1;
        }
        let mut starts = vec![0u32; customers + 1];
        for (&rows, customer) in per_key.iter().zip(&customer_of) {
            if let Some(c) = customer {
                starts[*c as usize + 1] += rows;
            }
        }
        for c in 1..starts.len() {
            starts[c] += starts[c - 1];
        }
        let next = starts[..customers].to_vec();
        let (mut block_of, mut block_starts) = (Vec::with_capacity(customers), Vec::new());
        for c in 0..customers {
            let first = block_starts.last().map(|&f: &u32| f as usize);
            if first.is_none_or(|first| starts[c + 1] - starts[first] > BLOCK_ROWS) {
                block_starts.push(c as u32);
            }
            block_of.push(block_starts.len() as u32 - 1);
        }
        let block_next = block_starts.iter().map(|&c| starts[c as usize]).collect();
        block_starts.push(customers as u32);
        let placements = customer_of
            .into_iter()
            .map(|c| {
                c.map(|customer| Placement {
                    customer,
                    block: block_of[customer as usize],
                })
            })
            .collect();
        let slots = Slots {
            starts,
            next,
            block_starts,
            block_next,
        };
        (slots, placements)
    }

    /// Slots in all, filled or not.
    fn len(&self) -> usize {
        self.starts.last().map_or(0, |&n| n as usize)
    }

    /// Places `row` at the next free slot of its customer's block, `at` its placement.
    #[inline]
    fn place(&mut self, at: Placement, row: Pending, pending: &mut [Pending]) {
        debug_assert_eq!(row.customer, at.customer);
        let at = &mut self.block_next[at.block as usize];
        pending[*at as usize] = row;
        *at += 1;
    }

    /// Groups the rows of the blocks `blocks` by customer, each customer's in the order they
    /// were placed, through `scratch`. Returns the month cells adding up will make for the
    /// blocks' customers (each customer's distinct months, refused rows' too), counted while a
    /// block's rows are in the cache: counted in a pass of its own over all the rows, it took
    /// as long as the grouping.
    #[inline(never)]
    fn group(
        &mut self,
        blocks: Range<usize>,
        pending: &mut [Pending],
        scratch: &mut Vec<Pending>,
        months: &mut Vec<(i32, u32)>,
    ) -> CellCount {
        let mut cells = CellCount::default();
        for b in blocks {
            let (first, end) = (self.block_starts[b], self.block_starts[b + 1]);
            let base = self.starts[first as usize] as usize;
            let placed = &pending[base..self.block_next[b] as usize];
            if end - first == 1 {
                // One customer: its rows are in place.
                self.next[first as usize] = self.block_next[b];
                cells += month_cells(placed, months);
                continue;
            }
            // A block whose rows were all refused has none to group.
            let Some(&filler) = placed.first() else {
                continue;
            };
            scratch.clear();
            scratch.resize(self.starts[end as usize] as usize - base, filler);
            for &row in placed {
                let at = &mut self.next[row.customer as usize];
                scratch[*at as usize - base] = row;
                *at += 1;
            }
            for c in first as usize..end as usize {
                let filled = self.starts[c] as usize - base..self.next[c] as usize - base;
                cells += month_cells(&scratch[filled], months);
            }
            pending[base..base + scratch.len()].copy_from_slice(scratch);
        }
        cells
    }

    /// Blocks in all.
    fn blocks(&self) -> usize {
        self.block_next.len()
    }

    /// Each customer with rows, in customer order, with the range of its filled slots.
    fn filled(&self) -> impl Iterator<Item = (u32, std::ops::Range<usize>)> + '_ {
        self.next
            .iter()
            .zip(&self.starts)
            .enumerate()
            .filter(|(_, (next, start))| next > start)
            .map(|(c, (&next, &start))| (c as u32, start as usize..next as usize))
    }
}

/// The numbers of `mask`'s set bits, lowest first: a row's fields by its mask.
pub(crate) fn set_bits(mask: u32) -> impl Iterator<Item = usize> {
    let mut left = mask;
    std::iter::from_fn(move || {
        let bit = (left != 0).then(|| left.trailing_zeros() as usize);
        left &= left.wrapping_sub(1);
        bit
    })
}

/// The month cells adding up will make: how many, and at most how many non-zero fields
/// between them.
#[derive(Clone, Copy, Default)]
struct CellCount {
    cells: usize,
    fields: usize,
}

impl std::ops::AddAssign for CellCount {
    fn add_assign(&mut self, other: CellCount) {
        self.cells += other.cells;
        self.fields += other.fields;
    }
}

/// The month cells of one customer's `rows`: each distinct month, with the fields its rows feed
/// (`months` is working memory). A month's non-zero fields are among those its rows feed.
fn month_cells(rows: &[Pending], months: &mut Vec<(i32, u32)>) -> CellCount {
    months.clear();
    for p in rows {
        let fed = p.contribution.fields_fed();
        match months.iter_mut().find(|(month, _)| *month == p.month) {
            Some((_, fields)) => *fields |= fed,
            None => months.push((p.month, fed)),
        }
    }
    CellCount {
        cells: months.len(),
        fields: months.iter().map(|(_, f)| f.count_ones() as usize).sum(),
    }
}

/// What placing a portion of the invoices needs (see [`aggregate_keyed`]).
struct Placing<'a> {
    invoices: InvoiceRows<'a>,
    keys: &'a FactKeys,
    placements: &'a [Option<Placement>],
    /// The as-of date's day number, counted once.
    as_of_days: i64,
}

impl Placing<'_> {
    /// Checks the invoices `rows` on their own and places each in its customer's slots
    /// (`placed_at` is working memory).
    #[inline(never)]
    fn invoices(
        &self,
        rows: Range<usize>,
        ledger: &mut Ledger,
        slots: &mut Slots,
        pending: &mut [Pending],
        placed_at: &mut Vec<Option<Placement>>,
    ) {
        let Placing {
            invoices,
            keys,
            placements,
            as_of_days,
        } = *self;
        // Every row's placement first, in a loop that does nothing else: once the customers
        // outgrow the cache each look-up is a miss, and here many are on their way at once,
        // where in the loop below each row's checks waited on its own (ten million invoices of
        // a million customers, natively: placing took 0.45 to 0.61 s, against 0.91 to 0.98 s).
        placed_at.clear();
        placed_at.extend(
            keys.invoices[rows.clone()]
                .iter()
                .map(|&key| placements[key as usize]),
        );
        for (row, &at) in rows.zip(placed_at.iter()) {
            let (inv, key) = (invoices.get(row), keys.invoices[row]);
            let Some(at) = at else {
                let id = &keys.ids[key as usize];
                let reason = if id.trim().is_empty() {
                    RejectReason::EmptyCustomerId
                } else {
                    RejectReason::UnknownCustomer
                };
                ledger.reject(Table::Invoices, row, "customer_id", id, reason);
                continue;
            };
            let discount = inv.discount.cents();
            let refused = if discount < 0 {
                Some(RejectReason::NegativeDiscount)
            } else if discount > 0 && inv.amount.is_negative() {
                Some(RejectReason::DiscountOnCreditNote)
            } else if discount > 0 && discount > inv.amount.cents() {
                Some(RejectReason::DiscountExceedsAmount)
            } else {
                None
            };
            let net = inv.net_amount().cents();
            let (mut days, mut open_bucket) = (0, None);
            if refused.is_none() && net > 0 {
                // Capital is tied up from the invoice date until payment (or until today if open).
                let settled_days = inv.paid.map_or(as_of_days, Date::days_since_epoch);
                days = (settled_days - inv.date.days_since_epoch()).max(0) as u32;
                if inv.paid.is_none() {
                    let due = inv
                        .due
                        .or_else(|| inv.date.add_days(DEFAULT_PAYMENT_TERMS_DAYS))
                        .unwrap_or(inv.date);
                    open_bucket = Some(age_bucket(as_of_days - due.days_since_epoch()) as u8);
                }
            }
            let waiting = Pending {
                customer: at.customer,
                month: inv.date.period().0,
                row: row as u32,
                contribution: Contribution::Invoice {
                    net: HalvedCents::new(net),
                    cost: HalvedCents::new(inv.cost.map_or(0, Money::cents)),
                    costed: inv.cost.is_some(),
                    days,
                    open_bucket: OpenBucket::new(open_bucket),
                    refused,
                    number: Some(keys.numbers.get(row))
                        .filter(|n| !n.is_empty())
                        .map(number_hash),
                },
            };
            slots.place(at, waiting, pending);
        }
    }
}

/// Adding up each customer's pending rows (see [`aggregate_keyed`]), customers in portions.
struct AddingUp<'a> {
    data: &'a Dataset,
    invoices: InvoiceRows<'a>,
    keys: &'a FactKeys,
    pending: &'a [Pending],
    drivers: Vec<DriverRow>,
    periods: Periods,
    /// The first and last month with a used row.
    window: Option<(Month, Month)>,
    // Kept from customer to customer: one customer's months with their sums and the fields
    // their rows fed, its months in order, and the invoice numbers it has used.
    months: Vec<(i32, DriverRow, u32)>,
    in_order: Vec<(i32, u32)>,
    numbers: UsedNumbers,
}

/// The invoice numbers one customer has used, by hash, with the rows that used them: a short
/// list searched in order while the customer has few (most have: a map's insertions took a
/// sixth of adding up), and a map besides past [`UsedNumbers::SHORT`].
#[derive(Default)]
struct UsedNumbers {
    used: Vec<(NonZeroU32, u32)>,
    first_by_hash: FastMap<NonZeroU32, u32>,
}

impl UsedNumbers {
    const SHORT: usize = 16;

    fn clear(&mut self) {
        self.used.clear();
        // Only when it holds any: clearing writes all of a map's room, however few it holds.
        if !self.first_by_hash.is_empty() {
            self.first_by_hash.clear();
        }
    }

    /// The first row that used a number of hash `hash`.
    #[inline]
    fn first_with(&self, hash: NonZeroU32) -> Option<u32> {
        if self.used.len() <= Self::SHORT {
            self.used
                .iter()
                .find(|(h, _)| *h == hash)
                .map(|&(_, row)| row)
        } else {
            self.first_by_hash.get(&hash).copied()
        }
    }

    /// Every row that used a number, in the order they were added.
    fn rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.used.iter().map(|&(_, row)| row)
    }

    #[inline]
    fn add(&mut self, hash: NonZeroU32, row: u32) {
        self.used.push((hash, row));
        match self.used.len() {
            n if n <= Self::SHORT => {}
            n if n == Self::SHORT + 1 => {
                for &(h, r) in &self.used {
                    self.first_by_hash.entry(h).or_insert(r);
                }
            }
            _ => {
                self.first_by_hash.entry(hash).or_insert(row);
            }
        }
    }
}

impl AddingUp<'_> {
    /// Adds up the rows of each customer `filled` gives, with the range of its slots.
    #[inline(never)]
    fn customers(
        &mut self,
        filled: impl Iterator<Item = (u32, Range<usize>)>,
        ledger: &mut Ledger,
    ) {
        let AddingUp {
            data,
            invoices,
            keys,
            pending,
            drivers,
            periods,
            window,
            months,
            in_order,
            numbers,
        } = self;
        for (customer, slots) in filled {
            let group = &pending[slots];
            let mut total = DriverRow::default();
            months.clear();
            numbers.clear();
            for p in group {
                let row = p.row as usize;
                if let Contribution::Invoice {
                    refused, number, ..
                } = &p.contribution
                {
                    // The numbers' text is read only on a hash's second sighting: rows come in
                    // no order, and reading each row's number was a cache miss a row.
                    let number_of = |row: usize| keys.numbers.get(row);
                    let used_before = |earlier: u32| number_of(earlier as usize) == number_of(row);
                    // Equal hashes are compared as text; a collision of different numbers looks
                    // through all of the customer's numbered rows.
                    let duplicate =
                        number
                            .and_then(|h| numbers.first_with(h))
                            .is_some_and(|earlier| {
                                used_before(earlier) || numbers.rows().any(used_before)
                            });
                    if duplicate {
                        ledger.reject(
                            Table::Invoices,
                            row,
                            "invoice_number",
                            number_of(row),
                            RejectReason::DuplicateInvoice,
                        );
                        continue;
                    }
                    if let Some(reason) = refused {
                        let (field, value) = invoice_field(&invoices.get(row), reason);
                        ledger.reject(Table::Invoices, row, field, &value, *reason);
                        continue;
                    }
                }
                let slot = match months.iter().rposition(|(m, ..)| *m == p.month) {
                    Some(k) => k,
                    None => {
                        months.push((p.month, DriverRow::default(), 0));
                        months.len() - 1
                    }
                };
                // Added to both the month and the total, or to neither: the row that would
                // overflow either is refused instead of a total silently saturating.
                let (_, month_row, fed) = &mut months[slot];
                if !p.contribution.try_add_to_both(&mut total, month_row) {
                    let (field, value) = match p.table() {
                        Table::Invoices => {
                            invoice_field(&invoices.get(row), &RejectReason::Overflow)
                        }
                        Table::TimeLog => {
                            ("hours", milli_to_string(data.time_entries[row].hours_milli))
                        }
                        _ => ("count", data.activities[row].count.to_string()),
                    };
                    ledger.reject(p.table(), row, field, &value, RejectReason::Overflow);
                    continue;
                }
                *fed |= p.contribution.fields_fed();
                if let Contribution::Invoice {
                    number: Some(h), ..
                } = p.contribution
                {
                    numbers.add(h, p.row);
                }
                let m = Month(p.month);
                *window = Some(window.map_or((m, m), |(f, l)| (f.min(m), l.max(m))));
                ledger.used(p.table());
            }
            drivers[customer as usize] = total;
            // The months put in order by their number, not moved: a month's sums are 128 bytes.
            in_order.clear();
            in_order.extend(months.iter().zip(0..).map(|(&(month, ..), at)| (month, at)));
            in_order.sort_unstable();
            for &(month, at) in in_order.iter() {
                let (_, row, fed) = &months[at as usize];
                periods.push_fed(customer, Month(month), row, *fed);
            }
        }
    }
}

/// `amount` times `days`, or None when it overflows. Days between two dates are fewer than
/// 2^22 (years 1000 to 9999), so an amount under 2^40 cents cannot overflow and skips the
/// checked multiplication, which in WebAssembly is a 128-bit software routine (5% of
/// aggregating a million invoices).
#[inline]
fn amount_times_days(amount: i64, days: i64) -> Option<i64> {
    if amount.unsigned_abs() < 1 << 40 && days.unsigned_abs() < 1 << 22 {
        Some(amount * days)
    } else {
        amount.checked_mul(days)
    }
}

/// The field and value an invoice's refusal names: its discount, or its amount.
fn invoice_field(invoice: &InvoiceFigures, reason: &RejectReason) -> (&'static str, String) {
    match reason {
        RejectReason::NegativeDiscount
        | RejectReason::DiscountOnCreditNote
        | RejectReason::DiscountExceedsAmount => ("discount", invoice.discount.to_string()),
        _ => ("amount", invoice.amount.to_string()),
    }
}

/// An invoice number's hash, for the duplicate check (never 0, so that "no number" takes no
/// room of its own: 0 becomes 1, one more collision that the text comparison settles).
fn number_hash(number: &str) -> NonZeroU32 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hash = BuildHasherDefault::<crate::hash::FxHasher>::default().hash_one(number);
    NonZeroU32::new((hash >> 32) as u32 ^ hash as u32).unwrap_or(NonZeroU32::MIN)
}

/// Each transaction fact's customer id as a key into the list of distinct ids: aggregation
/// then looks each distinct id up among the customers once, not once per row (at a million
/// invoices of 100,000 customers, looking ids up was the largest part of aggregating). The
/// import builds it while it reads rows, with the hash it needs there anyway, and then keeps
/// each id once here instead of in every fact.
#[derive(Clone, Debug, Default)]
pub(crate) struct FactKeys {
    /// The distinct ids, by key, as the facts write them.
    pub ids: Vec<String>,
    /// Each invoice's key, parallel to the invoices (see [`FactKeys::invoice_rows`]).
    pub invoices: Vec<u32>,
    /// The import's invoices, kept here by their figures alone (it leaves
    /// [`Dataset::invoices`] empty); empty when the dataset's invoices are read.
    pub figures: Vec<InvoiceFigures>,
    /// Each time entry's key, parallel to [`Dataset::time_entries`].
    pub time_entries: Vec<u32>,
    /// Each activity count's key, parallel to [`Dataset::activities`].
    pub activities: Vec<u32>,
    /// Each invoice's number, parallel to the invoices: the import's have none of their own.
    pub numbers: RowTexts,
    /// Each time entry's role, parallel to [`Dataset::time_entries`]: the import leaves the
    /// entries' own `role` empty.
    pub roles: RowTexts,
    key_of: IdKeys,
}

/// The invoices as aggregation reads them, row by row: a dataset's own, or the figures the
/// import keeps in [`FactKeys::figures`].
#[derive(Clone, Copy)]
enum InvoiceRows<'a> {
    Facts(&'a [Invoice]),
    Figures(&'a [InvoiceFigures]),
}

impl InvoiceRows<'_> {
    fn len(&self) -> usize {
        match self {
            InvoiceRows::Facts(rows) => rows.len(),
            InvoiceRows::Figures(rows) => rows.len(),
        }
    }

    #[inline]
    fn get(&self, row: usize) -> InvoiceFigures {
        match self {
            InvoiceRows::Facts(rows) => rows[row].figures(),
            InvoiceRows::Figures(rows) => rows[row],
        }
    }
}

/// The key of each distinct id, short ids (almost all of them) held in the table's own slot:
/// a lookup then compares two words where it was, through a string of its own, a cache miss
/// more per row (at a million invoices, a third of building the keys).
#[derive(Clone, Debug, Default)]
struct IdKeys {
    short: FastMap<ShortId, u32>,
    long: FastMap<String, u32>,
}

/// An id of at most 15 bytes as two words: its bytes in order, zeros after them, and its
/// length in the last byte (so "A" and "A\0" differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ShortId(u64, u64);

/// An id read from a row, made ready for [`FactKeys::key_read`]: its short form made while the
/// row's bytes are at hand, so that looking the key up later reads only these words.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ReadId<'a> {
    id: &'a str,
    short: Option<ShortId>,
}

impl<'a> ReadId<'a> {
    #[inline]
    pub fn of(id: &'a str) -> ReadId<'a> {
        ReadId {
            id,
            short: ShortId::of(id),
        }
    }
}

impl ShortId {
    /// Made from whole-word and half-word reads, never a copy of the id's own length (a call
    /// in WebAssembly, made for every row).
    #[inline]
    fn of(id: &str) -> Option<ShortId> {
        let (bytes, n) = (id.as_bytes(), id.len());
        let (word, half) = (|at| words::word(bytes, at), |at| words::half(bytes, at));
        let byte = |at: usize| u64::from(bytes[at]);
        // The first `k` (below 8) bytes, as a word with zeros above them: the two halves
        // overlap on equal bytes, so OR-ing them loses nothing.
        let first = |k: usize| match k {
            0 => 0,
            1..=3 => byte(0) | byte(k / 2) << (8 * (k / 2)) | byte(k - 1) << (8 * (k - 1)),
            _ => u64::from(half(0)) | u64::from(half(k - 4)) << (8 * (k - 4)),
        };
        let length = (n as u64) << 56;
        match n {
            0..=7 => Some(ShortId(first(n), length)),
            // The last `n - 8` bytes: a word ending at the id's end, shifted down.
            8 => Some(ShortId(word(0), length)),
            9..=15 => Some(ShortId(word(0), word(n - 8) >> (8 * (16 - n)) | length)),
            _ => None,
        }
    }
}

impl IdKeys {
    fn with_capacity(ids: usize) -> IdKeys {
        IdKeys {
            short: FastMap::with_capacity_and_hasher(ids, Default::default()),
            long: FastMap::default(),
        }
    }

    #[inline]
    fn get(&self, id: &str) -> Option<u32> {
        self.get_read(ReadId::of(id))
    }

    #[inline(always)]
    fn get_read(&self, read: ReadId) -> Option<u32> {
        match read.short {
            Some(short) => self.short.get(&short).copied(),
            None => self.long.get(read.id).copied(),
        }
    }

    fn insert(&mut self, id: &str, key: u32) {
        match ShortId::of(id) {
            Some(short) => self.short.insert(short, key),
            None => self.long.insert(id.to_string(), key),
        };
    }
}

/// A text for each fact row (an invoice's number, a time entry's role), one after another in
/// one buffer, each found by where it ends. A million rows make one buffer instead of a million
/// small strings: in WebAssembly, allocating a string for each row's number took longer than
/// checking the rest of the row (measured on the import benchmark's file: checking its rows went
/// from 1.1 s to 0.45 s in V8), and each string cost its allocation's overhead on top of its
/// text.
#[derive(Clone, Debug, Default)]
pub(crate) struct RowTexts {
    text: String,
    ends: Vec<usize>,
}

impl RowTexts {
    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends.push(self.text.len());
    }

    /// The text of the `row`-th row pushed ("" when it has none).
    pub fn get(&self, row: usize) -> &str {
        let start = row.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.text[start..self.ends[row]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Room for `rows` more texts of `bytes` in all, made once.
    pub fn reserve_exact(&mut self, rows: usize, bytes: usize) {
        self.ends.reserve_exact(rows);
        self.text.reserve_exact(bytes);
    }
}

impl FactKeys {
    /// The keys of every transaction fact of `data`.
    pub fn of(data: &Dataset) -> FactKeys {
        let mut keys = FactKeys::default();
        let number_bytes = data.invoices.iter().map(|i| i.number.len()).sum();
        keys.numbers
            .reserve_exact(data.invoices.len(), number_bytes);
        for i in &data.invoices {
            let k = keys.key(&i.customer_id);
            keys.invoices.push(k);
            keys.numbers.push(&i.number);
        }
        let role_bytes = data.time_entries.iter().map(|t| t.role.len()).sum();
        keys.roles
            .reserve_exact(data.time_entries.len(), role_bytes);
        for t in &data.time_entries {
            let k = keys.key(&t.customer_id);
            keys.time_entries.push(k);
            keys.roles.push(&t.role);
        }
        for a in &data.activities {
            let k = keys.key(&a.customer_id);
            keys.activities.push(k);
        }
        keys
    }

    /// The key of `id`, new when the id is.
    pub fn key(&mut self, id: &str) -> u32 {
        self.key_read(ReadId::of(id))
    }

    /// [`FactKeys::key`] of an id made ready while its row was read.
    #[inline]
    pub fn key_read(&mut self, read: ReadId) -> u32 {
        if let Some(k) = self.key_of.get_read(read) {
            return k;
        }
        let k = self.ids.len() as u32;
        self.key_of.insert(read.id, k);
        self.ids.push(read.id.to_string());
        k
    }

    /// The key of `id`, if a fact has it.
    pub fn find(&self, id: &str) -> Option<u32> {
        self.key_of.get(id)
    }

    /// The invoices aggregation reads: the import's figures, or else the dataset's invoices.
    fn invoice_rows<'a>(&'a self, data: &'a Dataset) -> InvoiceRows<'a> {
        if self.figures.is_empty() {
            InvoiceRows::Facts(&data.invoices)
        } else {
            InvoiceRows::Figures(&self.figures)
        }
    }

    /// Whether there is a key for every fact of `data`, as aggregation reads them.
    fn fit(&self, data: &Dataset) -> bool {
        let n = self.ids.len() as u32;
        let within = |keys: &[u32]| keys.iter().all(|&k| k < n);
        let invoices = self.invoice_rows(data).len();
        (self.figures.is_empty() || data.invoices.is_empty())
            && self.invoices.len() == invoices
            && self.numbers.len() == invoices
            && self.time_entries.len() == data.time_entries.len()
            && self.roles.len() == data.time_entries.len()
            && self.activities.len() == data.activities.len()
            && within(&self.invoices)
            && within(&self.time_entries)
            && within(&self.activities)
    }
}

/// Aggregates a dataset into the model. Never fails: unusable rows are returned as rejected.
pub fn aggregate(data: &Dataset) -> Aggregated {
    aggregate_keyed(data, &FactKeys::of(data))
}

/// A dataset whose facts' customer ids are keyed already, as the import hands its facts to
/// aggregation (it keys each row's id while it reads the row, with the hash it computes there
/// anyway): for benchmarks that time aggregating apart from keying ids. Its invoices are read
/// from the dataset's own, where the import's are [`InvoiceFigures`] kept with the keys.
pub struct KeyedDataset {
    data: Dataset,
    keys: FactKeys,
}

impl KeyedDataset {
    pub fn new(data: Dataset) -> KeyedDataset {
        let keys = FactKeys::of(&data);
        KeyedDataset { data, keys }
    }

    /// What [`aggregate`] gives for the dataset.
    pub fn aggregate(&self) -> Aggregated {
        aggregate_keyed(&self.data, &self.keys)
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }
}

/// [`aggregate`] with the facts' customer keys already made (see [`FactKeys`]). The keys stand
/// for the transaction facts' customer ids, and their [`RowTexts`] for the invoices' numbers
/// and the time entries' roles, which are not read: the import leaves them empty rather than
/// copy every row's id, number and role into a string of its own.
///
/// # Panics
/// When the keys are not those of `data`'s facts: a mistake in the caller, never the data's.
pub(crate) fn aggregate_keyed(data: &Dataset, keys: &FactKeys) -> Aggregated {
    assert!(keys.fit(data), "a key for every transaction fact");
    let mut ledger = Ledger {
        rejected: Vec::new(),
        counts: Vec::new(),
    };
    let mut model = Model::default();
    // Each customer's place by its id (short ids held in the table, as for the facts' keys).
    let mut index = IdKeys::with_capacity(data.customers.len());
    let mut used_customers: Vec<&crate::facts::Customer> = Vec::with_capacity(data.customers.len());

    for (row, c) in data.customers.iter().enumerate() {
        if c.id.trim().is_empty() {
            ledger.reject(
                Table::Customers,
                row,
                "customer_id",
                &c.id,
                RejectReason::EmptyCustomerId,
            );
            continue;
        }
        if index.get(&c.id).is_some() {
            ledger.reject(
                Table::Customers,
                row,
                "customer_id",
                &c.id,
                RejectReason::DuplicateCustomer,
            );
            continue;
        }
        if let Some(cost) = c.acquisition_cost.filter(|m| m.is_negative()) {
            ledger.reject(
                Table::Customers,
                row,
                "acquisition_cost",
                &cost.to_string(),
                RejectReason::NegativeAcquisitionCost,
            );
            continue;
        }
        index.insert(&c.id, model.ids.len() as u32);
        used_customers.push(c);
        model.ids.push(c.id.clone());
        model.names.push(c.name.clone());
        model
            .acquired
            .push(c.acquired_on.map_or(NOT_ACQUIRED, |d| d.period().0));
        model
            .acquisition_cost
            .push(c.acquisition_cost.map_or(COST_UNKNOWN, Money::cents));
        ledger.used(Table::Customers);
    }
    model.attributes = encode_attributes(&data.attribute_names, &used_customers);

    // Each distinct id looked up once.
    let customer_of: Vec<Option<u32>> = keys.ids.iter().map(|id| index.get(id)).collect();

    let invoices = keys.invoice_rows(data);
    let as_of = data.as_of.unwrap_or_else(|| latest_date(data, invoices));
    model.as_of = Some(as_of);

    // First every row on its own, in row order (roles take their slots in the order they
    // appear); then each customer's rows together, in the order they came.
    let (mut slots, placements) = Slots::of(keys, customer_of, model.ids.len());
    // What fills a slot that no row takes: never read.
    let unfilled = Pending {
        customer: 0,
        month: 0,
        row: 0,
        contribution: Contribution::Count { kind: 0, count: 0 },
    };
    let mut pending: Vec<Pending> = vec![unfilled; slots.len()];
    let placing = Placing {
        invoices,
        keys,
        placements: &placements,
        as_of_days: as_of.days_since_epoch(),
    };
    let mut placed_at = Vec::with_capacity(PORTION_ROWS);
    for rows in portions(0..invoices.len()) {
        placing.invoices(rows, &mut ledger, &mut slots, &mut pending, &mut placed_at);
    }
    let mut place = |at: Placement, p: Pending| slots.place(at, p, &mut pending);

    let mut roles: Vec<String> = Vec::new();
    for ((row, t), &key) in data.time_entries.iter().enumerate().zip(&keys.time_entries) {
        let Some(at) = placements[key as usize] else {
            ledger.reject(
                Table::TimeLog,
                row,
                "customer_id",
                &keys.ids[key as usize],
                RejectReason::UnknownCustomer,
            );
            continue;
        };
        if t.hours_milli < 0 {
            ledger.reject(
                Table::TimeLog,
                row,
                "hours",
                &milli_to_string(t.hours_milli),
                RejectReason::NegativeHours,
            );
            continue;
        }
        // Roles match as the assumptions match them: "Support" is "support".
        let role_name = keys.roles.get(row);
        let role = match roles.iter().position(|r| same_name(r, role_name)) {
            Some(i) => i,
            None if roles.len() < MAX_ROLES => {
                roles.push(role_name.trim().to_string());
                roles.len() - 1
            }
            None => {
                ledger.reject(
                    Table::TimeLog,
                    row,
                    "role",
                    role_name,
                    RejectReason::TooManyRoles {
                        max: MAX_ROLES as u8,
                    },
                );
                continue;
            }
        };
        let Ok(milli) = u32::try_from(t.hours_milli) else {
            ledger.reject(
                Table::TimeLog,
                row,
                "hours",
                &milli_to_string(t.hours_milli),
                RejectReason::Overflow,
            );
            continue;
        };
        place(
            at,
            Pending {
                customer: at.customer,
                month: t.date.period().0,
                row: row as u32,
                contribution: Contribution::Hours {
                    role: role as u8,
                    milli,
                },
            },
        );
    }
    model.roles = roles;

    for ((row, a), &key) in data.activities.iter().enumerate().zip(&keys.activities) {
        let Some(at) = placements[key as usize] else {
            ledger.reject(
                Table::Activities,
                row,
                "customer_id",
                &keys.ids[key as usize],
                RejectReason::UnknownCustomer,
            );
            continue;
        };
        place(
            at,
            Pending {
                customer: at.customer,
                month: a.date.period().0,
                row: row as u32,
                contribution: Contribution::Count {
                    kind: a.kind.index() as u8,
                    count: a.count,
                },
            },
        );
    }

    // Each block's rows grouped by customer, about a portion's rows in a call, and the month
    // cells and their fields counted: vectors grown cell by cell would hold their old and new
    // buffers at once, while the pending rows are still held.
    let (mut scratch, mut months) = (Vec::new(), Vec::new());
    let mut cells = CellCount::default();
    for blocks in portions_of(0..slots.blocks(), PORTION_ROWS / BLOCK_ROWS as usize) {
        cells += slots.group(blocks, &mut pending, &mut scratch, &mut months);
    }
    drop(scratch);

    // Each customer: its total, its months (found by a short search: few per customer), and
    // the invoice numbers it has used, by hash, with the rows that used them.
    let drivers = vec![DriverRow::default(); model.ids.len()];
    let periods = Periods::with_capacity(cells.cells, cells.fields);
    let mut adding = AddingUp {
        data,
        invoices,
        keys,
        pending: &pending,
        drivers,
        periods,
        window: None,
        months: Vec::new(),
        in_order: Vec::new(),
        numbers: UsedNumbers::default(),
    };
    let mut filled = slots.filled().peekable();
    while filled.peek().is_some() {
        adding.customers(filled.by_ref().take(PORTION_CUSTOMERS), &mut ledger);
    }
    let AddingUp {
        drivers,
        periods,
        window,
        ..
    } = adding;

    let mut referred: FastSet<u32> = FastSet::default();
    let mut pairs: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (row, r) in data.referrals.iter().enumerate() {
        let (Some(from), Some(to)) = (index.get(&r.referrer_id), index.get(&r.referred_id)) else {
            let (field, value) = if index.get(&r.referrer_id).is_some() {
                ("referred_id", &r.referred_id)
            } else {
                ("referrer_id", &r.referrer_id)
            };
            ledger.reject(
                Table::Referrals,
                row,
                field,
                value,
                RejectReason::UnknownCustomer,
            );
            continue;
        };
        let reason = if from == to {
            Some(RejectReason::SelfReferral)
        } else if pairs.contains(&(from, to)) {
            Some(RejectReason::DuplicateReferral)
        } else if referred.contains(&to) {
            Some(RejectReason::AlreadyReferred)
        } else {
            None
        };
        if let Some(reason) = reason {
            ledger.reject(Table::Referrals, row, "referred_id", &r.referred_id, reason);
            continue;
        }
        pairs.insert((from, to));
        referred.insert(to);
        model.referrals.push(ReferralLink {
            referrer: from,
            referred: to,
            would_have_come_anyway: r.would_have_come_anyway,
        });
        ledger.used(Table::Referrals);
    }
    model.referrals.sort_by_key(|r| (r.referrer, r.referred));

    model.periods = periods;
    model.drivers = drivers;
    // Rows refused while adding up each customer were reported customer by customer: the
    // account lists them table by table, in row order.
    ledger.rejected.sort_by_key(|r| (r.table.index(), r.row));
    model.bounds = model.driver_bounds();
    model.window = window;

    Aggregated {
        model,
        rejected: ledger.rejected,
        counts: ledger.counts,
    }
}

fn encode_attributes<'a>(
    names: &[String],
    customers: &[&'a crate::facts::Customer],
) -> Vec<AttributeColumn> {
    names
        .iter()
        .enumerate()
        .map(|(col, name)| {
            let value =
                |c: &'a crate::facts::Customer| c.attributes.get(col).map_or("", String::as_str);
            // Codes in order of first appearance, then renumbered so values are sorted.
            let mut seen: FastMap<&str, u32> = FastMap::default();
            let first_codes: Vec<u32> = customers
                .iter()
                .map(|c| {
                    let next = seen.len() as u32;
                    *seen.entry(value(c)).or_insert(next)
                })
                .collect();
            let mut values: Vec<(&str, u32)> = seen.into_iter().collect();
            values.sort_unstable();
            let mut sorted_code = vec![0u32; values.len()];
            for (position, &(_, first)) in values.iter().enumerate() {
                sorted_code[first as usize] = position as u32;
            }
            AttributeColumn {
                name: name.clone(),
                values: values.into_iter().map(|(v, _)| v.to_string()).collect(),
                codes: first_codes
                    .into_iter()
                    .map(|c| sorted_code[c as usize])
                    .collect(),
            }
        })
        .collect()
}

/// The latest date among all facts, used as the as-of date when the data does not give one.
fn latest_date(data: &Dataset, invoices: InvoiceRows) -> Date {
    // A date and an optional date are each one order-keeping number: comparing them is one
    // comparison, and an absent paid date (None) is below any date.
    let mut latest = None;
    for row in 0..invoices.len() {
        let i = invoices.get(row);
        latest = latest.max(Some(i.date)).max(i.paid);
    }
    for t in &data.time_entries {
        latest = latest.max(Some(t.date));
    }
    for a in &data.activities {
        latest = latest.max(Some(a.date));
    }
    latest.unwrap_or(Date::new(2000, 1, 1).expect("valid constant date"))
}

fn milli_to_string(v: i64) -> String {
    rust_decimal::Decimal::new(v, 3).normalize().to_string()
}

#[cfg(test)]
// Cents written as units_cents: 100_00 is 100.00.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn figure() -> impl Strategy<Value = i64> {
        prop_oneof![any::<i64>(), -1_000_000i64..1_000_000]
    }

    proptest! {
        // The shortcut's product is the checked one, for amounts either side of its 2^40
        // bound and days either side of 2^22.
        #[test]
        fn amount_times_days_is_the_checked_product(
            amount in prop_oneof![any::<i64>(), -(1i64 << 42)..(1i64 << 42)],
            days in prop_oneof![-(1i64 << 24)..(1i64 << 24), any::<i64>()],
        ) {
            prop_assert_eq!(amount_times_days(amount, days), amount.checked_mul(days));
        }

        // An invoice adds to revenue, amount x days outstanding, and where it has them its cost
        // and its open bucket: every sum exact, or nothing added at all.
        #[test]
        fn an_invoice_adds_its_figures_or_nothing(
            fields in proptest::array::uniform9(figure()),
            net in figure(),
            cost in proptest::option::of(figure()),
            days in prop_oneof![0u32..400, 0u32..1 << 22],
            bucket in proptest::option::of(0u8..AGE_BUCKETS as u8),
        ) {
            let row = DriverRow {
                revenue: fields[0],
                costed_revenue: fields[1],
                known_cost: fields[2],
                amount_days: fields[3],
                open_by_bucket: [fields[4], fields[5], fields[6], fields[7], fields[8]],
                hours_by_role: [7; MAX_ROLES],
                counts: [3; ActivityKind::COUNT],
            };
            let sum = |a: i64, b: i64| i64::try_from(i128::from(a) + i128::from(b)).ok();
            let mut want = row;
            let fits = (|| {
                want.revenue = sum(row.revenue, net)?;
                let amount_days = i64::try_from(i128::from(net) * i128::from(days)).ok()?;
                want.amount_days = sum(row.amount_days, amount_days)?;
                if let Some(cost) = cost {
                    want.costed_revenue = sum(row.costed_revenue, net)?;
                    want.known_cost = sum(row.known_cost, cost)?;
                }
                if let Some(b) = bucket {
                    want.open_by_bucket[b as usize] = sum(row.open_by_bucket[b as usize], net)?;
                }
                Some(())
            })()
            .is_some();
            let invoice = Contribution::Invoice {
                net: HalvedCents::new(net),
                cost: HalvedCents::new(cost.unwrap_or(0)),
                costed: cost.is_some(),
                days,
                open_bucket: OpenBucket::new(bucket),
                refused: None,
                number: None,
            };
            let mut got = row;
            prop_assert_eq!(invoice.try_add_to(&mut got), fits);
            prop_assert_eq!(got, if fits { want } else { row });
        }
    }

    /// A driver row with each field zero or not at random: zero is as likely as any value.
    fn sparse_row() -> impl Strategy<Value = DriverRow> {
        let money = prop_oneof![Just(0i64), any::<i64>()];
        let usage = prop_oneof![Just(0u32), any::<u32>()];
        (
            proptest::array::uniform4(money.clone()),
            proptest::array::uniform5(money),
            proptest::array::uniform6(usage.clone()),
            proptest::array::uniform7(usage),
        )
            .prop_map(|(m, open_by_bucket, hours_by_role, counts)| DriverRow {
                revenue: m[0],
                costed_revenue: m[1],
                known_cost: m[2],
                amount_days: m[3],
                open_by_bucket,
                hours_by_role,
                counts,
            })
    }

    proptest! {
        // The month cells read back as they were pushed, whichever of their fields are zero,
        // and each keeps only its non-zero fields.
        #[test]
        fn month_cells_read_back_as_pushed(rows in proptest::collection::vec(sparse_row(), 0..20)) {
            let mut periods = Periods::default();
            for (i, row) in rows.iter().enumerate() {
                periods.push(i as u32 / 3, Month(24_300 + i as i32), row);
            }
            prop_assert_eq!(periods.len(), rows.len());
            for (i, row) in rows.iter().enumerate() {
                let cell = periods.get(i);
                prop_assert_eq!(cell.customer, i as u32 / 3);
                prop_assert_eq!(cell.month, Month(24_300 + i as i32));
                prop_assert_eq!(cell.row, *row);
            }
            let non_zero = rows.iter().flat_map(|r| r.fields()).filter(|&f| f != 0).count();
            prop_assert_eq!(periods.fields.len(), non_zero);
            // Through serde's form (a list of cells, as version 1 of a saved record holds it).
            let cells: Vec<PeriodCell> = periods.clone().into();
            prop_assert_eq!(Periods::from(cells), periods);
        }
    }

    #[test]
    fn a_customers_month_cells_are_counted_with_the_fields_their_rows_feed() {
        let invoice = |month, costed, open_bucket| Pending {
            customer: 0,
            month,
            row: 0,
            contribution: Contribution::Invoice {
                net: HalvedCents::new(100),
                cost: HalvedCents::new(40),
                costed,
                days: 30,
                open_bucket: OpenBucket::new(open_bucket),
                refused: None,
                number: None,
            },
        };
        let usage = |month, contribution| Pending {
            customer: 0,
            month,
            row: 0,
            contribution,
        };
        let rows = [
            // Month 1: revenue and amount x days (fields 0 and 3), then the same again with
            // costed revenue and known cost (1, 2) and open bucket 2 (field 4 + 2): 5 fields.
            invoice(1, false, None),
            invoice(1, true, Some(2)),
            // Month 2: hours of role 1 (field 9 + 1) and a count of kind 3 (field 15 + 3),
            // each twice: 2 fields.
            usage(2, Contribution::Hours { role: 1, milli: 1 }),
            usage(2, Contribution::Count { kind: 3, count: 1 }),
            usage(2, Contribution::Hours { role: 1, milli: 1 }),
            usage(2, Contribution::Count { kind: 3, count: 1 }),
            // Month 3: one plain invoice, 2 fields.
            invoice(3, false, None),
        ];
        let count = month_cells(&rows, &mut Vec::new());
        assert_eq!((count.cells, count.fields), (3, 5 + 2 + 2));
        assert_eq!(
            rows[1].contribution.fields_fed(),
            0b100_1111,
            "fields 0 to 3 and 6"
        );
        assert_eq!(rows[2].contribution.fields_fed(), 1 << 10);
        assert_eq!(rows[3].contribution.fields_fed(), 1 << 18);
    }

    #[test]
    fn a_months_fed_fields_that_came_to_zero_are_left_out() {
        // Revenue (field 0) and hours of role 1 (field 10) fed and kept; amount x days (field
        // 3) fed and back to zero, as an invoice and its credit note of the same day leave it.
        let mut row = DriverRow {
            revenue: 100,
            ..DriverRow::default()
        };
        row.hours_by_role[1] = 5;
        let fed_fields = 1 << REVENUE | 1 << AMOUNT_DAYS | 1 << (HOUR_FIELDS + 1);
        let (mut fed, mut pushed) = (Periods::default(), Periods::default());
        fed.push_fed(7, Month(3), &row, fed_fields);
        pushed.push(7, Month(3), &row);
        assert_eq!(fed, pushed);
        let (_, _, mask, fields) = fed.stored().next().unwrap();
        assert_eq!((mask, fields), (1 | 1 << 10, &[100, 5][..]));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a field not fed")]
    fn a_month_cell_of_a_field_its_rows_did_not_feed_is_a_mistake() {
        let row = DriverRow {
            revenue: 1,
            ..DriverRow::default()
        };
        Periods::default().push_fed(0, Month(0), &row, 1 << AMOUNT_DAYS);
    }

    #[test]
    fn a_rows_field_is_its_place_in_the_list_of_fields() {
        let mut row = DriverRow::default();
        for field in 0..ROW_FIELDS {
            row.set_field(field, field as i64 + 1);
        }
        let fields = row.fields();
        assert_eq!(fields[ROW_FIELDS - 1], ROW_FIELDS as i64);
        for (field, &value) in fields.iter().enumerate() {
            assert_eq!(row.field(field), value, "field {field}");
        }
        assert_eq!(row.field(ROW_FIELDS), 0);
    }

    #[test]
    fn a_customers_month_cells_are_found_by_customer() {
        let row = |revenue| DriverRow {
            revenue,
            ..DriverRow::default()
        };
        let mut model = Model::default();
        // Customers 0 and 2 have months; customer 1 has none.
        model.periods.push(0, Month(10), &row(1));
        model.periods.push(0, Month(11), &row(2));
        model.periods.push(2, Month(11), &row(3));
        let revenue_of = |c| {
            model
                .periods_of(c)
                .map(|p| (p.month.0, p.row.revenue))
                .collect::<Vec<_>>()
        };
        assert_eq!(revenue_of(0), vec![(10, 1), (11, 2)]);
        assert_eq!(revenue_of(1), vec![]);
        assert_eq!(revenue_of(2), vec![(11, 3)]);
        assert_eq!(revenue_of(3), vec![]);
    }

    proptest! {
        // A short id's two words are its bytes in order with zeros after them and its length
        // in the last byte, whatever its length.
        #[test]
        fn a_short_id_is_its_bytes_then_zeros_then_its_length(id in "[a-zA-Z0-9 é-]{0,17}") {
            let bytes = id.as_bytes();
            let want = (bytes.len() < 16).then(|| {
                let mut held = [0u8; 16];
                held[..bytes.len()].copy_from_slice(bytes);
                held[15] = bytes.len() as u8;
                let (low, high) = held.split_at(8);
                ShortId(
                    u64::from_le_bytes(low.try_into().unwrap()),
                    u64::from_le_bytes(high.try_into().unwrap()),
                )
            });
            prop_assert_eq!(ShortId::of(&id), want);
        }
    }

    #[test]
    fn a_keyed_dataset_aggregates_as_its_dataset_does() {
        let data = crate::sample::sample_company();
        let keyed = KeyedDataset::new(data.clone());
        let (direct, through_keys) = (aggregate(&data), keyed.aggregate());
        assert_eq!(through_keys.model, direct.model);
        assert_eq!(through_keys.rejected, direct.rejected);
        assert_eq!(keyed.data(), &data);
    }

    #[test]
    fn ids_short_and_long_find_their_own_keys() {
        let ids = [
            "",
            "A",
            "A\0",
            "C0001234",
            "fifteen bytes!!",
            "sixteen bytes!!!",
            "sixteen bytes!!?",
            "a customer id much longer than a word or two",
            "Ügyfél 7",
        ];
        let mut keys = IdKeys::default();
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(keys.get(id), None, "{id}");
            keys.insert(id, k as u32);
        }
        for (k, id) in ids.iter().enumerate() {
            assert_eq!(keys.get(id), Some(k as u32), "{id}");
        }
        assert_eq!(keys.get("A\0\0"), None);
        assert_eq!(keys.get("sixteen bytes!!"), None);
    }

    #[test]
    fn a_pending_row_takes_40_bytes() {
        // Invoice: net and cost (2 x 8, in halves aligned to 4), days and the number's hash
        // (2 x 4), whether costed, the open bucket (1) and the refusal (2), the kind in a
        // value none of them takes: 28; with the customer, month and row (12): 40. A million
        // of them wait at once while a large import is added up (80 bytes each four rounds
        // ago, 56 three rounds ago, 48 until this one).
        assert!(std::mem::size_of::<Pending>() <= 40);
    }

    proptest! {
        #[test]
        fn cents_in_halves_are_the_cents_they_were(cents in any::<i64>()) {
            prop_assert_eq!(HalvedCents::new(cents).get(), cents);
        }
    }

    #[test]
    fn cents_in_halves_at_the_edges_and_buckets_in_a_byte() {
        for cents in [
            0,
            1,
            -1,
            i64::MAX,
            i64::MIN,
            1 << 32,
            -(1 << 32),
            u32::MAX as i64,
        ] {
            assert_eq!(HalvedCents::new(cents).get(), cents);
        }
        for bucket in [None, Some(0), Some(AGE_BUCKETS as u8 - 1)] {
            assert_eq!(OpenBucket::new(bucket).get(), bucket);
        }
    }

    #[test]
    fn a_row_that_would_overflow_its_month_or_its_total_adds_to_neither() {
        let invoice = Contribution::Invoice {
            net: HalvedCents::new(100),
            cost: HalvedCents::new(30),
            costed: true,
            days: 5,
            open_bucket: OpenBucket::new(None),
            refused: None,
            number: None,
        };
        let nearly_full = DriverRow {
            revenue: i64::MAX - 50,
            ..DriverRow::default()
        };
        let (mut total, mut month) = (DriverRow::default(), nearly_full);
        assert!(!invoice.try_add_to_both(&mut total, &mut month));
        assert!(!invoice.try_add_to_both(&mut month, &mut total));
        assert_eq!((total, month), (DriverRow::default(), nearly_full));
        let mut month = DriverRow::default();
        assert!(invoice.try_add_to_both(&mut total, &mut month));
        let added = DriverRow {
            revenue: 100,
            costed_revenue: 100,
            known_cost: 30,
            // 100 cents x 5 days.
            amount_days: 500,
            ..DriverRow::default()
        };
        assert_eq!((total, month), (added, added));
    }

    #[test]
    fn hours_and_counts_add_to_their_own_slot_or_not_at_all() {
        let mut row = DriverRow::default();
        assert!(Contribution::Hours {
            role: 2,
            milli: 1_500
        }
        .try_add_to(&mut row));
        assert!(Contribution::Count { kind: 1, count: 4 }.try_add_to(&mut row));
        assert_eq!(row.hours_by_role, [0, 0, 1_500, 0, 0, 0]);
        assert_eq!(row.counts, [0, 4, 0, 0, 0, 0, 0]);
        let before = row;
        assert!(!Contribution::Count {
            kind: 1,
            count: u32::MAX
        }
        .try_add_to(&mut row));
        assert!(!Contribution::Hours {
            role: 2,
            milli: u32::MAX
        }
        .try_add_to(&mut row));
        assert_eq!(row, before);
    }
    use crate::facts::{Customer, Invoice};

    fn customer(id: &str) -> Customer {
        Customer {
            id: id.into(),
            name: id.into(),
            attributes: Vec::new(),
            acquired_on: None,
            acquisition_cost: None,
        }
    }

    fn invoice(customer: &str, number: &str, cents: i64, discount: i64) -> Invoice {
        let day = Date::new(2026, 3, 1).unwrap();
        Invoice {
            customer_id: customer.into(),
            number: number.into(),
            date: day,
            amount: Money(cents),
            discount: Money(discount),
            cost: None,
            due: Some(day),
            paid: Some(day),
        }
    }

    #[test]
    fn customers_are_found_by_id_with_transactions_or_without() {
        let with_cost = |id: &str, cents: i64| Customer {
            acquisition_cost: Some(Money(cents)),
            ..customer(id)
        };
        let referral = |from: &str, to: &str| crate::facts::Referral {
            referrer_id: from.into(),
            referred_id: to.into(),
            would_have_come_anyway: false,
        };
        // A and C have invoices, B and D none. Rows 2 and 4 repeat A and B; rows 5 and 7 are
        // C and D at a negative acquisition cost, refused, so that rows 6 and 8 take their ids.
        let data = Dataset {
            customers: vec![
                customer("A"),
                customer("A"),
                customer("B"),
                customer("B"),
                with_cost("C", -1),
                with_cost("C", 5_00),
                with_cost("D", -1),
                customer("D"),
            ],
            invoices: vec![
                invoice("A", "1", 100_00, 0),
                invoice("C", "2", 50_00, 0),
                invoice("X", "3", 10_00, 0),
            ],
            referrals: vec![
                referral("A", "B"),
                referral("B", "C"),
                referral("D", "A"),
                referral("X", "A"),
                referral("A", "Y"),
            ],
            ..Dataset::default()
        };
        let agg = aggregate(&data);
        assert_eq!(agg.model.ids, ["A", "B", "C", "D"]);
        assert_eq!(
            agg.model.acquisition_cost,
            [COST_UNKNOWN, COST_UNKNOWN, 5_00, COST_UNKNOWN]
        );
        let revenue: Vec<i64> = agg.model.drivers.iter().map(|d| d.revenue).collect();
        assert_eq!(revenue, [100_00, 0, 50_00, 0]);
        let links: Vec<_> = agg
            .model
            .referrals
            .iter()
            .map(|r| (r.referrer, r.referred))
            .collect();
        assert_eq!(links, [(0, 1), (1, 2), (3, 0)]);
        let refused: Vec<_> = agg
            .rejected
            .iter()
            .map(|r| (r.table, r.row, r.value.as_str(), r.reason))
            .collect();
        use RejectReason::*;
        assert_eq!(
            refused,
            [
                (Table::Customers, 2, "A", DuplicateCustomer),
                (Table::Customers, 4, "B", DuplicateCustomer),
                (Table::Customers, 5, "-0.01", NegativeAcquisitionCost),
                (Table::Customers, 7, "-0.01", NegativeAcquisitionCost),
                (Table::Invoices, 3, "X", UnknownCustomer),
                (Table::Referrals, 4, "X", UnknownCustomer),
                (Table::Referrals, 5, "Y", UnknownCustomer),
            ]
        );
    }

    #[test]
    fn time_refused_after_its_customer_is_found_leaves_the_other_rows_whole() {
        let day = Date::new(2026, 3, 2).unwrap();
        let time = |customer: &str, role: &str, hours_milli: i64| crate::facts::TimeEntry {
            customer_id: customer.into(),
            date: day,
            role: role.into(),
            activity: String::new(),
            hours_milli,
        };
        let mut time_entries = vec![time("A", "support", -1_000), time("A", "support", 1_500)];
        // Seven roles for B: the seventh is one more than the model keeps.
        for role in ["r1", "r2", "r3", "r4", "r5", "r6"] {
            time_entries.push(time("B", role, 250));
        }
        let data = Dataset {
            customers: vec![customer("A"), customer("B")],
            invoices: vec![invoice("A", "1", 40_00, 0), invoice("B", "2", 60_00, 0)],
            time_entries,
            ..Dataset::default()
        };
        let agg = aggregate(&data);
        let [a, b] = [agg.model.drivers[0], agg.model.drivers[1]];
        // A: its invoice and 1.5 hours of support (the first role); -1 hour refused.
        assert_eq!(
            (a.revenue, a.hours_by_role),
            (40_00, [1_500, 0, 0, 0, 0, 0])
        );
        // B: its invoice and 0.25 hours in each of roles r1 to r5; r6 refused.
        assert_eq!(
            (b.revenue, b.hours_by_role),
            (60_00, [0, 250, 250, 250, 250, 250])
        );
        let refused: Vec<_> = agg.rejected.iter().map(|r| (r.row, r.reason)).collect();
        assert_eq!(
            refused,
            vec![
                (1, RejectReason::NegativeHours),
                (
                    8,
                    RejectReason::TooManyRoles {
                        max: MAX_ROLES as u8
                    }
                ),
            ]
        );
    }

    #[test]
    fn rows_and_customers_in_many_portions_add_up_as_in_one() {
        // 40,000 invoices of 5,000 customers: three portions of rows (16,384 each) and two of
        // customers (4,096). Row i is customer i mod 5,000's, of i + 1 cents, in month
        // 1 + i mod 12 of 2025, numbered N(i mod 35,000): rows 35,000 to 39,999 repeat the
        // numbers of rows 0 to 4,999, which are the same customers' (35,000 = 7 x 5,000).
        let (customers, rows) = (5_000, 40_000);
        let mut data = Dataset {
            customers: (0..customers).map(|c| customer(&format!("C{c}"))).collect(),
            ..Dataset::default()
        };
        data.invoices = (0..rows)
            .map(|i| Invoice {
                date: Date::new(2025, 1 + (i % 12) as u32, 5).unwrap(),
                ..invoice(
                    &format!("C{}", i % customers),
                    &format!("N{}", i % 35_000),
                    i as i64 + 1,
                    0,
                )
            })
            .collect();
        let out = aggregate(&data);
        // Customer c's used rows are c + 5,000k for k = 0..6: 7(c + 1) + 5,000 x (0 + ... + 6)
        // = 7(c + 1) + 105,000 cents.
        for c in 0..customers {
            assert_eq!(out.model.drivers[c].revenue, 7 * (c as i64 + 1) + 105_000);
        }
        // The 5,000 repeats are refused, in row order (rows count from 1), each naming its
        // number.
        assert_eq!(out.rejected.len(), 5_000);
        for (k, r) in out.rejected.iter().enumerate() {
            assert_eq!(
                (r.row, r.reason),
                (35_001 + k, RejectReason::DuplicateInvoice)
            );
            assert_eq!(r.value, format!("N{k}"));
        }
        let window = out.model.window.unwrap();
        assert_eq!(window.0, Date::new(2025, 1, 1).unwrap().period());
        assert_eq!(window.1, Date::new(2025, 12, 1).unwrap().period());
        // Customer c's used rows fall in months c + 8k mod 12 (5,000 is 8 mod 12): three of
        // them (8 x 3 = 24 is 0 mod 12).
        assert_eq!(out.model.periods.len(), 3 * customers);
    }

    #[test]
    fn a_customer_with_more_rows_than_a_block_and_many_small_ones_add_up_as_summed_directly() {
        // 200 small customers with 40 rows each around one with 24,000: blocks of many
        // customers (4,000 rows each) on either side of a block of one, with more rows than a
        // block of several may hold. Row i is of i + 1 cents in month 1 + i mod 12; the rows
        // of all customers are mixed.
        const ROWS: usize = 32_000;
        assert!(ROWS / 4 * 3 > BLOCK_ROWS as usize && ROWS / 4 / 2 < BLOCK_ROWS as usize);
        let mut ids: Vec<String> = (0..100).map(|k| format!("S{k}")).collect();
        ids.push("Big".into());
        ids.extend((0..100).map(|k| format!("T{k}")));
        // Three rows in four are Big's (index 100); the fourth goes round the small ones.
        let owner = |i: usize| match (i % 4, (i / 4) % 200) {
            (1..=3, _) => 100,
            (_, small) => small + usize::from(small >= 100),
        };
        let data = Dataset {
            customers: ids.iter().map(|id| customer(id)).collect(),
            invoices: (0..ROWS)
                .map(|i| Invoice {
                    date: Date::new(2025, 1 + (i % 12) as u32, 5).unwrap(),
                    ..invoice(&ids[owner(i)], &format!("N{i}"), i as i64 + 1, 0)
                })
                .collect(),
            ..Dataset::default()
        };
        let mut by_customer = vec![0i64; ids.len()];
        let mut by_month = std::collections::BTreeMap::new();
        for i in 0..ROWS {
            by_customer[owner(i)] += i as i64 + 1;
            *by_month.entry((owner(i) as u32, 1 + i % 12)).or_insert(0) += i as i64 + 1;
        }
        assert_eq!(by_customer.iter().filter(|&&r| r > 0).count(), 201);
        // The small customers before Big, Big, and those after it: three blocks.
        let keys = FactKeys::of(&data);
        let place = |id: &String| ids.iter().position(|c| c == id).map(|c| c as u32);
        let (slots, _) = Slots::of(&keys, keys.ids.iter().map(place).collect(), ids.len());
        assert_eq!(slots.block_starts, [0, 100, 101, 201]);
        let out = aggregate(&data);
        assert!(out.rejected.is_empty());
        let revenue: Vec<i64> = out.model.drivers.iter().map(|d| d.revenue).collect();
        assert_eq!(revenue, by_customer);
        let cells: std::collections::BTreeMap<(u32, usize), i64> = out
            .model
            .periods
            .iter()
            .map(|p| ((p.customer, p.month.month() as usize), p.row.revenue))
            .collect();
        assert_eq!(cells, by_month);
        // The month cells and their fields were counted before they were made: room for each,
        // and no more (each month's invoices feed its revenue and amount x days, both non-zero,
        // and its open bucket when one is open).
        let periods = &out.model.periods;
        assert_eq!(periods.customers.capacity(), by_month.len());
        assert_eq!(periods.fields.capacity(), periods.fields.len());
    }

    #[test]
    fn without_an_as_of_date_the_latest_date_of_any_fact_is_taken() {
        let day = |y, m, d| Date::new(y, m, d).unwrap();
        let at = |date, paid| Invoice {
            date,
            due: None,
            paid,
            ..invoice("C1", "", 100, 0)
        };
        let as_of = |data: &Dataset| aggregate(data).model.as_of.unwrap();
        // An invoice of 30 December paid on the 31st, one of 14 December open, and a time
        // entry of 30 November: the payment is the latest.
        let mut data = Dataset {
            customers: vec![customer("C1")],
            invoices: vec![
                at(day(2025, 12, 30), Some(day(2025, 12, 31))),
                at(day(2025, 12, 14), None),
            ],
            time_entries: vec![crate::facts::TimeEntry {
                customer_id: "C1".into(),
                date: day(2025, 11, 30),
                role: "support".into(),
                activity: String::new(),
                hours_milli: 1_000,
            }],
            ..Dataset::default()
        };
        assert_eq!(as_of(&data), day(2025, 12, 31));
        // A time entry and then an activity of the next year come later still.
        data.time_entries[0].date = day(2026, 1, 2);
        assert_eq!(as_of(&data), day(2026, 1, 2));
        data.activities.push(crate::facts::ActivityCount {
            customer_id: "C1".into(),
            date: day(2026, 2, 28),
            kind: ActivityKind::Ticket,
            count: 1,
        });
        assert_eq!(as_of(&data), day(2026, 2, 28));
        // No facts at all: the first of January 2000.
        assert_eq!(
            as_of(&Dataset {
                customers: vec![customer("C1")],
                ..Dataset::default()
            }),
            day(2000, 1, 1)
        );
    }

    #[test]
    fn rows_that_would_overflow_a_total_are_refused_naming_their_amount() {
        let paid = |date: Date, days: i64| Invoice {
            date,
            paid: date.add_days(days),
            ..invoice("A", "", 0, 0)
        };
        let jan = Date::new(2025, 1, 1).unwrap();
        let half_of_max = Invoice {
            amount: Money(5_000_000_000_000_000_000),
            ..paid(jan, 0)
        };
        let data = Dataset {
            customers: vec![customer("A")],
            invoices: vec![
                // 10^17 cents x 100 days = 10^19, past 2^63 (about 9.2 x 10^18).
                Invoice {
                    amount: Money(100_000_000_000_000_000),
                    ..paid(jan, 100)
                },
                // 5 x 10^18 cents twice: the second passes 2^63 in revenue.
                half_of_max.clone(),
                half_of_max,
                // 10.00 for 3 days: 1,000 x 3 = 3,000 cent-days.
                Invoice {
                    amount: Money(10_00),
                    ..paid(jan, 3)
                },
            ],
            ..Dataset::default()
        };
        let out = aggregate(&data);
        let a = out.model.drivers[0];
        assert_eq!(a.revenue, 5_000_000_000_000_001_000);
        assert_eq!(a.amount_days, 3_000);
        let refused: Vec<_> = out
            .rejected
            .iter()
            .map(|r| (r.row, r.field, r.value.as_str(), r.reason))
            .collect();
        let overflow = RejectReason::Overflow;
        assert_eq!(
            refused,
            vec![
                (1, "amount", "1000000000000000.00", overflow),
                (3, "amount", "50000000000000000.00", overflow),
            ]
        );
    }

    #[test]
    fn customers_whose_every_row_is_refused_have_nothing_added() {
        // Both customers in one block, and neither has a row left to place.
        let data = Dataset {
            customers: vec![customer("A"), customer("B")],
            invoices: vec![invoice("A", "1", 10_00, -1_00), invoice("B", "2", 5_00, -1)],
            ..Dataset::default()
        };
        let out = aggregate(&data);
        assert_eq!(out.model.drivers, vec![DriverRow::default(); 2]);
        assert!(out.model.periods.is_empty());
        let reasons: Vec<_> = out.rejected.iter().map(|r| (r.row, r.reason)).collect();
        let negative = RejectReason::NegativeDiscount;
        assert_eq!(reasons, vec![(1, negative), (2, negative)]);
    }

    #[test]
    fn a_customer_with_many_invoices_uses_each_number_once() {
        // A's numbers N0 to N39, more than the 16 the check searches in a list before it keeps
        // a map; then N3, N16, N17 and N39 again (from before, at and after the change); B's N3.
        let mut invoices: Vec<Invoice> = (0..40)
            .map(|i| invoice("A", &format!("N{i}"), 1_00, 0))
            .collect();
        for i in [3, 16, 17, 39] {
            invoices.push(invoice("A", &format!("N{i}"), 1_000_00, 0));
        }
        invoices.push(invoice("B", "N3", 5_00, 0));
        let data = Dataset {
            customers: vec![customer("A"), customer("B")],
            invoices,
            ..Dataset::default()
        };
        let agg = aggregate(&data);
        // A: 40 x 1.00 = 40.00; B: 5.00.
        assert_eq!(agg.model.drivers[0].revenue, 40_00);
        assert_eq!(agg.model.drivers[1].revenue, 5_00);
        let refused: Vec<_> = agg
            .rejected
            .iter()
            .map(|r| (r.row, r.value.as_str(), r.reason))
            .collect();
        let duplicate = RejectReason::DuplicateInvoice;
        assert_eq!(
            refused,
            vec![
                (41, "N3", duplicate),
                (42, "N16", duplicate),
                (43, "N17", duplicate),
                (44, "N39", duplicate),
            ]
        );
    }

    #[test]
    fn the_imports_invoice_figures_add_up_as_the_invoices_they_come_from() {
        // Every way an invoice is used or refused: A's 10.00 with 1.00 off, unpaid and costed;
        // a negative discount; a discount on a credit note; a discount over the amount; a
        // number used twice; an unknown customer; and no as-of date (the latest date is read
        // from the invoices, here C's paid date).
        let day = |d| Date::new(2026, 3, d).unwrap();
        let mut open = invoice("A", "1", 10_00, 1_00);
        (open.paid, open.cost) = (None, Some(Money(4_00)));
        let mut late = invoice("C", "7", 3_00, 0);
        late.paid = Some(day(28));
        let data = Dataset {
            customers: vec![customer("A"), customer("B"), customer("C")],
            invoices: vec![
                open,
                invoice("A", "2", 5_00, -1),
                invoice("B", "3", -5_00, 1_00),
                invoice("B", "4", 2_00, 3_00),
                invoice("B", "5", 2_00, 0),
                invoice("B", "5", 2_00, 0),
                invoice("X", "6", 1_00, 0),
                late,
            ],
            ..Dataset::default()
        };
        let read_from_invoices = aggregate(&data);
        // As the import stages them: the figures kept with the keys, the dataset's left empty.
        let mut keys = FactKeys::of(&data);
        keys.figures = data.invoices.iter().map(Invoice::figures).collect();
        let staged = Dataset {
            invoices: Vec::new(),
            ..data.clone()
        };
        let read_from_figures = aggregate_keyed(&staged, &keys);
        assert_eq!(read_from_figures, read_from_invoices);
        // The figures that prove the comparison is not of two empty results: A's 9.00 (10.00
        // less 1.00; its 5.00 with a negative discount refused), B's 2.00 (its first number 5),
        // C's 3.00; five rows refused; the as-of date C's paid date.
        let revenue: Vec<i64> = read_from_figures
            .model
            .drivers
            .iter()
            .map(|d| d.revenue)
            .collect();
        assert_eq!(revenue, vec![9_00, 2_00, 3_00]);
        assert_eq!(read_from_figures.rejected.len(), 5);
        assert_eq!(read_from_figures.model.as_of, Some(day(28)));
    }

    #[test]
    fn invoice_numbers_repeat_only_within_a_customer_and_only_after_a_used_row() {
        let data = Dataset {
            // B first: its rows are added up before A's.
            customers: vec![customer("B"), customer("A")],
            invoices: vec![
                // Row 1: A's 7, refused for its discount; so row 4, A's 7 again, is used.
                invoice("A", "7", 100_00, 200_00),
                // Rows 2 and 3: B's 7 is used, whatever A does.
                invoice("B", "7", 50_00, 0),
                invoice("A", "8", 10_00, 0),
                invoice("A", "7", 20_00, 0),
                // Row 5: A's 8 again, with a bad discount too: a duplicate first.
                invoice("A", "8", 10_00, -1_00),
                // Row 6: B's 7 again.
                invoice("B", "7", 1_00, 0),
            ],
            ..Dataset::default()
        };
        let agg = aggregate(&data);
        // B: 50.00; A: 10.00 + 20.00 = 30.00.
        assert_eq!(agg.model.drivers[0].revenue, 50_00);
        assert_eq!(agg.model.drivers[1].revenue, 30_00);
        // Reported in row order, though B's row 6 was refused before A's rows 1 and 5.
        let refused: Vec<_> = agg
            .rejected
            .iter()
            .map(|r| (r.row, r.field, r.value.as_str(), r.reason))
            .collect();
        assert_eq!(
            refused,
            vec![
                (1, "discount", "200.00", RejectReason::DiscountExceedsAmount),
                (5, "invoice_number", "8", RejectReason::DuplicateInvoice),
                (6, "invoice_number", "7", RejectReason::DuplicateInvoice),
            ]
        );
        // One month cell per customer, in customer order.
        let cells: Vec<_> = agg
            .model
            .periods
            .iter()
            .map(|p| (p.customer, p.row.revenue))
            .collect();
        assert_eq!(cells, vec![(0, 50_00), (1, 30_00)]);
    }
}
