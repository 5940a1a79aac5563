//! The worker's jobs, natively: open, import, forget, every answer through the wire format.

use profitbook_engine::date::Date;
use profitbook_engine::import::{FileError, ReadChoice};
use profitbook_engine::model_bytes;
use profitbook_engine::money::Money;
use profitbook_engine::scale::synthetic_invoice_csv;
use profitbook_import_worker::jobs::{Jobs, Payload, WARM_UP_ROWS};
use profitbook_import_worker::protocol::{
    decode, encode, ImportError, ModelBytes, Part, Request, Response, Step, HEAD_ROWS,
};

fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

/// Runs a request and returns what the worker posted, each message encoded and decoded as
/// it crosses to the page.
fn run(jobs: &mut Jobs, request: Request, payload: Option<Payload>) -> Vec<Response> {
    let request = decode(&encode(&request)).expect("requests survive the wire");
    let mut posted = Vec::new();
    jobs.handle(request, payload, &mut |r| {
        let message = encode(&r);
        let mut response = decode(&message).expect("responses survive the wire");
        // As the page does: the imported model read from the end of its message.
        if let Response::Imported(imported) = &mut response {
            let bytes = imported.model.of(&message).expect("the model's bytes");
            let mut model = model_bytes::decode(bytes).expect("a model");
            model.check().expect("a consistent model");
            imported.model = ModelBytes::Model(Box::new(model));
        }
        posted.push(response)
    });
    posted
}

fn open(file: u32, name: &str, preview: bool) -> Request {
    Request::Open {
        file,
        name: name.to_string(),
        choice: ReadChoice::default(),
        today: today(),
        preview,
    }
}

const INVOICES: &str = "Ügyfél;Számla;Dátum;Összeg\n\
                        C1;A-1;2026-01-15;1 000,50\n\
                        C1;A-2;2026-02-15;250,00\n\
                        C2;A-3;2026-02-20;-100,25\n\
                        ;A-4;2026-03-01;5,00\n";

#[test]
fn open_then_import_a_paste() {
    let mut jobs = Jobs::default();
    let posted = run(
        &mut jobs,
        open(1, "paste", true),
        Some(Payload::Text(INVOICES.to_string())),
    );
    let Some(Response::Opened { file: 1, sources }) = posted.last() else {
        panic!("expected Opened, got {posted:?}");
    };
    assert_eq!(sources.len(), 1);
    let view = &sources[0];
    assert_eq!(view.rows, 5, "header and four rows");
    assert_eq!(view.head.grid.cell(1, 3), "1 000,50");
    let plan = view.proposal.plan.clone();

    let parts = vec![Part {
        file: 1,
        sheet: 0,
        plan,
    }];
    let posted = run(&mut jobs, Request::Import { parts }, None);
    assert!(posted.iter().any(|r| matches!(
        r,
        Response::Progress {
            step: Step::Aggregating,
            ..
        }
    )));
    let Some(Response::Imported(imported)) = posted.last() else {
        panic!("expected Imported, got {posted:?}");
    };
    // Four rows read: three used, the one without a customer id rejected.
    let file = &imported.files[0];
    assert_eq!((file.read, file.used, file.rejected), (4, 3, 1));
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(imported.problems[0].row, 5);
    // Customers made up from the invoices: C1 with 1,000.50 + 250.00 = 1,250.50, C2 with the
    // credit note of -100.25.
    assert_eq!(imported.customers_from_transactions, 2);
    let ModelBytes::Model(model) = &imported.model else {
        panic!("the worker's model");
    };
    let revenue: Vec<(String, i64)> = model
        .ids
        .iter()
        .cloned()
        .zip(model.drivers.iter().map(|d| d.revenue))
        .collect();
    assert_eq!(
        revenue,
        vec![("C1".to_string(), 125_050), ("C2".to_string(), -10_025)]
    );
    assert_eq!(Money(125_050 - 10_025).to_string(), "1150.25");

    // The imported file's cells were let go: a later import asks the page to read it again.
    let parts = vec![Part {
        file: 1,
        sheet: 0,
        plan: view.proposal.plan.clone(),
    }];
    let posted = run(&mut jobs, Request::Import { parts }, None);
    assert_eq!(
        posted,
        vec![Response::ImportFailed(ImportError::Missing {
            file: 1,
            sheet: 0
        })]
    );
}

