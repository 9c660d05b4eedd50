//! The autoencoder's whole CPU training step written out by hand (docs/DESIGN.md §13.8): a chain
//! of layers, each a Dense followed either by a Keras BatchNorm and a ReLU (`Blk`) or by
//! nothing (the linear output), trained on the mean squared reconstruction error with Adam.
//!
//! Why it exists: on burn's flex backend one training step is about 150 tensor operations, each
//! allocating and walking its own buffer, plus an autodiff graph rebuilt every step; at the
//! autoencoder's sizes that bookkeeping costs as much as the arithmetic. Here the forward pass,
//! the backward pass and Adam run over buffers kept from step to step, and the large matrix
//! products go straight to `gemm` (the crate flex itself calls) with transposes written as
//! strides. The arithmetic is burn's (the same loss, BatchNorm, gradients and Adam flavours);
//! tests/models/fused_step.rs checks it against burn's path step by step, and the unit tests
//! below check the gradients against finite differences.

use super::settings::AdamSettings;
use adam::AdamStep;
use matmul::{Operand, both, matmul, matmul_serial};

mod adam;
mod matmul;

/// A trainable vector with its gradient and Adam moments.
pub(crate) struct Trainable {
    /// Current values.
    pub value: Vec<f32>,
    grad: Vec<f32>,
    moment_1: Vec<f32>,
    moment_2: Vec<f32>,
}

impl Trainable {
    /// A parameter starting at `value`, with zero moments.
    pub fn new(value: Vec<f32>) -> Self {
        let n = value.len();
        Self {
            value,
            grad: vec![0.0; n],
            moment_1: vec![0.0; n],
            moment_2: vec![0.0; n],
        }
    }
}

/// A Keras BatchNorm (docs/DESIGN.md §1.6): biased batch variance for normalising, running
/// variance updated with `var·n/(n − (1 + 1e-7))`.
pub(crate) struct HostNorm {
    /// Scale γ.
    pub gamma: Trainable,
    /// Shift β.
    pub beta: Trainable,
    /// Running mean.
    pub running_mean: Vec<f32>,
    /// Running variance.
    pub running_var: Vec<f32>,
    /// Keras momentum (0.99).
    pub momentum: f64,
    /// ε (1e-3).
    pub epsilon: f64,
}

/// One layer: `Dense(d_in → d_out)`, then `BatchNorm → ReLU` when `norm` is present.
pub(crate) struct HostLayer {
    /// Input width.
    pub d_in: usize,
    /// Output width.
    pub d_out: usize,
    /// `[d_in, d_out]` row-major, as burn's `Linear` stores it (`y = x·W + b`).
    pub weight: Trainable,
    /// `[d_out]`.
    pub bias: Trainable,
    /// The block's BatchNorm (and so its ReLU).
    pub norm: Option<HostNorm>,
}

/// What the forward pass keeps of one layer for the backward pass.
#[derive(Default)]
struct Saved {
    /// The normalised pre-activation x̂ (BatchNorm layers only).
    normalised: Vec<f32>,
    /// 1/√(var + ε) per column (BatchNorm layers only).
    inv_std: Vec<f32>,
    /// The layer's output: relu(γ·x̂ + β) after a BatchNorm; the product x·W without the bias
    /// for the linear output layer (the loss adds it).
    out: Vec<f32>,
}

/// An MLP autoencoder trained on the host (see the module docs).
pub(crate) struct HostMlp {
    /// The layers, input side first.
    pub layers: Vec<HostLayer>,
    saved: Vec<Saved>,
    grad: Vec<f32>,
    grad_spare: Vec<f32>,
    adam: AdamSettings,
    time: i32,
}

