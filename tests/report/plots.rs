//! SVG plots: escaping, number formatting, ROC, histogram, training curves, waveform.

use super::{assert_svg_basics, attr, num_attr, path_points, plot_frame, tags, texts};
use sonogan::metrics::roc_curve;
use sonogan::report::{
    CurveSeries, OperatingPoint, PALETTE, RocSeries, curves_svg, escape_html, format_score,
    format_tick, histogram_bins, histogram_svg, nice_ticks, roc_svg, waveform_envelope,
    waveform_svg,
};

/// Pixel coordinates carry two decimals: positions agree to this many data units on a ~400 px axis.
const PX_TOL: f64 = 0.01;

#[test]
fn escape_html_makes_markup_inert() {
    assert_eq!(
        escape_html(r#"<script>alert('x')</script> & "q""#),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
    );
    assert_eq!(escape_html("fan/id_00 — ok"), "fan/id_00 — ok");
}

#[test]
fn numbers_are_compact() {
    let (ticks, step) = nice_ticks(0.0, 1.0, 5);
    let labels: Vec<String> = ticks.iter().map(|&t| format_tick(t, step)).collect();
    assert_eq!(labels, ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
    // (1234 − 3)/5 ≈ 246 rounds up to the 1-2-5 step 500.
    let (ticks, step) = nice_ticks(3.0, 1234.0, 5);
    assert_eq!(step, 500.0);
    assert_eq!(ticks, [500.0, 1000.0]);
    assert_eq!(format_score(12.3456), "12.35");
    assert_eq!(format_score(0.0123456), "0.01235");
    assert_eq!(format_score(-0.5), "-0.5");
    assert_eq!(format_score(0.0), "0");
    assert_eq!(format_score(123456.0), "1.235e5");
    assert_eq!(format_score(0.00001), "1e-5");
}

/// Labels: 3 anomalies and 3 normals; by hand, ROC (0,0) (0,⅓) (0,⅔) (⅓,⅔) (⅓,1) (⅔,1) (1,1).
fn sample_roc(label: &str, auc: f64, pauc: f64) -> RocSeries {
    let labels = [true, true, false, true, false, false];
    let scores = [0.9, 0.8, 0.7, 0.6, 0.2, 0.1];
    let roc = roc_curve(&labels, &scores).expect("two classes");
    RocSeries {
        label: label.to_string(),
        roc,
        auc,
        pauc,
    }
}

#[test]
fn roc_draws_one_curve_per_series_through_its_points() {
    let series = [
        sample_roc("AE", 0.87349, 0.7116),
        sample_roc("GANomaly", 0.5, 0.5),
    ];
    let svg = roc_svg(&series, 0.1, None);
    assert_svg_basics(&svg);
    let paths = tags(&svg, r#"<path class="roc-curve""#);
    assert_eq!(paths.len(), 2);
    assert_eq!(attr(paths[0], "data-model").as_deref(), Some("AE"));
    assert_eq!(attr(paths[1], "data-model").as_deref(), Some("GANomaly"));
    assert_eq!(attr(paths[0], "stroke").as_deref(), Some(PALETTE[0]));
    assert_eq!(attr(paths[1], "stroke").as_deref(), Some(PALETTE[1]));
    let (x, y, w, h) = plot_frame(&svg);
    let to_rates = |(px, py): (f64, f64)| ((px - x) / w, (y + h - py) / h);
    let rates: Vec<(f64, f64)> = path_points(&attr(paths[0], "d").unwrap())
        .into_iter()
        .map(to_rates)
        .collect();
    let third = 1.0 / 3.0;
    let expected = [
        (0.0, 0.0),
        (0.0, third),
        (0.0, 2.0 * third),
        (third, 2.0 * third),
        (third, 1.0),
        (2.0 * third, 1.0),
        (1.0, 1.0),
    ];
    assert_eq!(rates.len(), expected.len());
    for (got, want) in rates.iter().zip(&expected) {
        assert!(
            (got.0 - want.0).abs() < PX_TOL && (got.1 - want.1).abs() < PX_TOL,
            "{got:?} vs {want:?}"
        );
    }
    let legend = texts(&svg, r#"<text class="legend-entry""#);
    assert!(
        legend[0].ends_with("AE — AUC 0.873 · pAUC 0.712"),
        "{legend:?}"
    );
    assert!(legend[1].ends_with("GANomaly — AUC 0.500 · pAUC 0.500"));
    for label in ["False positive rate", "True positive rate"] {
        assert!(svg.contains(label));
    }
    assert!(tags(&svg, r#"<line class="chance""#)[0].contains("stroke-dasharray"));
}

#[test]
fn roc_shaded_region_is_proportional_to_max_fpr() {
    let series = [sample_roc("AE", 0.8, 0.7)];
    for max_fpr in [0.1, 0.5, 1.0] {
        let svg = roc_svg(&series, max_fpr, None);
        let (x, _, w, h) = plot_frame(&svg);
        let region = tags(&svg, r#"<rect class="pauc-region""#)[0];
        assert!((num_attr(region, "x") - x).abs() < 1e-9);
        assert!(
            (num_attr(region, "width") - max_fpr * w).abs() < 0.01,
            "{region}"
        );
        assert!((num_attr(region, "height") - h).abs() < 1e-9);
    }
}

#[test]
fn roc_marker_sits_at_the_operating_point() {
    let marker = OperatingPoint {
        label: "threshold 0.75".to_string(),
        fpr: 0.25,
        tpr: 0.6,
    };
    let svg = roc_svg(&[sample_roc("AE", 0.8, 0.7)], 0.1, Some(marker));
    let (x, y, w, h) = plot_frame(&svg);
    let circle = tags(&svg, r#"<circle class="operating-point""#)[0];
    assert!(((num_attr(circle, "cx") - x) / w - 0.25).abs() < PX_TOL);
    assert!(((y + h - num_attr(circle, "cy")) / h - 0.6).abs() < PX_TOL);
    assert!(svg.contains("threshold 0.75"));
}

#[test]
fn user_names_come_out_inert_in_plots() {
    let evil = r#"<script>alert("x")</script>.wav"#;
    let svg = roc_svg(&[sample_roc(evil, 0.8, 0.7)], 0.1, None);
    assert_svg_basics(&svg);
    let path = tags(&svg, r#"<path class="roc-curve""#)[0];
    assert_eq!(
        attr(path, "data-model").as_deref(),
        Some("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.wav")
    );
    let curves = curves_svg(
        &[CurveSeries {
            label: evil.to_string(),
            points: vec![(0.0, 1.0), (1.0, 2.0)],
        }],
        "<step>",
        "loss & more",
        false,
    );
    assert_svg_basics(&curves);
    assert!(curves.contains("&lt;step&gt;") && curves.contains("loss &amp; more"));
}

#[test]
fn histogram_bins_hand_computed() {
    // Range [0, 4], width 1; 4 falls in the last bin (closed on the right).
    let bins = histogram_bins(&[0.0, 1.0, 2.0, 3.0, 4.0], &[4.0, 0.5], 4);
    assert_eq!((bins.lo, bins.hi), (0.0, 4.0));
    assert_eq!(bins.normal, [1, 1, 1, 2]);
    assert_eq!(bins.anomalous, [1, 0, 0, 1]);
    assert_eq!(bins.edges(), [0.0, 1.0, 2.0, 3.0, 4.0]);
    // NaN and ±inf are dropped; range [1, 3] from the finite values.
    let bins = histogram_bins(&[f64::NAN, 1.0, 3.0], &[f64::INFINITY, 2.0], 2);
    assert_eq!((bins.lo, bins.hi), (1.0, 3.0));
    assert_eq!(bins.normal, [1, 1]);
    assert_eq!(bins.anomalous, [0, 1]);
}

#[test]
fn histogram_bins_degenerate_inputs() {
    // All equal at 2: range 2 ± 5 % = [1.9, 2.1]; everything in the middle of 3 bins.
    let bins = histogram_bins(&[2.0, 2.0, 2.0], &[2.0], 3);
    assert!((bins.lo - 1.9).abs() < 1e-12 && (bins.hi - 2.1).abs() < 1e-12);
    assert_eq!(bins.normal, [0, 3, 0]);
    assert_eq!(bins.anomalous, [0, 1, 0]);
    let bins = histogram_bins(&[0.0], &[], 2);
    assert_eq!((bins.lo, bins.hi), (-0.5, 0.5));
    assert_eq!(bins.normal, [0, 1]);
    let bins = histogram_bins(&[], &[f64::NAN], 5);
    assert_eq!((bins.lo, bins.hi), (0.0, 1.0));
    assert_eq!(bins.normal, [0; 5]);
    assert_eq!(bins.anomalous, [0; 5]);
    assert_eq!(histogram_bins(&[1.0, 2.0], &[], 0).len(), 1);
}

#[test]
fn histogram_svg_counts_threshold_and_labels() {
    let normal = [0.1, 0.2, 0.2, 0.3, f64::NAN];
    let anomalous = [0.8, 0.9];
    let svg = histogram_svg(&normal, &anomalous, Some(0.5), 8);
    assert_svg_basics(&svg);
    let count = |class: &str| -> usize {
        tags(&svg, &format!(r#"<rect class="hist-bar {class}""#))
            .iter()
            .map(|t| num_attr(t, "data-count") as usize)
            .sum()
    };
    assert_eq!(count("normal"), 4);
    assert_eq!(count("anomalous"), 2);
    assert!(svg.contains("Normal (n = 4)") && svg.contains("Anomalous (n = 2)"));
    assert!(svg.contains("Anomaly score"));
    assert!(svg.contains("threshold 0.5"));
    // Bins span [0.1, 0.9]; the threshold 0.5 is in the middle of the frame.
    let (x, _, w, _) = plot_frame(&svg);
    let line = tags(&svg, r#"<line class="threshold""#)[0];
    assert!(
        ((num_attr(line, "x1") - x) / w - 0.5).abs() < 1e-3,
        "{line}"
    );
    // A threshold beyond the data widens the axis to put the line on the right edge.
    let svg = histogram_svg(&normal, &anomalous, Some(2.0), 8);
    let line = tags(&svg, r#"<line class="threshold""#)[0];
    assert!((num_attr(line, "x1") - (x + w)).abs() < 0.01);
    // Empty input still renders, without bars or threshold.
    let svg = histogram_svg(&[], &[], None, 10);
    assert_svg_basics(&svg);
    assert!(tags(&svg, "<rect class=\"hist-bar").is_empty());
    assert!(!svg.contains("class=\"threshold\""));
}

#[test]
fn curves_log_scale_skips_non_positive_and_non_finite() {
    let series = [
        CurveSeries {
            label: "G".to_string(),
            points: vec![
                (0.0, 1.0),
                (1.0, 0.0),
                (2.0, -1.0),
                (2.5, f64::NAN),
                (3.0, 100.0),
            ],
        },
        CurveSeries {
            label: "D".to_string(),
            points: vec![(1.0, f64::INFINITY), (2.0, 10.0)],
        },
        CurveSeries {
            label: "E".to_string(),
            points: vec![],
        },
    ];
    let svg = curves_svg(&series, "Step", "Loss", true);
    assert_svg_basics(&svg);
    let paths = tags(&svg, r#"<path class="curve""#);
    assert_eq!(paths.len(), 1);
    assert_eq!(attr(paths[0], "data-series").as_deref(), Some("G"));
    // x axis [0, 3], y axis 10⁰ … 10²: (0, 1) is the bottom-left and (3, 100) the top-right corner.
    let (x, y, w, h) = plot_frame(&svg);
    let points = path_points(&attr(paths[0], "d").unwrap());
    assert_eq!(points.len(), 2);
    assert!((points[0].0 - x).abs() < 0.01 && (points[0].1 - (y + h)).abs() < 0.01);
    assert!((points[1].0 - (x + w)).abs() < 0.01 && (points[1].1 - y).abs() < 0.01);
    // (2, 10) of "D" is alone: a dot, half-way up (10¹ between 10⁰ and 10²).
    let dot = tags(&svg, r#"<circle class="curve-point""#)[0];
    assert_eq!(attr(dot, "data-series").as_deref(), Some("D"));
    assert!((num_attr(dot, "cy") - (y + h / 2.0)).abs() < 0.01);
    let legend = texts(&svg, r#"<text class="legend-entry""#);
    assert_eq!(legend.len(), 3);
    for label in ["10", "100"] {
        assert!(svg.contains(&format!(">{label}</text>")), "tick {label}");
    }
}

#[test]
fn curves_linear_and_empty() {
    let series = [CurveSeries {
        label: "loss".to_string(),
        points: vec![(1.0, 0.5), (2.0, 0.25), (3.0, -0.25)],
    }];
    let svg = curves_svg(&series, "Step", "Loss", false);
    assert_eq!(
        path_points(&attr(tags(&svg, r#"<path class="curve""#)[0], "d").unwrap()).len(),
        3
    );
    let svg = curves_svg(&[], "Step", "Loss", true);
    assert_svg_basics(&svg);
    assert!(!svg.contains(r#"class="curve""#) && !svg.contains(r#"class="curve-point""#));
}

#[test]
fn waveform_envelope_hand_built() {
    let samples = [0.0, 1.0, -1.0, 0.5, 0.2, -0.3];
    assert_eq!(
        waveform_envelope(&samples, 3),
        [(0.0, 1.0), (-1.0, 0.5), (-0.3, 0.2)]
    );
    // 7 samples, 3 columns: boundaries 0, 2, 4, 7.
    let samples = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
    assert_eq!(
        waveform_envelope(&samples, 3),
        [(1.0, 2.0), (3.0, 4.0), (5.0, 7.0)]
    );
    // More columns than samples: one column per sample; NaN ignored.
    assert_eq!(
        waveform_envelope(&[0.5, f32::NAN], 10),
        [(0.5, 0.5), (0.0, 0.0)]
    );
    assert!(waveform_envelope(&[], 10).is_empty());
}

#[test]
fn waveform_svg_of_a_ten_second_clip() {
    // 10 s at 16 kHz, 1000 columns of 160 samples; column c peaks at ±c/1000.
    let samples: Vec<f32> = (0..160_000)
        .map(|i| {
            let column = (i / 160) as f32;
            if i % 160 == 7 {
                column / 1000.0
            } else if i % 160 == 9 {
                -column / 1000.0
            } else {
                0.0
            }
        })
        .collect();
    let envelope = waveform_envelope(&samples, 1000);
    assert_eq!(envelope.len(), 1000);
    assert_eq!(envelope[250], (-0.25, 0.25));
    let svg = waveform_svg(&samples, 1000);
    assert_svg_basics(&svg);
    let path = tags(&svg, r#"<path class="waveform-envelope""#)[0];
    assert_eq!(attr(path, "d").unwrap().matches('M').count(), 1000);
    let root = tags(&svg, "<svg ")[0];
    let height: f64 = attr(root, "viewBox")
        .unwrap()
        .split(' ')
        .nth(3)
        .unwrap()
        .parse()
        .unwrap();
    let zero = tags(&svg, r#"<line class="zero-line""#)[0];
    assert_eq!(num_attr(zero, "y1"), height / 2.0);
}
