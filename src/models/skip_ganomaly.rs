//! Skip-GANomaly-FC (docs/DESIGN.md §4.6): a fully connected U-Net generator with concatenation skips at
//! all four mirrored levels, D = Blk128 ×4 → Dense(n_f) linear features → Dense(1) logit.
//! Losses §4.2 (L_lat also in the D loss), step order §4.3 / §7, score
//! λ·mean (x − x̂)² + (1 − λ)·mean (f(x) − f(x̂))².

use burn::module::Module;
use burn::nn::Linear;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};

use super::blocks::{
    Blk, BlkStack, Mode, Noise, ParamInit, bce_with_logits, l1_mean, l2_mean,
    merge_running_statistics, row_mean_squared, stack_widths,
};
use super::common::{
    discriminator_collapsed, load_weight_file, pair_parameter_values, reset_weights, step_batches,
};
use super::config::{
    DetectorConfig, Size, finite_non_negative, network_problem, network_settings, unit_interval,
};
use super::nets::Discriminator;
use super::optim::FlavouredAdam;
use super::settings::{AdamSettings, BatchNormSettings, InitScheme};
use super::{
    Detector, ModelConfig, ModelError, ModelKind, StepLosses, StepObserver, WeightSnapshot,
    check_input, derive_seed, training_input,
};
use serde::{Deserialize, Serialize};

/// Skip-GANomaly-FC (docs/DESIGN.md §4.6, §4.2).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SkipGanomalyConfig {
    /// Input vector size (640).
    pub input_dim: usize,
    /// Width of the hidden blocks (128).
    pub hidden_dim: usize,
    /// U-Net levels = hidden blocks per side, and D's hidden blocks (4).
    pub hidden_layers: usize,
    /// Generator bottleneck width (8), with BatchNorm + ReLU (docs/DESIGN.md §10.2).
    pub latent_dim: usize,
    /// D's linear feature width n_f (8, docs/DESIGN.md §10.3).
    pub feature_dim: usize,
    /// Weight of the BCE adversarial loss (1).
    pub w_adv: f64,
    /// Weight of the L1 reconstruction loss (50).
    pub w_con: f64,
    /// Weight of the latent (feature) loss, in L_G and L_D (1).
    pub w_lat: f64,
    /// λ of the score λ·rec + (1 − λ)·lat (0.9, docs/DESIGN.md §4.4).
    pub score_lambda: f64,
    /// D is re-initialised when a read L_D falls below this (1e-5); 0 disables.
    pub d_reinit_threshold: f64,
    /// Optimiser of G and of D (each its own instance): Adam 2e-4, β₁ 0.5.
    pub adam: AdamSettings,
    /// BatchNorm (momentum 0.99, ε 1e-3).
    pub batch_norm: BatchNormSettings,
    /// Initialisation.
    pub init: InitScheme,
}

impl Default for SkipGanomalyConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            hidden_dim: 128,
            hidden_layers: 4,
            latent_dim: 8,
            feature_dim: 8,
            w_adv: 1.0,
            w_con: 50.0,
            w_lat: 1.0,
            score_lambda: 0.9,
            d_reinit_threshold: 1e-5,
            adam: AdamSettings::gan(),
            batch_norm: BatchNormSettings::default(),
            init: InitScheme::Keras,
        }
    }
}

impl DetectorConfig for SkipGanomalyConfig {
    network_settings!();
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::width("hidden_dim", self.hidden_dim),
            Size::count("hidden_layers", self.hidden_layers, 1),
            Size::width("latent_dim", self.latent_dim),
            Size::width("feature_dim", self.feature_dim),
        ];
        network_problem(&sizes, &self.batch_norm, &self.adam)
            .or_else(|| finite_non_negative("w_adv", self.w_adv))
            .or_else(|| finite_non_negative("w_con", self.w_con))
            .or_else(|| finite_non_negative("w_lat", self.w_lat))
            .or_else(|| finite_non_negative("d_reinit_threshold", self.d_reinit_threshold))
            .or_else(|| unit_interval("score_lambda", self.score_lambda))
    }
}

const NETWORKS: &[&str] = &["G", "D"];

