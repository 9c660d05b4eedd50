//! Every bad input yields a matchable `AudioErrorKind` and a message naming the file and the
//! problem, never a panic.

use sonogan::audio::{
    AudioError, AudioErrorKind, DecodeOptions, MAX_FILE_BYTES, clip_from_channels, decode_wav,
    load, probe_wav,
};

use super::wav_builder::*;

/// Decode `bytes` as "bad.wav" and return the error (panics if decoding succeeds).
fn decode_err(bytes: &[u8]) -> AudioError {
    decode_with(bytes, &DecodeOptions::default())
}

/// Decode with options and return the error (panics if decoding succeeds).
fn decode_with(bytes: &[u8], opts: &DecodeOptions) -> AudioError {
    match decode_wav("bad.wav", bytes, opts) {
        Ok(clip) => panic!("expected an error, decoded {} samples", clip.samples.len()),
        Err(e) => e,
    }
}

/// Assert the error's kind and that its message names the file and contains `words`.
fn assert_error(err: &AudioError, kind: AudioErrorKind, words: &[&str]) {
    assert_eq!(err.kind, kind);
    let message = err.to_string();
    assert!(message.starts_with(&format!("{}: ", err.name)), "{message}");
    for word in words {
        assert!(message.contains(word), "{message:?} lacks {word:?}");
    }
}

#[test]
fn not_a_wav_file() {
    let err = decode_err(b"ID3\x04 this is an mp3, honestly");
    assert_eq!(err.name, "bad.wav");
    let kind = AudioErrorKind::NotWav {
        found: "ID3\\x04 this is".to_string(),
    };
    assert_error(&err, kind, &["bad.wav: ", "not a RIFF/WAVE file", "ID3"]);
    let avi = b"RIFF\x04\0\0\0AVI ".to_vec();
    assert!(matches!(
        decode_err(&avi).kind,
        AudioErrorKind::NotWav { .. }
    ));
    assert!(matches!(
        decode_err(b"").kind,
        AudioErrorKind::Truncated { .. }
    ));
}

#[test]
fn truncated_headers() {
    let kind = AudioErrorKind::Truncated {
        what: "RIFF header".to_string(),
        needed: 12,
        present: 6,
    };
    assert_error(
        &decode_err(b"RIFF\x10\0"),
        kind,
        &["truncated RIFF header", "12", "6"],
    );

    let short_fmt = riff(&[
        chunk(b"fmt ", &fmt_body(PCM, 1, 16_000, 2, 16)[..14]),
        chunk(b"data", &[0, 0]),
    ]);
    let kind = AudioErrorKind::Truncated {
        what: "fmt chunk".to_string(),
        needed: 16,
        present: 14,
    };
    assert_error(&decode_err(&short_fmt), kind, &["fmt chunk", "16", "14"]);

    let cut_fmt = riff(&[chunk_declaring(
        b"fmt ",
        16,
        &fmt_body(PCM, 1, 16_000, 2, 16)[..10],
    )]);
    let err = decode_err(&cut_fmt);
    assert!(matches!(
        err.kind,
        AudioErrorKind::Truncated {
            needed: 16,
            present: 10,
            ..
        }
    ));

    let mut ext = fmt_body(EXTENSIBLE, 1, 16_000, 2, 16);
    ext.extend_from_slice(&[22, 0, 16, 0]); // cbSize, valid bits, then nothing
    let err = decode_err(&riff(&[chunk(b"fmt ", &ext), chunk(b"data", &[0, 0])]));
    assert!(
        err.to_string().contains("WAVE_FORMAT_EXTENSIBLE fmt chunk"),
        "{err}"
    );

    let huge_list = riff(&[chunk_declaring(b"LIST", 1_000_000, b"INFO")]);
    let err = decode_err(&huge_list);
    assert!(matches!(
        err.kind,
        AudioErrorKind::Truncated {
            needed: 1_000_000,
            present: 4,
            ..
        }
    ));
    assert!(err.to_string().contains("LIST"), "{err}");
}

#[test]
fn missing_chunks() {
    let no_fmt = riff(&[chunk(b"data", &[0, 0])]);
    let kind = AudioErrorKind::MissingChunk { chunk: "fmt " };
    assert_error(&decode_err(&no_fmt), kind, &["no \"fmt \" chunk"]);
    let no_data = riff(&[fmt(PCM, 1, 16_000, 16), chunk(b"LIST", b"INFO")]);
    let kind = AudioErrorKind::MissingChunk { chunk: "data" };
    assert_error(&decode_err(&no_data), kind, &["no \"data\" chunk"]);
}

