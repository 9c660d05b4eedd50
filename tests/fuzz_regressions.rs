//! The fuzz targets' checks (fuzz/harness/, README "Fuzzing") on every committed input: the seed
//! corpus fuzz/corpus/<target>/ and the minimised inputs of past findings
//! tests/fixtures/fuzz/<target>/. Each input must give Ok or an error with a message, never a
//! panic, exactly as under the fuzzer; running them here keeps the harnesses compiling and their
//! assertions true in the normal `cargo test`, without the nightly fuzz build.

use std::path::{Path, PathBuf};

#[path = "../fuzz/harness/audio_features.rs"]
mod audio_features;
#[path = "../fuzz/harness/dataset_names.rs"]
mod dataset_names;
#[path = "../fuzz/harness/model_file.rs"]
mod model_file;
#[path = "../fuzz/harness/scores_csv.rs"]
mod scores_csv;
#[path = "../fuzz/harness/wav_decode.rs"]
mod wav_decode;

/// The committed inputs of one target, sorted; the seed corpus must not be empty.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut seeds = 0;
    for dir in [
        root.join("fuzz/corpus").join(target),
        root.join("tests/fixtures/fuzz").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("list inputs").path();
            if path.is_file() {
                seeds += usize::from(dir.ends_with(Path::new("corpus").join(target)));
                files.push(path);
            }
        }
    }
    assert!(
        seeds > 0,
        "no seed inputs for {target} under fuzz/corpus/{target}/"
    );
    files.sort();
    files
}

/// Runs `check` on every input of `target`; fails naming each input that panicked.
fn run_all(target: &str, check: fn(&[u8])) {
    let failed: Vec<String> = inputs(target)
        .into_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).expect("read input");
            std::panic::catch_unwind(|| check(&bytes)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: these inputs panic: {failed:?}"
    );
}

#[test]
fn wav_decode_inputs_decode_or_are_refused() {
    run_all("wav_decode", wav_decode::check);
}

#[test]
fn audio_features_inputs_give_features_or_are_refused() {
    run_all("audio_features", audio_features::check);
}

#[test]
fn model_file_inputs_load_or_are_refused() {
    run_all("model_file", model_file::check);
}

#[test]
fn dataset_names_inputs_build_a_data_set_or_are_refused() {
    run_all("dataset_names", dataset_names::check);
}

#[test]
fn scores_csv_inputs_parse_or_are_refused() {
    run_all("scores_csv", scores_csv::check);
}

// Findings of the fuzz runs (README "Fuzzing"), each pinned to its error as well as to
// "no panic" above.

/// A float WAV's 32-bit header and data chunk, for the overflow cases.
fn float_wav(channels: u16, rate: u32, samples: &[f32]) -> Vec<u8> {
    let data: Vec<u8> = samples.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt \x10\x00\x00\x00\x03\x00");
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 4 * u32::from(channels)).to_le_bytes());
    out.extend_from_slice(&(4 * channels).to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    out
}

fn overflow_message(result: Result<sonogan::audio::Clip, sonogan::audio::AudioError>) -> String {
    match result {
        Ok(clip) => panic!("decoded to {} samples", clip.samples.len()),
        Err(e) => {
            assert!(
                matches!(e.kind, sonogan::audio::AudioErrorKind::Overflow { .. }),
                "{e}"
            );
            e.to_string()
        }
    }
}

/// wav_decode, 2026-12-03: float samples near 1e37 are finite, so they passed the per-sample
/// check, but the FFT resampler's sums overflowed and `decode_wav` returned infinities. (Since
/// the next finding they are refused before resampling.)
#[test]
fn float_samples_that_overflow_the_resampler_are_refused() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz/wav_decode/float32_stereo_resample_overflow.wav");
    let bytes = std::fs::read(path).expect("fixture");
    let opts = sonogan::audio::DecodeOptions::default();
    let message = overflow_message(sonogan::audio::decode_wav("x.wav", &bytes, &opts));
    assert!(
        message.starts_with("x.wav: samples too large: ")
            && message.contains("resampling from 48000 Hz to 16000 Hz"),
        "{message}"
    );
}

/// wav_decode and audio_features, 2026-12-03 (after the fix above): finite float samples near
/// 1e38 made the resampler's forward FFT overflow, and rubato panicked on the NaN spectrum
/// ("Imaginary part of first value was non-zero"). Samples beyond 1e20 are now refused before
/// resampling.
#[test]
fn float_samples_that_would_overflow_the_resampler_fft_are_refused_before_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for fixture in [
        "wav_decode/float32_stereo_rubato_panic.wav",
        "audio_features/float_rubato_panic.wav",
    ] {
        let bytes = std::fs::read(root.join(fixture)).expect("fixture");
        let opts = sonogan::audio::DecodeOptions::default();
        let message = overflow_message(sonogan::audio::decode_wav("x.wav", &bytes, &opts));
        assert!(
            message.contains("beyond the 1e20 that resampling from"),
            "{fixture}: {message}"
        );
    }
}

/// The same overflow in the mean down-mix: two finite samples whose sum is beyond f32.
#[test]
fn float_samples_whose_channel_mean_overflows_are_refused() {
    let bytes = float_wav(2, 16_000, &[0.0, 0.0, 3e38, 3e38, 0.1, 0.1]);
    let opts = sonogan::audio::DecodeOptions::default();
    let message = overflow_message(sonogan::audio::decode_wav("x.wav", &bytes, &opts));
    assert!(
        message.contains("the mean of the 2 channels overflows f32 at frame 1"),
        "{message}"
    );
    let picked = sonogan::audio::DecodeOptions { channel: Some(1) };
    let clip = sonogan::audio::decode_wav("x.wav", &bytes, &picked).expect("one channel is finite");
    assert_eq!(clip.samples, vec![0.0, 3e38, 0.1]);
    let channels = vec![vec![0.0, 3e38], vec![0.0, 3e38]];
    let message = overflow_message(sonogan::audio::clip_from_channels(
        "web", &channels, 16_000, &opts,
    ));
    assert!(message.starts_with("web: samples too large"), "{message}");
}

/// This process's resident memory in kB (Linux).
#[cfg(target_os = "linux")]
fn resident_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .expect("VmRSS line")
}

/// model_file, 2026-12-03: every `store::load` kept its networks' construction graph in burn's
/// autodiff state (swept only after a backward pass), ~50 KB per tiny model, until the fuzzer
/// ran out of memory. 3000 loads used to grow the process by ~150 MB; the bound leaves room for
/// the other tests of this binary running alongside.
#[cfg(target_os = "linux")]
#[test]
fn loading_a_model_file_again_and_again_does_not_grow_memory() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/model_file/tiny-ae.sonogan");
    let bytes = std::fs::read(path).expect("seed model");
    let device = burn::tensor::Device::flex();
    let load = || sonogan::store::load(&bytes, &device).expect("seed model loads");
    for _ in 0..100 {
        load();
    }
    let before = resident_kb();
    for _ in 0..3000 {
        load();
    }
    let grown = resident_kb().saturating_sub(before);
    assert!(grown < 40_000, "3000 loads grew the process by {grown} kB");
}
