//! Per-vector and per-clip anomaly scores in inference mode (docs/DESIGN.md §1.7, §2, §7 "Test"): the
//! vectors go through the detector in chunks, and a clip's score is the mean of its vectors'
//! scores. Device reads are awaited: WebGPU cannot read synchronously, and native code blocks on
//! the same functions (docs/DESIGN.md §12).

use std::ops::Range;

use burn::tensor::{Device, Tensor, TensorData};

use super::TrainError;
use super::error::f32_values;
use crate::features::Vectors;
use crate::models::Detector;

/// Uploads `rows` (row-major, `dim` wide) as a `[n, dim]` tensor on `device`.
pub fn to_tensor(rows: Vec<f32>, dim: usize, device: &Device) -> Tensor<2> {
    let n = rows.len().checked_div(dim).unwrap_or(0);
    Tensor::from_data(TensorData::new(rows, [n, dim]), device)
}

/// The chunk boundaries for `n` vectors, `chunk` at a time (at least 1).
fn chunks(n: usize, chunk: usize) -> impl Iterator<Item = Range<usize>> {
    let chunk = chunk.max(1);
    (0..n)
        .step_by(chunk)
        .map(move |start| start..(start + chunk).min(n))
}

/// Checks that the vectors fit the detector's input.
fn check_dim(detector: &dyn Detector, dim: usize) -> Result<(), TrainError> {
    let expected = detector.config().input_dim();
    if dim != expected {
        return Err(TrainError::DimensionMismatch {
            model: detector.kind(),
            data: dim,
            expected,
        });
    }
    Ok(())
}

/// The `[n, dim]` input tensors of the row-major `rows`, `chunk` vectors each, on `device`.
fn chunk_tensors(
    rows: &[f32],
    dim: usize,
    chunk: usize,
    device: &Device,
) -> impl Iterator<Item = Tensor<2>> {
    chunks(rows.len() / dim, chunk).map(move |range| {
        to_tensor(
            rows[range.start * dim..range.end * dim].to_vec(),
            dim,
            device,
        )
    })
}

/// Per-vector scores of the row-major `rows` (`dim` wide), `chunk` vectors per forward pass.
pub async fn score_rows(
    detector: &dyn Detector,
    rows: &[f32],
    dim: usize,
    chunk: usize,
) -> Result<Vec<f32>, TrainError> {
    check_dim(detector, dim)?;
    let device = detector.device();
    let mut scores = Vec::with_capacity(rows.len() / dim);
    for x in chunk_tensors(rows, dim, chunk, &device) {
        scores.extend(f32_values(detector.score(x)?.into_data_async().await)?);
    }
    Ok(scores)
}

/// Per-vector anomaly scores of a clip's vectors (inference mode), `chunk` vectors at a time.
pub async fn score_vectors(
    detector: &dyn Detector,
    vectors: &Vectors,
    chunk: usize,
) -> Result<Vec<f32>, TrainError> {
    if vectors.is_empty() {
        return Ok(Vec::new());
    }
    score_rows(detector, &vectors.data, vectors.dim, chunk).await
}

/// The mean of `scores` in f64; `None` when empty.
pub fn mean_score(scores: &[f32]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    Some(scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64)
}

/// The clip score: the mean of the per-vector scores (docs/DESIGN.md §1.7, §10.8). Error for a clip
/// without vectors.
pub async fn clip_score(
    detector: &dyn Detector,
    vectors: &Vectors,
    chunk: usize,
) -> Result<f64, TrainError> {
    mean_score(&score_vectors(detector, vectors, chunk).await?).ok_or_else(no_vectors)
}

fn no_vectors() -> TrainError {
    TrainError::NoData("a clip without feature vectors has no score".into())
}

/// The mean score of each range of `scores` (clip scores from per-vector scores); empty ranges
/// are skipped.
pub fn range_means(scores: &[f32], ranges: &[Range<usize>]) -> Vec<f64> {
    ranges
        .iter()
        .filter_map(|r| mean_score(&scores[r.clone()]))
        .collect()
}
