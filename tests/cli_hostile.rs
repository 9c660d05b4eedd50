//! Regression tests of the CLI under hostile input (issue 10's findings, docs/DESIGN.md §13.4):
//! each once crashed, was misreported or lost work, and must now fail cleanly, naming the file
//! and the problem, before any work or large allocation.

#[path = "support/cli_run.rs"]
mod cli_run;

use cli_run::{arg, assert_ok, sonogan, text};
use sonogan::store::container;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A 16 kHz mono 16-bit WAV header announcing `seconds` of samples, written as a sparse file of
/// the full length (the samples read as silence), so hour-long files cost no disk.
fn sparse_wav(path: &Path, seconds: u64) {
    let data_bytes = seconds * 16_000 * 2;
    let mut header = Vec::new();
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&((36 + data_bytes) as u32).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    for field in [1u16, 1] {
        header.extend_from_slice(&field.to_le_bytes());
    }
    header.extend_from_slice(&16_000u32.to_le_bytes());
    header.extend_from_slice(&32_000u32.to_le_bytes());
    for field in [2u16, 16] {
        header.extend_from_slice(&field.to_le_bytes());
    }
    header.extend_from_slice(b"data");
    header.extend_from_slice(&(data_bytes as u32).to_le_bytes());
    let mut file = std::fs::File::create(path).expect("create");
    file.write_all(&header).expect("header");
    file.set_len(header.len() as u64 + data_bytes)
        .expect("sparse length");
}

#[test]
fn info_accepts_exactly_the_clip_lengths_features_accept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let hour = dir.path().join("hour.wav");
    sparse_wav(&hour, 3_600);
    let output = sonogan(&["info", arg(&hour)]);
    assert_ok(&output);
    assert!(
        text(&output.stdout).contains("3600.000 s"),
        "{}",
        text(&output.stdout)
    );

    let longer = dir.path().join("longer.wav");
    sparse_wav(&longer, 3_601);
    let output = sonogan(&["info", arg(&longer)]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("longer.wav") && stderr.contains("3600"),
        "{stderr}"
    );
    let features = sonogan(&[
        "features",
        arg(&longer),
        "--out",
        arg(&dir.path().join("x.npy")),
    ]);
    assert_eq!(features.status.code(), Some(1));
}

/// A one-epoch autoencoder trained on a tiny synthetic set; returns (model file, a test clip).
fn trained_model(dir: &Path) -> (PathBuf, PathBuf) {
    let data = dir.join("data");
    assert_ok(&sonogan(&[
        "synth",
        "--out",
        arg(&data),
        "--types",
        "valve",
        "--ids",
        "id_00",
        "--train",
        "3",
        "--test-normal",
        "1",
        "--test-anomaly",
        "1",
        "--secs",
        "1",
        "--seed",
        "4",
    ]));
    let model = dir.join("valve.sonogan");
    assert_ok(&sonogan(&[
        "train",
        "--data",
        arg(&data),
        "--type",
        "valve",
        "--model",
        "ae",
        "--epochs",
        "1",
        "--out",
        arg(&model),
    ]));
    let clip = std::fs::read_dir(data.join("valve/test"))
        .expect("test folder")
        .next()
        .expect("a test clip")
        .expect("entry")
        .path();
    (model, clip)
}

/// `model` with `from` replaced by `to` in its manifest, re-sealed with a valid checksum.
fn crafted(model: &Path, from: &str, to: &str, out: &Path) {
    let bytes = std::fs::read(model).expect("model");
    let sections = container::decode(&bytes).expect("valid model");
    let manifest = String::from_utf8(sections.manifest.to_vec()).expect("UTF-8");
    assert!(manifest.contains(from), "{from} in\n{manifest}");
    let edited = manifest.replacen(from, to, 1);
    std::fs::write(out, container::encode(edited.as_bytes(), sections.weights)).expect("write");
}

#[test]
fn crafted_model_files_are_refused_cleanly_and_the_error_is_printed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (model, clip) = trained_model(dir.path());
    let cases = [
        (
            "\"hidden_dim\": 128",
            "\"hidden_dim\": 1000000000000",
            "hidden_dim",
        ),
        (
            "\"hidden_layers\": 4",
            "\"hidden_layers\": 1000000000",
            "hidden_layers",
        ),
        ("\"sample_rate\": 16000", "\"sample_rate\": 8000", "8000 Hz"),
        ("\"n_mels\": 128", "\"n_mels\": 64", "n_mels × frames"),
        (
            "\"hop_length\": 512",
            "\"hop_length\": 100000",
            "hop_length",
        ),
    ];
    for (index, (from, to, named)) in cases.into_iter().enumerate() {
        let bad = dir.path().join(format!("crafted_{index}.sonogan"));
        crafted(&model, from, to, &bad);
        let output = sonogan(&["score", "--model", arg(&bad), arg(&clip)]);
        let stderr = text(&output.stderr);
        // Exit 1 with a message, not 134 (abort on a failed allocation) nor 0.
        assert_eq!(output.status.code(), Some(1), "{to}: {stderr}");
        assert!(stderr.contains(named), "{to}: {stderr}");
        let file_name = format!("crafted_{index}.sonogan");
        assert_eq!(stderr.matches(&file_name).count(), 1, "{to}: {stderr}");
        assert_eq!(
            stderr.matches("manifest is invalid").count(),
            1,
            "{to}: {stderr}"
        );
        assert!(
            !stderr.contains(clip.file_name().unwrap().to_str().unwrap()),
            "{stderr}"
        );
    }
}

#[test]
fn features_checks_its_output_before_decoding_anything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let clip = dir.path().join("clip.wav");
    std::fs::write(&clip, b"not a wav at all").expect("write");
    let missing = dir.path().join("no/such/folder/clip.npy");
    let output = sonogan(&["features", arg(&clip), "--out", arg(&missing)]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("does not exist") && !stderr.contains("not a WAV"),
        "{stderr}"
    );

    let blocker = dir.path().join("a_file");
    std::fs::write(&blocker, b"").expect("write");
    let output = sonogan(&[
        "features",
        arg(&clip),
        "--out-dir",
        arg(&blocker.join("sub")),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot create output directory"),
        "{stderr}"
    );
}
