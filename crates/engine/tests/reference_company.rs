//! A company of four customers worked out by hand, every line of the model.
//!
//! Assumptions (chosen so the arithmetic is readable):
//!   gross margin where cost is missing 40% (cost share 60%), commission 5%,
//!   sales 50/h, support 40/h, visit 100, ticket 10, order 20, delivery 30, return 50,
//!   equipment 5 per hour, acquisition 1,000 expensed in the month acquired,
//!   cost of capital 7.3% a year (0.0002 a day), write-off 1% / 10% / 20% / 50% / 100% by
//!   age bucket (not due, 1-30, 31-60, 61-90, >90 days overdue), referral attribution 50%,
//!   saved acquisition cost 800, case study 2,000, reference 500. As of 2025-06-30.

use profitbook_engine::assumptions::{Assumptions, CostLine, RoleRate};
use profitbook_engine::date::{Date, Month};
use profitbook_engine::drivers::{aggregate, RejectReason, TableCount};
use profitbook_engine::facts::{
    ActivityCount, ActivityKind, Customer, Dataset, Invoice, Referral, Table, TimeEntry,
};
use profitbook_engine::views::{matrix_points, pivot, quadrant_summary, Action, Quadrant, Rule};
use profitbook_engine::{compute, Lines, Money, Rates};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}
fn date(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}
fn m(s: &str) -> Money {
    Money::from_decimal(d(s)).unwrap()
}

fn assumptions() -> Assumptions {
    let mut a = Assumptions {
        gross_margin_pct: d("0.40"),
        ..Assumptions::default()
    };
    a.commission.default_rate = d("0.05");
    a.roles = vec![
        RoleRate {
            role: "sales".into(),
            line: CostLine::Sales,
            hourly_rate: d("50"),
        },
        RoleRate {
            role: "support".into(),
            line: CostLine::Service,
            hourly_rate: d("40"),
        },
    ];
    a.cost_per_visit = d("100");
    a.cost_per_ticket = d("10");
    a.cost_per_order = d("20");
    a.cost_per_delivery = d("30");
    a.cost_per_return = d("50");
    a.equipment_rate_per_hour = d("5");
    a.acquisition_cost = d("1000");
    a.acquisition_spread_months = d("0");
    a.cost_of_capital = d("0.073");
    a.write_off = [d("0.01"), d("0.10"), d("0.20"), d("0.50"), d("1")];
    a.referral_attribution = d("0.5");
    a.saved_acquisition_cost = d("800");
    a.value_per_case_study = d("2000");
    a.value_per_reference = d("500");
    a
}

fn customer(id: &str, segment: &str, acquired: &str, cost: Option<&str>) -> Customer {
    Customer {
        id: id.into(),
        name: format!("Customer {id}"),
        attributes: vec![segment.into()],
        acquired_on: Some(date(acquired)),
        acquisition_cost: cost.map(m),
    }
}

#[allow(clippy::too_many_arguments)]
fn invoice(
    c: &str,
    no: &str,
    on: &str,
    amount: &str,
    discount: &str,
    cost: Option<&str>,
    due: &str,
    paid: Option<&str>,
) -> Invoice {
    Invoice {
        customer_id: c.into(),
        number: no.into(),
        date: date(on),
        amount: m(amount),
        discount: m(discount),
        cost: cost.map(m),
        due: Some(date(due)),
        paid: paid.map(date),
    }
}

fn hours(c: &str, role: &str, on: &str, h: i64) -> TimeEntry {
    TimeEntry {
        customer_id: c.into(),
        date: date(on),
        role: role.into(),
        activity: "work".into(),
        hours_milli: h,
    }
}

fn count(c: &str, kind: ActivityKind, on: &str, n: u32) -> ActivityCount {
    ActivityCount {
        customer_id: c.into(),
        date: date(on),
        kind,
        count: n,
    }
}

