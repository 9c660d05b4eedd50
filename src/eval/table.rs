//! Per-ID / per-type AUC and pAUC tables, the seed paper's Table 2 layout, DCASE CSV files, and
//! seed sweeps ([`SweepTable`]: mean ± sd over seeds, bootstrap intervals, docs/DESIGN.md §1.10).
//!
//! Independent of models: the input is one [`ClipScore`] per (model, test clip). Following spec
//! §1.8, AUC and pAUC are computed **per machine ID** over that ID's labelled clips, the per-type
//! value is the arithmetic mean over IDs, and (docs/DESIGN.md §1.9, last line) the per-model value is the
//! mean over types.
//!
//! **IDs that cannot be scored are skipped, not fatal.** An ID whose labelled clips contain only
//! one class (or that has no labelled clips, as on the DCASE eval set) has no defined AUC. It is
//! listed in [`TypeTable::skipped`] with the reason, left out of every mean, noted under
//! [`format_table2`] and left out of `result.csv`; the remaining IDs are still reported. A type
//! (or model) with no scorable ID has no mean (`None`, `null` in JSON). Clips without a label are
//! ignored by the metrics (they still appear in the anomaly-score files). Hard errors are kept for
//! real faults: a non-finite score, the same clip twice, an invalid `max_fpr`.

mod dcase;
mod format;
mod pooled;
mod spread;
mod sweep;
mod sweep_json;

#[cfg(not(target_arch = "wasm32"))]
pub use dcase::write_dcase_files;
pub use dcase::{DcaseFile, RESULT_FILE_NAME, dcase_result_csv, dcase_score_files};
pub use format::{format_sweep_table2, format_table2};
pub use pooled::PooledScores;
pub use spread::{Spread, SpreadScores};
pub use sweep::{IdInterval, SeedScores, SeedTable, SweepId, SweepModel, SweepTable, SweepType};

use std::collections::{BTreeMap, HashSet};

use crate::data::Label;
use crate::metrics::{AucSummary, MetricsError, auc_summary};
use crate::models::ModelKind;

/// The max FPR of the DCASE 2020 pAUC (docs/DESIGN.md §1.8, §10.1).
pub const DCASE_MAX_FPR: f64 = 0.1;

/// The anomaly score one model gave one test clip.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClipScore {
    /// The detector that produced the score (a column group of Table 2).
    pub model: ModelKind,
    /// Machine type, e.g. "fan".
    pub machine_type: String,
    /// Machine ID, e.g. "id_00".
    pub machine_id: String,
    /// Path of the clip relative to the data set root ('/'-separated).
    pub rel_path: String,
    /// Ground truth; `None` for unlabelled (eval) clips.
    pub label: Option<Label>,
    /// Anomaly score: higher means more anomalous.
    pub score: f64,
}

/// Means of the per-ID values (arithmetic, docs/DESIGN.md §1.8).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MeanScores {
    /// Mean AUC.
    pub auc: f64,
    /// Mean McClish pAUC.
    pub pauc: f64,
    /// Mean raw pAUC (A_p / p).
    pub pauc_raw: f64,
}

/// The result of one machine ID.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IdRow {
    /// Machine ID, e.g. "id_00".
    pub machine_id: String,
    /// AUC, pAUC and class counts of the ID's labelled clips.
    pub summary: AucSummary,
}

/// A machine ID that could not be scored, with the reason.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedId {
    /// Machine ID, e.g. "id_00".
    pub machine_id: String,
    /// Why it has no AUC, e.g. "only one class present: no anomalous samples (…)".
    pub reason: String,
}

/// One machine type of one model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TypeTable {
    /// Machine type, e.g. "fan".
    pub machine_type: String,
    /// Scored IDs, sorted by ID.
    pub ids: Vec<IdRow>,
    /// IDs without a result, sorted by ID.
    pub skipped: Vec<SkippedId>,
    /// Mean over `ids`; `None` when no ID could be scored.
    pub mean: Option<MeanScores>,
}

