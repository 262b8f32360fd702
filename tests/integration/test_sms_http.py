"""The Alibaba Cloud SMS provider against a fake Dysmsapi run as its own process
(tests/fakes/sms_provider.py), and the delivery loop (`SmsSender.run`) over a real `alerts` schema:
signed requests arrive with their template and parameters; refusals that cannot pass fail at once
with their reason; an outage, throttling or a timeout delays deliveries without losing or
doubling any; a later try first looks up (QuerySendDetails) whether an earlier one was taken, so
an SMS whose reply was lost is not sent twice, though the fake, like Dysmsapi, would send it."""
from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, update

from courtflow.alert.v1.alert_pb2 import DeliveryState

from conftest import new_database
from services.alert import sms as sms_module
from services.alert import sms_http
from services.alert.config import Settings
from services.alert.models import MESSAGING, SCHEMA, SmsDeliveryRow
from services.alert.sms import OutgoingSms, RetryPolicy, SmsError, SmsSender
from services.alert.sms_http import AliyunSmsProvider, canonical_query
from services.common.clock import LEGAL_TZ, ManualClock
from services.common.migrate import upgrade
from services.common.settings import Env, SettingsError
from services.common.uow import uow_factory

pytestmark = pytest.mark.timeout(120)
FAKE = Path(__file__).parents[1] / "fakes" / "sms_provider.py"
MIGRATIONS = Path(sms_module.__file__).parent / "migrations"
KEY_ID, SECRET, SIGN = "LTAI5tFakeKeyId", "s3cr3t+/= ~*", "示例人民法院"  # a secret that needs encoding
TEMPLATES = {"WARNING": "SMS_1001", "OVERDUE": "SMS_1002", "CLOSING_CHECK": "SMS_1003"}
NOW = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)
PENDING, SENT, FAILED = (DeliveryState.DELIVERY_STATE_PENDING, DeliveryState.DELIVERY_STATE_SENT,
                         DeliveryState.DELIVERY_STATE_FAILED)
PARAMS = {"case_number": "（2026）示0101民初1号", "node": "审理期限", "due_date": "2026-03-05", "days": "3"}


