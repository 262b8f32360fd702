"""What `courtflow verify` reports, and the checks of the plumbing every service shares: outbox
rows the relay has not published, and durable consumers that have stopped taking their stream.

Each service's own checks are in its `integrity.py` (case, node, alert, audit): a query of its
schema and a pure function that names every object that breaks a promise. They assume a quiet
system; what is still on its way is what the stuck checks here report. The same checks run over
the whole database for the operator's command, and for StatsService.VerifyIntegrity inside each
service over a caller's scope (`Scope`; integrity_service.py serves them).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import ColumnElement, Connection, text, true

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded
from courtflow.common.v1 import integrity_pb2
from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel

from services.common import scope as scoping
from services.common.errors import PermissionDenied

# The checks in the order they are printed, with what an operator reads.
CHECKS = {"case_nodes": "案件与节点", "locks": "案件锁定与节点锁定", "timers": "计时器",
          "applications": "审限变更与审批", "audit": "审计日志", "reminders": "重复提醒", "stuck": "积压",
          "dead_letters": "死信事件"}


@dataclass(frozen=True)
class Finding:
    """One inconsistent object: the check that found it, its name, and what is wrong, in Chinese."""

    check: str
    name: str
    problem: str


def findings_to_proto(found: Iterable[Finding]) -> list[integrity_pb2.IntegrityFinding]:
    return [integrity_pb2.IntegrityFinding(check=f.check, name=f.name, problem=f.problem) for f in found]


def findings_from_proto(found: Iterable[integrity_pb2.IntegrityFinding]) -> list[Finding]:
    return [Finding(f.check, f.name, f.problem) for f in found]


@dataclass(frozen=True)
class Scope:
    """The courts a check covers: those whose id starts with `prefix` (the caller's scope), only
    `court` when given; and whether the whole-service checks run, which name no court (an outbox
    row, the audit chain). The operator's command checks everything."""

    prefix: str = ""
    court: str | None = None
    whole_service: bool = True

    def courts(self, column) -> ColumnElement[bool]:
        """WHERE on a court id column."""
        if self.court is not None:
            return column == self.court
        return column.startswith(self.prefix, autoescape=True) if self.prefix else true()

    def names(self, column) -> ColumnElement[bool]:
        """WHERE on a resource name column ("courts/{court}/…")."""
        if self.court is not None:
            return column.startswith(f"courts/{self.court}/", autoescape=True)
        return column.startswith(f"courts/{self.prefix}", autoescape=True) if self.prefix else true()


EVERYTHING = Scope()


def scope_for(caller: Caller, court: str) -> Scope:
    """What a caller's integrity check covers: the courts of `court` ("-": all) in the caller's
    scope, which must be a court or wider; the whole-service checks only for the province asked whole."""
    scoping.require_court(caller, court)
    if caller.scope not in scoping.WIDE:
        raise PermissionDenied("数据一致性核查仅向法院及以上范围的审管办、院领导和系统管理员开放",
                               reason="OUT_OF_SCOPE")
    return Scope(prefix=caller.scope_prefix, court=None if court == "-" else court,
                 whole_service=court == "-" and caller.scope == ScopeLevel.SCOPE_LEVEL_PROVINCE)


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


async def stuck_consumers(js, *, older_than: timedelta, now: datetime | None = None,
                          consumer: str | None = None) -> list[Finding]:
    """Durable consumers with messages waiting (not yet delivered, or delivered and not
    acknowledged) whose last delivery is older than `older_than` in real time (JetStream's own
    clock, not the shared one): their service is down, or its consumer has stopped. With
    `consumer`, only that service's (`<consumer>-<producer>`). An ephemeral consumer is no
    service's work: a watch of the shared clock left by a process that died stays, with what was
    written since, until the server's inactivity threshold deletes it."""
    now = now or datetime.now(timezone.utc)
    found = []
    for stream in await js.streams_info():
        for info in await js.consumers_info(stream.config.name):
            if not info.config.durable_name:
                continue
            if consumer is not None and not info.name.startswith(f"{consumer}-"):
                continue
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


def has_table(conn: Connection, schema: str, table: str) -> bool:
    return conn.execute(text("SELECT 1 FROM information_schema.tables WHERE table_schema = :s AND table_name = :t"),
                        {"s": schema, "t": table}).first() is not None


def dead_letters(conn: Connection, schema: str) -> list[dict]:
    """The dead letters a service's consumers gave up on, oldest first."""
    rows = conn.execute(text(f"SELECT consumer, event_id, subject, error, deliveries, failed_at "
                             f"FROM {schema}.dead_letters ORDER BY failed_at")).mappings()
    return [{**r, "schema": schema, "failed_at": r["failed_at"].isoformat()} for r in rows]


def dead_letter_findings(letters: list[dict]) -> list[Finding]:
    """Dead letters as findings: work that silently did not happen until someone reads them."""
    return [Finding("dead_letters", f"{d['schema']}.dead_letters/{d['event_id']}",
                    f"消费者 {d['consumer']} 于 {d['failed_at']} 放弃了事件（{d['subject']}，已投递 {d['deliveries']} 次），"
                    f"其后续工作未发生：{d['error']}") for d in letters]


def reported_operations(conn: Connection, schema: str) -> Iterator[tuple[str, str, datetime]]:
    """(operation id, resource, written at) of each operation a service reported to the audit log
    through its outbox (services.common.audit) and still keeps there (the relay prunes published
    rows after its retention)."""
    rows = conn.execution_options(yield_per=5000).execute(text(
        f"SELECT id, aggregate_id, created_at FROM {schema}.outbox WHERE event_type = :type ORDER BY seq"),
        {"type": OperationRecorded.DESCRIPTOR.full_name})
    for r in rows:
        yield str(r.id), r.aggregate_id, r.created_at
