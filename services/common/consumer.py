"""Durable, idempotent JetStream consumers.

A Subscription names a durable pull consumer `<consumer>-<producer>` on the
producer's stream. Fetched messages are applied in one transaction per batch
(falling back to one per message when the batch fails), each event id recorded
in handled_events with its effects, so a redelivery changes nothing. Transient
failures are nak'ed with a growing delay; after max_deliver attempts, or at once
for a message that cannot be decoded, the message goes to the dead-letter
subject and the service's dead_letters table.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from google.protobuf.message import Message
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from sqlalchemy import Engine, Table, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from services.common import metrics
from services.common.events import Event, decode, event_snake, stream_name
from services.common.streams import DEAD_LETTER_PREFIX, StreamPolicy, ensure_producer_stream
from services.common.uow import UnitOfWork

log = logging.getLogger(__name__)
tracer = trace.get_tracer("courtflow.consumer")

# How long an idle fetch waits for the first message (each idle consumer asks this often).
FETCH_WAIT_SECONDS = 0.25
# After a consumer crashes, the messages it held come back after this long. It must exceed the
# time to apply one batch (well under a second here), or batches would be delivered twice.
ACK_WAIT_SECONDS = 30

Handler = Callable[[UnitOfWork, Event], None]
BatchHandler = Callable[[UnitOfWork, list[Event]], None]


@dataclass(frozen=True)
class Subscription:
    """What a service consumes from one producer, and how.

    Either `handlers` (event type → handler, one event at a time) or `batch_handler` (every new
    event of a fetched batch at once, in stream order — for read models that aggregate)."""

    consumer: str                                  # the consuming service, e.g. "node"
    producer: str                                  # the producing service, e.g. "case"
    types: tuple[type[Message], ...]               # the event messages consumed
    handlers: dict[type[Message], Handler] = field(default_factory=dict)
    batch_handler: BatchHandler | None = None
    max_deliver: int = 10
    batch: int = 200
    # Pull loops on the durable consumer in each process: with two, one batch is in the
    # database while the next is computed. Only for handlers that do not depend on the order of
    # events across batches (as with several replicas, batches then commit in any order).
    workers: int = 1
    # A second read model of the same producer gets a durable consumer of its own ("stats-
    # supervision-node"): new, it starts at the head of the stream, so it is built from all the
    # events the stream keeps, not only from those after it was added.
    view: str = ""
    # A durable consumer whose work another has taken over (the successor's durable name): never
    # created; where the bus still has it (installed before), what it holds is applied by its
    # handler until nothing is left, and it is deleted — an abandoned durable would keep its
    # backlog and read as stuck (`verify`). Its handler must take what its successor also applies
    # without counting it twice; what it gives up on is a dead letter of the successor's, which
    # `courtflow dead-letters replay` puts back on the successor's replay subject (nobody reads
    # the retired one's once it is deleted).
    retired_for: str = ""

    def __post_init__(self) -> None:
        if bool(self.handlers) == (self.batch_handler is not None):
            raise ValueError(f"{self.durable}: give either handlers or a batch_handler")
        if self.handlers and set(self.handlers) != set(self.types):
            raise ValueError(f"{self.durable}: handlers must cover exactly the consumed types")

    @property
    def durable(self) -> str:
        return f"{self.consumer}-{self.view}-{self.producer}" if self.view else f"{self.consumer}-{self.producer}"

    @property
    def retired(self) -> bool:
        return bool(self.retired_for)

    @property
    def letters_to(self) -> str:
        """The consumer the events this one gives up on are dead letters of."""
        return self.retired_for or self.durable

    @property
    def subjects(self) -> list[str]:
        return sorted({f"courtflow.{self.producer}.v1.{event_snake(t.DESCRIPTOR.name)}" for t in self.types}
                      | {replay_subject(self.producer, self.durable)})

    @property
    def type_names(self) -> dict[str, type[Message]]:
        return {t.DESCRIPTOR.full_name: t for t in self.types}


def replay_subject(producer: str, durable: str) -> str:
    """Where `courtflow dead-letters replay` puts a dead letter back: in its producer's stream, on a
    subject only the consumer that gave up on it reads (the others applied it already)."""
    return f"courtflow.{producer}.v1.replay.{durable}"


# A replayed message's header naming the event id it was dead-lettered under (its Nats-Msg-Id is
# new, or the stream would drop it as a duplicate within its window).
REPLAY_OF = "Courtflow-Replay-Of"


class ConsumerRunner:
    def __init__(self, sub: Subscription, *, js: JetStreamContext, uow_factory: Callable[[], UnitOfWork],
                 dead_letters: Table, streams: StreamPolicy = StreamPolicy()) -> None:
        self.sub = sub
        self._streams = streams
        self._js = js
        self._uow = uow_factory
        self._dead_letters = dead_letters
        self._stopping = False
        self._stopped = asyncio.Event()
        self._gone = False   # a retired consumer no longer on the bus
        # Set once a retired consumer is drained and deleted (or was never there) and its loop
        # only waits for the stop.
        self.retired_done = asyncio.Event()
        self._psub = None
        self._type_names = sub.type_names
        self._handlers = {t.DESCRIPTOR.full_name: h for t, h in sub.handlers.items()}

    async def start(self) -> None:
        await ensure_producer_stream(self._js, self.sub.producer, self._streams)
        if self.sub.retired:
            try:
                await self._js.consumer_info(stream_name(self.sub.producer), self.sub.durable)
            except NotFoundError:
                self._gone = True
                return
            self._psub = await self._js.pull_subscribe_bind(self.sub.durable, stream=stream_name(self.sub.producer))
            return
        config = ConsumerConfig(
            durable_name=self.sub.durable, ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
            filter_subjects=self.sub.subjects, max_deliver=self.sub.max_deliver, ack_wait=ACK_WAIT_SECONDS,
            max_ack_pending=10_000)
        await self._js.add_consumer(stream_name(self.sub.producer), config)
        self._psub = await self._js.pull_subscribe_bind(self.sub.durable, stream=stream_name(self.sub.producer))

    async def run(self) -> None:
        while not self._stopping:
            if self._gone:   # a retired consumer deleted (or never there): nothing to do until stopped
                self.retired_done.set()
                await self._stopped.wait()
                break
            try:
                msgs = await self._next_batch()
            except (NatsTimeout, asyncio.TimeoutError):
                if self.sub.retired:
                    await self._retire_if_drained()
                continue
            except Exception:
                if self._stopping:
                    break
                log.exception("fetch failed on %s", self.sub.durable)
                await asyncio.sleep(1)
                continue
            try:
                await self._process(msgs)
            except Exception:  # e.g. the database is away while dead-lettering: they come back after ack_wait
                log.exception("processing a batch failed on %s; its messages will be redelivered", self.sub.durable)
                await asyncio.sleep(1)

    async def _next_batch(self) -> list:
        """Up to a batch of messages. fetch() first takes what is there without waiting; when
        nothing is, it waits, but only briefly — a longer wait would hold a trickle of events
        back until a batch filled up."""
        return await self._psub.fetch(self.sub.batch, timeout=FETCH_WAIT_SECONDS)

    async def stop(self) -> None:
        self._stopping = True
        self._stopped.set()

    async def _retire_if_drained(self) -> None:
        """Delete the retired durable once nothing waits in it: neither undelivered nor held
        unacknowledged (by this loop, another, or another replica — those come back to it)."""
        stream = stream_name(self.sub.producer)
        try:
            info = await self._js.consumer_info(stream, self.sub.durable)
            if info.num_pending or info.num_ack_pending:
                return
            await self._psub.unsubscribe()
            await self._js.delete_consumer(stream, self.sub.durable)
        except NotFoundError:   # another loop or replica deleted it first
            pass
        except Exception:
            log.exception("retiring %s failed; trying again", self.sub.durable)
            return
        log.info("retired consumer %s drained and deleted", self.sub.durable)
        self._psub, self._gone = None, True

    async def close(self) -> None:
        """After run() has returned: drop the pull subscription (the durable consumer stays)."""
        if self._psub is not None:
            try:
                await self._psub.unsubscribe()
            except Exception:
                log.debug("unsubscribe of %s failed", self.sub.durable, exc_info=True)

    async def _process(self, msgs: list) -> None:
        decoded: list[tuple[object, Event]] = []
        for msg in msgs:
            try:
                decoded.append((msg, decode(msg.data, msg.subject, self._type_names)))
            except Exception as exc:  # poison: retrying cannot help
                await self._dead_letter(msg, f"undecodable: {exc}")
        if not decoded:
            return
        try:
            await asyncio.to_thread(self._apply, [e for _, e in decoded], [m.headers for m, _ in decoded])
            for msg, _ in decoded:
                await msg.ack()
            metrics.EVENTS_CONSUMED.labels(self.sub.durable, "ok").inc(len(decoded))
            return
        except Exception as exc:
            if len(decoded) == 1:
                await self._failed(*decoded[0], exc)
                return
            log.warning("batch of %d failed on %s; applying one by one", len(decoded), self.sub.durable)
        for msg, event in decoded:
            try:
                await asyncio.to_thread(self._apply, [event], [msg.headers])
                await msg.ack()
                metrics.EVENTS_CONSUMED.labels(self.sub.durable, "ok").inc()
            except Exception as exc:
                await self._failed(msg, event, exc)

    def _apply(self, events: list[Event], headers: list[dict | None]) -> None:
        with self._uow() as uow:
            fresh = uow.mark_handled(self.sub.durable, [e.id for e in events])
            new: list[tuple[Event, dict | None]] = []
            for event, hdrs in zip(events, headers):
                if event.id in fresh:  # else handled before: a redelivery changes nothing
                    fresh.discard(event.id)  # and a duplicate within this batch is applied once
                    new.append((event, hdrs))
            if self.sub.batch_handler is not None:
                if new:
                    links = [trace.Link(trace.get_current_span(propagate.extract(h or {})).get_span_context())
                             for _, h in new]
                    with tracer.start_as_current_span(f"consume batch {self.sub.durable}", links=links,
                                                      kind=trace.SpanKind.CONSUMER,
                                                      attributes={"courtflow.consumer": self.sub.durable}):
                        self.sub.batch_handler(uow, [e for e, _ in new])
            else:
                for event, hdrs in new:
                    with tracer.start_as_current_span(
                            f"consume {event.subject}", context=propagate.extract(hdrs or {}),
                            kind=trace.SpanKind.CONSUMER,
                            attributes={"courtflow.event.id": event.envelope.id,
                                        "courtflow.event.type": event.envelope.type,
                                        "courtflow.consumer": self.sub.durable,
                                        "courtflow.aggregate": event.envelope.aggregate_id}):
                        self._handlers[event.envelope.type](uow, event)
            uow.commit()

    async def _failed(self, msg, event: Event, exc: Exception) -> None:
        deliveries = msg.metadata.num_delivered
        log.error("event %s failed on %s (delivery %d)", event.envelope.id, self.sub.durable, deliveries,
                  exc_info=exc)
        if deliveries >= self.sub.max_deliver:
            await self._dead_letter(msg, f"failed {deliveries} times; last error: {type(exc).__name__}: {exc}")
        else:
            metrics.EVENTS_CONSUMED.labels(self.sub.durable, "retry").inc()
            await msg.nak(delay=min(2 ** deliveries, 60))

    async def _dead_letter(self, msg, error: str) -> None:
        metrics.EVENTS_CONSUMED.labels(self.sub.durable, "dead_letter").inc()
        letters_to = self.sub.letters_to
        headers = msg.headers or {}
        event_id = headers.get(REPLAY_OF) or headers.get("Nats-Msg-Id", f"seq-{msg.metadata.sequence.stream}")
        log.error("dead-lettering %s from %s (as %s's): %s", event_id, self.sub.durable, letters_to, error)
        await asyncio.to_thread(self._store_dead_letter, msg, event_id, error, letters_to)
        await self._js.publish(f"{DEAD_LETTER_PREFIX}.{letters_to}", msg.data,
                               headers={"Nats-Msg-Id": f"{letters_to}:{event_id}",
                                        "Courtflow-Error": error[:500], "Courtflow-Subject": msg.subject})
        await msg.term()

    def _store_dead_letter(self, msg, event_id: str, error: str, consumer: str) -> None:
        # A retired consumer's letter for an event its successor gave up on too is that letter.
        with self._uow() as uow:
            uow.session.execute(pg_insert(self._dead_letters).values(
                consumer=consumer, event_id=event_id, subject=msg.subject, payload=msg.data,
                error=error[:2000], deliveries=msg.metadata.num_delivered, failed_at=uow.clock.now(),
            ).on_conflict_do_nothing())
            uow.commit()


def prune_statement(handled: Table):
    """One batch of prune_handled: at most :batch rows handled :days before :now (or before now()),
    found through the handled_at index (db.handled_events_table)."""
    t = handled.fullname
    return text(f"""DELETE FROM {t} WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM {t} WHERE handled_at < least(now(), coalesce(:now, now()))
                                                               - make_interval(days => :days)
                        LIMIT :batch))""")


def prune_handled(engine: Engine, handled: Table, *, retention_days: int, now: datetime | None = None,
                  batch: int = 10_000, max_batches: int = 100) -> int:
    """Forget the handled-event ids older than the retention, in short transactions of `batch` rows
    so that consumers writing to the table are never held up for long; at most `max_batches` a
    turn. Returns how many went. Old by the database's time and by the service's clock (`now`,
    which stamped them) both: a demo's shared clock may stand months away from the streams' time."""
    t = handled.fullname
    delete = prune_statement(handled)
    removed = 0
    for _ in range(max_batches):
        with engine.begin() as conn:
            n = conn.execute(delete, {"days": retention_days, "batch": batch, "now": now}).rowcount
        removed += n
        if n < batch:
            break
    if removed:
        log.info("forgot %d handled events older than %d days (%s)", removed, retention_days, t)
    return removed
