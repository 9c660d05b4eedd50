#!/usr/bin/env python3
"""Time librosa's log-Mel (the DCASE 2020 baseline features, docs/DESIGN.md §1.3) per 10-s clip.

Usage (needs numpy and librosa; soundfile only for WAV files):

    python3 tools/bench_librosa.py                 # synthetic 10-s clips, like benches/features.rs
    python3 tools/bench_librosa.py a.wav b.wav ... # real 16-kHz mono clips
    python3 tools/bench_librosa.py --repeats 20
    python3 tools/bench_librosa.py --float64-bank  # mel matrix and product in float64, as librosa 0.6
    python3 tools/bench_librosa.py --sonogan       # also sonogan's criterion bench, same run: the ratio

Everything runs in one process; the first pass warms librosa up (imports, caches, the mel
matrix) and is not timed. It prints the mean and the best milliseconds per clip over the
repeats. Compare with `cargo bench --bench features` (features_10s_clip/log_mel).
"""

import argparse
import os
import re
import subprocess
import sys
import time

# librosa on one core, the reference of the ratio: BLAS must not start threads (set before numpy
# is imported; an explicit setting in the environment wins).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import librosa
import numpy as np

SR = 16000
EPS = sys.float_info.epsilon


def log_mel(y, dtype=np.float32):
    M = librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=1024, hop_length=512, n_mels=128, power=2.0,
        center=True, pad_mode="reflect", dtype=dtype,
    )
    return 10.0 * np.log10(M + EPS)


def synthetic_clips(count):
    """10-s clips of harmonics plus noise (the same kind as the Rust benchmark's)."""
    rng = np.random.default_rng(7)
    t = np.arange(10 * SR) / SR
    hum = 0.3 * np.sin(2 * np.pi * 120 * t) + 0.15 * np.sin(2 * np.pi * 240 * t) + 0.05 * np.sin(2 * np.pi * 1830 * t)
    return [(hum + 0.1 * (rng.random(t.size) - 0.5)).astype(np.float32) for _ in range(count)]


def wav_clips(paths):
    import soundfile

    clips = []
    for path in paths:
        y, sr = soundfile.read(path, dtype="float32")
        if sr != SR or y.ndim != 1:
            sys.exit(f"{path}: expected 16-kHz mono, got {sr} Hz with shape {y.shape}")
        clips.append(y)
    return clips


def sonogan_bench_ms(bench):
    """Mean ms of one 10-s clip in `cargo bench --bench features` (features_10s_clip/<bench>),
    pinned to one core like librosa here (release build; the first run compiles it)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    command = ["cargo", "bench", "--bench", "features", "--", f"features_10s_clip/{bench}$"]
    if os.path.exists("/usr/bin/taskset"):
        command = ["taskset", "-c", "0"] + command
    output = subprocess.run(command, cwd=root, check=True, capture_output=True, text=True).stdout
    match = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+)", output)
    if not match:
        sys.exit(f"bench_librosa: no criterion time in:\n{output}")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0}[unit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wavs", nargs="*", help="16-kHz mono WAV files (default: synthetic clips)")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes over the clips")
    parser.add_argument("--float64-bank", action="store_true",
                        help="build the mel matrix in float64 (librosa 0.6 did; >= 0.10 uses float32)")
    parser.add_argument("--sonogan", action="store_true",
                        help="then run sonogan's criterion bench on one core and print the ratios")
    args = parser.parse_args()
    if args.sonogan and hasattr(os, "sched_setaffinity"):
        # librosa on one core too (BLAS threads included), as the bench is pinned below.
        os.sched_setaffinity(0, {0})
    dtype = np.float64 if args.float64_bank else np.float32
    clips = wav_clips(args.wavs) if args.wavs else synthetic_clips(5)
    for y in clips:  # warm-up
        log_mel(y, dtype)
    per_clip = []
    for _ in range(args.repeats):
        for y in clips:
            start = time.perf_counter()
            log_mel(y, dtype)
            per_clip.append((time.perf_counter() - start) * 1e3)
    seconds = np.mean([len(y) / SR for y in clips])
    bank = "float64" if args.float64_bank else "float32"
    print(f"librosa {librosa.__version__} ({bank} mel bank): {len(per_clip)} clips of {seconds:.2f} s, "
          f"mean {np.mean(per_clip):.3f} ms/clip, best {np.min(per_clip):.3f} ms/clip")
    if args.sonogan:
        for bench, what in (("log_mel", "log-Mel (mel-major)"), ("vectors", "log-Mel + stacking")):
            ms = sonogan_bench_ms(bench)
            print(f"sonogan {what}: {ms:.3f} ms/clip, {np.mean(per_clip) / ms:.2f}x librosa's mean")


if __name__ == "__main__":
    main()
