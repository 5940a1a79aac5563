//! What a column can mean, and which tables a file can be: the vocabulary of the mapping the
//! person confirms.

use crate::facts::ActivityKind;
use serde::{Deserialize, Serialize};

/// The kind of table a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Customers,
    Invoices,
    TimeLog,
    Activities,
    Referrals,
    /// One row per customer with totals (revenue, cost, hours, counts) instead of transactions.
    Summary,
}

impl TableKind {
    pub const ALL: [TableKind; 6] = [
        TableKind::Customers,
        TableKind::Invoices,
        TableKind::TimeLog,
        TableKind::Activities,
        TableKind::Referrals,
        TableKind::Summary,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TableKind::Customers => "customers",
            TableKind::Invoices => "invoices",
            TableKind::TimeLog => "time_log",
            TableKind::Activities => "activities",
            TableKind::Referrals => "referrals",
            TableKind::Summary => "summary",
        }
    }

    pub fn from_key(key: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The fields a column of this table can be mapped to, besides [`Field::Ignore`].
    pub fn fields(self) -> Vec<Field> {
        use Field::*;
        let counts = ActivityKind::ALL.map(CountOf);
        match self {
            TableKind::Customers => vec![
                CustomerId,
                CustomerName,
                Attribute,
                AcquiredOn,
                AcquisitionCost,
            ],
            TableKind::Invoices => vec![
                CustomerId,
                CustomerName,
                InvoiceNumber,
                Date,
                Amount,
                Discount,
                Cost,
                DueDate,
                PaidDate,
            ],
            TableKind::TimeLog => vec![CustomerId, CustomerName, Date, Role, Activity, Hours],
            TableKind::Activities => {
                let mut v = vec![CustomerId, CustomerName, Date, Kind, Count];
                v.extend(counts);
                v
            }
            TableKind::Referrals => vec![ReferrerId, ReferredId, CameAnyway],
            TableKind::Summary => {
                let mut v = vec![
                    CustomerId,
                    CustomerName,
                    Attribute,
                    AcquiredOn,
                    AcquisitionCost,
                    Amount,
                    Discount,
                    Cost,
                    Hours,
                ];
                v.extend(counts);
                v
            }
        }
    }

    /// Fields that must be mapped for the table to be read. Activities also need a kind column
    /// or at least one count-per-kind column (see [`super::Plan::problems`]).
    pub fn required(self) -> &'static [Field] {
        use Field::*;
        match self {
            TableKind::Customers => &[CustomerId],
            TableKind::Invoices => &[CustomerId, Date, Amount],
            TableKind::TimeLog => &[CustomerId, Date, Hours],
            TableKind::Activities => &[CustomerId, Date],
            TableKind::Referrals => &[ReferrerId, ReferredId],
            TableKind::Summary => &[CustomerId],
        }
    }
}

/// What one column means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Not read (its cells are not checked either).
    Ignore,
    CustomerId,
    CustomerName,
    /// A customer attribute to pivot by (segment, region, sales rep...), named by its header.
    Attribute,
    AcquiredOn,
    AcquisitionCost,
    InvoiceNumber,
    Date,
    /// Invoiced amount (in a summary: revenue).
    Amount,
    Discount,
    /// Cost of goods sold.
    Cost,
    DueDate,
    PaidDate,
    Role,
    Activity,
    Hours,
    /// Activity kind (visit, ticket, order...).
    Kind,
    /// How many of the row's kind; a missing count column counts each row once.
    Count,
    /// A column counting one kind ("tickets", "visits").
    CountOf(ActivityKind),
    ReferrerId,
    ReferredId,
    /// Yes/no: the referred customer would have come anyway.
    CameAnyway,
}

/// How a field's cells are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellType {
    Text,
    Money,
    Date,
    /// Hours, exact to the thousandth.
    Hours,
    /// A whole number of zero or more.
    Count,
    Kind,
    Flag,
}

impl Field {
    /// Its key: the translation key is `field.<key>`, and the name aggregation errors use.
    pub fn key(self) -> &'static str {
        match self {
            Field::Ignore => "ignore",
            Field::CustomerId => "customer_id",
            Field::CustomerName => "name",
            Field::Attribute => "attribute",
            Field::AcquiredOn => "acquired_on",
            Field::AcquisitionCost => "acquisition_cost",
            Field::InvoiceNumber => "invoice_number",
            Field::Date => "date",
            Field::Amount => "amount",
            Field::Discount => "discount",
            Field::Cost => "cost",
            Field::DueDate => "due",
            Field::PaidDate => "paid",
            Field::Role => "role",
            Field::Activity => "activity",
            Field::Hours => "hours",
            Field::Kind => "kind",
            Field::Count => "count",
            Field::CountOf(ActivityKind::Visit) => "count_visit",
            Field::CountOf(ActivityKind::Ticket) => "count_ticket",
            Field::CountOf(ActivityKind::Order) => "count_order",
            Field::CountOf(ActivityKind::Delivery) => "count_delivery",
            Field::CountOf(ActivityKind::Return) => "count_return",
            Field::CountOf(ActivityKind::CaseStudy) => "count_case_study",
            Field::CountOf(ActivityKind::Reference) => "count_reference",
            Field::ReferrerId => "referrer_id",
            Field::ReferredId => "referred_id",
            Field::CameAnyway => "came_anyway",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::all().into_iter().find(|f| f.key() == key)
    }

    /// Every field, [`Field::Ignore`] first.
    pub fn all() -> Vec<Field> {
        use Field::*;
        let mut v = vec![
            Ignore,
            CustomerId,
            CustomerName,
            Attribute,
            AcquiredOn,
            AcquisitionCost,
            InvoiceNumber,
            Date,
            Amount,
            Discount,
            Cost,
            DueDate,
            PaidDate,
            Role,
            Activity,
            Hours,
            Kind,
            Count,
        ];
        v.extend(ActivityKind::ALL.map(CountOf));
        v.extend([ReferrerId, ReferredId, CameAnyway]);
        v
    }

    pub fn cell_type(self) -> CellType {
        match self {
            Field::AcquisitionCost | Field::Amount | Field::Discount | Field::Cost => {
                CellType::Money
            }
            Field::AcquiredOn | Field::Date | Field::DueDate | Field::PaidDate => CellType::Date,
            Field::Hours => CellType::Hours,
            Field::Count | Field::CountOf(_) => CellType::Count,
            Field::Kind => CellType::Kind,
            Field::CameAnyway => CellType::Flag,
            _ => CellType::Text,
        }
    }

    /// Whether several columns may carry this field.
    pub fn repeatable(self) -> bool {
        matches!(self, Field::Ignore | Field::Attribute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        let all = Field::all();
        for f in &all {
            assert_eq!(Field::from_key(f.key()), Some(*f));
        }
        let mut keys: Vec<_> = all.iter().map(|f| f.key()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
        for t in TableKind::ALL {
            assert_eq!(TableKind::from_key(t.key()), Some(t));
            for r in t.required() {
                assert!(t.fields().contains(r), "{t:?} requires {r:?}");
            }
        }
    }
}
