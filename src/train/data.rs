//! The training vectors: per-clip vectors concatenated in file order (docs/DESIGN.md §1.5) and split into a
//! training head and a held-out validation tail (Keras `validation_split`, docs/DESIGN.md §1.6, §10.11).

use std::ops::Range;

use super::TrainError;
use crate::features::Vectors;

/// All vectors of one training run in one row-major buffer, with the clip boundaries kept so
/// that held-out and training clips can be scored per clip later.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingData {
    dim: usize,
    vectors: Vec<f32>,
    clip_lengths: Vec<usize>,
    split_at: usize,
    /// Each vector's machine-ID index (docs/DESIGN.md §12.3); empty when the run has none.
    row_ids: Vec<u32>,
}

impl TrainingData {
    /// Concatenates the clips in the given (file-sorted) order, consuming them one by one so the
    /// peak memory stays near one copy, and holds out the last `validation_split` of the vectors:
    /// `split_at = floor(N · (1 − validation_split))` (Keras `int(N·(1−0.1))`). Clips without
    /// vectors are kept as empty clips. Errors: no vectors at all, clips of different dimensions,
    /// a clip whose length is not a multiple of its dimension, a NaN or infinite value, a split
    /// outside [0, 1).
    pub fn from_clips(clips: Vec<Vectors>, validation_split: f64) -> Result<Self, TrainError> {
        if !(0.0..1.0).contains(&validation_split) {
            return Err(TrainError::InvalidConfig(format!(
                "validation_split must be in [0, 1), got {validation_split}"
            )));
        }
        let clip_count = clips.len();
        let total: usize = clips.iter().map(|c| c.data.len()).sum();
        let mut dim = 0;
        let mut vectors = Vec::with_capacity(total);
        let mut clip_lengths = Vec::with_capacity(clip_count);
        for (index, clip) in clips.into_iter().enumerate() {
            check_clip_shape(&clip, index, clip_count, &mut dim)?;
            clip_lengths.push(clip.len());
            vectors.extend_from_slice(&clip.data);
        }
        let len = vectors.len().checked_div(dim).unwrap_or(0);
        if len == 0 {
            return Err(TrainError::NoData(format!(
                "{clip_count} clips gave no feature vectors"
            )));
        }
        let split_at = (len as f64 * (1.0 - validation_split)).floor() as usize;
        Ok(Self {
            dim,
            vectors,
            clip_lengths,
            split_at,
            row_ids: Vec::new(),
        })
    }

    /// Attaches each clip's machine-ID index (one per clip, in clip order) to its vectors, for
    /// detectors conditioned on the machine ID (docs/DESIGN.md §12.3).
    pub fn with_machine_ids(mut self, clip_ids: &[u32]) -> Result<Self, TrainError> {
        if clip_ids.len() != self.clip_count() {
            return Err(TrainError::InvalidData(format!(
                "{} machine IDs for {} clips",
                clip_ids.len(),
                self.clip_count()
            )));
        }
        self.row_ids = self
            .clip_lengths
            .iter()
            .zip(clip_ids)
            .flat_map(|(&len, &id)| std::iter::repeat_n(id, len))
            .collect();
        Ok(self)
    }

    /// True when the vectors carry machine IDs.
    pub fn has_machine_ids(&self) -> bool {
        !self.row_ids.is_empty()
    }

    /// The machine-ID indices of vectors `range` (empty without IDs).
    pub fn ids(&self, range: Range<usize>) -> &[u32] {
        match self.has_machine_ids() {
            true => &self.row_ids[range],
            false => &[],
        }
    }

    /// The machine-ID indices of the vectors with the given indices (empty without IDs).
    pub fn gather_ids(&self, indices: &[u32]) -> Vec<u32> {
        match self.has_machine_ids() {
            true => indices.iter().map(|&i| self.row_ids[i as usize]).collect(),
            false => Vec::new(),
        }
    }

    /// Length of one vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of vectors, training and validation together.
    pub fn len(&self) -> usize {
        self.vectors.len() / self.dim
    }

    /// Always false: construction refuses empty data.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of vectors trained on (the head, indices `0..train_len()`).
    pub fn train_len(&self) -> usize {
        self.split_at
    }

