//! `sonogan auc`: AUC and pAUC of a scores CSV, with scikit-learn's semantics (docs/DESIGN.md §1.8).

use crate::metrics::{AucSummary, auc_summary};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::{Path, PathBuf};

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
    let text = std::fs::read_to_string(&args.scores)
        .with_context(|| format!("{}: cannot read", args.scores.display()))?;
    let (labels, scores) = parse_scores_csv(&args.scores, &text)?;
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

/// Parse `label,score` rows; every problem names the file and line.
pub fn parse_scores_csv(path: &Path, text: &str) -> Result<(Vec<bool>, Vec<f64>)> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        bail!(
            "{}: empty file; expected a header `label,score` and one row per clip",
            path.display()
        );
    };
    let columns: Vec<String> = header
        .split(',')
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |name: &str| columns.iter().position(|c| c == name);
    let (Some(label_col), Some(score_col)) = (find("label"), find("score")) else {
        bail!(
            "{}: line 1: header is `{header}`, expected columns `label` and `score`",
            path.display()
        );
    };
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    for (index, line) in lines {
        let line_no = index + 1;
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let field = |col: usize| fields.get(col).copied().unwrap_or("");
        let label = match field(label_col) {
            "0" => false,
            "1" => true,
            other => bail!(
                "{}: line {line_no}: label `{other}` is not 0 (normal) or 1 (anomaly)",
                path.display()
            ),
        };
        let score: f64 = field(score_col)
            .parse()
            .ok()
            .filter(|s: &f64| s.is_finite())
            .with_context(|| {
                format!(
                    "{}: line {line_no}: score `{}` is not a finite number",
                    path.display(),
                    field(score_col)
                )
            })?;
        labels.push(label);
        scores.push(score);
    }
    if labels.is_empty() {
        bail!("{}: no rows after the header", path.display());
    }
    Ok((labels, scores))
}
