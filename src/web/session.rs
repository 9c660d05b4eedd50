//! The page's data: every clip it has loaded (built-in, dropped, decoded by the browser or
//! recorded), with labels from the file names (the core data layouts) and their log-Mel
//! spectrograms, plus every file it could not use and why. Target-agnostic, so native tests
//! cover it; `worker` is the only wasm-specific layer on top.

pub use super::analyse::{Analysed, SourceAudio, analyse};

use super::analyse::with_log_mel;
use super::budget::{self, FEATURE_VALUE_BYTES, MemoryBudget};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::audio::{self, DecodeOptions};
use crate::data::synth::{self, SynthConfig};
use crate::data::{ClipEntry, Dataset, DatasetOptions, Label, Rejected, Split};
use crate::eval::protocol::FeatureClip;
use crate::features::{FeatureConfig, FeatureExtractor, FrameStack, Vectors};

/// Samples the session keeps for playback and drawing before it drops them for further clips
/// (64 Mi samples = 256 MiB, about 400 ten-second clips); the page re-reads such clips from
/// their files when one is looked at.
pub const SAMPLE_BUDGET: usize = 64 << 20;

/// One input file: its path relative to the drop (folder drops keep their folders) and audio.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// '/'-separated path, e.g. `fan/train/normal_id_00_00000000.wav` or just a file name.
    pub path: String,
    /// The audio.
    pub audio: SourceAudio,
}

/// A usable clip: where it sits in the data set, its spectrogram and (budget permitting) samples.
#[derive(Debug, Clone)]
pub struct LoadedClip {
    /// Path, machine type, ID, split and label.
    pub entry: ClipEntry,
    /// Log-Mel spectrogram, frame-major (`[t * n_mels + m]`), docs/DESIGN.md §1.3, read as the
    /// clip's stacked vectors (§13.1) and shared with training runs.
    pub log_mel: Arc<FrameStack>,
    /// 16 kHz mono samples, when kept (see [`SAMPLE_BUDGET`]).
    pub samples: Option<Vec<f32>>,
    /// Length of the clip in seconds.
    pub seconds: f64,
}

impl LoadedClip {
    /// Number of spectrogram frames.
    pub fn frames(&self, n_mels: usize) -> usize {
        self.log_mel.frame_values().len() / n_mels.max(1)
    }
}

/// What one call that added files did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct AddReport {
    /// Clips added (or replaced, when the path was already loaded).
    pub added: usize,
    /// Files rejected by this call.
    pub rejected: usize,
    /// Of those, files refused because their features would exceed the memory budget
    /// ([`MemoryBudget::feature_bytes`]); once one is, every later file of the call is too.
    pub over_budget: usize,
}

/// All clips of the page, sorted by path, and the files it rejected.
pub struct Session {
    extractor: FeatureExtractor,
    clips: Vec<LoadedClip>,
    rejected: Vec<Rejected>,
    kept_samples: usize,
    /// Log-Mel values of all clips, against `budget.feature_bytes`.
    feature_values: usize,
    budget: MemoryBudget,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// An empty session with the DCASE feature configuration (docs/DESIGN.md §1.3) and the
    /// default memory budget.
    pub fn new() -> Self {
        Self::with_budget(MemoryBudget::default())
    }

    /// An empty session that holds at most `budget` (docs/DESIGN.md §12.4).
    pub fn with_budget(budget: MemoryBudget) -> Self {
        Self {
            extractor: FeatureExtractor::new(FeatureConfig::default()),
            clips: Vec::new(),
            rejected: Vec::new(),
            kept_samples: 0,
            feature_values: 0,
            budget,
        }
    }

    /// What the session may hold.
    pub fn budget(&self) -> MemoryBudget {
        self.budget
    }

    /// Changes the budget for the files added from now on; clips already loaded stay.
    pub fn set_budget(&mut self, budget: MemoryBudget) {
        self.budget = budget;
    }

