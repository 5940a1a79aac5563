//! Reading the text of users' files as they are: numbers and dates from any of our users'
//! locales. Every function returns a typed error instead of guessing; ambiguity is reported so
//! the person can choose.

pub mod date;
pub mod number;
