"""Legal period arithmetic (期间计算), DOMAIN §1 and §3. Pure: no I/O, no clock.

Steps, in this order, each leaving one line of explanation for users:
1. the start day is not counted (民法典第二百零一条);
2. day periods end on start + N; month and year periods on the corresponding day of the last
   month, or that month's last day when it has none (民法典第二百零二条);
3. approved extensions lengthen the period: months and years join the period's own count from
   the anchor (a six-month limit extended by six months is twelve months from filing, so the
   month-end rule applies once), days are added to that last day;
4. the deducted or suspended spans move that unrolled end later by the days of their union
   (§3): a day two spans cover is removed once. A span that starts after the limit has run out
   (after its last day, rolled as the limit rolls) cannot revive it: refused (LateSpan), or, when
   re-deriving a clock stored before that was refused, left out with a line saying so;
5. the roll, applied once to the final last day: a statutory rest day moves to the next working
   day (民法典第二百零三条), except for a custody term (刑事诉讼法) or when the rule disables it
   (a seizure or freeze must be renewed before it lapses, 民诉法解释 485).
Working-day periods count N working days after the start day and end on a working day, so they
never roll.

Hour periods (``48h``, compute_hour_deadline) start at an instant, not a date: the procedure laws
do not count the hour in which the period starts (民事诉讼法、刑事诉讼法「期间」条), so counting
begins at the next full hour, and the period ends N hours later, without a rest-day roll (the roll
speaks of a last *day*). Case events carry dates only, so compute_deadline counts an hour period
from the last hour of its start day — the latest the starting hour can have been, which never
ends it earlier than the law does: ``48h`` from a date then ends at 24:00 of the second day after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, timedelta
from enum import Enum
from typing import Callable, Iterable, Sequence

from services.node.calendar import HolidayCalendar

__all__ = ["Deadline", "Exclusion", "Extension", "HourDeadline", "LateSpan", "Period", "Unit",
           "compute_deadline", "compute_hour_deadline", "exclusion_union"]

_ONE_DAY = timedelta(days=1)
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
# Month lengths of a common year; February of a leap year is patched in _month_length.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Unit(Enum):
    DAYS = "d"
    MONTHS = "m"
    YEARS = "y"
    WORKING_DAYS = "wd"
    HOURS = "h"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    Unit.DAYS: "日",
    Unit.MONTHS: "个月",
    Unit.YEARS: "年",
    Unit.WORKING_DAYS: "个工作日",
    Unit.HOURS: "小时",
}
_PERIOD_RE = re.compile(r"([0-9]+)(wd|d|m|y|h)")
# A month or year period with days after it, "1m15d": 一个半月 (刑事诉讼法第二百二十条), counted as the
# months to the corresponding day, then the days (the two steps of 民法典第二百零一、二百零二条).
_COMPOUND_RE = re.compile(r"([0-9]+)(m|y)([0-9]+)d")
# No period CourtFlow counts is longer than five years: the catalogue's longest is three (3y), and
# a court's override, an extension or a typo ("9999y") beyond that is refused where it is entered,
# not discovered later as a date past the calendar's end in the middle of an event (issue 19).
MAX_YEARS = 5
_MAX_AMOUNT = {"d": MAX_YEARS * 366, "wd": MAX_YEARS * 250, "m": MAX_YEARS * 12, "y": MAX_YEARS,
               "h": MAX_YEARS * 366 * 24}
# The fewest and the most calendar days one unit of a period can span (a month is 28 to 31 days;
# a working day, with weekends and the longest holiday, at most about 1.4 days and a week more),
# so that a warning rung can be checked to fall inside its period and two periods compared.
# Hours count in whole days: at least N // 24, and from a date-only event at most N / 24 rounded up.
_SHORTEST_DAYS = {"d": 1, "wd": 1, "m": 28, "y": 365}
_LONGEST_DAYS = {"d": 1, "wd": 2, "m": 31, "y": 366}
_HOURS_A_DAY = 24


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: Unit
    # Days after the months or years ("1m15d", 一个半月): counted from the corresponding day.
    days: int = 0

    def __post_init__(self) -> None:
        # bool is an int subclass; True days is a bug upstream, not a period.
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise ValueError(f"period amount must be an integer, got {self.amount!r}")
        if self.amount < 1:
            raise ValueError(f"period amount must be >= 1, got {self.amount}")
        if not isinstance(self.unit, Unit):
            raise ValueError(f"period unit must be a Unit, got {self.unit!r}")
        if not isinstance(self.days, int) or isinstance(self.days, bool) or self.days < 0:
            raise ValueError(f"period days must be a whole number >= 0, got {self.days!r}")
        if self.days and self.unit not in (Unit.MONTHS, Unit.YEARS):
            raise ValueError(f"only a month or year period has days after it, got {self.unit}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse the rule-catalogue notation: ``15d``, ``6m``, ``1y``, ``7wd``. The messages are
        for users: they end up in INVALID_ARGUMENT answers and the command line."""
        match = _PERIOD_RE.fullmatch(text) if isinstance(text, str) else None
        compound = _COMPOUND_RE.fullmatch(text) if isinstance(text, str) and match is None else None
        if match is None and compound is None:
            raise ValueError(f"「{text}」不是期间写法 N{{d|m|y|wd|h}} 或 N{{m|y}}Nd（如 15d、6m、1y、7wd、48h、1m15d）")
        amount, unit = int((match or compound).group(1)), (match or compound).group(2)
        days = int(compound.group(3)) if compound else 0
        if amount < 1:
            raise ValueError(f"「{text}」：期间至少为 1")
        if compound and not 1 <= days < 28:
            # 28 days or more is a month or more: written as months, so that a period has one spelling.
            raise ValueError(f"「{text}」：月、年之后的日数应为 1 至 27 日")
        if amount > _MAX_AMOUNT[unit] or (days and amount == _MAX_AMOUNT[unit]):
            raise ValueError(f"「{text}」：期间不能超过 {MAX_YEARS} 年（{_MAX_AMOUNT[unit]}{Unit(unit).label}）")
        return cls(amount, Unit(unit), days)

    @property
    def shortest_days(self) -> int:
        """The fewest calendar days this period can span."""
        if self.unit is Unit.HOURS:
            return self.amount // _HOURS_A_DAY
        return self.amount * _SHORTEST_DAYS[self.unit.value] + self.days

    @property
    def longest_days(self) -> int:
        """The most calendar days this period can reach into (an hour period counted from a date
        ends at 24:00 of its last day, so 48h reaches two days after the start day)."""
        if self.unit is Unit.HOURS:
            return -(-self.amount // _HOURS_A_DAY)
        return self.amount * _LONGEST_DAYS[self.unit.value] + self.days

    def never_longer_than(self, other: Period) -> bool:
        """Whether this period ends no later than `other` from any start (same unit: by amount)."""
        if self.unit is other.unit and not (self.days or other.days):
            return self.amount <= other.amount
        if self.unit is other.unit and self.amount == other.amount:
            return self.days <= other.days
        return self.longest_days <= other.shortest_days

    @property
    def label(self) -> str:
        """Chinese wording, e.g. ``6个月``, ``1个月15日``."""
        return f"{self.amount}{self.unit.label}" + (f"{self.days}日" if self.days else "")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}" + (f"{self.days}d" if self.days else "")


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A deducted or suspended span; removes ``end - start`` days from the limit (DOMAIN §3)."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"exclusion ends {self.end.isoformat()} before it starts {self.start.isoformat()}"
            )

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class LateSpan(ValueError):
    """A deducted or suspended span that starts after the limit has run out (DOMAIN §3): it cannot
    revive the limit. The message is for users."""


