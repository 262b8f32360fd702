"""A consumer applies a fetched batch of case events in one transaction: an event that completes a
node opened by an earlier event of the same batch must find it, and a node opened twice in one
batch must not be opened twice (nodes are bulk-inserted at commit)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_FILED, CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED
from courtflow.node.v1.node_pb2 import NodeState

from conftest import new_database
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.migrate import upgrade
from services.node import catalog, service
from services.node.calendar import HolidayCalendar
from services.node.models import NodeRow, SCHEMA
from support import SLICE_CATALOG
from test_due_queue import MIGRATIONS, uow_factory

pytestmark = pytest.mark.timeout(120)
CIVIL, ORDINARY = 1, 1
CATALOG = catalog.load(SLICE_CATALOG)
FILED = date(2026, 3, 2)


@pytest.fixture
def node_db(postgres) -> str:
    url = new_database(postgres, "batches")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    return url


def open_for(uow, case_id: uuid.UUID, trigger, on: date) -> list[NodeRow]:
    return service.open_nodes(uow, catalog=CATALOG, calendar=HolidayCalendar.builtin(), trigger=trigger,
                              court="440101", case_id=case_id, case_number="（2026）示0101民初1号", case_type=CIVIL,
                              procedure=ORDINARY, department="courts/440101/departments/440101-civil1",
                              handler="users/judge.440101.civil1.1", anchors={"event_date": on, "filing_date": FILED},
                              custody=False)


def states(url: str, case_id: uuid.UUID) -> dict[str, int]:
    factory = uow_factory(url, ManualClock(datetime(2026, 3, 10, tzinfo=LEGAL_TZ)))
    with factory() as uow:
        return {n.node_id: n.state for n in uow.session.scalars(select(NodeRow).where(NodeRow.case_id == case_id))}


def test_an_event_completes_a_node_opened_earlier_in_the_same_batch(node_db):
    factory = uow_factory(node_db, ManualClock(datetime(2026, 3, 10, 9, tzinfo=LEGAL_TZ)))
    case_id = uuid.uuid4()
    with factory() as uow:
        open_for(uow, case_id, (CASE_EVENT_TYPE_FILED, ""), FILED)
        pronounced = (CASE_EVENT_TYPE_JUDGMENT_PRONOUNCED, "")
        completed = service.complete_nodes(uow, catalog=CATALOG, case_id=case_id, trigger=pronounced,
                                           on=date(2026, 3, 10))
        open_for(uow, case_id, pronounced, date(2026, 3, 10))
        uow.commit()
    assert [n.node_type for n in completed] == ["trial_time_limit"]
    assert states(node_db, case_id) == {"trial_time_limit": NodeState.NODE_STATE_COMPLETED,
                                        "serve_complaint_copy": NodeState.NODE_STATE_RUNNING,
                                        "serve_judgment": NodeState.NODE_STATE_RUNNING}


def test_a_node_opened_twice_in_one_batch_is_opened_once(node_db):
    factory = uow_factory(node_db, ManualClock(datetime(2026, 3, 2, 9, tzinfo=LEGAL_TZ)))
    case_id = uuid.uuid4()
    with factory() as uow:
        first = open_for(uow, case_id, (CASE_EVENT_TYPE_FILED, ""), FILED)
        again = open_for(uow, case_id, (CASE_EVENT_TYPE_FILED, ""), FILED)  # a duplicate push
        uow.commit()
    assert len(first) == 2 and again == []
    assert set(states(node_db, case_id)) == {"trial_time_limit", "serve_complaint_copy"}
