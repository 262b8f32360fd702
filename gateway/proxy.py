"""The gateway's front door: every external call passes here.

For each call, in order: authenticate the bearer token (except for the few public
methods, signing in); check the permission
table (before anything about the target is looked up); check the request size and the
caller's rate limit (an anonymous caller's by client address); forward the raw request
bytes to the owning service with the signed caller context; relay the answer or
the error (status, message and details) unchanged; report the call to the audit
log unless the owning service already did so in its own transaction.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Awaitable, Callable

import grpc
from google.protobuf import descriptor_pool, message_factory
from opentelemetry import trace

from courtflow.audit.v1.audit_pb2 import AuditResult
from courtflow.common.v1.caller_pb2 import Caller, Role

from gateway import permissions
from gateway.permissions import Permission
from gateway.auth import Authenticator, bearer
from gateway.limits import RateLimiter
from services.common import caller as caller_ctx, metrics
from services.common.audit import record_operation
from services.common.errors import DomainError, ResourceExhausted, details_of, to_status
from services.common.server import Runtime

log = logging.getLogger(__name__)

LocalHandler = Callable[[bytes, Caller], Awaitable[bytes]]
FORWARD_TIMEOUT = 15.0


@dataclass(frozen=True)
class Route:
    channel: grpc.aio.Channel | None = None
    local: dict[str, LocalHandler] | None = None   # method name -> handler, for the gateway's own service


@dataclass(frozen=True)
class Limits:
    users: RateLimiter
    court_systems: RateLimiter
    max_request_bytes: int


class Proxy(grpc.GenericRpcHandler):
    def __init__(self, rt: Runtime, routes: dict[str, Route], authenticator: Authenticator, limits: Limits) -> None:
        self._rt = rt
        self._routes = routes
        self._auth = authenticator
        self._limits = limits
        self._pool = descriptor_pool.Default()
        self._callables: dict[str, grpc.aio.UnaryUnaryMultiCallable] = {}

    def service(self, details: grpc.HandlerCallDetails):
        method = details.method
        parts = method.split("/")
        route = self._routes.get(parts[1]) if len(parts) == 3 else None
        if route is None:
            return None  # UNIMPLEMENTED
        descriptor = self._pool.FindMethodByName(f"{parts[1]}.{parts[2]}")
        if descriptor.client_streaming:
            return None  # no client-streaming RPCs are exposed
        if descriptor.server_streaming:
            async def stream(request: bytes, context: grpc.aio.ServicerContext):
                async for chunk in self._stream(method, route, request, context):
                    yield chunk
            return grpc.unary_stream_rpc_method_handler(stream)

        async def behavior(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
            return await self._unary(method, route, request, context)

        return grpc.unary_unary_rpc_method_handler(behavior)

    async def _identify(self, method: str, metadata, context, user_agent: str) -> tuple[Caller, Permission | None]:
        """Who calls: anonymous for a public method (signing in), else the bearer token's user."""
        public = permissions.public(method)
        if public is not None:
            caller = Caller()  # anonymous: the sign-in handler finds out who it is
        else:
            token = bearer(metadata)
            caller = self._auth.cached(token) or await self._rt.db(self._auth.authenticate, token)
        caller.client_address, caller.user_agent = context.peer(), user_agent
        return caller, public

    async def _unary(self, method: str, route: Route, request: bytes, context) -> bytes:
        metadata = context.invocation_metadata() or ()
        # The trace id goes back to the caller, so a user or a court system can quote it to support.
        trace_md = (("x-courtflow-trace-id", _trace_id()),)
        context.set_trailing_metadata(trace_md)
        user_agent = dict(metadata).get("user-agent", "")
        caller = permission = None
        handled = False   # whether the call reached its handler (some handlers audit their own failures)
        try:
            caller, permission = await self._identify(method, metadata, context, user_agent)
            permission = permission or permissions.check(method, caller.role)
            self._check_limits(caller, request)
            handled = True
            if route.local is not None:
                response = await route.local[method.split("/")[2]](request, caller)
            else:
                call = self._callables.get(method) or self._callables.setdefault(
                    method, route.channel.unary_unary(method))
                # wait_for_ready: a service restarting for a moment delays the call instead of failing it.
                response = await call(request, metadata=caller_ctx.sign(caller, self._rt.settings.internal_key),
                                      timeout=_remaining(context), wait_for_ready=True)
        except DomainError as err:
            if err.reason == "RATE_LIMITED":
                # Counted, not audited one by one: a flood must not turn into a flood of audit writes.
                metrics.RATE_LIMITED.labels(Role.Name(caller.role)).inc()
            elif handled and permission.audits_failures:
                pass  # the handler committed its own audit record before raising
            else:
                await self._audit(method, caller, request, err.reason, context, user_agent, denied=True)
            status = to_status(err)
            await context.abort_with_status(status._replace(trailing_metadata=status.trailing_metadata + trace_md))
        except grpc.aio.AioRpcError as err:
            reason, _ = details_of(err)
            await self._audit(method, caller, request, reason or err.code().name, context, user_agent,
                              denied=err.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED))
            relayed = tuple(m for m in (err.trailing_metadata() or ()) if m[0] != "x-courtflow-trace-id")
            await context.abort(err.code(), err.details() or "", relayed + trace_md)
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception("gateway failed on %s (error id %s)", method, error_id)
            await self._audit(method, caller, request, "INTERNAL", context, user_agent, denied=False)
            await context.abort(grpc.StatusCode.INTERNAL, f"内部错误，请联系管理员（错误编号 {error_id}）")
        if not permission.audited_by_service:
            await self._audit(method, caller, request, "", context, user_agent, denied=False)
        return response

    async def _stream(self, method: str, route: Route, request: bytes, context):
        """A server stream (live push of inbox messages): the same checks as a unary call, then the
        service's messages relayed as they come, until either side ends it. Audited once, when
        it ends, with how it ended."""
        metadata = context.invocation_metadata() or ()
        trace_md = (("x-courtflow-trace-id", _trace_id()),)
        user_agent = dict(metadata).get("user-agent", "")
        caller, reason, denied = None, "", False
        try:
            caller, _ = await self._identify(method, metadata, context, user_agent)
            permissions.check(method, caller.role)
            self._check_limits(caller, request)
            # No deadline: a subscription lasts as long as the client keeps it.
            call = route.channel.unary_stream(method)(
                request, metadata=caller_ctx.sign(caller, self._rt.settings.internal_key), wait_for_ready=True)
            async for chunk in call:
                yield chunk
        except DomainError as err:
            reason, denied = err.reason, True
            status = to_status(err)
            await context.abort_with_status(status._replace(trailing_metadata=status.trailing_metadata + trace_md))
        except grpc.aio.AioRpcError as err:
            reason = details_of(err)[0] or err.code().name
            denied = err.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
            await context.abort(err.code(), err.details() or "", trace_md)
        finally:
            if reason != "RATE_LIMITED":
                # Shielded: a client hanging up cancels this task, and the record must still be written.
                await asyncio.shield(self._audit(method, caller, request, reason, context, user_agent, denied=denied))

    def _check_limits(self, caller: Caller, request: bytes) -> None:
        if len(request) > self._limits.max_request_bytes:
            raise ResourceExhausted(f"请求过大：{len(request)} 字节，上限 {self._limits.max_request_bytes} 字节",
                                    reason="REQUEST_TOO_LARGE")
        limiter = self._limits.court_systems if caller.role == Role.ROLE_COURT_SYSTEM else self._limits.users
        # Sign-in attempts have no user yet: limit them per client address (password spraying).
        wait = limiter.allow(caller.user or f"address:{_host(caller.client_address)}", time.monotonic())
        if wait:
            raise ResourceExhausted(f"请求过于频繁（每秒至多 {limiter.rate:g} 次），请 {wait:.1f} 秒后重试",
                                    reason="RATE_LIMITED", metadata={"retry_after_ms": str(int(wait * 1000) + 1)})

    async def _audit(self, method: str, caller: Caller | None, request: bytes, reason: str, context,
                     user_agent: str, *, denied: bool) -> None:
        result = (AuditResult.AUDIT_RESULT_SUCCEEDED if not reason else
                  AuditResult.AUDIT_RESULT_DENIED if denied else AuditResult.AUDIT_RESULT_FAILED)

        def write() -> None:
            with self._rt.uow() as uow:
                record_operation(uow, reporter="gateway", caller=caller, action=method, resource=_target(method, request),
                                 result=result, error_reason=reason, client_address=context.peer(),
                                 user_agent=user_agent)
                uow.commit()
        try:
            await self._rt.db(write)
        except Exception:  # the call's answer must not depend on the audit write; log loudly
            log.exception("could not record audit event for %s", method)


def _trace_id() -> str:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else ""


def _host(peer: str) -> str:
    """"ipv4:10.0.0.7:53412" -> "ipv4:10.0.0.7" (the port changes with every connection)."""
    return peer.rsplit(":", 1)[0] if peer.count(":") >= 2 else peer


def _remaining(context) -> float:
    remaining = context.time_remaining()
    return min(remaining, FORWARD_TIMEOUT) if remaining else FORWARD_TIMEOUT


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
