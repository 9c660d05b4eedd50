//! `--cache DIR`: a clip's log-Mel frames kept on disk, so a second run skips decoding and
//! features (docs/DESIGN.md §13.3).
//!
//! An entry is keyed by the FNV-1a 64 hash of the file's bytes, its length, the channel choice
//! and the feature configuration, so a changed file or setting never hits a stale entry. The
//! entry holds a magic, the frame width and context, the value count, the f32 LE frames and a
//! checksum of them; an entry that does not read back whole is recomputed (with a warning) and
//! rewritten. Entries are written to a temporary name and renamed.

use super::job_store::write_atomic;
use crate::audio::{self, DecodeOptions, MAX_FILE_BYTES};
use crate::features::{FeatureExtractor, FrameStack};
use crate::store::{Fnv1a64, fnv1a_64};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"SGFRAME1";
/// Magic, width (u32), context (u32), value count (u64).
const HEADER_BYTES: usize = 8 + 4 + 4 + 8;

/// A folder of cached clip frames.
#[derive(Debug, Clone)]
pub struct FeatureCache {
    dir: PathBuf,
}

impl FeatureCache {
    /// Uses (creating) `dir`; error unless it can be written.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| {
            anyhow::anyhow!("{}: cannot create the feature cache: {e}", dir.display())
        })?;
        super::job_store::check_writable(dir)?;
        Ok(FeatureCache {
            dir: dir.to_path_buf(),
        })
    }

    /// The clip's frames from the cache, or decoded and computed (and then stored). Errors name
    /// the file; a cache that cannot be written only warns.
    pub fn frames(
        &self,
        extractor: &mut FeatureExtractor,
        path: &Path,
        decode: &DecodeOptions,
    ) -> Result<FrameStack, String> {
        let name = path.display().to_string();
        let size = std::fs::metadata(path)
            .map_err(|e| format!("{name}: {e}"))?
            .len();
        if size > MAX_FILE_BYTES {
            // Refused by the decoder with its own message, before anything is read.
            return super::load::clip_frames(extractor, path, decode);
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
        let entry = self
            .dir
            .join(format!("{}.frames", key(&bytes, extractor, decode)));
        if let Ok(stored) = std::fs::read(&entry) {
            match read_entry(&stored) {
                Some(frames) => return Ok(frames),
                None => eprintln!(
                    "warning: {}: damaged feature-cache entry for {name}, recomputing",
                    entry.display()
                ),
            }
        }
        let clip = audio::decode_wav(&name, &bytes, decode).map_err(|e| e.to_string())?;
        drop(bytes);
        let frames = extractor
            .frames(&name, &clip.samples)
            .map_err(|e| e.to_string())?;
        if let Err(e) = write_atomic(&entry, &entry_bytes(&frames)) {
            eprintln!("warning: feature cache: {}", super::error_chain(&e));
        }
        Ok(frames)
    }
}

/// The entry name: hash of the file's bytes with the length, channel and feature settings.
fn key(bytes: &[u8], extractor: &FeatureExtractor, decode: &DecodeOptions) -> String {
    let mut hash = Fnv1a64::new();
    hash.update(bytes);
    let settings = serde_json::json!({
        "features": extractor.config(),
        "channel": decode.channel,
    });
    hash.update(settings.to_string().as_bytes());
    format!("{:016x}-{}", hash.finish(), bytes.len())
}

fn entry_bytes(frames: &FrameStack) -> Vec<u8> {
    let values = frames.frame_values();
    let mut out = Vec::with_capacity(HEADER_BYTES + values.len() * 4 + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(frames.width() as u32).to_le_bytes());
    out.extend_from_slice(&(frames.context() as u32).to_le_bytes());
    out.extend_from_slice(&(values.len() as u64).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let checksum = fnv1a_64(&out[HEADER_BYTES..]);
    out.extend_from_slice(&checksum.to_le_bytes());
    out
}

/// The frames of an entry, or `None` when it is not whole (wrong magic, sizes or checksum).
fn read_entry(bytes: &[u8]) -> Option<FrameStack> {
    let header = bytes.get(..HEADER_BYTES)?;
    if &header[..8] != MAGIC {
        return None;
    }
    let width = u32::from_le_bytes(header[8..12].try_into().ok()?) as usize;
    let context = u32::from_le_bytes(header[12..16].try_into().ok()?) as usize;
    let count = usize::try_from(u64::from_le_bytes(header[16..24].try_into().ok()?)).ok()?;
    let data_end = HEADER_BYTES.checked_add(count.checked_mul(4)?)?;
    if bytes.len() != data_end.checked_add(8)? {
        return None;
    }
    let data = &bytes[HEADER_BYTES..data_end];
    let checksum = u64::from_le_bytes(bytes[data_end..].try_into().ok()?);
    if fnv1a_64(data) != checksum {
        return None;
    }
    let values = data
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    FrameStack::new(values, width, context).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_and_damage_is_detected() {
        let frames = FrameStack::new((0..40).map(|v| v as f32 * 0.5).collect(), 4, 5).unwrap();
        let mut bytes = entry_bytes(&frames);
        assert_eq!(read_entry(&bytes), Some(frames));
        assert_eq!(read_entry(&bytes[..bytes.len() - 1]), None, "truncated");
        bytes[HEADER_BYTES + 3] ^= 1;
        assert_eq!(read_entry(&bytes), None, "flipped bit");
        assert_eq!(read_entry(b"SGFRAME1"), None);
    }
}
