//! The profitability matrix (Shapiro et al.): each customer's cost to serve against its net
//! margin, both as shares of its revenue, split at the company's own shares into four
//! quadrants. Point size is revenue. A table of the quadrants is the alternative to looking.

use crate::components::chart_parts::{FoldedTable, Plot};
use crate::state::{after_paint, t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::i18n::{fill, tr, tr_n};
use profitbook_engine::views::{
    largest_by_revenue, matrix_points_of, quadrant_summary, MatrixPoint,
};
use profitbook_engine::Report;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 40.0;
const PLOT: Plot = Plot {
    width: WIDTH,
    height: HEIGHT,
    left: LEFT,
    right: RIGHT,
    top: TOP,
    bottom: BOTTOM,
};
/// Points drawn at most: the customers with the most revenue.
const MAX_POINTS: usize = 1_500;

/// The axes' ranges in basis points, between the quantiles `from` and `to` of the points and
/// always with the company's split and zero. Extreme customers (a cost to serve of 900% of a
/// tiny revenue) are left out of the range, so they do not squash everyone else into a corner:
/// they are drawn on the edge, hollow, and counted.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    x: (f64, f64),
    y: (f64, f64),
}

fn range(mut values: Vec<f64>, split: f64, (from, to): (f64, f64)) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| {
        values
            .get(((values.len() as f64 - 1.0) * q) as usize)
            .copied()
    };
    let low = at(from).unwrap_or(split).min(split).min(0.0);
    let high = at(to).unwrap_or(split).max(split).max(0.0);
    let pad = ((high - low) * 0.15).max(200.0);
    (low - pad, high + pad)
}

impl Frame {
    fn of(points: &[MatrixPoint], split: (f64, f64)) -> Frame {
        Frame {
            // Extremes lie at high costs to serve and low margins; the other ends are bounded.
            x: range(
                points.iter().map(|p| p.cost_to_serve_bp as f64).collect(),
                split.0,
                (0.0, 0.9),
            ),
            y: range(
                points.iter().map(|p| p.margin_bp as f64).collect(),
                split.1,
                (0.1, 1.0),
            ),
        }
    }
    fn px(&self, bp: f64) -> f64 {
        let share = ((bp - self.x.0) / (self.x.1 - self.x.0)).clamp(0.0, 1.0);
        LEFT + (WIDTH - LEFT - RIGHT) * share
    }
    fn contains(&self, p: &MatrixPoint) -> bool {
        let (x, y) = (p.cost_to_serve_bp as f64, p.margin_bp as f64);
        (self.x.0..=self.x.1).contains(&x) && (self.y.0..=self.y.1).contains(&y)
    }
    fn py(&self, bp: f64) -> f64 {
        let share = ((self.y.1 - bp) / (self.y.1 - self.y.0)).clamp(0.0, 1.0);
        TOP + (HEIGHT - TOP - BOTTOM) * share
    }
}

