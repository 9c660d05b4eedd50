//! Toy conveyor (DCASE `ToyConveyor`, from ToyADMOS): a geared motor turns the drive roller, the
//! belt runs over idler rollers. Heard: the gear-motor whine, roller rumble (the rollers and frame
//! excited by the moving belt, swelling once per roller turn), belt flutter, and belt slap each
//! time the belt's seam runs over a roller; the load on the belt sways the speed
//! (docs/DESIGN.md §1.11).
//!
//! Faults: `worn_roller` (a worn, out-of-round roller: a rough grinding rumble pulsing once per
//! roller turn), `misalignment` (the belt tracks off-centre and its edge scrapes the frame: a
//! wandering high-frequency scrape) and `foreign_object` (something stuck on the belt ticks
//! against each roller it passes, once per belt loop and roller).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::dsp::{
    Biquad, Drift, Harmonics, OnePole, Phase, SAMPLE_RATE, add_impulse, crossing_times, db,
    mix_at_relative_db, set_clip_level, sin_cycles, uniform, white, wrap64,
};

/// Fault kinds, in the order `fault` indices refer to.
pub(super) const FAULTS: &[&str] = &["worn_roller", "misalignment", "foreign_object"];

/// RMS of a normal toy-conveyor clip before the background is added.
pub(super) const LEVEL: f32 = 0.04;

/// What makes one toy-conveyor model (machine ID) sound like itself.
struct ConveyorModel {
    /// Drive-roller rotation (Hz) at nominal load.
    roller_hz: f32,
    /// Motor turns per roller turn: the whine's fundamental is roller_hz × this.
    gear_ratio: f32,
    /// Rollers the belt runs over per loop (the seam slaps each of them).
    rollers: f64,
    /// Roller turns per belt loop (belt length / roller circumference).
    loop_turns: f64,
    /// Roller and frame resonance of the rumble.
    rumble_hz: f32,
    /// Belt resonance struck by the seam.
    slap_hz: f32,
    /// Centre of the belt flutter noise.
    belt_hz: f32,
}

/// Toy-conveyor models for id_00 .. id_06.
const MODELS: [ConveyorModel; 7] = [
    ConveyorModel {
        roller_hz: 4.2,
        gear_ratio: 110.0,
        rollers: 3.0,
        loop_turns: 6.0,
        rumble_hz: 220.0,
        slap_hz: 420.0,
        belt_hz: 1400.0,
    },
    ConveyorModel {
        roller_hz: 5.5,
        gear_ratio: 140.0,
        rollers: 4.0,
        loop_turns: 8.0,
        rumble_hz: 340.0,
        slap_hz: 650.0,
        belt_hz: 2000.0,
    },
    ConveyorModel {
        roller_hz: 3.4,
        gear_ratio: 180.0,
        rollers: 5.0,
        loop_turns: 10.0,
        rumble_hz: 150.0,
        slap_hz: 300.0,
        belt_hz: 900.0,
    },
    ConveyorModel {
        roller_hz: 6.8,
        gear_ratio: 95.0,
        rollers: 3.0,
        loop_turns: 5.0,
        rumble_hz: 480.0,
        slap_hz: 850.0,
        belt_hz: 2600.0,
    },
    ConveyorModel {
        roller_hz: 4.8,
        gear_ratio: 210.0,
        rollers: 4.0,
        loop_turns: 7.0,
        rumble_hz: 280.0,
        slap_hz: 520.0,
        belt_hz: 3200.0,
    },
    ConveyorModel {
        roller_hz: 3.9,
        gear_ratio: 125.0,
        rollers: 6.0,
        loop_turns: 12.0,
        rumble_hz: 190.0,
        slap_hz: 380.0,
        belt_hz: 1150.0,
    },
    ConveyorModel {
        roller_hz: 7.5,
        gear_ratio: 160.0,
        rollers: 3.0,
        loop_turns: 4.0,
        rumble_hz: 600.0,
        slap_hz: 1000.0,
        belt_hz: 3800.0,
    },
];

