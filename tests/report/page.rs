//! The standalone report `results.html`: Table 2 in the paper's layout with the best value per
//! column marked, the Figure 4 charts, inline ROC plots, per-ID tables with intervals, the run.

use super::tables::scores;
use super::{attr, tags, texts};
use sonogan::eval::table::{ClipScore, SeedScores, SweepTable};
use sonogan::models::ModelKind;
use sonogan::report::{ReportInput, RunInfo, results_page_html, roc_series_by_model, roc_type_svg};
use sonogan::train::TrainConfig;

fn report(runs: &[SeedScores]) -> String {
    let sweep = SweepTable::build(runs, 0.1).unwrap();
    let first: &[ClipScore] = &runs[0].scores;
    let roc_plots: Vec<(String, String)> = sweep
        .machine_types()
        .into_iter()
        .map(|t| {
            let svg = roc_type_svg(&roc_series_by_model(first, &t, 0.1), &t, 0.1, None);
            (t, svg)
        })
        .collect();
    let run = RunInfo {
        data: "/data/dev".into(),
        machine_types: vec!["fan".into(), "pump".into()],
        models: vec![ModelKind::Ae, ModelKind::Ganomaly],
        train: TrainConfig {
            epochs: 7,
            ..TrainConfig::default()
        },
        subset: Some(4),
        device: "cpu (flex)".into(),
        features_s: 1.25,
        train_s: vec![(ModelKind::Ae, 3.0), (ModelKind::Ganomaly, 4.5)],
    };
    results_page_html(&ReportInput {
        sweep: &sweep,
        roc_plots: &roc_plots,
        run: Some(&run),
    })
}

#[test]
fn the_report_is_one_self_contained_styled_page() {
    let html = report(&[SeedScores {
        seed: 0,
        scores: scores(),
    }]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let head = &html[..html.find("</head>").unwrap()];
    assert_eq!(
        head.matches("<style>").count(),
        1,
        "one style sheet in the head"
    );
    assert_eq!(html.matches("<style").count(), 1);
    for forbidden in [
        "<script", "style=", "<link", "href=", "src=", "url(", "@import",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    for section in ["table2", "figure4", "roc", "ids", "run"] {
        assert!(
            html.contains(&format!(r#"<section id="{section}">"#)),
            "{section}"
        );
    }
    // Both Figure 4 charts and one ROC plot per type, inline, the type in the plot's title.
    assert_eq!(
        html.matches(r#"<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart""#)
            .count(),
        2
    );
    for t in ["fan", "pump"] {
        let figure = &html[html.find(&format!(r#"<figure data-type="{t}">"#)).unwrap()..];
        assert!(
            figure.contains(&format!("<title>ROC curves on {t}: AE, GANomaly</title>"))
                || figure.contains(&format!("<title>ROC curves on {t}: AE</title>")),
            "{t}"
        );
    }
}

#[test]
fn table2_has_type_groups_model_rows_and_marks_the_best() {
    let html = report(&[SeedScores {
        seed: 0,
        scores: scores(),
    }]);
    let table = &html[html.find(r#"<table class="table2""#).unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let groups = texts(table, r#"<th scope="colgroup" colspan="2">"#);
    assert_eq!(groups, ["fan", "pump", "Average"]);
    let rows: Vec<String> = tags(table, "<tr data-model=")
        .iter()
        .map(|r| attr(r, "data-model").unwrap())
        .collect();
    assert_eq!(rows, ["AE", "GANomaly"]);
    // fan AUC: AE (5/6 + 1)/2 = 91.67 %, GANomaly 5/12 = 41.67 %; the AE cell is the best.
    let best = texts(table, r#"<td class="auc best" data-type="fan"><strong>"#);
    assert_eq!(best, ["91.67"]);
    assert!(table.contains(r#"<td class="auc" data-type="fan">41.67</td>"#));
    // GANomaly has no pump value; its average is its fan value. AE average (11/12 + 1)/2.
    assert!(table.contains(r#"<td class="auc" data-type="pump">—</td>"#));
    let average = texts(
        table,
        r#"<td class="auc best" data-type="average"><strong>"#,
    );
    assert_eq!(average, ["95.83"]);
}

#[test]
fn several_seeds_show_mean_sd_intervals_and_the_run() {
    let flipped: Vec<ClipScore> = scores()
        .into_iter()
        .map(|mut c| {
            if c.model == ModelKind::Ae && c.machine_id == "id_02" {
                c.score = -c.score;
            }
            c
        })
        .collect();
    let html = report(&[
        SeedScores {
            seed: 5,
            scores: scores(),
        },
        SeedScores {
            seed: 6,
            scores: flipped,
        },
    ]);
    // AE fan: 11/12 and 5/12 → 66.67 ± 35.36 %, still above GANomaly's 41.67 ± 0.00.
    assert!(
        html.contains(
            r#"<td class="auc best" data-type="fan"><strong>66.67 ± 35.36</strong></td>"#
        )
    );
    assert!(html.contains(r#"<td class="auc" data-type="fan">41.67 ± 0.00</td>"#));
    // Per-ID tables, one per type, with the first seed's intervals.
    let fan = &html[html
        .find(r#"<table class="id-table" data-type="fan">"#)
        .unwrap()..];
    assert!(fan.contains("(seed 5)"));
    let ci = texts(fan, r#"<td class="auc-ci" data-model="AE">"#);
    assert_eq!(
        ci[1], "[1.000, 1.000]",
        "id_02 in seed 5 is perfectly ranked"
    );
    assert_eq!(html.matches(r#"<table class="id-table""#).count(), 2);
    // The run: data, seeds, every TrainConfig field, device and timings.
    let run = &html[html.find(r#"<section id="run">"#).unwrap()..];
    for (key, value) in [
        ("data", "/data/dev"),
        ("seeds", "5, 6"),
        ("train.epochs", "7"),
        ("train.batch_size", "512"),
        ("device", "cpu (flex)"),
        ("features", "1.2 s"),
        ("training GANomaly", "4.5 s"),
    ] {
        assert!(
            run.contains(&format!("<dt>{key}</dt><dd>{value}</dd>")),
            "{key} in {run}"
        );
    }
    assert!(run.contains("1000 stratified resamples, 95 % percentile interval"));
}
