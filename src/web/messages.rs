//! The page's protocol between the main thread (`www/app.js`, `www/client.js`) and the Web Worker
//! that owns the session (`www/worker.js` → [`crate::web::app::PageApp`]).
//!
//! - Main → worker: a [`Call`] `{id, request: {type: "load_builtin", …}}`; every request gets
//!   exactly one [`Event::Reply`] or [`Event::Failed`] with the same `id`.
//! - Worker → main: [`Event`]s `{type: "reply" | "failed" | "progress" | "model_trained" | "ready"
//!   | "fatal", …}`; progress and model events arrive while a `train` request runs.
//!
//! Encoding: plain JS objects through serde-wasm-bindgen (maps as objects). Binary payloads are
//! [`Bytes`] (a `Uint8Array` in JS; audio samples are the bytes of a little-endian
//! `Float32Array`, see [`Samples`]): the sender transfers their `ArrayBuffer`s with
//! `postMessage(message, transfer)`, so nothing big is copied between threads, and the wasm side
//! copies each one once into its memory. The same types round-trip through serde_json natively,
//! where the tests build them directly.

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::presets::{Preset, RunOptions};
use crate::data::synth::SynthConfig;
use crate::eval::protocol::JobProgress;
use crate::metrics::Confusion;
use crate::models::ModelKind;

/// Raw bytes: a `Uint8Array` (or `ArrayBuffer`) in JS, a byte array in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor).map(Bytes)
    }
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("bytes (a Uint8Array)")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
        Ok(v.to_vec())
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
        Ok(v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(b) = seq.next_element()? {
            out.push(b);
        }
        Ok(out)
    }
}

/// Audio samples, carried as the little-endian bytes of a `Float32Array`
/// (`new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength)` in JS).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples(pub Vec<f32>);

impl Serialize for Samples {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|s| s.to_le_bytes()).collect();
        serializer.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Samples {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bytes = deserializer.deserialize_byte_buf(BytesVisitor)?;
        if bytes.len() % 4 != 0 {
            return Err(de::Error::custom(format!(
                "{} bytes are no whole number of 32-bit samples",
                bytes.len()
            )));
        }
        let samples = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(Samples(samples))
    }
}

/// One request with the id its reply will carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Call {
    /// Chosen by the main thread; echoed in [`Event::Reply`] / [`Event::Failed`].
    pub id: u64,
    /// What to do.
    pub request: Request,
}

/// What the main thread asks the worker to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Switch to "auto", "webgpu" or "cpu" → [`Reply::Backend`].
    SetBackend { choice: String },
    /// Generate and add built-in sounds → [`Reply::Data`].
    LoadBuiltin { config: SynthConfig },
    /// Add files (WAV bytes, browser-decoded channels or a decoding error) → [`Reply::Data`].
    AddFiles {
        files: Vec<FileInput>,
        default_type: String,
    },
    /// Add a microphone recording; `role` is "train", "test-normal" or "test-anomaly" →
    /// [`Reply::Data`] with the clip's path.
    AddRecording {
        machine_type: String,
        role: String,
        channels: Vec<Samples>,
        sample_rate: u32,
    },
    /// Forget every clip and result (models stay) → [`Reply::Data`].
    ClearData,
    /// What to draw for one clip → [`Reply::Clip`] or [`Reply::NeedsFile`].
    ClipView { path: String, bytes: Option<Bytes> },
    /// Score one clip with a model → [`Reply::Explain`].
    Explain { path: String, model: String },
    /// A training preset → [`Reply::Preset`].
    Preset { name: String },
    /// Train and evaluate → [`Event::Progress`], [`Event::ModelTrained`], then [`Reply::Done`].
    Train { options: RunOptions },
    /// Stop the training run in progress within one step → [`Reply::Done`].
    Cancel,
    /// The results tables and lists → [`Reply::Results`].
    Results,
    /// Histogram and ROC plot of a model on a machine type at a threshold (`None`: the model's
    /// default) → [`Reply::Histogram`].
    Histogram {
        model: Option<ModelKind>,
        machine_type: Option<String>,
        threshold: Option<f64>,
    },
    /// Every score and the DCASE files as CSV → [`Reply::Text`].
    ExportCsv,
    /// The results as JSON → [`Reply::Text`].
    ExportJson,
    /// A description of a model → [`Reply::Text`].
    ModelInfo { name: String },
    /// A model file → [`Reply::ModelFile`].
    ModelBytes { name: String },
    /// Load a model file → [`Reply::ModelLoaded`].
    LoadModel {
        file_name: String,
        bytes: Bytes,
        origin: String,
    },
    /// Start the live meter afresh → [`Reply::Done`].
    MeterReset,
    /// 16 kHz microphone samples for the live meter → [`Reply::Meter`].
    MeterPush { model: String, samples: Samples },
    /// Milliseconds per 10-s clip of log-Mel features (for `tools/bench-web`) → [`Reply::Number`].
    BenchmarkFeatures { clips: u32 },
    /// Test hook: panics in the worker so the page's restart path can be tested.
    Crash,
    /// Test hook: the session's feature budget becomes `bytes` (docs/DESIGN.md §12.4) →
    /// [`Reply::Number`], the bytes of features the session holds.
    SetFeatureBudget { bytes: usize },
}

