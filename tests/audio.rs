//! Tests of `sonogan::audio`: every WAV flavour and every bad input is assembled in code
//! (`audio/wav_builder.rs`); expected values are hand-computed from the scaling rules of
//! librosa / soundfile (docs/DESIGN.md §1.2), come from `hound` as an independent WAV writer, or from
//! librosa itself (`audio/librosa_fixtures.rs`, fixtures made by `tools/audio_fixtures.py`).

#[path = "audio/errors.rs"]
mod errors;
#[path = "audio/librosa_fixtures.rs"]
mod librosa_fixtures;
#[path = "audio/resampling.rs"]
mod resampling;
#[path = "audio/wav_builder.rs"]
mod wav_builder;

use sonogan::audio::{DecodeOptions, WavInfo, clip_from_channels, decode_wav, load, probe_wav};
use wav_builder::*;

/// Decode with default options (mean down-mix), panicking with the error message on failure.
fn decode(bytes: &[u8]) -> Vec<f32> {
    match decode_wav("test.wav", bytes, &DecodeOptions::default()) {
        Ok(clip) => clip.samples,
        Err(e) => panic!("decode failed: {e}"),
    }
}

/// Widen to f64 so that exact expected values can be written (every f32 is an exact f64).
fn widen(samples: Vec<f32>) -> Vec<f64> {
    samples.into_iter().map(f64::from).collect()
}

/// Decode keeping only channel `c`.
fn decode_channel(bytes: &[u8], c: usize) -> Vec<f32> {
    let opts = DecodeOptions { channel: Some(c) };
    decode_wav("test.wav", bytes, &opts)
        .expect("decodes")
        .samples
}

#[test]
fn pcm16_scales_by_32768() {
    let bytes = mono16(&[0, 1, -1, 16384, -32768, 32767]);
    let expected = [
        0.0,
        3.0517578125e-5,
        -3.0517578125e-5,
        0.5,
        -1.0,
        0.999969482421875,
    ];
    assert_eq!(widen(decode(&bytes)), expected);
}

#[test]
fn pcm8_is_unsigned_with_offset_128() {
    let bytes = wav(PCM, 1, 16_000, 8, &[0, 128, 255, 64, 129]);
    assert_eq!(decode(&bytes), [-1.0, 0.0, 0.9921875, -0.5, 0.0078125]);
}

#[test]
fn pcm24_scales_by_8388608_and_sign_extends() {
    let bytes = wav(
        PCM,
        1,
        16_000,
        24,
        &i24_bytes(&[8_388_607, -8_388_608, 1, -2, 4_194_304]),
    );
    let expected = [
        0.999_999_880_790_710_4,
        -1.0,
        1.192_092_895_507_812_5e-7,
        -2.384_185_791_015_625e-7,
        0.5,
    ];
    assert_eq!(widen(decode(&bytes)), expected);
}

#[test]
fn pcm32_scales_by_2147483648() {
    let bytes = wav(
        PCM,
        1,
        16_000,
        32,
        &i32_bytes(&[i32::MIN, 1 << 30, -(1 << 29), 0, 256]),
    );
    let expected = [-1.0, 0.5, -0.25, 0.0, 1.192_092_895_507_812_5e-7];
    assert_eq!(widen(decode(&bytes)), expected);
}

#[test]
fn float32_and_float64_pass_values_through() {
    let f32s = [0.25f32, -0.75, 1e-3, 1.5, -0.0];
    assert_eq!(decode(&wav(FLOAT, 1, 16_000, 32, &f32_bytes(&f32s))), f32s);
    let f64s = [0.1f64, -0.3, 0.5];
    assert_eq!(
        decode(&wav(FLOAT, 1, 16_000, 64, &f64_bytes(&f64s))),
        [0.1f32, -0.3, 0.5]
    );
}

#[test]
fn mono_16k_passes_through_bit_for_bit() {
    let values: Vec<f32> = (0..1000).map(|i| ((i as f32) * 0.37).sin() * 0.9).collect();
    let mut with_neg_zero = values.clone();
    with_neg_zero[10] = -0.0;
    let decoded = decode(&wav(FLOAT, 1, 16_000, 32, &f32_bytes(&with_neg_zero)));
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&decoded), bits(&with_neg_zero));
}

/// 16-bit frames where channel `c` of frame `t` holds `c·1000 + t` (`channels` ≤ 8).
fn ramp_channels(channels: u16, frames: i16) -> Vec<i16> {
    (0..frames)
        .flat_map(|t| (0..channels as i16).map(move |c| c * 1000 + t))
        .collect()
}

