//! Sensitivity: every assumption that changes net profit, moved down and up by a share the
//! person sets (10% to start), ranked by its effect on total net profit and drawn as a tornado.
//! Computed on request, one assumption at a time with the page painting in between, since a
//! million customers take a moment per assumption.

use crate::components::assumptions_panel::label;
use crate::components::chart_parts::FoldedTable;
use crate::state::{t, use_workbook};
use leptos::prelude::*;
use leptos::task::spawn_local;
use profitbook_engine::assumptions::{from_display, to_display, Assumptions, Param, Unit};
use profitbook_engine::i18n::{fill, tr};
use profitbook_engine::sensitivity::{moves_net_profit, rank, sensitivity_of, Sensitivity};
use profitbook_engine::Money;
use rust_decimal::Decimal;

const WIDTH: f64 = 720.0;
const LABEL: f64 = 330.0;
const ROW: f64 = 24.0;

/// A finished ranking, with what it was computed from.
#[derive(Clone, Debug, PartialEq)]
struct Ranking {
    assumptions: Assumptions,
    share: Decimal,
    base: Money,
    rows: Vec<Sensitivity>,
}

/// The label of an assumption, with its role or age bucket.
fn param_label(lang: profitbook_engine::i18n::Lang, a: &Assumptions, p: Param) -> String {
    let role = match p {
        Param::RoleRate(i) => a.roles.get(i).map(|r| r.role.as_str()),
        _ => None,
    };
    label(lang, p, p.meta(a).key, role)
}

