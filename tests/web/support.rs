//! Shared helpers of the browser tests (`tests/web.rs`, `tests/web_flex_first.rs`): a tiny
//! synthetic data set, a tiny training run driven with asynchronous reads, and tensor reads that
//! are safe on WebGPU (synchronous reads panic there).

use burn::tensor::{Device, Tensor};
use sonogan::data::synth::{self, SynthConfig};
use sonogan::data::{Label, Split};
use sonogan::eval::protocol::{FeatureClip, model_config};
use sonogan::eval::table::{ClipScore, DCASE_MAX_FPR, EvalTable};
use sonogan::features::{FeatureConfig, FeatureExtractor};
use sonogan::models::{ModelKind, new_detector};
use sonogan::train::{TrainConfig, Trainer, clip_score};
use wasm_bindgen_test::console_log;
use web_time::Instant;

/// Seed of every synthetic clip, model and batch order in the browser tests.
pub const SEED: u64 = 2026;

/// Vectors per training batch: small, because WebGPU on SwiftShader is ~28× slower than flex.
pub const TINY_BATCH: usize = 32;

/// One machine (`valve`, `id_00`) with 3 normal training clips and 2 normal + 2 anomalous test
/// clips of 1 s each (28 vectors per clip), generated and turned into features in the browser.
pub fn tiny_dataset() -> (Vec<FeatureClip>, Vec<FeatureClip>) {
    let config = SynthConfig {
        types: vec!["valve".into()],
        ids: vec!["id_00".into()],
        train_per_id: 3,
        test_normal_per_id: 2,
        test_anomaly_per_id: 2,
        secs: 1.0,
        seed: SEED,
    };
    let mut extractor = FeatureExtractor::new(FeatureConfig::default());
    let clips: Vec<FeatureClip> = synth::generate(&config)
        .expect("synthetic data set")
        .into_iter()
        .map(|clip| FeatureClip {
            features: std::sync::Arc::new(
                extractor
                    .frames(&clip.entry.rel_path, &clip.samples)
                    .expect("features of a 1-s clip"),
            ),
            entry: clip.entry,
        })
        .collect();
    let (train, test): (Vec<_>, Vec<_>) = clips
        .into_iter()
        .partition(|clip| clip.entry.split == Split::Train);
    assert_eq!((train.len(), test.len()), (3, 4), "synthetic split sizes");
    (train, test)
}

/// One epoch of small batches, losses read every step.
pub fn tiny_train_config() -> TrainConfig {
    TrainConfig {
        epochs: 1,
        batch_size: TINY_BATCH,
        seed: SEED,
        loss_read_every: 1,
        ..TrainConfig::default()
    }
}

/// The float values of `tensor`, read asynchronously (works on flex and WebGPU).
pub async fn read_values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor
        .into_data_async()
        .await
        .expect("asynchronous device read")
        .try_into_vec::<f32>()
        .expect("float32 tensor data")
}

/// What [`train_and_evaluate`] measured.
pub struct TinyRun {
    /// The evaluation table of the one model ("AE") over the one machine type and ID.
    pub table: EvalTable,
    /// Training steps taken.
    pub steps: usize,
    /// The losses read after the last step.
    pub final_losses: Vec<(String, f32)>,
}

/// Trains the DCASE autoencoder for one epoch on [`tiny_dataset`]'s training clips on `device`
/// with [`Trainer::step`], scores each test clip with [`clip_score`] and builds the
/// AUC/pAUC table: the browser's version of the `eval` pipeline.
pub async fn train_and_evaluate(device: &Device, backend: &str) -> TinyRun {
    let started = Instant::now();
    let (train, test) = tiny_dataset();
    let config = tiny_train_config();
    let detector = new_detector(&model_config(ModelKind::Ae, &config), device, config.seed)
        .expect("autoencoder");
    let frames = train.iter().map(|clip| clip.features.clone()).collect();
    let mut trainer =
        Trainer::with_machine_ids(detector, frames, &[], config.clone()).expect("trainer");
    let mut steps = 0;
    while let Some(progress) = trainer.step().await.expect("training step") {
        steps = progress.step;
    }
    let summary = trainer.summary().await.expect("run summary");
    let mut scores = Vec::new();
    for clip in &test {
        let score = clip_score(
            trainer.detector(),
            clip.features.as_ref(),
            None,
            config.score_chunk,
        )
        .await
        .expect("clip score");
        scores.push(ClipScore {
            model: ModelKind::Ae,
            machine_type: clip.entry.machine_type.clone(),
            machine_id: clip.entry.machine_id.clone(),
            rel_path: clip.entry.rel_path.clone(),
            label: clip.entry.label,
            score,
        });
    }
    let table = EvalTable::build(&scores, DCASE_MAX_FPR).expect("evaluation table");
    console_log!(
        "{backend}: tiny train+eval in {:.1} s ({steps} steps, losses {:?}, {} anomalous of {} test clips)",
        started.elapsed().as_secs_f64(),
        summary.final_losses,
        scores
            .iter()
            .filter(|s| s.label == Some(Label::Anomaly))
            .count(),
        scores.len(),
    );
    TinyRun {
        table,
        steps,
        final_losses: summary.final_losses,
    }
}

/// Checks the outcome of [`train_and_evaluate`]: every step ran, the losses are finite, and the
/// one ID got an AUC and a pAUC in [0, 1].
pub fn check_tiny_run(run: &TinyRun, backend: &str) {
    // 3 clips × 28 vectors = 84; floor(84 · 0.9) = 75 train, 9 held out → batches 32, 32, 11.
    assert_eq!(run.steps, 3, "{backend}: steps of one epoch");
    assert!(
        !run.final_losses.is_empty() && run.final_losses.iter().all(|(_, v)| v.is_finite()),
        "{backend}: final losses {:?}",
        run.final_losses
    );
    let model = run.table.model(ModelKind::Ae).expect("AE in the table");
    let valve = &model.types[0];
    assert_eq!(valve.machine_type, "valve");
    assert!(valve.skipped.is_empty(), "{backend}: {:?}", valve.skipped);
    let id = &valve.ids[0];
    let (auc, pauc) = (id.summary.auc, id.summary.pauc);
    console_log!("{backend}: id_00 AUC {auc:.3}, pAUC {pauc:.3}");
    assert!(
        auc.is_finite() && (0.0..=1.0).contains(&auc),
        "{backend}: AUC {auc}"
    );
    assert!(
        pauc.is_finite() && (0.0..=1.0).contains(&pauc),
        "{backend}: pAUC {pauc}"
    );
}
