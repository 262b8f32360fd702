"""Integrity checks of the audit log (`courtflow verify`): the chain verifies, and every operation
a service reported (in the same transaction as the change, services.common.audit) is in it. Both
name no court: VerifyIntegrity runs them for the whole system only (`answer`, `unrecorded_of`)."""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from courtflow.common.v1 import integrity_pb2 as pb

from services.audit import repository, service
from services.audit.models import RecordRow
from services.common.integrity import Finding, Scope, findings_to_proto

BATCH = 1000


def chain_findings(conn: Connection, *, checkpoint_key: str) -> list[Finding]:
    """The chain walked as VerifyAuditLog walks it; its first bad record, if any."""
    result = service.walk(Session(bind=conn), checkpoint_key=checkpoint_key)
    if result.finding is None:
        return []
    return [Finding("audit", f"audit/records/{result.finding.sequence}",
                    f"审计日志链校验失败（{result.finding.problem}）：{result.finding.message}")]


def removed_until(conn: Connection) -> datetime | None:
    """Until when retention removed records (operations reported before may be gone rightly)."""
    anchor = repository.latest_anchor(Session(bind=conn))
    return anchor.removed_until if anchor else None


def unrecorded(conn: Connection, reporter: str, reported: Iterable[tuple[str, str, datetime]], *,
               kept_after: datetime | None) -> list[Finding]:
    """Operations a service reported that the chain does not hold."""
    found = []
    live = (r for r in reported if kept_after is None or r[2] > kept_after)
    while batch := list(itertools.islice(live, BATCH)):
        held = set(conn.execute(select(RecordRow.operation_id)
                                .where(RecordRow.operation_id.in_([r[0] for r in batch]))).scalars())
        found += [Finding("audit", f"operations/{op}", f"{reporter} 于 {at.isoformat()} 记录的操作（{resource}）"
                          f"不在审计日志链中") for op, resource, at in batch if op not in held]
    return found


def answer(conn: Connection, scope: Scope, emit, *, checkpoint_key: str) -> None:
    """This service's part of VerifyIntegrity: the chain, for the whole system."""
    if scope.whole_service:
        emit(pb.CheckIntegrityResponse(checks=["audit"], findings=findings_to_proto(
            chain_findings(conn, checkpoint_key=checkpoint_key))))


def unrecorded_of(engine: Engine, operations: list[pb.ReportedOperation]) -> list[Finding]:
    """Which of the operations other services reported (and still keep) the chain does not hold."""
    found = []
    with engine.connect() as conn:
        kept_after = removed_until(conn)
        for reporter, ops in itertools.groupby(sorted(operations, key=lambda o: o.reporter), key=lambda o: o.reporter):
            found += unrecorded(conn, reporter, ((o.operation_id, o.resource, o.report_time.ToDatetime(tzinfo=UTC))
                                                 for o in ops), kept_after=kept_after)
    return found
