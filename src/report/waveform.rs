//! The waveform of a clip as a min/max envelope: one vertical bar per pixel column.

use std::fmt::Write as _;

use super::PALETTE;
use super::svg::{INK, document, px};

/// Width of the SVG (the envelope spans all of it).
const WIDTH: f64 = 800.0;
/// Height of the SVG.
const HEIGHT: f64 = 160.0;
/// Space above and below the envelope.
const MARGIN: f64 = 4.0;
/// Shortest drawn bar, so that silent columns stay visible.
const MIN_BAR: f64 = 1.0;

/// (min, max) of each of `columns` consecutive sample ranges.
///
/// Column `c` covers samples `c·n/columns .. (c+1)·n/columns` (integer division, n =
/// `samples.len()`), so every sample belongs to exactly one column. `columns` is capped at `n`
/// (no empty columns); no samples or no columns give an empty envelope. NaN samples are ignored;
/// a column of only NaN gives (0, 0). One pass over the samples.
pub fn waveform_envelope(samples: &[f32], columns: usize) -> Vec<(f32, f32)> {
    let n = samples.len();
    let columns = columns.min(n);
    (0..columns)
        .map(|c| {
            let range = &samples[c * n / columns..(c + 1) * n / columns];
            let (lo, hi) = range
                .iter()
                .filter(|v| !v.is_nan())
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            if lo <= hi { (lo, hi) } else { (0.0, 0.0) }
        })
        .collect()
}

/// An SVG of the [`waveform_envelope`] of `samples` over `columns` columns: one
/// `<path class="waveform-envelope">` with a vertical bar per column from its min to its max,
/// scaled so the largest absolute value reaches the top (or bottom) edge, and a centred
/// `line class="zero-line"` at amplitude 0.
pub fn waveform_svg(samples: &[f32], columns: usize) -> String {
    let envelope = waveform_envelope(samples, columns);
    let peak = envelope
        .iter()
        .map(|&(lo, hi)| lo.abs().max(hi.abs()))
        .filter(|v| v.is_finite())
        .fold(0.0f32, f32::max);
    let peak = if peak > 0.0 { f64::from(peak) } else { 1.0 };
    let centre = HEIGHT / 2.0;
    let half = centre - MARGIN;
    let y = |v: f32| centre - (f64::from(v) / peak).clamp(-1.0, 1.0) * half;
    let column_width = WIDTH / envelope.len().max(1) as f64;
    let mut path = String::with_capacity(envelope.len() * 24);
    for (c, &(lo, hi)) in envelope.iter().enumerate() {
        let x = (c as f64 + 0.5) * column_width;
        let (mut top, mut bottom) = (y(hi), y(lo));
        if bottom - top < MIN_BAR {
            let middle = (top + bottom) / 2.0;
            (top, bottom) = (middle - MIN_BAR / 2.0, middle + MIN_BAR / 2.0);
        }
        let _ = write!(path, "M{},{}V{}", px(x), px(top), px(bottom));
    }
    let mut body = String::new();
    if !path.is_empty() {
        let _ = write!(
            body,
            r#"<path class="waveform-envelope" d="{path}" stroke="{}" stroke-width="{}" fill="none"/>"#,
            PALETTE[0],
            px(column_width.max(0.5))
        );
    }
    let _ = write!(
        body,
        r#"<line class="zero-line" x1="0" y1="{c}" x2="{w}" y2="{c}" stroke="{INK}" stroke-width="0.5" opacity="0.7"/>"#,
        c = px(centre),
        w = px(WIDTH)
    );
    document(
        "waveform-plot",
        WIDTH,
        HEIGHT,
        "Waveform (min/max envelope)",
        &body,
    )
}
