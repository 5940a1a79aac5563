//! The import's state and actions, apart from the components that show them: files waiting to
//! be confirmed with their plans, the staged data, and the account of the last import.

use crate::state::{Shared, Workbook};
use leptos::prelude::*;
use profitbook_engine::date::Date;
use profitbook_engine::import::Layout;
use profitbook_engine::import::{
    self, propose, FileReport, Plan, Problem, Proposal, ReadChoice, Source, Staging,
};
use profitbook_engine::{aggregate, sample, Model};
use std::collections::HashMap;

/// Larger files are refused before reading, with a message, instead of letting the tab run out
/// of memory: reading needs a few times the file's size (text, cells, facts, model).
pub const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// Where the workbook's data came from, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    Sample { customers: usize, months: i32 },
    Imported { files: usize, customers: usize },
    Empty,
}

/// A file (or sheet, or paste) waiting for the person to confirm how it is read.
#[derive(Clone)]
pub struct Pending {
    pub id: u32,
    pub source: Shared<Source>,
    /// The original bytes, to read again with another encoding or separator.
    pub bytes: Option<Shared<Vec<u8>>>,
    pub plan: RwSignal<Plan>,
    pub proposal: Shared<Proposal>,
}

/// The account of the last import.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    pub customers_from_transactions: usize,
    pub new_roles: Vec<String>,
    /// How each file was read, by name.
    pub layouts: HashMap<String, Layout>,
}

/// The import's reactive state, provided as context.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub pending: RwSignal<Vec<Pending>>,
    /// Files that could not be read at all, as messages.
    pub errors: RwSignal<Vec<String>>,
    pub outcome: RwSignal<Option<Shared<Outcome>>>,
    /// Names of files being read.
    pub reading: RwSignal<Vec<String>>,
    staging: StoredValue<Staging>,
    next_id: StoredValue<u32>,
}

impl Default for ImportState {
    fn default() -> Self {
        Self::new()
    }
}

/// Today's date in the browser (the date a summary's totals are booked on).
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_else(|| Date::new(2000, 1, 1).expect("valid constant date"))
}

impl ImportState {
    pub fn new() -> Self {
        ImportState {
            pending: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            outcome: RwSignal::new(None),
            reading: RwSignal::new(Vec::new()),
            staging: StoredValue::new(Staging::default()),
            next_id: StoredValue::new(0),
        }
    }

    fn push(&self, source: Source, bytes: Option<Shared<Vec<u8>>>) {
        let proposal = propose(&source.grid, today());
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let pending = Pending {
            id,
            source: Shared::new(source),
            bytes,
            plan: RwSignal::new(proposal.plan.clone()),
            proposal: Shared::new(proposal),
        };
        self.pending.update(|p| p.push(pending));
    }

    /// Reads a file's bytes into one pending source per sheet, or reports why it cannot.
    pub fn add_bytes(
        &self,
        name: &str,
        bytes: Vec<u8>,
        describe: impl Fn(&import::FileError) -> String,
    ) {
        match import::read_sources(name, &bytes) {
            Ok(sources) => {
                let bytes = Shared::new(bytes);
                for source in sources {
                    let keep = matches!(source.layout, import::Layout::Text { .. });
                    self.push(source, keep.then(|| bytes.clone()));
                }
            }
            Err(e) => self.errors.update(|errors| errors.push(describe(&e))),
        }
    }

    /// Reads pasted text.
    pub fn add_text(
        &self,
        name: &str,
        text: &str,
        describe: impl Fn(&import::FileError) -> String,
    ) {
        match import::read_text(name, text, None) {
            Ok(source) => {
                let bytes = Shared::new(text.as_bytes().to_vec());
                self.push(source, Some(bytes));
            }
            Err(e) => self.errors.update(|errors| errors.push(describe(&e))),
        }
    }

    /// Reads a pending text file again with another encoding or separator; the plan is proposed
    /// afresh for the new cells.
    pub fn reread(&self, id: u32, choice: ReadChoice) -> Result<(), import::FileError> {
        let Some(p) = self
            .pending
            .with_untracked(|p| p.iter().find(|p| p.id == id).cloned())
        else {
            return Ok(());
        };
        let Some(bytes) = &p.bytes else { return Ok(()) };
        let source = import::read_source(&p.source.name, bytes, choice)?;
        let proposal = propose(&source.grid, today());
        p.plan.set(proposal.plan.clone());
        // A new id renders the card afresh for the new cells.
        let new_id = self.next_id.get_value();
        self.next_id.set_value(new_id + 1);
        self.pending.update(|all| {
            if let Some(slot) = all.iter_mut().find(|x| x.id == id) {
                slot.id = new_id;
                slot.source = Shared::new(source);
                slot.proposal = Shared::new(proposal);
            }
        });
        Ok(())
    }

    pub fn remove(&self, id: u32) {
        self.pending.update(|p| p.retain(|x| x.id != id));
    }

    /// Whether every pending plan can be read.
    pub fn ready(&self) -> bool {
        self.pending.with(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|x| x.plan.with(|plan| plan.problems(&x.source.grid).is_empty()))
        })
    }

    /// Reads every pending source into the workbook's data, replacing the sample on the first
    /// import and adding to earlier imports after that.
    pub fn confirm(&self, wb: Workbook) {
        let pending = self.pending.get_untracked();
        if pending.is_empty() {
            return;
        }
        let mut finished = None;
        self.staging.update_value(|staging| {
            for p in &pending {
                staging.add(&p.source, &p.plan.get_untracked());
            }
            finished = Some(staging.finish());
        });
        let Some(finished) = finished else { return };
        let model = finished.aggregated.model;
        let mut new_roles = Vec::new();
        wb.assumptions
            .update(|a| new_roles = a.price_new_roles(&model.roles));
        wb.data.set(DataSource::Imported {
            files: finished.files.len(),
            customers: model.len(),
        });
        wb.model.set(Shared::new(model));
        self.outcome.set(Some(Shared::new(Outcome {
            files: finished.files,
            problems: finished.problems,
            customers_from_transactions: finished.customers_from_transactions,
            new_roles,
            layouts: pending
                .iter()
                .map(|p| (p.source.name.clone(), p.source.layout.clone()))
                .collect(),
        })));
        self.pending.set(Vec::new());
        self.errors.set(Vec::new());
    }

    /// Empties the workbook: no customers, nothing staged.
    pub fn clear(&self, wb: Workbook) {
        self.staging.set_value(Staging::default());
        self.pending.set(Vec::new());
        self.errors.set(Vec::new());
        self.outcome.set(None);
        wb.model.set(Shared::new(Model::default()));
        wb.data.set(DataSource::Empty);
    }

    /// Replaces the data with the built-in sample company.
    pub fn load_sample(&self, wb: Workbook) {
        self.clear(wb);
        let (model, source) = sample_model();
        wb.model.set(Shared::new(model));
        wb.data.set(source);
    }
}

/// The sample company's model and how to describe it.
pub fn sample_model() -> (Model, DataSource) {
    let model = aggregate(&sample::sample_company()).model;
    let months = model
        .window
        .map_or(0, |(first, last)| first.span_inclusive(last));
    let source = DataSource::Sample {
        customers: model.len(),
        months,
    };
    (model, source)
}

/// Reads a browser file's bytes.
pub async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
