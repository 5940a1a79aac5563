use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::format::{money, percent_bp, NumberStyle};
use profitbook_engine::i18n::{fill, tr};
use profitbook_engine::money::mul_div_round;

/// The headline figures: total revenue, total net profit, share of customers unprofitable and
/// the whale-curve peak.
#[component]
pub fn Kpis() -> impl IntoView {
    let wb = use_workbook();
    let report = wb.report;
    let style = NumberStyle::ENGLISH;
    let revenue = move || report.get().map(|r| money(r.totals.revenue, style));
    let net = move || report.get().map(|r| money(r.totals.net_profit, style));
    let net_is_loss = move || {
        report
            .get()
            .is_some_and(|r| r.totals.net_profit.is_negative())
    };
    let unprofitable = move || {
        report.get().map(|r| {
            let n = r.lines.len().max(1) as i64;
            percent_bp(mul_div_round(r.unprofitable as i64, 10_000, n), style)
        })
    };
    let unprofitable_detail = move || {
        report.get().map(|r| {
            fill(
                tr(wb.lang.get(), "kpi.unprofitable_detail"),
                &[
                    ("count", &r.unprofitable.to_string()),
                    ("total", &r.lines.len().to_string()),
                ],
            )
        })
    };
    let peak = move || {
        report.get().map(|r| match r.whale.peak_bp {
            Some(bp) => percent_bp(bp, style),
            None => tr(wb.lang.get(), "kpi.whale_peak_undefined").to_string(),
        })
    };
    let peak_detail = move || {
        report.get().map(|r| {
            fill(
                tr(wb.lang.get(), "kpi.whale_peak_detail"),
                &[("count", &r.whale.peak_customers.to_string())],
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
