//! The gamma distribution and the default threshold against scipy reference values
//! (tests/fixtures/store/gamma_reference.json, from tools/gamma_reference.py).

use super::support::*;

use serde::Deserialize;

#[derive(Deserialize)]
struct GammaReference {
    gammainc: Vec<IncCase>,
    ppf: Vec<PpfCase>,
    fits: Vec<FitCase>,
}

#[derive(Deserialize)]
struct IncCase {
    a: f64,
    x: f64,
    p: f64,
}

#[derive(Deserialize)]
struct PpfCase {
    q: f64,
    a: f64,
    scale: f64,
    x: f64,
}

#[derive(Deserialize)]
struct FitCase {
    scores: Vec<f64>,
    shape: f64,
    scale: f64,
    p90: f64,
}

fn reference() -> GammaReference {
    let text = include_str!("../fixtures/store/gamma_reference.json");
    serde_json::from_str(text).expect("fixture parses")
}
#[test]
fn regularized_lower_gamma_matches_scipy() {
    for case in reference().gammainc {
        let p = gamma::regularized_lower_gamma(case.a, case.x);
        let what = format!("P({}, {})", case.a, case.x);
        // Absolute tolerance for values near 0 or 1, relative otherwise.
        assert!(
            (p - case.p).abs() <= 1e-12 + 1e-10 * case.p,
            "{what}: got {p:e}, expected {:e}",
            case.p
        );
    }
}

#[test]
fn ln_gamma_matches_factorials_and_half_integers() {
    // Γ(n) = (n−1)!, Γ(1/2) = √π, Γ(5/2) = 3√π/4.
    let check = |a: f64, expected: f64| {
        let got = gamma::ln_gamma(a);
        assert!(
            (got - expected).abs() <= 1e-13 * expected.abs().max(1.0),
            "lnΓ({a}): got {got}, expected {expected}"
        );
    };
    let mut factorial: f64 = 1.0;
    for n in 1..=25 {
        check(n as f64, factorial.ln());
        factorial *= n as f64;
    }
    let sqrt_pi = std::f64::consts::PI.sqrt();
    check(0.5, sqrt_pi.ln());
    check(2.5, (0.75 * sqrt_pi).ln());
}

#[test]
fn gamma_quantile_matches_scipy_ppf() {
    for case in reference().ppf {
        let x = Gamma {
            shape: case.a,
            scale: case.scale,
        }
        .quantile(case.q);
        assert_close(
            x,
            case.x,
            1e-9,
            &format!("ppf({}, a={}, scale={})", case.q, case.a, case.scale),
        );
    }
}

#[test]
fn moment_fit_and_90th_percentile_match_scipy() {
    for case in reference().fits {
        let fit = Gamma::fit_moments(&case.scores).expect("fit exists");
        assert_close(fit.shape, case.shape, 1e-10, "shape");
        assert_close(fit.scale, case.scale, 1e-10, "scale");
        let threshold = DecisionThreshold::from_normal_scores(&case.scores).expect("threshold");
        assert_close(threshold.value, case.p90, 1e-9, "p90 threshold");
        assert!(
            matches!(threshold.method, ThresholdMethod::GammaQuantile { quantile, .. } if quantile == 0.9)
        );
        let flagged = case
            .scores
            .iter()
            .filter(|&&s| threshold.is_anomalous(s))
            .count();
        assert!(
            flagged < case.scores.len() / 2,
            "a 90th-percentile threshold flags a minority of normal clips"
        );
    }
}

#[test]
fn threshold_falls_back_to_the_largest_score_when_no_gamma_fits() {
    let equal = [0.25, 0.25, 0.25];
    let threshold = DecisionThreshold::from_normal_scores(&equal).expect("threshold");
    assert_eq!(threshold.method, ThresholdMethod::MaxNormalScore);
    assert_eq!(threshold.value, 0.25);
    let single = DecisionThreshold::from_normal_scores(&[3.5]).expect("threshold");
    assert_eq!(single.value, 3.5);
    assert!(DecisionThreshold::from_normal_scores(&[]).is_none());
    assert!(DecisionThreshold::from_normal_scores(&[1.0, f64::NAN]).is_none());
}

#[test]
fn normal_score_statistics_are_population_statistics() {
    let stats = NormalScoreStats::from_scores(&[1.0, 2.0, 3.0, 6.0], ScoreSource::Validation)
        .expect("stats");
    assert_eq!(stats.mean, 3.0);
    assert_close(stats.std, 3.5f64.sqrt(), 1e-15, "std"); // ((4 + 1 + 0 + 9) / 4)
    assert_eq!((stats.min, stats.max, stats.n), (1.0, 6.0, 4));
}
