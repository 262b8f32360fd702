"""The supervision platform's queries on a generated province, read straight from the read model.

    .venv/bin/python bench/supervision.py [--cases 100000] [--nodes-per-case 25] [--runs 15] [--only P7_]
                                          [--chain-days 3]

A province of 1 high court, 20 intermediate courts and 5 basic courts under each (100 basic
courts), 6 departments each, is loaded into the stats schema's read model (cases, nodes, each
node's history) by PostgreSQL itself (generate_series), with realistic shares: 60 % of cases
closed, nodes completed in closed cases, about 5 % of open nodes in warning, 3 % overdue, a third
of overdue ones locked — and no date after today (a closing after it is left open, a node that
would open after it is not there). Then each P1–P6 preset, a past day's answer, both drill-down lists and
the Q2 analysis are asked as a province-wide caller through the stats service's own use cases
(services/stats/service.py: parsing, scope, SQL, rows — no gRPC), warm, `--runs` times each, and
again at a tenth of the cases, to see whether the times stay flat with size.

After loading, the cube (services/stats/cube.py) and Q2's pre-counted tables (quality_counts.py)
are counted from the read model as the migrations do, and the last month end's snapshot taken as
the service's housekeeping takes it (timed: it runs once a month, in the background), then the
`--chain-days` days before it (3: from 27 November), each turned into a delta as the housekeeping
does once a day is older than the last STATS_SNAPSHOT_DAYS, but for those that end chains (the
8th, 16th and 24th with STATS_SNAPSHOT_CHAIN's default; timed, with rows per day whole and as a
delta, and the length of the first day's chain); then the month's days before those, which have
no snapshot, filled as the housekeeping fills a new system's days (service.fill_snapshots; timed,
with rows per day). Today's P1–P6 answers then come from the cube, a month end's from its
snapshot, the first of the chained days' and a filled day's from their chains of deltas, this
year's Q2 from its tables, Q2 to the first chained day from that day's snapshots of them, aged
alike (and Q2's alone of the filled day timed, as an upgraded system takes the last days'), and a day older than the month kept, a past quarter's Q2, Q2 from a
15th to today or to a 15th, and the drill-down pages (today's, and as of the month end: a page's cases or nodes one at a time) from
the read model. A question that takes over a second is asked 3 times instead of `--runs` (once more after the
first when it takes over 20 s). Finally the projection's own pace: batches of 500 node changes
applied as the stats consumer applies them (read model, history, cube and Q2's tables), in
events per second, by one pull loop and by two at once. `--only NAME,…`: only the questions whose
name contains one of the NAMEs, at the given size only, without the projection's pace (one question again at
full size without the rest's hour).

Prints JSON: load time and rows per second, disk size per million nodes (read model, and the
cube apart), and per query p50/p95 milliseconds at both sizes, beside the floor on the same
machine in the same run (one `count(*)` over all nodes: a query that reads every node cannot be
faster), with the ratios. Not a test. Goals of issue 13: p95 ≤ 50 ms province-wide at 1,000,000
cases, flat with size (≤ 1.5× from a tenth), the projection faster than the reminder burst's
node events.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from courtflow.common.v1.caller_pb2 import Caller, Role, ScopeLevel  # noqa: E402
from courtflow.node.v1.node_pb2 import Node, NodeState  # noqa: E402
from courtflow.stats.v1 import stats_service_pb2 as ss, supervision_pb2 as sv  # noqa: E402

from runtime.system import Infrastructure  # noqa: E402
from services.common.clock import ManualClock  # noqa: E402
from services.common.dates import from_date  # noqa: E402
from services.common.migrate import upgrade  # noqa: E402
from services.common.paging import page_request  # noqa: E402
from services.common.server import freeze_startup_heap  # noqa: E402
from services.common.uow import uow_factory  # noqa: E402
from services.stats import cube, quality_counts, report_files, repository, service  # noqa: E402
from services.stats.models import MESSAGING, SCHEMA  # noqa: E402

NOW = datetime(2026, 12, 1, 2, tzinfo=timezone.utc)
MONTH_END = date(2026, 11, 30)   # its snapshot is due at NOW
CHAIN_START = date(2026, 11, 27)  # answered by the deltas of 11-27…11-29 and the month end (--chain-days;
                                  # from 11-01, the deltas of 11-01…11-07 and 11-08, kept whole)
FILLED_DAY = date(2026, 11, 5)    # filled by the housekeeping (fill_month): deltas 11-05…11-07, 11-08 whole
TODAY = date(2026, 12, 1)         # NOW's legal day: no case or node date after it (a later
                                  # closing is left open, a node not yet open is not there)
BASIC_COURT = Caller(user="users/president.440101", role=Role.ROLE_PRESIDENT, court="440101",
                     scope=ScopeLevel.SCOPE_LEVEL_COURT, scope_prefix="440101")
PROVINCE = Caller(user="users/trial_management.44", role=Role.ROLE_TRIAL_MANAGEMENT, court="44",
                  scope=ScopeLevel.SCOPE_LEVEL_PROVINCE, scope_prefix="44")

# Court i (0–99) is basic court 44RRBB of intermediate court 44RR (RR = 1–20, BB = 1–5).
COURT = "'44' || lpad((1 + ({i} % 100) / 5)::text, 2, '0') || lpad((1 + ({i} % 100) % 5)::text, 2, '0')"
LOAD = [
    f"""INSERT INTO {SCHEMA}.courts (court, display_name, level, parent, version)
        SELECT '44', '省高级人民法院', 1, '', now()
        UNION ALL SELECT '44' || lpad(r::text, 2, '0'), '第' || r || '中级人民法院', 2, '44', now()
                  FROM generate_series(1, 20) AS r
        UNION ALL SELECT '44' || lpad(r::text, 2, '0') || lpad(b::text, 2, '0'), '第' || r || '-' || b || '基层人民法院', 3,
                         '44' || lpad(r::text, 2, '0'), now()
                  FROM generate_series(1, 20) AS r CROSS JOIN generate_series(1, 5) AS b""",
    f"""INSERT INTO {SCHEMA}.departments (name, court, display_name, kind, version)
        SELECT 'courts/' || court || '/departments/' || court || '-d' || d, court, '审判庭' || d, 'trial', now()
        FROM {SCHEMA}.courts CROSS JOIN generate_series(0, 5) AS d""",
    f"""INSERT INTO {SCHEMA}.cases (case_id, court, region, department, handler, case_number, case_type,
                                   procedure, cause, parties, state, custody, receive_date, filing_date,
                                   judgment_date, effective_date, close_date, archive_date, version, create_time)
        SELECT uuid_in(md5('case' || i)::cstring), court, left(court, 4),
               'courts/' || court || '/departments/' || court || '-d' || (i % 6),
               'users/judge.' || court || '.d' || (i % 6) || '.' || (i % 8),
               '（2025）示' || court || '民初' || i || '号', 1 + (i % 3), 1, '买卖合同纠纷', '原告：甲；被告：乙',
               CASE WHEN closed IS NOT NULL THEN 2 ELSE 1 END, false,
               filed, filed, NULL, NULL, closed,
               CASE WHEN i % 10 < 3 AND closed + 30 <= :today THEN closed + 30 END,
               filed::timestamptz, filed::timestamptz
        FROM (SELECT i, court, filed,
                     -- no date after today, as the case service refuses them
                     CASE WHEN i % 10 < 6 AND filed + 30 + (i % 270) <= :today THEN filed + 30 + (i % 270) END
                         AS closed
              FROM (SELECT i, {COURT.format(i='i')} AS court, date '2025-01-01' + (i % 700) AS filed
                    FROM generate_series(1, :cases) AS i) AS numbered) AS c""",
    f"""INSERT INTO {SCHEMA}.nodes (node, case_id, court, region, stage, category, node_type, display_name,
                                   open_date, at, generation, state, status, overdue_without_warning, locked,
                                   ever_locked, department, responsible, due_date, warning_date, overdue_date,
                                   complete_date, lock_date, unlock_date, lock_reason, lock_type)
        SELECT c.name || '/nodes/t' || k, c.case_id, c.court, c.region, 1 + (k % 7), 'cat' || (k % 12),
               't' || k, '节点' || k, c.filing_date + k,
               (c.filing_date + k)::timestamptz, 0, s.state, s.status,
               s.status = 3 AND h % 2 = 0, s.state = 3 AND h % 3 = 0, s.state = 3 AND h % 3 = 0,
               c.department, c.handler, c.filing_date + k + 30,
               CASE WHEN s.status >= 2 THEN c.filing_date + k + 25 END,
               CASE WHEN s.status = 3 THEN c.filing_date + k + 31 END,
               CASE WHEN s.state = 4 THEN c.filing_date + k + 20 END,
               CASE WHEN s.state = 3 AND h % 3 = 0 THEN c.filing_date + k + 31 END, NULL, '', 0
        FROM (SELECT case_id, 'courts/' || court || '/cases/' || case_id AS name, court, region, filing_date,
                     department, handler, close_date FROM {SCHEMA}.cases) AS c
        CROSS JOIN generate_series(1, :per_case) AS k
        CROSS JOIN LATERAL (SELECT abs(hashtext(c.name || k)) % 100 AS h) AS hh
        CROSS JOIN LATERAL (SELECT
            CASE WHEN h < 5 AND c.filing_date + k + 25 <= :today THEN 2
                 WHEN (h < 8 OR h % 17 = 0) AND c.filing_date + k + 31 <= :today THEN 3 ELSE 1 END AS status) AS st
        CROSS JOIN LATERAL (SELECT
            CASE WHEN c.close_date IS NOT NULL OR h >= 30 THEN 4 WHEN h < 8 AND st.status > 1 THEN st.status ELSE 1 END
                AS state, st.status) AS s
        -- opened, and its change 20 days later made, by today
        WHERE c.filing_date + k + 20 <= :today""",
    f"""INSERT INTO {SCHEMA}.node_history (node, at, generation, state, locked, extended, department, responsible,
                                          status, overdue_without_warning, ever_locked, due_date, warning_date,
                                          overdue_date, complete_date, lock_date, unlock_date, lock_reason, lock_type)
        SELECT node, open_date::timestamptz, 0, 1, false, false, department, responsible, 1, false, false,
               due_date, NULL, NULL, NULL, NULL, NULL, '', 0 FROM {SCHEMA}.nodes
        UNION ALL
        -- its change, to what the node's row says now (a running node overdue: on its overdue day),
        -- so that a node's row is its latest history row, as the projection keeps them
        SELECT node, coalesce(CASE WHEN state = 1 THEN overdue_date::timestamptz END, at + interval '20 days'),
               generation, state, locked, false, department, responsible, status,
               overdue_without_warning, ever_locked, due_date, warning_date, overdue_date, complete_date,
               lock_date, unlock_date, lock_reason, lock_type FROM {SCHEMA}.nodes WHERE state <> 1 OR status <> 1
        -- in time order, as the projection writes it (the BRIN index node_history_at finds a period's rows)
        ORDER BY 2""",
]


def load(url: str, cases: int, per_case: int) -> dict:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {SCHEMA}.cases, {SCHEMA}.nodes, {SCHEMA}.node_history, {SCHEMA}.cube_cases, "
                          f"{SCHEMA}.cube_nodes, {SCHEMA}.cube_snapshots, {SCHEMA}.cube_snapshot_cases, "
                          f"{SCHEMA}.cube_snapshot_nodes, {SCHEMA}.courts, {SCHEMA}.departments, "
                          f"{', '.join(t.fullname for t in quality_counts.SNAPSHOTS.values())}, "
                          f"{SCHEMA}.quality_snapshots"))
    started = time.perf_counter()
    with engine.begin() as conn:
        for statement in LOAD:
            conn.execute(text(statement), {"cases": cases, "per_case": per_case, "today": TODAY})
    loaded = time.perf_counter() - started
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        nodes = conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.nodes")).scalar_one()
        history = conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.node_history")).scalar_one()
        size = conn.execute(text("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                                 "ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind = 'r'"),
                            {"s": SCHEMA}).scalar_one()
    started = time.perf_counter()
    with engine.begin() as conn:
        repository.rebuild_cube(conn)
    counted = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        quality_counts.rebuild(conn)
    quality_counted = time.perf_counter() - started
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(
            f"VACUUM ANALYZE {SCHEMA}.cube_cases, {SCHEMA}.cube_nodes, {', '.join(quality_counts.TABLES)}"))
        quality_rows = conn.execute(text(" + ".join(f"(SELECT count(*) FROM {t})"
                                                    for t in quality_counts.TABLES).join(("SELECT ", "")))).scalar_one()
        quality_size = conn.execute(text(" + ".join(f"pg_total_relation_size('{t}')"
                                                    for t in quality_counts.TABLES).join(("SELECT ", "")))).scalar_one()
        cube_rows = conn.execute(text(f"SELECT (SELECT count(*) FROM {SCHEMA}.cube_cases) + "
                                      f"(SELECT count(*) FROM {SCHEMA}.cube_nodes)")).scalar_one()
        cube_size = conn.execute(text(f"SELECT pg_total_relation_size('{SCHEMA}.cube_cases') + "
                                      f"pg_total_relation_size('{SCHEMA}.cube_nodes')")).scalar_one()
    factory = uow_factory(engine, producer="stats", messaging=MESSAGING, clock=ManualClock(NOW))
    started = time.perf_counter()
    taken = service.take_snapshots(factory, settle=timedelta(hours=2), months=1)
    snapshot_seconds = time.perf_counter() - started
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(
            f"VACUUM ANALYZE {SCHEMA}.cube_snapshot_cases, {SCHEMA}.cube_snapshot_nodes"))
        snapshot_rows = conn.execute(text(f"SELECT (SELECT count(*) FROM {SCHEMA}.cube_snapshot_cases) + "
                                          f"(SELECT count(*) FROM {SCHEMA}.cube_snapshot_nodes)")).scalar_one()
        snapshot_size = conn.execute(text(f"SELECT pg_total_relation_size('{SCHEMA}.cube_snapshot_cases') + "
                                          f"pg_total_relation_size('{SCHEMA}.cube_snapshot_nodes')")).scalar_one()
    chain = snapshot_chain(engine, factory)
    filled = fill_month(engine, factory)
    alone = quality_alone(factory)
    engine.dispose()
    return {"cases": cases, "nodes": nodes, "history_rows": history, "load_seconds": round(loaded, 1),
            "rows_per_second": round((cases + nodes + history) / loaded),
            "disk_mb_per_million_nodes": round(float(size) / 1e6 / (nodes / 1e6), 1),
            "cube_rows": cube_rows, "cube_mb": round(cube_size / 1e6, 1), "cube_count_seconds": round(counted, 1),
            "quality_counts": {"rows": quality_rows, "mb": round(quality_size / 1e6, 1),
                               "seconds": round(quality_counted, 1)},
            "snapshot": {"days": [d.isoformat() for d in taken], "rows": snapshot_rows,
                         "mb": round(snapshot_size / 1e6, 1), "seconds": round(snapshot_seconds, 1)},
            "snapshot_chain": chain, "filled": filled, "quality_snapshot_alone": alone}


def fill_month(engine, factory) -> dict:
    """The month end's other days, which have no snapshot (a new system, or an outage), filled as
    the housekeeping fills them (service.fill_snapshots: the run before the chain counted whole at
    its last day, the earlier days as deltas from the cases each day's changes touched, the 8th,
    16th and 24th made whole): timed, with rows per day. FILLED_DAY is then answered from its
    chain."""
    started = time.perf_counter()
    days = service.fill_snapshots(factory, months=1, days=1)   # the recent window: the month end only
    seconds = time.perf_counter() - started
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(
            f"VACUUM ANALYZE {SCHEMA}.cube_snapshot_cases, {SCHEMA}.cube_snapshot_nodes"))
        rows = dict(conn.execute(text(f"SELECT s.day, (SELECT count(*) FROM {SCHEMA}.cube_snapshot_cases c "
                                      f"WHERE c.day = s.day) + (SELECT count(*) FROM {SCHEMA}.cube_snapshot_nodes n "
                                      f"WHERE n.day = s.day) FROM {SCHEMA}.cube_snapshots s")).all())
    with factory() as uow:
        registry = repository.snapshot_registry(uow.session)
    whole = [d for d in days if d in registry[False]]
    deltas = [d for d in days if d in registry[True]]
    chain = cube.chain_days(FILLED_DAY, registry[False], registry[True])
    return {"days": len(days), "first": min(days).isoformat() if days else None, "seconds": round(seconds, 1),
            "whole": [d.isoformat() for d in sorted(whole)],
            "whole_rows_per_day": round(sum(rows[d] for d in whole) / max(len(whole), 1)),
            "delta_rows_per_day": round(sum(rows[d] for d in deltas) / max(len(deltas), 1)),
            "deltas_summed_for_the_filled_day": len(chain) - 1 if chain else None}


QUALITY_SNAPSHOTS = ", ".join(t.fullname for t in quality_counts.SNAPSHOTS.values())


def quality_rows(engine, day) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT " + " + ".join(
            f"(SELECT count(*) FROM {t.fullname} WHERE day = :day)" for t in quality_counts.SNAPSHOTS.values())),
            {"day": day}).scalar_one()


def quality_alone(factory) -> dict:
    """Q2's snapshot of a day whose cube's is kept, taken alone (as a system upgraded to keep the
    last days' takes them once): every node's status as of that day, then Q2's count."""
    started = time.perf_counter()
    with factory() as uow:
        repository.take_snapshot(uow.session, FILLED_DAY, taken_at=uow.clock.now(), with_quality=True)
        uow.commit()
    return {"day": FILLED_DAY.isoformat(), "seconds": round(time.perf_counter() - started, 1)}


def snapshot_chain(engine, factory) -> dict:
    """The days before the month end as a running system keeps them once they are older than the
    last STATS_SNAPSHOT_DAYS: each day's snapshot taken whole, then kept as its difference from
    the next day's (repository.age_snapshots), so that CHAIN_START is answered by its chain of
    deltas up to the month end. Rows per day whole and as a delta, and the time of each step."""
    def rows(day=None) -> int:
        where = "" if day is None else f"WHERE day = '{day.isoformat()}'"
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT (SELECT count(*) FROM {SCHEMA}.cube_snapshot_cases {where}) + "
                                     f"(SELECT count(*) FROM {SCHEMA}.cube_snapshot_nodes {where})")).scalar_one()
    started = time.perf_counter()
    days = service.take_snapshots(factory, settle=timedelta(hours=2), months=1, days=(MONTH_END - CHAIN_START).days + 1)
    taken = time.perf_counter() - started
    whole = [rows(d) for d in days]
    started = time.perf_counter()
    with factory() as uow:
        turned, dropped = repository.age_snapshots(uow.session, today=TODAY, days=0, months=1)
        uow.commit()
    aged = time.perf_counter() - started
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text(
            f"VACUUM ANALYZE {SCHEMA}.cube_snapshot_cases, {SCHEMA}.cube_snapshot_nodes, {QUALITY_SNAPSHOTS}"))
    with factory() as uow:
        registry = repository.snapshot_registry(uow.session)
        quality_kept = quality_counts.snapshot_registry(uow.session)
    chain = cube.chain_days(CHAIN_START, registry[False], registry[True])
    return {"days": [d.isoformat() for d in sorted(days)], "turned_into_deltas": [d.isoformat() for d in turned],
            # Q2's, aged alike (repository.age_snapshots): the month end whole, the others deltas.
            "quality": {"deltas": [d.isoformat() for d in sorted(quality_kept[True])],
                        "whole_rows": quality_rows(engine, MONTH_END),
                        "delta_rows_per_day": round(sum(quality_rows(engine, d) for d in quality_kept[True])
                                                    / max(len(quality_kept[True]), 1))},
            "deltas_summed_for_the_first_day": len(chain) - 1 if chain else None,
            "dropped": [d.isoformat() for d in dropped], "whole_rows_per_day": round(sum(whole) / max(len(whole), 1)),
            "delta_rows_per_day": round(sum(rows(d) for d in turned) / max(len(turned), 1)),
            "take_seconds_per_day": round(taken / max(len(days), 1), 1), "age_seconds": round(aged, 1)}


