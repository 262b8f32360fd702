"""Scope rules (R2), applied inside each service's own queries.

A caller sees: own cases (handler/responsible is the caller), the department,
the court, the region (court id prefix of an intermediate court) or the province.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false

from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel

from services.common.errors import PermissionDenied

WIDE = (ScopeLevel.SCOPE_LEVEL_COURT, ScopeLevel.SCOPE_LEVEL_REGION, ScopeLevel.SCOPE_LEVEL_PROVINCE)


def covers_court(caller: Caller, court: str) -> bool:
    """Whether the caller's court prefix includes `court` (necessary, not sufficient, for narrow scopes)."""
    if caller.scope == ScopeLevel.SCOPE_LEVEL_UNSPECIFIED or not caller.scope_prefix:
        return False
    if caller.scope in WIDE:
        return court.startswith(caller.scope_prefix)
    return court == caller.court


def sees_whole_court(caller: Caller, court: str) -> bool:
    return caller.scope in WIDE and court.startswith(caller.scope_prefix)


def can_see(caller: Caller, *, court: str, department: str, owner: str) -> bool:
    if not covers_court(caller, court):
        return False
    if caller.scope in WIDE:
        return True
    if caller.scope == ScopeLevel.SCOPE_LEVEL_DEPARTMENT:
        return department == caller.department
    return owner == caller.user


def require_court(caller: Caller, court: str) -> None:
    """Permission before existence: deny a court outside the caller's reach before any lookup."""
    if court != "-" and not covers_court(caller, court):
        raise PermissionDenied("无权访问该法院的数据", reason="OUT_OF_SCOPE")


def condition(caller: Caller, *, court, department, owner) -> ColumnElement[bool]:
    """A WHERE clause limiting rows to the caller's scope, given the table's columns."""
    if caller.scope == ScopeLevel.SCOPE_LEVEL_UNSPECIFIED or not caller.scope_prefix:
        return false()
    if caller.scope in WIDE:
        return court.startswith(caller.scope_prefix, autoescape=True)
    if caller.scope == ScopeLevel.SCOPE_LEVEL_DEPARTMENT:
        return and_(court == caller.court, department == caller.department)
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN:
        return and_(court == caller.court, owner == caller.user)
    return false()


