//! Sounds in: built-in machine sounds, files and folders (WAV decoded here, other formats decoded
//! by the browser first), microphone recordings; the summary; looking at one clip.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::{App, BusyGuard, from_js, js_error, to_js, yield_now};
use crate::data::synth::{self, SynthConfig};
use crate::data::{Label, Split};
use crate::report::{spectrogram_rgba, waveform_svg};
use crate::web::presets::demo_data;
use crate::web::session::{SourceAudio, SourceFile};
use crate::web::summary::{rejected_html, summary_html};

/// Columns of the waveform drawing.
const WAVEFORM_COLUMNS: usize = 800;

/// File name endings the browser is asked to decode (everything but WAV).
const BROWSER_FORMATS: [&str; 8] = [
    ".mp3", ".ogg", ".oga", ".opus", ".flac", ".webm", ".m4a", ".aac",
];

#[wasm_bindgen]
impl App {
    /// The built-in machine types.
    pub fn builtin_types(&self) -> Vec<String> {
        synth::machine_types()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// The demo's built-in data settings (`{types, ids, train_per_id, …}`).
    pub fn demo_data(&self) -> Result<JsValue, JsValue> {
        to_js(&demo_data())
    }

    /// Generates built-in sounds (`SynthConfig` fields) and adds them; resolves to
    /// `{added, rejected}`.
    pub fn load_builtin(&self, config: JsValue) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let config: SynthConfig = from_js(config, "built-in sound settings")?;
            let _busy = BusyGuard::take(&state, "making the built-in sounds")?;
            yield_now().await;
            let report = state
                .borrow_mut()
                .session
                .add_synthetic(&config)
                .map_err(js_error)?;
            to_js(&report)
        })
    }

    /// True when a file should be decoded by the browser (`decodeAudioData`) before
    /// [`App::add_files`]: it does not start like a WAV file and its name has a compressed-audio
    /// ending.
    pub fn needs_browser_decoding(&self, name: &str, head: &[u8]) -> bool {
        let lower = name.to_ascii_lowercase();
        !head.starts_with(b"RIFF") && BROWSER_FORMATS.iter().any(|ext| lower.ends_with(ext))
    }

    /// Adds files: an array of `{path, bytes}` (WAV or anything else, decoded here) or
    /// `{path, channels: Float32Array[], rate}` (decoded by the browser) or `{path, error}`.
    /// Resolves to `{added, rejected}`; rejects when the paths form no data set (nothing changes).
    pub fn add_files(&self, files: js_sys::Array, default_type: String) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let sources = files
                .iter()
                .map(source_file)
                .collect::<Result<Vec<_>, _>>()?;
            let _busy = BusyGuard::take(&state, "reading the files")?;
            yield_now().await;
            let report = state
                .borrow_mut()
                .session
                .add_files(sources, &default_type)
                .map_err(js_error)?;
            to_js(&report)
        })
    }

    /// Adds a microphone recording; `role` is "train", "test-normal" or "test-anomaly".
    /// Returns the clip's path.
    pub fn add_recording(
        &self,
        machine_type: String,
        role: String,
        channels: js_sys::Array,
        sample_rate: u32,
    ) -> Result<String, JsValue> {
        let (split, label) = match role.as_str() {
            "train" => (Split::Train, Label::Normal),
            "test-normal" => (Split::Test, Label::Normal),
            "test-anomaly" => (Split::Test, Label::Anomaly),
            other => return Err(js_error(format!("unknown recording role '{other}'"))),
        };
        let channels: Vec<Vec<f32>> = channels
            .iter()
            .map(|c| js_sys::Float32Array::from(c).to_vec())
            .collect();
        let machine_type = if machine_type.trim().is_empty() {
            "recorded".to_string()
        } else {
            machine_type.trim().replace(['/', '\\'], "_")
        };
        self.state
            .borrow_mut()
            .session
            .add_recording(&machine_type, "id_00", split, label, &channels, sample_rate)
            .map_err(|e| js_error(format!("the recording could not be used: {e}")))
    }

    /// Forgets every clip, rejected file and result (models are kept).
    pub fn clear_data(&self) -> Result<(), JsValue> {
        let _busy = BusyGuard::take(&self.state, "removing the sounds")?;
        let mut state = self.state.borrow_mut();
        state.session.clear();
        state.results.clear();
        Ok(())
    }

    /// The data summary as HTML.
    pub fn summary_html(&self) -> String {
        summary_html(&self.state.borrow().session)
    }

    /// The rejected files as `<li>` items.
    pub fn rejected_html(&self) -> String {
        rejected_html(&self.state.borrow().session)
    }

    /// Paths of every loaded clip, sorted.
    pub fn clip_paths(&self) -> Vec<String> {
        let state = self.state.borrow();
        state
            .session
            .clips()
            .iter()
            .map(|c| c.entry.rel_path.clone())
            .collect()
    }

    /// Machine types with clips.
    pub fn machine_types(&self) -> Vec<String> {
        self.state.borrow().session.machine_types()
    }

    /// What to draw for one clip: `{waveform_svg, spectrogram: Uint8Array (RGBA), width,
    /// height, wav: Uint8Array, seconds, label}`. When the page dropped the clip's samples to
    /// save memory, pass the file's bytes again as `bytes` (else `null` → `{needs_file: true}`).
    pub fn clip_view(&self, path: &str, bytes: Option<Vec<u8>>) -> Result<JsValue, JsValue> {
        let state = self.state.borrow();
        let clip = state
            .session
            .clip(path)
            .ok_or_else(|| js_error(format!("no clip '{path}'")))?;
        let samples = match (&clip.samples, bytes) {
            (Some(samples), _) => samples.clone(),
            (None, Some(bytes)) => {
                crate::audio::decode_wav(path, &bytes, &Default::default())
                    .map_err(|e| js_error(e.to_string()))?
                    .samples
            }
            (None, None) => {
                let object = js_sys::Object::new();
                js_sys::Reflect::set(&object, &"needs_file".into(), &JsValue::TRUE)?;
                return Ok(object.into());
            }
        };
        let config = state.session.feature_config();
        let frames = clip.frames(config.n_mels);
        let rgba = spectrogram_rgba(&clip.log_mel, config.n_mels, frames, true)
            .map_err(|e| js_error(e.to_string()))?;
        let wav = crate::audio::wav_bytes(&samples, config.sample_rate).map_err(js_error)?;
        let label = match clip.entry.label {
            Some(Label::Normal) => "normal",
            Some(Label::Anomaly) => "anomalous",
            None => "unlabelled",
        };
        let object = js_sys::Object::new();
        let set = |key: &str, value: JsValue| js_sys::Reflect::set(&object, &key.into(), &value);
        set(
            "waveform_svg",
            waveform_svg(&samples, WAVEFORM_COLUMNS).into(),
        )?;
        set(
            "spectrogram",
            js_sys::Uint8Array::from(rgba.as_slice()).into(),
        )?;
        set("width", (frames as u32).into())?;
        set("height", (config.n_mels as u32).into())?;
        set("wav", js_sys::Uint8Array::from(wav.as_slice()).into())?;
        set("seconds", clip.seconds.into())?;
        set("label", label.into())?;
        set("machine_type", clip.entry.machine_type.as_str().into())?;
        Ok(object.into())
    }
}

