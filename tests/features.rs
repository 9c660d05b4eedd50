//! Log-Mel features against librosa fixtures (tools/librosa_fixtures.py) and hand-computed cases
//! (docs/DESIGN.md §1.3-1.4).

use std::path::PathBuf;

#[path = "support/librosa_bar.rs"]
mod librosa_bar;
use librosa_bar::{TOLERANCE_DB, custom_config, max_error_db};

use sonogan::features::db::ln_positive;
use sonogan::features::mel::{MelFilterBank, hz_to_mel, mel_to_hz};
use sonogan::features::stft::{PowerSpectrum, frame_count, hann_periodic, reflect_pad};
use sonogan::features::{FeatureConfig, FeatureError, FeatureExtractor, LOG_EPSILON, npy, stack};

/// Every signal the fixture script writes.
const SIGNALS: [&str; 8] = [
    "chirp",
    "tone",
    "noise",
    "quiet",
    "odd_length",
    "multiple_of_hop",
    "min_one_vector",
    "short",
];

fn fixture_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/features")
        .join(file)
}

fn load(file: &str) -> npy::NpyArray {
    npy::load(fixture_path(file)).unwrap_or_else(|e| panic!("fixture {file}: {e}"))
}

#[test]
fn log_mel_matches_librosa_on_every_fixture() {
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    for name in SIGNALS {
        let input = load(&format!("{name}_input.npy"));
        let reference = load(&format!("{name}_logmel.npy"));
        let spectrogram = extractor.log_mel(&input.data);
        assert_eq!(
            vec![spectrogram.n_mels, spectrogram.n_frames],
            reference.shape,
            "{name}: shape"
        );
        assert_eq!(
            spectrogram.n_frames,
            1 + input.data.len() / 512,
            "{name}: frame count"
        );
        let error = max_error_db(&spectrogram.data, &reference.data);
        eprintln!("{name}: max |Δ| = {error:.2e} dB against librosa");
        assert!(error <= TOLERANCE_DB, "{name}: max |Δ| = {error} dB");
    }
}

#[test]
fn every_config_field_is_honoured() {
    let config = custom_config();
    let input = load("chirp_input.npy");
    let reference = load("chirp_custom_logmel.npy");
    let spectrogram = FeatureExtractor::new(config).log_mel(&input.data);
    assert_eq!(
        vec![spectrogram.n_mels, spectrogram.n_frames],
        reference.shape
    );
    let error = max_error_db(&spectrogram.data, &reference.data);
    assert!(error <= TOLERANCE_DB, "max |Δ| = {error} dB");
}

#[test]
fn vectors_stack_librosa_frames_frame_major() {
    let input = load("chirp_input.npy");
    let reference = load("chirp_logmel.npy");
    let n_frames = reference.shape[1];
    let vectors = FeatureExtractor::new(FeatureConfig::default())
        .vectors("chirp", &input.data)
        .unwrap();
    assert_eq!(vectors.dim, 640);
    assert_eq!(vectors.len(), n_frames - 4);
    for t in [0, 1, vectors.len() / 2, vectors.len() - 1] {
        let row = vectors.row(t);
        for j in 0..5 {
            for m in 0..128 {
                let expected = reference.data[m * n_frames + t + j];
                if expected > -50.0 {
                    let got = row[128 * j + m];
                    assert!(
                        (got - expected).abs() <= TOLERANCE_DB,
                        "row {t}, frame {j}, mel {m}: {got} vs {expected}"
                    );
                }
            }
        }
    }
}

#[test]
fn vectors_equal_stacked_spectrogram() {
    let input = load("odd_length_input.npy");
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let spectrogram = extractor.log_mel(&input.data);
    let vectors = extractor.vectors("odd", &input.data).unwrap();
    assert_eq!(vectors, stack::stack_spectrogram(&spectrogram, 5));
    assert_eq!(vectors.row(3)[128 * 2 + 7], spectrogram.get(7, 5));
}

#[test]
fn ten_second_clip_gives_313_frames_and_309_vectors() {
    let samples: Vec<f32> = (0..160_000)
        .map(|i| (i as f32 * 0.05).sin() * 0.3)
        .collect();
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    assert_eq!(extractor.log_mel(&samples).n_frames, 313);
    assert_eq!(extractor.vectors("ten", &samples).unwrap().len(), 309);
    assert_eq!(FeatureConfig::default().vector_count(160_000), 309);
}

