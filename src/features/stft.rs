//! Short-time power spectrum with librosa 0.6 semantics (docs/DESIGN.md §1.3, steps 1-2): periodic Hann
//! window, `center=True` with reflect padding, one real f32 FFT per frame.

use std::sync::Arc;

use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

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

/// Windowed FFTs of frames into power spectra, with the plan, the window and every buffer
/// allocated once (docs/DESIGN.md §1.3 steps 1-2). Two real frames share one complex FFT
/// (frame a as the real part, frame b as the imaginary part), whose halves are separated after
/// it: X_a[k] = (Z[k] + Z̄[N−k])/2, X_b[k] = (Z[k] − Z̄[N−k])/2i. That costs about one real FFT
/// per frame without realfft's post-processing pass, which took a third of the feature time.
/// The arithmetic is f32, as librosa's complex64 STFT (docs/DESIGN.md §13.5).
#[derive(Clone)]
pub struct PowerSpectrum {
    window: Vec<f32>,
    fft: Arc<dyn Fft<f32>>,
    buffer: Vec<Complex<f32>>,
    scratch: Vec<Complex<f32>>,
    power: f64,
}

impl PowerSpectrum {
    /// Plans an FFT of length `n_fft` (≥ 1) producing |X|^`power`.
    pub fn new(n_fft: usize, power: f64) -> Self {
        let fft = FftPlanner::<f32>::new().plan_fft_forward(n_fft);
        Self {
            window: hann_periodic(n_fft).into_iter().map(|w| w as f32).collect(),
            buffer: vec![Complex::default(); n_fft],
            scratch: vec![Complex::default(); fft.get_inplace_scratch_len()],
            fft,
            power,
        }
    }

    /// Number of frequency bins: n_fft/2 + 1.
    pub fn n_bins(&self) -> usize {
        self.window.len() / 2 + 1
    }

    /// The window applied to each frame.
    pub fn window(&self) -> &[f32] {
        &self.window
    }

    /// Computes S[k] = |Σ_n w[n]·frame[n]·e^{−2πikn/n_fft}|^power for k = 0..n_bins into `out`.
    /// `frame` must hold n_fft samples and `out` n_bins values.
    #[inline(always)]
    pub fn compute(&mut self, frame: &[f32], out: &mut [f32]) {
        for ((slot, &w), &x) in self.buffer.iter_mut().zip(&self.window).zip(frame) {
            *slot = Complex::new(w * x, 0.0);
        }
        self.fft
            .process_with_scratch(&mut self.buffer, &mut self.scratch);
        for (s, z) in out.iter_mut().zip(&self.buffer) {
            *s = z.norm_sqr();
        }
        self.raise(out);
    }

    /// The power spectra of two frames at once, from one complex FFT (see the type's docs).
    #[inline(always)]
    pub fn compute_pair(&mut self, frames: [&[f32]; 2], out: [&mut [f32]; 2]) {
        let [a, b] = frames;
        for (((slot, &w), &xa), &xb) in self.buffer.iter_mut().zip(&self.window).zip(a).zip(b) {
            *slot = Complex::new(w * xa, w * xb);
        }
        self.fft
            .process_with_scratch(&mut self.buffer, &mut self.scratch);
        let [out_a, out_b] = out;
        // Bin 0 is its own mirror; bin k ≥ 1 pairs with bin n − k.
        let (first, rest) = self.buffer.split_first().expect("n_fft ≥ 1");
        out_a[0] = first.re * first.re;
        out_b[0] = first.im * first.im;
        let bins = out_a.len();
        let mirrored = rest.iter().rev();
        for (((z, mirror), a), b) in rest[..bins - 1]
            .iter()
            .zip(mirrored)
            .zip(&mut out_a[1..])
            .zip(&mut out_b[1..])
        {
            // |X_a|² = |z + z̄'|²/4 and |X_b|² = |z − z̄'|²/4, z̄' the conjugate of the mirror bin.
            let (sum_re, sum_im) = (z.re + mirror.re, z.im - mirror.im);
            let (dif_re, dif_im) = (z.re - mirror.re, z.im + mirror.im);
            *a = 0.25 * (sum_re * sum_re + sum_im * sum_im);
            *b = 0.25 * (dif_re * dif_re + dif_im * dif_im);
        }
        self.raise(out_a);
        self.raise(out_b);
    }

    /// |X|^power from |X|², in place (nothing to do for the power spectrum).
    #[inline(always)]
    fn raise(&self, squared: &mut [f32]) {
        if self.power != 2.0 {
            let exponent = self.power / 2.0;
            for s in squared {
                *s = f64::from(*s).powf(exponent) as f32;
            }
        }
    }
}
