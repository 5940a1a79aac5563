//! Assumptions: the editable side of the model, each with a default, a unit and a valid range.
//!
//! They are held as exact decimals (what the person typed), validated into typed errors that
//! name the field, and compiled into [`Rates`]: the scaled integers the recompute uses.

use crate::drivers::{Model, AGE_BUCKETS, MAX_ROLES};
use crate::facts::ActivityKind;
use crate::money::{to_scaled, ScaleError, MONEY_SCALE, RATE_SCALE};
use crate::tdabc::{Tdabc, TdabcRates};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which P&L line an employee's hours are charged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostLine {
    /// sales_cost: winning and growing the customer.
    Sales,
    /// service_cost: serving and supporting it.
    Service,
}

/// The loaded hourly rate of one role (wages plus on-costs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleRate {
    pub role: String,
    pub line: CostLine,
    pub hourly_rate: Decimal,
}

/// Commission on revenue: one rate, optionally overridden per value of a customer attribute
/// (sales rep, segment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionRule {
    pub default_rate: Decimal,
    /// The attribute the overrides key on, e.g. "rep".
    pub by_attribute: Option<String>,
    pub overrides: Vec<(String, Decimal)>,
}

/// How equipment (laptops, vehicles, tools, software seats) is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentBasis {
    /// (sales hours + support hours) x rate per hour.
    PerHour,
    /// A percentage on the wage cost of those hours.
    PercentOfWages,
}

/// Rules of thumb that choose a recommended action per customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRules {
    /// Share of customers, by net profit, that are "develop and reward" (0.2 = top 20%).
    pub top_share: Decimal,
    /// A loss beyond this share of revenue, not covered by referral and advocacy value,
    /// makes "consider ending".
    pub end_loss_share: Decimal,
    /// Sales cost above this share of gross margin on a profitable customer is effort that
    /// does not pay: "scale back effort".
    pub scale_back_sales_share: Decimal,
}

/// Every assumption of the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// Gross margin on revenue whose rows carry no cost (0.40 = 40%).
    pub gross_margin_pct: Decimal,
    pub commission: CommissionRule,
    pub roles: Vec<RoleRate>,
    pub cost_per_visit: Decimal,
    pub cost_per_ticket: Decimal,
    pub cost_per_order: Decimal,
    pub cost_per_delivery: Decimal,
    pub cost_per_return: Decimal,
    pub equipment_basis: EquipmentBasis,
    pub equipment_rate_per_hour: Decimal,
    pub equipment_overhead_pct: Decimal,
    /// Acquisition cost of a customer won inside the analysed window when the data has none.
    pub acquisition_cost: Decimal,
    /// 0: expensed in the month acquired; otherwise spread evenly over this many months.
    pub acquisition_spread_months: Decimal,
    /// Annual cost of capital tied up in receivables.
    pub cost_of_capital: Decimal,
    /// Probability that an open invoice is written off, by age bucket.
    pub write_off: [Decimal; AGE_BUCKETS],
    /// Share of a referred customer's profit credited to its referrer.
    pub referral_attribution: Decimal,
    /// Acquisition cost saved by a referral of a customer that would have come anyway.
    pub saved_acquisition_cost: Decimal,
    pub value_per_case_study: Decimal,
    pub value_per_reference: Decimal,
    /// Annual retention, discount rate and margin growth for lifetime value.
    pub retention: Decimal,
    pub discount_rate: Decimal,
    pub growth: Decimal,
    pub tdabc: Tdabc,
    pub actions: ActionRules,
}

impl Assumptions {
    /// Gives every role of `model_roles` that has no rate one, priced like the first service
    /// role (support, by default) and counted as service; returns the roles added so the import
    /// can say so. Without it, hours of a new role would stop every figure until a rate is set.
    pub fn price_new_roles(&mut self, model_roles: &[String]) -> Vec<String> {
        let rate = self
            .roles
            .iter()
            .find(|r| r.line == CostLine::Service)
            .map_or(Decimal::ZERO, |r| r.hourly_rate);
        let mut added = Vec::new();
        for role in model_roles {
            if !self.roles.iter().any(|r| same_name(&r.role, role)) {
                self.roles.push(RoleRate {
                    role: role.clone(),
                    line: CostLine::Service,
                    hourly_rate: rate,
                });
                added.push(role.clone());
            }
        }
        added
    }
}

fn dec(mantissa: i64, scale: u32) -> Decimal {
    Decimal::new(mantissa, scale)
}

