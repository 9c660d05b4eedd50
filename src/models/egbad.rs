//! EGBAD-FC (docs/DESIGN.md §5.5): E = 640 → Blk128 ×4 → Dense(8) linear, G = the baseline decoder half,
//! D(z, x) with LeakyReLU(0.1) and Dropout(0.2). Losses §5.2 (E trained with label 0), step
//! order §5.3 (D on batch 1, then G and E together on batch 2 with the updated D), EMA of the
//! weights (§10.5) used at test time, score (1 − w)·Σ|x − x̂| + w·Σ|f_D(ẑ,x) − f_D(ẑ,x̂)| (§5.4).
//!
//! G ends in a [`super::nets::FeatureScale`] fitted on the first training batch, and D's x-input
//! is `(x − μ)/σ` with the same scale: D has no BatchNorm (§5.5), and on raw dB values it told
//! real from generated vectors by their offset alone, which drove the encoder's codes to
//! |ẑ| ≈ 15 per dimension against the N(0, 1) prior. Reconstruction stays in dB.
//!
//! Beyond the design (docs/DESIGN.md), the G/E step adds a cycle term λ·mean|x − G(E(x))| (`cycle_weight`, default
//! 1; 0 restores §5.2 exactly): without it G(E(x)) was no reconstruction after short runs and the
//! §5.4 score ranked synthetic clips at chance (measured numbers on `EgbadConfig::cycle_weight`).

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};

use super::blocks::{
    Mode, Noise, ParamInit, bce_with_logits, merge_running_statistics, row_sum_abs,
};
use super::common::{load_weight_file, step_batches};
use super::config::{
    DetectorConfig, Size, finite_non_negative, network_problem, network_settings, unit_interval,
};
use super::ema::ema_update;
use super::nets::{BiganDiscriminator, Decoder, Encoder, HalfShape};
use super::optim::FlavouredAdam;
use super::settings::{AdamSettings, BatchNormSettings, InitScheme};
use super::weights::trainable_values;
use super::{
    Detector, ModelConfig, ModelError, ModelKind, StepLosses, StepObserver, WeightSnapshot,
    check_input, derive_seed, training_input, unknown_network,
};
use serde::{Deserialize, Serialize};

/// EGBAD-FC (docs/DESIGN.md §5.5, §5.2, §10.5, §10.10).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct EgbadConfig {
    /// Input vector size (640).
    pub input_dim: usize,
    /// Width of E's and G's hidden blocks (128).
    pub hidden_dim: usize,
    /// Hidden blocks of E and of G (4).
    pub hidden_layers: usize,
    /// Latent size (8); E's output is linear, the prior is N(0, I).
    pub latent_dim: usize,
    /// Width of D's branches and of its feature layer f_D (128).
    pub d_hidden_dim: usize,
    /// LeakyReLU slope in D (0.1).
    pub leaky_slope: f64,
    /// Dropout rate in D during training (0.2).
    pub dropout: f64,
    /// EMA decay of the weights used at test time (0.999); 0 disables averaging.
    pub ema_decay: f64,
    /// w of the score (1 − w)·Σ|x − x̂| + w·Σ|Δf_D| (0.1, docs/DESIGN.md §5.4).
    pub score_w: f64,
    /// Weight λ of a cycle term λ·mean|x − G(E(x))| added to the joint G/E step (default 1;
    /// 0 = the design's pure BiGAN losses, §5.2). A measured deviation (§10 preamble): through D
    /// alone E and G did not learn to invert each other in short runs — G(E(x)) stayed 7–10 dB
    /// from x and the §5.4 score ranked synthetic valve clips at AUC 0.44–0.55; with λ = 1 the
    /// same 40-epoch run reaches 0.89 (tests/learning.rs).
    pub cycle_weight: f64,
    /// Optimiser of D, G and E (each its own instance): Adam 1e-4, β₁ 0.5.
    pub adam: AdamSettings,
    /// BatchNorm of E and G (momentum 0.99, ε 1e-3).
    pub batch_norm: BatchNormSettings,
    /// Initialisation.
    pub init: InitScheme,
}

