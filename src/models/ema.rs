//! Exponential moving average of weights (EGBAD, docs/DESIGN.md §5.2 and §10.5).
//!
//! Like `tf.train.ExponentialMovingAverage` applied to the trainable variables: after every
//! update, shadow = decay·shadow + (1 − decay)·weight, starting from the initial weights.
//! BatchNorm running statistics are not trainable variables, so the shadow network simply
//! uses the live ones (TensorFlow's EMA getter falls back to the variable itself).

use std::collections::HashMap;

use burn::module::{Module, ModuleMapper, Param};
use burn::tensor::Tensor;

use super::weights::{is_running_statistic, named_tensors};

/// Returns `shadow` moved towards `live` (a `valid()` copy of the trained network, same
/// architecture; plain tensors): trainable tensors are averaged with `decay`, running statistics copied.
pub(crate) fn ema_update<M: Module>(shadow: M, live: &M, decay: f64) -> M {
    let live_tensors = named_tensors(live)
        .into_iter()
        .map(|(name, _, flat)| (name, flat))
        .collect();
    let mut mapper = EmaMapper {
        path: Vec::new(),
        live: live_tensors,
        decay,
    };
    shadow.map(&mut mapper)
}

struct EmaMapper {
    path: Vec<String>,
    live: HashMap<String, Tensor<1>>,
    decay: f64,
}

impl ModuleMapper for EmaMapper {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let name = format!("/{}", self.path.join("."));
        // Same architecture by construction: every shadow tensor has a live counterpart.
        let Some(live_flat) = self.live.remove(&name) else {
            return param;
        };
        let decay = self.decay;
        let running = is_running_statistic(&name);
        param.map(|shadow| {
            let autodiff = shadow.is_autodiff();
            let require_grad = shadow.is_require_grad();
            let shadow = shadow.inner();
            let live = live_flat.inner().reshape(shadow.dims());
            let value = match running || decay == 0.0 {
                true => live,
                false => shadow.mul_scalar(decay).add(live.mul_scalar(1.0 - decay)),
            };
            // A fresh leaf: never a node of some graph (it would be consumed by a backward).
            match autodiff {
                true => value.autodiff().set_require_grad(require_grad),
                false => value,
            }
        })
    }
}

/// Returns `target` holding the values of `source` (a `valid()` copy of the same architecture),
/// keeping `target`'s parameter identities: the decay-0 case of [`ema_update`], used to
/// re-initialise a network in place.
pub(crate) fn overwrite_with<M: Module>(target: M, source: &M) -> M {
    ema_update(target, source, 0.0)
}
