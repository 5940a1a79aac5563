//! Share and export: the results as CSV or Excel, the report to print or download, the workbook
//! as a file to save and open, and a link that carries the assumptions. Each builds its file
//! with the engine, from the figures on screen, in the page.

use crate::download::offer;
use crate::import_state::DataSource;
use crate::import_state::{today, ImportState};
use crate::state::{t, use_workbook, Workbook};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use profitbook_engine::assumptions::Rates;
use profitbook_engine::drift::drifting;
use profitbook_engine::export::csv::{results_csv, CsvStyle};
use profitbook_engine::export::report::{
    report_body, report_document, ComparedScenarios, ReportInput,
};
use profitbook_engine::export::results_xlsx::results_xlsx;
use profitbook_engine::i18n::{count, fill, tr, tr_n};
use profitbook_engine::saved::Origin;
use profitbook_engine::share::{to_fragment, SharedSettings};
use profitbook_engine::workbook_file::{from_json, to_json};

/// Customers per piece of the CSV handed to the browser.
const CSV_CHUNK: usize = 20_000;

/// The name of the scenario the assumptions are, when they are still a saved one's.
fn scenario_name(wb: Workbook) -> Option<String> {
    wb.scenarios.with(|s| {
        let current = s.list.get(s.current?)?;
        wb.assumptions
            .with(|a| (*a == current.assumptions).then(|| current.name.clone()))
    })
}

/// What an export needs beyond the figures on screen.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    Figures,
    /// The drift search too (the report shows it; a search of every customer's months).
    FiguresAndDrift,
}

/// Runs `make` with the report's input as it is on screen; `None` while the assumptions are
/// invalid (no report).
fn with_report_input<R>(
    wb: Workbook,
    needs: Needs,
    make: impl FnOnce(&ReportInput) -> R,
) -> Option<R> {
    let report = wb.report.get_untracked()?;
    let model = wb.model.get_untracked();
    let assumptions = wb.assumptions.get_untracked();
    // The rates the report on screen was computed from.
    let rates = wb.rates.get_untracked().ok()?;
    let drift = match needs {
        Needs::FiguresAndDrift => drifting(&model, &rates),
        Needs::Figures => Vec::new(),
    };
    let scenario = scenario_name(wb);
    let open = wb.open_comparison.get_untracked();
    let input = ReportInput {
        locale: wb.locale_untracked(),
        model: &model,
        report: &report,
        assumptions: &assumptions,
        scenario: scenario.as_deref(),
        made_on: today(),
        drift: &drift,
        comparison: open.as_ref().map(|o| ComparedScenarios {
            a: &o.a,
            b: &o.b,
            comparison: &o.comparison,
        }),
    };
    Some(make(&input))
}

/// The report on screen, made for print and "Save as PDF".
fn report_html(wb: Workbook) -> String {
    with_report_input(wb, Needs::FiguresAndDrift, report_body).unwrap_or_default()
}

/// The file name stem of exports: the scenario's name when there is one.
fn file_stem(wb: Workbook) -> String {
    let name = scenario_name(wb).unwrap_or_else(|| "profitbook".to_string());
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-{}", stem.trim_matches('-'), today())
}

