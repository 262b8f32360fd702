"""Events the node service publishes."""
from __future__ import annotations

from datetime import date, datetime

from courtflow.node.v1.node_events_pb2 import (ApplicationCreated, ApplicationDecided, CalendarYearImported,
                                               CaseHandedOver, NodeCompleted, NodeDeadlineChanged, NodeEscalated,
                                               NodeLocked, NodeOpenAtClosing, NodeOpened, NodeOverdue, NodeReassigned,
                                               NodeReopened, NodeUnlocked, NodeWarned)

from services.common.dates import from_date
from services.node import deadlines
from services.node.convert import application_to_proto, calendar_year_to_proto, node_to_proto
from services.node.models import ApplicationRow, CalendarYearRow, NodeRow


def node_opened(node: NodeRow) -> NodeOpened:
    return NodeOpened(node=node_to_proto(node))


def node_warned(node: NodeRow, *, rung: int, now: datetime) -> NodeWarned:
    return NodeWarned(node=node_to_proto(node), rung_days=rung,
                      days_remaining=deadlines.days_remaining(node.due_date, now))


def node_overdue(node: NodeRow, *, now: datetime, warned_before: bool) -> NodeOverdue:
    return NodeOverdue(node=node_to_proto(node), days_overdue=deadlines.days_overdue(node.due_date, now),
                       warned_before=warned_before)


def node_escalated(node: NodeRow, *, now: datetime, level: int) -> NodeEscalated:
    return NodeEscalated(node=node_to_proto(node), days_overdue=deadlines.days_overdue(node.due_date, now), level=level)


def node_completed(node: NodeRow, *, on: date) -> NodeCompleted:
    """`on`: the legal day it was done (NodeRow.completed_on)."""
    return NodeCompleted(node=node_to_proto(node), completed_on=from_date(on), late=on > node.due_date)


def node_deadline_changed(node: NodeRow, *, previous: date, reason: str, application: str = "") -> NodeDeadlineChanged:
    return NodeDeadlineChanged(node=node_to_proto(node), previous_due_date=from_date(previous), reason=reason,
                               application=application)


def node_locked(node: NodeRow) -> NodeLocked:
    return NodeLocked(node=node_to_proto(node))


def node_unlocked(node: NodeRow, *, application: str) -> NodeUnlocked:
    return NodeUnlocked(node=node_to_proto(node), application=application)


def application_created(application: ApplicationRow, node: NodeRow) -> ApplicationCreated:
    return ApplicationCreated(application=application_to_proto(application), node=node_to_proto(node))


def application_decided(application: ApplicationRow, node: NodeRow) -> ApplicationDecided:
    return ApplicationDecided(application=application_to_proto(application), node=node_to_proto(node))


def node_open_at_closing(node: NodeRow, *, on: date) -> NodeOpenAtClosing:
    return NodeOpenAtClosing(node=node_to_proto(node), closed_on=from_date(on))


def node_reassigned(node: NodeRow, *, previous_department: str, previous_responsible: str) -> NodeReassigned:
    return NodeReassigned(node=node_to_proto(node), previous_department=previous_department,
                          previous_responsible=previous_responsible)


def node_reopened(node: NodeRow, *, closing_event: str, reason: str) -> NodeReopened:
    return NodeReopened(node=node_to_proto(node), closing_event=closing_event, reason=reason)


def case_handed_over(case: str, case_number: str, *, handler: str, previous_handler: str,
                     nodes: list[NodeRow], role: str) -> CaseHandedOver:
    return CaseHandedOver(case=case, case_number=case_number, handler=handler, previous_handler=previous_handler,
                          nodes=[node_to_proto(n) for n in nodes], role=role)


def calendar_year_imported(row: CalendarYearRow) -> CalendarYearImported:
    return CalendarYearImported(calendar_year=calendar_year_to_proto(row))
