"""scripts/audit's verdict on a pip-audit report: a run that audited nothing is never "clean"."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _verdict(tmp_path: Path, report: dict, ignore: str = "") -> subprocess.CompletedProcess[str]:
    (tmp_path / "ignore.toml").write_text(ignore, encoding="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "audit_report.py"), str(tmp_path / "ignore.toml")],
                          input=json.dumps(report), capture_output=True, text=True, timeout=30)


UNREACHABLE = {"dependencies": [
    {"name": "aiohttp", "skip_reason": "Dependency not found on PyPI and could not be audited: aiohttp (3.14.5)"},
    {"name": "grpcio", "skip_reason": "Dependency not found on PyPI and could not be audited: grpcio (1.85.4)"},
]}
VULNERABLE = {"dependencies": [
    {"name": "aiohttp", "version": "3.14.5", "vulns": [
        {"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2026-0001"], "fix_versions": ["3.14.6"]}]},
    {"name": "grpcio", "version": "1.85.4", "vulns": []},
]}


def test_nothing_audited_reads_as_not_audited(tmp_path: Path) -> None:
    result = _verdict(tmp_path, UNREACHABLE)
    assert result.returncode == 2
    assert "未审计：2 / 2 个包未能审计" in result.stdout


def test_one_package_not_audited_is_enough_to_fail(tmp_path: Path) -> None:
    report = {"dependencies": [UNREACHABLE["dependencies"][0], VULNERABLE["dependencies"][1]]}
    assert _verdict(tmp_path, report).returncode == 2


def test_a_vulnerability_is_named_with_its_fix(tmp_path: Path) -> None:
    result = _verdict(tmp_path, VULNERABLE)
    assert result.returncode == 1
    assert "漏洞 GHSA-aaaa-bbbb-cccc：aiohttp 3.14.5（修复版本：3.14.6）" in result.stdout


def test_an_ignored_advisory_by_alias_is_listed_with_its_reason(tmp_path: Path) -> None:
    ignore = '[[ignore]]\nid = "CVE-2026-0001"\npackage = "aiohttp"\nreason = "只影响客户端代理，CourtFlow 未使用"\n'
    result = _verdict(tmp_path, VULNERABLE, ignore)
    assert result.returncode == 0, result.stdout
    assert "已忽略 CVE-2026-0001：只影响客户端代理，CourtFlow 未使用" in result.stdout
    assert "已审计全部 2 个包" in result.stdout


def test_an_ignore_without_a_reason_is_refused(tmp_path: Path) -> None:
    result = _verdict(tmp_path, VULNERABLE, '[[ignore]]\nid = "GHSA-aaaa-bbbb-cccc"\nreason = ""\n')
    assert result.returncode != 0
    assert "每条忽略都要写明理由" in result.stderr


def test_the_projects_ignore_file_is_valid(tmp_path: Path) -> None:
    ignore = (ROOT / "audit-ignore.toml").read_text(encoding="utf-8")
    assert _verdict(tmp_path, {"dependencies": [{"name": "x", "version": "1", "vulns": []}]}, ignore).returncode == 0
