//! Excel workbooks (XLSX): a ZIP archive of XML parts. Only what a table of customer data needs
//! is read: the sheet names, the shared strings, the cells, and which number formats are dates.
//! A small reader of our own (with `miniz_oxide` for the deflate streams) keeps the
//! WebAssembly small; formulas are read as their cached values, as Excel shows them.

use super::Grid;
use crate::date::Date;
use std::collections::HashMap;
use std::fmt;

/// Why a workbook cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum XlsxError {
    /// Not a ZIP archive, or a damaged one.
    NotAnArchive,
    /// A ZIP archive without the parts of an Excel workbook (an .ods or .docx, say).
    NotAWorkbook,
    /// A part is compressed in a way Excel does not use, or its data is damaged.
    DamagedPart(String),
    /// A part would unpack to more than the import accepts.
    TooLarge(String),
    /// The workbook has no sheet of this index.
    NoSuchSheet(usize),
}

impl fmt::Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XlsxError::NotAnArchive => {
                f.write_str("not an Excel workbook (the archive is damaged)")
            }
            XlsxError::NotAWorkbook => f.write_str("a ZIP archive, but not an Excel workbook"),
            XlsxError::DamagedPart(p) => write!(f, "the workbook's part {p} is damaged"),
            XlsxError::TooLarge(p) => write!(f, "the workbook's part {p} is too large to open"),
            XlsxError::NoSuchSheet(i) => write!(f, "the workbook has no sheet {}", i + 1),
        }
    }
}

/// The largest part unpacked: a sheet of Excel's maximum 1,048,576 rows is well below it.
const MAX_PART_BYTES: usize = 1 << 31;

/// How much of a large part is unpacked at a time ([`Workbook::part_in_pieces`]).
const PIECE_BYTES: usize = 1 << 20;

/// How many times its compressed size a part's stated size is trusted to be: sheet XML deflates
/// to a tenth or so; a damaged or hostile archive may claim gigabytes for a few bytes.
const MAX_RATIO: usize = 32;

/// The longest close tag looked for, prefix included (`</x:row>`): where a search stopped, one
/// may have begun.
const STRADDLE: usize = 40;

/// Where `needle` first occurs in `bytes`.
fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    bytes.windows(needle.len()).position(|w| w == needle)
}

/// The end of the last close tag of the element `local` (`</row>`, `</x:row>`) that begins
/// at or after `from` in `bytes`.
fn last_close(bytes: &[u8], from: usize, local: &[u8]) -> Option<usize> {
    let n = local.len() + 1;
    let name_char = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    (from..=bytes.len().saturating_sub(n)).rev().find_map(|at| {
        if &bytes[at..at + local.len()] != local || bytes[at + local.len()] != b'>' {
            return None;
        }
        let before = &bytes[..at];
        let closes = before.ends_with(b"</")
            || (before.ends_with(b":") && {
                let prefix = &before[..before.len() - 1];
                let start = prefix
                    .iter()
                    .rposition(|&b| !name_char(b))
                    .map_or(0, |p| p + 1);
                start < prefix.len() && prefix[..start].ends_with(b"</")
            });
        closes.then_some(at + n)
    })
}

/// Whether the bytes start like a ZIP archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

struct Entry {
    method: u16,
    compressed: usize,
    size: usize,
    local_header: usize,
}

