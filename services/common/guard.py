"""The server guard: one interceptor that every service runs on every RPC.

In order: verify the caller context the gateway signed; validate the request
with protovalidate (before any write); run the handler; turn domain errors into
google.rpc.Status (the one mapping, in errors.py). Health and reflection are open.
"""
from __future__ import annotations

import logging
import time
import uuid

import grpc
import protovalidate
from opentelemetry import trace
from psycopg2.errors import QueryCanceled
from sqlalchemy.exc import OperationalError

from services.common import caller as caller_ctx
from services.common import deadline, metrics
from services.common.errors import DomainError, database_unavailable, from_validation_error, query_cancelled, to_status

log = logging.getLogger(__name__)

OPEN_PREFIXES = ("/grpc.health.v1.", "/grpc.reflection.")


class Guard(grpc.aio.ServerInterceptor):
    def __init__(self, internal_keys: tuple[str, ...]) -> None:
        self._keys = internal_keys

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        if handler is None or details.method.startswith(OPEN_PREFIXES):
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(details.method, handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(details.method, handler.unary_stream),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer)
        return handler

    def _enter(self, request, context):
        caller = caller_ctx.verify(context.invocation_metadata(), self._keys)
        span = trace.get_current_span()
        span.set_attribute("courtflow.caller.user", caller.user)
        span.set_attribute("courtflow.caller.court", caller.court)
        protovalidate.validate(request)
        return caller_ctx.bind(caller), deadline.bind(context.time_remaining())

    @staticmethod
    def _leave(tokens) -> None:
        caller_ctx.reset(tokens[0])
        deadline.reset(tokens[1])

    def _wrap_unary(self, method, inner):
        async def behavior(request, context):
            started, code = time.perf_counter(), "OK"
            try:
                tokens = self._enter(request, context)
                try:
                    return await inner(request, context)
                finally:
                    self._leave(tokens)
            except Exception as exc:
                code = _code_name(exc)
                await self._abort(exc, context, method)
            finally:
                metrics.RPCS.labels(method, code).inc()
                metrics.RPC_SECONDS.labels(method).observe(time.perf_counter() - started)
        return behavior

    def _wrap_stream(self, method, inner):
        async def behavior(request, context):
            try:
                tokens = self._enter(request, context)
                try:
                    async for item in inner(request, context):
                        yield item
                finally:
                    self._leave(tokens)
            except Exception as exc:
                await self._abort(exc, context, method)
        return behavior

    @staticmethod
    async def _abort(exc: Exception, context, method: str) -> None:
        if isinstance(exc, protovalidate.ValidationError):
            exc = from_validation_error(exc)
        if isinstance(exc, DomainError):
            await context.abort_with_status(to_status(exc))
        if isinstance(exc, grpc.aio.AbortError) or context.code() not in (None, grpc.StatusCode.OK):
            raise exc
        if _cancelled(exc):   # the caller's deadline ran out in the database (deadline.py)
            log.info("statement cancelled at the caller's deadline in %s", method)
            await context.abort_with_status(to_status(query_cancelled()))
        if isinstance(exc, OperationalError):
            log.warning("database unavailable in %s: %s", method, exc)
            await context.abort_with_status(to_status(database_unavailable()))
        error_id = uuid.uuid4().hex[:12]
        log.exception("unexpected error in %s (error id %s)", method, error_id)
        await context.abort(grpc.StatusCode.INTERNAL, f"内部错误，请联系管理员（错误编号 {error_id}）")


def _cancelled(exc: Exception) -> bool:
    """PostgreSQL's query_canceled (57014): the statement_timeout ran out, or an operator cancelled it."""
    return isinstance(exc, OperationalError) and isinstance(exc.orig, QueryCanceled)


def _code_name(exc: Exception) -> str:
    if isinstance(exc, protovalidate.ValidationError):
        return "INVALID_ARGUMENT"
    if isinstance(exc, DomainError):
        return exc.code.name
    if _cancelled(exc):
        return "DEADLINE_EXCEEDED"
    if isinstance(exc, OperationalError):
        return "UNAVAILABLE"
    return "ABORTED" if isinstance(exc, grpc.aio.AbortError) else "INTERNAL"
