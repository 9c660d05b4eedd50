//! Seed sweeps (docs/DESIGN.md §1.10): the same evaluation once per training seed, one
//! [`EvalTable`] per seed, and per cell (model × type, model × type × ID, model average) the mean
//! ± sample standard deviation over the seeds, plus a bootstrap confidence interval of every
//! scored ID's AUC and pAUC in every seed.
//!
//! A value is averaged over the seeds that have it (a model trained with fewer seeds than another
//! simply has a smaller `n`). The model average of one seed is that seed's mean over types
//! (docs/DESIGN.md §1.9), so its sd is the spread of the per-seed averages.

use std::collections::{BTreeMap, BTreeSet};

use super::spread::SpreadScores;
use super::{ClipScore, EvalTable, SkippedId, TableError, TypeTable};
use crate::data::Label;
use crate::metrics::{BootstrapCi, BootstrapConfig, bootstrap_ci};
use crate::models::ModelKind;

/// The clip scores of one seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedScores {
    /// The training seed (`TrainConfig::seed`) the detectors were built and trained with.
    pub seed: u64,
    /// One score per (model, test clip) of that seed.
    pub scores: Vec<ClipScore>,
}

/// A bootstrap interval of one scored ID of one model in one seed.
#[derive(Debug, Clone, PartialEq)]
pub struct IdInterval {
    /// The detector.
    pub model: ModelKind,
    /// Machine type.
    pub machine_type: String,
    /// Machine ID.
    pub machine_id: String,
    /// AUC and pAUC intervals over the ID's test clips.
    pub ci: BootstrapCi,
}

/// The table and the bootstrap intervals of one seed.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedTable {
    /// The seed.
    pub seed: u64,
    /// Its per-ID / per-type table.
    pub table: EvalTable,
    /// One interval per scored (model, type, ID), in table order.
    pub intervals: Vec<IdInterval>,
}

impl SeedTable {
    /// The interval of `model` on `machine_type` / `machine_id`, if that ID was scored.
    pub fn interval(
        &self,
        model: ModelKind,
        machine_type: &str,
        machine_id: &str,
    ) -> Option<&BootstrapCi> {
        self.intervals
            .iter()
            .find(|i| {
                i.model == model && i.machine_type == machine_type && i.machine_id == machine_id
            })
            .map(|i| &i.ci)
    }
}

/// One machine ID of one model over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepId {
    /// Machine ID.
    pub machine_id: String,
    /// Its AUC and pAUC, mean ± sd over the seeds that scored it.
    pub scores: SpreadScores,
}

/// One machine type of one model over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepType {
    /// Machine type.
    pub machine_type: String,
    /// IDs scored in at least one seed, sorted.
    pub ids: Vec<SweepId>,
    /// IDs no seed could score (with the first seed's reason), sorted.
    pub skipped: Vec<SkippedId>,
    /// The type's mean over IDs, mean ± sd over seeds; `None` when no seed has one.
    pub mean: Option<SpreadScores>,
}

/// One model over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepModel {
    /// The detector.
    pub model: ModelKind,
    /// Machine types, sorted.
    pub types: Vec<SweepType>,
    /// Per seed the mean over types, then mean ± sd over seeds; `None` when no seed has one.
    pub mean: Option<SpreadScores>,
}

/// An evaluation repeated over seeds: every seed's table and intervals, and their spreads.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepTable {
    /// The max FPR of the pAUC.
    pub max_fpr: f64,
    /// One table per seed, in input order.
    pub runs: Vec<SeedTable>,
    /// Models in first-appearance order over the runs.
    pub models: Vec<SweepModel>,
}

