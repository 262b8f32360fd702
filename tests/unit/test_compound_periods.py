"""Issue 15, item 12: a period of months and days (一个半月 = 1m15d) — criminal simplified procedure
is twenty days, extendable *to* one and a half months from acceptance (刑事诉讼法第二百二十条).
Counted as the months to the corresponding day (民法典第二百零二条), then the days, then one roll
(民法典第二百零三条); real calendars: the Spring Festival 2026 (02-15 to 02-23), National Day 2026."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtflow.node.v1.node_pb2 import ApplicationKind

from services.node import catalog, time_limits
from services.node.calendar import HolidayCalendar
from services.node.periods import Extension, Period, Unit, compute_deadline
from services.node.time_limits import ClockFacts, Level

CAL = HolidayCalendar.builtin()
RULES = time_limits.load(catalog.load())
K = ApplicationKind
SIMPLIFIED = "trial_time_limit_criminal_simplified"


@pytest.mark.parametrize("text, period, label", [
    ("1m15d", Period(1, Unit.MONTHS, 15), "1个月15日"),
    ("2m1d", Period(2, Unit.MONTHS, 1), "2个月1日"),
    ("1y27d", Period(1, Unit.YEARS, 27), "1年27日"),
])
def test_months_and_days_parse_and_read_back(text, period, label):
    assert Period.parse(text) == period and str(period) == text and period.label == label


@pytest.mark.parametrize("text, words", [
    ("1m0d", "1 至 27 日"), ("1m28d", "1 至 27 日"),   # 28 days or more is written as a month
    ("15d1d", "不是期间写法"), ("1wd2d", "不是期间写法"), ("5y1d", "不能超过 5 年"),
])
def test_a_bad_compound_period_is_refused_in_chinese(text, words):
    with pytest.raises(ValueError, match=words):
        Period.parse(text)


@pytest.mark.parametrize("start, due, unrolled", [
    # 2026-01-31 + 1 month: February has no 31st → 02-28 (民法典 202); + 15 days = 03-15, a Sunday → 03-16.
    ("2026-01-31", "2026-03-16", "2026-03-15"),
    # 2025-12-31 + 1 month = 01-31; + 15 = 02-15, the Spring Festival (02-15…02-23) → 02-24.
    ("2025-12-31", "2026-02-24", "2026-02-15"),
    # 2026-08-20 + 1 month = 09-20; + 15 = 10-05, National Day → 10-08.
    ("2026-08-20", "2026-10-08", "2026-10-05"),
    # 2024-01-30 (leap year) + 1 month = 02-29; + 15 = 03-15, a Friday.
    ("2024-01-30", "2024-03-15", "2024-03-15"),
])
def test_one_and_a_half_months_criminal_procedure_law_220(start, due, unrolled):
    deadline = compute_deadline(start=date.fromisoformat(start), period=Period.parse("1m15d"), calendar=CAL)
    assert (deadline.due, deadline.unrolled_due) == (date.fromisoformat(due), date.fromisoformat(unrolled))
    assert any("再加15日" in line for line in deadline.explanation)


def test_twenty_days_extended_to_one_and_a_half_months_from_acceptance_criminal_procedure_law_220():
    """Accepted 2026-01-05: twenty days end 01-25 (a Sunday → 01-26); extended *to* one and a half
    months they end 2026-02-20 in the Spring Festival, rolled to 02-24 — not 20 days + 1.5 months."""
    start, limit = date(2026, 1, 5), Period(20, Unit.DAYS)
    assert compute_deadline(start=start, period=limit, calendar=CAL).due == date(2026, 1, 26)
    extended = compute_deadline(start=start, period=limit, calendar=CAL,
                                extensions=[Extension(Period.parse("1m15d"), "院长批准", to=True)])
    assert (extended.unrolled_due, extended.due) == (date(2026, 2, 20), date(2026, 2, 24))
    assert "延长：延长至1个月15日（院长批准）" in extended.explanation
    # An extension "to" a shorter length never shortens the limit.
    same = compute_deadline(start=start, period=limit, calendar=CAL, extensions=[Extension(Period(10, Unit.DAYS), to=True)])
    assert same.due == date(2026, 1, 26)


def _facts(**overrides) -> ClockFacts:
    values = dict(node_type=SIMPLIFIED, node_court="440101", due_date=date(2026, 1, 26), approved_extensions=0,
                  change_count=0, kind=K.APPLICATION_KIND_EXTENSION, today=date(2026, 1, 20),
                  extension=Period.parse("1m15d"), materials=("审批表",))
    values.update(overrides)
    return ClockFacts(**values)


@pytest.mark.parametrize("node_type", [SIMPLIFIED, "trial_time_limit_criminal_converted_simplified"])
def test_the_shipped_rules_extend_criminal_simplified_to_one_and_a_half_months_criminal_procedure_law_220(node_type):
    step = time_limits.extension_step(RULES, _facts(node_type=node_type))
    assert step is not None and step.to == Period.parse("1m15d") and step.approver is Level.PRESIDENT
    assert time_limits.application_warnings(RULES, _facts(node_type=node_type)) == []
    # More than one and a half months is beyond what the law allows.
    codes = [w.code for w in time_limits.application_warnings(RULES, _facts(node_type=node_type,
                                                                             extension=Period(2, Unit.MONTHS)))]
    assert codes == ["EXCEEDS_RULES"]
    # Once extended, the law allows no more: a second approval does not move the limit.
    again = _facts(node_type=node_type, approved_extensions=1)
    assert time_limits.extension_step(RULES, again) is None
    assert time_limits.unextended(RULES, again, Level.PRESIDENT).code == "LIMIT_NOT_EXTENDED"


def test_a_to_step_must_be_longer_than_the_limit_and_not_beside_max(tmp_path):
    text = time_limits.DEFAULT_PATH.read_text(encoding="utf-8")
    for bad in ("{to: 15d, approver: president, lead_days: 0}", "{to: 1m15d, max: 10d, approver: president}"):
        path = tmp_path / "time_limits.yaml"
        path.write_text(text.replace("{to: 1m15d, approver: president, lead_days: 0}", bad, 1), encoding="utf-8")
        with pytest.raises(time_limits.TimeLimitRulesError, match="trial_time_limit_criminal_simplified.*to"):
            time_limits.load(catalog.load(), path)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2024, 1, 1), date(2026, 6, 30)), months=st.integers(1, 12), days=st.integers(1, 27))
def test_a_compound_period_ends_after_its_months_and_never_before_its_unrolled_end(start, months, days):
    compound = compute_deadline(start=start, period=Period(months, Unit.MONTHS, days), calendar=CAL)
    months_only = compute_deadline(start=start, period=Period(months, Unit.MONTHS), calendar=CAL)
    assert compound.unrolled_due == months_only.unrolled_due + timedelta(days=days)
    assert compound.due >= compound.unrolled_due and not CAL.is_rest_day(compound.due)


def test_the_command_line_takes_months_and_days_criminal_procedure_law_220(capsys):
    from runtime.cli import main

    assert main(["deadline", "--start", "2025-12-31", "--period", "1m15d", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["due"], result["unrolled_due"], result["period"]) == ("2026-02-24", "2026-02-15", "1m15d")
