#!/usr/bin/env python3
"""Reference values for sonogan's gamma threshold (src/store/gamma.rs), from scipy.

Writes tests/fixtures/store/gamma_reference.json:
- `gammainc`: the regularised lower incomplete gamma P(a, x) (scipy.special.gammainc);
- `ppf`: gamma quantiles (scipy.stats.gamma.ppf(q, a, scale=scale));
- `fits`: score lists with the method-of-moments fit (shape = mean^2 / var, scale = var / mean,
  population variance, ddof = 0) and its 90th percentile (the default decision threshold).

Run from the repository root: python3 tools/gamma_reference.py
"""
import json
import pathlib

import numpy as np
import scipy
from scipy import special, stats

OUT = pathlib.Path("tests/fixtures/store/gamma_reference.json")


def gammainc_cases():
    shapes = [0.1, 0.5, 1.0, 2.5, 7.0, 30.0, 250.0, 4000.0]
    cases = []
    for a in shapes:
        for rel in [0.01, 0.3, 0.9, 1.0, 1.1, 2.0, 5.0]:
            x = a * rel
            cases.append({"a": a, "x": x, "p": float(special.gammainc(a, x))})
    cases.append({"a": 3.0, "x": 0.0, "p": 0.0})
    return cases


def ppf_cases():
    cases = []
    for a in [0.2, 1.0, 3.7, 12.0, 150.0, 2500.0]:
        for scale in [0.01, 1.0, 42.0]:
            for q in [0.01, 0.5, 0.9, 0.99]:
                cases.append({"q": q, "a": a, "scale": scale,
                              "x": float(stats.gamma.ppf(q, a, scale=scale))})
    return cases


def fit_cases():
    rng = np.random.default_rng(20200801)
    cases = []
    for shape, scale, n in [(40.0, 0.5, 12), (3.0, 7.0, 30), (900.0, 0.02, 5)]:
        scores = rng.gamma(shape, scale, size=n)
        mean = float(np.mean(scores))
        var = float(np.var(scores))
        k = mean * mean / var
        theta = var / mean
        cases.append({
            "scores": [float(s) for s in scores],
            "shape": k,
            "scale": theta,
            "p90": float(stats.gamma.ppf(0.9, k, scale=theta)),
        })
    return cases


def main():
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "generator": f"tools/gamma_reference.py, scipy {scipy.__version__}",
        "gammainc": gammainc_cases(),
        "ppf": ppf_cases(),
        "fits": fit_cases(),
    }
    OUT.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