/// Round ticks in basis points across `range`: steps of 5, 10, 25, 50 or 100 percentage points.
fn ticks((low, high): (f64, f64)) -> Vec<f64> {
    let span = high - low;
    let step = [500.0, 1_000.0, 2_500.0, 5_000.0, 10_000.0, 50_000.0]
        .into_iter()
        .find(|s| span / s <= 8.0)
        .unwrap_or(100_000.0);
    let first = (low / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

#[component]
pub fn MatrixChart() -> impl IntoView {
    let wb = use_workbook();
    // Its 1,500 points are redrawn after the headline figures have been painted. The model and
    // its report follow together: customer numbers mean nothing in another model.
    let shown = after_paint(Memo::new(move |_| (wb.model.get(), wb.report.get())));
    let model = Memo::new(move |_| shown.with(|(m, _)| m.clone()));
    let report = Memo::new(move |_| shown.with(|(_, r)| r.clone()));
    // Which customers: sorted once per model, not on every slider move.
    let customers = Memo::new(move |_| {
        model.with(|m| {
            let revenue: Vec<i64> = m.drivers.iter().map(|d| d.revenue).collect();
            largest_by_revenue(&revenue, MAX_POINTS)
        })
    });
    let points = Memo::new(move |_| {
        customers.with(|c| {
            report
                .with(|r| r.as_ref().map(|r| matrix_points_of(r, c)))
                .unwrap_or_default()
        })
    });
    let splits = move || {
        report.with(|r| {
            r.as_ref().map(|r: &crate::state::Shared<Report>| {
                (
                    r.totals.cost_to_serve_bp().unwrap_or(0),
                    r.totals.margin_bp().unwrap_or(0),
                )
            })
        })
    };
    let drawing = move || {
        let lang = wb.lang.get();
        let locale = wb.locale();
        let (cost_split, margin_split) = splits()?;
        let pts = points.get();
        let frame = Frame::of(&pts, (cost_split as f64, margin_split as f64));
        let biggest = pts.first().map_or(1.0, |p| p.revenue.0.max(1) as f64);
        let grid_x = ticks(frame.x)
            .into_iter()
            .map(|v| {
                let x = frame.px(v);
                view! {
                    <line class="grid" x1=x x2=x y1=TOP y2=HEIGHT - BOTTOM/>
                    <text class="tick" x=x y=HEIGHT - BOTTOM + 14.0 text-anchor="middle">{locale.percent_bp(v as i64)}</text>
                }
            })
            .collect_view();
        let grid_y = ticks(frame.y)
            .into_iter()
            .map(|v| {
                let y = frame.py(v);
                view! {
                    <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
                    <text class="tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{locale.percent_bp(v as i64)}</text>
                }
            })
            .collect_view();
        let (sx, sy) = (frame.px(cost_split as f64), frame.py(margin_split as f64));
        let dots = model.with(|m| {
            pts.iter()
                .rev() // the largest drawn last, on top
                .map(|p| {
                    let r = 2.0 + 9.0 * (p.revenue.0 as f64 / biggest).sqrt();
                    let c = p.customer as usize;
                    let title = fill(
                        tr(lang, "chart.matrix.point"),
                        &[
                            ("name", &m.names[c]),
                            ("id", &m.ids[c]),
                            ("cost", &locale.percent_bp(p.cost_to_serve_bp)),
                            ("margin", &locale.percent_bp(p.margin_bp)),
                            ("revenue", &locale.money(p.revenue)),
                        ],
                    );
                    let class = match (p.margin_bp < 0, frame.contains(p)) {
                        (true, true) => "dot loss",
                        (false, true) => "dot",
                        (true, false) => "dot loss clipped",
                        (false, false) => "dot clipped",
                    };
                    view! {
                        <circle
                            class=class
                            cx=frame.px(p.cost_to_serve_bp as f64)
                            cy=frame.py(p.margin_bp as f64)
                            r=r
                            data-customer=c
                        >
                            <title>{title}</title>
                        </circle>
                    }
                })
                .collect_view()
        });
        let corner = |key: &'static str, x: f64, y: f64, anchor: &'static str| {
            view! { <text class="quadrant-label" x=x y=y text-anchor=anchor>{tr(lang, key)}</text> }
        };
        Some(view! {
            {grid_x}
            {grid_y}
            <line class="total" x1=sx x2=sx y1=TOP y2=HEIGHT - BOTTOM/>
            <line class="total" x1=LEFT x2=WIDTH - RIGHT y1=sy y2=sy/>
            {dots}
            {corner("quadrant.high_margin_low_cost", LEFT + 6.0, TOP + 14.0, "start")}
            {corner("quadrant.high_margin_high_cost", WIDTH - RIGHT - 6.0, TOP + 14.0, "end")}
            {corner("quadrant.low_margin_low_cost", LEFT + 6.0, HEIGHT - BOTTOM - 8.0, "start")}
            {corner("quadrant.low_margin_high_cost", WIDTH - RIGHT - 6.0, HEIGHT - BOTTOM - 8.0, "end")}
            {PLOT.axis_labels(tr(lang, "chart.matrix.x_axis"), tr(lang, "chart.matrix.y_axis"))}
        })
    };
    let shown_note = move || {
        let n = points.with(Vec::len);
        let all = report.with(|r| r.as_ref().map_or(0, |r| r.lines.len()));
        let beyond = splits().map_or(0, |(cost, margin)| {
            points.with(|pts| {
                let frame = Frame::of(pts, (cost as f64, margin as f64));
                pts.iter().filter(|p| !frame.contains(p)).count()
            })
        });
        let locale = wb.locale();
        let mut note = fill(
            tr_n(locale.lang, "chart.matrix.shown", n as u64),
            &[
                ("shown", &locale.integer(n as i64)),
                ("total", &locale.integer(all as i64)),
            ],
        );
        if beyond > 0 {
            note.push(' ');
            note.push_str(&fill(
                tr_n(locale.lang, "chart.matrix.beyond", beyond as u64),
                &[("count", &locale.integer(beyond as i64))],
            ));
        }
        note
    };
    let rows = move || {
        let lang = wb.lang.get();
        let locale = wb.locale();
        let r = report.get()?;
        Some(
            quadrant_summary(&r)
                .into_iter()
                .map(|q| {
                    view! {
                        <tr>
                            <th scope="row">{tr(lang, &format!("quadrant.{}", q.quadrant.key()))}</th>
                            <td class="num">{q.customers}</td>
                            <td class="num">{locale.amount(q.revenue)}</td>
                            <td class="num">{locale.amount(q.net_profit)}</td>
                        </tr>
                    }
                })
                .collect_view(),
        )
    };
    // One listener for every point (they are redrawn on each move): the point clicked names its
    // customer.
    let open_clicked = move |ev: web_sys::MouseEvent| {
        let customer = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.get_attribute("data-customer"))
            .and_then(|c| c.parse::<usize>().ok());
        if let Some(c) = customer {
            wb.detail.set(Some(c));
        }
    };
    view! {
        <section class="chart matrix" data-testid="profitability-matrix" aria-labelledby="matrix-title">
            <h2 id="matrix-title">{t("chart.matrix.title")}</h2>
            <p class="chart-caption">{t("chart.matrix.caption")} " " {shown_note}</p>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby="matrix-title"
                on:click=open_clicked
            >
                {drawing}
            </svg>
            <FoldedTable testid="matrix-table" caption="chart.matrix.table_caption">
                <thead>
                    <tr>
                        <th scope="col">{t("col.quadrant")}</th>
                        <th scope="col" class="num">{t("chart.whale.col_customers")}</th>
                        <th scope="col" class="num">{t("col.revenue")}</th>
                        <th scope="col" class="num">{t("col.net_profit")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </FoldedTable>
        </section>
    }
}
