//! The one self-contained results report of `sonogan eval --out-dir` (`results.html`,
//! docs/DESIGN.md §1.10): Table 2 in the seed paper's layout, the Figure 4 bar charts, every
//! machine type's ROC plot, per-ID tables with bootstrap intervals, and the run's configuration,
//! seeds and timings.
//!
//! Unlike the fragments the app page inserts (see the module docs of [`crate::report`]), this is
//! a standalone file that is opened from disk and never inserted into the app page, so it carries
//! its styles in one `<style>` element in its `<head>`. It still has no scripts, no inline
//! `style="…"` attributes and no external references (fonts, images, style sheets): the file
//! shows the same everywhere, offline.

mod ids;
mod run;
mod style;
mod table2;

use std::fmt::Write as _;

pub use run::RunInfo;

use super::bars::{Metric, figure4_svg};
use super::svg::escape_html;
use crate::eval::table::SweepTable;

/// What the report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// The results over every seed.
    pub sweep: &'a SweepTable,
    /// Per machine type its ROC plot SVG (e.g. [`super::roc_type_svg`]), in display order.
    pub roc_plots: &'a [(String, String)],
    /// The run's configuration and timings (`None`: the section is left out).
    pub run: Option<&'a RunInfo>,
}

/// The report as one HTML document: `<h1>`, then sections `#table2` ([`table2::table2_html`]),
/// `#figure4` (AUC and pAUC bars), `#roc` (one `<figure>` per type with its plot), `#ids`
/// (one per-ID table per type) and `#run` (configuration, seeds, timings).
///
/// ```
/// use sonogan::eval::table::{DCASE_MAX_FPR, SweepTable};
/// use sonogan::report::{ReportInput, results_page_html};
/// let sweep = SweepTable::build(&[], DCASE_MAX_FPR).unwrap();
/// let html = results_page_html(&ReportInput { sweep: &sweep, roc_plots: &[], run: None });
/// assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
/// ```
pub fn results_page_html(input: &ReportInput) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>sonogan evaluation results</title><style>{}</style></head><body><main>",
        style::STYLE
    );
    out.push_str("<h1>sonogan evaluation results</h1>\n");
    out.push_str(&section(
        "table2",
        "Table 2: AUC and pAUC",
        &table2::table2_html(input.sweep),
    ));
    let bars = format!(
        "<div class=\"charts\"><figure>{}</figure><figure>{}</figure></div>",
        figure4_svg(input.sweep, Metric::Auc),
        figure4_svg(input.sweep, Metric::Pauc)
    );
    out.push_str(&section(
        "figure4",
        "Figure 4: per machine type and model",
        &bars,
    ));
    out.push_str(&section(
        "roc",
        "ROC curves (test clips pooled over IDs)",
        &roc_figures(input),
    ));
    out.push_str(&section(
        "ids",
        "Per machine ID",
        &ids::id_tables_html(input.sweep),
    ));
    if let Some(run) = input.run {
        out.push_str(&section("run", "Run", &run::run_html(run, input.sweep)));
    }
    out.push_str("</main></body></html>\n");
    out
}

/// `<section id="…"><h2>…</h2>…</section>` (the title is escaped).
fn section(id: &str, title: &str, body: &str) -> String {
    format!(
        "<section id=\"{id}\"><h2>{}</h2>\n{body}\n</section>\n",
        escape_html(title)
    )
}

/// One `<figure>` per type with its ROC plot and a caption naming the type.
fn roc_figures(input: &ReportInput) -> String {
    let mut out = String::from("<div class=\"charts\">");
    for (machine_type, svg) in input.roc_plots {
        let seed = input
            .sweep
            .runs
            .first()
            .map_or(String::new(), |r| format!(", seed {}", r.seed));
        let _ = write!(
            out,
            "<figure data-type=\"{}\">{svg}<figcaption>{}{seed}</figcaption></figure>",
            escape_html(machine_type),
            escape_html(machine_type)
        );
    }
    out.push_str("</div>");
    out
}
