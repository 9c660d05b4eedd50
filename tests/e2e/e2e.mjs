// End-to-end test of the sonogan web page on its CPU path, in headless system Chromium.
//
//   node tests/e2e/e2e.mjs [BUILT_DIR]      (default: the repository's dist/)
//
// Serves BUILT_DIR on 127.0.0.1, runs the demo (the detectors are the ones the page lists), checks
// results, ROC plot, that the main thread had no long task over 200 ms from the end of loading
// through the demo (all heavy work is in the page's Web Worker), uploads (a valid and a damaged
// WAV; then the hostile corpus of hostile.mjs, documented there), the model download/upload round
// trip, a wrong and a truncated model file, the backend choice, a forced worker crash after which
// the page restarts the worker and reloads every input (same data summary, every model back), a
// drop beyond the memory budget (hostile.mjs), and fails if the page ever reaches a host other than 127.0.0.1. Artefacts (screenshot, the
// downloaded model) go to $E2E_ARTIFACTS, else target/e2e/ in the repository.
// Environment: CHROMIUM (browser binary, default /usr/bin/chromium), E2E_ARTIFACTS, E2E_TIMEOUT_S
// (whole-test limit, default 1800).
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, launchBrowser, log, poll, recordActivity, TestFailure } from './harness.mjs';
import { dropBeyondBudget, uploadDamagedModel, uploadHostileFiles } from './hostile.mjs';
import { serveDirectory } from './static-server.mjs';
import { brokenClip, validClip } from './wav.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MINUTE = 60_000;
const LONG_TASK_LIMIT_MS = 200;
const EXPECTED_BACKENDS = ['auto', 'webgpu', 'cpu'];
const VALID_CLIP_NAME = 'normal_id_00_00000000.wav';
const BROKEN_CLIP_NAME = 'broken.wav';
const WRONG_MODEL_NAME = 'not-a-model.sonogan';

const byTestId = (id) => `[data-testid="${id}"]`;

/** The trimmed text of the element with `data-testid` `id`, or null when it is absent. */
async function testIdText(page, id) {
  const text = await page.evaluate(
    (selector) => document.querySelector(selector)?.textContent ?? null,
    byTestId(id),
  );
  return text === null ? null : text.trim();
}

/** Reads the status line; fails when it reports an error. */
async function statusUnlessError(page, during) {
  const status = (await testIdText(page, 'status')) ?? '';
  if (status.startsWith('error:')) fail(`the page reported an error ${during}: "${status}"`);
  return status;
}

/** Step a: the page loads its wasm and says `ready`. */
async function waitUntilReady(page, activity) {
  await poll('status "ready"', 5 * MINUTE, async () => {
    activity.throwIfPageError();
    return (await statusUnlessError(page, 'while loading')) === 'ready' ? true : undefined;
  });
  log('status: ready');
}

/** The detectors the page offers (its model checkboxes, built from the worker's list): labels. */
async function pageDetectors(page) {
  const labels = await page.$$eval('input[name=model]', (boxes) => boxes.map((box) => box.dataset.label));
  if (labels.length === 0 || labels.some((label) => !label)) fail(`the page lists no detectors with labels: [${labels.join(', ')}]`);
  log(`detectors offered by the page: ${labels.join(', ')}`);
  return labels;
}

/** Starts recording the main thread's long tasks (PerformanceObserver, type longtask). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    const since = performance.now();
    window.__sonoganLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= since) window.__sonoganLongTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  log('recording main-thread long tasks');
}

/** Fails when a main-thread long task since watchLongTasks took more than the limit. */
async function checkLongTasks(page, during) {
  const tasks = await page.evaluate(() => window.__sonoganLongTasks ?? []);
  const longest = tasks.reduce((max, task) => Math.max(max, task.duration), 0);
  log(`main-thread long tasks ${during}: ${tasks.length}, longest ${longest.toFixed(0)} ms (limit ${LONG_TASK_LIMIT_MS} ms)`);
  const over = tasks.filter((task) => task.duration > LONG_TASK_LIMIT_MS);
  if (over.length > 0) {
    fail(`${over.length} main-thread long task(s) over ${LONG_TASK_LIMIT_MS} ms ${during}: ${over.map((t) => `${t.duration.toFixed(0)} ms at ${(t.start / 1000).toFixed(1)} s`).join(', ')}`);
  }
}

