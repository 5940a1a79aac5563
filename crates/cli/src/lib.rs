//! The command-line program: the page's exports from a saved workbook file, with the same
//! engine, so a scheduled report shows the figures the person saw.

use profitbook_engine::assumptions::Rates;
use profitbook_engine::date::Date;
use profitbook_engine::export::csv::{results_csv, CsvStyle};
use profitbook_engine::export::report::{report_document, ReportInput};
use profitbook_engine::export::results_xlsx::results_xlsx;
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::Lang;
use profitbook_engine::workbook_file::from_json;
use profitbook_engine::{compute, drift};
use std::path::{Path, PathBuf};

pub const USAGE: &str = "usage: profitbook report --workbook FILE.profitbook.json --out FILE.xlsx|FILE.csv|FILE.html [--scenario NAME] [--lang en|hu|es|id|pl] [--locale-csv]

Writes the results of a workbook saved from Profitbook (Save workbook) with its assumptions,
or with those of the saved scenario NAME. The output's extension chooses the format:
  .xlsx  Summary, Customers, Segments, Whale curve and Assumptions sheets
  .csv   one row per customer, columns named as the model names them (--locale-csv writes a
         decimal comma, semicolons and a byte-order mark, for Excel in such locales)
  .html  the report, one self-contained file that opens offline
The report and the Excel sheets are written in the language --lang names (English by default),
with amounts in the workbook's currency.";

/// What the command was asked.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    workbook: PathBuf,
    out: PathBuf,
    scenario: Option<String>,
    lang: Lang,
    locale_csv: bool,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("report") => {}
        Some("--help" | "-h" | "help") | None => return Err(USAGE.to_string()),
        Some(other) => return Err(format!("unknown command {other:?}\n\n{USAGE}")),
    }
    let (mut workbook, mut out, mut scenario, mut locale_csv) = (None, None, None, false);
    let mut lang = Lang::En;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--workbook" => workbook = Some(PathBuf::from(value("--workbook")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--scenario" => scenario = Some(value("--scenario")?),
            "--locale-csv" => locale_csv = true,
            "--lang" => {
                let code = value("--lang")?;
                lang = Lang::from_tag(&code)
                    .ok_or_else(|| format!("--lang {code:?} is not one of en, hu, es, id, pl"))?;
            }
            other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
        }
    }
    Ok(Request {
        workbook: workbook.ok_or_else(|| format!("--workbook is required\n\n{USAGE}"))?,
        out: out.ok_or_else(|| format!("--out is required\n\n{USAGE}"))?,
        scenario,
        lang,
        locale_csv,
    })
}

/// Today, from the system clock (the report's date).
fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_days_since_epoch(days as i64)
        .or_else(|| Date::new(1970, 1, 1))
        .expect("1970-01-01 is a date")
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Runs the command; the message says what was written, or what is wrong.
pub fn run(args: &[String]) -> Result<String, String> {
    let request = parse(args)?;
    let bytes = std::fs::read(&request.workbook)
        .map_err(|e| format!("cannot read {}: {e}", shown(&request.workbook)))?;
    let file = from_json(&bytes).map_err(|e| format!("{} {e}", shown(&request.workbook)))?;
    let (assumptions, scenario) = match &request.scenario {
        None => {
            let current = file
                .scenarios
                .current
                .and_then(|i| file.scenarios.list.get(i))
                .filter(|s| s.assumptions == file.assumptions)
                .map(|s| s.name.clone());
            (file.assumptions.clone(), current)
        }
        Some(name) => {
            let found = file
                .scenarios
                .list
                .iter()
                .find(|s| profitbook_engine::assumptions::same_name(&s.name, name))
                .ok_or_else(|| {
                    let names: Vec<&str> = file
                        .scenarios
                        .list
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    format!(
                        "{} has no scenario {name:?}; its scenarios are: {}",
                        shown(&request.workbook),
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    )
                })?;
            (found.assumptions.clone(), Some(found.name.clone()))
        }
    };
    let rates = Rates::compile(&assumptions, &file.model).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        format!(
            "{}: the assumptions cannot be used: {}",
            shown(&request.workbook),
            list.join("; ")
        )
    })?;
    let report = compute(&file.model, &rates, &assumptions.actions);
    let drifting = drift::drifting(&file.model, &rates);
    let input = ReportInput {
        locale: Locale::new(request.lang, file.currency),
        model: &file.model,
        report: &report,
        assumptions: &assumptions,
        scenario: scenario.as_deref(),
        made_on: today(),
        drift: &drifting,
        comparison: None,
    };
    let extension = request
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let output = match extension.as_deref() {
        Some("xlsx") => results_xlsx(&input).map_err(|e| e.to_string())?,
        Some("csv") => {
            let style = if request.locale_csv {
                CsvStyle::Locale { decimal: ',' }
            } else {
                CsvStyle::Plain
            };
            results_csv(&file.model, &report, style, 10_000)
                .flatten()
                .collect()
        }
        Some("html" | "htm") => report_document(&input).into_bytes(),
        _ => {
            return Err(format!(
                "cannot tell the format of {}: name it .xlsx, .csv or .html",
                shown(&request.out)
            ))
        }
    };
    std::fs::write(&request.out, &output)
        .map_err(|e| format!("cannot write {}: {e}", shown(&request.out)))?;
    Ok(format!(
        "wrote {} ({} customers, {} bytes)",
        shown(&request.out),
        file.model.len(),
        output.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_read_and_mistakes_named() {
        assert_eq!(
            parse(&args(&[
                "report",
                "--workbook",
                "a.json",
                "--out",
                "r.csv",
                "--locale-csv",
                "--lang",
                "pl"
            ])),
            Ok(Request {
                workbook: "a.json".into(),
                out: "r.csv".into(),
                scenario: None,
                lang: Lang::Pl,
                locale_csv: true,
            })
        );
        assert!(parse(&args(&["report", "--lang", "de"]))
            .unwrap_err()
            .starts_with("--lang \"de\" is not one of"));
        assert!(parse(&args(&["export"]))
            .unwrap_err()
            .starts_with("unknown command \"export\""));
        assert!(parse(&args(&["report", "--out", "r.csv"]))
            .unwrap_err()
            .starts_with("--workbook is required"));
        assert!(parse(&args(&["report", "--workbook"]))
            .unwrap_err()
            .starts_with("--workbook needs a value"));
        assert_eq!(parse(&args(&[])), Err(USAGE.to_string()));
    }
}
