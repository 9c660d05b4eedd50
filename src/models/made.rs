//! MADE with group masks (docs/DESIGN.md §11.3): a masked fully connected network whose
//! outputs for group g (a stacked frame) depend only on the groups before g in an ordering,
//! predicting a Gaussian mean and log-variance per input dimension. The masks are constants
//! derived from the configuration (never stored); the weights are shared by every ordering, so
//! several orderings form an ensemble (Germain et al. 2015, order-agnostic training).

use burn::module::{Module, RunningState};
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::blocks::ParamInit;

/// Bounds of the predicted log-variance (standardised units): keeps e^(−s) finite early in
/// training without limiting a fitted model (σ from 0.018 to 55).
const LOG_VAR_RANGE: (f32, f32) = (-8.0, 8.0);

/// Floor on a dimension's variance when fitting the input standardisation.
const MIN_VARIANCE: f64 = 1e-6;

/// The sizes of a MADE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MadeShape {
    /// Feature dimensions (640).
    pub input_dim: usize,
    /// Autoregressive groups (5 stacked frames).
    pub groups: usize,
    /// Width of each hidden layer.
    pub hidden_dim: usize,
    /// Number of hidden layers (≥ 1).
    pub hidden_layers: usize,
    /// One-hot conditioning columns after the features (machine IDs; 0 = unconditioned).
    pub context_dim: usize,
}

/// The mask of every layer for one group ordering, as `[d_in, d_out]` 0/1 tensors.
#[derive(Debug, Clone)]
pub struct Masks {
    /// Input (features + context) → first hidden layer, then hidden → hidden.
    pub hidden: Vec<Tensor<2>>,
    /// Last hidden layer → outputs (shared by the mean and log-variance heads).
    pub output: Tensor<2>,
}

/// Per-dimension standardisation `(x − μ)/σ`, fitted once from the first training batch and
/// stored as running statistics (so the model file carries it); `σ² = 0` marks "not fitted".
#[derive(Module, Debug)]
pub struct DimScale {
    /// μ, `[p]`.
    pub running_mean: RunningState<Tensor<1>>,
    /// σ², `[p]`; 0 until fitted.
    pub running_var: RunningState<Tensor<1>>,
}

impl DimScale {
    fn new(dim: usize, device: &Device) -> Self {
        Self {
            running_mean: RunningState::new(Tensor::zeros([dim], device)),
            running_var: RunningState::new(Tensor::zeros([dim], device)),
        }
    }

    /// Fits μ and σ² from `x` (`[n, p]`) unless already fitted; no host read.
    pub fn fit_once(&self, x: &Tensor<2>) {
        let x = x.clone().detach();
        let device = x.device();
        let mean = x.clone().mean_dim(0);
        let var = x
            .sub(mean.clone())
            .square()
            .mean_dim(0)
            .clamp_min(MIN_VARIANCE);
        let old_mean = self.running_mean.value_sync().to_device(&device);
        let old_var = self.running_var.value_sync().to_device(&device);
        let fitted = old_var.clone().greater_elem(0.0);
        let mean = mean.squeeze_dim::<1>(0);
        let var = var.squeeze_dim::<1>(0);
        self.running_mean
            .update(mean.mask_where(fitted.clone(), old_mean).detach());
        self.running_var
            .update(var.mask_where(fitted, old_var).detach());
    }

    /// `(x − μ)/σ` (identity while unfitted).
    pub fn normalise(&self, x: Tensor<2>) -> Tensor<2> {
        let device = x.device();
        let mean = self.running_mean.value_sync().to_device(&device);
        let var = self.running_var.value_sync().to_device(&device);
        let unfitted = var.clone().equal_elem(0.0);
        let std = var.mask_fill(unfitted, 1.0).sqrt();
        x.sub(mean.unsqueeze::<2>()).div(std.unsqueeze::<2>())
    }
}

/// The MADE network: masked hidden layers and two masked heads, plus an unmasked path from the
/// context to the outputs so that even the first group can depend on the machine ID.
#[derive(Module, Debug)]
pub struct MadeNet {
    /// Input standardisation.
    pub scale: DimScale,
    /// Hidden layers (the first takes features + context).
    pub hidden: Vec<Linear>,
    /// Mean head, hidden → p.
    pub mean_head: Linear,
    /// Log-variance head, hidden → p.
    pub log_var_head: Linear,
    /// Context → 2p (mean and log-variance offsets), when conditioned.
    pub context: Option<Linear>,
}

impl MadeNet {
    /// A freshly initialised network.
    pub fn new(shape: MadeShape, init: &mut ParamInit, device: &Device) -> Self {
        let first = shape.input_dim + shape.context_dim;
        let hidden = (0..shape.hidden_layers)
            .map(|l| {
                init.linear(
                    if l == 0 { first } else { shape.hidden_dim },
                    shape.hidden_dim,
                    device,
                )
            })
            .collect();
        Self {
            scale: DimScale::new(shape.input_dim, device),
            hidden,
            mean_head: init.linear(shape.hidden_dim, shape.input_dim, device),
            log_var_head: init.linear(shape.hidden_dim, shape.input_dim, device),
            context: (shape.context_dim > 0)
                .then(|| init.linear(shape.context_dim, 2 * shape.input_dim, device)),
        }
    }

