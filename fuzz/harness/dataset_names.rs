//! The data set builder on arbitrary path lists, as a browser folder drop gives them: one
//! relative path a line; a first line `@NAME` names the dropped folder
//! (`Dataset::from_folder_paths`), a line `%N` sets the MIMII train clips per ID. Every line also
//! goes through the DCASE/MIMII name parsers, whose answers must agree with each other.
//!
//! Shared by `fuzz/fuzz_targets/dataset_names.rs` and `tests/fuzz_regressions.rs`.

use sonogan::data::{
    Dataset, DatasetOptions, Label, Split, machine_id_in_path, parse_dcase_name,
    parse_dcase_test_name, parse_dcase_train_name, parse_machine_id, subset,
};

/// One input, as the fuzz target and `tests/fuzz_regressions.rs` feed it.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines: Vec<&str> = text.split('\n').collect();
    let folder = lines
        .first()
        .and_then(|l| l.strip_prefix('@'))
        .map(str::to_string);
    if folder.is_some() {
        lines.remove(0);
    }
    let mut opts = DatasetOptions::default();
    lines.retain(
        |line| match line.strip_prefix('%').map(str::parse::<usize>) {
            Some(Ok(n)) => {
                opts.mimii_train_per_id = Some(n);
                false
            }
            _ => true,
        },
    );
    for line in &lines {
        check_names(line);
    }
    let built = match &folder {
        Some(name) => Dataset::from_folder_paths(name, &lines, &opts),
        None => Dataset::from_paths(&lines, &opts),
    };
    match built {
        Ok(dataset) => check_dataset(&dataset, lines.len()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The name parsers agree: the train and test checks follow `parse_dcase_name`, and a DCASE
/// file name's machine ID is the one its path names.
fn check_names(path: &str) {
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let parsed = parse_dcase_name(file_name);
    match (&parsed, parse_dcase_train_name(file_name)) {
        (Some(name), Ok(id)) => {
            assert_eq!(name.label, Some(Label::Normal));
            assert_eq!(*id, name.machine_id);
        }
        (Some(name), Err(why)) => {
            assert_ne!(name.label, Some(Label::Normal));
            assert!(!why.is_empty());
        }
        (None, Ok(_)) => panic!("train name accepted but not a DCASE name"),
        (None, Err(why)) => assert!(!why.is_empty()),
    }
    assert_eq!(parse_dcase_test_name(file_name).ok(), parsed);
    if let Some(name) = &parsed {
        assert_eq!(machine_id_in_path(path).as_ref(), Some(&name.machine_id));
        assert_eq!(
            parse_machine_id(&name.machine_id).as_ref(),
            Some(&name.machine_id)
        );
    }
    if let Some(id) = machine_id_in_path(path) {
        assert!(id.starts_with("id_"), "{id}");
    }
}

/// A built data set is consistent: sorted, no more entries than paths, machine IDs that parse,
/// and its queries and summaries work.
fn check_dataset(dataset: &Dataset, paths: usize) {
    assert!(!dataset.clips.is_empty());
    assert!(dataset.clips.len() + dataset.rejected.len() <= paths);
    assert!(
        dataset
            .clips
            .windows(2)
            .all(|w| w[0].rel_path <= w[1].rel_path)
    );
    assert!(dataset.rejected.iter().all(|r| !r.reason.is_empty()));
    for clip in &dataset.clips {
        assert_eq!(
            parse_machine_id(&clip.machine_id).as_ref(),
            Some(&clip.machine_id)
        );
    }
    let summary = dataset.summary();
    let _ = serde_json::to_string(&summary).expect("summary serialises");
    for machine_type in dataset.machine_types() {
        let train = dataset.select(&machine_type, Split::Train).len();
        let test = dataset.select(&machine_type, Split::Test).len();
        assert!(train + test > 0);
        for id in dataset.test_ids(&machine_type) {
            assert!(!dataset.test_clips(&machine_type, &id).is_empty());
        }
        assert!(dataset.ids(&machine_type).len() >= dataset.test_ids(&machine_type).len());
    }
    let picked = subset(&dataset.clips, 1 + paths % 3, paths as u64);
    assert!(picked.len() <= dataset.clips.len());
}
