//! Input validation and the ROC points (docs/DESIGN.md §1.8 steps 1–2).

use super::{MetricsError, Roc};

/// Class sizes of a validated input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClassCounts {
    /// Samples labelled `false`.
    pub normal: usize,
    /// Samples labelled `true`.
    pub anomaly: usize,
}

/// Checks lengths and finiteness of the scores only (no class requirement).
fn validate_scores(labels: &[bool], scores: &[f64]) -> Result<ClassCounts, MetricsError> {
    if labels.len() != scores.len() {
        return Err(MetricsError::LengthMismatch {
            labels: labels.len(),
            scores: scores.len(),
        });
    }
    if scores.is_empty() {
        return Err(MetricsError::Empty);
    }
    if let Some((index, &value)) = scores.iter().enumerate().find(|(_, s)| !s.is_finite()) {
        return Err(MetricsError::NonFiniteScore { index, value });
    }
    let anomaly = labels.iter().filter(|&&l| l).count();
    Ok(ClassCounts {
        normal: labels.len() - anomaly,
        anomaly,
    })
}

/// Full validation for ROC-based metrics: [`validate_scores`] plus both classes present.
pub(super) fn validate(labels: &[bool], scores: &[f64]) -> Result<ClassCounts, MetricsError> {
    let counts = validate_scores(labels, scores)?;
    let missing = match (counts.normal, counts.anomaly) {
        (0, _) => Some("normal"),
        (_, 0) => Some("anomalous"),
        _ => None,
    };
    match missing {
        Some(missing) => Err(MetricsError::OneClassOnly {
            missing,
            n_normal: counts.normal,
            n_anomaly: counts.anomaly,
        }),
        None => Ok(counts),
    }
}

/// The ROC points of validated input: one per distinct score, descending, after (0, 0).
pub(super) fn curve(labels: &[bool], scores: &[f64], counts: ClassCounts) -> Roc {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    // Finite scores only (validated), so `total_cmp` is the usual order; -0.0 and 0.0 end up
    // adjacent and the `==` grouping below merges them, as numpy does.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));

    let n_pos = counts.anomaly as f64;
    let n_neg = counts.normal as f64;
    let mut fpr = vec![0.0];
    let mut tpr = vec![0.0];
    let mut thresholds = vec![f64::INFINITY];
    let (mut tp, mut fp) = (0usize, 0usize);
    for (rank, &i) in order.iter().enumerate() {
        if labels[i] {
            tp += 1;
        } else {
            fp += 1;
        }
        let group_ends = order
            .get(rank + 1)
            .is_none_or(|&next| scores[next] != scores[i]);
        if group_ends {
            fpr.push(fp as f64 / n_neg);
            tpr.push(tp as f64 / n_pos);
            thresholds.push(scores[i]);
        }
    }
    Roc {
        fpr,
        tpr,
        thresholds,
    }
}
