"""Who may be given a case: a projection of the gateway's org directory (UserChanged).

A case's handler receives its reminders, case number included. Given to another court's judge,
an auditor or a name nobody holds, the case would send them to that court, to someone who does
not handle cases, or to nobody; so the handler must be an active person of the case's court, in
a role that handles cases, and of the case's department unless a court leader (roles.py).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Role

from services.case.models import PersonRow
from services.common.errors import invalid_field
from services.common.roles import CASE_HANDLER_ROLES, COURT_WIDE_HANDLER_ROLES

HANDLER_FIELD = "case.handler"


def _serving_in(person: PersonRow | None, court: str) -> bool:
    """An active person of this court. Another court's person reads like one who does not exist,
    so that no answer names another court."""
    return person is not None and person.active and person.court == court


def handler_problem(person: PersonRow | None, *, court: str, department: str) -> str | None:
    """Why this person may not handle a case of this court and department, or None."""
    if not _serving_in(person, court):
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


def check_team(session: Session, *, court: str, department: str, assistant: str, clerk: str,
               panel: list[str] | tuple[str, ...]) -> None:
    """The rest of the case's team: its judge assistant and clerk are of its department, its panel
    members judges or leaders of its court; like the handler, all active."""
    for field, user, role, word in (("case.assistant", assistant, Role.ROLE_JUDGE_ASSISTANT, "法官助理"),
                                    ("case.clerk", clerk, Role.ROLE_CLERK, "书记员")):
        if not user:
            continue
        person = session.get(PersonRow, user)
        if not _serving_in(person, court):
            raise invalid_field(field, f"{word}必须是本院（{court}）在职的人员")
        if person.role != role or person.department != department:
            raise invalid_field(field, f"{user} 不是承办部门 {department} 的{word}")
    for i, user in enumerate(panel):
        person = session.get(PersonRow, user)
        if not _serving_in(person, court) or person.role not in CASE_HANDLER_ROLES:
            raise invalid_field(f"case.panel[{i}]", f"合议庭成员必须是本院（{court}）在职的法官、庭长或院领导")

