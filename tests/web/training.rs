//! Training in the browser: one autoencoder step agrees between WebGPU and flex, and a tiny
//! train-and-evaluate run completes on each backend.

use burn::tensor::Device;
use sonogan::features::Vectors;
use sonogan::models::{ModelConfig, ModelKind, new_detector};
use sonogan::train::{DEFAULT_SCORE_CHUNK, score_vectors, to_tensor};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use super::support::{
    SEED, TINY_BATCH, check_tiny_run, read_values, tiny_dataset, train_and_evaluate,
};
use super::webgpu::webgpu;

/// Relative tolerance of the loss of the first step. The loss is the MSE of the untrained
/// autoencoder's reconstruction, a forward pass only: float32 on both backends, with sums
/// (matmul, BatchNorm statistics, the mean) reduced in a different order by WebGPU's kernels
/// than by flex's loops, which moves the result by a few float32 ulps per layer (~1e-6
/// relative). 1e-4 leaves a wide margin over that and still catches any wrong kernel.
const LOSS_RTOL: f32 = 1e-4;

/// Relative tolerance (plus `SCORE_ATOL`) of the per-vector scores after the step. They also
/// depend on the backward pass and on Adam's first update, which moves every weight by about
/// ±lr·g/(|g|+ε) — a ratio that turns small gradient differences of near-zero gradients into
/// visible weight differences — so the bar is looser than for the loss: 1e-3 relative.
const SCORE_RTOL: f32 = 1e-3;
/// Absolute slack of the score comparison (scores are squared errors of dB values, ~10..1000).
const SCORE_ATOL: f32 = 1e-3;

/// What one autoencoder step left behind on one device.
struct OneStep {
    /// The raw weight bytes before the step.
    initial_weights: Vec<u8>,
    /// The headline loss of the step (the batch MSE, computed with the initial weights).
    loss: f32,
    /// Per-vector scores of every training vector after the step (inference mode).
    scores_after: Vec<f32>,
}

/// Builds the default DCASE autoencoder from [`SEED`] on `device`, takes one training step on
/// `batch` and scores `probe` afterwards, reading everything asynchronously.
async fn one_ae_step(device: &Device, batch: &[f32], probe: &Vectors) -> OneStep {
    let config = ModelConfig::default_for(ModelKind::Ae);
    let mut detector = new_detector(&config, device, SEED).expect("autoencoder");
    let initial_weights = detector
        .weights()
        .into_bytes_async()
        .await
        .expect("initial weights");
    let losses = detector
        .train_step(&[to_tensor(batch.to_vec(), probe.dim, device)])
        .expect("training step");
    let (name, loss) = losses.into_iter().next().expect("a headline loss");
    let loss = read_values(loss).await;
    assert_eq!(loss.len(), 1, "loss {name} is a scalar");
    let scores_after = score_vectors(detector.as_ref(), probe, None, DEFAULT_SCORE_CHUNK)
        .await
        .expect("scores after the step");
    OneStep {
        initial_weights,
        loss: loss[0],
        scores_after,
    }
}

#[wasm_bindgen_test]
async fn one_autoencoder_step_on_webgpu_agrees_with_flex() {
    let gpu = webgpu().await;
    let flex = Device::flex();
    let (train, _) = tiny_dataset();
    let probe = Vectors {
        dim: 640,
        data: train
            .iter()
            .flat_map(|c| c.features.to_vectors().data)
            .collect(),
    };
    let batch = &probe.data[..TINY_BATCH * probe.dim];

    let on_flex = one_ae_step(&flex, batch, &probe).await;
    let on_gpu = one_ae_step(&gpu, batch, &probe).await;

    // The initial weights are drawn on the host from the seed's ChaCha8 stream, so they are
    // bit-identical on both devices.
    assert!(
        on_flex.initial_weights == on_gpu.initial_weights,
        "same seed, different initial weights on flex and WebGPU"
    );
    let loss_error = (on_gpu.loss - on_flex.loss).abs() / on_flex.loss.abs();
    console_log!(
        "one AE step: loss flex {} WebGPU {} (relative difference {loss_error:.2e})",
        on_flex.loss,
        on_gpu.loss
    );
    assert!(
        on_flex.loss.is_finite() && loss_error <= LOSS_RTOL,
        "loss on flex {} vs WebGPU {}: relative difference {loss_error:e} > {LOSS_RTOL:e}",
        on_flex.loss,
        on_gpu.loss
    );
    assert_eq!(on_flex.scores_after.len(), on_gpu.scores_after.len());
    let worst = on_flex
        .scores_after
        .iter()
        .zip(&on_gpu.scores_after)
        .map(|(f, g)| (f - g).abs() / (SCORE_RTOL * f.abs() + SCORE_ATOL))
        .fold(0.0f32, f32::max);
    let worst_relative = on_flex
        .scores_after
        .iter()
        .zip(&on_gpu.scores_after)
        .map(|(f, g)| (f - g).abs() / f.abs())
        .fold(0.0f32, f32::max);
    console_log!(
        "one AE step: worst score relative difference {worst_relative:.2e} over {} vectors",
        on_flex.scores_after.len()
    );
    assert!(
        worst <= 1.0,
        "scores after one step differ between flex and WebGPU by up to {worst_relative:e} relative \
         (tolerance {SCORE_RTOL:e} + {SCORE_ATOL:e})"
    );
}

#[wasm_bindgen_test]
async fn tiny_train_and_evaluate_completes_on_flex() {
    let run = train_and_evaluate(&Device::flex(), "flex").await;
    check_tiny_run(&run, "flex");
}

#[wasm_bindgen_test]
async fn tiny_train_and_evaluate_completes_on_webgpu() {
    let gpu = webgpu().await;
    let run = train_and_evaluate(&gpu, "WebGPU").await;
    check_tiny_run(&run, "WebGPU");
}
