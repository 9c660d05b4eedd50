//! Walking a data set folder on disk (native only).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::data::build::{self, Source};
use crate::data::names::is_audio_file_name;
use crate::data::{DataError, Dataset, DatasetOptions, Rejected};

/// Walk `root` and build its data set. Symbolic links are followed, each real folder is visited
/// once (no loops); broken links are skipped. Names that are not valid UTF-8 cannot be written in a
/// clip list: such audio files are listed as rejected, such folders are skipped.
pub fn scan(root: &Path, opts: &DatasetOptions) -> Result<Dataset, DataError> {
    check_root(root)?;
    let walk = Walk::of(root)?;
    let root_name = fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned));
    let describe = format!("folder '{}'", root.display());
    let source = Source {
        root_name: root_name.as_deref(),
        describe: &describe,
    };
    let mut dataset = build::build(&walk.paths, source, opts)?;
    dataset
        .rejected
        .extend(walk.non_utf8_audio.into_iter().map(|rel_path| Rejected {
            rel_path,
            reason: "path is not valid UTF-8".to_owned(),
        }));
    dataset.rejected.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    Ok(dataset)
}

/// Every file below `root` as a sorted '/'-separated relative path, walked as [`scan`] walks
/// (links followed, each real folder once); for commands that take any folder of clips.
pub fn file_paths(root: &Path) -> Result<Vec<String>, DataError> {
    check_root(root)?;
    let mut paths = Walk::of(root)?.paths;
    paths.sort();
    Ok(paths)
}

/// The root must exist and be a folder.
fn check_root(root: &Path) -> Result<(), DataError> {
    let path = root.display().to_string();
    match fs::metadata(root) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(DataError::NotADirectory { path }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(DataError::NotFound { path }),
        Err(e) => Err(DataError::Unreadable {
            path,
            reason: e.to_string(),
        }),
    }
}

/// The files under a root, as '/'-separated relative paths.
struct Walk {
    /// Relative paths of every file (UTF-8 ones).
    paths: Vec<String>,
    /// Lossy relative paths of audio-looking files whose path is not UTF-8.
    non_utf8_audio: Vec<String>,
}

impl Walk {
    /// Walk the tree below `root` depth-first.
    fn of(root: &Path) -> Result<Self, DataError> {
        let mut walk = Walk {
            paths: Vec::new(),
            non_utf8_audio: Vec::new(),
        };
        let mut visited: HashSet<PathBuf> = HashSet::new();
        let mut pending: Vec<(PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
        while let Some((dir, rel_dir)) = pending.pop() {
            let real = fs::canonicalize(&dir).map_err(|e| unreadable(&dir, &e))?;
            if !visited.insert(real) {
                continue;
            }
            for entry in fs::read_dir(&dir).map_err(|e| unreadable(&dir, &e))? {
                let entry = entry.map_err(|e| unreadable(&dir, &e))?;
                walk.visit(&entry, &rel_dir, &mut pending);
            }
        }
        Ok(walk)
    }

    /// Record a file, or queue a folder (following links; broken links are skipped).
    fn visit(&mut self, entry: &fs::DirEntry, rel_dir: &str, pending: &mut Vec<(PathBuf, String)>) {
        let path = entry.path();
        let Ok(meta) = fs::metadata(&path) else {
            return;
        };
        let name = entry.file_name();
        let rel = |name: &str| {
            if rel_dir.is_empty() {
                name.to_owned()
            } else {
                format!("{rel_dir}/{name}")
            }
        };
        match name.to_str() {
            Some(name) if meta.is_dir() => pending.push((path, rel(name))),
            Some(name) => self.paths.push(rel(name)),
            None => {
                let lossy = name.to_string_lossy();
                if !meta.is_dir() && is_audio_file_name(&lossy) {
                    self.non_utf8_audio.push(rel(&lossy));
                }
            }
        }
    }
}

/// The error for a folder that cannot be listed.
fn unreadable(dir: &Path, e: &io::Error) -> DataError {
    DataError::Unreadable {
        path: dir.display().to_string(),
        reason: e.to_string(),
    }
}