#[test]
fn data_chunk_longer_than_the_file() {
    let bytes = riff(&[
        fmt(PCM, 1, 16_000, 16),
        chunk_declaring(b"data", 1000, &[0; 10]),
    ]);
    let kind = AudioErrorKind::DataTruncated {
        declared: 1000,
        present: 10,
    };
    assert_error(
        &decode_err(&bytes),
        kind.clone(),
        &["declares 1000 bytes", "only 10"],
    );
    assert_eq!(probe_wav("bad.wav", &bytes).map_err(|e| e.kind), Err(kind));
}

#[test]
fn empty_data() {
    assert_error(
        &decode_err(&mono16(&[])),
        AudioErrorKind::EmptyData,
        &["no audio"],
    );
    // Less than one frame of a stereo 16-bit file.
    let partial = wav(PCM, 2, 16_000, 16, &[1, 2, 3]);
    assert_eq!(decode_err(&partial).kind, AudioErrorKind::EmptyData);
}

#[test]
fn sample_rate_out_of_range() {
    for rate in [0, 999, 384_001, u32::MAX] {
        let err = decode_err(&wav(PCM, 1, rate, 16, &[0, 0]));
        let words = [&format!("{rate} Hz")[..], "1000–384000 Hz"];
        assert_error(&err, AudioErrorKind::BadSampleRate(rate), &words);
    }
    let err = clip_from_channels("web", &[vec![0.0]], 0, &DecodeOptions::default());
    assert_eq!(
        err.map_err(|e| e.kind),
        Err(AudioErrorKind::BadSampleRate(0))
    );
}

#[test]
fn zero_channels() {
    let bytes = riff(&[
        chunk(b"fmt ", &fmt_body(PCM, 0, 16_000, 0, 16)),
        chunk(b"data", &[0, 0]),
    ]);
    assert_error(
        &decode_err(&bytes),
        AudioErrorKind::NoChannels,
        &["channel count is 0"],
    );
    let err = clip_from_channels("web", &[], 16_000, &DecodeOptions::default()).unwrap_err();
    assert_error(&err, AudioErrorKind::NoChannels, &["web: "]);
}

#[test]
fn unsupported_format_tags_and_bit_depths() {
    let mp3 = wav(0x0055, 1, 16_000, 16, &[0, 0]);
    let kind = AudioErrorKind::UnsupportedFormat {
        tag: 0x0055,
        name: "MPEG Layer 3".to_string(),
    };
    assert_error(&decode_err(&mp3), kind, &["0x0055", "MPEG Layer 3"]);
    let alaw = wav(6, 1, 8_000, 8, &[0, 0]);
    assert!(decode_err(&alaw).to_string().contains("A-law"));

    let pcm12 = wav(PCM, 1, 16_000, 12, &[0, 0]);
    let kind = AudioErrorKind::UnsupportedBitDepth {
        encoding: "integer PCM",
        bits: 12,
    };
    assert_error(&decode_err(&pcm12), kind, &["12-bit integer PCM"]);
    let float16 = wav(FLOAT, 1, 16_000, 16, &[0, 0]);
    let kind = AudioErrorKind::UnsupportedBitDepth {
        encoding: "float",
        bits: 16,
    };
    assert_error(&decode_err(&float16), kind, &["16-bit float"]);

    let alaw_ext = riff(&[fmt_extensible(6, 1, 16_000, 8, 8), chunk(b"data", &[0, 0])]);
    assert!(matches!(
        decode_err(&alaw_ext).kind,
        AudioErrorKind::UnsupportedFormat { tag: 6, .. }
    ));
    let odd_guid = riff(&[
        fmt_extensible_guid(&[7; 16], 1, 16_000, 16, 16),
        chunk(b"data", &[0, 0]),
    ]);
    let err = decode_err(&odd_guid);
    assert!(matches!(
        err.kind,
        AudioErrorKind::UnsupportedFormat { tag: 0xFFFE, .. }
    ));
    assert!(
        err.to_string().contains("07070707070707070707070707070707"),
        "{err}"
    );
}

#[test]
fn block_align_mismatch() {
    let bytes = riff(&[
        chunk(b"fmt ", &fmt_body(PCM, 2, 16_000, 2, 16)),
        chunk(b"data", &[0; 8]),
    ]);
    let kind = AudioErrorKind::BlockAlignMismatch {
        declared: 2,
        expected: 4,
        channels: 2,
        bits: 16,
    };
    assert_error(&decode_err(&bytes), kind, &["block align is 2", "need 4"]);
}

