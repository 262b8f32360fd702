"""Helpers for tests that drive a whole CourtFlow system: starting one, calling it
through the gateway as a given user, moving the shared clock, waiting for effects."""
from __future__ import annotations

import asyncio
import http.client
import json
import socket
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time as dtime
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar
from urllib.parse import urlencode, urlsplit

import grpc
import nats
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from courtflow.alert.v1 import alert_service_pb2_grpc
from courtflow.audit.v1 import audit_service_pb2_grpc
from courtflow.case.v1 import case_service_pb2_grpc
from courtflow.node.v1 import node_service_pb2_grpc
from courtflow.stats.v1 import stats_service_pb2_grpc

from gateway.identity.signing import ensure_key_file
from runtime.demo_directory import load_demo
from runtime.system import System, wait_for_directory
from services.common.clock import LEGAL_TZ, read_shared_clock, set_shared_clock

T = TypeVar("T")
# The end-to-end tests run on a small catalogue of their own (two nodes opened by filing).
SLICE_CATALOG = Path(__file__).parent / "data" / "catalog-slice.yaml"
SLICE_TIME_LIMITS = Path(__file__).parent / "data" / "time-limits-slice.yaml"
JUDGE = "judge.440101.civil1.1"
OTHER_JUDGE = "judge.440101.civil2.1"
DIVISION_HEAD = "head.440101.civil1"
PRESIDENT = "president.440101"
AUDITOR = "auditor.44"
COURT_SYSTEM = "court-system"
COURT = "440101"
DEPARTMENT = "courts/440101/departments/440101-civil1"


def eventually(check: Callable[[], T], *, timeout: float = 30, interval: float = 0.1, what: str = "") -> T:
    """Poll until `check` returns a truthy value (effects cross processes and the bus)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or check}; last value: {last!r}")


async def eventually_async(check, *, timeout: float = 10, interval: float = 0.05, what: str = ""):
    """`eventually` for a coroutine `check()` on the caller's event loop (a JetStream's counts,
    which the server does not always update at once after a publish)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or check}; last value: {last!r}")


def clock_revision(metrics_port: int) -> int:
    """The shared clock revision a process applies, from its Prometheus metrics (0: none yet)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=2) as reply:
            text_ = reply.read().decode()
    except OSError:
        return 0
    found = re.search(r"^courtflow_shared_clock_revision ([0-9.e+]+)$", text_, re.M)
    return int(float(found.group(1))) if found else 0


def legal_midnight(d: date) -> datetime:
    return datetime.combine(d, dtime(), tzinfo=LEGAL_TZ)


# SMS one per reminder, at any hour: for tests of delivery itself (exactly once across crashes)
# rather than of pacing, which tests/e2e/test_reminders.py and the integration tests cover.
UNPACED_SMS = {"ALERT_SMS_QUIET_HOURS": "off", "ALERT_SMS_MIN_INTERVAL_MINUTES": "0",
               "ALERT_SMS_DIGEST_ABOVE": "1000000"}


@dataclass
class Running:
    """A started system with its users' tokens and clients."""

    system: System
    nats_url: str
    database_url: str
    logins: dict[str, dict]
    channel: grpc.Channel

    def md(self, user: str) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.logins[user]['token']}")]

    def http(self, method: str, path: str, *, user: str | None = None, body: Any = None,
             query: Iterable[tuple[str, str]] = (), raw: bytes | None = None, timeout: float = 15,
             headers: dict[str, str] | None = None) -> "HttpReply":
        """One HTTP-JSON call to the gateway as `user` (no token when None)."""
        headers = {**(headers or {}), **({"Authorization": f"Bearer {self.logins[user]['token']}"} if user else {})}
        return http_call(self.system.gateway_http, method, path, headers=headers, query=query, timeout=timeout,
                         body=raw if raw is not None else None if body is None else json.dumps(body).encode())

    @property
    def cases(self):
        return case_service_pb2_grpc.CaseServiceStub(self.channel)

    @property
    def nodes(self):
        return node_service_pb2_grpc.NodeServiceStub(self.channel)

    @property
    def alerts(self):
        return alert_service_pb2_grpc.AlertServiceStub(self.channel)

    @property
    def stats(self):
        return stats_service_pb2_grpc.StatsServiceStub(self.channel)

    @property
    def audit(self):
        return audit_service_pb2_grpc.AuditServiceStub(self.channel)

    def now(self) -> datetime:
        return with_js(self.nats_url, read_shared_clock)

    def set_clock(self, when: datetime) -> None:
        """Move time for every process at once (frozen at `when`), and return once every running
        process applies it: a call made right after must not see the time before."""
        revision = with_js(self.nats_url, lambda js: set_shared_clock(js, frozen=when))
        running = [c for c in self.system.components.values() if c.running()]
        eventually(lambda: all(clock_revision(c.metrics_port) >= revision for c in running),
                   timeout=30, interval=0.02, what=f"every process on the shared clock's revision {revision}")

    def today(self) -> date:
        return self.now().astimezone(LEGAL_TZ).date()


