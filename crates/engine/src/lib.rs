//! Profitbook's engine: the customer-profitability model of `shared/domain.md`, in plain Rust.
//!
//! Facts ([`facts`]) are aggregated once into per-customer driver totals ([`drivers`]);
//! assumptions ([`assumptions`]) compile into integer rates; [`compute`] recomputes every P&L
//! line from those two, and [`views`] derives the whale curve, quadrants, actions and pivots;
//! [`table`] orders and filters the customer table.
//! No web dependency: the browser app and the native tests share this crate.

pub mod assumptions;
pub mod compute;
pub mod currency;
pub mod date;
pub mod drift;
pub mod drivers;
pub mod export;
pub mod facts;
pub mod format;
pub mod hash;
pub mod history;
pub mod i18n;
pub mod import;
pub mod lifetime;
pub mod model_bytes;
pub mod money;
pub mod parse;
pub mod sample;
pub mod saved;
pub mod scale;
pub mod scenario;
pub mod sensitivity;
pub mod share;
pub mod table;
pub mod tdabc;
#[cfg(test)]
mod testing;
pub mod views;
mod words;
pub mod workbook_file;

pub use assumptions::{Assumptions, Rates};
pub use compute::{compute, LineKey, LineTable, Lines, Report};
pub use drivers::{aggregate, Aggregated, Model};
pub use facts::Dataset;
pub use money::Money;
