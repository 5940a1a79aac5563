//! Reading confirmed files into facts, and the account of every row: used, or rejected with
//! file, row, column, value and reason.

use super::fields::{Field, TableKind};
use super::plan::{read_cell_borrowed, CellProblem, Plan, Value};
use super::{Grid, Source};
use crate::date::Date;
use crate::drivers::{aggregate_keyed, portions, Aggregated, FactKeys, ReadId, RejectReason};
use crate::facts::{
    ActivityCount, ActivityKind, Customer, Dataset, InvoiceFigures, Referral, Table, TimeEntry,
};
use crate::hash::FastSet;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;

/// Why a row was not used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A cell could not be read.
    Cell(CellProblem),
    /// The row has cells beyond the columns the header names.
    ExtraCells,
    /// The facts were read but the model refused them (unknown customer, duplicate invoice...).
    Model(RejectReason),
    /// The row stands above the header (a report's title, its period): not data. `header` is
    /// the header's row, 1-based.
    AboveHeader { header: usize },
    /// A used row to check: its negative amount was read as a credit note.
    CreditNote,
}

/// One rejected row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based, as a spreadsheet numbers rows (the header is row 1 when there is one).
    pub row: usize,
    /// "C (Amount)", or empty when the reason is about the whole row.
    pub column: String,
    pub value: String,
    pub reason: Reason,
}

/// The account of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub name: String,
    pub plan: Plan,
    /// Data rows (not blank, not the header).
    pub read: usize,
    pub used: usize,
    pub rejected: usize,
    /// Blank rows skipped.
    pub blank: usize,
    /// Invoice rows with a negative amount, read as credit notes.
    pub credit_notes: usize,
}

/// Where a fact came from: file index and 1-based row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Origin {
    file: u32,
    row: u32,
}

/// Confirmed files read into facts, not yet aggregated.
#[derive(Clone, Debug, Default)]
pub struct Staging {
    dataset: Dataset,
    /// The origin of each fact, parallel to its table's facts (the invoices' to the figures
    /// kept in `keys`).
    origins: [Vec<Origin>; 5],
    /// The file's column name for each field it maps, to name the column of a model refusal.
    columns: Vec<HashMap<Field, String>>,
    /// Each transaction fact's customer id as a key, made as rows are read (see [`FactKeys`]):
    /// the staged time entries and activity counts leave their `customer_id` empty, and their
    /// customer is the key's id. The invoices are kept there too, by their figures alone.
    keys: FactKeys,
    /// By key, the customer's name from a name column in a transaction file, for customers made
    /// up from transactions.
    key_names: Vec<Option<String>>,
    files: Vec<FileReport>,
    problems: Vec<Problem>,
    /// Used rows to check, each with its file's index (two files may share a name).
    notes: Vec<(u32, Problem)>,
}

/// The staged import, aggregated, with the account of every file and row.
#[derive(Clone, Debug)]
pub struct Finished {
    pub aggregated: Aggregated,
    pub files: Vec<FileReport>,
    /// Every rejected row, file by file in row order.
    pub problems: Vec<Problem>,
    /// Every used row to check (a credit note), file by file in row order.
    pub notes: Vec<Problem>,
    /// Customers made up from transaction files because no customer file was imported.
    pub customers_from_transactions: usize,
}

/// The source whose rows [`Staging::add_rows`] reads, and how.
struct RowReader<'a> {
    source: &'a Source,
    plan: &'a Plan,
    /// The source's index among the staged files.
    file: u32,
    /// Each attribute column and its slot (see [`Staging::attribute_slots`]).
    attribute_slots: &'a [(usize, usize)],
    /// The amount column and its name, for the credit notes listed to check.
    amount: Option<(usize, String)>,
}

/// The facts one row yields.
#[derive(Default)]
struct RowFacts<'a> {
    /// The row's customer id, as its cell gives it.
    id: &'a str,
    customer: Option<Customer>,
    invoice: Option<InvoiceFigures>,
    time: Option<TimeEntry>,
    activities: Vec<ActivityCount>,
    referral: Option<Referral>,
    /// The invoice's number and the time entry's role, borrowed from the grid (or the plan):
    /// copied into the staging's [`RowTexts`](crate::drivers::RowTexts), not into strings of
    /// their own.
    number: &'a str,
    role: &'a str,
    /// Customer id and name from a name column in a transaction file, borrowed from the grid:
    /// copied only for a customer not named before.
    name: Option<(&'a str, &'a str)>,
}

/// A staged transaction row waiting for its customer's key (see [`Staging::key_rows`]): its id,
/// its customer's name from a name column, and how many facts it staged in each keyed table.
struct Unkeyed<'a> {
    id: ReadId<'a>,
    name: Option<&'a str>,
    invoices: u8,
    time_entries: u8,
    activities: u32,
}

/// How many staged rows wait for their keys before they are looked up together (a few in the
/// unit tests, so that their small files cross batches).
const KEY_BATCH_ROWS: usize = if cfg!(test) { 2 } else { 1 << 16 };

impl Staging {
    pub fn files(&self) -> &[FileReport] {
        &self.files
    }

