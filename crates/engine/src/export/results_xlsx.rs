//! The results as an Excel workbook: Summary, Customers, Segments, Whale curve and Assumptions
//! sheets (and the scenario comparison when one is open). Numbers are stored as numbers with
//! number formats, so the person can total and chart them; headers are frozen and columns
//! sized. The Customers sheet is the CSV export's table, named as the model names its lines;
//! the other sheets are for people, in the workbook's language.

use super::report::ReportInput;
use super::xlsx::{Cell, Column as SheetColumn, NumberFormat, XlsxWriteError, XlsxWriter};
use super::{result_columns, ResultColumn};
use crate::assumptions::{Param, Unit};
use crate::compute::LineKey;
use crate::i18n::{fill, tr, tr_n};
use crate::money::Money;
use crate::table::{number, Column};
use crate::views::pivot;
use rust_decimal::Decimal;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn heading(s: impl Into<String>) -> Cell {
    Cell::Heading(s.into())
}

fn money(m: Money) -> Cell {
    Cell::Number {
        scaled: m.0,
        decimals: 2,
        format: NumberFormat::Money,
    }
}

fn count(n: usize) -> Cell {
    Cell::Number {
        scaled: n as i64,
        decimals: 0,
        format: NumberFormat::Integer,
    }
}

/// A share in basis points as the fraction Excel shows as a percentage (2,345 bp is 0.2345).
fn share(bp: Option<i64>) -> Cell {
    bp.map_or(Cell::Empty, |bp| Cell::Number {
        scaled: bp,
        decimals: 4,
        format: NumberFormat::Percent,
    })
}

/// An assumption's exact value: a percentage as a fraction, money as money.
fn decimal(value: Decimal, unit: Unit) -> Cell {
    let format = match unit {
        Unit::Percent => NumberFormat::Percent,
        Unit::Money | Unit::MoneyPerHour => NumberFormat::Money,
        Unit::Months => NumberFormat::Integer,
    };
    match i64::try_from(value.mantissa()) {
        Ok(scaled) => Cell::Number {
            scaled,
            decimals: value.scale(),
            format,
        },
        Err(_) => Cell::Text(value.to_string()),
    }
}

fn columns(headers: &[(&str, f64)]) -> Vec<SheetColumn> {
    headers
        .iter()
        .map(|&(header, width)| SheetColumn {
            header: header.to_string(),
            width,
        })
        .collect()
}

/// The results workbook's bytes.
pub fn results_xlsx(input: &ReportInput) -> Result<Vec<u8>, XlsxWriteError> {
    let mut book = XlsxWriter::new();
    summary(&mut book, input)?;
    customers(&mut book, input)?;
    segments(&mut book, input)?;
    whale(&mut book, input)?;
    assumptions(&mut book, input)?;
    comparison(&mut book, input)?;
    Ok(book.finish())
}

fn summary(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let t = |key: &str| tr(input.locale.lang, key);
    let r = input.report;
    let n = r.lines.len();
    let unprofitable_bp = (n > 0).then(|| r.unprofitable as i64 * 10_000 / n as i64);
    let scenario = input.scenario.unwrap_or(t("report.unsaved"));
    let mut rows = vec![
        vec![heading(t("report.title"))],
        vec![text(fill(t("report.scenario"), &[("name", scenario)]))],
        vec![text(fill(
            t("report.footer"),
            &[
                ("date", &input.locale.date(input.made_on)),
                ("scenario", scenario),
            ],
        ))],
        vec![text(input.locale.amounts_caption())],
        vec![],
        vec![heading(t("report.headline"))],
        vec![text(t("chart.whale.col_customers")), count(n)],
        vec![text(t("kpi.total_revenue")), money(r.totals.revenue)],
        vec![text(t("kpi.net_profit")), money(r.totals.net_profit)],
        vec![text(t("kpi.unprofitable_share")), count(r.unprofitable)],
        vec![text(t("kpi.unprofitable_share")), share(unprofitable_bp)],
        vec![text(t("kpi.whale_peak")), money(r.whale.peak_profit)],
        vec![
            text(t("report.peak_customers")),
            count(r.whale.peak_customers),
        ],
        vec![],
        vec![heading(t("report.pnl"))],
    ];
    rows.extend(
        LineKey::ALL
            .iter()
            .map(|&k| vec![text(t(&format!("col.{}", k.key()))), money(r.totals.get(k))]),
    );
    book.sheet(
        t("export.sheet.summary"),
        &columns(&[(t("report.line"), 48.0), (t("report.value"), 20.0)]),
        false,
        rows,
    )
}

