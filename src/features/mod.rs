//! librosa-exact log-Mel features and 5-frame stacking (docs/DESIGN.md §1.3-1.4).
//!
//! The pipeline per clip: reflect-pad by n_fft/2 ([`stft::reflect_pad`]), one windowed real FFT
//! per hop into a power spectrum ([`stft::PowerSpectrum`], f32 like librosa's), the sparse Slaney
//! mel product ([`mel::MelFilterBank`]), L = (20/power)·log10(M + ε) in f64, then stacking
//! ([`stack`]).

pub mod db;
pub mod frames;
pub mod mel;
pub mod npy;
pub mod stack;
pub mod stft;

mod config;

pub use config::FeatureConfig;
pub use frames::{FrameStack, VectorRows};

use mel::MelFilterBank;
use stft::PowerSpectrum;

/// ε added before the logarithm: Python's `sys.float_info.epsilon` (docs/DESIGN.md §1.3 step 4).
pub const LOG_EPSILON: f64 = 2.220446049250313e-16;

/// A log-Mel spectrogram, mel-major like librosa: `data[m * n_frames + t]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogMelSpectrogram {
    /// Number of mel bands (rows).
    pub n_mels: usize,
    /// Number of frames (columns).
    pub n_frames: usize,
    /// Values in dB-like units, mel-major.
    pub data: Vec<f32>,
}

impl LogMelSpectrogram {
    /// The value of mel band `m` in frame `t`.
    pub fn get(&self, m: usize, t: usize) -> f32 {
        self.data[m * self.n_frames + t]
    }

    /// The same values frame-major: `out[t * n_mels + m]`.
    pub fn frame_major(&self) -> Vec<f32> {
        transpose(&self.data, self.n_mels, self.n_frames)
    }
}

/// Stacked feature vectors, row-major `[len, dim]`; row t = frames t..t+frames, frame-major.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vectors {
    /// Length of one vector (n_mels × frames).
    pub dim: usize,
    /// All vectors back to back.
    pub data: Vec<f32>,
}

impl Vectors {
    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.dim).unwrap_or(0)
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
    /// The clip yields no complete vector of `frames` frames.
    #[error(
        "{name}: too short for one feature vector: {samples} samples, but at least {min_samples} \
         samples ({min_seconds:.3} s) are needed"
    )]
    TooShort {
        /// The clip (file name or label).
        name: String,
        /// Its length in samples.
        samples: usize,
        /// The fewest samples that give one vector.
        min_samples: usize,
        /// The same minimum in seconds at the configured rate.
        min_seconds: f64,
    },
    /// A sample is NaN or infinite.
    #[error("{name}: sample {index} is not a finite number ({value})")]
    NonFiniteSample {
        /// The clip (file name or label).
        name: String,
        /// Index of the first offending sample.
        index: usize,
        /// Its value.
        value: f32,
    },
    /// A finite sample so large that the f32 power spectrum would overflow (audio lies within
    /// ±1; found by fuzzing float WAVs).
    #[error("{name}: sample {index} is {value:e}, beyond the ±{limit:e} the features can take")]
    SampleTooLarge {
        /// The clip (file name or label).
        name: String,
        /// Index of the first offending sample.
        index: usize,
        /// Its value.
        value: f32,
        /// The largest magnitude accepted, [`MAX_SAMPLE_MAGNITUDE`].
        limit: f32,
    },
    /// The configuration makes no sense (see [`FeatureConfig::validate`]).
    #[error("invalid feature configuration: {0}")]
    InvalidConfig(String),
}

/// Computes features; holds the FFT plan, window, mel bank and scratch buffers (plan once, reuse).
/// Cloning is cheap enough to give each worker thread its own extractor.
#[derive(Clone)]
pub struct FeatureExtractor {
    config: FeatureConfig,
    spectrum: PowerSpectrum,
    mel_bank: MelFilterBank,
    padded: Vec<f32>,
    /// Power spectra of the two frames of a pair.
    power: [Vec<f32>; 2],
    mel_energies: Vec<f64>,
}

