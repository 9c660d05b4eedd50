//! Audio decoding: WAV (PCM 8/16/24/32, float 32/64, WAVE_FORMAT_EXTENSIBLE), down-mix or channel
//! pick, resampling to 16 kHz. Pure Rust, identical natively and in wasm.
//!
//! - `riff.rs`: the chunk walk, over bytes in memory or a file read on demand,
//! - `wav.rs`: the `fmt ` chunk and the data range (header validation, no sample decoding),
//! - `mix.rs`: sample decoding with librosa's integer scaling and the mono conversion,
//! - `resample.rs`: rubato FFT resampling, time-aligned and of length `round(n · 16000 / sr)`,
//! - `error.rs`: [`AudioError`] / [`AudioErrorKind`].

mod encode;
mod error;
mod mix;
mod resample;
mod riff;
mod wav;

pub use encode::{quantise_16_bit, to_pcm16, wav_bytes};
pub use error::{AudioError, AudioErrorKind};
pub use resample::{resample, resampled_len};

/// The sample rate every clip is converted to (DCASE 2020, docs/DESIGN.md §1.2).
pub const TARGET_RATE: u32 = 16_000;
/// Lowest accepted source sample rate, in Hz.
pub const MIN_SAMPLE_RATE: u32 = 1_000;
/// Highest accepted source sample rate, in Hz.
pub const MAX_SAMPLE_RATE: u32 = 384_000;
/// Longest accepted clip, in seconds (one hour; DCASE clips last 10 s).
pub const MAX_DURATION_S: f64 = 3_600.0;
/// Largest file [`load`] reads (2 GiB); larger files are refused before reading.
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// How to turn a multi-channel file into the mono signal the features use (docs/DESIGN.md §10.13).
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
    /// Frames per second of the file.
    pub sample_rate: u32,
    /// Interleaved channels.
    pub channels: u16,
    /// Bits per sample (container size).
    pub bits_per_sample: u16,
    /// "pcm" or "float"
    pub sample_format: String,
    /// Complete frames in the data chunk.
    pub frames: u64,
    /// `frames / sample_rate`, in seconds.
    pub duration_s: f64,
}

/// Decode a whole WAV file held in memory: parse, decode to mono (mean or one channel, spec
/// §10.13), resample to [`TARGET_RATE`]. A 16 kHz mono file passes through bit-for-bit.
pub fn decode_wav(name: &str, bytes: &[u8], opts: &DecodeOptions) -> Result<Clip, AudioError> {
    let named = |kind| AudioError::new(name, kind);
    let layout = wav::parse(bytes).map_err(named)?;
    check_duration(layout.frames(), layout.sample_rate).map_err(named)?;
    let pick = resolve_channel(opts, layout.channels as usize).map_err(named)?;
    let mono = mix::decode_mono(&bytes[layout.data_in_memory()], &layout, pick).map_err(named)?;
    check_mean_finite(&mono, layout.channels as usize, pick).map_err(named)?;
    let samples = to_target_rate(mono, layout.sample_rate).map_err(named)?;
    Ok(Clip {
        name: name.to_string(),
        samples,
        source_rate: layout.sample_rate,
        source_channels: layout.channels,
    })
}

/// Read only the header of a WAV file held in memory. It is validated as [`decode_wav`] does,
/// the length limit included, so `sonogan info` accepts exactly the files `features` decodes.
pub fn probe_wav(name: &str, bytes: &[u8]) -> Result<WavInfo, AudioError> {
    header_info(name, &mut riff::InMemory(bytes))
}

/// Read only the header of a WAV file on disk: the chunk headers and the `fmt ` chunk, a few
/// hundred bytes however long the file (docs/DESIGN.md §13.4).
///
/// ```no_run
/// let info = sonogan::audio::probe_wav_file(std::path::Path::new("fan/train/normal_id_00_00000000.wav"))?;
/// println!("{} Hz, {:.1} s", info.sample_rate, info.duration_s);
/// # Ok::<(), sonogan::audio::AudioError>(())
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn probe_wav_file(path: &std::path::Path) -> Result<WavInfo, AudioError> {
    let name = path.display().to_string();
    let mut file = riff::OnDisk::open(path).map_err(|kind| AudioError::new(&name, kind))?;
    header_info(&name, &mut file)
}

fn header_info(name: &str, source: &mut dyn riff::RiffSource) -> Result<WavInfo, AudioError> {
    let named = |kind| AudioError::new(name, kind);
    let layout = wav::parse_from(source).map_err(named)?;
    let frames = layout.frames();
    check_duration(frames, layout.sample_rate).map_err(named)?;
    Ok(WavInfo {
        sample_rate: layout.sample_rate,
        channels: layout.channels,
        bits_per_sample: layout.bits_per_sample,
        sample_format: if layout.format.is_float() {
            "float"
        } else {
            "pcm"
        }
        .to_string(),
        frames,
        duration_s: frames as f64 / f64::from(layout.sample_rate),
    })
}

