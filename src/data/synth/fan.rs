//! Industrial fan: aerodynamic broadband noise shaped by the duct, the blade-pass tone
//! (rotation × blades) with harmonics, motor slot whine and 100 Hz magnetic hum.
//!
//! Faults: `imbalance` (amplitude modulation and a shaft tone at 1× rotation), `bearing` (an
//! outer-race defect: impulses at ≈3.05-3.6× rotation ringing a structural resonance, stronger
//! in the load zone) and `blade_rub` (a short scrape once per revolution, not every revolution).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Drift, Harmonics, OnePole, Phase, SAMPLE_RATE, add_impulse, crossing_times, db,
    mix_at_relative_db, set_clip_level, sin_cycles, uniform, white, wrap64,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["imbalance", "bearing", "blade_rub"];

/// RMS of a normal fan clip before the background is added.
pub(super) const LEVEL: f32 = 0.05;

/// What makes one fan model (machine ID) sound like itself.
struct FanModel {
    rotation_hz: f32,
    blades: f64,
    duct_hz: f32,
    brightness_hz: f32,
    blade_tone_db: f32,
    motor_slots: f64,
}

/// Fan models for id_00 .. id_06.
const MODELS: [FanModel; 7] = [
    FanModel {
        rotation_hz: 16.3,
        blades: 7.0,
        duct_hz: 520.0,
        brightness_hz: 1600.0,
        blade_tone_db: -9.0,
        motor_slots: 36.0,
    },
    FanModel {
        rotation_hz: 21.0,
        blades: 5.0,
        duct_hz: 760.0,
        brightness_hz: 2600.0,
        blade_tone_db: -7.0,
        motor_slots: 24.0,
    },
    FanModel {
        rotation_hz: 14.2,
        blades: 9.0,
        duct_hz: 1100.0,
        brightness_hz: 3000.0,
        blade_tone_db: -11.0,
        motor_slots: 30.0,
    },
    FanModel {
        rotation_hz: 24.8,
        blades: 6.0,
        duct_hz: 980.0,
        brightness_hz: 3200.0,
        blade_tone_db: -8.0,
        motor_slots: 42.0,
    },
    FanModel {
        rotation_hz: 18.5,
        blades: 11.0,
        duct_hz: 300.0,
        brightness_hz: 1000.0,
        blade_tone_db: -12.0,
        motor_slots: 27.0,
    },
    FanModel {
        rotation_hz: 12.6,
        blades: 8.0,
        duct_hz: 350.0,
        brightness_hz: 1200.0,
        blade_tone_db: -10.0,
        motor_slots: 33.0,
    },
    FanModel {
        rotation_hz: 27.5,
        blades: 4.0,
        duct_hz: 1600.0,
        brightness_hz: 4200.0,
        blade_tone_db: -6.0,
        motor_slots: 48.0,
    },
];

/// Render `n` samples of fan `id` (0..7) with an optional fault (index into [`FAULTS`]).
/// Normal variation comes from `rng`, everything about the fault from `fault_rng`.
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let imbalance_depth = if fault == Some(0) {
        uniform(fault_rng, 0.06, 0.22)
    } else {
        0.0
    };
    let (mut out, cycles) = rotor(model, imbalance_depth, n, rng);
    set_clip_level(&mut out, LEVEL, rng);
    let layer = match fault {
        Some(1) => Some((
            bearing_defect(&cycles, fault_rng),
            uniform(fault_rng, -26.0, -17.0),
        )),
        Some(2) => Some((
            blade_rub(&cycles, fault_rng),
            uniform(fault_rng, -26.0, -17.0),
        )),
        _ => None,
    };
    if let Some((mut layer, rel_db)) = layer {
        mix_at_relative_db(&mut out, &mut layer, rel_db);
    }
    out
}

