"""The alert service's writes against a real PostgreSQL: a batch's reminders go in together, each
reader is told once, one event tells the bus per reminder, and the in-memory directory follows
every change to the directory tables from the next transaction on."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from courtflow.alert.v1.alert_events_pb2 import ReminderDelivered
from courtflow.alert.v1.alert_pb2 import ReminderKind
from courtflow.common.v1.envelope_pb2 import EventEnvelope
from courtflow.node.v1.node_events_pb2 import NodeUnlocked
from courtflow.node.v1.node_pb2 import Node

from conftest import new_database
from services.alert import recipients, service, templates
from services.alert.consumers import Reminders
from services.alert.models import MESSAGING, SCHEMA, MessageRow, RecipientRow, SmsDeliveryRow
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.events import Event
from services.common.migrate import upgrade
from services.common.uow import UnitOfWork, uow_factory

pytestmark = pytest.mark.timeout(120)
MIGRATIONS = Path(service.__file__).parent / "migrations"
CIVIL = "courts/440101/departments/440101-civil1"
JUDGE, HEAD, CLERK = "users/judge.440101.civil1.1", "users/head.440101.civil1", "users/clerk.440101.civil1.1"


@pytest.fixture
def alerts(postgres):
    url = new_database(postgres, "alertwrites")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url, pool_size=2)
    clock = ManualClock(datetime(2026, 9, 3, 9, tzinfo=LEGAL_TZ))
    factory = uow_factory(engine, producer="alert", messaging=MESSAGING, clock=clock)
    with factory() as uow:
        for user, name, role in ((JUDGE, "张法官", 1), (HEAD, "王庭长", 4), (CLERK, "李书记员", 2)):
            uow.session.add(RecipientRow(user=user, display_name=name, mobile="13800000000", court="440101",
                                         department=CIVIL, role=role, active=True, absent=False, deputy="",
                                         update_time=clock.now()))
        uow.commit()
    yield factory, engine
    engine.dispose()


def node(i: int) -> Node:
    n = Node(name=f"courts/440101/cases/c{i}/nodes/trial_time_limit", display_name="审理期限",
             case_number=f"（2026）粤0101民初{i}号", department=CIVIL, responsible=JUDGE)
    n.due_date.year, n.due_date.month, n.due_date.day = 2026, 9, 2
    return n


def tell(uow: UnitOfWork, i: int, readers: list[str]) -> None:
    service.notify(uow, node=node(i), kind=ReminderKind.REMINDER_KIND_OVERDUE, key=service.node_key(node(i), "0"),
                   recipients=readers, render=lambda a: templates.overdue(a, days_overdue=1))


def published(factory) -> list[ReminderDelivered]:
    with factory() as uow:
        rows = uow.session.execute(select(MESSAGING.outbox.c.payload).order_by(MESSAGING.outbox.c.seq)).scalars()
        events = []
        for payload in rows:
            env = EventEnvelope.FromString(payload)
            event = ReminderDelivered()
            env.payload.Unpack(event)
            events.append(event)
        return events


def count(factory, table) -> int:
    with factory() as uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def test_a_batch_tells_each_reader_once_and_publishes_one_event_per_reminder(alerts):
    factory, _ = alerts
    with factory() as uow:
        for i in range(50):
            tell(uow, i, [JUDGE, HEAD])
        tell(uow, 7, [JUDGE, HEAD])        # the same reminder again in the batch (a second event)
        assert count(factory, MessageRow) == 0   # nothing is written before the commit
        uow.commit()
    assert count(factory, MessageRow) == 100 and count(factory, SmsDeliveryRow) == 100
    events = published(factory)
    assert len(events) == 50
    assert {len(e.messages) for e in events} == {2}
    assert [m.split("/messages/")[0] for m in events[7].messages] == [JUDGE, HEAD]
    assert events[7].key == service.node_key(node(7), "0") and events[7].case_number == "（2026）粤0101民初7号"
    with factory() as uow:
        head = uow.session.scalar(select(MessageRow).where(MessageRow.recipient == HEAD,
                                                           MessageRow.case_number == "（2026）粤0101民初7号"))
    assert events[7].messages[1] == f"{HEAD}/messages/{head.id}"
    assert head.body.startswith("王庭长：张法官承办的（2026）粤0101民初7号案件")

    # Redelivered after a crash, with one more reader: only the new reader is told, SMS included.
    with factory() as uow:
        tell(uow, 7, [JUDGE, HEAD, CLERK])
        uow.commit()
    assert count(factory, MessageRow) == 101 and count(factory, SmsDeliveryRow) == 101
    last = published(factory)[-1]
    assert [m.split("/messages/")[0] for m in last.messages] == [CLERK]
    with factory() as uow:
        tell(uow, 7, [JUDGE, HEAD, CLERK])
        uow.commit()
    assert count(factory, MessageRow) == 101 and len(published(factory)) == 51


def test_a_rolled_back_batch_leaves_nothing_behind(alerts):
    factory, _ = alerts
    with factory() as uow:
        tell(uow, 1, [JUDGE])
    with factory() as uow:
        uow.commit()
    assert count(factory, MessageRow) == 0 and published(factory) == []


def test_the_directory_in_memory_follows_every_change_from_the_next_transaction(alerts):
    factory, engine = alerts
    with factory() as uow:
        first = recipients.directory(uow.session)
        assert first.stand_in(JUDGE) == JUDGE
    with factory() as uow:
        assert recipients.directory(uow.session) is first   # unchanged: not read again
    # Another replica's consumer, or an operator with psql, changes the table directly.
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {SCHEMA}.recipients SET absent = true, deputy = :d WHERE \"user\" = :u"),
                     {"d": HEAD, "u": JUDGE})
    with factory() as uow:
        now = recipients.directory(uow.session)
        assert now is not first and now.stand_in(JUDGE) == HEAD
        tell(uow, 1, [now.stand_in(JUDGE)])
        uow.commit()
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO {SCHEMA}.departments VALUES (:d, '440101', 'users/vp.440101.1', now())"),
                     {"d": CIVIL})
    with factory() as uow:
        assert recipients.directory(uow.session).holders("vice_president", court="440101", department=CIVIL) == [
            "users/vp.440101.1"]
    with factory() as uow:
        assert [m.recipient for m in uow.session.scalars(select(MessageRow))] == [HEAD]
    # Without its version row nothing could tell a change: the directory is read every time.
    with engine.begin() as conn:
        conn.execute(text(f"DELETE FROM {SCHEMA}.directory_version"))
        conn.execute(text(f"UPDATE {SCHEMA}.recipients SET absent = false WHERE \"user\" = :u"), {"u": JUDGE})
    with factory() as uow:
        assert recipients.directory(uow.session).stand_in(JUDGE) == JUDGE
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {SCHEMA}.recipients SET absent = true WHERE \"user\" = :u"), {"u": JUDGE})
    with factory() as uow:
        assert recipients.directory(uow.session).stand_in(JUDGE) == HEAD


def test_a_lock_released_by_a_withdrawn_limit_tells_nobody_of_an_approval(alerts):
    """A corrected case attribute withdraws a locked limit (services/node/attributes.py) and releases
    its lock with no application: nobody approved an unlock, so nobody is told 「已经…批准解除」; an
    unlock an approver decided is told as before."""
    factory, _ = alerts
    handle = Reminders().handlers()[NodeUnlocked]
    with factory() as uow:
        for i, application in ((1, ""), (2, "courts/440101/cases/c2/nodes/trial_time_limit/applications/a1")):
            handle(uow, Event(envelope=EventEnvelope(id=f"00000000-0000-0000-0000-00000000000{i}"),
                              payload=NodeUnlocked(node=node(i), application=application), subject=""))
        uow.commit()
    assert [e.case_number for e in published(factory)] == ["（2026）粤0101民初2号"]
