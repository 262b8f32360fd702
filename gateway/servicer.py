"""The gateway's own GatewayService, served through the proxy like every other service."""
from __future__ import annotations

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.gateway.v1 import gateway_service_pb2 as pb

from services.common.clock import Clock


def handlers(clock: Clock) -> dict:
    """The methods, answering by `clock`: the system's (the shared clock), which counts deadlines."""

    async def get_caller(request: bytes, caller: Caller) -> bytes:
        pb.GetCallerRequest.FromString(request)
        reply = pb.GetCallerResponse(caller=caller)
        reply.current_time.FromDatetime(clock.now())
        return reply.SerializeToString()

    return {"GetCaller": get_caller}
