//! Grouped bar charts: the seed paper's Figure 4 (docs/DESIGN.md §1.10) — per machine type, and
//! a final "Mean over types" group, one bar per model whose height is the mean over seeds, with ±
//! sd whiskers.

use std::fmt::Write as _;

use super::series_colour;
use super::svg::{
    BELOW_AXIS, FONT_SMALL, Frame, INK, LEGEND_LINE, LegendEntry, TICK_LENGTH, document,
    escape_html, format_fixed, legend, linear_ticks, px,
};
use crate::eval::table::{Spread, SpreadScores, SweepTable};

/// Left edge of the plot area.
const LEFT: f64 = 64.0;
/// Top edge of the plot area.
const TOP: f64 = 16.0;
/// Height of the plot area.
const HEIGHT: f64 = 260.0;
/// Width of one bar.
const BAR_WIDTH: f64 = 14.0;
/// Space between two groups (half on each side of a group).
const GROUP_GAP: f64 = 20.0;
/// Narrowest plot area.
const MIN_WIDTH: f64 = 320.0;
/// Half the width of a whisker's cap.
const CAP: f64 = 3.0;
/// Label of the last group.
pub const MEAN_GROUP: &str = "Mean over types";

/// One bar: a mean and, over several seeds, its standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// Bar height in data units.
    pub mean: f64,
    /// Whisker half-length; `None` draws no whisker.
    pub sd: Option<f64>,
    /// Number of seeds behind the bar (for its tooltip).
    pub n: usize,
}

impl From<Spread> for Bar {
    fn from(s: Spread) -> Self {
        Bar {
            mean: s.mean,
            sd: s.sd,
            n: s.n,
        }
    }
}

/// One group of bars along the x axis.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    /// Label under the group, e.g. "fan".
    pub label: String,
    /// One entry per series, in series order; `None` leaves a gap.
    pub bars: Vec<Option<Bar>>,
}

/// A grouped bar chart with a 0–1 value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// The SVG's `<title>`.
    pub title: String,
    /// The value axis label, e.g. "AUC".
    pub value_label: String,
    /// Series names (legend, `data-model`), e.g. model labels.
    pub series: Vec<String>,
    /// The groups, left to right.
    pub groups: Vec<BarGroup>,
}

/// Which number of the sweep a chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// The AUC.
    Auc,
    /// The McClish pAUC.
    Pauc,
}

impl Metric {
    /// "AUC" or "pAUC".
    pub fn label(self) -> &'static str {
        match self {
            Metric::Auc => "AUC",
            Metric::Pauc => "pAUC",
        }
    }

    fn pick(self, scores: SpreadScores) -> Spread {
        match self {
            Metric::Auc => scores.auc,
            Metric::Pauc => scores.pauc,
        }
    }
}

/// The seed paper's Figure 4 for `metric`: groups = machine types (sorted) then
/// [`MEAN_GROUP`], one series per model in table order, bar = type mean over IDs (or model mean
/// over types), mean ± sd over seeds.
pub fn figure4_chart(sweep: &SweepTable, metric: Metric) -> BarChart {
    let types = sweep.machine_types();
    let mut groups: Vec<BarGroup> = types
        .iter()
        .map(|t| BarGroup {
            label: t.clone(),
            bars: sweep
                .models
                .iter()
                .map(|m| m.machine_type(t).and_then(|x| x.mean))
                .map(|s| s.map(|s| Bar::from(metric.pick(s))))
                .collect(),
        })
        .collect();
    groups.push(BarGroup {
        label: MEAN_GROUP.to_string(),
        bars: sweep
            .models
            .iter()
            .map(|m| m.mean.map(|s| Bar::from(metric.pick(s))))
            .collect(),
    });
    let seeds = sweep.runs.len();
    let spread = if seeds > 1 {
        format!(", mean ± sd over {seeds} seeds")
    } else {
        String::new()
    };
    BarChart {
        title: format!("{} per machine type and model{spread}", metric.label()),
        value_label: metric.label().to_string(),
        series: sweep
            .models
            .iter()
            .map(|m| m.model.label().to_string())
            .collect(),
        groups,
    }
}

/// [`bars_svg`] of [`figure4_chart`].
///
/// ```
/// # use sonogan::eval::table::{SweepTable, DCASE_MAX_FPR};
/// use sonogan::report::{Metric, figure4_svg};
/// let sweep = SweepTable::build(&[], DCASE_MAX_FPR).unwrap();
/// assert!(figure4_svg(&sweep, Metric::Auc).contains("Mean over types"));
/// ```
pub fn figure4_svg(sweep: &SweepTable, metric: Metric) -> String {
    bars_svg(&figure4_chart(sweep, metric))
}

