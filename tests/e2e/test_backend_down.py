"""A service behind the gateway that is down is answered at once (issue 12, item 6): with the
node service killed, a call to it through the gateway fails within two seconds with UNAVAILABLE
(HTTP 503, Retry-After) and a Chinese message naming the node service, over gRPC and HTTP-JSON
alike, while calls to the other services go on; GET /readyz says which service is not ready
(within its bound even when a service hangs), GET /healthz answers 200; once the service is
back, the same call succeeds. (A system of its own: these tests stop one of its processes.)"""
from __future__ import annotations

import os
import signal
import time
from datetime import date

import grpc
import pytest

from google.type import date_pb2

from courtflow.case.v1 import case_pb2, case_service_pb2 as cs
from courtflow.node.v1 import node_service_pb2 as ns

from runtime.demo import create_request
from services.common.errors import details_of
from support import COURT, COURT_SYSTEM, JUDGE, eventually, http_call

from .conftest import seed

pytestmark = pytest.mark.timeout(240)
NODE_DOWN = "节点服务（node）暂时不可用，请稍后重试"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("backend-down")


def timed(fn):
    started = time.monotonic()
    try:
        return fn(), time.monotonic() - started
    except grpc.RpcError as err:
        return err, time.monotonic() - started


def calendar_years_over_grpc(cf):
    return cf.nodes.ListCalendarYears(ns.ListCalendarYearsRequest(), metadata=cf.md(JUDGE), timeout=15)


def test_healthz_answers_at_once_without_a_token(cf):
    reply, elapsed = timed(lambda: http_call(cf.system.gateway_http, "GET", "/healthz", timeout=5))
    assert reply.status == 200 and reply.json() == {"status": "SERVING"} and elapsed < 1
    assert http_call(cf.system.gateway_http, "HEAD", "/healthz").status == 200


def test_readyz_is_200_when_the_gateway_and_every_service_serve(cf):
    reply = eventually(lambda: (r := cf.http("GET", "/readyz")).status == 200 and r, timeout=10, what="ready")
    assert reply.json() == {"status": "SERVING", "components": dict.fromkeys(
        ["gateway", "case", "node", "alert", "stats", "audit"], "SERVING")}
    # Neither probe is part of the API: not in the OpenAPI document, like /openapi.json itself.
    paths = cf.http("GET", "/openapi.json").json()["paths"]
    assert "/healthz" not in paths and "/readyz" not in paths


