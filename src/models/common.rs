//! Logic the detectors share: checking a step's batches, reading a weight file into fresh
//! networks, and the discriminator re-initialisation of the two GANomaly variants.

use burn::module::Module;
use burn::tensor::Tensor;

use super::blocks::merge_running_statistics;
use super::ema::overwrite_with;
use super::weights::{WeightTable, trainable_values};
use super::{ModelError, ModelKind, check_input, unknown_network};

/// The batches of one training step, checked: exactly `N` of them, each `[n ≥ 1, input_dim]`.
pub(crate) fn step_batches<const N: usize>(
    kind: ModelKind,
    batches: &[Tensor<2>],
    input_dim: usize,
) -> Result<&[Tensor<2>; N], ModelError> {
    let batches: &[Tensor<2>; N] = batches.try_into().map_err(|_| ModelError::BatchCount {
        kind,
        expected: N,
        got: batches.len(),
    })?;
    for batch in batches {
        check_input(batch, input_dim, 1)?;
    }
    Ok(batches)
}

/// Checks that a pass-fitted detector's batch is whole `dim`-wide rows.
pub(crate) fn check_rows(kind: ModelKind, rows: &[f32], dim: usize) -> Result<(), ModelError> {
    match rows.len().is_multiple_of(dim) {
        true => Ok(()),
        false => Err(ModelError::Fit {
            kind,
            problem: format!("{} values are not whole {dim}-wide rows", rows.len()),
        }),
    }
}

/// Parses a weight file, lets `load` move its entries into fresh networks, and fails if
/// entries remain that no network consumed.
pub(crate) fn load_weight_file<T>(
    bytes: &[u8],
    load: impl FnOnce(&mut WeightTable) -> Result<T, ModelError>,
) -> Result<T, ModelError> {
    let mut table = WeightTable::parse(bytes)?;
    let loaded = load(&mut table)?;
    table.ensure_consumed()?;
    Ok(loaded)
}

/// The trainable values of network "G" or "D" of a generator / discriminator pair.
pub(crate) fn pair_parameter_values<G: Module, D: Module>(
    kind: ModelKind,
    network: &str,
    generator: &G,
    discriminator: &D,
) -> Result<Vec<f32>, ModelError> {
    match network {
        "G" => trainable_values(&generator.valid()),
        "D" => trainable_values(&discriminator.valid()),
        other => Err(unknown_network(kind, other, &["G", "D"])),
    }
}

/// Whether the read losses show a collapsed discriminator: L_D ("D") below `threshold`
/// (docs/DESIGN.md §3.2, §4.2).
pub(crate) fn discriminator_collapsed(losses: &[(String, f32)], threshold: f64) -> bool {
    losses
        .iter()
        .any(|(name, value)| name == "D" && f64::from(*value) < threshold)
}

/// `current` with the weights of `fresh`, keeping parameter identities (and so the Adam
/// state). Pending running-statistic updates are merged first so they cannot overwrite the
/// reset.
pub(crate) fn reset_weights<M: Module>(current: &M, fresh: &M) -> M {
    merge_running_statistics(current);
    overwrite_with(current.clone(), &fresh.valid())
}