/** Step b: runs the demo and follows the status line until it ends with `done`. */
async function runDemo(page, activity) {
  await page.click(byTestId('demo-run'));
  log('clicked demo-run');
  let last = null;
  await poll('the demo to finish (status ending in "done")', 15 * MINUTE, async () => {
    activity.throwIfPageError();
    const status = await statusUnlessError(page, 'during the demo');
    if (status !== last) log(`status: ${status}`);
    last = status;
    return status.endsWith('done') ? true : undefined;
  }, 500);
}

/** Reads the results table's rows as `{ model, type, auc, pauc }` (texts as shown). */
async function resultRows(page) {
  return page.$$eval(`${byTestId('results-table')} tr[data-model]`, (rows) =>
    rows.map((row) => ({
      model: row.getAttribute('data-model'),
      type: row.getAttribute('data-type'),
      auc: row.querySelector('td.auc')?.textContent?.trim() ?? null,
      pauc: row.querySelector('td.pauc')?.textContent?.trim() ?? null,
    })),
  );
}

/** Parses a shown metric; fails unless it is a number in [0, 1]. */
function metric(text, what) {
  const value = text === null || text === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    fail(`${what} is "${text}", not a number in [0, 1]`);
  }
  return value;
}

/** Step c: one row per model for the demo's single machine type, AUC and pAUC in [0, 1]. */
async function checkResultsTable(page, detectors) {
  if ((await page.$(byTestId('results-table'))) === null) fail('no results-table after the demo');
  const rows = (await resultRows(page)).filter((row) => row.type !== 'mean');
  log('results table (type, model, AUC, pAUC):');
  for (const row of rows) log(`  ${row.type}\t${row.model}\t${row.auc}\t${row.pauc}`);
  const types = [...new Set(rows.map((row) => row.type))];
  if (types.length !== 1) fail(`expected one machine type in the demo, got [${types.join(', ')}]`);
  const models = rows.map((row) => row.model).sort();
  if (models.join() !== [...detectors].sort().join()) {
    fail(`expected exactly one row for each of ${detectors.join(', ')}; got [${models.join(', ')}]`);
  }
  for (const row of rows) {
    metric(row.auc, `AUC of ${row.model} on ${row.type}`);
    metric(row.pauc, `pAUC of ${row.model} on ${row.type}`);
  }
  log(`results table ok: ${rows.length} models on "${types[0]}"`);
  return rows.length;
}

/** Step d: the ROC plot draws at least one curve per model. */
async function checkRocPlot(page, detectors) {
  const curves = await page.$$eval(`${byTestId('roc-plot')} svg path.roc-curve`, (paths) =>
    paths.map((p) => (p.getAttribute('d') ?? '').trim()),
  );
  const drawn = curves.filter((d) => d.length > 0).length;
  if (drawn < detectors.length) {
    fail(`roc-plot has ${drawn} drawn path.roc-curve (of ${curves.length}); expected ≥ ${detectors.length}`);
  }
  log(`roc plot ok: ${drawn} curves`);
}

/** Fails unless the results table is still there with `expectedRows` model rows. */
async function checkResultsKept(page, expectedRows, after) {
  if ((await page.$(byTestId('results-table'))) === null) fail(`the results table disappeared after ${after}`);
  const rows = (await resultRows(page)).filter((row) => row.type !== 'mean').length;
  if (rows !== expectedRows) fail(`the results table has ${rows} model rows after ${after}, had ${expectedRows}`);
  log(`results table still there after ${after}`);
}

