//! The workbook as the browser keeps it between visits: the customers' aggregated data in one
//! record (written when the data changes), and the settings in another (assumptions,
//! scenarios and the view, written on every change), each as versioned postcard bytes.

use crate::assumptions::Assumptions;
use crate::currency::Currency;
use crate::drivers::Model;
use crate::i18n::{fill, tr, Lang};
use crate::import::{FileReport, Layout, Problem, RefusedFile};
use crate::scenario::Scenarios;
use crate::table::View;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// The format of the data record: version 4 adds the used rows to check to the import's
/// account; version 3 added the files an import could not read; version 2 keeps the model as
/// compact bytes ([`crate::model_bytes`]); version 1 records (the model field by field) are
/// still read, and so are versions 2 and 3. A record of another version is refused with a
/// message, never read as if it were this one.
pub const VERSION: u32 = 4;
/// The format of the settings record: version 2 added the view, version 3 the currency; older
/// records are read with the default view and currency.
pub const SETTINGS_VERSION: u32 = 3;

/// Where the saved data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    Sample,
    Imported { files: usize },
}

/// The customers' data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedData {
    pub origin: Origin,
    #[serde(with = "crate::model_bytes")]
    pub model: Model,
    /// For imported data, the import's account, so its summary survives a reload.
    pub account: Option<ImportAccount>,
}

/// How imported data was read: each file's account (its name, how its columns were mapped,
/// rows read, used and rejected), every rejected row, and how each file was read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportAccount {
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    pub customers_from_transactions: usize,
    /// How each file was read (encoding and separator, or sheet), by file name.
    pub layouts: Vec<(String, Layout)>,
    /// The currencies the files name, each once.
    pub currencies: Vec<crate::currency::Currency>,
    /// Files given to this import that could not be read at all, and why.
    pub refused: Vec<RefusedFile>,
    /// Rows used but worth a look (credit notes), as the rejected rows are listed.
    pub notes: Vec<Problem>,
}

/// The data record as an earlier version wrote it: as this version's, with the account as
/// that version kept it.
#[derive(Deserialize)]
struct OlderData<A> {
    origin: Origin,
    #[serde(with = "crate::model_bytes")]
    model: Model,
    account: Option<A>,
}

impl<A: Into<ImportAccount>> From<OlderData<A>> for SavedData {
    fn from(old: OlderData<A>) -> SavedData {
        SavedData {
            origin: old.origin,
            model: old.model,
            account: old.account.map(Into::into),
        }
    }
}

/// The account as version 2 kept it: without the files that could not be read.
#[derive(Deserialize)]
struct ImportAccountV2 {
    files: Vec<FileReport>,
    problems: Vec<Problem>,
    customers_from_transactions: usize,
    layouts: Vec<(String, Layout)>,
    currencies: Vec<crate::currency::Currency>,
}

/// The account as version 3 kept it: without the rows to check.
#[derive(Deserialize)]
struct ImportAccountV3 {
    files: Vec<FileReport>,
    problems: Vec<Problem>,
    customers_from_transactions: usize,
    layouts: Vec<(String, Layout)>,
    currencies: Vec<crate::currency::Currency>,
    refused: Vec<RefusedFile>,
}

impl From<ImportAccountV2> for ImportAccount {
    fn from(a: ImportAccountV2) -> ImportAccount {
        ImportAccountV3 {
            files: a.files,
            problems: a.problems,
            customers_from_transactions: a.customers_from_transactions,
            layouts: a.layouts,
            currencies: a.currencies,
            refused: Vec::new(),
        }
        .into()
    }
}

impl From<ImportAccountV3> for ImportAccount {
    fn from(a: ImportAccountV3) -> ImportAccount {
        ImportAccount {
            files: a.files,
            problems: a.problems,
            customers_from_transactions: a.customers_from_transactions,
            layouts: a.layouts,
            currencies: a.currencies,
            refused: a.refused,
            notes: Vec::new(),
        }
    }
}

impl ImportAccount {
    /// How the file named `name` was read.
    pub fn layout_of(&self, name: &str) -> Option<&Layout> {
        self.layouts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, layout)| layout)
    }
}

/// Reads a data record of this version or an older one.
pub fn data_from_bytes(bytes: &[u8]) -> Result<SavedData, ReadError> {
    let (found, rest): (u32, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|_| ReadError::Damaged)?;
    match found {
        1 => {
            let (origin, mut model) = whole::<(Origin, Model)>(rest)?;
            model.check().map_err(|_| ReadError::Damaged)?;
            Ok(SavedData {
                origin,
                model,
                account: None,
            })
        }
        2 => whole::<OlderData<ImportAccountV2>>(rest).map(SavedData::from),
        3 => whole::<OlderData<ImportAccountV3>>(rest).map(SavedData::from),
        VERSION => whole(rest),
        found => Err(ReadError::Version { found }),
    }
}

