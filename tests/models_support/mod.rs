//! Helpers of the model tests: synthetic low-rank data, pair-counting AUC, small
//! configurations and a training loop that reads losses the way the native trainer does.

use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, StandardNormal};
use sonogan::models::{
    AeConfig, Detector, EgbadConfig, GanomalyConfig, GmadeConfig, GmmConfig, MahalanobisConfig,
    ModelConfig, ModelKind, REGISTRY, SkipGanomalyConfig, Training, new_detector,
};

pub fn device() -> Device {
    Device::flex()
}

/// A random affine subspace `mean + basis·h + noise` in `dim` dimensions.
pub struct Manifold {
    pub mean: Vec<f32>,
    pub basis: Vec<Vec<f32>>,
    pub noise: f32,
}

impl Manifold {
    /// A dB-like manifold (offsets around −30 dB).
    pub fn new(dim: usize, rank: usize, seed: u64) -> Self {
        Self::with_offset(dim, rank, seed, -30.0, 6.0)
    }

    /// Offsets drawn from N(offset_mean, offset_std²).
    pub fn with_offset(
        dim: usize,
        rank: usize,
        seed: u64,
        offset_mean: f32,
        offset_std: f32,
    ) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let offset = Normal::new(offset_mean, offset_std).unwrap();
        let loading = Normal::new(0.0f32, 2.0).unwrap();
        Self {
            mean: (0..dim).map(|_| offset.sample(&mut rng)).collect(),
            basis: (0..rank)
                .map(|_| (0..dim).map(|_| loading.sample(&mut rng)).collect())
                .collect(),
            noise: 0.3,
        }
    }

    /// The same offset, a different random basis: vectors off `self`'s subspace.
    pub fn sibling(&self, seed: u64) -> Self {
        let other = Manifold::new(self.mean.len(), self.basis.len(), seed);
        Self {
            mean: self.mean.clone(),
            ..other
        }
    }

    pub fn sample(&self, rows: usize, seed: u64) -> Vec<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut values = Vec::with_capacity(rows * self.mean.len());
        for _ in 0..rows {
            let factors: Vec<f32> = self
                .basis
                .iter()
                .map(|_| StandardNormal.sample(&mut rng))
                .collect();
            for (d, mean) in self.mean.iter().enumerate() {
                let structured: f32 = self.basis.iter().zip(&factors).map(|(b, h)| b[d] * h).sum();
                let noise: f32 = StandardNormal.sample(&mut rng);
                values.push(mean + structured + self.noise * noise);
            }
        }
        values
    }

    pub fn tensor(&self, rows: usize, seed: u64) -> Tensor<2> {
        let data = TensorData::new(self.sample(rows, seed), [rows, self.mean.len()]);
        Tensor::from_data(data, &device())
    }
}

pub fn read(tensor: Tensor<1>) -> Vec<f32> {
    tensor.into_data().try_to_vec::<f32>().unwrap()
}

/// AUC by direct pair counting (ties count ½): P(score(anomaly) > score(normal)).
pub fn auc(normal: &[f32], anomalous: &[f32]) -> f64 {
    let mut wins = 0.0;
    for a in anomalous {
        for n in normal {
            wins += match a.partial_cmp(n) {
                Some(std::cmp::Ordering::Greater) => 1.0,
                Some(std::cmp::Ordering::Equal) => 0.5,
                _ => 0.0,
            };
        }
    }
    wins / (normal.len() * anomalous.len()) as f64
}

/// The kinds trained by gradient steps (the step-level tests here apply to them; the
/// pass-fitted ones are covered by tests/density.rs and tests/registry.rs).
pub fn gradient_kinds() -> Vec<ModelKind> {
    REGISTRY
        .iter()
        .filter(|k| k.training == Training::Gradient)
        .map(|k| k.kind)
        .collect()
}

/// Small but structurally complete configurations, so each test runs in seconds.
pub fn small_config(kind: ModelKind, input_dim: usize) -> ModelConfig {
    match kind {
        ModelKind::Ae => ModelConfig::Ae(AeConfig {
            input_dim,
            hidden_dim: 32,
            ..AeConfig::default()
        }),
        ModelKind::Ganomaly => ModelConfig::Ganomaly(GanomalyConfig {
            input_dim,
            hidden_dim: 32,
            ..GanomalyConfig::default()
        }),
        ModelKind::SkipGanomaly => ModelConfig::SkipGanomaly(SkipGanomalyConfig {
            input_dim,
            hidden_dim: 32,
            ..SkipGanomalyConfig::default()
        }),
        ModelKind::Egbad => ModelConfig::Egbad(EgbadConfig {
            input_dim,
            hidden_dim: 32,
            d_hidden_dim: 32,
            ..EgbadConfig::default()
        }),
        ModelKind::Mahalanobis => ModelConfig::Mahalanobis(MahalanobisConfig {
            input_dim,
            ..MahalanobisConfig::default()
        }),
        ModelKind::Gmm => ModelConfig::Gmm(GmmConfig {
            input_dim,
            components: 3,
            ..GmmConfig::default()
        }),
        ModelKind::Gmade => ModelConfig::Gmade(GmadeConfig {
            input_dim,
            groups: 4,
            hidden_dim: 32,
            ..GmadeConfig::default()
        }),
    }
}

pub fn build(config: &ModelConfig, seed: u64) -> Box<dyn Detector> {
    new_detector(config, &device(), seed).unwrap()
}

/// The batches [`train`] uses at step `step` (a fixed function of the step index).
pub fn step_batches(
    model: &dyn Detector,
    manifold: &Manifold,
    step: usize,
    rows: usize,
) -> Vec<Tensor<2>> {
    (0..model.batches_per_step())
        .map(|b| manifold.tensor(rows, 1000 + (step * 7 + b) as u64))
        .collect()
}

/// Runs `steps` training steps on batches drawn from `manifold`; returns the headline losses.
pub fn train(model: &mut dyn Detector, manifold: &Manifold, steps: usize, rows: usize) -> Vec<f32> {
    (0..steps)
        .map(|step| {
            let batches = step_batches(model, manifold, step, rows);
            let losses = model.train_step(&batches).unwrap();
            let values: Vec<(String, f32)> = losses
                .into_iter()
                .map(|(name, tensor)| (name, tensor.into_scalar::<f32>()))
                .collect();
            model.on_losses_read(&values);
            values[0].1
        })
        .collect()
}

/// Every network's trainable parameters by name.
pub type Snapshot = Vec<(String, Vec<f32>)>;

/// Snapshots of every network's trainable parameters.
pub fn snapshot(model: &dyn Detector) -> Snapshot {
    model
        .network_names()
        .iter()
        .map(|name| (name.to_string(), model.parameter_values(name).unwrap()))
        .collect()
}
