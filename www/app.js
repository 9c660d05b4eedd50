// sonogan page glue: events, file and microphone access, and putting what the Rust core
// (src/web) returns into the DOM. No logic beyond that lives here.
import init, { App } from './sonogan.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
let app = null;
let clipFiles = new Map(); // clip path -> File, for clips whose samples the core dropped

function say(text) { status.textContent = text; }
function fail(error) {
  const text = String(error && error.message ? error.message : error);
  say(text.startsWith('error:') ? text : `error: ${text}`);
  refreshButtons();
}
function setOptions(select, values, keep = true) {
  const old = select.value;
  select.replaceChildren(...values.map((v) => new Option(v, v)));
  if (keep && values.includes(old)) select.value = old;
}
function download(name, data, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url; a.download = name; a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
function refreshButtons() {
  const busy = app && app.busy();
  for (const id of ['demo-run', 'train-start', 'synth-load', 'data-clear']) $(id).disabled = !app || !!busy;
  $('train-cancel').disabled = !busy;
  const models = app ? app.models() : [];
  $('model-download').disabled = models.length === 0;
  const hasResults = app && app.result_models().length > 0;
  $('export-csv').disabled = !hasResults;
  $('export-json').disabled = !hasResults;
}

// ---- data ----
function refreshData() {
  $('data-summary').innerHTML = app.summary_html();
  $('rejected-list').innerHTML = app.rejected_html();
  const hadClip = $('clip-select').value;
  setOptions($('clip-select'), app.clip_paths());
  refreshButtons();
  if (!hadClip && $('clip-select').value) showClip().catch(fail);
}
async function loadBuiltin() {
  const config = {
    types: [$('synth-type').value],
    ids: $('synth-ids').value.split(/[\s,]+/).filter(Boolean),
    train_per_id: Number($('synth-train').value),
    test_normal_per_id: Number($('synth-test').value),
    test_anomaly_per_id: Number($('synth-test').value),
    secs: Number($('synth-secs').value),
    seed: Number($('seed').value) || 0,
  };
  say('making the built-in sounds…');
  const report = await app.load_builtin(config);
  refreshData();
  say(`ready: ${report.added} built-in clips loaded`);
}
async function fileItem(file, path) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!app.needs_browser_decoding(file.name, bytes.subarray(0, 4))) return { path, bytes };
  try {
    const ctx = new OfflineAudioContext(1, 1, 16000);
    const buffer = await ctx.decodeAudioData(bytes.slice().buffer);
    const channels = [];
    for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
    return { path, channels, rate: buffer.sampleRate };
  } catch (e) {
    return { path, error: `this browser cannot decode it (${e.message || e})` };
  }
}
async function addFiles(entries) {
  if (entries.length === 0) return;
  say(`reading ${entries.length} file(s)…`);
  const items = [];
  for (const { file, path } of entries) {
    items.push(await fileItem(file, path));
    clipFiles.set(path, file);
  }
  const report = await app.add_files(items, $('default-type').value);
  refreshData();
  say(`ready: ${report.added} clip(s) added, ${report.rejected} file(s) not used`);
}
function fromInput(input) {
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
async function onDrop(event) {
  event.preventDefault();
  const out = [];
  const roots = [...event.dataTransfer.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (roots.length) for (const root of roots) await walkEntry(root, out);
  else for (const file of event.dataTransfer.files) out.push({ file, path: file.name });
  await addFiles(out);
}

// ---- microphone (recording and the live meter share one 16 kHz capture) ----
let capture = null;
async function startCapture(onChunk) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const ctx = new AudioContext({ sampleRate: 16000 });
  const source = ctx.createMediaStreamSource(stream);
  const node = ctx.createScriptProcessor(4096, 1, 1);
  node.onaudioprocess = (e) => onChunk(new Float32Array(e.inputBuffer.getChannelData(0)));
  source.connect(node); node.connect(ctx.destination);
  capture = { stream, ctx, node };
  return ctx.sampleRate;
}
function stopCapture() {
  if (!capture) return;
  capture.node.disconnect(); capture.stream.getTracks().forEach((t) => t.stop()); capture.ctx.close();
  capture = null;
}
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
function recordStop() {
  stopCapture();
  $('record-start').disabled = false; $('record-stop').disabled = true;
  const total = recorded.reduce((n, c) => n + c.length, 0);
  const samples = new Float32Array(total);
  let at = 0; for (const c of recorded) { samples.set(c, at); at += c.length; }
  try {
    const path = app.add_recording($('default-type').value, $('record-label').value, [samples], recordRate);
    refreshData();
    $('clip-select').value = path; showClip();
    say(`ready: recorded ${path}`);
  } catch (e) { fail(e); }
}

// ---- clip view ----
async function showClip() {
  const path = $('clip-select').value;
  if (!path) return;
  let view = app.clip_view(path, null);
  if (view.needs_file) {
    const file = clipFiles.get(path);
    if (!file) return fail(`${path}: its audio is no longer in memory; add the file again`);
    view = app.clip_view(path, new Uint8Array(await file.arrayBuffer()));
  }
  $('clip-waveform').innerHTML = view.waveform_svg;
  const canvas = $('clip-spectrogram');
  canvas.width = view.width; canvas.height = view.height;
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(view.spectrogram.buffer), view.width, view.height), 0, 0);
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
  const e = await app.explain(path, model);
  const strip = $('clip-strip');
  strip.width = e.width; strip.height = 1;
  strip.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(e.strip), e.width, 1), 0, 0);
  const verdict = e.anomalous ? 'sounds ANOMALOUS' : 'sounds normal';
  const spans = e.spans.slice(0, 5).map(([a, b]) => `${a.toFixed(1)}–${b.toFixed(1)} s`).join(', ');
  $('clip-explain').textContent = `${path}: score ${e.score.toFixed(4)} vs threshold ${e.threshold.toFixed(4)} with ${model} → ${verdict}` + (spans ? `; loudest stretches: ${spans}` : '');
}

