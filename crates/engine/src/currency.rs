//! The currency a workbook's amounts are in. It is chosen for the workbook (from the imported
//! files, or by the user), never guessed from the language, and only labels amounts: choosing
//! another one converts nothing.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Currency {
    #[default]
    Eur,
    Usd,
    Gbp,
    Pln,
    Huf,
    Idr,
}

impl Currency {
    pub const ALL: [Currency; 6] = [
        Currency::Eur,
        Currency::Usd,
        Currency::Gbp,
        Currency::Pln,
        Currency::Huf,
        Currency::Idr,
    ];

    /// The ISO 4217 code, as files and the translation table name it.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Usd => "USD",
            Currency::Gbp => "GBP",
            Currency::Pln => "PLN",
            Currency::Huf => "HUF",
            Currency::Idr => "IDR",
        }
    }

    pub fn from_code(code: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(code: String) -> Result<Currency, String> {
        Currency::from_code(&code).ok_or_else(|| format!("unknown currency {code}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_json() {
        for c in Currency::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), c);
        }
        assert!(serde_json::from_str::<Currency>("\"XYZ\"").is_err());
    }

    /// Every currency the import recognises in a cell can be the workbook's currency.
    #[test]
    fn every_currency_a_file_names_is_known() {
        for code in ["PLN", "HUF", "IDR", "EUR", "USD", "GBP"] {
            assert!(Currency::from_code(code).is_some(), "{code}");
        }
    }
}
