//! `sonogan synth`: write the built-in synthetic machine sounds as a DCASE-layout data set.

use crate::data::synth::{SynthConfig, write_dcase};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;

/// Write built-in synthetic machine sounds as a DCASE-layout data set.
///
/// Generates synthetic machine sounds of the six DCASE 2020 types (fan, pump, slider, valve,
/// ToyCar, ToyConveyor; docs/DESIGN.md §1.11) with subtle faults and
/// writes them as 16-bit 16 kHz WAVs in the DCASE 2020 dev layout:
/// `<out>/<type>/train/normal_id_XX_NNNNNNNN.wav`, `<out>/<type>/test/{normal,anomaly}_id_XX_NNNNNNNN.wav`.
/// The same seed always gives the same files.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Machine types, comma-separated (DCASE spelling: ToyCar, ToyConveyor).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "fan,pump,slider,valve,ToyCar,ToyConveyor"
    )]
    types: Vec<String>,
    /// Machine IDs, comma-separated (e.g. id_00,id_02); default: every ID of each type.
    #[arg(long, value_delimiter = ',')]
    ids: Vec<String>,
    /// Normal training clips per ID.
    #[arg(long, default_value_t = 20)]
    train: usize,
    /// Normal test clips per ID.
    #[arg(long, default_value_t = 10)]
    test_normal: usize,
    /// Anomalous test clips per ID.
    #[arg(long, default_value_t = 10)]
    test_anomaly: usize,
    /// Clip length in seconds.
    #[arg(long, default_value_t = 10.0)]
    secs: f32,
    /// Random seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Run the command.
pub fn run(args: SynthArgs) -> Result<()> {
    let config = SynthConfig {
        types: args.types,
        ids: args.ids.iter().map(|id| normalise_id(id)).collect(),
        train_per_id: args.train,
        test_normal_per_id: args.test_normal,
        test_anomaly_per_id: args.test_anomaly,
        secs: args.secs,
        seed: args.seed,
    };
    let started = std::time::Instant::now();
    let written = write_dcase(&args.out, &config)
        .with_context(|| format!("{}: synthesis failed", args.out.display()))?;
    eprintln!(
        "wrote {written} clip(s) to {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Accept `00` as well as `id_00`.
fn normalise_id(id: &str) -> String {
    let id = id.trim();
    if id.starts_with("id_") {
        id.to_string()
    } else {
        format!("id_{id}")
    }
}