def projection_pace(factory, url: str, batches: int = 10, size: int = 500) -> dict:
    """Node changes applied as the stats consumer applies them (consumers.on_node_changes:
    service.keep_nodes — history, read model, cube, Q2's tables — then the counters), in batches of
    `size` nodes of different cases: each node goes overdue. First by one pull loop, then by two at
    once (what the supervision consumer runs: consumers.py)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(f"""SELECT DISTINCT ON (case_id) node, stage, category, node_type, department,
                                            responsible, due_date FROM {SCHEMA}.nodes WHERE state = 1
                                     ORDER BY case_id LIMIT :n"""), {"n": 2 * batches * size}).all()
    engine.dispose()
    at = NOW + timedelta(hours=1)
    changes = []
    for r in rows:
        node = Node(name=r.node, stage=r.stage, category=r.category, node_type=r.node_type, department=r.department,
                    responsible=r.responsible, state=NodeState.NODE_STATE_OVERDUE, due_date=from_date(r.due_date))
        node.overdue_time.FromDatetime(at)
        changes.append((node, at, False))
    parts = [changes[i:i + size] for i in range(0, len(changes), size)]
    samples = []

    def apply(part: list) -> None:
        for batch in part:
            started = time.perf_counter()
            with factory() as uow:
                service.keep_nodes(uow, batch)
                service.apply_node_states(uow, [(node, at, True, False) for node, at, _ in batch])
                uow.commit()
            samples.append(time.perf_counter() - started)

    paces = {}
    for workers, share in ((1, parts[:len(parts) // 2]), (2, parts[len(parts) // 2:])):
        started = time.perf_counter()
        loops = [threading.Thread(target=apply, args=(share[i::workers],)) for i in range(workers)]
        for loop in loops:
            loop.start()
        for loop in loops:
            loop.join()
        paces[f"events_per_second_{workers}_loop{'s' if workers > 1 else ''}"] = round(
            sum(map(len, share)) / (time.perf_counter() - started))
    return {"batches": len(parts), "batch_size": size, "p50_batch_ms": round(statistics.median(samples) * 1000),
            **paces}


def query(**fields) -> sv.SupervisionQuery:
    as_of = fields.pop("as_of", None)
    start = fields.pop("start", None)
    q = sv.SupervisionQuery(**fields)
    if as_of:
        q.as_of.CopyFrom(from_date(as_of))
    if start:
        q.start_date.CopyFrom(from_date(start))
    return q


def asks(factory) -> dict:
    summarize = lambda q, dims=(): lambda: service.summarize_supervision(  # noqa: E731
        factory, caller=PROVINCE, court="-", query=q, group_by=list(dims))
    page = lambda: page_request(50, "", parent="courts/-")  # noqa: E731
    D = sv.Dimension
    return {
        "P1_cases_this_year": summarize(query(date_basis=sv.DATE_BASIS_RECEIVE, start=date(2026, 1, 1))),
        "P2_overdue_by_stage": summarize(query(filter="status = OVERDUE"), [D.DIMENSION_STAGE]),
        "P3_by_court_and_department": summarize(query(), [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT]),
        "P4_closed_by_court": summarize(query(date_basis=sv.DATE_BASIS_CLOSE), [D.DIMENSION_COURT]),
        "P5_locked_by_region_court": summarize(query(filter="locked = true"), [D.DIMENSION_REGION, D.DIMENSION_COURT]),
        "P6_locked_by_case_type": summarize(query(filter="locked = true"), [D.DIMENSION_CASE_TYPE]),
        "P1_as_of_a_month_end": summarize(query(date_basis=sv.DATE_BASIS_RECEIVE, start=date(2026, 1, 1),
                                                as_of=MONTH_END)),
        "P3_as_of_a_month_end": summarize(query(as_of=MONTH_END), [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT]),
        "P5_as_of_a_month_end": summarize(query(filter="locked = true", as_of=MONTH_END),
                                          [D.DIMENSION_REGION, D.DIMENSION_COURT]),
        "P1_as_of_a_past_day_by_deltas": summarize(query(date_basis=sv.DATE_BASIS_RECEIVE, start=date(2026, 1, 1),
                                                         as_of=CHAIN_START)),
        "P3_as_of_a_past_day_by_deltas": summarize(query(as_of=CHAIN_START), [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT]),
        "P5_as_of_a_past_day_by_deltas": summarize(query(filter="locked = true", as_of=CHAIN_START),
                                                   [D.DIMENSION_REGION, D.DIMENSION_COURT]),
        # A day the housekeeping filled (fill_month): its chain, as a day kept by aging.
        "P1_as_of_a_filled_day": summarize(query(date_basis=sv.DATE_BASIS_RECEIVE, start=date(2026, 1, 1),
                                                 as_of=FILLED_DAY)),
        "P3_as_of_a_filled_day": summarize(query(as_of=FILLED_DAY), [D.DIMENSION_COURT, D.DIMENSION_DEPARTMENT]),
        "P5_as_of_a_filled_day": summarize(query(filter="locked = true", as_of=FILLED_DAY),
                                           [D.DIMENSION_REGION, D.DIMENSION_COURT]),
        # A day older than the months kept (STATS_SNAPSHOT_MONTHS): counted from the history.
        "P1_as_of_another_past_day_read_model": summarize(query(date_basis=sv.DATE_BASIS_RECEIVE,
                                                                as_of=date(2026, 6, 30))),
        "drill_overdue_nodes_page": lambda: service.list_supervised_nodes(
            factory, caller=PROVINCE, court="-", query=query(filter="status = OVERDUE"), page=page()),
        "drill_abnormal_cases_page": lambda: service.list_supervised_cases(
            factory, caller=PROVINCE, court="-", query=query(filter="abnormal = true"), page=page()),
        # A past day's pages: the history's last status of each case's or node's nodes, until a page is full.
        "drill_abnormal_cases_page_as_of_a_month_end": lambda: service.list_supervised_cases(
            factory, caller=PROVINCE, court="-", query=query(filter="abnormal = true", as_of=MONTH_END), page=page()),
        "drill_locked_cases_page_as_of_a_month_end": lambda: service.list_supervised_cases(
            factory, caller=PROVINCE, court="-", query=query(filter="locked = true", as_of=MONTH_END), page=page()),
        "drill_overdue_nodes_page_as_of_a_month_end": lambda: service.list_supervised_nodes(
            factory, caller=PROVINCE, court="-", query=query(filter="status = OVERDUE", as_of=MONTH_END),
            page=page()),
        "drill_locked_nodes_page_as_of_a_month_end": lambda: service.list_supervised_nodes(
            factory, caller=PROVINCE, court="-", query=query(filter="locked = true", as_of=MONTH_END), page=page()),
        # This month to today: the live cube, and 期末未结 by department from the read model (the
        # projection does not keep open or closed by department: cube.LIVE_ROLLUPS).
        "P7_basic_court_this_month_xlsx": lambda: report_files.render(service.export_supervision_report(
            factory, caller=BASIC_COURT, court="440101", period="2026-12"), as_csv=False),
        # Last month: as of its end, which has its snapshot (a running system keeps 24 month ends;
        # the bench's load takes one).
        "P7_basic_court_month_xlsx": lambda: report_files.render(service.export_supervision_report(
            factory, caller=BASIC_COURT, court="440101", period="2026-11"), as_csv=False),
        # The month before: no snapshot here, so counted from the read model's history.
        "P7_basic_court_month_xlsx_read_model": lambda: report_files.render(service.export_supervision_report(
            factory, caller=BASIC_COURT, court="440101", period="2026-10"), as_csv=False),
        # This year to today: the pre-counted tables (quality.py).
        "Q2_by_court": lambda: service.analyze_quality(factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
            parent="courts/-", group_by=[D.DIMENSION_COURT])),
        "Q2_by_department": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", group_by=[D.DIMENSION_DEPARTMENT])),
        # Three months to the snapshot's month end: its pre-counted tables as of that day.
        "Q2_three_months_to_a_month_end": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 9, 1), end_date=from_date(date(2026, 11, 30))))),
        # A period starting on another day than the 1st, to today; one ending on a past day that is
        # not a month end: the console's date range allows both (any start, any end).
        "Q2_from_a_mid_month_day_to_today": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 10, 15)))),
        "Q2_from_a_late_month_day_to_today": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 10, 25)))),
        # To a day older than the last days: its snapshot's delta and the next days' to the month end's.
        "Q2_to_a_chained_day": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 9, 1), end_date=from_date(CHAIN_START)))),
        "Q2_to_a_mid_month_day": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 9, 1), end_date=from_date(date(2026, 11, 15))))),
        # A past quarter: the read model as it stood at its end (not pre-counted).
        "Q2_a_past_quarter_read_model": lambda: service.analyze_quality(
            factory, caller=PROVINCE, court="-", request=ss.AnalyzeQualityRequest(
                parent="courts/-", query=query(start=date(2026, 7, 1), end_date=from_date(date(2026, 9, 30))))),
    }


def timed(fn, runs: int) -> dict:
    started = time.perf_counter()
    fn()   # warm
    took = time.perf_counter() - started
    if took > 1:
        # A slow question (the read model's): its p95 is its slowest of three, or of one more
        # after the first when each takes minutes (a province of a million cases).
        runs = 3 if took < 20 else 1
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 1),
            # nearest rank: the ⌈0.95·n⌉-th smallest
            "p95_ms": round(samples[max(0, math.ceil(0.95 * len(samples)) - 1)], 1), "runs": runs}


def floor(url: str, runs: int) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        return timed(lambda: conn.execute(text(f"SELECT count(*) FROM {SCHEMA}.nodes")).scalar_one(), runs)


def measure(url: str, cases: int, per_case: int, runs: int, only: str = "") -> dict:
    loaded = load(url, cases, per_case)
    engine = create_engine(url, pool_size=3)
    factory = uow_factory(engine, producer="stats", messaging=MESSAGING, clock=ManualClock(NOW))
    freeze_startup_heap()   # as a service does once it is ready to serve
    limit = floor(url, runs)
    queries = {name: timed(fn, runs) for name, fn in asks(factory).items()
               if not only or any(part in name for part in only.split(","))}
    for q in queries.values():
        q["ratio_to_floor"] = round(q["p95_ms"] / max(limit["p95_ms"], 0.1), 2)
    pace = projection_pace(factory, url, batches=20) if not only else None
    engine.dispose()
    return {**loaded, "floor_count_all_nodes": limit, "queries": queries, "projection": pace}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--nodes-per-case", type=int, default=25)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--only", default="", help="only the questions whose name contains one of these (comma-"
                                               "separated), at the given size only, without the projection's "
                                               "pace (e.g. P1_,P7_)")
    ap.add_argument("--chain-days", type=int, default=3,
                    help="the days before the month end snapshotted, then kept as deltas but for those that end "
                         "chains; the questions by deltas are asked as of the first (at most 29)")
    ns = ap.parse_args()
    if not 1 <= ns.chain_days <= 29:
        ap.error("--chain-days: 1 to 29")
    global CHAIN_START
    CHAIN_START = MONTH_END - timedelta(days=ns.chain_days)
    work = Path(tempfile.mkdtemp(prefix="courtflow-supervision-"))
    infra = Infrastructure.start(work)
    try:
        upgrade(infra.database_url, schema=SCHEMA, migrations=ROOT / "services" / "stats" / "migrations")
        small = (measure(infra.database_url, max(ns.cases // 10, 1000), ns.nodes_per_case, ns.runs)
                 if not ns.only else {"queries": {}})
        large = measure(infra.database_url, ns.cases, ns.nodes_per_case, ns.runs, ns.only)
        flat = {name: round(large["queries"][name]["p95_ms"] / max(small["queries"][name]["p95_ms"], 0.1), 2)
                for name in large["queries"] if name in small["queries"]}
        print(json.dumps({"date": date.today().isoformat(), "small": small, "large": large,
                          "p95_growth_large_over_small": flat,
                          "goal": {"p95_ms_at_most": 50, "growth_at_most": 1.5,
                                   "met": all(q["p95_ms"] <= 50 for q in large["queries"].values())
                                   and all(g <= 1.5 for g in flat.values())}},
                         ensure_ascii=False, indent=2))
    finally:
        infra.stop()
    # Only reached on success: after a failure the folder stays, with the database and the logs.
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
