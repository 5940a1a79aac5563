//! What the charts share: a drawing's frame with its axis labels, and the table of a chart's
//! figures folded away under a summary line (the alternative for those who would rather read
//! than look, and for screen readers).

use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::i18n::{fill, tr};

#[component]
pub fn FoldedTable(
    /// The table's `data-testid`.
    testid: &'static str,
    /// Translation key of the table's caption, if it has one.
    #[prop(optional)]
    caption: Option<&'static str>,
    /// Translation key of the line that unfolds it.
    #[prop(default = "chart.as_table")]
    summary: &'static str,
    /// The table's head and body.
    children: Children,
) -> impl IntoView {
    view! {
        <details class="chart-table">
            <summary>{t(summary)}</summary>
            <table data-testid=testid>
                {caption.map(|key| view! { <caption>{caption_text(key)}</caption> })}
                {children()}
            </table>
        </details>
    }
}

/// A caption that may name the workbook's currency (`{money}`): both follow the signals.
pub fn caption_text(key: &'static str) -> impl Fn() -> String + Copy + 'static {
    let wb = use_workbook();
    move || {
        let locale = wb.locale();
        fill(tr(locale.lang, key), &[("money", locale.amounts_caption())])
    }
}

/// A chart's drawing: its SVG viewBox size and the room left around the plot for the axes.
#[derive(Clone, Copy, Debug)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Plot {
    /// The axes' names: `x` centred under the plot, `y` turned up along its left side.
    pub fn axis_labels(self, x: &'static str, y: &'static str) -> impl IntoView {
        let middle_y = self.top + (self.height - self.top - self.bottom) / 2.0;
        view! {
            <text
                class="axis-label"
                x=self.left + (self.width - self.left - self.right) / 2.0
                y=self.height - 6.0
                text-anchor="middle"
            >
                {x}
            </text>
            <text class="axis-label" transform=format!("translate(14 {middle_y}) rotate(-90)") text-anchor="middle">
                {y}
            </text>
        }
    }
}