#[wasm_bindgen]
impl App {
    /// Benchmark: milliseconds per 10-s clip of the log-Mel spectrogram (spec §1.3), over
    /// `clips` clips of deterministic noise after one warm-up clip (for `tools/bench-web`).
    pub fn benchmark_features(&self, clips: u32) -> f64 {
        let config = self.state.borrow().session.feature_config().clone();
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
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(clips.max(1))
    }
}

/// Reads one `{path, bytes | channels+rate | error}` object from the page.
fn source_file(item: JsValue) -> Result<SourceFile, JsValue> {
    let get = |key: &str| js_sys::Reflect::get(&item, &JsValue::from_str(key));
    let path = get("path")?
        .as_string()
        .ok_or_else(|| js_error("a file without a path"))?;
    let bytes = get("bytes")?;
    let channels = get("channels")?;
    let error = get("error")?;
    let audio = if let Some(reason) = error.as_string() {
        SourceAudio::Undecodable(reason)
    } else if !channels.is_undefined() && !channels.is_null() {
        let rate = get("rate")?.as_f64().unwrap_or(0.0);
        let channels = js_sys::Array::from(&channels)
            .iter()
            .map(|c| js_sys::Float32Array::from(c).to_vec())
            .collect();
        SourceAudio::Decoded {
            channels,
            sample_rate: rate.max(0.0).min(f64::from(u32::MAX)) as u32,
        }
    } else if !bytes.is_undefined() && !bytes.is_null() {
        SourceAudio::Wav(js_sys::Uint8Array::new(&bytes).to_vec())
    } else {
        SourceAudio::Undecodable("the file could not be read".into())
    };
    Ok(SourceFile { path, audio })
}
