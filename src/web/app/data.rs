//! Sounds in: built-in machine sounds, files and folders (WAV decoded here, other formats decoded
//! by the browser first), microphone recordings; the data view; looking at one clip.

use super::{BusyGuard, PageApp, WorkerHost};
use crate::data::synth::SynthConfig;
use crate::data::{Label, Split};
use crate::report::{spectrogram_rgba, waveform_svg};
use crate::web::budget;
use crate::web::messages::{AudioInput, Bytes, ClipView, DataView, FileInput, Reply, Samples};
use crate::web::session::{AddReport, Analysed, SourceAudio, SourceFile};
use crate::web::summary::{rejected_html, summary_html};

/// Columns of the waveform drawing.
const WAVEFORM_COLUMNS: usize = 800;

/// File name endings the main thread decodes with `decodeAudioData` (everything but WAV).
pub const BROWSER_FORMATS: [&str; 8] = [
    ".mp3", ".ogg", ".oga", ".opus", ".flac", ".webm", ".m4a", ".aac",
];

/// Generates built-in sounds and adds them.
pub(super) async fn load_builtin<H: WorkerHost>(
    app: &PageApp,
    config: &SynthConfig,
    host: &H,
) -> Result<Reply, String> {
    let _busy = BusyGuard::take(app, "making the built-in sounds")?;
    host.yield_now().await;
    let report = app.state.borrow_mut().session.add_synthetic(config)?;
    Ok(Reply::Data(data_view(app, report, None)))
}

/// Adds files; an error when their paths form no data set (then nothing changes).
pub(super) async fn add_files<H: WorkerHost>(
    app: &PageApp,
    files: Vec<FileInput>,
    default_type: &str,
    host: &H,
) -> Result<Reply, String> {
    let _busy = BusyGuard::take(app, "reading the files")?;
    host.yield_now().await;
    let sources = files.into_iter().map(source_file).collect();
    let report = app
        .state
        .borrow_mut()
        .session
        .add_files(sources, default_type)?;
    Ok(Reply::Data(data_view(app, report, None)))
}

/// Adds a microphone recording as a clip of `machine_type` (`role`: "train", "test-normal" or
/// "test-anomaly").
pub(super) fn add_recording(
    app: &PageApp,
    machine_type: &str,
    role: &str,
    channels: Vec<Samples>,
    sample_rate: u32,
) -> Result<Reply, String> {
    let (split, label) = recording_role(role)?;
    let channels: Vec<Vec<f32>> = channels.into_iter().map(|c| c.0).collect();
    let machine_type = match machine_type.trim() {
        "" => "recorded".to_string(),
        name => name.replace(['/', '\\'], "_"),
    };
    let path = app
        .state
        .borrow_mut()
        .session
        .add_recording(&machine_type, "id_00", split, label, &channels, sample_rate)
        .map_err(|e| format!("the recording could not be used: {e}"))?;
    let report = AddReport {
        added: 1,
        ..AddReport::default()
    };
    Ok(Reply::Data(data_view(app, report, Some(path))))
}

/// The split and label of a recording role.
fn recording_role(role: &str) -> Result<(Split, Label), String> {
    match role {
        "train" => Ok((Split::Train, Label::Normal)),
        "test-normal" => Ok((Split::Test, Label::Normal)),
        "test-anomaly" => Ok((Split::Test, Label::Anomaly)),
        other => Err(format!("unknown recording role '{other}'")),
    }
}

/// Forgets every clip, rejected file and result (models are kept).
pub(super) fn clear(app: &PageApp) -> Result<Reply, String> {
    let _busy = BusyGuard::take(app, "removing the sounds")?;
    {
        let mut state = app.state.borrow_mut();
        state.session.clear();
        state.results.clear();
    }
    Ok(Reply::Data(data_view(app, AddReport::default(), None)))
}

/// The data section after a change.
fn data_view(app: &PageApp, report: AddReport, path: Option<String>) -> DataView {
    let state = app.state.borrow();
    DataView {
        added: report.added,
        rejected: report.rejected,
        path,
        notice: budget::notice(&state.session, &report),
        summary_html: summary_html(&state.session),
        rejected_html: rejected_html(&state.session),
        clip_paths: state
            .session
            .clips()
            .iter()
            .map(|c| c.entry.rel_path.clone())
            .collect(),
    }
}

