"""The org directory (R2): courts, departments and users, owned by the gateway.

Every court, department and user change is published (CourtChanged, DepartmentChanged,
UserChanged) so services that need them keep a projection: the alert service for names, mobile
numbers, deputies and who is in charge of a department, the node service for who holds a
responsible role, the stats service for the names and levels of courts and departments that its
answers and reports show. Administration (checks, scope, audit) is admin.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.common.v1.caller_pb2 import Role
from courtflow.gateway.v1.gateway_events_pb2 import CourtChanged, DepartmentChanged, UserChanged
from courtflow.gateway.v1.gateway_pb2 import Court, CourtLevel, Department, User

from gateway.models import CourtRow, DepartmentRow, UserRow
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
    uow.publish(CourtChanged(court=court_to_proto(CourtRow(id=court_id, **values))), court=court_id,
                aggregate_type="court", aggregate_id=f"courts/{court_id}")


def upsert_department(uow: UnitOfWork, *, court_id: str, department_id: str, display_name: str, kind: str,
                      vice_president: str = "") -> None:
    values = dict(court_id=court_id, display_name=display_name, kind=kind, vice_president=vice_president)
    name = department_name(court_id, department_id)
    uow.session.execute(pg_insert(DepartmentRow).values(name=name, **values)
                        .on_conflict_do_update(index_elements=[DepartmentRow.name], set_=values))
    uow.publish(DepartmentChanged(department=department_to_proto(DepartmentRow(name=name, **values))),
                court=court_id, aggregate_type="department", aggregate_id=name)


def department_to_proto(d: DepartmentRow) -> Department:
    return Department(name=d.name, display_name=d.display_name, kind=d.kind,
                      vice_president=f"users/{d.vice_president}" if d.vice_president else "")


def user_to_proto(u: UserRow) -> User:
    return User(name=f"users/{u.username}", display_name=u.display_name, role=u.role, court=f"courts/{u.court_id}",
                department=u.department, active=u.active, absent=u.absent,
                deputy=f"users/{u.deputy}" if u.deputy else "")


def court_to_proto(c: CourtRow) -> Court:
    return Court(name=f"courts/{c.id}", display_name=c.display_name, level=c.level,
                 parent=f"courts/{c.parent_id}" if c.parent_id else "")


def upsert_user(uow: UnitOfWork, spec: UserSpec) -> None:
    values = dict(display_name=spec.display_name, role=spec.role, court_id=spec.court_id,
                  department=spec.department, mobile=spec.mobile, active=spec.active, absent=spec.absent,
                  deputy=spec.deputy)
    uow.session.execute(pg_insert(UserRow).values(username=spec.username, **values)
                        .on_conflict_do_update(index_elements=[UserRow.username], set_=values))
    user = user_to_proto(UserRow(username=spec.username, **values))
    uow.publish(UserChanged(user=user, mobile=spec.mobile), court=spec.court_id, aggregate_type="user",
                aggregate_id=user.name)


def role_from_name(name: str) -> int:
    return Role.Value(f"ROLE_{name.upper()}")
