//! HTML tables: one row per type × model, values to 3 decimals, missing means, escaping, and
//! mean ± sd with several seeds.

use super::{attr, tags, texts};
use sonogan::data::Label;
use sonogan::eval::table::{ClipScore, SeedScores, SweepTable};
use sonogan::models::ModelKind;
use sonogan::report::{ReportInput, id_table_html, results_page_html, results_table_html};

/// The one-seed sweep of `scores` (pAUC at 0.1).
pub fn one_seed(scores: Vec<ClipScore>) -> SweepTable {
    SweepTable::build(&[SeedScores { seed: 0, scores }], 0.1).unwrap()
}

pub fn clip(
    model: &str,
    machine_type: &str,
    id: &str,
    n: usize,
    anomaly: bool,
    score: f64,
) -> ClipScore {
    let label = if anomaly {
        Label::Anomaly
    } else {
        Label::Normal
    };
    ClipScore {
        model: ModelKind::find(model).expect("a detector label"),
        machine_type: machine_type.to_string(),
        machine_id: id.to_string(),
        rel_path: format!("{machine_type}/test/{id}_{n}.wav"),
        label: Some(label),
        score,
    }
}

/// AE: fan id_00 normals 1, 2, 3 / anomalies 2.5, 4 (AUC 5/6); fan id_02 perfect (AUC 1);
/// pump id_00 perfect. GAN: fan as AE but reversed on id_02 (AUC 0); pump id_00 only normals
/// (skipped, so GAN has no pump mean).
pub fn scores() -> Vec<ClipScore> {
    let mut out = Vec::new();
    for model in ["AE", "GANomaly"] {
        for (n, (anomaly, score)) in [
            (false, 1.0),
            (false, 2.0),
            (false, 3.0),
            (true, 2.5),
            (true, 4.0),
        ]
        .into_iter()
        .enumerate()
        {
            out.push(clip(model, "fan", "id_00", n, anomaly, score));
        }
        let flip = if model == "GANomaly" { -1.0 } else { 1.0 };
        for (n, (anomaly, score)) in [(false, 1.0), (true, 2.0)].into_iter().enumerate() {
            out.push(clip(model, "fan", "id_02", n, anomaly, flip * score));
        }
        let pump_anomaly = model == "AE";
        out.push(clip(model, "pump", "id_00", 0, false, 1.0));
        out.push(clip(model, "pump", "id_00", 1, pump_anomaly, 2.0));
    }
    out
}

