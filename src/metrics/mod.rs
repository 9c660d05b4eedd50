//! ROC, AUC and pAUC with scikit-learn's exact semantics (spec §1.8).

/// A ROC curve: points at each distinct score threshold, starting at (0, 0).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Roc {
    pub fpr: Vec<f64>,
    pub tpr: Vec<f64>,
    /// Threshold of each point (the first is +inf).
    pub thresholds: Vec<f64>,
}

/// AUC and pAUC of one set of scores.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AucSummary {
    pub auc: f64,
    /// McClish-standardised partial AUC (sklearn `max_fpr`), spec §10.1.
    pub pauc: f64,
    /// Raw partial area divided by max_fpr (A_p / p).
    pub pauc_raw: f64,
    pub n_normal: usize,
    pub n_anomaly: usize,
}

/// Errors of the metrics.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricsError {
    #[error("placeholder")]
    Placeholder,
}

/// ROC curve of `scores` against `labels` (true = anomaly).
pub fn roc_curve(labels: &[bool], scores: &[f64]) -> Result<Roc, MetricsError> {
    let _ = (labels, scores);
    todo!()
}

/// AUC, McClish pAUC at `max_fpr` and the raw partial area.
pub fn auc_summary(labels: &[bool], scores: &[f64], max_fpr: f64) -> Result<AucSummary, MetricsError> {
    let _ = (labels, scores, max_fpr);
    todo!()
}
