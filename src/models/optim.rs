//! Adam in the two flavours the sources use (spec §1.6 Keras/TensorFlow, §3.2 PyTorch).
//!
//! burn's own Adam adds ε to the bias-corrected √v̂ (the PyTorch form). Keras 2.1.6 and
//! TensorFlow add ε to the uncorrected √v and fold the bias correction into the step size:
//! θ −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε). Both are implemented here on burn's optimiser seam.

use burn::optim::{AdaptiveMomentumState, ModuleOptimizer, Optimizer};
use burn::tensor::{Device, Tensor};

use super::config::{AdamFlavour, AdamSettings};

/// Adam with a selectable ε placement.
#[derive(Clone, Debug)]
pub struct FlavouredAdam {
    beta1: f32,
    beta2: f32,
    epsilon: f32,
    flavour: AdamFlavour,
}

impl FlavouredAdam {
    /// The optimiser described by `settings` (the learning rate is passed per step).
    pub fn new(settings: &AdamSettings) -> Self {
        Self {
            beta1: settings.beta1,
            beta2: settings.beta2,
            epsilon: settings.epsilon,
            flavour: settings.flavour,
        }
    }

    /// A whole-module optimiser (one per network).
    pub fn module_optimizer(settings: &AdamSettings) -> ModuleOptimizer {
        ModuleOptimizer::from(Self::new(settings))
    }

    fn updated_moments<const D: usize>(
        &self,
        grad: Tensor<D>,
        state: Option<AdaptiveMomentumState<D>>,
    ) -> AdaptiveMomentumState<D> {
        let g1 = grad.clone().mul_scalar(1.0 - self.beta1);
        let g2 = grad.square().mul_scalar(1.0 - self.beta2);
        match state {
            Some(previous) => AdaptiveMomentumState {
                time: previous.time + 1,
                moment_1: previous.moment_1.mul_scalar(self.beta1).add(g1),
                moment_2: previous.moment_2.mul_scalar(self.beta2).add(g2),
                max_moment_2: None,
            },
            None => AdaptiveMomentumState {
                time: 1,
                moment_1: g1,
                moment_2: g2,
                max_moment_2: None,
            },
        }
    }
}

impl Optimizer for FlavouredAdam {
    type State<const D: usize> = AdaptiveMomentumState<D>;

    fn step<const D: usize>(
        &self,
        lr: f64,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        let state = self.updated_moments(grad, state);
        let t = state.time as i32;
        let correction1 = 1.0 - (self.beta1 as f64).powi(t);
        let correction2 = 1.0 - (self.beta2 as f64).powi(t);
        let delta = match self.flavour {
            AdamFlavour::Keras => {
                let lr_t = lr * correction2.sqrt() / correction1;
                let denominator = state.moment_2.clone().sqrt().add_scalar(self.epsilon);
                state.moment_1.clone().div(denominator).mul_scalar(lr_t)
            }
            AdamFlavour::Pytorch => {
                let denominator = state
                    .moment_2
                    .clone()
                    .div_scalar(correction2)
                    .sqrt()
                    .add_scalar(self.epsilon);
                state
                    .moment_1
                    .clone()
                    .div(denominator)
                    .mul_scalar(lr / correction1)
            }
        };
        (tensor.sub(delta), Some(state))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        state.to_device(device)
    }
}
