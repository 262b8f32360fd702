"""The HTTP-JSON front door for court portals and browsers (aiohttp, in the gateway's event loop).

Each request is matched to an RPC by its `google.api.http` rule (gateway/edge/transcode.py) and handed
to the same `Proxy.unary` / `Proxy.stream` as a gRPC call: authentication, the permission table,
rate and size limits, forwarding with the signed caller context and auditing are one code path.
The body is read and transcoded only once the caller is admitted, so that a request that is
refused is refused exactly as over gRPC. Answers are proto3 JSON; errors are AIP-193 bodies
(`{"error": {"code", "message", "status", "details"}}`, a bad field named as the client sent it:
`caseNumber` in the body, `pageSize` in the query, `case` in the path) with the HTTP status of their
google.rpc code (413 for REQUEST_TOO_LARGE, `Retry-After` whenever the ErrorInfo has
`retry_after_ms`: RATE_LIMITED, SERVICE_UNAVAILABLE). A server stream
is newline-delimited JSON (`application/x-ndjson`): one `{"result": …}` line per message, and an
`{"error": …}` line if it fails after it started (UNAVAILABLE when the gateway stops). `GET
/openapi.json` is the OpenAPI document, without authentication.

For load balancers and ingress controllers that do not speak gRPC health, without a token and
outside the API (and so outside the OpenAPI document, like /openapi.json itself): `GET /healthz`
answers 200 while the process serves, touching nothing else; `GET /readyz` answers 200 when the
gateway and every service behind it answer their gRPC health check SERVING, else 503 naming, in
Chinese and by component, what is not ready. It answers within about a second whatever the
services do, and concurrent probes share one round of checks.

The web console is served beside the API at /console/ (gateway/edge/console.py), with its
cookie sign-in calling AuthService through the same proxy.
"""
from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
import sys
import time
import uuid
from typing import Any

from aiohttp import web
from google.protobuf import descriptor_pool
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from gateway.access import permissions
from gateway.edge import http_errors, openapi, transcode
from gateway.edge.backends import Backend, Health, readiness
from gateway.edge.console import ConsoleSettings, mount as mount_console
from gateway.edge.descriptors import register_descriptors, service_names
from gateway.edge.http_routes import HttpRoute, MethodNotAllowed, NoRoute, RouteTable
from gateway.edge.json_names import http_field
from gateway.edge.proxy import Call, CallFailed, Proxy, request_too_large, trace_id
from services.common.components import label
from services.common.errors import DOMAIN
from services.common.server import StartupFailed

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
TRACE_HEADER = "x-courtflow-trace-id"
READY_REUSE = 0.5   # seconds a /readyz result answers further probes


def api_document(services: list[str]) -> tuple[RouteTable, dict]:
    """The route table and the OpenAPI document of these gRPC services' HTTP rules."""
    table = RouteTable(descriptor_pool.Default().FindServiceByName(name) for name in services)
    return table, openapi.document(table, public_methods=[m for m in permissions.TABLE if permissions.public(m)])


def print_openapi(argv: list[str]) -> None:
    """`python -m gateway openapi`: the document the gateway serves at /openapi.json, on standard output."""
    _, document = api_document(service_names(register_descriptors()))
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def build(proxy: Proxy, *, port: int, max_request_bytes: int, shutdown_grace: float,
          ready: list[Backend] = (), console: ConsoleSettings | None = None) -> HttpServer:
    """The HTTP-JSON server for every service the proxy serves, its port taken; /readyz checks
    `ready`; the web console at /console/ when given."""
    table, document = api_document(proxy.services)
    server = HttpServer(proxy, table, document, port=port, max_request_bytes=max_request_bytes,
                        shutdown_grace=shutdown_grace, ready=ready, console=console)
    server.bind()
    return server


