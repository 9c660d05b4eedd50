//! Explaining one clip: the per-frame anomaly strip that lines up under its
//! spectrogram (docs/DESIGN.md §1.4: vector t covers frames t … t + frames − 1).

/// Per-frame anomaly scores from per-vector scores: frame f gets the mean score of the vectors
/// that contain it (vectors f − stack + 1 … f), so the strip has one value per spectrogram frame.
pub fn per_frame_scores(vector_scores: &[f32], frames: usize, stack: usize) -> Vec<f32> {
    let stack = stack.max(1);
    (0..frames)
        .map(|f| {
            let first = (f + 1).saturating_sub(stack);
            let last = f.min(vector_scores.len().saturating_sub(1));
            if vector_scores.is_empty() || first > last {
                return f32::NAN;
            }
            let covering = &vector_scores[first..=last];
            covering.iter().sum::<f32>() / covering.len() as f32
        })
        .collect()
}

/// The stretch of frames whose score is at or above `threshold`, as `(start s, end s)` pairs,
/// for a sentence like "sounds wrong from 2.1 s to 3.4 s".
pub fn loud_spans(frame_scores: &[f32], threshold: f64, seconds_per_frame: f64) -> Vec<(f64, f64)> {
    let mut spans = Vec::new();
    let mut start: Option<usize> = None;
    for (f, &s) in frame_scores.iter().enumerate() {
        let above = f64::from(s) >= threshold;
        match (above, start) {
            (true, None) => start = Some(f),
            (false, Some(s0)) => {
                spans.push((s0 as f64 * seconds_per_frame, f as f64 * seconds_per_frame));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s0) = start {
        spans.push((
            s0 as f64 * seconds_per_frame,
            frame_scores.len() as f64 * seconds_per_frame,
        ));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_frame_scores_average_the_covering_vectors() {
        // 3 vectors of 2 frames cover 4 frames: f0 ← v0, f1 ← v0,v1, f2 ← v1,v2, f3 ← v2.
        let frames = per_frame_scores(&[1.0, 3.0, 5.0], 4, 2);
        assert_eq!(frames, vec![1.0, 2.0, 4.0, 5.0]);
    }

    #[test]
    fn loud_spans_cover_runs_above_the_threshold() {
        let spans = loud_spans(&[0.0, 2.0, 2.0, 0.0, 3.0], 1.0, 0.5);
        assert_eq!(spans, vec![(0.5, 1.5), (2.0, 2.5)]);
    }
}