    /// Reads every data row of a source under a confirmed plan (its problems must be empty).
    pub fn add(&mut self, source: &Source, plan: &Plan) {
        self.add_with(source, plan, &mut |_, _| {});
    }

    /// [`Staging::add`], telling `progress(rows done, rows in all)` every 16,384 rows.
    pub fn add_with(
        &mut self,
        source: &Source,
        plan: &Plan,
        progress: &mut dyn FnMut(usize, usize),
    ) {
        let grid = &source.grid;
        let file = self.files.len() as u32;
        let mut report = FileReport {
            name: source.name.clone(),
            plan: plan.clone(),
            read: 0,
            used: 0,
            rejected: 0,
            blank: 0,
            credit_notes: 0,
        };
        self.columns.push(
            plan.columns
                .iter()
                .enumerate()
                .map(|(c, &f)| (f, plan.column_name(grid, c)))
                .collect(),
        );
        let attribute_slots = self.attribute_slots(grid, plan);
        // The text each row keeps (an invoice's number, a time entry's role): at most its
        // column's cells (the header's too, to keep it simple), or the default role each row.
        let column_bytes = |field| {
            plan.column_of(field).map(|c| {
                portions(0..grid.row_count())
                    .map(|rows| cell_bytes(grid, rows, c))
                    .sum()
            })
        };
        let text_bytes = match plan.table {
            TableKind::Invoices => column_bytes(Field::InvoiceNumber).unwrap_or(0),
            TableKind::TimeLog => {
                column_bytes(Field::Role).unwrap_or(plan.default_role.len() * grid.row_count())
            }
            _ => 0,
        };
        self.reserve(plan.table, grid.row_count(), text_bytes);
        // A title above the header is not data, and is said so row by row.
        let header = Plan::first_row(grid);
        for r in Plan::title_rows(grid) {
            report.read += 1;
            report.rejected += 1;
            self.problems.push(Problem {
                file: source.name.clone(),
                row: r + 1,
                column: String::new(),
                value: grid
                    .row(r)
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                reason: Reason::AboveHeader { header: header + 1 },
            });
        }
        // One buffer for every row's cells, borrowed from the grid.
        let mut values = RowValues::default();
        let mut unkeyed = Vec::with_capacity(KEY_BATCH_ROWS.min(grid.row_count()));
        let reader = RowReader {
            source,
            plan,
            file,
            attribute_slots: &attribute_slots,
            amount: plan
                .column_of(Field::Amount)
                .map(|c| (c, plan.column_name(grid, c))),
        };
        // In portions, each a call of its own (see `drivers::PORTION_ROWS`), the progress told
        // at the start of each.
        for portion in portions(plan.data_rows(grid)) {
            progress(portion.start, grid.row_count());
            self.add_rows(&reader, portion, &mut values, &mut unkeyed, &mut report);
        }
        self.key_rows(&mut unkeyed);
        self.files.push(report);
    }

