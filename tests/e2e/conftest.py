"""What the end-to-end modules share: the whole system started as processes the way a module needs
it (its clock, its catalogue, its settings), the helpers that drive it as a court system and read
what its users see, and the `e2e` marker on every test here (`pytest -m "not e2e"` leaves them out)."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime, time as dtime
from pathlib import Path

import grpc
import nats
import pytest
import yaml
from google.type import date_pb2

from courtflow.alert.v1 import alert_pb2, alert_service_pb2 as als
from courtflow.audit.v1 import audit_pb2, audit_service_pb2 as aus
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.gateway.v1 import auth_service_pb2_grpc, gateway_service_pb2_grpc, org_service_pb2_grpc
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

import support
from conftest import new_database
from runtime.demo import create_request
from runtime.synthetic import CaseSeed
from services.common.clock import LEGAL_TZ
from support import AUDITOR, COURT_SYSTEM, JUDGE, SLICE_CATALOG, Running, eventually

HERE = Path(__file__).parent
# Where a system's shared clock stands unless its module says otherwise: Monday 2026-03-02, 10:00.
START = datetime(2026, 3, 2, 10, tzinfo=LEGAL_TZ)


@pytest.hookimpl(tryfirst=True)   # before `-m` selects on the marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


# ── the system ─────────────────────────────────────────────────────────────────────────────────

@pytest.fixture(scope="module")
def start_system(postgres, nats_servers, tmp_path_factory) -> Iterator[Callable[..., Running]]:
    """Starts a whole system: the six components as processes on a database and (when embedded) a
    NATS server of its own, the demo directory loaded, every process on the shared clock, frozen.
    Each runs until its module is done (a test may stop its own sooner). What modules vary:

    tag              names the database, the NATS server and the work directory
    clock            where the shared clock stands at start
    env              settings for every process (e.g. support.UNPACED_SMS, the gateway's limits)
    catalog          the node catalogue, the tests' slice unless given
    node_changes     {code: {field: value}} changed in that catalogue's nodes, which is then
                     written anew as version `catalog_version`

    The running system's `nats_server` is its embedded NATS server (None with an external one)."""
    started: list[Running] = []

    def start(tag: str, *, clock: datetime = START, env: dict[str, str] | None = None,
              catalog: Path = SLICE_CATALOG, node_changes: dict[str, dict] | None = None,
              catalog_version: str = "") -> Running:
        work = tmp_path_factory.mktemp(tag)
        if node_changes:
            catalog = changed_catalog(catalog, node_changes, version=catalog_version, to=work / "catalog.yaml")
        nats_url, nats_server = nats_servers.new(tag)
        running = support.start_system(database_url=new_database(postgres, tag.replace("-", "_")),
                                       nats_url=nats_url, work=work, start_clock=clock,
                                       extra_env={"NODE_CATALOG": str(catalog), **(env or {})})
        running.nats_server = nats_server
        started.append(running)
        return running

    yield start
    for running in started:
        running.system.stop()


def changed_catalog(source: Path, node_changes: dict[str, dict], *, version: str, to: Path) -> Path:
    catalog = yaml.safe_load(source.read_text(encoding="utf-8"))
    catalog["version"] = version
    for node in catalog["nodes"]:
        node.update(node_changes.get(node["code"], {}))
    to.write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    return to


def drained(cf: Running, *durables: str, timeout: float = 90) -> None:
    """Waits until each durable consumer (`<consumer>-<producer>`, on the producer's stream) has
    been delivered every message of its stream and has acknowledged each: JetStream's word that the
    consumer has handled everything published so far, deliveries that come back after a crash (at
    the end of the ack wait) included. Give them upstream first."""
    async def wait() -> None:
        nc = await nats.connect(cf.nats_url)
        try:
            js = nc.jetstream()
            deadline = time.monotonic() + timeout
            for durable in durables:
                while True:
                    info = await js.consumer_info(durable.rsplit("-", 1)[1].upper(), durable)
                    if info.num_pending == 0 and info.num_ack_pending == 0:
                        break
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{durable} still busy after {timeout}s: {info.num_pending} "
                                             f"pending, {info.num_ack_pending} not acknowledged")
                    await asyncio.sleep(0.1)
        finally:
            await nc.close()
    asyncio.run(wait())


# ── dates ──────────────────────────────────────────────────────────────────────────────────────

def at(d: date, hour: int = 9) -> datetime:
    """`hour` o'clock in Beijing on `d` (rungs fire at 00:00, so a clock moved here has passed them)."""
    return datetime.combine(d, dtime(hour), tzinfo=LEGAL_TZ)


def pb(d: date) -> date_pb2.Date:
    return date_pb2.Date(year=d.year, month=d.month, day=d.day)


def ymd(d: date_pb2.Date) -> date:
    return date(d.year, d.month, d.day)


# ── the court system's side ────────────────────────────────────────────────────────────────────

TYPE_WORDS = {("civil", "first_instance_ordinary"): "民初", ("civil", "second_instance"): "民终",
              ("criminal", "first_instance_ordinary"): "刑初", ("criminal", "simplified"): "刑初",
              ("administrative", "first_instance_ordinary"): "行初"}