#[test]
fn results_table_has_one_row_per_type_and_model() {
    let table = one_seed(scores());
    let html = results_table_html(&table);
    assert!(html.starts_with(r#"<table data-testid="results-table""#));
    let rows: Vec<(String, String)> = tags(&html, "<tr data-type=")
        .iter()
        .map(|tr| {
            (
                attr(tr, "data-type").unwrap(),
                attr(tr, "data-model").unwrap(),
            )
        })
        .collect();
    let expected = [
        ("fan", "AE"),
        ("fan", "GANomaly"),
        ("pump", "AE"),
        ("pump", "GANomaly"),
        ("mean", "AE"),
        ("mean", "GANomaly"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, m)| (t.to_string(), m.to_string()))
        .collect();
    assert_eq!(rows, expected);
    let aucs = texts(&html, r#"<td class="auc">"#);
    let paucs = texts(&html, r#"<td class="pauc">"#);
    // Hand values: AE fan (5/6 + 1)/2, GAN fan (5/6 + 0)/2, AE pump 1, AE mean over fan and pump.
    let ae_fan = (5.0 / 6.0 + 1.0) / 2.0;
    let hand = [ae_fan, 5.0 / 12.0, 1.0, (ae_fan + 1.0) / 2.0, 5.0 / 12.0];
    assert_eq!(
        aucs.len(),
        hand.len(),
        "GAN pump has no AUC cell with a value"
    );
    for (cell, want) in aucs.iter().zip(hand) {
        let value: f64 = cell.parse().expect("plain number");
        assert_eq!(
            cell.split('.').nth(1).map(str::len),
            Some(3),
            "3 decimals: {cell}"
        );
        assert!((value - want).abs() <= 0.0005, "{cell} vs {want}");
    }
    let ae = table.model(ModelKind::Ae).unwrap();
    let table_paucs = [
        ae.types[0].mean.unwrap().pauc.mean,
        ae.types[1].mean.unwrap().pauc.mean,
    ];
    // pAUC cells in row order: AE fan, GAN fan, AE pump, …
    for (cell, want) in [paucs[0], paucs[2]].into_iter().zip(table_paucs) {
        assert!((cell.parse::<f64>().unwrap() - want).abs() <= 0.0005);
    }
    // GAN pump: "—" with the skipped ID's reason as title.
    let gan_pump = &html[html
        .find(r#"<tr data-type="pump" data-model="GANomaly">"#)
        .unwrap()..];
    let cell = tags(gan_pump, r#"<td class="auc""#)[0];
    assert!(
        attr(cell, "title")
            .unwrap()
            .contains("id_00: only one class present"),
        "{cell}"
    );
    assert!(gan_pump[cell.len() + gan_pump.find(cell).unwrap()..].starts_with("—</td>"));
}

#[test]
fn single_type_has_no_mean_rows() {
    let fan: Vec<ClipScore> = scores()
        .into_iter()
        .filter(|c| c.machine_type == "fan")
        .collect();
    let html = results_table_html(&one_seed(fan));
    assert_eq!(tags(&html, "<tr data-type=").len(), 2);
    assert!(!html.contains(r#"data-type="mean""#));
}

#[test]
fn id_table_has_one_row_per_type_and_id() {
    let table = one_seed(scores());
    let html = id_table_html(&table);
    assert!(html.starts_with(r#"<table data-testid="id-table""#));
    let rows: Vec<(String, String)> = tags(&html, "<tr data-type=")
        .iter()
        .map(|tr| (attr(tr, "data-type").unwrap(), attr(tr, "data-id").unwrap()))
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2], ("pump".to_string(), "id_00".to_string()));
    let ae = texts(&html, r#"<td class="auc" data-model="AE">"#);
    assert_eq!(ae, ["0.833", "1.000", "1.000"]);
    let gan = texts(&html, r#"<td class="auc" data-model="GANomaly""#);
    assert_eq!(gan[1], ">0.000");
    assert!(gan[2].ends_with(">—") && gan[2].contains("only one class present"));
    // AE fan id_02 (one normal, one anomaly, perfectly ranked) resamples to itself: [1, 1].
    let ci = texts(&html, r#"<td class="auc-ci" data-model="AE""#);
    assert_eq!(ci.len(), 3);
    assert!(ci[1].ends_with(">[1.000, 1.000]"), "{}", ci[1]);
    let (seed, interval) = table.shown_interval(ModelKind::Ae, "fan", "id_00").unwrap();
    assert_eq!(seed, 0);
    let want = format!("[{:.3}, {:.3}]", interval.auc.lo, interval.auc.hi);
    assert!(ci[0].ends_with(&format!(">{want}")), "{} vs {want}", ci[0]);
    assert!(interval.auc.contains(5.0 / 6.0));
}

#[test]
fn several_seeds_show_mean_and_sd() {
    // Seed 1 flips AE fan id_02 (AUC 0): AE fan means (5/6 + 1)/2 = 11/12 and 5/12 → mean 2/3,
    // sd √((¼² + ¼²)/1) = √⅛.
    let table = two_seeds();
    let html = results_table_html(&table);
    assert!(html.contains("mean ± sd over 2 seeds"));
    let row = &html[html
        .find(r#"<tr data-type="fan" data-model="AE">"#)
        .unwrap()..];
    let cell = tags(row, r#"<td class="auc""#)[0];
    let sd: f64 = attr(cell, "data-sd").unwrap().parse().unwrap();
    assert!((sd - 0.125f64.sqrt()).abs() < 1e-12, "{cell}");
    assert!(row.contains(r#">0.667 ± 0.354</td>"#), "{row}");
    // GANomaly is the same in both seeds: sd 0.
    let gan = &html[html
        .find(r#"<tr data-type="fan" data-model="GANomaly">"#)
        .unwrap()..];
    assert!(gan.contains(">0.417 ± 0.000</td>"), "{gan}");
    let ids = id_table_html(&table);
    let ae = texts(&ids, r#"<td class="auc" data-model="AE""#);
    // id_02: AUC 1 and 0 → 0.5 ± √½.
    assert!(ae[1].ends_with(">0.500 ± 0.707"), "{}", ae[1]);
}

#[test]
fn table_names_are_escaped() {
    let evil = r#"<img src=x onerror="alert(1)">"#;
    let scores: Vec<ClipScore> = scores()
        .into_iter()
        .map(|mut c| {
            c.machine_id = c.machine_id.replace("id_00", evil);
            c.machine_type = c.machine_type.replace("fan", "f&n's");
            c
        })
        .collect();
    let table = one_seed(scores);
    let page = results_page_html(&ReportInput {
        sweep: &table,
        roc_plots: &[],
        run: None,
    });
    let page = page + &results_table_html(&table) + &id_table_html(&table);
    assert!(!page.contains("<img"));
    assert!(page.contains(r#"data-id="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;""#));
    assert!(page.contains(r#"data-type="f&amp;n&#39;s""#));
    assert!(page.starts_with("<!DOCTYPE html>"));
    for forbidden in ["<script", "style=", "<link"] {
        assert!(!page.contains(forbidden));
    }
}

/// Two seeds of the tables fixture; seed 1 flips AE fan id_02 (AUC 1 → 0).
pub fn two_seeds() -> SweepTable {
    let flipped: Vec<ClipScore> = scores()
        .into_iter()
        .map(|mut c| {
            if c.model == ModelKind::Ae && c.machine_id == "id_02" {
                c.score = -c.score;
            }
            c
        })
        .collect();
    let runs = [
        SeedScores {
            seed: 0,
            scores: scores(),
        },
        SeedScores {
            seed: 1,
            scores: flipped,
        },
    ];
    SweepTable::build(&runs, 0.1).unwrap()
}