/** Step f: uploads a valid clip and a damaged one; the first is counted, the second rejected. */
async function uploadClips(page, activity) {
  const summaryBefore = (await testIdText(page, 'data-summary')) ?? '';
  const defaultType = await page.$eval('#default-type', (input) => input.value).catch(() => '');
  // Four files or more go through the page's feature workers (www/feature-pool.js); the broken
  // one falls back to the session worker, which gives the reason.
  const extra = ['normal_id_00_00000001.wav', 'anomaly_id_00_00000000.wav'];
  await page.setInputFiles(byTestId('file-input'), [
    { name: VALID_CLIP_NAME, mimeType: 'audio/wav', buffer: validClip() },
    ...extra.map((name) => ({ name, mimeType: 'audio/wav', buffer: validClip() })),
    { name: BROKEN_CLIP_NAME, mimeType: 'audio/wav', buffer: brokenClip() },
  ]);
  log(`uploaded ${VALID_CLIP_NAME}, ${extra.join(', ')} and ${BROKEN_CLIP_NAME}`);
  const summary = await poll('data-summary to count the uploaded clip', 2 * MINUTE, async () => {
    activity.throwIfPageError();
    const text = (await testIdText(page, 'data-summary')) ?? '';
    const mentionsClip =
      text.includes(VALID_CLIP_NAME) || (defaultType !== '' && text.includes(defaultType));
    return text !== summaryBefore && mentionsClip && /\d/.test(text) ? text : undefined;
  });
  log(`data-summary: ${summary.replace(/\s+/g, ' ')}`);
  const featureWorkers = page.workers().filter((w) => w.url().endsWith('/feature-worker.js')).length;
  if (featureWorkers === 0) fail('the upload of four files started no feature worker');
  log(`feature workers: ${featureWorkers}`);
  const rejection = await poll(`rejected-list to name ${BROKEN_CLIP_NAME}`, 2 * MINUTE, async () => {
    activity.throwIfPageError();
    const items = await page.$$eval(`${byTestId('rejected-list')} li`, (lis) =>
      lis.map((li) => (li.textContent ?? '').trim()),
    );
    return items.find((item) => item.includes(BROKEN_CLIP_NAME));
  });
  const reason = rejection.replace(BROKEN_CLIP_NAME, '');
  if (!/[a-z]{3,}/i.test(reason)) fail(`the rejection of ${BROKEN_CLIP_NAME} gives no reason: "${rejection}"`);
  log(`rejected: ${rejection}`);
}

/** Step g (first half): downloads the selected model and loads it back; returns its file name. */
async function modelRoundTrip(page, activity, artifacts) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 2 * MINUTE }),
    page.click(byTestId('model-download')),
  ]);
  const fileName = download.suggestedFilename();
  const saved = path.join(artifacts, fileName);
  await download.saveAs(saved);
  const { size } = await stat(saved);
  if (size === 0) fail(`the downloaded model ${fileName} is empty`);
  log(`downloaded model ${fileName} (${size} bytes) to ${saved}`);
  const infoBefore = (await testIdText(page, 'model-info')) ?? '';
  await page.setInputFiles(byTestId('model-upload'), saved);
  const info = await poll(`model-info to say "loaded" for ${fileName}`, 2 * MINUTE, async () => {
    activity.throwIfPageError();
    await statusUnlessError(page, `loading the downloaded model ${fileName}`);
    const text = (await testIdText(page, 'model-info')) ?? '';
    return text.includes('loaded') && (text !== infoBefore || text.includes(fileName)) ? text : undefined;
  });
  log(`model-info: ${info.split('\n')[0]}`);
  return fileName;
}

/** Step g (second half): a file that is no model gives an error status naming it. */
async function uploadWrongModel(page, activity) {
  await page.setInputFiles(byTestId('model-upload'), {
    name: WRONG_MODEL_NAME,
    mimeType: 'application/octet-stream',
    buffer: validClip(),
  });
  const status = await poll(`an error status naming ${WRONG_MODEL_NAME}`, MINUTE, async () => {
    activity.throwIfPageError();
    const text = (await testIdText(page, 'status')) ?? '';
    return text.startsWith('error:') ? text : undefined;
  });
  if (!status.includes(WRONG_MODEL_NAME)) fail(`the error does not name ${WRONG_MODEL_NAME}: "${status}"`);
  log(`wrong model rejected: ${status}`);
}

