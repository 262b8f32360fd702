"""Queries of the case service (select()-based, keyset pages)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller

from services.case.models import CaseChangeRow, CaseEventRow, CaseLockRow, CaseRow
from services.common import scope
from services.common.paging import Page, page_of


# Besides the handler, whose own a case is too (scope.py): its judge assistant, clerk and panel.
TEAM = ("assistant", "clerk", "panel")


def on_team(user: str) -> ColumnElement[bool]:
    """The cases whose team `user` is on (indexes of migration 0011)."""
    return or_(CaseRow.assistant == user, CaseRow.clerk == user, CaseRow.panel.contains([user]))


def by_request(session: Session, court: str, request_id: str) -> CaseRow | None:
    return session.scalars(select(CaseRow).where(CaseRow.court == court, CaseRow.request_id == request_id)).first()


def by_request_or_number(session: Session, court: str, request_id: str, case_number: str) -> list[CaseRow]:
    """Cases that a new registration would replay (same request) or clash with (same 案号): one query."""
    return list(session.scalars(select(CaseRow).where(
        CaseRow.court == court, (CaseRow.request_id == request_id) | (CaseRow.case_number == case_number))))


def get(session: Session, court: str, case_id: uuid.UUID, *, for_update: bool = False) -> CaseRow | None:
    query = select(CaseRow).where(CaseRow.court == court, CaseRow.id == case_id)
    return session.scalars(query.with_for_update() if for_update else query).first()


def list_visible(session: Session, *, caller: Caller, court: str, filters: dict[str, str], page: Page) -> list[CaseRow]:
    query = scope.scoped_select(CaseRow, caller, court, owner="handler", equal=filters, team=on_team)
    return page_of(session, query, key=CaseRow.id, page=page)


def locking_nodes(session: Session, case_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    """The names of the nodes whose locks hold each case, oldest lock first."""
    found: dict[uuid.UUID, tuple[str, ...]] = {}
    if case_ids:
        for case_id, node in session.execute(select(CaseLockRow.case_id, CaseLockRow.node).where(
                CaseLockRow.case_id.in_(case_ids)).order_by(CaseLockRow.lock_time)):
            found[case_id] = (*found.get(case_id, ()), node)
    return found


def first_lock(session: Session, case_id: uuid.UUID) -> CaseLockRow | None:
    return session.scalars(select(CaseLockRow).where(CaseLockRow.case_id == case_id)
                           .order_by(CaseLockRow.lock_time)).first()


def event_by_request(session: Session, court: str, request_id: str) -> CaseEventRow | None:
    return session.scalars(select(CaseEventRow).where(CaseEventRow.court == court,
                                                      CaseEventRow.request_id == request_id)).first()


def last_event(session: Session, case_id: uuid.UUID, event_type: int) -> CaseEventRow | None:
    """The case's latest event of a type (by its date, then when it was recorded)."""
    return session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id,
                                                      CaseEventRow.event_type == event_type)
                           .order_by(CaseEventRow.occur_date.desc(), CaseEventRow.record_time.desc())).first()


def change_by_request(session: Session, court: str, request_id: str) -> CaseChangeRow | None:
    return session.scalars(select(CaseChangeRow).where(CaseChangeRow.court == court,
                                                       CaseChangeRow.request_id == request_id)).first()


def hold(session: Session, *, case_id: uuid.UUID, node: str, display_name: str, reason: str,
         lock_time: datetime) -> None:
    """A locked node holds its case (S11); a redelivered lock changes nothing."""
    session.execute(pg_insert(CaseLockRow).values(case_id=case_id, node=node, display_name=display_name,
                                                  reason=reason, lock_time=lock_time).on_conflict_do_nothing())


def release(session: Session, *, case_id: uuid.UUID, node: str) -> None:
    session.execute(delete(CaseLockRow).where(CaseLockRow.case_id == case_id, CaseLockRow.node == node))


def refresh_locked(session: Session, case_id: uuid.UUID, *, now: datetime) -> None:
    """The case's `locked` flag: whether any node still holds it."""
    held = exists().where(CaseLockRow.case_id == case_id)
    session.execute(update(CaseRow).where(CaseRow.id == case_id)
                    .values(locked=select(held).scalar_subquery(), update_time=now))