    /// Reads the rows `portion` of a source into facts, or into problems.
    #[inline(never)]
    fn add_rows<'a>(
        &mut self,
        reader: &RowReader<'a>,
        portion: Range<usize>,
        values: &mut RowValues<'a>,
        unkeyed: &mut Vec<Unkeyed<'a>>,
        report: &mut FileReport,
    ) {
        let (grid, plan) = (&reader.source.grid, reader.plan);
        for r in portion {
            if grid.is_blank_row(r) {
                report.blank += 1;
                continue;
            }
            report.read += 1;
            match read_row(
                grid,
                plan,
                r,
                reader.attribute_slots,
                self.dataset.attribute_names.len(),
                values,
            ) {
                Ok(facts) => {
                    report.used += 1;
                    let origin = Origin {
                        file: reader.file,
                        row: (r + 1) as u32,
                    };
                    if facts
                        .invoice
                        .as_ref()
                        .is_some_and(|i| i.amount.is_negative())
                    {
                        report.credit_notes += 1;
                        if let Some((c, column)) = &reader.amount {
                            self.notes.push((
                                reader.file,
                                Problem {
                                    file: reader.source.name.clone(),
                                    row: r + 1,
                                    column: column.clone(),
                                    value: grid.cell(r, *c).to_string(),
                                    reason: Reason::CreditNote,
                                },
                            ));
                        }
                    }
                    if let Some(row) = self.push(facts, origin) {
                        unkeyed.push(row);
                        if unkeyed.len() == KEY_BATCH_ROWS {
                            self.key_rows(unkeyed);
                        }
                    }
                }
                Err((column, reason)) => {
                    report.rejected += 1;
                    self.problems.push(Problem {
                        file: reader.source.name.clone(),
                        row: r + 1,
                        column: column.map_or(String::new(), |c| plan.column_name(grid, c)),
                        value: column.map_or(String::new(), |c| grid.cell(r, c).to_string()),
                        reason,
                    });
                }
            }
        }
    }

    /// For each attribute column, its slot in the dataset's attribute names (added when new).
    fn attribute_slots(&mut self, grid: &Grid, plan: &Plan) -> Vec<(usize, usize)> {
        let names = &mut self.dataset.attribute_names;
        plan.columns
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == Field::Attribute)
            .map(|(c, _)| {
                let name = plan.header_of(grid, c);
                let slot = names.iter().position(|n| *n == name).unwrap_or_else(|| {
                    names.push(name);
                    names.len() - 1
                });
                (c, slot)
            })
            .collect()
    }

    /// Room for the facts of `rows` rows of a `table` file and `text_bytes` of the texts its
    /// rows keep (invoice numbers or roles), made once: a vector grown row by row would, at a
    /// million rows, hold its old and new buffers at once and end up to twice the size it needs.
    fn reserve(&mut self, table: TableKind, rows: usize, text_bytes: usize) {
        let d = &mut self.dataset;
        let (o, k) = (&mut self.origins, &mut self.keys);
        let tables: &[Table] = match table {
            TableKind::Customers => &[Table::Customers],
            // A summary row is a customer and its totals (its counts, when it has any, are
            // left to grow).
            TableKind::Summary => &[Table::Customers, Table::Invoices],
            TableKind::Invoices => &[Table::Invoices],
            TableKind::TimeLog => &[Table::TimeLog],
            TableKind::Activities => &[Table::Activities],
            TableKind::Referrals => &[Table::Referrals],
        };
        for &t in tables {
            o[t.index()].reserve_exact(rows);
            match t {
                Table::Customers => d.customers.reserve_exact(rows),
                Table::Invoices => {
                    k.figures.reserve_exact(rows);
                    k.invoices.reserve_exact(rows);
                    k.numbers.reserve_exact(rows, text_bytes);
                }
                Table::TimeLog => {
                    d.time_entries.reserve_exact(rows);
                    k.time_entries.reserve_exact(rows);
                    k.roles.reserve_exact(rows, text_bytes);
                }
                Table::Activities => {
                    d.activities.reserve_exact(rows);
                    k.activities.reserve_exact(rows);
                }
                Table::Referrals => d.referrals.reserve_exact(rows),
            }
        }
    }

    /// Stages a row's facts. A transaction row's customer key is looked up later, with those of
    /// other rows ([`Staging::key_rows`]): its facts' key slots hold 0 until then, and the row
    /// is returned to wait for its key.
    fn push<'a>(&mut self, facts: RowFacts<'a>, origin: Origin) -> Option<Unkeyed<'a>> {
        // A row's facts are all of its one customer: its id is looked up once.
        let transaction = facts.invoice.is_some()
            || facts.time.is_some()
            || !facts.activities.is_empty()
            || facts.name.is_some();
        let unkeyed = transaction.then(|| Unkeyed {
            id: ReadId::of(facts.id),
            name: facts.name.map(|(_, name)| name),
            invoices: facts.invoice.is_some().into(),
            time_entries: facts.time.is_some().into(),
            activities: facts.activities.len() as u32,
        });
        let key = 0;
        let d = &mut self.dataset;
        let o = &mut self.origins;
        if let Some(c) = facts.customer {
            d.customers.push(c);
            o[Table::Customers.index()].push(origin);
        }
        if let Some(i) = facts.invoice {
            self.keys.figures.push(i);
            self.keys.invoices.push(key);
            self.keys.numbers.push(facts.number);
            o[Table::Invoices.index()].push(origin);
        }
        if let Some(t) = facts.time {
            d.time_entries.push(t);
            self.keys.time_entries.push(key);
            self.keys.roles.push(facts.role);
            o[Table::TimeLog.index()].push(origin);
        }
        for a in facts.activities {
            d.activities.push(a);
            self.keys.activities.push(key);
            o[Table::Activities.index()].push(origin);
        }
        if let Some(r) = facts.referral {
            d.referrals.push(r);
            o[Table::Referrals.index()].push(origin);
        }
        unkeyed
    }

    /// Looks up the customer keys of the rows waiting for them, in the order the rows came, and
    /// writes each into the key slots its facts took (the last slots of each table, in the same
    /// order). Looked up one after another, from ids already in their short form, rather than
    /// as each row was read, between writing rows' facts: checking the benchmark's rows in V8
    /// (twelve runs each, alternating, on a noisy machine) took at best 401 ms, a median of 526,
    /// one by one, and at best 328 ms, a median of 442, in batches. Why is not settled: the
    /// same lookups alone take 32 to 60 ms, and ordering a batch by the key table's slots, which
    /// would help were it the cache, changed nothing.
    #[inline(never)]
    fn key_rows(&mut self, rows: &mut Vec<Unkeyed>) {
        let k = &self.keys;
        let count = |n: fn(&Unkeyed) -> usize| rows.iter().map(n).sum::<usize>();
        let mut invoice = k.invoices.len() - count(|r| r.invoices.into());
        let mut time = k.time_entries.len() - count(|r| r.time_entries.into());
        let mut activity = k.activities.len() - count(|r| r.activities as usize);
        for row in rows.drain(..) {
            let key = self.keys.key_read(row.id);
            if key as usize == self.key_names.len() {
                self.key_names.push(None);
            }
            if let Some(name) = row.name {
                let named = &mut self.key_names[key as usize];
                if named.is_none() {
                    *named = Some(name.to_string());
                }
            }
            let k = &mut self.keys;
            let invoices = usize::from(row.invoices);
            k.invoices[invoice..invoice + invoices].fill(key);
            invoice += invoices;
            let times = usize::from(row.time_entries);
            k.time_entries[time..time + times].fill(key);
            time += times;
            let activities = row.activities as usize;
            k.activities[activity..activity + activities].fill(key);
            activity += activities;
        }
    }

    /// Aggregates the staged facts. Without a customer (or summary) file, customers are made up
    /// from the transactions' customer ids, named by a name column when a file had one.
    pub fn finish(&mut self) -> Finished {
        let has_customer_file = self
            .files
            .iter()
            .any(|f| matches!(f.plan.table, TableKind::Customers | TableKind::Summary));
        let mut made_up = 0;
        // Made-up customers stand in for the customer table during this aggregation only: a
        // customer file imported later replaces them.
        let mut own_customers = None;
        if !has_customer_file {
            // The ids in the order the facts name them, table by table, each once: transaction
            // ids by their keys, referral ids by their text.
            let (keys, data) = (&self.keys, &self.dataset);
            let mut key_seen = vec![false; keys.ids.len()];
            let mut other_seen: FastSet<&str> = FastSet::default();
            let transaction_ids = keys
                .invoices
                .iter()
                .chain(&keys.time_entries)
                .chain(&keys.activities)
                .map(|&k| (Some(k), keys.ids[k as usize].as_str()));
            let referral_ids = data
                .referrals
                .iter()
                .flat_map(|r| [r.referrer_id.as_str(), r.referred_id.as_str()])
                .map(|id| (keys.find(id), id));
            let mut customers = Vec::new();
            for (key, id) in transaction_ids.chain(referral_ids) {
                let new = match key {
                    Some(k) => !std::mem::replace(&mut key_seen[k as usize], true),
                    None => other_seen.insert(id),
                };
                if new && !id.trim().is_empty() {
                    let name = key.and_then(|k| self.key_names[k as usize].as_deref());
                    customers.push(Customer {
                        id: id.to_string(),
                        name: name.unwrap_or(id).to_string(),
                        attributes: Vec::new(),
                        acquired_on: None,
                        acquisition_cost: None,
                    });
                }
            }
            made_up = customers.len();
            own_customers = Some(std::mem::replace(&mut self.dataset.customers, customers));
        }
        let width = self.dataset.attribute_names.len();
        for c in &mut self.dataset.customers {
            c.attributes.resize(width, String::new());
        }
        let aggregated = aggregate_keyed(&self.dataset, &self.keys);
        if let Some(customers) = own_customers {
            self.dataset.customers = customers;
        }

        let mut files = self.files.clone();
        let mut problems = self.problems.clone();
        let mut refused_rows: FastSet<(u32, u32)> = FastSet::default();
        for r in &aggregated.rejected {
            // Made-up customers have no row of their own to blame.
            if r.table == Table::Customers && !has_customer_file {
                continue;
            }
            let Some(&origin) = self.origins[r.table.index()].get(r.row - 1) else {
                continue;
            };
            let file = &mut files[origin.file as usize];
            let column = Field::from_key(r.field)
                .and_then(|f| self.columns[origin.file as usize].get(&f).cloned())
                .unwrap_or_default();
            problems.push(Problem {
                file: file.name.clone(),
                row: origin.row as usize,
                column,
                value: r.value.clone(),
                reason: Reason::Model(r.reason),
            });
            // A summary row yields several facts: it is rejected once.
            if refused_rows.insert((origin.file, origin.row)) {
                file.used -= 1;
                file.rejected += 1;
            }
        }
        let order: HashMap<&str, usize> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        problems.sort_by_key(|p| (order.get(p.file.as_str()).copied(), p.row));
        // A credit note the model then refused (a duplicate number, say) is a rejected row,
        // not a used one to check.
        let mut notes = Vec::with_capacity(self.notes.len());
        for (file, note) in &self.notes {
            if refused_rows.contains(&(*file, note.row as u32)) {
                files[*file as usize].credit_notes -= 1;
            } else {
                notes.push(note.clone());
            }
        }
        Finished {
            aggregated,
            files,
            problems,
            notes,
            customers_from_transactions: made_up,
        }
    }
}

