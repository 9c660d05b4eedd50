//! The manifest: everything needed to rebuild, judge and reuse a model, as JSON.

use super::StoreError;
use super::container::FORMAT_VERSION;
use super::threshold::{DecisionThreshold, NormalScoreStats};
use crate::audio::TARGET_RATE;
use crate::features::FeatureConfig;
use crate::models::{Detector, ModelConfig, ModelKind};
use crate::train::TrainedSummary;

/// How the model was trained (the loop settings and the outcome).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainingRecord {
    /// Seed of the batch order (and of the detector's initialisation when built with it).
    pub seed: u64,
    /// Epochs run.
    pub epochs: usize,
    /// Steps run.
    pub steps: usize,
    /// Vectors per batch.
    pub batch_size: usize,
    /// Learning rate of the optimisers.
    pub learning_rate: Option<f64>,
    /// Fraction of the vectors held out.
    pub validation_split: f64,
    /// The losses read last, `(name, value)`.
    pub final_losses: Vec<(String, f32)>,
    /// Mean held-out score after each epoch.
    pub validation_losses: Vec<f64>,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
}

/// What the model was trained on.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct DataSummary {
    /// Machine types (one per model in the DCASE setting, docs/DESIGN.md §1.5).
    pub machine_types: Vec<String>,
    /// Machine IDs whose training clips were used (e.g. "id_00").
    pub machine_ids: Vec<String>,
    /// Number of training clips.
    pub clip_count: usize,
    /// Number of vectors, trained on and held out together.
    pub vector_count: usize,
    /// Vectors trained on.
    pub train_vectors: usize,
    /// Vectors held out for validation.
    pub validation_vectors: usize,
    /// FNV-1a 64 of the vectors, 16 hex digits.
    pub content_hash: String,
}

/// The caller's description of the training data (the trainer does not know names).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataDescription {
    /// Machine types.
    pub machine_types: Vec<String>,
    /// Machine IDs.
    pub machine_ids: Vec<String>,
}

/// The JSON manifest of a model file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// The container format version it was written with.
    pub format_version: u32,
    /// The sonogan version that wrote it.
    pub sonogan_version: String,
    /// Architecture and hyper-parameters, tagged with the model kind.
    pub model: ModelConfig,
    /// The feature parameters the model expects its input computed with.
    pub features: FeatureConfig,
    /// How it was trained.
    pub training: TrainingRecord,
    /// What it was trained on.
    pub data: DataSummary,
    /// Clip scores of normal data under this model.
    pub normal_scores: NormalScoreStats,
    /// The default decision threshold, derived from `normal_scores` only.
    pub threshold: DecisionThreshold,
}

impl Manifest {
    /// Builds the manifest of a trained detector from its run summary: the normal clip scores
    /// of the summary (validation clips, or training clips as a fallback) give the score
    /// statistics and the default threshold. Errors when those scores are missing or not finite.
    pub fn from_training(
        detector: &dyn Detector,
        features: FeatureConfig,
        summary: &TrainedSummary,
        description: DataDescription,
    ) -> Result<Self, StoreError> {
        let scores = &summary.normal_scores;
        let unusable = || {
            StoreError::Manifest(format!(
                "no usable normal clip scores ({} clips)",
                scores.clip_scores.len()
            ))
        };
        let normal_scores = NormalScoreStats::from_scores(&scores.clip_scores, scores.source)
            .ok_or_else(unusable)?;
        let threshold =
            DecisionThreshold::from_normal_scores(&scores.clip_scores).ok_or_else(unusable)?;
        Ok(Self {
            format_version: FORMAT_VERSION,
            sonogan_version: env!("CARGO_PKG_VERSION").to_string(),
            model: detector.config(),
            features,
            training: TrainingRecord {
                seed: summary.seed,
                epochs: summary.epochs_run,
                steps: summary.steps,
                batch_size: summary.batch_size,
                learning_rate: summary.learning_rate,
                validation_split: summary.validation_split,
                final_losses: summary.final_losses.clone(),
                validation_losses: summary.validation_losses.clone(),
                elapsed_seconds: summary.elapsed_seconds,
            },
            data: DataSummary {
                machine_types: description.machine_types,
                machine_ids: description.machine_ids,
                clip_count: summary.clip_count,
                vector_count: summary.train_vectors + summary.validation_vectors,
                train_vectors: summary.train_vectors,
                validation_vectors: summary.validation_vectors,
                content_hash: format!("{:016x}", summary.content_hash),
            },
            normal_scores,
            threshold,
        })
    }

    /// Checks, before any network is built, that this build can rebuild and feed the model the
    /// manifest describes (docs/DESIGN.md §13.4): valid feature settings for audio at the 16 kHz
    /// every clip is resampled to, a hop no longer than the window, every architecture size
    /// within its bound, a model input as wide as the features' `n_mels × frames`, and a weights
    /// section (`weight_bytes` long) large enough for the architecture. A crafted manifest is
    /// thus blamed on the model file, before it can ask for a huge allocation.
    pub fn check_usable(&self, weight_bytes: usize) -> Result<(), StoreError> {
        let invalid = |why: String| Err(StoreError::Manifest(why));
        let features = &self.features;
        if features.sample_rate != TARGET_RATE {
            return invalid(format!(
                "its features are for audio at {} Hz, but sonogan resamples every clip to {TARGET_RATE} Hz",
                features.sample_rate
            ));
        }
        features
            .validate()
            .map_err(|e| StoreError::Manifest(format!("its feature settings: {e}")))?;
        if features.hop_length > features.n_fft {
            return invalid(format!(
                "its feature hop_length {} is longer than its window n_fft {}",
                features.hop_length, features.n_fft
            ));
        }
        self.model
            .validate()
            .map_err(|e| StoreError::Manifest(e.to_string()))?;
        let settings = self.model.settings();
        let feature_width = features.n_mels.checked_mul(features.frames);
        if feature_width != Some(settings.input_dim()) {
            return invalid(format!(
                "the model takes vectors of {} values but its features give n_mels × frames = {} × {}",
                settings.input_dim(),
                features.n_mels,
                features.frames
            ));
        }
        let needed = settings.min_weight_values();
        let stored = weight_bytes as u128 / 4;
        if needed > stored {
            return invalid(format!(
                "its {} architecture has at least {needed} weights but the file stores at most {stored}",
                self.kind()
            ));
        }
        Ok(())
    }

    /// The model kind.
    pub fn kind(&self) -> ModelKind {
        self.model.kind()
    }

    /// Serialises to UTF-8 JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, StoreError> {
        serde_json::to_vec_pretty(self).map_err(|e| StoreError::Manifest(e.to_string()))
    }

    /// Parses the manifest JSON, first checking the model kind so that an unknown kind gets its
    /// own message rather than a generic parse error.
    pub fn from_json(bytes: &[u8]) -> Result<Self, StoreError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| StoreError::Manifest(format!("not UTF-8: {e}")))?;
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| StoreError::Manifest(format!("not valid JSON: {e}")))?;
        let kind = value
            .get("model")
            .and_then(|m| m.get("kind"))
            .and_then(|k| k.as_str());
        match kind {
            None => return Err(StoreError::Manifest("the model kind is missing".into())),
            Some(name) => {
                name.parse::<ModelKind>()
                    .map_err(|_| StoreError::UnknownKind(name.to_string()))?;
            }
        }
        serde_json::from_value(value).map_err(|e| StoreError::Manifest(e.to_string()))
    }
}
