"""A CourtFlow process whose starter dies (kill -9 of `start` or of a benchmark) stops too,
instead of running on against a database and bus that are gone."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from support import eventually

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]

# Starts one component as runtime.system starts the services, reports its pid and waits. The
# component is a module that only sleeps: what is tested is the process tree.
STARTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from runtime.system import Component
    work = Path(sys.argv[1])
    c = Component(name="sleeper", module="sleeper", port=0, metrics_port=0,
                  env={"PYTHONPATH": str(work)}, log_path=work / "sleeper.log")
    c.start()
    print(c.proc.pid, flush=True)
    time.sleep(600)
""")


def test_a_component_stops_when_its_starter_is_killed(tmp_path):
    (tmp_path / "sleeper.py").write_text("import time\ntime.sleep(600)\n")
    starter = subprocess.Popen([sys.executable, "-c", STARTER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    child = None
    try:
        child = psutil.Process(int(starter.stdout.readline()))
        assert child.is_running() and child.ppid() == starter.pid
        starter.send_signal(signal.SIGKILL)
        starter.wait()
        eventually(lambda: not child.is_running() or child.status() == psutil.STATUS_ZOMBIE, timeout=15,
                   what="the component to stop after its starter was killed")
    finally:
        starter.kill()
        if child is not None and child.is_running():
            child.kill()
