//! Evaluation results on the page: every model's test-clip scores, the Table 2 view, ROC
//! series, score histograms with a threshold, and the DCASE-format exports (docs/DESIGN.md §1.7, §1.8).

use crate::data::Label;
pub use crate::eval::table::PooledScores;
use crate::eval::table::{
    ClipScore, DCASE_MAX_FPR, EvalTable, dcase_result_csv, dcase_score_files,
};
use crate::models::ModelKind;

/// Every clip score of the page's evaluations; a new run of a model on a machine type replaces
/// that model's earlier scores on the type.
#[derive(Debug, Clone, Default)]
pub struct Results {
    scores: Vec<ClipScore>,
}

impl Results {
    /// True when nothing has been evaluated.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// Every clip score.
    pub fn scores(&self) -> &[ClipScore] {
        &self.scores
    }

    /// Stores `scores` of `model` on `machine_type`, replacing that pair's earlier ones.
    pub fn replace(&mut self, model: ModelKind, machine_type: &str, scores: Vec<ClipScore>) {
        self.scores
            .retain(|s| !(s.model == model && s.machine_type == machine_type));
        self.scores.extend(scores);
    }

    /// Forgets every result.
    pub fn clear(&mut self) {
        self.scores.clear();
    }

    /// Models in the order they were first evaluated.
    pub fn models(&self) -> Vec<ModelKind> {
        let mut names: Vec<ModelKind> = Vec::new();
        for s in &self.scores {
            if !names.contains(&s.model) {
                names.push(s.model);
            }
        }
        names
    }

    /// Machine types evaluated, sorted.
    pub fn machine_types(&self) -> Vec<String> {
        let mut types: Vec<String> = self.scores.iter().map(|s| s.machine_type.clone()).collect();
        types.sort();
        types.dedup();
        types
    }

    /// The per-ID / per-type table (docs/DESIGN.md §1.8), `None` before any evaluation.
    pub fn table(&self) -> Result<Option<EvalTable>, String> {
        if self.scores.is_empty() {
            return Ok(None);
        }
        EvalTable::build(&self.scores, DCASE_MAX_FPR)
            .map(Some)
            .map_err(|e| e.to_string())
    }

    /// Labelled scores of `model` on `machine_type` (unlabelled clips left out).
    pub fn pooled(&self, model: ModelKind, machine_type: &str) -> PooledScores {
        PooledScores::of(&self.scores, model, machine_type)
    }

    /// Scores as one CSV: `model,machine_type,machine_id,file,label,score`, plus each model's
    /// DCASE files (`anomaly_score_<type>_<id>.csv` blocks and `result.csv`) after a `# file:` line.
    pub fn to_csv(&self) -> Result<String, String> {
        let mut out = String::from("model,machine_type,machine_id,file,label,score\n");
        for s in &self.scores {
            let label = match s.label {
                Some(Label::Normal) => "normal",
                Some(Label::Anomaly) => "anomaly",
                None => "",
            };
            out.push_str(&format!(
                "{},{},{},{},{label},{}\n",
                csv_field(s.model.label()),
                csv_field(&s.machine_type),
                csv_field(&s.machine_id),
                csv_field(&s.rel_path),
                s.score
            ));
        }
        let table = self.table()?;
        for model in self.models() {
            for file in dcase_score_files(&self.scores, model).map_err(|e| e.to_string())? {
                out.push_str(&format!(
                    "\n# file: {}/{}\n{}",
                    model.label(),
                    file.name,
                    file.contents
                ));
            }
            if let Some(table) = &table {
                let result = dcase_result_csv(table, model).map_err(|e| e.to_string())?;
                out.push_str(&format!("\n# file: {}/result.csv\n{result}", model.label()));
            }
        }
        Ok(out)
    }

    /// The results as JSON, in the layout of `sonogan eval --json` (`models` → type → ids), with
    /// every clip score.
    pub fn to_json(&self, config: serde_json::Value) -> Result<String, String> {
        let models = match self.table()? {
            Some(table) => table.to_json(),
            None => serde_json::json!({}),
        };
        let value = serde_json::json!({
            "models": models,
            "config": config,
            "scores": self.scores,
        });
        serde_json::to_string_pretty(&value).map_err(|e| e.to_string())
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
