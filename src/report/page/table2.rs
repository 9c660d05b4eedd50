//! Table 2 in the seed paper's layout: machine types as column groups with AUC and pAUC
//! sub-columns, then an "Average" group; models as rows; values in percent, mean ± sd over seeds;
//! the best value of every column marked.

use std::fmt::Write as _;

use crate::eval::table::{Spread, SpreadScores, SweepTable};
use crate::report::svg::{escape_html, format_score};

/// Label and `data-type` of the last column group.
const AVERAGE: &str = "Average";

/// Table 2 as `<table class="table2" data-testid="table2">`: a header row with one
/// `<th scope="colgroup" colspan="2">` per machine type (sorted) and "Average", a row of
/// AUC / pAUC headers, then one `<tr data-model="AE">` per model with `td.auc` / `td.pauc` cells
/// carrying `data-type` (the type, or "average" for the mean over types). A cell reads
/// "91.67" (percent, two decimals) or "91.67 ± 1.20" with several seeds, "—" without a value.
/// The highest mean of every column is marked `class="… best"` and wrapped in `<strong>`.
pub(super) fn table2_html(sweep: &SweepTable) -> String {
    let types = sweep.machine_types();
    // columns[c][row]: the spread of model `row` in column `c` (type × metric, then average).
    let mut columns: Vec<(String, &str, Vec<Option<Spread>>)> = Vec::new();
    let group_cells = |cell: &dyn Fn(usize) -> Option<SpreadScores>| {
        let n = sweep.models.len();
        let auc = (0..n).map(|i| cell(i).map(|s| s.auc)).collect();
        let pauc = (0..n).map(|i| cell(i).map(|s| s.pauc)).collect();
        (auc, pauc)
    };
    for t in &types {
        let (auc, pauc) = group_cells(&|i| sweep.models[i].machine_type(t).and_then(|x| x.mean));
        columns.push((t.clone(), "auc", auc));
        columns.push((t.clone(), "pauc", pauc));
    }
    let (auc, pauc) = group_cells(&|i| sweep.models[i].mean);
    columns.push(("average".to_string(), "auc", auc));
    columns.push(("average".to_string(), "pauc", pauc));

    let mut out = String::from(r#"<table class="table2" data-testid="table2">"#);
    let _ = write!(
        out,
        "<caption>AUC and pAUC (%) per machine type (mean over machine IDs) and their average over types; pAUC McClish-standardised, max FPR {}{}; best per column in bold</caption>",
        format_score(sweep.max_fpr),
        match sweep.runs.len() {
            0 | 1 => String::new(),
            n => format!("; mean ± sd over {n} seeds"),
        }
    );
    out.push_str(r#"<thead><tr><th scope="col" rowspan="2">Model</th>"#);
    for name in types.iter().map(String::as_str).chain([AVERAGE]) {
        let _ = write!(
            out,
            r#"<th scope="colgroup" colspan="2">{}</th>"#,
            escape_html(name)
        );
    }
    out.push_str("</tr><tr>");
    for _ in 0..=types.len() {
        out.push_str(r#"<th scope="col">AUC</th><th scope="col">pAUC</th>"#);
    }
    out.push_str("</tr></thead><tbody>");
    let best: Vec<Option<f64>> = columns
        .iter()
        .map(|(_, _, cells)| column_best(cells))
        .collect();
    for (row, model) in sweep.models.iter().enumerate() {
        let label = escape_html(model.model.label());
        let _ = write!(
            out,
            r#"<tr data-model="{label}"><th scope="row">{label}</th>"#
        );
        for ((machine_type, class, cells), best) in columns.iter().zip(&best) {
            push_cell(&mut out, machine_type, class, cells[row], *best);
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// The highest mean of a column, if any model has a value.
fn column_best(cells: &[Option<Spread>]) -> Option<f64> {
    cells
        .iter()
        .flatten()
        .map(|s| s.mean)
        .fold(None, |best, m| Some(best.map_or(m, |b: f64| b.max(m))))
}

/// One value cell, marked when it holds the column's best mean.
fn push_cell(
    out: &mut String,
    machine_type: &str,
    class: &str,
    value: Option<Spread>,
    best: Option<f64>,
) {
    let data_type = escape_html(machine_type);
    let Some(value) = value else {
        let _ = write!(out, r#"<td class="{class}" data-type="{data_type}">—</td>"#);
        return;
    };
    let text = percent_text(value);
    if best == Some(value.mean) {
        let _ = write!(
            out,
            r#"<td class="{class} best" data-type="{data_type}"><strong>{text}</strong></td>"#
        );
    } else {
        let _ = write!(
            out,
            r#"<td class="{class}" data-type="{data_type}">{text}</td>"#
        );
    }
}

/// "91.67" or "91.67 ± 1.20" (percent).
fn percent_text(value: Spread) -> String {
    match value.sd {
        Some(sd) => format!("{:.2} ± {:.2}", 100.0 * value.mean, 100.0 * sd),
        None => format!("{:.2}", 100.0 * value.mean),
    }
}
