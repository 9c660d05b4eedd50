//! The detectors (docs/DESIGN.md §1.6, §3.7, §4.6, §5.5) on shared building blocks, one file each,
//! listed once in the registry (`registry.rs`).
//!
//! Every detector implements [`Detector`], the one seam the trainer, the model file and the
//! evaluation code see. A detector owns its networks *and* their optimisers (one Adam per
//! network, docs/DESIGN.md §2), so one call to [`Detector::train_step`] performs every update of one
//! iteration in the order the design prescribes (docs/DESIGN.md §7).
//!
//! Device rules (they keep the same code valid on flex, WebGPU, Vulkan and CUDA):
//! - nothing in [`Detector::train_step`] or [`Detector::score`] reads a tensor back to the host;
//!   losses come back as device tensors ([`StepLosses`]) that the trainer reads when it wants
//!   (asynchronously in the browser, every step natively);
//! - decisions that need a loss value (the discriminator re-initialisation of GANomaly and
//!   Skip-GANomaly, docs/DESIGN.md §3.2/§4.2) happen in [`Detector::on_losses_read`], which the trainer
//!   calls with the values it read. Natively the trainer reads every step, so this is the
//!   design's per-step check; in the browser it is checked at each (less frequent) read.
//!   This is a documented deviation forced by asynchronous reads.
//! - all randomness (initialisation, latent noise, dropout masks) comes from a ChaCha8 stream
//!   seeded by the constructor's `seed`, never from the device's global generator, so the same
//!   seed gives bit-identical results run to run on the same backend.

pub mod ae;
pub mod blocks;
mod common;
mod config;
pub mod egbad;
mod ema;
pub mod ganomaly;
pub mod gaussian;
pub mod gmade;
pub mod gmm;
mod host_bridge;
mod host_mlp;
mod kmeans;
mod linalg;
pub mod made;
pub mod mahalanobis;
pub mod mixture;
pub mod nets;
mod optim;
mod registry;
mod settings;
pub mod skip_ganomaly;
mod weights;

use burn::tensor::{Device, Tensor};

pub use ae::AeConfig;
pub use config::DetectorConfig;
pub use egbad::EgbadConfig;
pub use ganomaly::GanomalyConfig;
pub use gmade::GmadeConfig;
pub use gmm::GmmConfig;
pub use mahalanobis::MahalanobisConfig;
pub use registry::{KindInfo, ModelConfig, ModelKind, REGISTRY, Training, new_detector};
pub use settings::{AdamFlavour, AdamSettings, BatchNormSettings, InitScheme};
pub use skip_ganomaly::SkipGanomalyConfig;
pub use weights::WeightSnapshot;

/// Errors of model construction, training, scoring and weight (de)serialisation.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// A model kind name that is in no row of the registry.
    #[error("unknown model kind '{0}' (expected one of: {names})", names = ModelKind::names())]
    UnknownKind(String),
    /// A hyper-parameter outside its valid range.
    #[error("invalid {kind} configuration: {problem}")]
    InvalidConfig {
        /// The model kind whose configuration is wrong.
        kind: ModelKind,
        /// What is wrong.
        problem: String,
    },
    /// `train_step` received the wrong number of batches.
    #[error("{kind} needs {expected} batch(es) per training step, got {got}")]
    BatchCount {
        /// The model kind.
        kind: ModelKind,
        /// [`Detector::batches_per_step`].
        expected: usize,
        /// What was passed.
        got: usize,
    },
    /// An input whose shape does not fit the model.
    #[error("input of shape {got:?} does not fit the model: expected [n ≥ {min_rows}, {dim}]")]
    InputShape {
        /// The shape that was passed.
        got: [usize; 2],
        /// The expected vector dimension.
        dim: usize,
        /// The smallest accepted number of rows.
        min_rows: usize,
    },
    /// A network name the model does not have.
    #[error("{kind} has no network named '{name}' (it has {known})")]
    UnknownNetwork {
        /// The model kind.
        kind: ModelKind,
        /// The requested name.
        name: String,
        /// The names it has, comma-separated.
        known: String,
    },
    /// Weight bytes that are corrupt, truncated, or do not match the model's architecture.
    #[error("weights: {0}")]
    Weights(String),
    /// A training entry point of the other [`Training`] kind was called.
    #[error("{kind} does not support {call} (see its registry row's training kind)")]
    WrongTraining {
        /// The model kind.
        kind: ModelKind,
        /// The entry point that was called.
        call: &'static str,
    },
    /// A fit whose statistics cannot be used (e.g. a covariance that is not positive definite).
    #[error("{kind}: {problem}")]
    Fit {
        /// The model kind.
        kind: ModelKind,
        /// What went wrong.
        problem: String,
    },
    /// Reading tensor values back from the device failed.
    #[error("reading tensors from the device failed: {0}")]
    Read(String),
}

