//! What the import worker does with each request: plain Rust, tested natively. The worker's
//! WebAssembly entry point (`main.rs`) only moves messages in and out.

use crate::protocol::{
    encode, FileId, ImportError, Imported, ModelBytes, Part, Request, Response, SourceView, Step,
    HEAD_ROWS,
};
use profitbook_engine::date::Date;
use profitbook_engine::import::{self, propose, FileError, Layout, ReadChoice, Source, Staging};
use profitbook_engine::scale::synthetic_invoice_csv;
use std::collections::HashMap;

/// Rows of the made-up file each step of the warm-up imports ([`Jobs::warm_up`]).
pub const WARM_UP_ROWS: usize = 5_000;

/// Steps of a warm-up: in all enough rows for the browser to compile the import's code for
/// speed (one step of 5,000 rows was too few to tell), few enough to take about 0.1 s. Each
/// step is a task of its own, and a file that comes meanwhile ends the warm-up, so that it
/// waits for one step at most: the benchmark's file, dropped 0.3 s after the drag began,
/// waited 14 to 89 ms for a warm-up of 20,000 rows in one task, and 16 to 48 ms in steps
/// (three runs each).
pub const WARM_UP_STEPS: usize = 4;

/// The file that travels beside an [`Request::Open`].
pub enum Payload {
    Bytes(Vec<u8>),
    /// A paste, already text.
    Text(String),
    /// The browser could not read the file.
    Unreadable,
}

/// The worker's state: every file's sources, whole, for as long as the page uses them.
#[derive(Default)]
pub struct Jobs {
    files: HashMap<FileId, Vec<Source>>,
}

/// The source's key within its file: its sheet index for a workbook, 0 for text.
fn sheet_of(source: &Source) -> usize {
    match source.layout {
        Layout::Workbook { sheet, .. } => sheet,
        Layout::Text { .. } => 0,
    }
}

impl Jobs {
    /// Carries out one request; `post` sends progress and the answer to the page.
    pub fn handle(
        &mut self,
        request: Request,
        payload: Option<Payload>,
        post: &mut dyn FnMut(Response),
    ) {
        match request {
            Request::Open {
                file,
                name,
                choice,
                today,
                preview,
            } => self.open(file, name, choice, payload, post, |sources| {
                if !preview {
                    return Response::Ready { file };
                }
                let sources = sources
                    .iter()
                    .map(|s| SourceView {
                        sheet: sheet_of(s),
                        head: Source {
                            name: s.name.clone(),
                            layout: s.layout.clone(),
                            grid: s.grid.head(HEAD_ROWS),
                        },
                        rows: s.grid.row_count(),
                        proposal: propose(&s.grid, today),
                    })
                    .collect();
                Response::Opened { file, sources }
            }),
            Request::Forget { file } => {
                self.files.remove(&file);
            }
            Request::Import { parts } => {
                let answer = match self.import(&parts, post) {
                    Ok(imported) => Response::Imported(Box::new(imported)),
                    Err(e) => Response::ImportFailed(e),
                };
                post(answer);
            }
            Request::WarmUp => {
                Jobs::warm_up();
            }
        }
    }

    /// One step of a warm-up ([`WARM_UP_STEPS`]; the worker's entry point runs the others).
    ///
    /// Imports a made-up file of [`WARM_UP_ROWS`] invoices, as a dropped file would be (opened
    /// with its preview, imported under its proposed plan, every answer encoded for the page),
    /// in a worker state of its own, and returns the rows it used. A browser first runs
    /// WebAssembly in quickly compiled code, and compiles a function for speed only once it has
    /// run a while: in a fresh worker the first few hundred thousand rows of a large file ran in
    /// the slow code. Warmed up while the file is dragged over the page (`make bench-import`),
    /// the benchmark's million rows took 1.42 to 1.97 s from the drop to the figures on screen,
    /// against 1.66 to 2.32 s without (three runs of each, alternating, on a slow day).
    pub fn warm_up() -> usize {
        let mut jobs = Jobs::default();
        let (file, today) = (0, Date::new(2026, 1, 1).expect("a valid date"));
        let text = synthetic_invoice_csv(WARM_UP_ROWS, WARM_UP_ROWS / 10);
        let mut plan = None;
        let open = Request::Open {
            file,
            name: "warm-up.csv".to_string(),
            choice: ReadChoice::default(),
            today,
            preview: true,
        };
        jobs.handle(
            open,
            Some(Payload::Bytes(text.into_bytes())),
            &mut |answer| {
                // Encoded as the worker's entry point encodes every answer: that code warms
                // up too.
                encode(&answer);
                if let Response::Opened { sources, .. } = answer {
                    plan = sources.into_iter().next().map(|s| s.proposal.plan);
                }
            },
        );
        let Some(plan) = plan else {
            return 0;
        };
        let mut used = 0;
        let parts = vec![Part {
            file,
            sheet: 0,
            plan,
        }];
        jobs.handle(Request::Import { parts }, None, &mut |answer| {
            encode(&answer);
            if let Response::Imported(imported) = answer {
                used = imported.files.iter().map(|f| f.used).sum();
            }
        });
        used
    }

