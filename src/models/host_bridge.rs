//! Moves the autoencoder's weights between its burn network and the host trainer of
//! host_mlp.rs (docs/DESIGN.md §13.8): read once when training starts on the flex CPU device,
//! copied back into a burn network when scoring, saving or a step observer first reads it after
//! a step.

use burn::module::{Param, RunningState};
use burn::nn::Linear;
use burn::tensor::{Device, Tensor, TensorData};

use super::ModelError;
use super::ae::AeNet;
use super::blocks::{BatchNorm, Blk};
use super::host_mlp::{HostLayer, HostMlp, HostNorm, Trainable};
use super::settings::AdamSettings;
use super::weights::read_f32;

/// A host trainer holding `net`'s current weights, or `None` when the network has a part the
/// host step does not implement (a linear latent layer, an output scale, a Dense without bias).
pub(crate) fn host_trainer(
    net: &AeNet,
    adam: &AdamSettings,
) -> Result<Option<HostMlp>, ModelError> {
    let (encoder, decoder) = (&net.encoder, &net.decoder);
    let (Some(latent), None, None) = (
        &encoder.latent_block,
        &encoder.latent_linear,
        &decoder.feature_scale,
    ) else {
        return Ok(None);
    };
    let blocks = encoder.hidden.blocks.iter();
    let blocks = blocks.chain([latent]).chain(&decoder.hidden.blocks);
    let mut layers = Vec::new();
    for block in blocks {
        let Some(layer) = dense_layer(&block.linear, Some(host_norm(&block.norm)?))? else {
            return Ok(None);
        };
        layers.push(layer);
    }
    let Some(output) = dense_layer(&decoder.output, None)? else {
        return Ok(None);
    };
    layers.push(output);
    Ok(HostMlp::new(layers, *adam).ok())
}

/// A copy of `net` holding the host trainer's weights and running statistics (parameter
/// identities kept; `net` itself is left as it is).
pub(crate) fn write_back(net: &AeNet, host: &HostMlp, device: &Device) -> AeNet {
    let mut layers = host.layers.iter();
    let mut next = || {
        layers
            .next()
            .expect("host_trainer built one layer per block")
    };
    let mut net = AeNet {
        encoder: net.encoder.clone(),
        decoder: net.decoder.clone(),
    };
    for block in &mut net.encoder.hidden.blocks {
        *block = written_blk(block, next(), device);
    }
    if let Some(latent) = &mut net.encoder.latent_block {
        *latent = written_blk(latent, next(), device);
    }
    for block in &mut net.decoder.hidden.blocks {
        *block = written_blk(block, next(), device);
    }
    net.decoder.output = written_linear(&net.decoder.output, next());
    net
}

fn values<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, ModelError> {
    read_f32(tensor.inner().try_into_data())
}

fn dense_layer(linear: &Linear, norm: Option<HostNorm>) -> Result<Option<HostLayer>, ModelError> {
    let Some(bias) = &linear.bias else {
        return Ok(None);
    };
    let [d_in, d_out] = linear.weight.val().dims();
    Ok(Some(HostLayer {
        d_in,
        d_out,
        weight: Trainable::new(values(linear.weight.val())?),
        bias: Trainable::new(values(bias.val())?),
        norm,
    }))
}

fn host_norm(norm: &BatchNorm) -> Result<HostNorm, ModelError> {
    Ok(HostNorm {
        gamma: Trainable::new(values(norm.gamma.val())?),
        beta: Trainable::new(values(norm.beta.val())?),
        running_mean: values(norm.running_mean.value_sync())?,
        running_var: values(norm.running_var.value_sync())?,
        momentum: norm.momentum,
        epsilon: norm.epsilon,
    })
}

fn written_blk(block: &Blk, layer: &HostLayer, device: &Device) -> Blk {
    let host = layer
        .norm
        .as_ref()
        .expect("every block's layer has its BatchNorm");
    let norm = &block.norm;
    let running = |values: &[f32]| RunningState::new(tensor(values, [values.len()], device));
    Blk {
        linear: written_linear(&block.linear, layer),
        norm: BatchNorm {
            gamma: replaced(&norm.gamma, &host.gamma.value),
            beta: replaced(&norm.beta, &host.beta.value),
            running_mean: running(&host.running_mean),
            running_var: running(&host.running_var),
            momentum: norm.momentum,
            epsilon: norm.epsilon,
        },
    }
}

fn written_linear(linear: &Linear, layer: &HostLayer) -> Linear {
    Linear {
        weight: replaced(&linear.weight, &layer.weight.value),
        bias: linear
            .bias
            .as_ref()
            .map(|bias| replaced(bias, &layer.bias.value)),
    }
}

fn tensor<const D: usize>(values: &[f32], shape: [usize; D], device: &Device) -> Tensor<D> {
    Tensor::from_data(TensorData::new(values.to_vec(), shape), device)
}

/// `param` (same id, same autodiff and gradient flags) holding `values`.
fn replaced<const D: usize>(param: &Param<Tensor<D>>, values: &[f32]) -> Param<Tensor<D>> {
    param.clone().map(|old| {
        let (autodiff, require_grad) = (old.is_autodiff(), old.is_require_grad());
        let fresh = tensor(values, old.dims(), &old.device().inner());
        match autodiff {
            true => fresh.autodiff().set_require_grad(require_grad),
            false => fresh,
        }
    })
}
