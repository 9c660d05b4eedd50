// Feature workers (www/feature-worker.js), one per core up to four, started on first use: they
// read dropped WAV files in parallel and hand back 16 kHz samples and log-Mel spectrograms for
// the session worker. A file they cannot read, or any failure of theirs, yields `null`: the
// session worker then reads that file itself and reports why it is unusable, so the pool only
// ever makes loading faster.

/** Files per drop below which the pool is not worth starting (each worker loads the wasm). */
export const POOL_MIN_FILES = 4;

export class FeaturePool {
  constructor(size = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1))) {
    this.size = size;
    this.workers = [];
    this.next = 0;
    this.lastId = 0;
    this.pending = new Map(); // id -> { resolve, worker }
    this.broken = false;
  }

  /** Starts the workers once. */
  start() {
    if (this.workers.length || this.broken) return;
    try {
      for (let i = 0; i < this.size; i++) {
        const worker = new Worker('feature-worker.js', { type: 'module' });
        worker.onmessage = ({ data }) => this.settle(data);
        worker.onerror = () => this.fail();
        this.workers.push(worker);
      }
    } catch (_) {
      this.fail();
    }
  }

  settle(data) {
    const job = this.pending.get(data.id);
    if (!job) return;
    this.pending.delete(data.id);
    job.resolve(data.error ? null : data);
  }

  /** A failed worker stops the pool: every waiting file falls back to the session worker. */
  fail() {
    this.broken = true;
    for (const job of this.pending.values()) job.resolve(null);
    this.pending.clear();
    for (const worker of this.workers) worker.terminate();
    this.workers = [];
  }

  /** `{samples, log_mel}` (Float32Array bytes) of the WAV `bytes` (a copy is sent), or null. */
  analyse(name, bytes) {
    this.start();
    if (this.broken) return Promise.resolve(null);
    const worker = this.workers[this.next++ % this.workers.length];
    const id = ++this.lastId;
    const copy = bytes.slice();
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, worker });
      worker.postMessage({ id, name, bytes: copy }, [copy.buffer]);
    });
  }
}

/** `fn` over `items` with at most `limit` calls in flight, results in order. */
export async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
