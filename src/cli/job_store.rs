//! The finished jobs of an `eval` run on disk, so an interrupted run loses nothing and
//! `--resume` continues it (docs/DESIGN.md §13.2).
//!
//! Each finished (type, model, seed) job is written to `<out-dir>/jobs/` at once: its model file
//! `<type>__<model>__seed_<n>.sonogan`, then `<type>__<model>__seed_<n>.json` (the settings it
//! was made with, its training time and every test clip's score). Both are written to a
//! temporary name and renamed, so a crash leaves either the whole file or none; the JSON comes
//! last and marks the job done.

use crate::eval::protocol::TrainedJob;
use crate::eval::table::ClipScore;
use crate::models::ModelKind;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Version of the job JSON; another version is refused on resume.
const JOB_FORMAT: u32 = 1;

/// One job of a run.
#[derive(Debug, Clone, Copy)]
pub struct JobId<'a> {
    /// The machine type.
    pub machine_type: &'a str,
    /// The detector.
    pub kind: ModelKind,
    /// The training seed.
    pub seed: u64,
}

impl JobId<'_> {
    fn stem(&self) -> String {
        format!(
            "{}__{}__seed_{}",
            self.machine_type,
            self.kind.name(),
            self.seed
        )
    }
}

/// What a finished job leaves for the report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SavedJob {
    format: u32,
    /// Everything that decides the job's outcome (models, training, data selection).
    pub settings: serde_json::Value,
    /// Training time, seconds.
    pub train_seconds: f64,
    /// The scores of the type's test clips.
    pub scores: Vec<ClipScore>,
}

impl SavedJob {
    /// The record of a job trained now with `settings`.
    pub fn new(settings: serde_json::Value, trained: &TrainedJob) -> Self {
        SavedJob {
            format: JOB_FORMAT,
            settings,
            train_seconds: trained.model.summary.elapsed_seconds,
            scores: trained.scores.clone(),
        }
    }
}

/// The `jobs/` folder of an output directory.
#[derive(Debug, Clone)]
pub struct JobStore {
    dir: PathBuf,
}

impl JobStore {
    /// Opens (creating) `<out_dir>/jobs` and checks it is writable before any work starts.
    /// Without `resume`, finished jobs already there are an error (they would be overwritten).
    pub fn open(out_dir: &Path, resume: bool) -> Result<Self> {
        let dir = out_dir.join("jobs");
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("{}: cannot create the output folder", dir.display()))?;
        check_writable(&dir)?;
        let store = JobStore { dir };
        let finished = store.finished_count()?;
        if !resume && finished > 0 {
            bail!(
                "{}: holds {finished} finished job(s) of an earlier run; add --resume to continue \
                 it, or choose another --out-dir",
                out_dir.display()
            );
        }
        Ok(store)
    }

    /// The folder the jobs are written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn finished_count(&self) -> Result<usize> {
        let entries = std::fs::read_dir(&self.dir)
            .with_context(|| format!("{}: cannot list", self.dir.display()))?;
        Ok(entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count())
    }

    /// The saved job, when it was finished before with the same `settings`. Error when it was
    /// made with other settings or the file is unreadable (resuming would mix two runs).
    pub fn load(&self, id: JobId<'_>, settings: &serde_json::Value) -> Result<Option<SavedJob>> {
        let path = self.dir.join(format!("{}.json", id.stem()));
        if !path.exists() {
            return Ok(None);
        }
        let text =
            std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        let saved: SavedJob = serde_json::from_slice(&text).with_context(|| {
            format!(
                "{}: not a finished-job file of sonogan eval",
                path.display()
            )
        })?;
        if saved.format != JOB_FORMAT {
            bail!(
                "{}: job format {}, this sonogan writes {JOB_FORMAT}",
                path.display(),
                saved.format
            );
        }
        if &saved.settings != settings {
            bail!(
                "{}: made with other settings than this run ({}); resume with the same options, \
                 or choose another --out-dir",
                path.display(),
                first_difference(&saved.settings, settings)
            );
        }
        Ok(Some(saved))
    }

    /// Writes a finished job's model file and then its scores, each atomically.
    pub fn save(
        &self,
        id: JobId<'_>,
        settings: &serde_json::Value,
        trained: &TrainedJob,
    ) -> Result<SavedJob> {
        let stem = id.stem();
        let model = &trained.model;
        let bytes =
            crate::runtime::block_on(crate::store::save(model.detector.as_ref(), &model.manifest))?;
        write_atomic(&self.dir.join(format!("{stem}.sonogan")), &bytes)?;
        let saved = SavedJob::new(settings.clone(), trained);
        write_atomic(
            &self.dir.join(format!("{stem}.json")),
            &serde_json::to_vec(&saved)?,
        )?;
        Ok(saved)
    }
}

/// The first setting (a JSON path) whose values differ, with both values.
fn first_difference(saved: &serde_json::Value, now: &serde_json::Value) -> String {
    match (saved, now) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            let keys = a.keys().chain(b.keys());
            for key in keys {
                let (x, y) = (a.get(key), b.get(key));
                if x != y {
                    let null = serde_json::Value::Null;
                    let inner = first_difference(x.unwrap_or(&null), y.unwrap_or(&null));
                    return match inner.starts_with("saved ") {
                        true => format!("{key}: {inner}"),
                        false => format!("{key}.{inner}"),
                    };
                }
            }
            "no difference".into()
        }
        _ => format!("saved {saved}, now {now}"),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so the
/// file is either complete or absent.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy());
    let partial = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    std::fs::write(&partial, bytes).with_context(|| format!("{}: cannot write", path.display()))?;
    if let Err(e) = std::fs::rename(&partial, path) {
        let _ = std::fs::remove_file(&partial);
        bail!("{}: cannot write (rename failed: {e})", path.display());
    }
    Ok(())
}

/// Error unless a file can be created in `dir` (checked before work starts, so a run never
/// loses its results to an unwritable folder).
pub fn check_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(format!(".sonogan-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .with_context(|| format!("{}: cannot write to this folder", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Error unless the file `path` can be written: its folder exists and is writable, and it is not
/// a folder itself.
pub fn check_output_file(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!("{}: is a folder, not a file to write", path.display());
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        bail!(
            "{}: the folder {} does not exist",
            path.display(),
            parent.display()
        );
    }
    check_writable(parent).with_context(|| format!("{}: cannot be written", path.display()))
}
