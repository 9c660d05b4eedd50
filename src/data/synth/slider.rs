//! Linear slide rail: a carriage moving back and forth. During each stroke the servo whines at a
//! pitch that follows the speed and the rail rolls; each stroke ends with a stop click; between
//! strokes only the holding hum remains.
//!
//! Faults: `squeal` (a narrow, wavering high tone while moving, on most strokes) and
//! `dry_rattle` (missing lubrication: random knocks and harsher friction while moving).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Drift, Harmonics, OnePole, Phase, SAMPLE_RATE, add_impulse, db, mix_at_relative_db,
    poisson_times, set_clip_level, sin_cycles, uniform, white,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["squeal", "dry_rattle"];

/// RMS of a normal slider clip before the background is added.
pub(super) const LEVEL: f32 = 0.04;

/// What makes one slider model (machine ID) sound like itself.
struct SliderModel {
    stroke_s: f32,
    dwell_s: f32,
    whine_hz: f32,
    rail_hz: f32,
    click_hz: f32,
}

/// Slider models for id_00 .. id_06.
const MODELS: [SliderModel; 7] = [
    SliderModel {
        stroke_s: 0.45,
        dwell_s: 0.25,
        whine_hz: 950.0,
        rail_hz: 2300.0,
        click_hz: 900.0,
    },
    SliderModel {
        stroke_s: 0.60,
        dwell_s: 0.40,
        whine_hz: 1300.0,
        rail_hz: 3100.0,
        click_hz: 1300.0,
    },
    SliderModel {
        stroke_s: 0.35,
        dwell_s: 0.15,
        whine_hz: 700.0,
        rail_hz: 1500.0,
        click_hz: 700.0,
    },
    SliderModel {
        stroke_s: 0.80,
        dwell_s: 0.30,
        whine_hz: 1700.0,
        rail_hz: 2700.0,
        click_hz: 1100.0,
    },
    SliderModel {
        stroke_s: 0.50,
        dwell_s: 0.20,
        whine_hz: 1100.0,
        rail_hz: 4200.0,
        click_hz: 800.0,
    },
    SliderModel {
        stroke_s: 0.70,
        dwell_s: 0.50,
        whine_hz: 820.0,
        rail_hz: 3500.0,
        click_hz: 1500.0,
    },
    SliderModel {
        stroke_s: 0.40,
        dwell_s: 0.35,
        whine_hz: 2000.0,
        rail_hz: 3300.0,
        click_hz: 1400.0,
    },
];

/// One movement of the carriage.
struct Stroke {
    start_s: f32,
    duration_s: f32,
}

/// Render `n` samples of slider `id` (0..7) with an optional fault (index into [`FAULTS`]).
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let strokes = schedule(model, n as f32 / SAMPLE_RATE, rng);
    let velocity = velocity_profile(&strokes, n);
    let mut out = moving_carriage(model, &strokes, &velocity, rng);
    set_clip_level(&mut out, LEVEL, rng);
    let layer = match fault {
        Some(0) => Some((
            squeal(&strokes, &velocity, fault_rng),
            uniform(fault_rng, -8.0, -2.0),
        )),
        Some(1) => Some((
            dry_rattle(&velocity, fault_rng),
            uniform(fault_rng, -10.0, -3.0),
        )),
        _ => None,
    };
    if let Some((mut layer, rel_db)) = layer {
        mix_at_relative_db(&mut out, &mut layer, rel_db);
    }
    out
}

/// Strokes covering `[0, secs)`: a clip-wide tempo (±3 %), small per-stroke jitter, and a random
/// position in the cycle at the clip start.
fn schedule(model: &SliderModel, secs: f32, rng: &mut ChaCha8Rng) -> Vec<Stroke> {
    let tempo = 1.0 + uniform(rng, -0.03, 0.03);
    let mut t = -uniform(rng, 0.0, 2.0 * (model.stroke_s + model.dwell_s));
    let mut strokes = Vec::new();
    while t < secs {
        let duration_s = model.stroke_s * tempo * (1.0 + uniform(rng, -0.02, 0.02));
        strokes.push(Stroke {
            start_s: t,
            duration_s,
        });
        t += duration_s + model.dwell_s * tempo * (1.0 + uniform(rng, -0.1, 0.1));
    }
    strokes
}

/// Normalised carriage speed per sample: a half-sine over each stroke, zero while dwelling.
fn velocity_profile(strokes: &[Stroke], n: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; n];
    for s in strokes {
        let first = (s.start_s.max(0.0) * SAMPLE_RATE) as usize;
        let last = (((s.start_s + s.duration_s) * SAMPLE_RATE).max(0.0) as usize).min(n);
        for (i, x) in v.iter_mut().enumerate().take(last).skip(first) {
            let progress = (i as f32 / SAMPLE_RATE - s.start_s) / s.duration_s;
            *x = sin_cycles(0.5 * progress.clamp(0.0, 1.0));
        }
    }
    v
}

