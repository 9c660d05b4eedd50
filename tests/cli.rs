//! The `sonogan` command line end to end, on data it synthesises itself: outputs are checked
//! against independent expectations (shapes from the frame arithmetic of docs/DESIGN.md §1.4, the design's
//! AUC test vector, DCASE file names) and bad input must fail with a message naming the file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sonogan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sonogan"))
        .args(args)
        .output()
        .expect("run sonogan")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "failed: {}\n{}",
        stderr(output),
        stdout(output)
    );
}

/// The JSON object on the last line of stdout.
fn last_json(output: &Output) -> serde_json::Value {
    let text = stdout(output);
    let line = text.lines().last().expect("output");
    serde_json::from_str(line).expect("JSON on the last line")
}

/// A small synthetic DCASE data set: valve, 2 IDs, 2-s clips.
fn synth(dir: &Path, train: usize, test: usize, secs: &str) -> PathBuf {
    let root = dir.join("data");
    let (train, test) = (train.to_string(), test.to_string());
    let args = [
        "synth",
        "--out",
        root.to_str().unwrap(),
        "--types",
        "valve",
        "--ids",
        "id_00,id_02",
        "--train",
        &train,
        "--test-normal",
        &test,
        "--test-anomaly",
        &test,
        "--secs",
        secs,
        "--seed",
        "3",
    ];
    assert_ok(&sonogan(&args));
    root
}

#[test]
fn synth_then_info_counts_every_clip() {
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), 3, 2, "2");
    let output = sonogan(&["info", root.to_str().unwrap(), "--json"]);
    assert_ok(&output);
    let info = last_json(&output);
    assert_eq!(info["layout"], "DcaseDev");
    assert_eq!(info["audio"]["readable"], 2 * (3 + 2 + 2));
    assert_eq!(info["audio"]["sample_rates"]["16000"], 14);
    assert!(info["rejected"].as_array().unwrap().is_empty());
}