type RowError = (Option<usize>, Reason);

/// The bytes of column `c`'s cells in `rows`: a call for each portion of a file's rows, as
/// the checking is (a million rows counted in one call ran in slow code throughout).
#[inline(never)]
fn cell_bytes(grid: &Grid, rows: Range<usize>, c: usize) -> usize {
    rows.map(|r| grid.cell(r, c).len()).sum()
}

/// A row's values, each field's at its own place (see [`RowValues::place`]): the row's facts
/// take their fields by place. A list of the row's values, searched for each field, made
/// checking the benchmark's rows take 400 to 450 ms in V8, against 330 to 410 ms by place.
///
/// Kept from row to row: each row writes the place of every field its plan maps (an empty cell
/// as [`Value::Empty`]), and the places of fields the plan does not map stay empty.
struct RowValues<'a>([Value<&'a str>; RowValues::PLACES]);

impl Default for RowValues<'_> {
    fn default() -> Self {
        RowValues(std::array::from_fn(|_| Value::Empty))
    }
}

impl<'a> RowValues<'a> {
    const PLACES: usize = 19;

    /// The field's place: every field but those a row keeps apart (attributes and the counts
    /// of one kind) and `Ignore`.
    #[inline]
    fn place(field: Field) -> Option<usize> {
        Some(match field {
            Field::Ignore | Field::Attribute | Field::CountOf(_) => return None,
            Field::CustomerId => 0,
            Field::CustomerName => 1,
            Field::AcquiredOn => 2,
            Field::AcquisitionCost => 3,
            Field::InvoiceNumber => 4,
            Field::Date => 5,
            Field::Amount => 6,
            Field::Discount => 7,
            Field::Cost => 8,
            Field::DueDate => 9,
            Field::PaidDate => 10,
            Field::Role => 11,
            Field::Activity => 12,
            Field::Hours => 13,
            Field::Kind => 14,
            Field::Count => 15,
            Field::ReferrerId => 16,
            Field::ReferredId => 17,
            Field::CameAnyway => 18,
        })
    }

