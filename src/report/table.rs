//! The evaluation results as HTML tables: per type × model (the seed paper's Table 2 as used by
//! the page) and per machine ID, plus a minimal self-contained page with both.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::svg::{escape_html, format_fixed, format_score};
use crate::eval::table::{EvalTable, IdRow, MeanScores, ModelTable, TypeTable};

/// Decimals of AUC and pAUC values.
const DECIMALS: usize = 3;
/// Cell text of a missing value.
const MISSING: &str = "—";
/// `data-type` and label of the per-model mean rows.
const MEAN_TYPE: &str = "mean";

/// The results as `<table data-testid="results-table">`: a header row, then one row per
/// (machine type × model) pair, types sorted and models in table order,
/// `<tr data-type="valve" data-model="AE">` with cells `td.type`, `td.model`, `td.auc`, `td.pauc`
/// (the type's mean over IDs, 3 decimals, nothing else in the cell). A type without a mean shows
/// "—" with a `title` naming the skipped IDs and why. With more than one type, one
/// `<tr data-type="mean" data-model="…">` per model follows with the mean over types (docs/DESIGN.md §1.9).
/// All names are escaped.
pub fn results_table_html(table: &EvalTable) -> String {
    let types = machine_types(table);
    let mut out = String::from(r#"<table data-testid="results-table" class="results-table">"#);
    let _ = write!(
        out,
        "<caption>AUC and pAUC per machine type and model (mean over machine IDs; pAUC McClish-standardised, max FPR {})</caption>",
        format_score(table.max_fpr)
    );
    out.push_str(r#"<thead><tr><th scope="col">Machine type</th><th scope="col">Model</th><th scope="col">AUC</th><th scope="col">pAUC</th></tr></thead><tbody>"#);
    for machine_type in &types {
        for model in &table.models {
            if let Some(type_table) = find_type(model, machine_type) {
                let missing_reason = skipped_reason(type_table);
                push_mean_row(
                    &mut out,
                    machine_type,
                    model.model.label(),
                    type_table.mean,
                    &missing_reason,
                );
            }
        }
    }
    if types.len() > 1 {
        for model in &table.models {
            let reason = "no machine type could be scored";
            push_mean_row(&mut out, MEAN_TYPE, model.model.label(), model.mean, reason);
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// One row of [`results_table_html`].
fn push_mean_row(
    out: &mut String,
    machine_type: &str,
    model: &str,
    mean: Option<MeanScores>,
    missing_reason: &str,
) {
    let (machine_type, model) = (escape_html(machine_type), escape_html(model));
    let label = if machine_type == MEAN_TYPE {
        "Mean".to_string()
    } else {
        machine_type.clone()
    };
    let _ = write!(
        out,
        r#"<tr data-type="{machine_type}" data-model="{model}"><td class="type">{label}</td><td class="model">{model}</td>"#
    );
    match mean {
        Some(m) => {
            push_value(out, "auc", m.auc);
            push_value(out, "pauc", m.pauc);
        }
        None => {
            push_missing(out, "auc", missing_reason);
            push_missing(out, "pauc", missing_reason);
        }
    }
    out.push_str("</tr>");
}

/// A value cell: `<td class="{class}">0.873</td>`.
fn push_value(out: &mut String, class: &str, value: f64) {
    let _ = write!(
        out,
        r#"<td class="{class}">{}</td>"#,
        format_fixed(value, DECIMALS)
    );
}

/// A missing-value cell: "—" with the reason as its `title`.
fn push_missing(out: &mut String, class: &str, reason: &str) {
    let _ = write!(
        out,
        r#"<td class="{class}" title="{}">{MISSING}</td>"#,
        escape_html(reason)
    );
}

/// Why a type has no mean: its skipped IDs with their reasons.
fn skipped_reason(type_table: &TypeTable) -> String {
    if type_table.skipped.is_empty() {
        return "no machine IDs".to_string();
    }
    let reasons: Vec<String> = type_table
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.machine_id, s.reason))
        .collect();
    reasons.join("; ")
}

/// Per-ID results as `<table data-testid="id-table">`: one row per (machine type × machine ID),
/// `<tr data-type="valve" data-id="id_00">`, and per model a `td.auc` and a `td.pauc` cell with
/// `data-model`. An ID a model could not score shows "—" with the reason as `title`.
pub fn id_table_html(table: &EvalTable) -> String {
    let mut out = String::from(r#"<table data-testid="id-table" class="id-table">"#);
    out.push_str("<caption>AUC and pAUC per machine ID</caption><thead><tr>");
    out.push_str(
        r#"<th scope="col" rowspan="2">Machine type</th><th scope="col" rowspan="2">ID</th>"#,
    );
    for model in &table.models {
        let _ = write!(
            out,
            r#"<th scope="colgroup" colspan="2">{}</th>"#,
            escape_html(model.model.label())
        );
    }
    out.push_str("</tr><tr>");
    for _ in &table.models {
        out.push_str(r#"<th scope="col">AUC</th><th scope="col">pAUC</th>"#);
    }
    out.push_str("</tr></thead><tbody>");
    for machine_type in machine_types(table) {
        for machine_id in machine_ids(table, &machine_type) {
            let _ = write!(
                out,
                r#"<tr data-type="{}" data-id="{}"><td class="type">{}</td><td class="id">{}</td>"#,
                escape_html(&machine_type),
                escape_html(&machine_id),
                escape_html(&machine_type),
                escape_html(&machine_id)
            );
            for model in &table.models {
                push_id_cells(&mut out, model, &machine_type, &machine_id);
            }
            out.push_str("</tr>");
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// The AUC and pAUC cells of one model for one ID.
fn push_id_cells(out: &mut String, model: &ModelTable, machine_type: &str, machine_id: &str) {
    let name = escape_html(model.model.label());
    let type_table = find_type(model, machine_type);
    let row: Option<&IdRow> =
        type_table.and_then(|t| t.ids.iter().find(|r| r.machine_id == machine_id));
    match row {
        Some(row) => {
            for (class, value) in [("auc", row.summary.auc), ("pauc", row.summary.pauc)] {
                let _ = write!(
                    out,
                    r#"<td class="{class}" data-model="{name}">{}</td>"#,
                    format_fixed(value, DECIMALS)
                );
            }
        }
        None => {
            let skipped =
                type_table.and_then(|t| t.skipped.iter().find(|s| s.machine_id == machine_id));
            let reason = skipped.map_or("not evaluated".to_string(), |s| s.reason.clone());
            for class in ["auc", "pauc"] {
                let _ = write!(
                    out,
                    r#"<td class="{class}" data-model="{name}" title="{}">{MISSING}</td>"#,
                    escape_html(&reason)
                );
            }
        }
    }
}

/// A minimal self-contained HTML page with [`results_table_html`] and [`id_table_html`] (no
/// scripts, styles or external references).
pub fn results_page_html(table: &EvalTable) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sonogan evaluation results</title></head><body><h1>sonogan evaluation results</h1>\n{}\n{}\n</body></html>\n",
        results_table_html(table),
        id_table_html(table)
    )
}

/// Every machine type of any model, sorted.
fn machine_types(table: &EvalTable) -> Vec<String> {
    let types: BTreeSet<&str> = table
        .models
        .iter()
        .flat_map(|m| m.types.iter().map(|t| t.machine_type.as_str()))
        .collect();
    types.into_iter().map(str::to_string).collect()
}

/// Every machine ID of `machine_type` in any model (scored or skipped), sorted.
fn machine_ids(table: &EvalTable, machine_type: &str) -> Vec<String> {
    let ids: BTreeSet<&str> = table
        .models
        .iter()
        .filter_map(|m| find_type(m, machine_type))
        .flat_map(|t| {
            let scored = t.ids.iter().map(|r| r.machine_id.as_str());
            scored.chain(t.skipped.iter().map(|s| s.machine_id.as_str()))
        })
        .collect();
    ids.into_iter().map(str::to_string).collect()
}

/// The type table of `machine_type` in `model`.
fn find_type<'a>(model: &'a ModelTable, machine_type: &str) -> Option<&'a TypeTable> {
    model.types.iter().find(|t| t.machine_type == machine_type)
}
