"""The whole system under mixed load while its parts fail, then checked (issue 16, item 2).

    .venv/bin/python bench/chaos.py [--minutes 10] [--seed 16] [--clients 8] [--gap 20 40]

Starts its own PostgreSQL and NATS (unless DATABASE_URL / NATS_URL are set: then the faults that
need the embedded servers are left out) and the six CourtFlow processes. For the given time, 8
clients register cases, record case events, apply for and approve extensions and read inboxes
(one keeps a message stream open); the shared clock jumps 10 days every minute, so hundreds of
nodes cross a rung at once; every 20–40 s one fault: kill -9 of a service (the harness starts it
again, as the start command's supervisor would), kill -9 of NATS, a PostgreSQL immediate shutdown
and restart, a service paused (SIGSTOP, SIGCONT 5–10 s later), or a full disk under the SMS log
provider (its file made /dev/full for 15 s). Then the load stops, the system drains, and:
`courtflow verify`'s checks find nothing; every request a client saw succeed is stored exactly
once; the audit chain verifies and holds each registration once. Prints one JSON object. A soak,
not a test: CPU-heavy, run it on a machine of its own (or briefly: --minutes 2).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

# Before grpc is imported (as runtime/__init__.py does): gRPC's fork handlers abort a child that
# this process forks while its channels poll — a PostgreSQL restarted mid-soak died with SIGABRT.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

import grpc  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from courtflow.alert.v1 import alert_service_pb2 as als, alert_service_pb2_grpc  # noqa: E402
from courtflow.case.v1 import case_pb2, case_service_pb2 as cs, case_service_pb2_grpc  # noqa: E402
from courtflow.node.v1 import node_pb2, node_service_pb2 as ns, node_service_pb2_grpc  # noqa: E402
from runtime.demo import bearer, create_request, load_logins  # noqa: E402
from runtime.synthetic import CaseSeed  # noqa: E402
from runtime.system import Infrastructure, System  # noqa: E402
from services.common.clock import LEGAL_TZ, read_shared_clock, set_shared_clock  # noqa: E402

JUDGE, PRESIDENT, COURT_SYSTEM = "judge.440101.civil1.1", "president.440101", "court-system"
SERVICES = ("gateway", "case", "node", "alert", "stats", "audit")
# Worth trying again with the same request id: the system was (partly) down, not the request wrong.
# (INTERNAL is not: it is a bug, and counted as a failure.)
TRANSIENT = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.ABORTED,
             grpc.StatusCode.RESOURCE_EXHAUSTED}
ALREADY = object()
UNPACED_SMS = {"ALERT_SMS_QUIET_HOURS": "off", "ALERT_SMS_MIN_INTERVAL_MINUTES": "0",
               "ALERT_SMS_DIGEST_ABOVE": "1000000"}


def run_async(coro_fn, nats_url: str):
    async def go():
        import nats
        nc = await nats.connect(nats_url, connect_timeout=5, max_reconnect_attempts=0)
        try:
            return await coro_fn(nc.jetstream())
        finally:
            await nc.close()
    return asyncio.run(go())


class Load:
    """The clients: what they asked, what succeeded (by request id), what failed and was retried."""

    def __init__(self, system: System, logins: dict, nats_url: str, rng: random.Random, think: float) -> None:
        self.system, self.nats_url, self.rng, self.think = system, nats_url, rng, think
        self.md = {user: bearer(logins[user]["token"]) for user in (JUDGE, PRESIDENT, COURT_SYSTEM)}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.cases: dict[str, str] = {}          # request id → case name
        self.events: set[str] = set()
        self.applications: dict[str, str] = {}   # request id → application name
        self.approved: set[str] = set()
        self.outcomes: Counter[str] = Counter()
        self.streamed = 0

    def call(self, what: str, fn, *, decided_ok: bool = False):
        """One request, tried again with the same request id while the system is down (up to 2 min).
        The reply, ALREADY when a retried decision finds its first try went through, else None."""
        deadline, retried = time.monotonic() + 120, False
        while True:
            try:
                reply = fn()
                self.count("retried" if retried else "succeeded", what)
                return reply
            except grpc.RpcError as err:
                if decided_ok and retried and err.code() == grpc.StatusCode.FAILED_PRECONDITION \
                        and "APPLICATION_DECIDED" in str(err.trailing_metadata() or ()) + (err.details() or ""):
                    self.count("retried", what)    # the try before went through: idempotent by state
                    return ALREADY
                if err.code() not in TRANSIENT or time.monotonic() > deadline:
                    self.count(f"failed:{err.code().name}", what)
                    return None
                retried = True
                time.sleep(0.5)

    def count(self, outcome: str, what: str) -> None:
        with self.lock:
            self.outcomes[f"{what}:{outcome}"] += 1

    def client(self, k: int, today) -> None:
        channel = grpc.insecure_channel(self.system.gateway)
        cases, nodes = case_service_pb2_grpc.CaseServiceStub(channel), node_service_pb2_grpc.NodeServiceStub(channel)
        alerts = alert_service_pb2_grpc.AlertServiceStub(channel)
        mine: list[str] = []
        n = 0
        while not self.stop.wait(self.think):
            n += 1
            rid = f"chaos-{k}-{n}"
            roll = self.rng.random()
            if roll < 0.45 or not mine:
                filed = today() - timedelta(days=self.rng.randint(0, 60))
                seed = CaseSeed(request_id=rid, court_id="440101", department_id="440101-civil1",
                                case_number=f"（{filed.year}）示0101民初{k}{n:05d}号", case_type="civil",
                                procedure="first_instance_ordinary", cause="民间借贷纠纷",
                                parties=("原告 张三", "被告 李四"), handler=JUDGE, filing_date=filed, custody=False)
                reply = self.call("register", lambda: cases.CreateCase(create_request(seed), metadata=self.md[COURT_SYSTEM],
                                                                       timeout=10))
                if reply is not None:
                    mine.append(reply.case.name)
                    with self.lock:
                        self.cases[rid] = reply.case.name
            elif roll < 0.70:
                case, on = self.rng.choice(mine), today()
                request = cs.RecordCaseEventRequest(parent=case, request_id=rid, case_event=case_pb2.CaseEvent(
                    event_type=case_pb2.CASE_EVENT_TYPE_DOCUMENT_SERVED, document="complaint_copy",
                    occur_date={"year": on.year, "month": on.month, "day": on.day}))
                if self.call("case_event", lambda: cases.RecordCaseEvent(request, metadata=self.md[COURT_SYSTEM],
                                                                         timeout=10)) is not None:
                    with self.lock:
                        self.events.add(rid)
            elif roll < 0.80:
                node = f"{self.rng.choice(mine)}/nodes/trial_time_limit"
                request = ns.CreateApplicationRequest(parent=node, request_id=rid, application=node_pb2.Application(
                    kind=node_pb2.APPLICATION_KIND_EXTENSION, extension="6m", reason="案情复杂，需鉴定",
                    materials=["延长审限审批表"]))
                app = self.call("apply", lambda: nodes.CreateApplication(request, metadata=self.md[JUDGE], timeout=10))
                if app is not None:
                    with self.lock:
                        self.applications[rid] = app.application.name
                    approve = ns.ApproveApplicationRequest(name=app.application.name, comment="同意")
                    if self.call("approve", lambda: nodes.ApproveApplication(approve, metadata=self.md[PRESIDENT],
                                                                             timeout=10), decided_ok=True) is not None:
                        with self.lock:
                            self.approved.add(app.application.name)
            else:
                self.call("inbox", lambda: alerts.ListMessages(als.ListMessagesRequest(parent="users/me", page_size=50),
                                                               metadata=self.md[JUDGE], timeout=10))
        channel.close()

    def stream(self) -> None:
        """A judge's inbox kept open as a stream, reopened after every break."""
        while not self.stop.is_set():
            channel = grpc.insecure_channel(self.system.gateway)
            try:
                for _ in alert_service_pb2_grpc.AlertServiceStub(channel).StreamMessages(
                        als.StreamMessagesRequest(parent="users/me"), metadata=self.md[JUDGE], timeout=30):
                    self.streamed += 1
                    if self.stop.is_set():
                        break
            except grpc.RpcError:
                time.sleep(0.5)
            finally:
                channel.close()