fn dataset() -> Dataset {
    use ActivityKind::*;
    Dataset {
        as_of: Some(date("2025-06-30")),
        attribute_names: vec!["segment".into()],
        customers: vec![
            customer("A", "Key", "2020-01-01", None),
            customer("B", "SMB", "2025-02-01", None),
            customer("C", "SMB", "2025-01-05", Some("400")),
            customer("D", "Key", "2019-05-01", None),
        ],
        invoices: vec![
            invoice(
                "A",
                "A-1",
                "2025-01-10",
                "10000",
                "0",
                Some("5500"),
                "2025-02-09",
                Some("2025-02-09"),
            ),
            invoice(
                "A",
                "A-2",
                "2025-03-10",
                "5000",
                "500",
                None,
                "2025-04-09",
                Some("2025-04-19"),
            ),
            invoice(
                "B",
                "B-1",
                "2025-03-16",
                "3000",
                "0",
                Some("2400"),
                "2025-04-15",
                None,
            ),
            invoice(
                "B",
                "B-CN",
                "2025-04-01",
                "-300",
                "0",
                None,
                "2025-04-01",
                Some("2025-04-01"),
            ),
            invoice(
                "C",
                "C-1",
                "2025-01-20",
                "2000",
                "0",
                None,
                "2025-02-19",
                Some("2025-03-01"),
            ),
            invoice(
                "C",
                "C-2",
                "2025-06-10",
                "1000",
                "0",
                None,
                "2025-07-10",
                None,
            ),
            invoice(
                "D",
                "D-1",
                "2025-05-05",
                "1234.57",
                "0",
                Some("1000"),
                "2025-06-04",
                Some("2025-06-04"),
            ),
            // Rejected: the same invoice number again for customer A.
            invoice(
                "A",
                "A-2",
                "2025-03-11",
                "999",
                "0",
                None,
                "2025-04-10",
                None,
            ),
        ],
        time_entries: vec![
            hours("A", "sales", "2025-01-15", 10_000),
            hours("A", "support", "2025-02-15", 5_500),
            hours("B", "support", "2025-03-20", 20_000),
            hours("C", "sales", "2025-01-06", 2_000),
            hours("C", "Support", "2025-02-01", 1_000),
            // Rejected: no customer Z.
            hours("Z", "support", "2025-02-01", 1_000),
        ],
        activities: vec![
            count("A", Visit, "2025-01-15", 2),
            count("A", Ticket, "2025-02-15", 3),
            count("A", Order, "2025-01-10", 4),
            count("A", Delivery, "2025-01-12", 4),
            count("A", CaseStudy, "2025-04-01", 1),
            count("B", Visit, "2025-02-01", 1),
            count("B", Ticket, "2025-03-20", 12),
            count("B", Order, "2025-03-16", 2),
            count("B", Delivery, "2025-03-18", 2),
            count("B", Return, "2025-04-01", 1),
            count("C", Order, "2025-01-20", 2),
            count("D", Order, "2025-05-05", 1),
            count("D", Reference, "2025-05-20", 1),
        ],
        referrals: vec![
            Referral {
                referrer_id: "A".into(),
                referred_id: "C".into(),
                would_have_come_anyway: false,
            },
            Referral {
                referrer_id: "A".into(),
                referred_id: "D".into(),
                would_have_come_anyway: true,
            },
        ],
    }
}

#[allow(clippy::too_many_arguments)]
fn lines(
    revenue: &str,
    cogs: &str,
    commission: &str,
    sales: &str,
    acquisition: &str,
    service: &str,
    equipment: &str,
    handling: &str,
    financing: &str,
    bad_debt: &str,
    referral: &str,
    advocacy: &str,
) -> Lines {
    let gross_margin = m(revenue) - m(cogs);
    let cost_to_serve = m(commission)
        + m(sales)
        + m(acquisition)
        + m(service)
        + m(equipment)
        + m(handling)
        + m(financing)
        + m(bad_debt);
    let net_profit = gross_margin - cost_to_serve;
    Lines {
        revenue: m(revenue),
        cogs: m(cogs),
        gross_margin,
        commission: m(commission),
        sales_cost: m(sales),
        acquisition: m(acquisition),
        service_cost: m(service),
        equipment: m(equipment),
        handling: m(handling),
        financing: m(financing),
        bad_debt: m(bad_debt),
        cost_to_serve,
        net_profit,
        referral_value: m(referral),
        advocacy: m(advocacy),
        total_value: net_profit + m(referral) + m(advocacy),
    }
}

