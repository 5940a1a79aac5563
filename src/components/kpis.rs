use crate::state::{t, t_n, use_workbook};
use leptos::prelude::*;
use profitbook_engine::i18n::{fill, tr};
use profitbook_engine::money::mul_div_round;

/// The headline figures: total revenue, total net profit, share of customers unprofitable and
/// the whale-curve peak.
#[component]
pub fn Kpis() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    let revenue = move || report.get().map(|r| wb.locale().money(r.totals.revenue));
    let net = move || report.get().map(|r| wb.locale().money(r.totals.net_profit));
    let net_is_loss = move || {
        report
            .get()
            .is_some_and(|r| r.totals.net_profit.is_negative())
    };
    let unprofitable = move || {
        report.get().map(|r| {
            let n = r.lines.len().max(1) as i64;
            wb.locale()
                .percent_bp(mul_div_round(r.unprofitable as i64, 10_000, n))
        })
    };
    let unprofitable_detail = move || {
        report.get().map(|r| {
            let locale = wb.locale();
            fill(
                t_n("kpi.unprofitable_detail", r.lines.len()),
                &[
                    ("count", &locale.integer(r.unprofitable as i64)),
                    ("total", &locale.integer(r.lines.len() as i64)),
                ],
            )
        })
    };
    let peak = move || {
        report.get().map(|r| match r.whale.peak_bp {
            Some(bp) => wb.locale().percent_bp(bp),
            None => tr(wb.lang.get(), "kpi.whale_peak_undefined").to_string(),
        })
    };
    let peak_detail = move || {
        report.get().map(|r| {
            fill(
                t_n("kpi.whale_peak_detail", r.whale.peak_customers),
                &[("count", &wb.locale().integer(r.whale.peak_customers as i64))],
            )
        })
    };
    view! {
        <section class="kpis" aria-label=t("kpi.region_label")>
            <Kpi label=t("kpi.total_revenue") testid="kpi-total-revenue" value=revenue/>
            <div class="kpi" class:loss=net_is_loss>
                <span class="kpi-label">{t("kpi.net_profit")}</span>
                <span class="kpi-value" data-testid="kpi-net-profit">{net}</span>
            </div>
            <Kpi
                label=t("kpi.unprofitable_share")
                testid="kpi-unprofitable-share"
                value=unprofitable
                detail=unprofitable_detail
            />
            <Kpi label=t("kpi.whale_peak") testid="kpi-whale-peak" value=peak detail=peak_detail/>
        </section>
    }
}

/// One headline figure with its label and an optional line of detail.
#[component]
fn Kpi(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    testid: &'static str,
    value: impl Fn() -> Option<String> + Send + Sync + 'static,
    #[prop(optional, into)] detail: Option<Signal<Option<String>>>,
) -> impl IntoView {
    view! {
        <div class="kpi">
            <span class="kpi-label">{label}</span>
            <span class="kpi-value" data-testid=testid>{value}</span>
            {detail.map(|d| view! { <span class="kpi-detail">{move || d.get()}</span> })}
        </div>
    }
}
