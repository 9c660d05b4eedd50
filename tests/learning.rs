//! Learning on the built-in synthetic machine sounds, through the same pipeline as `sonogan eval`
//! (synthesis → librosa-exact features → trainer → clip scores → per-ID AUC, docs/DESIGN.md §1.5–1.8).
//!
//! Each detector, trained briefly, must rank the anomalous test clips of one machine type far
//! better than the same detector untrained (same seed, same initial weights), on average over two
//! training seeds. One seed is not enough: a short run on a small set lands anywhere in a wide
//! range, and Keras's DCASE autoencoder on the same clips spreads as widely (docs/DESIGN.md
//! §13.7, `tools/keras_learning_check.py`). The AE's and EGBAD's bars sit below the lowest AUC
//! measured over six and four seeds, so a change far below the feature bar (a different FFT
//! order, SIMD kernels) should not flip them; GANomaly, Skip-GANomaly and GMADE keep the 0.8 bar,
//! measured on seeds 0 and 1 only (0.81–0.91 per seed). The data are small (2 IDs, 5-s clips) so that the file runs in the dev profile in a few
//! minutes.

use burn::tensor::Device;
use sonogan::audio::quantise_16_bit;
use sonogan::data::Split;
use sonogan::data::synth::{SynthConfig, generate};
use sonogan::eval::protocol::{
    FeatureClip, JobSlot, NativeHost, TrainJob, model_config, score_clips, train,
};
use sonogan::eval::table::{ClipScore, DCASE_MAX_FPR, EvalTable};
use sonogan::features::{FeatureConfig, FeatureExtractor};
use sonogan::models::{ModelConfig, ModelKind, new_detector};
use sonogan::runtime::block_on;
use sonogan::train::TrainConfig;

/// How many clips per machine ID a learning test synthesises.
#[derive(Clone, Copy, Debug)]
struct ClipCounts {
    /// Normal training clips per ID.
    train: usize,
    /// Normal and anomalous test clips per ID (as many of each).
    test: usize,
}

/// 8 training and 8 + 8 test clips per ID.
const SMALL: ClipCounts = ClipCounts { train: 8, test: 8 };
/// 32 training and 16 + 16 test clips per ID: the autoencoder needs the larger set to learn
/// consistently (on `SMALL` it reached 0.43–0.73 on pump over six seeds, Keras alike).
const LARGER: ClipCounts = ClipCounts {
    train: 32,
    test: 16,
};

/// Training and test clips of one synthetic machine type, with their features.
fn synthetic_type(machine_type: &str, counts: ClipCounts) -> (Vec<FeatureClip>, Vec<FeatureClip>) {
    let config = SynthConfig {
        types: vec![machine_type.to_string()],
        ids: vec!["id_00".into(), "id_02".into()],
        train_per_id: counts.train,
        test_normal_per_id: counts.test,
        test_anomaly_per_id: counts.test,
        secs: 5.0,
        seed: 0,
    };
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let clips: Vec<FeatureClip> = generate(&config)
        .expect("synthesis")
        .into_iter()
        .map(|clip| FeatureClip {
            features: std::sync::Arc::new(
                extractor
                    .frames(&clip.entry.rel_path, &quantise_16_bit(&clip.samples))
                    .expect("features"),
            ),
            entry: clip.entry,
        })
        .collect();
    clips
        .into_iter()
        .partition(|clip| clip.entry.split == Split::Train)
}

/// Mean over machine IDs of the AUC of `scores` (one model).
fn mean_auc(scores: &[ClipScore]) -> f64 {
    let table = EvalTable::build(scores, DCASE_MAX_FPR).expect("table");
    table.models[0].mean.expect("both classes in every ID").auc
}