/// One training step's losses as `(name, scalar tensor)` pairs, still on the device.
///
/// The trainer reads them when it wants to (an awaited read; every `loss_read_every` steps, which
/// is every step natively) and hands the values back through [`Detector::on_losses_read`]. The tensors are
/// detached from the autodiff graph and live on the model's plain (non-autodiff) device, shape
/// `[1]`. The first pair is the headline loss of the model; names of whole-network losses are
/// the network names (`"G"`, `"D"`, `"E"`), components use `"G.con"`-style names.
pub type StepLosses = Vec<(String, Tensor<1>)>;

/// A callback that [`Detector::train_step_observed`] invokes right after each network update
/// with the name of the network(s) just updated (e.g. `"G"`, `"D"`, `"G+E"`) and the model.
pub type StepObserver<'a> = dyn FnMut(&str, &dyn Detector) + 'a;

/// What a [`Training::Passes`] detector reports at the end of a pass.
#[derive(Debug, Clone, PartialEq)]
pub struct PassEnd {
    /// True when the fit is complete (no further pass wanted).
    pub done: bool,
    /// Statistics of the pass for progress displays, e.g. `("log-likelihood", -812.5)`; a
    /// non-finite value stops the run as diverged.
    pub statistics: Vec<(String, f32)>,
}

/// The interface every anomaly detector offers.
///
/// Inputs are `[n, input_dim]` tensors of raw log-Mel vectors (docs/DESIGN.md §1.4, §10.12) on the
/// model's device (plain or autodiff; the model converts). Nothing here reads tensors back to
/// the host except [`Detector::save_weights`] and [`Detector::parameter_values`], which are
/// synchronous and therefore native-only on WebGPU (use [`Detector::weights`] and
/// [`WeightSnapshot::into_bytes_async`] in the browser).
pub trait Detector: Send {
    /// Which detector this is.
    fn kind(&self) -> ModelKind;

    /// The configuration this model was built with (stored with the model file).
    fn config(&self) -> ModelConfig;

    /// The plain (non-autodiff) device the model lives on; create batches here.
    fn device(&self) -> Device;

    /// How many batches one training step consumes: 1, or 2 for EGBAD, whose D step and G/E
    /// step use batches from two independent permutations (docs/DESIGN.md §5.3).
    fn batches_per_step(&self) -> usize {
        1
    }

