//! The whale curve (Cooper and Kaplan): cumulative net profit as customers are added, most
//! profitable first. It rises above total profit while profitable customers are added, peaks,
//! and falls back to the total as the loss-makers give profit away.
//!
//! An SVG of our own: one path of a few hundred points, axes, the peak and the total. Pointing
//! at the curve, or focusing it and using the arrow keys, reads out any customer on it; a table
//! of the curve at each tenth of the customers is the alternative to looking.

use crate::components::chart_parts::{FoldedTable, Plot};
use crate::state::{t, use_workbook};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::{fill, tr, tr_n};
use profitbook_engine::money::mul_div_round;
use profitbook_engine::views::{tick_step, CurvePoint, Whale};
use profitbook_engine::{Model, Money, Report};

/// The drawing's coordinate system (the SVG viewBox); the page scales it to its width.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 300.0;
/// Room for the axis labels.
const LEFT: f64 = 92.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;
/// How far apart two labels' baselines must be not to overlap (a label is about 12 high).
const LABEL_CLEARANCE: f64 = 18.0;
const PLOT: Plot = Plot {
    width: WIDTH,
    height: HEIGHT,
    left: LEFT,
    right: RIGHT,
    top: TOP,
    bottom: BOTTOM,
};

/// Where the curve's figures land on the drawing: customers along x, cents along y.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    customers: usize,
    low: i64,
    high: i64,
    /// Distance between two y-axis ticks, in cents.
    tick: i64,
}

impl Frame {
    /// A frame from zero to the peak, down to the lowest point, with round ticks.
    fn of(whale: &Whale) -> Frame {
        let lowest = whale.lowest();
        let highest = whale.peak_profit.0.max(0);
        let tick = tick_step(highest - lowest, 4);
        Frame {
            customers: whale.customers.max(1),
            low: lowest.div_euclid(tick).saturating_mul(tick),
            high: highest
                .div_euclid(tick)
                .saturating_mul(tick)
                .saturating_add(tick),
            tick,
        }
    }
    fn x(&self, customers: usize) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * customers as f64 / self.customers as f64
    }
    fn y(&self, cents: i64) -> f64 {
        let (high, low) = (self.high as f64, self.low as f64);
        TOP + (HEIGHT - TOP - BOTTOM) * (high - cents as f64) / (high - low)
    }
    /// The customer count nearest to `x` on the drawing, 1 or more.
    fn customers_at(&self, x: f64) -> usize {
        let share = ((x - LEFT) / (WIDTH - LEFT - RIGHT)).clamp(0.0, 1.0);
        ((share * self.customers as f64).round() as usize).clamp(1, self.customers)
    }
    fn y_ticks(&self) -> impl Iterator<Item = i64> + '_ {
        (0..)
            .map(move |k: i64| self.low.saturating_add(k.saturating_mul(self.tick)))
            .take_while(move |v| *v < self.high)
            .chain(std::iter::once(self.high))
    }
}

/// The SVG path through the curve's points, from the origin.
fn path(frame: &Frame, points: &[CurvePoint]) -> String {
    let mut d = format!("M{:.1},{:.1}", frame.x(0), frame.y(0));
    for p in points {
        d.push_str(&format!(
            " L{:.1},{:.1}",
            frame.x(p.customers),
            frame.y(p.cumulative.0)
        ));
    }
    d
}

/// Cumulative profit as a share of total profit, or `None` when the total is not positive.
fn share_of_total(cumulative: Money, total: Money) -> Option<i64> {
    (total.0 > 0).then(|| mul_div_round(cumulative.0, 10_000, total.0))
}

/// The readout for the curve after the top `customers` customers.
fn readout(locale: Locale, model: &Model, report: &Report, customers: usize) -> String {
    let lang = locale.lang;
    let (whale, everyone) = (&report.whale, report.whale_order());
    let customer = everyone.order[customers - 1] as usize;
    let cumulative = Money(everyone.cumulative[customers - 1]);
    let share = share_of_total(cumulative, whale.total_profit).map_or_else(
        || tr(lang, "table.no_revenue").to_string(),
        |bp| locale.percent_bp(bp),
    );
    fill(
        tr(lang, "chart.whale.readout"),
        &[
            ("name", &model.names[customer]),
            ("id", &model.ids[customer]),
            ("rank", &locale.integer(customers as i64)),
            ("total", &locale.integer(whale.customers as i64)),
            ("value", &locale.money(cumulative)),
            ("share", &share),
        ],
    )
}