/// Test hook: the feature budget becomes `bytes` (docs/DESIGN.md §12.4); replies with the bytes of
/// features the session holds.
pub(super) fn set_feature_budget(app: &PageApp, bytes: usize) -> Reply {
    let session = &mut app.state.borrow_mut().session;
    let budget = session.budget();
    session.set_budget(budget::MemoryBudget {
        feature_bytes: bytes,
        ..budget
    });
    Reply::Number {
        value: session.feature_bytes() as f64,
    }
}

/// One file of a request as the session takes it.
fn source_file(file: FileInput) -> SourceFile {
    let audio = match file.audio {
        AudioInput::Wav { bytes } => SourceAudio::Wav(bytes.0),
        AudioInput::Decoded { channels, rate } => SourceAudio::Decoded {
            channels: channels.into_iter().map(|c| c.0).collect(),
            sample_rate: rate.max(0.0).min(f64::from(u32::MAX)) as u32,
        },
        AudioInput::Error { reason } => SourceAudio::Undecodable(reason),
        AudioInput::Analysed { samples, log_mel } => SourceAudio::Analysed(Analysed {
            samples: samples.0,
            log_mel: log_mel.0,
        }),
    };
    SourceFile {
        path: file.path,
        audio,
    }
}

/// What to draw for clip `path`. When the session dropped the clip's samples to save memory,
/// the page passes the file's `bytes` again (else the reply asks for them).
pub(super) fn clip_view(app: &PageApp, path: &str, bytes: Option<Bytes>) -> Result<Reply, String> {
    let state = app.state.borrow();
    let clip = state
        .session
        .clip(path)
        .ok_or_else(|| format!("no clip '{path}'"))?;
    let samples = match (&clip.samples, bytes) {
        (Some(samples), _) => samples.clone(),
        (None, Some(bytes)) => {
            crate::audio::decode_wav(path, &bytes.0, &Default::default())
                .map_err(|e| e.to_string())?
                .samples
        }
        (None, None) => return Ok(Reply::NeedsFile { path: path.into() }),
    };
    let config = state.session.feature_config();
    let frames = clip.frames(config.n_mels);
    let rgba = spectrogram_rgba(clip.log_mel.frame_values(), config.n_mels, frames, true)
        .map_err(|e| e.to_string())?;
    let wav = crate::audio::wav_bytes(&samples, config.sample_rate)?;
    let label = match clip.entry.label {
        Some(Label::Normal) => "normal",
        Some(Label::Anomaly) => "anomalous",
        None => "unlabelled",
    };
    Ok(Reply::Clip(ClipView {
        waveform_svg: waveform_svg(&samples, WAVEFORM_COLUMNS),
        spectrogram: Bytes(rgba),
        width: frames,
        height: config.n_mels,
        wav: Bytes(wav),
        seconds: clip.seconds,
        label: label.into(),
        machine_type: clip.entry.machine_type.clone(),
    }))
}

/// Benchmark: milliseconds per 10-s clip of the log-Mel spectrogram (docs/DESIGN.md §1.3), over `clips`
/// clips of deterministic noise after one warm-up clip (for `tools/bench-web`).
pub(super) fn benchmark_features(app: &PageApp, clips: u32) -> Reply {
    let config = app.state.borrow().session.feature_config().clone();
    let n = 10 * config.sample_rate as usize;
    let mut state = 0x2545_f491_u32;
    let samples: Vec<f32> = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32 - 0.5) * 0.2
        })
        .collect();
    let mut extractor = crate::features::FeatureExtractor::new(config);
    let _ = extractor.log_mel_frame_major(&samples);
    let started = web_time::Instant::now();
    for _ in 0..clips.max(1) {
        std::hint::black_box(extractor.log_mel_frame_major(&samples));
    }
    let value = started.elapsed().as_secs_f64() * 1000.0 / f64::from(clips.max(1));
    Reply::Number { value }
}
