//! The plan for reading a grid (which table, which field each column is, the number format and
//! the date order), how it is proposed from the file, and how one cell is read under it.

use super::fields::{CellType, Field, TableKind};
use super::headers::{field_of_header, flag_of, kind_of, Match};
use super::{column_letter, Grid};
use crate::date::Date;
use crate::facts::ActivityKind;
use crate::format::NumberStyle;
use crate::money::{to_scaled, Money, ScaleError};
use crate::parse::date::{detect_order, parse_date, DateError, DateOrder};
use crate::parse::number::{detect_format, parse_number, NumberError};
use serde::{Deserialize, Serialize};

/// How a grid is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub table: TableKind,
    /// The first non-blank row names the columns.
    pub header: bool,
    /// One field per column of the grid.
    pub columns: Vec<Field>,
    pub numbers: NumberStyle,
    /// `None` until known: detection could not tell, and the person must choose.
    pub dates: Option<DateOrder>,
    /// The currency amounts are in; a cell naming another one is refused.
    pub currency: Option<String>,
    /// The role hours are priced at when the file has no role column (a summary's hours, or a
    /// time log without roles).
    pub default_role: String,
    /// The date a summary's totals are booked on (a summary has no dates of its own).
    pub summary_date: Date,
}

/// What stops a plan from being confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlanProblem {
    /// A field the table needs is not mapped to any column.
    Missing(Field),
    /// Two columns are mapped to a field that only one can be.
    Twice(Field),
    /// An activity table needs a kind column or a column counting one kind.
    NoKind,
    /// Dates could be day-first or month-first: the person must choose.
    ChooseDateOrder,
    /// No data row under the header.
    NoRows,
}

/// A proposed plan and how sure each part of it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub plan: Plan,
    /// The table was recognised from the headers (not guessed from the cells).
    pub table_recognised: bool,
    /// Two number formats read the file's numbers differently ("1.234"): check it.
    pub numbers_ambiguous: bool,
    /// No date proves day-first or month-first: the person must choose.
    pub dates_ambiguous: bool,
}

/// How many rows detection samples per column: enough to see every format, fast on any file.
const SAMPLE_ROWS: usize = 500;

/// How far down a header may stand under a title: within the first 20 rows.
const TITLE_ROWS: usize = 20;

impl Plan {
    /// The index of the header row (or first data row): the first non-blank row, unless a
    /// title stands above the header, as in many accounting systems' reports ("Sales by
    /// customer", "1 January to 31 March 2025", a blank line, then the header). The first of
    /// the first [`TITLE_ROWS`] rows to name two fields or more is the header when every
    /// non-blank row above it has at most half as many cells filled; the rows above are then
    /// rejected as titles ([`crate::import::Reason::AboveHeader`]), never dropped unsaid. (The
    /// page, which holds a file's first rows only, finds the same header in them.)
    pub fn first_row(grid: &Grid) -> usize {
        grid.first_row(|| {
            let mut rows = (0..grid.row_count()).filter(|&r| !grid.is_blank_row(r));
            let Some(first) = rows.next() else {
                return grid.row_count();
            };
            let fields_named = |r: usize| {
                let mut fields: Vec<Field> = Vec::new();
                for (field, _) in grid.row(r).filter_map(field_of_header) {
                    if !fields.contains(&field) {
                        fields.push(field);
                    }
                }
                fields.len()
            };
            let filled = |r: usize| grid.row(r).filter(|c| !c.trim().is_empty()).count();
            let mut widest_above = 0;
            for r in std::iter::once(first).chain(rows.take_while(|&r| r < TITLE_ROWS)) {
                if fields_named(r) >= 2 {
                    return if widest_above * 2 <= filled(r) {
                        r
                    } else {
                        first
                    };
                }
                widest_above = widest_above.max(filled(r));
            }
            first
        })
    }

