//! How fast invoices already read are added up per customer and month, natively, at the scale
//! of the engine's target (ten million rows in 2 s): `cargo run --release -p profitbook-engine
//! --example aggregate_speed [rows]` aggregates `rows` invoices (default 10,000,000) of
//! rows / 10 customers, ids keyed as the import hands them over. Three runs, each timed;
//! criterion's benches stop at a million rows, where the customers' tables still fit in the
//! cache.

use profitbook_engine::drivers::KeyedDataset;
use profitbook_engine::scale::synthetic_invoices;
use std::time::Instant;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("rows: a whole number"))
        .unwrap_or(10_000_000);
    let customers = (rows / 10).max(1);
    let made = Instant::now();
    let keyed = KeyedDataset::new(synthetic_invoices(rows, customers));
    println!(
        "{rows} invoices of {customers} customers made in {:.1} s",
        made.elapsed().as_secs_f64()
    );
    for run in 1..=3 {
        let start = Instant::now();
        let aggregated = keyed.aggregate();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(aggregated.model.len(), customers);
        println!("run {run}: aggregated in {ms:.0} ms");
    }
}