impl Default for Assumptions {
    /// Defaults of a small B2B firm; every one is shown in the UI beside its field.
    fn default() -> Self {
        let role = |role: &str, line, rate| RoleRate {
            role: role.to_string(),
            line,
            hourly_rate: dec(rate, 0),
        };
        Assumptions {
            gross_margin_pct: dec(40, 2),
            commission: CommissionRule {
                default_rate: dec(3, 2),
                by_attribute: None,
                overrides: Vec::new(),
            },
            roles: vec![
                role("sales", CostLine::Sales, 65),
                role("account manager", CostLine::Sales, 70),
                role("support", CostLine::Service, 45),
                role("field service", CostLine::Service, 55),
            ],
            cost_per_visit: dec(120, 0),
            cost_per_ticket: dec(6, 0),
            cost_per_order: dec(15, 0),
            cost_per_delivery: dec(25, 0),
            cost_per_return: dec(40, 0),
            equipment_basis: EquipmentBasis::PerHour,
            equipment_rate_per_hour: dec(6, 0),
            equipment_overhead_pct: dec(10, 2),
            acquisition_cost: dec(1500, 0),
            acquisition_spread_months: dec(0, 0),
            cost_of_capital: dec(8, 2),
            write_off: [dec(5, 3), dec(2, 2), dec(10, 2), dec(25, 2), dec(50, 2)],
            referral_attribution: dec(50, 2),
            saved_acquisition_cost: dec(1500, 0),
            value_per_case_study: dec(2000, 0),
            value_per_reference: dec(500, 0),
            retention: dec(85, 2),
            discount_rate: dec(10, 2),
            growth: dec(0, 0),
            tdabc: Tdabc::default(),
            actions: ActionRules {
                top_share: dec(20, 2),
                end_loss_share: dec(20, 2),
                scale_back_sales_share: dec(50, 2),
            },
        }
    }
}

/// How a value is shown and edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction shown as a percentage (0.25 is 25%).
    Percent,
    /// Money in the workbook's currency.
    Money,
    /// Money per hour.
    MoneyPerHour,
    /// Whole months.
    Months,
}

/// The groups of the assumptions panel, as people think about costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    SalesAndAcquisition,
    Commissions,
    ServiceAndSupport,
    OrderHandling,
    PaymentAndBadDebt,
    ReferralsAndAdvocacy,
    Lifetime,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::SalesAndAcquisition,
        Group::Commissions,
        Group::ServiceAndSupport,
        Group::OrderHandling,
        Group::PaymentAndBadDebt,
        Group::ReferralsAndAdvocacy,
        Group::Lifetime,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Group::SalesAndAcquisition => "sales_and_acquisition",
            Group::Commissions => "commissions",
            Group::ServiceAndSupport => "service_and_support",
            Group::OrderHandling => "order_handling",
            Group::PaymentAndBadDebt => "payment_and_bad_debt",
            Group::ReferralsAndAdvocacy => "referrals_and_advocacy",
            Group::Lifetime => "lifetime",
        }
    }
}

/// One scalar assumption, addressable by the UI (a slider and a number field each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    GrossMarginPct,
    CommissionRate,
    /// The hourly rate of role n of [`Assumptions::roles`].
    RoleRate(usize),
    CostPerVisit,
    CostPerTicket,
    CostPerOrder,
    CostPerDelivery,
    CostPerReturn,
    EquipmentRatePerHour,
    EquipmentOverheadPct,
    AcquisitionCost,
    AcquisitionSpreadMonths,
    CostOfCapital,
    /// Write-off probability of age bucket n.
    WriteOff(usize),
    ReferralAttribution,
    SavedAcquisitionCost,
    ValuePerCaseStudy,
    ValuePerReference,
    Retention,
    DiscountRate,
    Growth,
}

/// What the UI needs to draw and check one assumption.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamMeta {
    /// Stable key: names the field in errors, translation keys and saved files.
    pub key: &'static str,
    pub group: Group,
    pub unit: Unit,
    pub min: Decimal,
    /// The slider's end. The exact field accepts more (a percentage up to 100%), so a rare
    /// company is never blocked by a slider chosen for typical ones.
    pub max: Decimal,
    pub step: Decimal,
}