def exclusion_union(exclusions: Iterable[Exclusion]) -> list[tuple[date, date]]:
    """The spans merged where they overlap or touch, earliest first: each day is removed once."""
    merged: list[tuple[date, date]] = []
    for ex in sorted(exclusions, key=lambda x: (x.start, x.end)):
        if merged and ex.start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ex.end))
        else:
            merged.append((ex.start, ex.end))
    return merged


@dataclass(frozen=True, slots=True)
class Extension:
    """An approved extension of a limit (审限延长) by days or months, or, with ``to``, to a whole
    period counted from the anchor: the law extends some limits "to" a length, not "by" one
    (刑事简易程序二十日，可以延长至一个半月，刑事诉讼法第二百二十条)."""

    period: Period
    reason: str = ""
    to: bool = False

    def __post_init__(self) -> None:
        if self.period.unit not in (Unit.DAYS, Unit.MONTHS):
            raise ValueError(f"an extension counts days or months, got {self.period}")


@dataclass(frozen=True, slots=True)
class Deadline:
    due: date
    unrolled_due: date  # the last day before any rest-day roll
    calendar_known: bool  # False: a year consulted for the roll or the count had no schedule
    explanation: tuple[str, ...]
    basis: str


def compute_deadline(
    *,
    start: date,
    period: Period,
    calendar: HolidayCalendar,
    custody: bool = False,
    exclusions: Sequence[Exclusion] = (),
    extensions: Sequence[Extension] = (),
    rollover: bool = True,
    basis: str = "",
    late_spans: str = "refuse",
) -> Deadline:
    """The last day of ``period`` counted from the event on ``start``, with its explanation.

    ``late_spans``: what a span starting after the limit ran out does — ``refuse`` (LateSpan, for
    what is being entered) or ``ignore`` (left out with a line, for clocks stored before such a
    span was refused, so that re-deriving them never fails).
    """
    if late_spans not in ("refuse", "ignore"):
        raise ValueError(f"late_spans must be 'refuse' or 'ignore', got {late_spans!r}")
    lines: list[str] = [f"依据：{basis}"] if basis else []
    lines.append(f"起算：{start} 当日不计入，自次日起算（民法典第二百零一条）")
    rolls = rollover and not custody
    try:
        if period.unit in (Unit.WORKING_DAYS, Unit.HOURS):
            if exclusions or extensions:
                # §3 deductions and extensions change trial limits counted in calendar time; how
                # they would change a working-day or hour count is not settled: refuse, not guess.
                kind = "a working-day" if period.unit is Unit.WORKING_DAYS else "an hour"
                raise ValueError(f"exclusions and extensions do not apply to {kind} period")
            if period.unit is Unit.HOURS:
                due, consulted = _hours_from_date(start, period, lines), ()
            else:
                due, consulted = _count_working_days(start, period.amount, calendar, lines)
            unrolled = due
        else:
            period, extensions = _extended_to(period, extensions, lines)
            unrolled = _unrolled_end(start, _with_months(period, extensions, lines), lines)
            unrolled = _add_extension_days(unrolled, extensions, lines)
            unrolled = _apply_exclusions(unrolled, exclusions, lines, late_spans=late_spans,
                                         last_day=lambda end: _roll(end, calendar, [])[0] if rolls else end)
            if custody:
                due, consulted = unrolled, ()
                lines.append("羁押期间不因节假日顺延（刑事诉讼法）")
            elif not rollover:
                due, consulted = unrolled, ()
                lines.append("本期间按规则不适用节假日顺延")
            else:
                due, consulted = _roll(unrolled, calendar, lines)
    except OverflowError:
        raise ValueError("the deadline falls outside the supported date range") from None

    unknown = [year for year in consulted if not calendar.is_known(year)]
    lines.extend(f"{year}年节假日安排未知，仅按周末计算" for year in unknown)
    lines.append(f"届满日：{due}（{_WEEKDAYS[due.weekday()]}）")
    return Deadline(
        due=due,
        unrolled_due=unrolled,
        calendar_known=not unknown,
        explanation=tuple(lines),
        basis=basis,
    )


