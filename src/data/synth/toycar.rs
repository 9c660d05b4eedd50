//! Toy car (DCASE `ToyCar`, from ToyADMOS): a small brushed DC motor drives the wheels through a
//! gearbox while the car runs on a track. Heard: the commutator whine (rotation × brush ripples per
//! turn) whose pitch wanders with the track load, the gear-mesh tone (rotation × pinion teeth) with
//! harmonics, the rotor's rotation tone, brush noise coloured by the chassis and wheel rolling
//! noise over a low track rumble (docs/DESIGN.md §1.11).
//!
//! Faults: `chipped_tooth` (a broken tooth on the wheel gear: one impact per wheel turn ringing the
//! gearbox), `bent_shaft` (a bent axle: the mesh and rolling sounds swell and the speed wavers
//! once per wheel turn) and `overload` (excess drag: the motor slows and strains, and the wheels
//! rub with broadband friction).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Drift, Harmonics, SAMPLE_RATE, add_impulse, crossing_times, db, mix_at_relative_db,
    set_clip_level, sin_cycles, uniform, white, wrap64,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["chipped_tooth", "bent_shaft", "overload"];

/// RMS of a normal toy-car clip before the background is added.
pub(super) const LEVEL: f32 = 0.05;

/// What makes one toy-car model (machine ID) sound like itself.
struct CarModel {
    /// Motor shaft rotation (Hz) at nominal load.
    motor_hz: f32,
    /// Commutator torque ripples per motor turn (2 × the rotor poles).
    ripples: f64,
    /// Teeth of the motor pinion: the mesh tone is rotation × teeth.
    pinion_teeth: f64,
    /// Motor turns per wheel turn (the gearbox reduction).
    ratio: f64,
    /// Centre of the wheel-on-track rolling noise.
    rolling_hz: f32,
    /// Chassis resonance that colours the brush noise and the gear impacts.
    body_hz: f32,
    /// Mesh tone level relative to the whine.
    mesh_db: f32,
}

/// Toy-car models for id_00 .. id_06.
const MODELS: [CarModel; 7] = [
    CarModel {
        motor_hz: 205.0,
        ripples: 6.0,
        pinion_teeth: 10.0,
        ratio: 12.0,
        rolling_hz: 700.0,
        body_hz: 1900.0,
        mesh_db: -4.0,
    },
    CarModel {
        motor_hz: 180.0,
        ripples: 10.0,
        pinion_teeth: 8.0,
        ratio: 15.0,
        rolling_hz: 950.0,
        body_hz: 2700.0,
        mesh_db: -2.0,
    },
    CarModel {
        motor_hz: 110.0,
        ripples: 6.0,
        pinion_teeth: 12.0,
        ratio: 8.0,
        rolling_hz: 380.0,
        body_hz: 1100.0,
        mesh_db: -6.0,
    },
    CarModel {
        motor_hz: 290.0,
        ripples: 6.0,
        pinion_teeth: 9.0,
        ratio: 18.0,
        rolling_hz: 1150.0,
        body_hz: 3300.0,
        mesh_db: -1.0,
    },
    CarModel {
        motor_hz: 330.0,
        ripples: 10.0,
        pinion_teeth: 7.0,
        ratio: 22.0,
        rolling_hz: 1500.0,
        body_hz: 4200.0,
        mesh_db: -3.0,
    },
    CarModel {
        motor_hz: 226.0,
        ripples: 14.0,
        pinion_teeth: 7.0,
        ratio: 14.0,
        rolling_hz: 820.0,
        body_hz: 2300.0,
        mesh_db: -3.0,
    },
    CarModel {
        motor_hz: 315.0,
        ripples: 6.0,
        pinion_teeth: 13.0,
        ratio: 20.0,
        rolling_hz: 2200.0,
        body_hz: 5500.0,
        mesh_db: 0.0,
    },
];

/// Operating point of one clip: speed, how strongly the track load sways it, component levels.
struct Drive {
    motor_hz: f32,
    sway: f32,
    whine_gain: f32,
    mesh_gain: f32,
    brush_gain: f32,
    rolling_gain: f32,
    shaft_gain: f32,
}

/// Render `n` samples of toy car `id` (0..7) with an optional fault (index into [`FAULTS`]).
/// Normal variation comes from `rng`, everything about the fault from `fault_rng`.
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let mut drive = operating_point(model, rng);
    let wobble = if fault == Some(1) {
        uniform(fault_rng, 0.3, 0.6)
    } else {
        0.0
    };
    if fault == Some(2) {
        overload(&mut drive, fault_rng);
    }
    let (mut out, wheel) = running_car(model, &drive, wobble, n, rng);
    set_clip_level(&mut out, LEVEL, rng);
    let layer = match fault {
        Some(0) => Some((
            chipped_tooth(model, &wheel, fault_rng),
            uniform(fault_rng, -14.0, -6.0),
        )),
        Some(2) => Some((
            friction(&wheel, fault_rng),
            uniform(fault_rng, -28.0, -20.0),
        )),
        _ => None,
    };
    if let Some((mut layer, rel_db)) = layer {
        mix_at_relative_db(&mut out, &mut layer, rel_db);
    }
    out
}

