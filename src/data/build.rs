//! Building a [`Dataset`] from relative paths: inventory, layout detection, labels and splits
//! (docs/DESIGN.md §1.1).

use std::collections::BTreeMap;

use crate::data::layout::{self, AudioPath, Family, Placed, Position, TypeFolders};
use crate::data::names::{self, AUDIO_EXTENSIONS};
use crate::data::{ClipEntry, DataError, Dataset, DatasetOptions, Label, Layout, Rejected, Split};

/// Where the paths come from: the root folder's name (the machine type when the root is one
/// type) and how messages name it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Name of the folder the paths are relative to, if known.
    pub root_name: Option<&'a str>,
    /// How error messages name the source, e.g. "folder 'dev_data'".
    pub describe: &'a str,
}

/// Build a data set from relative paths.
pub fn build<S: AsRef<str>>(
    paths: &[S],
    source: Source<'_>,
    opts: &DatasetOptions,
) -> Result<Dataset, DataError> {
    let inventory = Inventory::of(paths);
    if inventory.audio.is_empty() {
        return Err(DataError::Empty {
            dir: source.describe.to_owned(),
            found: inventory.describe_without_audio(),
        });
    }
    let mut placed = Vec::new();
    let mut unplaced = Vec::new();
    for audio in &inventory.audio {
        match layout::place(audio, source.root_name) {
            Some(p) => placed.push(p),
            None => unplaced.push(audio),
        }
    }
    let family = agreed_family(&placed, &inventory, source)?;
    let typed = resolve_machine_types(&placed, source)?;
    let (mut clips, mut rejected) = match family {
        Family::Dcase => dcase_clips(&typed),
        Family::Mimii => (mimii_clips(&typed, opts), Vec::new()),
    };
    rejected.extend(unplaced.into_iter().map(|a| Rejected {
        rel_path: a.rel_path.clone(),
        reason: layout::unplaced_reason(family),
    }));
    clips.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    rejected.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    if clips.is_empty() {
        return Err(DataError::Empty {
            dir: source.describe.to_owned(),
            found: describe_all_rejected(&rejected),
        });
    }
    let layout = dataset_layout(family, &clips);
    Ok(Dataset {
        layout,
        clips,
        rejected,
    })
}

/// The non-hidden, de-duplicated audio files among the given paths, and how many files there were.
struct Inventory {
    files: usize,
    audio: Vec<AudioPath>,
}

impl Inventory {
    /// Normalise the paths; keep audio files, skip hidden ones and everything else silently.
    fn of<S: AsRef<str>>(paths: &[S]) -> Self {
        let mut files = 0;
        let mut audio = Vec::new();
        for path in paths {
            let components = layout::path_components(path.as_ref());
            let Some(file_name) = components.last() else {
                continue;
            };
            files += 1;
            if components.iter().any(|c| names::is_ignored_component(c))
                || !names::is_audio_file_name(file_name)
            {
                continue;
            }
            audio.push(AudioPath {
                rel_path: components.join("/"),
                components,
            });
        }
        audio.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        audio.dedup_by(|a, b| a.rel_path == b.rel_path);
        Self { files, audio }
    }

    /// What was found when there is no audio file.
    fn describe_without_audio(&self) -> String {
        let extensions = AUDIO_EXTENSIONS.map(|e| format!(".{e}")).join(", ");
        match self.files {
            0 => "no files at all".to_owned(),
            1 => format!("1 file, not an audio file ({extensions})"),
            n => format!("{n} files, none of them an audio file ({extensions})"),
        }
    }
}

/// The one layout family all placed files agree on, or the error explaining why there is none.
fn agreed_family(
    placed: &[Placed<'_>],
    inventory: &Inventory,
    source: Source<'_>,
) -> Result<Family, DataError> {
    let roots = layout::distinct_roots(placed);
    match roots.as_slice() {
        [] => {
            let n = inventory.audio.len();
            let example = inventory
                .audio
                .first()
                .map(|a| a.rel_path.as_str())
                .unwrap_or_default();
            let files = if n == 1 {
                "the only audio file".to_owned()
            } else {
                format!("none of the {n} audio files")
            };
            let detail = format!("{files} sits in a known folder structure (e.g. '{example}')");
            Err(DataError::NoLayout {
                dir: source.describe.to_owned(),
                detail,
            })
        }
        [(root, _)] => Ok(root.family),
        many => {
            let listed: Vec<String> = many
                .iter()
                .map(|(root, example)| format!("'{example}' ({})", root.describe()))
                .collect();
            let detail = format!(
                "clips of more than one data set: {}; choose the folder of one data set",
                listed.join(", ")
            );
            Err(DataError::Ambiguous {
                dir: source.describe.to_owned(),
                detail,
            })
        }
    }
}

/// A placed file with its machine type known.
struct Typed<'a> {
    path: &'a AudioPath,
    machine_type: String,
    position: &'a Position,
}

