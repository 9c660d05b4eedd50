// The microphone: one 16 kHz capture shared by recordings and the live meter (main thread only).
let capture = null;

/** Starts the microphone at 16 kHz; `onChunk(Float32Array)` gets every block. Resolves with the
 *  actual sample rate. */
export async function startCapture(onChunk) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const ctx = new AudioContext({ sampleRate: 16000 });
  const source = ctx.createMediaStreamSource(stream);
  const node = ctx.createScriptProcessor(4096, 1, 1);
  node.onaudioprocess = (e) => onChunk(new Float32Array(e.inputBuffer.getChannelData(0)));
  source.connect(node); node.connect(ctx.destination);
  capture = { stream, ctx, node };
  return ctx.sampleRate;
}
/** Stops the microphone. */
export function stopCapture() {
  if (!capture) return;
  capture.node.disconnect(); capture.stream.getTracks().forEach((t) => t.stop()); capture.ctx.close();
  capture = null;
}
