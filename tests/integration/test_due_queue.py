"""The due-queue against a real PostgreSQL: every (node, rung) fires once, also with two
processes sweeping the same backlog, and after downtime only what still matters is sent."""
from __future__ import annotations

import multiprocessing
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_DOCUMENT_SERVED, CASE_EVENT_TYPE_FILED
from courtflow.node.v1.node_events_pb2 import NodeOverdue, NodeWarned
from courtflow.node.v1.node_pb2 import NodeState

from conftest import new_database
from support import SLICE_CATALOG
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.migrate import upgrade
from services.common import uow as units
from services.node import catalog, service
from services.node.calendar import HolidayCalendar
from services.node.due_queue import sweep_batch
from services.node.models import MESSAGING, SCHEMA, NodeRow

pytestmark = pytest.mark.timeout(180)
MIGRATIONS = Path(service.__file__).parent / "migrations"
CIVIL, ORDINARY = 1, 1


def uow_factory(url: str, clock) -> callable:
    engine = create_engine(url, pool_size=4)
    return units.uow_factory(engine, producer="node", messaging=MESSAGING, clock=clock)


@pytest.fixture
def node_db(postgres) -> str:
    url = new_database(postgres, "dueq")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    return url


def open_case(uow, *, filed: date, n: int) -> None:
    service.open_nodes(uow, catalog=catalog.load(SLICE_CATALOG), calendar=HolidayCalendar.builtin(),
                       trigger=(CASE_EVENT_TYPE_FILED, ""), court="440101", case_id=uuid.uuid4(),
                       case_number=f"（2026）示0101民初{n}号", case_type=CIVIL, procedure=ORDINARY,
                       department="courts/440101/departments/440101-civil1", handler="users/judge.440101.civil1.1",
                       anchors={"event_date": filed, "filing_date": filed}, custody=False)


def events(url: str) -> list[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT aggregate_id, event_type FROM {SCHEMA}.outbox ORDER BY seq")).all()
    engine.dispose()
    return [(r[0], r[1].rsplit(".", 1)[1]) for r in rows if not r[1].endswith("NodeOpened")]


def _sweep_until_empty(url: str, now: datetime, counts, ready, go) -> None:
    factory = uow_factory(url, ManualClock(now))
    with factory() as uow:  # connect before the start line, so both sweepers start together
        uow.session.execute(select(1))
    ready.put(True)
    go.wait(60)
    total = 0
    while (n := sweep_batch(factory, batch=20)) > 0:
        total += n
    counts.put(total)


def test_two_sweeper_processes_fire_each_rung_once(node_db):
    at = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
    factory = uow_factory(node_db, ManualClock(at))
    cases = 400
    with factory() as uow:
        for i in range(cases):
            open_case(uow, filed=date(2026, 1, 5), n=i + 1)  # every node already past due
        uow.commit()
    ctx = multiprocessing.get_context("spawn")
    counts, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    workers = [ctx.Process(target=_sweep_until_empty, args=(node_db, at, counts, ready, go)) for _ in range(2)]
    for w in workers:
        w.start()
    for _ in workers:
        ready.get(timeout=60)
    go.set()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    claimed = [counts.get(timeout=5) for _ in workers]
    # Due now: the complaint-service node's rung and deadline (the six-month limit's are not), and
    # the escalation rung its going overdue armed: it is some 50 days overdue, past the 31st day.
    assert sum(claimed) == cases * 3 and all(c > 0 for c in claimed), claimed  # both swept, none twice
    fired = events(node_db)
    assert len(fired) == len(set(fired))
    # The complaint-service node is overdue (its warning skipped: overdue without warning) and
    # escalated once; the six-month limit is still running, so its three rungs have not come.
    assert sorted(kind for _, kind in fired) == ["NodeEscalated"] * cases + ["NodeOverdue"] * cases


def test_after_downtime_only_the_latest_warning_and_then_the_overdue(node_db):
    clock = ManualClock(datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ))
    factory = uow_factory(node_db, clock)
    with factory() as uow:
        open_case(uow, filed=date(2026, 3, 2), n=1)  # trial limit due 2026-09-02, rungs 15/7/3
        uow.commit()
    # Down from before the first rung until after the third: one warning, the 3-day one.
    clock.set(datetime(2026, 8, 31, 9, tzinfo=LEGAL_TZ))
    while sweep_batch(factory, batch=50):
        pass
    trial = [e for e in events(node_db) if e[0].endswith("/trial_time_limit")]
    assert trial == [(trial[0][0], "NodeWarned")]
    engine = create_engine(node_db)
    with engine.connect() as conn:
        outcomes = dict(conn.execute(text(
            f"SELECT t.rung, t.outcome FROM {SCHEMA}.due_timers t JOIN {SCHEMA}.nodes n ON n.id = t.node_id "
            "WHERE n.node_type = 'trial_time_limit'")).all())
        payload = conn.execute(text(f"SELECT payload FROM {SCHEMA}.outbox WHERE event_type LIKE '%NodeWarned' "
                                    "AND aggregate_id LIKE '%trial_time_limit'")).scalar_one()
    assert outcomes == {15: "skipped", 7: "skipped", 3: "warned", 0: None}
    from courtflow.common.v1.envelope_pb2 import EventEnvelope
    warned = NodeWarned()
    EventEnvelope.FromString(payload).payload.Unpack(warned)
    assert warned.rung_days == 3 and warned.days_remaining == 2
    # Past the deadline: overdue, after a warning.
    clock.set(datetime(2026, 9, 3, 0, 1, tzinfo=LEGAL_TZ))
    while sweep_batch(factory, batch=50):
        pass
    with engine.connect() as conn:
        payload = conn.execute(text(f"SELECT payload FROM {SCHEMA}.outbox WHERE event_type LIKE '%NodeOverdue' "
                                    "AND aggregate_id LIKE '%trial_time_limit'")).scalar_one()
        state = conn.execute(text(f"SELECT state FROM {SCHEMA}.nodes WHERE node_type = 'trial_time_limit'")).scalar_one()
    engine.dispose()
    overdue = NodeOverdue()
    EventEnvelope.FromString(payload).payload.Unpack(overdue)
    assert overdue.warned_before and overdue.days_overdue == 1 and state == NodeState.NODE_STATE_OVERDUE


