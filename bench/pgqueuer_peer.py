"""Our due-queue beside a peer: the same deadlines as delayed jobs in pgqueuer, same run, same database.

    scripts/setup --group dev --group bench
    .venv/bin/python bench/pgqueuer_peer.py [--nodes 1000000] [--due 100000] [--batch 500]
        [--pgq-batch 100] [--pgq-tasks 200] [--pgq-pool 4] [--pgq-orders interleaved,due-first]

For one and then two worker processes, each side in turn starts from bench/due_queue.py's seed
(1,000,000 open nodes, 100,000 of them due at the same instant), then a VACUUM ANALYZE and a CHECKPOINT:
- ours: bench/due_queue.py's sweep, i.e. services.node.due_queue.sweep_batch in batches of --batch;
- pgqueuer: every node's deadline as a job deferred with execute_after (the 100,000 due ones at one
  instant, the rest a year later), worked by pgqueuer's QueueManager under pgqueuer.run, which is what
  `pgq run` runs. Each job does what our sweeper does for one timer, in one transaction: lock the node,
  mark it overdue, insert its node_overdue event into nodes.outbox. Run once per enqueue order (ORDERS).
Prints one JSON object: "ours" as bench/due_queue.py prints its runs; "pgqueuer" with its settings and,
per run, jobs per second, seconds from the first claim to the last acknowledged job, duplicates (outbox
rows beyond one per node), executions (pgqueuer's successful log rows) and jobs per process; "summary"
with the per-second figures side by side. Process start-up is counted on neither side. Not a test.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import pgqueuer  # noqa: E402
import uvloop  # noqa: E402
from courtflow.node.v1.node_pb2 import NodeState  # noqa: E402
from opentelemetry import propagate, trace  # noqa: E402
from pgqueuer import AsyncpgDriver, Queries, QueueManager  # noqa: E402
from pgqueuer.models import Context, Job  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.due_queue import DUE, seed, sweep  # noqa: E402
from runtime.system import Infrastructure  # noqa: E402
from services.common.events import build_envelope, new_event_id, subject_for  # noqa: E402
from services.common.migrate import upgrade  # noqa: E402
from services.node import deadlines, events  # noqa: E402
from services.node.deadlines import DEADLINE_RUNG, Firing  # noqa: E402
from services.node.models import SCHEMA, NodeRow  # noqa: E402

ENTRYPOINT = "fire_node_timer"
# The business time the sweeper runs at in bench/due_queue.py (its ManualClock), so both sides write
# the same rows; pgqueuer itself decides what is due on the database clock.
NOW = DUE + timedelta(hours=1)
CHUNK = 50_000  # jobs per enqueue call while scheduling
# The order jobs are enqueued in, which is pgqueuer's claim order (priority, then id) among due jobs.
# "interleaved" (node id order; the ids are random): due and later jobs mixed, as when cases are filed
# over months. "due-first": the due jobs at the head of the queue, pgqueuer's best case.
ORDERS = {"interleaved": "id", "due-first": "deadline_time, id"}
TIMEOUT = 1800.0  # seconds a pgqueuer run may take before the bench gives up
tracer = trace.get_tracer("courtflow.bench.pgqueuer_peer")

LOCK_NODE = f"SELECT * FROM {SCHEMA}.nodes WHERE id = $1 FOR UPDATE"
# One round trip for both writes; the sweeper, too, sends its writes together at commit.
MARK_OVERDUE = f"""
    WITH moved AS (UPDATE {SCHEMA}.nodes SET state = $2, overdue_time = $3 WHERE id = $1)
    INSERT INTO {SCHEMA}.outbox (id, aggregate_type, aggregate_id, event_type, subject, payload, headers,
                                 created_at)
    VALUES ($4, $5, $6, $7, $8, $9, $10, $3)"""


@dataclass(frozen=True)
class WorkerSettings:
    """One pgqueuer worker process: QueueManager.run's knobs and the job handlers' connections."""

    batch_size: int  # jobs claimed per dequeue statement
    max_concurrent_tasks: int  # this worker's cap on claimed, unfinished jobs (>= 2 x batch_size)
    pool: int  # asyncpg connections for the jobs' own transactions
    heartbeat_timeout_s: float = 30.0  # pgqueuer's default: a job silent this long is re-picked


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _json_codecs(conn: asyncpg.Connection) -> None:
    """jsonb as Python objects, as SQLAlchemy gives them to the sweeper (explanation, trace context)."""
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


# -- the job: what sweep_batch does for one timer ------------------------------------------------------

async def fire_node_timer(job: Job, ctx: Context) -> None:
    try:
        await _fire(ctx.resources["pool"], uuid.UUID(bytes=job.payload[:16]), job.payload[16])
    finally:
        ctx.resources["finished"]()  # a failure is counted too (pgqueuer logs it), so the run still ends


async def _fire(pool: asyncpg.Pool, node_id: uuid.UUID, rung: int) -> None:
    async with pool.acquire() as conn, conn.transaction():
        node = NodeRow(**await conn.fetchrow(LOCK_NODE, node_id))
        with tracer.start_as_current_span("fire node timer", context=propagate.extract(node.trace_context),
                                          attributes={"courtflow.node": node.name, "courtflow.rung": rung}):
            firing = deadlines.decide(rung=rung, due=node.due_date, rungs=node.warning_rungs,
                                      completed=node.state == NodeState.NODE_STATE_COMPLETED, now=NOW)
            # Only deadlines are scheduled, as in seed(); a warning rung would publish node_warned. No
            # "already overdue" guard: a job pgqueuer ran twice must show up as a duplicate event.
            if firing is Firing.OVERDUE:
                warned_before = node.warned
                node.state, node.overdue_time = NodeState.NODE_STATE_OVERDUE, NOW
                event = events.node_overdue(node, now=NOW, warned_before=warned_before)
                await conn.execute(MARK_OVERDUE, node.id, node.state, NOW, *_outbox_values(event, node))


def _outbox_values(payload, node: NodeRow) -> tuple:
    """The outbox row UnitOfWork.publish writes (without created_at, which is NOW)."""
    event_id = new_event_id()
    env = build_envelope(payload, event_id=event_id, producer="node", court=node.court, aggregate_type="node",
                         aggregate_id=node.name, occurred_at=NOW)
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return (event_id, "node", node.name, payload.DESCRIPTOR.full_name, subject_for("node", payload),
            env.SerializeToString(), headers)


# -- scheduling: every node's deadline as a deferred job -----------------------------------------------

async def install(dsn: str) -> None:
    """pgqueuer's schema with its default durability (every table logged, as ours are)."""
    conn = await asyncpg.connect(dsn)
    try:
        queries = Queries(AsyncpgDriver(conn))
        if not await queries.schema_is_installed():
            await queries.install()
        await queries.optimize_autovacuum()  # `pgq autovac`, the documented setting for a busy queue
    finally:
        await conn.close()