/// The clip's speed (±4 %), track-load sway (1-3 %) and tone balance (±2-3 dB per component).
fn operating_point(model: &CarModel, rng: &mut ChaCha8Rng) -> Drive {
    Drive {
        motor_hz: model.motor_hz * (1.0 + uniform(rng, -0.04, 0.04)),
        sway: uniform(rng, 0.01, 0.03),
        whine_gain: db(uniform(rng, -12.0, -8.0)),
        mesh_gain: db(model.mesh_db - 10.0 + uniform(rng, -3.0, 3.0)),
        brush_gain: db(uniform(rng, -2.0, 2.0)),
        rolling_gain: db(uniform(rng, -2.0, 2.0)),
        shaft_gain: db(uniform(rng, -17.0, -11.0)),
    }
}

/// Excess drag: the motor slows by 5-12 % and its whine grows 1-4 dB as it draws more current.
fn overload(drive: &mut Drive, rng: &mut ChaCha8Rng) {
    drive.motor_hz *= 1.0 - uniform(rng, 0.03, 0.07);
    drive.whine_gain *= db(uniform(rng, 0.5, 2.5));
}

/// The running car; `wobble` > 0 is a bent axle's modulation depth. Returns the signal and the
/// cumulative wheel rotation (cycles) at every sample.
fn running_car(
    model: &CarModel,
    drive: &Drive,
    wobble: f32,
    n: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<f32>, Vec<f64>) {
    let whine = Harmonics::new(&[1.0, 0.45, 0.2], rng);
    let mesh = Harmonics::new(&[1.0, 0.5, 0.3, 0.15], rng);
    let mut brush_band = Biquad::bandpass(model.body_hz * (1.0 + uniform(rng, -0.03, 0.03)), 0.8);
    let shaft = Harmonics::new(&[1.0, 0.35], rng);
    let mut rolling = Biquad::bandpass(model.rolling_hz, 1.0);
    // The track's low rumble under the wheels, below the rolling band.
    let mut rumble = Biquad::lowpass(0.3 * model.rolling_hz, 0.7);
    let mut track = Drift::new(uniform(rng, 0.3, 0.8), rng);
    let mut bumps = Drift::new(0.05, rng);
    let axle_offset = rng.random::<f32>();
    let mut motor = rng.random::<f64>();
    let mut wheel_record = Vec::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let axle = sin_cycles(wrap64(motor / model.ratio) + axle_offset);
        let f =
            drive.motor_hz * (1.0 + drive.sway * track.next(rng)) * (1.0 + 0.06 * wobble * axle);
        motor += (f / SAMPLE_RATE) as f64;
        let ripple = wrap64(motor * model.ripples);
        let brush = brush_band.process(white(rng)) * (1.0 + 0.6 * sin_cycles(ripple));
        let w = white(rng);
        let roll = (rolling.process(w) + 0.7 * rumble.process(w)) * (1.0 + 0.3 * bumps.next(rng));
        let geared = drive.mesh_gain * mesh.at(wrap64(motor * model.pinion_teeth))
            + drive.rolling_gain * roll;
        let geared = geared * (1.0 + wobble * axle);
        // A small residual rotor imbalance: every motor has a tone at its rotation rate.
        let rotor = drive.shaft_gain * shaft.at(wrap64(motor));
        out.push(drive.whine_gain * whine.at(ripple) + drive.brush_gain * brush + rotor + geared);
        wheel_record.push(motor / model.ratio);
    }
    (out, wheel_record)
}

/// A chipped tooth on the wheel gear: where it meets the pinion, once per wheel turn, the mesh
/// jolts; each impact (±30 % strength) rings the gearbox at 1.2-2× the chassis resonance for
/// 1.5-4 ms.
fn chipped_tooth(model: &CarModel, wheel: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let offset = rng.random::<f64>();
    let shifted: Vec<f64> = wheel.iter().map(|c| c + offset).collect();
    let mut excitation = vec![0.0; wheel.len()];
    for t in crossing_times(&shifted, 1.0) {
        add_impulse(&mut excitation, t, uniform(rng, 0.7, 1.3));
    }
    let ring_hz = (model.body_hz * uniform(rng, 1.2, 2.0)).min(7000.0);
    let mut ring = Biquad::resonator(ring_hz, uniform(rng, 0.0015, 0.004));
    let mut knock = Biquad::resonator(uniform(rng, 400.0, 900.0), 0.006);
    excitation
        .iter()
        .map(|e| ring.process(*e) + 0.4 * knock.process(*e))
        .collect()
}

/// Drag friction: broadband rubbing noise (a 1.5-4 kHz band over a high-passed floor) that
/// swells where the wheel binds, once per wheel turn, and wanders in strength.
fn friction(wheel: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut band = Biquad::bandpass(uniform(rng, 1500.0, 4000.0), 0.8);
    let mut floor = Biquad::highpass(800.0, 0.7);
    let mut grip = Drift::new(uniform(rng, 0.1, 0.3), rng);
    let offset = rng.random::<f32>();
    wheel
        .iter()
        .map(|c| {
            let bind = 1.0 + 0.5 * sin_cycles(wrap64(*c) + offset);
            let w = white(rng);
            bind * (1.0 + 0.3 * grip.next(rng)) * (band.process(w) + 0.5 * floor.process(w))
        })
        .collect()
}
