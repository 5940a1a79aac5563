//! Results out of the workbook as files: the customers as CSV, the report as an XLSX workbook
//! and as a self-contained HTML page. Everything here is plain data in, bytes or text out, so
//! the page and the command-line program write the same files.

pub mod csv;
pub mod report;
pub mod results_xlsx;
pub mod xlsx;

use crate::table::Column;
use std::borrow::Cow;

/// A column of the results export: the customer's id and name, then the table's columns (every
/// P&L line, the two shares, quadrant and action).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultColumn {
    CustomerId,
    CustomerName,
    Table(Column),
}

impl ResultColumn {
    /// Its name as the model names it: `customer_id`, `revenue`, ..., `action`.
    pub fn key(self) -> &'static str {
        match self {
            ResultColumn::CustomerId => "customer_id",
            ResultColumn::CustomerName => "customer_name",
            ResultColumn::Table(c) => c.key(),
        }
    }
}

/// Every column of the results export, in the model's order.
pub fn result_columns() -> Vec<ResultColumn> {
    [ResultColumn::CustomerId, ResultColumn::CustomerName]
        .into_iter()
        .chain(Column::all().into_iter().map(ResultColumn::Table))
        .collect()
}

/// The text a cell holds so that a spreadsheet never reads it as a formula: text beginning with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe. A customer's name
/// is data, and must stay data in whoever opens the file.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}