#[test]
fn shortest_clip_gives_one_vector_and_one_less_is_an_error() {
    let input = load("min_one_vector_input.npy");
    assert_eq!(input.data.len(), 2048);
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    assert_eq!(extractor.vectors("min", &input.data).unwrap().len(), 1);
    let error = extractor
        .vectors("clip_a.wav", &input.data[..2047])
        .unwrap_err();
    assert_eq!(
        error,
        FeatureError::TooShort {
            name: "clip_a.wav".into(),
            samples: 2047,
            min_samples: 2048,
            min_seconds: 0.128
        }
    );
    let message = error.to_string();
    assert!(
        message.contains("clip_a.wav") && message.contains("2048") && message.contains("0.128 s"),
        "{message}"
    );
    assert!(matches!(
        extractor.vectors("empty", &[]),
        Err(FeatureError::TooShort { samples: 0, .. })
    ));
}

#[test]
fn non_finite_samples_are_an_error() {
    let mut samples = vec![0.1f32; 4096];
    samples[1000] = f32::NAN;
    let error = FeatureExtractor::new(FeatureConfig::default())
        .vectors("nan.wav", &samples)
        .unwrap_err();
    assert!(matches!(
        error,
        FeatureError::NonFiniteSample { index: 1000, .. }
    ));
    assert!(error.to_string().contains("nan.wav"));
    // ±∞ or NaN anywhere, in the vectorised body or in the tail after the last 16 samples.
    let length = 4096 + 7;
    for (index, value) in [
        (0, f32::INFINITY),
        (2049, f32::NEG_INFINITY),
        (length - 1, f32::NAN),
    ] {
        let mut samples = vec![0.25f32; length];
        samples[1] = -0.9;
        samples[index] = value;
        let error = FeatureExtractor::new(FeatureConfig::default())
            .frames("inf.wav", &samples)
            .unwrap_err();
        assert!(
            matches!(error, FeatureError::NonFiniteSample { index: i, .. } if i == index),
            "{error}"
        );
    }
    // Finite but beyond ±1e9 (a float WAV of 1e17 once gave infinite f32 power): refused,
    // while the limit itself is accepted with finite features.
    let mut huge = vec![0.5f32; length];
    huge[3000] = -1e17;
    let error = FeatureExtractor::new(FeatureConfig::default())
        .frames("huge.wav", &huge)
        .unwrap_err();
    assert!(
        matches!(error, FeatureError::SampleTooLarge { index: 3000, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("huge.wav"), "{error}");
    let loud = vec![sonogan::features::MAX_SAMPLE_MAGNITUDE; length];
    let frames = FeatureExtractor::new(FeatureConfig::default())
        .frames("loud.wav", &loud)
        .expect("the limit is accepted");
    assert!(frames.frame_values().iter().all(|v| v.is_finite()));
}

#[test]
fn empty_signal_has_no_frames_and_silence_is_log_epsilon() {
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    assert_eq!(extractor.log_mel(&[]).n_frames, 0);
    let silence = extractor.log_mel(&[0.0; 1000]);
    assert_eq!(silence.n_frames, 2);
    let floor = (10.0 * LOG_EPSILON.log10()) as f32; // −156.5356 dB
    assert!(silence.data.iter().all(|&v| v == floor));
}

#[test]
fn mel_bank_matches_librosa_filters_mel() {
    let bank = MelFilterBank::new(16_000.0, 1024, 128, 0.0, 8000.0);
    let dense = bank.to_dense();
    let triples = load("mel_bank_nonzero.npy");
    assert_eq!(
        triples.shape,
        vec![bank.stored_weights(), 3],
        "non-zero count"
    );
    let mut reference = vec![0.0f64; 128 * 513];
    for entry in triples.data.chunks_exact(3) {
        reference[entry[0] as usize * 513 + entry[1] as usize] = f64::from(entry[2]);
    }
    for (index, (&ours, &theirs)) in dense.iter().zip(&reference).enumerate() {
        assert_eq!(
            ours == 0.0,
            theirs == 0.0,
            "non-zero pattern at band {}, bin {}",
            index / 513,
            index % 513
        );
        assert!(
            (ours - theirs).abs() <= 1e-6 * theirs.abs(),
            "band {}, bin {}",
            index / 513,
            index % 513
        );
    }
    let sums = load("mel_bank_row_sums.npy");
    for (band, &sum) in sums.data.iter().enumerate() {
        let (_, weights) = bank.band(band);
        let ours: f64 = weights.iter().sum();
        assert!(
            (ours - f64::from(sum)).abs() <= 1e-6 * f64::from(sum),
            "band {band}"
        );
    }
}

#[test]
fn slaney_mel_scale_by_hand() {
    // Linear below 1 kHz at 200/3 Hz per mel; 27 mels per factor 6.4 above.
    assert!((hz_to_mel(200.0) - 3.0).abs() < 1e-12);
    assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
    assert!((hz_to_mel(6400.0) - 42.0).abs() < 1e-12);
    assert!((mel_to_hz(42.0) - 6400.0).abs() < 1e-9);
    assert!((mel_to_hz(hz_to_mel(4321.0)) - 4321.0).abs() < 1e-9);
}

#[test]
fn fast_logarithm_agrees_with_the_standard_library() {
    // From the ε floor through loud bins, including both mantissa halves around √2.
    let mut x = LOG_EPSILON;
    while x < 1e12 {
        for probe in [
            x,
            x * std::f64::consts::SQRT_2,
            x * 1.41421357,
            x * 1.999_999,
        ] {
            let (fast, reference) = (ln_positive(probe), probe.ln());
            assert!(
                (fast - reference).abs() <= 1e-12 * reference.abs().max(1.0),
                "ln({probe}): {fast} vs {reference}"
            );
        }
        x *= 1.37;
    }
    assert_eq!(ln_positive(1.0), 0.0);
    assert!(ln_positive(f64::NAN).is_nan() && ln_positive(0.0) == f64::NEG_INFINITY);
}

#[test]
fn periodic_hann_by_hand() {
    let window = hann_periodic(1024);
    assert_eq!(window.len(), 1024);
    assert_eq!(window[0], 0.0);
    assert!((window[256] - 0.5).abs() < 1e-15);
    assert!((window[512] - 1.0).abs() < 1e-15);
    assert!((window[768] - 0.5).abs() < 1e-15);
    // Periodic, not symmetric: w[1] = w[1023] and the last sample is not 0.
    assert!((window[1] - window[1023]).abs() < 1e-15 && window[1023] > 0.0);
    let w4 = hann_periodic(4);
    let expected = [0.0, 0.5, 1.0, 0.5];
    assert!(
        w4.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-15),
        "{w4:?}"
    );
}

#[test]
fn reflect_padding_by_hand() {
    let mut out = Vec::new();
    reflect_pad(&[0.0, 1.0, 2.0, 3.0, 4.0], 2, &mut out);
    assert_eq!(out, [2.0, 1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 3.0, 2.0]);
    // A pad longer than the signal folds again (numpy: np.pad(range(3), 4, 'reflect')).
    reflect_pad(&[0.0, 1.0, 2.0], 4, &mut out);
    assert_eq!(out, [0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0]);
    reflect_pad(&[7.0], 3, &mut out);
    assert_eq!(out, [7.0; 7]);
    reflect_pad(&[], 3, &mut out);
    assert!(out.is_empty());
}

#[test]
fn frame_counts_by_hand() {
    assert_eq!(frame_count(160_000, 512), 313);
    assert_eq!(frame_count(20_480, 512), 41);
    assert_eq!(frame_count(511, 512), 1);
    assert_eq!(frame_count(0, 512), 0);
}

#[test]
fn power_spectrum_of_a_bin_centred_cosine_by_hand() {
    // x[n] = A·cos(2π·k0·n/N): the Hann-windowed DFT is A·N/4 at k0 and A·N/8 at k0 ± 1.
    let (n, k0, amplitude) = (1024usize, 100usize, 0.5f64);
    let frame: Vec<f32> = (0..n)
        .map(|i| {
            (amplitude * (2.0 * std::f64::consts::PI * (k0 * i) as f64 / n as f64).cos()) as f32
        })
        .collect();
    let mut spectrum = PowerSpectrum::new(n, 2.0);
    let mut power_f32 = vec![0.0f32; spectrum.n_bins()];
    spectrum.compute(&frame, &mut power_f32);
    let power: Vec<f64> = power_f32.iter().map(|&p| f64::from(p)).collect();
    let peak = (amplitude * n as f64 / 4.0).powi(2);
    let side = (amplitude * n as f64 / 8.0).powi(2);
    assert!((power[k0] / peak - 1.0).abs() < 1e-6, "{}", power[k0]);
    assert!((power[k0 - 1] / side - 1.0).abs() < 1e-6 && (power[k0 + 1] / side - 1.0).abs() < 1e-6);
    assert!(power[k0 + 3] < 1e-9 * peak && power[0] < 1e-9 * peak);
}

#[test]
fn nonsense_configs_are_rejected() {
    let base = FeatureConfig::default();
    let bad = [
        FeatureConfig {
            n_fft: 0,
            ..base.clone()
        },
        FeatureConfig {
            n_fft: 1023,
            ..base.clone()
        },
        FeatureConfig {
            hop_length: 0,
            ..base.clone()
        },
        FeatureConfig {
            n_mels: 0,
            ..base.clone()
        },
        FeatureConfig {
            frames: 0,
            ..base.clone()
        },
        FeatureConfig {
            sample_rate: 0,
            ..base.clone()
        },
        FeatureConfig {
            power: 0.0,
            ..base.clone()
        },
        FeatureConfig {
            power: f64::NAN,
            ..base.clone()
        },
        FeatureConfig {
            fmin: -1.0,
            ..base.clone()
        },
        FeatureConfig {
            fmax: 8000.5,
            ..base.clone()
        },
        FeatureConfig {
            fmin: 4000.0,
            fmax: 4000.0,
            ..base.clone()
        },
    ];
    for config in bad {
        let result = FeatureExtractor::try_new(config.clone());
        assert!(
            matches!(result, Err(FeatureError::InvalidConfig(_))),
            "{config:?} was accepted"
        );
    }
    assert!(base.validate().is_ok());
    let message = FeatureConfig {
        fmax: 9000.0,
        ..base
    }
    .validate()
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("fmax") && message.contains("8000"),
        "{message}"
    );
}

