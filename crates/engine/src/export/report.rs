//! The report for people who were not in the meeting: headline figures, the whale curve, the
//! P&L, the top and bottom customers, the groups, drift, the assumptions and, when one is
//! open, the scenario comparison. One HTML fragment serves three uses: the page's print view
//! ("Save as PDF"), the self-contained HTML download and the command-line program. Charts are
//! inline SVG drawn with presentation attributes only, so the page's Content-Security-Policy
//! (no inline styles) shows them as they are.

use crate::assumptions::{to_display, Assumptions, Param, Unit};
use crate::compute::{LineKey, Report};
use crate::date::Date;
use crate::drift::{crossed_into_loss, crossings_by_month, DriftFlag};
use crate::drivers::Model;
use crate::format::Locale;
use crate::i18n::{fill, tr, tr_n};
use crate::money::Money;
use crate::scenario::Comparison;
use crate::views::pivot;
use std::fmt::Write;

/// The report's stylesheet: linked by the page, inlined in the downloaded file.
pub const REPORT_CSS: &str = include_str!("report.css");

/// How many customers the top and bottom tables list.
const TOP: usize = 10;
/// Groups shown per attribute; a column with more values (a customer id in disguise) is left to
/// the workbook's own pivot.
const MAX_GROUPS: usize = 20;
/// Customers listed under drift.
const DRIFT_LISTED: usize = 20;

/// A comparison of two scenarios, with the names of both sides.
pub struct ComparedScenarios<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub comparison: &'a Comparison,
}

/// Everything the report shows.
pub struct ReportInput<'a> {
    /// The language, and how it writes numbers with the workbook's currency.
    pub locale: Locale,
    pub model: &'a Model,
    pub report: &'a Report,
    pub assumptions: &'a Assumptions,
    /// The scenario the assumptions are, if they are a saved one.
    pub scenario: Option<&'a str>,
    /// The day the report is made (the footer's date).
    pub made_on: Date,
    /// The drift search's result for these assumptions.
    pub drift: &'a [(u32, Vec<DriftFlag>)],
    pub comparison: Option<ComparedScenarios<'a>>,
}

/// Text made safe for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Writer<'a> {
    out: String,
    input: &'a ReportInput<'a>,
}

