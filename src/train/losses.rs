//! Reading a step's losses back from the device: all loss tensors joined, one read.

use burn::tensor::Tensor;

use super::TrainError;
use super::error::f32_values;
use crate::models::StepLosses;

/// Pairs loss names with their downloaded values.
fn name_values(names: Vec<String>, values: Vec<f32>) -> Result<Vec<(String, f32)>, TrainError> {
    if names.len() != values.len() {
        return Err(TrainError::Read(format!(
            "{} losses but {} values",
            names.len(),
            values.len()
        )));
    }
    Ok(names.into_iter().zip(values).collect())
}

/// Concatenates the `[1]` loss tensors so one read fetches them all.
fn split_losses(losses: StepLosses) -> (Vec<String>, Option<Tensor<1>>) {
    let (names, tensors): (Vec<String>, Vec<Tensor<1>>) = losses.into_iter().unzip();
    let joined = (!tensors.is_empty()).then(|| Tensor::cat(tensors, 0));
    (names, joined)
}

/// Reads a step's losses with one asynchronous device read.
pub(super) async fn read_losses(losses: StepLosses) -> Result<Vec<(String, f32)>, TrainError> {
    let (names, joined) = split_losses(losses);
    match joined {
        Some(t) => name_values(names, f32_values(t.into_data_async().await)?),
        None => Ok(Vec::new()),
    }
}