/// Attach the machine type to every placed file; fails when the root is one machine type whose
/// folder name is unknown (a bare path list starting at `train/`).
fn resolve_machine_types<'a>(
    placed: &'a [Placed<'a>],
    source: Source<'_>,
) -> Result<Vec<Typed<'a>>, DataError> {
    placed
        .iter()
        .map(|p| match &p.machine_type {
            Some(machine_type) => Ok(Typed {
                path: p.path,
                machine_type: machine_type.clone(),
                position: &p.position,
            }),
            None => Err(unknown_type_error(p, source)),
        })
        .collect()
}

/// The error for files that sit directly in the split (or ID) folders of an unnamed root.
fn unknown_type_error(p: &Placed<'_>, source: Source<'_>) -> DataError {
    debug_assert_eq!(p.root.type_folders, TypeFolders::RootIsType);
    let detail = format!(
        "'{}' sits directly in the folders of one machine type, whose name is unknown; \
         include the machine-type folder in the paths (e.g. 'fan/{}')",
        p.path.rel_path, p.path.rel_path
    );
    DataError::NoLayout {
        dir: source.describe.to_owned(),
        detail,
    }
}

/// DCASE: label and ID from each file name; files whose names do not fit are rejected.
fn dcase_clips(typed: &[Typed<'_>]) -> (Vec<ClipEntry>, Vec<Rejected>) {
    let mut clips = Vec::new();
    let mut rejected = Vec::new();
    for t in typed {
        let Position::Dcase { split } = *t.position else {
            continue;
        };
        let file_name = t.path.file_name();
        let parsed = match split {
            Split::Train => {
                names::parse_dcase_train_name(file_name).map(|id| (Some(Label::Normal), id))
            }
            Split::Test => names::parse_dcase_test_name(file_name).map(|n| (n.label, n.machine_id)),
        };
        match parsed {
            Ok((label, machine_id)) => clips.push(ClipEntry {
                rel_path: t.path.rel_path.clone(),
                machine_type: t.machine_type.clone(),
                machine_id,
                split,
                label,
            }),
            Err(reason) => rejected.push(Rejected {
                rel_path: t.path.rel_path.clone(),
                reason,
            }),
        }
    }
    (clips, rejected)
}

/// MIMII: per (type, ID), the first N normal clips in path order are Train (N from
/// [`DatasetOptions::mimii_train_per_id`], default half rounded down, at most all), the other
/// normal clips and every abnormal clip are Test.
fn mimii_clips(typed: &[Typed<'_>], opts: &DatasetOptions) -> Vec<ClipEntry> {
    let mut normal_by_id: BTreeMap<(&str, &str), Vec<&AudioPath>> = BTreeMap::new();
    let mut clips = Vec::new();
    for t in typed {
        let Position::Mimii { machine_id, label } = t.position else {
            continue;
        };
        match label {
            Label::Normal => normal_by_id
                .entry((t.machine_type.as_str(), machine_id.as_str()))
                .or_default()
                .push(t.path),
            Label::Anomaly => clips.push(mimii_entry(
                t.path,
                &t.machine_type,
                machine_id,
                Split::Test,
                Label::Anomaly,
            )),
        }
    }
    for ((machine_type, machine_id), normals) in normal_by_id {
        let n_train = opts
            .mimii_train_per_id
            .unwrap_or(normals.len() / 2)
            .min(normals.len());
        for (i, path) in normals.into_iter().enumerate() {
            let split = if i < n_train {
                Split::Train
            } else {
                Split::Test
            };
            clips.push(mimii_entry(
                path,
                machine_type,
                machine_id,
                split,
                Label::Normal,
            ));
        }
    }
    clips
}

/// One MIMII clip entry.
fn mimii_entry(
    path: &AudioPath,
    machine_type: &str,
    machine_id: &str,
    split: Split,
    label: Label,
) -> ClipEntry {
    ClipEntry {
        rel_path: path.rel_path.clone(),
        machine_type: machine_type.to_owned(),
        machine_id: machine_id.to_owned(),
        split,
        label: Some(label),
    }
}

/// What was found when every audio file was rejected.
fn describe_all_rejected(rejected: &[Rejected]) -> String {
    let first = rejected
        .first()
        .map(|r| format!("'{}': {}", r.rel_path, r.reason))
        .unwrap_or_default();
    match rejected.len() {
        1 => format!("1 audio file, rejected ({first})"),
        n => format!("{n} audio files, all rejected (first: {first})"),
    }
}

/// DCASE data sets with any unlabelled clip are evaluation sets; the rest are development sets.
fn dataset_layout(family: Family, clips: &[ClipEntry]) -> Layout {
    match family {
        Family::Mimii => Layout::Mimii,
        Family::Dcase if clips.iter().any(|c| c.label.is_none()) => Layout::DcaseEval,
        Family::Dcase => Layout::DcaseDev,
    }
}
