// A tiny static file server for the end-to-end test: serves one built directory (tools/build-page's `dist/`)
// on 127.0.0.1 at a free port, with the MIME types a WebAssembly page needs.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Content types by file extension; anything else is served as `application/octet-stream`. */
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
};

/** The content type for a file name, by its extension. */
export function contentType(fileName) {
  return MIME_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path to a file below `root`, or null when it would leave `root` or cannot be
 * decoded. Directories resolve to their `index.html`.
 */
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return resolveFile(root, path.posix.join(urlPath, 'index.html'));
    return info.isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Answers one request: the file's bytes (GET/HEAD), 404 when missing, 405 for other methods. */
async function answer(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { 'Content-Type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  const file = await resolveFile(root, request.url ?? '/');
  if (file === null) {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${request.url}\n`);
    return;
  }
  const body = await readFile(file);
  response.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Serves `root` on 127.0.0.1 at a free port. Resolves to `{ url, close }`, where `url` ends in `/`
 * and `close()` stops the server.
 */
export async function serveDirectory(root) {
  const absoluteRoot = path.resolve(root);
  const server = createServer((request, response) => {
    answer(absoluteRoot, request, response).catch((error) => {
      response.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${error}\n`);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
