"""Proxy difficulty check of the synthetic data set (calibration aid, not a test).

Reads a data set written by `cargo run --example synth_dcase -- DIR`, computes the DCASE log-Mel
640-d vectors with librosa (docs/DESIGN.md §1.3-1.4) and fits each type's training vectors. Clip score:
mode `z` (default) = mean squared per-dimension z-score; mode `pca` = mean squared residual of a
rank-8 PCA reconstruction of the raw dB vectors (a linear stand-in for the DCASE autoencoder).
Prints AUC per type, per ID and per fault kind (sklearn; fault kinds from DIR/faults.csv).
The Rust twin without Python is `cargo test --test synth_proxy -- --ignored --nocapture`.
Usage: python3 tools/synth_proxy_auc.py DIR [z|pca]
"""
import csv, glob, os, sys
import numpy as np, librosa, soundfile as sf
from sklearn.metrics import roc_auc_score

def vectors(path):
    y, sr = sf.read(path, dtype="float32")
    m = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=1024, hop_length=512, n_mels=128, power=2.0)
    l = 10.0 * np.log10(m + sys.float_info.epsilon)
    n = l.shape[1] - 4
    return np.concatenate([l[:, t:t + n] for t in range(5)], axis=0).T

root = sys.argv[1]
MODE = sys.argv[2] if len(sys.argv) > 2 else "z"
PCA_DIMS = 8
faults = {}
if os.path.exists(os.path.join(root, "faults.csv")):
    faults = {r["rel_path"]: r["fault"] for r in csv.DictReader(open(os.path.join(root, "faults.csv")))}
for mtype in sorted(os.listdir(root)):
    if not os.path.isdir(os.path.join(root, mtype)):
        continue
    train = np.concatenate([vectors(p) for p in sorted(glob.glob(f"{root}/{mtype}/train/*.wav"))])
    mu, sd = train.mean(0), train.std(0) + 1e-6
    basis = np.linalg.svd(train - mu, full_matrices=False)[2][:PCA_DIMS]
    rows = []
    for p in sorted(glob.glob(f"{root}/{mtype}/test/*.wav")):
        name = os.path.basename(p)
        v = vectors(p)
        if MODE == "pca":
            centred = v - mu
            score = float(((centred - centred @ basis.T @ basis) ** 2).mean())
        else:
            score = float((((v - mu) / sd) ** 2).mean())
        rows.append((name[name.index("id_"):name.index("id_") + 5], name.startswith("anomaly"), score,
                     faults.get(f"{mtype}/test/{name}", "")))
    ids = sorted({r[0] for r in rows})
    per_id = [roc_auc_score([r[1] for r in rows if r[0] == i], [r[2] for r in rows if r[0] == i]) for i in ids]
    kinds = sorted({r[3] for r in rows if r[1]})
    per_kind = []
    for k in kinds:
        sel = [r for r in rows if not r[1] or r[3] == k]
        per_kind.append(f"{k}={roc_auc_score([r[1] for r in sel], [r[2] for r in sel]):.2f}")
    print(f"{mtype:7s} mean AUC {np.mean(per_id):.3f}  ids " + " ".join(f"{i}={a:.2f}" for i, a in zip(ids, per_id))
          + "  faults " + " ".join(per_kind))
