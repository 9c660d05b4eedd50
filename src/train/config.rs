//! Training hyper-parameters that belong to the loop rather than to a model (docs/DESIGN.md §1.6, §10.5).

use super::{MIN_BATCH, TrainError};
use crate::models::Detector;

/// How the trainer walks through the data. Stored in the model file with the run's outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    /// Passes over the training vectors (docs/DESIGN.md §10.5: 100 natively, small presets in the browser).
    pub epochs: usize,
    /// Vectors per batch (512, docs/DESIGN.md §1.6 / §10.5).
    pub batch_size: usize,
    /// Seed of the batch permutations (and of the detector's own randomness when it is built
    /// with the same seed).
    pub seed: u64,
    /// Fraction of the file-sorted vectors held out at the END for validation (Keras
    /// `validation_split`, docs/DESIGN.md §1.6 / §10.11): `split_at = floor(N · (1 − validation_split))`.
    pub validation_split: f64,
    /// Read (download) the losses every this many steps; they are also read at the end of each
    /// epoch. 1 reads every step (fine natively); larger values keep a GPU pipeline busy.
    pub loss_read_every: usize,
    /// Overrides the detector's learning rate(s) when set.
    pub learning_rate: Option<f64>,
    /// Vectors per forward pass when scoring (validation, thresholds).
    pub score_chunk: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 100,
            batch_size: 512,
            seed: 0,
            validation_split: 0.1,
            loss_read_every: 1,
            learning_rate: None,
            score_chunk: DEFAULT_SCORE_CHUNK,
        }
    }
}

/// Vectors per forward pass when scoring held-out or clip vectors.
pub const DEFAULT_SCORE_CHUNK: usize = 4096;

impl TrainConfig {
    /// Validates the loop settings, and that a learning-rate override reached the detector.
    pub fn check(&self, detector: &dyn Detector) -> Result<(), TrainError> {
        if self.epochs == 0 {
            return Err(TrainError::InvalidConfig(
                "epochs must be at least 1".into(),
            ));
        }
        if self.batch_size < MIN_BATCH {
            return Err(TrainError::InvalidConfig(format!(
                "batch_size must be at least {MIN_BATCH} (BatchNorm), got {}",
                self.batch_size
            )));
        }
        if self.loss_read_every == 0 || self.score_chunk == 0 {
            return Err(TrainError::InvalidConfig(
                "loss_read_every and score_chunk must be at least 1".into(),
            ));
        }
        if let Some(lr) = self.learning_rate {
            let Some(used) = detector.config().learning_rate() else {
                return Err(TrainError::InvalidConfig(format!(
                    "{} has no optimiser, so a learning rate ({lr}) does not apply",
                    detector.kind().label()
                )));
            };
            if !(lr.is_finite() && lr > 0.0) {
                return Err(TrainError::InvalidConfig(format!(
                    "learning_rate must be positive, got {lr}"
                )));
            }
            if (used - lr).abs() > 1e-12 * lr.abs() {
                return Err(TrainError::InvalidConfig(format!(
                    "the learning-rate override {lr} is not applied to the detector (it uses {used}): \
                     build the detector from TrainConfig::apply_to(model_config)"
                )));
            }
        }
        Ok(())
    }

    /// These settings for one detector of a run: a learning-rate override is dropped for a
    /// detector without an optimiser (a pass-fitted one, docs/DESIGN.md §12.3), so one run
    /// can hold every kind. The CLI's `train` refuses `--lr` for such a detector instead.
    pub fn for_model(&self, model: &crate::models::ModelConfig) -> TrainConfig {
        let mut config = self.clone();
        if model.learning_rate().is_none() {
            config.learning_rate = None;
        }
        config
    }

    /// Applies the run's overrides (the learning rate) to a model configuration; build the
    /// detector from the result. [`super::Trainer::new`] checks that this was done.
    pub fn apply_to(&self, model: &mut crate::models::ModelConfig) {
        if let Some(lr) = self.learning_rate {
            model.settings_mut().set_learning_rate(lr);
        }
    }
}
