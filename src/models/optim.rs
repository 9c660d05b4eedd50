//! Adam in the two flavours the sources use (docs/DESIGN.md §1.6 Keras/TensorFlow, §3.2 PyTorch).
//!
//! burn's own Adam adds ε to the bias-corrected √v̂ (the PyTorch form). Keras 2.1.6 and
//! TensorFlow add ε to the uncorrected √v and fold the bias correction into the step size:
//! θ −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε). Both are implemented here on burn's optimiser seam.

use burn::optim::{AdaptiveMomentumState, ModuleOptimizer, Optimizer};
use burn::tensor::{Device, Tensor};

use super::settings::{AdamFlavour, AdamSettings};

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

/// Adam's step size and second-moment correction 1 − β₂ᵗ at step `t` (from 1), in f64: Keras
/// folds both bias corrections into the step size, lr·√(1−β₂ᵗ)/(1−β₁ᵗ), and ignores the second
/// value; PyTorch steps by lr/(1−β₁ᵗ) and divides v by 1 − β₂ᵗ. Shared with the fused CPU step
/// (src/models/host_mlp/adam.rs).
pub(crate) fn step_constants(
    flavour: AdamFlavour,
    beta1: f32,
    beta2: f32,
    lr: f64,
    t: i32,
) -> (f64, f64) {
    let correction1 = 1.0 - f64::from(beta1).powi(t);
    let correction2 = 1.0 - f64::from(beta2).powi(t);
    let step_size = match flavour {
        AdamFlavour::Keras => lr * correction2.sqrt() / correction1,
        AdamFlavour::Pytorch => lr / correction1,
    };
    (step_size, correction2)
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
        let (step_size, correction2) =
            step_constants(self.flavour, self.beta1, self.beta2, lr, state.time as i32);
        let moment_2 = state.moment_2.clone();
        let denominator = match self.flavour {
            AdamFlavour::Keras => moment_2.sqrt().add_scalar(self.epsilon),
            AdamFlavour::Pytorch => moment_2
                .div_scalar(correction2)
                .sqrt()
                .add_scalar(self.epsilon),
        };
        let delta = state
            .moment_1
            .clone()
            .div(denominator)
            .mul_scalar(step_size);
        (tensor.sub(delta), Some(state))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        state.to_device(device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    /// Two steps on one scalar with gradient 2, against the update rules written out by hand.
    fn two_steps(flavour: AdamFlavour) -> (Vec<f32>, Vec<f64>) {
        let settings = AdamSettings {
            lr: 0.1,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 0.1, // large, so the two ε placements differ visibly
            flavour,
        };
        let device = Device::flex();
        let adam = FlavouredAdam::new(&settings);
        let grad = || Tensor::<1>::from_data(TensorData::new(vec![2.0f32], [1]), &device);
        let theta = Tensor::<1>::from_data(TensorData::new(vec![1.0f32], [1]), &device);
        let (theta1, state) = adam.step(settings.lr, theta, grad(), None);
        let (theta2, _) = adam.step(settings.lr, theta1.clone(), grad(), state);
        let values = [theta1, theta2]
            .into_iter()
            .map(|t| t.into_data().try_to_vec::<f32>().unwrap()[0])
            .collect();

        let (b1, b2, eps, lr, g) = (0.9f64, 0.999f64, 0.1f64, 0.1f64, 2.0f64);
        let (mut m, mut v, mut theta) = (0.0, 0.0, 1.0);
        let mut expected = Vec::new();
        for t in 1..=2 {
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let (c1, c2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
            theta -= match flavour {
                AdamFlavour::Keras => lr * c2.sqrt() / c1 * m / (v.sqrt() + eps),
                AdamFlavour::Pytorch => lr * (m / c1) / ((v / c2).sqrt() + eps),
            };
            expected.push(theta);
        }
        (values, expected)
    }

    #[test]
    fn both_flavours_follow_their_update_rules() {
        for flavour in [AdamFlavour::Keras, AdamFlavour::Pytorch] {
            let (got, expected) = two_steps(flavour);
            for (g, e) in got.iter().zip(&expected) {
                assert!(
                    (f64::from(*g) - e).abs() < 1e-6,
                    "{flavour:?}: {got:?} vs {expected:?}"
                );
            }
        }
        // With ε = 0.1 the first Keras step is 0.0387, the PyTorch step 0.0952.
        assert!((two_steps(AdamFlavour::Keras).0[0] - 0.961_257).abs() < 1e-5);
        assert!((two_steps(AdamFlavour::Pytorch).0[0] - 0.904_762).abs() < 1e-5);
    }
}
