//! The customer table as data: its columns, and which customers it shows in what order for a
//! sort, a search and filters. The page renders the rows; exports use the same columns.

use crate::compute::{LineKey, Lines, Report};
use crate::drivers::Model;
use crate::views::{sort_descending, Action, Quadrant, SortBuffers};
use serde::{Deserialize, Serialize};

/// A column of the customer table (and of the results export), after id and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Line(LineKey),
    /// Net profit as a share of revenue.
    MarginPct,
    /// Cost to serve as a share of revenue.
    CostToServePct,
    Quadrant,
    Action,
}

impl Column {
    /// Every column, in the model's order: the P&L lines, then the shares, quadrant and action.
    pub fn all() -> Vec<Column> {
        LineKey::ALL
            .iter()
            .map(|&k| Column::Line(k))
            .chain([
                Column::MarginPct,
                Column::CostToServePct,
                Column::Quadrant,
                Column::Action,
            ])
            .collect()
    }

    /// The columns shown before the person chooses others.
    pub const DEFAULT: [Column; 6] = [
        Column::Line(LineKey::Revenue),
        Column::Line(LineKey::GrossMargin),
        Column::Line(LineKey::CostToServe),
        Column::Line(LineKey::NetProfit),
        Column::MarginPct,
        Column::Action,
    ];

    /// Its name in the model and in exports: `revenue`, ..., `margin_pct`, `action`.
    pub fn key(self) -> &'static str {
        match self {
            Column::Line(k) => k.key(),
            Column::MarginPct => "margin_pct",
            Column::CostToServePct => "cost_to_serve_pct",
            Column::Quadrant => "quadrant",
            Column::Action => "action",
        }
    }

    /// Whether its cells are numbers (right-aligned, totalled).
    pub fn is_number(self) -> bool {
        !matches!(self, Column::Quadrant | Column::Action)
    }
}

/// What the rows are sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    CustomerId,
    CustomerName,
    Column(Column),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    /// Most profitable first: the whale curve's order.
    fn default() -> Sort {
        Sort {
            key: SortKey::Column(Column::Line(LineKey::NetProfit)),
            descending: true,
        }
    }
}

/// Which customers by their net profit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profitability {
    #[default]
    All,
    Profitable,
    Unprofitable,
}

/// The table's sort, search and filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub sort: Sort,
    /// Part of a customer's id or name, any case; empty shows everyone.
    pub search: String,
    pub profitability: Profitability,
    pub action: Option<Action>,
    /// An attribute column (by index into the model's attributes) and one of its value codes.
    pub attribute: Option<(usize, u32)>,
}

impl Query {
    /// Whether it shows every customer (only the order may differ).
    pub fn shows_everyone(&self) -> bool {
        self.search.trim().is_empty()
            && self.profitability == Profitability::All
            && self.action.is_none()
            && self.attribute.is_none()
    }
}

/// How the person looks at the customers: the table's order, search, filters and columns, and
/// the attribute the groups chart is by. Kept with the workbook, so a reload or an opened
/// workbook file shows what was on screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    pub query: Query,
    pub columns: Vec<Column>,
    /// An attribute's name; empty for the first one the model has.
    pub group_by: String,
}

impl Default for View {
    fn default() -> Self {
        View {
            query: Query::default(),
            columns: Column::DEFAULT.to_vec(),
            group_by: String::new(),
        }
    }
}

impl View {
    /// The view with anything that names what `model` does not have put back to its default:
    /// a view saved with other data must not filter by a value that no longer exists.
    pub fn fitted_to(mut self, model: &Model) -> View {
        let fits = |&(attribute, code): &(usize, u32)| {
            model
                .attributes
                .get(attribute)
                .is_some_and(|a| (code as usize) < a.values.len())
        };
        if !self.query.attribute.as_ref().is_none_or(fits) {
            self.query.attribute = None;
        }
        if model.attribute(&self.group_by).is_none() {
            self.group_by.clear();
        }
        self
    }
}

/// A customer's figure in a numeric column, in cents or basis points; `None` where it has no
/// meaning (a share of no revenue).
pub fn number(report: &Report, column: Column, customer: usize) -> Option<i64> {
    let lines = &report.lines;
    let share = |part: LineKey| {
        let revenue = lines.column(LineKey::Revenue)[customer];
        (revenue > 0)
            .then(|| crate::money::mul_div_round(lines.column(part)[customer], 10_000, revenue))
    };
    match column {
        Column::Line(k) => Some(lines.column(k)[customer]),
        Column::MarginPct => share(LineKey::NetProfit),
        Column::CostToServePct => share(LineKey::CostToServe),
        Column::Quadrant | Column::Action => None,
    }
}