impl Param {
    /// Every scalar assumption of `a`, in panel order.
    pub fn all(a: &Assumptions) -> Vec<Param> {
        let mut v = vec![
            Param::AcquisitionCost,
            Param::AcquisitionSpreadMonths,
            Param::CostPerVisit,
        ];
        v.extend((0..a.roles.len()).map(Param::RoleRate));
        v.extend([
            Param::CommissionRate,
            Param::CostPerTicket,
            Param::EquipmentRatePerHour,
            Param::EquipmentOverheadPct,
            Param::GrossMarginPct,
            Param::CostPerOrder,
            Param::CostPerDelivery,
            Param::CostPerReturn,
            Param::CostOfCapital,
        ]);
        v.extend((0..AGE_BUCKETS).map(Param::WriteOff));
        v.extend([
            Param::ReferralAttribution,
            Param::SavedAcquisitionCost,
            Param::ValuePerCaseStudy,
            Param::ValuePerReference,
            Param::Retention,
            Param::DiscountRate,
            Param::Growth,
        ]);
        v
    }

    /// The assumptions the panel shows: those that change a figure on screen. The equipment
    /// setting of the basis not in use, and the lifetime group (no lifetime view yet), are left
    /// out so that no slider moves nothing.
    pub fn shown(a: &Assumptions) -> Vec<Param> {
        Param::all(a)
            .into_iter()
            .filter(|p| match p {
                Param::EquipmentRatePerHour => a.equipment_basis == EquipmentBasis::PerHour,
                Param::EquipmentOverheadPct => a.equipment_basis == EquipmentBasis::PercentOfWages,
                _ => p.meta(a).group != Group::Lifetime,
            })
            .collect()
    }

    /// Its label in `lang`, with its role or age bucket: the panel, the sensitivity chart and
    /// every export name it the same way.
    pub fn label(self, lang: crate::i18n::Lang, a: &Assumptions) -> String {
        use crate::i18n::{fill, tr};
        match self {
            Param::RoleRate(i) => fill(
                tr(lang, "param.role_rate"),
                &[("role", a.roles.get(i).map_or("", |r| r.role.as_str()))],
            ),
            Param::WriteOff(b) => fill(
                tr(lang, "param.write_off"),
                &[("bucket", tr(lang, &format!("bucket.{b}")))],
            ),
            _ => tr(lang, &format!("param.{}", self.meta(a).key)).to_string(),
        }
    }

    pub fn meta(self, a: &Assumptions) -> ParamMeta {
        use Group::*;
        use Unit::*;
        let m = |key, group, unit, max: i64, step: Decimal| ParamMeta {
            key,
            group,
            unit,
            min: Decimal::ZERO,
            max: Decimal::from(max),
            step,
        };
        let pct = dec(1, 3); // 0.1 percentage point
        let cent = dec(1, 0);
        match self {
            Param::GrossMarginPct => m("gross_margin_pct", OrderHandling, Percent, 1, pct),
            Param::CommissionRate => ParamMeta {
                max: dec(20, 2),
                ..m("commission_rate", Commissions, Percent, 1, pct)
            },
            Param::RoleRate(i) => {
                let line = a.roles.get(i).map(|r| r.line);
                let group = if line == Some(CostLine::Sales) {
                    SalesAndAcquisition
                } else {
                    ServiceAndSupport
                };
                m("role_rate", group, MoneyPerHour, 250, cent)
            }
            Param::CostPerVisit => m("cost_per_visit", SalesAndAcquisition, Money, 1000, cent),
            Param::CostPerTicket => m("cost_per_ticket", ServiceAndSupport, Money, 100, cent),
            Param::CostPerOrder => m("cost_per_order", OrderHandling, Money, 200, cent),
            Param::CostPerDelivery => m("cost_per_delivery", OrderHandling, Money, 200, cent),
            Param::CostPerReturn => m("cost_per_return", OrderHandling, Money, 400, cent),
            Param::EquipmentRatePerHour => m(
                "equipment_rate_per_hour",
                ServiceAndSupport,
                MoneyPerHour,
                50,
                cent,
            ),
            Param::EquipmentOverheadPct => ParamMeta {
                max: dec(50, 2),
                ..m("equipment_overhead_pct", ServiceAndSupport, Percent, 1, pct)
            },
            Param::AcquisitionCost => m(
                "acquisition_cost",
                SalesAndAcquisition,
                Money,
                10_000,
                dec(10, 0),
            ),
            Param::AcquisitionSpreadMonths => m(
                "acquisition_spread_months",
                SalesAndAcquisition,
                Months,
                60,
                dec(1, 0),
            ),
            Param::CostOfCapital => ParamMeta {
                max: dec(30, 2),
                ..m("cost_of_capital", PaymentAndBadDebt, Percent, 1, pct)
            },
            Param::WriteOff(_) => m("write_off", PaymentAndBadDebt, Percent, 1, pct),
            Param::ReferralAttribution => m(
                "referral_attribution",
                ReferralsAndAdvocacy,
                Percent,
                1,
                dec(1, 2),
            ),
            Param::SavedAcquisitionCost => m(
                "saved_acquisition_cost",
                ReferralsAndAdvocacy,
                Money,
                10_000,
                dec(10, 0),
            ),
            Param::ValuePerCaseStudy => m(
                "value_per_case_study",
                ReferralsAndAdvocacy,
                Money,
                20_000,
                dec(10, 0),
            ),
            Param::ValuePerReference => m(
                "value_per_reference",
                ReferralsAndAdvocacy,
                Money,
                5_000,
                dec(10, 0),
            ),
            Param::Retention => m("retention", Lifetime, Percent, 1, dec(1, 2)),
            Param::DiscountRate => ParamMeta {
                max: dec(30, 2),
                ..m("discount_rate", Lifetime, Percent, 1, pct)
            },
            Param::Growth => ParamMeta {
                max: dec(20, 2),
                ..m("growth", Lifetime, Percent, 1, pct)
            },
        }
    }

