"""Does the read model agree with the owning services? Pure: the comparison of one case or node as
the read model holds it with the same one as its service gives it.

What is compared is what the platform's figures are made of: a case's state, court, department,
handler and key dates; a node's state, clock generation, due date, status (超期/预警/正常), lock
(held, and whether it counts as ever locked), whether it was withdrawn, department and responsible
person. Every count follows from those.

Also the checks across the case and node services (`case_findings`), composed from their data by
VerifyIntegrity (verification.py) and by the operator's `courtflow verify` (runtime/integrity.py).
"""
from __future__ import annotations

from datetime import date

from courtflow.case.v1.case_pb2 import Case
from courtflow.node.v1.node_pb2 import Node

from services.case import integrity as case_checks
from services.common.integrity import Finding
from services.node import integrity as node_checks
from services.stats import projection

CASE_FIELDS = ("state", "department", "handler", "receive_date", "filing_date", "close_date", "archive_date")
NODE_FIELDS = ("state", "generation", "due_date", "status", "locked", "ever_locked", "withdrawn", "department",
               "responsible")
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


def case_findings(case_name: str, *, exists: bool, filed: bool, locked: bool, held: set[str], codes: set[str],
                  locked_nodes: set[str], expected: set[str], names: dict[str, str]) -> list[Finding]:
    """One case as the case service holds it (`exists`, `filed`, `locked`, the node locks it
    `held`) against its nodes as the node service holds them (their `codes`, the `locked_nodes`):
    a filed case has the nodes its catalogue opens at filing (`expected`), a node has its case, and
    the locks agree. `names`: the catalogue's names of node types."""
    if not exists:
        found = [Finding("case_nodes", case_name, f"节点服务有该案件的节点（{node_checks.named(codes, names)}），"
                                                  f"案件服务却没有该案件")] if codes else []
        return found + case_checks.lock_findings(case_name, locked=False, held=held, node_locks=locked_nodes)
    found = node_checks.missing_nodes(case_name, expected, codes, names) if filed else []
    return found + case_checks.lock_findings(case_name, locked=locked, held=held, node_locks=locked_nodes)
