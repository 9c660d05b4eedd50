//! The `App` object the page calls: the only wasm-bindgen boundary (compiled for wasm32 only).
//!
//! State lives in one `Rc<RefCell<…>>`; asynchronous methods return promises and never hold a
//! borrow across an `await`, so the page may call anything at any time. Long jobs (training,
//! scoring) take a busy flag; a second job is refused with a clear message. Errors reach the
//! page as strings; panics are reported to the page before the instance stops.

mod backend;
mod data;
mod models;
mod results;
mod train;

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::meter::Meter;
use super::presets::RunOptions;
use super::results::Results;
use super::session::Session;
use crate::models::Detector;
use crate::report::CurveSeries;
use crate::store::Manifest;
use crate::train::CancelToken;

/// A model the page can use: trained here, loaded from a file, or a bundled demo model.
pub(crate) struct PageModel {
    /// File-style name, e.g. "valve-AE".
    pub name: String,
    /// Where it came from ("trained here", "loaded from x.sonogan", "demo model").
    pub origin: String,
    /// The detector, on the device it was made on.
    pub detector: Box<dyn Detector>,
    /// Its manifest (threshold, training record).
    pub manifest: Manifest,
}

/// The compute device in use and why it was chosen.
pub(crate) struct Backend {
    pub device: Device,
    pub name: &'static str,
    pub reason: String,
}

/// Everything the page holds.
pub(crate) struct AppState {
    pub session: Session,
    pub results: Results,
    pub models: Vec<PageModel>,
    pub backend: Backend,
    /// The WebGPU device once initialised (it can be initialised only once per page).
    pub webgpu: Option<Result<Device, String>>,
    pub busy: Option<String>,
    pub cancel: Option<CancelToken>,
    pub losses: Vec<CurveSeries>,
    pub meter: Meter,
    pub last_run: Option<RunOptions>,
}

/// The page's handle on the Rust core.
#[wasm_bindgen]
pub struct App {
    state: Rc<RefCell<AppState>>,
}

#[wasm_bindgen]
impl App {
    /// A fresh app on the CPU backend (the page then asks for its backend choice).
    #[wasm_bindgen(constructor)]
    pub fn new() -> App {
        install_panic_hook();
        App {
            state: Rc::new(RefCell::new(AppState {
                session: Session::new(),
                results: Results::default(),
                models: Vec::new(),
                backend: Backend {
                    device: Device::flex(),
                    name: "cpu",
                    reason: "the CPU is the starting point".into(),
                },
                webgpu: None,
                busy: None,
                cancel: None,
                losses: Vec::new(),
                meter: Meter::default(),
                last_run: None,
            })),
        }
    }

    /// The name of the job in progress, or `undefined`.
    pub fn busy(&self) -> Option<String> {
        self.state.borrow().busy.clone()
    }

    /// Registers a function the panic hook calls with the panic message (the page shows it).
    pub fn set_panic_reporter(&self, reporter: js_sys::Function) {
        PANIC_REPORTER.with(|r| *r.borrow_mut() = Some(reporter));
    }
}

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

/// Marks the app busy with `what` until the guard is dropped; refuses when already busy.
pub(crate) struct BusyGuard {
    state: Rc<RefCell<AppState>>,
}

impl BusyGuard {
    pub fn take(state: &Rc<RefCell<AppState>>, what: &str) -> Result<BusyGuard, JsValue> {
        let mut s = state.borrow_mut();
        if let Some(current) = &s.busy {
            return Err(js_error(format!(
                "please wait: {current} is still running (or cancel it)"
            )));
        }
        s.busy = Some(what.to_string());
        Ok(BusyGuard {
            state: state.clone(),
        })
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.busy = None;
            s.cancel = None;
        }
    }
}

/// An error value for the page (a plain string; the page prefixes "error: ").
pub(crate) fn js_error(message: impl Into<String>) -> JsValue {
    JsValue::from_str(&message.into())
}

/// Serialises `value` as a plain JS object (maps as objects, not `Map`s).
pub(crate) fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| js_error(e.to_string()))
}

/// Reads a JS object into `T`.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(
    value: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(format!("invalid {what}: {e}")))
}

/// Gives the browser a turn: resolves on the next macrotask (setTimeout 0), so input, painting
/// and progress updates happen between training steps.
pub(crate) async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let scheduled = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0));
        if !matches!(scheduled, Some(Ok(_))) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

thread_local! {
    static PANIC_REPORTER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Sends panic messages to the console and to the page's reporter.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("internal error: {info}");
        web_sys::console::error_1(&JsValue::from_str(&message));
        PANIC_REPORTER.with(|r| {
            if let Ok(reporter) = r.try_borrow()
                && let Some(f) = reporter.as_ref()
            {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&message));
            }
        });
    }));
}