    /// `(x̃, μ, s)`: the standardised features of `input` (`[n, p + context]`) and the
    /// predicted means and log-variances of every dimension under `masks`.
    pub fn forward(
        &self,
        input: Tensor<2>,
        masks: &Masks,
        p: usize,
    ) -> (Tensor<2>, Tensor<2>, Tensor<2>) {
        let [n, width] = input.dims();
        let features = self.scale.normalise(input.clone().slice([0..n, 0..p]));
        let context = (width > p).then(|| input.slice([0..n, p..width]));
        let mut h = match &context {
            Some(c) => Tensor::cat(vec![features.clone(), c.clone()], 1),
            None => features.clone(),
        };
        for (layer, mask) in self.hidden.iter().zip(&masks.hidden) {
            h = relu(masked(layer, h, mask));
        }
        let mut mean = masked(&self.mean_head, h.clone(), &masks.output);
        let mut log_var = masked(&self.log_var_head, h, &masks.output);
        if let (Some(path), Some(c)) = (&self.context, context) {
            let offsets = path.forward(c);
            mean = mean.add(offsets.clone().slice([0..n, 0..p]));
            log_var = log_var.add(offsets.slice([0..n, p..2 * p]));
        }
        (
            features,
            mean,
            log_var.clamp(LOG_VAR_RANGE.0, LOG_VAR_RANGE.1),
        )
    }
}

/// `x·(W ⊙ M) + b`.
fn masked(layer: &Linear, x: Tensor<2>, mask: &Tensor<2>) -> Tensor<2> {
    let weight = layer.weight.val().mul(mask.clone());
    let out = x.matmul(weight);
    match &layer.bias {
        Some(bias) => out.add(bias.val().unsqueeze::<2>()),
        None => out,
    }
}

/// Per-dimension Gaussian negative log-likelihood `½·[(x − μ)²·e^(−s) + s + ln 2π]`, `[n, p]`.
pub fn gaussian_nll(x: Tensor<2>, mean: Tensor<2>, log_var: Tensor<2>) -> Tensor<2> {
    let squared = x.sub(mean).square();
    squared
        .mul(log_var.clone().neg().exp())
        .add(log_var)
        .add_scalar((2.0 * std::f64::consts::PI).ln())
        .mul_scalar(0.5)
}

/// The group degrees 1..=G of the features under `ordering` (a permutation of the groups):
/// every input of group g gets degree `ordering[g] + 1`.
pub fn input_degrees(shape: &MadeShape, ordering: &[usize]) -> Vec<usize> {
    let per_group = shape.input_dim / shape.groups;
    (0..shape.input_dim)
        .map(|d| ordering[(d / per_group).min(shape.groups - 1)] + 1)
        .collect()
}

/// The group orderings of an ensemble of `count`: the natural order first, then seeded
/// permutations.
pub fn orderings(groups: usize, count: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|i| {
            let mut order: Vec<usize> = (0..groups).collect();
            if i > 0 {
                order.shuffle(&mut rng);
            }
            order
        })
        .collect()
}

/// The masks of one ordering (docs/DESIGN.md §11.3): hidden degrees cycle through 1..G−1 (the
/// cycle starts at the layer's index so layers differ); a unit sees inputs of degree ≤ its own,
/// an output of degree g sees units of degree < g; context columns reach every hidden unit.
pub fn masks(shape: &MadeShape, ordering: &[usize], device: &Device) -> Masks {
    let g = shape.groups.max(2);
    let inputs = input_degrees(shape, ordering);
    let hidden_degrees: Vec<Vec<usize>> = (0..shape.hidden_layers)
        .map(|l| {
            (0..shape.hidden_dim)
                .map(|k| (k + l) % (g - 1) + 1)
                .collect()
        })
        .collect();
    let mut hidden = Vec::with_capacity(shape.hidden_layers);
    let mut previous: Vec<usize> = inputs
        .iter()
        .copied()
        .chain(std::iter::repeat_n(0, shape.context_dim))
        .collect();
    for degrees in &hidden_degrees {
        hidden.push(mask_tensor(
            &previous,
            degrees,
            |from, to| to >= from,
            device,
        ));
        previous = degrees.clone();
    }
    let output = mask_tensor(&previous, &inputs, |from, to| to > from, device);
    Masks { hidden, output }
}

/// A `[from.len(), to.len()]` 0/1 tensor: 1 where `connects(from degree, to degree)`.
fn mask_tensor(
    from: &[usize],
    to: &[usize],
    connects: impl Fn(usize, usize) -> bool,
    device: &Device,
) -> Tensor<2> {
    let values: Vec<f32> = from
        .iter()
        .flat_map(|&a| to.iter().map(move |&b| (a, b)))
        .map(|(a, b)| if connects(a, b) { 1.0 } else { 0.0 })
        .collect();
    Tensor::from_data(TensorData::new(values, [from.len(), to.len()]), device)
}
