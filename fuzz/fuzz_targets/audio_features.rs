//! Fuzz target `audio_features`: what it checks is in `fuzz/harness/audio_features.rs`.

#![no_main]

#[path = "../harness/audio_features.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check(data));
