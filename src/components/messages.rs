//! Engine errors in the words of the translation table.

use profitbook_engine::assumptions::{to_display, AssumptionError, Problem, Unit};
use profitbook_engine::i18n::{fill, tr, Lang};
use profitbook_engine::money::ScaleError;

/// Why an assumption was refused, in words a finance person reads. With the field's `unit`,
/// values are shown as the field shows them (percentages as percent).
pub fn problem_text(lang: Lang, unit: Option<Unit>, e: &AssumptionError) -> String {
    let shown = |v: rust_decimal::Decimal| match unit {
        Some(u) => to_display(u, v).to_string(),
        None => v.to_string(),
    };
    let value = e
        .value
        .parse()
        .map(shown)
        .unwrap_or_else(|_| e.value.clone());
    let (key, min, max) = match &e.problem {
        Problem::Negative => ("problem.negative", String::new(), String::new()),
        Problem::OutOfRange { min, max } => ("problem.out_of_range", shown(*min), shown(*max)),
        Problem::NotWhole => ("problem.not_whole", String::new(), String::new()),
        Problem::Scale(ScaleError::TooPrecise { .. }) => {
            ("problem.too_precise", String::new(), String::new())
        }
        Problem::Scale(ScaleError::TooLarge { .. }) => {
            ("problem.too_large", String::new(), String::new())
        }
        Problem::UnknownRole => ("problem.unknown_role", String::new(), String::new()),
        Problem::UnknownAttribute => ("problem.unknown_attribute", String::new(), String::new()),
        Problem::UnknownField => ("problem.unknown_field", String::new(), String::new()),
        Problem::ZeroCapacity => ("problem.zero_capacity", String::new(), String::new()),
    };
    fill(
        tr(lang, key),
        &[
            ("value", &value),
            ("min", &min),
            ("max", &max),
            ("field", &e.field),
        ],
    )
}
