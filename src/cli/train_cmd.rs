//! `sonogan train`: train one detector on one machine type and write the model file.

use super::feature_cache::FeatureCache;
use super::job_store::check_output_file;
use super::load::{self, LoadOptions};
use crate::data::Split;
use crate::device::{DeviceChoice, select_device};
use crate::eval::protocol::{
    JobError, JobProgress, JobSlot, NativeHost, TrainJob, model_config, train,
};
use crate::models::{ModelConfig, ModelKind};
use crate::runtime::block_on;
use crate::store::save_file;
use crate::train::{Progress, TrainConfig};
use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::ProgressBar;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Settings shared by `train` and `eval`.
#[derive(Debug, Clone, Args)]
pub struct TrainingArgs {
    /// Passes over the training vectors (the DCASE baseline uses 100). The pass-fitted
    /// detectors (mahalanobis, gmm) make the passes their fit needs instead.
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// Vectors per batch.
    #[arg(long, default_value_t = 512)]
    pub batch: usize,
    /// Learning rate (default: the model's own, 1e-3 for the AE and GMADE, 2e-4 for GANomaly
    /// and Skip-GANomaly, 1e-4 for EGBAD). Detectors without an optimiser (mahalanobis, gmm)
    /// have none: `train` refuses it for them, `eval` applies it to the others only.
    #[arg(long)]
    pub lr: Option<f64>,
    /// Seed of initialisation, batch order, noise and subsets: the same seed gives the same model on the CPU.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Compute device: cpu (burn flex), vulkan, cuda (need the cargo features of the same name) or
    /// auto (first GPU that works, else cpu).
    #[arg(long, default_value = "auto")]
    pub device: DeviceChoice,
    /// Use at most N clips per machine ID, split and label (seeded choice; N ≥ 1).
    #[arg(long, value_parser = at_least_one)]
    pub subset: Option<usize>,
    /// Use only this channel (0-based) of multi-channel files instead of their mean.
    #[arg(long)]
    pub channel: Option<usize>,
    /// MIMII layout: normal clips per ID used for training (default: half).
    #[arg(long)]
    pub mimii_train: Option<usize>,
    /// Set one hyper-parameter of the detector's configuration, KEY=VALUE with VALUE in JSON
    /// (repeatable; applies to every chosen model that has the key; a key that no chosen model
    /// has is an error). Example: `--param ema_decay=0` makes EGBAD score with its live
    /// weights; `--param score_lambda=0` gives GANomaly the original latent score. The keys are
    /// the fields of the model file's `model` object (docs/DESIGN.md §6).
    #[arg(long = "param", value_name = "KEY=VALUE")]
    pub params: Vec<String>,
    /// Keep every clip's log-Mel frames in this folder, keyed by the file's content and the
    /// feature settings, so that a later run on the same clips skips decoding and features.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
}

/// Parses a count that must be at least 1 (`--subset 0` would select no clip at all).
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1 (0 would select no clip)".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("not a count: {e}")),
    }
}

impl TrainingArgs {
    /// The trainer's settings.
    pub fn train_config(&self) -> TrainConfig {
        TrainConfig {
            epochs: self.epochs,
            batch_size: self.batch,
            seed: self.seed,
            learning_rate: self.lr,
            ..TrainConfig::default()
        }
    }
    /// The hyper-parameters of `kind`: defaults (docs/DESIGN.md §10.5) with this run's overrides.
    pub fn model_config(&self, kind: ModelKind) -> Result<ModelConfig> {
        let config = model_config(kind, &self.train_config());
        with_params(config, &self.params)
    }
    /// How clips are chosen and decoded (opening the feature cache, when there is one).
    pub fn load_options(&self) -> Result<LoadOptions> {
        Ok(LoadOptions {
            cache: self.cache.as_deref().map(FeatureCache::open).transpose()?,
            channel: self.channel,
            subset: self.subset,
            seed: self.seed,
            mimii_train: self.mimii_train,
            stop: None,
        })
    }
}

/// Train one detector on one machine type and write a model file.
///
/// Trains on the training clips (all IDs) of the machine type and saves a model
/// file that `sonogan score` and the web page can load. The file holds the weights, the
/// architecture and hyper-parameters, the feature settings, a summary of the training data and a
/// default decision threshold derived from normal clips only.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Data set root (DCASE dev or MIMII layout).
    #[arg(long)]
    data: PathBuf,
    /// Machine type to train on (a directory name such as fan).
    #[arg(long = "type")]
    machine_type: String,
    /// Detector (the list is under "Detectors" below).
    #[arg(long)]
    model: ModelKind,
    #[command(flatten)]
    training: TrainingArgs,
    /// Model file to write.
    #[arg(long)]
    out: PathBuf,
}

