//! `sonogan score`: anomaly scores and decisions of clips under a trained model file.

use crate::audio::DecodeOptions;
use crate::data::file_paths;
use crate::device::{DeviceChoice, select_device};
use crate::features::{FeatureExtractor, FrameStack};
use crate::runtime::block_on;
use crate::store::load_file;
use crate::train::{DEFAULT_SCORE_CHUNK, clip_score};
use anyhow::{Result, bail};
use clap::Args;
use rayon::prelude::*;
use std::path::PathBuf;

/// Anomaly score and decision of clips under a trained model file.
///
/// Scores clips with a model file written by `sonogan train` or the web page: one anomaly score per
/// clip (the mean of its per-vector scores) and the decision against the model's stored threshold
/// (derived from normal clips only). Directories are searched for .wav files recursively.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Model file.
    #[arg(long)]
    model: PathBuf,
    /// Clips and/or directories.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Use only this channel (0-based) instead of the mean of all channels.
    #[arg(long)]
    channel: Option<usize>,
    /// Compute device: cpu, vulkan, cuda or auto.
    #[arg(long, default_value = "cpu")]
    device: DeviceChoice,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// The outcome for one clip.
#[derive(Debug, serde::Serialize)]
struct ClipOutcome {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    anomalous: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Run the command.
pub fn run(args: ScoreArgs) -> Result<()> {
    let device = select_device(args.device)?;
    let (detector, manifest) = load_file(&args.model, &device.device)?;
    let clips = collect_clips(&args.inputs)?;
    let decode = DecodeOptions {
        channel: args.channel,
    };
    let extractor = FeatureExtractor::try_new(manifest.features.clone()).map_err(|e| {
        anyhow::anyhow!(
            "{}: feature settings in the model file: {e}",
            args.model.display()
        )
    })?;
    let features: Vec<Result<FrameStack, String>> = clips
        .par_iter()
        .map_init(
            || extractor.clone(),
            |extractor, path| super::load::clip_frames(extractor, path, &decode),
        )
        .collect();
    let threshold = manifest.threshold.value;
    let outcomes: Vec<ClipOutcome> = clips
        .iter()
        .zip(features)
        .map(|(path, vectors)| {
            let path = path.display().to_string();
            match vectors.and_then(|v| {
                let machine_id = crate::data::machine_id_in_path(&path);
                block_on(clip_score(
                    detector.as_ref(),
                    &v,
                    machine_id.as_deref(),
                    DEFAULT_SCORE_CHUNK,
                ))
                .map_err(|e| format!("{path}: {e}"))
            }) {
                Ok(score) => ClipOutcome {
                    path,
                    score: Some(score),
                    anomalous: Some(score > threshold),
                    error: None,
                },
                Err(error) => ClipOutcome {
                    path,
                    score: None,
                    anomalous: None,
                    error: Some(error),
                },
            }
        })
        .collect();
    if args.json {
        let report = serde_json::json!({
            "model": { "file": args.model.display().to_string(), "kind": manifest.kind(), "threshold": threshold, "machine_types": manifest.data.machine_types },
            "clips": outcomes,
        });
        println!("{report}");
    } else {
        print_table(&outcomes, threshold);
    }
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    if failed > 0 {
        bail!("{failed} of {} clip(s) could not be scored", outcomes.len());
    }
    Ok(())
}

fn print_table(outcomes: &[ClipOutcome], threshold: f64) {
    println!("threshold {threshold:.4} (scores above it are anomalous)");
    println!("{:>12}  {:<9}  clip", "score", "decision");
    for o in outcomes {
        match (o.score, o.anomalous, &o.error) {
            (Some(score), Some(anomalous), _) => println!(
                "{score:>12.4}  {:<9}  {}",
                if anomalous { "ANOMALY" } else { "normal" },
                o.path
            ),
            (_, _, Some(error)) => eprintln!("error: {error}"),
            _ => {}
        }
    }
}

/// Files as given, and the .wav files under each directory (sorted).
fn collect_clips(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut clips = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let wavs: Vec<PathBuf> = file_paths(input)?
                .into_iter()
                .filter(|rel| rel.to_ascii_lowercase().ends_with(".wav"))
                .map(|rel| input.join(rel))
                .collect();
            if wavs.is_empty() {
                bail!("{}: no .wav files in this directory", input.display());
            }
            clips.extend(wavs);
        } else {
            clips.push(input.clone());
        }
    }
    Ok(clips)
}
