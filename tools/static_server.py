#!/usr/bin/env python3
"""Serves one built page folder over HTTP on 127.0.0.1 (tools/serve), standard library only.

    python3 tools/static_server.py [--dir dist] [--address 127.0.0.1] [--port 8080]

WebAssembly needs the right content types: `application/wasm` for .wasm (streaming compilation)
and `text/javascript` for the ES modules; every answer carries `Cache-Control: no-store` so a
rebuilt page is never served stale. Stop with Ctrl-C.
"""

import argparse
import functools
import http.server
import os
import sys

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".wav": "audio/wav",
    ".sonogan": "application/octet-stream",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {"": "application/octet-stream", **CONTENT_TYPES}

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="dist", help="folder to serve (default: dist)")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default: 8080)")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"static_server: {args.dir}/index.html not found (build the page: tools/build-page)")
    handler = functools.partial(Handler, directory=args.dir)
    with http.server.ThreadingHTTPServer((args.address, args.port), handler) as server:
        print(f"serving {args.dir}/ at http://{args.address}:{args.port}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
