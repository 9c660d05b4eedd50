//! Data set assembly: the clips of a [`SynthConfig`] in DCASE dev layout (docs/DESIGN.md §1.1) and
//! 16-bit WAV output.

use crate::data::{ClipEntry, Label, Split};

use super::{
    SynthConfig, SynthError, TEST_INDEX_OFFSET, default_ids, generate_clip, id_index, samples_for,
};

/// A clip of a data set and how to render it.
pub(super) struct PlannedClip {
    pub(super) entry: ClipEntry,
    pub(super) label: Label,
    pub(super) index: usize,
}

impl PlannedClip {
    pub(super) fn render(&self, config: &SynthConfig) -> Result<Vec<f32>, SynthError> {
        let e = &self.entry;
        generate_clip(
            &e.machine_type,
            &e.machine_id,
            self.label,
            self.index,
            config.secs,
            config.seed,
        )
    }
}

/// Every clip of `config`, validated and sorted by path.
pub(super) fn plan(config: &SynthConfig) -> Result<Vec<PlannedClip>, SynthError> {
    samples_for(config.secs)?;
    let mut planned = Vec::new();
    for machine_type in &config.types {
        let ids: Vec<&str> = if config.ids.is_empty() {
            default_ids(machine_type)?.to_vec()
        } else {
            config.ids.iter().map(String::as_str).collect()
        };
        for id in ids {
            id_index(machine_type, id)?;
            let groups = [
                (Split::Train, Label::Normal, config.train_per_id, 0),
                (
                    Split::Test,
                    Label::Normal,
                    config.test_normal_per_id,
                    TEST_INDEX_OFFSET,
                ),
                (
                    Split::Test,
                    Label::Anomaly,
                    config.test_anomaly_per_id,
                    TEST_INDEX_OFFSET,
                ),
            ];
            for (split, label, count, offset) in groups {
                for number in 0..count {
                    let entry = ClipEntry {
                        rel_path: dcase_path(machine_type, id, split, label, number),
                        machine_type: machine_type.clone(),
                        machine_id: id.to_string(),
                        split,
                        label: Some(label),
                    };
                    planned.push(PlannedClip {
                        entry,
                        label,
                        index: offset + number,
                    });
                }
            }
        }
    }
    planned.sort_by(|a, b| a.entry.rel_path.cmp(&b.entry.rel_path));
    planned.dedup_by(|a, b| a.entry.rel_path == b.entry.rel_path);
    Ok(planned)
}

/// `<type>/{train,test}/{normal,anomaly}_id_XX_NNNNNNNN.wav` (docs/DESIGN.md §1.1).
fn dcase_path(machine_type: &str, id: &str, split: Split, label: Label, number: usize) -> String {
    let split = match split {
        Split::Train => "train",
        Split::Test => "test",
    };
    let label = match label {
        Label::Normal => "normal",
        Label::Anomaly => "anomaly",
    };
    format!("{machine_type}/{split}/{label}_{id}_{number:08}.wav")
}

/// Write mono 16 kHz 16-bit PCM (docs/DESIGN.md §1.2, [`crate::audio::wav_bytes`]).
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn write_wav(path: &std::path::Path, samples: &[f32]) -> Result<(), SynthError> {
    let bytes = crate::audio::wav_bytes(samples, super::SAMPLE_RATE as u32)
        .map_err(|e| io_error(path, e))?;
    std::fs::write(path, bytes).map_err(|e| io_error(path, e))
}

#[cfg(not(target_arch = "wasm32"))]
pub(super) fn io_error(path: &std::path::Path, e: impl std::fmt::Display) -> SynthError {
    SynthError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}
