"""The unit of work: one transaction for a state change and the events it publishes.

    with uow_factory() as uow:
        uow.session.add(...)
        uow.publish(CaseFiled(case=...), court=..., aggregate_type="case", aggregate_id=name)
        uow.commit()

publish() adds an outbox row to the same transaction; after commit the local
relay is woken (other replicas learn of it through LISTEN/NOTIFY).
"""
from __future__ import annotations

import uuid
from typing import Callable

from google.protobuf.message import Message
from opentelemetry import propagate
from sqlalchemy import Engine, Table, event
from sqlalchemy.orm import Session, sessionmaker

from services.common import deadline
from services.common.clock import Clock
from services.common.db import Messaging, bulk_insert
from services.common.events import build_envelope, new_event_id, subject_for


def _statement_timeout(_session, _transaction, connection) -> None:
    """What the RPC's caller has left (deadline.py), as the transaction's statement_timeout."""
    left = deadline.remaining()
    if left is not None:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {max(1, int(left * 1000))}")


class UnitOfWork:
    def __init__(self, *, sessions: sessionmaker, producer: str, clock: Clock, outbox: Table,
                 handled: Table, after_publish: Callable[[], None] | None = None) -> None:
        self._sessions = sessions
        self._producer = producer
        self.clock = clock
        self._outbox = outbox
        self._handled = handled
        self._after_publish = after_publish
        self._pending: list[dict] = []
        self._later: dict = {}
        self._before_commit: list[Callable[["UnitOfWork"], None]] = []
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self.session.begin()
        if deadline.remaining() is not None:   # for an RPC: PostgreSQL cancels what outlasts its caller
            # Once the transaction begins on its connection, not now: a use case may still choose
            # the connection's isolation level (REPEATABLE READ for a consistent check), which a
            # statement sent first would leave at READ COMMITTED without a word.
            event.listen(self.session, "after_begin", _statement_timeout)
        self._pending = []
        self._later = {}
        self._before_commit = []
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # close() rolls back anything uncommitted but, unlike rollback(), leaves loaded objects
        # readable, so read-only use cases can return rows after the block.
        self.session.close()

    def insert_later(self, target, rows: list[dict]) -> None:
        """Insert rows at commit, together with every other row for the same table in this unit of
        work: one multi-row INSERT per table instead of one ORM object per row (hot paths only)."""
        self._later.setdefault(target, []).extend(rows)

    def pending_rows(self, target) -> list[dict]:
        """Rows `insert_later` holds for `target` (not in the database yet), read-only."""
        return list(self._later.get(target, ()))

    def flush_later(self) -> None:
        """Insert the held rows now, so that queries later in this transaction see them (a
        consumer batch that opens a node with one event and completes it with the next)."""
        for target, rows in self._later.items():
            bulk_insert(getattr(target, "__table__", target)).execute(self.session, rows)
        self._later = {}

    def before_commit(self, fn: Callable[["UnitOfWork"], None]) -> None:
        """Have fn(uow) run once, just before this unit of work commits: after every handler of a
        consumer batch, so that work gathered over the batch's events is written at once."""
        if fn not in self._before_commit:
            self._before_commit.append(fn)

    def commit(self) -> None:
        while self._before_commit:
            self._before_commit.pop(0)(self)
        self.flush_later()
        if self._pending:
            # One INSERT for all the transaction's events, just before it commits.
            bulk_insert(self._outbox).execute(self.session, self._pending)
        self.session.commit()
        if self._pending and self._after_publish:
            self._after_publish()
        self._pending = []

    def publish(self, payload: Message, *, court: str, aggregate_type: str, aggregate_id: str,
                event_id: uuid.UUID | None = None) -> uuid.UUID:
        """Queue an event for publication when (and only if) this transaction commits."""
        event_id = event_id or new_event_id()
        now = self.clock.now()
        env = build_envelope(payload, event_id=event_id, producer=self._producer, court=court,
                             aggregate_type=aggregate_type, aggregate_id=aggregate_id, occurred_at=now)
        headers: dict[str, str] = {}
        propagate.inject(headers)  # trace context travels with the event
        self._pending.append(dict(
            id=event_id, aggregate_type=aggregate_type, aggregate_id=aggregate_id,
            event_type=payload.DESCRIPTOR.full_name, subject=subject_for(self._producer, payload),
            payload=env.SerializeToString(), headers=headers, created_at=now))
        return event_id

    def mark_handled(self, consumer: str, event_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Record that `consumer` applies these events; returns those it had not applied before
        (the others are redeliveries). One statement for a whole batch."""
        if not event_ids:
            return set()
        now = self.clock.now()
        rows = bulk_insert(self._handled, skip_conflicts=True, returning="event_id").execute(
            self.session, [dict(consumer=consumer, event_id=e, handled_at=now) for e in dict.fromkeys(event_ids)])
        return {r[0] for r in rows}


def uow_factory(engine: Engine, *, producer: str, messaging: Messaging, clock: Clock,
                after_publish: Callable[[], None] | None = None) -> Callable[[], UnitOfWork]:
    """Units of work on ``engine`` for a service (``producer``) with its messaging tables: the one
    way to make them, in a service's Runtime, an operator command, a test or a benchmark."""
    sessions = sessionmaker(engine, expire_on_commit=False, autobegin=False)
    return lambda: UnitOfWork(sessions=sessions, producer=producer, clock=clock, outbox=messaging.outbox,
                              handled=messaging.handled, after_publish=after_publish)
