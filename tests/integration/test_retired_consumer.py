"""A retired durable consumer (Subscription.retired_for: its work moved to another, as the stats
service's counters moved from `stats-node` into `stats-supervision-node`) against a real NATS and
PostgreSQL: where the bus still has it, what it holds is applied and it is deleted, so that no
backlog is left behind and nothing reads as stuck; where it is not, it is never created; what it
gives up on is its successor's dead letter, replayed where the successor reads it."""
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
from services.common.consumer import REPLAY_OF, ConsumerRunner, Subscription, replay_subject
from services.common.events import build_envelope
from services.common.integrity import stuck_consumers
from services.common.migrate import upgrade
from services.common.streams import StreamPolicy, ensure_dead_letter_stream, ensure_producer_stream
from services.node import models as node_models
from runtime.dead_letters_cli import replay
from runtime.verify_cli import dead_letters
from support import eventually_async

pytestmark = pytest.mark.timeout(120)


def _runner(database: str, js, producer: str, applied: list, **options) -> tuple[ConsumerRunner, Subscription]:
    engine = create_engine(database, pool_size=2)
    uow = units.uow_factory(engine, producer="node", messaging=node_models.MESSAGING, clock=SystemClock())
    handler = options.pop("batch_handler", lambda _uow, events: applied.extend(e.envelope.id for e in events))
    sub = Subscription(consumer="node", producer=producer, types=(NodeWarned,),
                       retired_for=f"node-supervision-{producer}", batch_handler=handler, **options)
    return ConsumerRunner(sub, js=js, uow_factory=uow, dead_letters=node_models.MESSAGING.dead_letters,
                          streams=StreamPolicy()), sub


async def _publish_warned(js, producer: str) -> str:
    event_id = str(uuid.uuid4())
    envelope = build_envelope(NodeWarned(), event_id=uuid.UUID(event_id), producer=producer, court="440101",
                              aggregate_type="node", aggregate_id="n1", occurred_at=datetime.now(timezone.utc))
    await js.publish(f"courtflow.{producer}.v1.node_warned", envelope.SerializeToString(),
                     headers={"Nats-Msg-Id": event_id})
    return event_id


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
        ids = [await _publish_warned(js, producer) for _ in range(3)]
        async def three_pending() -> bool:
            return (await js.consumer_info(stream, sub.durable)).num_pending == 3
        await eventually_async(three_pending, what="three events pending for the old durable")

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


def test_what_a_retired_consumer_gives_up_on_is_its_successors_dead_letter(postgres, nats_servers):
    """An event the retired durable fails on is kept as a dead letter of the consumer that took
    over its work, and `courtflow dead-letters replay` puts it on that consumer's replay subject —
    under the retired name it would go to a subject nobody reads once the durable is deleted."""
    database = new_database(postgres, "retiredletters")
    upgrade(database, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    nats_url, _ = nats_servers.new("retired-letters")
    producer = f"t{uuid.uuid4().hex[:6]}"
    stream = producer.upper()

    def broken(_uow, _events):
        raise RuntimeError("计数处理失败")

    async def scenario() -> None:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await ensure_producer_stream(js, producer, StreamPolicy())
        await ensure_dead_letter_stream(js, StreamPolicy())
        runner, sub = _runner(database, js, producer, [], batch_handler=broken, max_deliver=1)
        await js.add_consumer(stream, ConsumerConfig(durable_name=sub.durable, ack_policy=AckPolicy.EXPLICIT,
                                                     max_deliver=1, filter_subjects=sub.subjects))
        event_id = await _publish_warned(js, producer)
        await runner.start()
        task = asyncio.ensure_future(runner.run())
        await asyncio.wait_for(runner.retired_done.wait(), 30)   # the letter kept, then the durable deleted
        (letter,) = dead_letters(database)
        assert (letter["consumer"], letter["event_id"]) == (sub.retired_for, event_id)

        # The successor reads its replay subject (Subscription.subjects); a probe on it stands in.
        successor = Subscription(consumer="node", producer=producer, view="supervision", types=(NodeWarned,),
                                 batch_handler=broken)
        assert successor.durable == sub.retired_for
        assert replay_subject(producer, successor.durable) in successor.subjects
        await js.add_consumer(stream, ConsumerConfig(durable_name="probe", ack_policy=AckPolicy.EXPLICIT,
                                                     filter_subject=replay_subject(producer, successor.durable)))
        probe = await js.pull_subscribe_bind("probe", stream=stream)
        assert await replay(database, nats_url, [letter], operator="ops") == {}
        (replayed,) = await probe.fetch(1, timeout=10)
        assert replayed.headers[REPLAY_OF] == event_id and dead_letters(database) == []
        await runner.stop()
        await asyncio.wait_for(task, 5)
        await runner.close()
        await nc.close()

    asyncio.run(scenario())


def test_migration_0018_gives_the_retired_counters_letters_to_their_successor(postgres):
    """A stats schema of the release before kept letters of `stats-node`: they become letters of
    `stats-supervision-node`, and one the successor kept for the same event already is that one."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from services.stats import models as stats_models

    url = new_database(postgres, "retiredmigration")
    engine = create_engine(url)
    rows = [("stats-node", "e1", "counters"), ("stats-node", "e2", "counters"),
            ("stats-supervision-node", "e2", "read model"), ("stats-case", "e3", "cases")]
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {stats_models.SCHEMA}"))
        conn.commit()
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(stats_models.__file__).parent / "migrations"))
        cfg.attributes["connection"] = conn
        cfg.attributes["schema"] = stats_models.SCHEMA
        command.upgrade(cfg, "0017")
        for consumer, event_id, error in rows:
            conn.execute(text(f"INSERT INTO {stats_models.SCHEMA}.dead_letters VALUES "
                              "(:c, :e, 'courtflow.node.v1.node_overdue', '\\x00', :error, 10, now())"),
                         {"c": consumer, "e": event_id, "error": error})
        conn.commit()
        command.upgrade(cfg, "head")
        conn.commit()
        kept = conn.execute(text(f"SELECT consumer, event_id, error FROM {stats_models.SCHEMA}.dead_letters "
                                 "ORDER BY event_id")).all()
    engine.dispose()
    from services.stats.consumers import subscriptions   # the names the migration moves between
    assert [(s.durable, s.retired_for) for s in subscriptions() if s.retired] == [
        ("stats-node", "stats-supervision-node")]
    assert [tuple(r) for r in kept] == [("stats-supervision-node", "e1", "counters"),
                                        ("stats-supervision-node", "e2", "read model"), ("stats-case", "e3", "cases")]