#[test]
fn every_line_of_every_customer_by_hand() {
    let agg = aggregate(&dataset());
    let a = assumptions();
    let rates = Rates::compile(&a, &agg.model).expect("valid assumptions");
    let report = compute(&agg.model, &rates, &a.actions);
    assert_eq!(
        agg.model.window,
        Some((Month::new(2025, 1), Month::new(2025, 6)))
    );

    // A: revenue 10,000 + (5,000 - 500) = 14,500. cogs 5,500 + 4,500 x 60% = 8,200.
    // commission 14,500 x 5% = 725. sales 10 h x 50 + 2 visits x 100 = 700. acquired 2020:
    // no acquisition in the window. service 5.5 h x 40 + 3 tickets x 10 = 250. equipment
    // 15.5 h x 5 = 77.50. handling 4 x 20 + 4 x 30 = 200. financing (10,000 x 30 days +
    // 4,500 x 40 days) x 0.0002 = 96. No open invoice. cost to serve 2,048.50, net 4,251.50.
    // Referrals: 50% of C's 425.00 = 212.50, and D would have come anyway: 800 -> 1,012.50.
    // Advocacy: 1 case study = 2,000. Total value 7,264.00.
    let want_a = lines(
        "14500", "8200", "725", "700", "0", "250", "77.50", "200", "96", "0", "1012.50", "2000",
    );
    assert_eq!(want_a.net_profit, m("4251.50"));
    assert_eq!(want_a.total_value, m("7264.00"));

    // B: revenue 3,000 - 300 (credit note) = 2,700. cogs 2,400 + (-300) x 60% = 2,220.
    // commission 135. sales 1 visit = 100. acquired Feb 2025, no known cost: 1,000.
    // service 20 h x 40 + 12 x 10 = 920. equipment 20 x 5 = 100. handling 2 x 20 + 2 x 30
    // + 1 x 50 = 150. financing 3,000 x 106 days (16 Mar to 30 Jun) x 0.0002 = 63.60; the
    // credit note ties up no capital. Open 3,000 due 15 Apr, 76 days overdue: 50% = 1,500.
    // cost to serve 3,968.60, net -3,488.60.
    let want_b = lines(
        "2700", "2220", "135", "100", "1000", "920", "100", "150", "63.60", "1500", "0", "0",
    );
    assert_eq!(want_b.net_profit, m("-3488.60"));

    // C: revenue 3,000, cogs 60% = 1,800. commission 150. sales 2 h x 50 = 100. acquired
    // Jan 2025 at a known 400. service 1 h x 40 = 40 (role "Support" matches "support").
    // equipment 3 h x 5 = 15. handling 2 orders = 40. financing (2,000 x 40 + 1,000 x 20)
    // x 0.0002 = 20. Open 1,000 not yet due: 1% = 10. cost to serve 775, net 425.
    let want_c = lines(
        "3000", "1800", "150", "100", "400", "40", "15", "40", "20", "10", "0", "0",
    );
    assert_eq!(want_c.net_profit, m("425.00"));

    // D: revenue 1,234.57, cogs 1,000. commission 61.7285 -> 61.73. handling 20.
    // financing 1,234.57 x 30 x 0.0002 = 7.40742 -> 7.41. net 234.57 - 89.14 = 145.43.
    // Advocacy: 1 reference = 500.
    let want_d = lines(
        "1234.57", "1000", "61.73", "0", "0", "0", "0", "20", "7.41", "0", "0", "500",
    );
    assert_eq!(want_d.net_profit, m("145.43"));

    assert_eq!(report.lines.to_vec(), vec![want_a, want_b, want_c, want_d]);

    // Totals are the sums of the lines: net 4,251.50 - 3,488.60 + 425 + 145.43 = 1,333.33.
    assert_eq!(report.totals.revenue, m("21434.57"));
    assert_eq!(report.totals.net_profit, m("1333.33"));
    assert_eq!(report.totals.cost_to_serve, m("6881.24"));
    assert_eq!(report.unprofitable, 1);
}