    fn open(
        &mut self,
        file: FileId,
        name: String,
        choice: ReadChoice,
        payload: Option<Payload>,
        post: &mut dyn FnMut(Response),
        answer: impl FnOnce(&[Source]) -> Response,
    ) {
        // The second half of reading (see [`Step::Reading`]): the file's bytes are read.
        let mut progress = |done: usize, total: usize| {
            post(Response::Progress {
                step: Step::Reading,
                name: name.clone(),
                done: (total + done) as u64,
                total: 2 * total as u64,
            })
        };
        let chosen = choice != ReadChoice::default();
        // The file's bytes are given up to the reader: text is split in their own buffer.
        let read = match payload {
            Some(Payload::Bytes(bytes)) if chosen => {
                import::read_source_with(&name, bytes, choice, &mut progress).map(|s| vec![s])
            }
            Some(Payload::Bytes(bytes)) => import::read_sources_with(&name, bytes, &mut progress),
            Some(Payload::Text(text)) => {
                import::read_text_with(&name, text, choice.separator, &mut progress)
                    .map(|s| vec![s])
            }
            Some(Payload::Unreadable) | None => Err(FileError::Unreadable),
        };
        match read {
            Ok(sources) => {
                let response = answer(&sources);
                self.files.insert(file, sources);
                post(response);
            }
            Err(error) => {
                self.files.remove(&file);
                post(Response::Failed { file, name, error });
            }
        }
    }

    fn source(&self, file: FileId, sheet: usize) -> Option<&Source> {
        self.files.get(&file)?.iter().find(|s| sheet_of(s) == sheet)
    }

    fn import(
        &mut self,
        parts: &[Part],
        post: &mut dyn FnMut(Response),
    ) -> Result<Imported, ImportError> {
        let mut sources = Vec::with_capacity(parts.len());
        for part in parts {
            let source = self
                .source(part.file, part.sheet)
                .ok_or(ImportError::Missing {
                    file: part.file,
                    sheet: part.sheet,
                })?;
            if !part.plan.problems(&source.grid).is_empty() {
                return Err(ImportError::Unready {
                    name: source.name.clone(),
                });
            }
            sources.push(source);
        }
        let total: usize = sources.iter().map(|s| s.grid.row_count()).sum();
        let mut staging = Staging::default();
        let mut before = 0;
        for (source, part) in sources.iter().zip(parts) {
            staging.add_with(source, &part.plan, &mut |done, _| {
                post(Response::Progress {
                    step: Step::Checking,
                    name: source.name.clone(),
                    done: (before + done) as u64,
                    total: total as u64,
                })
            });
            before += source.grid.row_count();
        }
        // The imported files' cells are let go before the facts are added up, so the worker
        // never holds a file's cells, its facts and their aggregation at once (the largest
        // import's peak). The page keeps every file and reads it again for a later import.
        drop(sources);
        for part in parts {
            self.files.remove(&part.file);
        }
        let step = |step| Response::Progress {
            step,
            name: String::new(),
            done: 0,
            total: 0,
        };
        post(step(Step::Aggregating));
        let finished = staging.finish();
        post(step(Step::Sending));
        Ok(Imported {
            model: ModelBytes::Model(Box::new(finished.aggregated.model)),
            files: finished.files,
            problems: finished.problems,
            notes: finished.notes,
            customers_from_transactions: finished.customers_from_transactions,
            memory_bytes: memory_bytes(),
        })
    }
}

/// The worker's linear memory in bytes: WebAssembly memory never shrinks, so it is the peak.
fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}
