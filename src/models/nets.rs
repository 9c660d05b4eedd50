//! The fully connected networks the detectors are assembled from (docs/DESIGN.md §1.6, §3.7, §4.6, §5.5).

use burn::module::{Module, RunningState};
use burn::nn::Linear;
use burn::tensor::activation::leaky_relu;
use burn::tensor::{Device, Tensor};

use super::blocks::{Blk, BlkStack, Mode, Noise, ParamInit, stack_widths};
use super::settings::BatchNormSettings;

/// Layer sizes shared by the encoder/decoder halves: `input → hidden × layers → latent`.
#[derive(Clone, Copy, Debug)]
pub struct HalfShape {
    /// Input vector size (640).
    pub input_dim: usize,
    /// Hidden width (128).
    pub hidden_dim: usize,
    /// Hidden blocks (4).
    pub hidden_layers: usize,
    /// Latent size (8).
    pub latent_dim: usize,
}

/// Encoder half: `input → Blk(hidden) × layers → latent`, the latent layer being `Blk(latent)`
/// (baseline, BatchNorm + ReLU kept, docs/DESIGN.md §10.2) or a plain Dense (EGBAD's E, GANomaly's
/// "linear-z" option).
#[derive(Module, Debug)]
pub struct Encoder {
    /// The hidden blocks.
    pub hidden: BlkStack,
    /// The latent layer when it is a block.
    pub latent_block: Option<Blk>,
    /// The latent layer when it is linear.
    pub latent_linear: Option<Linear>,
}

impl Encoder {
    /// A fresh encoder.
    pub fn new(
        shape: HalfShape,
        linear_latent: bool,
        bn: BatchNormSettings,
        init: &mut ParamInit,
        device: &Device,
    ) -> Self {
        let widths = stack_widths(shape.input_dim, shape.hidden_dim, shape.hidden_layers, None);
        let hidden = init.blk_stack(&widths, bn, device);
        let last = widths[widths.len() - 1];
        let (latent_block, latent_linear) = match linear_latent {
            true => (None, Some(init.linear(last, shape.latent_dim, device))),
            false => (Some(init.blk(last, shape.latent_dim, bn, device)), None),
        };
        Self {
            hidden,
            latent_block,
            latent_linear,
        }
    }

    /// `[n, input]` → `[n, latent]`.
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        let hidden = self.hidden.forward(x, mode);
        match (&self.latent_block, &self.latent_linear) {
            (Some(block), _) => block.forward(hidden, mode),
            (None, Some(linear)) => linear.forward(hidden),
            (None, None) => hidden,
        }
    }
}

/// Decoder half: `latent → Blk(hidden) × layers → Dense(input)`, linear output (docs/DESIGN.md §1.6),
/// optionally followed by a [`FeatureScale`] de-normalisation (GAN generators).
#[derive(Module, Debug)]
pub struct Decoder {
    /// The hidden blocks.
    pub hidden: BlkStack,
    /// The linear output layer.
    pub output: Linear,
    /// Output de-normalisation `y·σ + μ`, when the decoder has one.
    pub feature_scale: Option<FeatureScale>,
}

impl Decoder {
    /// A fresh decoder.
    pub fn new(
        shape: HalfShape,
        bn: BatchNormSettings,
        init: &mut ParamInit,
        device: &Device,
    ) -> Self {
        let widths = stack_widths(
            shape.latent_dim,
            shape.hidden_dim,
            shape.hidden_layers,
            None,
        );
        let hidden = init.blk_stack(&widths, bn, device);
        let output = init.linear(widths[widths.len() - 1], shape.input_dim, device);
        Self {
            hidden,
            output,
            feature_scale: None,
        }
    }

    /// The same decoder with an output [`FeatureScale`] (not yet fitted).
    pub fn with_feature_scale(self, device: &Device) -> Self {
        Self {
            feature_scale: Some(FeatureScale::new(device)),
            ..self
        }
    }

    /// `[n, latent]` → `[n, input]`.
    pub fn forward(&self, z: Tensor<2>, mode: Mode) -> Tensor<2> {
        let y = self.output.forward(self.hidden.forward(z, mode));
        match &self.feature_scale {
            Some(scale) => scale.denormalise(y),
            None => y,
        }
    }

    /// Fits the output scale to a batch of training vectors (first call only; no-op without a
    /// scale). See [`FeatureScale::fit_once`].
    pub fn fit_feature_scale(&self, x: &Tensor<2>) {
        if let Some(scale) = &self.feature_scale {
            scale.fit_once(x);
        }
    }

    /// `x` in the decoder's normalised units, `(x − μ)/σ` (identity without a scale).
    pub fn normalise(&self, x: Tensor<2>) -> Tensor<2> {
        match &self.feature_scale {
            Some(scale) => scale.normalise(x),
            None => x,
        }
    }
}

