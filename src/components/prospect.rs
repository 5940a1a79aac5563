//! The prospect calculator: an expected customer, run through the same model as the real ones
//! with the workbook's assumptions, gives its yearly net profit, lifetime value and payback.

use crate::components::chart_parts::FoldedTable;
use crate::components::messages::problem_text;
use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::assumptions::{from_display, CostLine, Unit};
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::{fill, tr, tr_n, Lang};
use profitbook_engine::lifetime::{
    evaluate_prospect, LifetimeError, Prospect, ProspectError, ProspectResult,
};
use profitbook_engine::{LineKey, Money};
use rust_decimal::Decimal;

/// A field of the form: its key (`prospect.<key>` labels it), the unit it is typed in, and
/// the text it starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Revenue,
    GrossMargin,
    ServiceHours,
    SalesHours,
    Retention,
    Orders,
    Deliveries,
    Returns,
    Tickets,
    Visits,
}

impl Field {
    const MAIN: [Field; 5] = [
        Field::Revenue,
        Field::GrossMargin,
        Field::ServiceHours,
        Field::SalesHours,
        Field::Retention,
    ];
    const ACTIVITIES: [Field; 5] = [
        Field::Orders,
        Field::Deliveries,
        Field::Returns,
        Field::Tickets,
        Field::Visits,
    ];

    fn key(self) -> &'static str {
        match self {
            Field::Revenue => "revenue_per_year",
            Field::GrossMargin => "gross_margin_pct",
            Field::ServiceHours => "service_hours_per_year",
            Field::SalesHours => "sales_hours_to_win",
            Field::Retention => "retention",
            Field::Orders => "orders_per_year",
            Field::Deliveries => "deliveries_per_year",
            Field::Returns => "returns_per_year",
            Field::Tickets => "tickets_per_year",
            Field::Visits => "visits_per_year",
        }
    }

    /// Percentages are typed as percent; everything else as a plain number.
    fn unit(self) -> Unit {
        match self {
            Field::GrossMargin | Field::Retention => Unit::Percent,
            _ => Unit::Money,
        }
    }

    fn start(self) -> &'static str {
        match self {
            Field::Revenue => "120000",
            Field::GrossMargin => "35",
            Field::ServiceHours => "100",
            Field::SalesHours => "40",
            Field::Retention => "90",
            _ => "0",
        }
    }

    fn index(self) -> usize {
        Field::MAIN
            .iter()
            .chain(&Field::ACTIVITIES)
            .position(|f| *f == self)
            .expect("every field is listed")
    }
}

/// What the person typed, and the roles chosen (empty: the first role on the line).
#[derive(Clone, Debug, PartialEq)]
struct Form {
    texts: [String; 10],
    service_role: String,
    sales_role: String,
}

impl Default for Form {
    fn default() -> Form {
        let mut texts: [String; 10] = Default::default();
        for f in Field::MAIN.iter().chain(&Field::ACTIVITIES) {
            texts[f.index()] = f.start().to_string();
        }
        Form {
            texts,
            service_role: String::new(),
            sales_role: String::new(),
        }
    }
}

/// The prospect the form describes, or the fields that are not numbers (whole numbers for the
/// activity counts).
fn read(form: &Form) -> Result<Prospect, Vec<Field>> {
    let mut bad = Vec::new();
    let mut number = |f: Field| {
        from_display(f.unit(), &form.texts[f.index()]).unwrap_or_else(|_| {
            bad.push(f);
            Decimal::ZERO
        })
    };
    let revenue_per_year = number(Field::Revenue);
    let gross_margin_pct = number(Field::GrossMargin);
    let service_hours_per_year = number(Field::ServiceHours);
    let sales_hours_to_win = number(Field::SalesHours);
    let retention = number(Field::Retention);
    let counts: Vec<Decimal> = Field::ACTIVITIES.iter().map(|&f| number(f)).collect();
    let mut whole = |f: Field, v: Decimal| {
        u32::try_from(v.normalize().mantissa())
            .ok()
            .filter(|_| v.normalize().scale() == 0)
            .unwrap_or_else(|| {
                bad.push(f);
                0
            })
    };
    let [orders, deliveries, returns, tickets, visits] =
        std::array::from_fn(|k| whole(Field::ACTIVITIES[k], counts[k]));
    if !bad.is_empty() {
        bad.dedup();
        return Err(bad);
    }
    let role = |name: &str| (!name.is_empty()).then(|| name.to_string());
    Ok(Prospect {
        revenue_per_year,
        gross_margin_pct,
        service_hours_per_year,
        sales_hours_to_win,
        retention,
        service_role: role(&form.service_role),
        sales_role: role(&form.sales_role),
        orders_per_year: orders,
        deliveries_per_year: deliveries,
        returns_per_year: returns,
        tickets_per_year: tickets,
        visits_per_year: visits,
    })
}

