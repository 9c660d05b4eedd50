//! The outcome of a finished run: what the model file records about training, and the
//! normal clip scores its default threshold is derived from.

use super::scoring::{RowIds, range_means, score_rows};
use super::{TrainError, Trainer};
use crate::models::Detector;
use crate::store::ScoreSource;

/// At least this many validation clips are needed to take normal scores from them; below it the
/// training clips are scored instead.
pub const MIN_VALIDATION_CLIPS: usize = 3;

/// Clip scores of normal data after training, with their source.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NormalScores {
    /// One score per clip: the mean of that clip's (held-out) vector scores.
    pub clip_scores: Vec<f64>,
    /// Validation clips, or training clips as a fallback.
    pub source: ScoreSource,
}

/// Everything about a finished run that the model file keeps.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainedSummary {
    /// Epochs completed.
    pub epochs_run: usize,
    /// Steps completed.
    pub steps: usize,
    /// Steps per epoch.
    pub steps_per_epoch: usize,
    /// Vectors per batch.
    pub batch_size: usize,
    /// Seed of the batch order.
    pub seed: u64,
    /// The learning rate of the detector's optimisers (`None` for a detector without one).
    pub learning_rate: Option<f64>,
    /// Fraction held out for validation.
    pub validation_split: f64,
    /// The losses read last.
    pub final_losses: Vec<(String, f32)>,
    /// Mean held-out score after each epoch.
    pub validation_losses: Vec<f64>,
    /// Vectors trained on.
    pub train_vectors: usize,
    /// Vectors held out.
    pub validation_vectors: usize,
    /// Clips the vectors came from.
    pub clip_count: usize,
    /// FNV-1a 64 of the training vectors ([`super::TrainingData::content_hash`]).
    pub content_hash: u64,
    /// Normal clip scores of the trained model.
    pub normal_scores: NormalScores,
    /// Wall-clock seconds of the run.
    pub elapsed_seconds: f64,
}

impl Trainer {
    /// Summarises a finished run, scoring normal clips: the validation clips (held-out vectors
    /// grouped by clip, scored at the last epoch end) when there are at least three, else every
    /// training clip. Errors when the run was cancelled, diverged or has epochs left.
    pub async fn summary(&self) -> Result<TrainedSummary, TrainError> {
        self.check_complete()?;
        let normal = match self.validation_normal_scores() {
            Some(scores) => scores,
            None => {
                let trained = 0..self.data.train_len();
                let ids = self.data.ids(trained.clone());
                let chunk = self.config.score_chunk;
                let scores = score_rows(
                    self.detector(),
                    &self.data,
                    trained,
                    RowIds::PerRow(&ids),
                    chunk,
                )
                .await?;
                self.training_normal_scores(&scores)
            }
        };
        Ok(self.summarise(normal))
    }

    /// Hands over the trained detector. Errors like [`Trainer::summary`]: a cancelled, diverged
    /// or unfinished run yields no model.
    pub fn into_detector(self) -> Result<Box<dyn Detector>, TrainError> {
        self.check_complete()?;
        Ok(self.detector)
    }

    /// Clip scores of the validation clips from the last epoch's held-out scores, when there
    /// are at least [`MIN_VALIDATION_CLIPS`] of them.
    fn validation_normal_scores(&self) -> Option<NormalScores> {
        let scores = self.validation_scores.as_ref()?;
        let ranges = self.data.validation_clip_ranges();
        (ranges.len() >= MIN_VALIDATION_CLIPS).then(|| NormalScores {
            clip_scores: range_means(scores, &ranges),
            source: ScoreSource::Validation,
        })
    }

    /// Clip scores of the training clips from the per-vector scores of the trained-on vectors.
    fn training_normal_scores(&self, scores: &[f32]) -> NormalScores {
        NormalScores {
            clip_scores: range_means(scores, &self.data.training_clip_ranges()),
            source: ScoreSource::Train,
        }
    }

    fn summarise(&self, normal_scores: NormalScores) -> TrainedSummary {
        TrainedSummary {
            epochs_run: self.epochs_done,
            steps: self.steps_done,
            steps_per_epoch: self.steps_per_epoch,
            batch_size: self.config.batch_size,
            seed: self.config.seed,
            learning_rate: self.detector.config().learning_rate(),
            validation_split: self.config.validation_split,
            final_losses: self.last_losses.clone(),
            validation_losses: self.validation_losses.clone(),
            train_vectors: self.data.train_len(),
            validation_vectors: self.data.validation_len(),
            clip_count: self.data.clip_count(),
            content_hash: self.data.content_hash(),
            normal_scores,
            elapsed_seconds: self.clock.elapsed_seconds(),
        }
    }
}
