"""Does the read model agree with the owning services? Pure: the comparison of one case or node as
the read model holds it with the same one as its service gives it.

What is compared is what the platform's figures are made of: a case's state, court, department,
handler and key dates; a node's state, clock generation, due date, lock, department and
responsible person. A node's status (超期/预警/正常) and every count follow from those.
"""
from __future__ import annotations

from datetime import date

from courtflow.case.v1.case_pb2 import Case
from courtflow.node.v1.node_pb2 import Node

from services.stats import projection

CASE_FIELDS = ("state", "department", "handler", "receive_date", "filing_date", "close_date", "archive_date")
NODE_FIELDS = ("state", "generation", "due_date", "locked", "department", "responsible")
# How many differences an answer lists at most (the count of all is in its consistent flag).
MAX_LISTED = 1000


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def case_differences(name: str, ours: dict | None, theirs: Case | None) -> list[tuple[str, str, str, str]]:
    """(name, field, read model, source) for each figure of one case that differs."""
    if ours is None or theirs is None:
        return [(name, "exists", "" if ours is None else "true", "" if theirs is None else "true")]
    source = projection.case_row(theirs)
    return [(name, f, _text(ours[f]), _text(source[f])) for f in CASE_FIELDS if ours[f] != source[f]]


def node_differences(name: str, ours: dict | None, theirs: Node | None) -> list[tuple[str, str, str, str]]:
    """(name, field, read model, source) for each figure of one node that differs."""
    if ours is None or theirs is None:
        return [(name, "exists", "" if ours is None else "true", "" if theirs is None else "true")]
    source = projection.node_row(theirs, at=None)
    return [(name, f, _text(ours[f]), _text(source[f])) for f in NODE_FIELDS if ours[f] != source[f]]
