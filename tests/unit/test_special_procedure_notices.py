"""Issue 15, item 15: special procedure public notices (民事诉讼法特别程序): 宣告失踪 three months,
宣告死亡 one year, and the case decided within thirty days after the notice ends instead of thirty
days from filing. Real calendars: 2026-06-20 is a Saturday; 2026-10-01 is National Day."""
from __future__ import annotations

from datetime import date

import pytest

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

from services.node.calendar import HolidayCalendar
from services.node.catalog import load
from services.node.deadlines import for_rule

CAL = HolidayCalendar.builtin()
SHIPPED = load()
E = CaseEventType
SPECIAL = dict(case_type=CaseType.CASE_TYPE_CIVIL, procedure=Procedure.PROCEDURE_SPECIAL)


def opened(event: int, on: str) -> dict[str, date]:
    """The nodes the event opens in a civil special-procedure case, with their due dates."""
    return {r.code: for_rule(r, anchor=date.fromisoformat(on), calendar=CAL, held=False).due
            for r in SHIPPED.opened_by((event, ""), attributes={}, **SPECIAL)}


@pytest.mark.parametrize("event, on, code, due", [
    # 宣告失踪: three months from 2026-03-20 end 06-20, a Saturday → 06-22.
    (E.CASE_EVENT_TYPE_MISSING_PERSON_NOTICE_STARTED, "2026-03-20", "declaration_notice_missing_person", "2026-06-22"),
    # 宣告死亡: one year from 2025-10-01 ends 2026-10-01, National Day → 10-08.
    (E.CASE_EVENT_TYPE_DEATH_NOTICE_STARTED, "2025-10-01", "declaration_notice_death", "2026-10-08"),
    # The notice ended 2026-06-22: decided within thirty days, by 07-22 (a Wednesday).
    (E.CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED, "2026-06-22", "trial_time_limit_civil_special_after_notice", "2026-07-22"),
])
def test_notice_periods_and_thirty_days_after_civil_procedure_law_special_procedure(event, on, code, due):
    assert opened(event, on)[code] == date.fromisoformat(due)


@pytest.mark.parametrize("event", [E.CASE_EVENT_TYPE_MISSING_PERSON_NOTICE_STARTED,
                                   E.CASE_EVENT_TYPE_DEATH_NOTICE_STARTED, E.CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED])
def test_the_thirty_days_from_filing_stop_when_a_declaration_notice_starts(event):
    assert SHIPPED.rule("trial_time_limit_civil_special").completed_by_event((event, ""))


def test_a_declaration_notice_is_not_a_service_notice_deduction():
    """公告送达 (thirty days, deducted from a limit) opens on PUBLIC_NOTICE_STARTED only; a declaration
    notice is the special procedure's own period."""
    assert "public_notice_period" not in opened(E.CASE_EVENT_TYPE_MISSING_PERSON_NOTICE_STARTED, "2026-03-20")
