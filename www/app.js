// sonogan page glue on the main thread: events, files, decodeAudioData, the microphone and putting
// what the worker (worker.js → src/web/app) sends into the DOM. All heavy work is in the worker;
// the user's inputs are kept here (inputs.js) so a failed worker is replaced without losing them.
import { WorkerClient, WorkerStopped } from './client.js';
import { FeaturePool, mapLimited } from './feature-pool.js';
import { InputLog, filesFromDrop, filesFromInput, requestFor, sampleBytes } from './inputs.js';
import { startCapture, stopCapture } from './microphone.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const inputs = new InputLog();
const featurePool = new FeaturePool(); // reads many dropped WAVs in parallel (feature-pool.js)
let ready = null; // the worker's `ready` event: detectors, built-in types, demo data, formats
let clipFiles = new Map(); // clip path -> File, for clips whose samples the worker dropped
let models = [];
let hasResults = false;
let jobs = 0; // long requests in flight
let training = false;

const client = new WorkerClient({ onEvent, onRestart, onGiveUp: (reason) => say(`error: the worker stopped again (${reason}); reload the page to continue`) });

function say(text) { status.textContent = text; }
function fail(error) {
  if (error instanceof WorkerStopped) return; // the restart message says what happened
  const text = String(error && error.message ? error.message : error);
  say(text.startsWith('error:') ? text : `error: ${text}`);
  refreshButtons();
}
function setOptions(select, values, keep = true, texts = values) {
  const old = select.value;
  select.replaceChildren(...values.map((v, i) => new Option(texts[i], v)));
  if (keep && values.includes(old)) select.value = old;
}
function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
function refreshButtons() {
  for (const id of ['demo-run', 'train-start', 'synth-load', 'data-clear']) $(id).disabled = !ready || jobs > 0;
  $('train-cancel').disabled = !training;
  $('model-download').disabled = models.length === 0;
  $('export-csv').disabled = !hasResults;
  $('export-json').disabled = !hasResults;
}
/** Sends a request; `long` ones disable the job buttons until they end. */
async function ask(request, { transfer = [], long = false } = {}) {
  if (long) { jobs++; refreshButtons(); }
  try {
    return await client.call(request, transfer);
  } finally {
    if (long) { jobs--; refreshButtons(); }
  }
}
/** Logs `input` and sends it (the log replays it into a replacement worker). */
async function submit(input, long = true) {
  inputs.add(input);
  const { request, transfer } = await requestFor(input, ready.browser_formats, featurePool);
  return ask(request, { transfer, long });
}

// ---- data ----
function showData(view) {
  $('data-summary').innerHTML = view.summary_html;
  $('rejected-list').innerHTML = view.rejected_html;
  const hadClip = $('clip-select').value;
  setOptions($('clip-select'), view.clip_paths);
  refreshButtons();
  if (!hadClip && $('clip-select').value) showClip().catch(fail);
}
function builtinConfig() {
  return {
    types: [$('synth-type').value],
    ids: $('synth-ids').value.split(/[\s,]+/).filter(Boolean),
    train_per_id: Number($('synth-train').value),
    test_normal_per_id: Number($('synth-test').value),
    test_anomaly_per_id: Number($('synth-test').value),
    secs: Number($('synth-secs').value),
    seed: Number($('seed').value) || 0,
  };
}
async function loadBuiltin(config = builtinConfig()) {
  say('making the built-in sounds…');
  const view = await submit({ kind: 'builtin', config });
  showData(view);
  say(`ready: ${view.added} built-in clips loaded${view.notice ? ` — ${view.notice}` : ''}`);
}
async function addFiles(entries) {
  if (entries.length === 0) return;
  say(`reading ${entries.length} file(s)…`);
  for (const { file, path } of entries) clipFiles.set(path, file);
  const view = await submit({ kind: 'files', entries, defaultType: $('default-type').value });
  showData(view);
  say(`ready: ${view.added} clip(s) added, ${view.rejected} file(s) not used${view.notice ? ` — ${view.notice}` : ''}`);
}
async function onDrop(event) {
  event.preventDefault();
  await addFiles(await filesFromDrop(event.dataTransfer));
}
async function clearData() {
  inputs.clearData();
  clipFiles = new Map();
  showData(await ask({ type: 'clear_data' }, { long: true }));
  await refreshResults();
}