impl<'a> Writer<'a> {
    fn t(&self, key: &str) -> &'static str {
        tr(self.input.locale.lang, key)
    }

    /// The form of a counted text that `n` takes.
    fn t_n(&self, key: &str, n: usize) -> &'static str {
        tr_n(self.input.locale.lang, key, n as u64)
    }

    fn count(&self, n: usize) -> String {
        self.input.locale.integer(n as i64)
    }

    /// An amount standing alone, with its currency.
    fn money(&self, m: Money) -> String {
        self.input.locale.money(m)
    }

    /// An amount in a table, whose caption names the currency.
    fn amount(&self, m: Money) -> String {
        self.input.locale.amount(m)
    }

    fn share(&self, bp: Option<i64>) -> String {
        bp.map_or(self.t("report.not_applicable").to_string(), |bp| {
            self.input.locale.percent_bp(bp)
        })
    }

    /// A table: a caption, headers (the first left-aligned, the rest as numbers unless
    /// `text_columns` says otherwise), and rows of already escaped cells.
    fn table(
        &mut self,
        caption: &str,
        headers: &[&str],
        text_columns: usize,
        rows: &[Vec<String>],
    ) {
        let _ = write!(
            self.out,
            "<table><caption>{}</caption><thead><tr>",
            esc(caption)
        );
        for (k, h) in headers.iter().enumerate() {
            let class = if k < text_columns {
                ""
            } else {
                " class=\"num\""
            };
            let _ = write!(self.out, "<th scope=\"col\"{class}>{}</th>", esc(h));
        }
        self.out.push_str("</tr></thead><tbody>");
        for row in rows {
            self.out.push_str("<tr>");
            for (k, cell) in row.iter().enumerate() {
                let class = if k < text_columns {
                    ""
                } else {
                    " class=\"num\""
                };
                let _ = write!(self.out, "<td{class}>{cell}</td>");
            }
            self.out.push_str("</tr>");
        }
        self.out.push_str("</tbody></table>");
    }

    fn header(&mut self) {
        let input = self.input;
        let window = input.model.window.map_or(String::new(), |(a, b)| {
            fill(
                self.t("report.window"),
                &[
                    ("from", &self.input.locale.month(a)),
                    ("to", &self.input.locale.month(b)),
                ],
            )
        });
        let _ = write!(
            self.out,
            "<header class=\"report-head\"><h1>{}</h1><p>{} {}</p><p>{}</p></header>",
            esc(self.t("report.title")),
            esc(&fill(
                self.t_n("report.customers", input.model.len()),
                &[("count", &self.count(input.model.len()))]
            )),
            esc(&window),
            esc(&fill(
                self.t("report.scenario"),
                &[("name", input.scenario.unwrap_or(self.t("report.unsaved")))]
            )),
        );
    }

    fn headline(&mut self) {
        let r = self.input.report;
        let n = r.lines.len();
        let unprofitable_bp = (n > 0).then(|| r.unprofitable as i64 * 10_000 / n as i64);
        let peak = match r.whale.peak_bp {
            Some(bp) => fill(
                self.t_n("report.peak", r.whale.peak_customers),
                &[
                    ("value", &self.money(r.whale.peak_profit)),
                    ("share", &self.share(Some(bp))),
                    ("count", &self.count(r.whale.peak_customers)),
                ],
            ),
            None => self.t("kpi.whale_peak_undefined").to_string(),
        };
        let figures = [
            ("kpi.total_revenue", self.money(r.totals.revenue)),
            ("kpi.net_profit", self.money(r.totals.net_profit)),
            (
                "kpi.unprofitable_share",
                format!(
                    "{} ({})",
                    self.share(unprofitable_bp),
                    fill(
                        self.t_n("kpi.unprofitable_detail", n),
                        &[
                            ("count", &self.count(r.unprofitable)),
                            ("total", &self.count(n))
                        ]
                    )
                ),
            ),
            ("kpi.whale_peak", peak),
        ];
        let _ = write!(
            self.out,
            "<section class=\"report-headline\"><h2>{}</h2><dl>",
            esc(self.t("report.headline"))
        );
        for (key, value) in figures {
            let _ = write!(
                self.out,
                "<div data-figure=\"{key}\"><dt>{}</dt><dd>{}</dd></div>",
                esc(self.t(key)),
                esc(&value)
            );
        }
        self.out.push_str("</dl></section>");
    }

    /// The whale curve as an SVG polyline of the points the workbook draws.
    fn whale(&mut self) {
        let whale = &self.input.report.whale;
        let n = whale.customers;
        let _ = write!(
            self.out,
            "<section class=\"report-chart\"><h2>{}</h2><p>{}</p>",
            esc(self.t("chart.whale.title")),
            esc(self.t("chart.whale.caption"))
        );
        if n == 0 {
            self.out.push_str("</section>");
            return;
        }
        let (w, h, left, top, bottom) = (720.0, 280.0, 96.0, 12.0, 36.0);
        let points = whale.curve();
        let high = points
            .iter()
            .map(|p| p.cumulative.0)
            .max()
            .unwrap_or(0)
            .max(0);
        let low = points
            .iter()
            .map(|p| p.cumulative.0)
            .min()
            .unwrap_or(0)
            .min(0);
        let span = (high - low).max(1) as f64;
        let x = |customers: usize| left + (w - left - 8.0) * customers as f64 / n as f64;
        let y = |cents: i64| top + (h - top - bottom) * (high - cents) as f64 / span;
        let mut path = format!("{:.1},{:.1}", x(0), y(0));
        for p in &points {
            let _ = write!(path, " {:.1},{:.1}", x(p.customers), y(p.cumulative.0));
        }
        let total = whale.total_profit.0;
        let _ = write!(
            self.out,
            "<figure><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\">\
             <line x1=\"{left}\" y1=\"{zero:.1}\" x2=\"{right}\" y2=\"{zero:.1}\" stroke=\"#6b7280\"/>\
             <line x1=\"{left}\" y1=\"{tot:.1}\" x2=\"{right}\" y2=\"{tot:.1}\" stroke=\"#6b7280\" stroke-dasharray=\"4 4\"/>\
             <polyline points=\"{path}\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>\
             <text x=\"{lx}\" y=\"{hy:.1}\" text-anchor=\"end\" font-size=\"11\">{hi}</text>\
             <text x=\"{lx}\" y=\"{ly:.1}\" text-anchor=\"end\" font-size=\"11\">{lo}</text>\
             <text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"11\">{total_text}</text>\
             <text x=\"{mid}\" y=\"{axis}\" text-anchor=\"middle\" font-size=\"11\">{x_axis}</text>\
             </svg></figure>",
            label = esc(&fill(
                self.t_n("chart.whale.peak", whale.peak_customers),
                &[
                    ("value", &self.money(whale.peak_profit)),
                    ("count", &self.count(whale.peak_customers))
                ]
            )),
            zero = y(0),
            tot = y(total),
            right = w - 8.0,
            lx = left - 6.0,
            hy = y(high) + 4.0,
            ly = y(low) + 4.0,
            // Inside the plot, just above the dashed line: too long for the axis margin.
            tx = left + 6.0,
            ty = y(total) - 5.0,
            hi = esc(&self.money(Money(high))),
            lo = esc(&self.money(Money(low))),
            total_text = esc(&fill(
                self.t("chart.whale.total"),
                &[("value", &self.money(whale.total_profit))]
            )),
            mid = left + (w - left) / 2.0,
            axis = h - 10.0,
            x_axis = esc(self.t("chart.whale.x_axis")),
        );
        self.out.push_str("</section>");
    }

    /// The company's P&L, line by line.
    fn profit_and_loss(&mut self) {
        let totals = &self.input.report.totals;
        let rows: Vec<Vec<String>> = LineKey::ALL
            .iter()
            .map(|&k| {
                vec![
                    esc(self.t(&format!("col.{}", k.key()))),
                    esc(&self.amount(totals.get(k))),
                ]
            })
            .collect();
        let _ = write!(self.out, "<section><h2>{}</h2>", esc(self.t("report.pnl")));
        self.table(
            self.input.locale.amounts_caption(),
            &[self.t("report.line"), self.t("report.total")],
            1,
            &rows,
        );
        self.out.push_str("</section>");
    }

    fn customer_rows(&self, customers: impl Iterator<Item = u32>) -> Vec<Vec<String>> {
        let (model, report) = (self.input.model, self.input.report);
        customers
            .filter_map(|i| {
                let l = report.lines.get(i as usize)?;
                let action = report.actions.get(i as usize)?.0;
                Some(vec![
                    esc(&model.ids[i as usize]),
                    esc(&model.names[i as usize]),
                    esc(&self.amount(l.revenue)),
                    esc(&self.amount(l.cost_to_serve)),
                    esc(&self.amount(l.net_profit)),
                    esc(&self.share(l.margin_bp())),
                    esc(self.t(&format!("action.{}", action.key()))),
                ])
            })
            .collect()
    }

    fn top_and_bottom(&mut self) {
        let order = &self.input.report.whale_order().order;
        let headers = [
            self.t("col.customer_id"),
            self.t("col.customer_name"),
            self.t("col.revenue"),
            self.t("col.cost_to_serve"),
            self.t("col.net_profit"),
            self.t("col.margin_pct"),
            self.t("col.action"),
        ];
        let top = self.customer_rows(order.iter().copied().take(TOP));
        // The bottom: the largest losses first.
        let bottom = self.customer_rows(order.iter().rev().copied().take(TOP));
        let _ = write!(
            self.out,
            "<section><h2>{}</h2>",
            esc(self.t("report.top_title"))
        );
        self.table(self.t("report.top"), &headers, 2, &top);
        self.table(self.t("report.bottom"), &headers, 2, &bottom);
        self.out.push_str("</section>");
    }

    /// Each attribute's groups: a bar of net profit per group and the group's P&L.
    fn groups(&mut self) {
        let (model, report) = (self.input.model, self.input.report);
        if model.attributes.is_empty() {
            return;
        }
        let _ = write!(
            self.out,
            "<section><h2>{}</h2><p>{}</p>",
            esc(self.t("chart.segments.title")),
            esc(self.t("chart.segments.table_caption"))
        );
        for attribute in &model.attributes {
            let Some(rows) = pivot(model, report, &attribute.name) else {
                continue;
            };
            let _ = write!(self.out, "<h3>{}</h3>", esc(&attribute.name));
            let shown = &rows[..rows.len().min(MAX_GROUPS)];
            self.bars(
                shown
                    .iter()
                    .map(|r| (r.value.as_str(), r.lines.net_profit))
                    .collect(),
            );
            let table: Vec<Vec<String>> = shown
                .iter()
                .map(|r| {
                    vec![
                        esc(&r.value),
                        self.count(r.customers),
                        self.count(r.unprofitable),
                        esc(&self.amount(r.lines.revenue)),
                        esc(&self.amount(r.lines.cost_to_serve)),
                        esc(&self.amount(r.lines.net_profit)),
                        esc(&self.share(r.lines.margin_bp())),
                    ]
                })
                .collect();
            let headers = [
                attribute.name.as_str(),
                self.t("chart.whale.col_customers"),
                self.t("chart.segments.unprofitable"),
                self.t("col.revenue"),
                self.t("col.cost_to_serve"),
                self.t("col.net_profit"),
                self.t("col.margin_pct"),
            ];
            let caption = if rows.len() > MAX_GROUPS {
                fill(
                    self.t_n("report.groups_cut", MAX_GROUPS),
                    &[
                        ("shown", &self.count(MAX_GROUPS)),
                        ("total", &self.count(rows.len())),
                    ],
                )
            } else {
                attribute.name.clone()
            };
            self.table(&caption, &headers, 1, &table);
        }
        self.out.push_str("</section>");
    }

    /// Horizontal bars from a zero line: profit to the right in green, loss to the left in red.
    fn bars(&mut self, bars: Vec<(&str, Money)>) {
        let (w, row, label) = (720.0, 22.0, 200.0);
        let h = row * bars.len() as f64 + 8.0;
        let high = bars.iter().map(|b| b.1 .0).max().unwrap_or(0).max(0);
        let low = bars.iter().map(|b| b.1 .0).min().unwrap_or(0).min(0);
        let span = (high - low).max(1) as f64;
        let plot = w - label - 110.0;
        let x = |cents: i64| label + plot * (cents - low) as f64 / span;
        let _ = write!(
            self.out,
            "<figure><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
            esc(self.t("chart.segments.title"))
        );
        for (k, (name, value)) in bars.iter().enumerate() {
            let y = 4.0 + row * k as f64;
            let (from, to) = (x(0).min(x(value.0)), x(0).max(x(value.0)));
            let colour = if value.is_negative() {
                "#b91c1c"
            } else {
                "#15803d"
            };
            let _ = write!(
                self.out,
                "<text x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\" font-size=\"12\">{name}</text>\
                 <rect x=\"{from:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{bar:.1}\" fill=\"{colour}\"/>\
                 <text x=\"{vx:.1}\" y=\"{ty:.1}\" font-size=\"12\">{value}</text>",
                lx = label - 8.0,
                ty = y + row * 0.6,
                name = esc(name),
                width = (to - from).max(0.5),
                bar = row - 6.0,
                vx = x(high) + 8.0,
                value = esc(&self.money(*value)),
            );
        }
        self.out.push_str("</svg></figure>");
    }

    fn drift(&mut self) {
        let input = self.input;
        let crossed = crossed_into_loss(input.drift);
        let trending = input.drift.len() - crossed.len();
        let _ = write!(
            self.out,
            "<section><h2>{}</h2><p>{}</p><p>{}</p>",
            esc(self.t("chart.drift.title")),
            esc(self.t("chart.drift.caption")),
            esc(&format!(
                "{} {}",
                fill(
                    self.t_n("chart.drift.summary_crossed", crossed.len()),
                    &[("count", &self.count(crossed.len()))]
                ),
                fill(
                    self.t_n("chart.drift.summary_trending", trending),
                    &[("count", &self.count(trending))]
                )
            ))
        );
        let by_month = crossings_by_month(input.drift);
        if !by_month.is_empty() {
            let months: Vec<(String, usize)> = by_month
                .iter()
                .map(|(m, c)| (input.locale.month(*m), *c))
                .collect();
            self.columns(&months);
        }
        let mut listed = crossed;
        let net = input.report.lines.column(LineKey::NetProfit);
        // The largest losses first.
        listed.sort_by_key(|&(i, _)| net.get(i as usize).copied().unwrap_or(0));
        let rows: Vec<Vec<String>> = listed
            .iter()
            .take(DRIFT_LISTED)
            .map(|&(i, since)| {
                let i = i as usize;
                vec![
                    esc(&input.model.ids[i]),
                    esc(&input.model.names[i]),
                    esc(&input.locale.month(since)),
                    esc(&self.amount(Money(net.get(i).copied().unwrap_or(0)))),
                ]
            })
            .collect();
        if !rows.is_empty() {
            self.table(
                self.t("report.drift_listed"),
                &[
                    self.t("col.customer_id"),
                    self.t("col.customer_name"),
                    self.t("chart.drift.since"),
                    self.t("col.net_profit"),
                ],
                3,
                &rows,
            );
        }
        self.out.push_str("</section>");
    }

    /// Vertical bars of counts by month.
    fn columns(&mut self, counts: &[(String, usize)]) {
        let (w, h, bottom) = (720.0, 160.0, 28.0);
        let most = counts.iter().map(|c| c.1).max().unwrap_or(1).max(1) as f64;
        let slot = (w - 16.0) / counts.len() as f64;
        let _ = write!(
            self.out,
            "<figure><svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
            esc(self.t("chart.drift.title"))
        );
        for (k, (month, count)) in counts.iter().enumerate() {
            let bar_h = (h - bottom - 16.0) * *count as f64 / most;
            let x = 8.0 + slot * k as f64;
            let _ = write!(
                self.out,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bar_h:.1}\" fill=\"#b91c1c\"/>\
                 <text x=\"{cx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"11\">{count}</text>\
                 <text x=\"{cx:.1}\" y=\"{my:.1}\" text-anchor=\"middle\" font-size=\"10\">{month}</text>",
                y = h - bottom - bar_h,
                bw = (slot * 0.7).max(1.0),
                cx = x + slot * 0.35,
                ty = h - bottom - bar_h - 4.0,
                my = h - 10.0,
            );
        }
        self.out.push_str("</svg></figure>");
    }

    fn assumptions(&mut self) {
        let a = self.input.assumptions;
        let lang = self.input.locale.lang;
        let rows: Vec<Vec<String>> = Param::all(a)
            .into_iter()
            .filter_map(|p| {
                let meta = p.meta(a);
                let value = to_display(meta.unit, p.get(a)?);
                let unit = match meta.unit {
                    Unit::Percent => tr(lang, "unit.percent"),
                    Unit::MoneyPerHour => tr(lang, "unit.money_per_hour"),
                    Unit::Months => tr(lang, "unit.months"),
                    Unit::Money => "",
                };
                Some(vec![
                    esc(tr(lang, &format!("group.{}", meta.group.key()))),
                    esc(&p.label(lang, a)),
                    esc(format!("{} {unit}", self.input.locale.decimal(value)).trim()),
                ])
            })
            .collect();
        let _ = write!(
            self.out,
            "<section><h2>{}</h2>",
            esc(self.t("report.assumptions"))
        );
        self.table(
            self.t("report.assumptions_caption"),
            &[
                self.t("report.group"),
                self.t("report.assumption"),
                self.t("report.value"),
            ],
            2,
            &rows,
        );
        self.out.push_str("</section>");
    }

    fn comparison(&mut self) {
        let Some(c) = &self.input.comparison else {
            return;
        };
        let cmp = c.comparison;
        let row = |w: &Self, label: &str, a: Money, b: Money| {
            vec![
                esc(label),
                esc(&w.amount(a)),
                esc(&w.amount(b)),
                esc(&w.amount(b - a)),
            ]
        };
        let mut rows: Vec<Vec<String>> = LineKey::ALL
            .iter()
            .map(|&k| {
                row(
                    self,
                    self.t(&format!("col.{}", k.key())),
                    cmp.totals_a.get(k),
                    cmp.totals_b.get(k),
                )
            })
            .collect();
        rows.push(vec![
            esc(self.t("kpi.unprofitable_share")),
            self.count(cmp.unprofitable_a),
            self.count(cmp.unprofitable_b),
            format!(
                "{:+}",
                cmp.unprofitable_b as i64 - cmp.unprofitable_a as i64
            ),
        ]);
        let _ = write!(
            self.out,
            "<section class=\"report-comparison\"><h2>{}</h2><p>{}</p>",
            esc(&fill(
                self.t("report.comparison"),
                &[("a", c.a), ("b", c.b)]
            )),
            esc(&fill(
                self.t_n("report.flips", cmp.flips.len()),
                &[("count", &self.count(cmp.flips.len()))]
            ))
        );
        self.table(
            self.input.locale.amounts_caption(),
            &[self.t("report.line"), c.a, c.b, self.t("report.difference")],
            1,
            &rows,
        );
        self.out.push_str("</section>");
    }

    fn footer(&mut self) {
        let input = self.input;
        let _ = write!(
            self.out,
            "<footer class=\"report-foot\">{}</footer>",
            esc(&fill(
                self.t("report.footer"),
                &[
                    ("date", &input.locale.date(input.made_on)),
                    (
                        "scenario",
                        input.scenario.unwrap_or(self.t("report.unsaved"))
                    ),
                ]
            ))
        );
    }
}