/// The healthy rotor with clip-to-clip variation of speed, load and tone balance; returns the
/// signal and the cumulative shaft rotation (cycles) at every sample.
fn rotor(
    model: &FanModel,
    imbalance_depth: f32,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<f32>, Vec<f64>) {
    let speed = model.rotation_hz * (1.0 + uniform(rng, -0.04, 0.04));
    let air_gain = db(uniform(rng, -2.0, 2.0));
    let tone_gain = db(model.blade_tone_db + uniform(rng, -3.0, 3.0));
    let whine_gain = db(uniform(rng, -30.0, -22.0));
    let hum_gain = db(uniform(rng, -26.0, -16.0));
    let blade = Harmonics::new(&[1.0, 0.5, 0.25, 0.12], rng);
    let hum = Harmonics::new(&[0.15, 1.0, 0.3], rng);
    let mut duct = Biquad::bandpass(model.duct_hz * (1.0 + uniform(rng, -0.03, 0.03)), 1.2);
    let mut bright = Biquad::lowpass(model.brightness_hz, 0.6);
    let mut wobble = Drift::new(1.3, rng);
    let mut turbulence = Drift::new(0.7, rng);
    let mut line = Phase::new(rng.random::<f32>());
    let mut rotation = rng.random::<f64>();
    let shaft_offset = rng.random::<f32>();
    let mut out = Vec::with_capacity(n);
    let mut cycles = Vec::with_capacity(n);
    for _ in 0..n {
        let f = speed * (1.0 + 0.004 * wobble.next(rng));
        rotation += (f / SAMPLE_RATE) as f64;
        let blade_phase = wrap64(rotation * model.blades);
        let w = white(rng);
        let air = (duct.process(w) + 0.8 * bright.process(w))
            * air_gain
            * (1.0 + 0.08 * turbulence.next(rng))
            * (1.0 + 0.2 * sin_cycles(blade_phase));
        line.advance(50.0);
        let mut y = air
            + tone_gain * blade.at(blade_phase)
            + whine_gain * sin_cycles(wrap64(rotation * model.motor_slots))
            + hum_gain * hum.at(line.cycles());
        if imbalance_depth > 0.0 {
            let shaft = sin_cycles(wrap64(rotation) + shaft_offset);
            y = y * (1.0 + imbalance_depth * shaft) + 0.5 * imbalance_depth * shaft;
        }
        out.push(y);
        cycles.push(rotation);
    }
    (out, cycles)
}

/// Outer-race defect: one impulse per ball pass (3.05-3.6 per shaft turn), amplitude jittered
/// and modulated once per turn (load zone), ringing a 2.5-5 kHz resonance for 1-2 ms.
fn bearing_defect(cycles: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let ratio = uniform(rng, 3.05, 3.6) as f64;
    let mut excitation = vec![0.0; cycles.len()];
    for t in crossing_times(cycles, ratio) {
        let i = ((t * SAMPLE_RATE) as usize).min(cycles.len() - 1);
        let load = 0.65 + 0.35 * sin_cycles(wrap64(cycles[i]));
        add_impulse(&mut excitation, t, load * (1.0 + 0.3 * white(rng)).max(0.1));
    }
    let mut ring = Biquad::resonator(uniform(rng, 2500.0, 5000.0), uniform(rng, 0.001, 0.002));
    ring.process_buffer(&mut excitation);
    excitation
}

/// Blade tip rubbing the housing: a 2-6 ms high-frequency scrape at one point of each turn,
/// present on most but not all turns.
fn blade_rub(cycles: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let presence = uniform(rng, 0.5, 0.9);
    let burst_s = uniform(rng, 0.002, 0.006);
    let offset = rng.random::<f64>();
    let shifted: Vec<f64> = cycles.iter().map(|c| c + offset).collect();
    let mut envelope = vec![0.0f32; cycles.len()];
    let burst_len = (burst_s * SAMPLE_RATE) as usize;
    for t in crossing_times(&shifted, 1.0) {
        if rng.random::<f32>() > presence {
            continue;
        }
        let start = (t * SAMPLE_RATE) as usize;
        let amp = uniform(rng, 0.5, 1.0);
        for (k, e) in envelope.iter_mut().skip(start).take(burst_len).enumerate() {
            *e = amp * (1.0 - k as f32 / burst_len as f32);
        }
    }
    let mut high = Biquad::highpass(2500.0, 0.7);
    let mut tone = Biquad::bandpass(uniform(rng, 3000.0, 6000.0), 3.0);
    let mut smooth = OnePole::lowpass(400.0);
    envelope
        .iter()
        .map(|e| {
            let e = smooth.process(*e);
            let w = high.process(white(rng));
            e * (w + 2.0 * tone.process(w))
        })
        .collect()
}
