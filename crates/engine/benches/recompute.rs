//! The what-if recompute after one assumption change: compile the assumptions, then every
//! customer's lines, the totals, whale curve, quadrants and actions.
//!
//!     cargo bench -p profitbook-engine --bench recompute

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use profitbook_engine::assumptions::Param;
use profitbook_engine::drivers::KeyedDataset;
use profitbook_engine::scale::{synthetic_invoices, synthetic_model};
use profitbook_engine::{aggregate, compute, sample, Assumptions, Rates, Report};
use rust_decimal::Decimal;
use std::hint::black_box;
use std::time::Duration;

fn recompute(c: &mut Criterion) {
    let mut group = c.benchmark_group("recompute_after_one_change");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for customers in [100_000usize, 1_000_000] {
        let model = synthetic_model(customers);
        let mut assumptions = Assumptions::default();
        let mut ticket_cost = 6i64;
        // Each move computes the next report from the last, as the page does: the lines the
        // move does not change are shared, not computed again.
        let mut report = Report::default();
        group.throughput(Throughput::Elements(customers as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(customers),
            &model,
            |b, model| {
                b.iter(|| {
                    // A slider move: one assumption changes, everything is recomputed.
                    ticket_cost = if ticket_cost == 6 { 7 } else { 6 };
                    Param::CostPerTicket
                        .set(&mut assumptions, Decimal::from(ticket_cost))
                        .unwrap();
                    let rates = Rates::compile(&assumptions, model).unwrap();
                    report = report.recomputed(model, &rates, &assumptions.actions);
                    black_box(&report);
                })
            },
        );
    }
    group.finish();

    // Every line from scratch, as after an import.
    let mut group = c.benchmark_group("recompute_every_line");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for customers in [100_000usize, 1_000_000] {
        let model = synthetic_model(customers);
        let assumptions = Assumptions::default();
        let rates = Rates::compile(&assumptions, &model).unwrap();
        group.throughput(Throughput::Elements(customers as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(customers),
            &model,
            |b, model| b.iter(|| black_box(compute(model, &rates, &assumptions.actions))),
        );
    }
    group.finish();
}

fn aggregation(c: &mut Criterion) {
    let data = sample::sample_company();
    let rows = data.invoices.len() + data.time_entries.len() + data.activities.len();
    let mut group = c.benchmark_group("aggregate_sample_company");
    group.throughput(Throughput::Elements(rows as u64));
    group.bench_function(format!("{rows}_rows"), |b| {
        b.iter(|| black_box(aggregate(&data)))
    });
    group.finish();

    // A million invoice rows over 100,000 customers (the transactions as facts, read already).
    let data = synthetic_invoices(1_000_000, 100_000);
    let mut group = c.benchmark_group("aggregate_invoices");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(data.invoices.len() as u64));
    group.bench_function("1000000_rows", |b| b.iter(|| black_box(aggregate(&data))));
    // The same rows with their customer ids keyed already, as the import hands them over.
    let keyed = KeyedDataset::new(data);
    group.bench_function("1000000_rows_keyed", |b| {
        b.iter(|| black_box(keyed.aggregate()))
    });
    group.finish();
}

criterion_group!(benches, recompute, aggregation);
criterion_main!(benches);
