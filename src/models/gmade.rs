//! GMADE, the seed paper's upper bound (Giri et al. 2020; docs/DESIGN.md §11.3): a MADE density
//! estimator over the stacked frames with group masks, so each frame's Gaussian (mean and
//! log-variance per mel band) is predicted from the frames before it in an ordering; optionally
//! conditioned on the machine ID (one-hot columns, docs/DESIGN.md §12.3). Trained with Adam on
//! the mean negative log-likelihood; vector score = the same NLL averaged over the ensemble's
//! orderings; clip score = its mean.

use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::blocks::ParamInit;
use super::common::{load_weight_file, step_batches};
use super::config::{DetectorConfig, Size, size_problem, stack_weights};
use super::made::{MadeNet, MadeShape, Masks, gaussian_nll, masks, orderings};
use super::optim::FlavouredAdam;
use super::settings::{AdamSettings, InitScheme};
use super::weights::trainable_values;
use super::{
    Detector, ModelConfig, ModelError, ModelKind, StepLosses, StepObserver, WeightSnapshot,
    check_input, derive_seed, training_input, unknown_network,
};

/// GMADE's settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct GmadeConfig {
    /// Input vector size (640 = 128 mels × 5 frames).
    pub input_dim: usize,
    /// Autoregressive groups: the stacked frames (5); must divide `input_dim`.
    pub groups: usize,
    /// Width of the hidden layers.
    pub hidden_dim: usize,
    /// Number of hidden layers.
    pub hidden_layers: usize,
    /// Group orderings of the ensemble (1 = the natural frame order only).
    pub orderings: usize,
    /// Condition on the machine ID (the training data's IDs become one-hot inputs).
    pub condition_on_machine_id: bool,
    /// The machine IDs it is conditioned on (set from the training data).
    pub machine_ids: Vec<String>,
    /// Optimiser (Keras-style Adam).
    pub adam: AdamSettings,
    /// Initialisation.
    pub init: InitScheme,
}

impl Default for GmadeConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            groups: 5,
            hidden_dim: 512,
            hidden_layers: 2,
            orderings: 1,
            condition_on_machine_id: true,
            machine_ids: Vec::new(),
            adam: AdamSettings::keras_baseline(),
            init: InitScheme::Keras,
        }
    }
}

impl DetectorConfig for GmadeConfig {
    fn input_dim(&self) -> usize {
        self.input_dim
    }
    fn learning_rate(&self) -> Option<f64> {
        Some(self.adam.lr)
    }
    fn set_learning_rate(&mut self, lr: f64) -> bool {
        self.adam.lr = lr;
        true
    }
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::width("hidden_dim", self.hidden_dim),
            Size::count("hidden_layers", self.hidden_layers, 1),
            Size::count("orderings", self.orderings, 1),
            Size::count("machine IDs", self.machine_ids.len(), 0),
        ];
        size_problem(&sizes)
            .or_else(|| self.adam.check("adam").err())
            .or_else(|| {
                (self.groups < 2 || !self.input_dim.is_multiple_of(self.groups)).then(|| {
                    format!(
                        "groups must be ≥ 2 and divide input_dim {}, got {}",
                        self.input_dim, self.groups
                    )
                })
            })
    }
    fn min_weight_values(&self) -> u128 {
        // The masked stack and its two heads (μ and log σ², `input_dim` wide each).
        stack_weights(
            self.input_width(),
            self.hidden_dim,
            self.hidden_layers,
            2 * self.input_dim,
        )
    }
    fn machine_ids(&self) -> &[String] {
        &self.machine_ids
    }
    fn set_machine_ids(&mut self, ids: Vec<String>) -> bool {
        if self.condition_on_machine_id {
            self.machine_ids = ids;
        }
        self.condition_on_machine_id
    }
}

impl GmadeConfig {
    fn shape(&self) -> MadeShape {
        MadeShape {
            input_dim: self.input_dim,
            groups: self.groups,
            hidden_dim: self.hidden_dim,
            hidden_layers: self.hidden_layers,
            context_dim: self.machine_ids.len(),
        }
    }
}

