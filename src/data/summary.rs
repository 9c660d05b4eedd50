//! Clip counts of a data set per machine type → ID → split → label, for `sonogan info` and the
//! web page.

use std::collections::BTreeMap;
use std::fmt;

use crate::data::{ClipEntry, Dataset, Label, Layout, Split};

/// Clip counts of one split of one machine ID, by label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LabelCounts {
    /// Clips labelled normal.
    pub normal: usize,
    /// Clips labelled anomalous.
    pub anomaly: usize,
    /// Clips without a label (DCASE evaluation set).
    pub unlabelled: usize,
}

impl LabelCounts {
    /// All clips, whatever their label.
    pub fn total(&self) -> usize {
        self.normal + self.anomaly + self.unlabelled
    }

    /// Count one more clip with this label.
    fn add(&mut self, label: Option<Label>) {
        match label {
            Some(Label::Normal) => self.normal += 1,
            Some(Label::Anomaly) => self.anomaly += 1,
            None => self.unlabelled += 1,
        }
    }
}

/// Clip counts of one machine ID, per split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdSummary {
    /// Training clips.
    pub train: LabelCounts,
    /// Test clips.
    pub test: LabelCounts,
}

impl IdSummary {
    /// The counts of one split.
    pub fn split(&self, split: Split) -> &LabelCounts {
        match split {
            Split::Train => &self.train,
            Split::Test => &self.test,
        }
    }

    /// All clips of this ID.
    pub fn total(&self) -> usize {
        self.train.total() + self.test.total()
    }
}

/// Clip counts of a whole data set. Maps are ordered (machine types and IDs sorted), so the
/// serialised form and the text table are stable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatasetSummary {
    /// The detected layout.
    pub layout: Layout,
    /// Number of usable clips.
    pub clips: usize,
    /// Number of rejected files.
    pub rejected: usize,
    /// Counts per machine type, then per machine ID.
    pub machine_types: BTreeMap<String, BTreeMap<String, IdSummary>>,
}

impl DatasetSummary {
    /// Count the clips of a data set.
    pub fn of(dataset: &Dataset) -> Self {
        let machine_types = count_clips(&dataset.clips);
        Self {
            layout: dataset.layout,
            clips: dataset.clips.len(),
            rejected: dataset.rejected.len(),
            machine_types,
        }
    }
}

/// A plain-text table: one line per machine type and ID with train and test counts by label.
impl fmt::Display for DatasetSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "layout {:?}: {} clips, {} rejected files",
            self.layout, self.clips, self.rejected
        )?;
        writeln!(
            f,
            "{:<14} {:<8} {:>12} {:>12} {:>12} {:>12}",
            "type", "id", "train normal", "test normal", "test anomaly", "test unlab."
        )?;
        for (machine_type, ids) in &self.machine_types {
            for (machine_id, s) in ids {
                writeln!(
                    f,
                    "{machine_type:<14} {machine_id:<8} {:>12} {:>12} {:>12} {:>12}",
                    s.train.normal, s.test.normal, s.test.anomaly, s.test.unlabelled
                )?;
            }
        }
        Ok(())
    }
}

/// Clip counts per machine type, then per machine ID, split and label (for [`DatasetSummary`]
/// and the web page's summary of its loaded clips).
pub fn count_clips<'a>(
    clips: impl IntoIterator<Item = &'a ClipEntry>,
) -> BTreeMap<String, BTreeMap<String, IdSummary>> {
    let mut machine_types: BTreeMap<String, BTreeMap<String, IdSummary>> = BTreeMap::new();
    for clip in clips {
        let id = machine_types
            .entry(clip.machine_type.clone())
            .or_default()
            .entry(clip.machine_id.clone())
            .or_default();
        match clip.split {
            Split::Train => id.train.add(clip.label),
            Split::Test => id.test.add(clip.label),
        }
    }
    machine_types
}
