//! Data sets: DCASE dev/eval and MIMII layouts, labels from file names, splits, seeded subsets,
//! and the built-in synthetic machine sounds (`synth`).

pub mod synth;

/// Train or test split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Split {
    Train,
    Test,
}

/// Ground truth of a clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Label {
    Normal,
    Anomaly,
}

/// Which directory layout a data set uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Layout {
    /// `<type>/{train,test}/{normal,anomaly}_id_XX_N.wav`
    DcaseDev,
    /// `<type>/test/id_XX_N.wav` (unlabelled)
    DcaseEval,
    /// `<type>/id_XX/{normal,abnormal}/N.wav`
    Mimii,
}

/// One clip of a data set, located by its path relative to the data set root ('/'-separated).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClipEntry {
    pub rel_path: String,
    pub machine_type: String,
    /// Machine ID such as "id_00".
    pub machine_id: String,
    pub split: Split,
    /// `None` for unlabelled (eval) clips.
    pub label: Option<Label>,
}

/// A file that could not be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rejected {
    pub rel_path: String,
    pub reason: String,
}

/// A data set: its clips (sorted by path) and every file it could not use.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Dataset {
    pub layout: Layout,
    pub clips: Vec<ClipEntry>,
    pub rejected: Vec<Rejected>,
}

/// Options of data set construction.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatasetOptions {
    /// MIMII: normal clips per ID used for training (default: half, rounded down).
    pub mimii_train_per_id: Option<usize>,
}

impl Default for DatasetOptions {
    fn default() -> Self {
        Self { mimii_train_per_id: None }
    }
}

/// Errors building a data set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataError {
    #[error("placeholder")]
    Placeholder,
}

impl Dataset {
    /// Build a data set from relative paths (works natively and for browser folder drops).
    pub fn from_paths<S: AsRef<str>>(paths: &[S], opts: &DatasetOptions) -> Result<Dataset, DataError> {
        let _ = (paths, opts);
        todo!()
    }
    /// Walk a directory and build its data set (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn scan(root: &std::path::Path, opts: &DatasetOptions) -> Result<Dataset, DataError> {
        let _ = (root, opts);
        todo!()
    }
    /// Machine types present, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let mut t: Vec<String> = self.clips.iter().map(|c| c.machine_type.clone()).collect();
        t.sort();
        t.dedup();
        t
    }
    /// Clips of one type and split, sorted by path.
    pub fn select(&self, machine_type: &str, split: Split) -> Vec<&ClipEntry> {
        self.clips.iter().filter(|c| c.machine_type == machine_type && c.split == split).collect()
    }
}

/// Keep at most `per_id` clips per (type, ID, split, label), chosen with a seeded RNG; keeps
/// path order.
pub fn subset(clips: &[ClipEntry], per_id: usize, seed: u64) -> Vec<ClipEntry> {
    let _ = (clips, per_id, seed);
    todo!()
}
