"""`courtflow verify` (issue 16, item 1) on a whole system: after cases were filed, a limit extended,
another overdue and locked, reminders sent and everything drained, every check is clean; then each
check is shown to fail by damaging what it guards directly in PostgreSQL (or the SMS log, or the
bus) — storage is the subject here — and the damaged object is named. Each test undoes its damage,
so the clean check holds in any order."""
from __future__ import annotations

import asyncio
import json
import uuid
from contextlib import contextmanager
from datetime import date

import grpc
import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig
from sqlalchemy import create_engine, text

from courtflow.case.v1 import case_service_pb2 as cs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns
from courtflow.stats.v1 import stats_service_pb2 as ss

from runtime import cli
from support import COURT as COURT_ID, JUDGE, PRESIDENT, UNPACED_SMS, eventually

from .conftest import START, at, drained, file_case, refused

pytestmark = pytest.mark.timeout(300)
FILED = date(2026, 3, 2)   # the trial limit of six months ends on 2026-09-02
K = node_pb2.ApplicationKind
# Older than the shared clock (2026-09-03 once the world is made) by more than the stuck threshold.
LONG_AGO = "2026-09-01T00:00:00+08:00"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("verify", clock=START, catalog_version="verify-1", env=UNPACED_SMS,
                        node_changes={"trial_time_limit": {"overdue_action": "lock"}})


@pytest.fixture(scope="module")
def world(cf):
    """Case `extended` with an approved extension of its trial limit; case `locked` overdue and
    locked; reminders of both in the judge's inbox and the SMS log; every consumer drained."""
    extended = file_case(cf, "verify", 1, filed=FILED).name
    locked = file_case(cf, "verify", 2, filed=FILED).name
    node = f"{extended}/nodes/trial_time_limit"
    application = cf.nodes.CreateApplication(ns.CreateApplicationRequest(
        parent=node, request_id="verify-ext", application=node_pb2.Application(
            kind=K.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂，需鉴定",
            materials=["延长审限审批表"])), metadata=cf.md(JUDGE)).application
    cf.nodes.ApproveApplication(ns.ApproveApplicationRequest(name=application.name, comment="同意"),
                                metadata=cf.md(PRESIDENT))
    cf.set_clock(at(date(2026, 9, 3)))
    eventually(lambda: cf.cases.GetCase(cs.GetCaseRequest(name=locked), metadata=cf.md(JUDGE)).case.locked,
               what="case locked")
    eventually(lambda: cf.system.sms_log.exists(), what="reminders sent by SMS")
    drained(cf, *_consumers(cf))
    return {"extended": extended, "locked": locked, "application": application.name,
            "trial": node, "locked_trial": f"{locked}/nodes/trial_time_limit"}


def _consumers(cf) -> list[str]:
    """The system's durable consumers (`<consumer>-<producer>`), upstream producers first."""
    upstream = {"GATEWAY": 0, "CASE": 1, "NODE": 2, "ALERT": 3}

    async def names() -> list[str]:
        nc = await nats.connect(cf.nats_url)
        try:
            js = nc.jetstream()
            found = []
            for stream in await js.streams_info():
                found += [(upstream.get(stream.config.name, 9), c.name)
                          for c in await js.consumers_info(stream.config.name)
                          if c.name.rsplit("-", 1)[-1].upper() == stream.config.name]
            return [name for _, name in sorted(found)]
        finally:
            await nc.close()
    return asyncio.run(names())


def verify(cf, capsys, monkeypatch, *extra: str) -> tuple[int, dict[str, list[dict]]]:
    """`courtflow verify --json` as an operator runs it on this system: exit code and findings by check."""
    monkeypatch.setenv("COURTFLOW_INTERNAL_KEY", cf.system.internal_key)
    capsys.readouterr()
    code = cli.main(["verify", "--json", "--database", cf.database_url, "--nats", cf.nats_url,
                     "--catalog", cf.system.components["node"].env["NODE_CATALOG"],
                     "--sms-log", str(cf.system.sms_log), *extra])
    out = json.loads(capsys.readouterr().out)
    return code, out["checks"] | {"dead_letters": out["dead_letters"]}


def named(found: dict[str, list[dict]], check: str) -> dict[str, str]:
    return {f["name"]: f["problem"] for f in found[check]}


