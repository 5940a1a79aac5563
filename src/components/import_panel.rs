//! Getting data in: load the sample, clear, choose or drop files, paste a range; then check how
//! each file will be read and confirm; then the account of every row.

use crate::components::messages::{file_error_reason, plan_problem_text, reason_text};
use crate::import_state::{DataSource, ImportState, Pending, MAX_FILE_BYTES};
use crate::state::{t, t_n, use_workbook};
use leptos::ev;
use leptos::prelude::*;
use profitbook_engine::format::{scaled, Locale, NumberStyle};
use profitbook_engine::i18n::{count, fill, tr, tr_n, Lang};
use profitbook_engine::import::decode::Encoding;
use profitbook_engine::import::delimited::Separator;
use profitbook_engine::import::{
    column_letter, preview, problems_csv, Field, FileReport, Layout, Plan, Problem, ReadChoice,
    TableKind, Value,
};
use profitbook_engine::parse::date::DateOrder;
use profitbook_engine::parse::number::CANDIDATES;
use profitbook_engine::saved::ImportAccount;

/// How many rows the preview shows, and how many rejected rows (or rows to check) are listed
/// on the page.
const PREVIEW_ROWS: usize = 5;
const PROBLEMS_SHOWN: usize = 200;

/// Reads browser files into pending sources, refusing those too large for the tab.
fn read_files(state: ImportState, lang: Lang, files: Vec<web_sys::File>) {
    for file in files {
        let name = file.name();
        let size = file.size();
        if size > MAX_FILE_BYTES {
            let mb = |b: f64| format!("{:.0}", b / (1024.0 * 1024.0));
            let message = fill(
                tr(lang, "import.too_large"),
                &[
                    ("name", &name),
                    ("size", &mb(size)),
                    ("limit", &mb(MAX_FILE_BYTES)),
                ],
            );
            state.errors.update(|e| e.push(message));
            continue;
        }
        state.add_file(file);
    }
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Whether keyboard focus is in a field that takes its own paste.
fn focus_in_field() -> bool {
    document()
        .active_element()
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The data section: status, sample and clear, ways in, pending files, the last account.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();

    // Paste anywhere on the page (outside a field) and drop anywhere.
    let paste = window_event_listener(ev::paste, move |e: web_sys::ClipboardEvent| {
        if focus_in_field() {
            return;
        }
        let Some(text) = e
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
        else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        e.prevent_default();
        state.add_text(tr(wb.lang.get_untracked(), "import.pasted_name"), text);
    });
    // A file dragged over the page is on its way: the worker starts while the drag goes on.
    let enter = window_event_listener(ev::dragenter, move |_: web_sys::DragEvent| state.warm_up());
    let over = window_event_listener(ev::dragover, |e: web_sys::DragEvent| e.prevent_default());
    let drop = window_event_listener(ev::drop, move |e: web_sys::DragEvent| {
        e.prevent_default();
        let files = file_list(e.data_transfer().and_then(|d| d.files()));
        read_files(state, wb.lang.get_untracked(), files);
    });
    on_cleanup(move || {
        paste.remove();
        enter.remove();
        over.remove();
        drop.remove();
    });

    view! {
        <section class="data-panel" aria-labelledby="data-title" data-testid="import-panel">
            <h2 id="data-title">{t("data.title")}</h2>
            <DataStatus/>
            <DataButtons/>
            <WaysIn/>
            <ImportProgress/>
            <ReadErrors/>
            <PendingList/>
            <ImportSummary/>
        </section>
    }
}

/// One line on where the figures come from.
#[component]
fn DataStatus() -> impl IntoView {
    let wb = use_workbook();
    let text = move || {
        let lang = wb.lang.get();
        match wb.data.get() {
            DataSource::Sample { customers, months } => fill(
                tr(lang, "data.sample_loaded"),
                &[
                    ("customers", &count(lang, "customers", customers as u64)),
                    ("months", &count(lang, "months", months as u64)),
                ],
            ),
            DataSource::Imported { files, customers } => fill(
                tr(lang, "data.imported"),
                &[
                    ("files", &count(lang, "files", files as u64)),
                    ("customers", &count(lang, "customers", customers as u64)),
                ],
            ),
            DataSource::Empty => tr(lang, "data.empty").to_string(),
        }
    };
    view! { <p class="data-status" data-testid="data-status" aria-live="polite">{text}</p> }
}

/// Load the sample; clear everything (after asking).
#[component]
fn DataButtons() -> impl IntoView {
    let state = expect_context::<ImportState>();
    let asking = RwSignal::new(false);
    view! {
        <div class="data-buttons">
            <button type="button" data-testid="load-sample" on:click=move |_| state.load_sample()>
                {t("data.load_sample")}
            </button>
            <Show
                when=move || asking.get()
                fallback=move || view! {
                    <button type="button" data-testid="clear-data" on:click=move |_| asking.set(true)>
                        {t("data.clear")}
                    </button>
                }
            >
                <span class="confirm" role="alertdialog" aria-labelledby="clear-question">
                    <span id="clear-question">{t("data.clear_confirm")}</span>
                    <button
                        type="button"
                        class="danger"
                        data-testid="clear-data-confirm"
                        on:click=move |_| {
                            state.clear_all();
                            asking.set(false);
                        }
                    >
                        {t("data.clear_yes")}
                    </button>
                    <button type="button" on:click=move |_| asking.set(false)>
                        {t("data.clear_no")}
                    </button>
                </span>
            </Show>
        </div>
    }
}

/// The file picker, the drop zone and the paste box.
#[component]
fn WaysIn() -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();
    let paste_box = NodeRef::<leptos::html::Textarea>::new();
    let on_files = move |e: ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&e);
        read_files(state, wb.lang.get_untracked(), file_list(input.files()));
        // Choosing the same file again must fire another change.
        input.set_value("");
    };
    let read_paste = move |_| {
        let Some(area) = paste_box.get() else { return };
        let text = area.value();
        if text.trim().is_empty() {
            return;
        }
        state.add_text(tr(wb.lang.get_untracked(), "import.pasted_name"), text);
        area.set_value("");
    };
    let reading = move || {
        let lang = wb.lang.get();
        state
            .reading
            .get()
            .into_iter()
            .map(|name| fill(tr(lang, "import.reading"), &[("name", &name)]))
            .collect::<Vec<_>>()
    };
    // The file picker or the paste box about to be used: the worker starts meanwhile.
    let warm_up = move || state.warm_up();
    view! {
        <p class="hint">{t("import.intro")}</p>
        <div class="ways-in" on:pointerover=move |_| warm_up() on:focusin=move |_| warm_up()>
            <div class="drop-zone">
                <label class="file-button">
                    {t("import.choose_files")}
                    <input
                        type="file"
                        multiple
                        accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        data-testid="import-file"
                        on:change=on_files
                    />
                </label>
            </div>
            <div class="paste-box">
                <label for="paste-box">{t("import.paste_label")}</label>
                <textarea id="paste-box" rows="3" node_ref=paste_box data-testid="import-paste"></textarea>
                <button type="button" data-testid="import-paste-read" on:click=read_paste>
                    {t("import.paste_read")}
                </button>
            </div>
        </div>
        <ul class="reading" aria-live="polite">
            {move || reading().into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
        </ul>
    }
}

