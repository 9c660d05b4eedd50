//! Evaluation tables (docs/DESIGN.md §1.8): per-ID AUC/pAUC, means over IDs and types, the Table 2 text,
//! the DCASE files; all values computed by hand below.

use sonogan::data::Label;
use sonogan::eval::table::{
    ClipScore, DCASE_MAX_FPR, EvalTable, TableError, dcase_result_csv, dcase_score_files,
    format_table2, write_dcase_files,
};
use sonogan::models::ModelKind;

#[path = "eval_table/sweep.rs"]
mod sweep;

const TOL: f64 = 1e-12;

// Hand-computed values, max FPR 0.1 (McClish: ½·(1 + (A_p − 0.005)/0.095)).
// AE fan id_00: normals 1, 2, 3; anomalies 2.5, 4. Pairs won 5 of 6 → AUC 5/6. ROC (0,0) (0,½)
// (⅓,½) (⅓,1) (⅔,1) (1,1): TPR(0.1) = ½, A_p = 0.05, pAUC = ½·(1 + 0.045/0.095) = 14/19, raw ½.
const FAN_00: (f64, f64) = (5.0 / 6.0, 14.0 / 19.0);
// AE fan id_02: normals 1, 2; anomalies 3, 4: perfect.
const FAN_02: (f64, f64) = (1.0, 1.0);
// AE pump id_00: normals 5, 6; anomaly 5 (tied): AUC (½ + 0)/2 = ¼. ROC (0,0) (½,0) (1,1):
// A_p = 0, pAUC = ½·(1 − 0.005/0.095) = 9/19, raw 0.
const PUMP_00: (f64, f64) = (0.25, 9.0 / 19.0);
// GANomaly fan id_00: normals 3, 4; anomalies 1, 2: every pair lost, AUC 0, A_p = 0, pAUC 9/19.
const GAN_FAN_00: (f64, f64) = (0.0, 9.0 / 19.0);

fn clip(
    model: &str,
    machine_type: &str,
    id: &str,
    name: &str,
    label: Option<Label>,
    score: f64,
) -> ClipScore {
    ClipScore {
        model: ModelKind::find(model).expect("a detector label"),
        machine_type: machine_type.to_string(),
        machine_id: id.to_string(),
        rel_path: format!("{machine_type}/test/{name}"),
        label,
        score,
    }
}

fn normal(model: &str, t: &str, id: &str, n: u32, score: f64) -> ClipScore {
    clip(
        model,
        t,
        id,
        &format!("normal_{id}_{n:08}.wav"),
        Some(Label::Normal),
        score,
    )
}

fn anomaly(model: &str, t: &str, id: &str, n: u32, score: f64) -> ClipScore {
    clip(
        model,
        t,
        id,
        &format!("anomaly_{id}_{n:08}.wav"),
        Some(Label::Anomaly),
        score,
    )
}

/// AE on fan (two IDs) and pump (one scorable ID, one normal-only ID, one unlabelled clip);
/// GANomaly on fan only. Not in path order, models interleaved (AE appears first).
fn scores() -> Vec<ClipScore> {
    vec![
        normal("AE", "fan", "id_00", 2, 3.0),
        anomaly("GANomaly", "fan", "id_00", 0, 1.0),
        normal("AE", "fan", "id_00", 0, 1.0),
        anomaly("AE", "fan", "id_00", 1, 4.0),
        normal("AE", "fan", "id_00", 1, 2.0),
        anomaly("AE", "fan", "id_00", 0, 2.5),
        normal("AE", "fan", "id_02", 0, 1.0),
        normal("AE", "fan", "id_02", 1, 2.0),
        anomaly("AE", "fan", "id_02", 0, 3.0),
        anomaly("AE", "fan", "id_02", 1, 4.0),
        normal("AE", "pump", "id_00", 0, 5.0),
        normal("AE", "pump", "id_00", 1, 6.0),
        anomaly("AE", "pump", "id_00", 0, 5.0),
        clip("AE", "pump", "id_00", "id_00_00000009.wav", None, 100.0),
        normal("AE", "pump", "id_04", 0, 1.0),
        normal("AE", "pump", "id_04", 1, 2.0),
        normal("GANomaly", "fan", "id_00", 0, 3.0),
        normal("GANomaly", "fan", "id_00", 1, 4.0),
        anomaly("GANomaly", "fan", "id_00", 1, 2.0),
    ]
}

fn table() -> EvalTable {
    EvalTable::build(&scores(), DCASE_MAX_FPR).unwrap()
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL,
        "{what}: got {got}, hand-computed {want}"
    );
}

