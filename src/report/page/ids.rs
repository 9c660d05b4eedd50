//! Per-ID tables of the report: one per machine type, rows = machine IDs, per model the AUC and
//! pAUC (mean ± sd over seeds) and their 95 % bootstrap intervals of the first seed that scored
//! the ID (docs/DESIGN.md §1.10).

use std::fmt::Write as _;

use crate::eval::table::SweepTable;
use crate::report::svg::escape_html;
use crate::report::table::{interval_text, machine_ids, spread_text};

/// One `<table class="id-table" data-type="…">` per machine type. Cells of model "AE" carry
/// `data-model="AE"` and the classes `auc`, `auc-ci`, `pauc`, `pauc-ci`; an ID the model did not
/// score shows "—" with the reason as `title`.
pub(super) fn id_tables_html(sweep: &SweepTable) -> String {
    let seed = sweep
        .runs
        .first()
        .map_or(String::new(), |r| format!(" (seed {})", r.seed));
    let mut out = String::new();
    for machine_type in sweep.machine_types() {
        let escaped = escape_html(&machine_type);
        let _ = write!(
            out,
            "<table class=\"id-table\" data-type=\"{escaped}\"><caption>{escaped}: AUC and pAUC per machine ID; CI = 95 % stratified bootstrap interval over the test clips{seed}</caption><thead><tr><th scope=\"col\" rowspan=\"2\">ID</th>"
        );
        for model in &sweep.models {
            let _ = write!(
                out,
                r#"<th scope="colgroup" colspan="4">{}</th>"#,
                escape_html(model.model.label())
            );
        }
        out.push_str("</tr><tr>");
        for _ in &sweep.models {
            out.push_str(r#"<th scope="col">AUC</th><th scope="col">CI</th><th scope="col">pAUC</th><th scope="col">CI</th>"#);
        }
        out.push_str("</tr></thead><tbody>");
        for machine_id in machine_ids(sweep, &machine_type) {
            let id = escape_html(&machine_id);
            let _ = write!(out, r#"<tr data-id="{id}"><th scope="row">{id}</th>"#);
            for model in &sweep.models {
                push_cells(&mut out, sweep, model.model, &machine_type, &machine_id);
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>\n");
    }
    out
}

/// The four cells of one model for one ID.
fn push_cells(
    out: &mut String,
    sweep: &SweepTable,
    kind: crate::models::ModelKind,
    machine_type: &str,
    machine_id: &str,
) {
    let name = escape_html(kind.label());
    let type_table = sweep.model(kind).and_then(|m| m.machine_type(machine_type));
    let row = type_table.and_then(|t| t.id(machine_id));
    let ci = sweep.shown_interval(kind, machine_type, machine_id);
    let (Some(row), Some((_, ci))) = (row, ci) else {
        let reason = type_table
            .and_then(|t| t.skipped.iter().find(|s| s.machine_id == machine_id))
            .map_or("not evaluated".to_string(), |s| s.reason.clone());
        for class in ["auc", "auc-ci", "pauc", "pauc-ci"] {
            let _ = write!(
                out,
                r#"<td class="{class}" data-model="{name}" title="{}">—</td>"#,
                escape_html(&reason)
            );
        }
        return;
    };
    let cells = [
        ("auc", spread_text(row.scores.auc)),
        ("auc-ci", interval_text(ci.auc)),
        ("pauc", spread_text(row.scores.pauc)),
        ("pauc-ci", interval_text(ci.pauc)),
    ];
    for (class, text) in cells {
        let _ = write!(
            out,
            r#"<td class="{class}" data-model="{name}">{text}</td>"#
        );
    }
}