class HttpServer:
    def __init__(self, proxy: Proxy, table: RouteTable, openapi: dict, *, port: int, host: str = "0.0.0.0",
                 max_request_bytes: int, shutdown_grace: float, ready: list[Backend] = (),
                 console: ConsoleSettings | None = None) -> None:
        self._proxy = proxy
        self._console = console
        self._ready = list(ready)
        self._readiness: tuple[float, asyncio.Future] | None = None   # (when started, the round of checks)
        self._table = table
        self._openapi = json.dumps(openapi, ensure_ascii=False).encode()
        self._address = (host, port)
        self._max_request_bytes = max_request_bytes
        self._grace = shutdown_grace
        self._sock: socket.socket | None = None
        self._runner: web.AppRunner | None = None
        self._stopped = asyncio.Event()
        self._streams: set[asyncio.Task] = set()
        self._closing = False

    def bind(self) -> None:
        """Take the port now, at start-up: a port in use stops the gateway before it reports
        SERVING, and connections made before `serve` runs wait in the listen backlog."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(self._address)
        except OSError as exc:   # one line naming the setting, as for the gRPC and metrics ports
            sock.close()
            raise StartupFailed(f"启动失败: HTTP 端口 {self._address[1]} 无法使用（GATEWAY_HTTP_PORT）: "
                                f"{exc.strerror or exc}") from None
        sock.listen(128)
        sock.setblocking(False)
        self._sock = sock

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self._max_request_bytes)
        app.router.add_get("/openapi.json", self._openapi_document)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        if self._console is not None:   # the web console and its cookie sign-in (gateway/edge/console.py)
            mount_console(app, self._console, forward=self._forward, error=_error)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        app.on_shutdown.append(self._end_streams)
        return app

    async def serve(self) -> None:
        """Background loop of the gateway: serve until stop()."""
        if self._sock is None:
            self.bind()
        # handler_cancellation: a client that hangs up cancels its call, as over gRPC.
        self._runner = web.AppRunner(self.app(), access_log=None, handler_cancellation=True,
                                     shutdown_timeout=self._grace)
        await self._runner.setup()
        await web.SockSite(self._runner, self._sock, shutdown_timeout=self._grace).start()
        log.info("gateway HTTP-JSON serving on :%d", self._address[1])
        await self._stopped.wait()

    async def stop(self) -> None:
        """Stop accepting, end the streams, give unary calls the grace period to finish."""
        if self._runner is not None:
            await self._runner.cleanup()
        elif self._sock is not None:
            self._sock.close()
        self._stopped.set()

    async def _end_streams(self, _app: web.Application) -> None:
        self._closing = True
        for task in list(self._streams):
            task.cancel()

    async def _forward(self, method: str, data: bytes, request: web.Request) -> bytes:
        """One unary call of the console's sign-in, through the proxy as if it came over HTTP-JSON."""
        return await self._proxy.unary(Call(method, _metadata(request), _peer(request)), data)

    async def _openapi_document(self, _request: web.Request) -> web.Response:
        return web.Response(body=self._openapi, content_type="application/json", charset="utf-8")

    async def _healthz(self, _request: web.Request) -> web.Response:
        return _json(200, {"status": "SERVING"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks = await self._checks()
        components = {h.component: h.status for h in checks}
        waiting = [h for h in checks if not h.serving]
        if not waiting:
            return _json(200, {"status": "SERVING", "components": components})
        return _json(503, {"status": "NOT_SERVING", "components": components,
                           "message": "未就绪：" + "；".join(h.message for h in waiting),
                           "notReady": [{"component": h.component, "name": label(h.component), "status": h.status,
                                         "message": h.message} for h in waiting]})

    async def _checks(self) -> list[Health]:
        """One round of health checks, shared by the probes that come while it runs or just after."""
        now = time.monotonic()
        if self._readiness is None or (self._readiness[1].done() and now - self._readiness[0] > READY_REUSE):
            self._readiness = (now, asyncio.ensure_future(readiness(self._ready)))
        # Shielded: a probe that hangs up must not cancel the round the others wait for.
        return await asyncio.shield(self._readiness[1])

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        try:
            route, values = self._table.find(request.method, request.rel_url.raw_path)
        except MethodNotAllowed as exc:
            return _json(405, _plain_error(405, "UNIMPLEMENTED", f"接口不支持 {request.method} 方法",
                                           "METHOD_NOT_ALLOWED"), {"Allow": ", ".join(exc.allowed)})
        except NoRoute:
            return _json(404, _plain_error(404, "NOT_FOUND", f"没有这个接口：{request.method} {request.path}",
                                           "ROUTE_NOT_FOUND"))
        attributes = {"http.request.method": route.http_method, "http.route": route.template.text,
                      "rpc.method": route.grpc_method}
        with tracer.start_as_current_span(f"{route.http_method} {route.template.text}", kind=SpanKind.SERVER,
                                          context=propagate.extract(request.headers), attributes=attributes) as span:
            headers = {TRACE_HEADER: trace_id()}
            call = Call(route.grpc_method, _metadata(request), _peer(request))

            async def decode() -> bytes:
                try:
                    body = await request.read()
                except web.HTTPRequestEntityTooLarge:
                    raise request_too_large(request.content_length or self._max_request_bytes + 1,
                                            self._max_request_bytes) from None
                return transcode.decode_request(route, values, request.query.items(), body).SerializeToString()

            try:
                if route.server_streaming:
                    response = await self._stream(request, route, call, decode, headers)
                else:
                    data = await self._proxy.unary(call, decode)
                    response = _json(200, transcode.decode_response(route, data), headers)
            except CallFailed as failed:
                response = _error(failed, headers, lambda field: http_field(route, field, values))
            except Exception:
                error_id = uuid.uuid4().hex[:12]
                log.exception("HTTP-JSON transcoding failed on %s (error id %s)", route.grpc_method, error_id)
                response = _json(500, _plain_error(500, "INTERNAL", f"内部错误，请联系管理员（错误编号 {error_id}）",
                                                   "INTERNAL"), headers)
            span.set_attribute("http.response.status_code", response.status)
            return response

    async def _stream(self, request: web.Request, route: HttpRoute, call: Call, decode,
                      headers: dict) -> web.StreamResponse:
        messages = self._proxy.stream(call, decode)
        try:
            await messages.__anext__()   # admitted, and the service accepted the subscription
        except StopAsyncIteration:
            return _json(200, {}, headers)
        task = asyncio.current_task()
        self._streams.add(task)
        response = web.StreamResponse(headers={**headers, "Content-Type": "application/x-ndjson; charset=utf-8",
                                               "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            await response.prepare(request)
            try:
                async for chunk in messages:
                    await response.write(_line({"result": transcode.decode_response(route, chunk)}))
            except CallFailed as failed:
                await response.write(_line(http_errors.error_of(failed.outcome.rpc_status()).body))
            except asyncio.CancelledError:
                if not self._closing:
                    raise   # the client hung up
                # The gateway is stopping: say so, and end the stream cleanly; the client reconnects
                # (to another replica) with `after` set to the last message it saw.
                await response.write(_line(_plain_error(503, "UNAVAILABLE", "网关正在停止，请重新连接", "SHUTTING_DOWN")))
            await response.write_eof()
        finally:
            self._streams.discard(task)
            await messages.aclose()
        return response


def _metadata(request: web.Request) -> tuple:
    md = [("user-agent", request.headers.get("User-Agent", ""))]
    if "Authorization" in request.headers:
        md.append(("authorization", request.headers["Authorization"]))
    return tuple(md)


def _peer(request: web.Request) -> str:
    """The client's address in gRPC's peer form, so that limits and audit records read alike."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    if not peer:
        return "unknown"
    host, port = peer[0], peer[1]
    return f"ipv6:[{host}]:{port}" if ":" in host else f"ipv4:{host}:{port}"


def _error(failed: CallFailed, headers: dict, field_name=None) -> web.Response:
    """The AIP-193 answer of a failed call; `field_name` names bad fields as the client sent them."""
    err = http_errors.error_of(failed.outcome.rpc_status(), field_name)
    extra = dict(headers)
    if err.reason == "REQUEST_TOO_LARGE":
        err.status = err.body["error"]["code"] = 413
    if err.metadata.get("retry_after_ms", "").isdigit():   # RATE_LIMITED, a service unavailable
        extra["Retry-After"] = str(max(1, math.ceil(int(err.metadata["retry_after_ms"]) / 1000)))
    if err.status == 401:
        extra["WWW-Authenticate"] = 'Bearer realm="courtflow"'
    return _json(err.status, err.body, extra)


def _plain_error(status: int, code_name: str, message: str, reason: str) -> dict:
    return {"error": {"code": status, "message": message, "status": code_name, "details": [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": DOMAIN}]}}


def _json(status: int, payload: Any, headers: dict | None = None) -> web.Response:
    return web.Response(status=status, body=json.dumps(payload, ensure_ascii=False).encode(),
                        content_type="application/json", charset="utf-8", headers=headers)


def _line(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode() + b"\n"
