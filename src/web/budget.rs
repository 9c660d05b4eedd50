//! The page's memory budget (docs/DESIGN.md §12.4): how much audio and how many log-Mel features
//! the session holds, and the messages when a drop goes beyond it. Samples over their budget are
//! only dropped (the page re-reads such clips from their files); features are what every clip
//! needs for training, so files whose features would go beyond their budget are refused, with
//! everything already loaded kept.

use super::session::{AddReport, SAMPLE_BUDGET, Session};

/// Bytes of log-Mel features the session holds by default: 1 GiB, about 6,700 ten-second clips
/// (18.6 hours of audio), a quarter of what a wasm32 page can address (docs/DESIGN.md §12.4).
pub const FEATURE_BUDGET_BYTES: usize = 1 << 30;

/// Bytes of one stored log-Mel value (`f32`).
pub const FEATURE_VALUE_BYTES: usize = std::mem::size_of::<f32>();

/// What the session may hold; a parameter of [`Session::with_budget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    /// 16 kHz samples kept for playback and drawing ([`SAMPLE_BUDGET`] by default); clips beyond
    /// it keep only their features.
    pub kept_samples: usize,
    /// Bytes of log-Mel features of all clips together ([`FEATURE_BUDGET_BYTES`] by default);
    /// files beyond it are refused.
    pub feature_bytes: usize,
}

impl Default for MemoryBudget {
    fn default() -> Self {
        Self {
            kept_samples: SAMPLE_BUDGET,
            feature_bytes: FEATURE_BUDGET_BYTES,
        }
    }
}

/// `bytes` for people: "1 GiB", "256 MiB", "1.5 MiB", "640 KiB", "100 bytes".
///
/// ```
/// use sonogan::web::budget::human_bytes;
/// assert_eq!(human_bytes(1 << 30), "1 GiB");
/// assert_eq!(human_bytes(3 << 19), "1.5 MiB");
/// assert_eq!(human_bytes(100), "100 bytes");
/// ```
pub fn human_bytes(bytes: usize) -> String {
    const UNITS: [(&str, usize); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let text = format!("{value:.1}");
            return format!("{} {unit}", text.trim_end_matches(".0"));
        }
    }
    format!("{bytes} bytes")
}

/// The feature budget in words: "1 GiB of log-Mel features, about 6700 ten-second clips" (no
/// clip count for a budget under one such clip).
pub fn describe(session: &Session) -> String {
    let config = session.feature_config();
    let ten_seconds = config.frame_count(10 * config.sample_rate as usize) * config.n_mels;
    let bytes = session.budget().feature_bytes;
    match bytes / (ten_seconds * FEATURE_VALUE_BYTES).max(1) {
        0 => format!("{} of log-Mel features", human_bytes(bytes)),
        clips => format!(
            "{} of log-Mel features, about {clips} ten-second clips",
            human_bytes(bytes)
        ),
    }
}

/// The reason listed for each file refused because its features would exceed the budget.
pub fn refusal(session: &Session) -> String {
    format!(
        "not loaded: the page's memory budget ({}) is full; remove sounds to add others",
        describe(session)
    )
}

/// The message for a request that refused files beyond the budget: the budget, how many files
/// it kept and how many it refused; `None` when it refused none for the budget.
pub fn notice(session: &Session, report: &AddReport) -> Option<String> {
    if report.over_budget == 0 {
        return None;
    }
    let other = report.rejected - report.over_budget;
    let other = match other {
        0 => String::new(),
        n => format!(" ({n} other file(s) not usable)"),
    };
    Some(format!(
        "memory budget reached: the page holds at most {}; kept {} file(s), refused {} beyond \
         the budget{other}; nothing loaded before was lost",
        describe(session),
        report.added,
        report.over_budget,
    ))
}
