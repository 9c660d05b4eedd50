//! `sonogan eval`: the DCASE protocol for several machine types, models and seeds, with the seed
//! paper's Table 2 and Figure 4, the DCASE result files and one HTML report (docs/DESIGN.md
//! §1.10).

use super::eval_jobs::{RunState, run_type, stopped_or_failed};
use super::interrupt;
use super::job_store::JobStore;
use super::load;
use super::train_cmd::{TrainingArgs, check_params};
use crate::device::select_device;
use crate::eval::table::{
    ClipScore, DCASE_MAX_FPR, SeedScores, SweepTable, format_sweep_table2, write_dcase_files,
};
use crate::models::ModelKind;
use crate::report::{
    Metric, ReportInput, RunInfo, figure4_svg, results_page_html, roc_series_by_model, roc_type_svg,
};
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Train and evaluate detectors per machine type: AUC/pAUC tables and DCASE result files.
///
/// For each machine type and model: train on the type's training clips (all IDs, as the DCASE
/// baseline), score every test clip, and report per-ID AUC and pAUC and per-type means in the
/// seed paper's Table 2 layout. With `--seeds`, every (type, model) is trained and scored once
/// per seed and each cell reads mean ± sd over the seeds. Works on the DCASE dev layout and the
/// MIMII layout.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Data set root (DCASE dev or MIMII layout).
    #[arg(long)]
    pub(super) data: PathBuf,
    /// Machine types, comma-separated (default: every type found).
    #[arg(long, value_delimiter = ',')]
    pub(super) types: Vec<String>,
    /// Detectors, comma-separated (default: every detector; `sonogan eval --help` lists them
    /// under "Detectors").
    #[arg(long, value_delimiter = ',')]
    pub(super) models: Vec<ModelKind>,
    #[command(flatten)]
    pub(super) training: TrainingArgs,
    /// Training seeds of a seed sweep, comma-separated, e.g. `0,1,2` (default: the one `--seed`).
    /// Every (type, model) is trained and scored once per seed; tables and charts show mean ±
    /// sample sd over the seeds, the JSON and DCASE files keep every seed. The `--subset` choice
    /// of clips stays that of `--seed`, so only the training randomness varies.
    #[arg(long, value_delimiter = ',')]
    pub(super) seeds: Vec<u64>,
    /// Write `<model>/anomaly_score_<type>_<id>.csv` and `<model>/result.csv` (DCASE format) here
    /// (with several seeds one `<model>/seed_<n>/` folder per seed), plus `roc_<type>.svg`
    /// (every model's ROC on the type's pooled test clips, first seed), `figure4_auc.svg` and
    /// `figure4_pauc.svg` (the seed paper's Figure 4 bars) and `results.html` (one
    /// self-contained report: Table 2, the bars, the ROC plots, per-ID tables with bootstrap
    /// intervals, the configuration and timings).
    #[arg(long)]
    pub(super) out_dir: Option<PathBuf>,
    /// Print one JSON object with every result on the last line of stdout.
    #[arg(long)]
    pub(super) json: bool,
    /// Continue an interrupted run in `--out-dir`: jobs (type, model, seed) finished there
    /// (`jobs/`, written as each one finishes) are read back instead of trained again. The
    /// options must be those of the interrupted run; a job made with others is an error.
    #[arg(long, requires = "out_dir")]
    pub(super) resume: bool,
}