CAUSES = {"civil": ("民间借贷纠纷", ("原告 张三", "被告 李四")),
          "criminal": ("盗窃罪", ("被告 王五",)),
          "administrative": ("行政处罚", ("原告 赵六", "被告 示范市云岫区市场监督管理局"))}


def seed(tag: str, n: int, *, filed: date, handler: str = JUDGE, department: str = "", case_type: str = "civil",
         procedure: str = "first_instance_ordinary", custody: bool = False) -> CaseSeed:
    """Case n of a module: request id `<tag>-<n>`, case number （<year>）示<court>民初<n>号, in
    `department` (e.g. "440101-civil1"; the handler's, judge.<court>.<department>.<k>, unless given)."""
    if not department:
        _, court, name, _ = handler.split(".")
        department = f"{court}-{name}"
    court = department.split("-")[0]
    cause, parties = CAUSES[case_type]
    return CaseSeed(request_id=f"{tag}-{n}", court_id=court, department_id=department,
                    case_number=f"（{filed.year}）示{court[2:]}{TYPE_WORDS[case_type, procedure]}{n}号",
                    case_type=case_type, procedure=procedure, cause=cause, parties=parties, handler=handler,
                    filing_date=filed, custody=custody)


def file_case(cf: Running, tag: str, n: int, **seed_fields) -> case_pb2.Case:
    """Registers seed(tag, n, ...) as the court system; returns once filing has opened its nodes."""
    case = cf.cases.CreateCase(create_request(seed(tag, n, **seed_fields)), metadata=cf.md(COURT_SYSTEM)).case
    eventually(lambda: nodes_of(cf, case, COURT_SYSTEM), what=f"{case.case_number}: nodes opened by filing")
    return case


def record(cf: Running, case: str | case_pb2.Case, event: str, on: date, document: str = "", *,
           request_id: str = "", **fields) -> case_pb2.CaseEvent:
    """Pushes one case event (事件日期 `on`) as the court system; `event` is its type without the
    CASE_EVENT_TYPE_ prefix."""
    request = cs.RecordCaseEventRequest(
        parent=name_of(case), request_id=request_id or f"e2e-{uuid.uuid4().hex}", case_event=case_pb2.CaseEvent(
            event_type=case_pb2.CaseEventType.Value(f"CASE_EVENT_TYPE_{event}"), occur_date=pb(on),
            document=document, **fields))
    return cf.cases.RecordCaseEvent(request, metadata=cf.md(COURT_SYSTEM)).case_event


def name_of(case: str | case_pb2.Case) -> str:
    return case if isinstance(case, str) else case.name


# ── what users see ─────────────────────────────────────────────────────────────────────────────

def nodes_of(cf: Running, case: str | case_pb2.Case, user: str = JUDGE) -> dict[str, node_pb2.Node]:
    """A case's nodes by type, as `user` reads them."""
    reply = cf.nodes.ListNodes(ns.ListNodesRequest(parent=name_of(case), page_size=1000), metadata=cf.md(user))
    return {n.node_type: n for n in reply.nodes}


def messages(cf: Running, user: str = JUDGE, *, case: str | case_pb2.Case | None = None,
             filter: str = "") -> list[alert_pb2.Message]:
    """Every message in the user's inbox (all pages): only one case's, or those `filter` selects, when given."""
    query = f'case = "{name_of(case)}"' if case is not None else filter
    out, token = [], ""
    while True:
        page = cf.alerts.ListMessages(als.ListMessagesRequest(parent="users/me", page_size=1000, filter=query,
                                                              page_token=token), metadata=cf.md(user))
        out += page.messages
        token = page.next_page_token
        if not token:
            return out


def sms_lines(cf: Running) -> list[dict]:
    """The SMS sent so far, as the log provider wrote them."""
    path = cf.system.sms_log
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def audit_records(cf: Running, filter: str) -> list[audit_pb2.AuditRecord]:
    """The audit records a filter selects (all pages), as the province's auditor reads them."""
    out, token = [], ""
    while True:
        page = cf.audit.ListAuditRecords(aus.ListAuditRecordsRequest(filter=filter, page_size=1000, page_token=token),
                                         metadata=cf.md(AUDITOR))
        out += page.audit_records
        token = page.next_page_token
        if not token:
            return out


def refused(call: Callable[[], object], code: grpc.StatusCode | None = None) -> grpc.RpcError:
    """The error a call is refused with (of `code`, when given)."""
    with pytest.raises(grpc.RpcError) as caught:
        call()
    if code is not None:
        assert caught.value.code() == code, (caught.value.code(), caught.value.details())
    return caught.value


# The gateway's own services (the five behind it are Running.cases, .nodes, .alerts, .stats, .audit).

def auth_service(cf: Running) -> auth_service_pb2_grpc.AuthServiceStub:
    return auth_service_pb2_grpc.AuthServiceStub(cf.channel)


def gateway_service(cf: Running) -> gateway_service_pb2_grpc.GatewayServiceStub:
    return gateway_service_pb2_grpc.GatewayServiceStub(cf.channel)


def org_service(cf: Running) -> org_service_pb2_grpc.OrgServiceStub:
    return org_service_pb2_grpc.OrgServiceStub(cf.channel)