/// One input file for [`Request::AddFiles`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileInput {
    /// '/'-separated path relative to the drop, or a bare file name.
    pub path: String,
    /// Its audio.
    pub audio: AudioInput,
}

/// Audio of one input file as the main thread hands it over.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AudioInput {
    /// The file's bytes (WAV, decoded in Rust).
    Wav { bytes: Bytes },
    /// Channels decoded by the browser (`decodeAudioData`) and their sample rate.
    Decoded { channels: Vec<Samples>, rate: f64 },
    /// The browser could not decode or read it, and why.
    Error { reason: String },
    /// Decoded and analysed by one of the page's feature workers (`analyse_wav`): 16 kHz mono
    /// samples and their log-Mel spectrogram, frame-major.
    Analysed { samples: Samples, log_mel: Samples },
}

/// A feature worker's result for one WAV file (see [`AudioInput::Analysed`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnalysedAudio {
    /// 16 kHz mono samples.
    pub samples: Samples,
    /// Their log-Mel spectrogram, frame-major.
    pub log_mel: Samples,
}

/// What the worker tells the main thread.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// The worker has started its wasm core.
    Ready(ReadyInfo),
    /// The answer to request `id`.
    Reply { id: u64, result: Reply },
    /// Request `id` failed; `error` says why.
    Failed { id: u64, error: String },
    /// A training step is done (at most ten a second, and the last step of each job).
    Progress { run: JobProgress, loss_svg: String },
    /// A model was trained and scored; the page's model list after it.
    ModelTrained {
        name: String,
        models: Vec<ModelSummary>,
    },
    /// The worker panicked and cannot continue; the page replaces it.
    Fatal { message: String },
}

/// What the page learns once the worker has started.
#[derive(Debug, Clone, Serialize)]
pub struct ReadyInfo {
    /// The detectors the page offers, in table order.
    pub detectors: Vec<DetectorInfo>,
    /// The backend in use ("cpu" until the page chooses).
    pub backend: String,
    /// The built-in machine types.
    pub builtin_types: Vec<String>,
    /// The demo's built-in data settings.
    pub demo_data: SynthConfig,
    /// The bundled demo model files (under `models/`).
    pub demo_models: Vec<String>,
    /// File name endings the main thread decodes with `decodeAudioData` unless the file starts
    /// like a WAV.
    pub browser_formats: Vec<String>,
}

/// One detector of the training form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorInfo {
    /// Its name in requests ("ae", "ganomaly" …).
    pub name: String,
    /// Its label in tables and plots ("AE", "GANomaly" …).
    pub label: String,
}

impl From<ModelKind> for DetectorInfo {
    fn from(kind: ModelKind) -> Self {
        DetectorInfo {
            name: kind.name().to_string(),
            label: kind.label().to_string(),
        }
    }
}

