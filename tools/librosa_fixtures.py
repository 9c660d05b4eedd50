#!/usr/bin/env python3
"""Write the librosa reference fixtures for tests/features.rs (spec §1.3-1.4).

Usage (from the repository root; needs numpy and librosa, tested with librosa 0.10.2.post1):

    python3 tools/librosa_fixtures.py [--out tests/fixtures/features]

For every deterministic test signal it stores
  <name>_input.npy   the float32 samples (16 kHz mono),
  <name>_logmel.npy  librosa's log-Mel, float32, shape (128, n_frames), mel-major,
and once
  mel_bank_nonzero.npy  the non-zero entries of librosa.filters.mel(sr=16000, n_fft=1024,
                        n_mels=128) as rows (band, bin, weight), float32 (small and exact in bin),
  mel_bank_row_sums.npy the row sums of the same matrix in float32,
  chirp_custom_logmel.npy  the chirp's log-Mel under CUSTOM (n_fft 512, hop 256, 40 mels,
                        50-7000 Hz, power 1, so 20/power*log10).

The log-Mel follows the DCASE 2020 baseline on librosa 0.6: melspectrogram with n_fft=1024,
hop 512, 128 mels, power 2, center=True and pad_mode="reflect" (the 0.6 default), then
10*log10(M + sys.float_info.epsilon). librosa >= 0.10 builds the mel matrix in float32 by default;
0.6 built it in float64 and multiplied in float64, so dtype=np.float64 is passed to reproduce 0.6.
The script prints how far the float32 default would differ.
"""

import argparse
import os
import sys

import librosa
import numpy as np

SR = 16000
N_FFT = 1024
HOP = 512
N_MELS = 128
EPS = sys.float_info.epsilon  # 2.220446049250313e-16


# A non-default configuration that exercises every FeatureConfig field.
CUSTOM = dict(n_fft=512, hop_length=256, n_mels=40, fmin=50.0, fmax=7000.0, power=1.0)


def log_mel(y, dtype=np.float64, n_fft=N_FFT, hop_length=HOP, n_mels=N_MELS, fmin=0.0,
            fmax=None, power=2.0):
    M = librosa.feature.melspectrogram(
        y=y, sr=SR, n_fft=n_fft, hop_length=hop_length, n_mels=n_mels, fmin=fmin, fmax=fmax,
        power=power, center=True, pad_mode="reflect", dtype=dtype,
    )
    return 20.0 / power * np.log10(M + EPS)


def signals():
    """Deterministic test signals, all float32 in [-1, 1)."""
    rng = np.random.default_rng(20200601)
    t2 = np.arange(2 * SR) / SR
    # Linear chirp 100 Hz -> 7 kHz with two harmonics and a little noise.
    phase = 2 * np.pi * (100 * t2 + 0.5 * (7000 - 100) / 2.0 * t2**2)
    chirp = 0.5 * np.sin(phase) + 0.2 * np.sin(2 * phase) + 0.1 * np.sin(3 * phase)
    chirp += 0.01 * rng.standard_normal(t2.size)
    t1 = np.arange(SR) / SR
    tone = 0.8 * np.sin(2 * np.pi * 440.0 * t1)
    noise = 0.3 * rng.standard_normal(SR)
    quiet = 1e-4 * (np.sin(2 * np.pi * 1234.5 * t1) + 0.5 * rng.standard_normal(SR))
    n_odd = 2 * SR + 123
    t_odd = np.arange(n_odd) / SR
    odd = 0.4 * np.sin(2 * np.pi * 3000.0 * t_odd) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t_odd))
    odd += 0.05 * rng.standard_normal(n_odd)
    multiple = 0.2 * rng.standard_normal(40 * HOP) + 0.3 * np.sin(2 * np.pi * 250.0 * np.arange(40 * HOP) / SR)
    # The fewest samples that give one 5-frame vector: (5 - 1) * 512 = 2048.
    minimum = 0.5 * np.sin(2 * np.pi * 1000.0 * np.arange(4 * HOP) / SR) + 0.05 * rng.standard_normal(4 * HOP)
    # Shorter than the 512-sample pad: numpy reflects repeatedly.
    short = 0.6 * np.sin(2 * np.pi * 700.0 * np.arange(300) / SR) + 0.1 * rng.standard_normal(300)
    return {
        "chirp": chirp,
        "tone": tone,
        "noise": noise,
        "quiet": quiet,
        "odd_length": odd,
        "multiple_of_hop": multiple,
        "min_one_vector": minimum,
        "short": short,
    }


def mel_bank_fixtures(out):
    bank = librosa.filters.mel(sr=SR, n_fft=N_FFT, n_mels=N_MELS, dtype=np.float64)
    bands, bins = np.nonzero(bank)
    triples = np.stack([bands, bins, bank[bands, bins]], axis=1).astype(np.float32)
    np.save(os.path.join(out, "mel_bank_nonzero.npy"), triples)
    np.save(os.path.join(out, "mel_bank_row_sums.npy"), bank.sum(axis=1).astype(np.float32))
    print(f"mel bank: {triples.shape[0]} non-zero weights")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join("tests", "fixtures", "features"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    print(f"librosa {librosa.__version__}, numpy {np.__version__}")
    for name, y in signals().items():
        y = np.asarray(y, dtype=np.float32)
        L = log_mel(y)
        L32 = log_mel(y, dtype=np.float32)
        top = L.max()
        mask = L >= top - 80.0
        drift = np.abs(L - L32)[mask].max()
        np.save(os.path.join(args.out, f"{name}_input.npy"), y)
        np.save(os.path.join(args.out, f"{name}_logmel.npy"), L.astype(np.float32))
        print(f"{name}: {y.size} samples, log-mel {L.shape}, max {top:.2f} dB, "
              f"f32-bank drift {drift:.2e} dB")
    chirp = np.asarray(signals()["chirp"], dtype=np.float32)
    custom = log_mel(chirp, **CUSTOM)
    np.save(os.path.join(args.out, "chirp_custom_logmel.npy"), custom.astype(np.float32))
    print(f"chirp with {CUSTOM}: log-mel {custom.shape}")
    mel_bank_fixtures(args.out)


if __name__ == "__main__":
    main()
