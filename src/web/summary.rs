//! The page's data summary: clip counts per machine type, ID, split and label, and the list of
//! files that could not be used with the reason (as `sonogan info` prints them).

use std::collections::BTreeMap;

use super::session::Session;
use crate::data::{IdSummary, count_clips};
use crate::report::escape_html;

/// Counts of the session's clips per machine type and ID.
pub fn counts(session: &Session) -> BTreeMap<String, BTreeMap<String, IdSummary>> {
    count_clips(session.clips().iter().map(|c| &c.entry))
}

/// An HTML table of the counts (one row per type and ID) with a one-line total above it.
pub fn summary_html(session: &Session) -> String {
    let clips = session.clips();
    if clips.is_empty() {
        return "<p>No sounds yet.</p>".to_string();
    }
    let seconds: f64 = clips.iter().map(|c| c.seconds).sum();
    let mut html = format!(
        "<p class=\"total\">{} clips ({:.0} s of audio), {} files not used.</p>\
         <table class=\"counts\"><thead><tr><th>Machine</th><th>ID</th><th>train normal</th>\
         <th>test normal</th><th>test anomalous</th><th>test unlabelled</th></tr></thead><tbody>",
        clips.len(),
        seconds,
        session.rejected().len()
    );
    for (machine_type, ids) in counts(session) {
        for (machine_id, s) in ids {
            html.push_str(&format!(
                "<tr data-type=\"{t}\" data-id=\"{i}\"><td>{t}</td><td>{i}</td><td>{}</td>\
                 <td>{}</td><td>{}</td><td>{}</td></tr>",
                s.train.normal,
                s.test.normal,
                s.test.anomaly,
                s.test.unlabelled,
                t = escape_html(&machine_type),
                i = escape_html(&machine_id),
            ));
        }
    }
    html.push_str("</tbody></table>");
    html
}

/// One `<li>` per rejected file: its path and why it was not used.
pub fn rejected_html(session: &Session) -> String {
    session
        .rejected()
        .iter()
        .map(|r| {
            format!(
                "<li><span class=\"file\">{}</span> — {}</li>",
                escape_html(&r.rel_path),
                escape_html(&r.reason)
            )
        })
        .collect()
}
