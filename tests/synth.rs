//! Tests of the built-in synthetic machine sounds (`sonogan::data::synth`).

use realfft::RealFftPlanner;
use sonogan::data::synth::{
    PEAK_LIMIT, SynthConfig, SynthError, TEST_INDEX_OFFSET, default_ids, entries, fault_for,
    fault_kinds, generate, generate_clip, generate_fault_clip, machine_types, valid_ids,
    write_dcase,
};
use sonogan::data::{Label, Split};

const TYPES: [&str; 6] = ["fan", "pump", "slider", "valve", "ToyCar", "ToyConveyor"];

fn clip(
    machine_type: &str,
    id: &str,
    label: Label,
    index: usize,
    secs: f32,
    seed: u64,
) -> Vec<f32> {
    generate_clip(machine_type, id, label, index, secs, seed).expect("valid clip request")
}

fn rms_db(x: &[f32]) -> f64 {
    let ms = x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / x.len() as f64;
    10.0 * ms.log10()
}

/// Time-averaged power in 24 log-spaced bands from 20 Hz to 8 kHz, in dB (Hann frames of 1024).
fn band_db(x: &[f32]) -> Vec<f64> {
    let frames = frame_band_db(x);
    (0..24)
        .map(|b| {
            let mean_power =
                frames.iter().map(|f| 10f64.powf(f[b] / 10.0)).sum::<f64>() / frames.len() as f64;
            10.0 * mean_power.log10()
        })
        .collect()
}

/// Power in 24 log-spaced bands from 20 Hz to 8 kHz per Hann frame of 1024 (hop 512), in dB.
fn frame_band_db(x: &[f32]) -> Vec<Vec<f64>> {
    const N: usize = 1024;
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(N);
    let window: Vec<f64> = (0..N)
        .map(|i| 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / N as f64).cos())
        .collect();
    let edges: Vec<f64> = (0..=24)
        .map(|b| 20.0 * (8000.0f64 / 20.0).powf(b as f64 / 24.0))
        .collect();
    let mut input = fft.make_input_vec();
    let mut spectrum = fft.make_output_vec();
    let mut frames = Vec::new();
    for start in (0..x.len().saturating_sub(N)).step_by(N / 2) {
        for (i, v) in input.iter_mut().enumerate() {
            *v = x[start + i] as f64 * window[i];
        }
        fft.process(&mut input, &mut spectrum)
            .expect("fft sizes match");
        let bands = edges.windows(2).map(|e| {
            let in_band = spectrum.iter().enumerate().filter(|(k, _)| {
                let f = *k as f64 * 16_000.0 / N as f64;
                f >= e[0] && f < e[1]
            });
            10.0 * (in_band.map(|(_, c)| c.norm_sqr()).sum::<f64>() + 1e-12).log10()
        });
        frames.push(bands.collect());
    }
    frames
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    (a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>() / a.len() as f64).sqrt()
}

#[test]
fn same_seed_gives_identical_clips_and_other_seeds_differ() {
    for t in TYPES {
        let a = clip(t, "id_02", Label::Anomaly, 3, 1.0, 7);
        let b = clip(t, "id_02", Label::Anomaly, 3, 1.0, 7);
        assert_eq!(a, b, "{t}: same seed must reproduce the clip");
        let c = clip(t, "id_02", Label::Anomaly, 3, 1.0, 8);
        let d = clip(t, "id_02", Label::Anomaly, 4, 1.0, 7);
        assert_ne!(a, c, "{t}: another seed must change the clip");
        assert_ne!(a, d, "{t}: another index must change the clip");
    }
}

#[test]
fn a_clip_does_not_depend_on_the_size_of_its_data_set() {
    let small = SynthConfig {
        types: vec!["pump".into()],
        ids: vec!["id_04".into()],
        train_per_id: 2,
        test_normal_per_id: 1,
        test_anomaly_per_id: 1,
        secs: 0.5,
        seed: 3,
    };
    let large = SynthConfig {
        types: vec!["fan".into(), "pump".into()],
        train_per_id: 5,
        test_normal_per_id: 4,
        test_anomaly_per_id: 3,
        ids: vec![],
        ..small.clone()
    };
    let large_clips = generate(&large).expect("valid config");
    for c in generate(&small).expect("valid config") {
        let same = large_clips
            .iter()
            .find(|l| l.entry == c.entry)
            .expect("small set is a subset of the large one");
        assert_eq!(c.samples, same.samples, "{}", c.entry.rel_path);
    }
    let train0 = large_clips
        .iter()
        .find(|c| c.entry.rel_path == "pump/train/normal_id_04_00000001.wav")
        .expect("present");
    assert_eq!(
        train0.samples,
        clip("pump", "id_04", Label::Normal, 1, 0.5, 3)
    );
    let test0 = large_clips
        .iter()
        .find(|c| c.entry.rel_path == "pump/test/anomaly_id_04_00000002.wav")
        .expect("present");
    assert_eq!(
        test0.samples,
        clip(
            "pump",
            "id_04",
            Label::Anomaly,
            TEST_INDEX_OFFSET + 2,
            0.5,
            3
        )
    );
    let test_normal0 = large_clips
        .iter()
        .find(|c| c.entry.rel_path == "pump/test/normal_id_04_00000000.wav")
        .expect("present");
    let train_normal0 = large_clips
        .iter()
        .find(|c| c.entry.rel_path == "pump/train/normal_id_04_00000000.wav")
        .expect("present");
    assert_ne!(
        test_normal0.samples, train_normal0.samples,
        "train and test clips must differ"
    );
}

