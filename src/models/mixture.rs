//! The diagonal Gaussian mixture's statistics (docs/DESIGN.md §11.2, scikit-learn's
//! `GaussianMixture(covariance_type="diag")`): log-densities of rows under each component, the
//! E-step's responsibilities and the M-step's weighted sums, all in f64, batch by batch.

use std::f64::consts::PI;

use super::linalg::{a_bt, add_at_b};

/// The parameters of a K-component diagonal mixture on `dim`-wide vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagonalMixture {
    /// Vector width.
    pub dim: usize,
    /// Mixing weights π_k (sum 1), `[K]`.
    pub weights: Vec<f64>,
    /// Means m_k, row-major `[K, dim]`.
    pub means: Vec<f64>,
    /// Variances v_k (with `reg_covar` added), row-major `[K, dim]`.
    pub variances: Vec<f64>,
}

/// Responsibility-weighted sums of one pass: the M-step's input.
#[derive(Debug, Clone)]
pub(crate) struct MixtureSums {
    /// Σ_n r_nk.
    pub(crate) mass: Vec<f64>,
    /// Σ_n r_nk x_n, `[K, dim]`.
    pub(crate) first: Vec<f64>,
    /// Σ_n r_nk x_n², `[K, dim]`.
    pub(crate) second: Vec<f64>,
    /// Σ_n log p(x_n), with the parameters of the pass.
    pub(crate) log_likelihood: f64,
    /// Vectors seen.
    pub(crate) count: usize,
}

impl MixtureSums {
    /// Empty sums for `k` components on `dim`-wide vectors.
    pub(crate) fn new(k: usize, dim: usize) -> Self {
        Self {
            mass: vec![0.0; k],
            first: vec![0.0; k * dim],
            second: vec![0.0; k * dim],
            log_likelihood: 0.0,
            count: 0,
        }
    }

    /// Adds rows (f64, row-major) with their responsibilities (row-major `[n, K]`).
    pub(crate) fn add(&mut self, rows: &[f64], resp: &[f64], dim: usize) {
        let k = self.mass.len();
        let n = rows.len() / dim;
        for r in resp.chunks_exact(k) {
            for (m, v) in self.mass.iter_mut().zip(r) {
                *m += v;
            }
        }
        let squares: Vec<f64> = rows.iter().map(|v| v * v).collect();
        add_at_b(&mut self.first, resp, rows, n, k, dim, 1.0);
        add_at_b(&mut self.second, resp, &squares, n, k, dim, 1.0);
        self.count += n;
    }

    /// The M-step: new weights, means and variances (scikit-learn's
    /// `_estimate_gaussian_parameters`: mass + 10·ε, variance = E[x²] − m² + reg_covar).
    pub(crate) fn parameters(&self, dim: usize, reg_covar: f64) -> DiagonalMixture {
        let k = self.mass.len();
        let mass: Vec<f64> = self.mass.iter().map(|m| m + 10.0 * f64::EPSILON).collect();
        let total = self.count.max(1) as f64;
        let mut means = vec![0.0; k * dim];
        let mut variances = vec![0.0; k * dim];
        for (c, &mass_c) in mass.iter().enumerate() {
            for d in 0..dim {
                let at = c * dim + d;
                let mean = self.first[at] / mass_c;
                means[at] = mean;
                variances[at] = (self.second[at] / mass_c - mean * mean).max(0.0) + reg_covar;
            }
        }
        DiagonalMixture {
            dim,
            weights: mass.iter().map(|m| m / total).collect(),
            means,
            variances,
        }
    }
}

impl DiagonalMixture {
    /// Number of components.
    pub fn components(&self) -> usize {
        self.weights.len()
    }

    /// Per-component constants `log π_k − ½·(p·ln 2π + Σ_d ln v_kd)`.
    pub fn log_norms(&self) -> Vec<f64> {
        let p = self.dim as f64;
        self.variances
            .chunks_exact(self.dim)
            .zip(&self.weights)
            .map(|(v, w)| {
                w.ln() - 0.5 * (p * (2.0 * PI).ln() + v.iter().map(|x| x.ln()).sum::<f64>())
            })
            .collect()
    }