/// An opened workbook.
pub struct Workbook<'a> {
    bytes: &'a [u8],
    entries: HashMap<String, Entry>,
    /// Sheet names and their part paths, in the workbook's order.
    sheets: Vec<(String, String)>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> Workbook<'a> {
    pub fn open(bytes: &'a [u8]) -> Result<Workbook<'a>, XlsxError> {
        let entries = read_central_directory(bytes).ok_or(XlsxError::NotAnArchive)?;
        let mut book = Workbook {
            bytes,
            entries,
            sheets: Vec::new(),
        };
        let workbook = book
            .part_text("xl/workbook.xml")?
            .ok_or(XlsxError::NotAWorkbook)?;
        let rels = book
            .part_text("xl/_rels/workbook.xml.rels")?
            .unwrap_or_default();
        let mut targets: HashMap<String, String> = HashMap::new();
        for tag in Tags::new(&rels) {
            if let Tag::Open {
                name: "Relationship",
                attrs,
                ..
            } = tag
            {
                if let (Some(id), Some(target)) = (attr(attrs, "Id"), attr(attrs, "Target")) {
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("xl/{target}"),
                    };
                    targets.insert(id.to_string(), path);
                }
            }
        }
        for tag in Tags::new(&workbook) {
            if let Tag::Open {
                name: "sheet",
                attrs,
                ..
            } = tag
            {
                let name = unescape(attr(attrs, "name").unwrap_or(""));
                let path = attr(attrs, "id")
                    .and_then(|id| targets.get(id).cloned())
                    .unwrap_or_else(|| format!("xl/worksheets/sheet{}.xml", book.sheets.len() + 1));
                book.sheets.push((name, path));
            }
        }
        if book.sheets.is_empty() {
            return Err(XlsxError::NotAWorkbook);
        }
        Ok(book)
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// A part's entry and its bytes as stored (compressed or not); `None` when the archive has
    /// no such part.
    fn stored(&self, name: &str) -> Result<Option<(&Entry, &'a [u8])>, XlsxError> {
        let Some(e) = self.entries.get(name) else {
            return Ok(None);
        };
        let damaged = || XlsxError::DamagedPart(name.to_string());
        if e.size > MAX_PART_BYTES {
            return Err(XlsxError::TooLarge(name.to_string()));
        }
        let h = e.local_header;
        if u32_at(self.bytes, h) != Some(0x0403_4b50) {
            return Err(damaged());
        }
        let name_len = u16_at(self.bytes, h + 26).ok_or_else(damaged)? as usize;
        let extra_len = u16_at(self.bytes, h + 28).ok_or_else(damaged)? as usize;
        let start = h + 30 + name_len + extra_len;
        let data = self
            .bytes
            .get(start..start + e.compressed)
            .ok_or_else(damaged)?;
        Ok(Some((e, data)))
    }

    /// A part's bytes, unpacked; `None` when the archive has no such part.
    fn part(&self, name: &str) -> Result<Option<Vec<u8>>, XlsxError> {
        let Some((e, data)) = self.stored(name)? else {
            return Ok(None);
        };
        match e.method {
            0 => Ok(Some(data.to_vec())),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, e.size.max(1))
                .map(Some)
                .map_err(|_| XlsxError::DamagedPart(name.to_string())),
            _ => Err(XlsxError::DamagedPart(name.to_string())),
        }
    }

    /// A part's text, unpacked a piece at a time and never held whole: `each(piece, unpacked,
    /// size)` is given the text up to the end of the last element named `local` unpacked so
    /// far (a `row`, an `si`, with or without a namespace prefix), so that no piece splits
    /// such an element, then the rest. A sheet of a million rows is a few hundred megabytes of
    /// XML, several times the workbook's size. `size` is the part's size as the archive
    /// states it, trusted up to [`MAX_RATIO`] times its compressed size (it sizes the room a
    /// reader makes). A part with a CDATA section, whose text could hold a close tag, is read
    /// whole from there on (Excel writes none). `false` when the archive has no such part.
    fn part_in_pieces(
        &self,
        name: &str,
        local: &[u8],
        each: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<bool, XlsxError> {
        let Some((e, data)) = self.stored(name)? else {
            return Ok(false);
        };
        unpack_in_pieces(name, e.method, data, e.size, local, each)?;
        Ok(true)
    }

    fn part_text(&self, name: &str) -> Result<Option<String>, XlsxError> {
        match self.part(name)? {
            None => Ok(None),
            Some(bytes) => String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| XlsxError::DamagedPart(name.to_string())),
        }
    }

    /// A sheet's cells as text. Numbers are written plainly ("-1234.5"); numbers formatted as
    /// dates become ISO dates ("2025-03-07"); booleans "TRUE"/"FALSE". Rows and columns keep
    /// their places, so row 7 of the grid is row 7 in Excel.
    pub fn sheet(&self, index: usize) -> Result<Grid, XlsxError> {
        self.sheet_with(index, &mut |_, _| {})
    }

    /// [`Workbook::sheet`], telling `progress(bytes done, bytes in all)` of the sheet's XML.
    pub fn sheet_with(
        &self,
        index: usize,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Grid, XlsxError> {
        let (_, path) = self
            .sheets
            .get(index)
            .ok_or(XlsxError::NoSuchSheet(index))?;
        let strings = self.shared_strings()?;
        let date_styles = self.date_styles()?;
        let mut sheet = SheetReader::new(&strings, &date_styles);
        let found = self.part_in_pieces(path, b"row", &mut |xml, unpacked, size| {
            sheet.read(xml, size);
            progress(unpacked, size);
        })?;
        if !found {
            return Err(XlsxError::DamagedPart(path.clone()));
        }
        Ok(sheet.finish())
    }

    fn shared_strings(&self) -> Result<Vec<String>, XlsxError> {
        let mut strings = Vec::new();
        self.part_in_pieces("xl/sharedStrings.xml", b"si", &mut |xml, _, _| {
            read_shared_strings(xml, &mut strings)
        })?;
        Ok(strings)
    }

    /// For each cell style index, whether its number format shows a date.
    fn date_styles(&self) -> Result<Vec<bool>, XlsxError> {
        let Some(xml) = self.part_text("xl/styles.xml")? else {
            return Ok(Vec::new());
        };
        let mut custom_dates: HashMap<u32, bool> = HashMap::new();
        let mut styles = Vec::new();
        let mut in_cell_xfs = false;
        for tag in Tags::new(&xml) {
            match tag {
                Tag::Open {
                    name: "numFmt",
                    attrs,
                    ..
                } => {
                    if let (Some(id), Some(code)) =
                        (attr(attrs, "numFmtId"), attr(attrs, "formatCode"))
                    {
                        if let Ok(id) = id.parse() {
                            custom_dates.insert(id, is_date_format(&unescape(code)));
                        }
                    }
                }
                Tag::Open {
                    name: "cellXfs",
                    empty: false,
                    ..
                } => in_cell_xfs = true,
                Tag::Close { name: "cellXfs" } => in_cell_xfs = false,
                Tag::Open {
                    name: "xf", attrs, ..
                } if in_cell_xfs => {
                    let id: u32 = attr(attrs, "numFmtId")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let builtin_date = matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58);
                    styles.push(custom_dates.get(&id).copied().unwrap_or(builtin_date));
                }
                _ => {}
            }
        }
        Ok(styles)
    }
}