async def clear_queue(dsn: str) -> None:
    """Empty pgqueuer's queue, log and statistics."""
    conn = await asyncpg.connect(dsn)
    try:
        queries = Queries(AsyncpgDriver(conn))
        await queries.clear_queue()
        await queries.clear_queue_log()
        await queries.clear_statistics_log()
    finally:
        await conn.close()


async def schedule(dsn: str, order: str) -> int:
    """Enqueue one job per node with pgqueuer's own enqueue, in the given order; returns how many."""
    reader, writer = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        queries = Queries(AsyncpgDriver(writer))
        await clear_queue(dsn)
        await writer.execute(f"TRUNCATE {SCHEMA}.due_timers")  # on this side the timers live in pgqueuer
        # The seed's DUE instant is mapped onto the wall clock at `anchor`. execute_after is relative to
        # the database's now() at each enqueue, so subtracting the time since the anchor gives every
        # due job the same instant, whichever chunk it is in.
        anchor, total = time.time(), 0
        async with reader.transaction():
            nodes = await reader.cursor(f"SELECT id, deadline_time FROM {SCHEMA}.nodes ORDER BY {ORDERS[order]}")
            while rows := await nodes.fetch(CHUNK):
                elapsed = timedelta(seconds=time.time() - anchor)
                await queries.enqueue([ENTRYPOINT] * len(rows),
                                      [r["id"].bytes + bytes([DEADLINE_RUNG]) for r in rows], [0] * len(rows),
                                      [r["deadline_time"] - DUE - elapsed for r in rows])
                total += len(rows)
        # Fold the enqueue log into statistics now, as a long-running installation would have done
        # long before the deadline, so the first aggregation during the run does not carry it.
        await queries.aggregate_logs()
        return total
    finally:
        await reader.close()
        await writer.close()


