//! Progress reports and the run's clock (`web_time`, so it works in the browser).

use web_time::Instant;

/// A snapshot after one training step, for progress bars and the page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Progress {
    /// 1-based epoch the step belongs to.
    pub epoch: usize,
    /// Configured number of epochs.
    pub epochs: usize,
    /// 1-based step within the epoch.
    pub step_in_epoch: usize,
    /// Steps (batches) per epoch.
    pub steps_per_epoch: usize,
    /// 1-based step over the whole run.
    pub step: usize,
    /// Steps of the whole run.
    pub total_steps: usize,
    /// The most recently read losses, `(name, value)` in the detector's order (network names
    /// like "G", "D", "E" and components); empty until the first read.
    pub losses: Vec<(String, f32)>,
    /// The step at which `losses` was read (0 = never); equal to `step` when read this step.
    pub losses_step: usize,
    /// Training vectors per second since the start (vectors of one batch stream).
    pub vectors_per_second: f64,
    /// Seconds since the first step started.
    pub elapsed_seconds: f64,
    /// Estimated seconds to the end, from the mean time per step so far (validation included).
    pub eta_seconds: f64,
    /// Set on the last step of an epoch: the mean per-vector score of the held-out vectors in
    /// inference mode. For the autoencoder that is the validation MSE; for the GANs it is the mean
    /// anomaly score of normal data (lower is better, but not comparable across model kinds).
    /// `None` when nothing is held out or the epoch is not over.
    pub validation_loss: Option<f64>,
}

impl Progress {
    /// True on the last step of an epoch.
    pub fn is_epoch_end(&self) -> bool {
        self.step_in_epoch == self.steps_per_epoch
    }

    /// True on the very last step of the run.
    pub fn is_last(&self) -> bool {
        self.step == self.total_steps
    }
}

/// Wall-clock bookkeeping of a run: started on the first step.
#[derive(Debug, Clone, Default)]
pub struct RunClock {
    started: Option<Instant>,
}

impl RunClock {
    /// Starts the clock unless it runs already.
    pub fn start(&mut self) {
        self.started.get_or_insert_with(Instant::now);
    }

    /// Seconds since the start (0 before it).
    pub fn elapsed_seconds(&self) -> f64 {
        self.started.map_or(0.0, |t| t.elapsed().as_secs_f64())
    }

    /// Vectors per second for `vectors` processed so far.
    pub fn rate(&self, vectors: usize) -> f64 {
        let elapsed = self.elapsed_seconds();
        if elapsed > 0.0 {
            vectors as f64 / elapsed
        } else {
            0.0
        }
    }

    /// Estimated seconds left when `done` of `total` steps are done.
    pub fn eta_seconds(&self, done: usize, total: usize) -> f64 {
        if done == 0 {
            return f64::NAN;
        }
        self.elapsed_seconds() / done as f64 * total.saturating_sub(done) as f64
    }
}
