//! Egbad (work in progress).

use burn::tensor::Device;

use super::config::EgbadConfig;

/// Egbad detector (work in progress).
pub struct Egbad;

impl Egbad {
    /// Not implemented yet.
    pub fn new(_config: EgbadConfig, _device: &Device, _seed: u64) -> Self {
        todo!()
    }
}
