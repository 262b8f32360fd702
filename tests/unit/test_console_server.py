"""The gateway's web console (gateway/edge/console.py): static files with their types, ETags and
security headers, the app's routes answered with index.html, nothing outside the console served;
the cookie sign-in's refresh token set HttpOnly, SameSite=Strict, path-limited (Secure behind
https), and requests that another site's page could make refused."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import grpc
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from courtflow.gateway.v1 import auth_service_pb2 as pb

from gateway.edge.console import COOKIE, CSP, ConsoleSettings, StaticFiles, mount
from gateway.edge.proxy import CallFailed, Outcome

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"
JSON = {"Content-Type": "application/json", "X-CourtFlow-Console": "1"}


def serve(check, forward=None):
    calls = []

    async def fake_forward(method: str, data: bytes, request: web.Request) -> bytes:
        calls.append((method.rsplit("/", 1)[1], data, dict(request.headers)))
        if method.endswith("/Login"):
            if pb.LoginRequest.FromString(data).password != "right":
                raise CallFailed(Outcome(grpc.StatusCode.UNAUTHENTICATED, "登录失败: 用户名或密码错误", ()))
            return pb.LoginResponse(access_token="access-1", refresh_token="cfr_first").SerializeToString()
        if method.endswith("/RefreshToken"):
            return pb.RefreshTokenResponse(access_token="access-2", refresh_token="cfr_second").SerializeToString()
        return pb.LogoutResponse().SerializeToString()

    def error(failed: CallFailed, headers: dict) -> web.Response:
        return web.json_response({"error": {"message": failed.outcome.details}}, status=401, headers=headers)

    async def run():
        app = web.Application()
        mount(app, ConsoleSettings(CONSOLE, access_ttl=timedelta(minutes=15)), forward=forward or fake_forward,
              error=error)
        async with TestClient(TestServer(app)) as client:
            await check(client, calls)
    asyncio.run(run())


def test_files_have_their_type_an_etag_and_the_security_headers():
    async def check(client, _calls):
        page = await client.get("/console/")
        assert page.status == 200 and page.content_type == "text/html"
        assert page.headers["Content-Security-Policy"] == CSP
        assert "script-src 'self';" in CSP and "unsafe" not in CSP and "frame-ancestors 'none'" in CSP
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-cache"
        again = await client.get("/console/", headers={"If-None-Match": page.headers["ETag"]})
        assert again.status == 304
        module = await client.get("/console/app/main.js")
        assert module.status == 200 and module.content_type == "text/javascript"
        vendored = await client.get("/console/vendor/vue-3.5.47/vue.runtime.global.prod.js",
                                    headers={"Accept-Encoding": "gzip"})
        assert vendored.status == 200 and "immutable" in vendored.headers["Cache-Control"]
        assert vendored.headers["Content-Encoding"] == "gzip"
    serve(check)


def test_app_routes_get_the_app_and_nothing_else_is_served():
    async def check(client, _calls):
        route = await client.get("/console/supervision/cases?court=440101")
        assert route.status == 200 and "全流程节点管控系统" in await route.text()
        for path in ("/console/app/missing.js", "/console/vendor/package-lock.json", "/console/vendor/manifest.json",
                     "/console/README.md"):
            answer = await client.get(path)
            assert answer.status == 404, path
            assert "Content-Security-Policy" in answer.headers
    serve(check)
    files = StaticFiles(CONSOLE)   # what a client that does not normalise its path could ask
    assert files._resolve("app/../../pyproject.toml") is None
    assert files._resolve("vendor/../../gateway/config.py") is None
    assert files._resolve("app/main.js") == CONSOLE.resolve() / "app" / "main.js"


def test_login_sets_the_refresh_token_as_an_httponly_strict_path_limited_cookie():
    async def check(client, calls):
        answer = await client.post("/console/auth/login", json={"username": "judge.1", "password": "right"},
                                   headers={"X-CourtFlow-Console": "1"})
        assert answer.status == 200
        assert await answer.json() == {"accessToken": "access-1", "expiresIn": 900}   # no refresh token
        cookie = answer.headers["Set-Cookie"]
        assert f"{COOKIE}=cfr_first" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert "Path=/console/auth/" in cookie and "Secure" not in cookie and "Max-Age" not in cookie
        assert answer.headers["Cache-Control"] == "no-store"
        refreshed = await client.post("/console/auth/refresh", json={}, headers={"X-CourtFlow-Console": "1"})
        assert (await refreshed.json())["accessToken"] == "access-2"
        assert calls[-1][0] == "RefreshToken" and pb.RefreshTokenRequest.FromString(calls[-1][1]).refresh_token == "cfr_first"
        out = await client.post("/console/auth/logout", json={},
                                headers={"X-CourtFlow-Console": "1", "Authorization": "Bearer access-2"})
        assert out.status == 200 and calls[-1][0] == "Logout" and calls[-1][2]["Authorization"] == "Bearer access-2"
        assert 'courtflow_console_refresh=""' in out.headers["Set-Cookie"]
        wrong = await client.post("/console/auth/login", json={"username": "judge.1", "password": "wrong"},
                                  headers={"X-CourtFlow-Console": "1"})
        assert wrong.status == 401 and (await wrong.json())["error"]["message"] == "登录失败: 用户名或密码错误"
        assert "Set-Cookie" not in wrong.headers
    serve(check)


def test_behind_https_the_cookie_is_secure_and_prefixed():
    async def check(client, _calls):
        answer = await client.post("/console/auth/login", json={"username": "judge.1", "password": "right"},
                                   headers={"X-CourtFlow-Console": "1", "X-Forwarded-Proto": "https"})
        cookie = answer.headers["Set-Cookie"]
        assert cookie.startswith(f"__Secure-{COOKIE}=") and "Secure" in cookie
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    serve(check)


def test_requests_another_site_could_make_are_refused():
    async def check(client, calls):
        login = {"username": "judge.1", "password": "right"}
        for headers in ({}, {"X-CourtFlow-Console": "1", "Origin": "https://evil.example"},
                        {"X-CourtFlow-Console": "1", "Sec-Fetch-Site": "cross-site"}):
            answer = await client.post("/console/auth/login", json=login, headers=headers)
            assert answer.status == 403, headers
            assert (await answer.json())["error"]["details"][0]["reason"] == "CROSS_SITE_REQUEST"
        form = await client.post("/console/auth/refresh", data="x=1", headers={
            "X-CourtFlow-Console": "1", "Content-Type": "application/x-www-form-urlencoded"})
        assert form.status == 403
        none = await client.post("/console/auth/refresh", json={}, headers={"X-CourtFlow-Console": "1"})
        assert none.status == 401 and (await none.json())["error"]["details"][0]["reason"] == "NO_SESSION"
        assert calls == []   # nothing reached AuthService
    serve(check)