def settle(url: str) -> None:
    """Fresh planner statistics and a checkpoint, so neither side pays for the set-up's writes."""
    engine = create_engine(url)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in ("pgqueuer", "pgqueuer_log", f"{SCHEMA}.nodes", f"{SCHEMA}.due_timers"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
        conn.execute(text("CHECKPOINT"))
    engine.dispose()


# -- the pgqueuer workers ------------------------------------------------------------------------------

def _factory(dsn: str, settings: WorkerSettings, finished):
    @asynccontextmanager
    async def create_queue_manager():
        # pgqueuer's own queries (dequeue, acknowledgements, heartbeats, LISTEN) on one dedicated
        # connection, as its performance guide recommends; the jobs' transactions on a pool.
        conn = await asyncpg.connect(dsn)
        pool = await asyncpg.create_pool(dsn, min_size=settings.pool, max_size=settings.pool, init=_json_codecs)
        try:
            qm = QueueManager(Queries(AsyncpgDriver(conn)), resources={"pool": pool, "finished": finished})
            qm.entrypoint(ENTRYPOINT, accepts_context=True)(fire_node_timer)
            yield qm
        finally:
            await pool.close()
            await conn.close()
    return create_queue_manager


def _worker(dsn: str, settings: WorkerSettings, done, stop, out) -> None:
    uvloop.run(_work(dsn, settings, done, stop, out))  # the event loop `pgq run` uses


async def _work(dsn: str, settings: WorkerSettings, done, stop, out) -> None:
    mine, shutdown = [0], asyncio.Event()

    def finished() -> None:
        mine[0] += 1
        with done.get_lock():  # the parent watches the sum over all workers
            done.value += 1

    async def stop_when_told() -> None:
        await asyncio.to_thread(stop.wait)
        shutdown.set()

    watcher = asyncio.create_task(stop_when_told())
    # What `pgq run` does; shutdown drains the tasks in flight and flushes pgqueuer's buffered acks.
    await pgqueuer.run(_factory(dsn, settings, finished), batch_size=settings.batch_size,
                       max_concurrent_tasks=settings.max_concurrent_tasks,
                       heartbeat_timeout=timedelta(seconds=settings.heartbeat_timeout_s), shutdown=shutdown)
    await watcher
    out.put(mine[0])


def work(url: str, processes: int, settings: WorkerSettings, due: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    done, stop, out = ctx.Value("q", 0), ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(asyncpg_dsn(url), settings, done, stop, out))
               for _ in range(processes)]
    for w in workers:
        w.start()
    deadline = time.monotonic() + TIMEOUT
    while done.value < due and time.monotonic() < deadline and all(w.is_alive() for w in workers):
        time.sleep(0.02)
    stop.set()
    for w in workers:
        w.join()
    if any(w.exitcode != 0 for w in workers) or done.value < due:
        raise RuntimeError(f"pgqueuer workers exited with {[w.exitcode for w in workers]} after {done.value} "
                           f"of {due} jobs")
    return _measured(url, processes, [out.get() for _ in workers])


