//! The training vectors: per-clip vectors in file order (docs/DESIGN.md §1.5), kept as frames
//! (§13.1), and split into a training head and a held-out validation tail (Keras `validation_split`, docs/DESIGN.md §1.6, §10.11).

use std::ops::Range;
use std::sync::Arc;

use super::TrainError;
use crate::features::{FrameStack, VectorRows, Vectors};

/// All vectors of one training run, kept once as each clip's log-Mel frames and stacked on the
/// fly (docs/DESIGN.md §13.1), with the clip boundaries kept so that held-out and training clips
/// can be scored per clip later. The frames are shared with the caller (`Arc`), not copied.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingData {
    dim: usize,
    clips: Vec<Arc<FrameStack>>,
    /// `starts[c]` is the index of clip `c`'s first vector; one more entry holds the total.
    starts: Vec<usize>,
    split_at: usize,
    /// Each clip's machine-ID index (docs/DESIGN.md §12.3); empty when the run has none.
    clip_ids: Vec<u32>,
}

impl TrainingData {
    /// [`Self::from_frames`] for already stacked vectors (each vector is one frame of a stack of
    /// context 1; no copy).
    pub fn from_clips(clips: Vec<Vectors>, validation_split: f64) -> Result<Self, TrainError> {
        let count = clips.len();
        let frames = clips
            .into_iter()
            .enumerate()
            .map(|(index, clip)| {
                check_ragged(&clip, index, count)?;
                Ok(Arc::new(FrameStack::from_vectors(clip)))
            })
            .collect::<Result<Vec<_>, TrainError>>()?;
        Self::from_frames(frames, validation_split)
    }

    /// Takes the clips in the given (file-sorted) order and holds out the last
    /// `validation_split` of their vectors: `split_at = floor(N · (1 − validation_split))` (Keras
    /// `int(N·(1−0.1))`). Clips without vectors are kept as empty clips. Errors: no vectors at
    /// all, clips of different dimensions, a NaN or infinite value, a split outside [0, 1).
    pub fn from_frames(
        clips: Vec<Arc<FrameStack>>,
        validation_split: f64,
    ) -> Result<Self, TrainError> {
        if !(0.0..1.0).contains(&validation_split) {
            return Err(TrainError::InvalidConfig(format!(
                "validation_split must be in [0, 1), got {validation_split}"
            )));
        }
        let clip_count = clips.len();
        let mut dim = 0;
        let mut starts = Vec::with_capacity(clip_count + 1);
        let mut len = 0;
        for (index, clip) in clips.iter().enumerate() {
            check_clip_shape(clip, index, clip_count, &mut dim)?;
            starts.push(len);
            len += clip.len();
        }
        starts.push(len);
        if len == 0 {
            return Err(TrainError::NoData(format!(
                "{clip_count} clips gave no feature vectors"
            )));
        }
        let split_at = (len as f64 * (1.0 - validation_split)).floor() as usize;
        Ok(Self {
            dim,
            clips,
            starts,
            split_at,
            clip_ids: Vec::new(),
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
        self.clip_ids = clip_ids.to_vec();
        Ok(self)
    }

    /// True when the vectors carry machine IDs.
    pub fn has_machine_ids(&self) -> bool {
        !self.clip_ids.is_empty()
    }

    /// The machine-ID indices of vectors `range` (empty without IDs).
    pub fn ids(&self, range: Range<usize>) -> Vec<u32> {
        match self.has_machine_ids() {
            true => range.map(|i| self.clip_ids[self.clip_of(i)]).collect(),
            false => Vec::new(),
        }
    }

    /// The machine-ID indices of the vectors with the given indices (empty without IDs).
    pub fn gather_ids(&self, indices: &[u32]) -> Vec<u32> {
        match self.has_machine_ids() {
            true => indices
                .iter()
                .map(|&i| self.clip_ids[self.clip_of(i as usize)])
                .collect(),
            false => Vec::new(),
        }
    }

    /// Length of one vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of vectors, training and validation together.
    pub fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
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
        self.clips.len()
    }

    /// Vector `i` (over all clips), borrowed from its clip's frames.
    pub fn row(&self, i: usize) -> &[f32] {
        let clip = self.clip_of(i);
        self.clips[clip].row(i - self.starts[clip])
    }

    /// Copies the rows with the given indices, in that order, into one row-major buffer.
    pub fn gather(&self, indices: &[u32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(indices.len() * self.dim);
        for &i in indices {
            out.extend_from_slice(self.row(i as usize));
        }
        out
    }

    /// The clip holding vector `i`: the last clip that starts at or before it (empty clips
    /// share their start with the next one, so they are never picked).
    fn clip_of(&self, i: usize) -> usize {
        self.starts.partition_point(|&start| start <= i) - 1
    }

    /// The vector range of every clip, in file order.
    pub fn clip_ranges(&self) -> Vec<Range<usize>> {
        self.starts.windows(2).map(|w| w[0]..w[1]).collect()
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

    /// FNV-1a 64 over the dimension (u64 LE) and the little-endian bytes of every clip's frames
    /// in order: identifies the exact training data in the model file. For stacked vectors
    /// ([`Self::from_clips`]) the frames are the vectors.
    pub fn content_hash(&self) -> u64 {
        let mut hash = crate::store::Fnv1a64::new();
        hash.update(&(self.dim as u64).to_le_bytes());
        for clip in self.clips.iter().filter(|c| !c.is_empty()) {
            for value in clip.frame_values() {
                hash.update(&value.to_le_bytes());
            }
        }
        hash.finish()
    }
}

impl VectorRows for TrainingData {
    fn dim(&self) -> usize {
        self.dim
    }
    fn len(&self) -> usize {
        TrainingData::len(self)
    }
    fn row(&self, i: usize) -> &[f32] {
        TrainingData::row(self, i)
    }
}

/// Refuses stacked vectors whose length is not a multiple of their dimension.
fn check_ragged(clip: &Vectors, index: usize, count: usize) -> Result<(), TrainError> {
    if !clip.data.is_empty() && (clip.dim == 0 || !clip.data.len().is_multiple_of(clip.dim)) {
        return Err(TrainError::InvalidData(format!(
            "clip {} of {count} has {} values, not a multiple of its dimension {}",
            index + 1,
            clip.data.len(),
            clip.dim
        )));
    }
    Ok(())
}

/// Checks a clip's dimension against the run's (`dim`, 0 until the first clip with vectors
/// fixes it), and that every value is finite.
fn check_clip_shape(
    clip: &FrameStack,
    index: usize,
    count: usize,
    dim: &mut usize,
) -> Result<(), TrainError> {
    if clip.is_empty() {
        return Ok(());
    }
    if *dim == 0 {
        *dim = clip.dim();
    } else if clip.dim() != *dim {
        return Err(TrainError::InvalidData(format!(
            "clip {} of {count} has {}-dimensional vectors, the clips before it {}-dimensional ones",
            index + 1,
            clip.dim(),
            *dim
        )));
    }
    check_finite(clip, index, count)
}

/// Refuses NaN and infinite feature values, which would only show up later as a diverged loss.
/// The first vector holding the value is named.
fn check_finite(clip: &FrameStack, index: usize, count: usize) -> Result<(), TrainError> {
    let values = clip.frame_values();
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(at) => {
            let frame = at / clip.width();
            let vector = (frame + 1)
                .saturating_sub(clip.context())
                .min(clip.len() - 1);
            Err(TrainError::InvalidData(format!(
                "clip {} of {count}: vector {} holds the non-finite value {}",
                index + 1,
                vector + 1,
                values[at]
            )))
        }
    }
}
