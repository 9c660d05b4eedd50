//! One clip's features kept once, as its log-Mel frames, with the stacked vectors read on the
//! fly (docs/DESIGN.md §13.1).
//!
//! A stacked vector is `context` consecutive frames back to back (docs/DESIGN.md §1.4). Kept
//! frame-major (`data[t * width + m]`), vector `t` is the contiguous slice that starts at frame
//! `t`, so a row is a borrow, never a copy, and the clip costs `context` (5) times less memory
//! than its stacked vectors.

use super::Vectors;
use super::stack::vector_count;

/// Rows of equal length, read one at a time: a clip's stacked vectors ([`FrameStack`]), already
/// stacked [`Vectors`], or a whole training set ([`crate::train::TrainingData`]). Scoring and
/// batching copy only the rows of one chunk (docs/DESIGN.md §13.1).
pub trait VectorRows {
    /// Length of one row.
    fn dim(&self) -> usize;
    /// Number of rows.
    fn len(&self) -> usize;
    /// Row `i` (panics when `i >= len()`).
    fn row(&self, i: usize) -> &[f32];
    /// True when there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Appends rows `range` to `out`, row-major.
    fn extend_rows(&self, range: std::ops::Range<usize>, out: &mut Vec<f32>) {
        out.reserve(range.len() * self.dim());
        for i in range {
            out.extend_from_slice(self.row(i));
        }
    }
}

impl VectorRows for Vectors {
    fn dim(&self) -> usize {
        self.dim
    }
    fn len(&self) -> usize {
        Vectors::len(self)
    }
    fn row(&self, i: usize) -> &[f32] {
        Vectors::row(self, i)
    }
}

/// A clip's log-Mel frames, frame-major, read as stacked vectors of `context` frames.
///
/// ```
/// use sonogan::features::FrameStack;
/// // 4 frames of 2 mel bands, stacked 3 at a time: 2 vectors of 6 values.
/// let frames = FrameStack::new(vec![0., 1., 2., 3., 4., 5., 6., 7.], 2, 3).unwrap();
/// assert_eq!((frames.len(), frames.dim()), (2, 6));
/// assert_eq!(frames.row(1), &[2., 3., 4., 5., 6., 7.]);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameStack {
    width: usize,
    context: usize,
    data: Vec<f32>,
}

impl FrameStack {
    /// Frames of `width` values each (`frame_major[t * width + m]`), stacked `context` at a
    /// time. Errors: a zero width or context, or values that are not whole frames.
    pub fn new(frame_major: Vec<f32>, width: usize, context: usize) -> Result<Self, String> {
        if width == 0 || context == 0 {
            return Err(format!(
                "frames need a width and a context of at least 1 (got {width} and {context})"
            ));
        }
        if !frame_major.len().is_multiple_of(width) {
            return Err(format!(
                "{} values are not whole frames of {width}",
                frame_major.len()
            ));
        }
        Ok(FrameStack {
            width,
            context,
            data: frame_major,
        })
    }

    /// Already stacked vectors as frames of one vector each (context 1), without a copy.
    pub fn from_vectors(vectors: Vectors) -> Self {
        FrameStack {
            width: vectors.dim,
            context: 1,
            data: vectors.data,
        }
    }

    /// Length of one stacked vector (width × context).
    pub fn dim(&self) -> usize {
        self.width * self.context
    }

    /// Number of stacked vectors: frames − context + 1, or 0 (docs/DESIGN.md §1.4).
    pub fn len(&self) -> usize {
        vector_count(self.frame_count(), self.context)
    }

    /// True when the clip has no complete vector.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Vector `i`: frames `i..i + context`, borrowed (panics when `i >= len()`).
    pub fn row(&self, i: usize) -> &[f32] {
        assert!(i < self.len(), "row {i} of {}", self.len());
        &self.data[i * self.width..i * self.width + self.dim()]
    }

    /// Values per frame (mel bands).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Frames per vector.
    pub fn context(&self) -> usize {
        self.context
    }

    /// Number of frames.
    pub fn frame_count(&self) -> usize {
        self.data.len().checked_div(self.width).unwrap_or(0)
    }

    /// Every frame, frame-major.
    pub fn frame_values(&self) -> &[f32] {
        &self.data
    }

    /// The stacked vectors as one row-major copy (what [`super::stack::stack_frame_major`]
    /// gives).
    pub fn to_vectors(&self) -> Vectors {
        let mut data = Vec::new();
        self.extend_rows(0..self.len(), &mut data);
        Vectors {
            dim: self.dim(),
            data,
        }
    }
}

impl VectorRows for FrameStack {
    fn dim(&self) -> usize {
        self.width * self.context
    }
    fn len(&self) -> usize {
        vector_count(self.frame_count(), self.context)
    }
    fn row(&self, i: usize) -> &[f32] {
        assert!(
            i < VectorRows::len(self),
            "row {i} of {}",
            VectorRows::len(self)
        );
        &self.data[i * self.width..i * self.width + self.dim()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::stack::stack_frame_major;

    #[test]
    fn rows_equal_the_stacked_copy() {
        let values: Vec<f32> = (0..7 * 3).map(|v| v as f32).collect();
        let frames = FrameStack::new(values.clone(), 3, 5).unwrap();
        assert_eq!(frames.to_vectors(), stack_frame_major(&values, 3, 5));
        assert_eq!(frames.len(), 3);
    }

    #[test]
    fn fewer_frames_than_the_context_give_no_vector() {
        let frames = FrameStack::new(vec![1.0; 8], 2, 5).unwrap();
        assert!(frames.is_empty());
        assert!(FrameStack::default().to_vectors().is_empty());
    }

    #[test]
    fn partial_frames_and_zero_sizes_are_refused() {
        assert!(FrameStack::new(vec![1.0; 7], 2, 1).is_err());
        assert!(FrameStack::new(vec![], 0, 1).is_err());
        assert!(FrameStack::new(vec![], 2, 0).is_err());
    }

    #[test]
    fn vectors_become_single_frame_stacks() {
        let vectors = Vectors {
            dim: 2,
            data: vec![1., 2., 3., 4.],
        };
        let frames = FrameStack::from_vectors(vectors.clone());
        assert_eq!((frames.dim(), frames.len()), (2, 2));
        assert_eq!(frames.to_vectors(), vectors);
    }
}
