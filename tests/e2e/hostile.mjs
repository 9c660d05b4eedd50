// The page under hostile input (e2e step k): a corpus of malformed and unusual files, built here
// byte by byte (no sample files), fed through the page's `file-input` in one drop, and a damaged
// model file fed through `model-upload`. Every bare file lands as `<default type>/test/<name>`.
//
// Corpus (file → what the page must do; the expected substring of its reason in `rejected-list`):
//
//   hostile-empty.wav          0 bytes                           → "truncated RIFF header"
//   hostile-notes.txt          plain text                        → "not a RIFF/WAVE file"
//   hostile-cut-header.wav     fmt chunk cut after 6 bytes        → 'truncated "fmt " chunk'
//   hostile-cut-data.wav       data chunk declares 32000, has 1000 → "declares 32000 bytes but the file holds only 1000"
//   hostile-zero-rate.wav      sample rate 0                     → "sample rate 0 Hz is outside the accepted range"
//   hostile-nan.wav            float32 with NaN at frame 100     → "non-finite sample (NaN or infinity) at frame 100"
//   hostile-one-sample.wav     a 1-sample clip                   → "too short for one feature vector: 1 samples"
//   hostile-song.wav           mp3 bytes (ID3 + MPEG frame) named .wav → 'not a RIFF/WAVE file: it starts with "ID3'
//   hostile-garbage.mp3        random bytes named .mp3 (decodeAudioData on the main thread) → "this browser cannot decode it"
//   hostile-model.sonogan      a model file's magic + garbage    → 'not a RIFF/WAVE file: it starts with "SONOGAN'
//   hostile-huge.wav           header claims 4 GiB of data       → "declares 4294967280 bytes"
//   hostile-65535ch.wav        65535 channels of 8-bit, 3 frames → "too short for one feature vector: 3 samples"
//   hostile-zero-channels.wav  channel count 0                   → "no audio channels"
//   hostile-adpcm.wav          format tag 2 (Microsoft ADPCM)    → "unsupported format tag 0x0002 (Microsoft ADPCM)"
//   normal_id_06_00000001.wav  8-channel WAVE_FORMAT_EXTENSIBLE, 16-bit, 1 s → loads
//   normal_id_06_00000002.wav  24-bit PCM, 1 s                   → loads
//   normal_id_06_00000003.wav  8 kHz, 1 s                        → loads, resampled (32 spectrogram frames, as 1 s at 16 kHz)
//
// Checks: every rejected file is listed with its reason, the three valid clips load (clip list,
// summary row id_06 with 3 test normal clips, total +3), every row loaded before is unchanged, the
// resampled clip can be looked at, and a half-length copy of a real model file is refused by
// `model-upload` ("the model file is truncated") with the models loaded before still there. The
// worker restart step that follows replays this drop too (same summary and rejected list).
// Last (step l), a drop of three 1-s clips with the memory budget (test hook) set to room for one.
import { fail, log, poll } from './harness.mjs';
import { toneSamples } from './wav.mjs';

const SECOND = 1000;
/** The ID of the corpus's valid clips (no earlier step uses it). */
const VALID_ID = 'id_06';

/** Little-endian sample writers by `bits` (integer PCM) or `float` (IEEE). */
const WRITERS = {
  8: (buf, at, v) => buf.writeUInt8(Math.round(Math.max(-1, Math.min(1, v)) * 127) + 128, at),
  16: (buf, at, v) => buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), at),
  24: (buf, at, v) => buf.writeIntLE(Math.round(Math.max(-1, Math.min(1, v)) * 8388607), at, 3),
  float: (buf, at, v) => buf.writeFloatLE(v, at),
};

/**
 * A RIFF/WAVE file: `fmt ` (plain, or WAVE_FORMAT_EXTENSIBLE when `extensible`) and `data` with
 * `frames` frames of `channels` × `bits` samples `sample(frame, channel)` in [-1, 1]. The header
 * fields can be forced to lie: `blockAlign`, `declaredData` (the data chunk's size field).
 */
