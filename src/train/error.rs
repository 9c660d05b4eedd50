//! What can stop a training run.

use burn::tensor::TensorData;

use crate::models::{ModelError, ModelKind};

/// Errors of training and scoring.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A training setting out of range.
    #[error("invalid training configuration: {0}")]
    InvalidConfig(String),
    /// Malformed input vectors (the message names the clip).
    #[error("invalid training data: {0}")]
    InvalidData(String),
    /// A missing or unknown machine ID for a detector conditioned on it (docs/DESIGN.md §12.3).
    #[error("machine ID: {0}")]
    MachineId(String),
    /// No vectors to train on.
    #[error("no training data: {0}")]
    NoData(String),
    /// Too few vectors for one batch of two (BatchNorm needs at least two).
    #[error(
        "too few training vectors: {available} remain after holding out {held_out} for validation, \
         at least {needed} are needed for one batch (BatchNorm needs two vectors)"
    )]
    TooFewVectors {
        /// Vectors left for training.
        available: usize,
        /// Vectors held out.
        held_out: usize,
        /// The minimum.
        needed: usize,
    },
    /// The data's vector length differs from the model's input size.
    #[error("the training vectors have {data} dimensions but the {model} model expects {expected}")]
    DimensionMismatch {
        /// The model kind.
        model: ModelKind,
        /// The data's vector length.
        data: usize,
        /// The model's input size.
        expected: usize,
    },
    /// The run was cancelled through its [`super::CancelToken`].
    #[error("training cancelled during epoch {epoch} after {steps} steps")]
    Cancelled {
        /// 1-based epoch that was running.
        epoch: usize,
        /// Steps completed in total.
        steps: usize,
    },
    /// A loss became NaN or infinite; the run cannot produce a model.
    #[error(
        "training diverged: the {model} loss '{network}' read at step {step} is {value}; \
         lower the learning rate or check the input features"
    )]
    Diverged {
        /// The model kind.
        model: ModelKind,
        /// The loss name (a network such as "G" or "D", or a component).
        network: String,
        /// 1-based global step at which the loss was read.
        step: usize,
        /// The non-finite value.
        value: f32,
    },
    /// A model was requested from a run that has not completed all its epochs.
    #[error("training is not finished: {epochs_done} of {epochs} epochs done")]
    Unfinished {
        /// Completed epochs.
        epochs_done: usize,
        /// Configured epochs.
        epochs: usize,
    },
    /// Reading values back from the device failed.
    #[error("reading from the device failed: {0}")]
    Read(String),
    /// The model refused a batch or a scoring input.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// The `f32` values of downloaded tensor data; `read` is the download's result, whose error
/// becomes [`TrainError::Read`].
pub(super) fn f32_values<E: std::fmt::Debug>(
    read: Result<TensorData, E>,
) -> Result<Vec<f32>, TrainError> {
    read.map_err(read_failure)?
        .try_into_vec_as::<f32>()
        .map_err(read_failure)
}

fn read_failure(error: impl std::fmt::Debug) -> TrainError {
    TrainError::Read(format!("{error:?}"))
}
