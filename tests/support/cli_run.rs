//! Running the `sonogan` binary from the integration tests.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `sonogan ARGS…` and waits for it.
pub fn sonogan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sonogan"))
        .args(args)
        .output()
        .expect("run sonogan")
}

/// Bytes as text, invalid UTF-8 replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Panics with the command's stderr unless it succeeded.
pub fn assert_ok(output: &Output) {
    assert!(output.status.success(), "failed: {}", text(&output.stderr));
}

/// The path as a `&str` argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}
