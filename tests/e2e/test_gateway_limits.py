"""Request limits at the gateway (issue 4, item 5): a request larger than the limit and a caller
faster than its rate get RESOURCE_EXHAUSTED with a reason, and change nothing; other callers
are not slowed down by one busy caller."""
from __future__ import annotations

import grpc
import pytest

from courtflow.gateway.v1 import gateway_service_pb2 as gs
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns

from services.common.errors import details_of
from support import JUDGE, OTHER_JUDGE, PRESIDENT

from .conftest import gateway_service

pytestmark = pytest.mark.timeout(240)
ADMIN = "admin"


@pytest.fixture(scope="module")
def cf(start_system):
    return start_system("limits", env={"GATEWAY_RATE_LIMIT": "1", "GATEWAY_RATE_BURST": "5",
                                       "GATEWAY_MAX_REQUEST_BYTES": "2048"})


def test_a_caller_over_its_rate_is_told_when_to_retry(cf):
    stub = gateway_service(cf)
    outcomes = []
    for _ in range(8):
        try:
            stub.GetCaller(gs.GetCallerRequest(), metadata=cf.md(JUDGE))
            outcomes.append("ok")
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert details_of(exc)[0] == "RATE_LIMITED" and "请求过于频繁" in exc.details()
            outcomes.append("limited")
    assert outcomes[:5] == ["ok"] * 5 and "limited" in outcomes[5:]
    # Another caller still gets through at once.
    assert stub.GetCaller(gs.GetCallerRequest(), metadata=cf.md(OTHER_JUDGE)).caller.user == f"users/{OTHER_JUDGE}"


def test_a_request_over_the_size_limit_is_refused_and_changes_nothing(cf):
    too_big = node_pb2.CalendarYear(year=2027, source="很长的来源说明" * 200, holidays=[])
    with pytest.raises(grpc.RpcError) as refused:
        cf.nodes.ImportCalendarYear(ns.ImportCalendarYearRequest(calendar_year=too_big), metadata=cf.md(ADMIN))
    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert details_of(refused.value)[0] == "REQUEST_TOO_LARGE"
    years = cf.nodes.ListCalendarYears(ns.ListCalendarYearsRequest(), metadata=cf.md(ADMIN)).calendar_years
    assert 2027 not in [y.year for y in years]


def test_http_json_callers_get_the_same_rate_limit(cf):
    # Another caller than the gRPC test's: each caller has its own bucket.
    outcomes = [cf.http("GET", "/v1/caller", user=PRESIDENT) for _ in range(8)]
    assert [r.status for r in outcomes[:5]] == [200] * 5
    limited = [r for r in outcomes[5:] if r.status == 429]
    assert limited, [r.status for r in outcomes]
    assert limited[0].reason() == "RATE_LIMITED" and "请求过于频繁" in limited[0].error["message"]
    assert limited[0].error["status"] == "RESOURCE_EXHAUSTED" and int(limited[0].headers["retry-after"]) >= 1


def test_an_http_body_over_the_size_limit_is_refused_and_changes_nothing(cf):
    year = {"year": 2028, "source": "很长的来源说明" * 200, "holidays": []}
    refused = cf.http("POST", "/v1/calendarYears", user=ADMIN, body=year)
    assert refused.status == 413 and refused.reason() == "REQUEST_TOO_LARGE"
    assert refused.error["status"] == "RESOURCE_EXHAUSTED" and "请求过大" in refused.error["message"]
    years = cf.http("GET", "/v1/calendarYears", user=ADMIN).json()["calendarYears"]
    assert 2028 not in [y["year"] for y in years]
