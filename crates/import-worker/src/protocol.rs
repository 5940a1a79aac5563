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
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    /// Used rows to check (credit notes).
    pub notes: Vec<Problem>,
    pub customers_from_transactions: usize,
    /// The worker's WebAssembly memory after the import: it only grows, so this is its peak
    /// (0 outside WebAssembly). For the benchmark's memory figure.
    pub memory_bytes: u64,
    /// The last field, so that the model's bytes end the message (see [`ModelBytes`]).
    pub model: ModelBytes,
}

/// The imported model on its way to the page: the worker's model, written as one byte string
/// ([`model_bytes`](profitbook_engine::model_bytes); read back field by field, a million
/// customers took seconds), which the page finds at the end of the message (a message is read
/// only when it ends where its response does, see [`decode`]) and reads a part at a time between
/// frames ([`model_bytes::Decoding`](profitbook_engine::model_bytes::Decoding)). Copied, read
/// and shown in one task, a million-row import's answer had kept the page from painting for
/// 201 to 412 ms; read in parts, the longest gap between frames was 73 to 129 ms.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelBytes {
    /// As the worker sends it.
    Model(Box<Model>),
    /// As a message is read: the model is its last `len` bytes (see [`ModelBytes::of`]).
    Tail { len: usize },
}

impl ModelBytes {
    /// The model's bytes in `message`, the bytes the [`Response`] holding this was read from.
    pub fn of<'a>(&self, message: &'a [u8]) -> Option<&'a [u8]> {
        match *self {
            ModelBytes::Tail { len } => message.get(message.len().checked_sub(len)?..),
            ModelBytes::Model(_) => None,
        }
    }
}

impl Serialize for ModelBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ModelBytes::Model(model) => {
                profitbook_engine::model_bytes::serialize(model, serializer)
            }
            ModelBytes::Tail { .. } => Err(serde::ser::Error::custom(
                "a model read as its place in a message cannot be written again",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ModelBytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Length;
        impl serde::de::Visitor<'_> for Length {
            type Value = ModelBytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a model's bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<ModelBytes, E> {
                Ok(ModelBytes::Tail { len: bytes.len() })
            }
        }
        deserializer.deserialize_bytes(Length)
    }
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

/// Decodes a message; `None` for bytes that are not one, or that go on after it.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Option<T> {
    match postcard::take_from_bytes(bytes) {
        Ok((message, [])) => Some(message),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use profitbook_engine::model_bytes;
    use profitbook_engine::{aggregate, sample};

    #[test]
    fn an_imported_model_is_read_from_the_end_of_its_message() {
        let model = aggregate(&sample::sample_company()).model;
        let response = Response::Imported(Box::new(Imported {
            files: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
            customers_from_transactions: 3,
            memory_bytes: 7,
            model: ModelBytes::Model(Box::new(model.clone())),
        }));
        let message = encode(&response);
        let Some(Response::Imported(read)) = decode::<Response>(&message) else {
            panic!("an Imported response");
        };
        // The account as written; the model as its place in the message, its bytes the
        // model's own, which read back as the model.
        assert_eq!(
            (read.customers_from_transactions, read.memory_bytes),
            (3, 7)
        );
        let bytes = read.model.of(&message).expect("the model's bytes");
        assert_eq!(bytes, model_bytes::encode(&model).as_slice());
        let mut back = model_bytes::decode(bytes).unwrap();
        back.check().unwrap();
        assert_eq!(back, model);
        // A message cut short has no room for the model it names, and one that goes on after
        // its response is not read at all (its model's bytes would not be its last).
        assert_eq!(read.model.of(&message[..10]), None);
        let mut longer = message.clone();
        longer.push(0);
        assert_eq!(decode::<Response>(&longer), None);
        // Only the worker's model is written; one read from a message is not.
        assert!(postcard::to_allocvec(&read.model).is_err());
    }
}
