//! Mean ± sample standard deviation of one number over the seeds of a sweep (docs/DESIGN.md
//! §1.10).

/// The mean of `n` values and, for `n ≥ 2`, their sample standard deviation (divisor `n − 1`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Spread {
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation; `None` for a single value.
    pub sd: Option<f64>,
    /// Number of values (seeds).
    pub n: usize,
}

impl Spread {
    /// The spread of `values`; `None` when there are none.
    ///
    /// ```
    /// use sonogan::eval::table::Spread;
    /// let s = Spread::of(&[0.7, 0.8, 0.9]).unwrap();
    /// assert!((s.mean - 0.8).abs() < 1e-12 && (s.sd.unwrap() - 0.1).abs() < 1e-12);
    /// assert_eq!(Spread::of(&[0.7]).unwrap().sd, None);
    /// ```
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = (n >= 2).then(|| {
            let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
            (squares / (n - 1) as f64).sqrt()
        });
        Some(Spread { mean, sd, n })
    }

    /// A single value (one seed): that value, no standard deviation.
    pub fn single(value: f64) -> Spread {
        Spread {
            mean: value,
            sd: None,
            n: 1,
        }
    }
}

/// AUC and McClish pAUC, each as mean ± sd over seeds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SpreadScores {
    /// The AUC.
    pub auc: Spread,
    /// The McClish pAUC.
    pub pauc: Spread,
}

impl SpreadScores {
    /// The spreads of `(auc, pauc)` pairs; `None` when there are none.
    pub fn of(pairs: &[(f64, f64)]) -> Option<SpreadScores> {
        let (aucs, paucs): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
        Some(SpreadScores {
            auc: Spread::of(&aucs)?,
            pauc: Spread::of(&paucs)?,
        })
    }
}
