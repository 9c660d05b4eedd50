//! The gamma distribution, written out by hand for the default decision threshold: the
//! regularised lower incomplete gamma function, its inverse by bisection and a method-of-moments
//! fit. Later DCASE baselines (2021 onwards) fit a gamma distribution to the anomaly scores of
//! normal data and flag scores above its 90th percentile; the model file does the same with the
//! scores of normal clips only (see `threshold`).

/// ln Γ(a) for a > 0: upward recurrence to a ≥ 15, then Stirling's series with five correction
/// terms (truncation error below 3e-16 there).
pub fn ln_gamma(a: f64) -> f64 {
    debug_assert!(a > 0.0, "ln_gamma needs a positive argument");
    let mut shifted = a;
    let mut log_product = 0.0;
    while shifted < 15.0 {
        log_product += shifted.ln();
        shifted += 1.0;
    }
    stirling_ln_gamma(shifted) - log_product
}

/// Stirling's asymptotic series of ln Γ(a), accurate for a ≥ 15.
fn stirling_ln_gamma(a: f64) -> f64 {
    let inv = 1.0 / a;
    let inv2 = inv * inv;
    let correction = inv
        * (1.0 / 12.0
            - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0))));
    (a - 0.5) * a.ln() - a + 0.5 * (2.0 * std::f64::consts::PI).ln() + correction
}

/// Largest number of terms of the series / continued fraction before giving up.
const MAX_TERMS: usize = 100_000;
/// Relative size of a term at which a sum or fraction counts as converged.
const TOLERANCE: f64 = 1e-16;

/// The regularised lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), for a > 0, x ≥ 0.
/// Uses the power series for x < a + 1 and the continued fraction of the upper function Q
/// (evaluated with the modified Lentz method) above it, where each converges quickly.
pub fn regularized_lower_gamma(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x.is_infinite() {
        return 1.0;
    }
    if x < a + 1.0 {
        lower_gamma_series(a, x)
    } else {
        1.0 - upper_gamma_fraction(a, x)
    }
}

/// e^(−x) x^a / Γ(a), the common prefactor of both expansions, computed in logs.
fn prefactor(a: f64, x: f64) -> f64 {
    (a * x.ln() - x - ln_gamma(a)).exp()
}

/// P(a, x) = e^(−x) x^a / Γ(a) · Σₙ xⁿ / (a (a+1) … (a+n)).
fn lower_gamma_series(a: f64, x: f64) -> f64 {
    let mut denominator = a;
    let mut term = 1.0 / a;
    let mut sum = term;
    for _ in 0..MAX_TERMS {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if term.abs() < sum.abs() * TOLERANCE {
            break;
        }
    }
    (sum * prefactor(a, x)).min(1.0)
}

/// Q(a, x) = e^(−x) x^a / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …))).
fn upper_gamma_fraction(a: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / tiny;
    let mut d = 1.0 / b;
    let mut fraction = d;
    for n in 1..MAX_TERMS {
        let n = n as f64;
        let numerator = -n * (n - a);
        b += 2.0;
        d = numerator * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + numerator / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = d * c;
        fraction *= delta;
        if (delta - 1.0).abs() < TOLERANCE {
            break;
        }
    }
    (fraction * prefactor(a, x)).clamp(0.0, 1.0)
}

/// A gamma distribution with shape k and scale θ (mean kθ, variance kθ²).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Gamma {
    /// Shape k > 0.
    pub shape: f64,
    /// Scale θ > 0.
    pub scale: f64,
}

impl Gamma {
    /// Method-of-moments fit: k = mean² / var, θ = var / mean, with the population variance
    /// (divisor n). `None` when the fit does not exist: fewer than two values, a non-positive or
    /// non-finite mean, or zero variance (all values equal).
    pub fn fit_moments(values: &[f64]) -> Option<Gamma> {
        if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        if mean <= 0.0 || variance <= 0.0 {
            return None;
        }
        Some(Gamma {
            shape: mean * mean / variance,
            scale: variance / mean,
        })
    }

    /// The cumulative distribution function P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        regularized_lower_gamma(self.shape, x / self.scale)
    }

    /// The quantile function: the x with cdf(x) = q, for 0 < q < 1, found by bisection (the cdf is
    /// monotone); the bracket's upper end is doubled from the mean until it holds q.
    pub fn quantile(&self, q: f64) -> f64 {
        if q <= 0.0 {
            return 0.0;
        }
        if q >= 1.0 {
            return f64::INFINITY;
        }
        let mut low = 0.0;
        let mut high = (self.shape * self.scale).max(f64::MIN_POSITIVE);
        while self.cdf(high) < q && high < f64::MAX / 2.0 {
            low = high;
            high *= 2.0;
        }
        for _ in 0..200 {
            let middle = 0.5 * (low + high);
            if middle <= low || middle >= high {
                break;
            }
            if self.cdf(middle) < q {
                low = middle;
            } else {
                high = middle;
            }
        }
        0.5 * (low + high)
    }
}
