"""Hearing-date supervision (S5, DOMAIN §4) against the real 2025/2026 State Council schedules."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.node.calendar import HolidayCalendar, YearSchedule
from services.node.hearing import (
    RULES,
    HearingFacts,
    HearingRules,
    Violation,
    check_hearing,
)

CAL = HolidayCalendar.builtin()
D = date.fromisoformat
# A court that set the seven-day minimum between hearings (court policy; the law sets none).
RULES_DEFAULT = HearingRules(min_interval_days=7)


def facts(proposed: str, today: str = "2026-09-01", *, answer: str | None = None,
          evidence: str | None = None, served: str | None = "2026-09-01",
          limit: str | None = None, others: tuple[str, ...] = ()) -> HearingFacts:
    """Facts that break nothing but what the test sets (for proposed >= today + 3 days)."""
    def opt(s: str | None) -> date | None:
        return None if s is None else D(s)

    return HearingFacts(
        proposed=D(proposed), today=D(today), answer_period_end=opt(answer),
        evidence_period_end=opt(evidence), notice_served=opt(served), time_limit_end=opt(limit),
        other_hearings=tuple(D(o) for o in others),
    )


def check(f: HearingFacts, rules: HearingRules = RULES_DEFAULT,
          calendar: HolidayCalendar = CAL) -> list[Violation]:
    return check_hearing(f, rules, calendar)


def codes(f: HearingFacts, rules: HearingRules = RULES_DEFAULT,
          calendar: HolidayCalendar = CAL) -> list[str]:
    return [v.rule for v in check(f, rules, calendar)]


# -- a realistic clean case and a case breaking everything ----------------------------------------

def test_a_clean_proposal_over_national_day_2026():
    # Complaint served 09-14: answer period ends 09-29; evidence period set to end 10-09 (the
    # Friday after National Day); notice served 09-22; trial limit runs to 2027-02-28.
    f = facts("2026-10-12", "2026-09-21", answer="2026-09-29", evidence="2026-10-09",
              served="2026-09-22", limit="2027-02-28", others=("2026-09-28",))
    assert check(f) == []


def test_a_proposal_breaking_every_rule_reports_all_in_order():
    f = facts("2026-10-03", "2026-10-05", answer="2026-10-03", evidence="2026-10-09",
              served=None, limit="2026-09-30", others=("2026-10-01", "2026-09-28", "2026-10-01"))
    assert codes(f) == [
        "PAST_DATE", "ANSWER_PERIOD", "EVIDENCE_PERIOD", "NOTICE_PERIOD", "TIME_LIMIT",
        "HEARING_INTERVAL", "HEARING_INTERVAL", "REST_DAY",
    ]


def test_every_code_at_once_in_an_unknown_year():
    # 2027-01-02 is a Saturday; 2027 has no schedule, so both REST_DAY and the flag fire.
    f = facts("2027-01-02", "2027-01-05", answer="2027-01-02", evidence="2027-01-02",
              served="2027-01-01", limit="2027-01-01", others=("2027-01-03",))
    # ... and adjourned on 2026-11-20 and 2026-11-30 where the law allows once (法释〔2018〕9号).
    f = dataclasses.replace(f, adjourned=(D("2026-11-20"), D("2026-11-30")), max_adjournments=1)
    assert codes(f) == list(RULES)


def test_each_violation_names_its_field_and_conflicting_date():
    f = facts("2026-10-03", "2026-10-05", answer="2026-10-03", evidence="2026-10-09",
              served="2026-10-02", limit="2026-09-30", others=("2026-10-01",))
    got = [(v.rule, v.field, v.against) for v in check(f)]
    assert got == [
        ("PAST_DATE", "proposed", D("2026-10-05")),
        ("ANSWER_PERIOD", "answer_period_end", D("2026-10-03")),
        ("EVIDENCE_PERIOD", "evidence_period_end", D("2026-10-09")),
        ("NOTICE_PERIOD", "notice_served", D("2026-10-02")),
        ("TIME_LIMIT", "time_limit_end", D("2026-09-30")),
        ("HEARING_INTERVAL", "other_hearings", D("2026-10-01")),
        ("REST_DAY", "proposed", None),
    ]


# -- PAST_DATE ------------------------------------------------------------------------------------

@pytest.mark.parametrize("proposed,broken", [
    ("2026-09-10", False),  # the scheduling day itself
    ("2026-09-09", True),
    ("2026-09-11", False),
])
def test_past_date_boundary(proposed, broken):
    f = facts(proposed, "2026-09-10", served="2026-09-01")
    assert ("PAST_DATE" in codes(f)) is broken


# -- ANSWER_PERIOD / EVIDENCE_PERIOD --------------------------------------------------------------

@pytest.mark.parametrize("kw,rule", [("answer", "ANSWER_PERIOD"), ("evidence", "EVIDENCE_PERIOD")])
@pytest.mark.parametrize("proposed,broken", [
    ("2026-09-28", True),   # before the last day
    ("2026-09-29", True),   # on the last day: the period has not ended yet
    ("2026-09-30", False),  # the day after
])
def test_period_end_boundary(kw, rule, proposed, broken):
    f = facts(proposed, **{kw: "2026-09-29"})
    assert codes(f) == ([rule] if broken else [])


def test_none_skips_the_period_checks():
    assert codes(facts("2026-09-15", answer=None, evidence=None)) == []


def test_answer_period_message():
    [v] = check(facts("2026-09-28", answer="2026-09-29"))
    assert v.message == (
        "拟开庭日 2026-09-28 在答辩期届满日 2026-09-29 之前，开庭应在答辩期届满之后，"
        "最早可定于 2026-09-30（民事诉讼法：审理前的准备）"
    )
    [v] = check(facts("2026-09-29", evidence="2026-09-29"))
    assert v.message == (
        "拟开庭日 2026-09-29 即为举证期限届满日，开庭应在举证期限届满之后，"
        "最早可定于 2026-09-30（民诉法解释：举证期限）"
    )


# -- NOTICE_PERIOD --------------------------------------------------------------------------------

@pytest.mark.parametrize("served,proposed,broken", [
    ("2026-09-07", "2026-09-10", False),  # proposed − served == 3: served Monday, heard Thursday
    ("2026-09-07", "2026-09-09", True),   # == 2
    ("2026-09-07", "2026-09-07", True),   # same day
    ("2026-09-08", "2026-09-07", True),   # hearing before service
    ("2026-09-07", "2026-09-14", False),
    # Rest days inside the window are not skipped: served the Tuesday before National Day, a
    # hearing on holiday Friday 10-02 breaks REST_DAY, but its notice is long enough.
    ("2026-09-29", "2026-10-02", False),
])
def test_notice_boundary_when_served(served, proposed, broken):
    f = facts(proposed, "2026-09-07", served=served)
    assert ("NOTICE_PERIOD" in codes(f)) is broken


@pytest.mark.parametrize("proposed,broken", [
    ("2026-09-10", False),  # served today at the earliest: today + 3
    ("2026-09-09", True),
    ("2026-09-07", True),
])
def test_notice_not_served_yet_counts_from_today(proposed, broken):
    f = facts(proposed, "2026-09-07", served=None)
    assert ("NOTICE_PERIOD" in codes(f)) is broken


@pytest.mark.parametrize("notice_days,proposed,broken", [
    (0, "2026-09-07", False),
    (0, "2026-09-06", True),
    (5, "2026-09-12", False),  # a Saturday, so REST_DAY is off for this test
    (5, "2026-09-11", True),
])
def test_notice_days_is_configurable(notice_days, proposed, broken):
    rules = HearingRules(notice_days=notice_days, allow_rest_day=True)
    f = facts(proposed, "2026-09-01", served="2026-09-07")
    assert ("NOTICE_PERIOD" in codes(f, rules)) is broken


def test_notice_messages():
    [v] = check(facts("2026-09-09", "2026-09-07", served="2026-09-07"))
    assert v.message == (
        "传票于 2026-09-07 送达，拟开庭日 2026-09-09 距送达日仅2日，不足3日（送达当日不计入），"
        "最早可定于 2026-09-10（民事诉讼法：开庭审理，应当在开庭三日前通知当事人）"
    )
    [v] = check(facts("2026-09-07", "2026-09-07", served=None))
    assert v.against == D("2026-09-07")
    assert v.message.startswith("传票尚未送达，最早于排期日 2026-09-07 送达，拟开庭日 2026-09-07 不晚于送达日")
    assert "最早可定于 2026-09-10" in v.message


# -- TIME_LIMIT -----------------------------------------------------------------------------------

@pytest.mark.parametrize("proposed,broken", [
    ("2026-10-08", False),  # on the last day
    ("2026-10-09", True),
    ("2026-09-30", False),
])
def test_time_limit_boundary(proposed, broken):
    # Filing 2026-04-01 + 6 months ends 2026-10-01, rolled to 2026-10-08 (see test_periods).
    f = facts(proposed, limit="2026-10-08")
    assert codes(f) == (["TIME_LIMIT"] if broken else [])


# -- HEARING_INTERVAL -----------------------------------------------------------------------------

@pytest.mark.parametrize("other,broken", [
    ("2026-09-16", False),  # 7 days before
    ("2026-09-17", True),   # 6 days before
    ("2026-09-23", True),   # same date
    ("2026-09-29", True),   # 6 days after
    ("2026-09-30", False),  # 7 days after
])
def test_interval_boundary(other, broken):
    f = facts("2026-09-23", others=(other,))
    assert codes(f) == (["HEARING_INTERVAL"] if broken else [])


def test_interval_reports_each_offending_date_once_earliest_first():
    f = facts("2026-09-23", others=("2026-09-29", "2026-09-01", "2026-09-18", "2026-09-29",
                                    "2026-09-23"))
    got = [(v.rule, v.against) for v in check(f)]
    assert got == [("HEARING_INTERVAL", D(d)) for d in ("2026-09-18", "2026-09-23", "2026-09-29")]
    messages = [v.message for v in check(f)]
    assert messages[0] == (
        "拟开庭日 2026-09-23 与本案另一庭期 2026-09-18 仅相隔5日，少于最短间隔7日（法院管理规定）"
    )
    assert "与本案另一庭期 2026-09-23 为同一日" in messages[1]


@pytest.mark.parametrize("min_interval,other,broken", [
    (0, "2026-09-23", False),  # 0 switches the rule off, even for the same day
    (1, "2026-09-23", True),
    (1, "2026-09-22", False),
    (14, "2026-09-10", True),
    (14, "2026-09-09", False),
])
def test_interval_is_configurable(min_interval, other, broken):
    f = facts("2026-09-23", others=(other,))
    assert (codes(f, HearingRules(min_interval_days=min_interval)) != []) is broken


# -- REST_DAY around Mid-Autumn and National Day 2026 ---------------------------------------------

@pytest.mark.parametrize("proposed,rest", [
    ("2026-09-18", False),  # Friday
    ("2026-09-19", True),   # Saturday
    ("2026-09-20", False),  # Sunday, make-up working day
    ("2026-09-24", False),  # Thursday
    ("2026-09-25", True),   # Friday, Mid-Autumn
    ("2026-09-26", True),   # Saturday
    ("2026-09-27", True),   # Sunday
    ("2026-09-28", False),  # Monday
    ("2026-09-30", False),  # Wednesday
    ("2026-10-01", True),   # National Day
    ("2026-10-05", True),   # Monday, holiday
    ("2026-10-07", True),   # Wednesday, holiday
    ("2026-10-08", False),  # Thursday
    ("2026-10-10", False),  # Saturday, make-up working day
    ("2026-10-11", True),   # Sunday
    ("2026-10-12", False),  # Monday
])
def test_rest_day_around_national_day_2026(proposed, rest):
    f = facts(proposed)
    assert codes(f) == (["REST_DAY"] if rest else [])
    assert codes(f, HearingRules(allow_rest_day=True)) == []


def test_rest_day_message_names_the_weekday():
    [v] = check(facts("2026-10-05"))
    assert v.message == "拟开庭日 2026-10-05（星期一）为法定休假日，休息日开庭须经批准（法院管理规定）"


# -- a year with no holiday schedule (DOMAIN §1: flag, don't guess) -------------------------------

def test_unknown_year_weekday_is_flagged_not_guessed():
    f = facts("2027-01-04", "2026-12-01", served="2026-12-01")
    [v] = check(f)
    assert (v.rule, v.field) == ("CALENDAR_UNKNOWN", "proposed")
    assert v.message == (
        "2027年节假日安排未知，无法确认拟开庭日 2027-01-04 是否为法定休假日，请导入当年安排后复核"
    )
    assert codes(f, HearingRules(flag_unknown_calendar=False)) == []
    assert codes(f, HearingRules(allow_rest_day=True)) == []


def test_unknown_year_weekend_is_a_rest_day_with_a_caveat():
    [rest, flag] = check(facts("2027-01-02", "2026-12-01", served="2026-12-01"))
    assert (rest.rule, flag.rule) == ("REST_DAY", "CALENDAR_UNKNOWN")
    assert "2027年节假日安排未知，仅按周末判断" in rest.message


def test_imported_schedule_removes_the_flag_and_is_used():
    # Invented schedule: 2027-01-04 a holiday, Saturday 2027-01-09 a make-up working day.
    cal = CAL.with_year(YearSchedule(2027, holidays={D("2027-01-04")}, workdays={D("2027-01-09")}))
    base = {"today": "2026-12-01", "served": "2026-12-01"}
    assert codes(facts("2027-01-04", **base), calendar=cal) == ["REST_DAY"]
    assert codes(facts("2027-01-09", **base), calendar=cal) == []
    assert codes(facts("2027-01-05", **base), calendar=cal) == []


# -- input validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["notice_days", "min_interval_days"])
def test_negative_rule_values_raise_naming_the_field(name):
    with pytest.raises(ValueError, match=name):
        HearingRules(**{name: -1})
    with pytest.raises(ValueError, match=name):
        dataclasses.replace(HearingRules(), **{name: -5})


@pytest.mark.parametrize("value", [True, 1.5, "3", None])
def test_non_integer_rule_values_raise(value):
    with pytest.raises(TypeError, match="notice_days"):
        HearingRules(notice_days=value)


@pytest.mark.parametrize("name,value", [
    ("proposed", None),
    ("today", "2026-09-01"),
    ("proposed", datetime(2026, 9, 1, 9, 30)),
    ("notice_served", datetime(2026, 9, 1)),
])
def test_facts_reject_non_dates(name, value):
    with pytest.raises(TypeError, match=name):
        dataclasses.replace(facts("2026-09-10"), **{name: value})


def test_facts_reject_non_date_other_hearings_and_store_a_tuple():
    with pytest.raises(TypeError, match="other_hearings"):
        dataclasses.replace(facts("2026-09-10"), other_hearings=(D("2026-09-01"), "2026-09-02"))
    f = dataclasses.replace(facts("2026-09-10"), other_hearings=[D("2026-09-01")])
    assert f.other_hearings == (D("2026-09-01"),)
    hash(f)


def test_check_does_not_mutate_and_is_deterministic():
    f = facts("2026-10-03", "2026-10-05", served=None, others=("2026-10-01",))
    assert check(f) == check(f)
    assert f == facts("2026-10-03", "2026-10-05", served=None, others=("2026-10-01",))


# -- properties -----------------------------------------------------------------------------------

known_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
any_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
rules_st = st.builds(
    HearingRules,
    notice_days=st.integers(0, 20),
    min_interval_days=st.integers(0, 30),
    allow_rest_day=st.booleans(),
    flag_unknown_calendar=st.booleans(),
)


@st.composite
def facts_st(draw, days=any_days):
    maybe = st.none() | days
    return HearingFacts(
        proposed=draw(days), today=draw(days), answer_period_end=draw(maybe),
        evidence_period_end=draw(maybe), notice_served=draw(maybe), time_limit_end=draw(maybe),
        other_hearings=tuple(draw(st.lists(days, max_size=5))),
    )


@settings(max_examples=400, deadline=None)
@given(f=facts_st(), rules=rules_st)
def test_result_shape(f, rules):
    result = check_hearing(f, rules, CAL)
    assert len(set(result)) == len(result)  # no duplicates
    order = [RULES.index(v.rule) for v in result]  # raises for an unknown code
    assert order == sorted(order)
    assert all(f.proposed.isoformat() in v.message for v in result)
    assert all(v.field == "proposed" or hasattr(f, v.field) for v in result)
    # Only HEARING_INTERVAL can repeat, once per distinct offending date.
    singles = [v.rule for v in result if v.rule != "HEARING_INTERVAL"]
    assert len(singles) == len(set(singles))
    near = {o for o in f.other_hearings if abs((f.proposed - o).days) < rules.min_interval_days}
    assert {v.against for v in result if v.rule == "HEARING_INTERVAL"} == near
    assert sum(v.rule == "HEARING_INTERVAL" for v in result) == len(near)


@settings(max_examples=400, deadline=None)
@given(f=facts_st(), rules=rules_st)
def test_each_rule_matches_its_definition(f, rules):
    got = {v.rule for v in check_hearing(f, rules, CAL)}
    p = f.proposed
    served = f.notice_served or f.today
    expected = {
        "PAST_DATE": p < f.today,
        "ANSWER_PERIOD": f.answer_period_end is not None and p <= f.answer_period_end,
        "EVIDENCE_PERIOD": f.evidence_period_end is not None and p <= f.evidence_period_end,
        "NOTICE_PERIOD": (p - served).days < rules.notice_days,
        "TIME_LIMIT": f.time_limit_end is not None and p > f.time_limit_end,
        "HEARING_INTERVAL": any(
            abs((p - o).days) < rules.min_interval_days for o in f.other_hearings),
        "REST_DAY": not rules.allow_rest_day and CAL.is_rest_day(p),
        "CALENDAR_UNKNOWN": (not rules.allow_rest_day and rules.flag_unknown_calendar
                             and not CAL.is_known(p.year)),
    }
    assert got == {rule for rule, broken in expected.items() if broken}


# Rules that only say "not before X": once a date satisfies them, every later date does too.
EARLIEST_RULES = {"PAST_DATE", "ANSWER_PERIOD", "EVIDENCE_PERIOD", "NOTICE_PERIOD"}


@settings(max_examples=300, deadline=None)
@given(f=facts_st(known_days), rules=rules_st, later=st.integers(1, 120))
def test_moving_later_never_adds_an_earliest_rule_nor_removes_time_limit(f, rules, later):
    moved = dataclasses.replace(f, proposed=f.proposed + timedelta(days=later))
    before = {v.rule for v in check_hearing(f, rules, CAL)}
    after = {v.rule for v in check_hearing(moved, rules, CAL)}
    assert after & EARLIEST_RULES <= before & EARLIEST_RULES
    if "TIME_LIMIT" in before:
        assert "TIME_LIMIT" in after


@settings(max_examples=300, deadline=None)
@given(f=facts_st(known_days), rules=rules_st,
       name=st.sampled_from(["answer_period_end", "evidence_period_end", "time_limit_end"]))
def test_an_unknown_end_removes_only_its_own_rule(f, rules, name):
    rule = {"answer_period_end": "ANSWER_PERIOD", "evidence_period_end": "EVIDENCE_PERIOD",
            "time_limit_end": "TIME_LIMIT"}[name]
    full = check_hearing(f, rules, CAL)
    without = check_hearing(dataclasses.replace(f, **{name: None}), rules, CAL)
    assert without == [v for v in full if v.rule != rule]


@settings(max_examples=200, deadline=None)
@given(f=facts_st(known_days), rules=rules_st)
def test_not_served_is_the_same_as_served_today(f, rules):
    unserved = dataclasses.replace(f, notice_served=None)
    served_today = dataclasses.replace(f, notice_served=f.today)
    assert [v.rule for v in check_hearing(unserved, rules, CAL)] == [
        v.rule for v in check_hearing(served_today, rules, CAL)
    ]


@pytest.mark.parametrize("node_types, days", [
    (["trial_time_limit", "serve_complaint_copy"], 15),                 # 民诉法解释第九十九条: at least 15
    (["trial_time_limit_civil_simplified"], 15),                         # 第二百六十六条: at most 15
    (["serve_complaint_copy", "trial_time_limit_civil_small_claims"], 7),  # 第二百七十五条: at most 7
    (["trial_time_limit_civil_second_instance"], 10),                    # 第九十九条: new evidence on appeal
    ([], 15),
])
def test_the_evidence_period_follows_the_procedure_civil_interpretation_99_275(node_types, days):
    from services.node.periods import Period, Unit
    from services.node.scheduling import evidence_period

    assert evidence_period(node_types) == Period(days, Unit.DAYS)
