//! Keras validation split, clip ranges, input checks, batch boundaries and permutations.

use super::support::*;

#[test]
fn validation_split_is_the_keras_tail() {
    // Python: int(N * (1. - 0.1)) for N = 240, 95, 10, 7.
    for (lengths, train) in [
        (vec![20; 12], 216),
        (vec![19; 5], 85),
        (vec![10], 9),
        (vec![3, 4], 6),
    ] {
        let data = TrainingData::from_clips(clips(&lengths, 0), 0.1).expect("data");
        let n: usize = lengths.iter().sum();
        assert_eq!(
            (data.len(), data.train_len(), data.validation_len()),
            (n, train, n - train)
        );
        assert_eq!(
            data.row(train)[0],
            train as f32,
            "the tail starts right after the head, in file order"
        );
    }
    let all = TrainingData::from_clips(clips(&[5, 5], 0), 0.0).expect("data");
    assert_eq!(all.validation_len(), 0);
}

#[test]
fn clip_ranges_follow_the_split() {
    let mut input = clips(&[5, 5, 5], 0);
    input.insert(1, Vectors::default()); // a clip without vectors keeps its place
    input.push(clips(&[5], 1).remove(0));
    let data = TrainingData::from_clips(input, 0.1).expect("data");
    assert_eq!(data.clip_count(), 5);
    assert_eq!(data.train_len(), 18);
    assert_eq!(data.validation_clip_ranges(), vec![0..2]);
    assert_eq!(
        data.training_clip_ranges(),
        vec![0..5, 5..10, 10..15, 15..18]
    );
    let data = TrainingData::from_clips(clips(&[10; 10], 0), 0.35).expect("data");
    assert_eq!(
        data.validation_clip_ranges(),
        vec![0..5, 5..15, 15..25, 25..35]
    );
}

#[test]
fn bad_data_is_refused_with_the_clip_named() {
    assert!(matches!(
        TrainingData::from_clips(vec![], 0.1),
        Err(TrainError::NoData(_))
    ));
    assert!(matches!(
        TrainingData::from_clips(vec![Vectors::default(); 3], 0.1),
        Err(TrainError::NoData(_))
    ));
    let mut mixed = clips(&[4, 4], 0);
    mixed.push(Vectors {
        dim: 5,
        data: vec![0.0; 10],
    });
    let error = TrainingData::from_clips(mixed, 0.1).unwrap_err();
    assert!(error.to_string().contains("clip 3 of 3"), "{error}");
    let ragged = vec![Vectors {
        dim: DIM,
        data: vec![0.0; DIM + 1],
    }];
    assert!(matches!(
        TrainingData::from_clips(ragged, 0.1),
        Err(TrainError::InvalidData(_))
    ));
    assert!(matches!(
        TrainingData::from_clips(clips(&[4], 0), 1.0),
        Err(TrainError::InvalidConfig(_))
    ));
    let mut poisoned = clips(&[4, 4], 0);
    poisoned[1].data[2 * DIM + 3] = f32::NAN;
    let error = TrainingData::from_clips(poisoned, 0.1).unwrap_err();
    assert!(
        error.to_string().contains("clip 2 of 2: vector 3"),
        "{error}"
    );
}

#[test]
fn batches_keep_the_partial_tail_but_never_a_single_vector() {
    assert_eq!(batch_ranges(10, 4), vec![0..4, 4..8, 8..10]);
    assert_eq!(
        batch_ranges(9, 4),
        vec![0..4, 4..9],
        "a last batch of one joins the previous one"
    );
    assert_eq!(batch_ranges(8, 4), vec![0..4, 4..8]);
    assert_eq!(batch_ranges(3, 512), vec![0..3]);
}

#[test]
fn permutations_are_seeded_and_complete() {
    let draw = |seed| permutation(100, &mut ChaCha8Rng::seed_from_u64(seed));
    let mut sorted = draw(1);
    sorted.sort_unstable();
    assert_eq!(sorted, (0..100).collect::<Vec<u32>>());
    assert_eq!(draw(1), draw(1));
    assert_ne!(draw(1), draw(2));
    let order = EpochOrder::draw(100, 30, 2, &mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(order.steps(), 4);
    assert_ne!(
        order.batch(0)[0],
        order.batch(0)[1],
        "the two streams are independent"
    );
}

/// Frames of `frames` frames of width 2 (DIM = 2 · 3, context 3) with varied values.
fn frame_clip(frames: usize, offset: f32) -> FrameStack {
    let values = (0..frames * 2)
        .map(|i| offset + (i as f32 * 0.37).sin())
        .collect();
    FrameStack::new(values, 2, 3).expect("frames")
}

#[test]
fn frames_read_as_their_stacked_vectors() {
    let stacks = [frame_clip(9, 0.0), frame_clip(2, 5.0), frame_clip(6, 9.0)];
    let from_frames =
        TrainingData::from_frames(stacks.iter().cloned().map(Arc::new).collect(), 0.1)
            .expect("frames");
    let stacked = stacks.iter().map(FrameStack::to_vectors).collect();
    let from_vectors = TrainingData::from_clips(stacked, 0.1).expect("vectors");
    // 7 + 0 (two frames: no vector of three) + 4 vectors.
    assert_eq!(from_frames.len(), 11);
    assert_eq!(from_frames.clip_ranges(), vec![0..7, 7..7, 7..11]);
    assert_eq!(from_frames.clip_ranges(), from_vectors.clip_ranges());
    for i in 0..from_frames.len() {
        assert_eq!(from_frames.row(i), from_vectors.row(i), "vector {i}");
    }
    assert_eq!(from_frames.row(7), &stacks[2].frame_values()[..DIM]);
    let ids = from_frames.with_machine_ids(&[4, 5, 6]).expect("ids");
    assert_eq!(ids.ids(5..9), vec![4, 4, 6, 6]);
    assert_eq!(ids.gather_ids(&[10, 0]), vec![6, 4]);
}

#[test]
fn training_on_frames_equals_training_on_the_stacked_copy() {
    let stacks: Vec<FrameStack> = (0..4).map(|c| frame_clip(12, c as f32)).collect();
    let run = |trainer: &mut Trainer| {
        let mut losses = Vec::new();
        while let Some(progress) = block_on(trainer.step()).expect("step") {
            losses.push(progress.losses.clone());
        }
        (
            losses,
            block_on(trainer.summary()).expect("summary").normal_scores,
        )
    };
    let frames = stacks.iter().cloned().map(Arc::new).collect();
    let mut on_frames = Trainer::with_machine_ids(ae(3), frames, &[], config(3, 8)).unwrap();
    let stacked = stacks.iter().map(FrameStack::to_vectors).collect();
    let mut on_vectors = Trainer::new(ae(3), stacked, config(3, 8)).unwrap();
    assert_eq!(run(&mut on_frames), run(&mut on_vectors));
}
