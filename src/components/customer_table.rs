use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::format::{money, percent_bp, NumberStyle};
use profitbook_engine::i18n::tr;
use profitbook_engine::{Lines, Money};

/// Every customer with revenue, cost to serve and net profit, most profitable first, with the
/// totals on top. Rows carry the customer id.
#[component]
pub fn CustomerTable() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    let order = move || {
        report
            .get()
            .map(|r| {
                r.whale
                    .order
                    .iter()
                    .map(|&i| i as usize)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let totals = move || report.get().map(|r| r.totals).unwrap_or_default();
    view! {
        <section class="customers">
            <h2>{t("table.title")}</h2>
            <div class="table-scroll">
                <table data-testid="customer-table">
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
                        <For each=order key=|i| *i let:customer>
                            <CustomerRow customer=customer/>
                        </For>
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
            .and_then(|r| r.lines.get(customer).copied())
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