def _unrolled_end(start: date, period: Period, lines: list[str]) -> date:
    n = period.amount
    if period.unit is Unit.DAYS:
        end = start + timedelta(days=n)
        lines.append(f"期间：{n}日，末日 {end}（民法典第二百零一条）")
        return end
    months = n if period.unit is Unit.MONTHS else 12 * n
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if year > MAXYEAR:
        raise OverflowError(year)  # the same failure timedelta arithmetic raises
    last = _month_length(year, month)
    whole = Period(n, period.unit)  # the months or years; a compound period's days follow
    if start.day <= last:
        end = date(year, month, start.day)
        lines.append(f"期间：{whole.label}，对应日 {end}（民法典第二百零二条）")
    else:
        end = date(year, month, last)
        lines.append(
            f"期间：{whole.label}，{year}年{month}月无对应日（{start.day}日），"
            f"以该月末日 {end} 为期间最后一日（民法典第二百零二条）"
        )
    if period.days:
        end += timedelta(days=period.days)
        lines.append(f"再加{period.days}日（{period.label}），末日 {end}")
    return end


def _extended_to(period: Period, extensions: Sequence[Extension],
                 lines: list[str]) -> tuple[Period, list[Extension]]:
    """An extension "to" a length replaces the period (the longest such, never shortening it); the
    extensions "by" a length are left to add to it."""
    by = [e for e in extensions if not e.to]
    for e in extensions:
        if e.to:
            lines.append(f"延长：延长至{e.period.label}（{e.reason or '审限延长'}）")
            if period.never_longer_than(e.period) and e.period != period:
                period = e.period
                lines.append(f"延长后期间为{period.label}，自起算日计算")
    return period, by


