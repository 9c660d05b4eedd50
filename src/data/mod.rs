//! Data sets: DCASE dev/eval and MIMII layouts, labels from file names, splits, seeded subsets,
//! and the built-in synthetic machine sounds (`synth`).
//!
//! Accepted layouts (docs/DESIGN.md §1.1), paths relative to the data set root:
//! - DCASE 2020 development: `<type>/train/normal_id_XX_N.wav`,
//!   `<type>/test/{normal,anomaly}_id_XX_N.wav`;
//! - DCASE 2020 evaluation: `<type>/test/id_XX_N.wav` (unlabelled), optionally with
//!   `<type>/train/normal_id_XX_N.wav`; labelled and unlabelled test files may be mixed;
//! - MIMII: `<type>/id_XX/{normal,abnormal}/<name>.wav`; per (type, ID) the first N normal clips in
//!   path order are Train (N = [`DatasetOptions::mimii_train_per_id`], default half rounded
//!   down), the other normal clips and all abnormal clips are Test.
//!
//! Machine types are whatever folder names appear. The root may also be one machine type itself
//! (`fan/` holding `train/` and `test/`: the type is the root folder's name), or the machine-type
//! folders may sit inside wrapper folders (`dev_data/fan/train/...`) as long as every clip shares
//! the same wrapper; clips of two data sets in one tree (`dev_data/` and `eval_data/`) are an
//! error. Audio means `.wav`, `.flac`, `.ogg`, `.mp3` or `.webm` in any case; other files and
//! hidden entries (`.DS_Store`, `._x.wav`, `__MACOSX/`) are ignored silently; audio files that fit
//! neither the folders nor the naming scheme are listed in [`Dataset::rejected`] with the reason.
//! Folder names `train`, `test`, `normal`, `abnormal` and the prefixes `normal_`, `anomaly_`,
//! `id_` are matched ignoring ASCII case.

mod build;
mod layout;
mod names;
#[cfg(not(target_arch = "wasm32"))]
mod scan;
#[cfg(not(target_arch = "wasm32"))]
pub use scan::file_paths;
mod subset;
mod summary;
pub mod synth;

pub use names::{
    AUDIO_EXTENSIONS, DcaseName, is_audio_file_name, machine_id_in_path, parse_dcase_name,
    parse_dcase_test_name, parse_dcase_train_name, parse_machine_id,
};
pub use subset::subset;
pub use summary::{DatasetSummary, IdSummary, LabelCounts, count_clips};

/// Train or test split.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Split {
    /// Training clips (normal only).
    Train,
    /// Test clips (normal, anomalous or unlabelled).
    Test,
}

/// Ground truth of a clip.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Label {
    /// A normal machine sound.
    Normal,
    /// An anomalous machine sound.
    Anomaly,
}

/// Which directory layout a data set uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// `<type>/{train,test}/{normal,anomaly}_id_XX_N.wav`
    DcaseDev,
    /// `<type>/test/id_XX_N.wav` (unlabelled); any DCASE data set with at least one unlabelled
    /// clip counts as an evaluation set.
    DcaseEval,
    /// `<type>/id_XX/{normal,abnormal}/N.wav`
    Mimii,
}

/// One clip of a data set, located by its path relative to the data set root ('/'-separated).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClipEntry {
    /// Path relative to the data set root, '/'-separated.
    pub rel_path: String,
    /// Machine type: the name of its machine-type folder (e.g. "fan", "ToyCar").
    pub machine_type: String,
    /// Machine ID such as "id_00".
    pub machine_id: String,
    /// Train or test.
    pub split: Split,
    /// `None` for unlabelled (eval) clips.
    pub label: Option<Label>,
}

/// A file that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejected {
    /// Path relative to the data set root, '/'-separated.
    pub rel_path: String,
    /// Why the file was not used.
    pub reason: String,
}

/// A data set: its clips (sorted by path) and every file it could not use.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dataset {
    /// The detected layout.
    pub layout: Layout,
    /// Usable clips, sorted by path (byte order).
    pub clips: Vec<ClipEntry>,
    /// Audio files that could not be used, sorted by path.
    pub rejected: Vec<Rejected>,
}

/// Options of data set construction.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatasetOptions {
    /// MIMII: normal clips per ID used for training (default: half, rounded down; at most all).
    pub mimii_train_per_id: Option<usize>,
}