    /// Indices of the non-blank rows above the header: a title, not data ([`Plan::first_row`]).
    pub fn title_rows(grid: &Grid) -> impl Iterator<Item = usize> + '_ {
        (0..Plan::first_row(grid)).filter(|&r| !grid.is_blank_row(r))
    }

    /// Indices of the rows holding data.
    pub fn data_rows(&self, grid: &Grid) -> std::ops::Range<usize> {
        let first = Plan::first_row(grid);
        (first + usize::from(self.header && first < grid.row_count()))..grid.row_count()
    }

    /// What a column is called in messages: "C (Amount)" with a header, "C" without.
    pub fn column_name(&self, grid: &Grid, column: usize) -> String {
        let letter = column_letter(column);
        match self.header_text(grid, column) {
            "" => letter,
            header => format!("{letter} ({header})"),
        }
    }

    /// The header of a column, or its letter.
    pub fn header_of(&self, grid: &Grid, column: usize) -> String {
        match self.header_text(grid, column) {
            "" => column_letter(column),
            header => header.to_string(),
        }
    }

    /// The header cell's text, empty without a header row.
    fn header_text<'g>(&self, grid: &'g Grid, column: usize) -> &'g str {
        if self.header {
            grid.cell(Plan::first_row(grid), column).trim()
        } else {
            ""
        }
    }

    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns.iter().position(|&f| f == field)
    }

    /// Everything that must be settled before the grid can be read; empty when it can.
    pub fn problems(&self, grid: &Grid) -> Vec<PlanProblem> {
        let mut problems = Vec::new();
        for &f in self.table.required() {
            if self.column_of(f).is_none() {
                problems.push(PlanProblem::Missing(f));
            }
        }
        let mut seen: Vec<Field> = Vec::new();
        for &f in &self.columns {
            if !f.repeatable() && seen.contains(&f) {
                if !problems.contains(&PlanProblem::Twice(f)) {
                    problems.push(PlanProblem::Twice(f));
                }
            } else {
                seen.push(f);
            }
        }
        if self.table == TableKind::Activities
            && !self
                .columns
                .iter()
                .any(|f| matches!(f, Field::Kind | Field::CountOf(_)))
        {
            problems.push(PlanProblem::NoKind);
        }
        let has_dates = self.columns.iter().any(|f| f.cell_type() == CellType::Date);
        if has_dates && self.dates.is_none() {
            problems.push(PlanProblem::ChooseDateOrder);
        }
        if self.data_rows(grid).all(|r| grid.is_blank_row(r)) {
            problems.push(PlanProblem::NoRows);
        }
        problems
    }

    /// Maps the column to a field, keeping the mapping valid for the table.
    pub fn set_table(&mut self, table: TableKind) {
        self.table = table;
        let allowed = table.fields();
        for f in &mut self.columns {
            if !allowed.contains(f) {
                *f = Field::Ignore;
            }
        }
    }
}

/// A cell as the engine reads it; its text owned, or borrowed from the grid while rows are
/// read in bulk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<T = String> {
    Text(T),
    Money(Money),
    Date(Date),
    /// Thousandths of an hour.
    Hours(i64),
    Count(u32),
    Kind(ActivityKind),
    Flag(bool),
    /// An optional cell left empty.
    Empty,
}

/// Why a cell cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellProblem {
    /// A cell the row cannot do without is empty.
    Missing,
    NotANumber,
    /// Thousands separators in the wrong places for the file's number format.
    BadGrouping,
    /// More digits than can be kept exactly.
    TooLarge,
    /// More decimals than the field holds (cents for money, thousandths for hours).
    TooPrecise {
        max_decimals: u32,
    },
    /// A percentage where an amount or a quantity was expected.
    Percent,
    /// The cell names another currency than the file's.
    OtherCurrency {
        expected: String,
        found: String,
    },
    /// A count below zero.
    Negative,
    /// A count with decimals.
    NotWhole,
    NotADate,
    /// A date that does not exist (31 April).
    ImpossibleDate,
    /// A year outside 1000 to 9999, or an Excel date number out of range.
    DateOutOfRange,
    /// Not one of the activity kinds.
    NotAKind,
    /// Not a yes or a no.
    NotAFlag,
}

impl CellProblem {
    /// One of each, for the translation table's test.
    pub fn examples() -> Vec<CellProblem> {
        vec![
            CellProblem::Missing,
            CellProblem::NotANumber,
            CellProblem::BadGrouping,
            CellProblem::TooLarge,
            CellProblem::TooPrecise { max_decimals: 2 },
            CellProblem::Percent,
            CellProblem::OtherCurrency {
                expected: String::new(),
                found: String::new(),
            },
            CellProblem::Negative,
            CellProblem::NotWhole,
            CellProblem::NotADate,
            CellProblem::ImpossibleDate,
            CellProblem::DateOutOfRange,
            CellProblem::NotAKind,
            CellProblem::NotAFlag,
        ]
    }

    /// Its key in the translation table: `problem.<key>`.
    pub fn key(&self) -> &'static str {
        match self {
            CellProblem::Missing => "missing",
            CellProblem::NotANumber => "not_a_number",
            CellProblem::BadGrouping => "bad_grouping",
            CellProblem::TooLarge => "too_large",
            CellProblem::TooPrecise { .. } => "too_precise",
            CellProblem::Percent => "percent",
            CellProblem::OtherCurrency { .. } => "other_currency",
            CellProblem::Negative => "negative",
            CellProblem::NotWhole => "not_whole",
            CellProblem::NotADate => "not_a_date",
            CellProblem::ImpossibleDate => "impossible_date",
            CellProblem::DateOutOfRange => "date_out_of_range",
            CellProblem::NotAKind => "not_a_kind",
            CellProblem::NotAFlag => "not_a_flag",
        }
    }
}

impl From<NumberError> for CellProblem {
    fn from(e: NumberError) -> Self {
        match e {
            NumberError::Empty => CellProblem::Missing,
            NumberError::NotANumber => CellProblem::NotANumber,
            NumberError::BadGrouping => CellProblem::BadGrouping,
            NumberError::TooLarge => CellProblem::TooLarge,
        }
    }
}

impl From<DateError> for CellProblem {
    fn from(e: DateError) -> Self {
        match e {
            DateError::Empty => CellProblem::Missing,
            DateError::NotADate(_) => CellProblem::NotADate,
            DateError::Impossible(_) => CellProblem::ImpossibleDate,
            DateError::OutOfRange(_) => CellProblem::DateOutOfRange,
        }
    }
}

