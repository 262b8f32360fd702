"""Queries of the case service (select()-based, keyset pages)."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller

from services.case.models import CaseRow
from services.common import scope
from services.common.paging import Page, page_of


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
    query = select(CaseRow).where(scope.condition(caller, court=CaseRow.court, department=CaseRow.department,
                                                  owner=CaseRow.handler))
    if court != "-":
        query = query.where(CaseRow.court == court)
    for field, value in filters.items():
        query = query.where(getattr(CaseRow, field) == value)
    return page_of(session, query, key=CaseRow.id, page=page)
