//! Results on the page: the Table 2 view, the overlaid ROC curves, score histograms with the
//! threshold slider, and the exports.

use wasm_bindgen::prelude::*;

use super::{App, js_error, to_js};
use crate::eval::table::DCASE_MAX_FPR;
use crate::report::{
    OperatingPoint, RocSeries, histogram_svg, id_table_html, results_table_html, roc_svg,
};

/// Bins of the score histograms.
const HISTOGRAM_BINS: usize = 30;

#[wasm_bindgen]
impl App {
    /// The per-type × model table (`data-testid="results-table"`), empty before any run.
    pub fn results_html(&self) -> Result<String, JsValue> {
        let table = self.state.borrow().results.table().map_err(js_error)?;
        Ok(table.map(|t| results_table_html(&t)).unwrap_or_default())
    }

    /// The per-ID table.
    pub fn id_results_html(&self) -> Result<String, JsValue> {
        let table = self.state.borrow().results.table().map_err(js_error)?;
        Ok(table.map(|t| id_table_html(&t)).unwrap_or_default())
    }

    /// Models with results, in the order they were evaluated.
    pub fn result_models(&self) -> Vec<String> {
        let models = self.state.borrow().results.models();
        models.into_iter().map(|k| k.label().to_string()).collect()
    }

    /// Machine types with results.
    pub fn result_types(&self) -> Vec<String> {
        self.state.borrow().results.machine_types()
    }

    /// ROC curves of every model on `machine_type` (test clips pooled over IDs), FPR ≤ 0.1
    /// shaded; with `marker_model` and `threshold`, that model's operating point is marked.
    pub fn roc_svg(
        &self,
        machine_type: &str,
        marker_model: Option<String>,
        threshold: Option<f64>,
    ) -> String {
        let state = self.state.borrow();
        let mut series = Vec::new();
        let mut marker = None;
        for model in state.results.models() {
            let pooled = state.results.pooled(model, machine_type);
            let model = model.label().to_string();
            let Ok((roc, summary)) = pooled.roc() else {
                continue;
            };
            if let (Some(m), Some(t)) = (&marker_model, threshold)
                && *m == model
                && let Ok(c) = pooled.confusion(t)
            {
                marker = Some(OperatingPoint {
                    label: format!("{model} at {t:.4}"),
                    fpr: c.fpr,
                    tpr: c.tpr,
                });
            }
            series.push(RocSeries {
                label: model,
                roc,
                auc: summary.auc,
                pauc: summary.pauc,
            });
        }
        roc_svg(&series, DCASE_MAX_FPR, marker)
    }

    /// Histogram of `model`'s normal and anomalous test scores on `machine_type` with the
    /// threshold (`null`: the model file's default) and its confusion counts:
    /// `{svg, threshold, default_threshold, min, max, tpr, fpr, tp, fp, tn, fn}`.
    pub fn histogram(
        &self,
        model: &str,
        machine_type: &str,
        threshold: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let kind = crate::models::ModelKind::find(model)
            .ok_or_else(|| js_error(format!("no detector named {model}")))?;
        let pooled = state.results.pooled(kind, machine_type);
        if pooled.scores.is_empty() {
            return Err(js_error(format!(
                "no labelled scores of {model} on {machine_type}"
            )));
        }
        let name = format!("{machine_type}-{model}");
        let default_threshold = state
            .models
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.manifest.threshold.value);
        let min = pooled.scores.iter().copied().fold(f64::INFINITY, f64::min);
        let max = pooled
            .scores
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let threshold = threshold.or(default_threshold).unwrap_or((min + max) / 2.0);
        let confusion = pooled.confusion(threshold).ok();
        let svg = histogram_svg(
            &pooled.normal(),
            &pooled.anomalous(),
            Some(threshold),
            HISTOGRAM_BINS,
        );
        to_js(&serde_json::json!({
            "svg": svg,
            "threshold": threshold,
            "default_threshold": default_threshold,
            "min": min.min(threshold),
            "max": max.max(threshold),
            "confusion": confusion,
        }))
    }

    /// Every score and the DCASE files as one CSV text.
    pub fn export_csv(&self) -> Result<String, JsValue> {
        self.state.borrow().results.to_csv().map_err(js_error)
    }

    /// The results as JSON (the `sonogan eval --json` layout plus every clip score).
    pub fn export_json(&self) -> Result<String, JsValue> {
        let state = self.state.borrow();
        let config = serde_json::to_value(&state.last_run).unwrap_or_default();
        state.results.to_json(config).map_err(js_error)
    }
}
