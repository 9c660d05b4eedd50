//! Data set layouts, labels, splits, rejected files, subsets and summaries (docs/DESIGN.md §1.1).
//! Expected values are worked out by hand from the path lists written in each test.

use std::fs;
use std::path::Path;

#[path = "data/scan.rs"]
mod scan;
#[path = "data/summary_subset.rs"]
mod summary_subset;

use sonogan::data::{ClipEntry, DataError, Dataset, DatasetOptions, Label, Layout, Split};

fn opts() -> DatasetOptions {
    DatasetOptions::default()
}

fn mimii_opts(n: usize) -> DatasetOptions {
    DatasetOptions {
        mimii_train_per_id: Some(n),
    }
}

/// The clip at `rel_path`; panics naming the path when there is none.
fn clip<'a>(ds: &'a Dataset, rel_path: &str) -> &'a ClipEntry {
    ds.clips
        .iter()
        .find(|c| c.rel_path == rel_path)
        .unwrap_or_else(|| panic!("no clip {rel_path}"))
}

fn paths(ds: &Dataset) -> Vec<&str> {
    ds.clips.iter().map(|c| c.rel_path.as_str()).collect()
}

fn rejected_reason<'a>(ds: &'a Dataset, rel_path: &str) -> &'a str {
    ds.rejected
        .iter()
        .find(|r| r.rel_path == rel_path)
        .map(|r| r.reason.as_str())
        .unwrap_or_else(|| panic!("{rel_path} not rejected: {:?}", ds.rejected))
}

/// Create empty files at the given relative paths below `root`.
fn write_tree(root: &Path, files: &[&str]) {
    for f in files {
        let path = root.join(f);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, b"").unwrap();
    }
}

const DEV: [&str; 7] = [
    "fan/train/normal_id_00_00000000.wav",
    "fan/train/normal_id_02_00000000.wav",
    "fan/test/normal_id_00_00000000.wav",
    "fan/test/anomaly_id_00_00000000.wav",
    "fan/test/anomaly_id_02_00000001.wav",
    "ToyCar/train/normal_id_01_00000000.wav",
    "ToyCar/test/anomaly_id_01_00000000.wav",
];

#[test]
fn dcase_dev_labels_ids_and_splits_come_from_paths() {
    let ds = Dataset::from_paths(&DEV, &opts()).unwrap();
    assert_eq!(ds.layout, Layout::DcaseDev);
    assert!(ds.rejected.is_empty());
    let expect = [
        (
            "fan/train/normal_id_02_00000000.wav",
            "fan",
            "id_02",
            Split::Train,
            Some(Label::Normal),
        ),
        (
            "fan/test/normal_id_00_00000000.wav",
            "fan",
            "id_00",
            Split::Test,
            Some(Label::Normal),
        ),
        (
            "fan/test/anomaly_id_02_00000001.wav",
            "fan",
            "id_02",
            Split::Test,
            Some(Label::Anomaly),
        ),
        (
            "ToyCar/test/anomaly_id_01_00000000.wav",
            "ToyCar",
            "id_01",
            Split::Test,
            Some(Label::Anomaly),
        ),
    ];
    for (path, machine_type, id, split, label) in expect {
        let c = clip(&ds, path);
        assert_eq!(
            (
                c.machine_type.as_str(),
                c.machine_id.as_str(),
                c.split,
                c.label
            ),
            (machine_type, id, split, label),
            "{path}"
        );
    }
    // Byte order, as Python's sorted(): upper-case 'T' (0x54) sorts before 'f' (0x66).
    assert_eq!(
        paths(&ds),
        [
            "ToyCar/test/anomaly_id_01_00000000.wav",
            "ToyCar/train/normal_id_01_00000000.wav",
            "fan/test/anomaly_id_00_00000000.wav",
            "fan/test/anomaly_id_02_00000001.wav",
            "fan/test/normal_id_00_00000000.wav",
            "fan/train/normal_id_00_00000000.wav",
            "fan/train/normal_id_02_00000000.wav",
        ]
    );
    assert_eq!(ds.machine_types(), ["ToyCar", "fan"]);
    assert_eq!(ds.ids("fan"), ["id_00", "id_02"]);
    assert_eq!(ds.test_ids("ToyCar"), ["id_01"]);
    let test: Vec<&str> = ds
        .test_clips("fan", "id_00")
        .iter()
        .map(|c| c.rel_path.as_str())
        .collect();
    assert_eq!(
        test,
        [
            "fan/test/anomaly_id_00_00000000.wav",
            "fan/test/normal_id_00_00000000.wav"
        ]
    );
    assert_eq!(ds.select("fan", Split::Train).len(), 2);
}