/// The report as an HTML fragment (one `<article>`), for the page's print view.
pub fn report_body(input: &ReportInput) -> String {
    let mut w = Writer {
        out: String::with_capacity(64 * 1024),
        input,
    };
    w.out
        .push_str("<article class=\"report\" data-testid=\"report\">");
    // The footer comes first so that print repeats it at the foot of every page (a fixed
    // element); on screen it sits at the end (see report.css).
    w.footer();
    w.header();
    w.headline();
    w.whale();
    w.profit_and_loss();
    w.top_and_bottom();
    w.groups();
    w.drift();
    w.comparison();
    w.assumptions();
    w.out.push_str("</article>");
    w.out
}

/// The report as one self-contained HTML file: its styles inline, no script, and a policy that
/// forbids it to load anything, so it opens offline in any browser and reveals nothing.
pub fn report_document(input: &ReportInput) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{css}</style></head><body>{body}</body></html>",
        lang = input.locale.lang.code(),
        title = esc(tr(input.locale.lang, "report.title")),
        css = REPORT_CSS,
        body = report_body(input),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use crate::i18n::Lang;
    use crate::testing::{report_of, sample_model, two_ticket_customers};

    fn input<'a>(model: &'a Model, report: &'a Report, a: &'a Assumptions) -> ReportInput<'a> {
        ReportInput {
            locale: Locale::new(Lang::En, Currency::Eur),
            model,
            report,
            assumptions: a,
            scenario: Some("Base <2026>"),
            made_on: Date::new(2026, 11, 23).unwrap(),
            drift: &[],
            comparison: None,
        }
    }

    #[test]
    fn the_report_shows_hand_worked_figures_and_escapes_names() {
        let mut model = two_ticket_customers();
        model.names[1] = "Smith & <Sons>".to_string();
        let report = report_of(&model);
        let a = crate::testing::no_commission();
        let html = report_body(&input(&model, &report, &a));
        // Revenue 2 x 1,000.00; net profit 220.00 + 100.00 (see the CSV test's arithmetic),
        // standing alone with the currency's sign, in tables under a caption naming it.
        assert!(html.contains("<dd>€2,000.00</dd>"), "{html}");
        assert!(html.contains("<dd>€320.00</dd>"));
        assert!(html.contains("<caption>Amounts in euros.</caption>"));
        assert!(html.contains("<td>Net profit</td><td class=\"num\">320.00</td>"));
        // No customer loses money: 0 of 2.
        assert!(html.contains("<dd>0.0% (0 of 2 customers)</dd>"));
        assert!(html.contains("Smith &amp; &lt;Sons&gt;"));
        assert!(!html.contains("<Sons>"));
        assert!(html.contains("Base &lt;2026&gt;"));
        assert!(html.contains("Profitbook report, 23 Nov 2026, Base &lt;2026&gt;"));
        // Cost per support ticket, 6.00 by default.
        assert!(html.contains("<td>Cost per support ticket</td><td class=\"num\">6</td>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn the_document_is_self_contained() {
        let model = sample_model();
        let report = report_of(&model);
        let a = crate::testing::no_commission();
        let doc = report_document(&input(&model, &report, &a));
        assert!(doc.starts_with("<!DOCTYPE html><html lang=\"en\">"));
        assert!(doc.contains("default-src 'none'"));
        for forbidden in ["src=", "href=", "url(", "@import", "<script"] {
            assert!(!doc.contains(forbidden), "{forbidden} would load something");
        }
        // Every group table of the sample sums to the company's net profit; here, the count
        // of group sections: one per attribute.
        assert_eq!(doc.matches("<h3>").count(), model.attributes.len());
    }

    #[test]
    fn every_report_text_exists() {
        // The report and the Excel workbook's sheets name their texts by key.
        let source = [include_str!("report.rs"), include_str!("results_xlsx.rs")].concat();
        let mut rest = source.as_str();
        while let Some(at) = rest.find("\"report.") {
            let key: String = rest[at + 1..].chars().take_while(|c| *c != '"').collect();
            // The keys this file names, not its own file names.
            if key.len() > "report.".len() && !matches!(key.as_str(), "report.rs" | "report.css") {
                let plain = tr(Lang::En, &key);
                let counted = crate::i18n::tr_n(Lang::En, &key, 2);
                assert!(
                    !(plain.is_empty() && counted.is_empty()),
                    "missing text {key}"
                );
            }
            rest = &rest[at + 1..];
        }
    }
}
