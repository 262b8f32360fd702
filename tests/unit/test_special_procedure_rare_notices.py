"""Issue 15, item 15, the rarer notices of the special and 公示催告 procedures, on the real calendars
(2026-10-01..07 National Day, 2026-02-15..23 Spring Festival with 02-14 and 02-28 worked):

- 宣告死亡 after an accident, certified that survival is impossible: three months, not a year
  (民事诉讼法第一百九十二条);
- 认定财产无主: one year of 财产认领公告 (民事诉讼法第二百零二条);
- 公示催告: the period the court set, not less than sixty days (民事诉讼法公示催告程序), ending not
  earlier than fifteen days after the bill's payment date (民诉法解释公示催告程序, 2022年修正) — the
  case service refuses a period outside them;
- each stops the thirty days from filing; the thirty days then run from the notice's end."""
from __future__ import annotations

from datetime import date

import pytest

from courtflow.case.v1.case_pb2 import CaseEventType, CaseType, Procedure

from services.case.domain import check_court_period
from services.common.errors import InvalidArgument
from services.node.calendar import HolidayCalendar
from services.node.catalog import load
from services.node.deadlines import for_rule

CAL = HolidayCalendar.builtin()
SHIPPED = load()
E = CaseEventType
SPECIAL = dict(case_type=CaseType.CASE_TYPE_CIVIL, procedure=Procedure.PROCEDURE_SPECIAL)
D = date.fromisoformat


def opened(event: int, on: str, period_days: int = 0) -> dict[str, date]:
    """The nodes the event opens in a civil special-procedure case, with their due dates."""
    return {r.code: for_rule(r.with_court_period(period_days), anchor=D(on), calendar=CAL, held=False).due
            for r in SHIPPED.opened_by((event, ""), attributes={}, **SPECIAL)}


@pytest.mark.parametrize("event, on, days, code, due", [
    # 民事诉讼法第一百九十二条: three months from 07-01 end 10-01, National Day → 10-08.
    (E.CASE_EVENT_TYPE_ACCIDENT_DEATH_NOTICE_STARTED, "2026-07-01", 0, "declaration_notice_death_accident",
     "2026-10-08"),
    # 民事诉讼法第二百零二条: one year from 2025-02-17 ends 2026-02-17, Spring Festival → 02-24.
    (E.CASE_EVENT_TYPE_PROPERTY_CLAIM_NOTICE_STARTED, "2025-02-17", 0, "ownerless_property_notice", "2026-02-24"),
    # 公示催告, sixty days (the least) from 2025-12-20 end 2026-02-18, Spring Festival → 02-24.
    (E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED, "2025-12-20", 60, "public_summons_period", "2026-02-24"),
    # ... ninety days the court set from 07-03 end 10-01, National Day → 10-08.
    (E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED, "2026-07-03", 90, "public_summons_period", "2026-10-08"),
    # ... none given: the law's least, sixty days from 2026-01-01 → 03-02 (a Monday).
    (E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED, "2026-01-01", 0, "public_summons_period", "2026-03-02"),
])
def test_rare_notice_periods_civil_procedure_law_192_202_and_public_summons(event, on, days, code, due):
    assert opened(event, on, days) == {code: D(due)}


@pytest.mark.parametrize("event", [E.CASE_EVENT_TYPE_ACCIDENT_DEATH_NOTICE_STARTED,
                                   E.CASE_EVENT_TYPE_PROPERTY_CLAIM_NOTICE_STARTED,
                                   E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED])
def test_the_notice_stops_the_thirty_days_from_filing_special_procedure(event):
    """民事诉讼法特别程序: 立案之日起三十日内或者公告期满后三十日内审结; the notice's end opens the latter."""
    assert SHIPPED.rule("trial_time_limit_civil_special").completed_by_event((event, ""))
    for code in ("declaration_notice_death_accident", "ownerless_property_notice", "public_summons_period"):
        assert SHIPPED.rule(code).completed_by_event((E.CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED, ""))
    assert "trial_time_limit_civil_special_after_notice" in opened(E.CASE_EVENT_TYPE_PUBLIC_NOTICE_ENDED, "2026-10-08")


def check(event: int, days: int, payment: str | None = None, document: str = "",
          procedure: int = Procedure.PROCEDURE_SPECIAL, on: str = "2026-03-02") -> None:
    check_court_period(event_type=event, document=document, case_type=CaseType.CASE_TYPE_CIVIL, procedure=procedure,
                       occur_date=D(on), period_days=days, bill_payment_date=D(payment) if payment else None)


@pytest.mark.parametrize("days, payment, words", [
    (59, None, "公示催告期间为 59 日，不得少于六十日"),
    (0, None, "公示催告期间未填写，不得少于六十日"),
    # Payment 04-20: the period must end on 05-05 or later; sixty days from 03-02 end 05-01.
    (60, "2026-04-20", "公示催告期间至 2026-05-01 届满，早于票据付款日 2026-04-20 后十五日（2026-05-05），至少应为 64 日"),
])
def test_a_public_summons_period_too_short_is_refused_judicial_interpretation_public_summons(days, payment, words):
    with pytest.raises(InvalidArgument) as refused:
        check(E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED, days, payment)
    (violation,) = refused.value.violations
    assert violation.field == "case_event.period_days" and words in violation.description


@pytest.mark.parametrize("days, payment", [(60, None), (64, "2026-04-20"), (90, "2026-01-10")])
def test_a_lawful_public_summons_period_is_accepted(days, payment):
    check(E.CASE_EVENT_TYPE_PUBLIC_SUMMONS_STARTED, days, payment)


@pytest.mark.parametrize("procedure, days, refused", [
    (Procedure.PROCEDURE_SMALL_CLAIMS, 7, False),
    (Procedure.PROCEDURE_SMALL_CLAIMS, 8, True),          # 民诉法解释第二百七十五条: 一般不超过七日
    (Procedure.PROCEDURE_SIMPLIFIED, 15, False),
    (Procedure.PROCEDURE_SIMPLIFIED, 16, True),           # 第二百六十六条: 不得超过十五日
    (Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, 30, False),
    # 第九十九条's floors bind the court's own setting; a shorter period the parties agreed and the
    # court approved (第九十九条第一款) is lawful and cannot be told apart: taken as given.
    (Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, 10, False),
    (Procedure.PROCEDURE_SECOND_INSTANCE, 7, False),
])
def test_the_evidence_period_the_court_set_is_bounded_by_procedure_judicial_interpretation_266_275(
        procedure, days, refused):
    if refused:
        with pytest.raises(InvalidArgument) as info:
            check(E.CASE_EVENT_TYPE_DOCUMENT_SERVED, days, document="evidence_notice", procedure=procedure)
        assert info.value.violations[0].field == "case_event.period_days"
        assert f"举证期限 {days} 日超过" in info.value.violations[0].description
    else:
        check(E.CASE_EVENT_TYPE_DOCUMENT_SERVED, days, document="evidence_notice", procedure=procedure)


@pytest.mark.parametrize("event, document, days, payment, field", [
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "complaint_copy", 15, None, "case_event.period_days"),
    (E.CASE_EVENT_TYPE_DEATH_NOTICE_STARTED, "", 90, None, "case_event.period_days"),
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "evidence_notice", 15, "2026-04-20", "case_event.bill_payment_date"),
])
def test_the_fields_belong_to_their_events(event, document, days, payment, field):
    with pytest.raises(InvalidArgument) as refused:
        check(event, days, payment, document=document)
    assert refused.value.violations[0].field == field
