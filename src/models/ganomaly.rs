//! Ganomaly (work in progress).

use burn::tensor::Device;

use super::config::GanomalyConfig;

/// Ganomaly detector (work in progress).
pub struct Ganomaly;

impl Ganomaly {
    /// Not implemented yet.
    pub fn new(_config: GanomalyConfig, _device: &Device, _seed: u64) -> Self {
        todo!()
    }
}
