//! DCASE 2020 baseline output files (docs/DESIGN.md §1.7, §1.8): `anomaly_score_<type>_<id>.csv` and
//! `result.csv`.

use std::collections::BTreeMap;

use super::{ClipScore, EvalTable, TableError};
use crate::models::ModelKind;

/// Name of the DCASE summary file.
pub const RESULT_FILE_NAME: &str = "result.csv";

/// One output file: its name (no directory) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcaseFile {
    /// File name, e.g. "anomaly_score_fan_id_00.csv".
    pub name: String,
    /// File contents, '\n'-terminated lines.
    pub contents: String,
}

/// The anomaly-score files of `model`: one `anomaly_score_<type>_<id>.csv` per (type, ID),
/// sorted by type then ID, each with one `<file basename>,<score>` line per clip in path order.
/// Unlabelled clips are included (that is what the DCASE eval set submits).
pub fn dcase_score_files(
    scores: &[ClipScore],
    model: ModelKind,
) -> Result<Vec<DcaseFile>, TableError> {
    let mut groups: BTreeMap<(&str, &str), Vec<&ClipScore>> = BTreeMap::new();
    for clip in scores.iter().filter(|c| c.model == model) {
        groups
            .entry((&clip.machine_type, &clip.machine_id))
            .or_default()
            .push(clip);
    }
    if groups.is_empty() {
        return Err(TableError::UnknownModel(model));
    }
    let files = groups
        .into_iter()
        .map(|((machine_type, machine_id), mut clips)| {
            clips.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
            let contents: String = clips
                .iter()
                .map(|c| format!("{},{}\n", basename(&c.rel_path), csv_number(c.score)))
                .collect();
            DcaseFile {
                name: format!("anomaly_score_{machine_type}_{machine_id}.csv"),
                contents,
            }
        });
    Ok(files.collect())
}

/// `result.csv` of `model` in the DCASE baseline style: per machine type a line with the type,
/// the header `id,AUC,pAUC`, one row per scored ID (the ID without its `id_` prefix), the
/// `Average` row (mean over IDs) and an empty line. Skipped IDs have no row (and a type without
/// any scored ID no `Average` row), see the module docs.
pub fn dcase_result_csv(table: &EvalTable, model: ModelKind) -> Result<String, TableError> {
    let model_table = table.model(model).ok_or(TableError::UnknownModel(model))?;
    let mut out = String::new();
    for t in &model_table.types {
        out.push_str(&format!("{}\nid,AUC,pAUC\n", t.machine_type));
        for row in &t.ids {
            let (auc, pauc) = (csv_number(row.summary.auc), csv_number(row.summary.pauc));
            out.push_str(&format!("{},{auc},{pauc}\n", id_number(&row.machine_id)));
        }
        if let Some(mean) = t.mean {
            out.push_str(&format!(
                "Average,{},{}\n",
                csv_number(mean.auc),
                csv_number(mean.pauc)
            ));
        }
        out.push('\n');
    }
    Ok(out)
}

/// Writes the anomaly-score files and `result.csv` of `model` into `dir` (created if needed);
/// returns the written paths.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_dcase_files(
    dir: &std::path::Path,
    scores: &[ClipScore],
    table: &EvalTable,
    model: ModelKind,
) -> Result<Vec<std::path::PathBuf>, TableError> {
    let write_error = |path: &std::path::Path, e: std::io::Error| TableError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let mut files = dcase_score_files(scores, model)?;
    files.push(DcaseFile {
        name: RESULT_FILE_NAME.to_string(),
        contents: dcase_result_csv(table, model)?,
    });
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let mut written = Vec::with_capacity(files.len());
    for file in files {
        let path = dir.join(&file.name);
        std::fs::write(&path, file.contents).map_err(|e| write_error(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// Last component of a '/'-separated path.
fn basename(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

/// The ID as the baseline writes it: the part after the first '_' ("id_00" → "00").
fn id_number(machine_id: &str) -> &str {
    machine_id
        .split_once('_')
        .map_or(machine_id, |(_, number)| number)
}

/// A number as Python's `repr` would write it, close enough for CSV readers: shortest
/// round-trip digits, "1.0" rather than "1".
fn csv_number(x: f64) -> String {
    format!("{x:?}")
}
