use leptos::prelude::*;

/// Runs the engine benchmark once the page has painted, and shows the figures. With
/// `aggregate_rows=N` in the address, only the aggregation of N invoices (of N / 10 customers),
/// alone in the page: at ten million rows it takes about 2.4 GB of the page's memory (measured
/// as the same WebAssembly under Node 20).
#[component]
pub fn BenchPage() -> impl IntoView {
    let (results, set_results) = signal(None::<String>);
    let aggregate_rows = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| aggregate_rows(&search));
    // Let the page paint "running" first; the benchmark then blocks the tab for some seconds.
    set_timeout(
        move || {
            set_results.set(Some(match aggregate_rows {
                Some(Ok(rows)) => crate::bench::aggregate_at(rows),
                Some(Err(value)) => format!("aggregate_rows={value}: not a whole number of rows"),
                None => crate::bench::run(),
            }))
        },
        std::time::Duration::from_millis(50),
    );
    view! {
        <main>
            <h1>"Profitbook engine benchmark"</h1>
            <p>"Synthetic companies, default assumptions, median of 7 runs (of 3 for the million-row aggregations; each of 3 runs with aggregate_rows)."</p>
            <pre data-testid="bench-results">
                {move || results.get().unwrap_or_else(|| "running…".to_string())}
            </pre>
        </main>
    }
}

/// The `aggregate_rows` the address asks for, if any: a number, or the value that is not one.
fn aggregate_rows(search: &str) -> Option<Result<usize, String>> {
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("aggregate_rows="))
        .map(|rows| rows.parse().map_err(|_| rows.to_string()))
}
