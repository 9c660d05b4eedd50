//! Comparison with librosa 0.10.2 on files written by soundfile (libsndfile): the fixtures and
//! librosa's decoded signals come from `tools/audio_fixtures.py` (tests/fixtures/audio/).

use std::path::{Path, PathBuf};

use sonogan::audio::{DecodeOptions, decode_wav, probe_wav};

/// Directory of the committed fixtures.
fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio")
}

/// Read a raw little-endian f32 file.
fn read_f32(path: &Path) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// One fixture described in manifest.json.
struct Fixture {
    stem: String,
    channels: u16,
    rate: u32,
    frames: u64,
    resampled: bool,
}

/// Parse manifest.json.
fn manifest() -> Vec<Fixture> {
    let text = std::fs::read_to_string(fixture_dir().join("manifest.json")).expect("manifest");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&text).expect("manifest JSON");
    entries
        .iter()
        .map(|e| Fixture {
            stem: e["stem"].as_str().expect("stem").to_string(),
            channels: e["channels"].as_u64().expect("channels") as u16,
            rate: e["rate"].as_u64().expect("rate") as u32,
            frames: e["frames"].as_u64().expect("frames"),
            resampled: e["resampled"].as_bool().expect("resampled"),
        })
        .collect()
}

/// Decode a fixture WAV with the given channel option.
fn decode_fixture(f: &Fixture, channel: Option<usize>) -> Vec<f32> {
    let bytes = std::fs::read(fixture_dir().join(format!("{}.wav", f.stem))).expect("fixture");
    let info = probe_wav(&f.stem, &bytes).expect("probes");
    assert_eq!(
        (info.channels, info.sample_rate, info.frames),
        (f.channels, f.rate, f.frames)
    );
    match decode_wav(&f.stem, &bytes, &DecodeOptions { channel }) {
        Ok(clip) => clip.samples,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn downmix_and_channel_pick_equal_librosa_exactly() {
    let fixtures: Vec<Fixture> = manifest().into_iter().filter(|f| !f.resampled).collect();
    assert_eq!(fixtures.len(), 8);
    for f in &fixtures {
        let dir = fixture_dir();
        let mono = read_f32(&dir.join(format!("{}.mono.f32", f.stem)));
        assert_eq!(decode_fixture(f, None), mono, "{} mean down-mix", f.stem);
        let ch1 = read_f32(&dir.join(format!("{}.ch1.f32", f.stem)));
        assert_eq!(decode_fixture(f, Some(1)), ch1, "{} channel 1", f.stem);
    }
}

#[test]
fn resampling_agrees_with_librosa_soxr_hq() {
    let fixtures: Vec<Fixture> = manifest().into_iter().filter(|f| f.resampled).collect();
    assert_eq!(fixtures.len(), 3);
    for f in &fixtures {
        let reference = read_f32(&fixture_dir().join(format!("{}.16k.f32", f.stem)));
        let ours = decode_fixture(f, None);
        assert_eq!(ours.len(), reference.len(), "{}", f.stem);
        let edge = ours.len() / 20;
        let worst = ours[edge..ours.len() - edge]
            .iter()
            .zip(&reference[edge..])
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-3, "{}: max difference {worst}", f.stem);
    }
}
