"""The lock is the install: uv.lock agrees with pyproject.toml, and the generated code with it.

scripts/setup installs with `uv sync --locked`, which refuses a lock that no longer matches
pyproject.toml. These tests make that visible in the suite, and show the check is not vacuous:
a dependency added to pyproject.toml without refreshing the lock is caught.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import os
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "uv" / "bin" / "uv"


def _lock_check(project: Path) -> subprocess.CompletedProcess[str]:
    # A lock that matches is confirmed from the two files; one that does not is resolved anew
    # (with the registry, as scripts/setup reaches it) to tell what changed, and refused.
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_SYSTEM_CERTS": "1"}
    return subprocess.run([str(UV), "lock", "--check", "--python", sys.executable, "--project", str(project)],
                          capture_output=True, text=True, timeout=120, env=env)


def test_uv_is_the_version_the_project_requires() -> None:
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["required-version"]
    pinned = re.search(r"^uv==([0-9.]+)", (ROOT / "scripts" / "uv-requirements.txt").read_text(), re.M)
    assert pinned and required == f"=={pinned.group(1)}"
    assert subprocess.run([str(UV), "--version"], capture_output=True, text=True,
                          check=True).stdout.split()[1] == pinned.group(1)


def test_the_lock_matches_pyproject(tmp_path: Path) -> None:
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    result = _lock_check(tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_dependency_missing_from_the_lock_is_caught(tmp_path: Path) -> None:
    shutil.copy(ROOT / "uv.lock", tmp_path / "uv.lock")
    pyproject = (ROOT / "pyproject.toml").read_text()
    # idna is in the lock only as a dependency of others; naming it directly changes the lock
    changed = pyproject.replace('dependencies = [\n', 'dependencies = [\n  "idna>=3",\n', 1)
    assert changed != pyproject
    (tmp_path / "pyproject.toml").write_text(changed)
    result = _lock_check(tmp_path)
    assert result.returncode != 0
    assert "needs to be updated" in result.stderr


def test_generated_code_comes_from_the_locked_grpcio_tools() -> None:
    """gen/python says which grpcio-tools wrote it; that must be the locked one (scripts/lock
    regenerates gen/python whenever it refreshes the lock)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"]}
    stamps = set()
    for path in (ROOT / "gen" / "python" / "courtflow").rglob("*_pb2_grpc.py"):
        match = re.search(r"^GRPC_GENERATED_VERSION = '([^']+)'", path.read_text(), re.M)
        assert match, path
        stamps.add(match.group(1))
    assert stamps == {locked["grpcio-tools"]}
