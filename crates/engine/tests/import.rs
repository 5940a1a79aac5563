//! Import end to end, on the same files the browser tests use: bytes in, an account of every
//! row and the model's figures out. Expected figures are worked by hand from the files.

use profitbook_engine::date::Date;
use profitbook_engine::drivers::RejectReason;
use profitbook_engine::import::{
    self, propose, CellProblem, Field, Problem, Reason, Staging, TableKind,
};
use profitbook_engine::money::Money;
use profitbook_engine::parse::date::DateOrder;

const HUNGARIAN_CSV: &[u8] = include_bytes!("fixtures/szamlak-1250.csv");
const WORKBOOK: &[u8] = include_bytes!("fixtures/customers-and-invoices.xlsx");

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

fn stage(staging: &mut Staging, name: &str, bytes: &[u8]) -> Vec<TableKind> {
    let sources = import::read_sources(name, bytes).unwrap();
    sources
        .iter()
        .map(|source| {
            let proposal = propose(&source.grid, today());
            assert!(
                proposal.plan.problems(&source.grid).is_empty(),
                "{}: {:?}",
                source.name,
                proposal.plan.problems(&source.grid)
            );
            staging.add(source, &proposal.plan);
            proposal.plan.table
        })
        .collect()
}

fn revenue(staging: &Staging) -> Money {
    let finished = staging.finish();
    let m = &finished.aggregated.model;
    Money((0..m.len()).map(|i| m.drivers[i].revenue).sum())
}

#[test]
fn hungarian_windows_1250_csv_with_decimal_commas() {
    let sources = import::read_sources("szamlak.csv", HUNGARIAN_CSV).unwrap();
    let source = &sources[0];
    match &source.layout {
        import::Layout::Text {
            encoding,
            separator,
            ..
        } => {
            assert_eq!(*encoding, import::decode::Encoding::Windows1250);
            assert_eq!(*separator, import::delimited::Separator::Semicolon);
        }
        other => panic!("{other:?}"),
    }
    let proposal = propose(&source.grid, today());
    let plan = &proposal.plan;
    assert_eq!(plan.table, TableKind::Invoices);
    assert_eq!(
        plan.columns,
        vec![
            Field::CustomerId,
            Field::CustomerName,
            Field::InvoiceNumber,
            Field::Date,
            Field::Amount,
            Field::DueDate,
            Field::PaidDate
        ]
    );
    assert_eq!((plan.numbers.decimal, plan.numbers.group), (',', Some(' ')));
    assert_eq!(plan.dates, Some(DateOrder::Iso));
    assert_eq!(plan.currency.as_deref(), Some("HUF"));

    let mut staging = Staging::default();
    staging.add(source, plan);
    let finished = staging.finish();
    let file = &finished.files[0];
    // Rows 2-10 hold data except blank row 6: 8 read. Row 7 (a percentage), row 9 (invoice
    // SZ-2025-005 again for K003) and row 10 (no customer id) are rejected: 5 used.
    assert_eq!(
        (
            file.read,
            file.used,
            file.rejected,
            file.blank,
            file.credit_notes
        ),
        (8, 5, 3, 1, 1)
    );
    assert_eq!(finished.customers_from_transactions, 3);
    let summary: Vec<(usize, &str, &str, &Reason)> = finished
        .problems
        .iter()
        .map(|p: &Problem| (p.row, p.column.as_str(), p.value.as_str(), &p.reason))
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                7,
                "E (Nettó összeg)",
                "12,5%",
                &Reason::Cell(CellProblem::Percent)
            ),
            (
                9,
                "C (Számlaszám)",
                "SZ-2025-005",
                &Reason::Model(RejectReason::DuplicateInvoice)
            ),
            (10, "A (Ügyfél)", "", &Reason::Cell(CellProblem::Missing)),
        ]
    );
    // 1,250,000.00 + 980,500.50 + 310,000.00 - 45,000.00 + 99,000.00 = 2,594,500.50
    assert_eq!(revenue(&staging), Money(259_450_050));
    let model = &finished.aggregated.model;
    assert_eq!(model.ids, vec!["K001", "K002", "K003"]);
    assert_eq!(model.names[0], "Kőbányai Sörgyár Kft.");
}

#[test]
fn workbook_sheets_import_together() {
    let mut staging = Staging::default();
    // The empty "Notes" sheet is not offered.
    assert_eq!(
        stage(&mut staging, "book.xlsx", WORKBOOK),
        vec![TableKind::Customers, TableKind::Invoices]
    );
    let finished = staging.finish();
    let counts: Vec<(&str, usize, usize, usize)> = finished
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.read, f.used, f.rejected))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("book.xlsx › Customers", 3, 3, 0),
            ("book.xlsx › Invoices", 3, 2, 1)
        ]
    );
    assert_eq!(finished.problems.len(), 1);
    let p = &finished.problems[0];
    assert_eq!(
        (p.row, p.column.as_str(), p.value.as_str()),
        (4, "A (Customer)", "K009")
    );
    assert_eq!(p.reason, Reason::Model(RejectReason::UnknownCustomer));
    let model = &finished.aggregated.model;
    assert_eq!(model.attribute("Segment").map(|a| a.values.len()), Some(2));
    // 1,500.25 + 2,000.00 = 3,500.25
    assert_eq!(revenue(&staging), Money(350_025));
}

#[test]
fn csv_and_workbook_in_one_import() {
    let mut staging = Staging::default();
    stage(&mut staging, "book.xlsx", WORKBOOK);
    stage(&mut staging, "szamlak.csv", HUNGARIAN_CSV);
    let finished = staging.finish();
    // With a customer sheet, no customers are made up; the CSV's K001-K003 all exist.
    assert_eq!(finished.customers_from_transactions, 0);
    // 3,500.25 + 2,594,500.50 = 2,598,000.75
    assert_eq!(revenue(&staging), Money(259_800_075));
    for f in &finished.files {
        assert_eq!(f.read, f.used + f.rejected, "{}", f.name);
    }
}

#[test]
fn pasted_summary_range() {
    let source = import::read_text(
        "paste",
        "Customer\tRevenue\tTickets\nA1\t1,000.00\t3\nA2\t250.50\t1\n",
        None,
    )
    .unwrap();
    let proposal = propose(&source.grid, today());
    assert_eq!(proposal.plan.table, TableKind::Summary);
    let mut staging = Staging::default();
    staging.add(&source, &proposal.plan);
    let finished = staging.finish();
    assert_eq!((finished.files[0].read, finished.files[0].used), (2, 2));
    // 1,000.00 + 250.50 = 1,250.50; tickets 3 + 1 = 4.
    assert_eq!(revenue(&staging), Money(125_050));
    let m = &finished.aggregated.model;
    let tickets: u32 = m
        .drivers
        .iter()
        .map(|d| d.count(profitbook_engine::facts::ActivityKind::Ticket))
        .sum();
    assert_eq!(tickets, 4);
}
