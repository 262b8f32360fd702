"""Prometheus metrics shared by every service (each process exposes /metrics).

Counters and histograms move where the work happens. What an operator watches for work that is
*not* happening — events waiting in an outbox, messages waiting for a consumer, timers due but
not fired, SMS stuck, dead letters — are gauges that only a query can answer: a `Sampler` asks
those questions every COURTFLOW_METRICS_INTERVAL seconds, in the thread pool, so a scrape never
waits on PostgreSQL or NATS. Every replica samples the same rows, so dashboards and alert rules
take the max over replicas (deploy/k8s/monitoring/). Durations are `_duration_seconds`.
"""
from __future__ import annotations

import asyncio
import importlib.metadata
import logging
import platform
from typing import Callable

from prometheus_client import Counter, Gauge, Histogram, start_http_server
from sqlalchemy import func, select

log = logging.getLogger(__name__)

RPCS = Counter("courtflow_rpcs_total", "RPCs handled", ["method", "code"])
RPC_SECONDS = Histogram("courtflow_rpc_duration_seconds", "RPC latency in the service", ["method"])
EVENTS_PUBLISHED = Counter("courtflow_events_published_total", "Outbox events published to JetStream")
EVENTS_CONSUMED = Counter("courtflow_events_consumed_total", "Events handled by consumers",
                          ["consumer", "outcome"])
RATE_LIMITED = Counter("courtflow_gateway_rate_limited_total", "Calls refused by the gateway's per-caller rate limit",
                       ["role"])
# Every external call at the gateway, gRPC and HTTP-JSON alike, by its gRPC status code: what users
# and court systems get (a refusal included), as opposed to the services' own courtflow_rpcs_total.
GATEWAY_REQUESTS = Counter("courtflow_gateway_requests_total", "External calls answered by the gateway",
                           ["method", "code"])
GATEWAY_SECONDS = Histogram("courtflow_gateway_request_duration_seconds",
                            "Time the gateway took to answer a unary call (authentication and forwarding included)",
                            ["method"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15))
TIMERS_FIRED = Counter("courtflow_timers_fired_total", "Due-queue rungs fired", ["kind"])
SMS_SENT = Counter("courtflow_sms_total", "SMS deliveries by result", ["provider", "result"])
SMS_DIGESTS = Counter("courtflow_sms_digests_total", "Digest SMS composed from several reminders to one person")
MESSAGES_DELIVERED = Counter("courtflow_messages_delivered_total", "Reminders put in inboxes, by kind", ["kind"])
BUILD_INFO = Gauge("courtflow_build_info", "Always 1: the running component and its version",
                   ["service", "version", "python"])
GC_FROZEN = Gauge("courtflow_gc_frozen_objects", "Objects made while the process started, moved out of the garbage "
                  "collector's full collections (gc.freeze, services/common/server.py)")

# Sampled (see Sampler).
OUTBOX_UNPUBLISHED = Gauge("courtflow_outbox_unpublished_events", "Outbox events not yet published to JetStream",
                           ["service"])
OUTBOX_OLDEST = Gauge("courtflow_outbox_oldest_unpublished_age_seconds",
                      "Age of the oldest unpublished outbox event (0 when none)", ["service"])
DEAD_LETTERS = Gauge("courtflow_dead_letters", "Events a consumer gave up on, kept in the service's dead_letters",
                     ["service", "consumer"])
CONSUMER_PENDING = Gauge("courtflow_consumer_pending_messages",
                         "JetStream messages not yet delivered to the durable consumer", ["consumer"])
CONSUMER_ACK_PENDING = Gauge("courtflow_consumer_ack_pending_messages",
                             "JetStream messages delivered to the durable consumer and not yet acknowledged",
                             ["consumer"])
DUE_TIMERS_PENDING = Gauge("courtflow_due_timers_pending", "Due-queue timers armed and not yet fired")
DUE_TIMERS_LATE = Gauge("courtflow_due_timers_late", "Due-queue timers whose time has come and that have not fired")
DUE_TIMERS_LATE_AGE = Gauge("courtflow_due_timers_oldest_late_age_seconds",
                            "How long the oldest late timer has been due (0 when none)")
