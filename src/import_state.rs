//! The import's state and actions, apart from the components that show them: files waiting to
//! be confirmed with their plans, the files behind the workbook's data, the import worker's
//! progress, and the account of the last import.
//!
//! Reading, checking and aggregating run in a Web Worker (`crates/import-worker`), so the page
//! keeps painting during a large import; cancelling ends the worker. The page keeps every file
//! (a `File` is a handle, not a copy) and the plan it was read with, so a new worker can read
//! them again when the next import needs them.

use crate::components::messages::{file_error_text, import_error_text};
use crate::state::{now_ms, Shared, Workbook};
use leptos::prelude::*;
use leptos::task::spawn_local;
use profitbook_engine::currency::Currency;
use profitbook_engine::date::Date;
use profitbook_engine::i18n::{tr, Lang};
use profitbook_engine::import::{Layout, Plan, Proposal, ReadChoice, RefusedFile, Source};
use profitbook_engine::model_bytes::Decoding;
use profitbook_engine::saved::{ImportAccount, Origin};
use profitbook_engine::workbook_file::{MappedFile, WorkbookFile};
use profitbook_engine::{aggregate, sample, Model};
use profitbook_import_worker::protocol::{
    decode, encode, FileId, Imported, Part, Request, Response, SourceView, Step,
};
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Larger files are refused before reading, with a message, instead of letting the tab run out
/// of memory: the worker holds the file's cells and, while importing, its facts.
pub const MAX_FILE_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

/// The worker's start-up script, written by Trunk beside the page (`data-loader-shim`).
const WORKER_SCRIPT: &str = "./import_worker_loader.js";

/// Where the workbook's data came from, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    Sample { customers: usize, months: i32 },
    Imported { files: usize, customers: usize },
    Empty,
}

impl DataSource {
    /// How data of `origin` is described, for `model`.
    pub fn of(origin: Origin, model: &Model) -> DataSource {
        let customers = model.len();
        match origin {
            Origin::Sample => DataSource::Sample {
                customers,
                months: model.window.map_or(0, |(a, b)| a.span_inclusive(b)),
            },
            Origin::Imported { files } => DataSource::Imported { files, customers },
        }
    }

    /// Where the data came from, as saved with it; `None` for no data.
    pub fn origin(&self) -> Option<Origin> {
        match *self {
            DataSource::Sample { .. } => Some(Origin::Sample),
            DataSource::Imported { files, .. } => Some(Origin::Imported { files }),
            DataSource::Empty => None,
        }
    }
}

/// A file (or sheet, or paste) waiting for the person to confirm how it is read.
#[derive(Clone)]
pub struct Pending {
    /// The card's id: new whenever its file is read again.
    pub id: u32,
    pub file: FileId,
    pub sheet: usize,
    /// The source's first rows (the whole source stays in the worker).
    pub source: Shared<Source>,
    /// Rows in the whole source.
    pub rows: usize,
    pub plan: RwSignal<Plan>,
    pub proposal: Shared<Proposal>,
}

/// The account of the last import: what is kept with the data in the browser, and what
/// belongs to the moment of the import.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Files, rows, rejected rows, how each file was read, currencies: kept across reloads.
    pub account: ImportAccount,
    /// Roles the import priced anew.
    pub new_roles: Vec<String>,
    /// The import worker's peak memory in bytes (for the benchmark).
    pub worker_memory: u64,
}

impl Outcome {
    /// The summary of an import kept in the browser.
    pub fn restored(account: ImportAccount) -> Outcome {
        Outcome {
            account,
            new_roles: Vec::new(),
            worker_memory: 0,
        }
    }
}

/// What the worker is doing, for the progress bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub step: Step,
    /// The file being read or checked; empty for steps over all files.
    pub name: String,
    pub done: u64,
    /// 0 when the step cannot tell how far it has got.
    pub total: u64,
}

/// What the page gave the worker to read.
#[derive(Clone)]
enum Payload {
    File(web_sys::File),
    Text(String),
}

/// A file the page holds for the worker.
#[derive(Clone)]
struct FileRecord {
    id: FileId,
    name: String,
    payload: Payload,
    choice: ReadChoice,
    /// Read by the current worker (a new worker has read nothing).
    opened: bool,
}

/// A source confirmed into the workbook's data.
#[derive(Clone)]
struct DataPart {
    part: Part,
    name: String,
    layout: Layout,
}

