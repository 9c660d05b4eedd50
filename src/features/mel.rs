//! Slaney mel filter bank with area normalisation (docs/DESIGN.md §1.3 step 3; librosa `filters.mel` with
//! `htk=False, norm=1` / `norm='slaney'`), stored sparsely: each band keeps only its non-zero run.

/// Frequency below which the Slaney scale is linear (Hz).
const LINEAR_LIMIT_HZ: f64 = 1000.0;
/// Hz per mel in the linear part of the Slaney scale: 200/3.
const HZ_PER_MEL: f64 = 200.0 / 3.0;

/// Mel value of [`LINEAR_LIMIT_HZ`] (= 15).
fn linear_limit_mel() -> f64 {
    LINEAR_LIMIT_HZ / HZ_PER_MEL
}

/// Natural-log step per mel in the logarithmic part: ln(6.4)/27.
fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Hz → mel on the Slaney scale (docs/DESIGN.md §1.3 step 3): linear below 1 kHz, logarithmic above.
pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= LINEAR_LIMIT_HZ {
        linear_limit_mel() + (hz / LINEAR_LIMIT_HZ).ln() / log_step()
    } else {
        hz / HZ_PER_MEL
    }
}

/// Mel → Hz on the Slaney scale, the inverse of [`hz_to_mel`].
pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= linear_limit_mel() {
        LINEAR_LIMIT_HZ * (log_step() * (mel - linear_limit_mel())).exp()
    } else {
        HZ_PER_MEL * mel
    }
}

/// `count` band-edge frequencies (Hz) equally spaced in mel between `fmin` and `fmax`, computed
/// like `np.linspace` (start + i·step, last point exactly the stop) and mapped back to Hz.
pub fn mel_band_edges(count: usize, fmin: f64, fmax: f64) -> Vec<f64> {
    let (low, high) = (hz_to_mel(fmin), hz_to_mel(fmax));
    let step = if count > 1 {
        (high - low) / (count - 1) as f64
    } else {
        0.0
    };
    (0..count)
        .map(|i| {
            if count > 1 && i == count - 1 {
                high
            } else {
                low + i as f64 * step
            }
        })
        .map(mel_to_hz)
        .collect()
}

/// One band's non-zero weights: bins `start .. start + len` of the flat weight store.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BandSpan {
    first_bin: usize,
    offset: usize,
    len: usize,
}

/// A mel filter bank W (n_mels × n_bins) kept as one contiguous run of non-zero weights per band.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilterBank {
    n_bins: usize,
    spans: Vec<BandSpan>,
    weights: Vec<f64>,
    /// The same weights rounded to f32 (librosa's float32 mel basis), for [`Self::apply`].
    weights_f32: Vec<f32>,
}

impl MelFilterBank {
    /// Builds the Slaney, area-normalised bank for an `n_fft`-point FFT at `sample_rate` Hz with
    /// `n_mels` bands between `fmin` and `fmax` (docs/DESIGN.md §1.3 step 3).
    pub fn new(sample_rate: f64, n_fft: usize, n_mels: usize, fmin: f64, fmax: f64) -> Self {
        let n_bins = n_fft / 2 + 1;
        let bin_hz = 1.0 / (n_fft as f64 * (1.0 / sample_rate));
        let bin_freqs: Vec<f64> = (0..n_bins).map(|k| k as f64 * bin_hz).collect();
        let edges = mel_band_edges(n_mels + 2, fmin, fmax);
        let mut spans = Vec::with_capacity(n_mels);
        let mut weights = Vec::new();
        for band in 0..n_mels {
            let row = triangle_row(&bin_freqs, edges[band], edges[band + 1], edges[band + 2]);
            spans.push(push_nonzero_run(&row, &mut weights));
        }
        Self {
            n_bins,
            spans,
            weights_f32: weights.iter().map(|&w| w as f32).collect(),
            weights,
        }
    }

    /// Number of mel bands.
    pub fn n_mels(&self) -> usize {
        self.spans.len()
    }

    /// Number of FFT bins each band spans (n_fft/2 + 1).
    pub fn n_bins(&self) -> usize {
        self.n_bins
    }

    /// Number of stored (non-zero) weights.
    pub fn stored_weights(&self) -> usize {
        self.weights.len()
    }

    /// Band `band` as (first bin, weights of bins first.. first + len).
    pub fn band(&self, band: usize) -> (usize, &[f64]) {
        let span = self.spans[band];
        (
            span.first_bin,
            &self.weights[span.offset..span.offset + span.len],
        )
    }

    /// The dense matrix, row-major `[n_mels, n_bins]` (for tests and inspection).
    pub fn to_dense(&self) -> Vec<f64> {
        let mut dense = vec![0.0; self.n_mels() * self.n_bins];
        for band in 0..self.n_mels() {
            let (first, row) = self.band(band);
            let start = band * self.n_bins + first;
            dense[start..start + row.len()].copy_from_slice(row);
        }
        dense
    }

    /// M[m] = Σ_k W[m,k]·spectrum[k], touching only each band's non-zero bins: f32 products
    /// (librosa multiplies its float32 basis with its float32 power spectrum) summed in eight
    /// f32 lanes, which vectorise. `spectrum` holds n_bins values and `out` n_mels values.
    #[inline(always)]
    pub fn apply(&self, spectrum: &[f32], out: &mut [f64]) {
        debug_assert_eq!(spectrum.len(), self.n_bins);
        for (value, span) in out.iter_mut().zip(&self.spans) {
            let weights = &self.weights_f32[span.offset..span.offset + span.len];
            let bins = &spectrum[span.first_bin..span.first_bin + span.len];
            *value = f64::from(dot(weights, bins));
        }
    }
}

/// Lanes of the mel product's partial sums (one AVX register of f32).
const LANES: usize = 8;

/// Σ a[i]·b[i] with eight independent partial sums (they pipeline and vectorise).
#[inline(always)]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut partial = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (ca, cb) in a_chunks.zip(b_chunks) {
        for lane in 0..LANES {
            partial[lane] += ca[lane] * cb[lane];
        }
    }
    partial.iter().sum::<f32>() + tail
}

/// One triangle over all bins, area-normalised: max(0, min(rising, falling)) · 2/(right − left).
fn triangle_row(bin_freqs: &[f64], left: f64, centre: f64, right: f64) -> Vec<f64> {
    let norm = 2.0 / (right - left);
    bin_freqs
        .iter()
        .map(|&f| {
            let rising = (f - left) / (centre - left);
            let falling = (right - f) / (right - centre);
            rising.min(falling).max(0.0) * norm
        })
        .collect()
}

/// Appends the run from the first to the last non-zero entry of `row` to `weights` and returns
/// its span (an all-zero row gives an empty span). A triangle has no interior zeros.
fn push_nonzero_run(row: &[f64], weights: &mut Vec<f64>) -> BandSpan {
    let offset = weights.len();
    let Some(first) = row.iter().position(|&w| w != 0.0) else {
        return BandSpan {
            first_bin: 0,
            offset,
            len: 0,
        };
    };
    let last = row.iter().rposition(|&w| w != 0.0).unwrap_or(first);
    weights.extend_from_slice(&row[first..=last]);
    BandSpan {
        first_bin: first,
        offset,
        len: last + 1 - first,
    }
}