#[test]
fn dcase_eval_clips_are_unlabelled_and_may_mix_with_labelled_ones() {
    let list = [
        "pump/train/normal_id_01_00000000.wav",
        "pump/test/id_01_00000000.wav",
        "pump/test/id_03_00000007.wav",
        "pump/test/anomaly_id_01_00000001.wav",
        "pump/test/id_123_5.wav",
    ];
    let ds = Dataset::from_paths(&list, &opts()).unwrap();
    assert_eq!(ds.layout, Layout::DcaseEval);
    assert_eq!(clip(&ds, "pump/test/id_03_00000007.wav").label, None);
    assert_eq!(
        clip(&ds, "pump/test/id_03_00000007.wav").machine_id,
        "id_03"
    );
    assert_eq!(clip(&ds, "pump/test/id_123_5.wav").machine_id, "id_123");
    assert_eq!(
        clip(&ds, "pump/test/anomaly_id_01_00000001.wav").label,
        Some(Label::Anomaly)
    );
    assert_eq!(
        clip(&ds, "pump/train/normal_id_01_00000000.wav").split,
        Split::Train
    );
    assert_eq!(ds.clips.len(), 5);
}

#[test]
fn badly_named_and_misplaced_audio_is_rejected_with_reasons_and_other_files_are_ignored() {
    let list = [
        "fan/train/normal_id_00_00000000.wav",
        "fan/train/anomaly_id_00_00000001.wav",
        "fan/train/id_00_00000002.wav",
        "fan/train/foo.wav",
        "fan/test/normal_id_00_00000000 (1).wav",
        "fan/test/anomaly_id_0_00000000.wav",
        "fan/test/anomaly_id_00_00000003.wav",
        "fan/notes/normal_id_00_00000000.wav",
        "fan/test/.DS_Store",
        "fan/test/._anomaly_id_00_00000009.wav",
        "__MACOSX/fan/test/anomaly_id_00_00000010.wav",
        "fan/list.csv",
        "readme.txt",
    ];
    let ds = Dataset::from_paths(&list, &opts()).unwrap();
    assert_eq!(
        paths(&ds),
        [
            "fan/test/anomaly_id_00_00000003.wav",
            "fan/train/normal_id_00_00000000.wav"
        ]
    );
    assert_eq!(ds.rejected.len(), 6, "{:?}", ds.rejected);
    assert!(
        rejected_reason(&ds, "fan/train/anomaly_id_00_00000001.wav")
            .contains("train/ holds normal clips only")
    );
    assert!(
        rejected_reason(&ds, "fan/train/id_00_00000002.wav")
            .contains("unlabelled clip 'id_00_00000002.wav'")
    );
    assert_eq!(
        rejected_reason(&ds, "fan/train/foo.wav"),
        "file name 'foo.wav' does not match normal_id_XX_N.wav"
    );
    assert!(
        rejected_reason(&ds, "fan/test/normal_id_00_00000000 (1).wav")
            .contains("'normal_id_00_00000000 (1).wav' does not match")
    );
    assert!(
        rejected_reason(&ds, "fan/test/anomaly_id_0_00000000.wav").contains("anomaly_id_XX_N.wav")
    );
    assert!(
        rejected_reason(&ds, "fan/notes/normal_id_00_00000000.wav")
            .contains("not inside a <type>/train/ or <type>/test/ folder")
    );
    let rejected: Vec<&str> = ds.rejected.iter().map(|r| r.rel_path.as_str()).collect();
    let mut sorted = rejected.clone();
    sorted.sort();
    assert_eq!(rejected, sorted);
}

