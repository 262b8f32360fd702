"""Events the node service publishes."""
from __future__ import annotations

from datetime import date, datetime

from courtflow.node.v1.node_events_pb2 import NodeCompleted, NodeOpened, NodeOverdue, NodeWarned

from services.node import deadlines
from services.node.convert import node_to_proto, pb_date
from services.node.models import NodeRow


def node_opened(node: NodeRow) -> NodeOpened:
    return NodeOpened(node=node_to_proto(node))


def node_warned(node: NodeRow, *, rung: int, now: datetime) -> NodeWarned:
    return NodeWarned(node=node_to_proto(node), rung_days=rung,
                      days_remaining=deadlines.days_remaining(node.due_date, now))


def node_overdue(node: NodeRow, *, now: datetime, warned_before: bool) -> NodeOverdue:
    return NodeOverdue(node=node_to_proto(node), days_overdue=deadlines.days_overdue(node.due_date, now),
                       warned_before=warned_before)


def node_completed(node: NodeRow, *, on: date) -> NodeCompleted:
    return NodeCompleted(node=node_to_proto(node), completed_on=pb_date(on), late=on > node.due_date)
