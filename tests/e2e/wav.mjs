// Test audio for the upload step: a valid 16-bit PCM WAV built here and a damaged file.

/** A small deterministic pseudo-random generator (xorshift32) giving values in [-1, 1). */
function noiseSource(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 31 - 1;
  };
}

/** Wraps 16-bit mono samples in a canonical 44-byte RIFF/WAVE header. */
export function encodeWav16(samples, sampleRate) {
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  samples.forEach((sample, i) => wav.writeInt16LE(sample, 44 + 2 * i));
  return wav;
}

/** A machine-like test clip: a 440 Hz tone with a harmonic and a little noise, as 16-bit samples. */
export function toneSamples(seconds, sampleRate, seed = 7) {
  const noise = noiseSource(seed);
  const count = Math.round(seconds * sampleRate);
  const samples = new Array(count);
  for (let i = 0; i < count; i++) {
    const t = i / sampleRate;
    const value =
      0.3 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 880 * t) + 0.02 * noise();
    samples[i] = Math.round(Math.max(-1, Math.min(1, value)) * 32767);
  }
  return samples;
}

/** A valid 2-s, 16-kHz, 16-bit mono WAV clip. */
export function validClip() {
  const sampleRate = 16000;
  return encodeWav16(toneSamples(2, sampleRate), sampleRate);
}

/** A damaged file of `length` bytes: the `RIFF` magic followed by garbage. */
export function brokenClip(length = 100) {
  const noise = noiseSource(99);
  const bytes = Buffer.alloc(length);
  bytes.write('RIFF', 0, 'ascii');
  for (let i = 4; i < length; i++) bytes[i] = Math.floor((noise() + 1) * 128) & 0xff;
  return bytes;
}
