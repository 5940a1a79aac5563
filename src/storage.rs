//! Keeping the workbook in the browser (IndexedDB) between visits: restored when the page
//! opens, saved after every change, removed by "clear data". Storage full or refused (a
//! private window, a quota) is said on screen, and the workbook goes on in memory.

use crate::import_state::{DataSource, ImportState, Outcome};
use crate::state::{Shared, Workbook};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::{closure::Closure, JsCast, JsValue};
use profitbook_engine::assumptions::Assumptions;
use profitbook_engine::saved::{
    data_from_bytes, data_to_bytes, encoded_data_to_bytes, settings_from_bytes, settings_to_bytes,
    Origin, SavedSettings,
};
use profitbook_engine::scenario::Scenarios;
use profitbook_engine::Model;
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "profitbook";
const STORE: &str = "workbook";
const DATA_KEY: &str = "data";
const SETTINGS_KEY: &str = "settings";
/// Changes closer together than this are saved once (a slider being dragged).
const QUIET_MS: u32 = 500;

/// What the page says about keeping the workbook.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveStatus {
    /// Not yet known (the stored workbook is being read).
    Opening,
    /// Kept; the number counts the saves since the page opened (0: just restored).
    Saved(u32),
    /// Storage is not available or full: the message to show.
    InMemoryOnly(String),
    /// Something stored could not be read; it was left alone and not restored.
    NotRestored(String),
}