/// Trains a detector with `model` hyper-parameters on `machine_type`; returns (untrained AUC,
/// trained AUC). Both detectors start from the same seed, hence the same weights.
fn untrained_and_trained_auc(
    model: &ModelConfig,
    (train_clips, test): &(Vec<FeatureClip>, Vec<FeatureClip>),
    config: &TrainConfig,
) -> (f64, f64) {
    let device = Device::flex();
    let kind = model.kind();
    let machine_type = &test[0].entry.machine_type;
    let mut host = NativeHost::new(|_| {});
    let untrained = new_detector(model, &device, config.seed).expect("detector");
    let before =
        mean_auc(&block_on(score_clips(&mut host, untrained.as_ref(), test)).expect("scores"));
    let job = TrainJob {
        model: model.clone(),
        train: config.clone(),
        machine_type,
        clips: train_clips,
        slot: JobSlot::single(),
    };
    let trained = block_on(train(&mut host, &device, &job)).expect("training");
    let after = mean_auc(
        &block_on(score_clips(&mut host, trained.detector.as_ref(), test)).expect("scores"),
    );
    println!(
        "{kind} on {machine_type}, seed {}: AUC untrained {before:.3}, trained {after:.3}",
        config.seed
    );
    (before, after)
}

/// The training seeds a gradient-trained detector's AUC is averaged over.
const SEEDS: [u64; 2] = [0, 1];

/// A short run: small batches so that a few hundred steps fit in a test.
fn short_run(epochs: usize, learning_rate: f64) -> TrainConfig {
    TrainConfig {
        epochs,
        batch_size: 128,
        seed: 0,
        learning_rate: Some(learning_rate),
        ..TrainConfig::default()
    }
}

/// The default hyper-parameters of `kind` with the run's learning rate.
fn defaults(kind: ModelKind, run: &TrainConfig) -> ModelConfig {
    model_config(kind, run)
}

/// What a learning test demands of the mean AUC over [`SEEDS`].
#[derive(Clone, Copy, Debug)]
struct Bar {
    /// The trained detectors' mean AUC must reach this.
    min_auc: f64,
    /// ... and exceed the untrained detectors' mean AUC by at least this.
    min_gain: f64,
}

/// The bar most detectors clear: 0.8, and 0.15 above untrained.
const STRONG: Bar = Bar {
    min_auc: 0.8,
    min_gain: 0.15,
};

/// Trains `model` once per seed of [`SEEDS`] on `machine_type` and checks the mean AUCs.
fn assert_learns(
    model: ModelConfig,
    machine_type: &str,
    counts: ClipCounts,
    run: TrainConfig,
    bar: Bar,
) {
    let kind = model.kind();
    let data = synthetic_type(machine_type, counts);
    let (mut before, mut after) = (0.0, 0.0);
    for seed in SEEDS {
        let (untrained, trained) = untrained_and_trained_auc(
            &model,
            &data,
            &TrainConfig {
                seed,
                ..run.clone()
            },
        );
        before += untrained / SEEDS.len() as f64;
        after += trained / SEEDS.len() as f64;
    }
    assert!(
        after >= bar.min_auc,
        "{kind} on {machine_type}: mean trained AUC {after:.3} < {}",
        bar.min_auc
    );
    assert!(
        after - before >= bar.min_gain,
        "{kind} on {machine_type}: mean trained AUC {after:.3} is not {} above untrained {before:.3}",
        bar.min_gain
    );
}

/// The DCASE autoencoder on pump, with Keras's learning rate (1e-3) on the larger set. Measured
/// over seeds 0–5 with the fused CPU step (docs/DESIGN.md §13.8): AUC 0.734–0.824, mean 0.786,
/// from 0.549 untrained (burn's autodiff step gave 0.742–0.824); Keras's autoencoder on the same clips
/// with the same settings gave 0.754–0.793 (seeds 0–2). On valve it hardly learns in a short run
/// (0.56–0.72 over six seeds at 1e-3; Keras 0.60–0.62), and an earlier version of this test that
/// passed there with a raised rate (1e-2) did so by luck of the seed: 0.58–0.90 over six seeds,
/// Keras 0.65–0.87 (docs/DESIGN.md §13.7).
#[test]
fn autoencoder_learns_pump() {
    let run = short_run(10, 1e-3);
    let bar = Bar {
        min_auc: 0.7,
        min_gain: 0.15,
    };
    assert_learns(defaults(ModelKind::Ae, &run), "pump", LARGER, run, bar);
}