def _measured(url: str, processes: int, per_process: list[int]) -> dict:
    """Everything from the database: pgqueuer logs each claim ('picked') and each acknowledged job
    ('successful') with the database's time, so start-up and shutdown fall outside the interval."""
    engine = create_engine(url)
    with engine.connect() as conn:
        first, last, executions, failed = conn.execute(text(
            "SELECT min(created) FILTER (WHERE status = 'picked'),"
            " max(created) FILTER (WHERE status = 'successful'), count(*) FILTER (WHERE status = 'successful'),"
            " count(*) FILTER (WHERE status IN ('exception', 'failed')) FROM pgqueuer_log")).one()
        events, distinct = conn.execute(text(
            f"SELECT count(*), count(DISTINCT aggregate_id) FROM {SCHEMA}.outbox")).one()
        overdue = conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.nodes WHERE state = 3")).scalar_one()
    engine.dispose()
    seconds = (last - first).total_seconds()
    return {"processes": processes, "transitions": int(events), "seconds": round(seconds, 2),
            "jobs_per_second": round(events / seconds), "duplicates": int(events - distinct),
            "executions": int(executions), "failed": int(failed), "jobs_per_process": per_process,
            "nodes_overdue": int(overdue)}


# -- one run of each side per process count ------------------------------------------------------------

def ours(url: str, processes: int, ns) -> dict:
    seeded = seed(url, ns.nodes, ns.due)
    asyncio.run(clear_queue(asyncpg_dsn(url)))  # the previous pgqueuer run's jobs would be in the way
    settle(url)
    return {"seed_seconds": round(seeded, 1), **sweep(url, processes, ns.batch)}


def peer(url: str, processes: int, order: str, ns, settings: WorkerSettings) -> dict:
    seeded = seed(url, ns.nodes, ns.due)
    started = time.perf_counter()
    jobs = asyncio.run(schedule(asyncpg_dsn(url), order))
    scheduled = time.perf_counter() - started
    settle(url)
    return {"order": order, "seed_seconds": round(seeded, 1), "jobs_scheduled": jobs,
            "schedule_seconds": round(scheduled, 1), **work(url, processes, settings, ns.due)}


def summary(result: dict) -> dict:
    """Transitions per second side by side, per process count."""
    rows: dict = {}
    for run in result["ours"]["runs"]:
        rows.setdefault(f"processes_{run['processes']}", {})["ours"] = run["transitions_per_second"]
    for run in result["pgqueuer"]["runs"]:
        rows.setdefault(f"processes_{run['processes']}", {})[f"pgqueuer_{run['order']}"] = run["jobs_per_second"]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--due", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500, help="our sweeper's batch")
    ap.add_argument("--pgq-batch", type=int, default=100, help="pgqueuer batch_size")
    ap.add_argument("--pgq-tasks", type=int, default=200, help="pgqueuer max_concurrent_tasks per worker")
    ap.add_argument("--pgq-pool", type=int, default=4, help="connections per worker for the jobs")
    ap.add_argument("--pgq-orders", default=",".join(ORDERS), help=f"comma-separated, of {', '.join(ORDERS)}")
    ns = ap.parse_args()
    settings = WorkerSettings(batch_size=ns.pgq_batch, max_concurrent_tasks=ns.pgq_tasks, pool=ns.pgq_pool)
    orders = [o for o in ns.pgq_orders.split(",") if o in ORDERS]
    work = Path(tempfile.mkdtemp(prefix="courtflow-pgq-"))
    infra = Infrastructure.start(work)
    try:
        url = infra.database_url
        upgrade(url, schema=SCHEMA, migrations=ROOT / "services" / "node" / "migrations")
        asyncio.run(install(asyncpg_dsn(url)))
        result: dict = {"nodes": ns.nodes, "due_at_once": ns.due,
                        "ours": {"batch": ns.batch, "runs": []},
                        "pgqueuer": {"version": pgqueuer.__version__, "settings": asdict(settings),
                                     "transaction": "one per job (pgqueuer 1.6 has no batch handler)",
                                     "durability": "durable (pgqueuer's default: every table logged, as ours)",
                                     "runs": []}}
        # Each side in turn for each process count, so load from elsewhere on the machine falls on both.
        for processes in (1, 2):
            result["ours"]["runs"].append(ours(url, processes, ns))
            for order in orders:
                result["pgqueuer"]["runs"].append(peer(url, processes, order, ns, settings))
        result["summary"] = summary(result)
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        infra.stop()
    # Only reached on success: after a failure the folder stays, with the database and the logs.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
