"""How node state changes move the statistics counters (DOMAIN §6: totals must reconcile).

Events can be redelivered or arrive out of order; a node's state only moves forward
(running → warning → overdue → completed), so a stale or repeated change moves nothing.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtflow.node.v1.node_pb2 import NodeState

from services.stats.counting import Deltas, Known, transition

RUNNING, WARNING, OVERDUE, COMPLETED = (NodeState.NODE_STATE_RUNNING, NodeState.NODE_STATE_WARNING,
                                        NodeState.NODE_STATE_OVERDUE, NodeState.NODE_STATE_COMPLETED)

running = Known(RUNNING, False)
warning = Known(WARNING, False)
overdue_warned = Known(OVERDUE, False)
overdue_unwarned = Known(OVERDUE, True)
completed = Known(COMPLETED, False)


# -- single transitions ------------------------------------------------------------------------------

def test_opened_node_counts_as_open():
    assert transition(None, running) == Deltas(open=1)


def test_warning_moves_into_warning():
    assert transition(running, warning) == Deltas(warning=1)


def test_overdue_after_warning_leaves_warning_and_is_not_without_warning():
    assert transition(warning, overdue_warned) == Deltas(warning=-1, overdue=1)


def test_completed_after_overdue_closes_the_node():
    assert transition(overdue_warned, completed) == Deltas(open=-1, overdue=-1)


def test_full_life_sums_to_zero():
    steps = [(None, running), (running, warning), (warning, overdue_warned), (overdue_warned, completed)]
    total = [0, 0, 0, 0]
    for old, new in steps:
        d = transition(old, new)
        total = [a + b for a, b in zip(total, (d.open, d.warning, d.overdue, d.overdue_without_warning))]
    assert total == [0, 0, 0, 0]


def test_overdue_without_warning_is_counted_and_uncounted_on_completion():
    assert transition(running, overdue_unwarned) == Deltas(overdue=1, overdue_without_warning=1)
    assert transition(overdue_unwarned, completed) == Deltas(open=-1, overdue=-1, overdue_without_warning=-1)


def test_completed_while_warning_leaves_warning_and_open():
    assert transition(warning, completed) == Deltas(open=-1, warning=-1)


def test_completed_while_running_only_closes():
    assert transition(running, completed) == Deltas(open=-1)


def test_first_seen_in_a_later_state_counts_it_open():
    """The opened event may arrive after a later one (out of order across replicas)."""
    assert transition(None, warning) == Deltas(open=1, warning=1)
    assert transition(None, overdue_unwarned) == Deltas(open=1, overdue=1, overdue_without_warning=1)


def test_first_seen_completed_records_the_state_but_moves_no_counter():
    d = transition(None, completed)
    assert d is not None            # the state must be recorded so that late events are ignored
    assert d == Deltas() and not d


def test_deltas_truthiness():
    assert not Deltas()
    assert Deltas(overdue_without_warning=-1)
    assert Deltas(open=1)


@pytest.mark.parametrize("old, new", [
    (running, running), (warning, warning), (overdue_warned, overdue_warned),
    (overdue_unwarned, overdue_warned), (completed, completed),                       # duplicates
    (warning, running), (overdue_warned, warning), (overdue_unwarned, running),
    (completed, overdue_unwarned), (completed, warning), (completed, running),        # stale / out of order
])
def test_stale_or_duplicate_change_is_ignored(old, new):
    assert transition(old, new) is None


# -- property: counters always reconcile with a recount ----------------------------------------------

RANK = {RUNNING: 1, WARNING: 2, OVERDUE: 3, COMPLETED: 4}


@st.composite
def node_history(draw) -> list[Known]:
    """A node's true life: a forward path, overdue-without-warning exactly when it was never warned."""
    start = draw(st.sampled_from([RUNNING, WARNING, OVERDUE, COMPLETED]))
    path = [s for s in (RUNNING, WARNING, OVERDUE, COMPLETED) if RANK[s] >= RANK[start] and draw(st.booleans())]
    path = path or [start]
    warned = WARNING in path
    return [Known(s, s == OVERDUE and not warned) for s in path]


def recount(known: dict[int, Known]) -> tuple[int, int, int, int]:
    states = list(known.values())
    return (sum(k.state != COMPLETED for k in states), sum(k.state == WARNING for k in states),
            sum(k.state == OVERDUE for k in states),
            sum(k.state == OVERDUE and k.overdue_without_warning for k in states))


@settings(max_examples=300, deadline=None)
@given(histories=st.lists(node_history(), min_size=1, max_size=12), data=st.data())
def test_counters_equal_a_recount_whatever_the_delivery_order(histories, data):
    events = [(node, k) for node, history in enumerate(histories) for k in history]
    redelivered = data.draw(st.lists(st.sampled_from(events), max_size=len(events) * 2))
    delivery = data.draw(st.permutations(events + redelivered))

    known: dict[int, Known] = {}
    counters = [0, 0, 0, 0]
    for node, new in delivery:
        d = transition(known.get(node), new)
        if d is None:
            continue
        known[node] = new
        counters = [c + x for c, x in zip(counters, (d.open, d.warning, d.overdue, d.overdue_without_warning))]
        assert min(counters) >= 0, counters
        assert tuple(counters) == recount(known)

    # each node ends in the last state of its life, whatever the order of delivery
    assert known == {node: history[-1] for node, history in enumerate(histories)}
    assert tuple(counters) == recount(known)