/// Render `n` samples of toy conveyor `id` (0..7) with an optional fault (index into
/// [`FAULTS`]). Normal variation comes from `rng`, everything about the fault from `fault_rng`.
pub(super) fn render(
    id: usize,
    fault: Option<usize>,
    n: usize,
    rng: &mut ChaCha8Rng,
    fault_rng: &mut ChaCha8Rng,
) -> Vec<f32> {
    let model = &MODELS[id];
    let roller = roller_rotation(model, n, rng);
    let mut out = running_belt(model, &roller, rng);
    set_clip_level(&mut out, LEVEL, rng);
    let layer = match fault {
        Some(0) => Some((
            worn_roller(&roller, fault_rng),
            uniform(fault_rng, -10.0, -4.0),
        )),
        Some(1) => Some((
            misalignment(model, &roller, fault_rng),
            uniform(fault_rng, -14.0, -7.0),
        )),
        Some(2) => Some((
            foreign_object(model, &roller, fault_rng),
            uniform(fault_rng, -18.0, -10.0),
        )),
        _ => None,
    };
    if let Some((mut layer, rel_db)) = layer {
        mix_at_relative_db(&mut out, &mut layer, rel_db);
    }
    out
}

/// Cumulative drive-roller rotation (cycles) per sample: the clip's speed (±4 %) swayed by the
/// load on the belt (1-3 %, wandering every 0.5-1.5 s).
fn roller_rotation(model: &ConveyorModel, n: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let speed = model.roller_hz * (1.0 + uniform(rng, -0.04, 0.04));
    let sway = uniform(rng, 0.01, 0.03);
    let mut load = Drift::new(uniform(rng, 0.5, 1.5), rng);
    let mut rotation = rng.random::<f64>() * model.loop_turns;
    (0..n)
        .map(|_| {
            rotation += (speed * (1.0 + sway * load.next(rng)) / SAMPLE_RATE) as f64;
            rotation
        })
        .collect()
}

/// The healthy conveyor along a roller rotation record: whine, rumble, flutter and seam slaps.
fn running_belt(model: &ConveyorModel, roller: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let slaps = seam_slaps(model, roller, rng);
    let whine = Harmonics::new(&[1.0, 0.5, 0.3, 0.15], rng);
    let hum = Harmonics::new(&[0.2, 1.0, 0.3], rng);
    let whine_gain = db(uniform(rng, -16.0, -11.0));
    let hum_gain = db(uniform(rng, -28.0, -20.0));
    let rumble_gain = db(uniform(rng, -2.0, 2.0));
    let flutter_gain = db(uniform(rng, -12.0, -7.0));
    let mut rumble = Biquad::bandpass(model.rumble_hz * (1.0 + uniform(rng, -0.04, 0.04)), 1.5);
    let mut body = Biquad::lowpass(model.rumble_hz * 3.0, 0.7);
    let mut flutter = Biquad::bandpass(model.belt_hz, 1.2);
    let mut slap = Biquad::resonator(model.slap_hz, 0.015);
    let mut thump = Biquad::resonator(0.5 * model.slap_hz, 0.03);
    let mut flap = Drift::new(0.08, rng);
    let mut line = Phase::new(rng.random::<f32>());
    let roller_offset = rng.random::<f32>();
    roller
        .iter()
        .zip(&slaps)
        .map(|(r, s)| {
            let turn = sin_cycles(wrap64(*r) + roller_offset);
            let w = white(rng);
            let rolling =
                rumble_gain * (rumble.process(w) + 0.4 * body.process(w)) * (1.0 + 0.25 * turn);
            line.advance(50.0);
            rolling
                + flutter_gain * flutter.process(white(rng)) * (1.0 + 0.4 * flap.next(rng))
                + whine_gain * whine.at(wrap64(*r * model.gear_ratio as f64))
                + hum_gain * hum.at(line.cycles())
                + slap.process(*s)
                + 0.6 * thump.process(*s)
        })
        .collect()
}

