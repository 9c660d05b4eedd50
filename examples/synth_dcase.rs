//! Write a synthetic data set in DCASE dev layout.
//!
//! `cargo run --example synth_dcase -- OUT_DIR [TRAIN_PER_ID] [TEST_PER_ID] [SECS] [SEED]`

use sonogan::data::Label;
use sonogan::data::synth::{SynthConfig, TEST_INDEX_OFFSET, entries, fault_for, write_dcase};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: synth_dcase OUT_DIR [TRAIN_PER_ID] [TEST_PER_ID] [SECS] [SEED]");
        std::process::exit(2);
    };
    let number = |i: usize, default: f64| -> f64 {
        args.get(i).map_or(default, |s| {
            s.parse().unwrap_or_else(|_| {
                eprintln!("argument {i} ({s:?}) is not a number");
                std::process::exit(2)
            })
        })
    };
    let test = number(2, 10.0) as usize;
    let config = SynthConfig {
        train_per_id: number(1, 20.0) as usize,
        test_normal_per_id: test,
        test_anomaly_per_id: test,
        secs: number(3, 10.0) as f32,
        seed: number(4, 0.0) as u64,
        ..SynthConfig::default()
    };
    match write_dcase(std::path::Path::new(out), &config) {
        Ok(count) => {
            write_fault_list(std::path::Path::new(out), &config);
            println!("wrote {count} clips and faults.csv under {out}");
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// `faults.csv`: the fault kind of every anomalous test clip (rel_path,fault).
fn write_fault_list(out: &std::path::Path, config: &SynthConfig) {
    let mut csv = String::from("rel_path,fault\n");
    for e in entries(config).unwrap_or_default() {
        if e.label != Some(Label::Anomaly) {
            continue;
        }
        let number: usize = e.rel_path[e.rel_path.len() - 12..e.rel_path.len() - 4]
            .parse()
            .unwrap_or(0);
        if let Ok(fault) = fault_for(
            &e.machine_type,
            &e.machine_id,
            TEST_INDEX_OFFSET + number,
            config.seed,
        ) {
            csv.push_str(&format!("{},{fault}\n", e.rel_path));
        }
    }
    if let Err(e) = std::fs::write(out.join("faults.csv"), csv) {
        eprintln!("cannot write faults.csv: {e}");
    }
}
