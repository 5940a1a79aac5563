//! Excel workbooks (XLSX) written by hand: a ZIP archive of a few XML parts, so the WebAssembly
//! carries no spreadsheet library. A sheet's XML is deflated while its rows are produced, so only
//! the compressed file is ever whole in memory; numbers go in as exact decimals, never via f64.
//!
//! Limits: ZIP's 32-bit fields, so the file must stay under 4 GiB (past that [`XlsxWriter::sheet`]
//! refuses the sheet); a text cell is cut at Excel's 32,767 characters.

use super::neutralise;
use crate::format::{scaled, NumberStyle};
use crate::i18n::{fill, tr, Lang};
use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::deflate::stream::deflate;
use miniz_oxide::{DataFormat, MZFlush, MZStatus};
use std::fmt::{self, Write as _};

const MAX_DATA_ROWS: usize = 1_048_575;
const MAX_COLUMNS: usize = 16_384;
/// ZIP's end record counts entries in 16 bits; five parts besides the sheets.
const MAX_SHEETS: usize = 60_000;
/// Excel refuses a cell longer than this (in UTF-16 units) with a repair prompt.
const MAX_CELL: usize = 32_767;
/// Sheet XML gathered before it is handed to the compressor.
const CHUNK: usize = 1 << 16;
/// Room kept below 4 GiB for what `finish` appends, so that it cannot fail: the fixed parts,
/// and per sheet its lines in the manifests and its central directory entry.
const RESERVE: usize = 1 << 16;
const RESERVE_PER_SHEET: usize = 1 << 10;
/// Indexes into styles.xml's cellXfs.
const BOLD: u8 = 1;

/// How a number cell is shown in Excel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberFormat {
    /// "#,##0.00"
    Money,
    /// "0.0%", of a fraction (0.2345 shows 23.5%).
    Percent,
    /// "#,##0"
    Integer,
}

impl NumberFormat {
    fn style(self) -> u8 {
        match self {
            NumberFormat::Money => 2,
            NumberFormat::Percent => 3,
            NumberFormat::Integer => 4,
        }
    }
}

/// One cell of a sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing: the cell is left out.
    Empty,
    /// Text, stored as an inline string, [`neutralise`]d.
    Text(String),
    /// Text in bold (headings in the Summary sheet).
    Heading(String),
    /// The exact number `scaled / 10^decimals` (`decimals` at most 18), shown with `format`.
    Number {
        scaled: i64,
        decimals: u32,
        format: NumberFormat,
    },
}

/// A column: its header text (bold, in row 1) and its width in characters.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f64,
}

/// Why a sheet cannot be written; the Display text is meant for the person exporting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XlsxWriteError {
    EmptyName,
    NameTooLong(String),
    NameCharacter(String, char),
    NameApostrophe(String),
    DuplicateName(String),
    TooManySheets,
    TooManyRows(String),
    TooManyColumns(String),
    TooManyDecimals(String),
    TooLarge,
    Compression,
}

impl XlsxWriteError {
    /// What Excel would refuse, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use XlsxWriteError::*;
        let say = |key: &str, sheet: &str, character: &str| {
            fill(
                tr(lang, &format!("xlsx_error.{key}")),
                &[("sheet", sheet), ("character", character)],
            )
        };
        match self {
            EmptyName => say("empty_name", "", ""),
            NameTooLong(n) => say("name_too_long", n, ""),
            NameCharacter(n, c) => say("name_character", n, &c.to_string()),
            NameApostrophe(n) => say("name_apostrophe", n, ""),
            DuplicateName(n) => say("duplicate_name", n, ""),
            TooManySheets => say("too_many_sheets", "", ""),
            TooManyRows(n) => say("too_many_rows", n, ""),
            TooManyColumns(n) => say("too_many_columns", n, ""),
            TooManyDecimals(n) => say("too_many_decimals", n, ""),
            TooLarge => say("too_large", "", ""),
            Compression => say("compression", "", ""),
        }
    }
}

