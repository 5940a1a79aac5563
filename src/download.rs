//! Files the page hands to the person: a download made in the page from bytes it holds, never
//! fetched from anywhere.

use leptos::prelude::document;
use leptos::wasm_bindgen::JsCast;

/// Offers the bytes as a download named `name`. The parts are handed to the browser one by one,
/// so a large export is never copied into one piece in WebAssembly's memory.
pub fn offer(name: &str, mime: &str, parts: impl IntoIterator<Item = Vec<u8>>) {
    let array = js_sys::Array::new();
    for part in parts {
        array.push(&js_sys::Uint8Array::from(part.as_slice()));
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