fn mean2(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

#[test]
fn per_id_values_and_means_over_ids_and_types() {
    let t = table();
    let names: Vec<&str> = t.models.iter().map(|m| m.model.label()).collect();
    assert_eq!(
        names,
        ["AE", "GANomaly"],
        "models in first-appearance order"
    );
    let ae = t.model(ModelKind::Ae).unwrap();
    let types: Vec<&str> = ae.types.iter().map(|t| t.machine_type.as_str()).collect();
    assert_eq!(types, ["fan", "pump"]);

    let fan = &ae.types[0];
    assert_eq!(fan.ids.len(), 2);
    assert_close("fan id_00 AUC", fan.ids[0].summary.auc, FAN_00.0);
    assert_close("fan id_00 pAUC", fan.ids[0].summary.pauc, FAN_00.1);
    assert_close("fan id_00 raw pAUC", fan.ids[0].summary.pauc_raw, 0.5);
    assert_eq!(
        (fan.ids[0].summary.n_normal, fan.ids[0].summary.n_anomaly),
        (3, 2)
    );
    let fan_mean = fan.mean.unwrap();
    let want = mean2(FAN_00, FAN_02);
    assert_close("fan mean AUC", fan_mean.auc, want.0);
    assert_close("fan mean pAUC", fan_mean.pauc, want.1);
    assert_close("fan mean raw pAUC", fan_mean.pauc_raw, (0.5 + 1.0) / 2.0);

    let pump = &ae.types[1];
    assert_eq!(pump.ids.len(), 1, "id_04 has no anomalies and is skipped");
    assert_eq!(
        (pump.ids[0].summary.n_normal, pump.ids[0].summary.n_anomaly),
        (2, 1),
        "unlabelled clip ignored"
    );
    assert_close(
        "pump mean AUC (id_00 only)",
        pump.mean.unwrap().auc,
        PUMP_00.0,
    );
    assert_close(
        "pump mean pAUC (id_00 only)",
        pump.mean.unwrap().pauc,
        PUMP_00.1,
    );

    let model_mean = ae.mean.unwrap();
    let want = mean2(mean2(FAN_00, FAN_02), PUMP_00);
    assert_close("AE mean AUC over types", model_mean.auc, want.0);
    assert_close("AE mean pAUC over types", model_mean.pauc, want.1);
}

#[test]
fn single_class_id_is_skipped_with_reason() {
    let t = table();
    let pump = &t.model(ModelKind::Ae).unwrap().types[1];
    assert_eq!(pump.skipped.len(), 1);
    assert_eq!(pump.skipped[0].machine_id, "id_04");
    let reason = &pump.skipped[0].reason;
    assert!(
        reason.contains("no anomalous samples") && reason.contains("2 normal"),
        "{reason}"
    );
}

#[test]
fn json_has_the_agreed_shape() {
    let json = table().to_json();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&json), ["ae", "ganomaly"]);
    assert_eq!(keys(&json["ae"]), ["fan", "pump"]);
    assert_eq!(keys(&json["ae"]["fan"]), ["auc", "ids", "pauc"]);
    assert_eq!(keys(&json["ae"]["fan"]["ids"]), ["id_00", "id_02"]);
    assert_eq!(keys(&json["ae"]["pump"]["ids"]), ["id_00"]);
    assert_eq!(keys(&json["ae"]["fan"]["ids"]["id_00"]), ["auc", "pauc"]);
    let num = |pointer: &str| json.pointer(pointer).and_then(|v| v.as_f64()).unwrap();
    assert_close("AE fan id_00 auc", num("/ae/fan/ids/id_00/auc"), FAN_00.0);
    assert_close("AE fan id_00 pauc", num("/ae/fan/ids/id_00/pauc"), FAN_00.1);
    assert_close("AE fan auc", num("/ae/fan/auc"), mean2(FAN_00, FAN_02).0);
    assert_close("AE pump pauc", num("/ae/pump/pauc"), PUMP_00.1);
    assert_close(
        "GANomaly fan id_00 auc",
        num("/ganomaly/fan/ids/id_00/auc"),
        GAN_FAN_00.0,
    );
    assert_eq!(
        serde_json::to_value(table()).unwrap(),
        json,
        "Serialize gives the same shape"
    );
}

#[test]
fn type_without_scorable_id_has_no_mean() {
    let only_unlabelled = vec![clip(
        "EGBAD",
        "valve",
        "id_01",
        "id_01_00000000.wav",
        None,
        0.3,
    )];
    let t = EvalTable::build(&only_unlabelled, DCASE_MAX_FPR).unwrap();
    let model = t.model(ModelKind::Egbad).unwrap();
    assert_eq!(model.types[0].mean, None);
    assert_eq!(model.mean, None);
    assert_eq!(model.types[0].skipped[0].reason, "no labelled clips");
    assert!(t.to_json()["EGBAD"]["valve"]["auc"].is_null());
}

