//! The step-wise trainer: Keras validation split, batch order, progress, cancellation,
//! divergence, determinism, sync/async equality, validation and normal scores, scoring helpers.

use std::sync::{Arc, Mutex};

use burn::tensor::{Device, Tensor};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sonogan::features::Vectors;
use sonogan::models::{
    AeConfig, Detector, EgbadConfig, GanomalyConfig, ModelConfig, ModelError, ModelKind,
    SkipGanomalyConfig, StepLosses, StepObserver, WeightSnapshot, new_detector,
};
use sonogan::store::ScoreSource;
use sonogan::train::{
    EpochOrder, TrainConfig, TrainError, Trainer, TrainingData, batch_ranges, clip_score,
    permutation, score_vectors,
};

const DIM: usize = 6;

fn tiny_ae() -> ModelConfig {
    ModelConfig::Ae(AeConfig {
        input_dim: DIM,
        hidden_dim: 8,
        hidden_layers: 1,
        latent_dim: 2,
        ..AeConfig::default()
    })
}

fn ae(seed: u64) -> Box<dyn Detector> {
    new_detector(&tiny_ae(), &Device::flex(), seed).expect("detector")
}

/// Clips of the given lengths; vector i (over all clips) starts with the value i, so batches
/// reveal which vectors they hold; the other components are noise around a fixed pattern.
fn clips(lengths: &[usize], seed: u64) -> Vec<Vectors> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut index = 0;
    lengths
        .iter()
        .map(|&len| {
            let mut data = Vec::with_capacity(len * DIM);
            for _ in 0..len {
                data.push(index as f32);
                data.extend((1..DIM).map(|d| d as f32 * 0.5 + rng.random_range(-0.3..0.3)));
                index += 1;
            }
            Vectors { dim: DIM, data }
        })
        .collect()
}

fn config(epochs: usize, batch_size: usize) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size,
        seed: 11,
        ..TrainConfig::default()
    }
}

/// What a [`Spy`] saw.
#[derive(Default)]
struct Seen {
    /// Per step, per stream: the first component of every vector (its global index).
    batches: Vec<Vec<Vec<usize>>>,
    /// Loss reads handed to the detector.
    reads: Vec<Vec<(String, f32)>>,
}

/// Wraps a real detector, records batches and loss reads, can claim more batch streams than
/// the inner model uses and can turn the losses of one step into NaN.
struct Spy {
    inner: Box<dyn Detector>,
    streams: usize,
    nan_at_step: Option<usize>,
    steps: usize,
    seen: Arc<Mutex<Seen>>,
}

fn spy(streams: usize, nan_at_step: Option<usize>) -> (Box<dyn Detector>, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let spy = Spy {
        inner: ae(3),
        streams,
        nan_at_step,
        steps: 0,
        seen: seen.clone(),
    };
    (Box::new(spy), seen)
}

impl Detector for Spy {
    fn kind(&self) -> ModelKind {
        self.inner.kind()
    }
    fn config(&self) -> ModelConfig {
        self.inner.config()
    }
    fn device(&self) -> Device {
        self.inner.device()
    }
    fn batches_per_step(&self) -> usize {
        self.streams
    }
    fn network_names(&self) -> &'static [&'static str] {
        self.inner.network_names()
    }
    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let indices = batches
            .iter()
            .map(|b| {
                let n = b.dims()[0];
                let first = b
                    .clone()
                    .slice([0..n, 0..1])
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap();
                first.into_iter().map(|v| v as usize).collect()
            })
            .collect();
        self.seen.lock().unwrap().batches.push(indices);
        self.steps += 1;
        let mut losses = self
            .inner
            .train_step_observed(&batches[..self.inner.batches_per_step()], observer)?;
        if self.nan_at_step == Some(self.steps) {
            for (_, loss) in &mut losses {
                *loss = loss.clone() * f32::NAN;
            }
        }
        Ok(losses)
    }
    fn on_losses_read(&mut self, losses: &[(String, f32)]) {
        self.seen.lock().unwrap().reads.push(losses.to_vec());
        self.inner.on_losses_read(losses);
    }
    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        self.inner.score(x)
    }
    fn weights(&self) -> WeightSnapshot {
        self.inner.weights()
    }
    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        self.inner.load_weights(bytes)
    }
    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        self.inner.parameter_values(network)
    }
}

