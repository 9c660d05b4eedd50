//! One model's labelled clip scores on one machine type, pooled over its IDs: what the ROC plots
//! of `sonogan eval --out-dir` and of the page, and the page's score histogram, are drawn from.

use super::ClipScore;
use crate::data::Label;
use crate::metrics::{AucSummary, Confusion, Roc, auc_summary, confusion_at, roc_curve};
use crate::models::ModelKind;

/// Labelled scores of one model on one machine type, pooled over its IDs.
#[derive(Debug, Clone, PartialEq)]
pub struct PooledScores {
    /// True = anomalous.
    pub labels: Vec<bool>,
    /// Clip scores, same order.
    pub scores: Vec<f64>,
}

impl PooledScores {
    /// The labelled scores of `model` on `machine_type` in `scores` (unlabelled clips left out).
    pub fn of(scores: &[ClipScore], model: ModelKind, machine_type: &str) -> Self {
        let (labels, scores) = scores
            .iter()
            .filter(|s| s.model == model && s.machine_type == machine_type)
            .filter_map(|s| s.label.map(|l| (l == Label::Anomaly, s.score)))
            .unzip();
        PooledScores { labels, scores }
    }

    /// Scores of the normal clips.
    pub fn normal(&self) -> Vec<f64> {
        self.of_class(false)
    }

    /// Scores of the anomalous clips.
    pub fn anomalous(&self) -> Vec<f64> {
        self.of_class(true)
    }

    fn of_class(&self, anomalous: bool) -> Vec<f64> {
        self.labels
            .iter()
            .zip(&self.scores)
            .filter(|(l, _)| **l == anomalous)
            .map(|(_, s)| *s)
            .collect()
    }

    /// ROC curve and AUC/pAUC (pAUC at `max_fpr`); errors when a class is missing.
    pub fn roc(&self, max_fpr: f64) -> Result<(Roc, AucSummary), String> {
        let roc = roc_curve(&self.labels, &self.scores).map_err(|e| e.to_string())?;
        let summary =
            auc_summary(&self.labels, &self.scores, max_fpr).map_err(|e| e.to_string())?;
        Ok((roc, summary))
    }

    /// Confusion counts when clips scoring at least `threshold` are called anomalous.
    pub fn confusion(&self, threshold: f64) -> Result<Confusion, String> {
        confusion_at(&self.labels, &self.scores, threshold).map_err(|e| e.to_string())
    }
}
