//! Built-in synthetic machine sounds: the zero-download demo data and the test data.
//! Deterministic from a seed.
//!
//! All six machine types of the DCASE 2020 Task 2 dev set (docs/DESIGN.md §1.1, §1.11) are
//! modelled from their physics: `fan`, `pump`, `slider`, `valve`, `ToyCar` and `ToyConveyor`
//! (DCASE's spelling), each with machine IDs `id_00` .. `id_06` (the dev IDs 00, 02, 04, 06 of the
//! four MIMII types are the defaults; 01, 03, 05 mirror their eval IDs). The toy types share this
//! scheme rather than DCASE's ToyCar 01-07 / ToyConveyor 01-06, so that one `--ids` list fits
//! every type. IDs differ in speed, geometry and resonances. Every clip varies in speed, load and factory background;
//! anomalous clips add one physically motivated fault at a subtle level (see each type's module).
//!
//! Difficulty: fault levels are calibrated so that a rank-8 PCA of the log-Mel vectors (a linear
//! stand-in for the DCASE autoencoder, `tests/synth_proxy.rs`) reaches AUC ≈ 0.7-0.9 per type:
//! detectable, not trivial. To be re-tuned once the real models run.
//!
//! Each clip is seeded from (seed, type, ID, label, index) alone, so it does not depend on which
//! or how many other clips are generated. Output: 16 kHz mono `f32`, peak at most
//! [`PEAK_LIMIT`].

mod background;
mod dataset;
mod dsp;
mod fan;
mod pump;
mod seed;
mod slider;
mod toycar;
mod toyconveyor;
mod valve;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::data::{ClipEntry, Label};
use dataset::{PlannedClip, plan};
use seed::{clip_seed, hash_names, splitmix64};

pub use dsp::SAMPLE_RATE;

/// Longest clip the generator accepts, in seconds.
pub const MAX_SECS: f32 = 60.0;

/// Largest absolute sample value of a generated clip (headroom below full scale).
pub const PEAK_LIMIT: f32 = 0.9;

/// Test clip number N of a data set (normal or anomalous) is `generate_clip` index
/// `TEST_INDEX_OFFSET + N`; train clip N is index N. So train and test clips never coincide.
pub const TEST_INDEX_OFFSET: usize = 1 << 30;

/// Every machine ID the generator knows (the same for all types).
const ALL_IDS: [&str; 7] = [
    "id_00", "id_01", "id_02", "id_03", "id_04", "id_05", "id_06",
];

/// The default machine IDs: those of the DCASE 2020 dev set (docs/DESIGN.md §1.1).
const DEFAULT_IDS: [&str; 4] = ["id_00", "id_02", "id_04", "id_06"];

/// Renders `n` samples: (ID index, fault index, n, normal-variation RNG, fault RNG).
type RenderFn = fn(usize, Option<usize>, usize, &mut ChaCha8Rng, &mut ChaCha8Rng) -> Vec<f32>;

/// One machine type: its name, its fault kinds and its renderer.
struct Machine {
    name: &'static str,
    /// RMS of the type's normal machine sound, before the background.
    level: f32,
    faults: &'static [&'static str],
    render: RenderFn,
}

/// The machine types, in the order of [`machine_types`].
const MACHINES: [Machine; 6] = [
    Machine {
        name: "fan",
        level: fan::LEVEL,
        faults: fan::FAULTS,
        render: fan::render,
    },
    Machine {
        name: "pump",
        level: pump::LEVEL,
        faults: pump::FAULTS,
        render: pump::render,
    },
    Machine {
        name: "slider",
        level: slider::LEVEL,
        faults: slider::FAULTS,
        render: slider::render,
    },
    Machine {
        name: "valve",
        level: valve::LEVEL,
        faults: valve::FAULTS,
        render: valve::render,
    },
    Machine {
        name: "ToyCar",
        level: toycar::LEVEL,
        faults: toycar::FAULTS,
        render: toycar::render,
    },
    Machine {
        name: "ToyConveyor",
        level: toyconveyor::LEVEL,
        faults: toyconveyor::FAULTS,
        render: toyconveyor::render,
    },
];

