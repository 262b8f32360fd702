"""A revoked closing in the node service, against a real PostgreSQL (issue 18): exactly the nodes
the CLOSED event completed run again on their old clocks, in a new generation, and a warning
given before the closing still counts when they go overdue; the nodes the closing opened are
withdrawn, and a later closing opens their rule anew."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, select, text

from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_CLOSED, CASE_EVENT_TYPE_FILED
from courtflow.common.v1.envelope_pb2 import EventEnvelope
from courtflow.node.v1.node_events_pb2 import NodeOverdue
from courtflow.node.v1.node_pb2 import NodeState

from conftest import new_database
from support import SLICE_CATALOG
from services.common import uow as units
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.migrate import upgrade
from services.node import catalog, reopening, service
from services.node.calendar import HolidayCalendar
from services.node.due_queue import sweep_batch
from services.node.models import MESSAGING, SCHEMA, NodeRow

pytestmark = pytest.mark.timeout(180)
MIGRATIONS = Path(service.__file__).parent / "migrations"
CASE = uuid.uuid4()
CLOSING, CLOSING_AGAIN = (f"courts/440101/cases/{CASE}/events/{uuid.uuid4()}" for _ in range(2))


@pytest.fixture
def node_db(postgres) -> str:
    url = new_database(postgres, "revoked_closing")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    return url


@pytest.fixture
def rules(tmp_path) -> catalog.Catalog:
    """The tests' slice, with the judgment's service opened by closing (as 归档 is in the shipped one)."""
    data = yaml.safe_load(SLICE_CATALOG.read_text(encoding="utf-8"))
    for node in data["nodes"]:
        if node["code"] == "serve_judgment":
            node["opened_by"] = {"event": "CLOSED"}
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return catalog.load(path)


def open_for(uow, rules, trigger, on: date, event: str = "") -> None:
    service.open_nodes(uow, catalog=rules, calendar=HolidayCalendar.builtin(), trigger=trigger, court="440101",
                       case_id=CASE, case_number="（2026）示0101民初1号", case_type=1, procedure=1,
                       department="courts/440101/departments/440101-civil1", handler="users/judge.440101.civil1.1",
                       anchors={"event_date": on, "filing_date": date(2026, 3, 2)}, custody=False, event=event)


def close(factory, rules, on: date, event: str) -> None:
    with factory() as uow:
        service.complete_nodes(uow, catalog=rules, case_id=CASE, trigger=(CASE_EVENT_TYPE_CLOSED, ""), on=on,
                               event=event)
        open_for(uow, rules, (CASE_EVENT_TYPE_CLOSED, ""), on, event)
        uow.commit()


def nodes(factory) -> dict[str, NodeRow]:
    with factory() as uow:
        rows = uow.session.scalars(select(NodeRow).where(NodeRow.case_id == CASE)).all()
        uow.session.expunge_all()
    return {r.node_id: r for r in rows}


def sweep(factory) -> None:
    while sweep_batch(factory, batch=50):
        pass


def test_a_revoked_closing_reopens_what_it_completed_and_withdraws_what_it_opened(node_db, rules):
    clock = ManualClock(datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ))
    engine = create_engine(node_db, pool_size=2)
    factory = units.uow_factory(engine, producer="node", messaging=MESSAGING, clock=clock)
    with factory() as uow:
        open_for(uow, rules, (CASE_EVENT_TYPE_FILED, ""), date(2026, 3, 2))
        uow.commit()
    # The complaint copy (due Mon 03-09) warns on 03-07; the case is closed by mistake on 03-08.
    clock.set(datetime(2026, 3, 8, 9, tzinfo=LEGAL_TZ))
    sweep(factory)
    close(factory, rules, date(2026, 3, 8), CLOSING)
    closed = nodes(factory)
    assert {k: n.state for k, n in closed.items()} == {
        "serve_complaint_copy": NodeState.NODE_STATE_COMPLETED, "trial_time_limit": NodeState.NODE_STATE_COMPLETED,
        "serve_judgment": NodeState.NODE_STATE_RUNNING}

    # Corrected on 03-12, past the complaint copy's deadline.
    clock.set(datetime(2026, 3, 12, 9, tzinfo=LEGAL_TZ))
    with factory() as uow:
        reopened, withdrawn = reopening.revoke_closing(uow, case_id=CASE, closing_event=CLOSING, reason="误录结案")
        uow.commit()
    assert sorted(n.node_id for n in reopened) == ["serve_complaint_copy", "trial_time_limit"]
    assert [n.node_id for n in withdrawn] == ["serve_judgment"]
    with factory() as uow:   # a redelivered correction finds nothing more to do
        assert reopening.revoke_closing(uow, case_id=CASE, closing_event=CLOSING, reason="误录结案") == ([], [])
    sweep(factory)
    after = nodes(factory)
    for code in ("serve_complaint_copy", "trial_time_limit"):
        assert after[code].due_date == closed[code].due_date                    # not an extension
        assert after[code].clock_generation == closed[code].clock_generation + 1
        assert after[code].complete_time is None and after[code].completed_by is None
    assert after["serve_complaint_copy"].state == NodeState.NODE_STATE_OVERDUE
    assert after["trial_time_limit"].state == NodeState.NODE_STATE_RUNNING
    assert after["serve_judgment"].state == NodeState.NODE_STATE_COMPLETED and after["serve_judgment"].withdrawn
    with engine.connect() as conn:
        payload = conn.execute(text(f"SELECT payload FROM {SCHEMA}.outbox WHERE event_type LIKE '%NodeOverdue' "
                                    "AND aggregate_id LIKE '%serve_complaint_copy'")).scalar_one()
        pending = conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.due_timers WHERE node_id = :id "
                                    "AND fired_at IS NULL"), {"id": after["serve_judgment"].id}).scalar_one()
    overdue = NodeOverdue()
    EventEnvelope.FromString(payload).payload.Unpack(overdue)
    # Warned on 03-07, before the closing: overdue after a warning, not 超期未预警.
    assert overdue.warned_before and overdue.days_overdue == 3
    assert pending == 0   # the withdrawn node reminds nobody

    # Closed for real on 03-20: the reopened nodes complete, the closing's node opens anew.
    clock.set(datetime(2026, 3, 20, 9, tzinfo=LEGAL_TZ))
    close(factory, rules, date(2026, 3, 20), CLOSING_AGAIN)
    final = nodes(factory)
    assert final["serve_judgment-2"].anchor_date == date(2026, 3, 20) and not final["serve_judgment-2"].withdrawn
    assert final["serve_judgment-2"].opened_by == CLOSING_AGAIN
    assert {final[c].completed_by for c in ("serve_complaint_copy", "trial_time_limit")} == {CLOSING_AGAIN}
    engine.dispose()
