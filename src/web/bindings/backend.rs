//! Backend choice: WebGPU when the browser offers it, burn's flex on the CPU otherwise; `auto`
//! times a few training steps of the autoencoder on both and keeps the faster (measured, not
//! assumed). A software WebGPU adapter (SwiftShader, llvmpipe: the browser's fallback adapter) is
//! not measured: it is ~30× slower than flex, and compiling its shaders blocks the page for
//! tens of seconds (seen in headless Chromium), so `auto` takes the CPU and says why; `webgpu`
//! still forces it.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_time::Instant;

use super::{App, AppState, Backend, BusyGuard, js_error, yield_now};
use crate::features::Vectors;
use crate::models::{ModelConfig, ModelKind, new_detector};
use crate::train::{TrainConfig, Trainer};

/// Vectors per warm-up batch and timed steps of the `auto` measurement.
const PROBE_BATCH: usize = 128;
const PROBE_STEPS: usize = 3;

#[wasm_bindgen]
impl App {
    /// Switches to `choice` ("auto", "webgpu" or "cpu"); resolves to a sentence saying which
    /// backend is in use and why. Models already trained stay on the device they were made on.
    pub fn set_backend(&self, choice: String) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let _busy = BusyGuard::take(&state, "choosing the backend")?;
            let backend = choose(&state, &choice).await.map_err(js_error)?;
            let text = format!("{}: {}", backend.name, backend.reason);
            state.borrow_mut().backend = backend;
            Ok(JsValue::from_str(&text))
        })
    }

    /// The backend in use: "cpu" or "webgpu".
    pub fn backend_name(&self) -> String {
        self.state.borrow().backend.name.to_string()
    }
}

async fn choose(state: &Rc<RefCell<AppState>>, choice: &str) -> Result<Backend, String> {
    match choice {
        "cpu" => Ok(cpu("chosen by you")),
        "webgpu" => webgpu(state).await.map(|device| Backend {
            device,
            name: "webgpu",
            reason: "chosen by you".into(),
        }),
        "auto" => Ok(auto(state).await),
        other => Err(format!("unknown backend '{other}' (auto, webgpu or cpu)")),
    }
}

fn cpu(reason: &str) -> Backend {
    Backend {
        device: Device::flex(),
        name: "cpu",
        reason: reason.to_string(),
    }
}

/// Measures both backends and keeps the faster; the CPU when WebGPU is missing or fails.
async fn auto(state: &Rc<RefCell<AppState>>) -> Backend {
    match probe_adapter().await {
        Err(why) => return cpu(&format!("WebGPU is not available ({why})")),
        Ok(adapter) if adapter.software => {
            return cpu(&format!(
                "the WebGPU adapter is a software renderer ({}), slower than the CPU path",
                adapter.description
            ));
        }
        Ok(_) => {}
    }
    let gpu = match webgpu(state).await {
        Ok(device) => device,
        Err(why) => return cpu(&format!("WebGPU is not available ({why})")),
    };
    let cpu_ms = match step_ms(&Device::flex()).await {
        Ok(ms) => ms,
        Err(why) => {
            return Backend {
                device: gpu,
                name: "webgpu",
                reason: format!("the CPU backend failed its test ({why})"),
            };
        }
    };
    match step_ms(&gpu).await {
        Ok(gpu_ms) if gpu_ms < cpu_ms => Backend {
            device: gpu,
            name: "webgpu",
            reason: format!("faster: {gpu_ms:.0} ms per step vs {cpu_ms:.0} ms on the CPU"),
        },
        Ok(gpu_ms) => cpu(&format!(
            "faster: {cpu_ms:.0} ms per step vs {gpu_ms:.0} ms on WebGPU"
        )),
        Err(why) => cpu(&format!("WebGPU failed its test ({why})")),
    }
}

/// The page's WebGPU device, initialised on first use (burn allows one initialisation).
async fn webgpu(state: &Rc<RefCell<AppState>>) -> Result<Device, String> {
    if let Some(known) = state.borrow().webgpu.clone() {
        return known;
    }
    let result = init_webgpu().await;
    state.borrow_mut().webgpu = Some(result.clone());
    result
}

async fn init_webgpu() -> Result<Device, String> {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
        .map_err(|_| "no navigator object".to_string())?;
    let gpu =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("gpu")).unwrap_or(JsValue::UNDEFINED);
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU".into());
    }
    Device::wgpu_options().init_async().await.map_err(|e| {
        // wgpu's errors list every backend it tried; the first sentence says enough.
        let text = e.to_string();
        let first = text.split(['.', '\n']).next().unwrap_or(&text);
        format!("WebGPU did not start: {}", first.trim())
    })
}

/// What the browser's default WebGPU adapter is.
struct AdapterInfo {
    /// The fallback (software) adapter, e.g. SwiftShader.
    software: bool,
    /// Vendor and architecture as the browser reports them.
    description: String,
}

/// Asks `navigator.gpu.requestAdapter()` whether there is an adapter and what it is, without
/// starting burn's runtime (which can be initialised only once).
async fn probe_adapter() -> Result<AdapterInfo, String> {
    let get = |object: &JsValue, key: &str| {
        js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    };
    let gpu = get(&get(&js_sys::global(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU".into());
    }
    let request: js_sys::Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "navigator.gpu.requestAdapter is missing".to_string())?;
    let promise: js_sys::Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requestAdapter failed: {e:?}"))?
        .dyn_into()
        .map_err(|_| "requestAdapter did not return a promise".to_string())?;
    let adapter = wasm_bindgen_futures::JsFuture::from(promise)
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
    let lower = description.to_ascii_lowercase();
    let software = fallback
        || ["swiftshader", "llvmpipe", "lavapipe", "software"]
            .iter()
            .any(|name| lower.contains(name));
    Ok(AdapterInfo {
        software,
        description: if description.is_empty() {
            "unnamed adapter".into()
        } else {
            description
        },
    })
}

/// Milliseconds per autoencoder training step (batch [`PROBE_BATCH`]) on `device`, after one
/// warm-up step (shader compilation), with the loss read back so the work really finished.
async fn step_ms(device: &Device) -> Result<f64, String> {
    let config = ModelConfig::default_for(ModelKind::Ae);
    let dim = config.input_dim();
    let rows = PROBE_BATCH * (PROBE_STEPS + 2);
    // Deterministic log-Mel-like values (dB around −40); the numbers do not matter, the work does.
    let data = (0..rows * dim)
        .map(|i| -40.0 + 10.0 * ((i as f32) * 0.618).sin())
        .collect();
    let train = TrainConfig {
        epochs: 1,
        batch_size: PROBE_BATCH,
        validation_split: 0.0,
        loss_read_every: 1,
        ..TrainConfig::default()
    };
    let detector = new_detector(&config, device, 0).map_err(|e| e.to_string())?;
    let mut trainer =
        Trainer::new(detector, vec![Vectors { dim, data }], train).map_err(|e| e.to_string())?;
    trainer.step().await.map_err(|e| e.to_string())?;
    yield_now().await;
    let started = Instant::now();
    for _ in 0..PROBE_STEPS {
        trainer.step().await.map_err(|e| e.to_string())?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / PROBE_STEPS as f64)
}
