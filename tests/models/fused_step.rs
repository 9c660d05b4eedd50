//! The autoencoder's fused CPU training step (src/models/host_mlp.rs, docs/DESIGN.md §13.8)
//! against burn's autodiff step from the same start: the same losses, weights and scores
//! within float noise, for both Adam flavours and for the full-size DCASE network.

use crate::models_support::{Manifold, device, read};
use burn::tensor::Tensor;
use sonogan::models::ae::{AeConfig, Autoencoder};
use sonogan::models::{AdamFlavour, AdamSettings, Detector};

struct Run {
    losses: Vec<f32>,
    parameters: Vec<f32>,
    scores: Vec<f32>,
}

fn run(model: &mut Autoencoder, manifold: &Manifold, steps: usize, rows: usize) -> Run {
    let losses = (0..steps)
        .map(|step| {
            let batch = manifold.tensor(rows, 100 + step as u64);
            let losses = model.train_step(&[batch]).unwrap();
            assert_eq!(losses[0].0, "mse");
            read(losses[0].1.clone())[0]
        })
        .collect();
    let probe: Tensor<2> = manifold.tensor(64, 7);
    Run {
        losses,
        parameters: model.parameter_values("AE").unwrap(),
        scores: read(model.score(probe).unwrap()),
    }
}

fn relative(a: f32, b: f32) -> f32 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-12)
}

/// Trains a fused and an autodiff model from the same seed and compares them.
fn compare(config: AeConfig, steps: usize, rows: usize) {
    let lr = config.adam.lr as f32;
    let manifold = Manifold::new(config.input_dim, 3, 5);
    let fused = run(
        &mut Autoencoder::new(config.clone(), &device(), 9),
        &manifold,
        steps,
        rows,
    );
    let mut reference = Autoencoder::new(config, &device(), 9).with_autodiff_step();
    let reference = run(&mut reference, &manifold, steps, rows);

    for (step, (f, r)) in fused.losses.iter().zip(&reference.losses).enumerate() {
        assert!(relative(*f, *r) < 1e-4, "step {step}: loss {f} vs {r}");
    }
    assert!(
        fused.losses[steps - 1] < fused.losses[0],
        "the loss falls: {:?}",
        fused.losses
    );
    // Adam moves a parameter whose gradient is float noise (the biases before a BatchNorm,
    // rare near-zero gradients) by up to lr in either direction, so single values may differ
    // by 2·lr per step; the bulk must agree far more closely than one step.
    assert_eq!(fused.parameters.len(), reference.parameters.len());
    let mut differences: Vec<f32> = fused
        .parameters
        .iter()
        .zip(&reference.parameters)
        .map(|(f, r)| (f - r).abs())
        .collect();
    differences.sort_by(f32::total_cmp);
    let quantile = |q: f64| differences[((differences.len() - 1) as f64 * q) as usize];
    assert!(
        quantile(1.0) <= 3.0 * lr * steps as f32,
        "worst {}",
        quantile(1.0)
    );
    assert!(
        quantile(0.5) < 0.01 * lr,
        "median difference {} (lr {lr})",
        quantile(0.5)
    );
    assert!(
        quantile(0.95) < 0.2 * lr,
        "95th percentile {} (lr {lr})",
        quantile(0.95)
    );
    for (i, (f, r)) in fused.scores.iter().zip(&reference.scores).enumerate() {
        assert!(relative(*f, *r) < 2e-3, "score {i}: {f} vs {r}");
    }
}

fn small(flavour: AdamFlavour) -> AeConfig {
    AeConfig {
        input_dim: 48,
        hidden_dim: 32,
        hidden_layers: 2,
        latent_dim: 4,
        adam: AdamSettings {
            flavour,
            ..AdamSettings::keras_baseline()
        },
        ..AeConfig::default()
    }
}

#[test]
fn fused_step_follows_the_autodiff_step_in_both_adam_flavours() {
    for flavour in [AdamFlavour::Keras, AdamFlavour::Pytorch] {
        compare(small(flavour), 8, 64);
    }
}

#[test]
fn fused_step_follows_the_autodiff_step_on_the_full_size_network() {
    compare(AeConfig::default(), 3, 256);
}

#[test]
fn fused_training_is_deterministic_and_survives_a_weight_reload() {
    let manifold = Manifold::new(48, 3, 5);
    let config = small(AdamFlavour::Keras);
    let first = run(
        &mut Autoencoder::new(config.clone(), &device(), 4),
        &manifold,
        5,
        32,
    );
    let mut model = Autoencoder::new(config.clone(), &device(), 4);
    let second = run(&mut model, &manifold, 5, 32);
    assert_eq!(first.parameters, second.parameters);
    assert_eq!(first.scores, second.scores);
    assert_eq!(first.losses, second.losses);

    // Loaded weights replace the host trainer's: the next step starts from them.
    let saved = model.save_weights().unwrap();
    let mut fresh = Autoencoder::new(config, &device(), 77);
    run(&mut fresh, &manifold, 1, 32);
    fresh.load_weights(&saved).unwrap();
    assert_eq!(fresh.parameter_values("AE").unwrap(), second.parameters);
    let continued = run(&mut fresh, &manifold, 1, 32);
    let continued_original = run(&mut model, &manifold, 1, 32);
    assert!(relative(continued.losses[0], continued_original.losses[0]) < 1e-6);
}

#[test]
fn fused_training_gives_the_same_numbers_on_one_thread_and_on_two() {
    let manifold = Manifold::new(640, 3, 5);
    let on_threads = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut model = Autoencoder::new(AeConfig::default(), &device(), 2);
            run(&mut model, &manifold, 2, 256)
        })
    };
    let (one, two) = (on_threads(1), on_threads(2));
    assert_eq!(one.losses, two.losses);
    assert_eq!(one.parameters, two.parameters);
    assert_eq!(one.scores, two.scores);
}
