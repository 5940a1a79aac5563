//! Profitbook's import worker: reading, checking and aggregating files off the page's main
//! thread, so the page keeps painting and a long import can be cancelled (by ending the worker).
//!
//! [`protocol`] is shared with the page; [`jobs`] is what the worker does, in plain Rust.

pub mod jobs;
pub mod protocol;
