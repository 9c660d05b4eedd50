//! Hyper-parameters of the four detectors, serialisable and stored with every model
//! (spec §6, §10.5). Every field has the spec's default, so a partial JSON object is valid.

use serde::{Deserialize, Serialize};

use super::settings::{AdamSettings, BatchNormSettings, InitScheme};
use super::{ModelError, ModelKind};

/// The DCASE baseline autoencoder (spec §1.6).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct AeConfig {
    /// Input vector size (640 = 128 mels × 5 frames).
    pub input_dim: usize,
    /// Width of the hidden blocks (128).
    pub hidden_dim: usize,
    /// Number of hidden blocks on each side of the bottleneck (4).
    pub hidden_layers: usize,
    /// Bottleneck width (8); the bottleneck keeps BatchNorm + ReLU (spec §10.2).
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

/// GANomaly-FC (spec §3.7, §3.2).
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
    /// `true`: the encoders end in a plain Dense(nz) ("linear-z", spec §3.7 option);
    /// `false` (default, spec §10.2): Blk(nz) with BatchNorm + ReLU as in the baseline.
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
    /// original latent-only score (spec §3.4). Default 0.9, the Skip-GANomaly form (spec §4.4):
    /// a measured deviation (spec §10 preamble), because ẑ = E2(Dec(z)) depends on x only
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

/// Skip-GANomaly-FC (spec §4.6, §4.2).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SkipGanomalyConfig {
    /// Input vector size (640).
    pub input_dim: usize,
    /// Width of the hidden blocks (128).
    pub hidden_dim: usize,
    /// U-Net levels = hidden blocks per side, and D's hidden blocks (4).
    pub hidden_layers: usize,
    /// Generator bottleneck width (8), with BatchNorm + ReLU (spec §10.2).
    pub latent_dim: usize,
    /// D's linear feature width n_f (8, spec §10.3).
    pub feature_dim: usize,
    /// Weight of the BCE adversarial loss (1).
    pub w_adv: f64,
    /// Weight of the L1 reconstruction loss (50).
    pub w_con: f64,
    /// Weight of the latent (feature) loss, in L_G and L_D (1).
    pub w_lat: f64,
    /// λ of the score λ·rec + (1 − λ)·lat (0.9, spec §4.4).
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

/// EGBAD-FC (spec §5.5, §5.2, §10.5, §10.10).
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
    /// w of the score (1 − w)·Σ|x − x̂| + w·Σ|Δf_D| (0.1, spec §5.4).
    pub score_w: f64,
    /// Weight λ of a cycle term λ·mean|x − G(E(x))| added to the joint G/E step (default 1;
    /// 0 = the spec's pure BiGAN losses, §5.2). A measured deviation (§10 preamble): through D
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

/// The configuration of any detector, tagged by kind: `{"kind": "ae", "input_dim": 640, ...}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind")]
pub enum ModelConfig {
    /// The DCASE autoencoder.
    #[serde(rename = "ae")]
    Ae(AeConfig),
    /// GANomaly-FC.
    #[serde(rename = "ganomaly")]
    Ganomaly(GanomalyConfig),
    /// Skip-GANomaly-FC.
    #[serde(rename = "skip-ganomaly")]
    SkipGanomaly(SkipGanomalyConfig),
    /// EGBAD-FC.
    #[serde(rename = "egbad")]
    Egbad(EgbadConfig),
}

impl ModelConfig {
    /// The spec's default configuration of `kind` (spec §6, §10.5).
    pub fn default_for(kind: ModelKind) -> Self {
        match kind {
            ModelKind::Ae => ModelConfig::Ae(AeConfig::default()),
            ModelKind::Ganomaly => ModelConfig::Ganomaly(GanomalyConfig::default()),
            ModelKind::SkipGanomaly => ModelConfig::SkipGanomaly(SkipGanomalyConfig::default()),
            ModelKind::Egbad => ModelConfig::Egbad(EgbadConfig::default()),
        }
    }

    /// Which detector this configures.
    pub fn kind(&self) -> ModelKind {
        match self {
            ModelConfig::Ae(_) => ModelKind::Ae,
            ModelConfig::Ganomaly(_) => ModelKind::Ganomaly,
            ModelConfig::SkipGanomaly(_) => ModelKind::SkipGanomaly,
            ModelConfig::Egbad(_) => ModelKind::Egbad,
        }
    }

