//! Engine errors in the words of the translation table.

use profitbook_engine::assumptions::{to_display, AssumptionError, Problem, Unit};
use profitbook_engine::drivers::RejectReason;
use profitbook_engine::i18n::{fill, tr, tr_n, Lang};
use profitbook_engine::import::decode::DecodeError;
use profitbook_engine::import::delimited::TextError;
use profitbook_engine::import::xlsx::XlsxError;
use profitbook_engine::import::{CellProblem, Field, FileError, PlanProblem, Reason};
use profitbook_engine::money::ScaleError;
use profitbook_import_worker::protocol::{FileId, ImportError};
use std::collections::HashMap;

/// Why an assumption was refused, in words a finance person reads. With the field's `unit`,
/// values are shown as the field shows them (percentages as percent).
pub fn problem_text(lang: Lang, unit: Option<Unit>, e: &AssumptionError) -> String {
    let shown = |v: rust_decimal::Decimal| match unit {
        Some(u) => to_display(u, v).to_string(),
        None => v.to_string(),
    };
    let value = e
        .value
        .parse()
        .map(shown)
        .unwrap_or_else(|_| e.value.clone());
    let (key, min, max) = match &e.problem {
        Problem::Negative => ("problem.negative", String::new(), String::new()),
        Problem::OutOfRange { min, max } => ("problem.out_of_range", shown(*min), shown(*max)),
        Problem::NotWhole => ("problem.not_whole", String::new(), String::new()),
        Problem::Scale(ScaleError::TooPrecise { .. }) => {
            ("problem.too_precise", String::new(), String::new())
        }
        Problem::Scale(ScaleError::TooLarge { .. }) => {
            ("problem.too_large", String::new(), String::new())
        }
        Problem::UnknownRole => ("problem.unknown_role", String::new(), String::new()),
        Problem::UnknownAttribute => ("problem.unknown_attribute", String::new(), String::new()),
        Problem::UnknownField => ("problem.unknown_field", String::new(), String::new()),
        Problem::ZeroCapacity => ("problem.zero_capacity", String::new(), String::new()),
        Problem::CountedTwice { .. } => ("problem.counted_twice", String::new(), String::new()),
    };
    fill(
        tr(lang, key),
        &[
            ("value", &value),
            ("min", &min),
            ("max", &max),
            ("field", &e.field),
        ],
    )
}

/// Why an imported row was rejected, in the person's words.
pub fn reason_text(lang: Lang, reason: &Reason) -> String {
    match reason {
        Reason::Cell(p) => {
            let (decimals, expected, found) = match p {
                CellProblem::TooPrecise { max_decimals } => {
                    (max_decimals.to_string(), String::new(), String::new())
                }
                CellProblem::OtherCurrency { expected, found } => {
                    (String::new(), expected.clone(), found.clone())
                }
                _ => Default::default(),
            };
            let template = match p {
                CellProblem::TooPrecise { max_decimals } => {
                    tr_n(lang, "cell.too_precise", u64::from(*max_decimals))
                }
                _ => tr(lang, &format!("cell.{}", p.key())),
            };
            fill(
                template,
                &[
                    ("decimals", &decimals),
                    ("expected", &expected),
                    ("found", &found),
                ],
            )
        }
        Reason::ExtraCells => tr(lang, "cell.extra_cells").to_string(),
        Reason::CreditNote => tr(lang, "cell.credit_note").to_string(),
        Reason::AboveHeader { header } => fill(
            tr(lang, "cell.above_header"),
            &[("row", &header.to_string())],
        ),
        Reason::Model(r) => {
            let max = match r {
                RejectReason::TooManyRoles { max } => max.to_string(),
                _ => String::new(),
            };
            fill(tr(lang, &format!("reject.{}", r.key())), &[("max", &max)])
        }
    }
}

/// Why a file cannot be read at all, in the person's words: "`name` cannot be read: …".
pub fn file_error_text(lang: Lang, name: &str, e: &FileError) -> String {
    fill(
        tr(lang, "import.file_error"),
        &[("name", name), ("reason", &file_error_reason(lang, e))],
    )
}

/// Why a file cannot be read at all, the reason alone.
pub fn file_error_reason(lang: Lang, e: &FileError) -> String {
    match e {
        FileError::Empty => tr(lang, "import.error.empty").to_string(),
        FileError::TooLarge => tr(lang, "import.error.too_large").to_string(),
        FileError::Unreadable => tr(lang, "import.error.unreadable").to_string(),
        FileError::Decode(DecodeError::Invalid {
            encoding,
            offset,
            byte,
        }) => fill(
            tr(lang, "import.error.decode"),
            &[
                ("offset", &offset.to_string()),
                ("byte", &format!("{byte:02X}")),
                (
                    "encoding",
                    tr(lang, &format!("encoding.{}", encoding.key())),
                ),
            ],
        ),
        FileError::Decode(DecodeError::OddLength) => {
            tr(lang, "import.error.odd_length").to_string()
        }
        FileError::Text(TextError::UnclosedQuote { row }) => fill(
            tr(lang, "import.error.unclosed_quote"),
            &[("row", &row.to_string())],
        ),
        FileError::Workbook(w) => match w {
            XlsxError::NotAnArchive => tr(lang, "import.error.not_an_archive").to_string(),
            XlsxError::NotAWorkbook => tr(lang, "import.error.not_a_workbook").to_string(),
            XlsxError::DamagedPart(part) => {
                fill(tr(lang, "import.error.damaged_part"), &[("part", part)])
            }
            XlsxError::TooLarge(part) => {
                fill(tr(lang, "import.error.too_large_part"), &[("part", part)])
            }
            XlsxError::NoSuchSheet(i) => fill(
                tr(lang, "import.error.no_such_sheet"),
                &[("sheet", &(i + 1).to_string())],
            ),
        },
    }
}

/// What stops a plan from being confirmed, in the person's words.
pub fn plan_problem_text(lang: Lang, p: &PlanProblem) -> String {
    let field_name = |f: &Field| tr(lang, &format!("field.{}", f.key()));
    match p {
        PlanProblem::Missing(f) => fill(tr(lang, "plan.missing"), &[("field", field_name(f))]),
        PlanProblem::Twice(f) => fill(tr(lang, "plan.twice"), &[("field", field_name(f))]),
        PlanProblem::NoKind => tr(lang, "plan.no_kind").to_string(),
        PlanProblem::ChooseDateOrder => tr(lang, "plan.choose_date_order").to_string(),
        PlanProblem::NoRows => tr(lang, "plan.no_rows").to_string(),
    }
}

/// Why an import did not run, naming the file from `names`.
pub fn import_error_text(lang: Lang, e: &ImportError, names: &HashMap<FileId, String>) -> String {
    match e {
        ImportError::Missing { file, .. } => fill(
            tr(lang, "import.missing_part"),
            &[("name", names.get(file).map_or("", String::as_str))],
        ),
        ImportError::Unready { name } => fill(tr(lang, "import.unready"), &[("name", name)]),
    }
}
