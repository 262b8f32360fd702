"""Lint the protos with buf (STANDARD rules, see buf.yaml) without BSR access.

buf cannot download buf.build/googleapis or buf.build/bufbuild/protovalidate here, so
instead of linting the source tree this compiles the protos with protoc
(scripts/gen_protos.py --image) into a FileDescriptorSet that carries every import
plus source info, and runs `buf lint <image> --config buf.yaml` on it. buf.yaml's
lint.ignore keeps google/* and buf/* (the imports) out of the report.

buf comes from npm, pinned in tools/package.json: npm ci --prefix tools

Usage: python scripts/buf_lint.py [--protos DIR] [--config FILE] [-- BUF_LINT_ARGS...]
  --protos  proto root to lint (default protos/); tests point it at a temp tree
  --config  buf.yaml to use (default buf.yaml at the repo root)
  anything after the options (e.g. --error-format json) is passed on to `buf lint`

Exit status and output are buf's (0 clean, 100 lint findings, 1 buf error); 2 if the
image cannot be built, 127 if buf is not installed.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUF = ROOT / "tools" / "node_modules" / ".bin" / ("buf.cmd" if os.name == "nt" else "buf")
GEN_PROTOS = ROOT / "scripts" / "gen_protos.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protos", type=Path, default=ROOT / "protos")
    parser.add_argument("--config", type=Path, default=ROOT / "buf.yaml")
    ns, buf_args = parser.parse_known_args(argv)
    if buf_args[:1] == ["--"]:
        buf_args = buf_args[1:]

    if not BUF.exists():
        print(f"buf_lint: {BUF.relative_to(ROOT)} not found; install the pinned buf with:\n"
              f"    npm ci --prefix tools", file=sys.stderr)
        return 127
    if not ns.config.is_file():
        print(f"buf_lint: config {ns.config} not found", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="buf-lint-") as tmp:
        image = Path(tmp) / "image.binpb"
        gen = subprocess.run(
            [sys.executable, str(GEN_PROTOS), "--protos", str(ns.protos.resolve()),
             "--out", str(Path(tmp) / "out"), "--image", str(image)],
            cwd=tmp,
        )
        if gen.returncode != 0 or not image.is_file():
            print(f"buf_lint: building the image from {ns.protos} failed", file=sys.stderr)
            return 2
        # cwd=tmp so that buf never picks up a buf.yaml/buf.work.yaml on its own;
        # the config is always the explicit --config.
        return subprocess.run(
            [str(BUF), "lint", str(image), "--config", str(ns.config.resolve()), *buf_args],
            cwd=tmp,
        ).returncode


if __name__ == "__main__":
    sys.exit(main())
