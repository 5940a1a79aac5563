//! The page's components, each small and reading the workbook from context.

pub mod app;
pub mod assumptions_panel;
pub mod bench;
pub mod chart_parts;
pub mod customer_detail;
pub mod customer_table;
pub mod drift_chart;
pub mod exports;
pub mod import_panel;
pub mod kpis;
pub mod large_type;
pub mod locale_pickers;
pub mod matrix_chart;
pub mod messages;
pub mod prospect;
pub mod scenarios;
pub mod segment_chart;
pub mod tornado;
pub mod whale_chart;