#[test]
fn table2_text_rows_and_means() {
    let text = format_table2(&table());
    let lines: Vec<&str> = text.lines().collect();
    let row = |label: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row:\n{text}"));
        line.split(['|', ' '])
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(row("Machine type")[2..], ["AE", "GANomaly"]);
    // fan: AE (5/6 + 1)/2 = 91.67 %, (14/19 + 1)/2 = 86.84 %; GANomaly 0 %, 9/19 = 47.37 %.
    assert_eq!(row("fan"), ["fan", "91.67", "86.84", "0.00", "47.37"]);
    // pump: AE ¼ and 9/19; GANomaly has no pump.
    assert_eq!(row("pump"), ["pump", "25.00", "47.37", "-", "-"]);
    // Means over types: AE (11/12 + ¼)/2 = 58.33 %, (33/38 + 9/19)/2 = 67.11 %.
    assert_eq!(
        row("Average"),
        ["Average", "58.33", "67.11", "0.00", "47.37"]
    );
    let table_lines = &lines[1..lines.len() - 1];
    assert!(
        table_lines.iter().all(|l| l.len() == table_lines[0].len()),
        "fixed width:\n{text}"
    );
    let note = lines.last().unwrap();
    assert!(
        note.contains("AE pump id_04") && note.contains("no anomalous samples"),
        "{note}"
    );
}

#[test]
fn dcase_score_files_in_path_order() {
    let files = dcase_score_files(&scores(), ModelKind::Ae).unwrap();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "anomaly_score_fan_id_00.csv",
            "anomaly_score_fan_id_02.csv",
            "anomaly_score_pump_id_00.csv",
            "anomaly_score_pump_id_04.csv",
        ]
    );
    assert_eq!(
        files[0].contents,
        "anomaly_id_00_00000000.wav,2.5\nanomaly_id_00_00000001.wav,4.0\n\
         normal_id_00_00000000.wav,1.0\nnormal_id_00_00000001.wav,2.0\nnormal_id_00_00000002.wav,3.0\n"
    );
    assert_eq!(
        files[2].contents,
        "anomaly_id_00_00000000.wav,5.0\nid_00_00000009.wav,100.0\n\
         normal_id_00_00000000.wav,5.0\nnormal_id_00_00000001.wav,6.0\n",
        "unlabelled clips are written too"
    );
    assert_eq!(
        dcase_score_files(&scores(), ModelKind::Egbad).unwrap_err(),
        TableError::UnknownModel(ModelKind::Egbad)
    );
}

#[test]
fn dcase_result_csv_layout_and_values() {
    let csv = dcase_result_csv(&table(), ModelKind::Ae).unwrap();
    let lines: Vec<&str> = csv.split('\n').collect();
    let shape: Vec<String> = lines
        .iter()
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(
        shape,
        [
            "fan", "id", "00", "02", "Average", "", "pump", "id", "00", "Average", "", ""
        ]
    );
    assert_eq!(lines[1], "id,AUC,pAUC");
    let numbers = |line: &str| -> Vec<f64> {
        line.split(',')
            .skip(1)
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let expect = |line: &str, want: (f64, f64)| {
        let got = numbers(line);
        assert_eq!(got.len(), 2, "{line}");
        assert_close(line, got[0], want.0);
        assert_close(line, got[1], want.1);
    };
    expect(lines[2], FAN_00);
    expect(lines[3], FAN_02);
    expect(lines[4], mean2(FAN_00, FAN_02));
    expect(lines[8], PUMP_00);
    expect(lines[9], PUMP_00);
    assert_eq!(
        dcase_result_csv(&table(), ModelKind::Egbad).unwrap_err(),
        TableError::UnknownModel(ModelKind::Egbad)
    );
}

#[test]
fn writes_dcase_files_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("AE");
    let written = write_dcase_files(&out, &scores(), &table(), ModelKind::Ae).unwrap();
    assert_eq!(written.len(), 5);
    let result = std::fs::read_to_string(out.join("result.csv")).unwrap();
    assert_eq!(result, dcase_result_csv(&table(), ModelKind::Ae).unwrap());
    let fan_02 = std::fs::read_to_string(out.join("anomaly_score_fan_id_02.csv")).unwrap();
    assert_eq!(fan_02.lines().count(), 4);
}

#[test]
fn faulty_input_is_an_error_naming_the_clip() {
    let mut bad = scores();
    bad[3].score = f64::NAN;
    let err = EvalTable::build(&bad, DCASE_MAX_FPR).unwrap_err();
    assert!(
        err.to_string()
            .contains("fan/test/anomaly_id_00_00000001.wav"),
        "{err}"
    );
    assert!(matches!(err, TableError::NonFiniteScore { model, .. } if model == ModelKind::Ae));

    let mut twice = scores();
    twice.push(twice[0].clone());
    let err = EvalTable::build(&twice, DCASE_MAX_FPR).unwrap_err();
    assert_eq!(
        err,
        TableError::DuplicateClip {
            model: ModelKind::Ae,
            rel_path: "fan/test/normal_id_00_00000002.wav".into()
        }
    );
    assert_eq!(
        EvalTable::build(&scores(), 0.0).unwrap_err(),
        TableError::InvalidMaxFpr(0.0)
    );
}
