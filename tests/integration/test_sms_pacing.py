"""SMS pacing against a real PostgreSQL: nothing at night, one SMS per person per interval, what
piles up goes as one digest, and a digest retried or taken over after a crash keeps its OutId."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, update

from courtflow.alert.v1.alert_pb2 import DeliveryState

from conftest import new_database
from services.alert import sms
from services.alert.models import MESSAGING, SCHEMA, RecipientRow, SmsDeliveryRow
from services.alert.pacing import Pacing, QuietHours
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.events import new_event_id
from services.common.migrate import upgrade
from services.common.uow import uow_factory

pytestmark = pytest.mark.timeout(120)
MIGRATIONS = Path(sms.__file__).parent / "migrations"
PACING = Pacing(quiet=QuietHours.parse("22:00-08:00"), min_interval=timedelta(minutes=10))
JUDGE, OTHER = "users/judge.440101.civil1.1", "users/judge.440101.civil1.2"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=LEGAL_TZ)


@pytest.fixture
def alerts(postgres):
    url = new_database(postgres, "smspace")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url, pool_size=2)
    clock = ManualClock(at(27, 23))
    factory = uow_factory(engine, producer="alert", messaging=MESSAGING, clock=clock)
    with factory() as uow:
        for user, name, mobile in ((JUDGE, "张法官", "13800000001"), (OTHER, "李法官", "13800000002")):
            uow.session.add(RecipientRow(user=user, display_name=name, mobile=mobile, court="440101",
                                         department="courts/440101/departments/440101-civil1", role=1, active=True,
                                         absent=False, deputy="", update_time=clock.now()))
        uow.commit()
    yield factory, clock
    engine.dispose()


def queue(factory, clock, user: str, n: int) -> None:
    with factory() as uow:
        for i in range(n):
            uow.session.add(SmsDeliveryRow(
                id=new_event_id(), dedupe_key=f"{user}|{clock.now()}|{i}", recipient=user, node=f"node-{i}",
                mobile=None, text=f"提醒{i}", template="OVERDUE",
                params={"case_number": f"（2026）示0101民初{i}号", "node": "送达起诉状副本", "days": "2"},
                state=DeliveryState.DELIVERY_STATE_PENDING, attempts=0, next_attempt_at=clock.now(),
                create_time=clock.now()))
        uow.commit()


def send_all(factory, provider, *, error: sms.SmsError | None = None) -> list[sms.Unit]:
    units = sms.claim(factory, batch=100, pacing=PACING)
    for unit in units:
        if error is None:
            provider.send(unit.sms)
        sms.record(factory, unit, provider=provider.name, error=error,
                   policy=sms.RetryPolicy(base_seconds=0.0, floor_seconds=0.0, max_attempts=5))
    return units


def states(factory) -> dict:
    with factory() as uow:
        return {r.id: r for r in uow.session.scalars(select(SmsDeliveryRow))}


def test_the_nights_reminders_go_at_eight_as_one_digest_per_person(alerts, tmp_path):
    factory, clock = alerts
    provider = sms.LoggingProvider(tmp_path / "sms.log")
    queue(factory, clock, JUDGE, 4)   # 23:00: four overdue nodes for one judge
    queue(factory, clock, OTHER, 1)
    assert send_all(factory, provider) == []
    clock.set(at(28, 7, 59))
    assert send_all(factory, provider) == []
    clock.set(at(28, 8))
    units = send_all(factory, provider)
    assert sorted(len(u.ids) for u in units) == [1, 4]
    lines = [json.loads(line) for line in (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    digest = next(line for line in lines if line["mobile"] == "13800000001")
    assert digest["template"] == "DIGEST" and "张法官：您有4条审判节点提醒" in digest["text"]
    rows = states(factory).values()
    assert all(r.state == DeliveryState.DELIVERY_STATE_SENT for r in rows)
    assert len({r.digest_id for r in rows if r.recipient == JUDGE}) == 1


def test_a_person_gets_at_most_one_sms_per_interval(alerts, tmp_path):
    factory, clock = alerts
    provider = sms.LoggingProvider(tmp_path / "sms.log")
    clock.set(at(28, 9))
    queue(factory, clock, JUDGE, 1)
    assert [len(u.ids) for u in send_all(factory, provider)] == [1]
    clock.set(at(28, 9, 3))
    queue(factory, clock, JUDGE, 1)
    clock.set(at(28, 9, 6))
    queue(factory, clock, JUDGE, 1)
    assert send_all(factory, provider) == []      # waiting for 09:10
    waiting = [r for r in states(factory).values() if r.state == DeliveryState.DELIVERY_STATE_PENDING]
    assert {r.next_attempt_at for r in waiting} == {at(28, 9, 10)}
    clock.set(at(28, 9, 10))
    assert [len(u.ids) for u in send_all(factory, provider)] == [2]


def test_a_digest_retried_or_taken_over_keeps_its_out_id(alerts, tmp_path):
    factory, clock = alerts
    provider = sms.LoggingProvider(tmp_path / "sms.log")
    clock.set(at(28, 9))
    queue(factory, clock, JUDGE, 3)
    first = send_all(factory, provider, error=sms.SmsError("供应商繁忙"))
    assert len(first) == 1 and len(first[0].ids) == 3
    # The retry's backoff is database time; let it pass.
    with factory() as uow:
        uow.session.execute(update(SmsDeliveryRow).values(claimed_until=None))
        uow.commit()
    claimed = sms.claim(factory, batch=100, pacing=PACING)   # a sender takes it and crashes
    assert [u.sms.out_id for u in claimed] == [first[0].sms.out_id]
    with factory() as uow:                                   # its lease runs out
        uow.session.execute(update(SmsDeliveryRow).values(claimed_until=None))
        uow.commit()
    again = send_all(factory, provider)
    assert [u.sms.out_id for u in again] == [first[0].sms.out_id] and again[0].attempts == 3
    provider.send(again[0].sms)   # even sent twice by a confused sender, the provider keeps one
    assert len((tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()) == 1


def test_a_reminder_tried_alone_is_not_folded_into_a_later_digest(alerts, tmp_path):
    # Its first try may have reached the provider with only the reply lost: a retry under its own
    # out_id is found by the provider (or its lookup); inside a new digest it would be sent twice.
    factory, clock = alerts
    provider = sms.LoggingProvider(tmp_path / "sms.log")
    clock.set(at(28, 9))
    queue(factory, clock, JUDGE, 1)
    [tried] = send_all(factory, provider, error=sms.SmsError("应答超时"))
    with factory() as uow:   # its backoff passes, while two more reminders come in
        uow.session.execute(update(SmsDeliveryRow).values(claimed_until=None))
        uow.commit()
    clock.set(at(28, 9, 1))
    queue(factory, clock, JUDGE, 2)
    units = send_all(factory, provider)
    assert sorted((len(u.ids), u.sms.template) for u in units) == [(1, "OVERDUE"), (2, "DIGEST")]
    assert [u.sms.out_id for u in units if len(u.ids) == 1] == [tried.sms.out_id]
    assert all(r.state == DeliveryState.DELIVERY_STATE_SENT for r in states(factory).values())
    assert states(factory)[tried.ids[0]].digest_id is None


def test_the_log_provider_writes_a_batch_once_and_remembers_it_after_a_restart(tmp_path):
    path = tmp_path / "sms.log"
    first = [sms.OutgoingSms(out_id=f"id-{i}", mobile="13800000001", text=f"提醒{i}") for i in range(3)]
    provider = sms.LoggingProvider(path)
    assert provider.send_many(first + first[:1]) == [None] * 4
    again = sms.LoggingProvider(path)   # a restarted sender, after a crash before recording them sent
    assert again.send_many(first[1:] + [sms.OutgoingSms(out_id="id-3", mobile="13800000001", text="提醒3")]) == [
        None] * 3
    assert [json.loads(line)["out_id"] for line in path.read_text(encoding="utf-8").splitlines()] == [
        "id-0", "id-1", "id-2", "id-3"]
