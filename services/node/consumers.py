"""Bus handlers of the node service: case events complete and open nodes."""
from __future__ import annotations

from datetime import date

from courtflow.case.v1.case_events_pb2 import (CaseClosingRevoked, CaseEventRecorded, CaseFiled, CaseReceived,
                                              CaseUpdated)
from courtflow.case.v1.case_pb2 import (CASE_EVENT_TYPE_CLOSED, CASE_EVENT_TYPE_COMPLAINT_RECEIVED,
                                        CASE_EVENT_TYPE_FILED, Case)
from courtflow.gateway.v1.gateway_events_pb2 import UserChanged

from services.common.consumer import Subscription
from services.common.dates import event_date
from services.common.directory import upsert_person
from services.common.events import Event
from services.common.names import CaseName
from services.common.uow import UnitOfWork
from services.node import attributes, reassignment, reopening, repository, scheduling, service
from services.node.attributes import attributes_of
from services.node.calendars import CalendarStore
from services.node.catalog import Catalog, Trigger
from services.node.models import PersonRow
from services.node.people import case_team


def _anchors(case: Case, on: date, hearing: date | None = None) -> dict[str, date]:
    """What a rule may count from: the event's own date, the filing date once there is one, and
    the hearing date a HEARING_SCHEDULED names (a summons is due at the latest three days before
    it, catalog.DueBefore)."""
    anchors = {"event_date": on}
    if case.HasField("filing_date"):
        anchors["filing_date"] = event_date(case.filing_date)
    if hearing is not None:
        anchors["hearing_date"] = hearing
    return anchors


def case_subscription(*, catalog: Catalog, calendars: CalendarStore) -> Subscription:
    def open_for(uow: UnitOfWork, case: Case, trigger: Trigger, on: date, event: str = "",
                 hearing: date | None = None, period_days: int = 0) -> None:
        name = CaseName.parse(case.name, "case.name")
        attributes = attributes_of(case)
        if not catalog.opened_by(trigger, case_type=case.case_type, procedure=case.procedure, attributes=attributes):
            return  # most events open nothing: spare the override lookup
        service.open_nodes(uow, catalog=catalog, calendar=calendars.current(uow.session), trigger=trigger,
                           court=name.court, case_id=name.case_id, case_number=case.case_number,
                           case_type=case.case_type, procedure=case.procedure, department=case.department,
                           handler=case.handler, anchors=_anchors(case, on, hearing),
                           custody=case.custody, attributes=attributes,
                           overrides=repository.overrides_in(uow.session, name.court),
                           assistant=case.assistant, clerk=case.clerk, team=case_team(case), event=event,
                           period_days=period_days)

    def on_case_received(uow: UnitOfWork, event: Event) -> None:
        case = event.payload.case
        open_for(uow, case, (CASE_EVENT_TYPE_COMPLAINT_RECEIVED, ""), event_date(case.receive_date))
        reassignment.tell_registered_team(uow, case)

    def on_case_filed(uow: UnitOfWork, event: Event) -> None:
        case = event.payload.case
        open_for(uow, case, (CASE_EVENT_TYPE_FILED, ""), event_date(case.filing_date))
        reassignment.tell_registered_team(uow, case)

    def on_case_event(uow: UnitOfWork, event: Event) -> None:
        case, e = event.payload.case, event.payload.case_event
        trigger, on = (e.event_type, e.document), event_date(e.occur_date)
        # Completions first: an event that ends one step often starts the next (宣判 ends the trial
        # limit and starts the judgment-service period).
        case_id = CaseName.parse(case.name, "case.name").case_id
        posted = event_date(e.posted_date) if e.HasField("posted_date") else None
        service.complete_nodes(uow, catalog=catalog, case_id=case_id, trigger=trigger, on=on, event=e.name,
                               posted=posted)
        if e.event_type == CASE_EVENT_TYPE_CLOSED:
            service.check_at_closing(uow, catalog=catalog, case_id=case_id, on=on)
        hearing = event_date(e.hearing_date) if e.HasField("hearing_date") else None
        open_for(uow, case, trigger, on, e.name, hearing, e.period_days)
        scheduling.record_case_date(uow, event_id=event.id, case_id=case_id, event_type=e.event_type,
                                    document=e.document, occur=on, hearing=hearing, period_days=e.period_days,
                                    calendar=calendars.current(uow.session))

    def on_case_updated(uow: UnitOfWork, event: Event) -> None:
        e = event.payload
        calendar = calendars.current(uow.session)
        # Limits first (each withdrawn one's timers locked before it, as the sweeper locks them); one
        # they open takes the case's people and department as they are now.
        attributes.follow_attributes(uow, catalog=catalog, calendar=calendar, case=e.case, previous=e.previous,
                                     changed=list(e.changed_fields), reason=e.reason,
                                     effective_on=str(event_date(e.effective_date)))
        reassignment.follow_case_change(uow, catalog=catalog, calendar=calendar, case=e.case,
                                        previous=e.previous, changed=list(e.changed_fields),
                                        effective=str(event_date(e.effective_date)))

    def on_closing_revoked(uow: UnitOfWork, event: Event) -> None:
        e = event.payload
        reopening.revoke_closing(uow, case_id=CaseName.parse(e.case.name, "case.name").case_id,
                                 closing_event=e.closing_event, reason=e.reason)

    return Subscription(consumer="node", producer="case",
                        types=(CaseReceived, CaseFiled, CaseEventRecorded, CaseUpdated, CaseClosingRevoked),
                        handlers={CaseReceived: on_case_received, CaseFiled: on_case_filed,
                                  CaseEventRecorded: on_case_event, CaseUpdated: on_case_updated,
                                  CaseClosingRevoked: on_closing_revoked})


def org_subscription() -> Subscription:
    """The org directory's people, for nodes whose responsible is a role (people.py)."""
    def on_user_changed(uow: UnitOfWork, event: Event) -> None:
        upsert_person(uow.session, PersonRow, event.payload)

    return Subscription(consumer="node", producer="gateway", types=(UserChanged,),
                        handlers={UserChanged: on_user_changed})