/// The chart as SVG: value axis 0–1 with ticks every 0.2, one `<g class="bar-group"
/// data-group="…">` per group with its label below the axis, one `<rect class="bar"
/// data-model="…" data-mean="…">` per bar (colour by series index, [`super::PALETTE`]) whose top
/// is at the mean, and where there is an sd a `<path class="whisker">` from mean − sd to mean +
/// sd (clamped to the axis). The legend lists the series below the plot.
pub fn bars_svg(chart: &BarChart) -> String {
    let series = chart.series.len().max(1);
    let group_width = series as f64 * BAR_WIDTH + GROUP_GAP;
    let width = (chart.groups.len() as f64 * group_width).max(MIN_WIDTH);
    let frame = Frame {
        left: LEFT,
        top: TOP,
        width,
        height: HEIGHT,
        x_domain: (0.0, width),
        y_domain: (0.0, 1.0),
    };
    let mut body = String::new();
    let ticks = linear_ticks(0.0, 1.0, 5);
    frame.axes(
        &mut body,
        (&[], "Machine type"),
        (&ticks, &chart.value_label),
    );
    for (index, group) in chart.groups.iter().enumerate() {
        let start = index as f64 * group_width + GROUP_GAP / 2.0;
        bar_group(&mut body, &frame, chart, group, start);
    }
    let entries: Vec<LegendEntry> = chart
        .series
        .iter()
        .enumerate()
        .map(|(index, name)| LegendEntry {
            colour: series_colour(index),
            opacity: 1.0,
            text: name.clone(),
        })
        .collect();
    let legend_top = frame.bottom() + BELOW_AXIS;
    legend(&mut body, LEFT, legend_top, &entries);
    let height = legend_top + entries.len() as f64 * LEGEND_LINE + 8.0;
    document(
        "bar-chart",
        LEFT + width + 16.0,
        height,
        &chart.title,
        &body,
    )
}

/// One group: its bars from data x `start`, and its label centred below the axis.
fn bar_group(out: &mut String, frame: &Frame, chart: &BarChart, group: &BarGroup, start: f64) {
    let label = escape_html(&group.label);
    let _ = write!(out, r#"<g class="bar-group" data-group="{label}">"#);
    for (index, bar) in group.bars.iter().enumerate() {
        let Some(bar) = bar.filter(|b| b.mean.is_finite()) else {
            continue;
        };
        let name = chart.series.get(index).map_or("", String::as_str);
        let x = frame.x(start + index as f64 * BAR_WIDTH);
        one_bar(
            out,
            frame,
            bar,
            x,
            series_colour(index),
            name,
            &group.label,
            &chart.value_label,
        );
    }
    let centre = start + group.bars.len().max(1) as f64 * BAR_WIDTH / 2.0;
    let _ = write!(
        out,
        r#"<text class="group-label" x="{}" y="{}" text-anchor="middle" font-size="{FONT_SMALL}" fill="{INK}">{label}</text></g>"#,
        px(frame.x(centre)),
        px(frame.bottom() + TICK_LENGTH + FONT_SMALL + 2.0)
    );
}

/// One bar at SVG x `x` with its whisker and tooltip.
#[allow(clippy::too_many_arguments)]
fn one_bar(
    out: &mut String,
    frame: &Frame,
    bar: Bar,
    x: f64,
    colour: &str,
    series: &str,
    group: &str,
    value_label: &str,
) {
    let mean = bar.mean.clamp(0.0, 1.0);
    let top = frame.y(mean);
    let spread = match bar.sd {
        Some(sd) => format!(" ± {} over {} seeds", format_fixed(sd, 3), bar.n),
        None => String::new(),
    };
    let tip = format!(
        "{series} on {group}: {value_label} {}{spread}",
        format_fixed(bar.mean, 3)
    );
    let _ = write!(
        out,
        r#"<rect class="bar" data-model="{}" data-mean="{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}"><title>{}</title></rect>"#,
        escape_html(series),
        bar.mean,
        px(x + 1.0),
        px(top),
        px(BAR_WIDTH - 2.0),
        px(frame.bottom() - top),
        escape_html(&tip)
    );
    if let Some(sd) = bar.sd.filter(|sd| sd.is_finite()) {
        let (low, high) = (
            frame.y((bar.mean - sd).clamp(0.0, 1.0)),
            frame.y((bar.mean + sd).clamp(0.0, 1.0)),
        );
        let cx = x + BAR_WIDTH / 2.0;
        let _ = write!(
            out,
            r#"<path class="whisker" data-model="{}" d="M{},{} L{},{} M{},{} L{},{} M{},{} L{},{}" stroke="{INK}" stroke-width="1.5" fill="none"/>"#,
            escape_html(series),
            px(cx),
            px(low),
            px(cx),
            px(high),
            px(cx - CAP),
            px(low),
            px(cx + CAP),
            px(low),
            px(cx - CAP),
            px(high),
            px(cx + CAP),
            px(high)
        );
    }
}