def test_a_rung_is_not_early(node_db):
    clock = ManualClock(datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ))
    factory = uow_factory(node_db, clock)
    with factory() as uow:
        open_case(uow, filed=date(2026, 3, 2), n=1)  # complaint service due Monday 2026-03-09, rung 2 days
        uow.commit()
    clock.set(datetime(2026, 3, 6, 23, 59, tzinfo=LEGAL_TZ))  # one minute before the rung
    assert sweep_batch(factory, batch=50) == 0
    clock.set(datetime(2026, 3, 7, 0, 0, tzinfo=LEGAL_TZ))
    assert sweep_batch(factory, batch=50) == 1
    clock.set(datetime(2026, 3, 9, 23, 59, tzinfo=LEGAL_TZ))  # the whole last day belongs to the party
    assert sweep_batch(factory, batch=50) == 0
    clock.set(datetime(2026, 3, 10, 0, 0, tzinfo=LEGAL_TZ))
    assert sweep_batch(factory, batch=50) == 1


def _escalations(url: str) -> list[tuple[int, int]]:
    from courtflow.common.v1.envelope_pb2 import EventEnvelope
    from courtflow.node.v1.node_events_pb2 import NodeEscalated
    engine = create_engine(url)
    with engine.connect() as conn:
        payloads = conn.execute(text(f"SELECT payload FROM {SCHEMA}.outbox WHERE event_type LIKE '%NodeEscalated' "
                                     "ORDER BY seq")).scalars().all()
    engine.dispose()
    found = []
    for payload in payloads:
        e = NodeEscalated()
        EventEnvelope.FromString(payload).payload.Unpack(e)
        found.append((e.level, e.days_overdue))
    return found


def test_an_overdue_node_climbs_the_ladder_on_its_31st_and_91st_day(node_db):
    clock = ManualClock(datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ))
    factory = uow_factory(node_db, clock)
    with factory() as uow:
        open_case(uow, filed=date(2026, 3, 2), n=1)  # complaint service due Monday 2026-03-09
        uow.commit()
    clock.set(datetime(2026, 3, 10, 0, 0, tzinfo=LEGAL_TZ))  # first day overdue
    while sweep_batch(factory, batch=50):
        pass
    assert _escalations(node_db) == []
    clock.set(datetime(2026, 4, 8, 23, 59, tzinfo=LEGAL_TZ))  # 30th day overdue: not yet
    assert sweep_batch(factory, batch=50) == 0
    clock.set(datetime(2026, 4, 9, 0, 0, tzinfo=LEGAL_TZ))   # 31st day
    assert sweep_batch(factory, batch=50) == 1
    assert _escalations(node_db) == [(2, 31)]
    clock.set(datetime(2026, 6, 8, 0, 0, tzinfo=LEGAL_TZ))   # 91st day
    assert sweep_batch(factory, batch=50) == 1
    assert _escalations(node_db) == [(2, 31), (3, 91)]


def test_after_downtime_only_the_highest_escalation_and_none_once_completed(node_db):
    clock = ManualClock(datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ))
    factory = uow_factory(node_db, clock)
    with factory() as uow:
        open_case(uow, filed=date(2026, 3, 2), n=1)
        open_case(uow, filed=date(2026, 3, 2), n=2)
        uow.commit()
    clock.set(datetime(2026, 3, 10, 0, 0, tzinfo=LEGAL_TZ))
    while sweep_batch(factory, batch=50):
        pass
    with factory() as uow:  # the second case's complaint is served late: its ladder stops
        case_id = uow.session.scalar(select(NodeRow.case_id).where(
            NodeRow.case_number.like("%民初2号")).limit(1))
        service.complete_nodes(uow, catalog=catalog.load(SLICE_CATALOG), case_id=case_id,
                               trigger=(CASE_EVENT_TYPE_DOCUMENT_SERVED, "complaint_copy"), on=date(2026, 3, 20))
        uow.commit()
    clock.set(datetime(2026, 6, 20, 0, 0, tzinfo=LEGAL_TZ))  # down from day 1 to day 103 overdue
    while sweep_batch(factory, batch=50):
        pass
    assert _escalations(node_db) == [(3, 103)]
