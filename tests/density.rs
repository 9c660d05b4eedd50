//! The detectors that are not GANs (docs/DESIGN.md §11): the Mahalanobis detector against
//! scikit-learn's `LedoitWolf` (fixtures from `tools/density_fixtures.py`), the Gaussian mixture
//! on data with a known structure, and GMADE's masks (perturbing a group never moves the outputs
//! of that group or of the groups before it).

use burn::tensor::{Device, Tensor, TensorData};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sonogan::features::Vectors;
use sonogan::models::gaussian::ledoit_wolf;
use sonogan::models::made::{MadeNet, MadeShape, masks, orderings};
use sonogan::models::{Detector, InitScheme, ModelConfig, ModelKind, new_detector};
use sonogan::runtime::block_on;
use sonogan::train::{TrainConfig, Trainer, score_vectors};

#[derive(serde::Deserialize)]
struct Fixtures {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    dim: usize,
    train: Vec<f64>,
    test: Vec<f64>,
    location: Vec<f64>,
    covariance: Vec<f64>,
    shrinkage: f64,
    mahalanobis: Vec<f64>,
}

fn fixtures() -> Vec<Case> {
    let text = include_str!("fixtures/models/ledoit_wolf.json");
    serde_json::from_str::<Fixtures>(text)
        .expect("fixture JSON")
        .cases
}

fn f32s(values: &[f64]) -> Vec<f32> {
    values.iter().map(|&v| v as f32).collect()
}

/// Largest |a − b| / max(|b|, floor) over the pairs.
fn max_relative(a: &[f64], b: &[f64], floor: f64) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / y.abs().max(floor))
        .fold(0.0, f64::max)
}

/// A trainer run of `kind` on one clip of `rows`, no validation split, batches of `batch`.
fn fit(
    kind: ModelKind,
    config: ModelConfig,
    rows: Vec<f32>,
    dim: usize,
    batch: usize,
) -> Box<dyn Detector> {
    assert_eq!(config.kind(), kind);
    let detector = new_detector(&config, &Device::flex(), 3).expect("detector");
    let train = TrainConfig {
        batch_size: batch,
        validation_split: 0.0,
        ..TrainConfig::default()
    };
    let mut trainer =
        Trainer::new(detector, vec![Vectors { dim, data: rows }], train).expect("trainer");
    block_on(trainer.run_to_end(|_| {})).expect("fit");
    trainer.into_detector().expect("fitted")
}

#[test]
fn ledoit_wolf_fit_matches_scikit_learn() {
    for (index, case) in fixtures().iter().enumerate() {
        let fit = ledoit_wolf(&f32s(&case.train), case.dim, 7, None).expect("fit");
        let worst = [
            max_relative(&fit.location, &case.location, 1e-3),
            max_relative(&fit.covariance, &case.covariance, 1e-3),
            max_relative(&[fit.shrinkage], &[case.shrinkage], 1e-12),
        ];
        assert!(worst.iter().all(|&e| e <= 1e-9), "case {index}: {worst:?}");
        let distances = fit.squared_distances(&case.test).expect("distances");
        let error = max_relative(&distances, &case.mahalanobis, 1e-12);
        assert!(
            error <= 1e-6,
            "case {index}: f64 distances off by {error:e}"
        );
    }
}

#[test]
fn mahalanobis_detector_scores_like_scikit_learn() {
    for (index, case) in fixtures().iter().enumerate() {
        let config = ModelConfig::Mahalanobis(sonogan::models::MahalanobisConfig {
            input_dim: case.dim,
            ..Default::default()
        });
        let detector = fit(
            ModelKind::Mahalanobis,
            config,
            f32s(&case.train),
            case.dim,
            16,
        );
        let test = Vectors {
            dim: case.dim,
            data: f32s(&case.test),
        };
        let scores = block_on(score_vectors(detector.as_ref(), &test, None, 4096)).expect("scores");
        let scores: Vec<f64> = scores.iter().map(|&s| f64::from(s)).collect();
        let error = max_relative(&scores, &case.mahalanobis, 1e-12);
        assert!(
            error <= 1e-6,
            "case {index}: device (f32) distances off by {error:e}"
        );
    }
}

