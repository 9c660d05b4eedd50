//! Stratified percentile-bootstrap confidence intervals of the AUC and pAUC over test clips
//! (docs/DESIGN.md §1.10).
//!
//! One resample draws `n⁻` normal clips from the normal clips and `n⁺` anomalous clips from the
//! anomalous clips, each with replacement (stratified, so every resample has both classes and the
//! class sizes of the data), and computes the sklearn-exact AUC and McClish pAUC of the resample
//! with [`super::auc_summary`]. The interval is the percentile interval of the resampled values
//! (quantiles `(1 − level)/2` and `(1 + level)/2`, linearly interpolated as `numpy.percentile`).
//! The random stream is ChaCha8 from a fixed seed ([`BOOTSTRAP_SEED`] by default), started afresh
//! for every call, so an ID's interval depends on its scores only.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{MetricsError, auc_summary};

/// The documented default seed of the bootstrap stream (docs/DESIGN.md §1.10).
pub const BOOTSTRAP_SEED: u64 = 2020;
/// The default number of resamples.
pub const BOOTSTRAP_RESAMPLES: usize = 1000;
/// The default confidence level.
pub const BOOTSTRAP_LEVEL: f64 = 0.95;

/// How a bootstrap interval is computed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BootstrapConfig {
    /// Number of resamples (at least 1).
    pub resamples: usize,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub level: f64,
    /// Seed of the ChaCha8 stream.
    pub seed: u64,
}

impl Default for BootstrapConfig {
    /// 1,000 resamples, 95 %, seed [`BOOTSTRAP_SEED`].
    fn default() -> Self {
        BootstrapConfig {
            resamples: BOOTSTRAP_RESAMPLES,
            level: BOOTSTRAP_LEVEL,
            seed: BOOTSTRAP_SEED,
        }
    }
}

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// True when `value` lies in `[lo, hi]`.
    pub fn contains(&self, value: f64) -> bool {
        self.lo <= value && value <= self.hi
    }

    /// `hi − lo`.
    pub fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// Bootstrap intervals of the AUC and the McClish pAUC of one set of scores.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BootstrapCi {
    /// Interval of the AUC.
    pub auc: Interval,
    /// Interval of the McClish-standardised pAUC.
    pub pauc: Interval,
    /// How it was computed.
    pub config: BootstrapConfig,
}

/// Refuses a zero resample count and a level outside (0, 1).
fn check_config(config: &BootstrapConfig) -> Result<(), MetricsError> {
    if config.resamples == 0 {
        return Err(MetricsError::InvalidBootstrap(
            "at least one resample is needed".into(),
        ));
    }
    if !(config.level > 0.0 && config.level < 1.0) {
        return Err(MetricsError::InvalidBootstrap(format!(
            "confidence level must lie in (0, 1), got {}",
            config.level
        )));
    }
    Ok(())
}

/// Stratified percentile-bootstrap intervals of the AUC and pAUC (at `max_fpr`) of `scores`
/// against `labels` (true = anomaly).
///
/// Errors as [`auc_summary`] (both classes needed, finite scores, `max_fpr` in (0, 1]) and for a
/// zero resample count or a level outside (0, 1). When every resample gives the same value (for
/// instance perfectly separated scores) the interval is that single value.
///
/// ```
/// use sonogan::metrics::{BootstrapConfig, auc_summary, bootstrap_ci};
/// let labels = [false, false, false, true, true, true];
/// let scores = [0.1, 0.4, 0.5, 0.35, 0.8, 0.9];
/// let ci = bootstrap_ci(&labels, &scores, 0.1, &BootstrapConfig::default()).unwrap();
/// let auc = auc_summary(&labels, &scores, 0.1).unwrap().auc;
/// assert!(ci.auc.contains(auc));
/// ```
pub fn bootstrap_ci(
    labels: &[bool],
    scores: &[f64],
    max_fpr: f64,
    config: &BootstrapConfig,
) -> Result<BootstrapCi, MetricsError> {
    check_config(config)?;
    // Validates lengths, finiteness, classes and max_fpr once, with the usual errors.
    auc_summary(labels, scores, max_fpr)?;
    let (normal, anomalous) = split_classes(labels, scores);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut aucs = Vec::with_capacity(config.resamples);
    let mut paucs = Vec::with_capacity(config.resamples);
    let mut sample_labels = vec![false; normal.len()];
    sample_labels.resize(normal.len() + anomalous.len(), true);
    let mut sample = Vec::with_capacity(labels.len());
    for _ in 0..config.resamples {
        sample.clear();
        resample_into(&mut sample, &normal, &mut rng);
        resample_into(&mut sample, &anomalous, &mut rng);
        let summary = auc_summary(&sample_labels, &sample, max_fpr)?;
        aucs.push(summary.auc);
        paucs.push(summary.pauc);
    }
    Ok(BootstrapCi {
        auc: percentile_interval(&mut aucs, config.level),
        pauc: percentile_interval(&mut paucs, config.level),
        config: *config,
    })
}

/// The scores of the normal and of the anomalous clips, in input order.
fn split_classes(labels: &[bool], scores: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let pick = |anomalous: bool| {
        labels
            .iter()
            .zip(scores)
            .filter(|(l, _)| **l == anomalous)
            .map(|(_, s)| *s)
            .collect()
    };
    (pick(false), pick(true))
}

/// Appends `from.len()` values drawn from `from` with replacement.
fn resample_into(out: &mut Vec<f64>, from: &[f64], rng: &mut ChaCha8Rng) {
    out.extend((0..from.len()).map(|_| from[rng.random_range(0..from.len())]));
}

/// The central `level` percentile interval of `values` (sorted in place): the quantiles
/// `(1 − level)/2` and `(1 + level)/2`, each interpolated linearly between the two nearest order
/// statistics at position `q·(n − 1)` (`numpy.percentile`'s default). `values` must not be empty
/// nor hold NaN.
pub fn percentile_interval(values: &mut [f64], level: f64) -> Interval {
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    Interval {
        lo: quantile_sorted(values, tail),
        hi: quantile_sorted(values, 1.0 - tail),
    }
}

/// The `q`-quantile of sorted `values` with linear interpolation.
fn quantile_sorted(values: &[f64], q: f64) -> f64 {
    let position = q * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(values.len() - 1);
    let fraction = position - below as f64;
    values[below] + fraction * (values[above] - values[below])
}
