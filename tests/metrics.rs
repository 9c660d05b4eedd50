//! sklearn-exact ROC / AUC / pAUC (docs/DESIGN.md §1.8): the design's test vectors, hand-computed cases and
//! reference values from scikit-learn (`tools/sklearn_fixtures.py` →
//! `tests/fixtures/metrics/sklearn_metrics.json`).

use serde::Deserialize;
use sonogan::metrics::{
    BootstrapConfig, Interval, MetricsError, auc_summary, bootstrap_ci, confusion_at,
    percentile_interval, roc_curve,
};

const TOL: f64 = 1e-9;

#[derive(Deserialize)]
struct Fixtures {
    sklearn_version: String,
    auc_cases: Vec<AucCase>,
    roc_cases: Vec<RocCase>,
    confusion_cases: Vec<ConfusionCase>,
}

#[derive(Deserialize)]
struct AucCase {
    style: String,
    max_fpr: f64,
    labels: Vec<u8>,
    scores: Vec<f64>,
    auc: f64,
    pauc: f64,
    pauc_raw: f64,
}

#[derive(Deserialize)]
struct RocCase {
    labels: Vec<u8>,
    scores: Vec<f64>,
    fpr: Vec<f64>,
    tpr: Vec<f64>,
    thresholds_after_inf: Vec<f64>,
}

#[derive(Deserialize)]
struct ConfusionCase {
    labels: Vec<u8>,
    scores: Vec<f64>,
    threshold: f64,
    tp: usize,
    fp: usize,
    tn: usize,
    #[serde(rename = "fn")]
    fn_: usize,
}

fn fixtures() -> Fixtures {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/metrics/sklearn_metrics.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture file is committed");
    serde_json::from_str(&text).expect("fixture file is valid JSON")
}

fn bools(labels: &[u8]) -> Vec<bool> {
    labels.iter().map(|&l| l == 1).collect()
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL,
        "{what}: got {got}, sklearn/spec {want}"
    );
}

#[test]
fn spec_vector_small_matches_sklearn_docstring() {
    let s = auc_summary(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8], 0.1).unwrap();
    assert_close("AUC", s.auc, 0.75);
    assert_close("pAUC", s.pauc, 0.736842105);
    assert_close("pAUC raw (A_p = 0.05)", s.pauc_raw, 0.5);
    assert_eq!((s.n_normal, s.n_anomaly), (2, 2));
}

#[test]
fn spec_vector_twenty_normals_ten_anomalies() {
    let mut scores: Vec<f64> = (0..20).map(|i| i as f64 * 0.05).collect();
    scores.extend([0.50, 0.62, 0.71, 0.83, 0.91, 0.97, 1.02, 0.33, 0.88, 1.10]);
    let labels: Vec<bool> = (0..30).map(|i| i >= 20).collect();
    let s = auc_summary(&labels, &scores, 0.1).unwrap();
    assert_close("AUC", s.auc, 0.7975);
    assert_close("pAUC", s.pauc, 0.657894737);
    assert_close("pAUC raw", s.pauc_raw, 0.35);
    assert_eq!((s.n_normal, s.n_anomaly), (20, 10));
}

#[test]
fn ties_between_classes_earn_half_credit() {
    // One normal and one anomaly with equal scores: a single diagonal ROC segment.
    let s = auc_summary(&[false, true], &[3.0, 3.0], 0.5).unwrap();
    assert_close("AUC", s.auc, 0.5);
    // A_0.5 = 0.125 (triangle), McClish = 0.5·(1 + (0.125 − 0.125)/(0.5 − 0.125)) = 0.5.
    assert_close("pAUC", s.pauc, 0.5);
    assert_close("pAUC raw", s.pauc_raw, 0.25);
}