#[test]
fn lengths_follow_secs_at_16_khz() {
    for (secs, n) in [(0.25, 4000), (1.0, 16_000), (1.25, 20_000), (0.0001, 2)] {
        assert_eq!(
            clip("valve", "id_00", Label::Normal, 0, secs, 0).len(),
            n,
            "{secs} s"
        );
    }
}

#[test]
fn every_type_id_and_label_is_finite_bounded_and_audible() {
    for t in machine_types() {
        for id in valid_ids(t).expect("known type") {
            for label in [Label::Normal, Label::Anomaly] {
                for index in 0..3 {
                    let x = clip(t, id, label, index, 2.0, 11);
                    assert!(
                        x.iter().all(|v| v.is_finite()),
                        "{t} {id} {label:?} {index}: non-finite sample"
                    );
                    let peak = x.iter().fold(0.0f32, |p, v| p.max(v.abs()));
                    assert!(peak <= PEAK_LIMIT, "{t} {id}: peak {peak}");
                    let level = rms_db(&x);
                    assert!(
                        (-45.0..-15.0).contains(&level),
                        "{t} {id} {label:?}: RMS {level:.1} dBFS"
                    );
                }
            }
        }
    }
}

#[test]
fn machine_ids_of_a_type_are_recognisable_from_their_spectrum() {
    const CLIPS: usize = 4;
    for t in TYPES {
        let ids = default_ids(t).expect("known type");
        let spectra: Vec<Vec<Vec<f64>>> = ids
            .iter()
            .map(|id| {
                (0..CLIPS)
                    .map(|i| band_db(&clip(t, id, Label::Normal, i, 3.0, 5)))
                    .collect()
            })
            .collect();
        let centroid = |clips: &[&Vec<f64>]| -> Vec<f64> {
            (0..clips[0].len())
                .map(|b| clips.iter().map(|c| c[b]).sum::<f64>() / clips.len() as f64)
                .collect()
        };
        let mut correct = 0;
        for (own, clips) in spectra.iter().enumerate() {
            for (i, probe) in clips.iter().enumerate() {
                // Leave-one-out nearest centroid: the probe must be closest to its own ID.
                let nearest = (0..ids.len())
                    .map(|other| {
                        let members: Vec<&Vec<f64>> = spectra[other]
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| other != own || *j != i)
                            .map(|(_, c)| c)
                            .collect();
                        (distance(probe, &centroid(&members)), other)
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, other)| other);
                if nearest != Some(own) {
                    eprintln!(
                        "{t}: {} clip {i} is nearest to {:?}",
                        ids[own],
                        nearest.map(|k| ids[k])
                    );
                }
                correct += usize::from(nearest == Some(own));
            }
        }
        assert!(
            correct >= ids.len() * CLIPS - 1,
            "{t}: only {correct} of {} clips are nearest to their own ID",
            ids.len() * CLIPS
        );
    }
}

/// Mean of the band spectra of some clips.
fn centroid(spectra: &[Vec<f64>]) -> Vec<f64> {
    (0..spectra[0].len())
        .map(|b| spectra.iter().map(|s| s[b]).sum::<f64>() / spectra.len() as f64)
        .collect()
}

