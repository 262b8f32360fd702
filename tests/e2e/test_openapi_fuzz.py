"""Schemathesis against the running gateway's own OpenAPI document (issue 4, item 6): requests
generated from /openapi.json, each sent with the token of a user whose role may call the
operation, get no 5xx and no answer that breaks the document (body schema, status code).

Bounded so that the run takes well under two minutes on two cores: a few examples per
operation, no shrinking. The live stream (StreamMessages) is not among the document's paths (it
never ends by itself; the document describes it apart, in x-courtflow-streams)."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from courtflow.common.v1.caller_pb2 import Role
from gateway.access import permissions
from support import COURT_SYSTEM

pytestmark = pytest.mark.timeout(300)
MAX_EXAMPLES = 12
# Who calls an operation: the first of these users whose role the permission table allows
# (province-wide roles first, so that answers carry data), else anonymous (public methods).
CALLERS = ["trial_management.44", "auditor.44", COURT_SYSTEM, "admin", "president.440101", "head.440101.civil1",
           "judge.440101.civil1.1"]


@pytest.fixture(scope="module")
def cf(start_system):
    # The fuzzer is one fast caller: the rate limit would answer most of it with 429.
    return start_system("fuzz", env={"GATEWAY_RATE_LIMIT": "100000", "GATEWAY_RATE_BURST": "100000",
                                     "GATEWAY_COURT_SYSTEM_RATE_LIMIT": "100000"})


@pytest.fixture(scope="module")
def api_schema(cf):
    schema = schemathesis.openapi.from_url(f"{cf.system.gateway_http}/openapi.json")
    schema.config.generation.update(max_examples=MAX_EXAMPLES, no_shrink=True, deterministic=True)
    return schema


@pytest.fixture(scope="module")
def tokens(cf) -> dict[str, str]:
    """gRPC method -> the bearer token to call it with ("" for public methods)."""
    roles = {u: Role.Value("ROLE_" + cf.logins[u]["role"].upper()) for u in CALLERS}
    out = {}
    for method, permission in permissions.TABLE.items():
        user = next((u for u in CALLERS if roles[u] in permission.roles), None)
        out[method] = cf.logins[user]["token"] if user else ""
    return out


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_the_gateway_keeps_to_its_openapi_document(case, tokens):
    method = case.operation.definition.raw["x-courtflow-grpc-method"]
    headers = {"Authorization": f"Bearer {tokens[method]}"} if tokens.get(method) else {}
    case.call_and_validate(headers=headers, timeout=20,
                           checks=[not_a_server_error, response_schema_conformance, status_code_conformance])
