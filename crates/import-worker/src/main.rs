//! The worker's WebAssembly entry point, built by Trunk (`data-type="worker"` in index.html):
//! decodes each message, hands it to [`Jobs`], and posts every response back, its buffer
//! transferred rather than copied.

#[cfg(target_arch = "wasm32")]
fn main() {
    use profitbook_import_worker::jobs::{Jobs, Payload};
    use profitbook_import_worker::protocol::{decode, encode, Request, Response};
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let jobs = RefCell::new(Jobs::default());
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let mut post = |response: Response| {
                let bytes = js_sys::Uint8Array::from(encode(&response).as_slice());
                let transfer = js_sys::Array::of1(&bytes.buffer());
                // Posting fails only for values that cannot be cloned: a byte array always can.
                let _ = reply_to.post_message_with_transfer(&bytes, &transfer);
            };
            let message = js_sys::Array::from(&event.data());
            let request_bytes = js_sys::Uint8Array::new(&message.get(0)).to_vec();
            let Some(request) = decode::<Request>(&request_bytes) else {
                post(Response::Garbled);
                return;
            };
            let payload = payload_of(&message.get(1));
            jobs.borrow_mut().handle(request, payload, &mut post);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let started = js_sys::Uint8Array::from(encode(&Response::Started).as_slice());
    let _ = scope.post_message(&started);

    /// The file beside a request: a `File` (read here, synchronously: a worker may block) or
    /// a string (a paste).
    fn payload_of(value: &JsValue) -> Option<Payload> {
        if let Some(text) = value.as_string() {
            return Some(Payload::Text(text));
        }
        let blob = value.dyn_ref::<web_sys::Blob>()?;
        let read = web_sys::FileReaderSync::new()
            .and_then(|reader| reader.read_as_array_buffer(blob))
            .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
        Some(read.map_or(Payload::Unreadable, Payload::Bytes))
    }
}

/// Natively there is nothing to run: the crate's logic is tested through its library.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
