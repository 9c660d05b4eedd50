//! Batch order: a fresh seeded permutation every epoch, Keras-style batches that keep the last
//! partial batch (docs/DESIGN.md §1.6), with one exception for BatchNorm.

use std::ops::Range;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The batch boundaries of one epoch over `n` vectors: `ceil(n / batch_size)` batches of
/// `batch_size`, the last one partial (Keras keeps it). Exception: a final batch of ONE vector is
/// merged into the batch before it, because BatchNorm in training mode normalises with the batch
/// variance, which is zero for a single vector (the layer's output would be its bias alone and
/// the running variance update would be meaningless). So a batch is never smaller than 2 unless
/// `n` itself is 1, which the trainer refuses.
pub fn batch_ranges(n: usize, batch_size: usize) -> Vec<Range<usize>> {
    let batch_size = batch_size.max(1);
    let mut ranges: Vec<Range<usize>> = (0..n)
        .step_by(batch_size)
        .map(|start| start..(start + batch_size).min(n))
        .collect();
    if ranges.len() >= 2 && ranges.last().is_some_and(|r| r.len() == 1) {
        let last = ranges.pop().map_or(n, |r| r.end);
        if let Some(previous) = ranges.last_mut() {
            previous.end = last;
        }
    }
    ranges
}

/// A uniformly random permutation of `0..n` (Fisher–Yates), drawn with 64-bit indices so that it
/// is the same on 32-bit (wasm) and 64-bit targets for the same generator state.
pub fn permutation(n: usize, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i as u64) as usize;
        order.swap(i, j);
    }
    order
}

/// The order of one epoch: one permutation per batch stream (EGBAD uses two independent ones,
/// docs/DESIGN.md §5.3) sharing the same batch boundaries.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochOrder {
    streams: Vec<Vec<u32>>,
    ranges: Vec<Range<usize>>,
}

impl EpochOrder {
    /// Draws `stream_count` permutations of `0..n`, one after another from `rng`.
    pub fn draw(n: usize, batch_size: usize, stream_count: usize, rng: &mut ChaCha8Rng) -> Self {
        let streams = (0..stream_count.max(1))
            .map(|_| permutation(n, rng))
            .collect();
        Self {
            streams,
            ranges: batch_ranges(n, batch_size),
        }
    }

    /// Number of batches (steps) in the epoch.
    pub fn steps(&self) -> usize {
        self.ranges.len()
    }

    /// The vector indices of batch `step` in every stream.
    pub fn batch(&self, step: usize) -> Vec<&[u32]> {
        let range = self.ranges[step].clone();
        self.streams
            .iter()
            .map(|stream| &stream[range.clone()])
            .collect()
    }
}
