//! The web page's Rust side. The page's JavaScript (`www/app.js`) is thin glue: it reads files,
//! the microphone and form fields and puts the strings and pixels made here into the DOM.
//!
//! - [`session`]: the loaded clips (built-in, files, folders, browser-decoded formats,
//!   recordings) with labels from the data layouts and their log-Mel spectrograms;
//! - [`summary`]: the data summary and the list of unusable files;
//! - [`presets`]: training presets and the run options of the form;
//! - [`results`]: scores, tables, ROC and histogram data, DCASE exports;
//! - [`clip_view`], [`meter`]: a clip's playback and anomaly strip, the live meter;
//! - `bindings` (wasm only): the `App` object the page calls, the only wasm-bindgen boundary.

pub mod clip_view;
pub mod meter;
pub mod presets;
pub mod results;
pub mod session;
pub mod summary;

#[cfg(target_arch = "wasm32")]
mod bindings;
