//! The page's data, results and presets logic (src/web, target-agnostic parts), natively.

use sonogan::audio::wav_bytes;
use sonogan::data::synth::SynthConfig;
use sonogan::data::{Label, Split};
use sonogan::eval::table::ClipScore;
use sonogan::features::{FeatureConfig, FeatureExtractor};
use sonogan::models::ModelKind;
use sonogan::web::presets::{Preset, RunOptions, demo_data};
use sonogan::web::results::Results;
use sonogan::web::session::{Session, SourceAudio, SourceFile, analyse};
use sonogan::web::summary::{counts, rejected_html, summary_html};

/// A 16 kHz WAV of `secs` seconds of a tone.
fn tone_wav(secs: f32, freq: f32) -> Vec<u8> {
    let n = (secs * 16_000.0) as usize;
    let samples: Vec<f32> = (0..n)
        .map(|i| 0.3 * (i as f32 * freq * std::f32::consts::TAU / 16_000.0).sin())
        .collect();
    wav_bytes(&samples, 16_000).expect("wav")
}

fn wav_file(path: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        audio: SourceAudio::Wav(tone_wav(0.5, 440.0)),
    }
}

#[test]
fn a_dcase_folder_drop_is_labelled_from_its_paths() {
    let mut session = Session::new();
    let report = session
        .add_files(
            vec![
                wav_file("fan/train/normal_id_00_00000000.wav"),
                wav_file("fan/test/normal_id_00_00000000.wav"),
                wav_file("fan/test/anomaly_id_02_00000001.wav"),
            ],
            "uploaded",
        )
        .expect("a data set");
    assert_eq!((report.added, report.rejected), (3, 0));
    let per_type = counts(&session);
    let id00 = &per_type["fan"]["id_00"];
    assert_eq!((id00.train.normal, id00.test.normal), (1, 1));
    assert_eq!(per_type["fan"]["id_02"].test.anomaly, 1);
    let train = session.feature_clips("fan", Split::Train);
    assert_eq!(train.len(), 1);
    // 0.5 s → 1 + ⌊8000/512⌋ = 16 frames → 12 vectors of 5 × 128 (docs/DESIGN.md §1.3–1.4).
    assert_eq!(train[0].features.dim(), 640);
    assert_eq!(train[0].features.len(), 12);
}

#[test]
fn bad_files_are_listed_with_the_reason_and_nothing_else_is_lost() {
    let mut session = Session::new();
    session
        .add_files(vec![wav_file("normal_id_00_00000000.wav")], "pump")
        .expect("bare file");
    let report = session
        .add_files(
            vec![
                SourceFile {
                    path: "broken.wav".into(),
                    audio: SourceAudio::Wav(b"RIFF\x10\x00\x00\x00garbage!".to_vec()),
                },
                SourceFile {
                    path: "short.wav".into(),
                    audio: SourceAudio::Wav(tone_wav(0.05, 440.0)),
                },
                SourceFile {
                    path: "song.mp3".into(),
                    audio: SourceAudio::Undecodable("this browser cannot decode it".into()),
                },
            ],
            "pump",
        )
        .expect("bare files never fail as a whole");
    assert_eq!((report.added, report.rejected), (0, 3));
    assert_eq!(session.clips().len(), 1, "the earlier clip is kept");
    let clip = &session.clips()[0];
    assert_eq!(clip.entry.rel_path, "pump/test/normal_id_00_00000000.wav");
    assert_eq!(clip.entry.label, Some(Label::Normal));
    let listed = rejected_html(&session);
    for name in ["broken.wav", "short.wav", "song.mp3", "cannot decode"] {
        assert!(listed.contains(name), "{name} missing from {listed}");
    }
    assert!(summary_html(&session).contains("1 clips"));
}

#[test]
fn names_outside_the_dcase_pattern_become_unlabelled_test_clips() {
    let mut session = Session::new();
    session
        .add_files(vec![wav_file("my <machine>.wav")], "lathe")
        .expect("bare file");
    let clip = &session.clips()[0];
    assert_eq!(clip.entry.label, None);
    assert_eq!(clip.entry.split, Split::Test);
    let html = summary_html(&session);
    assert!(html.contains("lathe") && !html.contains("<machine>"));
}

