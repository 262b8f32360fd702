"""What `courtflow verify` reports, and the checks of the plumbing every service shares: outbox
rows the relay has not published, and durable consumers that have stopped taking their stream.

Each service's own checks are in its `integrity.py` (case, node, alert, audit): a query of its
schema and a pure function that names every object that breaks a promise. They assume a quiet
system; what is still on its way is what the stuck checks here report.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import Connection, text

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded


@dataclass(frozen=True)
class Finding:
    """One inconsistent object: the check that found it, its name, and what is wrong, in Chinese."""

    check: str
    name: str
    problem: str


def outbox_schemas(conn: Connection) -> list[str]:
    """The schemas that keep an outbox (every producing service's, DESIGN rule 3)."""
    return sorted(conn.execute(text(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'")).scalars())


def stuck_outbox(conn: Connection, schema: str, *, before: datetime, limit: int = 1000) -> list[Finding]:
    """Outbox rows written before `before` (the system's clock less the threshold) and still not
    published: the change committed, but nobody downstream has heard of it."""
    rows = conn.execute(text(
        f"SELECT id, event_type, aggregate_id, created_at FROM {schema}.outbox "
        f"WHERE published_at IS NULL AND created_at < :before ORDER BY seq LIMIT :limit"),
        {"before": before, "limit": limit})
    return [Finding("stuck", f"{schema}.outbox/{r.id}",
                    f"事件 {r.event_type.rsplit('.', 1)[-1]}（{r.aggregate_id}）写于 "
                    f"{r.created_at.isoformat()}，至今未发布到消息总线") for r in rows]


async def stuck_consumers(js, *, older_than: timedelta, now: datetime | None = None) -> list[Finding]:
    """Durable consumers with messages waiting (not yet delivered, or delivered and not
    acknowledged) whose last delivery is older than `older_than` in real time (JetStream's own
    clock, not the shared one): their service is down, or its consumer has stopped."""
    now = now or datetime.now(timezone.utc)
    found = []
    for stream in await js.streams_info():
        for info in await js.consumers_info(stream.config.name):
            waiting = info.num_pending + info.num_ack_pending
            if not waiting:
                continue
            last = info.delivered.last_active if info.delivered else None
            if last is None or now - last >= older_than:
                since = f"最后一次投递于 {last.isoformat()}" if last else "从未投递"
                found.append(Finding("stuck", f"{stream.config.name}/{info.name}",
                                     f"消费者有 {info.num_pending} 个事件未投递、{info.num_ack_pending} 个未确认，"
                                     f"{since}"))
    return found


def joined(*streams, key=lambda row: row[0]):
    """Several streams of rows, each ordered by the same key (a UUID: PostgreSQL orders it as
    Python does), walked together: for each key, the row of each stream that has it, else None.
    Lets a check compare two services' data without holding either in memory."""
    iterators = [iter(s) for s in streams]
    heads = [next(it, None) for it in iterators]
    while any(h is not None for h in heads):
        current = min(key(h) for h in heads if h is not None)
        row = []
        for i, h in enumerate(heads):
            if h is not None and key(h) == current:
                row.append(h)
                heads[i] = next(iterators[i], None)
            else:
                row.append(None)
        yield current, row


def reported_operations(conn: Connection, schema: str) -> Iterator[tuple[str, str, datetime]]:
    """(operation id, resource, written at) of each operation a service reported to the audit log
    through its outbox (services.common.audit) and still keeps there (the relay prunes published
    rows after its retention)."""
    rows = conn.execution_options(yield_per=5000).execute(text(
        f"SELECT id, aggregate_id, created_at FROM {schema}.outbox WHERE event_type = :type ORDER BY seq"),
        {"type": OperationRecorded.DESCRIPTOR.full_name})
    for r in rows:
        yield str(r.id), r.aggregate_id, r.created_at
