//! Pixel buffers: the log-Mel spectrogram in a perceptual colormap and the per-frame score strip.
//!
//! Both return row-major RGBA (4 bytes per pixel, alpha 255), top row first, left column first —
//! the layout of the browser's `ImageData`.

use super::ReportError;

/// Dynamic range shown by [`spectrogram_rgba`]: values from max − 80 dB to max.
const DYNAMIC_RANGE_DB: f32 = 80.0;

/// Colour stops of the spectrogram colormap (position in [0, 1], sRGB): a dark-to-light ramp
/// through purple, red and orange in the spirit of matplotlib's "magma" (these stops are our own),
/// with steadily rising lightness so that louder is always brighter.
pub const COLORMAP_STOPS: [(f32, [u8; 3]); 6] = [
    (0.0, [4, 4, 16]),
    (0.2, [50, 16, 96]),
    (0.4, [120, 28, 120]),
    (0.6, [196, 58, 96]),
    (0.8, [246, 132, 64]),
    (1.0, [252, 240, 170]),
];

/// Score strip colour of the lowest score.
const SCORE_CALM_RGB: [u8; 3] = [49, 54, 149];
/// Score strip colour of the highest score below the threshold.
const SCORE_WARM_RGB: [u8; 3] = [250, 200, 90];
/// Score strip colour of scores at or above the threshold (and the top of the scale without one).
pub const SCORE_ALARM_RGB: [u8; 3] = [215, 25, 28];
/// Score strip colour of a NaN score.
const SCORE_MISSING_RGB: [u8; 3] = [128, 128, 128];

/// The colormap at `t` (clamped to [0, 1]; NaN counts as 0), interpolated linearly between the
/// neighbouring [`COLORMAP_STOPS`].
pub fn colormap_rgb(t: f32) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    for pair in COLORMAP_STOPS.windows(2) {
        let ((t0, c0), (t1, c1)) = (pair[0], pair[1]);
        if t <= t1 {
            return lerp_rgb(c0, c1, (t - t0) / (t1 - t0));
        }
    }
    COLORMAP_STOPS[COLORMAP_STOPS.len() - 1].1
}

/// Linear interpolation between two colours, `f` in [0, 1].
fn lerp_rgb(a: [u8; 3], b: [u8; 3], f: f32) -> [u8; 3] {
    let channel = |i: usize| {
        let value = f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * f;
        value.round().clamp(0.0, 255.0) as u8
    };
    [channel(0), channel(1), channel(2)]
}

/// The log-Mel spectrogram as an RGBA image of width `frames` and height `n_mels`.
///
/// `log_mel_db` holds `n_mels · frames` dB values: frame after frame (`frame_major`, index
/// `frame · n_mels + mel`) or band after band (index `mel · frames + frame`). Pixel layout:
/// row-major RGBA, top row first; row `r` shows mel band `n_mels − 1 − r`, so the lowest band is
/// the bottom row; column `c` is frame `c`. Values map [max − 80 dB, max] linearly onto the
/// colormap ([`colormap_rgb`]), clamped, max = the largest finite value; NaN and −inf get the
/// bottom colour. A length other than `n_mels · frames` is an error.
pub fn spectrogram_rgba(
    log_mel_db: &[f32],
    n_mels: usize,
    frames: usize,
    frame_major: bool,
) -> Result<Vec<u8>, ReportError> {
    let expected = n_mels.checked_mul(frames);
    if expected != Some(log_mel_db.len()) {
        return Err(ReportError::SpectrogramShape {
            len: log_mel_db.len(),
            n_mels,
            frames,
            expected: n_mels.saturating_mul(frames),
        });
    }
    let max = log_mel_db
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f32::NEG_INFINITY, f32::max);
    let floor = max - DYNAMIC_RANGE_DB;
    let mut pixels = Vec::with_capacity(log_mel_db.len() * 4);
    for row in 0..n_mels {
        let mel = n_mels - 1 - row;
        for frame in 0..frames {
            let index = if frame_major {
                frame * n_mels + mel
            } else {
                mel * frames + frame
            };
            let t = (log_mel_db[index] - floor) / DYNAMIC_RANGE_DB;
            let [r, g, b] = colormap_rgb(if t.is_finite() { t } else { 0.0 });
            pixels.extend_from_slice(&[r, g, b, 255]);
        }
    }
    Ok(pixels)
}

/// One RGBA pixel per frame score (an image of width `scores.len()` and height 1), calm to alarm.
///
/// The scale runs from the smallest finite score to max(largest finite score, threshold). With a
/// threshold, scores below it go from dark blue (scale bottom) to amber (scale top), and scores at
/// or above it are [`SCORE_ALARM_RGB`] red. Without one, the colour goes blue → amber → red over
/// the scale. NaN scores are grey.
pub fn score_strip_rgba(scores: &[f32], threshold: Option<f64>) -> Vec<u8> {
    let threshold = threshold.filter(|t| !t.is_nan());
    let finite = scores
        .iter()
        .filter(|v| v.is_finite())
        .map(|&v| f64::from(v));
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let hi = threshold.map_or(hi, |t| hi.max(t));
    let position = |score: f64| {
        if hi > lo {
            ((score - lo) / (hi - lo)).clamp(0.0, 1.0) as f32
        } else {
            0.0
        }
    };
    let mut pixels = Vec::with_capacity(scores.len() * 4);
    for &score in scores {
        let score = f64::from(score);
        let rgb = if score.is_nan() {
            SCORE_MISSING_RGB
        } else {
            match threshold {
                Some(t) if score >= t => SCORE_ALARM_RGB,
                Some(_) => lerp_rgb(SCORE_CALM_RGB, SCORE_WARM_RGB, position(score)),
                None => calm_to_alarm(position(score)),
            }
        };
        pixels.extend_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
    }
    pixels
}

/// Blue → amber → red over [0, 1].
fn calm_to_alarm(t: f32) -> [u8; 3] {
    if t < 0.5 {
        lerp_rgb(SCORE_CALM_RGB, SCORE_WARM_RGB, t * 2.0)
    } else {
        lerp_rgb(SCORE_WARM_RGB, SCORE_ALARM_RGB, (t - 0.5) * 2.0)
    }
}
