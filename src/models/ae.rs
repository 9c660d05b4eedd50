//! The DCASE 2020 baseline autoencoder (docs/DESIGN.md §1.6, §1.7):
//! `640 → Blk128 ×4 → Blk8 → Blk128 ×4 → Dense640`, MSE loss, Keras Adam 1e-3,
//! score = per-vector mean squared reconstruction error in inference mode.

use std::sync::OnceLock;

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

use super::blocks::{Mode, ParamInit, l2_mean, merge_running_statistics, row_mean_squared};
use super::common::{load_weight_file, step_batches};
use super::config::{DetectorConfig, Size, network_problem, network_settings};
use super::host_bridge::{host_trainer, write_back};
use super::host_mlp::HostMlp;
use super::nets::{Decoder, Encoder, HalfShape};
use super::optim::FlavouredAdam;
use super::settings::{AdamSettings, BatchNormSettings, InitScheme};
use super::weights::trainable_values;
use super::{
    Detector, ModelConfig, ModelError, ModelKind, StepLosses, StepObserver, WeightSnapshot,
    check_input, derive_seed, training_input, unknown_network,
};
use serde::{Deserialize, Serialize};

/// The DCASE baseline autoencoder (docs/DESIGN.md §1.6).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct AeConfig {
    /// Input vector size (640 = 128 mels × 5 frames).
    pub input_dim: usize,
    /// Width of the hidden blocks (128).
    pub hidden_dim: usize,
    /// Number of hidden blocks on each side of the bottleneck (4).
    pub hidden_layers: usize,
    /// Bottleneck width (8); the bottleneck keeps BatchNorm + ReLU (docs/DESIGN.md §10.2).
    pub latent_dim: usize,
    /// Optimiser (Keras Adam 1e-3).
    pub adam: AdamSettings,
    /// BatchNorm (momentum 0.99, ε 1e-3).
    pub batch_norm: BatchNormSettings,
    /// Initialisation.
    pub init: InitScheme,
}

impl Default for AeConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            hidden_dim: 128,
            hidden_layers: 4,
            latent_dim: 8,
            adam: AdamSettings::keras_baseline(),
            batch_norm: BatchNormSettings::default(),
            init: InitScheme::Keras,
        }
    }
}

impl DetectorConfig for AeConfig {
    network_settings!();
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::width("hidden_dim", self.hidden_dim),
            Size::count("hidden_layers", self.hidden_layers, 0),
            Size::width("latent_dim", self.latent_dim),
        ];
        network_problem(&sizes, &self.batch_norm, &self.adam)
    }
}

const NETWORKS: &[&str] = &["AE"];

/// The autoencoder network.
#[derive(Module, Debug)]
pub struct AeNet {
    /// `640 → Blk128 ×4 → Blk8`.
    pub encoder: Encoder,
    /// `8 → Blk128 ×4 → Dense640`.
    pub decoder: Decoder,
}

impl AeNet {
    /// A fresh network initialised from `seed`.
    pub fn new(config: &AeConfig, seed: u64, device: &Device) -> Self {
        let shape = HalfShape {
            input_dim: config.input_dim,
            hidden_dim: config.hidden_dim,
            hidden_layers: config.hidden_layers,
            latent_dim: config.latent_dim,
        };
        let mut init = ParamInit::new(seed, config.init);
        Self {
            encoder: Encoder::new(shape, false, config.batch_norm, &mut init, device),
            decoder: Decoder::new(shape, config.batch_norm, &mut init, device),
        }
    }

    /// The reconstruction of `x`.
    pub fn forward(&self, x: Tensor<2>, mode: Mode) -> Tensor<2> {
        self.decoder.forward(self.encoder.forward(x, mode), mode)
    }
}

/// The baseline autoencoder detector.
pub struct Autoencoder {
    config: AeConfig,
    seed: u64,
    device: Device,
    plain: Device,
    net: AeNet,
    optim: ModuleOptimizer,
    /// The fused host-side trainer, used instead of burn's autodiff step on the flex CPU
    /// device (docs/DESIGN.md §13.8); built from `net` on the first step.
    host: HostPath,
}

/// Whether training steps run on the host trainer.
enum HostPath {
    /// Not decided yet: decided on the next step.
    Undecided,
    /// burn's autodiff step (a GPU device, or a network the host step does not implement).
    Unused,
    /// The host trainer, holding the authoritative weights and Adam moments.
    Active(Box<HostState>),
}

/// The host trainer and its weights as a burn network, copied when first read after a step.
struct HostState {
    trainer: HostMlp,
    /// Emptied by every step.
    net: OnceLock<AeNet>,
}