// ---- training ----
function applyPreset() {
  const p = app.preset($('preset').value);
  $('epochs').value = p.epochs; $('batch').value = p.batch_size; $('lr').value = '';
  $('lr').placeholder = 'per model';
}
function runOptions() {
  const num = (id) => ($(id).value === '' ? null : Number($(id).value));
  return {
    models: [...document.querySelectorAll('input[name=model]:checked')].map((c) => c.value),
    preset: $('preset').value,
    epochs: num('epochs'), batch_size: num('batch'), learning_rate: num('lr'),
    seed: num('seed') || 0, subset: num('subset'),
  };
}
function onProgress(e) {
  const p = e.progress;
  $('train-progress').value = e.fraction;
  const losses = p.losses.map(([n, v]) => `${n} ${v.toPrecision(4)}`).join(' · ');
  $('train-info').textContent = `${e.machine_type} · ${e.model} (${e.job + 1}/${e.jobs}): epoch ${p.epoch}/${p.epochs}, ${Math.round(p.vectors_per_second)} vectors/s, ETA ${Math.ceil(p.eta_seconds)} s · ${losses}`;
  $('loss-plot').innerHTML = app.loss_svg();
  say(`training ${e.model} on ${e.machine_type}… ${Math.round(e.fraction * 100)} %`);
}
function onModel() {
  refreshModels();
  refreshResults();
}
async function train() {
  const options = runOptions();
  refreshButtons();
  const started = performance.now();
  const run = app.train(options, onProgress, onModel);
  refreshButtons();
  try {
    await run;
  } finally {
    refreshButtons();
  }
  $('train-progress').value = 1;
  $('train-info').textContent += ` — finished in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  refreshResults();
}
async function demoRun() {
  try {
    $('preset').value = 'quick'; applyPreset();
    for (const c of document.querySelectorAll('input[name=model]')) c.checked = true;
    say('making the built-in sounds…');
    await app.clear_data();
    await app.load_builtin(app.demo_data());
    refreshData();
    await train();
    say('done');
  } catch (e) { fail(e); }
}

// ---- results ----
function refreshResults() {
  $('results').innerHTML = app.results_html();
  $('id-results').innerHTML = app.id_results_html();
  setOptions($('hist-model'), app.result_models());
  setOptions($('result-type'), app.result_types());
  refreshHistogram(null);
  refreshButtons();
}
function refreshHistogram(threshold) {
  const model = $('hist-model').value;
  const type = $('result-type').value;
  if (!model || !type) { $('roc-plot').innerHTML = app.roc_svg(type || '', null, null); return; }
  const h = app.histogram(model, type, threshold);
  const slider = $('threshold');
  slider.min = h.min; slider.max = h.max; slider.step = (h.max - h.min) / 1000 || 0.001;
  if (threshold === null) slider.value = h.threshold;
  $('histogram-plot').innerHTML = h.svg;
  const c = h.confusion;
  $('threshold-info').textContent = c
    ? `threshold ${h.threshold.toFixed(4)}${h.default_threshold != null ? ` (model default ${h.default_threshold.toFixed(4)})` : ''}: TPR ${c.tpr.toFixed(3)}, FPR ${c.fpr.toFixed(3)} · TP ${c.tp}, FP ${c.fp}, TN ${c.tn}, FN ${c['fn']}`
    : `threshold ${h.threshold.toFixed(4)}`;
  $('roc-plot').innerHTML = app.roc_svg(type, model, h.threshold);
}

// ---- models ----
function refreshModels() {
  const names = app.models().map((m) => m.name);
  setOptions($('model-select'), names);
  setOptions($('explain-model'), names);
  refreshButtons();
}
async function downloadModel() {
  const name = $('model-select').value;
  const bytes = await app.model_bytes(name);
  download(`${name}.sonogan`, bytes, 'application/octet-stream');
}
async function uploadModel(input) {
  for (const file of input.files) {
    try {
      const info = app.load_model(file.name, new Uint8Array(await file.arrayBuffer()), 'loaded from');
      $('model-info').textContent = info;
      refreshModels();
      $('model-select').value = file.name.replace(/\.sonogan$/, '');
      say(`ready: ${info.split(':')[0]}`);
    } catch (e) { fail(e); }
  }
  input.value = '';
}
async function loadDemoModel() {
  const file = $('demo-model-select').value;
  const response = await fetch(`models/${file}`);
  if (!response.ok) throw new Error(`demo model ${file} is not bundled with this build (HTTP ${response.status})`);
  const info = app.load_model(file, new Uint8Array(await response.arrayBuffer()), 'demo model');
  $('model-info').textContent = info;
  refreshModels();
  say(`ready: ${info.split(':')[0]}`);
}

// ---- live meter ----
async function meterStart() {
  const model = $('model-select').value;
  if (!model) return fail('train or load a model first (section 5)');
  app.meter_reset();
  try {
    await startCapture(async (chunk) => {
      const r = await app.meter_push(model, chunk);
      if (r) {
        $('meter-value').textContent = `${r.score.toFixed(4)} ${r.score > r.threshold ? '⚠ above' : 'below'} threshold ${r.threshold.toFixed(4)}`;
        $('meter-value').className = r.score > r.threshold ? 'meter-value alarm' : 'meter-value';
        $('meter-plot').innerHTML = app.meter_svg(model);
      }
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

// ---- wiring ----
function on(id, event, handler) {
  $(id).addEventListener(event, async (e) => {
    try { await handler(e); } catch (err) { fail(err); }
  });
}
async function main() {
  try {
    await init();
    app = new App();
    window.sonoganApp = app; // for tools/bench-web and debugging in the console
    app.set_panic_reporter((message) => say(`error: ${message} — reload the page to continue`));
  } catch (e) {
    return say(`error: this browser could not start the WebAssembly core (${e.message || e})`);
  }
  setOptions($('synth-type'), app.builtin_types());
  $('synth-type').value = 'valve';
  setOptions($('demo-model-select'), app.demo_model_files());
  applyPreset();
  on('demo-run', 'click', demoRun);
  on('synth-load', 'click', loadBuiltin);
  on('file-input', 'change', async (e) => { await addFiles(fromInput(e.target)); e.target.value = ''; });
  on('folder-input', 'change', async (e) => { await addFiles(fromInput(e.target)); e.target.value = ''; });
  on('drop-zone', 'drop', onDrop);
  $('drop-zone').addEventListener('dragover', (e) => e.preventDefault());
  on('data-clear', 'click', () => { app.clear_data(); clipFiles = new Map(); refreshData(); refreshResults(); });
  on('record-start', 'click', recordStart);
  on('record-stop', 'click', recordStop);
  on('clip-select', 'change', showClip);
  on('explain-model', 'change', explainClip);
  on('preset', 'change', applyPreset);
  on('train-start', 'click', async () => { await train(); say('done'); });
  on('train-cancel', 'click', () => app.cancel());
  on('hist-model', 'change', () => refreshHistogram(null));
  on('result-type', 'change', () => refreshHistogram(null));
  on('threshold', 'input', (e) => refreshHistogram(Number(e.target.value)));
  on('export-csv', 'click', () => download('sonogan-scores.csv', app.export_csv(), 'text/csv'));
  on('export-json', 'click', () => download('sonogan-results.json', app.export_json(), 'application/json'));
  on('model-select', 'change', () => { $('model-info').textContent = app.model_info($('model-select').value); });
  on('model-download', 'click', downloadModel);
  on('model-upload', 'change', (e) => uploadModel(e.target));
  on('demo-model-load', 'click', loadDemoModel);
  on('meter-start', 'click', meterStart);
  on('meter-stop', 'click', meterStop);
  on('backend-select', 'change', chooseBackend);
  refreshButtons();
  // Measure the backends first (auto), then select the built-in sounds so a visitor can train
  // at once; "ready" means both are done.
  await chooseBackend();
  try {
    await loadBuiltin();
    say('ready');
  } catch (e) { fail(e); }
}
async function chooseBackend() {
  const info = $('backend-info');
  info.textContent = 'choosing…';
  try {
    info.textContent = await app.set_backend($('backend-select').value);
  } catch (e) {
    info.textContent = `error: ${e}`;
    fail(e);
  }
  refreshButtons();
}
main();
