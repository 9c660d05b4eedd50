//! Training presets and the options of one "train and evaluate" run on the page.
//!
//! "quick demo" is sized so the built-in demo (one machine type, four models) trains in well
//! under a minute on one CPU thread in the browser; it raises the learning rates as the learning
//! tests do for short runs (tests/learning.rs). "faithful" is the DCASE baseline's schedule
//! (docs/DESIGN.md §1.6, §10.5): 100 epochs, batch 512, each model's default learning rate.

use crate::data::synth::SynthConfig;
use crate::models::{ModelKind, REGISTRY};
use crate::train::TrainConfig;

/// A named set of defaults for the page's training form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Preset {
    /// "quick" or "faithful".
    pub name: String,
    /// Passes over the training vectors.
    pub epochs: usize,
    /// Vectors per batch.
    pub batch_size: usize,
    /// Learning rate per model kind (`None`: the model's default, docs/DESIGN.md §10.5).
    pub learning_rates: Vec<(ModelKind, Option<f64>)>,
}

impl Preset {
    /// The preset called `name` ("quick" or "faithful").
    pub fn named(name: &str) -> Result<Preset, String> {
        match name {
            "quick" => Ok(Preset {
                name: "quick".into(),
                epochs: 20,
                batch_size: 128,
                learning_rates: REGISTRY
                    .iter()
                    .map(|k| (k.kind, k.quick_learning_rate))
                    .collect(),
            }),
            "faithful" => Ok(Preset {
                name: "faithful".into(),
                epochs: 100,
                batch_size: 512,
                learning_rates: ModelKind::ALL.iter().map(|&k| (k, None)).collect(),
            }),
            other => Err(format!(
                "unknown preset '{other}' (expected quick or faithful)"
            )),
        }
    }

    /// The preset's learning rate for `kind` (`None`: the model's default).
    pub fn learning_rate(&self, kind: ModelKind) -> Option<f64> {
        self.learning_rates
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, lr)| *lr)
    }
}

/// The built-in sounds the demo button loads: one machine type the detectors learn quickly,
/// two IDs, short clips.
pub fn demo_data() -> SynthConfig {
    SynthConfig {
        types: vec!["valve".into()],
        ids: vec!["id_00".into(), "id_02".into()],
        train_per_id: 8,
        test_normal_per_id: 6,
        test_anomaly_per_id: 6,
        secs: 5.0,
        seed: 0,
    }
}

/// The default of [`RunOptions::seeds`].
fn one() -> usize {
    1
}

/// What the user asked for in the training form.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunOptions {
    /// Models to train, in table order.
    pub models: Vec<ModelKind>,
    /// The preset whose defaults fill unset fields.
    pub preset: String,
    /// Epochs (`None`: the preset's).
    pub epochs: Option<usize>,
    /// Batch size (`None`: the preset's).
    pub batch_size: Option<usize>,
    /// One learning rate for every model (`None`: the preset's per-model values).
    pub learning_rate: Option<f64>,
    /// Seed of initial weights and batch order (the first seed of the run).
    pub seed: u64,
    /// Repeat the run with this many seeds: `seed`, `seed + 1`, …, the tables showing mean ± sd
    /// over them (docs/DESIGN.md §1.10); 0 or absent means 1.
    #[serde(default = "one")]
    pub seeds: usize,
    /// At most this many clips per (type, ID, split, label); `None` or 0: all.
    pub subset: Option<usize>,
}

impl RunOptions {
    /// Checks the options and resolves the training configuration of `kind`.
    pub fn train_config(&self, kind: ModelKind) -> Result<TrainConfig, String> {
        let preset = Preset::named(&self.preset)?;
        if self.models.is_empty() {
            return Err("choose at least one model to train".into());
        }
        let learning_rate = self.learning_rate.or(preset.learning_rate(kind));
        if let Some(lr) = learning_rate
            && !(lr.is_finite() && lr > 0.0 && lr < 1.0)
        {
            return Err(format!("learning rate must be in (0, 1), got {lr}"));
        }
        Ok(TrainConfig {
            epochs: self.epochs.unwrap_or(preset.epochs),
            batch_size: self.batch_size.unwrap_or(preset.batch_size),
            seed: self.seed,
            learning_rate,
            // Reads are asynchronous in the browser; every 4 steps keeps a GPU busy between them.
            loss_read_every: 4,
            ..TrainConfig::default()
        })
    }

    /// The training seeds of the run: `seed`, `seed + 1`, … (`seeds` of them, at least one).
    pub fn seed_list(&self) -> Vec<u64> {
        let n = self.seeds.max(1) as u64;
        (0..n).map(|i| self.seed.wrapping_add(i)).collect()
    }

    /// The subset size, when one is asked for.
    pub fn subset_per_group(&self) -> Option<usize> {
        self.subset.filter(|&n| n > 0)
    }
}
