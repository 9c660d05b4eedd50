//! Evaluation results on the page: every model's test-clip scores, the Table 2 view, ROC
//! series, score histograms with a threshold, and the DCASE-format exports (docs/DESIGN.md §1.7, §1.8).

use crate::data::Label;
pub use crate::eval::table::PooledScores;
use crate::eval::table::{
    ClipScore, DCASE_MAX_FPR, SeedScores, SweepTable, dcase_result_csv, dcase_score_files,
};
use crate::models::ModelKind;

/// Every clip score of the page's evaluations, per training seed (docs/DESIGN.md §1.10); a new
/// run of a model on a machine type replaces that pair's earlier scores of every seed.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// One entry per seed with scores, sorted by seed.
    runs: Vec<SeedScores>,
}

impl Results {
    /// True when nothing has been evaluated.
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|r| r.scores.is_empty())
    }

    /// The scores per seed, sorted by seed.
    pub fn runs(&self) -> &[SeedScores] {
        &self.runs
    }

    /// The scores the ROC plots and histograms show: per (model, type) those of its lowest seed.
    pub fn scores(&self) -> Vec<ClipScore> {
        let mut taken: Vec<(ModelKind, &str)> = Vec::new();
        let mut out = Vec::new();
        for run in &self.runs {
            let mut here: Vec<(ModelKind, &str)> = Vec::new();
            for s in &run.scores {
                let pair = (s.model, s.machine_type.as_str());
                if taken.contains(&pair) {
                    continue;
                }
                if !here.contains(&pair) {
                    here.push(pair);
                }
                out.push(s.clone());
            }
            taken.extend(here);
        }
        out
    }

    /// Stores `scores` of `model` on `machine_type` under `seed`, dropping that pair's earlier
    /// scores of every seed (the first seed of a new run).
    pub fn replace(
        &mut self,
        model: ModelKind,
        machine_type: &str,
        seed: u64,
        scores: Vec<ClipScore>,
    ) {
        for run in &mut self.runs {
            run.scores
                .retain(|s| !(s.model == model && s.machine_type == machine_type));
        }
        self.add_seed(model, machine_type, seed, scores);
    }

    /// Stores `scores` of `model` on `machine_type` under `seed` beside the pair's other seeds
    /// (a further seed of the same run), replacing only that seed's earlier ones.
    pub fn add_seed(
        &mut self,
        model: ModelKind,
        machine_type: &str,
        seed: u64,
        scores: Vec<ClipScore>,
    ) {
        let index = match self.runs.binary_search_by_key(&seed, |r| r.seed) {
            Ok(index) => index,
            Err(index) => {
                let scores = Vec::new();
                self.runs.insert(index, SeedScores { seed, scores });
                index
            }
        };
        let run = &mut self.runs[index].scores;
        run.retain(|s| !(s.model == model && s.machine_type == machine_type));
        run.extend(scores);
        self.runs.retain(|r| !r.scores.is_empty());
    }

    /// Forgets every result.
    pub fn clear(&mut self) {
        self.runs.clear();
    }

    /// Models in the order they were first evaluated.
    pub fn models(&self) -> Vec<ModelKind> {
        let mut names: Vec<ModelKind> = Vec::new();
        for s in self.runs.iter().flat_map(|r| &r.scores) {
            if !names.contains(&s.model) {
                names.push(s.model);
            }
        }
        names
    }

    /// Machine types evaluated, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let scores = self.runs.iter().flat_map(|r| &r.scores);
        let mut types: Vec<String> = scores.map(|s| s.machine_type.clone()).collect();
        types.sort();
        types.dedup();
        types
    }

    /// The per-ID / per-type tables of every seed and their spreads (docs/DESIGN.md §1.8,
    /// §1.10), `None` before any evaluation.
    pub fn table(&self) -> Result<Option<SweepTable>, String> {
        if self.is_empty() {
            return Ok(None);
        }
        SweepTable::build(&self.runs, DCASE_MAX_FPR)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// Labelled scores of `model` on `machine_type` (unlabelled clips left out).
    /// Those of the pair's lowest seed, as [`Results::scores`].
    pub fn pooled(&self, model: ModelKind, machine_type: &str) -> PooledScores {
        let run = self.runs.iter().find(|r| {
            r.scores
                .iter()
                .any(|s| s.model == model && s.machine_type == machine_type)
        });
        PooledScores::of(run.map_or(&[], |r| &r.scores), model, machine_type)
    }

    /// Scores as one CSV: `model,machine_type,machine_id,file,label,score,seed`, plus each
    /// model's DCASE files (`anomaly_score_<type>_<id>.csv` blocks and `result.csv`) after a
    /// `# file: <model>/…` line (`# file: <model>/seed_<n>/…` when there are several seeds, as
    /// `sonogan eval --out-dir` lays them out).
    pub fn to_csv(&self) -> Result<String, String> {
        let mut out = String::from("model,machine_type,machine_id,file,label,score,seed\n");
        for run in &self.runs {
            for s in &run.scores {
                let label = match s.label {
                    Some(Label::Normal) => "normal",
                    Some(Label::Anomaly) => "anomaly",
                    None => "",
                };
                out.push_str(&format!(
                    "{},{},{},{},{label},{},{}\n",
                    csv_field(s.model.label()),
                    csv_field(&s.machine_type),
                    csv_field(&s.machine_id),
                    csv_field(&s.rel_path),
                    s.score,
                    run.seed
                ));
            }
        }
        let Some(sweep) = self.table()? else {
            return Ok(out);
        };
        let several = self.runs.len() > 1;
        for (run, seed_table) in self.runs.iter().zip(&sweep.runs) {
            for model in seed_table.table.models.iter().map(|m| m.model) {
                let folder = if several {
                    format!("{}/seed_{}", model.label(), run.seed)
                } else {
                    model.label().to_string()
                };
                for file in dcase_score_files(&run.scores, model).map_err(|e| e.to_string())? {
                    out.push_str(&format!(
                        "\n# file: {folder}/{}\n{}",
                        file.name, file.contents
                    ));
                }
                let result =
                    dcase_result_csv(&seed_table.table, model).map_err(|e| e.to_string())?;
                out.push_str(&format!("\n# file: {folder}/result.csv\n{result}"));
            }
        }
        Ok(out)
    }

    /// The results as JSON, in the layout of `sonogan eval --json` (`models` → type → ids as
    /// mean ± sd over seeds, `averages`, `seeds`, `runs` with every seed's numbers and bootstrap
    /// intervals), with every clip score and its seed.
    pub fn to_json(&self, config: serde_json::Value) -> Result<String, String> {
        let mut value = match self.table()? {
            Some(sweep) => sweep.to_json(),
            None => serde_json::json!({ "models": {} }),
        };
        let scores: Vec<SeededScore> = self
            .runs
            .iter()
            .flat_map(|r| {
                r.scores
                    .iter()
                    .map(|clip| SeededScore { seed: r.seed, clip })
            })
            .collect();
        value["config"] = config;
        value["scores"] = serde_json::to_value(scores).map_err(|e| e.to_string())?;
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())
    }
}

/// A clip score with the seed it was made with, for the JSON export.
#[derive(serde::Serialize)]
struct SeededScore<'a> {
    seed: u64,
    #[serde(flatten)]
    clip: &'a ClipScore,
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
