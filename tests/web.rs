//! Browser tests: the library compiled to wasm32 and run in headless Chromium by
//! wasm-bindgen-test-runner, on burn's flex (CPU) backend and on WebGPU (SwiftShader's software
//! adapter, enabled by `--enable-unsafe-webgpu` in `webdriver.json`).
//!
//! Run (native `cargo test` ignores this file):
//! `CARGO_TARGET_DIR=/work/main/target CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 cargo test
//! --target wasm32-unknown-unknown --no-default-features --test web --test web_flex_first`
//!
//! - `features`: log-Mel features in wasm against the committed librosa fixtures.
//! - `training`: one autoencoder step agrees between WebGPU and flex; a tiny train-and-evaluate
//!   run (synthetic clips → features → 1 epoch → async scoring → AUC table) on each backend.
//!
//! All tests of this file share ONE worker (one wasm instance), run one at a time in an order this
//! file does not control. WebGPU is therefore initialised lazily by whichever WebGPU test runs
//! first ([`webgpu::webgpu`]), and flex may or may not have been used before it. The check that
//! flex works as the very first device of a fresh instance needs an instance of its own: it lives in
//! `tests/web_flex_first.rs`, a separate test target (so a separate browser session), which runs on
//! the main thread (the page itself runs the core in a Web Worker, as these tests do).
//!
//! SwiftShader runs WebGPU ~28× slower than flex, so the WebGPU tests train the autoencoder only,
//! on batches of 32 vectors, for a few steps.
//!
//! The tests run in a dedicated worker, not on the page's main thread: the first WebGPU training
//! step blocks its thread for ~30 s on SwiftShader (measured with a 1-s heartbeat: gaps of 31 s,
//! 13 s and 22 s), and chromedriver gives up on a page whose main thread does not answer for
//! 30 s ("Timed out receiving message from renderer: 30.000"). In a worker the page stays
//! responsive to the runner's polling.

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

#[path = "web/features.rs"]
mod features;
#[path = "support/librosa_bar.rs"]
mod librosa_bar;
#[path = "web/support.rs"]
mod support;
#[path = "web/training.rs"]
mod training;
#[path = "web/webgpu.rs"]
mod webgpu;