#[test]
fn a_big_file_reports_progress_and_only_its_head_travels() {
    let text = synthetic_invoice_csv(120_000, 1_000);
    let mut jobs = Jobs::default();
    let posted = run(
        &mut jobs,
        open(7, "big.csv", true),
        Some(Payload::Bytes(text.into_bytes())),
    );
    let reading: Vec<(u64, u64)> = posted
        .iter()
        .filter_map(|r| match r {
            Response::Progress {
                step: Step::Reading,
                done,
                total,
                ..
            } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    // About 7.5 MB of text, a report every 4 MiB.
    assert!(!reading.is_empty(), "{posted:?}");
    assert!(reading.iter().all(|(done, total)| done <= total));
    // The cells are the second half of reading: the bytes, read before, were the first.
    assert!(reading.iter().all(|(done, total)| 2 * done >= *total));
    let Some(Response::Opened { sources, .. }) = posted.last() else {
        panic!("expected Opened");
    };
    assert_eq!(sources[0].rows, 120_001);
    assert_eq!(sources[0].head.grid.row_count(), HEAD_ROWS);

    let parts = vec![Part {
        file: 7,
        sheet: 0,
        plan: sources[0].proposal.plan.clone(),
    }];
    let posted = run(&mut jobs, Request::Import { parts }, None);
    let checking: Vec<u64> = posted
        .iter()
        .filter_map(|r| match r {
            Response::Progress {
                step: Step::Checking,
                done,
                ..
            } => Some(*done),
            _ => None,
        })
        .collect();
    // At the start of each portion of 16,384 rows: the data rows are 1 to 120,000 (row 0 is
    // the header), so 1, 16,385, 32,769, ... 114,689: eight.
    let starts: Vec<u64> = (0..8).map(|k| 1 + k * 16_384).collect();
    assert_eq!(checking, starts);
    let Some(Response::Imported(imported)) = posted.last() else {
        panic!("expected Imported");
    };
    assert_eq!(imported.files[0].used, 120_000);
}

#[test]
fn missing_unreadable_and_forgotten_files_are_named() {
    let mut jobs = Jobs::default();
    let posted = run(
        &mut jobs,
        open(3, "gone.csv", true),
        Some(Payload::Unreadable),
    );
    assert_eq!(
        posted,
        vec![Response::Failed {
            file: 3,
            name: "gone.csv".to_string(),
            error: FileError::Unreadable
        }]
    );

    // Read again after a restart: no preview, only "ready".
    let posted = run(
        &mut jobs,
        open(4, "paste", false),
        Some(Payload::Text(INVOICES.to_string())),
    );
    assert_eq!(posted, vec![Response::Ready { file: 4 }]);
    run(&mut jobs, Request::Forget { file: 4 }, None);
    let plan = {
        let posted = run(
            &mut jobs,
            open(5, "paste", true),
            Some(Payload::Text(INVOICES.to_string())),
        );
        match posted.last() {
            Some(Response::Opened { sources, .. }) => sources[0].proposal.plan.clone(),
            other => panic!("expected Opened, got {other:?}"),
        }
    };
    let posted = run(
        &mut jobs,
        Request::Import {
            parts: vec![
                Part {
                    file: 5,
                    sheet: 0,
                    plan: plan.clone(),
                },
                Part {
                    file: 4,
                    sheet: 0,
                    plan,
                },
            ],
        },
        None,
    );
    assert_eq!(
        posted,
        vec![Response::ImportFailed(ImportError::Missing {
            file: 4,
            sheet: 0
        })]
    );
    assert_eq!(decode::<Request>(b"\xff\xff\xff"), None);
}

#[test]
fn every_step_has_a_label_naming_its_file_where_it_has_one() {
    use profitbook_engine::i18n::{tr, Lang};
    for step in [
        Step::Reading,
        Step::Checking,
        Step::Aggregating,
        Step::Sending,
    ] {
        let label = tr(Lang::En, step.key());
        assert!(!label.is_empty(), "{} has no text", step.key());
        let names_file = matches!(step, Step::Reading | Step::Checking);
        assert_eq!(label.contains("{name}"), names_file, "{label}");
    }
}

#[test]
fn a_warm_up_imports_every_row_of_its_made_up_file_and_answers_nothing() {
    // The made-up file must import as a dropped file would, under its proposed plan (no date
    // order to choose): otherwise the warm-up would stop before checking any row.
    assert_eq!(Jobs::warm_up(), WARM_UP_ROWS);
    let mut jobs = Jobs::default();
    assert!(run(&mut jobs, Request::WarmUp, None).is_empty());
}
