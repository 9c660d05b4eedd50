//! Seed sweeps (docs/DESIGN.md §1.10): mean ± sample sd over seeds against hand-computed values,
//! every seed kept in the JSON, the Table 2 text with "±", bootstrap intervals per seed.

use super::{FAN_00, FAN_02, PUMP_00, TOL, anomaly, assert_close, normal};
use sonogan::eval::table::{
    ClipScore, DCASE_MAX_FPR, EvalTable, SeedScores, Spread, SweepTable, TableError,
    format_sweep_table2, format_table2,
};
use sonogan::models::ModelKind;

/// AE fan id_00 (normals 1, 2, 3) with the two anomalies of a seed, AE fan id_02 (normals 1, 2)
/// with its two anomalies, AE pump id_00 as in the main fixture (same every seed).
fn ae_seed(id_00: [f64; 2], id_02: [f64; 2]) -> Vec<ClipScore> {
    let mut out = vec![
        normal("AE", "fan", "id_00", 0, 1.0),
        normal("AE", "fan", "id_00", 1, 2.0),
        normal("AE", "fan", "id_00", 2, 3.0),
        anomaly("AE", "fan", "id_00", 0, id_00[0]),
        anomaly("AE", "fan", "id_00", 1, id_00[1]),
        normal("AE", "fan", "id_02", 0, 1.0),
        normal("AE", "fan", "id_02", 1, 2.0),
        anomaly("AE", "fan", "id_02", 0, id_02[0]),
        anomaly("AE", "fan", "id_02", 1, id_02[1]),
    ];
    out.extend([
        normal("AE", "pump", "id_00", 0, 5.0),
        normal("AE", "pump", "id_00", 1, 6.0),
        anomaly("AE", "pump", "id_00", 0, 5.0),
    ]);
    out
}

// Hand values per seed (AUC, McClish pAUC at 0.1):
// seed 10: id_00 anomalies 2.5, 4 → FAN_00 (5/6, 14/19); id_02 anomalies 3, 4 → (1, 1).
// seed 11: id_00 anomalies 0.5, 4 → 3 of 6 pairs won, AUC ½; ROC (0,0) (0,½) … so TPR(0.1) = ½,
//          A_p = 0.05, pAUC 14/19; id_02 perfect.
// seed 12: id_00 anomalies 3.5, 4 → (1, 1); id_02 anomalies 0.5, 0.7 below both normals → AUC 0,
//          A_p = 0, pAUC 9/19.
// GANomaly only in seed 10: fan id_00 normals 3, 4, anomalies 1, 2 → AUC 0.
fn sweep_runs() -> Vec<SeedScores> {
    let mut first = ae_seed([2.5, 4.0], [3.0, 4.0]);
    first.extend([
        normal("GANomaly", "fan", "id_00", 0, 3.0),
        normal("GANomaly", "fan", "id_00", 1, 4.0),
        anomaly("GANomaly", "fan", "id_00", 0, 1.0),
        anomaly("GANomaly", "fan", "id_00", 1, 2.0),
    ]);
    vec![
        SeedScores {
            seed: 10,
            scores: first,
        },
        SeedScores {
            seed: 11,
            scores: ae_seed([0.5, 4.0], [3.0, 4.0]),
        },
        SeedScores {
            seed: 12,
            scores: ae_seed([3.5, 4.0], [0.5, 0.7]),
        },
    ]
}

fn sweep() -> SweepTable {
    SweepTable::build(&sweep_runs(), DCASE_MAX_FPR).unwrap()
}

fn assert_spread(what: &str, got: Spread, mean: f64, sd: f64, n: usize) {
    assert_close(&format!("{what} mean"), got.mean, mean);
    assert_close(&format!("{what} sd"), got.sd.expect("an sd"), sd);
    assert_eq!(got.n, n, "{what} n");
}

