//! Large type for a projector: every size on the page is in rem, so one root font size scales
//! the whole workbook. The choice is remembered in this browser.

use crate::state::t;
use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;

const KEY: &str = "profitbook.large_type";

fn apply(large: bool) {
    if let Some(root) = document().document_element() {
        let _ = root.class_list().toggle_with_force("large-type", large);
    }
}

#[component]
pub fn LargeTypeToggle() -> impl IntoView {
    let large = RwSignal::new(LocalStorage::get::<bool>(KEY).unwrap_or(false));
    Effect::new(move |_| {
        let on = large.get();
        apply(on);
        // Not kept (a private window): the choice still holds for this visit.
        let _ = LocalStorage::set(KEY, on);
    });
    view! {
        <button
            type="button"
            class="large-type-toggle"
            data-testid="large-type"
            aria-pressed=move || large.get().to_string()
            on:click=move |_| large.update(|l| *l = !*l)
        >
            {t("app.large_type")}
        </button>
    }
}
