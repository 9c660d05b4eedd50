//! The container layout, whole model files, and every kind of damage.

use super::support::*;

#[test]
fn fnv1a_64_matches_the_published_test_vectors() {
    assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
}

#[test]
fn container_lays_out_magic_version_lengths_and_checksum() {
    let bytes = container::encode(b"{}", &[1, 2, 3]);
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(
        u32::from_le_bytes(bytes[8..12].try_into().unwrap()),
        FORMAT_VERSION
    );
    assert_eq!(u64::from_le_bytes(bytes[12..20].try_into().unwrap()), 2);
    assert_eq!(&bytes[20..22], b"{}");
    assert_eq!(u64::from_le_bytes(bytes[22..30].try_into().unwrap()), 3);
    assert_eq!(&bytes[30..33], &[1, 2, 3]);
    let checksum = u64::from_le_bytes(bytes[33..41].try_into().unwrap());
    assert_eq!(checksum, fnv1a_64(&bytes[..33]));
    assert_eq!(bytes.len(), 41);
    let sections = container::decode(&bytes).expect("decodes");
    assert_eq!(
        (sections.manifest, sections.weights),
        (&b"{}"[..], &[1u8, 2, 3][..])
    );
}

#[test]
fn round_trip_gives_identical_scores_and_manifest() {
    let (detector, manifest) = trained_model();
    let bytes = block_on(store::save(detector.as_ref(), &manifest)).expect("save");
    let (loaded, loaded_manifest) = store::load(&bytes, &Device::flex()).expect("load");
    assert_eq!(loaded_manifest, manifest);
    assert_eq!(loaded.kind(), detector.kind());
    let probe = clips(1, 40, 99).remove(0);
    let before = block_on(score_vectors(detector.as_ref(), &probe, None, 7)).expect("scores");
    let after = block_on(score_vectors(loaded.as_ref(), &probe, None, 7)).expect("scores");
    assert_eq!(
        before, after,
        "scores must be bit-identical after a round trip"
    );
    assert_eq!(
        block_on(store::save(loaded.as_ref(), &loaded_manifest)).expect("save again"),
        bytes
    );
}

#[test]
fn manifest_records_run_data_and_threshold() {
    let (_, manifest) = trained_model();
    assert_eq!(manifest.format_version, FORMAT_VERSION);
    assert_eq!(manifest.model, tiny_ae());
    assert_eq!(manifest.training.epochs, 2);
    assert_eq!(manifest.training.batch_size, 16);
    assert_eq!(manifest.data.clip_count, 12);
    assert_eq!(manifest.data.vector_count, 240);
    assert_eq!(manifest.data.train_vectors, 216); // floor(240 · 0.9)
    assert_eq!(manifest.data.content_hash.len(), 16);
    assert_eq!(manifest.data.machine_ids, vec!["id_00", "id_02"]);
    // 24 held-out vectors = clips 11 (last 4 of its 20) and 12: only 2 validation clips, so the
    // normal scores come from the training clips.
    assert_eq!(manifest.normal_scores.source, ScoreSource::Train);
    assert_eq!(manifest.normal_scores.n, 11);
    assert!(manifest.threshold.value >= manifest.normal_scores.mean);
}

#[test]
fn threshold_comes_from_the_normal_training_clip_scores_only() {
    let (detector, manifest) = trained_model();
    // Recompute the normal clip scores independently: clips 1–10 whole, clip 11's first 16
    // vectors (its last 4 and clip 12 are held out).
    let mut normal = clips(12, 20, 1);
    normal.truncate(11);
    normal[10].data.truncate(16 * 6);
    let scores: Vec<f64> = normal
        .iter()
        .map(|clip| block_on(clip_score(detector.as_ref(), clip, None, 5)).expect("clip score"))
        .collect();
    let expected = DecisionThreshold::from_normal_scores(&scores).expect("threshold");
    assert_close(manifest.threshold.value, expected.value, 1e-6, "threshold");
    let stats = NormalScoreStats::from_scores(&scores, ScoreSource::Train).expect("stats");
    assert_close(manifest.normal_scores.mean, stats.mean, 1e-6, "mean");
    assert_close(manifest.normal_scores.max, stats.max, 1e-6, "max");
}

