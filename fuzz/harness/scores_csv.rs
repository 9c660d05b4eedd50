//! The scores CSV reader of `sonogan auc` on arbitrary text: Ok with one label per score, all
//! finite, or an error naming the file (and the line, when one is at fault) with its control
//! characters escaped.
//!
//! Shared by `fuzz/fuzz_targets/scores_csv.rs` and `tests/fuzz_regressions.rs`.

use sonogan::metrics::{auc_summary, parse_scores_csv};

/// One input, as the fuzz target and `tests/fuzz_regressions.rs` feed it.
pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match parse_scores_csv("fuzz.csv", &text) {
        Ok((labels, scores)) => {
            assert!(!labels.is_empty());
            assert_eq!(labels.len(), scores.len());
            assert!(scores.iter().all(|s| s.is_finite()));
            // What `sonogan auc` does next: an error only for one class present.
            if let Err(e) = auc_summary(&labels, &scores, 0.1) {
                assert!(!e.to_string().is_empty());
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("fuzz.csv: "), "{message}");
            assert!(!e.reason.is_empty());
            assert!(
                !message.chars().any(|c| c.is_control()),
                "unescaped control character in {message:?}"
            );
        }
    }
}