#[test]
fn spread_is_the_mean_and_the_sample_sd() {
    // 1, 2, 4: mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9; / (3 − 1) → sd √(7/3).
    let s = Spread::of(&[1.0, 2.0, 4.0]).unwrap();
    assert_spread("1, 2, 4", s, 7.0 / 3.0, (7.0f64 / 3.0).sqrt(), 3);
    assert_eq!(Spread::of(&[0.4]).unwrap(), Spread::single(0.4));
    assert_eq!(Spread::of(&[]), None);
}

#[test]
fn cells_are_mean_and_sample_sd_over_seeds() {
    let s = sweep();
    assert_eq!(s.seeds(), [10, 11, 12]);
    assert_eq!(s.runs.len(), 3);
    let ae = s.model(ModelKind::Ae).unwrap();
    let fan = ae.machine_type("fan").unwrap();
    // id_00 AUC 5/6, ½, 1: mean 7/9; deviations 1/18, −5/18, 4/18 → sd √(42/324 / 2) = √21/18.
    let id_00 = fan.id("id_00").unwrap().scores;
    assert_spread(
        "fan id_00 AUC",
        id_00.auc,
        7.0 / 9.0,
        21f64.sqrt() / 18.0,
        3,
    );
    // pAUC 14/19, 14/19, 1: mean 47/57; deviations −5/57, −5/57, 10/57 → sd √(150/57² / 2) = √75/57.
    assert_spread(
        "fan id_00 pAUC",
        id_00.pauc,
        47.0 / 57.0,
        75f64.sqrt() / 57.0,
        3,
    );
    // Type means per seed: 11/12, 3/4, 1/2 → mean 13/18; deviations 7/36, 1/36, −8/36 → √57/36.
    let mean = fan.mean.unwrap();
    assert_spread("fan AUC", mean.auc, 13.0 / 18.0, 57f64.sqrt() / 36.0, 3);
    // pump is the same every seed: sd 0.
    let pump = ae.machine_type("pump").unwrap().mean.unwrap();
    assert_close("pump AUC", pump.auc.mean, PUMP_00.0);
    assert!(pump.auc.sd.unwrap().abs() < TOL && pump.pauc.sd.unwrap().abs() < TOL);
    // Model average per seed (fan + pump)/2: 7/12, 1/2, 3/8 → mean 35/72, sd √57/72.
    assert_spread(
        "AE average AUC",
        ae.mean.unwrap().auc,
        35.0 / 72.0,
        57f64.sqrt() / 72.0,
        3,
    );
    // GANomaly has one seed: its value, no sd.
    let gan = s.model(ModelKind::Ganomaly).unwrap();
    let gan_fan = gan.machine_type("fan").unwrap().mean.unwrap();
    assert_eq!(gan_fan.auc, Spread::single(0.0));
    let names: Vec<ModelKind> = s.models.iter().map(|m| m.model).collect();
    assert_eq!(names, [ModelKind::Ae, ModelKind::Ganomaly]);
}