export function wavFile({ tag = 1, channels = 1, rate = 16000, bits = 16, frames, sample = () => 0,
  extensible = false, blockAlign, declaredData }) {
  const width = bits / 8;
  const align = blockAlign ?? (channels * width) % 65536;
  const fmtSize = extensible ? 40 : 16;
  const dataBytes = frames * channels * width;
  const wav = Buffer.alloc(12 + 8 + fmtSize + 8 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(Math.min(0xffffffff, 4 + 8 + fmtSize + 8 + (declaredData ?? dataBytes)), 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(fmtSize, 16);
  wav.writeUInt16LE(extensible ? 0xfffe : tag, 20);
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE((rate * channels * width) >>> 0, 28);
  wav.writeUInt16LE(align, 32);
  wav.writeUInt16LE(bits, 34);
  if (extensible) {
    wav.writeUInt16LE(22, 36); // cbSize
    wav.writeUInt16LE(bits, 38); // valid bits
    wav.writeUInt32LE(0, 40); // channel mask
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag, then 0000-0010-8000-00AA00389B71.
    wav.writeUInt16LE(tag, 44);
    Buffer.from([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]).copy(wav, 46);
  }
  const data = 20 + fmtSize;
  wav.write('data', data, 'ascii');
  wav.writeUInt32LE(declaredData ?? dataBytes, data + 4);
  const write = WRITERS[tag === 3 ? 'float' : bits];
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < channels; c++) write(wav, data + 8 + (f * channels + c) * width, sample(f, c));
  }
  return wav;
}

/** `frames` of a tone at `rate` (the e2e test's machine-like clip, see wav.mjs) as a sample function. */
function tone(frames, rate) {
  const samples = toneSamples(frames / rate, rate);
  return (f) => samples[f] / 32768;
}

/** Deterministic bytes in [0, 255]. */
function garbage(length, seed = 5) {
  let state = seed;
  return Buffer.from(Array.from({ length }, () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24));
}

/** The corpus: `{ name, bytes, expect }` (a rejected file and its reason) or `{ name, bytes, valid }`. */
export function hostileCorpus() {
  const clip = wavFile({ frames: 16000, sample: tone(16000, 16000) });
  const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
    Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)]);
  return [
    { name: 'hostile-empty.wav', bytes: Buffer.alloc(0), expect: 'truncated RIFF header' },
    { name: 'hostile-notes.txt', bytes: Buffer.from('sonogan e2e: this is not audio\n'.repeat(20)), expect: 'not a RIFF/WAVE file' },
    { name: 'hostile-cut-header.wav', bytes: clip.subarray(0, 26), expect: 'truncated "fmt " chunk' },
    { name: 'hostile-cut-data.wav', bytes: clip.subarray(0, 44 + 1000), expect: 'declares 32000 bytes but the file holds only 1000' },
    { name: 'hostile-zero-rate.wav', bytes: wavFile({ rate: 0, frames: 4000 }), expect: 'sample rate 0 Hz is outside the accepted range' },
    { name: 'hostile-nan.wav', bytes: wavFile({ tag: 3, bits: 32, frames: 16000, sample: (f) => (f === 100 ? NaN : 0.1) }),
      expect: 'non-finite sample (NaN or infinity) at frame 100' },
    { name: 'hostile-one-sample.wav', bytes: wavFile({ frames: 1, sample: () => 0.5 }), expect: 'too short for one feature vector: 1 samples' },
    { name: 'hostile-song.wav', bytes: mp3, expect: 'not a RIFF/WAVE file: it starts with "ID3' },
    { name: 'hostile-garbage.mp3', bytes: garbage(2000), expect: 'this browser cannot decode it' },
    { name: 'hostile-model.sonogan', bytes: Buffer.concat([Buffer.from('SONOGAN\0', 'latin1'), garbage(500)]),
      expect: 'not a RIFF/WAVE file: it starts with "SONOGAN' },
    { name: 'hostile-huge.wav', bytes: wavFile({ frames: 100, declaredData: 0xfffffff0 }), expect: 'declares 4294967280 bytes' },
    { name: 'hostile-65535ch.wav', bytes: wavFile({ channels: 65535, bits: 8, frames: 3, sample: (f, c) => ((c % 7) - 3) / 4 }),
      expect: 'too short for one feature vector: 3 samples' },
    { name: 'hostile-zero-channels.wav', bytes: wavFile({ channels: 0, frames: 100 }), expect: 'no audio channels' },
    { name: 'hostile-adpcm.wav', bytes: wavFile({ tag: 2, bits: 16, frames: 100 }), expect: 'unsupported format tag 0x0002 (Microsoft ADPCM)' },
    { name: `normal_${VALID_ID}_00000001.wav`, valid: '8-channel WAVE_FORMAT_EXTENSIBLE',
      bytes: wavFile({ channels: 8, extensible: true, frames: 16000, sample: tone(16000, 16000) }) },
    { name: `normal_${VALID_ID}_00000002.wav`, valid: '24-bit PCM', bytes: wavFile({ bits: 24, frames: 16000, sample: tone(16000, 16000) }) },
    { name: `normal_${VALID_ID}_00000003.wav`, valid: '8 kHz', frames: 32, bytes: wavFile({ rate: 8000, frames: 8000, sample: tone(8000, 8000) }) },
  ];
}

