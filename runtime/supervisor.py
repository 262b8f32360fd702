"""Keeps the start command's services running, as Kubernetes keeps a Deployment's pods running.

A service (or the gateway) that stops when nobody asked it to — killed, crashed, or ended
because a background loop failed (services/common/server.py exits non-zero for that, expecting
to be restarted) — is started again after a growing pause, and the console says which one
stopped, why, and that it is back. One that keeps stopping is a fault a restart will not cure
(bad settings, a broken migration): after `crash_limit` stops within `window` seconds it is left
down, and the console says where its log is. Work in flight is not lost meanwhile: events wait
in the outbox and in JetStream, timers in the due-queue, and what a killed process held comes
back to the restarted one when its lease or ack wait ends.

The decision (how long to wait, when to give up) is pure logic over an injected clock:
`RestartPolicy` and `CrashHistory`. `Supervisor` does the process I/O around it. It is polled
from the start command's main thread on purpose: a restarted process is then spawned by that
thread and gets the same parent-death signal as the first one (runtime/embedded/processes.py), so a
`kill -9` of the start command still leaves nothing running. A deliberate stop simply ends the
polling before the system is stopped, so the services' own exits are never taken for crashes.
"""
from __future__ import annotations

import enum
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from grpc_health.v1 import health_pb2

from runtime.system import Component, health_status, log_tail
from services.common.clock import LEGAL_TZ, SystemClock
from services.common.components import label


@dataclass(frozen=True)
class RestartPolicy:
    """How long to wait before restarting a stopped service, and when to give up on it.

    The pause doubles with each stop in a row (0.5, 1, 2, 4 … up to `max_delay` seconds), so a
    service that fails at once does not spin, while one killed once is back within a second.
    The series starts over once a service has run for `window` seconds. `crash_limit` stops
    within `window` seconds is a crash loop: the service is left down.
    """

    first_delay: float = 0.5
    max_delay: float = 10.0
    crash_limit: int = 5
    window: float = 60.0


@dataclass(frozen=True)
class Verdict:
    """What to do about one stop of a service."""

    crashes: int                # stops within the window, this one included
    restart_in: float | None    # seconds to wait before restarting it; None: leave it down


class CrashHistory:
    """One service's recent stops and the verdict on the next. Pure: times are given, never read."""

    def __init__(self, policy: RestartPolicy, *, started_at: float) -> None:
        self.policy = policy
        self._stops: deque[float] = deque()
        self._in_a_row = 0
        self._started_at = started_at

    def started(self, now: float) -> None:
        self._started_at = now

    def stopped(self, now: float) -> Verdict:
        p = self.policy
        if now - self._started_at >= p.window:
            self._in_a_row = 0      # it ran long enough to count as healthy: start the pauses over
        self._in_a_row += 1
        self._stops.append(now)
        while self._stops and self._stops[0] <= now - p.window:
            self._stops.popleft()
        crashes = len(self._stops)
        if crashes >= p.crash_limit:
            return Verdict(crashes, None)
        return Verdict(crashes, min(p.first_delay * 2 ** (self._in_a_row - 1), p.max_delay))


def describe_exit(returncode: int) -> str:
    """Why a process ended, for the console: the signal's name (Popen reports -N) or the exit code."""
    if returncode < 0:
        try:
            return f"被信号 {signal.Signals(-returncode).name} 终止"
        except ValueError:
            return f"被信号 {-returncode} 终止"
    return f"退出码 {returncode}"


class _State(enum.Enum):
    RUNNING = "running"
    STARTING = "starting"   # restarted, not yet SERVING
    WAITING = "waiting"     # stopped, to be restarted at `due`
    DOWN = "down"           # crash loop: left down


@dataclass
class _Watched:
    name: str
    component: Component
    history: CrashHistory
    state: _State = _State.RUNNING
    due: float = 0.0
    restarts: int = 0


# Marks the supervisor's lines in a service's log.
_NOTE = "---- runtime.supervisor:"