/// Files that could not be read at all.
#[component]
fn ReadErrors() -> impl IntoView {
    let state = expect_context::<ImportState>();
    view! {
        <Show when=move || state.errors.with(|e| !e.is_empty())>
            <ul class="errors" role="alert" data-testid="import-errors">
                {move || state.errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
            </ul>
        </Show>
    }
}

/// What the import worker is doing, how far it has got, and the button that stops it.
#[component]
fn ImportProgress() -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();
    let label = move || {
        let lang = wb.lang.get();
        match state.busy.get() {
            Some(b) => fill(tr(lang, b.step.key()), &[("name", &b.name)]),
            None => tr(lang, "import.step.starting").to_string(),
        }
    };
    let step = move || {
        state
            .busy
            .with(|b| b.as_ref().map_or("import.step.starting", |b| b.step.key()))
    };
    // Without a total the bar is indeterminate (no value attribute).
    let value = move || {
        state
            .busy
            .get()
            .filter(|b| b.total > 0)
            .map(|b| (b.done as f64 / b.total as f64).clamp(0.0, 1.0))
    };
    view! {
        <Show when=move || state.working()>
            // The step as data too, for the import benchmark (`e2e/bench-import.mjs`).
            <div
                class="import-progress"
                data-testid="import-progress"
                data-step=step
                role="status"
            >
                <label>
                    <span data-testid="import-progress-label">{label}</span>
                    <progress max="1" value=value></progress>
                </label>
                <button type="button" data-testid="import-abort" on:click=move |_| state.stop()>
                    {t("import.abort")}
                </button>
            </div>
        </Show>
    }
}

