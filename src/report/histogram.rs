//! Overlaid score histograms of normal and anomalous clips on shared bins, with the threshold.

use std::fmt::Write as _;

use super::svg::{
    BELOW_AXIS, Frame, INK, LEGEND_LINE, LegendEntry, Tick, document, format_score, legend,
    linear_ticks, nice_domain, nice_ticks, non_degenerate, px,
};
use super::{PALETTE, series_colour};

/// Left edge of the plot area.
const LEFT: f64 = 64.0;
/// Top edge of the plot area (room for the threshold label).
const TOP: f64 = 24.0;
/// Width of the plot area.
const PLOT_WIDTH: f64 = 472.0;
/// Height of the plot area.
const PLOT_HEIGHT: f64 = 240.0;
/// Opacity of the bars, so that the two classes show through each other.
const BAR_OPACITY: f64 = 0.5;

/// Counts of both classes on shared, equally wide bins over `[lo, hi]`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramBins {
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
    /// Normal scores per bin.
    pub normal: Vec<usize>,
    /// Anomalous scores per bin.
    pub anomalous: Vec<usize>,
}

impl HistogramBins {
    /// Number of bins.
    pub fn len(&self) -> usize {
        self.normal.len()
    }

    /// True when there are no bins (never, [`histogram_bins`] makes at least one).
    pub fn is_empty(&self) -> bool {
        self.normal.is_empty()
    }

    /// The `len() + 1` bin edges from `lo` to `hi`.
    pub fn edges(&self) -> Vec<f64> {
        let width = (self.hi - self.lo) / self.len() as f64;
        (0..=self.len())
            .map(|i| self.lo + i as f64 * width)
            .collect()
    }
}

/// Bins both score sets on `bins` (at least 1) equal bins over their joint range of finite values.
///
/// Bin `i` holds lo + i·w ≤ v < lo + (i+1)·w, the last bin also its right edge (as numpy).
/// NaN and ±inf are left out. All-equal values get the range value ± 5 % (± 0.5 for 0), so they
/// fall in the middle bin; without any finite value the range is [0, 1] with zero counts.
pub fn histogram_bins(normal: &[f64], anomalous: &[f64], bins: usize) -> HistogramBins {
    let bins = bins.max(1);
    let finite = normal.iter().chain(anomalous).filter(|v| v.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = non_degenerate(min, max);
    let count = |values: &[f64]| {
        let mut counts = vec![0usize; bins];
        for &v in values.iter().filter(|v| v.is_finite()) {
            let position = ((v - lo) / (hi - lo) * bins as f64).floor();
            counts[(position.max(0.0) as usize).min(bins - 1)] += 1;
        }
        counts
    };
    HistogramBins {
        lo,
        hi,
        normal: count(normal),
        anomalous: count(anomalous),
    }
}

/// An SVG with the histograms of `normal` and `anomalous` scores overlaid, semi-transparent, on
/// [`histogram_bins`]; x label "Anomaly score", y label "Clips".
///
/// Bars are `rect class="hist-bar normal"` / `"hist-bar anomalous"` (empty bins drawn nowhere).
/// A finite `threshold` is a vertical `line class="threshold"` labelled with its value; the x
/// axis widens to include it. The legend gives each class's count of finite scores.
pub fn histogram_svg(
    normal: &[f64],
    anomalous: &[f64],
    threshold: Option<f64>,
    bins: usize,
) -> String {
    let binned = histogram_bins(normal, anomalous, bins);
    let threshold = threshold.filter(|t| t.is_finite());
    let (x0, x1) = match threshold {
        Some(t) => (binned.lo.min(t), binned.hi.max(t)),
        None => (binned.lo, binned.hi),
    };
    let max_count = binned.normal.iter().chain(&binned.anomalous).max();
    let max_count = max_count.copied().unwrap_or(0).max(1) as f64;
    let y_top = nice_domain(0.0, max_count, 4).1;
    let frame = Frame {
        left: LEFT,
        top: TOP,
        width: PLOT_WIDTH,
        height: PLOT_HEIGHT,
        x_domain: (x0, x1),
        y_domain: (0.0, y_top),
    };
    let mut body = String::new();
    let (y_values, _) = nice_ticks(0.0, y_top, 4);
    let y_ticks: Vec<Tick> = y_values
        .into_iter()
        .filter(|v| v.fract() == 0.0)
        .map(|v| Tick {
            value: v,
            label: format!("{v}"),
        })
        .collect();
    let x_ticks = linear_ticks(x0, x1, 5);
    frame.axes(&mut body, (&x_ticks, "Anomaly score"), (&y_ticks, "Clips"));
    let edges = binned.edges();
    bars(
        &mut body,
        &frame,
        &edges,
        &binned.normal,
        "normal",
        PALETTE[0],
    );
    bars(
        &mut body,
        &frame,
        &edges,
        &binned.anomalous,
        "anomalous",
        PALETTE[1],
    );
    if let Some(t) = threshold {
        threshold_line(&mut body, &frame, t);
    }
    let total = |counts: &[usize]| counts.iter().sum::<usize>();
    let entries = [
        LegendEntry {
            colour: series_colour(0),
            opacity: BAR_OPACITY,
            text: format!("Normal (n = {})", total(&binned.normal)),
        },
        LegendEntry {
            colour: series_colour(1),
            opacity: BAR_OPACITY,
            text: format!("Anomalous (n = {})", total(&binned.anomalous)),
        },
    ];
    let legend_top = frame.bottom() + BELOW_AXIS;
    legend(&mut body, LEFT, legend_top, &entries);
    let height = legend_top + entries.len() as f64 * LEGEND_LINE + 8.0;
    document(
        "histogram-plot",
        LEFT + PLOT_WIDTH + 24.0,
        height,
        "Anomaly score histogram: normal and anomalous clips",
        &body,
    )
}

/// One class's bars: a rect per non-empty bin.
fn bars(out: &mut String, frame: &Frame, edges: &[f64], counts: &[usize], class: &str, fill: &str) {
    let _ = write!(
        out,
        r#"<g class="hist {class}" fill="{fill}" opacity="{BAR_OPACITY}">"#
    );
    for (i, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        let (x_left, x_right) = (frame.x(edges[i]), frame.x(edges[i + 1]));
        let y = frame.y(count as f64);
        let _ = write!(
            out,
            r#"<rect class="hist-bar {class}" data-count="{count}" x="{}" y="{}" width="{}" height="{}"/>"#,
            px(x_left),
            px(y),
            px(x_right - x_left),
            px(frame.bottom() - y)
        );
    }
    out.push_str("</g>");
}

/// The vertical threshold line with its value above the plot area.
fn threshold_line(out: &mut String, frame: &Frame, threshold: f64) {
    let x = px(frame.x(threshold));
    let _ = write!(
        out,
        r#"<line class="threshold" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}" stroke-width="2" stroke-dasharray="6 3"/><text class="threshold-label" x="{x}" y="{}" text-anchor="middle" font-size="12" fill="{INK}">threshold {}</text>"#,
        px(frame.top),
        px(frame.bottom()),
        px(frame.top - 6.0),
        format_score(threshold)
    );
}