#[test]
fn bytes_that_are_not_a_model_are_named_as_such() {
    for junk in [&b""[..], b"RIFF\x24\0\0\0WAVEfmt ", b"SONOGA", &[0u8; 64]] {
        assert!(
            matches!(load_error(junk), StoreError::NotAModel),
            "{junk:?}"
        );
    }
}

#[test]
fn truncated_files_are_reported_as_truncated() {
    let bytes = model_bytes();
    for cut in [10, 30, bytes.len() / 2, bytes.len() - 9, bytes.len() - 1] {
        let error = load_error(&bytes[..cut]);
        assert!(
            matches!(error, StoreError::Truncated { .. }),
            "cut at {cut}: {error}"
        );
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}

#[test]
fn flipped_bits_anywhere_after_the_header_fail_the_checksum() {
    let bytes = model_bytes();
    let (manifest, _) = sections(&bytes);
    let in_manifest = 20 + manifest.len() / 2;
    let in_weights = bytes.len() - 40;
    let in_checksum = bytes.len() - 3;
    for at in [in_manifest, in_weights, in_checksum] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        let error = load_error(&damaged);
        assert!(
            matches!(error, StoreError::Corrupted(_)),
            "byte {at}: {error}"
        );
        assert!(error.to_string().contains("checksum"), "{error}");
    }
    let mut padded = bytes.clone();
    padded.push(0);
    assert!(matches!(load_error(&padded), StoreError::Corrupted(_)));
}

#[test]
fn a_newer_format_version_asks_for_an_update() {
    let mut bytes = model_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let error = load_error(&bytes);
    assert!(
        matches!(error, StoreError::NewerVersion { found, .. } if found == FORMAT_VERSION + 1),
        "{error}"
    );
    assert!(error.to_string().contains("update"));
}

#[test]
fn an_unknown_model_kind_is_named() {
    let (manifest, weights) = sections(&model_bytes());
    let text =
        String::from_utf8(manifest)
            .unwrap()
            .replacen("\"kind\": \"ae\"", "\"kind\": \"vae\"", 1);
    let error = load_error(&container::encode(text.as_bytes(), &weights));
    assert!(
        matches!(&error, StoreError::UnknownKind(k) if k == "vae"),
        "{error}"
    );
}

#[test]
fn a_manifest_that_is_not_json_is_rejected() {
    let (_, weights) = sections(&model_bytes());
    let error = load_error(&container::encode(b"\xff\xfe not json", &weights));
    assert!(matches!(error, StoreError::Manifest(_)), "{error}");
}

#[test]
fn weights_that_do_not_fit_the_architecture_are_rejected() {
    let (manifest, weights) = sections(&model_bytes());
    let text =
        String::from_utf8(manifest)
            .unwrap()
            .replacen("\"hidden_dim\": 8", "\"hidden_dim\": 9", 1);
    let error = load_error(&container::encode(text.as_bytes(), &weights));
    assert!(matches!(error, StoreError::Weights { .. }), "{error}");
    let error = load_error(&container::encode(
        &sections(&model_bytes()).0,
        &weights[..weights.len() / 2],
    ));
    assert!(matches!(error, StoreError::Weights { .. }), "{error}");
}

#[test]
fn saving_refuses_a_manifest_of_another_kind() {
    let (detector, mut manifest) = trained_model();
    manifest.model = ModelConfig::default_for(sonogan::models::ModelKind::Egbad);
    assert!(matches!(
        block_on(store::save(detector.as_ref(), &manifest)),
        Err(StoreError::KindMismatch { .. })
    ));
}

#[test]
fn file_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.sgm");
    let error = store::load_file(&missing, &Device::flex())
        .err()
        .expect("missing file fails");
    assert!(error.to_string().contains("missing.sgm"), "{error}");

    let (detector, manifest) = trained_model();
    let path = dir.path().join("fan.sgm");
    store::save_file(&path, detector.as_ref(), &manifest).expect("save_file");
    let (_, loaded) = store::load_file(&path, &Device::flex()).expect("load_file");
    assert_eq!(loaded, manifest);

    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() - 5);
    std::fs::write(&path, bytes).unwrap();
    let error = store::load_file(&path, &Device::flex())
        .err()
        .expect("truncated file fails");
    assert!(
        error.to_string().contains("fan.sgm") && error.to_string().contains("truncated"),
        "{error}"
    );
    assert!(matches!(error.root(), StoreError::Truncated { .. }));
}