/// Every pending file with its plan and preview, and the confirm button.
#[component]
fn PendingList() -> impl IntoView {
    let state = expect_context::<ImportState>();
    view! {
        <Show when=move || state.pending.with(|p| !p.is_empty())>
            <h3>{t("import.pending_title")}</h3>
            <For each=move || state.pending.get() key=|p| p.id let:pending>
                <PendingCard pending=pending/>
            </For>
            <div class="import-actions">
                <button
                    type="button"
                    class="primary"
                    data-testid="import-confirm"
                    disabled=move || !state.ready()
                    on:click=move |_| state.confirm()
                >
                    {t("import.confirm")}
                </button>
                <button type="button" data-testid="import-cancel" on:click=move |_| state.remove_all()>
                    {t("import.cancel")}
                </button>
            </div>
        </Show>
    }
}

/// A number written in a style, to name the style by example.
fn style_example(style: NumberStyle) -> String {
    scaled(123_456_789, 2, 2, style)
}

/// A parsed cell as the preview shows it.
fn value_text(locale: Locale, value: &Value) -> String {
    let lang = locale.lang;
    match value {
        Value::Text(t) => t.clone(),
        Value::Money(m) => locale.amount(*m),
        Value::Date(d) => locale.date(*d),
        Value::Hours(h) => format!(
            "{} h",
            locale.decimal(rust_decimal::Decimal::new(*h, 3).normalize())
        ),
        Value::Count(n) => locale.integer(*n as i64),
        Value::Kind(k) => tr(lang, &format!("activity.{}", k.key())).to_string(),
        Value::Flag(f) => tr(lang, if *f { "import.yes" } else { "import.no" }).to_string(),
        Value::Empty => String::new(),
    }
}

