//! `sonogan auc`: AUC and pAUC of a scores CSV, with scikit-learn's semantics (docs/DESIGN.md §1.8).

use crate::metrics::{AucSummary, auc_summary, parse_scores_csv};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::PathBuf;

/// Largest scores CSV read (256 MiB): checked before reading, so a wrong file is refused
/// without loading it.
const MAX_CSV_BYTES: u64 = 256 << 20;

/// AUC and pAUC of a `label,score` CSV, as scikit-learn computes them.
///
/// AUC, pAUC (McClish-standardised, as sklearn's `roc_auc_score(max_fpr=p)` and the DCASE
/// evaluator) and the raw partial area A_p/p of a CSV with header `label,score`
/// (label 0 = normal, 1 = anomaly; higher score = more anomalous).
#[derive(Debug, Args)]
pub struct AucArgs {
    /// CSV file with header `label,score`.
    scores: PathBuf,
    /// Maximum false-positive rate of the partial AUC.
    #[arg(long, default_value_t = 0.1)]
    max_fpr: f64,
    /// Print one JSON object: {"auc", "pauc", "pauc_raw", "n_normal", "n_anomaly"}.
    #[arg(long)]
    json: bool,
}

/// Run the command.
pub fn run(args: AucArgs) -> Result<()> {
    let size = std::fs::metadata(&args.scores)
        .with_context(|| format!("{}: cannot read", args.scores.display()))?
        .len();
    if size > MAX_CSV_BYTES {
        bail!(
            "{}: {size} bytes is more than a scores CSV can be ({MAX_CSV_BYTES} bytes, about 10 million rows)",
            args.scores.display()
        );
    }
    let text = std::fs::read_to_string(&args.scores)
        .with_context(|| format!("{}: cannot read", args.scores.display()))?;
    let (labels, scores) = parse_scores_csv(&args.scores.display().to_string(), &text)?;
    let summary = auc_summary(&labels, &scores, args.max_fpr)
        .with_context(|| format!("{}", args.scores.display()))?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        print_summary(&summary, args.max_fpr);
    }
    Ok(())
}

fn print_summary(s: &AucSummary, max_fpr: f64) {
    println!("AUC        {:.6}", s.auc);
    println!(
        "pAUC       {:.6}   (McClish-standardised, max FPR {max_fpr})",
        s.pauc
    );
    println!("pAUC raw   {:.6}   (partial area / max FPR)", s.pauc_raw);
    println!("clips      {} normal, {} anomaly", s.n_normal, s.n_anomaly);
}