/// Errors building a data set. Each message names the folder (or "the given file list").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    /// The data set folder does not exist.
    #[error("data set folder '{path}' does not exist")]
    NotFound {
        /// The folder as given.
        path: String,
    },
    /// The data set path is a file, not a folder.
    #[error(
        "'{path}' is not a folder: give the data set folder (e.g. 'dev_data' or 'dev_data/fan')"
    )]
    NotADirectory {
        /// The path as given.
        path: String,
    },
    /// A folder could not be listed.
    #[error("cannot read folder '{path}': {reason}")]
    Unreadable {
        /// The folder that failed.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// Audio files were found, but none in a known folder structure.
    #[error(
        "no known data set layout in {dir}: {detail}; expected DCASE paths such as \
         'fan/train/normal_id_00_00000000.wav' and 'fan/test/anomaly_id_00_00000000.wav', \
         or MIMII paths such as 'fan/id_00/normal/00000000.wav'"
    )]
    NoLayout {
        /// The folder (or file list) searched.
        dir: String,
        /// What was found instead, with an example path.
        detail: String,
    },
    /// Clips of more than one data set (different layouts or different wrapper folders).
    #[error("ambiguous data set in {dir}: {detail}")]
    Ambiguous {
        /// The folder (or file list) searched.
        dir: String,
        /// The competing roots, each with an example path.
        detail: String,
    },
    /// No usable clip.
    #[error("no usable clip in {dir}: {found}")]
    Empty {
        /// The folder (or file list) searched.
        dir: String,
        /// What was found instead (file counts, or the rejected count and first reason).
        found: String,
    },
}

/// How messages name a bare path list.
const FILE_LIST: &str = "the given file list";

impl Dataset {
    /// Build a data set from relative paths (separated by `/` or `\`), e.g. the paths of a browser
    /// folder drop. The paths must include the machine-type folder (`fan/train/...`) unless the
    /// root is named with [`Dataset::from_folder_paths`]. Clips and rejected files come out sorted
    /// by path (byte order).
    pub fn from_paths<S: AsRef<str>>(
        paths: &[S],
        opts: &DatasetOptions,
    ) -> Result<Dataset, DataError> {
        build::build(
            paths,
            build::Source {
                root_name: None,
                describe: FILE_LIST,
            },
            opts,
        )
    }

    /// Like [`Dataset::from_paths`], for paths relative to a folder named `folder_name`; that name
    /// is the machine type when the folder is itself one type (paths `train/...`, `test/...`).
    pub fn from_folder_paths<S: AsRef<str>>(
        folder_name: &str,
        paths: &[S],
        opts: &DatasetOptions,
    ) -> Result<Dataset, DataError> {
        let describe = format!("folder '{folder_name}'");
        build::build(
            paths,
            build::Source {
                root_name: Some(folder_name),
                describe: &describe,
            },
            opts,
        )
    }

    /// Walk a directory and build its data set (native only). Clip paths are relative to `root`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn scan(root: &std::path::Path, opts: &DatasetOptions) -> Result<Dataset, DataError> {
        scan::scan(root, opts)
    }

    /// Machine types present, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let mut t: Vec<String> = self.clips.iter().map(|c| c.machine_type.clone()).collect();
        t.sort();
        t.dedup();
        t
    }

    /// Machine IDs of one type (in any split), sorted.
    pub fn ids(&self, machine_type: &str) -> Vec<String> {
        self.sorted_ids(|c| c.machine_type == machine_type)
    }

    /// Machine IDs with test clips of one type, sorted: the IDs evaluated per ID (docs/DESIGN.md §1.1 takes
    /// the ID list from the test file names).
    pub fn test_ids(&self, machine_type: &str) -> Vec<String> {
        self.sorted_ids(|c| c.machine_type == machine_type && c.split == Split::Test)
    }

    /// Clips of one type and split, sorted by path.
    pub fn select(&self, machine_type: &str, split: Split) -> Vec<&ClipEntry> {
        self.clips
            .iter()
            .filter(|c| c.machine_type == machine_type && c.split == split)
            .collect()
    }

    /// Test clips of one type and ID, sorted by path (for DCASE names: anomaly before normal).
    pub fn test_clips(&self, machine_type: &str, machine_id: &str) -> Vec<&ClipEntry> {
        self.clips
            .iter()
            .filter(|c| {
                c.machine_type == machine_type
                    && c.machine_id == machine_id
                    && c.split == Split::Test
            })
            .collect()
    }

    /// Clip counts per type → ID → split → label.
    pub fn summary(&self) -> DatasetSummary {
        DatasetSummary::of(self)
    }

    /// The distinct IDs of the clips that pass `keep`, sorted.
    fn sorted_ids(&self, keep: impl Fn(&ClipEntry) -> bool) -> Vec<String> {
        let mut ids: Vec<String> = self
            .clips
            .iter()
            .filter(|c| keep(c))
            .map(|c| c.machine_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}