#[component]
pub fn Tornado() -> impl IntoView {
    let wb = use_workbook();
    let share_text = RwSignal::new("10".to_string());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let ranking = RwSignal::new(None::<Ranking>);
    let error = RwSignal::new(None::<String>);
    let lang = move || wb.lang.get();
    let run = move |_| {
        let Ok(share) = from_display(Unit::Percent, &share_text.get_untracked())
            .map_err(|_| ())
            .and_then(|s| {
                if s > Decimal::ZERO && s < Decimal::ONE {
                    Ok(s)
                } else {
                    Err(())
                }
            })
        else {
            error.set(Some(tr(lang(), "sensitivity.bad_share").to_string()));
            return;
        };
        error.set(None);
        let (Some(base), a) = (wb.report.get_untracked(), wb.assumptions.get_untracked()) else {
            return;
        };
        let model = wb.model.get_untracked();
        let params: Vec<Param> = Param::all(&a)
            .into_iter()
            .filter(|p| moves_net_profit(*p))
            .collect();
        let total = params.len();
        progress.set(Some((0, total)));
        spawn_local(async move {
            let mut rows = Vec::with_capacity(total);
            for (done, p) in params.into_iter().enumerate() {
                // Let the page paint the progress bar before each assumption's two recomputes.
                gloo_timers::future::TimeoutFuture::new(0).await;
                rows.extend(sensitivity_of(&model, &base, &a, p, share));
                progress.set(Some((done + 1, total)));
            }
            ranking.set(Some(Ranking {
                base: base.totals.net_profit,
                assumptions: a,
                share,
                rows: rank(rows),
            }));
            progress.set(None);
        });
    };
    let stale = move || {
        ranking.with(|r| {
            r.as_ref()
                .is_some_and(|r| wb.assumptions.with(|a| *a != r.assumptions))
        })
    };
    let chart = move || {
        let r = ranking.get()?;
        let locale = wb.locale();
        let lang = locale.lang;
        let (low, high) = r.rows.iter().fold((r.base.0, r.base.0), |(lo, hi), s| {
            (
                lo.min(s.net_profit_low.0.min(s.net_profit_high.0)),
                hi.max(s.net_profit_low.0.max(s.net_profit_high.0)),
            )
        });
        let span = ((high - low) as f64).max(1.0);
        let x = move |cents: i64| LABEL + (WIDTH - LABEL - 16.0) * (cents - low) as f64 / span;
        let height = r.rows.len() as f64 * ROW + 30.0;
        let base_x = x(r.base.0);
        let bars = r
            .rows
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let y = 4.0 + i as f64 * ROW;
                let name = param_label(lang, &r.assumptions, s.param);
                // The part below today's profit in the loss colour, the part above in green.
                let (lo, hi) = (
                    s.net_profit_low.0.min(s.net_profit_high.0),
                    s.net_profit_low.0.max(s.net_profit_high.0),
                );
                let title = fill(
                    tr(lang, "sensitivity.bar"),
                    &[
                        ("name", &name),
                        ("low", &locale.decimal(to_display(s.param.meta(&r.assumptions).unit, s.low))),
                        ("high", &locale.decimal(to_display(s.param.meta(&r.assumptions).unit, s.high))),
                        ("net_low", &locale.money(s.net_profit_low)),
                        ("net_high", &locale.money(s.net_profit_high)),
                    ],
                );
                view! {
                    <text class="tick" x=LABEL - 8.0 y=y + ROW * 0.65 text-anchor="end">{name}</text>
                    <rect class="bar cost" x=x(lo) y=y + 4.0 width=(base_x - x(lo)).max(0.0) height=ROW - 8.0>
                        <title>{title.clone()}</title>
                    </rect>
                    <rect class="bar gain" x=base_x y=y + 4.0 width=(x(hi) - base_x).max(0.0) height=ROW - 8.0>
                        <title>{title}</title>
                    </rect>
                }
            })
            .collect_view();
        Some(view! {
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby="tornado-title">
                {bars}
                <line class="axis" x1=base_x x2=base_x y1="0" y2=height - 22.0/>
                <text class="tick" x=base_x y=height - 6.0 text-anchor="middle">
                    {fill(tr(lang, "sensitivity.today"), &[("value", &locale.money(r.base))])}
                </text>
            </svg>
        })
    };
    let rows = move || {
        let r = ranking.get()?;
        let locale = wb.locale();
        let lang = locale.lang;
        Some(
            r.rows
                .iter()
                .map(|s| {
                    let unit = s.param.meta(&r.assumptions).unit;
                    view! {
                        <tr>
                            <th scope="row">{param_label(lang, &r.assumptions, s.param)}</th>
                            <td class="num">{locale.decimal(to_display(unit, s.low))}</td>
                            <td class="num">{locale.amount(s.net_profit_low)}</td>
                            <td class="num">{locale.decimal(to_display(unit, s.high))}</td>
                            <td class="num">{locale.amount(s.net_profit_high)}</td>
                            <td class="num">{locale.amount(s.swing())}</td>
                        </tr>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <section class="chart tornado" data-testid="tornado" aria-labelledby="tornado-title">
            <h2 id="tornado-title">{t("sensitivity.title")}</h2>
            <p class="chart-caption">{t("sensitivity.caption")}</p>
            <div class="table-controls">
                <label class="field">
                    <span>{t("sensitivity.share")}</span>
                    <span class="with-unit">
                        <input
                            type="text"
                            inputmode="decimal"
                            data-testid="sensitivity-share"
                            prop:value=move || share_text.get()
                            on:input=move |ev| share_text.set(event_target_value(&ev))
                        />
                        "%"
                    </span>
                </label>
                <button type="button" class="action" data-testid="sensitivity-run" on:click=run disabled=move || progress.get().is_some()>
                    {t("sensitivity.run")}
                </button>
                {move || {
                    progress.get().map(|(done, total)| {
                        view! {
                            <progress data-testid="sensitivity-progress" max=total value=done aria-label=t("sensitivity.progress")></progress>
                        }
                    })
                }}
            </div>
            <p class="errors" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <Show when=stale>
                <p class="note" data-testid="sensitivity-stale">{t("sensitivity.stale")}</p>
            </Show>
            {chart}
            <Show when=move || ranking.with(Option::is_some)>
                <FoldedTable testid="sensitivity-table" caption="sensitivity.table_caption">
                    <thead>
                        <tr>
                            <th scope="col">{t("sensitivity.col_assumption")}</th>
                            <th scope="col" class="num">{t("sensitivity.col_low")}</th>
                            <th scope="col" class="num">{t("sensitivity.col_net_low")}</th>
                            <th scope="col" class="num">{t("sensitivity.col_high")}</th>
                            <th scope="col" class="num">{t("sensitivity.col_net_high")}</th>
                            <th scope="col" class="num">{t("sensitivity.col_swing")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </FoldedTable>
            </Show>
        </section>
    }
}