/// All machine types of one model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelTable {
    /// The detector.
    pub model: ModelKind,
    /// Machine types, sorted by name.
    pub types: Vec<TypeTable>,
    /// Mean over the types that have a mean; `None` when none has.
    pub mean: Option<MeanScores>,
}

/// The evaluation table of one or more models.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalTable {
    /// The max FPR of the pAUC.
    pub max_fpr: f64,
    /// Models in the order they first appear in the input.
    pub models: Vec<ModelTable>,
}

/// Errors building an evaluation table or writing its files.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// A clip's score is NaN or infinite.
    #[error("model {model}: clip {rel_path} has score {score}; scores must be finite numbers")]
    NonFiniteScore {
        /// Model that produced the score.
        model: ModelKind,
        /// The clip.
        rel_path: String,
        /// The offending value.
        score: f64,
    },
    /// The same (model, clip) pair occurs twice.
    #[error("model {model}: clip {rel_path} is scored more than once")]
    DuplicateClip {
        /// The detector.
        model: ModelKind,
        /// The clip.
        rel_path: String,
    },
    /// `max_fpr` is not in (0, 1].
    #[error("max_fpr must lie in (0, 1], got {0}")]
    InvalidMaxFpr(f64),
    /// A model asked for is not in the table.
    #[error("model {0} is not in the evaluation table")]
    UnknownModel(ModelKind),
    /// A file of the DCASE output could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file or directory.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// A seed sweep lists the same seed twice.
    #[error("seed {0} occurs more than once in the sweep")]
    DuplicateSeed(u64),
    /// A bootstrap interval could not be computed.
    #[error("bootstrap interval: {0}")]
    Bootstrap(String),
}

/// Labelled scores of one ID, in input order.
type IdClips = Vec<(bool, f64)>;
/// type → ID → labelled scores (unlabelled clips only register the ID).
type ModelClips = BTreeMap<String, BTreeMap<String, IdClips>>;

impl EvalTable {
    /// Builds the table from per-clip scores with pAUC at `max_fpr` (DCASE: [`DCASE_MAX_FPR`]).
    pub fn build(scores: &[ClipScore], max_fpr: f64) -> Result<EvalTable, TableError> {
        if !(max_fpr > 0.0 && max_fpr <= 1.0) {
            return Err(TableError::InvalidMaxFpr(max_fpr));
        }
        check_clips(scores)?;
        let models = group_by_model(scores)
            .into_iter()
            .map(|(model, types)| model_table(model, types, max_fpr))
            .collect();
        Ok(EvalTable { max_fpr, models })
    }

    /// The table of one model.
    pub fn model(&self, model: ModelKind) -> Option<&ModelTable> {
        self.models.iter().find(|m| m.model == model)
    }

    /// The JSON form `{"<model>": {"<type>": {"ids": {"<id>": {"auc": a, "pauc": p}}, "auc": a,
    /// "pauc": p}}}`. Skipped IDs are absent; a type without a scorable ID has `null` means.
    pub fn to_json(&self) -> serde_json::Value {
        let models = self
            .models
            .iter()
            .map(|m| (m.model.name().to_string(), model_json(m)));
        serde_json::Value::Object(models.collect())
    }
}

impl serde::Serialize for EvalTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// Rejects non-finite scores and repeated (model, clip) pairs.
fn check_clips(scores: &[ClipScore]) -> Result<(), TableError> {
    let mut seen = HashSet::new();
    for clip in scores {
        if !clip.score.is_finite() {
            return Err(TableError::NonFiniteScore {
                model: clip.model,
                rel_path: clip.rel_path.clone(),
                score: clip.score,
            });
        }
        if !seen.insert((clip.model, clip.rel_path.as_str())) {
            return Err(TableError::DuplicateClip {
                model: clip.model,
                rel_path: clip.rel_path.clone(),
            });
        }
    }
    Ok(())
}