impl HostMlp {
    /// A trainer for `layers`, which must chain (`d_out` of one is `d_in` of the next) and end
    /// at the input's width: blocks (with a BatchNorm) and a linear last layer.
    pub fn new(layers: Vec<HostLayer>, adam: AdamSettings) -> Result<Self, String> {
        let chained = layers.windows(2).all(|pair| pair[0].d_out == pair[1].d_in);
        let (Some(first), Some(last)) = (layers.first(), layers.last()) else {
            return Err("no layers".into());
        };
        let blocks_then_linear = layers.iter().rev().skip(1).all(|l| l.norm.is_some());
        if !chained || first.d_in != last.d_out || last.norm.is_some() || !blocks_then_linear {
            return Err("layers are not blocks chained into an autoencoder's linear output".into());
        }
        let saved = layers.iter().map(|_| Saved::default()).collect();
        Ok(Self {
            layers,
            saved,
            grad: Vec::new(),
            grad_spare: Vec::new(),
            adam,
            time: 0,
        })
    }

    /// The input width.
    pub fn input_dim(&self) -> usize {
        self.layers[0].d_in
    }

    /// One Adam step on the batch `x` (row-major, whole `input_dim` rows, at least one) with
    /// learning rate `lr`; returns the loss mean((y − x)²) before the update.
    pub fn train_step(&mut self, x: &[f32], lr: f64) -> f32 {
        let dim = self.input_dim();
        assert!(!x.is_empty() && x.len().is_multiple_of(dim), "whole rows");
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has just been found to support AVX2, the only feature the
            // function is compiled for.
            return unsafe { self.train_step_avx2(x, lr) };
        }
        self.train_step_inlined(x, lr)
    }

    /// [`Self::train_step`]'s element-wise work (BatchNorm, ReLU, loss, Adam; all inlined into
    /// it) compiled for AVX2; gemm picks its own kernels. Without FMA contraction Rust keeps
    /// every float operation as written, so the numbers are the portable build's, bit for bit
    /// (as in the feature code, docs/DESIGN.md §13.5).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn train_step_avx2(&mut self, x: &[f32], lr: f64) -> f32 {
        self.train_step_inlined(x, lr)
    }

    #[inline(always)]
    fn train_step_inlined(&mut self, x: &[f32], lr: f64) -> f32 {
        let rows = x.len() / self.input_dim();
        self.forward(x, rows);
        let loss = self.output_gradient(x);
        self.backward(x, rows);
        self.time += 1;
        let step = AdamStep::new(&self.adam, lr, self.time);
        for layer in &mut self.layers {
            step.apply(&mut layer.weight);
            step.apply(&mut layer.bias);
            if let Some(norm) = &mut layer.norm {
                step.apply(&mut norm.gamma);
                step.apply(&mut norm.beta);
            }
        }
        loss
    }

    #[inline(always)]
    fn forward(&mut self, x: &[f32], rows: usize) {
        for index in 0..self.layers.len() {
            let (before, rest) = self.saved.split_at_mut(index);
            let input = before.last().map_or(x, |previous| &previous.out);
            self.layers[index].forward_train(input, rows, &mut rest[0]);
        }
    }

    /// Fills `self.grad` with dL/dy for L = mean((y − x)²), where y is the output layer's
    /// product plus its bias (added here, not in a pass of its own), and returns L.
    #[inline(always)]
    fn output_gradient(&mut self, x: &[f32]) -> f32 {
        let last = self.layers.len() - 1;
        let (product, bias) = (&self.saved[last].out, &self.layers[last].bias.value);
        let dim = bias.len();
        let scale = (2.0 / x.len() as f64) as f32;
        self.grad.resize(x.len(), 0.0);
        let rows = self
            .grad
            .chunks_exact_mut(dim)
            .zip(product.chunks_exact(dim));
        let mut sum = 0.0f64;
        let whole = dim - dim % 8;
        for ((g, p), x) in rows.zip(x.chunks_exact(dim)) {
            let (g, p, x, b) = (&mut g[..dim], &p[..dim], &x[..dim], &bias[..dim]);
            // Eight running sums so the loop vectorises; rows are added in f64.
            let mut lanes = [0.0f32; 8];
            for start in (0..whole).step_by(8) {
                for (lane, sum) in lanes.iter_mut().enumerate() {
                    let j = start + lane;
                    let diff = p[j] + b[j] - x[j];
                    *sum += diff * diff;
                    g[j] = diff * scale;
                }
            }
            for j in whole..dim {
                let diff = p[j] + b[j] - x[j];
                lanes[0] += diff * diff;
                g[j] = diff * scale;
            }
            sum += lanes.iter().map(|&l| f64::from(l)).sum::<f64>();
        }
        (sum / x.len() as f64) as f32
    }

    #[inline(always)]
    fn backward(&mut self, x: &[f32], rows: usize) {
        for index in (0..self.layers.len()).rev() {
            let layer = &mut self.layers[index];
            if let Some(norm) = &mut layer.norm {
                norm.backward(rows, &self.saved[index], &mut self.grad);
            }
            // self.grad now holds dL/dz for z = input·W + b.
            let input = if index == 0 {
                x
            } else {
                &self.saved[index - 1].out
            };
            let (d_in, d_out) = (layer.d_in, layer.d_out);
            let grad = &self.grad;
            let (weight_grad, weight_sizes) = (&mut layer.weight.grad, [d_in, d_out, rows]);
            let (input_t, grad_rows) =
                (Operand::transposed(input, d_in), Operand::rows(grad, d_out));
            if index == 0 {
                // No input gradient here: the weight gradient alone is split over the threads.
                matmul(weight_sizes, weight_grad, input_t, grad_rows, false);
            } else {
                // The weight and input gradients of a layer, one per thread.
                self.grad_spare.resize(rows * d_in, 0.0);
                let weight_t = Operand::transposed(&layer.weight.value, d_out);
                both(
                    || matmul_serial(weight_sizes, weight_grad, input_t, grad_rows),
                    || {
                        matmul_serial(
                            [rows, d_in, d_out],
                            &mut self.grad_spare,
                            grad_rows,
                            weight_t,
                        )
                    },
                );
            }
            column_sums(&self.grad, d_out, &mut layer.bias.grad);
            if index > 0 {
                std::mem::swap(&mut self.grad, &mut self.grad_spare);
            }
        }
    }
}

