"""Queries of the node service (select()-based, keyset pages), each taking the Session.

Locking order: a change of a node's clock locks the node's timers before the node (lock_clocks),
the order the sweeper takes them in (due_queue.py); the other order deadlocks against a sweep.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Iterable

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import ApplicationKind, ApplicationState, NodeState

from services.common import scope
from services.common.paging import Page, page_of
from services.node.models import (ApplicationRow, CalendarYearRow, CaseDateRow, DueTimerRow, NodeRow, PersonRow,
                                  RuleOverrideRow, StageViewRow)
from services.node.overrides import Override, court_chain
from services.node.periods import Period

# --- nodes -------------------------------------------------------------------------------------


def node(session: Session, court: str, case_id: uuid.UUID, code: str, instance: int, *,
         lock: bool = False) -> NodeRow | None:
    """A node by its name's parts; with `lock`, its timers and then the node are locked."""
    query = select(NodeRow).where(NodeRow.court == court, NodeRow.case_id == case_id, NodeRow.node_type == code,
                                  NodeRow.instance == instance)
    if lock:
        lock_clocks(session, query.with_only_columns(NodeRow.id).scalar_subquery())
        query = query.with_for_update()
    return session.scalars(query).first()


def node_types_of_case(session: Session, case_id: uuid.UUID) -> list[tuple[str, bool]]:
    """The rule code of every node of the case, once per instance, and whether it was withdrawn."""
    return [(code, withdrawn) for code, withdrawn in session.execute(
        select(NodeRow.node_type, NodeRow.withdrawn).where(NodeRow.case_id == case_id))]


def nodes_of_case(session: Session, court: str, case_id: uuid.UUID) -> list[NodeRow]:
    """Every node of the case, in no order."""
    return list(session.scalars(select(NodeRow).where(NodeRow.court == court, NodeRow.case_id == case_id)))


def open_nodes(session: Session, case_id: uuid.UUID) -> list[NodeRow]:
    """The case's nodes not completed, in no order, unlocked."""
    return list(session.scalars(select(NodeRow).where(
        NodeRow.case_id == case_id, NodeRow.state != NodeState.NODE_STATE_COMPLETED)))


def open_nodes_oldest_first(session: Session, case_id: uuid.UUID) -> list[NodeRow]:
    """The case's open nodes locked, its timers first (lock_case_clocks), by rule code and then
    instance: the oldest instance of a repeating rule comes first."""
    lock_clocks(session, select(NodeRow.id).where(NodeRow.case_id == case_id).scalar_subquery())
    return list(session.scalars(select(NodeRow).where(
        NodeRow.case_id == case_id, NodeRow.state != NodeState.NODE_STATE_COMPLETED)
        .order_by(NodeRow.node_type, NodeRow.instance).with_for_update()))


def open_nodes_for_update(session: Session, case_id: uuid.UUID) -> list[NodeRow]:
    """The case's open nodes locked, in id order (their timers are not locked)."""
    return list(session.scalars(select(NodeRow).where(
        NodeRow.case_id == case_id, NodeRow.state != NodeState.NODE_STATE_COMPLETED)
        .order_by(NodeRow.id).with_for_update()))


def nodes_of_event(session: Session, case_id: uuid.UUID, event: str) -> list[NodeRow]:
    """The case's nodes that a case event completed or opened (and that are still open), locked
    in id order, their timers first."""
    query = select(NodeRow).where(NodeRow.case_id == case_id, (NodeRow.completed_by == event) | (
        (NodeRow.opened_by == event) & (NodeRow.state != NodeState.NODE_STATE_COMPLETED)))
    lock_clocks(session, query.with_only_columns(NodeRow.id).scalar_subquery())
    return list(session.scalars(query.order_by(NodeRow.id).with_for_update()))


def set_team(session: Session, case_id: uuid.UUID, team: list[str]) -> None:
    """Every node of the case, open or completed, gets the case's people (scope follows them)."""
    session.execute(update(NodeRow).where(NodeRow.case_id == case_id, NodeRow.team != team)
                    .values(team=team).execution_options(synchronize_session=False))


def nodes_for_update(session: Session, ids: list[uuid.UUID]) -> list[NodeRow]:
    """The given nodes locked, in id order (lock their clocks first)."""
    return list(session.scalars(select(NodeRow).where(NodeRow.id.in_(ids)).order_by(NodeRow.id).with_for_update()))


def locking_node(session: Session, case_id: uuid.UUID) -> NodeRow | None:
    """The case's node that locked it first, if any is locked."""
    return session.scalars(select(NodeRow).where(NodeRow.case_id == case_id, NodeRow.locked)
                           .order_by(NodeRow.lock_time)).first()