#[test]
fn non_finite_float_samples_are_located() {
    let stereo = [0.0f32, 0.1, 0.2, 0.3, 0.4, f32::NAN, 0.6, 0.7];
    let bytes = wav(FLOAT, 2, 16_000, 32, &f32_bytes(&stereo));
    let kind = AudioErrorKind::NonFinite {
        frame: 2,
        channel: 1,
    };
    assert_error(&decode_err(&bytes), kind.clone(), &["frame 2", "channel 1"]);
    assert_eq!(
        decode_with(&bytes, &DecodeOptions { channel: Some(1) }).kind,
        kind
    );
    // Channel 0 is clean: picking it succeeds.
    assert!(decode_wav("ok.wav", &bytes, &DecodeOptions { channel: Some(0) }).is_ok());

    let inf64 = wav(FLOAT, 1, 16_000, 64, &f64_bytes(&[0.0, 1e300, 0.0]));
    let kind = AudioErrorKind::NonFinite {
        frame: 1,
        channel: 0,
    };
    assert_eq!(decode_err(&inf64).kind, kind);

    let channels = vec![vec![0.0f32; 5], vec![0.0, 0.0, 0.0, f32::INFINITY, 0.0]];
    let err = clip_from_channels("web", &channels, 16_000, &DecodeOptions::default()).unwrap_err();
    assert_error(
        &err,
        AudioErrorKind::NonFinite {
            frame: 3,
            channel: 1,
        },
        &["web: "],
    );
}

#[test]
fn missing_channel_is_named_with_the_channel_count() {
    let data = i16_bytes(&[0; 16]);
    let bytes = riff(&[
        fmt_extensible(PCM, 8, 16_000, 16, 16),
        chunk(b"data", &data),
    ]);
    let err = decode_with(&bytes, &DecodeOptions { channel: Some(8) });
    let kind = AudioErrorKind::NoSuchChannel {
        channel: 8,
        channels: 8,
    };
    assert_error(&err, kind, &["channel 8", "only 8 channel(s)"]);
    let err = clip_from_channels(
        "web",
        &[vec![0.0]],
        16_000,
        &DecodeOptions { channel: Some(1) },
    );
    let kind = AudioErrorKind::NoSuchChannel {
        channel: 1,
        channels: 1,
    };
    assert_eq!(err.map_err(|e| e.kind), Err(kind));
}

#[test]
fn inconsistent_or_empty_channel_input() {
    let opts = DecodeOptions::default();
    let err = clip_from_channels("web", &[vec![0.0; 4], vec![0.0; 3]], 16_000, &opts).unwrap_err();
    let kind = AudioErrorKind::ChannelLengthMismatch {
        channel: 1,
        len: 3,
        expected: 4,
    };
    assert_error(&err, kind, &["channel 1 has 3 samples", "channel 0 has 4"]);
    let err = clip_from_channels("web", &[vec![], vec![]], 16_000, &opts).unwrap_err();
    assert_eq!(err.kind, AudioErrorKind::EmptyData);
}

#[test]
fn clips_longer_than_an_hour_are_refused() {
    let frames = 3_600_001; // one frame over an hour at 1 kHz
    let bytes = wav(PCM, 1, 1_000, 8, &vec![128u8; frames]);
    let err = decode_err(&bytes);
    assert!(matches!(err.kind, AudioErrorKind::TooLong { limit_s, .. } if limit_s == 3600.0));
    assert!(
        err.to_string()
            .contains("3600.0 s, longer than the 3600 s limit"),
        "{err}"
    );
    let channels = vec![vec![0.0f32; frames]];
    let err = clip_from_channels("web", &channels, 1_000, &DecodeOptions::default()).unwrap_err();
    assert!(matches!(err.kind, AudioErrorKind::TooLong { .. }));
}

#[test]
fn too_short_to_resample() {
    let bytes = wav(PCM, 1, 44_100, 16, &i16_bytes(&[5]));
    let kind = AudioErrorKind::TooShort {
        frames: 1,
        rate: 44_100,
    };
    assert_error(&decode_err(&bytes), kind, &["1 frame(s) at 44100 Hz"]);
}

#[test]
fn load_refuses_huge_files_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.wav");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("sparse file"); // no data written: sparse
    let err = load(&path, &DecodeOptions::default()).unwrap_err();
    let kind = AudioErrorKind::TooLarge {
        bytes: MAX_FILE_BYTES + 1,
        limit: MAX_FILE_BYTES,
    };
    assert_error(&err, kind, &["huge.wav: ", "2147483649 bytes", "not read"]);
}

#[test]
fn load_reports_io_errors_with_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("absent.wav");
    let err = load(&path, &DecodeOptions::default()).unwrap_err();
    assert!(matches!(err.kind, AudioErrorKind::Io(_)));
    assert_eq!(err.name, path.display().to_string());
    assert!(
        err.to_string().contains("absent.wav: cannot read the file"),
        "{err}"
    );
}
