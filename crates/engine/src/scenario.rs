//! Scenarios: named sets of assumptions, and the comparison of two of them over the same
//! customers.

use crate::assumptions::Assumptions;
use crate::compute::{LineKey, Lines, Report};
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A named set of assumptions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub assumptions: Assumptions,
}

/// Why a scenario cannot take a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// Another scenario has it (names compare without regard to case or surrounding spaces).
    Taken(String),
}

/// The saved scenarios, and the one the assumptions came from (if they still match it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenarios {
    pub list: Vec<Scenario>,
    /// The scenario last saved or switched to.
    pub current: Option<usize>,
}

impl Scenarios {
    fn check_name(&self, name: &str, except: Option<usize>) -> Result<String, NameError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        let taken =
            self.list.iter().enumerate().any(|(i, s)| {
                Some(i) != except && s.name.trim().to_lowercase() == name.to_lowercase()
            });
        if taken {
            return Err(NameError::Taken(name.to_string()));
        }
        Ok(name.to_string())
    }

    /// Saves `assumptions` under a new name and makes it the current scenario.
    pub fn save_as(&mut self, name: &str, assumptions: &Assumptions) -> Result<usize, NameError> {
        let name = self.check_name(name, None)?;
        self.list.push(Scenario {
            name,
            assumptions: assumptions.clone(),
        });
        self.current = Some(self.list.len() - 1);
        Ok(self.list.len() - 1)
    }

    /// Overwrites the current scenario with `assumptions`.
    pub fn update_current(&mut self, assumptions: &Assumptions) -> bool {
        match self.current.and_then(|i| self.list.get_mut(i)) {
            Some(s) => {
                s.assumptions = assumptions.clone();
                true
            }
            None => false,
        }
    }

    /// A copy of scenario `i` named "<name> (2)", "<name> (3)"... whichever is free first;
    /// the copy becomes current.
    pub fn duplicate(&mut self, i: usize) -> Option<usize> {
        let original = self.list.get(i)?.clone();
        let name = (2..)
            .map(|k| format!("{} ({k})", original.name))
            .find(|n| self.check_name(n, None).is_ok())?;
        self.list.push(Scenario { name, ..original });
        self.current = Some(self.list.len() - 1);
        self.current
    }

    pub fn rename(&mut self, i: usize, name: &str) -> Result<(), NameError> {
        let name = self.check_name(name, Some(i))?;
        if let Some(s) = self.list.get_mut(i) {
            s.name = name;
        }
        Ok(())
    }

    /// Removes scenario `i`; the current one keeps pointing at the same scenario.
    pub fn delete(&mut self, i: usize) {
        if i >= self.list.len() {
            return;
        }
        self.list.remove(i);
        self.current = match self.current {
            Some(c) if c == i => None,
            Some(c) if c > i => Some(c - 1),
            other => other,
        };
    }
}

/// A customer whose net profit changes sign between two scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flip {
    pub customer: u32,
    pub before: Money,
    pub after: Money,
}

impl Flip {
    pub fn became_profitable(&self) -> bool {
        self.after.0 >= 0
    }
}

/// One customer's net profit in both scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub customer: u32,
    pub before: Money,
    pub after: Money,
}

impl Change {
    pub fn delta(&self) -> Money {
        self.after - self.before
    }
}

/// Scenario A against scenario B over the same customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub totals_a: Lines,
    pub totals_b: Lines,
    pub unprofitable_a: usize,
    pub unprofitable_b: usize,
    /// Customers profitable in one and not the other, in customer order.
    pub flips: Vec<Flip>,
    /// The customers whose net profit moves most (either way), largest move first.
    pub largest: Vec<Change>,
}

