//! `sonogan info`: what a data set directory holds and which files it cannot use.

use crate::audio::{WavInfo, probe_wav_file};
use crate::data::{Dataset, DatasetOptions, Rejected};
use anyhow::Result;
use clap::Args;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Describe a data set directory (or one audio file).
///
/// For a directory: the layout detected (DCASE dev, DCASE eval, MIMII), machine types, IDs, clip
/// counts per split and label, durations, sample rates, channel counts and sample formats, and
/// every file that cannot be used, with the reason (bad name, unreadable, corrupt, truncated, ...).
/// For a file: its WAV header, or what is wrong with it.
/// Exit status 1 when any file is unusable.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Data set root directory, or a single WAV file.
    dir: PathBuf,
    /// MIMII layout: normal clips per ID used for training (default: half).
    #[arg(long)]
    mimii_train: Option<usize>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Audio properties over all readable clips.
#[derive(Debug, Default, serde::Serialize)]
struct AudioStats {
    readable: usize,
    total_s: f64,
    min_s: Option<f64>,
    max_s: Option<f64>,
    /// sample rate → clip count
    sample_rates: BTreeMap<u32, usize>,
    /// channel count → clip count
    channels: BTreeMap<u16, usize>,
    /// "pcm16", "float32", ... → clip count
    formats: BTreeMap<String, usize>,
}

impl AudioStats {
    fn add(&mut self, info: &WavInfo) {
        self.readable += 1;
        self.total_s += info.duration_s;
        self.min_s = Some(
            self.min_s
                .map_or(info.duration_s, |m| m.min(info.duration_s)),
        );
        self.max_s = Some(
            self.max_s
                .map_or(info.duration_s, |m| m.max(info.duration_s)),
        );
        *self.sample_rates.entry(info.sample_rate).or_default() += 1;
        *self.channels.entry(info.channels).or_default() += 1;
        *self
            .formats
            .entry(format!("{}{}", info.sample_format, info.bits_per_sample))
            .or_default() += 1;
    }
}

/// Run the command.
pub fn run(args: InfoArgs) -> Result<()> {
    if args.dir.is_file() {
        return describe_file(&args.dir, args.json);
    }
    let opts = DatasetOptions {
        mimii_train_per_id: args.mimii_train,
    };
    let dataset = Dataset::scan(&args.dir, &opts)?;
    let (stats, unreadable) = probe_clips(&args.dir, &dataset);
    let mut rejected = dataset.rejected.clone();
    rejected.extend(unreadable);
    rejected.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    if args.json {
        let report = serde_json::json!({
            "root": args.dir.display().to_string(),
            "layout": dataset.layout,
            "summary": dataset.summary(),
            "audio": stats,
            "rejected": rejected,
        });
        println!("{report}");
    } else {
        print_report(&args.dir, &dataset, &stats, &rejected);
    }
    if !rejected.is_empty() {
        anyhow::bail!(
            "{}: {} unusable file(s), listed above",
            args.dir.display(),
            rejected.len()
        );
    }
    Ok(())
}

/// The header of one WAV file, or its error.
fn describe_file(path: &Path, json: bool) -> Result<()> {
    let info = probe_wav_file(path)?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "file": path.display().to_string(), "audio": info })
        );
    } else {
        println!(
            "{}: {} Hz, {} channel(s), {}-bit {}, {} frames, {:.3} s",
            path.display(),
            info.sample_rate,
            info.channels,
            info.bits_per_sample,
            info.sample_format,
            info.frames,
            info.duration_s
        );
    }
    Ok(())
}

/// Read every clip's header in parallel (a few hundred bytes of each, not the samples); a file
/// that fails is returned with its reason.
fn probe_clips(root: &Path, dataset: &Dataset) -> (AudioStats, Vec<Rejected>) {
    let bar = super::progress::counter(dataset.clips.len() as u64, "files");
    let results: Vec<(String, Result<WavInfo, String>)> = dataset
        .clips
        .par_iter()
        .map(|clip| {
            let path = root.join(&clip.rel_path);
            let result = if is_wav(&clip.rel_path) {
                probe_wav_file(&path).map_err(|e| e.kind.to_string())
            } else {
                Err(
                    "not a WAV file: the CLI reads WAV only (the page decodes other formats)"
                        .into(),
                )
            };
            bar.inc(1);
            (clip.rel_path.clone(), result)
        })
        .collect();
    bar.finish_and_clear();
    let mut stats = AudioStats::default();
    let mut unreadable = Vec::new();
    for (rel_path, result) in results {
        match result {
            Ok(info) => stats.add(&info),
            Err(reason) => unreadable.push(Rejected { rel_path, reason }),
        }
    }
    (stats, unreadable)
}

fn is_wav(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".wav")
}

fn print_report(root: &Path, dataset: &Dataset, stats: &AudioStats, rejected: &[Rejected]) {
    println!("{}", root.display());
    print!("{}", dataset.summary());
    println!(
        "audio: {} readable clip(s), {:.1} h in all, {:.2}-{:.2} s each",
        stats.readable,
        stats.total_s / 3600.0,
        stats.min_s.unwrap_or(0.0),
        stats.max_s.unwrap_or(0.0)
    );
    println!("  sample rates: {}", histogram(&stats.sample_rates, " Hz"));
    println!("  channels: {}", histogram(&stats.channels, ""));
    println!("  formats: {}", histogram(&stats.formats, ""));
    if rejected.is_empty() {
        println!("unusable files: none");
    } else {
        println!("unusable files: {}", rejected.len());
        for r in rejected {
            println!("  {}: {}", r.rel_path, r.reason);
        }
    }
}

fn histogram<K: std::fmt::Display>(counts: &BTreeMap<K, usize>, unit: &str) -> String {
    counts
        .iter()
        .map(|(k, n)| format!("{k}{unit} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
