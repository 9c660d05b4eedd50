//! The `sonogan` command line (native only; the browser uses `sonogan::web`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    sonogan::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
