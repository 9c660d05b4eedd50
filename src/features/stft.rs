//! Short-time power spectrum with librosa 0.6 semantics (docs/DESIGN.md §1.3, steps 1-2): periodic Hann
//! window, `center=True` with reflect padding, one real f32 FFT per frame.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

/// The periodic ("fftbins=True") Hann window of length `n`: w[k] = 0.5 − 0.5·cos(2πk/n)
/// (docs/DESIGN.md §1.3 step 1; scipy `get_window('hann', n, fftbins=True)`).
pub fn hann_periodic(n: usize) -> Vec<f64> {
    let step = 2.0 * std::f64::consts::PI / n as f64;
    (0..n)
        .map(|k| 0.5 - 0.5 * (step * k as f64).cos())
        .collect()
}

/// Number of STFT frames of a signal of `len` samples with `center=True`: 1 + ⌊len / hop⌋
/// (docs/DESIGN.md §1.3 step 1). An empty signal has no frames.
pub fn frame_count(len: usize, hop_length: usize) -> usize {
    if len == 0 { 0 } else { 1 + len / hop_length }
}

/// The index of `samples` that numpy's `np.pad(mode='reflect')` reads for padded position
/// `i - pad` (which may lie before 0 or after the end). Reflection does not repeat the edge sample
/// and folds again when the pad exceeds the signal length; a one-sample signal is repeated.
fn reflect_index(position: isize, len: usize) -> usize {
    if len == 1 {
        return 0;
    }
    let period = 2 * (len as isize - 1);
    let folded = position.rem_euclid(period);
    if folded < len as isize {
        folded as usize
    } else {
        (period - folded) as usize
    }
}

/// Writes `samples` padded by `pad` samples on each side with reflection (numpy
/// `np.pad(samples, pad, mode='reflect')`) into `out`, replacing its contents. An empty signal
/// gives an empty output.
pub fn reflect_pad(samples: &[f32], pad: usize, out: &mut Vec<f32>) {
    out.clear();
    if samples.is_empty() {
        return;
    }
    let len = samples.len();
    out.reserve(len + 2 * pad);
    let edge = |position: isize| samples[reflect_index(position, len)];
    out.extend((0..pad).map(|i| edge(i as isize - pad as isize)));
    out.extend_from_slice(samples);
    out.extend((0..pad).map(|i| edge((len + i) as isize)));
}

/// Windowed real FFT of one frame into a power spectrum, with the plan, the window and every
/// buffer allocated once (docs/DESIGN.md §1.3 steps 1-2). The FFT runs in f32, as librosa's
/// complex64 STFT does: twice the SIMD lanes of f64, and the features stay within 1e-3 dB of
/// the f64 ones (docs/DESIGN.md §13.5).
#[derive(Clone)]
pub struct PowerSpectrum {
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
    input: Vec<f32>,
    output: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    power: f64,
}

impl PowerSpectrum {
    /// Plans an FFT of length `n_fft` (≥ 1) producing |X|^`power`.
    pub fn new(n_fft: usize, power: f64) -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n_fft);
        Self {
            window: hann_periodic(n_fft).into_iter().map(|w| w as f32).collect(),
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            power,
        }
    }

    /// Number of frequency bins: n_fft/2 + 1.
    pub fn n_bins(&self) -> usize {
        self.output.len()
    }

    /// The window applied to each frame.
    pub fn window(&self) -> &[f32] {
        &self.window
    }

    /// Computes S[k] = |Σ_n w[n]·frame[n]·e^{−2πikn/n_fft}|^power for k = 0..n_bins into `out`.
    /// `frame` must hold n_fft samples and `out` n_bins values.
    #[inline(always)]
    pub fn compute(&mut self, frame: &[f32], out: &mut [f32]) {
        debug_assert_eq!(frame.len(), self.window.len());
        debug_assert_eq!(out.len(), self.output.len());
        for ((slot, &w), &x) in self.input.iter_mut().zip(&self.window).zip(frame) {
            *slot = w * x;
        }
        // The buffer lengths come from the plan itself, so processing cannot fail.
        let processed =
            self.fft
                .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch);
        debug_assert!(processed.is_ok());
        if self.power == 2.0 {
            for (s, x) in out.iter_mut().zip(&self.output) {
                *s = x.norm_sqr();
            }
        } else {
            for (s, x) in out.iter_mut().zip(&self.output) {
                *s = f64::from(x.norm()).powf(self.power) as f32;
            }
        }
    }
}
