//! Opening a share link: the assumptions and scenarios in the address's fragment are applied to
//! whatever data this browser holds, once the kept workbook is restored, and the page says so.

use crate::state::Workbook;
use crate::storage::SaveStatus;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsValue;
use profitbook_engine::assumptions::Rates;
use profitbook_engine::i18n::{count, fill, tr, tr_n};
use profitbook_engine::share::from_fragment;

/// What the link did, for the page to show: the text, and whether it is a problem.
pub type Notice = Option<(String, bool)>;

/// Watches for the end of the restore, then applies a share link in the address, if any.
pub fn apply_from_address(wb: Workbook, status: RwSignal<SaveStatus>, notice: RwSignal<Notice>) {
    let done = StoredValue::new(false);
    Effect::new(move |_| {
        // The kept workbook is restored first, so it does not overwrite what the link sets.
        if matches!(status.get(), SaveStatus::Opening) || done.get_value() {
            return;
        }
        done.set_value(true);
        let location = window().location();
        let hash = location.hash().unwrap_or_default();
        if !hash.starts_with("#share=") {
            return;
        }
        notice.set(Some(apply(wb, &hash)));
        // The fragment has done its work: a reload must not apply it again over later changes.
        let address = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
        }
    });
}

fn apply(wb: Workbook, fragment: &str) -> (String, bool) {
    let lang = wb.lang.get_untracked();
    let mut settings = match from_fragment(fragment) {
        Ok(s) => s,
        Err(e) => {
            return (
                fill(tr(lang, "share.not_applied"), &[("why", &e.message(lang))]),
                true,
            )
        }
    };
    let (customers, checked) = wb.model.with_untracked(|m| {
        // Roles in this data that the sender's assumptions do not price get the defaults, as
        // after an import.
        settings.assumptions.price_new_roles(&m.roles);
        (
            m.len(),
            Rates::compile(&settings.assumptions, m).map(|_| ()),
        )
    });
    if let Err(errors) = checked {
        return (
            fill(
                tr_n(lang, "share.refused", errors.len() as u64),
                &[("count", &errors.len().to_string())],
            ),
            true,
        );
    }
    let scenarios = settings.scenarios.list.len();
    wb.assumptions.set(settings.assumptions);
    wb.scenarios.set(settings.scenarios);
    (
        fill(
            tr(lang, "share.applied"),
            &[
                ("scenarios", &count(lang, "scenarios", scenarios as u64)),
                ("customers", &count(lang, "customers", customers as u64)),
            ],
        ),
        false,
    )
}
