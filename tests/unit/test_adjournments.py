"""Issue 15, item 14: 法释〔2018〕9号 (最高人民法院关于严格规范民商事案件延长审限和延期开庭问题的规定):
after an adjournment the next hearing is at most a month later (两次开庭间隔时间不得超过一个月), and a
civil case is adjourned at most twice in ordinary procedure, once in simplified and small-claims
procedure. Months count like a month period (民法典第二百零二条): from 01-31 the month ends 02-28."""
from __future__ import annotations

from datetime import date

import pytest

from services.node.calendar import HolidayCalendar
from services.node.hearing import HearingFacts, HearingRules, check_hearing
from services.node.scheduling import adjournment_cap

CAL = HolidayCalendar.builtin()
D = date.fromisoformat


def codes(proposed: str, adjourned: tuple[str, ...], cap: int | None = None, today: str = "2026-01-05") -> list[str]:
    facts = HearingFacts(proposed=D(proposed), today=D(today), answer_period_end=None, evidence_period_end=None,
                         notice_served=D(today), time_limit_end=None,
                         adjourned=tuple(D(a) for a in adjourned), max_adjournments=cap)
    return [v.rule for v in check_hearing(facts, HearingRules(), CAL) if v.rule.startswith("ADJOURNMENT")]


@pytest.mark.parametrize("proposed, adjourned, broken", [
    ("2026-02-27", ("2026-01-31",), False),
    ("2026-03-02", ("2026-01-31",), True),      # a month from 01-31 ends 02-28 (民法典 202)
    ("2026-03-16", ("2026-02-16",), False),     # the corresponding day itself
    ("2026-03-17", ("2026-02-16",), True),
    ("2026-04-20", ("2026-01-31", "2026-03-25"), False),   # counted from the latest adjournment
    ("2026-04-20", (), False),                  # never adjourned: no maximum
])
def test_the_next_hearing_is_within_a_month_of_the_adjournment_fashi_2018_9(proposed, adjourned, broken):
    assert codes(proposed, adjourned) == (["ADJOURNMENT_INTERVAL"] if broken else [])


@pytest.mark.parametrize("adjourned, cap, broken", [
    (("2026-01-10", "2026-01-20"), 2, False),               # ordinary procedure: twice
    (("2026-01-10", "2026-01-20", "2026-01-30"), 2, True),
    (("2026-01-10",), 1, False),                            # simplified, small claims: once
    (("2026-01-10", "2026-01-20"), 1, True),
    (("2026-01-10", "2026-01-20", "2026-01-30"), None, False),   # criminal, administrative: no cap
])
def test_a_civil_case_is_adjourned_at_most_twice_or_once_fashi_2018_9(adjourned, cap, broken):
    assert codes("2026-02-05", adjourned, cap) == (["ADJOURNMENT_LIMIT"] if broken else [])


@pytest.mark.parametrize("node_types, cap", [
    (("trial_time_limit", "serve_complaint_copy"), 2),
    (("trial_time_limit_civil_simplified",), 1),
    (("trial_time_limit_civil_small_claims",), 1),
    (("trial_time_limit_civil_simplified", "trial_time_limit_civil_converted_ordinary"), 2),  # converted
    (("trial_time_limit_criminal_first_instance",), None),
])
def test_the_cap_follows_the_procedure_fashi_2018_9(node_types, cap):
    assert adjournment_cap(node_types) == cap
