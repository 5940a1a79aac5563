//! Delimited text as spreadsheets write it: comma, semicolon, tab or pipe separated, fields in
//! double quotes when they hold a separator, a quote (doubled) or a line break, lines ending in
//! CRLF, LF or CR.

use super::Grid;
use crate::words::{half, word};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

/// The character between fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separator {
    Comma,
    Semicolon,
    Tab,
    Pipe,
}

impl Separator {
    pub const ALL: [Separator; 4] = [
        Separator::Tab,
        Separator::Semicolon,
        Separator::Comma,
        Separator::Pipe,
    ];

    pub fn char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Semicolon => ';',
            Separator::Tab => '\t',
            Separator::Pipe => '|',
        }
    }

    /// Its key in files and the translation table.
    pub fn key(self) -> &'static str {
        match self {
            Separator::Comma => "comma",
            Separator::Semicolon => "semicolon",
            Separator::Tab => "tab",
            Separator::Pipe => "pipe",
        }
    }

    pub fn from_key(key: &str) -> Option<Separator> {
        Separator::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Why text cannot be split into rows and fields.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextError {
    /// A quoted field opened on this row (1-based) is never closed.
    UnclosedQuote { row: usize },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::UnclosedQuote { row } => write!(
                f,
                "row {row}: a quoted field opens but never closes (a missing \")"
            ),
        }
    }
}

/// How much of the text separator detection looks at: enough rows to be sure, little time.
const DETECTION_BYTES: usize = 64 * 1024;

