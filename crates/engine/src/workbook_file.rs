//! The workbook as a file the person keeps (`.profitbook.json`): the customers' data, how each
//! imported file was read, the assumptions, the scenarios and the view. JSON, so that it is
//! readable and diffable, with a format name and a version that are checked before anything
//! else is read; opening a file that fails any check changes nothing.

use crate::assumptions::Assumptions;
use crate::currency::Currency;
use crate::drivers::Model;
use crate::i18n::{fill, tr, Lang};
use crate::import::Plan;
use crate::saved::Origin;
use crate::scenario::Scenarios;
use crate::table::View;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The value of the file's `format` field.
pub const FORMAT: &str = "profitbook-workbook";
/// The schema this build writes and reads.
pub const VERSION: u32 = 1;

/// How one imported file was read: its name and the confirmed plan (table, columns, number and
/// date formats, currency). Kept as the record of where the figures came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MappedFile {
    pub file: String,
    pub plan: Plan,
}

/// Everything a workbook file holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkbookFile {
    pub origin: Origin,
    #[serde(default)]
    pub mapping: Vec<MappedFile>,
    pub model: Model,
    pub assumptions: Assumptions,
    #[serde(default)]
    pub scenarios: Scenarios,
    #[serde(default)]
    pub view: View,
    /// The currency the amounts are in (files written before it was kept are in euros, the
    /// workbook's default).
    #[serde(default)]
    pub currency: Currency,
}

/// Why a file cannot be opened as a workbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// Not JSON at all (a spreadsheet, a picture).
    NotJson { line: usize, column: usize },
    /// JSON that ends too soon: a download or a copy that did not finish.
    CutShort,
    /// JSON, but not a Profitbook workbook.
    Foreign,
    /// Written by a newer Profitbook than this one.
    Newer { found: u64 },
    /// A workbook file whose content does not fit the schema, or whose parts disagree.
    Damaged(String),
}

impl OpenError {
    /// What is wrong, as the end of "{file} was not opened: it …" in `lang`. A damaged file's
    /// detail is the JSON reader's own words, kept for whoever repairs the file.
    pub fn message(&self, lang: Lang) -> String {
        let t = |key| tr(lang, key);
        match self {
            OpenError::NotJson { line, column } => fill(
                t("open.not_json"),
                &[("line", &line.to_string()), ("column", &column.to_string())],
            ),
            OpenError::CutShort => t("open.cut_short").to_string(),
            OpenError::Foreign => t("open.foreign").to_string(),
            OpenError::Newer { found } => fill(
                t("open.newer"),
                &[
                    ("found", &found.to_string()),
                    ("supported", &VERSION.to_string()),
                ],
            ),
            OpenError::Damaged(detail) => fill(t("open.damaged"), &[("detail", detail)]),
        }
    }
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The file's bytes. The model is written without being copied (it can hold a million
/// customers).
pub fn to_json(
    origin: Origin,
    mapping: &[MappedFile],
    model: &Model,
    assumptions: &Assumptions,
    scenarios: &Scenarios,
    view: &View,
    currency: Currency,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        format: &'static str,
        version: u32,
        origin: Origin,
        mapping: &'a [MappedFile],
        model: &'a Model,
        assumptions: &'a Assumptions,
        scenarios: &'a Scenarios,
        view: &'a View,
        currency: Currency,
    }
    // Field for field `WorkbookFile` after the two header fields, which reads it back (tested).
    serde_json::to_vec(&Borrowed {
        format: FORMAT,
        version: VERSION,
        origin,
        mapping,
        model,
        assumptions,
        scenarios,
        view,
        currency,
    })
    // Plain data with string map keys serialises without error.
    .unwrap_or_default()
}

