"""Bus handlers of the node service: case events open and complete nodes."""
from __future__ import annotations

import uuid
from datetime import date

from courtflow.case.v1.case_events_pb2 import CaseEventRecorded, CaseFiled

from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork
from services.node import service
from services.node.calendars import CalendarStore
from services.node.catalog import Catalog


def case_subscription(*, catalog: Catalog, calendars: CalendarStore) -> Subscription:
    def on_case_filed(uow: UnitOfWork, event: Event) -> None:
        case = event.payload.case
        _, court, _, case_id = case.name.split("/")
        filing = date(case.filing_date.year, case.filing_date.month, case.filing_date.day)
        service.open_nodes(uow, catalog=catalog, calendar=calendars.current(uow.session),
                           event_type=event.envelope.type, court=court,
                           case_id=uuid.UUID(case_id), case_number=case.case_number, case_type=case.case_type,
                           procedure=case.procedure, department=case.department, handler=case.handler,
                           anchors={"filing_date": filing}, custody=case.custody)

    def on_case_event(uow: UnitOfWork, event: Event) -> None:
        e = event.payload.case_event
        _, _, _, case_id = event.payload.case.name.split("/")
        service.complete_nodes(uow, catalog=catalog, case_id=uuid.UUID(case_id), event_type=e.event_type,
                               document=e.document, on=date(e.occur_date.year, e.occur_date.month, e.occur_date.day))

    return Subscription(consumer="node", producer="case", types=(CaseFiled, CaseEventRecorded),
                        handlers={CaseFiled: on_case_filed, CaseEventRecorded: on_case_event})