/// Impulses where the belt's seam runs over a roller: `rollers` per belt loop, ±20 % strength.
fn seam_slaps(model: &ConveyorModel, roller: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let strength = db(uniform(rng, -4.0, 0.0));
    let belt: Vec<f64> = roller.iter().map(|r| r / model.loop_turns).collect();
    let mut impulses = vec![0.0; roller.len()];
    for t in crossing_times(&belt, model.rollers) {
        add_impulse(&mut impulses, t, strength * uniform(rng, 0.8, 1.2));
    }
    impulses
}

/// A worn roller: where its surface is worn flat (a 20-30 % arc), each turn grinds in a
/// 300-1200 Hz band and ends in a dull knock.
fn worn_roller(roller: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut grind = Biquad::bandpass(uniform(rng, 300.0, 1200.0), 2.0);
    let mut knock = Biquad::resonator(uniform(rng, 120.0, 300.0), 0.02);
    let threshold = uniform(rng, 0.55, 0.7);
    let offset = rng.random::<f64>();
    let shifted: Vec<f64> = roller.iter().map(|r| r + offset).collect();
    let mut hits = vec![0.0; roller.len()];
    for t in crossing_times(&shifted, 1.0) {
        add_impulse(&mut hits, t, uniform(rng, 2.0, 4.0));
    }
    shifted
        .iter()
        .zip(&hits)
        .map(|(r, h)| {
            let flat = ((sin_cycles(wrap64(*r)) - threshold) / (1.0 - threshold)).max(0.0);
            flat * grind.process(white(rng)) + knock.process(*h)
        })
        .collect()
}

/// Belt edge scraping the frame: a 2-6 kHz scrape whose strength follows the belt's tracking
/// (wandering every 0.3-1 s, sometimes clear of the frame) and the uneven edge along each loop.
fn misalignment(model: &ConveyorModel, roller: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut band = Biquad::bandpass(uniform(rng, 2000.0, 6000.0), 1.5);
    let mut edge = Biquad::highpass(1500.0, 0.7);
    let mut tracking = Drift::new(uniform(rng, 0.3, 1.0), rng);
    let mut smooth = OnePole::lowpass(20.0);
    let bias = uniform(rng, 0.2, 0.6);
    let offset = rng.random::<f32>();
    roller
        .iter()
        .map(|r| {
            let contact = smooth.process((bias + tracking.next(rng)).max(0.0));
            let uneven = 0.6 + 0.4 * sin_cycles(wrap64(*r / model.loop_turns) + offset);
            let w = white(rng);
            contact * uneven * (band.process(w) + 0.3 * edge.process(w))
        })
        .collect()
}

/// A foreign object stuck on the belt: a sharp tick (1.5-4.5 kHz, 1-2.5 ms) each time it runs
/// over one of the rollers.
fn foreign_object(model: &ConveyorModel, roller: &[f64], rng: &mut ChaCha8Rng) -> Vec<f32> {
    let offset = rng.random::<f64>();
    let belt: Vec<f64> = roller
        .iter()
        .map(|r| r / model.loop_turns + offset)
        .collect();
    let mut ticks = vec![0.0; roller.len()];
    for t in crossing_times(&belt, model.rollers) {
        add_impulse(&mut ticks, t, uniform(rng, 0.7, 1.3));
    }
    let mut ring = Biquad::resonator(uniform(rng, 1500.0, 4500.0), uniform(rng, 0.001, 0.0025));
    let mut rattle = Biquad::resonator(uniform(rng, 5000.0, 7000.0), 0.0008);
    ticks
        .iter()
        .map(|t| ring.process(*t) + 0.5 * rattle.process(*t))
        .collect()
}
