//! The step-wise trainer: one detector step per call, so a browser can interleave training with
//! drawing, and native code blocks on each step (docs/DESIGN.md §12).

use burn::tensor::{Device, Tensor};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::batches::EpochOrder;
use super::cancel::CancelToken;
use super::losses::read_losses;
use super::progress::{Progress, RunClock};
use super::scoring::{RowIds, mean_score, to_tensor, with_machine_ids};
use super::{TrainConfig, TrainError, TrainingData};
use crate::features::{FrameStack, VectorRows, Vectors};
use crate::models::{Detector, StepLosses, Training};
use std::sync::Arc;

/// Smallest batch BatchNorm can train on (the batch variance of one vector is zero).
pub const MIN_BATCH: usize = 2;

/// What the step just taken requires before it can be reported.
struct StepDone {
    /// The step's losses, still on the device, when they are due to be read.
    losses_to_read: Option<StepLosses>,
    /// True when the step closed an epoch (validation is due).
    epoch_end: bool,
}

/// Trains one detector on one set of vectors, one step per [`Trainer::step`] call.
pub struct Trainer {
    pub(super) detector: Box<dyn Detector>,
    pub(super) data: TrainingData,
    pub(super) config: TrainConfig,
    pub(super) device: Device,
    rng: ChaCha8Rng,
    order: Option<EpochOrder>,
    pub(super) steps_per_epoch: usize,
    /// How the detector learns (its registry row).
    training: Training,
    /// Epochs (gradient) or the most passes (pass-fitted) of the run.
    epochs_total: usize,
    /// A pass-fitted detector said its fit is complete.
    fit_done: bool,
    pub(super) epochs_done: usize,
    step_in_epoch: usize,
    pub(super) steps_done: usize,
    vectors_done: usize,
    pub(super) last_losses: Vec<(String, f32)>,
    losses_step: usize,
    pub(super) validation_losses: Vec<f64>,
    pub(super) validation_scores: Option<Vec<f32>>,
    pending_validation: Option<f64>,
    cancel: CancelToken,
    diverged: Option<Divergence>,
    pub(super) clock: RunClock,
}

/// The first non-finite loss of a diverged run.
#[derive(Debug, Clone)]
struct Divergence {
    network: String,
    step: usize,
    value: f32,
}

impl Trainer {
    /// Prepares a run: concatenates `clips` in the given (file-sorted) order, holds out the last
    /// `config.validation_split` of the vectors (docs/DESIGN.md §1.6, §10.11) and checks that the data fit
    /// the detector. The detector must have been built with any learning-rate override already
    /// applied ([`TrainConfig::apply_to`]). Batches are created on the detector's device.
    pub fn new(
        detector: Box<dyn Detector>,
        clips: Vec<Vectors>,
        config: TrainConfig,
    ) -> Result<Self, TrainError> {
        let frames = clips
            .into_iter()
            .map(|clip| Arc::new(FrameStack::from_vectors(clip)))
            .collect();
        Self::with_machine_ids(detector, frames, &[], config)
    }

    /// [`Trainer::new`] for data that carries machine IDs: `clip_ids[i]` is clip `i`'s index in
    /// the detector's conditioning list (docs/DESIGN.md §12.3). Detectors not conditioned on
    /// the ID ignore them; a conditioned one needs them.
    pub fn with_machine_ids(
        detector: Box<dyn Detector>,
        clips: Vec<Arc<FrameStack>>,
        clip_ids: &[u32],
        config: TrainConfig,
    ) -> Result<Self, TrainError> {
        config.check(detector.as_ref())?;
        let mut data = TrainingData::from_frames(clips, config.validation_split)?;
        let id_count = detector.config().settings().machine_ids().len();
        if id_count > 0 {
            if clip_ids.is_empty() {
                return Err(TrainError::MachineId(format!(
                    "{} is conditioned on {id_count} machine IDs but the training data carries none",
                    detector.kind().label()
                )));
            }
            data = data.with_machine_ids(clip_ids)?;
        }
        let expected = detector.config().input_dim();
        if data.dim() != expected {
            return Err(TrainError::DimensionMismatch {
                model: detector.kind(),
                data: data.dim(),
                expected,
            });
        }
        if data.train_len() < MIN_BATCH {
            return Err(TrainError::TooFewVectors {
                available: data.train_len(),
                held_out: data.validation_len(),
                needed: MIN_BATCH,
            });
        }
        let steps_per_epoch =
            super::batches::batch_ranges(data.train_len(), config.batch_size).len();
        let device = detector.device();
        let training = detector.kind().info().training;
        let epochs_total = match training {
            Training::Gradient => config.epochs,
            Training::Passes => detector.max_passes().max(1),
        };
        Ok(Self {
            detector,
            data,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            device,
            order: None,
            steps_per_epoch,
            training,
            epochs_total,
            fit_done: false,
            epochs_done: 0,
            step_in_epoch: 0,
            steps_done: 0,
            vectors_done: 0,
            last_losses: Vec::new(),
            losses_step: 0,
            validation_losses: Vec::new(),
            validation_scores: None,
            pending_validation: None,
            cancel: CancelToken::new(),
            diverged: None,
            clock: RunClock::default(),
        })
    }

