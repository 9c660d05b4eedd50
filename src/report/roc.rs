//! ROC curves of several models overlaid in one SVG (docs/DESIGN.md §1.8), with the pAUC region shaded.

use std::fmt::Write as _;

use super::series_colour;
use super::svg::{
    BELOW_AXIS, Frame, INK, LEGEND_LINE, LegendEntry, document, escape_html, format_fixed, legend,
    linear_ticks, px,
};
use crate::eval::table::{ClipScore, PooledScores};
use crate::metrics::Roc;
use crate::models::ModelKind;

/// Left edge of the plot area (room for tick labels and the y label).
const LEFT: f64 = 64.0;
/// Top edge of the plot area.
const TOP: f64 = 16.0;
/// Side of the square plot area.
const SIDE: f64 = 392.0;
/// Total width of the SVG.
const WIDTH: f64 = LEFT + SIDE + 24.0;
/// Fill of the shaded pAUC region FPR ≤ max_fpr.
const PAUC_FILL: &str = "#999999";

/// One model's ROC curve with its summary numbers, for [`roc_svg`].
#[derive(Debug, Clone, PartialEq)]
pub struct RocSeries {
    /// Series name shown in the legend and in `data-model`, e.g. "AE".
    pub label: String,
    /// The curve (from [`crate::metrics::roc_curve`]).
    pub roc: Roc,
    /// Area under the curve.
    pub auc: f64,
    /// McClish-standardised partial AUC.
    pub pauc: f64,
}

/// A point on the ROC plane to highlight, e.g. the threshold slider's operating point.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingPoint {
    /// Text next to the marker, e.g. "threshold 0.42".
    pub label: String,
    /// False positive rate of the point.
    pub fpr: f64,
    /// True positive rate of the point.
    pub tpr: f64,
}

/// An SVG with the ROC curves of `series` overlaid (colour by index, [`super::PALETTE`]).
///
/// Axes run 0–1 ("False positive rate", "True positive rate") with ticks every 0.2; the region
/// FPR ≤ `max_fpr` (clamped to [0, 1]) is shaded as `rect class="pauc-region"`; the chance
/// diagonal is dashed. Each curve is a `<path class="roc-curve" data-model="…">` through every
/// ROC point, in order. The legend below the plot reads "AE — AUC 0.873 · pAUC 0.712". The
/// optional `marker` is a `circle class="operating-point"` with its label.
pub fn roc_svg(series: &[RocSeries], max_fpr: f64, marker: Option<OperatingPoint>) -> String {
    let names: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    let title = format!("ROC curves: {}", names.join(", "));
    roc_document(series, max_fpr, marker, &title)
}

/// [`roc_svg`] of one machine type's curves, the type named in the `<title>` ("ROC curves on
/// valve: AE, GANomaly"), as `sonogan eval --out-dir` writes and the HTML report embeds them.
pub fn roc_type_svg(
    series: &[RocSeries],
    machine_type: &str,
    max_fpr: f64,
    marker: Option<OperatingPoint>,
) -> String {
    let names: Vec<&str> = series.iter().map(|s| s.label.as_str()).collect();
    let title = format!("ROC curves on {machine_type}: {}", names.join(", "));
    roc_document(series, max_fpr, marker, &title)
}

/// The ROC plot with the given `<title>` (escaped in [`document`]).
fn roc_document(
    series: &[RocSeries],
    max_fpr: f64,
    marker: Option<OperatingPoint>,
    title: &str,
) -> String {
    let frame = Frame {
        left: LEFT,
        top: TOP,
        width: SIDE,
        height: SIDE,
        x_domain: (0.0, 1.0),
        y_domain: (0.0, 1.0),
    };
    let mut body = String::new();
    shade_pauc_region(&mut body, &frame, max_fpr);
    let ticks = linear_ticks(0.0, 1.0, 5);
    frame.axes(
        &mut body,
        (&ticks, "False positive rate"),
        (&ticks, "True positive rate"),
    );
    let _ = write!(
        body,
        r#"<line class="chance" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-dasharray="5 4" opacity="0.6"/>"#,
        px(frame.x(0.0)),
        px(frame.y(0.0)),
        px(frame.x(1.0)),
        px(frame.y(1.0))
    );
    for (index, s) in series.iter().enumerate() {
        curve_path(&mut body, &frame, s, series_colour(index));
    }
    if let Some(point) = &marker {
        operating_point(&mut body, &frame, point);
    }
    let entries: Vec<LegendEntry> = series
        .iter()
        .enumerate()
        .map(|(index, s)| LegendEntry {
            colour: series_colour(index),
            opacity: 1.0,
            text: format!(
                "{} — AUC {} · pAUC {}",
                s.label,
                format_fixed(s.auc, 3),
                format_fixed(s.pauc, 3)
            ),
        })
        .collect();
    let legend_top = frame.bottom() + BELOW_AXIS;
    legend(&mut body, LEFT, legend_top, &entries);
    let height = legend_top + entries.len() as f64 * LEGEND_LINE + 8.0;
    document("roc-plot", WIDTH, height, title, &body)
}

