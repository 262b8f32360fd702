"""Statutory rest days (法定休假日) for deadline computation.

A rest day is a weekend day or a public holiday; a weekend day that the State Council declares a
make-up working day (调休/补班) is a working day. Years come from two sources:

- schedules an administrator imported (they win, because the State Council announces each year
  only in November and the built-in package may lag or be wrong);
- the ``chinesecalendar`` package for the years it ships.

A year in neither source falls back to weekends only, and ``is_known`` reports False so that
callers can flag the result instead of silently guessing (DOMAIN §1). Nothing here raises for an
unknown year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Mapping

import chinese_calendar

__all__ = ["BUILTIN_SOURCE", "HolidayCalendar", "YearSchedule", "builtin_years"]

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's State Council schedule.

    ``holidays`` are rest days; listing only those that fall on weekdays is enough, listing every
    holiday date (weekend days included) is fine too. ``workdays`` are weekend days that are
    working days (补班).
    """

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        # Accept any iterable of dates but store frozensets, so the schedule stays immutable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        for d in self.holidays | self.workdays:
            if d.year != self.year:
                raise ValueError(f"{d.isoformat()} does not belong to year {self.year}")
        both = self.holidays & self.workdays
        if both:
            first = min(both).isoformat()
            raise ValueError(f"{first} is listed both as a holiday and as a working day")

    def is_rest_day(self, d: date) -> bool:
        if d in self.holidays:
            return True
        if d in self.workdays:
            return False
        return d.weekday() >= _SATURDAY


class HolidayCalendar:
    """Answers whether a date is a statutory rest day; immutable, caches its answers."""

    __slots__ = ("_imported", "_use_builtin", "_rest_cache", "_known_cache")

    def __init__(
        self,
        imported: Mapping[int, YearSchedule] | None = None,
        *,
        use_builtin: bool = True,
    ) -> None:
        imported = dict(imported or {})
        for year, schedule in imported.items():
            if schedule.year != year:
                raise ValueError(f"schedule for {schedule.year} filed under year {year}")
        self._imported: Mapping[int, YearSchedule] = MappingProxyType(imported)
        self._use_builtin = use_builtin
        # Per-instance caches: the package lookup costs ~13 µs a call, a dict hit ~50 ns, and
        # deadline sweeps ask about the same few hundred dates again and again.
        self._rest_cache: dict[date, bool] = {}
        self._known_cache: dict[int, bool] = {}

    @classmethod
    def builtin(cls) -> HolidayCalendar:
        """The package's years only, nothing imported."""
        return cls()

    @property
    def imported(self) -> Mapping[int, YearSchedule]:
        return self._imported

    def with_year(self, schedule: YearSchedule) -> HolidayCalendar:
        """A new calendar where ``schedule`` replaces whatever was known for its year."""
        return HolidayCalendar(
            {**self._imported, schedule.year: schedule}, use_builtin=self._use_builtin
        )

    def is_rest_day(self, d: date) -> bool:
        cached = self._rest_cache.get(d)
        if cached is None:
            cached = self._rest_cache[d] = self._lookup(d)
        return cached

    def is_working_day(self, d: date) -> bool:
        return not self.is_rest_day(d)

    def is_known(self, year: int) -> bool:
        cached = self._known_cache.get(year)
        if cached is None:
            cached = self._known_cache[year] = (
                year in self._imported or self._builtin_knows(year)
            )
        return cached

    def _lookup(self, d: date) -> bool:
        schedule = self._imported.get(d.year)
        if schedule is not None:
            return schedule.is_rest_day(d)
        if self.is_known(d.year):  # cached; imported years were handled above
            return not chinese_calendar.is_workday(d)
        return d.weekday() >= _SATURDAY

    def _builtin_knows(self, year: int) -> bool:
        if not self._use_builtin or not 1 <= year <= 9999:
            return False
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            return False
        return True

    def __repr__(self) -> str:
        years = ",".join(str(y) for y in sorted(self._imported)) or "-"
        return f"HolidayCalendar(imported={years}, use_builtin={self._use_builtin})"


BUILTIN_SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')} 程序包内置（据国务院办公厅历年通知）"


def builtin_years() -> list[YearSchedule]:
    """The years the ``chinesecalendar`` package ships, as schedules (every holiday it lists,
    weekend days included, and its make-up working days)."""
    from chinese_calendar import constants

    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    return [YearSchedule(year=y, holidays=frozenset(d for d in constants.holidays if d.year == y),
                         workdays=frozenset(d for d in constants.workdays if d.year == y)) for y in years]