/** Step h: the compute backend can be chosen. */
async function checkBackendSelect(page) {
  const options = await page
    .$$eval(`${byTestId('backend-select')} option`, (list) => list.map((option) => option.value))
    .catch(() => []);
  const missing = EXPECTED_BACKENDS.filter((value) => !options.includes(value));
  if (options.length === 0) fail('no backend-select with options');
  if (missing.length > 0) fail(`backend-select lacks option(s) ${missing.join(', ')}; has [${options.join(', ')}]`);
  log(`backend-select ok: [${options.join(', ')}]`);
}

/** Step j: the worker is made to panic; the page restarts it, reloads every input and says so. */
async function forceRestart(page, activity, modelFile) {
  const modelsBefore = await page.$$eval('#model-select option', (options) => options.map((o) => o.value));
  const summaryBefore = (await testIdText(page, 'data-summary')) ?? '';
  const rejectedBefore = (await testIdText(page, 'rejected-list')) ?? '';
  const inputs = await page.evaluate(() => window.sonoganApp.inputs());
  const statusBefore = (await testIdText(page, 'status')) ?? '';
  await page.evaluate(() => window.sonoganApp.crash());
  log(`asked the worker to crash (the page holds ${inputs} inputs)`);
  const status = await poll('the status to report the restart', 5 * MINUTE, async () => {
    activity.throwIfPageError();
    const text = (await testIdText(page, 'status')) ?? '';
    // (The status may still show the wrong model file's error from step g.)
    if (text.startsWith('error:') && text !== statusBefore) fail(`the page reported an error after the crash: "${text}"`);
    return text.includes('restarted it and reloaded') ? text : undefined;
  });
  log(`status: ${status}`);
  if (!status.includes('nothing was lost') || !status.includes(`${inputs} inputs`)) {
    fail(`the restart status does not say that all ${inputs} inputs were reloaded: "${status}"`);
  }
  const restarts = await page.evaluate(() => window.sonoganApp.restarts());
  if (restarts !== 1) fail(`expected exactly one worker restart, got ${restarts}`);
  const summaryAfter = (await testIdText(page, 'data-summary')) ?? '';
  if (summaryAfter !== summaryBefore) fail(`the data summary changed across the restart:\n  before: ${summaryBefore}\n  after:  ${summaryAfter}`);
  if (((await testIdText(page, 'rejected-list')) ?? '') !== rejectedBefore) fail('the rejected-file list changed across the restart');
  const modelName = modelFile.replace(/\.sonogan$/, '');
  const models = await page.$$eval('#model-select option', (options) => options.map((o) => o.value));
  if (!models.includes(modelName)) fail(`the loaded model ${modelName} is missing after the restart: [${models.join(', ')}]`);
  const missing = modelsBefore.filter((name) => !models.includes(name));
  if (missing.length > 0) fail(`model(s) ${missing.join(', ')} missing after the restart; have [${models.join(', ')}]`);
  log(`restart ok: same data summary, all ${models.length} models back (${models.join(', ')})`);
}

/** Step i: nothing but 127.0.0.1 (and data:/blob:) was requested. */
function checkRequests(activity) {
  const foreign = activity.foreignRequests();
  if (foreign.length > 0) fail(`the page requested other hosts than 127.0.0.1:\n  ${foreign.join('\n  ')}`);
  log(`requests ok: ${activity.requests.length}, all to 127.0.0.1 (or data:/blob:)`);
}

/** Notes whether the page could see WebGPU (this test is meant to run on the CPU path). */
async function logWebGpu(page) {
  const gpu = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return 'navigator.gpu absent';
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    return adapter === null ? 'navigator.gpu present, no adapter' : 'navigator.gpu has an adapter';
  });
  log(`WebGPU in this browser: ${gpu}`);
}

