//! One customer in full, in a modal dialog: the recommended action and the rule behind it, the
//! waterfall from revenue to net profit to total value, net profit by month with any drift,
//! and its referrals.

use crate::components::chart_parts::FoldedTable;
use crate::state::{t, use_workbook};
use leptos::html::Dialog;
use leptos::prelude::*;
use profitbook_engine::drift::{self, DriftFlag, MonthFigure};
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::{fill, tr};
use profitbook_engine::views::{waterfall, StepKind, WaterfallStep};
use profitbook_engine::{Lines, Money};

/// Drawing sizes (SVG user units; the page scales the drawing to its width).
const WIDTH: f64 = 640.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 24.0;
const TREND_HEIGHT: f64 = 180.0;

/// The lowest and highest figure a chart must show, zero included.
fn span(values: impl Iterator<Item = i64>) -> (f64, f64) {
    let (low, high) = values.fold((0i64, 0i64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (low, high) = (low as f64, high as f64);
    if high > low {
        (low, high)
    } else {
        (low, low + 1.0)
    }
}

/// The dialog; it opens whenever the workbook's `detail` names a customer.
#[component]
pub fn CustomerDetail() -> impl IntoView {
    let wb = use_workbook();
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let open = wb.detail.get().is_some();
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="customer-detail"
            data-testid="customer-detail"
            aria-labelledby="detail-title"
            on:close=move |_| wb.detail.set(None)
        >
            {move || wb.detail.get().map(|customer| view! { <DetailBody customer=customer/> })}
        </dialog>
    }
}

#[component]
fn DetailBody(customer: usize) -> impl IntoView {
    let wb = use_workbook();
    let lang = move || wb.lang.get();
    let name = move || {
        wb.model
            .with(|m| m.names.get(customer).cloned().unwrap_or_default())
    };
    let id = move || {
        wb.model
            .with(|m| m.ids.get(customer).cloned().unwrap_or_default())
    };
    let attributes = move || {
        wb.model.with(|m| {
            m.attributes
                .iter()
                .map(|a| format!("{}: {}", a.name, a.values[a.codes[customer] as usize]))
                .collect::<Vec<_>>()
                .join(" · ")
        })
    };
    let lines = move || wb.report.get().and_then(|r| r.lines.get(customer));
    let action = move || {
        let r = wb.report.get()?;
        let (action, rule) = *r.actions.get(customer)?;
        Some(fill(
            tr(lang(), "detail.action"),
            &[
                ("action", tr(lang(), &format!("action.{}", action.key()))),
                ("why", tr(lang(), &format!("rule.{}", rule.key()))),
            ],
        ))
    };
    let months = Memo::new(move |_| {
        wb.rates.with(|rates| {
            let rates = rates.as_ref().ok()?;
            Some(wb.model.with(|m| drift::monthly(m, rates, customer)))
        })
    });
    view! {
        <div class="detail-head">
            <h2 id="detail-title">{name}</h2>
            <button type="button" class="close" data-testid="detail-close" on:click=move |_| wb.detail.set(None)>
                {t("detail.close")}
            </button>
        </div>
        <p class="detail-meta">{id} " " {attributes}</p>
        <p class="detail-action" data-testid="detail-action">{action}</p>
        {move || lines().map(|l| view! { <Waterfall lines=l/> })}
        {move || months.get().map(|m| view! { <Trend months=m/> })}
        <Referrals customer=customer/>
    }
}

/// The waterfall as horizontal bars, one line a row, with the exact figures beside them.
#[component]
fn Waterfall(lines: Lines) -> impl IntoView {
    let wb = use_workbook();
    let steps = waterfall(&lines);
    let (low, high) = span(steps.iter().flat_map(|s| [s.from.0, s.to.0]));
    let x = move |cents: i64| LABEL + (WIDTH - LABEL - 100.0) * (cents as f64 - low) / (high - low);
    let height = ROW * steps.len() as f64 + 8.0;
    let bars = steps
        .iter()
        .copied()
        .enumerate()
        .map(|(row, s)| {
            let y = 4.0 + row as f64 * ROW;
            let (left, right) = (x(s.from.0.min(s.to.0)), x(s.from.0.max(s.to.0)));
            let class = bar_class(&s);
            let label = move || tr(wb.lang.get(), &format!("col.{}", s.line.key()));
            let amount = signed(wb.locale_untracked(), &s);
            view! {
                <text class="tick" x=LABEL - 8.0 y=y + ROW * 0.65 text-anchor="end">{label}</text>
                <rect class=class x=left y=y + 3.0 width=(right - left).max(1.0) height=ROW - 6.0/>
                <text class="tick" x=WIDTH - 4.0 y=y + ROW * 0.65 text-anchor="end">{amount}</text>
            }
        })
        .collect_view();
    let zero = x(0);
    let rows = steps
        .iter()
        .copied()
        .map(|s| {
            let label = move || tr(wb.lang.get(), &format!("col.{}", s.line.key()));
            let testid = format!("detail-{}", s.line.key().replace('_', "-"));
            view! {
                <tr class:subtotal=s.kind == StepKind::Total>
                    <th scope="row">{label}</th>
                    <td class="num" data-testid=testid>{signed(wb.locale_untracked(), &s)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="chart" aria-labelledby="waterfall-title">
            <h3 id="waterfall-title">{t("detail.waterfall")}</h3>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="waterfall-title">
                <line class="axis" x1=zero x2=zero y1="0" y2=height/>
                {bars}
            </svg>
            <FoldedTable testid="detail-lines" caption="detail.waterfall_caption">
                <tbody>{rows}</tbody>
            </FoldedTable>
        </section>
    }
}

/// A bar's figure: totals as they are, changes with their sign.
fn signed(locale: Locale, s: &WaterfallStep) -> String {
    match s.kind {
        StepKind::Total => locale.amount(s.to),
        StepKind::Change => {
            let delta = s.to - s.from;
            if delta.0 > 0 {
                format!("+{}", locale.amount(delta))
            } else {
                locale.amount(delta)
            }
        }
    }
}

fn bar_class(s: &WaterfallStep) -> &'static str {
    match (s.kind, s.to.0 >= s.from.0) {
        (StepKind::Total, _) if s.to.0 < 0 => "bar subtotal negative",
        (StepKind::Total, _) => "bar subtotal",
        (StepKind::Change, true) => "bar gain",
        (StepKind::Change, false) => "bar cost",
    }
}

/// Net profit month by month, with what the drift rules say about it.
#[component]
fn Trend(months: Vec<MonthFigure>) -> impl IntoView {
    let wb = use_workbook();
    let locale = wb.locale_untracked();
    let (low, high) = span(months.iter().map(|m| m.net_profit.0));
    let y = move |cents: i64| 8.0 + (TREND_HEIGHT - 36.0) * (high - cents as f64) / (high - low);
    let slot = (WIDTH - 70.0) / months.len().max(1) as f64;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let v = m.net_profit.0;
            let (top, bottom) = (y(v.max(0)), y(v.min(0)));
            let x = 70.0 + i as f64 * slot + slot * 0.15;
            view! {
                <rect class=if v < 0 { "bar cost" } else { "bar gain" } x=x y=top width=slot * 0.7 height=(bottom - top).max(1.0)>
                    <title>{format!("{}: {}", locale.month(m.month), locale.money(m.net_profit))}</title>
                </rect>
            }
        })
        .collect_view();
    let first = months
        .first()
        .map(|m| locale.month(m.month))
        .unwrap_or_default();
    let last = months
        .last()
        .map(|m| locale.month(m.month))
        .unwrap_or_default();
    let flags = drift::flags(&months);
    let flag_text = move || {
        let lang = wb.lang.get();
        if flags.is_empty() {
            return vec![tr(lang, "detail.no_drift").to_string()];
        }
        flags.iter().map(|f| drift_text(locale, f)).collect()
    };
    let rows = months
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{locale.month(m.month)}</th>
                    <td class="num">{locale.amount(m.net_profit)}</td>
                </tr>
            }
        })
        .collect_view();
    // Axis labels without the currency, as on the other charts: the left margin holds an
    // amount, and "IDR" or "zł" beside it would be cut off.
    let (zero, top_label, bottom_label) = (
        y(0),
        locale.amount(Money(high as i64)),
        locale.amount(Money(low as i64)),
    );
    view! {
        <section class="chart" aria-labelledby="trend-title">
            <h3 id="trend-title">{t("detail.trend")}</h3>
            <ul class="drift" data-testid="detail-drift">
                {move || flag_text().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ul>
            <svg viewBox=format!("0 0 {WIDTH} {TREND_HEIGHT}") role="img" aria-labelledby="trend-title">
                <line class="axis" x1="70" x2=WIDTH y1=zero y2=zero/>
                <text class="tick" x="64" y=y(high as i64) + 4.0 text-anchor="end">{top_label}</text>
                <text class="tick" x="64" y=y(low as i64) + 4.0 text-anchor="end">{bottom_label}</text>
                {bars}
                <text class="tick" x="70" y=TREND_HEIGHT - 6.0>{first}</text>
                <text class="tick" x=WIDTH y=TREND_HEIGHT - 6.0 text-anchor="end">{last}</text>
            </svg>
            <FoldedTable testid="detail-months" caption="detail.trend_caption">
                <tbody>{rows}</tbody>
            </FoldedTable>
        </section>
    }
}

