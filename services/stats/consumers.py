"""Bus handlers of the stats service: node events move the counters."""
from __future__ import annotations

from courtflow.node.v1.node_events_pb2 import NodeOpened, NodeOverdue, NodeWarned

from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork
from services.stats import service


def on_node_event(uow: UnitOfWork, event: Event) -> None:
    payload = event.payload
    without_warning = isinstance(payload, NodeOverdue) and not payload.warned_before
    service.apply_node_state(uow, node=payload.node, overdue_without_warning=without_warning)


def subscriptions() -> list[Subscription]:
    types = (NodeOpened, NodeWarned, NodeOverdue)
    return [Subscription(consumer="stats", producer="node",
                         handlers={t.DESCRIPTOR.full_name: on_node_event for t in types},
                         types={t.DESCRIPTOR.full_name: t for t in types})]