impl SweepTable {
    /// Builds the per-seed tables (pAUC at `max_fpr`), the bootstrap intervals with the default
    /// [`BootstrapConfig`] (1,000 stratified resamples, 95 %, seed
    /// [`crate::metrics::BOOTSTRAP_SEED`]) and the spreads over seeds.
    ///
    /// ```
    /// use sonogan::data::Label;
    /// use sonogan::eval::table::{ClipScore, DCASE_MAX_FPR, SeedScores, SweepTable};
    /// use sonogan::models::ModelKind;
    /// let clip = |n: usize, label, score| ClipScore {
    ///     model: ModelKind::Ae, machine_type: "fan".into(), machine_id: "id_00".into(),
    ///     rel_path: format!("fan/test/{n}.wav"), label: Some(label), score,
    /// };
    /// let run = |seed, anomaly_score| SeedScores {
    ///     seed,
    ///     scores: vec![clip(0, Label::Normal, 0.5), clip(1, Label::Normal, 1.5),
    ///                  clip(2, Label::Anomaly, anomaly_score)],
    /// };
    /// // AUC 1 with seed 0, ½ with seed 1: mean 0.75, sd √(2·0.25²) ≈ 0.354.
    /// let sweep = SweepTable::build(&[run(0, 2.0), run(1, 1.0)], DCASE_MAX_FPR).unwrap();
    /// let auc = sweep.models[0].types[0].mean.unwrap().auc;
    /// assert!((auc.mean - 0.75).abs() < 1e-12);
    /// assert!((auc.sd.unwrap() - 0.125f64.sqrt()).abs() < 1e-12);
    /// ```
    pub fn build(runs: &[SeedScores], max_fpr: f64) -> Result<SweepTable, TableError> {
        Self::build_with(runs, max_fpr, &BootstrapConfig::default())
    }

    /// [`SweepTable::build`] with explicit bootstrap settings.
    pub fn build_with(
        runs: &[SeedScores],
        max_fpr: f64,
        bootstrap: &BootstrapConfig,
    ) -> Result<SweepTable, TableError> {
        let mut seen = BTreeSet::new();
        let mut tables = Vec::with_capacity(runs.len());
        for run in runs {
            if !seen.insert(run.seed) {
                return Err(TableError::DuplicateSeed(run.seed));
            }
            let table = EvalTable::build(&run.scores, max_fpr)?;
            let intervals = intervals(&table, &run.scores, bootstrap)?;
            tables.push(SeedTable {
                seed: run.seed,
                table,
                intervals,
            });
        }
        let models = model_order(&tables)
            .into_iter()
            .map(|model| sweep_model(model, &tables))
            .collect();
        Ok(SweepTable {
            max_fpr,
            runs: tables,
            models,
        })
    }

    /// The seeds, in input order.
    pub fn seeds(&self) -> Vec<u64> {
        self.runs.iter().map(|r| r.seed).collect()
    }

    /// The aggregate of one model.
    pub fn model(&self, model: ModelKind) -> Option<&SweepModel> {
        self.models.iter().find(|m| m.model == model)
    }

    /// Every machine type of any model, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let types: BTreeSet<&str> = self
            .models
            .iter()
            .flat_map(|m| m.types.iter().map(|t| t.machine_type.as_str()))
            .collect();
        types.into_iter().map(str::to_string).collect()
    }

    /// The interval the page and the HTML report show for an ID: that of the first seed (input
    /// order) that scored it, with the seed (docs/DESIGN.md §1.10).
    pub fn shown_interval(
        &self,
        model: ModelKind,
        machine_type: &str,
        machine_id: &str,
    ) -> Option<(u64, &BootstrapCi)> {
        self.runs.iter().find_map(|run| {
            run.interval(model, machine_type, machine_id)
                .map(|ci| (run.seed, ci))
        })
    }
}

impl SweepType {
    /// The aggregate of one ID.
    pub fn id(&self, machine_id: &str) -> Option<&SweepId> {
        self.ids.iter().find(|i| i.machine_id == machine_id)
    }
}

impl SweepModel {
    /// The aggregate of one machine type.
    pub fn machine_type(&self, machine_type: &str) -> Option<&SweepType> {
        self.types.iter().find(|t| t.machine_type == machine_type)
    }
}

/// One scored ID: (model, machine type, machine ID).
type IdKey<'a> = (ModelKind, &'a str, &'a str);

