//! librosa-exact log-Mel features and 5-frame stacking (spec §1.3-1.4).

/// Feature parameters; defaults are the DCASE 2020 baseline's (spec §1.3).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FeatureConfig {
    pub sample_rate: u32,
    pub n_fft: usize,
    pub hop_length: usize,
    pub n_mels: usize,
    pub frames: usize,
    pub power: f64,
    pub fmin: f64,
    pub fmax: f64,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        Self { sample_rate: 16_000, n_fft: 1024, hop_length: 512, n_mels: 128, frames: 5, power: 2.0, fmin: 0.0, fmax: 8000.0 }
    }
}

impl FeatureConfig {
    /// Length of one stacked vector: n_mels × frames (640 by default).
    pub fn dims(&self) -> usize {
        self.n_mels * self.frames
    }
}

/// A log-Mel spectrogram, mel-major like librosa: `data[m * n_frames + t]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogMelSpectrogram {
    pub n_mels: usize,
    pub n_frames: usize,
    pub data: Vec<f32>,
}

/// Stacked feature vectors, row-major `[len, dim]`; row t = frames t..t+frames, frame-major.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vectors {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl Vectors {
    /// Number of vectors.
    pub fn len(&self) -> usize {
        if self.dim == 0 { 0 } else { self.data.len() / self.dim }
    }
    /// True when there are no vectors.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Vector `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

/// Errors of feature extraction.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeatureError {
    #[error("placeholder")]
    Placeholder,
}

/// Computes features; holds the FFT plan, window, mel bank and scratch buffers (plan once, reuse).
pub struct FeatureExtractor {
    config: FeatureConfig,
}

impl FeatureExtractor {
    pub fn new(config: FeatureConfig) -> Self {
        Self { config }
    }
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }
    /// The log-Mel spectrogram of mono samples at `config.sample_rate`.
    pub fn log_mel(&mut self, samples: &[f32]) -> LogMelSpectrogram {
        let _ = samples;
        todo!()
    }
    /// Stacked vectors of a clip; error (naming `name` and the minimum length) when the clip is
    /// too short for one vector.
    pub fn vectors(&mut self, name: &str, samples: &[f32]) -> Result<Vectors, FeatureError> {
        let _ = (name, samples);
        todo!()
    }
}
