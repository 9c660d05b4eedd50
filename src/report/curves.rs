//! Line plots of training curves (losses per network over steps), optionally with a log y axis.

use std::fmt::Write as _;

use super::series_colour;
use super::svg::{
    BELOW_AXIS, Frame, LEGEND_LINE, LegendEntry, Tick, document, escape_html, format_score, legend,
    linear_ticks, nice_domain, px,
};

/// Left edge of the plot area.
const LEFT: f64 = 64.0;
/// Top edge of the plot area.
const TOP: f64 = 16.0;
/// Width of the plot area.
const PLOT_WIDTH: f64 = 472.0;
/// Height of the plot area.
const PLOT_HEIGHT: f64 = 240.0;
/// At most this many labelled decades on a log axis.
const MAX_DECADE_TICKS: usize = 6;

/// One named curve, e.g. the generator loss "G" as (step, loss) points.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveSeries {
    /// Name shown in the legend and in `data-series`.
    pub label: String,
    /// (x, y) points in drawing order.
    pub points: Vec<(f64, f64)>,
}

/// An SVG with every series as a `<path class="curve" data-series="…">` (colour by index).
///
/// Points with a non-finite coordinate are skipped, and so are points with y ≤ 0 when `log_y`
/// (their logarithm does not exist); the line joins the remaining points. A series with a single
/// drawable point is shown as a dot (`circle class="curve-point"`). Axes end on nice values; the
/// log axis is labelled at powers of ten. Without any drawable point the axes show [0, 1].
pub fn curves_svg(series: &[CurveSeries], x_label: &str, y_label: &str, log_y: bool) -> String {
    let drawable: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| drawable_points(&s.points, log_y))
        .collect();
    let all = drawable.iter().flatten();
    let (x_min, x_max, y_min, y_max) = all.fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
    );
    let x_domain = nice_domain(x_min, x_max, 5);
    let (y_domain, y_ticks) = if log_y {
        log_axis(y_min, y_max)
    } else {
        let domain = nice_domain(y_min, y_max, 5);
        (domain, linear_ticks(domain.0, domain.1, 5))
    };
    let frame = Frame {
        left: LEFT,
        top: TOP,
        width: PLOT_WIDTH,
        height: PLOT_HEIGHT,
        x_domain,
        y_domain,
    };
    let mut body = String::new();
    let x_ticks = linear_ticks(x_domain.0, x_domain.1, 5);
    frame.axes(&mut body, (&x_ticks, x_label), (&y_ticks, y_label));
    for (index, (s, points)) in series.iter().zip(&drawable).enumerate() {
        curve(&mut body, &frame, &s.label, points, series_colour(index));
    }
    let entries: Vec<LegendEntry> = series
        .iter()
        .enumerate()
        .map(|(index, s)| LegendEntry {
            colour: series_colour(index),
            opacity: 1.0,
            text: s.label.clone(),
        })
        .collect();
    let legend_top = frame.bottom() + BELOW_AXIS;
    legend(&mut body, LEFT, legend_top, &entries);
    let height = legend_top + entries.len() as f64 * LEGEND_LINE + 8.0;
    let title = format!("{y_label} over {x_label}");
    document(
        "curves-plot",
        LEFT + PLOT_WIDTH + 24.0,
        height,
        &title,
        &body,
    )
}

/// The points that can be drawn, with y as log10(y) on a log axis.
fn drawable_points(points: &[(f64, f64)], log_y: bool) -> Vec<(f64, f64)> {
    points
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite() && (!log_y || *y > 0.0))
        .map(|&(x, y)| if log_y { (x, y.log10()) } else { (x, y) })
        .collect()
}

/// Domain in log10 units spanning whole decades around [lo, hi] (log10 values), and ticks at
/// powers of ten (every k-th decade when there are many).
fn log_axis(lo: f64, hi: f64) -> ((f64, f64), Vec<Tick>) {
    let (mut first, mut last) = if lo.is_finite() && hi.is_finite() {
        (lo.floor(), hi.ceil())
    } else {
        (0.0, 1.0)
    };
    if first == last {
        first -= 1.0;
        last += 1.0;
    }
    let decades = (last - first) as usize;
    let every = decades.div_ceil(MAX_DECADE_TICKS).max(1);
    let ticks = (0..=decades)
        .step_by(every)
        .map(|k| {
            let exponent = first + k as f64;
            Tick {
                value: exponent,
                label: format_score(10f64.powf(exponent)),
            }
        })
        .collect();
    ((first, last), ticks)
}

/// One series: a path through its points, or a dot for a single point.
fn curve(out: &mut String, frame: &Frame, label: &str, points: &[(f64, f64)], colour: &str) {
    let name = escape_html(label);
    match points {
        [] => {}
        [(x, y)] => {
            let _ = write!(
                out,
                r#"<circle class="curve-point" data-series="{name}" cx="{}" cy="{}" r="3" fill="{colour}"><title>{name}</title></circle>"#,
                px(frame.x(*x)),
                px(frame.y(*y))
            );
        }
        _ => {
            let path: Vec<String> = points.iter().map(|&(x, y)| frame.point(x, y)).collect();
            let _ = write!(
                out,
                r#"<path class="curve" data-series="{name}" d="M{}" fill="none" stroke="{colour}" stroke-width="1.5"><title>{name}</title></path>"#,
                path.join(" L")
            );
        }
    }
}