fn customers(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let (model, report) = (input.model, input.report);
    let result = result_columns();
    let widths: Vec<(&str, f64)> = result
        .iter()
        .map(|c| {
            let width = match c {
                ResultColumn::CustomerName => 32.0,
                ResultColumn::Table(Column::Quadrant | Column::Action) => 24.0,
                _ => 14.0,
            };
            (c.key(), width)
        })
        .collect();
    let n = report.lines.len().min(model.len());
    let rows = (0..n).map(move |i| {
        result
            .iter()
            .map(|c| match *c {
                ResultColumn::CustomerId => text(model.ids[i].as_str()),
                ResultColumn::CustomerName => text(model.names[i].as_str()),
                ResultColumn::Table(Column::Quadrant) => text(report.quadrants[i].key()),
                ResultColumn::Table(Column::Action) => text(report.actions[i].0.key()),
                ResultColumn::Table(column @ Column::Line(_)) => {
                    number(report, column, i).map_or(Cell::Empty, |c| money(Money(c)))
                }
                ResultColumn::Table(column) => share(number(report, column, i)),
            })
            .collect()
    });
    let name = tr(input.locale.lang, "export.sheet.customers");
    book.sheet(name, &columns(&widths), true, rows)
}

fn segments(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let t = |key: &str| tr(input.locale.lang, key);
    let mut rows = Vec::new();
    for attribute in &input.model.attributes {
        for row in pivot(input.model, input.report, &attribute.name).unwrap_or_default() {
            rows.push(vec![
                text(attribute.name.as_str()),
                text(row.value),
                count(row.customers),
                count(row.unprofitable),
                money(row.lines.revenue),
                money(row.lines.gross_margin),
                money(row.lines.cost_to_serve),
                money(row.lines.net_profit),
                share(row.lines.margin_bp()),
            ]);
        }
    }
    book.sheet(
        t("export.sheet.segments"),
        &columns(&[
            (t("chart.segments.by"), 20.0),
            (t("report.group"), 24.0),
            (t("chart.whale.col_customers"), 12.0),
            (t("chart.segments.unprofitable"), 14.0),
            (t("col.revenue"), 16.0),
            (t("col.gross_margin"), 16.0),
            (t("col.cost_to_serve"), 16.0),
            (t("col.net_profit"), 16.0),
            (t("col.margin_pct"), 12.0),
        ]),
        true,
        rows,
    )
}

fn whale(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let t = |key: &str| tr(input.locale.lang, key);
    let (model, report) = (input.model, input.report);
    let whale = &report.whale;
    let total = whale.total_profit.0;
    let net = report.lines.column(LineKey::NetProfit);
    let everyone = report.whale_order();
    let rows = everyone
        .order
        .iter()
        .zip(&everyone.cumulative)
        .enumerate()
        .map(move |(rank, (&i, &cumulative))| {
            let i = i as usize;
            vec![
                count(rank + 1),
                text(model.ids[i].as_str()),
                text(model.names[i].as_str()),
                money(Money(net[i])),
                money(Money(cumulative)),
                share((total > 0).then(|| crate::money::mul_div_round(cumulative, 10_000, total))),
            ]
        });
    book.sheet(
        t("export.sheet.whale"),
        &columns(&[
            (t("report.rank"), 8.0),
            (t("col.customer_id"), 14.0),
            (t("col.customer_name"), 32.0),
            (t("col.net_profit"), 16.0),
            (t("chart.whale.col_cumulative"), 20.0),
            (t("chart.whale.col_share"), 16.0),
        ]),
        true,
        rows,
    )
}

fn assumptions(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let t = |key: &str| tr(input.locale.lang, key);
    let a = input.assumptions;
    let rows = Param::all(a).into_iter().filter_map(|p| {
        let meta = p.meta(a);
        Some(vec![
            text(t(&format!("group.{}", meta.group.key()))),
            text(p.label(input.locale.lang, a)),
            decimal(p.get(a)?, meta.unit),
        ])
    });
    book.sheet(
        t("export.sheet.assumptions"),
        &columns(&[
            (t("report.group"), 26.0),
            (t("report.assumption"), 56.0),
            (t("report.value"), 14.0),
        ]),
        true,
        rows,
    )
}