// ---- microphone (recording and the live meter share one 16 kHz capture) ----
let recorded = [];
let recordRate = 16000;
async function recordStart() {
  recorded = [];
  try {
    recordRate = await startCapture((chunk) => recorded.push(chunk));
  } catch (e) {
    return fail(`the microphone is not available (${e.message || e})`);
  }
  $('record-start').disabled = true; $('record-stop').disabled = false;
  say('recording… press Stop when done');
}
async function recordStop() {
  stopCapture();
  $('record-start').disabled = false; $('record-stop').disabled = true;
  const total = recorded.reduce((n, c) => n + c.length, 0);
  const samples = new Float32Array(total);
  let at = 0; for (const c of recorded) { samples.set(c, at); at += c.length; }
  const input = { kind: 'recording', machineType: $('default-type').value, role: $('record-label').value, samples, rate: recordRate };
  try {
    const view = await submit(input, false);
    showData(view);
    $('clip-select').value = view.path; await showClip();
    say(`ready: recorded ${view.path}`);
  } catch (e) { inputs.remove(input); fail(e); }
}

// ---- clip view ----
function drawPixels(canvas, pixels, width, height) {
  canvas.width = width; canvas.height = height;
  const rgba = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
}
async function showClip() {
  const path = $('clip-select').value;
  if (!path) return;
  let view = await ask({ type: 'clip_view', path, bytes: null });
  if (view.kind === 'needs_file') {
    const file = clipFiles.get(path);
    if (!file) return fail(`${path}: its audio is no longer in memory; add the file again`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    view = await ask({ type: 'clip_view', path, bytes }, { transfer: [bytes.buffer] });
  }
  $('clip-waveform').innerHTML = view.waveform_svg;
  drawPixels($('clip-spectrogram'), view.spectrogram, view.width, view.height);
  const audio = $('clip-audio');
  if (audio.src) URL.revokeObjectURL(audio.src);
  audio.src = URL.createObjectURL(new Blob([view.wav], { type: 'audio/wav' }));
  $('clip-explain').textContent = `${path}: ${view.seconds.toFixed(1)} s, ${view.label}`;
  $('clip-strip').width = 1; $('clip-strip').height = 1;
  await explainClip();
}
async function explainClip() {
  const path = $('clip-select').value;
  const model = $('explain-model').value;
  if (!path || !model) return;
  const e = await ask({ type: 'explain', path, model });
  drawPixels($('clip-strip'), e.strip, e.width, 1);
  const verdict = e.anomalous ? 'sounds ANOMALOUS' : 'sounds normal';
  const spans = e.spans.slice(0, 5).map(([a, b]) => `${a.toFixed(1)}–${b.toFixed(1)} s`).join(', ');
  $('clip-explain').textContent = `${path}: score ${e.score.toFixed(4)} vs threshold ${e.threshold.toFixed(4)} with ${model} → ${verdict}` + (spans ? `; loudest stretches: ${spans}` : '');
}

// ---- training ----
function showDetectors(detectors) {
  const box = $('model-choices');
  const labels = detectors.map(({ name, label }) => {
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'model', value: name, checked: true });
    input.dataset.label = label;
    const wrap = document.createElement('label');
    wrap.append(input, ` ${label}`);
    return wrap;
  });
  box.replaceChildren(box.querySelector('legend'), ...labels);
}
async function applyPreset() {
  const p = await ask({ type: 'preset', name: $('preset').value });
  $('epochs').value = p.epochs; $('batch').value = p.batch_size; $('lr').value = '';
  $('lr').placeholder = 'per model';
}
function runOptions() {
  const num = (id) => ($(id).value === '' ? null : Number($(id).value));
  return {
    models: [...document.querySelectorAll('input[name=model]:checked')].map((c) => c.value),
    preset: $('preset').value,
    epochs: num('epochs'), batch_size: num('batch'), learning_rate: num('lr'),
    seed: num('seed') || 0, seeds: num('seeds') || 1, subset: num('subset'),
  };
}
function onProgress({ run: e, loss_svg }) {
  const p = e.progress;
  $('train-progress').value = e.fraction;
  const losses = p.losses.map(([n, v]) => `${n} ${v.toPrecision(4)}`).join(' · ');
  $('train-info').textContent = `${e.machine_type} · ${e.model} (${e.slot.index + 1}/${e.slot.count}): epoch ${p.epoch}/${p.epochs}, ${Math.round(p.vectors_per_second)} vectors/s, ETA ${Math.ceil(p.eta_seconds)} s · ${losses}`;
  $('loss-plot').innerHTML = loss_svg;
  say(`training ${e.model} on ${e.machine_type}… ${Math.round(e.fraction * 100)} %`);
}
function onEvent(event) {
  if (event.type === 'progress') onProgress(event);
  else if (event.type === 'model_trained') { showModels(event.models); keepTrained(event.name).catch(fail); refreshResults().catch(fail); }
}
/** Keeps a copy of a model trained in the worker, so a replacement worker gets it back. */
async function keepTrained(name) {
  const file = await ask({ type: 'model_bytes', name });
  inputs.add({ kind: 'model', fileName: `${name}.sonogan`, bytes: file.bytes, origin: 'trained here, restored from' });
}
async function train() {
  const started = performance.now();
  training = true;
  try {
    await ask({ type: 'train', options: runOptions() }, { long: true });
  } finally {
    training = false;
    refreshButtons();
  }
  $('train-progress').value = 1;
  $('train-info').textContent += ` — finished in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  await refreshResults();
}
async function demoRun() {
  try {
    $('preset').value = 'quick'; await applyPreset();
    for (const c of document.querySelectorAll('input[name=model]')) c.checked = true;
    say('making the built-in sounds…');
    inputs.clearData();
    clipFiles = new Map();
    await ask({ type: 'clear_data' }, { long: true });
    await loadBuiltin(ready.demo_data);
    await train();
    say('done');
  } catch (e) { fail(e); }
}

// ---- results ----
async function refreshResults() {
  const r = await ask({ type: 'results' });
  $('results').innerHTML = r.results_html;
  $('id-results').innerHTML = r.id_results_html;
  $('figure4-auc').innerHTML = r.figure4_auc_svg;
  $('figure4-pauc').innerHTML = r.figure4_pauc_svg;
  setOptions($('hist-model'), r.models.map((m) => m.name), true, r.models.map((m) => m.label));
  setOptions($('result-type'), r.machine_types);
  hasResults = r.models.length > 0;
  await refreshHistogram(null);
  refreshButtons();
}
async function refreshHistogram(threshold) {
  const model = $('hist-model').value || null;
  const type = $('result-type').value || null;
  const h = await ask({ type: 'histogram', model, machine_type: type, threshold });
  $('roc-plot').innerHTML = h.roc_svg;
  if (h.svg === null) return;
  const slider = $('threshold');
  slider.min = h.min; slider.max = h.max; slider.step = (h.max - h.min) / 1000 || 0.001;
  if (threshold === null) slider.value = h.threshold;
  $('histogram-plot').innerHTML = h.svg;
  const c = h.confusion;
  $('threshold-info').textContent = c
    ? `threshold ${h.threshold.toFixed(4)}${h.default_threshold != null ? ` (model default ${h.default_threshold.toFixed(4)})` : ''}: TPR ${c.tpr.toFixed(3)}, FPR ${c.fpr.toFixed(3)} · TP ${c.tp}, FP ${c.fp}, TN ${c.tn}, FN ${c['fn']}`
    : `threshold ${h.threshold.toFixed(4)}`;
}

// ---- models ----
function showModels(list) {
  models = list;
  const names = list.map((m) => m.name);
  setOptions($('model-select'), names);
  setOptions($('explain-model'), names);
  refreshButtons();
}
async function downloadModel() {
  const name = $('model-select').value;
  const file = await ask({ type: 'model_bytes', name });
  download(`${name}.sonogan`, file.bytes, 'application/octet-stream');
}
async function loadModel(fileName, bytes, origin) {
  const input = { kind: 'model', fileName, bytes, origin };
  try {
    const loaded = await submit(input, false);
    $('model-info').textContent = loaded.info;
    showModels(loaded.models);
    $('model-select').value = loaded.name;
    say(`ready: ${loaded.info.split(':')[0]}`);
  } catch (e) { inputs.remove(input); throw e; }
}
async function uploadModel(input) {
  for (const file of input.files) {
    try { await loadModel(file.name, new Uint8Array(await file.arrayBuffer()), 'loaded from'); } catch (e) { fail(e); }
  }
  input.value = '';
}
async function loadDemoModel() {
  const file = $('demo-model-select').value;
  const response = await fetch(`models/${file}`);
  if (!response.ok) throw new Error(`demo model ${file} is not bundled with this build (HTTP ${response.status})`);
  await loadModel(file, new Uint8Array(await response.arrayBuffer()), 'demo model');
}

// ---- live meter ----
async function meterStart() {
  const model = $('model-select').value;
  if (!model) return fail('train or load a model first (section 5)');
  await ask({ type: 'meter_reset' });
  try {
    await startCapture(async (chunk) => {
      const bytes = sampleBytes(chunk);
      const { reading: r } = await ask({ type: 'meter_push', model, samples: bytes }, { transfer: [bytes.buffer] }).catch((e) => (fail(e), {}));
      if (!r) return;
      $('meter-value').textContent = `${r.score.toFixed(4)} ${r.score > r.threshold ? '⚠ above' : 'below'} threshold ${r.threshold.toFixed(4)}`;
      $('meter-value').className = r.score > r.threshold ? 'meter-value alarm' : 'meter-value';
      $('meter-plot').innerHTML = r.svg;
    });
  } catch (e) { return fail(`the microphone is not available (${e.message || e})`); }
  $('meter-start').disabled = true; $('meter-stop').disabled = false;
  say(`listening with ${model}…`);
}
function meterStop() {
  stopCapture();
  $('meter-start').disabled = false; $('meter-stop').disabled = true;
  say('ready');
}

// ---- backend, restarts, wiring ----
async function chooseBackend() {
  const info = $('backend-info');
  info.textContent = 'choosing…';
  try {
    info.textContent = (await submit({ kind: 'backend', choice: $('backend-select').value })).text;
  } catch (e) {
    info.textContent = `error: ${e.message || e}`;
    fail(e);
  }
}
/** A fresh worker after a fault: replay every input in order, then say what happened. */
async function onRestart(reason, readyEvent) {
  ready = readyEvent;
  const lostDevice = /device.*lost|lost.*device/i.test(reason);
  if (lostDevice) inputs.add({ kind: 'backend', choice: 'cpu' });
  const count = inputs.count();
  say(`the worker stopped (${reason}); restarting it and reloading ${count} inputs…`);
  let last = null;
  for (const input of [...inputs.entries]) {
    const { request, transfer } = await requestFor(input, ready.browser_formats, featurePool);
    last = await client.call(request, transfer);
    if (last.kind === 'data') showData(last);
    if (last.kind === 'model_loaded') showModels(last.models);
    if (last.kind === 'backend') $('backend-info').textContent = last.text;
  }
  if (!inputs.entries.some((e) => e.kind === 'model')) showModels([]);
  const results = hasResults ? '; the results of earlier runs were in the worker: train again to see them' : '';
  training = false; jobs = 0;
  await refreshResults();
  say(`the worker stopped (${reason}); restarted it and reloaded ${count} inputs — nothing was lost${lostDevice ? ' (now on the CPU)' : ''}${results}`);
}
function on(id, event, handler) {
  $(id).addEventListener(event, async (e) => {
    try { await handler(e); } catch (err) { fail(err); }
  });
}
async function main() {
  try {
    ready = await client.start();
  } catch (e) {
    return say(`error: this browser could not start the WebAssembly core (${e.message || e})`);
  }
  // For tools/bench-web, the end-to-end test (crash: the restart hook) and the console.
  window.sonoganApp = {
    benchmark_features: async (clips) => (await ask({ type: 'benchmark_features', clips })).value,
    benchmark_pool: async (bytes, clips) => {
      const all = (n) => mapLimited(Array.from({ length: n }), 2 * featurePool.size, () => featurePool.analyse('bench.wav', bytes));
      await all(2 * featurePool.size); // starts and warms every worker
      const started = performance.now();
      await all(clips);
      return (performance.now() - started) / clips;
    },
    crash: () => client.call({ type: 'crash' }).catch(() => {}),
    setFeatureBudget: async (bytes) => (await ask({ type: 'set_feature_budget', bytes })).value,
    inputs: () => inputs.count(),
    restarts: () => client.restarts,
  };
  showDetectors(ready.detectors);
  setOptions($('synth-type'), ready.builtin_types);
  $('synth-type').value = 'valve';
  setOptions($('demo-model-select'), ready.demo_models);
  on('demo-run', 'click', demoRun);
  on('synth-load', 'click', () => loadBuiltin());
  on('file-input', 'change', async (e) => { await addFiles(filesFromInput(e.target)); e.target.value = ''; });
  on('folder-input', 'change', async (e) => { await addFiles(filesFromInput(e.target)); e.target.value = ''; });
  on('drop-zone', 'drop', onDrop);
  $('drop-zone').addEventListener('dragover', (e) => e.preventDefault());
  on('data-clear', 'click', clearData);
  on('record-start', 'click', recordStart);
  on('record-stop', 'click', recordStop);
  on('clip-select', 'change', showClip);
  on('explain-model', 'change', explainClip);
  on('preset', 'change', applyPreset);
  on('train-start', 'click', async () => { await train(); say('done'); });
  on('train-cancel', 'click', () => ask({ type: 'cancel' }));
  on('hist-model', 'change', () => refreshHistogram(null));
  on('result-type', 'change', () => refreshHistogram(null));
  on('threshold', 'input', (e) => refreshHistogram(Number(e.target.value)));
  on('export-csv', 'click', async () => download('sonogan-scores.csv', (await ask({ type: 'export_csv' })).text, 'text/csv'));
  on('export-json', 'click', async () => download('sonogan-results.json', (await ask({ type: 'export_json' })).text, 'application/json'));
  on('model-select', 'change', async () => { $('model-info').textContent = (await ask({ type: 'model_info', name: $('model-select').value })).text; });
  on('model-download', 'click', downloadModel);
  on('model-upload', 'change', (e) => uploadModel(e.target));
  on('demo-model-load', 'click', loadDemoModel);
  on('meter-start', 'click', meterStart);
  on('meter-stop', 'click', meterStop);
  on('backend-select', 'change', chooseBackend);
  refreshButtons();
  // Measure the backends first (auto), then select the built-in sounds so a visitor can train
  // at once; "ready" means both are done.
  try {
    await applyPreset();
    await chooseBackend();
    await loadBuiltin();
    say('ready');
  } catch (e) { fail(e); }
}
main();