def wait_for(condition, *, what: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    return result


class FakeSms:
    """The fake provider process and its control endpoint."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._log = open(state_dir.parent / "fake-sms.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKE), "--port", "0", "--access-key-id", KEY_ID, "--access-key-secret", SECRET,
             "--state-dir", str(state_dir), "--sign-name", SIGN, "--templates", ",".join(TEMPLATES.values())],
            stdout=self._log, stderr=subprocess.STDOUT)
        port_file = state_dir / "port"

        def ready():
            assert self.proc.poll() is None, f"fake SMS provider exited with {self.proc.returncode}"
            return port_file.exists() and int(port_file.read_text())

        self.port = wait_for(ready, what="the fake SMS provider to listen")
        self.url = f"http://127.0.0.1:{self.port}/"

    def control(self, **control) -> dict:
        request = urllib.request.Request(self.url + "_control", data=json.dumps(control).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=5) as reply:
            return json.loads(reply.read())

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "_control", timeout=5) as reply:
            return json.loads(reply.read())

    def calls(self, action: str) -> int:
        return self.state()["calls"].get(action, 0)

    def messages(self) -> list[dict]:
        path = self.state_dir / "messages.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)
        self._log.close()


@pytest.fixture
def fake(tmp_path):
    server = FakeSms(tmp_path / "fake-sms")
    yield server
    server.stop()


def aliyun(fake: FakeSms, *, secret: str = SECRET, key_id: str = KEY_ID, timeout: float = 2.0) -> AliyunSmsProvider:
    return AliyunSmsProvider(endpoint=fake.url, access_key_id=key_id, access_key_secret=secret, sign_name=SIGN,
                             templates=TEMPLATES, timeout=timeout)


def outgoing(mobile: str = "13800138000", template: str = "WARNING", attempt: int = 1) -> OutgoingSms:
    return OutgoingSms(out_id=str(uuid.uuid4()), mobile=mobile, text="审限预警", template=template, params=PARAMS,
                       attempt=attempt)


# --- the provider against the fake ---------------------------------------------------------------

def test_send_arrives_signed_with_template_and_parameters(fake):
    sms = outgoing(template="OVERDUE")
    aliyun(fake).send(sms)
    [message] = fake.messages()
    assert message["out_id"] == sms.out_id and message["method"] == "POST"
    assert message["phone_numbers"] == "13800138000" and message["sign_name"] == SIGN
    assert message["template_code"] == "SMS_1002" and message["template_param"] == PARAMS
    assert (message["region_id"], message["format"]) == ("cn-hangzhou", "JSON")
    assert fake.state()["refused"] == {}


def test_fake_refuses_a_request_changed_after_signing(fake):
    provider = aliyun(fake)
    params = provider.request_params(outgoing())
    params["PhoneNumbers"] = "13900139000"
    request = urllib.request.Request(fake.url, data=canonical_query(params).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert json.loads(refused.value.read())["Code"] == "SignatureDoesNotMatch"
    assert fake.messages() == []


def test_wrong_secret_or_key_is_refused_permanently(fake):
    with pytest.raises(SmsError) as wrong_secret:
        aliyun(fake, secret="not-the-secret").send(outgoing())
    assert wrong_secret.value.permanent and "SignatureDoesNotMatch" in str(wrong_secret.value)
    assert "not-the-secret" not in str(wrong_secret.value)
    with pytest.raises(SmsError) as wrong_key:
        aliyun(fake, key_id="LTAI5tSomeoneElse").send(outgoing())
    assert wrong_key.value.permanent and "InvalidAccessKeyId.NotFound" in str(wrong_key.value)
    assert fake.messages() == []


@pytest.mark.parametrize("control, code", [
    ({"mode": "fail", "status": 503}, "ServiceUnavailable"),
    ({"mode": "fail", "status": 500}, "InternalError"),
    ({"mode": "error", "code": "isv.BUSINESS_LIMIT_CONTROL"}, "isv.BUSINESS_LIMIT_CONTROL"),
    ({"mode": "error", "code": "Throttling.User", "status": 400}, "Throttling.User"),
])
def test_outages_and_throttling_are_transient(fake, control, code):
    fake.control(**control)
    with pytest.raises(SmsError) as refused:
        aliyun(fake).send(outgoing())
    assert not refused.value.permanent and code in str(refused.value)


def test_kind_without_a_template_code_fails_permanently_without_a_request(fake):
    with pytest.raises(SmsError) as refused:
        aliyun(fake).send(outgoing(template="DIGEST"))
    assert refused.value.permanent and "DIGEST" in str(refused.value) and "ALERT_SMS_TEMPLATES" in str(refused.value)
    assert fake.state()["requests"] == 0


def test_provider_unreachable_is_transient():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    provider = AliyunSmsProvider(endpoint=f"http://127.0.0.1:{port}/", access_key_id=KEY_ID,
                                 access_key_secret=SECRET, sign_name=SIGN, templates=TEMPLATES, timeout=1)
    with pytest.raises(SmsError) as refused:
        provider.send(outgoing())
    assert not refused.value.permanent and "无法连接" in str(refused.value)


# --- a later try looks up the earlier ones first -------------------------------------------------

def lose_reply(fake: FakeSms, sms: OutgoingSms, **control) -> None:
    """Send `sms` while the fake takes it but its answer never comes; then serve normally."""
    fake.control(mode="timeout", accept=True, **control)
    with pytest.raises(SmsError) as lost:
        aliyun(fake, timeout=0.3).send(sms)
    assert not lost.value.permanent and "超时" in str(lost.value)
    fake.control(mode="ok")


def retry(sms: OutgoingSms) -> OutgoingSms:
    return replace(sms, attempt=sms.attempt + 1)


def test_first_try_makes_no_lookup_and_a_repeated_out_id_is_sent_again(fake):
    # What the lookup guards against: Dysmsapi, and so the fake, sends a repeated OutId again.
    sms = outgoing()
    aliyun(fake).send(sms)
    aliyun(fake).send(sms)
    assert [m["out_id"] for m in fake.messages()] == [sms.out_id] * 2
    assert fake.state()["duplicates"] == 1 and fake.state()["calls"] == {"SendSms": 2}


@pytest.mark.parametrize("send_status, mobile", [(3, "13800138000"), (1, "+8613800138000")])
def test_a_retry_after_a_lost_reply_is_not_sent_again(fake, send_status, mobile):
    # Delivered (3) or still waiting for the carrier's receipt (1): either way it was taken.
    sms = outgoing(mobile=mobile)
    lose_reply(fake, sms, send_status=send_status)
    aliyun(fake).send(retry(sms))
    assert [m["out_id"] for m in fake.messages()] == [sms.out_id] and fake.state()["duplicates"] == 0
    assert fake.calls("SendSms") == 1 and fake.calls("QuerySendDetails") == 1
    assert fake.state()["refused"] == {}


def test_a_retry_across_midnight_finds_yesterdays_try(fake):
    sms = outgoing()
    lose_reply(fake, sms, days_ago=1)
    aliyun(fake).send(retry(sms))
    assert len(fake.messages()) == 1 and fake.state()["duplicates"] == 0
    assert fake.calls("QuerySendDetails") == 2  # today's records, then yesterday's


def test_a_retry_days_after_the_first_try_finds_it(fake):
    # The alert service was down for days (or the provider away): the lookup goes back to the
    # first try's day, not only to yesterday.
    sms = outgoing()
    lose_reply(fake, sms, days_ago=3)
    aliyun(fake).send(replace(retry(sms), first_try=datetime.now(LEGAL_TZ) - timedelta(days=3)))
    assert len(fake.messages()) == 1 and fake.state()["duplicates"] == 0
    assert fake.calls("QuerySendDetails") == 4  # today, then each day back to the first try's


def test_a_retry_of_a_first_try_older_than_alibaba_keeps_records_fails_for_good(fake):
    sms = replace(outgoing(attempt=2), first_try=datetime.now(LEGAL_TZ) - timedelta(days=sms_http.QUERY_DAYS_KEPT))
    with pytest.raises(SmsError) as refused:
        aliyun(fake).send(sms)
    assert refused.value.permanent and "30 天" in str(refused.value)
    assert fake.messages() == [] and fake.calls("QuerySendDetails") == 0


def test_a_try_the_carrier_failed_is_sent_again(fake):
    sms = outgoing()
    lose_reply(fake, sms, send_status=2)
    aliyun(fake).send(retry(sms))
    assert [(m["out_id"], m["send_status"]) for m in fake.messages()] == [(sms.out_id, 2), (sms.out_id, 3)]
    assert fake.state()["duplicates"] == 1  # the one intended repeat: the first never arrived


def test_a_retry_of_a_try_that_never_arrived_is_sent(fake):
    sms = outgoing()
    fake.control(mode="fail", status=503)
    with pytest.raises(SmsError):
        aliyun(fake).send(sms)
    fake.control(mode="ok")
    aliyun(fake).send(retry(sms))
    assert [m["out_id"] for m in fake.messages()] == [sms.out_id] and fake.state()["duplicates"] == 0
    assert fake.calls("QuerySendDetails") == 2  # nothing today, nothing yesterday


def test_the_lookup_pages_through_the_day(fake):
    provider = aliyun(fake)
    earlier = [outgoing() for _ in range(sms_http.QUERY_PAGE_SIZE + 10)]
    for sms in earlier:
        provider.send(sms)
    provider.send(retry(earlier[-1]))  # on the second page
    assert fake.calls("QuerySendDetails") == 2 and len(fake.messages()) == len(earlier)
    new = outgoing(attempt=2)
    provider.send(new)  # two pages of today, one (empty) of yesterday: not there, so sent
    assert fake.calls("QuerySendDetails") == 5 and fake.messages()[-1]["out_id"] == new.out_id
    assert fake.state()["duplicates"] == 0


@pytest.mark.parametrize("control, code", [
    ({"mode": "query_fail", "status": 503}, "ServiceUnavailable"),
    ({"mode": "query_fail", "status": 400, "code": "Throttling.User"}, "Throttling.User"),
    ({"mode": "query_fail", "status": 200, "code": "isp.RAM_PERMISSION_DENY"}, "isp.RAM_PERMISSION_DENY"),
    ({"mode": "fail", "status": 500}, "InternalError"),
])
def test_a_failing_lookup_sends_nothing_and_is_retried(fake, control, code):
    sms = outgoing(attempt=2)
    fake.control(**control)
    with pytest.raises(SmsError) as unsure:
        aliyun(fake).send(sms)
    assert not unsure.value.permanent
    assert "无法确认上次发送结果" in str(unsure.value) and code in str(unsure.value)
    assert fake.calls("SendSms") == 0 and fake.messages() == []


def test_a_slow_lookup_leaves_the_send_to_a_later_try(fake, monkeypatch):
    # Each call must be able to end within the budget, which keeps the send inside the sender's
    # claim on the delivery: here the two lookups take 1.6 s of 2.5, too much for a 1 s send.
    monkeypatch.setattr(sms_http, "CALL_BUDGET_SECONDS", 2.5)
    fake.control(mode="slow", delay_ms=800)
    with pytest.raises(SmsError) as slow:
        aliyun(fake, timeout=1.0).send(outgoing(attempt=2))
    assert not slow.value.permanent and "过慢" in str(slow.value)
    assert fake.calls("QuerySendDetails") == 2 and fake.calls("SendSms") == 0


# --- the delivery loop over real deliveries ------------------------------------------------------

@pytest.fixture
def alerts(postgres):
    url = new_database(postgres, "smshttp")
    upgrade(url, schema=SCHEMA, migrations=MIGRATIONS)
    engine = create_engine(url, pool_size=4)
    yield uow_factory(engine, producer="alert", messaging=MESSAGING, clock=ManualClock(NOW))
    engine.dispose()


def queue(uow_factory, mobiles: list[str], template: str = "WARNING") -> list[uuid.UUID]:
    ids = []
    with uow_factory() as uow:
        for i, mobile in enumerate(mobiles):
            row_id = uuid.uuid4()  # one person per delivery: each is its own SMS, never a digest
            uow.session.add(SmsDeliveryRow(
                id=row_id, dedupe_key=f"{row_id}", recipient=f"users/judge.440101.{row_id.hex[:8]}",
                node=f"courts/440101/cases/c{i}/nodes/trial", mobile=mobile, text="审限预警", template=template,
                params=PARAMS, state=PENDING, attempts=0, next_attempt_at=uow.clock.now(),
                create_time=uow.clock.now()))
            ids.append(row_id)
        uow.commit()
    return ids


def deliveries(uow_factory, ids) -> list[SmsDeliveryRow]:
    with uow_factory() as uow:
        rows = {r.id: r for r in uow.session.scalars(select(SmsDeliveryRow).where(SmsDeliveryRow.id.in_(ids)))}
    return [rows[i] for i in ids]


def drive(sender: SmsSender, script) -> None:
    """Run the real sender loop while `script(until)` steers the fake, then stop it."""
    async def main():
        task = asyncio.create_task(sender.run())

        async def until(condition, what: str, timeout: float = 30.0):
            deadline = time.monotonic() + timeout
            while not await asyncio.to_thread(condition):
                if task.done():
                    task.result()
                    raise AssertionError("the SMS sender stopped")
                if time.monotonic() > deadline:
                    raise AssertionError(f"timed out waiting for {what}")
                await asyncio.sleep(0.05)
        try:
            await script(until)
        finally:
            await sender.stop()
            await asyncio.wait_for(task, 15)
    asyncio.run(main())


# Retries in milliseconds instead of minutes; many attempts, so an outage cannot exhaust them.
FAST = RetryPolicy(max_attempts=1000, base_seconds=0.005, cap_seconds=0.05, floor_seconds=0.0)


def test_outage_and_throttling_then_every_sms_delivered_once(fake, alerts):
    ids = queue(alerts, [f"1380013800{i}" for i in range(6)])
    sender = SmsSender(alerts, aliyun(fake), policy=FAST, interval=0.02)
    fake.control(mode="fail", status=503)

    async def script(until):
        await until(lambda: all(r.attempts >= 3 and "ServiceUnavailable" in (r.failure_reason or "")
                                for r in deliveries(alerts, ids)), "retries while the provider is down")
        fake.control(mode="error", code="isv.BUSINESS_LIMIT_CONTROL")
        await until(lambda: all("isv.BUSINESS_LIMIT_CONTROL" in (r.failure_reason or "")
                                for r in deliveries(alerts, ids)), "retries while throttled")
        assert all(r.state == PENDING for r in deliveries(alerts, ids)) and fake.messages() == []
        fake.control(mode="ok")
        await until(lambda: all(r.state == SENT for r in deliveries(alerts, ids)), "delivery after recovery")

    drive(sender, script)
    rows = deliveries(alerts, ids)
    assert all(r.provider == "aliyun" and r.failure_reason is None and r.send_time == NOW for r in rows)
    assert sorted(m["out_id"] for m in fake.messages()) == sorted(str(i) for i in ids)
    assert fake.state()["duplicates"] == 0


def test_timeout_is_retried_then_delivered_once(fake, alerts):
    [row_id] = queue(alerts, ["13800138000"])
    sender = SmsSender(alerts, aliyun(fake, timeout=0.3), policy=FAST, interval=0.02)
    fake.control(mode="timeout")

    async def script(until):
        await until(lambda: "超时" in (deliveries(alerts, [row_id])[0].failure_reason or ""), "a timed-out attempt")
        assert deliveries(alerts, [row_id])[0].state == PENDING
        fake.control(mode="ok")
        await until(lambda: deliveries(alerts, [row_id])[0].state == SENT, "delivery after the timeout")

    drive(sender, script)
    assert [m["out_id"] for m in fake.messages()] == [str(row_id)]
    assert fake.state()["duplicates"] == 0


def test_a_lost_reply_is_not_sent_again(fake, alerts):
    # The provider accepted the SMS but its answer never came. The loop cannot know and tries
    # again; that try finds the earlier one (QuerySendDetails) instead of sending it a second time.
    [row_id] = queue(alerts, ["13800138000"])
    sender = SmsSender(alerts, aliyun(fake, timeout=0.3), policy=FAST, interval=0.02)
    fake.control(mode="timeout", accept=True)

    async def script(until):
        await until(lambda: fake.messages(), "an accepted SMS")
        await until(lambda: "超时" in (deliveries(alerts, [row_id])[0].failure_reason or ""), "its lost reply")
        await until(lambda: deliveries(alerts, [row_id])[0].attempts >= 3, "later tries, whose lookups time out too")
        fake.control(mode="ok")
        await until(lambda: deliveries(alerts, [row_id])[0].state == SENT, "the retry to find the first try")

    drive(sender, script)
    assert [m["out_id"] for m in fake.messages()] == [str(row_id)]
    assert fake.state()["duplicates"] == 0 and fake.calls("SendSms") == 1
    row = deliveries(alerts, [row_id])[0]
    assert row.failure_reason is None and row.send_time == NOW


def test_a_lost_reply_days_before_a_restart_is_not_sent_again(fake, alerts):
    # The first try's reply is lost and the alert service is then away for three days: the row
    # remembers when it was first tried, and the try after the restart looks back that far.
    [row_id] = queue(alerts, ["13800138000"])
    fake.control(mode="timeout", accept=True, days_ago=3)

    async def first_try(until):
        await until(lambda: "超时" in (deliveries(alerts, [row_id])[0].failure_reason or ""), "the lost reply")
    drive(SmsSender(alerts, aliyun(fake, timeout=0.3), policy=FAST, interval=0.02), first_try)
    tried = deliveries(alerts, [row_id])[0].first_try_time
    assert tried is not None
    with alerts() as uow:   # three days pass while the service is down
        uow.session.execute(update(SmsDeliveryRow).where(SmsDeliveryRow.id == row_id)
                            .values(first_try_time=SmsDeliveryRow.first_try_time - timedelta(days=3)))
        uow.commit()
    fake.control(mode="ok")

    async def after_restart(until):
        await until(lambda: deliveries(alerts, [row_id])[0].state == SENT, "the retry to find the first try")
    drive(SmsSender(alerts, aliyun(fake), policy=FAST, interval=0.02), after_restart)
    assert [m["out_id"] for m in fake.messages()] == [str(row_id)] and fake.state()["duplicates"] == 0
    assert deliveries(alerts, [row_id])[0].first_try_time == tried - timedelta(days=3)   # kept, not moved on


def test_a_failing_lookup_holds_the_delivery_until_it_answers(fake, alerts):
    [row_id] = queue(alerts, ["13800138000"])
    sender = SmsSender(alerts, aliyun(fake), policy=FAST, interval=0.02)
    fake.control(mode="fail", status=503)  # the first try never arrives

    async def script(until):
        await until(lambda: deliveries(alerts, [row_id])[0].attempts >= 1 and fake.calls("SendSms") >= 1,
                    "a first try during the outage")
        fake.control(mode="query_fail", status=503)
        await until(lambda: "无法确认上次发送结果" in (deliveries(alerts, [row_id])[0].failure_reason or ""),
                    "a retry whose lookup fails")
        await until(lambda: deliveries(alerts, [row_id])[0].attempts >= 4, "more such retries")
        row = deliveries(alerts, [row_id])[0]
        assert row.state == PENDING and "ServiceUnavailable" in row.failure_reason
        assert fake.calls("SendSms") == 1 and fake.messages() == []  # only the try during the outage
        fake.control(mode="ok")
        await until(lambda: deliveries(alerts, [row_id])[0].state == SENT, "delivery once the lookup answers")

    drive(sender, script)
    assert [m["out_id"] for m in fake.messages()] == [str(row_id)] and fake.state()["duplicates"] == 0


def test_a_try_the_carrier_failed_is_sent_again_by_the_loop(fake, alerts):
    [row_id] = queue(alerts, ["13800138000"])
    sender = SmsSender(alerts, aliyun(fake, timeout=0.3), policy=FAST, interval=0.02)
    fake.control(mode="timeout", accept=True, send_status=2)  # taken, answer lost, failed at the carrier

    async def script(until):
        await until(lambda: fake.messages(), "an accepted SMS")
        await until(lambda: "超时" in (deliveries(alerts, [row_id])[0].failure_reason or ""), "its lost reply")
        fake.control(mode="ok")
        await until(lambda: deliveries(alerts, [row_id])[0].state == SENT, "the repeat")

    drive(sender, script)
    assert [(m["out_id"], m["send_status"]) for m in fake.messages()] == [(str(row_id), 2), (str(row_id), 3)]


def test_invalid_mobile_and_unconfigured_kind_fail_at_once_with_their_reason(fake, alerts):
    bad_mobile, good = queue(alerts, ["12345678901", "13800138000"])
    [digest] = queue(alerts, ["13900139000"], template="DIGEST")
    sender = SmsSender(alerts, aliyun(fake), policy=FAST, interval=0.02)

    async def script(until):
        await until(lambda: all(r.state != PENDING for r in deliveries(alerts, [bad_mobile, good, digest])),
                    "every delivery to end")

    drive(sender, script)
    bad, sent, unconfigured = deliveries(alerts, [bad_mobile, good, digest])
    assert (bad.state, bad.attempts) == (FAILED, 1)
    assert "isv.MOBILE_NUMBER_ILLEGAL" in bad.failure_reason and "手机号码不合法" in bad.failure_reason
    assert (unconfigured.state, unconfigured.attempts) == (FAILED, 1) and "DIGEST" in unconfigured.failure_reason
    assert sent.state == SENT
    assert [m["out_id"] for m in fake.messages()] == [str(good)]


# --- configuration -------------------------------------------------------------------------------

BASE_ENV = {"DATABASE_URL": "postgresql+psycopg2://x@127.0.0.1/x", "NATS_URL": "nats://127.0.0.1:4222",
            "COURTFLOW_INTERNAL_KEY": "k" * 32}
ALIYUN_ENV = {**BASE_ENV, "ALERT_SMS_PROVIDER": "aliyun", "ALERT_SMS_ACCESS_KEY_ID": KEY_ID,
              "ALERT_SMS_ACCESS_KEY_SECRET": SECRET, "ALERT_SMS_SIGN_NAME": SIGN,
              "ALERT_SMS_TEMPLATES": "WARNING=SMS_1001, OVERDUE=SMS_1002"}


def test_settings_choose_the_provider():
    from services.alert.app import sms_provider

    assert Settings.from_env(Env(BASE_ENV)).sms_aliyun is None
    settings = Settings.from_env(Env(ALIYUN_ENV))
    assert settings.sms_aliyun.endpoint == "https://dysmsapi.aliyuncs.com/"
    assert settings.sms_aliyun.templates == {"WARNING": "SMS_1001", "OVERDUE": "SMS_1002"}
    assert settings.sms_aliyun.timeout == 5.0 and SECRET not in repr(settings)
    assert isinstance(sms_provider(settings), AliyunSmsProvider)


@pytest.mark.parametrize("change, message", [
    ({"ALERT_SMS_ACCESS_KEY_ID": ""}, "ALERT_SMS_ACCESS_KEY_ID is required"),
    ({"ALERT_SMS_ACCESS_KEY_SECRET": ""}, "ALERT_SMS_ACCESS_KEY_SECRET is required"),
    ({"ALERT_SMS_SIGN_NAME": ""}, "ALERT_SMS_SIGN_NAME is required"),
    ({"ALERT_SMS_TEMPLATES": ""}, "ALERT_SMS_TEMPLATES is required"),
    ({"ALERT_SMS_TEMPLATES": "WARNNG=SMS_1"}, "unknown kind 'WARNNG'"),
    ({"ALERT_SMS_TEMPLATES": "WARNING"}, "not KIND=TEMPLATE_CODE"),
    ({"ALERT_SMS_TIMEOUT": "30"}, "ALERT_SMS_TIMEOUT=30"),
    ({"ALERT_SMS_ENDPOINT": "dysmsapi.aliyuncs.com"}, "ALERT_SMS_ENDPOINT"),
    ({"ALERT_SMS_PROVIDER": "tencent"}, "supported: log, aliyun"),
])
def test_incomplete_aliyun_settings_stop_start_up(change, message):
    # Settings read the values; the composition root checks them against the sender (the lease,
    # the template kinds) before anything starts.
    from services.alert.app import build_with

    with pytest.raises(SettingsError, match=message):
        build_with(Settings.from_env(Env({**ALIYUN_ENV, **change})))
