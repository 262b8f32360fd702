"""The evidence period a hearing must follow is the one the court set in the evidence notice
(issue 15, item 14), through the node service's own consumer against a real PostgreSQL: a small
claims case whose notice set five days (民诉法解释第二百七十五条 allows at most seven) may be heard the
day after those five end, not after the procedure's usual seven; a notice without its days keeps
the procedure's figure (第九十九条: fifteen days in ordinary first instance). Real calendar: the
five days from Tuesday 2026-03-03 end on Sunday 03-08, rolled to Monday 03-09."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest

from courtflow.case.v1.case_events_pb2 import CaseEventRecorded, CaseFiled
from courtflow.case.v1.case_pb2 import (CASE_EVENT_TYPE_DOCUMENT_SERVED, Case, CaseEvent, CaseState, CaseType,
                                        Procedure)
from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel
from courtflow.common.v1.envelope_pb2 import EventEnvelope

from conftest import new_database
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.dates import from_date
from services.common.events import Event
from services.common.migrate import upgrade
from services.node import catalog, scheduling, time_limits
from services.node.calendars import CalendarStore
from services.node.consumers import case_subscription
from services.node.models import SCHEMA
from test_due_queue import MIGRATIONS, uow_factory

pytestmark = pytest.mark.timeout(120)
SHIPPED = catalog.load()
TM = Caller(user="users/trial_management.440101", role=Role.ROLE_TRIAL_MANAGEMENT, court="440101",
            scope=ScopeLevel.SCOPE_LEVEL_COURT, scope_prefix="440101")
FILED, SERVED = date(2026, 3, 2), date(2026, 3, 3)


@pytest.fixture
def factory(postgres):
    url = new_database(postgres, "evidence_period")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    return uow_factory(url, ManualClock(datetime(2026, 3, 5, 9, tzinfo=LEGAL_TZ)))


def case_served(factory, procedure: int, period_days: int) -> uuid.UUID:
    """A civil case filed on 03-02 whose evidence notice was served on 03-03, as the case service
    publishes them, handled by the node service's consumer."""
    case_id = uuid.uuid4()
    case = Case(name=f"courts/440101/cases/{case_id}", case_number="（2026）示0101民初7号", case_type=CaseType.CASE_TYPE_CIVIL,
                procedure=procedure, department="courts/440101/departments/440101-civil1",
                handler="users/judge.440101.civil1.1", state=CaseState.CASE_STATE_FILED, filing_date=from_date(FILED))
    notice = CaseEvent(name=f"{case.name}/events/{uuid.uuid4()}", event_type=CASE_EVENT_TYPE_DOCUMENT_SERVED,
                       document="evidence_notice", period_days=period_days, occur_date=from_date(SERVED))
    handlers = case_subscription(catalog=SHIPPED, calendars=CalendarStore()).handlers
    for payload in (CaseFiled(case=case), CaseEventRecorded(case=case, case_event=notice)):
        with factory() as uow:
            handlers[type(payload)](uow, Event(envelope=EventEnvelope(id=str(uuid.uuid4())), payload=payload,
                                               subject=""))
            uow.commit()
    return case_id


def evidence_end(factory, case_id: uuid.UUID, proposed: date) -> list[date]:
    violations, _ = scheduling.validate_hearing(
        factory, caller=TM, calendars=CalendarStore(), catalog=SHIPPED, rules=time_limits.load(SHIPPED),
        court="440101", case_id=case_id, proposed=proposed, notice_served=SERVED)
    return [v.against for v in violations if v.rule == "EVIDENCE_PERIOD"]


def test_the_hearing_follows_the_evidence_period_the_court_set_judicial_interpretation_275(factory):
    case_id = case_served(factory, Procedure.PROCEDURE_SMALL_CLAIMS, 5)
    assert evidence_end(factory, case_id, date(2026, 3, 9)) == [date(2026, 3, 9)]   # its last day: too early
    assert evidence_end(factory, case_id, date(2026, 3, 10)) == []                  # the day after: in time


def test_a_notice_without_its_days_keeps_the_procedures_period_judicial_interpretation_99(factory):
    # Fifteen days from 03-03 end 03-18, a Wednesday.
    case_id = case_served(factory, Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY, 0)
    assert evidence_end(factory, case_id, date(2026, 3, 18)) == [date(2026, 3, 18)]
    assert evidence_end(factory, case_id, date(2026, 3, 19)) == []
