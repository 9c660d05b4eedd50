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
