//! The jobs of `sonogan eval`, one machine type at a time: read back what a resumed run
//! finished, compute the features only when a job is left, train and score the rest, and save
//! each job as soon as it is done (docs/DESIGN.md §13.2).

use super::eval_cmd::EvalArgs;
use super::job_store::{JobId, JobStore, SavedJob};
use super::load::{self, LoadOptions, STOPPED};
use super::train_cmd::with_progress_bar;
use crate::data::{Dataset, Split};
use crate::device::SelectedDevice;
use crate::eval::protocol::{FeatureClip, JobSlot, TrainJob, train_and_score};
use crate::eval::table::SeedScores;
use crate::models::ModelKind;
use crate::runtime::block_on;
use crate::train::TrainConfig;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// What the run has gathered so far.
pub struct RunState {
    /// Every seed's clip scores.
    pub runs: Vec<SeedScores>,
    /// Seconds spent on features.
    pub features_s: f64,
    /// Training seconds per detector (read back for resumed jobs).
    pub train_s: BTreeMap<ModelKind, f64>,
    /// Jobs of the whole run.
    jobs: usize,
    /// Jobs finished (trained now or read back).
    finished: usize,
}

impl RunState {
    /// An empty run of `type_models` (type, model) pairs per seed.
    pub fn new(seeds: &[u64], type_models: usize) -> Self {
        RunState {
            runs: seeds
                .iter()
                .map(|&seed| SeedScores {
                    seed,
                    scores: Vec::new(),
                })
                .collect(),
            features_s: 0.0,
            train_s: BTreeMap::new(),
            jobs: type_models * seeds.len(),
            finished: 0,
        }
    }
}

/// One (model, seed) of a type, with its outcome once known.
struct Slot {
    kind: ModelKind,
    run: usize,
    settings: serde_json::Value,
    done: Option<SavedJob>,
}

/// Runs every job of `machine_type`, adding the scores in (model, seed) order whether a job
/// was read back or trained now, so a resumed run reports exactly what an uninterrupted one
/// would.
pub fn run_type(
    args: &EvalArgs,
    dataset: &Dataset,
    opts: &LoadOptions,
    device: &SelectedDevice,
    machine_type: &str,
    store: &Option<JobStore>,
    state: &mut RunState,
) -> Result<()> {
    let mut slots = Vec::new();
    for &kind in &args.models {
        for (run, seed_run) in state.runs.iter().enumerate() {
            let id = JobId {
                machine_type,
                kind,
                seed: seed_run.seed,
            };
            let settings = job_settings(args, kind, seed_run.seed)?;
            let done = match store {
                Some(store) => store.load(id, &settings)?,
                None => None,
            };
            if done.is_some() {
                eprintln!(
                    "{machine_type}: {kind} (seed {}) finished before, read back",
                    id.seed
                );
            }
            slots.push(Slot {
                kind,
                run,
                settings,
                done,
            });
        }
    }
    if slots.iter().any(|s| s.done.is_none()) {
        let (train, test) = type_features(args, dataset, opts, machine_type, state)?;
        for slot in slots.iter_mut().filter(|s| s.done.is_none()) {
            slot.done = Some(run_job(
                args,
                device,
                machine_type,
                &train,
                &test,
                slot,
                store,
                state,
            )?);
        }
    } else {
        state.finished += slots.len();
    }
    for slot in slots {
        let done = slot.done.expect("every job is done");
        state.runs[slot.run].scores.extend(done.scores);
        *state.train_s.entry(slot.kind).or_default() += done.train_seconds;
    }
    Ok(())
}

/// The training and test clips of `machine_type` with their features.
fn type_features(
    args: &EvalArgs,
    dataset: &Dataset,
    opts: &LoadOptions,
    machine_type: &str,
    state: &mut RunState,
) -> Result<(Vec<FeatureClip>, Vec<FeatureClip>)> {
    let started = Instant::now();
    let select = |split| load::select(dataset, machine_type, split, opts);
    let train = load::features(&args.data, &select(Split::Train), opts, "training clips")?;
    let test = load::features(&args.data, &select(Split::Test), opts, "test clips")?;
    state.features_s += started.elapsed().as_secs_f64();
    if train.is_empty() {
        bail!("machine type {machine_type}: no usable training clips");
    }
    if test.is_empty() {
        bail!("machine type {machine_type}: no usable test clips");
    }
    Ok((train, test))
}

/// Trains and scores one job and saves it at once.
#[allow(clippy::too_many_arguments)]
fn run_job(
    args: &EvalArgs,
    device: &SelectedDevice,
    machine_type: &str,
    train: &[FeatureClip],
    test: &[FeatureClip],
    slot: &Slot,
    store: &Option<JobStore>,
    state: &mut RunState,
) -> Result<SavedJob> {
    let started = Instant::now();
    let seed = state.runs[slot.run].seed;
    let job = TrainJob {
        model: args.training.model_config(slot.kind)?,
        train: TrainConfig {
            seed,
            ..args.training.train_config()
        },
        machine_type,
        clips: train,
        slot: JobSlot {
            index: state.finished,
            count: state.jobs,
        },
    };
    let stop = Some(super::interrupt::stop_flag());
    let trained = with_progress_bar(slot.kind, stop, |host| {
        block_on(train_and_score(host, &device.device, &job, test))
    })?;
    let id = JobId {
        machine_type,
        kind: slot.kind,
        seed,
    };
    let saved = match store {
        Some(store) => store.save(id, &slot.settings, &trained)?,
        None => SavedJob::new(slot.settings.clone(), &trained),
    };
    state.finished += 1;
    eprintln!(
        "{machine_type}: {} (seed {seed}) done in {:.1} s",
        slot.kind,
        started.elapsed().as_secs_f64()
    );
    Ok(saved)
}

/// Everything that decides a job's outcome, compared on `--resume`.
fn job_settings(args: &EvalArgs, kind: ModelKind, seed: u64) -> Result<serde_json::Value> {
    let training = &args.training;
    let model = training.model_config(kind)?;
    let train = TrainConfig {
        seed,
        ..training.train_config()
    }
    .for_model(&model);
    let settings = serde_json::json!({
        "data": args.data.display().to_string(),
        "model": model,
        "train": train,
        "subset": training.subset,
        "subset_seed": training.seed,
        "channel": training.channel,
        "mimii_train": training.mimii_train,
    });
    // Through text and back, as the saved settings were: serde_json's float parsing is not an
    // exact round trip, so only values that both went through it compare equal.
    Ok(serde_json::from_str(&settings.to_string())?)
}

/// The error of a run that stopped: after Ctrl-C, how far it got and how to resume; after a
/// failed job, the failure and where the finished jobs are.
pub fn stopped_or_failed(
    error: anyhow::Error,
    state: &RunState,
    store: Option<&JobStore>,
    stop: &AtomicBool,
) -> anyhow::Error {
    let kept = match store {
        Some(store) => format!(
            "{} of {} jobs are finished and saved in {}; run the same command with --resume to \
             continue",
            state.finished,
            state.jobs,
            store.dir().display()
        ),
        None => format!(
            "{} of {} jobs were finished; nothing was saved (no --out-dir)",
            state.finished, state.jobs
        ),
    };
    match (super::interrupt::stopped(stop), state.finished) {
        (true, _) => anyhow::anyhow!("{STOPPED}: {kept}"),
        (false, 0) => error,
        (false, _) => error.context(kept),
    }
}
