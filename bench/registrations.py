"""Case registrations per second through the gateway, end to end until the case's nodes
exist, with 1 and with 8 concurrent clients — beside raw PostgreSQL single-row insert
transactions per second (pgbench) against the same server in the same run.

    .venv/bin/python bench/registrations.py [--cases-1 300] [--cases-8 2000] [--seconds 10]

Prints one JSON object. Starts its own PostgreSQL and NATS (unless DATABASE_URL / NATS_URL
are set) and the six CourtFlow processes. Not a test: it measures.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

# Before grpc is imported (as runtime/__init__.py does): gRPC's fork handlers abort a child that
# this process forks while its channels poll — a PostgreSQL restarted mid-soak died with SIGABRT.
os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")

import grpc  # noqa: E402
import psycopg2
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from courtflow.case.v1 import case_service_pb2_grpc  # noqa: E402
from runtime.demo import bearer, create_request, load_logins  # noqa: E402
from runtime.synthetic import CaseSeed  # noqa: E402
from runtime.system import Infrastructure, System  # noqa: E402
from services.common.clock import LEGAL_TZ  # noqa: E402


def nodes_per_filing(catalog_path: Path) -> int:
    """How many nodes the catalogue opens when a civil first-instance ordinary case is filed."""
    from courtflow.case.v1.case_pb2 import CASE_EVENT_TYPE_FILED, CASE_TYPE_CIVIL, PROCEDURE_FIRST_INSTANCE_ORDINARY
    from services.node.catalog import load
    return len(load(catalog_path).opened_by((CASE_EVENT_TYPE_FILED, ""), case_type=CASE_TYPE_CIVIL,
                                            procedure=PROCEDURE_FIRST_INSTANCE_ORDINARY))


def connect(url: str):
    u = make_url(url)
    return psycopg2.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


def pgbench_insert_tps(pg_url: str, pgbench: Path, clients: int, seconds: int, work: Path) -> float:
    """Single-row INSERT transactions per second, the raw PostgreSQL limit on this machine."""
    conn = connect(pg_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, v int, t timestamptz)")
        cur.execute("TRUNCATE bench_insert")
    conn.close()
    script = work / "insert.sql"
    script.write_text("\\set v random(1, 1000000)\nINSERT INTO bench_insert (v, t) VALUES (:v, now());\n")
    u = make_url(pg_url)
    out = subprocess.run([str(pgbench), "-n", "-f", str(script), "-c", str(clients), "-j", str(min(clients, 2)),
                          "-T", str(seconds), "-h", u.host, "-p", str(u.port), "-U", u.username or "postgres",
                          u.database], capture_output=True, text=True, check=True)
    return float(re.search(r"tps = ([0-9.]+)", out.stdout).group(1))


OFFSETS = {"warm": 100000, "c1": 200000, "c8": 300000}


def seeds(tag: str, n: int, filed: date) -> list[CaseSeed]:
    courts = ["440101", "440102", "440103", "440201", "440202", "440203"]
    result = []
    for i in range(n):
        court = courts[i % len(courts)]
        result.append(CaseSeed(
            request_id=f"bench-{tag}-{i}", court_id=court, department_id=f"{court}-civil1",
            case_number=f"（{filed.year}）示{court[2:]}民初{OFFSETS[tag] + i // len(courts)}号",
            case_type="civil", procedure="first_instance_ordinary", cause="民间借贷纠纷",
            parties=("原告 张三", "被告 李四"), handler=f"judge.{court}.civil1.1", filing_date=filed, custody=False))
    return result


def count_nodes(conn) -> int:
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM nodes.nodes")
        return cur.fetchone()[0]


def run_registrations(gateway: str, token: str, batch: list[CaseSeed], clients: int, db, per_case: int) -> dict:
    base = count_nodes(db)
    target = base + len(batch) * per_case
    latencies: list[float] = []
    lock = threading.Lock()
    channels = [grpc.insecure_channel(gateway) for _ in range(clients)]
    stubs = [case_service_pb2_grpc.CaseServiceStub(ch) for ch in channels]
    requests = [create_request(s) for s in batch]

    def worker(k: int) -> None:
        stub = stubs[k]
        for req in requests[k::clients]:
            t = time.perf_counter()
            stub.CreateCase(req, metadata=bearer(token), timeout=60)
            with lock:
                latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    accepted = time.perf_counter() - started
    while count_nodes(db) < target:
        time.sleep(0.02)
    done = time.perf_counter() - started
    for ch in channels:
        ch.close()
    latencies.sort()
    return {"clients": clients, "cases": len(batch), "seconds_until_nodes_exist": round(done, 3),
            "registrations_per_second": round(len(batch) / done, 1),
            "accepted_per_second": round(len(batch) / accepted, 1),
            "create_latency_ms_p50": round(latencies[len(latencies) // 2] * 1000, 2),
            "create_latency_ms_p99": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases-1", type=int, default=300)
    ap.add_argument("--cases-8", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=10, help="pgbench duration per client count")
    ap.add_argument("--catalog", type=Path, default=ROOT / "services" / "node" / "catalog.yaml",
                    help="node catalogue (the shipped one opens about a dozen nodes per civil filing)")
    ns = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="courtflow-bench-"))
    infra = Infrastructure.start(work)
    pg, nats, db_url, nats_url = infra.postgres, infra.nats, infra.database_url, infra.nats_url
    from runtime.demo_directory import load_demo
    load_demo(db_url, out=work / "logins.json", seed=1, cases=1, reference=date.today())
    system = System(database_url=db_url, nats_url=nats_url, log_dir=work / "logs",
                    extra_env={"COURTFLOW_LOG_LEVEL": "WARNING", "NODE_CATALOG": str(ns.catalog)})
    per_case = nodes_per_filing(ns.catalog)
    result: dict = {"machine": {"cpus": os.cpu_count()}, "catalog": str(ns.catalog),
                    "nodes_per_registration": per_case}
    try:
        system.start()
        token = load_logins(work / "logins.json")["court-system"]["token"]
        db = connect(db_url)
        db.autocommit = True
        filed = datetime.now(LEGAL_TZ).date()
        # Warm-up: connections, caches, JIT-free Python paths.
        run_registrations(system.gateway, token, seeds("warm", 50, filed), 4, db, per_case)
        one = run_registrations(system.gateway, token, seeds("c1", ns.cases_1, filed), 1, db, per_case)
        eight = run_registrations(system.gateway, token, seeds("c8", ns.cases_8, filed), 8, db, per_case)
        pgbench = pg.bin("pgbench") if pg else Path("pgbench")
        raw1 = pgbench_insert_tps(db_url, pgbench, 1, ns.seconds, work)
        raw8 = pgbench_insert_tps(db_url, pgbench, 8, ns.seconds, work)
        result["registrations"] = [one, eight]
        result["pgbench_single_row_insert_tps"] = {"clients_1": raw1, "clients_8": raw8}
        result["ratio_to_pgbench"] = {"clients_1": round(one["registrations_per_second"] / raw1, 4),
                                      "clients_8": round(eight["registrations_per_second"] / raw8, 4)}
        result["goal"] = {"clients_8_ratio_at_least": 0.05,
                          "met": eight["registrations_per_second"] / raw8 >= 0.05}
        result["peak_memory_mb"] = {name: peak_memory_mb(c.proc.pid) for name, c in system.components.items()}
        if nats:
            result["peak_memory_mb"]["nats-server"] = peak_memory_mb(nats.pid)
        if pg:
            result["peak_memory_mb"]["postgres (postmaster)"] = peak_memory_mb(pg.pid)
        db.close()
    finally:
        system.stop()
        infra.stop()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    # Only reached on success: after a failure the folder stays, with the database and the logs.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