    /// The field's value in the row, `None` when its cell is empty or no column maps it.
    #[inline]
    fn get(&self, field: Field) -> Option<&Value<&'a str>> {
        Self::place(field)
            .map(|p| &self.0[p])
            .filter(|v| !matches!(v, Value::Empty))
    }
}

/// Reads one data row into facts, or names the first cell that stops it. `values` is a buffer
/// for the row's cells, kept from row to row so that a row allocates only the texts its facts
/// keep.
fn read_row<'a>(
    grid: &'a Grid,
    plan: &'a Plan,
    r: usize,
    attribute_slots: &[(usize, usize)],
    attribute_count: usize,
    values: &mut RowValues<'a>,
) -> Result<RowFacts<'a>, RowError> {
    if let Some(extra) =
        (plan.columns.len()..grid.row_len(r)).find(|&c| !grid.cell(r, c).trim().is_empty())
    {
        return Err((Some(extra), Reason::ExtraCells));
    }
    let mut counts: Vec<(ActivityKind, u32)> = Vec::new();
    let mut attributes = vec![String::new(); attribute_count];
    for (c, &field) in plan.columns.iter().enumerate() {
        if field == Field::Ignore {
            continue;
        }
        let value = read_cell_borrowed(plan, field, grid.cell(r, c))
            .map_err(|p| (Some(c), Reason::Cell(p)))?;
        match (field, value) {
            (Field::Attribute, Value::Text(t)) => {
                if let Some(&(_, slot)) = attribute_slots.iter().find(|(col, _)| *col == c) {
                    attributes[slot] = t.to_string();
                }
            }
            (Field::CountOf(kind), Value::Count(n)) if n > 0 => counts.push((kind, n)),
            (f, v) => {
                if let Some(p) = RowValues::place(f) {
                    values.0[p] = v;
                }
            }
        }
    }
    let get = |f: Field| values.get(f);
    let text = |f: Field| match get(f) {
        Some(Value::Text(t)) => *t,
        _ => "",
    };
    let money = |f: Field| match get(f) {
        Some(Value::Money(m)) => Some(*m),
        _ => None,
    };
    let date = |f: Field| match get(f) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let id = text(Field::CustomerId);
    let mut facts = RowFacts {
        id,
        ..RowFacts::default()
    };
    let name = text(Field::CustomerName);
    // A customer file names its customers itself.
    let transactions = !matches!(plan.table, TableKind::Customers | TableKind::Summary);
    if transactions && !name.is_empty() && !id.is_empty() {
        facts.name = Some((id, name));
    }
    let on = |d: Option<Date>| d.unwrap_or(plan.summary_date);
    match plan.table {
        TableKind::Customers | TableKind::Summary => {
            facts.customer = Some(Customer {
                id: id.to_string(),
                name: if name.is_empty() { id } else { name }.to_string(),
                attributes,
                acquired_on: date(Field::AcquiredOn),
                acquisition_cost: money(Field::AcquisitionCost),
            });
            if plan.table == TableKind::Summary {
                let day = plan.summary_date;
                if let Some(amount) = money(Field::Amount) {
                    facts.invoice = Some(InvoiceFigures {
                        date: day,
                        amount,
                        discount: money(Field::Discount).unwrap_or(Money::ZERO),
                        cost: money(Field::Cost),
                        due: Some(day),
                        paid: Some(day),
                    });
                }
                if let Some(Value::Hours(h)) = get(Field::Hours) {
                    facts.role = &plan.default_role;
                    facts.time = Some(TimeEntry {
                        customer_id: String::new(),
                        date: day,
                        role: String::new(),
                        activity: String::new(),
                        hours_milli: *h,
                    });
                }
            }
        }
        TableKind::Invoices => {
            facts.number = text(Field::InvoiceNumber);
            facts.invoice = Some(InvoiceFigures {
                date: on(date(Field::Date)),
                amount: money(Field::Amount).unwrap_or(Money::ZERO),
                discount: money(Field::Discount).unwrap_or(Money::ZERO),
                cost: money(Field::Cost),
                due: date(Field::DueDate),
                paid: date(Field::PaidDate),
            });
        }
        TableKind::TimeLog => {
            facts.role = if plan.column_of(Field::Role).is_some() {
                text(Field::Role)
            } else {
                &plan.default_role
            };
            facts.time = Some(TimeEntry {
                customer_id: String::new(),
                date: on(date(Field::Date)),
                role: String::new(),
                // What the time was spent on is read and checked as text but kept nowhere:
                // nothing after the import reads it (a string a row cost more than the
                // rest of the row, as invoice numbers did).
                activity: String::new(),
                hours_milli: match get(Field::Hours) {
                    Some(Value::Hours(h)) => *h,
                    _ => 0,
                },
            });
        }
        TableKind::Activities => {
            if let Some(Value::Kind(kind)) = get(Field::Kind) {
                let n = match get(Field::Count) {
                    Some(Value::Count(n)) => *n,
                    // Without a count column each row is one activity.
                    _ if plan.column_of(Field::Count).is_none() => 1,
                    _ => 0,
                };
                if n > 0 {
                    counts.push((*kind, n));
                }
            }
        }
        TableKind::Referrals => {
            facts.referral = Some(Referral {
                referrer_id: text(Field::ReferrerId).to_string(),
                referred_id: text(Field::ReferredId).to_string(),
                would_have_come_anyway: matches!(get(Field::CameAnyway), Some(Value::Flag(true))),
            });
        }
    }
    let day = match plan.table {
        TableKind::Summary => plan.summary_date,
        _ => on(date(Field::Date)),
    };
    facts.activities = counts
        .into_iter()
        .map(|(kind, count)| ActivityCount {
            customer_id: String::new(),
            date: day,
            kind,
            count,
        })
        .collect();
    Ok(facts)
}