    /// A handle that cancels this run from elsewhere (a button, a signal handler).
    pub fn cancel_token(&self) -> CancelToken {
        self.cancel.clone()
    }

    /// The training data (split, clip boundaries).
    pub fn data(&self) -> &TrainingData {
        &self.data
    }

    /// The training configuration.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// The detector being trained.
    pub fn detector(&self) -> &dyn Detector {
        self.detector.as_ref()
    }

    /// Steps (batches) per epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.steps_per_epoch
    }

    /// Steps of the whole run.
    /// Steps of the whole run (for a pass-fitted detector: an upper bound, it may stop early).
    pub fn total_steps(&self) -> usize {
        self.steps_per_epoch * self.epochs_total
    }

    /// True when every epoch is done (or a pass-fitted detector's fit is complete).
    pub fn is_finished(&self) -> bool {
        self.fit_done || self.epochs_done >= self.epochs_total
    }

    /// Mean held-out score at the end of each finished epoch (empty without validation data).
    pub fn validation_losses(&self) -> &[f64] {
        &self.validation_losses
    }

    /// Advances by exactly one detector step, reading the losses when due (every
    /// `loss_read_every` steps and at each epoch end) and validating at each epoch end.
    /// `Ok(None)` once all epochs are done. Device reads are awaited (in the browser this also
    /// yields to the event loop; natively, block on it with [`crate::runtime::block_on`]).
    pub async fn step(&mut self) -> Result<Option<Progress>, TrainError> {
        let Some(done) = self.train_one_step()? else {
            return Ok(None);
        };
        if let Some(losses) = done.losses_to_read {
            let values = read_losses(losses).await?;
            self.accept_losses(values)?;
        }
        if done.epoch_end {
            let scores = self.score_validation().await?;
            self.accept_validation(scores);
        }
        Ok(Some(self.progress()))
    }

    /// Runs every remaining step, calling `on_progress` after each, then summarises the run
    /// (see [`Trainer::summary`]).
    pub async fn run_to_end(
        &mut self,
        mut on_progress: impl FnMut(&Progress),
    ) -> Result<super::TrainedSummary, TrainError> {
        while let Some(progress) = self.step().await? {
            on_progress(&progress);
        }
        self.summary().await
    }

    /// The error of a diverged run, if it diverged.
    fn divergence(&self) -> Result<(), TrainError> {
        match &self.diverged {
            None => Ok(()),
            Some(d) => Err(TrainError::Diverged {
                model: self.detector.kind(),
                network: d.network.clone(),
                step: d.step,
                value: d.value,
            }),
        }
    }

    /// Refuses to go on after a divergence or a cancellation.
    fn check_running(&self) -> Result<(), TrainError> {
        self.divergence()?;
        if self.cancel.is_cancelled() {
            return Err(TrainError::Cancelled {
                epoch: self.epochs_done + 1,
                steps: self.steps_done,
            });
        }
        Ok(())
    }

    /// Errors when the run cannot yield a model: diverged, cancelled or not finished. A
    /// cancellation that arrives after the last step changes nothing.
    pub(super) fn check_complete(&self) -> Result<(), TrainError> {
        self.divergence()?;
        if self.is_finished() {
            return Ok(());
        }
        self.check_running()?;
        Err(TrainError::Unfinished {
            epochs_done: self.epochs_done,
            epochs: self.epochs_total,
        })
    }

    /// The device-side part of a step: batch gathering and the detector's update. `None` once
    /// the run is finished.
    fn train_one_step(&mut self) -> Result<Option<StepDone>, TrainError> {
        self.divergence()?;
        if self.is_finished() {
            return Ok(None);
        }
        self.check_running()?;
        self.clock.start();
        let (losses, batch_len) = match self.training {
            Training::Gradient => {
                let batches = self.next_batches()?;
                let batch_len = batches.first().map_or(0, |b| b.dims()[0]);
                (Some(self.detector.train_step(&batches)?), batch_len)
            }
            Training::Passes => (None, self.fit_next_batch()?),
        };
        self.step_in_epoch += 1;
        self.steps_done += 1;
        self.vectors_done += batch_len;
        let epoch_end = self.step_in_epoch == self.steps_per_epoch;
        let read_due = epoch_end
            || self
                .steps_done
                .is_multiple_of(self.config.loss_read_every.max(1));
        if epoch_end {
            self.order = None;
            self.step_in_epoch = 0;
            self.epochs_done += 1;
            if self.training == Training::Passes {
                self.end_pass()?;
            }
        }
        Ok(Some(StepDone {
            losses_to_read: losses.filter(|_| read_due),
            // A pass-fitted model is only scored once its fit is complete.
            epoch_end: epoch_end && (self.training == Training::Gradient || self.is_finished()),
        }))
    }

    /// Hands the next batch of the pass (in file order: the statistics do not depend on the
    /// order) to a pass-fitted detector; returns its length.
    fn fit_next_batch(&mut self) -> Result<usize, TrainError> {
        let ranges = super::batches::batch_ranges(self.data.train_len(), self.config.batch_size);
        let range = ranges[self.step_in_epoch].clone();
        let id_count = self.detector.config().settings().machine_ids().len();
        let ids = self.data.ids(range.clone());
        let mut values = Vec::new();
        self.data.extend_rows(range.clone(), &mut values);
        let rows = with_machine_ids(values, self.data.dim(), RowIds::PerRow(&ids), 0, id_count)?;
        self.detector.fit_batch(&rows)?;
        Ok(range.len())
    }

    /// Closes a pass of a pass-fitted detector: records its statistics (a non-finite one is a
    /// divergence) and whether the fit is complete.
    fn end_pass(&mut self) -> Result<(), TrainError> {
        let end = self.detector.end_pass()?;
        self.fit_done = end.done;
        self.accept_losses(end.statistics)
    }

    /// The batches of the next step, one per stream the detector asks for, drawing a fresh
    /// epoch order at the start of each epoch.
    fn next_batches(&mut self) -> Result<Vec<Tensor<2>>, TrainError> {
        let streams = self.detector.batches_per_step();
        let (train_len, batch_size) = (self.data.train_len(), self.config.batch_size);
        let id_count = self.detector.config().settings().machine_ids().len();
        let rng = &mut self.rng;
        let order = self
            .order
            .get_or_insert_with(|| EpochOrder::draw(train_len, batch_size, streams, rng));
        order
            .batch(self.step_in_epoch)
            .into_iter()
            .map(|indices| {
                let ids = self.data.gather_ids(indices);
                let rows = with_machine_ids(
                    self.data.gather(indices),
                    self.data.dim(),
                    RowIds::PerRow(&ids),
                    0,
                    id_count,
                )?;
                Ok(to_tensor(rows, self.data.dim() + id_count, &self.device))
            })
            .collect()
    }

    /// Checks read losses for NaN/Inf, then passes them to the detector.
    fn accept_losses(&mut self, values: Vec<(String, f32)>) -> Result<(), TrainError> {
        if let Some((network, value)) = values.iter().find(|(_, v)| !v.is_finite()) {
            self.diverged = Some(Divergence {
                network: network.clone(),
                step: self.steps_done,
                value: *value,
            });
            return self.divergence();
        }
        self.detector.on_losses_read(&values);
        self.last_losses = values;
        self.losses_step = self.steps_done;
        Ok(())
    }

    /// Per-vector scores of the held-out vectors, one chunk copied at a time.
    async fn score_validation(&self) -> Result<Vec<f32>, TrainError> {
        let held_out = self.data.train_len()..self.data.len();
        let ids = self.data.ids(held_out.clone());
        let (detector, chunk) = (self.detector.as_ref(), self.config.score_chunk);
        super::scoring::score_rows(detector, &self.data, held_out, RowIds::PerRow(&ids), chunk)
            .await
    }

    /// Records an epoch's validation scores and their mean.
    fn accept_validation(&mut self, scores: Vec<f32>) {
        self.pending_validation = mean_score(&scores);
        if let Some(loss) = self.pending_validation {
            self.validation_losses.push(loss);
        }
        self.validation_scores = Some(scores);
    }

    /// The report of the step just taken.
    fn progress(&mut self) -> Progress {
        let step_in_epoch = if self.step_in_epoch == 0 {
            self.steps_per_epoch
        } else {
            self.step_in_epoch
        };
        let epoch = if self.step_in_epoch == 0 {
            self.epochs_done
        } else {
            self.epochs_done + 1
        };
        Progress {
            epoch,
            epochs: self.epochs_total,
            step_in_epoch,
            steps_per_epoch: self.steps_per_epoch,
            step: self.steps_done,
            total_steps: self.total_steps(),
            losses: self.last_losses.clone(),
            losses_step: self.losses_step,
            vectors_per_second: self.clock.rate(self.vectors_done),
            elapsed_seconds: self.clock.elapsed_seconds(),
            eta_seconds: self.clock.eta_seconds(self.steps_done, self.total_steps()),
            validation_loss: self.pending_validation.take(),
        }
    }
}
