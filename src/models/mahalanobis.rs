//! The Mahalanobis detector (docs/DESIGN.md §11.1): a Gaussian on the 640-d vectors with
//! scikit-learn's Ledoit-Wolf shrinkage covariance, fitted in two passes over the training
//! vectors (mean; centred Gram matrix and fourth moments), batch by batch so memory stays at a
//! few `p × p` matrices. Vector score = squared Mahalanobis distance `(x − μ)ᵀ Σ⁻¹ (x − μ)`;
//! clip score = its mean. No optimiser, no epochs.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::common::{check_rows, load_weight_file};
use super::config::{DetectorConfig, Size, pass_fit_settings};
use super::gaussian::GaussianFit;
use super::weights::trainable_values;
use super::{
    Detector, ModelConfig, ModelError, ModelKind, PassEnd, WeightSnapshot, check_input,
    unknown_network,
};

/// The Mahalanobis detector's settings.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct MahalanobisConfig {
    /// Input vector size (640 = 128 mels × 5 frames).
    pub input_dim: usize,
    /// A fixed shrinkage α ∈ [0, 1] instead of the Ledoit-Wolf estimate (`None`, the default).
    pub shrinkage: Option<f64>,
}

impl Default for MahalanobisConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            shrinkage: None,
        }
    }
}

impl DetectorConfig for MahalanobisConfig {
    pass_fit_settings!();
    fn problem(&self) -> Option<String> {
        super::config::size_problem(&[Size::width("input_dim", self.input_dim)]).or_else(|| {
            self.shrinkage
                .and_then(|alpha| super::config::unit_interval("shrinkage", alpha))
        })
    }

    fn min_weight_values(&self) -> u128 {
        // μ `[p]` and W `[p, p]`.
        let p = self.input_width() as u128;
        p + p * p
    }
}

const NETWORKS: &[&str] = &["gaussian"];

/// The fitted Gaussian as device tensors: `μ` and the whitening matrix `W = L⁻ᵀ` (`Σ = L·Lᵀ`).
#[derive(Module, Debug)]
pub struct GaussianParams {
    /// μ, `[p]`.
    pub location: Param<Tensor<1>>,
    /// W, `[p, p]`.
    pub whitening: Param<Tensor<2>>,
}

impl GaussianParams {
    /// The standard normal (μ = 0, W = I): the untrained state.
    fn standard(dim: usize, device: &Device) -> Self {
        let identity: Vec<f32> = (0..dim * dim)
            .map(|i| if i % (dim + 1) == 0 { 1.0 } else { 0.0 })
            .collect();
        Self::from_values(vec![0.0; dim], identity, dim, device)
    }

    fn from_values(location: Vec<f32>, whitening: Vec<f32>, dim: usize, device: &Device) -> Self {
        Self {
            location: Param::from_tensor(Tensor::from_data(
                TensorData::new(location, [dim]),
                device,
            )),
            whitening: Param::from_tensor(Tensor::from_data(
                TensorData::new(whitening, [dim, dim]),
                device,
            )),
        }
    }
}

/// The Mahalanobis detector.
pub struct Mahalanobis {
    config: MahalanobisConfig,
    device: Device,
    params: GaussianParams,
    fit: GaussianFit,
}

impl Mahalanobis {
    /// An unfitted detector on `device` (the seed is unused: the fit is deterministic).
    pub fn new(config: MahalanobisConfig, device: &Device, _seed: u64) -> Self {
        let device = device.clone().inner();
        Self {
            params: GaussianParams::standard(config.input_dim, &device),
            fit: GaussianFit::new(config.input_dim),
            config,
            device,
        }
    }

    fn fit_error(&self, problem: String) -> ModelError {
        ModelError::Fit {
            kind: self.kind(),
            problem,
        }
    }
}

impl Detector for Mahalanobis {
    fn kind(&self) -> ModelKind {
        ModelKind::Mahalanobis
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Mahalanobis(self.config.clone())
    }

    fn device(&self) -> Device {
        self.device.clone()
    }

    fn network_names(&self) -> &'static [&'static str] {
        NETWORKS
    }

    fn max_passes(&self) -> usize {
        2
    }

    fn fit_batch(&mut self, rows: &[f32]) -> Result<(), ModelError> {
        check_rows(self.kind(), rows, self.config.input_dim)?;
        self.fit.add(rows);
        Ok(())
    }

    fn end_pass(&mut self) -> Result<PassEnd, ModelError> {
        if !self.fit.has_mean() {
            self.fit.close_mean_pass().map_err(|e| self.fit_error(e))?;
            return Ok(PassEnd {
                done: false,
                statistics: Vec::new(),
            });
        }
        let gaussian = self
            .fit
            .finish(self.config.shrinkage)
            .map_err(|e| self.fit_error(e))?;
        let whitening = gaussian.whitening().map_err(|e| self.fit_error(e))?;
        let as_f32 = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        self.params = GaussianParams::from_values(
            as_f32(&gaussian.location),
            as_f32(&whitening),
            self.config.input_dim,
            &self.device,
        );
        self.fit = GaussianFit::new(self.config.input_dim);
        Ok(PassEnd {
            done: true,
            statistics: vec![("shrinkage".to_string(), gaussian.shrinkage as f32)],
        })
    }

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.device);
        let location = self.params.location.val().unsqueeze::<2>();
        let whitened = x.sub(location).matmul(self.params.whitening.val());
        Ok(whitened.square().sum_dim(1).squeeze_dim::<1>(1))
    }

    fn weights(&self) -> WeightSnapshot {
        WeightSnapshot::new().add("gaussian", &self.params)
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let params = load_weight_file(bytes, |table| {
            let fresh = GaussianParams::standard(self.config.input_dim, &self.device);
            table.load_into("gaussian", fresh)
        })?;
        self.params = params;
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        match network {
            "gaussian" => trainable_values(&self.params),
            other => Err(unknown_network(self.kind(), other, NETWORKS)),
        }
    }
}
