//! Stacking consecutive log-Mel frames into feature vectors (docs/DESIGN.md §1.4).

use super::{LogMelSpectrogram, Vectors};

/// Number of stacked vectors from `n_frames` frames: n_frames − frames + 1, or 0 when there are
/// fewer frames than one vector needs (docs/DESIGN.md §1.4).
pub fn vector_count(n_frames: usize, frames: usize) -> usize {
    if frames == 0 || n_frames < frames {
        0
    } else {
        n_frames - frames + 1
    }
}

/// Stacks a frame-major log-Mel matrix (`frame_major[t * n_mels + m]`) into vectors of
/// `frames` consecutive frames: row t = [L[:,t], …, L[:,t+frames−1]], element `n_mels·j + m`
/// is mel bin m of frame t+j (docs/DESIGN.md §1.4). In frame-major order each row is one contiguous
/// slice, so stacking is a copy of overlapping windows.
pub fn stack_frame_major(frame_major: &[f32], n_mels: usize, frames: usize) -> Vectors {
    let dim = n_mels * frames;
    let n_frames = frame_major.len().checked_div(n_mels).unwrap_or(0);
    let count = vector_count(n_frames, frames);
    let mut data = Vec::with_capacity(count * dim);
    for t in 0..count {
        data.extend_from_slice(&frame_major[t * n_mels..t * n_mels + dim]);
    }
    Vectors { dim, data }
}

/// Stacks a mel-major spectrogram (librosa layout) into vectors of `frames` frames; the same
/// layout as [`stack_frame_major`].
pub fn stack_spectrogram(spectrogram: &LogMelSpectrogram, frames: usize) -> Vectors {
    stack_frame_major(&spectrogram.frame_major(), spectrogram.n_mels, frames)
}