#[test]
fn stereo_mean_downmix_and_channel_pick() {
    let bytes = wav(
        PCM,
        2,
        16_000,
        16,
        &i16_bytes(&[1000, 3000, -2000, 0, 32767, 32767]),
    );
    assert_eq!(
        decode(&bytes),
        [2000.0 / 32768.0, -1000.0 / 32768.0, 32767.0 / 32768.0]
    );
    assert_eq!(
        decode_channel(&bytes, 1),
        [3000.0 / 32768.0, 0.0, 32767.0 / 32768.0]
    );
}

#[test]
fn extensible_8_channel_16_bit_like_mimii() {
    let data = i16_bytes(&ramp_channels(8, 50));
    let bytes = riff(&[
        fmt_extensible(PCM, 8, 16_000, 16, 16),
        chunk(b"data", &data),
    ]);
    // mean over c of (1000c + t) = 3500 + t
    let mean: Vec<f32> = (0..50).map(|t| (3500 + t) as f32 / 32768.0).collect();
    assert_eq!(decode(&bytes), mean);
    let third: Vec<f32> = (0..50).map(|t| (3000 + t) as f32 / 32768.0).collect();
    assert_eq!(decode_channel(&bytes, 3), third);
    let info = probe_wav("mimii.wav", &bytes).expect("probes");
    assert_eq!(
        (info.channels, info.bits_per_sample, info.frames),
        (8, 16, 50)
    );
}

#[test]
fn extensible_float_and_24_in_32_container() {
    let floats = [0.5f32, -0.25, 0.125, 0.0];
    let bytes = riff(&[
        fmt_extensible(FLOAT, 2, 16_000, 32, 32),
        chunk(b"data", &f32_bytes(&floats)),
    ]);
    assert_eq!(decode(&bytes), [0.125, 0.0625]);
    // 24 valid bits left-justified in 32-bit containers read as 32-bit integers.
    let ints = [0x4000_0000i32, -0x2000_0000];
    let bytes = riff(&[
        fmt_extensible(PCM, 1, 16_000, 32, 24),
        chunk(b"data", &i32_bytes(&ints)),
    ]);
    assert_eq!(decode(&bytes), [0.5, -0.25]);
}

#[test]
fn unknown_and_odd_sized_chunks_are_skipped_in_any_order() {
    let samples = [100i16, -200, 300];
    let expected = decode(&mono16(&samples));
    let data = chunk(b"data", &i16_bytes(&samples));
    let odd_list = chunk(b"LIST", b"INFOISFT\x05\0\0\0abcde"); // 17 bytes + pad byte
    let fact = chunk(b"fact", &3u32.to_le_bytes());
    let fmt16 = fmt(PCM, 1, 16_000, 16);
    for chunks in [
        vec![odd_list.clone(), fmt16.clone(), fact.clone(), data.clone()],
        vec![fmt16.clone(), odd_list.clone(), data.clone(), fact.clone()],
        vec![data.clone(), odd_list.clone(), fmt16.clone()],
    ] {
        assert_eq!(decode(&riff(&chunks)), expected);
    }
    // An 18-byte fmt chunk (cbSize = 0) and trailing junk shorter than a chunk header.
    let mut fmt18 = fmt_body(PCM, 1, 16_000, 2, 16);
    fmt18.extend_from_slice(&[0, 0]);
    let mut bytes = riff(&[chunk(b"fmt ", &fmt18), data]);
    bytes.extend_from_slice(b"xyz");
    assert_eq!(decode(&bytes), expected);
}

#[test]
fn an_odd_chunk_without_its_pad_byte_is_still_walked_past() {
    // Some writers leave out the pad byte after an odd-sized chunk; reading on one byte too far
    // once gave a chunk named "mt \x10" of 16 MB instead of the fmt chunk.
    let samples = [100i16, -200, 300];
    let expected = decode(&mono16(&samples));
    let mut unpadded_list = chunk(b"LIST", b"INFOISFT\x05\0\0\0abcde");
    assert_eq!(unpadded_list.pop(), Some(0), "the builder pads odd chunks");
    let data = chunk(b"data", &i16_bytes(&samples));
    let fmt16 = fmt(PCM, 1, 16_000, 16);
    for chunks in [
        vec![unpadded_list.clone(), fmt16.clone(), data.clone()],
        vec![fmt16.clone(), unpadded_list.clone(), data.clone()],
    ] {
        assert_eq!(decode(&riff(&chunks)), expected);
    }
}

#[test]
fn trailing_partial_frame_is_ignored() {
    let mut data = i16_bytes(&[1000, 2000, 3000, 4000]);
    data.push(7); // one stray byte
    let bytes = wav(PCM, 2, 16_000, 16, &data);
    assert_eq!(decode(&bytes), [1500.0 / 32768.0, 3500.0 / 32768.0]);
}

