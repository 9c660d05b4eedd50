//! The JSON form of a [`SweepTable`] (docs/DESIGN.md §1.10): the spreads in the layout of
//! [`EvalTable::to_json`](super::EvalTable::to_json), and every seed's own numbers with their
//! bootstrap intervals.

use serde_json::{Value, json};

use super::spread::{Spread, SpreadScores};
use super::sweep::{SeedTable, SweepModel, SweepTable};
use crate::metrics::{BootstrapCi, BootstrapConfig};

impl SweepTable {
    /// The sweep as JSON:
    ///
    /// - `models`: `{"<model>": {"<type>": {"ids": {"<id>": {"auc", "pauc", "auc_sd", "pauc_sd",
    ///   "n"}}, "auc", "pauc", "auc_sd", "pauc_sd", "n"}}}` — means over seeds (with one seed
    ///   exactly that seed's numbers, as `sonogan eval --json` always wrote them), sample sds
    ///   (`null` with one seed), `n` = seeds averaged;
    /// - `averages`: `{"<model>": {"auc", "pauc", "auc_sd", "pauc_sd", "n"}}`, the mean over types;
    /// - `seeds`: the seeds in run order;
    /// - `runs`: `[{"seed": s, "models": <that seed's EvalTable::to_json>}]`, where each scored ID
    ///   also has `"auc_ci": [lo, hi]` and `"pauc_ci": [lo, hi]`;
    /// - `bootstrap`: the interval settings (`resamples`, `level`, `seed`).
    pub fn to_json(&self) -> Value {
        let models = self
            .models
            .iter()
            .map(|m| (m.model.name().to_string(), model_json(m)));
        let averages = self.models.iter().map(|m| {
            let value = m.mean.map_or(Value::Null, |s| scores_json(&s));
            (m.model.name().to_string(), value)
        });
        let bootstrap = self
            .runs
            .iter()
            .flat_map(|r| r.intervals.first())
            .map(|i| i.ci.config)
            .next()
            .unwrap_or_default();
        json!({
            "models": Value::Object(models.collect()),
            "averages": Value::Object(averages.collect()),
            "seeds": self.seeds(),
            "runs": self.runs.iter().map(run_json).collect::<Vec<_>>(),
            "bootstrap": bootstrap_json(&bootstrap),
        })
    }
}

/// `{"<type>": {"ids": {...}, "auc", "pauc", "auc_sd", "pauc_sd", "n"}}` of one model.
fn model_json(model: &SweepModel) -> Value {
    let types = model.types.iter().map(|t| {
        let ids = t
            .ids
            .iter()
            .map(|i| (i.machine_id.clone(), scores_json(&i.scores)));
        let mut value = t.mean.map_or_else(
            || json!({ "auc": null, "pauc": null, "auc_sd": null, "pauc_sd": null, "n": 0 }),
            |s| scores_json(&s),
        );
        value["ids"] = Value::Object(ids.collect());
        (t.machine_type.clone(), value)
    });
    Value::Object(types.collect())
}

/// `{"auc", "pauc", "auc_sd", "pauc_sd", "n"}`.
fn scores_json(scores: &SpreadScores) -> Value {
    json!({
        "auc": scores.auc.mean,
        "pauc": scores.pauc.mean,
        "auc_sd": sd(&scores.auc),
        "pauc_sd": sd(&scores.pauc),
        "n": scores.auc.n,
    })
}

fn sd(spread: &Spread) -> Value {
    spread.sd.map_or(Value::Null, Value::from)
}

/// One seed's table JSON with the intervals added to its IDs.
fn run_json(run: &SeedTable) -> Value {
    let mut models = run.table.to_json();
    for i in &run.intervals {
        let id = &mut models[i.model.name()][&i.machine_type]["ids"][&i.machine_id];
        let BootstrapCi { auc, pauc, .. } = i.ci;
        id["auc_ci"] = json!([auc.lo, auc.hi]);
        id["pauc_ci"] = json!([pauc.lo, pauc.hi]);
    }
    json!({ "seed": run.seed, "models": models })
}

fn bootstrap_json(config: &BootstrapConfig) -> Value {
    json!({
        "resamples": config.resamples,
        "level": config.level,
        "seed": config.seed,
        "method": "stratified percentile bootstrap over test clips",
    })
}
