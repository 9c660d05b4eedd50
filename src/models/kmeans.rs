//! Streamed k-means for the Gaussian mixture's initialisation (docs/DESIGN.md §11.2): seeded
//! k-means++ seeding, one pass per centre, followed by Lloyd iterations, one pass each. Every
//! pass sees the training vectors batch by batch; besides the centres only one f64 per vector
//! (its squared distance to the nearest centre so far) is kept during seeding.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::linalg::{a_bt, to_f64};

/// Where the k-means run is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Choosing centre `chosen` (0-based) by D² sampling.
    Seeding,
    /// Lloyd iteration `iteration` (0-based).
    Lloyd { iteration: usize },
    /// Converged or out of iterations.
    Done,
}

/// A k-means run over repeated passes.
#[derive(Debug, Clone)]
pub(crate) struct KMeans {
    k: usize,
    dim: usize,
    max_iterations: usize,
    tol: f64,
    rng: ChaCha8Rng,
    stage: Stage,
    /// Centres chosen or updated so far (row-major, `centres.len() / dim` of them).
    pub(crate) centres: Vec<f64>,
    /// Seeding: squared distance of every vector seen to its nearest chosen centre.
    nearest: Vec<f64>,
    /// Seeding: the candidate for the next centre and the total weight seen this pass.
    candidate: Option<Vec<f64>>,
    total_weight: f64,
    row_in_pass: usize,
    /// Lloyd: per-centre sums and counts of the assigned vectors.
    sums: Vec<f64>,
    counts: Vec<usize>,
    /// First pass: Σx and Σx² for the tolerance (scikit-learn scales tol by the mean variance).
    moments: (Vec<f64>, Vec<f64>, usize),
}

impl KMeans {
    /// A run of `k` centres on `dim`-wide vectors, seeded.
    pub(crate) fn new(k: usize, dim: usize, max_iterations: usize, tol: f64, seed: u64) -> Self {
        Self {
            k,
            dim,
            max_iterations,
            tol,
            rng: ChaCha8Rng::seed_from_u64(seed),
            stage: Stage::Seeding,
            centres: Vec::new(),
            nearest: Vec::new(),
            candidate: None,
            total_weight: 0.0,
            row_in_pass: 0,
            sums: vec![0.0; k * dim],
            counts: vec![0; k],
            moments: (vec![0.0; dim], vec![0.0; dim], 0),
        }
    }

    /// True when the centres are final.
    pub(crate) fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Adds a batch to the current pass.
    pub(crate) fn add(&mut self, rows: &[f32]) {
        let rows = to_f64(rows);
        match self.stage {
            Stage::Seeding => self.add_seeding(&rows),
            Stage::Lloyd { .. } => self.add_lloyd(&rows),
            Stage::Done => {}
        }
    }

    /// Seeding: updates each vector's distance to the newest centre and draws the next centre
    /// with probability ∝ D² by single-item weighted reservoir sampling (the first centre
    /// uniformly), so one pass per centre suffices.
    fn add_seeding(&mut self, rows: &[f64]) {
        let dim = self.dim;
        let newest = self
            .centres
            .len()
            .checked_sub(dim)
            .map(|at| self.centres[at..].to_vec());
        for row in rows.chunks_exact(dim) {
            if newest.is_none() {
                let (s, s2, n) = &mut self.moments;
                for ((a, b), v) in s.iter_mut().zip(s2.iter_mut()).zip(row) {
                    *a += v;
                    *b += v * v;
                }
                *n += 1;
            }
            let weight = match &newest {
                None => 1.0,
                Some(centre) => {
                    let d2 = squared_distance(row, centre);
                    match self.nearest.get_mut(self.row_in_pass) {
                        Some(slot) => {
                            *slot = slot.min(d2);
                            *slot
                        }
                        None => {
                            self.nearest.push(d2);
                            d2
                        }
                    }
                }
            };
            self.total_weight += weight;
            if weight > 0.0 && self.rng.random::<f64>() * self.total_weight < weight {
                self.candidate = Some(row.to_vec());
            }
            if self.candidate.is_none() {
                self.candidate = Some(row.to_vec());
            }
            self.row_in_pass += 1;
        }
    }