    /// The assumption's current value; `None` for a role or bucket index that does not exist.
    pub fn get(self, a: &Assumptions) -> Option<Decimal> {
        Some(match self {
            Param::GrossMarginPct => a.gross_margin_pct,
            Param::CommissionRate => a.commission.default_rate,
            Param::RoleRate(i) => a.roles.get(i)?.hourly_rate,
            Param::CostPerVisit => a.cost_per_visit,
            Param::CostPerTicket => a.cost_per_ticket,
            Param::CostPerOrder => a.cost_per_order,
            Param::CostPerDelivery => a.cost_per_delivery,
            Param::CostPerReturn => a.cost_per_return,
            Param::EquipmentRatePerHour => a.equipment_rate_per_hour,
            Param::EquipmentOverheadPct => a.equipment_overhead_pct,
            Param::AcquisitionCost => a.acquisition_cost,
            Param::AcquisitionSpreadMonths => a.acquisition_spread_months,
            Param::CostOfCapital => a.cost_of_capital,
            Param::WriteOff(i) => *a.write_off.get(i)?,
            Param::ReferralAttribution => a.referral_attribution,
            Param::SavedAcquisitionCost => a.saved_acquisition_cost,
            Param::ValuePerCaseStudy => a.value_per_case_study,
            Param::ValuePerReference => a.value_per_reference,
            Param::Retention => a.retention,
            Param::DiscountRate => a.discount_rate,
            Param::Growth => a.growth,
        })
    }

    /// Sets the assumption after checking it against its range; the assumptions are unchanged
    /// on error.
    pub fn set(self, a: &mut Assumptions, value: Decimal) -> Result<(), AssumptionError> {
        self.check(a, value)?;
        let slot = match self {
            Param::GrossMarginPct => &mut a.gross_margin_pct,
            Param::CommissionRate => &mut a.commission.default_rate,
            Param::RoleRate(i) => {
                &mut a
                    .roles
                    .get_mut(i)
                    .ok_or_else(|| self.missing())?
                    .hourly_rate
            }
            Param::CostPerVisit => &mut a.cost_per_visit,
            Param::CostPerTicket => &mut a.cost_per_ticket,
            Param::CostPerOrder => &mut a.cost_per_order,
            Param::CostPerDelivery => &mut a.cost_per_delivery,
            Param::CostPerReturn => &mut a.cost_per_return,
            Param::EquipmentRatePerHour => &mut a.equipment_rate_per_hour,
            Param::EquipmentOverheadPct => &mut a.equipment_overhead_pct,
            Param::AcquisitionCost => &mut a.acquisition_cost,
            Param::AcquisitionSpreadMonths => &mut a.acquisition_spread_months,
            Param::CostOfCapital => &mut a.cost_of_capital,
            Param::WriteOff(i) => a.write_off.get_mut(i).ok_or_else(|| self.missing())?,
            Param::ReferralAttribution => &mut a.referral_attribution,
            Param::SavedAcquisitionCost => &mut a.saved_acquisition_cost,
            Param::ValuePerCaseStudy => &mut a.value_per_case_study,
            Param::ValuePerReference => &mut a.value_per_reference,
            Param::Retention => &mut a.retention,
            Param::DiscountRate => &mut a.discount_rate,
            Param::Growth => &mut a.growth,
        };
        *slot = value;
        Ok(())
    }

    /// The value in the default assumptions (for "reset to default").
    pub fn default_value(self) -> Option<Decimal> {
        self.get(&Assumptions::default())
    }