SMS_DELIVERIES = Gauge("courtflow_sms_deliveries", "SMS deliveries by state: pending (never tried), retrying "
                       "(tried and to be tried again) and failed (given up for good)", ["state"])
SMS_OLDEST_PENDING = Gauge("courtflow_sms_oldest_pending_age_seconds",
                           "Age of the oldest SMS delivery still to be sent (0 when none)")
SAMPLED = Gauge("courtflow_metrics_sampled_timestamp_seconds",
                "When the sampled gauges were last brought up to date (a stale value means they are not)")

Probe = Callable[[], None]


def serve(port: int, host: str) -> None:
    if port > 0:
        start_http_server(port, addr=host)


def build_info(service: str) -> None:
    try:
        version = importlib.metadata.version("courtflow")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    BUILD_INFO.labels(service, version, platform.python_version()).set(1)


def messaging_probe(service: str, uow_factory: Callable, messaging) -> Probe:
    """The service's outbox backlog and its dead letters (services/common/db.py's tables)."""
    outbox, letters = messaging.outbox, messaging.dead_letters
    seen: set[str] = set()

    def probe() -> None:
        with uow_factory() as uow:
            count, oldest = uow.session.execute(select(func.count(), func.min(outbox.c.created_at))
                                                .where(outbox.c.published_at.is_(None))).one()
            per_consumer = dict(uow.session.execute(select(letters.c.consumer, func.count())
                                                    .group_by(letters.c.consumer)).all())
            now = uow.clock.now()
        OUTBOX_UNPUBLISHED.labels(service).set(count)
        OUTBOX_OLDEST.labels(service).set(age(now, oldest))
        for consumer in seen | set(per_consumer):   # a consumer whose letters were replayed goes back to 0
            DEAD_LETTERS.labels(service, consumer).set(per_consumer.get(consumer, 0))
        seen.update(per_consumer)
    return probe


def age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then is not None else 0.0


class Sampler:
    """Brings the sampled gauges up to date now and then, until the service stops. A probe that
    fails (the database away for a moment) is logged and leaves its gauges as they were; the
    timestamp gauge tells how fresh they are."""

    def __init__(self, *, interval: float, probes: list[Probe], js=None,
                 consumers: list[tuple[str, str]] = ()) -> None:
        self._interval, self._probes, self._js = interval, probes, js
        self._consumers = sorted(set(consumers))   # (stream, durable); replicas' loops share one durable
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            await self.sample()
            try:
                await asyncio.wait_for(self._stopping.wait(), self._interval)
            except asyncio.TimeoutError:
                pass

    async def stop(self) -> None:
        self._stopping.set()

    async def sample(self) -> bool:
        """One round; whether every probe answered."""
        ok = True
        for probe in self._probes:
            try:
                await asyncio.to_thread(probe)
            except Exception as exc:
                ok = False
                log.warning("sampling metrics failed (%s): %s", getattr(probe, "__qualname__", probe), exc)
        for stream, durable in self._consumers:
            try:
                info = await self._js.consumer_info(stream, durable, timeout=2)
            except Exception as exc:
                ok = False
                log.warning("sampling consumer %s failed: %s: %s", durable, type(exc).__name__, exc)
                continue
            CONSUMER_PENDING.labels(durable).set(info.num_pending or 0)
            CONSUMER_ACK_PENDING.labels(durable).set(info.num_ack_pending or 0)
        if ok:
            SAMPLED.set_to_current_time()
        return ok


# The revision of the shared clock's KV entry this process has applied (COURTFLOW_CLOCK=shared):
# whoever moves the clock can tell when every process runs on the new time.
SHARED_CLOCK_REVISION = Gauge("courtflow_shared_clock_revision", "Shared clock (NATS KV) revision applied")