/// Everything the person set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedSettings {
    pub assumptions: Assumptions,
    pub scenarios: Scenarios,
    pub view: View,
    /// The currency the amounts are in.
    pub currency: Currency,
}

/// The settings record's bytes.
pub fn settings_to_bytes(settings: &SavedSettings) -> Vec<u8> {
    postcard::to_allocvec(&(SETTINGS_VERSION, settings)).unwrap_or_default()
}

/// Reads a settings record of this version or an older one.
pub fn settings_from_bytes(bytes: &[u8]) -> Result<SavedSettings, ReadError> {
    let (found, rest): (u32, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|_| ReadError::Damaged)?;
    let settings = match found {
        // Version 1: the assumptions and scenarios, field for field, and no view.
        1 => {
            let (assumptions, scenarios) = whole::<(Assumptions, Scenarios)>(rest)?;
            SavedSettings {
                assumptions,
                scenarios,
                view: View::default(),
                currency: Currency::default(),
            }
        }
        // Version 2: and the view.
        2 => {
            let (assumptions, scenarios, view) = whole::<(Assumptions, Scenarios, View)>(rest)?;
            SavedSettings {
                assumptions,
                scenarios,
                view,
                currency: Currency::default(),
            }
        }
        SETTINGS_VERSION => whole(rest)?,
        found => return Err(ReadError::Version { found }),
    };
    Ok(settings)
}

/// A value that takes up all of `bytes`.
fn whole<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ReadError> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        _ => Err(ReadError::Damaged),
    }
}

/// Why a saved record cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Written by another version of the workbook.
    Version { found: u32 },
    /// Not a record of this workbook, or cut short.
    Damaged,
}

