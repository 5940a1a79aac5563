use crate::components::chart_parts::caption_text;
use crate::state::{t, t_n, use_workbook, view_part, Shared};
use leptos::prelude::*;
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::{fill, tr, Lang};
use profitbook_engine::table::{self, Column, Profitability, Query, RowWindow, Sort, SortKey};
use profitbook_engine::views::{Action, SortBuffers};
use profitbook_engine::{LineKey, Lines, Money, Report};

/// The height of a customer row in pixels: `.customers tbody tr` in style/main.css.
const ROW_PX: f64 = 36.0;
/// Up to this many customers every row is in the page (the browser's find works on all); above
/// it only a window of rows around the visible ones is, so a million customers scroll smoothly.
const RENDER_ALL_UP_TO: usize = 500;
/// Rows in the window: the visible ones (the table is at most 70% of a screen high) and some
/// before and after, so a scroll rarely shows a blank row.
const WINDOW_ROWS: usize = 80;

/// The rows to render and the space standing in for the others, for a scroll position and
/// viewport height.
fn row_window(count: usize, (scroll_top, viewport): (f64, f64)) -> RowWindow {
    if count <= RENDER_ALL_UP_TO {
        return RowWindow {
            first: 0,
            end: count,
            above_px: 0.0,
            below_px: 0.0,
        };
    }
    RowWindow::new(count, WINDOW_ROWS, ROW_PX, scroll_top, viewport)
}

