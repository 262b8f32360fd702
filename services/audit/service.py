"""Use cases of the audit service."""
from __future__ import annotations

from datetime import timezone
from typing import Callable

from sqlalchemy import insert, select

from courtflow.audit.v1.audit_pb2 import Operation
from courtflow.common.v1.caller_pb2 import Caller, Role

from services.audit import chain
from services.audit.models import ChainHeadRow, RecordRow
from services.common import scope
from services.common.errors import PermissionDenied
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork

AUDIT_ROLES = {Role.ROLE_AUDITOR}


def append(uow: UnitOfWork, ops: list[Operation]) -> None:
    """Append operations to the chain, in order (serialised on the chain head row)."""
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
            record_time=uow.clock.now())
        digest = chain.link(head.hash, content)
        rows.append(dict(content, previous_hash=head.hash, hash=digest))
        head.sequence, head.hash = content["sequence"], digest
    if rows:
        uow.session.execute(insert(RecordRow), rows)


def list_records(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, filters: dict,
                 page: Page) -> list[RecordRow]:
    if caller.role not in AUDIT_ROLES:
        raise PermissionDenied("仅审计、监察人员可查询日志", reason="AUDIT_ROLE_REQUIRED")
    query = select(RecordRow).where(scope.condition(caller, court=RecordRow.court, department=RecordRow.department,
                                                    owner=RecordRow.actor))
    for field, value in filters.items():
        query = query.where(getattr(RecordRow, field) == value)
    with uow_factory() as uow:
        return page_of(uow.session, query, key=RecordRow.sequence, page=page, descending=True)
