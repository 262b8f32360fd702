"""The console's supervision pages in Chromium on a generated province (issue 14's benchmark).

    .venv/bin/python bench/console.py [--cases 100000] [--nodes-per-case 25] [--runs 15]

Starts PostgreSQL and NATS (embedded unless DATABASE_URL / NATS_URL are set) and the six CourtFlow
processes as the end-to-end tests do, the gateway serving the console, with the demo directory and
the shared clock frozen at bench/supervision.py's NOW. Then bench/supervision.py's province
(`load`: its LOAD statements, then the cube counted by services.stats.repository.rebuild_cube) goes
straight into the stats read model, and the high court's trial management office
(trial_management.44, province-wide) signs in through the console in Debian's Chromium.

Measured warm (one unmeasured visit first), `--runs` times each:
- P1 案件信息, P2 流程节点预警, P3 部门预警情况, P5 案件锁定情况: from navigation (a full page load,
  as opening a bookmark: the session resumes from the refresh cookie) until the page's figures
  are in the document (its table rows, nothing left `aria-busy`), by the page's own clock
  (`performance.now()`, which counts from the navigation's start);
- 明细 (drill-down): from the click on P3's province-wide 超期节点 total until the list of those
  nodes is in the document (the click event's own time stamp to the rows).
Beside each, the floor in the same run: the same API calls the page made (read from the browser's
resource timing) sent one after another by a plain HTTP client with the same user's token, and a
static file of the console fetched the same way; and the ratios. Each page's API calls are listed
with their time in the browser (p50 of the resource timing's duration) and the server's part
(request sent to first byte), and each measurement split into the time before the first call
(the document and scripts loaded, the app started), the span of the calls and the time after the
last one (drawing), so one sees where the time goes.

Prints JSON. Not a test. Goal of issue 14: first page p95 under 1.5 s, drill-down under 300 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import nats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.supervision import NOW, load  # noqa: E402
from gateway.identity.signing import ensure_key_file  # noqa: E402
from runtime.demo_directory import load_demo  # noqa: E402
from runtime.system import Infrastructure, System, wait_for_directory  # noqa: E402
from services.common.clock import set_shared_clock  # noqa: E402

USER = "trial_management.44"
CHROMIUM = os.environ.get("COURTFLOW_CHROMIUM", "/usr/bin/chromium")
GOAL_FIRST_PAGE_P95_MS = 1500
GOAL_DRILL_P95_MS = 300
# Each page and what shows that its figures are in: rows of its main table (every page here
# has one), and no loader left busy (ui.js `loading()` marks itself aria-busy).
PAGES = {
    "P1_cases": ("/supervision/cases", "案件信息", "[aria-labelledby=cf-by-group] tr.el-table__row"),
    "P2_warnings": ("/supervision/warnings", "流程节点预警", "[aria-labelledby=cf-p2-nodes] tr.el-table__row"),
    "P3_departments": ("/supervision/departments", "部门预警情况", "main tr.el-table__row"),
    "P5_locks": ("/supervision/locks", "案件锁定情况", "main tr.el-table__row"),
}
DRILL_FROM = "P3_departments"
DRILL_LINK = 'a.cf-count[aria-label^="合计超期节点"]'


def rendered(heading: str, rows: str, since: str = "0") -> str:
    """A predicate for wait_for_function: the milliseconds from `since` once the page titled
    `heading` shows its rows and nothing is loading (false until then)."""
    return (f"() => {{ const h = document.querySelector('main h1');"
            f" return !!h && h.textContent.startsWith({json.dumps(heading)})"
            f" && !!document.querySelector({json.dumps(rows)})"
            f" && !document.querySelector('[aria-busy=true]') && performance.now() - ({since}); }}")


# The page's API calls since `since` (resource timing): path and query, time in the browser, and
# the server's part (request sent to first byte; 0 when the browser does not expose it).
CALLS = """(since) => performance.getEntriesByType('resource')
  .filter((e) => e.startTime >= since && (e.name.includes('/v1/') || e.name.includes('/console/auth/')))
  .map((e) => ({ url: e.name, start: e.startTime, end: e.responseEnd, ms: e.duration,
                 server_ms: e.responseStart && e.requestStart ? e.responseStart - e.requestStart : 0 }))"""


def percentiles(samples: list[float]) -> dict:
    """p50 and the nearest-rank p95 (the ⌈0.95·n⌉-th smallest: the 19th of 20, not the largest)."""
    samples = sorted(samples)
    return {"p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[max(0, math.ceil(0.95 * len(samples)) - 1)], 1),
            "max_ms": round(samples[-1], 1)}


class Watch:
    """What else the machine did while a sample was measured, to explain a slow one: every 100 ms,
    the CPU each process used (from /proc) and the database statements running longer than 50 ms
    (pg_stat_activity, autovacuum included)."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.ticks: list[tuple[float, dict[str, float], list[str]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "Watch":
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    @staticmethod
    def _cpu() -> dict[tuple[int, str], float]:
        seen = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                raw = stat.read_text()
            except OSError:
                continue
            name = raw[raw.index("(") + 1:raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2:].split()
            seen[(int(stat.parent.name), name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return seen

    def _run(self) -> None:
        from sqlalchemy import create_engine, text
        engine = create_engine(self.url)
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        before = self._cpu()
        while not self._stop.wait(0.1):
            now = self._cpu()
            used: dict[str, float] = defaultdict(float)
            for key, seconds in now.items():
                used[key[1]] += seconds - before.get(key, seconds)
            before = now
            running = [r.strip() for r in conn.execute(text(
                "SELECT coalesce(nullif(backend_type, 'client backend'), '') || ' '"
                " || left(regexp_replace(query, '\\s+', ' ', 'g'), 90)"
                " FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()"
                " AND now() - query_start > interval '50 ms'")).scalars()]
            self.ticks.append((time.time(), {k: v for k, v in used.items() if v > 0}, running))
        conn.close()
        engine.dispose()

    def during(self, start: float, end: float) -> dict:
        """CPU seconds per process name (the top five) and the statements seen, in [start, end]."""
        cpu: dict[str, float] = defaultdict(float)
        statements: set[str] = set()
        for at, used, running in self.ticks:
            if start <= at <= end + 0.1:
                for name, seconds in used.items():
                    cpu[name] += seconds
                statements.update(running)
        top = sorted(cpu.items(), key=lambda kv: -kv[1])[:5]
        return {"cpu_seconds": {name: round(seconds, 2) for name, seconds in top}, "statements": sorted(statements)}


def call_name(url: str) -> str:
    """A call's path and query, with the console's origin left out."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def summarize_calls(runs: list[tuple[float, float, list[dict]]]) -> dict:
    """Where the time went, from (start, ready, calls) of each run (ms on the page's clock): per
    call (in the order the page makes them), p50 of its time in the browser and of the server's
    part; p50 of the time before the first call (loading and starting the app), of the span of the
    calls (first start to last end) and of the time after the last one (drawing the answers)."""
    by_call: dict[str, list[dict]] = defaultdict(list)
    for _, _, calls in runs:
        for c in calls:
            by_call[call_name(c["url"])].append(c)
    median = lambda values: round(statistics.median(values), 1)  # noqa: E731
    timed = [(start, ready, calls) for start, ready, calls in runs if calls]
    return {"calls": {name: {"p50_ms": median(c["ms"] for c in seen), "server_p50_ms": median(c["server_ms"] for c in seen),
                             "count": len(seen)}
                      for name, seen in by_call.items()},
            "before_first_call_p50_ms": median(min(c["start"] for c in calls) - start for start, _, calls in timed),
            "api_span_p50_ms": median(max(c["end"] for c in calls) - min(c["start"] for c in calls)
                                      for _, _, calls in timed),
            "after_last_call_p50_ms": median(ready - max(c["end"] for c in calls) for _, ready, calls in timed)}


class Plain:
    """A plain HTTP/1.1 client on one kept-alive connection: the floor under the browser."""

    def __init__(self, base: str, token: str) -> None:
        url = urlsplit(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.token = token

    def get(self, target: str, *, auth: bool = True) -> int:
        self.conn.request("GET", target, headers={"Authorization": f"Bearer {self.token}"} if auth else {})
        reply = self.conn.getresponse()
        reply.read()
        return reply.status

    def timed(self, targets: list[str], runs: int, *, auth: bool = True) -> dict:
        statuses = {t: self.get(t, auth=auth) for t in targets}   # warm
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            for t in targets:
                self.get(t, auth=auth)
            samples.append((time.perf_counter() - started) * 1000)
        bad = {t: s for t, s in statuses.items() if s != 200}
        return {**percentiles(samples), "calls": len(targets), **({"not_200": bad} if bad else {})}

    def close(self) -> None:
        self.conn.close()


def measure_pages(base: str, password: str, runs: int, watch: Watch) -> tuple[dict, dict]:
    from playwright.sync_api import sync_playwright
    pages: dict[str, dict] = {}
    with sync_playwright() as p:
        # --no-sandbox: Chromium's sandbox refuses to start as root.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN",
                                      timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/console/")
        page.get_by_label("用户名").fill(USER)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("button", name="退出登录").wait_for()

        def visit(path: str, heading: str, rows: str) -> tuple[float, list[dict]]:
            page.goto(f"{base}/console{path}", wait_until="commit")
            ms = page.wait_for_function(rendered(heading, rows), polling="raf").json_value()
            return ms, (0.0, ms, page.evaluate(CALLS, 0))

        for name, (path, heading, rows) in PAGES.items():
            visit(path, heading, rows)   # warm
            samples, calls = [], []
            for _ in range(runs):
                ms, seen = visit(path, heading, rows)
                samples.append(ms)
                calls.append(seen)
            pages[name] = {"path": path, **percentiles(samples), **summarize_calls(calls),
                           "replay": [call_name(c["url"]) for c in calls[-1][2] if "/v1/" in c["url"]]}

        path, heading, rows = PAGES[DRILL_FROM]
        drill_samples, drill_calls, drill_each = [], [], []
        for i in range(runs + 1):   # the first one warms
            visit(path, heading, rows)
            page.evaluate("() => document.addEventListener('click', (e) => { window.cfClickAt = e.timeStamp; },"
                          " { capture: true, once: true })")
            started = time.time()
            page.locator(DRILL_LINK).first.click()
            ms = page.wait_for_function(rendered("明细", "main tr.el-table__row", "window.cfClickAt"),
                                        polling="raf").json_value()
            ended = time.time()
            clicked = page.evaluate("() => window.cfClickAt")
            seen = page.evaluate(CALLS, clicked)
            if i:
                drill_samples.append(ms)
                drill_calls.append((clicked, clicked + ms, seen))
                drill_each.append((ms, seen, clicked, started, ended))
        drill = {"from": f"{DRILL_FROM} 合计 · 超期节点", **percentiles(drill_samples), **summarize_calls(drill_calls),
                 "samples_ms": [round(ms) for ms in drill_samples],
                 "slow_samples": [slow(ms, seen, clicked, watch.during(started, ended))
                                  for ms, seen, clicked, started, ended in drill_each if ms > GOAL_DRILL_P95_MS],
                 "replay": [call_name(c["url"]) for c in drill_calls[-1][2] if "/v1/" in c["url"]]}
        context.close()
        browser.close()
    return pages, drill


def slow(ms: float, calls: list[dict], clicked: float, beside: dict) -> dict:
    """One slow drill-down: its time, split as summarize_calls splits the p50s, each call's time,
    and what else ran meanwhile (Watch)."""
    split = {}
    if calls:
        first, last = min(c["start"] for c in calls), max(c["end"] for c in calls)
        split = {"before_first_call_ms": round(first - clicked), "api_span_ms": round(last - first),
                 "after_last_call_ms": round(clicked + ms - last)}
    return {"ms": round(ms), **split,
            "calls_ms": {call_name(c["url"]).split("?")[0]: round(c["ms"]) for c in calls}, **beside}


def drained(nats_url: str, stream: str, durable: str, timeout: float = 120) -> None:
    """Until a durable consumer has handled every message of its stream: the stats service has
    taken the whole directory in before its tables are replaced by the generated province."""
    async def wait() -> None:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            deadline = time.monotonic() + timeout
            while True:
                info = await js.consumer_info(stream, durable)
                if info.num_pending == 0 and info.num_ack_pending == 0:
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{durable} still busy after {timeout}s")
                await asyncio.sleep(0.2)
        finally:
            await nc.close()
    asyncio.run(wait())


def freeze_clock(nats_url: str) -> None:
    async def go() -> None:
        nc = await nats.connect(nats_url)
        try:
            await set_shared_clock(nc.jetstream(), frozen=NOW)
        finally:
            await nc.close()
    asyncio.run(go())


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory / 2**20), "load_1min": os.getloadavg()[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--nodes-per-case", type=int, default=25)
    ap.add_argument("--runs", type=int, default=15)
    ns = ap.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM}: as root, apt-get install -y chromium fonts-wqy-microhei")
    work = Path(tempfile.mkdtemp(prefix="courtflow-console-"))
    infra = Infrastructure.start(work)
    system = None
    try:
        load_demo(infra.database_url, out=work / "logins.json", seed=1, cases=1, reference=NOW.date())
        logins = json.loads((work / "logins.json").read_text())
        freeze_clock(infra.nats_url)
        system = System(database_url=infra.database_url, nats_url=infra.nats_url, log_dir=work / "logs",
                        extra_env={"GATEWAY_SIGNING_KEY": str(ensure_key_file(work / "signing-key.pem")),
                                   # The month end `load` snapshots is the one a running system keeps
                                   # up to date; without these its housekeeping would spend the
                                   # measurement filling 23 more months and the last 31 days of
                                   # the new province's history.
                                   "STATS_SNAPSHOT_MONTHS": "1", "STATS_SNAPSHOT_DAYS": "0"})
        system.start()
        wait_for_directory(infra.database_url)
        drained(infra.nats_url, "GATEWAY", "stats-gateway")
        province = load(infra.database_url, ns.cases, ns.nodes_per_case)
        base = system.gateway_http
        with Watch(infra.database_url) as watch:
            pages, drill = measure_pages(base, logins[USER]["password"], ns.runs, watch)

        plain = Plain(base, logins[USER]["token"])
        static = plain.timed(["/console/index.html"], ns.runs, auth=False)
        for measured in (*pages.values(), drill):
            measured["floor_same_api_calls"] = plain.timed(measured.pop("replay"), ns.runs)
            measured["ratio_to_floor"] = round(measured["p95_ms"] / max(measured["floor_same_api_calls"]["p95_ms"], 0.1), 2)
            measured["ratio_to_static"] = round(measured["p95_ms"] / max(static["p95_ms"], 0.1), 1)
        plain.close()
        print(json.dumps({"date": date.today().isoformat(), "machine": machine(), "runs": ns.runs,
                          "province": province, "user": USER, "pages": pages, "drill_down": drill,
                          "floor_static_file": static,
                          "goal": {"first_page_p95_ms_under": GOAL_FIRST_PAGE_P95_MS,
                                   "drill_down_p95_ms_under": GOAL_DRILL_P95_MS,
                                   "met": all(p["p95_ms"] < GOAL_FIRST_PAGE_P95_MS for p in pages.values())
                                   and drill["p95_ms"] < GOAL_DRILL_P95_MS}},
                         ensure_ascii=False, indent=2))
    finally:
        if system is not None:
            system.stop()
        infra.stop()
    # A province of 100,000 cases leaves gigabytes of database behind. Only reached on success: after
    # a failure the folder stays, with the processes' logs.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