fn scaled(value: rust_decimal::Decimal, decimals: u32) -> Result<i64, CellProblem> {
    to_scaled(value, decimals).map_err(|e| match e {
        ScaleError::TooPrecise { max_decimals, .. } => CellProblem::TooPrecise { max_decimals },
        ScaleError::TooLarge { .. } => CellProblem::TooLarge,
    })
}

/// Whether an empty cell of this field is a problem.
fn required_cell(field: Field) -> bool {
    matches!(
        field,
        Field::CustomerId
            | Field::Date
            | Field::Amount
            | Field::Hours
            | Field::Kind
            | Field::Role
            | Field::ReferrerId
            | Field::ReferredId
    )
}

impl<T> Value<T> {
    fn map_text<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Text(t) => Value::Text(f(t)),
            Value::Money(m) => Value::Money(m),
            Value::Date(d) => Value::Date(d),
            Value::Hours(h) => Value::Hours(h),
            Value::Count(n) => Value::Count(n),
            Value::Kind(k) => Value::Kind(k),
            Value::Flag(b) => Value::Flag(b),
            Value::Empty => Value::Empty,
        }
    }
}

/// Reads one cell as `field` under the plan.
pub fn read_cell(plan: &Plan, field: Field, text: &str) -> Result<Value, CellProblem> {
    read_cell_borrowed(plan, field, text).map(|v| v.map_text(str::to_string))
}

/// [`read_cell`] with a text cell's text borrowed, not copied: how every row of a file is read.
pub fn read_cell_borrowed<'a>(
    plan: &Plan,
    field: Field,
    text: &'a str,
) -> Result<Value<&'a str>, CellProblem> {
    let trimmed = trim_cell(text);
    if trimmed.is_empty() {
        return if required_cell(field) {
            Err(CellProblem::Missing)
        } else {
            Ok(Value::Empty)
        };
    }
    match field.cell_type() {
        CellType::Text => Ok(Value::Text(trimmed)),
        CellType::Money => match plain_cents(trimmed, plan.numbers.decimal) {
            Some(cents) => Ok(Value::Money(Money(cents))),
            None => read_money(trimmed, plan).map(Value::Money),
        },
        CellType::Hours => read_hours(trimmed, plan.numbers).map(Value::Hours),
        CellType::Count => {
            let amount = parse_number(trimmed, plan.numbers)?;
            if amount.percent || amount.currency.is_some() {
                return Err(CellProblem::NotANumber);
            }
            if amount.value.is_sign_negative() && !amount.value.is_zero() {
                return Err(CellProblem::Negative);
            }
            if !amount.value.fract().is_zero() {
                return Err(CellProblem::NotWhole);
            }
            let whole = scaled(amount.value, 0)?;
            u32::try_from(whole)
                .map(Value::Count)
                .map_err(|_| CellProblem::TooLarge)
        }
        CellType::Date => {
            // Unchosen order: day-first reads what it can for the preview; confirming needs
            // the person's choice (PlanProblem::ChooseDateOrder).
            let order = plan.dates.unwrap_or(DateOrder::DayFirst);
            Ok(Value::Date(parse_date(trimmed, order)?))
        }
        CellType::Kind => kind_of(trimmed)
            .map(Value::Kind)
            .ok_or(CellProblem::NotAKind),
        CellType::Flag => flag_of(trimmed)
            .map(Value::Flag)
            .ok_or(CellProblem::NotAFlag),
    }
}

/// The cell without the white space around it. Most cells begin and end with a visible ASCII
/// character and are returned as they are; only the others are searched character by
/// character (a no-break space is white space too).
fn trim_cell(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// An amount as written in any of the ways [`parse_number`] reads, in the plan's currency.
fn read_money(text: &str, plan: &Plan) -> Result<Money, CellProblem> {
    let amount = parse_number(text, plan.numbers)?;
    if amount.percent {
        return Err(CellProblem::Percent);
    }
    if let (Some(found), Some(expected)) = (amount.currency, plan.currency.as_deref()) {
        if found != expected {
            return Err(CellProblem::OtherCurrency {
                expected: expected.to_string(),
                found: found.to_string(),
            });
        }
    }
    Ok(Money(scaled(amount.value, crate::money::MONEY_SCALE)?))
}

/// Cents of an amount written the plainest way, as most exports write every amount: an optional
/// '-', 1 to 15 digits, and optionally the decimal mark and one or two digits ("-1234.5").
/// `None` for anything else (grouping, currency, percent, more decimals...), which the full
/// reading handles; where this answers, it answers as the full reading does.
fn plain_cents(text: &str, decimal: char) -> Option<i64> {
    plain_scaled(text, decimal, 2)
}

/// A number written the plainest way in units of 10^-`places` (`places` 2 or 3): an optional
/// '-', 1 to 15 digits, and optionally the decimal mark and 1 to `places` digits. `None` for
/// anything else, which the full reading handles.
fn plain_scaled(text: &str, decimal: char, places: usize) -> Option<i64> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (whole, fraction) = match digits.iter().position(|&b| b as char == decimal) {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, &[][..]),
    };
    let all_digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    let marked = whole.len() < digits.len();
    if whole.is_empty()
        || whole.len() > 15
        || !all_digits(whole)
        || (marked && !(1..=places).contains(&fraction.len()))
        || !all_digits(fraction)
    {
        return None;
    }
    // The fraction's digits, then zeros to `places` digits: "5" of cents is 50.
    let padded = fraction
        .iter()
        .map(|&d| d - b'0')
        .chain(std::iter::repeat(0));
    let value = whole
        .iter()
        .map(|&d| d - b'0')
        .chain(padded.take(places))
        .fold(0i64, |n, d| n * 10 + i64::from(d));
    Some(if negative { -value } else { value })
}