impl HostLayer {
    #[inline(always)]
    fn forward_train(&mut self, input: &[f32], rows: usize, saved: &mut Saved) {
        let out = &mut saved.out;
        out.resize(rows * self.d_out, 0.0);
        // The bias is never added row by row: before a BatchNorm it only shifts the batch mean,
        // which the normalisation removes again, so it goes into the mean (for the running
        // statistics); the linear output layer's is added where the loss reads the output.
        // The result is burn's up to rounding.
        matmul(
            [rows, self.d_out, self.d_in],
            out,
            Operand::rows(input, self.d_in),
            Operand::rows(&self.weight.value, self.d_out),
            false,
        );
        if let Some(norm) = &mut self.norm {
            norm.forward_train(rows, saved, &self.bias.value);
        }
    }
}

/// Keras' K.epsilon(), in its unbiased running-variance correction (as in blocks.rs).
const KERAS_EPSILON: f64 = 1e-7;

impl HostNorm {
    /// Turns `saved.out` (holding z − b, the Dense output without its bias `bias`) into x̂
    /// (kept) and relu(γ·x̂ + β), and updates the running statistics of z.
    #[inline(always)]
    fn forward_train(&mut self, rows: usize, saved: &mut Saved, bias: &[f32]) {
        let width = self.gamma.value.len();
        let mut mean = vec![0.0f32; width];
        column_sums(&saved.out, width, &mut mean);
        mean.iter_mut().for_each(|m| *m /= rows as f32);
        let mut var = vec![0.0f32; width];
        for row in saved.out.chunks_exact(width) {
            for ((v, &z), &m) in var.iter_mut().zip(row).zip(&mean) {
                *v += (z - m) * (z - m);
            }
        }
        var.iter_mut().for_each(|v| *v /= rows as f32);
        saved.inv_std.clear();
        let epsilon = self.epsilon;
        saved.inv_std.extend(
            var.iter()
                .map(|&v| (1.0 / (f64::from(v) + epsilon).sqrt()) as f32),
        );
        saved.normalised.resize(saved.out.len(), 0.0);
        let (mean, inv_std) = (&mean[..width], &saved.inv_std[..width]);
        let (gamma, beta) = (&self.gamma.value[..width], &self.beta.value[..width]);
        let rows_out = saved.out.chunks_exact_mut(width);
        for (row, norm_row) in rows_out.zip(saved.normalised.chunks_exact_mut(width)) {
            for j in 0..width {
                let normalised = (row[j] - mean[j]) * inv_std[j];
                norm_row[j] = normalised;
                let y = gamma[j] * normalised + beta[j];
                row[j] = if y > 0.0 { y } else { 0.0 };
            }
        }
        let mean_with_bias: Vec<f32> = mean.iter().zip(bias).map(|(m, b)| m + b).collect();
        self.update_running(&mean_with_bias, &var, rows);
    }