/** Runs every step against the page at `url`. */
async function runSteps(page, activity, url, artifacts) {
  log(`a. opening ${url}`);
  await page.goto(url, { timeout: 2 * MINUTE });
  await waitUntilReady(page, activity);
  await watchLongTasks(page);
  await logWebGpu(page);
  const detectors = await pageDetectors(page);
  log('b. running the demo');
  await runDemo(page, activity);
  await checkLongTasks(page, 'from loading to the end of the demo');
  log('c. results table');
  const rows = await checkResultsTable(page, detectors);
  log('d. ROC plot');
  await checkRocPlot(page, detectors);
  log('e. screenshot');
  const screenshot = path.join(artifacts, 'demo.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`saved ${screenshot}`);
  log('f. uploading a valid and a damaged WAV');
  await uploadClips(page, activity);
  await checkResultsKept(page, rows, 'the uploads');
  log('k. hostile files');
  await uploadHostileFiles(page, activity);
  await checkResultsKept(page, rows, 'the hostile files');
  log('g. model download and upload');
  const modelFile = await modelRoundTrip(page, activity, artifacts);
  await uploadWrongModel(page, activity);
  await uploadDamagedModel(page, activity, await readFile(path.join(artifacts, modelFile)));
  await checkResultsKept(page, rows, 'the wrong model file');
  log('h. backend choice');
  await checkBackendSelect(page);
  activity.throwIfPageError();
  log('j. worker crash and restart');
  await forceRestart(page, activity, modelFile);
  log('l. a drop beyond the memory budget');
  await dropBeyondBudget(page, activity);
  activity.throwIfPageError();
  log('i. requests');
  checkRequests(activity);
}

/** Saves a screenshot of the failed state, if the page still answers. */
async function screenshotFailure(page, artifacts) {
  const file = path.join(artifacts, 'failure.png');
  try {
    await page.screenshot({ path: file, fullPage: true, timeout: 30_000 });
    log(`saved ${file}`);
  } catch (error) {
    log(`could not save a failure screenshot: ${error.message}`);
  }
}

/** Ends the test if it runs longer than $E2E_TIMEOUT_S (default 30 min), e.g. on a hung page. */
function startWatchdog() {
  const seconds = Number(process.env.E2E_TIMEOUT_S ?? 1800);
  setTimeout(() => {
    console.error(`\nE2E FAILED: the whole test ran longer than ${seconds} s (E2E_TIMEOUT_S)`);
    process.exit(1);
  }, seconds * 1000).unref();
}

async function main() {
  startWatchdog();
  const builtDir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'dist'));
  const artifacts = path.resolve(process.env.E2E_ARTIFACTS ?? path.join(REPO_ROOT, 'target', 'e2e'));
  const index = await stat(path.join(builtDir, 'index.html')).catch(() => null);
  if (index === null) fail(`${builtDir}/index.html not found: build the page first (tools/build-page)`);
  await mkdir(artifacts, { recursive: true });
  const server = await serveDirectory(builtDir);
  log(`serving ${builtDir} at ${server.url}`);
  let browser = null;
  try {
    browser = await launchBrowser();
    log(`browser: ${browser.executablePath} ${browser.version}`);
    const activity = recordActivity(browser.context, browser.page);
    try {
      await runSteps(browser.page, activity, server.url, artifacts);
    } catch (error) {
      await screenshotFailure(browser.page, artifacts);
      log(`status at failure: ${(await testIdText(browser.page, 'status').catch(() => null)) ?? '(none)'}`);
      throw error;
    } finally {
      log(`${activity.requests.length} requests, ${activity.consoleErrors.length} console errors, ${activity.pageErrors.length} page errors`);
      for (const text of activity.consoleErrors) log(`  console error: ${text}`);
      const foreign = activity.foreignRequests();
      if (foreign.length > 0) log(`  requests to other hosts: ${foreign.join(' ')}`);
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  log('e2e passed');
}

main().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof TestFailure) console.error(`\nE2E FAILED: ${error.message}`);
    else console.error(`\nE2E FAILED (unexpected error): ${error.stack ?? error}`);
    process.exit(1);
  },
);
