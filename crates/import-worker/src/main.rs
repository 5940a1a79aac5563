//! The worker's WebAssembly entry point, built by Trunk (`data-type="worker"` in index.html):
//! decodes each message, reads the file beside it (from its stream), hands both to [`Jobs`] in
//! the order they came, and posts every response back, its buffer transferred rather than
//! copied.

#[cfg(target_arch = "wasm32")]
fn main() {
    use profitbook_import_worker::protocol::{decode, Response};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = Worker::new(scope.clone());
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
        let worker = worker.clone();
        move |event: web_sys::MessageEvent| {
            let message = js_sys::Array::from(&event.data());
            let request_bytes = js_sys::Uint8Array::new(&message.get(0)).to_vec();
            worker.receive(decode(&request_bytes), message.get(1));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    worker.post(Response::Started);
}

#[cfg(target_arch = "wasm32")]
use worker::Worker;

#[cfg(target_arch = "wasm32")]
mod worker {
    use profitbook_import_worker::jobs::{Jobs, Payload, WARM_UP_STEPS};
    use profitbook_import_worker::protocol::{encode, Request, Response, Step};
    use std::cell::{Cell, RefCell};
    use std::collections::VecDeque;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// Bytes asked of a file's stream at a time, into one buffer used again and again.
    const CHUNK_BYTES: u32 = 4 << 20;

    /// The worker's state between messages.
    pub struct Worker {
        scope: web_sys::DedicatedWorkerGlobalScope,
        jobs: RefCell<Jobs>,
        /// Whether a file is being read: requests wait until it is, in the order they came
        /// (`None` for a message that could not be decoded, answered in its turn).
        reading: Cell<bool>,
        waiting: RefCell<VecDeque<(Option<Request>, JsValue)>>,
        /// The warm-up's steps still to run, each a task of its own (after any message that
        /// came meanwhile): a request of the person's ends the warm-up.
        warm_up_steps: Cell<usize>,
        /// The function that runs a step, set once it exists (it schedules itself).
        next_step: RefCell<Option<Closure<dyn FnMut()>>>,
    }

    impl Worker {
        pub fn new(scope: web_sys::DedicatedWorkerGlobalScope) -> Rc<Worker> {
            let worker = Rc::new(Worker {
                scope,
                jobs: RefCell::default(),
                reading: Cell::new(false),
                waiting: RefCell::default(),
                warm_up_steps: Cell::new(0),
                next_step: RefCell::new(None),
            });
            let weak = Rc::downgrade(&worker);
            *worker.next_step.borrow_mut() = Some(Closure::new(move || {
                if let Some(worker) = weak.upgrade() {
                    worker.warm_up_step();
                }
            }));
            worker
        }

        /// Posts `response` to the page, its buffer transferred.
        pub fn post(&self, response: Response) {
            let bytes = js_sys::Uint8Array::from(encode(&response).as_slice());
            let transfer = js_sys::Array::of1(&bytes.buffer());
            // Posting fails only for values that cannot be cloned: a byte array always can.
            let _ = self.scope.post_message_with_transfer(&bytes, &transfer);
        }

        /// A request from the page (`None` when it could not be decoded), with the file or text
        /// beside it (if any).
        pub fn receive(self: &Rc<Self>, request: Option<Request>, file: JsValue) {
            // A request of the person's ends the warm-up, even one that waits for a file.
            if !matches!(request, Some(Request::WarmUp)) {
                self.warm_up_steps.set(0);
            }
            if self.reading.get() {
                self.waiting.borrow_mut().push_back((request, file));
            } else {
                self.carry_out(request, file);
            }
        }

        fn carry_out(self: &Rc<Self>, request: Option<Request>, file: JsValue) {
            let Some(request) = request else {
                self.post(Response::Garbled);
                return;
            };
            let Some(blob) = file.dyn_ref::<web_sys::Blob>().cloned() else {
                self.handle(request, file.as_string().map(Payload::Text));
                return;
            };
            self.reading.set(true);
            let worker = Rc::clone(self);
            // The first half of the reading step's bar (see `Step::Reading`), for a file opened.
            let name = match &request {
                Request::Open { name, .. } => Some(name.clone()),
                _ => None,
            };
            wasm_bindgen_futures::spawn_local(async move {
                // A twentieth of the file at a time: each report is a message the page draws.
                let mut told = 0;
                let mut progress = |done: u64, total: u64| {
                    if done < told + total / 20 {
                        return;
                    }
                    told = done;
                    if let Some(name) = &name {
                        worker.post(Response::Progress {
                            step: Step::Reading,
                            name: name.clone(),
                            done,
                            total: 2 * total,
                        });
                    }
                };
                let payload = read(&blob, &mut progress)
                    .await
                    .map_or(Payload::Unreadable, Payload::Bytes);
                worker.handle(request, Some(payload));
                worker.reading.set(false);
                // The requests that came meanwhile, until one reads a file again.
                while !worker.reading.get() {
                    let Some((request, file)) = worker.waiting.borrow_mut().pop_front() else {
                        break;
                    };
                    worker.carry_out(request, file);
                }
            });
        }

        fn handle(&self, request: Request, payload: Option<Payload>) {
            // The warm-up request runs the first step; the others follow, each a task of its
            // own, unless a request of the person's comes first.
            let warming = matches!(request, Request::WarmUp);
            if warming {
                self.warm_up_steps.set(WARM_UP_STEPS - 1);
            }
            self.jobs
                .borrow_mut()
                .handle(request, payload, &mut |response| self.post(response));
            if warming {
                self.schedule_warm_up_step();
            }
        }

        fn warm_up_step(&self) {
            let steps = self.warm_up_steps.get();
            if steps > 0 {
                self.warm_up_steps.set(steps - 1);
                Jobs::warm_up();
                self.schedule_warm_up_step();
            }
        }

        fn schedule_warm_up_step(&self) {
            if self.warm_up_steps.get() == 0 {
                return;
            }
            if let Some(step) = self.next_step.borrow().as_ref() {
                // A timer cannot fail to be set for a function.
                let _ = self
                    .scope
                    .set_timeout_with_callback(step.as_ref().unchecked_ref());
            }
        }
    }

    /// A file's bytes, or None when the browser cannot read it (or the worker cannot hold it).
    ///
    /// Read from the file's stream into one buffer that is reused for every chunk, then copied
    /// into the worker's memory. Reading the whole file at once made a new buffer of the file's
    /// size first, in memory never used before: on these machines the 98 MB benchmark file
    /// took 121 to 173 ms to read and copy that way, against 60 to 90 ms from the stream
    /// (three runs each, alternating, in a test page). A browser whose file streams cannot be
    /// read into a buffer of one's own (some versions of Safari) reads the file whole.
    /// `progress` is told the bytes read so far and the file's size after each chunk.
    async fn read(blob: &web_sys::Blob, progress: &mut dyn FnMut(u64, u64)) -> Option<Vec<u8>> {
        let size = blob.size();
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(size as usize).ok()?;
        match web_sys::ReadableStreamByobReader::new(&blob.stream()) {
            Ok(reader) => read_stream(&reader, bytes, &mut |done| progress(done, size as u64))
                .await
                .ok(),
            Err(_) => {
                let whole = web_sys::FileReaderSync::new()
                    .and_then(|reader| reader.read_as_array_buffer(blob))
                    .ok()?;
                append(&mut bytes, &js_sys::Uint8Array::new(&whole));
                Some(bytes)
            }
        }
    }

    /// Copies `chunk` into the worker's memory after `bytes`.
    fn append(bytes: &mut Vec<u8>, chunk: &js_sys::Uint8Array) {
        let start = bytes.len();
        bytes.resize(start + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[start..]);
    }

    /// A byte stream's bytes after `bytes`, read chunk by chunk into one reused buffer;
    /// `progress` is told the bytes held after each.
    async fn read_stream(
        reader: &web_sys::ReadableStreamByobReader,
        mut bytes: Vec<u8>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Vec<u8>, JsValue> {
        let mut chunk = js_sys::Uint8Array::new_with_length(CHUNK_BYTES);
        loop {
            let read: web_sys::ReadableStreamReadResult =
                JsFuture::from(reader.read_with_array_buffer_view(&chunk))
                    .await?
                    .unchecked_into();
            if read.get_done().unwrap_or(true) {
                return Ok(bytes);
            }
            let filled: js_sys::Uint8Array = read.get_value().unchecked_into();
            append(&mut bytes, &filled);
            progress(bytes.len() as u64);
            // The stream hands the buffer back with the bytes it read into it.
            chunk = js_sys::Uint8Array::new(&filled.buffer());
        }
    }
}

/// Natively there is nothing to run: the crate's logic is tested through its library.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
