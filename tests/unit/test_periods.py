"""Legal period arithmetic against the real 2025/2026 State Council schedules (DOMAIN §1, §3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.clock import LEGAL_TZ
from services.node.calendar import HolidayCalendar, YearSchedule
from services.node.periods import Exclusion, LateSpan, Period, Unit, compute_deadline, compute_hour_deadline

CAL = HolidayCalendar.builtin()
D = date.fromisoformat


def deadline(start: str, period: str, calendar: HolidayCalendar = CAL, **kw):
    return compute_deadline(start=D(start), period=Period.parse(period), calendar=calendar, **kw)


# -- the calendar ---------------------------------------------------------------------------------

def test_builtin_calendar_agrees_with_chinesecalendar_for_2025_and_2026():
    day = date(2025, 1, 1)
    while day.year < 2027:
        assert CAL.is_rest_day(day) is not chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize("saturday_or_sunday", [
    "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
])
def test_make_up_weekend_days_are_working_days(saturday_or_sunday):
    day = D(saturday_or_sunday)
    assert day.weekday() >= 5
    assert CAL.is_working_day(day) and not CAL.is_rest_day(day)


def test_unknown_year_is_weekends_only_and_never_raises():
    assert not CAL.is_known(2027) and not CAL.is_known(2030) and not CAL.is_known(10000)
    assert CAL.is_known(2025) and CAL.is_known(2026)
    assert CAL.is_working_day(D("2027-01-01"))  # a Friday; its real status is not known yet
    assert CAL.is_rest_day(D("2027-01-02"))


def test_with_year_returns_a_new_calendar_and_imports_win_over_builtin():
    no_holidays_2026 = CAL.with_year(YearSchedule(2026))
    assert no_holidays_2026.is_working_day(D("2026-10-01"))
    assert CAL.is_rest_day(D("2026-10-01"))  # the original is untouched
    assert deadline("2026-04-01", "6m", no_holidays_2026).due == D("2026-10-01")
    # A second import of the same year replaces the first.
    reimported = no_holidays_2026.with_year(YearSchedule(2026, holidays={D("2026-10-01")}))
    assert reimported.is_rest_day(D("2026-10-01"))


@pytest.mark.parametrize("kwargs", [
    {"holidays": {D("2026-01-01")}},
    {"holidays": {D("2027-01-04")}, "workdays": {D("2027-01-04")}},
])
def test_year_schedule_rejects_inconsistent_data(kwargs):
    with pytest.raises(ValueError):
        YearSchedule(2027, **kwargs)


# -- period notation ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,amount,unit", [
    ("15d", 15, Unit.DAYS), ("6m", 6, Unit.MONTHS), ("1y", 1, Unit.YEARS), ("7wd", 7, Unit.WORKING_DAYS),
])
def test_period_parse(text, amount, unit):
    assert Period.parse(text) == Period(amount, unit)
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize("text", ["6x", "", "d", "-1d", "1.5m", "6 m", "0d", "00m", "6M"])
def test_period_parse_rejects_bad_text(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_exclusion_end_before_start_is_rejected():
    with pytest.raises(ValueError):
        Exclusion(D("2026-04-11"), D("2026-04-01"))


# -- real dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("start,period,unrolled,due", [
    # Spring Festival 2025: rest 01-28..02-04, make-up Sun 01-26 and Sat 02-08.
    ("2025-01-13", "15d", "2025-01-28", "2025-02-05"),
    ("2025-01-11", "15d", "2025-01-26", "2025-01-26"),
    ("2025-01-24", "15d", "2025-02-08", "2025-02-08"),
    # Labour Day 2025: rest 05-01..05-05, make-up Sun 04-27.
    ("2025-04-16", "15d", "2025-05-01", "2025-05-06"),
    ("2025-04-12", "15d", "2025-04-27", "2025-04-27"),
    # National Day and Mid-Autumn 2025: rest 10-01..10-08, make-up Sun 09-28 and Sat 10-11.
    ("2025-04-01", "6m", "2025-10-01", "2025-10-09"),
    ("2025-09-13", "15d", "2025-09-28", "2025-09-28"),
    ("2025-09-26", "15d", "2025-10-11", "2025-10-11"),
    # Spring Festival 2026: rest 02-15..02-23, make-up Sat 02-14 and Sat 02-28.
    ("2026-02-01", "15d", "2026-02-16", "2026-02-24"),
    ("2026-01-15", "1m", "2026-02-15", "2026-02-24"),
    ("2026-01-30", "15d", "2026-02-14", "2026-02-14"),
    ("2026-02-13", "15d", "2026-02-28", "2026-02-28"),
    # Labour Day 2026: rest 05-01..05-05, make-up Sat 05-09.
    ("2026-04-16", "15d", "2026-05-01", "2026-05-06"),
    ("2026-04-24", "15d", "2026-05-09", "2026-05-09"),
    # Mid-Autumn 09-25..27 and National Day 10-01..07 2026, make-up Sun 09-20 and Sat 10-10.
    ("2026-09-10", "15d", "2026-09-25", "2026-09-28"),
    ("2026-04-01", "6m", "2026-10-01", "2026-10-08"),
    ("2026-09-05", "15d", "2026-09-20", "2026-09-20"),
    ("2026-09-25", "15d", "2026-10-10", "2026-10-10"),
    # An ordinary weekend rolls to Monday; an ordinary weekday does not move.
    ("2026-03-06", "15d", "2026-03-21", "2026-03-23"),
    ("2026-03-16", "6m", "2026-09-16", "2026-09-16"),
    # Month end (民法典第二百零二条), leap years.
    ("2026-01-31", "1m", "2026-02-28", "2026-02-28"),  # a Saturday, but a make-up working day
    ("2024-01-31", "1m", "2024-02-29", "2024-02-29"),
    ("2024-02-29", "1y", "2025-02-28", "2025-02-28"),
    ("2023-02-28", "1y", "2024-02-28", "2024-02-28"),
    ("2026-08-31", "1m", "2026-09-30", "2026-09-30"),
])
def test_real_dates(start, period, unrolled, due):
    result = deadline(start, period)
    assert (result.unrolled_due, result.due) == (D(unrolled), D(due))
    assert result.calendar_known


def test_explanation_names_each_step():
    lines = deadline("2026-04-01", "6m", basis="民事诉讼法 审理期限").explanation
    assert lines[0] == "依据：民事诉讼法 审理期限"
    assert "起算：2026-04-01 当日不计入，自次日起算（民法典第二百零一条）" in lines
    assert "期间：6个月，对应日 2026-10-01（民法典第二百零二条）" in lines
    assert "期间届满日 2026-10-01 为法定休假日，顺延至 2026-10-08（民法典第二百零三条）" in lines
    month_end = deadline("2026-01-31", "1m").explanation
    assert any("无对应日" in line and "2026-02-28" in line for line in month_end)
    assert any("调休工作日，不顺延" in line for line in month_end)


def test_domain_section_3_example():
    result = deadline(
        "2026-01-05", "6m",
        exclusions=[Exclusion(D("2026-04-01"), D("2026-04-11"), "公告"),
                    Exclusion(D("2026-05-01"), D("2026-05-31"), "鉴定")],
    )
    assert result.due == result.unrolled_due == D("2026-08-14")
    assert "扣除：2026-04-01 至 2026-04-11，共10日（审限扣除：公告）" in result.explanation
    assert any("2026-07-05 后移至 2026-08-14" in line for line in result.explanation)
    # Without the spans the end (a Sunday) rolls; with them the roll happens once, at the end.
    assert deadline("2026-01-05", "6m").due == D("2026-07-06")


@pytest.mark.parametrize("kw,line", [
    ({"custody": True}, "羁押期间不因节假日顺延（刑事诉讼法）"),
    ({"rollover": False}, "本期间按规则不适用节假日顺延"),
])
def test_no_roll_in_custody_or_when_disabled(kw, line):
    result = deadline("2026-09-16", "15d", **kw)
    assert result.due == result.unrolled_due == D("2026-10-01")
    assert line in result.explanation


def test_custody_ending_in_unknown_year_consults_no_calendar():
    assert deadline("2026-12-25", "15d", custody=True).calendar_known


@pytest.mark.parametrize("start,period,due", [
    ("2026-09-28", "7wd", "2026-10-13"),  # over National Day, counting make-up Sat 10-10
    ("2025-01-24", "7wd", "2025-02-10"),  # over Spring Festival, both make-up days count
    ("2026-03-13", "1wd", "2026-03-16"),  # Friday → Monday
])
def test_working_days(start, period, due):
    result = deadline(start, period)
    assert result.due == result.unrolled_due == D(due)


def test_working_days_refuse_exclusions():
    with pytest.raises(ValueError):
        deadline("2026-03-13", "7wd", exclusions=[Exclusion(D("2026-03-14"), D("2026-03-15"))])


@pytest.mark.parametrize("start,period,due", [
    ("2026-12-18", "15d", "2027-01-04"),  # 2027-01-02 is a Saturday
    ("2030-04-01", "6m", "2030-10-01"),  # a Tuesday: weekends only, so National Day is unseen
    ("2026-12-28", "5wd", "2027-01-04"),  # the count crosses into 2027
])
def test_unknown_years_are_flagged(start, period, due):
    result = deadline(start, period)
    assert result.due == D(due)
    assert not result.calendar_known
    year = D(due).year
    assert f"{year}年节假日安排未知，仅按周末计算" in result.explanation


def test_imported_2027_schedule_is_used_once_given():
    # Invented schedule for the test: 2027-01-01 off, Saturday 2027-02-20 a make-up working day.
    schedule = YearSchedule(2027, holidays=frozenset({D("2027-01-01")}),
                            workdays=frozenset({D("2027-02-20")}))
    before = deadline("2026-12-17", "15d")
    assert (before.due, before.calendar_known) == (D("2027-01-01"), False)
    after = deadline("2026-12-17", "15d", CAL.with_year(schedule))
    assert (after.due, after.calendar_known) == (D("2027-01-04"), True)
    assert deadline("2027-02-05", "15d", CAL.with_year(schedule)).due == D("2027-02-20")
    assert deadline("2027-02-05", "15d").due == D("2027-02-22")


def test_a_roll_running_into_an_unknown_year_is_flagged():
    # Invented: 2026-12-31 (a Thursday) off, so the roll lands on 2027-01-01 of unknown 2027.
    calendar = CAL.with_year(YearSchedule(2026, holidays=frozenset({D("2026-12-31")})))
    result = deadline("2026-12-16", "15d", calendar)
    assert (result.unrolled_due, result.due) == (D("2026-12-31"), D("2027-01-01"))
    assert not result.calendar_known


def test_overflow_is_a_value_error():
    with pytest.raises(ValueError):
        deadline("9999-12-01", "1m")


# -- invariants -----------------------------------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2031, 12, 31))
calendar_periods = st.one_of(
    st.builds(Period, st.integers(1, 400), st.just(Unit.DAYS)),
    st.builds(Period, st.integers(1, 40), st.sampled_from([Unit.MONTHS, Unit.YEARS])),
)
exclusion_lists = st.lists(
    st.tuples(starts, st.integers(0, 120)).map(
        lambda t: Exclusion(t[0], t[0] + timedelta(days=t[1]))),
    max_size=4,
)


def _compute(start, period, **kw):
    return compute_deadline(start=start, period=period, calendar=CAL, **kw)


@given(starts, calendar_periods, st.booleans(), st.booleans())
def test_roll_only_moves_forward_across_rest_days(start, period, custody, rollover):
    result = _compute(start, period, custody=custody, rollover=rollover)
    assert result.due >= result.unrolled_due
    if custody or not rollover:
        assert result.due == result.unrolled_due
    else:
        assert CAL.is_working_day(result.due)
        crossed = result.unrolled_due
        while crossed < result.due:
            assert CAL.is_rest_day(crossed)
            crossed += timedelta(days=1)


def _union_days(exclusions) -> int:
    return len({ex.start + timedelta(days=i) for ex in exclusions for i in range(ex.days)})


@given(starts, calendar_periods, st.data())
def test_exclusions_shift_the_unrolled_end_by_the_days_of_their_union(start, period, data):
    """DOMAIN §3: a day two spans cover is removed once, whatever order they were entered in."""
    plain = _compute(start, period)
    inside = st.dates(min_value=start, max_value=plain.unrolled_due)
    exclusions = data.draw(st.lists(st.tuples(inside, st.integers(0, 120)).map(
        lambda t: Exclusion(t[0], t[0] + timedelta(days=t[1]))), max_size=4))
    excluded = _compute(start, period, exclusions=exclusions)
    assert excluded.unrolled_due == plain.unrolled_due + timedelta(days=_union_days(exclusions))
    assert excluded.due >= plain.due
    assert _compute(start, period, exclusions=exclusions[::-1]).unrolled_due == excluded.unrolled_due
    assert _compute(start, period, exclusions=exclusions + exclusions).due == excluded.due


@given(starts, calendar_periods, exclusion_lists, st.booleans())
def test_a_span_never_revives_a_limit_that_ran_out(start, period, exclusions, custody):
    """Every span is either counted, starting on or before the day the limit then ran out, or
    refused; when stored spans are re-derived the late ones are left out, never counted."""
    try:
        counted = _compute(start, period, exclusions=exclusions, custody=custody)
    except LateSpan:
        kept = _compute(start, period, exclusions=exclusions, custody=custody, late_spans="ignore")
        assert kept.unrolled_due <= _compute(start, period, custody=custody).unrolled_due + \
            timedelta(days=_union_days(exclusions))
        assert any(line.startswith("不计入：") for line in kept.explanation)
    else:
        assert counted.unrolled_due == _compute(start, period, custody=custody).unrolled_due + \
            timedelta(days=_union_days(exclusions))


@given(starts, st.integers(1, 400))
def test_day_period_ends_start_plus_n(start, n):
    assert _compute(start, Period(n, Unit.DAYS)).unrolled_due == start + timedelta(days=n)


@given(starts, st.integers(1, 40), st.sampled_from([Unit.MONTHS, Unit.YEARS]))
def test_month_period_ends_in_the_right_month(start, n, unit):
    months = n if unit is Unit.MONTHS else 12 * n
    end = _compute(start, Period(n, unit)).unrolled_due
    index = start.month - 1 + months
    assert (end.year, end.month) == (start.year + index // 12, index % 12 + 1)
    if end.day != start.day:  # only when the month is too short, and then its last day
        assert end.day < start.day and (end + timedelta(days=1)).day == 1


@settings(max_examples=60)
@given(starts, st.integers(1, 60))
def test_working_day_count_equals_n(start, n):
    due = _compute(start, Period(n, Unit.WORKING_DAYS)).due
    assert CAL.is_working_day(due)
    days = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(CAL.is_working_day(d) for d in days) == n


# ── hour periods ──────────────────────────────────────────────────────────────────────────────


def test_hour_period_does_not_count_the_starting_hour():
    # Detained at 10:25 on the eve of National Day: 24 hours from 11:00, ending 11:00 the next
    # day, a holiday — hour periods do not roll.
    d = compute_hour_deadline(start=datetime(2026, 9, 30, 10, 25, tzinfo=LEGAL_TZ), hours=24)
    assert d.ends_at == datetime(2026, 10, 1, 11, 0, tzinfo=LEGAL_TZ)
    assert any("不因节假日顺延" in line for line in d.explanation)


def test_hour_period_on_the_hour_still_skips_that_hour():
    d = compute_hour_deadline(start=datetime(2026, 3, 2, 9, 0, tzinfo=LEGAL_TZ), hours=48)
    assert d.ends_at == datetime(2026, 3, 4, 10, 0, tzinfo=LEGAL_TZ)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)), st.integers(1, 10_000))
def test_hour_period_ends_between_n_and_n_plus_one_hours_later(naive, hours):
    start = naive.replace(tzinfo=LEGAL_TZ)
    ends = compute_hour_deadline(start=start, hours=hours).ends_at
    assert timedelta(hours=hours) < ends - start <= timedelta(hours=hours + 1)
    assert (ends.minute, ends.second, ends.microsecond) == (0, 0, 0)


def test_hour_period_refuses_naive_starts_and_bad_counts():
    with pytest.raises(ValueError):
        compute_hour_deadline(start=datetime(2026, 3, 2, 9), hours=24)
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError):
            compute_hour_deadline(start=datetime(2026, 3, 2, 9, tzinfo=LEGAL_TZ), hours=bad)


# -- issue 15: spans, late spans and hour periods ---------------------------------------------------

@pytest.mark.parametrize("spans,unrolled,due", [
    # The review's example: 6 months from 2025-01-06 (unrolled 2025-07-06), two overlapping spans
    # of 31 and 30 days whose union is 39 days: 08-14, not 61 days to 09-05.
    ([("2025-03-01", "2025-04-01"), ("2025-03-10", "2025-04-09")], "2025-08-14", "2025-08-14"),
    # One span inside another removes only the outer one's days.
    ([("2025-03-01", "2025-04-01"), ("2025-03-05", "2025-03-20")], "2025-08-06", "2025-08-06"),
    # Spans that touch are one span; disjoint ones add up.
    ([("2025-03-01", "2025-03-11"), ("2025-03-11", "2025-03-21")], "2025-07-26", "2025-07-28"),
    ([("2025-03-01", "2025-03-11"), ("2025-05-01", "2025-05-11")], "2025-07-26", "2025-07-28"),
])
def test_overlapping_spans_are_deducted_once_domain_3(spans, unrolled, due):
    """审限扣除 (最高人民法院关于严格执行案件审理期限制度的若干规定): a day is either counted in the
    limit or not; two spans covering it do not remove it twice (issue 15, item 1)."""
    result = deadline("2025-01-06", "6m", exclusions=[Exclusion(D(a), D(b), "鉴定") for a, b in spans])
    assert (result.unrolled_due, result.due) == (D(unrolled), D(due))


def test_the_overlap_is_explained():
    result = deadline("2025-01-06", "6m", exclusions=[Exclusion(D("2025-03-01"), D("2025-04-01")),
                                                      Exclusion(D("2025-03-10"), D("2025-04-09"))])
    assert "各期间重叠的22日只扣除一次" in result.explanation
    assert "扣除合计39日，期间最后一日由 2025-07-06 后移至 2025-08-14" in result.explanation


@pytest.mark.parametrize("span,kw,outcome", [
    # 6 months from 2025-04-01: unrolled 2025-10-01, rolled over National Day to 10-09. A span
    # starting during the roll starts while the limit still runs (民法典第二百零三条) and counts:
    # 10-05→10-15 moves the end to 10-11, a make-up Saturday, a working day.
    (("2025-10-05", "2025-10-15"), {}, "2025-10-11"),
    (("2025-10-09", "2025-10-10"), {}, "2025-10-09"),  # on the last day: 1 day, 10-02 rolls to 10-09
    (("2025-10-10", "2025-10-20"), {}, LateSpan),       # the day after it ran out
    # A custody term does not roll (刑事诉讼法「期间」条): it ran out on 10-01.
    (("2025-10-01", "2025-10-03"), {"custody": True}, "2025-10-03"),
    (("2025-10-02", "2025-10-03"), {"custody": True}, LateSpan),
    # Spring Festival 2026: 3 months from 2025-11-15 end 2026-02-15 and roll to 02-24.
    (("2026-02-24", "2026-03-10"), {}, "2026-03-02"),  # 14 days: Sunday 03-01, rolled
    (("2026-02-25", "2026-03-01"), {}, LateSpan),
])
def test_a_span_after_the_limit_ran_out_is_refused(span, kw, outcome):
    """A deduction or suspension that starts after the limit has run out cannot revive it
    (DOMAIN §3; issue 15, item 2)."""
    start, period = ("2025-11-15", "3m") if span[0].startswith("2026") else ("2025-04-01", "6m")
    exclusions = [Exclusion(D(span[0]), D(span[1]), "中止")]
    if outcome is LateSpan:
        with pytest.raises(LateSpan, match="届满后的扣除或中止不能使期限恢复计算"):
            deadline(start, period, exclusions=exclusions, **kw)
        kept = deadline(start, period, exclusions=exclusions, late_spans="ignore", **kw)
        assert kept.due == deadline(start, period, **kw).due
        assert any(line.startswith("不计入：") for line in kept.explanation)
    else:
        assert deadline(start, period, exclusions=exclusions, **kw).due == D(outcome)


@pytest.mark.parametrize("start,period,due", [
    # 48 hours from a date-only event: counted from that day's last hour, ending 24:00 of the
    # second day after; hours never roll, not even into National Day or Spring Festival.
    ("2025-09-29", "48h", "2025-10-01"),
    ("2026-02-13", "48h", "2026-02-15"),
    ("2026-02-13", "24h", "2026-02-14"),
    ("2026-02-13", "25h", "2026-02-15"),
])
def test_hour_periods_from_a_date_do_not_roll_civil_procedure_law_103_104(start, period, due):
    """民事诉讼法第一百零三、一百零四条: a preservation ruling within 48 hours; 「期间」条: the
    starting hour is not counted and an hour period is no day period, so it does not roll."""
    result = deadline(start, period)
    assert result.due == result.unrolled_due == D(due)
    assert "以小时计算的期间不因节假日顺延" in result.explanation


def test_hour_periods_parse_and_refuse_spans():
    assert Period.parse("48h") == Period(48, Unit.HOURS)
    assert Period.parse("48h").label == "48小时"
    assert (Period.parse("48h").shortest_days, Period.parse("48h").longest_days) == (2, 2)
    assert Period.parse("25h").longest_days == 2 and Period.parse("24h").never_longer_than(Period.parse("1d"))
    with pytest.raises(ValueError):
        deadline("2026-02-13", "48h", exclusions=[Exclusion(D("2026-02-14"), D("2026-02-15"))])


@given(starts, st.integers(1, 24 * 400))
def test_an_hour_period_from_a_date_never_ends_before_the_law_and_never_rolls(start, hours):
    """Counted from the last hour of the event's day: the end (24:00 of the due day) is at least N
    hours after any hour of that day, and less than a day later than from its last hour."""
    result = _compute(start, Period(hours, Unit.HOURS))
    ends = datetime.combine(result.due + timedelta(days=1), datetime.min.time())
    from_last_hour = datetime.combine(start, datetime.min.time()) + timedelta(hours=24 + hours)
    assert timedelta(0) <= ends - from_last_hour < timedelta(days=1)
    assert result.due == result.unrolled_due
