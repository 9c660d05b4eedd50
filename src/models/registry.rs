//! The one table of detector kinds (docs/DESIGN.md §12).
//!
//! Every detector is one row of [`detectors!`] below: its typed identity ([`ModelKind`]), its
//! serialised name, its labels, its configuration type, its constructor and what it needs. The
//! macro turns the table into [`ModelKind`], [`ModelConfig`], [`REGISTRY`] and
//! [`new_detector`]; the CLI's parsing and help, the page's model list, presets, tables and
//! the tests all read these, so adding a detector is one model file plus one row here.
//!
//! ```
//! use sonogan::models::{ModelKind, REGISTRY};
//! let ae = ModelKind::Ae.info();
//! assert_eq!((ae.name, ae.label), ("ae", "AE"));
//! assert_eq!(REGISTRY.len(), ModelKind::ALL.len());
//! assert_eq!("skip-ganomaly".parse::<ModelKind>().unwrap(), ModelKind::SkipGanomaly);
//! ```

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;
use serde::{Deserialize, Serialize};

use super::config::DetectorConfig;
use super::{Detector, ModelError, ae, egbad, ganomaly, gmade, gmm, mahalanobis, skip_ganomaly};

/// How a detector learns from the training vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Training {
    /// Mini-batch gradient steps with its own optimisers ([`Detector::train_step`]).
    Gradient,
    /// Passes over the training vectors in file order that accumulate statistics in batches
    /// ([`Detector::fit_batch`], [`Detector::end_pass`]); no optimiser, no epochs setting
    /// (docs/DESIGN.md §11, §12.3).
    Passes,
}

/// One row of the registry: what the rest of the crate may know about a detector kind.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct KindInfo {
    /// The typed identity.
    pub kind: ModelKind,
    /// Serialised and command-line name, e.g. `"skip-ganomaly"`.
    pub name: &'static str,
    /// Short label for tables, file names and the page, e.g. `"Skip-GANomaly"`.
    pub label: &'static str,
    /// Longer human-readable title.
    pub title: &'static str,
    /// How it learns.
    pub training: Training,
    /// True when training uses each vector's machine ID.
    pub uses_machine_ids: bool,
    /// The learning rate of the page's quick demo preset (`None`: the model's default).
    pub quick_learning_rate: Option<f64>,
}

