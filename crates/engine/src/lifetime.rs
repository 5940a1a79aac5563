//! Lifetime value and prospect evaluation.
//!
//! ```text
//! simple CLV    = m x r / (1 + d - r) - acquisition
//! with growth g = m x r / (1 + d - r(1 + g)) - acquisition, only when 1 + d > r(1 + g)
//! ```
//!
//! m is the margin per period, r the retention per period, d the discount rate per period: all
//! three in the same time unit (here a year).
//!
//! A prospect is evaluated with the same model as the customers, on assumed inputs: see
//! [`evaluate_prospect`].

use crate::assumptions::{
    same_name, AssumptionError, Assumptions, CostLine, Problem, Rates, RoleRate,
};
use crate::compute::{own_lines, Arithmetic, Lines};
use crate::drivers::{DriverRow, Model, COST_UNKNOWN, NOT_ACQUIRED};
use crate::facts::ActivityKind;
use crate::money::{money_times_rate, to_scaled, ScaleError, MONEY_SCALE, QTY_SCALE, RATE_SCALE};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifetimeError {
    /// Retention must lie in 0..=1.
    RetentionOutOfRange { retention: Decimal },
    /// The discount rate must be zero or more.
    NegativeDiscount { discount: Decimal },
    /// 1 + d <= r(1 + g): margins grow faster than they are discounted and lost, so the sum has
    /// no finite value.
    NoFiniteValue {
        one_plus_d: Decimal,
        r_times_one_plus_g: Decimal,
    },
}

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifetimeError::RetentionOutOfRange { retention } => {
                write!(f, "retention: {retention} is outside 0 to 1")
            }
            LifetimeError::NegativeDiscount { discount } => {
                write!(f, "discount_rate: {discount} is negative")
            }
            LifetimeError::NoFiniteValue {
                one_plus_d,
                r_times_one_plus_g,
            } => write!(
                f,
                "lifetime value is not finite: 1 + discount ({one_plus_d}) must exceed retention x (1 + growth) ({r_times_one_plus_g})"
            ),
        }
    }
}

fn cents(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Customer lifetime value, rounded to the cent.
pub fn clv(
    margin: Decimal,
    retention: Decimal,
    discount: Decimal,
    growth: Decimal,
    acquisition: Decimal,
) -> Result<Decimal, LifetimeError> {
    if retention < Decimal::ZERO || retention > Decimal::ONE {
        return Err(LifetimeError::RetentionOutOfRange { retention });
    }
    if discount < Decimal::ZERO {
        return Err(LifetimeError::NegativeDiscount { discount });
    }
    let one_plus_d = Decimal::ONE + discount;
    let r_g = retention * (Decimal::ONE + growth);
    let denominator = one_plus_d - r_g;
    if denominator <= Decimal::ZERO {
        return Err(LifetimeError::NoFiniteValue {
            one_plus_d,
            r_times_one_plus_g: r_g,
        });
    }
    Ok(cents(margin * retention / denominator - acquisition))
}

/// A prospect, on assumed figures, per year.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prospect {
    pub revenue_per_year: Decimal,
    /// Its own gross margin (0.35 = 35%), which prices its cost of goods.
    pub gross_margin_pct: Decimal,
    pub service_hours_per_year: Decimal,
    /// Hours of sales time to win it: its acquisition cost.
    pub sales_hours_to_win: Decimal,
    pub retention: Decimal,
    /// The role that serves it, by name as in [`Assumptions::roles`]; none: the first role on
    /// the service line.
    #[serde(default)]
    pub service_role: Option<String>,
    /// The role that wins it, by name; none: the first role on the sales line.
    #[serde(default)]
    pub sales_role: Option<String>,
    /// Expected activities per year, priced like a customer's.
    #[serde(default)]
    pub orders_per_year: u32,
    #[serde(default)]
    pub deliveries_per_year: u32,
    #[serde(default)]
    pub returns_per_year: u32,
    #[serde(default)]
    pub tickets_per_year: u32,
    #[serde(default)]
    pub visits_per_year: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProspectResult {
    /// Net profit of a year of the relationship, by the customers' formulas (`lines`).
    pub net_profit_per_year: Decimal,
    /// The cost of winning it, once: sales hours at the sales role's rate, with equipment.
    pub acquisition: Decimal,
    pub clv: Result<Decimal, LifetimeError>,
    /// Months until the acquisition cost is earned back; `None` when it never is.
    pub payback_months: Option<u32>,
    /// Every P&L line of a year. The one-off acquisition is left out of it (its line is zero),
    /// so that net profit is what each year brings; it is `acquisition` above.
    pub lines: Lines,
}

/// Why a prospect cannot be evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProspectError {
    /// `field` names a role that is not among the assumptions' roles.
    UnknownRole { field: &'static str, role: String },
    /// `field` names a role charged to the other line (service hours on a sales role).
    WrongLine {
        field: &'static str,
        role: String,
        line: CostLine,
    },
    /// Hours on a line that has no role to price them.
    NoRole { field: &'static str, line: CostLine },
    /// Figures of the prospect or assumptions that are refused, each naming its field.
    Invalid(Vec<AssumptionError>),
}

impl fmt::Display for ProspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line_name = |line: &CostLine| match line {
            CostLine::Sales => "sales",
            CostLine::Service => "service",
        };
        match self {
            ProspectError::UnknownRole { field, role } => {
                write!(f, "{field}: no role {role:?} has an hourly rate")
            }
            ProspectError::WrongLine { field, role, line } => write!(
                f,
                "{field}: {role:?} is a {} role, not a {} role",
                line_name(&other(*line)),
                line_name(line)
            ),
            ProspectError::NoRole { field, line } => {
                write!(f, "{field}: no {} role prices these hours", line_name(line))
            }
            ProspectError::Invalid(errors) => {
                let texts: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                write!(f, "{}", texts.join("; "))
            }
        }
    }
}

