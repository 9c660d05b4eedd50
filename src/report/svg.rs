//! Shared SVG building blocks: escaping, number formatting, tick choice, the plot frame with its
//! axes, the legend and the document wrapper.

use std::fmt::Write as _;

/// Font size of tick labels and legend entries (SVG user units).
pub(super) const FONT_SMALL: f64 = 12.0;
/// Font size of axis labels.
const FONT_LABEL: f64 = 13.0;
/// Length of a tick mark.
pub(super) const TICK_LENGTH: f64 = 5.0;
/// Height of one legend line.
pub(super) const LEGEND_LINE: f64 = 18.0;
/// Colour of axes, ticks and text.
pub(super) const INK: &str = "#222222";
/// Colour of grid lines.
const GRID: &str = "#dddddd";

/// Escapes `text` for HTML/SVG text and attribute values: `&`, `<`, `>`, `"` and `'` become
/// entities, so user-supplied names can never open a tag or leave an attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `value` with exactly `decimals` decimals ("0.873"); never "-0.000". Non-finite values give
/// "NaN", "inf" or "-inf".
pub fn format_fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// A tick label: as many decimals as the tick `step` needs, trailing zeros dropped
/// (0, 0.2, …, 1 for step 0.2; 250, 500 for step 250).
pub fn format_tick(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step.is_finite() {
        (-step.log10() - 1e-9).ceil().clamp(0.0, 12.0) as usize
    } else {
        3
    };
    trim_zeros(format_fixed(value, decimals))
}

/// A compact number with 4 significant digits: "0.01235", "12.35", "1234"; exponent form
/// ("1.235e5", "1e-5") outside [0.001, 10000).
pub fn format_score(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = value.abs().log10().floor();
    if !(-3.0..4.0).contains(&magnitude) {
        let text = format!("{value:.3e}");
        return match text.split_once('e') {
            Some((mantissa, exponent)) => {
                format!("{}e{exponent}", trim_zeros(mantissa.to_string()))
            }
            None => text,
        };
    }
    let decimals = (3.0 - magnitude).max(0.0) as usize;
    trim_zeros(format_fixed(value, decimals))
}

/// Drops trailing zeros after a decimal point, and the point itself if nothing follows.
fn trim_zeros(text: String) -> String {
    if !text.contains('.') {
        return text;
    }
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    }
}

/// About `target` evenly spaced "nice" ticks (steps of 1, 2 or 5 × 10ᵏ) inside `[lo, hi]`, and
/// the step. Returns no ticks for an empty or non-finite range.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return (Vec::new(), 0.0);
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    let ticks = (first..=last).map(|k| k as f64 * step).collect();
    (ticks, step)
}

/// The smallest 1, 2, 5 × 10ᵏ at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let magnitude = 10f64.powf(raw.log10().floor());
    let normalised = raw / magnitude;
    let factor = if normalised <= 1.0 {
        1.0
    } else if normalised <= 2.0 {
        2.0
    } else if normalised <= 5.0 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

/// `[lo, hi]` widened to whole multiples of a nice step, so the axis ends on ticks.
pub(super) fn nice_domain(lo: f64, hi: f64, target: usize) -> (f64, f64) {
    let (lo, hi) = non_degenerate(lo, hi);
    let step = nice_step((hi - lo) / target.max(1) as f64);
    ((lo / step).floor() * step, (hi / step).ceil() * step)
}

/// A usable range from the data's min and max: (0, 1) without data, ± 5 % (± 0.5 at zero)
/// around a single value.
pub(super) fn non_degenerate(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        let half = if lo == 0.0 { 0.5 } else { lo.abs() * 0.05 };
        (lo - half, hi + half)
    } else {
        (lo, hi)
    }
}

/// A pixel coordinate with at most two decimals.
pub(super) fn px(value: f64) -> String {
    trim_zeros(format_fixed(value, 2))
}

/// A labelled tick: position in data units and its text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Tick {
    /// Position in data units (log10 units on a log axis).
    pub value: f64,
    /// Label text (not yet escaped).
    pub label: String,
}

/// Ticks at nice values of `[lo, hi]`, labelled with [`format_tick`].
pub(super) fn linear_ticks(lo: f64, hi: f64, target: usize) -> Vec<Tick> {
    let (values, step) = nice_ticks(lo, hi, target);
    let tick = |value: f64| Tick {
        value,
        label: format_tick(value, step),
    };
    values.into_iter().map(tick).collect()
}

/// The plot area in SVG units and the data window it shows (linear in both directions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Frame {
    /// Left edge of the plot area.
    pub left: f64,
    /// Top edge of the plot area.
    pub top: f64,
    /// Width of the plot area.
    pub width: f64,
    /// Height of the plot area.
    pub height: f64,
    /// Data x at the left and right edges.
    pub x_domain: (f64, f64),
    /// Data y at the bottom and top edges.
    pub y_domain: (f64, f64),
}

impl Frame {
    /// SVG x of data `x`.
    pub fn x(&self, x: f64) -> f64 {
        let (x0, x1) = self.x_domain;
        self.left + (x - x0) / (x1 - x0) * self.width
    }