    /// The field's name in errors: the key, with the role or bucket it points at.
    pub fn field(self, a: &Assumptions) -> String {
        let key = self.meta(a).key;
        match self {
            Param::RoleRate(i) => match a.roles.get(i) {
                Some(r) => format!("{key}[{}]", r.role),
                None => format!("{key}[{i}]"),
            },
            Param::WriteOff(i) => format!("{key}[{i}]"),
            _ => key.to_string(),
        }
    }

    fn missing(self) -> AssumptionError {
        AssumptionError {
            field: format!("{self:?}"),
            value: String::new(),
            problem: Problem::UnknownField,
        }
    }

    /// Checks a value against this assumption's rules without setting it.
    pub fn check(self, a: &Assumptions, value: Decimal) -> Result<(), AssumptionError> {
        let meta = self.meta(a);
        let error = |problem| AssumptionError {
            field: self.field(a),
            value: value.to_string(),
            problem,
        };
        if value.is_sign_negative() && !value.is_zero() {
            return Err(error(Problem::Negative));
        }
        // Hard limits, separate from the slider's end: a share is at most 100%, and money is at
        // most a billion per unit, which keeps every product of the recompute exact in 64 bits.
        let hard_max = match meta.unit {
            Unit::Percent => Decimal::ONE,
            Unit::Money | Unit::MoneyPerHour => MAX_MONEY_PER_UNIT,
            Unit::Months => Decimal::from(MAX_SPREAD_MONTHS),
        };
        if value > hard_max {
            return Err(error(Problem::OutOfRange {
                min: Decimal::ZERO,
                max: hard_max,
            }));
        }
        if meta.unit == Unit::Months && !value.fract().is_zero() {
            return Err(error(Problem::NotWhole));
        }
        let scale = match meta.unit {
            Unit::Percent | Unit::MoneyPerHour => RATE_SCALE,
            Unit::Money | Unit::Months => MONEY_SCALE,
        };
        to_scaled(value, scale).map_err(|e| error(Problem::Scale(e)))?;
        Ok(())
    }
}

/// The largest money amount per unit (per visit, per hour...) an assumption may take.
pub const MAX_MONEY_PER_UNIT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// The longest acquisition spread: 50 years.
pub const MAX_SPREAD_MONTHS: i64 = 600;

/// Checks a share (0 to 1) that is not a slider of its own, naming its field.
fn check_share(field: &str, value: Decimal) -> Result<(), AssumptionError> {
    let error = |problem| AssumptionError {
        field: field.to_string(),
        value: value.to_string(),
        problem,
    };
    if value < Decimal::ZERO {
        return Err(error(Problem::Negative));
    }
    if value > Decimal::ONE {
        return Err(error(Problem::OutOfRange {
            min: Decimal::ZERO,
            max: Decimal::ONE,
        }));
    }
    to_scaled(value, RATE_SCALE).map_err(|e| error(Problem::Scale(e)))?;
    Ok(())
}

/// What is wrong with an assumption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Negative,
    OutOfRange {
        min: Decimal,
        max: Decimal,
    },
    NotWhole,
    Scale(ScaleError),
    /// Hours are logged for a role that has no hourly rate.
    UnknownRole,
    /// The commission overrides key on an attribute the data does not have.
    UnknownAttribute,
    UnknownField,
    /// A department's practical capacity must be more than zero minutes.
    ZeroCapacity,
    /// A flat cost per unit of an activity (per ticket, order, delivery, return or visit) that
    /// a time equation also prices: the same cost would be charged twice. `equation` names the
    /// time equation (its activity).
    CountedTwice {
        equation: String,
    },
}

/// A typed error naming the assumption and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumptionError {
    /// The assumption's key, e.g. `retention` or `role_rate[support]`.
    pub field: String,
    pub value: String,
    pub problem: Problem,
}

impl fmt::Display for AssumptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (field, value) = (&self.field, &self.value);
        match &self.problem {
            Problem::Negative => write!(f, "{field}: {value} is negative; it must be zero or more"),
            Problem::OutOfRange { min, max } => {
                write!(f, "{field}: {value} is outside {min} to {max}")
            }
            Problem::NotWhole => write!(f, "{field}: {value} must be a whole number"),
            Problem::Scale(e) => write!(f, "{field}: {e}"),
            Problem::UnknownRole => {
                write!(
                    f,
                    "{field}: hours are logged for role {value:?}, which has no hourly rate"
                )
            }
            Problem::UnknownAttribute => {
                write!(f, "{field}: the data has no customer column {value:?}")
            }
            Problem::UnknownField => write!(f, "{field}: no such assumption"),
            Problem::ZeroCapacity => {
                write!(
                    f,
                    "{field}: practical capacity must be more than zero minutes"
                )
            }
            Problem::CountedTwice { equation } => write!(
                f,
                "{field}: {value} per unit would be counted twice: the time equation \
                 {equation:?} also prices this activity; set it to zero or take the activity \
                 out of the time equation"
            ),
        }
    }
}

