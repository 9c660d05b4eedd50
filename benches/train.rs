//! Training throughput of the four detectors on flex (native, CPU): vectors per second for one
//! training step at batch 512 with the default (spec) configurations. The loss is read after
//! every step, as the native trainer does. Compare with `tools/keras_baseline_bench.py`.

use burn::tensor::{Device, Tensor, TensorData};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use sonogan::models::{ModelConfig, ModelKind, new_detector};

const BATCH: usize = 512;
const DIM: usize = 640;

/// A batch of dB-like random vectors.
fn random_batch(seed: u64, device: &Device) -> Tensor<2> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let db = Normal::new(-30.0f32, 10.0).unwrap_or_else(|_| unreachable!());
    let values: Vec<f32> = (0..BATCH * DIM).map(|_| db.sample(&mut rng)).collect();
    Tensor::from_data(TensorData::new(values, [BATCH, DIM]), device)
}

fn training_step(c: &mut Criterion) {
    let device = Device::flex();
    let mut group = c.benchmark_group("train_step_batch512_flex");
    group.sample_size(20);
    for kind in ModelKind::ALL {
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
    group.finish();
}

criterion_group!(benches, training_step);
criterion_main!(benches);