/// Money from the engine's exact decimal (already rounded to the cent).
fn shown(locale: Locale, v: Decimal) -> String {
    Money::from_decimal(v).map_or_else(|_| locale.decimal(v), |m| locale.money(m))
}

fn prospect_error_text(lang: Lang, e: &ProspectError) -> Vec<String> {
    let line = |l: &CostLine| match l {
        CostLine::Sales => tr(lang, "prospect.line_sales"),
        CostLine::Service => tr(lang, "prospect.line_service"),
    };
    match e {
        ProspectError::UnknownRole { role, .. } => {
            vec![fill(tr(lang, "prospect.unknown_role"), &[("role", role)])]
        }
        ProspectError::WrongLine { role, line: l, .. } => vec![fill(
            tr(lang, "prospect.wrong_line"),
            &[("role", role), ("line", line(l))],
        )],
        ProspectError::NoRole { line: l, .. } => {
            vec![fill(tr(lang, "prospect.no_role"), &[("line", line(l))])]
        }
        ProspectError::Invalid(errors) => errors
            .iter()
            .map(|e| {
                // The prospect's own fields are named `prospect.<field>`, as their labels.
                let name = match tr(lang, &e.field) {
                    "" => e.field.as_str(),
                    label => label,
                };
                format!("{name}: {}", problem_text(lang, None, e))
            })
            .collect(),
    }
}

/// Why there is no lifetime value.
fn clv_reason(lang: Lang, e: &LifetimeError) -> String {
    match e {
        LifetimeError::RetentionOutOfRange { .. } => {
            tr(lang, "prospect.retention_out_of_range").to_string()
        }
        LifetimeError::NegativeDiscount { .. } => {
            tr(lang, "prospect.negative_discount").to_string()
        }
        LifetimeError::NoFiniteValue {
            one_plus_d,
            r_times_one_plus_g,
        } => fill(
            tr(lang, "prospect.no_finite_value"),
            &[
                ("one_plus_d", &one_plus_d.to_string()),
                ("r_g", &r_times_one_plus_g.normalize().to_string()),
            ],
        ),
    }
}