#[test]
fn browser_decoded_stereo_at_44_1_khz_is_mixed_and_resampled() {
    let mut session = Session::new();
    let n = 44_100 / 2;
    let left: Vec<f32> = (0..n).map(|i| (i as f32 * 0.05).sin() * 0.5).collect();
    let right = vec![0.0f32; n];
    session
        .add_files(
            vec![SourceFile {
                path: "normal_id_01_00000003.ogg".into(),
                audio: SourceAudio::Decoded {
                    channels: vec![left, right],
                    sample_rate: 44_100,
                },
            }],
            "fan",
        )
        .expect("decoded file");
    let clip = &session.clips()[0];
    let samples = clip.samples.as_ref().expect("kept");
    assert_eq!(samples.len(), 8_000, "0.5 s at 16 kHz");
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!(
        (peak - 0.25).abs() < 0.02,
        "mean of the channels, peak {peak}"
    );
}

#[test]
fn recordings_get_their_role_and_an_unknown_layout_is_an_error() {
    let mut session = Session::new();
    let channel = vec![
        (0..16_000)
            .map(|i| (i as f32 * 0.1).sin() * 0.1)
            .collect::<Vec<f32>>(),
    ];
    let path = session
        .add_recording(
            "mixer",
            "id_00",
            Split::Train,
            Label::Normal,
            &channel,
            16_000,
        )
        .expect("recording");
    assert!(path.starts_with("mixer/train/normal_id_00_rec"));
    let too_short = session.add_recording(
        "mixer",
        "id_00",
        Split::Test,
        Label::Anomaly,
        &[vec![0.0; 100]],
        16_000,
    );
    assert!(too_short.is_err());
    let err = session
        .add_files(vec![wav_file("some/deep/folder/x.wav")], "t")
        .expect_err("no layout");
    assert!(err.contains("no known data set layout"), "{err}");
    assert_eq!(session.clips().len(), 1);
}

#[test]
fn built_in_sounds_fill_both_splits() {
    let mut session = Session::new();
    let config = SynthConfig {
        train_per_id: 2,
        test_normal_per_id: 1,
        test_anomaly_per_id: 1,
        secs: 1.0,
        ..demo_data()
    };
    let report = session.add_synthetic(&config).expect("synth");
    assert_eq!(report.added, 2 * 4);
    assert_eq!(session.machine_types(), vec!["valve".to_string()]);
    assert_eq!(session.feature_clips("valve", Split::Test).len(), 4);
}

fn score(model: &str, id: &str, path: &str, label: Label, score: f64) -> ClipScore {
    ClipScore {
        model: ModelKind::find(model).expect("a detector label"),
        machine_type: "fan".into(),
        machine_id: id.into(),
        rel_path: path.into(),
        label: Some(label),
        score,
    }
}

#[test]
fn results_replace_a_models_scores_and_export_dcase_files() {
    let mut results = Results::default();
    let first = vec![
        score(
            "AE",
            "id_00",
            "fan/test/normal_id_00_0.wav",
            Label::Normal,
            1.0,
        ),
        score(
            "AE",
            "id_00",
            "fan/test/anomaly_id_00_0.wav",
            Label::Anomaly,
            0.5,
        ),
    ];
    results.replace(ModelKind::Ae, "fan", 0, first.clone());
    let better = vec![
        score(
            "AE",
            "id_00",
            "fan/test/normal_id_00_0.wav",
            Label::Normal,
            0.2,
        ),
        score(
            "AE",
            "id_00",
            "fan/test/anomaly_id_00_0.wav",
            Label::Anomaly,
            0.9,
        ),
    ];
    // A new run (another seed) replaces the pair's scores of every seed.
    results.replace(ModelKind::Ae, "fan", 1, better);
    assert_eq!(results.scores().len(), 2);
    let table = results.table().expect("table").expect("some");
    assert_eq!(table.seeds(), [1]);
    assert_eq!(table.models[0].types[0].mean.expect("mean").auc.mean, 1.0);
    let pooled = results.pooled(ModelKind::Ae, "fan");
    assert_eq!(pooled.normal(), vec![0.2]);
    let confusion = pooled.confusion(0.5).expect("both classes");
    assert_eq!((confusion.tp, confusion.fp), (1, 0));
    let csv = results.to_csv().expect("csv");
    assert!(csv.contains("# file: AE/anomaly_score_fan_id_00.csv"));
    assert!(csv.contains("anomaly_id_00_0.wav,0.9"));
    assert!(csv.contains("# file: AE/result.csv"));
    let json: serde_json::Value =
        serde_json::from_str(&results.to_json(serde_json::json!({})).expect("json"))
            .expect("parse");
    assert_eq!(json["models"]["ae"]["fan"]["auc"], 1.0);
    // A further seed of the same run sits beside it: AUC 1 and 0 → mean ½, sd √½; the plots
    // keep showing the lowest seed.
    results.add_seed(ModelKind::Ae, "fan", 2, first);
    let table = results.table().expect("table").expect("some");
    assert_eq!(table.seeds(), [1, 2]);
    let auc = table.models[0].types[0].mean.expect("mean").auc;
    assert_eq!(auc.mean, 0.5);
    assert!((auc.sd.unwrap() - 0.5f64.sqrt()).abs() < 1e-12);
    assert_eq!(results.pooled(ModelKind::Ae, "fan").normal(), vec![0.2]);
    assert_eq!(results.scores().len(), 2);
    assert!(
        results
            .to_csv()
            .expect("csv")
            .contains("# file: AE/seed_2/result.csv")
    );
}

