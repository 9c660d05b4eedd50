//! Crafted manifests with a valid checksum: each is refused as the model file's fault, with a
//! message naming the setting, before any network is built (docs/DESIGN.md §13.4). The first two
//! once aborted the process on a failed allocation (issue 10's fuzzing findings).

use crate::support::*;

/// The model file with `from` replaced by `to` once in its manifest, re-sealed with a valid
/// checksum.
fn with_manifest_edit(from: &str, to: &str) -> Vec<u8> {
    let (manifest, weights) = sections(&model_bytes());
    let text = String::from_utf8(manifest).expect("UTF-8 manifest");
    assert!(text.contains(from), "the manifest holds {from}:\n{text}");
    container::encode(text.replacen(from, to, 1).as_bytes(), &weights)
}

fn manifest_problem(bytes: &[u8]) -> String {
    match load_error(bytes) {
        StoreError::Manifest(problem) => problem,
        other => panic!("expected a manifest error, got {other}"),
    }
}

#[test]
fn a_huge_hidden_width_is_refused_before_allocation() {
    let problem = manifest_problem(&with_manifest_edit(
        "\"hidden_dim\": 8",
        "\"hidden_dim\": 1000000000000",
    ));
    assert!(
        problem.contains("hidden_dim") && problem.contains("1000000000000"),
        "{problem}"
    );
}

#[test]
fn a_billion_hidden_layers_are_refused_before_allocation() {
    let problem = manifest_problem(&with_manifest_edit(
        "\"hidden_layers\": 1",
        "\"hidden_layers\": 1000000000",
    ));
    assert!(problem.contains("hidden_layers"), "{problem}");
}

#[test]
fn sizes_within_bounds_but_beyond_the_stored_weights_are_refused() {
    // 4,000 hidden units need 6·4000 + 4000·2 + ... weights; the file stores a few hundred.
    let problem = manifest_problem(&with_manifest_edit(
        "\"hidden_dim\": 8",
        "\"hidden_dim\": 4000",
    ));
    assert!(
        problem.contains("at least") && problem.contains("stores at most"),
        "{problem}"
    );
}

#[test]
fn features_for_another_sample_rate_are_refused() {
    let bytes = with_manifest_edit("\"sample_rate\": 16000", "\"sample_rate\": 8000");
    let problem = manifest_problem(&bytes);
    assert!(
        problem.contains("8000 Hz") && problem.contains("16000 Hz"),
        "{problem}"
    );
}

#[test]
fn feature_settings_that_do_not_fit_the_model_are_the_files_fault() {
    let problem = manifest_problem(&with_manifest_edit("\"n_mels\": 6", "\"n_mels\": 7"));
    assert!(problem.contains("n_mels × frames = 7 × 1"), "{problem}");
    let problem = manifest_problem(&with_manifest_edit(
        "\"hop_length\": 512",
        "\"hop_length\": 4096",
    ));
    assert!(problem.contains("hop_length 4096"), "{problem}");
    let problem = manifest_problem(&with_manifest_edit("\"n_fft\": 1024", "\"n_fft\": 1023"));
    assert!(problem.contains("n_fft"), "{problem}");
}

#[test]
fn a_model_file_error_names_the_file_once_and_has_no_hidden_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crafted.sonogan");
    std::fs::write(
        &path,
        with_manifest_edit("\"sample_rate\": 16000", "\"sample_rate\": 8000"),
    )
    .expect("write");
    let error = store::load_file(&path, &Device::flex())
        .err()
        .expect("a crafted file fails");
    let text = error.to_string();
    assert_eq!(text.matches("crafted.sonogan").count(), 1, "{text}");
    assert_eq!(text.matches("16000 Hz").count(), 1, "{text}");
    // The message already holds the cause: reporting it again as a source would print it twice.
    assert!(std::error::Error::source(&error).is_none(), "{text}");
}
