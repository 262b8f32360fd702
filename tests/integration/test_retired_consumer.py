"""A retired durable consumer (Subscription.retired: its work moved to another, as the stats
service's counters moved from `stats-node` into `stats-supervision-node`) against a real NATS and
PostgreSQL: where the bus still has it, what it holds is applied and it is deleted, so that no
backlog is left behind and nothing reads as stuck; where it is not, it is never created."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from nats.js.errors import NotFoundError
from sqlalchemy import create_engine

from courtflow.node.v1.node_events_pb2 import NodeWarned

from conftest import new_database
from services.common import uow as units
from services.common.clock import SystemClock
from services.common.consumer import ConsumerRunner, Subscription
from services.common.events import build_envelope
from services.common.integrity import stuck_consumers
from services.common.migrate import upgrade
from services.common.streams import StreamPolicy, ensure_producer_stream
from services.node import models as node_models

pytestmark = pytest.mark.timeout(120)


def _runner(database: str, js, producer: str, applied: list) -> tuple[ConsumerRunner, Subscription]:
    engine = create_engine(database, pool_size=2)
    uow = units.uow_factory(engine, producer="node", messaging=node_models.MESSAGING, clock=SystemClock())
    sub = Subscription(consumer="node", producer=producer, types=(NodeWarned,), retired=True,
                       batch_handler=lambda _uow, events: applied.extend(e.envelope.id for e in events))
    return ConsumerRunner(sub, js=js, uow_factory=uow, dead_letters=node_models.MESSAGING.dead_letters,
                          streams=StreamPolicy()), sub


def test_a_retired_consumer_is_drained_then_deleted_and_never_made_anew(postgres, nats_servers):
    database = new_database(postgres, "retired")
    upgrade(database, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    nats_url, _ = nats_servers.new("retired")
    producer = f"t{uuid.uuid4().hex[:6]}"
    stream = producer.upper()

    async def scenario() -> None:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await ensure_producer_stream(js, producer, StreamPolicy())
        applied: list[str] = []
        runner, sub = _runner(database, js, producer, applied)
        # As the release before made it: a durable with three events it has not handled yet.
        await js.add_consumer(stream, ConsumerConfig(durable_name=sub.durable, ack_policy=AckPolicy.EXPLICIT,
                                                     filter_subjects=sub.subjects))
        ids = [str(uuid.uuid4()) for _ in range(3)]
        for event_id in ids:
            envelope = build_envelope(NodeWarned(), event_id=uuid.UUID(event_id), producer=producer, court="440101",
                                      aggregate_type="node", aggregate_id="n1", occurred_at=datetime.now(timezone.utc))
            await js.publish(f"courtflow.{producer}.v1.node_warned", envelope.SerializeToString(),
                             headers={"Nats-Msg-Id": event_id})
        assert (await js.consumer_info(stream, sub.durable)).num_pending == 3

        await runner.start()
        task = asyncio.ensure_future(runner.run())

        async def deleted() -> bool:
            try:
                await js.consumer_info(stream, sub.durable)
                return False
            except NotFoundError:
                return True
        await asyncio.wait_for(runner.retired_done.wait(), 30)
        assert await deleted() and not task.done()
        assert sorted(applied) == sorted(ids)   # what it held was applied before it went
        # Gone, it leaves nothing behind that `verify` would call stuck.
        assert await stuck_consumers(js, older_than=timedelta(0)) == []
        await runner.stop()
        await asyncio.wait_for(task, 5)
        await runner.close()

        # A service started again (or on a bus that never had it): not made anew, and it waits.
        again, sub = _runner(database, js, producer, applied)
        await again.start()
        task = asyncio.ensure_future(again.run())
        # Its loop says it has nothing left to do, and then waits for the stop instead of ending (a
        # loop that ends stops the service): one that returned would be done by now.
        await asyncio.wait_for(again.retired_done.wait(), 30)
        assert not task.done()
        assert await deleted() and [c.name for c in await js.consumers_info(stream)] == []
        await again.stop()
        await asyncio.wait_for(task, 5)
        await again.close()
        await nc.close()

    asyncio.run(scenario())