#[test]
fn features_shapes_follow_the_frame_arithmetic() {
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), 1, 0, "2");
    let clip = root.join("valve/train/normal_id_00_00000000.wav");
    let out = dir.path().join("v.npy");
    assert_ok(&sonogan(&[
        "features",
        clip.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    let vectors = sonogan::features::npy::load(&out).unwrap();
    // 2 s = 32000 samples: 1 + 32000/512 = 63 frames (integer division), 63 − 4 = 59 vectors.
    assert_eq!(vectors.shape, vec![59, 640]);
    let logmel = dir.path().join("l.npy");
    assert_ok(&sonogan(&[
        "features",
        clip.to_str().unwrap(),
        "--logmel",
        "--out",
        logmel.to_str().unwrap(),
    ]));
    assert_eq!(
        sonogan::features::npy::load(&logmel).unwrap().shape,
        vec![128, 63]
    );
}

#[test]
fn features_of_a_corrupt_file_fail_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.wav");
    std::fs::write(&bad, b"RIFF\x10\x00\x00\x00WAVEfmt ").unwrap();
    let output = sonogan(&[
        "features",
        bad.to_str().unwrap(),
        "--out",
        dir.path().join("x.npy").to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("broken.wav"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn auc_matches_the_sklearn_docstring_vector() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("scores.csv");
    std::fs::write(&csv, "label,score\n0,0.1\n0,0.4\n1,0.35\n1,0.8\n").unwrap();
    let output = sonogan(&["auc", csv.to_str().unwrap(), "--json"]);
    assert_ok(&output);
    let result = last_json(&output);
    assert!((result["auc"].as_f64().unwrap() - 0.75).abs() < 1e-12);
    assert!((result["pauc"].as_f64().unwrap() - 0.736842105263158).abs() < 1e-9);
    std::fs::write(&csv, "label,score\n0,0.1\n2,0.4\n").unwrap();
    let output = sonogan(&["auc", csv.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("line 3"), "{}", stderr(&output));
}

#[test]
fn train_then_score_uses_the_model_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), 4, 2, "2");
    let model = dir.path().join("valve.sonogan");
    let args = [
        "train",
        "--data",
        root.to_str().unwrap(),
        "--type",
        "valve",
        "--model",
        "ae",
        "--epochs",
        "2",
        "--batch",
        "64",
        "--device",
        "cpu",
        "--out",
        model.to_str().unwrap(),
    ];
    assert_ok(&sonogan(&args));
    let test_dir = root.join("valve/test");
    let output = sonogan(&[
        "score",
        "--model",
        model.to_str().unwrap(),
        test_dir.to_str().unwrap(),
        "--json",
    ]);
    assert_ok(&output);
    let report = last_json(&output);
    assert_eq!(report["model"]["kind"], "ae");
    let clips = report["clips"].as_array().unwrap();
    assert_eq!(clips.len(), 8);
    let threshold = report["model"]["threshold"].as_f64().unwrap();
    for clip in clips {
        let score = clip["score"].as_f64().unwrap();
        assert_eq!(clip["anomalous"].as_bool().unwrap(), score > threshold);
    }
    // A damaged model file is refused with its name in the message.
    let mut bytes = std::fs::read(&model).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    let damaged = dir.path().join("damaged.sonogan");
    std::fs::write(&damaged, bytes).unwrap();
    let output = sonogan(&[
        "score",
        "--model",
        damaged.to_str().unwrap(),
        test_dir.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("damaged.sonogan"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn eval_prints_table_json_and_dcase_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), 3, 2, "2");
    let out = dir.path().join("results");
    let args = [
        "eval",
        "--data",
        root.to_str().unwrap(),
        "--models",
        "ae,egbad",
        "--epochs",
        "1",
        "--batch",
        "64",
        "--device",
        "cpu",
        "--out-dir",
        out.to_str().unwrap(),
        "--json",
    ];
    let output = sonogan(&args);
    assert_ok(&output);
    let report = last_json(&output);
    for model in ["ae", "egbad"] {
        let valve = &report["models"][model]["valve"];
        for id in ["id_00", "id_02"] {
            let auc = valve["ids"][id]["auc"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&auc));
        }
        let mean = (valve["ids"]["id_00"]["auc"].as_f64().unwrap()
            + valve["ids"]["id_02"]["auc"].as_f64().unwrap())
            / 2.0;
        assert!((valve["auc"].as_f64().unwrap() - mean).abs() < 1e-12);
        assert!(
            out.join(model)
                .join("anomaly_score_valve_id_00.csv")
                .is_file()
        );
        assert!(out.join(model).join("result.csv").is_file());
    }
    assert!(report["timing"]["train_s"]["egbad"].as_f64().unwrap() > 0.0);
    assert!(stdout(&output).contains("Average"));
    let roc = std::fs::read_to_string(out.join("roc_valve.svg")).expect("roc_valve.svg");
    // Plots and tables show the registry's labels; files and JSON use its names.
    for label in ["AE", "EGBAD"] {
        let path = format!(r#"<path class="roc-curve" data-model="{label}""#);
        assert_eq!(roc.matches(&path).count(), 1, "{label} curve in {roc}");
    }
    assert!(roc.contains("<title>ROC curves on valve: AE, EGBAD</title>"));
    let html = std::fs::read_to_string(out.join("results.html")).expect("results.html");
    for (model, label) in [("ae", "AE"), ("egbad", "EGBAD")] {
        let auc = report["models"][model]["valve"]["auc"].as_f64().unwrap();
        let row = &html[html
            .find(&format!(r#"<tr data-model="{label}">"#))
            .expect(label)..];
        let row = &row[..row.find("</tr>").unwrap()];
        let cell = format!("{:.2}", 100.0 * auc);
        assert!(
            row.contains(&format!(r#"data-type="valve">{cell}</td>"#))
                || row.contains(&format!(r#"data-type="valve"><strong>{cell}</strong>"#)),
            "{cell} in {row}"
        );
    }
    assert_eq!(html.matches(r#"<tr data-id="id_0"#).count(), 2);
    assert!(html.contains("<figure data-type=\"valve\"><svg"));
    for chart in ["figure4_auc.svg", "figure4_pauc.svg"] {
        let svg = std::fs::read_to_string(out.join(chart)).expect(chart);
        assert_eq!(
            svg.matches(r#"<rect class="bar""#).count(),
            4,
            "2 models × (valve, mean)"
        );
    }
}

#[test]
fn eval_seed_sweep_reports_mean_and_sd_and_keeps_every_seed() {
    let dir = tempfile::tempdir().unwrap();
    let root = synth(dir.path(), 3, 2, "2");
    let out = dir.path().join("results");
    let args = [
        "eval",
        "--data",
        root.to_str().unwrap(),
        "--models",
        "ae",
        "--epochs",
        "1",
        "--batch",
        "64",
        "--device",
        "cpu",
        "--seeds",
        "4,9",
        "--out-dir",
        out.to_str().unwrap(),
        "--json",
    ];
    let output = sonogan(&args);
    assert_ok(&output);
    let report = last_json(&output);
    assert_eq!(report["seeds"], serde_json::json!([4, 9]));
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(
        (runs[0]["seed"].as_u64(), runs[1]["seed"].as_u64()),
        (Some(4), Some(9))
    );
    let per_seed: Vec<f64> = runs
        .iter()
        .map(|r| r["models"]["ae"]["valve"]["auc"].as_f64().unwrap())
        .collect();
    // Mean and sample sd (n − 1 = 1) of two values: (a + b)/2 and |a − b|/√2.
    let valve = &report["models"]["ae"]["valve"];
    let mean = (per_seed[0] + per_seed[1]) / 2.0;
    assert!((valve["auc"].as_f64().unwrap() - mean).abs() < 1e-12);
    let sd = (per_seed[0] - per_seed[1]).abs() / 2f64.sqrt();
    assert!((valve["auc_sd"].as_f64().unwrap() - sd).abs() < 1e-12);
    for run in runs {
        let id = &run["models"]["ae"]["valve"]["ids"]["id_00"];
        let (auc, ci) = (id["auc"].as_f64().unwrap(), &id["auc_ci"]);
        assert!(
            ci[0].as_f64().unwrap() <= auc && auc <= ci[1].as_f64().unwrap(),
            "{id}"
        );
    }
    for seed in [4, 9] {
        let folder = out.join("ae").join(format!("seed_{seed}"));
        assert!(folder.join("result.csv").is_file(), "{}", folder.display());
        assert!(folder.join("anomaly_score_valve_id_02.csv").is_file());
    }
    assert!(
        !out.join("ae").join("result.csv").exists(),
        "one folder per seed"
    );
    assert!(stdout(&output).contains("mean ± sd over 2 seeds"));
    let twice = sonogan(&["eval", "--data", root.to_str().unwrap(), "--seeds", "1,1"]);
    assert!(!twice.status.success());
    assert!(
        stderr(&twice).contains("seed 1 twice"),
        "{}",
        stderr(&twice)
    );
}
