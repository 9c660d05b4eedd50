//! Integration tests of the four detectors on flex (docs/DESIGN.md §1.6, §3–§5, §7, §10).
//!
//! Synthetic data: "normal" vectors lie near a random low-rank affine subspace (an offset per
//! dimension, a few latent factors, small noise); "anomalies" are drawn the same way from a
//! *different* random subspace, so they have the same marginal scale but lie off the normal
//! manifold. Offsets are dB-like (around −30) or, for the GAN tests, around 0 as after the
//! optional per-dimension standardisation (docs/DESIGN.md §10.12), so that brief training suffices.

#[path = "models/fused_step.rs"]
mod fused_step;
mod models_support;

use burn::tensor::Tensor;
use models_support::{
    Manifold, Snapshot, auc, build, device, gradient_kinds, read, small_config, snapshot,
    step_batches, train,
};
use sonogan::device::{DeviceChoice, DeviceError, select_device};
use sonogan::models::{
    AdamSettings, AeConfig, Detector, EgbadConfig, ModelConfig, ModelError, ModelKind, new_detector,
};

#[test]
fn kinds_and_configs_use_the_documented_serde_names() {
    let names: Vec<String> = ModelKind::ALL
        .iter()
        .map(|k| serde_json::to_string(k).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "\"ae\"",
            "\"ganomaly\"",
            "\"skip-ganomaly\"",
            "\"egbad\"",
            "\"mahalanobis\"",
            "\"gmm\"",
            "\"gmade\""
        ]
    );
    assert_eq!(
        "Skip-GANomaly".parse::<ModelKind>().unwrap(),
        ModelKind::SkipGanomaly
    );
    assert!("vae".parse::<ModelKind>().is_err());

    let parsed: ModelConfig =
        serde_json::from_str(r#"{"kind": "egbad", "ema_decay": 0.0}"#).unwrap();
    let ModelConfig::Egbad(egbad) = &parsed else {
        panic!("wrong kind: {parsed:?}")
    };
    assert_eq!(egbad.ema_decay, 0.0);
    assert_eq!(
        (egbad.adam.lr, egbad.adam.beta1, egbad.dropout),
        (1e-4, 0.5, 0.2)
    );
    for kind in ModelKind::ALL {
        let config = ModelConfig::default_for(kind);
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<ModelConfig>(&json).unwrap(), config);
        assert_eq!(config.kind(), kind);
    }
}

#[test]
fn out_of_range_hyper_parameters_are_rejected_with_their_name() {
    let config = ModelConfig::Egbad(EgbadConfig {
        dropout: 1.0,
        ..EgbadConfig::default()
    });
    let error = new_detector(&config, &device(), 0)
        .err()
        .expect("dropout 1 must be refused");
    assert!(error.to_string().contains("dropout"), "{error}");
    let config = ModelConfig::Ae(AeConfig {
        latent_dim: 0,
        ..AeConfig::default()
    });
    assert!(matches!(
        new_detector(&config, &device(), 0),
        Err(ModelError::InvalidConfig { .. })
    ));
}

#[test]
fn default_models_have_the_documented_shapes_and_reject_bad_input() {
    let manifold = Manifold::new(640, 3, 1);
    for kind in gradient_kinds() {
        let mut model = build(&ModelConfig::default_for(kind), 3);
        assert_eq!(model.kind(), kind);
        let batches: Vec<Tensor<2>> = (0..model.batches_per_step())
            .map(|b| manifold.tensor(16, b as u64))
            .collect();
        let losses = model.train_step(&batches).unwrap();
        for (name, loss) in &losses {
            assert_eq!(loss.dims(), [1], "{kind} loss {name}");
            assert!(!loss.is_autodiff(), "{kind} loss {name} must be detached");
        }
        let scores = model.score(manifold.tensor(5, 9)).unwrap();
        assert_eq!(scores.dims(), [5], "{kind}");
        assert!(
            read(scores).iter().all(|s| s.is_finite() && *s >= 0.0),
            "{kind}"
        );

        let wrong_count = model.train_step(&vec![batches[0].clone(); 3]);
        assert!(
            matches!(wrong_count, Err(ModelError::BatchCount { .. })),
            "{kind}"
        );
        let narrow = Manifold::new(64, 3, 1).tensor(4, 0);
        assert!(
            matches!(model.score(narrow), Err(ModelError::InputShape { .. })),
            "{kind}"
        );
        // A one-row batch (Keras' last partial batch) trains without producing NaN.
        let single: Vec<Tensor<2>> = batches.iter().map(|b| b.clone().slice(0..1)).collect();
        let single_losses = model.train_step(&single).unwrap();
        for (name, loss) in single_losses {
            assert!(
                loss.into_scalar::<f32>().is_finite(),
                "{kind}: {name} on one row"
            );
        }
        let empty: Vec<Tensor<2>> = batches.iter().map(|b| b.clone().slice(0..0)).collect();
        assert!(model.train_step(&empty).is_err(), "{kind}: empty batch");
        assert!(
            read(model.score(manifold.tensor(3, 4)).unwrap())
                .iter()
                .all(|s| s.is_finite())
        );
    }
}

