//! The results as CSV: one row per customer, the columns named as the model names its lines, so
//! the file stays machine-readable in every language.

use super::{neutralise, result_columns, ResultColumn};
use crate::compute::Report;
use crate::drivers::Model;
use crate::format::{scaled, NumberStyle};
use crate::table::{number, Column};

/// How numbers and fields are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvStyle {
    /// Decimal point, comma between fields, no thousands separators, no byte-order mark: for
    /// programs.
    Plain,
    /// The person's locale for a spreadsheet: its decimal mark (a decimal comma puts a
    /// semicolon between fields), no thousands separators, and a UTF-8 byte-order mark so that
    /// Excel reads the names' accents right.
    Locale { decimal: char },
}

impl CsvStyle {
    fn separator(self) -> u8 {
        match self {
            CsvStyle::Locale { decimal: ',' } => b';',
            _ => b',',
        }
    }

    fn numbers(self) -> NumberStyle {
        match self {
            CsvStyle::Plain => NumberStyle::PLAIN,
            CsvStyle::Locale { decimal } => NumberStyle {
                decimal,
                group: None,
            },
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Appends one field, quoted when it holds the separator, a quote or a line break.
fn push_field(out: &mut Vec<u8>, text: &str, separator: u8) {
    let needs_quotes = text
        .bytes()
        .any(|b| b == separator || b == b'"' || b == b'\n' || b == b'\r');
    if needs_quotes {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

/// The results CSV in chunks of at most `rows_per_chunk` customers (the header and the
/// byte-order mark open the first), so that a million customers never sit in memory as one
/// string: the page hands each chunk to the browser's file as it comes.
pub fn results_csv<'a>(
    model: &'a Model,
    report: &'a Report,
    style: CsvStyle,
    rows_per_chunk: usize,
) -> impl Iterator<Item = Vec<u8>> + 'a {
    let separator = style.separator();
    let numbers = style.numbers();
    let columns = result_columns();
    let n = report.lines.len().min(model.len());
    let per_chunk = rows_per_chunk.max(1);
    let chunks = n.div_ceil(per_chunk).max(1);
    (0..chunks).map(move |chunk| {
        let mut out = Vec::with_capacity(per_chunk.min(n) * 200 + 400);
        if chunk == 0 {
            if matches!(style, CsvStyle::Locale { .. }) {
                out.extend_from_slice(BOM);
            }
            for (k, c) in columns.iter().enumerate() {
                if k > 0 {
                    out.push(separator);
                }
                push_field(&mut out, c.key(), separator);
            }
            out.extend_from_slice(b"\r\n");
        }
        for i in chunk * per_chunk..((chunk + 1) * per_chunk).min(n) {
            for (k, c) in columns.iter().enumerate() {
                if k > 0 {
                    out.push(separator);
                }
                let text = match *c {
                    ResultColumn::CustomerId => neutralise(&model.ids[i]).into_owned(),
                    ResultColumn::CustomerName => neutralise(&model.names[i]).into_owned(),
                    ResultColumn::Table(Column::Quadrant) => report.quadrants[i].key().to_string(),
                    ResultColumn::Table(Column::Action) => report.actions[i].0.key().to_string(),
                    ResultColumn::Table(column @ Column::Line(_)) => number(report, column, i)
                        .map_or(String::new(), |cents| scaled(cents, 2, 2, numbers)),
                    // Shares as percentages with two decimals (basis points / 100); empty for a
                    // customer without revenue, whose share is undefined.
                    ResultColumn::Table(column) => number(report, column, i)
                        .map_or(String::new(), |bp| scaled(bp, 2, 2, numbers)),
                };
                push_field(&mut out, &text, separator);
            }
            out.extend_from_slice(b"\r\n");
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{report_of, two_ticket_customers};

    fn csv_of(model: &Model, style: CsvStyle, per_chunk: usize) -> String {
        let report = report_of(model);
        let bytes: Vec<u8> = results_csv(model, &report, style, per_chunk)
            .flatten()
            .collect();
        String::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn plain_rows_carry_every_line_with_a_decimal_point() {
        let model = two_ticket_customers();
        let text = csv_of(&model, CsvStyle::Plain, 1000);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            rows[0],
            "customer_id,customer_name,revenue,cogs,gross_margin,commission,sales_cost,\
             acquisition,service_cost,equipment,handling,financing,bad_debt,cost_to_serve,\
             net_profit,referral_value,advocacy,total_value,margin_pct,cost_to_serve_pct,\
             quadrant,action"
        );
        let report = report_of(&model);
        // A: revenue 1,000.00 without known cost, so COGS at the default 40% margin is 600.00
        // and gross margin 400.00; 30 tickets x 6.00 = 180.00 service cost, the only cost to
        // serve; net profit 400 - 180 = 220.00, 22.00% of revenue; cost to serve 18.00%.
        // The company: net 220 + 100 = 320 of 2,000 (16%), cost to serve 480 (24%): A's 22%
        // margin is high and its 18% cost low.
        assert_eq!(
            rows[1],
            format!(
                "A,A,1000.00,600.00,400.00,0.00,0.00,0.00,180.00,0.00,0.00,0.00,0.00,180.00,\
                 220.00,0.00,0.00,220.00,22.00,18.00,high_margin_low_cost,{}",
                report.actions[0].0.key()
            )
        );
        // B: 50 tickets x 6.00 = 300.00; net 400 - 300 = 100.00 (10%, low), cost 30% (high).
        assert!(
            rows[2].starts_with("B,B,1000.00,600.00,400.00,"),
            "{}",
            rows[2]
        );
        assert!(
            rows[2].contains(",300.00,100.00,0.00,0.00,100.00,10.00,30.00,low_margin_high_cost,"),
            "{}",
            rows[2]
        );
        assert_eq!(rows[3], "", "the file ends with a line break");
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn locale_style_uses_decimal_comma_semicolons_and_a_byte_order_mark() {
        let mut model = two_ticket_customers();
        model.names[0] = "Kovács; Társai".to_string();
        let text = csv_of(&model, CsvStyle::Locale { decimal: ',' }, 1000);
        assert!(text.starts_with("\u{FEFF}customer_id;customer_name;revenue;"));
        let row = text.split("\r\n").nth(1).unwrap();
        // The name holds the separator, so it is quoted; amounts have a decimal comma and no
        // thousands separator.
        assert!(
            row.starts_with("A;\"Kovács; Társai\";1000,00;600,00;400,00;"),
            "{row}"
        );
        assert!(
            row.contains(";220,00;0,00;0,00;220,00;22,00;18,00;"),
            "{row}"
        );
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_neutralised_and_quotes_are_doubled() {
        let mut model = two_ticket_customers();
        model.names[0] = "=HYPERLINK(\"http://x\")".to_string();
        model.ids[1] = "-42".to_string();
        let text = csv_of(&model, CsvStyle::Plain, 1000);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert!(
            rows[1].starts_with("A,\"'=HYPERLINK(\"\"http://x\"\")\",1000.00,"),
            "{}",
            rows[1]
        );
        assert!(rows[2].starts_with("'-42,B,"), "{}", rows[2]);
    }

    #[test]
    fn chunks_join_into_the_same_file_and_net_profit_ties_to_the_total() {
        let model = crate::testing::sample_model();
        let report = report_of(&model);
        let whole = csv_of(&model, CsvStyle::Plain, usize::MAX);
        let chunked: Vec<Vec<u8>> = results_csv(&model, &report, CsvStyle::Plain, 97).collect();
        assert_eq!(chunked.len(), model.len().div_ceil(97));
        assert_eq!(String::from_utf8(chunked.concat()).unwrap(), whole);
        // Every net profit cell parsed back as cents adds up to the report's total.
        let header: Vec<&str> = whole.lines().next().unwrap().split(',').collect();
        let net = header.iter().position(|h| *h == "net_profit").unwrap();
        let sum: i64 = whole
            .lines()
            .skip(1)
            .map(|row| {
                let cell = crate::testing::csv_cells(row)[net].clone();
                cell.replace('.', "")
                    .parse::<i64>()
                    .expect("a plain amount")
            })
            .sum();
        assert_eq!(sum, report.totals.net_profit.0);
        assert_eq!(whole.lines().count(), model.len() + 1);
    }
}
