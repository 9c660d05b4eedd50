//! GANomaly-FC (docs/DESIGN.md §3.7): G = E1 → Dec → E2 on the baseline AE halves, D = Blk128 ×4 features
//! → Dense(1) logit. Losses §3.2, step order §3.3 / §7. Score λ·mean (x − x̂)² + (1 − λ)·mean
//! (z − ẑ)² (λ = 0: the latent score of §3.4; default 0.9, see [`GanomalyConfig::score_lambda`]).
//! The decoder ends in a [`super::nets::FeatureScale`] fitted on the first training batch.

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};

use super::blocks::{
    Mode, Noise, ParamInit, bce_with_logits, l1_mean, l2_mean, merge_running_statistics,
    row_mean_squared,
};
use super::common::{
    discriminator_collapsed, load_weight_file, pair_parameter_values, reset_weights, step_batches,
};
use super::config::{
    DetectorConfig, Size, finite_non_negative, network_problem, network_settings, unit_interval,
};
use super::nets::{Decoder, Discriminator, Encoder, HalfShape};
use super::optim::FlavouredAdam;
use super::settings::{AdamSettings, BatchNormSettings, InitScheme};
use super::{
    Detector, ModelConfig, ModelError, ModelKind, StepLosses, StepObserver, WeightSnapshot,
    check_input, derive_seed, training_input,
};
use serde::{Deserialize, Serialize};

/// GANomaly-FC (docs/DESIGN.md §3.7, §3.2).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct GanomalyConfig {
    /// Input vector size (640).
    pub input_dim: usize,
    /// Width of the hidden blocks (128); also D's feature width.
    pub hidden_dim: usize,
    /// Hidden blocks per encoder / decoder / discriminator (4).
    pub hidden_layers: usize,
    /// Latent size nz (8).
    pub latent_dim: usize,
    /// `true`: the encoders end in a plain Dense(nz) ("linear-z", docs/DESIGN.md §3.7 option);
    /// `false` (default, docs/DESIGN.md §10.2): Blk(nz) with BatchNorm + ReLU as in the baseline.
    pub linear_latent: bool,
    /// Weight of the feature-matching adversarial loss (1).
    pub w_adv: f64,
    /// Weight of the L1 reconstruction loss (50).
    pub w_con: f64,
    /// Weight of the latent L2 loss (1).
    pub w_enc: f64,
    /// D is re-initialised when a read L_D falls below this (1e-5); 0 disables.
    pub d_reinit_threshold: f64,
    /// λ of the per-vector score λ·mean_640 (x − x̂)² + (1 − λ)·mean_nz (z − ẑ)². 0 is the
    /// original latent-only score (docs/DESIGN.md §3.4). Default 0.9, the Skip-GANomaly form (docs/DESIGN.md §4.4):
    /// a measured deviation (docs/DESIGN.md §10 preamble), because ẑ = E2(Dec(z)) depends on x only
    /// through z, and once the generator reconstructs, E2 inverts Dec over the whole code range,
    /// so the latent term alone ranks clips near chance (AUC 0.31–0.60 on the four synthetic
    /// machine types, linear-z no better) while the same trained generator's reconstruction
    /// error reaches 0.64–0.93.
    pub score_lambda: f64,
    /// Optimiser of G and of D (each its own instance): Adam 2e-4, β₁ 0.5.
    pub adam: AdamSettings,
    /// BatchNorm (momentum 0.99, ε 1e-3).
    pub batch_norm: BatchNormSettings,
    /// Initialisation.
    pub init: InitScheme,
}

impl Default for GanomalyConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            hidden_dim: 128,
            hidden_layers: 4,
            latent_dim: 8,
            linear_latent: false,
            w_adv: 1.0,
            w_con: 50.0,
            w_enc: 1.0,
            d_reinit_threshold: 1e-5,
            score_lambda: 0.9,
            adam: AdamSettings::gan(),
            batch_norm: BatchNormSettings::default(),
            init: InitScheme::Keras,
        }
    }
}

impl DetectorConfig for GanomalyConfig {
    network_settings!();
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::width("hidden_dim", self.hidden_dim),
            Size::count("hidden_layers", self.hidden_layers, 0),
            Size::width("latent_dim", self.latent_dim),
        ];
        network_problem(&sizes, &self.batch_norm, &self.adam)
            .or_else(|| finite_non_negative("w_adv", self.w_adv))
            .or_else(|| finite_non_negative("w_con", self.w_con))
            .or_else(|| finite_non_negative("w_enc", self.w_enc))
            .or_else(|| finite_non_negative("d_reinit_threshold", self.d_reinit_threshold))
            .or_else(|| unit_interval("score_lambda", self.score_lambda))
    }
}

const NETWORKS: &[&str] = &["G", "D"];

/// GANomaly's generator: x → E1 → z → Dec → x̂ → E2 → ẑ.
#[derive(Module, Debug)]
pub struct GanomalyGenerator {
    /// Encoder 1 (z = E1(x)).
    pub encoder1: Encoder,
    /// Decoder (x̂ = Dec(z)).
    pub decoder: Decoder,
    /// Encoder 2, own weights (ẑ = E2(x̂)).
    pub encoder2: Encoder,
}

/// The outputs of one generator pass.
pub struct GeneratorOutput {
    /// z = E1(x).
    pub z: Tensor<2>,
    /// x̂ = Dec(z).
    pub x_hat: Tensor<2>,
    /// ẑ = E2(x̂).
    pub z_hat: Tensor<2>,
}

