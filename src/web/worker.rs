//! The Web Worker's wasm-bindgen entry (wasm32 only): `www/worker.js` creates one
//! [`PageWorker`] with two functions — `post(event)` (posts an [`Event`] to the main thread,
//! transferring its `ArrayBuffer`s) and `yieldNow()` (a promise resolved on the next worker task,
//! through a `MessageChannel`) — and forwards every message to [`PageWorker::handle`]. All logic
//! is in [`PageApp`]; this file only converts values, spawns the handlers, talks to
//! `navigator.gpu` and reports panics.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};

use super::app::{AdapterInfo, PageApp, WorkerHost};
use super::messages::{AnalysedAudio, Call, Event, Samples};
use super::session::{SourceAudio, analyse};
use crate::features::{FeatureConfig, FeatureExtractor};

/// The worker's handle on the Rust core.
#[wasm_bindgen]
pub struct PageWorker {
    app: Rc<PageApp>,
    host: Rc<JsHost>,
}

#[wasm_bindgen]
impl PageWorker {
    /// Starts the core on the CPU backend and posts [`Event::Ready`].
    #[wasm_bindgen(constructor)]
    pub fn new(post: js_sys::Function, yield_now: js_sys::Function) -> PageWorker {
        install_panic_hook(post.clone());
        let worker = PageWorker {
            app: Rc::new(PageApp::new()),
            host: Rc::new(JsHost { post, yield_now }),
        };
        worker.host.post(Event::Ready(worker.app.ready_info()));
        worker
    }

    /// Handles one message `{id, request}` from the main thread; the reply is posted later.
    pub fn handle(&self, message: JsValue) {
        let id = js_sys::Reflect::get(&message, &JsValue::from_str("id"))
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u64;
        match serde_wasm_bindgen::from_value::<Call>(message) {
            Ok(call) => {
                let app = self.app.clone();
                let host = self.host.clone();
                spawn_local(async move { app.dispatch(call, host.as_ref()).await });
            }
            Err(e) => self.host.post(Event::Failed {
                id,
                error: format!("the worker did not understand the request: {e}"),
            }),
        }
    }
}

/// The work of one of the page's feature workers (`www/feature-worker.js`): the WAV file `bytes`
/// decoded to 16 kHz mono and its log-Mel spectrogram, as [`AnalysedAudio`] (`Float32Array`
/// bytes), computed by the session's own [`analyse`]. Errors name the file and the problem.
#[wasm_bindgen]
pub fn analyse_wav(name: &str, bytes: Vec<u8>) -> Result<JsValue, JsValue> {
    thread_local! {
        // One extractor per feature worker: its FFT plan and mel bank are made once.
        static EXTRACTOR: RefCell<FeatureExtractor> =
            RefCell::new(FeatureExtractor::new(FeatureConfig::default()));
    }
    let analysed = EXTRACTOR
        .with(|e| analyse(&mut e.borrow_mut(), name, SourceAudio::Wav(bytes)))
        .map_err(|e| JsValue::from_str(&e))?;
    let out = AnalysedAudio {
        samples: Samples(analysed.samples),
        log_mel: Samples(analysed.log_mel),
    };
    serde::Serialize::serialize(&out, &serde_wasm_bindgen::Serializer::new())
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The browser side of [`WorkerHost`].
struct JsHost {
    post: js_sys::Function,
    yield_now: js_sys::Function,
}

impl WorkerHost for JsHost {
    fn post(&self, event: Event) {
        let serializer = serde_wasm_bindgen::Serializer::new()
            .serialize_maps_as_objects(true)
            .serialize_missing_as_null(true);
        match serde::Serialize::serialize(&event, &serializer) {
            Ok(value) => {
                let _ = self.post.call1(&JsValue::NULL, &value);
            }
            Err(e) => web_sys::console::error_1(&JsValue::from_str(&format!(
                "could not send an event to the page: {e}"
            ))),
        }
    }

    async fn yield_now(&self) {
        if let Ok(promise) = self.yield_now.call0(&JsValue::NULL) {
            let _ = JsFuture::from(js_sys::Promise::resolve(&promise)).await;
        }
    }

    async fn probe_adapter(&self) -> Result<AdapterInfo, String> {
        probe_adapter().await
    }

    async fn init_webgpu(&self) -> Result<Device, String> {
        gpu()?;
        Device::wgpu_options().init_async().await.map_err(|e| {
            // wgpu's errors list every backend it tried; the first sentence says enough.
            let text = e.to_string();
            let first = text.split(['.', '\n']).next().unwrap_or(&text);
            format!("WebGPU did not start: {}", first.trim())
        })
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `navigator.gpu` of the worker, or an error when there is none.
fn gpu() -> Result<JsValue, String> {
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU".into());
    }
    Ok(gpu)
}

/// Asks `navigator.gpu.requestAdapter()` whether there is an adapter and what it is, without
/// starting burn's runtime (which can be initialised only once).
async fn probe_adapter() -> Result<AdapterInfo, String> {
    let gpu = gpu()?;
    let request: js_sys::Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "navigator.gpu.requestAdapter is missing".to_string())?;
    let promise: js_sys::Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into()
        .map_err(|_| "requestAdapter did not return a promise".to_string())?;
    let adapter = JsFuture::from(promise)
        .await
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?;
    if adapter.is_null() || adapter.is_undefined() {
        return Err("the browser has no WebGPU adapter".into());
    }
    let info = get(&adapter, "info");
    let text = |key: &str| get(&info, key).as_string().unwrap_or_default();
    let description = [text("vendor"), text("architecture"), text("description")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let fallback = get(&adapter, "isFallbackAdapter")
        .as_bool()
        .unwrap_or(false)
        || get(&info, "isFallbackAdapter").as_bool().unwrap_or(false);
    Ok(AdapterInfo::new(description, fallback))
}

thread_local! {
    static PANIC_POST: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Sends panic messages to the console and, as `{type: "fatal", message}`, to the main thread,
/// which then replaces this worker.
fn install_panic_hook(post: js_sys::Function) {
    PANIC_POST.with(|p| *p.borrow_mut() = Some(post));
    std::panic::set_hook(Box::new(|info| {
        let message = format!("panic: {info}");
        web_sys::console::error_1(&JsValue::from_str(&message));
        PANIC_POST.with(|p| {
            if let Ok(post) = p.try_borrow()
                && let Some(f) = post.as_ref()
            {
                let event = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&event, &"type".into(), &"fatal".into());
                let _ = js_sys::Reflect::set(&event, &"message".into(), &message.into());
                let _ = f.call1(&JsValue::NULL, &event);
            }
        });
    }));
}