    /// `log π_k + log N(x_n | m_k, diag v_k)` for every row and component, row-major `[n, K]`,
    /// from the expansion Σ_d (x² − 2·x·m + m²)/v with two matrix products.
    pub fn weighted_log_densities(&self, rows: &[f64]) -> Vec<f64> {
        let (dim, k) = (self.dim, self.components());
        let n = rows.len() / dim;
        let precisions: Vec<f64> = self.variances.iter().map(|v| 1.0 / v).collect();
        let scaled_means: Vec<f64> = self
            .means
            .iter()
            .zip(&precisions)
            .map(|(m, p)| m * p)
            .collect();
        let squares: Vec<f64> = rows.iter().map(|v| v * v).collect();
        let quadratic = a_bt(&squares, &precisions, n, dim, k);
        let cross = a_bt(rows, &scaled_means, n, dim, k);
        let mean_terms: Vec<f64> = self
            .means
            .chunks_exact(dim)
            .zip(scaled_means.chunks_exact(dim))
            .map(|(m, mp)| m.iter().zip(mp).map(|(a, b)| a * b).sum())
            .collect();
        let norms = self.log_norms();
        let mut out = vec![0.0; n * k];
        for i in 0..n {
            for c in 0..k {
                let at = i * k + c;
                out[at] = norms[c] - 0.5 * (quadratic[at] - 2.0 * cross[at] + mean_terms[c]);
            }
        }
        out
    }

    /// The E-step of rows: responsibilities `[n, K]` (normalised with log-sum-exp) and each
    /// row's log-likelihood `log Σ_k π_k N(x | m_k, v_k)`.
    pub fn responsibilities(&self, rows: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let k = self.components();
        let mut resp = self.weighted_log_densities(rows);
        let mut log_likelihoods = Vec::with_capacity(resp.len() / k.max(1));
        for r in resp.chunks_exact_mut(k) {
            let top = r.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let total = top + r.iter().map(|v| (v - top).exp()).sum::<f64>().ln();
            for v in r.iter_mut() {
                *v = (*v - total).exp();
            }
            log_likelihoods.push(total);
        }
        (resp, log_likelihoods)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_a_hand_computed_mixture() {
        // Two components in 2-d: π = (0.25, 0.75), m = (0, 0) and (2, 1), v = (1, 4) and (0.5, 1).
        let mixture = DiagonalMixture {
            dim: 2,
            weights: vec![0.25, 0.75],
            means: vec![0.0, 0.0, 2.0, 1.0],
            variances: vec![1.0, 4.0, 0.5, 1.0],
        };
        let x = [1.0, -1.0];
        let normal =
            |x: f64, m: f64, v: f64| (-(x - m) * (x - m) / (2.0 * v)).exp() / (2.0 * PI * v).sqrt();
        let p0 = 0.25 * normal(1.0, 0.0, 1.0) * normal(-1.0, 0.0, 4.0);
        let p1 = 0.75 * normal(1.0, 2.0, 0.5) * normal(-1.0, 1.0, 1.0);
        let (resp, ll) = mixture.responsibilities(&x);
        assert!((ll[0] - (p0 + p1).ln()).abs() < 1e-12, "{ll:?}");
        assert!((resp[0] - p0 / (p0 + p1)).abs() < 1e-12);
        assert!((resp[0] + resp[1] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn m_step_of_hard_assignments_gives_cluster_moments() {
        let rows = [0.0, 1.0, 2.0, 3.0, 10.0, 10.0];
        let resp = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0];
        let mut sums = MixtureSums::new(2, 2);
        sums.add(&rows, &resp, 2);
        let m = sums.parameters(2, 0.0);
        assert!((m.means[0] - 1.0).abs() < 1e-9 && (m.means[1] - 2.0).abs() < 1e-9);
        assert!((m.variances[0] - 1.0).abs() < 1e-9, "{:?}", m.variances);
        assert!((m.weights[0] - 2.0 / 3.0).abs() < 1e-9);
    }
}