#[test]
fn whale_quadrants_actions_and_pivot_by_hand() {
    let agg = aggregate(&dataset());
    let a = assumptions();
    let rates = Rates::compile(&a, &agg.model).unwrap();
    let report = compute(&agg.model, &rates, &a.actions);
    let w = &report.whale;
    // Order A, C, D, B; cumulative 4,251.50, 4,676.50, 4,821.93, 1,333.33.
    let everyone = report.whale_order();
    assert_eq!(everyone.order, vec![0, 2, 3, 1]);
    assert_eq!(
        everyone.cumulative,
        vec![425_150, 467_650, 482_193, 133_333]
    );
    // Peak 4,821.93 after 3 of 4 customers: 4,821.93 / 1,333.33 = 361.65%; 25% past it.
    assert_eq!(w.peak_customers, 3);
    assert_eq!(w.peak_profit, m("4821.93"));
    assert_eq!(w.peak_bp, Some(36_165));
    assert_eq!(w.past_peak_bp, 2_500);
    assert_eq!(w.tail_loss, m("-3488.60"));

    // Splits at the company's own shares: net margin 1,333.33 / 21,434.57 = 6.22%, cost to
    // serve 6,881.24 / 21,434.57 = 32.10%. B: -129.2% margin, 147.0% cost: low/high.
    assert_eq!(
        report.quadrants,
        vec![
            Quadrant::HighMarginLowCost,
            Quadrant::LowMarginHighCost,
            Quadrant::HighMarginLowCost,
            Quadrant::HighMarginLowCost,
        ]
    );

    // By quadrant: A, C and D high margin, low cost: revenue 14,500 + 3,000 + 1,234.57 =
    // 18,734.57, net 4,251.50 + 425 + 145.43 = 4,821.93; B alone low margin, high cost.
    let summary = quadrant_summary(&report);
    assert_eq!(
        (
            summary[0].customers,
            summary[0].revenue,
            summary[0].net_profit
        ),
        (3, m("18734.57"), m("4821.93"))
    );
    assert_eq!(
        (
            summary[3].customers,
            summary[3].revenue,
            summary[3].net_profit
        ),
        (1, m("2700"), m("-3488.60"))
    );
    assert_eq!(summary.iter().map(|q| q.customers).sum::<usize>(), 4);
    // The matrix's two largest customers by revenue: A (14,500) then C (3,000). A: cost to
    // serve 2,048.50 / 14,500 = 14.13%, net margin 4,251.50 / 14,500 = 29.32%; C: 775 / 3,000
    // = 25.83%, 425 / 3,000 = 14.17%.
    let points = matrix_points(&report, 2);
    assert_eq!(
        points
            .iter()
            .map(|p| (p.customer, p.cost_to_serve_bp, p.margin_bp))
            .collect::<Vec<_>>(),
        vec![(0, 1_413, 2_932), (2, 2_583, 1_417)]
    );

    // Top 20% of 4 customers rounds to 1: A. B's loss 3,488.60 exceeds 20% of its revenue
    // (540) with nothing from referrals or advocacy to offset it.
    assert_eq!(
        report.actions,
        vec![
            (Action::DevelopAndReward, Rule::TopByProfit),
            (Action::ConsiderEnding, Rule::LossBeyondShare),
            (Action::Keep, Rule::Profitable),
            (Action::Keep, Rule::Profitable),
        ]
    );

    // Key = A + D: 4,251.50 + 145.43 = 4,396.93; SMB = B + C: -3,488.60 + 425 = -3,063.60.
    let rows = pivot(&agg.model, &report, "segment").unwrap();
    assert_eq!(rows[0].value, "Key");
    assert_eq!(rows[0].lines.net_profit, m("4396.93"));
    assert_eq!(rows[1].value, "SMB");
    assert_eq!(rows[1].lines.net_profit, m("-3063.60"));
    assert_eq!(rows[1].unprofitable, 1);
    assert!(pivot(&agg.model, &report, "region").is_none());
}

