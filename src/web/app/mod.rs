//! The worker's state and request handling, target-agnostic: [`PageApp::handle`] answers one
//! [`Request`] with one [`Reply`] (or an error string) and posts unsolicited [`Event`]s through a
//! [`WorkerHost`]. In the browser the host is the Web Worker (`src/web/worker.rs`); natively
//! the tests drive it on burn's flex device with a trivial host and a tiny executor.
//!
//! Requests may overlap (a cancel or a results query while a run trains): state lives in one
//! `RefCell` that no handler holds across an `await`, and long jobs take a busy flag so a second
//! one is refused with a clear message.

mod backend;
mod data;
mod models;
mod results;
mod train;

use std::cell::RefCell;
use std::future::Future;

use burn::tensor::Device;

pub use backend::AdapterInfo;

use super::messages::{Call, DetectorInfo, Event, ReadyInfo, Reply, Request};
use super::meter::Meter;
use super::presets::{Preset, RunOptions, demo_data};
use super::results::Results;
use super::session::Session;
use crate::data::synth;
use crate::models::{Detector, ModelKind};
use crate::report::CurveSeries;
use crate::store::Manifest;
use crate::train::CancelToken;

/// What the worker needs from its surroundings: posting events, yielding to the event loop and
/// starting WebGPU (the browser's, or none natively).
pub trait WorkerHost {
    /// Sends an event to the main thread.
    fn post(&self, event: Event);
    /// Returns control to the event loop, so queued messages (a cancel) are handled.
    fn yield_now(&self) -> impl Future<Output = ()>;
    /// Describes the browser's WebGPU adapter without starting burn's runtime.
    fn probe_adapter(&self) -> impl Future<Output = Result<AdapterInfo, String>>;
    /// Starts burn's WebGPU runtime (once per worker).
    fn init_webgpu(&self) -> impl Future<Output = Result<Device, String>>;
}

/// The detectors the page offers: kind name and label, in table order. The one place that lists
/// them (from `crate::models::registry`).
pub fn detectors() -> Vec<DetectorInfo> {
    ModelKind::ALL.into_iter().map(DetectorInfo::from).collect()
}

/// A model the page can use: trained here, loaded from a file, or a bundled demo model.
pub(crate) struct PageModel {
    /// File-style name, e.g. "valve-AE".
    pub name: String,
    /// Where it came from ("trained here", "loaded from x.sonogan", "demo model …").
    pub origin: String,
    /// The detector, on the device it was made on.
    pub detector: Box<dyn Detector>,
    /// Its manifest (threshold, training record).
    pub manifest: Manifest,
}

/// The compute device in use and why it was chosen.
pub(crate) struct Backend {
    pub device: Device,
    pub name: &'static str,
    pub reason: String,
}

/// Everything the worker holds.
pub(crate) struct AppState {
    pub session: Session,
    pub results: Results,
    pub models: Vec<PageModel>,
    pub backend: Backend,
    /// The WebGPU device once initialised (burn allows one initialisation per instance).
    pub webgpu: Option<Result<Device, String>>,
    pub busy: Option<String>,
    pub cancel: Option<CancelToken>,
    pub losses: Vec<CurveSeries>,
    pub meter: Meter,
    pub last_run: Option<RunOptions>,
}

/// The worker's session, models, results and live meter.
pub struct PageApp {
    state: RefCell<AppState>,
}

impl Default for PageApp {
    fn default() -> Self {
        Self::new()
    }
}

impl PageApp {
    /// An empty app on the CPU backend (burn's flex).
    pub fn new() -> Self {
        PageApp {
            state: RefCell::new(AppState {
                session: Session::new(),
                results: Results::default(),
                models: Vec::new(),
                backend: Backend {
                    device: Device::flex(),
                    name: "cpu",
                    reason: "the CPU is the starting point".into(),
                },
                webgpu: None,
                busy: None,
                cancel: None,
                losses: Vec::new(),
                meter: Meter::default(),
                last_run: None,
            }),
        }
    }

