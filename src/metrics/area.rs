//! Areas under ROC points: full, partial and McClish-standardised (docs/DESIGN.md §1.8 steps 3–4).

/// Trapezoidal area under the polyline (x, y), like `numpy.trapz(y, x)`.
pub(super) fn trapezoid(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2)
        .zip(y.windows(2))
        .map(|(dx, dy)| (dx[1] - dx[0]) * (dy[1] + dy[0]) / 2.0)
        .sum()
}

/// Partial area A_p under the ROC curve for FPR in [0, `max_fpr`], with `max_fpr` < 1.
///
/// As sklearn: `stop` = number of points with FPR ≤ p (bisect right), TPR is linearly
/// interpolated at FPR = p between points `stop − 1` and `stop`, and the area is taken over the
/// first `stop` points plus (p, TPR(p)). The curve starts at FPR 0 and ends at FPR 1 > p, so both
/// neighbours exist.
pub(super) fn partial_area(fpr: &[f64], tpr: &[f64], max_fpr: f64) -> f64 {
    let stop = fpr.partition_point(|&f| f <= max_fpr);
    let (x0, x1) = (fpr[stop - 1], fpr[stop]);
    let (y0, y1) = (tpr[stop - 1], tpr[stop]);
    let tpr_at_p = (y1 - y0) / (x1 - x0) * (max_fpr - x0) + y0;

    let mut x = fpr[..stop].to_vec();
    let mut y = tpr[..stop].to_vec();
    x.push(max_fpr);
    y.push(tpr_at_p);
    trapezoid(&x, &y)
}

/// McClish standardisation ½·(1 + (A_p − p²/2)/(p − p²/2)): 0.5 for a random scorer, 1 for a
/// perfect one; not clamped.
pub(super) fn mcclish(partial: f64, max_fpr: f64) -> f64 {
    let min_area = 0.5 * max_fpr * max_fpr;
    let max_area = max_fpr;
    0.5 * (1.0 + (partial - min_area) / (max_area - min_area))
}