/// GANomaly on valve, with its default hyper-parameters (Adam 2e-4) and default score
/// (0.9·reconstruction + 0.1·latent, see `GanomalyConfig::score_lambda`).
#[test]
fn ganomaly_learns_valve() {
    let run = short_run(40, 2e-4);
    assert_learns(
        defaults(ModelKind::Ganomaly, &run),
        "valve",
        SMALL,
        run,
        STRONG,
    );
}

/// Skip-GANomaly on valve.
#[test]
fn skip_ganomaly_learns_valve() {
    let run = short_run(40, 2e-3);
    let model = defaults(ModelKind::SkipGanomaly, &run);
    assert_learns(model, "valve", SMALL, run, STRONG);
}

/// EGBAD on valve. A few hundred steps are too few for the default weight averaging (decay
/// 0.999 keeps the test-time weights near their initial values), so this short run scores with
/// the live weights (decay 0, docs/DESIGN.md §10.5 allows disabling it).
///
/// With the design's pure BiGAN losses (`cycle_weight` 0) EGBAD stayed near chance here (AUC
/// 0.44–0.55 on valve and slider after 40 or 150 epochs): G(E(x)) was no reconstruction yet. The
/// default cycle term (λ = 1, see `EgbadConfig::cycle_weight`) makes it learn: 0.77–0.88 over
/// seeds 0–3 from 0.60 untrained, but one seed's run fell to 0.63 under a change of the FFT far
/// below the feature bar, hence the lower bar.
#[test]
fn egbad_learns_valve() {
    let run = short_run(40, 1e-3);
    let mut model = defaults(ModelKind::Egbad, &run);
    if let ModelConfig::Egbad(c) = &mut model {
        c.ema_decay = 0.0;
    }
    let bar = Bar {
        min_auc: 0.7,
        min_gain: 0.1,
    };
    assert_learns(model, "valve", SMALL, run, bar);
}

/// GMADE on valve: the group-masked density estimator (docs/DESIGN.md §11.3), conditioned on the
/// machine ID as by default.
#[test]
fn gmade_learns_valve() {
    let run = short_run(40, 1e-3);
    assert_learns(
        defaults(ModelKind::Gmade, &run),
        "valve",
        SMALL,
        run,
        STRONG,
    );
}

/// The pass-fitted detectors on valve: their untrained state is a standard normal at the origin,
/// which ranks clips by loudness only. One seed is enough: the Mahalanobis fit has no randomness,
/// and the mixture's seeded k-means++ start moved its AUC by ±1.5 points over three seeds in the
/// quality run (README "Quality on the built-in sounds"). The diagonal mixture ignores the correlations between mel bands and frames that
/// the Mahalanobis distance uses, so on this small set (2 IDs, 16 clips) it ranks valve's faults
/// less well (measured: Mahalanobis 0.859, GMM 0.758 from 0.547 untrained); its bar is the
/// improvement over untrained and 0.75.
#[test]
fn density_detectors_learn_valve() {
    let run = TrainConfig {
        batch_size: 128,
        ..TrainConfig::default()
    };
    let data = synthetic_type("valve", SMALL);
    for (kind, min_auc) in [(ModelKind::Mahalanobis, 0.8), (ModelKind::Gmm, 0.75)] {
        let (before, after) = untrained_and_trained_auc(&defaults(kind, &run), &data, &run);
        assert!(
            after >= min_auc && after - before >= 0.15,
            "{kind} on valve: {before:.3} → {after:.3}"
        );
    }
}