/// Waits for an IndexedDB request to succeed (its result) or fail (its error).
async fn finished(request: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok_request = request.clone();
        let on_success = Closure::once_into_js(move || {
            let result = ok_request.result().unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let failed_request = request.clone();
        let on_error = Closure::once_into_js(move || {
            let error = failed_request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        request.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// The error's name (e.g. `QuotaExceededError`), for the message.
fn error_name(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

async fn open() -> Result<web_sys::IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request = factory.open_with_u32(DATABASE, 1)?;
    let upgrading = request.clone();
    let on_upgrade = Closure::once_into_js(move || {
        if let Ok(db) = upgrading
            .result()
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>())
        {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
    finished(&request).await?.dyn_into()
}

fn store(
    db: &web_sys::IdbDatabase,
    mode: web_sys::IdbTransactionMode,
) -> Result<web_sys::IdbObjectStore, JsValue> {
    db.transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)
}

async fn read(key: &str) -> Result<Option<Vec<u8>>, JsValue> {
    let db = open().await?;
    let request =
        store(&db, web_sys::IdbTransactionMode::Readonly)?.get(&JsValue::from_str(key))?;
    let value = finished(&request).await?;
    if let Some(blob) = value.dyn_ref::<web_sys::Blob>() {
        let buffer = JsFuture::from(blob.array_buffer()).await?;
        return Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()));
    }
    // A record written as an array, before records were blobs.
    Ok(value
        .dyn_ref::<js_sys::Uint8Array>()
        .map(|bytes| bytes.to_vec()))
}

/// Keeps `bytes` under `key`, as a blob: IndexedDB stores a blob as it is, where it copies and
/// packs an array on the page's thread during `put` (a 12.9 MB record: 24 to 61 ms in `put`
/// for an array, under 4 ms for a blob, which took 7 to 14 ms to make; three page loads).
async fn write(key: &str, bytes: Vec<u8>) -> Result<(), JsValue> {
    let db = open().await?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    drop(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let request = store(&db, web_sys::IdbTransactionMode::Readwrite)?
        .put_with_key(&blob, &JsValue::from_str(key))?;
    finished(&request).await.map(|_| ())
}

async fn remove_all() -> Result<(), JsValue> {
    let db = open().await?;
    let request = store(&db, web_sys::IdbTransactionMode::Readwrite)?.clear()?;
    finished(&request).await.map(|_| ())
}

/// Whether the workbook holds nothing worth keeping: no data, nothing set.
fn is_blank(model: &Model, assumptions: &Assumptions, scenarios: &Scenarios) -> bool {
    model.is_empty() && *assumptions == Assumptions::default() && scenarios.list.is_empty()
}

/// Restores the stored workbook, then saves every change. Call once, in the app.
pub fn keep(wb: Workbook, status: RwSignal<SaveStatus>) {
    // The import's summary is kept with imported data.
    let imports = use_context::<ImportState>();
    let restored = RwSignal::new(false);
    // The settings as last written or restored: the same settings are not written again.
    let kept_settings = StoredValue::new(None::<SavedSettings>);
    spawn_local(async move {
        let lang = wb.lang.get_untracked();
        let tr = |key| profitbook_engine::i18n::tr(lang, key);
        let data = read(DATA_KEY).await;
        let settings = read(SETTINGS_KEY).await;
        let mut problem = None;
        match data {
            Ok(Some(bytes)) => match data_from_bytes(&bytes) {
                // A record that decodes but whose parts disagree is as damaged as one that
                // does not decode: the same check as an opened workbook file.
                Ok(mut saved) => match saved.model.check() {
                    Ok(()) => {
                        wb.data.set(DataSource::of(saved.origin, &saved.model));
                        wb.model.set(Shared::new(saved.model));
                        if let (Some(imports), Some(account)) = (imports, saved.account) {
                            imports
                                .outcome
                                .set(Some(Shared::new(Outcome::restored(account))));
                        }
                    }
                    Err(e) => problem = Some(e),
                },
                Err(e) => problem = Some(e.message(lang)),
            },
            Ok(None) => {}
            Err(e) => {
                status.set(SaveStatus::InMemoryOnly(format!(
                    "{} ({})",
                    tr("storage.refused"),
                    error_name(&e)
                )));
                restored.set(true);
                return;
            }
        }
        if let Ok(Some(bytes)) = settings {
            match settings_from_bytes(&bytes) {
                // What was restored is where undo starts.
                Ok(saved) => {
                    kept_settings.set_value(Some(saved.clone()));
                    let view = wb.model.with_untracked(|m| saved.view.fitted_to(m));
                    wb.view.set(view);
                    wb.currency.set(saved.currency);
                    wb.undo.start_from(saved.assumptions, saved.scenarios);
                }
                Err(e) => problem = Some(e.message(lang)),
            }
        }
        // Nothing kept yet: the settings as they stand need no saving until they change.
        if kept_settings.with_value(Option::is_none) {
            kept_settings.set_value(Some(SavedSettings {
                assumptions: wb.assumptions.get_untracked(),
                scenarios: wb.scenarios.get_untracked(),
                view: wb.view.get_untracked(),
                currency: wb.currency.get_untracked(),
            }));
        }
        status.set(match problem {
            Some(p) => SaveStatus::NotRestored(format!("{} ({p})", tr("storage.not_restored"))),
            None => SaveStatus::Saved(0),
        });
        restored.set(true);
    });

    // The data is saved when the model changes (an import), the settings on every change.
    let generation = StoredValue::new(0u64);
    // Data changed and not yet written: a settings change within the quiet time after an
    // import supersedes the import's save, which must then write the data too.
    let data_pending = StoredValue::new(false);
    Effect::new(move |last_model: Option<Shared<Model>>| {
        let model = wb.model.get();
        let assumptions = wb.assumptions.get();
        let scenarios = wb.scenarios.get();
        let view = wb.view.get();
        let currency = wb.currency.get();
        let origin = wb.data.with(DataSource::origin);
        if !restored.get() {
            return model;
        }
        let data_changed = last_model.as_ref() != Some(&model);
        let settings = SavedSettings {
            assumptions,
            scenarios,
            view,
            currency,
        };
        let same_settings = kept_settings.with_value(|k| k.as_ref() == Some(&settings));
        if !data_changed && same_settings {
            return model;
        }
        kept_settings.set_value(Some(settings.clone()));
        if data_changed {
            data_pending.set_value(true);
        }
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        let saving = model.clone();
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(QUIET_MS).await;
            if generation.get_value() != this {
                return; // a later change will save
            }
            let lang = wb.lang.get_untracked();
            let result = if is_blank(&saving, &settings.assumptions, &settings.scenarios) {
                remove_all().await
            } else {
                let mut result = Ok(());
                if data_pending.get_value() {
                    if let Some(origin) = origin {
                        let account = match origin {
                            Origin::Imported { .. } => imports.and_then(|i| {
                                i.outcome
                                    .with_untracked(|o| o.as_ref().map(|o| o.account.clone()))
                            }),
                            Origin::Sample => None,
                        };
                        // An import's model as its worker encoded it, else encoded here.
                        let record = imports
                            .and_then(|i| {
                                i.encoded(&saving, |model| {
                                    encoded_data_to_bytes(origin, model, account.as_ref())
                                })
                            })
                            .unwrap_or_else(|| data_to_bytes(origin, &saving, account.as_ref()));
                        result = write(DATA_KEY, record).await;
                    }
                    if result.is_ok() {
                        data_pending.set_value(false);
                    }
                }
                if result.is_ok() {
                    result = write(SETTINGS_KEY, settings_to_bytes(&settings)).await;
                }
                result
            };
            let saves = match status.get_untracked() {
                SaveStatus::Saved(n) => n + 1,
                _ => 1,
            };
            status.set(match result {
                Ok(()) => SaveStatus::Saved(saves),
                Err(e) => SaveStatus::InMemoryOnly(format!(
                    "{} ({})",
                    profitbook_engine::i18n::tr(lang, "storage.refused"),
                    error_name(&e)
                )),
            });
        });
        model
    });
}