impl Default for EgbadConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            hidden_dim: 128,
            hidden_layers: 4,
            latent_dim: 8,
            d_hidden_dim: 128,
            leaky_slope: 0.1,
            dropout: 0.2,
            ema_decay: 0.999,
            score_w: 0.1,
            cycle_weight: 1.0,
            adam: AdamSettings::egbad(),
            batch_norm: BatchNormSettings::default(),
            init: InitScheme::Keras,
        }
    }
}

impl DetectorConfig for EgbadConfig {
    network_settings!();
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::width("hidden_dim", self.hidden_dim),
            Size::count("hidden_layers", self.hidden_layers, 0),
            Size::width("latent_dim", self.latent_dim),
            Size::width("d_hidden_dim", self.d_hidden_dim),
        ];
        network_problem(&sizes, &self.batch_norm, &self.adam)
            .or_else(|| finite_non_negative("leaky_slope", self.leaky_slope))
            .or_else(|| unit_interval("ema_decay", self.ema_decay))
            .or_else(|| unit_interval("score_w", self.score_w))
            .or_else(|| {
                (!(0.0..1.0).contains(&self.dropout))
                    .then(|| format!("dropout must lie in [0, 1), got {}", self.dropout))
            })
    }
}

const NETWORKS: &[&str] = &["G", "D", "E"];
const ALL_NETWORKS: &[&str] = &["G", "D", "E", "G_ema", "D_ema", "E_ema"];

/// E, G and D of one EGBAD model (the trained ones or their EMA shadows).
#[derive(Module, Debug)]
pub struct EgbadNets {
    /// Encoder E: x → ẑ (linear output).
    pub encoder: Encoder,
    /// Generator G: z → x̃.
    pub generator: Decoder,
    /// Discriminator D(z, x).
    pub discriminator: BiganDiscriminator,
}

impl EgbadNets {
    /// Fresh networks, each initialised from its own seed derived from `seed`.
    pub fn new(config: &EgbadConfig, seed: u64, device: &Device) -> Self {
        let shape = HalfShape {
            input_dim: config.input_dim,
            hidden_dim: config.hidden_dim,
            hidden_layers: config.hidden_layers,
            latent_dim: config.latent_dim,
        };
        let bn = config.batch_norm;
        let mut init_e = ParamInit::new(derive_seed(seed, "E"), config.init);
        let mut init_g = ParamInit::new(derive_seed(seed, "G"), config.init);
        let mut init_d = ParamInit::new(derive_seed(seed, "D"), config.init);
        Self {
            encoder: Encoder::new(shape, true, bn, &mut init_e, device),
            generator: Decoder::new(shape, bn, &mut init_g, device).with_feature_scale(device),
            discriminator: BiganDiscriminator::new(
                config.input_dim,
                config.latent_dim,
                config.d_hidden_dim,
                config.leaky_slope,
                config.dropout,
                &mut init_d,
                device,
            ),
        }
    }
}

/// The EGBAD detector.
pub struct Egbad {
    config: EgbadConfig,
    seed: u64,
    device: Device,
    plain: Device,
    nets: EgbadNets,
    /// EMA shadows (plain device), used for scoring.
    ema: EgbadNets,
    optim_e: ModuleOptimizer,
    optim_g: ModuleOptimizer,
    optim_d: ModuleOptimizer,
    noise: Noise,
}

impl Egbad {
    /// An untrained EGBAD on `device`, initialised from `seed`; the EMA shadows start at the
    /// initial weights.
    pub fn new(config: EgbadConfig, device: &Device, seed: u64) -> Self {
        let plain = device.clone().inner();
        let device = plain.clone().autodiff();
        let nets = EgbadNets::new(&config, seed, &device);
        Self {
            ema: nets.valid(),
            nets,
            optim_e: FlavouredAdam::module_optimizer(&config.adam),
            optim_g: FlavouredAdam::module_optimizer(&config.adam),
            optim_d: FlavouredAdam::module_optimizer(&config.adam),
            noise: Noise::new(derive_seed(seed, "noise")),
            config,
            seed,
            device,
            plain,
        }
    }

    /// `rows` latent vectors z ~ N(0, 1) from the model's noise stream.
    fn latent_noise(&mut self, rows: usize) -> Tensor<2> {
        self.noise
            .standard_normal(rows, self.config.latent_dim, &self.device)
    }

