"""The holiday calendar in force: the built-in one plus the years administrators imported.

Every node-service replica keeps it in memory and looks for newer imports at most every few
seconds (one small query), so an import through any replica reaches all of them quickly.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime

from sqlalchemy.orm import Session

from services.node import repository
from services.node.calendar import HolidayCalendar, YearSchedule
from services.node.models import CalendarYearRow

REFRESH_SECONDS = 5.0


def schedule_of(row: CalendarYearRow) -> YearSchedule:
    return YearSchedule(year=row.year, holidays=frozenset(row.holidays), workdays=frozenset(row.workdays))


def load(session: Session) -> HolidayCalendar:
    return HolidayCalendar({row.year: schedule_of(row) for row in repository.calendar_years(session)})


class CalendarStore:
    def __init__(self) -> None:
        self._calendar = HolidayCalendar.builtin()
        self._version: tuple[int, datetime | None] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    @property
    def version(self) -> tuple[int, datetime | None] | None:
        return self._version

    def current(self, session: Session, *, force: bool = False) -> HolidayCalendar:
        with self._lock:
            if force or time.monotonic() - self._checked >= REFRESH_SECONDS:
                self._checked = time.monotonic()
                version = repository.calendar_version(session)
                if version != self._version:
                    self._calendar, self._version = load(session), version
            return self._calendar