/// Whether a number format code shows a date: it has a day, month or year part outside quoted
/// text and [colour] brackets ("dd/mm/yyyy", "yyyy\-mm\-dd", "[$-409]d mmm yy").
fn is_date_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// [`Workbook::part_in_pieces`] of the part `name`, stored by `method` as `data` and stated
/// to unpack to `stated` bytes.
fn unpack_in_pieces(
    name: &str,
    method: u16,
    data: &[u8],
    stated: usize,
    local: &[u8],
    each: &mut dyn FnMut(&str, usize, usize),
) -> Result<(), XlsxError> {
    use miniz_oxide::inflate::stream::{inflate, InflateState};
    use miniz_oxide::{DataFormat, MZFlush, MZStatus};
    let damaged = || XlsxError::DamagedPart(name.to_string());
    fn text<'b>(bytes: &'b [u8], name: &str) -> Result<&'b str, XlsxError> {
        std::str::from_utf8(bytes).map_err(|_| XlsxError::DamagedPart(name.to_string()))
    }
    match method {
        0 => {
            each(text(data, name)?, data.len(), data.len());
            return Ok(());
        }
        8 => {}
        _ => return Err(damaged()),
    }
    let size = stated.min(data.len().saturating_mul(MAX_RATIO));
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut out = vec![0; PIECE_BYTES];
    let (mut input, mut unpacked) = (data, 0);
    let mut pending: Vec<u8> = Vec::with_capacity(2 * PIECE_BYTES);
    // How far `pending` has been searched for close tags (less a tag's length, as one may
    // straddle that point), and whether a CDATA section was seen.
    let (mut searched, mut whole) = (0usize, false);
    loop {
        let step = inflate(&mut state, input, &mut out, MZFlush::None);
        input = &input[step.bytes_consumed..];
        unpacked += step.bytes_written;
        // The archive says how large the part is: more is a damaged (or hostile) part.
        if unpacked > stated {
            return Err(damaged());
        }
        pending.extend_from_slice(&out[..step.bytes_written]);
        let ended = match step.status {
            Ok(MZStatus::StreamEnd) => true,
            Ok(_) if step.bytes_consumed + step.bytes_written > 0 => false,
            _ => return Err(damaged()),
        };
        if ended {
            each(text(&pending, name)?, unpacked.min(size), size);
            return Ok(());
        }
        if !whole && pending.len() >= PIECE_BYTES {
            let from = searched.saturating_sub(STRADDLE);
            whole = find(&pending[from..], b"<![CDATA[").is_some();
            match last_close(&pending, from, local) {
                Some(end) if !whole => {
                    each(text(&pending[..end], name)?, unpacked.min(size), size);
                    pending.drain(..end);
                }
                _ => {}
            }
            searched = pending.len();
        }
    }
}

