"""A case's state and key dates through its events, and what may follow its closing (issue 18, item 0)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from courtflow.case.v1.case_pb2 import CaseEventType as E, CaseState as S

from services.case.lifecycle import apply_event, check_allowed, describe_revocation, revoke_closing
from services.common.errors import FailedPrecondition

NOW = datetime(2026, 9, 1, 2, tzinfo=timezone.utc)


def case(state=S.CASE_STATE_FILED, **dates):
    values = dict(judgment_date=None, effective_date=None, close_date=None, archive_date=None, filing_date=None)
    return SimpleNamespace(state=state, update_time=None, **{**values, **dates})


def test_key_dates_and_states_follow_the_events():
    c = case()
    apply_event(c, E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, date(2026, 8, 3), now=NOW)
    apply_event(c, E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, date(2026, 8, 9), now=NOW)   # the first one counts
    apply_event(c, E.CASE_EVENT_TYPE_CLOSED, date(2026, 8, 10), now=NOW)
    assert (c.judgment_date, c.close_date, c.state) == (date(2026, 8, 3), date(2026, 8, 10), S.CASE_STATE_CLOSED)
    apply_event(c, E.CASE_EVENT_TYPE_EFFECTIVE, date(2026, 8, 26), now=NOW)
    apply_event(c, E.CASE_EVENT_TYPE_ARCHIVED, date(2026, 9, 20), now=NOW)
    assert (c.effective_date, c.archive_date, c.state) == (date(2026, 8, 26), date(2026, 9, 20), S.CASE_STATE_ARCHIVED)
    assert c.update_time == NOW


def test_filing_decisions_on_a_received_case():
    received = case(S.CASE_STATE_RECEIVED)
    assert apply_event(received, E.CASE_EVENT_TYPE_FILING_APPROVED, date(2026, 3, 9), now=NOW)
    assert (received.state, received.filing_date) == (S.CASE_STATE_FILED, date(2026, 3, 9))
    rejected = case(S.CASE_STATE_RECEIVED)
    assert not apply_event(rejected, E.CASE_EVENT_TYPE_FILING_REJECTED, date(2026, 3, 9), now=NOW)
    assert rejected.state == S.CASE_STATE_NOT_FILED


@pytest.mark.parametrize("event_type, document", [
    (E.CASE_EVENT_TYPE_HEARING_SCHEDULED, ""), (E.CASE_EVENT_TYPE_PANEL_FORMED, ""),
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "hearing_notice"), (E.CASE_EVENT_TYPE_CLOSED, ""),
    (E.CASE_EVENT_TYPE_SUSPENDED, ""), (E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, ""),
])
def test_the_trial_is_over_once_closed(event_type, document):
    for state in (S.CASE_STATE_CLOSED, S.CASE_STATE_ARCHIVED):
        with pytest.raises(FailedPrecondition) as refused:
            check_allowed(case(state, close_date=date(2026, 8, 10)), event_type, document)
        assert refused.value.reason == "CASE_CLOSED" and "2026-08-10" in refused.value.message
    check_allowed(case(), event_type, document)   # before closing: as usual


@pytest.mark.parametrize("event_type, document", [
    (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "judgment"), (E.CASE_EVENT_TYPE_DOCUMENT_SERVED, "ruling"),
    (E.CASE_EVENT_TYPE_APPEALED, ""), (E.CASE_EVENT_TYPE_EFFECTIVE, ""), (E.CASE_EVENT_TYPE_TRANSFERRED, ""),
    (E.CASE_EVENT_TYPE_JUDGMENT_PUBLISHED_ONLINE, ""), (E.CASE_EVENT_TYPE_DELIVERED_FOR_EXECUTION, ""),
    (E.CASE_EVENT_TYPE_ARCHIVED, ""), (E.CASE_EVENT_TYPE_PETITION_RECEIVED, ""),
])
def test_what_belongs_after_closing_is_accepted(event_type, document):
    check_allowed(case(S.CASE_STATE_CLOSED, close_date=date(2026, 8, 10)), event_type, document)


def test_archived_only_once_and_only_after_closing():
    with pytest.raises(FailedPrecondition) as open_case:
        check_allowed(case(), E.CASE_EVENT_TYPE_ARCHIVED, "")
    assert open_case.value.reason == "CASE_NOT_CLOSED"
    with pytest.raises(FailedPrecondition) as twice:
        check_allowed(case(S.CASE_STATE_ARCHIVED, archive_date=date(2026, 9, 20)), E.CASE_EVENT_TYPE_ARCHIVED, "")
    assert twice.value.reason == "CASE_ARCHIVED"


def test_a_revoked_closing_returns_the_case_to_its_state_before_without_its_closing_date():
    """RevokeCaseClosing (issue 18): FILED again (RECEIVED if never filed); the other dates stand."""
    c = case(filing_date=date(2026, 3, 2))
    apply_event(c, E.CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, date(2026, 8, 3), now=NOW)
    apply_event(c, E.CASE_EVENT_TYPE_CLOSED, date(2026, 8, 10), now=NOW)
    before = revoke_closing(c, now=NOW)
    assert (c.state, c.close_date, c.judgment_date) == (S.CASE_STATE_FILED, None, date(2026, 8, 3))
    assert before == {"state": S.CASE_STATE_CLOSED, "close_date": date(2026, 8, 10)}
    text = describe_revocation(before, c, reason="误点结案", closing_event="courts/440101/cases/x/events/y")
    assert "状态：已结案 → 已立案" in text and "结案日期：2026-08-10 → 无" in text and "原因：误点结案" in text
    received = case(state=S.CASE_STATE_CLOSED, close_date=date(2026, 8, 10))
    revoke_closing(received, now=NOW)
    assert received.state == S.CASE_STATE_RECEIVED


@pytest.mark.parametrize("state, reason", [(S.CASE_STATE_FILED, "CASE_NOT_CLOSED"),
                                           (S.CASE_STATE_RECEIVED, "CASE_NOT_CLOSED"),
                                           (S.CASE_STATE_ARCHIVED, "CASE_ARCHIVED")])
def test_only_a_closed_case_has_a_closing_to_revoke(state, reason):
    c = case(state=state, close_date=date(2026, 8, 10) if state == S.CASE_STATE_ARCHIVED else None,
             archive_date=date(2026, 9, 1) if state == S.CASE_STATE_ARCHIVED else None)
    with pytest.raises(FailedPrecondition) as refused:
        revoke_closing(c, now=NOW)
    assert refused.value.reason == reason
    assert c.state == state
