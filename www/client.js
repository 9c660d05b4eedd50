// The main thread's side of the worker protocol (src/web/messages.rs): one module worker
// (worker.js) owns the Rust core; requests `{id, request}` get one `reply` or `failed` event
// each; `progress`, `model_trained`, `ready` and `fatal` arrive unsolicited. When the worker
// panics (`fatal`), throws (`error`) or dies, the client replaces it and hands the new one to
// `onRestart`, which replays the user's inputs (see inputs.js).

/** Why a request did not get an answer. */
export class WorkerStopped extends Error {}

export class WorkerClient {
  /**
   * `onEvent(event)` receives the unsolicited events; `onRestart(reason, ready)` is awaited after a
   * replacement worker is ready; `onGiveUp(reason)` when it cannot be replaced.
   */
  constructor({ onEvent, onRestart, onGiveUp }) {
    this.onEvent = onEvent;
    this.onRestart = onRestart;
    this.onGiveUp = onGiveUp;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject}
    this.worker = null;
    this.restarting = false;
    this.restarts = 0;
  }

  /** Starts a worker; resolves with its `ready` event. */
  start() {
    return new Promise((resolve, reject) => {
      const worker = new Worker('worker.js', { type: 'module' });
      this.worker = worker;
      let ready = false;
      worker.onmessage = (message) => {
        if (worker !== this.worker) return; // a replaced worker's last words
        const event = message.data;
        if (event.type === 'ready') {
          ready = true;
          resolve(event);
        } else if (event.type === 'fatal' || !ready && event.type === 'failed') {
          if (ready) this.replace(event.message);
          else reject(new Error(event.message || event.error));
        } else this.dispatch(event);
      };
      worker.onerror = (error) => {
        if (worker !== this.worker) return;
        error.preventDefault();
        const reason = error.message || 'the worker stopped';
        if (ready) this.replace(reason);
        else reject(new Error(reason));
      };
    });
  }

  /** Sends one request; resolves with its result or rejects with the worker's error. */
  call(request, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request }, transfer);
    });
  }

  dispatch(event) {
    if (event.type === 'reply' || event.type === 'failed') {
      const waiter = this.pending.get(event.id);
      if (!waiter) return;
      this.pending.delete(event.id);
      if (event.type === 'reply') waiter.resolve(event.result);
      else waiter.reject(new Error(event.error));
    } else {
      this.onEvent(event);
    }
  }

  /** Terminates the worker after a fault, starts a fresh one and lets `onRestart` replay. */
  async replace(reason) {
    if (this.restarting) {
      // It failed again while the inputs were being replayed: stop here rather than loop.
      this.worker.terminate();
      this.worker = null;
      this.failPending(reason);
      return this.onGiveUp(reason);
    }
    this.restarting = true;
    this.restarts += 1;
    this.worker.terminate();
    this.failPending(reason);
    try {
      const ready = await this.start();
      await this.onRestart(reason, ready);
    } catch (error) {
      this.onGiveUp(String(error && error.message ? error.message : error));
    } finally {
      this.restarting = false;
    }
  }

  failPending(reason) {
    for (const { reject } of this.pending.values()) reject(new WorkerStopped(`the worker stopped (${reason})`));
    this.pending.clear();
  }
}
