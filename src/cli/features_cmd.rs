//! `sonogan features`: log-Mel features of clips as float32 NPY files (docs/DESIGN.md §1.3-1.4).

use crate::audio::{self, DecodeOptions};
use crate::features::{FeatureConfig, FeatureExtractor, npy};
use anyhow::{Context, Result, bail};
use clap::Args;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Log-Mel feature vectors of clips as float32 NPY files.
///
/// One clip with `--out F.npy`, or many clips with `--out-dir D` (one `<stem>.npy` per clip, in
/// parallel on every core).
///
/// Output: float32 NPY of shape [n_vectors, 640] (5 stacked frames of 128 log-Mel bins,
/// frame-major, as the DCASE 2020 baseline), or with `--logmel` the log-Mel spectrogram
/// [128, n_frames] (mel-major, like librosa).
#[derive(Debug, Args)]
pub struct FeaturesArgs {
    /// Audio clips (WAV: PCM 8/16/24/32-bit, float, WAVE_FORMAT_EXTENSIBLE; any rate, resampled to 16 kHz).
    #[arg(required = true)]
    clips: Vec<PathBuf>,
    /// Use only this channel (0-based) instead of the mean of all channels.
    #[arg(long)]
    channel: Option<usize>,
    /// Write the log-Mel spectrogram [128, n_frames] instead of the stacked vectors.
    #[arg(long)]
    logmel: bool,
    /// Output file (exactly one clip).
    #[arg(long, conflicts_with = "out_dir")]
    out: Option<PathBuf>,
    /// Output directory (any number of clips; created if missing).
    #[arg(long)]
    out_dir: Option<PathBuf>,
}

/// Run the command.
pub fn run(args: FeaturesArgs) -> Result<()> {
    let opts = DecodeOptions {
        channel: args.channel,
    };
    match (&args.out, &args.out_dir) {
        (Some(out), None) => {
            if args.clips.len() != 1 {
                bail!(
                    "--out takes exactly one clip ({} given); use --out-dir for several",
                    args.clips.len()
                );
            }
            super::job_store::check_output_file(out)?;
            let mut extractor = FeatureExtractor::new(FeatureConfig::default());
            write_features(&mut extractor, &args.clips[0], out, &opts, args.logmel)
        }
        (None, Some(dir)) => run_many(&args, dir, &opts),
        _ => bail!("give --out F.npy (one clip) or --out-dir DIR"),
    }
}

/// Features of many clips in parallel; every failure is reported, the rest still written.
fn run_many(args: &FeaturesArgs, dir: &Path, opts: &DecodeOptions) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create output directory", dir.display()))?;
    super::job_store::check_writable(dir)?;
    check_unique_stems(&args.clips)?;
    let bar = super::progress::counter(args.clips.len() as u64, "clips");
    let failures: Vec<String> = args
        .clips
        .par_iter()
        .map_init(
            || FeatureExtractor::new(FeatureConfig::default()),
            |extractor, clip| {
                let out = dir.join(format!("{}.npy", stem(clip)));
                let result = write_features(extractor, clip, &out, opts, args.logmel);
                bar.inc(1);
                result.err().map(|err| super::error_chain(&err))
            },
        )
        .flatten()
        .collect();
    bar.finish_and_clear();
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    let written = args.clips.len() - failures.len();
    eprintln!("wrote {written} feature file(s) to {}", dir.display());
    if !failures.is_empty() {
        bail!("{} of {} clip(s) failed", failures.len(), args.clips.len());
    }
    Ok(())
}

/// Decode one clip, compute its features and write them as NPY.
fn write_features(
    extractor: &mut FeatureExtractor,
    clip: &Path,
    out: &Path,
    opts: &DecodeOptions,
    logmel: bool,
) -> Result<()> {
    let decoded = audio::load(clip, opts)?;
    let cannot_write = || format!("{}: cannot write", out.display());
    if logmel {
        let spec = extractor.log_mel(&decoded.samples);
        let file = std::fs::File::create(out).with_context(cannot_write)?;
        npy::write_f32(file, &[spec.n_mels, spec.n_frames], &spec.data).with_context(cannot_write)
    } else {
        // The vectors are written straight from the frames (docs/DESIGN.md §13.1).
        let frames = extractor.frames(&clip.display().to_string(), &decoded.samples)?;
        let file = std::fs::File::create(out).with_context(cannot_write)?;
        npy::write_rows(file, &frames).with_context(cannot_write)
    }
}

/// The file stem used for `<stem>.npy`.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "clip".into())
}

/// Two clips with the same stem would overwrite each other's output: refuse up front.
fn check_unique_stems(clips: &[PathBuf]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for clip in clips {
        if let Some(previous) = seen.insert(stem(clip), clip) {
            bail!(
                "{} and {} would both be written as {}.npy; run them into separate --out-dir folders",
                previous.display(),
                clip.display(),
                stem(clip)
            );
        }
    }
    Ok(())
}
