//! The evaluation results as the page's HTML tables: per type × model and per machine ID, each
//! value the mean over seeds with "± sd" when there are several (docs/DESIGN.md §1.10).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::svg::{escape_html, format_fixed, format_score};
use crate::eval::table::{Spread, SpreadScores, SweepModel, SweepTable, SweepType};

/// Decimals of AUC and pAUC values.
const DECIMALS: usize = 3;
/// Cell text of a missing value.
const MISSING: &str = "—";
/// `data-type` and label of the per-model mean rows.
const MEAN_TYPE: &str = "mean";

/// The results as `<table data-testid="results-table">`: a header row, then one row per
/// (machine type × model) pair, types sorted and models in table order,
/// `<tr data-type="valve" data-model="AE">` with cells `td.type`, `td.model`, `td.auc`, `td.pauc`
/// (the type's mean over IDs, 3 decimals, nothing else in the cell with one seed; with several
/// seeds "0.873 ± 0.012", the sd also in `data-sd`). A type without a mean shows
/// "—" with a `title` naming the skipped IDs and why. With more than one type, one
/// `<tr data-type="mean" data-model="…">` per model follows with the mean over types (docs/DESIGN.md §1.9).
/// All names are escaped.
pub fn results_table_html(table: &SweepTable) -> String {
    let types = machine_types(table);
    let mut out = String::from(r#"<table data-testid="results-table" class="results-table">"#);
    let _ = write!(
        out,
        "<caption>AUC and pAUC per machine type and model (mean over machine IDs; pAUC McClish-standardised, max FPR {}{})</caption>",
        format_score(table.max_fpr),
        seeds_note(table)
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
    mean: Option<SpreadScores>,
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

/// A value cell: `<td class="{class}">0.873</td>`, or with an sd
/// `<td class="{class}" data-sd="0.012">0.873 ± 0.012</td>`.
fn push_value(out: &mut String, class: &str, value: Spread) {
    let _ = write!(
        out,
        r#"<td class="{class}"{}>{}</td>"#,
        sd_attr(value),
        spread_text(value)
    );
}

/// ` data-sd="…"` when there is an sd.
fn sd_attr(value: Spread) -> String {
    value
        .sd
        .map_or(String::new(), |sd| format!(r#" data-sd="{sd}""#))
}

/// "0.873" or "0.873 ± 0.012".
pub(super) fn spread_text(value: Spread) -> String {
    match value.sd {
        Some(sd) => format!(
            "{} ± {}",
            format_fixed(value.mean, DECIMALS),
            format_fixed(sd, DECIMALS)
        ),
        None => format_fixed(value.mean, DECIMALS),
    }
}

/// "; mean ± sd over 3 seeds" with several seeds, else nothing.
fn seeds_note(table: &SweepTable) -> String {
    match table.runs.len() {
        0 | 1 => String::new(),
        n => format!("; mean ± sd over {n} seeds"),
    }
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
fn skipped_reason(type_table: &SweepType) -> String {
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
/// `<tr data-type="valve" data-id="id_00">`, and per model a `td.auc`, a `td.pauc` and a
/// `td.auc-ci` cell with `data-model`: mean (± sd) over seeds, and the 95 % bootstrap interval
/// of the AUC of the first seed that scored the ID ("[0.700, 0.950]", docs/DESIGN.md §1.10). An
/// ID a model could not score shows "—" with the reason as `title`.
pub fn id_table_html(table: &SweepTable) -> String {
    let mut out = String::from(r#"<table data-testid="id-table" class="id-table">"#);
    let _ = write!(
        out,
        "<caption>AUC and pAUC per machine ID{}; AUC CI: 95 % stratified bootstrap over the test clips of the first seed</caption><thead><tr>",
        seeds_note(table)
    );
    out.push_str(
        r#"<th scope="col" rowspan="2">Machine type</th><th scope="col" rowspan="2">ID</th>"#,
    );
    for model in &table.models {
        let _ = write!(
            out,
            r#"<th scope="colgroup" colspan="3">{}</th>"#,
            escape_html(model.model.label())
        );
    }
    out.push_str("</tr><tr>");
    for _ in &table.models {
        out.push_str(
            r#"<th scope="col">AUC</th><th scope="col">pAUC</th><th scope="col">AUC 95 % CI</th>"#,
        );
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
                push_id_cells(&mut out, table, model, &machine_type, &machine_id);
            }
            out.push_str("</tr>");
        }
    }
    out.push_str("</tbody></table>");
    out
}

/// The AUC, pAUC and AUC-interval cells of one model for one ID.
fn push_id_cells(
    out: &mut String,
    table: &SweepTable,
    model: &SweepModel,
    machine_type: &str,
    machine_id: &str,
) {
    let name = escape_html(model.model.label());
    let type_table = model.machine_type(machine_type);
    match type_table.and_then(|t| t.id(machine_id)) {
        Some(row) => {
            for (class, value) in [("auc", row.scores.auc), ("pauc", row.scores.pauc)] {
                let _ = write!(
                    out,
                    r#"<td class="{class}" data-model="{name}"{}>{}</td>"#,
                    sd_attr(value),
                    spread_text(value)
                );
            }
            match table.shown_interval(model.model, machine_type, machine_id) {
                Some((seed, ci)) => {
                    let _ = write!(
                        out,
                        r#"<td class="auc-ci" data-model="{name}" title="seed {seed}, {} resamples">{}</td>"#,
                        ci.config.resamples,
                        interval_text(ci.auc)
                    );
                }
                None => push_missing(out, "auc-ci", "no interval"),
            }
        }
        None => {
            let skipped =
                type_table.and_then(|t| t.skipped.iter().find(|s| s.machine_id == machine_id));
            let reason = skipped.map_or("not evaluated".to_string(), |s| s.reason.clone());
            for class in ["auc", "pauc", "auc-ci"] {
                let _ = write!(
                    out,
                    r#"<td class="{class}" data-model="{name}" title="{}">{MISSING}</td>"#,
                    escape_html(&reason)
                );
            }
        }
    }
}

/// "[0.700, 0.950]".
pub(super) fn interval_text(interval: crate::metrics::Interval) -> String {
    format!(
        "[{}, {}]",
        format_fixed(interval.lo, DECIMALS),
        format_fixed(interval.hi, DECIMALS)
    )
}

/// Every machine type of any model, sorted.
fn machine_types(table: &SweepTable) -> Vec<String> {
    table.machine_types()
}

/// Every machine ID of `machine_type` in any model (scored or skipped), sorted.
pub(super) fn machine_ids(table: &SweepTable, machine_type: &str) -> Vec<String> {
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
fn find_type<'a>(model: &'a SweepModel, machine_type: &str) -> Option<&'a SweepType> {
    model.machine_type(machine_type)
}
