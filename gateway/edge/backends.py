"""The services behind the gateway, as the gateway reaches them; and the one place where the
gateway turns gRPC's own errors into messages for people.

- **Fail fast.** One channel per service (round_robin over every address its name resolves to),
  reconnecting at most half a second apart while the service is down. A call waits at most
  CONNECT_WAIT for a channel that is not connected (a service restarting for a moment delays the
  call rather than failing it), then is answered at once with UNAVAILABLE naming the service; the
  forwarded call itself is fail-fast (no wait_for_ready), so a service that is down never holds a
  call for its whole deadline.
- **Chinese messages.** A service's own error (its message in Chinese, with its details) is
  passed on unchanged. An error made by gRPC itself — "failed to connect to all addresses",
  "Deadline Exceeded", "Socket closed", "Received RST_STREAM …", "Received message larger than
  max …" — keeps its code and gets a Chinese message naming the service, with an ErrorInfo
  (reason SERVICE_UNAVAILABLE, SERVICE_DEADLINE_EXCEEDED, …; metadata `service`, and
  `retry_after_ms` when a retry may help); the English original goes to the log only.
- **Readiness.** Each service's standard gRPC health check (overall status, service ""), on a
  channel of its own without tracing, answered within HEALTH_TIMEOUT: what GET /readyz reports.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from services.common.channels import CHANNEL_OPTIONS
from services.common.components import label
from services.common.errors import DomainError, FieldViolation, details_of, has_chinese

log = logging.getLogger(__name__)

# At most this long a call waits for a service's channel to connect before it is answered UNAVAILABLE.
CONNECT_WAIT = 1.0
# A health check (GET /readyz) answers within this, whatever the service does.
HEALTH_TIMEOUT = 1.0
# The hint given with UNAVAILABLE (HTTP Retry-After): the channel retries twice a second.
RETRY_AFTER_MS = 1000
_LOG_EVERY = 5.0   # seconds between two log lines about one service's one kind of failure


def component_of(service: str) -> str:
    """"courtflow.node.v1.NodeService" -> "node"."""
    parts = service.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "courtflow" else service


# code -> (message, ErrorInfo reason, whether a retry after RETRY_AFTER_MS may help)
_MESSAGES: dict[grpc.StatusCode, tuple[str, str, bool]] = {
    grpc.StatusCode.UNAVAILABLE: ("{label}暂时不可用，请稍后重试", "SERVICE_UNAVAILABLE", True),
    grpc.StatusCode.DEADLINE_EXCEEDED: ("{label}未在时限内答复，请稍后重试（写入类操作请先查询是否已生效）",
                                        "SERVICE_DEADLINE_EXCEEDED", False),
    grpc.StatusCode.CANCELLED: ("对{label}的调用已取消", "CANCELLED", False),
    grpc.StatusCode.RESOURCE_EXHAUSTED: ("{label}的答复过大或资源不足，请缩小查询范围（如减小 page_size）后重试",
                                         "SERVICE_RESOURCE_EXHAUSTED", False),
    grpc.StatusCode.UNIMPLEMENTED: ("{label}不支持此接口（服务版本可能不一致），请联系管理员",
                                    "SERVICE_METHOD_UNIMPLEMENTED", False),
}
_OTHER = ("{label}出错（{code}），请稍后重试；如仍出错，请联系管理员", "SERVICE_ERROR", False)


def backend_error(component: str, code: grpc.StatusCode, *, reason: str | None = None,
                  violations: tuple[FieldViolation, ...] = ()) -> DomainError:
    """The error a caller gets when `component` failed with `code` and no message for people:
    the same code, a Chinese message naming the component, an ErrorInfo (the service's own
    reason if it gave one) with the component and, where retrying helps, retry_after_ms."""
    template, default_reason, retry = _MESSAGES.get(code, _OTHER)
    metadata = {"service": component} | ({"retry_after_ms": str(RETRY_AFTER_MS)} if retry else {})
    error = DomainError(template.format(label=label(component), code=code.name), reason=reason or default_reason,
                        violations=violations, metadata=metadata)
    error.code = code
    return error


def translated(component: str, err: grpc.RpcError) -> Exception:
    """A service's error as the gateway passes it on: unchanged when its message is for people
    (Chinese, as every CourtFlow service writes them); else (gRPC's own English) backend_error."""
    message = err.details() or ""
    if has_chinese(message):
        return err
    _log_failure(component, err.code(), message)
    try:
        reason, violations = details_of(err)
    except ValueError:   # details that do not match the status: ignore them
        reason, violations = None, []
    return backend_error(component, err.code(), reason=reason,
                         violations=tuple(FieldViolation(f, d) for f, d in violations))


_logged: dict[tuple[str, grpc.StatusCode], float] = {}


def _log_failure(component: str, code: grpc.StatusCode, message: str) -> None:
    """Logged, but not once per call: a service that is down would flood the log."""
    now = time.monotonic()
    if now - _logged.get((component, code), -_LOG_EVERY) >= _LOG_EVERY:
        _logged[(component, code)] = now
        log.warning("%s failed: %s: %s", component, code.name, message)


@dataclass(frozen=True)
class Health:
    component: str
    status: str       # SERVING, NOT_SERVING, UNREACHABLE or NO_ANSWER
    message: str      # for people, in Chinese ("" when SERVING)

    @property
    def serving(self) -> bool:
        return self.status == "SERVING"


class Backend:
    """One service behind the gateway (or, for readiness only, the gateway itself)."""

    def __init__(self, component: str, address: str, *, traced: bool = True) -> None:
        self.component = component
        self.address = address
        self.channel = grpc.aio.insecure_channel(address, options=list(CHANNEL_OPTIONS),
                                                 interceptors=aio_client_interceptors() if traced else None)
        # Health checks on a channel without tracing: a load balancer probing every few seconds
        # must not fill the traces. (Same address and options: gRPC shares the connection.)
        self._health = (grpc.aio.insecure_channel(address, options=list(CHANNEL_OPTIONS)) if traced
                        else self.channel)
        self._callables: dict[str, grpc.aio.UnaryUnaryMultiCallable] = {}
        self._ready: asyncio.Future | None = None   # one wait for READY shared by every waiting call

    @classmethod
    def of(cls, service: str, address: str) -> "Backend":
        return cls(component_of(service), address)

    async def connect(self, within: float) -> None:
        """Return once the channel is connected; Unavailable (a DomainError) if it is not within
        `within` seconds (CONNECT_WAIT at most)."""
        if self.channel.get_state(try_to_connect=True) == grpc.ChannelConnectivity.READY:
            return
        if self._ready is None or self._ready.done():
            self._ready = asyncio.ensure_future(self.channel.channel_ready())
        try:
            await asyncio.wait_for(asyncio.shield(self._ready), max(0.0, min(within, CONNECT_WAIT)))
        except asyncio.TimeoutError:
            _log_failure(self.component, grpc.StatusCode.UNAVAILABLE,
                         f"not connected to {self.address} ({self.channel.get_state().name})")
            raise backend_error(self.component, grpc.StatusCode.UNAVAILABLE) from None

    async def unary(self, method: str, request: bytes, *, metadata: tuple,
                    remaining: Callable[[], float]) -> bytes:
        """Forward one unary call: fail-fast once connected; gRPC's own errors translated."""
        await self.connect(remaining())
        forward = self._callables.get(method) or self._callables.setdefault(method, self.channel.unary_unary(method))
        try:
            return await forward(request, metadata=metadata, timeout=remaining())
        except grpc.aio.AioRpcError as err:
            raise translated(self.component, err) from None

    async def stream(self, method: str, request: bytes, *, metadata: tuple) -> grpc.aio.UnaryStreamCall:
        """Open a server stream (no deadline); its errors are the caller's to translate."""
        await self.connect(CONNECT_WAIT)
        return self.channel.unary_stream(method)(request, metadata=metadata)

    async def health(self) -> Health:
        """The service's overall gRPC health, within HEALTH_TIMEOUT."""
        name = label(self.component)
        try:
            reply = await health_pb2_grpc.HealthStub(self._health).Check(health_pb2.HealthCheckRequest(),
                                                                         timeout=HEALTH_TIMEOUT)
        except Exception as exc:   # AioRpcError, or a channel closed while the gateway stops
            if isinstance(exc, grpc.aio.AioRpcError) and exc.code() == grpc.StatusCode.DEADLINE_EXCEEDED:
                return Health(self.component, "NO_ANSWER", f"{name}未在 {HEALTH_TIMEOUT:g} 秒内答复健康检查")
            return Health(self.component, "UNREACHABLE", f"{name}暂时不可用（无法连接）")
        if reply.status == health_pb2.HealthCheckResponse.SERVING:
            return Health(self.component, "SERVING", "")
        return Health(self.component, "NOT_SERVING", f"{name}尚未就绪或正在停止")

    async def close(self) -> None:
        if self._ready is not None and not self._ready.done():
            self._ready.cancel()
        await self.channel.close()
        if self._health is not self.channel:
            await self._health.close()


async def readiness(backends: list[Backend]) -> list[Health]:
    """Every backend's health, checked at once: answered within about HEALTH_TIMEOUT."""
    return list(await asyncio.gather(*(b.health() for b in backends)))
