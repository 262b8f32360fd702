"""Events the case service publishes."""
from __future__ import annotations

from courtflow.case.v1.case_events_pb2 import CaseFiled

from services.case.convert import case_to_proto
from services.case.domain import Case


def case_filed(case: Case) -> CaseFiled:
    return CaseFiled(case=case_to_proto(case))
