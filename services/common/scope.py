"""Scope rules (R2), applied inside each service's own queries.

A caller sees: own cases (handler/responsible is the caller, or the caller is on the case's
team: its judge assistant, clerk or a panel member), the department, the court, the region (court
id prefix of an intermediate court) or the province.
"""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel

from services.common.errors import PermissionDenied

WIDE = (ScopeLevel.SCOPE_LEVEL_COURT, ScopeLevel.SCOPE_LEVEL_REGION, ScopeLevel.SCOPE_LEVEL_PROVINCE)
# Given a user, a WHERE clause "the user is on the row's team" (the table's team columns).
TeamCondition = Callable[[str], ColumnElement[bool]]


def case_team(case) -> list[str]:
    """A case's people (a Case message), each once: handler, judge assistant, clerk, panel members.
    The node service keeps them on the case's nodes and the statistics on their read model, so that
    each sees the case as theirs."""
    return list(dict.fromkeys(p for p in (case.handler, case.assistant, case.clerk, *case.panel) if p))


def covers_court(caller: Caller, court: str) -> bool:
    """Whether the caller's court prefix includes `court` (necessary, not sufficient, for narrow scopes)."""
    if caller.scope == ScopeLevel.SCOPE_LEVEL_UNSPECIFIED or not caller.scope_prefix:
        return False
    if caller.scope in WIDE:
        return court.startswith(caller.scope_prefix)
    return court == caller.court


def sees_whole_court(caller: Caller, court: str) -> bool:
    return caller.scope in WIDE and court.startswith(caller.scope_prefix)


def can_see(caller: Caller, *, court: str, department: str, owner: str, team: Iterable[str] = ()) -> bool:
    """`team`: the people besides the owner whose own the row is too (a case's assistant, clerk
    and panel): own scope sees it as theirs."""
    if not covers_court(caller, court):
        return False
    if caller.scope in WIDE:
        return True
    if caller.scope == ScopeLevel.SCOPE_LEVEL_DEPARTMENT:
        return department == caller.department
    return owner == caller.user or (bool(caller.user) and caller.user in team)


def require_court(caller: Caller, court: str) -> None:
    """Permission before existence: deny a court outside the caller's reach before any lookup."""
    if court != "-" and not covers_court(caller, court):
        raise PermissionDenied("无权访问该法院的数据", reason="OUT_OF_SCOPE")


def condition(caller: Caller, *, court, department, owner, team: TeamCondition | None = None) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the caller's scope, given the table's columns (and, with
    `team`, how to ask whether the caller is on a row's team)."""
    if caller.scope == ScopeLevel.SCOPE_LEVEL_UNSPECIFIED or not caller.scope_prefix:
        return false()
    if caller.scope in WIDE:
        return court.startswith(caller.scope_prefix, autoescape=True)
    if caller.scope == ScopeLevel.SCOPE_LEVEL_DEPARTMENT:
        return and_(court == caller.court, department == caller.department)
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN and owner is not None:
        mine = owner == caller.user
        return and_(court == caller.court, or_(mine, team(caller.user)) if team is not None and caller.user else mine)
    return false()


def check_visible(caller: Caller, row, *, court: str, owner: str, missing: Exception,
                  denial: str = "无权查看该数据", team: tuple[str, ...] = ()) -> None:
    """AIP-211: permission before existence. A row the caller may not see and a row that does not
    exist look the same (PERMISSION_DENIED) unless the caller sees the whole court, who may learn
    that it does not exist (``missing``, a NOT_FOUND error). ``row`` has ``court`` and
    ``department``; ``owner`` is the attribute naming its handler or responsible person, ``team``
    the attributes naming the others whose own it is too (a person or a list of people each)."""
    if row is not None and can_see(caller, court=row.court, department=row.department,
                                   owner=getattr(row, owner), team=_people(row, team)):
        return
    if row is None and sees_whole_court(caller, court):
        raise missing
    raise PermissionDenied(denial, reason="OUT_OF_SCOPE")


def _people(row, attributes: tuple[str, ...]) -> list[str]:
    people: list[str] = []
    for attribute in attributes:
        value = getattr(row, attribute) or ()
        people.extend([value] if isinstance(value, str) else value)
    return people


def scoped_select(model, caller: Caller, court: str, *, owner: str | None, equal: dict | None = None,
                  team: TeamCondition | None = None) -> Select:
    """SELECT rows of ``model`` (with ``court`` and ``department`` columns and an ``owner`` column)
    the caller may see, in one court or, with court "-", in all the caller's; ``equal`` adds
    column = value conditions, a value of None being no condition; ``team`` counts the rows whose
    team the caller is on as theirs. Checks the court first. A table without an owner column
    (``owner`` None: counters) shows no rows to a caller of own scope."""
    require_court(caller, court)
    query = select(model).where(condition(caller, court=model.court, department=model.department,
                                          owner=getattr(model, owner) if owner else None, team=team))
    if court != "-":
        query = query.where(model.court == court)
    for column, value in (equal or {}).items():
        if value is not None:
            query = query.where(getattr(model, column) == value)
    return query
