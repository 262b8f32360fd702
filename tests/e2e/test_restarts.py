"""The start command supervises its services (runtime/supervisor.py), run as a user runs it:
`python -m runtime start`, its console read line by line. A service killed with -9 is back within
seconds and the console names it; a case filed while the node service is down gets its nodes and
its reminders, once each, when it is back; Ctrl-C restarts nothing and leaves nothing running.
PostgreSQL and NATS are the suite's (DATABASE_URL / NATS_URL for the start command), so only the
six components are its children."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import grpc
import nats
import psutil
import pytest
from grpc_health.v1 import health_pb2
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as als, alert_service_pb2_grpc
from courtflow.case.v1 import case_service_pb2_grpc
from courtflow.node.v1 import node_service_pb2 as ns, node_service_pb2_grpc

from conftest import new_database
from runtime.demo import create_request
from runtime.embedded import parent_death_signal
from runtime.synthetic import CaseSeed
from runtime.system import COMPONENTS, health_status
from services.common.clock import LEGAL_TZ, set_shared_clock
from support import (COURT, COURT_SYSTEM, JUDGE, SLICE_CATALOG, SLICE_TIME_LIMITS, UNPACED_SMS,
                     directory_reached_services, eventually, reset_bus)

pytestmark = pytest.mark.timeout(240)
ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)
SERVING = health_pb2.HealthCheckResponse.SERVING


class StartCommand:
    """`python -m runtime start` in a process of its own, with what it prints kept line by line."""

    def __init__(self, *, data: Path, database_url: str, nats_url: str) -> None:
        self.data, self.database_url, self.nats_url = data, database_url, nats_url
        self.lines: list[str] = []
        env = {**os.environ, "DATABASE_URL": database_url, "NATS_URL": nats_url, "PYTHONUNBUFFERED": "1",
               "NODE_CATALOG": str(SLICE_CATALOG), "NODE_TIME_LIMITS": str(SLICE_TIME_LIMITS),
               "NODE_SWEEP_INTERVAL": "0.2", "COURTFLOW_SHUTDOWN_DRAIN": "1.5", **UNPACED_SMS}
        # The parent-death signal stops it (and so everything it started) should pytest itself die.
        self.proc = subprocess.Popen([sys.executable, "-m", "runtime", "start", "--data", str(data), "--cases", "1"],
                                     cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     encoding="utf-8", errors="replace",
                                     preexec_fn=parent_death_signal(signal.SIGTERM))
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def console(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, *, after: int = 0, timeout: float = 30) -> str:
        """The first line printed since line `after` that matches `pattern` (a regular expression)."""
        def found():
            if self.proc.poll() is not None and not self._reader.is_alive():
                raise AssertionError(f"the start command exited with {self.proc.returncode}:\n{self.console}")
            return next((line for line in self.lines[after:] if re.search(pattern, line)), None)
        try:
            return eventually(found, timeout=timeout, interval=0.05, what=f"a console line matching {pattern!r}")
        except AssertionError as err:
            raise AssertionError(f"{err}\nconsole:\n{self.console}") from None

    def services(self) -> dict[str, psutil.Process]:
        """Its live children by component name (each runs as `python -m <module>`)."""
        modules = {module: name for name, (module, _) in COMPONENTS.items()}
        found = {}
        for child in psutil.Process(self.proc.pid).children():
            try:
                cmd = child.cmdline()
                if child.status() != psutil.STATUS_ZOMBIE and cmd[1:2] == ["-m"] and cmd[2] in modules:
                    found[modules[cmd[2]]] = child
            except (psutil.Error, IndexError):
                continue
        return found

    def address(self, name: str) -> str:
        """Where a component serves gRPC: the port the start command gave it, in its environment."""
        return f"127.0.0.1:{self.services()[name].environ()[f'{name.upper()}_GRPC_PORT']}"

    def logins(self) -> dict[str, dict]:
        return json.loads((self.data / "demo-logins.json").read_text(encoding="utf-8"))

    def stop(self, sig: int = signal.SIGINT, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._reader.join(5)
        return code


async def _fresh_bus(nats_url: str, clock: datetime) -> None:
    """No other system's streams (an external NATS_URL is shared), and the clock frozen at `clock`."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        await reset_bus(js)
        await set_shared_clock(js, frozen=clock)
    finally:
        await nc.close()