#[test]
fn rejected_rows_are_reported_never_dropped() {
    let agg = aggregate(&dataset());
    assert_eq!(agg.rejected.len(), 2);
    let dup = &agg.rejected[0];
    assert_eq!(
        (dup.table, dup.row, dup.field),
        (Table::Invoices, 8, "invoice_number")
    );
    assert_eq!(dup.value, "A-2");
    assert_eq!(dup.reason, RejectReason::DuplicateInvoice);
    let unknown = &agg.rejected[1];
    assert_eq!(
        (unknown.table, unknown.row, unknown.value.as_str()),
        (Table::TimeLog, 6, "Z")
    );
    assert_eq!(unknown.reason, RejectReason::UnknownCustomer);
    let count = |t| agg.counts.iter().find(|(table, _)| *table == t).unwrap().1;
    assert_eq!(
        count(Table::Invoices),
        TableCount {
            read: 8,
            used: 7,
            rejected: 1
        }
    );
    assert_eq!(
        count(Table::TimeLog),
        TableCount {
            read: 6,
            used: 5,
            rejected: 1
        }
    );
    assert_eq!(
        count(Table::Customers),
        TableCount {
            read: 4,
            used: 4,
            rejected: 0
        }
    );
}

#[test]
fn discounts_that_would_raise_revenue_are_rejected_with_their_own_reason() {
    let mut data = dataset();
    data.invoices.truncate(7);
    data.invoices.push(invoice(
        "A",
        "A-9",
        "2025-05-01",
        "500",
        "-100",
        None,
        "2025-05-31",
        None,
    ));
    data.invoices.push(invoice(
        "A",
        "A-10",
        "2025-05-01",
        "-200",
        "10",
        None,
        "2025-05-31",
        None,
    ));
    data.invoices.push(invoice(
        "A",
        "A-11",
        "2025-05-01",
        "100",
        "150",
        None,
        "2025-05-31",
        None,
    ));
    // A credit note without a discount is fine.
    data.invoices.push(invoice(
        "A",
        "A-12",
        "2025-05-01",
        "-50",
        "0",
        None,
        "2025-05-31",
        Some("2025-05-01"),
    ));
    let agg = aggregate(&data);
    let reasons: Vec<_> = agg
        .rejected
        .iter()
        .filter(|r| r.table == Table::Invoices)
        .map(|r| (r.row, r.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (8, RejectReason::NegativeDiscount),
            (9, RejectReason::DiscountOnCreditNote),
            (10, RejectReason::DiscountExceedsAmount),
        ]
    );
    // A's revenue: 14,500 before, less the 50 credit note = 14,450.
    let a = assumptions();
    let rates = Rates::compile(&a, &agg.model).unwrap();
    assert_eq!(
        compute(&agg.model, &rates, &a.actions)
            .lines
            .get(0)
            .unwrap()
            .revenue,
        m("14450")
    );
}

#[test]
fn invalid_assumptions_are_typed_errors_naming_the_field() {
    use profitbook_engine::assumptions::{Param, Problem};
    let agg = aggregate(&dataset());
    let mut a = assumptions();
    a.retention = d("1.2");
    a.cost_per_order = d("-1");
    a.roles.retain(|r| r.role != "support");
    let errors = Rates::compile(&a, &agg.model).unwrap_err();
    let by_field = |f: &str| {
        errors
            .iter()
            .find(|e| e.field == f)
            .map(|e| e.problem.clone())
    };
    assert!(matches!(
        by_field("retention"),
        Some(Problem::OutOfRange { .. })
    ));
    assert_eq!(by_field("cost_per_order"), Some(Problem::Negative));
    let role = errors
        .iter()
        .find(|e| e.problem == Problem::UnknownRole)
        .unwrap();
    assert_eq!(role.value, "support");
    assert_eq!(
        role.to_string(),
        "role_rate: hours are logged for role \"support\", which has no hourly rate"
    );
    // Setting a value through the panel's API refuses it and leaves the assumption unchanged.
    let mut a = assumptions();
    let e = Param::Retention.set(&mut a, d("-0.1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "retention: -0.1 is negative; it must be zero or more"
    );
    assert_eq!(a.retention, Assumptions::default().retention);
    // A money amount beyond a billion per unit is refused: it could not be computed exactly.
    let e = Param::CostPerVisit
        .set(&mut a, d("1000000000.01"))
        .unwrap_err();
    assert!(matches!(e.problem, Problem::OutOfRange { .. }));
    // Action thresholds are shares too.
    let mut a = assumptions();
    a.actions.top_share = d("-0.2");
    let errors = Rates::compile(&a, &agg.model).unwrap_err();
    assert_eq!(errors[0].field, "actions.top_share");
    assert_eq!(errors[0].problem, Problem::Negative);
}
