//! Solenoid valve in a repeating open/close programme: a metallic click and a low thump at each
//! actuation, a band of flow noise and a faint coil buzz while energised, near silence while
//! closed.
//!
//! Faults: `leak` (hiss while the valve should be closed), `chatter` (the armature bounces:
//! extra clicks, interrupted flow, irregular timing) and `stuck` (on some actuations the armature
//! sticks: the energised coil buzzes loudly because it cannot seat, then the armature breaks free
//! late with a harder slam and opens only partly, or not at all).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Harmonics, OnePole, Phase, SAMPLE_RATE, add_impulse, db, mix_at_relative_db,
    set_clip_level, uniform, white,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["leak", "chatter", "stuck"];

/// RMS of a normal valve clip before the background is added.
pub(super) const LEVEL: f32 = 0.03;

/// What makes one valve model (machine ID) sound like itself: its programme and its body.
struct ValveModel {
    period_s: f32,
    open_fraction: f32,
    pulses: usize,
    click_hz: [f32; 2],
    flow_hz: f32,
}

/// Valve models for id_00 .. id_06.
const MODELS: [ValveModel; 7] = [
    ValveModel {
        period_s: 1.0,
        open_fraction: 0.40,
        pulses: 1,
        click_hz: [2800.0, 5200.0],
        flow_hz: 1200.0,
    },
    ValveModel {
        period_s: 1.4,
        open_fraction: 0.30,
        pulses: 1,
        click_hz: [3500.0, 6100.0],
        flow_hz: 2000.0,
    },
    ValveModel {
        period_s: 0.8,
        open_fraction: 0.50,
        pulses: 2,
        click_hz: [2200.0, 4300.0],
        flow_hz: 800.0,
    },
    ValveModel {
        period_s: 2.0,
        open_fraction: 0.25,
        pulses: 1,
        click_hz: [4100.0, 6800.0],
        flow_hz: 2600.0,
    },
    ValveModel {
        period_s: 1.2,
        open_fraction: 0.35,
        pulses: 2,
        click_hz: [3100.0, 5600.0],
        flow_hz: 1500.0,
    },
    ValveModel {
        period_s: 1.7,
        open_fraction: 0.45,
        pulses: 1,
        click_hz: [2500.0, 4800.0],
        flow_hz: 1000.0,
    },
    ValveModel {
        period_s: 0.9,
        open_fraction: 0.30,
        pulses: 3,
        click_hz: [3800.0, 7000.0],
        flow_hz: 3000.0,
    },
];

/// One opening of the valve.
struct Actuation {
    /// When the coil is switched on (the valve opens at once unless stuck).
    energised_s: f32,
    open_s: f32,
    close_s: f32,
    open_click: f32,
    close_click: f32,
    flow: f32,
    /// Extra armature bounces: (time, amplitude).
    bounces: Vec<(f32, f32)>,
    /// A stretch with the flow interrupted: (start, end).
    gap: Option<(f32, f32)>,
    /// Gain of the buzz of a coil that cannot seat its armature, from energising to opening.
    stuck_buzz: f32,
}

/// Render `n` samples of valve `id` (0..7) with an optional fault (index into [`FAULTS`]).
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let mut actuations = programme(model, n as f32 / SAMPLE_RATE, rng);
    match fault {
        Some(1) => chatter(&mut actuations, fault_rng),
        Some(2) => stuck(&mut actuations, fault_rng),
        _ => {}
    }
    let open = flow_envelope(&actuations, n);
    let coil = coil_envelopes(&actuations, n);
    let mut out = actuating_valve(model, &actuations, &open, &coil, rng);
    set_clip_level(&mut out, LEVEL, rng);
    if fault == Some(0) {
        let mut hiss = leak(&open, fault_rng);
        let rel_db = uniform(fault_rng, -24.0, -14.0);
        mix_at_relative_db(&mut out, &mut hiss, rel_db);
    }
    out
}

/// The repeating programme over `[0, secs)`: `pulses` openings per period inside the open part,
/// with ±8 ms timing jitter, ±15 % click strength and ±1 dB flow per actuation.
fn programme(model: &ValveModel, secs: f32, rng: &mut ChaCha8Rng) -> Vec<Actuation> {
    let period = model.period_s * (1.0 + uniform(rng, -0.02, 0.02));
    let flow_level = db(uniform(rng, -2.0, 2.0));
    let slot = period * model.open_fraction / model.pulses as f32;
    let mut start = -uniform(rng, 0.0, period);
    let mut actuations = Vec::new();
    while start < secs {
        for k in 0..model.pulses {
            let open_s = start + k as f32 * slot + uniform(rng, -0.008, 0.008);
            let close_s = start + (k as f32 + 0.7) * slot + uniform(rng, -0.008, 0.008);
            actuations.push(Actuation {
                energised_s: open_s,
                open_s,
                close_s,
                open_click: uniform(rng, 0.85, 1.15),
                close_click: 0.8 * uniform(rng, 0.85, 1.15),
                flow: flow_level * db(uniform(rng, -1.0, 1.0)),
                bounces: Vec::new(),
                gap: None,
                stuck_buzz: 0.0,
            });
        }
        start += period;
    }
    actuations
}

/// Flow envelope per sample: 15 ms attack after opening, 10 ms release after closing.
fn flow_envelope(actuations: &[Actuation], n: usize) -> Vec<f32> {
    let mut env = vec![0.0f32; n];
    let (attack, release) = (0.015, 0.010);
    for a in actuations {
        let first = (a.open_s.max(0.0) * SAMPLE_RATE) as usize;
        let last = (((a.close_s + release) * SAMPLE_RATE).max(0.0) as usize).min(n);
        for (i, e) in env.iter_mut().enumerate().take(last).skip(first) {
            let t = i as f32 / SAMPLE_RATE;
            let rise = ((t - a.open_s) / attack).clamp(0.0, 1.0);
            let fall = (1.0 - (t - a.close_s) / release).clamp(0.0, 1.0);
            let gapped = a.gap.is_some_and(|(g0, g1)| t >= g0 && t < g1);
            let level = if gapped { 0.1 } else { 1.0 };
            *e = e.max(a.flow * level * rise.min(fall));
        }
    }
    env
}

