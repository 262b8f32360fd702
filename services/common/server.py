"""Service bootstrap: the one way every CourtFlow service starts and stops.

Concurrency model (the same in every service): one asyncio event loop per
process runs the gRPC aio server, the NATS client, the outbox relay, consumers
and background loops; blocking PostgreSQL work runs in a bounded thread pool
(`Runtime.db`), so the loop never waits on the database.

Shutdown on SIGTERM/SIGINT: health NOT_SERVING → a short drain while load
balancers notice → stop accepting RPCs with a grace period → stop relay,
consumers and loops → drain NATS → dispose the engine.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Awaitable, Callable

import grpc
import nats
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from nats.js import JetStreamContext
from opentelemetry.instrumentation.grpc import aio_server_interceptor
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from services.common import metrics
from services.common.clock import Clock, SharedClock, SystemClock
from services.common.consumer import ConsumerRunner, Subscription, prune_handled
from services.common.db import Messaging, make_engine
from services.common.events import stream_name
from services.common.guard import Guard
from services.common.migrate import SchemaBehind, upgrade, wait_for_head
from services.common.periodic import Periodic
from services.common.relay import OutboxRelay
from services.common.settings import CommonSettings
from services.common.streams import StreamPolicy, ensure_dead_letter_stream, ensure_producer_stream
from services.common.telemetry import setup_logging, setup_tracing
from services.common.uow import UnitOfWork, uow_factory

log = logging.getLogger(__name__)
PRUNE_HANDLED_INTERVAL = 3600.0


@dataclass
class Runtime:
    """What a service's composition root (app.py) is given to wire itself."""

    settings: CommonSettings
    engine: Engine
    clock: Clock
    nc: nats.NATS
    js: JetStreamContext
    relay: OutboxRelay
    messaging: Messaging
    uow: Callable[[], UnitOfWork] = field(init=False)

    def __post_init__(self) -> None:
        self.uow = uow_factory(self.engine, producer=self.settings.service, messaging=self.messaging,
                               clock=self.clock, after_publish=self.relay.wake)

    async def db(self, fn: Callable, /, *args, **kwargs):
        """Run blocking database work in the thread pool (context vars travel along).

        A connection found broken (PostgreSQL restarted since it was pooled) invalidates the
        pool and the work is run once more on a fresh connection. Use cases passed here are
        reads or idempotent writes (creates are keyed by request_id), so a retry is safe."""
        try:
            return await asyncio.to_thread(partial(fn, *args, **kwargs))
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            log.warning("database connection lost; retrying once on a new connection")
            return await asyncio.to_thread(partial(fn, *args, **kwargs))


@dataclass
class ServiceApp:
    """What app.py returns: servicers to register, subscriptions and background loops."""

    service_names: list[str]
    register: Callable[[grpc.aio.Server], None]
    subscriptions: list[Subscription] = field(default_factory=list)
    loops: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Gauges of the service's own tables (its outbox and dead letters are sampled for every service).
    probes: list[metrics.Probe] = field(default_factory=list)
    # Services verify the caller context the gateway signed; the gateway itself authenticates instead.
    guarded: bool = True


class StartupFailed(Exception):
    """A dependency could not be reached at start-up: one line for the operator, naming the setting."""


class StoppedWhileStarting(Exception):
    """SIGTERM or SIGINT came before the server was up."""