def start_command(postgres, nats_servers, work: Path, tag: str) -> StartCommand:
    """The start command on a fresh database and NATS server, the clock frozen at START; the
    marker of a loaded demo history is set, so it starts in seconds with the org directory only."""
    database_url = new_database(postgres, tag)
    nats_url, _ = nats_servers.new(tag)
    asyncio.run(_fresh_bus(nats_url, START))
    data = work / "data"
    data.mkdir(parents=True)
    (data / "demo-cases.done").write_text("ok\n")
    cmd = StartCommand(data=data, database_url=database_url, nats_url=nats_url)
    try:
        cmd.wait_for_line(r"Press Ctrl-C to stop", timeout=150)
    except BaseException:
        cmd.stop()
        raise
    return cmd


# Defined before the module's shared start command, so that it runs before that one starts: two
# whole systems at once on two cores would only slow both down.
def test_ctrl_c_restarts_nothing_and_leaves_nothing_running(postgres, nats_servers, tmp_path):
    """After a service was restarted, so that one child is the supervisor's rather than the first
    start's: Ctrl-C stops everything in order, and the services' own exits restart nothing. (A
    kill -9 of the start command stops a restarted service too: tests/integration/test_supervisor.py.)"""
    cmd = start_command(postgres, nats_servers, tmp_path, "ctrl_c")
    try:
        kill_and_wait_back(cmd, "node")
        children = list(cmd.services().values())
        assert len(children) == len(COMPONENTS)
        mark = len(cmd.lines)
        assert cmd.stop(signal.SIGINT) == 0, cmd.console
        assert not [p for p in children if p.is_running()], "the start command ended before its services"
        after = cmd.lines[mark:]
        assert any(line.startswith("stopped; data kept in") for line in after), cmd.console
        assert not [line for line in after if "意外停止" in line or "已重启" in line], cmd.console
        # Each ended its last run with its own orderly shutdown, none killed for taking too long.
        for name in COMPONENTS:
            last = (cmd.data / "logs" / f"{name}.log").read_text(errors="replace").splitlines()[-1]
            assert json.loads(last)["message"] == f"{name} stopped", last
    finally:
        cmd.stop(signal.SIGKILL)


@pytest.fixture(scope="module")
def running(postgres, nats_servers, tmp_path_factory):
    cmd = start_command(postgres, nats_servers, tmp_path_factory.mktemp("restarts"), "restarts")
    yield cmd
    cmd.stop()


def kill_and_wait_back(cmd: StartCommand, name: str) -> tuple[list[str], psutil.Process]:
    """kill -9 one component; wait until another process of it answers SERVING and the console
    has said so. Returns the console lines printed meanwhile and the new process."""
    victim, address, mark = cmd.services()[name], cmd.address(name), len(cmd.lines)
    victim.send_signal(signal.SIGKILL)
    back = eventually(lambda: (p := cmd.services().get(name)) is not None and p.pid != victim.pid
                      and health_status(address, timeout=0.5) == SERVING and p,
                      timeout=45, interval=0.1, what=f"{name} restarted and SERVING")
    cmd.wait_for_line(rf"（{name}）已恢复服务", after=mark)
    return cmd.lines[mark:], back


def test_each_service_killed_is_restarted_and_named_on_the_console(running):
    for name in COMPONENTS:
        lines, back = kill_and_wait_back(running, name)
        said = [line for line in lines if f"（{name}）" in line]
        assert re.search(rf"（{name}）意外停止（被信号 SIGKILL 终止），[\d.]+ 秒后重启", said[0]), lines
        assert re.search(rf"（{name}）已重启（第 \d+ 次，进程 {back.pid}）", said[1]), lines
        assert re.search(rf"（{name}）已恢复服务（127\.0\.0\.1:\d+）", said[2]), lines
    # Each restart also left a line in the service's own log, where its next run begins.
    for name in COMPONENTS:
        log = (running.data / "logs" / f"{name}.log").read_text(errors="replace")
        assert re.search(rf"^---- runtime\.supervisor: .*（{name}）意外停止（被信号 SIGKILL 终止）", log, re.M)


def unavailable_as_none(call):
    """A call through the gateway, or None while the service behind it is away."""
    try:
        return call()
    except grpc.RpcError as err:
        if err.code() == grpc.StatusCode.UNAVAILABLE:
            return None
        raise


