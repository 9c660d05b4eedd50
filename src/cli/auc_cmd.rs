//! `sonogan auc`: AUC and pAUC of a scores CSV, with scikit-learn's semantics (docs/DESIGN.md §1.8).

use crate::metrics::{AucSummary, auc_summary};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::{Path, PathBuf};

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

/// Parse `label,score` rows; every problem names the file and line. Lines may end in LF, CRLF
/// or a lone CR (old Mac files); text quoted in messages has its control characters escaped.
pub fn parse_scores_csv(path: &Path, text: &str) -> Result<(Vec<bool>, Vec<f64>)> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
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
            "{}: line 1: header is `{}`, expected columns `label` and `score`",
            path.display(),
            shown(header)
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
                "{}: line {line_no}: label `{}` is not 0 (normal) or 1 (anomaly)",
                path.display(),
                shown(other)
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
                    shown(field(score_col))
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

/// `text` with control characters escaped (`\u{1b}`, `\t`), so that a message quoting a field
/// cannot move the terminal's cursor or hide what follows.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_control() {
            true => c.escape_default().to_string(),
            false => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_scores_csv;
    use std::path::Path;

    #[test]
    fn lf_crlf_and_lone_cr_line_ends_read_the_same_rows() {
        let expected = (vec![false, false, true, true], vec![0.1, 0.4, 0.35, 0.8]);
        for end in ["\n", "\r\n", "\r"] {
            let text = ["label,score", "0,0.1", "0,0.4", "1,0.35", "1,0.8", ""].join(end);
            let parsed = parse_scores_csv(Path::new("s.csv"), &text).expect("parses");
            assert_eq!(parsed, expected, "line end {end:?}");
        }
    }

    #[test]
    fn a_bad_row_is_named_by_line_with_control_characters_escaped() {
        let text = "label,score\r0,0.1\r2\u{1b}[2J,0.5\r";
        let error = parse_scores_csv(Path::new("s.csv"), text).expect_err("bad label");
        let message = error.to_string();
        assert!(
            message.starts_with("s.csv: line 3: label `2\\u{1b}[2J`"),
            "{message}"
        );
        assert!(
            !message.contains('\r') && !message.contains('\u{1b}'),
            "{message:?}"
        );
    }
}