@dataclass
class HttpReply:
    status: int
    headers: dict[str, str]
    body: bytes
    lines: list[dict] | None = None   # a stream's lines (application/x-ndjson), read until it went quiet

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> dict:
        return self.json()["error"]

    def reason(self) -> str | None:
        return next((d.get("reason") for d in self.error.get("details", []) if d["@type"].endswith("ErrorInfo")), None)

    def violations(self) -> list[tuple[str, str]]:
        return [(v["field"], v["description"]) for d in self.error.get("details", [])
                if d["@type"].endswith("BadRequest") for v in d.get("fieldViolations", [])]


def http_call(base: str, method: str, path: str, *, headers: dict[str, str] | None = None,
              query: Iterable[tuple[str, str]] = (), body: bytes | None = None, timeout: float = 15) -> HttpReply:
    """A plain HTTP/1.1 request (the standard library: what any portal could send). A streamed
    answer is read line by line until nothing comes for `timeout` seconds."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        query = list(query)
        target = path + (("?" + urlencode(query)) if query else "")
        sent = {"Content-Type": "application/json", **(headers or {})} if body is not None else dict(headers or {})
        conn.request(method, target, body=body, headers=sent)
        resp = conn.getresponse()
        reply_headers = {k.lower(): v for k, v in resp.getheaders()}
        if not reply_headers.get("content-type", "").startswith("application/x-ndjson"):
            return HttpReply(resp.status, reply_headers, resp.read())
        lines = []
        try:
            while line := resp.readline():
                lines.append(json.loads(line))
        except (socket.timeout, TimeoutError):
            pass
        return HttpReply(resp.status, reply_headers, b"\n".join(json.dumps(x, ensure_ascii=False).encode()
                                                                for x in lines), lines)
    finally:
        conn.close()


def with_js(url: str, fn):
    """fn(js) on a connection of its own. In a thread of its own when this one already runs an event
    loop: Playwright's synchronous API keeps one in the browser tests' thread, where asyncio.run
    refuses to start another (a browser test moving the clock)."""
    async def run():
        nc = await nats.connect(url)
        try:
            return await fn(nc.jetstream())
        finally:
            await nc.close()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(run())
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result()


async def reset_bus(js) -> None:
    """Forget every CourtFlow stream and the shared clock: a dedicated external NATS used by
    successive test systems must not replay one system's events into the next."""
    for stream in ("CASE", "NODE", "ALERT", "GATEWAY", "STATS", "AUDIT", "DEADLETTER", "KV_COURTFLOW_CLOCK"):
        try:
            await js.delete_stream(stream)
        except Exception:
            pass


def directory_reached_services(database_url: str, timeout: float = 60) -> None:
    """Wait until the alert, node and case services hold every user of the org directory."""
    wait_for_directory(database_url, timeout)


def alert_directory_entry(database_url: str, user: str) -> dict | None:
    """The alert service's copy of a user's directory entry. It follows the gateway's events, so
    a change made through the gateway reaches it a moment later, by another path than a case's
    reminders: a test that needs the change in effect waits for it here first."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            row = conn.execute(text('SELECT * FROM alerts.recipients WHERE "user" = :u'), {"u": user}).mappings().first()
        return dict(row) if row else None
    finally:
        engine.dispose()


# Each service's own copy of the org directory (it follows the gateway's UserChanged events).
DIRECTORY_COPIES = {"case": "cases.people", "node": "nodes.people", "alert": "alerts.recipients"}


def services_knowing(database_url: str, user: str) -> set[str]:
    """The services whose copy of the directory has ``user`` yet: a person created through the
    gateway is known to each service a moment later, and a test that files a case for them waits
    for all of them first (as a court system would retry a refused registration)."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {service for service, table in DIRECTORY_COPIES.items()
                    if conn.execute(text(f'SELECT 1 FROM {table} WHERE "user" = :u'), {"u": user}).first()}
    finally:
        engine.dispose()


def start_system(*, database_url: str, nats_url: str, work: Path, start_clock: datetime,
                 extra_env: dict[str, str] | None = None) -> Running:
    with_js(nats_url, reset_bus)
    logins_path = work / "logins.json"
    load_demo(database_url, out=logins_path, seed=1, cases=1, reference=start_clock.date())
    with_js(nats_url, lambda js: set_shared_clock(js, frozen=start_clock))
    # A short drain: no load balancer stands before a test system, and every module stops one
    # (the gateway's drain, then the services'); test_lifecycle asks for its own to watch it.
    system = System(database_url=database_url, nats_url=nats_url, log_dir=work / "logs",
                    extra_env={"COURTFLOW_SPAN_EXPORT": str(work / "logs" / "spans.jsonl"),
                               "GATEWAY_SIGNING_KEY": str(ensure_key_file(work / "signing-key.pem")),
                               "NODE_CATALOG": str(SLICE_CATALOG), "NODE_TIME_LIMITS": str(SLICE_TIME_LIMITS),
                               "NODE_SWEEP_INTERVAL": "0.2", "COURTFLOW_SHUTDOWN_DRAIN": "0.3",
                               **(extra_env or {})})
    system.start()
    directory_reached_services(database_url)
    return Running(system=system, nats_url=nats_url, database_url=database_url,
                   logins=json.loads(logins_path.read_text()),
                   channel=grpc.insecure_channel(system.gateway))
