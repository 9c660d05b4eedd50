//! Fuzz target `scores_csv`: what it checks is in `fuzz/harness/scores_csv.rs`.

#![no_main]

#[path = "../harness/scores_csv.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check(data));
