//! Tests of `sonogan::report`: the SVG plots, pixel buffers and HTML tables are checked against
//! hand-computed expectations — plot positions are read back from the SVG's own frame geometry and
//! compared with the data, bins and envelopes are computed by hand, colours come from the public
//! colour stops — with simple string parsing (no HTML parser).

#[path = "report/bars.rs"]
mod bars;
#[path = "report/page.rs"]
mod page;
#[path = "report/pixels.rs"]
mod pixels;
#[path = "report/plots.rs"]
mod plots;
#[path = "report/tables.rs"]
mod tables;

/// Every start tag that begins with `prefix` (e.g. `<path class="roc-curve"`), up to its `>`.
pub fn tags<'a>(markup: &'a str, prefix: &str) -> Vec<&'a str> {
    markup
        .match_indices(prefix)
        .map(|(start, _)| {
            let end = markup[start..].find('>').expect("tag closes") + start;
            &markup[start..=end]
        })
        .collect()
}

/// The value of attribute `name` in a start tag.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// A numeric attribute.
pub fn num_attr(tag: &str, name: &str) -> f64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("{name} missing in {tag}"))
        .parse()
        .expect("number")
}

/// The text between the end of `open` and the next `</`, for every occurrence of `open`.
pub fn texts<'a>(markup: &'a str, open: &str) -> Vec<&'a str> {
    markup
        .match_indices(open)
        .map(|(start, _)| {
            let from = start + open.len();
            let end = markup[from..].find("</").expect("element closes") + from;
            &markup[from..end]
        })
        .collect()
}

/// Rules every SVG must follow: scalable, accessible, CSP-safe.
pub fn assert_svg_basics(svg: &str) {
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.ends_with("</svg>"));
    let root = tags(svg, "<svg ")[0];
    assert!(attr(root, "viewBox").is_some(), "{root}");
    assert_eq!(attr(root, "role").as_deref(), Some("img"));
    assert!(svg.contains("<title>"));
    for forbidden in ["style=", "<style", "<script", "href", "url("] {
        assert!(!svg.contains(forbidden), "{forbidden} in {svg}");
    }
}

/// Plot-area geometry (x, y, width, height) from `rect class="plot-frame"`.
pub fn plot_frame(svg: &str) -> (f64, f64, f64, f64) {
    let rect = tags(svg, r#"<rect class="plot-frame""#)[0];
    (
        num_attr(rect, "x"),
        num_attr(rect, "y"),
        num_attr(rect, "width"),
        num_attr(rect, "height"),
    )
}

/// The (x, y) points of path data made of `M`/`L` commands with "x,y" pairs.
pub fn path_points(d: &str) -> Vec<(f64, f64)> {
    d.split(['M', 'L'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (x, y) = pair.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect()
}
