#!/usr/bin/env python3
"""Generate the scikit-learn reference values of the density detectors (docs/DESIGN.md §11.1).

Writes tests/fixtures/models/ledoit_wolf.json: a few data sets (correlated Gaussian data of
log-Mel-like scale, some with fewer vectors than dimensions, one with a constant dimension), each
with scikit-learn's LedoitWolf(assume_centered=False) fit -- location_, covariance_, shrinkage_ --
and the squared Mahalanobis distances (LedoitWolf.mahalanobis) of held-out vectors. Values are
rounded to float32 first so the Rust side sees exactly the same inputs.

Usage: python3 tools/density_fixtures.py  (from the repository root; deterministic seed)
"""

import json
import pathlib

import numpy as np
import sklearn
from sklearn.covariance import LedoitWolf

SEED = 640
OUT = pathlib.Path("tests/fixtures/models/ledoit_wolf.json")
# (vectors, dimensions, constant dimension?)
CASES = [(200, 12, False), (40, 64, False), (25, 30, True), (300, 48, False)]


def data(rng, n, p, constant):
    """Correlated vectors around -40 dB with per-dimension scales of 2-15 dB."""
    mixing = rng.normal(size=(p, p)) * rng.uniform(0.1, 1.0, size=p)
    x = -40.0 + rng.normal(size=(n, p)) @ mixing * rng.uniform(2.0, 15.0)
    if constant:
        x[:, 3] = -100.0
    return x.astype(np.float32).astype(np.float64)


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for n, p, constant in CASES:
        train = data(rng, n, p, constant)
        test = data(rng, 10, p, constant)
        fit = LedoitWolf(assume_centered=False).fit(train)
        cases.append({
            "dim": p,
            "train": train.ravel().tolist(),
            "test": test.ravel().tolist(),
            "location": fit.location_.tolist(),
            "covariance": fit.covariance_.ravel().tolist(),
            "shrinkage": float(fit.shrinkage_),
            "mahalanobis": fit.mahalanobis(test).tolist(),
        })
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"sklearn": sklearn.__version__, "seed": SEED, "cases": cases}))
    print(f"wrote {OUT} ({len(cases)} cases, scikit-learn {sklearn.__version__})")


if __name__ == "__main__":
    main()
