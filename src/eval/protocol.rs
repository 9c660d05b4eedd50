//! The one evaluation protocol of sonogan (docs/DESIGN.md §1.5–1.8, §12): for each machine
//! type and detector, train on the type's normal training clips (all IDs), build the model
//! file's manifest, score every test clip as the mean of its vectors' scores, and hand the
//! scores on to the per-ID AUC / pAUC table ([`crate::eval::table::EvalTable`]).
//!
//! Written once, as `async` code over a small [`Host`] (progress, yield, cancel, finished
//! jobs): the CLI blocks on it ([`crate::runtime::block_on`], [`NativeHost`]), the page's worker
//! awaits it on its event loop. The protocol never knows which detector it drives (the
//! registry builds them) nor who hosts it.
//!
//! ```
//! use sonogan::eval::protocol::{JobSlot, NativeHost, TrainJob, model_config, train};
//! use sonogan::models::ModelKind;
//! use sonogan::train::TrainConfig;
//! # use sonogan::eval::protocol::FeatureClip;
//! # fn clips() -> Vec<FeatureClip> { Vec::new() }
//! let clips = clips(); // training clips of one machine type, file-sorted
//! let train_config = TrainConfig::default();
//! let job = TrainJob {
//!     model: model_config(ModelKind::Ae, &train_config),
//!     train: train_config,
//!     machine_type: "valve",
//!     clips: &clips,
//!     slot: JobSlot::single(),
//! };
//! let mut host = NativeHost::new(|_progress| {});
//! let outcome = sonogan::runtime::block_on(train(&mut host, &burn::tensor::Device::flex(), &job));
//! assert!(outcome.is_err()); // no clips, no model
//! ```

use std::future::Future;

use burn::tensor::Device;

use crate::data::ClipEntry;
use crate::eval::table::ClipScore;
use crate::features::{FeatureConfig, FrameStack};
use crate::models::{Detector, ModelConfig, ModelKind, new_detector};
use crate::store::{DataDescription, Manifest};
use crate::train::{
    DEFAULT_SCORE_CHUNK, Progress, TrainConfig, TrainedSummary, Trainer, clip_score,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One clip of a data set with its features.
#[derive(Debug, Clone)]
pub struct FeatureClip {
    /// Where the clip sits in the data set and what it is.
    pub entry: ClipEntry,
    /// Its log-Mel frames, read as its stacked vectors (docs/DESIGN.md §13.1); shared, not
    /// copied, by every training run on the clip.
    pub features: Arc<FrameStack>,
}

/// Where one job sits in a run, for the progress fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct JobSlot {
    /// 0-based job index.
    pub index: usize,
    /// Number of jobs of the run.
    pub count: usize,
}

impl JobSlot {
    /// The only job of a run.
    pub fn single() -> Self {
        JobSlot { index: 0, count: 1 }
    }
}

/// What the host is told after each training step.
#[derive(Debug, Clone, serde::Serialize)]
pub struct JobProgress {
    /// The detector being trained.
    pub kind: ModelKind,
    /// Its label, for display.
    pub model: &'static str,
    /// Machine type it is trained on.
    pub machine_type: String,
    /// Where the job sits in the run.
    pub slot: JobSlot,
    /// The trainer's progress snapshot.
    pub progress: Progress,
    /// Fraction of the whole run done, in [0, 1].
    pub fraction: f64,
}

/// The side that drives the protocol: a terminal, a test or the page's worker.
pub trait Host {
    /// Receives a progress event after every training step.
    fn progress(&mut self, event: &JobProgress);
    /// Returns control to the event loop between steps (natively: nothing to do).
    fn yield_now(&mut self) -> impl Future<Output = ()>;
    /// True once the user asked to stop; checked before every step.
    fn cancelled(&self) -> bool;
}

/// A host for native callers: progress to a closure, no yielding, cancelled when its stop flag
/// is raised (a Ctrl-C handler, docs/DESIGN.md §13.2).
pub struct NativeHost<F: FnMut(&JobProgress)> {
    on_progress: F,
    stop: Option<Arc<AtomicBool>>,
}

impl<F: FnMut(&JobProgress)> NativeHost<F> {
    /// A host that calls `on_progress` after every step and is never cancelled.
    pub fn new(on_progress: F) -> Self {
        NativeHost {
            on_progress,
            stop: None,
        }
    }

    /// The same host, cancelled once `stop` is true.
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }
}

impl<F: FnMut(&JobProgress)> Host for NativeHost<F> {
    fn progress(&mut self, event: &JobProgress) {
        (self.on_progress)(event);
    }
    async fn yield_now(&mut self) {}
    fn cancelled(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }
}

/// One detector to train on one machine type's training clips.
#[derive(Debug, Clone)]
pub struct TrainJob<'a> {
    /// The detector's hyper-parameters (run overrides already applied, see [`model_config`]).
    pub model: ModelConfig,
    /// The trainer's settings.
    pub train: TrainConfig,
    /// The machine type.
    pub machine_type: &'a str,
    /// Its training clips, file-sorted.
    pub clips: &'a [FeatureClip],
    /// Where the job sits in the run.
    pub slot: JobSlot,
}

/// A trained detector with what its model file keeps.
pub struct TrainedModel {
    /// The detector after the last epoch (docs/DESIGN.md §10.7: no selection on test data).
    pub detector: Box<dyn Detector>,
    /// Losses, validation, normal scores.
    pub summary: TrainedSummary,
    /// The model file's manifest (threshold from normal validation scores).
    pub manifest: Manifest,
}

/// A trained detector and its scores on the type's test clips.
pub struct TrainedJob {
    /// The machine type trained on.
    pub machine_type: String,
    /// The trained model.
    pub model: TrainedModel,
    /// One score per test clip (labelled or not).
    pub scores: Vec<ClipScore>,
}