/// A global affine scale of the log-Mel features, one mean μ and one standard deviation σ over
/// all values of the first training batch (docs/DESIGN.md §10.12 allows standardising the input with
/// training statistics; a single global pair keeps the relative weight of the 640 dimensions, so
/// every score stays in dB and ranks clips as before).
///
/// Why the GAN generators need it: their linear output starts near 0 while the features sit
/// around −15…−25 dB (σ ≈ 10). A reconstruction loss lets Adam walk the output there in a
/// few thousand steps at most, but EGBAD's generator learns only through D, and D's un-normalised
/// x-branch (docs/DESIGN.md §5.5) then separates real from generated vectors by their offset alone: the
/// encoder's codes drift to |ẑ| ≫ 1 and the game never starts. With the scale, G produces
/// `y·σ + μ` from a unit-scale `y` and D sees `(x − μ)/σ`.
///
/// Stored as running statistics (so weight averaging copies rather than averages them, and the
/// model file carries them). `running_var = 0` marks "not fitted": the scale is then the
/// identity. Fitting runs on the device without reading anything back.
#[derive(Module, Debug)]
pub struct FeatureScale {
    /// μ, shape `[1]`.
    pub running_mean: RunningState<Tensor<1>>,
    /// σ², shape `[1]`; 0 until fitted.
    pub running_var: RunningState<Tensor<1>>,
}

/// Floor on σ² so a constant batch cannot divide by zero.
const MIN_FEATURE_VARIANCE: f64 = 1e-6;

impl FeatureScale {
    /// An unfitted (identity) scale.
    pub fn new(device: &Device) -> Self {
        Self {
            running_mean: RunningState::new(Tensor::zeros([1], device)),
            running_var: RunningState::new(Tensor::zeros([1], device)),
        }
    }

    /// Sets μ and σ² from `x` (all values) unless they are already fitted.
    pub fn fit_once(&self, x: &Tensor<2>) {
        let x = x.clone().detach();
        let device = x.device();
        let mean = x.clone().mean();
        let var = x
            .sub(mean.clone().unsqueeze::<2>())
            .square()
            .mean()
            .clamp_min(MIN_FEATURE_VARIANCE);
        let old_mean = self.running_mean.value_sync().to_device(&device);
        let old_var = self.running_var.value_sync().to_device(&device);
        let fitted = old_var.clone().greater_elem(0.0);
        self.running_mean
            .update(mean.mask_where(fitted.clone(), old_mean).detach());
        self.running_var
            .update(var.mask_where(fitted, old_var).detach());
    }

    /// (μ, σ) as `[1, 1]` tensors on `device`; (0, 1) while unfitted.
    fn mean_and_std(&self, device: &Device) -> (Tensor<2>, Tensor<2>) {
        let mean = self.running_mean.value_sync().to_device(device);
        let var = self.running_var.value_sync().to_device(device);
        let unfitted = var.clone().equal_elem(0.0);
        let std = var.mask_fill(unfitted, 1.0).sqrt();
        (mean.unsqueeze::<2>(), std.unsqueeze::<2>())
    }

    /// `(x − μ)/σ`.
    pub fn normalise(&self, x: Tensor<2>) -> Tensor<2> {
        let (mean, std) = self.mean_and_std(&x.device());
        x.sub(mean).div(std)
    }

    /// `y·σ + μ`.
    pub fn denormalise(&self, y: Tensor<2>) -> Tensor<2> {
        let (mean, std) = self.mean_and_std(&y.device());
        y.mul(std).add(mean)
    }
}

/// Discriminator `x → Blk(hidden) × layers [→ Dense(n_f)] → Dense(1)` returning
/// `(logit, features)`. Without a feature head (GANomaly, docs/DESIGN.md §3.7) the features are the last
/// block's output; with one (Skip-GANomaly, docs/DESIGN.md §4.6) they are the linear Dense(n_f) output.
#[derive(Module, Debug)]
pub struct Discriminator {
    /// The hidden blocks.
    pub hidden: BlkStack,
    /// Optional linear feature layer.
    pub feature_head: Option<Linear>,
    /// The Dense(1) logit head (no BatchNorm, no ReLU: docs/DESIGN.md §3.7, §10.3).
    pub logit: Linear,
}

impl Discriminator {
    /// A fresh discriminator; `feature_dim = Some(n_f)` adds the linear feature layer.
    pub fn new(
        input_dim: usize,
        hidden_dim: usize,
        hidden_layers: usize,
        feature_dim: Option<usize>,
        bn: BatchNormSettings,
        init: &mut ParamInit,
        device: &Device,
    ) -> Self {
        let widths = stack_widths(input_dim, hidden_dim, hidden_layers, None);
        let hidden = init.blk_stack(&widths, bn, device);
        let last = widths[widths.len() - 1];
        let feature_head = feature_dim.map(|n_f| init.linear(last, n_f, device));
        let logit = init.linear(feature_dim.unwrap_or(last), 1, device);
        Self {
            hidden,
            feature_head,
            logit,
        }
    }

