//! The seed paper's Table 2 as fixed-width text: rows = machine types, per model an AUC and a
//! pAUC column, last row = per-model mean over types.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{EvalTable, MeanScores, ModelTable};

/// Row label column header.
const TYPE_HEADER: &str = "Machine type";
/// Label of the last row.
const MEAN_LABEL: &str = "Average";
/// Narrowest model column group: two numbers such as "100.00" and a space.
const MIN_GROUP_WIDTH: usize = 15;

/// Formats the table in the seed paper's Table 2 layout, values in percent.
///
/// One row per machine type present in any model (sorted), then the per-model mean over types.
/// A model without a value for a type shows "-". IDs skipped for lack of a class are listed
/// below the table.
pub fn format_table2(table: &EvalTable) -> String {
    let types: BTreeSet<&str> = table
        .models
        .iter()
        .flat_map(|m| m.types.iter().map(|t| t.machine_type.as_str()))
        .collect();
    let label_width = types
        .iter()
        .map(|t| t.chars().count())
        .chain([TYPE_HEADER.len(), MEAN_LABEL.len()])
        .max();
    let label_width = label_width.unwrap_or(TYPE_HEADER.len());
    let groups: Vec<usize> = table
        .models
        .iter()
        .map(|m| m.model.label().chars().count().max(MIN_GROUP_WIDTH))
        .collect();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "AUC and pAUC (%) per machine type: mean over machine IDs; pAUC = McClish-standardised, max FPR {}",
        table.max_fpr
    );
    let names = table
        .models
        .iter()
        .zip(&groups)
        .map(|(m, &w)| format!("{:^w$}", m.model.label()));
    push_row(&mut out, &format!("{:<label_width$}", TYPE_HEADER), names);
    let headers = groups.iter().map(|&w| pair_cells(w, "AUC", "pAUC"));
    push_row(&mut out, &" ".repeat(label_width), headers);
    let rule = rule_line(label_width, &groups);
    out.push_str(&rule);
    for machine_type in &types {
        let cells = table
            .models
            .iter()
            .zip(&groups)
            .map(|(m, &w)| value_cells(w, type_mean(m, machine_type)));
        push_row(&mut out, &format!("{machine_type:<label_width$}"), cells);
    }
    out.push_str(&rule);
    let means = table
        .models
        .iter()
        .zip(&groups)
        .map(|(m, &w)| value_cells(w, m.mean));
    push_row(&mut out, &format!("{MEAN_LABEL:<label_width$}"), means);
    push_skipped_notes(&mut out, table);
    out
}

/// Appends one row: the label, then each group after a " | " separator.
fn push_row(out: &mut String, label: &str, groups: impl Iterator<Item = String>) {
    out.push_str(label);
    for group in groups {
        out.push_str(" | ");
        out.push_str(&group);
    }
    out.push('\n');
}

/// The horizontal rule under the header and above the mean row.
fn rule_line(label_width: usize, groups: &[usize]) -> String {
    let mut line = "-".repeat(label_width);
    for &w in groups {
        line.push_str("-+-");
        line.push_str(&"-".repeat(w));
    }
    line.push('\n');
    line
}

/// Two right-aligned cells filling a group of width `width`.
fn pair_cells(width: usize, left: &str, right: &str) -> String {
    let left_width = (width - 1) / 2;
    let right_width = width - 1 - left_width;
    format!("{left:>left_width$} {right:>right_width$}")
}

/// AUC and pAUC in percent with two decimals, or "-" for no value.
fn value_cells(width: usize, mean: Option<MeanScores>) -> String {
    match mean {
        Some(m) => pair_cells(
            width,
            &format!("{:.2}", 100.0 * m.auc),
            &format!("{:.2}", 100.0 * m.pauc),
        ),
        None => pair_cells(width, "-", "-"),
    }
}

/// Mean over IDs of one type of one model, if the model has that type and any scored ID.
fn type_mean(model: &ModelTable, machine_type: &str) -> Option<MeanScores> {
    model
        .types
        .iter()
        .find(|t| t.machine_type == machine_type)
        .and_then(|t| t.mean)
}

/// Lists the skipped IDs under the table (nothing when there are none).
fn push_skipped_notes(out: &mut String, table: &EvalTable) {
    for model in &table.models {
        for t in &model.types {
            for s in &t.skipped {
                let _ = writeln!(
                    out,
                    "skipped (not in the means): {} {} {}: {}",
                    model.model.label(),
                    t.machine_type,
                    s.machine_id,
                    s.reason
                );
            }
        }
    }
}