class Prober:
    """Is the system answering? Three reads through the gateway (case, node, alert) every 0.25 s."""

    def __init__(self, system: System, md_court, md_judge) -> None:
        self.system, self.md_court, self.md_judge = system, md_court, md_judge
        self.samples: list[tuple[float, bool]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        channel = grpc.insecure_channel(self.system.gateway)
        cases, nodes = case_service_pb2_grpc.CaseServiceStub(channel), node_service_pb2_grpc.NodeServiceStub(channel)
        alerts = alert_service_pb2_grpc.AlertServiceStub(channel)
        while not self.stop.is_set():
            try:
                cases.ListCases(cs.ListCasesRequest(parent="courts/440101", page_size=1), metadata=self.md_court,
                                timeout=2)
                nodes.ListNodes(ns.ListNodesRequest(parent="courts/440101/cases/-", page_size=1),
                                metadata=self.md_court, timeout=2)
                alerts.ListMessages(als.ListMessagesRequest(parent="users/me", page_size=1), metadata=self.md_judge,
                                    timeout=2)
                ok = True
            except grpc.RpcError as err:
                ok = err.code() not in TRANSIENT   # a refusal is an answer: the system is up
            self.samples.append((time.monotonic(), ok))
            time.sleep(0.25)
        channel.close()

    def longest_outage(self, start: float, end: float) -> float:
        """The longest run of failed probes that began in [start, end)."""
        longest, since = 0.0, None
        for t, ok in self.samples:
            if not ok and since is None and start <= t < end:
                since = t
            elif ok and since is not None:
                longest, since = max(longest, t - since), None
        return round(longest, 2)


class Faults:
    """One fault every `gap` (20–40 s), of a kind drawn at random (each kind in turn first)."""

    def __init__(self, system: System, infra: Infrastructure, rng: random.Random,
                 gap: tuple[float, float] = (20, 40)) -> None:
        self.system, self.infra, self.rng, self.gap = system, infra, rng, gap
        self.kinds = ["kill_service", "pause_service", "disk_full"] + (
            ["kill_nats"] if infra.nats else []) + (["postgres_immediate"] if infra.postgres else [])
        self.injected: list[dict] = []
        self.stop = threading.Event()

    def run(self) -> None:
        order = list(self.kinds)
        self.rng.shuffle(order)
        while not self.stop.wait(self.rng.uniform(*self.gap)):
            kind = order.pop(0) if order else self.rng.choice(self.kinds)
            started = time.monotonic()
            try:
                target, error = getattr(self, kind)(), ""
            except Exception as exc:   # the harness failed to inject or undo it: reported, the soak goes on
                target, error = "", f"{type(exc).__name__}: {exc}"[:300]
            self.injected.append({"kind": kind, "target": target, "start": started, **({"error": error} if error else {}),
                                  "recovered_after": round(time.monotonic() - started, 2)})

    def _restart(self, name: str) -> None:
        for _ in range(10):   # the database or the bus may be coming back themselves
            try:
                self.system.restart(name, timeout=60)
                return
            except Exception:
                time.sleep(2)

    def kill_service(self) -> str:
        name = self.rng.choice(SERVICES)
        self.system.components[name].kill()
        self._restart(name)
        return name

    def pause_service(self) -> str:
        name = self.rng.choice(SERVICES)
        pid = self.system.components[name].proc.pid
        os.kill(pid, signal.SIGSTOP)
        time.sleep(self.rng.uniform(5, 10))
        os.kill(pid, signal.SIGCONT)
        return name

    def disk_full(self) -> str:
        log = self.system.sms_log
        kept = log.with_suffix(".kept")
        if log.exists():
            log.rename(kept)
        log.symlink_to("/dev/full")
        time.sleep(15)
        log.unlink()
        if kept.exists():
            kept.rename(log)
        return "sms log"

    def kill_nats(self) -> str:
        self.infra.nats.kill()
        time.sleep(self.rng.uniform(1, 3))
        self.infra.nats.start()
        return "nats-server"

    def postgres_immediate(self) -> str:
        pg = self.infra.postgres
        os.kill(pg.pid, signal.SIGQUIT)   # the postmaster's immediate shutdown: no checkpoint, crash recovery next
        pg._proc.wait(60)
        pg.start()
        return "postgres"


def drain(system: System, nats_url: str, database_url: str, timeout: float = 600,
          waited: list | None = None) -> float:
    """Seconds until nothing is on its way: every durable consumer has taken and acknowledged its
    stream, every outbox is published, no due timer is unfired and no SMS waits (twice in a row).
    `waited` receives (second, {what: how many}) each time what it waits on changes."""
    waited = [] if waited is None else waited
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    started, quiet = time.monotonic(), 0

    async def busy(js) -> dict[str, int]:
        # Durable consumers only: a killed process's ephemeral watch of the clock keeps what was
        # written after it died until NATS deletes it (minutes later), and is no one's work.
        return {f"{stream.config.name}/{c.name}": c.num_pending + c.num_ack_pending
                for stream in await js.streams_info() for c in await js.consumers_info(stream.config.name)
                if c.config.durable_name}

    while quiet < 2:
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"not drained after {timeout:.0f} s")
        try:
            now = run_async(read_shared_clock, nats_url)
            with engine.connect() as conn:
                schemas = list(conn.execute(text(
                    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox'")).scalars())
                left = {f"{s}.outbox": conn.execute(text(f"SELECT count(*) FROM {s}.outbox WHERE published_at IS NULL"))
                        .scalar() for s in schemas}
                left["due_timers"] = conn.execute(text("SELECT count(*) FROM nodes.due_timers WHERE fired_at IS NULL "
                                                       "AND fire_at <= :now"), {"now": now}).scalar()
                left["sms"] = conn.execute(text("SELECT count(*) FROM alerts.sms_deliveries WHERE state = 1")).scalar()
            left |= run_async(busy, nats_url)
            left = {k: n for k, n in left.items() if n}
        except Exception as exc:
            left = {type(exc).__name__: 1}
        # What it waited on, when that changed (a slow drain says what held it).
        if left.keys() != (waited[-1][1].keys() if waited else set()):
            waited.append((round(time.monotonic() - started, 1), left))
        quiet = quiet + 1 if not left else 0
        time.sleep(1)
    engine.dispose()
    return round(time.monotonic() - started, 1)


def stored_once(database_url: str, load: Load) -> dict:
    """Each request a client saw succeed, in the owner's tables exactly once (and each registration
    once in the audit log)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        def counts(query: str, keys) -> Counter:
            return Counter(dict(conn.execute(text(query), {"keys": list(keys)}).all()))
        cases = counts("SELECT request_id, count(*) FROM cases.cases WHERE request_id = ANY(:keys) GROUP BY 1",
                       load.cases)
        events = counts("SELECT request_id, count(*) FROM cases.case_events WHERE request_id = ANY(:keys) "
                        "GROUP BY 1", load.events)
        apps = counts("SELECT request_id, count(*) FROM nodes.applications WHERE request_id = ANY(:keys) "
                      "GROUP BY 1", load.applications)
        approved = {str(i) for i in conn.execute(text("SELECT id FROM nodes.applications WHERE state = 2")).scalars()}
        audited = counts("SELECT resource, count(*) FROM audit.records WHERE action = "
                         "'/courtflow.case.v1.CaseService/CreateCase' AND resource = ANY(:keys) GROUP BY 1",
                         load.cases.values())
    engine.dispose()

    def wrong(counter: Counter, keys) -> list[str]:
        return sorted(k for k in keys if counter.get(k, 0) != 1)
    return {"registrations": wrong(cases, load.cases), "case_events": wrong(events, load.events),
            "applications": wrong(apps, load.applications),
            "approvals_not_in_effect": sorted(a for a in load.approved if a.rsplit("/", 1)[1] not in approved),
            "registrations_not_audited_once": wrong(audited, load.cases.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--think", type=float, default=0.1, help="seconds each client waits between requests")
    ap.add_argument("--gap", type=float, nargs=2, default=(20, 40), metavar=("MIN", "MAX"),
                    help="seconds between faults (the short run in CI: each kind once in about two minutes)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="courtflow-chaos-"))
    infra = Infrastructure.start(work)
    from runtime.demo_directory import load_demo
    load_demo(infra.database_url, out=work / "logins.json", seed=1, cases=1, reference=date.today())
    internal_key = "courtflow-chaos-internal-key"
    # The catalogue the services run with, kept: verify must read the same one.
    catalog = work / "catalog.yaml"
    catalog.write_bytes((ROOT / "services" / "node" / "catalog.yaml").read_bytes())
    system = System(database_url=infra.database_url, nats_url=infra.nats_url, log_dir=work / "logs",
                    internal_key=internal_key, extra_env={"COURTFLOW_LOG_LEVEL": "WARNING", "NODE_CATALOG": str(catalog),
                                                          **UNPACED_SMS})
    result: dict = {"minutes": args.minutes, "seed": args.seed, "clients": args.clients, "work": str(work)}
    phases: dict[str, float] = {}   # seconds each part of the run took, to see where a slow one went
    mark = [time.monotonic()]

    def phase(name: str) -> None:
        now = time.monotonic()
        phases[name] = round(now - mark[0], 1)
        mark[0] = now
    try:
        run_async(lambda js: set_shared_clock(js, offset=timedelta()), infra.nats_url)
        system.start()
        system.wait_for_directory()
        phase("start")
        logins = load_logins(work / "logins.json")
        load = Load(system, logins, infra.nats_url, rng, args.think)
        offset = [timedelta()]

        def today():
            from datetime import datetime
            return (datetime.now(LEGAL_TZ) + offset[0]).date()

        prober = Prober(system, load.md[COURT_SYSTEM], load.md[JUDGE])
        faults = Faults(system, infra, random.Random(args.seed + 1), gap=tuple(args.gap))
        threads = [threading.Thread(target=load.client, args=(k, today), daemon=True) for k in range(args.clients)]
        threads += [threading.Thread(target=load.stream, daemon=True), threading.Thread(target=faults.run, daemon=True),
                    threading.Thread(target=prober.run, daemon=True)]
        started = time.monotonic()
        for t in threads:
            t.start()
        end = started + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(min(60, max(0, end - time.monotonic())))
            if time.monotonic() < end:   # hundreds of nodes cross a rung at once
                offset[0] += timedelta(days=10)
                try:
                    run_async(lambda js: set_shared_clock(js, offset=offset[0]), infra.nats_url)
                except Exception:
                    offset[0] -= timedelta(days=10)   # NATS down: the next minute tries again
        phase("load")
        faults.stop.set()
        load.stop.set()
        # The prober last: it watches until the clients are done. (Joined while still running, it
        # once held every run for the join's full 180 s, three minutes of each CI run.)
        for t in threads[:-1]:
            t.join(180)
        prober.stop.set()
        threads[-1].join(180)
        phase("clients_stop")
        waited: list = []
        try:
            drained = drain(system, infra.nats_url, infra.database_url, waited=waited)
        except TimeoutError as exc:   # reported, and verify says what is still on its way
            drained = str(exc)
        phase("drain")

        from runtime.verify_cli import dead_letters, integrity_findings
        findings = integrity_findings(infra.database_url, infra.nats_url, stuck_after=timedelta(seconds=0),
                                      catalog=catalog, sms_log=system.sms_log,
                                      audit_key=internal_key)
        letters = dead_letters(infra.database_url)
        phase("verify")
        by_kind: dict[str, list] = defaultdict(list)
        starts = [f["start"] for f in faults.injected] + [time.monotonic()]
        for f, next_start in zip(faults.injected, starts[1:]):
            by_kind[f["kind"]].append(prober.longest_outage(f["start"], next_start))
        outcomes = Counter()
        for key, n in load.outcomes.items():
            outcomes[key.split(":", 1)[1].split(":")[0]] += n
        result.update({
            "faults_injected": dict(Counter(f["kind"] for f in faults.injected)),
            "faults": [{k: v for k, v in f.items() if k != "start"} for f in faults.injected],
            "requests": {"succeeded": outcomes["succeeded"], "retried": outcomes["retried"],
                         "failed": outcomes["failed"], "by_operation": dict(sorted(load.outcomes.items()))},
            "stream_messages": load.streamed,
            "longest_unavailability_seconds": {k: max(v) for k, v in by_kind.items()},
            "time_to_drain_seconds": drained,
            "drain_waited_on": waited,
            "verify": {"findings": len(findings), "dead_letters": len(letters),
                       "by_check": dict(Counter(f.check for f in findings)),
                       "first": [f.__dict__ for f in findings[:20]]},
            "stored_exactly_once": stored_once(infra.database_url, load),
        })
        phase("stored_once")
        result["phase_seconds"] = phases
        result["clean"] = not findings and not letters and not any(result["stored_exactly_once"].values())
    finally:
        system.stop()
        infra.stop()
    # A clean soak leaves nothing behind (the suite runs one in every CI run: a gigabyte each time);
    # after a finding the folder stays, with the database and the services' logs to look into.
    if result.get("clean"):
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
