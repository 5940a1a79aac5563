//! Drift: the customers that crossed from profit into loss, by the month their loss began, and
//! who they are. Every customer's months are computed afresh for each model and set of
//! assumptions, a few thousand customers at a time with the page painting in between.

use crate::components::chart_parts::FoldedTable;
use crate::state::{now_ms, t, use_workbook, Shared};
use leptos::prelude::*;
use leptos::task::spawn_local;
use profitbook_engine::date::Month;
use profitbook_engine::drift::{crossed_into_loss, crossings_by_month, drifting_in, DriftFlag};
use profitbook_engine::i18n::{fill, tr_n};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 26.0;
/// Milliseconds of searching between two yields to the browser: well inside a frame, so the
/// page scrolls and answers while a million customers are searched.
const STEP_MS: f64 = 4.0;
/// Customers searched between two looks at the clock.
const SLICE: usize = 500;

/// A finished search: every flagged customer with its flags.
type Flagged = Vec<(u32, Vec<DriftFlag>)>;

/// A search's result with the model it was made on: customer numbers mean nothing in another.
type Found = (Shared<profitbook_engine::Model>, Flagged);

#[component]
pub fn DriftChart() -> impl IntoView {
    let wb = use_workbook();
    let search = RwSignal::new(None::<Found>);
    // The last result for the model shown now (after new assumptions, the last one stands
    // until the new one is ready; after an import, nothing does).
    let found = Memo::new(move |_| {
        let model = wb.model.get();
        search.with(|s| {
            s.as_ref()
                .filter(|(m, _)| *m == model)
                .map(|(_, f)| f.clone())
        })
    });
    let progress = RwSignal::new(None::<(usize, usize)>);
    let generation = StoredValue::new(0u64);
    // Search again whenever the model or the rates change; a newer search ends an older one.
    Effect::new(move |_| {
        let model = wb.model.get();
        let Ok(rates) = wb.rates.get() else {
            search.set(None);
            return;
        };
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        let n = model.len();
        progress.set(Some((0, n)));
        // Started from a frame's callback, the first step's timeout runs after that frame is
        // painted: a slider move shows its figures before any searching.
        request_animation_frame(move || {
            spawn_local(async move {
                let mut all = Vec::new();
                let mut start = 0;
                while start < n {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if generation.try_get_value() != Some(this) {
                        return;
                    }
                    let began = now_ms();
                    while start < n && now_ms() - began < STEP_MS {
                        let end = (start + SLICE).min(n);
                        all.extend(drifting_in(&model, &rates, start..end));
                        start = end;
                    }
                    progress.try_set(Some((start, n)));
                }
                search.try_set(Some((model, all)));
                progress.try_set(None);
            })
        });
    });
    let crossed = move || {
        found.with(|f| {
            f.as_ref().map(|f| {
                let mut list: Vec<(u32, Month)> = crossed_into_loss(f);
                list.sort_by_key(|(c, since)| (*since, *c));
                list
            })
        })
    };
    let summary = move || {
        let locale = wb.locale();
        let f = found.get()?;
        let is_crossed = |flags: &[DriftFlag]| {
            flags
                .iter()
                .any(|x| matches!(x, DriftFlag::CrossedIntoLoss { .. }))
        };
        let crossed = f.iter().filter(|(_, flags)| is_crossed(flags)).count();
        // Only those not already counted as crossed.
        let trending = f.len() - crossed;
        let part = |key, n: usize| {
            fill(
                tr_n(locale.lang, key, n as u64),
                &[("count", &locale.integer(n as i64))],
            )
        };
        Some(format!(
            "{} {}",
            part("chart.drift.summary_crossed", crossed),
            part("chart.drift.summary_trending", trending)
        ))
    };
    let drawing = move || {
        let locale = wb.locale();
        let f = found.get()?;
        let (first, last) = wb.model.with(|m| m.window)?;
        let counts = crossings_by_month(&f);
        let months = first.span_inclusive(last).max(1) as usize;
        let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        let slot = (WIDTH - LEFT - 8.0) / months as f64;
        let y = move |n: usize| 10.0 + (HEIGHT - BOTTOM - 10.0) * (1.0 - n as f64 / most as f64);
        let bars = counts
            .iter()
            .map(|(m, n)| {
                let x = LEFT + (m.0 - first.0) as f64 * slot + slot * 0.15;
                let title = fill(
                    tr_n(locale.lang, "chart.drift.bar", *n as u64),
                    &[
                        ("month", &locale.month(*m)),
                        ("count", &locale.integer(*n as i64)),
                    ],
                );
                view! {
                    <rect class="bar cost" x=x y=y(*n) width=slot * 0.7 height=y(0) - y(*n)>
                        <title>{title}</title>
                    </rect>
                }
            })
            .collect_view();
        Some(view! {
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="drift-title">
                <line class="axis" x1=LEFT x2=WIDTH - 8.0 y1=y(0) y2=y(0)/>
                <text class="tick" x=LEFT - 6.0 y=y(most) + 4.0 text-anchor="end">{most}</text>
                <text class="tick" x=LEFT - 6.0 y=y(0) + 4.0 text-anchor="end">"0"</text>
                {bars}
                <text class="tick" x=LEFT y=HEIGHT - 6.0>{locale.month(first)}</text>
                <text class="tick" x=WIDTH - 8.0 y=HEIGHT - 6.0 text-anchor="end">{locale.month(last)}</text>
            </svg>
        })
    };
    let rows = move || {
        let list = crossed()?;
        Some(wb.model.with(|m| {
            list.into_iter()
                .map(|(c, since)| {
                    let c = c as usize;
                    let name = m.names[c].clone();
                    view! {
                        <tr data-customer-id=m.ids[c].clone()>
                            <th scope="row">
                                <button type="button" class="link" on:click=move |_| wb.detail.set(Some(c))>{name}</button>
                            </th>
                            <td>{m.ids[c].clone()}</td>
                            <td>{wb.locale_untracked().month(since)}</td>
                        </tr>
                    }
                })
                .collect_view()
        }))
    };
    view! {
        <section class="chart drift" data-testid="drift-chart" aria-labelledby="drift-title">
            <h2 id="drift-title">{t("chart.drift.title")}</h2>
            <p class="chart-caption">{t("chart.drift.caption")}</p>
            // Always in the page, hidden when idle: a bar appearing on every slider move would
            // push everything below it down and back.
            <progress
                max=move || progress.get().map_or(1, |(_, total)| total.max(1))
                value=move || progress.get().map_or(0, |(done, _)| done)
                aria-label=t("chart.drift.progress")
                aria-hidden=move || progress.get().is_none().then_some("true")
                style:visibility=move || if progress.get().is_some() { "visible" } else { "hidden" }
            ></progress>
            <p data-testid="drift-summary">{summary}</p>
            {drawing}
            <FoldedTable testid="drift-table" summary="chart.drift.list">
                <thead>
                    <tr>
                        <th scope="col">{t("col.customer_name")}</th>
                        <th scope="col">{t("col.customer_id")}</th>
                        <th scope="col">{t("chart.drift.since")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </FoldedTable>
        </section>
    }
}
