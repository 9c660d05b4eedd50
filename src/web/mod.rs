//! The web page's Rust side. All of it runs in a Web Worker (`www/worker.js`); the page's main
//! thread (`www/app.js`) only reads files, the microphone and form fields, and puts the strings
//! and pixels made here into the DOM. Everything but `worker` compiles and is tested natively.
//!
//! - [`messages`]: the typed requests and events between the main thread and the worker;
//! - [`app`]: the worker's state and request handling ([`app::PageApp`]) over a host trait;
//! - [`session`]: the loaded clips (built-in, files, folders, browser-decoded formats,
//!   recordings) with labels from the data layouts and their log-Mel spectrograms;
//! - [`analyse`]: one file decoded and turned into its log-Mel spectrogram (session and
//!   feature workers);
//! - [`budget`]: the session's memory budget and the messages when a drop exceeds it;
//! - [`summary`]: the data summary and the list of unusable files;
//! - [`presets`]: training presets and the run options of the form;
//! - [`results`]: scores, tables, ROC and histogram data, DCASE exports;
//! - [`clip_view`], [`meter`]: a clip's playback and anomaly strip, the live meter;
//! - `worker` (wasm only): the worker's wasm-bindgen entry, the only wasm-bindgen boundary.

pub mod analyse;
pub mod app;
pub mod budget;
pub mod clip_view;
pub mod messages;
pub mod meter;
pub mod presets;
pub mod results;
pub mod session;
pub mod summary;

#[cfg(target_arch = "wasm32")]
mod worker;
