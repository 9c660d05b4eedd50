//! The DCASE protocol shared by the CLI and the page: train one detector per machine type on the
//! type's normal training clips (all IDs, spec §1.5), then score every test clip as the mean of its
//! per-vector scores (spec §1.7, §7 "Test", §10.8). Device-agnostic and synchronous; the browser
//! drives the same [`Trainer`] step by step with asynchronous reads.

use burn::tensor::Device;

use crate::data::ClipEntry;
use crate::eval::table::ClipScore;
use crate::features::Vectors;
use crate::models::{Detector, ModelConfig, ModelError, ModelKind, new_detector};
use crate::train::{Progress, TrainConfig, TrainError, TrainedSummary, Trainer, clip_score};

/// One clip of a data set with its feature vectors.
#[derive(Debug, Clone)]
pub struct FeatureClip {
    /// Where the clip sits in the data set and what it is.
    pub entry: ClipEntry,
    /// Its stacked log-Mel vectors.
    pub vectors: Vectors,
}

/// A trained detector with the record of its run.
pub struct TrainedModel {
    /// The detector after the last epoch (spec §10.7: no selection on test data).
    pub detector: Box<dyn Detector>,
    /// Losses, validation, normal scores: what the model file keeps.
    pub summary: TrainedSummary,
}

/// The default hyper-parameters of `kind` (spec §10.5) with the run's overrides applied.
pub fn model_config(kind: ModelKind, train: &TrainConfig) -> ModelConfig {
    let mut config = ModelConfig::default_for(kind);
    train.apply_to(&mut config);
    config
}

/// Builds an untrained detector of `kind` for a run with `train`'s settings and seed.
pub fn untrained_detector(
    kind: ModelKind,
    train: &TrainConfig,
    device: &Device,
) -> Result<Box<dyn Detector>, ModelError> {
    new_detector(&model_config(kind, train), device, train.seed)
}

/// Trains a detector of `kind` (default hyper-parameters, spec §10.5) on `clips` (file-sorted
/// training clips of one machine type), reporting every step to `on_progress`. A diverged or
/// cancelled run is an error and yields no model.
pub fn train_model(
    kind: ModelKind,
    clips: &[FeatureClip],
    train: &TrainConfig,
    device: &Device,
    on_progress: impl FnMut(&Progress),
) -> Result<TrainedModel, TrainError> {
    train_configured_model(
        &model_config(kind, train),
        clips,
        train,
        device,
        on_progress,
    )
}

/// [`train_model`] with explicit hyper-parameters (`model` must already carry any learning-rate
/// override of `train`, see [`TrainConfig::apply_to`]).
pub fn train_configured_model(
    model: &ModelConfig,
    clips: &[FeatureClip],
    train: &TrainConfig,
    device: &Device,
    on_progress: impl FnMut(&Progress),
) -> Result<TrainedModel, TrainError> {
    let detector = new_detector(model, device, train.seed)?;
    let vectors = clips.iter().map(|clip| clip.vectors.clone()).collect();
    let mut trainer = Trainer::new(detector, vectors, train.clone())?;
    let summary = trainer.run_to_end(on_progress)?;
    Ok(TrainedModel {
        detector: trainer.into_detector()?,
        summary,
    })
}

/// Scores each clip with `detector` (mean of per-vector scores), labelled `model` in the tables.
pub fn score_clips(
    detector: &dyn Detector,
    model: &str,
    clips: &[FeatureClip],
    chunk: usize,
) -> Result<Vec<ClipScore>, TrainError> {
    clips
        .iter()
        .map(|clip| {
            Ok(ClipScore {
                model: model.to_string(),
                machine_type: clip.entry.machine_type.clone(),
                machine_id: clip.entry.machine_id.clone(),
                rel_path: clip.entry.rel_path.clone(),
                label: clip.entry.label,
                score: clip_score(detector, &clip.vectors, chunk)?,
            })
        })
        .collect()
}