#[test]
fn vectors_written_from_frames_are_the_stacked_array() {
    // The chirp fixture's stacked vectors, once copied into one array and once read from the
    // frames row by row (more than one 64-KB write chunk): the same NPY bytes.
    let input = load("chirp_input.npy");
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let frames = extractor.frames("chirp", &input.data).expect("frames");
    let vectors = frames.to_vectors();
    let mut from_rows = Vec::new();
    npy::write_rows(&mut from_rows, &frames).expect("write rows");
    assert!(vectors.data.len() * 4 > 2 * (64 << 10), "several chunks");
    assert_eq!(
        from_rows,
        npy::to_bytes(&[vectors.len(), vectors.dim], &vectors.data).expect("bytes")
    );
}

#[test]
fn npy_values_are_little_endian_f32_across_chunk_boundaries() {
    // 100,003 values (several 64-KB chunks, a partial last one) whose bits all differ, against
    // the bytes built one value at a time, after the 128-byte header of a 1-d array this long.
    let values: Vec<f32> = (0..100_003u32)
        .map(|i| f32::from_bits(0x3f00_0000 ^ i.wrapping_mul(2_654_435_761) >> 3))
        .collect();
    let bytes = npy::to_bytes(&[values.len()], &values).expect("bytes");
    let expected: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(bytes.len(), 128 + expected.len());
    assert!(bytes[128..] == expected[..], "data bytes differ");
}

