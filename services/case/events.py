"""Events the case service publishes."""
from __future__ import annotations

from datetime import date

from courtflow.case.v1.case_events_pb2 import (CaseClosingRevoked, CaseEventRecorded, CaseFiled, CaseReceived,
                                              CaseUpdated)

from services.case.convert import case_event_to_proto, case_to_proto, from_date
from services.case.domain import Case


def case_filed(case: Case) -> CaseFiled:
    return CaseFiled(case=case_to_proto(case))


def case_received(case: Case) -> CaseReceived:
    return CaseReceived(case=case_to_proto(case))


def case_event_recorded(case: Case, event_row) -> CaseEventRecorded:
    return CaseEventRecorded(case=case_to_proto(case), case_event=case_event_to_proto(event_row))


def case_updated(case: Case, previous: Case, changed: list[str], reason: int, effective: date) -> CaseUpdated:
    return CaseUpdated(case=case_to_proto(case), previous=case_to_proto(previous), changed_fields=changed,
                       reason=reason, effective_date=from_date(effective))


def case_closing_revoked(case: Case, previous: Case, *, closing_event: str, reason: str,
                         corrector: str) -> CaseClosingRevoked:
    return CaseClosingRevoked(case=case_to_proto(case), previous=case_to_proto(previous), closing_event=closing_event,
                              reason=reason, corrector=corrector)