    /// SVG y of data `y` (larger y is higher up).
    pub fn y(&self, y: f64) -> f64 {
        let (y0, y1) = self.y_domain;
        self.top + self.height - (y - y0) / (y1 - y0) * self.height
    }

    /// The bottom edge of the plot area.
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    /// "x,y" of a data point, for path data.
    pub fn point(&self, x: f64, y: f64) -> String {
        format!("{},{}", px(self.x(x)), px(self.y(y)))
    }

    /// Draws the frame (`rect class="plot-frame"` with the plot area's geometry), grid lines,
    /// tick marks, tick labels and the two axis labels.
    pub fn axes(&self, out: &mut String, x: (&[Tick], &str), y: (&[Tick], &str)) {
        let (x_ticks, x_label) = x;
        let (y_ticks, y_label) = y;
        let bottom = self.bottom();
        let _ = write!(
            out,
            r#"<g class="axes" fill="{INK}" font-size="{FONT_SMALL}">"#
        );
        for tick in x_ticks {
            let sx = px(self.x(tick.value));
            let _ = write!(
                out,
                r#"<line class="grid" x1="{sx}" y1="{}" x2="{sx}" y2="{}" stroke="{GRID}"/><line class="tick" x1="{sx}" y1="{}" x2="{sx}" y2="{}" stroke="{INK}"/><text x="{sx}" y="{}" text-anchor="middle">{}</text>"#,
                px(self.top),
                px(bottom),
                px(bottom),
                px(bottom + TICK_LENGTH),
                px(bottom + TICK_LENGTH + FONT_SMALL + 2.0),
                escape_html(&tick.label)
            );
        }
        for tick in y_ticks {
            let sy = px(self.y(tick.value));
            let _ = write!(
                out,
                r#"<line class="grid" x1="{}" y1="{sy}" x2="{}" y2="{sy}" stroke="{GRID}"/><line class="tick" x1="{}" y1="{sy}" x2="{}" y2="{sy}" stroke="{INK}"/><text x="{}" y="{sy}" text-anchor="end" dy="0.35em">{}</text>"#,
                px(self.left),
                px(self.left + self.width),
                px(self.left - TICK_LENGTH),
                px(self.left),
                px(self.left - TICK_LENGTH - 4.0),
                escape_html(&tick.label)
            );
        }
        let _ = write!(
            out,
            r#"<rect class="plot-frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK}"/>"#,
            px(self.left),
            px(self.top),
            px(self.width),
            px(self.height)
        );
        let _ = write!(
            out,
            r#"<text class="x-label" x="{}" y="{}" text-anchor="middle" font-size="{FONT_LABEL}">{}</text>"#,
            px(self.left + self.width / 2.0),
            px(bottom + TICK_LENGTH + 2.0 * FONT_SMALL + 12.0),
            escape_html(x_label)
        );
        let (cx, cy) = (self.left - 48.0, self.top + self.height / 2.0);
        let _ = write!(
            out,
            r#"<text class="y-label" x="{}" y="{}" text-anchor="middle" font-size="{FONT_LABEL}" transform="rotate(-90 {} {})">{}</text></g>"#,
            px(cx),
            px(cy),
            px(cx),
            px(cy),
            escape_html(y_label)
        );
    }
}

/// The vertical space below the plot area taken by tick labels and the x label.
pub(super) const BELOW_AXIS: f64 = TICK_LENGTH + 2.0 * FONT_SMALL + 24.0;

/// A legend entry: swatch colour, swatch opacity and text (not yet escaped).
pub(super) struct LegendEntry<'a> {
    /// Swatch fill colour.
    pub colour: &'a str,
    /// Swatch opacity (1 for lines, lower for translucent areas).
    pub opacity: f64,
    /// The entry's text.
    pub text: String,
}

/// A vertical legend with its first line's top at (`x`, `y`): one swatch and text per entry.
pub(super) fn legend(out: &mut String, x: f64, y: f64, entries: &[LegendEntry]) {
    let _ = write!(
        out,
        r#"<g class="legend" font-size="{FONT_SMALL}" fill="{INK}">"#
    );
    for (i, entry) in entries.iter().enumerate() {
        let line_top = y + i as f64 * LEGEND_LINE;
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="14" height="10" fill="{}" opacity="{}"/><text class="legend-entry" x="{}" y="{}">{}</text>"#,
            px(x),
            px(line_top + 3.0),
            entry.colour,
            px(entry.opacity),
            px(x + 20.0),
            px(line_top + 12.0),
            escape_html(&entry.text)
        );
    }
    out.push_str("</g>");
}

/// Wraps `body` in an `<svg>` element with a `viewBox` of `width` × `height`, `role="img"` and a
/// `<title>` (escaped here).
pub(super) fn document(class: &str, width: f64, height: f64, title: &str, body: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {} {}" role="img" font-family="sans-serif"><title>{}</title>{body}</svg>"#,
        px(width),
        px(height),
        escape_html(title)
    )
}
