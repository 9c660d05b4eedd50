//! ROC, AUC and pAUC with scikit-learn's exact semantics (docs/DESIGN.md §1.8).
//!
//! - [`roc_curve`] is sklearn's `roc_curve(y, s, drop_intermediate=False)`: one point per distinct
//!   score, (0, 0) prepended with threshold +inf.
//! - [`auc_summary`] gives `roc_auc_score(y, s)` (trapezoidal, ties earn half credit) and
//!   `roc_auc_score(y, s, max_fpr=p)` (McClish-standardised partial AUC, docs/DESIGN.md §1.8 step 4 and
//!   §10.1), plus the raw partial area divided by `p`.
//! - [`bootstrap_ci`] gives stratified percentile-bootstrap intervals of both (docs/DESIGN.md
//!   §1.10).
//! - [`confusion_at`] counts the confusion matrix at one decision threshold (for display).
//! - [`parse_scores_csv`] reads the `label,score` CSV of `sonogan auc`.
//!
//! Where sklearn returns NaN with a warning (only one class present), these functions return a
//! [`MetricsError`] instead.

mod area;
mod bootstrap;
mod confusion;
mod roc;
mod scores_csv;

pub use bootstrap::{
    BOOTSTRAP_LEVEL, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, BootstrapCi, BootstrapConfig, Interval,
    bootstrap_ci, percentile_interval,
};
pub use confusion::{Confusion, confusion_at};
pub use scores_csv::{ScoresCsvError, parse_scores_csv};

/// A ROC curve: points at each distinct score threshold, starting at (0, 0).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Roc {
    /// False positive rate FP/N⁻ of each point, non-decreasing, ending at 1.
    pub fpr: Vec<f64>,
    /// True positive rate TP/N⁺ of each point, non-decreasing, ending at 1.
    pub tpr: Vec<f64>,
    /// Threshold of each point (the first is +inf).
    pub thresholds: Vec<f64>,
}

/// AUC and pAUC of one set of scores.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AucSummary {
    /// Area under the whole ROC curve (sklearn `roc_auc_score`).
    pub auc: f64,
    /// McClish-standardised partial AUC (sklearn `max_fpr`), docs/DESIGN.md §10.1.
    pub pauc: f64,
    /// Raw partial area divided by max_fpr (A_p / p).
    pub pauc_raw: f64,
    /// Number of normal clips (label `false`).
    pub n_normal: usize,
    /// Number of anomalous clips (label `true`).
    pub n_anomaly: usize,
}

/// Errors of the metrics.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricsError {
    /// No samples at all.
    #[error("no samples: ROC/AUC needs at least one normal and one anomalous sample")]
    Empty,
    /// `labels` and `scores` differ in length.
    #[error("{labels} labels but {scores} scores: every score needs exactly one label")]
    LengthMismatch {
        /// Number of labels given.
        labels: usize,
        /// Number of scores given.
        scores: usize,
    },
    /// A score is NaN or infinite.
    #[error("score at index {index} is {value}: scores must be finite numbers")]
    NonFiniteScore {
        /// Position of the offending score.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// All samples belong to one class, so one of the ROC rates is undefined.
    #[error(
        "only one class present: no {missing} samples ({n_normal} normal, {n_anomaly} anomalous); \
         ROC/AUC needs both classes"
    )]
    OneClassOnly {
        /// The class that is missing: "normal" or "anomalous".
        missing: &'static str,
        /// Number of normal samples.
        n_normal: usize,
        /// Number of anomalous samples.
        n_anomaly: usize,
    },
    /// `max_fpr` is not in (0, 1].
    #[error("max_fpr must lie in (0, 1], got {0}")]
    InvalidMaxFpr(f64),
    /// The decision threshold of [`confusion_at`] is NaN.
    #[error("decision threshold is NaN")]
    NanThreshold,
    /// The settings of [`bootstrap_ci`] are unusable.
    #[error("bootstrap: {0}")]
    InvalidBootstrap(String),
}

/// ROC curve of `scores` against `labels` (true = anomaly).
///
/// Same points as sklearn's `roc_curve(labels, scores, drop_intermediate=False)` (docs/DESIGN.md §1.8 steps
/// 1–2): scores sorted descending, one point per distinct score counting samples with
/// score ≥ threshold, and (0, 0) prepended with threshold +inf.
pub fn roc_curve(labels: &[bool], scores: &[f64]) -> Result<Roc, MetricsError> {
    let counts = roc::validate(labels, scores)?;
    Ok(roc::curve(labels, scores, counts))
}

/// AUC, McClish pAUC at `max_fpr` and the raw partial area.
///
/// `auc` = sklearn `roc_auc_score(labels, scores)`; `pauc` = `roc_auc_score(labels, scores,
/// max_fpr)` (McClish, docs/DESIGN.md §1.8 step 4); `pauc_raw` = A_p / p, the DCASE written definition
/// (docs/DESIGN.md §1.8, equal to it when there are no ties). With `max_fpr` = 1 both equal `auc`, as in
/// sklearn.
pub fn auc_summary(
    labels: &[bool],
    scores: &[f64],
    max_fpr: f64,
) -> Result<AucSummary, MetricsError> {
    if !(max_fpr > 0.0 && max_fpr <= 1.0) {
        return Err(MetricsError::InvalidMaxFpr(max_fpr));
    }
    let counts = roc::validate(labels, scores)?;
    let curve = roc::curve(labels, scores, counts);
    let auc = area::trapezoid(&curve.fpr, &curve.tpr);
    let (pauc, pauc_raw) = if max_fpr == 1.0 {
        (auc, auc)
    } else {
        let partial = area::partial_area(&curve.fpr, &curve.tpr, max_fpr);
        (area::mcclish(partial, max_fpr), partial / max_fpr)
    };
    Ok(AucSummary {
        auc,
        pauc,
        pauc_raw,
        n_normal: counts.normal,
        n_anomaly: counts.anomaly,
    })
}