impl FeatureExtractor {
    /// Plans the FFT and builds the mel bank for `config`.
    ///
    /// # Panics
    /// When `config` is invalid (see [`FeatureConfig::validate`]); use [`FeatureExtractor::try_new`]
    /// for configurations that come from users or files.
    pub fn new(config: FeatureConfig) -> Self {
        match Self::try_new(config) {
            Ok(extractor) => extractor,
            Err(error) => panic!("{error}"),
        }
    }

    /// Plans the FFT and builds the mel bank, or explains why `config` is invalid.
    pub fn try_new(config: FeatureConfig) -> Result<Self, FeatureError> {
        config.validate()?;
        let spectrum = PowerSpectrum::new(config.n_fft, config.power);
        let mel_bank = MelFilterBank::new(
            f64::from(config.sample_rate),
            config.n_fft,
            config.n_mels,
            config.fmin,
            config.fmax,
        );
        Ok(Self {
            power: [vec![0.0; spectrum.n_bins()], vec![0.0; spectrum.n_bins()]],
            mel_energies: vec![0.0; config.n_mels],
            padded: Vec::new(),
            spectrum,
            mel_bank,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }

    /// The mel filter bank in use.
    pub fn mel_bank(&self) -> &MelFilterBank {
        &self.mel_bank
    }

    /// The log-Mel spectrogram of mono samples at `config.sample_rate` (docs/DESIGN.md §1.3), with
    /// 1 + ⌊len/hop⌋ frames. Signals shorter than the n_fft/2 pad are reflected repeatedly, as
    /// `np.pad(mode='reflect')` does; an empty signal has no frames.
    pub fn log_mel(&mut self, samples: &[f32]) -> LogMelSpectrogram {
        let frame_major = self.log_mel_frame_major(samples);
        let n_mels = self.config.n_mels;
        let n_frames = frame_major.len() / n_mels;
        LogMelSpectrogram {
            n_mels,
            n_frames,
            data: transpose(&frame_major, n_frames, n_mels),
        }
    }

    /// The log-Mel spectrogram frame-major (`out[t * n_mels + m]`), the layout stacking uses.
    pub fn log_mel_frame_major(&mut self, samples: &[f32]) -> Vec<f32> {
        let FeatureConfig {
            n_fft,
            hop_length,
            n_mels,
            power,
            ..
        } = self.config;
        let n_frames = stft::frame_count(samples.len(), hop_length);
        stft::reflect_pad(samples, n_fft / 2, &mut self.padded);
        let mut out = vec![0.0; n_frames * n_mels];
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has just been found to support AVX2, the only feature the
            // function is compiled for.
            unsafe { self.fill_frames_avx2(&mut out, 20.0 / power) };
            return out;
        }
        self.fill_frames(&mut out, 20.0 / power);
        out
    }

    /// [`Self::fill_frames`] compiled for AVX2: twice the SIMD lanes for the window, the power
    /// spectrum, the mel product and the logarithm, which are inlined into it. Rust does not
    /// fuse or reorder float operations, so the values are bit-identical to the portable build
    /// (docs/DESIGN.md §13.5).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn fill_frames_avx2(&mut self, out: &mut [f32], scale: f64) {
        self.fill_frames(out, scale);
    }

    /// Writes every frame's log-Mel column into `out` (frame-major), from the padded signal.
    #[inline(always)]
    fn fill_frames(&mut self, out: &mut [f32], scale: f64) {
        let FeatureConfig {
            n_fft,
            hop_length,
            n_mels,
            ..
        } = self.config;
        let frame = |t: usize| t * hop_length..t * hop_length + n_fft;
        // Frames two at a time through one complex FFT (stft::PowerSpectrum), a last odd one alone.
        for (pair, columns) in out.chunks_mut(2 * n_mels).enumerate() {
            let t = 2 * pair;
            if columns.len() == 2 * n_mels {
                let [power_a, power_b] = &mut self.power;
                self.spectrum.compute_pair(
                    [&self.padded[frame(t)], &self.padded[frame(t + 1)]],
                    [power_a, power_b],
                );
            } else {
                self.spectrum
                    .compute(&self.padded[frame(t)], &mut self.power[0]);
            }
            for (column, power) in columns.chunks_exact_mut(n_mels).zip(&self.power) {
                self.mel_bank.apply(power, &mut self.mel_energies);
                db::energies_to_db(&self.mel_energies, scale, LOG_EPSILON, column);
            }
        }
    }

