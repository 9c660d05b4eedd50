//! Fuzz target `wav_decode`: what it checks is in `fuzz/harness/wav_decode.rs`.

#![no_main]

#[path = "../harness/wav_decode.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check(data));
