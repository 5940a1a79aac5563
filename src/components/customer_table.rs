use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::format::{money, percent_bp, NumberStyle};
use profitbook_engine::i18n::tr;
use profitbook_engine::{Lines, Money};

/// The height of a customer row in pixels: `.customers tbody tr` in style/main.css.
const ROW_PX: f64 = 36.0;
/// Up to this many customers every row is in the page (the browser's find works on all); above
/// it only a window of rows around the visible ones is, so a million customers scroll smoothly.
const RENDER_ALL_UP_TO: usize = 500;
/// Rows in the window: the visible ones (the table is at most 70% of a screen high) and some
/// before and after, so a scroll rarely shows a blank row.
const WINDOW_ROWS: usize = 80;

/// The rows to render, `first..end` of `count`, for a scroll position.
fn row_window(count: usize, scroll_top: f64) -> (usize, usize) {
    if count <= RENDER_ALL_UP_TO {
        return (0, count);
    }
    let first = ((scroll_top / ROW_PX) as usize)
        .saturating_sub(WINDOW_ROWS / 4)
        .min(count.saturating_sub(WINDOW_ROWS));
    (first, (first + WINDOW_ROWS).min(count))
}

/// Every customer with revenue, cost to serve and net profit, most profitable first, with the
/// totals on top. Rows carry the customer id.
#[component]
pub fn CustomerTable() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    let scroll_top = RwSignal::new(0.0);
    let count = move || report.with(|r| r.as_ref().map_or(0, |r| r.whale.order.len()));
    let window = Memo::new(move |_| row_window(count(), scroll_top.get()));
    let order = move || {
        let (first, end) = window.get();
        report
            .with(|r| {
                r.as_ref().map(|r| {
                    r.whale.order[first..end]
                        .iter()
                        .map(|&i| i as usize)
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    };
    // Rows outside the window are stood in for by two empty rows of their height, so the
    // scroll bar is the whole table's.
    let spacer = move |height: f64| {
        (count() > RENDER_ALL_UP_TO).then(|| {
            view! { <tr class="spacer" aria-hidden="true" style:height=format!("{height}px")></tr> }
        })
    };
    let above = move || spacer(window.get().0 as f64 * ROW_PX);
    let below = move || spacer((count() - window.get().1) as f64 * ROW_PX);
    let totals = move || report.get().map(|r| r.totals).unwrap_or_default();
    view! {
        <section class="customers">
            <h2>{t("table.title")}</h2>
            <div
                class="table-scroll"
                on:scroll=move |e| {
                    let el: web_sys::Element = event_target(&e);
                    scroll_top.set(el.scroll_top() as f64);
                }
            >
                <table data-testid="customer-table" aria-rowcount=move || count() + 2>
                    <caption>{t("table.caption")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t("col.customer_id")}</th>
                            <th scope="col">{t("col.customer_name")}</th>
                            <th scope="col" class="num">{t("col.revenue")}</th>
                            <th scope="col" class="num">{t("col.gross_margin")}</th>
                            <th scope="col" class="num">{t("col.cost_to_serve")}</th>
                            <th scope="col" class="num" aria-sort="descending">
                                {t("col.net_profit")}
                            </th>
                            <th scope="col" class="num">{t("col.margin_pct")}</th>
                            <th scope="col">{t("col.action")}</th>
                        </tr>
                        <tr class="totals" data-testid="table-totals">
                            <th scope="row" colspan="2">{t("table.totals")}</th>
                            <MoneyCell value=Signal::derive(move || totals().revenue) testid="total-revenue"/>
                            <MoneyCell value=Signal::derive(move || totals().gross_margin) testid="total-gross-margin"/>
                            <MoneyCell value=Signal::derive(move || totals().cost_to_serve) testid="total-cost-to-serve"/>
                            <MoneyCell value=Signal::derive(move || totals().net_profit) testid="total-net-profit"/>
                            <td class="num">{move || margin(&totals(), wb.lang.get())}</td>
                            <td></td>
                        </tr>
                    </thead>
                    <tbody>
                        {above}
                        <For each=order key=|i| *i let:customer>
                            <CustomerRow customer=customer/>
                        </For>
                        {below}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Net margin, or "n/a" (translated) for a customer without positive revenue.
fn margin(lines: &Lines, lang: profitbook_engine::i18n::Lang) -> String {
    lines.margin_bp().map_or_else(
        || tr(lang, "table.no_revenue").to_string(),
        |bp| percent_bp(bp, NumberStyle::ENGLISH),
    )
}

/// One customer's row; every cell follows the report.
#[component]
fn CustomerRow(customer: usize) -> impl IntoView {
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
    let lines = move || {
        wb.report
            .get()
            .and_then(|r| r.lines.get(customer))
            .unwrap_or_default()
    };
    let action = move || {
        wb.report.get().and_then(|r| {
            r.actions
                .get(customer)
                .map(|(a, _)| tr(wb.lang.get(), &format!("action.{}", a.key())))
        })
    };
    view! {
        <tr data-customer-id=id class:loss=move || lines().net_profit.is_negative()>
            <td class="id">{id}</td>
            <th scope="row">{name}</th>
            <MoneyCell value=Signal::derive(move || lines().revenue)/>
            <MoneyCell value=Signal::derive(move || lines().gross_margin)/>
            <MoneyCell value=Signal::derive(move || lines().cost_to_serve)/>
            <MoneyCell value=Signal::derive(move || lines().net_profit) testid="net-profit"/>
            <td class="num">{move || margin(&lines(), wb.lang.get())}</td>
            <td>{action}</td>
        </tr>
    }
}

/// A right-aligned money cell.
#[component]
fn MoneyCell(
    value: Signal<Money>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <td class="num" data-testid=testid>{move || money(value.get(), NumberStyle::ENGLISH)}</td>
    }
}
