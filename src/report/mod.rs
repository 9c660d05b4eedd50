//! Plots and tables for the web page and the CLI, rendered as plain strings and pixel buffers.
//!
//! Everything the page shows is computed here, natively testable: scales, ticks, colours,
//! escaping and layout. Input is plain data (ROC curves, scores, losses, samples, log-Mel
//! matrices, [`EvalTable`](crate::eval::table::EvalTable)); output is an SVG / HTML `String` or an
//! RGBA `Vec<u8>`. The page's JavaScript only inserts the strings into the DOM or copies the bytes
//! into an `ImageData`.
//!
//! The output suits a strict Content Security Policy: no scripts, no `<style>` elements, no
//! inline `style="…"` attributes, no external fonts or references. The one exception is the
//! standalone report file [`results_page_html`] (`results.html` of `sonogan eval --out-dir`):
//! it is opened from disk, never inserted into the app page, and carries its style sheet in one
//! `<style>` element in its `<head>` (still no scripts, inline styles or external references). Styling uses `class`
//! attributes and SVG presentation attributes (`fill`, `stroke`, `opacity`, `font-size`). Every
//! SVG has a `viewBox` (so it scales), `role="img"` and a `<title>`. All user-supplied text (file,
//! model and machine names) goes through [`escape_html`].
//!
//! Colours of overlaid series come from [`PALETTE`], the colour-blind-safe Okabe–Ito set, chosen
//! by series index ([`series_colour`]).

mod bars;
mod curves;
mod histogram;
mod page;
mod roc;
mod spectrogram;
mod svg;
mod table;
mod waveform;

pub use bars::{Bar, BarChart, BarGroup, MEAN_GROUP, Metric, bars_svg, figure4_chart, figure4_svg};
pub use curves::{CurveSeries, curves_svg};
pub use histogram::{HistogramBins, histogram_bins, histogram_svg};
pub use page::{ReportInput, RunInfo, results_page_html};
pub use roc::{OperatingPoint, RocSeries, roc_series_by_model, roc_svg, roc_type_svg};
pub use spectrogram::{
    COLORMAP_STOPS, SCORE_ALARM_RGB, colormap_rgb, score_strip_rgba, spectrogram_rgba,
};
pub use svg::{escape_html, format_fixed, format_score, format_tick, nice_ticks};
pub use table::{id_table_html, results_table_html};
pub use waveform::{waveform_envelope, waveform_svg};

/// Colour-blind-safe series colours (Okabe & Ito), in the order they are handed out. Yellow, the
/// weakest on white, comes last.
pub const PALETTE: [&str; 8] = [
    "#0072B2", // blue
    "#D55E00", // vermillion
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#E69F00", // orange
    "#56B4E9", // sky blue
    "#000000", // black
    "#F0E442", // yellow
];

/// The colour of the series at `index` (the palette repeats after eight series).
pub fn series_colour(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

/// Errors of the renderers (only raised for inconsistent input; rendering itself cannot fail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The spectrogram buffer does not hold `n_mels · frames` values.
    #[error(
        "spectrogram has {len} values but {n_mels} mel bands × {frames} frames need {expected}"
    )]
    SpectrogramShape {
        /// Number of values given.
        len: usize,
        /// Mel bands asked for.
        n_mels: usize,
        /// Frames asked for.
        frames: usize,
        /// `n_mels · frames` (saturating).
        expected: usize,
    },
}
