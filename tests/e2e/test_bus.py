"""Delivery guarantees across processes: redelivered events change nothing, a crashed
consumer loses nothing and sends nothing twice, and a trace follows a case from the
gateway through the case, node and alert services."""
from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from datetime import date

import grpc
import nats
import pytest

from courtflow.alert.v1 import alert_pb2
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.stats.v1 import stats_service_pb2 as ss

from runtime import cli
from runtime.demo import create_request
from support import COURT, COURT_SYSTEM, PRESIDENT, UNPACED_SMS, eventually

from .conftest import drained, messages, pb, seed, sms_lines

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("bus", env=UNPACED_SMS)


def test_alert_killed_mid_flow_delivers_every_reminder_exactly_once(cf):
    # Cases filed two months ago: their five-day service node is overdue the moment it opens,
    # so registering them starts a stream of overdue events towards the alert service.
    # The org directory has reached the alert service (else an SMS waits for its recipient's
    # number, and after the kill that can take a redelivery); this test is about reminders.
    drained(cf, "alert-gateway")
    filed = date(2026, 1, 5)
    count = 60
    seeds = [seed("kill", 2000 + i, filed=filed) for i in range(count)]
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
    # A duplicate would come from an event handled before the kill and delivered again: wait until
    # the alert service has acknowledged every node event, those it held at the kill included
    # (they come back at the end of the ack wait), before counting.
    drained(cf, "alert-node")
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
    case = cf.cases.CreateCase(create_request(seed("redeliver", 3000, filed=date(2026, 1, 6))),
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
        for durable in ("alert-node", "stats-supervision-node"):
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
    for durable in ("alert-node", "stats-supervision-node"):
        delivered, ack_pending, pending = result[durable]
        assert delivered >= result["seq"] and ack_pending == 0 and pending == 0, result
    assert len([m for m in messages(cf) if m.node == node]) == 2
    assert stats_row() == before_stats
    assert len(sms_lines(cf)) == before_sms


def test_one_trace_from_gateway_through_case_node_and_alert(cf):
    reply, call = cf.cases.CreateCase.with_call(create_request(seed("trace", 4000, filed=date(2026, 1, 7))),
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


def spans_of(cf) -> list[dict]:
    path = cf.system.log_dir / "spans.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def test_a_filings_trace_leads_to_its_audit_record_and_its_counters(cf):
    # The audit and stats services apply events in batches, one span per batch: the span links to
    # every message it handled, so the filing's trace leads to the batch that recorded it.
    reply, call = cf.cases.CreateCase.with_call(create_request(seed("trace", 4001, filed=date(2026, 1, 7))),
                                                metadata=cf.md(COURT_SYSTEM))
    trace_id = dict(call.trailing_metadata())["x-courtflow-trace-id"]

    def linked():
        return {s["service"] for s in spans_of(cf) if trace_id in [link["trace_id"] for link in s.get("links", ())]}

    eventually(lambda: {"audit", "stats"} <= linked(), timeout=30,
               what="audit and stats batch spans linked to the filing's trace")


def test_the_hearing_check_is_part_of_the_events_trace(cf):
    # Scheduling a hearing asks the node service (ValidateHearing) from the case service: that call
    # is traced, so the node service's span is in the same trace as the case event.
    case = cf.cases.CreateCase(create_request(seed("trace", 4002, filed=date(2026, 2, 27))), metadata=cf.md(COURT_SYSTEM)).case
    request = cs.RecordCaseEventRequest(parent=case.name, request_id="trace-hearing-4002", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CaseEventType.CASE_EVENT_TYPE_HEARING_SCHEDULED, occur_date=pb(date(2026, 3, 2)),
        hearing_date=pb(date(2026, 3, 20))))
    try:
        _, call = cf.cases.RecordCaseEvent.with_call(request, metadata=cf.md(COURT_SYSTEM))
    except grpc.RpcError as refused:   # refused by the rules or not: the check was made either way
        call = refused
    trace_id = dict(call.trailing_metadata())["x-courtflow-trace-id"]
    eventually(lambda: any(s["service"] == "node" and s["trace_id"] == trace_id and "ValidateHearing" in s["name"]
                           for s in spans_of(cf)),
               timeout=30, what="the node service's ValidateHearing span in the case event's trace")


def verify(cf, capsys) -> tuple[int, dict]:
    """`courtflow verify --json` as an operator runs it: exit code and findings."""
    capsys.readouterr()
    code = cli.main(["verify", "--json", "--database", cf.database_url, "--nats", cf.nats_url,
                     "--catalog", cf.system.components["node"].env["NODE_CATALOG"], "--sms-log", str(cf.system.sms_log)])
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
    # An operator sees it: `courtflow verify` lists it and fails (it would pass unseen otherwise) —
    # once for each consumer of the case stream, the node service's and the stats service's.
    def listed():
        code, found = verify(cf, capsys)
        return code, sorted((d["schema"], d["consumer"], d["subject"], "undecodable" in d["error"])
                            for d in found["dead_letters"] if d["event_id"] == "poison-1")

    expected = (1, [("nodes", "node-case", "courtflow.case.v1.case_filed", True),
                    ("stats", "stats-case", "courtflow.case.v1.case_filed", True)])
    eventually(lambda: listed() == expected, what="the poison message dead-lettered by both consumers")
    # The consumer did not stop at the poison message.
    case = cf.cases.CreateCase(create_request(seed("after-poison", 4500, filed=date(2026, 2, 2))),
                               metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: [m for m in messages(cf) if m.case == case.name], what="reminder for a case after the poison")