#[component]
pub fn ProspectCalculator() -> impl IntoView {
    let wb = use_workbook();
    let form = RwSignal::new(Form::default());
    let result = Memo::new(move |_| {
        form.with(read)
            .map(|p| wb.assumptions.with(|a| evaluate_prospect(&p, a)))
    });
    let lang = move || wb.lang.get();
    let input = move |f: Field| {
        let label = move || tr(lang(), &format!("prospect.{}", f.key()));
        let unit = match f.unit() {
            Unit::Percent => "%",
            _ => "",
        };
        let invalid = move || matches!(result.get(), Err(ref bad) if bad.contains(&f));
        let testid = format!("prospect-{}", f.key().replace('_', "-"));
        view! {
            <label class="field">
                <span>{label}</span>
                <span class="with-unit">
                    <input
                        type="text"
                        inputmode="decimal"
                        data-testid=testid
                        aria-invalid=move || invalid().to_string()
                        prop:value=move || form.with(|fm| fm.texts[f.index()].clone())
                        on:input=move |ev| form.update(|fm| fm.texts[f.index()] = event_target_value(&ev))
                    />
                    {unit}
                </span>
            </label>
        }
    };
    let role_select = move |line: CostLine| {
        let (key, testid) = match line {
            CostLine::Service => ("prospect.service_role", "prospect-service-role"),
            CostLine::Sales => ("prospect.sales_role", "prospect-sales-role"),
        };
        let options = move || {
            wb.assumptions.with(|a| {
                a.roles
                    .iter()
                    .filter(|r| r.line == line)
                    .map(|r| view! { <option value=r.role.clone()>{r.role.clone()}</option> })
                    .collect_view()
            })
        };
        view! {
            <label class="field">
                <span>{move || tr(lang(), key)}</span>
                <select
                    data-testid=testid
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|fm| match line {
                            CostLine::Service => fm.service_role = v,
                            CostLine::Sales => fm.sales_role = v,
                        })
                    }
                >
                    {options}
                </select>
            </label>
        }
    };
    let outcome = move || {
        let lang = lang();
        match result.get() {
            Err(bad) => {
                let names: Vec<&str> = bad
                    .iter()
                    .map(|f| tr(lang, &format!("prospect.{}", f.key())))
                    .collect();
                view! {
                    <p class="errors" role="alert" data-testid="prospect-errors">
                        {fill(tr(lang, "prospect.not_numbers"), &[("fields", &names.join(", "))])}
                    </p>
                }
                .into_any()
            }
            Ok(Err(e)) => view! {
                <ul class="errors" role="alert" data-testid="prospect-errors">
                    {prospect_error_text(lang, &e).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
            Ok(Ok(r)) => view! { <ProspectFigures result=r/> }.into_any(),
        }
    };
    view! {
        <section class="prospect" aria-labelledby="prospect-title">
            <h2 id="prospect-title">{t("prospect.title")}</h2>
            <p class="chart-caption">{t("prospect.caption")}</p>
            <div class="table-controls">
                {Field::MAIN.map(input).into_iter().collect_view()}
                {role_select(CostLine::Service)}
                {role_select(CostLine::Sales)}
            </div>
            <details class="prospect-activities">
                <summary>{t("prospect.activities")}</summary>
                <div class="table-controls">{Field::ACTIVITIES.map(input).into_iter().collect_view()}</div>
            </details>
            <div aria-live="polite">{outcome}</div>
        </section>
    }
}

#[component]
fn ProspectFigures(result: ProspectResult) -> impl IntoView {
    let wb = use_workbook();
    let lang = move || wb.lang.get();
    let payback = move || match result.payback_months {
        Some(m) => fill(
            tr_n(lang(), "prospect.payback_months", m as u64),
            &[("months", &wb.locale().integer(m as i64))],
        ),
        None => tr(lang(), "prospect.never_pays_back").to_string(),
    };
    let clv_value = match &result.clv {
        Ok(v) => shown(wb.locale(), *v),
        Err(_) => tr(lang(), "table.no_revenue").to_string(),
    };
    let clv_why = {
        let clv = result.clv.clone();
        move || clv.as_ref().err().map(|e| clv_reason(lang(), e))
    };
    let lines = result.lines;
    let rows = LineKey::ALL
        .into_iter()
        .filter(|k| !matches!(k, LineKey::Acquisition | LineKey::ReferralValue))
        .map(|k| {
            view! {
                <tr>
                    <th scope="row">{move || tr(lang(), &format!("col.{}", k.key()))}</th>
                    <td class="num">{wb.locale_untracked().amount(lines.get(k))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="kpis">
            <div class="kpi">
                <span class="kpi-label">{t("prospect.net_profit")}</span>
                <span class="kpi-value" data-testid="prospect-net-profit">{move || shown(wb.locale(), result.net_profit_per_year)}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t("prospect.clv")}</span>
                <span class="kpi-value" data-testid="prospect-clv">{clv_value}</span>
                <span class="kpi-detail" data-testid="prospect-clv-why">{clv_why}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t("prospect.acquisition")}</span>
                <span class="kpi-value" data-testid="prospect-acquisition">{move || shown(wb.locale(), result.acquisition)}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label">{t("prospect.payback")}</span>
                <span class="kpi-value" data-testid="prospect-payback">{payback}</span>
            </div>
        </div>
        <FoldedTable testid="prospect-lines" caption="prospect.lines_caption" summary="prospect.lines">
            <tbody>{rows}</tbody>
        </FoldedTable>
    }
}
