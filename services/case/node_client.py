"""The case service's one synchronous dependency: asking the node service whether a hearing date
keeps the scheduling rules (S5) before a HEARING_SCHEDULED event is accepted.

The call carries the original caller, signed with the internal key, so the node service applies
the same scope as for the caller's own request. It is made before the case service opens its unit
of work (service.record_event), so no database connection waits on it.
"""
from __future__ import annotations

from datetime import date

import grpc
from opentelemetry.instrumentation.grpc import client_interceptor, intercept_channel

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1 import node_service_pb2 as pb, node_service_pb2_grpc

from services.common import caller as caller_context, deadline
from services.common.channels import CHANNEL_OPTIONS
from services.common.dates import from_date
from services.common.errors import DomainError, Unavailable, details_of, has_chinese

TIMEOUT_SECONDS = 5.0


class NodeClient:
    def __init__(self, address: str, internal_key: str) -> None:
        self._channel = grpc.insecure_channel(address, options=list(CHANNEL_OPTIONS))
        # Traced like the gateway's calls, so the request's one trace goes on into the node service.
        self._stub = node_service_pb2_grpc.NodeServiceStub(intercept_channel(self._channel, client_interceptor()))
        self._key = internal_key

    def validate_hearing(self, caller: Caller, case_name: str, hearing_date: date) -> pb.ValidateHearingResponse:
        request = pb.ValidateHearingRequest(parent=case_name, hearing_date=from_date(hearing_date))
        try:
            return self._stub.ValidateHearing(request, metadata=caller_context.sign(caller, self._key),
                                              timeout=deadline.within(TIMEOUT_SECONDS))
        except grpc.RpcError as exc:
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                # Fail closed: an unchecked hearing date is not accepted; the court system retries.
                raise Unavailable("节点服务暂不可用，无法校验开庭排期，请稍后重试", reason="NODE_SERVICE_UNAVAILABLE") from None
            reason, _ = details_of(exc)
            # The node service's own errors are worded for people; gRPC's own (English) are not.
            said = exc.details() or ""
            message = said if has_chinese(said) else f"节点服务校验开庭排期出错（{exc.code().name}）"
            error = DomainError(message, reason=reason or "HEARING_VALIDATION_FAILED")
            error.code = exc.code()
            raise error from None

    def close(self) -> None:
        self._channel.close()
