//! Facts: the user's data as transaction tables, before aggregation.
//!
//! Import parsing (any file format, any locale) produces these typed records; the engine never
//! sees raw text. Amounts are exact [`Money`], hours exact thousandths.

use crate::date::Date;
use crate::money::Money;
use serde::{Deserialize, Serialize};

/// A countable activity that drives cost or value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Visit,
    Ticket,
    Order,
    Delivery,
    Return,
    CaseStudy,
    Reference,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 7] = [
        ActivityKind::Visit,
        ActivityKind::Ticket,
        ActivityKind::Order,
        ActivityKind::Delivery,
        ActivityKind::Return,
        ActivityKind::CaseStudy,
        ActivityKind::Reference,
    ];
    pub const COUNT: usize = Self::ALL.len();

    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in data files and exports.
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Visit => "visit",
            ActivityKind::Ticket => "ticket",
            ActivityKind::Order => "order",
            ActivityKind::Delivery => "delivery",
            ActivityKind::Return => "return",
            ActivityKind::CaseStudy => "case_study",
            ActivityKind::Reference => "reference",
        }
    }
}

/// A customer and the attributes the P&L can be pivoted by (segment, region, rep, channel...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    /// Values aligned with [`Dataset::attribute_names`].
    pub attributes: Vec<String>,
    /// When the relationship began; drives when the acquisition cost falls.
    pub acquired_on: Option<Date>,
    /// What winning this customer cost, when known; otherwise the assumption's default applies
    /// to customers acquired inside the analysed window.
    pub acquisition_cost: Option<Money>,
}

/// One invoice or credit note.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    pub customer_id: String,
    pub number: String,
    pub date: Date,
    /// Invoiced amount before discount, net of tax. Credit notes and returns are negative.
    pub amount: Money,
    /// Discount granted on this invoice (positive reduces revenue).
    pub discount: Money,
    /// Cost of goods sold for this row, when the data has it.
    pub cost: Option<Money>,
    /// Due date; when missing, the invoice date plus 30 days
    /// ([`DEFAULT_PAYMENT_TERMS_DAYS`](crate::drivers::DEFAULT_PAYMENT_TERMS_DAYS)).
    pub due: Option<Date>,
    /// When it was paid; `None` means still open at the as-of date.
    pub paid: Option<Date>,
}

impl Invoice {
    /// Its dates and amounts, without its customer and number.
    pub fn figures(&self) -> InvoiceFigures {
        InvoiceFigures {
            date: self.date,
            amount: self.amount,
            discount: self.discount,
            cost: self.cost,
            due: self.due,
            paid: self.paid,
        }
    }
}

/// An [`Invoice`]'s dates and amounts, as aggregation reads them: what the import keeps of an
/// invoice row, its customer and number being kept once per customer and in one text for all
/// rows (see `drivers::FactKeys`). 48 bytes in WebAssembly, where an `Invoice` with its two
/// (empty) strings took 72: 24 MB less of the import worker's memory at a million rows. Each
/// field means what the same field of an [`Invoice`] does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InvoiceFigures {
    pub date: Date,
    pub amount: Money,
    pub discount: Money,
    pub cost: Option<Money>,
    pub due: Option<Date>,
    pub paid: Option<Date>,
}

// The size the import's memory figures count on, natively and in WebAssembly alike.
const _: () = assert!(std::mem::size_of::<InvoiceFigures>() == 48);

impl InvoiceFigures {
    /// Revenue this row contributes: amount after discount.
    pub fn net_amount(&self) -> Money {
        self.amount - self.discount
    }
}

/// Time logged by an employee against a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub customer_id: String,
    pub date: Date,
    /// The employee's role, priced by the loaded hourly rate of that role.
    pub role: String,
    /// What the time was spent on (free text, for drill-down).
    pub activity: String,
    /// Hours in thousandths (1.5 h = 1500).
    pub hours_milli: i64,
}

/// A number of activities of one kind for a customer on a date (or in the month of that date).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityCount {
    pub customer_id: String,
    pub date: Date,
    pub kind: ActivityKind,
    pub count: u32,
}

/// "`referrer_id` brought in `referred_id`".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub referrer_id: String,
    pub referred_id: String,
    /// True when the referred customer would have come anyway: the referral then only saved
    /// an acquisition cost, it did not bring the customer's profit.
    pub would_have_come_anyway: bool,
}

/// All facts of one workbook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// The date the books are looked at: open invoices are aged to it.
    pub as_of: Option<Date>,
    /// Names of the customer attribute columns (segment, region, rep...).
    pub attribute_names: Vec<String>,
    pub customers: Vec<Customer>,
    pub invoices: Vec<Invoice>,
    pub time_entries: Vec<TimeEntry>,
    pub activities: Vec<ActivityCount>,
    pub referrals: Vec<Referral>,
}

/// Which table a fact came from, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Customers,
    Invoices,
    TimeLog,
    Activities,
    Referrals,
}

impl Table {
    /// The tables in the order they are read and reported, from 0.
    pub fn index(self) -> usize {
        match self {
            Table::Customers => 0,
            Table::Invoices => 1,
            Table::TimeLog => 2,
            Table::Activities => 3,
            Table::Referrals => 4,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Table::Customers => "customers",
            Table::Invoices => "invoices",
            Table::TimeLog => "time_log",
            Table::Activities => "activities",
            Table::Referrals => "referrals",
        }
    }
}
