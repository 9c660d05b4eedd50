//! The one WebGPU device of the test instance, initialised lazily by the first test that asks.
//!
//! burn allows one `Device::wgpu_options().init_async()` per page (a second is an error), and
//! every test of one file runs in one wasm instance, one test at a time (wasm-bindgen-test's
//! concurrency is 1). So the outcome of the first initialisation — the device or the error text —
//! is kept in a thread-local and handed to every later WebGPU test. No test depends on another
//! having run: whichever WebGPU test comes first initialises.
//!
//! No adapter is a failure, not a skip: the runner starts Chromium with `--enable-unsafe-webgpu`
//! (`webdriver.json`), which gives SwiftShader's software adapter, so a missing adapter is a real
//! regression of the browser setup or of burn's WebGPU runtime.

use std::cell::RefCell;

use burn::tensor::Device;
use wasm_bindgen_test::console_log;
use web_time::Instant;

thread_local! {
    /// `None` until the first WebGPU test initialises; then the device or the error text.
    static WEBGPU: RefCell<Option<Result<Device, String>>> = const { RefCell::new(None) };
}

/// The WebGPU device, initialised on first use; panics with the initialisation error.
pub async fn webgpu() -> Device {
    if WEBGPU.with_borrow(Option::is_none) {
        let started = Instant::now();
        let outcome = Device::wgpu_options()
            .init_async()
            .await
            .map_err(|e| e.to_string());
        console_log!(
            "WebGPU init: {} in {:.1} s",
            if outcome.is_ok() { "ok" } else { "FAILED" },
            started.elapsed().as_secs_f64()
        );
        WEBGPU.set(Some(outcome));
    }
    WEBGPU
        .with_borrow(Clone::clone)
        .expect("set above")
        .unwrap_or_else(|error| {
            panic!(
                "WebGPU did not initialise ({error}); the browser tests need Chromium with \
                 --enable-unsafe-webgpu (see webdriver.json)"
            )
        })
}