#[test]
fn json_keeps_every_seed_with_its_intervals() {
    let json = sweep().to_json();
    let num = |pointer: &str| {
        json.pointer(pointer)
            .and_then(|v| v.as_f64())
            .unwrap_or_else(|| panic!("{pointer} in {json}"))
    };
    assert_close("mean fan AUC", num("/models/ae/fan/auc"), 13.0 / 18.0);
    assert_close(
        "sd fan AUC",
        num("/models/ae/fan/auc_sd"),
        57f64.sqrt() / 36.0,
    );
    assert_close("mean id_00", num("/models/ae/fan/ids/id_00/auc"), 7.0 / 9.0);
    assert_eq!(json["models"]["ae"]["fan"]["n"], 3);
    assert!(json["models"]["ganomaly"]["fan"]["auc_sd"].is_null());
    assert_close("AE average", num("/averages/ae/auc"), 35.0 / 72.0);
    assert_eq!(json["seeds"], serde_json::json!([10, 11, 12]));
    let runs = json["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 3);
    assert_eq!(runs[1]["seed"], 11);
    assert_close(
        "seed 11 id_00",
        num("/runs/1/models/ae/fan/ids/id_00/auc"),
        0.5,
    );
    assert_close(
        "seed 12 id_02",
        num("/runs/2/models/ae/fan/ids/id_02/auc"),
        0.0,
    );
    for (run, point) in [(0, FAN_00.0), (1, 0.5), (2, 1.0)] {
        let ci = &runs[run]["models"]["ae"]["fan"]["ids"]["id_00"]["auc_ci"];
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        assert!(
            lo <= point && point <= hi,
            "seed {run}: {point} in [{lo}, {hi}]"
        );
    }
    assert_eq!(json["bootstrap"]["resamples"], 1000);
}

#[test]
fn table2_text_shows_mean_and_sd() {
    let text = format_sweep_table2(&sweep());
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with("mean ± sd over 3 seeds"),
        "{text}"
    );
    let fan = text.lines().find(|l| l.starts_with("fan")).unwrap();
    // 13/18 = 72.22 %, √57/36 = 20.97 %; GANomaly one seed: 0.00 without ±.
    assert!(fan.contains("72.22 ± 20.97"), "{fan}");
    assert!(
        fan.contains(" 0.00 ") && fan.trim_end().ends_with(" 47.37"),
        "{fan}"
    );
    let widths: Vec<usize> = text
        .lines()
        .skip(1)
        .take(7)
        .map(|l| l.chars().count())
        .collect();
    assert!(
        widths.iter().all(|&w| w == widths[0]),
        "fixed width:\n{text}"
    );
}

#[test]
fn one_seed_prints_exactly_the_plain_table() {
    let scores = super::scores();
    let single = SweepTable::build(
        &[SeedScores {
            seed: 0,
            scores: scores.clone(),
        }],
        DCASE_MAX_FPR,
    )
    .unwrap();
    let plain = EvalTable::build(&scores, DCASE_MAX_FPR).unwrap();
    assert_eq!(format_sweep_table2(&single), format_table2(&plain));
    let fan = single
        .model(ModelKind::Ae)
        .unwrap()
        .machine_type("fan")
        .unwrap();
    assert_eq!(fan.mean.unwrap().auc.sd, None);
    assert_close(
        "one seed",
        fan.mean.unwrap().auc.mean,
        (FAN_00.0 + FAN_02.0) / 2.0,
    );
    // The same numbers as the plain table's JSON, plus sds and n.
    let json = single.to_json();
    assert_eq!(
        json["models"]["ae"]["fan"]["auc"],
        plain.to_json()["ae"]["fan"]["auc"]
    );
    assert!(json["models"]["ae"]["fan"]["auc_sd"].is_null());
    // The skipped pump id_04 is carried over with its reason.
    let pump = single
        .model(ModelKind::Ae)
        .unwrap()
        .machine_type("pump")
        .unwrap();
    assert_eq!(pump.skipped[0].machine_id, "id_04");
}

#[test]
fn shown_interval_is_that_of_the_first_seed() {
    let s = sweep();
    let (seed, ci) = s.shown_interval(ModelKind::Ae, "fan", "id_00").unwrap();
    assert_eq!(seed, 10);
    assert_eq!(
        ci,
        s.runs[0].interval(ModelKind::Ae, "fan", "id_00").unwrap()
    );
    assert_ne!(
        ci,
        s.runs[1].interval(ModelKind::Ae, "fan", "id_00").unwrap()
    );
    assert!(s.shown_interval(ModelKind::Ae, "pump", "id_04").is_none());
}

#[test]
fn a_seed_twice_is_an_error() {
    let mut runs = sweep_runs();
    runs[1].seed = 10;
    assert_eq!(
        SweepTable::build(&runs, DCASE_MAX_FPR).unwrap_err(),
        TableError::DuplicateSeed(10)
    );
}
