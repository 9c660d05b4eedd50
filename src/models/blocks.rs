//! Shared building blocks (docs/DESIGN.md §1.6, §2, §10.2–10.3): seeded initialisation, a Keras-style
//! BatchNorm, `Blk(n)` = Dense + BatchNorm + ReLU, stacks of blocks, dense heads, and the losses.

use burn::module::{Module, Param, RunningState};
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::module::batch_norm_train;
use burn::tensor::{Device, Tensor, TensorData};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, StandardNormal};

use super::settings::{BatchNormSettings, InitScheme};

/// How a forward pass treats BatchNorm (and dropout, where a network has it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training: batch statistics, running statistics updated, dropout active.
    Train,
    /// Batch statistics and dropout as in training, but running statistics left alone: a
    /// network run inside *another* network's update (TensorFlow runs only the updated
    /// network's UPDATE_OPS, docs/DESIGN.md §5.3).
    TrainFrozenStats,
    /// Inference: running statistics, no dropout (docs/DESIGN.md §10.6).
    Inference,
}

impl Mode {
    /// Whether batch statistics (and dropout) are used.
    pub fn is_training(self) -> bool {
        !matches!(self, Mode::Inference)
    }
}

/// A seeded source of initial parameter values (docs/DESIGN.md §2: Keras init by default).
///
/// Values are drawn on the host from ChaCha8 and uploaded, so they are identical on every
/// backend and independent of the device's global random generator.
pub struct ParamInit {
    rng: ChaCha8Rng,
    scheme: InitScheme,
}

impl ParamInit {
    /// A source seeded with `seed`.
    pub fn new(seed: u64, scheme: InitScheme) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            scheme,
        }
    }

    /// A Dense layer `d_in → d_out` with bias: Glorot-uniform U(±√(6/(d_in+d_out))) weights
    /// (Keras) or N(0, 0.02) (GAN repos); zero bias either way.
    pub fn linear(&mut self, d_in: usize, d_out: usize, device: &Device) -> Linear {
        let count = d_in * d_out;
        let values: Vec<f32> = match self.scheme {
            InitScheme::Keras => {
                let limit = (6.0 / (d_in + d_out) as f64).sqrt() as f32;
                (0..count)
                    .map(|_| self.rng.random_range(-limit..limit))
                    .collect()
            }
            InitScheme::GanNormal => self.normal_values(count, 0.0, 0.02),
        };
        Linear {
            weight: param(values, [d_in, d_out], device),
            bias: Some(param(vec![0.0; d_out], [d_out], device)),
        }
    }

    /// A BatchNorm over `features` channels: γ = 1 (Keras) or γ ~ N(1, 0.02) (GAN repos), β = 0,
    /// running mean 0, running variance 1.
    pub fn batch_norm(
        &mut self,
        features: usize,
        settings: BatchNormSettings,
        device: &Device,
    ) -> BatchNorm {
        let gamma = match self.scheme {
            InitScheme::Keras => vec![1.0; features],
            InitScheme::GanNormal => self.normal_values(features, 1.0, 0.02),
        };
        BatchNorm {
            gamma: param(gamma, [features], device),
            beta: param(vec![0.0; features], [features], device),
            running_mean: RunningState::new(Tensor::zeros([features], device)),
            running_var: RunningState::new(Tensor::ones([features], device)),
            momentum: settings.momentum,
            epsilon: settings.epsilon,
        }
    }

    /// `Blk(d_out)` on a `d_in`-wide input.
    pub fn blk(
        &mut self,
        d_in: usize,
        d_out: usize,
        settings: BatchNormSettings,
        device: &Device,
    ) -> Blk {
        Blk {
            linear: self.linear(d_in, d_out, device),
            norm: self.batch_norm(d_out, settings, device),
        }
    }

    /// A chain of blocks with the given widths: `widths[0] → widths[1] → … → widths[last]`.
    pub fn blk_stack(
        &mut self,
        widths: &[usize],
        settings: BatchNormSettings,
        device: &Device,
    ) -> BlkStack {
        let blocks = widths
            .windows(2)
            .map(|pair| self.blk(pair[0], pair[1], settings, device))
            .collect();
        BlkStack { blocks }
    }

    fn normal_values(&mut self, count: usize, mean: f32, std: f32) -> Vec<f32> {
        // A valid standard deviation cannot fail to build a distribution.
        let normal = Normal::new(mean, std).unwrap_or_else(|_| unreachable!("std > 0"));
        (0..count).map(|_| normal.sample(&mut self.rng)).collect()
    }
}