fn drift_text(locale: Locale, flag: &DriftFlag) -> String {
    match flag {
        DriftFlag::CrossedIntoLoss { since } => fill(
            tr(locale.lang, "drift.crossed_into_loss"),
            &[("since", &locale.month(*since))],
        ),
        DriftFlag::ProfitFallingServiceRising { from, to } => fill(
            tr(locale.lang, "drift.profit_falling_service_rising"),
            &[("from", &locale.month(*from)), ("to", &locale.month(*to))],
        ),
    }
}

/// The customers it brought in, and who brought it in.
#[component]
fn Referrals(customer: usize) -> impl IntoView {
    let wb = use_workbook();
    let lang = move || wb.lang.get();
    let label = move |i: u32| {
        wb.model
            .with(|m| format!("{} ({})", m.names[i as usize], m.ids[i as usize]))
    };
    let brought = move || {
        wb.model.with(|m| {
            m.referrals_by(customer)
                .iter()
                .map(|r| (r.referred, r.would_have_come_anyway))
                .collect::<Vec<_>>()
        })
    };
    let brought_by = move || {
        wb.model.with(|m| {
            m.referrals
                .iter()
                .filter(|r| r.referred as usize == customer)
                .map(|r| r.referrer)
                .collect::<Vec<_>>()
        })
    };
    let list = move || {
        let mut items: Vec<String> = brought()
            .into_iter()
            .map(|(j, anyway)| {
                let key = if anyway {
                    "detail.referred_anyway"
                } else {
                    "detail.referred"
                };
                fill(tr(lang(), key), &[("customer", &label(j))])
            })
            .collect();
        items.extend(
            brought_by()
                .into_iter()
                .map(|i| fill(tr(lang(), "detail.referred_by"), &[("customer", &label(i))])),
        );
        if items.is_empty() {
            items.push(tr(lang(), "detail.no_referrals").to_string());
        }
        items
    };
    view! {
        <section aria-labelledby="referrals-title">
            <h3 id="referrals-title">{t("detail.referrals")}</h3>
            <ul data-testid="detail-referrals">
                {move || list().into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
            </ul>
        </section>
    }
}