def settled(database_url: str, nats_url: str, case_name: str, case_number: str) -> bool:
    """Nothing left to happen for the case: every timer due by the frozen clock has fired, the node
    service's outbox is published, the alert service has taken every node event, and no SMS of the
    case waits to be sent. Each stage is checked after the one that feeds it, so with nothing
    upstream left, whatever a stage counted when looked at is all it will ever get."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if conn.execute(text("""SELECT count(*) FROM nodes.due_timers t JOIN nodes.nodes n ON n.id = t.node_id
                                    WHERE n.case_number = :number AND t.fired_at IS NULL AND t.fire_at <= :now"""),
                            {"number": case_number, "now": START}).scalar():
                return False
            if conn.execute(text("SELECT count(*) FROM nodes.outbox WHERE published_at IS NULL")).scalar():
                return False

        async def alert_took_all() -> bool:
            nc = await nats.connect(nats_url)
            try:
                info = await nc.jetstream().consumer_info("NODE", "alert-node")
                return info.num_pending == 0 and info.num_ack_pending == 0
            finally:
                await nc.close()
        if not asyncio.run(alert_took_all()):
            return False
        with engine.connect() as conn:
            return not conn.execute(text("SELECT count(*) FROM alerts.sms_deliveries WHERE node LIKE :case "
                                         "AND state = :pending"),
                                    {"case": f"{case_name}/%", "pending": alert_pb2.DELIVERY_STATE_PENDING}).scalar()
    finally:
        engine.dispose()


def test_a_case_filed_while_the_node_service_is_down_gets_its_nodes_and_reminders_once(running):
    directory_reached_services(running.database_url)   # else an SMS would wait for its recipient's number
    logins = running.logins()
    md = lambda user: [("authorization", f"Bearer {logins[user]['token']}")]  # noqa: E731
    with grpc.insecure_channel(running.address("gateway")) as channel:
        cases = case_service_pb2_grpc.CaseServiceStub(channel)
        nodes = node_service_pb2_grpc.NodeServiceStub(channel)
        alerts = alert_service_pb2_grpc.AlertServiceStub(channel)
        node_address, victim, mark = running.address("node"), running.services()["node"], len(running.lines)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        # Filed two months ago: its five-day service node is overdue the moment it opens.
        seed = CaseSeed(request_id="supervision-1", court_id=COURT, department_id="440101-civil1",
                        case_number="（2026）示0101民初8801号", case_type="civil", procedure="first_instance_ordinary",
                        cause="民间借贷纠纷", parties=("原告 张三", "被告 李四"), handler=JUDGE,
                        filing_date=date(2026, 1, 6), custody=False)
        case = cases.CreateCase(create_request(seed), metadata=md(COURT_SYSTEM), timeout=10).case
        # Still down when the case service had taken the case: the node service had not seen it.
        assert health_status(node_address, timeout=0.5) is None

        opened = eventually(lambda: (found := unavailable_as_none(lambda: nodes.ListNodes(
            ns.ListNodesRequest(parent=case.name), metadata=md(JUDGE)).nodes)) and len(found) == 2 and found,
            timeout=60, what="the case's nodes, once the node service is back")
        assert {n.node_type for n in opened} == {"trial_time_limit", "serve_complaint_copy"}
        running.wait_for_line(r"（node）已恢复服务", after=mark)
        serve = f"{case.name}/nodes/serve_complaint_copy"

        def inbox():
            return [(m.node, m.kind) for m in alerts.ListMessages(als.ListMessagesRequest(
                parent="users/me", page_size=1000, filter=f'case = "{case.name}"'), metadata=md(JUDGE)).messages]

        def sms():
            path = running.data / "logs" / "sms.log"
            content = path.read_text() if path.exists() else ""
            lines = [json.loads(line) for line in content.splitlines() if line.strip()]
            return [(line["mobile"], line["template"], line["text"]) for line in lines
                    if seed.case_number in line["text"]]

        # Some 50 days overdue when it opens: the overdue reminder and the ladder's 31-day rung, to
        # the judge; by SMS also to the division head, and the escalation to the vice-president.
        expected_inbox = {(serve, alert_pb2.REMINDER_KIND_OVERDUE), (serve, alert_pb2.REMINDER_KIND_ESCALATION)}
        eventually(lambda: set(inbox()) == expected_inbox, timeout=60, what="the judge's reminders")
        eventually(lambda: len(sms()) >= 5, timeout=60, what="the reminders' SMS")
        eventually(lambda: settled(running.database_url, running.nats_url, case.name, seed.case_number),
                   timeout=60, what="everything due for the case handled")
        assert Counter(inbox()) == Counter(expected_inbox)
        assert len(sms()) == 5 and set(Counter(sms()).values()) == {1}, sms()
