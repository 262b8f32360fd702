"""The whole CourtFlow system as separate processes: used by the start command, the
end-to-end tests and the benchmarks, so all three run exactly what production runs."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gateway import config as gateway_config
from runtime.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    free_port,
    parent_death_signal,
    port_available,
)
from services.alert import config as alert_config
from services.audit import config as audit_config
from services.case import config as case_config
from services.node import config as node_config
from services.stats import config as stats_config

# Start order: the gateway last, so that when it answers, everything behind it does. The ports are
# each component's own default (its config.py), used by the start command when they are free.
COMPONENTS = {
    "case": ("services.case", case_config.DEFAULT_PORT),
    "node": ("services.node", node_config.DEFAULT_PORT),
    "alert": ("services.alert", alert_config.DEFAULT_PORT),
    "stats": ("services.stats", stats_config.DEFAULT_PORT),
    "audit": ("services.audit", audit_config.DEFAULT_PORT),
    "gateway": ("gateway", gateway_config.DEFAULT_PORT),
}
# What a service that could not take its port says (services/common/server.py, the gateway's
# HTTP bind), as its log's last lines show it.
PORT_TAKEN = re.compile(r"端口 \S+ 无法使用|Address already in use")
# The gateway's HTTP-JSON port, beside its gRPC port.
GATEWAY_HTTP_PORT = gateway_config.DEFAULT_PORT + gateway_config.HTTP_PORT_OFFSET
ROOT = Path(__file__).resolve().parent.parent


def health_status(address: str, timeout: float = 1.0) -> int | None:
    """The grpc.health.v1 status of a server, or None when it does not answer."""
    with grpc.insecure_channel(address) as channel:
        try:
            return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout).status
        except grpc.RpcError:
            return None


@dataclass
class Component:
    name: str
    module: str
    port: int
    metrics_port: int
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "ab")
        # Its own session keeps a Ctrl-C in the terminal from reaching it before the orderly
        # stop; the parent-death signal stops it if the process that started it dies instead
        # (killed with -9), so no service is left running against a database that is gone.
        self.proc = subprocess.Popen([sys.executable, "-m", self.module], env=self.env, cwd=ROOT, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=parent_death_signal(signal.SIGTERM))
        log.close()

    def wait_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}:\n"
                                   + log_tail(self.log_path))
            if health_status(self.address) == health_pb2.HealthCheckResponse.SERVING:
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not SERVING after {timeout}s; see {self.log_path}:\n"
                           + log_tail(self.log_path))

    def terminate(self, timeout: float = 20) -> int | None:
        """SIGTERM and wait: the graceful shutdown path."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def kill(self) -> None:
        """SIGKILL: a crash, with no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class System:
    """Six processes against one PostgreSQL database and one NATS server."""

    database_url: str
    nats_url: str
    log_dir: Path
    internal_key: str = "courtflow-dev-internal-key"
    default_ports: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    components: dict[str, Component] = field(init=False)

    def __post_init__(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._assign_ports()

    def _assign_ports(self) -> None:
        """Each component's ports and environment: the usual ports where free (`default_ports`),
        otherwise free ones outside the ephemeral range."""
        taken: set[int] = set()

        def port(default: int) -> int:
            # The usual ports when they are free (the start command); otherwise, or in tests, any.
            if self.default_ports and default not in taken and port_available("0.0.0.0", default):
                taken.add(default)
                return default
            chosen = free_port()
            while chosen in taken:  # two probes can return the same just-released port
                chosen = free_port()
            taken.add(chosen)
            return chosen

        ports = {name: port(default) for name, (_, default) in COMPONENTS.items()}
        env = {**os.environ, "DATABASE_URL": self.database_url, "NATS_URL": self.nats_url,
               "COURTFLOW_INTERNAL_KEY": self.internal_key, "COURTFLOW_CLOCK": "shared",
               "ALERT_SMS_LOG": str(self.log_dir / "sms.log"), "PYTHONUNBUFFERED": "1"}
        for name in COMPONENTS:
            env[f"{name.upper()}_GRPC_PORT"] = str(ports[name])
            # 1000 above the gRPC port, where CommonSettings puts the metrics port by default
            env[f"{name.upper()}_METRICS_PORT"] = str(port(ports[name] + 1000))
            if name != "gateway":
                env[f"{name.upper()}_ADDR"] = f"127.0.0.1:{ports[name]}"
        env["GATEWAY_HTTP_PORT"] = str(port(GATEWAY_HTTP_PORT))
        env.update(self.extra_env)
        self.components = {
            name: Component(name, module, ports[name], int(env[f"{name.upper()}_METRICS_PORT"]), dict(env),
                            self.log_dir / f"{name}.log")
            for name, (module, _) in COMPONENTS.items()}

    @property
    def gateway(self) -> str:
        return self.components["gateway"].address

    @property
    def gateway_http(self) -> str:
        """Base URL of the gateway's HTTP-JSON API, e.g. http://127.0.0.1:50080."""
        return f"http://127.0.0.1:{self.components['gateway'].env['GATEWAY_HTTP_PORT']}"

    @property
    def sms_log(self) -> Path:
        return self.log_dir / "sms.log"

    def migrate(self) -> None:
        """Apply every schema's migrations, as a Kubernetes migrate Job would."""
        for c in self.components.values():
            done = subprocess.run([sys.executable, "-m", c.module, "migrate"], env=c.env, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"migrating {c.name} failed:\n{done.stderr[-3000:]}")

    def start(self, timeout: float = 90) -> None:
        try:
            self._start(timeout)
        except RuntimeError as exc:
            # The usual ports (50050…, 51050…, 50080) lie in Linux's ephemeral range: between the
            # probe (__post_init__) and a service's bind, an outgoing connection — the migrations',
            # another program's — can take one as its own port, and the service stops with
            # "Address already in use". Once, everything again on free ports outside that range.
            said = _port_taken(str(exc))
            if not self.default_ports or said is None:
                raise
            print(f"{said}；改用其他空闲端口重新启动…", flush=True)
            self.stop()
            self.default_ports = False
            self._assign_ports()
            self._start(timeout)

    def _start(self, timeout: float) -> None:
        for c in self.components.values():
            c.start()
        for c in self.components.values():
            c.wait_serving(timeout)

    def wait_for_directory(self, timeout: float = 60) -> None:
        wait_for_directory(self.database_url, timeout)

    def restart(self, name: str, timeout: float = 60) -> None:
        c = self.components[name]
        c.start()
        c.wait_serving(timeout)

    def stop(self) -> None:
        # The gateway first, so no new work arrives while the services drain together.
        self.components["gateway"].terminate()
        services = [c for name, c in self.components.items() if name != "gateway"]
        for c in services:
            if c.running():
                c.proc.send_signal(signal.SIGTERM)
        for c in services:
            c.terminate()