/// The result of a request.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    /// Nothing to report.
    Done,
    /// The backend in use and why.
    Backend { name: String, text: String },
    /// The data after a change.
    Data(DataView),
    /// A clip to draw.
    Clip(ClipView),
    /// The clip's samples were dropped to save memory: send the file's bytes again.
    NeedsFile { path: String },
    /// A clip scored with a model.
    Explain(Explanation),
    /// A training preset.
    Preset(Preset),
    /// The results section.
    Results(ResultsView),
    /// One model's histogram and the ROC plot.
    Histogram(HistogramView),
    /// Text (exports, model descriptions).
    Text { text: String },
    /// A model file.
    ModelFile { name: String, bytes: Bytes },
    /// A loaded model's description and the model list.
    ModelLoaded {
        name: String,
        info: String,
        models: Vec<ModelSummary>,
    },
    /// The live meter: a reading when a full second was scored.
    Meter { reading: Option<MeterReading> },
    /// A number (benchmarks).
    Number { value: f64 },
}

/// The data section as HTML and lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataView {
    /// Clips added by this request.
    pub added: usize,
    /// Files rejected by this request.
    pub rejected: usize,
    /// The recording's clip path ([`Request::AddRecording`] only).
    pub path: Option<String>,
    /// Why files were refused beyond the memory budget, with how many were kept and refused
    /// (docs/DESIGN.md §12.4); `None` when none was.
    pub notice: Option<String>,
    /// The summary table.
    pub summary_html: String,
    /// One `<li>` per unusable file.
    pub rejected_html: String,
    /// Every clip path, sorted.
    pub clip_paths: Vec<String>,
}

/// What to draw for one clip.
#[derive(Debug, Clone, Serialize)]
pub struct ClipView {
    /// The waveform drawing.
    pub waveform_svg: String,
    /// RGBA pixels of the log-Mel spectrogram, `width × height`.
    pub spectrogram: Bytes,
    /// Frames.
    pub width: usize,
    /// Mel bands.
    pub height: usize,
    /// A 16-bit WAV for playback.
    pub wav: Bytes,
    /// Length in seconds.
    pub seconds: f64,
    /// "normal", "anomalous" or "unlabelled".
    pub label: String,
    /// Its machine type.
    pub machine_type: String,
}

/// One clip scored with one model.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// RGBA pixels of the per-frame anomaly strip (one pixel per frame).
    pub strip: Bytes,
    /// Frames.
    pub width: usize,
    /// The clip score.
    pub score: f64,
    /// The model's default threshold.
    pub threshold: f64,
    /// Score above the threshold.
    pub anomalous: bool,
    /// Stretches at or above the threshold, `(start s, end s)`.
    pub spans: Vec<(f64, f64)>,
}

/// One of the page's models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    /// File-style name, e.g. "valve-AE".
    pub name: String,
    /// Detector label ("AE" …).
    pub kind: String,
    /// Where it came from.
    pub origin: String,
    /// Machine types it was trained on.
    pub machine_types: Vec<String>,
    /// Its default threshold.
    pub threshold: f64,
}

/// The results section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultsView {
    /// The per-type × model table (empty before any run).
    pub results_html: String,
    /// The per-ID table (with the AUC's bootstrap interval of the first seed).
    pub id_results_html: String,
    /// The seed paper's Figure 4 for the AUC: bars per type and model, mean ± sd over seeds.
    pub figure4_auc_svg: String,
    /// Figure 4 for the pAUC.
    pub figure4_pauc_svg: String,
    /// The seeds with results, ascending.
    pub seeds: Vec<u64>,
    /// Models with results, in evaluation order.
    pub models: Vec<DetectorInfo>,
    /// Machine types with results.
    pub machine_types: Vec<String>,
}

/// One model's score histogram at a threshold, and the ROC plot with its operating point.
#[derive(Debug, Clone, Serialize)]
pub struct HistogramView {
    /// The ROC curves of the machine type (always drawn).
    pub roc_svg: String,
    /// The histogram (`None` without a model and type).
    pub svg: Option<String>,
    /// The threshold used.
    pub threshold: Option<f64>,
    /// The model file's default threshold.
    pub default_threshold: Option<f64>,
    /// Slider range.
    pub min: Option<f64>,
    /// Slider range.
    pub max: Option<f64>,
    /// Confusion counts at the threshold.
    pub confusion: Option<Confusion>,
}

/// One live-meter second.
#[derive(Debug, Clone, Serialize)]
pub struct MeterReading {
    /// Its score.
    pub score: f64,
    /// The model's threshold.
    pub threshold: f64,
    /// Recent scores and the threshold as SVG.
    pub svg: String,
}