/// Detects the separator from the first rows: the one that splits most rows into the same
/// number (two or more) of fields, preferring more fields on a tie. Text with no candidate
/// splitting anything is one column ([`Separator::Comma`] then reads it unchanged).
pub fn detect_separator(text: &str) -> Separator {
    let mut end = text.len().min(DETECTION_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let truncated = end < text.len();
    let mut best = (Separator::Comma, 0usize, 0usize);
    for separator in Separator::ALL {
        // A quote left open by the cut keeps the rows before it.
        let (grid, _) = split_partial(head.to_string(), separator, &mut |_, _| {});
        let mut widths: Vec<usize> = (0..grid.row_count())
            .filter(|&r| !(grid.row_len(r) == 1 && grid.cell(r, 0).is_empty()))
            .map(|r| grid.row_len(r))
            .collect();
        // The last row of a cut-off head may be cut in the middle.
        if truncated {
            widths.pop();
        }
        let Some(mode) = mode(&widths) else { continue };
        if mode < 2 {
            continue;
        }
        let agreeing = widths.iter().filter(|&&w| w == mode).count();
        if (agreeing, mode) > (best.1, best.2) {
            best = (separator, agreeing, mode);
        }
    }
    best.0
}

fn mode(values: &[usize]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for &v in values {
        match counts.iter_mut().find(|(w, _)| *w == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(w, n)| (n, w))
        .map(|(w, _)| w)
}

/// Splits text into rows of fields. Blank lines stay (as one empty field) so row numbers match
/// what the person sees in a spreadsheet.
pub fn split(text: &str, separator: Separator) -> Result<Grid, TextError> {
    split_owned(text.to_string(), separator, &mut |_, _| {})
}

/// [`split`] of text the caller gives up, telling `progress(bytes done, bytes in all)` every
/// few megabytes. The cells are written over the text itself: a grid keeps a cell's text
/// without its quotes, separator and line break, so the write position never passes the read
/// position, and a large file needs no second copy of itself.
pub fn split_owned(
    text: String,
    separator: Separator,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Grid, TextError> {
    let (grid, error) = split_partial(text, separator, progress);
    match error {
        Some(e) => Err(e),
        None => Ok(grid),
    }
}

/// How often a long split reports its progress.
const PROGRESS_BYTES: usize = 4 << 20;

/// Splits as far as the text allows: the rows read, and the error that stopped it (a quote
/// that never closes), if any.
fn split_partial(
    text: String,
    separator: Separator,
    progress: &mut dyn FnMut(usize, usize),
) -> (Grid, Option<TextError>) {
    let mut bytes = text.into_bytes();
    // Measured on exports: about one cell per 10 bytes, one row per 60.
    let mut ends: Vec<u32> = Vec::with_capacity(bytes.len() / 10);
    let mut starts: Vec<u32> = Vec::with_capacity(bytes.len() / 60 + 1);
    starts.push(0);
    let error = scan(&mut bytes, separator, &mut ends, &mut starts, progress).err();
    // A row cut off by the error is not kept.
    ends.truncate(starts[starts.len() - 1] as usize);
    bytes.truncate(ends.last().map_or(0, |&e| e as usize));
    // Only ASCII bytes (quotes, separators, line breaks), each a whole character, were taken
    // out of valid UTF-8 text, so what remains is valid UTF-8 too.
    let text = String::from_utf8(bytes).unwrap_or_default();
    (Grid::from_cells(text, ends, starts), error)
}

/// Splits the text in `bytes` in place: each cell's text is moved down to where the cell
/// before it ended, `ends` gets where each cell ends and `starts` where each row's cells begin.
///
/// Works on bytes: separators, quotes and line breaks are ASCII, and in UTF-8 no byte of a
/// longer character is ASCII, so every slice taken here falls on character boundaries.
fn scan(
    bytes: &mut [u8],
    separator: Separator,
    ends: &mut Vec<u32>,
    starts: &mut Vec<u32>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(), TextError> {
    let mut at = Scan { i: 0, w: 0, row: 1 };
    // In portions, each a call of its own: a browser runs a function's first calls in its
    // quickly compiled code and later calls in its optimised code, never switching within
    // one call, so a whole file scanned in one call would run in the slow code throughout.
    while !at.portion(bytes, separator.char() as u8, ends, starts, PROGRESS_BYTES)? {
        progress(at.i, bytes.len());
    }
    Ok(())
}

/// Where a [`scan`] has got to.
#[derive(Clone, Copy)]
struct Scan {
    /// Read from `i`, written up to `w` (never past `i`).
    i: usize,
    w: usize,
    /// The record being read, from 1: rows are records, and a line break inside quotes does
    /// not start a new one.
    row: usize,
}

impl Scan {
    /// Scans whole rows until `length` more bytes have been read or the text ends: whether it
    /// ended.
    #[inline(never)]
    fn portion(
        &mut self,
        bytes: &mut [u8],
        sep: u8,
        ends: &mut Vec<u32>,
        starts: &mut Vec<u32>,
        length: usize,
    ) -> Result<bool, TextError> {
        let n = bytes.len();
        let Scan {
            mut i,
            mut w,
            mut row,
        } = *self;
        let stop = i.saturating_add(length);
        // The readers refuse text over 4 GiB before splitting it: offsets fit in 32 bits.
        fn end_cell(ends: &mut Vec<u32>, w: usize) {
            ends.push(w as u32);
        }
        fn end_row(starts: &mut Vec<u32>, ends: &[u32]) {
            starts.push(ends.len() as u32);
        }
        while i < n {
            // At the start of a field.
            if bytes[i] == b'"' {
                // A quoted field: up to the quote that is not doubled.
                let opened = row;
                i += 1;
                loop {
                    let Some(p) = bytes[i..].iter().position(|&b| b == b'"') else {
                        return Err(TextError::UnclosedQuote { row: opened });
                    };
                    bytes.copy_within(i..i + p, w);
                    w += p;
                    i += p + 1;
                    if bytes.get(i) == Some(&b'"') {
                        bytes[w] = b'"';
                        w += 1;
                        i += 1;
                    } else {
                        break;
                    }
                }
            }
            // Unquoted text, or what follows a closing quote, up to the field's end.
            let start = i;
            i = field_end(bytes, i, sep);
            move_down(bytes, start..i, w);
            w += i - start;
            end_cell(ends, w);
            let Some(&end) = bytes.get(i) else {
                end_row(starts, ends);
                return Ok(true);
            };
            i += 1;
            if end == sep {
                if i == n {
                    // "a,b," ends with an empty field.
                    end_cell(ends, w);
                    end_row(starts, ends);
                }
                continue;
            }
            if end == b'\r' && bytes.get(i) == Some(&b'\n') {
                i += 1;
            }
            end_row(starts, ends);
            row += 1;
            if i >= stop {
                *self = Scan { i, w, row };
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Where the unquoted text from `i` ends: at the next separator or line break, or the text's
/// end. Eight bytes at a time: a field is about ten bytes, and a loop over its bytes one by one,
/// three comparisons each, was most of splitting a file. With [`move_down`], splitting the
/// import benchmark's 98 MB file went from 190 to 111 ms in V8.
#[inline]
fn field_end(bytes: &[u8], mut i: usize, sep: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `x` that is zero (exact for the lowest such byte, which is
    // all that is used: a borrow can only mark bytes above a zero byte).
    let zeros = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let (seps, lfs, crs) = (
        ONES * u64::from(sep),
        ONES * u64::from(b'\n'),
        ONES * u64::from(b'\r'),
    );
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        let ends = zeros(word ^ seps) | zeros(word ^ lfs) | zeros(word ^ crs);
        if ends != 0 {
            return i + ends.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] != sep && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// Moves the bytes `from` down to `to` (at or below `from.start`) in whole and half words: a
/// cell is a few bytes, and a general copy is a call of its own in WebAssembly, made for every
/// cell. Every word is read before a write can reach it: writes go up from `to`, never past
/// `from.end`, and lag the reads.
#[inline]
fn move_down(bytes: &mut [u8], from: Range<usize>, to: usize) {
    let len = from.len();
    if to == from.start || len == 0 {
        return;
    }
    match len {
        1..=3 => {
            let (first, middle, last) = (
                bytes[from.start],
                bytes[from.start + len / 2],
                bytes[from.end - 1],
            );
            bytes[to] = first;
            bytes[to + len / 2] = middle;
            bytes[to + len - 1] = last;
        }
        4..=7 => {
            let (first, last) = (half(bytes, from.start), half(bytes, from.end - 4));
            bytes[to..to + 4].copy_from_slice(&first.to_le_bytes());
            bytes[to + len - 4..to + len].copy_from_slice(&last.to_le_bytes());
        }
        _ => {
            // The last word overlaps the one before it; read first, written last.
            let last = word(bytes, from.end - 8);
            let mut k = 0;
            while k + 8 < len {
                let w = word(bytes, from.start + k);
                bytes[to + k..to + k + 8].copy_from_slice(&w.to_le_bytes());
                k += 8;
            }
            bytes[to + len - 8..to + len].copy_from_slice(&last.to_le_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, sep: Separator) -> Vec<Vec<String>> {
        split(text, sep).unwrap().to_rows()
    }

    #[test]
    fn detects_each_separator() {
        assert_eq!(
            detect_separator("id,name,amount\nC1,Acme,12.50\n"),
            Separator::Comma
        );
        // Decimal commas inside a semicolon file must not fool it.
        assert_eq!(
            detect_separator("id;amount\nC1;12,50\nC2;1.234,00\nC3;7\n"),
            Separator::Semicolon
        );
        assert_eq!(
            detect_separator("id\tamount\nC1\t1,234.50\n"),
            Separator::Tab
        );
        assert_eq!(detect_separator("a|b|c\n1|2|3\n"), Separator::Pipe);
        // One column: nothing splits.
        assert_eq!(detect_separator("C1\nC2\n"), Separator::Comma);
        // A comma inside quotes does not count.
        assert_eq!(
            detect_separator("name;amount\n\"Smith, J\";1\n\"Doe, A\";2\n"),
            Separator::Semicolon
        );
    }

    #[test]
    fn quotes_line_breaks_and_line_endings() {
        let text = "id,note\r\nC1,\"says \"\"hi\"\", twice\"\r\nC2,\"two\nlines\"\rC3,\n";
        assert_eq!(
            rows(text, Separator::Comma),
            vec![
                vec!["id", "note"],
                vec!["C1", "says \"hi\", twice"],
                vec!["C2", "two\nlines"],
                vec!["C3", ""],
            ]
        );
        // No final line break; a blank line is kept as one empty field.
        assert_eq!(
            rows("a\n\nb", Separator::Comma),
            vec![vec!["a"], vec![""], vec!["b"]]
        );
        // A separator at the very end is an empty last field; a quote may be followed by text.
        assert_eq!(rows("a;b;", Separator::Semicolon), vec![vec!["a", "b", ""]]);
        assert_eq!(
            rows("\"ab\"cd,é\n", Separator::Comma),
            vec![vec!["abcd", "é"]]
        );
        assert!(rows("", Separator::Comma).is_empty());
    }

    #[test]
    fn a_scan_in_portions_of_one_byte_splits_as_one_scan() {
        let texts = [
            "id,note\r\nC1,\"says \"\"hi\"\", twice\"\r\nC2,\"two\nlines\"\rC3,\n",
            "a\n\nb",
            "a;b;",
            "\"ab\"cd,é\n,,\n\r\n",
            "a,b\nc,\"open\nmore",
        ];
        for text in texts {
            let sep = detect_separator(text);
            let whole = split(text, sep);
            let mut bytes = text.as_bytes().to_vec();
            let (mut ends, mut starts) = (Vec::new(), vec![0]);
            let mut at = Scan { i: 0, w: 0, row: 1 };
            let mut portions = 0;
            let ended = loop {
                portions += 1;
                match at.portion(&mut bytes, sep.char() as u8, &mut ends, &mut starts, 1) {
                    Ok(false) => continue,
                    other => break other,
                }
            };
            match whole {
                Ok(grid) => {
                    assert_eq!(ended, Ok(true), "{text:?}");
                    bytes.truncate(ends.last().map_or(0, |&e| e as usize));
                    let text = String::from_utf8(bytes).unwrap();
                    assert_eq!(Grid::from_cells(text, ends, starts), grid);
                    // A portion a row: the scan stopped and went on at each row.
                    assert!(portions >= grid.row_count(), "{portions} portions");
                }
                Err(e) => assert_eq!(ended, Err(e)),
            }
        }
    }

    /// The rules of the module's header, one character at a time, as plainly as they can be
    /// written: what the word-at-a-time scan must agree with.
    fn split_plainly(text: &str, sep: char) -> Result<Vec<Vec<String>>, TextError> {
        let chars: Vec<char> = text.chars().collect();
        let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
        let (mut i, mut record) = (0, 1);
        if chars.is_empty() {
            return Ok(rows);
        }
        loop {
            if chars.get(i) == Some(&'"') {
                let opened = record;
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(TextError::UnclosedQuote { row: opened }),
                        Some('"') if chars.get(i + 1) == Some(&'"') => {
                            cell.push('"');
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(&c) => {
                            cell.push(c);
                            i += 1;
                        }
                    }
                }
            }
            while let Some(&c) = chars
                .get(i)
                .filter(|&&c| c != sep && c != '\n' && c != '\r')
            {
                cell.push(c);
                i += 1;
            }
            row.push(std::mem::take(&mut cell));
            let Some(&end) = chars.get(i) else {
                rows.push(row);
                return Ok(rows);
            };
            i += 1;
            if end == sep {
                if i == chars.len() {
                    row.push(String::new());
                    rows.push(row);
                    return Ok(rows);
                }
                continue;
            }
            if end == '\r' && chars.get(i) == Some(&'\n') {
                i += 1;
            }
            rows.push(std::mem::take(&mut row));
            record += 1;
            if i == chars.len() {
                return Ok(rows);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Fields of every length (the word-at-a-time search and moves have cases at 4 and 8
        /// bytes), quotes, every line ending and characters of two and three bytes, in text
        /// whose cells move down by a byte (after a separator) or more (after quotes and CRLF).
        #[test]
        fn splits_as_the_plain_rules_say(
            text in "(a{0,3}|bcdefghijklm{0,9}|é|€|\"|\"\"|,|;|\n|\r|\r\n| ){0,60}",
            semicolon in proptest::prelude::any::<bool>(),
        ) {
            let sep = if semicolon { Separator::Semicolon } else { Separator::Comma };
            let ours = split(&text, sep).map(|g| g.to_rows());
            proptest::prop_assert_eq!(ours, split_plainly(&text, sep.char()));
        }
    }

    #[test]
    fn unclosed_quote_names_its_row() {
        let e = split("a,b\nc,\"open\nmore", Separator::Comma).unwrap_err();
        assert_eq!(e, TextError::UnclosedQuote { row: 2 });
        assert_eq!(
            e.to_string(),
            "row 2: a quoted field opens but never closes (a missing \")"
        );
    }
}
