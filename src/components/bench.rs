use leptos::prelude::*;

/// Runs the engine benchmark once the page has painted, and shows the figures. With
/// `aggregate_rows=N` in the address, only the aggregation of N invoices (of N / 10 customers),
/// alone in the page: at ten million rows it takes about 2.4 GB of the page's memory (measured
/// as the same WebAssembly under Node 20). With `touch_mb=M` besides, M megabytes of the page's
/// memory are touched before the first run.
#[component]
pub fn BenchPage() -> impl IntoView {
    let (results, set_results) = signal(None::<String>);
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let aggregate_rows = whole_number(&search, "aggregate_rows");
    let touch_mb = whole_number(&search, "touch_mb");
    // Let the page paint "running" first; the benchmark then blocks the tab for some seconds.
    set_timeout(
        move || {
            set_results.set(Some(match (aggregate_rows, touch_mb) {
                (_, Some(Err(value))) => format!("touch_mb={value}: not a whole number"),
                (Some(Ok(rows)), touch_mb) => {
                    crate::bench::aggregate_at(rows, touch_mb.and_then(Result::ok).unwrap_or(0))
                }
                (Some(Err(value)), _) => {
                    format!("aggregate_rows={value}: not a whole number of rows")
                }
                (None, _) => crate::bench::run(),
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

/// The whole number the address's `search` gives for `key`, if any: a number, or the value that
/// is not one.
fn whole_number(search: &str, key: &str) -> Option<Result<usize, String>> {
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .map(|value| value.parse().map_err(|_| value.to_string()))
}