    /// Lloyd: assigns each vector to its nearest centre and accumulates the sums.
    fn add_lloyd(&mut self, rows: &[f64]) {
        let dim = self.dim;
        for (row, nearest) in rows
            .chunks_exact(dim)
            .zip(nearest_centres(rows, &self.centres, dim))
        {
            self.counts[nearest] += 1;
            for (s, v) in self.sums[nearest * dim..(nearest + 1) * dim]
                .iter_mut()
                .zip(row)
            {
                *s += v;
            }
        }
    }

    /// Closes a pass: takes the drawn centre, or moves the centres to their means and checks
    /// convergence (total squared centre shift ≤ tol · mean per-dimension variance, as
    /// scikit-learn). A centre that lost all its vectors stays where it was.
    pub(crate) fn end_pass(&mut self) {
        match self.stage {
            Stage::Seeding => {
                if let Some(centre) = self.candidate.take() {
                    self.centres.extend(centre);
                }
                self.total_weight = 0.0;
                self.row_in_pass = 0;
                if self.centres.len() >= self.k * self.dim {
                    self.nearest = Vec::new();
                    self.stage = Stage::Lloyd { iteration: 0 };
                }
            }
            Stage::Lloyd { iteration } => {
                let shift = self.move_centres();
                let done = shift <= self.tol * self.mean_variance()
                    || iteration + 1 >= self.max_iterations;
                self.stage = match done {
                    true => Stage::Done,
                    false => Stage::Lloyd {
                        iteration: iteration + 1,
                    },
                };
            }
            Stage::Done => {}
        }
    }

    /// Moves every centre with vectors to their mean; returns the total squared shift.
    fn move_centres(&mut self) -> f64 {
        let dim = self.dim;
        let mut shift = 0.0;
        for c in 0..self.k {
            if self.counts[c] > 0 {
                let n = self.counts[c] as f64;
                for d in 0..dim {
                    let moved = self.sums[c * dim + d] / n;
                    shift += (moved - self.centres[c * dim + d]).powi(2);
                    self.centres[c * dim + d] = moved;
                }
            }
        }
        self.sums.fill(0.0);
        self.counts.fill(0);
        shift
    }

    fn mean_variance(&self) -> f64 {
        let (s, s2, n) = &self.moments;
        let n = (*n).max(1) as f64;
        s.iter()
            .zip(s2)
            .map(|(a, b)| b / n - (a / n).powi(2))
            .sum::<f64>()
            / self.dim as f64
    }
}

/// ‖a − b‖².
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The index of each row's nearest centre (squared Euclidean distance, first on ties), from
/// ‖x‖² − 2x·c + ‖c‖² with one matrix product.
pub(crate) fn nearest_centres(rows: &[f64], centres: &[f64], dim: usize) -> Vec<usize> {
    let (n, k) = (rows.len() / dim, centres.len() / dim);
    let dots = a_bt(rows, centres, n, dim, k);
    let centre_norms: Vec<f64> = centres
        .chunks_exact(dim)
        .map(|c| c.iter().map(|v| v * v).sum())
        .collect();
    (0..n)
        .map(|i| {
            (0..k)
                .map(|c| centre_norms[c] - 2.0 * dots[i * k + c])
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (c, d)| if d < best.1 { (c, d) } else { best },
                )
                .0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the passes over `rows` until the centres are final.
    fn run(rows: &[f32], k: usize, seed: u64) -> Vec<f64> {
        let mut kmeans = KMeans::new(k, 2, 50, 1e-4, seed);
        while !kmeans.is_done() {
            for batch in rows.chunks(6) {
                kmeans.add(batch);
            }
            kmeans.end_pass();
        }
        kmeans.centres
    }

    #[test]
    fn finds_well_separated_clusters_and_is_seeded() {
        // Two tight clusters around (0, 0) and (10, 10).
        let rows: Vec<f32> = (0..20)
            .flat_map(|i| {
                let j = (i % 5) as f32 * 0.1;
                if i % 2 == 0 {
                    [j, -j]
                } else {
                    [10.0 + j, 10.0 - j]
                }
            })
            .collect();
        let centres = run(&rows, 2, 3);
        let mut means: Vec<(f64, f64)> = centres.chunks(2).map(|c| (c[0], c[1])).collect();
        means.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(
            (means[0].0 - 0.2).abs() < 1e-6 && (means[0].1 + 0.2).abs() < 1e-6,
            "{means:?}"
        );
        assert!((means[1].0 - 10.2).abs() < 1e-6, "{means:?}");
        assert_eq!(run(&rows, 2, 3), run(&rows, 2, 3));
    }
}