    #[inline(always)]
    fn update_running(&mut self, mean: &[f32], var: &[f32], rows: usize) {
        let keep = self.momentum;
        let rows = rows as f64;
        let unbiased = match rows > 1.0 + KERAS_EPSILON {
            true => rows / (rows - (1.0 + KERAS_EPSILON)),
            false => 1.0,
        };
        let (keep32, new_mean, new_var) = (
            keep as f32,
            (1.0 - keep) as f32,
            ((1.0 - keep) * unbiased) as f32,
        );
        for (running, &m) in self.running_mean.iter_mut().zip(mean) {
            *running = *running * keep32 + m * new_mean;
        }
        for (running, &v) in self.running_var.iter_mut().zip(var) {
            *running = *running * keep32 + v * new_var;
        }
    }

    /// Turns `grad` from dL/d(output) into dL/dz through the ReLU and the BatchNorm, filling
    /// the γ and β gradients on the way.
    #[inline(always)]
    fn backward(&mut self, rows: usize, saved: &Saved, grad: &mut [f32]) {
        let width = self.gamma.value.len();
        let (beta_grad, gamma_grad) = (&mut self.beta.grad, &mut self.gamma.grad);
        beta_grad.iter_mut().for_each(|g| *g = 0.0);
        gamma_grad.iter_mut().for_each(|g| *g = 0.0);
        let (beta_grad, gamma_grad) = (&mut beta_grad[..width], &mut gamma_grad[..width]);
        let rows_in = grad
            .chunks_exact_mut(width)
            .zip(saved.out.chunks_exact(width));
        for ((g_row, out_row), n_row) in rows_in.zip(saved.normalised.chunks_exact(width)) {
            for j in 0..width {
                // The ReLU passes the gradient only where its output is positive.
                let passed = if out_row[j] > 0.0 { g_row[j] } else { 0.0 };
                g_row[j] = passed;
                beta_grad[j] += passed;
                gamma_grad[j] += passed * n_row[j];
            }
        }
        let n = rows as f32;
        let gamma = &self.gamma.value[..width];
        let scale: Vec<f32> = (0..width)
            .map(|j| gamma[j] * saved.inv_std[j] / n)
            .collect();
        let scale = &scale[..width];
        let rows_in = grad
            .chunks_exact_mut(width)
            .zip(saved.normalised.chunks_exact(width));
        for (g_row, n_row) in rows_in {
            for j in 0..width {
                g_row[j] = scale[j] * (n * g_row[j] - beta_grad[j] - n_row[j] * gamma_grad[j]);
            }
        }
    }
}

/// Sums the columns of the row-major `matrix` (`width` wide) into `sums`.
#[inline(always)]
fn column_sums(matrix: &[f32], width: usize, sums: &mut [f32]) {
    sums.iter_mut().for_each(|s| *s = 0.0);
    for row in matrix.chunks_exact(width) {
        for (s, &v) in sums.iter_mut().zip(row) {
            *s += v;
        }
    }
}

#[cfg(test)]
mod tests;
