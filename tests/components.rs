//! Component tests in headless Chromium (wasm-bindgen-test): components mounted on a small
//! company whose figures are worked out by hand, and their reaction to an assumption change.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use profitbook::components::kpis::Kpis;
use profitbook::import_state::DataSource;
use profitbook::state::Workbook;
use profitbook_engine::assumptions::Param;
use profitbook_engine::currency::Currency;
use profitbook_engine::date::Date;
use profitbook_engine::facts::{Customer, Dataset, Invoice, TimeEntry};
use profitbook_engine::i18n::Lang;
use profitbook_engine::{aggregate, Money};
use rust_decimal::Decimal;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Two customers, default assumptions (commission 3%, support 45/h, equipment 6/h):
/// A: revenue 1,000, cost 600, paid on the day: net 400 - 30 commission = 370.00.
/// B: revenue 200, cost 150, 2 h of support: gross 50 - (6 commission + 90 service
///    + 12 equipment) = -58.00.
///
/// Totals: revenue 1,200.00, net 312.00; 1 of 2 unprofitable = 50.0%; whale peak 370 / 312 = 118.59% -> 118.6%.
fn two_customers() -> Workbook {
    let day = Date::new(2025, 3, 10).unwrap();
    let customer = |id: &str| Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        attributes: vec![],
        acquired_on: None,
        acquisition_cost: None,
    };
    let invoice = |id: &str, amount: i64, cost: i64| Invoice {
        customer_id: id.into(),
        number: format!("{id}-1"),
        date: day,
        amount: Money(amount),
        discount: Money::ZERO,
        cost: Some(Money(cost)),
        due: Some(day),
        paid: Some(day),
    };
    let data = Dataset {
        as_of: Some(day),
        attribute_names: vec![],
        customers: vec![customer("A"), customer("B")],
        invoices: vec![invoice("A", 100_000, 60_000), invoice("B", 20_000, 15_000)],
        time_entries: vec![TimeEntry {
            customer_id: "B".into(),
            date: day,
            role: "support".into(),
            activity: "ticket".into(),
            hours_milli: 2_000,
        }],
        activities: vec![],
        referrals: vec![],
    };
    Workbook::new(aggregate(&data).model, DataSource::Empty)
}

fn text_of(testid: &str) -> String {
    document()
        .query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid {testid}"))
        .text_content()
        .unwrap_or_default()
}

/// Lets Leptos run the effects that update the DOM.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
async fn headline_figures_follow_the_assumptions() {
    // The workbook is made inside the mounted app: it starts effects (undo watches the
    // assumptions), which need the app's reactive owner and task executor.
    let made = std::rc::Rc::new(std::cell::Cell::new(None::<Workbook>));
    let keep = made.clone();
    mount_to_body(move || {
        let workbook = two_customers();
        keep.set(Some(workbook));
        provide_context(workbook);
        view! { <Kpis/> }
    });
    settle().await;
    let workbook = made.get().expect("the app made its workbook");
    // Amounts standing alone carry the workbook's currency (euro by default).
    assert_eq!(text_of("kpi-total-revenue"), "€1,200.00");
    assert_eq!(text_of("kpi-net-profit"), "€312.00");
    assert_eq!(text_of("kpi-unprofitable-share"), "50.0%");
    assert_eq!(text_of("kpi-whale-peak"), "118.6%");

    // Support time free: B's cost to serve is 6 commission + 12 equipment = 18, net 32.00;
    // total 370 + 32 = 402.00, nobody unprofitable, peak 402 / 402 = 100.0%.
    let support = workbook
        .assumptions
        .with_untracked(|a| a.roles.iter().position(|r| r.role == "support"))
        .unwrap();
    workbook.assumptions.update(|a| {
        Param::RoleRate(support).set(a, Decimal::ZERO).unwrap();
    });
    settle().await;
    assert_eq!(text_of("kpi-net-profit"), "€402.00");
    assert_eq!(text_of("kpi-unprofitable-share"), "0.0%");
    assert_eq!(text_of("kpi-whale-peak"), "100.0%");

    // In Polish with złoty: a decimal comma, the currency after the amount, and four-digit
    // amounts left whole (CLDR's minimum grouping): 1200,00 zł.
    workbook.lang.set(Lang::Pl);
    workbook.currency.set(Currency::Pln);
    settle().await;
    assert_eq!(text_of("kpi-total-revenue"), "1200,00\u{a0}zł");
    assert_eq!(text_of("kpi-net-profit"), "402,00\u{a0}zł");
    assert_eq!(text_of("kpi-whale-peak"), "100,0%");
}
