"""Delivery guarantees across processes: redelivered events change nothing, a crashed
consumer loses nothing and sends nothing twice, and a trace follows a case from the
gateway through the case, node and alert services."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from datetime import date, datetime

import nats
import pytest
from sqlalchemy import create_engine, text

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as als
from courtflow.stats.v1 import stats_service_pb2 as ss

from conftest import new_database
from runtime import cli
from runtime.demo import create_request
from runtime.synthetic import CaseSeed
from services.common.clock import LEGAL_TZ
from support import COURT, COURT_SYSTEM, JUDGE, PRESIDENT, UNPACED_SMS, eventually, start_system

pytestmark = pytest.mark.timeout(300)
START = datetime(2026, 3, 2, 10, 0, tzinfo=LEGAL_TZ)


@pytest.fixture(scope="module")
def cf(postgres, nats_servers, tmp_path_factory):
    nats_url, _ = nats_servers.new("bus")
    running = start_system(database_url=new_database(postgres, "bus"), nats_url=nats_url,
                           work=tmp_path_factory.mktemp("bus"), start_clock=START, extra_env=UNPACED_SMS)
    yield running
    running.system.stop()


def seed(tag: str, n: int, filed: date) -> CaseSeed:
    return CaseSeed(request_id=f"{tag}-{n}", court_id=COURT, department_id="440101-civil1",
                    case_number=f"（{filed.year}）示0101民初{n}号", case_type="civil",
                    procedure="first_instance_ordinary", cause="买卖合同纠纷", parties=("原告 王五", "被告 赵六"),
                    handler=JUDGE, filing_date=filed, custody=False)


async def consumer_idle(url: str, stream: str, durable: str, timeout: float = 60) -> None:
    nc = await nats.connect(url)
    try:
        js = nc.jetstream()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = await js.consumer_info(stream, durable)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{durable} still busy after {timeout}s")
    finally:
        await nc.close()


def messages(cf) -> list:
    out, token = [], ""
    while True:
        page = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me", page_size=1000, page_token=token),
                                      metadata=cf.md(JUDGE))
        out += page.messages
        token = page.next_page_token
        if not token:
            return out


def sms_lines(cf) -> list[dict]:
    path = cf.system.sms_log
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def test_alert_killed_mid_flow_delivers_every_reminder_exactly_once(cf):
    # Cases filed two months ago: their five-day service node is overdue the moment it opens,
    # so registering them starts a stream of overdue events towards the alert service.
    # The org directory has reached the alert service (else an SMS waits for its recipient's
    # number, and after the kill that can take a redelivery); this test is about reminders.
    asyncio.run(consumer_idle(cf.nats_url, "GATEWAY", "alert-gateway"))
    filed = date(2026, 1, 5)
    count = 60
    seeds = [seed("kill", 2000 + i, filed) for i in range(count)]
    for s in seeds:
        cf.cases.CreateCase(create_request(s), metadata=cf.md(COURT_SYSTEM))
        if s is seeds[count // 3]:
            alert = cf.system.components["alert"]
            eventually(lambda: any(m.case_number == seeds[0].case_number for m in messages(cf)),
                       what="first reminders")
            alert.kill()                                  # kill -9 while events are flowing
    assert not cf.system.components["alert"].running()
    cf.system.restart("alert")
    numbers = {s.case_number for s in seeds}
    # The overdue reminders (each node, some 50 days overdue, also climbs the ladder once).
    mine = lambda: [m for m in messages(cf) if m.case_number in numbers and m.kind == alert_pb2.REMINDER_KIND_OVERDUE]
    eventually(lambda: len(mine()) >= count, timeout=60, what="all reminders after restart")
    time.sleep(1.0)  # let any duplicate that would have been produced arrive before counting
    per_node = Counter(m.node for m in mine())
    assert len(per_node) == count and set(per_node.values()) == {1}
    # The judge's own (the division head is told too, in texts that name the judge).
    sms = eventually(lambda: (lines := [l for l in sms_lines(cf) if l["template"] == "OVERDUE"
                                        and "您承办的" in l["text"] and any(n in l["text"] for n in numbers)])
                     and len(lines) >= count and lines, timeout=60, what="all SMS")
    assert len(sms) == count
    assert Counter(l["out_id"] for l in sms).most_common(1)[0][1] == 1
    assert sorted(n for l in sms for n in numbers if n in l["text"]) == sorted(numbers)


def test_redelivered_event_changes_nothing(cf):
    case = cf.cases.CreateCase(create_request(seed("redeliver", 3000, date(2026, 1, 6))),
                               metadata=cf.md(COURT_SYSTEM)).case
    node = f"{case.name}/nodes/serve_complaint_copy"
    # Some 55 days overdue when it opens: the overdue reminder and the ladder's 31-day rung.
    eventually(lambda: len([m for m in messages(cf) if m.node == node]) == 2, what="overdue and escalation")
    # SMS: the overdue one to the judge and the division head, the escalation also to the vice-president.
    eventually(lambda: len([l for l in sms_lines(cf) if case.case_number in l["text"]]) == 5, what="their SMS")

    def stats_row():
        rows = cf.stats.ListNodeStatistics(ss.ListNodeStatisticsRequest(parent=f"courts/{COURT}"),
                                           metadata=cf.md(PRESIDENT)).node_statistics
        return [(r.department, r.stage, r.open_count, r.warning_count, r.overdue_count) for r in rows]

    before_stats, before_sms = stats_row(), len(sms_lines(cf))

    async def redeliver() -> dict:
        nc = await nats.connect(cf.nats_url)
        js = nc.jetstream()
        sub = await js.subscribe("courtflow.node.v1.node_overdue", ordered_consumer=True)
        original = None
        async for msg in sub.messages:
            if node.encode() in msg.data:
                original = msg
                break
        # The same event again, under a new message id so that JetStream's duplicate window cannot
        # hide it: only the consumers' own idempotency can.
        ack = await js.publish(original.subject, original.data, headers={"Nats-Msg-Id": str(uuid.uuid4()),
                                                                         **{k: v for k, v in (original.headers or {}).items()
                                                                            if k != "Nats-Msg-Id"}})
        info = {}
        for durable in ("alert-node", "stats-node"):
            # Up to the ack wait and more: what the alert service killed in the test before held
            # comes back only after the ack wait (30 s), and must be handled before stats compare.
            for _ in range(450):
                ci = await js.consumer_info("NODE", durable)
                if ci.delivered.stream_seq >= ack.seq and ci.num_ack_pending == 0:
                    break
                await asyncio.sleep(0.1)
            info[durable] = (ci.delivered.stream_seq, ci.num_ack_pending, ci.num_pending)
        await nc.close()
        return {"seq": ack.seq, **info}

    result = asyncio.run(redeliver())
    for durable in ("alert-node", "stats-node"):
        delivered, ack_pending, pending = result[durable]
        assert delivered >= result["seq"] and ack_pending == 0 and pending == 0, result
    assert len([m for m in messages(cf) if m.node == node]) == 2
    assert stats_row() == before_stats
    assert len(sms_lines(cf)) == before_sms


def test_one_trace_from_gateway_through_case_node_and_alert(cf):
    reply, call = cf.cases.CreateCase.with_call(create_request(seed("trace", 4000, date(2026, 1, 7))),
                                                metadata=cf.md(COURT_SYSTEM))
    trace_id = dict(call.trailing_metadata())["x-courtflow-trace-id"]
    assert len(trace_id) == 32
    spans_path = cf.system.log_dir / "spans.jsonl"

    def services_in_trace():
        if not spans_path.exists():
            return set()
        spans = [json.loads(l) for l in spans_path.read_text().splitlines() if l.strip()]
        return {s["service"] for s in spans if s["trace_id"] == trace_id}

    eventually(lambda: {"gateway", "case", "node", "alert"} <= services_in_trace(), timeout=30,
               what="spans of the gateway, case, node and alert services in one trace")


def verify(cf, capsys) -> tuple[int, dict]:
    """`courtflow verify --json` as an operator runs it: exit code and findings."""
    capsys.readouterr()
    code = cli.main(["verify", "--json", "--database", cf.database_url])
    return code, json.loads(capsys.readouterr().out)


def test_poison_message_is_dead_lettered_and_the_consumer_goes_on(cf, capsys):
    assert "poison-1" not in [d["event_id"] for d in verify(cf, capsys)[1]["dead_letters"]]

    async def poison_and_watch() -> tuple[bytes, dict]:
        nc = await nats.connect(cf.nats_url)
        js = nc.jetstream()
        dead = await js.subscribe("courtflow.deadletter.node-case", ordered_consumer=True)
        await js.publish("courtflow.case.v1.case_filed", b"\x08\x96\x01 not an envelope",
                         headers={"Nats-Msg-Id": "poison-1"})
        msg = await dead.next_msg(timeout=30)
        await nc.close()
        return msg.data, dict(msg.headers or {})

    data, headers = asyncio.run(poison_and_watch())
    assert data == b"\x08\x96\x01 not an envelope"
    assert "undecodable" in headers["Courtflow-Error"]
    engine = create_engine(cf.database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT subject, error FROM nodes.dead_letters WHERE event_id = 'poison-1'")).one()
    engine.dispose()
    assert row.subject == "courtflow.case.v1.case_filed" and "undecodable" in row.error
    # An operator sees it: `courtflow verify` lists it and fails (it would pass unseen otherwise).
    code, found = verify(cf, capsys)
    listed = [d for d in found["dead_letters"] if d["event_id"] == "poison-1"]
    assert code == 1 and [(d["schema"], d["consumer"], d["subject"]) for d in listed] == [
        ("nodes", "node-case", "courtflow.case.v1.case_filed")] and "undecodable" in listed[0]["error"]
    # The consumer did not stop at the poison message.
    case = cf.cases.CreateCase(create_request(seed("after-poison", 4500, date(2026, 2, 2))),
                               metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: [m for m in messages(cf) if m.case == case.name], what="reminder for a case after the poison")
