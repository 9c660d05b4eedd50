#!/usr/bin/env python3
"""Prints the path of one artifact of this clone's sonogan package from cargo's JSON messages.

    cargo … --message-format=json-render-diagnostics | python3 tools/cargo_artifact.py cdylib
    cargo … --message-format=json-render-diagnostics | python3 tools/cargo_artifact.py bin sonogan
    cargo … --message-format=json-render-diagnostics | python3 tools/cargo_artifact.py tests

`cdylib`: the library's cdylib .wasm (tools/build-page). `bin NAME`: the executable of binary NAME
(not its unit-test harness), e.g. the `sonogan` CLI that `cargo test --all-targets` built for the
integration tests (tools/test-web runs it instead of building the CLI a second time). `tests`:
every test executable, one per line (tools/build-page compares their times with the cdylib's).

The paths come from the build itself instead of guessing them under the target directory, which
is shared by several clones (CARGO_TARGET_DIR, tools/lib.sh). Only artifacts whose manifest is
this clone's Cargo.toml count. Exits with status 1 unless exactly one artifact matches (`tests`: at least one).
"""

import json
import os
import sys

MANIFEST = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cargo.toml"))


def artifacts(lines):
    for line in lines:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") == "compiler-artifact" and os.path.realpath(message["manifest_path"]) == MANIFEST:
            yield message


def main():
    if sys.argv[1:2] == ["cdylib"] and len(sys.argv) == 2:
        found = [
            f
            for m in artifacts(sys.stdin)
            if "cdylib" in m["target"]["kind"]
            for f in m["filenames"]
            if f.endswith(".wasm")
        ]
    elif sys.argv[1:2] == ["bin"] and len(sys.argv) == 3:
        found = [
            m["executable"]
            for m in artifacts(sys.stdin)
            if m["target"]["kind"] == ["bin"]
            and m["target"]["name"] == sys.argv[2]
            and not m["profile"]["test"]
            and m.get("executable")
        ]
    elif sys.argv[1:] == ["tests"]:
        found = sorted({m["executable"] for m in artifacts(sys.stdin) if m["profile"]["test"] and m.get("executable")})
        if not found:
            sys.exit("cargo_artifact.py: no test executables in cargo's messages")
        print("\n".join(found))
        return
    else:
        sys.exit(__doc__)
    found = sorted(set(found))
    if len(found) != 1:
        sys.exit(f"cargo_artifact.py: expected one {' '.join(sys.argv[1:])} artifact in cargo's messages, found {found}")
    print(found[0])


if __name__ == "__main__":
    main()
