"""Use cases around the holiday calendar: importing a year, listing them, and recomputing the
deadlines that were computed while a year's calendar was unknown (DOMAIN §1)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel
from courtflow.node.v1.node_events_pb2 import CalendarYearImported
from courtflow.node.v1.node_pb2 import NodeState

from services.common.audit import record_operation
from services.common.errors import PermissionDenied, invalid_field
from services.common.uow import UnitOfWork
from services.node import deadlines, events
from services.node.calendar import BUILTIN_SOURCE, HolidayCalendar, YearSchedule, builtin_years
from services.node.calendars import CalendarStore
from services.node.convert import calendar_year_to_proto
from services.node.models import CalendarYearRow, DueTimerRow, NodeRow
from services.node.service import lock_clocks, reschedule

IMPORT_CALENDAR = "/courtflow.node.v1.NodeService/ImportCalendarYear"
RECOMPUTE_BATCH = 1000


def import_year(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, store: CalendarStore, year: int,
                holidays: list[date], workdays: list[date], source: str) -> tuple[CalendarYearRow, int]:
    """Store a year's schedule (replacing an earlier import) and recompute what it changes."""
    if caller.scope != ScopeLevel.SCOPE_LEVEL_PROVINCE:
        raise PermissionDenied("节假日安排全省统一，仅高院管理员可导入", reason="PROVINCE_SCOPE_REQUIRED")
    for field, dates in (("calendar_year.holidays", holidays), ("calendar_year.workdays", workdays)):
        stray = [d for d in dates if d.year != year]
        if stray:
            raise invalid_field(field, f"{stray[0].isoformat()} 不属于 {year} 年")
    both = sorted(set(holidays) & set(workdays))
    if both:
        # A notice read wrong: the file is refused as a whole, naming the date to check.
        raise invalid_field("calendar_year.holidays", f"{both[0].isoformat()} 同时列为节假日和调休工作日，请核对通知")
    weekday_workdays = [d for d in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise invalid_field("calendar_year.workdays", f"{weekday_workdays[0].isoformat()} 是工作日，无需调休")
    try:
        YearSchedule(year=year, holidays=frozenset(holidays), workdays=frozenset(workdays))
    except ValueError as exc:
        raise invalid_field("calendar_year.holidays", str(exc)) from None
    with uow_factory() as uow:
        values = dict(holidays=sorted(set(holidays)), workdays=sorted(set(workdays)), source=source,
                      import_user=caller.user, import_time=uow.clock.now())
        uow.session.execute(pg_insert(CalendarYearRow).values(year=year, **values)
                            .on_conflict_do_update(index_elements=[CalendarYearRow.year], set_=values))
        row = uow.session.get(CalendarYearRow, year, populate_existing=True)
        uow.publish(CalendarYearImported(calendar_year=calendar_year_to_proto(row)), court="44",
                    aggregate_type="calendar_year", aggregate_id=f"calendarYears/{year}")
        record_operation(uow, reporter="node", caller=caller, action=IMPORT_CALENDAR,
                         resource=f"calendarYears/{year}", result=AuditResult.AUDIT_RESULT_SUCCEEDED)
        uow.commit()
    with uow_factory() as uow:
        calendar = store.current(uow.session, force=True)
    # After the import has committed, in batches of their own: a province has hundreds of
    # thousands of nodes due in a year. Should this stop half-way, importing the same schedule
    # again finishes the work (the recomputation only changes what differs).
    recomputed = recompute(uow_factory, calendar, reason=f"导入{year}年节假日安排", changed_year=year)
    return row, recomputed


def list_years(uow_factory: Callable[[], UnitOfWork]) -> list[CalendarYearRow]:
    """Every year deadlines are counted with: the imported ones, and the years the built-in package
    ships that no import replaced (no import user or time), in year order."""
    with uow_factory() as uow:
        imported = {r.year: r for r in uow.session.scalars(select(CalendarYearRow))}
    builtin = [CalendarYearRow(year=s.year, holidays=sorted(s.holidays), workdays=sorted(s.workdays),
                               source=BUILTIN_SOURCE, import_user="", import_time=None)
               for s in builtin_years() if s.year not in imported]
    return sorted([*imported.values(), *builtin], key=lambda r: r.year)


def recompute(uow_factory: Callable[[], UnitOfWork], calendar: HolidayCalendar, *, reason: str,
              changed_year: int | None = None) -> int:
    """Derive again the dates of the open nodes that depended on an unknown calendar (or, with
    `changed_year`, on that year's calendar, which was just replaced), in keyset batches each
    committed on its own. Returns how many due dates changed."""
    query = select(NodeRow).where(NodeRow.state != NodeState.NODE_STATE_COMPLETED)
    if changed_year is None:
        query = query.where(NodeRow.calendar_known.is_(False))
    else:
        query = query.where((NodeRow.calendar_known.is_(False)) | (
            (NodeRow.due_date >= date(changed_year, 1, 1)) & (NodeRow.due_date <= date(changed_year + 1, 1, 31))))
    changed, after = 0, uuid.UUID(int=0)
    while True:
        with uow_factory() as uow:
            ids = list(uow.session.scalars(query.with_only_columns(NodeRow.id).where(NodeRow.id > after)
                                           .order_by(NodeRow.id).limit(RECOMPUTE_BATCH)))
            if not ids:
                return changed
            after = ids[-1]
            lock_clocks(uow, ids)
            for node in uow.session.scalars(select(NodeRow).where(NodeRow.id.in_(ids)).order_by(NodeRow.id)
                                            .with_for_update()):
                changed += _recompute_one(uow, node, calendar, reason)
            uow.commit()


def _recompute_one(uow: UnitOfWork, node: NodeRow, calendar: HolidayCalendar, reason: str) -> int:
    result = deadlines.derive(node, calendar)
    if result.due == node.due_date:
        if result.calendar_known != node.calendar_known:
            node.calendar_known = result.calendar_known
            node.explanation = [*result.explanation, f"重新计算：{reason}"]
        return 0
    if node.state == NodeState.NODE_STATE_RUNNING:
        # Nothing has fired yet: the pending timers simply follow the new date.
        previous = node.due_date
        node.due_date, node.calendar_known = result.due, result.calendar_known
        node.explanation = [*result.explanation, f"重新计算：{reason}"]
        node.deadline_time = deadlines.deadline_time(result.due)
        if node.suspended_since is None:
            for rung, at in deadlines.schedule(result.due, node.warning_rungs):
                uow.session.execute(update(DueTimerRow).where(
                    DueTimerRow.node_id == node.id, DueTimerRow.rung == rung, DueTimerRow.fired_at.is_(None))
                    .values(fire_at=at))
        uow.publish(events.node_deadline_changed(node, previous=previous, reason=reason), court=node.court,
                    aggregate_type="node", aggregate_id=node.name)
    else:
        # Warned or overdue under the old date: a new clock generation, so a node the new calendar
        # gives more time runs again, and its reminders follow the new date.
        reschedule(uow, node, calendar, reason=f"重新计算：{reason}")
    return 1