/// Build a clip from already decoded channels (e.g. the browser's `decodeAudioData`):
/// down-mix / pick a channel, check for NaN/Inf, resample to 16 kHz.
pub fn clip_from_channels(
    name: &str,
    channels: &[Vec<f32>],
    sample_rate: u32,
    opts: &DecodeOptions,
) -> Result<Clip, AudioError> {
    let named = |kind| AudioError::new(name, kind);
    if channels.is_empty() {
        return Err(named(AudioErrorKind::NoChannels));
    }
    let source_channels = u16::try_from(channels.len()).map_err(|_| {
        named(AudioErrorKind::TooManyChannels {
            channels: channels.len(),
        })
    })?;
    check_sample_rate(sample_rate).map_err(named)?;
    check_duration(channels[0].len() as u64, sample_rate).map_err(named)?;
    let pick = resolve_channel(opts, channels.len()).map_err(named)?;
    let mono = mix::mix_channels(channels, pick).map_err(named)?;
    check_mean_finite(&mono, channels.len(), pick).map_err(named)?;
    let samples = to_target_rate(mono, sample_rate).map_err(named)?;
    Ok(Clip {
        name: name.to_string(),
        samples,
        source_rate: sample_rate,
        source_channels,
    })
}

/// Read and decode a file from disk (native only). Files over [`MAX_FILE_BYTES`] are refused
/// before reading. The clip is named after the path as given.
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: &std::path::Path, opts: &DecodeOptions) -> Result<Clip, AudioError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| AudioError::new(&name, AudioErrorKind::Io(e.to_string()));
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > MAX_FILE_BYTES {
        return Err(AudioError::new(
            &name,
            AudioErrorKind::TooLarge {
                bytes,
                limit: MAX_FILE_BYTES,
            },
        ));
    }
    let contents = std::fs::read(path).map_err(io)?;
    decode_wav(&name, &contents, opts)
}

/// Error unless `rate` lies in [`MIN_SAMPLE_RATE`]..=[`MAX_SAMPLE_RATE`].
fn check_sample_rate(rate: u32) -> Result<(), AudioErrorKind> {
    if (MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&rate) {
        Ok(())
    } else {
        Err(AudioErrorKind::BadSampleRate(rate))
    }
}

/// Error when `frames` at `rate` last longer than [`MAX_DURATION_S`] (`rate` is non-zero).
fn check_duration(frames: u64, rate: u32) -> Result<(), AudioErrorKind> {
    let seconds = frames as f64 / f64::from(rate);
    if seconds > MAX_DURATION_S {
        return Err(AudioErrorKind::TooLong {
            seconds,
            limit_s: MAX_DURATION_S,
        });
    }
    Ok(())
}

/// The channel to keep (`None`: mean of all), checked against the input's channel count.
fn resolve_channel(opts: &DecodeOptions, channels: usize) -> Result<Option<usize>, AudioErrorKind> {
    match opts.channel {
        Some(channel) if channel >= channels => {
            Err(AudioErrorKind::NoSuchChannel { channel, channels })
        }
        pick => Ok(pick),
    }
}

/// Error when the mean down-mix of finite samples overflowed f32 (a sum of values near the
/// f32 maximum); a single or picked channel is the file's own finite samples.
fn check_mean_finite(
    mono: &[f32],
    channels: usize,
    pick: Option<usize>,
) -> Result<(), AudioErrorKind> {
    if channels < 2 || pick.is_some() {
        return Ok(());
    }
    match mono.iter().position(|v| !v.is_finite()) {
        Some(frame) => Err(AudioErrorKind::Overflow {
            what: format!("the mean of the {channels} channels overflows f32 at frame {frame}"),
        }),
        None => Ok(()),
    }
}

/// Largest sample magnitude the resampler is given. Its forward and inverse FFTs each sum up to
/// ~1.5 million values (the longest chunks, at 384 kHz), so 1e20 keeps every sum below 1e33,
/// far from f32's 3.4e38; audio lies within ±1, so no real recording comes near it. Beyond it
/// the FFT overflows to infinity and rubato panics on the NaN spectrum (found by fuzzing).
const MAX_RESAMPLED_MAGNITUDE: f32 = 1e20;

/// Resample a mono signal to [`TARGET_RATE`]; a signal already at that rate is returned as is.
/// Finite samples of huge magnitude would overflow the FFT resampler (a panic in rubato, or
/// infinities out): they are refused before resampling, and any non-finite output after it.
fn to_target_rate(mono: Vec<f32>, rate: u32) -> Result<Vec<f32>, AudioErrorKind> {
    if rate == TARGET_RATE {
        return Ok(mono);
    }
    if let Some(frame) = mono.iter().position(|v| v.abs() > MAX_RESAMPLED_MAGNITUDE) {
        return Err(AudioErrorKind::Overflow {
            what: format!(
                "sample {frame} has magnitude {:e}, beyond the {MAX_RESAMPLED_MAGNITUDE:e} that resampling from {rate} Hz to {TARGET_RATE} Hz can take",
                mono[frame].abs()
            ),
        });
    }
    let samples = resample(&mono, rate, TARGET_RATE)?;
    if samples.is_empty() {
        return Err(AudioErrorKind::TooShort {
            frames: mono.len() as u64,
            rate,
        });
    }
    if samples.iter().any(|v| !v.is_finite()) {
        let peak = mono.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        return Err(AudioErrorKind::Overflow {
            what: format!(
                "resampling from {rate} Hz to {TARGET_RATE} Hz overflows f32 (the largest sample magnitude is {peak:e})"
            ),
        });
    }
    Ok(samples)
}