/// The shared strings table: one string per `<si>`, the text of its `<t>` runs, except phonetic
/// runs (`<rPh>`), which are not part of the value. Read into `strings` a piece of the table at
/// a time, each piece ending after a string.
fn read_shared_strings(xml: &str, strings: &mut Vec<String>) {
    let mut current = String::new();
    let (mut in_t, mut in_phonetic) = (false, false);
    for tag in Tags::new(xml) {
        match tag {
            Tag::Open {
                name: "si", empty, ..
            } => {
                current.clear();
                if empty {
                    strings.push(String::new());
                }
            }
            Tag::Close { name: "si" } => strings.push(std::mem::take(&mut current)),
            Tag::Open {
                name: "t",
                empty: false,
                ..
            } => in_t = true,
            Tag::Close { name: "t" } => in_t = false,
            Tag::Open {
                name: "rPh",
                empty: false,
                ..
            } => in_phonetic = true,
            Tag::Close { name: "rPh" } => in_phonetic = false,
            Tag::Text(t) if in_t && !in_phonetic => current.push_str(&unescape(t)),
            _ => {}
        }
    }
}

fn read_central_directory(b: &[u8]) -> Option<HashMap<String, Entry>> {
    // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
    let search_from = b.len().saturating_sub(22 + 65_535);
    let eocd = (search_from..b.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(b, i) == Some(0x0605_4b50))?;
    let count = u16_at(b, eocd + 10)? as usize;
    let mut at = u32_at(b, eocd + 16)? as usize;
    let mut entries = HashMap::with_capacity(count);
    for _ in 0..count {
        if u32_at(b, at)? != 0x0201_4b50 {
            return None;
        }
        let method = u16_at(b, at + 10)?;
        let compressed = u32_at(b, at + 20)? as usize;
        let size = u32_at(b, at + 24)? as usize;
        let name_len = u16_at(b, at + 28)? as usize;
        let extra_len = u16_at(b, at + 30)? as usize;
        let comment_len = u16_at(b, at + 32)? as usize;
        let local_header = u32_at(b, at + 42)? as usize;
        let name = String::from_utf8_lossy(b.get(at + 46..at + 46 + name_len)?).into_owned();
        entries.insert(
            name,
            Entry {
                method,
                compressed,
                size,
                local_header,
            },
        );
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(entries)
}

/// Reads a sheet's XML into a grid, a piece at a time, each piece ending after a row (see
/// [`Workbook::part_in_pieces`]): the row being read is kept from one piece to the next.
struct SheetReader<'s> {
    strings: &'s [String],
    date_styles: &'s [bool],
    grid: Option<Grid>,
    row: RowCells,
    in_row: bool,
}

impl<'s> SheetReader<'s> {
    fn new(strings: &'s [String], date_styles: &'s [bool]) -> Self {
        SheetReader {
            strings,
            date_styles,
            grid: None,
            row: RowCells::default(),
            in_row: false,
        }
    }