def running_node_ids(session: Session, *, code: str, court_prefix: str, after: uuid.UUID,
                     limit: int) -> list[uuid.UUID]:
    """A keyset batch of the ids of open nodes of rule `code` in the courts under `court_prefix`."""
    return list(session.scalars(select(NodeRow.id).where(
        NodeRow.node_type == code, NodeRow.court.startswith(court_prefix, autoescape=True),
        NodeRow.state != NodeState.NODE_STATE_COMPLETED, NodeRow.id > after)
        .order_by(NodeRow.id).limit(limit)))


def node_ids_to_recompute(session: Session, *, changed_year: int | None, after: uuid.UUID,
                          limit: int) -> list[uuid.UUID]:
    """A keyset batch of the ids of open nodes counted with an unknown calendar or, with
    `changed_year`, due in that year (or the January after it, where its holidays still count)."""
    query = select(NodeRow).where(NodeRow.state != NodeState.NODE_STATE_COMPLETED)
    if changed_year is None:
        query = query.where(NodeRow.calendar_known.is_(False))
    else:
        query = query.where((NodeRow.calendar_known.is_(False)) | (
            (NodeRow.due_date >= date(changed_year, 1, 1)) & (NodeRow.due_date <= date(changed_year + 1, 1, 31))))
    return list(session.scalars(query.with_only_columns(NodeRow.id).where(NodeRow.id > after)
                                .order_by(NodeRow.id).limit(limit)))


def visible_nodes(session: Session, *, caller: Caller, court: str, equal: dict, page: Page) -> list[NodeRow]:
    """A page of the nodes the caller may see, in one court or with court "-" in all the caller's;
    `equal` values of None are no condition."""
    return page_of(session, scope.scoped_select(NodeRow, caller, court, owner="responsible", equal=equal,
                                                team=on_team), key=NodeRow.id, page=page)


def on_team(user: str) -> ColumnElement[bool]:
    """The nodes of the cases whose people `user` is one of (the GIN index nodes_team)."""
    return NodeRow.team.contains([user])


# --- timers --------------------------------------------------------------------------------------


def lock_clocks(session: Session, node_ids: Iterable[uuid.UUID] | ColumnElement) -> None:
    """Lock the timers of the given nodes (ids, or a scalar subquery of ids) before the nodes
    themselves: the sweeper claims timers first and then their nodes, so every writer of a clock
    takes the locks in that order too."""
    session.execute(select(DueTimerRow.node_id).where(DueTimerRow.node_id.in_(node_ids))
                    .order_by(DueTimerRow.node_id, DueTimerRow.rung).with_for_update())


def cancel_timers(session: Session, node_id: uuid.UUID, now: datetime) -> None:
    """Mark the node's pending timers done without firing them (the node completed)."""
    session.execute(update(DueTimerRow).where(DueTimerRow.node_id == node_id, DueTimerRow.fired_at.is_(None))
                    .values(fired_at=now, outcome="completed"))


def delete_timers(session: Session, node_id: uuid.UUID) -> None:
    session.execute(delete(DueTimerRow).where(DueTimerRow.node_id == node_id))


def move_timer(session: Session, node_id: uuid.UUID, rung: int, fire_at: datetime) -> None:
    """A pending timer of the node fires at another time."""
    session.execute(update(DueTimerRow).where(
        DueTimerRow.node_id == node_id, DueTimerRow.rung == rung, DueTimerRow.fired_at.is_(None))
        .values(fire_at=fire_at))


# --- applications --------------------------------------------------------------------------------


def application(session: Session, application_id: uuid.UUID, *, for_update: bool = False) -> ApplicationRow | None:
    return session.get(ApplicationRow, application_id, with_for_update=for_update)


def application_by_request(session: Session, court: str, request_id: str) -> ApplicationRow | None:
    """The application a request id made in the court, if any."""
    return session.scalars(select(ApplicationRow).where(
        ApplicationRow.court == court, ApplicationRow.request_id == request_id)).first()


def pending_application(session: Session, node_id: uuid.UUID, kind: int) -> ApplicationRow | None:
    """An application of this kind still waiting for a decision on the node, if any."""
    return session.scalars(select(ApplicationRow).where(
        ApplicationRow.node_id == node_id, ApplicationRow.kind == kind,
        ApplicationRow.state == ApplicationState.APPLICATION_STATE_PENDING)).first()