#[test]
fn npy_writer_matches_numpy_bytes_and_round_trips() {
    // The fixtures were written by numpy.save: our writer must produce the same bytes.
    for file in ["tone_logmel.npy", "short_input.npy"] {
        let original = std::fs::read(fixture_path(file)).unwrap();
        let array = npy::read_f32(original.as_slice()).unwrap();
        assert_eq!(
            npy::to_bytes(&array.shape, &array.data).unwrap(),
            original,
            "{file}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.npy");
    let data: Vec<f32> = (0..12).map(|i| i as f32 * 0.25 - 1.0).collect();
    npy::save(&path, &[3, 4], &data).unwrap();
    assert_eq!(
        npy::load(&path).unwrap(),
        npy::NpyArray {
            shape: vec![3, 4],
            data
        }
    );
    assert!(
        npy::save(&path, &[5], &[1.0]).is_err(),
        "shape mismatch accepted"
    );
}

#[test]
fn npy_reader_rejects_bad_input_and_names_the_file() {
    assert!(matches!(
        npy::read_f32(&b"not an npy file at all"[..]),
        Err(npy::NpyError::BadMagic)
    ));
    let mut f64_header = npy::to_bytes(&[2], &[1.0, 2.0]).unwrap();
    let at = f64_header.windows(3).position(|w| w == b"<f4").unwrap();
    f64_header[at..at + 3].copy_from_slice(b"<f8");
    assert!(
        matches!(npy::read_f32(f64_header.as_slice()), Err(npy::NpyError::Dtype(d)) if d == "<f8")
    );
    let truncated = npy::to_bytes(&[4], &[1.0; 4]).unwrap();
    assert!(npy::read_f32(&truncated[..truncated.len() - 2]).is_err());
    let message = npy::load("/no/such/dir/missing.npy")
        .unwrap_err()
        .to_string();
    assert!(message.contains("missing.npy"), "{message}");
}
