//! The worker's request handling (`src/web/app`, `src/web/messages`), natively on burn's flex
//! device: a trivial host collects the events, and a tiny executor blocks on the handlers (and
//! runs two at once for the cancel test), as the worker's event loop would.

use std::cell::Cell;

use sonogan::data::synth::SynthConfig;
use sonogan::models::ModelKind;
use sonogan::web::app::PageApp;
use sonogan::web::messages::{AudioInput, Bytes, Call, Event, FileInput, Reply, Request, Samples};
use sonogan::web::presets::RunOptions;

#[path = "support/worker_host.rs"]
mod worker_host;

use worker_host::{TestHost, YieldOnce, block_on, join};

/// One machine, one ID, 1-s clips: 3 normal training clips, 2 + 2 test clips.
fn tiny_sounds() -> SynthConfig {
    SynthConfig {
        types: vec!["valve".into()],
        ids: vec!["id_00".into()],
        train_per_id: 3,
        test_normal_per_id: 2,
        test_anomaly_per_id: 2,
        secs: 1.0,
        seed: 7,
    }
}

fn tiny_run(epochs: usize, batch_size: usize) -> RunOptions {
    RunOptions {
        models: vec![ModelKind::Ae],
        preset: "quick".into(),
        epochs: Some(epochs),
        batch_size: Some(batch_size),
        learning_rate: None,
        seed: 0,
        seeds: 1,
        subset: None,
    }
}

fn handle(app: &PageApp, host: &TestHost, request: Request) -> Result<Reply, String> {
    block_on(app.handle(request, host))
}

fn loaded_app(host: &TestHost) -> PageApp {
    let app = PageApp::new();
    let config = tiny_sounds();
    handle(&app, host, Request::LoadBuiltin { config }).expect("built-in sounds");
    app
}

#[test]
fn ready_lists_every_detector_with_its_label() {
    let info = PageApp::new().ready_info();
    let names: Vec<&str> = info.detectors.iter().map(|d| d.name.as_str()).collect();
    let expected: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(names, expected);
    assert_eq!(info.detectors[0].label, "AE");
    assert_eq!(info.backend, "cpu");
    assert!(info.builtin_types.contains(&"valve".to_string()));
    assert!(info.browser_formats.contains(&".mp3".to_string()));
}

#[test]
fn built_in_sounds_give_the_summary_and_clip_list() {
    let host = TestHost::default();
    let app = PageApp::new();
    let reply = handle(
        &app,
        &host,
        Request::LoadBuiltin {
            config: tiny_sounds(),
        },
    );
    let Ok(Reply::Data(view)) = reply else {
        panic!("expected a data view, got {reply:?}");
    };
    assert_eq!((view.added, view.rejected), (7, 0));
    assert_eq!(view.clip_paths.len(), 7);
    assert!(
        view.summary_html.contains("7 clips"),
        "{}",
        view.summary_html
    );
    assert!(view.summary_html.contains("valve"));
    let path = view.clip_paths[0].clone();
    let Ok(Reply::Clip(clip)) = handle(&app, &host, Request::ClipView { path, bytes: None }) else {
        panic!("a clip view");
    };
    assert_eq!(clip.spectrogram.0.len(), clip.width * clip.height * 4);
    assert!(clip.wav.0.starts_with(b"RIFF"));
}

#[test]
fn files_and_recordings_are_added_through_requests() {
    let host = TestHost::default();
    let app = PageApp::new();
    let tone: Vec<f32> = (0..16_000).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
    let wav = sonogan::audio::wav_bytes(&tone, 16_000).expect("wav");
    let files = vec![
        FileInput {
            path: "normal_id_00_00000000.wav".into(),
            audio: AudioInput::Wav { bytes: Bytes(wav) },
        },
        FileInput {
            path: "song.mp3".into(),
            audio: AudioInput::Error {
                reason: "this browser cannot decode it".into(),
            },
        },
        FileInput {
            path: "normal_id_00_00000001.ogg".into(),
            audio: AudioInput::Decoded {
                channels: vec![Samples(tone.clone())],
                rate: 16_000.0,
            },
        },
    ];
    let request = Request::AddFiles {
        files,
        default_type: "pump".into(),
    };
    let Ok(Reply::Data(view)) = handle(&app, &host, request) else {
        panic!("a data view");
    };
    assert_eq!((view.added, view.rejected), (2, 1));
    assert!(view.rejected_html.contains("song.mp3"));
    let request = Request::AddRecording {
        machine_type: "pump".into(),
        role: "train".into(),
        channels: vec![Samples(tone)],
        sample_rate: 16_000,
    };
    let Ok(Reply::Data(view)) = handle(&app, &host, request) else {
        panic!("a data view");
    };
    let path = view.path.expect("the recording's path");
    assert!(path.starts_with("pump/train/normal_id_00_rec"), "{path}");
    assert_eq!(view.clip_paths.len(), 3);
}

