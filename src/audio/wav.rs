//! A small RIFF/WAVE reader: validates the `fmt ` chunk and locates the sample bytes of the
//! `data` chunk, found by the chunk walk of `riff.rs`. Sample decoding lives in `mix.rs`.

use std::ops::Range;

use super::error::AudioErrorKind;
use super::riff::{Chunks, InMemory, RiffSource, locate_chunks};
use super::{MAX_SAMPLE_RATE, MIN_SAMPLE_RATE};

/// `wFormatTag` of integer PCM.
const TAG_PCM: u16 = 0x0001;
/// `wFormatTag` of IEEE float.
const TAG_FLOAT: u16 = 0x0003;
/// `wFormatTag` of WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID.
const TAG_EXTENSIBLE: u16 = 0xFFFE;
/// Bytes 2..16 of every `KSDATAFORMAT_SUBTYPE_*` GUID built from a format tag
/// (`xxxx0000-0000-0010-8000-00AA00389B71`, little-endian fields).
const SUBFORMAT_GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];
/// Minimal `fmt ` chunk (WAVEFORMAT + wBitsPerSample).
const FMT_MIN_LEN: usize = 16;
/// `fmt ` chunk of WAVE_FORMAT_EXTENSIBLE (WAVEFORMATEX + 22 extension bytes).
const FMT_EXTENSIBLE_LEN: usize = 40;

/// How one sample is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SampleFormat {
    /// Unsigned 8-bit integer, offset 128.
    U8,
    /// Signed 16-bit little-endian integer.
    I16,
    /// Signed 24-bit little-endian integer (3 bytes).
    I24,
    /// Signed 32-bit little-endian integer.
    I32,
    /// IEEE-754 single precision.
    F32,
    /// IEEE-754 double precision.
    F64,
}

impl SampleFormat {
    /// Bytes one sample occupies.
    pub(crate) fn width(self) -> usize {
        match self {
            Self::U8 => 1,
            Self::I16 => 2,
            Self::I24 => 3,
            Self::I32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }

    /// `true` for the IEEE float formats.
    pub(crate) fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F64)
    }
}

/// Everything needed to decode the samples of a WAV file held in memory.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WavLayout {
    /// Frames per second.
    pub sample_rate: u32,
    /// Interleaved channels per frame.
    pub channels: u16,
    /// `wBitsPerSample` (the container size).
    pub bits_per_sample: u16,
    /// Storage of one sample.
    pub format: SampleFormat,
    /// Byte range of the complete frames inside the file (a trailing partial frame is ignored,
    /// as libsndfile does).
    pub data: Range<u64>,
}

impl WavLayout {
    /// Number of complete frames in the data chunk.
    pub(crate) fn frames(&self) -> u64 {
        (self.data.end - self.data.start) / self.frame_bytes() as u64
    }

    /// The data chunk's byte range as indices into a file held in memory (whose length bounds
    /// the range, so it fits a `usize`).
    pub(crate) fn data_in_memory(&self) -> Range<usize> {
        self.data.start as usize..self.data.end as usize
    }

    /// Bytes of one interleaved frame.
    pub(crate) fn frame_bytes(&self) -> usize {
        self.channels as usize * self.format.width()
    }
}

/// The fields of a `fmt ` chunk this reader uses.
#[derive(Debug, Clone, Copy)]
struct FmtChunk {
    format: SampleFormat,
    channels: u16,
    sample_rate: u32,
    block_align: u16,
    bits_per_sample: u16,
}

/// Parse the RIFF/WAVE structure of `bytes` and validate the format (does not decode samples).
pub(crate) fn parse(bytes: &[u8]) -> Result<WavLayout, AudioErrorKind> {
    parse_from(&mut InMemory(bytes))
}

/// Parse the RIFF/WAVE structure read from `source` (in memory or on disk) and validate the
/// format; only the chunk headers and the `fmt ` chunk are read.
pub(crate) fn parse_from(source: &mut dyn RiffSource) -> Result<WavLayout, AudioErrorKind> {
    let Chunks { fmt_body, data } = locate_chunks(source)?;
    let fmt = parse_fmt(&fmt_body)?;
    check_fmt(&fmt)?;
    let frame_bytes = fmt.block_align as u64;
    let whole_frames = (data.end - data.start) / frame_bytes * frame_bytes;
    if whole_frames == 0 {
        return Err(AudioErrorKind::EmptyData);
    }
    Ok(WavLayout {
        sample_rate: fmt.sample_rate,
        channels: fmt.channels,
        bits_per_sample: fmt.bits_per_sample,
        format: fmt.format,
        data: data.start..data.start + whole_frames,
    })
}

