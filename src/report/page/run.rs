//! The report's "Run" section: data, machine types, models, seeds, the trainer's settings, the
//! device and the timings.

use std::fmt::Write as _;

use crate::eval::table::SweepTable;
use crate::models::ModelKind;
use crate::report::svg::{escape_html, format_fixed};
use crate::train::TrainConfig;

/// How a run was configured and how long it took, as `sonogan eval` passes it to the report.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// The data set root.
    pub data: String,
    /// Machine types evaluated.
    pub machine_types: Vec<String>,
    /// Detectors evaluated, in run order.
    pub models: Vec<ModelKind>,
    /// The trainer's settings (its `seed` is the base seed; the sweep's seeds are listed apart).
    pub train: TrainConfig,
    /// Clips per (type, ID, split, label), when a subset was used.
    pub subset: Option<usize>,
    /// The compute device, in words.
    pub device: String,
    /// Seconds spent decoding and extracting features.
    pub features_s: f64,
    /// Training seconds per model, summed over types and seeds.
    pub train_s: Vec<(ModelKind, f64)>,
}

/// A `<dl class="run">` with one `<dt>`/`<dd>` pair per setting: the run's fields, every field
/// of [`TrainConfig`] (as its JSON value), the seeds of `sweep` and the bootstrap settings.
pub(super) fn run_html(run: &RunInfo, sweep: &SweepTable) -> String {
    let mut rows: Vec<(String, String)> = vec![
        ("data".into(), run.data.clone()),
        ("machine types".into(), run.machine_types.join(", ")),
        (
            "models".into(),
            run.models
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("seeds".into(), join_numbers(&sweep.seeds())),
        (
            "subset".into(),
            run.subset.map_or("all clips".to_string(), |n| {
                format!("{n} clips per type, ID, split and label")
            }),
        ),
        ("device".into(), run.device.clone()),
    ];
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&run.train) {
        for (key, value) in fields {
            rows.push((format!("train.{key}"), value.to_string()));
        }
    }
    if let Some(config) = sweep
        .runs
        .iter()
        .flat_map(|r| r.intervals.first())
        .map(|i| i.ci.config)
        .next()
    {
        rows.push((
            "bootstrap".into(),
            format!(
                "{} stratified resamples, {} % percentile interval, ChaCha8 seed {}",
                config.resamples,
                format_fixed(100.0 * config.level, 0),
                config.seed
            ),
        ));
    }
    rows.push(("features".into(), seconds(run.features_s)));
    for (kind, s) in &run.train_s {
        rows.push((format!("training {}", kind.label()), seconds(*s)));
    }
    let mut out = String::from(r#"<dl class="run">"#);
    for (key, value) in rows {
        let _ = write!(
            out,
            "<dt>{}</dt><dd>{}</dd>",
            escape_html(&key),
            escape_html(&value)
        );
    }
    out.push_str("</dl>");
    out
}

/// "0, 1, 2".
fn join_numbers(values: &[u64]) -> String {
    let texts: Vec<String> = values.iter().map(u64::to_string).collect();
    texts.join(", ")
}

/// "12.3 s".
fn seconds(s: f64) -> String {
    format!("{} s", format_fixed(s, 1))
}