@contextmanager
def damaged(cf, *statements: str, undo: tuple[str, ...], **params):
    """Run `statements` against the database, then `undo` when the block ends."""
    engine = create_engine(cf.database_url)
    try:
        with engine.begin() as conn:
            for s in statements:
                conn.execute(text(s), params)
        yield
    finally:
        with engine.begin() as conn:
            for s in undo:
                conn.execute(text(s), params)
        engine.dispose()


def node_id(cf, name: str) -> uuid.UUID:
    node = name.rsplit("/", 1)[1]
    case = uuid.UUID(name.split("/")[3])
    engine = create_engine(cf.database_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT id FROM nodes.nodes WHERE case_id = :c AND node_type = :t"),
                             {"c": case, "t": node}).scalar_one()
    engine.dispose()
    return found


def test_a_drained_system_verifies_clean(cf, world, capsys, monkeypatch):
    code, found = verify(cf, capsys, monkeypatch)
    assert {check: rows for check, rows in found.items() if rows} == {}
    assert code == 0
    # The same in words an operator reads.
    monkeypatch.setenv("COURTFLOW_INTERNAL_KEY", cf.system.internal_key)
    assert cli.main(["verify", "--database", cf.database_url, "--nats", cf.nats_url,
                     "--catalog", cf.system.components["node"].env["NODE_CATALOG"],
                     "--sms-log", str(cf.system.sms_log)]) == 0
    assert "案件与节点：一致" in capsys.readouterr().out


def test_a_filed_case_without_its_nodes_and_a_node_without_its_case_are_named(cf, world, capsys, monkeypatch):
    case_id = uuid.UUID(world["extended"].split("/")[3])
    stranger = uuid.uuid4()
    with damaged(cf, "UPDATE nodes.nodes SET case_id = :stranger WHERE case_id = :case AND node_type = 'trial_time_limit'",
                 undo=("UPDATE nodes.nodes SET case_id = :case WHERE case_id = :stranger",),
                 case=case_id, stranger=stranger):
        code, found = verify(cf, capsys, monkeypatch)
    cases = named(found, "case_nodes")
    assert code == 1
    assert "审理期限（trial_time_limit）" in cases[world["extended"]]   # as users know it, the code for support
    assert "案件服务却没有该案件" in cases[f"courts/440101/cases/{stranger}"]


def test_case_and_node_locks_that_disagree_are_named(cf, world, capsys, monkeypatch):
    case_id = uuid.UUID(world["locked"].split("/")[3])
    with damaged(cf, "UPDATE cases.case_locks SET node = node || '-gone' WHERE case_id = :case",
                 "UPDATE cases.cases SET locked = false WHERE id = :case",
                 undo=("UPDATE cases.case_locks SET node = left(node, -5) WHERE case_id = :case",
                       "UPDATE cases.cases SET locked = true WHERE id = :case"), case=case_id):
        code, found = verify(cf, capsys, monkeypatch)
    locks = named(found, "locks")
    assert code == 1
    assert "案件未记录该锁定" in locks[world["locked_trial"]]
    assert "节点已解锁或不存在" in locks[world["locked_trial"] + "-gone"]
    assert "却未标记为已锁定" in locks[world["locked"]]


def test_timers_without_a_basis_and_a_running_clock_without_its_deadline_are_named(cf, world, capsys, monkeypatch):
    trial = node_id(cf, world["trial"])
    # The extended limit's 15-day warning moved off its due date (into the future: the sweeper
    # must not fire it), and its deadline made a rung the node does not have.
    with damaged(cf, "UPDATE nodes.due_timers SET fire_at = fire_at + interval '1 month' "
                     "WHERE node_id = :n AND rung = 15",
                 "UPDATE nodes.due_timers SET rung = 99 WHERE node_id = :n AND rung = 0",
                 undo=("UPDATE nodes.due_timers SET fire_at = fire_at - interval '1 month' "
                       "WHERE node_id = :n AND rung = 15",
                       "UPDATE nodes.due_timers SET rung = 0 WHERE node_id = :n AND rung = 99"), n=trial):
        code, found = verify(cf, capsys, monkeypatch)
    problems = [f["problem"] for f in found["timers"] if f["name"] == world["trial"]]
    assert code == 1
    assert any("提前 15 日预警计时器定于" in p and "不属于当前的审限" in p for p in problems), problems
    assert any("没有未触发的到期计时器" in p for p in problems), problems
    assert any("预警档位" in p for p in problems), problems