def _last_run(log: str) -> str:
    """What a log holds after the supervisor's last line in it: the output of the run that ended last."""
    _, marker, after = log.rpartition(_NOTE)
    return after.partition("\n")[2] if marker else log


def _serving(component: Component) -> bool:
    return health_status(component.address, timeout=0.5) == health_pb2.HealthCheckResponse.SERVING


class Supervisor:
    """Restarts the components that stop unexpectedly; `poll()` is one look at all of them.

    Call it from the thread that started the system (the start command's main thread; see the
    module docstring), e.g. through `run(stop)`. `say` receives one console line per event."""

    def __init__(self, components: Mapping[str, Component], *, policy: RestartPolicy = RestartPolicy(),
                 say: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic,
                 ready: Callable[[Component], bool] = _serving) -> None:
        self._say, self._clock, self._ready = say, clock, ready
        self._stopping = threading.Event()
        now = clock()
        self._watched = [_Watched(name, c, CrashHistory(policy, started_at=now)) for name, c in components.items()]

    def run(self, stop: threading.Event, interval: float = 0.2) -> None:
        """Poll until `stop` is set (by the Ctrl-C / SIGTERM handler): after that nothing is restarted,
        not even in the poll under way when it was set."""
        self._stopping = stop
        while not stop.wait(interval):
            self.poll()

    def poll(self) -> None:
        for w in self._watched:
            now = self._clock()
            if w.state in (_State.RUNNING, _State.STARTING):
                proc = w.component.proc
                returncode = proc.poll() if proc is not None else None
                if returncode is not None:
                    self._stopped(w, now, describe_exit(returncode))
                elif w.state is _State.STARTING and self._ready(w.component):
                    w.state = _State.RUNNING
                    self._say(f"{self._label(w)}已恢复服务（{w.component.address}）")
            elif w.state is _State.WAITING and now >= w.due and not self._stopping.is_set():
                self._restart(w, now)

    def _stopped(self, w: _Watched, now: float, reason: str) -> None:
        verdict = w.history.stopped(now)
        window = f"{w.history.policy.window:g}"
        if verdict.restart_in is None:
            w.state = _State.DOWN
            log = w.component.log_path
            last_run = _last_run(log_tail(log, 200)).splitlines()[-15:]
            said = (f"{self._label(w)}在 {window} 秒内意外停止了 {verdict.crashes} 次（最近一次：{reason}），"
                    "不再重启，保持停止")
            self._note(w, said)
            self._say(f"{said}；其余服务照常运行。\n"
                      f"  请查看它的日志 {log} 找出原因，排除后按 Ctrl-C 停止并重新启动。它最后一次运行的日志：\n"
                      + ("\n".join("    " + line for line in last_run) or "    （空）"))
            return
        w.state, w.due = _State.WAITING, now + verdict.restart_in
        said = (f"{self._label(w)}意外停止（{reason}），{verdict.restart_in:g} 秒后重启"
                f"（{window} 秒内第 {verdict.crashes} 次）")
        self._note(w, said)
        self._say(said)

    def _restart(self, w: _Watched, now: float) -> None:
        try:
            w.component.start()
        except (OSError, subprocess.SubprocessError) as err:   # e.g. no memory left to fork
            self._stopped(w, now, f"无法启动：{err}")
            return
        w.history.started(now)
        w.restarts += 1
        w.state = _State.STARTING
        self._say(f"{self._label(w)}已重启（第 {w.restarts} 次，进程 {w.component.proc.pid}），等待就绪…")

    @staticmethod
    def _note(w: _Watched, text: str) -> None:
        """The console's line in the service's own log too, so that reading it shows where one run ended."""
        try:
            with open(w.component.log_path, "a", encoding="utf-8") as f:
                f.write(f"{_NOTE} {SystemClock().now().astimezone(LEGAL_TZ):%Y-%m-%d %H:%M:%S} {text}\n")
        except OSError:
            pass

    @staticmethod
    def _label(w: _Watched) -> str:
        return label(w.name)
