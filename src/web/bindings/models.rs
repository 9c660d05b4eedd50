//! Models on the page: list, download and load model files (the CLI's format), bundled demo
//! models, explaining a clip with a model, and the live microphone meter.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{App, AppState, PageModel, js_error, to_js};
use crate::features::stack::stack_frame_major;
use crate::report::{CurveSeries, curves_svg, score_strip_rgba};
use crate::store;
use crate::train::{DEFAULT_SCORE_CHUNK, mean_score, score_vectors};
use crate::web::clip_view::{loud_spans, per_frame_scores};

/// Demo model files bundled under `models/` (see README, "Demo models").
pub const DEMO_MODELS: [&str; 4] = [
    "fan-AE.sonogan",
    "pump-AE.sonogan",
    "slider-AE.sonogan",
    "valve-AE.sonogan",
];

#[wasm_bindgen]
impl App {
    /// The page's models: `[{name, kind, origin, machine_types, threshold}]`.
    pub fn models(&self) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let list: Vec<serde_json::Value> = state
            .models
            .iter()
            .map(|m| {
                serde_json::json!({
                    "name": m.name,
                    "kind": m.manifest.kind().label(),
                    "origin": m.origin,
                    "machine_types": m.manifest.data.machine_types,
                    "threshold": m.manifest.threshold.value,
                })
            })
            .collect();
        to_js(&list)
    }

    /// The bundled demo model file names (fetched by the page from `models/`).
    pub fn demo_model_files(&self) -> Vec<String> {
        DEMO_MODELS.iter().map(|s| s.to_string()).collect()
    }

    /// The model file of `name` (same format as `sonogan train --out`), read asynchronously.
    pub fn model_bytes(&self, name: String) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let model = take_model(&state, &name)?;
            let bytes = store::save(model.1.detector.as_ref(), &model.1.manifest).await;
            put_back(&state, model);
            let bytes = bytes.map_err(|e| js_error(format!("{name}: {e}")))?;
            Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
        })
    }

    /// Loads a model file (from the CLI or the page) onto the current backend; returns a
    /// description. A file of the wrong kind, corrupted or made for other features is refused
    /// with the reason, and nothing already loaded changes.
    pub fn load_model(
        &self,
        file_name: &str,
        bytes: &[u8],
        origin: &str,
    ) -> Result<String, JsValue> {
        let mut state = self.state.borrow_mut();
        let device = state.backend.device.clone();
        let (detector, manifest) =
            store::load(bytes, &device).map_err(|e| js_error(format!("{file_name}: {e}")))?;
        if &manifest.features != state.session.feature_config() {
            return Err(js_error(format!(
                "{file_name}: the model expects other log-Mel features ({:?}) than this page computes",
                manifest.features
            )));
        }
        let name = file_name.trim_end_matches(".sonogan").to_string();
        state.models.retain(|m| m.name != name);
        state.models.push(PageModel {
            name: name.clone(),
            origin: format!("{origin} {file_name}"),
            detector,
            manifest,
        });
        let info = describe(state.models.last().expect("just pushed"));
        Ok(format!("loaded {file_name}: {info}"))
    }

    /// A description of model `name`.
    pub fn model_info(&self, name: &str) -> Result<String, JsValue> {
        let state = self.state.borrow();
        let model = state
            .models
            .iter()
            .find(|m| m.name == name)
            .ok_or_else(|| js_error(format!("no model '{name}'")))?;
        Ok(describe(model))
    }

    /// Explains clip `path` with model `name`: `{strip: Uint8Array (RGBA, one pixel per frame),
    /// width, score, threshold, anomalous, spans: [[start s, end s]…]}`.
    pub fn explain(&self, path: String, name: String) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (vectors, frames, stack, hop_s) = {
                let s = state.borrow();
                let clip = s
                    .session
                    .clip(&path)
                    .ok_or_else(|| js_error(format!("no clip '{path}'")))?;
                let config = s.session.feature_config();
                let vectors = stack_frame_major(&clip.log_mel, config.n_mels, config.frames);
                let hop_s = config.hop_length as f64 / f64::from(config.sample_rate);
                (vectors, clip.frames(config.n_mels), config.frames, hop_s)
            };
            let model = take_model(&state, &name)?;
            let scores =
                score_vectors(model.1.detector.as_ref(), &vectors, DEFAULT_SCORE_CHUNK).await;
            let threshold = model.1.manifest.threshold.value;
            put_back(&state, model);
            let scores = scores.map_err(|e| js_error(format!("{path}: {e}")))?;
            let score =
                mean_score(&scores).ok_or_else(|| js_error(format!("{path}: no vectors")))?;
            let frame_scores = per_frame_scores(&scores, frames, stack);
            let strip = score_strip_rgba(&frame_scores, Some(threshold));
            to_js(&serde_json::json!({
                "strip": strip,
                "width": frames,
                "score": score,
                "threshold": threshold,
                "anomalous": score > threshold,
                "spans": loud_spans(&frame_scores, threshold, hop_s),
            }))
        })
    }

    /// Starts the live meter afresh.
    pub fn meter_reset(&self) {
        self.state.borrow_mut().meter.reset();
    }

    /// Adds 16 kHz microphone samples; when a full second is collected, scores it with model
    /// `name` and resolves to `{score, threshold}`, else to `null`.
    pub fn meter_push(&self, name: String, samples: Vec<f32>) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let window = state.borrow_mut().meter.push(&samples);
            let Some(window) = window else {
                return Ok(JsValue::NULL);
            };
            let vectors = state
                .borrow_mut()
                .session
                .vectors("microphone", &window)
                .map_err(js_error)?;
            let model = take_model(&state, &name)?;
            let scores =
                score_vectors(model.1.detector.as_ref(), &vectors, DEFAULT_SCORE_CHUNK).await;
            let threshold = model.1.manifest.threshold.value;
            put_back(&state, model);
            let scores = scores.map_err(|e| js_error(format!("microphone: {e}")))?;
            let score = mean_score(&scores).unwrap_or(f64::NAN);
            state.borrow_mut().meter.record(score);
            to_js(&serde_json::json!({ "score": score, "threshold": threshold }))
        })
    }

    /// The meter's recent scores and the threshold of model `name` as SVG.
    pub fn meter_svg(&self, name: &str) -> String {
        let state = self.state.borrow();
        let history = state.meter.history().to_vec();
        let mut series = vec![CurveSeries {
            label: "anomaly score".into(),
            points: history.clone(),
        }];
        if let Some(m) = state.models.iter().find(|m| m.name == name)
            && let (Some(first), Some(last)) = (history.first(), history.last())
        {
            let t = m.manifest.threshold.value;
            series.push(CurveSeries {
                label: "threshold".into(),
                points: vec![(first.0, t), (last.0, t)],
            });
        }
        curves_svg(&series, "seconds", "score", false)
    }
}