impl TrainedJob {
    /// The detector's kind.
    pub fn kind(&self) -> ModelKind {
        self.model.detector.kind()
    }
}

/// A failed job, named by type and detector.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{machine_type} · {}: {problem}", kind.label())]
pub struct JobError {
    /// The machine type.
    pub machine_type: String,
    /// The detector.
    pub kind: ModelKind,
    /// What went wrong (diverged, cancelled, no data …).
    pub problem: String,
}

/// The default hyper-parameters of `kind` (docs/DESIGN.md §10.5) with the run's overrides.
pub fn model_config(kind: ModelKind, train: &TrainConfig) -> ModelConfig {
    let mut config = ModelConfig::default_for(kind);
    train.apply_to(&mut config);
    config
}

/// Trains `job`'s detector, reporting every step to `host` and yielding after it, then builds
/// its manifest. A cancelled, diverged or empty run is an error and yields no model.
pub async fn train<H: Host>(
    host: &mut H,
    device: &Device,
    job: &TrainJob<'_>,
) -> Result<TrainedModel, JobError> {
    let kind = job.model.kind();
    let fail = |problem: &dyn std::fmt::Display| JobError {
        machine_type: job.machine_type.to_string(),
        kind,
        problem: problem.to_string(),
    };
    if job.clips.is_empty() {
        return Err(fail(&"no training clips"));
    }
    let (model, clip_ids) = with_training_ids(job.model.clone(), job.clips);
    let detector = new_detector(&model, device, job.train.seed).map_err(|e| fail(&e))?;
    let frames = job.clips.iter().map(|c| Arc::clone(&c.features)).collect();
    let train = job.train.for_model(&model);
    let mut trainer =
        Trainer::with_machine_ids(detector, frames, &clip_ids, train).map_err(|e| fail(&e))?;
    let stop = trainer.cancel_token();
    loop {
        if host.cancelled() {
            stop.cancel();
        }
        let Some(progress) = trainer.step().await.map_err(|e| fail(&e))? else {
            break;
        };
        host.progress(&progress_event(job, progress));
        host.yield_now().await;
    }
    let summary = trainer.summary().await.map_err(|e| fail(&e))?;
    let detector = trainer.into_detector().map_err(|e| fail(&e))?;
    let manifest = Manifest::from_training(
        detector.as_ref(),
        FeatureConfig::default(),
        &summary,
        describe(job.clips),
    )
    .map_err(|e| fail(&e))?;
    Ok(TrainedModel {
        detector,
        summary,
        manifest,
    })
}

/// The configuration with the training clips' machine IDs recorded (sorted, distinct) and each
/// clip's index among them, for detectors conditioned on the ID (docs/DESIGN.md §12.3); others
/// get their configuration back unchanged and no indices.
fn with_training_ids(mut model: ModelConfig, clips: &[FeatureClip]) -> (ModelConfig, Vec<u32>) {
    let ids = describe(clips).machine_ids;
    if !model.settings_mut().set_machine_ids(ids.clone()) {
        return (model, Vec::new());
    }
    let clip_ids = clips
        .iter()
        .map(|c| ids.binary_search(&c.entry.machine_id).unwrap_or(0) as u32)
        .collect();
    (model, clip_ids)
}

/// The host's view of a step of `job`.
fn progress_event(job: &TrainJob<'_>, progress: Progress) -> JobProgress {
    let within = progress.step as f64 / progress.total_steps.max(1) as f64;
    let kind = job.model.kind();
    JobProgress {
        kind,
        model: kind.label(),
        machine_type: job.machine_type.to_string(),
        slot: job.slot,
        fraction: (job.slot.index as f64 + within) / job.slot.count.max(1) as f64,
        progress,
    }
}

/// Clip scores (mean of per-vector scores, docs/DESIGN.md §1.7) of `clips`, yielding after each.
pub async fn score_clips<H: Host>(
    host: &mut H,
    detector: &dyn Detector,
    clips: &[FeatureClip],
) -> Result<Vec<ClipScore>, String> {
    let mut scores = Vec::with_capacity(clips.len());
    for clip in clips {
        let machine_id = Some(clip.entry.machine_id.as_str());
        let score = clip_score(
            detector,
            clip.features.as_ref(),
            machine_id,
            DEFAULT_SCORE_CHUNK,
        )
        .await
        .map_err(|e| format!("scoring {}: {e}", clip.entry.rel_path))?;
        scores.push(ClipScore {
            model: detector.kind(),
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

/// Trains `job` and scores `test` (the same type's test clips) with the trained detector.
pub async fn train_and_score<H: Host>(
    host: &mut H,
    device: &Device,
    job: &TrainJob<'_>,
    test: &[FeatureClip],
) -> Result<TrainedJob, JobError> {
    let model = train(host, device, job).await?;
    let scores = score_clips(host, model.detector.as_ref(), test)
        .await
        .map_err(|problem| JobError {
            machine_type: job.machine_type.to_string(),
            kind: model.detector.kind(),
            problem,
        })?;
    Ok(TrainedJob {
        machine_type: job.machine_type.to_string(),
        model,
        scores,
    })
}

/// The machine types and IDs of training clips, as a model file records them.
pub fn describe(clips: &[FeatureClip]) -> DataDescription {
    let mut machine_types: Vec<String> =
        clips.iter().map(|c| c.entry.machine_type.clone()).collect();
    let mut machine_ids: Vec<String> = clips.iter().map(|c| c.entry.machine_id.clone()).collect();
    machine_types.sort();
    machine_types.dedup();
    machine_ids.sort();
    machine_ids.dedup();
    DataDescription {
        machine_types,
        machine_ids,
    }
}
