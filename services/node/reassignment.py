"""A case's open nodes follow a change of the case (UpdateCase, issue 18).

- The nodes whose responsible role is the handler go to the new handler, the judge assistant's
  and clerk's to the new assistant and clerk (the handler's when the case has none); those held by a
  department role (the division head) to its holder in the case's new department; a court
  role's holder stays. Every open node takes the new department (scope and counters follow it)
  and case number. Completed nodes stay where they were: the history keeps who did what, where.
- Every node of the case, completed ones too, takes the case's people (handler, assistant, clerk,
  panel): who sees the case's nodes follows the case's team at once.
- The clock does not change (a reassignment is not an extension), except that a custody change
  re-derives the custody terms (catalogue `custody_term`), whose last day rolls or not with it.
- Each node that moved is published (NodeReassigned); a re-derived one as NodeDeadlineChanged.
  Reminders due later go to whoever holds the node then; those already delivered stay delivered.
  A new handler, judge assistant or clerk is told once, with the nodes they received
  (CaseHandedOver, its `role` naming their place so that each reads their own words); so are the
  assistant and clerk a case is registered with (`tell_registered_team`).
"""
from __future__ import annotations

from courtflow.case.v1.case_pb2 import Case
from courtflow.node.v1.node_pb2 import NodeState

from services.common.names import CaseName
from services.common.roles import HANDLER
from services.common.uow import UnitOfWork
from services.node import events, repository
from services.node.calendar import HolidayCalendar
from services.node.catalog import Catalog
from services.node.models import NodeRow
from services.node.people import ResponsibleResolver, case_team
from services.node.service import reschedule

# Most urgent first in what the new handler is told.
URGENCY = {NodeState.NODE_STATE_OVERDUE: 3, NodeState.NODE_STATE_WARNING: 2, NodeState.NODE_STATE_RUNNING: 1}


# The case's places whose holder is told of a case they join, in the order they are told.
MEMBERS = (HANDLER, "assistant", "clerk")


def follow_case_change(uow: UnitOfWork, *, catalog: Catalog, calendar: HolidayCalendar, case: Case,
                       previous: Case, changed: list[str], effective: str) -> int:
    """Move the case's open nodes with it; returns how many moved or were re-derived."""
    name = CaseName.parse(case.name, "case.name")
    nodes = repository.open_nodes_for_update(uow.session, name.case_id)
    team = case_team(case)
    repository.set_team(uow.session, name.case_id, team)
    holder = ResponsibleResolver(uow.session, court=name.court, department=case.department, handler=case.handler,
                                 assistant=case.assistant, clerk=case.clerk)
    touched = 0
    received: dict[str, list] = {}   # per person, the nodes they now hold and did not before
    for node in nodes:
        before = (node.department, node.responsible)
        node.department, node.case_number, node.team = case.department, case.case_number, team
        node.responsible = holder(node.responsible_role)
        rederived = False
        if "custody" in changed:
            rule = catalog.rule(node.node_type)
            custody = case.custody and rule is not None and rule.custody_term
            if custody != node.custody:
                node.custody = custody
                reschedule(uow, node, calendar, reason=f"羁押状态变更（{effective}起{'在押' if custody else '解除羁押'}）")
                rederived = True
        if (node.department, node.responsible) != before:
            uow.publish(events.node_reassigned(node, previous_department=before[0], previous_responsible=before[1]),
                        court=node.court, aggregate_type="node", aggregate_id=node.name)
            if node.responsible != before[1]:
                received.setdefault(node.responsible, []).append(node)
        touched += rederived or (node.department, node.responsible) != before
    for role in MEMBERS:
        person = getattr(case, role)
        # Told only in the place that changed: a clerk's node falling back to the handler when the
        # case loses its clerk is no new case for the handler.
        if role in changed and person and person != getattr(previous, role) and received.get(person):
            _tell(uow, case, role=role, person=person, previous=getattr(previous, role), nodes=received[person])
    return touched


def tell_registered_team(uow: UnitOfWork, case: Case) -> None:
    """The judge assistant and clerk a case is registered with are told, once, with the nodes its
    registration gave them (the handler finds a new case in their own case list). Those nodes are
    still held for the batch's bulk insert (service.open_nodes)."""
    case_id = CaseName.parse(case.name, "case.name").case_id
    opened = [r for r in uow.pending_rows(NodeRow) if r["case_id"] == case_id]
    for role in MEMBERS[1:]:
        person = getattr(case, role)
        mine = [NodeRow(**r) for r in opened if person and r["responsible"] == person and r["responsible_role"] == role]
        if mine:
            _tell(uow, case, role=role, person=person, previous="", nodes=mine)


def _tell(uow: UnitOfWork, case: Case, *, role: str, person: str, previous: str, nodes: list) -> None:
    # Told once, with every node received, most urgent first.
    nodes.sort(key=lambda n: (-URGENCY.get(n.state, 0), n.due_date))
    uow.publish(events.case_handed_over(case.name, case.case_number, handler=person, previous_handler=previous,
                                        nodes=nodes, role=role),
                court=CaseName.parse(case.name, "case.name").court, aggregate_type="case", aggregate_id=case.name)