#[test]
fn presets_resolve_and_bad_options_are_refused() {
    let quick = Preset::named("quick").expect("quick");
    let faithful = Preset::named("faithful").expect("faithful");
    assert_eq!((faithful.epochs, faithful.batch_size), (100, 512));
    assert!(quick.epochs < faithful.epochs);
    assert!(Preset::named("slow").is_err());
    let mut options = RunOptions {
        models: vec![sonogan::models::ModelKind::Ae],
        preset: "faithful".into(),
        epochs: Some(3),
        batch_size: None,
        learning_rate: None,
        seed: 7,
        seeds: 1,
        subset: Some(0),
    };
    let config = options
        .train_config(sonogan::models::ModelKind::Ae)
        .expect("config");
    assert_eq!((config.epochs, config.batch_size, config.seed), (3, 512, 7));
    assert_eq!(config.learning_rate, None);
    assert_eq!(options.subset_per_group(), None);
    options.learning_rate = Some(-1.0);
    assert!(
        options
            .train_config(sonogan::models::ModelKind::Ae)
            .is_err()
    );
    options.learning_rate = None;
    options.models.clear();
    assert!(
        options
            .train_config(sonogan::models::ModelKind::Ae)
            .is_err()
    );
}

#[test]
fn files_analysed_by_feature_workers_match_the_sessions_own_reading() {
    // A 44.1 kHz file, so decoding includes resampling.
    let n = 44_100;
    let samples: Vec<f32> = (0..n).map(|i| 0.2 * (i as f32 * 0.031).sin()).collect();
    let bytes = wav_bytes(&samples, 44_100).expect("wav");
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let analysed = analyse(&mut extractor, "a.wav", SourceAudio::Wav(bytes.clone())).expect("ok");
    let add = |audio: SourceAudio| {
        let mut session = Session::new();
        let file = SourceFile {
            path: "normal_id_00_00000000.wav".into(),
            audio,
        };
        let report = session.add_files(vec![file], "valve").expect("added");
        (session, report)
    };
    let (direct, _) = add(SourceAudio::Wav(bytes));
    let (pooled, report) = add(SourceAudio::Analysed(analysed.clone()));
    assert_eq!(report.added, 1);
    assert_eq!(pooled.clips()[0].log_mel, direct.clips()[0].log_mel);
    assert_eq!(pooled.clips()[0].samples, direct.clips()[0].samples);
    assert_eq!(pooled.clips()[0].entry, direct.clips()[0].entry);

    // A result that does not fit its samples is refused with the reason, like any bad input.
    let mut broken = analysed;
    broken.log_mel.truncate(broken.log_mel.len() - 1);
    let (session, report) = add(SourceAudio::Analysed(broken));
    assert_eq!((report.added, report.rejected), (0, 1));
    assert!(
        session.rejected()[0].reason.contains("spectrogram"),
        "{:?}",
        session.rejected()
    );
}
