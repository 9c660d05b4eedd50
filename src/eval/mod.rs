//! Evaluation: per-clip scores → per-ID and per-type AUC / pAUC tables, DCASE-format result files.

pub mod pipeline;
pub mod table;
