//! Data set loading shared by `train` and `eval`: scan, select, decode and extract features on
//! every core, keeping going past bad files (each reported with its reason).

use crate::audio::{self, DecodeOptions};
use crate::data::{ClipEntry, Dataset, DatasetOptions, Rejected, Split, subset};
use crate::eval::protocol::FeatureClip;
use crate::features::{FeatureConfig, FeatureExtractor, FrameStack};
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::feature_cache::FeatureCache;
use super::interrupt::stopped;

/// How a run stopped by Ctrl-C is reported.
pub const STOPPED: &str = "stopped by Ctrl-C";
use std::sync::Arc;

/// Options that decide which clips are used and how they are decoded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Channel to use (None: mean of channels).
    pub channel: Option<usize>,
    /// At most this many clips per (type, ID, split, label), chosen with `seed`.
    pub subset: Option<usize>,
    /// Seed of the subset choice.
    pub seed: u64,
    /// MIMII: normal clips per ID used for training.
    pub mimii_train: Option<usize>,
    /// Where clips' frames are cached (`--cache`).
    pub cache: Option<FeatureCache>,
    /// Raised by Ctrl-C: the clips not yet started are skipped.
    pub stop: Option<Arc<AtomicBool>>,
}

/// Scans `root` and lists the files it cannot use as warnings.
pub fn scan(root: &Path, opts: &LoadOptions) -> Result<Dataset> {
    let dataset = Dataset::scan(
        root,
        &DatasetOptions {
            mimii_train_per_id: opts.mimii_train,
        },
    )?;
    warn_rejected(&dataset.rejected);
    Ok(dataset)
}

/// The clips of `machine_type` in `split`, reduced to the subset when one is asked for.
pub fn select(
    dataset: &Dataset,
    machine_type: &str,
    split: Split,
    opts: &LoadOptions,
) -> Vec<ClipEntry> {
    let clips: Vec<ClipEntry> = dataset
        .select(machine_type, split)
        .into_iter()
        .cloned()
        .collect();
    match opts.subset {
        Some(per_id) => subset(&clips, per_id, opts.seed),
        None => clips,
    }
}

/// Decodes and featurises `clips` in parallel (order kept). Clips that fail are left out and
/// reported; an error only when none is usable.
pub fn features(
    root: &Path,
    clips: &[ClipEntry],
    opts: &LoadOptions,
    what: &str,
) -> Result<Vec<FeatureClip>> {
    let decode = DecodeOptions {
        channel: opts.channel,
    };
    let bar = super::progress::counter(clips.len() as u64, what);
    let results: Vec<Result<FeatureClip, String>> = clips
        .par_iter()
        .map_init(
            || FeatureExtractor::new(FeatureConfig::default()),
            |extractor, entry| {
                if opts.stop.as_deref().is_some_and(stopped) {
                    return Err(STOPPED.to_string());
                }
                let result = featurise(extractor, root, entry, &decode, opts.cache.as_ref());
                bar.inc(1);
                result
            },
        )
        .collect();
    bar.finish_and_clear();
    if opts.stop.as_deref().is_some_and(stopped) {
        bail!("{STOPPED} while computing the features of the {what}");
    }
    let mut ok = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(clip) => ok.push(clip),
            Err(problem) => eprintln!("warning: skipping {problem}"),
        }
    }
    if ok.is_empty() && !clips.is_empty() {
        bail!(
            "{}: none of the {} {what} could be used",
            root.display(),
            clips.len()
        );
    }
    Ok(ok)
}

fn featurise(
    extractor: &mut FeatureExtractor,
    root: &Path,
    entry: &ClipEntry,
    decode: &DecodeOptions,
    cache: Option<&FeatureCache>,
) -> Result<FeatureClip, String> {
    let path = root.join(&entry.rel_path);
    let frames = match cache {
        Some(cache) => cache.frames(extractor, &path, decode)?,
        None => clip_frames(extractor, &path, decode)?,
    };
    Ok(FeatureClip {
        entry: entry.clone(),
        features: Arc::new(frames),
    })
}

/// Decodes the clip at `path` and computes its frames (its vectors, unstacked, docs/DESIGN.md
/// §13.1); an error message names the file.
pub fn clip_frames(
    extractor: &mut FeatureExtractor,
    path: &Path,
    decode: &DecodeOptions,
) -> Result<FrameStack, String> {
    let clip = audio::load(path, decode).map_err(|e| e.to_string())?;
    extractor
        .frames(&path.display().to_string(), &clip.samples)
        .map_err(|e| e.to_string())
}

fn warn_rejected(rejected: &[Rejected]) {
    for r in rejected {
        eprintln!("warning: skipping {}: {}", r.rel_path, r.reason);
    }
}