/// Read a little-endian u16 at `at` (the caller guarantees the length).
fn le_u16(body: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([body[at], body[at + 1]])
}

/// Read a little-endian u32 at `at` (the caller guarantees the length).
fn le_u32(body: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([body[at], body[at + 1], body[at + 2], body[at + 3]])
}

/// Parse a `fmt ` chunk body: plain PCM / float, or WAVE_FORMAT_EXTENSIBLE.
fn parse_fmt(body: &[u8]) -> Result<FmtChunk, AudioErrorKind> {
    if body.len() < FMT_MIN_LEN {
        return Err(AudioErrorKind::Truncated {
            what: "fmt chunk".to_string(),
            needed: FMT_MIN_LEN as u64,
            present: body.len() as u64,
        });
    }
    let tag = le_u16(body, 0);
    let bits_per_sample = le_u16(body, 14);
    let effective_tag = if tag == TAG_EXTENSIBLE {
        extensible_sub_format(body)?
    } else {
        tag
    };
    let format = sample_format(effective_tag, bits_per_sample)?;
    Ok(FmtChunk {
        format,
        channels: le_u16(body, 2),
        sample_rate: le_u32(body, 4),
        block_align: le_u16(body, 12),
        bits_per_sample,
    })
}

/// The format tag carried by a WAVE_FORMAT_EXTENSIBLE sub-format GUID.
fn extensible_sub_format(body: &[u8]) -> Result<u16, AudioErrorKind> {
    if body.len() < FMT_EXTENSIBLE_LEN {
        return Err(AudioErrorKind::Truncated {
            what: "WAVE_FORMAT_EXTENSIBLE fmt chunk".to_string(),
            needed: FMT_EXTENSIBLE_LEN as u64,
            present: body.len() as u64,
        });
    }
    let guid = &body[24..40];
    if guid[2..] != SUBFORMAT_GUID_TAIL {
        return Err(AudioErrorKind::UnsupportedFormat {
            tag: TAG_EXTENSIBLE,
            name: format!(
                "WAVE_FORMAT_EXTENSIBLE with unknown sub-format GUID {}",
                hex(guid)
            ),
        });
    }
    Ok(le_u16(guid, 0))
}

/// Map a (possibly extensible-derived) format tag and bit depth to a sample format.
fn sample_format(tag: u16, bits: u16) -> Result<SampleFormat, AudioErrorKind> {
    match (tag, bits) {
        (TAG_PCM, 8) => Ok(SampleFormat::U8),
        (TAG_PCM, 16) => Ok(SampleFormat::I16),
        (TAG_PCM, 24) => Ok(SampleFormat::I24),
        (TAG_PCM, 32) => Ok(SampleFormat::I32),
        (TAG_PCM, _) => Err(AudioErrorKind::UnsupportedBitDepth {
            encoding: "integer PCM",
            bits,
        }),
        (TAG_FLOAT, 32) => Ok(SampleFormat::F32),
        (TAG_FLOAT, 64) => Ok(SampleFormat::F64),
        (TAG_FLOAT, _) => Err(AudioErrorKind::UnsupportedBitDepth {
            encoding: "float",
            bits,
        }),
        _ => Err(AudioErrorKind::UnsupportedFormat {
            tag,
            name: format_tag_name(tag).to_string(),
        }),
    }
}

/// The usual name of a few common WAV format tags, for error messages.
fn format_tag_name(tag: u16) -> &'static str {
    match tag {
        0x0000 => "unknown",
        0x0002 => "Microsoft ADPCM",
        0x0006 => "A-law",
        0x0007 => "µ-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3",
        0x00FF => "AAC",
        0x0161..=0x0163 => "Windows Media Audio",
        0xF1AC => "FLAC",
        TAG_EXTENSIBLE => "nested WAVE_FORMAT_EXTENSIBLE",
        _ => "not a known audio format",
    }
}

/// Lower-case hex of a byte string (for GUIDs in messages).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Validate channel count, sample rate and block align of a parsed fmt chunk.
fn check_fmt(fmt: &FmtChunk) -> Result<(), AudioErrorKind> {
    if fmt.channels == 0 {
        return Err(AudioErrorKind::NoChannels);
    }
    if !(MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&fmt.sample_rate) {
        return Err(AudioErrorKind::BadSampleRate(fmt.sample_rate));
    }
    let expected = u32::from(fmt.channels) * fmt.format.width() as u32;
    if u32::from(fmt.block_align) != expected {
        return Err(AudioErrorKind::BlockAlignMismatch {
            declared: fmt.block_align,
            expected,
            channels: fmt.channels,
            bits: fmt.bits_per_sample,
        });
    }
    Ok(())
}