/// The assumptions as scaled integers, resolved against one model's roles and attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Rates {
    /// 1 - gross margin, in millionths: the cost share of uncosted revenue.
    pub uncosted_cost_share: i64,
    pub commission_default: i64,
    /// Attribute column the commission varies by, and the rate per dictionary code.
    pub commission_by_code: Option<(usize, Vec<i64>)>,
    /// Per role slot of the model: rate per hour in millionths, and its line.
    pub role_rate: [i64; MAX_ROLES],
    pub role_line: [CostLine; MAX_ROLES],
    /// `role_rate` where the role is on the sales line, else 0; likewise for service.
    pub sales_role_rate: [i64; MAX_ROLES],
    pub service_role_rate: [i64; MAX_ROLES],
    /// Per activity kind, cost (or value, for case studies and references) per unit in
    /// millionths.
    pub unit_rate: [i64; ActivityKind::COUNT],
    pub equipment_basis: EquipmentBasis,
    pub equipment_per_hour: i64,
    pub equipment_overhead: i64,
    /// Default acquisition cost in cents, and months to spread it over (0: expensed).
    pub acquisition_cost: i64,
    pub acquisition_spread_months: i64,
    pub cost_of_capital: i64,
    pub write_off: [i64; AGE_BUCKETS],
    pub referral_attribution: i64,
    /// In cents.
    pub saved_acquisition_cost: i64,
    /// Time-driven activity costs per driver unit, by line.
    pub tdabc: TdabcRates,
}

fn rate(field: &str, v: Decimal) -> Result<i64, AssumptionError> {
    to_scaled(v, RATE_SCALE).map_err(|e| AssumptionError {
        field: field.to_string(),
        value: v.to_string(),
        problem: Problem::Scale(e),
    })
}

fn cents(field: &str, v: Decimal) -> Result<i64, AssumptionError> {
    to_scaled(v, MONEY_SCALE).map_err(|e| AssumptionError {
        field: field.to_string(),
        value: v.to_string(),
        problem: Problem::Scale(e),
    })
}

