//! A file's cells as text, row by row, in one buffer.
//!
//! A million-row export has millions of cells: one `String` each would cost an allocation and
//! 24 bytes of header per cell, more than the text itself. Here every cell's text sits end to
//! end in one string, and a cell is a pair of offsets, so a grid takes about the file's size
//! plus 4 bytes a cell, and reading one is a handful of large allocations.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Rows of cells; rows may have different lengths.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Grid {
    /// Every cell's text, one after another.
    text: String,
    /// Per cell, row after row, where its text ends in `text` (it starts where the one
    /// before it ends).
    ends: Vec<u32>,
    /// Per row, the index in `ends` of its first cell, and one more entry for the end.
    starts: Vec<u32>,
    /// The header row (or first data row), found once when first asked for
    /// ([`crate::import::Plan::first_row`]): finding it reads the first rows' headers, and
    /// every rejected row's message names its column by the header.
    #[serde(skip)]
    first_row: OnceLock<usize>,
}

/// Grids are alike when their cells are: whether the header row was looked for yet is not
/// part of what a grid holds.
impl PartialEq for Grid {
    fn eq(&self, other: &Grid) -> bool {
        (&self.text, &self.ends, &self.starts) == (&other.text, &other.ends, &other.starts)
    }
}

impl Eq for Grid {}

impl Default for Grid {
    fn default() -> Self {
        Grid {
            text: String::new(),
            ends: Vec::new(),
            starts: vec![0],
            first_row: OnceLock::new(),
        }
    }
}

impl Grid {
    /// A grid of the given rows (for tests and small tables).
    pub fn from_rows<R, C>(rows: R) -> Grid
    where
        R: IntoIterator<Item = C>,
        C: IntoIterator,
        C::Item: AsRef<str>,
    {
        let mut grid = Grid::default();
        for row in rows {
            for cell in row {
                grid.push_str(cell.as_ref());
                grid.end_cell();
            }
            grid.end_row();
        }
        grid
    }

    /// A grid with room for about `bytes` of text.
    pub(crate) fn with_capacity(bytes: usize) -> Grid {
        let mut grid = Grid::default();
        grid.text.reserve(bytes);
        // Measured on exports: about one cell per 10 bytes, one row per 60.
        grid.ends.reserve(bytes / 10);
        grid.starts.reserve(bytes / 60);
        grid
    }

    /// A grid of cells already laid out: `ends` and `starts` as the fields say, `text` ending
    /// where the last cell does.
    pub(crate) fn from_cells(text: String, ends: Vec<u32>, starts: Vec<u32>) -> Grid {
        debug_assert_eq!(starts.first(), Some(&0));
        Grid {
            text,
            ends,
            starts,
            first_row: OnceLock::new(),
        }
    }

    /// The header row (or first data row), found by `find` the first time.
    pub(crate) fn first_row(&self, find: impl FnOnce() -> usize) -> usize {
        *self.first_row.get_or_init(find)
    }

    /// Adds text to the cell being written.
    pub(crate) fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Ends the cell being written (an empty one when nothing was pushed).
    pub(crate) fn end_cell(&mut self) {
        // The readers refuse text over 4 GiB before building a grid: offsets fit in 32 bits.
        self.ends.push(self.text.len() as u32);
    }

    /// Ends the row being written.
    pub(crate) fn end_row(&mut self) {
        self.starts.push(self.ends.len() as u32);
        // A row more may move the header row (a grid is only asked for it once built).
        self.first_row.take();
    }

    pub fn row_count(&self) -> usize {
        self.starts.len() - 1
    }

    /// The number of cells in a row (0 beyond the last row).
    #[inline]
    pub fn row_len(&self, row: usize) -> usize {
        match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&a), Some(&b)) => (b - a) as usize,
            _ => 0,
        }
    }

    /// The cell's text, empty beyond the row's end. Always inlined: checking a million-row
    /// import reads it for every cell, and as a call of its own (which the compiler chose even
    /// when asked to inline) it took 15% of checking the benchmark's rows in V8 (checking
    /// went from about 460 to 410 ms inlined).
    #[inline(always)]
    pub fn cell(&self, row: usize, column: usize) -> &str {
        if column >= self.row_len(row) {
            return "";
        }
        let i = self.starts[row] as usize + column;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The cells of a row.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.row_len(row)).map(move |c| self.cell(row, c))
    }

    /// The widest row's length.
    pub fn width(&self) -> usize {
        (0..self.row_count())
            .map(|r| self.row_len(r))
            .max()
            .unwrap_or(0)
    }

    pub fn is_blank_row(&self, row: usize) -> bool {
        self.row(row).all(|c| c.trim().is_empty())
    }

    /// Whether every row is blank.
    pub fn is_blank(&self) -> bool {
        (0..self.row_count()).all(|r| self.is_blank_row(r))
    }

    /// The first `rows` rows: what the page needs to show and check a plan while the whole
    /// grid stays with the reader.
    pub fn head(&self, rows: usize) -> Grid {
        Grid::from_rows((0..rows.min(self.row_count())).map(|r| self.row(r)))
    }

    /// Every row as owned strings (for tests and small tables).
    pub fn to_rows(&self) -> Vec<Vec<String>> {
        (0..self.row_count())
            .map(|r| self.row(r).map(str::to_string).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_rows_and_ragged_ends() {
        let grid = Grid::from_rows([vec!["id", "amount"], vec![""], vec!["C1", "12,50", "x"]]);
        assert_eq!(grid.row_count(), 3);
        assert_eq!(grid.cell(0, 1), "amount");
        assert_eq!(grid.cell(1, 0), "");
        assert_eq!(grid.cell(1, 5), "");
        assert_eq!(grid.cell(2, 2), "x");
        assert_eq!(grid.cell(9, 0), "");
        assert_eq!(grid.width(), 3);
        assert!(grid.is_blank_row(1));
        assert!(!grid.is_blank_row(0));
        assert_eq!(grid.head(1).to_rows(), vec![vec!["id", "amount"]]);
        assert_eq!(Grid::default().row_count(), 0);
        assert!(Grid::default().is_blank());
    }
}
