"""Embedded PostgreSQL 16, run as a child process of ours.

The binaries come from the ``pgserver`` wheel, but we do *not* use
``pgserver.PostgresServer`` (it shares servers between processes, uses pg_ctl
and atexit magic); we run ``postgres`` directly so that we own the process:
start, fast stop, SIGKILL for crash tests. No Docker, no root-only tricks beyond
what PostgreSQL itself requires (when run as root, the server runs as the
``pgserver`` user).

Data directory layout of ``EmbeddedPostgres(data_dir)``::

    data_dir/pgdata/              PGDATA (owned by the ``pgserver`` user when run as root)
    data_dir/run/                 unix socket directory
    data_dir/postgres.log         server log (stderr of postgres, appended to)
    data_dir/postgres.port.json   the TCP port chosen for this data dir
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psutil

from runtime.embedded.processes import (
    _POLL_INTERVAL,
    EmbeddedServerError,
    _child_env,
    _ChildProcess,
    _connect_host,
    _file_size,
    _read_json,
    _tcp_accepts,
    _url_host,
    _wait_gone,
    _write_json,
    free_port,
    port_available,
)

log = logging.getLogger(__name__)


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
        # The stats projection updates thousands of cube rows a batch, spread over the whole cube,
        # and reads its cases' nodes: at 100,000 cases (a 136 MB cube, a 577 MB node table)
        # 256MB made it read from the OS cache and ran it at two thirds of its pace with 2GB
        # (bench/projection_lag.py). Allocated as used: small databases (the tests) stay small.
        "shared_buffers": "2GB",
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
