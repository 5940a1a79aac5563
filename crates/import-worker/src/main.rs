//! The worker's WebAssembly entry point, built by Trunk (`data-type="worker"` in index.html):
//! decodes each message, hands it to [`Jobs`], and posts every response back, its buffer
//! transferred rather than copied.

#[cfg(target_arch = "wasm32")]
fn main() {
    use profitbook_import_worker::jobs::{Jobs, Payload, WARM_UP_STEPS};
    use profitbook_import_worker::protocol::{decode, encode, Request, Response};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let jobs = RefCell::new(Jobs::default());
    // The warm-up's steps still to run, each a task of its own (after any message that came
    // meanwhile): a request of the person's ends the warm-up.
    let warm_up_steps = Rc::new(Cell::new(0));
    /// The function that runs a step, set once it exists (it schedules itself).
    type Step = Rc<RefCell<Option<Closure<dyn FnMut()>>>>;
    let next_step: Step = Rc::new(RefCell::new(None));
    let schedule_step = {
        let (scope, next_step) = (scope.clone(), next_step.clone());
        move || {
            if let Some(step) = next_step.borrow().as_ref() {
                // A timer cannot fail to be set for a function.
                let _ = scope.set_timeout_with_callback(step.as_ref().unchecked_ref());
            }
        }
    };
    *next_step.borrow_mut() = Some(Closure::new({
        let (steps, schedule_step) = (warm_up_steps.clone(), schedule_step.clone());
        move || {
            if steps.get() > 0 {
                steps.set(steps.get() - 1);
                Jobs::warm_up();
                if steps.get() > 0 {
                    schedule_step();
                }
            }
        }
    }));
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
            // The warm-up request runs the first step; the others follow, unless a request
            // of the person's comes first.
            let warming = matches!(request, Request::WarmUp);
            warm_up_steps.set(if warming { WARM_UP_STEPS - 1 } else { 0 });
            jobs.borrow_mut().handle(request, payload, &mut post);
            if warming {
                schedule_step();
            }
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
