//! Compute devices (burn `Device`): flex on the CPU, WebGPU in the browser, Vulkan/CUDA natively.