/// Groups the scores by model (first-appearance order), then type and ID (sorted).
fn group_by_model(scores: &[ClipScore]) -> Vec<(ModelKind, ModelClips)> {
    let mut models: Vec<(ModelKind, ModelClips)> = Vec::new();
    for clip in scores {
        let index = match models.iter().position(|(name, _)| *name == clip.model) {
            Some(index) => index,
            None => {
                models.push((clip.model, BTreeMap::new()));
                models.len() - 1
            }
        };
        let id_clips = models[index]
            .1
            .entry(clip.machine_type.clone())
            .or_default()
            .entry(clip.machine_id.clone())
            .or_default();
        if let Some(label) = clip.label {
            id_clips.push((label == Label::Anomaly, clip.score));
        }
    }
    models
}

/// Scores every type of one model and averages over types.
fn model_table(model: ModelKind, types: ModelClips, max_fpr: f64) -> ModelTable {
    let types: Vec<TypeTable> = types
        .into_iter()
        .map(|(machine_type, ids)| type_table(machine_type, ids, max_fpr))
        .collect();
    let mean = mean_of(types.iter().filter_map(|t| t.mean));
    ModelTable { model, types, mean }
}

/// Scores every ID of one type; IDs without a defined AUC become [`SkippedId`]s.
fn type_table(machine_type: String, ids: BTreeMap<String, IdClips>, max_fpr: f64) -> TypeTable {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (machine_id, clips) in ids {
        match score_id(&clips, max_fpr) {
            Ok(summary) => rows.push(IdRow {
                machine_id,
                summary,
            }),
            Err(reason) => skipped.push(SkippedId { machine_id, reason }),
        }
    }
    let mean = mean_of(rows.iter().map(|r| MeanScores {
        auc: r.summary.auc,
        pauc: r.summary.pauc,
        pauc_raw: r.summary.pauc_raw,
    }));
    TypeTable {
        machine_type,
        ids: rows,
        skipped,
        mean,
    }
}

/// AUC summary of one ID, or the reason it has none.
fn score_id(clips: &IdClips, max_fpr: f64) -> Result<AucSummary, String> {
    if clips.is_empty() {
        return Err("no labelled clips".to_string());
    }
    let (labels, scores): (Vec<bool>, Vec<f64>) = clips.iter().copied().unzip();
    auc_summary(&labels, &scores, max_fpr).map_err(|e: MetricsError| e.to_string())
}

/// Arithmetic mean of each field; `None` for no values.
fn mean_of(values: impl Iterator<Item = MeanScores>) -> Option<MeanScores> {
    let mut n = 0usize;
    let mut sum = MeanScores {
        auc: 0.0,
        pauc: 0.0,
        pauc_raw: 0.0,
    };
    for v in values {
        n += 1;
        sum.auc += v.auc;
        sum.pauc += v.pauc;
        sum.pauc_raw += v.pauc_raw;
    }
    (n > 0).then(|| {
        let n = n as f64;
        MeanScores {
            auc: sum.auc / n,
            pauc: sum.pauc / n,
            pauc_raw: sum.pauc_raw / n,
        }
    })
}

/// `{"<type>": {"ids": {...}, "auc": a, "pauc": p}}` of one model.
fn model_json(model: &ModelTable) -> serde_json::Value {
    let types = model.types.iter().map(|t| {
        let ids = t.ids.iter().map(|r| {
            (
                r.machine_id.clone(),
                serde_json::json!({ "auc": r.summary.auc, "pauc": r.summary.pauc }),
            )
        });
        let ids = serde_json::Value::Object(ids.collect());
        let value = serde_json::json!({
            "ids": ids,
            "auc": t.mean.map(|m| m.auc),
            "pauc": t.mean.map(|m| m.pauc),
        });
        (t.machine_type.clone(), value)
    });
    serde_json::Value::Object(types.collect())
}
