//! Assembles WAV files byte by byte for the tests, independently of the decoder under test.

/// Integer PCM format tag.
pub const PCM: u16 = 1;
/// IEEE float format tag.
pub const FLOAT: u16 = 3;
/// WAVE_FORMAT_EXTENSIBLE format tag.
pub const EXTENSIBLE: u16 = 0xFFFE;

/// One RIFF chunk: id, little-endian size, body and a pad byte when the size is odd.
pub fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// A chunk whose header declares `declared` bytes while only `body` follows.
pub fn chunk_declaring(id: &[u8; 4], declared: u32, body: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.extend_from_slice(&declared.to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// `RIFF<size>WAVE` followed by the given chunks.
pub fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    out.extend_from_slice(b"WAVE");
    out.extend_from_slice(&body);
    out
}

/// A 16-byte `fmt ` body with an explicit block align.
pub fn fmt_body(tag: u16, channels: u16, rate: u32, block_align: u16, bits: u16) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&tag.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.wrapping_mul(u32::from(block_align)).to_le_bytes());
    b.extend_from_slice(&block_align.to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b
}

/// A consistent `fmt ` chunk (block align = channels × bits / 8).
pub fn fmt(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    chunk(
        b"fmt ",
        &fmt_body(tag, channels, rate, channels * bits / 8, bits),
    )
}

/// A WAVE_FORMAT_EXTENSIBLE `fmt ` chunk whose sub-format GUID carries `sub_tag`.
pub fn fmt_extensible(sub_tag: u16, channels: u16, rate: u32, bits: u16, valid: u16) -> Vec<u8> {
    let mut guid = sub_tag.to_le_bytes().to_vec();
    // 0000xxxx-0000-0010-8000-00aa00389b71, fields little-endian.
    guid.extend_from_slice(&[0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]);
    fmt_extensible_guid(&guid, channels, rate, bits, valid)
}

/// A WAVE_FORMAT_EXTENSIBLE `fmt ` chunk with an arbitrary 16-byte sub-format GUID.
pub fn fmt_extensible_guid(
    guid: &[u8],
    channels: u16,
    rate: u32,
    bits: u16,
    valid: u16,
) -> Vec<u8> {
    let mut b = fmt_body(EXTENSIBLE, channels, rate, channels * bits / 8, bits);
    b.extend_from_slice(&22u16.to_le_bytes()); // cbSize
    b.extend_from_slice(&valid.to_le_bytes());
    b.extend_from_slice(&((1u32 << channels) - 1).to_le_bytes()); // channel mask
    b.extend_from_slice(guid);
    chunk(b"fmt ", &b)
}

/// A complete file: fmt chunk + data chunk.
pub fn wav(tag: u16, channels: u16, rate: u32, bits: u16, data: &[u8]) -> Vec<u8> {
    riff(&[fmt(tag, channels, rate, bits), chunk(b"data", data)])
}

/// Little-endian 16-bit samples.
pub fn i16_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Little-endian 24-bit samples (the low three bytes of each i32).
pub fn i24_bytes(samples: &[i32]) -> Vec<u8> {
    samples
        .iter()
        .flat_map(|s| s.to_le_bytes()[..3].to_vec())
        .collect()
}

/// Little-endian 32-bit integer samples.
pub fn i32_bytes(samples: &[i32]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Little-endian f32 samples.
pub fn f32_bytes(samples: &[f32]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// Little-endian f64 samples.
pub fn f64_bytes(samples: &[f64]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

/// A 16-bit mono 16 kHz file holding `samples`.
pub fn mono16(samples: &[i16]) -> Vec<u8> {
    wav(PCM, 1, 16_000, 16, &i16_bytes(samples))
}