#[test]
fn other_audio_extensions_case_and_windows_separators_are_accepted() {
    let list = [
        r"valve\train\normal_id_00_00000000.WAV",
        r"valve\test\Anomaly_ID_00_00000000.flac",
        "./valve/test/normal_id_00_00000001.ogg",
        "valve//test/normal_id_00_00000002.mp3",
        "valve/Test/normal_id_00_00000003.webm",
    ];
    let ds = Dataset::from_paths(&list, &opts()).unwrap();
    assert_eq!(
        paths(&ds),
        [
            "valve/Test/normal_id_00_00000003.webm",
            "valve/test/Anomaly_ID_00_00000000.flac",
            "valve/test/normal_id_00_00000001.ogg",
            "valve/test/normal_id_00_00000002.mp3",
            "valve/train/normal_id_00_00000000.WAV",
        ]
    );
    assert_eq!(
        clip(&ds, "valve/test/Anomaly_ID_00_00000000.flac").label,
        Some(Label::Anomaly)
    );
    assert_eq!(
        clip(&ds, "valve/test/Anomaly_ID_00_00000000.flac").machine_id,
        "id_00"
    );
    assert_eq!(
        clip(&ds, "valve/Test/normal_id_00_00000003.webm").split,
        Split::Test
    );
}

fn mimii_list() -> Vec<String> {
    let mut list = Vec::new();
    for i in (0..5).rev() {
        list.push(format!("fan/id_00/normal/{i:08}.wav"));
    }
    for i in 0..2 {
        list.push(format!("fan/id_00/abnormal/{i:08}.wav"));
    }
    for i in 0..4 {
        list.push(format!("fan/id_02/normal/{i:08}.wav"));
    }
    list
}

#[test]
fn mimii_default_split_puts_the_first_half_of_normal_clips_in_train() {
    let ds = Dataset::from_paths(&mimii_list(), &opts()).unwrap();
    assert_eq!(ds.layout, Layout::Mimii);
    // id_00: 5 normal → first 2 (sorted) train, 3 test; 2 abnormal → test anomaly. id_02: 4 → 2 + 2.
    let train: Vec<&str> = ds
        .select("fan", Split::Train)
        .iter()
        .map(|c| c.rel_path.as_str())
        .collect();
    assert_eq!(
        train,
        [
            "fan/id_00/normal/00000000.wav",
            "fan/id_00/normal/00000001.wav",
            "fan/id_02/normal/00000000.wav",
            "fan/id_02/normal/00000001.wav"
        ]
    );
    assert_eq!(
        clip(&ds, "fan/id_00/normal/00000002.wav").split,
        Split::Test
    );
    assert_eq!(
        clip(&ds, "fan/id_00/normal/00000002.wav").label,
        Some(Label::Normal)
    );
    let abnormal = clip(&ds, "fan/id_00/abnormal/00000001.wav");
    assert_eq!(
        (abnormal.split, abnormal.label, abnormal.machine_id.as_str()),
        (Split::Test, Some(Label::Anomaly), "id_00")
    );
    assert_eq!(ds.test_clips("fan", "id_00").len(), 5);
}

#[test]
fn mimii_explicit_train_count_and_more_than_available() {
    let ds = Dataset::from_paths(&mimii_list(), &mimii_opts(1)).unwrap();
    let train: Vec<&str> = ds
        .select("fan", Split::Train)
        .iter()
        .map(|c| c.rel_path.as_str())
        .collect();
    assert_eq!(
        train,
        [
            "fan/id_00/normal/00000000.wav",
            "fan/id_02/normal/00000000.wav"
        ]
    );
    let ds = Dataset::from_paths(&mimii_list(), &mimii_opts(100)).unwrap();
    assert_eq!(ds.select("fan", Split::Train).len(), 9);
    assert_eq!(ds.select("fan", Split::Test).len(), 2);
}

