//! Trainer setup, stepping, progress, cancellation, divergence and determinism.

use super::support::*;

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
    assert_eq!(model.learning_rate(), Some(5e-4));
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
    while block_on(trainer.step()).expect("step").is_some() {
        count += 1;
    }
    assert_eq!(count, 12);
    assert!(block_on(trainer.step()).expect("after the end").is_none());
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
    while let Some(progress) = block_on(trainer.step()).expect("step") {
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
    block_on(trainer.step()).expect("first step");
    token.cancel();
    assert!(matches!(
        block_on(trainer.step()),
        Err(TrainError::Cancelled { epoch: 1, steps: 1 })
    ));
    assert!(matches!(
        block_on(trainer.step()),
        Err(TrainError::Cancelled { .. })
    ));
    assert!(matches!(
        block_on(trainer.summary()),
        Err(TrainError::Cancelled { .. })
    ));
    assert!(trainer.into_detector().is_err());
}

#[test]
fn a_non_finite_loss_stops_the_run_as_diverged() {
    let (detector, _) = spy(1, Some(3));
    let mut trainer = Trainer::new(detector, clips(&[40], 0), config(5, 8)).expect("trainer");
    block_on(trainer.step()).expect("step 1");
    block_on(trainer.step()).expect("step 2");
    let error = block_on(trainer.step()).expect_err("step 3 diverges");
    assert!(
        matches!(&error, TrainError::Diverged { model: ModelKind::Ae, network, step: 3, value } if network == "mse" && value.is_nan()),
        "{error}"
    );
    assert!(
        error.to_string().contains("diverged") && error.to_string().contains("step 3"),
        "{error}"
    );
    assert!(
        matches!(block_on(trainer.step()), Err(TrainError::Diverged { .. })),
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
    block_on(trainer.step()).expect("step");
    assert!(matches!(
        block_on(trainer.summary()),
        Err(TrainError::Unfinished {
            epochs_done: 0,
            epochs: 2
        })
    ));
    let mut done = Trainer::new(ae(1), clips(&[20], 0), config(1, 8)).expect("trainer");
    let token = done.cancel_token();
    block_on(done.run_to_end(|_| {})).expect("training");
    token.cancel();
    assert!(block_on(done.step()).expect("finished").is_none());
    assert!(
        block_on(done.summary()).is_ok(),
        "a cancel after the last step changes nothing"
    );
}

/// Loss reports per step, validation losses, final parameters.
type RunRecord = (Vec<Vec<(String, f32)>>, Vec<f64>, Vec<f32>);

/// Trains a tiny AE to the end; returns the per-step loss reports, the validation losses and the
/// final parameters.
fn run(seed: u64) -> RunRecord {
    let train = TrainConfig {
        seed,
        ..config(2, 16)
    };
    let mut trainer = Trainer::new(ae(seed), clips(&[30, 30], 4), train).expect("trainer");
    let mut losses = Vec::new();
    while let Some(p) = block_on(trainer.step()).expect("step") {
        losses.push(p.losses);
    }
    let validation = trainer.validation_losses().to_vec();
    let parameters = trainer
        .detector()
        .parameter_values("AE")
        .expect("parameters");
    (losses, validation, parameters)
}

#[test]
fn the_same_seed_gives_identical_runs() {
    let first = run(21);
    assert_eq!(run(21), first, "same seed, same run");
    let other = run(22);
    assert_ne!(other.2, first.2, "another seed trains another model");
}