impl GanomalyGenerator {
    /// A fresh generator initialised from `seed`.
    pub fn new(config: &GanomalyConfig, seed: u64, device: &Device) -> Self {
        let shape = HalfShape {
            input_dim: config.input_dim,
            hidden_dim: config.hidden_dim,
            hidden_layers: config.hidden_layers,
            latent_dim: config.latent_dim,
        };
        let bn = config.batch_norm;
        let mut init = ParamInit::new(seed, config.init);
        Self {
            encoder1: Encoder::new(shape, config.linear_latent, bn, &mut init, device),
            decoder: Decoder::new(shape, bn, &mut init, device).with_feature_scale(device),
            encoder2: Encoder::new(shape, config.linear_latent, bn, &mut init, device),
        }
    }

    /// One pass x → (z, x̂, ẑ).
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> GeneratorOutput {
        let z = self.encoder1.forward(x, mode);
        let x_hat = self.decoder.forward(z.clone(), mode);
        let z_hat = self.encoder2.forward(x_hat.clone(), mode);
        GeneratorOutput { z, x_hat, z_hat }
    }
}

fn new_discriminator(config: &GanomalyConfig, seed: u64, device: &Device) -> Discriminator {
    let mut init = ParamInit::new(seed, config.init);
    Discriminator::new(
        config.input_dim,
        config.hidden_dim,
        config.hidden_layers,
        None,
        config.batch_norm,
        &mut init,
        device,
    )
}

/// The GANomaly detector.
pub struct Ganomaly {
    config: GanomalyConfig,
    seed: u64,
    device: Device,
    plain: Device,
    generator: GanomalyGenerator,
    discriminator: Discriminator,
    optim_g: ModuleOptimizer,
    optim_d: ModuleOptimizer,
    noise: Noise,
    d_resets: usize,
}

impl Ganomaly {
    /// An untrained GANomaly on `device`, initialised from `seed`.
    pub fn new(config: GanomalyConfig, device: &Device, seed: u64) -> Self {
        let plain = device.clone().inner();
        let device = plain.clone().autodiff();
        Self {
            generator: GanomalyGenerator::new(&config, derive_seed(seed, "G"), &device),
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

    /// How many times D has been re-initialised (docs/DESIGN.md §3.2).
    pub fn discriminator_resets(&self) -> usize {
        self.d_resets
    }

    /// Re-initialises D's weights (fresh seed from the model's stream). Parameter identities
    /// are kept, so D's Adam state carries on, as in the original (docs/DESIGN.md §3.2).
    pub fn reinitialise_discriminator(&mut self) {
        let fresh = new_discriminator(&self.config, self.noise.next_seed(), &self.device);
        self.discriminator = reset_weights(&self.discriminator, &fresh);
        self.d_resets += 1;
    }
}

impl Detector for Ganomaly {
    fn kind(&self) -> ModelKind {
        ModelKind::Ganomaly
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Ganomaly(self.config.clone())
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

    /// Spec §3.3 / §7: G pass; D(x), D(x̂.detach) for L_D; G update with fresh D passes;
    /// D update from the pre-update activations. Every D pass runs in training mode and
    /// updates D's running statistics, as in the PyTorch original.
    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let [batch] = step_batches(self.kind(), batches, self.config.input_dim)?;
        let c = &self.config;
        let x = training_input(batch, &self.plain);

        // Steps 1–2.
        self.generator.decoder.fit_feature_scale(&x);
        let g = self.generator.forward(x.clone(), Mode::Train);
        let (p_real, _) = self.discriminator.forward(x.clone(), Mode::Train);
        let (p_fake, _) = self
            .discriminator
            .forward(g.x_hat.clone().detach(), Mode::Train);

        // Steps 3–4: G update with fresh D passes.
        let (_, f_real) = self.discriminator.forward(x.clone(), Mode::Train);
        let (_, f_fake) = self.discriminator.forward(g.x_hat.clone(), Mode::Train);
        let l_adv = l2_mean(f_real, f_fake);
        let l_con = l1_mean(g.x_hat, x);
        let l_enc = l2_mean(g.z_hat, g.z);
        let loss_g = l_adv.clone().mul_scalar(c.w_adv)
            + l_con.clone().mul_scalar(c.w_con)
            + l_enc.clone().mul_scalar(c.w_enc);
        let grads_g = GradientsParams::from_grads(loss_g.backward(), &self.generator);
        self.generator = self
            .optim_g
            .step(c.adam.lr, self.generator.clone(), grads_g);
        observer("G", self);

        // Steps 5–6: D update from the step-2 activations.
        let c = &self.config;
        let loss_d = (bce_with_logits(p_real, 1.0) + bce_with_logits(p_fake, 0.0)).mul_scalar(0.5);
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
            ("G.enc".to_string(), l_enc.inner()),
        ])
    }

    /// Step 7 of docs/DESIGN.md §7, at loss-read time: re-initialise D when the read L_D < threshold.
    fn on_losses_read(&mut self, losses: &[(String, f32)]) {
        if discriminator_collapsed(losses, self.config.d_reinit_threshold) {
            self.reinitialise_discriminator();
        }
    }

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.plain).inner();
        let g = self.generator.valid().forward(x.clone(), Mode::Inference);
        let lambda = self.config.score_lambda;
        let reconstruction = row_mean_squared(x, g.x_hat).mul_scalar(lambda);
        let latent = row_mean_squared(g.z, g.z_hat).mul_scalar(1.0 - lambda);
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
                GanomalyGenerator::new(&self.config, derive_seed(self.seed, "G"), &self.device);
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