/// Whether `haystack` contains `needle`, ignoring case. `needle` is already lowercase.
fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        // No allocation per customer: a million names are searched on every keystroke.
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

/// The customers the table shows, in order. Ties keep customer order, so the rows never jump
/// between two equal figures.
pub fn rows(model: &Model, report: &Report, query: &Query, buf: &mut SortBuffers) -> Vec<u32> {
    let n = report.lines.len().min(model.len());
    let net = report.lines.column(LineKey::NetProfit);
    let needle = query.search.trim().to_lowercase();
    let shown = |i: usize| {
        let profit_ok = match query.profitability {
            Profitability::All => true,
            Profitability::Profitable => net[i] >= 0,
            Profitability::Unprofitable => net[i] < 0,
        };
        profit_ok
            && query.action.is_none_or(|a| report.actions[i].0 == a)
            && query.attribute.is_none_or(|(col, code)| {
                model.attributes.get(col).map(|c| c.codes[i]) == Some(code)
            })
            && (needle.is_empty()
                || contains_folded(&model.ids[i], &needle)
                || contains_folded(&model.names[i], &needle))
    };
    if query.sort == Sort::default() && report.whale_order().order.len() == n {
        // The whale curve's order, sorted once per report.
        let order = &report.whale_order().order;
        return if query.shows_everyone() {
            order.clone()
        } else {
            let order = order.iter();
            order.copied().filter(|&i| shown(i as usize)).collect()
        };
    }
    let mut picked: Vec<u32> = (0..n as u32).filter(|&i| shown(i as usize)).collect();
    let descending = query.sort.descending;
    match query.sort.key {
        SortKey::CustomerId => picked.sort_by(|&a, &b| {
            let o = model.ids[a as usize].cmp(&model.ids[b as usize]);
            if descending { o.reverse() } else { o }.then(a.cmp(&b))
        }),
        SortKey::CustomerName => {
            // Folded once per customer, not once per comparison.
            let folded: Vec<String> = picked
                .iter()
                .map(|&i| model.names[i as usize].to_lowercase())
                .collect();
            let mut by_name: Vec<u32> = (0..picked.len() as u32).collect();
            by_name.sort_by(|&a, &b| {
                let o = folded[a as usize].cmp(&folded[b as usize]);
                if descending { o.reverse() } else { o }.then(a.cmp(&b))
            });
            picked = by_name.into_iter().map(|k| picked[k as usize]).collect();
        }
        SortKey::Column(Column::Quadrant) => {
            sort_by_code(&mut picked, descending, |i| {
                quadrant_rank(report.quadrants[i as usize])
            });
        }
        SortKey::Column(Column::Action) => {
            sort_by_code(&mut picked, descending, |i| {
                Action::ALL
                    .iter()
                    .position(|&a| a == report.actions[i as usize].0)
                    .unwrap_or(0)
            });
        }
        SortKey::Column(column) => {
            // Shares of no revenue go last either way.
            let missing = if descending { i64::MIN } else { i64::MAX };
            let keys: Vec<i64> = picked
                .iter()
                .map(|&i| {
                    let v = number(report, column, i as usize).unwrap_or(missing);
                    if descending {
                        v
                    } else {
                        v.saturating_neg()
                    }
                })
                .collect();
            let mut order = Vec::with_capacity(keys.len());
            sort_descending(&keys, &mut order, buf);
            picked = order.into_iter().map(|k| picked[k as usize]).collect();
        }
    }
    picked
}

fn sort_by_code(picked: &mut [u32], descending: bool, code: impl Fn(u32) -> usize) {
    picked.sort_by(|&a, &b| {
        let o = code(a).cmp(&code(b));
        if descending { o.reverse() } else { o }.then(a.cmp(&b))
    });
}

/// Quadrants from best to worst, for sorting.
fn quadrant_rank(q: Quadrant) -> usize {
    Quadrant::ALL
        .iter()
        .position(|x| *x == q)
        .unwrap_or(Quadrant::ALL.len())
}

/// The lines of the given customers added up, for the totals of a filtered table.
pub fn totals_of(report: &Report, customers: &[u32]) -> Lines {
    let mut sum = Lines::default();
    for &i in customers {
        if let Some(l) = report.lines.get(i as usize) {
            sum.accumulate(&l);
        }
    }
    sum
}

/// Where the rows in the page sit in a scrolled table that renders only a window of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowWindow {
    /// Rows `first..end` of the order are in the page.
    pub first: usize,
    pub end: usize,
    /// Heights of the empty rows standing in above and below them, in pixels.
    pub above_px: f64,
    pub below_px: f64,
}