/// Writes `frames` with hound (an independent WAV writer) and returns the file bytes.
fn hound_wav<S: hound::Sample + Copy>(spec: hound::WavSpec, frames: &[S]) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec).expect("hound writer");
    frames
        .iter()
        .for_each(|&s| writer.write_sample(s).expect("hound write"));
    writer.finalize().expect("hound finalize");
    cursor.into_inner()
}

#[test]
fn files_written_by_hound_decode_to_the_scaled_values() {
    let spec = |channels, bits, fmt| hound::WavSpec {
        channels,
        sample_rate: 16_000,
        bits_per_sample: bits,
        sample_format: fmt,
    };
    let ints: Vec<i32> = vec![-100, 7, 90, -128, 127, 0, 55, -3];
    for (bits, scale) in [
        (8u16, 128.0f32),
        (16, 32768.0),
        (24, 8_388_608.0),
        (32, 2_147_483_648.0),
    ] {
        for channels in [1u16, 2, 8] {
            let bytes = hound_wav(spec(channels, bits, hound::SampleFormat::Int), &ints);
            let c = usize::from(channels);
            let first: Vec<f32> = ints.iter().step_by(c).map(|&s| s as f32 / scale).collect();
            assert_eq!(
                decode_channel(&bytes, 0),
                first,
                "{bits}-bit, {channels} ch"
            );
            let info = probe_wav("hound.wav", &bytes).expect("probes");
            assert_eq!(info.frames, (ints.len() / c) as u64);
        }
    }
    let floats = [0.5f32, -0.125, 0.75, 0.0];
    let bytes = hound_wav(spec(1, 32, hound::SampleFormat::Float), &floats);
    assert_eq!(decode(&bytes), floats);
}

#[test]
fn probe_reports_the_header() {
    let bytes = wav(PCM, 2, 48_000, 24, &i24_bytes(&vec![0; 2 * 24_000]));
    let expected = WavInfo {
        sample_rate: 48_000,
        channels: 2,
        bits_per_sample: 24,
        sample_format: "pcm".to_string(),
        frames: 24_000,
        duration_s: 0.5,
    };
    assert_eq!(probe_wav("x.wav", &bytes).expect("probes"), expected);
    let float = wav(FLOAT, 1, 8_000, 64, &f64_bytes(&[0.0; 4000]));
    let info = probe_wav("f.wav", &float).expect("probes");
    assert_eq!(
        (
            info.sample_format.as_str(),
            info.bits_per_sample,
            info.duration_s
        ),
        ("float", 64, 0.5)
    );
}

#[test]
fn clip_from_channels_mixes_picks_and_keeps_metadata() {
    let channels = vec![vec![0.5f32, -0.5, 0.25], vec![0.25, 0.5, -0.75]];
    let clip = clip_from_channels("web clip", &channels, 16_000, &DecodeOptions::default())
        .expect("mixes");
    assert_eq!(clip.samples, [0.375, 0.0, -0.25]);
    assert_eq!(
        (clip.name.as_str(), clip.source_rate, clip.source_channels),
        ("web clip", 16_000, 2)
    );
    let picked = clip_from_channels("c", &channels, 16_000, &DecodeOptions { channel: Some(1) })
        .expect("picks");
    assert_eq!(picked.samples, channels[1]);
}

#[test]
fn load_reads_a_file_and_names_the_clip_after_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("machine.wav");
    std::fs::write(&path, wav(PCM, 1, 16_000, 16, &i16_bytes(&[16384, -16384]))).expect("write");
    let clip = load(&path, &DecodeOptions::default()).expect("loads");
    assert_eq!(clip.samples, [0.5, -0.5]);
    assert_eq!(clip.name, path.display().to_string());
    assert_eq!((clip.source_rate, clip.source_channels), (16_000, 1));
}

/// Manual check on the real DCASE clips (never run by default): compare with hound's reading.
#[test]
#[ignore = "needs /work/shared/samples; run manually with --ignored"]
fn real_dcase_samples_match_hound() {
    let dir = std::path::Path::new("/work/shared/samples/dcase2020-mimii-id00");
    let entries = std::fs::read_dir(dir).expect("samples directory");
    for entry in entries {
        let path = entry.expect("entry").path();
        let clip = load(&path, &DecodeOptions::default()).expect("decodes");
        let reader = hound::WavReader::open(&path).expect("hound opens");
        let reference: Vec<f32> = reader
            .into_samples::<i16>()
            .map(|s| f32::from(s.expect("sample")) / 32768.0)
            .collect();
        assert_eq!(clip.samples, reference, "{}", path.display());
        assert_eq!(clip.samples.len(), 160_000);
    }
}
