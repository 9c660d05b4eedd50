//! Backend choice: WebGPU when the browser offers it, burn's flex on the CPU otherwise; `auto`
//! times a few training steps of the autoencoder on both and keeps the faster (measured, not
//! assumed). A software WebGPU adapter (SwiftShader, llvmpipe: the browser's fallback adapter) is
//! not measured: it is ~30× slower than flex and compiling its shaders takes tens of seconds, so
//! `auto` takes the CPU and says why; `webgpu` still forces it. The host supplies the adapter
//! probe and WebGPU start (browser only); the decisions here are target-agnostic.

use burn::tensor::Device;
use web_time::Instant;

use super::{Backend, BusyGuard, PageApp, WorkerHost};
use crate::features::Vectors;
use crate::models::{ModelConfig, ModelKind, new_detector};
use crate::train::{TrainConfig, Trainer};
use crate::web::messages::Reply;

/// Vectors per warm-up batch and timed steps of the `auto` measurement.
const PROBE_BATCH: usize = 128;
const PROBE_STEPS: usize = 3;

/// What the browser's default WebGPU adapter is.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterInfo {
    /// The fallback (software) adapter, e.g. SwiftShader.
    pub software: bool,
    /// Vendor and architecture as the browser reports them.
    pub description: String,
}

impl AdapterInfo {
    /// An adapter described by `description`; software when the browser says it is the fallback
    /// adapter or the name is a known software renderer.
    pub fn new(description: String, fallback: bool) -> Self {
        let lower = description.to_ascii_lowercase();
        let software = fallback
            || ["swiftshader", "llvmpipe", "lavapipe", "software"]
                .iter()
                .any(|name| lower.contains(name));
        let description = if description.is_empty() {
            "unnamed adapter".to_string()
        } else {
            description
        };
        AdapterInfo {
            software,
            description,
        }
    }
}

/// Switches to `choice` ("auto", "webgpu" or "cpu") and says which backend is in use and why.
/// Models already loaded stay on the device they were made on.
pub(super) async fn set<H: WorkerHost>(
    app: &PageApp,
    choice: &str,
    host: &H,
) -> Result<Reply, String> {
    let _busy = BusyGuard::take(app, "choosing the backend")?;
    let backend = choose(app, choice, host).await?;
    let text = format!("{}: {}", backend.name, backend.reason);
    let name = backend.name.to_string();
    app.state.borrow_mut().backend = backend;
    Ok(Reply::Backend { name, text })
}

async fn choose<H: WorkerHost>(app: &PageApp, choice: &str, host: &H) -> Result<Backend, String> {
    match choice {
        "cpu" => Ok(cpu("chosen by you")),
        "webgpu" => webgpu(app, host).await.map(|device| Backend {
            device,
            name: "webgpu",
            reason: "chosen by you".into(),
        }),
        "auto" => Ok(auto(app, host).await),
        other => Err(format!("unknown backend '{other}' (auto, webgpu or cpu)")),
    }
}

fn cpu(reason: &str) -> Backend {
    Backend {
        device: Device::flex(),
        name: "cpu",
        reason: reason.to_string(),
    }
}

/// Measures both backends and keeps the faster; the CPU when WebGPU is missing or fails.
async fn auto<H: WorkerHost>(app: &PageApp, host: &H) -> Backend {
    match host.probe_adapter().await {
        Err(why) => return cpu(&format!("WebGPU is not available ({why})")),
        Ok(adapter) if adapter.software => {
            return cpu(&format!(
                "the WebGPU adapter is a software renderer ({}), slower than the CPU path",
                adapter.description
            ));
        }
        Ok(_) => {}
    }
    let gpu = match webgpu(app, host).await {
        Ok(device) => device,
        Err(why) => return cpu(&format!("WebGPU is not available ({why})")),
    };
    let cpu_ms = match step_ms(&Device::flex(), host).await {
        Ok(ms) => ms,
        Err(why) => {
            return Backend {
                device: gpu,
                name: "webgpu",
                reason: format!("the CPU backend failed its test ({why})"),
            };
        }
    };
    match step_ms(&gpu, host).await {
        Ok(gpu_ms) => faster(gpu, gpu_ms, cpu_ms),
        Err(why) => cpu(&format!("WebGPU failed its test ({why})")),
    }
}

/// The faster of WebGPU (`gpu_ms` per step) and the CPU (`cpu_ms`), with the measured reason.
fn faster(gpu: Device, gpu_ms: f64, cpu_ms: f64) -> Backend {
    if gpu_ms < cpu_ms {
        Backend {
            device: gpu,
            name: "webgpu",
            reason: format!("faster: {gpu_ms:.0} ms per step vs {cpu_ms:.0} ms on the CPU"),
        }
    } else {
        cpu(&format!(
            "faster: {cpu_ms:.0} ms per step vs {gpu_ms:.0} ms on WebGPU"
        ))
    }
}

/// The worker's WebGPU device, started on first use (and the first outcome remembered).
async fn webgpu<H: WorkerHost>(app: &PageApp, host: &H) -> Result<Device, String> {
    if let Some(known) = app.state.borrow().webgpu.clone() {
        return known;
    }
    let result = host.init_webgpu().await;
    app.state.borrow_mut().webgpu = Some(result.clone());
    result
}

/// Milliseconds per autoencoder training step (batch [`PROBE_BATCH`]) on `device`, after one
/// warm-up step (shader compilation), with the loss read back so the work really finished.
async fn step_ms<H: WorkerHost>(device: &Device, host: &H) -> Result<f64, String> {
    let config = ModelConfig::default_for(ModelKind::Ae);
    let dim = config.input_dim();
    let rows = PROBE_BATCH * (PROBE_STEPS + 2);
    // Deterministic log-Mel-like values (dB around −40); the numbers do not matter, the work does.
    let data = (0..rows * dim)
        .map(|i| -40.0 + 10.0 * ((i as f32) * 0.618).sin())
        .collect();
    let train = TrainConfig {
        epochs: 1,
        batch_size: PROBE_BATCH,
        validation_split: 0.0,
        loss_read_every: 1,
        ..TrainConfig::default()
    };
    let detector = new_detector(&config, device, 0).map_err(|e| e.to_string())?;
    let mut trainer =
        Trainer::new(detector, vec![Vectors { dim, data }], train).map_err(|e| e.to_string())?;
    trainer.step().await.map_err(|e| e.to_string())?;
    host.yield_now().await;
    let started = Instant::now();
    for _ in 0..PROBE_STEPS {
        trainer.step().await.map_err(|e| e.to_string())?;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0 / PROBE_STEPS as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_adapters_are_recognised() {
        assert!(AdapterInfo::new("google swiftshader".into(), false).software);
        assert!(AdapterInfo::new("nvidia ampere".into(), true).software);
        assert!(!AdapterInfo::new("nvidia ampere".into(), false).software);
        assert_eq!(
            AdapterInfo::new(String::new(), false).description,
            "unnamed adapter"
        );
    }

    #[test]
    fn the_faster_backend_wins_and_says_why() {
        let b = faster(Device::flex(), 10.0, 20.0);
        assert_eq!(b.name, "webgpu");
        assert!(b.reason.contains("10 ms"), "{}", b.reason);
        let b = faster(Device::flex(), 30.0, 20.0);
        assert_eq!(b.name, "cpu");
    }
}
