//! The engine benchmark in the browser: the same recompute `cargo bench` measures, timed with
//! `performance.now()` in the page. Opened with `?bench` (see `e2e/bench.mjs`).

use crate::state::now_ms as now;
use profitbook_engine::assumptions::Param;
use profitbook_engine::drivers::KeyedDataset;
use profitbook_engine::scale::{synthetic_invoices, synthetic_model, what_if_bytes_per_customer};
use profitbook_engine::{aggregate, compute, sample, Aggregated, Assumptions, Rates};
use rust_decimal::Decimal;

const RUNS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median milliseconds of a recompute for `customers`: after one assumption change (the
/// page's next report from its last), and of every line from scratch (as after an import).
fn recompute_ms(customers: usize) -> (f64, f64) {
    let model = synthetic_model(customers);
    let mut assumptions = Assumptions::default();
    let rates = Rates::compile(&assumptions, &model).expect("valid assumptions");
    let every_line = (0..RUNS)
        .map(|_| {
            let start = now();
            std::hint::black_box(compute(&model, &rates, &assumptions.actions));
            now() - start
        })
        .collect();
    let mut report = compute(&model, &rates, &assumptions.actions);
    let one_change = (0..RUNS)
        .map(|run| {
            let start = now();
            let cost = Decimal::from(7 + (run % 2) as i64);
            Param::CostPerTicket
                .set(&mut assumptions, cost)
                .expect("a valid ticket cost");
            let rates = Rates::compile(&assumptions, &model).expect("valid assumptions");
            report = report.recomputed(&model, &rates, &assumptions.actions);
            now() - start
        })
        .collect();
    (median(one_change), median(every_line))
}

/// Each of `runs` aggregations timed, in ms, each checked to make `customers` customers.
fn aggregate_times(customers: usize, runs: usize, aggregate: impl Fn() -> Aggregated) -> Vec<f64> {
    (0..runs)
        .map(|_| {
            let start = now();
            let agg = aggregate();
            let ms = now() - start;
            assert_eq!(agg.model.len(), customers);
            ms
        })
        .collect()
}

/// Median milliseconds of `aggregate` over `runs` runs, each checked to give `customers`.
fn aggregate_ms(customers: usize, runs: usize, aggregate: impl Fn() -> Aggregated) -> f64 {
    median(aggregate_times(customers, runs, aggregate))
}

/// Runs every measurement and returns one line per figure.
pub fn run() -> String {
    let mut out = Vec::new();
    // Chromium first runs WebAssembly on its baseline compiler and tiers up to the optimising
    // one in the background: a warm-up round measures the code users get after a few moves.
    recompute_ms(100_000);
    for customers in [100_000, 1_000_000] {
        let (one_change, every_line) = recompute_ms(customers);
        out.push(format!(
            "recompute_after_one_change customers={customers} median_ms={one_change:.1}"
        ));
        out.push(format!(
            "recompute_every_line customers={customers} median_ms={every_line:.1}"
        ));
    }
    let data = sample::sample_company();
    let rows = data.invoices.len() + data.time_entries.len() + data.activities.len();
    out.push(format!(
        "aggregate_sample_company rows={rows} median_ms={:.1}",
        aggregate_ms(data.customers.len(), RUNS, || aggregate(&data))
    ));
    // A million invoice rows as facts: the aggregation alone, three runs.
    let data = synthetic_invoices(1_000_000, 100_000);
    out.push(format!(
        "aggregate_invoices rows={} median_ms={:.1}",
        data.invoices.len(),
        aggregate_ms(data.customers.len(), 3, || aggregate(&data))
    ));
    // The same rows with their customer ids keyed already, as the import hands them over
    // (it keys each id while it reads the row).
    let keyed = KeyedDataset::new(data);
    out.push(format!(
        "aggregate_invoices_ids_keyed rows={} median_ms={:.1}",
        keyed.data().invoices.len(),
        aggregate_ms(keyed.data().customers.len(), 3, || keyed.aggregate())
    ));
    out.push(format!(
        "what_if_state bytes_per_customer={}",
        what_if_bytes_per_customer(&synthetic_model(1))
    ));
    out.join("\n")
}

/// Aggregating `rows` invoices of `rows / 10` customers (at least one), ids keyed as the import
/// hands them over: each of three runs, after a warm-up, the first into memory the page has not
/// used before, unless `touch_mb` megabytes of it were touched first (see [`touch_memory`]).
pub fn aggregate_at(rows: usize, touch_mb: usize) -> String {
    let customers = (rows / 10).max(1);
    // Warmed up as the import's worker warms up before a file comes (four steps of 5,000
    // rows): a browser runs a function in quickly compiled code until it has run a while, and
    // a function called once (most of aggregating) never leaves it. Unwarmed, the first of
    // three runs took 2.39 to 2.82 s where the later ones took 1.56 to 1.90, with memory
    // touched beforehand (and 1.80 s when the browser compiled every function for speed).
    let warm_up = KeyedDataset::new(synthetic_invoices(5_000, 500));
    for _ in 0..4 {
        std::hint::black_box(warm_up.aggregate());
    }
    let keyed = KeyedDataset::new(synthetic_invoices(rows, customers));
    let touched = match touch_mb {
        0 => None,
        mb => match touch_memory(mb) {
            Some(ms) => Some(ms),
            None => return format!("touch_mb={mb}: more memory than the page can take"),
        },
    };
    let runs: Vec<String> = aggregate_times(customers, 3, || keyed.aggregate())
        .iter()
        .map(|ms| format!("{ms:.0}"))
        .collect();
    let mut out = format!(
        "aggregate_invoices_ids_keyed rows={rows} customers={customers} runs_ms={}",
        runs.join(",")
    );
    if let Some(ms) = touched {
        out += &format!(
            "\nmemory_touched_first mb={touch_mb} ms={ms:.0} ms_per_mb={:.2}",
            ms / touch_mb as f64
        );
    }
    out
}

/// Writes `mb` fresh megabytes of the page's memory and lets them go, returning the
/// milliseconds it took (None when the page cannot have that much).
/// WebAssembly memory is never given back, so the aggregation's first run then reuses pages
/// the machine has already provided: this tells the cost of memory's first use (on these
/// virtual machines, pages the host has taken back after they were free for a moment) apart
/// from the aggregation's own.
fn touch_memory(mb: usize) -> Option<f64> {
    let start = now();
    let bytes = mb.checked_mul(1 << 20)?;
    let mut block: Vec<u8> = Vec::new();
    block.try_reserve_exact(bytes).ok()?;
    block.resize(bytes, 1);
    std::hint::black_box(&block);
    Some(now() - start)
}