    /// Reads a piece of a sheet whose XML is `size` bytes in all.
    fn read(&mut self, xml: &str, size: usize) {
        // Cell text is a fraction of its XML.
        let grid = self
            .grid
            .get_or_insert_with(|| Grid::with_capacity(size / 8));
        let (row, in_row) = (&mut self.row, &mut self.in_row);
        let mut cell: Option<(usize, &str, bool)> = None; // column, type, date-styled
        let mut value = String::new();
        let mut in_value = false;
        let mut next_column = 0;
        for tag in Tags::new(xml) {
            match tag {
                Tag::Open {
                    name: "row", attrs, ..
                } => {
                    if *in_row {
                        row.write(grid);
                    }
                    *in_row = true;
                    // Skipped rows stay as blank rows, so row numbers match Excel's.
                    let next = grid.row_count() + 1;
                    let number = attr(attrs, "r")
                        .and_then(|r| r.parse::<usize>().ok())
                        .unwrap_or(next);
                    for _ in next..number {
                        grid.end_row();
                    }
                    next_column = 0;
                }
                Tag::Open {
                    name: "c",
                    attrs,
                    empty,
                } => {
                    let column = attr(attrs, "r")
                        .and_then(column_of_reference)
                        .unwrap_or(next_column);
                    next_column = column + 1;
                    let kind = attr(attrs, "t").unwrap_or("n");
                    let styled_date = attr(attrs, "s")
                        .and_then(|s| s.parse::<usize>().ok())
                        .and_then(|s| self.date_styles.get(s).copied())
                        .unwrap_or(false);
                    value.clear();
                    if empty {
                        cell = None;
                    } else {
                        cell = Some((column, kind, styled_date));
                    }
                }
                Tag::Open {
                    name: "v" | "t",
                    empty: false,
                    ..
                } if cell.is_some() => in_value = true,
                Tag::Close { name: "v" | "t" } => in_value = false,
                Tag::Text(t) if in_value => value.push_str(&unescape(t)),
                Tag::Close { name: "c" } => {
                    if let Some((column, kind, styled_date)) = cell.take() {
                        if *in_row {
                            row.add(column, &cell_text(kind, styled_date, &value, self.strings));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn finish(mut self) -> Grid {
        let mut grid = self.grid.take().unwrap_or_default();
        if self.in_row {
            self.row.write(&mut grid);
        }
        grid
    }
}

/// A whole sheet's XML read at once.
#[cfg(test)]
fn read_sheet(xml: &str, strings: &[String], date_styles: &[bool]) -> Grid {
    let mut sheet = SheetReader::new(strings, date_styles);
    sheet.read(xml, xml.len());
    sheet.finish()
}

/// The cells of the row being read, kept until the row ends: a sheet may list them out of
/// order or skip empty ones.
#[derive(Default)]
struct RowCells {
    text: String,
    /// Column, and the cell's text as a range of `text`.
    cells: Vec<(usize, std::ops::Range<usize>)>,
}

impl RowCells {
    fn add(&mut self, column: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.cells.push((column, start..self.text.len()));
    }

    /// Writes the row into the grid, empty cells in the gaps, and starts afresh.
    fn write(&mut self, grid: &mut Grid) {
        // Stable: of two cells in one column, the later one is written last and wins.
        self.cells.sort_by_key(|(column, _)| *column);
        let mut written = 0;
        for (i, (column, range)) in self.cells.iter().enumerate() {
            if self
                .cells
                .get(i + 1)
                .is_some_and(|(next, _)| next == column)
            {
                continue;
            }
            for _ in written..*column {
                grid.end_cell();
            }
            grid.push_str(&self.text[range.clone()]);
            grid.end_cell();
            written = column + 1;
        }
        grid.end_row();
        self.text.clear();
        self.cells.clear();
    }
}

fn cell_text(kind: &str, styled_date: bool, value: &str, strings: &[String]) -> String {
    match kind {
        "s" => value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| strings.get(i).cloned())
            .unwrap_or_default(),
        "b" => if value.trim() == "1" { "TRUE" } else { "FALSE" }.to_string(),
        "n" => {
            let number = plain_number(value.trim());
            if styled_date {
                if let Some(date) = serial_to_date(&number) {
                    return date.to_string();
                }
            }
            number
        }
        // Inline strings, formula strings, ISO dates ("d") and error values ("e", shown as
        // Excel shows them, "#N/A", so the import names them).
        _ => value.to_string(),
    }
}

/// A number as Excel stores it ("1.2345E-2", "1234.5599999999999") written as the 15
/// significant digits Excel keeps and shows ("0.012345", "1234.56").
fn plain_number(v: &str) -> String {
    let Ok(x) = v.parse::<f64>() else {
        return v.to_string();
    };
    if x == 0.0 {
        return "0".to_string();
    }
    let rounded = format!("{x:.14e}");
    match rust_decimal::Decimal::from_scientific(&rounded) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => v.to_string(),
    }
}

/// An Excel date number (1900 system) to its date; the time of day is dropped.
fn serial_to_date(number: &str) -> Option<Date> {
    let serial: f64 = number.parse().ok()?;
    let day = serial.floor() as i64;
    // Excel counts a 29 February 1900 that never was: serials from 61 on are one day ahead.
    let days = if day >= 61 {
        day - 25_569
    } else {
        day - 25_568
    };
    if day < 1 {
        return None;
    }
    Date::from_days_since_epoch(days)
}

/// "B7" → 1 (the column index of a cell reference).
fn column_of_reference(r: &str) -> Option<usize> {
    let letters: &str = &r[..r.find(|c: char| c.is_ascii_digit()).unwrap_or(r.len())];
    if letters.is_empty() {
        return None;
    }
    let mut n = 0usize;
    for c in letters.bytes() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        n = n.checked_mul(26)?.checked_add((c - b'A' + 1) as usize)?;
    }
    Some(n - 1)
}

/// XML's five named entities and numeric character references.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A value of an attribute in a tag's attribute text, matched by local name (`r:id` is `id`).
fn attr<'x>(attrs: &'x str, name: &str) -> Option<&'x str> {
    let mut rest = attrs;
    loop {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let local = key.rsplit(':').next().unwrap_or(key);
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = after[1..].find(quote)?;
        let value = &after[1..1 + close];
        if local == name {
            return Some(value);
        }
        rest = &after[close + 2..];
    }
}

/// A piece of XML.
#[derive(Debug, PartialEq)]
enum Tag<'x> {
    Open {
        name: &'x str,
        attrs: &'x str,
        empty: bool,
    },
    Close {
        name: &'x str,
    },
    Text(&'x str),
}

/// The tags and texts of an XML document, names without their namespace prefix. Comments,
/// declarations and processing instructions are skipped; CDATA is text.
struct Tags<'x> {
    s: &'x str,
    at: usize,
}

