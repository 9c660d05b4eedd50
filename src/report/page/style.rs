//! The report's one style sheet, in its `<style>` element (the report is a standalone file, see
//! the module docs of [`super`]).

/// Plain, printable styles: a readable column, ruled tables with right-aligned numbers, the best
/// value of a Table 2 column highlighted, charts side by side when they fit.
pub(super) const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;background:#fff;margin:0;line-height:1.45}\
main{max-width:1200px;margin:0 auto;padding:1.5rem}\
h1{font-size:1.6rem;margin:0 0 1rem}\
h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-variant-numeric:tabular-nums}\
caption{caption-side:top;text-align:left;color:#555;font-size:.9rem;padding-bottom:.3rem}\
th,td{border:1px solid #ccc;padding:.25rem .5rem}\
thead th{background:#f2f2f2}\
td{text-align:right;white-space:nowrap}\
tbody th{text-align:left}\
td.best{background:#e3f0fa}\
.charts{display:flex;flex-wrap:wrap;gap:1rem}\
figure{margin:0;flex:1 1 420px;max-width:100%}\
figure svg{width:100%;height:auto}\
figcaption{color:#555;font-size:.9rem}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}\
dt{font-weight:600}\
dd{margin:0}\
";