impl Rates {
    /// Validates every assumption and resolves roles and attributes against the model.
    /// Returns every error found, not only the first.
    pub fn compile(a: &Assumptions, model: &Model) -> Result<Rates, Vec<AssumptionError>> {
        let mut errors = Vec::new();
        for p in Param::all(a) {
            if let Some(v) = p.get(a) {
                if let Err(e) = p.check(a, v) {
                    errors.push(e);
                }
            }
        }
        for (field, v) in [
            ("actions.top_share", a.actions.top_share),
            ("actions.end_loss_share", a.actions.end_loss_share),
            (
                "actions.scale_back_sales_share",
                a.actions.scale_back_sales_share,
            ),
        ] {
            errors.extend(check_share(field, v).err());
        }
        for (value, r) in &a.commission.overrides {
            errors.extend(check_share(&format!("commission_rate[{value}]"), *r).err());
        }
        let mut take = |r: Result<i64, AssumptionError>| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                0
            })
        };

        let mut role_rate = [0; MAX_ROLES];
        let mut role_line = [CostLine::Service; MAX_ROLES];
        let mut unknown_roles = Vec::new();
        for (slot, name) in model.roles.iter().enumerate() {
            match a.roles.iter().find(|r| same_name(&r.role, name)) {
                Some(r) => {
                    role_rate[slot] = take(rate("role_rate", r.hourly_rate));
                    role_line[slot] = r.line;
                }
                None => unknown_roles.push(AssumptionError {
                    field: "role_rate".into(),
                    value: name.clone(),
                    problem: Problem::UnknownRole,
                }),
            }
        }
        let commission_default = take(rate("commission_rate", a.commission.default_rate));
        let mut commission_by_code = None;
        let mut unknown_attribute = None;
        if let Some(attr) = &a.commission.by_attribute {
            match model.attributes.iter().position(|c| &c.name == attr) {
                Some(col) => {
                    let values = &model.attributes[col].values;
                    let mut by_code = vec![commission_default; values.len()];
                    for (value, r) in &a.commission.overrides {
                        if let Ok(code) = values.binary_search(value) {
                            by_code[code] = take(rate("commission_rate", *r));
                        }
                    }
                    commission_by_code = Some((col, by_code));
                }
                None => {
                    unknown_attribute = Some(AssumptionError {
                        field: "commission_by_attribute".into(),
                        value: attr.clone(),
                        problem: Problem::UnknownAttribute,
                    })
                }
            }
        }
        let mut unit_rate = [0; ActivityKind::COUNT];
        for (kind, v, field) in [
            (ActivityKind::Visit, a.cost_per_visit, "cost_per_visit"),
            (ActivityKind::Ticket, a.cost_per_ticket, "cost_per_ticket"),
            (ActivityKind::Order, a.cost_per_order, "cost_per_order"),
            (
                ActivityKind::Delivery,
                a.cost_per_delivery,
                "cost_per_delivery",
            ),
            (ActivityKind::Return, a.cost_per_return, "cost_per_return"),
            (
                ActivityKind::CaseStudy,
                a.value_per_case_study,
                "value_per_case_study",
            ),
            (
                ActivityKind::Reference,
                a.value_per_reference,
                "value_per_reference",
            ),
        ] {
            unit_rate[kind.index()] = take(rate(field, v));
        }
        let mut write_off = [0; AGE_BUCKETS];
        for (slot, v) in write_off.iter_mut().zip(a.write_off) {
            *slot = take(rate("write_off", v));
        }
        let rates = Rates {
            uncosted_cost_share: take(rate("gross_margin_pct", Decimal::ONE - a.gross_margin_pct)),
            commission_default,
            commission_by_code,
            role_rate,
            role_line,
            sales_role_rate: std::array::from_fn(|s| {
                if role_line[s] == CostLine::Sales {
                    role_rate[s]
                } else {
                    0
                }
            }),
            service_role_rate: std::array::from_fn(|s| {
                if role_line[s] == CostLine::Service {
                    role_rate[s]
                } else {
                    0
                }
            }),
            unit_rate,
            equipment_basis: a.equipment_basis,
            equipment_per_hour: take(rate("equipment_rate_per_hour", a.equipment_rate_per_hour)),
            equipment_overhead: take(rate("equipment_overhead_pct", a.equipment_overhead_pct)),
            acquisition_cost: take(cents("acquisition_cost", a.acquisition_cost)),
            acquisition_spread_months: take(to_scaled(a.acquisition_spread_months, 0).map_err(
                |e| AssumptionError {
                    field: "acquisition_spread_months".into(),
                    value: a.acquisition_spread_months.to_string(),
                    problem: Problem::Scale(e),
                },
            )),
            cost_of_capital: take(rate("cost_of_capital", a.cost_of_capital)),
            write_off,
            referral_attribution: take(rate("referral_attribution", a.referral_attribution)),
            saved_acquisition_cost: take(cents("saved_acquisition_cost", a.saved_acquisition_cost)),
            tdabc: TdabcRates::default(),
        };
        let tdabc = a.tdabc.rates();
        errors.extend(unknown_roles);
        errors.extend(counted_twice(a));
        errors.extend(unknown_attribute);
        match tdabc {
            Ok(t) if errors.is_empty() => Ok(Rates { tdabc: t, ..rates }),
            Ok(_) => Err(errors),
            Err(mut e) => {
                errors.append(&mut e);
                Err(errors)
            }
        }
    }

    /// The commission rate of customer `i`, in millionths.
    #[inline]
    pub fn commission_of(&self, model: &Model, i: usize) -> i64 {
        match &self.commission_by_code {
            Some((col, by_code)) => by_code[model.attributes[*col].codes[i] as usize],
            None => self.commission_default,
        }
    }
}

/// The flat costs per unit that a time equation also prices. Time-driven costs are charged on
/// top of the flat cost per ticket, order, delivery, return and visit, so configuring both for
/// the same activity would charge it twice; the flat cost must then be zero.
fn counted_twice(a: &Assumptions) -> Vec<AssumptionError> {
    [
        (ActivityKind::Visit, a.cost_per_visit, "cost_per_visit"),
        (ActivityKind::Ticket, a.cost_per_ticket, "cost_per_ticket"),
        (ActivityKind::Order, a.cost_per_order, "cost_per_order"),
        (
            ActivityKind::Delivery,
            a.cost_per_delivery,
            "cost_per_delivery",
        ),
        (ActivityKind::Return, a.cost_per_return, "cost_per_return"),
    ]
    .into_iter()
    .filter(|(_, flat, _)| !flat.is_zero())
    .filter_map(|(kind, flat, field)| {
        a.tdabc.equation_pricing(kind).map(|eq| AssumptionError {
            field: field.to_string(),
            value: flat.to_string(),
            problem: Problem::CountedTwice {
                equation: eq.activity.clone(),
            },
        })
    })
    .collect()
}

