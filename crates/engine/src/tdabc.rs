//! Time-driven activity-based costing (Kaplan and Anderson, 2004).
//!
//! ```text
//! capacity_cost_rate = cost of capacity supplied / practical capacity (minutes)
//! activity_cost      = capacity_cost_rate x unit_minutes
//! unit_minutes       = b0 + b1 x driver1 + ...   (a time equation)
//! unused_capacity    = capacity_cost_rate x (practical capacity - minutes used)
//! ```
//!
//! Time equations here are linear in the customer's activity counts (orders, deliveries,
//! tickets...), so summed over a customer's transactions they stay linear in its driver totals:
//! a customer's time-driven cost is an exact per-driver unit cost times its counts, and costs
//! the recompute nothing extra. Unused capacity is a cost of the business, reported on its own
//! line and never pushed onto customers.
//!
//! A time equation replaces the flat cost per unit of the activities it prices (cost per
//! ticket, order, delivery, return or visit): both would be charged, so the assumptions refuse
//! a flat cost other than zero for an activity a time equation prices
//! ([`Problem::CountedTwice`], naming the flat cost). The same holds for wages, which the
//! assumptions cannot check: hours in the time log are priced at their role's hourly rate, so a
//! department's cost of capacity must leave out the wages of time that is also logged there.

use crate::assumptions::{AssumptionError, Problem};
use crate::drivers::DriverRow;
use crate::facts::ActivityKind;
use crate::money::{to_scaled, Money, ScaleError, RATE_SCALE};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A department that supplies capacity (people and their equipment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub name: String,
    /// Cost of the capacity supplied in the period (wages, space, equipment).
    pub cost_of_capacity: Decimal,
    /// Practical capacity in minutes: about 80% of theoretical.
    pub practical_minutes: Decimal,
}

impl Department {
    /// Cost per minute of capacity, rounded to six decimals (half away from zero).
    pub fn capacity_cost_rate(&self) -> Option<Decimal> {
        if self.practical_minutes <= Decimal::ZERO {
            return None;
        }
        self.cost_of_capacity
            .checked_div(self.practical_minutes)
            .map(|r| r.round_dp_with_strategy(RATE_SCALE, RoundingStrategy::MidpointAwayFromZero))
    }
}

/// The P&L line a time-driven activity is charged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TdabcLine {
    Service,
    Handling,
}

impl TdabcLine {
    fn index(self) -> usize {
        match self {
            TdabcLine::Service => 0,
            TdabcLine::Handling => 1,
        }
    }
}

/// A time equation: minutes per unit of each driver, performed by one department.
/// E.g. order handling = 8 min per order + 2 min per delivery + 20 min per return.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeEquation {
    pub activity: String,
    /// Index into [`Tdabc::departments`].
    pub department: usize,
    pub line: TdabcLine,
    pub minutes_per_unit: Vec<(ActivityKind, Decimal)>,
}

/// Departments and the time equations of their activities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tdabc {
    pub departments: Vec<Department>,
    pub activities: Vec<TimeEquation>,
}

/// Compiled time-driven costs: per line and driver, cost per unit in billionths (rate in
/// millionths per minute x minutes in thousandths).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TdabcRates {
    pub per_unit_nano: [[i64; ActivityKind::COUNT]; 2],
}

impl TdabcRates {
    pub fn service(&self) -> &[i64; ActivityKind::COUNT] {
        &self.per_unit_nano[TdabcLine::Service.index()]
    }
    pub fn handling(&self) -> &[i64; ActivityKind::COUNT] {
        &self.per_unit_nano[TdabcLine::Handling.index()]
    }
}

/// One department's capacity: supplied, used by customers, and unused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CapacityLine {
    pub department: String,
    pub rate_per_minute: Decimal,
    pub practical_minutes: Decimal,
    pub used_minutes: Decimal,
    /// Negative when the activities use more than the practical capacity (overtime).
    pub unused_minutes: Decimal,
    pub unused_cost: Money,
}

fn tdabc_error(field: String, value: Decimal, problem: Problem) -> AssumptionError {
    AssumptionError {
        field,
        value: value.to_string(),
        problem,
    }
}

