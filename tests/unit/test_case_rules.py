"""Registration rules of the case service: filing and receipt dates (R1, S1)."""
from __future__ import annotations

from datetime import date

import pytest

from services.case.domain import NewCase, Party, check_event_date, check_new_case
from services.common.errors import InvalidArgument

TODAY = date(2026, 12, 14)


def new(**overrides) -> NewCase:
    values = dict(court="440101", case_number="（2026）示0101民初1号", case_type=1, procedure=1, cause="借款合同纠纷",
                  parties=(Party(1, "张三"),), department="courts/440101/departments/440101-civil1",
                  handler="users/judge", filing_date=date(2026, 12, 10), receive_date=date(2026, 12, 7),
                  custody=False, request_id="r1")
    values.update(overrides)
    return NewCase(**values)


def field_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.violations[0].field


def test_received_and_filed_cases_are_accepted():
    check_new_case(new(), today=TODAY)
    check_new_case(new(filing_date=None), today=TODAY)          # registered at receipt
    check_new_case(new(receive_date=None), today=TODAY)         # receipt defaults to filing


@pytest.mark.parametrize("overrides, field", [
    (dict(filing_date=None, receive_date=None), "case.filing_date"),
    (dict(receive_date=date(2026, 12, 11)), "case.receive_date"),           # received after filing
    (dict(filing_date=None, receive_date=date(2026, 12, 15)), "case.receive_date"),  # in the future
    (dict(filing_date=None, receive_date=date(2025, 12, 30)), "case.case_number"),   # number's year
])
def test_bad_dates_name_the_field(overrides, field):
    with pytest.raises(InvalidArgument) as exc:
        check_new_case(new(**overrides), today=TODAY)
    assert field_of(exc) == field


def test_events_may_not_precede_receipt_nor_follow_today():
    check_event_date(date(2026, 12, 7), receive_date=date(2026, 12, 7), today=TODAY)
    for occur in (date(2026, 12, 6), date(2026, 12, 15)):
        with pytest.raises(InvalidArgument) as exc:
            check_event_date(occur, receive_date=date(2026, 12, 7), today=TODAY)
        assert field_of(exc) == "case_event.occur_date"