/// The healthy slider: servo whine and rail rolling scaled by speed, holding hum, stop clicks.
fn moving_carriage(
    model: &SliderModel,
    strokes: &[Stroke],
    velocity: &[f32],
    rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let n = velocity.len();
    let whine = Harmonics::new(&[1.0, 0.4, 0.2], rng);
    let hum = Harmonics::new(&[0.2, 1.0, 0.3], rng);
    let whine_gain = db(uniform(rng, -12.0, -8.0));
    let rail_gain = db(uniform(rng, -2.0, 2.0));
    let hum_gain = db(uniform(rng, -34.0, -26.0));
    let click_gain = db(uniform(rng, 4.0, 8.0));
    let mut clicks = vec![0.0; n];
    for s in strokes {
        add_impulse(
            &mut clicks,
            s.start_s + s.duration_s,
            click_gain * uniform(rng, 0.8, 1.2),
        );
    }
    let mut stop = Biquad::resonator(model.click_hz, 0.02);
    let mut stop_rail = Biquad::resonator(model.rail_hz, 0.006);
    let mut rail = Biquad::bandpass(model.rail_hz, 2.0);
    let mut rumble = Biquad::lowpass(500.0, 0.7);
    let mut servo = Phase::new(rng.random::<f32>());
    let mut line = Phase::new(rng.random::<f32>());
    (0..n)
        .map(|i| {
            let v = velocity[i];
            servo.advance(model.whine_hz * (0.4 + 0.6 * v));
            line.advance(50.0);
            let w = white(rng);
            let rolling = v * rail_gain * (rail.process(w) + 0.7 * rumble.process(w));
            let click = stop.process(clicks[i]) + 0.5 * stop_rail.process(clicks[i]);
            v * whine_gain * whine.at(servo.cycles())
                + rolling
                + click
                + hum_gain * hum.at(line.cycles())
        })
        .collect()
}

/// Rail squeal: a 3-6.5 kHz tone with a 5-8 Hz waver while the carriage moves fast, on a random
/// share of strokes.
fn squeal(strokes: &[Stroke], velocity: &[f32], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let n = velocity.len();
    let presence = uniform(rng, 0.7, 1.0);
    let mut stroke_gain = vec![0.0f32; n];
    for s in strokes {
        let gain = if rng.random::<f32>() < presence {
            uniform(rng, 0.5, 1.0)
        } else {
            0.0
        };
        let first = (s.start_s.max(0.0) * SAMPLE_RATE) as usize;
        let last = (((s.start_s + s.duration_s) * SAMPLE_RATE).max(0.0) as usize).min(n);
        stroke_gain
            .iter_mut()
            .take(last)
            .skip(first)
            .for_each(|g| *g = gain);
    }
    let pitch = uniform(rng, 3000.0, 6500.0);
    let waver_hz = uniform(rng, 5.0, 8.0);
    let mut tone = Phase::new(rng.random::<f32>());
    let mut waver = Phase::new(rng.random::<f32>());
    let mut smooth = OnePole::lowpass(30.0);
    (0..n)
        .map(|i| {
            waver.advance(waver_hz);
            tone.advance(pitch * (1.0 + 0.015 * sin_cycles(waver.cycles())));
            let on = ((velocity[i] - 0.3) / 0.7).max(0.0) * stroke_gain[i];
            smooth.process(on) * sin_cycles(tone.cycles())
        })
        .collect()
}

/// Missing lubrication: knocks at a speed-dependent random rate ringing the carriage body
/// (0.5-1.2 kHz) with a sharp tick, plus harsher high-frequency friction while moving.
fn dry_rattle(velocity: &[f32], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let n = velocity.len();
    let max_rate = uniform(rng, 40.0, 90.0);
    let mut knocks = vec![0.0; n];
    for t in poisson_times(rng, max_rate, 0.0, n as f32 / SAMPLE_RATE) {
        let i = ((t * SAMPLE_RATE) as usize).min(n - 1);
        if rng.random::<f32>() < velocity[i] {
            add_impulse(&mut knocks, t, uniform(rng, 0.5, 1.0));
        }
    }
    let mut body = Biquad::resonator(uniform(rng, 500.0, 1200.0), 0.008);
    let mut tick = Biquad::resonator(uniform(rng, 4000.0, 6500.0), 0.0015);
    let mut friction = Biquad::highpass(3000.0, 0.7);
    let mut grit = Drift::new(0.05, rng);
    let friction_gain = uniform(rng, 0.02, 0.06);
    (0..n)
        .map(|i| {
            let harsh = friction_gain
                * velocity[i]
                * (1.0 + 0.5 * grit.next(rng))
                * friction.process(white(rng));
            body.process(knocks[i]) + tick.process(knocks[i]) + harsh
        })
        .collect()
}