/// Bootstrap intervals of every scored ID of `table`, from the labelled clips in `scores`.
fn intervals(
    table: &EvalTable,
    scores: &[ClipScore],
    bootstrap: &BootstrapConfig,
) -> Result<Vec<IdInterval>, TableError> {
    let mut clips: BTreeMap<IdKey<'_>, (Vec<bool>, Vec<f64>)> = BTreeMap::new();
    for clip in scores {
        if let Some(label) = clip.label {
            let entry = clips
                .entry((clip.model, &clip.machine_type, &clip.machine_id))
                .or_default();
            entry.0.push(label == Label::Anomaly);
            entry.1.push(clip.score);
        }
    }
    let mut out = Vec::new();
    for model in &table.models {
        for t in &model.types {
            for row in &t.ids {
                let key = (
                    model.model,
                    t.machine_type.as_str(),
                    row.machine_id.as_str(),
                );
                let (labels, values) = &clips[&key];
                let ci = bootstrap_ci(labels, values, table.max_fpr, bootstrap)
                    .map_err(|e| TableError::Bootstrap(e.to_string()))?;
                out.push(IdInterval {
                    model: model.model,
                    machine_type: t.machine_type.clone(),
                    machine_id: row.machine_id.clone(),
                    ci,
                });
            }
        }
    }
    Ok(out)
}

/// Models in first-appearance order over the runs.
fn model_order(tables: &[SeedTable]) -> Vec<ModelKind> {
    let mut models = Vec::new();
    for m in tables.iter().flat_map(|t| &t.table.models) {
        if !models.contains(&m.model) {
            models.push(m.model);
        }
    }
    models
}

/// The aggregate of `model` over the seeds that have it.
fn sweep_model(model: ModelKind, tables: &[SeedTable]) -> SweepModel {
    let per_seed: Vec<_> = tables.iter().filter_map(|t| t.table.model(model)).collect();
    let types: BTreeSet<&str> = per_seed
        .iter()
        .flat_map(|m| m.types.iter().map(|t| t.machine_type.as_str()))
        .collect();
    let types = types
        .into_iter()
        .map(|machine_type| {
            let seeds: Vec<&TypeTable> = per_seed
                .iter()
                .filter_map(|m| m.types.iter().find(|t| t.machine_type == machine_type))
                .collect();
            sweep_type(machine_type, &seeds)
        })
        .collect();
    let means: Vec<(f64, f64)> = per_seed
        .iter()
        .filter_map(|m| m.mean.map(|s| (s.auc, s.pauc)))
        .collect();
    SweepModel {
        model,
        types,
        mean: SpreadScores::of(&means),
    }
}

/// The aggregate of one machine type from its table in each seed.
fn sweep_type(machine_type: &str, seeds: &[&TypeTable]) -> SweepType {
    let scored: BTreeSet<&str> = seeds
        .iter()
        .flat_map(|t| t.ids.iter().map(|r| r.machine_id.as_str()))
        .collect();
    let ids = scored
        .iter()
        .filter_map(|&machine_id| {
            let pairs: Vec<(f64, f64)> = seeds
                .iter()
                .filter_map(|t| t.ids.iter().find(|r| r.machine_id == machine_id))
                .map(|r| (r.summary.auc, r.summary.pauc))
                .collect();
            Some(SweepId {
                machine_id: machine_id.to_string(),
                scores: SpreadScores::of(&pairs)?,
            })
        })
        .collect();
    let mut skipped: Vec<SkippedId> = Vec::new();
    for s in seeds.iter().flat_map(|t| &t.skipped) {
        let known = skipped.iter().any(|k| k.machine_id == s.machine_id);
        if !scored.contains(s.machine_id.as_str()) && !known {
            skipped.push(s.clone());
        }
    }
    skipped.sort_by(|a, b| a.machine_id.cmp(&b.machine_id));
    let means: Vec<(f64, f64)> = seeds
        .iter()
        .filter_map(|t| t.mean.map(|m| (m.auc, m.pauc)))
        .collect();
    SweepType {
        machine_type: machine_type.to_string(),
        ids,
        skipped,
        mean: SpreadScores::of(&means),
    }
}
