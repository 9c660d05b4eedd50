//! Evaluation: the one train → score protocol, then per-clip scores → per-ID and per-type
//! AUC / pAUC tables and DCASE-format result files.

pub mod protocol;
pub mod table;