impl<'x> Tags<'x> {
    fn new(s: &'x str) -> Self {
        Tags { s, at: 0 }
    }
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

impl<'x> Iterator for Tags<'x> {
    type Item = Tag<'x>;
    fn next(&mut self) -> Option<Tag<'x>> {
        loop {
            let rest = &self.s[self.at..];
            if rest.is_empty() {
                return None;
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').unwrap_or(rest.len());
                self.at += end;
                return Some(Tag::Text(&rest[..end]));
            }
            if let Some(body) = rest.strip_prefix("<![CDATA[") {
                let end = body.find("]]>").unwrap_or(body.len());
                self.at += 9 + end + 3.min(body.len() - end);
                return Some(Tag::Text(&body[..end]));
            }
            if rest.starts_with("<!--") {
                self.at += rest.find("-->").map_or(rest.len(), |e| e + 3);
                continue;
            }
            if rest.starts_with("<?") || rest.starts_with("<!") {
                self.at += rest.find('>').map_or(rest.len(), |e| e + 1);
                continue;
            }
            // A tag: find its end outside quoted attribute values.
            let bytes = rest.as_bytes();
            let mut quote = 0u8;
            let mut end = None;
            for (i, &b) in bytes.iter().enumerate().skip(1) {
                match b {
                    b'"' | b'\'' if quote == 0 => quote = b,
                    q if q == quote => quote = 0,
                    b'>' if quote == 0 => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(end) = end else {
                self.at = self.s.len();
                return None;
            };
            self.at += end + 1;
            let inner = &rest[1..end];
            if let Some(name) = inner.strip_prefix('/') {
                return Some(Tag::Close {
                    name: local(name.trim()),
                });
            }
            let (inner, empty) = match inner.strip_suffix('/') {
                Some(i) => (i, true),
                None => (inner, false),
            };
            let split = inner
                .find(|c: char| c.is_whitespace())
                .unwrap_or(inner.len());
            return Some(Tag::Open {
                name: local(&inner[..split]),
                attrs: &inner[split..],
                empty,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_pieces() {
        let tags: Vec<Tag> =
            Tags::new("<?xml version=\"1.0\"?><x:c r=\"A1\" t='s'><v>3</v></x:c><e/><!-- n -->")
                .collect();
        assert_eq!(
            tags,
            vec![
                Tag::Open {
                    name: "c",
                    attrs: " r=\"A1\" t='s'",
                    empty: false
                },
                Tag::Open {
                    name: "v",
                    attrs: "",
                    empty: false
                },
                Tag::Text("3"),
                Tag::Close { name: "v" },
                Tag::Close { name: "c" },
                Tag::Open {
                    name: "e",
                    attrs: "",
                    empty: true
                },
            ]
        );
        assert_eq!(attr(" r=\"A1\" t='s'", "t"), Some("s"));
        assert_eq!(
            attr(" name=\"Q1 &amp; Q2\" r:id=\"rId3\"", "id"),
            Some("rId3")
        );
        assert_eq!(
            unescape("Q1 &amp; Q2 &#233;&#x151; &bogus"),
            "Q1 & Q2 éő &bogus"
        );
    }

    #[test]
    fn numbers_dates_and_references() {
        assert_eq!(plain_number("1234.5599999999999"), "1234.56");
        assert_eq!(plain_number("1.2345E-2"), "0.012345");
        assert_eq!(plain_number("-12"), "-12");
        assert_eq!(plain_number("1E+21"), "1000000000000000000000");
        // 45723 is 2025-03-07 in Excel; 60 is Excel's 29 February 1900, which never was, so
        // 59 and 61 are 28 February and 1 March.
        assert_eq!(serial_to_date("45723").unwrap().to_string(), "2025-03-07");
        assert_eq!(serial_to_date("59").unwrap().to_string(), "1900-02-28");
        assert_eq!(serial_to_date("61").unwrap().to_string(), "1900-03-01");
        assert_eq!(column_of_reference("B7"), Some(1));
        assert_eq!(column_of_reference("AA10"), Some(26));
        assert!(is_date_format("dd/mm/yyyy"));
        assert!(is_date_format("[$-409]d mmm yy"));
        assert!(!is_date_format("#,##0.00 \"Ft\""));
        assert!(!is_date_format("[Red]0.00"));
    }

    #[test]
    fn sheet_xml_keeps_excel_places() {
        let xml = r#"<worksheet><sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>Kwota</t></is></c></row>
            <row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>45723</v></c><c r="C3"><v>1234.5599999999999</v></c><c r="D3"/></row>
            </sheetData></worksheet>"#;
        let strings = vec!["Klient".to_string(), "K&1".to_string()];
        let grid = read_sheet(xml, &strings, &[false, true]);
        let expected: Vec<Vec<&str>> = vec![
            vec!["Klient", "", "Kwota"],
            vec![],
            vec!["K&1", "2025-03-07", "1234.56"],
        ];
        assert_eq!(grid.to_rows(), expected);
        // Cells out of order, one column written twice (the later wins), a row after a gap.
        let xml = r#"<sheetData><row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c><c r="A2"><v>2</v></c></row></sheetData>"#;
        let grid = read_sheet(xml, &[], &[]);
        let expected: Vec<Vec<&str>> = vec![vec![], vec!["2", "", "3"]];
        assert_eq!(grid.to_rows(), expected);
    }

    #[test]
    fn shared_strings_with_rich_text() {
        let xml = r#"<sst><si><t>Klient</t></si><si><r><t>Kő</t></r><r><rPr/><t xml:space="preserve">bányai &amp; Co</t></r><rPh><t>x</t></rPh></si><si/></sst>"#;
        let mut strings = Vec::new();
        read_shared_strings(xml, &mut strings);
        assert_eq!(strings, vec!["Klient", "Kőbányai & Co", ""]);
    }

    #[test]
    fn close_tags_are_found_with_or_without_a_prefix() {
        let xml = b"<row r=\"1\"><c/></row><x:row><x:c/></x:row><crow></crow>";
        let prefixed = find(xml, b"</x:row>").unwrap() + b"</x:row>".len();
        let plain = find(xml, b"</row>").unwrap() + b"</row>".len();
        // "</crow>" closes another element.
        assert_eq!(last_close(xml, 0, b"row"), Some(prefixed));
        assert_eq!(last_close(&xml[..prefixed - 1], 0, b"row"), Some(plain));
        // Only tags that begin at or after `from`.
        assert_eq!(last_close(xml, prefixed, b"row"), None);
        assert_eq!(last_close(b"<a></crow>", 0, b"row"), None);
    }

    #[test]
    fn a_large_part_unpacks_in_pieces_each_ending_after_a_row() {
        // 40,000 rows with a namespace prefix, as some tools write them: about 2.4 MB.
        let rows: String = (0..40_000)
            .map(|i| format!("<x:row r=\"{}\"><x:c><x:v>{i}</x:v></x:c></x:row>", i + 1))
            .collect();
        let xml = format!("<x:worksheet><x:sheetData>{rows}</x:sheetData></x:worksheet>");
        let unpack = |xml: &str| {
            let data = miniz_oxide::deflate::compress_to_vec(xml.as_bytes(), 6);
            let mut pieces: Vec<String> = Vec::new();
            unpack_in_pieces("s", 8, &data, xml.len(), b"row", &mut |p, _, _| {
                pieces.push(p.to_string())
            })
            .map(|()| pieces)
        };
        let pieces = unpack(&xml).unwrap();
        assert!(pieces.len() > 1);
        assert!(pieces[..pieces.len() - 1]
            .iter()
            .all(|p| p.ends_with("</x:row>")));
        assert_eq!(pieces.concat(), xml);
        // A CDATA section could hold a close tag's text: from the piece that holds it, the
        // rest of the part comes in one piece.
        let cdata = xml.replacen("<x:v>20000</x:v>", "<x:v><![CDATA[</x:row>]]></x:v>", 1);
        let pieces = unpack(&cdata).unwrap();
        assert_eq!(pieces.concat(), cdata);
        assert!(pieces[pieces.len() - 1].contains("<![CDATA[</x:row>]]>"));
        // Damaged: cut short, or larger than the archive says.
        let data = miniz_oxide::deflate::compress_to_vec(xml.as_bytes(), 6);
        let damaged = Err(XlsxError::DamagedPart("s".to_string()));
        let mut ignore = |_: &str, _: usize, _: usize| {};
        assert_eq!(
            unpack_in_pieces(
                "s",
                8,
                &data[..data.len() / 2],
                xml.len(),
                b"row",
                &mut ignore
            ),
            damaged
        );
        assert_eq!(
            unpack_in_pieces("s", 8, &data, xml.len() - 1, b"row", &mut ignore),
            damaged
        );
        // A stated size far beyond the compressed data's is not believed.
        let mut told = 0;
        unpack_in_pieces("s", 8, &data, 1 << 30, b"row", &mut |_, _, size| {
            told = size
        })
        .unwrap();
        assert_eq!(told, data.len() * MAX_RATIO);
    }

    #[test]
    fn not_a_workbook() {
        assert!(Workbook::open(b"PK\x03\x04garbage").is_err());
        assert!(!is_zip(b"id,amount"));
    }
}
