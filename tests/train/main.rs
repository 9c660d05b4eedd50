//! The step-wise trainer: Keras validation split, batch order, progress, cancellation,
//! divergence, determinism, sync/async equality, validation and normal scores, scoring helpers.

mod data;
mod outcome;
mod stepping;
mod support;