/// Declares the detector table; see the module documentation.
macro_rules! detectors {
    ($(
        $(#[$doc:meta])*
        $variant:ident => $module:ident :: $detector:ident ( $config:ident ) {
            name: $name:literal,
            label: $label:literal,
            title: $title:literal,
            training: $training:ident,
            uses_machine_ids: $ids:literal,
            quick_learning_rate: $quick:expr $(,)?
        }
    ),+ $(,)?) => {
        /// Which detector a model is (serialised by its registry name, e.g. `"ae"`).
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ModelKind {
            $( $(#[$doc])* #[serde(rename = $name)] $variant, )+
        }

        /// The configuration of any detector, tagged by kind:
        /// `{"kind": "ae", "input_dim": 640, ...}`.
        #[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
        #[serde(tag = "kind")]
        pub enum ModelConfig {
            $( $(#[$doc])* #[serde(rename = $name)] $variant($module::$config), )+
        }

        /// Every detector kind's row, in table order (index = `kind as usize`).
        pub static REGISTRY: &[KindInfo] = &[$(
            KindInfo {
                kind: ModelKind::$variant,
                name: $name,
                label: $label,
                title: $title,
                training: Training::$training,
                uses_machine_ids: $ids,
                quick_learning_rate: $quick,
            },
        )+];

        impl ModelKind {
            /// All kinds, in the order the tables list them.
            pub const ALL: [ModelKind; [$($name),+].len()] = [$(ModelKind::$variant),+];
        }

        impl ModelConfig {
            /// The default configuration of `kind` (docs/DESIGN.md §6, §10.5).
            pub fn default_for(kind: ModelKind) -> Self {
                match kind {
                    $( ModelKind::$variant => ModelConfig::$variant(Default::default()), )+
                }
            }

            /// Which detector this configures.
            pub fn kind(&self) -> ModelKind {
                match self {
                    $( ModelConfig::$variant(_) => ModelKind::$variant, )+
                }
            }

            /// The kind-independent view of the configuration.
            pub fn settings(&self) -> &dyn DetectorConfig {
                match self {
                    $( ModelConfig::$variant(c) => c, )+
                }
            }

            /// The kind-independent view, mutable.
            pub fn settings_mut(&mut self) -> &mut dyn DetectorConfig {
                match self {
                    $( ModelConfig::$variant(c) => c, )+
                }
            }
        }

        /// The untrained detector of a (valid) configuration.
        fn construct(config: &ModelConfig, device: &Device, seed: u64) -> Box<dyn Detector> {
            match config {
                $( ModelConfig::$variant(c) => {
                    Box::new($module::$detector::new(c.clone(), device, seed))
                } )+
            }
        }
    };
}

detectors! {
    /// The DCASE 2020 baseline autoencoder (docs/DESIGN.md §1.6).
    Ae => ae::Autoencoder(AeConfig) {
        name: "ae",
        label: "AE",
        title: "Autoencoder (DCASE baseline)",
        training: Gradient,
        uses_machine_ids: false,
        quick_learning_rate: Some(1e-2),
    },
    /// GANomaly with fully connected networks (docs/DESIGN.md §3.7).
    Ganomaly => ganomaly::Ganomaly(GanomalyConfig) {
        name: "ganomaly",
        label: "GANomaly",
        title: "GANomaly",
        training: Gradient,
        uses_machine_ids: false,
        quick_learning_rate: Some(2e-4),
    },
    /// Skip-GANomaly with a fully connected U-Net generator (docs/DESIGN.md §4.6).
    SkipGanomaly => skip_ganomaly::SkipGanomaly(SkipGanomalyConfig) {
        name: "skip-ganomaly",
        label: "Skip-GANomaly",
        title: "Skip-GANomaly",
        training: Gradient,
        uses_machine_ids: false,
        quick_learning_rate: Some(2e-3),
    },
    /// EGBAD (BiGAN) with fully connected networks (docs/DESIGN.md §5.5).
    Egbad => egbad::Egbad(EgbadConfig) {
        name: "egbad",
        label: "EGBAD",
        title: "EGBAD",
        training: Gradient,
        uses_machine_ids: false,
        quick_learning_rate: Some(1e-3),
    },
    /// Squared Mahalanobis distance under a Ledoit-Wolf Gaussian (docs/DESIGN.md §11.1).
    Mahalanobis => mahalanobis::Mahalanobis(MahalanobisConfig) {
        name: "mahalanobis",
        label: "Mahalanobis",
        title: "Mahalanobis distance (Ledoit-Wolf covariance)",
        training: Passes,
        uses_machine_ids: false,
        quick_learning_rate: None,
    },
    /// Negative log-likelihood under a diagonal Gaussian mixture (docs/DESIGN.md §11.2).
    Gmm => gmm::GaussianMixture(GmmConfig) {
        name: "gmm",
        label: "GMM",
        title: "Gaussian mixture (diagonal covariances)",
        training: Passes,
        uses_machine_ids: false,
        quick_learning_rate: None,
    },
    /// A MADE density estimator with group masks, the paper's upper bound (docs/DESIGN.md §11.3).
    Gmade => gmade::Gmade(GmadeConfig) {
        name: "gmade",
        label: "GMADE",
        title: "Group-masked autoencoder density estimator (GMADE)",
        training: Gradient,
        uses_machine_ids: true,
        quick_learning_rate: Some(1e-3),
    },
}

impl ModelKind {
    /// This kind's registry row.
    pub fn info(self) -> &'static KindInfo {
        &REGISTRY[self as usize]
    }

    /// The serialised name (`"ae"`, `"skip-ganomaly"` …).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The short label of tables, file names and the page (`"AE"`, `"Skip-GANomaly"` …).
    pub fn label(self) -> &'static str {
        self.info().label
    }

    /// A longer human-readable title.
    pub fn display_name(self) -> &'static str {
        self.info().title
    }

    /// Every kind's name, comma-separated (for help texts and errors).
    pub fn names() -> String {
        REGISTRY
            .iter()
            .map(|k| k.name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The kind whose name or label is `text` (case-insensitive), if any.
    pub fn find(text: &str) -> Option<ModelKind> {
        let text = text.trim();
        REGISTRY
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(text) || k.label.eq_ignore_ascii_case(text))
            .map(|k| k.kind)
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ModelKind {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModelKind::find(s).ok_or_else(|| ModelError::UnknownKind(s.to_string()))
    }
}

impl ModelConfig {
    /// The input vector size the model expects.
    pub fn input_dim(&self) -> usize {
        self.settings().input_dim()
    }

    /// The learning rate of the model's optimisers (`None` without one).
    pub fn learning_rate(&self) -> Option<f64> {
        self.settings().learning_rate()
    }

    /// Checks every hyper-parameter's range; the error names the first bad one.
    pub fn validate(&self) -> Result<(), ModelError> {
        match self.settings().problem() {
            None => Ok(()),
            Some(problem) => Err(ModelError::InvalidConfig {
                kind: self.kind(),
                problem,
            }),
        }
    }
}

/// Builds an untrained detector of the configured kind on `device` (plain or autodiff; training
/// uses its autodiff form), with every random choice derived from `seed`.
pub fn new_detector(
    config: &ModelConfig,
    device: &Device,
    seed: u64,
) -> Result<Box<dyn Detector>, ModelError> {
    config.validate()?;
    Ok(construct(config, device, seed))
}