#[component]
pub fn ExportPanel(report_open: RwSignal<bool>) -> impl IntoView {
    let wb = use_workbook();
    let import = expect_context::<ImportState>();
    // Excel in a language that writes a decimal comma reads only such CSV files: ticked for
    // those languages (the panel is drawn again when the language changes).
    let locale_csv = RwSignal::new(wb.locale_untracked().numbers().decimal == ',');
    let status = RwSignal::new(None::<(String, bool)>);
    let link = RwSignal::new(String::new());
    let lang = move || wb.lang.get_untracked();
    let say = move |text: String, problem: bool| status.set(Some((text, problem)));
    let no_report = move || wb.report.with(Option::is_none);

    let export_csv = move |_| {
        let style = if locale_csv.get_untracked() {
            CsvStyle::Locale { decimal: ',' }
        } else {
            CsvStyle::Plain
        };
        let Some(report) = wb.report.get_untracked() else {
            return;
        };
        wb.model.with_untracked(|m| {
            offer(
                &format!("{}.csv", file_stem(wb)),
                "text/csv;charset=utf-8",
                results_csv(m, &report, style, CSV_CHUNK),
            );
        });
        say(tr(lang(), "export.csv_done").to_string(), false);
    };
    let export_xlsx = move |_| match with_report_input(wb, Needs::Figures, results_xlsx) {
        Some(Ok(bytes)) => {
            offer(
                &format!("{}.xlsx", file_stem(wb)),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                [bytes],
            );
            say(tr(lang(), "export.xlsx_done").to_string(), false);
        }
        Some(Err(e)) => say(
            format!("{} {}", tr(lang(), "export.xlsx_failed"), e.message(lang())),
            true,
        ),
        None => {}
    };
    let save_workbook = move |_| {
        // An empty workbook is saved as imported from no files.
        let origin = wb
            .data
            .with_untracked(DataSource::origin)
            .unwrap_or(Origin::Imported { files: 0 });
        let bytes = wb.model.with_untracked(|m| {
            to_json(
                origin,
                &import.mapping(),
                m,
                &wb.assumptions.get_untracked(),
                &wb.scenarios.get_untracked(),
                &wb.view.get_untracked(),
                wb.currency.get_untracked(),
            )
        });
        offer(
            &format!("{}.profitbook.json", file_stem(wb)),
            "application/json",
            [bytes],
        );
        say(tr(lang(), "export.workbook_saved").to_string(), false);
    };
    let open_workbook = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        spawn_local(async move {
            let lang = wb.lang.get_untracked();
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => {
                    say(
                        fill(tr(lang, "export.open_unreadable"), &[("file", &name)]),
                        true,
                    );
                    return;
                }
            };
            let opened = from_json(&bytes)
                .map_err(|e| e.message(lang))
                .and_then(|file| {
                    // Assumptions are checked as any change of them is: a file whose
                    // assumptions the workbook would refuse is not opened.
                    match Rates::compile(&file.assumptions, &file.model) {
                        Ok(_) => Ok(file),
                        Err(errors) => Err(fill(
                            tr_n(lang, "export.open_bad_assumptions", errors.len() as u64),
                            &[("count", &errors.len().to_string())],
                        )),
                    }
                });
            match opened {
                Ok(file) => {
                    let text = fill(
                        tr(lang, "export.workbook_opened"),
                        &[
                            ("file", &name),
                            (
                                "customers",
                                &count(lang, "customers", file.model.len() as u64),
                            ),
                            (
                                "scenarios",
                                &count(lang, "scenarios", file.scenarios.list.len() as u64),
                            ),
                        ],
                    );
                    import.open_workbook_file(file);
                    say(text, false);
                }
                Err(why) => say(
                    fill(
                        tr(lang, "export.open_refused"),
                        &[("file", &name), ("why", &why)],
                    ),
                    true,
                ),
            }
        });
    };
    let share = move |_| {
        let fragment = to_fragment(&SharedSettings {
            assumptions: wb.assumptions.get_untracked(),
            scenarios: wb.scenarios.get_untracked(),
        });
        let window = window();
        let location = window.location();
        let base = location.href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default().to_string();
        let url = format!("{base}#{fragment}");
        link.set(url.clone());
        // Copying needs the person's permission in some browsers; the link is on screen anyway.
        let _ = window.navigator().clipboard().write_text(&url);
        say(tr(lang(), "export.link_made").to_string(), false);
    };

    view! {
        <section class="exports" aria-labelledby="exports-title">
            <h2 id="exports-title">{t("export.title")}</h2>
            <div class="table-controls">
                <button type="button" data-testid="export-csv" on:click=export_csv disabled=no_report>
                    {t("export.csv")}
                </button>
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="export-csv-locale"
                        prop:checked=move || locale_csv.get()
                        on:change=move |ev| locale_csv.set(event_target_checked(&ev))
                    />
                    {t("export.csv_locale")}
                </label>
                <button type="button" data-testid="export-xlsx" on:click=export_xlsx disabled=no_report>
                    {t("export.xlsx")}
                </button>
                <button type="button" data-testid="open-report" on:click=move |_| report_open.set(true) disabled=no_report>
                    {t("export.report")}
                </button>
            </div>
            <div class="table-controls">
                <button type="button" data-testid="save-workbook" on:click=save_workbook>
                    {t("export.save_workbook")}
                </button>
                <label class="file-button">
                    <span>{t("export.open_workbook")}</span>
                    <input
                        type="file"
                        accept=".json,application/json"
                        data-testid="open-workbook"
                        on:change=open_workbook
                    />
                </label>
                <button type="button" data-testid="share-link" on:click=share>
                    {t("export.share")}
                </button>
            </div>
            <Show when=move || !link.get().is_empty()>
                <label class="field share-link">
                    <span>{t("export.link_label")}</span>
                    <input type="text" readonly data-testid="share-link-text" prop:value=move || link.get()/>
                </label>
            </Show>
            <p class="export-status" class:problem=move || status.with(|s| s.as_ref().is_some_and(|s| s.1))
               role="status" data-testid="export-status">
                {move || status.get().map(|s| s.0)}
            </p>
            <p class="hint">{t("export.privacy")}</p>
        </section>
    }
}

/// The report as a page of its own, for print and "Save as PDF", or to download as one file.
#[component]
pub fn ReportView(open: RwSignal<bool>) -> impl IntoView {
    let wb = use_workbook();
    let html = move || {
        if !open.get() {
            return String::new();
        }
        // Made afresh when the figures change, though the workbook is hidden behind it.
        wb.report.track();
        wb.open_comparison.track();
        report_html(wb)
    };
    let print = move |_| {
        let _ = window().print();
    };
    let download = move |_| {
        if let Some(doc) = with_report_input(wb, Needs::FiguresAndDrift, report_document) {
            offer(
                &format!("{}.html", file_stem(wb)),
                "text/html;charset=utf-8",
                [doc.into_bytes()],
            );
        }
    };
    // The first thing a keyboard reaches when the report opens.
    let toolbar = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        // Once the report is in the page (the node is set after it mounts): focus its first
        // button, then start at the report's top, wherever the workbook was scrolled to.
        if let Some(button) = toolbar
            .get()
            .and_then(|t| t.query_selector("button").ok().flatten())
        {
            let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    view! {
        <Show when=move || open.get()>
            <div class="report-view">
                <div class="report-toolbar" role="toolbar" aria-label=t("export.report") node_ref=toolbar>
                    <button type="button" data-testid="report-close" on:click=move |_| open.set(false)>
                        {t("export.report_close")}
                    </button>
                    <button type="button" data-testid="report-print" on:click=print>{t("export.report_print")}</button>
                    <button type="button" data-testid="report-download" on:click=download>
                        {t("export.report_download")}
                    </button>
                </div>
                <div inner_html=html></div>
            </div>
        </Show>
    }
}