/// Hours as decimals ("1.5", "1,5") or as hours and minutes ("1:30", "0:45").
fn read_hours(text: &str, numbers: NumberStyle) -> Result<i64, CellProblem> {
    if let Some((h, m)) = text.split_once(':') {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(h) && m.len() == 2 && digits(m) {
            let hours: i64 = h.parse().map_err(|_| CellProblem::TooLarge)?;
            let minutes: i64 = m.parse().map_err(|_| CellProblem::NotANumber)?;
            if minutes >= 60 {
                return Err(CellProblem::NotANumber);
            }
            // Minutes to thousandths of an hour must be exact: 1:30 is 1.5, 0:20 is not.
            if (minutes * 1000) % 60 != 0 {
                return Err(CellProblem::TooPrecise { max_decimals: 3 });
            }
            return hours
                .checked_mul(1000)
                .and_then(|h| h.checked_add(minutes * 1000 / 60))
                .ok_or(CellProblem::TooLarge);
        }
        return Err(CellProblem::NotANumber);
    }
    // Thousandths of an hour: most time logs write "1.5" or "2", which need no general reading.
    if let Some(milli) = plain_scaled(text, numbers.decimal, 3) {
        return Ok(milli);
    }
    let amount = parse_number(text, numbers)?;
    if amount.percent || amount.currency.is_some() {
        return Err(CellProblem::NotANumber);
    }
    scaled(amount.value, crate::money::QTY_SCALE)
}

/// A cell of the preview: the value as read, or why it cannot be.
pub type Cell = Result<Value, CellProblem>;

/// One row of the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewRow {
    /// The row's number as a spreadsheet shows it (1-based).
    pub row: usize,
    /// One per column; an ignored column shows its text.
    pub cells: Vec<Cell>,
}

/// The first `limit` data rows, read as the plan will read them.
pub fn preview(grid: &Grid, plan: &Plan, limit: usize) -> Vec<PreviewRow> {
    plan.data_rows(grid)
        .filter(|&r| !grid.is_blank_row(r))
        .take(limit)
        .map(|r| PreviewRow {
            row: r + 1,
            cells: plan
                .columns
                .iter()
                .enumerate()
                .map(|(c, &field)| match field {
                    Field::Ignore => Ok(Value::Text(grid.cell(r, c).to_string())),
                    f => read_cell(plan, f, grid.cell(r, c)),
                })
                .collect(),
        })
        .collect()
}

/// What a column's cells look like, for a grid without headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Text,
    Number,
    Date,
    Empty,
}

fn shape_of(cells: &[&str]) -> Shape {
    let cells: Vec<&str> = cells
        .iter()
        .copied()
        .filter(|c| !c.trim().is_empty())
        .collect();
    if cells.is_empty() {
        return Shape::Empty;
    }
    let most = |n: usize| n * 10 >= cells.len() * 9;
    let numbers = detect_format(&cells);
    let dates = detect_order(&cells);
    // Every plain number is also an Excel date number: a date column must have real dates.
    let written_dates = cells.iter().any(|c| numbers_fail(c));
    if most(dates.parsed) && written_dates {
        Shape::Date
    } else if most(numbers.parsed) {
        Shape::Number
    } else {
        Shape::Text
    }
}

fn numbers_fail(cell: &str) -> bool {
    crate::parse::number::CANDIDATES
        .iter()
        .all(|&f| parse_number(cell, f).is_err())
}

