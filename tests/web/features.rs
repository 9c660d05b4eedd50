//! Log-Mel features computed in the browser against the librosa fixtures that
//! `tools/librosa_fixtures.py` wrote (docs/DESIGN.md §1.3), embedded at compile time (no file system in
//! wasm). Same bar as the native `tests/features.rs`: max |Δ| ≤ 0.01 dB over every bin within
//! 80 dB of the clip's maximum.

use sonogan::features::{FeatureConfig, FeatureExtractor, npy};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::librosa_bar::{RANGE_DB, TOLERANCE_DB, custom_config, max_error_db};

/// `(name, input NPY, librosa log-Mel NPY)` of one fixture signal.
type Fixture = (&'static str, &'static [u8], &'static [u8]);

macro_rules! fixture_file {
    ($file:expr) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/features/",
            $file
        ))
        .as_slice()
    };
}

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            fixture_file!(concat!($name, "_input.npy")),
            fixture_file!(concat!($name, "_logmel.npy")),
        )
    };
}

/// Every signal of the fixture script, with the default configuration.
const FIXTURES: [Fixture; 8] = [
    fixture!("chirp"),
    fixture!("tone"),
    fixture!("noise"),
    fixture!("quiet"),
    fixture!("odd_length"),
    fixture!("multiple_of_hop"),
    fixture!("min_one_vector"),
    fixture!("short"),
];

fn parse(name: &str, bytes: &[u8]) -> npy::NpyArray {
    npy::read_f32(bytes).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

#[wasm_bindgen_test]
fn log_mel_in_wasm_matches_librosa_on_every_fixture() {
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    for (name, input, logmel) in FIXTURES {
        let input = parse(name, input);
        let reference = parse(name, logmel);
        let spectrogram = extractor.log_mel(&input.data);
        assert_eq!(
            vec![spectrogram.n_mels, spectrogram.n_frames],
            reference.shape,
            "{name}: shape"
        );
        let error = max_error_db(&spectrogram.data, &reference.data);
        console_log!("features {name}: max |Δ| = {error:.2e} dB");
        assert!(error <= TOLERANCE_DB, "{name}: max |Δ| = {error} dB");
    }
}

#[wasm_bindgen_test]
fn non_default_feature_config_in_wasm_matches_librosa() {
    let config = custom_config();
    let input = parse("chirp", fixture_file!("chirp_input.npy"));
    let reference = parse("chirp_custom", fixture_file!("chirp_custom_logmel.npy"));
    let spectrogram = FeatureExtractor::new(config).log_mel(&input.data);
    assert_eq!(
        vec![spectrogram.n_mels, spectrogram.n_frames],
        reference.shape
    );
    let error = max_error_db(&spectrogram.data, &reference.data);
    console_log!("features chirp (custom config): max |Δ| = {error:.2e} dB");
    assert!(error <= TOLERANCE_DB, "max |Δ| = {error} dB");
}

#[wasm_bindgen_test]
fn stacked_vectors_in_wasm_are_librosa_frames_frame_major() {
    let (name, input, logmel) = FIXTURES[0];
    let input = parse(name, input);
    let reference = parse(name, logmel);
    let n_frames = reference.shape[1];
    let vectors = FeatureExtractor::new(FeatureConfig::default())
        .vectors(name, &input.data)
        .expect("vectors of the chirp");
    assert_eq!((vectors.dim, vectors.len()), (640, n_frames - 4));
    let top = reference.data.iter().copied().fold(f32::MIN, f32::max);
    for t in [0, vectors.len() / 2, vectors.len() - 1] {
        for j in 0..5 {
            for m in 0..128 {
                let expected = reference.data[m * n_frames + t + j];
                let got = vectors.row(t)[128 * j + m];
                if expected >= top - RANGE_DB {
                    assert!(
                        (got - expected).abs() <= TOLERANCE_DB,
                        "row {t}, frame {j}, mel {m}: {got} vs {expected}"
                    );
                }
            }
        }
    }
}