/// Compares two reports of the same model: totals, the customers that flip between profit
/// and loss, and the `top` largest changes of net profit.
pub fn compare(a: &Report, b: &Report, top: usize) -> Comparison {
    let before = a.lines.column(LineKey::NetProfit);
    let after = b.lines.column(LineKey::NetProfit);
    let n = before.len().min(after.len());
    let change = |i: usize| Change {
        customer: i as u32,
        before: Money(before[i]),
        after: Money(after[i]),
    };
    let flips = (0..n)
        .filter(|&i| (before[i] < 0) != (after[i] < 0))
        .map(|i| Flip {
            customer: i as u32,
            before: Money(before[i]),
            after: Money(after[i]),
        })
        .collect();
    let mut moved: Vec<Change> = (0..n).map(change).filter(|c| c.delta().0 != 0).collect();
    // Largest move first; equal moves in customer order.
    moved.sort_by(|x, y| {
        y.delta()
            .0
            .unsigned_abs()
            .cmp(&x.delta().0.unsigned_abs())
            .then(x.customer.cmp(&y.customer))
    });
    moved.truncate(top);
    Comparison {
        totals_a: a.totals,
        totals_b: b.totals,
        unprofitable_a: a.unprofitable,
        unprofitable_b: b.unprofitable,
        flips,
        largest: moved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{no_commission, two_ticket_customers};
    use crate::{compute, Rates};
    use rust_decimal::Decimal;

    #[test]
    fn names_are_required_and_unique_and_current_follows_deletes() {
        let a = Assumptions::default();
        let mut s = Scenarios::default();
        assert_eq!(s.save_as("  ", &a), Err(NameError::Empty));
        assert_eq!(s.save_as("Base", &a), Ok(0));
        assert_eq!(
            s.save_as(" base ", &a),
            Err(NameError::Taken("base".into()))
        );
        assert_eq!(s.save_as("Dear tickets", &a), Ok(1));
        assert_eq!(s.duplicate(0), Some(2));
        assert_eq!(s.list[2].name, "Base (2)");
        assert_eq!(
            s.rename(2, "Dear tickets"),
            Err(NameError::Taken("Dear tickets".into()))
        );
        assert_eq!(s.rename(2, "Lean"), Ok(()));
        // Current is "Lean" (2); deleting "Base" (0) moves it to 1; deleting it clears it.
        s.delete(0);
        assert_eq!(s.current, Some(1));
        assert_eq!(s.list[1].name, "Lean");
        s.delete(1);
        assert_eq!(s.current, None);
        assert_eq!(s.list.len(), 1);
    }

    #[test]
    fn comparison_by_hand() {
        // Two customers with revenue 1,000.00 each (40% gross margin: 400.00), no commission;
        // the first has 30 support tickets, the second 50. At 6 a ticket: 400 - 180 = 220.00
        // and 400 - 300 = 100.00. At 12 a ticket: 400 - 360 = 40.00 and 400 - 600 = -200.00:
        // the second flips into loss, and moves most (300.00 against 180.00).
        let model = two_ticket_customers();
        let mut a = no_commission();
        a.cost_per_ticket = Decimal::from(6);
        let mut b = a.clone();
        b.cost_per_ticket = Decimal::from(12);
        let report =
            |x: &Assumptions| compute(&model, &Rates::compile(x, &model).unwrap(), &x.actions);
        let c = compare(&report(&a), &report(&b), 5);
        assert_eq!(c.totals_a.net_profit, Money(32_000));
        assert_eq!(c.totals_b.net_profit, Money(-16_000));
        assert_eq!((c.unprofitable_a, c.unprofitable_b), (0, 1));
        assert_eq!(
            c.flips,
            vec![Flip {
                customer: 1,
                before: Money(10_000),
                after: Money(-20_000)
            }]
        );
        assert!(!c.flips[0].became_profitable());
        assert_eq!(
            c.largest
                .iter()
                .map(|x| (x.customer, x.delta()))
                .collect::<Vec<_>>(),
            vec![(1, Money(-30_000)), (0, Money(-18_000))]
        );
    }
}
