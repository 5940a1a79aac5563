//! Prints, as JSON, the figures the page must show for the built-in sample company with the
//! default assumptions, formatted as the page formats them in English: amounts standing alone
//! with the sample's currency (euro), amounts in tables without it. The browser test compares the
//! page with this output: the WebAssembly build must agree with the native engine.

use profitbook_engine::assumptions::Param;
use profitbook_engine::currency::Currency;
use profitbook_engine::drift;
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::{tr, Lang};
use profitbook_engine::money::mul_div_round;
use profitbook_engine::sensitivity::{moves_net_profit, rank, sensitivity_of};
use profitbook_engine::{aggregate, compute, sample, Assumptions, Money, Rates};
use serde_json::json;

fn main() {
    let locale = Locale::new(Lang::En, Currency::Eur);
    let model = aggregate(&sample::sample_company()).model;
    let assumptions = Assumptions::default();
    let rates = Rates::compile(&assumptions, &model).expect("default assumptions are valid");
    let report = compute(&model, &rates, &assumptions.actions);
    let n = report.lines.len().max(1) as i64;
    let order = &report.whale_order().order;
    let rows: Vec<_> = order
        .iter()
        .map(|&i| {
            let l = report
                .lines
                .get(i as usize)
                .expect("a customer of the whale order");
            json!({
                "customer_id": model.ids[i as usize],
                "revenue": locale.amount(l.revenue),
                "gross_margin": locale.amount(l.gross_margin),
                "net_margin": l.margin_bp().map(|bp| locale.percent_bp(bp)),
                "cost_to_serve": locale.amount(l.cost_to_serve),
                "net_profit": locale.amount(l.net_profit),
            })
        })
        .collect();
    // The scenario the browser test sets through the assumptions panel: 12 per ticket.
    let mut dearer_tickets = assumptions.clone();
    Param::CostPerTicket
        .set(&mut dearer_tickets, 12.into())
        .expect("a valid ticket cost");
    let rates12 = Rates::compile(&dearer_tickets, &model).expect("valid assumptions");
    let report12 = compute(&model, &rates12, &dearer_tickets.actions);
    let w = &report.whale;
    let share = |cents: i64| {
        (w.total_profit.0 > 0)
            .then(|| locale.percent_bp(mul_div_round(cents, 10_000, w.total_profit.0)))
    };
    let whale = json!({
        "customers": w.customers,
        "peak_customers": w.peak_customers,
        "peak_profit": locale.money(w.peak_profit),
        "first": {
            "id": model.ids[order[0] as usize],
            "name": model.names[order[0] as usize],
            "cumulative": locale.money(Money(report.whale_order().cumulative[0])),
        },
        "deciles": w.deciles().iter().map(|p| json!({
            "customers": p.customers,
            "cumulative": locale.amount(p.cumulative),
            "share": share(p.cumulative.0),
        })).collect::<Vec<_>>(),
    });
    // An advocate: the first customer who referred another, shown in full in the detail dialog.
    let advocate = model.referrals[0].referrer as usize;
    let lines = report.lines.get(advocate).expect("an advocate");
    let (action, rule) = report.actions[advocate];
    let first_referred = model
        .referrals_by(advocate)
        .iter()
        .find(|r| !r.would_have_come_anyway)
        .map(|r| {
            format!(
                "{} ({})",
                model.names[r.referred as usize], model.ids[r.referred as usize]
            )
        });
    let detail = json!({
        "id": model.ids[advocate],
        "name": model.names[advocate],
        "revenue": locale.amount(lines.revenue),
        "cogs": locale.amount(-lines.cogs),
        "net_profit": locale.amount(lines.net_profit),
        "referral_value": locale.amount(lines.referral_value),
        "total_value": locale.amount(lines.total_value),
        "action": tr(Lang::En, &format!("action.{}", action.key())),
        "why": tr(Lang::En, &format!("rule.{}", rule.key())),
        "referred": first_referred,
    });
    // Every assumption that moves net profit, moved by 10% both ways, largest swing first.
    let share = rust_decimal::Decimal::new(1, 1);
    let sensitivity: Vec<_> = rank(
        Param::all(&assumptions)
            .into_iter()
            .filter(|p| moves_net_profit(*p))
            .filter_map(|p| sensitivity_of(&model, &report, &assumptions, p, share))
            .collect(),
    )
    .iter()
    .map(|s| {
        json!({
            "key": s.param.meta(&assumptions).key,
            "net_low": locale.amount(s.net_profit_low),
            "net_high": locale.amount(s.net_profit_high),
            "swing": locale.amount(s.swing()),
        })
    })
    .collect();
    let drifting = drift::drifting(&model, &rates);
    let crossed = drift::crossings_by_month(&drifting);
    let drift = json!({
        "crossed": crossed.iter().map(|(_, n)| n).sum::<usize>(),
        "by_month": crossed.iter().map(|(m, n)| json!({"month": locale.month(*m), "customers": n})).collect::<Vec<_>>(),
    });
    let figures = json!({
        "drift": drift,
        "sensitivity": sensitivity,
        "detail": detail,
        "whale": whale,
        "unprofitable": report.unprofitable,
        "ticket_cost_12": {
            "unprofitable": report12.unprofitable,
            "net_profit": locale.money(report12.totals.net_profit),
            "unprofitable_share": locale.percent_bp(mul_div_round(report12.unprofitable as i64, 10_000, n)),
        },
        "total_revenue": locale.money(report.totals.revenue),
        "net_profit": locale.money(report.totals.net_profit),
        "unprofitable_share": locale.percent_bp(mul_div_round(report.unprofitable as i64, 10_000, n)),
        "whale_peak": report.whale.peak_bp.map(|bp| locale.percent_bp(bp)),
        "rows": rows,
    });
    println!("{figures:#}");
}