/// A trainable parameter holding `values` with `shape` on `device`.
fn param<const D: usize>(values: Vec<f32>, shape: [usize; D], device: &Device) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

/// A seeded host-side noise source: latent samples and dropout masks (docs/DESIGN.md §5.2).
pub struct Noise {
    rng: ChaCha8Rng,
}

impl Noise {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A fresh seed for something that needs its own stream (e.g. re-initialising D).
    pub fn next_seed(&mut self) -> u64 {
        self.rng.random()
    }

    /// `[rows, cols]` samples of N(0, 1).
    pub fn standard_normal(&mut self, rows: usize, cols: usize, device: &Device) -> Tensor<2> {
        let values: Vec<f32> = (0..rows * cols)
            .map(|_| StandardNormal.sample(&mut self.rng))
            .collect();
        Tensor::from_data(TensorData::new(values, [rows, cols]), device)
    }

    /// An inverted-dropout mask `[rows, cols]`: 0 with probability `rate`, else 1/(1 − rate).
    pub fn dropout_mask(
        &mut self,
        rows: usize,
        cols: usize,
        rate: f64,
        device: &Device,
    ) -> Tensor<2> {
        let keep = 1.0 - rate;
        let scale = (1.0 / keep) as f32;
        let values: Vec<f32> = (0..rows * cols)
            .map(|_| {
                if self.rng.random::<f64>() < keep {
                    scale
                } else {
                    0.0
                }
            })
            .collect();
        Tensor::from_data(TensorData::new(values, [rows, cols]), device)
    }
}

/// BatchNorm over the feature axis of `[batch, features]` with Keras semantics (docs/DESIGN.md §1.6):
/// training normalises with the biased batch variance; the running variance is updated with
/// the nearly unbiased `var·n/(n − (1 + 1e-7))`; running = momentum·running + (1 − momentum)·batch.
///
/// Running statistics live in burn `RunningState`s (updated during the forward pass on the
/// calling thread, merged by `valid()`); read them through a `valid()` copy.
#[derive(Module, Debug)]
pub struct BatchNorm {
    /// Scale γ.
    pub gamma: Param<Tensor<1>>,
    /// Shift β.
    pub beta: Param<Tensor<1>>,
    /// Running mean.
    pub running_mean: RunningState<Tensor<1>>,
    /// Running variance.
    pub running_var: RunningState<Tensor<1>>,
    /// Keras momentum (0.99).
    pub momentum: f64,
    /// ε (1e-3).
    pub epsilon: f64,
}

/// Keras' K.epsilon(), used in its unbiased running-variance correction.
const KERAS_EPSILON: f64 = 1e-7;

