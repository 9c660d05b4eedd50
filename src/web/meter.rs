//! The live meter: microphone samples (16 kHz) come in small chunks; every full second becomes
//! one window that the chosen model scores like a short clip (mean of its vector scores).

/// Samples per scored window: one second at 16 kHz.
pub const WINDOW_SAMPLES: usize = 16_000;

/// Windows kept in the meter's history (two minutes).
pub const HISTORY_WINDOWS: usize = 120;

/// Collects microphone samples into one-second windows and keeps the scores of the last ones.
#[derive(Debug, Clone, Default)]
pub struct Meter {
    pending: Vec<f32>,
    windows_done: usize,
    history: Vec<(f64, f64)>,
}

impl Meter {
    /// Forgets every sample and score.
    pub fn reset(&mut self) {
        *self = Meter::default();
    }

    /// Adds samples; returns the next full window when one is complete (the rest stays pending).
    pub fn push(&mut self, samples: &[f32]) -> Option<Vec<f32>> {
        self.pending.extend_from_slice(samples);
        if self.pending.len() < WINDOW_SAMPLES {
            return None;
        }
        let rest = self.pending.split_off(WINDOW_SAMPLES);
        let window = std::mem::replace(&mut self.pending, rest);
        Some(window)
    }

    /// Records the score of the window that [`Meter::push`] returned last.
    pub fn record(&mut self, score: f64) {
        self.windows_done += 1;
        let seconds = self.windows_done as f64 * WINDOW_SAMPLES as f64 / 16_000.0;
        self.history.push((seconds, score));
        if self.history.len() > HISTORY_WINDOWS {
            self.history.remove(0);
        }
    }

    /// `(end of window in seconds since start, score)` of the last windows.
    pub fn history(&self) -> &[(f64, f64)] {
        &self.history
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_exactly_one_second_and_keep_the_rest() {
        let mut meter = Meter::default();
        assert!(meter.push(&vec![0.0; 10_000]).is_none());
        let window = meter.push(&vec![1.0; 10_000]).expect("a full window");
        assert_eq!(window.len(), WINDOW_SAMPLES);
        assert_eq!(window[9_999], 0.0);
        assert_eq!(window[10_000], 1.0);
        assert!(meter.push(&vec![1.0; 11_999]).is_none());
        assert!(meter.push(&[1.0]).is_some());
    }

    #[test]
    fn history_is_bounded_and_timed() {
        let mut meter = Meter::default();
        for i in 0..(HISTORY_WINDOWS + 5) {
            meter.record(i as f64);
        }
        assert_eq!(meter.history().len(), HISTORY_WINDOWS);
        assert_eq!(meter.history()[0], (6.0, 5.0));
    }
}
