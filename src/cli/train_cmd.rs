//! `sonogan train`: train one detector on one machine type and write the model file.

use super::load::{self, LoadOptions};
use crate::data::Split;
use crate::device::{DeviceChoice, select_device};
use crate::eval::pipeline::{FeatureClip, model_config, train_configured_model};
use crate::features::FeatureConfig;
use crate::models::{ModelConfig, ModelKind};
use crate::store::{DataDescription, Manifest, save_file};
use crate::train::{Progress, TrainConfig};
use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::ProgressBar;
use std::path::PathBuf;

/// Settings shared by `train` and `eval`.
#[derive(Debug, Clone, Args)]
pub struct TrainingArgs {
    /// Passes over the training vectors (the DCASE baseline uses 100).
    #[arg(long, default_value_t = 100)]
    pub epochs: usize,
    /// Vectors per batch.
    #[arg(long, default_value_t = 512)]
    pub batch: usize,
    /// Learning rate (default: the model's own, 1e-3 for the AE, 2e-4 for GANomaly and
    /// Skip-GANomaly, 1e-4 for EGBAD).
    #[arg(long)]
    pub lr: Option<f64>,
    /// Seed of initialisation, batch order, noise and subsets: the same seed gives the same model on the CPU.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Compute device: cpu (burn flex), vulkan, cuda (need the cargo features of the same name) or
    /// auto (first GPU that works, else cpu).
    #[arg(long, default_value = "auto")]
    pub device: DeviceChoice,
    /// Use at most N clips per machine ID, split and label (seeded choice).
    #[arg(long)]
    pub subset: Option<usize>,
    /// Use only this channel (0-based) of multi-channel files instead of their mean.
    #[arg(long)]
    pub channel: Option<usize>,
    /// MIMII layout: normal clips per ID used for training (default: half).
    #[arg(long)]
    pub mimii_train: Option<usize>,
    /// EGBAD: decay of the weight averaging used at test time (default 0.999; 0 scores with the
    /// live weights, better for short runs of a few hundred steps).
    #[arg(long)]
    pub egbad_ema_decay: Option<f64>,
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
    /// The hyper-parameters of `kind`: defaults (spec §10.5) with this run's overrides.
    pub fn model_config(&self, kind: ModelKind) -> ModelConfig {
        let mut config = model_config(kind, &self.train_config());
        if let (ModelConfig::Egbad(egbad), Some(decay)) = (&mut config, self.egbad_ema_decay) {
            egbad.ema_decay = decay;
        }
        config
    }
    /// How clips are chosen and decoded.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            channel: self.channel,
            subset: self.subset,
            seed: self.seed,
            mimii_train: self.mimii_train,
        }
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
    /// Detector: ae, ganomaly, skip-ganomaly or egbad.
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
    let opts = args.training.load_options();
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
    let trained = train_with_bar(
        &args.training.model_config(args.model),
        &clips,
        &args.training.train_config(),
        &device.device,
    )?;
    let description = describe(&clips);
    let manifest = Manifest::from_training(
        trained.detector.as_ref(),
        FeatureConfig::default(),
        &trained.summary,
        description,
    )?;
    save_file(&args.out, trained.detector.as_ref(), &manifest)?;
    eprintln!(
        "wrote {} (threshold {:.4}, from {} normal clip scores)",
        args.out.display(),
        manifest.threshold.value,
        manifest.normal_scores.n
    );
    Ok(())
}

/// Trains with a progress bar that shows losses and the ETA.
pub fn train_with_bar(
    model: &ModelConfig,
    clips: &[FeatureClip],
    config: &TrainConfig,
    device: &burn::tensor::Device,
) -> Result<crate::eval::pipeline::TrainedModel> {
    let kind = model.kind();
    let mut bar: Option<ProgressBar> = None;
    let trained = train_configured_model(model, clips, config, device, |p: &Progress| {
        let bar =
            bar.get_or_insert_with(|| super::progress::counter(p.total_steps as u64, "steps"));
        bar.set_position(p.step as u64);
        bar.set_message(format_progress(kind, p));
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    trained.with_context(|| format!("training {kind} failed"))
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

/// Machine types and IDs of the training clips, for the model file.
pub fn describe(clips: &[FeatureClip]) -> DataDescription {
    let mut machine_types: Vec<String> =
        clips.iter().map(|c| c.entry.machine_type.clone()).collect();
    let mut machine_ids: Vec<String> = clips.iter().map(|c| c.entry.machine_id.clone()).collect();
    machine_types.sort();
    machine_types.dedup();
    machine_ids.sort();
    machine_ids.dedup();
    DataDescription {
        machine_types,
        machine_ids,
    }
}