impl BatchNorm {
    /// Normalises `x` (`[batch, features]`) according to `mode`.
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        match mode {
            Mode::Inference => self.forward_inference(x),
            Mode::Train => self.forward_train(x, true),
            Mode::TrainFrozenStats => self.forward_train(x, false),
        }
    }

    fn forward_inference(&self, x: Tensor<2>) -> Tensor<2> {
        let device = x.device();
        let mean = self.running_mean.value_sync().to_device(&device);
        let var = self.running_var.value_sync().to_device(&device);
        let scale = self.gamma.val().div(var.add_scalar(self.epsilon).sqrt());
        let shift = self.beta.val().sub(mean.mul(scale.clone()));
        x.mul(scale.unsqueeze::<2>()).add(shift.unsqueeze::<2>())
    }

    fn forward_train(&self, x: Tensor<2>, update_running: bool) -> Tensor<2> {
        let rows = x.dims()[0] as f64;
        let result = batch_norm_train(x, self.gamma.val(), self.beta.val(), self.epsilon);
        if update_running {
            let keep = self.momentum;
            let unbiased = if rows > 1.0 + KERAS_EPSILON {
                rows / (rows - (1.0 + KERAS_EPSILON))
            } else {
                1.0
            };
            let device = result.mean.device();
            let mean = self.running_mean.value_sync().to_device(&device);
            let var = self.running_var.value_sync().to_device(&device);
            let mean = mean
                .mul_scalar(keep)
                .add(result.mean.detach().mul_scalar(1.0 - keep));
            let var = var
                .mul_scalar(keep)
                .add(result.variance.detach().mul_scalar((1.0 - keep) * unbiased));
            self.running_mean.update(mean.detach());
            self.running_var.update(var.detach());
        }
        result.output
    }
}

/// Folds the pending running-statistic updates of every BatchNorm in `module` into their
/// stored values. burn's `RunningState` keeps one pending update per thread and *averages*
/// them when merging, so merging after every training step keeps the statistics exact even
/// when successive steps run on different threads.
pub fn merge_running_statistics<M: Module>(module: &M) {
    let _ = module.valid();
}

/// `Blk(n)`: Dense(n) → BatchNorm → ReLU, the baseline block (docs/DESIGN.md §1.6).
#[derive(Module, Debug)]
pub struct Blk {
    /// The Dense layer.
    pub linear: Linear,
    /// The BatchNorm.
    pub norm: BatchNorm,
}

impl Blk {
    /// Applies the block to `[batch, d_in]`.
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        relu(self.norm.forward(self.linear.forward(x), mode))
    }
}

/// A chain of [`Blk`]s.
#[derive(Module, Debug)]
pub struct BlkStack {
    /// The blocks, input side first.
    pub blocks: Vec<Blk>,
}

impl BlkStack {
    /// Applies every block in order.
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        self.blocks
            .iter()
            .fold(x, |hidden, block| block.forward(hidden, mode))
    }

    /// Applies every block in order, returning every block's output (input side first).
    pub fn forward_all(&self, x: Tensor<2>, mode: Mode) -> Vec<Tensor<2>> {
        let mut outputs: Vec<Tensor<2>> = Vec::with_capacity(self.blocks.len());
        let mut hidden = x;
        for block in &self.blocks {
            hidden = block.forward(hidden, mode);
            outputs.push(hidden.clone());
        }
        outputs
    }
}

/// The widths `[d_in, hidden × layers, d_out]` of a block stack.
pub fn stack_widths(d_in: usize, hidden: usize, layers: usize, d_out: Option<usize>) -> Vec<usize> {
    let mut widths = vec![d_in];
    widths.extend(std::iter::repeat_n(hidden, layers));
    widths.extend(d_out);
    widths
}

/// Binary cross-entropy on logits, mean-reduced: mean(max(l, 0) − l·t + ln(1 + e^(−|l|))),
/// the numerically safe form of BCE(σ(l), t) (docs/DESIGN.md §10.3).
pub fn bce_with_logits(logits: Tensor<2>, target: f32) -> Tensor<1> {
    let softplus_neg_abs = logits.clone().abs().neg().exp().add_scalar(1.0).log();
    logits
        .clone()
        .clamp_min(0.0)
        .sub(logits.mul_scalar(target))
        .add(softplus_neg_abs)
        .mean()
}

/// mean|a − b| over all elements (docs/DESIGN.md §3.2 L_con).
pub fn l1_mean(a: Tensor<2>, b: Tensor<2>) -> Tensor<1> {
    a.sub(b).abs().mean()
}

