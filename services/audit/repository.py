"""Queries of the audit service (select()-based, keyset pages): the chain, its checkpoints and
anchor, and the records as auditors query them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller

from services.audit import chain
from services.audit.models import AnchorRow, ChainHeadRow, CheckpointRow, RecordRow
from services.common import scope
from services.common.paging import Page, page_of

# --- the chain ------------------------------------------------------------------------------------


def known_operations(session: Session, operation_ids: list[str]) -> set[str]:
    """Which of these operations the chain holds already (a redelivered event)."""
    return set(session.scalars(select(RecordRow.operation_id).where(RecordRow.operation_id.in_(operation_ids))))


def chain_head(session: Session, *, for_update: bool = False) -> ChainHeadRow | None:
    """The chain's head (its last sequence and hash); locked, appends are serialised on it."""
    return session.get(ChainHeadRow, 1, with_for_update=True) if for_update else session.get(ChainHeadRow, 1)


def checkpoints(session: Session) -> dict[int, tuple[str, str]]:
    """Every signed checkpoint: sequence → (hash, signature)."""
    return {c.sequence: (c.hash, c.signature) for c in session.scalars(select(CheckpointRow))}


def latest_anchor(session: Session) -> AnchorRow | None:
    """The anchor retention left where it last removed records (None: nothing removed yet)."""
    return session.scalar(select(AnchorRow).order_by(AnchorRow.sequence.desc()).limit(1))


_LINK_COLUMNS = [getattr(RecordRow, f) for f in (*chain.CONTENT_FIELDS, *chain.OPTIONAL_FIELDS, "previous_hash", "hash")]


def links_after(session: Session, after: int, *, limit: int) -> list:
    """The next `limit` records after sequence `after`, as mappings of what their hash covers."""
    return session.execute(select(*_LINK_COLUMNS).where(RecordRow.sequence > after)
                           .order_by(RecordRow.sequence).limit(limit)).mappings().all()


def next_checkpoint_before(session: Session, *, after: int, cutoff: datetime) -> CheckpointRow | None:
    """The first checkpoint past sequence `after` signed before `cutoff`."""
    return session.scalar(select(CheckpointRow).where(CheckpointRow.sequence > after, CheckpointRow.create_time < cutoff)
                          .order_by(CheckpointRow.sequence).limit(1))


def records_span(session: Session, *, after: int, upto: int) -> tuple[int, datetime | None]:
    """How many records lie in (after, upto] and when the last of them was recorded."""
    return session.execute(select(func.count(), func.max(RecordRow.record_time)).where(
        RecordRow.sequence > after, RecordRow.sequence <= upto)).one()


# --- records as auditors query them ---------------------------------------------------------------

GROUPINGS = {"actor": RecordRow.actor, "department": RecordRow.department, "court": RecordRow.court}


def _in_scope(query: Select, caller: Caller, start: datetime | None, end: datetime | None) -> Select:
    """Records in the caller's scope (an intermediate court's auditor sees its region) that
    happened in [start, end)."""
    query = query.where(scope.condition(caller, court=RecordRow.court, department=RecordRow.department,
                                        owner=RecordRow.actor))
    if start is not None:
        query = query.where(RecordRow.occur_time >= start)
    if end is not None:
        query = query.where(RecordRow.occur_time < end)
    return query


def _filtered(query: Select, filters: dict) -> Select:
    for field, value in filters.items():
        query = query.where(getattr(RecordRow, field) == value)
    return query


def records_page(session: Session, *, caller: Caller, filters: dict, page: Page, start: datetime | None,
                 end: datetime | None) -> list[RecordRow]:
    """One page of the records in scope, newest first."""
    query = _filtered(_in_scope(select(RecordRow), caller, start, end), filters)
    return page_of(session, query, key=RecordRow.sequence, page=page, descending=True)


def records_oldest_first(session: Session, *, caller: Caller, filters: dict, start: datetime | None,
                         end: datetime | None, limit: int) -> list[RecordRow]:
    query = _filtered(_in_scope(select(RecordRow), caller, start, end), filters)
    return list(session.scalars(query.order_by(RecordRow.sequence).limit(limit)))


def usage_rows(session: Session, *, caller: Caller, group_by: str, start: datetime | None,
               end: datetime | None) -> list:
    """Per person, department or court (`group_by`): key, display_name, operations, denied, failed
    and last_time, the busiest first."""
    key = GROUPINGS[group_by]
    query = _in_scope(select(
        key.label("key"), func.max(RecordRow.actor_display_name).label("display_name"),
        func.count().label("operations"),
        func.count().filter(RecordRow.result == AuditResult.AUDIT_RESULT_DENIED).label("denied"),
        func.count().filter(RecordRow.result == AuditResult.AUDIT_RESULT_FAILED).label("failed"),
        func.max(RecordRow.occur_time).label("last_time")), caller, start, end)
    query = query.where(key != "").group_by(key).order_by(func.count().desc(), key)
    return list(session.execute(query))
