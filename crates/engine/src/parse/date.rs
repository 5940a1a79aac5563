//! Dates as they appear in exported files (being written).