/// The whale curve with its axes, the peak, the total, a readout and a table alternative.
#[component]
pub fn WhaleChart() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    // The point read out: customers counted from the most profitable.
    let selected = RwSignal::new(None::<usize>);
    let count = move || report.with(|r| r.as_ref().map_or(0, |r| r.whale.customers));
    let frame = Memo::new(move |_| report.with(|r| r.as_ref().map(|r| Frame::of(&r.whale))));
    let drawing = move || {
        let lang = wb.lang.get();
        let locale = wb.locale();
        let (frame, r) = (frame.get()?, report.get()?);
        let w = &r.whale;
        if w.customers == 0 {
            return None;
        }
        let curve = path(&frame, &w.curve());
        let y_ticks = frame
            .y_ticks()
            .map(|v| {
                let y = frame.y(v);
                view! {
                    <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
                    <text class="tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">
                        {locale.scaled(v, 2, 0)}
                    </text>
                }
            })
            .collect_view();
        let x_ticks = [0usize, 25, 50, 75, 100]
            .map(|pct| {
                let x = LEFT + (WIDTH - LEFT - RIGHT) * pct as f64 / 100.0;
                view! {
                    <text class="tick" x=x y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">
                        {format!("{pct}%")}
                    </text>
                }
            })
            .into_iter()
            .collect_view();
        let (peak_x, peak_y) = (frame.x(w.peak_customers), frame.y(w.peak_profit.0));
        let total_y = frame.y(w.total_profit.0);
        let peak_on_right = peak_x > (LEFT + WIDTH) / 2.0;
        // The total's label sits above its line at the right end. When the peak's label is
        // about as high (the peak is at or near the total), it moves out of the peak label's
        // way to where the curve is not: to the left end when the peak is on the right (the
        // curve rises to the peak from below the line), or below the line at the right end
        // when the peak is on the left (the curve falls back to the total from above).
        let (total_x, total_anchor, total_label_y) =
            match ((peak_y - total_y).abs() < LABEL_CLEARANCE, peak_on_right) {
                (true, true) => (LEFT + 4.0, "start", total_y - 6.0),
                (true, false) => (
                    WIDTH - RIGHT - 4.0,
                    "end",
                    (total_y + LABEL_CLEARANCE).min(HEIGHT - BOTTOM - 4.0),
                ),
                (false, _) => (WIDTH - RIGHT - 4.0, "end", total_y - 6.0),
            };
        let peak_label = fill(
            tr_n(lang, "chart.whale.peak", w.peak_customers as u64),
            &[
                ("value", &locale.money(w.peak_profit)),
                ("count", &locale.integer(w.peak_customers as i64)),
            ],
        );
        let total_label = fill(
            tr(lang, "chart.whale.total"),
            &[("value", &locale.money(w.total_profit))],
        );
        Some(view! {
            {y_ticks}
            {x_ticks}
            <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=frame.y(0) y2=frame.y(0)/>
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM/>
            <line class="total" x1=LEFT x2=WIDTH - RIGHT y1=total_y y2=total_y/>
            <text
                class="note"
                x=total_x
                y=total_label_y
                text-anchor=total_anchor
                data-testid="whale-total-label"
            >
                {total_label}
            </text>
            <path class="curve" d=curve data-testid="whale-path"/>
            <circle class="peak" cx=peak_x cy=peak_y r="4"/>
            // Beside the peak, on the side with room for it.
            <text
                class="note"
                x=if peak_on_right { peak_x - 8.0 } else { peak_x + 8.0 }
                y=peak_y - 8.0
                text-anchor=if peak_on_right { "end" } else { "start" }
                data-testid="whale-peak-label"
            >
                {peak_label}
            </text>
            {PLOT.axis_labels(tr(lang, "chart.whale.x_axis"), tr(lang, "chart.whale.y_axis"))}
        })
    };
    let marker = move || {
        let (frame, r, k) = (frame.get()?, report.get()?, selected.get()?);
        let k = k.min(r.whale.customers);
        (k > 0).then(|| {
            let (x, y) = (frame.x(k), frame.y(r.whale_order().cumulative[k - 1]));
            view! {
                <line class="guide" x1=x x2=x y1=TOP y2=HEIGHT - BOTTOM/>
                <circle class="selected" cx=x cy=y r="5"/>
            }
        })
    };
    let readout_text = move || {
        let lang = wb.lang.get();
        match (selected.get(), report.get()) {
            (Some(k), Some(r)) if k >= 1 && k <= r.whale.customers => {
                wb.model.with(|m| readout(wb.locale(), m, &r, k))
            }
            _ => tr(lang, "chart.whale.hint").to_string(),
        }
    };
    let point_at = move |ev: web_sys::PointerEvent| {
        let Some(frame) = frame.get_untracked() else {
            return;
        };
        // Measured against the whole drawing (the listener's element), not the line or text
        // under the pointer.
        let Some(svg) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        if rect.width() > 0.0 {
            let x = (ev.client_x() as f64 - rect.left()) * WIDTH / rect.width();
            selected.set(Some(frame.customers_at(x)));
        }
    };
    let step_keys = move |ev: web_sys::KeyboardEvent| {
        let n = count();
        if n == 0 {
            return;
        }
        let now = selected.get_untracked().unwrap_or(0);
        let big = (n / 10).max(1);
        let small = (n / 100).max(1);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => now.saturating_add(small),
            "ArrowLeft" | "ArrowDown" => now.saturating_sub(small),
            "PageUp" => now.saturating_add(big),
            "PageDown" => now.saturating_sub(big),
            "Home" => 1,
            "End" => n,
            _ => return,
        };
        ev.prevent_default();
        selected.set(Some(next.clamp(1, n)));
    };
    view! {
        <section class="chart whale" data-testid="whale-curve" aria-labelledby="whale-title">
            <h2 id="whale-title">{t("chart.whale.title")}</h2>
            <p class="chart-caption">{t("chart.whale.caption")}</p>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="slider"
                tabindex="0"
                aria-label=t("chart.whale.control")
                aria-valuemin="1"
                aria-valuemax=move || count().to_string()
                aria-valuenow=move || selected.get().unwrap_or(0).to_string()
                aria-valuetext=readout_text
                on:pointermove=point_at
                on:keydown=step_keys
            >
                {drawing}
                {marker}
            </svg>
            <p class="chart-readout" aria-live="polite" data-testid="whale-readout">{readout_text}</p>
            <WhaleTable/>
        </section>
    }
}