/// The FC U-Net of docs/DESIGN.md §4.6 (shown for 4 levels):
/// `e1..e4 = Blk128`, `b = Blk8(e4)`, `d4 = Blk128(b)`, `d3 = Blk128([d4, e4])`,
/// `d2 = Blk128([d3, e3])`, `d1 = Blk128([d2, e2])`, `x̂ = Dense640([d1, e1])`.
#[derive(Module, Debug)]
pub struct UnetGenerator {
    /// e1 … eL.
    pub down: BlkStack,
    /// The bottleneck Blk(latent), BatchNorm + ReLU kept (docs/DESIGN.md §10.2).
    pub bottleneck: Blk,
    /// dL … d1: the first takes the bottleneck, the others `[previous, mirrored e]`.
    pub up: Vec<Blk>,
    /// The linear output on `[d1, e1]`.
    pub output: Linear,
}

impl UnetGenerator {
    /// A fresh generator initialised from `seed` (`hidden_layers ≥ 1` levels).
    pub fn new(config: &SkipGanomalyConfig, seed: u64, device: &Device) -> Self {
        let bn = config.batch_norm;
        let hidden = config.hidden_dim;
        let mut init = ParamInit::new(seed, config.init);
        let widths = stack_widths(config.input_dim, hidden, config.hidden_layers, None);
        let down = init.blk_stack(&widths, bn, device);
        let bottleneck = init.blk(hidden, config.latent_dim, bn, device);
        let up = (0..config.hidden_layers)
            .map(|level| {
                let d_in = if level == 0 {
                    config.latent_dim
                } else {
                    2 * hidden
                };
                init.blk(d_in, hidden, bn, device)
            })
            .collect();
        let output = init.linear(2 * hidden, config.input_dim, device);
        Self {
            down,
            bottleneck,
            up,
            output,
        }
    }

    /// x̂ = G(x).
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        let skips = self.down.forward_all(x, mode);
        let deepest = skips[skips.len() - 1].clone();
        let mut hidden = self.bottleneck.forward(deepest, mode);
        for (level, block) in self.up.iter().enumerate() {
            hidden = match level {
                0 => block.forward(hidden, mode),
                _ => {
                    let mirrored = skips[skips.len() - level].clone();
                    block.forward(Tensor::cat(vec![hidden, mirrored], 1), mode)
                }
            };
        }
        self.output
            .forward(Tensor::cat(vec![hidden, skips[0].clone()], 1))
    }
}

fn new_discriminator(config: &SkipGanomalyConfig, seed: u64, device: &Device) -> Discriminator {
    let mut init = ParamInit::new(seed, config.init);
    Discriminator::new(
        config.input_dim,
        config.hidden_dim,
        config.hidden_layers,
        Some(config.feature_dim),
        config.batch_norm,
        &mut init,
        device,
    )
}

/// The Skip-GANomaly detector.
pub struct SkipGanomaly {
    config: SkipGanomalyConfig,
    seed: u64,
    device: Device,
    plain: Device,
    generator: UnetGenerator,
    discriminator: Discriminator,
    optim_g: ModuleOptimizer,
    optim_d: ModuleOptimizer,
    noise: Noise,
    d_resets: usize,
}

impl SkipGanomaly {
    /// An untrained Skip-GANomaly on `device`, initialised from `seed`.
    pub fn new(config: SkipGanomalyConfig, device: &Device, seed: u64) -> Self {
        let plain = device.clone().inner();
        let device = plain.clone().autodiff();
        Self {
            generator: UnetGenerator::new(&config, derive_seed(seed, "G"), &device),
            discriminator: new_discriminator(&config, derive_seed(seed, "D"), &device),
            optim_g: FlavouredAdam::module_optimizer(&config.adam),
            optim_d: FlavouredAdam::module_optimizer(&config.adam),
            noise: Noise::new(derive_seed(seed, "noise")),
            d_resets: 0,
            config,
            seed,
            device,
            plain,
        }
    }

    /// How many times D has been re-initialised (docs/DESIGN.md §4.2).
    pub fn discriminator_resets(&self) -> usize {
        self.d_resets
    }

    /// Re-initialises D's weights, keeping parameter identities (and so D's Adam state).
    pub fn reinitialise_discriminator(&mut self) {
        let fresh = new_discriminator(&self.config, self.noise.next_seed(), &self.device);
        self.discriminator = reset_weights(&self.discriminator, &fresh);
        self.d_resets += 1;
    }
}

impl Detector for SkipGanomaly {
    fn kind(&self) -> ModelKind {
        ModelKind::SkipGanomaly
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::SkipGanomaly(self.config.clone())
    }

    fn device(&self) -> Device {
        self.plain.clone()
    }

    fn batches_per_step(&self) -> usize {
        1
    }