/// The worker and the handlers that must live as long as it does.
struct Link {
    worker: web_sys::Worker,
    /// Messages (and what to transfer with each) held until the worker says it has started.
    queue: Option<Vec<(js_sys::Array, js_sys::Array)>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Drop for Link {
    fn drop(&mut self) {
        // Ends the worker at once, whatever it is doing, and frees its memory.
        self.worker.terminate();
    }
}

/// The import's reactive state, provided as context.
#[derive(Clone, Copy)]
pub struct ImportState {
    pub pending: RwSignal<Vec<Pending>>,
    /// Files that could not be read at all, and imports that could not run, as messages.
    pub errors: RwSignal<Vec<String>>,
    pub outcome: RwSignal<Option<Shared<Outcome>>>,
    /// Names of files being read.
    pub reading: RwSignal<Vec<String>>,
    /// Whether an import (check and aggregate) is running.
    pub importing: RwSignal<bool>,
    /// The worker's last progress report while it works.
    pub busy: RwSignal<Option<Busy>>,
    workbook: Workbook,
    link: StoredValue<Option<Link>, LocalStorage>,
    files: StoredValue<Vec<FileRecord>, LocalStorage>,
    /// The workbook's imported data: every confirmed source with its plan.
    data: StoredValue<Vec<DataPart>>,
    /// The data an import in progress will make, kept until the worker answers.
    importing_parts: StoredValue<Option<Vec<DataPart>>>,
    /// The number of the worker's answer being read into the page (see [`ImportState::take`]):
    /// a stop or a later answer ends the reading of this one.
    taking: StoredValue<Option<u32>>,
    /// Files that could not be read since the last import: the next import's account names
    /// them, so a file that was dropped but never read does not vanish from the summary.
    refused: StoredValue<Vec<RefusedFile>>,
    /// The last import's model as the worker encoded it, kept for the workbook's next save
    /// ([`ImportState::encoded`]).
    encoded: StoredValue<Option<EncodedModel>>,
    next_id: StoredValue<u32>,
}

/// A model and the worker's message that holds it encoded, at its end.
struct EncodedModel {
    model: Shared<Model>,
    message: Vec<u8>,
    len: usize,
}

/// What a message from the worker that cannot be read is called in the error the page shows.
const GARBLED: &str = "garbled message";

/// Milliseconds of reading the import's answer between two yields to the browser: about two
/// frames, so that the page keeps painting while the answer takes a few hundred milliseconds.
const TAKE_STEP_MS: f64 = 30.0;

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
    pub fn new(workbook: Workbook) -> Self {
        ImportState {
            pending: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            outcome: RwSignal::new(None),
            reading: RwSignal::new(Vec::new()),
            importing: RwSignal::new(false),
            busy: RwSignal::new(None),
            workbook,
            link: StoredValue::new_local(None),
            files: StoredValue::new_local(Vec::new()),
            data: StoredValue::new(Vec::new()),
            importing_parts: StoredValue::new(None),
            taking: StoredValue::new(None),
            refused: StoredValue::new(Vec::new()),
            encoded: StoredValue::new(None),
            next_id: StoredValue::new(0),
        }
    }

    fn lang(&self) -> Lang {
        self.workbook.lang.get_untracked()
    }