/// Role names match ignoring case and surrounding spaces ("Support " is "support").
///
/// ASCII names are equal after lowercasing exactly when they are equal ignoring ASCII case;
/// only other names are lowercased into new strings (an import matches every time row's role this way, and two
/// strings a row for names that differ took most of adding up a time log).
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

/// How an assumption is shown in a field: percentages as 0-100, everything else as stored.
pub fn to_display(unit: Unit, value: Decimal) -> Decimal {
    match unit {
        Unit::Percent => (value * Decimal::ONE_HUNDRED).normalize(),
        _ => value.normalize(),
    }
}

/// Why a typed value is not a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotANumber(pub String);

/// Reads what a person typed into an assumption's field: "12.5", "12,5" or " 1 500 ", in the
/// field's display unit (percent for percentages).
pub fn from_display(unit: Unit, text: &str) -> Result<Decimal, NotANumber> {
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    // A lone comma is a decimal comma ("12,5"); with a point too it is ambiguous.
    let normalized =
        if compact.contains(',') && !compact.contains('.') && compact.matches(',').count() == 1 {
            compact.replace(',', ".")
        } else {
            compact.clone()
        };
    let value = normalized
        .parse::<Decimal>()
        .map_err(|_| NotANumber(text.to_string()))?;
    Ok(match unit {
        Unit::Percent => value / Decimal::ONE_HUNDRED,
        _ => value,
    })
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn new_roles_are_priced_like_support() {
        let mut a = Assumptions::default();
        let added = a.price_new_roles(&["Support".into(), "developer".into()]);
        assert_eq!(added, vec!["developer".to_string()]);
        let dev = a.roles.iter().find(|r| r.role == "developer").unwrap();
        // Support's default rate is 45 per hour.
        assert_eq!(dev.hourly_rate, Decimal::new(45, 0));
        assert_eq!(dev.line, CostLine::Service);
    }
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn percentages_are_edited_as_percent() {
        assert_eq!(to_display(Unit::Percent, d("0.025")), d("2.5"));
        assert_eq!(from_display(Unit::Percent, "2.5"), Ok(d("0.025")));
        assert_eq!(from_display(Unit::Percent, "12,5"), Ok(d("0.125")));
        assert_eq!(to_display(Unit::Money, d("120.00")).to_string(), "120");
    }

    #[test]
    fn typed_text_is_read_or_refused() {
        assert_eq!(from_display(Unit::Money, " 1 500 "), Ok(d("1500")));
        assert_eq!(from_display(Unit::Money, "1\u{a0}500,5"), Ok(d("1500.5")));
        assert_eq!(
            from_display(Unit::Money, "1,500.5"),
            Err(NotANumber("1,500.5".into()))
        );
        assert_eq!(
            from_display(Unit::Money, "abc"),
            Err(NotANumber("abc".into()))
        );
        assert_eq!(from_display(Unit::Money, ""), Err(NotANumber("".into())));
    }

    #[test]
    fn every_param_round_trips_its_default_through_the_field() {
        let a = Assumptions::default();
        for p in Param::all(&a) {
            let unit = p.meta(&a).unit;
            let v = p.get(&a).unwrap();
            let shown = to_display(unit, v).to_string();
            assert_eq!(from_display(unit, &shown), Ok(v.normalize()), "{p:?}");
        }
    }

    #[test]
    fn role_names_match_ignoring_case_and_surrounding_spaces() {
        assert!(same_name("Support ", "support"));
        assert!(same_name(" ÜGYFÉLSZOLGÁLAT", "ügyfélszolgálat"));
        assert!(!same_name("support", "sales"));
        assert!(!same_name("ügyfél", "ugyfel"));
    }

    proptest::proptest! {
        #[test]
        fn same_name_is_lowercase_equality_of_the_trimmed_names(
            // With the Kelvin sign, whose lowercase is an ASCII "k", and İ, whose is not "i".
            a in "[ aAbBkKéÉßΣσ\u{212a}İi]{0,5}",
            b in "[ aAbBkKéÉßΣσ\u{212a}İi]{0,5}",
        ) {
            let lower = |s: &str| s.trim().to_lowercase();
            proptest::prop_assert_eq!(same_name(&a, &b), lower(&a) == lower(&b));
        }
    }
}
