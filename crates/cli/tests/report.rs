//! The command-line program end to end: a workbook file saved as the page saves it, each
//! output written and read back.

use profitbook_engine::assumptions::{Assumptions, Param};
use profitbook_engine::currency::Currency;
use profitbook_engine::facts::ActivityKind;
use profitbook_engine::import::xlsx::Workbook;
use profitbook_engine::saved::Origin;
use profitbook_engine::scenario::Scenarios;
use profitbook_engine::table::View;
use profitbook_engine::workbook_file::to_json;
use profitbook_engine::{aggregate, sample, Model};
use std::path::{Path, PathBuf};

/// A fresh folder for one test's files.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("profitbook-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// The sample company saved with the default assumptions and a scenario whose support tickets
/// cost 12.00 instead of 6.00.
fn sample_workbook(dir: &std::path::Path) -> (PathBuf, Model) {
    sample_workbook_in(dir, Currency::Eur)
}

/// The sample company saved with its amounts in `currency`.
fn sample_workbook_in(dir: &std::path::Path, currency: Currency) -> (PathBuf, Model) {
    let model = aggregate(&sample::sample_company()).model;
    let assumptions = Assumptions::default();
    let mut dearer = assumptions.clone();
    Param::CostPerTicket.set(&mut dearer, 12.into()).unwrap();
    let mut scenarios = Scenarios::default();
    scenarios.save_as("Dearer tickets", &dearer).unwrap();
    scenarios.current = None;
    let path = dir.join("sample.profitbook.json");
    let bytes = to_json(
        Origin::Sample,
        &[],
        &model,
        &assumptions,
        &scenarios,
        &View::default(),
        currency,
    );
    std::fs::write(&path, bytes).unwrap();
    (path, model)
}

fn run(list: &[&str]) -> Result<String, String> {
    let args: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    profitbook_cli::run(&args)
}

/// `profitbook report --workbook W --out O` and any further options.
fn report(workbook: &Path, out: &Path, more: &[&str]) -> Result<String, String> {
    let mut args = vec![
        "report",
        "--workbook",
        workbook.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    run(&args)
}

/// Net profit in cents, summed over the CSV's customer rows.
fn net_profit_of(csv: &str) -> i64 {
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let net = header.iter().position(|h| *h == "net_profit").unwrap();
    csv.lines()
        .skip(1)
        .map(|row| {
            // Sample names hold no commas or quotes, so a plain split finds the column.
            row.split(',')
                .nth(net)
                .unwrap()
                .replace('.', "")
                .parse::<i64>()
                .unwrap()
        })
        .sum()
}

#[test]
fn csv_of_the_sample_ties_to_its_known_total() {
    let dir = folder("csv");
    let (workbook, model) = sample_workbook(&dir);
    let out = dir.join("results.csv");
    let said = report(&workbook, &out, &[]).expect("writes the CSV");
    assert!(said.starts_with("wrote "), "{said}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), model.len() + 1);
    // The sample company's net profit under the default assumptions, as the page shows it
    // (README): 2,999,603.54.
    assert_eq!(net_profit_of(&csv), 299_960_354);
}

#[test]
fn a_scenario_by_name_prices_every_ticket_at_its_rate() {
    let dir = folder("scenario");
    let (workbook, model) = sample_workbook(&dir);
    let out = dir.join("dearer.csv");
    report(&workbook, &out, &["--scenario", "dearer TICKETS"])
        .expect("finds the scenario whatever its case");
    let tickets: i64 = model
        .drivers
        .iter()
        .map(|d| i64::from(d.count(ActivityKind::Ticket)))
        .sum();
    // Each ticket costs 6.00 more: net profit falls by 600 cents per ticket.
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(net_profit_of(&csv), 299_960_354 - 600 * tickets);
    let wrong = report(&workbook, &out, &["--scenario", "Cheaper"]);
    assert!(wrong
        .unwrap_err()
        .ends_with("has no scenario \"Cheaper\"; its scenarios are: Dearer tickets"));
}

#[test]
fn xlsx_and_html_are_written() {
    let dir = folder("xlsx");
    let (workbook, _) = sample_workbook(&dir);
    let xlsx = dir.join("report.xlsx");
    report(&workbook, &xlsx, &[]).unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    let book = Workbook::open(&bytes).expect("an Excel workbook");
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Customers",
            "Segments",
            "Whale curve",
            "Assumptions"
        ]
    );
    let html = dir.join("report.html");
    report(&workbook, &html, &[]).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<dd>€33,532,555.19</dd>"));
    assert!(page.contains("<dd>€2,999,603.54</dd>"));
}

/// The report and the Excel sheets in another language, with the workbook's own currency.
#[test]
fn polish_report_in_zloty() {
    let dir = folder("polish");
    let (workbook, _) = sample_workbook_in(&dir, Currency::Pln);
    let html = dir.join("raport.html");
    report(&workbook, &html, &["--lang", "pl"]).unwrap();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html><html lang=\"pl\">"));
    // The README's sample totals, written the Polish way (no-break spaces between thousands).
    assert!(
        page.contains("<dd>33\u{a0}532\u{a0}555,19\u{a0}zł</dd>"),
        "{page}"
    );
    assert!(page.contains("<dd>2\u{a0}999\u{a0}603,54\u{a0}zł</dd>"));
    // 37 unprofitable of 250: 14.8%; "klientów" is the form for 250 (many).
    assert!(page.contains("14,8% (37 z 250 klientów)"), "{page}");
    let xlsx = dir.join("raport.xlsx");
    report(&workbook, &xlsx, &["--lang", "pl"]).unwrap();
    let bytes = std::fs::read(&xlsx).unwrap();
    let book = Workbook::open(&bytes).expect("an Excel workbook");
    assert_eq!(book.sheet_names()[0], "Podsumowanie");
}

#[test]
fn damaged_and_missing_files_are_named() {
    let dir = folder("damaged");
    let damaged = dir.join("damaged.profitbook.json");
    std::fs::write(
        &damaged,
        b"{\"format\": \"profitbook-workbook\", \"version\": 1, \"model\": 3}",
    )
    .unwrap();
    let out = dir.join("out.csv");
    let err = report(&damaged, &out, &[]).unwrap_err();
    assert!(
        err.contains("damaged.profitbook.json is a damaged workbook file"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
    let err = report(&dir.join("none.json"), Path::new("x.csv"), &[]).unwrap_err();
    assert!(err.starts_with("cannot read "), "{err}");
    let (workbook, _) = sample_workbook(&dir);
    let err = report(&workbook, Path::new("x.pdf"), &[]).unwrap_err();
    assert_eq!(
        err,
        "cannot tell the format of x.pdf: name it .xlsx, .csv or .html"
    );
}
