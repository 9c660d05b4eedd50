//! Browser test in a page of its own: flex as the very FIRST burn device of a fresh wasm
//! instance, with no WebGPU anywhere (burn notes: once, random → matmul → backward → async read
//! on a first-used flex device panicked with "Service not yet initialized — call init() before
//! load()"). This file holds exactly one test so that nothing else touches burn before it.
//! Run together with `tests/web.rs` (see there for the command).

#![cfg(target_arch = "wasm32")]

use burn::tensor::{Device, Distribution, Tensor};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web/support.rs"]
mod support;

use support::{check_tiny_run, read_values, train_and_evaluate};

#[wasm_bindgen_test]
async fn flex_as_first_device_computes_gradients_and_trains() {
    // Part 1: random → matmul → backward → asynchronous read, the sequence that once panicked.
    let device = Device::flex();
    let autodiff = device.clone().autodiff();
    let a = Tensor::<2>::random([16, 8], Distribution::Normal(0.0, 1.0), &autodiff).require_grad();
    let b = Tensor::<2>::random([8, 4], Distribution::Normal(0.0, 1.0), &autodiff);
    let total = a.clone().matmul(b.clone()).sum();
    let grads = total.backward();
    let grad_a = read_values(a.grad(&grads).expect("gradient of A")).await;
    let b_values = read_values(b.detach()).await;
    // d/dA Σ(A·B) = 1·Bᵀ: every row of the gradient holds the row sums of B.
    let b_row_sums: Vec<f32> = b_values.chunks(4).map(|row| row.iter().sum()).collect();
    assert_eq!(grad_a.len(), 16 * 8);
    for (i, row) in grad_a.chunks(8).enumerate() {
        for (k, (got, expected)) in row.iter().zip(&b_row_sums).enumerate() {
            assert!(
                (got - expected).abs() <= 1e-5 * (1.0 + expected.abs()),
                "dΣ/dA[{i}][{k}] = {got}, expected Σ_j B[{k}][j] = {expected}"
            );
        }
    }
    console_log!("flex first: matmul gradient matches Bᵀ row sums");

    // Part 2: the library's own path on the same device — synthetic clips, features, one epoch
    // of the autoencoder with asynchronous reads, async scoring, the AUC table.
    let run = train_and_evaluate(&device, "flex (first device)").await;
    check_tiny_run(&run, "flex (first device)");
}
