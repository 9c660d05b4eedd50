//! The RIFF chunk walk of a WAV file, over bytes in memory or a file read on demand, so that
//! `sonogan info` reads a few header bytes of a 3-GB file instead of all of it
//! (docs/DESIGN.md §13.4). Unknown chunks (LIST, fact, cue, ...) are skipped, with the pad byte
//! that follows every odd-sized chunk, or without it where the writer left it out.

use std::ops::Range;

use super::error::AudioErrorKind;

/// Size of the `RIFF<size>WAVE` header.
const RIFF_HEADER_LEN: u64 = 12;
/// Size of a chunk header (id + little-endian u32 size).
const CHUNK_HEADER_LEN: u64 = 8;
/// The most bytes of a `fmt ` chunk read: its fields end at byte 40 (WAVE_FORMAT_EXTENSIBLE),
/// so a chunk claiming more is read no further.
const FMT_READ_LIMIT: u64 = 64;

/// Random access to the bytes of a WAV file.
pub(crate) trait RiffSource {
    /// The file's length in bytes.
    fn total_len(&self) -> u64;
    /// The bytes `at .. at + len`, or fewer where the file ends first.
    fn read_at(&mut self, at: u64, len: u64) -> Result<Vec<u8>, AudioErrorKind>;
}

/// A whole file held in memory.
pub(crate) struct InMemory<'a>(pub &'a [u8]);

impl RiffSource for InMemory<'_> {
    fn total_len(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_at(&mut self, at: u64, len: u64) -> Result<Vec<u8>, AudioErrorKind> {
        let start = at.min(self.total_len()) as usize;
        let end = at.saturating_add(len).min(self.total_len()) as usize;
        Ok(self.0[start..end].to_vec())
    }
}

/// A file on disk, read where the walk looks.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct OnDisk {
    file: std::fs::File,
    len: u64,
}

#[cfg(not(target_arch = "wasm32"))]
impl OnDisk {
    /// Opens `path` for reading.
    pub(crate) fn open(path: &std::path::Path) -> Result<Self, AudioErrorKind> {
        let io = |e: std::io::Error| AudioErrorKind::Io(e.to_string());
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        Ok(Self { file, len })
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl RiffSource for OnDisk {
    fn total_len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, at: u64, len: u64) -> Result<Vec<u8>, AudioErrorKind> {
        use std::io::{Read, Seek, SeekFrom};
        let io = |e: std::io::Error| AudioErrorKind::Io(e.to_string());
        let len = len.min(self.len.saturating_sub(at));
        let mut out = Vec::with_capacity(len as usize);
        self.file.seek(SeekFrom::Start(at)).map_err(io)?;
        (&mut self.file)
            .take(len)
            .read_to_end(&mut out)
            .map_err(io)?;
        Ok(out)
    }
}

/// Where the format and the samples are: the `fmt ` chunk's body (its first
/// [`FMT_READ_LIMIT`] bytes) and the byte range of the `data` chunk's body.
pub(crate) struct Chunks {
    pub fmt_body: Vec<u8>,
    pub data: Range<u64>,
}

/// Checks the `RIFF<size>WAVE` magic (the RIFF size field is ignored: many writers get it wrong)
/// and walks the chunks until both `fmt ` and `data` are found.
pub(crate) fn locate_chunks(source: &mut dyn RiffSource) -> Result<Chunks, AudioErrorKind> {
    check_riff_header(source)?;
    let file_len = source.total_len();
    let mut fmt_body = None;
    let mut data = None;
    let mut pos = RIFF_HEADER_LEN;
    while pos + CHUNK_HEADER_LEN <= file_len && (fmt_body.is_none() || data.is_none()) {
        let header = source.read_at(pos, CHUNK_HEADER_LEN)?;
        let id = &header[..4];
        let size = u64::from(u32::from_le_bytes([
            header[4], header[5], header[6], header[7],
        ]));
        let body_start = pos + CHUNK_HEADER_LEN;
        let present = file_len - body_start;
        match id {
            b"data" if size > present => {
                return Err(AudioErrorKind::DataTruncated {
                    declared: size,
                    present,
                });
            }
            b"data" => data = Some(body_start..body_start + size),
            _ if size > present => {
                return Err(AudioErrorKind::Truncated {
                    what: format!("\"{}\" chunk", id.escape_ascii()),
                    needed: size,
                    present,
                });
            }
            b"fmt " => fmt_body = Some(source.read_at(body_start, size.min(FMT_READ_LIMIT))?),
            _ => {}
        }
        pos = next_chunk_start(source, body_start + size, size)?;
    }
    match (fmt_body, data) {
        (Some(fmt_body), Some(data)) => Ok(Chunks { fmt_body, data }),
        (None, _) => Err(AudioErrorKind::MissingChunk { chunk: "fmt " }),
        (Some(_), None) => Err(AudioErrorKind::MissingChunk { chunk: "data" }),
    }
}

fn check_riff_header(source: &mut dyn RiffSource) -> Result<(), AudioErrorKind> {
    let head = source.read_at(0, RIFF_HEADER_LEN)?;
    let not_wav = || AudioErrorKind::NotWav {
        found: head.escape_ascii().to_string(),
    };
    if !b"RIFF".starts_with(&head[..head.len().min(4)]) {
        return Err(not_wav());
    }
    if (head.len() as u64) < RIFF_HEADER_LEN {
        return Err(AudioErrorKind::Truncated {
            what: "RIFF header".to_string(),
            needed: RIFF_HEADER_LEN,
            present: head.len() as u64,
        });
    }
    if &head[8..12] != b"WAVE" {
        return Err(not_wav());
    }
    Ok(())
}

/// Where the chunk after one of `size` bytes ending at `end` starts: after the pad byte RIFF puts
/// behind every odd-sized chunk, unless the writer left the pad out. A missing pad is recognised
/// by a chunk id (four printable ASCII characters) right at `end` and none one byte later; without
/// that check the walk would read a shifted header ("mt \x10") and a nonsense size.
fn next_chunk_start(
    source: &mut dyn RiffSource,
    end: u64,
    size: u64,
) -> Result<u64, AudioErrorKind> {
    let padded = end + (size & 1);
    if padded == end {
        return Ok(end);
    }
    let ahead = source.read_at(end, 5)?;
    let is_id =
        |bytes: Option<&[u8]>| bytes.is_some_and(|id| id.iter().all(|b| (0x20..=0x7e).contains(b)));
    if !is_id(ahead.get(1..5)) && is_id(ahead.get(0..4)) {
        return Ok(end);
    }
    Ok(padded)
}
