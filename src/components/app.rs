use crate::components::messages::problem_text;
use crate::components::{
    assumptions_panel::AssumptionsPanel, customer_detail::CustomerDetail,
    customer_table::CustomerTable, import_panel::ImportPanel, kpis::Kpis,
    matrix_chart::MatrixChart, prospect::ProspectCalculator, scenarios::ScenarioBar,
    segment_chart::SegmentChart, tornado::Tornado, whale_chart::WhaleChart,
};
use crate::import_state::sample_model;
use crate::state::{t, use_workbook, Workbook};
use leptos::prelude::*;

/// The whole page. Starts with the built-in sample company loaded.
#[component]
pub fn App() -> impl IntoView {
    let (model, source) = sample_model();
    provide_context(Workbook::new(model, source));
    view! {
        <header class="page-header">
            <h1>{t("app.title")}</h1>
            <p class="tagline">{t("app.tagline")}</p>
            <p class="privacy">{t("app.privacy")}</p>
        </header>
        <div class="workbook">
            <AssumptionsPanel/>
            <main>
                <ImportPanel/>
                <AssumptionErrors/>
                <ScenarioBar/>
                <Kpis/>
                <WhaleChart/>
                <CustomerTable/>
                <MatrixChart/>
                <SegmentChart/>
                <Tornado/>
                <CustomerDetail/>
                <ProspectCalculator/>
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
