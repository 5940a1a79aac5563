//! Profitbook in the browser: a thin Leptos layer over `profitbook-engine`.
//! Signals hold the workbook, memos derive the report, components render it.

pub mod bench;
pub mod components;
pub mod import_state;
pub mod state;
pub mod storage;
pub mod undo;

/// Mounts the workbook on the page's body, or the engine benchmark when the address asks for
/// it with `?bench`.
pub fn mount() {
    console_error_panic_hook::set_once();
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if search.contains("bench") {
        leptos::mount::mount_to_body(components::bench::BenchPage);
    } else {
        leptos::mount::mount_to_body(components::app::App);
    }
}