/// The curve after each tenth of the customers, for those who would rather read than look.
#[component]
fn WhaleTable() -> impl IntoView {
    let wb = use_workbook();
    let rows = move || {
        let lang = wb.lang.get();
        let locale = wb.locale();
        let r = wb.report.get()?;
        let w = &r.whale;
        let n = w.customers;
        Some(
            w.deciles()
                .into_iter()
                .map(|p| {
                    let share = share_of_total(p.cumulative, w.total_profit).map_or_else(
                        || tr(lang, "table.no_revenue").to_string(),
                        |bp| locale.percent_bp(bp),
                    );
                    let top =
                        locale.percent_bp(mul_div_round(p.customers as i64, 10_000, n as i64));
                    view! {
                        <tr>
                            <td class="num">{top}</td>
                            <td class="num">{locale.integer(p.customers as i64)}</td>
                            <td class="num">{locale.amount(p.cumulative)}</td>
                            <td class="num">{share}</td>
                        </tr>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <FoldedTable testid="whale-table" caption="chart.whale.table_caption">
            <thead>
                <tr>
                    <th scope="col" class="num">{t("chart.whale.col_top")}</th>
                    <th scope="col" class="num">{t("chart.whale.col_customers")}</th>
                    <th scope="col" class="num">{t("chart.whale.col_cumulative")}</th>
                    <th scope="col" class="num">{t("chart.whale.col_share")}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </FoldedTable>
    }
}