    fn network_names(&self) -> &'static [&'static str] {
        NETWORKS
    }

    /// Spec §4.3 / §7. burn has no `retain_graph`, so the D update recomputes D's two passes
    /// on the same inputs (x and the pre-update x̂, detached): D is unchanged by the G update,
    /// so the activations, and hence ∂L_D/∂θ_D including ∂L_lat/∂θ_D, equal the original's.
    /// The recomputed pass on x leaves D's running statistics alone, so D's statistics see
    /// the original's three passes (x, x̂, x̂.detach).
    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let [batch] = step_batches(self.kind(), batches, self.config.input_dim)?;
        let c = self.config.clone();
        let x = training_input(batch, &self.plain);

        // Steps 1–3: G update.
        let x_hat = self.generator.forward(x.clone(), Mode::Train);
        let (_, f_real) = self.discriminator.forward(x.clone(), Mode::Train);
        let (p_fake, f_fake) = self.discriminator.forward(x_hat.clone(), Mode::Train);
        let l_adv = bce_with_logits(p_fake, 1.0);
        let l_con = l1_mean(x_hat.clone(), x.clone());
        let l_lat = l2_mean(f_fake, f_real);
        let loss_g = l_adv.clone().mul_scalar(c.w_adv)
            + l_con.clone().mul_scalar(c.w_con)
            + l_lat.clone().mul_scalar(c.w_lat);
        let grads_g = GradientsParams::from_grads(loss_g.backward(), &self.generator);
        self.generator = self
            .optim_g
            .step(c.adam.lr, self.generator.clone(), grads_g);
        observer("G", self);

        // Steps 4–5: D update on BCE(real, 1) + BCE(x̂.detach, 0) + L_lat (θ_D only).
        let x_hat = x_hat.detach();
        let (p_real, f_real) = self.discriminator.forward(x, Mode::TrainFrozenStats);
        let (p_fake, f_fake) = self.discriminator.forward(x_hat, Mode::Train);
        let loss_d = bce_with_logits(p_real, 1.0)
            + bce_with_logits(p_fake, 0.0)
            + l2_mean(f_fake, f_real).mul_scalar(c.w_lat);
        let grads_d = GradientsParams::from_grads(loss_d.backward(), &self.discriminator);
        self.discriminator = self
            .optim_d
            .step(c.adam.lr, self.discriminator.clone(), grads_d);
        merge_running_statistics(&self.generator);
        merge_running_statistics(&self.discriminator);
        observer("D", self);

        Ok(vec![
            ("G".to_string(), loss_g.inner()),
            ("D".to_string(), loss_d.inner()),
            ("G.adv".to_string(), l_adv.inner()),
            ("G.con".to_string(), l_con.inner()),
            ("G.lat".to_string(), l_lat.inner()),
        ])
    }

    /// Step 6 of docs/DESIGN.md §7, at loss-read time: re-initialise D when the read L_D < threshold.
    fn on_losses_read(&mut self, losses: &[(String, f32)]) {
        if discriminator_collapsed(losses, self.config.d_reinit_threshold) {
            self.reinitialise_discriminator();
        }
    }

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.plain).inner();
        let discriminator = self.discriminator.valid();
        let x_hat = self.generator.valid().forward(x.clone(), Mode::Inference);
        let (_, f_real) = discriminator.forward(x.clone(), Mode::Inference);
        let (_, f_fake) = discriminator.forward(x_hat.clone(), Mode::Inference);
        let lambda = self.config.score_lambda;
        let reconstruction = row_mean_squared(x, x_hat).mul_scalar(lambda);
        let latent = row_mean_squared(f_real, f_fake).mul_scalar(1.0 - lambda);
        Ok(reconstruction + latent)
    }

    fn weights(&self) -> WeightSnapshot {
        WeightSnapshot::new()
            .add("G", &self.generator.valid())
            .add("D", &self.discriminator.valid())
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let (generator, discriminator) = load_weight_file(bytes, |table| {
            let fresh_g =
                UnetGenerator::new(&self.config, derive_seed(self.seed, "G"), &self.device);
            let fresh_d =
                new_discriminator(&self.config, derive_seed(self.seed, "D"), &self.device);
            Ok((
                table.load_into("G", fresh_g)?,
                table.load_into("D", fresh_d)?,
            ))
        })?;
        self.generator = generator;
        self.discriminator = discriminator;
        self.optim_g = FlavouredAdam::module_optimizer(&self.config.adam);
        self.optim_d = FlavouredAdam::module_optimizer(&self.config.adam);
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        pair_parameter_values(self.kind(), network, &self.generator, &self.discriminator)
    }
}