impl fmt::Display for XlsxWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Builds an .xlsx file sheet by sheet.
#[derive(Default)]
pub struct XlsxWriter {
    zip: Zip,
    sheets: Vec<String>,
}

impl XlsxWriter {
    /// A workbook without sheets yet.
    pub fn new() -> XlsxWriter {
        XlsxWriter::default()
    }

    /// Appends a sheet. Row 1 holds the bold headers (when there are columns) and the data
    /// starts in row 2; `freeze_header` keeps row 1 in view. Rows are deflated as they come.
    /// On an error the sheet is left out and the writer stays usable.
    pub fn sheet(
        &mut self,
        name: &str,
        columns: &[Column],
        freeze_header: bool,
        rows: impl IntoIterator<Item = Vec<Cell>>,
    ) -> Result<(), XlsxWriteError> {
        self.check_name(name)?;
        if columns.len() > MAX_COLUMNS {
            return Err(XlsxWriteError::TooManyColumns(name.to_string()));
        }
        let first = self.sheets.is_empty();
        let path = format!("xl/worksheets/sheet{}.xml", self.sheets.len() + 1);
        let reserve = RESERVE + RESERVE_PER_SHEET * (self.sheets.len() + 1);
        self.zip.part(&path, reserve, |part| {
            let x = &mut part.text;
            x.push_str(SHEET_START);
            x.push_str(if first { r#" tabSelected="1""# } else { "" });
            x.push_str(if freeze_header { FROZEN } else { NOT_FROZEN });
            // An empty <cols> is invalid, and so is a width that is not a number.
            let widths = columns.iter().enumerate().filter(|(_, c)| c.width > 0.0);
            let mut widths = widths.filter(|(_, c)| c.width.is_finite()).peekable();
            if widths.peek().is_some() {
                x.push_str("<cols>");
                for (i, c) in widths {
                    let (n, w) = (i + 1, c.width.min(255.0));
                    let _ = write!(
                        x,
                        r#"<col min="{n}" max="{n}" width="{w}" customWidth="1"/>"#
                    );
                }
                x.push_str("</cols>");
            }
            x.push_str("<sheetData>");
            let mut refs = Vec::new();
            if !columns.is_empty() {
                x.push_str(r#"<row r="1">"#);
                for (i, c) in columns.iter().enumerate() {
                    text_cell(x, column_ref(&mut refs, i), 1, &c.header, Some(BOLD));
                }
                x.push_str("</row>");
            }
            for (i, row) in rows.into_iter().enumerate() {
                if i >= MAX_DATA_ROWS {
                    return Err(XlsxWriteError::TooManyRows(name.to_string()));
                }
                if row.len() > MAX_COLUMNS {
                    return Err(XlsxWriteError::TooManyColumns(name.to_string()));
                }
                let r = i + 2;
                let _ = write!(part.text, r#"<row r="{r}">"#);
                for (c, cell) in row.iter().enumerate() {
                    let (x, at) = (&mut part.text, column_ref(&mut refs, c));
                    match cell {
                        Cell::Empty => {}
                        Cell::Text(t) => text_cell(x, at, r, t, None),
                        Cell::Heading(t) => text_cell(x, at, r, t, Some(BOLD)),
                        // Past 18 places `scaled` would overflow; nothing the app makes has them.
                        Cell::Number { decimals, .. } if *decimals > 18 => {
                            return Err(XlsxWriteError::TooManyDecimals(name.to_string()));
                        }
                        Cell::Number {
                            scaled: v,
                            decimals: d,
                            format,
                        } => {
                            let (v, s) = (scaled(*v, *d, *d, NumberStyle::PLAIN), format.style());
                            let _ = write!(x, r#"<c r="{at}{r}" s="{s}"><v>{v}</v></c>"#);
                        }
                    }
                }
                part.text.push_str("</row>");
                part.flush_if_full();
            }
            part.text.push_str("</sheetData></worksheet>");
            Ok(())
        })?;
        self.sheets.push(name.to_string());
        Ok(())
    }

    fn check_name(&self, name: &str) -> Result<(), XlsxWriteError> {
        let owned = || name.to_string();
        if name.is_empty() {
            return Err(XlsxWriteError::EmptyName);
        }
        // Excel counts UTF-16 units.
        if name.encode_utf16().count() > 31 {
            return Err(XlsxWriteError::NameTooLong(owned()));
        }
        if let Some(c) = name.chars().find(|c| "[]:*?/\\".contains(*c)) {
            return Err(XlsxWriteError::NameCharacter(owned(), c));
        }
        if name.starts_with('\'') || name.ends_with('\'') {
            return Err(XlsxWriteError::NameApostrophe(owned()));
        }
        let lower = name.to_lowercase();
        if self.sheets.iter().any(|s| s.to_lowercase() == lower) {
            return Err(XlsxWriteError::DuplicateName(owned()));
        }
        if self.sheets.len() >= MAX_SHEETS {
            return Err(XlsxWriteError::TooManySheets);
        }
        Ok(())
    }

    /// The finished .xlsx file. A workbook without sheets gets an empty "Sheet1", as Excel
    /// opens none without one.
    pub fn finish(mut self) -> Vec<u8> {
        if self.sheets.is_empty() {
            let _ = self.sheet("Sheet1", &[], false, Vec::new());
        }
        let (mut types, mut sheets, mut rels) = (String::new(), String::new(), String::new());
        for (i, name) in self.sheets.iter().enumerate() {
            let n = i + 1;
            let _ = write!(
                types,
                r#"<Override PartName="/xl/worksheets/sheet{n}.xml" "#
            );
            let _ = write!(types, r#"ContentType="{WORKSHEET}"/>"#);
            sheets.push_str(r#"<sheet name=""#);
            escape(&mut sheets, name);
            let _ = write!(sheets, r#"" sheetId="{n}" r:id="rId{n}"/>"#);
            let _ = write!(rels, r#"<Relationship Id="rId{n}" Type="{REL}/worksheet" "#);
            let _ = write!(rels, r#"Target="worksheets/sheet{n}.xml"/>"#);
        }
        let _ = write!(rels, r#"<Relationship Id="rId{}" "#, self.sheets.len() + 1);
        let _ = write!(rels, r#"Type="{REL}/styles" Target="styles.xml"/>"#);
        let parts = [
            ("[Content_Types].xml", TYPES.replace("{}", &types)),
            ("_rels/.rels", ROOT_RELS.replace("{}", REL)),
            ("xl/workbook.xml", WORKBOOK.replace("{}", &sheets)),
            ("xl/_rels/workbook.xml.rels", RELS.replace("{}", &rels)),
            ("xl/styles.xml", STYLES.to_string()),
        ];
        for (name, xml) in parts {
            // Cannot fail: `sheet` kept room for these below 4 GiB.
            let _ = self.zip.part(name, 0, |p| {
                p.text.push_str(&xml);
                Ok(())
            });
        }
        self.zip.finish()
    }
}

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORKSHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const SHEET_START: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<sheetViews><sheetView workbookViewId="0""#,
);
const FROZEN: &str = concat!(
    r#"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
    r#"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#,
);
const NOT_FROZEN: &str = "/></sheetViews>";
const TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" "#,
    r#"ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" ContentType=""#,
    r#"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/styles.xml" ContentType=""#,
    r#"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{}</Types>"#,
);
const ROOT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="{}/officeDocument" Target="xl/workbook.xml"/>"#,
    "</Relationships>",
);
const WORKBOOK: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    "<sheets>{}</sheets></workbook>",
);
const RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    "{}</Relationships>",
);
/// cellXfs: 0 default, 1 bold, 2 money (built-in 4), 3 percent (164), 4 integer (built-in 3).
/// Fills 0 and 1 are the pair Excel requires.
const STYLES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r#"<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>"#,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#,
    r#"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill>"#,
    r#"<fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>"#,
    r#"</cellStyleXfs><cellXfs count="5">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>"#,
    "</cellStyles></styleSheet>",
);

/// A column's letters, computed once per sheet: a sheet repeats the same few on every row.
fn column_ref(cache: &mut Vec<String>, column: usize) -> &str {
    while cache.len() <= column {
        cache.push(column_letters(cache.len()));
    }
    &cache[column]
}

/// 0 → "A", 26 → "AA", 16383 → "XFD".
fn column_letters(mut n: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

fn text_cell(x: &mut String, column: &str, row: usize, text: &str, style: Option<u8>) {
    let text = neutralise(text);
    let mut text: &str = &text;
    if text.len() > MAX_CELL {
        let mut units = 0;
        let mut past_limit = |c: char| {
            units += c.len_utf16();
            units > MAX_CELL
        };
        let end = text.char_indices().find(|&(_, c)| past_limit(c));
        text = &text[..end.map_or(text.len(), |(i, _)| i)];
    }
    if text.is_empty() {
        return;
    }
    let _ = write!(x, r#"<c r="{column}{row}""#);
    if let Some(s) = style {
        let _ = write!(x, r#" s="{s}""#);
    }
    x.push_str(r#" t="inlineStr"><is><t"#);
    let space = |c: Option<char>| matches!(c, Some(' ' | '\t' | '\n' | '\r'));
    if space(text.chars().next()) || space(text.chars().last()) {
        x.push_str(r#" xml:space="preserve""#);
    }
    x.push('>');
    escape(x, text);
    x.push_str("</t></is></c>");
}

/// Text for XML content or a double-quoted attribute; characters XML 1.0 forbids become U+FFFD.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // A literal CR would be read back as a line feed.
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = (c >> 1) ^ (0xEDB8_8320 & (c & 1).wrapping_neg());
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// Continues a CRC-32 (ZIP's): start from `!0`, and invert the end result.
fn crc_update(mut crc: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        crc = CRC_TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    crc
}

#[derive(Default)]
struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    entries: Vec<Entry>,
}

/// A part being written: XML gathers in `text` and is deflated into the archive in chunks.
struct Part<'a> {
    text: String,
    out: &'a mut Vec<u8>,
    compressor: Box<CompressorOxide>,
    scratch: Vec<u8>,
    crc: u32,
    size: u64,
    failed: bool,
}

impl Part<'_> {
    fn flush_if_full(&mut self) {
        if self.text.len() >= CHUNK {
            self.deflate(MZFlush::None);
        }
    }

    fn deflate(&mut self, flush: MZFlush) {
        let input = self.text.as_bytes();
        self.size += input.len() as u64;
        // Past 4 GiB the part is refused anyway: no need to compress the rest.
        if !self.failed && self.size <= u32::MAX as u64 {
            self.crc = crc_update(self.crc, input);
            let mut rest = input;
            loop {
                let r = deflate(&mut self.compressor, rest, &mut self.scratch, flush);
                self.out
                    .extend_from_slice(self.scratch.get(..r.bytes_written).unwrap_or_default());
                rest = rest.get(r.bytes_consumed..).unwrap_or_default();
                match r.status {
                    Ok(MZStatus::StreamEnd) => break,
                    Ok(_) if flush == MZFlush::None && rest.is_empty() => break,
                    Ok(_) if r.bytes_written > 0 || r.bytes_consumed > 0 => {}
                    _ => {
                        self.failed = true;
                        break;
                    }
                }
            }
        }
        self.text.clear();
    }
}

fn header(out: &mut Vec<u8>, signature: u32, central: bool, e: &Entry) {
    out.extend_from_slice(&signature.to_le_bytes());
    if central {
        out.extend_from_slice(&20u16.to_le_bytes()); // made by: version 2.0
    }
    // Version 2.0, no flags, deflate, 00:00 on 1980-01-01 (fixed, so output is reproducible).
    for v in [20u16, 0, 8, 0, 0x21] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in [e.crc, e.compressed, e.size] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field
    if central {
        out.extend_from_slice(&[0; 10]); // comment, disk, attributes
        out.extend_from_slice(&e.offset.to_le_bytes());
    }
    out.extend_from_slice(e.name.as_bytes());
}

impl Zip {
    /// Writes one deflated entry, filled by `fill`; on an error the archive is as before. The
    /// archive must then still have `reserve` bytes of room below 4 GiB.
    fn part(
        &mut self,
        name: &str,
        reserve: usize,
        fill: impl FnOnce(&mut Part) -> Result<(), XlsxWriteError>,
    ) -> Result<(), XlsxWriteError> {
        let start = self.out.len();
        let name = name.to_string();
        let mut entry = Entry {
            name,
            ..Entry::default()
        };
        header(&mut self.out, 0x0403_4b50, false, &entry);
        let data = self.out.len();
        let mut compressor = Box::<CompressorOxide>::default();
        compressor.set_format_and_level(DataFormat::Raw, 6);
        let mut part = Part {
            text: String::with_capacity(CHUNK + 1024),
            out: &mut self.out,
            compressor,
            scratch: vec![0; CHUNK],
            crc: !0,
            size: 0,
            failed: false,
        };
        let filled = fill(&mut part);
        part.deflate(MZFlush::Finish);
        let (crc, size, failed) = (!part.crc, part.size, part.failed);
        let fits = |n: u64| u32::try_from(n).ok();
        let end = self.out.len() as u64 + reserve as u64;
        let compressed = (self.out.len() - data) as u64;
        let sizes = (fits(size), fits(compressed), fits(start as u64), fits(end));
        let checked = filled.and(match sizes {
            (Some(s), Some(c), Some(o), Some(_)) if !failed => Ok((s, c, o)),
            (Some(_), Some(_), Some(_), Some(_)) => Err(XlsxWriteError::Compression),
            _ => Err(XlsxWriteError::TooLarge),
        });
        let (size, compressed, offset) = checked.inspect_err(|_| self.out.truncate(start))?;
        (entry.crc, entry.size, entry.compressed, entry.offset) = (crc, size, compressed, offset);
        let mut local = Vec::with_capacity(data - start);
        header(&mut local, 0x0403_4b50, false, &entry);
        self.out[start..data].copy_from_slice(&local);
        self.entries.push(entry);
        Ok(())
    }

    fn finish(mut self) -> Vec<u8> {
        let directory = self.out.len();
        for e in &self.entries {
            header(&mut self.out, 0x0201_4b50, true, e);
        }
        let count = self.entries.len() as u16;
        let size = (self.out.len() - directory) as u32;
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        // This disk, the directory's disk, entries here, entries in all.
        for v in [0, 0, count, count] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        for v in [size, directory as u32] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        self.out.extend_from_slice(&[0, 0]); // no comment
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::xlsx::Workbook;
    use std::borrow::Cow;
    use NumberFormat::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn num(scaled: i64, decimals: u32, format: NumberFormat) -> Cell {
        Cell::Number {
            scaled,
            decimals,
            format,
        }
    }

    fn columns(names: &[&str]) -> Vec<Column> {
        let column = |n: &&str| Column {
            header: n.to_string(),
            width: 14.5,
        };
        names.iter().map(column).collect()
    }

    /// A part of the archive, unpacked, found through the central directory.
    fn part(zip: &[u8], name: &str) -> String {
        let u16_at = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
        let u32_at = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap()) as usize;
        let end = zip.len() - 22;
        assert_eq!(u32_at(end), 0x0605_4b50);
        let mut at = u32_at(end + 16);
        for _ in 0..u16_at(end + 10) {
            let name_len = u16_at(at + 28);
            if &zip[at + 46..at + 46 + name_len] == name.as_bytes() {
                let local = u32_at(at + 42);
                let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
                let packed = &zip[data..data + u32_at(at + 20)];
                let bytes = miniz_oxide::inflate::decompress_to_vec(packed).unwrap();
                assert_eq!(!crc_update(!0, &bytes), u32_at(at + 16) as u32);
                return String::from_utf8(bytes).unwrap();
            }
            at += 46 + name_len;
        }
        panic!("no part {name}");
    }

    fn sample() -> Vec<u8> {
        let mut w = XlsxWriter::new();
        let summary = vec![
            vec![
                Cell::Heading("Totals".into()),
                Cell::Empty,
                text("  padded "),
            ],
            vec![text("Tom & Jerry <\"Ltd\"> 'x'"), num(-123_456, 2, Money)],
            vec![text("=SUM(A1)"), num(2345, 4, Percent)],
            vec![Cell::Empty, num(1_234_567, 0, Integer)],
        ];
        let headers = columns(&["Line", "Value"]);
        w.sheet("Summary", &headers, false, summary).unwrap();
        let customers = vec![vec![text("Acme"), text("-2")]];
        let headers = columns(&["Customer", "Note"]);
        w.sheet("Customers", &headers, true, customers).unwrap();
        w.finish()
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(!crc_update(!0, b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn column_letters_like_excel() {
        let cases = [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
            (16_383, "XFD"),
        ];
        for (n, letters) in cases {
            assert_eq!(column_letters(n), letters);
        }
    }

    #[test]
    fn neutralise_formula_starts() {
        for t in ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx"] {
            assert_eq!(neutralise(t), format!("'{t}"));
        }
        for t in ["Acme", "", "a=b"] {
            assert!(matches!(neutralise(t), Cow::Borrowed(s) if s == t));
        }
    }

    #[test]
    fn round_trip_through_the_reader() {
        let bytes = sample();
        let book = Workbook::open(&bytes).unwrap();
        assert_eq!(book.sheet_names(), ["Summary", "Customers"]);
        let s = book.sheet(0).unwrap();
        let rows: Vec<Vec<&str>> = (0..s.row_count()).map(|r| s.row(r).collect()).collect();
        assert_eq!(
            rows,
            [
                vec!["Line", "Value"],
                vec!["Totals", "", "  padded "],
                vec!["Tom & Jerry <\"Ltd\"> 'x'", "-1234.56"],
                vec!["'=SUM(A1)", "0.2345"],
                vec!["", "1234567"],
            ]
        );
        let c = book.sheet(1).unwrap();
        assert_eq!(c.row_count(), 2);
        let cells = [c.cell(0, 0), c.cell(0, 1), c.cell(1, 0), c.cell(1, 1)];
        assert_eq!(cells, ["Customer", "Note", "Acme", "'-2"]);
    }

    #[test]
    fn a_sheet_of_many_megabytes_reads_back_a_piece_at_a_time() {
        // 60,000 rows of over a hundred bytes of XML each: several MB, read in pieces of 1 MiB.
        // Row i holds "C{i}" and i.05 (5 + 100 i hundredths).
        let rows = 60_000;
        let mut w = XlsxWriter::new();
        let data = (0..rows).map(|i| vec![text(&format!("C{i}")), num(5 + 100 * i, 2, Money)]);
        w.sheet("Invoices", &columns(&["Customer", "Amount"]), true, data)
            .unwrap();
        let bytes = w.finish();
        let book = Workbook::open(&bytes).unwrap();
        let mut told = Vec::new();
        let s = book
            .sheet_with(0, &mut |done, all| told.push((done, all)))
            .unwrap();
        // Told more than once, each time further, the last time all of it.
        assert!(told.len() > 5, "{} pieces", told.len());
        assert!(told.windows(2).all(|w| w[0].0 < w[1].0));
        let (done, all) = told[told.len() - 1];
        assert!(done == all && all > 6 << 20, "{done} of {all}");
        assert_eq!(s.row_count(), rows as usize + 1);
        assert_eq!([s.cell(0, 0), s.cell(0, 1)], ["Customer", "Amount"]);
        assert_eq!([s.cell(1, 0), s.cell(1, 1)], ["C0", "0.05"]);
        assert_eq!(
            [s.cell(60_000, 0), s.cell(60_000, 1)],
            ["C59999", "59999.05"]
        );
        // Every row once, in order: the amounts add up to 100 x (0 + ... + 59,999) + 5 x
        // 60,000 hundredths = 179,997,000,000 + 300,000.
        let mut hundredths = 0i64;
        for r in 1..s.row_count() {
            assert_eq!(s.cell(r, 0), format!("C{}", r - 1));
            let amount: rust_decimal::Decimal = s.cell(r, 1).parse().unwrap();
            hundredths += i64::try_from(amount * rust_decimal::Decimal::ONE_HUNDRED).unwrap();
        }
        assert_eq!(hundredths, 179_997_000_000 + 300_000);
    }

    #[test]
    fn sheet_xml_has_styles_pane_and_widths() {
        let bytes = sample();
        let summary = part(&bytes, "xl/worksheets/sheet1.xml");
        for expected in [
            r#"<c r="A2" s="1" t="inlineStr"><is><t>Totals</t></is></c>"#,
            r#"<c r="C2" t="inlineStr"><is><t xml:space="preserve">  padded </t></is></c>"#,
            "<t>Tom &amp; Jerry &lt;&quot;Ltd&quot;&gt; 'x'</t>",
            r#"<c r="B3" s="2"><v>-1234.56</v></c>"#,
            r#"<c r="B4" s="3"><v>0.2345</v></c>"#,
            r#"<c r="B5" s="4"><v>1234567</v></c>"#,
        ] {
            assert!(summary.contains(expected), "{expected}");
        }
        assert!(!summary.contains("<pane"));
        let customers = part(&bytes, "xl/worksheets/sheet2.xml");
        for expected in [
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#,
            r#"<cols><col min="1" max="1" width="14.5" customWidth="1"/><col min="2" max="2""#,
        ] {
            assert!(customers.contains(expected), "{expected}");
        }
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains(r#"<numFmt numFmtId="164" formatCode="0.0%"/>"#));
    }

    #[test]
    fn escape_replaces_what_xml_forbids() {
        let mut out = String::new();
        escape(&mut out, "a\u{1}b\tc\r\u{ffff}");
        assert_eq!(out, "a\u{fffd}b\tc&#13;\u{fffd}");
    }

    #[test]
    fn names_excel_refuses() {
        use XlsxWriteError::*;
        let mut w = XlsxWriter::new();
        w.sheet("Summary", &[], false, Vec::new()).unwrap();
        let mut try_sheet = |name: &str, rows| w.sheet(name, &[], false, rows).unwrap_err();
        let long = "x".repeat(32);
        assert_eq!(try_sheet(&long, vec![]), NameTooLong(long.clone()));
        assert_eq!(try_sheet("a/b", vec![]), NameCharacter("a/b".into(), '/'));
        assert_eq!(
            try_sheet("summary", vec![]),
            DuplicateName("summary".into())
        );
        assert_eq!(try_sheet("", vec![]), EmptyName);
        let wide = vec![vec![Cell::Empty; MAX_COLUMNS + 1]];
        assert_eq!(try_sheet("Wide", wide), TooManyColumns("Wide".into()));
        assert_eq!(
            NameTooLong(long).to_string(),
            format!(
                "the sheet name \"{}\" is longer than Excel's 31 characters",
                "x".repeat(32)
            )
        );
        // The refused sheets left nothing behind.
        let bytes = w.finish();
        assert_eq!(Workbook::open(&bytes).unwrap().sheet_names(), ["Summary"]);
    }

    #[test]
    fn same_input_same_bytes() {
        assert_eq!(sample(), sample());
    }

    #[test]
    fn large_sheet_in_chunks() {
        let rows = (0..50_000i64).map(|i| {
            let name = text(&format!("Customer {i}"));
            let share = num(i % 10_000, 4, Percent);
            vec![
                name,
                num(i * 101, 2, Money),
                num(i, 0, Integer),
                share,
                text("segment"),
            ]
        });
        let mut w = XlsxWriter::new();
        w.sheet(
            "Customers",
            &columns(&["A", "B", "C", "D", "E"]),
            true,
            rows,
        )
        .unwrap();
        let bytes = w.finish();
        let grid = Workbook::open(&bytes).unwrap().sheet(0).unwrap();
        assert_eq!(grid.row_count(), 50_001);
        let last: Vec<_> = grid.row(50_000).collect();
        assert_eq!(
            last,
            ["Customer 49999", "50498.99", "49999", "0.9999", "segment"]
        );
    }
}
