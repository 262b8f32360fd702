"""How one node's state change moves the counters. Pure: no I/O.

Node events can be redelivered or, across replicas, arrive out of order; a node's
state only moves forward (running → warning → overdue → completed), so a change
to a state not beyond the one recorded is ignored.
"""
from __future__ import annotations

from dataclasses import dataclass

from courtflow.node.v1.node_pb2 import NodeState

RANK = {NodeState.NODE_STATE_RUNNING: 1, NodeState.NODE_STATE_WARNING: 2, NodeState.NODE_STATE_OVERDUE: 3,
        NodeState.NODE_STATE_COMPLETED: 4}


@dataclass(frozen=True)
class Known:
    state: int
    overdue_without_warning: bool


@dataclass(frozen=True)
class Deltas:
    open: int = 0
    warning: int = 0
    overdue: int = 0
    overdue_without_warning: int = 0

    def __bool__(self) -> bool:
        return any((self.open, self.warning, self.overdue, self.overdue_without_warning))


def transition(old: Known | None, new: Known) -> Deltas | None:
    """The counter deltas, or None when the change is stale and must be ignored."""
    if old is not None and RANK[new.state] <= RANK[old.state]:
        return None
    completed = NodeState.NODE_STATE_COMPLETED
    was = old.state if old else None
    return Deltas(
        open=(1 if old is None and new.state != completed else 0) - (1 if new.state == completed and old else 0),
        warning=(new.state == NodeState.NODE_STATE_WARNING) - (was == NodeState.NODE_STATE_WARNING),
        overdue=(new.state == NodeState.NODE_STATE_OVERDUE) - (was == NodeState.NODE_STATE_OVERDUE),
        overdue_without_warning=(new.state == NodeState.NODE_STATE_OVERDUE and new.overdue_without_warning)
        - (was == NodeState.NODE_STATE_OVERDUE and old.overdue_without_warning),
    )