    /// The [`Event::Ready`] payload.
    pub fn ready_info(&self) -> ReadyInfo {
        ReadyInfo {
            detectors: detectors(),
            backend: self.state.borrow().backend.name.to_string(),
            builtin_types: synth::machine_types()
                .into_iter()
                .map(String::from)
                .collect(),
            demo_data: demo_data(),
            demo_models: models::DEMO_MODELS.iter().map(|s| s.to_string()).collect(),
            browser_formats: data::BROWSER_FORMATS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// Handles `call` and posts its [`Event::Reply`] or [`Event::Failed`].
    pub async fn dispatch<H: WorkerHost>(&self, call: Call, host: &H) {
        let event = match self.handle(call.request, host).await {
            Ok(result) => Event::Reply {
                id: call.id,
                result,
            },
            Err(error) => Event::Failed { id: call.id, error },
        };
        host.post(event);
    }

    /// Answers one request; errors say what went wrong in a sentence for the status line.
    pub async fn handle<H: WorkerHost>(&self, request: Request, host: &H) -> Result<Reply, String> {
        match request {
            Request::SetBackend { choice } => backend::set(self, &choice, host).await,
            Request::LoadBuiltin { config } => data::load_builtin(self, &config, host).await,
            Request::AddFiles {
                files,
                default_type,
            } => data::add_files(self, files, &default_type, host).await,
            Request::AddRecording {
                machine_type,
                role,
                channels,
                sample_rate,
            } => data::add_recording(self, &machine_type, &role, channels, sample_rate),
            Request::ClearData => data::clear(self),
            Request::ClipView { path, bytes } => data::clip_view(self, &path, bytes),
            Request::Explain { path, model } => models::explain(self, &path, &model).await,
            Request::Preset { name } => Preset::named(&name).map(Reply::Preset),
            Request::Train { options } => train::train(self, options, host).await,
            Request::Cancel => Ok(self.cancel()),
            Request::Results => results::view(self),
            Request::Histogram {
                model,
                machine_type,
                threshold,
            } => results::histogram(self, model, machine_type, threshold),
            Request::ExportCsv => results::export_csv(self),
            Request::ExportJson => results::export_json(self),
            Request::ModelInfo { name } => models::info(self, &name),
            Request::ModelBytes { name } => models::model_bytes(self, &name).await,
            Request::LoadModel {
                file_name,
                bytes,
                origin,
            } => models::load(self, &file_name, &bytes.0, &origin),
            Request::MeterReset => {
                self.state.borrow_mut().meter.reset();
                Ok(Reply::Done)
            }
            Request::MeterPush { model, samples } => {
                models::meter_push(self, &model, &samples.0).await
            }
            Request::BenchmarkFeatures { clips } => Ok(data::benchmark_features(self, clips)),
            Request::Crash => panic!("crash requested by the page's test hook"),
            Request::SetFeatureBudget { bytes } => Ok(data::set_feature_budget(self, bytes)),
        }
    }

    /// The name of the job in progress, if any.
    pub fn busy(&self) -> Option<String> {
        self.state.borrow().busy.clone()
    }

    /// Cancels the training run in progress, if any.
    fn cancel(&self) -> Reply {
        if let Some(token) = &self.state.borrow().cancel {
            token.cancel();
        }
        Reply::Done
    }
}

/// Marks the app busy with a job until dropped; refuses when another job runs.
pub(crate) struct BusyGuard<'a> {
    app: &'a PageApp,
}

impl<'a> BusyGuard<'a> {
    /// Takes the busy flag for `what`.
    pub fn take(app: &'a PageApp, what: &str) -> Result<BusyGuard<'a>, String> {
        let mut s = app.state.borrow_mut();
        if let Some(current) = &s.busy {
            return Err(format!(
                "please wait: {current} is still running (or cancel it)"
            ));
        }
        s.busy = Some(what.to_string());
        Ok(BusyGuard { app })
    }
}

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut s) = self.app.state.try_borrow_mut() {
            s.busy = None;
            s.cancel = None;
        }
    }
}