#[test]
fn mahalanobis_refuses_training_vectors_without_variance() {
    let config = ModelConfig::Mahalanobis(sonogan::models::MahalanobisConfig {
        input_dim: 4,
        ..Default::default()
    });
    let detector = new_detector(&config, &Device::flex(), 0).unwrap();
    let train = TrainConfig {
        validation_split: 0.0,
        ..TrainConfig::default()
    };
    let rows = vec![Vectors {
        dim: 4,
        data: vec![-100.0; 40],
    }];
    let mut trainer = Trainer::new(detector, rows, train).unwrap();
    let error = block_on(trainer.run_to_end(|_| {}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("no variance"), "{error}");
}

/// `n` vectors around each of the given centres (spread 0.5).
fn clusters(centres: &[[f32; 3]], n: usize, seed: u64) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .flat_map(|i| centres[i % centres.len()])
        .map(|c| c + rng.random_range(-0.5f32..0.5))
        .collect()
}

#[test]
fn gaussian_mixture_finds_the_clusters_and_scores_outliers_higher() {
    let centres = [[0.0, 0.0, 0.0], [10.0, 0.0, 5.0], [-8.0, 6.0, 2.0]];
    let config = ModelConfig::Gmm(sonogan::models::GmmConfig {
        input_dim: 3,
        components: 3,
        ..Default::default()
    });
    let detector = fit(
        ModelKind::Gmm,
        config.clone(),
        clusters(&centres, 600, 1),
        3,
        64,
    );
    let inliers = Vectors {
        dim: 3,
        data: clusters(&centres, 30, 2),
    };
    let outliers = Vectors {
        dim: 3,
        data: vec![5.0, 3.0, 2.5, -4.0, 3.0, 1.0, 0.0, 8.0, -6.0],
    };
    let score = |v: &Vectors| block_on(score_vectors(detector.as_ref(), v, None, 4096)).unwrap();
    let worst_inlier = score(&inliers).into_iter().fold(f32::MIN, f32::max);
    let best_outlier = score(&outliers).into_iter().fold(f32::MAX, f32::min);
    assert!(
        best_outlier > worst_inlier + 10.0,
        "{best_outlier} vs {worst_inlier}"
    );
    // Uniform noise of width 1 has variance 1/12 per dimension: an inlier's NLL is about
    // 3·½·ln(2π/12) + 3/2 ≈ 0.53, plus ln 3 for the mixing weight.
    let mean_inlier = score(&inliers).iter().map(|&s| f64::from(s)).sum::<f64>() / 30.0;
    let expected = 1.5 * (2.0 * std::f64::consts::PI / 12.0).ln() + 1.5 + 3f64.ln();
    assert!(
        (mean_inlier - expected).abs() < 0.3,
        "{mean_inlier} vs {expected}"
    );
    let again = fit(ModelKind::Gmm, config, clusters(&centres, 600, 1), 3, 64);
    assert_eq!(
        detector.parameter_values("mixture").unwrap(),
        again.parameter_values("mixture").unwrap(),
        "seeded: the same fit twice"
    );
}

#[test]
fn made_outputs_of_a_group_never_depend_on_that_group_or_later_ones() {
    let device = Device::flex();
    let shape = MadeShape {
        input_dim: 20,
        groups: 5,
        hidden_dim: 24,
        hidden_layers: 2,
        context_dim: 2,
    };
    let mut init = sonogan::models::blocks::ParamInit::new(5, InitScheme::Keras);
    let net = MadeNet::new(shape, &mut init, &device);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let base: Vec<f32> = (0..22)
        .map(|i| {
            if i < 20 {
                rng.random_range(-1.0..1.0)
            } else {
                (i - 20) as f32
            }
        })
        .collect();
    let run = |values: &[f32], ordering: &[usize]| {
        let input = Tensor::<2>::from_data(TensorData::new(values.to_vec(), [1, 22]), &device);
        let (_, mean, log_var) = net.forward(input, &masks(&shape, ordering, &device), 20);
        let mut out = mean.into_data().try_to_vec::<f32>().unwrap();
        out.extend(log_var.into_data().try_to_vec::<f32>().unwrap());
        out
    };
    for ordering in orderings(5, 3, 11) {
        let reference = run(&base, &ordering);
        for group in 0..5 {
            let mut perturbed = base.clone();
            for value in &mut perturbed[group * 4..group * 4 + 4] {
                *value += 3.0;
            }
            let moved = run(&perturbed, &ordering);
            for d in 0..20 {
                let output_group = d / 4;
                let changed = (moved[d] != reference[d]) || (moved[20 + d] != reference[20 + d]);
                if ordering[output_group] <= ordering[group] {
                    assert!(
                        !changed,
                        "ordering {ordering:?}: input group {group} moved output {d}"
                    );
                }
            }
            let mut later = (0..20)
                .filter(|&d| ordering[d / 4] > ordering[group])
                .peekable();
            let is_last = later.peek().is_none();
            assert!(
                is_last || later.any(|d| moved[d] != reference[d]),
                "ordering {ordering:?}: group {group} feeds no later group"
            );
        }
    }
}
