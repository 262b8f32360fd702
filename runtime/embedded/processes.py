"""Child-process plumbing shared by the embedded servers (postgres.py, nats.py).

Process lifecycle
-----------------
Each server runs in its own session/process group (``start_new_session``), so
a Ctrl-C or SIGHUP aimed at the parent's terminal does not hit the database in
the middle of something; the parent decides the shutdown order. To avoid
orphans when the parent dies without cleaning up (SIGKILL, closed terminal),
the child gets a Linux parent-death signal (``PR_SET_PDEATHSIG``): SIGINT,
which is a *clean* fast shutdown for both postgres and nats-server. The
kernel sends it when the *thread* that spawned the child exits, so it is only
armed when ``start()`` is called from the main thread. On a normal
interpreter exit an ``atexit`` hook stops whatever is still running.

Also here: free ports (below the kernel's ephemeral range), the small files a
server remembers its ports in, and the tail of a server's log for error messages.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable

import psutil

log = logging.getLogger(__name__)

_POLL_INTERVAL = 0.05
_LOG_TAIL_LINES = 40


class EmbeddedServerError(RuntimeError):
    """A server failed to start (or to stop). The message ends with the tail of its log."""


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel hands to outgoing connections (``ip_local_port_range``)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that is free on ``host`` right now, outside the ephemeral range.

    Why not let the OS pick (bind to port 0)? It picks from the ephemeral range, the same
    ports every outgoing connection (to PostgreSQL, NATS, a gRPC peer) takes. Between this
    probe and the server's own bind, a client connection can take the port, and the server
    then fails with "Address already in use" (seen in CI). A random port below the
    ephemeral range is never taken that way, and random so concurrent callers rarely meet.
    """
    low, high = _ephemeral_range()
    candidates = [(10000, low - 1)] if low > 11000 else [(max(high + 1, 10000), 65535)]
    rng = random.SystemRandom()
    for _ in range(200):
        start, end = candidates[0]
        port = rng.randint(start, end)
        if port in _handed_out:
            continue
        with socket.socket(_family(host), socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    with socket.socket(_family(host), socket.SOCK_STREAM) as s:  # a crowded host: let the OS pick
        s.bind((host, 0))
        return s.getsockname()[1]


# Ports this process already handed out: a port probed free is not bound until its server
# starts, so a second probe in the meantime must not return it again.
_handed_out: set[int] = set()


def port_available(host: str, port: int) -> bool:
    """True if a server could bind ``host:port`` (SO_REUSEADDR, like the servers do)."""
    bind_host = "" if host in ("0.0.0.0", "*") else host
    with socket.socket(_family(host), socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((bind_host, port))
        except OSError:
            return False
        return True


def _connect_host(host: str) -> str:
    """The address clients should use to reach a server listening on ``host``."""
    if host in ("0.0.0.0", "*", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def _url_host(host: str) -> str:
    h = _connect_host(host)
    return f"[{h}]" if ":" in h else h


def _tcp_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((_connect_host(host), port), timeout=timeout):
            return True
    except OSError:
        return False


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(dict(data), indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def _log_tail(path: Path, offset: int = 0, lines: int = _LOG_TAIL_LINES) -> str:
    """Last ``lines`` lines of ``path`` written after ``offset`` (whole file if that is empty)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
            if not data.strip():
                f.seek(0)
                data = f.read()
    except OSError as e:
        return f"<could not read {path}: {e}>"
    text = data.decode("utf-8", "replace").rstrip()
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else "<log is empty>"


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_PR_SET_PDEATHSIG = 1
try:  # Linux only; elsewhere we just rely on atexit / explicit stop()
    _libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
    _prctl = _libc.prctl if _libc is not None else None
except (OSError, AttributeError):  # pragma: no cover
    _prctl = None


def parent_death_signal(sig: int) -> Callable[[], None] | None:
    """preexec_fn making the child receive ``sig`` when the spawning thread dies.

    Runs after subprocess has switched uid/gid (so the setting is not reset by
    the credential change). Only armed from the main thread: PDEATHSIG fires
    when the spawning *thread* exits, which would kill a server started from a
    short-lived worker thread.
    """
    if _prctl is None or threading.current_thread() is not threading.main_thread():
        return None
    parent = os.getpid()

    def preexec() -> None:
        _prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
        if os.getppid() != parent:  # parent died before prctl took effect
            os.kill(os.getpid(), sig)

    return preexec


def _wait_gone(procs: list[psutil.Process], timeout: float) -> None:
    """Wait until ``procs`` are dead. Zombies count as dead: they hold no memory or files
    any more, and reaping orphans is up to PID 1 (which may be slow in containers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = []
        for p in procs:
            with contextlib.suppress(psutil.Error):
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
        if not alive:
            return
        time.sleep(0.01)


def _child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    # PG* variables (PGDATA, PGPORT, PGHOST, PGOPTIONS, ...) would silently change behaviour
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if extra:
        env.update(extra)
    return env


# Servers started by this process; stopped on normal interpreter exit.
_live: weakref.WeakSet[Any] = weakref.WeakSet()


@atexit.register
def _stop_all_at_exit() -> None:
    for server in list(_live):
        with contextlib.suppress(Exception):
            if server._owner_pid == os.getpid():
                server.stop()


class _ChildProcess:
    """Common process handling for both servers."""

    _name = "server"
    _stop_signal = signal.SIGINT

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner_pid = os.getpid()
        self._log_offset = 0
        #: wall-clock seconds the last successful start() took
        self.last_start_seconds: float | None = None

    log_path: Path

    # -- process control ----------------------------------------------------
    def _spawn(self, cmd: list[str], *, cwd: Path, env: dict[str, str], **kwargs: Any) -> None:
        self._log_offset = _file_size(self.log_path)
        with open(self.log_path, "ab") as logf:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            logf.write(f"---- {stamp} runtime.embedded: starting {self._name} (parent pid {os.getpid()})\n".encode())
            logf.flush()
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=logf,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=env,
                close_fds=True,
                start_new_session=True,
                preexec_fn=parent_death_signal(self._stop_signal),
                **kwargs,
            )
        self._owner_pid = os.getpid()
        _live.add(self)

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.is_running() else None  # type: ignore[union-attr]

    def _fail(self, message: str) -> EmbeddedServerError:
        tail = _log_tail(self.log_path, self._log_offset)
        return EmbeddedServerError(f"{message}\n--- last lines of {self.log_path} ---\n{tail}")

    def _check_alive(self, what: str) -> None:
        assert self._proc is not None
        rc = self._proc.poll()
        if rc is not None:
            self._proc = None
            raise self._fail(f"{self._name} exited with code {rc} while {what}")

    def stop(self, timeout: float = 30) -> None:
        """Clean shutdown; waits. Escalates to SIGKILL (with a warning) after ``timeout``."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, self._stop_signal)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("%s (pid %s) did not stop within %.0fs; killing it", self._name, proc.pid, timeout)
                self._escalate(proc)
        self._proc = None
        _live.discard(self)

    def _escalate(self, proc: subprocess.Popen[bytes]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def kill(self) -> None:
        """SIGKILL the server process (crash test). ``start()`` recovers from this."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        self._proc = None
        _live.discard(self)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 30) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
