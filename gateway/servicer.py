"""The gateway's own GatewayService, served through the proxy like every other service."""
from __future__ import annotations

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.gateway.v1 import gateway_service_pb2 as pb


async def get_caller(request: bytes, caller: Caller) -> bytes:
    pb.GetCallerRequest.FromString(request)
    return pb.GetCallerResponse(caller=caller).SerializeToString()


HANDLERS = {"GetCaller": get_caller}
