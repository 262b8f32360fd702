"""`courtflow dead-letters list|replay` (issue 20, item 10) against a real PostgreSQL and NATS, with
a real consumer: an event its handler fails on becomes a dead letter; replayed while the bug is
still there it comes back as the same letter; replayed once fixed it is applied once, by that
consumer only, the letter is gone and the replay is in the audit log (the service's outbox)."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from sqlalchemy import create_engine, text

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded
from courtflow.node.v1.node_events_pb2 import NodeWarned

from conftest import new_database
from services.common import uow as units
from services.common.clock import SystemClock
from services.common.consumer import ConsumerRunner, Subscription
from services.common.events import EventEnvelope, build_envelope
from services.common.migrate import upgrade
from services.common.streams import StreamPolicy, ensure_dead_letter_stream, ensure_producer_stream
from services.node import models as node_models
from runtime.verify_cli import dead_letters
from support import eventually

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]


def courtflow(*args: str) -> subprocess.CompletedProcess:
    # The installed operator command (pyproject's [project.scripts]), as an operator runs it.
    return subprocess.run([str(Path(sys.executable).parent / "courtflow"), *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


class Consumer:
    """A node-service consumer of a test producer's NodeWarned, run on a loop of its own; its
    handler fails while `broken` is set and records what it applied otherwise."""

    def __init__(self, database: str, nats_url: str, producer: str) -> None:
        self.broken, self.applied = True, []
        engine = create_engine(database, pool_size=2)
        uow = units.uow_factory(engine, producer="node", messaging=node_models.MESSAGING, clock=SystemClock())
        self.sub = Subscription(consumer="node", producer=producer, types=(NodeWarned,), max_deliver=1,
                                handlers={NodeWarned: self._handle})
        self._uow, self._nats_url, self._engine = uow, nats_url, engine
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def _handle(self, _uow, event) -> None:
        if self.broken:
            raise RuntimeError("处理程序的缺陷")
        self.applied.append(event.envelope.id)

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(30)

    async def _start(self) -> None:
        self.nc = await nats.connect(self._nats_url)
        self.js = self.nc.jetstream()
        await ensure_dead_letter_stream(self.js, StreamPolicy())
        # The durable consumer as a release before replays made it (without the replay subject):
        # starting, the runner brings it up to date.
        await ensure_producer_stream(self.js, self.sub.producer, StreamPolicy())
        await self.js.add_consumer(self.sub.producer.upper(), ConsumerConfig(
            durable_name=self.sub.durable, ack_policy=AckPolicy.EXPLICIT, max_deliver=1,
            filter_subjects=[s for s in self.sub.subjects if ".replay." not in s]))
        self.runner = ConsumerRunner(self.sub, js=self.js, uow_factory=self._uow,
                                     dead_letters=node_models.MESSAGING.dead_letters, streams=StreamPolicy())
        await self.runner.start()
        self.task = asyncio.ensure_future(self.runner.run())

    def call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(30)

    def stop(self) -> None:
        async def stop():
            await self.runner.stop()
            await asyncio.wait_for(self.task, 10)
            await self.runner.close()
            await self.nc.close()
        self.call(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._engine.dispose()


def letters(database: str) -> list[dict]:
    return dead_letters(database)   # what `dead-letters list` prints (checked once below), in process


def replays_recorded(database: str) -> list:
    engine = create_engine(database)
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT payload FROM {node_models.SCHEMA}.outbox "
                                 "WHERE event_type = :t ORDER BY seq"), {"t": OperationRecorded.DESCRIPTOR.full_name})
        ops = []
        for (payload,) in rows:
            env, op = EventEnvelope.FromString(payload), OperationRecorded()
            env.payload.Unpack(op)
            ops.append(op.operation)
    engine.dispose()
    return ops


def test_list_and_replay_a_dead_letter(postgres, nats_servers):
    database = new_database(postgres, "dead_letters")
    upgrade(database, schema=node_models.SCHEMA, migrations=Path(node_models.__file__).parent / "migrations")
    nats_url, _ = nats_servers.new("dead-letters")
    producer = f"t{uuid.uuid4().hex[:6]}"
    consumer = Consumer(database, nats_url, producer)
    consumer.start()
    durable = consumer.sub.durable
    try:
        # Another service's consumer of the same event, which applied it: it must not see it again.
        consumer.call(ensure_producer_stream(consumer.js, producer, StreamPolicy()))
        consumer.call(consumer.js.add_consumer(producer.upper(), ConsumerConfig(
            durable_name=f"stats-{producer}", ack_policy=AckPolicy.EXPLICIT,
            filter_subjects=[f"courtflow.{producer}.v1.node_warned"])))
        event_id = uuid.uuid4()
        envelope = build_envelope(NodeWarned(), event_id=event_id, producer=producer, court="440101",
                                  aggregate_type="node", aggregate_id="n1", occurred_at=datetime.now(timezone.utc))
        consumer.call(consumer.js.publish(f"courtflow.{producer}.v1.node_warned", envelope.SerializeToString(),
                                          headers={"Nats-Msg-Id": str(event_id)}))

        (letter,) = eventually(lambda: letters(database), what="the dead letter")
        assert (letter["consumer"], letter["event_id"], letter["schema"]) == (durable, str(event_id), "nodes")
        assert "处理程序的缺陷" in letter["error"]
        listed = courtflow("dead-letters", "list", "--database", database)
        assert durable in listed.stdout and str(event_id) in listed.stdout
        listed = courtflow("dead-letters", "list", "--json", "--consumer", durable, "--database", database)
        assert json.loads(listed.stdout) == [letter]

        # NATS out of reach: one line naming the setting, and the letter is kept.
        out = courtflow("dead-letters", "replay", "--all", "--database", database, "--nats", "nats://127.0.0.1:1")
        assert out.returncode == 2 and out.stderr.startswith("--nats: 无法连接 NATS"), out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and letters(database) == [letter]

        # Replayed before the fix: it fails again and comes back as the same letter.
        out = courtflow("dead-letters", "replay", "--consumer", durable, "--database", database, "--nats", nats_url,
                        "--operator", "ops")
        assert out.returncode == 0 and "已重放" in out.stdout, out.stdout + out.stderr
        eventually(lambda: [d["event_id"] for d in letters(database)] == [str(event_id)] and
                   letters(database)[0]["failed_at"] > letter["failed_at"], what="the letter back")

        consumer.broken = False   # the fix is deployed
        out = courtflow("dead-letters", "replay", "--event", str(event_id), "--database", database,
                        "--nats", nats_url, "--operator", "ops")
        assert out.returncode == 0, out.stdout + out.stderr
        eventually(lambda: consumer.applied, what="the replayed event applied")
        assert consumer.applied == [str(event_id)] and letters(database) == []
        info = consumer.call(consumer.js.consumer_info(producer.upper(), f"stats-{producer}"))
        assert info.num_pending == 1   # the original only: replays went to the failing consumer alone

        ops = replays_recorded(database)
        assert [(o.action, o.resource, o.actor) for o in ops] == [
            ("courtflow.dead-letters.replay", f"deadLetters/{durable}/{event_id}", "operators/ops")] * 2

        # Nothing left to replay of that id: a clear refusal, exit 2, nothing published.
        out = courtflow("dead-letters", "replay", "--event", str(event_id), "--database", database, "--nats", nats_url)
        assert out.returncode == 2 and "--event" in out.stderr and "没有这个死信事件" in out.stderr
        assert len(replays_recorded(database)) == 2
    finally:
        consumer.stop()