    /// D's logits, in training mode, on the encoder pair (ẑ, x) and then on the generator
    /// pair (z, x̃); D sees both vectors in G's normalised units.
    fn discriminator_logits(
        &mut self,
        (z_hat, x): (Tensor<2>, Tensor<2>),
        (z, x_gen): (Tensor<2>, Tensor<2>),
    ) -> (Tensor<2>, Tensor<2>) {
        let scale = &self.nets.generator;
        let (x, x_gen) = (scale.normalise(x), scale.normalise(x_gen));
        let d = &self.nets.discriminator;
        let (l_enc, _) = d.forward(z_hat, x, Mode::Train, &mut self.noise);
        let (l_gen, _) = d.forward(z, x_gen, Mode::Train, &mut self.noise);
        (l_enc, l_gen)
    }

    /// Step 1 of docs/DESIGN.md §5.3: D on σCE(D(E(x₁), x₁), 1) + σCE(D(z₁, G(z₁)), 0); E and G run
    /// with batch statistics but keep their running statistics (not their update).
    fn discriminator_step(&mut self, x: Tensor<2>) -> Tensor<1> {
        self.nets.generator.fit_feature_scale(&x);
        let z = self.latent_noise(x.dims()[0]);
        let nets = &self.nets;
        let z_hat = nets
            .encoder
            .forward(x.clone(), Mode::TrainFrozenStats)
            .detach();
        let x_gen = nets
            .generator
            .forward(z.clone(), Mode::TrainFrozenStats)
            .detach();
        let (l_enc, l_gen) = self.discriminator_logits((z_hat, x), (z, x_gen));
        let loss_d = bce_with_logits(l_enc, 1.0) + bce_with_logits(l_gen, 0.0);
        let grads = GradientsParams::from_grads(loss_d.backward(), &self.nets.discriminator);
        let d = self.nets.discriminator.clone();
        self.nets.discriminator = self.optim_d.step(self.config.adam.lr, d, grads);
        let decay = self.config.ema_decay;
        let shadow = self.ema.discriminator.clone();
        self.ema.discriminator = ema_update(shadow, &self.nets.discriminator.valid(), decay);
        loss_d
    }

    /// Step 2 of docs/DESIGN.md §5.3: from one forward pass, G on σCE(D(z₂, G(z₂)), 1) and E on
    /// σCE(D(E(x₂), x₂), 0) (label flipped), with the updated D. Returns (L_G, L_E).
    fn generator_encoder_step(&mut self, x: Tensor<2>) -> (Tensor<1>, Tensor<1>) {
        let z = self.latent_noise(x.dims()[0]);
        let z_hat = self.nets.encoder.forward(x.clone(), Mode::Train);
        let x_gen = self.nets.generator.forward(z.clone(), Mode::Train);
        let (l_enc, l_gen) = self.discriminator_logits((z_hat, x.clone()), (z, x_gen));
        let loss_g = bce_with_logits(l_gen, 1.0);
        let loss_e = bce_with_logits(l_enc, 0.0);
        // L_G does not depend on E and L_E not on G, so one backward of the sum gives each
        // network exactly the gradient of its own loss (plus, with the optional cycle term, the
        // gradient of λ·mean|x − G(E(x))|, which both networks share).
        let mut total = loss_g.clone() + loss_e.clone();
        let lambda = self.config.cycle_weight;
        if lambda > 0.0 {
            let z_cycle = self.nets.encoder.forward(x.clone(), Mode::Train);
            let x_cycle = self.nets.generator.forward(z_cycle, Mode::Train);
            total = total + (x - x_cycle).abs().mean().mul_scalar(lambda);
        }
        let mut grads = total.backward();
        let grads_g = GradientsParams::from_module(&mut grads, &self.nets.generator);
        let grads_e = GradientsParams::from_module(&mut grads, &self.nets.encoder);
        let lr = self.config.adam.lr;
        self.nets.generator = self.optim_g.step(lr, self.nets.generator.clone(), grads_g);
        self.nets.encoder = self.optim_e.step(lr, self.nets.encoder.clone(), grads_e);
        let decay = self.config.ema_decay;
        let shadow_g = self.ema.generator.clone();
        self.ema.generator = ema_update(shadow_g, &self.nets.generator.valid(), decay);
        let shadow_e = self.ema.encoder.clone();
        self.ema.encoder = ema_update(shadow_e, &self.nets.encoder.valid(), decay);
        (loss_g, loss_e)
    }

