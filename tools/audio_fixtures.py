#!/usr/bin/env python3
"""Generate the audio decoding fixtures under tests/fixtures/audio/.

Independent reference for `sonogan::audio`: WAV files written by soundfile (libsndfile) and the
signals librosa 0.10.2 reads from them:
  * <stem>.wav        the file,
  * <stem>.mono.f32   librosa.load(path, sr=None, mono=True)  (raw little-endian float32),
  * <stem>.ch1.f32    librosa.load(path, sr=None, mono=False)[1],
  for the multi-channel 16 kHz files, and for the mono tone files at other rates
  * <stem>.16k.f32    librosa.load(path, sr=16000) (soxr_hq resampling),
and manifest.json describing each file.

Run from the repository root:  python3 tools/audio_fixtures.py
Needs: numpy, soundfile, librosa==0.10.2.post1.
"""
import json
import pathlib

import librosa
import numpy as np
import soundfile as sf

OUT = pathlib.Path("tests/fixtures/audio")


def noise(rng, frames, channels):
    """Uniform noise in [-0.9, 0.9), frames x channels (soundfile's layout)."""
    return rng.uniform(-0.9, 0.9, size=(frames, channels))


def tones(rate, seconds, freqs):
    """A sum of sines (amplitude 0.2 each) sampled at `rate`."""
    t = np.arange(int(rate * seconds)) / rate
    return sum(0.2 * np.sin(2 * np.pi * f * t + i) for i, f in enumerate(freqs))


def write_f32(path, signal):
    np.asarray(signal, dtype="<f4").tofile(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2020)
    # (stem, channels, rate, frames, soundfile format, subtype)
    cases = [
        ("u8_8ch", 8, 16000, 200, "WAV", "PCM_U8"),
        ("i16_8ch_wavex", 8, 16000, 200, "WAVEX", "PCM_16"),
        ("i24_8ch", 8, 16000, 200, "WAV", "PCM_24"),
        ("i32_8ch", 8, 16000, 200, "WAV", "PCM_32"),
        ("f32_3ch", 3, 16000, 200, "WAV", "FLOAT"),
        ("f32_12ch", 12, 16000, 200, "WAV", "FLOAT"),
        ("f64_8ch", 8, 16000, 200, "WAV", "DOUBLE"),
        ("f32_130ch", 130, 16000, 20, "WAV", "FLOAT"),
    ]
    manifest = []
    for stem, channels, rate, frames, fmt, subtype in cases:
        path = OUT / f"{stem}.wav"
        sf.write(path, noise(rng, frames, channels), rate, format=fmt, subtype=subtype)
        mono, _ = librosa.load(path, sr=None, mono=True)
        write_f32(OUT / f"{stem}.mono.f32", mono)
        every, _ = librosa.load(path, sr=None, mono=False)
        write_f32(OUT / f"{stem}.ch1.f32", every[1])
        manifest.append({"stem": stem, "channels": channels, "rate": rate, "frames": frames,
                         "subtype": subtype, "resampled": False})
    for rate in (44100, 48000, 8000):
        stem = f"tones_{rate}"
        path = OUT / f"{stem}.wav"
        sf.write(path, tones(rate, 0.25, (440.0, 1000.0, 3000.0)), rate, subtype="FLOAT")
        resampled, _ = librosa.load(path, sr=16000)
        write_f32(OUT / f"{stem}.16k.f32", resampled)
        manifest.append({"stem": stem, "channels": 1, "rate": rate, "frames": sf.info(path).frames,
                         "subtype": "FLOAT", "resampled": True})
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
