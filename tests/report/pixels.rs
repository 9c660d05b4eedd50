//! RGBA buffers: the spectrogram colormap and layout, the score strip.

use sonogan::report::{
    COLORMAP_STOPS, ReportError, SCORE_ALARM_RGB, colormap_rgb, score_strip_rgba, spectrogram_rgba,
};

/// The RGB of pixel (`row`, `column`) of an RGBA image `width` pixels wide.
fn pixel(rgba: &[u8], width: usize, row: usize, column: usize) -> [u8; 3] {
    let i = (row * width + column) * 4;
    assert_eq!(rgba[i + 3], 255, "opaque");
    [rgba[i], rgba[i + 1], rgba[i + 2]]
}

const TOP_COLOUR: [u8; 3] = COLORMAP_STOPS[COLORMAP_STOPS.len() - 1].1;
const BOTTOM_COLOUR: [u8; 3] = COLORMAP_STOPS[0].1;

#[test]
fn colormap_interpolates_between_stops() {
    assert_eq!(colormap_rgb(0.0), BOTTOM_COLOUR);
    assert_eq!(colormap_rgb(1.0), TOP_COLOUR);
    assert_eq!(colormap_rgb(-3.0), BOTTOM_COLOUR);
    assert_eq!(colormap_rgb(7.0), TOP_COLOUR);
    assert_eq!(colormap_rgb(f32::NAN), BOTTOM_COLOUR);
    let ((t0, a), (t1, b)) = (COLORMAP_STOPS[1], COLORMAP_STOPS[2]);
    let mid = colormap_rgb((t0 + t1) / 2.0);
    for channel in 0..3 {
        let expected = (f32::from(a[channel]) + f32::from(b[channel])) / 2.0;
        assert!((f32::from(mid[channel]) - expected).abs() <= 0.5, "{mid:?}");
    }
}

#[test]
fn spectrogram_puts_low_mels_at_the_bottom() {
    // 4 mel bands × 3 frames, band m at 10·m dB: max 30 dB, floor −50 dB.
    let (n_mels, frames) = (4, 3);
    let frame_major: Vec<f32> = (0..frames)
        .flat_map(|_| (0..n_mels).map(|m| 10.0 * m as f32))
        .collect();
    let band_major: Vec<f32> = (0..n_mels)
        .flat_map(|m| (0..frames).map(move |_| 10.0 * m as f32))
        .collect();
    let image = spectrogram_rgba(&frame_major, n_mels, frames, true).unwrap();
    assert_eq!(image.len(), 4 * n_mels * frames);
    assert_eq!(
        spectrogram_rgba(&band_major, n_mels, frames, false).unwrap(),
        image
    );
    for column in 0..frames {
        // Top row = highest band = max → top stop; bottom row = 0 dB → (0 + 50)/80 = 0.625.
        assert_eq!(pixel(&image, frames, 0, column), TOP_COLOUR);
        assert_eq!(pixel(&image, frames, 3, column), colormap_rgb(0.625));
        assert_eq!(pixel(&image, frames, 1, column), colormap_rgb(0.875));
    }
}

#[test]
fn spectrogram_clamps_to_eighty_db_below_the_max() {
    // One band, 5 frames, band-major: max 10 dB, so −70 dB and below are the bottom colour.
    let values = [10.0, -70.0, -200.0, f32::NEG_INFINITY, -30.0];
    let image = spectrogram_rgba(&values, 1, 5, false).unwrap();
    assert_eq!(pixel(&image, 5, 0, 0), TOP_COLOUR);
    for column in 1..4 {
        assert_eq!(pixel(&image, 5, 0, column), BOTTOM_COLOUR);
    }
    assert_eq!(pixel(&image, 5, 0, 4), colormap_rgb(0.5));
}

#[test]
fn spectrogram_length_mismatch_is_an_error() {
    let error = spectrogram_rgba(&[0.0; 11], 4, 3, true).unwrap_err();
    assert_eq!(
        error,
        ReportError::SpectrogramShape {
            len: 11,
            n_mels: 4,
            frames: 3,
            expected: 12
        }
    );
    assert!(error.to_string().contains("11 values"));
    assert!(spectrogram_rgba(&[0.0; 4], usize::MAX, 2, true).is_err());
    assert_eq!(spectrogram_rgba(&[], 0, 5, true).unwrap(), Vec::<u8>::new());
}

#[test]
fn score_strip_is_red_from_the_threshold_up() {
    let strip = score_strip_rgba(&[0.0, 1.0, 2.0, 3.0], Some(2.0));
    assert_eq!(strip.len(), 16);
    assert_eq!(pixel(&strip, 4, 0, 2), SCORE_ALARM_RGB);
    assert_eq!(pixel(&strip, 4, 0, 3), SCORE_ALARM_RGB);
    let (calm, warmer) = (pixel(&strip, 4, 0, 0), pixel(&strip, 4, 0, 1));
    assert_ne!(calm, SCORE_ALARM_RGB);
    assert_ne!(warmer, SCORE_ALARM_RGB);
    assert!(
        warmer[0] > calm[0],
        "higher scores are warmer: {calm:?} {warmer:?}"
    );
}

#[test]
fn score_strip_scale_reaches_the_threshold() {
    // Threshold 10 above every score: nothing is red; 5 sits half-way between 0 and 10, 10 would
    // be the top. With the threshold at 5 instead, 5 turns red.
    let strip = score_strip_rgba(&[0.0, 5.0], Some(10.0));
    assert!(strip.chunks(4).all(|p| p[..3] != SCORE_ALARM_RGB));
    let lower = score_strip_rgba(&[0.0, 5.0], Some(20.0));
    assert!(
        lower[4] < strip[4],
        "5 is calmer on a scale up to 20 than up to 10"
    );
    // Without a threshold the top of the scale is the alarm colour; NaN is grey.
    let strip = score_strip_rgba(&[1.0, f32::NAN, 4.0], None);
    assert_eq!(pixel(&strip, 3, 0, 2), SCORE_ALARM_RGB);
    assert_eq!(pixel(&strip, 3, 0, 1), [128, 128, 128]);
    assert!(score_strip_rgba(&[], Some(1.0)).is_empty());
}
