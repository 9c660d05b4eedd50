// sonogan's Web Worker (a module worker): it owns the Rust core — the session, features,
// training, scoring, the live meter, model files and results (src/web/app). This file only
// starts the wasm, forwards messages to it and posts its events back, transferring their
// ArrayBuffers (spectrogram pixels, WAVs, model files) instead of copying them.
import init, { PageWorker } from './sonogan.js';

const waiting = []; // messages that arrived before the wasm was ready
let core = null;

self.onmessage = (event) => {
  if (core) core.handle(event.data);
  else waiting.push(event.data);
};

/** The ArrayBuffers of the typed arrays in `value` (a few levels deep), for the transfer list. */
function buffers(value, out = new Set(), depth = 0) {
  if (value === null || typeof value !== 'object' || depth > 4) return out;
  if (ArrayBuffer.isView(value)) {
    out.add(value.buffer);
  } else {
    for (const key of Object.keys(value)) buffers(value[key], out, depth + 1);
  }
  return out;
}

/** Posts one event of the core to the main thread. */
function post(event) {
  self.postMessage(event, [...buffers(event)]);
}

/** A promise resolved on the next task of this worker (MessageChannel: no timer clamping), so
 *  queued messages — a cancel — are handled between training steps. */
function yieldNow() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

try {
  await init();
  core = new PageWorker(post, yieldNow);
  for (const message of waiting.splice(0)) core.handle(message);
} catch (error) {
  self.postMessage({ type: 'fatal', message: `the WebAssembly core could not start (${error && error.message ? error.message : error})` });
}
