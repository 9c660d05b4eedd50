//! Centrifugal water pump: turbulent flow noise with a pipe resonance and a sloshing level,
//! the vane-pass tone (rotation × impeller vanes) with harmonics, a weak shaft tone and motor hum.
//!
//! Faults: `cavitation` (vapour bubbles collapsing: bursts of broadband crackle), `leak` (a
//! steady high-frequency hiss from a leaking seal) and `clogging` (a partly blocked inlet: the
//! motor slows under load, the vane-pass tone grows and the flow gets rougher and quieter).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Drift, Harmonics, Phase, SAMPLE_RATE, add_impulse, db, mix_at_relative_db,
    poisson_times, set_clip_level, sin_cycles, uniform, white, wrap64,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["cavitation", "leak", "clogging"];

/// RMS of a normal pump clip before the background is added.
pub(super) const LEVEL: f32 = 0.05;

/// What makes one pump model (machine ID) sound like itself.
struct PumpModel {
    rotation_hz: f32,
    vanes: f32,
    pipe_hz: f32,
    flow_cutoff_hz: f32,
    vane_tone_db: f32,
}

/// Pump models for id_00 .. id_06.
const MODELS: [PumpModel; 7] = [
    PumpModel {
        rotation_hz: 24.6,
        vanes: 5.0,
        pipe_hz: 320.0,
        flow_cutoff_hz: 1200.0,
        vane_tone_db: -12.0,
    },
    PumpModel {
        rotation_hz: 29.2,
        vanes: 6.0,
        pipe_hz: 520.0,
        flow_cutoff_hz: 1600.0,
        vane_tone_db: -10.0,
    },
    PumpModel {
        rotation_hz: 19.8,
        vanes: 7.0,
        pipe_hz: 1100.0,
        flow_cutoff_hz: 2000.0,
        vane_tone_db: -14.0,
    },
    PumpModel {
        rotation_hz: 47.5,
        vanes: 3.0,
        pipe_hz: 1300.0,
        flow_cutoff_hz: 2400.0,
        vane_tone_db: -9.0,
    },
    PumpModel {
        rotation_hz: 39.0,
        vanes: 6.0,
        pipe_hz: 1800.0,
        flow_cutoff_hz: 3000.0,
        vane_tone_db: -11.0,
    },
    PumpModel {
        rotation_hz: 35.0,
        vanes: 4.0,
        pipe_hz: 950.0,
        flow_cutoff_hz: 2000.0,
        vane_tone_db: -13.0,
    },
    PumpModel {
        rotation_hz: 16.5,
        vanes: 8.0,
        pipe_hz: 2400.0,
        flow_cutoff_hz: 600.0,
        vane_tone_db: -15.0,
    },
];

/// Operating point of one clip: how fast, how loud the tone and the flow, how rough the flow.
struct OperatingPoint {
    rotation_hz: f32,
    vane_gain: f32,
    flow_gain: f32,
    roughness: f32,
}

/// Render `n` samples of pump `id` (0..7) with an optional fault (index into [`FAULTS`]).
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let mut op = OperatingPoint {
        rotation_hz: model.rotation_hz * (1.0 + uniform(rng, -0.03, 0.03)),
        vane_gain: db(model.vane_tone_db + uniform(rng, -3.0, 3.0)),
        flow_gain: db(uniform(rng, -2.0, 2.0)),
        roughness: uniform(rng, 0.15, 0.3),
    };
    if fault == Some(2) {
        clog(&mut op, fault_rng);
    }
    let mut out = running_pump(model, &op, n, rng);
    set_clip_level(&mut out, LEVEL, rng);
    let layer = match fault {
        Some(0) => Some((cavitation(n, fault_rng), uniform(fault_rng, -27.0, -18.0))),
        Some(1) => Some((leak(n, fault_rng), uniform(fault_rng, -26.0, -17.0))),
        _ => None,
    };
    if let Some((mut layer, rel_db)) = layer {
        mix_at_relative_db(&mut out, &mut layer, rel_db);
    }
    out
}

/// A partly blocked inlet: 3-7 % slower, a louder vane-pass tone, less and rougher flow.
fn clog(op: &mut OperatingPoint, rng: &mut ChaCha8Rng) {
    op.rotation_hz *= 1.0 - uniform(rng, 0.03, 0.07);
    op.vane_gain *= db(uniform(rng, 2.0, 5.0));
    op.flow_gain *= db(-uniform(rng, 1.0, 3.0));
    op.roughness += uniform(rng, 0.1, 0.25);
}

/// The pump at operating point `op`.
fn running_pump(
    model: &PumpModel,
    op: &OperatingPoint,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let vane = Harmonics::new(&[1.0, 0.6, 0.3], rng);
    let hum = Harmonics::new(&[0.2, 1.0, 0.25], rng);
    let shaft_gain = db(uniform(rng, -28.0, -20.0));
    let hum_gain = db(uniform(rng, -26.0, -18.0));
    let mut flow_lp = Biquad::lowpass(model.flow_cutoff_hz, 0.7);
    let mut pipe = Biquad::bandpass(model.pipe_hz * (1.0 + uniform(rng, -0.04, 0.04)), 4.0);
    let mut slosh = Drift::new(0.3, rng);
    let mut wobble = Drift::new(0.9, rng);
    let mut line = Phase::new(rng.random::<f32>());
    let mut rotation = rng.random::<f64>();
    (0..n)
        .map(|_| {
            rotation += (op.rotation_hz * (1.0 + 0.003 * wobble.next(rng)) / SAMPLE_RATE) as f64;
            let w = white(rng);
            let flow = (flow_lp.process(w) + 1.5 * pipe.process(w))
                * op.flow_gain
                * (1.0 + op.roughness * slosh.next(rng));
            line.advance(50.0);
            flow + op.vane_gain * vane.at(wrap64(rotation * model.vanes as f64))
                + shaft_gain * sin_cycles(wrap64(rotation))
                + hum_gain * hum.at(line.cycles())
        })
        .collect()
}

/// Cavitation: collapsing bubbles heard as sharp broadband clicks, bunched into bursts whose
/// density wanders over the clip.
fn cavitation(n: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let secs = n as f32 / SAMPLE_RATE;
    let max_rate = uniform(rng, 150.0, 400.0);
    let mut density = Drift::new(uniform(rng, 0.15, 0.4), rng);
    let density_at: Vec<f32> = (0..n).map(|_| density.next(rng).max(0.0)).collect();
    let mut excitation = vec![0.0; n];
    for t in poisson_times(rng, max_rate, 0.0, secs) {
        let i = ((t * SAMPLE_RATE) as usize).min(n - 1);
        if rng.random::<f32>() < density_at[i] {
            add_impulse(&mut excitation, t, uniform(rng, 0.2, 1.0));
        }
    }
    let mut high = Biquad::highpass(1200.0, 0.7);
    let mut ring = Biquad::resonator(uniform(rng, 3000.0, 6000.0), 0.0004);
    excitation
        .iter()
        .map(|e| high.process(*e) + ring.process(*e))
        .collect()
}

/// A leaking seal: steady hiss in a 2.5-6 kHz band with a slight flutter.
fn leak(n: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut band = Biquad::bandpass(uniform(rng, 2500.0, 6000.0), uniform(rng, 1.0, 2.0));
    let mut flutter = Drift::new(0.2, rng);
    (0..n)
        .map(|_| band.process(white(rng)) * (1.0 + 0.15 * flutter.next(rng)))
        .collect()
}