#[test]
fn roc_curve_of_hand_computed_case() {
    // Sorted descending: 0.8(+), 0.4(−), 0.35(+), 0.1(−).
    let roc = roc_curve(&[false, false, true, true], &[0.1, 0.4, 0.35, 0.8]).unwrap();
    assert_eq!(roc.fpr, vec![0.0, 0.0, 0.5, 0.5, 1.0]);
    assert_eq!(roc.tpr, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
    assert_eq!(roc.thresholds, vec![f64::INFINITY, 0.8, 0.4, 0.35, 0.1]);
}

#[test]
fn roc_curve_groups_tied_scores() {
    let roc = roc_curve(
        &[true, false, true, false, false],
        &[2.0, 2.0, 2.0, 1.0, -0.0],
    )
    .unwrap();
    assert_eq!(
        roc.thresholds.len(),
        4,
        "three distinct scores plus +inf: {roc:?}"
    );
    assert_eq!(roc.fpr[1], 1.0 / 3.0);
    assert_eq!(roc.tpr[1], 1.0);
}

#[test]
fn max_fpr_one_gives_the_full_auc() {
    let labels = [false, true, false, true, true];
    let scores = [0.2, 0.1, 0.7, 0.9, 0.4];
    let s = auc_summary(&labels, &scores, 1.0).unwrap();
    // Anomaly/normal pairs ranked correctly: (0.9 > 0.2, 0.7), (0.4 > 0.2), (0.1 > none) = 3 of 6.
    assert_close("AUC", s.auc, 0.5);
    assert_eq!(s.pauc, s.auc);
    assert_eq!(s.pauc_raw, s.auc);
}

#[test]
fn matches_sklearn_on_random_cases_with_ties() {
    let fx = fixtures();
    assert!(
        fx.auc_cases.len() >= 200,
        "fixture holds {} cases",
        fx.auc_cases.len()
    );
    for (k, case) in fx.auc_cases.iter().enumerate() {
        let what = format!(
            "case {k} ({}, n = {}, max_fpr = {})",
            case.style,
            case.labels.len(),
            case.max_fpr
        );
        let s = auc_summary(&bools(&case.labels), &case.scores, case.max_fpr)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_close(
            &format!("{what} AUC (sklearn {})", fx.sklearn_version),
            s.auc,
            case.auc,
        );
        assert_close(&format!("{what} pAUC"), s.pauc, case.pauc);
        assert_close(&format!("{what} pAUC raw"), s.pauc_raw, case.pauc_raw);
        assert_eq!(
            s.n_anomaly,
            case.labels.iter().filter(|&&l| l == 1).count(),
            "{what}"
        );
    }
}

#[test]
fn roc_points_match_sklearn_without_dropping_intermediates() {
    for (k, case) in fixtures().roc_cases.iter().enumerate() {
        let roc = roc_curve(&bools(&case.labels), &case.scores).unwrap();
        assert_eq!(roc.fpr.len(), case.fpr.len(), "case {k}: number of points");
        assert_eq!(roc.thresholds[0], f64::INFINITY, "case {k}");
        for i in 0..case.fpr.len() {
            assert_close(&format!("case {k} fpr[{i}]"), roc.fpr[i], case.fpr[i]);
            assert_close(&format!("case {k} tpr[{i}]"), roc.tpr[i], case.tpr[i]);
        }
        assert_eq!(
            &roc.thresholds[1..],
            &case.thresholds_after_inf[..],
            "case {k} thresholds"
        );
    }
}

#[test]
fn confusion_matches_sklearn_confusion_matrix() {
    for (k, case) in fixtures().confusion_cases.iter().enumerate() {
        let c = confusion_at(&bools(&case.labels), &case.scores, case.threshold).unwrap();
        assert_eq!(
            (c.tp, c.fp, c.tn, c.fn_),
            (case.tp, case.fp, case.tn, case.fn_),
            "case {k}"
        );
        assert_eq!(
            c.tpr,
            case.tp as f64 / (case.tp + case.fn_) as f64,
            "case {k}"
        );
        assert_eq!(
            c.fpr,
            case.fp as f64 / (case.fp + case.tn) as f64,
            "case {k}"
        );
    }
}

#[test]
fn confusion_counts_score_equal_to_threshold_as_anomaly() {
    let labels = [false, false, true, true, false];
    let scores = [0.1, 0.5, 0.5, 0.9, 0.3];
    let c = confusion_at(&labels, &scores, 0.5).unwrap();
    assert_eq!((c.tp, c.fp, c.tn, c.fn_), (2, 1, 2, 0));
    assert_eq!((c.tpr, c.fpr), (1.0, 1.0 / 3.0));
    let none = confusion_at(&labels, &scores, f64::INFINITY).unwrap();
    assert_eq!((none.tp, none.fp, none.tn, none.fn_), (0, 0, 3, 2));
    assert!(matches!(
        confusion_at(&labels, &scores, f64::NAN),
        Err(MetricsError::NanThreshold)
    ));
}

#[test]
fn one_class_is_an_error_naming_the_missing_class() {
    let err = auc_summary(&[false, false, false], &[0.1, 0.2, 0.3], 0.1).unwrap_err();
    assert_eq!(
        err,
        MetricsError::OneClassOnly {
            missing: "anomalous",
            n_normal: 3,
            n_anomaly: 0
        }
    );
    let msg = err.to_string();
    assert!(
        msg.contains("no anomalous samples") && msg.contains("3 normal"),
        "{msg}"
    );
    let err = roc_curve(&[true, true], &[0.1, 0.2]).unwrap_err();
    assert_eq!(
        err,
        MetricsError::OneClassOnly {
            missing: "normal",
            n_normal: 0,
            n_anomaly: 2
        }
    );
    assert!(confusion_at(&[true], &[1.0], 0.5).is_err());
}

#[test]
fn bad_input_is_an_error_not_nan() {
    assert_eq!(auc_summary(&[], &[], 0.1).unwrap_err(), MetricsError::Empty);
    assert_eq!(
        roc_curve(&[true, false], &[1.0]).unwrap_err(),
        MetricsError::LengthMismatch {
            labels: 2,
            scores: 1
        }
    );
    let err = auc_summary(&[true, false, true], &[1.0, f64::NAN, 0.5], 0.1).unwrap_err();
    assert!(
        matches!(err, MetricsError::NonFiniteScore { index: 1, value } if value.is_nan()),
        "{err:?}"
    );
    assert!(err.to_string().contains("index 1"), "{err}");
    let err = roc_curve(&[true, false], &[1.0, f64::NEG_INFINITY]).unwrap_err();
    assert_eq!(
        err,
        MetricsError::NonFiniteScore {
            index: 1,
            value: f64::NEG_INFINITY
        }
    );
}

#[test]
fn max_fpr_outside_zero_one_is_rejected() {
    let (labels, scores) = ([false, true], [0.0, 1.0]);
    for p in [0.0, -0.1, 1.0000001, f64::NAN, f64::INFINITY] {
        let err = auc_summary(&labels, &scores, p).unwrap_err();
        assert!(
            matches!(err, MetricsError::InvalidMaxFpr(_)),
            "max_fpr {p}: {err:?}"
        );
    }
    assert!(auc_summary(&labels, &scores, 1e-6).is_ok());
}

// ---- stratified bootstrap intervals (docs/DESIGN.md §1.10) ----

/// `n` normal scores evenly spread over [0, 1) and `n` anomalous ones over [0.3, 1.3):
/// overlapping classes, so the AUC is neither 0 nor 1.
fn bootstrap_overlapping(n: usize) -> (Vec<bool>, Vec<f64>) {
    let mut labels = Vec::new();
    let mut scores = Vec::new();
    for i in 0..n {
        let u = (i as f64 + 0.5) / n as f64;
        labels.push(false);
        scores.push(u);
        labels.push(true);
        scores.push(u + 0.3);
    }
    (labels, scores)
}

#[test]
fn bootstrap_percentile_interval_matches_numpy_linear_interpolation() {
    // numpy.percentile(range(1, 11), [2.5, 97.5]) = [1.225, 9.775].
    let mut values: Vec<f64> = (1..=10).rev().map(f64::from).collect();
    let interval = percentile_interval(&mut values, 0.95);
    assert!((interval.lo - 1.225).abs() < 1e-12, "{interval:?}");
    assert!((interval.hi - 9.775).abs() < 1e-12, "{interval:?}");
}

#[test]
fn bootstrap_interval_contains_the_point_estimate() {
    let (labels, scores) = bootstrap_overlapping(20);
    let point = auc_summary(&labels, &scores, 0.1).unwrap();
    let ci = bootstrap_ci(&labels, &scores, 0.1, &BootstrapConfig::default()).unwrap();
    assert!(ci.auc.contains(point.auc), "{ci:?} vs {}", point.auc);
    assert!(ci.pauc.contains(point.pauc), "{ci:?} vs {}", point.pauc);
    assert!(ci.auc.width() > 0.0);
}

#[test]
fn bootstrap_four_times_the_clips_give_a_clearly_narrower_interval() {
    let config = BootstrapConfig::default();
    let (labels, scores) = bootstrap_overlapping(25);
    let small = bootstrap_ci(&labels, &scores, 0.1, &config).unwrap();
    let (labels, scores) = bootstrap_overlapping(100);
    let large = bootstrap_ci(&labels, &scores, 0.1, &config).unwrap();
    // The standard error shrinks like 1/√n: 4× the clips should about halve the width.
    let ratio = large.auc.width() / small.auc.width();
    assert!((0.35..0.7).contains(&ratio), "width ratio {ratio}");
}

#[test]
fn bootstrap_the_same_seed_gives_the_same_interval_and_another_seed_another() {
    let (labels, scores) = bootstrap_overlapping(15);
    let config = BootstrapConfig::default();
    let a = bootstrap_ci(&labels, &scores, 0.1, &config).unwrap();
    let b = bootstrap_ci(&labels, &scores, 0.1, &config).unwrap();
    assert_eq!(a, b);
    let other = BootstrapConfig { seed: 7, ..config };
    let c = bootstrap_ci(&labels, &scores, 0.1, &other).unwrap();
    assert_ne!(a.auc, c.auc);
}

#[test]
fn bootstrap_separated_classes_give_a_point_interval() {
    // Every resample keeps all anomalies above all normals: AUC and pAUC are 1 each time.
    let labels = [false, false, false, true, true];
    let scores = [0.1, 0.2, 0.3, 0.8, 0.9];
    let ci = bootstrap_ci(&labels, &scores, 0.1, &BootstrapConfig::default()).unwrap();
    assert_eq!(ci.auc, Interval { lo: 1.0, hi: 1.0 });
    assert_eq!(ci.pauc, Interval { lo: 1.0, hi: 1.0 });
}

#[test]
fn bootstrap_one_clip_per_class_resamples_to_itself() {
    let ci = bootstrap_ci(
        &[false, true],
        &[0.7, 0.2],
        0.1,
        &BootstrapConfig::default(),
    )
    .unwrap();
    assert_eq!(ci.auc, Interval { lo: 0.0, hi: 0.0 });
}

#[test]
fn bootstrap_bad_input_is_refused() {
    let config = BootstrapConfig::default();
    assert!(matches!(
        bootstrap_ci(&[false, false], &[0.1, 0.2], 0.1, &config),
        Err(MetricsError::OneClassOnly { .. })
    ));
    let none = BootstrapConfig {
        resamples: 0,
        ..config
    };
    assert!(bootstrap_ci(&[false, true], &[0.1, 0.2], 0.1, &none).is_err());
    let level = BootstrapConfig {
        level: 1.0,
        ..config
    };
    assert!(bootstrap_ci(&[false, true], &[0.1, 0.2], 0.1, &level).is_err());
}
