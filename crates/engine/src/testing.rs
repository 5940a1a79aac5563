//! Small companies the unit tests build by hand, so each test shows only what it varies.

use crate::assumptions::Assumptions;
use crate::drivers::{DriverRow, Model, COST_UNKNOWN, NOT_ACQUIRED};
use crate::facts::ActivityKind;
use rust_decimal::Decimal;

/// Customers with these ids (their names too) and driver totals, none acquired in the window.
pub(crate) fn model_of(ids: &[&str], drivers: Vec<DriverRow>) -> Model {
    let n = ids.len();
    let mut model = Model {
        ids: ids.iter().map(|s| s.to_string()).collect(),
        names: ids.iter().map(|s| s.to_string()).collect(),
        acquired: vec![NOT_ACQUIRED; n],
        acquisition_cost: vec![COST_UNKNOWN; n],
        drivers,
        ..Model::default()
    };
    model.bounds = model.driver_bounds();
    model
}

/// A customer's drivers: revenue in cents and support tickets, nothing else.
pub(crate) fn revenue_and_tickets(revenue: i64, tickets: u32) -> DriverRow {
    let mut row = DriverRow {
        revenue,
        ..DriverRow::default()
    };
    row.counts[ActivityKind::Ticket.index()] = tickets;
    row
}

/// Customers A and B with revenue 1,000.00 each, and 30 and 50 support tickets.
pub(crate) fn two_ticket_customers() -> Model {
    model_of(
        &["A", "B"],
        vec![
            revenue_and_tickets(100_000, 30),
            revenue_and_tickets(100_000, 50),
        ],
    )
}

/// The default assumptions without commission.
pub(crate) fn no_commission() -> Assumptions {
    let mut a = Assumptions::default();
    a.commission.default_rate = Decimal::ZERO;
    a
}

/// The report of `model` under the default assumptions without commission.
pub(crate) fn report_of(model: &Model) -> crate::compute::Report {
    let a = no_commission();
    let rates = crate::assumptions::Rates::compile(&a, model).expect("valid assumptions");
    crate::compute::compute(model, &rates, &a.actions)
}

/// The built-in sample company, aggregated.
pub(crate) fn sample_model() -> Model {
    crate::drivers::aggregate(&crate::sample::sample_company()).model
}

/// The fields of one CSV row separated by commas, quotes undone.
pub(crate) fn csv_cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}
