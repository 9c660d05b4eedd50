#!/usr/bin/env python3
"""Generate the scikit-learn reference values for tests/metrics.rs (spec §1.8).

Writes tests/fixtures/metrics/sklearn_metrics.json with
  - "auc_cases": random label/score sets (many ties, tiny and larger sizes, various max_fpr) with
    sklearn's roc_auc_score(y, s) and roc_auc_score(y, s, max_fpr=p); "pauc_raw" = A_p / p is
    recovered from sklearn's McClish value by inverting the standardisation;
  - "roc_cases": roc_curve(y, s, drop_intermediate=False) point by point (the first threshold,
    +inf, is left out because JSON cannot hold it);
  - "confusion_cases": sklearn confusion_matrix(y, s >= t) at a few thresholds.

Usage: python3 tools/sklearn_fixtures.py  (from the repository root; deterministic seed)
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve

SEED = 20200
MAX_FPRS = [0.01, 0.05, 0.1, 0.1, 0.1, 0.15, 0.25, 0.3, 0.5, 0.75, 0.9, 0.99, 1.0]
SIZES = [2, 2, 3, 3, 4, 5, 6, 8, 10, 13, 20, 31, 50, 64, 100, 150]
OUT = pathlib.Path("tests/fixtures/metrics/sklearn_metrics.json")


def random_labels(rng, n):
    """Labels with both classes present, anomaly share between ~5 % and ~95 %."""
    share = rng.uniform(0.05, 0.95)
    y = (rng.random(n) < share).astype(int)
    y[rng.choice(n, 2, replace=False)] = [0, 1]
    return y


def random_scores(rng, y, style):
    """Scores whose anomalies are somewhat higher; `style` decides how many ties there are."""
    shift = rng.uniform(-0.5, 2.0)
    raw = rng.normal(size=len(y)) + shift * y
    if style == "integer":  # heavy ties
        return np.round(raw * rng.choice([1.0, 2.0, 3.0]))
    if style == "coarse":  # moderate ties
        return np.round(raw, 1)
    if style == "constant":  # every score tied
        return np.full(len(y), 0.5)
    return np.round(raw * 10.0, 6)  # almost no ties


def auc_case(rng, n, style, max_fpr):
    y = random_labels(rng, n)
    s = random_scores(rng, y, style)
    auc = roc_auc_score(y, s)
    pauc = roc_auc_score(y, s, max_fpr=max_fpr)
    min_area = 0.5 * max_fpr**2
    partial_area = (2.0 * pauc - 1.0) * (max_fpr - min_area) + min_area
    return {
        "style": style,
        "max_fpr": max_fpr,
        "labels": [int(v) for v in y],
        "scores": [float(v) for v in s],
        "auc": float(auc),
        "pauc": float(pauc),
        "pauc_raw": float(partial_area / max_fpr),
    }


def roc_case(rng, n, style):
    y = random_labels(rng, n)
    s = random_scores(rng, y, style)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    assert np.isinf(thr[0])
    return {
        "labels": [int(v) for v in y],
        "scores": [float(v) for v in s],
        "fpr": [float(v) for v in fpr],
        "tpr": [float(v) for v in tpr],
        "thresholds_after_inf": [float(v) for v in thr[1:]],
    }


def confusion_case(rng, n):
    y = random_labels(rng, n)
    s = random_scores(rng, y, "integer")
    t = float(rng.choice(s)) if rng.random() < 0.7 else float(np.round(rng.normal(), 2))
    tn, fp, fn, tp = confusion_matrix(y, (s >= t).astype(int), labels=[0, 1]).ravel()
    return {
        "labels": [int(v) for v in y],
        "scores": [float(v) for v in s],
        "threshold": t,
        "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
    }


def main():
    rng = np.random.default_rng(SEED)
    styles = ["integer", "integer", "coarse", "continuous"]
    auc_cases = []
    for i in range(240):
        n = int(rng.choice(SIZES))
        style = styles[i % len(styles)] if i % 40 else "constant"
        auc_cases.append(auc_case(rng, n, style, float(rng.choice(MAX_FPRS))))
    roc_cases = [roc_case(rng, int(rng.choice(SIZES[:12])), styles[i % 4]) for i in range(16)]
    confusion_cases = [confusion_case(rng, int(rng.choice(SIZES[:10]))) for i in range(12)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": "tools/sklearn_fixtures.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "seed": SEED,
        "auc_cases": auc_cases,
        "roc_cases": roc_cases,
        "confusion_cases": confusion_cases,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}: {len(auc_cases)} AUC, {len(roc_cases)} ROC, {len(confusion_cases)} confusion cases")


if __name__ == "__main__":
    main()