/// Reads a workbook file: the format and version first, then the content, then the model's
/// consistency and the view against the model. Assumptions are checked by the caller against
/// the model, as for any other change of assumptions.
pub fn from_json(bytes: &[u8]) -> Result<WorkbookFile, OpenError> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u64>,
    }
    // A file that stops inside a character (names are UTF-8) stopped before its end.
    if std::str::from_utf8(bytes).is_err_and(|e| e.error_len().is_none()) {
        return Err(OpenError::CutShort);
    }
    // The header alone first, so a foreign or newer file is named as such, not as damaged.
    let header: Header = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => OpenError::Foreign,
        serde_json::error::Category::Eof => OpenError::CutShort,
        _ => OpenError::NotJson {
            line: e.line(),
            column: e.column(),
        },
    })?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(OpenError::Foreign);
    }
    match header.version {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => return Err(OpenError::Newer { found: v }),
        other => {
            return Err(OpenError::Damaged(format!(
                "its version is {}, which no Profitbook wrote",
                other.map_or("missing".to_string(), |v| v.to_string())
            )))
        }
    }
    let mut file: WorkbookFile =
        serde_json::from_slice(bytes).map_err(|e| OpenError::Damaged(e.to_string()))?;
    file.model.check().map_err(OpenError::Damaged)?;
    file.view = file.view.fitted_to(&file.model);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{sample_model, two_ticket_customers};

    fn file_of(model: Model) -> WorkbookFile {
        let assumptions = Assumptions {
            cost_per_ticket: rust_decimal::Decimal::new(750, 2),
            ..Assumptions::default()
        };
        let mut scenarios = Scenarios::default();
        scenarios.save_as("Tickets at 7.50", &assumptions).unwrap();
        let mut view = View::default();
        view.query.search = "acme".to_string();
        WorkbookFile {
            origin: Origin::Imported { files: 2 },
            mapping: Vec::new(),
            model,
            assumptions,
            scenarios,
            view,
            currency: Currency::Pln,
        }
    }

    fn bytes_of(f: &WorkbookFile) -> Vec<u8> {
        to_json(
            f.origin,
            &f.mapping,
            &f.model,
            &f.assumptions,
            &f.scenarios,
            &f.view,
            f.currency,
        )
    }

    #[test]
    fn a_saved_workbook_opens_as_it_was() {
        let file = file_of(sample_model());
        let opened = from_json(&bytes_of(&file)).expect("opens");
        assert_eq!(opened, file);
        assert_eq!(opened.assumptions.cost_per_ticket.to_string(), "7.50");
        assert_eq!(opened.scenarios.list[0].name, "Tickets at 7.50");
    }

    #[test]
    fn money_and_rates_are_written_as_exact_decimal_strings() {
        let text = String::from_utf8(bytes_of(&file_of(two_ticket_customers()))).unwrap();
        assert!(text.starts_with("{\"format\":\"profitbook-workbook\",\"version\":1,"));
        assert!(text.contains("\"cost_per_ticket\":\"7.50\""), "{text}");
    }

    #[test]
    fn files_that_are_not_workbooks_are_named_for_what_they_are() {
        assert_eq!(
            from_json(b"PK\x03\x04 an xlsx"),
            Err(OpenError::NotJson { line: 1, column: 1 })
        );
        assert_eq!(from_json(b"{\"name\": \"x\"}"), Err(OpenError::Foreign));
        assert_eq!(from_json(b"[1, 2]"), Err(OpenError::Foreign));
        assert_eq!(
            from_json(b"{\"format\": \"profitbook-workbook\", \"version\": 7}"),
            Err(OpenError::Newer { found: 7 })
        );
        let cut = bytes_of(&file_of(two_ticket_customers()));
        assert_eq!(from_json(&cut[..cut.len() / 2]), Err(OpenError::CutShort));
        // Cut inside a two-byte character: "ő" is C5 91.
        let mut file = file_of(two_ticket_customers());
        file.model.names[1] = "Kő".to_string();
        let bytes = bytes_of(&file);
        let at = bytes.windows(2).position(|w| w == [0xC5, 0x91]).unwrap();
        assert_eq!(from_json(&bytes[..at + 1]), Err(OpenError::CutShort));
    }

    #[test]
    fn a_model_whose_parts_disagree_is_refused() {
        let mut file = file_of(two_ticket_customers());
        file.model.names.pop();
        assert_eq!(
            from_json(&bytes_of(&file)),
            Err(OpenError::Damaged(
                "names has 1 entries for 2 customers".to_string()
            ))
        );
        let mut file = file_of(two_ticket_customers());
        file.model.drivers[0].revenue = 5;
        let mut text = String::from_utf8(bytes_of(&file)).unwrap();
        text = text.replacen("\"revenue\":5", "\"revenue\":\"five\"", 1);
        let Err(OpenError::Damaged(detail)) = from_json(text.as_bytes()) else {
            panic!("a text revenue must be refused");
        };
        assert!(detail.contains("invalid type: string \"five\""), "{detail}");
    }

    #[test]
    fn bounds_are_recomputed_not_trusted() {
        let mut file = file_of(two_ticket_customers());
        file.model.bounds = Default::default();
        let opened = from_json(&bytes_of(&file)).unwrap();
        // The larger revenue of the two customers (1,000.00 each).
        assert_eq!(opened.model.bounds.revenue, 100_000);
    }

    #[test]
    fn a_view_naming_what_the_data_lacks_falls_back() {
        let mut file = file_of(two_ticket_customers());
        file.view.query.attribute = Some((3, 0));
        file.view.group_by = "region".to_string();
        let opened = from_json(&bytes_of(&file)).unwrap();
        assert_eq!(opened.view.query.attribute, None);
        assert_eq!(opened.view.group_by, "");
        assert_eq!(opened.view.query.search, "acme");
    }
}
