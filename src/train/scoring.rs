//! Per-vector and per-clip anomaly scores in inference mode (docs/DESIGN.md §1.7, §2, §7 "Test"): the
//! vectors go through the detector in chunks, and a clip's score is the mean of its vectors'
//! scores. Device reads are awaited: WebGPU cannot read synchronously, and native code blocks on
//! the same functions (docs/DESIGN.md §12).

use std::ops::Range;

use burn::tensor::{Device, Tensor, TensorData};

use super::TrainError;
use super::error::f32_values;
use crate::features::VectorRows;
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

/// The machine ID of each row handed to a detector, for detectors conditioned on it
/// (docs/DESIGN.md §12.3); ignored by the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowIds<'a> {
    /// Not known (e.g. a microphone recording): conditioned detectors refuse such rows.
    Unknown,
    /// Every row has this machine-ID index.
    Same(u32),
    /// One machine-ID index per row.
    PerRow(&'a [u32]),
}

impl RowIds<'_> {
    /// The index of row `row`, if known.
    fn of(&self, row: usize) -> Option<u32> {
        match self {
            RowIds::Unknown => None,
            RowIds::Same(id) => Some(*id),
            RowIds::PerRow(ids) => ids.get(row).copied(),
        }
    }
}

/// The row-major input of a detector: `rows` (`dim` wide, `start` = index of the first row in
/// `ids`) followed by one one-hot column per machine ID when the detector is conditioned on
/// `id_count` IDs (docs/DESIGN.md §12.3).
pub fn with_machine_ids(
    rows: Vec<f32>,
    dim: usize,
    ids: RowIds<'_>,
    start: usize,
    id_count: usize,
) -> Result<Vec<f32>, TrainError> {
    if id_count == 0 {
        return Ok(rows);
    }
    let n = rows.len() / dim.max(1);
    let mut out = Vec::with_capacity(n * (dim + id_count));
    for (row, values) in rows.chunks_exact(dim).enumerate() {
        let id = ids
            .of(start + row)
            .filter(|&id| (id as usize) < id_count)
            .ok_or_else(|| {
                TrainError::MachineId(format!(
                    "the detector is conditioned on {id_count} machine IDs, but vector {} has {}",
                    start + row + 1,
                    ids.of(start + row)
                        .map_or("none".to_string(), |id| format!("ID index {id}"))
                ))
            })?;
        out.extend_from_slice(values);
        out.extend((0..id_count).map(|k| if k == id as usize { 1.0 } else { 0.0 }));
    }
    Ok(out)
}

/// The machine-ID index of `machine_id` in the detector's conditioning list (`Same(0)` for an
/// unconditioned detector, which ignores it). A conditioned detector refuses an unknown or
/// missing ID, naming the IDs it was trained on.
pub fn clip_ids(
    detector: &dyn Detector,
    machine_id: Option<&str>,
) -> Result<RowIds<'static>, TrainError> {
    let config = detector.config();
    let known = config.settings().machine_ids();
    if known.is_empty() {
        return Ok(RowIds::Same(0));
    }
    machine_id
        .and_then(|id| known.iter().position(|k| k == id))
        .map(|index| RowIds::Same(index as u32))
        .ok_or_else(|| {
            TrainError::MachineId(format!(
                "{} is conditioned on the machine ID and was trained on {}; this clip has {}",
                detector.kind().label(),
                known.join(", "),
                machine_id.map_or(
                    "no machine ID (name it like id_00_….wav)".to_string(),
                    |id| format!("'{id}'")
                )
            ))
        })
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

/// Per-vector scores of rows `range` of `rows`, `chunk` vectors per forward pass (only one
/// chunk is ever copied, docs/DESIGN.md §13.1), with each row's machine ID for conditioned
/// detectors (`ids` counts from `range.start`).
pub async fn score_rows(
    detector: &dyn Detector,
    rows: &dyn VectorRows,
    range: Range<usize>,
    ids: RowIds<'_>,
    chunk: usize,
) -> Result<Vec<f32>, TrainError> {
    let dim = rows.dim();
    check_dim(detector, dim)?;
    let device = detector.device();
    let id_count = detector.config().settings().machine_ids().len();
    let mut scores = Vec::with_capacity(range.len());
    for part in chunks(range.len(), chunk) {
        let mut values = Vec::with_capacity(part.len() * dim);
        rows.extend_rows(
            range.start + part.start..range.start + part.end,
            &mut values,
        );
        let input = with_machine_ids(values, dim, ids, part.start, id_count)?;
        let x = to_tensor(input, dim + id_count, &device);
        scores.extend(f32_values(detector.score(x)?.into_data_async().await)?);
    }
    Ok(scores)
}

/// Per-vector anomaly scores of a clip's vectors (inference mode), `chunk` vectors at a time;
/// `machine_id` (e.g. `"id_00"`) is needed by detectors conditioned on it.
pub async fn score_vectors(
    detector: &dyn Detector,
    vectors: &dyn VectorRows,
    machine_id: Option<&str>,
    chunk: usize,
) -> Result<Vec<f32>, TrainError> {
    if vectors.is_empty() {
        return Ok(Vec::new());
    }
    let ids = clip_ids(detector, machine_id)?;
    score_rows(detector, vectors, 0..vectors.len(), ids, chunk).await
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
    vectors: &dyn VectorRows,
    machine_id: Option<&str>,
    chunk: usize,
) -> Result<f64, TrainError> {
    mean_score(&score_vectors(detector, vectors, machine_id, chunk).await?).ok_or_else(no_vectors)
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
