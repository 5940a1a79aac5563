//! The one translation table: every user-visible string of the workbook, its exports and
//! reports, looked up by key. Languages are added as further tables with the same keys.

/// A language of the workbook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
}

/// English. Keys are grouped by where they appear; `{name}` placeholders are filled by [`fill`].
const EN: &[(&str, &str)] = &[
    ("app.title", "Profitbook"),
    ("app.tagline", "Which of your customers actually make you money?"),
    ("app.privacy", "Your data stays in this browser: nothing is sent anywhere."),
    ("data.sample_loaded", "Sample company loaded: {customers} customers, {months} months of invoices, time logs and activities."),
    ("kpi.region_label", "Headline figures"),
    ("kpi.total_revenue", "Total revenue"),
    ("kpi.net_profit", "Total net profit"),
    ("kpi.unprofitable_share", "Unprofitable customers"),
    ("kpi.unprofitable_detail", "{count} of {total} customers"),
    ("kpi.whale_peak", "Whale-curve peak"),
    ("kpi.whale_peak_detail", "reached by the top {count} customers"),
    ("kpi.whale_peak_undefined", "n/a: total profit is not positive"),
    ("table.title", "Customers by net profit"),
    ("table.caption", "Every customer's revenue, cost to serve and net profit, most profitable first. Money in the workbook's currency; each line rounded to the cent, totals are the sum of the lines."),
    ("table.totals", "Total"),
    ("table.no_revenue", "n/a"),
    ("col.customer_id", "Customer ID"),
    ("col.customer_name", "Customer"),
    ("col.revenue", "Revenue"),
    ("col.gross_margin", "Gross margin"),
    ("col.cost_to_serve", "Cost to serve"),
    ("col.net_profit", "Net profit"),
    ("col.margin_pct", "Net margin"),
    ("col.action", "Recommended action"),
    ("action.develop_and_reward", "Develop and reward"),
    ("action.keep", "Keep"),
    ("action.reprice", "Reprice"),
    ("action.reduce_cost_to_serve", "Reduce cost to serve"),
    ("action.scale_back_effort", "Scale back effort"),
    ("action.consider_ending", "Consider ending"),
    ("panel.title", "Assumptions"),
    ("panel.hint", "Drag a slider or type an exact value: every figure follows at once."),
    ("panel.default", "default {value}"),
    ("panel.reset", "Reset"),
    ("panel.reset_label", "Reset {name} to its default, {value}"),
    ("panel.not_a_number", "{value} is not a number. Type digits with a decimal point or comma, e.g. 12.5"),
    ("group.sales_and_acquisition", "Sales and acquisition"),
    ("group.commissions", "Commissions"),
    ("group.service_and_support", "Service and support"),
    ("group.order_handling", "Orders and margin"),
    ("group.payment_and_bad_debt", "Payment and bad debt"),
    ("group.referrals_and_advocacy", "Referrals and advocacy"),
    ("group.lifetime", "Lifetime value"),
    ("unit.percent", "%"),
    ("unit.money_per_hour", "per hour"),
    ("unit.months", "months"),
    ("param.gross_margin_pct", "Gross margin where costs are missing"),
    ("param.commission_rate", "Commission on revenue"),
    ("param.role_rate", "Loaded hourly rate: {role}"),
    ("param.cost_per_visit", "Cost per sales visit"),
    ("param.cost_per_ticket", "Cost per support ticket"),
    ("param.cost_per_order", "Cost per order"),
    ("param.cost_per_delivery", "Cost per delivery"),
    ("param.cost_per_return", "Cost per return"),
    ("param.equipment_rate_per_hour", "Equipment cost per hour worked"),
    ("param.equipment_overhead_pct", "Equipment overhead on wages"),
    ("param.acquisition_cost", "Cost to acquire a new customer"),
    ("param.acquisition_spread_months", "Spread acquisition cost over (0 = expense at once)"),
    ("param.cost_of_capital", "Cost of capital, per year"),
    ("param.write_off", "Write-off probability: {bucket}"),
    ("param.referral_attribution", "Share of a referred customer's profit credited to the referrer"),
    ("param.saved_acquisition_cost", "Acquisition cost saved by a referral"),
    ("param.value_per_case_study", "Value of a case study"),
    ("param.value_per_reference", "Value of a reference"),
    ("param.retention", "Customer retention, per year"),
    ("param.discount_rate", "Discount rate, per year"),
    ("param.growth", "Margin growth, per year"),
    ("problem.negative", "{value} is negative: it must be zero or more."),
    ("problem.out_of_range", "{value} is outside the range {min} to {max}."),
    ("problem.not_whole", "{value} must be a whole number."),
    ("problem.too_precise", "{value} has more decimal places than can be kept exactly."),
    ("problem.too_large", "{value} is too large."),
    ("problem.unknown_role", "Hours are logged for the role {value}, which has no hourly rate: add a rate for it."),
    ("problem.unknown_attribute", "Commission rates are set by {value}, a customer column the data does not have."),
    ("problem.unknown_field", "{field} is not an assumption of this workbook."),
    ("problem.zero_capacity", "Practical capacity must be more than zero minutes ({field})."),
    ("bucket.0", "not yet due"),
    ("bucket.1", "1-30 days overdue"),
    ("bucket.2", "31-60 days overdue"),
    ("bucket.3", "61-90 days overdue"),
    ("bucket.4", "over 90 days overdue"),
    ("error.assumptions", "Some assumptions are invalid, so figures cannot be computed:"),
    ("footer.model", "Every figure follows the documented model: revenue less cost of goods is gross margin; less commission, sales, acquisition, service, equipment, handling, financing and bad debt is net profit."),
];

fn table(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
    }
}

/// The text of `key` in `lang`, falling back to English; empty when the key is missing
/// everywhere (the tests below walk every key the code builds, so none is).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    table(lang)
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| {
            table(Lang::En)
                .iter()
                .find(|(k, _)| *k == key)
                .map_or("", |(_, v)| *v)
        })
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_texts_non_empty() {
        let mut seen = HashSet::new();
        for (k, v) in EN {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!v.trim().is_empty(), "empty text for {k}");
        }
    }

    /// Keys the code builds at run time from enums: each must exist.
    #[test]
    fn every_key_built_at_run_time_exists() {
        use crate::assumptions::{Assumptions, Group, Param};
        use crate::drivers::AGE_BUCKETS;
        use crate::views::Action;
        let a = Assumptions::default();
        let mut keys: Vec<String> = Vec::new();
        keys.extend(Action::ALL.iter().map(|x| format!("action.{}", x.key())));
        keys.extend(Group::ALL.iter().map(|g| format!("group.{}", g.key())));
        keys.extend(
            Param::all(&a)
                .iter()
                .map(|p| format!("param.{}", p.meta(&a).key)),
        );
        keys.extend((0..AGE_BUCKETS).map(|b| format!("bucket.{b}")));
        // One message per kind of refused assumption (the app's messages.rs).
        keys.extend(
            [
                "negative",
                "out_of_range",
                "not_whole",
                "too_precise",
                "too_large",
                "unknown_role",
                "unknown_attribute",
                "unknown_field",
                "zero_capacity",
            ]
            .map(|p| format!("problem.{p}")),
        );
        for key in keys {
            assert!(
                EN.iter().any(|(k, _)| *k == key),
                "missing translation key {key}"
            );
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        let t = tr(Lang::En, "kpi.unprofitable_detail");
        assert_eq!(
            fill(t, &[("count", "3"), ("total", "10")]),
            "3 of 10 customers"
        );
    }
}