#[test]
fn a_tiny_run_reports_progress_and_models_then_results_and_files() {
    let host = TestHost::default();
    let app = loaded_app(&host);
    let reply = handle(
        &app,
        &host,
        Request::Train {
            options: tiny_run(2, 16),
        },
    );
    assert!(matches!(reply, Ok(Reply::Done)), "{reply:?}");
    let steps = host.progress_steps();
    assert!(!steps.is_empty(), "progress events");
    assert_eq!(host.trained(), vec!["valve-AE".to_string()]);
    let Ok(Reply::Results(results)) = handle(&app, &host, Request::Results) else {
        panic!("results");
    };
    let models: Vec<(&str, &str)> = results
        .models
        .iter()
        .map(|m| (m.name.as_str(), m.label.as_str()))
        .collect();
    assert_eq!(models, [("ae", "AE")]);
    assert!(results.results_html.contains("results-table"));
    let request = Request::Histogram {
        model: Some(ModelKind::Ae),
        machine_type: Some("valve".into()),
        threshold: None,
    };
    let Ok(Reply::Histogram(h)) = handle(&app, &host, request) else {
        panic!("a histogram");
    };
    assert!(h.svg.is_some() && h.confusion.is_some() && h.roc_svg.contains("<svg"));
    let Ok(Reply::Text { text }) = handle(&app, &host, Request::ExportCsv) else {
        panic!("csv");
    };
    assert!(text.starts_with("model,machine_type"));
    let request = Request::ModelBytes {
        name: "valve-AE".into(),
    };
    let Ok(Reply::ModelFile { bytes, .. }) = handle(&app, &host, request) else {
        panic!("a model file");
    };
    let request = Request::LoadModel {
        file_name: "copy-AE.sonogan".into(),
        bytes,
        origin: "loaded from".into(),
    };
    let Ok(Reply::ModelLoaded { name, info, models }) = handle(&app, &host, request) else {
        panic!("the model loads back");
    };
    assert_eq!(name, "copy-AE");
    assert!(info.starts_with("loaded copy-AE.sonogan"), "{info}");
    assert_eq!(models.len(), 2);
}

#[test]
fn cancel_stops_the_run_within_one_step() {
    let host = TestHost::default();
    let app = loaded_app(&host);
    let cancelled_at = Cell::new(None);
    let canceller = async {
        // Wait for the second progress event, then cancel (as a Cancel message would arrive).
        while host.progress_steps().len() < 2 {
            YieldOnce(false).await;
        }
        cancelled_at.set(host.progress_steps().last().copied());
        app.handle(Request::Cancel, &host).await
    };
    let (trained, cancel) = join(
        app.handle(
            Request::Train {
                options: tiny_run(20, 8),
            },
            &host,
        ),
        canceller,
    );
    assert!(matches!(cancel, Ok(Reply::Done)));
    let error = trained.expect_err("a cancelled run is an error");
    assert!(error.contains("cancel"), "{error}");
    let at = cancelled_at.get().expect("cancelled during training");
    let last = *host.progress_steps().last().expect("progress");
    assert!(
        last <= at + 1,
        "cancelled at step {at}, trained on to step {last}"
    );
    assert!(host.trained().is_empty());
    assert_eq!(app.busy(), None, "the busy flag is released");
}

#[test]
fn a_second_job_is_refused_while_one_runs() {
    let host = TestHost::default();
    let app = loaded_app(&host);
    let second = async {
        while host.progress_steps().is_empty() {
            YieldOnce(false).await;
        }
        let refused = app
            .handle(
                Request::LoadBuiltin {
                    config: tiny_sounds(),
                },
                &host,
            )
            .await;
        app.handle(Request::Cancel, &host).await.expect("cancel");
        refused
    };
    let (_, refused) = join(
        app.handle(
            Request::Train {
                options: tiny_run(20, 8),
            },
            &host,
        ),
        second,
    );
    let error = refused.expect_err("refused");
    assert!(error.contains("please wait: training"), "{error}");
}

#[test]
fn bad_requests_fail_with_a_reason() {
    let host = TestHost::default();
    let app = PageApp::new();
    let calls = [
        (
            1,
            Request::LoadModel {
                file_name: "not-a-model.sonogan".into(),
                bytes: Bytes(b"RIFF....WAVE".to_vec()),
                origin: "loaded from".into(),
            },
            "not-a-model.sonogan",
        ),
        (
            2,
            Request::Train {
                options: tiny_run(1, 8),
            },
            "no machine type",
        ),
        (
            3,
            Request::ClipView {
                path: "nope.wav".into(),
                bytes: None,
            },
            "no clip 'nope.wav'",
        ),
        (
            4,
            Request::SetBackend {
                choice: "quantum".into(),
            },
            "unknown backend",
        ),
        (
            5,
            Request::Explain {
                path: "x".into(),
                model: "y".into(),
            },
            "no clip",
        ),
    ];
    for (id, request, reason) in calls {
        block_on(app.dispatch(Call { id, request }, &host));
        let last = host.events.borrow().last().cloned();
        match last {
            Some(Event::Failed { id: got, error }) => {
                assert_eq!(got, id);
                assert!(error.contains(reason), "request {id}: {error}");
            }
            other => panic!("request {id}: expected a Failed event, got {other:?}"),
        }
    }
    let Ok(Reply::Backend { name, text }) = handle(
        &app,
        &host,
        Request::SetBackend {
            choice: "auto".into(),
        },
    ) else {
        panic!("auto falls back to the CPU");
    };
    assert_eq!(name, "cpu");
    assert!(text.contains("WebGPU is not available"), "{text}");
}

