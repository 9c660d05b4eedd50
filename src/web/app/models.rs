//! Models on the page: the list, model files (the CLI's format) out and in, explaining a clip
//! with a model, and the live microphone meter.

use super::{PageApp, PageModel};
use crate::features::VectorRows;
use crate::report::{CurveSeries, curves_svg, score_strip_rgba};
use crate::store;
use crate::train::{DEFAULT_SCORE_CHUNK, mean_score, score_vectors};
use crate::web::clip_view::{loud_spans, per_frame_scores};
use crate::web::messages::{Bytes, Explanation, MeterReading, ModelSummary, Reply};
use std::sync::Arc;

/// Demo model files bundled under `models/` (see README, "Demo models").
pub const DEMO_MODELS: [&str; 4] = [
    "fan-AE.sonogan",
    "pump-AE.sonogan",
    "slider-AE.sonogan",
    "valve-AE.sonogan",
];

/// The page's models, in the order they were made or loaded.
pub(super) fn summaries(app: &PageApp) -> Vec<ModelSummary> {
    app.state
        .borrow()
        .models
        .iter()
        .map(|m| ModelSummary {
            name: m.name.clone(),
            kind: m.manifest.kind().label().to_string(),
            origin: m.origin.clone(),
            machine_types: m.manifest.data.machine_types.clone(),
            threshold: m.manifest.threshold.value,
        })
        .collect()
}

/// Adds `model`, replacing one of the same name.
pub(super) fn insert(app: &PageApp, model: PageModel) {
    let mut s = app.state.borrow_mut();
    s.models.retain(|m| m.name != model.name);
    s.models.push(model);
}

/// The model file of `name` (same format as `sonogan train --out`), read asynchronously.
pub(super) async fn model_bytes(app: &PageApp, name: &str) -> Result<Reply, String> {
    let model = take(app, name)?;
    let bytes = store::save(model.1.detector.as_ref(), &model.1.manifest).await;
    put_back(app, model);
    let bytes = bytes.map_err(|e| format!("{name}: {e}"))?;
    Ok(Reply::ModelFile {
        name: name.to_string(),
        bytes: Bytes(bytes),
    })
}

/// Loads a model file onto the current backend. A file of the wrong kind, corrupted or made for
/// other features is refused with the reason, and nothing already loaded changes.
pub(super) fn load(
    app: &PageApp,
    file_name: &str,
    bytes: &[u8],
    origin: &str,
) -> Result<Reply, String> {
    let (device, features) = {
        let s = app.state.borrow();
        (s.backend.device.clone(), s.session.feature_config().clone())
    };
    let (detector, manifest) =
        store::load(bytes, &device).map_err(|e| format!("{file_name}: {e}"))?;
    if manifest.features != features {
        return Err(format!(
            "{file_name}: the model expects other log-Mel features ({:?}) than this page computes",
            manifest.features
        ));
    }
    let name = file_name.trim_end_matches(".sonogan").to_string();
    let model = PageModel {
        name: name.clone(),
        origin: format!("{origin} {file_name}"),
        detector,
        manifest,
    };
    let info = format!("loaded {file_name}: {}", describe(&model));
    insert(app, model);
    Ok(Reply::ModelLoaded {
        name,
        info,
        models: summaries(app),
    })
}

/// A description of model `name`.
pub(super) fn info(app: &PageApp, name: &str) -> Result<Reply, String> {
    let state = app.state.borrow();
    let model = state
        .models
        .iter()
        .find(|m| m.name == name)
        .ok_or_else(|| format!("no model '{name}'"))?;
    Ok(Reply::Text {
        text: describe(model),
    })
}

/// Scores clip `path` with model `name`: the per-frame strip, the score against the threshold
/// and the stretches above it.
pub(super) async fn explain(app: &PageApp, path: &str, name: &str) -> Result<Reply, String> {
    let (vectors, frames, stack, hop_s) = {
        let s = app.state.borrow();
        let clip = s
            .session
            .clip(path)
            .ok_or_else(|| format!("no clip '{path}'"))?;
        let config = s.session.feature_config();
        let vectors = Arc::clone(&clip.log_mel);
        let hop_s = config.hop_length as f64 / f64::from(config.sample_rate);
        (vectors, clip.frames(config.n_mels), config.frames, hop_s)
    };
    let (scores, threshold) = score_with(app, name, vectors.as_ref(), path).await?;
    let score = mean_score(&scores).ok_or_else(|| format!("{path}: no vectors"))?;
    let frame_scores = per_frame_scores(&scores, frames, stack);
    Ok(Reply::Explain(Explanation {
        strip: Bytes(score_strip_rgba(&frame_scores, Some(threshold))),
        width: frames,
        score,
        threshold,
        anomalous: score > threshold,
        spans: loud_spans(&frame_scores, threshold, hop_s),
    }))
}

/// Adds 16 kHz microphone samples; when a full second is collected, scores it with model `name`.
pub(super) async fn meter_push(
    app: &PageApp,
    name: &str,
    samples: &[f32],
) -> Result<Reply, String> {
    let window = app.state.borrow_mut().meter.push(samples);
    let Some(window) = window else {
        return Ok(Reply::Meter { reading: None });
    };
    let vectors = app
        .state
        .borrow_mut()
        .session
        .vectors("microphone", &window)?;
    let (scores, threshold) = score_with(app, name, &vectors, "microphone").await?;
    let score = mean_score(&scores).unwrap_or(f64::NAN);
    app.state.borrow_mut().meter.record(score);
    Ok(Reply::Meter {
        reading: Some(MeterReading {
            score,
            threshold,
            svg: meter_svg(app, threshold),
        }),
    })
}

/// Per-vector scores of `vectors` (from `what`, named in errors) with model `name`, and the
/// model's threshold.
async fn score_with(
    app: &PageApp,
    name: &str,
    vectors: &dyn VectorRows,
    what: &str,
) -> Result<(Vec<f32>, f64), String> {
    let model = take(app, name)?;
    let machine_id = crate::data::machine_id_in_path(what);
    let scores = score_vectors(
        model.1.detector.as_ref(),
        vectors,
        machine_id.as_deref(),
        DEFAULT_SCORE_CHUNK,
    )
    .await;
    let threshold = model.1.manifest.threshold.value;
    put_back(app, model);
    let scores = scores.map_err(|e| format!("{what}: {e}"))?;
    Ok((scores, threshold))
}

/// The meter's recent scores and the threshold as SVG.
fn meter_svg(app: &PageApp, threshold: f64) -> String {
    let history = app.state.borrow().meter.history().to_vec();
    let mut series = vec![CurveSeries {
        label: "anomaly score".into(),
        points: history.clone(),
    }];
    if let (Some(first), Some(last)) = (history.first(), history.last()) {
        series.push(CurveSeries {
            label: "threshold".into(),
            points: vec![(first.0, threshold), (last.0, threshold)],
        });
    }
    curves_svg(&series, "seconds", "score", false)
}

/// Removes model `name` for the duration of an asynchronous read (so no borrow is held across
/// `await`); [`put_back`] returns it to its place.
fn take(app: &PageApp, name: &str) -> Result<(usize, PageModel), String> {
    let mut s = app.state.borrow_mut();
    let index = s
        .models
        .iter()
        .position(|m| m.name == name)
        .ok_or_else(|| format!("no model '{name}': train one or load a model file"))?;
    Ok((index, s.models.remove(index)))
}

fn put_back(app: &PageApp, (index, model): (usize, PageModel)) {
    let mut s = app.state.borrow_mut();
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
