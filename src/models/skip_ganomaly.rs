//! SkipGanomaly (work in progress).

use burn::tensor::Device;

use super::config::SkipGanomalyConfig;

/// SkipGanomaly detector (work in progress).
pub struct SkipGanomaly;

impl SkipGanomaly {
    /// Not implemented yet.
    pub fn new(_config: SkipGanomalyConfig, _device: &Device, _seed: u64) -> Self {
        todo!()
    }
}