/// Options of a synthetic data set in DCASE dev layout.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynthConfig {
    /// Machine types, e.g. ["fan", "pump", "slider", "valve", "ToyCar", "ToyConveyor"].
    pub types: Vec<String>,
    /// Machine IDs, e.g. ["id_00", "id_02"]; empty = the type's default IDs.
    pub ids: Vec<String>,
    /// Normal training clips per machine ID.
    pub train_per_id: usize,
    /// Normal test clips per machine ID.
    pub test_normal_per_id: usize,
    /// Anomalous test clips per machine ID.
    pub test_anomaly_per_id: usize,
    /// Clip length in seconds, in (0, 60].
    pub secs: f32,
    /// Seed of the whole data set.
    pub seed: u64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            types: machine_types().into_iter().map(String::from).collect(),
            ids: vec![],
            train_per_id: 20,
            test_normal_per_id: 10,
            test_anomaly_per_id: 10,
            secs: 10.0,
            seed: 0,
        }
    }
}

/// One generated clip: its DCASE relative path and 16 kHz mono samples.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthClip {
    /// Where the clip lives in the DCASE dev layout, with its type, ID, split and label.
    pub entry: crate::data::ClipEntry,
    /// 16 kHz mono samples, |x| ≤ [`PEAK_LIMIT`].
    pub samples: Vec<f32>,
}

/// Errors of the generator.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SynthError {
    /// A machine type the generator does not model.
    #[error("unknown synthetic machine type {name:?}; valid types: {valid}")]
    UnknownType { name: String, valid: String },
    /// A machine ID outside the type's list.
    #[error("unknown machine ID {id:?} for synthetic {machine_type}; valid IDs: {valid}")]
    UnknownId {
        machine_type: String,
        id: String,
        valid: String,
    },
    /// A fault kind the type does not have.
    #[error("unknown fault {fault:?} for synthetic {machine_type}; valid faults: {valid}")]
    UnknownFault {
        machine_type: String,
        fault: String,
        valid: String,
    },
    /// A clip length outside (0, 60] s.
    #[error("clip length {secs} s is out of range: it must be > 0 and ≤ 60 s")]
    BadSecs { secs: f32 },
    /// Writing a file or folder failed.
    #[error("cannot write {path}: {message}")]
    Io { path: String, message: String },
}

/// The machine types the generator models.
pub fn machine_types() -> Vec<&'static str> {
    MACHINES.iter().map(|m| m.name).collect()
}

/// Every machine ID valid for `machine_type` (id_00 .. id_06).
pub fn valid_ids(machine_type: &str) -> Result<&'static [&'static str], SynthError> {
    machine(machine_type)?;
    Ok(&ALL_IDS)
}

/// The IDs used when [`SynthConfig::ids`] is empty: the DCASE dev IDs 00, 02, 04, 06.
pub fn default_ids(machine_type: &str) -> Result<&'static [&'static str], SynthError> {
    machine(machine_type)?;
    Ok(&DEFAULT_IDS)
}

/// The fault kinds of `machine_type`, e.g. `["imbalance", "bearing", "blade_rub"]` for fans.
pub fn fault_kinds(machine_type: &str) -> Result<&'static [&'static str], SynthError> {
    Ok(machine(machine_type)?.faults)
}

/// The fault that [`generate_clip`] renders for an anomalous clip: the kinds take turns along
/// `index`, starting at a point that depends on the seed, type and ID.
pub fn fault_for(
    machine_type: &str,
    machine_id: &str,
    index: usize,
    seed: u64,
) -> Result<&'static str, SynthError> {
    let m = machine(machine_type)?;
    id_index(machine_type, machine_id)?;
    let start = splitmix64(seed ^ hash_names(machine_type, machine_id));
    Ok(m.faults[((start.wrapping_add(index as u64)) % m.faults.len() as u64) as usize])
}

/// Generate one clip of `machine_type`/`machine_id`; `index` varies the clip; `label` picks normal
/// or a fault (the fault kind is chosen from `index` and the seed).
pub fn generate_clip(
    machine_type: &str,
    machine_id: &str,
    label: Label,
    index: usize,
    secs: f32,
    seed: u64,
) -> Result<Vec<f32>, SynthError> {
    let fault = match label {
        Label::Normal => None,
        Label::Anomaly => Some(fault_for(machine_type, machine_id, index, seed)?),
    };
    render_clip(machine_type, machine_id, label, fault, index, secs, seed)
}

/// The anomalous clip `index` with a chosen `fault`, or with `None` its counterfactual: the very
/// same machine, speed, load and background without the fault. Comparing the two isolates what
/// a fault adds. With `fault` = [`fault_for`]'s answer this equals [`generate_clip`] with
/// [`Label::Anomaly`].
pub fn generate_fault_clip(
    machine_type: &str,
    machine_id: &str,
    fault: Option<&str>,
    index: usize,
    secs: f32,
    seed: u64,
) -> Result<Vec<f32>, SynthError> {
    render_clip(
        machine_type,
        machine_id,
        Label::Anomaly,
        fault,
        index,
        secs,
        seed,
    )
}