#[test]
fn autoencoder_learns_the_manifold_and_ranks_off_manifold_vectors_higher() {
    let normal = Manifold::new(64, 3, 11);
    let off = normal.sibling(12);
    // A larger step than Keras' 1e-3 so the raw-dB offset is learnt within a short test.
    let mut config = small_config(ModelKind::Ae, 64);
    if let ModelConfig::Ae(ae) = &mut config {
        ae.adam.lr = 1e-2;
    }
    let mut model = build(&config, 5);
    let untrained_auc = auc(
        &read(model.score(normal.tensor(200, 1)).unwrap()),
        &read(model.score(off.tensor(200, 2)).unwrap()),
    );
    let losses = train(model.as_mut(), &normal, 1000, 128);
    let early: f32 = losses[..10].iter().sum::<f32>() / 10.0;
    let late: f32 = losses[losses.len() - 10..].iter().sum::<f32>() / 10.0;
    assert!(
        late < 0.2 * early,
        "MSE should fall well below its start: {early} → {late}"
    );
    let normal_scores = read(model.score(normal.tensor(200, 1)).unwrap());
    let off_scores = read(model.score(off.tensor(200, 2)).unwrap());
    let trained_auc = auc(&normal_scores, &off_scores);
    eprintln!("AE: MSE {early} → {late}, AUC untrained {untrained_auc} → trained {trained_auc}");
    assert!(
        trained_auc > 0.95,
        "AUC {trained_auc} (untrained {untrained_auc})"
    );
}

const GANS: [ModelKind; 3] = [
    ModelKind::Ganomaly,
    ModelKind::SkipGanomaly,
    ModelKind::Egbad,
];

#[test]
fn each_gan_update_changes_only_its_own_networks() {
    let manifold = Manifold::new(48, 3, 21);
    for kind in GANS {
        let mut model = build(&small_config(kind, 48), 4);
        let batches: Vec<Tensor<2>> = (0..model.batches_per_step())
            .map(|b| manifold.tensor(32, 50 + b as u64))
            .collect();
        let mut phases: Vec<(String, Snapshot)> = Vec::new();
        let before = snapshot(model.as_ref());
        model
            .train_step_observed(&batches, &mut |phase, m| {
                phases.push((phase.to_string(), snapshot(m)))
            })
            .unwrap();
        let expected_phases: &[&str] = match kind {
            ModelKind::Egbad => &["D", "G+E"],
            _ => &["G", "D"],
        };
        let names: Vec<&str> = phases.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names, expected_phases,
            "{kind}: update order (docs/DESIGN.md §7)"
        );

        let mut previous = before;
        for (phase, after) in phases {
            for ((network, old), (_, new)) in previous.iter().zip(&after) {
                let updated = phase.split('+').any(|p| p == network);
                assert_eq!(
                    old != new,
                    updated,
                    "{kind}: phase {phase} and network {network}"
                );
            }
            previous = after;
        }
    }
}

#[test]
fn the_same_seed_gives_bit_identical_training_and_scores() {
    let manifold = Manifold::new(48, 3, 31);
    for kind in gradient_kinds() {
        let config = small_config(kind, 48);
        let run = |seed: u64| {
            let mut model = build(&config, seed);
            train(model.as_mut(), &manifold, 3, 32);
            read(model.score(manifold.tensor(10, 77)).unwrap())
        };
        let first = run(8);
        assert_eq!(first, run(8), "{kind}: same seed");
        assert_ne!(first, run(9), "{kind}: another seed must differ");
    }
}