/// Every customer with the chosen P&L columns, most profitable first unless sorted otherwise,
/// with a search, filters, a column chooser and the totals on top. Rows carry the customer id.
#[component]
pub fn CustomerTable() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    let query = view_part(wb.view, |v| &mut v.query);
    let columns = view_part(wb.view, |v| &mut v.columns);
    // The scroll position and the viewport's height.
    let scroll = RwSignal::new((0.0, 0.0));
    // The customers shown, in order. Compared by identity: a million-row list is not compared
    // element by element to decide whether it changed.
    let rows = Memo::new(move |_| {
        let q = query.get();
        let shown = report.with(|r| {
            wb.model.with(|m| {
                r.as_ref()
                    .map(|r| table::rows(m, r, &q, &mut SortBuffers::default()))
            })
        });
        Shared::new(shown.unwrap_or_default())
    });
    let count = move || rows.with(|r| r.len());
    let everyone = move || report.with(|r| r.as_ref().map_or(0, |r| r.lines.len()));
    let window = Memo::new(move |_| row_window(count(), scroll.get()));
    // (position in the order, customer) of the rows in the window.
    let order = move || {
        let RowWindow { first, end, .. } = window.get();
        rows.with(|r| {
            (first..end)
                .zip(&r[first..end])
                .map(|(position, &i)| (position, i as usize))
                .collect::<Vec<_>>()
        })
    };
    // Rows outside the window are stood in for by two empty rows of their height, so the
    // scroll bar is the whole table's.
    let spacer = move |height: f64| {
        (count() > RENDER_ALL_UP_TO).then(|| {
            view! { <tr class="spacer" aria-hidden="true" style:height=format!("{height}px")></tr> }
        })
    };
    let above = move || spacer(window.get().above_px);
    let below = move || spacer(window.get().below_px);
    // The company's totals, or those of the customers shown when some are filtered out.
    let filtered = move || !query.with(Query::shows_everyone);
    let totals = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref().map_or_else(Lines::default, |r| {
                if filtered() {
                    rows.with(|shown| table::totals_of(r, shown))
                } else {
                    r.totals
                }
            })
        })
    });
    let shown_text = move || {
        fill(
            t_n("table.shown", everyone()),
            &[
                ("shown", &wb.locale().integer(count() as i64)),
                ("total", &wb.locale().integer(everyone() as i64)),
            ],
        )
    };
    view! {
        <section class="customers">
            <h2>{t("table.title")}</h2>
            <TableControls query=query columns=columns/>
            <p class="table-count" data-testid="table-count" aria-live="polite">{shown_text}</p>
            <div
                class="table-scroll"
                on:scroll=move |e| {
                    let el: web_sys::Element = event_target(&e);
                    scroll.set((el.scroll_top() as f64, el.client_height() as f64));
                }
            >
                <table data-testid="customer-table" aria-rowcount=move || count() + 2>
                    <caption>{caption_text("table.caption")}</caption>
                    <thead>
                        <tr>
                            <SortHeader key=SortKey::CustomerId query=query/>
                            <SortHeader key=SortKey::CustomerName query=query/>
                            {move || {
                                columns
                                    .get()
                                    .into_iter()
                                    .map(|c| view! { <SortHeader key=SortKey::Column(c) query=query/> })
                                    .collect_view()
                            }}
                        </tr>
                        <tr class="totals" data-testid="table-totals">
                            <th scope="row" colspan="2">
                                {move || if filtered() { t("table.totals_shown")() } else { t("table.totals")() }}
                            </th>
                            {move || {
                                columns
                                    .get()
                                    .into_iter()
                                    .map(|c| {
                                        let text = move || total_cell(&totals.get(), c, wb.locale());
                                        let testid = format!("total-{}", c.key().replace('_', "-"));
                                        view! {
                                            <td class:num=c.is_number() data-testid=testid>{text}</td>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {above}
                        <For each=order key=|row| *row let:row>
                            <CustomerRow position=row.0 customer=row.1 columns=columns/>
                        </For>
                        {below}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// A column's label in the table's header.
fn column_label(lang: Lang, key: SortKey) -> &'static str {
    match key {
        SortKey::CustomerId => tr(lang, "col.customer_id"),
        SortKey::CustomerName => tr(lang, "col.customer_name"),
        SortKey::Column(c) => tr(lang, &format!("col.{}", c.key())),
    }
}

/// A column header that sorts by its column: a first click sorts figures highest first and
/// text from A, a second click reverses.
#[component]
fn SortHeader(key: SortKey, query: RwSignal<Query>) -> impl IntoView {
    let wb = use_workbook();
    let is_number = matches!(key, SortKey::Column(c) if c.is_number());
    let sorted = move || query.with(|q| (q.sort.key == key).then_some(q.sort.descending));
    let aria_sort = move || match sorted() {
        Some(true) => "descending",
        Some(false) => "ascending",
        None => "none",
    };
    let arrow = move || match sorted() {
        Some(true) => "▼",
        Some(false) => "▲",
        None => "",
    };
    let toggle = move |_| {
        query.update(|q| {
            q.sort = match (q.sort.key == key, q.sort.descending) {
                (true, descending) => Sort {
                    key,
                    descending: !descending,
                },
                (false, _) => Sort {
                    key,
                    descending: is_number,
                },
            }
        })
    };
    let label = move || column_label(wb.lang.get(), key);
    let testid = match key {
        SortKey::CustomerId => "sort-customer-id".to_string(),
        SortKey::CustomerName => "sort-customer-name".to_string(),
        SortKey::Column(c) => format!("sort-{}", c.key().replace('_', "-")),
    };
    view! {
        <th scope="col" class:num=is_number aria-sort=aria_sort>
            <button type="button" class="sort" on:click=toggle data-testid=testid>
                {label}
                <span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

/// The search box, the filters and the column chooser.
#[component]
fn TableControls(query: RwSignal<Query>, columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let wb = use_workbook();
    let lang = move || wb.lang.get();
    let set_profitability = move |ev| {
        let p = match event_target_value(&ev).as_str() {
            "profitable" => Profitability::Profitable,
            "unprofitable" => Profitability::Unprofitable,
            _ => Profitability::All,
        };
        query.update(|q| q.profitability = p);
    };
    let set_action = move |ev| {
        let v = event_target_value(&ev);
        let a = Action::ALL.into_iter().find(|a| a.key() == v);
        query.update(|q| q.action = a);
    };
    let set_attribute = move |ev| {
        // "column:code", or empty for everyone.
        let v = event_target_value(&ev);
        let parsed = v
            .split_once(':')
            .and_then(|(c, k)| Some((c.parse().ok()?, k.parse().ok()?)));
        query.update(|q| q.attribute = parsed);
    };
    let attribute_options = move || {
        wb.model.with(|m| {
            m.attributes
                .iter()
                .enumerate()
                .map(|(col, a)| {
                    let options = a
                        .values
                        .iter()
                        .enumerate()
                        .map(|(code, v)| view! { <option value=format!("{col}:{code}")>{v.clone()}</option> })
                        .collect_view();
                    view! { <optgroup label=a.name.clone()>{options}</optgroup> }
                })
                .collect_view()
        })
    };
    let has_attributes = move || wb.model.with(|m| !m.attributes.is_empty());
    let choices = Column::all()
        .into_iter()
        .map(|c| {
            let checked = move || columns.with(|cs| cs.contains(&c));
            let toggle = move |_| {
                columns.update(|cs| {
                    if cs.contains(&c) {
                        cs.retain(|x| *x != c);
                    } else {
                        // Keep the model's order whatever the order of the clicks.
                        cs.push(c);
                        let all = Column::all();
                        cs.sort_by_key(|x| all.iter().position(|y| y == x));
                    }
                })
            };
            let testid = format!("column-{}", c.key().replace('_', "-"));
            view! {
                <label class="column-choice">
                    <input type="checkbox" prop:checked=checked on:change=toggle data-testid=testid/>
                    {move || column_label(lang(), SortKey::Column(c))}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="table-controls">
            <label class="field">
                <span>{t("table.search")}</span>
                <input
                    type="search"
                    data-testid="table-search"
                    placeholder=t("table.search_placeholder")
                    prop:value=move || query.with(|q| q.search.clone())
                    on:input=move |ev| query.update(|q| q.search = event_target_value(&ev))
                />
            </label>
            <label class="field">
                <span>{t("table.filter_profit")}</span>
                <select data-testid="table-filter-profit" on:change=set_profitability>
                    <option value="all">{t("table.filter_all")}</option>
                    <option value="profitable">{t("table.filter_profitable")}</option>
                    <option value="unprofitable">{t("table.filter_unprofitable")}</option>
                </select>
            </label>
            <label class="field">
                <span>{t("table.filter_action")}</span>
                <select data-testid="table-filter-action" on:change=set_action>
                    <option value="">{t("table.filter_all")}</option>
                    {Action::ALL
                        .into_iter()
                        .map(|a| {
                            view! {
                                <option value=a.key()>{move || tr(lang(), &format!("action.{}", a.key()))}</option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <Show when=has_attributes>
                <label class="field">
                    <span>{t("table.filter_attribute")}</span>
                    <select data-testid="table-filter-attribute" on:change=set_attribute>
                        <option value="">{t("table.filter_all")}</option>
                        {attribute_options}
                    </select>
                </label>
            </Show>
            <details class="column-chooser" data-testid="table-columns">
                <summary>{t("table.columns")}</summary>
                <div class="choices">{choices}</div>
            </details>
        </div>
    }
}

/// A share in basis points, or "n/a" (translated) where there is no revenue to divide by.
fn share(bp: Option<i64>, locale: Locale) -> String {
    bp.map_or_else(
        || tr(locale.lang, "table.no_revenue").to_string(),
        |bp| locale.percent_bp(bp),
    )
}

/// A totals cell: money for the lines, the shares of the totals, nothing for text columns.
fn total_cell(totals: &Lines, column: Column, locale: Locale) -> String {
    match column {
        Column::Line(k) => locale.amount(totals.get(k)),
        Column::MarginPct => share(totals.margin_bp(), locale),
        Column::CostToServePct => share(totals.cost_to_serve_bp(), locale),
        Column::Quadrant | Column::Action => String::new(),
    }
}

/// One customer's cell in a column.
fn customer_cell(report: &Report, customer: usize, column: Column, locale: Locale) -> String {
    let lang = locale.lang;
    match column {
        Column::Line(k) => locale.amount(Money(report.lines.column(k)[customer])),
        Column::MarginPct | Column::CostToServePct => {
            share(table::number(report, column, customer), locale)
        }
        Column::Quadrant => tr(
            lang,
            &format!("quadrant.{}", report.quadrants[customer].key()),
        )
        .to_string(),
        Column::Action => tr(
            lang,
            &format!("action.{}", report.actions[customer].0.key()),
        )
        .to_string(),
    }
}

/// Figures shown in the loss colour when below zero.
fn marks_loss(column: Column) -> bool {
    matches!(
        column,
        Column::Line(LineKey::NetProfit | LineKey::TotalValue) | Column::MarginPct
    )
}

/// One customer's row, at `position` in the table's order; every cell follows the report.
#[component]
fn CustomerRow(position: usize, customer: usize, columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let wb = use_workbook();
    // Read reactively: a replaced model (an import) relabels the row instead of leaving old
    // names beside new figures.
    let id = move || {
        wb.model
            .with(|m| m.ids.get(customer).cloned().unwrap_or_default())
    };
    let name = move || {
        wb.model
            .with(|m| m.names.get(customer).cloned().unwrap_or_default())
    };
    let in_loss = move || {
        wb.report.with(|r| {
            r.as_ref().is_some_and(|r| {
                r.lines
                    .column(LineKey::NetProfit)
                    .get(customer)
                    .is_some_and(|&n| n < 0)
            })
        })
    };
    // All cells in one closure: a move re-runs one closure per row, not one or two per cell,
    // and the report's list of subscribers stays short.
    let cells = move || {
        let locale = wb.locale();
        let columns = columns.get();
        wb.report.with(|r| {
            let report = r.as_ref().filter(|r| customer < r.lines.len());
            columns
                .into_iter()
                .map(|c| {
                    let text = report.map(|r| customer_cell(r, customer, c, locale));
                    let negative = marks_loss(c)
                        && report
                            .and_then(|r| table::number(r, c, customer))
                            .is_some_and(|v| v < 0);
                    let testid = (c == Column::Line(LineKey::NetProfit)).then_some("net-profit");
                    view! {
                        <td class:num=c.is_number() class:negative=negative data-testid=testid>{text}</td>
                    }
                })
                .collect_view()
        })
    };
    view! {
        // With only a window of rows in the page, a screen reader learns where a row is from
        // its index (after the two header rows) and the table's aria-rowcount.
        <tr data-customer-id=id class:loss=in_loss aria-rowindex=position + 3>
            <td class="id">{id}</td>
            <th scope="row">
                <button
                    type="button"
                    class="link"
                    data-testid="open-customer"
                    aria-haspopup="dialog"
                    on:click=move |_| wb.detail.set(Some(customer))
                >
                    {name}
                </button>
            </th>
            {cells}
        </tr>
    }
}