#[test]
fn every_pair_of_machine_ids_differs_more_than_clips_of_one_id() {
    const CLIPS: usize = 3;
    for t in TYPES {
        let ids = valid_ids(t).expect("known type");
        let spectra: Vec<Vec<Vec<f64>>> = ids
            .iter()
            .map(|id| {
                (0..CLIPS)
                    .map(|i| band_db(&clip(t, id, Label::Normal, i, 3.0, 13)))
                    .collect()
            })
            .collect();
        let centroids: Vec<Vec<f64>> = spectra.iter().map(|s| centroid(s)).collect();
        // The typical spread of a clip around its own ID's mean spectrum.
        let spreads: Vec<f64> = spectra
            .iter()
            .zip(&centroids)
            .flat_map(|(clips, c)| clips.iter().map(move |s| distance(s, c)))
            .collect();
        let within = spreads.iter().sum::<f64>() / spreads.len() as f64;
        let mut too_close = Vec::new();
        for a in 0..ids.len() {
            for b in a + 1..ids.len() {
                let between = distance(&centroids[a], &centroids[b]);
                if between <= within {
                    too_close.push(format!("{} ~ {}: {between:.2} dB", ids[a], ids[b]));
                }
            }
        }
        assert!(
            too_close.is_empty(),
            "{t}: clips of one ID spread {within:.2} dB on average, but {too_close:?}"
        );
    }
}

#[test]
fn faults_change_the_spectrum_measurably_but_subtly() {
    for t in TYPES {
        for fault in fault_kinds(t).expect("known type") {
            for index in 0..2 {
                let healthy = generate_fault_clip(t, "id_00", None, index, 4.0, 21).expect("valid");
                let faulty =
                    generate_fault_clip(t, "id_00", Some(fault), index, 4.0, 21).expect("valid");
                let level_change = rms_db(&faulty) - rms_db(&healthy);
                assert!(
                    level_change.abs() < 3.0,
                    "{t}/{fault}: level changes by {level_change:.2} dB"
                );
                let (h, f) = (band_db(&healthy), band_db(&faulty));
                let largest = h
                    .iter()
                    .zip(&f)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                let (hf, ff) = (frame_band_db(&healthy), frame_band_db(&faulty));
                let framewise =
                    hf.iter().zip(&ff).map(|(a, b)| distance(a, b)).sum::<f64>() / hf.len() as f64;
                assert!(
                    largest > 0.5 || framewise > 0.5,
                    "{t}/{fault}: change only {largest:.2} dB / {framewise:.2} dB"
                );
                assert!(
                    largest < 20.0,
                    "{t}/{fault}: band change {largest:.2} dB is not subtle"
                );
            }
        }
    }
}

#[test]
fn anomalous_clips_rotate_through_the_fault_kinds() {
    for t in TYPES {
        let kinds = fault_kinds(t).expect("known type");
        assert!(kinds.len() >= 2, "{t} needs at least two fault kinds");
        let chosen: Vec<&str> = (0..kinds.len())
            .map(|i| fault_for(t, "id_02", i, 9).expect("valid"))
            .collect();
        let mut sorted = chosen.clone();
        sorted.sort();
        let mut expected = kinds.to_vec();
        expected.sort();
        assert_eq!(
            sorted, expected,
            "{t}: consecutive indices must cover every fault once"
        );
        let via_label = clip(t, "id_02", Label::Anomaly, 1, 0.5, 9);
        let via_fault = generate_fault_clip(t, "id_02", Some(chosen[1]), 1, 0.5, 9).expect("valid");
        assert_eq!(via_label, via_fault, "{t}");
    }
}

#[test]
fn data_set_uses_the_dcase_dev_layout_sorted_by_path() {
    let config = SynthConfig {
        types: vec!["valve".into(), "fan".into()],
        ids: vec!["id_02".into(), "id_00".into()],
        train_per_id: 2,
        test_normal_per_id: 1,
        test_anomaly_per_id: 1,
        secs: 0.1,
        seed: 0,
    };
    let clips = generate(&config).expect("valid config");
    let paths: Vec<&str> = clips.iter().map(|c| c.entry.rel_path.as_str()).collect();
    let mut expected = Vec::new();
    for t in ["fan", "valve"] {
        for id in ["00", "02"] {
            expected.push(format!("{t}/test/anomaly_id_{id}_00000000.wav"));
        }
        for id in ["00", "02"] {
            expected.push(format!("{t}/test/normal_id_{id}_00000000.wav"));
        }
        for id in ["00", "02"] {
            expected.push(format!("{t}/train/normal_id_{id}_00000000.wav"));
            expected.push(format!("{t}/train/normal_id_{id}_00000001.wav"));
        }
    }
    assert_eq!(paths, expected);
    for c in &clips {
        let p = &c.entry.rel_path;
        assert!(p.starts_with(&format!("{}/", c.entry.machine_type)), "{p}");
        assert!(p.contains(&format!("_{}_", c.entry.machine_id)), "{p}");
        assert_eq!(c.entry.split == Split::Train, p.contains("/train/"), "{p}");
        assert_eq!(
            c.entry.label == Some(Label::Anomaly),
            p.contains("/anomaly_"),
            "{p}"
        );
        assert_eq!(c.samples.len(), 1600, "{p}");
    }
    assert_eq!(
        entries(&config).expect("valid"),
        clips.iter().map(|c| c.entry.clone()).collect::<Vec<_>>()
    );
}

