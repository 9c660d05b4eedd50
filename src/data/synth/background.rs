//! Factory background: coloured noise, mains hum, a distant machine and occasional far-away
//! impacts, at a level and colour that vary from clip to clip (DCASE clips were mixed with real
//! factory noise; docs/DESIGN.md §1.1).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, OnePole, Phase, add_impulse, db, normalise_rms, poisson_times, sin_cycles, uniform,
    white,
};

/// Render `n` samples of factory background with RMS `rms_target`.
pub(super) fn render(n: usize, rms_target: f32, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut out = coloured_noise(n, rng);
    add_hum(&mut out, rng);
    add_distant_machine(&mut out, rng);
    add_far_impacts(&mut out, rng);
    normalise_rms(&mut out, rms_target);
    out
}

/// White noise tilted by a one-pole low-pass whose cutoff (150 Hz .. 4 kHz, log-uniform) sets the
/// colour, plus a little white floor so that the top octave is never empty.
fn coloured_noise(n: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let cutoff = 150.0 * (4000.0f32 / 150.0).powf(rng.random::<f32>());
    let mut lp = OnePole::lowpass(cutoff);
    // The low-passed part has variance ≈ cutoff·2π/fs of white; bring it back to about unity.
    let lp_gain = (16_000.0 / (std::f32::consts::PI * cutoff)).sqrt();
    let floor = db(uniform(rng, -30.0, -14.0));
    (0..n)
        .map(|_| {
            let w = white(rng);
            lp_gain * lp.process(w) + floor * white(rng)
        })
        .collect()
}

/// Mains hum: 50 Hz harmonics (100, 150, 200 Hz strongest) at a random, usually low, level.
fn add_hum(out: &mut [f32], rng: &mut ChaCha8Rng) {
    let level = db(uniform(rng, -30.0, -8.0));
    let amps = [0.3 * level, level, 0.6 * level, 0.4 * level];
    let mut phase = Phase::new(rng.random::<f32>());
    for x in out.iter_mut() {
        phase.advance(50.0);
        let p = phase.cycles();
        *x += amps
            .iter()
            .enumerate()
            .map(|(k, a)| a * sin_cycles((k + 1) as f32 * p))
            .sum::<f32>();
    }
}

/// A distant rotating machine: one low tone with a slow beating.
fn add_distant_machine(out: &mut [f32], rng: &mut ChaCha8Rng) {
    if rng.random::<f32>() < 0.4 {
        return;
    }
    let freq = uniform(rng, 70.0, 450.0);
    let beat = uniform(rng, 0.1, 0.8);
    let level = db(uniform(rng, -24.0, -6.0));
    let mut tone = Phase::new(rng.random::<f32>());
    let mut slow = Phase::new(rng.random::<f32>());
    for x in out.iter_mut() {
        tone.advance(freq);
        slow.advance(beat);
        *x += level * (0.7 + 0.3 * sin_cycles(slow.cycles())) * sin_cycles(tone.cycles());
    }
}

/// Far-away impacts (dropped parts, doors): rare, dull resonances at any time.
fn add_far_impacts(out: &mut [f32], rng: &mut ChaCha8Rng) {
    let secs = out.len() as f32 / super::dsp::SAMPLE_RATE;
    let rate = uniform(rng, 0.0, 0.5);
    let times = poisson_times(rng, rate, 0.0, secs);
    if times.is_empty() {
        return;
    }
    let mut excitation = vec![0.0; out.len()];
    for t in times {
        add_impulse(&mut excitation, t, uniform(rng, 0.5, 4.0));
    }
    let mut body = Biquad::resonator(uniform(rng, 180.0, 1400.0), uniform(rng, 0.03, 0.1));
    let mut dull = Biquad::lowpass(2500.0, 0.7);
    for (x, e) in out.iter_mut().zip(excitation) {
        *x += dull.process(body.process(e));
    }
}