#[test]
fn saved_weights_restore_identical_scores_in_a_fresh_model() {
    let manifold = Manifold::new(48, 3, 41);
    for kind in gradient_kinds() {
        let config = small_config(kind, 48);
        let mut trained = build(&config, 1);
        train(trained.as_mut(), &manifold, 3, 32);
        let probe = manifold.tensor(10, 5);
        let bytes = trained.save_weights().unwrap();
        let mut restored = build(&config, 2);
        assert_ne!(
            read(restored.score(probe.clone()).unwrap()),
            read(trained.score(probe.clone()).unwrap())
        );
        restored.load_weights(&bytes).unwrap();
        assert_eq!(
            read(restored.score(probe.clone()).unwrap()),
            read(trained.score(probe).unwrap()),
            "{kind}"
        );
        // The restored model keeps training.
        train(restored.as_mut(), &manifold, 1, 32);
    }
}

#[test]
fn corrupt_truncated_or_mismatched_weights_are_refused_and_change_nothing() {
    let manifold = Manifold::new(48, 3, 51);
    let probe = manifold.tensor(6, 5);
    let mut model = build(&small_config(ModelKind::Ganomaly, 48), 1);
    let scores = read(model.score(probe.clone()).unwrap());
    let good = model.save_weights().unwrap();

    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x40;
    let truncated = &good[..good.len() - 100];
    let ae_bytes = build(&small_config(ModelKind::Ae, 48), 1)
        .save_weights()
        .unwrap();
    let wider = build(&small_config(ModelKind::Ganomaly, 64), 1)
        .save_weights()
        .unwrap();
    for (case, bytes) in [
        ("flipped byte", flipped.as_slice()),
        ("truncated", truncated),
        ("empty", &[][..]),
        ("other model kind", ae_bytes.as_slice()),
        ("other input width", wider.as_slice()),
    ] {
        let result = model.load_weights(bytes);
        assert!(
            matches!(result, Err(ModelError::Weights(_))),
            "{case}: {result:?}"
        );
        assert_eq!(
            read(model.score(probe.clone()).unwrap()),
            scores,
            "{case} changed the model"
        );
    }
    let message = model.load_weights(&wider).unwrap_err().to_string();
    assert!(
        message.contains("shape"),
        "a mismatch names the shapes: {message}"
    );
}

#[test]
fn egbad_ema_follows_the_documented_recursion() {
    let manifold = Manifold::new(48, 3, 61);
    let with_decay = |decay: f64| {
        let config = ModelConfig::Egbad(EgbadConfig {
            ema_decay: decay,
            ..match small_config(ModelKind::Egbad, 48) {
                ModelConfig::Egbad(c) => c,
                _ => unreachable!(),
            }
        });
        build(&config, 3)
    };
    // Decay 0: the averaged weights are the weights.
    let mut model = with_decay(0.0);
    train(model.as_mut(), &manifold, 2, 32);
    for network in ["G", "D", "E"] {
        let ema = model.parameter_values(&format!("{network}_ema")).unwrap();
        assert_eq!(model.parameter_values(network).unwrap(), ema, "{network}");
    }
    // Decay 0.9, one step: ema = 0.9·initial + 0.1·updated.
    let mut model = with_decay(0.9);
    let initial = snapshot(model.as_ref());
    train(model.as_mut(), &manifold, 1, 32);
    for (network, start) in initial {
        let updated = model.parameter_values(&network).unwrap();
        let ema = model.parameter_values(&format!("{network}_ema")).unwrap();
        assert_ne!(updated, start, "{network} must have trained");
        for ((s, u), e) in start.iter().zip(&updated).zip(&ema) {
            let expected = 0.9 * s + 0.1 * u;
            assert!(
                (e - expected).abs() <= 1e-6 * (1.0 + expected.abs()),
                "{network}: {e} vs {expected}"
            );
        }
    }
}

#[test]
fn a_collapsed_discriminator_loss_reinitialises_d_only() {
    let manifold = Manifold::new(48, 3, 71);
    for kind in [ModelKind::Ganomaly, ModelKind::SkipGanomaly] {
        let mut model = build(&small_config(kind, 48), 6);
        train(model.as_mut(), &manifold, 2, 32);
        let before = snapshot(model.as_ref());
        model.on_losses_read(&[("G".into(), 1e-9), ("D".into(), 0.3)]);
        assert_eq!(
            snapshot(model.as_ref()),
            before,
            "{kind}: a healthy L_D keeps D"
        );
        model.on_losses_read(&[("G".into(), 2.0), ("D".into(), 1e-6)]);
        let after = snapshot(model.as_ref());
        assert_eq!(after[0], before[0], "{kind}: G untouched");
        assert_ne!(after[1], before[1], "{kind}: D re-initialised");
        train(model.as_mut(), &manifold, 1, 32);
    }
}

