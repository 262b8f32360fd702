"""The org directory (R2): courts, departments and users, owned by the gateway.

Every user change is published (UserChanged) so services that need people —
the alert service for names and mobile numbers — keep a projection.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.common.v1.caller_pb2 import Role
from courtflow.gateway.v1.gateway_events_pb2 import UserChanged
from courtflow.gateway.v1.gateway_pb2 import CourtLevel, User

from gateway.auth import new_token, token_digest
from gateway.models import ApiTokenRow, CourtRow, DepartmentRow, UserRow
from services.common.uow import UnitOfWork

LEVELS = {"high": CourtLevel.COURT_LEVEL_HIGH, "intermediate": CourtLevel.COURT_LEVEL_INTERMEDIATE,
          "basic": CourtLevel.COURT_LEVEL_BASIC}


@dataclass(frozen=True)
class UserSpec:
    username: str
    display_name: str
    role: int
    court_id: str
    department: str     # resource name or ""
    mobile: str
    active: bool = True
    absent: bool = False
    deputy: str = ""    # username of the stand-in while absent


def department_name(court_id: str, department_id: str) -> str:
    return f"courts/{court_id}/departments/{department_id}"


def upsert_court(uow: UnitOfWork, *, court_id: str, display_name: str, level: str, parent_id: str | None,
                 abbreviation: str) -> None:
    values = dict(display_name=display_name, level=LEVELS[level], parent_id=parent_id, abbreviation=abbreviation)
    uow.session.execute(pg_insert(CourtRow).values(id=court_id, **values)
                        .on_conflict_do_update(index_elements=[CourtRow.id], set_=values))


def upsert_department(uow: UnitOfWork, *, court_id: str, department_id: str, display_name: str, kind: str) -> None:
    values = dict(court_id=court_id, display_name=display_name, kind=kind)
    uow.session.execute(pg_insert(DepartmentRow).values(name=department_name(court_id, department_id), **values)
                        .on_conflict_do_update(index_elements=[DepartmentRow.name], set_=values))


def upsert_user(uow: UnitOfWork, spec: UserSpec) -> None:
    values = dict(display_name=spec.display_name, role=spec.role, court_id=spec.court_id,
                  department=spec.department, mobile=spec.mobile, active=spec.active, absent=spec.absent,
                  deputy=spec.deputy)
    uow.session.execute(pg_insert(UserRow).values(username=spec.username, **values)
                        .on_conflict_do_update(index_elements=[UserRow.username], set_=values))
    user = User(name=f"users/{spec.username}", display_name=spec.display_name, role=spec.role,
                court=f"courts/{spec.court_id}", department=spec.department, active=spec.active,
                absent=spec.absent, deputy=f"users/{spec.deputy}" if spec.deputy else "")
    uow.publish(UserChanged(user=user, mobile=spec.mobile), court=spec.court_id, aggregate_type="user",
                aggregate_id=user.name)


def issue_token(uow: UnitOfWork, *, username: str, label: str, expire_time: datetime | None = None) -> str:
    """A new bearer token for a user; only its digest is stored, so it is shown once."""
    token = new_token()
    uow.session.add(ApiTokenRow(token_hash=token_digest(token), username=username, label=label,
                                create_time=uow.clock.now(), expire_time=expire_time))
    return token


def role_from_name(name: str) -> int:
    return Role.Value(f"ROLE_{name.upper()}")