/// Run the command.
pub fn run(args: TrainArgs) -> Result<()> {
    check_params(&args.training.params, &[args.model])?;
    if let (Some(lr), None) = (
        args.training.lr,
        args.training.model_config(args.model)?.learning_rate(),
    ) {
        bail!(
            "--lr {lr}: {} has no optimiser (it is fitted in passes over the data), so a learning rate does not apply",
            args.model
        );
    }
    check_output_file(&args.out)?;
    let opts = args.training.load_options()?;
    let dataset = load::scan(&args.data, &opts)?;
    let entries = load::select(&dataset, &args.machine_type, Split::Train, &opts);
    if entries.is_empty() {
        bail!(
            "{}: no training clips of type '{}' (types found: {})",
            args.data.display(),
            args.machine_type,
            dataset.machine_types().join(", ")
        );
    }
    let clips = load::features(&args.data, &entries, &opts, "training clips")?;
    let device = select_device(args.training.device)?;
    eprintln!(
        "training {} on {} clip(s) of {} with {}",
        args.model,
        clips.len(),
        args.machine_type,
        device.description
    );
    let job = TrainJob {
        model: args.training.model_config(args.model)?,
        train: args.training.train_config(),
        machine_type: &args.machine_type,
        clips: &clips,
        slot: JobSlot::single(),
    };
    let trained = with_progress_bar(job.model.kind(), None, |host| {
        block_on(train(host, &device.device, &job))
    })
    .with_context(|| format!("training {} failed", args.model))?;
    let manifest = &trained.manifest;
    save_file(&args.out, trained.detector.as_ref(), manifest)?;
    eprintln!(
        "wrote {} (threshold {:.4}, from {} normal clip scores)",
        args.out.display(),
        manifest.threshold.value,
        manifest.normal_scores.n
    );
    Ok(())
}

/// The protocol's host for a terminal: `run` (a protocol call, blocked on) gets a host whose
/// progress events drive a bar with the losses and the ETA of `kind`'s training.
pub fn with_progress_bar<T>(
    kind: ModelKind,
    stop: Option<Arc<AtomicBool>>,
    run: impl FnOnce(&mut NativeHost<&mut dyn FnMut(&JobProgress)>) -> Result<T, JobError>,
) -> Result<T, JobError> {
    let mut bar: Option<ProgressBar> = None;
    let mut show = |event: &JobProgress| {
        let p = &event.progress;
        let bar =
            bar.get_or_insert_with(|| super::progress::counter(p.total_steps as u64, "steps"));
        bar.set_position(p.step as u64);
        bar.set_message(format_progress(kind, p));
    };
    let mut host = NativeHost::new(&mut show as &mut dyn FnMut(&JobProgress));
    if let Some(stop) = stop {
        host = host.with_stop(stop);
    }
    let outcome = run(&mut host);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    outcome
}

/// "ae epoch 3/100 G 12.3 val 11.9 (40k vec/s)"
fn format_progress(kind: ModelKind, p: &Progress) -> String {
    let losses: Vec<String> = p
        .losses
        .iter()
        .filter(|(name, _)| !name.contains('.'))
        .map(|(name, v)| format!("{name} {v:.4}"))
        .collect();
    let validation = p
        .validation_loss
        .map(|v| format!(" val {v:.4}"))
        .unwrap_or_default();
    format!(
        "{kind} epoch {}/{} {}{validation} ({:.0} vec/s)",
        p.epoch,
        p.epochs,
        losses.join(" "),
        p.vectors_per_second
    )
}

/// Splits `--param KEY=VALUE` into the key and its JSON value (a non-JSON VALUE is a string).
fn parse_param(param: &str) -> Result<(&str, serde_json::Value)> {
    let Some((key, value)) = param.split_once('=') else {
        bail!("--param {param}: expected KEY=VALUE");
    };
    let value = serde_json::from_str(value.trim())
        .unwrap_or_else(|_| serde_json::Value::String(value.trim().to_string()));
    Ok((key.trim(), value))
}

/// The setting names of `kind`'s configuration.
fn setting_names(kind: ModelKind) -> Vec<String> {
    match serde_json::to_value(ModelConfig::default_for(kind)) {
        Ok(serde_json::Value::Object(fields)) => fields
            .into_iter()
            .map(|(k, _)| k)
            .filter(|k| k != "kind")
            .collect(),
        _ => Vec::new(),
    }
}

/// Errors for a `--param` key that none of `kinds` has.
pub fn check_params(params: &[String], kinds: &[ModelKind]) -> Result<()> {
    for param in params {
        let (key, _) = parse_param(param)?;
        if !kinds
            .iter()
            .any(|&k| setting_names(k).iter().any(|n| n == key))
        {
            let known: Vec<String> = kinds
                .iter()
                .map(|&k| format!("{k}: {}", setting_names(k).join(", ")))
                .collect();
            bail!(
                "--param {param}: no chosen model has a setting '{key}' ({})",
                known.join("; ")
            );
        }
    }
    Ok(())
}

/// `config` with each `--param KEY=VALUE` whose key it has set, checked by deserialising and
/// validating the result.
fn with_params(config: ModelConfig, params: &[String]) -> Result<ModelConfig> {
    if params.is_empty() {
        return Ok(config);
    }
    let kind = config.kind();
    let mut json = serde_json::to_value(&config)?;
    let fields = json
        .as_object_mut()
        .context("a model configuration is a JSON object")?;
    for param in params {
        let (key, value) = parse_param(param)?;
        if key != "kind" && fields.contains_key(key) {
            fields.insert(key.to_string(), value);
        }
    }
    let config: ModelConfig =
        serde_json::from_value(json).with_context(|| format!("--param for {kind}"))?;
    config
        .validate()
        .with_context(|| format!("--param for {kind}"))?;
    Ok(config)
}
