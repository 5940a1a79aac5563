//! Import: the person's files, as they are, into the engine's facts.
//!
//! The steps, each its own module:
//! 1. bytes to a grid of cells: [`decode`] and [`delimited`] for text, [`xlsx`] for Excel;
//! 2. a proposed [`Plan`] (which table, which column is which field, the number format and
//!    date order) from the headers and the cells: [`propose`], with [`headers`] for the words;
//! 3. the person checks a [`preview`] of the first rows as they will be read, changes the plan
//!    if needed, and confirms;
//! 4. every row is read into a [`Staging`] or reported as a [`Problem`] naming file, row,
//!    column, value and reason; [`Staging::finish`] aggregates the facts and folds the
//!    aggregation's refusals into the same report.
//!
//! Nothing is dropped or changed silently: for every file, rows read = rows used + rows
//! rejected, and blank rows are counted apart.

pub mod decode;
pub mod delimited;
pub mod fields;
mod grid;
pub mod headers;
mod plan;
mod staging;
pub mod xlsx;

pub use fields::{CellType, Field, TableKind};
pub use plan::CellProblem;
pub use plan::{preview, propose, read_cell, Cell, Plan, PlanProblem, PreviewRow, Proposal, Value};
pub use staging::{problems_csv, FileReport, Finished, Problem, Reason, Staging};

pub use grid::Grid;

use decode::{DecodeError, Encoding};
use delimited::{Separator, TextError};
use serde::{Deserialize, Serialize};
use std::fmt;
use xlsx::XlsxError;

/// How a file was read into its grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    Text {
        encoding: Encoding,
        bom: bool,
        /// Another encoding that also reads the file, differently (see [`decode::Decoded`]).
        alternative: Option<Encoding>,
        separator: Separator,
    },
    Workbook {
        /// Index into `sheets` of the sheet read.
        sheet: usize,
        sheets: Vec<String>,
    },
}

/// A file (or pasted text) read into a grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub name: String,
    pub layout: Layout,
    pub grid: Grid,
}

/// What the person chose instead of what was detected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadChoice {
    pub encoding: Option<Encoding>,
    pub separator: Option<Separator>,
    pub sheet: Option<usize>,
}

/// Why a file cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileError {
    Empty,
    /// The text is longer than one grid holds (4 GiB).
    TooLarge,
    /// The browser could not read the file (moved, deleted or changed since it was chosen).
    Unreadable,
    Decode(DecodeError),
    Text(TextError),
    Workbook(XlsxError),
}

/// A file given to an import that could not be read at all: kept with the import's account,
/// so the summary names it beside the files that were read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedFile {
    pub name: String,
    pub error: FileError,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Empty => f.write_str("the file is empty"),
            FileError::TooLarge => f.write_str("the file is too large to open"),
            FileError::Unreadable => f.write_str("the browser could not read the file"),
            FileError::Decode(e) => e.fmt(f),
            FileError::Text(e) => e.fmt(f),
            FileError::Workbook(e) => e.fmt(f),
        }
    }
}

/// Reads a file's bytes into a grid: an Excel workbook when the bytes are a ZIP archive (XLSX),
/// otherwise delimited text.
pub fn read_source(name: &str, bytes: &[u8], choice: ReadChoice) -> Result<Source, FileError> {
    read_source_with(name, bytes.to_vec(), choice, &mut |_, _| {})
}

/// [`read_source`] of bytes the caller gives up (text is decoded and split in their own
/// buffer), telling `progress(done, in all)` as it reads (bytes of text or sheet XML).
pub fn read_source_with(
    name: &str,
    bytes: Vec<u8>,
    choice: ReadChoice,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Source, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if xlsx::is_zip(&bytes) {
        let book = xlsx::Workbook::open(&bytes).map_err(FileError::Workbook)?;
        let sheet = choice.sheet.unwrap_or(0);
        let grid = book
            .sheet_with(sheet, progress)
            .map_err(FileError::Workbook)?;
        return Ok(Source {
            name: name.to_string(),
            layout: Layout::Workbook {
                sheet,
                sheets: book.sheet_names(),
            },
            grid,
        });
    }
    let (text, encoding, bom, alternative) = match choice.encoding {
        Some(e) => (
            decode::decode_as_owned(bytes, e).map_err(FileError::Decode)?,
            e,
            false,
            None,
        ),
        None => {
            let d = decode::decode_owned(bytes).map_err(FileError::Decode)?;
            (d.text, d.encoding, d.bom, d.alternative)
        }
    };
    read_text_with(name, text, choice.separator, progress).map(|mut source| {
        if let Layout::Text {
            encoding: e,
            bom: b,
            alternative: a,
            ..
        } = &mut source.layout
        {
            (*e, *b, *a) = (encoding, bom, alternative);
        }
        source
    })
}