    /// Bytes of log-Mel features the clips hold now (at most `budget().feature_bytes`).
    pub fn feature_bytes(&self) -> usize {
        self.feature_values * FEATURE_VALUE_BYTES
    }

    /// The feature configuration every clip was computed with.
    pub fn feature_config(&self) -> &FeatureConfig {
        self.extractor.config()
    }

    /// The clips, sorted by path.
    pub fn clips(&self) -> &[LoadedClip] {
        &self.clips
    }

    /// Files that could not be used, in the order they were met.
    pub fn rejected(&self) -> &[Rejected] {
        &self.rejected
    }

    /// The clip at `path`.
    pub fn clip(&self, path: &str) -> Option<&LoadedClip> {
        self.clips.iter().find(|c| c.entry.rel_path == path)
    }

    /// Forgets every clip and rejection.
    pub fn clear(&mut self) {
        self.clips.clear();
        self.rejected.clear();
        self.kept_samples = 0;
        self.feature_values = 0;
    }

    /// Machine types with at least one clip, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let mut types: Vec<String> = self
            .clips
            .iter()
            .map(|c| c.entry.machine_type.clone())
            .collect();
        types.dedup();
        types.sort();
        types.dedup();
        types
    }

    /// The built-in synthetic machine sounds (DCASE dev layout), replacing clips at the same paths.
    pub fn add_synthetic(&mut self, config: &SynthConfig) -> Result<AddReport, String> {
        let generated = synth::generate(config).map_err(|e| e.to_string())?;
        let mut report = AddReport::default();
        for clip in generated {
            // As written to 16-bit WAV and read back, like `sonogan synth` data (see tests/learning.rs).
            let samples = audio::quantise_16_bit(&clip.samples);
            self.insert_samples(clip.entry, samples, &mut report);
        }
        Ok(report)
    }

    /// Adds a microphone recording as a clip of `machine_type`/`machine_id`: a normal training
    /// clip, or a test clip with the given label. Its path is `<type>/<split>/<label>_<id>_rec<n>.wav`.
    pub fn add_recording(
        &mut self,
        machine_type: &str,
        machine_id: &str,
        split: Split,
        label: Label,
        channels: &[Vec<f32>],
        sample_rate: u32,
    ) -> Result<String, String> {
        let n = self.clips.len() + self.rejected.len();
        let prefix = match label {
            Label::Normal => "normal",
            Label::Anomaly => "anomaly",
        };
        let folder = match split {
            Split::Train => "train",
            Split::Test => "test",
        };
        let rel_path = format!("{machine_type}/{folder}/{prefix}_{machine_id}_rec{n:05}.wav");
        let clip =
            audio::clip_from_channels(&rel_path, channels, sample_rate, &DecodeOptions::default())
                .map_err(|e| e.to_string())?;
        let entry = ClipEntry {
            rel_path: rel_path.clone(),
            machine_type: machine_type.to_string(),
            machine_id: machine_id.to_string(),
            split,
            label: Some(label),
        };
        let mut report = AddReport::default();
        self.insert_samples(entry, clip.samples, &mut report);
        match report.added {
            1 => Ok(rel_path),
            _ => Err(self
                .rejected
                .last()
                .map(|r| r.reason.clone())
                .unwrap_or_else(|| "the recording could not be used".into())),
        }
    }

    /// Adds dropped or chosen files. Paths with folders are read as a data set (DCASE dev/eval
    /// or MIMII layout, labels from names); a bare file name is taken as a test clip of
    /// `default_type` (`<default_type>/test/<name>`), labelled by its name when it follows the
    /// DCASE pattern and unlabelled otherwise. Every file that cannot be used is listed with the
    /// reason; an error only when the paths do not form a data set at all (nothing is changed).
    pub fn add_files(
        &mut self,
        files: Vec<SourceFile>,
        default_type: &str,
    ) -> Result<AddReport, String> {
        let default_type = sanitise_type(default_type);
        let (bare, nested): (Vec<SourceFile>, Vec<SourceFile>) =
            files.into_iter().partition(|f| !f.path.contains('/'));
        let mut report = AddReport::default();
        if !nested.is_empty() {
            let paths: Vec<&str> = nested.iter().map(|f| f.path.as_str()).collect();
            let dataset = Dataset::from_paths(&paths, &DatasetOptions::default())
                .map_err(|e| e.to_string())?;
            self.add_dataset_files(dataset, nested, &mut report);
        }
        for file in bare {
            let entry = bare_file_entry(&file.path, &default_type);
            self.decode_and_insert(entry, file.audio, &mut report);
        }
        Ok(report)
    }

    fn add_dataset_files(
        &mut self,
        dataset: Dataset,
        files: Vec<SourceFile>,
        report: &mut AddReport,
    ) {
        let mut by_path: BTreeMap<String, SourceAudio> =
            files.into_iter().map(|f| (f.path, f.audio)).collect();
        for rejected in dataset.rejected {
            self.reject(rejected.rel_path, rejected.reason, report);
        }
        for entry in dataset.clips {
            match by_path.remove(&entry.rel_path) {
                Some(audio) => self.decode_and_insert(entry, audio, report),
                None => self.reject(entry.rel_path, "file content missing".into(), report),
            }
        }
    }

    fn decode_and_insert(&mut self, entry: ClipEntry, source: SourceAudio, report: &mut AddReport) {
        if report.over_budget > 0 {
            // Beyond the budget already: not even decoded.
            return self.refuse(entry.rel_path, report);
        }
        match analyse(&mut self.extractor, &entry.rel_path, source) {
            Ok(analysed) => self.insert_analysed(entry, analysed, report),
            Err(reason) => self.reject(entry.rel_path, reason, report),
        }
    }

    /// Computes the features of a decoded clip and stores it (replacing one at the same path).
    fn insert_samples(&mut self, entry: ClipEntry, samples: Vec<f32>, report: &mut AddReport) {
        match with_log_mel(&mut self.extractor, &entry.rel_path, samples) {
            Ok(analysed) => self.insert_analysed(entry, analysed, report),
            Err(reason) => self.reject(entry.rel_path, reason, report),
        }
    }

    /// Stores an analysed clip (replacing one at the same path) after checking that its
    /// spectrogram fits its samples (a feature worker's result is checked like any input).
    fn insert_analysed(&mut self, entry: ClipEntry, analysed: Analysed, report: &mut AddReport) {
        let values = analysed.log_mel.len();
        if !self.fits_budget(&entry.rel_path, values, report) {
            return self.refuse(entry.rel_path, report);
        }
        let config = self.extractor.config();
        let expected = config.frame_count(analysed.samples.len()) * config.n_mels;
        if analysed.log_mel.len() != expected || analysed.samples.len() < config.min_samples() {
            let reason = format!(
                "{}: the spectrogram from the feature worker has {} values, expected {expected}",
                entry.rel_path,
                analysed.log_mel.len()
            );
            return self.reject(entry.rel_path, reason, report);
        }
        let Analysed { samples, log_mel } = analysed;
        let log_mel = match FrameStack::new(log_mel, config.n_mels, config.frames) {
            Ok(frames) => Arc::new(frames),
            Err(problem) => {
                let reason = format!("{}: {problem}", entry.rel_path);
                return self.reject(entry.rel_path, reason, report);
            }
        };
        let seconds = samples.len() as f64 / f64::from(self.extractor.config().sample_rate);
        self.remove(&entry.rel_path);
        let keep = self.kept_samples + samples.len() <= self.budget.kept_samples;
        if keep {
            self.kept_samples += samples.len();
        }
        let clip = LoadedClip {
            entry,
            log_mel,
            samples: keep.then_some(samples),
            seconds,
        };
        let at = self
            .clips
            .partition_point(|c| c.entry.rel_path < clip.entry.rel_path);
        self.clips.insert(at, clip);
        self.feature_values += values;
        report.added += 1;
    }

    /// Whether `values` more log-Mel values at `path` (replacing the clip there) stay within the
    /// feature budget, with no earlier file of this call refused for it (docs/DESIGN.md §12.4).
    fn fits_budget(&self, path: &str, values: usize, report: &AddReport) -> bool {
        let n_mels = self.extractor.config().n_mels;
        let freed = self.clip(path).map_or(0, |c| c.frames(n_mels) * n_mels);
        let limit = self.budget.feature_bytes / FEATURE_VALUE_BYTES;
        report.over_budget == 0 && (self.feature_values - freed).saturating_add(values) <= limit
    }

    /// Lists `rel_path` as refused for the budget; unlike [`Self::reject`], a clip already
    /// loaded at that path stays.
    fn refuse(&mut self, rel_path: String, report: &mut AddReport) {
        self.rejected.retain(|r| r.rel_path != rel_path);
        let reason = format!("{rel_path}: {}", budget::refusal(self));
        self.rejected.push(Rejected { rel_path, reason });
        report.rejected += 1;
        report.over_budget += 1;
    }

    fn remove(&mut self, path: &str) {
        if let Some(at) = self.clips.iter().position(|c| c.entry.rel_path == path) {
            let old = self.clips.remove(at);
            let n_mels = self.extractor.config().n_mels;
            self.feature_values -= old.frames(n_mels) * n_mels;
            self.kept_samples -= old.samples.map_or(0, |s| s.len());
        }
        self.rejected.retain(|r| r.rel_path != path);
    }

    fn reject(&mut self, rel_path: String, reason: String, report: &mut AddReport) {
        self.remove(&rel_path);
        self.rejected.push(Rejected { rel_path, reason });
        report.rejected += 1;
    }

    /// Feature vectors (docs/DESIGN.md §1.4) of samples that are not a loaded clip (the live meter's
    /// windows), with the session's extractor; errors name `name`.
    pub fn vectors(&mut self, name: &str, samples: &[f32]) -> Result<Vectors, String> {
        self.extractor
            .vectors(name, samples)
            .map_err(|e| e.to_string())
    }

    /// The clips of `machine_type` in `split`, in path order, sharing their frames (docs/DESIGN.md
    /// §13.1).
    pub fn feature_clips(&self, machine_type: &str, split: Split) -> Vec<FeatureClip> {
        self.clips
            .iter()
            .filter(|c| c.entry.machine_type == machine_type && c.entry.split == split)
            .map(|c| FeatureClip {
                entry: c.entry.clone(),
                features: Arc::clone(&c.log_mel),
            })
            .collect()
    }
}

/// Where a file dropped on its own goes: a test clip of `machine_type`, labelled and given an ID
/// from a DCASE-style name (`normal_id_00_….wav`, `anomaly_id_02_….wav`), else unlabelled `id_00`.
fn bare_file_entry(name: &str, machine_type: &str) -> ClipEntry {
    let rel_path = format!("{machine_type}/test/{name}");
    let parsed = Dataset::from_paths(&[rel_path.as_str()], &DatasetOptions::default())
        .ok()
        .and_then(|d| d.clips.into_iter().next());
    parsed.unwrap_or(ClipEntry {
        rel_path,
        machine_type: machine_type.to_string(),
        machine_id: "id_00".to_string(),
        split: Split::Test,
        label: None,
    })
}

/// A machine-type name usable as a folder: trimmed, '/' and '\' replaced, never empty.
fn sanitise_type(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| if c == '/' || c == '\\' { '_' } else { c })
        .collect();
    if cleaned.is_empty() {
        "uploaded".to_string()
    } else {
        cleaned
    }
}
