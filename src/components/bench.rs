use leptos::prelude::*;

/// Runs the engine benchmark once the page has painted, and shows the figures.
#[component]
pub fn BenchPage() -> impl IntoView {
    let (results, set_results) = signal(None::<String>);
    // Let the page paint "running" first; the benchmark then blocks the tab for some seconds.
    set_timeout(
        move || set_results.set(Some(crate::bench::run())),
        std::time::Duration::from_millis(50),
    );
    view! {
        <main>
            <h1>"Profitbook engine benchmark"</h1>
            <p>"Synthetic companies, default assumptions, median of 7 runs (of 3 for the million-row aggregations)."</p>
            <pre data-testid="bench-results">
                {move || results.get().unwrap_or_else(|| "running…".to_string())}
            </pre>
        </main>
    }
}
