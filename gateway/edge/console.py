"""The web console (console/, issue 14) at /console/, on the HTTP-JSON port, and its sign-in.

Static files. `console/index.html`, the console's own modules (`console/app/`) and the vendored
libraries (`console/vendor/<package>-<version>/`, scripts/vendor_console) are served with their
content type, a strong ETag (SHA-256 of the bytes; If-None-Match answers 304) and gzip when the
browser takes it. The vendored folders carry their version in the path, so they are cached for a
year (`immutable`); everything else is `no-cache` (revalidated by ETag on every load), so a new
console reaches users at their next reload. A path under /console/ that is not a file and has no
extension is one of the app's own routes (history API, bookmarkable): it gets index.html. Files
are read when first asked and again whenever they change on disk.

Headers on every answer under /console/: a Content-Security-Policy without inline scripts or eval
(scripts only from this origin; see CSP), `X-Content-Type-Options: nosniff` (a module script must
be served as JavaScript, never sniffed), `Referrer-Policy: no-referrer` (console URLs carry case
names and filters), `frame-ancestors 'none'` and `X-Frame-Options: DENY` (no clickjacking), and a
cross-origin opener and resource policy of same-origin.

Sign-in (POST /console/auth/login, /refresh, /logout). The console calls AuthService through the
proxy, exactly as `POST /v1/auth:login` would (the same rate limit per address, lockout, audit),
but the refresh token never reaches JavaScript: it is set as an HttpOnly, SameSite=Strict cookie
whose path is /console/auth/ (sent with nothing but these three calls), Secure when the console
is served over https (the request was TLS, or a proxy in front says `X-Forwarded-Proto: https`;
trusting that header can only add the flag) and then named with the `__Secure-` prefix. The
access token is answered in the body and kept in the page's memory only; a reload gets a new one
from the cookie. Cross-site request forgery: the cookie is SameSite=Strict, so another site's
page cannot make the browser send it; and every call here must carry `X-CourtFlow-Console: 1`
and a JSON body type, which a cross-origin page can send only after a CORS preflight that this
server never grants, and an Origin (when the browser sends one) of this very host. The /v1 API
itself takes only the bearer token from the Authorization header, never a cookie, so it needs no
CSRF defence.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Awaitable, Callable

from aiohttp import web
from google.protobuf.message import Message
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind

from courtflow.gateway.v1 import auth_service_pb2 as pb

from gateway.edge.proxy import CallFailed, trace_id
from services.common.errors import DOMAIN

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
TRACE_HEADER = "x-courtflow-trace-id"   # as on every HTTP-JSON answer

PREFIX = "/console/"
AUTH_PATH = "/console/auth/"
COOKIE = "courtflow_console_refresh"
SECURE_COOKIE = "__Secure-" + COOKIE
CSRF_HEADER = "X-CourtFlow-Console"
LOGIN, REFRESH, LOGOUT = (f"/courtflow.gateway.v1.AuthService/{m}" for m in ("Login", "RefreshToken", "Logout"))
# Scripts: this origin only, no inline script, no eval (Vue's runtime-only build and render
# functions need neither). Styles: this origin's files; Vue and Element Plus set element styles
# through the CSSOM (el.style.…), which CSP does not restrict, so no 'unsafe-inline' is needed.
# Images: ECharts draws on canvas; Element Plus's CSS uses data: SVG icons.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
TYPES = {".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
         ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon",
         ".woff2": "font/woff2", "": "text/plain"}
TEXT = {"text/html", "text/javascript", "text/css", "application/json", "image/svg+xml", "text/plain"}
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class ConsoleSettings:
    directory: Path               # console/ (index.html, app/, vendor/)
    access_ttl: timedelta         # how long an access token lasts: when the console refreshes


# (gRPC method, request bytes, the HTTP request) -> the answer's bytes, or CallFailed
Forward = Callable[[str, bytes, web.Request], Awaitable[bytes]]
# CallFailed and the trace header -> the AIP-193 error answer the HTTP-JSON API would give
ErrorAnswer = Callable[[CallFailed, dict], web.Response]


def mount(app: web.Application, settings: ConsoleSettings, *, forward: Forward, error: ErrorAnswer) -> None:
    """Add the console's routes (before the API's catch-all route)."""
    files = StaticFiles(settings.directory)
    auth = ConsoleAuth(settings, forward=forward, error=error)
    for action, handler in (("login", auth.login), ("refresh", auth.refresh), ("logout", auth.logout)):
        app.router.add_post(AUTH_PATH + action, _traced(handler, AUTH_PATH + action))
    app.router.add_get("/console", _to_console)
    app.router.add_get(PREFIX + "{path:.*}", files.serve)


async def _to_console(_request: web.Request) -> web.StreamResponse:
    return _secured(web.Response(status=308, headers={"Location": PREFIX}))


def _traced(handler: Callable[[web.Request], Awaitable[web.StreamResponse]], route: str):
    """The handler in a server span, as the API's calls are (the trace id goes back in a header);
    every answer with the security headers."""
    async def traced(request: web.Request) -> web.StreamResponse:
        with tracer.start_as_current_span(f"POST {route}", kind=SpanKind.SERVER, context=propagate.extract(
                request.headers), attributes={"http.request.method": "POST", "http.route": route}) as span:
            response = await handler(request)
            response.headers[TRACE_HEADER] = trace_id()
            span.set_attribute("http.response.status_code", response.status)
            return _secured(response, request)
    return traced


def _secured(response: web.StreamResponse, request: web.Request | None = None) -> web.StreamResponse:
    response.headers.update(SECURITY_HEADERS)
    if request is not None and _https(request):
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def _https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower() == "https"


# ── static files ───────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class _File:
    stamp: tuple[int, int]       # (mtime_ns, size) when read
    body: bytes
    etag: str
    content_type: str
    gzipped: bytes | None


class StaticFiles:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()
        self._cache: dict[str, _File] = {}

    async def serve(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        target = self._resolve(path)
        if target is None:
            if path.startswith(("app/", "vendor/")) or "." in path.rsplit("/", 1)[-1]:
                return _secured(web.Response(status=404, text="控制台没有这个文件", content_type="text/plain"))
            target = self._root / "index.html"   # one of the app's routes: the app routes it
        file = self._load(target)
        if file is None:
            return _secured(web.Response(status=404, text="控制台未安装（没有 console/index.html）",
                                         content_type="text/plain"))
        immutable = path.startswith("vendor/")
        headers = {"ETag": file.etag, "Cache-Control": f"public, max-age={YEAR}, immutable" if immutable else "no-cache",
                   "Vary": "Accept-Encoding"}
        if file.etag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
            return _secured(web.Response(status=304, headers=headers), request)
        body = file.body
        if file.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            body, headers["Content-Encoding"] = file.gzipped, "gzip"
        charset = "utf-8" if file.content_type in TEXT else None
        return _secured(web.Response(body=body, headers=headers, content_type=file.content_type, charset=charset),
                        request)

    def _resolve(self, path: str) -> Path | None:
        """The file a URL path names, if it is one the console serves: index.html, app/…, and the
        vendored packages' folders (not the lock, manifest or README)."""
        if path in ("", "index.html"):
            return self._root / "index.html"
        if not path.startswith(("app/", "vendor/")) or path.startswith("vendor/package") or "\\" in path:
            return None
        target = (self._root / path).resolve()
        if self._root not in target.parents or not target.is_file():
            return None
        if path.startswith("vendor/") and target.parent == self._root / "vendor":
            return None   # vendor/manifest.json and the like: only the packages' own folders
        return target

    def _load(self, target: Path) -> _File | None:
        try:
            stat = target.stat()
        except OSError:
            return None
        key, stamp = str(target), (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(key)
        if cached is not None and cached.stamp == stamp:
            return cached
        body = target.read_bytes()
        content_type = TYPES.get(target.suffix, "application/octet-stream")
        gzipped = gzip.compress(body, 6, mtime=0) if content_type in TEXT and len(body) > 1024 else None
        file = _File(stamp, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', content_type, gzipped)
        self._cache[key] = file
        return file


# ── sign-in with the refresh token in a cookie ─────────────────────────────────────────────────

class ConsoleAuth:
    def __init__(self, settings: ConsoleSettings, *, forward: Forward, error: ErrorAnswer) -> None:
        self._settings = settings
        self._forward = forward
        self._error = error

    async def login(self, request: web.Request) -> web.StreamResponse:
        if (refused := _forged(request)) is not None:
            return refused
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError
            login = pb.LoginRequest(username=str(body.get("username", "")), password=str(body.get("password", "")))
        except ValueError:
            return _problem(400, "INVALID_ARGUMENT", "参数错误: 请求体应为 JSON：{\"username\", \"password\"}",
                            "INVALID_JSON")
        return await self._session(request, LOGIN, login, pb.LoginResponse)

    async def refresh(self, request: web.Request) -> web.StreamResponse:
        if (refused := _forged(request)) is not None:
            return refused
        token = _cookie(request)
        if not token:
            return _problem(401, "UNAUTHENTICATED", "未登录: 没有登录会话，请登录", "NO_SESSION")
        return await self._session(request, REFRESH, pb.RefreshTokenRequest(refresh_token=token),
                                   pb.RefreshTokenResponse)

    async def logout(self, request: web.Request) -> web.StreamResponse:
        if (refused := _forged(request)) is not None:
            return refused
        token = _cookie(request)
        response: web.StreamResponse = _json(200, {})
        if token:
            try:
                await self._forward(LOGOUT, pb.LogoutRequest(refresh_token=token).SerializeToString(), request)
            except CallFailed as failed:
                response = self._error(failed, {})
        _forget(response, request)   # whatever happened, this browser holds no session any more
        return response

    async def _session(self, request: web.Request, method: str, message: Message, reply_type) -> web.StreamResponse:
        try:
            reply = reply_type.FromString(await self._forward(method, message.SerializeToString(), request))
        except CallFailed as failed:
            response = self._error(failed, {})
            if method == REFRESH and response.status == 401:
                _forget(response, request)   # a refused refresh token is of no further use
            return response
        response = _json(200, {"accessToken": reply.access_token,
                               "expiresIn": int(self._settings.access_ttl.total_seconds())})
        response.headers["Cache-Control"] = "no-store"
        secure = _https(request)
        # A session cookie (no Max-Age): it ends with the browser, as a shared court PC wants; the
        # refresh token inside lasts GATEWAY_REFRESH_TOKEN_TTL at most, checked by the server.
        response.set_cookie(SECURE_COOKIE if secure else COOKIE, reply.refresh_token, path=AUTH_PATH, httponly=True,
                            samesite="Strict", secure=secure)
        return response


def _forged(request: web.Request) -> web.StreamResponse | None:
    """A refusal for a request that a page of another origin could have made, else None."""
    same_origin = True
    origin = request.headers.get("Origin")
    if origin is not None:
        same_origin = origin in (f"http://{request.host}", f"https://{request.host}")
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        same_origin = False
    if not same_origin or request.headers.get(CSRF_HEADER) != "1" or request.content_type != "application/json":
        return _problem(403, "PERMISSION_DENIED", "请求被拒绝: 控制台的登录接口只接受本站控制台页面发出的请求",
                        "CROSS_SITE_REQUEST")
    return None


def _cookie(request: web.Request) -> str:
    return request.cookies.get(SECURE_COOKIE) or request.cookies.get(COOKIE) or ""


def _forget(response: web.StreamResponse, request: web.Request) -> None:
    response.del_cookie(COOKIE, path=AUTH_PATH)
    if _https(request):
        response.del_cookie(SECURE_COOKIE, path=AUTH_PATH, secure=True)


def _problem(status: int, code: str, message: str, reason: str) -> web.Response:
    return _json(status, {"error": {"code": status, "message": message, "status": code, "details": [
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": DOMAIN}]}})


def _json(status: int, payload: dict, headers: dict | None = None) -> web.Response:
    return web.Response(status=status, body=json.dumps(payload, ensure_ascii=False).encode(),
                        content_type="application/json", charset="utf-8", headers=headers)
