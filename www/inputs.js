// The user's inputs, kept on the main thread so that a replaced worker can be given exactly the
// same data again: the built-in sounds request, File objects of dropped or picked files (read
// and, for compressed formats, decoded again on replay), recordings (samples + rate), loaded
// model files (bytes), copies of the models trained in the worker and the backend choice. Each becomes one worker request here.

import { POOL_MIN_FILES, mapLimited } from './feature-pool.js';

/** `Float32Array` → the `Uint8Array` of its bytes, as messages.rs `Samples` expects. */
export function sampleBytes(f32) {
  return new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
}

/** One `{path, audio}` of an AddFiles request: a WAV analysed by the feature `pool` (when given),
 *  WAV bytes, or channels decoded by the browser. */
async function fileInput(file, path, browserFormats, pool) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const riff = bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46;
  const lower = file.name.toLowerCase();
  if (riff || !browserFormats.some((ext) => lower.endsWith(ext))) {
    const analysed = pool && riff ? await pool.analyse(path, bytes) : null;
    if (analysed) return { path, audio: { kind: 'analysed', samples: analysed.samples, log_mel: analysed.log_mel } };
    return { path, audio: { kind: 'wav', bytes } };
  }
  try {
    // decodeAudioData exists on the main thread only; the channels go to the worker.
    const ctx = new OfflineAudioContext(1, 1, 16000);
    const buffer = await ctx.decodeAudioData(bytes.buffer);
    const channels = [];
    for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(sampleBytes(buffer.getChannelData(c).slice()));
    return { path, audio: { kind: 'decoded', channels, rate: buffer.sampleRate } };
  } catch (e) {
    return { path, audio: { kind: 'error', reason: `this browser cannot decode it (${e.message || e})` } };
  }
}

/** `{request, transfer}` for one logged input; buffers are fresh copies, the log keeps its own. */
export async function requestFor(input, browserFormats, pool = null) {
  switch (input.kind) {
    case 'backend':
      return { request: { type: 'set_backend', choice: input.choice }, transfer: [] };
    case 'builtin':
      return { request: { type: 'load_builtin', config: input.config }, transfer: [] };
    case 'files': {
      // Many files go through the feature workers, a few at a time per worker; few files are
      // read by the session worker itself (starting the pool would cost more than it saves).
      const usePool = pool && input.entries.length >= POOL_MIN_FILES ? pool : null;
      const files = await mapLimited(input.entries, usePool ? 2 * usePool.size : 1, ({ file, path }) =>
        fileInput(file, path, browserFormats, usePool));
      const transfer = files.flatMap(({ audio }) =>
        [audio.bytes, audio.samples, audio.log_mel, ...(audio.channels || [])].filter(Boolean).map((a) => a.buffer));
      return { request: { type: 'add_files', files, default_type: input.defaultType }, transfer };
    }
    case 'recording': {
      const samples = sampleBytes(input.samples.slice());
      const request = { type: 'add_recording', machine_type: input.machineType, role: input.role, channels: [samples], sample_rate: input.rate };
      return { request, transfer: [samples.buffer] };
    }
    case 'model': {
      const bytes = input.bytes.slice();
      return { request: { type: 'load_model', file_name: input.fileName, bytes, origin: input.origin }, transfer: [bytes.buffer] };
    }
    default:
      throw new Error(`unknown input kind ${input.kind}`);
  }
}

/** The inputs in the order they were given. */
export class InputLog {
  constructor() {
    this.entries = [];
  }

  add(input) {
    // A new backend choice, or a model of the same name (the worker replaces it too), replaces the old.
    if (input.kind === 'backend') this.entries = this.entries.filter((e) => e.kind !== 'backend');
    if (input.kind === 'model') this.entries = this.entries.filter((e) => e.kind !== 'model' || e.fileName !== input.fileName);
    this.entries.push(input);
  }

  remove(input) {
    this.entries = this.entries.filter((e) => e !== input);
  }

  /** "Remove all sounds": the data inputs go, model files and the backend choice stay. */
  clearData() {
    this.entries = this.entries.filter((e) => e.kind === 'model' || e.kind === 'backend');
  }

  /** The number of user inputs (each file, recording, model file and built-in request). */
  count() {
    return this.entries.reduce((n, e) => n + (e.kind === 'files' ? e.entries.length : e.kind === 'backend' ? 0 : 1), 0);
  }
}

/** `{file, path}` of the files of an `<input type=file>` (folder pickers keep their paths). */
export function filesFromInput(input) {
  return [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
async function walkEntry(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((ok, err) => entry.file(ok, err));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((ok, err) => reader.readEntries(ok, err));
      if (batch.length === 0) break;
      for (const child of batch) await walkEntry(child, out);
    }
  }
}
/** `{file, path}` of every file of a drop, folders walked (paths relative to the drop). */
export async function filesFromDrop(dataTransfer) {
  const out = [];
  const roots = [...dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (roots.length) for (const root of roots) await walkEntry(root, out);
  else for (const file of dataTransfer.files) out.push({ file, path: file.name });
  return out;
}
