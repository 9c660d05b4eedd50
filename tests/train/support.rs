//! Shared helpers: tiny models, synthetic clips whose first component is the vector index,
//! a detector wrapper that records what the trainer feeds it, and a minimal executor.

pub use std::sync::{Arc, Mutex};

pub use burn::tensor::{Device, Tensor};
pub use rand::{Rng, SeedableRng};
pub use rand_chacha::ChaCha8Rng;
pub use sonogan::features::{FrameStack, Vectors};
pub use sonogan::models::{
    AeConfig, Detector, EgbadConfig, GanomalyConfig, ModelConfig, ModelError, ModelKind,
    SkipGanomalyConfig, StepLosses, StepObserver, WeightSnapshot, new_detector,
};
pub use sonogan::store::ScoreSource;
pub use sonogan::train::{
    EpochOrder, TrainConfig, TrainError, Trainer, TrainingData, batch_ranges, clip_score,
    permutation, score_vectors,
};

pub const DIM: usize = 6;

pub fn tiny_ae() -> ModelConfig {
    ModelConfig::Ae(AeConfig {
        input_dim: DIM,
        hidden_dim: 8,
        hidden_layers: 1,
        latent_dim: 2,
        ..AeConfig::default()
    })
}

pub fn ae(seed: u64) -> Box<dyn Detector> {
    new_detector(&tiny_ae(), &Device::flex(), seed).expect("detector")
}

/// Clips of the given lengths; vector i (over all clips) starts with the value i, so batches
/// reveal which vectors they hold; the other components are noise around a fixed pattern.
pub fn clips(lengths: &[usize], seed: u64) -> Vec<Vectors> {
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

pub fn config(epochs: usize, batch_size: usize) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size,
        seed: 11,
        ..TrainConfig::default()
    }
}

/// What a [`Spy`] saw.
#[derive(Default)]
pub struct Seen {
    /// Per step, per stream: the first component of every vector (its global index).
    pub batches: Vec<Vec<Vec<usize>>>,
    /// Loss reads handed to the detector.
    pub reads: Vec<Vec<(String, f32)>>,
}

/// Wraps a real detector, records batches and loss reads, can claim more batch streams than
/// the inner model uses and can turn the losses of one step into NaN.
pub struct Spy {
    inner: Box<dyn Detector>,
    streams: usize,
    nan_at_step: Option<usize>,
    steps: usize,
    seen: Arc<Mutex<Seen>>,
}

pub fn spy(streams: usize, nan_at_step: Option<usize>) -> (Box<dyn Detector>, Arc<Mutex<Seen>>) {
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

pub use sonogan::runtime::block_on;
