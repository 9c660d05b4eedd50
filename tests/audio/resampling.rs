//! Resampling to 16 kHz: length `round(n · 16000 / sr)`, no delay, tones inside the band kept
//! with their frequency, amplitude and phase, tones above 8 kHz removed.

use std::f64::consts::TAU;

use sonogan::audio::{DecodeOptions, TARGET_RATE, clip_from_channels, decode_wav, resample};

use super::wav_builder::*;

/// `frames` samples of `amplitude · sin(2π f t)` at `rate`.
fn sine(freq: f64, amplitude: f64, rate: u32, frames: usize) -> Vec<f32> {
    (0..frames)
        .map(|i| (amplitude * (TAU * freq * i as f64 / f64::from(rate)).sin()) as f32)
        .collect()
}

/// Resample a mono signal to 16 kHz through the public clip API.
fn to_16k(samples: Vec<f32>, rate: u32) -> Vec<f32> {
    clip_from_channels("sine", &[samples], rate, &DecodeOptions::default())
        .expect("resamples")
        .samples
}

/// Largest |a − b| over the middle of the signals (the first and last 5 % are edge transients).
fn max_interior_error(a: &[f32], b: &[f32]) -> f32 {
    let edge = a.len() / 20;
    a[edge..a.len() - edge]
        .iter()
        .zip(&b[edge..])
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// Root mean square over the middle of a signal.
fn interior_rms(a: &[f32]) -> f32 {
    let edge = a.len() / 20;
    let mid = &a[edge..a.len() - edge];
    (mid.iter().map(|x| x * x).sum::<f32>() / mid.len() as f32).sqrt()
}

#[test]
fn output_length_is_the_rounded_ratio() {
    // (rate, input frames, round(frames · 16000 / rate) computed by hand)
    let cases = [
        (44_100, 44_100, 16_000),
        (44_100, 44_123, 16_008), // 16008.35
        (48_000, 48_001, 16_000), // 16000.33
        (48_000, 48_002, 16_001), // 16000.67
        (8_000, 8_001, 16_002),
        (22_050, 1_000, 726), // 725.62
        (12_345, 12_345, 16_000),
        (384_000, 1_000, 42), // 41.67
        (1_000, 3, 48),
    ];
    for (rate, frames, expected) in cases {
        let out = to_16k(vec![0.0; frames], rate);
        assert_eq!(out.len(), expected, "{frames} frames at {rate} Hz");
    }
}

#[test]
fn a_1khz_sine_keeps_frequency_amplitude_and_phase() {
    let ideal = sine(1000.0, 0.5, TARGET_RATE, 16_000);
    for rate in [44_100, 48_000, 8_000, 22_050, 12_345, 96_000] {
        let out = to_16k(sine(1000.0, 0.5, rate, rate as usize), rate);
        assert_eq!(out.len(), 16_000);
        let err = max_interior_error(&out, &ideal);
        assert!(err < 1e-4, "{rate} Hz: max error {err}");
    }
}

#[test]
fn tones_near_the_band_edge_pass_and_tones_above_nyquist_vanish() {
    let out = to_16k(sine(7000.0, 0.5, 44_100, 44_100), 44_100);
    let rms = interior_rms(&out);
    assert!(
        (rms - 0.5 / 2f32.sqrt()).abs() < 0.005 * 0.5,
        "7 kHz rms {rms}"
    );
    for rate in [44_100, 48_000] {
        let out = to_16k(sine(10_000.0, 0.5, rate, rate as usize), rate);
        let rms = interior_rms(&out);
        assert!(rms < 1e-5, "10 kHz at {rate} Hz leaks rms {rms}");
    }
}

#[test]
fn an_impulse_stays_in_place() {
    // An impulse at 30 ms must peak at output sample 480 (no resampler delay).
    for rate in [48_000u32, 44_100, 8_000] {
        let mut x = vec![0.0f32; rate as usize / 5];
        x[rate as usize * 3 / 100] = 1.0;
        let out = to_16k(x, rate);
        let peak = out
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        assert_eq!(peak, Some(480), "{rate} Hz");
    }
}

#[test]
fn wav_files_at_other_rates_are_resampled() {
    let rate = 48_000;
    let ints: Vec<i16> = sine(1000.0, 0.5, rate, 48_000)
        .iter()
        .map(|&v| (v * 32768.0).round() as i16)
        .collect();
    // Stereo with the same tone on both channels: the mean is the tone.
    let stereo: Vec<i16> = ints.iter().flat_map(|&s| [s, s]).collect();
    let clip = decode_wav(
        "tone.wav",
        &wav(PCM, 2, rate, 16, &i16_bytes(&stereo)),
        &DecodeOptions::default(),
    )
    .expect("decodes");
    assert_eq!(
        (clip.source_rate, clip.source_channels, clip.samples.len()),
        (48_000, 2, 16_000)
    );
    let err = max_interior_error(&clip.samples, &sine(1000.0, 0.5, TARGET_RATE, 16_000));
    assert!(err < 1e-3, "max error {err}");
}

#[test]
fn equal_rates_copy_the_signal() {
    let x = sine(440.0, 0.3, 16_000, 100);
    assert_eq!(resample(&x, 16_000, 16_000).expect("copies"), x);
}
