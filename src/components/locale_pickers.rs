//! The page's language and the workbook's currency. The language follows the browser's
//! preferred languages until the person picks one, which this browser then remembers; the
//! currency belongs to the workbook (kept with it, set by imported files) and only labels the
//! amounts.

use crate::state::{t, use_workbook};
use gloo::storage::{LocalStorage, Storage};
use leptos::prelude::*;
use profitbook_engine::currency::Currency;
use profitbook_engine::i18n::{fill, tr, Lang};

const KEY: &str = "profitbook.language";

/// The language to open in: the one picked before in this browser, else the first of the
/// browser's languages the workbook speaks, else English.
pub fn initial_language() -> Lang {
    if let Some(lang) = LocalStorage::get::<String>(KEY)
        .ok()
        .and_then(|code| Lang::from_tag(&code))
    {
        return lang;
    }
    let navigator = window().navigator();
    let mut tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    tags.extend(navigator.language());
    Lang::preferred(tags.iter().map(String::as_str))
}

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let wb = use_workbook();
    // Screen readers and hyphenation follow the page's `lang`.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", wb.lang.get().code());
        }
    });
    let pick = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
            // Not kept (a private window): the choice still holds for this visit.
            let _ = LocalStorage::set(KEY, lang.code());
            wb.lang.set(lang);
        }
    };
    view! {
        <label class="picker">
            <span>{t("app.language")}</span>
            <select data-testid="language" on:change=pick>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        // Each language by its own name, whatever the page's language.
                        view! {
                            <option value=lang.code() lang=lang.code() selected=move || wb.lang.get() == lang>
                                {tr(lang, &format!("language.{}", lang.code()))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn CurrencyPicker() -> impl IntoView {
    let wb = use_workbook();
    let changed = RwSignal::new(false);
    let pick = move |ev: leptos::ev::Event| {
        if let Some(currency) = Currency::from_code(&event_target_value(&ev)) {
            wb.currency.set(currency);
            changed.set(true);
        }
    };
    let name = move |c: Currency| tr(wb.lang.get(), &format!("currency.{}", c.code()));
    view! {
        <label class="picker">
            <span>{t("currency.label")}</span>
            <select data-testid="currency" on:change=pick aria-describedby="currency-note" title=t("currency.hint")>
                {Currency::ALL
                    .into_iter()
                    .map(|c| {
                        view! {
                            <option value=c.code() selected=move || wb.currency.get() == c>
                                {move || name(c)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
        <span id="currency-note" class="picker-note" role="status" data-testid="currency-note">
            {move || {
                changed.get().then(|| {
                    fill(tr(wb.lang.get(), "currency.changed"), &[("currency", name(wb.currency.get()))])
                })
            }}
        </span>
    }
}