/// Brief-training settings per GAN: (hidden width, learning rate, EMA decay, steps).
fn brief_training(kind: ModelKind) -> (ModelConfig, usize) {
    match small_config(kind, 48) {
        ModelConfig::Egbad(c) => {
            // BiGAN reconstructions need more steps; a faster EMA keeps up with them.
            let c = EgbadConfig {
                hidden_dim: 64,
                d_hidden_dim: 64,
                ema_decay: 0.95,
                ..c
            };
            let adam = AdamSettings { lr: 5e-4, ..c.adam };
            (ModelConfig::Egbad(EgbadConfig { adam, ..c }), 800)
        }
        other => (other, 400),
    }
}

#[test]
fn brief_training_makes_every_gan_rank_off_manifold_vectors_higher() {
    let normal = Manifold::with_offset(48, 3, 81, 0.0, 1.0);
    let off = normal.sibling(82);
    let (test_normal, test_off) = (normal.tensor(200, 1), off.tensor(200, 2));
    for kind in GANS {
        let (config, steps) = brief_training(kind);
        let mut model = build(&config, 7);
        let evaluate = |m: &dyn Detector| {
            auc(
                &read(m.score(test_normal.clone()).unwrap()),
                &read(m.score(test_off.clone()).unwrap()),
            )
        };
        let untrained = evaluate(model.as_ref());
        train(model.as_mut(), &normal, steps, 64);
        let trained = evaluate(model.as_ref());
        eprintln!("{kind}: AUC untrained {untrained:.3} → trained {trained:.3}");
        assert!(
            trained > untrained + 0.1 && trained > 0.7,
            "{kind}: {untrained} → {trained}"
        );
    }
}

#[test]
fn device_names_parse_and_missing_backends_explain_the_feature() {
    for choice in DeviceChoice::ALL {
        assert_eq!(choice.name().parse::<DeviceChoice>().unwrap(), choice);
    }
    assert!(matches!(
        "tpu".parse::<DeviceChoice>(),
        Err(DeviceError::Unknown(_))
    ));
    let cpu = select_device(DeviceChoice::Cpu).unwrap();
    let model = new_detector(&small_config(ModelKind::Ae, 8), &cpu.device, 0).unwrap();
    assert_eq!(model.device(), cpu.device);
    // `auto` always yields a working device (a GPU when one initialises, else the CPU).
    let auto = select_device(DeviceChoice::Auto).unwrap();
    assert!(!auto.description.is_empty());
    #[cfg(not(feature = "vulkan"))]
    {
        let error = select_device(DeviceChoice::Vulkan).unwrap_err().to_string();
        assert!(error.contains("--features vulkan"), "{error}");
    }
    #[cfg(not(feature = "cuda"))]
    {
        let error = select_device(DeviceChoice::Cuda).unwrap_err().to_string();
        assert!(error.contains("--features cuda"), "{error}");
    }
}

#[test]
fn training_steps_on_different_threads_match_a_single_thread() {
    let manifold = Manifold::new(48, 3, 91);
    let probe = manifold.tensor(8, 3);
    for kind in gradient_kinds() {
        let config = small_config(kind, 48);
        let mut one_thread = build(&config, 2);
        train(one_thread.as_mut(), &manifold, 2, 32);

        let mut hopping = build(&config, 2);
        train(hopping.as_mut(), &manifold, 1, 32);
        let manifold = &manifold;
        let mut hopping = std::thread::scope(|scope| {
            scope
                .spawn(move || {
                    let batches = step_batches(hopping.as_ref(), manifold, 1, 32);
                    hopping.train_step(&batches).unwrap();
                    hopping
                })
                .join()
                .unwrap()
        });
        let expected = read(one_thread.score(probe.clone()).unwrap());
        assert_eq!(
            read(hopping.score(probe.clone()).unwrap()),
            expected,
            "{kind}"
        );
        hopping.on_losses_read(&[]);
    }
}
