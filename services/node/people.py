"""Who holds a node's responsible role: a projection of the gateway's org directory.

Most nodes are the case handler's; some are the case's judge assistant's or clerk's (the case
names them: the clerk serves the documents), some a role's (the division head approves a filing,
the trial management office checks the archive). A role's node is put on the person who holds the
role in the case's department or court when it opens, so that it shows in their lists and their
reminders. When nobody holds it yet (or the directory has not reached this service, or the case
has no assistant or clerk), the node stays with the handler rather than with nobody.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from services.common.roles import COURT_ROLES, DEPARTMENT_ROLES, HANDLER
# A case's people: defined with the scope rules they serve, named here too for the node service.
from services.common.scope import case_team  # noqa: F401
from services.node import repository


class ResponsibleResolver:
    """Resolves roles for one case event; the few lookups a filing needs are cached."""

    def __init__(self, session: Session, *, court: str, department: str, handler: str, assistant: str = "",
                 clerk: str = "") -> None:
        self._session, self._court, self._department, self._handler = session, court, department, handler
        self._case_people = {"assistant": assistant, "clerk": clerk}
        self._cache: dict[str, str | None] = {}

    def __call__(self, role: str) -> str:
        if role == HANDLER or not role:
            return self._handler
        if role in self._case_people:
            return self._case_people[role] or self._handler
        if role not in self._cache:
            self._cache[role] = self._holder(role)
        return self._cache[role] or self._handler

    def _holder(self, role: str) -> str | None:
        # Several holders (two vice-presidents): the first by name, so the choice is stable.
        if role in DEPARTMENT_ROLES:
            return repository.role_holder(self._session, court=self._court, role=DEPARTMENT_ROLES[role],
                                          department=self._department)
        if role in COURT_ROLES:
            return repository.role_holder(self._session, court=self._court, role=COURT_ROLES[role])
        return None
