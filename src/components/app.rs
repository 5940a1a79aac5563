use crate::components::messages::problem_text;
use crate::components::{
    assumptions_panel::AssumptionsPanel, customer_table::CustomerTable, kpis::Kpis,
};
use crate::state::{t, use_workbook, Workbook};
use leptos::prelude::*;
use profitbook_engine::i18n::{fill, tr};
use profitbook_engine::{aggregate, sample};

/// The whole page. Starts with the built-in sample company loaded.
#[component]
pub fn App() -> impl IntoView {
    let aggregated = aggregate(&sample::sample_company());
    let months = aggregated
        .model
        .window
        .map_or(0, |(first, last)| first.span_inclusive(last));
    let customers = aggregated.model.len();
    provide_context(Workbook::new(aggregated.model));
    let workbook = use_workbook();
    let loaded = move || {
        fill(
            tr(workbook.lang.get(), "data.sample_loaded"),
            &[
                ("customers", &customers.to_string()),
                ("months", &months.to_string()),
            ],
        )
    };
    view! {
        <header class="page-header">
            <h1>{t("app.title")}</h1>
            <p class="tagline">{t("app.tagline")}</p>
            <p class="privacy">{t("app.privacy")}</p>
        </header>
        <div class="workbook">
            <AssumptionsPanel/>
            <main>
                <p class="data-status" data-testid="data-status">{loaded}</p>
                <AssumptionErrors/>
                <Kpis/>
                <CustomerTable/>
            </main>
        </div>
        <footer class="page-footer">
            <p>{t("footer.model")}</p>
        </footer>
    }
}

/// Lists every invalid assumption when the report cannot be computed.
#[component]
fn AssumptionErrors() -> impl IntoView {
    let workbook = use_workbook();
    let errors = move || {
        let lang = workbook.lang.get();
        workbook.rates.with(|r| {
            r.as_ref()
                .err()
                .into_iter()
                .flatten()
                .map(|e| problem_text(lang, None, e))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || !errors().is_empty()>
            <div class="errors" role="alert" data-testid="assumption-errors">
                <p>{t("error.assumptions")}</p>
                <ul>{move || errors().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}
