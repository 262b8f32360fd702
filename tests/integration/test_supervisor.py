"""The supervisor (runtime/supervisor.py) with real processes, standing in for services by small
modules: one that fails at start-up is left down after a crash loop, with its log's last lines
on the console; one restarted by the supervisor still stops when its starter is killed with -9."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from runtime.supervisor import RestartPolicy, Supervisor
from runtime.system import Component
from support import eventually

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parents[2]


def component(work: Path, module: str, name: str = "node") -> Component:
    return Component(name=name, module=module, port=0, metrics_port=0, env={"PYTHONPATH": str(work)},
                     log_path=work / f"{name}.log")


def test_a_service_that_keeps_failing_is_left_down_with_its_log_on_the_console(tmp_path):
    (tmp_path / "failing.py").write_text("import sys\nprint('cannot reach the database', flush=True)\nsys.exit(3)\n")
    node = component(tmp_path, "failing")
    said: list[str] = []
    # Short pauses to keep the test fast; the limit and the window are the start command's.
    supervisor = Supervisor({"node": node}, policy=RestartPolicy(first_delay=0.05, max_delay=0.2), say=said.append,
                            ready=lambda c: False)
    node.start()
    eventually(lambda: supervisor.poll() or any("不再重启" in line for line in said), timeout=30, interval=0.02,
               what="the crash loop to be given up")

    stops = [line for line in said if "秒后重启" in line]
    assert stops == [f"节点服务（node）意外停止（退出码 3），{d:g} 秒后重启（60 秒内第 {n} 次）"
                     for n, d in enumerate([0.05, 0.1, 0.2, 0.2], start=1)]
    assert len([line for line in said if re.fullmatch(r"节点服务（node）已重启（第 \d 次，进程 \d+），等待就绪…", line)]) == 4
    given_up = said[-1]
    assert given_up.startswith("节点服务（node）在 60 秒内意外停止了 5 次（最近一次：退出码 3），不再重启")
    # Where to look, and what its last run printed (only that run: the lines after the last restart).
    assert f"请查看它的日志 {tmp_path / 'node.log'}" in given_up
    assert given_up.endswith("它最后一次运行的日志：\n    cannot reach the database")
    # Left down: it has ended and a further look starts nothing.
    assert node.proc.poll() == 3
    supervisor.poll()
    assert node.proc.poll() == 3 and said[-1] == given_up
    log = (tmp_path / "node.log").read_text()
    # The console's lines are in the log too, between the runs' own output.
    assert log.count("cannot reach the database") == 5
    assert [line.split(" ", 4)[4] for line in log.splitlines() if line.startswith("---- runtime.supervisor:")] \
        == [*stops, given_up.split("；")[0]]


# Starts a sleeping component and supervises it from its main thread, as the start command does.
STARTER = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    from runtime.supervisor import Supervisor
    from runtime.system import Component
    work = Path(sys.argv[1])
    c = Component(name="node", module="sleeper", port=0, metrics_port=0, env={"PYTHONPATH": str(work)},
                  log_path=work / "node.log")
    c.start()
    print(c.proc.pid, flush=True)
    Supervisor({"node": c}, say=lambda line: print(line, flush=True), ready=lambda c: True).run(threading.Event())
""")


def test_a_restarted_service_stops_when_the_start_command_is_killed(tmp_path):
    (tmp_path / "sleeper.py").write_text("import time\ntime.sleep(600)\n")
    starter = subprocess.Popen([sys.executable, "-c", STARTER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    restarted = None
    try:
        first = psutil.Process(int(starter.stdout.readline()))
        first.send_signal(signal.SIGKILL)
        assert "（node）意外停止（被信号 SIGKILL 终止），0.5 秒后重启" in starter.stdout.readline()
        line = starter.stdout.readline()
        restarted = psutil.Process(int(re.search(r"（node）已重启（第 1 次，进程 (\d+)）", line).group(1)))
        assert restarted.ppid() == starter.pid and "（node）已恢复服务" in starter.stdout.readline()
        starter.send_signal(signal.SIGKILL)
        starter.wait()
        eventually(lambda: not restarted.is_running() or restarted.status() == psutil.STATUS_ZOMBIE, timeout=15,
                   what="the restarted component to stop after its starter was killed")
    finally:
        starter.kill()
        if restarted is not None and restarted.is_running():
            restarted.kill()