def test_an_approval_that_never_took_effect_and_a_change_without_approval_are_named(cf, world, capsys,
                                                                                   monkeypatch):
    trial, app = node_id(cf, world["trial"]), uuid.UUID(world["application"].rsplit("/", 1)[1])
    engine = create_engine(cf.database_url)
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT extensions::text FROM nodes.nodes WHERE id = :n"), {"n": trial}).scalar_one()
    engine.dispose()
    with damaged(cf, "UPDATE nodes.nodes SET extensions = '[]' WHERE id = :n",
                 undo=("UPDATE nodes.nodes SET extensions = CAST(:kept AS jsonb) WHERE id = :n",), n=trial, kept=kept):
        code, lost = verify(cf, capsys, monkeypatch)
    assert code == 1
    assert "延长审限申请已批准，但未作用于节点" in named(lost, "applications")[world["application"]]
    with damaged(cf, "UPDATE nodes.applications SET state = 1 WHERE id = :a",
                 undo=("UPDATE nodes.applications SET state = 2 WHERE id = :a",), a=app):
        code, unapproved = verify(cf, capsys, monkeypatch)
    problems = [f["problem"] for f in unapproved["applications"] if f["name"] == world["trial"]]
    assert code == 1
    assert any("审限变更 1 次" in p and "为 0 个" in p for p in problems), problems
    assert any(world["application"] in p and "不存在或未经批准" in p for p in problems), problems


def test_an_altered_audit_chain_and_an_operation_missing_from_it_are_named(cf, world, capsys, monkeypatch):
    missing = uuid.uuid4()
    with damaged(cf, "UPDATE audit.records SET action = action || '（改）' WHERE sequence = 2",
                 "INSERT INTO cases.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, headers, "
                 "created_at, published_at) VALUES (:op, 'operation', 'courts/440101/cases/x', "
                 "'courtflow.audit.v1.OperationRecorded', 'courtflow.case.v1.operation_recorded', '', '{}', "
                 ":long_ago, :long_ago)",
                 undo=("UPDATE audit.records SET action = left(action, -3) WHERE sequence = 2",
                       "DELETE FROM cases.outbox WHERE id = :op"), op=missing, long_ago=LONG_AGO):
        code, found = verify(cf, capsys, monkeypatch)
    audit = named(found, "audit")
    assert code == 1
    assert "ALTERED" in audit["audit/records/2"]
    assert "不在审计日志链中" in audit[f"operations/{missing}"]


