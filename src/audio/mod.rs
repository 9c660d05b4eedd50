//! Audio decoding: WAV (PCM 8/16/24/32, float 32, WAVE_FORMAT_EXTENSIBLE), down-mix or channel
//! pick, resampling to 16 kHz. Pure Rust, identical natively and in wasm.

/// The sample rate every clip is converted to (DCASE 2020, spec §1.2).
pub const TARGET_RATE: u32 = 16_000;

/// How to turn a multi-channel file into the mono signal the features use (spec §10.13).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecodeOptions {
    /// `None`: mean of all channels (librosa `mono=True`). `Some(c)`: channel `c` (0-based) only.
    pub channel: Option<usize>,
}

/// A decoded mono clip at [`TARGET_RATE`].
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    /// Name used in messages and reports (file name or path as given).
    pub name: String,
    /// Mono samples in [-1, 1), at `TARGET_RATE`.
    pub samples: Vec<f32>,
    /// The file's own sample rate before resampling.
    pub source_rate: u32,
    /// The file's channel count.
    pub source_channels: u16,
}

/// What a WAV header says, without decoding the samples (for `sonogan info`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    /// "pcm" or "float"
    pub sample_format: String,
    pub frames: u64,
    pub duration_s: f64,
}

/// Every way decoding can fail. Display gives "<name>: <problem>".
#[derive(Debug, thiserror::Error)]
#[error("{name}: {kind}")]
pub struct AudioError {
    pub name: String,
    pub kind: AudioErrorKind,
}

/// The problem, independent of the file name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AudioErrorKind {
    #[error("placeholder")]
    Placeholder,
}

/// Decode a whole WAV file held in memory.
pub fn decode_wav(name: &str, bytes: &[u8], opts: &DecodeOptions) -> Result<Clip, AudioError> {
    let _ = (name, bytes, opts);
    todo!()
}

/// Read only the header of a WAV file held in memory.
pub fn probe_wav(name: &str, bytes: &[u8]) -> Result<WavInfo, AudioError> {
    let _ = (name, bytes);
    todo!()
}

/// Build a clip from already decoded channels (e.g. the browser's `decodeAudioData`):
/// down-mix / pick a channel, check for NaN/Inf, resample to 16 kHz.
pub fn clip_from_channels(
    name: &str,
    channels: &[Vec<f32>],
    sample_rate: u32,
    opts: &DecodeOptions,
) -> Result<Clip, AudioError> {
    let _ = (name, channels, sample_rate, opts);
    todo!()
}

/// Read and decode a file from disk (native only).
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: &std::path::Path, opts: &DecodeOptions) -> Result<Clip, AudioError> {
    let _ = (path, opts);
    todo!()
}
