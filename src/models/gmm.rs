//! The Gaussian mixture detector (docs/DESIGN.md §11.2): K diagonal-covariance components,
//! initialised by seeded k-means++ and k-means, then fitted by EM, every step a pass over the
//! training vectors in batches (f64 statistics on the host). Vector score = negative
//! log-likelihood `−log Σ_k π_k N(x | m_k, diag v_k)`; clip score = its mean. No optimiser.

use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::common::{check_rows, load_weight_file};
use super::config::{DetectorConfig, Size, finite_non_negative, pass_fit_settings, size_problem};
use super::kmeans::{KMeans, nearest_centres};
use super::linalg::to_f64;
use super::mixture::{DiagonalMixture, MixtureSums};
use super::weights::trainable_values;
use super::{
    Detector, ModelConfig, ModelError, ModelKind, PassEnd, WeightSnapshot, check_input,
    derive_seed, unknown_network,
};

/// The Gaussian mixture's settings (scikit-learn's defaults where it has them).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct GmmConfig {
    /// Input vector size (640 = 128 mels × 5 frames).
    pub input_dim: usize,
    /// Number of components K.
    pub components: usize,
    /// Added to every variance (scikit-learn `reg_covar`, 1e-6).
    pub reg_covar: f64,
    /// EM stops when the mean log-likelihood improves by less than this (1e-3).
    pub tol: f64,
    /// Most EM iterations (100).
    pub max_iter: usize,
    /// Most k-means iterations of the initialisation.
    pub kmeans_max_iter: usize,
}

impl Default for GmmConfig {
    fn default() -> Self {
        Self {
            input_dim: 640,
            components: 8,
            reg_covar: 1e-6,
            tol: 1e-3,
            max_iter: 100,
            kmeans_max_iter: 100,
        }
    }
}

impl DetectorConfig for GmmConfig {
    pass_fit_settings!();
    fn problem(&self) -> Option<String> {
        let sizes = [
            Size::width("input_dim", self.input_dim),
            Size::count("components", self.components, 1),
            Size::iterations("max_iter", self.max_iter),
            Size::iterations("kmeans_max_iter", self.kmeans_max_iter),
        ];
        size_problem(&sizes)
            .or_else(|| finite_non_negative("reg_covar", self.reg_covar))
            .or_else(|| finite_non_negative("tol", self.tol))
    }

    fn min_weight_values(&self) -> u128 {
        // Means and precisions, [components, width] each.
        2 * self.components as u128 * self.input_width() as u128
    }
}

const NETWORKS: &[&str] = &["mixture"];

/// The fitted mixture as device tensors.
#[derive(Module, Debug)]
pub struct MixtureParams {
    /// m_k, `[K, p]`.
    pub means: Param<Tensor<2>>,
    /// 1 / v_k, `[K, p]`.
    pub precisions: Param<Tensor<2>>,
    /// `log π_k − ½·(p·ln 2π + Σ_d ln v_kd)`, `[K]`.
    pub log_norms: Param<Tensor<1>>,
}

impl MixtureParams {
    fn from_mixture(mixture: &DiagonalMixture, device: &Device) -> Self {
        let (k, p) = (mixture.components(), mixture.dim);
        let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
        let precisions: Vec<f64> = mixture.variances.iter().map(|v| 1.0 / v).collect();
        let tensor2 =
            |v: Vec<f32>| Param::from_tensor(Tensor::from_data(TensorData::new(v, [k, p]), device));
        Self {
            means: tensor2(f32s(&mixture.means)),
            precisions: tensor2(f32s(&precisions)),
            log_norms: Param::from_tensor(Tensor::from_data(
                TensorData::new(f32s(&mixture.log_norms()), [k]),
                device,
            )),
        }
    }

    /// Equal standard-normal components at the origin: the untrained state.
    fn standard(k: usize, p: usize, device: &Device) -> Self {
        Self::from_mixture(
            &DiagonalMixture {
                dim: p,
                weights: vec![1.0 / k as f64; k],
                means: vec![0.0; k * p],
                variances: vec![1.0; k * p],
            },
            device,
        )
    }
}

/// Where the fit is.
enum Stage {
    /// k-means initialisation (boxed: it holds far more than the other stages).
    KMeans(Box<KMeans>),
    /// The pass that turns the final k-means assignment into the first mixture.
    Initialise {
        centres: Vec<f64>,
        sums: MixtureSums,
    },
    /// EM iteration `iteration` with the current parameters.
    Em {
        iteration: usize,
        mixture: DiagonalMixture,
        sums: MixtureSums,
        previous: Option<f64>,
    },
    /// Fitted.
    Done,
}

/// The Gaussian mixture detector.
pub struct GaussianMixture {
    config: GmmConfig,
    device: Device,
    params: MixtureParams,
    stage: Stage,
}

impl GaussianMixture {
    /// An unfitted mixture on `device`; k-means++ draws from `seed`.
    pub fn new(config: GmmConfig, device: &Device, seed: u64) -> Self {
        let device = device.clone().inner();
        let kmeans = KMeans::new(
            config.components,
            config.input_dim,
            config.kmeans_max_iter,
            1e-4,
            derive_seed(seed, "kmeans++"),
        );
        Self {
            params: MixtureParams::standard(config.components, config.input_dim, &device),
            stage: Stage::KMeans(Box::new(kmeans)),
            config,
            device,
        }
    }

    fn new_sums(&self) -> MixtureSums {
        MixtureSums::new(self.config.components, self.config.input_dim)
    }

