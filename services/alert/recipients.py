"""Who is told: the escalation ladder (DOMAIN §5) over the org directory's projection.

A warning goes to the responsible person. An overdue node also goes to the roles the catalogue
has supervise it and to the ladder's roles for how far overdue it is: the division head from
the first day, the vice-president in charge from the 31st, the president and the higher
court's trial management office from the 91st (the node service decides the days; the events
carry the level). Someone marked absent is replaced by their deputy.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Role

from services.alert.models import DepartmentRow, RecipientRow

WARNING_LEVEL, OVERDUE_LEVEL = 0, 1
# Roles each ladder level adds; a level includes those below it.
LADDER = {1: ("division_head",), 2: ("vice_president",), 3: ("president", "higher_trial_management")}
DEPARTMENT_ROLES = {"division_head": Role.ROLE_DIVISION_HEAD}
COURT_ROLES = {"vice_president": Role.ROLE_VICE_PRESIDENT, "president": Role.ROLE_PRESIDENT,
               "trial_management": Role.ROLE_TRIAL_MANAGEMENT}
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


def holders(session: Session, role: str, *, court: str, department: str) -> list[str]:
    """The active people holding a role in the node's department or court. The vice-president is
    the one in charge of the department where the directory names one, else every one of the court.
    Remembered for the transaction: a consumer batch tells the same few leaders about many nodes."""
    cache = session.info.setdefault("role_holders", {})
    key = (role, court, department if role in DEPARTMENT_ROLES or role == "vice_president" else "")
    if key not in cache:
        cache[key] = _holders(session, role, court=court, department=department)
    return cache[key]


def _holders(session: Session, role: str, *, court: str, department: str) -> list[str]:
    if role == "vice_president":
        in_charge = session.get(DepartmentRow, department) if department else None
        if in_charge is not None and in_charge.vice_president:
            return [in_charge.vice_president]
    query = select(RecipientRow.user).where(RecipientRow.active.is_(True))
    if role in DEPARTMENT_ROLES:
        query = query.where(RecipientRow.role == DEPARTMENT_ROLES[role], RecipientRow.department == department)
    elif role == "higher_trial_management":
        above = parent_court(court)
        if above is None:
            return []
        query = query.where(RecipientRow.role == Role.ROLE_TRIAL_MANAGEMENT, RecipientRow.court == above)
    elif role in COURT_ROLES:
        query = query.where(RecipientRow.role == COURT_ROLES[role], RecipientRow.court == court)
    else:
        return []
    return list(session.scalars(query.order_by(RecipientRow.user)))


def person(session: Session, user: str) -> RecipientRow | None:
    """A directory entry, remembered for the transaction. (The session's identity map holds its
    objects weakly: without this, every reminder would read the same few people again.)"""
    people = session.info.setdefault("people", {})
    if user not in people:
        people[user] = session.get(RecipientRow, user) if user else None
    return people[user]


def stand_in(session: Session, user: str) -> str:
    """The person who reads this user's reminders: the user, or their deputy while they are away."""
    for _ in range(MAX_DEPUTY_HOPS):
        person_ = person(session, user)
        if person_ is None or not person_.absent or not person_.deputy or person_.deputy == user:
            return user
        user = person_.deputy
    return user


def resolve(session: Session, *, responsible: list[str], roles: list[str], court: str,
            department: str) -> list[str]:
    """Distinct recipients, the responsible first, each replaced by a deputy where absent."""
    people = list(responsible)
    for role in roles:
        people += holders(session, role, court=court, department=department)
    seen, result = set(), []
    for user in people:
        reader = stand_in(session, user) if user else user
        if reader and reader not in seen:
            seen.add(reader)
            result.append(reader)
    return result