fn comparison(book: &mut XlsxWriter, input: &ReportInput) -> Result<(), XlsxWriteError> {
    let Some(c) = &input.comparison else {
        return Ok(());
    };
    let t = |key: &str| tr(input.locale.lang, key);
    let cmp = c.comparison;
    let mut rows: Vec<Vec<Cell>> = LineKey::ALL
        .iter()
        .map(|&k| {
            let (a, b) = (cmp.totals_a.get(k), cmp.totals_b.get(k));
            vec![
                text(t(&format!("col.{}", k.key()))),
                money(a),
                money(b),
                money(b - a),
            ]
        })
        .collect();
    rows.push(vec![
        text(t("kpi.unprofitable_share")),
        count(cmp.unprofitable_a),
        count(cmp.unprofitable_b),
        Cell::Number {
            scaled: cmp.unprofitable_b as i64 - cmp.unprofitable_a as i64,
            decimals: 0,
            format: NumberFormat::Integer,
        },
    ]);
    rows.push(vec![]);
    rows.push(vec![heading(fill(
        tr_n(input.locale.lang, "report.flips", cmp.flips.len() as u64),
        &[("count", &input.locale.integer(cmp.flips.len() as i64))],
    ))]);
    rows.extend(cmp.flips.iter().map(|f| {
        let i = f.customer as usize;
        vec![
            text(format!("{} ({})", input.model.names[i], input.model.ids[i])),
            money(f.before),
            money(f.after),
            money(f.after - f.before),
        ]
    }));
    book.sheet(
        t("export.sheet.comparison"),
        &columns(&[
            (t("report.line"), 40.0),
            (c.a, 18.0),
            (c.b, 18.0),
            (t("report.difference"), 18.0),
        ]),
        true,
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;
    use crate::date::Date;
    use crate::drivers::Model;
    use crate::format::Locale;
    use crate::i18n::Lang;
    use crate::import::xlsx::Workbook;
    use crate::testing::{no_commission, report_of, sample_model, two_ticket_customers};

    fn book_of(model: &Model) -> Vec<u8> {
        let report = report_of(model);
        let a = no_commission();
        results_xlsx(&ReportInput {
            locale: Locale::new(Lang::En, Currency::Eur),
            model,
            report: &report,
            assumptions: &a,
            scenario: None,
            made_on: Date::new(2026, 11, 23).unwrap(),
            drift: &[],
            comparison: None,
        })
        .expect("a valid workbook")
    }

    #[test]
    fn sheets_are_named_and_customers_carry_exact_numbers() {
        let model = two_ticket_customers();
        let bytes = book_of(&model);
        let book = Workbook::open(&bytes).expect("our reader opens it");
        assert_eq!(
            book.sheet_names(),
            [
                "Summary",
                "Customers",
                "Segments",
                "Whale curve",
                "Assumptions"
            ]
        );
        let customers = book.sheet(1).unwrap();
        assert_eq!(customers.cell(0, 0), "customer_id");
        assert_eq!(customers.cell(0, 14), "net_profit");
        assert_eq!(customers.row_count(), 3);
        // A: revenue 1,000.00, net profit 220.00, margin 22% stored as the fraction 0.22 (the
        // writer drops trailing zeros; the cell's format shows two decimals).
        assert_eq!(customers.cell(1, 0), "A");
        assert_eq!(customers.cell(1, 2), "1000");
        assert_eq!(customers.cell(1, 14), "220");
        assert_eq!(customers.cell(1, 18), "0.22");
        assert_eq!(customers.cell(1, 20), "high_margin_low_cost");
        // The whale curve: B (100.00) after A (220.00) makes 320.00, all of the total.
        let whale = book.sheet(3).unwrap();
        assert_eq!(whale.cell(2, 1), "B");
        assert_eq!(whale.cell(2, 4), "320");
        assert_eq!(whale.cell(2, 5), "1");
        let assumptions = book.sheet(4).unwrap();
        let ticket = (0..assumptions.row_count())
            .find(|&r| assumptions.cell(r, 1) == "Cost per support ticket")
            .expect("the ticket cost is listed");
        assert_eq!(assumptions.cell(ticket, 2), "6");
    }

    /// A stored amount ("-12.5") in cents.
    fn cents(text: &str) -> i64 {
        let d = (text.parse::<Decimal>().expect("a number") * Decimal::ONE_HUNDRED).normalize();
        assert_eq!(d.scale(), 0, "{text} is in whole cents");
        d.mantissa() as i64
    }

    #[test]
    fn segment_rows_add_up_to_the_company() {
        let model = sample_model();
        let report = report_of(&model);
        let bytes = book_of(&model);
        let book = Workbook::open(&bytes).unwrap();
        let segments = book.sheet(2).unwrap();
        let first = model.attributes[0].name.as_str();
        let net: i64 = (1..segments.row_count())
            .filter(|&r| segments.cell(r, 0) == first)
            .map(|r| cents(segments.cell(r, 7)))
            .sum();
        assert_eq!(net, report.totals.net_profit.0);
        let summary = book.sheet(0).unwrap();
        assert_eq!(summary.cell(0, 0), "Line");
        assert_eq!(summary.cell(1, 0), "Customer profitability report");
    }
}