def _with_months(period: Period, extensions: Sequence[Extension], lines: list[str]) -> Period:
    months = [e for e in extensions if e.period.unit is Unit.MONTHS]
    if not months:
        return period
    for e in months:
        lines.append(f"延长：{e.period.label}（{e.reason or '审限延长'}）")
    if period.unit is Unit.DAYS:
        # A day limit extended by months: count the months from the anchor, then the days.
        raise ValueError("a day period cannot be extended by months")
    total = (period.amount if period.unit is Unit.MONTHS else 12 * period.amount) + sum(e.period.amount for e in months)
    lines.append(f"延长后期间合计{Period(total, Unit.MONTHS, period.days).label}，自起算日计算对应日")
    return Period(total, Unit.MONTHS, period.days)


def _add_extension_days(end: date, extensions: Sequence[Extension], lines: list[str]) -> date:
    days = sum(e.period.amount for e in extensions if e.period.unit is Unit.DAYS)
    for e in extensions:
        if e.period.unit is Unit.DAYS:
            lines.append(f"延长：{e.period.label}（{e.reason or '审限延长'}）")
    if not days:
        return end
    moved = end + timedelta(days=days)
    lines.append(f"延长合计{days}日，期间最后一日由 {end} 后移至 {moved}")
    return moved


def _apply_exclusions(end: date, exclusions: Sequence[Exclusion], lines: list[str], *, late_spans: str,
                      last_day: Callable[[date], date]) -> date:
    """Move ``end`` by the days of the spans' union; ``last_day`` gives the day the limit runs out
    on for an unrolled end (rolled as the limit rolls), against which a span is late."""
    for ex in exclusions:
        reason = f"审限扣除：{ex.reason}" if ex.reason else "审限扣除"
        lines.append(f"扣除：{ex.start} 至 {ex.end}，共{ex.days}日（{reason}）")
    moved, counted = end, 0
    for first, last in exclusion_union(exclusions):
        # Earliest first, so the end a span is judged against already counts every earlier span.
        runs_out = last_day(moved)
        if first > runs_out:
            message = (f"{first} 至 {last} 的期间开始时，期限已于 {runs_out} 届满，"
                       "届满后的扣除或中止不能使期限恢复计算")
            if late_spans == "refuse":
                raise LateSpan(message)
            lines.append(f"不计入：{message}")
            continue
        moved += timedelta(days=(last - first).days)
        counted += sum(ex.days for ex in exclusions if first <= ex.start <= last)
    total = (moved - end).days
    if counted > total:
        lines.append(f"各期间重叠的{counted - total}日只扣除一次")
    if total:
        lines.append(f"扣除合计{total}日，期间最后一日由 {end} 后移至 {moved}")
    return moved


