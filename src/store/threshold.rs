//! Statistics of the anomaly scores of NORMAL clips and the default decision threshold derived
//! from them: the 90th percentile of a gamma distribution fitted to those scores (as the DCASE
//! baselines from 2021 on do). Only normal scores enter; no anomalous clip is ever looked at.

use super::gamma::Gamma;

/// Quantile of the fitted gamma distribution used as the default threshold.
pub const DEFAULT_THRESHOLD_QUANTILE: f64 = 0.9;

/// Where the normal clip scores came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreSource {
    /// Held-out validation clips (never trained on): the preferred source.
    Validation,
    /// Training clips, used when fewer than three validation clips exist; these scores are
    /// optimistic (the model has seen the vectors), so the threshold is lower than it should be.
    Train,
}

/// Summary statistics of normal clip scores (population standard deviation, divisor n).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NormalScoreStats {
    /// Mean clip score.
    pub mean: f64,
    /// Standard deviation (divisor n).
    pub std: f64,
    /// Smallest clip score.
    pub min: f64,
    /// Largest clip score.
    pub max: f64,
    /// Number of clips.
    pub n: usize,
    /// Where the clips came from.
    pub source: ScoreSource,
}

impl NormalScoreStats {
    /// The statistics of `scores`; `None` for an empty list or a non-finite score.
    pub fn from_scores(scores: &[f64], source: ScoreSource) -> Option<Self> {
        if scores.is_empty() || scores.iter().any(|s| !s.is_finite()) {
            return None;
        }
        let n = scores.len();
        let mean = scores.iter().sum::<f64>() / n as f64;
        let variance = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n as f64;
        let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
        let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Some(Self {
            mean,
            std: variance.sqrt(),
            min,
            max,
            n,
            source,
        })
    }
}

/// How the default threshold was obtained.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum ThresholdMethod {
    /// The `quantile` of a method-of-moments gamma fit to the normal clip scores.
    GammaQuantile {
        /// The quantile (0.9 by default).
        quantile: f64,
        /// The fitted distribution.
        gamma: Gamma,
    },
    /// The largest normal clip score: the fallback when no gamma fits (fewer than two scores, or
    /// all scores equal).
    MaxNormalScore,
}

/// The default decision threshold: a clip whose score exceeds `value` is flagged anomalous.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DecisionThreshold {
    /// The threshold on the clip score.
    pub value: f64,
    /// How it was derived.
    #[serde(flatten)]
    pub method: ThresholdMethod,
}

impl DecisionThreshold {
    /// The default threshold from normal clip scores only: the 90th percentile of a gamma fitted
    /// by the method of moments, or the largest score when no gamma fits. `None` for an empty
    /// list or a non-finite score.
    pub fn from_normal_scores(scores: &[f64]) -> Option<Self> {
        if scores.is_empty() || scores.iter().any(|s| !s.is_finite()) {
            return None;
        }
        match Gamma::fit_moments(scores) {
            Some(gamma) => Some(Self {
                value: gamma.quantile(DEFAULT_THRESHOLD_QUANTILE),
                method: ThresholdMethod::GammaQuantile {
                    quantile: DEFAULT_THRESHOLD_QUANTILE,
                    gamma,
                },
            }),
            None => Some(Self {
                value: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                method: ThresholdMethod::MaxNormalScore,
            }),
        }
    }

    /// True when `score` is above the threshold.
    pub fn is_anomalous(&self, score: f64) -> bool {
        score > self.value
    }
}
