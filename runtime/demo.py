"""Demo data through the front door: synthetic cases registered via the gateway, as a
court business system would push them (I1), their history of case events pushed day by day
under the shared clock (runtime/history.py), and what the node service made of them, counted
through the gateway. Also used by tests and benchmarks."""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

import grpc

from courtflow.case.v1 import case_pb2, case_service_pb2, case_service_pb2_grpc
from courtflow.node.v1 import node_pb2, node_service_pb2, node_service_pb2_grpc

from runtime.history import History, PlannedEvent
from runtime.synthetic import CaseSeed

log = logging.getLogger(__name__)

PARTY_ROLES = {"原告": case_pb2.PARTY_ROLE_PLAINTIFF, "被告": case_pb2.PARTY_ROLE_DEFENDANT,
               "被告人": case_pb2.PARTY_ROLE_DEFENDANT, "第三人": case_pb2.PARTY_ROLE_THIRD_PARTY}
CASE_TYPES = {"civil": case_pb2.CASE_TYPE_CIVIL, "criminal": case_pb2.CASE_TYPE_CRIMINAL,
              "administrative": case_pb2.CASE_TYPE_ADMINISTRATIVE, "execution": case_pb2.CASE_TYPE_EXECUTION}
PROCEDURES = {"first_instance_ordinary": case_pb2.PROCEDURE_FIRST_INSTANCE_ORDINARY,
              "simplified": case_pb2.PROCEDURE_SIMPLIFIED, "second_instance": case_pb2.PROCEDURE_SECOND_INSTANCE}


def create_request(seed: CaseSeed) -> case_service_pb2.CreateCaseRequest:
    req = case_service_pb2.CreateCaseRequest(parent=f"courts/{seed.court_id}", request_id=seed.request_id)
    c = req.case
    c.case_number, c.cause, c.custody = seed.case_number, seed.cause, seed.custody
    c.case_type, c.procedure = CASE_TYPES[seed.case_type], PROCEDURES[seed.procedure]
    c.department = f"courts/{seed.court_id}/departments/{seed.department_id}"
    c.handler = f"users/{seed.handler}"
    c.filing_date.year, c.filing_date.month, c.filing_date.day = (seed.filing_date.year, seed.filing_date.month,
                                                                  seed.filing_date.day)
    for party in seed.parties:
        role, _, name = party.partition(" ")
        c.parties.add(role=PARTY_ROLES.get(role, case_pb2.PARTY_ROLE_THIRD_PARTY), display_name=name or party)
    return req