const NETWORKS: &[&str] = &["MADE"];

/// The GMADE detector.
pub struct Gmade {
    config: GmadeConfig,
    seed: u64,
    device: Device,
    plain: Device,
    net: MadeNet,
    optim: ModuleOptimizer,
    /// One mask set per ordering, on the plain and on the autodiff device.
    masks: Vec<Masks>,
    training_masks: Vec<Masks>,
    steps: usize,
}

impl Gmade {
    /// An untrained GMADE on `device`, initialised from `seed`.
    pub fn new(config: GmadeConfig, device: &Device, seed: u64) -> Self {
        let plain = device.clone().inner();
        let device = plain.clone().autodiff();
        let net = Self::fresh_net(&config, seed, &device);
        let orders = orderings(
            config.groups,
            config.orderings,
            derive_seed(seed, "orderings"),
        );
        let build = |d: &Device| {
            orders
                .iter()
                .map(|o| masks(&config.shape(), o, d))
                .collect()
        };
        Self {
            masks: build(&plain),
            training_masks: build(&device),
            optim: FlavouredAdam::module_optimizer(&config.adam),
            config,
            seed,
            device,
            plain,
            net,
            steps: 0,
        }
    }

    fn fresh_net(config: &GmadeConfig, seed: u64, device: &Device) -> MadeNet {
        let mut init = ParamInit::new(derive_seed(seed, "MADE"), config.init);
        MadeNet::new(config.shape(), &mut init, device)
    }
}

impl Detector for Gmade {
    fn kind(&self) -> ModelKind {
        ModelKind::Gmade
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Gmade(self.config.clone())
    }

    fn device(&self) -> Device {
        self.plain.clone()
    }

    fn network_names(&self) -> &'static [&'static str] {
        NETWORKS
    }

    fn train_step_observed(
        &mut self,
        batches: &[Tensor<2>],
        observer: &mut StepObserver<'_>,
    ) -> Result<StepLosses, ModelError> {
        let [batch] = step_batches(self.kind(), batches, self.config.input_width())?;
        let x = training_input(batch, &self.plain);
        let p = self.config.input_dim;
        self.net
            .scale
            .fit_once(&x.clone().slice([0..x.dims()[0], 0..p]));
        let masks = &self.training_masks[self.steps % self.training_masks.len()];
        let (features, mean, log_var) = self.net.forward(x, masks, p);
        let loss = gaussian_nll(features, mean, log_var).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &self.net);
        self.net = self
            .optim
            .step(self.config.adam.lr, self.net.clone(), grads);
        self.steps += 1;
        observer("MADE", self);
        Ok(vec![("nll".to_string(), loss.inner())])
    }

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_width(), 1)?;
        let x = x.to_device(&self.plain);
        let net = self.net.valid();
        let p = self.config.input_dim;
        let per_ordering = self.masks.iter().map(|masks| {
            let (features, mean, log_var) = net.forward(x.clone(), masks, p);
            gaussian_nll(features, mean, log_var).mean_dim(1)
        });
        let total = per_ordering
            .reduce(|a, b| a.add(b))
            .expect("at least one ordering");
        Ok(total
            .div_scalar(self.masks.len() as f64)
            .squeeze_dim::<1>(1))
    }

    fn weights(&self) -> WeightSnapshot {
        WeightSnapshot::new().add("MADE", &self.net.valid())
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let net = load_weight_file(bytes, |table| {
            table.load_into(
                "MADE",
                Self::fresh_net(&self.config, self.seed, &self.device),
            )
        })?;
        self.net = net;
        self.optim = FlavouredAdam::module_optimizer(&self.config.adam);
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        match network {
            "MADE" => trainable_values(&self.net.valid()),
            other => Err(unknown_network(self.kind(), other, NETWORKS)),
        }
    }
}
