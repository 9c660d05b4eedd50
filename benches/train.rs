//! Training throughput of the detectors on flex (native, CPU), default configurations:
//! - gradient-trained ones: vectors per second of one training step at batch 512, the loss read
//!   after every step as the native trainer does (compare with `tools/keras_baseline_bench.py`;
//!   GMADE's per-step cost against GANomaly's answers "as fast per epoch");
//! - pass-fitted ones (Mahalanobis, GMM): the whole fit of one machine type's training set, 40
//!   clips × 309 vectors (a DCASE type has about 25× more), through the trainer.

use burn::tensor::{Device, Tensor, TensorData};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use sonogan::features::Vectors;
use sonogan::models::ae::{AeConfig, Autoencoder};
use sonogan::models::{Detector, ModelConfig, REGISTRY, Training, new_detector};
use sonogan::runtime::block_on;
use sonogan::train::{TrainConfig, Trainer};

const BATCH: usize = 512;
const DIM: usize = 640;

/// Clips and vectors per clip of the pass-fit benchmark (one type of the built-in data set).
const FIT_CLIPS: usize = 40;
const VECTORS_PER_CLIP: usize = 309;

/// `rows` dB-like random vectors, row-major.
fn random_rows(rows: usize, seed: u64) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let db = Normal::new(-30.0f32, 10.0).unwrap_or_else(|_| unreachable!());
    (0..rows * DIM).map(|_| db.sample(&mut rng)).collect()
}

/// A batch of dB-like random vectors.
fn random_batch(seed: u64, device: &Device) -> Tensor<2> {
    Tensor::from_data(
        TensorData::new(random_rows(BATCH, seed), [BATCH, DIM]),
        device,
    )
}

fn training_step(c: &mut Criterion) {
    let device = Device::flex();
    let mut group = c.benchmark_group("train_step_batch512_flex");
    group.sample_size(20);
    for kind in REGISTRY
        .iter()
        .filter(|k| k.training == Training::Gradient)
        .map(|k| k.kind)
    {
        let config = ModelConfig::default_for(kind);
        let Ok(mut model) = new_detector(&config, &device, 0) else {
            panic!("the default {kind} configuration must be valid");
        };
        let batches: Vec<Tensor<2>> = (0..model.batches_per_step())
            .map(|b| random_batch(b as u64, &device))
            .collect();
        group.throughput(Throughput::Elements((BATCH * batches.len()) as u64));
        group.bench_function(kind.name(), |bench| {
            bench.iter(|| {
                let losses = model.train_step(&batches).unwrap_or_else(|e| panic!("{e}"));
                let headline = losses.into_iter().next().map(|(_, loss)| loss);
                headline.map(|loss| loss.into_scalar::<f32>())
            })
        });
    }
    // The AE through burn's autodiff step, the path the fused host step replaced on the CPU
    // (docs/DESIGN.md §13.8): the ratio of the two "ae" rows is the fused step's gain.
    let mut reference = Autoencoder::new(AeConfig::default(), &device, 0).with_autodiff_step();
    let batch = [random_batch(0, &device)];
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("ae-autodiff-step", |bench| {
        bench.iter(|| {
            let losses = reference
                .train_step(&batch)
                .unwrap_or_else(|e| panic!("{e}"));
            losses[0].1.clone().into_scalar::<f32>()
        })
    });
    group.finish();
}

fn pass_fit(c: &mut Criterion) {
    let device = Device::flex();
    let mut group = c.benchmark_group("fit_40_clips_flex");
    group.sample_size(10);
    let clips: Vec<Vectors> = (0..FIT_CLIPS)
        .map(|clip| Vectors {
            dim: DIM,
            data: random_rows(VECTORS_PER_CLIP, clip as u64),
        })
        .collect();
    group.throughput(Throughput::Elements((FIT_CLIPS * VECTORS_PER_CLIP) as u64));
    for kind in REGISTRY
        .iter()
        .filter(|k| k.training == Training::Passes)
        .map(|k| k.kind)
    {
        let config = ModelConfig::default_for(kind);
        group.bench_function(kind.name(), |bench| {
            bench.iter(|| {
                let detector = new_detector(&config, &device, 0).unwrap_or_else(|e| panic!("{e}"));
                let run = TrainConfig {
                    validation_split: 0.0,
                    ..TrainConfig::default()
                };
                let mut trainer =
                    Trainer::new(detector, clips.clone(), run).unwrap_or_else(|e| panic!("{e}"));
                block_on(trainer.run_to_end(|_| {})).unwrap_or_else(|e| panic!("{e}"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, training_step, pass_fit);
criterion_main!(benches);