/// Proposes a plan for a grid: header or not, table, fields, number format, date order.
pub fn propose(grid: &Grid, today: Date) -> Proposal {
    let width = grid.width();
    let first = Plan::first_row(grid);
    let header_cells: Vec<&str> = (0..width).map(|c| grid.cell(first, c)).collect();
    let named: Vec<Option<(Field, Match)>> =
        header_cells.iter().map(|h| field_of_header(h)).collect();
    let sample_rows = |from: usize| (from..grid.row_count()).take(SAMPLE_ROWS);
    let shapes_below: Vec<Shape> = (0..width)
        .map(|c| {
            let cells: Vec<&str> = sample_rows(first + 1).map(|r| grid.cell(r, c)).collect();
            shape_of(&cells)
        })
        .collect();
    let first_row_all_text = header_cells
        .iter()
        .all(|h| !h.trim().is_empty() && shape_of(&[h]) == Shape::Text);
    let header = named.iter().any(Option::is_some)
        || (first_row_all_text
            && shapes_below
                .iter()
                .any(|s| matches!(s, Shape::Number | Shape::Date)));

    let (table, mut columns, table_recognised) = if header && named.iter().any(Option::is_some) {
        let found: Vec<Field> = named.iter().flatten().map(|(f, _)| *f).collect();
        let has = |f: Field| found.contains(&f);
        let has_count_of = found.iter().any(|f| matches!(f, Field::CountOf(_)));
        let table = if has(Field::ReferrerId) && has(Field::ReferredId) {
            TableKind::Referrals
        } else if has(Field::Date) && has(Field::Hours) {
            TableKind::TimeLog
        } else if has(Field::Date) && (has(Field::Kind) || has_count_of) && !has(Field::Amount) {
            TableKind::Activities
        } else if has(Field::Date) && (has(Field::Amount) || has(Field::InvoiceNumber)) {
            TableKind::Invoices
        } else if has(Field::Amount) || has(Field::Cost) || has(Field::Hours) || has_count_of {
            TableKind::Summary
        } else {
            TableKind::Customers
        };
        (table, assign(&named, &shapes_below, table), true)
    } else {
        let shapes = if header {
            shapes_below.clone()
        } else {
            (0..width)
                .map(|c| {
                    let cells: Vec<&str> = sample_rows(first).map(|r| grid.cell(r, c)).collect();
                    shape_of(&cells)
                })
                .collect()
        };
        let (table, columns) = by_shape(&shapes);
        (table, columns, false)
    };
    // A time log's "count" header, or anything else the table cannot hold, is not read.
    let allowed = table.fields();
    for f in &mut columns {
        if !allowed.contains(f) {
            *f = Field::Ignore;
        }
    }

    let data_from = first + usize::from(header);
    let cells_of = |want: fn(CellType) -> bool| -> Vec<&str> {
        columns
            .iter()
            .enumerate()
            .filter(|(_, f)| want(f.cell_type()))
            .flat_map(|(c, _)| sample_rows(data_from).map(move |r| grid.cell(r, c)))
            .collect()
    };
    let is_number = |t: CellType| matches!(t, CellType::Money | CellType::Hours | CellType::Count);
    let number_cells = cells_of(is_number);
    let mut numbers = detect_format(&number_cells);
    // Whole numbers do not tell the decimal mark, and a later "1.500" would be read as 1.5 or
    // 1500 on a guess: the cells below the sample that hold a dot or a comma have their say.
    // Looking for them is quick, and only files whose sample is all whole numbers look.
    if !numbers.decimal_known {
        let below = (data_from + SAMPLE_ROWS).min(grid.row_count())..grid.row_count();
        let marked: Vec<&str> = columns
            .iter()
            .enumerate()
            .filter(|(_, f)| is_number(f.cell_type()))
            .flat_map(|(c, _)| below.clone().map(move |r| grid.cell(r, c)))
            .filter(|cell| cell.contains(['.', ',']))
            .take(SAMPLE_ROWS)
            .collect();
        if !marked.is_empty() {
            numbers = detect_format(&[number_cells.as_slice(), &marked].concat());
        }
    }
    let currency = number_cells
        .iter()
        .filter_map(|c| parse_number(c, numbers.format).ok()?.currency)
        .fold(Vec::<(&str, usize)>::new(), |mut tally, code| {
            match tally.iter_mut().find(|(c, _)| *c == code) {
                Some((_, n)) => *n += 1,
                None => tally.push((code, 1)),
            }
            tally
        })
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .map(|(c, _)| c.to_string());
    let date_cells = cells_of(|t| t == CellType::Date);
    let order = detect_order(&date_cells);
    let dates = if date_cells.iter().all(|c| c.trim().is_empty()) {
        Some(DateOrder::Iso)
    } else {
        order.order
    };
    Proposal {
        plan: Plan {
            table,
            header,
            columns,
            numbers: numbers.format,
            dates,
            currency,
            default_role: "support".to_string(),
            summary_date: today,
        },
        table_recognised,
        numbers_ambiguous: numbers.ambiguous,
        dates_ambiguous: order.ambiguous,
    }
}

/// Fields from recognised headers: each field goes to the column naming it best (exact before
/// partial, then leftmost); the rest are attributes in a customer table when they hold text,
/// else ignored.
fn assign(named: &[Option<(Field, Match)>], shapes: &[Shape], table: TableKind) -> Vec<Field> {
    let allowed = table.fields();
    let mut columns = vec![Field::Ignore; named.len()];
    let mut order: Vec<usize> = (0..named.len()).filter(|&c| named[c].is_some()).collect();
    order.sort_by_key(|&c| (std::cmp::Reverse(named[c].map(|(_, m)| m)), c));
    for c in order {
        let Some((field, _)) = named[c] else { continue };
        let taken = !field.repeatable() && columns.contains(&field);
        if allowed.contains(&field) && !taken {
            columns[c] = field;
        }
    }
    if allowed.contains(&Field::Attribute) {
        for (c, f) in columns.iter_mut().enumerate() {
            if *f == Field::Ignore && shapes.get(c) == Some(&Shape::Text) {
                *f = Field::Attribute;
            }
        }
    }
    columns
}