impl Autoencoder {
    /// An untrained autoencoder on `device`, initialised from `seed`.
    pub fn new(config: AeConfig, device: &Device, seed: u64) -> Self {
        let plain = device.clone().inner();
        let device = plain.clone().autodiff();
        let net = AeNet::new(&config, derive_seed(seed, "AE"), &device);
        let optim = FlavouredAdam::module_optimizer(&config.adam);
        Self {
            config,
            seed,
            device,
            plain,
            net,
            optim,
            host: HostPath::Undecided,
        }
    }

    /// The same model trained through burn's autodiff step even on the flex CPU device: the
    /// reference the fused host step is tested and benchmarked against (docs/DESIGN.md §13.8).
    ///
    /// ```
    /// use burn::tensor::Device;
    /// use sonogan::models::ae::{AeConfig, Autoencoder};
    /// let reference = Autoencoder::new(AeConfig::default(), &Device::flex(), 0).with_autodiff_step();
    /// ```
    pub fn with_autodiff_step(mut self) -> Self {
        self.host = HostPath::Unused;
        self
    }

    /// Decides, on the first step, whether the host trainer runs: on the flex device, for a
    /// network it implements.
    fn decide_host_path(&mut self) -> Result<(), ModelError> {
        if let HostPath::Undecided = self.host {
            let host = match self.plain == Device::flex() {
                true => host_trainer(&self.net, &self.config.adam)?,
                false => None,
            };
            self.host = match host {
                Some(trainer) => HostPath::Active(Box::new(HostState {
                    trainer,
                    net: OnceLock::new(),
                })),
                None => HostPath::Unused,
            };
        }
        Ok(())
    }

    /// One step on the host trainer; `None` when it does not run.
    fn host_step(&mut self, batch: &Tensor<2>) -> Result<Option<Tensor<1>>, ModelError> {
        self.decide_host_path()?;
        let HostPath::Active(state) = &mut self.host else {
            return Ok(None);
        };
        let data = batch.clone().inner().try_into_data();
        let data = data
            .map_err(|e| ModelError::Read(format!("{e:?}")))?
            .convert::<f32>();
        let rows = data
            .as_slice::<f32>()
            .map_err(|e| ModelError::Read(format!("{e:?}")))?;
        let loss = state.trainer.train_step(rows, self.config.adam.lr);
        state.net = OnceLock::new();
        let loss = TensorData::new(vec![loss], [1]);
        Ok(Some(Tensor::from_data(loss, &self.plain)))
    }

    /// The network with the trained weights. On the host path the weights live in the host
    /// trainer and are copied into a burn network only when something reads them (scoring,
    /// saving, observers), once per step, not after every step (docs/DESIGN.md §13.8).
    fn trained_net(&self) -> &AeNet {
        match &self.host {
            HostPath::Active(state) => state
                .net
                .get_or_init(|| write_back(&self.net, &state.trainer, &self.plain)),
            _ => &self.net,
        }
    }
}

impl Detector for Autoencoder {
    fn kind(&self) -> ModelKind {
        ModelKind::Ae
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Ae(self.config.clone())
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

    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let [batch] = step_batches(self.kind(), batches, self.config.input_dim)?;
        if let Some(loss) = self.host_step(batch)? {
            observer("AE", self);
            return Ok(vec![("mse".to_string(), loss)]);
        }
        let x = training_input(batch, &self.plain);
        let reconstruction = self.net.forward(x.clone(), Mode::Train);
        let loss = l2_mean(reconstruction, x);
        let grads = GradientsParams::from_grads(loss.backward(), &self.net);
        self.net = self
            .optim
            .step(self.config.adam.lr, self.net.clone(), grads);
        merge_running_statistics(&self.net);
        observer("AE", self);
        Ok(vec![("mse".to_string(), loss.inner())])
    }

    fn on_losses_read(&mut self, _losses: &[(String, f32)]) {}

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.plain).inner();
        let reconstruction = self
            .trained_net()
            .valid()
            .forward(x.clone(), Mode::Inference);
        Ok(row_mean_squared(x, reconstruction))
    }

    fn weights(&self) -> WeightSnapshot {
        WeightSnapshot::new().add("AE", &self.trained_net().valid())
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let net = load_weight_file(bytes, |table| {
            let fresh = AeNet::new(&self.config, derive_seed(self.seed, "AE"), &self.device);
            table.load_into("AE", fresh)
        })?;
        self.net = net;
        self.optim = FlavouredAdam::module_optimizer(&self.config.adam);
        // The host trainer held the old weights: the next step builds one from the loaded ones.
        if let HostPath::Active(_) = self.host {
            self.host = HostPath::Undecided;
        }
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        match network {
            "AE" => trainable_values(&self.trained_net().valid()),
            other => Err(unknown_network(self.kind(), other, NETWORKS)),
        }
    }
}
