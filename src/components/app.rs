use crate::components::messages::problem_text;
use crate::components::{
    assumptions_panel::AssumptionsPanel,
    customer_detail::CustomerDetail,
    customer_table::CustomerTable,
    drift_chart::DriftChart,
    exports::ExportPanel,
    exports::ReportView,
    import_panel::ImportPanel,
    kpis::Kpis,
    large_type::LargeTypeToggle,
    locale_pickers::{initial_language, CurrencyPicker, LanguagePicker},
    matrix_chart::MatrixChart,
    prospect::ProspectCalculator,
    scenarios::ScenarioBar,
    segment_chart::SegmentChart,
    tornado::Tornado,
    whale_chart::WhaleChart,
};
use crate::import_state::{sample_model, ImportState};
use crate::state::{t, use_workbook, Workbook};
use crate::storage::{self, SaveStatus};
use leptos::prelude::*;

/// The whole page. Starts with the built-in sample company loaded.
#[component]
pub fn App() -> impl IntoView {
    let (model, source) = sample_model();
    let workbook = Workbook::new(model, source);
    workbook.lang.set(initial_language());
    provide_context(workbook);
    provide_context(ImportState::new(workbook));
    let status = RwSignal::new(SaveStatus::Opening);
    storage::keep(workbook, status);
    let share_notice = RwSignal::new(None);
    crate::share_link::apply_from_address(workbook, status, share_notice);
    let report_open = RwSignal::new(false);
    let status_text = move || {
        let lang = workbook.lang.get();
        match status.get() {
            SaveStatus::Opening => profitbook_engine::i18n::tr(lang, "storage.opening").to_string(),
            SaveStatus::Saved(_) => profitbook_engine::i18n::tr(lang, "storage.saved").to_string(),
            SaveStatus::InMemoryOnly(m) | SaveStatus::NotRestored(m) => m,
        }
    };
    let saves = move || match status.get() {
        SaveStatus::Saved(n) => n.to_string(),
        _ => String::new(),
    };
    // For tests, whatever the language: is the kept workbook still being read?
    let status_state = move || match status.get() {
        SaveStatus::Opening => "opening",
        SaveStatus::Saved(_) => "saved",
        SaveStatus::InMemoryOnly(_) | SaveStatus::NotRestored(_) => "problem",
    };
    let status_is_problem = move || {
        matches!(
            status.get(),
            SaveStatus::InMemoryOnly(_) | SaveStatus::NotRestored(_)
        )
    };
    // Every figure, date and text below is drawn again when the language or the currency
    // changes (rare: a pick, or a workbook opened), rather than each following both signals.
    let locale_key = Memo::new(move |_| (workbook.lang.get(), workbook.currency.get()));
    let body = move || {
        locale_key.track();
        view! {
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
                    <DriftChart/>
                    <Tornado/>
                    <ExportPanel report_open=report_open/>
                    <CustomerDetail/>
                    <ProspectCalculator/>
                </main>
            </div>
        }
    };
    view! {
        <ReportView open=report_open/>
        <div class="app-page" class:behind-report=move || report_open.get()>
        <header class="page-header">
            <div class="title-row">
                <h1>{t("app.title")}</h1>
                <div class="page-settings">
                    <LanguagePicker/>
                    <CurrencyPicker/>
                    <LargeTypeToggle/>
                </div>
            </div>
            <p class="tagline">{t("app.tagline")}</p>
            <p class="privacy">
                {t("app.privacy")} " "
                <span
                    class="save-status"
                    class:problem=status_is_problem
                    data-testid="save-status"
                    data-saves=saves
                    data-state=status_state
                    role="status"
                >
                    {status_text}
                </span>
            </p>
            <Show when=move || share_notice.with(Option::is_some)>
                <p
                    class="share-notice"
                    class:problem=move || share_notice.with(|n| n.as_ref().is_some_and(|n| n.1))
                    role="status"
                    data-testid="share-notice"
                >
                    {move || share_notice.get().map(|n| n.0)}
                </p>
            </Show>
        </header>
        {body}
        <footer class="page-footer">
            <p>{t("footer.model")}</p>
        </footer>
        </div>
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
