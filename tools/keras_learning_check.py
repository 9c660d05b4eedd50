#!/usr/bin/env python3
"""The DCASE autoencoder of sonogan against the Keras baseline on the same clips, seed by seed.

Synthesises one built-in machine type with `sonogan synth` (2 IDs, 5-s clips, seed 0, the sizes
of tests/learning.rs), then for every training seed trains
  - sonogan's `ae` through `sonogan eval` (the same pipeline as the learning tests), and
  - the Keras DCASE autoencoder (tools/keras_baseline_bench.py's network, Adam, MSE,
    validation_split 0.1, shuffled batches) on librosa features of the same WAV files,
and prints both mean-over-IDs AUCs (scikit-learn's roc_auc_score for Keras). The point is the
spread over seeds: a short run on a small set lands anywhere in a wide range, for both
(docs/DESIGN.md §13.7).

    tools/keras_learning_check.py                                   # pump, the learning test's AE run
    tools/keras_learning_check.py --type valve --train 8 --test 8 --epochs 40 --lr 1e-2

Optional: needs TensorFlow, librosa and scikit-learn (pip install tensorflow-cpu librosa
scikit-learn), which the project does not require. The binary is $SONOGAN_BIN, else
target/debug/sonogan under $CARGO_TARGET_DIR.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keras_baseline_bench import build_model  # noqa: E402

EPS = sys.float_info.epsilon


def sonogan_binary():
    if os.environ.get("SONOGAN_BIN"):
        return os.environ["SONOGAN_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/sonogan/target"))
    return os.path.join(target, "debug", "sonogan")


def librosa_vectors(path):
    """The DCASE 2020 features: 128-band log-Mel (n_fft 1024, hop 512), 5 frames stacked."""
    import librosa
    import soundfile

    y, sr = soundfile.read(path, dtype="float32")
    mel = librosa.feature.melspectrogram(
        y=y, sr=sr, n_fft=1024, hop_length=512, n_mels=128, power=2.0)
    log_mel = 10.0 * np.log10(mel + EPS)
    frames = log_mel.shape[1] - 4
    return np.concatenate([log_mel[:, t:t + frames] for t in range(5)], axis=0).T


def clip_id(path):
    """`id_00` from `normal_id_00_00000003.wav`."""
    parts = os.path.basename(path).split("_")
    return f"{parts[1]}_{parts[2]}"


def keras_auc(data, machine_type, args, seed):
    import keras
    from sklearn.metrics import roc_auc_score

    train = np.concatenate(
        [librosa_vectors(f) for f in sorted(glob.glob(f"{data}/{machine_type}/train/*.wav"))])
    test = sorted(glob.glob(f"{data}/{machine_type}/test/*.wav"))
    keras.utils.set_random_seed(seed)
    model = build_model(keras)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=args.lr, epsilon=1e-7), loss="mse")
    model.fit(train, train, epochs=args.epochs, batch_size=args.batch, shuffle=True,
              validation_split=0.1, verbose=0)
    aucs = []
    for ident in sorted({clip_id(f) for f in test}):
        clips = [f for f in test if clip_id(f) == ident]
        labels = [int(os.path.basename(f).startswith("anomaly")) for f in clips]
        scores = []
        for f in clips:
            x = librosa_vectors(f)
            scores.append(float(np.mean(np.square(x - model.predict(x, verbose=0)))))
        aucs.append(roc_auc_score(labels, scores))
    return float(np.mean(aucs))


def sonogan_auc(data, machine_type, args, seed):
    out = subprocess.run(
        [sonogan_binary(), "eval", "--data", data, "--types", machine_type, "--models", "ae",
         "--epochs", str(args.epochs), "--batch", str(args.batch), "--lr", str(args.lr),
         "--seed", str(seed), "--json"],
        check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return float(result["models"]["ae"][machine_type]["auc"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--type", default="pump", help="built-in machine type")
    parser.add_argument("--train", type=int, default=32, help="training clips per ID")
    parser.add_argument("--test", type=int, default=16, help="normal and anomalous test clips per ID")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seeds", default="0,1,2", help="training seeds, comma-separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sonogan-keras-check-") as data:
        subprocess.run(
            [sonogan_binary(), "synth", "--out", data, "--types", args.type,
             "--ids", "id_00,id_02", "--train", str(args.train), "--test-normal", str(args.test),
             "--test-anomaly", str(args.test), "--secs", "5", "--seed", "0"],
            check=True, capture_output=True)
        print(f"{args.type}: {args.train} training and {args.test} + {args.test} test clips per ID,"
              f" {args.epochs} epochs, batch {args.batch}, lr {args.lr}")
        for seed in [int(s) for s in args.seeds.split(",")]:
            ours = sonogan_auc(data, args.type, args, seed)
            theirs = keras_auc(data, args.type, args, seed)
            print(f"seed {seed}: sonogan AE {ours:.3f}   Keras AE {theirs:.3f}", flush=True)


if __name__ == "__main__":
    main()
