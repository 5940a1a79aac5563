//! Delimited text as spreadsheets write it: comma, semicolon, tab or pipe separated, fields in
//! double quotes when they hold a separator, a quote (doubled) or a line break, lines ending in
//! CRLF, LF or CR.

use serde::{Deserialize, Serialize};
use std::fmt;

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
        let mut widths: Vec<usize> = Vec::new();
        let _ = for_each_row(head, separator, |_, fields| {
            if !(fields.len() == 1 && fields[0].is_empty()) {
                widths.push(fields.len());
            }
        });
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
pub fn split(text: &str, separator: Separator) -> Result<Vec<Vec<String>>, TextError> {
    let mut rows = Vec::new();
    for_each_row(text, separator, |_, fields| rows.push(fields))?;
    Ok(rows)
}

/// Calls `each(row_number, fields)` for every row (1-based numbers).
pub fn for_each_row(
    text: &str,
    separator: Separator,
    mut each: impl FnMut(usize, Vec<String>),
) -> Result<(), TextError> {
    let sep = separator.char();
    let mut chars = text.chars().peekable();
    let mut row = 1;
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut at_field_start = true;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if c == '"' && at_field_start {
            // A quoted field: up to the quote that is not doubled.
            let opened = row;
            loop {
                match chars.next() {
                    None => return Err(TextError::UnclosedQuote { row: opened }),
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                }
            }
            at_field_start = false;
            continue;
        }
        at_field_start = false;
        if c == sep {
            fields.push(std::mem::take(&mut field));
            at_field_start = true;
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            fields.push(std::mem::take(&mut field));
            each(row, std::mem::take(&mut fields));
            row += 1;
            at_field_start = true;
            any = false;
        } else {
            field.push(c);
        }
    }
    if any {
        fields.push(field);
        each(row, fields);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, sep: Separator) -> Vec<Vec<String>> {
        split(text, sep).unwrap()
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
