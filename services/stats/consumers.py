"""Bus handlers of the stats service: node events move the counters."""
from __future__ import annotations

from courtflow.node.v1.node_events_pb2 import (ApplicationDecided, NodeCompleted, NodeDeadlineChanged,
                                               NodeOpened, NodeOverdue, NodeReassigned, NodeWarned)

from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork
from services.stats import service


def on_node_events(uow: UnitOfWork, events: list[Event]) -> None:
    service.apply_node_states(uow, [
        (e.payload.node, isinstance(e.payload, NodeOverdue) and not e.payload.warned_before,
         isinstance(e.payload, NodeReassigned)) for e in events])


def subscriptions() -> list[Subscription]:
    # A decided application and a moved deadline carry the node as it is after the change: the
    # counters follow a clock that runs again. A reassigned node moves to its new department's cell.
    return [Subscription(consumer="stats", producer="node",
                         types=(NodeOpened, NodeWarned, NodeOverdue, NodeCompleted, NodeDeadlineChanged,
                                ApplicationDecided, NodeReassigned),
                         batch_handler=on_node_events, batch=500)]