/** The trimmed text of the element with `data-testid` `id` ('' when absent). */
async function textOf(page, id) {
  return page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? '', `[data-testid="${id}"]`);
}

/** The data summary as `{ total, rows }`: clip total and `type/id` → the row's counts. */
async function summaryCounts(page) {
  const rows = await page.$$eval('[data-testid="data-summary"] tr[data-type]', (trs) =>
    trs.map((tr) => [`${tr.dataset.type}/${tr.dataset.id}`, [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent.trim()).join(' ')]));
  const total = Number(((await textOf(page, 'data-summary')).match(/^(\d+) clips/) ?? [])[1]);
  return { total, rows: new Map(rows) };
}

/** Step k: drops the corpus on `file-input`; checks reasons, valid clips and what was loaded before. */
export async function uploadHostileFiles(page, activity) {
  const corpus = hostileCorpus();
  const type = await page.$eval('#default-type', (input) => input.value);
  const before = await summaryCounts(page);
  const started = Date.now();
  await page.setInputFiles('[data-testid="file-input"]', corpus.map(({ name, bytes }) => ({ name, mimeType: 'application/octet-stream', buffer: bytes })));
  log(`dropped ${corpus.length} hostile files (${corpus.filter((f) => f.valid).length} valid)`);
  const rejected = corpus.filter((f) => !f.valid);
  const valid = corpus.filter((f) => f.valid);
  const items = await poll('the page to list every hostile file', 2 * 60 * SECOND, async () => {
    activity.throwIfPageError();
    const status = await textOf(page, 'status');
    if (status.startsWith('error:')) fail(`the hostile drop ended in an error status: "${status}"`);
    if (!/clip\(s\) added/.test(status)) return undefined;
    const list = await page.$$eval('[data-testid="rejected-list"] li', (lis) => lis.map((li) => li.textContent.trim()));
    return rejected.every((f) => list.some((item) => item.includes(`/${f.name}`))) ? list : undefined;
  });
  const status = await textOf(page, 'status');
  log(`hostile drop handled in ${((Date.now() - started) / SECOND).toFixed(1)} s: ${status}`);
  if (!status.includes(`${valid.length} clip(s) added, ${rejected.length} file(s) not used`)) fail(`the status does not count ${valid.length} added and ${rejected.length} refused files: "${status}"`);
  for (const f of rejected) {
    const item = items.find((text) => text.includes(`/${f.name}`));
    if (!item.includes(f.expect)) fail(`${f.name}: expected the reason to contain "${f.expect}", got "${item}"`);
    log(`  rejected ${f.name}: ${item.slice(item.indexOf(' — ') + 3)}`);
  }
  const clips = await page.$$eval('#clip-select option', (options) => options.map((o) => o.value));
  for (const f of valid) {
    const path = `${type}/test/${f.name}`;
    if (!clips.includes(path)) fail(`the valid ${f.valid} clip ${f.name} did not load`);
    if (items.some((text) => text.includes(`/${f.name}`))) fail(`the valid ${f.valid} clip ${f.name} is listed as rejected`);
    log(`  loaded ${f.name} (${f.valid})`);
  }
  const after = await summaryCounts(page);
  const fresh = `${type}/${VALID_ID}`;
  if (after.total !== before.total + valid.length) fail(`the summary counts ${after.total} clips, expected ${before.total} + ${valid.length}`);
  if (after.rows.get(fresh) !== `0 ${valid.length} 0 0`) fail(`summary row ${fresh} is "${after.rows.get(fresh)}", expected 0 ${valid.length} 0 0`);
  for (const [key, counts] of before.rows) {
    if (after.rows.get(key) !== counts) fail(`summary row ${key} changed from "${counts}" to "${after.rows.get(key)}": something loaded before was lost`);
  }
  log(`summary: ${before.total} → ${after.total} clips, ${before.rows.size} earlier rows unchanged`);
  await lookAtClip(page, activity, `${type}/test/${valid.find((f) => f.frames).name}`, valid.find((f) => f.frames).frames);
}

