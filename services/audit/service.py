"""Use cases of the audit service."""
from __future__ import annotations

from datetime import timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.audit.v1.audit_pb2 import Operation
from courtflow.common.v1.caller_pb2 import Caller, Role

from services.audit import chain
from services.audit.models import ChainHeadRow, RecordRow
from services.common import scope
from services.common.errors import PermissionDenied
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork

AUDIT_ROLES = {Role.ROLE_AUDITOR}


def append(uow: UnitOfWork, *, op: Operation) -> None:
    """Append one operation to the chain (serialised on the chain head row)."""
    if uow.session.scalar(select(RecordRow.sequence).where(RecordRow.operation_id == op.id)) is not None:
        return
    head = uow.session.get(ChainHeadRow, 1, with_for_update=True)
    content = dict(
        sequence=head.sequence + 1, operation_id=op.id, actor=op.actor, actor_display_name=op.actor_display_name,
        role=op.role, court=op.court, department=op.department, action=op.action, resource=op.resource,
        result=op.result, error_reason=op.error_reason, client_address=op.client_address,
        user_agent=op.user_agent[:300], trace_id=op.trace_id, reporter=op.reporter,
        occur_time=op.occur_time.ToDatetime(tzinfo=timezone.utc),
        record_time=uow.clock.now())
    digest = chain.link(head.hash, content)
    uow.session.execute(pg_insert(RecordRow).values(**content, previous_hash=head.hash, hash=digest))
    head.sequence, head.hash = content["sequence"], digest


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