#[test]
fn messages_have_a_stable_json_shape() {
    let call: Call = serde_json::from_str(
        r#"{"id": 9, "request": {"type": "meter_push", "model": "valve-AE",
            "samples": [0, 0, 128, 63, 0, 0, 0, 64]}}"#,
    )
    .expect("a meter call");
    let Request::MeterPush { samples, .. } = call.request else {
        panic!("meter_push");
    };
    assert_eq!(samples.0, vec![1.0, 2.0]);
    let unknown = serde_json::from_str::<Call>(r#"{"id": 1, "request": {"type": "dance"}}"#);
    assert!(unknown.unwrap_err().to_string().contains("unknown variant"));
    let odd = serde_json::from_str::<Call>(
        r#"{"id": 1, "request": {"type": "meter_push", "model": "m", "samples": [1, 2, 3]}}"#,
    );
    assert!(odd.unwrap_err().to_string().contains("32-bit samples"));
    let event = serde_json::to_value(Event::Reply {
        id: 3,
        result: Reply::Text { text: "hi".into() },
    })
    .expect("json");
    assert_eq!(
        event,
        serde_json::json!({"type": "reply", "id": 3, "result": {"kind": "text", "text": "hi"}})
    );
}

#[test]
#[should_panic(expected = "crash requested")]
fn the_crash_hook_panics() {
    let host = TestHost::default();
    let _ = handle(&PageApp::new(), &host, Request::Crash);
}

#[test]
fn repeating_with_n_seeds_shows_mean_and_sd_and_a_new_run_replaces_them() {
    let host = TestHost::default();
    let app = loaded_app(&host);
    let options = RunOptions {
        seed: 3,
        seeds: 2,
        ..tiny_run(1, 16)
    };
    let reply = handle(&app, &host, Request::Train { options });
    assert!(matches!(reply, Ok(Reply::Done)), "{reply:?}");
    assert_eq!(host.trained(), ["valve-AE-seed3", "valve-AE-seed4"]);
    let Ok(Reply::Results(view)) = handle(&app, &host, Request::Results) else {
        panic!("results");
    };
    assert_eq!(view.seeds, [3, 4]);
    assert!(view.results_html.contains("mean ± sd over 2 seeds"));
    assert!(
        view.figure4_auc_svg
            .contains(r#"<rect class="bar" data-model="AE""#)
    );
    assert!(view.figure4_pauc_svg.contains(">pAUC</text>"));
    let Ok(Reply::Text { text }) = handle(&app, &host, Request::ExportJson) else {
        panic!("json");
    };
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let per_seed: Vec<f64> = json["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["models"]["ae"]["valve"]["auc"].as_f64().unwrap())
        .collect();
    assert_eq!(per_seed.len(), 2);
    // Mean and sample sd of two values: (a + b)/2 and |a − b|/√2.
    let valve = &json["models"]["ae"]["valve"];
    let mean = (per_seed[0] + per_seed[1]) / 2.0;
    assert!((valve["auc"].as_f64().unwrap() - mean).abs() < 1e-12);
    let sd = (per_seed[0] - per_seed[1]).abs() / 2f64.sqrt();
    assert!((valve["auc_sd"].as_f64().unwrap() - sd).abs() < 1e-12);
    let seeds: Vec<u64> = json["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["seed"].as_u64().unwrap())
        .collect();
    assert_eq!(seeds.len(), 8, "4 test clips × 2 seeds");
    assert!(seeds.contains(&3) && seeds.contains(&4));
    let Ok(Reply::Text { text: csv }) = handle(&app, &host, Request::ExportCsv) else {
        panic!("csv");
    };
    assert!(csv.contains("# file: AE/seed_4/result.csv"), "{csv}");

    // A later one-seed run of the same model and type replaces both seeds.
    let reply = handle(
        &app,
        &host,
        Request::Train {
            options: tiny_run(1, 16),
        },
    );
    assert!(matches!(reply, Ok(Reply::Done)), "{reply:?}");
    let Ok(Reply::Results(view)) = handle(&app, &host, Request::Results) else {
        panic!("results");
    };
    assert_eq!(view.seeds, [0]);
    assert!(!view.results_html.contains("±"));
}

#[test]
fn run_options_without_seeds_mean_one_seed() {
    let options: RunOptions = serde_json::from_str(
        r#"{"models": ["ae"], "preset": "quick", "epochs": null, "batch_size": null,
            "learning_rate": null, "seed": 5, "subset": null}"#,
    )
    .expect("options");
    assert_eq!(options.seeds, 1);
    assert_eq!(options.seed_list(), [5]);
    assert_eq!(
        RunOptions {
            seeds: 3,
            ..options
        }
        .seed_list(),
        [5, 6, 7]
    );
}
