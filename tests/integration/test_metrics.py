"""The gauges an operator watches (issue 20, item 9) against a real PostgreSQL and NATS: each
moves with what it counts. The outbox backlog rises while NATS is away and falls once the relay
has published; a consumer's pending messages; dead letters; due timers that have not fired; SMS
still to send, being retried and given up. Ages follow the service's (injected) clock."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, delete, insert

from courtflow.alert.v1.alert_pb2 import DeliveryState
from courtflow.node.v1.node_events_pb2 import NodeWarned

from conftest import new_database
from services.alert import models as alert_models
from services.alert.sms import sample_deliveries
from services.common import metrics, uow as units
from services.common.clock import ManualClock
from services.common.migrate import upgrade
from services.common.relay import OutboxRelay
from services.common.streams import StreamPolicy, ensure_producer_stream
from services.node import models as node_models
from services.node.due_queue import sample_backlog
from services.node.models import DueTimerRow

pytestmark = pytest.mark.timeout(120)
T0 = datetime(2026, 3, 2, 2, tzinfo=timezone.utc)


def gauge(name: str, **labels) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def node_uow(url: str, clock: ManualClock):
    engine = create_engine(url, pool_size=4)
    return units.uow_factory(engine, producer="node", messaging=node_models.MESSAGING, clock=clock), engine


@pytest.fixture
def database(postgres) -> str:
    url = new_database(postgres, "metrics")
    upgrade(url, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    upgrade(url, schema=alert_models.SCHEMA, migrations=Path(alert_models.__file__).parent / "migrations")
    return url


def publish(uow_factory, n: int) -> None:
    with uow_factory() as uow:
        for _ in range(n):
            uow.publish(NodeWarned(), court="440101", aggregate_type="node", aggregate_id=str(uuid.uuid4()))
        uow.commit()


def test_outbox_backlog_rises_while_nats_is_away_and_falls_after_and_consumers_show_their_pending(
        database, nats_servers):
    url, server = nats_servers.new("metrics")
    if server is None:
        pytest.skip("needs the embedded NATS server, which the test stops")
    clock = ManualClock(T0)
    uow_factory, engine = node_uow(database, clock)
    messaging = metrics.messaging_probe("node", uow_factory, node_models.MESSAGING)

    async def run():
        nc = await nats.connect(url, max_reconnect_attempts=-1, reconnect_time_wait=0.2)
        js = nc.jetstream()
        await ensure_producer_stream(js, "node", StreamPolicy())
        await js.add_consumer("NODE", ConsumerConfig(durable_name="metrics-node", ack_policy=AckPolicy.EXPLICIT,
                                                     filter_subjects=["courtflow.node.v1.>"]))
        sampler = metrics.Sampler(interval=60, probes=[messaging], js=js, consumers=[("NODE", "metrics-node")])
        relay = OutboxRelay(engine=engine, outbox=node_models.MESSAGING.outbox, js=js, ack_timeout=1)
        try:
            assert await sampler.sample()
            assert gauge("courtflow_outbox_unpublished_events", service="node") == 0
            assert gauge("courtflow_outbox_oldest_unpublished_age_seconds", service="node") == 0
            assert gauge("courtflow_consumer_pending_messages", consumer="metrics-node") == 0

            server.stop()                     # NATS away: the relay cannot publish
            publish(uow_factory, 3)
            clock.advance(timedelta(seconds=90))
            assert await relay.publish_once() == 0
            assert not await sampler.sample()   # the consumer cannot be asked now; the database can
            assert gauge("courtflow_outbox_unpublished_events", service="node") == 3
            assert gauge("courtflow_outbox_oldest_unpublished_age_seconds", service="node") == 90

            server.start()                    # back: the relay catches up and the backlog is gone
            published = 0
            for _ in range(100):
                published += await relay.publish_once()
                if published >= 3:
                    break
                await asyncio.sleep(0.1)
            assert published == 3
            assert await sampler.sample()
            assert gauge("courtflow_outbox_unpublished_events", service="node") == 0
            assert gauge("courtflow_outbox_oldest_unpublished_age_seconds", service="node") == 0
            assert gauge("courtflow_consumer_pending_messages", consumer="metrics-node") == 3
            assert gauge("courtflow_metrics_sampled_timestamp_seconds") > 0
        finally:
            await nc.close()

    try:
        asyncio.run(run())
    finally:
        engine.dispose()
        if not server.is_running():
            server.start()


def test_dead_letters_are_counted_per_consumer_and_go_back_to_zero(database):
    uow_factory, engine = node_uow(database, ManualClock(T0))
    probe = metrics.messaging_probe("node", uow_factory, node_models.MESSAGING)
    letters = node_models.MESSAGING.dead_letters
    try:
        with engine.begin() as conn:
            conn.execute(insert(letters), [dict(consumer="node-case", event_id=str(uuid.uuid4()), subject="s",
                                                payload=b"", error="e", deliveries=10, failed_at=T0)
                                           for _ in range(2)])
        probe()
        assert gauge("courtflow_dead_letters", service="node", consumer="node-case") == 2
        with engine.begin() as conn:
            conn.execute(delete(letters))
        probe()   # replayed or removed: the consumer's count goes back to 0, not stale at 2
        assert gauge("courtflow_dead_letters", service="node", consumer="node-case") == 0
    finally:
        engine.dispose()


def test_due_timers_armed_and_late(database):
    clock = ManualClock(T0)
    uow_factory, engine = node_uow(database, clock)
    try:
        with engine.begin() as conn:
            conn.execute(insert(DueTimerRow), [
                dict(node_id=uuid.uuid4(), rung=rung, fire_at=T0 + at, fired_at=fired) for rung, at, fired in [
                    (0, -timedelta(minutes=10), None),   # late
                    (3, -timedelta(minutes=1), None),    # late
                    (0, timedelta(days=3), None),        # armed
                    (0, -timedelta(days=1), T0)]])       # fired
        sample_backlog(uow_factory)
        assert (gauge("courtflow_due_timers_pending"), gauge("courtflow_due_timers_late"),
                gauge("courtflow_due_timers_oldest_late_age_seconds")) == (3, 2, 600)
        clock.advance(timedelta(days=4))   # all three due, none fired: the sweepers are not keeping up
        sample_backlog(uow_factory)
        assert (gauge("courtflow_due_timers_pending"), gauge("courtflow_due_timers_late")) == (3, 3)
        assert gauge("courtflow_due_timers_oldest_late_age_seconds") == 4 * 86400 + 600
    finally:
        engine.dispose()


def test_sms_pending_retrying_and_failed_apart(database):
    clock = ManualClock(T0)
    engine = create_engine(database, pool_size=2)
    uow_factory = units.uow_factory(engine, producer="alert", messaging=alert_models.MESSAGING, clock=clock)

    def delivery(state, *, attempts=0, reason=None, created=T0):
        return dict(id=uuid.uuid4(), dedupe_key=str(uuid.uuid4()), recipient="users/judge", node="n", text="t",
                    state=state, attempts=attempts, failure_reason=reason, next_attempt_at=created,
                    create_time=created)
    try:
        with engine.begin() as conn:
            conn.execute(insert(alert_models.SmsDeliveryRow), [
                delivery(DeliveryState.DELIVERY_STATE_PENDING, created=T0 - timedelta(hours=2)),
                delivery(DeliveryState.DELIVERY_STATE_PENDING, attempts=2, reason="isv.BUSINESS_LIMIT_CONTROL"),
                delivery(DeliveryState.DELIVERY_STATE_FAILED, attempts=1, reason="isv.MOBILE_NUMBER_ILLEGAL"),
                delivery(DeliveryState.DELIVERY_STATE_FAILED, attempts=10, reason="timeout"),
                delivery(DeliveryState.DELIVERY_STATE_SENT, attempts=1),
            ])
        sample_deliveries(uow_factory)
        assert {s: gauge("courtflow_sms_deliveries", state=s) for s in ("pending", "retrying", "failed")} == {
            "pending": 1, "retrying": 1, "failed": 2}
        assert gauge("courtflow_sms_oldest_pending_age_seconds") == 7200
    finally:
        engine.dispose()
