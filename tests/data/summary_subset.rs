//! Data set summaries and seeded subsets.

use std::collections::BTreeMap;

use sonogan::data::subset;

use super::*;

#[test]
fn summary_counts_per_type_id_split_and_label() {
    let list = [
        "fan/train/normal_id_00_00000000.wav",
        "fan/train/normal_id_00_00000001.wav",
        "fan/test/normal_id_00_00000000.wav",
        "fan/test/anomaly_id_00_00000000.wav",
        "fan/test/anomaly_id_00_00000001.wav",
        "fan/test/id_02_00000000.wav",
        "fan/train/bad.wav",
    ];
    let summary = Dataset::from_paths(&list, &opts()).unwrap().summary();
    assert_eq!(
        (summary.clips, summary.rejected, summary.layout),
        (6, 1, Layout::DcaseEval)
    );
    let id00 = &summary.machine_types["fan"]["id_00"];
    assert_eq!(
        (
            id00.train.normal,
            id00.train.total(),
            id00.test.normal,
            id00.test.anomaly,
            id00.test.unlabelled
        ),
        (2, 2, 1, 2, 0)
    );
    let id02 = &summary.machine_types["fan"]["id_02"];
    assert_eq!(
        (id02.train.total(), id02.test.unlabelled, id02.total()),
        (0, 1, 1)
    );
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["machine_types"]["fan"]["id_00"]["test"]["anomaly"], 2);
    let table = summary.to_string();
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["fan", "id_00", "2", "1", "2", "0"]),
        "{table}"
    );
}

/// 3 types × 2 IDs × (train normal 10, test normal 6, test anomaly 3) clips.
fn big_dataset() -> Vec<ClipEntry> {
    let mut list = Vec::new();
    for t in ["fan", "pump", "valve"] {
        for id in ["id_00", "id_02"] {
            for i in 0..10 {
                list.push(format!("{t}/train/normal_{id}_{i:08}.wav"));
            }
            for i in 0..6 {
                list.push(format!("{t}/test/normal_{id}_{i:08}.wav"));
            }
            for i in 0..3 {
                list.push(format!("{t}/test/anomaly_{id}_{i:08}.wav"));
            }
        }
    }
    Dataset::from_paths(&list, &opts()).unwrap().clips
}

fn group_counts(clips: &[ClipEntry]) -> BTreeMap<(String, String, Split, Option<Label>), usize> {
    let mut counts = BTreeMap::new();
    for c in clips {
        *counts
            .entry((
                c.machine_type.clone(),
                c.machine_id.clone(),
                c.split,
                c.label,
            ))
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn subset_keeps_at_most_per_id_clips_of_every_group_in_path_order() {
    let clips = big_dataset();
    let picked = subset(&clips, 4, 7);
    let counts = group_counts(&picked);
    assert_eq!(counts.len(), 18);
    for ((_, _, split, label), n) in &counts {
        let expected = if *split == Split::Test && *label == Some(Label::Anomaly) {
            3
        } else {
            4
        };
        assert_eq!(*n, expected);
    }
    assert!(picked.iter().all(|p| clips.contains(p)));
    assert!(picked.windows(2).all(|w| w[0].rel_path < w[1].rel_path));
    assert!(subset(&clips, 0, 7).is_empty());
    assert_eq!(subset(&clips, 100, 7), clips);
}

#[test]
fn subset_is_deterministic_seed_dependent_and_independent_of_other_groups() {
    let clips = big_dataset();
    assert_eq!(subset(&clips, 4, 11), subset(&clips, 4, 11));
    let mut reversed = clips.clone();
    reversed.reverse();
    assert_eq!(subset(&reversed, 4, 11), subset(&clips, 4, 11));
    let differing_seeds = (0..10u64)
        .filter(|&s| subset(&clips, 4, s) != subset(&clips, 4, 11))
        .count();
    assert!(
        differing_seeds >= 9,
        "only {differing_seeds} of 10 seeds changed the pick"
    );
    let fan_only: Vec<ClipEntry> = clips
        .iter()
        .filter(|c| c.machine_type == "fan")
        .cloned()
        .collect();
    let fan_part: Vec<ClipEntry> = subset(&clips, 4, 11)
        .into_iter()
        .filter(|c| c.machine_type == "fan")
        .collect();
    assert_eq!(subset(&fan_only, 4, 11), fan_part);
}
