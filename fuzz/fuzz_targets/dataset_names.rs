//! Fuzz target `dataset_names`: what it checks is in `fuzz/harness/dataset_names.rs`.

#![no_main]

#[path = "../harness/dataset_names.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check(data));
