"""Typed settings read once from the environment (12-factor).

Each service has a frozen Settings in its config.py built by `from_env()`;
nothing is read at import time. A missing required value stops start-up with
a message that names the variable.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from typing import Mapping


class SettingsError(SystemExit):
    """A configuration problem: start-up stops with this message."""


class Env:
    """Reads typed values from an environment mapping, naming the variable on error."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def str(self, name: str, default: str | None = None) -> str:
        value = self._environ.get(name, default)
        if value is None or value == "":
            raise SettingsError(f"配置缺失: environment variable {name} is required")
        return value

    def optional(self, name: str) -> str:
        """A setting that may be left out: "" when unset or empty."""
        return self._environ.get(name) or ""

    def int(self, name: str, default: int | None = None) -> int:
        raw = self._environ.get(name)
        if raw in (None, ""):
            if default is None:
                raise SettingsError(f"配置缺失: environment variable {name} is required")
            return default
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"配置错误: {name}={raw!r} is not an integer") from None

    def float(self, name: str, default: float) -> float:
        raw = self._environ.get(name)
        if raw in (None, ""):
            return default
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"配置错误: {name}={raw!r} is not a number") from None

    def bool(self, name: str, default: bool) -> bool:
        raw = self._environ.get(name)
        if raw in (None, ""):
            return default
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"配置错误: {name}={raw!r} is not a boolean")