async def _starting(stop: asyncio.Event, step: Awaitable, *, what: str, setting: str, timeout: float):
    """One start-up step, bounded by the start-up deadline and abandoned at SIGTERM: a NATS URL on a
    closed port, or a PostgreSQL that accepts and never answers, must not hold a pod (or an init
    container) for ever, nor make it deaf to Kubernetes stopping it."""
    task, stopping = asyncio.ensure_future(step), asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({task, stopping}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if task in done:
        try:
            return task.result()
        except SchemaBehind as exc:   # reached PostgreSQL; the migrations Job has not run
            raise StartupFailed(f"启动失败: {exc}（COURTFLOW_MIGRATE=wait）") from None
        except Exception as exc:   # one line, not a traceback a second
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise StartupFailed(f"启动失败: 无法连接{what}（{setting}）: {type(exc).__name__}: {first}") from None
    task.cancel()
    if stop.is_set():
        raise StoppedWhileStarting()
    raise StartupFailed(f"启动失败: {timeout:g} 秒内无法连接{what}（{setting}），请检查该设置与网络")


def serve(settings: CommonSettings, *, schema: str, migrations: Path, messaging: Messaging,
          build: Callable[[Runtime], ServiceApp]) -> None:
    setup_logging(settings.service, settings.log_level)
    setup_tracing(settings.service, settings.span_export)
    try:
        asyncio.run(_serve(settings, schema=schema, migrations=migrations, messaging=messaging, build=build,
                           shutdown_drain=settings.shutdown_drain))
    except (StartupFailed, StoppedWhileStarting) as exc:
        if isinstance(exc, StartupFailed):
            log.error("%s", exc)
        logging.shutdown()
        # Not sys.exit: a migration thread may still wait on its connection; nothing is running yet.
        os._exit(1 if isinstance(exc, StartupFailed) else 0)


async def _serve(settings: CommonSettings, *, schema: str, migrations: Path, messaging: Messaging,
                 build: Callable[[Runtime], ServiceApp], shutdown_drain: float) -> None:
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(settings.db_threads, thread_name_prefix="db"))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    deadline = dict(timeout=settings.startup_timeout)
    await _starting(stop, asyncio.to_thread(prepare_schema, settings, schema=schema, migrations=migrations),
                    what=" PostgreSQL", setting="DATABASE_URL", **deadline)
    engine = make_engine(settings.database_url, pool_size=settings.db_threads,
                         application_name=f"courtflow-{settings.service}")
    nc = await _starting(stop, nats.connect(settings.nats_url, name=f"courtflow-{settings.service}",
                                            max_reconnect_attempts=-1, reconnect_time_wait=1, connect_timeout=2,
                                            error_cb=_nats_error, disconnected_cb=_nats_disconnected),
                         what=" NATS", setting="NATS_URL", **deadline)
    js = nc.jetstream()
    streams = StreamPolicy(replicas=settings.stream_replicas, max_age_days=settings.stream_max_age_days)
    await ensure_producer_stream(js, settings.service, streams)
    await ensure_dead_letter_stream(js, streams)
    clock: Clock = SystemClock()
    if settings.clock == "shared":
        clock = SharedClock()
        await clock.start(js)
    relay = OutboxRelay(engine=engine, outbox=messaging.outbox, js=js)
    rt = Runtime(settings=settings, engine=engine, clock=clock, nc=nc, js=js, relay=relay, messaging=messaging)
    app = build(rt)
    metrics.build_info(settings.service)
    sampler = metrics.Sampler(
        interval=settings.metrics_interval, js=js,
        probes=[metrics.messaging_probe(settings.service, rt.uow, messaging), *app.probes],
        consumers=[(stream_name(s.producer), s.durable) for s in app.subscriptions if not s.retired])

    # Housekeeping of the consumers' redelivery guard (COURTFLOW_HANDLED_EVENTS_RETENTION_DAYS).
    pruning = Periodic(lambda: prune_handled(engine, messaging.handled, now=clock.now(),
                                             retention_days=settings.handled_events_retention_days),
                       interval=PRUNE_HANDLED_INTERVAL, name="pruning handled events")
    runners = [ConsumerRunner(s, js=js, uow_factory=rt.uow, dead_letters=messaging.dead_letters, streams=streams)
               for s in app.subscriptions for _ in range(s.workers)]
    for runner in runners:
        await runner.start()

    interceptors = [aio_server_interceptor()] + ([Guard(settings.verification_keys)] if app.guarded else [])
    server = grpc.aio.server(interceptors=interceptors,
                             options=[("grpc.max_receive_message_length", 4 * 1024 * 1024), ("grpc.so_reuseport", 0),
                                      # Clients reconnect now and then, so new replicas get a share of the calls.
                                      ("grpc.max_connection_age_ms", 5 * 60 * 1000),
                                      ("grpc.max_connection_age_grace_ms", 30 * 1000)])
    app.register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection([*app.service_names, health.SERVICE_NAME, reflection.SERVICE_NAME],
                                        server)
    prefix = settings.service.upper()
    try:
        server.add_insecure_port(f"0.0.0.0:{settings.grpc_port}")
    except RuntimeError as exc:   # grpc's "Failed to bind": the port is taken
        raise StartupFailed(f"启动失败: gRPC 端口 {settings.grpc_port} 无法使用（{prefix}_GRPC_PORT）: {exc}") from None
    try:
        metrics.serve(settings.metrics_port, settings.metrics_host)
    except OSError as exc:
        raise StartupFailed(f"启动失败: 指标端口 {settings.metrics_host}:{settings.metrics_port} 无法使用"
                            f"（{prefix}_METRICS_PORT）: {exc.strerror or exc}") from None
    metrics.GC_FROZEN.set(freeze_startup_heap())
    await server.start()

    tasks = [asyncio.create_task(relay.run(), name="relay"), asyncio.create_task(sampler.run(), name="metrics"),
             asyncio.create_task(pruning.run(), name="pruning handled events")]
    tasks += [asyncio.create_task(r.run(), name=r.sub.durable) for r in runners]
    tasks += [asyncio.create_task(fn(), name=getattr(fn, "__name__", "loop")) for fn in app.loops]
    for name in ["", *app.service_names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("%s serving on :%d", settings.service, settings.grpc_port)

    # A background loop that ends by itself has failed: stop the process (non-zero exit) so that
    # its supervisor restarts it, instead of serving on without a relay or a consumer.
    stopper = asyncio.create_task(stop.wait(), name="stop-signal")
    done, _ = await asyncio.wait([stopper, *tasks], return_when=asyncio.FIRST_COMPLETED)
    failed = [t for t in done if t is not stopper]
    for task in failed:
        log.critical("%s: background task %s ended unexpectedly: %r", settings.service, task.get_name(),
                     task.exception() if not task.cancelled() else "cancelled")
    log.info("%s shutting down", settings.service)
    for name in ["", *app.service_names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    await asyncio.sleep(shutdown_drain)
    await server.stop(settings.shutdown_grace)
    await relay.stop()
    await sampler.stop()
    await pruning.stop()
    for runner in runners:
        await runner.stop()
    for fn in app.on_stop:
        await fn()
    _, pending = await asyncio.wait([t for t in tasks if not t.done()] or [stopper], timeout=settings.shutdown_grace)
    for task in pending:
        task.cancel()
    for runner in runners:
        await runner.close()
    if isinstance(clock, SharedClock):
        await clock.stop()
    try:
        await asyncio.wait_for(nc.drain(), timeout=5)
    except Exception:
        log.warning("NATS drain did not finish cleanly", exc_info=True)
    engine.dispose()
    log.info("%s stopped", settings.service)
    if failed:
        raise SystemExit(1)


def freeze_startup_heap() -> int:
    """Take what the process made while starting out of the garbage collector's full collections.

    Modules, protobuf descriptors, SQLAlchemy's metadata and the wiring live as long as the process:
    about 145,000 objects, which every full collection scanned again, 50 ms on a 2-core machine,
    spent in whichever call or batch was running (a supervision question's 30 ms became 90 ms about
    once in 40: bench/supervision.py's p95). Frozen, they are never scanned; a full collection then
    walks only what was made since. Call once, when the process is ready to serve."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def prepare_schema(settings: CommonSettings, *, schema: str, migrations: Path) -> None:
    """Migrate the schema, or (COURTFLOW_MIGRATE=wait) wait for the migrations Job to have done so."""
    if settings.migrate == "wait":
        # Within the start-up deadline, so that its own message (not the deadline's) is the one logged.
        wait_for_head(settings.database_url, schema=schema, migrations=migrations,
                      timeout=settings.startup_timeout * 0.8)
    else:
        upgrade(settings.database_url, schema=schema, migrations=migrations, dml_role=settings.dml_role,
                lock_timeout=settings.migration_lock_timeout, statement_timeout=settings.migration_statement_timeout)


_nats_errors_logged: dict[str, float] = {}


async def _nats_error(exc: Exception) -> None:
    # nats-py's default prints a traceback per attempt; one line per kind of error a minute is enough.
    kind, now = type(exc).__name__, time.monotonic()
    if now - _nats_errors_logged.get(kind, -60.0) >= 60.0:
        _nats_errors_logged[kind] = now
        log.warning("NATS (NATS_URL): %s: %s", kind, str(exc).splitlines()[0][:300] if str(exc) else "")


async def _nats_disconnected() -> None:
    log.warning("NATS (NATS_URL): disconnected; reconnecting")


def run_main(argv: list[str], *, settings: CommonSettings, schema: str, migrations: Path, messaging: Messaging,
             build: Callable[[Runtime], ServiceApp]) -> None:
    """Entry point of `python -m services.<svc> [serve|migrate]`."""
    command = argv[0] if argv else "serve"
    if command == "migrate":
        setup_logging(settings.service, settings.log_level)
        try:
            prepare_schema(settings, schema=schema, migrations=migrations)
        except DBAPIError as exc:   # one line naming the setting (an init container's whole log)
            first = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0][:300]
            log.error("迁移失败: PostgreSQL（DATABASE_URL）: %s: %s", type(exc.orig).__name__, first)
            raise SystemExit(1) from None
        except SchemaBehind as exc:
            log.error("%s", exc)
            raise SystemExit(1) from None
        log.info("%s schema %s %s", settings.service, schema,
                 "is at this release" if settings.migrate == "wait" else "migrated")
    elif command == "serve":
        serve(settings, schema=schema, migrations=migrations, messaging=messaging, build=build)
    else:
        module = "gateway" if settings.service == "gateway" else f"services.{settings.service}"
        raise SystemExit(f"usage: python -m {module} [serve|migrate]")
