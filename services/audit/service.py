"""Use cases of the audit service."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import func, insert, select

from courtflow.audit.v1.audit_pb2 import AuditResult, Operation
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from services.audit import chain
from services.audit.models import AnchorRow, ChainHeadRow, CheckpointRow, RecordRow
from services.common import scope
from services.common.errors import FailedPrecondition, PermissionDenied, invalid_field
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork

AUDIT_ROLES = {Role.ROLE_AUDITOR}


def append(uow: UnitOfWork, ops: list[Operation], *, checkpoint_key: str, every: int) -> None:
    """Append operations to the chain, in order (serialised on the chain head row); sign a
    checkpoint whenever the chain passes a multiple of `every` records."""
    known = set(uow.session.scalars(select(RecordRow.operation_id).where(
        RecordRow.operation_id.in_([op.id for op in ops]))))
    head = uow.session.get(ChainHeadRow, 1, with_for_update=True)
    rows = []
    for op in ops:
        if op.id in known:
            continue
        known.add(op.id)
        content = dict(
            sequence=head.sequence + 1, operation_id=op.id, actor=op.actor,
            actor_display_name=op.actor_display_name, role=op.role, court=op.court, department=op.department,
            action=op.action, resource=op.resource, result=op.result, error_reason=op.error_reason,
            client_address=op.client_address, user_agent=op.user_agent[:300], trace_id=op.trace_id,
            reporter=op.reporter, occur_time=op.occur_time.ToDatetime(tzinfo=timezone.utc),
            record_time=uow.clock.now(), detail=op.detail[:2000])
        digest = chain.link(head.hash, chain.hashed_content(content))
        rows.append(dict(content, previous_hash=head.hash, hash=digest))
        head.sequence, head.hash = content["sequence"], digest
    if rows:
        uow.session.execute(insert(RecordRow), rows)
        if (rows[0]["sequence"] - 1) // every != head.sequence // every:  # passed a multiple of `every`
            uow.session.add(CheckpointRow(sequence=head.sequence, hash=head.hash, create_time=uow.clock.now(),
                                          signature=chain.sign(checkpoint_key, head.sequence, head.hash)))


VERIFY_BATCH = 5000


@dataclass(frozen=True)
class Verification:
    intact: bool
    verified_records: int
    head_sequence: int
    checkpoints_verified: int
    finding: chain.Finding | None
    # The first record the walk starts from: 1, or the first after what retention removed.
    first_sequence: int = 1


def verify(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, checkpoint_key: str) -> Verification:
    """Walk the whole chain from the first record (or the signed anchor retention left): every
    link, every record's hash, every signed checkpoint, and the head; report the first bad record
    (tests tamper in PostgreSQL directly)."""
    if caller.role not in AUDIT_ROLES:
        raise PermissionDenied("仅审计、监察人员可校验日志", reason="AUDIT_ROLE_REQUIRED")
    if caller.scope != ScopeLevel.SCOPE_LEVEL_PROVINCE:
        # The chain is one for the province: its length alone tells about other courts.
        raise PermissionDenied("日志链校验覆盖全省，仅高院审计、监察人员可执行", reason="PROVINCE_SCOPE_REQUIRED")
    columns = [getattr(RecordRow, f) for f in (*chain.CONTENT_FIELDS, *chain.OPTIONAL_FIELDS, "previous_hash", "hash")]
    with uow_factory() as uow:
        # One snapshot for the whole walk, so appends meanwhile do not look like a broken tail.
        uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        head = uow.session.get(ChainHeadRow, 1)
        checkpoints = {c.sequence: (c.hash, c.signature) for c in uow.session.scalars(select(CheckpointRow))}
        kept_from = uow.session.scalar(select(AnchorRow).order_by(AnchorRow.sequence.desc()).limit(1))
        anchor = chain.Anchor(kept_from.sequence, kept_from.hash, kept_from.signature) if kept_from else None
        verifier = chain.Verifier(key=checkpoint_key, checkpoints=checkpoints, anchor=anchor)
        after = anchor.sequence if anchor else 0
        while True:
            batch = uow.session.execute(select(*columns).where(RecordRow.sequence > after)
                                        .order_by(RecordRow.sequence).limit(VERIFY_BATCH)).mappings().all()
            if not batch or not verifier.feed(batch):
                break
            after = batch[-1]["sequence"]
        finding = verifier.finish(head_sequence=head.sequence if head else 0, head_hash=head.hash if head else chain.GENESIS)
    return Verification(intact=finding is None, verified_records=verifier.checked,
                        head_sequence=head.sequence if head else 0,
                        checkpoints_verified=verifier.checkpoints_verified, finding=finding,
                        first_sequence=(anchor.sequence if anchor else 0) + 1)


def list_records(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, filters: dict, page: Page,
                 start: datetime | None = None, end: datetime | None = None) -> list[RecordRow]:
    query = _scoped(select(RecordRow), caller, start, end)
    for field, value in filters.items():
        query = query.where(getattr(RecordRow, field) == value)
    with uow_factory() as uow:
        return page_of(uow.session, query, key=RecordRow.sequence, page=page, descending=True)


def _scoped(query, caller: Caller, start: datetime | None, end: datetime | None):
    """Audit roles only, each within their scope (an intermediate court's auditor sees its region)."""
    if caller.role not in AUDIT_ROLES:
        raise PermissionDenied("仅审计、监察人员可查询日志", reason="AUDIT_ROLE_REQUIRED")
    if start is not None and end is not None and end <= start:
        raise invalid_field("end_time", "结束时间须晚于开始时间")
    query = query.where(scope.condition(caller, court=RecordRow.court, department=RecordRow.department,
                                        owner=RecordRow.actor))
    if start is not None:
        query = query.where(RecordRow.occur_time >= start)
    if end is not None:
        query = query.where(RecordRow.occur_time < end)
    return query


GROUPINGS = {"actor": RecordRow.actor, "department": RecordRow.department, "court": RecordRow.court}


@dataclass(frozen=True)
class Usage:
    key: str
    display_name: str
    operations: int
    denied: int
    failed: int
    last_time: datetime


def usage(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, group_by: str, start: datetime | None,
          end: datetime | None) -> list[Usage]:
    """Usage statistics (P8): operations, denials and failures per person, department or court."""
    key = GROUPINGS[group_by]
    query = _scoped(select(
        key.label("key"), func.max(RecordRow.actor_display_name).label("display_name"),
        func.count().label("operations"),
        func.count().filter(RecordRow.result == AuditResult.AUDIT_RESULT_DENIED).label("denied"),
        func.count().filter(RecordRow.result == AuditResult.AUDIT_RESULT_FAILED).label("failed"),
        func.max(RecordRow.occur_time).label("last_time")), caller, start, end)
    query = query.where(key != "").group_by(key).order_by(func.count().desc(), key)
    with uow_factory() as uow:
        return [Usage(key=r.key, display_name=r.display_name if group_by == "actor" else "",
                      operations=r.operations, denied=r.denied, failed=r.failed, last_time=r.last_time)
                for r in uow.session.execute(query)]


EXPORT_LIMIT = 100_000


def export_records(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, filters: dict,
                   start: datetime | None, end: datetime | None) -> list[RecordRow]:
    """The records of a query, oldest first, for a file; refuses more than EXPORT_LIMIT."""
    query = _scoped(select(RecordRow), caller, start, end)
    for field, value in filters.items():
        query = query.where(getattr(RecordRow, field) == value)
    with uow_factory() as uow:
        rows = list(uow.session.scalars(query.order_by(RecordRow.sequence).limit(EXPORT_LIMIT + 1)))
    if len(rows) > EXPORT_LIMIT:
        raise FailedPrecondition(f"导出范围超过 {EXPORT_LIMIT} 条记录，请缩小时间范围或增加筛选条件",
                                 reason="EXPORT_TOO_LARGE")
    return rows