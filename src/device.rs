//! Compute devices (burn `Device`): flex on the CPU, WebGPU in the browser, Vulkan/CUDA natively.
//!
//! `cpu` is always available (burn's pure-Rust flex backend, native and wasm). `vulkan` and
//! `cuda` need the cargo features of the same names; `auto` takes the first GPU backend that
//! initialises (CUDA, then Vulkan) and falls back to flex. WebGPU in the browser is initialised
//! asynchronously by the web layer, not here.

use std::fmt;
use std::str::FromStr;

use burn::tensor::Device;

/// A device the user can ask for (`--device cpu|vulkan|cuda|auto`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DeviceChoice {
    /// burn's flex CPU backend.
    Cpu,
    /// A Vulkan GPU (cargo feature `vulkan`).
    Vulkan,
    /// A CUDA GPU (cargo feature `cuda`).
    Cuda,
    /// The first GPU that initialises, else the CPU.
    #[default]
    Auto,
}

impl DeviceChoice {
    /// All choices, in the order they are documented.
    pub const ALL: [DeviceChoice; 4] = [
        DeviceChoice::Cpu,
        DeviceChoice::Vulkan,
        DeviceChoice::Cuda,
        DeviceChoice::Auto,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            DeviceChoice::Cpu => "cpu",
            DeviceChoice::Vulkan => "vulkan",
            DeviceChoice::Cuda => "cuda",
            DeviceChoice::Auto => "auto",
        }
    }
}

impl fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DeviceChoice {
    type Err = DeviceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeviceChoice::ALL
            .into_iter()
            .find(|choice| choice.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| DeviceError::Unknown(s.to_string()))
    }
}

/// Why a device could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// A name that is none of cpu, vulkan, cuda, auto.
    #[error("unknown device '{0}' (expected cpu, vulkan, cuda or auto)")]
    Unknown(String),
    /// The backend was not compiled into this build.
    #[error(
        "the {0} backend is not compiled into this build; rebuild with `cargo build --release --features {0}`"
    )]
    NotCompiled(&'static str),
    /// The backend is compiled in but no usable device was found or it failed to start.
    #[error("no usable {backend} device: {reason}")]
    Unavailable {
        /// The backend.
        backend: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// GPU devices are initialised asynchronously by the web page, not through this function.
    #[error("{0} is not available in the browser build; the page initialises WebGPU itself")]
    NotInBrowser(&'static str),
}

/// A chosen device with a human-readable description.
#[derive(Clone, Debug)]
pub struct SelectedDevice {
    /// The burn device (plain; models derive their autodiff device from it).
    pub device: Device,
    /// What was chosen, e.g. "cpu (flex)" or "vulkan".
    pub description: String,
}

/// Provides the device for `choice`, checking that a GPU actually initialises.
pub fn select_device(choice: DeviceChoice) -> Result<SelectedDevice, DeviceError> {
    match choice {
        DeviceChoice::Cpu => Ok(cpu()),
        DeviceChoice::Vulkan => vulkan(),
        DeviceChoice::Cuda => cuda(),
        DeviceChoice::Auto => Ok(cuda().or_else(|_| vulkan()).unwrap_or_else(|_| cpu())),
    }
}

/// burn's flex CPU backend.
pub fn cpu() -> SelectedDevice {
    SelectedDevice {
        device: Device::flex(),
        description: "cpu (flex)".to_string(),
    }
}

#[cfg(all(feature = "vulkan", not(target_arch = "wasm32")))]
fn vulkan() -> Result<SelectedDevice, DeviceError> {
    probe("vulkan", || {
        Device::vulkan(burn::tensor::DeviceKind::DefaultDevice)
    })
}

#[cfg(not(all(feature = "vulkan", not(target_arch = "wasm32"))))]
fn vulkan() -> Result<SelectedDevice, DeviceError> {
    match cfg!(target_arch = "wasm32") {
        true => Err(DeviceError::NotInBrowser("vulkan")),
        false => Err(DeviceError::NotCompiled("vulkan")),
    }
}

#[cfg(all(feature = "cuda", not(target_arch = "wasm32")))]
fn cuda() -> Result<SelectedDevice, DeviceError> {
    probe("cuda", || Device::cuda(0usize))
}

#[cfg(not(all(feature = "cuda", not(target_arch = "wasm32"))))]
fn cuda() -> Result<SelectedDevice, DeviceError> {
    match cfg!(target_arch = "wasm32") {
        true => Err(DeviceError::NotInBrowser("cuda")),
        false => Err(DeviceError::NotCompiled("cuda")),
    }
}

/// Creates a GPU device and runs a tiny computation on it; backends report a missing driver or
/// adapter by panicking, so the attempt is isolated with `catch_unwind`.
#[cfg(all(any(feature = "vulkan", feature = "cuda"), not(target_arch = "wasm32")))]
fn probe(
    backend: &'static str,
    make: impl FnOnce() -> Device + std::panic::UnwindSafe,
) -> Result<SelectedDevice, DeviceError> {
    use burn::tensor::Tensor;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(|| {
        let device = make();
        let a = Tensor::<2>::ones([4, 4], &device);
        let sum = a.clone().matmul(a).sum().into_scalar::<f32>();
        (device, sum)
    });
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok((device, sum)) if (sum - 64.0).abs() < 1e-3 => Ok(SelectedDevice {
            device,
            description: backend.to_string(),
        }),
        Ok((_, sum)) => Err(DeviceError::Unavailable {
            backend,
            reason: format!("self-test computed {sum} instead of 64"),
        }),
        Err(panic) => Err(DeviceError::Unavailable {
            backend,
            reason: panic_message(panic.as_ref()),
        }),
    }
}

#[cfg(all(any(feature = "vulkan", feature = "cuda"), not(target_arch = "wasm32")))]
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "the backend failed to initialise".to_string()
    }
}