    /// Number of held-out vectors (the tail, indices `train_len()..len()`).
    pub fn validation_len(&self) -> usize {
        self.len() - self.split_at
    }

    /// Number of clips, including clips without vectors.
    pub fn clip_count(&self) -> usize {
        self.clip_lengths.len()
    }

    /// Vector `i` (over the whole buffer).
    pub fn row(&self, i: usize) -> &[f32] {
        &self.vectors[i * self.dim..(i + 1) * self.dim]
    }

    /// Vectors `range` as one row-major slice.
    pub fn rows(&self, range: Range<usize>) -> &[f32] {
        &self.vectors[range.start * self.dim..range.end * self.dim]
    }

    /// Copies the rows with the given indices, in that order, into one row-major buffer.
    pub fn gather(&self, indices: &[u32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(indices.len() * self.dim);
        for &i in indices {
            out.extend_from_slice(self.row(i as usize));
        }
        out
    }

    /// The vector range of every clip, in file order.
    pub fn clip_ranges(&self) -> Vec<Range<usize>> {
        let mut start = 0;
        self.clip_lengths
            .iter()
            .map(|&len| {
                let range = start..start + len;
                start += len;
                range
            })
            .collect()
    }

    /// The validation clips: for every clip with at least one held-out vector, the range of its
    /// held-out vectors RELATIVE to the start of the validation tail. The first one may be the
    /// held-out part of a clip that is partly trained on.
    pub fn validation_clip_ranges(&self) -> Vec<Range<usize>> {
        self.clip_ranges()
            .into_iter()
            .filter(|r| r.end > self.split_at)
            .map(|r| r.start.max(self.split_at) - self.split_at..r.end - self.split_at)
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// The training clips: for every clip with at least one trained-on vector, the range of its
    /// trained-on vectors (absolute; they all lie in `0..train_len()`). The last one may be
    /// the trained-on part of a clip that is partly held out.
    pub fn training_clip_ranges(&self) -> Vec<Range<usize>> {
        self.clip_ranges()
            .into_iter()
            .filter(|r| r.start < self.split_at && !r.is_empty())
            .map(|r| r.start..r.end.min(self.split_at))
            .collect()
    }

    /// FNV-1a 64 over the dimension (u64 LE) and the little-endian bytes of every vector element,
    /// training and validation: identifies the exact training data in the model file.
    pub fn content_hash(&self) -> u64 {
        let mut hash = crate::store::Fnv1a64::new();
        hash.update(&(self.dim as u64).to_le_bytes());
        for value in &self.vectors {
            hash.update(&value.to_le_bytes());
        }
        hash.finish()
    }
}

/// Checks a clip's length against its own dimension and the run's dimension (`dim`, 0 until the
/// first clip with vectors fixes it), and that every value is finite.
fn check_clip_shape(
    clip: &Vectors,
    index: usize,
    count: usize,
    dim: &mut usize,
) -> Result<(), TrainError> {
    if clip.data.is_empty() {
        return Ok(());
    }
    if clip.dim == 0 || !clip.data.len().is_multiple_of(clip.dim) {
        return Err(TrainError::InvalidData(format!(
            "clip {} of {count} has {} values, not a multiple of its dimension {}",
            index + 1,
            clip.data.len(),
            clip.dim
        )));
    }
    if *dim == 0 {
        *dim = clip.dim;
    } else if clip.dim != *dim {
        return Err(TrainError::InvalidData(format!(
            "clip {} of {count} has {}-dimensional vectors, the clips before it {}-dimensional ones",
            index + 1,
            clip.dim,
            *dim
        )));
    }
    check_finite(clip, index, count)
}

/// Refuses NaN and infinite feature values, which would only show up later as a diverged loss.
fn check_finite(clip: &Vectors, index: usize, count: usize) -> Result<(), TrainError> {
    match clip.data.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(at) => Err(TrainError::InvalidData(format!(
            "clip {} of {count}: vector {} holds the non-finite value {}",
            index + 1,
            at / clip.dim + 1,
            clip.data[at]
        ))),
    }
}