#[test]
fn empty_ids_use_the_dcase_dev_ids_and_zero_counts_are_allowed() {
    let config = SynthConfig {
        types: vec!["slider".into()],
        train_per_id: 1,
        test_normal_per_id: 0,
        test_anomaly_per_id: 0,
        secs: 0.1,
        ..SynthConfig::default()
    };
    let ids: Vec<String> = entries(&config)
        .expect("valid")
        .into_iter()
        .map(|e| e.machine_id)
        .collect();
    assert_eq!(ids, ["id_00", "id_02", "id_04", "id_06"]);
    let none = SynthConfig {
        train_per_id: 0,
        ..config
    };
    assert!(generate(&none).expect("valid").is_empty());
    assert_eq!(machine_types(), TYPES);
}

#[test]
fn write_dcase_writes_readable_16_bit_wavs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = SynthConfig {
        types: vec!["pump".into(), "slider".into()],
        ids: vec!["id_06".into()],
        train_per_id: 2,
        test_normal_per_id: 1,
        test_anomaly_per_id: 1,
        secs: 0.3,
        seed: 4,
    };
    let count = write_dcase(dir.path(), &config).expect("writable dir");
    let clips = generate(&config).expect("valid");
    assert_eq!(count, clips.len());
    assert_eq!(count, 8);
    for c in clips {
        let path = dir.path().join(&c.entry.rel_path);
        let mut reader =
            hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let spec = reader.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 16_000, 16)
        );
        assert_eq!(spec.sample_format, hound::SampleFormat::Int);
        let read: Vec<i16> = reader
            .samples::<i16>()
            .map(|s| s.expect("valid sample"))
            .collect();
        assert_eq!(read.len(), c.samples.len());
        for (r, x) in read.iter().zip(&c.samples) {
            assert!(
                (*r as f32 / 32768.0 - x).abs() <= 0.5 / 32768.0 + 1e-7,
                "{}",
                c.entry.rel_path
            );
        }
    }
}

#[test]
fn write_dcase_names_the_path_it_cannot_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("fan");
    std::fs::write(&blocker, b"not a folder").expect("write file");
    let config = SynthConfig {
        types: vec!["fan".into()],
        train_per_id: 1,
        test_normal_per_id: 0,
        test_anomaly_per_id: 0,
        secs: 0.1,
        ..SynthConfig::default()
    };
    match write_dcase(dir.path(), &config) {
        Err(SynthError::Io { path, .. }) => assert!(path.contains("fan"), "{path}"),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn unknown_names_and_bad_lengths_are_errors_that_list_valid_values() {
    let err = generate_clip("drill", "id_00", Label::Normal, 0, 1.0, 0).expect_err("unknown type");
    assert!(matches!(err, SynthError::UnknownType { .. }));
    assert!(
        err.to_string().contains("drill")
            && err
                .to_string()
                .contains("fan, pump, slider, valve, ToyCar, ToyConveyor"),
        "{err}"
    );
    let err = generate_clip("fan", "id_07", Label::Normal, 0, 1.0, 0).expect_err("unknown id");
    assert!(
        err.to_string().contains("id_07")
            && err.to_string().contains("id_00")
            && err.to_string().contains("id_06"),
        "{err}"
    );
    let err =
        generate_fault_clip("pump", "id_00", Some("squeal"), 0, 1.0, 0).expect_err("wrong fault");
    assert!(err.to_string().contains("cavitation"), "{err}");
    for secs in [0.0, -1.0, 60.5, f32::NAN, f32::INFINITY] {
        let err = generate_clip("fan", "id_00", Label::Normal, 0, secs, 0).expect_err("bad secs");
        assert!(matches!(err, SynthError::BadSecs { .. }), "{secs}: {err}");
    }
    assert_eq!(
        clip("fan", "id_00", Label::Normal, 0, 60.0, 0).len(),
        960_000
    );
    let bad_type = SynthConfig {
        types: vec!["fan".into(), "ToyTrain".into()],
        ..SynthConfig::default()
    };
    assert!(matches!(
        generate(&bad_type),
        Err(SynthError::UnknownType { .. })
    ));
    let bad_id = SynthConfig {
        ids: vec!["00".into()],
        ..SynthConfig::default()
    };
    assert!(matches!(
        entries(&bad_id),
        Err(SynthError::UnknownId { .. })
    ));
    let bad_secs = SynthConfig {
        secs: 0.0,
        train_per_id: 0,
        test_normal_per_id: 0,
        test_anomaly_per_id: 0,
        ..SynthConfig::default()
    };
    assert!(matches!(
        generate(&bad_secs),
        Err(SynthError::BadSecs { .. })
    ));
}
