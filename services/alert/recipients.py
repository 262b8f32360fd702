"""Who is told: the escalation ladder (DOMAIN §5) over the org directory's projection.

A warning goes to the responsible person. An overdue node also goes to the roles the catalogue
has supervise it and to the ladder's roles for how far overdue it is: the division head from
the first day, the vice-president in charge from the 31st, the president and the higher
court's trial management office from the 91st (the node service decides the days; the events
carry the level). Someone marked absent is replaced by their deputy.

The directory is read from memory: a burst of reminders asks about the same few thousand people
again and again. Every change to the projection's tables gives them a new version token (a
trigger, so that no writer can forget it); each transaction reads the token once and loads the
directory again only when it has changed, so every replica sees a change from its next batch on.
"""
from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Role

from services.alert import repository
from services.common.roles import COURT_ROLES, DEPARTMENT_ROLES

WARNING_LEVEL, OVERDUE_LEVEL = 0, 1
# Roles each ladder level adds; a level includes those below it.
LADDER = {1: ("division_head",), 2: ("vice_president",), 3: ("president", "higher_trial_management")}
MAX_DEPUTY_HOPS = 3


def parent_court(court: str) -> str | None:
    """Court ids nest by prefix (44 → 4401 → 440101): the court above drops the last two digits."""
    return court[:-2] if len(court) > 2 else None


def approver_seats(required_level: str, court: str) -> tuple[tuple[str, ...], str]:
    """Who is asked to decide an application at a level (Application.required_level): the roles
    and the court. A court above is asked through its president and vice-presidents; the Supreme
    People's Court lies outside CourtFlow, so its cases are the high court's leaders' to forward."""
    if required_level == "division_head":
        return ("division_head",), court
    if required_level in ("vice_president", "president"):
        return (required_level,), court
    if required_level == "higher_court":
        return ("president", "vice_president"), parent_court(court) or court
    return ("president", "vice_president"), court[:2]


def ladder_roles(level: int, supervisors: list[str]) -> list[str]:
    """The roles told at a level: the ladder's so far and, from the first overdue day, the node's
    own supervisors that are not on the ladder (its catalogue entry names them, e.g. the trial
    management office). A leader on the ladder is told when the ladder reaches them, also where
    the catalogue names them as the node's supervisor."""
    if level < OVERDUE_LEVEL:
        return []
    on_ladder = {r for roles in LADDER.values() for r in roles}
    roles = [r for lv in sorted(LADDER) if lv <= level for r in LADDER[lv]]
    return roles + [r for r in supervisors if r not in on_ladder]


@dataclass(frozen=True, slots=True)
class Person:
    user: str
    display_name: str
    mobile: str
    court: str
    department: str
    role: int
    active: bool
    absent: bool
    deputy: str


class Directory:
    """One version of the directory: who each person is and who holds which role where."""

    def __init__(self, people: Iterable[Person], vice_presidents: dict[str, str], *, version: str = "") -> None:
        self.version = version
        self._people = {p.user: p for p in people}
        self._vice_presidents = {department: vp for department, vp in vice_presidents.items() if vp}
        # Active holders by (role, department) and (role, court), each list in user order.
        self._in_department: dict[tuple[int, str], list[str]] = defaultdict(list)
        self._in_court: dict[tuple[int, str], list[str]] = defaultdict(list)
        for p in sorted(self._people.values(), key=lambda p: p.user):
            if p.active:
                self._in_department[(p.role, p.department)].append(p.user)
                self._in_court[(p.role, p.court)].append(p.user)

    def person(self, user: str) -> Person | None:
        return self._people.get(user)

    def display_name(self, user: str) -> str:
        p = self._people.get(user)
        return p.display_name if p else user.removeprefix("users/")

    def holders(self, role: str, *, court: str, department: str) -> list[str]:
        """The active people holding a role in the node's department or court. The vice-president
        is the one in charge of the department where the directory names one, else every one of
        the court."""
        if role == "vice_president" and department in self._vice_presidents:
            return [self._vice_presidents[department]]
        if role in DEPARTMENT_ROLES:
            return list(self._in_department.get((DEPARTMENT_ROLES[role], department), ()))
        if role == "higher_trial_management":
            above = parent_court(court)
            return list(self._in_court.get((Role.ROLE_TRIAL_MANAGEMENT, above), ())) if above else []
        if role in COURT_ROLES:
            return list(self._in_court.get((COURT_ROLES[role], court), ()))
        return []

    def stand_in(self, user: str) -> str:
        """The person who reads this user's reminders: the user, or their deputy while they are away."""
        for _ in range(MAX_DEPUTY_HOPS):
            p = self._people.get(user)
            if p is None or not p.absent or not p.deputy or p.deputy == user:
                return user
            user = p.deputy
        return user

    def resolve(self, *, responsible: list[str], roles: list[str], court: str, department: str) -> list[str]:
        """Distinct recipients, the responsible first, each replaced by a deputy where absent."""
        people = list(responsible)
        for role in roles:
            people += self.holders(role, court=court, department=department)
        seen, result = set(), []
        for user in people:
            reader = self.stand_in(user) if user else user
            if reader and reader not in seen:
                seen.add(reader)
                result.append(reader)
        return result


_loaded: dict[str, Directory] = {}      # by database: the version last read, in memory
_loading = threading.Lock()             # consumers apply batches on worker threads


def directory(session: Session) -> Directory:
    """The directory as of this transaction (its version is read once per transaction)."""
    current = session.info.get("directory")
    if current is None:
        current = session.info["directory"] = _current(session)
    return current


def _current(session: Session) -> Directory:
    version = repository.directory_version(session)
    key = _database(session.get_bind())
    with _loading:
        cached = _loaded.get(key)
        if version and cached is not None and cached.version == version:
            return cached
    # Read after the token: a change committed meanwhile is in the rows and gives a token that
    # differs from this one, so the next transaction loads again rather than keep stale rows.
    people = [Person(user=r.user, display_name=r.display_name, mobile=r.mobile, court=r.court,
                     department=r.department, role=r.role, active=r.active, absent=r.absent, deputy=r.deputy)
              for r in repository.directory_people(session)]
    loaded = Directory(people, repository.vice_presidents(session), version=version)
    if version:   # without its token row (deleted by hand) nothing could tell a change: never reuse
        with _loading:
            _loaded[key] = loaded
    return loaded


def _database(bind) -> str:
    engine: Engine = getattr(bind, "engine", bind)
    return engine.url.render_as_string(hide_password=True)
