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

/// Each listed row's number, column, value and reason.
fn listed(rows: &[Problem]) -> Vec<(usize, &str, &str, &Reason)> {
    rows.iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str(), &p.reason))
        .collect()
}

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

fn revenue(staging: &mut Staging) -> Money {
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
    // Row 5's -45 000,00 Ft is used as a credit note, and listed to check.
    assert_eq!(
        listed(&finished.notes),
        vec![(5, "E (Nettó összeg)", "-45 000,00 Ft", &Reason::CreditNote)]
    );
    assert_eq!(
        listed(&finished.problems),
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
    assert_eq!(revenue(&mut staging), Money(259_450_050));
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
    assert_eq!(revenue(&mut staging), Money(350_025));
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
    assert_eq!(revenue(&mut staging), Money(259_800_075));
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
    assert_eq!(revenue(&mut staging), Money(125_050));
    let m = &finished.aggregated.model;
    let tickets: u32 = m
        .drivers
        .iter()
        .map(|d| d.count(profitbook_engine::facts::ActivityKind::Ticket))
        .sum();
    assert_eq!(tickets, 4);
}

mod never_panics {
    use super::*;
    use profitbook_engine::import::{preview, Plan};
    use proptest::prelude::*;

    /// Runs text through every step with the proposed plan, then with the given field mapping.
    fn exercise(bytes: &[u8], mapping: &[usize]) {
        let Ok(sources) = import::read_sources("p.csv", bytes) else {
            return;
        };
        let mut staging = Staging::default();
        for source in &sources {
            let proposal = propose(&source.grid, today());
            let _ = preview(&source.grid, &proposal.plan, 5);
            staging.add(source, &proposal.plan);
            // Any mapping the person could pick from the selects.
            let fields = Field::all();
            let mut plan: Plan = proposal.plan.clone();
            for (c, f) in plan.columns.iter_mut().enumerate() {
                *f = fields[mapping.get(c).copied().unwrap_or(0) % fields.len()];
            }
            let _ = plan.problems(&source.grid);
            let _ = preview(&source.grid, &plan, 5);
            staging.add(source, &plan);
        }
        let finished = staging.finish();
        for f in &finished.files {
            assert_eq!(f.read, f.used + f.rejected, "{}", f.name);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Text made of what spreadsheet exports are made of.
        #[test]
        fn spreadsheet_like_text(
            text in "([A-Za-z0-9 ,;\t|\"'.\\-/:%()€łőñ]{0,12}(\n|\r\n|;|,|\t)){0,40}",
            mapping in proptest::collection::vec(0usize..40, 0..12),
        ) {
            exercise(text.as_bytes(), &mapping);
        }

        /// Arbitrary bytes, including ones that start like a ZIP archive.
        #[test]
        fn arbitrary_bytes(
            zip in any::<bool>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..600),
        ) {
            let mut data = if zip { b"PK\x03\x04".to_vec() } else { Vec::new() };
            data.extend(bytes);
            exercise(&data, &[1, 7, 8, 2]);
        }
    }

    /// The real workbook with bytes flipped: a damaged archive is refused, never a panic.
    #[test]
    fn damaged_workbooks() {
        for at in (0..WORKBOOK.len()).step_by(97) {
            let mut bytes = WORKBOOK.to_vec();
            bytes[at] ^= 0x5A;
            exercise(&bytes, &[]);
        }
    }
}

/// The benchmark's synthetic export imports completely, and its revenue is the sum of its
/// amount column added up separately here.
#[test]
fn synthetic_benchmark_file_imports_every_row() {
    use rust_decimal::Decimal;
    let text = profitbook_engine::scale::synthetic_invoice_csv(2_000, 300);
    let expected: Decimal = text
        .lines()
        .skip(1)
        .map(|line| {
            let amount = line.split(';').nth(3).unwrap().replace(',', ".");
            amount.parse::<Decimal>().unwrap()
        })
        .sum();
    let mut staging = Staging::default();
    stage(&mut staging, "bench.csv", text.as_bytes());
    let file = staging.finish().files[0].clone();
    assert_eq!((file.read, file.used, file.rejected), (2_000, 2_000, 0));
    assert_eq!(
        revenue(&mut staging),
        Money::from_decimal(expected).unwrap()
    );
}
