"""The due-queue under a backlog: 1,000,000 open nodes, 100,000 of them due at the same instant.

    .venv/bin/python bench/due_queue.py [--nodes 1000000] [--due 100000] [--batch 500]

Prints JSON: transitions per second, total time and duplicates, with one and with two sweeper
processes (each the node service's own sweep_batch against the same database). Not a test.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from runtime.system import Infrastructure  # noqa: E402
from services.common.clock import ManualClock  # noqa: E402
from services.common.db import make_engine  # noqa: E402
from services.common.migrate import upgrade  # noqa: E402
from services.common.uow import uow_factory  # noqa: E402
from services.node.due_queue import sweep_batch  # noqa: E402
from services.node.models import MESSAGING, SCHEMA  # noqa: E402

DUE = datetime(2026, 9, 2, 16, 0, tzinfo=timezone.utc)  # 00:00 of 2026-09-03 in Asia/Shanghai


def seed(url: str, nodes: int, due: int) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {SCHEMA}.nodes, {SCHEMA}.due_timers, {SCHEMA}.outbox"))
        conn.execute(text(f"""
            INSERT INTO {SCHEMA}.nodes
            SELECT gen_random_uuid(), '440101', gen_random_uuid(), '（2026）示0101民初' || i || '号',
                   'courts/440101/departments/440101-civil1', 'users/judge.440101.civil1.1', 'trial_time_limit',
                   '审理期限', 5, '审限管理', '民事诉讼法：普通程序六个月', 'bench', 1, date '2026-03-02',
                   CASE WHEN i <= :due THEN date '2026-09-02' ELSE date '2027-09-02' END, true, '[]'::jsonb,
                   '{{}}', CASE WHEN i <= :due THEN :at ELSE :later END, false, now(), NULL, NULL, NULL,
                   '{{}}'::jsonb, '6m', false
            FROM generate_series(1, :n) AS i"""), {"n": nodes, "due": due, "at": DUE, "later": DUE + timedelta(days=365)})
        conn.execute(text(f"INSERT INTO {SCHEMA}.due_timers SELECT id, 0, deadline_time, NULL, NULL FROM {SCHEMA}.nodes"))
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(f"VACUUM ANALYZE {SCHEMA}.due_timers"))
    engine.dispose()
    return time.perf_counter() - started


def _sweeper(url: str, batch: int, out) -> None:
    engine = make_engine(url, pool_size=2, application_name="courtflow-bench-sweeper")
    clock = ManualClock(DUE + timedelta(hours=1))
    factory = uow_factory(engine, producer="node", messaging=MESSAGING, clock=clock)
    started, fired = time.time(), 0
    while (n := sweep_batch(factory, batch=batch)) > 0:
        fired += n
    out.put((started, time.time(), fired))


def sweep(url: str, processes: int, batch: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    workers = [ctx.Process(target=_sweeper, args=(url, batch, out)) for _ in range(processes)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    # From the first sweep to the last, so process start-up (imports, connections) is not counted.
    reports = [out.get() for _ in workers]
    seconds = max(r[1] for r in reports) - min(r[0] for r in reports)
    claimed = [r[2] for r in reports]
    engine = create_engine(url)
    with engine.connect() as conn:
        events, distinct = conn.execute(text(
            f"SELECT count(*), count(DISTINCT aggregate_id) FROM {SCHEMA}.outbox")).one()
        overdue = conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.nodes WHERE state = 3")).scalar_one()
    engine.dispose()
    return {"processes": processes, "transitions": int(events), "seconds": round(seconds, 2),
            "transitions_per_second": round(events / seconds), "duplicates": int(events - distinct),
            "claimed_per_process": claimed, "nodes_overdue": int(overdue)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--due", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ns = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="courtflow-dueq-"))
    infra = Infrastructure.start(work)
    try:
        upgrade(infra.database_url, schema=SCHEMA, migrations=ROOT / "services" / "node" / "migrations")
        result: dict = {"nodes": ns.nodes, "due_at_once": ns.due, "batch": ns.batch, "runs": []}
        for processes in (1, 2):
            result[f"seed_seconds_{processes}"] = round(seed(infra.database_url, ns.nodes, ns.due), 1)
            result["runs"].append(sweep(infra.database_url, processes, ns.batch))
        result["goal"] = {"transitions_per_second_at_least": 5000, "zero_duplicates": True,
                          "met": all(r["transitions_per_second"] >= 5000 and r["duplicates"] == 0
                                     for r in result["runs"])}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    finally:
        infra.stop()
    # Only reached on success: after a failure the folder stays, with the database and the logs.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
