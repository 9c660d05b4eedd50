//! The scores CSV that `sonogan auc` reads and `sonogan score` writes: a header naming the
//! columns `label` and `score` (in any order, among others), then one `label,score` row per clip.
//! One implementation for the CLI and the fuzz target (`fuzz/fuzz_targets/scores_csv.rs`).

/// Why a scores CSV cannot be read; the message names the file and, for a bad row, its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {}{reason}", line.map(|n| format!("line {n}: ")).unwrap_or_default())]
pub struct ScoresCsvError {
    /// The file as the caller named it.
    pub file: String,
    /// The 1-based line at fault, `None` for a problem of the whole file (empty, no rows).
    pub line: Option<usize>,
    /// What is wrong, with quoted text's control characters escaped.
    pub reason: String,
}

/// Parse the `label,score` rows of a scores CSV named `file` (label 0 = normal, 1 = anomaly;
/// a finite score, higher = more anomalous). Lines may end in LF, CRLF or a lone CR (old Mac
/// files); blank lines are skipped; a UTF-8 byte-order mark before the header is ignored. Text
/// quoted in messages has its control characters escaped, so a hostile file cannot move the
/// terminal's cursor.
///
/// ```
/// use sonogan::metrics::parse_scores_csv;
/// let (labels, scores) = parse_scores_csv("s.csv", "label,score\n0,0.1\n1,0.9\n").unwrap();
/// assert_eq!((labels, scores), (vec![false, true], vec![0.1, 0.9]));
/// let error = parse_scores_csv("s.csv", "label,score\n2,0.5\n").unwrap_err();
/// assert!(error.to_string().starts_with("s.csv: line 2: label `2`"));
/// ```
pub fn parse_scores_csv(file: &str, text: &str) -> Result<(Vec<bool>, Vec<f64>), ScoresCsvError> {
    let fail = |line: Option<usize>, reason: String| ScoresCsvError {
        file: file.to_string(),
        line,
        reason,
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_index, header)) = lines.next() else {
        return Err(fail(
            None,
            "empty file; expected a header `label,score` and one row per clip".into(),
        ));
    };
    let columns: Vec<String> = header
        .split(',')
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |name: &str| columns.iter().position(|c| c == name);
    let (Some(label_col), Some(score_col)) = (find("label"), find("score")) else {
        return Err(fail(
            Some(header_index + 1),
            format!(
                "header is `{}`, expected columns `label` and `score`",
                shown(header)
            ),
        ));
    };
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    for (index, line) in lines {
        let line_no = Some(index + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let field = |col: usize| fields.get(col).copied().unwrap_or("");
        let label = match field(label_col) {
            "0" => false,
            "1" => true,
            other => {
                return Err(fail(
                    line_no,
                    format!("label `{}` is not 0 (normal) or 1 (anomaly)", shown(other)),
                ));
            }
        };
        let score = field(score_col)
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite())
            .ok_or_else(|| {
                fail(
                    line_no,
                    format!("score `{}` is not a finite number", shown(field(score_col))),
                )
            })?;
        labels.push(label);
        scores.push(score);
    }
    if labels.is_empty() {
        return Err(fail(None, "no rows after the header".into()));
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

    #[test]
    fn lf_crlf_and_lone_cr_line_ends_read_the_same_rows() {
        let expected = (vec![false, false, true, true], vec![0.1, 0.4, 0.35, 0.8]);
        for end in ["\n", "\r\n", "\r"] {
            let text = ["label,score", "0,0.1", "0,0.4", "1,0.35", "1,0.8", ""].join(end);
            let parsed = parse_scores_csv("s.csv", &text).expect("parses");
            assert_eq!(parsed, expected, "line end {end:?}");
        }
    }

    #[test]
    fn a_bad_row_is_named_by_line_with_control_characters_escaped() {
        let text = "label,score\r0,0.1\r2\u{1b}[2J,0.5\r";
        let error = parse_scores_csv("s.csv", text).expect_err("bad label");
        let message = error.to_string();
        assert!(
            message.starts_with("s.csv: line 3: label `2\\u{1b}[2J`"),
            "{message}"
        );
        assert!(
            !message.contains('\r') && !message.contains('\u{1b}'),
            "{message:?}"
        );
        assert_eq!(error.line, Some(3));
    }

    #[test]
    fn whole_file_problems_name_the_file_without_a_line() {
        for (text, reason) in [
            ("", "empty file"),
            ("\n \n", "empty file"),
            ("label,score\n", "no rows after the header"),
        ] {
            let error = parse_scores_csv("s.csv", text).expect_err(text);
            assert_eq!(error.line, None, "{text:?}");
            assert!(
                error.to_string().starts_with(&format!("s.csv: {reason}")),
                "{error}"
            );
        }
    }

    #[test]
    fn the_header_is_named_by_its_own_line_after_blank_lines() {
        let error = parse_scores_csv("s.csv", "\n\nid,value\n0,1\n").expect_err("bad header");
        assert!(
            error
                .to_string()
                .starts_with("s.csv: line 3: header is `id,value`"),
            "{error}"
        );
    }
}
