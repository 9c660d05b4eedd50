//! Errors of the audio stage. Every failure carries the file (or clip) name and a precise,
//! matchable description of the problem; nothing in this module panics on bad input.

use super::{MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, TARGET_RATE};

/// Every way decoding can fail. Display gives "<name>: <problem>".
#[derive(Debug, thiserror::Error)]
#[error("{name}: {kind}")]
pub struct AudioError {
    /// The file or clip name as given by the caller.
    pub name: String,
    /// What went wrong.
    pub kind: AudioErrorKind,
}

impl AudioError {
    /// Attach a file or clip name to a problem.
    pub fn new(name: &str, kind: AudioErrorKind) -> Self {
        Self {
            name: name.to_string(),
            kind,
        }
    }
}

/// The problem, independent of the file name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AudioErrorKind {
    /// The bytes do not start with a `RIFF....WAVE` header.
    #[error(
        "not a RIFF/WAVE file: it starts with \"{found}\" instead of \"RIFF<size>WAVE\" \
         (only WAV is supported)"
    )]
    NotWav {
        /// The first bytes of the file, ASCII-escaped.
        found: String,
    },
    /// A header structure ends before its declared or minimal size.
    #[error("truncated {what}: it needs {needed} bytes but only {present} are present")]
    Truncated {
        /// Which structure ("RIFF header", "fmt chunk", "\"LIST\" chunk", ...).
        what: String,
        /// Bytes the structure needs.
        needed: u64,
        /// Bytes the file actually holds for it.
        present: u64,
    },
    /// A required chunk (`fmt ` or `data`) never appears.
    #[error("the file has no \"{chunk}\" chunk")]
    MissingChunk {
        /// The four-character chunk id that is missing.
        chunk: &'static str,
    },
    /// The data chunk declares more bytes than the file holds after its header.
    #[error(
        "the data chunk declares {declared} bytes but the file holds only {present} \
         (truncated file?)"
    )]
    DataTruncated {
        /// Size written in the data chunk header.
        declared: u64,
        /// Bytes actually present after the data chunk header.
        present: u64,
    },
    /// There is not a single sample (empty data chunk or empty channels).
    #[error("no audio: the data holds no complete sample frame")]
    EmptyData,
    /// The sample rate is zero or outside the accepted range.
    #[error(
        "sample rate {0} Hz is outside the accepted range {min}–{max} Hz",
        min = MIN_SAMPLE_RATE,
        max = MAX_SAMPLE_RATE
    )]
    BadSampleRate(u32),
    /// The channel count is zero (header) or no channel was given.
    #[error("no audio channels: the channel count is 0")]
    NoChannels,
    /// More channels than a WAV file can describe (65535).
    #[error("{channels} channels given; at most 65535 are supported")]
    TooManyChannels {
        /// The number of channels given.
        channels: usize,
    },
    /// A format tag (or extensible sub-format) other than integer PCM or IEEE float.
    #[error(
        "unsupported format tag 0x{tag:04X} ({name}); supported: integer PCM (1), \
         IEEE float (3) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) carrying either"
    )]
    UnsupportedFormat {
        /// The format tag or extensible sub-format code.
        tag: u16,
        /// Its usual name, or a description of what was found.
        name: String,
    },
    /// A bit depth this decoder does not read.
    #[error(
        "unsupported bit depth: {bits}-bit {encoding} (supported: 8/16/24/32-bit integer PCM, \
         32/64-bit float)"
    )]
    UnsupportedBitDepth {
        /// "integer PCM" or "float".
        encoding: &'static str,
        /// Bits per sample from the fmt chunk.
        bits: u16,
    },
    /// The fmt chunk's block align is not channels × bytes per sample.
    #[error(
        "block align is {declared} bytes, but {channels} channel(s) of {bits}-bit samples \
         need {expected}"
    )]
    BlockAlignMismatch {
        /// Block align written in the fmt chunk.
        declared: u16,
        /// channels × bits / 8.
        expected: u32,
        /// Channel count from the fmt chunk.
        channels: u16,
        /// Bits per sample from the fmt chunk.
        bits: u16,
    },
    /// A float sample is NaN or infinite (or too large for f32).
    #[error("non-finite sample (NaN or infinity) at frame {frame}, channel {channel}")]
    NonFinite {
        /// 0-based frame (sample index in time).
        frame: u64,
        /// 0-based channel.
        channel: usize,
    },
    /// Float samples so far beyond ±1 that the down-mix or the resampling overflows f32 to
    /// infinity (found by fuzzing: values near 1e37 pass the per-sample check).
    #[error("samples too large: {what}; audio samples lie within ±1")]
    Overflow {
        /// Which step overflowed, where, and the largest sample magnitude when known.
        what: String,
    },
    /// The file is larger than the loader accepts; it was not read.
    #[error("the file is {bytes} bytes, more than the {limit}-byte limit; it was not read")]
    TooLarge {
        /// File size.
        bytes: u64,
        /// Accepted maximum.
        limit: u64,
    },
    /// The clip lasts longer than the accepted maximum.
    #[error("the clip lasts {seconds:.1} s, longer than the {limit_s} s limit")]
    TooLong {
        /// Duration of the clip.
        seconds: f64,
        /// Accepted maximum.
        limit_s: f64,
    },
    /// So few frames that resampling leaves no sample.
    #[error(
        "too short: {frames} frame(s) at {rate} Hz leave no sample at {target} Hz",
        target = TARGET_RATE
    )]
    TooShort {
        /// Frames in the input.
        frames: u64,
        /// Input sample rate.
        rate: u32,
    },
    /// `DecodeOptions::channel` names a channel the input does not have.
    #[error(
        "channel {channel} was requested, but there are only {channels} channel(s), numbered from 0"
    )]
    NoSuchChannel {
        /// The requested 0-based channel.
        channel: usize,
        /// The input's channel count.
        channels: usize,
    },
    /// Decoded channels given to `clip_from_channels` differ in length.
    #[error("channel {channel} has {len} samples but channel 0 has {expected}")]
    ChannelLengthMismatch {
        /// The offending channel.
        channel: usize,
        /// Its length.
        len: usize,
        /// Length of channel 0.
        expected: usize,
    },
    /// The resampler refused its input (an internal error, reported rather than panicking).
    #[error("resampling failed: {0}")]
    Resample(String),
    /// Reading the file failed.
    #[error("cannot read the file: {0}")]
    Io(String),
}