/// Coil envelopes per sample: (seated buzz while open, buzz of a coil that cannot seat).
fn coil_envelopes(actuations: &[Actuation], n: usize) -> Vec<(f32, f32)> {
    let mut env = vec![(0.0f32, 0.0f32); n];
    let index = |t: f32| ((t.max(0.0) * SAMPLE_RATE) as usize).min(n);
    for a in actuations {
        let (energised, open, close) = (index(a.energised_s), index(a.open_s), index(a.close_s));
        env[energised..open.max(energised)]
            .iter_mut()
            .for_each(|e| e.1 = e.1.max(a.stuck_buzz));
        env[open.min(close)..close]
            .iter_mut()
            .for_each(|e| e.0 = 1.0);
    }
    env
}

/// The valve sound for a programme: clicks, thumps, flow noise and coil buzz.
fn actuating_valve(
    model: &ValveModel,
    actuations: &[Actuation],
    open: &[f32],
    coil_envelope: &[(f32, f32)],
    rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let n = open.len();
    let mut clicks = vec![0.0; n];
    for a in actuations {
        add_impulse(&mut clicks, a.open_s, a.open_click);
        add_impulse(&mut clicks, a.close_s, a.close_click);
        for &(t, amp) in &a.bounces {
            add_impulse(&mut clicks, t, amp);
        }
    }
    let flow_gain = db(uniform(rng, -12.0, -8.0));
    let buzz_gain = db(uniform(rng, -30.0, -24.0));
    let buzz = Harmonics::new(&[1.0, 0.4, 0.2], rng);
    let rattle = Harmonics::new(&[0.6, 1.0, 0.8, 0.6, 0.5, 0.4, 0.3], rng);
    let mut smooth_buzz = OnePole::lowpass(100.0);
    let mut smooth_rattle = OnePole::lowpass(100.0);
    let mut metal = Biquad::resonator(model.click_hz[0], 0.006);
    let mut ping = Biquad::resonator(model.click_hz[1], 0.003);
    let mut thump = Biquad::resonator(180.0, 0.02);
    let mut flow = Biquad::bandpass(model.flow_hz * (1.0 + uniform(rng, -0.03, 0.03)), 1.5);
    let mut coil = Phase::new(rng.random::<f32>());
    (0..n)
        .map(|i| {
            coil.advance(100.0);
            let c = clicks[i];
            let struck = metal.process(c) + 0.7 * ping.process(c) + 0.5 * thump.process(c);
            let o = open[i];
            let (seated, unseated) = coil_envelope[i];
            let hum = smooth_buzz.process(seated) * buzz.at(coil.cycles())
                + smooth_rattle.process(unseated) * rattle.at(coil.cycles());
            struck + o * flow_gain * flow.process(white(rng)) + buzz_gain * hum
        })
        .collect()
}

/// Armature bounce on a random share of actuations: 1-3 extra clicks 6-30 ms after opening,
/// the flow briefly interrupted, and up to ±25 ms extra timing error.
fn chatter(actuations: &mut [Actuation], rng: &mut ChaCha8Rng) {
    let presence = uniform(rng, 0.7, 1.0);
    for a in actuations.iter_mut() {
        let shift = uniform(rng, -0.025, 0.025);
        a.open_s += shift;
        a.close_s += shift;
        if rng.random::<f32>() > presence {
            continue;
        }
        let count = rng.random_range(1..=4);
        let mut t = a.open_s;
        for _ in 0..count {
            t += uniform(rng, 0.006, 0.03);
            a.bounces.push((t, a.open_click * uniform(rng, 0.5, 1.0)));
        }
        a.gap = Some((a.open_s + 0.02, a.open_s + 0.02 + uniform(rng, 0.02, 0.06)));
    }
}

/// A sticking armature on a random share of actuations: the coil buzzes 0-6 dB louder with
/// rich harmonics until the armature breaks free 40-150 ms late with a 1.3-1.8× harder slam
/// and 6-14 dB less flow, or (one in three) never opens and buzzes until switched off.
fn stuck(actuations: &mut [Actuation], rng: &mut ChaCha8Rng) {
    let share = uniform(rng, 0.5, 0.9);
    for a in actuations.iter_mut() {
        if rng.random::<f32>() > share {
            continue;
        }
        a.stuck_buzz = db(uniform(rng, 0.0, 6.0));
        if rng.random::<f32>() < 1.0 / 3.0 {
            a.open_s = a.close_s;
            a.open_click = 0.0;
            a.close_click = 0.0;
            a.flow = 0.0;
        } else {
            a.open_s = (a.open_s + uniform(rng, 0.04, 0.15)).min(a.close_s - 0.02);
            a.open_click *= uniform(rng, 1.3, 1.8);
            a.flow *= db(-uniform(rng, 6.0, 14.0));
        }
    }
}

/// Leak hiss while closed: a 3-6.5 kHz band of noise that the open flow masks.
fn leak(open: &[f32], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut band = Biquad::bandpass(uniform(rng, 3000.0, 6500.0), 2.0);
    let mut smooth = OnePole::lowpass(50.0);
    open.iter()
        .map(|o| (1.0 - smooth.process(o.min(1.0))).max(0.0) * band.process(white(rng)))
        .collect()
}
