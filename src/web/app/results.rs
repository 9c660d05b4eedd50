//! Results queries: the Table 2 view, the overlaid ROC curves, score histograms with the
//! threshold slider, and the exports.

use super::PageApp;
use crate::eval::table::DCASE_MAX_FPR;
use crate::models::ModelKind;
use crate::report::{
    Metric, OperatingPoint, figure4_svg, histogram_svg, id_table_html, results_table_html,
    roc_series_by_model, roc_svg, roc_type_svg,
};
use crate::web::messages::{DetectorInfo, HistogramView, Reply, ResultsView};
use crate::web::results::{PooledScores, Results};

/// Bins of the score histograms.
const HISTOGRAM_BINS: usize = 30;

/// The results tables and Figure 4 bars (empty before any run; mean ± sd over the seeds,
/// docs/DESIGN.md §1.10) and the models, types and seeds with results.
pub(super) fn view(app: &PageApp) -> Result<Reply, String> {
    let state = app.state.borrow();
    let table = state.results.table()?;
    let bars = |metric| {
        table
            .as_ref()
            .map(|t| figure4_svg(t, metric))
            .unwrap_or_default()
    };
    Ok(Reply::Results(ResultsView {
        results_html: table.as_ref().map(results_table_html).unwrap_or_default(),
        id_results_html: table.as_ref().map(id_table_html).unwrap_or_default(),
        figure4_auc_svg: bars(Metric::Auc),
        figure4_pauc_svg: bars(Metric::Pauc),
        seeds: table.as_ref().map(|t| t.seeds()).unwrap_or_default(),
        models: state
            .results
            .models()
            .into_iter()
            .map(DetectorInfo::from)
            .collect(),
        machine_types: state.results.machine_types(),
    }))
}

/// The histogram of `model` on `machine_type` at `threshold` (`None`: the model file's default,
/// else the middle of the scores) with its confusion counts, and the ROC plot of the type with
/// that operating point. Without a model or type, only the (empty) ROC plot.
pub(super) fn histogram(
    app: &PageApp,
    model: Option<ModelKind>,
    machine_type: Option<String>,
    threshold: Option<f64>,
) -> Result<Reply, String> {
    let state = app.state.borrow();
    let (Some(model), Some(machine_type)) = (model, machine_type) else {
        return Ok(Reply::Histogram(HistogramView {
            roc_svg: roc_plot(&state.results, "", None),
            svg: None,
            threshold: None,
            default_threshold: None,
            min: None,
            max: None,
            confusion: None,
        }));
    };
    let kind = model;
    let pooled = state.results.pooled(kind, &machine_type);
    if pooled.scores.is_empty() {
        return Err(format!(
            "no labelled scores of {} on {machine_type}",
            kind.label()
        ));
    }
    // The newest model of this kind trained on (or made for) this machine type.
    let default_threshold = state
        .models
        .iter()
        .rev()
        .find(|m| {
            m.manifest.kind() == kind && m.manifest.data.machine_types.contains(&machine_type)
        })
        .map(|m| m.manifest.threshold.value);
    let (min, max) = score_range(&pooled);
    let threshold = threshold.or(default_threshold).unwrap_or((min + max) / 2.0);
    let svg = histogram_svg(
        &pooled.normal(),
        &pooled.anomalous(),
        Some(threshold),
        HISTOGRAM_BINS,
    );
    Ok(Reply::Histogram(HistogramView {
        roc_svg: roc_plot(&state.results, &machine_type, Some((kind, threshold))),
        svg: Some(svg),
        threshold: Some(threshold),
        default_threshold,
        min: Some(min.min(threshold)),
        max: Some(max.max(threshold)),
        confusion: pooled.confusion(threshold).ok(),
    }))
}

/// The smallest and largest score.
fn score_range(pooled: &PooledScores) -> (f64, f64) {
    let min = pooled.scores.iter().copied().fold(f64::INFINITY, f64::min);
    let max = pooled
        .scores
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// ROC curves of every model on `machine_type` (test clips of each model's lowest seed pooled
/// over IDs), FPR ≤ 0.1 shaded; with `marker` (model, threshold), that model's operating point is
/// marked.
fn roc_plot(results: &Results, machine_type: &str, marker: Option<(ModelKind, f64)>) -> String {
    let series = roc_series_by_model(&results.scores(), machine_type, DCASE_MAX_FPR);
    let point = marker.and_then(|(kind, threshold)| {
        let label = kind.label();
        if !series.iter().any(|s| s.label == label) {
            return None;
        }
        let c = results
            .pooled(kind, machine_type)
            .confusion(threshold)
            .ok()?;
        Some(OperatingPoint {
            label: format!("{label} at {threshold:.4}"),
            fpr: c.fpr,
            tpr: c.tpr,
        })
    });
    if machine_type.is_empty() {
        roc_svg(&series, DCASE_MAX_FPR, point)
    } else {
        roc_type_svg(&series, machine_type, DCASE_MAX_FPR, point)
    }
}

/// Every score and the DCASE files as one CSV text.
pub(super) fn export_csv(app: &PageApp) -> Result<Reply, String> {
    let text = app.state.borrow().results.to_csv()?;
    Ok(Reply::Text { text })
}

/// The results as JSON (the `sonogan eval --json` layout plus every clip score).
pub(super) fn export_json(app: &PageApp) -> Result<Reply, String> {
    let state = app.state.borrow();
    let config = serde_json::to_value(&state.last_run).unwrap_or_default();
    let text = state.results.to_json(config)?;
    Ok(Reply::Text { text })
}
