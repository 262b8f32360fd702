"""The supervision projection's lag under the reminder burst, end to end through the bus (issue 13's benchmark).

    .venv/bin/python bench/projection_lag.py [--cases 100000] [--nodes-per-case 25] [--rate 1000]
                                             [--seconds 60] [--backlog 30000] [--timeout 900] [--keep]
                                             [--without alert]

Starts PostgreSQL (with commit timestamps: see below) and NATS, embedded unless DATABASE_URL /
NATS_URL are set, and the six CourtFlow processes as bench/console.py does, with the demo directory
and the shared clock frozen at bench/supervision.py's NOW. Then bench/supervision.py's province
(`load`: `--cases` cases of `--nodes-per-case` nodes, their history, the cube and the month end's
snapshot) goes straight into the stats read model, so the projection works against a read model
and a cube of realistic size.

The burst: running and warning nodes of that province, due before NOW, go overdue — for each one
NodeOverdue carrying the node as it is after the change (services/node/due_queue.py `_fire`), put
onto JetStream exactly as the node service's outbox relay puts it (services/common/relay.py): the
NODE stream, subject `courtflow.node.v1.node_overdue`, the EventEnvelope of
services/common/events.py (producer node, aggregate the node, occurred_at the business time NOW,
a UUIDv7 id), headers Nats-Msg-Id = the event id (the stream's deduplication) and a W3C
traceparent (the sweeper's span: every service traces). Published here rather than by driving the
node service: the nodes must be the ones the stats read model holds, and the loaded province
exists only there (the node service would need the same 2.5 million nodes with their timers, and
would first publish a NodeOpened for each). Each node goes overdue once, and no node twice.
Two rounds, one after the other:

- paced: `--rate` node events a second for `--seconds` (default 1,000/s: 100,000 nodes crossing
  at once become 300,000 reminders at about 3,000 a second, bench/reminders.py, so about 1,000
  node events a second reach the bus), sent every few milliseconds as they fall due;
- backlog: `--backlog` events at once, as fast as this client sends them (every one in flight,
  the server's acknowledgements awaited at the end, as OutboxRelay.publish_once awaits a batch's):
  what the projection does with a backlog it finds, e.g. after a restart.

Measured per event, read afterwards from what the stats service wrote: the lag from the moment
this script handed the event to NATS to the commit of the transaction that applied it — the
commit timestamp of its row in stats.handled_events (written in the same transaction as the read
model and the cube, services/common/consumer.py). Not `handled_at`: that is the service's
business clock (UnitOfWork.mark_handled), frozen here, and not `occurred_at` for the same reason.
The stats service's consumer of node events is reported: `stats-supervision-node`
(services/stats/consumers.py `on_node_changes`: history, read model, cube, Q2's tables and the four
counters, in one transaction per batch). Per round: lag p50/p90/p99/max, events applied per
second, time from the first event sent until the last applied (for the backlog: the time to
drain it), the transactions (batches) that applied them, CPU per process. Then every event is
checked: each is in handled_events, and each node is overdue in the read model (its current row
and its history) and in the counters' per-node states; a missing one fails the run (exit 1, after
the JSON).

Beside it, the floors on the same machine in the same run, with the backlog's rate over each: the
raw JetStream rates of the backlog's messages (same bytes and headers, sent the same way, onto a
scratch stream; then, once stored, consumed by one nats-py pull consumer fetching 500 and
acknowledging each, as the services do, applying nothing); and the projection's own pace in
process without the bus (bench/supervision.py `projection_pace`: batches of up to 500 node changes
applied by service.keep_nodes, one and two loops).

The alert service consumes the same events; it finds few recipients for them (only the court-wide
supervisors of the demo directory: the province's departments and judges exist only in the stats
read model), so it does far less than in a real burst, where it writes 3,000 reminders a second
on the same cores: the paced round puts the projection under the burst's event rate, not under
the burst's whole CPU load (see each round's CPU per process). The commit timestamps need `track_commit_timestamp = on`: the embedded PostgreSQL is
restarted with it; a server that DATABASE_URL names must have it already. `--without alert`
stops the alert service before the rounds: the projection then has the cores the burst's
reminders would take, as it has where the services do not share two cores (in production each
runs on nodes of its own).

Prints JSON. Not a test. Goal of issue 13: the projection keeps up with the reminder burst, lag
p99 under 5 s (judged on the paced round; the backlog round shows how long a backlog takes).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from datetime import date
from functools import cache
from pathlib import Path

import nats
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from courtflow.node.v1.node_events_pb2 import NodeOverdue  # noqa: E402
from courtflow.node.v1.node_pb2 import OVERDUE_ACTION_WARN, Node, NodeState  # noqa: E402

from bench.console import drained, freeze_clock, machine  # noqa: E402
from bench.reminders import Bus, CpuMeter, connect, percentiles, scalar, uuid7_floor  # noqa: E402
from bench.supervision import NOW, load, projection_pace  # noqa: E402
from runtime.demo_directory import load_demo  # noqa: E402
from runtime.system import Infrastructure, System, wait_for_directory  # noqa: E402
from services.common.clock import ManualClock, legal_date, start_of_legal_day  # noqa: E402
from services.common.dates import from_date  # noqa: E402
from services.common.events import build_envelope, new_event_id, stream_name, subject_for  # noqa: E402
from services.common.streams import DUPLICATE_WINDOW_SECONDS  # noqa: E402
from services.common.uow import uow_factory  # noqa: E402
from services.node import catalog, deadlines  # noqa: E402
from services.stats.models import MESSAGING, SCHEMA  # noqa: E402

PROJECTION = "stats-supervision-node"
GOAL_P99_SECONDS = 5.0
# What a pull consumer fetches at once (the stats service's batch).
FETCH_BATCH = 500
# The paced round sends what has fallen due this often.
TICK_SECONDS = 0.005
# The catalogue's civil trial limit (as bench/reminders.py seeds): the nodes' role and supervisors.
RULE = "trial_time_limit"
FLOOR_STREAM, FLOOR_DURABLE = "BENCHFLOOR", "bench-floor"
TODAY = legal_date(NOW)


@cache
def trial_limit() -> catalog.NodeRule:
    return catalog.load().rule(RULE)


# -- the burst -------------------------------------------------------------------------------------

def pick_nodes(db, n: int) -> list[tuple]:
    """n running or warning nodes of the loaded province, due before today, spread over its courts
    and cases (in the order of a hash of their names): the nodes that cross. Only those whose
    current status is older than NOW, so that the overdue status is the newer one (projection.py)."""
    with db.cursor() as cur:
        cur.execute(f"""
            SELECT n.node, n.court, n.stage, n.category, n.node_type, n.display_name, n.open_date,
                   n.generation, n.state, n.department, n.responsible, n.due_date, n.warning_date, c.case_number
            FROM {SCHEMA}.nodes n JOIN {SCHEMA}.cases c ON c.case_id = n.case_id
            WHERE n.state IN (%(running)s, %(warning)s) AND n.at < %(now)s AND n.due_date < %(today)s
            ORDER BY md5(n.node) LIMIT %(n)s""",
                    dict(running=int(NodeState.NODE_STATE_RUNNING), warning=int(NodeState.NODE_STATE_WARNING),
                         now=NOW, today=TODAY, n=n))
        rows = cur.fetchall()
    if len(rows) < n:
        raise SystemExit(f"the province has {len(rows)} running or warning nodes due before {TODAY}, the rounds "
                         f"need {n}: load more cases (--cases) or send fewer events (--rate × --seconds, --backlog)")
    return rows


def overdue_event(row: tuple) -> tuple[str, str, bytes, dict]:
    """(event id, subject, envelope bytes, headers) of the NodeOverdue the node service's sweeper
    publishes for this node as its deadline passes at NOW, as its relay sends it."""
    (name, court, stage, category, node_type, display_name, open_date, generation, state, department,
     responsible, due, warning_date, case_number) = row
    rule = trial_limit()
    warned = state == NodeState.NODE_STATE_WARNING
    node = Node(name=name, node_type=node_type, display_name=display_name, stage=stage, category=category,
                case_number=case_number, department=department, responsible=responsible,
                state=NodeState.NODE_STATE_OVERDUE, calendar_known=True, legal_basis=rule.legal_basis,
                overdue_action=OVERDUE_ACTION_WARN, clock_generation=generation, change_count=1,
                responsible_role=rule.responsible_role, supervisors=list(rule.supervisors))
    node.anchor_date.CopyFrom(from_date(open_date))
    node.due_date.CopyFrom(from_date(due))
    node.deadline_time.FromDatetime(deadlines.deadline_time(due))
    node.open_time.FromDatetime(start_of_legal_day(open_date))
    if warned and warning_date is not None:
        node.warning_time.FromDatetime(start_of_legal_day(warning_date))
    node.overdue_time.FromDatetime(NOW)
    payload = NodeOverdue(node=node, days_overdue=deadlines.days_overdue(due, NOW), warned_before=warned)
    event_id = new_event_id()
    env = build_envelope(payload, event_id=event_id, producer="node", court=court, aggregate_type="node",
                         aggregate_id=name, occurred_at=NOW)
    headers = {"Nats-Msg-Id": str(event_id), "traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"}
    return str(event_id), subject_for("node", payload), env.SerializeToString(), headers


async def _settled(acks: list) -> int:
    """How many of the publishes the server did not acknowledge (refused or no answer in 30 s)."""
    if not acks:
        return 0
    done, pending = await asyncio.wait(acks, timeout=30)
    for ack in pending:
        ack.cancel()
    return len(pending) + sum(1 for ack in done if ack.cancelled() or ack.exception() is not None)


async def _send(js, messages: list[tuple[str, str, bytes, dict]], rate: float | None,
                subject_prefix: str = "") -> tuple[list[float], int]:
    """Publish the messages, paced at `rate` a second, or all at once as fast as the client sends
    them (every one in flight, up to nats-py's 4,000 unacknowledged); the wall-clock time each was
    handed to NATS, and how many the server did not acknowledge."""
    sent: list[float] = []
    acks = []
    started, i = time.perf_counter(), 0
    while i < len(messages):
        due = min(len(messages), int((time.perf_counter() - started) * rate) + 1) if rate else len(messages)
        while i < due:
            _, subject, data, headers = messages[i]
            sent.append(time.time())
            acks.append(await js.publish_async(subject_prefix + subject, data, headers=headers))
            i += 1
        if i < len(messages):
            await asyncio.sleep(TICK_SECONDS)
    return sent, await _settled(acks)


def publish(nats_url: str, messages: list, rate: float | None) -> tuple[list[float], int]:
    async def go():
        nc = await nats.connect(nats_url)
        try:
            return await _send(nc.jetstream(), messages, rate)
        finally:
            await nc.close()
    return asyncio.run(go())


# -- one round -------------------------------------------------------------------------------------

def handled_count(db, consumer: str, floor: str) -> int:
    """Events the consumer has applied whose ids were made since `floor` (UUIDv7 sort by time): this
    round's, read as a range of handled_events' key."""
    return scalar(db, f"SELECT count(*) FROM {SCHEMA}.handled_events WHERE consumer = %s AND event_id >= %s",
                  (consumer, floor))


def wait_applied(db, bus: Bus, floor: str, n: int, timeout: float) -> dict:
    """Until the projection has applied the round's n events; or until the timeout, or until
    nothing is left for it on the bus and no more arrive for 10 s (events lost: the check after
    the round names them)."""
    started = time.monotonic()
    last, still_since = None, time.monotonic()
    while True:
        counts = {c: handled_count(db, c, floor) for c in (PROJECTION,)}
        if all(v >= n for v in counts.values()):
            return {"complete": True, "seconds": round(time.monotonic() - started, 1)}
        if counts != last:
            last, still_since = counts, time.monotonic()
        idle = not bus.pending(stream_name("node"), PROJECTION)
        if time.monotonic() - started > timeout or (idle and time.monotonic() - still_since > 10):
            return {"complete": False, "seconds": round(time.monotonic() - started, 1), "applied": counts}
        time.sleep(0.5)


def lags(db, consumer: str, floor: str, sent: dict[str, float]) -> dict:
    """Per event of the round: the commit time of the transaction that applied it (its
    handled_events row's) minus the time it was sent; and what follows from them, with the number
    of transactions (the consumer's batches) that applied the round."""
    with db.cursor() as cur:
        cur.execute(f"""SELECT event_id::text, extract(epoch FROM pg_xact_commit_timestamp(xmin)), xmin::text
                        FROM {SCHEMA}.handled_events WHERE consumer = %s AND event_id >= %s""", (consumer, floor))
        rows = [r for r in cur.fetchall() if r[0] in sent]
    if not rows:
        return {"applied": 0}
    committed = {event_id: float(at) for event_id, at, _ in rows}
    values = [committed[e] - sent[e] for e in committed]
    first_sent, last_sent, last_applied = min(sent.values()), max(sent.values()), max(committed.values())
    batches = len({xid for _, _, xid in rows})
    return {"applied": len(committed),
            "lag_seconds": {k: round(v / 1000, 3) for k, v in percentiles([v * 1000 for v in values]).items()},
            "seconds_first_sent_to_last_applied": round(last_applied - first_sent, 2),
            "seconds_last_sent_to_last_applied": round(last_applied - last_sent, 2),
            "events_applied_per_second": round(len(committed) / max(last_applied - first_sent, 1e-3)),
            "batches": batches, "events_per_batch": round(len(committed) / batches, 1)}


def check(db, rows: list[tuple], ids: list[str]) -> dict:
    """Every event applied by the projection, every node overdue in the read model (current row and
    history). What is missing, with a few of the names."""
    names = [r[0] for r in rows]
    missing: dict = {}
    with db.cursor() as cur:
        for consumer in (PROJECTION,):
            cur.execute(f"""SELECT e FROM unnest(%s::uuid[]) AS e WHERE NOT EXISTS (
                                SELECT 1 FROM {SCHEMA}.handled_events h WHERE h.consumer = %s AND h.event_id = e)""",
                        (ids, consumer))
            lost = [str(r[0]) for r in cur.fetchall()]
            if lost:
                missing[f"not_handled_by_{consumer}"] = {"count": len(lost), "event_ids": lost[:5]}
        cur.execute(f"""SELECT n FROM unnest(%s::text[]) AS n WHERE NOT EXISTS (
                            SELECT 1 FROM {SCHEMA}.nodes v WHERE v.node = n AND v.state = %s AND v.overdue_date = %s)""",
                    (names, int(NodeState.NODE_STATE_OVERDUE), TODAY))
        lost = [r[0] for r in cur.fetchall()]
        if lost:
            missing["not_overdue_in_read_model"] = {"count": len(lost), "nodes": lost[:5]}
        cur.execute(f"""SELECT n FROM unnest(%s::text[]) AS n WHERE NOT EXISTS (
                            SELECT 1 FROM {SCHEMA}.node_history h WHERE h.node = n AND h.at = %s AND h.state = %s)""",
                    (names, NOW, int(NodeState.NODE_STATE_OVERDUE)))
        lost = [r[0] for r in cur.fetchall()]
        if lost:
            missing["overdue_status_not_in_history"] = {"count": len(lost), "nodes": lost[:5]}
        cur.execute(f"""SELECT n FROM unnest(%s::text[]) AS n WHERE NOT EXISTS (
                            SELECT 1 FROM {SCHEMA}.node_states s WHERE s.node = n AND s.state = %s)""",
                    (names, int(NodeState.NODE_STATE_OVERDUE)))
        lost = [r[0] for r in cur.fetchall()]
        if lost:
            missing["not_overdue_in_counters"] = {"count": len(lost), "nodes": lost[:5]}
    return missing


def run_round(db, bus: Bus, meter: CpuMeter, nats_url: str, rows: list[tuple], *, rate: float | None,
              timeout: float) -> dict:
    floor = uuid7_floor(time.time())
    messages = [overdue_event(r) for r in rows]   # ids made from here on sort at or above the floor
    meter.start()
    started = time.perf_counter()
    sent, failed = publish(nats_url, messages, rate)
    publish_seconds = time.perf_counter() - started
    waited = wait_applied(db, bus, floor, len(messages), timeout)
    cpu = meter.stop()
    by_id = {m[0]: at for m, at in zip(messages, sent)}
    result = {"events": len(messages), "publish_seconds": round(publish_seconds, 2),
              "published_per_second": round(len(sent) / max(publish_seconds, 1e-3)),
              "not_acknowledged_by_nats": failed, "complete": waited["complete"],
              "projection": lags(db, PROJECTION, floor, by_id),
              "cpu": cpu}
    missing = check(db, rows, [m[0] for m in messages])
    if failed:
        missing["not_acknowledged_by_nats"] = failed
    if missing:
        result["missing"] = missing
    return result


# -- the floors ------------------------------------------------------------------------------------

def raw_jetstream(nats_url: str, rows: list[tuple], timeout: float) -> dict:
    """The same messages through JetStream alone, on a scratch stream: published as the backlog round
    publishes them, then, once all are stored, fetched 500 at a time by one pull consumer and
    acknowledged one by one (as ConsumerRunner does), nothing applied. Each half timed on its own:
    run together in this one process they would share its event loop, and the consumer would not
    be a limit of the bus but of this script."""
    messages = [overdue_event(r) for r in rows]

    async def go() -> dict:
        nc = await nats.connect(nats_url)
        js = nc.jetstream()
        await js.add_stream(StreamConfig(name=FLOOR_STREAM, subjects=["benchfloor.>"], storage=StorageType.FILE,
                                         duplicate_window=DUPLICATE_WINDOW_SECONDS))
        try:
            await js.add_consumer(FLOOR_STREAM, ConsumerConfig(
                durable_name=FLOOR_DURABLE, ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
                ack_wait=30, max_ack_pending=10_000))
            started = time.perf_counter()
            _, failed = await _send(js, messages, None, subject_prefix="benchfloor.")
            published = time.perf_counter() - started
            psub = await js.pull_subscribe_bind(FLOOR_DURABLE, stream=FLOOR_STREAM)
            received, started = 0, time.perf_counter()
            while received < len(messages) - failed and time.perf_counter() - started < timeout:
                try:
                    batch = await psub.fetch(FETCH_BATCH, timeout=0.25)
                except (NatsTimeout, asyncio.TimeoutError):
                    continue
                for msg in batch:
                    await msg.ack()
                received += len(batch)
            consumed = time.perf_counter() - started
        finally:
            await js.delete_stream(FLOOR_STREAM)
            await nc.close()
        return {"messages": len(messages), "not_acknowledged_by_nats": failed, "received": received,
                "published_per_second": round(len(messages) / max(published, 1e-3)),
                "consumed_per_second": round(received / max(consumed, 1e-3))}
    return asyncio.run(go())


def in_process_pace(db, database_url: str) -> dict:
    """bench/supervision.py's projection_pace on what is left running: batches of up to 500 node
    changes applied by service.keep_nodes in this process, no bus, one loop then two."""
    open_cases = scalar(db, f"SELECT count(DISTINCT case_id) FROM {SCHEMA}.nodes WHERE state = %s",
                        (int(NodeState.NODE_STATE_RUNNING),))
    size = max(1, min(500, open_cases // 20))
    engine = create_engine(database_url, pool_size=3)
    try:
        factory = uow_factory(engine, producer="stats", messaging=MESSAGING, clock=ManualClock(NOW))
        return projection_pace(factory, database_url, batches=10, size=size)
    finally:
        engine.dispose()


# -- main ------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--nodes-per-case", type=int, default=25)
    ap.add_argument("--rate", type=float, default=1000, help="node events a second in the paced round")
    ap.add_argument("--seconds", type=float, default=60, help="length of the paced round")
    ap.add_argument("--backlog", type=int, default=30_000, help="node events published at once (0: no such round)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for a round to be applied")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, database)")
    ap.add_argument("--without", action="append", default=[], choices=("alert", "audit"),
                    help="stop this service before the rounds: the projection with the cores the other "
                         "consumers of the burst would take (the alert service's reminders above all)")
    ns = ap.parse_args()
    paced_n, backlog_n = int(ns.rate * ns.seconds), ns.backlog
    work = Path(tempfile.mkdtemp(prefix="courtflow-projection-lag-"))
    result: dict = {"date": date.today().isoformat(), "machine": machine(),
                    "settings": {"rate": ns.rate, "seconds": ns.seconds, "backlog": backlog_n,
                                 "services_stopped": ns.without}}
    infra = Infrastructure.start(work)
    system = db = None
    failed = ""
    try:
        if infra.postgres:
            # Commit timestamps tell when each event was applied; PostgreSQL keeps them only when
            # asked at start, hence one restart before anything runs (as bench/reminders.py).
            infra.postgres.stop()
            infra.postgres.settings["track_commit_timestamp"] = "on"
            infra.postgres.start()
        db = connect(infra.database_url)
        if scalar(db, "SHOW track_commit_timestamp") != "on":
            raise SystemExit("the lag is read from commit timestamps: set track_commit_timestamp = on on the "
                             "PostgreSQL server DATABASE_URL names (and restart it), or leave DATABASE_URL unset")
        load_demo(infra.database_url, out=work / "logins.json", seed=1, cases=1, reference=NOW.date())
        freeze_clock(infra.nats_url)
        system = System(database_url=infra.database_url, nats_url=infra.nats_url, log_dir=work / "logs",
                        # The month end `load` snapshots only; otherwise the housekeeping would
                        # fill 23 more months and the last 31 days of the province during the rounds.
                        extra_env={"COURTFLOW_LOG_LEVEL": "WARNING", "STATS_SNAPSHOT_MONTHS": "1",
                                   "STATS_SNAPSHOT_DAYS": "0"})
        system.start()
        wait_for_directory(infra.database_url)
        # Everything the stats service has to take in before its tables are replaced: the
        # directory, and the demo case's own events.
        for producer, durable in (("gateway", "stats-gateway"), ("case", "stats-case"), ("node", PROJECTION)):
            drained(infra.nats_url, stream_name(producer), durable)
        result["province"] = load(infra.database_url, ns.cases, ns.nodes_per_case)
        for name in ns.without:
            system.components[name].terminate()

        rows = pick_nodes(db, paced_n + backlog_n)
        bus, meter = Bus(infra.nats_url), CpuMeter(system, infra)
        rounds = {"paced": run_round(db, bus, meter, infra.nats_url, rows[:paced_n], rate=ns.rate,
                                     timeout=ns.timeout)}
        rounds["paced"]["note"] = (f"{ns.rate:g} node events a second for {ns.seconds:g} s, each sent when it "
                                   "falls due: the lag of an event that waits behind the projection's batches only.")
        if backlog_n:
            rounds["backlog"] = run_round(db, bus, meter, infra.nats_url, rows[paced_n:], rate=None,
                                          timeout=ns.timeout)
            rounds["backlog"]["note"] = (f"{backlog_n} events sent at once: the lag "
                                         "is mostly time queued behind the rest; seconds_first_sent_to_last_applied "
                                         "is the time to drain it.")
        result["rounds"] = rounds

        floor_rows = rows[paced_n:] if backlog_n else rows[:paced_n]
        jetstream = raw_jetstream(infra.nats_url, floor_rows, ns.timeout)
        pace = in_process_pace(db, infra.database_url)
        result["floor"] = {"raw_jetstream_same_messages": jetstream, "in_process_projection_pace": pace}
        # The paced round applies what it is sent; only the backlog shows the projection's own rate.
        applied = rounds.get("backlog", {}).get("projection", {}).get("events_applied_per_second")
        if applied:
            result["ratios"] = {
                "backlog_applied_per_second_to_raw_jetstream_consume": round(
                    applied / max(jetstream["consumed_per_second"], 1), 3),
                "backlog_applied_per_second_to_in_process_2_loops": round(
                    applied / max(pace["events_per_second_2_loops"], 1), 2)}

        paced = rounds["paced"]
        p99 = paced["projection"].get("lag_seconds", {}).get("p99")
        result["goal"] = {"projection_lag_p99_seconds_at_most": GOAL_P99_SECONDS, "judged_on": "paced round",
                          "paced_projection_lag_p99_seconds": p99,
                          "met": False}
        lost = {name: r["missing"] for name, r in rounds.items() if "missing" in r}
        result["goal"]["met"] = bool(not lost and paced["complete"] and p99 is not None and p99 <= GOAL_P99_SECONDS)
        if lost:
            failed = f"events missing after the rounds: {json.dumps(lost, ensure_ascii=False)}"
        result["machine"]["load_1min_at_end"] = round(os.getloadavg()[0], 2)
    except BaseException as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"   # what was measured so far is still printed
        raise
    finally:
        if db is not None:
            db.close()
        if system is not None:
            system.stop()
        infra.stop()
        print(json.dumps(result, ensure_ascii=False, indent=2))
    if failed:
        # The folder stays, with the processes' logs.
        sys.exit(f"projection_lag: {failed} (logs in {work / 'logs'})")
    # A province of 100,000 cases leaves gigabytes of database behind. Only reached on success: after
    # a failure the folder stays, with the processes' logs.
    if not ns.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
