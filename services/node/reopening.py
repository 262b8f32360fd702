"""A case's nodes after its closing is revoked (RevokeCaseClosing, issue 18).

A wrongly recorded closing completed the case's open nodes (CLOSED completes every instance) and
opened those that run from a closing (归档, 卷宗归还). When the court corrects it:
- The nodes that CLOSED event completed run again; nodes completed by other events stay completed.
  Their clocks are as they were: anchor, period, extensions, deducted and suspended spans, due
  date. A correction is not an extension, and the time the case spent wrongly closed counts.
  They start a new clock generation with every timer armed again (none while suspended), the way
  an approved change re-arms a clock: the sweeper at once fires what is due by now, so a node
  whose deadline passed meanwhile becomes overdue (its ladder armed again), one in its warning
  period warns. A warning given before the closing still counts: such a node going overdue is not
  超期未预警. Each is published (NodeReopened): the statistics count it open again, its reminders go
  to whoever holds it now.
- The nodes that closing opened and that are still open are withdrawn (已撤回): completed, not
  done, their timers cancelled, published as completed so that nobody is reminded to archive a
  case under trial. A later closing opens their rules anew, counted from its own date.
"""
from __future__ import annotations

import uuid

from courtflow.node.v1.node_pb2 import NodeState

from services.common.clock import legal_today
from services.common.uow import UnitOfWork
from services.node import deadlines, events, repository
from services.node.models import DueTimerRow, NodeRow


def revoke_closing(uow: UnitOfWork, *, case_id: uuid.UUID, closing_event: str,
                   reason: str) -> tuple[list[NodeRow], list[NodeRow]]:
    """Re-open the nodes `closing_event` completed and withdraw those it opened: (re-opened, withdrawn)."""
    if not closing_event:
        return [], []   # closed before nodes kept their events (migration 0009): nothing to tell them by
    reopened, withdrawn = [], []
    for node in repository.nodes_of_event(uow.session, case_id, closing_event):
        if node.completed_by == closing_event:
            _reopen(uow, node, closing_event=closing_event, reason=reason)
            reopened.append(node)
        else:
            withdraw(uow, node, explanation=f"撤销结案（{reason}）：本节点由结案开启，随之撤回，无需办理")
            withdrawn.append(node)
    return reopened, withdrawn


def _reopen(uow: UnitOfWork, node: NodeRow, *, closing_event: str, reason: str) -> None:
    node.state, node.complete_time, node.completed_by, node.completed_on = NodeState.NODE_STATE_RUNNING, None, None, None
    node.overdue_time = None
    node.clock_generation += 1
    node.explanation = [*node.explanation, f"撤销结案（{reason}）：节点恢复办理，期限不变"]
    repository.delete_timers(uow.session, node.id)
    if node.suspended_since is None:
        uow.insert_later(DueTimerRow, [dict(node_id=node.id, rung=rung, fire_at=at, fired_at=None, outcome=None)
                                       for rung, at in deadlines.schedule(node.due_date, node.warning_rungs)])
    uow.publish(events.node_reopened(node, closing_event=closing_event, reason=reason), court=node.court,
                aggregate_type="node", aggregate_id=node.name)


def withdraw(uow: UnitOfWork, node: NodeRow, *, explanation: str) -> None:
    """Withdraw an open node (已撤回): completed without being done, its timers cancelled, published
    as completed so that nobody is reminded; a lock it holds is released (published as unlocked
    with no application: nobody unlocked it, the node no longer applies). Also used when a case's
    corrected attributes no longer select a limit (attributes.py)."""
    now = uow.clock.now()
    node.state, node.complete_time, node.withdrawn = NodeState.NODE_STATE_COMPLETED, now, True
    node.explanation = [*node.explanation, explanation]
    repository.cancel_timers(uow.session, node.id, now)
    if node.locked:
        node.locked, node.unlock_date, node.unlock_time = False, legal_today(uow.clock), now
        node.unlock_user, node.unlock_application = "", ""
        uow.publish(events.node_unlocked(node, application=""), court=node.court, aggregate_type="node",
                    aggregate_id=node.name)
    uow.publish(events.node_completed(node, on=legal_today(uow.clock)), court=node.court, aggregate_type="node",
                aggregate_id=node.name)
