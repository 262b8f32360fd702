"""`python -m gateway import-org` against a real PostgreSQL: a province's first load from an HR
file, checked first, all or nothing, each bad row named on the console."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import new_database
from runtime.demo_directory import load_demo

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]
FILE = """
departments:
  - {court: "440101", id: 440101-family, display_name: 家事审判庭, kind: civil, vice_president: vice_president.440101}
users:
  - {username: judge.440101.family.1, display_name: 周敏, role: judge, court: "440101", department: 440101-family}
"""


def import_org(url: str, path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateway", "import-org", str(path), *flags],
                          env={**os.environ, "DATABASE_URL": url}, cwd=ROOT, capture_output=True, text=True, timeout=90)


def count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return n


def test_an_hr_file_is_checked_then_imported_from_the_console(postgres, tmp_path):
    url = new_database(postgres, "orgcli")
    load_demo(url, out=tmp_path / "logins.json", seed=1, cases=1, reference=date(2026, 11, 27))
    good = tmp_path / "people.yaml"
    good.write_text(FILE, encoding="utf-8")
    users = "SELECT count(*) FROM gateway.users WHERE username = 'judge.440101.family.1'"

    checked = import_org(url, good, "--validate-only")
    assert checked.returncode == 0 and "可导入: 新增庭室 1" in checked.stderr, checked.stderr
    assert count(url, users) == 0

    bad = tmp_path / "bad.yaml"
    bad.write_text(FILE + '  - {username: x.y, display_name: 乙, role: jugde, court: "440101"}\n', encoding="utf-8")
    refused = import_org(url, bad)
    assert refused.returncode != 0 and "users[1].role" in refused.stderr and "未导入" in refused.stderr
    assert count(url, users) == 0

    done = import_org(url, good)
    assert done.returncode == 0 and "新增用户 1" in done.stderr, done.stderr
    assert count(url, users) == 1
    assert count(url, "SELECT count(*) FROM gateway.outbox WHERE event_type LIKE '%DepartmentChanged' "
                      "AND aggregate_id LIKE '%440101-family'") == 1
