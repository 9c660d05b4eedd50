//! The detector registry (docs/DESIGN.md §12): its rows are consistent, and every registered
//! kind goes through the one protocol end to end — trains, writes a model file, loads it back
//! and scores the same — without the test naming any kind.

use burn::tensor::Device;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sonogan::data::{ClipEntry, Label, Split};
use sonogan::eval::protocol::{
    FeatureClip, JobSlot, NativeHost, TrainJob, model_config, score_clips, train_and_score,
};
use sonogan::features::{FrameStack, Vectors};
use sonogan::models::{ModelConfig, ModelKind, REGISTRY};
use sonogan::runtime::block_on;
use sonogan::store;
use sonogan::train::TrainConfig;

/// `count` clips of `len` random 640-d vectors; anomalies are shifted.
fn clips(split: Split, label: Label, count: usize, len: usize, seed: u64) -> Vec<FeatureClip> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shift = if label == Label::Anomaly { 3.0 } else { 0.0 };
    (0..count)
        .map(|n| {
            let data = (0..len * 640)
                .map(|i| -20.0 + (i % 640) as f32 * 0.01 + shift + rng.random_range(-1.0..1.0))
                .collect();
            let kind = if label == Label::Anomaly {
                "anomaly"
            } else {
                "normal"
            };
            let folder = if split == Split::Train {
                "train"
            } else {
                "test"
            };
            let name = format!("{kind}_id_00_{n:08}.wav");
            FeatureClip {
                entry: ClipEntry {
                    rel_path: format!("valve/{folder}/{name}"),
                    machine_type: "valve".into(),
                    machine_id: "id_00".into(),
                    split,
                    label: Some(label),
                },
                features: std::sync::Arc::new(FrameStack::from_vectors(Vectors { dim: 640, data })),
            }
        })
        .collect()
}

#[test]
fn registry_rows_are_consistent() {
    assert_eq!(REGISTRY.len(), ModelKind::ALL.len());
    for (index, info) in REGISTRY.iter().enumerate() {
        assert_eq!(
            ModelKind::ALL[index],
            info.kind,
            "ALL follows the table order"
        );
        assert_eq!(info.kind.info().name, info.name);
        assert_eq!(ModelKind::find(info.name), Some(info.kind));
        assert_eq!(ModelKind::find(&info.label.to_uppercase()), Some(info.kind));
        assert_eq!(info.name.parse::<ModelKind>().unwrap(), info.kind);
        assert_eq!(
            serde_json::to_string(&info.kind).unwrap(),
            format!("\"{}\"", info.name)
        );
        let config = ModelConfig::default_for(info.kind);
        assert_eq!(config.kind(), info.kind);
        config.validate().expect("default configuration is valid");
        let json = serde_json::to_value(&config).unwrap();
        assert_eq!(
            json["kind"], info.name,
            "configs are tagged by the registry name"
        );
        for other in &REGISTRY[index + 1..] {
            assert_ne!(info.name, other.name, "names are unique");
            assert_ne!(info.label, other.label, "labels are unique");
        }
    }
}

#[test]
fn an_unknown_kind_is_refused_with_every_known_name() {
    let error = "vae".parse::<ModelKind>().unwrap_err().to_string();
    for info in REGISTRY {
        assert!(error.contains(info.name), "{error}");
    }
}

#[test]
fn every_registered_detector_trains_saves_loads_and_scores_through_the_protocol() {
    let device = Device::flex();
    let train = clips(Split::Train, Label::Normal, 4, 24, 1);
    let mut test = clips(Split::Test, Label::Normal, 2, 10, 2);
    test.extend(clips(Split::Test, Label::Anomaly, 2, 10, 3));
    let run = TrainConfig {
        epochs: 1,
        batch_size: 32,
        seed: 7,
        ..TrainConfig::default()
    };
    for info in REGISTRY {
        let job = TrainJob {
            model: model_config(info.kind, &run),
            train: run.clone(),
            machine_type: "valve",
            clips: &train,
            slot: JobSlot::single(),
        };
        let mut steps = 0;
        let mut host = NativeHost::new(|event| {
            assert_eq!(event.kind, info.kind);
            steps += 1;
        });
        let trained = block_on(train_and_score(&mut host, &device, &job, &test))
            .unwrap_or_else(|e| panic!("{}: {e}", info.name));
        drop(host);
        assert!(steps > 0, "{}: progress after every step", info.name);
        assert_eq!(trained.kind(), info.kind);
        assert_eq!(trained.scores.len(), test.len());
        assert!(
            trained
                .scores
                .iter()
                .all(|s| s.model == info.kind && s.score.is_finite())
        );

        let model = &trained.model;
        let bytes = block_on(store::save(model.detector.as_ref(), &model.manifest)).unwrap();
        let (loaded, manifest) = store::load(&bytes, &device).unwrap();
        assert_eq!((loaded.kind(), manifest.kind()), (info.kind, info.kind));
        let mut host = NativeHost::new(|_| {});
        let again = block_on(score_clips(&mut host, loaded.as_ref(), &test)).unwrap();
        for (a, b) in trained.scores.iter().zip(&again) {
            let tolerance = 1e-6 * a.score.abs().max(1e-6);
            assert!(
                (a.score - b.score).abs() <= tolerance,
                "{}: {a:?} vs {b:?}",
                info.name
            );
        }
    }
}