def test_a_killed_service_is_answered_at_once_and_served_again_once_back(cf):
    assert calendar_years_over_grpc(cf) is not None
    case = cf.cases.CreateCase(create_request(seed("down", 7001, filed=date(2026, 3, 2))),
                               metadata=cf.md(COURT_SYSTEM)).case.name
    node = cf.system.components["node"]
    node.kill()   # kill -9: no goodbye to the gateway's connection
    try:
        # gRPC: UNAVAILABLE in well under the deadline (15 s), in Chinese, naming the node service.
        err, elapsed = timed(lambda: calendar_years_over_grpc(cf))
        assert isinstance(err, grpc.RpcError), err
        assert err.code() == grpc.StatusCode.UNAVAILABLE and elapsed < 2, (err.code(), elapsed)
        assert err.details() == NODE_DOWN
        assert details_of(err)[0] == "SERVICE_UNAVAILABLE"
        # HTTP-JSON: 503 with the same message and a Retry-After.
        reply, elapsed = timed(lambda: cf.http("GET", "/v1/calendarYears", user=JUDGE))
        assert reply.status == 503 and elapsed < 2, (reply.status, reply.body, elapsed)
        assert reply.error["status"] == "UNAVAILABLE" and reply.error["message"] == NODE_DOWN
        assert reply.reason() == "SERVICE_UNAVAILABLE" and reply.headers["retry-after"] == "1"
        # The other services are served as before.
        cases = cf.cases.ListCases(cs.ListCasesRequest(parent=f"courts/{COURT}"), metadata=cf.md(JUDGE), timeout=15)
        assert cases is not None
        assert cf.http("GET", f"/v1/courts/{COURT}/cases", user=JUDGE).status == 200
        # The probes: alive, and not ready because of the node service, said in Chinese and by name.
        assert cf.http("GET", "/healthz").status == 200
        ready, elapsed = timed(lambda: cf.http("GET", "/readyz"))
        assert ready.status == 503 and elapsed < 2, (ready.status, ready.body, elapsed)
        body = ready.json()
        assert body["status"] == "NOT_SERVING" and body["components"]["node"] == "UNREACHABLE"
        assert body["components"]["case"] == "SERVING" and body["components"]["gateway"] == "SERVING"
        assert [n["component"] for n in body["notReady"]] == ["node"]
        assert "节点服务（node）" in body["message"] and body["notReady"][0]["name"] == "节点服务（node）"
        # The case service's own call to the node service (a hearing date checked, S5) fails closed.
        err, _ = timed(lambda: schedule_hearing(cf, case, "down"))
        assert err.code() == grpc.StatusCode.UNAVAILABLE and details_of(err)[0] == "NODE_SERVICE_UNAVAILABLE"
    finally:
        cf.system.restart("node")
    # Back: the very next call succeeds (the gateway reconnects within half a second, and a call
    # waits up to a second for a connection rather than failing while it does).
    assert calendar_years_over_grpc(cf) is not None
    assert cf.http("GET", "/v1/calendarYears", user=JUDGE).status == 200
    eventually(lambda: cf.http("GET", "/readyz").status == 200, timeout=3, what="ready again")
    # So does the case service's own call to the node service, within seconds (its channel has the
    # gateway's reconnect settings, services/common/channels.py).
    eventually(lambda: reaches_node(lambda: schedule_hearing(cf, case, f"up-{time.monotonic()}")), timeout=3,
               interval=0.2, what="a hearing date checked by the node service again")


def schedule_hearing(cf, case: str, request_id: str):
    request = cs.RecordCaseEventRequest(parent=case, request_id=f"hearing-{request_id}", case_event=case_pb2.CaseEvent(
        event_type=case_pb2.CASE_EVENT_TYPE_HEARING_SCHEDULED, occur_date=date_pb2.Date(year=2026, month=3, day=2),
        hearing_date=date_pb2.Date(year=2026, month=4, day=1)))
    return cf.cases.RecordCaseEvent(request, metadata=cf.md(COURT_SYSTEM), timeout=15)


def reaches_node(call) -> bool:
    """True when the node service answered: the event recorded, or refused by its rules."""
    try:
        call()
    except grpc.RpcError as err:
        return err.code() != grpc.StatusCode.UNAVAILABLE
    return True


def test_readyz_answers_in_time_when_a_service_hangs(cf):
    node = cf.system.components["node"]
    os.kill(node.proc.pid, signal.SIGSTOP)   # connected, but answers nothing
    try:
        waits = []

        def not_ready():   # (a result is reused for half a second: the first probe may be an earlier one's)
            reply, elapsed = timed(lambda: cf.http("GET", "/readyz", timeout=10))
            waits.append(elapsed)
            return reply.status == 503 and reply
        ready = eventually(not_ready, timeout=5, what="not ready")
        assert max(waits) < 2, waits
        assert ready.json()["components"]["node"] == "NO_ANSWER"
        assert "节点服务（node）" in ready.json()["message"]
        assert cf.http("GET", "/healthz", timeout=5).status == 200
    finally:
        os.kill(node.proc.pid, signal.SIGCONT)
    eventually(lambda: cf.http("GET", "/readyz").status == 200, timeout=5, what="ready again")


def test_a_method_the_gateway_does_not_serve_is_refused_in_chinese(cf):
    call = cf.channel.unary_unary("/courtflow.node.v1.NodeService/NoSuchMethod")
    with pytest.raises(grpc.RpcError) as info:
        call(b"", metadata=cf.md(JUDGE), timeout=5)
    assert info.value.code() == grpc.StatusCode.UNIMPLEMENTED
    assert info.value.details() == "没有这个接口：/courtflow.node.v1.NodeService/NoSuchMethod"
    assert details_of(info.value)[0] == "METHOD_NOT_FOUND"
