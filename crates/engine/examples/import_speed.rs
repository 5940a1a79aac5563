//! How fast a large invoice export imports, natively: each step timed on the synthetic file of
//! `scale::synthetic_invoice_csv`, or on a file. `cargo run --release -p profitbook-engine
//! --example import_speed [rows | file]` (default 1,000,000 rows).

use profitbook_engine::date::Date;
use profitbook_engine::import::{self, propose, Staging};
use profitbook_engine::scale::synthetic_invoice_csv;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

/// The system allocator, counting the bytes held now and at most: the import's peak heap,
/// which the browser's worker memory follows (plus the allocator's own waste).
struct Counting;
static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(held, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Old and new buffers are both held while the contents move.
        let held = HELD.fetch_add(new_size, Relaxed) + new_size;
        PEAK.fetch_max(held, Relaxed);
        HELD.fetch_sub(layout.size(), Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak since the last call, in MB, and the count starts again from what is held now.
fn peak_mb() -> f64 {
    let peak = PEAK.swap(HELD.load(Relaxed), Relaxed);
    peak as f64 / 1e6
}

fn main() {
    // A row count, or the path of a file to import.
    let arg = std::env::args().nth(1).unwrap_or_default();
    let bytes = match arg.parse::<usize>() {
        Ok(rows) => synthetic_invoice_csv(rows, 100_000).into_bytes(),
        Err(_) if !arg.is_empty() => std::fs::read(&arg).expect("a readable file"),
        Err(_) => synthetic_invoice_csv(1_000_000, 100_000).into_bytes(),
    };
    let mb = bytes.len() as f64 / 1e6;
    let today = Date::new(2026, 11, 23).expect("valid date");

    peak_mb();
    let before = HELD.load(Relaxed) as f64 / 1e6;
    let start = Instant::now();
    let sources =
        import::read_sources_with("invoices.csv", bytes, &mut |_, _| {}).expect("readable");
    let read = start.elapsed();
    let read_peak = peak_mb();
    let source = &sources[0];
    let proposal = propose(&source.grid, today);
    let proposed = start.elapsed();
    let mut staging = Staging::default();
    staging.add(source, &proposal.plan);
    let staged = start.elapsed();
    let staged_peak = peak_mb();
    // As the worker does: the file's cells are let go before the facts are added up.
    drop(sources);
    let finished = staging.finish();
    let done = start.elapsed();
    let finish_peak = peak_mb();

    let file = &finished.files[0];
    println!(
        "{} rows, {mb:.1} MB: read {:.0} ms, propose {:.0} ms, rows to facts {:.0} ms, \
         aggregate {:.0} ms; total {:.0} ms = {:.0} MB/s; {} used, {} rejected, {} customers",
        file.read,
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
    println!(
        "peak heap (MB, live bytes, the file's {before:.0} included): read {read_peak:.0}, \
         rows to facts {staged_peak:.0}, aggregate {finish_peak:.0}"
    );
}