/// A labelled select; `options` are (value, text) pairs.
#[component]
fn Choice(
    label: Signal<String>,
    testid: String,
    options: Signal<Vec<(String, String)>>,
    selected: Signal<String>,
    on_pick: Callback<String>,
    #[prop(optional)] attention: Option<Signal<bool>>,
) -> impl IntoView {
    let attention = attention.unwrap_or(Signal::stored(false));
    view! {
        <label class="choice" class:attention=move || attention.get()>
            <span>{label}</span>
            <select data-testid=testid on:change=move |e| on_pick.run(event_target_value(&e))>
                {move || {
                    let chosen = selected.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let is = value == chosen;
                            view! { <option value=value selected=is>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// One pending file: how it is read, the column mapping, the preview and what is missing.
#[component]
fn PendingCard(pending: Pending) -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();
    let plan = pending.plan;
    let source = pending.source.clone();
    let proposal = pending.proposal.clone();
    let id = pending.id;
    let name = source.name.clone();
    let lang = move || wb.lang.get();
    let tr_key = move |key: String| Signal::derive(move || tr(wb.lang.get(), &key).to_string());
    // A title above the header: said before the import, which lists its rows as rejected.
    let (title_rows, header_row) = (
        Plan::title_rows(&source.grid).count(),
        Plan::first_row(&source.grid) + 1,
    );
    let title_notice = move || {
        fill(
            tr_n(lang(), "import.title_rows", title_rows as u64),
            &[
                ("count", &title_rows.to_string()),
                ("row", &header_row.to_string()),
            ],
        )
    };

    let table_options = Signal::derive(move || {
        TableKind::ALL
            .iter()
            .map(|k| {
                (
                    k.key().to_string(),
                    tr(lang(), &format!("import.table.{}", k.key())).to_string(),
                )
            })
            .collect()
    });
    let number_options = Signal::derive(move || {
        CANDIDATES
            .iter()
            .enumerate()
            .map(|(i, s)| (i.to_string(), style_example(*s)))
            .collect()
    });
    let date_options = Signal::derive(move || {
        let mut v = Vec::new();
        if plan.with(|p| p.dates.is_none()) {
            v.push((String::new(), tr(lang(), "import.dates_choose").to_string()));
        }
        v.extend(DateOrder::ALL.iter().map(|o| {
            (
                o.key().to_string(),
                tr(lang(), &format!("dateorder.{}", o.key())).to_string(),
            )
        }));
        v
    });
    let text_layout = match &source.layout {
        Layout::Text {
            encoding,
            separator,
            ..
        } => Some((*encoding, *separator)),
        Layout::Workbook { .. } => None,
    };
    let file = pending.file;
    let reread = move |choice: ReadChoice| state.reread(file, choice);

    let grid_source = source.clone();
    let problems = Memo::new(move |_| {
        let lang = lang();
        plan.with(|p| p.problems(&grid_source.grid))
            .iter()
            .map(|p| plan_problem_text(lang, p))
            .collect::<Vec<_>>()
    });
    let remove_label = {
        let name = name.clone();
        move || fill(tr(lang(), "import.remove"), &[("name", &name)])
    };

    view! {
        <article class="pending" data-testid="pending-source" data-name=name.clone()>
            <header class="pending-header">
                <h4>{name.clone()}</h4>
                <button type="button" class="link" data-testid="import-remove" aria-label=remove_label on:click=move |_| state.remove(id)>
                    "✕"
                </button>
            </header>
            <Show when={let r = proposal.table_recognised; move || !r}>
                <p class="notice">{t("import.not_recognised")}</p>
            </Show>
            <div class="choices">
                <Choice
                    label=tr_key("import.table".into())
                    testid="import-table".into()
                    options=table_options
                    selected=Signal::derive(move || plan.with(|p| p.table.key().to_string()))
                    on_pick=Callback::new(move |v: String| {
                        if let Some(k) = TableKind::from_key(&v) {
                            plan.update(|p| p.set_table(k));
                        }
                    })
                />
                {text_layout.map(|(encoding, separator)| view! {
                    <Choice
                        label=tr_key("import.encoding".into())
                        testid="import-encoding".into()
                        options=Signal::derive(move || Encoding::ALL.iter().map(|e| (e.key().to_string(), tr(lang(), &format!("encoding.{}", e.key())).to_string())).collect())
                        selected=Signal::stored(encoding.key().to_string())
                        on_pick=Callback::new(move |v: String| reread(ReadChoice { encoding: Encoding::from_key(&v), separator: Some(separator), sheet: None }))
                    />
                    <Choice
                        label=tr_key("import.separator".into())
                        testid="import-separator".into()
                        options=Signal::derive(move || Separator::ALL.iter().map(|s| (s.key().to_string(), tr(lang(), &format!("separator.{}", s.key())).to_string())).collect())
                        selected=Signal::stored(separator.key().to_string())
                        on_pick=Callback::new(move |v: String| reread(ReadChoice { encoding: Some(encoding), separator: Separator::from_key(&v), sheet: None }))
                    />
                })}
                <Choice
                    label=tr_key("import.numbers".into())
                    testid="import-numbers".into()
                    options=number_options
                    selected=Signal::derive(move || plan.with(|p| CANDIDATES.iter().position(|s| *s == p.numbers).unwrap_or(0).to_string()))
                    on_pick=Callback::new(move |v: String| {
                        if let Some(style) = v.parse::<usize>().ok().and_then(|i| CANDIDATES.get(i)) {
                            plan.update(|p| p.numbers = *style);
                        }
                    })
                    attention=Signal::stored(proposal.numbers_ambiguous)
                />
                <Choice
                    label=tr_key("import.dates".into())
                    testid="import-dates".into()
                    options=date_options
                    selected=Signal::derive(move || plan.with(|p| p.dates.map_or(String::new(), |o| o.key().to_string())))
                    on_pick=Callback::new(move |v: String| plan.update(|p| p.dates = DateOrder::from_key(&v)))
                    attention=Signal::derive(move || plan.with(|p| p.dates.is_none()))
                />
                <label class="choice checkbox">
                    <input
                        type="checkbox"
                        data-testid="import-header"
                        prop:checked=move || plan.with(|p| p.header)
                        on:change=move |e| plan.update(|p| p.header = event_target_checked(&e))
                    />
                    <span>{t("import.header")}</span>
                </label>
            </div>
            <Show when={let a = proposal.numbers_ambiguous; move || a}>
                <p class="notice">{t("import.numbers_ambiguous")}</p>
            </Show>
            <Show when=move || { title_rows > 0 }>
                <p class="notice" data-testid="import-title-rows">{title_notice}</p>
            </Show>
            <MappingTable source=source.clone() plan=plan/>
            <Show when=move || problems.with(|p| !p.is_empty())>
                <ul class="plan-problems" role="status" data-testid="plan-problems">
                    {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </Show>
        </article>
    }
}

/// The columns with their field choosers, over the first rows as they will be read.
#[component]
fn MappingTable(
    source: crate::state::Shared<profitbook_engine::import::Source>,
    plan: RwSignal<Plan>,
) -> impl IntoView {
    let wb = use_workbook();
    let width = plan.with_untracked(|p| p.columns.len());
    let header_source = source.clone();
    let headers = move || {
        plan.with(|p| {
            (0..width)
                .map(|c| p.header_of(&header_source.grid, c))
                .collect::<Vec<_>>()
        })
    };
    let rows = move || plan.with(|p| preview(&source.grid, p, PREVIEW_ROWS));
    let choosers = move || {
        let lang = wb.lang.get();
        let (table, columns) = plan.with(|p| (p.table, p.columns.clone()));
        let mut fields = vec![Field::Ignore];
        fields.extend(table.fields());
        columns
            .into_iter()
            .enumerate()
            .map(|(c, chosen)| {
                let label = fill(
                    tr(lang, "import.column_field"),
                    &[("column", &column_letter(c))],
                );
                let options = fields
                    .iter()
                    .map(|f| {
                        let is = *f == chosen;
                        view! {
                            <option value=f.key() selected=is>{tr(lang, &format!("field.{}", f.key()))}</option>
                        }
                    })
                    .collect_view();
                view! {
                    <th scope="col">
                        <select
                            aria-label=label
                            data-testid=format!("import-column-{c}")
                            on:change=move |e| {
                                if let Some(f) = Field::from_key(&event_target_value(&e)) {
                                    plan.update(|p| p.columns[c] = f);
                                }
                            }
                        >
                            {options}
                        </select>
                    </th>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll">
            <table class="mapping" data-testid="import-preview">
                <caption>{t("import.preview_caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t("import.row")}</th>
                        {move || headers().into_iter().enumerate().map(|(c, h)| view! {
                            <th scope="col"><span class="letter">{column_letter(c)}</span>" "{h}</th>
                        }).collect_view()}
                    </tr>
                    <tr class="choosers">
                        <td></td>
                        {choosers}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = wb.locale();
                        let lang = locale.lang;
                        rows().into_iter().map(|row| view! {
                            <tr>
                                <th scope="row">{row.row}</th>
                                {row.cells.into_iter().map(|cell| match cell {
                                    Ok(v) => view! { <td>{value_text(locale, &v)}</td> }.into_any(),
                                    Err(p) => {
                                        let why = reason_text(lang, &profitbook_engine::import::Reason::Cell(p));
                                        let title = why.clone();
                                        view! { <td class="refused" title=title>"⚠ "{why}</td> }.into_any()
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// How a file was read, in words: encoding, separator, number format, dates, header.
fn how_read(lang: Lang, report: &FileReport, layout: Option<&Layout>) -> String {
    let plan = &report.plan;
    let mut parts: Vec<String> = Vec::new();
    match layout {
        Some(Layout::Text {
            encoding,
            separator,
            ..
        }) => {
            parts.push(tr(lang, &format!("encoding.{}", encoding.key())).to_string());
            parts.push(tr(lang, &format!("separator.{}", separator.key())).to_string());
        }
        Some(Layout::Workbook { sheet, sheets }) => parts.push(fill(
            tr(lang, "import.how_workbook"),
            &[("sheet", sheets.get(*sheet).map_or("", String::as_str))],
        )),
        None => {}
    }
    parts.push(tr(lang, &format!("import.table.{}", plan.table.key())).to_string());
    parts.push(style_example(plan.numbers));
    if let Some(order) = plan.dates {
        parts.push(tr(lang, &format!("dateorder.{}", order.key())).to_string());
    }
    parts.push(
        tr(
            lang,
            if plan.header {
                "import.how_header"
            } else {
                "import.how_no_header"
            },
        )
        .to_string(),
    );
    parts.join(", ")
}

/// The account of the last import: per file, rows read = used + rejected, and how it was read;
/// then the rejected rows, downloadable.
#[component]
fn ImportSummary() -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();
    let outcome = move || state.outcome.get();
    let lines = move || {
        let locale = wb.locale();
        let lang = locale.lang;
        let Some(o) = outcome() else {
            return Vec::new();
        };
        o.account
            .files
            .iter()
            .map(|f| {
                let number = |n: usize| locale.integer(n as i64);
                let mut text = fill(
                    tr_n(lang, "import.summary_file", f.read as u64),
                    &[
                        ("name", &f.name),
                        ("read", &number(f.read)),
                        ("used", &number(f.used)),
                        ("rejected", &number(f.rejected)),
                    ],
                );
                if f.blank > 0 {
                    text.push(' ');
                    text.push_str(&fill(
                        tr_n(lang, "import.summary_blank", f.blank as u64),
                        &[("count", &number(f.blank))],
                    ));
                }
                if f.credit_notes > 0 {
                    text.push(' ');
                    text.push_str(&fill(
                        tr_n(lang, "import.summary_credit_notes", f.credit_notes as u64),
                        &[("count", &number(f.credit_notes))],
                    ));
                }
                let layout = o.account.layout_of(&f.name);
                let how = fill(
                    tr(lang, "import.summary_how"),
                    &[("how", &how_read(lang, f, layout))],
                );
                (f.clone(), text, how)
            })
            .collect::<Vec<_>>()
    };
    // Files given to the import that could not be read: named, never left out.
    let refused = move || {
        let lang = wb.lang.get();
        outcome().map_or(Vec::new(), |o| {
            o.account
                .refused
                .iter()
                .map(|r| {
                    let text = fill(
                        tr(lang, "import.summary_refused"),
                        &[
                            ("name", &r.name),
                            ("reason", &file_error_reason(lang, &r.error)),
                        ],
                    );
                    (r.name.clone(), text)
                })
                .collect::<Vec<_>>()
        })
    };
    let notes = move || {
        let locale = wb.locale();
        let lang = locale.lang;
        let Some(o) = outcome() else {
            return Vec::new();
        };
        let mut notes = Vec::new();
        if o.account.customers_from_transactions > 0 {
            notes.push(fill(
                tr_n(
                    lang,
                    "import.summary_made_up",
                    o.account.customers_from_transactions as u64,
                ),
                &[(
                    "count",
                    &locale.integer(o.account.customers_from_transactions as i64),
                )],
            ));
        }
        match o.account.currencies.as_slice() {
            [] => {}
            [one] => notes.push(fill(
                tr(lang, "import.summary_currency"),
                &[("currency", tr(lang, &format!("currency.{}", one.code())))],
            )),
            several => notes.push(fill(
                tr(lang, "import.summary_currencies"),
                &[(
                    "currencies",
                    &several
                        .iter()
                        .map(|c| c.code())
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            )),
        }
        if !o.new_roles.is_empty() {
            let rate = wb.assumptions.with_untracked(|a| {
                a.roles
                    .iter()
                    .find(|r| r.role == o.new_roles[0])
                    .map(|r| locale.decimal(r.hourly_rate))
                    .unwrap_or_default()
            });
            notes.push(fill(
                tr(lang, "import.summary_new_roles"),
                &[("rate", &rate), ("roles", &o.new_roles.join(", "))],
            ));
        }
        notes
    };
    view! {
        <Show when=move || outcome().is_some()>
            // The worker's peak memory, for `make bench-import`.
            <div
                class="import-summary"
                data-testid="import-summary"
                role="status"
                data-worker-memory=move || outcome().map_or(0, |o| o.worker_memory)
            >
                <h3>{t("import.summary_title")}</h3>
                <ul>
                    {move || lines().into_iter().map(|(f, text, how)| view! {
                        <li
                            data-testid="import-file-summary"
                            data-name=f.name.clone()
                            data-read=f.read
                            data-used=f.used
                            data-rejected=f.rejected
                        >
                            {text}
                            <br/>
                            <span class="muted">{how}</span>
                        </li>
                    }).collect_view()}
                    {move || refused().into_iter().map(|(name, text)| view! {
                        <li data-testid="import-refused-file" data-name=name>{text}</li>
                    }).collect_view()}
                    {move || notes().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <RowList
                    rows=|a| &a.problems
                    title="import.problems_title"
                    more="import.problems_more"
                    download="import.problems_download"
                    file_name="rejected-rows.csv"
                    testid="import-problems"
                />
                <RowList
                    rows=|a| &a.notes
                    title="import.notes_title"
                    more="import.notes_more"
                    download="import.notes_download"
                    file_name="rows-to-check.csv"
                    testid="import-notes"
                />
            </div>
        </Show>
    }
}

/// Rows of the last import's account, each with its file, row, column, value and reason: the
/// first [`PROBLEMS_SHOWN`] on the page, every one in a CSV download (`testid`-download).
#[component]
fn RowList(
    /// Which rows: the rejected ones, or the used ones to check.
    rows: fn(&ImportAccount) -> &[Problem],
    title: &'static str,
    /// The counted text saying only the first rows are shown.
    more: &'static str,
    download: &'static str,
    file_name: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let wb = use_workbook();
    let state = expect_context::<ImportState>();
    // Read in place: the list can hold every row of a large file.
    let count = move || {
        state
            .outcome
            .with(|o| o.as_ref().map_or(0, |o| rows(&o.account).len()))
    };
    let offer_csv = move |_| {
        let lang = wb.lang.get_untracked();
        let header = [
            tr(lang, "import.col_file"),
            tr(lang, "import.col_row"),
            tr(lang, "import.col_column"),
            tr(lang, "import.col_value"),
            tr(lang, "import.col_reason"),
        ];
        let csv = state.outcome.with_untracked(|o| {
            let listed = o.as_ref().map_or(&[][..], |o| rows(&o.account));
            problems_csv(listed, header, |r| reason_text(lang, r))
        });
        crate::download::offer(file_name, "text/csv;charset=utf-8", [csv.into_bytes()]);
    };
    view! {
        <Show when=move || { count() > 0 }>
            <h4>{t(title)}</h4>
            <button type="button" data-testid=format!("{testid}-download") on:click=offer_csv>
                {t(download)}
            </button>
            <Show when=move || { count() > PROBLEMS_SHOWN }>
                <p>{move || fill(t_n(more, count()), &[("shown", &wb.locale().integer(PROBLEMS_SHOWN as i64)), ("total", &wb.locale().integer(count() as i64))])}</p>
            </Show>
            <div class="table-scroll">
                <table class="problems" data-testid=testid>
                    <thead>
                        <tr>
                            <th scope="col">{t("import.col_file")}</th>
                            <th scope="col">{t("import.col_row")}</th>
                            <th scope="col">{t("import.col_column")}</th>
                            <th scope="col">{t("import.col_value")}</th>
                            <th scope="col">{t("import.col_reason")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let lang = wb.lang.get();
                            let shown: Vec<Problem> = state.outcome.with(|o| {
                                o.as_ref().map_or(Vec::new(), |o| rows(&o.account).iter().take(PROBLEMS_SHOWN).cloned().collect())
                            });
                            shown.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.file.clone()}</td>
                                    <td class="num">{p.row}</td>
                                    <td>{p.column.clone()}</td>
                                    <td><code>{p.value.clone()}</code></td>
                                    <td>{reason_text(lang, &p.reason)}</td>
                                </tr>
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}