fn other(line: CostLine) -> CostLine {
    match line {
        CostLine::Sales => CostLine::Service,
        CostLine::Service => CostLine::Sales,
    }
}

/// The role that prices hours on `line`: the one named, or the first on the line. `None` only
/// when no role is named, none is on the line, and there are no hours to price.
fn role_for<'a>(
    a: &'a Assumptions,
    field: &'static str,
    named: Option<&str>,
    line: CostLine,
    hours: Decimal,
) -> Result<Option<&'a RoleRate>, ProspectError> {
    match named {
        Some(name) => {
            let role = a
                .roles
                .iter()
                .find(|r| same_name(&r.role, name))
                .ok_or_else(|| ProspectError::UnknownRole {
                    field,
                    role: name.to_string(),
                })?;
            if role.line != line {
                return Err(ProspectError::WrongLine {
                    field,
                    role: role.role.clone(),
                    line,
                });
            }
            Ok(Some(role))
        }
        None => match a.roles.iter().find(|r| r.line == line) {
            Some(role) => Ok(Some(role)),
            None if hours.is_zero() => Ok(None),
            None => Err(ProspectError::NoRole { field, line }),
        },
    }
}

fn invalid(field: &str, value: Decimal, problem: Problem) -> AssumptionError {
    AssumptionError {
        field: field.to_string(),
        value: value.to_string(),
        problem,
    }
}

/// A figure of the prospect at `scale` decimals: zero or more, at most `max` when given, and
/// exact (never rounded).
fn scaled(
    field: &str,
    value: Decimal,
    scale: u32,
    max: Option<Decimal>,
    errors: &mut Vec<AssumptionError>,
) -> i64 {
    if value < Decimal::ZERO {
        errors.push(invalid(field, value, Problem::Negative));
        return 0;
    }
    if let Some(max) = max.filter(|m| value > *m) {
        errors.push(invalid(
            field,
            value,
            Problem::OutOfRange {
                min: Decimal::ZERO,
                max,
            },
        ));
        return 0;
    }
    to_scaled(value, scale).unwrap_or_else(|e| {
        errors.push(invalid(field, value, Problem::Scale(e)));
        0
    })
}

/// Hours in thousandths, as a driver row holds them.
fn hours_milli(field: &str, value: Decimal, errors: &mut Vec<AssumptionError>) -> u32 {
    let milli = scaled(field, value, QTY_SCALE, None, errors);
    u32::try_from(milli).unwrap_or_else(|_| {
        errors.push(invalid(
            field,
            value,
            Problem::Scale(ScaleError::TooLarge { value }),
        ));
        0
    })
}

