"""Who may be given a case: a projection of the gateway's org directory (UserChanged).

A case's handler receives its reminders, case number included. Given to another court's judge,
an auditor or a name nobody holds, the case would send them to that court, to someone who does
not handle cases, or to nobody; so the handler must be an active person of the case's court, in
a role that handles cases, and of the case's department unless a court leader (roles.py).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.case.models import PersonRow
from services.common.errors import invalid_field
from services.common.roles import CASE_HANDLER_ROLES, COURT_WIDE_HANDLER_ROLES

HANDLER_FIELD = "case.handler"


def handler_problem(person: PersonRow | None, *, court: str, department: str) -> str | None:
    """Why this person may not handle a case of this court and department, or None."""
    # Another court's person reads like one who does not exist: the answer names no other court.
    if person is None or not person.active or person.court != court:
        return f"承办人必须是本院（{court}）在职的人员"
    if person.role not in CASE_HANDLER_ROLES:
        return "承办人必须是法官、庭长、副院长或院长"
    if person.role not in COURT_WIDE_HANDLER_ROLES and person.department != department:
        return f"承办人不属于承办部门 {department}"
    return None


def check_handler(session: Session, *, handler: str, court: str, department: str) -> None:
    problem = handler_problem(session.get(PersonRow, handler), court=court, department=department)
    if problem is not None:
        raise invalid_field(HANDLER_FIELD, problem, f"参数错误: {HANDLER_FIELD}: {handler}：{problem}")
