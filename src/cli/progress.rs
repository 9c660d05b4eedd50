//! Progress bars for multi-file and long-running work (on stderr; hidden when stderr is no terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar counting `total` items of work described by `what` (e.g. "clips").
pub fn counter(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let template = format!(
        "{{spinner}} [{{elapsed_precise}}] {{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, ETA {{eta}}) {{msg}}"
    );
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