/// Removes model `name` from the state for the duration of an asynchronous read (so no borrow
/// is held across `await`); [`put_back`] returns it to its place.
fn take_model(state: &Rc<RefCell<AppState>>, name: &str) -> Result<(usize, PageModel), JsValue> {
    let mut s = state.borrow_mut();
    let index = s
        .models
        .iter()
        .position(|m| m.name == name)
        .ok_or_else(|| js_error(format!("no model '{name}': train one or load a model file")))?;
    Ok((index, s.models.remove(index)))
}

fn put_back(state: &Rc<RefCell<AppState>>, (index, model): (usize, PageModel)) {
    let mut s = state.borrow_mut();
    s.models.retain(|m| m.name != model.name);
    let at = index.min(s.models.len());
    s.models.insert(at, model);
}

/// One paragraph about a model: kind, data, training, threshold.
fn describe(model: &PageModel) -> String {
    let m = &model.manifest;
    format!(
        "{} ({}), trained on {} [{}], {} clips / {} vectors, {} epochs, batch {}, seed {}; \
         default threshold {:.4} ({} normal clip scores, mean {:.4}); {}",
        m.kind().label(),
        model.name,
        m.data.machine_types.join(", "),
        m.data.machine_ids.join(", "),
        m.data.clip_count,
        m.data.vector_count,
        m.training.epochs,
        m.training.batch_size,
        m.training.seed,
        m.threshold.value,
        m.normal_scores.n,
        m.normal_scores.mean,
        model.origin
    )
}