impl ReadError {
    /// Why the kept workbook could not be restored, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Version { found } => fill(
                tr(lang, "storage.error.version"),
                &[
                    ("found", &found.to_string()),
                    ("supported", &VERSION.to_string()),
                ],
            ),
            ReadError::Damaged => tr(lang, "storage.error.damaged").to_string(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// The data record of `model`, written without copying it (a million customers).
pub fn data_to_bytes(origin: Origin, model: &Model, account: Option<&ImportAccount>) -> Vec<u8> {
    encoded_data_to_bytes(origin, &crate::model_bytes::encode(model), account)
}

/// [`data_to_bytes`] of a model already encoded by [`crate::model_bytes::encode`] (as the
/// import's worker sends it): the same record, without encoding the model again.
pub fn encoded_data_to_bytes(
    origin: Origin,
    model: &[u8],
    account: Option<&ImportAccount>,
) -> Vec<u8> {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        origin: Origin,
        #[serde(serialize_with = "as_bytes")]
        model: &'a [u8],
        account: Option<&'a ImportAccount>,
    }
    // As `model_bytes::serialize` writes a model.
    fn as_bytes<S: serde::Serializer>(model: &&[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(model)
    }
    // Field for field the layout of `SavedData`, which reads it back (tested). Room for the
    // model's bytes is made at once: a vector grown as they come copies them again and again.
    let record = Borrowed {
        origin,
        model,
        account,
    };
    postcard::to_extend(&(VERSION, &record), Vec::with_capacity(model.len() + 1024))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assumptions::Param;
    use crate::{aggregate, compute, sample, Rates};
    use rust_decimal::Decimal;

    /// A record as `data_to_bytes` writes one: the version, then the value field by field.
    fn to_bytes<T: Serialize>(value: &T) -> Vec<u8> {
        postcard::to_allocvec(&(VERSION, value)).unwrap()
    }

    #[test]
    fn the_sample_and_its_settings_come_back_exactly() {
        let model = aggregate(&sample::sample_company()).model;
        let data = SavedData {
            origin: Origin::Sample,
            model,
            account: None,
        };
        let mut a = Assumptions::default();
        Param::CostPerTicket
            .set(&mut a, Decimal::new(1250, 2))
            .unwrap();
        let mut scenarios = Scenarios::default();
        scenarios.save_as("Dear tickets", &a).unwrap();
        let mut view = View::default();
        view.query.search = "kft".to_string();
        let settings = SavedSettings {
            assumptions: a,
            scenarios,
            view,
            currency: Currency::Huf,
        };
        let data_back = data_from_bytes(&data_to_bytes(data.origin, &data.model, None)).unwrap();
        assert_eq!(
            data_to_bytes(data.origin, &data.model, None),
            to_bytes(&data)
        );
        let settings_back = settings_from_bytes(&settings_to_bytes(&settings)).unwrap();
        assert_eq!(data_back, data);
        assert_eq!(settings_back, settings);
        // The same figures, to the cent.
        let net = |m: &Model, a: &Assumptions| {
            compute(m, &Rates::compile(a, m).unwrap(), &a.actions)
                .totals
                .net_profit
        };
        assert_eq!(
            net(&data_back.model, &settings_back.assumptions),
            net(&data.model, &settings.assumptions)
        );
    }

    #[test]
    fn imported_data_comes_back_with_its_import_account() {
        use crate::import::{propose, read_sources, Staging};
        // Two rows used, one of them a credit note, and one refused (its amount is not a
        // number).
        let csv = "customer_id,revenue\nA1,100.00\nA2,abc\nA3,-50.25\n";
        let sources = read_sources("totals.csv", csv.as_bytes()).unwrap();
        let proposal = propose(
            &sources[0].grid,
            crate::date::Date::new(2026, 11, 23).unwrap(),
        );
        let mut staging = Staging::default();
        staging.add(&sources[0], &proposal.plan);
        let finished = staging.finish();
        let account = ImportAccount {
            files: finished.files,
            problems: finished.problems,
            customers_from_transactions: 0,
            layouts: vec![("totals.csv".to_string(), sources[0].layout.clone())],
            currencies: vec![Currency::Pln],
            refused: vec![RefusedFile {
                name: "empty.csv".to_string(),
                error: crate::import::FileError::Empty,
            }],
            notes: finished.notes,
        };
        assert_eq!((account.files[0].used, account.files[0].rejected), (2, 1));
        assert_eq!(account.notes.len(), 1);
        let model = finished.aggregated.model;
        let bytes = data_to_bytes(Origin::Imported { files: 1 }, &model, Some(&account));
        let back = data_from_bytes(&bytes).unwrap();
        assert_eq!(back.account.as_ref(), Some(&account));
        assert_eq!(back.model, model);
        assert_eq!(back.account.unwrap().problems[0].value, "abc");
    }

    #[test]
    fn other_versions_and_damaged_records_are_refused() {
        let settings = SavedSettings {
            assumptions: Assumptions::default(),
            scenarios: Scenarios::default(),
            view: View::default(),
            currency: Currency::default(),
        };
        let mut bytes = settings_to_bytes(&settings);
        assert_eq!(
            settings_from_bytes(&bytes[..bytes.len() / 2]),
            Err(ReadError::Damaged)
        );
        // Version 4, a future one (postcard writes small integers as one byte).
        bytes[0] = 4;
        assert_eq!(
            settings_from_bytes(&bytes),
            Err(ReadError::Version { found: 4 })
        );
        assert_eq!(settings_from_bytes(&[]), Err(ReadError::Damaged));
        let data = to_bytes(&SavedData {
            origin: Origin::Sample,
            model: Model::default(),
            account: None,
        });
        assert_eq!(
            data_from_bytes(&data[..data.len() - 1]),
            Err(ReadError::Damaged)
        );
        // A version after this one.
        let mut data = data;
        data[0] = 5;
        assert_eq!(data_from_bytes(&data), Err(ReadError::Version { found: 5 }));
    }

    #[test]
    fn data_kept_by_version_1_opens_as_it_was() {
        // Version 1 wrote the model field by field.
        let model = aggregate(&sample::sample_company()).model;
        let old = postcard::to_allocvec(&(1u32, (Origin::Imported { files: 2 }, &model))).unwrap();
        let read = data_from_bytes(&old).unwrap();
        assert_eq!(read.origin, Origin::Imported { files: 2 });
        assert_eq!(read.model, model);
        // Far smaller now.
        let new = data_to_bytes(read.origin, &read.model, None);
        assert!(
            new.len() < old.len(),
            "{} bytes, was {}",
            new.len(),
            old.len()
        );
    }

    /// A data record as an earlier version wrote it, its account a tuple of that version's
    /// fields.
    #[derive(Serialize)]
    struct OlderRecord<'a, A> {
        origin: Origin,
        #[serde(serialize_with = "model_by_reference")]
        model: &'a Model,
        account: Option<A>,
    }

    fn model_by_reference<S: serde::Serializer>(m: &&Model, s: S) -> Result<S::Ok, S::Error> {
        crate::model_bytes::serialize(m, s)
    }

    #[test]
    fn data_kept_by_version_2_opens_with_no_refused_files() {
        // Version 2 wrote the account without its refused files.
        type AccountV2 = (
            Vec<FileReport>,
            Vec<Problem>,
            usize,
            Vec<(String, Layout)>,
            Vec<Currency>,
        );
        let model = aggregate(&sample::sample_company()).model;
        let layout = Layout::Workbook {
            sheet: 0,
            sheets: vec!["Invoices".to_string()],
        };
        let old = postcard::to_allocvec(&(
            2u32,
            OlderRecord::<AccountV2> {
                origin: Origin::Imported { files: 1 },
                model: &model,
                account: Some((
                    Vec::new(),
                    Vec::new(),
                    7,
                    vec![("book.xlsx".to_string(), layout.clone())],
                    vec![Currency::Huf],
                )),
            },
        ))
        .unwrap();
        let read = data_from_bytes(&old).unwrap();
        assert_eq!(read.model, model);
        assert_eq!(
            read.account,
            Some(ImportAccount {
                customers_from_transactions: 7,
                layouts: vec![("book.xlsx".to_string(), layout)],
                currencies: vec![Currency::Huf],
                ..ImportAccount::default()
            })
        );
        // Version 2 bytes cut short are damaged, not another version.
        assert_eq!(
            data_from_bytes(&old[..old.len() - 1]),
            Err(ReadError::Damaged)
        );
    }

    #[test]
    fn a_model_encoded_already_makes_the_same_record() {
        let model = aggregate(&sample::sample_company()).model;
        let account = ImportAccount {
            customers_from_transactions: 4,
            ..ImportAccount::default()
        };
        let origin = Origin::Imported { files: 2 };
        let encoded = crate::model_bytes::encode(&model);
        let record = encoded_data_to_bytes(origin, &encoded, Some(&account));
        assert_eq!(record, data_to_bytes(origin, &model, Some(&account)));
        // What the page decoded from the worker's bytes encodes to those bytes again, so the
        // record saved from them is the record of the model in the page.
        let decoded = crate::model_bytes::decode(&encoded).unwrap();
        assert_eq!(crate::model_bytes::encode(&decoded), encoded);
        assert_eq!(data_from_bytes(&record).unwrap().model, model);
    }

    #[test]
    fn data_kept_by_version_3_opens_with_no_rows_to_check() {
        // Version 3 wrote the account without its rows to check.
        type AccountV3 = (
            Vec<FileReport>,
            Vec<Problem>,
            usize,
            Vec<(String, Layout)>,
            Vec<Currency>,
            Vec<RefusedFile>,
        );
        let model = aggregate(&sample::sample_company()).model;
        let refused = vec![RefusedFile {
            name: "empty.csv".to_string(),
            error: crate::import::FileError::Empty,
        }];
        let old = postcard::to_allocvec(&(
            3u32,
            OlderRecord::<AccountV3> {
                origin: Origin::Imported { files: 1 },
                model: &model,
                account: Some((
                    Vec::new(),
                    Vec::new(),
                    2,
                    Vec::new(),
                    Vec::new(),
                    refused.clone(),
                )),
            },
        ))
        .unwrap();
        let read = data_from_bytes(&old).unwrap();
        assert_eq!(read.model, model);
        assert_eq!(
            read.account,
            Some(ImportAccount {
                customers_from_transactions: 2,
                refused,
                ..ImportAccount::default()
            })
        );
    }

    #[test]
    fn settings_kept_by_version_1_open_with_the_default_view() {
        // Version 1 wrote the assumptions and scenarios alone.
        #[derive(Serialize)]
        struct Version1 {
            assumptions: Assumptions,
            scenarios: Scenarios,
        }
        let mut a = Assumptions::default();
        Param::CostPerTicket
            .set(&mut a, Decimal::new(9, 0))
            .unwrap();
        let mut scenarios = Scenarios::default();
        scenarios.save_as("Nine", &a).unwrap();
        let old = postcard::to_allocvec(&(
            1u32,
            Version1 {
                assumptions: a.clone(),
                scenarios: scenarios.clone(),
            },
        ))
        .unwrap();
        assert_eq!(
            settings_from_bytes(&old),
            Ok(SavedSettings {
                assumptions: a,
                scenarios,
                view: View::default(),
                currency: Currency::default(),
            })
        );
    }

    #[test]
    fn settings_kept_by_version_2_keep_their_view_and_take_the_default_currency() {
        #[derive(Serialize)]
        struct Version2 {
            assumptions: Assumptions,
            scenarios: Scenarios,
            view: View,
        }
        let mut view = View::default();
        view.query.search = "acme".to_string();
        let old = postcard::to_allocvec(&(
            2u32,
            Version2 {
                assumptions: Assumptions::default(),
                scenarios: Scenarios::default(),
                view: view.clone(),
            },
        ))
        .unwrap();
        let read = settings_from_bytes(&old).unwrap();
        assert_eq!(read.view, view);
        assert_eq!(read.currency, Currency::Eur);
    }
}
