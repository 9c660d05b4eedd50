//! GPU smoke test: a few training steps of each detector on a native GPU (Vulkan or CUDA, built
//! with `--features vulkan` / `--features cuda`) agree with the same steps on flex.
//!
//! It runs whenever a GPU backend is compiled in and initialises, and prints a clear SKIP line
//! otherwise (CI has no GPU, and Mesa's software Vulkan crashes on burn's matmul kernels).
//! Tolerance: per-vector scores within 2 % relative (+1e-3 absolute) after 5 steps; GPU
//! reductions sum in a different order, and Adam amplifies tiny differences in early steps.

use sonogan::device::{DeviceChoice, select_device};
use sonogan::eval::protocol::model_config;
use sonogan::features::Vectors;
use sonogan::models::{ModelKind, new_detector};
use sonogan::runtime::block_on;
use sonogan::train::{TrainConfig, Trainer, score_vectors};

/// Deterministic dB-like vectors with low-rank structure.
fn clips() -> Vec<Vectors> {
    (0..4)
        .map(|clip| {
            let data = (0..300 * 640)
                .map(|i| {
                    let (row, col) = (i / 640, i % 640);
                    let phase = (row + 37 * clip) as f32 * 0.05;
                    -40.0
                        + 10.0 * (col as f32 * 0.031 + phase).sin()
                        + 3.0 * (col as f32 * 0.007 * (1.0 + phase.cos())).cos()
                })
                .collect();
            Vectors { dim: 640, data }
        })
        .collect()
}

fn scores_after_steps(kind: ModelKind, device: &burn::tensor::Device) -> Vec<f32> {
    let run = TrainConfig {
        epochs: 1,
        batch_size: 256,
        seed: 7,
        ..TrainConfig::default()
    };
    let detector = new_detector(&model_config(kind, &run), device, run.seed).expect("detector");
    let mut trainer = Trainer::new(detector, clips(), run).expect("trainer");
    for _ in 0..5 {
        block_on(trainer.step()).expect("step");
    }
    block_on(score_vectors(trainer.detector(), &clips()[0], None, 4096)).expect("scores")
}

#[test]
fn gpu_training_steps_agree_with_flex() {
    let gpu =
        match select_device(DeviceChoice::Cuda).or_else(|_| select_device(DeviceChoice::Vulkan)) {
            Ok(gpu) => gpu,
            Err(reason) => {
                println!("SKIP gpu smoke test: no native GPU backend usable here ({reason})");
                return;
            }
        };
    println!("gpu smoke test on {}", gpu.description);
    let cpu = select_device(DeviceChoice::Cpu).expect("flex");
    for kind in ModelKind::ALL {
        let on_cpu = scores_after_steps(kind, &cpu.device);
        let on_gpu = scores_after_steps(kind, &gpu.device);
        let worst = on_cpu
            .iter()
            .zip(&on_gpu)
            .map(|(c, g)| (c - g).abs() / (c.abs() * 0.02 + 1e-3))
            .fold(0.0f32, f32::max);
        println!("{kind}: worst deviation {worst:.3} of the tolerance");
        assert!(
            worst <= 1.0,
            "{kind}: GPU scores differ from flex beyond 2 % (+1e-3)"
        );
    }
}