    fn new_id(&self) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        id
    }

    /// Whether the worker is reading or importing.
    pub fn working(&self) -> bool {
        self.importing.get() || self.reading.with(|r| !r.is_empty())
    }

    /// Reads a browser file.
    pub fn add_file(&self, file: web_sys::File) {
        self.add(file.name(), Payload::File(file));
    }

    /// Reads pasted text.
    pub fn add_text(&self, name: &str, text: String) {
        self.add(name.to_string(), Payload::Text(text));
    }

    fn add(&self, name: String, payload: Payload) {
        let id = self.new_id();
        self.files.update_value(|files| {
            files.push(FileRecord {
                id,
                name: name.clone(),
                payload,
                choice: ReadChoice::default(),
                opened: false,
            })
        });
        self.open(id, true);
    }

    /// Reads a pending text file again with another encoding or separator; its plan is
    /// proposed afresh for the new cells.
    pub fn reread(&self, file: FileId, choice: ReadChoice) {
        self.files.update_value(|files| {
            if let Some(f) = files.iter_mut().find(|f| f.id == file) {
                f.choice = choice;
            }
        });
        self.open(file, true);
    }

    /// Sends a file to the worker to read; with `preview`, its sources come back as cards.
    fn open(&self, file: FileId, preview: bool) {
        let Some(record) = self
            .files
            .with_value(|files| files.iter().find(|f| f.id == file).cloned())
        else {
            return;
        };
        if preview {
            self.reading.update(|r| r.push(record.name.clone()));
        }
        let request = Request::Open {
            file,
            name: record.name.clone(),
            choice: record.choice,
            today: today(),
            preview,
        };
        let payload: JsValue = match &record.payload {
            Payload::File(f) => f.clone().into(),
            Payload::Text(t) => JsValue::from_str(t),
        };
        if self.post(&request, Some(payload)) {
            self.files.update_value(|files| {
                if let Some(f) = files.iter_mut().find(|f| f.id == file) {
                    f.opened = true;
                }
            });
        }
    }

    /// Starts the worker ahead of a file, when one is on its way (dragged over the page, or the
    /// file picker or paste box about to be used): the worker's start-up (about 0.15 s, its
    /// WebAssembly compiled and instantiated) then overlaps the person's own movement instead
    /// of following the drop, and so does a small made-up import that gets the browser to
    /// compile the import's code for speed ([`Request::WarmUp`]). Nothing of the person's is
    /// read; a worker that cannot start is reported when a file is given to it.
    pub fn warm_up(&self) {
        if self.link.with_value(Option::is_none) && self.ensure_worker().is_ok() {
            self.post(&Request::WarmUp, None);
        }
    }

    /// Starts the worker when there is none.
    fn ensure_worker(&self) -> Result<(), JsValue> {
        if self.link.with_value(Option::is_none) {
            self.link.set_value(Some(self.start_worker()?));
        }
        Ok(())
    }

    /// Posts a request, starting the worker when there is none; `false` when it cannot start.
    fn post(&self, request: &Request, payload: Option<JsValue>) -> bool {
        if let Err(e) = self.ensure_worker() {
            self.fail(format!("{e:?}"));
            return false;
        }
        let bytes = js_sys::Uint8Array::from(encode(request).as_slice());
        let message = js_sys::Array::of2(&bytes, &payload.unwrap_or(JsValue::NULL));
        let transfer = js_sys::Array::of1(&bytes.buffer());
        let mut posted = false;
        self.link.update_value(|link| {
            if let Some(link) = link {
                posted = match &mut link.queue {
                    Some(queue) => {
                        queue.push((message, transfer));
                        true
                    }
                    None => link
                        .worker
                        .post_message_with_transfer(&message, &transfer)
                        .is_ok(),
                };
            }
        });
        posted
    }

    /// The worker is listening: sends what waited for it.
    fn started(&self) {
        self.link.update_value(|link| {
            if let Some(link) = link {
                for (message, transfer) in link.queue.take().unwrap_or_default() {
                    // Cloning a byte array and a file handle cannot fail.
                    let _ = link.worker.post_message_with_transfer(&message, &transfer);
                }
            }
        });
    }

    fn start_worker(&self) -> Result<Link, JsValue> {
        let worker = web_sys::Worker::new(WORKER_SCRIPT)?;
        let state = *self;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |event: web_sys::MessageEvent| {
                let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
                match decode::<Response>(&bytes) {
                    Some(response) => state.receive(response, bytes),
                    None => state.fail(GARBLED.to_string()),
                }
            },
        );
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                event.prevent_default();
                state.fail(event.message());
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Link {
            worker,
            queue: Some(Vec::new()),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// The worker stopped or could not start: say so, and start afresh next time.
    fn fail(&self, detail: String) {
        let message = profitbook_engine::i18n::fill(
            tr(self.lang(), "import.worker_failed"),
            &[("detail", &detail)],
        );
        self.stop();
        self.errors.update(|e| e.push(message));
    }

    /// Ends the worker and whatever it was doing: files being read are dropped, an import in
    /// progress changes nothing; files already waiting or imported stay.
    pub fn stop(&self) {
        self.link.set_value(None);
        let reading = self.reading.get_untracked();
        self.files.update_value(|files| {
            for f in files.iter_mut() {
                f.opened = false;
            }
        });
        // A file whose first reading was cut short has no card and no data: forget it.
        let kept = self.files_in_use();
        self.files.update_value(|files| {
            files.retain(|f| kept.contains(&f.id) || !reading.contains(&f.name))
        });
        self.reading.set(Vec::new());
        self.importing_parts.set_value(None);
        self.taking.set_value(None);
        self.importing.set(false);
        self.busy.set(None);
    }

    /// Files that waiting cards or the workbook's data read from.
    fn files_in_use(&self) -> Vec<FileId> {
        let mut ids: Vec<FileId> = self
            .pending
            .with_untracked(|p| p.iter().map(|x| x.file).collect());
        self.data
            .with_value(|d| ids.extend(d.iter().map(|x| x.part.file)));
        ids
    }

    /// One message from the worker, and the bytes it was read from.
    fn receive(&self, response: Response, message: Vec<u8>) {
        let lang = self.lang();
        match response {
            Response::Started => self.started(),
            Response::Progress {
                step,
                name,
                done,
                total,
            } => self.busy.set(Some(Busy {
                step,
                name,
                done,
                total,
            })),
            Response::Opened { file, sources } => {
                self.done_reading(file);
                // Read at last (another encoding, or dropped again): no longer refused.
                if let Some(name) = self.file_name(file) {
                    self.refused.update_value(|r| r.retain(|x| x.name != name));
                }
                self.show_sources(file, sources);
            }
            Response::Ready { .. } => {}
            Response::Failed { file, name, error } => {
                self.done_reading(file);
                self.errors
                    .update(|e| e.push(file_error_text(lang, &name, &error)));
                self.refused.update_value(|r| {
                    r.retain(|x| x.name != name);
                    r.push(RefusedFile { name, error });
                });
                // A file read for the first time is dropped; one behind the data stays, and
                // the import that needs it will say it is missing.
                let kept = self.files_in_use();
                self.files
                    .update_value(|files| files.retain(|f| f.id != file || kept.contains(&f.id)));
            }
            Response::Imported(imported) => self.take(message, *imported),
            Response::ImportFailed(e) => {
                self.end_import();
                let names = self.files.with_value(|files| {
                    files
                        .iter()
                        .map(|f| (f.id, f.name.clone()))
                        .collect::<HashMap<_, _>>()
                });
                self.errors
                    .update(|errors| errors.push(import_error_text(lang, &e, &names)));
            }
            Response::Garbled => self.fail("garbled request".to_string()),
        }
    }

    fn file_name(&self, file: FileId) -> Option<String> {
        self.files
            .with_value(|files| files.iter().find(|f| f.id == file).map(|f| f.name.clone()))
    }

    fn done_reading(&self, file: FileId) {
        let name = self.file_name(file);
        self.reading.update(|r| {
            if let Some(i) = name.and_then(|n| r.iter().position(|x| *x == n)) {
                r.remove(i);
            }
        });
        if !self.working_untracked() {
            self.busy.set(None);
        }
    }

    fn working_untracked(&self) -> bool {
        self.importing.get_untracked() || self.reading.with_untracked(|r| !r.is_empty())
    }

    /// New cards for a file's sources, in place of the file's old cards when it was read again.
    fn show_sources(&self, file: FileId, sources: Vec<SourceView>) {
        let cards: Vec<Pending> = sources
            .into_iter()
            .map(|view| Pending {
                id: self.new_id(),
                file,
                sheet: view.sheet,
                source: Shared::new(view.head),
                rows: view.rows,
                plan: RwSignal::new(view.proposal.plan.clone()),
                proposal: Shared::new(view.proposal),
            })
            .collect();
        self.pending.update(
            |pending| match pending.iter().position(|p| p.file == file) {
                Some(at) => {
                    pending.retain(|p| p.file != file);
                    let at = at.min(pending.len());
                    pending.splice(at..at, cards);
                }
                None => pending.extend(cards),
            },
        );
    }

    /// Removes a waiting card; its file is forgotten when nothing else reads from it.
    pub fn remove(&self, id: u32) {
        let file = self
            .pending
            .with_untracked(|p| p.iter().find(|x| x.id == id).map(|x| x.file));
        self.pending.update(|p| p.retain(|x| x.id != id));
        if let Some(file) = file {
            self.forget_unused(file);
        }
    }

    /// Removes every waiting card.
    pub fn remove_all(&self) {
        let files: Vec<FileId> = self
            .pending
            .with_untracked(|p| p.iter().map(|x| x.file).collect());
        self.pending.set(Vec::new());
        for file in files {
            self.forget_unused(file);
        }
    }

    fn forget_unused(&self, file: FileId) {
        if self.files_in_use().contains(&file) {
            return;
        }
        self.files
            .update_value(|files| files.retain(|f| f.id != file));
        if self.link.with_value(Option::is_some) {
            self.post(&Request::Forget { file }, None);
        }
    }

    /// Whether every pending plan can be read.
    pub fn ready(&self) -> bool {
        !self.importing.get()
            && self.pending.with(|p| {
                !p.is_empty()
                    && p.iter()
                        .all(|x| x.plan.with(|plan| plan.problems(&x.source.grid).is_empty()))
            })
    }

    /// Imports the waiting files: the workbook's earlier imports and these, read together
    /// (the sample is replaced on the first import).
    pub fn confirm(&self) {
        let pending = self.pending.get_untracked();
        if pending.is_empty() {
            return;
        }
        let mut parts = self.data.get_value();
        parts.extend(pending.iter().map(|p| DataPart {
            part: Part {
                file: p.file,
                sheet: p.sheet,
                plan: p.plan.get_untracked(),
            },
            name: p.source.name.clone(),
            layout: p.source.layout.clone(),
        }));
        // A new worker (after a cancel) reads the files again first, in order.
        let unread: Vec<FileId> = self.files.with_value(|files| {
            files
                .iter()
                .filter(|f| !f.opened && parts.iter().any(|p| p.part.file == f.id))
                .map(|f| f.id)
                .collect()
        });
        for file in unread {
            self.open(file, false);
        }
        let request = Request::Import {
            parts: parts.iter().map(|p| p.part.clone()).collect(),
        };
        self.importing_parts.set_value(Some(parts));
        self.importing.set(true);
        if !self.post(&request, None) {
            self.end_import();
        }
    }

    fn end_import(&self) {
        self.importing_parts.set_value(None);
        self.importing.set(false);
        if !self.working_untracked() {
            self.busy.set(None);
        }
    }

    /// Reads the worker's answer into the page a part at a time, yielding to the browser
    /// between parts so that the page keeps painting, then makes it the workbook's data (see
    /// [`ModelBytes`](profitbook_import_worker::protocol::ModelBytes)). The steps are about
    /// [`TAKE_STEP_MS`] long, more where one part takes longer (a column of ids or names).
    fn take(&self, message: Vec<u8>, imported: Imported) {
        let state = *self;
        let id = self.new_id();
        self.taking.set_value(Some(id));
        spawn_local(async move {
            let Some(bytes) = imported.model.of(&message) else {
                return state.fail(GARBLED.to_string());
            };
            let Ok(mut decoding) = Decoding::new(bytes) else {
                return state.fail(GARBLED.to_string());
            };
            let mut model = loop {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if state.taking.try_get_value() != Some(Some(id)) {
                    return;
                }
                let began = now_ms();
                let mut read = None;
                while read.is_none() && now_ms() - began < TAKE_STEP_MS {
                    let Ok(part) = decoding.next(bytes) else {
                        return state.fail(GARBLED.to_string());
                    };
                    read = part;
                }
                if let Some(model) = read {
                    break model;
                }
            };
            if model.check().is_err() {
                return state.fail(GARBLED.to_string());
            }
            // The model's bytes are kept for the save that follows an import, which would
            // otherwise encode the model again in a task of its own (165 ms in a slow period,
            // a pause in painting).
            let (model, len) = (Shared::new(model), bytes.len());
            state.encoded.set_value(Some(EncodedModel {
                model: model.clone(),
                message,
                len,
            }));
            state.taking.set_value(None);
            state.apply(imported, model);
        });
    }

    /// The model `model` as the import's worker encoded it
    /// ([`profitbook_engine::model_bytes::encode`]), when it is the last import's; the bytes are
    /// let go, whatever the model, as a save needs them once.
    pub fn encoded<T>(&self, model: &Shared<Model>, with: impl FnOnce(&[u8]) -> T) -> Option<T> {
        let kept = self.encoded.try_update_value(Option::take).flatten()?;
        (kept.model == *model).then(|| with(&kept.message[kept.message.len() - kept.len..]))
    }

    /// The worker's import becomes the workbook's data.
    fn apply(&self, imported: Imported, model: Shared<Model>) {
        let Some(parts) = self.importing_parts.get_value() else {
            return;
        };
        self.end_import();
        let wb = self.workbook;
        let mut new_roles = Vec::new();
        wb.assumptions
            .update(|a| new_roles = a.price_new_roles(&model.roles));
        wb.data.set(DataSource::Imported {
            files: imported.files.len(),
            customers: model.len(),
        });
        wb.model.set(model);
        // The currency the files name becomes the workbook's; files naming none keep it.
        let mut currencies: Vec<Currency> = Vec::new();
        for currency in parts.iter().filter_map(|p| {
            p.part
                .plan
                .currency
                .as_deref()
                .and_then(Currency::from_code)
        }) {
            if !currencies.contains(&currency) {
                currencies.push(currency);
            }
        }
        if let Some(first) = currencies.first() {
            wb.currency.set(*first);
        }
        self.outcome.set(Some(Shared::new(Outcome {
            account: ImportAccount {
                files: imported.files,
                problems: imported.problems,
                notes: imported.notes,
                customers_from_transactions: imported.customers_from_transactions,
                layouts: parts
                    .iter()
                    .map(|p| (p.name.clone(), p.layout.clone()))
                    .collect(),
                currencies,
                refused: self.refused.get_value(),
            },
            new_roles,
            worker_memory: imported.memory_bytes,
        })));
        // The worker let the imported files go: a later import reads them again first.
        self.files.update_value(|files| {
            for f in files.iter_mut() {
                if parts.iter().any(|p| p.part.file == f.id) {
                    f.opened = false;
                }
            }
        });
        self.data.set_value(parts);
        self.refused.set_value(Vec::new());
        self.pending.set(Vec::new());
        self.errors.set(Vec::new());
    }

    /// Empties the workbook: no customers, no files held, the worker ended.
    pub fn clear(&self) {
        self.stop();
        self.files.set_value(Vec::new());
        self.data.set_value(Vec::new());
        self.refused.set_value(Vec::new());
        self.pending.set(Vec::new());
        self.errors.set(Vec::new());
        self.outcome.set(None);
        self.workbook.model.set(Shared::new(Model::default()));
        self.workbook.data.set(DataSource::Empty);
    }

    /// Empties the whole workbook: data, assumptions and scenarios. The copy kept in this
    /// browser follows (a blank workbook is removed from storage, not saved).
    pub fn clear_all(&self) {
        self.clear();
        self.workbook.assumptions.set(Default::default());
        self.workbook.scenarios.set(Default::default());
    }

    /// How each file of the workbook's data was read, for the workbook file: from the files
    /// held, or after a reload (the files are not kept) from the import's kept account.
    pub fn mapping(&self) -> Vec<MappedFile> {
        let held: Vec<MappedFile> = self.data.with_value(|parts| {
            parts
                .iter()
                .map(|p| MappedFile {
                    file: p.name.clone(),
                    plan: p.part.plan.clone(),
                })
                .collect()
        });
        if !held.is_empty() {
            return held;
        }
        self.outcome.with_untracked(|o| {
            o.iter()
                .flat_map(|o| o.account.files.iter())
                .map(|f| MappedFile {
                    file: f.name.clone(),
                    plan: f.plan.clone(),
                })
                .collect()
        })
    }

    /// Replaces the whole workbook with an opened workbook file's: its data, assumptions,
    /// scenarios and view. The import's files are let go: the data is the file's now.
    pub fn open_workbook_file(&self, file: WorkbookFile) {
        self.clear();
        let wb = self.workbook;
        wb.data.set(DataSource::of(file.origin, &file.model));
        wb.model.set(Shared::new(file.model));
        wb.assumptions.set(file.assumptions);
        wb.scenarios.set(file.scenarios);
        wb.view.set(file.view);
        wb.currency.set(file.currency);
    }

    /// Replaces the data with the built-in sample company.
    pub fn load_sample(&self) {
        self.clear();
        let (model, source) = sample_model();
        self.workbook.model.set(Shared::new(model));
        self.workbook.data.set(source);
    }
}

/// The sample company's model and how to describe it.
pub fn sample_model() -> (Model, DataSource) {
    let model = aggregate(&sample::sample_company()).model;
    let source = DataSource::of(Origin::Sample, &model);
    (model, source)
}
