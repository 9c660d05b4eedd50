#!/usr/bin/env python3
"""Time librosa's log-Mel (the DCASE 2020 baseline features, docs/DESIGN.md §1.3) per 10-s clip.

Usage (needs numpy and librosa; soundfile only for WAV files):

    python3 tools/bench_librosa.py                 # synthetic 10-s clips, like benches/features.rs
    python3 tools/bench_librosa.py a.wav b.wav ... # real 16-kHz mono clips
    python3 tools/bench_librosa.py --repeats 20
    python3 tools/bench_librosa.py --float64-bank  # mel matrix and product in float64, as librosa 0.6

Everything runs in one process; the first pass warms librosa up (imports, caches, the mel
matrix) and is not timed. It prints the mean and the best milliseconds per clip over the
repeats. Compare with `cargo bench --bench features` (features_10s_clip/log_mel).
"""

import argparse
import sys
import time

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wavs", nargs="*", help="16-kHz mono WAV files (default: synthetic clips)")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes over the clips")
    parser.add_argument("--float64-bank", action="store_true",
                        help="build the mel matrix in float64 (librosa 0.6 did; >= 0.10 uses float32)")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