    /// The input vector size the model expects.
    pub fn input_dim(&self) -> usize {
        match self {
            ModelConfig::Ae(c) => c.input_dim,
            ModelConfig::Ganomaly(c) => c.input_dim,
            ModelConfig::SkipGanomaly(c) => c.input_dim,
            ModelConfig::Egbad(c) => c.input_dim,
        }
    }

    /// The learning rate of the model's optimisers.
    pub fn learning_rate(&self) -> f64 {
        self.adam().lr
    }

    fn batch_norm(&self) -> &BatchNormSettings {
        match self {
            ModelConfig::Ae(c) => &c.batch_norm,
            ModelConfig::Ganomaly(c) => &c.batch_norm,
            ModelConfig::SkipGanomaly(c) => &c.batch_norm,
            ModelConfig::Egbad(c) => &c.batch_norm,
        }
    }

    fn adam(&self) -> &AdamSettings {
        match self {
            ModelConfig::Ae(c) => &c.adam,
            ModelConfig::Ganomaly(c) => &c.adam,
            ModelConfig::SkipGanomaly(c) => &c.adam,
            ModelConfig::Egbad(c) => &c.adam,
        }
    }

    /// Checks every hyper-parameter's range; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ModelError> {
        self.find_problem()
            .map_err(|problem| ModelError::InvalidConfig {
                kind: self.kind(),
                problem,
            })
    }

    fn find_problem(&self) -> Result<(), String> {
        let sizes = match self {
            ModelConfig::Ae(c) => vec![
                ("input_dim", c.input_dim),
                ("hidden_dim", c.hidden_dim),
                ("latent_dim", c.latent_dim),
            ],
            ModelConfig::Ganomaly(c) => vec![
                ("input_dim", c.input_dim),
                ("hidden_dim", c.hidden_dim),
                ("latent_dim", c.latent_dim),
            ],
            ModelConfig::SkipGanomaly(c) => vec![
                ("input_dim", c.input_dim),
                ("hidden_dim", c.hidden_dim),
                ("hidden_layers", c.hidden_layers),
                ("latent_dim", c.latent_dim),
                ("feature_dim", c.feature_dim),
            ],
            ModelConfig::Egbad(c) => vec![
                ("input_dim", c.input_dim),
                ("hidden_dim", c.hidden_dim),
                ("latent_dim", c.latent_dim),
                ("d_hidden_dim", c.d_hidden_dim),
            ],
        };
        for (name, value) in sizes {
            if value == 0 {
                return Err(format!("{name} must be at least 1"));
            }
        }
        self.batch_norm().check()?;
        self.adam().check("adam")?;
        self.check_weights()
    }

    fn check_weights(&self) -> Result<(), String> {
        let finite_non_negative = |name: &str, value: f64| {
            if value.is_finite() && value >= 0.0 {
                Ok(())
            } else {
                Err(format!("{name} must be finite and ≥ 0, got {value}"))
            }
        };
        let unit_interval = |name: &str, value: f64| {
            if (0.0..=1.0).contains(&value) {
                Ok(())
            } else {
                Err(format!("{name} must lie in [0, 1], got {value}"))
            }
        };
        match self {
            ModelConfig::Ae(_) => Ok(()),
            ModelConfig::Ganomaly(c) => {
                finite_non_negative("w_adv", c.w_adv)?;
                finite_non_negative("w_con", c.w_con)?;
                finite_non_negative("w_enc", c.w_enc)?;
                finite_non_negative("d_reinit_threshold", c.d_reinit_threshold)?;
                unit_interval("score_lambda", c.score_lambda)
            }
            ModelConfig::SkipGanomaly(c) => {
                finite_non_negative("w_adv", c.w_adv)?;
                finite_non_negative("w_con", c.w_con)?;
                finite_non_negative("w_lat", c.w_lat)?;
                finite_non_negative("d_reinit_threshold", c.d_reinit_threshold)?;
                unit_interval("score_lambda", c.score_lambda)
            }
            ModelConfig::Egbad(c) => {
                finite_non_negative("leaky_slope", c.leaky_slope)?;
                unit_interval("ema_decay", c.ema_decay)?;
                unit_interval("score_w", c.score_w)?;
                if !(0.0..1.0).contains(&c.dropout) {
                    return Err(format!("dropout must lie in [0, 1), got {}", c.dropout));
                }
                Ok(())
            }
        }
    }
}
