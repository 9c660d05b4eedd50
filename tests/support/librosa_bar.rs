//! The accuracy bar of the log-Mel features against the librosa fixtures
//! (`tools/librosa_fixtures.py`), shared by the native (`tests/features.rs`) and the browser
//! (`tests/web/features.rs`) runs of the same fixtures (docs/DESIGN.md §1.3).

use sonogan::features::FeatureConfig;

/// The accuracy bar: max |Δ| in dB over bins within `RANGE_DB` of the clip's maximum.
pub const TOLERANCE_DB: f32 = 0.01;
/// Bins quieter than the maximum minus this are not compared (librosa's own float noise).
pub const RANGE_DB: f32 = 80.0;

/// Largest |ours − librosa| over the librosa bins within `RANGE_DB` of its maximum.
pub fn max_error_db(ours: &[f32], reference: &[f32]) -> f32 {
    assert_eq!(ours.len(), reference.len());
    let top = reference.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    ours.iter()
        .zip(reference)
        .filter(|&(_, &r)| r >= top - RANGE_DB)
        .map(|(o, r)| (o - r).abs())
        .fold(0.0, f32::max)
}

/// The fixture script's non-default configuration (`chirp_custom_logmel.npy`): n_fft 512, hop
/// 256, 40 mels, 50–7000 Hz, power 1 (so 20·log10).
pub fn custom_config() -> FeatureConfig {
    FeatureConfig {
        n_fft: 512,
        hop_length: 256,
        n_mels: 40,
        fmin: 50.0,
        fmax: 7000.0,
        power: 1.0,
        ..Default::default()
    }
}