/// Evaluates a prospect with the same model as the customers: a one-customer driver row of a
/// year (revenue, cost of goods at its own gross margin, service hours on its service role,
/// expected orders, deliveries, returns, tickets and visits) goes through the customers' line
/// formulas with the company's rates, so commission, equipment (per hour or as a percentage of
/// wages), time-driven costs and every other line are computed exactly as for a customer. The
/// acquisition cost is the sales hours to win it on its sales role, through the same formulas
/// (sales cost and equipment). No payment terms are assumed, so financing and bad debt are zero.
pub fn evaluate_prospect(p: &Prospect, a: &Assumptions) -> Result<ProspectResult, ProspectError> {
    let service_role = role_for(
        a,
        "service_role",
        p.service_role.as_deref(),
        CostLine::Service,
        p.service_hours_per_year,
    )?;
    let sales_role = role_for(
        a,
        "sales_role",
        p.sales_role.as_deref(),
        CostLine::Sales,
        p.sales_hours_to_win,
    )?;

    let mut errors = Vec::new();
    let revenue = scaled(
        "prospect.revenue_per_year",
        p.revenue_per_year,
        MONEY_SCALE,
        None,
        &mut errors,
    );
    let margin = scaled(
        "prospect.gross_margin_pct",
        p.gross_margin_pct,
        RATE_SCALE,
        Some(Decimal::ONE),
        &mut errors,
    );
    let service_hours = hours_milli(
        "prospect.service_hours_per_year",
        p.service_hours_per_year,
        &mut errors,
    );
    let sales_hours = hours_milli(
        "prospect.sales_hours_to_win",
        p.sales_hours_to_win,
        &mut errors,
    );

    // A one-customer model whose roles are the two the prospect uses: slot 0 and 1.
    let roles: Vec<String> = service_role
        .iter()
        .chain(sales_role.iter())
        .map(|r| r.role.clone())
        .collect();
    let model = Model {
        roles,
        ids: vec!["prospect".into()],
        names: vec!["prospect".into()],
        acquired: vec![NOT_ACQUIRED],
        acquisition_cost: vec![COST_UNKNOWN],
        ..Model::default()
    };
    // The prospect has no customer attributes: commission is the default rate.
    let mut assumed = a.clone();
    assumed.commission.by_attribute = None;
    let rates = match Rates::compile(&assumed, &model) {
        Ok(rates) if errors.is_empty() => rates,
        Ok(_) => return Err(ProspectError::Invalid(errors)),
        Err(mut e) => {
            errors.append(&mut e);
            return Err(ProspectError::Invalid(errors));
        }
    };
    let service_slot = service_role.map(|_| 0);
    let sales_slot = sales_role.map(|_| usize::from(service_role.is_some()));

    let mut year = DriverRow {
        revenue,
        costed_revenue: revenue,
        known_cost: money_times_rate(revenue, 1_000_000 - margin),
        ..DriverRow::default()
    };
    if let Some(slot) = service_slot {
        year.hours_by_role[slot] = service_hours;
    }
    for (kind, n) in [
        (ActivityKind::Order, p.orders_per_year),
        (ActivityKind::Delivery, p.deliveries_per_year),
        (ActivityKind::Return, p.returns_per_year),
        (ActivityKind::Ticket, p.tickets_per_year),
        (ActivityKind::Visit, p.visits_per_year),
    ] {
        year.counts[kind.index()] = n;
    }
    let lines = own_lines(
        &year,
        rates.commission_default,
        0,
        &rates,
        Arithmetic::Checked,
    );

    let mut winning = DriverRow::default();
    if let Some(slot) = sales_slot {
        winning.hours_by_role[slot] = sales_hours;
    }
    // Only sales hours: its cost to serve is their sales cost and equipment.
    let acquisition = own_lines(&winning, 0, 0, &rates, Arithmetic::Checked).cost_to_serve;

    let net = lines.net_profit;
    let clv = clv(
        net.to_decimal(),
        p.retention,
        a.discount_rate,
        a.growth,
        acquisition.to_decimal(),
    );
    let payback_months = (net.0 > 0).then(|| {
        // ceil(acquisition x 12 / net), in whole months.
        let months = (acquisition.0 as i128 * 12 + net.0 as i128 - 1) / net.0 as i128;
        u32::try_from(months.max(0)).unwrap_or(u32::MAX)
    });
    Ok(ProspectResult {
        net_profit_per_year: net.to_decimal(),
        acquisition: acquisition.to_decimal(),
        clv,
        payback_months,
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assumptions::EquipmentBasis;
    use crate::money::Money;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn simple_clv_by_hand() {
        // m = 1,000, r = 0.8, d = 0.1: 1000 x 0.8 / (1.1 - 0.8) = 800 / 0.3 = 2,666.666... -> 2,666.67
        // less acquisition 500 = 2,166.67
        assert_eq!(
            clv(d("1000"), d("0.8"), d("0.1"), d("0"), d("500")),
            Ok(d("2166.67"))
        );
    }

    #[test]
    fn clv_with_growth_by_hand() {
        // 1 + d - r(1 + g) = 1.1 - 0.8 x 1.05 = 1.1 - 0.84 = 0.26; 800 / 0.26 = 3,076.923... -> 3,076.92
        assert_eq!(
            clv(d("1000"), d("0.8"), d("0.1"), d("0.05"), d("0")),
            Ok(d("3076.92"))
        );
    }

    #[test]
    fn clv_refused_when_not_finite() {
        // 1 + 0.1 <= 0.9 x 1.25 = 1.125
        let e = clv(d("1000"), d("0.9"), d("0.1"), d("0.25"), d("0")).unwrap_err();
        assert_eq!(
            e,
            LifetimeError::NoFiniteValue {
                one_plus_d: d("1.1"),
                r_times_one_plus_g: d("1.125")
            }
        );
        assert!(matches!(
            clv(d("1"), d("1.2"), d("0.1"), d("0"), d("0")),
            Err(LifetimeError::RetentionOutOfRange { .. })
        ));
    }

    #[test]
    fn prospect_by_hand() {
        // Defaults: commission 3%, support 45/h (first service role), sales 65/h (first sales
        // role), equipment 6/h, d 10%, g 0.
        // Cost of goods 120,000 x (1 - 0.35) = 78,000; gross 42,000; commission 3,600;
        // service 100 h x 45 = 4,500; equipment 100 h x 6 = 600; no activities, no financing.
        // net = 42,000 - 3,600 - 4,500 - 600 = 33,300 a year.
        // Acquisition 40 h x 65 + 40 h x 6 = 2,600 + 240 = 2,840;
        // payback 2,840 x 12 / 33,300 = 1.02 -> 2 months.
        // CLV = 33,300 x 0.9 / (1.1 - 0.9) - 2,840 = 149,850 - 2,840 = 147,010.
        let p = Prospect {
            revenue_per_year: d("120000"),
            gross_margin_pct: d("0.35"),
            service_hours_per_year: d("100"),
            sales_hours_to_win: d("40"),
            retention: d("0.9"),
            ..Prospect::default()
        };
        let r = evaluate_prospect(&p, &Assumptions::default()).unwrap();
        assert_eq!(r.net_profit_per_year, d("33300.00"));
        assert_eq!(r.acquisition, d("2840.00"));
        assert_eq!(r.payback_months, Some(2));
        assert_eq!(r.clv, Ok(d("147010.00")));
        let l = r.lines;
        assert_eq!(l.revenue, Money(12_000_000));
        assert_eq!(l.cogs, Money(7_800_000));
        assert_eq!(l.gross_margin, Money(4_200_000));
        assert_eq!(l.commission, Money(360_000));
        assert_eq!(l.service_cost, Money(450_000));
        assert_eq!(l.equipment, Money(60_000));
        assert_eq!(l.sales_cost, Money::ZERO);
        assert_eq!(l.acquisition, Money::ZERO);
        assert_eq!(l.handling, Money::ZERO);
        assert_eq!(l.cost_to_serve, Money(870_000));
        assert_eq!(l.net_profit, Money(3_330_000));
    }

    #[test]
    fn prospect_with_equipment_as_percent_of_wages_and_named_roles() {
        // Equipment as 10% of wages (the default overhead); field service 55/h, account
        // manager 70/h.
        // Gross 120,000 x 0.35 = 42,000; commission 3,600; service 100 h x 55 = 5,500;
        // equipment 10% x 5,500 = 550; net = 42,000 - 3,600 - 5,500 - 550 = 32,350.
        // Acquisition 40 h x 70 = 2,800, plus 10% = 280: 3,080.
        // Payback 3,080 x 12 / 32,350 = 36,960 / 32,350 = 1.14 -> 2 months.
        // CLV = 32,350 x 0.9 / 0.2 - 3,080 = 145,575 - 3,080 = 142,495.
        let a = Assumptions {
            equipment_basis: EquipmentBasis::PercentOfWages,
            ..Assumptions::default()
        };
        let p = Prospect {
            revenue_per_year: d("120000"),
            gross_margin_pct: d("0.35"),
            service_hours_per_year: d("100"),
            sales_hours_to_win: d("40"),
            retention: d("0.9"),
            service_role: Some("Field Service".into()),
            sales_role: Some("account manager".into()),
            ..Prospect::default()
        };
        let r = evaluate_prospect(&p, &a).unwrap();
        assert_eq!(r.lines.service_cost, Money(550_000));
        assert_eq!(r.lines.equipment, Money(55_000));
        assert_eq!(r.net_profit_per_year, d("32350.00"));
        assert_eq!(r.acquisition, d("3080.00"));
        assert_eq!(r.payback_months, Some(2));
        assert_eq!(r.clv, Ok(d("142495.00")));
    }

    #[test]
    fn prospect_with_expected_tickets_orders_and_visits() {
        // Defaults: per ticket 6, per order 15, per delivery 25, per return 40, per visit 120.
        // Revenue 60,000 at 40%: cost of goods 36,000, gross 24,000; commission 1,800.
        // sales cost  = 4 visits x 120                          =   480
        // service     = 50 h x 45 + 120 tickets x 6 = 2,250 + 720 = 2,970
        // equipment   = 50 h x 6                                =   300
        // handling    = 24 x 15 + 24 x 25 + 2 x 40 = 360 + 600 + 80 = 1,040
        // cost to serve = 1,800 + 480 + 2,970 + 300 + 1,040 = 6,590; net = 17,410.
        // Acquisition 20 h x (65 + 6) = 1,420; payback 1,420 x 12 / 17,410 = 0.98 -> 1 month.
        // CLV = 17,410 x 0.8 / (1.1 - 0.8) - 1,420 = 13,928 / 0.3 - 1,420
        //     = 46,426.67 - 1,420 = 45,006.67.
        let p = Prospect {
            revenue_per_year: d("60000"),
            gross_margin_pct: d("0.40"),
            service_hours_per_year: d("50"),
            sales_hours_to_win: d("20"),
            retention: d("0.8"),
            orders_per_year: 24,
            deliveries_per_year: 24,
            returns_per_year: 2,
            tickets_per_year: 120,
            visits_per_year: 4,
            ..Prospect::default()
        };
        let r = evaluate_prospect(&p, &Assumptions::default()).unwrap();
        let l = r.lines;
        assert_eq!(l.gross_margin, Money(2_400_000));
        assert_eq!(l.commission, Money(180_000));
        assert_eq!(l.sales_cost, Money(48_000));
        assert_eq!(l.service_cost, Money(297_000));
        assert_eq!(l.equipment, Money(30_000));
        assert_eq!(l.handling, Money(104_000));
        assert_eq!(l.cost_to_serve, Money(659_000));
        assert_eq!(r.net_profit_per_year, d("17410.00"));
        assert_eq!(r.acquisition, d("1420.00"));
        assert_eq!(r.payback_months, Some(1));
        assert_eq!(r.clv, Ok(d("45006.67")));
    }

    #[test]
    fn prospect_roles_and_figures_are_checked() {
        let p = Prospect {
            revenue_per_year: d("1000"),
            gross_margin_pct: d("0.5"),
            service_hours_per_year: d("10"),
            retention: d("0.5"),
            service_role: Some("plumber".into()),
            ..Prospect::default()
        };
        let a = Assumptions::default();
        assert_eq!(
            evaluate_prospect(&p, &a),
            Err(ProspectError::UnknownRole {
                field: "service_role",
                role: "plumber".into()
            })
        );
        let on_sales_line = Prospect {
            service_role: Some("sales".into()),
            ..p.clone()
        };
        assert_eq!(
            evaluate_prospect(&on_sales_line, &a),
            Err(ProspectError::WrongLine {
                field: "service_role",
                role: "sales".into(),
                line: CostLine::Service
            })
        );
        // Service hours with no service role at all.
        let only_sales = Assumptions {
            roles: a
                .roles
                .iter()
                .filter(|r| r.line == CostLine::Sales)
                .cloned()
                .collect(),
            ..a.clone()
        };
        let unnamed = Prospect {
            service_role: None,
            ..p.clone()
        };
        assert_eq!(
            evaluate_prospect(&unnamed, &only_sales),
            Err(ProspectError::NoRole {
                field: "service_role",
                line: CostLine::Service
            })
        );
        // Revenue with fractions of a cent and a margin above 100% are refused, not rounded.
        let odd = Prospect {
            revenue_per_year: d("1000.005"),
            gross_margin_pct: d("1.5"),
            ..unnamed
        };
        let Err(ProspectError::Invalid(errors)) = evaluate_prospect(&odd, &a) else {
            panic!("expected figures to be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["prospect.revenue_per_year", "prospect.gross_margin_pct"]
        );
    }

    #[test]
    fn prospect_saved_before_roles_and_counts_still_reads() {
        let json = r#"{"revenue_per_year":"120000","gross_margin_pct":"0.35",
            "service_hours_per_year":"100","sales_hours_to_win":"40","retention":"0.9"}"#;
        let p: Prospect = serde_json::from_str(json).unwrap();
        assert_eq!(p.service_role, None);
        assert_eq!(p.tickets_per_year, 0);
        assert_eq!(p.revenue_per_year, d("120000"));
    }
}
