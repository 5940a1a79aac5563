//! Net profit by the values of any customer column (segment, region, rep...): one bar a value,
//! most profitable first, with a table of the groups' P&L as the alternative to looking.

use crate::components::chart_parts::FoldedTable;
use crate::state::{t, use_workbook, view_part};
use leptos::prelude::*;
use profitbook_engine::views::pivot;

const WIDTH: f64 = 720.0;
const LABEL: f64 = 170.0;
const ROW: f64 = 26.0;

#[component]
pub fn SegmentChart() -> impl IntoView {
    let wb = use_workbook();
    let attribute = view_part(wb.view, |v| &mut v.group_by);
    // The first customer column until the person picks another (and after an import that
    // drops the one picked).
    let chosen = move || {
        let picked = attribute.get();
        wb.model.with(|m| {
            m.attribute(&picked)
                .or_else(|| m.attributes.first())
                .map(|a| a.name.clone())
        })
    };
    let groups = Memo::new(move |_| {
        let name = chosen()?;
        wb.report.with(|r| {
            let r = r.as_ref()?;
            wb.model.with(|m| pivot(m, r, &name))
        })
    });
    let options = move || {
        let current = chosen().unwrap_or_default();
        wb.model.with(|m| {
            m.attributes
                .iter()
                .map(|a| {
                    let selected = a.name == current;
                    view! { <option value=a.name.clone() selected=selected>{a.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let drawing = move || {
        let rows = groups.get()?;
        let locale = wb.locale();
        let (low, high) = rows.iter().fold((0i64, 0i64), |(lo, hi), g| {
            (lo.min(g.lines.net_profit.0), hi.max(g.lines.net_profit.0))
        });
        let span = ((high - low) as f64).max(1.0);
        let x = move |cents: i64| LABEL + (WIDTH - LABEL - 110.0) * (cents - low) as f64 / span;
        let height = rows.len() as f64 * ROW + 8.0;
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let y = 4.0 + i as f64 * ROW;
                let v = g.lines.net_profit.0;
                let (a, b) = (x(v.min(0)), x(v.max(0)));
                view! {
                    <text class="tick" x=LABEL - 8.0 y=y + ROW * 0.65 text-anchor="end">{g.value.clone()}</text>
                    <rect class=if v < 0 { "bar cost" } else { "bar gain" } x=a y=y + 4.0 width=(b - a).max(1.0) height=ROW - 8.0/>
                    <text class="tick" x=WIDTH - 4.0 y=y + ROW * 0.65 text-anchor="end">{locale.money(g.lines.net_profit)}</text>
                }
            })
            .collect_view();
        let zero = x(0);
        Some(view! {
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="segment-title">
                <line class="axis" x1=zero x2=zero y1="0" y2=height/>
                {bars}
            </svg>
        })
    };
    let table_rows = move || {
        let locale = wb.locale();
        groups.get().map(|rows| {
            rows.into_iter()
                .map(|g| {
                    view! {
                        <tr>
                            <th scope="row">{g.value}</th>
                            <td class="num">{g.customers}</td>
                            <td class="num">{g.unprofitable}</td>
                            <td class="num">{locale.amount(g.lines.revenue)}</td>
                            <td class="num">{locale.amount(g.lines.cost_to_serve)}</td>
                            <td class="num">{locale.amount(g.lines.net_profit)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let has_columns = move || wb.model.with(|m| !m.attributes.is_empty());
    view! {
        <Show when=has_columns>
            <section class="chart segments" data-testid="segment-chart" aria-labelledby="segment-title">
                <h2 id="segment-title">{t("chart.segments.title")}</h2>
                <div class="table-controls">
                    <label class="field">
                        <span>{t("chart.segments.by")}</span>
                        <select
                            data-testid="segment-attribute"
                            on:change=move |ev| attribute.set(event_target_value(&ev))
                        >
                            {options}
                        </select>
                    </label>
                </div>
                {drawing}
                <FoldedTable testid="segment-table" caption="chart.segments.table_caption">
                    <thead>
                        <tr>
                            <th scope="col">{move || chosen().unwrap_or_default()}</th>
                            <th scope="col" class="num">{t("chart.whale.col_customers")}</th>
                            <th scope="col" class="num">{t("chart.segments.unprofitable")}</th>
                            <th scope="col" class="num">{t("col.revenue")}</th>
                            <th scope="col" class="num">{t("col.cost_to_serve")}</th>
                            <th scope="col" class="num">{t("col.net_profit")}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </FoldedTable>
            </section>
        </Show>
    }
}