def _roll(end: date, calendar: HolidayCalendar, lines: list[str]) -> tuple[date, tuple[int, ...]]:
    if not calendar.is_rest_day(end):
        if end.weekday() >= 5:
            lines.append(
                f"期间届满日 {end} 为{_WEEKDAYS[end.weekday()]}，但系调休工作日，不顺延"
                "（民法典第二百零三条）"
            )
        else:
            lines.append(f"期间届满日 {end} 为工作日，无需顺延")
        return end, (end.year,)
    due = end + _ONE_DAY
    while calendar.is_rest_day(due):
        due += _ONE_DAY
    lines.append(f"期间届满日 {end} 为法定休假日，顺延至 {due}（民法典第二百零三条）")
    # A roll lasts days, not years: it consults at most the end's year and the next.
    return due, ((end.year,) if due.year == end.year else (end.year, due.year))


def _hours_from_date(start: date, period: Period, lines: list[str]) -> date:
    # The event's hour is unknown: counted from the last hour of its day, the latest it can have
    # been, so the period never ends before the law's; the period ends at 24:00 of its last day.
    due = start + timedelta(days=period.longest_days)
    lines.append(f"期间：{period.label}；事件只记载日期，按 {start} 最后一小时起算，"
                 f"至迟于 {due} 24:00 届满（民事诉讼法、刑事诉讼法「期间」条）")
    lines.append("以小时计算的期间不因节假日顺延")
    return due


def _count_working_days(
    start: date, n: int, calendar: HolidayCalendar, lines: list[str]
) -> tuple[date, tuple[int, ...]]:
    day, counted = start, 0
    while counted < n:
        day += _ONE_DAY
        if not calendar.is_rest_day(day):
            counted += 1
    lines.append(f"期间：{n}个工作日，法定休假日不计入，第{n}个工作日为 {day}")
    lines.append("工作日期间的末日本身即为工作日，不发生顺延")
    return day, tuple(range((start + _ONE_DAY).year, day.year + 1))


def _month_length(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


@dataclass(frozen=True, slots=True)
class HourDeadline:
    ends_at: datetime
    explanation: tuple[str, ...]


def compute_hour_deadline(*, start: datetime, hours: int, basis: str = "") -> HourDeadline:
    """The end of an hour period begun at `start` (an aware datetime), with its explanation."""
    if start.tzinfo is None:
        raise ValueError("start must carry its time zone")
    if not isinstance(hours, int) or isinstance(hours, bool) or hours < 1:
        raise ValueError(f"hours must be a whole number >= 1, got {hours!r}")
    lines = [f"依据：{basis}"] if basis else []
    whole = start.replace(minute=0, second=0, microsecond=0)
    first = whole + timedelta(hours=1)
    lines.append(f"起算：{start:%Y-%m-%d %H:%M} 所在的小时不计入，自 {first:%Y-%m-%d %H:%M} 起算"
                 "（民事诉讼法、刑事诉讼法「期间」条）")
    ends = first + timedelta(hours=hours)
    lines.append(f"期间：{hours}小时，届满时刻 {ends:%Y-%m-%d %H:%M}；以小时计算的期间不因节假日顺延")
    return HourDeadline(ends_at=ends, explanation=tuple(lines))