    fn network_values(&self, network: &str) -> Option<Result<Vec<f32>, ModelError>> {
        Some(match network {
            "E" => trainable_values(&self.nets.encoder.valid()),
            "G" => trainable_values(&self.nets.generator.valid()),
            "D" => trainable_values(&self.nets.discriminator.valid()),
            "E_ema" => trainable_values(&self.ema.encoder),
            "G_ema" => trainable_values(&self.ema.generator),
            "D_ema" => trainable_values(&self.ema.discriminator),
            _ => return None,
        })
    }
}

impl Detector for Egbad {
    fn kind(&self) -> ModelKind {
        ModelKind::Egbad
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Egbad(self.config.clone())
    }

    fn device(&self) -> Device {
        self.plain.clone()
    }

    fn batches_per_step(&self) -> usize {
        2
    }

    fn network_names(&self) -> &'static [&'static str] {
        NETWORKS
    }

    /// `batches = [x₁, x₂]`, from two independent permutations of the training set (§5.3).
    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let [first, second] = step_batches(self.kind(), batches, self.config.input_dim)?;
        let loss_d = self.discriminator_step(training_input(first, &self.plain));
        observer("D", self);
        let (loss_g, loss_e) = self.generator_encoder_step(training_input(second, &self.plain));
        merge_running_statistics(&self.nets);
        observer("G+E", self);
        Ok(vec![
            ("G".to_string(), loss_g.inner()),
            ("D".to_string(), loss_d.inner()),
            ("E".to_string(), loss_e.inner()),
        ])
    }

    fn on_losses_read(&mut self, _losses: &[(String, f32)]) {}

    /// Spec §5.4 with the EMA networks in inference mode: ẑ = E(x), x̂ = G(ẑ); both D passes
    /// take ẑ as their z-input.
    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.plain).inner();
        let nets = &self.ema;
        // Inference mode draws no dropout masks; this source is never advanced.
        let mut unused = Noise::new(0);
        let z_hat = nets.encoder.forward(x.clone(), Mode::Inference);
        let x_hat = nets.generator.forward(z_hat.clone(), Mode::Inference);
        let d = &nets.discriminator;
        let x_d = nets.generator.normalise(x.clone());
        let x_hat_d = nets.generator.normalise(x_hat.clone());
        let (_, f_real) = d.forward(z_hat.clone(), x_d, Mode::Inference, &mut unused);
        let (_, f_fake) = d.forward(z_hat.clone(), x_hat_d, Mode::Inference, &mut unused);
        let w = self.config.score_w;
        let reconstruction = row_sum_abs(x, x_hat).mul_scalar(1.0 - w);
        let features = row_sum_abs(f_real, f_fake).mul_scalar(w);
        Ok(reconstruction + features)
    }

    fn weights(&self) -> WeightSnapshot {
        let live = self.nets.valid();
        WeightSnapshot::new()
            .add("E", &live.encoder)
            .add("G", &live.generator)
            .add("D", &live.discriminator)
            .add("E_ema", &self.ema.encoder)
            .add("G_ema", &self.ema.generator)
            .add("D_ema", &self.ema.discriminator)
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let (nets, ema) = load_weight_file(bytes, |table| {
            let fresh = EgbadNets::new(&self.config, self.seed, &self.device);
            let shadow = fresh.valid();
            let nets = EgbadNets {
                encoder: table.load_into("E", fresh.encoder)?,
                generator: table.load_into("G", fresh.generator)?,
                discriminator: table.load_into("D", fresh.discriminator)?,
            };
            let ema = EgbadNets {
                encoder: table.load_into("E_ema", shadow.encoder)?,
                generator: table.load_into("G_ema", shadow.generator)?,
                discriminator: table.load_into("D_ema", shadow.discriminator)?,
            };
            Ok((nets, ema))
        })?;
        self.nets = nets;
        self.ema = ema;
        self.optim_e = FlavouredAdam::module_optimizer(&self.config.adam);
        self.optim_g = FlavouredAdam::module_optimizer(&self.config.adam);
        self.optim_d = FlavouredAdam::module_optimizer(&self.config.adam);
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        self.network_values(network)
            .unwrap_or_else(|| Err(unknown_network(self.kind(), network, ALL_NETWORKS)))
    }
}
