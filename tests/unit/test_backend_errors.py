"""The gateway's one mapping of gRPC's own errors (English, made by the library: a service down, a
deadline, a connection reset) to errors for people: the same code, a Chinese message naming the
part of the system, an ErrorInfo; a service's own error (Chinese, with its details) unchanged."""
from __future__ import annotations

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc.aio import AioRpcError
from grpc_status import rpc_status

from gateway.edge.backends import backend_error, component_of, translated
from services.common.components import label
from services.common.errors import has_chinese
from gateway.edge.proxy import Outcome
from gateway.edge.http_errors import error_of
from services.common.errors import DOMAIN, DomainError, FieldViolation, NotFound, to_status

C = grpc.StatusCode
# What grpcio says when the gateway forwards to a service that is down, slow or dies mid-call.
ENGLISH = [
    (C.UNAVAILABLE, "failed to connect to all addresses; last error: UNKNOWN: ipv4:10.0.3.4:50052: "
                    "Failed to connect to remote host: Connection refused"),
    (C.UNAVAILABLE, "connections to all backends failing; last error: UNKNOWN: ipv4:127.0.0.1:37443: "
                    "Failed to connect to remote host: Connection refused"),
    (C.UNAVAILABLE, "Socket closed"),
    (C.UNAVAILABLE, "GOAWAY received"),
    (C.INTERNAL, "Received RST_STREAM with error code 2"),
    (C.DEADLINE_EXCEEDED, "Deadline Exceeded"),
    (C.CANCELLED, "Locally cancelled by application!"),
    (C.RESOURCE_EXHAUSTED, "Received message larger than max (5242880 vs. 4194304)"),
    (C.UNIMPLEMENTED, "Method not found!"),
    (C.UNKNOWN, "Unexpected error"),
    (C.UNKNOWN, ""),
]


def http_body(error: DomainError) -> tuple[int, dict]:
    """What a portal reads over HTTP-JSON for this error (the path the gateway's answer takes)."""
    status = to_status(error)
    http = error_of(Outcome(status.code, status.details, status.trailing_metadata).rpc_status())
    return http.status, http.body["error"]


@pytest.mark.parametrize("code,message", ENGLISH)
def test_grpcs_own_english_errors_become_chinese_naming_the_service(code, message):
    error = translated("node", AioRpcError(code, None, None, details=message))
    assert isinstance(error, DomainError) and error.code == code
    assert has_chinese(error.message) and "节点服务（node）" in error.message
    assert "Connection refused" not in error.message and "10.0.3.4" not in error.message  # no internals
    assert error.metadata["service"] == "node"
    _, body = http_body(error)
    assert body["message"] == error.message and body["status"] == code.name
    info = next(d for d in body["details"] if d["@type"].endswith("ErrorInfo"))
    assert info["domain"] == DOMAIN and info["reason"] == error.reason and info["metadata"]["service"] == "node"


def test_a_service_that_cannot_be_reached_is_503_with_a_retry_hint():
    error = translated("node", AioRpcError(C.UNAVAILABLE, None, None, details="Socket closed"))
    assert error.message == "节点服务（node）暂时不可用，请稍后重试"
    assert error.reason == "SERVICE_UNAVAILABLE" and error.metadata == {"service": "node", "retry_after_ms": "1000"}
    status, body = http_body(error)
    assert status == 503 and body["status"] == "UNAVAILABLE"
    # The same answer when the gateway gives up waiting for the connection itself.
    assert backend_error("node", C.UNAVAILABLE).message == error.message


def test_a_deadline_gets_a_chinese_message_that_warns_a_write_may_have_happened():
    error = translated("case", AioRpcError(C.DEADLINE_EXCEEDED, None, None, details="Deadline Exceeded"))
    assert error.message.startswith("案件服务（case）未在时限内答复") and "是否已生效" in error.message
    assert error.reason == "SERVICE_DEADLINE_EXCEEDED" and "retry_after_ms" not in error.metadata
    assert http_body(error)[0] == 504


def test_every_code_and_component_has_a_chinese_message():
    for component in ("case", "node", "alert", "stats", "audit", "gateway", "unknown"):
        for code in C:
            if code is C.OK:
                continue
            message = backend_error(component, code).message
            assert has_chinese(message) and f"（{component}）" in message, (component, code, message)


def test_a_services_own_chinese_error_passes_unchanged():
    status = to_status(NotFound("案件不存在：courts/440101/cases/x", reason="CASE_NOT_FOUND"))
    err = AioRpcError(status.code, None, status.trailing_metadata, details=status.details)
    assert translated("case", err) is err
    # The database-down answer of a service's guard is the service's, and stays as it is too.
    assert translated("case", AioRpcError(C.UNAVAILABLE, None, None, details="数据库暂时不可用，请稍后重试")).details() \
        == "数据库暂时不可用，请稍后重试"


def test_an_english_message_with_a_services_details_keeps_its_reason_and_field_violations():
    own = DomainError("bad request", reason="CASE_NUMBER_TAKEN", violations=(FieldViolation("case.case_number", "taken"),))
    own.code = C.ALREADY_EXISTS
    status = to_status(own)
    error = translated("case", AioRpcError(status.code, None, status.trailing_metadata, details=status.details))
    assert error.reason == "CASE_NUMBER_TAKEN" and error.violations == (FieldViolation("case.case_number", "taken"),)
    assert has_chinese(error.message) and error.code == C.ALREADY_EXISTS
    # Message and details agree, as gRPC clients check (grpc_status refuses a mismatch).
    out = to_status(error)
    decoded = rpc_status.from_call(AioRpcError(out.code, None, out.trailing_metadata, details=out.details))
    assert decoded.message == error.message
    assert any(d.Is(error_details_pb2.BadRequest.DESCRIPTOR) for d in decoded.details)


def test_component_names():
    assert component_of("courtflow.node.v1.NodeService") == "node"
    assert component_of("courtflow.stats.v1.StatsService") == "stats"
    assert label("alert") == "提醒服务（alert）" and label("gateway") == "网关（gateway）"
