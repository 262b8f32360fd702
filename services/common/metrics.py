"""Prometheus metrics shared by every service (each process exposes /metrics)."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

RPCS = Counter("courtflow_rpcs_total", "RPCs handled", ["method", "code"])
RPC_SECONDS = Histogram("courtflow_rpc_seconds", "RPC latency", ["method"])
EVENTS_PUBLISHED = Counter("courtflow_events_published_total", "Outbox events published to JetStream")
EVENTS_CONSUMED = Counter("courtflow_events_consumed_total", "Events handled by consumers",
                          ["consumer", "outcome"])
RATE_LIMITED = Counter("courtflow_gateway_rate_limited_total", "Calls refused by the gateway's per-caller rate limit",
                       ["role"])
TIMERS_FIRED = Counter("courtflow_timers_fired_total", "Due-queue rungs fired", ["kind"])
SMS_SENT = Counter("courtflow_sms_total", "SMS deliveries by result", ["provider", "result"])
SMS_DIGESTS = Counter("courtflow_sms_digests_total", "Digest SMS composed from several reminders to one person")
MESSAGES_DELIVERED = Counter("courtflow_messages_delivered_total", "Reminders put in inboxes, by kind", ["kind"])


def serve(port: int, host: str) -> None:
    if port > 0:
        start_http_server(port, addr=host)
# The revision of the shared clock's KV entry this process has applied (COURTFLOW_CLOCK=shared):
# whoever moves the clock can tell when every process runs on the new time.
SHARED_CLOCK_REVISION = Gauge("courtflow_shared_clock_revision", "Shared clock (NATS KV) revision applied")