/// A guess from the cells alone (no recognised header): text columns are the customer id and
/// name, a date column makes it invoices with the first number as the amount; numbers without
/// dates make it a summary.
fn by_shape(shapes: &[Shape]) -> (TableKind, Vec<Field>) {
    let has_date = shapes.contains(&Shape::Date);
    let has_number = shapes.contains(&Shape::Number);
    let table = match (has_date, has_number) {
        (true, true) => TableKind::Invoices,
        (false, true) => TableKind::Summary,
        _ => TableKind::Customers,
    };
    let mut columns = vec![Field::Ignore; shapes.len()];
    let mut text_fields = vec![Field::CustomerId, Field::CustomerName].into_iter();
    let mut date_field = Some(Field::Date);
    let mut number_field = Some(Field::Amount);
    for (c, shape) in shapes.iter().enumerate() {
        columns[c] = match shape {
            Shape::Text => text_fields
                .next()
                .unwrap_or(if table == TableKind::Customers {
                    Field::Attribute
                } else {
                    Field::Ignore
                }),
            Shape::Date if table == TableKind::Invoices => {
                date_field.take().unwrap_or(Field::Ignore)
            }
            Shape::Number => number_field.take().unwrap_or(Field::Ignore),
            _ => Field::Ignore,
        };
    }
    (table, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The shortcut for plain amounts must read what the full reading reads, in files with
        // a decimal point or a decimal comma, or leave the text to it.
        #[test]
        fn plain_amounts_read_as_the_full_reading_reads_them(
            text in "-?[0-9]{0,17}([.,][0-9]{0,3})?",
            style in 0..3usize,
        ) {
            let plan = Plan {
                table: TableKind::Invoices,
                header: true,
                columns: vec![],
                numbers: [NumberStyle::PLAIN, NumberStyle::ENGLISH, NumberStyle::COMMA][style],
                dates: Some(DateOrder::DayFirst),
                currency: Some("EUR".into()),
                default_role: "support".into(),
                summary_date: today(),
            };
            if let Some(cents) = plain_cents(&text, plan.numbers.decimal) {
                prop_assert_eq!(read_money(&text, &plan), Ok(Money(cents)));
            }
        }
    }

    proptest! {
        // The same shortcut for hours, in thousandths.
        #[test]
        fn plain_hours_read_as_the_full_reading_reads_them(
            text in "-?[0-9]{0,17}([.,][0-9]{0,4})?",
            style in 0..3usize,
        ) {
            let numbers = [NumberStyle::PLAIN, NumberStyle::ENGLISH, NumberStyle::COMMA][style];
            if let Some(milli) = plain_scaled(&text, numbers.decimal, 3) {
                let general = parse_number(&text, numbers)
                    .map(|amount| scaled(amount.value, crate::money::QTY_SCALE));
                prop_assert_eq!(general, Ok(Ok(milli)));
            }
        }
    }

    proptest! {
        // The shortcut for cells that start and end visibly trims as `str::trim` does.
        #[test]
        fn cells_trim_as_str_trim_does(text in "[ a-z0-9\u{a0}\t\u{2003}é,.-]{0,8}") {
            prop_assert_eq!(trim_cell(&text), text.trim());
        }
    }

    #[test]
    fn cells_are_trimmed_of_any_white_space() {
        for (text, want) in [
            ("a b", "a b"),
            (" a ", "a"),
            ("\u{a0}12\u{a0}", "12"),
            ("\t", ""),
            ("", ""),
            ("é ", "é"),
        ] {
            assert_eq!(trim_cell(text), want, "{text:?}");
        }
    }

    #[test]
    fn plain_amounts_by_hand() {
        assert_eq!(plain_cents("-1234.5", '.'), Some(-123_450));
        assert_eq!(plain_cents("0,07", ','), Some(7));
        assert_eq!(plain_cents("12", '.'), Some(1_200));
        // Grouping, three decimals, a lone sign or mark: the full reading's.
        for text in ["1,234.50", "1.005", "-", ".5", "12.", "1 234"] {
            assert_eq!(plain_cents(text, '.'), None, "{text}");
        }
        // Hours in thousandths: 1.5 h, 0.25 h, 2 h, 0.125 h; four decimals are the full
        // reading's (it refuses them).
        assert_eq!(plain_scaled("1.5", '.', 3), Some(1_500));
        assert_eq!(plain_scaled("0,25", ',', 3), Some(250));
        assert_eq!(plain_scaled("2", '.', 3), Some(2_000));
        assert_eq!(plain_scaled("0.125", '.', 3), Some(125));
        assert_eq!(plain_scaled("0.1255", '.', 3), None);
    }

    fn grid(text: &str) -> Grid {
        let sep = super::super::delimited::detect_separator(text);
        super::super::delimited::split(text, sep).unwrap()
    }

    fn today() -> Date {
        Date::new(2026, 11, 23).unwrap()
    }

    #[test]
    fn hungarian_invoice_export() {
        let g = grid(
            "Ügyfél;Számlaszám;Kelte;Nettó összeg;Fizetési határidő;Megjegyzés\n\
             C1;SZ-1;2025.03.07.;1 234,50 Ft;2025.04.06.;sürgős\n\
             C2;SZ-2;2025.03.15.;-200,00 Ft;2025.04.14.;\n",
        );
        let p = propose(&g, today());
        assert!(p.table_recognised);
        assert_eq!(p.plan.table, TableKind::Invoices);
        assert!(p.plan.header);
        assert_eq!(
            p.plan.columns,
            vec![
                Field::CustomerId,
                Field::InvoiceNumber,
                Field::Date,
                Field::Amount,
                Field::DueDate,
                Field::Ignore
            ]
        );
        assert_eq!(p.plan.numbers.decimal, ',');
        assert_eq!(p.plan.dates, Some(DateOrder::Iso));
        assert_eq!(p.plan.currency.as_deref(), Some("HUF"));
        assert!(p.plan.problems(&g).is_empty());
        let rows = preview(&g, &p.plan, 10);
        assert_eq!(rows[0].row, 2);
        // 1 234,50 Ft = 123450 cents; -200,00 Ft = -20000 cents.
        assert_eq!(rows[0].cells[3], Ok(Value::Money(Money(123_450))));
        assert_eq!(rows[1].cells[3], Ok(Value::Money(Money(-20_000))));
        assert_eq!(
            rows[0].cells[2],
            Ok(Value::Date(Date::new(2025, 3, 7).unwrap()))
        );
    }

    #[test]
    fn numbers_that_read_two_ways_are_flagged() {
        // "1.234" is 1234 with a dot grouping thousands, 1.234 with a decimal point: nothing in
        // the column tells which.
        let g = grid("customer,revenue\nC1,1.234\nC2,5.678\n");
        assert!(propose(&g, today()).numbers_ambiguous);
        // "5.678,50" settles it: a dot groups thousands, so "1.234" is 1234.
        let g = grid("customer;revenue\nC1;1.234\nC2;5.678,50\n");
        let p = propose(&g, today());
        assert!(!p.numbers_ambiguous);
        assert_eq!(
            preview(&g, &p.plan, 2)[0].cells[1],
            Ok(Value::Money(Money(123_400)))
        );
    }

    #[test]
    fn a_decimal_mark_below_a_sample_of_whole_numbers_is_not_guessed() {
        // 600 whole amounts (the sample is the first 500), then one with a mark.
        let whole: String = (0..600).map(|i| format!("C{i},{}\n", 100 + i)).collect();
        // "1.500": 1.5 with a decimal point, 1500 with a dot grouping thousands.
        let g = grid(&format!("customer,revenue\n{whole}C600,1.500\n"));
        assert!(propose(&g, today()).numbers_ambiguous);
        // "12,50" can only be 12.50 (a comma grouping thousands takes three digits): the file
        // writes a decimal comma, and its row reads as 12.50, not as an error.
        let g = grid(&format!(
            "customer;revenue\n{}C600;12,50\n",
            whole.replace(',', ";")
        ));
        let p = propose(&g, today());
        assert!(!p.numbers_ambiguous);
        assert_eq!(p.plan.numbers.decimal, ',');
        assert_eq!(
            preview(&g, &p.plan, 602)[600].cells[1],
            Ok(Value::Money(Money(1_250)))
        );
        // Without a marked cell anywhere, whole numbers read alike in every format.
        let g = grid(&format!("customer,revenue\n{whole}"));
        let p = propose(&g, today());
        assert!(!p.numbers_ambiguous);
        assert_eq!(
            preview(&g, &p.plan, 600)[599].cells[1],
            Ok(Value::Money(Money(69_900)))
        );
    }

    #[test]
    fn a_header_under_a_title_is_found() {
        // A report's name and period, a blank line, then the header (row index 3).
        let g = grid(
            "Sales by customer,,\n1 January to 31 March 2025,,\n,,\n\
             customer,date,amount\nC1,2025-01-15,10.00\n",
        );
        assert_eq!(Plan::first_row(&g), 3);
        let p = propose(&g, today());
        assert!(p.plan.header);
        assert_eq!(p.plan.table, TableKind::Invoices);
        assert_eq!(p.plan.data_rows(&g), 4..5);
        assert_eq!(p.plan.header_of(&g, 2), "amount");
        // A header on the first row stays there.
        let g = grid("customer,date,amount\nC1,2025-01-15,10.00\n");
        assert_eq!(Plan::first_row(&g), 0);
        // Rows as wide as the one naming fields are data, not a title: a file without a
        // header whose second row happens to hold header words starts on its first row.
        let g = grid("C1,Acme,10.00\nC2,Customer,Amount\n");
        assert_eq!(Plan::first_row(&g), 0);
        // Leading blank rows are skipped as before.
        let g = grid(",,\ncustomer,date,amount\nC1,2025-01-15,10.00\n");
        assert_eq!(Plan::first_row(&g), 1);
    }

    #[test]
    fn ambiguous_dates_wait_for_the_person() {
        let g = grid("customer,date,amount\nC1,03/04/2025,10\nC2,05/06/2025,20\n");
        let p = propose(&g, today());
        assert!(p.dates_ambiguous);
        assert_eq!(p.plan.dates, None);
        assert_eq!(p.plan.problems(&g), vec![PlanProblem::ChooseDateOrder]);
        let mut plan = p.plan.clone();
        plan.dates = Some(DateOrder::MonthFirst);
        assert_eq!(
            preview(&g, &plan, 1)[0].cells[1],
            Ok(Value::Date(Date::new(2025, 3, 4).unwrap()))
        );
    }

    #[test]
    fn tables_recognised_from_headers() {
        let table = |text: &str| propose(&grid(text), today()).plan.table;
        assert_eq!(
            table("Klient,Data,Godziny,Stanowisko\nK1,2025-01-02,1.5,support\n"),
            TableKind::TimeLog
        );
        assert_eq!(
            table("Pelanggan,Tanggal,Jenis,Banyaknya\nP1,2025-01-02,tiket,3\n"),
            TableKind::Activities
        );
        assert_eq!(table("Referrer,Referred\nC1,C2\n"), TableKind::Referrals);
        assert_eq!(
            table("Cliente,Nombre,Segmento\nC1,Acme,Retail\n"),
            TableKind::Customers
        );
        assert_eq!(
            table("Customer,Revenue,Tickets,Hours\nC1,1000,3,2\n"),
            TableKind::Summary
        );
    }

    #[test]
    fn unknown_customer_columns_become_attributes() {
        let g =
            grid("Customer ID,Name,Segment,Favourite colour,Employees\nC1,Acme,Retail,blue,12\n");
        let p = propose(&g, today());
        assert_eq!(p.plan.table, TableKind::Customers);
        assert_eq!(
            p.plan.columns,
            vec![
                Field::CustomerId,
                Field::CustomerName,
                Field::Attribute,
                Field::Attribute,
                Field::Ignore
            ]
        );
    }

    #[test]
    fn headerless_paste_is_guessed_from_cells() {
        let g = grid("C1\tAcme\t2025-01-31\t1,234.50\nC2\tBeta\t2025-02-28\t99.00\n");
        let p = propose(&g, today());
        assert!(!p.plan.header);
        assert!(!p.table_recognised);
        assert_eq!(p.plan.table, TableKind::Invoices);
        assert_eq!(
            p.plan.columns,
            vec![
                Field::CustomerId,
                Field::CustomerName,
                Field::Date,
                Field::Amount
            ]
        );
        assert_eq!(preview(&g, &p.plan, 5).len(), 2);
    }

    #[test]
    fn cells_read_exactly_or_refused() {
        let plan = Plan {
            table: TableKind::Invoices,
            header: true,
            columns: vec![],
            numbers: NumberStyle::COMMA,
            dates: Some(DateOrder::DayFirst),
            currency: Some("PLN".into()),
            default_role: "support".into(),
            summary_date: today(),
        };
        let read = |f, t| read_cell(&plan, f, t);
        assert_eq!(
            read(Field::Amount, "1.234,56 zł"),
            Ok(Value::Money(Money(123_456)))
        );
        assert_eq!(
            read(Field::Amount, "(12,00)"),
            Ok(Value::Money(Money(-1_200)))
        );
        assert_eq!(
            read(Field::Amount, "12,00 €"),
            Err(CellProblem::OtherCurrency {
                expected: "PLN".into(),
                found: "EUR".into()
            })
        );
        assert_eq!(
            read(Field::Amount, "1,005"),
            Err(CellProblem::TooPrecise { max_decimals: 2 })
        );
        assert_eq!(read(Field::Amount, "12%"), Err(CellProblem::Percent));
        assert_eq!(read(Field::Amount, ""), Err(CellProblem::Missing));
        assert_eq!(read(Field::Discount, " "), Ok(Value::Empty));
        // 1:30 is 1.5 h = 1500 thousandths; 0:45 is 750; "2,25" is 2250.
        assert_eq!(read(Field::Hours, "1:30"), Ok(Value::Hours(1_500)));
        assert_eq!(read(Field::Hours, "0:45"), Ok(Value::Hours(750)));
        assert_eq!(read(Field::Hours, "2,25"), Ok(Value::Hours(2_250)));
        assert_eq!(
            read(Field::Hours, "0:20"),
            Err(CellProblem::TooPrecise { max_decimals: 3 })
        );
        assert_eq!(read(Field::Count, "3"), Ok(Value::Count(3)));
        assert_eq!(read(Field::Count, "-1"), Err(CellProblem::Negative));
        assert_eq!(read(Field::Count, "1,5"), Err(CellProblem::NotWhole));
        assert_eq!(
            read(Field::Date, "31.04.2025"),
            Err(CellProblem::ImpossibleDate)
        );
        assert_eq!(
            read(Field::Kind, "wizyta"),
            Ok(Value::Kind(ActivityKind::Visit))
        );
        assert_eq!(read(Field::Kind, "lunch"), Err(CellProblem::NotAKind));
        assert_eq!(read(Field::CameAnyway, "tak"), Ok(Value::Flag(true)));
    }
}
