//! Profitbook in the browser: a thin Leptos layer over `profitbook-engine`.
//! Signals hold the workbook, memos derive the report, components render it.

pub mod bench;
pub mod components;
pub mod download;
pub mod import_state;
pub mod share_link;
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
        register_service_worker();
    }
}

/// Offline after the first visit: the service worker (sw.js, written by the build) caches the
/// page's files. Browsers offer service workers on https and on this machine's own address
/// only; elsewhere the page works as before, online.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        // A refusal (a private window, say) only means no offline copy.
        let _ = navigator.service_worker().register("./sw.js");
    }
}