def approved_hearing_exception(session: Session, case_id: uuid.UUID, day: date) -> ApplicationRow | None:
    """The approved exception that allows a hearing of the case on `day`, if any."""
    return session.scalars(select(ApplicationRow).where(
        ApplicationRow.case_id == case_id, ApplicationRow.kind == ApplicationKind.APPLICATION_KIND_HEARING_EXCEPTION,
        ApplicationRow.state == ApplicationState.APPLICATION_STATE_APPROVED,
        ApplicationRow.start_date == day)).first()


def visible_applications(session: Session, *, caller: Caller, court: str, equal: dict,
                         page: Page) -> list[ApplicationRow]:
    """A page of the applications on nodes the caller may see (as visible_nodes: a case's assistant,
    clerk and panel see its applications within their own scope too)."""
    return page_of(session, scope.scoped_select(ApplicationRow, caller, court, owner="responsible", equal=equal,
                                                team=application_on_team), key=ApplicationRow.id, page=page)


def application_on_team(user: str) -> ColumnElement[bool]:
    """The applications on nodes of the cases whose people `user` is one of (through nodes_team)."""
    return ApplicationRow.node_id.in_(select(NodeRow.id).where(on_team(user)))


# --- case dates, people --------------------------------------------------------------------------


def case_dates(session: Session, case_id: uuid.UUID) -> dict[str, list[date]]:
    """The case's dates that scheduling checks, by kind (complaint_served, hearing_held …)."""
    dates: dict[str, list[date]] = {}
    for row in session.scalars(select(CaseDateRow).where(CaseDateRow.case_id == case_id)):
        dates.setdefault(row.kind, []).append(row.day)
    return dates


def role_holder(session: Session, *, court: str, role: int, department: str | None = None) -> str | None:
    """The first active person (by user name, so the choice is stable) holding `role` in the court,
    or in its `department` when given."""
    query = select(PersonRow.user).where(PersonRow.court == court, PersonRow.active.is_(True))
    query = query.where(PersonRow.role == role)
    if department is not None:
        query = query.where(PersonRow.department == department)
    return session.scalar(query.order_by(PersonRow.user).limit(1))


# --- per-court rules and stage views -------------------------------------------------------------


def overrides_in(session: Session, court: str) -> list[Override]:
    """Every override in force for `court` (its own and those of the courts above it)."""
    return [_override(r) for r in session.scalars(
        select(RuleOverrideRow).where(RuleOverrideRow.court.in_(court_chain(court))))]


def _override(r: RuleOverrideRow) -> Override:
    return Override(court=r.court, code=r.code, period=Period.parse(r.period) if r.period else None,
                    warning_rungs=tuple(r.warning_rungs) if r.warning_rungs is not None else None,
                    overdue_action=r.overdue_action, update_user=r.update_user, update_time=r.update_time)


def save_override(session: Session, *, court: str, code: str, values: dict, user: str, now: datetime) -> None:
    """Set the given fields of the court's override of rule `code` (creating it, other fields unset)."""
    row = {"court": court, "code": code, "period": None, "warning_rungs": None, "overdue_action": None,
           **values, "update_user": user, "update_time": now}
    session.execute(pg_insert(RuleOverrideRow).values(row).on_conflict_do_update(
        index_elements=[RuleOverrideRow.court, RuleOverrideRow.code],
        set_={**values, "update_user": user, "update_time": now}))


def stage_views(session: Session, courts: list[str]) -> list[StageViewRow]:
    """The stage views chosen by any of `courts`, in no order."""
    return list(session.scalars(select(StageViewRow).where(StageViewRow.court.in_(courts))))


def save_stage_view(session: Session, *, court: str, stage: int, categories: list[str], user: str,
                    now: datetime) -> None:
    values = {"categories": categories, "update_user": user, "update_time": now}
    session.execute(pg_insert(StageViewRow).values(court=court, stage=stage, **values)
                    .on_conflict_do_update(index_elements=[StageViewRow.court, StageViewRow.stage], set_=values))


# --- holiday calendar ----------------------------------------------------------------------------


def calendar_years(session: Session) -> list[CalendarYearRow]:
    """Every imported year, in no order."""
    return list(session.scalars(select(CalendarYearRow)))


def calendar_version(session: Session) -> tuple[int, datetime | None]:
    """(how many years were imported, the latest import time): changes with every import."""
    return tuple(session.execute(select(func.count(), func.max(CalendarYearRow.import_time))
                                 .select_from(CalendarYearRow)).one())


def save_calendar_year(session: Session, *, year: int, values: dict) -> CalendarYearRow:
    """Store a year's schedule, replacing an earlier import; returns the row as stored."""
    session.execute(pg_insert(CalendarYearRow).values(year=year, **values)
                    .on_conflict_do_update(index_elements=[CalendarYearRow.year], set_=values))
    return session.get(CalendarYearRow, year, populate_existing=True)