/// mean (a − b)² over all elements (docs/DESIGN.md §3.2 l2_loss; Keras MSE for equal-width rows).
pub fn l2_mean(a: Tensor<2>, b: Tensor<2>) -> Tensor<1> {
    a.sub(b).square().mean()
}

/// Per-row mean of (a − b)²: `[n, d]` → `[n]`.
pub fn row_mean_squared(a: Tensor<2>, b: Tensor<2>) -> Tensor<1> {
    a.sub(b).square().mean_dim(1).squeeze_dim::<1>(1)
}

/// Per-row sum of |a − b|: `[n, d]` → `[n]`.
pub fn row_sum_abs(a: Tensor<2>, b: Tensor<2>) -> Tensor<1> {
    a.sub(b).abs().sum_dim(1).squeeze_dim::<1>(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[f32], device: &Device) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values.to_vec(), [values.len(), 1]), device)
    }

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
        tensor.into_data().try_to_vec::<f32>().unwrap()
    }

    fn close(a: &[f32], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (f64::from(*x) - y).abs() < 1e-5)
    }

    #[test]
    fn batch_norm_follows_keras_training_and_inference_semantics() {
        let device = Device::flex();
        let norm = ParamInit::new(0, InitScheme::Keras).batch_norm(
            1,
            BatchNormSettings::default(),
            &device,
        );
        // Batch [1, 3]: mean 2, biased variance 1, unbiased 2/(2 − 1 − 1e-7).
        let out = norm.forward(column(&[1.0, 3.0], &device), Mode::TrainFrozenStats);
        let z = 1.0 / (1.0f64 + 1e-3).sqrt();
        assert!(close(&values(out), &[-z, z]));
        let untouched = norm.forward(column(&[2.0], &device), Mode::Inference);
        assert!(
            close(&values(untouched), &[2.0 / (1.0f64 + 1e-3).sqrt()]),
            "frozen stats"
        );

        norm.forward(column(&[1.0, 3.0], &device), Mode::Train);
        let mean = 0.01 * 2.0;
        let var = 0.99 * 1.0 + 0.01 * (2.0 / (1.0 - 1e-7));
        let out = norm.forward(column(&[2.0], &device), Mode::Inference);
        assert!(close(
            &values(out),
            &[(2.0 - mean) / (var + 1e-3f64).sqrt()]
        ));
    }

    #[test]
    fn bce_with_logits_matches_sigmoid_cross_entropy() {
        let device = Device::flex();
        let sigmoid = |l: f64| 1.0 / (1.0 + (-l).exp());
        let logits = [-3.0f32, 0.0, 2.0, 8.0];
        for target in [0.0f32, 1.0] {
            let expected: f64 = logits
                .iter()
                .map(|&l| {
                    let p = sigmoid(f64::from(l));
                    let t = f64::from(target);
                    -(t * p.max(1e-300).ln() + (1.0 - t) * (1.0 - p).max(1e-300).ln())
                })
                .sum::<f64>()
                / logits.len() as f64;
            let got = values(bce_with_logits(column(&logits, &device), target));
            assert!(
                (f64::from(got[0]) - expected).abs() < 1e-4,
                "target {target}: {got:?} vs {expected}"
            );
        }
    }

    #[test]
    fn keras_initialisation_is_glorot_uniform_and_seeded() {
        let device = Device::flex();
        let weights = |seed| {
            values(
                ParamInit::new(seed, InitScheme::Keras)
                    .linear(640, 128, &device)
                    .weight
                    .val(),
            )
        };
        let first = weights(1);
        let limit = (6.0f32 / (640.0 + 128.0)).sqrt();
        assert!(first.iter().all(|w| w.abs() <= limit));
        let mean_square = first.iter().map(|w| w * w).sum::<f32>() / first.len() as f32;
        assert!(
            (mean_square - limit * limit / 3.0).abs() < 0.02 * limit * limit,
            "U(±limit) variance"
        );
        assert_eq!(first, weights(1));
        assert_ne!(first, weights(2));
    }
}