    /// The named parameter groups: the networks that have their own optimiser (e.g. `["G",
    /// "D"]`), or a density model's fitted statistics (e.g. `["gaussian"]`).
    fn network_names(&self) -> &'static [&'static str];

    /// One training iteration on `batches` (exactly [`Detector::batches_per_step`] of them,
    /// each with at least one row; a one-row batch is accepted like Keras' last partial batch,
    /// though BatchNorm then sees zero variance), calling `observer` after each network update
    /// (used by tests to check that an update touches only its own network). No host reads
    /// happen here, except on the flex CPU device, whose tensors are host memory: there the
    /// autoencoder's fused step copies its batch (docs/DESIGN.md §13.8).
    /// Only [`Training::Gradient`] detectors implement it; the others answer
    /// [`ModelError::WrongTraining`].
    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let _ = (batches, observer);
        Err(ModelError::WrongTraining {
            kind: self.kind(),
            call: "train_step",
        })
    }

    /// One training iteration (see [`Detector::train_step_observed`]).
    fn train_step(&mut self, batches: &[Tensor<2>]) -> Result<StepLosses, ModelError> {
        self.train_step_observed(batches, &mut |_, _| {})
    }

    /// Called by the trainer with loss values it has read (names as in [`StepLosses`]).
    /// GANomaly and Skip-GANomaly re-initialise D here when the read `"D"` loss is below the
    /// configured threshold (1e-5, docs/DESIGN.md §3.2/§4.2); the others ignore it.
    fn on_losses_read(&mut self, losses: &[(String, f32)]) {
        let _ = losses;
    }

    /// The most passes over the training vectors a [`Training::Passes`] detector makes (0 for
    /// gradient-trained ones); it may finish earlier ([`PassEnd::done`]).
    fn max_passes(&self) -> usize {
        0
    }

    /// Accumulates one batch of the current pass (row-major `rows`, `input_width` wide, in file
    /// order; docs/DESIGN.md §11, §12.3). Only [`Training::Passes`] detectors implement it.
    fn fit_batch(&mut self, rows: &[f32]) -> Result<(), ModelError> {
        let _ = rows;
        Err(ModelError::WrongTraining {
            kind: self.kind(),
            call: "fit_batch",
        })
    }

    /// Closes the current pass: updates the model from what the pass accumulated and says
    /// whether another pass is needed. Only [`Training::Passes`] detectors implement it.
    fn end_pass(&mut self) -> Result<PassEnd, ModelError> {
        Err(ModelError::WrongTraining {
            kind: self.kind(),
            call: "end_pass",
        })
    }

    /// Per-vector anomaly scores `[n]` of `x` (`[n, input_dim]`), computed in inference mode
    /// (BatchNorm running statistics, no dropout; EMA weights for EGBAD). Higher = more anomalous.
    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError>;

    /// All weights (every network, BatchNorm running statistics included, EMA copies for
    /// EGBAD) as a snapshot that is read from the device only when serialised.
    fn weights(&self) -> WeightSnapshot;

    /// Replaces all weights by the ones in `bytes` (from [`Detector::save_weights`]). Fails,
    /// leaving the model unchanged, when the bytes are corrupt or do not fit the architecture.
    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError>;

    /// Serialises all weights (a synchronous device read).
    fn save_weights(&self) -> Result<Vec<u8>, ModelError> {
        self.weights().into_bytes()
    }

    /// The trainable parameters of one network (a name from [`Detector::network_names`], or
    /// `"<name>_ema"` for EGBAD's averaged copies), flattened in a fixed order. BatchNorm
    /// running statistics are not included. A synchronous device read, for tests and tools.
    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError>;
}

/// Checks that `x` is `[n ≥ min_rows, dim]` (shape metadata only, no device read).
pub(crate) fn check_input(x: &Tensor<2>, dim: usize, min_rows: usize) -> Result<(), ModelError> {
    let [rows, cols] = x.dims();
    match cols == dim && rows >= min_rows {
        true => Ok(()),
        false => Err(ModelError::InputShape {
            got: [rows, cols],
            dim,
            min_rows,
        }),
    }
}

/// A per-purpose seed derived from the model seed (FNV-1a over the seed and a label), so each
/// network has its own independent, reproducible stream.
pub(crate) fn derive_seed(seed: u64, label: &str) -> u64 {
    seed.to_le_bytes()
        .iter()
        .chain(label.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

/// The error for a network name a model does not have.
pub(crate) fn unknown_network(kind: ModelKind, name: &str, known: &[&str]) -> ModelError {
    ModelError::UnknownNetwork {
        kind,
        name: name.to_string(),
        known: known.join(", "),
    }
}

/// Training inputs: the batch moved to the model's plain device, then onto autodiff.
pub(crate) fn training_input(batch: &Tensor<2>, plain: &Device) -> Tensor<2> {
    batch.clone().to_device(plain).autodiff()
}
