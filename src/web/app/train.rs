//! Training and evaluation runs: every machine type that has training and test clips × every
//! chosen model × every seed of the run (docs/DESIGN.md §1.10), one job after another, each
//! stepped asynchronously with a yield to the worker's event loop after every step (so a cancel
//! request is seen within one step).

use std::collections::HashSet;

use web_time::Instant;

use super::{BusyGuard, PageApp, PageModel, WorkerHost, models};
use crate::data::{Split, subset};
use crate::eval::protocol::{
    FeatureClip, Host, JobProgress, JobSlot, TrainJob, TrainedJob, model_config, train_and_score,
};
use crate::report::{CurveSeries, curves_svg};
use crate::train::{CancelToken, TrainConfig};
use crate::web::messages::{Event, Reply};
use crate::web::presets::RunOptions;

/// Least time between two progress events, in seconds.
const PROGRESS_INTERVAL_S: f64 = 0.1;
/// Most seeds one run may repeat.
const MAX_SEEDS: usize = 20;

/// The clips of one machine type for a run.
struct TypeData {
    machine_type: String,
    train: Vec<FeatureClip>,
    test: Vec<FeatureClip>,
}

/// Trains and evaluates `options`; models finished before a failure (cancelled, diverged) are
/// kept.
pub(super) async fn train<H: WorkerHost>(
    app: &PageApp,
    options: RunOptions,
    host: &H,
) -> Result<Reply, String> {
    for &kind in &options.models {
        options.train_config(kind)?;
    }
    if options.seeds > MAX_SEEDS {
        return Err(format!(
            "at most {MAX_SEEDS} seeds per run, got {}",
            options.seeds
        ));
    }
    let busy = BusyGuard::take(app, "training")?;
    let cancel = CancelToken::new();
    app.state.borrow_mut().cancel = Some(cancel.clone());
    let outcome = run(app, &options, host, &cancel).await;
    drop(busy);
    outcome?;
    app.state.borrow_mut().last_run = Some(options);
    Ok(Reply::Done)
}

async fn run<H: WorkerHost>(
    app: &PageApp,
    options: &RunOptions,
    host: &H,
    cancel: &CancelToken,
) -> Result<(), String> {
    let (device, types) = {
        let s = app.state.borrow();
        (s.backend.device.clone(), type_data(app, options))
    };
    if types.is_empty() {
        return Err(
            "no machine type has both training and test clips: use the built-in sounds \
                    or add a DCASE or MIMII folder"
                .into(),
        );
    }
    let seeds = options.seed_list();
    let count = types.len() * options.models.len() * seeds.len();
    let mut index = 0;
    for data in &types {
        for &kind in &options.models {
            for (seed_index, &seed) in seeds.iter().enumerate() {
                app.state.borrow_mut().losses.clear();
                let mut progress = ProgressSink {
                    app,
                    host,
                    cancel: cancel.clone(),
                    last_post: None,
                };
                let train = TrainConfig {
                    seed,
                    ..options.train_config(kind)?
                };
                let job = TrainJob {
                    model: model_config(kind, &train),
                    train,
                    machine_type: &data.machine_type,
                    clips: &data.train,
                    slot: JobSlot { index, count },
                };
                let trained = train_and_score(&mut progress, &device, &job, &data.test)
                    .await
                    .map_err(|e| e.to_string())?;
                let run = SeedOfRun {
                    seed,
                    first: seed_index == 0,
                    several: seeds.len() > 1,
                };
                let name = keep(app, trained, run);
                host.post(Event::ModelTrained {
                    name,
                    models: models::summaries(app),
                });
                host.yield_now().await;
                index += 1;
            }
        }
    }
    Ok(())
}

/// Where a job's seed sits in its run.
#[derive(Debug, Clone, Copy)]
struct SeedOfRun {
    seed: u64,
    /// The run's first seed: the pair's earlier results of every seed are replaced.
    first: bool,
    /// The run has several seeds: model names carry the seed.
    several: bool,
}

/// Stores a trained job's scores and model; returns the model's name (`<type>-<label>`, with
/// `-seed<n>` when the run has several seeds).
fn keep(app: &PageApp, job: TrainedJob, run: SeedOfRun) -> String {
    let kind = job.kind();
    let name = if run.several {
        format!("{}-{}-seed{}", job.machine_type, kind.label(), run.seed)
    } else {
        format!("{}-{}", job.machine_type, kind.label())
    };
    {
        let results = &mut app.state.borrow_mut().results;
        if run.first {
            results.replace(kind, &job.machine_type, run.seed, job.scores);
        } else {
            results.add_seed(kind, &job.machine_type, run.seed, job.scores);
        }
    }
    models::insert(
        app,
        PageModel {
            name: name.clone(),
            origin: "trained here".into(),
            detector: job.model.detector,
            manifest: job.model.manifest,
        },
    );
    name
}

/// Training and test clips of every type that has both (subset applied), sorted by type.
fn type_data(app: &PageApp, options: &RunOptions) -> Vec<TypeData> {
    let state = app.state.borrow();
    let keep: Option<HashSet<String>> = options.subset_per_group().map(|per_group| {
        let entries: Vec<_> = state
            .session
            .clips()
            .iter()
            .map(|c| c.entry.clone())
            .collect();
        subset(&entries, per_group, options.seed)
            .into_iter()
            .map(|e| e.rel_path)
            .collect()
    });
    let kept = |clips: Vec<FeatureClip>| -> Vec<FeatureClip> {
        match &keep {
            Some(paths) => clips
                .into_iter()
                .filter(|c| paths.contains(&c.entry.rel_path))
                .collect(),
            None => clips,
        }
    };
    state
        .session
        .machine_types()
        .into_iter()
        .map(|machine_type| TypeData {
            train: kept(state.session.feature_clips(&machine_type, Split::Train)),
            test: kept(state.session.feature_clips(&machine_type, Split::Test)),
            machine_type,
        })
        .filter(|d| !d.train.is_empty() && !d.test.is_empty())
        .collect()
}

/// Keeps the current job's loss curves and posts progress events (throttled; the last step of a
/// job always).
struct ProgressSink<'a, H> {
    app: &'a PageApp,
    host: &'a H,
    cancel: CancelToken,
    last_post: Option<Instant>,
}

impl<H: WorkerHost> ProgressSink<'_, H> {
    /// Appends the losses read at this step to the curves.
    fn record_losses(&self, event: &JobProgress) {
        let p = &event.progress;
        if p.losses_step != p.step {
            return;
        }
        let mut s = self.app.state.borrow_mut();
        for (name, value) in &p.losses {
            let point = (p.step as f64, f64::from(*value));
            match s.losses.iter_mut().find(|c| &c.label == name) {
                Some(curve) => curve.points.push(point),
                None => s.losses.push(CurveSeries {
                    label: name.clone(),
                    points: vec![point],
                }),
            }
        }
    }
}

impl<H: WorkerHost> Host for ProgressSink<'_, H> {
    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    fn progress(&mut self, event: &JobProgress) {
        self.record_losses(event);
        let due = self
            .last_post
            .is_none_or(|t| t.elapsed().as_secs_f64() >= PROGRESS_INTERVAL_S);
        if due || event.progress.is_last() {
            self.last_post = Some(Instant::now());
            let loss_svg = curves_svg(&self.app.state.borrow().losses, "step", "loss", true);
            self.host.post(Event::Progress {
                run: event.clone(),
                loss_svg,
            });
        }
    }

    async fn yield_now(&mut self) {
        self.host.yield_now().await;
    }
}
