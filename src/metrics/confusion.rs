//! Confusion counts at one decision threshold, for threshold statistics on the page.

use super::{MetricsError, roc};

/// Confusion matrix at one threshold: a sample is called anomalous when score ≥ threshold.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Confusion {
    /// Anomalous samples called anomalous.
    pub tp: usize,
    /// Normal samples called anomalous.
    pub fp: usize,
    /// Normal samples called normal.
    pub tn: usize,
    /// Anomalous samples called normal (`fn` is a Rust keyword; serialised as "fn").
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// True positive rate TP / (TP + FN).
    pub tpr: f64,
    /// False positive rate FP / (FP + TN).
    pub fpr: f64,
}

/// Confusion counts of `scores` against `labels` (true = anomaly) at `threshold`
/// (score ≥ threshold → anomaly).
///
/// Needs both classes, like the ROC, so that both rates are defined; the threshold may be ±inf
/// but not NaN.
pub fn confusion_at(
    labels: &[bool],
    scores: &[f64],
    threshold: f64,
) -> Result<Confusion, MetricsError> {
    if threshold.is_nan() {
        return Err(MetricsError::NanThreshold);
    }
    let counts = roc::validate(labels, scores)?;
    let mut tp = 0;
    let mut fp = 0;
    for (&is_anomaly, &score) in labels.iter().zip(scores) {
        if score >= threshold {
            if is_anomaly {
                tp += 1;
            } else {
                fp += 1;
            }
        }
    }
    Ok(Confusion {
        tp,
        fp,
        tn: counts.normal - fp,
        fn_: counts.anomaly - tp,
        tpr: tp as f64 / counts.anomaly as f64,
        fpr: fp as f64 / counts.normal as f64,
    })
}
