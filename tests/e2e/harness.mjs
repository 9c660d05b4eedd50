// Shared pieces of the end-to-end test: logging, failing with a clear message, polling the page,
// launching the system Chromium (never a downloaded one) and recording what the page does.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const startedAt = Date.now();

/** Seconds since the test started, for log lines. */
export function elapsed() {
  return ((Date.now() - startedAt) / 1000).toFixed(1).padStart(6);
}

/** Prints one line of progress. */
export function log(message) {
  console.log(`[${elapsed()} s] ${message}`);
}

/** An assertion failure of the test (as opposed to a bug in the test itself). */
export class TestFailure extends Error {}

/** Stops the test with `message`. */
export function fail(message) {
  throw new TestFailure(message);
}

/**
 * Calls `probe` every `intervalMs` until it returns a value other than `undefined`, and returns
 * that value; fails with `what` after `timeoutMs`. `probe` may call `fail` to stop early.
 */
export async function poll(what, timeoutMs, probe, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Chromium switches: quiet, offline-minded, fake media devices, no WebGPU switch on purpose. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/**
 * Launches headless Chromium (`$CHROMIUM`, else /usr/bin/chromium) with a fresh profile and
 * returns `{ context, page, close }`; `close()` also deletes the profile. `extraArgs` are added to
 * the browser's command line (the benchmark adds `--enable-unsafe-webgpu`).
 */
export async function launchBrowser({ extraArgs = [] } = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'sonogan-e2e-profile-'));
  // Also removed when the process exits early (e.g. the whole-test watchdog).
  process.once('exit', () => rmSync(userDataDir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    executablePath,
    version: context.browser()?.version() ?? '(persistent context)',
    close: async () => {
      await context.close().catch(() => {});
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records every request of `context` and every console error and uncaught page error of `page`.
 * `throwIfPageError()` fails as soon as the page has thrown; `foreignRequests()` lists URLs whose
 * host is not 127.0.0.1 (data: and blob: URLs are local by nature).
 */
export function recordActivity(context, page) {
  const requests = [];
  const consoleErrors = [];
  const pageErrors = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location()?.url;
      const text = where ? `${message.text()} (${where})` : message.text();
      consoleErrors.push(text);
      log(`console error: ${text}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) log(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    log(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('pageerror', (error) => {
    pageErrors.push(error);
    log(`page error: ${error.stack ?? error}`);
  });
  return {
    requests,
    consoleErrors,
    pageErrors,
    throwIfPageError() {
      if (pageErrors.length > 0) fail(`the page threw an uncaught error: ${pageErrors[0]}`);
    },
    foreignRequests() {
      return requests.filter((url) => !isLocalUrl(url));
    },
  };
}

/** Whether `url` stays on this machine: host 127.0.0.1, or a data:/blob: URL. */
export function isLocalUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname === '127.0.0.1';
}
