//! The byte layout of a model file, independent of what the manifest and weights contain.
//!
//! ```text
//! offset  size  content
//! 0       8     magic "SONOGAN\0"
//! 8       4     format version, u32 little-endian
//! 12      8     manifest length M, u64 little-endian
//! 20      M     manifest, UTF-8 JSON
//! 20+M    8     weights length W, u64 little-endian
//! 28+M    W     weights (the detector's own bytes)
//! 28+M+W  8     FNV-1a 64 checksum of every byte before it, u64 little-endian
//! ```

use super::StoreError;

/// The first eight bytes of every model file.
pub const MAGIC: &[u8; 8] = b"SONOGAN\0";
/// The container format this build writes; it reads this version and older ones.
pub const FORMAT_VERSION: u32 = 1;

const VERSION_AT: usize = MAGIC.len();
const MANIFEST_LENGTH_AT: usize = VERSION_AT + 4;
const LENGTH_BYTES: usize = 8;
const CHECKSUM_BYTES: usize = 8;
/// The size of a file with an empty manifest and no weights.
const MIN_FILE_BYTES: usize = MANIFEST_LENGTH_AT + LENGTH_BYTES + LENGTH_BYTES + CHECKSUM_BYTES;

/// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), fed in pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a64 {
    state: u64,
}

impl Default for Fnv1a64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Fnv1a64 {
    /// A hasher at the offset basis.
    pub fn new() -> Self {
        Self {
            state: 0xcbf2_9ce4_8422_2325,
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.state ^= u64::from(byte);
            self.state = self.state.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// The hash of everything fed so far.
    pub fn finish(&self) -> u64 {
        self.state
    }
}

/// FNV-1a 64 of one byte slice.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    let mut hash = Fnv1a64::new();
    hash.update(bytes);
    hash.finish()
}

/// The two payloads of a model file, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Sections<'a> {
    /// The version the file was written with.
    pub version: u32,
    /// The manifest JSON.
    pub manifest: &'a [u8],
    /// The weights.
    pub weights: &'a [u8],
}

/// Lays out magic, version, manifest, weights and checksum.
pub fn encode(manifest: &[u8], weights: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIN_FILE_BYTES + manifest.len() + weights.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(manifest.len() as u64).to_le_bytes());
    out.extend_from_slice(manifest);
    out.extend_from_slice(&(weights.len() as u64).to_le_bytes());
    out.extend_from_slice(weights);
    let checksum = fnv1a_64(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// Splits a model file into its sections, checking in this order: the magic (is it a model file
/// at all?), the version (is it too new?), the section lengths (is it truncated or padded?) and
/// the checksum (is it corrupted?).
pub fn decode(bytes: &[u8]) -> Result<Sections<'_>, StoreError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(StoreError::NotAModel);
    }
    if bytes.len() < MIN_FILE_BYTES {
        return Err(StoreError::Truncated {
            expected: MIN_FILE_BYTES as u64,
            actual: bytes.len() as u64,
        });
    }
    let version = read_u32(bytes, VERSION_AT);
    if version > FORMAT_VERSION {
        return Err(StoreError::NewerVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if version == 0 {
        return Err(StoreError::Corrupted(
            "format version 0 does not exist".into(),
        ));
    }
    let manifest_len = read_u64(bytes, MANIFEST_LENGTH_AT);
    let manifest_start = MANIFEST_LENGTH_AT + LENGTH_BYTES;
    let weights_length_at = checked_end(manifest_start, manifest_len, bytes.len())?;
    let weights_len = read_u64(bytes, weights_length_at);
    let weights_start = weights_length_at + LENGTH_BYTES;
    let weights_end = checked_end(weights_start, weights_len, bytes.len())?;
    let expected_len = weights_end as u64 + CHECKSUM_BYTES as u64;
    if (bytes.len() as u64) < expected_len {
        return Err(StoreError::Truncated {
            expected: expected_len,
            actual: bytes.len() as u64,
        });
    }
    if (bytes.len() as u64) > expected_len {
        return Err(StoreError::Corrupted(format!(
            "{} unexpected bytes after the end of the model",
            bytes.len() as u64 - expected_len
        )));
    }
    let stored = read_u64(bytes, weights_end);
    let computed = fnv1a_64(&bytes[..weights_end]);
    if stored != computed {
        return Err(StoreError::Corrupted(format!(
            "checksum mismatch (stored {stored:016x}, computed {computed:016x})"
        )));
    }
    Ok(Sections {
        version,
        manifest: &bytes[manifest_start..manifest_start + manifest_len as usize],
        weights: &bytes[weights_start..weights_end],
    })
}

/// The end of a section of `len` bytes starting at `start`, which must leave room for the
/// 8-byte field that follows it; a length reaching past the file means the file is truncated.
fn checked_end(start: usize, len: u64, file_len: usize) -> Result<usize, StoreError> {
    let needed = (start as u64)
        .saturating_add(len)
        .saturating_add(LENGTH_BYTES as u64);
    if needed > file_len as u64 {
        return Err(StoreError::Truncated {
            expected: needed,
            actual: file_len as u64,
        });
    }
    Ok(start + len as usize)
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}
