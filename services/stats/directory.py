"""The org directory's courts and departments as the stats service knows them: a projection of the
gateway's CourtChanged and DepartmentChanged events (DESIGN rule 2: another service's data comes by
its events). Answers name what they group by with it (「东江市中级人民法院」, 「民事审判第一庭」,
falling back to the id of what the directory does not know yet), and a work report (reports.py)
finds the court's level and the courts and departments it lists, those without cases included.

Each event carries the court or department as it is after the change; the newer one (by the time
of the change) wins, so redelivered and reordered events leave the same rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.gateway.v1.gateway_pb2 import Court, Department

from services.common.names import court_of
from services.stats.models import CourtViewRow, DepartmentViewRow


@dataclass(frozen=True)
class CourtInfo:
    court: str
    display_name: str
    level: int          # courtflow.gateway.v1.CourtLevel
    parent: str         # "" for the high court


@dataclass(frozen=True)
class DepartmentInfo:
    name: str           # courts/{court}/departments/{id}
    court: str
    display_name: str
    kind: str           # civil, criminal, filing, office, trial_management, …


@dataclass(frozen=True)
class Directory:
    """The courts and departments under one court (its id a prefix of theirs)."""

    courts: dict[str, CourtInfo] = field(default_factory=dict)
    departments: dict[str, DepartmentInfo] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Court ids and department names → their names, as supervision.group_value takes them."""
        return {**{c.court: c.display_name for c in self.courts.values()},
                **{d.name: d.display_name for d in self.departments.values()}}


def court_row(court: Court, at: datetime) -> dict:
    return dict(court=court.name.removeprefix("courts/"), display_name=court.display_name[:100], level=court.level,
                parent=court.parent.removeprefix("courts/"), version=at)


def department_row(department: Department, at: datetime) -> dict:
    return dict(name=department.name, court=court_of(department.name), display_name=department.display_name[:100],
                kind=department.kind[:40], version=at)


def _newest(rows: list[dict], key: str) -> list[dict]:
    newest: dict[str, dict] = {}
    for row in rows:
        if row[key] not in newest or row["version"] > newest[row[key]]["version"]:
            newest[row[key]] = row
    return list(newest.values())


def keep(session: Session, *, courts: list[dict], departments: list[dict]) -> None:
    """Write courts and departments (rows of court_row, department_row), each only over an older one."""
    for model, key, rows in ((CourtViewRow, "court", courts), (DepartmentViewRow, "name", departments)):
        rows = _newest(rows, key)
        if not rows:
            continue
        insert = pg_insert(model).values(rows)
        session.execute(insert.on_conflict_do_update(
            index_elements=[getattr(model, key)], set_={c: insert.excluded[c] for c in rows[0] if c != key},
            where=insert.excluded.version > model.version))


def names(session: Session, values) -> dict[str, str]:
    """The names of these court ids and department names (those the directory knows)."""
    values = {str(v) for v in values if v}
    departments = {v for v in values if v.startswith("courts/")}
    courts = values - departments
    found: dict[str, str] = {}
    if courts:
        found.update((r.court, r.display_name) for r in session.execute(
            select(CourtViewRow.court, CourtViewRow.display_name).where(CourtViewRow.court.in_(courts))))
    if departments:
        found.update((r.name, r.display_name) for r in session.execute(
            select(DepartmentViewRow.name, DepartmentViewRow.display_name)
            .where(DepartmentViewRow.name.in_(departments))))
    return found


def under(session: Session, court: str) -> Directory:
    """The courts whose id starts with this court's (itself included: court ids nest) and their
    departments, in id order."""
    courts = session.scalars(select(CourtViewRow).where(CourtViewRow.court.startswith(court, autoescape=True))
                             .order_by(CourtViewRow.court))
    departments = session.scalars(select(DepartmentViewRow)
                                  .where(DepartmentViewRow.court.startswith(court, autoescape=True))
                                  .order_by(DepartmentViewRow.name))
    return Directory(
        courts={c.court: CourtInfo(c.court, c.display_name, c.level, c.parent) for c in courts},
        departments={d.name: DepartmentInfo(d.name, d.court, d.display_name, d.kind) for d in departments})
