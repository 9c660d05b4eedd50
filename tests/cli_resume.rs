//! Loss-free `sonogan eval` (docs/DESIGN.md §13.2–13.3): every finished job is saved at once, a
//! run stopped by Ctrl-C resumes to exactly the results of an uninterrupted run, resuming with
//! other settings is refused, and the feature cache gives the same numbers as decoding.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn sonogan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sonogan"))
        .args(args)
        .output()
        .expect("run sonogan")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_ok(output: &Output) {
    assert!(output.status.success(), "failed: {}", text(&output.stderr));
}

/// valve, 2 IDs, 6 training clips per ID of 2 s.
fn synth(dir: &Path) -> PathBuf {
    let root = dir.join("data");
    assert_ok(&sonogan(&[
        "synth",
        "--out",
        root.to_str().unwrap(),
        "--types",
        "valve",
        "--ids",
        "id_00,id_02",
        "--train",
        "6",
        "--test-normal",
        "3",
        "--test-anomaly",
        "3",
        "--secs",
        "2",
        "--seed",
        "3",
    ]));
    root
}

/// The eval arguments of every run here, into `out`.
fn eval_args<'a>(data: &'a str, out: &'a str, epochs: &'a str) -> Vec<&'a str> {
    vec![
        "eval",
        "--data",
        data,
        "--models",
        "ae,mahalanobis",
        "--seeds",
        "0,1",
        "--epochs",
        epochs,
        "--batch",
        "64",
        "--device",
        "cpu",
        "--out-dir",
        out,
    ]
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_run_stopped_by_ctrl_c_resumes_to_the_uninterrupted_results() {
    let dir = tempfile::tempdir().unwrap();
    let data = synth(dir.path());
    let data = data.to_str().unwrap();
    let whole = dir.path().join("whole");
    let whole_out = sonogan(&eval_args(data, whole.to_str().unwrap(), "40"));
    assert_ok(&whole_out);

    let cut = dir.path().join("cut");
    let cut_str = cut.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sonogan"))
        .args(eval_args(data, cut_str, "40"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start eval");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    // Interrupt once the first job is saved, while the second trains.
    while !seen.contains("done in") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "eval ended early: {seen}"
        );
        seen.push_str(&line);
    }
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(interrupted.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "a stopped run must not look finished: {rest}"
    );
    assert!(
        rest.contains("stopped by Ctrl-C") && rest.contains("--resume"),
        "{rest}"
    );
    let saved = std::fs::read_dir(cut.join("jobs")).unwrap().count();
    assert!(
        (2..8).contains(&saved),
        "one or more jobs (model + JSON) saved, not all: {saved}"
    );

    let resumed = sonogan(&[eval_args(data, cut_str, "40"), vec!["--resume"]].concat());
    assert_ok(&resumed);
    assert!(text(&resumed.stderr).contains("finished before, read back"));
    assert_eq!(text(&resumed.stdout), text(&whole_out.stdout), "same table");
    for file in [
        "ae/seed_1/result.csv",
        "mahalanobis/seed_0/anomaly_score_valve_id_02.csv",
    ] {
        assert_eq!(read(cut.join(file)), read(whole.join(file)), "{file}");
    }
}

#[test]
fn resuming_needs_the_same_settings_and_an_existing_run_needs_resume() {
    let dir = tempfile::tempdir().unwrap();
    let data = synth(dir.path());
    let data = data.to_str().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    assert_ok(&sonogan(&eval_args(data, out, "2")));
    let again = sonogan(&eval_args(data, out, "2"));
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("add --resume"),
        "{}",
        text(&again.stderr)
    );
    let other = sonogan(&[eval_args(data, out, "3"), vec!["--resume"]].concat());
    assert!(!other.status.success());
    let message = text(&other.stderr);
    assert!(
        message.contains("train.epochs: saved 2, now 3"),
        "{message}"
    );
}

#[test]
fn cached_features_give_the_same_results_and_damaged_entries_are_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let data = synth(dir.path());
    let data = data.to_str().unwrap();
    let cache = dir.path().join("cache");
    let cache = cache.to_str().unwrap();
    let run = |name: &str| {
        let out = dir.path().join(name);
        let output = sonogan(
            &[
                eval_args(data, out.to_str().unwrap(), "2"),
                vec!["--cache", cache],
            ]
            .concat(),
        );
        assert_ok(&output);
        output
    };
    let first = run("first");
    let entries: Vec<PathBuf> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        entries.len(),
        24,
        "one entry per clip (12 training, 12 test)"
    );
    std::fs::write(&entries[0], b"SGFRAME1 damaged").unwrap();
    let second = run("second");
    assert_eq!(text(&second.stdout), text(&first.stdout));
    assert!(text(&second.stderr).contains("damaged feature-cache entry"));
    let plain = sonogan(&eval_args(
        data,
        dir.path().join("plain").to_str().unwrap(),
        "2",
    ));
    assert_eq!(
        text(&plain.stdout),
        text(&first.stdout),
        "cache or not, the same numbers"
    );
}

#[test]
fn unwritable_outputs_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let data = synth(dir.path());
    let data = data.to_str().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, b"x").unwrap();
    let inside = blocker.join("out");
    let eval = sonogan(&eval_args(data, inside.to_str().unwrap(), "2"));
    assert!(!eval.status.success());
    assert!(
        !text(&eval.stderr).contains("done in"),
        "refused before training"
    );
    let train = sonogan(&[
        "train",
        "--data",
        data,
        "--type",
        "valve",
        "--model",
        "ae",
        "--epochs",
        "1",
        "--out",
        inside.join("m.sonogan").to_str().unwrap(),
    ]);
    assert!(!train.status.success());
    let message = text(&train.stderr);
    assert!(
        message.contains("does not exist") && !message.contains("training"),
        "{message}"
    );
    let subset = sonogan(&[
        "train", "--data", data, "--type", "valve", "--model", "ae", "--subset", "0", "--out", "x",
    ]);
    assert!(
        text(&subset.stderr).contains("must be at least 1"),
        "{}",
        text(&subset.stderr)
    );
}