@dataclass(frozen=True)
class CommonSettings:
    """What every CourtFlow process needs; embedded in each service's Settings."""

    service: str
    grpc_port: int
    metrics_port: int
    # Address the Prometheus endpoint binds: loopback on a workstation, 0.0.0.0 in a pod.
    metrics_host: str
    database_url: str
    nats_url: str
    # Shared secret with which the gateway signs the caller context it forwards.
    internal_key: str
    # "system" in production; "shared" lets tests and demos move time for all services at once.
    clock: str
    log_level: str
    # Where finished spans go: "" (none), a file path (JSON lines), or "otlp".
    span_export: str
    # Seconds to keep answering health checks with NOT_SERVING before refusing new RPCs.
    shutdown_drain: float
    # Seconds to let in-flight RPCs finish on SIGTERM.
    shutdown_grace: float
    # Threads for blocking database work (the asyncio loop never blocks on PostgreSQL).
    db_threads: int
    # New JetStream streams: replicas (3 on a three-node cluster) and days kept. Existing streams
    # are never shrunk (services/common/streams.py).
    stream_replicas: int = 1
    stream_max_age_days: int = 30
    # Seconds each start-up step (the migration, the NATS connection) may take before start-up
    # fails with a line naming the setting; SIGTERM stops it at any time.
    startup_timeout: float = 60.0
    # Seconds between two samplings of the gauges only a query can answer (services/common/metrics.py).
    metrics_interval: float = 15.0
    # During a rotation of the internal key, a second key the services also accept (never used to
    # sign): first the new key here while the old one signs, then the other way round, then none
    # (deploy/k8s/README.md, Key rotation).
    internal_key_accepted: str = ""
    # Days a consumer remembers the events it handled (its redelivery guard): at least as long as
    # the streams keep events, or a consumer created again from a stream's head would apply old
    # events a second time.
    handled_events_retention_days: int = 45
    # Seconds a migration's DDL waits for a table lock, and any of its statements may run
    # (services/common/migrate.py says why).
    migration_lock_timeout: float = 10.0
    migration_statement_timeout: float = 900.0
    # "apply": migrate the schema at start (DATABASE_URL's role may change it). "wait": the
    # migrations Job does that under a DDL role; this process, with DML rights only, waits for the
    # schema to reach its release (deploy/k8s/components/migrations-job).
    migrate: str = "apply"
    # When migrating: the role the services run as, granted DML rights on the schema.
    dml_role: str = ""

    @classmethod
    def from_env(cls, service: str, default_port: int, env: Env | None = None) -> "CommonSettings":
        env = env or Env()
        prefix = service.upper()
        clock = env.str("COURTFLOW_CLOCK", "system")
        if clock not in ("system", "shared"):
            raise SettingsError(f"配置错误: COURTFLOW_CLOCK={clock!r} must be 'system' or 'shared'")
        log_level = env.str("COURTFLOW_LOG_LEVEL", "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise SettingsError(f"配置错误: COURTFLOW_LOG_LEVEL={log_level!r} must be one of {', '.join(LOG_LEVELS)}")
        span_export = env.optional("COURTFLOW_SPAN_EXPORT")
        if span_export == "otlp" and not _installed("opentelemetry.exporter.otlp.proto.grpc"):
            # Checked here, not when the first span is exported after the migration has run.
            raise SettingsError("配置错误: COURTFLOW_SPAN_EXPORT=otlp needs the otlp extra "
                                "(scripts/setup --extra otlp; the image includes it)")
        internal_key = env.str("COURTFLOW_INTERNAL_KEY")
        if len(internal_key) < 16:
            # It signs every caller context the gateway hands the services: a guessable one is none.
            raise SettingsError("配置错误: COURTFLOW_INTERNAL_KEY must be at least 16 characters")
        accepted = env.optional("COURTFLOW_INTERNAL_KEY_ACCEPTED")
        if accepted and (len(accepted) < 16 or accepted == internal_key):
            raise SettingsError("配置错误: COURTFLOW_INTERNAL_KEY_ACCEPTED must be at least 16 characters and "
                                "differ from COURTFLOW_INTERNAL_KEY (it is the other key of a rotation)")
        migrate = env.str("COURTFLOW_MIGRATE", "apply")
        if migrate not in ("apply", "wait"):
            raise SettingsError(f"配置错误: COURTFLOW_MIGRATE={migrate!r} must be 'apply' or 'wait'")
        stream_max_age_days = within(env, "COURTFLOW_STREAM_MAX_AGE_DAYS", 30, 1, 3650)
        handled_days = within(env, "COURTFLOW_HANDLED_EVENTS_RETENTION_DAYS", 45, 1, 3650)
        if handled_days <= stream_max_age_days:
            raise SettingsError(f"配置错误: COURTFLOW_HANDLED_EVENTS_RETENTION_DAYS={handled_days} must be more than "
                                f"COURTFLOW_STREAM_MAX_AGE_DAYS={stream_max_age_days} (a consumer made again from a "
                                "stream's head would apply events it has forgotten a second time)")
        return cls(
            service=service,
            grpc_port=env.int(f"{prefix}_GRPC_PORT", default_port),
            metrics_port=env.int(f"{prefix}_METRICS_PORT", default_port + 1000),
            metrics_host=env.str("COURTFLOW_METRICS_HOST", "127.0.0.1"),
            database_url=database_url(env.str("DATABASE_URL")),
            nats_url=_url(env.str("NATS_URL"), "NATS_URL", ("nats", "tls", "ws", "wss")),
            internal_key=internal_key,
            clock=clock,
            log_level=log_level,
            span_export=span_export,
            shutdown_drain=float_within(env, "COURTFLOW_SHUTDOWN_DRAIN", 1.0, 0.0, 300.0),
            shutdown_grace=float_within(env, "COURTFLOW_SHUTDOWN_GRACE", 5.0, 0.0, 300.0),
            db_threads=within(env, "COURTFLOW_DB_THREADS", 8, 1, 64),
            stream_replicas=within(env, "COURTFLOW_STREAM_REPLICAS", 1, 1, 5),
            stream_max_age_days=stream_max_age_days,
            startup_timeout=float_within(env, "COURTFLOW_STARTUP_TIMEOUT", 60.0, 1.0, 600.0),
            metrics_interval=float_within(env, "COURTFLOW_METRICS_INTERVAL", 15.0, 0.1, 600.0),
            internal_key_accepted=accepted,
            handled_events_retention_days=handled_days,
            migration_lock_timeout=float_within(env, "COURTFLOW_MIGRATION_LOCK_TIMEOUT", 10.0, 0.1, 600.0),
            migration_statement_timeout=float_within(env, "COURTFLOW_MIGRATION_STATEMENT_TIMEOUT", 900.0, 1.0,
                                                     86400.0),
            migrate=migrate,
            dml_role=env.optional("COURTFLOW_DML_ROLE"),
        )


    @property
    def verification_keys(self) -> tuple[str, ...]:
        """The keys a caller context may be signed with: the internal key, and during a rotation the other."""
        return (self.internal_key, self.internal_key_accepted) if self.internal_key_accepted else (self.internal_key,)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:   # a parent package is missing
        return False


def database_url(raw: str) -> str:
    """DATABASE_URL for SQLAlchemy with psycopg2: postgresql:// and postgres:// (what PostgreSQL
    tools and most platforms hand out) are taken as postgresql+psycopg2://."""
    scheme, sep, rest = raw.partition("://")
    if not sep:
        raise SettingsError("配置错误: DATABASE_URL is not a URL (postgresql://USER:PASSWORD@HOST:5432/DB)")
    if scheme in ("postgresql", "postgres", "postgresql+psycopg2"):
        return f"postgresql+psycopg2://{rest}"
    raise SettingsError(f"配置错误: DATABASE_URL scheme {scheme!r} is not postgresql:// (or postgresql+psycopg2://)")


def _url(raw: str, name: str, schemes: tuple[str, ...]) -> str:
    for url in raw.split(","):   # a NATS cluster is a comma-separated list of servers
        scheme, sep, _ = url.strip().partition("://")
        if not sep or scheme not in schemes:
            raise SettingsError(f"配置错误: {name}={url.strip()!r} must start with {' or '.join(s + '://' for s in schemes)}")
    return raw


def int_within(env: Env, name: str, default: int, low: int, high: int) -> int:
    value = env.int(name, default)
    if not low <= value <= high:
        raise SettingsError(f"配置错误: {name}={value} must be from {low} to {high}")
    return value


def float_within(env: Env, name: str, default: float, low: float, high: float) -> float:
    value = env.float(name, default)
    if not low <= value <= high:
        raise SettingsError(f"配置错误: {name}={value:g} must be from {low:g} to {high:g}")
    return value


def within(env: Env, name: str, default: int, low: int, high: int) -> int:
    value = env.int(name, default)
    if not low <= value <= high:
        raise SettingsError(f"配置错误: {name}={value} must be from {low} to {high}")
    return value
