"""What the supervision platform keeps of a case or node event. Pure: no I/O.

Events are redelivered and, across replicas, arrive out of order. Each node event carries the
node as it was at the event's time; the read model keeps every such status in the node's history
and, as the node's current status, the one that is latest by

    (clock generation, time of the change, state rank, locked)

— the rule of counting.py (within a generation a node only moves forward; an approved change of
the clock starts a generation in which it may run again) extended by time, so a reassignment or
a lock lifted later in the same generation wins too. A case snapshot is newer when its update
time is. So the same events in any order, any number of times, leave the same rows.
"""
from __future__ import annotations

from datetime import date, datetime

from courtflow.case.v1.case_pb2 import Case
from courtflow.node.v1.node_pb2 import Node, NodeState
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.common import scope
from services.common.clock import legal_date
from services.common.dates import instant, optional_event_date
from services.common.labels import PARTY_ROLES, word
from services.common.names import CaseName, NodeName
from services.stats.counting import RANK

# The node's columns that do not change over its life, and those each event may change.
NODE_FIXED = ("case_id", "court", "region", "stage", "category", "node_type", "display_name", "open_date")
NODE_STATUS = ("at", "generation", "state", "status", "overdue_without_warning", "locked", "ever_locked", "withdrawn",
               "department", "responsible", "due_date", "warning_date", "overdue_date", "complete_date",
               "lock_date", "unlock_date", "lock_reason", "lock_type")


CASE_DATES = ("receive_date", "filing_date", "judgment_date", "effective_date", "close_date", "archive_date")


def region_of(court: str) -> str:
    """片区: the intermediate court above a court. Court ids nest (44 the high court, 4401 an
    intermediate court, 440101 a basic court below it), as the callers' region scopes do; the high
    court is its own region."""
    return court[:4] if len(court) >= 4 else court


def parties_text(case: Case) -> str:
    """当事人 as a list shows them: 原告：张三；被告：李四."""
    return "；".join(f"{word(PARTY_ROLES, p.role, '当事人')}：{p.display_name}" for p in case.parties)


def _day(message, field: str) -> date | None:
    at = instant(message, field)
    return legal_date(at) if at is not None else None


def case_row(case: Case) -> dict:
    name = CaseName.parse(case.name)
    return dict(
        case_id=name.case_id, court=name.court, region=region_of(name.court), department=case.department,
        handler=case.handler, team=scope.case_team(case), case_number=case.case_number, case_type=case.case_type,
        procedure=case.procedure, cause=case.cause[:200], parties=parties_text(case)[:1000], state=case.state,
        custody=case.custody,
        **{f: optional_event_date(getattr(case, f)) for f in CASE_DATES},
        version=instant(case, "update_time"), create_time=instant(case, "create_time") or instant(case, "update_time"))


def status_of(node: Node) -> int:
    """超期 / 预警 / 正常 of a node in its current clock generation. A completed node keeps what it
    reached: completed after its due date it is overdue (超期完成), completed in time after a
    warning it is a warning."""
    if node.state == NodeState.NODE_STATE_OVERDUE:
        return NodeStatus.NODE_STATUS_OVERDUE
    if node.state == NodeState.NODE_STATE_WARNING:
        return NodeStatus.NODE_STATUS_WARNING
    if node.state == NodeState.NODE_STATE_COMPLETED:
        # Done on its legal day (Node.completed_on: a document posted in time is in time, 民事诉讼法
        # 第八十五条), or, for a node completed before that was kept, the day it was recorded.
        due = optional_event_date(node.due_date)
        done = optional_event_date(node.completed_on) if node.HasField("completed_on") else _day(node, "complete_time")
        if due is not None and done is not None and done > due:
            return NodeStatus.NODE_STATUS_OVERDUE
        if node.HasField("warning_time"):
            return NodeStatus.NODE_STATUS_WARNING
    return NodeStatus.NODE_STATUS_NORMAL


def node_row(node: Node, at: datetime, *, extended: bool = False) -> dict:
    """The node as an event of time ``at`` carries it: its fixed columns and its status;
    ``extended`` when the event is the approval of an extension of its limit."""
    name = NodeName.parse(node.name)
    # A withdrawn node (已撤回) carries no figure: its limit does not apply to the case, so it did
    # not run out, and the lock it held was released because of that, not by an approved unlock
    # application (解锁). Its lock's dates stay for the record.
    withdrawn = node.withdrawn
    status = NodeStatus.NODE_STATUS_NORMAL if withdrawn else status_of(node)
    lock = node.lock if node.HasField("lock") else None
    return dict(
        node=node.name, case_id=name.case_id, court=name.court, region=region_of(name.court), stage=node.stage,
        category=node.category[:60], node_type=node.node_type[:60], display_name=node.display_name[:100],
        open_date=_day(node, "open_time"), extended=extended, at=at, generation=node.clock_generation,
        state=node.state, status=status,
        overdue_without_warning=status == NodeStatus.NODE_STATUS_OVERDUE and not node.HasField("warning_time"),
        locked=bool(lock and lock.locked), ever_locked=lock is not None and not withdrawn, withdrawn=withdrawn,
        department=node.department,
        responsible=node.responsible, due_date=optional_event_date(node.due_date),
        warning_date=_day(node, "warning_time"),
        overdue_date=_day(node, "overdue_time"), complete_date=_day(node, "complete_time"),
        lock_date=optional_event_date(lock.lock_date) if lock else None,
        unlock_date=optional_event_date(lock.unlock_date) if lock and not withdrawn else None,
        lock_reason=(lock.reason if lock else "")[:500], lock_type=lock.lock_type if lock else 0)


def order_key(row: dict) -> tuple:
    """Which of two statuses of one node is the later (see the module's docstring)."""
    return row["generation"], row["at"], RANK.get(row["state"], 0), row["locked"]


def latest(rows: list[dict]) -> dict:
    return max(rows, key=order_key)


# The order key compares states by number in SQL (repository.keep_nodes): they must rank as they count.
assert all(RANK[state] == state for state in RANK), "NodeState numbers no longer rank as counting.RANK"