/// The shaded rectangle over FPR ∈ [0, max_fpr] (nothing for a NaN or non-positive max_fpr).
fn shade_pauc_region(out: &mut String, frame: &Frame, max_fpr: f64) {
    if max_fpr.is_nan() || max_fpr <= 0.0 {
        return;
    }
    let max_fpr = max_fpr.min(1.0);
    let _ = write!(
        out,
        r#"<rect class="pauc-region" x="{}" y="{}" width="{}" height="{}" fill="{PAUC_FILL}" opacity="0.2"><title>pAUC region: FPR ≤ {}</title></rect>"#,
        px(frame.left),
        px(frame.top),
        px(max_fpr * frame.width),
        px(frame.height),
        super::svg::format_score(max_fpr)
    );
}

/// One curve as a stepwise-linear path through its ROC points.
fn curve_path(out: &mut String, frame: &Frame, series: &RocSeries, colour: &str) {
    let points: Vec<String> = series
        .roc
        .fpr
        .iter()
        .zip(&series.roc.tpr)
        .filter(|(f, t)| f.is_finite() && t.is_finite())
        .map(|(&f, &t)| frame.point(f, t))
        .collect();
    if points.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<path class="roc-curve" data-model="{}" d="M{}" fill="none" stroke="{colour}" stroke-width="2"><title>{}</title></path>"#,
        escape_html(&series.label),
        points.join(" L"),
        escape_html(&series.label)
    );
}

/// The marker circle at an operating point and its label.
fn operating_point(out: &mut String, frame: &Frame, point: &OperatingPoint) {
    if !(point.fpr.is_finite() && point.tpr.is_finite()) {
        return;
    }
    let (fpr, tpr) = (point.fpr.clamp(0.0, 1.0), point.tpr.clamp(0.0, 1.0));
    let (cx, cy) = (frame.x(fpr), frame.y(tpr));
    let description = format!(
        "{}: FPR {}, TPR {}",
        point.label,
        format_fixed(fpr, 3),
        format_fixed(tpr, 3)
    );
    let _ = write!(
        out,
        r#"<circle class="operating-point" cx="{}" cy="{}" r="5" fill="none" stroke="{INK}" stroke-width="2"><title>{}</title></circle><text class="operating-point-label" x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
        px(cx),
        px(cy),
        escape_html(&description),
        px((cx + 8.0).min(frame.left + frame.width - 60.0)),
        px((cy + 16.0).min(frame.bottom() - 4.0)),
        escape_html(&point.label)
    );
}

/// Per model (in first-appearance order), the ROC of all labelled test clips of `machine_type`
/// pooled over IDs, with the pooled AUC and pAUC at `max_fpr`.
///
/// Models whose pooled clips lack a class (or `max_fpr` outside (0, 1]) are left out: their ROC
/// is undefined. Unlabelled clips are ignored.
pub fn roc_series_by_model(
    scores: &[ClipScore],
    machine_type: &str,
    max_fpr: f64,
) -> Vec<RocSeries> {
    let mut models: Vec<ModelKind> = Vec::new();
    for clip in scores.iter().filter(|c| c.machine_type == machine_type) {
        if !models.contains(&clip.model) {
            models.push(clip.model);
        }
    }
    models
        .into_iter()
        .filter_map(|model| {
            let (roc, summary) = PooledScores::of(scores, model, machine_type)
                .roc(max_fpr)
                .ok()?;
            Some(RocSeries {
                label: model.label().to_string(),
                roc,
                auc: summary.auc,
                pauc: summary.pauc,
            })
        })
        .collect()
}