/// The tallest scroll height a table is given. Browsers cap an element's height (Chromium near
/// 33.5 million pixels, Firefox near 17.9 million): a million 36-pixel rows would be cut off
/// before the last. Taller tables scroll through a scaled height instead, a little faster per
/// pixel, and the rows in the page are placed exactly where the viewport is.
pub const MAX_SCROLL_PX: f64 = 15_000_000.0;

impl RowWindow {
    /// The window of `count` rows of `row_px` for a viewport of `viewport_px` scrolled to
    /// `scroll_top`, rendering `rows` rows of which a quarter lie above the viewport's top.
    pub fn new(count: usize, rows: usize, row_px: f64, scroll_top: f64, viewport_px: f64) -> Self {
        let full_px = count as f64 * row_px;
        let total_px = full_px.min(MAX_SCROLL_PX);
        let viewport_px = viewport_px.clamp(0.0, total_px);
        let scroll_top = scroll_top.clamp(0.0, (total_px - viewport_px).max(0.0));
        // The row (fractional) at the viewport's top: scroll position and rows scale alike,
        // so the end of the scroll shows the last rows.
        let top_row = if full_px <= MAX_SCROLL_PX {
            scroll_top / row_px
        } else {
            let scrollable_rows = count as f64 - viewport_px / row_px;
            scroll_top / (total_px - viewport_px) * scrollable_rows
        };
        let first = (top_row as usize)
            .saturating_sub(rows / 4)
            .min(count.saturating_sub(rows));
        let end = (first + rows).min(count);
        // Rows first.. follow one another from `above_px`; row `top_row` meets the viewport's top.
        let above_px = (scroll_top - (top_row - first as f64) * row_px).max(0.0);
        let below_px = (total_px - above_px - (end - first) as f64 * row_px).max(0.0);
        RowWindow {
            first,
            end,
            above_px,
            below_px,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::AttributeColumn;
    use crate::testing::{model_of, no_commission, revenue_and_tickets};
    use crate::{compute, Rates};

    /// Four customers with revenue only: the default gross margin of 40% applies and, with no
    /// hours, activities, open invoices or acquisitions and no commission, nothing else costs:
    /// net profit = 40% of revenue.
    fn company() -> (Model, Report) {
        // Revenue 1,000.00; -200.00; 3,000.00; 1,000.00.
        let drivers = [100_000, -20_000, 300_000, 100_000]
            .map(|r| revenue_and_tickets(r, 0))
            .to_vec();
        let mut model = model_of(&["C-3", "C-1", "B-7", "A-2"], drivers);
        model.names = ["Zephyr Ltd", "alpha Kft.", "Ómega S.A.", "Beta sp. z o.o."]
            .map(String::from)
            .to_vec();
        model.attributes = vec![AttributeColumn {
            name: "segment".into(),
            values: vec!["Retail".into(), "Wholesale".into()],
            codes: vec![0, 1, 1, 0],
        }];
        let a = no_commission();
        let rates = Rates::compile(&a, &model).unwrap();
        let report = compute(&model, &rates, &a.actions);
        (model, report)
    }

    fn query(sort: SortKey, descending: bool) -> Query {
        Query {
            sort: Sort {
                key: sort,
                descending,
            },
            ..Query::default()
        }
    }

    #[test]
    fn sorts_by_any_column_ties_in_customer_order() {
        let (model, report) = company();
        let mut buf = SortBuffers::default();
        // Net profit 40% of revenue: 400.00, -80.00, 1,200.00, 400.00.
        assert_eq!(
            report.lines.column(LineKey::NetProfit),
            &[40_000, -8_000, 120_000, 40_000]
        );
        let net = SortKey::Column(Column::Line(LineKey::NetProfit));
        assert_eq!(
            rows(&model, &report, &query(net, true), &mut buf),
            vec![2, 0, 3, 1]
        );
        assert_eq!(
            rows(&model, &report, &query(net, false), &mut buf),
            vec![1, 0, 3, 2]
        );
        let id = SortKey::CustomerId;
        assert_eq!(
            rows(&model, &report, &query(id, false), &mut buf),
            vec![3, 2, 1, 0]
        );
        // Names sort without regard to case: alpha, Beta, Ómega (Ó after Z in code points,
        // lowercased "ó" still after "z"), Zephyr.
        let name = SortKey::CustomerName;
        assert_eq!(
            rows(&model, &report, &query(name, false), &mut buf),
            vec![1, 3, 0, 2]
        );
        // Margin: 40.00% for the three with revenue; the credit note has none and goes last
        // both ways.
        let margin = SortKey::Column(Column::MarginPct);
        assert_eq!(
            rows(&model, &report, &query(margin, true), &mut buf),
            vec![0, 2, 3, 1]
        );
        assert_eq!(
            rows(&model, &report, &query(margin, false), &mut buf),
            vec![0, 2, 3, 1]
        );
    }

    #[test]
    fn search_and_filters_narrow_the_rows() {
        let (model, report) = company();
        let mut buf = SortBuffers::default();
        let mut q = |f: &dyn Fn(&mut Query)| {
            let mut q = Query::default();
            f(&mut q);
            rows(&model, &report, &q, &mut buf)
        };
        // "ALPHA" finds "alpha Kft." by name; "c-" finds C-3 and C-1 by id.
        assert_eq!(q(&|q| q.search = "ALPHA".into()), vec![1]);
        assert_eq!(q(&|q| q.search = " c-".into()), vec![0, 1]);
        // Non-ASCII search folds case too: "óMEGA".
        assert_eq!(q(&|q| q.search = "óMEGA".into()), vec![2]);
        assert_eq!(
            q(&|q| q.profitability = Profitability::Unprofitable),
            vec![1]
        );
        assert_eq!(
            q(&|q| q.profitability = Profitability::Profitable),
            vec![2, 0, 3]
        );
        // Wholesale: customers 1 and 2, most profitable first.
        assert_eq!(q(&|q| q.attribute = Some((0, 1))), vec![2, 1]);
        let totals = totals_of(&report, &[2, 1]);
        // 1,200.00 - 80.00 = 1,120.00
        assert_eq!(totals.net_profit.0, 112_000);
    }

    #[test]
    fn a_short_table_scrolls_row_for_row() {
        // 1,000 rows of 36 px, 720 px of viewport, 80 rows in the page.
        let w = RowWindow::new(1_000, 80, 36.0, 3_600.0, 720.0);
        // Row 100 is at the top (3,600 / 36); 20 rows render above it.
        assert_eq!((w.first, w.end), (80, 160));
        assert_eq!(w.above_px, 80.0 * 36.0);
        assert_eq!(w.below_px, (1_000.0 - 160.0) * 36.0);
        // At the end: rows 920..1000, the last one ending at the bottom of 36,000 px.
        let w = RowWindow::new(1_000, 80, 36.0, 36_000.0 - 720.0, 720.0);
        assert_eq!((w.first, w.end), (920, 1_000));
        assert_eq!(w.above_px + 80.0 * 36.0 + w.below_px, 36_000.0);
        assert_eq!(w.below_px, 0.0);
    }

    #[test]
    fn a_million_rows_fit_the_browsers_height_and_reach_their_last_row() {
        let (count, rows, row, view) = (1_000_000, 80, 36.0, 720.0);
        // 36,000,000 px would be cut off by the browser: the table is MAX_SCROLL_PX tall.
        let top = RowWindow::new(count, rows, row, 0.0, view);
        assert_eq!((top.first, top.end, top.above_px), (0, 80, 0.0));
        assert_eq!(top.above_px + 80.0 * row + top.below_px, MAX_SCROLL_PX);
        // Scrolled to the end: the last 80 rows, the last ending at the table's bottom, where
        // the viewport ends.
        let bottom = RowWindow::new(count, rows, row, MAX_SCROLL_PX - view, view);
        assert_eq!((bottom.first, bottom.end), (count - 80, count));
        assert_eq!(bottom.below_px, 0.0);
        assert_eq!(bottom.above_px + 80.0 * row, MAX_SCROLL_PX);
        // Half-way: (15,000,000 - 720) / 2 = 7,499,640 px is half of the 999,980 rows that can
        // reach the top, row 499,990, with 20 rows above it in the page; that row sits exactly
        // at the viewport's top.
        let middle = RowWindow::new(count, rows, row, (MAX_SCROLL_PX - view) / 2.0, view);
        assert_eq!(middle.first, 499_990 - 20);
        assert_eq!(middle.above_px + 20.0 * row, (MAX_SCROLL_PX - view) / 2.0);
    }

    #[test]
    fn any_scroll_keeps_the_rows_in_view_in_the_page() {
        let (row, view) = (36.0, 700.0);
        for count in [0, 1, 19, 81, 500, 1_000_000, 5_000_000] {
            let total = (count as f64 * row).min(MAX_SCROLL_PX);
            for step in 0..=100 {
                let scroll = (total - view).max(0.0) * step as f64 / 100.0;
                let w = RowWindow::new(count, 80, row, scroll, view);
                let rendered_top = w.above_px;
                let rendered_bottom = w.above_px + (w.end - w.first) as f64 * row;
                assert!(w.first <= w.end && w.end <= count);
                assert!(rendered_top <= scroll + 1e-6, "{count} rows at {scroll}");
                assert!(
                    rendered_bottom + 1e-6 >= (scroll + view).min(total),
                    "{count} rows at {scroll}: rows end at {rendered_bottom}"
                );
                assert!((rendered_bottom + w.below_px - total).abs() < 1e-6);
            }
        }
    }
}
