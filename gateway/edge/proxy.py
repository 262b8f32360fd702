"""The gateway's front door: every external call passes here, over gRPC or HTTP-JSON alike.

For each call, in order: authenticate the bearer token (except for the few public
methods, signing in); check the permission
table (before anything about the target is looked up); check the caller's rate limit (an
anonymous caller's by client address) and the request size; forward the raw request
bytes to the owning service with the signed caller context; relay the answer or
the error (status, message and details) unchanged; report the call to the audit
log unless the owning service already did so in its own transaction.

`Proxy.unary` and `Proxy.stream` do all of that for both front doors: the gRPC handler below
and the HTTP-JSON server (gateway/edge/http_server.py), which only transcodes. A service that cannot be
reached is answered at once with UNAVAILABLE naming it, and gRPC's own (English) errors get
Chinese messages: gateway/edge/backends.py.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import time
import uuid
from dataclasses import dataclass
from typing import AsyncIterator, Awaitable, Callable

import grpc
from google.protobuf import descriptor_pool, message_factory
from google.rpc import status_pb2
from opentelemetry import trace
from sqlalchemy.exc import OperationalError

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, Role

from gateway.access import permissions
from gateway.access.limits import RateLimiter
from gateway.access.permissions import Permission
from gateway.edge.backends import Backend, translated
from gateway.identity.auth import Authenticator, bearer
from services.common import caller as caller_ctx, metrics
from services.common.audit import record_operation
from services.common.errors import DomainError, ResourceExhausted, database_unavailable, details_of, to_status
from services.common.server import Runtime

log = logging.getLogger(__name__)

LocalHandler = Callable[[bytes, Caller], Awaitable[bytes]]
FORWARD_TIMEOUT = 15.0
# The checks that walk a court's or the province's whole data (every case and node recounted, the
# audit chain followed record by record) take minutes at a province's size: within 15 s
# `courtflow verify --supervision`, which waits 600 s, could never be answered for one. They are
# for the trial management office, presidents, administrators and auditors (permissions.py),
# rate-limited like every call; the services stop with the deadline (services/common/deadline.py).
LONG_FORWARD_TIMEOUTS = {f"/courtflow.{method}": 600.0 for method in (
    "stats.v1.StatsService/VerifySupervision", "stats.v1.StatsService/VerifyIntegrity",
    "audit.v1.AuditService/VerifyAuditChain")}


@dataclass(frozen=True)
class Route:
    backend: Backend | None = None
    local: dict[str, LocalHandler] | None = None   # method name -> handler, for the gateway's own service


@dataclass(frozen=True)
class Limits:
    users: RateLimiter
    court_systems: RateLimiter
    max_request_bytes: int


@dataclass(frozen=True)
class Call:
    """One external call, as both front doors (gRPC and HTTP-JSON) hand it to the proxy."""

    method: str                      # "/courtflow.case.v1.CaseService/GetCase"
    metadata: tuple                  # the caller's metadata: authorization, user-agent
    peer: str                        # "ipv4:10.0.0.7:53412"
    deadline: float | None = None    # time.monotonic() by which the caller wants the answer

    @property
    def user_agent(self) -> str:
        return dict(self.metadata).get("user-agent", "")

    def remaining(self) -> float:
        longest = LONG_FORWARD_TIMEOUTS.get(self.method, FORWARD_TIMEOUT)
        if self.deadline is None:
            return longest
        return max(0.0, min(self.deadline - time.monotonic(), longest))


class Outcome(collections.namedtuple("Outcome", ("code", "details", "trailing_metadata")), grpc.Status):
    """A failed call's status: code, message and trailing metadata (the google.rpc.Status
    details ride in grpc-status-details-bin, as the services send them)."""

    def rpc_status(self) -> status_pb2.Status:
        for key, value in self.trailing_metadata or ():
            if key == "grpc-status-details-bin":
                return status_pb2.Status.FromString(value)
        return status_pb2.Status(code=self.code.value[0], message=self.details or "")


class CallFailed(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.details)
        self.outcome = outcome


# A request given either as bytes (gRPC) or as a coroutine that produces them once the caller is
# admitted (HTTP-JSON: the body is read and transcoded after authentication and the rate check).
Request = bytes | Callable[[], Awaitable[bytes]]


def _database_down(method: str, exc: Exception) -> CallFailed:
    log.warning("database unavailable in %s: %s", method, exc)
    status = to_status(database_unavailable())
    return CallFailed(Outcome(status.code, status.details, status.trailing_metadata))


class Proxy(grpc.GenericRpcHandler):
    def __init__(self, rt: Runtime, routes: dict[str, Route], authenticator: Authenticator, limits: Limits) -> None:
        self._rt = rt
        self._routes = routes
        self._auth = authenticator
        self._limits = limits
        self._pool = descriptor_pool.Default()

    @property
    def services(self) -> list[str]:
        return list(self._routes)

    def service(self, details: grpc.HandlerCallDetails):
        method = details.method
        parts = method.split("/")
        if len(parts) != 3 or parts[1] not in self._routes:
            # Ours: a Chinese UNIMPLEMENTED; others (health, reflection) are the server's other handlers'.
            return _unimplemented(method) if method.startswith("/courtflow.") else None
        try:
            descriptor = self._pool.FindMethodByName(f"{parts[1]}.{parts[2]}")
        except KeyError:
            return _unimplemented(method)
        if descriptor.client_streaming:
            return _unimplemented(method)  # no client-streaming RPCs are exposed
        if descriptor.server_streaming:
            async def stream(request: bytes, context: grpc.aio.ServicerContext):
                trace_md = (("x-courtflow-trace-id", trace_id()),)
                try:
                    async for chunk in self.stream(_grpc_call(method, context), request):
                        if chunk is not None:
                            yield chunk
                except CallFailed as failed:
                    await context.abort_with_status(_with_metadata(failed.outcome, trace_md))
            return grpc.unary_stream_rpc_method_handler(stream)

        async def behavior(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
            # The trace id goes back to the caller, so a user or a court system can quote it to support.
            trace_md = (("x-courtflow-trace-id", trace_id()),)
            context.set_trailing_metadata(trace_md)
            try:
                return await self.unary(_grpc_call(method, context), request)
            except CallFailed as failed:
                await context.abort_with_status(_with_metadata(failed.outcome, trace_md))

        return grpc.unary_unary_rpc_method_handler(behavior)

    async def _identify(self, call: Call) -> tuple[Caller, Permission | None]:
        """Who calls: anonymous for a public method (signing in), else the bearer token's user."""
        public = permissions.public(call.method)
        if public is not None:
            caller = Caller()  # anonymous: the sign-in handler finds out who it is
        else:
            token = bearer(call.metadata)
            caller = self._auth.cached(token) or await self._rt.db(self._auth.authenticate, token)
        caller.client_address, caller.user_agent = call.peer, call.user_agent
        return caller, public

    async def _body(self, request: Request) -> bytes:
        """The request's bytes (transcoded now for HTTP-JSON, once its caller is admitted), within the size limit."""
        data = request if isinstance(request, bytes) else await request()
        if len(data) > self._limits.max_request_bytes:
            raise request_too_large(len(data), self._limits.max_request_bytes)
        return data

    async def unary(self, call: Call, request: Request) -> bytes:
        """Admit, forward and audit one unary call; its answer's bytes, or CallFailed."""
        started, code = time.perf_counter(), "OK"
        try:
            return await self._unary(call, request)
        except CallFailed as failed:
            code = failed.outcome.code.name
            raise
        finally:
            metrics.GATEWAY_REQUESTS.labels(call.method, code).inc()
            metrics.GATEWAY_SECONDS.labels(call.method).observe(time.perf_counter() - started)

    async def _unary(self, call: Call, request: Request) -> bytes:
        method, route = call.method, self._routes[call.method.split("/")[1]]
        caller = permission = None
        data = request if isinstance(request, bytes) else b""
        handled = False   # whether the call reached its handler (some handlers audit their own failures)
        try:
            caller, permission = await self._identify(call)
            permission = permission or permissions.check(method, caller.role)
            self._check_rate(caller)
            data = await self._body(request)
            handled = True
            if route.local is not None:
                response = await route.local[method.split("/")[2]](data, caller)
            else:
                # Unavailable at once (a DomainError) when the service cannot be reached; gRPC's own
                # errors come back as DomainErrors with Chinese messages, the service's as they are.
                response = await route.backend.unary(method, data, remaining=call.remaining,
                                                     metadata=caller_ctx.sign(caller, self._rt.settings.internal_key))
        except DomainError as err:
            if err.reason == "RATE_LIMITED":
                # Counted, not audited one by one: a flood must not turn into a flood of audit writes.
                metrics.RATE_LIMITED.labels(Role.Name(caller.role)).inc()
            elif handled and permission.audits_failures:
                pass  # the handler committed its own audit record before raising
            else:
                await self._audit(call, caller, data, err.reason, denied=_denial(err.code))
            status = to_status(err)
            raise CallFailed(Outcome(status.code, status.details, status.trailing_metadata)) from None
        except grpc.aio.AioRpcError as err:
            reason, _ = details_of(err)
            await self._audit(call, caller, data, reason or err.code().name, denied=_denial(err.code()))
            raise CallFailed(_relayed(err)) from None
        except OperationalError as exc:
            # The gateway's own database (sign-in, sessions, tokens, the directory) is down: the
            # client may retry. Not audited: the record would go to the same database.
            raise _database_down(method, exc) from None
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception("gateway failed on %s (error id %s)", method, error_id)
            await self._audit(call, caller, data, "INTERNAL", denied=False)
            raise CallFailed(Outcome(grpc.StatusCode.INTERNAL, f"内部错误，请联系管理员（错误编号 {error_id}）",
                                     ())) from None
        if not permission.audited_by_service:
            await self._audit(call, caller, data, "", denied=False)
        return response

    async def stream(self, call: Call, request: Request) -> AsyncIterator[bytes | None]:
        """A server stream (live push of inbox messages): the same checks as a unary call, then
        None once the service has accepted the subscription, then the service's messages as they
        come, until either side ends it. Audited once, when it ends, with how it ended (and
        counted then; its duration is the subscription's, not a latency)."""
        code = "OK"
        try:
            # aclosing: a client hanging up closes the inner generator now, so it audits now.
            async with contextlib.aclosing(self._stream(call, request)) as chunks:
                async for chunk in chunks:
                    yield chunk
        except CallFailed as failed:
            code = failed.outcome.code.name
            raise
        except (asyncio.CancelledError, GeneratorExit):   # the client hung up
            code = "CANCELLED"
            raise
        except Exception:
            code = "INTERNAL"
            raise
        finally:
            metrics.GATEWAY_REQUESTS.labels(call.method, code).inc()

    async def _stream(self, call: Call, request: Request) -> AsyncIterator[bytes | None]:
        route = self._routes[call.method.split("/")[1]]
        caller, reason, denied, backend = None, "", False, None
        data = request if isinstance(request, bytes) else b""
        try:
            caller, _ = await self._identify(call)
            permissions.check(call.method, caller.role)
            self._check_rate(caller)
            data = await self._body(request)
            # No deadline: a subscription lasts as long as the client keeps it.
            backend = await route.backend.stream(
                call.method, data, metadata=caller_ctx.sign(caller, self._rt.settings.internal_key))
            try:
                # The service sends its headers once it has checked the request (or its status, if it refused).
                await backend.initial_metadata()
                if backend.done() and await backend.code() != grpc.StatusCode.OK:
                    async for _ in backend:   # raises the service's error
                        pass
                yield None
                async for chunk in backend:
                    yield chunk
            except grpc.aio.AioRpcError as err:
                raise translated(route.backend.component, err) from None
        except DomainError as err:
            reason, denied = err.reason, _denial(err.code)
            status = to_status(err)
            raise CallFailed(Outcome(status.code, status.details, status.trailing_metadata)) from None
        except grpc.aio.AioRpcError as err:
            reason = details_of(err)[0] or err.code().name
            denied = _denial(err.code())
            raise CallFailed(_relayed(err)) from None
        except OperationalError as exc:
            reason = "DATABASE_UNAVAILABLE"
            raise _database_down(call.method, exc) from None
        finally:
            if backend is not None and not backend.done():
                backend.cancel()
            if reason != "RATE_LIMITED":
                # Shielded: a client hanging up cancels this task, and the record must still be written.
                await asyncio.shield(self._audit(call, caller, data, reason, denied=denied))

    def _check_rate(self, caller: Caller) -> None:
        limiter = self._limits.court_systems if caller.role == Role.ROLE_COURT_SYSTEM else self._limits.users
        # Sign-in attempts have no user yet: limit them per client address (password spraying).
        wait = limiter.allow(caller.user or f"address:{_host(caller.client_address)}", time.monotonic())
        if wait:
            raise ResourceExhausted(f"请求过于频繁（每秒至多 {limiter.rate:g} 次），请 {wait:.1f} 秒后重试",
                                    reason="RATE_LIMITED", metadata={"retry_after_ms": str(int(wait * 1000) + 1)})

    async def _audit(self, call: Call, caller: Caller | None, request: bytes, reason: str, *, denied: bool) -> None:
        result = (AuditResult.AUDIT_RESULT_SUCCEEDED if not reason else
                  AuditResult.AUDIT_RESULT_DENIED if denied else AuditResult.AUDIT_RESULT_FAILED)

        def write() -> None:
            with self._rt.uow() as uow:
                record_operation(uow, reporter="gateway", caller=caller, action=call.method,
                                 resource=_target(call.method, request), result=result, error_reason=reason,
                                 client_address=call.peer, user_agent=call.user_agent)
                uow.commit()
        try:
            await self._rt.db(write)
        except Exception:  # the call's answer must not depend on the audit write; log loudly
            log.exception("could not record audit event for %s", call.method)


def trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else ""


def _host(peer: str) -> str:
    """"ipv4:10.0.0.7:53412" -> "ipv4:10.0.0.7" (the port changes with every connection)."""
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer


def request_too_large(size: int, limit: int) -> ResourceExhausted:
    return ResourceExhausted(f"请求过大：{size} 字节，上限 {limit} 字节", reason="REQUEST_TOO_LARGE")


def _denial(code: grpc.StatusCode) -> bool:
    """Whether a refusal is a denial (who may call, how much) rather than a failure of the call."""
    return code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED,
                    grpc.StatusCode.RESOURCE_EXHAUSTED)


def _unimplemented(method: str) -> grpc.RpcMethodHandler:
    """A method the gateway does not serve, answered in Chinese (gRPC's own would be "Method not
    found!") without reading the request, whatever its streaming kind."""
    async def refuse(_requests, context: grpc.aio.ServicerContext):
        error = DomainError(f"没有这个接口：{method}", reason="METHOD_NOT_FOUND")
        error.code = grpc.StatusCode.UNIMPLEMENTED
        await context.abort_with_status(to_status(error))
        yield b""   # not reached (abort raises): a stream handler is an async generator
    return grpc.stream_stream_rpc_method_handler(refuse)


def _grpc_call(method: str, context: grpc.aio.ServicerContext) -> Call:
    remaining = context.time_remaining()
    return Call(method, tuple(context.invocation_metadata() or ()), context.peer(),
                time.monotonic() + remaining if remaining else None)


def _relayed(err: grpc.aio.AioRpcError) -> Outcome:
    """A service's error as the gateway passes it on: status, message and details unchanged."""
    relayed = tuple(m for m in (err.trailing_metadata() or ()) if m[0] != "x-courtflow-trace-id")
    return Outcome(err.code(), err.details() or "", relayed)


def _with_metadata(outcome: Outcome, extra: tuple) -> Outcome:
    return outcome._replace(trailing_metadata=tuple(outcome.trailing_metadata or ()) + extra)


def _target(method: str, request: bytes) -> str:
    """The resource a request names (name or parent field), for the audit record."""
    parts = method.split("/")
    try:
        descriptor = descriptor_pool.Default().FindMethodByName(f"{parts[1]}.{parts[2]}").input_type
        msg = message_factory.GetMessageClass(descriptor).FromString(request)
    except Exception:
        return ""
    for field in ("name", "parent"):
        if field in descriptor.fields_by_name:
            return getattr(msg, field)
    return ""
