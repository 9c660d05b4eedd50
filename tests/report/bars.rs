//! Figure 4 bar charts: bar heights and whiskers read back from the SVG against hand-computed
//! means and sample sds over seeds.

use super::tables::{clip, scores, two_seeds};
use super::{assert_svg_basics, attr, num_attr, plot_frame, tags, texts};
use sonogan::eval::table::{SeedScores, SweepTable};
use sonogan::report::{Bar, BarChart, BarGroup, Metric, PALETTE, bars_svg, figure4_svg};

/// The bar of `model` in group `group`.
fn bar<'a>(svg: &'a str, group: &str, model: &str) -> Option<&'a str> {
    let start = svg.find(&format!(r#"<g class="bar-group" data-group="{group}">"#))?;
    let end = svg[start..].find("</g>")? + start;
    tags(&svg[start..end], r#"<rect class="bar""#)
        .into_iter()
        .find(|t| attr(t, "data-model").as_deref() == Some(model))
}

#[test]
fn figure4_bars_are_the_means_with_sd_whiskers() {
    let svg = figure4_svg(&two_seeds(), Metric::Auc);
    assert_svg_basics(&svg);
    let (_, top, _, height) = plot_frame(&svg);
    let y = |value: f64| top + height - value * height;
    let groups: Vec<String> = tags(&svg, r#"<g class="bar-group""#)
        .iter()
        .map(|g| attr(g, "data-group").unwrap())
        .collect();
    assert_eq!(groups, ["fan", "pump", "Mean over types"]);
    assert_eq!(
        texts(&svg, r#"<text class="group-label""#).len(),
        3,
        "one label per group"
    );
    // AE fan: seeds 11/12 and 5/12 → mean 2/3, sd √⅛.
    let ae_fan = bar(&svg, "fan", "AE").expect("AE fan bar");
    let (mean, sd) = (2.0 / 3.0, 0.125f64.sqrt());
    assert!((num_attr(ae_fan, "y") - y(mean)).abs() < 0.01, "{ae_fan}");
    assert!((num_attr(ae_fan, "y") + num_attr(ae_fan, "height") - y(0.0)).abs() < 0.01);
    assert_eq!(attr(ae_fan, "fill").as_deref(), Some(PALETTE[0]));
    let whisker = tags(&svg, r#"<path class="whisker" data-model="AE""#)[0];
    let d = attr(whisker, "d").unwrap();
    let ys: Vec<f64> = d
        .split(['M', 'L'])
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().split_once(',').unwrap().1.parse().unwrap())
        .collect();
    // 2/3 + √⅛ > 1: the upper end is clamped to the axis.
    let high = (mean + sd).min(1.0);
    assert!(
        (ys[0] - y(mean - sd)).abs() < 0.01 && (ys[1] - y(high)).abs() < 0.01,
        "{d}"
    );
    // GANomaly has no pump value (only normals): no bar; its fan bar is the second colour.
    assert!(bar(&svg, "pump", "GANomaly").is_none());
    let gan_fan = bar(&svg, "fan", "GANomaly").unwrap();
    assert_eq!(attr(gan_fan, "fill").as_deref(), Some(PALETTE[1]));
    // Mean over types, AE: per seed (11/12 + 1)/2 = 23/24 and (5/12 + 1)/2 = 17/24 → 5/6.
    let ae_mean = bar(&svg, "Mean over types", "AE").unwrap();
    assert!((num_attr(ae_mean, "data-mean") - 5.0 / 6.0).abs() < 1e-12);
    assert!(svg.contains("mean ± sd over 2 seeds"));
    // The pAUC chart is a second chart with its own axis label.
    let pauc = figure4_svg(&two_seeds(), Metric::Pauc);
    assert!(pauc.contains(">pAUC</text>") && !pauc.contains(">AUC</text>"));
}

#[test]
fn one_seed_has_no_whiskers() {
    let sweep = SweepTable::build(
        &[SeedScores {
            seed: 3,
            scores: scores(),
        }],
        0.1,
    )
    .unwrap();
    let svg = figure4_svg(&sweep, Metric::Auc);
    assert!(!svg.contains(r#"class="whisker""#));
    assert!(!svg.contains("±"));
    let _ = clip; // the fixture builder is shared with the table tests
}

#[test]
fn bar_charts_escape_names_and_clamp_whiskers() {
    let chart = BarChart {
        title: "t<".into(),
        value_label: "AUC".into(),
        series: vec!["<b>".into()],
        groups: vec![BarGroup {
            label: "f&n".into(),
            bars: vec![Some(Bar {
                mean: 0.95,
                sd: Some(0.2),
                n: 2,
            })],
        }],
    };
    let svg = bars_svg(&chart);
    assert_svg_basics(&svg);
    assert!(!svg.contains("<b>") && svg.contains(r#"data-model="&lt;b&gt;""#));
    assert!(svg.contains(r#"data-group="f&amp;n""#));
    let (_, top, _, _) = plot_frame(&svg);
    let d = attr(tags(&svg, r#"<path class="whisker""#)[0], "d").unwrap();
    let high: f64 = d
        .split(['M', 'L'])
        .nth(2)
        .unwrap()
        .trim()
        .split_once(',')
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!((high - top).abs() < 0.01, "whisker clamped at 1: {d}");
}
