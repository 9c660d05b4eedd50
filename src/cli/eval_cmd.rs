//! `sonogan eval`: the DCASE protocol for several machine types and models, with the seed paper's
//! Table 2 and the DCASE result files.

use super::load;
use super::train_cmd::{TrainingArgs, check_params, with_progress_bar};
use crate::data::Split;
use crate::device::select_device;
use crate::eval::protocol::{FeatureClip, JobSlot, TrainJob, train_and_score};
use crate::eval::table::{ClipScore, DCASE_MAX_FPR, EvalTable, format_table2, write_dcase_files};
use crate::models::ModelKind;
use crate::report::{results_page_html, roc_series_by_model, roc_svg};
use crate::runtime::block_on;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// Train and evaluate detectors per machine type: AUC/pAUC tables and DCASE result files.
///
/// For each machine type and model: train on the type's training clips (all IDs, as the DCASE
/// baseline), score every test clip, and report per-ID AUC and pAUC and per-type means in the
/// seed paper's Table 2 layout. Works on the DCASE dev layout and the MIMII layout.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Data set root (DCASE dev or MIMII layout).
    #[arg(long)]
    data: PathBuf,
    /// Machine types, comma-separated (default: every type found).
    #[arg(long, value_delimiter = ',')]
    types: Vec<String>,
    /// Detectors, comma-separated (default: every detector; `sonogan eval --help` lists them
    /// under "Detectors").
    #[arg(long, value_delimiter = ',')]
    models: Vec<ModelKind>,
    #[command(flatten)]
    training: TrainingArgs,
    /// Write `<model>/anomaly_score_<type>_<id>.csv` and `<model>/result.csv` (DCASE format) here,
    /// plus `roc_<type>.svg` (every model's ROC on the type's pooled test clips) and
    /// `results.html` (the result tables as a self-contained page).
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Print one JSON object with every result on the last line of stdout.
    #[arg(long)]
    json: bool,
}

/// Run the command.
pub fn run(mut args: EvalArgs) -> Result<()> {
    if args.models.is_empty() {
        args.models = ModelKind::ALL.to_vec();
    }
    check_params(&args.training.params, &args.models)?;
    let opts = args.training.load_options();
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
    let mut scores: Vec<ClipScore> = Vec::new();
    let mut features_s = 0.0;
    let mut train_s: BTreeMap<String, f64> = BTreeMap::new();
    let jobs = types.len() * args.models.len();
    for (type_index, machine_type) in types.iter().enumerate() {
        let started = Instant::now();
        let train = load::features(
            &args.data,
            &load::select(&dataset, machine_type, Split::Train, &opts),
            &opts,
            "training clips",
        )?;
        let test = load::features(
            &args.data,
            &load::select(&dataset, machine_type, Split::Test, &opts),
            &opts,
            "test clips",
        )?;
        features_s += started.elapsed().as_secs_f64();
        check_split(machine_type, &train, &test)?;
        for (model_index, &kind) in args.models.iter().enumerate() {
            let started = Instant::now();
            let job = TrainJob {
                model: args.training.model_config(kind)?,
                train: config.clone(),
                machine_type,
                clips: &train,
                slot: JobSlot {
                    index: type_index * args.models.len() + model_index,
                    count: jobs,
                },
            };
            let trained = with_progress_bar(kind, |host| {
                block_on(train_and_score(host, &device.device, &job, &test))
            })?;
            // Training time only (the trainer's clock), as before the scoring.
            *train_s.entry(kind.name().to_string()).or_default() +=
                trained.model.summary.elapsed_seconds;
            scores.extend(trained.scores);
            eprintln!(
                "{machine_type}: {kind} done in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let table = EvalTable::build(&scores, DCASE_MAX_FPR)?;
    if let Some(dir) = &args.out_dir {
        write_results(dir, &args.models, &table, &scores)?;
    }
    println!("{}", format_table2(&table));
    if args.json {
        let report = serde_json::json!({
            "models": table.to_json(),
            "config": {
                "data": args.data.display().to_string(),
                "types": types,
                "models": args.models.iter().map(|k| k.name()).collect::<Vec<_>>(),
                "train": config,
                "subset": args.training.subset,
                "device": device.description,
                "max_fpr": DCASE_MAX_FPR,
            },
            "timing": { "features_s": features_s, "train_s": train_s },
        });
        println!("{report}");
    }
    Ok(())
}

/// A type needs training clips and labelled test clips of both classes to be evaluated.
fn check_split(machine_type: &str, train: &[FeatureClip], test: &[FeatureClip]) -> Result<()> {
    if train.is_empty() {
        bail!("machine type {machine_type}: no usable training clips");
    }
    if test.is_empty() {
        bail!("machine type {machine_type}: no usable test clips");
    }
    Ok(())
}

/// DCASE files per model: `<dir>/<model>/anomaly_score_<type>_<id>.csv` and `result.csv`.
fn write_results(
    dir: &std::path::Path,
    models: &[ModelKind],
    table: &EvalTable,
    scores: &[ClipScore],
) -> Result<()> {
    for kind in models {
        let model_dir = dir.join(kind.name());
        std::fs::create_dir_all(&model_dir)
            .with_context(|| format!("{}: cannot create", model_dir.display()))?;
        write_dcase_files(&model_dir, scores, table, *kind)?;
    }
    write_report_files(dir, table, scores)?;
    eprintln!(
        "wrote DCASE result files, ROC plots and results.html to {}",
        dir.display()
    );
    Ok(())
}

/// `<dir>/roc_<type>.svg` per machine type (all models overlaid, each on the type's labelled test
/// clips pooled over IDs) and `<dir>/results.html` with the per-type and per-ID tables.
fn write_report_files(
    dir: &std::path::Path,
    table: &EvalTable,
    scores: &[ClipScore],
) -> Result<()> {
    let mut types: Vec<&str> = scores.iter().map(|c| c.machine_type.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    for machine_type in types {
        let series = roc_series_by_model(scores, machine_type, table.max_fpr);
        let path = dir.join(format!("roc_{machine_type}.svg"));
        std::fs::write(&path, roc_svg(&series, table.max_fpr, None))
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let path = dir.join("results.html");
    std::fs::write(&path, results_page_html(table))
        .with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
