//! How fast a large invoice export imports, natively: each step timed on the synthetic file of
//! `scale::synthetic_invoice_csv`, or on a file. `cargo run --release -p profitbook-engine
//! --example import_speed [rows | file]` (default 1,000,000 rows).

use profitbook_engine::date::Date;
use profitbook_engine::import::{self, propose, Staging};
use profitbook_engine::scale::synthetic_invoice_csv;
use std::time::Instant;

fn main() {
    // A row count, or the path of a file to import.
    let arg = std::env::args().nth(1).unwrap_or_default();
    let (rows, bytes) = match arg.parse::<usize>() {
        Ok(rows) => (rows, synthetic_invoice_csv(rows, 100_000).into_bytes()),
        Err(_) if !arg.is_empty() => (0, std::fs::read(&arg).expect("a readable file")),
        Err(_) => (
            1_000_000,
            synthetic_invoice_csv(1_000_000, 100_000).into_bytes(),
        ),
    };
    let mb = bytes.len() as f64 / 1e6;
    let today = Date::new(2026, 11, 23).expect("valid date");

    let start = Instant::now();
    let sources =
        import::read_sources_with("invoices.csv", bytes, &mut |_, _| {}).expect("readable");
    let read = start.elapsed();
    let source = &sources[0];
    let proposal = propose(&source.grid, today);
    let proposed = start.elapsed();
    let mut staging = Staging::default();
    staging.add(source, &proposal.plan);
    let staged = start.elapsed();
    let finished = staging.finish();
    let done = start.elapsed();

    let file = &finished.files[0];
    println!(
        "{rows} rows, {mb:.1} MB: read {:.0} ms, propose {:.0} ms, rows to facts {:.0} ms, \
         aggregate {:.0} ms; total {:.0} ms = {:.0} MB/s; {} used, {} rejected, {} customers",
        read.as_secs_f64() * 1e3,
        (proposed - read).as_secs_f64() * 1e3,
        (staged - proposed).as_secs_f64() * 1e3,
        (done - staged).as_secs_f64() * 1e3,
        done.as_secs_f64() * 1e3,
        mb / done.as_secs_f64(),
        file.used,
        file.rejected,
        finished.aggregated.model.len(),
    );
}