/// Reads a file into one source per sheet that holds anything (an XLSX) or one source (text).
/// Sheets are named "file.xlsx › Sheet"; the person drops those not to import.
pub fn read_sources(name: &str, bytes: &[u8]) -> Result<Vec<Source>, FileError> {
    read_sources_with(name, bytes.to_vec(), &mut |_, _| {})
}

/// [`read_sources`] of bytes the caller gives up, telling `progress(done, in all)` as it reads;
/// for a workbook, sheet by
/// sheet, each sheet's share of the whole in proportion to its XML.
pub fn read_sources_with(
    name: &str,
    bytes: Vec<u8>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Source>, FileError> {
    if !xlsx::is_zip(&bytes) {
        return read_source_with(name, bytes, ReadChoice::default(), progress).map(|s| vec![s]);
    }
    let book = xlsx::Workbook::open(&bytes).map_err(FileError::Workbook)?;
    let sheets = book.sheet_names();
    let mut sources = Vec::new();
    let count = sheets.len();
    for (index, sheet) in sheets.iter().enumerate() {
        // Sheets share the bar equally: their sizes are not known before they are unpacked.
        let mut sheet_progress = |done: usize, all: usize| {
            let share = done as f64 / all.max(1) as f64;
            progress(((index as f64 + share) * 1000.0) as usize, count * 1000);
        };
        let grid = book
            .sheet_with(index, &mut sheet_progress)
            .map_err(FileError::Workbook)?;
        if grid.is_blank() {
            continue;
        }
        sources.push(Source {
            name: format!("{name} › {sheet}"),
            layout: Layout::Workbook {
                sheet: index,
                sheets: sheets.clone(),
            },
            grid,
        });
    }
    if sources.is_empty() {
        return Err(FileError::Empty);
    }
    Ok(sources)
}

/// Reads text already decoded (a paste): separator detected unless chosen.
pub fn read_text(
    name: &str,
    text: &str,
    separator: Option<Separator>,
) -> Result<Source, FileError> {
    read_text_with(name, text.to_string(), separator, &mut |_, _| {})
}

/// [`read_text`] of text the caller gives up (split in its own buffer), telling
/// `progress(bytes done, bytes in all)`.
pub fn read_text_with(
    name: &str,
    text: String,
    separator: Option<Separator>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Source, FileError> {
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    // A grid's offsets are 32-bit.
    if u32::try_from(text.len()).is_err() {
        return Err(FileError::TooLarge);
    }
    let separator = separator.unwrap_or_else(|| delimited::detect_separator(&text));
    let grid = delimited::split_owned(text, separator, progress).map_err(FileError::Text)?;
    Ok(Source {
        name: name.to_string(),
        layout: Layout::Text {
            encoding: Encoding::Utf8,
            bom: false,
            alternative: None,
            separator,
        },
        grid,
    })
}

/// A column's spreadsheet letter: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn text_files_in_each_encoding_read_alike() {
        let utf8 = "Ügyfél;Összeg\nC1;1 234,50\n";
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        utf16.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
        // Windows-1250: Ü = 0xDC, é = 0xE9, Ö = 0xD6.
        let cp1250 = b"\xDCgyf\xE9l;\xD6sszeg\nC1;1 234,50\n";
        for bytes in [utf8.as_bytes(), &utf16, cp1250] {
            let s = read_source("f.csv", bytes, ReadChoice::default()).unwrap();
            assert_eq!(
                s.grid.to_rows(),
                vec![vec!["Ügyfél", "Összeg"], vec!["C1", "1 234,50"]]
            );
        }
        assert_eq!(
            read_source("e.csv", b"", ReadChoice::default()),
            Err(FileError::Empty)
        );
    }
}
