"""The short soak of issue 16 (bench/chaos.py with a fixed seed): about two minutes of load on the
whole system while each kind of fault strikes once (6–9 s apart) — a service killed with -9, a service paused,
the SMS log's disk full, NATS killed with -9, PostgreSQL shut down at once — then, drained,
`courtflow verify`'s checks find nothing, no event is dead-lettered, every request a client saw
succeed is stored exactly once, and nothing failed with INTERNAL. A regression in recovery fails
the build here; the ten-minute soak is run by hand (README, Benchmarks)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"kill_service", "pause_service", "disk_full", "kill_nats", "postgres_immediate"}

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def test_every_kind_of_fault_under_load_loses_and_doubles_nothing():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "chaos.py"), "--minutes", "1.75", "--seed", "3",
                          "--clients", "4", "--gap", "6", "9"],
                         capture_output=True, text=True, timeout=540, cwd=ROOT, env=_without_external_servers())
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout)
    assert set(result["faults_injected"]) == KINDS, result["faults"]
    assert result["requests"]["succeeded"] > 100, result["requests"]
    failed = {k: n for k, n in result["requests"]["by_operation"].items() if ":failed:" in k}
    assert not {k: n for k, n in failed.items() if k.endswith(("INTERNAL", "UNKNOWN"))}, failed
    assert result["verify"] == {**result["verify"], "findings": 0, "dead_letters": 0}, result["verify"]
    assert not any(result["stored_exactly_once"].values()), result["stored_exactly_once"]
    assert result["clean"]
    # A clean soak removes its database, NATS store and logs: it once left a gigabyte in /tmp on every CI run.
    assert not Path(result["work"]).exists(), result["work"]


def _without_external_servers() -> dict:
    """The soak starts its own PostgreSQL and NATS, so that it can kill them."""
    import os
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