def test_a_reminder_delivered_twice_is_named(cf, world, capsys, monkeypatch):
    log = cf.system.sms_log
    before = log.read_text(encoding="utf-8")
    first = json.loads(before.splitlines()[0])
    log.write_text(before + json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    engine = create_engine(cf.database_url)
    with engine.begin() as conn:
        # A node's reminder of its first clock generation, and the same written with "|g0".
        key, node = conn.execute(text("SELECT dedupe_key, node FROM alerts.messages WHERE node <> '' AND "
                                      "dedupe_key NOT LIKE '%/applications/%' AND dedupe_key NOT LIKE node || '|g%' "
                                      "LIMIT 1")).one()
        twin = f"{node}|g0{key[len(node):]}"
        conn.execute(text("INSERT INTO alerts.messages (id, dedupe_key, recipient, kind, title, body, \"case\", node, "
                          "case_number, application, read, create_time) SELECT :id, :twin, recipient, kind, title, "
                          "body, \"case\", node, case_number, application, read, create_time FROM alerts.messages "
                          "WHERE dedupe_key = :key"), {"id": uuid.uuid4(), "twin": twin, "key": key})
    try:
        code, found = verify(cf, capsys, monkeypatch)
    finally:
        log.write_text(before, encoding="utf-8")
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alerts.messages WHERE dedupe_key = :twin"), {"twin": twin})
        engine.dispose()
    reminders = named(found, "reminders")
    assert code == 1
    assert "发出 2 次" in reminders[f"sms/{first['out_id']}"]
    assert "在站内消息中出现 2 次" in reminders[key]


def test_a_stuck_outbox_row_and_a_stuck_consumer_are_named(cf, world, capsys, monkeypatch):
    stuck = uuid.uuid4()

    async def consumer(action: str) -> None:
        nc = await nats.connect(cf.nats_url)
        js = nc.jetstream()
        if action == "add":   # a consumer nobody reads: the case stream's events wait for it
            await js.add_consumer("CASE", ConsumerConfig(durable_name="verify-stuck", ack_policy=AckPolicy.EXPLICIT))
        else:
            await js.delete_consumer("CASE", "verify-stuck")
        await nc.close()

    asyncio.run(consumer("add"))
    # Claimed by a relay that will not come back before next year: never published.
    with damaged(cf, "INSERT INTO cases.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, "
                     "headers, created_at, claimed_until) VALUES (:id, 'case', 'courts/440101/cases/x', "
                     "'courtflow.case.v1.CaseUpdated', 'courtflow.case.v1.case_updated', '', '{}', "
                     ":long_ago, now() + interval '1 year')",
                 undo=("DELETE FROM cases.outbox WHERE id = :id",), id=stuck, long_ago=LONG_AGO):
        try:
            code, found = verify(cf, capsys, monkeypatch)
        finally:
            asyncio.run(consumer("delete"))
    stuck_found = named(found, "stuck")
    assert code == 1
    assert "至今未发布" in stuck_found[f"cases.outbox/{stuck}"]
    assert "从未投递" in stuck_found["CASE/verify-stuck"]


# --- StatsService.VerifyIntegrity: the same checks for the trial management office, scoped -------

OFFICE, OTHER_OFFICE = "trial_management.440101", "trial_management.440102"
REGION_OFFICE, PROVINCE_OFFICE = "trial_management.4401", "trial_management.44"
PER_COURT = ["case_nodes", "locks", "timers", "applications", "reminders"]


def verify_rpc(cf, user: str, parent: str = "courts/-") -> dict:
    """VerifyIntegrity over HTTP-JSON as a portal or the console asks it: {check: {name: problem}}
    with the counts and whether it is consistent."""
    reply = cf.http("GET", f"/v1/{parent}/integrity:verify", user=user, timeout=120)
    assert reply.status == 200, reply.body.decode()
    body = reply.json()
    found: dict[str, dict[str, str]] = {c["check"]: {} for c in body.get("checks", [])}
    for f in body.get("findings", []):
        found[f["check"]][f["name"]] = f["problem"]
    counts = {c["check"]: c.get("findingCount", 0) for c in body.get("checks", [])}
    return {"consistent": body.get("consistent", False), "found": found, "counts": counts,
            "titles": {c["check"]: c["title"] for c in body.get("checks", [])}}


def test_a_drained_system_verifies_clean_through_the_rpc_over_http(cf, world):
    whole = verify_rpc(cf, PROVINCE_OFFICE)
    assert whole["consistent"], whole
    # The province sees every check, the whole-service ones too, each with a count of nothing.
    assert list(whole["counts"]) == [*PER_COURT[:4], "audit", "reminders", "stuck", "dead_letters"]
    assert set(whole["counts"].values()) == {0}
    assert whole["titles"]["case_nodes"] == "案件与节点"
    court = verify_rpc(cf, OFFICE, f"courts/{COURT_ID}")
    assert court["consistent"], court
    # A court's office: its courts' checks, not the audit chain or the plumbing, which name no court.
    assert list(court["counts"]) == PER_COURT


def test_damage_in_a_court_is_named_to_its_office_and_not_to_another_courts(cf, world):
    case_id, trial = uuid.UUID(world["extended"].split("/")[3]), node_id(cf, world["trial"])
    stranger = uuid.uuid4()
    # Across services: the case's trial limit node moved to a case that does not exist; within the
    # node service: that node's 15-day warning timer moved off its due date.
    with damaged(cf, "UPDATE nodes.nodes SET case_id = :stranger WHERE id = :n",
                 "UPDATE nodes.due_timers SET fire_at = fire_at + interval '1 month' WHERE node_id = :n AND rung = 15",
                 undo=("UPDATE nodes.nodes SET case_id = :case WHERE id = :n",
                       "UPDATE nodes.due_timers SET fire_at = fire_at - interval '1 month' "
                       "WHERE node_id = :n AND rung = 15"), case=case_id, stranger=stranger, n=trial):
        office = verify_rpc(cf, OFFICE)
        one_court = verify_rpc(cf, OFFICE, f"courts/{COURT_ID}")
        other = verify_rpc(cf, OTHER_OFFICE)
        region = verify_rpc(cf, REGION_OFFICE)
        province = verify_rpc(cf, PROVINCE_OFFICE)
    moved = f"courts/{COURT_ID}/cases/{stranger}/nodes/trial_time_limit"
    # The court's office, its intermediate court's (the region) and the high court's (the province).
    for answer in (office, one_court, region, province):
        assert not answer["consistent"]
        assert "审理期限（trial_time_limit）" in answer["found"]["case_nodes"][world["extended"]]
        assert "案件服务却没有该案件" in answer["found"]["case_nodes"][f"courts/{COURT_ID}/cases/{stranger}"]
        assert "不属于当前的审限" in answer["found"]["timers"][moved]
        assert answer["counts"]["case_nodes"] == 2 and answer["counts"]["timers"] == 1
    # Another court's office checks its own court, which is sound, and learns nothing of this one.
    assert other["consistent"], other
    assert set(other["counts"].values()) == {0} and not any(other["found"].values())


def test_whole_service_findings_reach_only_the_province(cf, world):
    missing, stuck = uuid.uuid4(), uuid.uuid4()
    with damaged(cf, "UPDATE audit.records SET action = action || '（改）' WHERE sequence = 2",
                 "INSERT INTO cases.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, headers, "
                 "created_at, published_at) VALUES (:op, 'operation', 'courts/440101/cases/x', "
                 "'courtflow.audit.v1.OperationRecorded', 'courtflow.case.v1.operation_recorded', '', '{}', "
                 ":long_ago, :long_ago)",
                 "INSERT INTO nodes.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, "
                 "headers, created_at, claimed_until) VALUES (:stuck, 'node', 'courts/440101/cases/x', "
                 "'courtflow.node.v1.NodeUpdated', 'courtflow.node.v1.node_updated', '', '{}', "
                 ":long_ago, now() + interval '1 year')",
                 "INSERT INTO alerts.dead_letters (consumer, event_id, subject, payload, error, deliveries, failed_at) "
                 "VALUES ('alert-node', :stuck, 'courtflow.node.v1.node_overdue', '', '无法解析事件', 10, :long_ago)",
                 undo=("UPDATE audit.records SET action = left(action, -3) WHERE sequence = 2",
                       "DELETE FROM cases.outbox WHERE id = :op", "DELETE FROM nodes.outbox WHERE id = :stuck",
                       "DELETE FROM alerts.dead_letters WHERE event_id = CAST(:stuck AS text)"),
                 op=missing, stuck=stuck, long_ago=LONG_AGO):
        province = verify_rpc(cf, PROVINCE_OFFICE)
        office = verify_rpc(cf, OFFICE)
    assert not province["consistent"]
    assert "ALTERED" in province["found"]["audit"]["audit/records/2"]
    assert "不在审计日志链中" in province["found"]["audit"][f"operations/{missing}"]
    assert "至今未发布" in province["found"]["stuck"][f"nodes.outbox/{stuck}"]
    assert "无法解析事件" in province["found"]["dead_letters"][f"alerts.dead_letters/{stuck}"]
    # A court's office is not told of the chain or another service's outbox: they name no court.
    assert office["consistent"], office
    assert not {"audit", "stuck", "dead_letters"} & set(office["counts"])


def test_a_judge_and_a_court_outside_the_callers_scope_are_refused(cf, world):
    judge = cf.http("GET", "/v1/courts/-/integrity:verify", user=JUDGE)
    assert judge.status == 403 and judge.reason() == "ROLE_NOT_PERMITTED"
    assert "无权调用" in judge.error["message"]
    err = refused(lambda: cf.stats.VerifyIntegrity(ss.VerifyIntegrityRequest(parent="courts/-"), metadata=cf.md(JUDGE)))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED and "无权调用" in err.details()
    other = cf.http("GET", f"/v1/courts/{COURT_ID}/integrity:verify", user=OTHER_OFFICE)
    assert other.status == 403 and "无权访问该法院的数据" in other.error["message"]
    bad = cf.http("GET", "/v1/courts/-/integrity:verify", user=OFFICE, query=[("stuckAfterSeconds", "-1")])
    assert bad.status == 400 and "stuckAfterSeconds" in bad.error["message"] and "须不小于 0" in bad.error["message"]
