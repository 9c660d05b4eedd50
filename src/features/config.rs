//! Feature parameters and their validation (docs/DESIGN.md §1.3).

use super::FeatureError;

/// Largest FFT length accepted (a sanity bound against absurd allocations).
const MAX_N_FFT: usize = 1 << 20;
/// Largest number of mel bands accepted.
const MAX_N_MELS: usize = 1 << 14;

/// Feature parameters; defaults are the DCASE 2020 baseline's (docs/DESIGN.md §1.3).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureConfig {
    /// Sample rate of the input (Hz).
    pub sample_rate: u32,
    /// FFT and window length (samples).
    pub n_fft: usize,
    /// Hop between frames (samples).
    pub hop_length: usize,
    /// Number of mel bands.
    pub n_mels: usize,
    /// Frames stacked into one vector.
    pub frames: usize,
    /// Exponent of the magnitude spectrum (2 = power); the log is scaled by 20/power.
    pub power: f64,
    /// Lowest mel band edge (Hz).
    pub fmin: f64,
    /// Highest mel band edge (Hz), at most sample_rate/2.
    pub fmax: f64,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        Self {
            sample_rate: 16_000,
            n_fft: 1024,
            hop_length: 512,
            n_mels: 128,
            frames: 5,
            power: 2.0,
            fmin: 0.0,
            fmax: 8000.0,
        }
    }
}

impl FeatureConfig {
    /// Length of one stacked vector: n_mels × frames (640 by default).
    pub fn dims(&self) -> usize {
        self.n_mels * self.frames
    }

    /// Number of STFT frames of a clip of `samples` samples: 1 + ⌊samples/hop⌋ (0 when empty).
    pub fn frame_count(&self, samples: usize) -> usize {
        super::stft::frame_count(samples, self.hop_length)
    }

    /// Number of stacked vectors of a clip of `samples` samples: frames − `frames` + 1, or 0.
    pub fn vector_count(&self, samples: usize) -> usize {
        super::stack::vector_count(self.frame_count(samples), self.frames)
    }

    /// The fewest samples that give one stacked vector: (frames − 1)·hop, and at least 1
    /// (2048 samples = 0.128 s by default).
    pub fn min_samples(&self) -> usize {
        (self.frames.saturating_sub(1) * self.hop_length).max(1)
    }

    /// Checks that every parameter makes sense: positive sizes and rate, an even n_fft (so that
    /// 1 + ⌊len/hop⌋ frames fit the padded signal), a finite positive power,
    /// 0 ≤ fmin < fmax ≤ sample_rate/2.
    pub fn validate(&self) -> Result<(), FeatureError> {
        let invalid = |why: String| Err(FeatureError::InvalidConfig(why));
        let nyquist = f64::from(self.sample_rate) / 2.0;
        if self.sample_rate == 0 {
            return invalid("sample_rate must be positive".into());
        }
        if !(2..=MAX_N_FFT).contains(&self.n_fft) || !self.n_fft.is_multiple_of(2) {
            return invalid(format!(
                "n_fft = {} must be even and between 2 and {MAX_N_FFT}",
                self.n_fft
            ));
        }
        if self.hop_length == 0 {
            return invalid("hop_length must be positive".into());
        }
        if !(1..=MAX_N_MELS).contains(&self.n_mels) {
            return invalid(format!(
                "n_mels = {} must be between 1 and {MAX_N_MELS}",
                self.n_mels
            ));
        }
        if self.frames == 0 {
            return invalid("frames must be positive".into());
        }
        if !(self.power.is_finite() && self.power > 0.0) {
            return invalid(format!("power = {} must be a positive number", self.power));
        }
        if !(self.fmin.is_finite() && self.fmin >= 0.0) {
            return invalid(format!("fmin = {} Hz must be a number ≥ 0", self.fmin));
        }
        if !(self.fmax.is_finite() && self.fmax > self.fmin && self.fmax <= nyquist) {
            return invalid(format!(
                "fmax = {} Hz must lie above fmin = {} Hz and at most at sample_rate/2 = {nyquist} Hz",
                self.fmax, self.fmin
            ));
        }
        Ok(())
    }
}
