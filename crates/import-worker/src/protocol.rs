//! The messages between the page and the import worker, encoded with postcard.
//!
//! A request travels as a `Uint8Array`, with the file (a `File`, or a string for a paste) as a
//! second element beside it; every response is a `Uint8Array` whose buffer is transferred, not
//! copied.

use profitbook_engine::date::Date;
use profitbook_engine::import::{
    FileError, FileReport, Plan, Problem, Proposal, ReadChoice, Source,
};
use profitbook_engine::Model;
use serde::{Deserialize, Serialize};

/// The page's number for a file (or paste) it gave the worker.
pub type FileId = u32;

/// How many rows of each source the page gets to show and check the plan.
pub const HEAD_ROWS: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Read a file (it travels beside the message) into one source per sheet, and keep them.
    /// `preview` asks for the sources' first rows and proposed plans; without it the worker
    /// only reads the file again (after a restart) and says [`Response::Ready`].
    Open {
        file: FileId,
        name: String,
        choice: ReadChoice,
        today: Date,
        preview: bool,
    },
    /// Drop a file's sources.
    Forget { file: FileId },
    /// Read these parts, in order, into facts and aggregate them: the workbook's whole data.
    Import { parts: Vec<Part> },
    /// A file is on its way: import a small made-up one first, answering nothing, so that the
    /// browser has compiled the import's code for speed by the time the file comes (see
    /// [`crate::jobs::Jobs::warm_up`]).
    WarmUp,
}

/// One source of one file, read under a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub file: FileId,
    /// Which of the file's sources: its sheet index for a workbook, 0 for text.
    pub sheet: usize,
    pub plan: Plan,
}

/// A source as the page sees it: the first rows, how many there are, the proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    pub sheet: usize,
    /// The source with only its first [`HEAD_ROWS`] rows.
    pub head: Source,
    /// Rows in the whole source.
    pub rows: usize,
    pub proposal: Proposal,
}

/// The long steps, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Reading a file into cells: its bytes (the first half of the bar, told by the worker's
    /// entry point as they come), then its cells (the second half, told by [`Jobs`]).
    ///
    /// [`Jobs`]: crate::jobs::Jobs
    Reading,
    /// Reading cells into facts, checking each row.
    Checking,
    /// Adding facts up per customer and month.
    Aggregating,
    /// Sending the result to the page.
    Sending,
}

impl Step {
    /// The translation key of the step's label.
    pub fn key(self) -> &'static str {
        match self {
            Step::Reading => "import.step.reading",
            Step::Checking => "import.step.checking",
            Step::Aggregating => "import.step.aggregating",
            Step::Sending => "import.step.sending",
        }
    }
}

/// The imported workbook data and the account of every file and row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// As compact bytes: read back field by field, a million customers took seconds.
    #[serde(with = "profitbook_engine::model_bytes")]
    pub model: Model,
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    pub customers_from_transactions: usize,
    /// The worker's WebAssembly memory after the import: it only grows, so this is its peak
    /// (0 outside WebAssembly). For the benchmark's memory figure.
    pub memory_bytes: u64,
}

/// Why an import could not run at all (its rows are not looked at).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportError {
    /// The worker does not hold this file's source (it was never read, or could not be).
    Missing { file: FileId, sheet: usize },
    /// The plan cannot read the source yet (the page checks this first; the worker checks the
    /// whole source, the page only its first rows).
    Unready { name: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker is listening. Messages posted before this would be lost (its WebAssembly
    /// loads asynchronously), so the page holds them until it comes.
    Started,
    /// How far a long step has got; `total` 0 when it cannot tell.
    Progress {
        step: Step,
        name: String,
        done: u64,
        total: u64,
    },
    Opened {
        file: FileId,
        sources: Vec<SourceView>,
    },
    /// Read again without a preview.
    Ready {
        file: FileId,
    },
    /// The file cannot be read at all.
    Failed {
        file: FileId,
        name: String,
        error: FileError,
    },
    Imported(Box<Imported>),
    ImportFailed(ImportError),
    /// A message the worker could not decode (a page and worker of different versions).
    Garbled,
}

/// Encodes a message.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    // Serialising plain data into a growing buffer cannot fail.
    postcard::to_allocvec(message).unwrap_or_default()
}

/// Decodes a message; `None` for bytes that are not one.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    postcard::from_bytes(bytes).ok()
}