def bearer(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def load_logins(path: Path) -> dict[str, dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def register_cases(gateway: str, token: str, seeds: list[CaseSeed], *, clients: int = 4) -> list[str]:
    """Register cases through the gateway (idempotent: a re-run returns the same cases)."""
    with grpc.insecure_channel(gateway) as channel:
        stub = case_service_pb2_grpc.CaseServiceStub(channel)

        def one(seed: CaseSeed) -> str:
            return stub.CreateCase(create_request(seed), metadata=bearer(token), timeout=30).case.name

        with ThreadPoolExecutor(clients) as pool:
            return list(pool.map(one, seeds))


# ── the history: case events pushed day by day under the shared clock ───────────────────────────

HOUR_OF_BUSINESS = 9          # the shared clock stands at 09:00 (Asia/Shanghai) of each pushed day
NODE_CONSUMER = ("CASE", "node-case")   # the node service's durable consumer of case events
NODE_INPUTS = ("courtflow.case.v1.case_filed", "courtflow.case.v1.case_event_recorded")
# Every service follows the clock through a NATS KV watch; give the update this long to arrive, so
# that the first calls of a day are not refused as "later than today" (a refusal is retried, but
# the gateway audits it).
CLOCK_PROPAGATION = 0.01


def event_request(event: PlannedEvent, case_name: str) -> case_service_pb2.RecordCaseEventRequest:
    req = case_service_pb2.RecordCaseEventRequest(parent=case_name, request_id=event.request_id)
    e = req.case_event
    e.event_type, e.document = event.event_type, event.document
    e.occur_date.year, e.occur_date.month, e.occur_date.day = (event.occur_date.year, event.occur_date.month,
                                                               event.occur_date.day)
    if event.hearing_date is not None:
        h = event.hearing_date
        e.hearing_date.year, e.hearing_date.month, e.hearing_date.day = h.year, h.month, h.day
    return req


@dataclass
class LoadReport:
    cases: int = 0
    events: int = 0
    days: int = 0
    refused: Counter = field(default_factory=Counter)   # (status code, reason) -> count
    locked_cases: set[str] = field(default_factory=set)  # request ids of cases that refused as locked
    seconds: float = 0.0
    calling: float = 0.0      # seconds spent in calls
    settling: float = 0.0     # seconds spent waiting for the node service
    settles: int = 0
    retries: int = 0          # calls repeated because a service had not yet seen the clock move


def load_history(gateway: str, nats_url: str, token: str, seeds: list[CaseSeed], history: History, *,
                 today: date, clients: int = 16, waves: bool = False,
                 progress: Callable[[str], None] | None = None) -> LoadReport:
    """Register the cases and push their history through the gateway as the court system, walking
    the shared clock from the first filing day to `today` one day at a time: on each day the clock
    stands at 09:00, that day's cases are filed and that day's events recorded, and the node
    service has taken them all in before the clock moves on. So every timer fires when it would
    have, and nothing completed in time is swept overdue (or locked) first. The clock runs in real
    time again afterwards. Idempotent: a re-run replays the same request ids.

    `waves`: push the events of a day in the waves the plan gives them (PlannedEvent.wave), waiting
    for the node service between waves — only to compare with the single wave per day, which the
    node service handles since it sees, within one consumer batch, the nodes an earlier event of
    the batch opened."""
    return asyncio.run(_load_history(gateway, nats_url, token, seeds, history, today=today, clients=clients,
                                     waves=waves, progress=progress or (lambda _: None)))


async def _load_history(gateway: str, nats_url: str, token: str, seeds: list[CaseSeed], history: History, *,
                        today: date, clients: int, waves: bool, progress: Callable[[str], None]) -> LoadReport:
    import nats

    from services.common.clock import LEGAL_TZ, set_shared_clock

    started = time.monotonic()
    report = LoadReport()
    filed_on: dict[date, list[CaseSeed]] = defaultdict(list)
    for seed in seeds:
        filed_on[seed.filing_date].append(seed)
    # day -> wave -> case -> events, in record order and within a case in seq order
    pushed_on: dict[date, dict[int, dict[str, list[PlannedEvent]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for event in history.events:
        # Without waves (a node service that sees the nodes a batch opens), a case's events still
        # wait for its registration.
        wave = event.wave if waves else min(event.wave, 1)
        pushed_on[event.record_date][wave][event.case.request_id].append(event)
    if not seeds:
        return report
    first, last = min(filed_on), max(today, max(filed_on))

    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    names: dict[str, str] = {}
    metadata = bearer(token)
    limit = asyncio.Semaphore(clients)
    try:
        async with grpc.aio.insecure_channel(gateway) as channel:
            stub = case_service_pb2_grpc.CaseServiceStub(channel)
            settle = _Settler(js)
            await settle.start()

            async def create(seed: CaseSeed) -> int:
                async with limit:
                    reply = await _call(stub.CreateCase, create_request(seed), metadata, report)
                names[seed.request_id] = reply.case.name
                report.cases += 1
                return 0

            async def push(request_id: str, events: list[PlannedEvent]) -> int:
                done = 0
                for event in events:
                    if request_id in report.locked_cases:
                        break
                    try:
                        async with limit:
                            await _call(stub.RecordCaseEvent, event_request(event, names[request_id]), metadata,
                                        report)
                        done += 1
                    except grpc.aio.AioRpcError as exc:
                        reason = _reason(exc)
                        report.refused[(exc.code().name, reason)] += 1
                        log.warning("%s %s on %s refused: %s %s", event.case.case_number, event.event,
                                    event.occur_date, exc.code().name, exc.details())
                        if reason == "CASE_LOCKED":
                            report.locked_cases.add(request_id)
                return done

            day, month = first, None
            while day <= last:
                await set_shared_clock(js, frozen=datetime.combine(day, dtime(HOUR_OF_BUSINESS), tzinfo=LEGAL_TZ))
                await asyncio.sleep(CLOCK_PROPAGATION)
                cases = filed_on.get(day, [])
                waves_of_day = pushed_on.get(day, {})
                for wave in range(max(waves_of_day, default=0) + 1):
                    t0 = time.monotonic()
                    work = [push(rid, evs) for rid, evs in waves_of_day.get(wave, {}).items()]
                    if wave == 0:
                        work += [create(seed) for seed in cases]
                    pushed = sum(n or 0 for n in await asyncio.gather(*work))
                    report.events += pushed
                    t1 = time.monotonic()
                    await settle.wait(pushed + (len(cases) if wave == 0 else 0))
                    report.calling += t1 - t0
                    report.settling += time.monotonic() - t1
                    report.settles += 1
                report.days += 1
                if (day.year, day.month) != month:
                    month = (day.year, day.month)
                    progress(f"  {day:%Y-%m}：已登记 {report.cases} 件案件、{report.events} 个事件"
                             f"（{time.monotonic() - started:.0f} 秒）")
                day += timedelta(days=1)
    finally:
        try:
            await set_shared_clock(js)   # real time again, also after a failure or Ctrl-C
        finally:
            await nc.close()
    report.seconds = time.monotonic() - started
    return report


class _Settler:
    """Waits until the node service has applied every case event caused so far: the case service's
    outbox relay has published them (counted on the CASE stream) and the node service's durable
    consumer has acknowledged everything it was given."""

    def __init__(self, js) -> None:
        self._js = js
        self._expected = 0
        self._counting = True

    async def _published(self) -> int:
        info = await self._js.stream_info(NODE_CONSUMER[0], subjects_filter="courtflow.case.v1.>")
        subjects = info.state.subjects or {}
        return sum(subjects.get(s, 0) for s in NODE_INPUTS)

    async def start(self) -> None:
        self._expected = await self._published()

    async def wait(self, caused: int, timeout: float = 30.0) -> None:
        self._expected += caused
        started = time.monotonic()
        while self._counting and caused and (published := await self._published()) < self._expected:
            if time.monotonic() - started > 3.0:
                # Replays of an interrupted load publish nothing new: stop counting.
                log.info("case events published: %d of %d expected; replays, not counting any more",
                         published, self._expected)
                self._counting = False
            await asyncio.sleep(0.003)
        deadline = started + timeout
        while True:
            info = await self._js.consumer_info(*NODE_CONSUMER)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            if time.monotonic() > deadline:
                log.warning("node service still has %d case events pending after %.0f s; going on",
                            info.num_pending + info.num_ack_pending, timeout)
                return
            await asyncio.sleep(0.003)


async def _call(method, request, metadata, report: LoadReport, attempts: int = 300):
    """One call, retried while a service has not yet seen the clock move to the event's day (its
    date is then "later than today") or is briefly unavailable."""
    for attempt in range(attempts):
        try:
            return await method(request, metadata=metadata, timeout=30)
        except grpc.aio.AioRpcError as exc:
            not_yet = exc.code() == grpc.StatusCode.INVALID_ARGUMENT and "晚于今天" in (exc.details() or "")
            if not (not_yet or exc.code() == grpc.StatusCode.UNAVAILABLE) or attempt == attempts - 1:
                raise
            report.retries += 1
            await asyncio.sleep(0.01)


def _reason(exc: grpc.aio.AioRpcError) -> str:
    """The ErrorInfo reason of a refusal (CASE_LOCKED, HEARING_OUTSIDE_RULES …), or ""."""
    from services.common.errors import details_of

    try:
        return details_of(exc)[0] or ""
    except (ValueError, TypeError):  # no status details to read
        return ""


# ── what the node service made of it ─────────────────────────────────────────────────────────────

@dataclass
class NodeCounts:
    """The nodes the caller sees, as the node service shows them."""

    states: Counter = field(default_factory=Counter)     # NodeState, e.g. node_pb2.NODE_STATE_WARNING
    completed_late: int = 0            # completed after their deadline ran out (超期完成)
    overdue_without_warning: int = 0   # overdue with no warning first (超期未预警)
    locked_cases: set[str] = field(default_factory=set)  # names of the cases a node of theirs locked

    def add(self, node: node_pb2.Node) -> None:
        self.states[node.state] += 1
        if node.state == node_pb2.NODE_STATE_COMPLETED:
            if node.complete_time.ToNanoseconds() >= node.deadline_time.ToNanoseconds():
                self.completed_late += 1
        elif node.state == node_pb2.NODE_STATE_OVERDUE and not node.HasField("warning_time"):
            self.overdue_without_warning += 1
        if node.lock.locked:
            self.locked_cases.add(node.name.rpartition("/nodes/")[0])


def count_nodes(gateway: str, token: str, *, page_size: int = 1000) -> NodeCounts:
    """Every node in the caller's scope, counted page by page (NodeService.ListNodes)."""
    counts = NodeCounts()
    with grpc.insecure_channel(gateway) as channel:
        stub = node_service_pb2_grpc.NodeServiceStub(channel)
        request = node_service_pb2.ListNodesRequest(parent="courts/-/cases/-", page_size=page_size)
        while True:
            reply = stub.ListNodes(request, metadata=bearer(token), timeout=60)
            for node in reply.nodes:
                counts.add(node)
            if not reply.next_page_token:
                return counts
            request.page_token = reply.next_page_token
