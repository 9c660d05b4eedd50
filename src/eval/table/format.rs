//! The seed paper's Table 2 as fixed-width text: rows = machine types, per model an AUC and a
//! pAUC column, last row = per-model mean over types; for a seed sweep each cell is the mean ±
//! sample sd over seeds (docs/DESIGN.md §1.10).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::spread::{Spread, SpreadScores};
use super::{EvalTable, SweepTable};

/// Row label column header.
const TYPE_HEADER: &str = "Machine type";
/// Label of the last row.
const MEAN_LABEL: &str = "Average";
/// Narrowest model column group: two numbers such as "100.00" and a space.
const MIN_GROUP_WIDTH: usize = 15;

/// One model's column group: its label, a cell per machine type (in the grid's type order) and
/// its mean over types.
struct Column {
    label: &'static str,
    cells: Vec<Option<SpreadScores>>,
    mean: Option<SpreadScores>,
}

/// What either table form prints.
struct Grid {
    max_fpr: f64,
    seeds: usize,
    types: Vec<String>,
    columns: Vec<Column>,
    /// "model type id: reason" of every skipped ID.
    skipped: Vec<String>,
}

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
    let single = |m: Option<super::MeanScores>| {
        m.map(|m| SpreadScores {
            auc: Spread::single(m.auc),
            pauc: Spread::single(m.pauc),
        })
    };
    let columns = table.models.iter().map(|m| Column {
        label: m.model.label(),
        cells: types
            .iter()
            .map(|&t| {
                single(
                    m.types
                        .iter()
                        .find(|x| x.machine_type == t)
                        .and_then(|x| x.mean),
                )
            })
            .collect(),
        mean: single(m.mean),
    });
    let columns: Vec<Column> = columns.collect();
    let skipped = table.models.iter().flat_map(|m| {
        m.types.iter().flat_map(move |t| {
            t.skipped.iter().map(move |s| {
                let label = m.model.label();
                format!("{label} {} {}: {}", t.machine_type, s.machine_id, s.reason)
            })
        })
    });
    render(&Grid {
        max_fpr: table.max_fpr,
        seeds: 1,
        types: types.into_iter().map(str::to_string).collect(),
        columns,
        skipped: skipped.collect(),
    })
}

/// [`format_table2`] of a seed sweep: each cell reads "mean ± sd" over the seeds ("mean" alone
/// where only one seed has the value); with one seed the text equals [`format_table2`] of that
/// seed's table.
pub fn format_sweep_table2(sweep: &SweepTable) -> String {
    let types = sweep.machine_types();
    let columns = sweep.models.iter().map(|m| Column {
        label: m.model.label(),
        cells: types
            .iter()
            .map(|t| m.machine_type(t).and_then(|x| x.mean))
            .collect(),
        mean: m.mean,
    });
    let columns: Vec<Column> = columns.collect();
    let skipped = sweep.models.iter().flat_map(|m| {
        m.types.iter().flat_map(move |t| {
            t.skipped.iter().map(move |s| {
                let label = m.model.label();
                format!("{label} {} {}: {}", t.machine_type, s.machine_id, s.reason)
            })
        })
    });
    render(&Grid {
        max_fpr: sweep.max_fpr,
        seeds: sweep.runs.len(),
        types,
        columns,
        skipped: skipped.collect(),
    })
}

/// The text of a grid.
fn render(grid: &Grid) -> String {
    let label_width = grid
        .types
        .iter()
        .map(|t| t.chars().count())
        .chain([TYPE_HEADER.len(), MEAN_LABEL.len()])
        .max()
        .unwrap_or(TYPE_HEADER.len());
    let groups: Vec<usize> = grid.columns.iter().map(group_width).collect();

    let mut out = String::new();
    let _ = write!(
        out,
        "AUC and pAUC (%) per machine type: mean over machine IDs; pAUC = McClish-standardised, max FPR {}",
        grid.max_fpr
    );
    if grid.seeds > 1 {
        let _ = write!(out, "; mean ± sd over {} seeds", grid.seeds);
    }
    out.push('\n');
    let names = grid
        .columns
        .iter()
        .zip(&groups)
        .map(|(c, &w)| format!("{:^w$}", c.label));
    push_row(&mut out, &format!("{:<label_width$}", TYPE_HEADER), names);
    let headers = groups.iter().map(|&w| pair_cells(w, "AUC", "pAUC"));
    push_row(&mut out, &" ".repeat(label_width), headers);
    let rule = rule_line(label_width, &groups);
    out.push_str(&rule);
    for (row, machine_type) in grid.types.iter().enumerate() {
        let cells = grid
            .columns
            .iter()
            .zip(&groups)
            .map(|(c, &w)| value_cells(w, c.cells[row]));
        push_row(&mut out, &format!("{machine_type:<label_width$}"), cells);
    }
    out.push_str(&rule);
    let means = grid
        .columns
        .iter()
        .zip(&groups)
        .map(|(c, &w)| value_cells(w, c.mean));
    push_row(&mut out, &format!("{MEAN_LABEL:<label_width$}"), means);
    for note in &grid.skipped {
        let _ = writeln!(out, "skipped (not in the means): {note}");
    }
    out
}

/// Width of a column group: its label, and two of its widest cells with a space.
fn group_width(column: &Column) -> usize {
    let widest = column
        .cells
        .iter()
        .chain([&column.mean])
        .flatten()
        .flat_map(|s| [percent(&s.auc), percent(&s.pauc)])
        .map(|text| text.chars().count())
        .max()
        .unwrap_or(1);
    column
        .label
        .chars()
        .count()
        .max(MIN_GROUP_WIDTH)
        .max(2 * widest + 1)
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

/// AUC and pAUC in percent with two decimals (± sd when there is one), or "-" for no value.
fn value_cells(width: usize, value: Option<SpreadScores>) -> String {
    match value {
        Some(s) => pair_cells(width, &percent(&s.auc), &percent(&s.pauc)),
        None => pair_cells(width, "-", "-"),
    }
}

/// "83.33" or "83.33 ± 1.20".
fn percent(spread: &Spread) -> String {
    match spread.sd {
        Some(sd) => format!("{:.2} ± {:.2}", 100.0 * spread.mean, 100.0 * sd),
        None => format!("{:.2}", 100.0 * spread.mean),
    }
}