/// Polls a future to completion on this thread.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
        std::thread::yield_now();
    }
}

// ---------------------------------------------------------------------------------------------
// Data split and batch order

#[test]
fn validation_split_is_the_keras_tail() {
    // Python: int(N * (1. - 0.1)) for N = 240, 95, 10, 7.
    for (lengths, train) in [
        (vec![20; 12], 216),
        (vec![19; 5], 85),
        (vec![10], 9),
        (vec![3, 4], 6),
    ] {
        let data = TrainingData::from_clips(clips(&lengths, 0), 0.1).expect("data");
        let n: usize = lengths.iter().sum();
        assert_eq!(
            (data.len(), data.train_len(), data.validation_len()),
            (n, train, n - train)
        );
        assert_eq!(
            data.row(train)[0],
            train as f32,
            "the tail starts right after the head, in file order"
        );
    }
    let all = TrainingData::from_clips(clips(&[5, 5], 0), 0.0).expect("data");
    assert_eq!(all.validation_len(), 0);
}

#[test]
fn clip_ranges_follow_the_split() {
    let mut input = clips(&[5, 5, 5], 0);
    input.insert(1, Vectors::default()); // a clip without vectors keeps its place
    input.push(clips(&[5], 1).remove(0));
    let data = TrainingData::from_clips(input, 0.1).expect("data");
    assert_eq!(data.clip_count(), 5);
    assert_eq!(data.train_len(), 18);
    assert_eq!(data.validation_clip_ranges(), vec![0..2]);
    assert_eq!(
        data.training_clip_ranges(),
        vec![0..5, 5..10, 10..15, 15..18]
    );
    let data = TrainingData::from_clips(clips(&[10; 10], 0), 0.35).expect("data");
    assert_eq!(
        data.validation_clip_ranges(),
        vec![0..5, 5..15, 15..25, 25..35]
    );
}

#[test]
fn bad_data_is_refused_with_the_clip_named() {
    assert!(matches!(
        TrainingData::from_clips(vec![], 0.1),
        Err(TrainError::NoData(_))
    ));
    assert!(matches!(
        TrainingData::from_clips(vec![Vectors::default(); 3], 0.1),
        Err(TrainError::NoData(_))
    ));
    let mut mixed = clips(&[4, 4], 0);
    mixed.push(Vectors {
        dim: 5,
        data: vec![0.0; 10],
    });
    let error = TrainingData::from_clips(mixed, 0.1).unwrap_err();
    assert!(error.to_string().contains("clip 3 of 3"), "{error}");
    let ragged = vec![Vectors {
        dim: DIM,
        data: vec![0.0; DIM + 1],
    }];
    assert!(matches!(
        TrainingData::from_clips(ragged, 0.1),
        Err(TrainError::InvalidData(_))
    ));
    assert!(matches!(
        TrainingData::from_clips(clips(&[4], 0), 1.0),
        Err(TrainError::InvalidConfig(_))
    ));
}

#[test]
fn batches_keep_the_partial_tail_but_never_a_single_vector() {
    assert_eq!(batch_ranges(10, 4), vec![0..4, 4..8, 8..10]);
    assert_eq!(
        batch_ranges(9, 4),
        vec![0..4, 4..9],
        "a last batch of one joins the previous one"
    );
    assert_eq!(batch_ranges(8, 4), vec![0..4, 4..8]);
    assert_eq!(batch_ranges(3, 512), vec![0..3]);
}