    /// `[n, input]` → (`[n, 1]` logits, `[n, features]`).
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> (Tensor<2>, Tensor<2>) {
        let hidden = self.hidden.forward(x, mode);
        let features = match &self.feature_head {
            Some(head) => head.forward(hidden),
            None => hidden,
        };
        (self.logit.forward(features.clone()), features)
    }
}

/// EGBAD's D(z, x) (docs/DESIGN.md §5.5, after the KDD discriminator of §5.1): x- and z-branches
/// Dense + LeakyReLU + Dropout, concatenated `[x, z]`, a joint Dense + LeakyReLU + Dropout
/// layer (the features f_D), then Dense(1) logits.
#[derive(Module, Debug)]
pub struct BiganDiscriminator {
    /// x-branch Dense(input → d_hidden).
    pub x_branch: Linear,
    /// z-branch Dense(latent → d_hidden).
    pub z_branch: Linear,
    /// Joint Dense(2·d_hidden → d_hidden).
    pub joint: Linear,
    /// Dense(1) logits.
    pub logit: Linear,
    /// LeakyReLU slope (0.1).
    pub slope: f64,
    /// Dropout rate (0.2).
    pub dropout: f64,
}

impl BiganDiscriminator {
    /// A fresh discriminator.
    pub fn new(
        input_dim: usize,
        latent_dim: usize,
        d_hidden: usize,
        slope: f64,
        dropout: f64,
        init: &mut ParamInit,
        device: &Device,
    ) -> Self {
        Self {
            x_branch: init.linear(input_dim, d_hidden, device),
            z_branch: init.linear(latent_dim, d_hidden, device),
            joint: init.linear(2 * d_hidden, d_hidden, device),
            logit: init.linear(d_hidden, 1, device),
            slope,
            dropout,
        }
    }

    /// (`[n, 1]` logits, `[n, d_hidden]` features) of the pair (z, x). Dropout is applied in the
    /// training modes with masks drawn from `noise`; in inference mode `noise` is unused.
    pub fn forward(
        &self,
        z: Tensor<2>,
        x: Tensor<2>,
        mode: Mode,
        noise: &mut Noise,
    ) -> (Tensor<2>, Tensor<2>) {
        let x_part = self.activate(self.x_branch.forward(x), mode, noise);
        let z_part = self.activate(self.z_branch.forward(z), mode, noise);
        let joint = Tensor::cat(vec![x_part, z_part], 1);
        let features = self.activate(self.joint.forward(joint), mode, noise);
        (self.logit.forward(features.clone()), features)
    }

    fn activate(&self, h: Tensor<2>, mode: Mode, noise: &mut Noise) -> Tensor<2> {
        let h = leaky_relu(h, self.slope);
        if !mode.is_training() || self.dropout == 0.0 {
            return h;
        }
        let [rows, cols] = h.dims();
        let mask = noise.dropout_mask(rows, cols, self.dropout, &h.device());
        h.mul(mask)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    fn matrix(values: &[f32], device: &Device) -> Tensor<2> {
        Tensor::from_data(TensorData::new(values.to_vec(), [2, 2]), device)
    }

    fn values(tensor: Tensor<2>) -> Vec<f32> {
        tensor.into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn feature_scale_is_the_identity_until_fitted_then_keeps_its_first_batch() {
        let device = Device::flex();
        let scale = FeatureScale::new(&device);
        let probe = || matrix(&[-10.0, 0.0, 10.0, 20.0], &device);
        assert_eq!(values(scale.normalise(probe())), values(probe()));

        // First batch: values −30, −20, −20, −10 → mean −20, population variance 50.
        scale.fit_once(&matrix(&[-30.0, -20.0, -20.0, -10.0], &device));
        scale.fit_once(&matrix(&[100.0, 200.0, 300.0, 400.0], &device)); // ignored
        let std = 50.0f32.sqrt();
        let expected: Vec<f32> = [-10.0f32, 0.0, 10.0, 20.0]
            .iter()
            .map(|v| (v + 20.0) / std)
            .collect();
        let got = values(scale.normalise(probe()));
        assert!(got.iter().zip(&expected).all(|(g, e)| (g - e).abs() < 1e-5));
        let back = values(scale.denormalise(scale.normalise(probe())));
        assert!(
            back.iter()
                .zip(values(probe()))
                .all(|(b, p)| (b - p).abs() < 1e-4)
        );
    }
}
