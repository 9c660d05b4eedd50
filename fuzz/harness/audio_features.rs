//! Decode → resample → features on arbitrary bytes: whatever `decode_wav` accepts goes through
//! `FeatureExtractor::frames` and `::vectors`, with the DCASE settings or with small settings
//! taken from the input's first bytes (checked by `FeatureExtractor::try_new`, as settings read
//! from a model file are). Clips longer than a few seconds after resampling are skipped: the
//! target measures parsing and bookkeeping, not long FFTs.
//!
//! Shared by `fuzz/fuzz_targets/audio_features.rs` and `tests/fuzz_regressions.rs`.

use sonogan::audio::{DecodeOptions, TARGET_RATE, decode_wav, probe_wav, resampled_len};
use sonogan::features::{FeatureConfig, FeatureExtractor};

/// Longest clip worked through, in samples at 16 kHz (4 s).
const MAX_SAMPLES: u64 = 4 * TARGET_RATE as u64;

/// One input, as the fuzz target and `tests/fuzz_regressions.rs` feed it.
pub fn check(data: &[u8]) {
    let Ok(info) = probe_wav("fuzz.wav", data) else {
        return;
    };
    if resampled_len(info.frames, info.sample_rate, TARGET_RATE) > MAX_SAMPLES {
        return;
    }
    let Ok(clip) = decode_wav("fuzz.wav", data, &DecodeOptions::default()) else {
        return;
    };
    let config = settings(data);
    let mut extractor = match FeatureExtractor::try_new(config.clone()) {
        Ok(extractor) => extractor,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    match extractor.frames(&clip.name, &clip.samples) {
        Ok(frames) => {
            assert_eq!(frames.len(), config.vector_count(clip.samples.len()));
            assert_eq!(frames.dim(), config.dims());
            assert!(frames.frame_values().iter().all(|v| v.is_finite()));
            let vectors = extractor
                .vectors(&clip.name, &clip.samples)
                .expect("vectors of a clip whose frames were computed");
            assert_eq!(vectors, frames.to_vectors());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert!(extractor.vectors(&clip.name, &clip.samples).is_err());
        }
    }
}

/// The DCASE settings when the first byte is even, otherwise small settings from the next
/// bytes (any values, valid or not: `try_new` must sort them out).
fn settings(data: &[u8]) -> FeatureConfig {
    let byte = |i: usize| usize::from(data.get(i).copied().unwrap_or(0));
    if byte(0) % 2 == 0 {
        return FeatureConfig::default();
    }
    let n_fft = (byte(1) % 12) * 64 + byte(2) % 3;
    FeatureConfig {
        n_fft,
        hop_length: byte(3) * 4,
        n_mels: byte(4) % 80,
        frames: byte(5) % 9,
        power: [2.0, 1.0, 0.5, 0.0, -1.0, f64::NAN][byte(6) % 6],
        fmin: byte(7) as f64 * 40.0,
        fmax: [8000.0, 4000.0, 8000.5, 0.0, f64::INFINITY][byte(8) % 5],
        ..FeatureConfig::default()
    }
}
