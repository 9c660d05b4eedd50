// Page benchmark (tools/bench-web): time from opening the page to the first ROC curve and to the
// end of the quick demo, the log-Mel time per 10-s clip in the browser (one thread), and the time
// per clip of the page's feature workers (WAV decode + log-Mel on every core).
//
//   node tests/e2e/bench.mjs BUILT_DIR
//
// Runs headless system Chromium with software WebGPU (SwiftShader, --enable-unsafe-webgpu), so the
// page's `auto` backend measures both and picks one, as it would for a visitor.
import { launchBrowser, log, poll } from './harness.mjs';
import { serveDirectory } from './static-server.mjs';
import { encodeWav16, toneSamples } from './wav.mjs';

const dir = process.argv[2] ?? 'dist';
const server = await serveDirectory(dir);
// BENCH_NO_WEBGPU=1 leaves the flag out (a browser without WebGPU).
const extraArgs = process.env.BENCH_NO_WEBGPU ? [] : ['--enable-unsafe-webgpu'];
const { context, close } = await launchBrowser({ extraArgs });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const opened = Date.now();
  await page.goto(server.url);
  const status = () => page.evaluate(() => document.querySelector('[data-testid=status]').textContent);
  await poll('ready', 10 * 60_000, async () => {
    const s = await status();
    if (s.startsWith('error:')) throw new Error(s);
    return s === 'ready' ? true : undefined;
  });
  const ready = (Date.now() - opened) / 1000;
  const backend = await page.evaluate(() => document.getElementById('backend-info').textContent);
  await page.click('[data-testid=demo-run]');
  await poll('first ROC curve', 30 * 60_000, async () =>
    (await page.evaluate(() => document.querySelectorAll('[data-testid=roc-plot] path.roc-curve').length)) > 0 ? true : undefined);
  const firstRoc = (Date.now() - opened) / 1000;
  await poll('done', 30 * 60_000, async () => {
    const s = await status();
    if (s.startsWith('error:')) throw new Error(s);
    return s === 'done' ? true : undefined;
  });
  const done = (Date.now() - opened) / 1000;
  const featuresMs = await page.evaluate(() => window.sonoganApp.benchmark_features?.(20) ?? NaN);
  // The feature workers' pace: one 10-s WAV decoded and turned into its log-Mel spectrogram 48
  // times across the pool (after every worker is warm), in milliseconds per clip.
  const wav = encodeWav16(toneSamples(10, 16000), 16000).toString('base64');
  const poolMs = await page.evaluate(async ([b64, clips]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return window.sonoganApp.benchmark_pool(bytes, clips);
  }, [wav, 48]);
  const featureWorkers = page.workers().filter((w) => w.url().endsWith('/feature-worker.js')).length;
  log(`backend: ${backend}`);
  log(`page ready after ${ready.toFixed(1)} s`);
  log(`first ROC curve after ${firstRoc.toFixed(1)} s (target ≤ 15 s)`);
  log(`quick demo (4 models) done after ${done.toFixed(1)} s`);
  log(`log-Mel of a 10-s clip in the browser: ${featuresMs.toFixed(2)} ms`);
  log(`feature workers (${featureWorkers}), WAV decode + log-Mel of a 10-s clip: ${poolMs.toFixed(2)} ms per clip`);
} finally {
  await close();
  await server.close();
}
