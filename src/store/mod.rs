//! The model file: weights plus a JSON manifest in one container, the same bytes for the CLI
//! and the web page (see [`container`] for the layout).
//!
//! Loading checks, in order: the magic (is it a model file?), the format version (is it from a
//! newer sonogan?), the section lengths (is it truncated?), the checksum (is it corrupted?), the
//! manifest (is the model kind known, are its feature settings valid for 16-kHz audio and as wide
//! as the model input, is every architecture size within its bound and does the weights section
//! have room for it? — all before any network is built) and the weights (do their shapes fit the
//! architecture?).

pub mod container;
pub mod gamma;
mod manifest;
pub mod threshold;

use burn::tensor::Device;

pub use container::{FORMAT_VERSION, Fnv1a64, MAGIC, fnv1a_64};
pub use gamma::Gamma;
pub use manifest::{DataDescription, DataSummary, Manifest, TrainingRecord};
pub use threshold::{
    DEFAULT_THRESHOLD_QUANTILE, DecisionThreshold, NormalScoreStats, ScoreSource, ThresholdMethod,
};

use crate::models::{Detector, ModelKind, new_detector};

/// Errors of writing and reading model files.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The bytes do not start with the model file magic.
    #[error("not a sonogan model file (the file does not start with \"SONOGAN\")")]
    NotAModel,
    /// Fewer bytes than the header announces.
    #[error("the model file is truncated: it needs {expected} bytes but has {actual}")]
    Truncated {
        /// Bytes the header announces.
        expected: u64,
        /// Bytes present.
        actual: u64,
    },
    /// Written by a newer sonogan with a format this build cannot read.
    #[error(
        "the model file has format version {found}; this sonogan reads up to version {supported}, please update"
    )]
    NewerVersion {
        /// The file's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Checksum mismatch or trailing garbage.
    #[error("the model file is corrupted: {0}")]
    Corrupted(String),
    /// The manifest cannot be read or written.
    #[error("the model manifest is invalid: {0}")]
    Manifest(String),
    /// A model kind this build does not know.
    #[error("unknown model kind '{0}' (this sonogan knows {known})", known = ModelKind::names())]
    UnknownKind(String),
    /// The manifest describes another kind of model than the detector being saved.
    #[error("the manifest describes a {manifest} model but the detector is a {detector} model")]
    KindMismatch {
        /// Kind in the manifest.
        manifest: ModelKind,
        /// Kind of the detector.
        detector: ModelKind,
    },
    /// The weights do not fit the architecture, or the model could not be built.
    #[error("the {kind} weights cannot be loaded: {message}")]
    Weights {
        /// The model kind.
        kind: ModelKind,
        /// What went wrong.
        message: String,
    },
    /// A file-system error.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// An error about the contents of a named file.
    #[error("{path}: {error}")]
    InFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        error: Box<StoreError>,
    },
}

/// Checks that the manifest belongs to the detector.
fn check_kind(detector: &dyn Detector, manifest: &Manifest) -> Result<(), StoreError> {
    if manifest.kind() != detector.kind() {
        return Err(StoreError::KindMismatch {
            manifest: manifest.kind(),
            detector: detector.kind(),
        });
    }
    Ok(())
}

/// Lays out the manifest and the weights bytes as a model file.
fn assemble(manifest: &Manifest, weights: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut manifest = manifest.clone();
    manifest.format_version = FORMAT_VERSION;
    Ok(container::encode(&manifest.to_json()?, weights))
}

fn weights_error(kind: ModelKind) -> impl FnOnce(crate::models::ModelError) -> StoreError {
    move |e| StoreError::Weights {
        kind,
        message: e.to_string(),
    }
}

/// Serialises a detector and its manifest into model-file bytes. The weights are read from the
/// device asynchronously (safe on WebGPU); native code blocks on it.
pub async fn save(detector: &dyn Detector, manifest: &Manifest) -> Result<Vec<u8>, StoreError> {
    check_kind(detector, manifest)?;
    let weights = detector
        .weights()
        .into_bytes_async()
        .await
        .map_err(weights_error(detector.kind()))?;
    assemble(manifest, &weights)
}

/// Reads model-file bytes back into a detector on `device` and its manifest. Every check of
/// the module documentation applies; the weights must fit the architecture the manifest names.
pub fn load(bytes: &[u8], device: &Device) -> Result<(Box<dyn Detector>, Manifest), StoreError> {
    let sections = container::decode(bytes)?;
    let manifest = Manifest::from_json(sections.manifest)?;
    manifest.check_usable(sections.weights.len())?;
    let kind = manifest.kind();
    let built =
        new_detector(&manifest.model, device, manifest.training.seed).and_then(|mut detector| {
            detector.load_weights(sections.weights)?;
            Ok(detector)
        });
    sweep_autodiff_graph(device);
    Ok((built.map_err(weights_error(kind))?, manifest))
}

/// Frees the autodiff graph entries that building the networks left behind. burn 0.22 sweeps
/// orphaned graph nodes only at the end of a `backward()`, and a loaded model may never train:
/// without this sweep every load kept its construction graph (~50 KB for a tiny autoencoder;
/// found by fuzzing, where `model_file` ran out of memory after ~1.3 million loads). A
/// backward pass over one fresh value is the cheapest way to trigger burn's sweep.
fn sweep_autodiff_graph(device: &Device) {
    let probe =
        burn::tensor::Tensor::<1>::from_floats([0.0f32], &device.clone().inner().autodiff())
            .require_grad();
    let _ = probe.sum().backward();
}

/// Writes a model file; errors name the file.
#[cfg(not(target_arch = "wasm32"))]
pub fn save_file(
    path: impl AsRef<std::path::Path>,
    detector: &dyn Detector,
    manifest: &Manifest,
) -> Result<(), StoreError> {
    let path = path.as_ref();
    let bytes = crate::runtime::block_on(save(detector, manifest)).map_err(|e| in_file(path, e))?;
    std::fs::write(path, bytes).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Reads a model file; errors name the file.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_file(
    path: impl AsRef<std::path::Path>,
    device: &Device,
) -> Result<(Box<dyn Detector>, Manifest), StoreError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| StoreError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    load(&bytes, device).map_err(|e| in_file(path, e))
}

#[cfg(not(target_arch = "wasm32"))]
fn in_file(path: &std::path::Path, error: StoreError) -> StoreError {
    StoreError::InFile {
        path: path.display().to_string(),
        error: Box::new(error),
    }
}

impl StoreError {
    /// The error itself, without the file name wrapper (for matching in code and tests).
    pub fn root(&self) -> &StoreError {
        match self {
            StoreError::InFile { error, .. } => error.root(),
            other => other,
        }
    }
}
