//! One model's "train, then score the test clips" on the page, driven step by step with
//! asynchronous reads so the browser stays responsive (spec §1.5–1.7 protocol, as
//! `sonogan eval`). Target-agnostic: the host supplies the event-loop yield and the progress
//! sink, so the same code runs under wasm-bindgen and in native tests.

use std::future::Future;

use burn::tensor::Device;

use super::results::short_label;
use crate::eval::pipeline::{FeatureClip, model_config};
use crate::eval::table::ClipScore;
use crate::features::FeatureConfig;
use crate::models::{Detector, ModelKind, new_detector};
use crate::store::{DataDescription, Manifest};
use crate::train::{CancelToken, Progress, TrainConfig, Trainer, clip_score_async};

/// What the page is told after each training step.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunEvent {
    /// Model being trained ("AE", "GANomaly" …).
    pub model: String,
    /// Machine type it is trained on.
    pub machine_type: String,
    /// 0-based index of this (type, model) job and the number of jobs of the run.
    pub job: usize,
    /// Jobs of the whole run.
    pub jobs: usize,
    /// The trainer's progress snapshot.
    pub progress: Progress,
    /// Fraction of the whole run done, in [0, 1].
    pub fraction: f64,
}

/// The page's side of a run: where progress goes and how control returns to the event loop.
pub trait RunHost {
    /// Receives a progress event after a training step.
    fn progress(&mut self, event: &RunEvent);
    /// Returns control to the event loop (a resolved-later promise in the browser).
    fn yield_now(&mut self) -> impl Future<Output = ()>;
}

/// A trained model with its file manifest and its scores on the test clips.
pub struct TrainedJob {
    /// "AE", "GANomaly" …
    pub model: String,
    /// Machine type trained on.
    pub machine_type: String,
    /// The detector.
    pub detector: Box<dyn Detector>,
    /// Its manifest (threshold from normal validation scores).
    pub manifest: Manifest,
    /// Test-clip scores (labelled or not).
    pub scores: Vec<ClipScore>,
}

/// Where one job sits in the run, for the progress fraction.
#[derive(Debug, Clone, Copy)]
pub struct JobSlot {
    /// 0-based job index.
    pub index: usize,
    /// Number of jobs.
    pub count: usize,
}

/// Trains `kind` on `train` clips of `machine_type` and scores `test`, yielding to the event
/// loop after every step. A cancelled or diverged run is an error and yields nothing.
#[allow(clippy::too_many_arguments)]
pub async fn train_and_score<H: RunHost>(
    host: &mut H,
    device: &Device,
    kind: ModelKind,
    config: TrainConfig,
    machine_type: &str,
    train: &[FeatureClip],
    test: &[FeatureClip],
    slot: JobSlot,
    cancel: &CancelToken,
) -> Result<TrainedJob, String> {
    let model = short_label(kind).to_string();
    let named = |e: &dyn std::fmt::Display| format!("{machine_type} · {model}: {e}");
    if train.is_empty() {
        return Err(named(&"no training clips"));
    }
    let detector =
        new_detector(&model_config(kind, &config), device, config.seed).map_err(|e| named(&e))?;
    let vectors = train.iter().map(|c| c.vectors.clone()).collect();
    let mut trainer = Trainer::new(detector, vectors, config).map_err(|e| named(&e))?;
    loop {
        if cancel.is_cancelled() {
            trainer.cancel_token().cancel();
        }
        let Some(progress) = trainer.step_async().await.map_err(|e| named(&e))? else {
            break;
        };
        let within = progress.step as f64 / progress.total_steps.max(1) as f64;
        host.progress(&RunEvent {
            model: model.clone(),
            machine_type: machine_type.to_string(),
            job: slot.index,
            jobs: slot.count,
            fraction: (slot.index as f64 + within) / slot.count.max(1) as f64,
            progress,
        });
        host.yield_now().await;
    }
    let summary = trainer.summary_async().await.map_err(|e| named(&e))?;
    let detector = trainer.into_detector().map_err(|e| named(&e))?;
    let description = describe(machine_type, train);
    let manifest = Manifest::from_training(
        detector.as_ref(),
        FeatureConfig::default(),
        &summary,
        description,
    )
    .map_err(|e| named(&e))?;
    let scores = score_test_clips(host, detector.as_ref(), &model, test).await?;
    Ok(TrainedJob {
        model,
        machine_type: machine_type.to_string(),
        detector,
        manifest,
        scores,
    })
}

/// Clip scores (mean of per-vector scores, spec §1.7) of every test clip, read asynchronously.
pub async fn score_test_clips<H: RunHost>(
    host: &mut H,
    detector: &dyn Detector,
    model: &str,
    test: &[FeatureClip],
) -> Result<Vec<ClipScore>, String> {
    let mut scores = Vec::with_capacity(test.len());
    for clip in test {
        let score = clip_score_async(detector, &clip.vectors, crate::train::DEFAULT_SCORE_CHUNK)
            .await
            .map_err(|e| format!("scoring {}: {e}", clip.entry.rel_path))?;
        scores.push(ClipScore {
            model: model.to_string(),
            machine_type: clip.entry.machine_type.clone(),
            machine_id: clip.entry.machine_id.clone(),
            rel_path: clip.entry.rel_path.clone(),
            label: clip.entry.label,
            score,
        });
        host.yield_now().await;
    }
    Ok(scores)
}

/// The training-data description a model file keeps.
fn describe(machine_type: &str, train: &[FeatureClip]) -> DataDescription {
    let mut ids: Vec<String> = train.iter().map(|c| c.entry.machine_id.clone()).collect();
    ids.sort();
    ids.dedup();
    DataDescription {
        machine_types: vec![machine_type.to_string()],
        machine_ids: ids,
    }
}