/// The clips of a data set in DCASE dev layout (docs/DESIGN.md §1.1), sorted by path, without audio.
pub fn entries(config: &SynthConfig) -> Result<Vec<ClipEntry>, SynthError> {
    Ok(plan(config)?.into_iter().map(|p| p.entry).collect())
}

/// Generate a whole data set in memory (DCASE dev layout paths).
pub fn generate(config: &SynthConfig) -> Result<Vec<SynthClip>, SynthError> {
    let planned = plan(config)?;
    let render = |p: &PlannedClip| -> Result<SynthClip, SynthError> {
        Ok(SynthClip {
            entry: p.entry.clone(),
            samples: p.render(config)?,
        })
    };
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        planned.par_iter().map(render).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        planned.iter().map(render).collect()
    }
}

/// Write a data set as 16-bit WAVs in DCASE dev layout under `out` (native only).
/// Returns the number of files written.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_dcase(out: &std::path::Path, config: &SynthConfig) -> Result<usize, SynthError> {
    use dataset::{io_error, write_wav};
    use rayon::prelude::*;
    let planned = plan(config)?;
    for p in &planned {
        let path = out.join(&p.entry.rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
    }
    planned
        .par_iter()
        .try_for_each(|p| write_wav(&out.join(&p.entry.rel_path), &p.render(config)?))?;
    Ok(planned.len())
}

/// Render one clip: machine (with the fault, if any) plus factory background, limited to
/// [`PEAK_LIMIT`].
fn render_clip(
    machine_type: &str,
    machine_id: &str,
    label: Label,
    fault: Option<&str>,
    index: usize,
    secs: f32,
    seed: u64,
) -> Result<Vec<f32>, SynthError> {
    let m = machine(machine_type)?;
    let id = id_index(machine_type, machine_id)?;
    let n = samples_for(secs)?;
    let fault = fault.map(|f| fault_index(m, f)).transpose()?;
    let base = clip_seed(seed, machine_type, machine_id, label, index);
    let [mut rng, mut fault_rng, mut bg_rng] = [0, 1, 2].map(|stream| {
        let mut r = ChaCha8Rng::seed_from_u64(base);
        r.set_stream(stream);
        r
    });
    let mut out = (m.render)(id, fault, n, &mut rng, &mut fault_rng);
    let bg_rms = m.level * dsp::db(-dsp::uniform(&mut bg_rng, 6.0, 18.0));
    let bg = background::render(n, bg_rms, &mut bg_rng);
    dsp::mix_into(&mut out, &bg, 1.0);
    limit_peak(&mut out);
    Ok(out)
}

/// Scale the clip down if its peak exceeds [`PEAK_LIMIT`] (rare: only loud impacts).
fn limit_peak(out: &mut [f32]) {
    let peak = out.iter().fold(0.0f32, |p, x| p.max(x.abs()));
    if peak > PEAK_LIMIT {
        let g = PEAK_LIMIT / peak;
        out.iter_mut().for_each(|x| *x *= g);
    }
}

fn machine(machine_type: &str) -> Result<&'static Machine, SynthError> {
    MACHINES
        .iter()
        .find(|m| m.name == machine_type)
        .ok_or_else(|| SynthError::UnknownType {
            name: machine_type.to_string(),
            valid: machine_types().join(", "),
        })
}

pub(super) fn id_index(machine_type: &str, machine_id: &str) -> Result<usize, SynthError> {
    machine(machine_type)?;
    ALL_IDS
        .iter()
        .position(|id| *id == machine_id)
        .ok_or_else(|| SynthError::UnknownId {
            machine_type: machine_type.to_string(),
            id: machine_id.to_string(),
            valid: ALL_IDS.join(", "),
        })
}

fn fault_index(m: &Machine, fault: &str) -> Result<usize, SynthError> {
    m.faults
        .iter()
        .position(|f| *f == fault)
        .ok_or_else(|| SynthError::UnknownFault {
            machine_type: m.name.to_string(),
            fault: fault.to_string(),
            valid: m.faults.join(", "),
        })
}

/// Number of samples of a `secs`-long clip, or an error outside (0, 60] s.
pub(super) fn samples_for(secs: f32) -> Result<usize, SynthError> {
    if !(secs > 0.0 && secs <= MAX_SECS) {
        return Err(SynthError::BadSecs { secs });
    }
    Ok(((secs * SAMPLE_RATE).round() as usize).max(1))
}