/// The rejected rows as CSV for a spreadsheet: the given header, then file, row, column, value
/// and the reason in the person's words. Text a spreadsheet would run as a formula (starting with
/// =, +, - or @ and not a number) is prefixed with an apostrophe.
pub fn problems_csv(
    problems: &[Problem],
    header: [&str; 5],
    reason_text: impl Fn(&Reason) -> String,
) -> String {
    let mut out = String::new();
    let mut line = |cells: [&str; 5]| {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&csv_cell(cell));
        }
        out.push_str("\r\n");
    };
    line(header);
    for p in problems {
        let row = p.row.to_string();
        let reason = reason_text(&p.reason);
        line([&p.file, &row, &p.column, &p.value, &reason]);
    }
    out
}

fn csv_cell(text: &str) -> String {
    let risky = text.starts_with(['=', '+', '@', '\t', '\r'])
        || (text.starts_with('-') && text[1..].trim_start().parse::<f64>().is_err());
    let text = if risky {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::facts::ActivityKind::{Ticket, Visit};
    use crate::import::{propose, read_sources};

    /// Every field a row keeps at a place has a place of its own, within the buffer.
    #[test]
    fn each_field_has_a_place_of_its_own() {
        let mut taken = [false; RowValues::PLACES];
        for field in Field::all() {
            let kept_apart = matches!(field, Field::Ignore | Field::Attribute | Field::CountOf(_));
            match RowValues::place(field) {
                Some(p) => {
                    assert!(!kept_apart && !taken[p], "{field:?} at {p}");
                    taken[p] = true;
                }
                None => assert!(kept_apart, "{field:?} has no place"),
            }
        }
        assert!(taken.iter().all(|&t| t), "a place no field takes");
    }

    /// Each listed row's number, column, value and reason.
    fn listed(rows: &[Problem]) -> Vec<(usize, &str, &str, &Reason)> {
        rows.iter()
            .map(|p| (p.row, p.column.as_str(), p.value.as_str(), &p.reason))
            .collect()
    }

    fn stage(staging: &mut Staging, name: &str, csv: &str) {
        let sources = read_sources(name, csv.as_bytes()).unwrap();
        let proposal = propose(&sources[0].grid, Date::new(2026, 11, 23).unwrap());
        staging.add(&sources[0], &proposal.plan);
    }

    #[test]
    fn customers_made_up_from_transactions_in_the_order_the_facts_name_them() {
        let mut staging = Staging::default();
        stage(
            &mut staging,
            "invoices.csv",
            "customer_id,customer_name,invoice_number,date,amount\n\
             B2,Beta Ltd,1,2026-01-05,10.00\n\
             A1,Alpha Ltd,2,2026-01-06,20.00\n\
             B2,Beta Renamed,3,2026-02-05,30.00\n\
             ,Nobody,4,2026-02-06,40.00\n",
        );
        stage(
            &mut staging,
            "time.csv",
            "customer_id,date,role,hours\nC3,2026-01-07,support,1.5\nA1,2026-01-08,support,2\n",
        );
        stage(
            &mut staging,
            "referrals.csv",
            "referrer_id,referred_id\nA1,D4\n",
        );
        let finished = staging.finish();
        let model = &finished.aggregated.model;
        // Invoices first (B2, A1; the empty id is refused), then the time log's C3, then
        // the referral's D4; each named by the first name a file gave it, or by its id.
        assert_eq!(model.ids, ["B2", "A1", "C3", "D4"]);
        assert_eq!(model.names, ["Beta Ltd", "Alpha Ltd", "C3", "D4"]);
        assert_eq!(finished.customers_from_transactions, 4);
        // B2: 10.00 + 30.00; A1: 20.00.
        assert_eq!(model.drivers[0].revenue, 4_000);
        assert_eq!(model.drivers[1].revenue, 2_000);
        // A1 logged 2 hours, C3 1.5.
        assert_eq!(model.drivers[1].hours_by_role[0], 2_000);
        assert_eq!(model.drivers[2].hours_by_role[0], 1_500);
        assert_eq!(model.referrals.len(), 1);
        let invoices = &finished.files[0];
        assert_eq!((invoices.read, invoices.used, invoices.rejected), (4, 3, 1));
    }

    #[test]
    fn rows_keyed_in_batches_keep_their_customers_and_names() {
        // Batches of 2 rows: {2, 3}, {4, 6}, {7, 8} (row 5 is refused, so it waits for no
        // key). Each row's visits and tickets are an activity count apiece when not zero.
        let mut staging = Staging::default();
        stage(
            &mut staging,
            "activities.csv",
            "customer_id,customer_name,date,visits,tickets
             A,Alpha,2026-01-05,1,2
             B,,2026-01-05,0,3
             A,Alpha Again,2026-01-06,4,0
             C,Gamma,2026-01-06,x,1
             B,Beta,2026-01-07,5,5
             C,Gamma,2026-01-08,0,0
             D,Delta,2026-01-08,2,0
",
        );
        let finished = staging.finish();
        let model = &finished.aggregated.model;
        // C has no activity (row 5 refused, row 7 counts nothing): no customer is made for it.
        // B is named by the first row that names it (row 6).
        assert_eq!(model.ids, ["A", "B", "D"]);
        assert_eq!(model.names, ["Alpha", "Beta", "Delta"]);
        let counts = |c: usize, kind: ActivityKind| model.drivers[c].counts[kind.index()];
        // A: visits 1 + 4, tickets 2. B: visits 5, tickets 3 + 5. D: visits 2.
        assert_eq!((counts(0, Visit), counts(0, Ticket)), (5, 2));
        assert_eq!((counts(1, Visit), counts(1, Ticket)), (5, 8));
        assert_eq!((counts(2, Visit), counts(2, Ticket)), (2, 0));
        let file = &finished.files[0];
        assert_eq!((file.read, file.used, file.rejected), (7, 6, 1));
    }

    #[test]
    fn rows_in_many_portions_are_each_read_once() {
        // 40,000 data rows (file rows 2 to 40,001) in portions of 16,384: file rows 2 to
        // 16,385, 16,386 to 32,769 and 32,770 to 40,001. Rows on either side of each boundary
        // are refused (an amount of "x"), one is blank. Row r is customer C(r mod 100)'s,
        // numbered r, of r mod 100 cents.
        let refused = [16_385, 16_386, 32_769, 32_770];
        let blank = 20_000;
        let mut csv = String::from("customer_id,invoice_number,date,amount\n");
        for r in 2..=40_001 {
            if r == blank {
                csv.push_str(",,,\n");
            } else if refused.contains(&r) {
                csv.push_str(&format!("C{},{r},2026-01-05,x\n", r % 100));
            } else {
                csv.push_str(&format!("C{},{r},2026-01-05,0.{:02}\n", r % 100, r % 100));
            }
        }
        let mut staging = Staging::default();
        stage(&mut staging, "invoices.csv", &csv);
        let finished = staging.finish();
        let file = &finished.files[0];
        // 40,000 rows less the blank one read; 4 refused.
        assert_eq!(
            (file.read, file.used, file.rejected, file.blank),
            (39_999, 39_995, 4, 1)
        );
        let rows: Vec<usize> = finished.problems.iter().map(|p| p.row).collect();
        assert_eq!(rows, refused);
        assert!(finished.problems.iter().all(|p| p.value == "x"));
        // Every used row's cents once: the sum of r mod 100 over rows 2 to 40,001 is
        // 400 x (0 + ... + 99) = 1,980,000 (rows 2..=40,001 are 400 full runs of r mod 100),
        // less the blank and refused rows' 0 + 85 + 86 + 69 + 70 = 310.
        let revenue: i64 = finished
            .aggregated
            .model
            .drivers
            .iter()
            .map(|d| d.revenue)
            .sum();
        assert_eq!(revenue, 1_980_000 - 310);
    }

    #[test]
    fn a_title_above_the_header_is_rejected_row_by_row_and_the_table_read() {
        let mut staging = Staging::default();
        stage(
            &mut staging,
            "sales.csv",
            "Sales by customer,,,\n\
             1 January to 31 March 2025,,,\n\
             ,,,\n\
             customer_id,invoice_number,date,amount\n\
             A1,1,2025-01-15,10.00\n\
             B2,2,2025-02-15,20.50\n",
        );
        let finished = staging.finish();
        let file = &finished.files[0];
        // The two title rows read and rejected, the blank row above the header left as it
        // is, the two invoices used.
        assert_eq!(
            (file.read, file.used, file.rejected, file.blank),
            (4, 2, 2, 0)
        );
        let problems = listed(&finished.problems);
        let above = Reason::AboveHeader { header: 4 };
        assert_eq!(
            problems,
            vec![
                (1, "", "Sales by customer", &above),
                (2, "", "1 January to 31 March 2025", &above)
            ]
        );
        // 10.00 + 20.50
        let revenue: i64 = finished
            .aggregated
            .model
            .drivers
            .iter()
            .map(|d| d.revenue)
            .sum();
        assert_eq!(revenue, 3_050);
    }

    #[test]
    fn credit_notes_are_listed_to_check_unless_rejected() {
        let mut staging = Staging::default();
        stage(
            &mut staging,
            "invoices.csv",
            "customer_id,invoice_number,date,amount\n\
             A1,1,2025-01-15,100.00\n\
             A1,2,2025-01-20,-20.00\n\
             B2,3,2025-02-15,(5.50)\n\
             B2,3,2025-02-16,-7.00\n",
        );
        let finished = staging.finish();
        let file = &finished.files[0];
        // Row 5 repeats invoice 3: rejected, so of its two negative amounts only rows 3 and 4
        // are credit notes used.
        assert_eq!(
            (file.read, file.used, file.rejected, file.credit_notes),
            (4, 3, 1, 2)
        );
        let notes = listed(&finished.notes);
        assert_eq!(
            notes,
            vec![
                (3, "D (amount)", "-20.00", &Reason::CreditNote),
                (4, "D (amount)", "(5.50)", &Reason::CreditNote)
            ]
        );
        assert_eq!(finished.problems.len(), 1);
        assert_eq!(finished.problems[0].row, 5);
    }

    #[test]
    fn a_credit_note_refused_in_a_file_of_the_same_name_leaves_the_other_files_note() {
        // The same file imported twice (as a later import reads the earlier one again): the
        // second copy's invoice 1 repeats the first's, and is refused.
        let mut staging = Staging::default();
        let csv = "customer_id,invoice_number,date,amount\nA1,1,2025-01-15,-5.00\n";
        stage(&mut staging, "invoices.csv", csv);
        stage(&mut staging, "invoices.csv", csv);
        let finished = staging.finish();
        let counts: Vec<(usize, usize, usize)> = finished
            .files
            .iter()
            .map(|f| (f.used, f.rejected, f.credit_notes))
            .collect();
        assert_eq!(counts, vec![(1, 0, 1), (0, 1, 0)]);
        assert_eq!(finished.notes.len(), 1);
        assert_eq!(finished.notes[0].row, 2);
    }

    #[test]
    fn time_is_priced_by_the_role_each_row_names_or_the_plan_gives() {
        let mut staging = Staging::default();
        // Roles match as the assumptions match them ("Support " is "support"), in the order
        // they first appear.
        stage(
            &mut staging,
            "time.csv",
            "customer_id,date,role,activity,hours\n\
             A1,2026-01-05,Support ,phone call,1.5\n\
             A1,2026-01-06,Account manager,review,2\n\
             B2,2026-01-07,support,email,0.25\n",
        );
        // Without a role column, each row is the plan's default role ("support").
        stage(
            &mut staging,
            "more-time.csv",
            "customer_id,date,hours\nB2,2026-02-01,3\n",
        );
        let finished = staging.finish();
        let model = &finished.aggregated.model;
        assert_eq!(model.roles, ["Support", "Account manager"]);
        assert_eq!(model.ids, ["A1", "B2"]);
        // A1: 1.5 h support, 2 h account manager; B2: 0.25 + 3 h support.
        assert_eq!(model.drivers[0].hours_by_role[..2], [1_500, 2_000]);
        assert_eq!(model.drivers[1].hours_by_role[..2], [3_250, 0]);
    }

    #[test]
    fn problems_as_csv() {
        let problems = vec![
            Problem {
                file: "a, b.csv".into(),
                row: 7,
                column: "E (Amount)".into(),
                value: "=1+2".into(),
                reason: Reason::Cell(CellProblem::NotANumber),
            },
            Problem {
                file: "c.csv".into(),
                row: 3,
                column: String::new(),
                value: "-12".into(),
                reason: Reason::ExtraCells,
            },
        ];
        let csv = problems_csv(
            &problems,
            ["file", "row", "column", "value", "reason"],
            |r| format!("{r:?}"),
        );
        assert_eq!(
            csv,
            "file,row,column,value,reason\r\n\
             \"a, b.csv\",7,E (Amount),'=1+2,Cell(NotANumber)\r\n\
             c.csv,3,,-12,ExtraCells\r\n"
        );
    }
}
