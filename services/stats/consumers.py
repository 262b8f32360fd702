"""Bus handlers of the stats service: node events move the counters; case and node events keep
the supervision platform's read model (projection.py); the gateway's court and department events
its copy of the org directory (directory.py)."""
from __future__ import annotations

from courtflow.case.v1.case_events_pb2 import (CaseClosingRevoked, CaseEventRecorded, CaseFiled, CaseReceived,
                                              CaseUpdated)
from courtflow.gateway.v1.gateway_events_pb2 import CourtChanged, DepartmentChanged
from courtflow.node.v1.node_events_pb2 import (ApplicationDecided, NodeCompleted, NodeDeadlineChanged,
                                               NodeEscalated, NodeLocked, NodeOpenAtClosing, NodeOpened,
                                               NodeOverdue, NodeReassigned, NodeReopened, NodeUnlocked, NodeWarned)

from courtflow.node.v1.node_pb2 import ApplicationKind, ApplicationState

from services.common.consumer import Subscription
from services.common.dates import instant
from services.common.events import Event
from services.common.uow import UnitOfWork
from services.stats import service


def on_node_events(uow: UnitOfWork, events: list[Event]) -> None:
    """The four counters (ListNodeStatistics) of the events that move them."""
    service.apply_node_states(uow, [
        (e.payload.node, instant(e.envelope, "occurred_at"), isinstance(e.payload, NodeOverdue)
         and not e.payload.warned_before, isinstance(e.payload, NodeReassigned))
        for e in events if isinstance(e.payload, COUNTED)])


def on_node_changes(uow: UnitOfWork, events: list[Event]) -> None:
    """The read model, its cube and Q2's tables, then the counters, in one transaction: one
    consumer of the node stream instead of two halves the bus's deliveries, the decoding and the
    redelivery guard's rows per event — in the reminder burst, CPU the projection needs."""
    service.keep_nodes(uow, [(e.payload.node, instant(e.envelope, "occurred_at"), _extends(e.payload))
                             for e in events])
    on_node_events(uow, events)


def _extends(payload) -> bool:
    """An approved application to extend the node's limit (延长审限)."""
    return (isinstance(payload, ApplicationDecided)
            and payload.application.kind == ApplicationKind.APPLICATION_KIND_EXTENSION
            and payload.application.state == ApplicationState.APPLICATION_STATE_APPROVED)


def on_case_changes(uow: UnitOfWork, events: list[Event]) -> None:
    service.keep_cases(uow, [e.payload.case for e in events])


def on_directory_changes(uow: UnitOfWork, events: list[Event]) -> None:
    """Courts and departments of the org directory, for the names answers and reports show."""
    service.keep_directory(
        uow, courts=[(e.payload.court, instant(e.envelope, "occurred_at")) for e in events
                     if isinstance(e.payload, CourtChanged)],
        departments=[(e.payload.department, instant(e.envelope, "occurred_at")) for e in events
                     if isinstance(e.payload, DepartmentChanged)])


# The events that move the counters: a decided application and a moved deadline carry the node as
# it is after the change (a clock that runs again); a reassigned node moves to its new department's
# cell; a node a revoked closing re-opened runs again in a new generation (open once more).
COUNTED = (NodeOpened, NodeWarned, NodeOverdue, NodeCompleted, NodeDeadlineChanged, ApplicationDecided,
           NodeReassigned, NodeReopened)
# Every node event that carries the node as it is after the event.
NODE_CHANGES = (NodeOpened, NodeWarned, NodeOverdue, NodeEscalated, NodeCompleted, NodeDeadlineChanged,
                ApplicationDecided, NodeLocked, NodeUnlocked, NodeReassigned, NodeOpenAtClosing, NodeReopened)


def subscriptions() -> list[Subscription]:
    # Two pull loops: the read model, the cube and the counters are kept in any order of batches
    # (the clock generation rule, per-case locks), and a burst of overdue nodes is applied 1.4× as
    # fast (bench/supervision.py: projection).
    node_changes = Subscription(consumer="stats", producer="node", view="supervision", types=NODE_CHANGES,
                                batch_handler=on_node_changes, batch=500, workers=2)
    return [node_changes,
            # The counters' own consumer until 2026-12 ("stats-node"): on a bus that still has it,
            # what it holds is applied (the counters take a change twice as once) and it is deleted.
            Subscription(consumer="stats", producer="node", types=COUNTED, batch_handler=on_node_events,
                         batch=500, retired_for=node_changes.durable),
            # A revoked closing: the case is no longer closed (its snapshot has no closing date).
            Subscription(consumer="stats", producer="case", types=(CaseReceived, CaseFiled, CaseEventRecorded,
                                                                   CaseUpdated, CaseClosingRevoked),
                         batch_handler=on_case_changes, batch=500),
            Subscription(consumer="stats", producer="gateway", types=(CourtChanged, DepartmentChanged),
                         batch_handler=on_directory_changes)]