#[test]
fn permutations_are_seeded_and_complete() {
    let draw = |seed| permutation(100, &mut ChaCha8Rng::seed_from_u64(seed));
    let mut sorted = draw(1);
    sorted.sort_unstable();
    assert_eq!(sorted, (0..100).collect::<Vec<u32>>());
    assert_eq!(draw(1), draw(1));
    assert_ne!(draw(1), draw(2));
    let order = EpochOrder::draw(100, 30, 2, &mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(order.steps(), 4);
    assert_ne!(
        order.batch(0)[0],
        order.batch(0)[1],
        "the two streams are independent"
    );
}

// ---------------------------------------------------------------------------------------------
// Trainer setup

#[test]
fn trainer_refuses_bad_setups() {
    let too_few = Trainer::new(ae(1), clips(&[2], 0), config(1, 4))
        .err()
        .expect("one training vector");
    assert!(
        matches!(too_few, TrainError::TooFewVectors { available: 1, .. }),
        "{too_few}"
    );
    let wrong_dim = vec![Vectors {
        dim: 4,
        data: vec![0.0; 40],
    }];
    let error = Trainer::new(ae(1), wrong_dim, config(1, 4))
        .err()
        .expect("dimension mismatch");
    assert!(
        matches!(
            error,
            TrainError::DimensionMismatch {
                data: 4,
                expected: 6,
                ..
            }
        ),
        "{error}"
    );
    assert!(matches!(
        Trainer::new(ae(1), vec![], config(1, 4)),
        Err(TrainError::NoData(_))
    ));
    for bad in [
        config(0, 4),
        config(1, 1),
        TrainConfig {
            loss_read_every: 0,
            ..config(1, 4)
        },
    ] {
        assert!(matches!(
            Trainer::new(ae(1), clips(&[20], 0), bad),
            Err(TrainError::InvalidConfig(_))
        ));
    }
}

#[test]
fn learning_rate_override_must_reach_the_detector() {
    let train = TrainConfig {
        learning_rate: Some(5e-4),
        ..config(1, 4)
    };
    let error = Trainer::new(ae(1), clips(&[20], 0), train.clone())
        .err()
        .expect("not applied");
    assert!(matches!(error, TrainError::InvalidConfig(_)), "{error}");
    let mut model = tiny_ae();
    train.apply_to(&mut model);
    assert_eq!(model.learning_rate(), 5e-4);
    let detector = new_detector(&model, &Device::flex(), 1).expect("detector");
    assert!(Trainer::new(detector, clips(&[20], 0), train).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Stepping

#[test]
fn steps_cover_the_training_head_once_per_epoch_in_fresh_orders() {
    let (detector, seen) = spy(2, None);
    // 60 vectors → 54 trained on; batch 16 → 16, 16, 16, 6 (the partial last batch is kept).
    let mut trainer =
        Trainer::new(detector, clips(&[20, 20, 20], 0), config(3, 16)).expect("trainer");
    assert_eq!((trainer.steps_per_epoch(), trainer.total_steps()), (4, 12));
    let mut count = 0;
    while trainer.step().expect("step").is_some() {
        count += 1;
    }
    assert_eq!(count, 12);
    assert!(trainer.step().expect("after the end").is_none());
    let seen = seen.lock().unwrap();
    let sizes: Vec<usize> = seen.batches[..4].iter().map(|b| b[0].len()).collect();
    assert_eq!(sizes, vec![16, 16, 16, 6]);
    for epoch in seen.batches.chunks(4) {
        for stream in 0..2 {
            let mut indices: Vec<usize> =
                epoch.iter().flat_map(|step| step[stream].clone()).collect();
            indices.sort_unstable();
            assert_eq!(
                indices,
                (0..54).collect::<Vec<_>>(),
                "every trained-on vector once, no held-out one"
            );
        }
        assert_ne!(epoch[0][0], epoch[0][1], "two independent permutations");
    }
    assert_ne!(
        seen.batches[0][0], seen.batches[4][0],
        "a fresh permutation each epoch"
    );
}

#[test]
fn progress_reports_steps_losses_and_validation() {
    let (detector, seen) = spy(1, None);
    let train = TrainConfig {
        loss_read_every: 3,
        ..config(2, 8)
    };
    // 50 vectors → 45 trained on → batches 8,8,8,8,8,5: 6 steps per epoch.
    let mut trainer = Trainer::new(detector, clips(&[25, 25], 0), train).expect("trainer");
    let mut reports = Vec::new();
    while let Some(progress) = trainer.step().expect("step") {
        reports.push(progress);
    }
    assert_eq!(reports.len(), 12);
    let read_at: Vec<usize> = reports
        .iter()
        .filter(|p| p.losses_step == p.step)
        .map(|p| p.step)
        .collect();
    assert_eq!(
        read_at,
        vec![3, 6, 9, 12],
        "every 3 steps and at each epoch end"
    );
    assert_eq!(seen.lock().unwrap().reads.len(), 4);
    let ends: Vec<usize> = reports
        .iter()
        .filter(|p| p.validation_loss.is_some())
        .map(|p| p.step)
        .collect();
    assert_eq!(ends, vec![6, 12]);
    let last = reports.last().unwrap();
    assert_eq!(
        (
            last.epoch,
            last.step_in_epoch,
            last.steps_per_epoch,
            last.total_steps
        ),
        (2, 6, 6, 12)
    );
    assert!(last.is_epoch_end() && last.is_last());
    assert_eq!(reports[6].epoch, 2);
    assert_eq!(reports[6].step_in_epoch, 1);
    assert_eq!(last.losses[0].0, "mse", "the autoencoder reports its MSE");
    assert!(last.vectors_per_second > 0.0 && last.eta_seconds == 0.0);
    assert_eq!(trainer.validation_losses().len(), 2);
}

#[test]
fn cancellation_stops_the_run_and_yields_no_model() {
    let mut trainer = Trainer::new(ae(1), clips(&[40], 0), config(5, 8)).expect("trainer");
    let token = trainer.cancel_token();
    trainer.step().expect("first step");
    token.cancel();
    assert!(matches!(
        trainer.step(),
        Err(TrainError::Cancelled { epoch: 1, steps: 1 })
    ));
    assert!(matches!(trainer.step(), Err(TrainError::Cancelled { .. })));
    assert!(matches!(
        trainer.summary(),
        Err(TrainError::Cancelled { .. })
    ));
    assert!(trainer.into_detector().is_err());
}

#[test]
fn a_non_finite_loss_stops_the_run_as_diverged() {
    let (detector, _) = spy(1, Some(3));
    let mut trainer = Trainer::new(detector, clips(&[40], 0), config(5, 8)).expect("trainer");
    trainer.step().expect("step 1");
    trainer.step().expect("step 2");
    let error = trainer.step().expect_err("step 3 diverges");
    assert!(
        matches!(&error, TrainError::Diverged { model: ModelKind::Ae, network, step: 3, value } if network == "mse" && value.is_nan()),
        "{error}"
    );
    assert!(
        error.to_string().contains("diverged") && error.to_string().contains("step 3"),
        "{error}"
    );
    assert!(
        matches!(trainer.step(), Err(TrainError::Diverged { .. })),
        "no further steps"
    );
    assert!(
        trainer.into_detector().is_err(),
        "no model from a diverged run"
    );
}

#[test]
fn unfinished_runs_yield_no_model() {
    let mut trainer = Trainer::new(ae(1), clips(&[40], 0), config(2, 8)).expect("trainer");
    trainer.step().expect("step");
    assert!(matches!(
        trainer.summary(),
        Err(TrainError::Unfinished {
            epochs_done: 0,
            epochs: 2
        })
    ));
}

/// Loss reports per step, validation losses, final parameters.
type RunRecord = (Vec<Vec<(String, f32)>>, Vec<f64>, Vec<f32>);

/// Trains a tiny AE to the end; returns the per-step loss reports, the validation losses and the
/// final parameters.
fn run(seed: u64, asynchronous: bool) -> RunRecord {
    let train = TrainConfig {
        seed,
        ..config(2, 16)
    };
    let mut trainer = Trainer::new(ae(seed), clips(&[30, 30], 4), train).expect("trainer");
    let mut losses = Vec::new();
    loop {
        let progress = if asynchronous {
            block_on(trainer.step_async())
        } else {
            trainer.step()
        };
        match progress.expect("step") {
            Some(p) => losses.push(p.losses),
            None => break,
        }
    }
    let validation = trainer.validation_losses().to_vec();
    let parameters = trainer
        .detector()
        .parameter_values("AE")
        .expect("parameters");
    (losses, validation, parameters)
}

#[test]
fn the_same_seed_gives_identical_runs_and_async_equals_sync() {
    let first = run(21, false);
    assert_eq!(run(21, false), first, "same seed, same run");
    assert_eq!(run(21, true), first, "asynchronous reads change nothing");
    let other = run(22, false);
    assert_ne!(other.2, first.2, "another seed trains another model");
}

#[test]
fn validation_loss_is_the_mean_score_of_the_held_out_vectors() {
    let input = clips(&[30, 30], 4);
    let tail = Vectors {
        dim: DIM,
        data: input[1].data[24 * DIM..].to_vec(),
    }; // 60 → 54 trained on
    let mut trainer = Trainer::new(ae(2), input, config(2, 16)).expect("trainer");
    trainer.run_to_end(|_| {}).expect("training");
    let scores = score_vectors(trainer.detector(), &tail, 4).expect("scores");
    let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64;
    let reported = *trainer.validation_losses().last().unwrap();
    assert!(
        (reported - mean).abs() <= 1e-6 * mean.abs(),
        "{reported} vs {mean}"
    );
}

#[test]
fn normal_scores_come_from_validation_clips_when_there_are_three() {
    let input = clips(&[10; 10], 6);
    let expected_clips: Vec<Vectors> = [(6, 5..10), (7, 0..10), (8, 0..10), (9, 0..10)]
        .into_iter()
        .map(|(clip, rows)| Vectors {
            dim: DIM,
            data: input[clip].data[rows.start * DIM..rows.end * DIM].to_vec(),
        })
        .collect();
    let train = TrainConfig {
        validation_split: 0.35,
        ..config(2, 16)
    };
    let mut trainer = Trainer::new(ae(2), input, train).expect("trainer");
    let summary = trainer.run_to_end(|_| {}).expect("training");
    assert_eq!(summary.normal_scores.source, ScoreSource::Validation);
    assert_eq!(
        (
            summary.train_vectors,
            summary.validation_vectors,
            summary.clip_count
        ),
        (65, 35, 10)
    );
    let detector = trainer.into_detector().expect("model");
    for (got, clip) in summary
        .normal_scores
        .clip_scores
        .iter()
        .zip(&expected_clips)
    {
        let expected = clip_score(detector.as_ref(), clip, 3).expect("clip score");
        assert!(
            (got - expected).abs() <= 1e-6 * expected.abs(),
            "{got} vs {expected}"
        );
    }
    assert_eq!(summary.normal_scores.clip_scores.len(), 4);
}

#[test]
fn every_model_kind_trains_through_the_trainer() {
    let configs = [
        tiny_ae(),
        ModelConfig::Ganomaly(GanomalyConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            ..Default::default()
        }),
        ModelConfig::SkipGanomaly(SkipGanomalyConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            feature_dim: 2,
            ..Default::default()
        }),
        ModelConfig::Egbad(EgbadConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            d_hidden_dim: 8,
            ..Default::default()
        }),
    ];
    for model in configs {
        let detector = new_detector(&model, &Device::flex(), 1).expect("detector");
        let mut trainer =
            Trainer::new(detector, clips(&[12; 4], 2), config(1, 16)).expect("trainer");
        let summary = trainer.run_to_end(|_| {}).expect("training");
        assert_eq!(summary.steps, 3, "{:?}", model.kind());
        assert!(
            summary.final_losses.iter().all(|(_, v)| v.is_finite()),
            "{:?}",
            model.kind()
        );
        let names: Vec<&str> = summary
            .final_losses
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        if model.kind() != ModelKind::Ae {
            for network in trainer.detector().network_names() {
                assert!(
                    names.contains(network),
                    "{:?}: {names:?} lacks {network}",
                    model.kind()
                );
            }
        }
        assert!(summary.validation_losses[0].is_finite());
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring helpers

#[test]
fn clip_score_is_the_mean_of_vector_scores_whatever_the_chunk() {
    let detector = ae(9);
    let clip = clips(&[23], 8).remove(0);
    let whole = score_vectors(detector.as_ref(), &clip, 4096).expect("scores");
    let chunked = score_vectors(detector.as_ref(), &clip, 5).expect("scores");
    assert_eq!(whole.len(), 23);
    for (a, b) in whole.iter().zip(&chunked) {
        assert!((a - b).abs() <= 1e-6 * a.abs().max(1e-6), "{a} vs {b}");
    }
    let mean = whole.iter().map(|&s| f64::from(s)).sum::<f64>() / 23.0;
    let score = clip_score(detector.as_ref(), &clip, 5).expect("clip score");
    assert!((score - mean).abs() <= 1e-6 * mean);
    assert_eq!(
        block_on(sonogan::train::clip_score_async(
            detector.as_ref(),
            &clip,
            5
        ))
        .expect("async"),
        score
    );
    assert!(matches!(
        clip_score(detector.as_ref(), &Vectors::default(), 5),
        Err(TrainError::NoData(_))
    ));
    let wrong = Vectors {
        dim: 4,
        data: vec![0.0; 8],
    };
    assert!(matches!(
        score_vectors(detector.as_ref(), &wrong, 5),
        Err(TrainError::DimensionMismatch { .. })
    ));
}
