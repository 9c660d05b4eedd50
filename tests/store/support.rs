//! Shared helpers: a briefly trained tiny autoencoder with its manifest, damaged-file
//! utilities and a minimal executor.

pub use burn::tensor::Device;
pub use rand::{Rng, SeedableRng};
pub use rand_chacha::ChaCha8Rng;

pub use sonogan::features::{FeatureConfig, Vectors};
pub use sonogan::models::{AeConfig, Detector, ModelConfig, new_detector};
pub use sonogan::store::{
    self, DataDescription, DecisionThreshold, FORMAT_VERSION, Gamma, MAGIC, Manifest,
    NormalScoreStats, ScoreSource, StoreError, ThresholdMethod, container, fnv1a_64, gamma,
};
pub use sonogan::train::{TrainConfig, Trainer, clip_score, score_vectors};

pub fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    let tolerance = rel * expected.abs();
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual:e}, expected {expected:e}"
    );
}

pub fn tiny_ae() -> ModelConfig {
    ModelConfig::Ae(AeConfig {
        input_dim: 6,
        hidden_dim: 8,
        hidden_layers: 1,
        latent_dim: 2,
        ..AeConfig::default()
    })
}

/// Feature settings whose vectors are as wide as [`tiny_ae`]'s input: 6 mel bands, 1 frame.
pub fn tiny_features() -> FeatureConfig {
    FeatureConfig {
        n_mels: 6,
        frames: 1,
        ..FeatureConfig::default()
    }
}

/// `count` clips of `len` six-dimensional vectors around a fixed pattern.
pub fn clips(count: usize, len: usize, seed: u64) -> Vec<Vectors> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let data = (0..len * 6)
                .map(|i| (i % 6) as f32 * 0.5 + rng.random_range(-0.3..0.3))
                .collect();
            Vectors { dim: 6, data }
        })
        .collect()
}

/// A briefly trained tiny autoencoder and its manifest.
pub fn trained_model() -> (Box<dyn Detector>, Manifest) {
    let config = TrainConfig {
        epochs: 2,
        batch_size: 16,
        seed: 5,
        ..TrainConfig::default()
    };
    let detector = new_detector(&tiny_ae(), &Device::flex(), 5).expect("detector");
    let mut trainer = Trainer::new(detector, clips(12, 20, 1), config).expect("trainer");
    let summary = block_on(trainer.run_to_end(|_| {})).expect("training");
    let detector = trainer.into_detector().expect("finished run");
    let description = DataDescription {
        machine_types: vec!["fan".into()],
        machine_ids: vec!["id_00".into(), "id_02".into()],
    };
    let manifest =
        Manifest::from_training(detector.as_ref(), tiny_features(), &summary, description)
            .expect("manifest");
    (detector, manifest)
}

pub fn model_bytes() -> Vec<u8> {
    let (detector, manifest) = trained_model();
    block_on(store::save(detector.as_ref(), &manifest)).expect("save")
}

pub fn load_error(bytes: &[u8]) -> StoreError {
    match store::load(bytes, &Device::flex()) {
        Ok(_) => panic!("damaged bytes loaded"),
        Err(e) => e,
    }
}

/// The two sections of a valid file, to re-assemble with a valid checksum after editing one.
pub fn sections(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let s = container::decode(bytes).expect("valid file");
    (s.manifest.to_vec(), s.weights.to_vec())
}

pub use sonogan::runtime::block_on;
