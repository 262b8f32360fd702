"""Use cases around the holiday calendar: importing a year, listing them, and recomputing the
deadlines that were computed while a year's calendar was unknown (DOMAIN §1)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Callable

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel
from courtflow.node.v1.node_pb2 import NodeState

from services.common.audit import record_operation
from services.common.errors import invalid_field
from services.common.uow import UnitOfWork
from services.node import deadlines, events, repository
from services.node.calendar import BUILTIN_SOURCE, HolidayCalendar, YearSchedule, builtin_years
from services.node.calendars import CalendarStore
from services.node.errors import ProvinceScopeRequired
from services.node.models import CalendarYearRow, NodeRow
from services.node.service import reschedule

IMPORT_CALENDAR = "/courtflow.node.v1.NodeService/ImportCalendarYear"
RECOMPUTE_BATCH = 1000


def import_year(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, store: CalendarStore, year: int,
                holidays: list[date], workdays: list[date], source: str) -> tuple[CalendarYearRow, int]:
    """Store a year's schedule (replacing an earlier import) and recompute what it changes."""
    if caller.scope != ScopeLevel.SCOPE_LEVEL_PROVINCE:
        raise ProvinceScopeRequired("节假日安排全省统一，仅高院管理员可导入")
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
        row = repository.save_calendar_year(uow.session, year=year, values=values)
        uow.publish(events.calendar_year_imported(row), court="44",
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
        imported = {r.year: r for r in repository.calendar_years(uow.session)}
    builtin = [CalendarYearRow(year=s.year, holidays=sorted(s.holidays), workdays=sorted(s.workdays),
                               source=BUILTIN_SOURCE, import_user="", import_time=None)
               for s in builtin_years() if s.year not in imported]
    return sorted([*imported.values(), *builtin], key=lambda r: r.year)


def recompute(uow_factory: Callable[[], UnitOfWork], calendar: HolidayCalendar, *, reason: str,
              changed_year: int | None = None) -> int:
    """Derive again the dates of the open nodes that depended on an unknown calendar (or, with
    `changed_year`, on that year's calendar, which was just replaced), in keyset batches each
    committed on its own. Returns how many due dates changed."""
    changed, after = 0, uuid.UUID(int=0)
    while True:
        with uow_factory() as uow:
            ids = repository.node_ids_to_recompute(uow.session, changed_year=changed_year, after=after,
                                                   limit=RECOMPUTE_BATCH)
            if not ids:
                return changed
            after = ids[-1]
            repository.lock_clocks(uow.session, ids)
            for node in repository.nodes_for_update(uow.session, ids):
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
                repository.move_timer(uow.session, node.id, rung, at)
        uow.publish(events.node_deadline_changed(node, previous=previous, reason=reason), court=node.court,
                    aggregate_type="node", aggregate_id=node.name)
    else:
        # Warned or overdue under the old date: a new clock generation, so a node the new calendar
        # gives more time runs again, and its reminders follow the new date.
        reschedule(uow, node, calendar, reason=f"重新计算：{reason}")
    return 1
