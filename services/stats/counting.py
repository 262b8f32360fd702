"""How one node's state change moves the counters. Pure: no I/O.

Node events can be redelivered or, across replicas, arrive out of order. Within one
clock generation a node's state only moves forward (running → warning → overdue →
completed), so a change to a state not beyond the one recorded is ignored. An approved
change of the clock starts a new generation in which the node may run again (an
extension turns an overdue limit into a running one); anything from an older
generation is stale.
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
    generation: int = 0


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
    if old is not None:
        if new.generation < old.generation:
            return None
        if new.generation == old.generation and RANK[new.state] <= RANK[old.state]:
            return None
    completed = NodeState.NODE_STATE_COMPLETED
    was = old.state if old else None
    return Deltas(
        open=(new.state != completed) - (old is not None and was != completed),
        warning=(new.state == NodeState.NODE_STATE_WARNING) - (was == NodeState.NODE_STATE_WARNING),
        overdue=(new.state == NodeState.NODE_STATE_OVERDUE) - (was == NodeState.NODE_STATE_OVERDUE),
        overdue_without_warning=(new.state == NodeState.NODE_STATE_OVERDUE and new.overdue_without_warning)
        - (was == NodeState.NODE_STATE_OVERDUE and old.overdue_without_warning),
    )