/** The page still answers: clip `path` is drawn with `frames` spectrogram columns. */
async function lookAtClip(page, activity, path, frames) {
  await page.selectOption('#clip-select', path);
  const width = await poll(`the clip view of ${path}`, 30 * SECOND, async () => {
    activity.throwIfPageError();
    const shown = (await page.$eval('#clip-explain', (p) => p.textContent)).startsWith(`${path}:`);
    return shown ? page.$eval('#clip-spectrogram', (canvas) => canvas.width) : undefined;
  });
  if (width !== frames) fail(`${path}: the spectrogram has ${width} frames, expected ${frames} (resampled to 16 kHz)`);
  // With a model (the demo trained some), the clip is also scored against its threshold.
  if (await page.$eval('#explain-model', (select) => select.value !== '')) {
    await poll(`a score of ${path}`, 30 * SECOND, async () => {
      activity.throwIfPageError();
      const status = await textOf(page, 'status');
      if (status.startsWith('error:')) fail(`looking at ${path} failed: "${status}"`);
      return (await page.$eval('#clip-explain', (p) => p.textContent)).includes('score') ? true : undefined;
    });
  }
  log(`clip view of ${path}: ${width} frames, ${await page.$eval('#clip-explain', (p) => p.textContent)}`);
}

/** Step k, models: half of the real model file `bytes` is refused; the models loaded before stay. */
export async function uploadDamagedModel(page, activity, bytes) {
  const name = 'hostile-half.sonogan';
  const modelsBefore = await page.$$eval('#model-select option', (options) => options.map((o) => o.value));
  await page.setInputFiles('[data-testid="model-upload"]', { name, mimeType: 'application/octet-stream', buffer: bytes.subarray(0, bytes.length >> 1) });
  const status = await poll(`an error status naming ${name}`, 60 * SECOND, async () => {
    activity.throwIfPageError();
    const text = await textOf(page, 'status');
    return text.startsWith('error:') && text.includes(name) ? text : undefined;
  });
  if (!status.includes('the model file is truncated')) fail(`${name}: expected "the model file is truncated", got "${status}"`);
  const models = await page.$$eval('#model-select option', (options) => options.map((o) => o.value));
  if (models.join() !== modelsBefore.join()) fail(`the models changed after ${name}: [${modelsBefore}] → [${models}]`);
  log(`damaged model refused: ${status}`);
}

/**
 * Step l: a drop beyond the memory budget. The budget (test hook) is set to what the page holds
 * plus room for one 1-s clip; of three 1-s clips one loads and two are refused, the status says
 * the budget and the counts, and every row loaded before is unchanged. The default budget is
 * restored afterwards.
 */
export async function dropBeyondBudget(page, activity) {
  const type = await page.$eval('#default-type', (input) => input.value);
  const held = await page.evaluate(() => window.sonoganApp.setFeatureBudget(2 ** 30));
  // 1 s at 16 kHz: 32 frames × 128 bands × 4 bytes.
  await page.evaluate((bytes) => window.sonoganApp.setFeatureBudget(bytes), held + 32 * 128 * 4);
  const before = await summaryCounts(page);
  const names = [1, 2, 3].map((i) => `normal_id_05_0000000${i}.wav`);
  const clip = wavFile({ frames: 16000, sample: tone(16000, 16000) });
  await page.setInputFiles('[data-testid="file-input"]', names.map((name) => ({ name, mimeType: 'audio/wav', buffer: clip })));
  const status = await poll('the status to report the memory budget', 60 * SECOND, async () => {
    activity.throwIfPageError();
    const text = await textOf(page, 'status');
    if (text.startsWith('error:')) fail(`the drop beyond the budget ended in an error status: "${text}"`);
    return text.includes('memory budget reached') ? text : undefined;
  });
  log(`status: ${status}`);
  for (const part of ['1 clip(s) added, 2 file(s) not used', 'of log-Mel features', 'kept 1 file(s), refused 2 beyond the budget', 'nothing loaded before was lost']) {
    if (!status.includes(part)) fail(`the budget status lacks "${part}": "${status}"`);
  }
  const after = await summaryCounts(page);
  if (after.total !== before.total + 1) fail(`the summary counts ${after.total} clips after the budget drop, expected ${before.total} + 1`);
  if (after.rows.get(`${type}/id_05`) !== '0 1 0 0') fail(`summary row ${type}/id_05 is "${after.rows.get(`${type}/id_05`)}", expected 0 1 0 0`);
  for (const [key, counts] of before.rows) {
    if (after.rows.get(key) !== counts) fail(`summary row ${key} changed from "${counts}" to "${after.rows.get(key)}" in the budget drop`);
  }
  const refused = await page.$$eval('[data-testid="rejected-list"] li', (lis) => lis.map((li) => li.textContent).filter((t) => t.includes('memory budget')));
  if (refused.length !== 2) fail(`expected 2 files listed as beyond the memory budget, got ${refused.length}`);
  await page.evaluate(() => window.sonoganApp.setFeatureBudget(2 ** 30));
  log(`budget drop ok: ${before.total} → ${after.total} clips; refused: ${refused.map((t) => t.split(' — ')[0]).join(', ')}`);
}
