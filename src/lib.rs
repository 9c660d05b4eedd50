//! sonogan: anomalous machine sound detection.
//!
//! The modules follow the data flow: `audio` (decode, down-mix, resample) → `features`
//! (librosa-exact log-Mel, frame stacking) → `data` (data set layouts, splits, built-in synthetic
//! machine sounds) → `models` (DCASE AE, GANomaly, Skip-GANomaly, EGBAD on burn) → `train`
//! (the step-wise trainer) → `store` (the model file) → `eval` (scoring, per-ID tables) and
//! `metrics` (sklearn-exact ROC / AUC / pAUC) → `report` (plots and tables as SVG / HTML strings
//! and RGBA pixels) → `cli` (native) and `web` (wasm).
//! Section references (§) point to `docs/DESIGN.md`.

pub mod audio;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod data;
pub mod device;
pub mod eval;
pub mod features;
pub mod metrics;
pub mod models;
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod runtime;
pub mod store;
pub mod train;
pub mod web;
