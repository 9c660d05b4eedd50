//! Per-ID / per-type AUC and pAUC tables, the seed paper's Table 2 layout, DCASE CSV files.
