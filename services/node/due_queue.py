"""The due-queue sweeper: claims due timers in bounded batches and fires them once.

Timers are rows; a batch is claimed with FOR UPDATE SKIP LOCKED, so any number of
node-service replicas can sweep together, and marked fired in the same
transaction as the node's new state and its outbox event. A crash before commit
leaves the rows for the next sweep; nothing fires twice.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable

from opentelemetry import propagate, trace
from sqlalchemy import func, select, text
from sqlalchemy.orm import defer

from courtflow.node.v1.node_pb2 import LockType, NodeState

from services.common import metrics
from services.common.db import int_array, text_array
from services.common.uow import UnitOfWork
from services.node import deadlines, events
from services.node.config import DEFAULT_ESCALATION_DAYS
from services.node.deadlines import Firing
from services.node.models import DueTimerRow, NodeRow

log = logging.getLogger(__name__)
# The sweeper's SQL stays here, not in repository.py: it is the sweeper's own tuned mechanism (claim
# order, SKIP LOCKED, deferred columns, one array UPDATE) and is measured by bench/due_queue.py.
MARK_FIRED = text(f"""
    UPDATE {DueTimerRow.__table__.fullname} AS t SET fired_at = :now, outcome = f.outcome
    FROM unnest(CAST(:ids AS uuid[]), CAST(:rungs AS smallint[]), CAST(:outcomes AS text[])) AS f(node_id, rung, outcome)
    WHERE t.node_id = f.node_id AND t.rung = f.rung""")
tracer = trace.get_tracer("courtflow.node.due_queue")


def sweep_batch(uow_factory: Callable[[], UnitOfWork], *, batch: int,
                escalation_days: tuple[int, ...] = DEFAULT_ESCALATION_DAYS) -> int:
    """Fire up to `batch` due timers in one transaction; returns how many were claimed."""
    with uow_factory() as uow:
        now = uow.clock.now()
        # Timers as plain rows, marked by one UPDATE below: no ORM bookkeeping per timer.
        timers = uow.session.execute(
            select(DueTimerRow.node_id, DueTimerRow.rung, DueTimerRow.fire_at)
            .where(DueTimerRow.fired_at.is_(None), DueTimerRow.fire_at <= now)
            .order_by(DueTimerRow.fire_at).limit(batch).with_for_update(skip_locked=True)).all()
        if not timers:
            return 0
        node_ids = sorted({t.node_id for t in timers})
        # The clock's other inputs are not needed to fire a timer.
        nodes = {n.id: n for n in uow.session.scalars(
            select(NodeRow).options(defer(NodeRow.extensions), defer(NodeRow.exclusions))
            .where(NodeRow.id.in_(node_ids)).order_by(NodeRow.id).with_for_update())}
        fired = []
        for timer in sorted(timers, key=lambda t: (t.fire_at, -t.rung)):
            node = nodes[timer.node_id]
            with tracer.start_as_current_span("fire node timer", context=propagate.extract(node.trace_context),
                                              attributes={"courtflow.node": node.name, "courtflow.rung": timer.rung}):
                firing = _fire(uow, node, timer.rung, now, escalation_days)
            fired.append((timer.node_id, timer.rung, firing.value))
            metrics.TIMERS_FIRED.labels(firing.value).inc()
        # One statement with array parameters marks the batch's timers: the ORM would send a
        # statement per row, and a VALUES list of 500 rows costs more to compile. (The nodes keep
        # the ORM's paged UPDATEs: an unnest join against the nodes table plans worse.)
        uow.session.execute(MARK_FIRED, {"now": now, "ids": text_array(f[0] for f in fired),
                                         "rungs": int_array(f[1] for f in fired),
                                         "outcomes": text_array(f[2] for f in fired)})
        uow.commit()
        return len(timers)


def sample_backlog(uow_factory: Callable[[], UnitOfWork]) -> None:
    """The due-queue's gauges: timers armed, and those whose time has come but that have not fired
    (the sweepers are behind or stopped) with how long the oldest has waited."""
    with uow_factory() as uow:
        now = uow.clock.now()
        pending, late, oldest = uow.session.execute(
            select(func.count(), func.count().filter(DueTimerRow.fire_at <= now),
                   func.min(DueTimerRow.fire_at).filter(DueTimerRow.fire_at <= now))
            .where(DueTimerRow.fired_at.is_(None))).one()
    metrics.DUE_TIMERS_PENDING.set(pending)
    metrics.DUE_TIMERS_LATE.set(late)
    metrics.DUE_TIMERS_LATE_AGE.set(metrics.age(now, oldest))


def seconds_to_next_timer(uow_factory: Callable[[], UnitOfWork]) -> float | None:
    with uow_factory() as uow:
        fire_at = uow.session.scalar(select(DueTimerRow.fire_at).where(DueTimerRow.fired_at.is_(None))
                                     .order_by(DueTimerRow.fire_at).limit(1))
        return None if fire_at is None else (fire_at - uow.clock.now()).total_seconds()


def _fire(uow: UnitOfWork, node: NodeRow, rung: int, now, escalation_days: tuple[int, ...]) -> Firing:
    firing = deadlines.decide(rung=rung, due=node.due_date, rungs=node.warning_rungs,
                              completed=node.state == NodeState.NODE_STATE_COMPLETED, now=now,
                              escalation_days=escalation_days)
    if firing is Firing.WARN:
        node.state, node.warned = NodeState.NODE_STATE_WARNING, True
        node.warning_time = node.warning_time or now
        uow.publish(events.node_warned(node, rung=rung, now=now), court=node.court, aggregate_type="node",
                    aggregate_id=node.name)
    elif firing is Firing.OVERDUE:
        warned_before = node.warned
        node.state, node.overdue_time = NodeState.NODE_STATE_OVERDUE, now
        uow.publish(events.node_overdue(node, now=now, warned_before=warned_before), court=node.court,
                    aggregate_type="node", aggregate_id=node.name)
        if node.overdue_action == "lock" and not node.locked:
            _lock(uow, node, now)
        # The ladder's further rungs; a rescheduled node deletes them with its other timers.
        uow.insert_later(DueTimerRow, [dict(node_id=node.id, rung=r, fire_at=at, fired_at=None, outcome=None)
                                       for r, at in deadlines.escalation_schedule(node.due_date, escalation_days)])
    elif firing is Firing.ESCALATE:
        uow.publish(events.node_escalated(node, now=now, level=deadlines.escalation_level(rung, escalation_days)),
                    court=node.court, aggregate_type="node", aggregate_id=node.name)
    return firing


def _lock(uow: UnitOfWork, node: NodeRow, now) -> None:
    """Overdue with the lock action (S11): the node locks itself, and through NodeLocked its case."""
    node.locked, node.lock_type, node.lock_time = True, LockType.LOCK_TYPE_OVERDUE, now
    node.lock_date = deadlines.legal_date(now)
    node.lock_reason = f"「{node.display_name}」已于 {node.due_date} 届满，超期锁定"
    node.unlock_date = node.unlock_time = node.unlock_user = node.unlock_application = None
    uow.publish(events.node_locked(node), court=node.court, aggregate_type="node", aggregate_id=node.name)


class Sweeper:
    """Runs sweep batches while work is due; wakes on a timer, on new nodes and when the clock moves."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], *, batch: int, interval: float,
                 budget: float, escalation_days: tuple[int, ...] = DEFAULT_ESCALATION_DAYS) -> None:
        self._uow = uow_factory
        self._escalation_days = escalation_days
        self._batch = batch
        self._interval = interval
        self._budget = budget
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False

    def wake(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        while not self._stopping:
            self._wake.clear()  # before sweeping, so a wake-up during the sweep is not lost
            started, backlog = time.monotonic(), False
            try:
                # Bounded batches within a time budget; a backlog left after the budget is taken up
                # again at once, after yielding so that shutdown and other work are never starved.
                while not self._stopping and time.monotonic() - started < self._budget:
                    backlog = await asyncio.to_thread(sweep_batch, self._uow, batch=self._batch,
                                                      escalation_days=self._escalation_days) >= self._batch
                    if not backlog:
                        break
            except Exception:
                log.exception("sweep failed; retrying")
                await asyncio.sleep(1)
            if backlog:
                await asyncio.sleep(0)
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), await self._idle_wait())
            except asyncio.TimeoutError:
                pass

    async def _idle_wait(self) -> float:
        """Until the next timer is due, at most the poll interval: a deadline crossing is swept
        when it comes, not up to a whole interval later. A timer due already but not taken is
        another replica's, locked in its sweep: look again shortly, without spinning."""
        try:
            wait = await asyncio.to_thread(seconds_to_next_timer, self._uow)
        except Exception:
            return self._interval
        return self._interval if wait is None else min(self._interval, max(wait, 0.05))

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
