//! The Ledoit-Wolf Gaussian of the Mahalanobis detector (docs/DESIGN.md §11.1): streamed, f64
//! statistics of the training vectors (a pass for the mean, a pass for the centred Gram matrix
//! and the fourth-moment sum) and the shrunk covariance scikit-learn's `LedoitWolf` computes
//! from them.

use super::linalg::{add_at_b, cholesky, invert_lower, to_f64, transpose};

/// Streamed statistics of the two passes.
#[derive(Debug, Clone, Default)]
pub(crate) struct GaussianFit {
    dim: usize,
    count: usize,
    sum: Vec<f64>,
    /// The mean, once the first pass is closed.
    mean: Option<Vec<f64>>,
    /// Σ_k xc_k xc_kᵀ over the second pass (row-major `dim × dim`).
    gram: Vec<f64>,
    /// Σ_k ‖xc_k‖⁴ (scikit-learn's β' = Σ (Xc∘Xc)ᵀ(Xc∘Xc)).
    fourth: f64,
    second_count: usize,
}

/// The fitted Gaussian.
#[derive(Debug, Clone, PartialEq)]
pub struct LedoitWolf {
    /// The mean of the training vectors.
    pub location: Vec<f64>,
    /// The shrunk covariance (row-major `p × p`).
    pub covariance: Vec<f64>,
    /// The shrinkage α ∈ [0, 1].
    pub shrinkage: f64,
}

impl GaussianFit {
    /// An empty fit of `dim`-wide vectors.
    pub(crate) fn new(dim: usize) -> Self {
        Self {
            dim,
            ..Self::default()
        }
    }

    /// True once the mean is known (the second pass is running).
    pub(crate) fn has_mean(&self) -> bool {
        self.mean.is_some()
    }

    /// Adds a batch of row-major rows to the current pass.
    pub(crate) fn add(&mut self, rows: &[f32]) {
        let dim = self.dim;
        let n = rows.len() / dim;
        match &self.mean {
            None => {
                self.sum.resize(dim, 0.0);
                for row in rows.chunks_exact(dim) {
                    for (s, &v) in self.sum.iter_mut().zip(row) {
                        *s += f64::from(v);
                    }
                }
                self.count += n;
            }
            Some(mean) => {
                let mut centred = to_f64(rows);
                for row in centred.chunks_exact_mut(dim) {
                    for (v, m) in row.iter_mut().zip(mean) {
                        *v -= m;
                    }
                    let norm2: f64 = row.iter().map(|v| v * v).sum();
                    self.fourth += norm2 * norm2;
                }
                self.gram.resize(dim * dim, 0.0);
                add_at_b(&mut self.gram, &centred, &centred, n, dim, dim, 1.0);
                self.second_count += n;
            }
        }
    }

    /// Closes the first pass: the mean is known from here on.
    pub(crate) fn close_mean_pass(&mut self) -> Result<(), String> {
        if self.count == 0 {
            return Err("no training vectors".into());
        }
        let n = self.count as f64;
        self.mean = Some(self.sum.iter().map(|s| s / n).collect());
        Ok(())
    }

    /// Closes the second pass: the Ledoit-Wolf estimate, with the shrinkage fixed to
    /// `shrinkage` when given.
    pub(crate) fn finish(&self, shrinkage: Option<f64>) -> Result<LedoitWolf, String> {
        let location = self.mean.clone().ok_or("the mean pass was not closed")?;
        if self.second_count != self.count {
            return Err(format!(
                "the passes saw {} and {} vectors",
                self.count, self.second_count
            ));
        }
        let (p, n) = (self.dim, self.count as f64);
        let mut covariance: Vec<f64> = self.gram.iter().map(|g| g / n).collect();
        let trace: f64 = (0..p).map(|i| covariance[i * p + i]).sum();
        let mu = trace / p as f64;
        let alpha = shrinkage.unwrap_or_else(|| self.ledoit_wolf_shrinkage(mu, trace));
        for (i, value) in covariance.iter_mut().enumerate() {
            *value *= 1.0 - alpha;
            if i % (p + 1) == 0 {
                *value += alpha * mu;
            }
        }
        Ok(LedoitWolf {
            location,
            covariance,
            shrinkage: alpha,
        })
    }

    /// scikit-learn's `ledoit_wolf_shrinkage` from the pass statistics (docs/DESIGN.md §11.1).
    fn ledoit_wolf_shrinkage(&self, mu: f64, trace: f64) -> f64 {
        let (p, n) = (self.dim as f64, self.count as f64);
        let delta_prime = self.gram.iter().map(|g| g * g).sum::<f64>() / (n * n);
        let beta = (self.fourth / n - delta_prime) / (p * n);
        let delta = (delta_prime - 2.0 * mu * trace + p * mu * mu) / p;
        let beta = beta.min(delta);
        if beta == 0.0 { 0.0 } else { beta / delta }
    }
}

impl LedoitWolf {
    /// The whitening matrix `W = L⁻ᵀ` (row-major `p × p`) with `Σ = L·Lᵀ`, so that the squared
    /// Mahalanobis distance is `‖(x − μ)ᵀ·W‖²`. Error when Σ is not positive definite (e.g. all
    /// training vectors equal).
    pub fn whitening(&self) -> Result<Vec<f64>, String> {
        let p = self.location.len();
        let l = cholesky(&self.covariance, p).map_err(|pivot| {
            format!(
                "the shrunk covariance is not positive definite (pivot {pivot} of {p}): the training \
                 vectors have (almost) no variance"
            )
        })?;
        Ok(transpose(&invert_lower(&l, p), p))
    }

    /// Squared Mahalanobis distances of row-major `rows` in f64 (the reference the device
    /// scoring is tested against).
    pub fn squared_distances(&self, rows: &[f64]) -> Result<Vec<f64>, String> {
        let p = self.location.len();
        let w = self.whitening()?;
        Ok(rows
            .chunks_exact(p)
            .map(|row| {
                let centred: Vec<f64> =
                    row.iter().zip(&self.location).map(|(x, m)| x - m).collect();
                (0..p)
                    .map(|j| {
                        let z: f64 = (0..p).map(|i| centred[i] * w[i * p + j]).sum();
                        z * z
                    })
                    .sum()
            })
            .collect())
    }
}

/// Fits the Ledoit-Wolf Gaussian of row-major `rows` (`dim` wide) in two passes of
/// `batch_size` rows, exactly as the Mahalanobis detector does (docs/DESIGN.md §11.1).
///
/// ```
/// use sonogan::models::gaussian::ledoit_wolf;
/// // Four 2-d vectors: mean (1, 1), variances 0.5 and 0.5, no correlation: nothing to shrink.
/// let rows = [0.0, 1.0, 2.0, 1.0, 1.0, 0.0, 1.0, 2.0];
/// let fit = ledoit_wolf(&rows, 2, 3, None).unwrap();
/// assert_eq!(fit.location, vec![1.0, 1.0]);
/// assert!((fit.covariance[0] - 0.5).abs() < 1e-12 && fit.shrinkage == 0.0);
/// ```
pub fn ledoit_wolf(
    rows: &[f32],
    dim: usize,
    batch_size: usize,
    shrinkage: Option<f64>,
) -> Result<LedoitWolf, String> {
    let mut fit = GaussianFit::new(dim);
    let batch = batch_size.max(1) * dim;
    for chunk in rows.chunks(batch) {
        fit.add(chunk);
    }
    fit.close_mean_pass()?;
    for chunk in rows.chunks(batch) {
        fit.add(chunk);
    }
    fit.finish(shrinkage)
}
