"""Start-up is bounded and can be stopped (issue 20, item 8): a NATS URL on a closed port, or a
PostgreSQL that accepts connections and never answers, ends start-up within its deadline with one
line naming the setting, instead of a traceback a second for ever; SIGTERM while waiting stops it
at once."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import new_database
from runtime.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]


def service(database_url: str, nats_url: str, *args: str, timeout: float = 3) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "COURTFLOW_INTERNAL_KEY": "k" * 32,
           "STATS_GRPC_PORT": str(free_port()), "STATS_METRICS_PORT": str(free_port()),
           "COURTFLOW_STARTUP_TIMEOUT": str(timeout)}
    return subprocess.Popen([sys.executable, "-m", "services.stats", *args], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def ended(proc: subprocess.Popen, within: float) -> tuple[int, list[str]]:
    started = time.monotonic()
    _, err = proc.communicate(timeout=within)
    assert time.monotonic() - started < within
    return proc.returncode, [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (a PostgreSQL behind a broken proxy)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_nats_url_on_a_closed_port_ends_start_up_naming_it(postgres):
    proc = service(new_database(postgres, "startup_nats"), f"nats://127.0.0.1:{free_port()}")
    code, lines = ended(proc, within=60)
    assert code == 1, lines
    last = json.loads(lines[-1])
    assert "NATS_URL" in last["message"] and last["message"].startswith("启动失败"), last
    assert len(lines) < 10, lines   # a few lines, not a traceback a second


def test_sigterm_while_waiting_for_nats_stops_at_once(postgres):
    proc = service(new_database(postgres, "startup_term"), f"nats://127.0.0.1:{free_port()}", timeout=120)
    # A positive signal that it is past the migration and waiting for NATS: its first NATS warning.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "NATS_URL" in line:
            break
    else:
        pytest.fail("no word of NATS from the starting service")
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0 and time.monotonic() - started < 10


def test_a_postgresql_that_never_answers_ends_start_up_and_migrate_naming_it(silent_port):
    url = f"postgresql+psycopg2://x@127.0.0.1:{silent_port}/x"
    code, lines = ended(service(url, "nats://127.0.0.1:4222"), within=30)
    assert code == 1 and "DATABASE_URL" in json.loads(lines[-1])["message"], lines
    code, lines = ended(service(url, "nats://127.0.0.1:4222", "migrate"), within=30)
    assert code == 1 and "DATABASE_URL" in json.loads(lines[-1])["message"], lines


def test_a_taken_metrics_port_ends_start_up_naming_it(postgres, nats_servers):
    nats_url, _ = nats_servers.new("startup-metrics")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        env_port = taken.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.stats"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env={**os.environ, "DATABASE_URL": new_database(postgres, "startup_metrics"),
                            "NATS_URL": nats_url, "COURTFLOW_INTERNAL_KEY": "k" * 32,
                            "STATS_GRPC_PORT": str(free_port()), "STATS_METRICS_PORT": str(env_port)})
        code, lines = ended(proc, within=60)
    finally:
        taken.close()
    assert code == 1, lines
    assert "STATS_METRICS_PORT" in json.loads(lines[-1])["message"], lines
