"""Nothing is lost when the infrastructure fails: NATS killed with -9, PostgreSQL restarted and
the audit service killed while cases flow; afterwards every case exists once, every reminder
arrives once, in the inbox and by SMS, and every registration is in the audit log once with the
chain whole. (Needs the embedded servers, which the suite can kill.)"""
from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date, datetime

import grpc
import pytest

from courtflow.alert.v1 import alert_service_pb2 as als
from courtflow.audit.v1 import audit_service_pb2 as aus
from courtflow.case.v1 import case_service_pb2 as cs

from conftest import new_database
from runtime.demo import create_request
from runtime.synthetic import CaseSeed
from services.common.clock import LEGAL_TZ
from support import AUDITOR, COURT, COURT_SYSTEM, JUDGE, PRESIDENT, UNPACED_SMS, eventually, start_system

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def cf(postgres, nats_servers, tmp_path):
    nats_url, server = nats_servers.new("durability")
    running = start_system(database_url=new_database(postgres, "durability"), nats_url=nats_url, work=tmp_path,
                           start_clock=datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ), extra_env=UNPACED_SMS)
    running.nats_server = server
    yield running
    running.system.stop()


def seed(tag: str, n: int) -> CaseSeed:
    return CaseSeed(request_id=f"{tag}-{n}", court_id=COURT, department_id="440101-civil1",
                    case_number=f"（2026）示0101民初{n}号", case_type="civil", procedure="first_instance_ordinary",
                    cause="劳动争议", parties=("原告 孙七", "被告 某某有限公司"), handler=JUDGE,
                    filing_date=date(2026, 1, 5), custody=False)


def register_with_retry(cf, s: CaseSeed, timeout: float = 60) -> str:
    """What a court system does: retry the same request id until it is accepted."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return cf.cases.CreateCase(create_request(s), metadata=cf.md(COURT_SYSTEM), timeout=10).case.name
        except grpc.RpcError as err:
            if time.monotonic() > deadline or err.code() in (grpc.StatusCode.INVALID_ARGUMENT,
                                                               grpc.StatusCode.PERMISSION_DENIED):
                raise
            time.sleep(0.3)


def assert_each_reminded_once(cf, seeds: list[CaseSeed]) -> None:
    """The judge's overdue reminder of each case, in the inbox and by SMS, once. (Filed two months
    ago, the nodes are also past the ladder's 31st day, and the division head is told too.)"""
    numbers = {s.case_number for s in seeds}

    def inbox():
        return [m for m in cf.alerts.ListMessages(als.ListMessagesRequest(
            parent="users/me", page_size=1000, filter="kind = OVERDUE"), metadata=cf.md(JUDGE)).messages
            if m.case_number in numbers]
    eventually(lambda: len(inbox()) >= len(seeds), timeout=90, what="every reminder in the inbox")

    def sms():
        path = cf.system.sms_log
        lines = [json.loads(l) for l in path.read_text().splitlines() if l.strip()] if path.exists() else []
        return [l for l in lines if l["template"] == "OVERDUE" and "您承办的" in l["text"]
                and any(n in l["text"] for n in numbers)]
    eventually(lambda: len(sms()) >= len(seeds), timeout=90, what="every SMS")
    time.sleep(1.0)  # anything sent twice would have arrived by now
    assert sorted(Counter(m.case_number for m in inbox()).values()) == [1] * len(seeds)
    assert sorted(Counter(n for l in sms() for n in numbers if n in l["text"]).values()) == [1] * len(seeds)
    cases = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}", page_size=1000),
                               metadata=cf.md(PRESIDENT)).cases
    assert sorted(Counter(c.case_number for c in cases if c.case_number in numbers).values()) == [1] * len(seeds)


def assert_each_audited_once(cf, names: list[str]) -> None:
    """Every registration is in the audit log exactly once, and the chain is whole (issue 4, item 8)."""
    def records():
        out, token = [], ""
        while True:
            page = cf.audit.ListAuditRecords(aus.ListAuditRecordsRequest(
                filter='action = "/courtflow.case.v1.CaseService/CreateCase"', page_size=1000, page_token=token),
                metadata=cf.md(AUDITOR))
            out += [r.operation.resource for r in page.audit_records if r.operation.resource in names]
            token = page.next_page_token
            if not token:
                return out
    eventually(lambda: len(records()) >= len(names), timeout=90, what="every registration audited")
    time.sleep(1.0)
    assert sorted(Counter(records()).values()) == [1] * len(names)
    chain = cf.audit.VerifyAuditChain(aus.VerifyAuditChainRequest(), metadata=cf.md(AUDITOR))
    assert chain.intact, (chain.first_bad_record, chain.problem, chain.message)


def test_audit_service_killed_while_operations_flow_loses_no_record(cf):
    seeds = [seed("audit", 7000 + i) for i in range(40)]
    names = []
    for i, s in enumerate(seeds):
        if i == 10:
            cf.system.components["audit"].kill()        # kill -9 with records in flight
        if i == 25:
            cf.system.restart("audit")
        names.append(register_with_retry(cf, s))
    assert_each_audited_once(cf, names)


def test_nats_killed_and_restarted_while_cases_flow(cf):
    if cf.nats_server is None:
        pytest.skip("NATS_URL names an external server that the suite cannot kill")
    seeds = [seed("nats", 5000 + i) for i in range(40)]
    names = []
    for i, s in enumerate(seeds):
        if i == 10:
            cf.nats_server.kill()           # kill -9: JetStream must keep what it acknowledged
        if i == 25:
            cf.nats_server.start()
        names.append(register_with_retry(cf, s))
    assert_each_reminded_once(cf, seeds)
    assert_each_audited_once(cf, names)


def test_postgres_restarted_while_cases_flow(cf, postgres_server):
    if postgres_server is None:
        pytest.skip("DATABASE_URL names an external server that the suite cannot restart")
    seeds = [seed("pg", 6000 + i) for i in range(40)]
    names = []
    for i, s in enumerate(seeds):
        if i == 15:
            postgres_server.kill()          # a crash: services see broken connections
            postgres_server.start()
        names.append(register_with_retry(cf, s))
    assert_each_reminded_once(cf, seeds)
    assert_each_audited_once(cf, names)
