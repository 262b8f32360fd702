"""Use cases of the audit service."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.orm import Session

from courtflow.audit.v1.audit_pb2 import Operation
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel

from services.audit import chain, repository
from services.audit.errors import AuditRoleRequired, ExportTooLarge, ProvinceScopeRequired
from services.audit.models import CheckpointRow, RecordRow
from services.common.errors import invalid_field
from services.common.paging import Page
from services.common.uow import UnitOfWork

AUDIT_ROLES = {Role.ROLE_AUDITOR}


def append(uow: UnitOfWork, ops: list[Operation], *, checkpoint_key: str, every: int) -> None:
    """Append operations to the chain, in order (serialised on the chain head row); sign a
    checkpoint whenever the chain passes a multiple of `every` records."""
    known = repository.known_operations(uow.session, [op.id for op in ops])
    head = repository.chain_head(uow.session, for_update=True)
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
        raise AuditRoleRequired("仅审计、监察人员可校验日志")
    if caller.scope != ScopeLevel.SCOPE_LEVEL_PROVINCE:
        # The chain is one for the province: its length alone tells about other courts.
        raise ProvinceScopeRequired("日志链校验覆盖全省，仅高院审计、监察人员可执行")
    with uow_factory() as uow:
        # One snapshot for the whole walk, so appends meanwhile do not look like a broken tail.
        uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return walk(uow.session, checkpoint_key=checkpoint_key)


def walk(session: Session, *, checkpoint_key: str) -> Verification:
    """The chain walked in the session's snapshot (VerifyAuditLog, and `courtflow verify`)."""
    head = repository.chain_head(session)
    checkpoints = repository.checkpoints(session)
    kept_from = repository.latest_anchor(session)
    anchor = chain.Anchor(kept_from.sequence, kept_from.hash, kept_from.signature) if kept_from else None
    verifier = chain.Verifier(key=checkpoint_key, checkpoints=checkpoints, anchor=anchor)
    after = anchor.sequence if anchor else 0
    while True:
        batch = repository.links_after(session, after, limit=VERIFY_BATCH)
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
    _check_query(caller, start, end)
    with uow_factory() as uow:
        return repository.records_page(uow.session, caller=caller, filters=filters, page=page, start=start, end=end)


def _check_query(caller: Caller, start: datetime | None, end: datetime | None) -> None:
    """Audit roles only, each within their scope (the repository's queries apply it)."""
    if caller.role not in AUDIT_ROLES:
        raise AuditRoleRequired("仅审计、监察人员可查询日志")
    if start is not None and end is not None and end <= start:
        raise invalid_field("end_time", "结束时间须晚于开始时间")


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
    _check_query(caller, start, end)
    with uow_factory() as uow:
        return [Usage(key=r.key, display_name=r.display_name if group_by == "actor" else "",
                      operations=r.operations, denied=r.denied, failed=r.failed, last_time=r.last_time)
                for r in repository.usage_rows(uow.session, caller=caller, group_by=group_by, start=start, end=end)]


EXPORT_LIMIT = 100_000


def export_records(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, filters: dict,
                   start: datetime | None, end: datetime | None) -> list[RecordRow]:
    """The records of a query, oldest first, for a file; refuses more than EXPORT_LIMIT."""
    _check_query(caller, start, end)
    with uow_factory() as uow:
        rows = repository.records_oldest_first(uow.session, caller=caller, filters=filters, start=start, end=end,
                                               limit=EXPORT_LIMIT + 1)
    if len(rows) > EXPORT_LIMIT:
        raise ExportTooLarge(f"导出范围超过 {EXPORT_LIMIT} 条记录，请缩小时间范围或增加筛选条件")
    return rows