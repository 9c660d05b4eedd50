//! The WAV decoder on arbitrary bytes: `probe_wav` (the header walk over bytes in memory),
//! `probe_wav_file` (the same walk reading a file on demand), and `decode_wav` with the default
//! down-mix and with the channel pick the input's last byte names (out of range included).
//! Each must return Ok or an error with a message, never panic, and the three must agree:
//! `sonogan info` promises to accept exactly the files `features` decodes.
//!
//! Shared by `fuzz/fuzz_targets/wav_decode.rs` and `tests/fuzz_regressions.rs`.

use sonogan::audio::{DecodeOptions, decode_wav, probe_wav, probe_wav_file};

/// One input, as the fuzz target and `tests/fuzz_regressions.rs` feed it.
pub fn check(data: &[u8]) {
    let probed = probe_wav("fuzz.wav", data);
    if let Err(e) = &probed {
        assert!(!e.to_string().is_empty());
    }
    let on_disk = probe_from_disk(data);
    assert_eq!(
        probed.as_ref().ok(),
        on_disk.as_ref().ok(),
        "the in-memory and on-disk chunk walks disagree"
    );
    let mixed = decode_wav("fuzz.wav", data, &DecodeOptions::default());
    match (&mixed, &probed) {
        (Ok(clip), Ok(info)) => {
            assert_eq!(clip.source_rate, info.sample_rate);
            assert_eq!(clip.source_channels, info.channels);
            assert!(clip.samples.iter().all(|s| s.is_finite()));
        }
        (Ok(_), Err(e)) => panic!("decodes but the header probe refuses it: {e}"),
        (Err(e), _) => assert!(!e.to_string().is_empty()),
    }
    let channel = usize::from(*data.last().unwrap_or(&0));
    let picked = decode_wav(
        "fuzz.wav",
        data,
        &DecodeOptions {
            channel: Some(channel),
        },
    );
    match picked {
        Ok(clip) => {
            assert!(mixed.is_ok(), "a channel decodes but the down-mix does not");
            assert!(usize::from(clip.source_channels) > channel);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The on-disk header walk over the same bytes, through a scratch file of this process and
/// thread (the regression test runs inputs on several threads).
fn probe_from_disk(data: &[u8]) -> Result<sonogan::audio::WavInfo, sonogan::audio::AudioError> {
    let thread = format!("{:?}", std::thread::current().id());
    let name = format!(
        "sonogan-fuzz-{}-{}.wav",
        std::process::id(),
        thread.trim_start_matches("ThreadId(").trim_end_matches(')')
    );
    let path = std::env::temp_dir().join(name);
    std::fs::write(&path, data).expect("write the scratch file");
    let probed = probe_wav_file(&path);
    let _ = std::fs::remove_file(&path);
    probed
}
