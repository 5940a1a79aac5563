//! Profitbook in the browser: a thin Leptos layer over `profitbook-engine`.
//! Signals hold the workbook, memos derive the report, components render it.

pub mod components;
pub mod state;

/// Mounts the workbook on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::app::App);
}
