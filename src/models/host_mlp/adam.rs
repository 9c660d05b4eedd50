//! Adam's update on the host trainer's parameters, in both flavours of src/models/optim.rs
//! (docs/DESIGN.md §1.6 Keras, §3.2 PyTorch).

use super::Trainable;
use crate::models::optim::step_constants;
use crate::models::settings::{AdamFlavour, AdamSettings};

/// One Adam update's constants, in either flavour (the rules of src/models/optim.rs).
pub(super) struct AdamStep {
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    flavour: AdamFlavour,
    /// Keras: lr·√(1−β₂ᵗ)/(1−β₁ᵗ); PyTorch: lr/(1−β₁ᵗ).
    step_size: f32,
    /// 1 − β₂ᵗ (PyTorch's second-moment correction).
    correction2: f32,
}

impl AdamStep {
    pub(super) fn new(settings: &AdamSettings, lr: f64, time: i32) -> Self {
        let (beta1, beta2) = (settings.beta1, settings.beta2);
        let (step_size, correction2) = step_constants(settings.flavour, beta1, beta2, lr, time);
        Self {
            beta1: settings.beta1,
            beta2: settings.beta2,
            epsilon: settings.epsilon,
            flavour: settings.flavour,
            step_size: step_size as f32,
            correction2: correction2 as f32,
        }
    }

    /// Moves `p` one step along its gradient, updating its moments.
    #[inline(always)]
    pub(super) fn apply(&self, p: &mut Trainable) {
        let (b1, b2, eps, size) = (self.beta1, self.beta2, self.epsilon, self.step_size);
        let moments = p.moment_1.iter_mut().zip(p.moment_2.iter_mut());
        for ((value, &g), (m, v)) in p.value.iter_mut().zip(&p.grad).zip(moments) {
            *m = *m * b1 + g * (1.0 - b1);
            *v = *v * b2 + g * g * (1.0 - b2);
            let denominator = match self.flavour {
                AdamFlavour::Keras => v.sqrt() + eps,
                AdamFlavour::Pytorch => (*v / self.correction2).sqrt() + eps,
            };
            *value -= *m / denominator * size;
        }
    }
}
