"""Who holds a node's responsible role: a projection of the gateway's org directory.

Most nodes are the case handler's; some are a role's (the division head approves a filing, the
trial management office checks the archive). Such a node is put on the person who holds the
role in the case's department or court when it opens, so that it shows in their lists and their
reminders. When nobody holds it yet (or the directory has not reached this service), the node
stays with the handler rather than with nobody.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.roles import COURT_ROLES, DEPARTMENT_ROLES, HANDLER
from services.node.models import PersonRow


class ResponsibleResolver:
    """Resolves roles for one case event; the few lookups a filing needs are cached."""

    def __init__(self, session: Session, *, court: str, department: str, handler: str) -> None:
        self._session, self._court, self._department, self._handler = session, court, department, handler
        self._cache: dict[str, str | None] = {}

    def __call__(self, role: str) -> str:
        if role == HANDLER or not role:
            return self._handler
        if role not in self._cache:
            self._cache[role] = self._holder(role)
        return self._cache[role] or self._handler

    def _holder(self, role: str) -> str | None:
        query = select(PersonRow.user).where(PersonRow.court == self._court, PersonRow.active.is_(True))
        if role in DEPARTMENT_ROLES:
            query = query.where(PersonRow.role == DEPARTMENT_ROLES[role], PersonRow.department == self._department)
        elif role in COURT_ROLES:
            query = query.where(PersonRow.role == COURT_ROLES[role])
        else:
            return None
        # Several holders (two vice-presidents): the first by name, so the choice is stable.
        return self._session.scalar(query.order_by(PersonRow.user).limit(1))