/// Run the command.
pub fn run(mut args: EvalArgs) -> Result<()> {
    if args.models.is_empty() {
        args.models = ModelKind::ALL.to_vec();
    }
    check_params(&args.training.params, &args.models)?;
    let mut opts = args.training.load_options()?;
    let dataset = load::scan(&args.data, &opts)?;
    let types = if args.types.is_empty() {
        dataset.machine_types()
    } else {
        args.types.clone()
    };
    for machine_type in &types {
        if !dataset.machine_types().contains(machine_type) {
            bail!(
                "{}: no machine type '{machine_type}' (found: {})",
                args.data.display(),
                dataset.machine_types().join(", ")
            );
        }
    }
    let device = select_device(args.training.device)?;
    eprintln!(
        "evaluating {} model(s) on {} type(s) with {}",
        args.models.len(),
        types.len(),
        device.description
    );
    let config = args.training.train_config();
    let seeds = seed_list(&args.seeds, config.seed)?;
    let store = match &args.out_dir {
        Some(dir) => Some(JobStore::open(dir, args.resume)?),
        None => None,
    };
    let stop = interrupt::stop_flag();
    opts.stop = Some(Arc::clone(&stop));
    let mut run = RunState::new(&seeds, types.len() * args.models.len());
    for machine_type in &types {
        let outcome = run_type(
            &args,
            &dataset,
            &opts,
            &device,
            machine_type,
            &store,
            &mut run,
        );
        if let Err(error) = outcome {
            return Err(stopped_or_failed(error, &run, store.as_ref(), &stop));
        }
    }
    let RunState {
        runs,
        features_s,
        train_s,
        ..
    } = run;
    let sweep = SweepTable::build(&runs, DCASE_MAX_FPR)?;
    let info = RunInfo {
        data: args.data.display().to_string(),
        machine_types: types.clone(),
        models: args.models.clone(),
        train: config.clone(),
        subset: args.training.subset,
        device: device.description.clone(),
        features_s,
        train_s: args
            .models
            .iter()
            .map(|k| (*k, train_s.get(k).copied().unwrap_or(0.0)))
            .collect(),
    };
    if let Some(dir) = &args.out_dir {
        write_results(dir, &args.models, &sweep, &runs, &info)?;
    }
    println!("{}", format_sweep_table2(&sweep));
    if args.json {
        let mut report = sweep.to_json();
        report["config"] = serde_json::json!({
            "data": info.data,
            "types": types,
            "models": args.models.iter().map(|k| k.name()).collect::<Vec<_>>(),
            "train": config,
            "seeds": seeds,
            "subset": args.training.subset,
            "device": info.device,
            "max_fpr": DCASE_MAX_FPR,
        });
        let train_s: serde_json::Map<String, serde_json::Value> = info
            .train_s
            .iter()
            .map(|(k, s)| (k.name().to_string(), serde_json::Value::from(*s)))
            .collect();
        report["timing"] = serde_json::json!({ "features_s": features_s, "train_s": train_s });
        println!("{report}");
    }
    Ok(())
}

/// The seeds of the sweep: `--seeds` when given (each once), else the one `--seed`.
fn seed_list(seeds: &[u64], seed: u64) -> Result<Vec<u64>> {
    if seeds.is_empty() {
        return Ok(vec![seed]);
    }
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = seeds.iter().find(|s| !seen.insert(**s)) {
        bail!("--seeds lists seed {twice} twice");
    }
    Ok(seeds.to_vec())
}

/// DCASE files per model (and per seed when there are several), the ROC plots, the Figure 4
/// charts and the report.
fn write_results(
    dir: &Path,
    models: &[ModelKind],
    sweep: &SweepTable,
    runs: &[SeedScores],
    info: &RunInfo,
) -> Result<()> {
    for kind in models {
        for (run, seed_table) in runs.iter().zip(&sweep.runs) {
            let model_dir = dcase_dir(dir, *kind, run.seed, runs.len());
            std::fs::create_dir_all(&model_dir)
                .with_context(|| format!("{}: cannot create", model_dir.display()))?;
            write_dcase_files(&model_dir, &run.scores, &seed_table.table, *kind)?;
        }
    }
    write_report_files(dir, sweep, runs, info)?;
    eprintln!(
        "wrote DCASE result files, ROC plots, Figure 4 charts and results.html to {}",
        dir.display()
    );
    Ok(())
}

/// `<dir>/<model>` for a single seed, `<dir>/<model>/seed_<n>` in a sweep of several.
fn dcase_dir(dir: &Path, kind: ModelKind, seed: u64, seeds: usize) -> PathBuf {
    let model_dir = dir.join(kind.name());
    if seeds > 1 {
        model_dir.join(format!("seed_{seed}"))
    } else {
        model_dir
    }
}

/// `<dir>/roc_<type>.svg` per machine type (all models overlaid, each on the type's labelled test
/// clips of the first seed pooled over IDs), `<dir>/figure4_auc.svg`, `<dir>/figure4_pauc.svg`
/// and `<dir>/results.html`.
fn write_report_files(
    dir: &Path,
    sweep: &SweepTable,
    runs: &[SeedScores],
    info: &RunInfo,
) -> Result<()> {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("{}: cannot write", path.display()))
    };
    let first: &[ClipScore] = runs.first().map_or(&[], |r| &r.scores);
    let mut roc_plots = Vec::new();
    for machine_type in sweep.machine_types() {
        let series = roc_series_by_model(first, &machine_type, sweep.max_fpr);
        let svg = roc_type_svg(&series, &machine_type, sweep.max_fpr, None);
        write(&format!("roc_{machine_type}.svg"), &svg)?;
        roc_plots.push((machine_type, svg));
    }
    write("figure4_auc.svg", &figure4_svg(sweep, Metric::Auc))?;
    write("figure4_pauc.svg", &figure4_svg(sweep, Metric::Pauc))?;
    let input = ReportInput {
        sweep,
        roc_plots: &roc_plots,
        run: Some(info),
    };
    write("results.html", &results_page_html(&input))
}
