//! The engine benchmark in the browser: the same recompute `cargo bench` measures, timed with
//! `performance.now()` in the page. Opened with `?bench` (see `e2e/bench.mjs`).

use profitbook_engine::assumptions::Param;
use profitbook_engine::scale::{synthetic_model, what_if_bytes_per_customer};
use profitbook_engine::{aggregate, compute_into, sample, Assumptions, Rates, Report};
use rust_decimal::Decimal;

const RUNS: usize = 7;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median milliseconds of a recompute after one assumption change, for `customers`.
fn recompute_ms(customers: usize) -> f64 {
    let model = synthetic_model(customers);
    let mut assumptions = Assumptions::default();
    let mut report = Report::default();
    let times = (0..RUNS)
        .map(|run| {
            let start = now();
            let cost = Decimal::from(6 + (run % 2) as i64);
            Param::CostPerTicket
                .set(&mut assumptions, cost)
                .expect("a valid ticket cost");
            let rates = Rates::compile(&assumptions, &model).expect("valid assumptions");
            compute_into(&model, &rates, &assumptions.actions, &mut report);
            now() - start
        })
        .collect();
    median(times)
}

/// Runs every measurement and returns one line per figure.
pub fn run() -> String {
    let mut out = Vec::new();
    // Chromium first runs WebAssembly on its baseline compiler and tiers up to the optimising
    // one in the background: a warm-up round measures the code users get after a few moves.
    recompute_ms(100_000);
    for customers in [100_000, 1_000_000] {
        out.push(format!(
            "recompute_after_one_change customers={customers} median_ms={:.1}",
            recompute_ms(customers)
        ));
    }
    let data = sample::sample_company();
    let rows = data.invoices.len() + data.time_entries.len() + data.activities.len();
    let times = (0..RUNS)
        .map(|_| {
            let start = now();
            let agg = aggregate(&data);
            let ms = now() - start;
            assert_eq!(agg.model.len(), data.customers.len());
            ms
        })
        .collect();
    out.push(format!(
        "aggregate_sample_company rows={rows} median_ms={:.1}",
        median(times)
    ));
    out.push(format!(
        "what_if_state bytes_per_customer={}",
        what_if_bytes_per_customer(&synthetic_model(1))
    ));
    out.join("\n")
}
