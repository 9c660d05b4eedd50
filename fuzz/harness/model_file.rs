//! `sonogan::store::load` on one input: a model file loads (its detector of the kind its
//! manifest names) or is refused with a message, never a panic.
//!
//! Shared by `fuzz/fuzz_targets/model_file.rs` and `tests/fuzz_regressions.rs`.

use burn::tensor::Device;
use sonogan::store;

/// One input, as the fuzz target and `tests/fuzz_regressions.rs` feed it.
pub fn check(data: &[u8]) {
    match store::load(data, &Device::flex()) {
        Ok((detector, manifest)) => assert_eq!(detector.kind(), manifest.kind()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