impl Tdabc {
    /// Validates departments and equations, and compiles per-driver unit costs.
    pub fn rates(&self) -> Result<TdabcRates, Vec<AssumptionError>> {
        let mut errors = Vec::new();
        let mut out = TdabcRates::default();
        let mut dept_rates = Vec::with_capacity(self.departments.len());
        for (i, d) in self.departments.iter().enumerate() {
            if d.cost_of_capacity < Decimal::ZERO {
                errors.push(tdabc_error(
                    format!("tdabc.departments[{i}].cost_of_capacity"),
                    d.cost_of_capacity,
                    Problem::Negative,
                ));
            }
            match d.capacity_cost_rate().map(|r| to_scaled(r, RATE_SCALE)) {
                Some(Ok(r)) => dept_rates.push(r),
                Some(Err(e)) => {
                    errors.push(tdabc_error(
                        format!("tdabc.departments[{i}]"),
                        d.cost_of_capacity,
                        Problem::Scale(e),
                    ));
                    dept_rates.push(0);
                }
                None => {
                    errors.push(tdabc_error(
                        format!("tdabc.departments[{i}].practical_minutes"),
                        d.practical_minutes,
                        Problem::ZeroCapacity,
                    ));
                    dept_rates.push(0);
                }
            }
        }
        for (i, eq) in self.activities.iter().enumerate() {
            let Some(&rate) = dept_rates.get(eq.department) else {
                errors.push(tdabc_error(
                    format!("tdabc.activities[{i}].department"),
                    Decimal::from(eq.department),
                    Problem::UnknownField,
                ));
                continue;
            };
            for (kind, minutes) in &eq.minutes_per_unit {
                let field = || format!("tdabc.activities[{i}].minutes[{}]", kind.key());
                if *minutes < Decimal::ZERO {
                    errors.push(tdabc_error(field(), *minutes, Problem::Negative));
                    continue;
                }
                match to_scaled(*minutes, 3) {
                    Ok(milli) => {
                        let slot = &mut out.per_unit_nano[eq.line.index()][kind.index()];
                        match rate.checked_mul(milli).and_then(|c| slot.checked_add(c)) {
                            Some(v) => *slot = v,
                            None => errors.push(tdabc_error(
                                field(),
                                *minutes,
                                Problem::Scale(ScaleError::TooLarge { value: *minutes }),
                            )),
                        }
                    }
                    Err(e) => errors.push(tdabc_error(field(), *minutes, Problem::Scale(e))),
                }
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The first time equation that charges a cost per unit of `kind`: more than zero minutes
    /// of it, in a department whose capacity costs more than zero.
    pub fn equation_pricing(&self, kind: ActivityKind) -> Option<&TimeEquation> {
        self.activities.iter().find(|eq| {
            let costly = self
                .departments
                .get(eq.department)
                .and_then(Department::capacity_cost_rate)
                .is_some_and(|r| r > Decimal::ZERO);
            costly
                && eq
                    .minutes_per_unit
                    .iter()
                    .any(|(k, minutes)| *k == kind && *minutes > Decimal::ZERO)
        })
    }

    /// Capacity supplied, used and unused per department, given the company's driver totals.
    pub fn capacity(&self, totals: &DriverRow) -> Vec<CapacityLine> {
        self.departments
            .iter()
            .enumerate()
            .map(|(d, dept)| {
                let rate = dept.capacity_cost_rate().unwrap_or(Decimal::ZERO);
                let used: Decimal = self
                    .activities
                    .iter()
                    .filter(|eq| eq.department == d)
                    .flat_map(|eq| eq.minutes_per_unit.iter())
                    .map(|(kind, minutes)| *minutes * Decimal::from(totals.count(*kind)))
                    .sum();
                let unused = dept.practical_minutes - used;
                CapacityLine {
                    department: dept.name.clone(),
                    rate_per_minute: rate,
                    practical_minutes: dept.practical_minutes,
                    used_minutes: used,
                    unused_minutes: unused,
                    unused_cost: money_of(rate * unused),
                }
            })
            .collect()
    }
}

/// The cost of an activity of `unit_minutes` at `rate_per_minute`, to the cent.
pub fn activity_cost(rate_per_minute: Decimal, unit_minutes: Decimal) -> Money {
    money_of(rate_per_minute * unit_minutes)
}

fn money_of(v: Decimal) -> Money {
    let rounded = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    // Out of the i64 range: saturate, as every money path does.
    Money::from_decimal(rounded).unwrap_or(if v.is_sign_negative() {
        Money(i64::MIN)
    } else {
        Money(i64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Kaplan and Anderson's worked example: 567,000 of capacity cost over 630,000 practical
    /// minutes is 0.90 a minute; activities of 8, 44 and 50 minutes cost 7.20, 39.60, 45.00.
    fn kaplan_anderson() -> Tdabc {
        Tdabc {
            departments: vec![Department {
                name: "customer service".into(),
                cost_of_capacity: d("567000"),
                practical_minutes: d("630000"),
            }],
            activities: vec![
                TimeEquation {
                    activity: "process order".into(),
                    department: 0,
                    line: TdabcLine::Handling,
                    minutes_per_unit: vec![(ActivityKind::Order, d("8"))],
                },
                TimeEquation {
                    activity: "handle inquiry".into(),
                    department: 0,
                    line: TdabcLine::Service,
                    minutes_per_unit: vec![(ActivityKind::Ticket, d("44"))],
                },
                TimeEquation {
                    activity: "perform credit check".into(),
                    department: 0,
                    line: TdabcLine::Service,
                    minutes_per_unit: vec![(ActivityKind::Visit, d("50"))],
                },
            ],
        }
    }

    #[test]
    fn capacity_cost_rate_and_activity_costs() {
        let t = kaplan_anderson();
        let rate = t.departments[0].capacity_cost_rate().unwrap();
        assert_eq!(rate, d("0.90"));
        assert_eq!(activity_cost(rate, d("8")), Money(720));
        assert_eq!(activity_cost(rate, d("44")), Money(3960));
        assert_eq!(activity_cost(rate, d("50")), Money(4500));
    }

    #[test]
    fn compiled_unit_costs_in_billionths() {
        let r = kaplan_anderson().rates().unwrap();
        // 0.90/min = 900,000 millionths; x 8,000 thousandths of a minute = 7.2e9 billionths = 7.20
        assert_eq!(r.handling()[ActivityKind::Order.index()], 7_200_000_000);
        assert_eq!(r.service()[ActivityKind::Ticket.index()], 39_600_000_000);
        assert_eq!(r.service()[ActivityKind::Visit.index()], 45_000_000_000);
    }

    #[test]
    fn unused_capacity_on_its_own_line() {
        // 51,000 orders x 8 + 1,150 inquiries x 44 + 2,500 credit checks x 50
        //   = 408,000 + 50,600 + 125,000 = 583,600 minutes used of 630,000.
        // Unused 46,400 minutes x 0.90 = 41,760.00.
        let mut totals = DriverRow::default();
        totals.counts[ActivityKind::Order.index()] = 51_000;
        totals.counts[ActivityKind::Ticket.index()] = 1_150;
        totals.counts[ActivityKind::Visit.index()] = 2_500;
        let lines = kaplan_anderson().capacity(&totals);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].used_minutes, d("583600"));
        assert_eq!(lines[0].unused_minutes, d("46400"));
        assert_eq!(lines[0].unused_cost, Money(4_176_000));
    }

    use crate::assumptions::{Assumptions, Rates};
    use crate::compute::compute;
    use crate::date::Date;
    use crate::drivers::aggregate;
    use crate::facts::{ActivityCount, Customer, Dataset, TimeEntry};

    /// One customer with 3 h of support and 10 tickets in January 2025.
    fn one_customer_with_tickets() -> crate::drivers::Model {
        let date = Date::new(2025, 1, 15).unwrap();
        let data = Dataset {
            as_of: Date::new(2025, 1, 31),
            customers: vec![Customer {
                id: "C1".into(),
                name: "C1".into(),
                attributes: Vec::new(),
                acquired_on: None,
                acquisition_cost: None,
            }],
            time_entries: vec![TimeEntry {
                customer_id: "C1".into(),
                date,
                role: "support".into(),
                activity: "phone support".into(),
                hours_milli: 3_000,
            }],
            activities: vec![ActivityCount {
                customer_id: "C1".into(),
                date,
                kind: ActivityKind::Ticket,
                count: 10,
            }],
            ..Dataset::default()
        };
        aggregate(&data).model
    }

    #[test]
    fn flat_cost_and_time_equation_for_the_same_activity_is_refused() {
        let model = one_customer_with_tickets();
        let mut a = Assumptions::default();
        // Only the inquiry equation: tickets at 44 minutes of a 0.90-a-minute department.
        let mut t = kaplan_anderson();
        t.activities.retain(|eq| eq.activity == "handle inquiry");
        a.tdabc = t;
        // The default flat cost per ticket (6) would be charged on top of the 39.60.
        let errors = Rates::compile(&a, &model).unwrap_err();
        assert_eq!(
            errors,
            vec![AssumptionError {
                field: "cost_per_ticket".into(),
                value: "6".into(),
                problem: Problem::CountedTwice {
                    equation: "handle inquiry".into()
                },
            }]
        );

        // With the flat cost at zero the time equation alone prices tickets:
        // service cost = 3 h x 45 + 10 tickets x 44 min x 0.90 = 135.00 + 396.00 = 531.00;
        // equipment stays 3 h x 6 = 18.00.
        a.cost_per_ticket = Decimal::ZERO;
        let rates = Rates::compile(&a, &model).unwrap();
        let lines = compute(&model, &rates, &a.actions).lines.get(0).unwrap();
        assert_eq!(lines.service_cost, Money(53_100));
        assert_eq!(lines.equipment, Money(1_800));
    }

    #[test]
    fn every_overlap_is_named() {
        // Kaplan and Anderson's three equations price orders, tickets and visits, each of which
        // has a flat cost by default (15, 6 and 120); deliveries and returns are not priced by
        // time, so their flat costs stand.
        let mut a = Assumptions {
            tdabc: kaplan_anderson(),
            ..Assumptions::default()
        };
        let errors = Rates::compile(&a, &one_customer_with_tickets()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["cost_per_visit", "cost_per_ticket", "cost_per_order"]
        );
        // A department whose capacity costs nothing prices nothing: no overlap.
        a.tdabc.departments[0].cost_of_capacity = Decimal::ZERO;
        assert!(Rates::compile(&a, &one_customer_with_tickets()).is_ok());
    }

    #[test]
    fn zero_capacity_is_a_named_error() {
        let mut t = kaplan_anderson();
        t.departments[0].practical_minutes = Decimal::ZERO;
        let errors = t.rates().unwrap_err();
        assert_eq!(errors[0].field, "tdabc.departments[0].practical_minutes");
        assert_eq!(errors[0].problem, Problem::ZeroCapacity);
    }
}
