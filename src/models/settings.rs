//! Settings shared by the detectors' configurations: Adam, BatchNorm, initialisation
//! (docs/DESIGN.md §1.6, §2, §3.2, §5.2, §10.5).

use serde::{Deserialize, Serialize};

/// Where Adam's ε enters the update.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AdamFlavour {
    /// Keras 2.1.6 / TensorFlow: θ −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε) (docs/DESIGN.md §1.6).
    Keras,
    /// PyTorch: θ −= lr · m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
    Pytorch,
}

/// One Adam optimiser's settings (each network gets its own optimiser with these).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(default)]
pub struct AdamSettings {
    /// Learning rate.
    pub lr: f64,
    /// First-moment decay β₁.
    pub beta1: f32,
    /// Second-moment decay β₂.
    pub beta2: f32,
    /// ε.
    pub epsilon: f32,
    /// Where ε enters the update.
    pub flavour: AdamFlavour,
}

impl AdamSettings {
    /// Keras `adam` defaults (docs/DESIGN.md §1.6): lr 1e-3, β (0.9, 0.999), ε 1e-7.
    pub fn keras_baseline() -> Self {
        Self {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
            flavour: AdamFlavour::Keras,
        }
    }

    /// GAN defaults (docs/DESIGN.md §10.5, §3.2): lr 2e-4, β (0.5, 0.999), PyTorch ε 1e-8.
    pub fn gan() -> Self {
        Self {
            lr: 2e-4,
            beta1: 0.5,
            beta2: 0.999,
            epsilon: 1e-8,
            flavour: AdamFlavour::Pytorch,
        }
    }

    /// EGBAD defaults (docs/DESIGN.md §10.5, §5.2): lr 1e-4, β₁ 0.5, TensorFlow β₂ 0.999 and ε 1e-8.
    pub fn egbad() -> Self {
        Self {
            lr: 1e-4,
            beta1: 0.5,
            beta2: 0.999,
            epsilon: 1e-8,
            flavour: AdamFlavour::Keras,
        }
    }

    pub(crate) fn check(&self, what: &str) -> Result<(), String> {
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(format!(
                "{what}: learning rate must be positive, got {}",
                self.lr
            ));
        }
        for (name, beta) in [("beta1", self.beta1), ("beta2", self.beta2)] {
            if !(0.0..1.0).contains(&beta) {
                return Err(format!("{what}: {name} must lie in [0, 1), got {beta}"));
            }
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return Err(format!(
                "{what}: epsilon must be positive, got {}",
                self.epsilon
            ));
        }
        Ok(())
    }
}

impl Default for AdamSettings {
    fn default() -> Self {
        Self::gan()
    }
}

/// BatchNorm settings in the Keras convention (docs/DESIGN.md §1.6).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(default)]
pub struct BatchNormSettings {
    /// Keras momentum: running = momentum·running + (1 − momentum)·batch. Default 0.99.
    pub momentum: f64,
    /// ε added to the variance. Default 1e-3.
    pub epsilon: f64,
}

impl Default for BatchNormSettings {
    fn default() -> Self {
        Self {
            momentum: 0.99,
            epsilon: 1e-3,
        }
    }
}

impl BatchNormSettings {
    pub(crate) fn check(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.momentum) {
            return Err(format!(
                "batch_norm.momentum must lie in [0, 1], got {}",
                self.momentum
            ));
        }
        if !(self.epsilon.is_finite() && self.epsilon > 0.0) {
            return Err(format!(
                "batch_norm.epsilon must be positive, got {}",
                self.epsilon
            ));
        }
        Ok(())
    }
}

/// Parameter initialisation (docs/DESIGN.md §2).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum InitScheme {
    /// Keras defaults: Glorot-uniform weights, zero biases, BatchNorm γ = 1, β = 0.
    #[default]
    Keras,
    /// The GAN repositories' `weights_init`: weights N(0, 0.02), zero biases,
    /// BatchNorm γ ~ N(1, 0.02), β = 0.
    GanNormal,
}
