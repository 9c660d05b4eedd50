//! Walking data set folders on disk.

use super::*;

#[test]
fn scan_finds_a_dcase_tree_below_a_wrapper_folder() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = DEV
        .iter()
        .map(|p| format!("dev_data/{p}"))
        .chain([
            "dev_data/.DS_Store".into(),
            "dev_data/fan/test/bad.wav".into(),
        ])
        .collect();
    write_tree(
        dir.path(),
        &files.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let ds = Dataset::scan(dir.path(), &opts()).unwrap();
    assert_eq!(ds.clips.len(), 7);
    assert_eq!(ds.rejected.len(), 1);
    assert_eq!(
        clip(&ds, "dev_data/ToyCar/test/anomaly_id_01_00000000.wav").label,
        Some(Label::Anomaly)
    );
    let ds_inner = Dataset::scan(&dir.path().join("dev_data"), &opts()).unwrap();
    assert_eq!(
        ds_inner,
        Dataset::from_paths(
            &DEV.iter()
                .copied()
                .chain(["fan/test/bad.wav"])
                .collect::<Vec<_>>(),
            &opts()
        )
        .unwrap()
    );
}

#[test]
fn scan_of_one_machine_type_folder_and_of_mimii() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            "valve/train/normal_id_06_00000000.wav",
            "valve/test/normal_id_06_00000000.wav",
        ],
    );
    let ds = Dataset::scan(&dir.path().join("valve"), &opts()).unwrap();
    assert_eq!(
        paths(&ds),
        [
            "test/normal_id_06_00000000.wav",
            "train/normal_id_06_00000000.wav"
        ]
    );
    assert_eq!(ds.machine_types(), ["valve"]);
    let mimii = tempfile::tempdir().unwrap();
    let list = mimii_list();
    write_tree(
        mimii.path(),
        &list.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(
        Dataset::scan(mimii.path(), &mimii_opts(3)).unwrap(),
        Dataset::from_paths(&list, &mimii_opts(3)).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn scan_follows_no_symlink_loop() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            "fan/train/normal_id_00_00000000.wav",
            "fan/test/anomaly_id_00_00000000.wav",
        ],
    );
    std::os::unix::fs::symlink(dir.path(), dir.path().join("fan/test/loop")).unwrap();
    let ds = Dataset::scan(dir.path(), &opts()).unwrap();
    assert_eq!(
        paths(&ds),
        [
            "fan/test/anomaly_id_00_00000000.wav",
            "fan/train/normal_id_00_00000000.wav"
        ]
    );
}

#[test]
fn scan_errors_name_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_folder");
    let err = Dataset::scan(&missing, &opts()).unwrap_err();
    assert!(
        matches!(err, DataError::NotFound { .. }) && err.to_string().contains("no_such_folder"),
        "{err}"
    );
    write_tree(dir.path(), &["file.wav"]);
    let err = Dataset::scan(&dir.path().join("file.wav"), &opts()).unwrap_err();
    assert!(matches!(err, DataError::NotADirectory { .. }), "{err}");
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let msg = Dataset::scan(&empty, &opts()).unwrap_err().to_string();
    assert!(
        msg.contains(&empty.display().to_string()) && msg.contains("no files at all"),
        "{msg}"
    );
    write_tree(&empty, &["notes.txt", "sub/table.csv"]);
    let msg = Dataset::scan(&empty, &opts()).unwrap_err().to_string();
    assert!(msg.contains("2 files, none of them an audio file"), "{msg}");
}

#[cfg(unix)]
#[test]
fn scan_of_an_unreadable_folder_says_which() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path(), &["fan/train/normal_id_00_00000000.wav"]);
    let locked = dir.path().join("fan/train");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = fs::read_dir(&locked).is_ok(); // root ignores permissions
    let result = Dataset::scan(dir.path(), &opts());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        eprintln!("skipped: permissions are not enforced for this user");
        return;
    }
    match result {
        Err(DataError::Unreadable { path, .. }) => assert!(path.ends_with("train"), "{path}"),
        other => panic!("expected Unreadable, got {other:?}"),
    }
}