#[test]
fn wrapper_folder_above_the_machine_types_is_kept_in_paths() {
    let list: Vec<String> = DEV.iter().map(|p| format!("dev_data/{p}")).collect();
    let ds = Dataset::from_paths(&list, &opts()).unwrap();
    assert_eq!(ds.machine_types(), ["ToyCar", "fan"]);
    assert_eq!(
        clip(&ds, "dev_data/fan/test/anomaly_id_02_00000001.wav").machine_id,
        "id_02"
    );
    let mimii: Vec<String> = mimii_list()
        .iter()
        .map(|p| format!("-6_dB_fan/{p}"))
        .collect();
    let ds = Dataset::from_paths(&mimii, &opts()).unwrap();
    assert_eq!(ds.machine_types(), ["fan"]);
}

#[test]
fn root_that_is_one_machine_type_takes_the_type_from_its_folder_name() {
    let list = [
        "train/normal_id_04_00000000.wav",
        "test/anomaly_id_04_00000000.wav",
    ];
    let ds = Dataset::from_folder_paths("slider", &list, &opts()).unwrap();
    assert_eq!(
        clip(&ds, "test/anomaly_id_04_00000000.wav").machine_type,
        "slider"
    );
    assert_eq!(
        clip(&ds, "train/normal_id_04_00000000.wav").machine_id,
        "id_04"
    );
    let ds = Dataset::from_folder_paths(
        "pump",
        &["id_06/abnormal/00000000.wav", "id_06/normal/00000000.wav"],
        &opts(),
    )
    .unwrap();
    assert_eq!(ds.machine_types(), ["pump"]);
    match Dataset::from_paths(&list, &opts()) {
        Err(DataError::NoLayout { dir, detail }) => {
            assert_eq!(dir, "the given file list");
            assert!(
                detail.contains("'fan/test/anomaly_id_04_00000000.wav'"),
                "{detail}"
            );
        }
        other => panic!("expected NoLayout, got {other:?}"),
    }
}

#[test]
fn two_data_sets_in_one_tree_are_ambiguous() {
    let list = [
        "dev_data/fan/train/normal_id_00_00000000.wav",
        "eval_data/fan/test/id_01_00000000.wav",
    ];
    let err = Dataset::from_paths(&list, &opts()).unwrap_err();
    assert!(matches!(err, DataError::Ambiguous { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("'dev_data/fan/train/normal_id_00_00000000.wav'")
            && msg.contains("'eval_data/'"),
        "{msg}"
    );
    let mixed = [
        "fan/train/normal_id_00_00000000.wav",
        "pump/id_00/normal/00000000.wav",
    ];
    let msg = Dataset::from_paths(&mixed, &opts())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("DCASE") && msg.contains("MIMII"), "{msg}");
}

#[test]
fn no_audio_no_layout_and_all_rejected_are_distinct_errors() {
    let err = Dataset::from_paths(&["a.txt", "b/c.csv", ".DS_Store"], &opts()).unwrap_err();
    assert_eq!(
        err,
        DataError::Empty {
            dir: "the given file list".into(),
            found: "3 files, none of them an audio file (.wav, .flac, .ogg, .mp3, .webm)".into()
        }
    );
    let none: [&str; 0] = [];
    assert!(
        Dataset::from_paths(&none, &opts())
            .unwrap_err()
            .to_string()
            .contains("no files at all")
    );
    let err = Dataset::from_paths(&["music/song.wav", "x.wav"], &opts()).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, DataError::NoLayout { .. })
            && msg.contains("'music/song.wav'")
            && msg.contains("fan/id_00/normal/00000000.wav"),
        "{msg}"
    );
    let err = Dataset::from_paths(&["fan/train/a.wav", "fan/test/b.wav"], &opts()).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, DataError::Empty { .. })
            && msg.contains("2 audio files, all rejected")
            && msg.contains("'fan/test/b.wav'"),
        "{msg}"
    );
}
