//! Built-in synthetic machine sounds: the zero-download demo data and the test data.
//! Deterministic from a seed.

use crate::data::Label;

/// Options of a synthetic data set in DCASE dev layout.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynthConfig {
    /// Machine types, e.g. ["fan", "pump", "slider", "valve"].
    pub types: Vec<String>,
    /// Machine IDs, e.g. ["id_00", "id_02"]; empty = the type's default IDs.
    pub ids: Vec<String>,
    pub train_per_id: usize,
    pub test_normal_per_id: usize,
    pub test_anomaly_per_id: usize,
    pub secs: f32,
    pub seed: u64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            types: vec!["fan".into(), "pump".into(), "slider".into(), "valve".into()],
            ids: vec![],
            train_per_id: 20,
            test_normal_per_id: 10,
            test_anomaly_per_id: 10,
            secs: 10.0,
            seed: 0,
        }
    }
}

/// One generated clip: its DCASE relative path and 16 kHz mono samples.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthClip {
    pub entry: crate::data::ClipEntry,
    pub samples: Vec<f32>,
}

/// Errors of the generator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    #[error("placeholder")]
    Placeholder,
}

/// Generate one clip of `machine_type`/`machine_id`; `index` varies the clip; `label` picks normal
/// or a fault (the fault kind is chosen from `index` and the seed).
pub fn generate_clip(machine_type: &str, machine_id: &str, label: Label, index: usize, secs: f32, seed: u64) -> Result<Vec<f32>, SynthError> {
    let _ = (machine_type, machine_id, label, index, secs, seed);
    todo!()
}

/// Generate a whole data set in memory (DCASE dev layout paths).
pub fn generate(config: &SynthConfig) -> Result<Vec<SynthClip>, SynthError> {
    let _ = config;
    todo!()
}

/// Write a data set as 16-bit WAVs in DCASE dev layout under `out` (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_dcase(out: &std::path::Path, config: &SynthConfig) -> Result<usize, SynthError> {
    let _ = (out, config);
    todo!()
}