    /// Checks that a clip can give feature vectors: long enough for one vector (the error names
    /// `name` and the minimum length) and every sample a finite number.
    pub fn check_clip(&self, name: &str, samples: &[f32]) -> Result<(), FeatureError> {
        let min_samples = self.config.min_samples();
        if samples.len() < min_samples {
            return Err(FeatureError::TooShort {
                name: name.to_string(),
                samples: samples.len(),
                min_samples,
                min_seconds: min_samples as f64 / f64::from(self.config.sample_rate),
            });
        }
        if all_usable(samples) {
            return Ok(());
        }
        let bad = |v: &f32| !v.is_finite() || v.abs() > MAX_SAMPLE_MAGNITUDE;
        match samples.iter().position(bad) {
            Some(index) if samples[index].is_finite() => Err(FeatureError::SampleTooLarge {
                name: name.to_string(),
                index,
                value: samples[index],
                limit: MAX_SAMPLE_MAGNITUDE,
            }),
            Some(index) => Err(FeatureError::NonFiniteSample {
                name: name.to_string(),
                index,
                value: samples[index],
            }),
            None => Ok(()),
        }
    }

    /// Stacked vectors of a clip (docs/DESIGN.md §1.4); error (naming `name` and the minimum length) when
    /// the clip is too short for one vector or holds a non-finite sample.
    pub fn vectors(&mut self, name: &str, samples: &[f32]) -> Result<Vectors, FeatureError> {
        Ok(self.frames(name, samples)?.to_vectors())
    }

    /// A clip's log-Mel frames, read as its stacked vectors without stacking them
    /// (docs/DESIGN.md §13.1); the same checks as [`Self::vectors`].
    pub fn frames(&mut self, name: &str, samples: &[f32]) -> Result<FrameStack, FeatureError> {
        self.check_clip(name, samples)?;
        let frame_major = self.log_mel_frame_major(samples);
        FrameStack::new(frame_major, self.config.n_mels, self.config.frames)
            .map_err(FeatureError::InvalidConfig)
    }
}

/// Largest sample magnitude the features take: with |x| ≤ 1e9 the f32 power spectrum stays below
/// (2²⁰ · 1e9)² ≈ 1e30 for every accepted n_fft, far from f32's 3.4e38. Audio lies within ±1.
pub const MAX_SAMPLE_MAGNITUDE: f32 = 1e9;

/// Whether every sample is finite and within ±[`MAX_SAMPLE_MAGNITUDE`], in independent lanes the
/// compiler vectorises: x·0 is 0 for a finite x and NaN for ±∞ or NaN, and NaN survives the sums.
/// (A per-sample search for the first bad value cost a tenth of the feature time; it now runs
/// only when there is one.)
fn all_usable(samples: &[f32]) -> bool {
    const LANES: usize = 16;
    let mut zeros = [0.0f32; LANES];
    let mut peaks = [0.0f32; LANES];
    let chunks = samples.chunks_exact(LANES);
    let tail = chunks
        .remainder()
        .iter()
        .all(|v| v.is_finite() && v.abs() <= MAX_SAMPLE_MAGNITUDE);
    for chunk in chunks {
        for ((zero, peak), &value) in zeros.iter_mut().zip(&mut peaks).zip(chunk) {
            *zero += value * 0.0;
            let magnitude = value.abs();
            *peak = if magnitude > *peak { magnitude } else { *peak };
        }
    }
    tail && zeros.iter().all(|z| *z == 0.0) && peaks.iter().all(|p| *p <= MAX_SAMPLE_MAGNITUDE)
}

/// Frames per tile of the blocked transpose: keeps reads and writes within a few cache lines.
const TRANSPOSE_TILE: usize = 16;

impl std::fmt::Debug for FeatureExtractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeatureExtractor")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Transposes a row-major `rows × cols` matrix, tile by tile.
fn transpose(data: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    let mut out = vec![0.0; data.len()];
    for first_row in (0..rows).step_by(TRANSPOSE_TILE) {
        let tile_rows = first_row..(first_row + TRANSPOSE_TILE).min(rows);
        for c in 0..cols {
            for r in tile_rows.clone() {
                out[c * rows + r] = data[r * cols + c];
            }
        }
    }
    out
}