    /// Closes an EM pass: the M-step, and convergence on the mean log-likelihood.
    fn end_em_pass(
        &mut self,
        iteration: usize,
        sums: MixtureSums,
        previous: Option<f64>,
    ) -> Result<PassEnd, ModelError> {
        let mean = sums.log_likelihood / sums.count.max(1) as f64;
        if !mean.is_finite() {
            return Err(ModelError::Fit {
                kind: self.kind(),
                problem: format!(
                    "EM iteration {} gave a non-finite log-likelihood",
                    iteration + 1
                ),
            });
        }
        let mixture = sums.parameters(self.config.input_dim, self.config.reg_covar);
        let converged = previous.is_some_and(|p| (mean - p).abs() < self.config.tol);
        let done = converged || iteration + 1 >= self.config.max_iter;
        if done {
            self.params = MixtureParams::from_mixture(&mixture, &self.device);
            self.stage = Stage::Done;
        } else {
            let sums = self.new_sums();
            self.stage = Stage::Em {
                iteration: iteration + 1,
                mixture,
                sums,
                previous: Some(mean),
            };
        }
        Ok(PassEnd {
            done,
            statistics: vec![("log-likelihood".to_string(), mean as f32)],
        })
    }
}

impl Detector for GaussianMixture {
    fn kind(&self) -> ModelKind {
        ModelKind::Gmm
    }

    fn config(&self) -> ModelConfig {
        ModelConfig::Gmm(self.config.clone())
    }

    fn device(&self) -> Device {
        self.device.clone()
    }

    fn network_names(&self) -> &'static [&'static str] {
        NETWORKS
    }

    fn max_passes(&self) -> usize {
        self.config.components + self.config.kmeans_max_iter + 1 + self.config.max_iter
    }

    fn fit_batch(&mut self, rows: &[f32]) -> Result<(), ModelError> {
        let dim = self.config.input_dim;
        check_rows(self.kind(), rows, dim)?;
        match &mut self.stage {
            Stage::KMeans(kmeans) => kmeans.add(rows),
            Stage::Initialise { centres, sums } => {
                let rows = to_f64(rows);
                let k = self.config.components;
                let mut resp = vec![0.0; rows.len() / dim * k];
                for (i, c) in nearest_centres(&rows, centres, dim).into_iter().enumerate() {
                    resp[i * k + c] = 1.0;
                }
                sums.add(&rows, &resp, dim);
            }
            Stage::Em { mixture, sums, .. } => {
                let rows = to_f64(rows);
                let (resp, log_likelihoods) = mixture.responsibilities(&rows);
                sums.add(&rows, &resp, dim);
                sums.log_likelihood += log_likelihoods.iter().sum::<f64>();
            }
            Stage::Done => {}
        }
        Ok(())
    }

    fn end_pass(&mut self) -> Result<PassEnd, ModelError> {
        let not_done = PassEnd {
            done: false,
            statistics: Vec::new(),
        };
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::KMeans(mut kmeans) => {
                kmeans.end_pass();
                self.stage = match kmeans.is_done() {
                    true => Stage::Initialise {
                        centres: kmeans.centres,
                        sums: self.new_sums(),
                    },
                    false => Stage::KMeans(kmeans),
                };
                Ok(not_done)
            }
            Stage::Initialise { sums, .. } => {
                let mixture = sums.parameters(self.config.input_dim, self.config.reg_covar);
                self.stage = Stage::Em {
                    iteration: 0,
                    mixture,
                    sums: self.new_sums(),
                    previous: None,
                };
                Ok(not_done)
            }
            Stage::Em {
                iteration,
                sums,
                previous,
                ..
            } => self.end_em_pass(iteration, sums, previous),
            Stage::Done => Ok(PassEnd {
                done: true,
                statistics: Vec::new(),
            }),
        }
    }

    fn score(&self, x: Tensor<2>) -> Result<Tensor<1>, ModelError> {
        check_input(&x, self.config.input_dim, 1)?;
        let x = x.to_device(&self.device);
        let means = self.params.means.val();
        let precisions = self.params.precisions.val();
        let scaled_means = means.clone().mul(precisions.clone());
        // Σ_d m²/v per component, as a [1, K] row.
        let mean_terms = means.mul(scaled_means.clone()).sum_dim(1).transpose();
        let quadratic = x.clone().square().matmul(precisions.transpose());
        let cross = x.matmul(scaled_means.transpose());
        let log_densities = self.params.log_norms.val().unsqueeze::<2>().sub(
            quadratic
                .add(mean_terms)
                .sub(cross.mul_scalar(2.0))
                .mul_scalar(0.5),
        );
        let top = log_densities.clone().max_dim(1);
        let log_likelihood = log_densities
            .sub(top.clone())
            .exp()
            .sum_dim(1)
            .log()
            .add(top);
        Ok(log_likelihood.neg().squeeze_dim::<1>(1))
    }

    fn weights(&self) -> WeightSnapshot {
        WeightSnapshot::new().add("mixture", &self.params)
    }

    fn load_weights(&mut self, bytes: &[u8]) -> Result<(), ModelError> {
        let params = load_weight_file(bytes, |table| {
            let fresh = MixtureParams::standard(
                self.config.components,
                self.config.input_dim,
                &self.device,
            );
            table.load_into("mixture", fresh)
        })?;
        self.params = params;
        self.stage = Stage::Done;
        Ok(())
    }

    fn parameter_values(&self, network: &str) -> Result<Vec<f32>, ModelError> {
        match network {
            "mixture" => trainable_values(&self.params),
            other => Err(unknown_network(self.kind(), other, NETWORKS)),
        }
    }
}
