"""The owning services' own data, read for a recount of the read model (VerifySupervision): every
case (CaseService.ListCases) and node (NodeService.ListNodes) the caller may see, page by page; and
each service's answer for its own data to the integrity check (VerifyIntegrity: the case, node,
alert and audit services' IntegrityService.CheckIntegrity, streamed).

Calls carry the original caller, signed with the internal key (as the case service's call to the
node service does), so each service applies the caller's own scope; they are traced.
"""
from __future__ import annotations

from collections.abc import Iterator

import grpc
from opentelemetry.instrumentation.grpc import client_interceptor, intercept_channel

from courtflow.case.v1 import case_pb2, case_service_pb2, case_service_pb2_grpc
from courtflow.common.v1 import integrity_pb2, integrity_pb2_grpc
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1 import node_pb2, node_service_pb2, node_service_pb2_grpc

from services.common import caller as caller_context, deadline
from services.common.channels import CHANNEL_OPTIONS
from services.common.components import label
from services.common.errors import PermissionDenied, Unavailable

PAGE = 1000
TIMEOUT_SECONDS = 30.0
# An integrity answer streams every case in scope: the province's takes a while.
INTEGRITY_TIMEOUT_SECONDS = 3600.0
INTEGRITY_SERVICES = ("case", "node", "alert", "audit")


class Sources:
    def __init__(self, *, case_address: str, node_address: str, internal_key: str, alert_address: str = "",
                 audit_address: str = "") -> None:
        addresses = (case_address, node_address, alert_address, audit_address)
        self._channels = [grpc.insecure_channel(a, options=list(CHANNEL_OPTIONS)) for a in addresses if a]
        traced = [intercept_channel(c, client_interceptor()) for c in self._channels]
        self._cases = case_service_pb2_grpc.CaseServiceStub(traced[0])
        self._nodes = node_service_pb2_grpc.NodeServiceStub(traced[1])
        self._integrity = {component: integrity_pb2_grpc.IntegrityServiceStub(channel)
                           for component, channel in zip(INTEGRITY_SERVICES, traced)}
        self._key = internal_key

    def cases(self, caller: Caller, court: str) -> Iterator[case_pb2.Case]:
        yield from self._pages("case", lambda token: self._cases.ListCases(
            case_service_pb2.ListCasesRequest(parent=f"courts/{court}", page_size=PAGE, page_token=token),
            metadata=caller_context.sign(caller, self._key), timeout=deadline.within(TIMEOUT_SECONDS)), "cases")

    def nodes(self, caller: Caller, court: str) -> Iterator[node_pb2.Node]:
        yield from self._pages("node", lambda token: self._nodes.ListNodes(
            node_service_pb2.ListNodesRequest(parent=f"courts/{court}/cases/-", page_size=PAGE, page_token=token),
            metadata=caller_context.sign(caller, self._key), timeout=deadline.within(TIMEOUT_SECONDS)), "nodes")

    def case(self, caller: Caller, name: str) -> case_pb2.Case | None:
        """One case again (None when it does not exist), to look twice at a difference."""
        return self._one("case", lambda: self._cases.GetCase(
            case_service_pb2.GetCaseRequest(name=name), metadata=caller_context.sign(caller, self._key),
            timeout=deadline.within(TIMEOUT_SECONDS)).case)

    def node(self, caller: Caller, name: str) -> node_pb2.Node | None:
        return self._one("node", lambda: self._nodes.GetNode(
            node_service_pb2.GetNodeRequest(name=name), metadata=caller_context.sign(caller, self._key),
            timeout=deadline.within(TIMEOUT_SECONDS)).node)

    def integrity(self, component: str, caller: Caller, request: integrity_pb2.CheckIntegrityRequest
                  ) -> Iterator[integrity_pb2.CheckIntegrityResponse]:
        """A service's answer for its own data, message by message as it streams."""
        stream = self._integrity[component].CheckIntegrity(request, metadata=caller_context.sign(caller, self._key),
                                                           timeout=deadline.within(INTEGRITY_TIMEOUT_SECONDS))
        try:
            yield from stream
        except grpc.RpcError as exc:
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                raise Unavailable(f"{label(component)}暂不可用，无法核查数据一致性，请稍后重试",
                                  reason="SOURCE_UNAVAILABLE") from None
            if exc.code() == grpc.StatusCode.PERMISSION_DENIED:
                raise PermissionDenied(exc.details(), reason="OUT_OF_SCOPE") from None
            raise
        finally:   # a walk stopped early (an error here) ends the stream: the tracing interceptor
            # hands out a generator, which closing cancels; a bare call is cancelled itself.
            (getattr(stream, "cancel", None) or stream.close)()

    def close(self) -> None:
        for channel in self._channels:
            channel.close()

    @staticmethod
    def _one(component: str, ask):
        try:
            return ask()
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                raise Unavailable(f"{label(component)}暂不可用，无法核对统计数据，请稍后重试",
                                  reason="SOURCE_UNAVAILABLE") from None
            raise

    @staticmethod
    def _pages(component: str, ask, field: str) -> Iterator:
        token = ""
        while True:
            try:
                reply = ask(token)
            except grpc.RpcError as exc:
                if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                    raise Unavailable(f"{label(component)}暂不可用，无法核对统计数据，请稍后重试",
                                      reason="SOURCE_UNAVAILABLE") from None
                raise
            yield from getattr(reply, field)
            token = reply.next_page_token
            if not token:
                return