def _port_taken(tail: str) -> str | None:
    """The line of a service's log tail (JSON lines, or a traceback's) saying it could not take
    its port, or None."""
    for line in tail.splitlines():
        try:
            line = json.loads(line)["message"]
        except (ValueError, TypeError, KeyError):
            pass
        if PORT_TAKEN.search(line):
            return line.strip()
    return None


@dataclass
class Infrastructure:
    """PostgreSQL and NATS for this machine: the servers DATABASE_URL / NATS_URL name, or embedded ones."""

    database_url: str
    nats_url: str
    postgres: EmbeddedPostgres | None = None
    nats: EmbeddedNats | None = None

    @classmethod
    def start(cls, data: Path) -> "Infrastructure":
        infra = cls(os.environ.get("DATABASE_URL", ""), os.environ.get("NATS_URL", ""))
        if not infra.database_url:
            infra.postgres = EmbeddedPostgres(data / "postgres")
            infra.postgres.start()
            infra.database_url = infra.postgres.url
        if not infra.nats_url:
            infra.nats = EmbeddedNats(data / "nats")
            infra.nats.start()
            infra.nats_url = infra.nats.url
        return infra

    def stop(self) -> None:
        if self.nats:
            self.nats.stop()
        if self.postgres:
            self.postgres.stop()


def wait_for_directory(database_url: str, timeout: float = 60) -> None:
    """Wait until the alert, node and case services hold every user of the org directory.
    They learn it from the gateway's events: a reminder due before then would miss the division
    head, and a case filed before then would be refused its handler."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(database_url, poolclass=NullPool)
    query = text("""SELECT (SELECT count(*) FROM gateway.users), (SELECT count(*) FROM alerts.recipients),
                           (SELECT count(*) FROM nodes.people), (SELECT count(*) FROM cases.people)""")
    deadline = time.monotonic() + timeout
    try:
        while True:
            with engine.connect() as conn:
                users, *copies = conn.execute(query).one()
            if all(copy >= users for copy in copies):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the org directory ({users} users) has not reached the services "
                                   f"(alert, node, case hold {copies}) in {timeout:.0f} s")
            time.sleep(0.2)
    finally:
        engine.dispose()


def log_tail(path: Path, lines: int = 30) -> str:
    """The last lines of a log file (empty when there is none yet)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
