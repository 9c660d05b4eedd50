//! Validation loss, normal clip scores, all four model kinds, and the scoring helpers.

use super::support::*;

#[test]
fn validation_loss_is_the_mean_score_of_the_held_out_vectors() {
    let input = clips(&[30, 30], 4);
    let tail = Vectors {
        dim: DIM,
        data: input[1].data[24 * DIM..].to_vec(),
    }; // 60 → 54 trained on
    let mut trainer = Trainer::new(ae(2), input, config(2, 16)).expect("trainer");
    block_on(trainer.run_to_end(|_| {})).expect("training");
    let scores = block_on(score_vectors(trainer.detector(), &tail, None, 4)).expect("scores");
    let mean = scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64;
    let reported = *trainer.validation_losses().last().unwrap();
    assert!(
        (reported - mean).abs() <= 1e-6 * mean.abs(),
        "{reported} vs {mean}"
    );
}

#[test]
fn normal_scores_come_from_validation_clips_when_there_are_three() {
    let input = clips(&[10; 10], 6);
    let expected_clips: Vec<Vectors> = [(6, 5..10), (7, 0..10), (8, 0..10), (9, 0..10)]
        .into_iter()
        .map(|(clip, rows)| Vectors {
            dim: DIM,
            data: input[clip].data[rows.start * DIM..rows.end * DIM].to_vec(),
        })
        .collect();
    let train = TrainConfig {
        validation_split: 0.35,
        ..config(2, 16)
    };
    let mut trainer = Trainer::new(ae(2), input, train).expect("trainer");
    let summary = block_on(trainer.run_to_end(|_| {})).expect("training");
    assert_eq!(summary.normal_scores.source, ScoreSource::Validation);
    assert_eq!(
        (
            summary.train_vectors,
            summary.validation_vectors,
            summary.clip_count
        ),
        (65, 35, 10)
    );
    let detector = trainer.into_detector().expect("model");
    for (got, clip) in summary
        .normal_scores
        .clip_scores
        .iter()
        .zip(&expected_clips)
    {
        let expected = block_on(clip_score(detector.as_ref(), clip, None, 3)).expect("clip score");
        assert!(
            (got - expected).abs() <= 1e-6 * expected.abs(),
            "{got} vs {expected}"
        );
    }
    assert_eq!(summary.normal_scores.clip_scores.len(), 4);
}

#[test]
fn every_model_kind_trains_through_the_trainer() {
    let configs = [
        tiny_ae(),
        ModelConfig::Ganomaly(GanomalyConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            ..Default::default()
        }),
        ModelConfig::SkipGanomaly(SkipGanomalyConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            feature_dim: 2,
            ..Default::default()
        }),
        ModelConfig::Egbad(EgbadConfig {
            input_dim: DIM,
            hidden_dim: 8,
            hidden_layers: 1,
            latent_dim: 2,
            d_hidden_dim: 8,
            ..Default::default()
        }),
    ];
    for model in configs {
        let detector = new_detector(&model, &Device::flex(), 1).expect("detector");
        let mut trainer =
            Trainer::new(detector, clips(&[12; 4], 2), config(1, 16)).expect("trainer");
        let summary = block_on(trainer.run_to_end(|_| {})).expect("training");
        assert_eq!(summary.steps, 3, "{:?}", model.kind());
        assert!(
            summary.final_losses.iter().all(|(_, v)| v.is_finite()),
            "{:?}",
            model.kind()
        );
        let names: Vec<&str> = summary
            .final_losses
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        if model.kind() != ModelKind::Ae {
            for network in trainer.detector().network_names() {
                assert!(
                    names.contains(network),
                    "{:?}: {names:?} lacks {network}",
                    model.kind()
                );
            }
        }
        assert!(summary.validation_losses[0].is_finite());
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring helpers

#[test]
fn clip_score_is_the_mean_of_vector_scores_whatever_the_chunk() {
    let detector = ae(9);
    let clip = clips(&[23], 8).remove(0);
    let whole = block_on(score_vectors(detector.as_ref(), &clip, None, 4096)).expect("scores");
    let chunked = block_on(score_vectors(detector.as_ref(), &clip, None, 5)).expect("scores");
    assert_eq!(whole.len(), 23);
    for (a, b) in whole.iter().zip(&chunked) {
        assert!((a - b).abs() <= 1e-6 * a.abs().max(1e-6), "{a} vs {b}");
    }
    let mean = whole.iter().map(|&s| f64::from(s)).sum::<f64>() / 23.0;
    let score = block_on(clip_score(detector.as_ref(), &clip, None, 5)).expect("clip score");
    assert!((score - mean).abs() <= 1e-6 * mean);
    assert!(matches!(
        block_on(clip_score(detector.as_ref(), &Vectors::default(), None, 5)),
        Err(TrainError::NoData(_))
    ));
    let wrong = Vectors {
        dim: 4,
        data: vec![0.0; 8],
    };
    assert!(matches!(
        block_on(score_vectors(detector.as_ref(), &wrong, None, 5)),
        Err(TrainError::DimensionMismatch { .. })
    ));
}
