"""Use cases of the stats service."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from sqlalchemy import text

from courtflow.case.v1.case_pb2 import Case
from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel
from courtflow.gateway.v1.gateway_pb2 import Court, Department
from courtflow.node.v1.node_pb2 import Node
from courtflow.stats.v1.supervision_pb2 import SupervisionQuery

from services.common import scope
from services.common.clock import legal_minute, legal_today, start_of_legal_day
from services.common.db import bool_array, int_array, text_array
from services.common.names import court_of
from services.common.paging import Page
from services.common.uow import UnitOfWork
from services.stats import (cube, directory, integrity, projection, quality, quality_counts, report_files, reports,
                            repository, supervision)
from services.stats.counting import Known, transition
from services.stats.errors import StatisticsNotOpen
from services.stats.models import NodeCountRow, NodeStateRow, cell_key


# Dimensions of the node, not the case: grouping by one counts a case once per group of its nodes.
NODE_DIMENSIONS = {supervision.D.DIMENSION_DEPARTMENT, supervision.D.DIMENSION_STAGE, supervision.D.DIMENSION_CATEGORY,
                   supervision.D.DIMENSION_NODE_TYPE}

COUNTERS = ("open_count", "warning_count", "overdue_count", "overdue_without_warning_count")


_STATES = NodeStateRow.__table__.fullname
# The batch's per-node states and counter cells, each read (repository.node_states_for_update) and
# written with one statement of array parameters: a burst of overdue nodes moves hundreds of states
# per batch, which the ORM would load and flush object by object.
# New states are plain inserts (no ON CONFLICT: its speculative insertion costs PostgreSQL more,
# and the read locked every state that exists; a second replica inserting the same node at
# once fails the batch, which is then applied event by event and finds the row).
INSERT_STATES = text(f"""
    INSERT INTO {_STATES} (node, cell, state, overdue_without_warning, generation)
    SELECT * FROM unnest(CAST(:node AS text[]), CAST(:cell AS text[]), CAST(:state AS smallint[]),
                         CAST(:without_warning AS boolean[]), CAST(:generation AS integer[]))""")
UPDATE_STATES = text(f"""
    UPDATE {_STATES} AS s SET cell = n.cell, state = n.state, overdue_without_warning = n.without_warning,
                              generation = n.generation
    FROM unnest(CAST(:node AS text[]), CAST(:cell AS text[]), CAST(:state AS smallint[]),
                CAST(:without_warning AS boolean[]), CAST(:generation AS integer[]))
         AS n(node, cell, state, without_warning, generation)
    WHERE s.node = n.node""")
_COUNTS = NodeCountRow.__table__.fullname
ADD_COUNTS = text(f"""
    INSERT INTO {_COUNTS} AS c (cell, court, department, stage, {", ".join(COUNTERS)})
    SELECT * FROM unnest(CAST(:cell AS text[]), CAST(:court AS text[]), CAST(:department AS text[]),
                         CAST(:stage AS smallint[]), {", ".join(f"CAST(:{k} AS bigint[])" for k in COUNTERS)})
    ON CONFLICT (cell) DO UPDATE SET {", ".join(f"{k} = c.{k} + excluded.{k}" for k in COUNTERS)}""")


def apply_node_states(uow: UnitOfWork, changes: list[tuple[Node, datetime, bool, bool]]) -> None:
    """Apply node changes (node, when it happened, overdue without warning, moved to another
    department), in any order, to the per-node states and the counters: one read of the nodes
    involved, one insert and one update of their new states, and one upsert of the touched cells.

    A node is counted in the cell it was first counted in until it moves (NodeReassigned): then its
    whole contribution leaves the old cell for the new one, so nothing is counted twice or lost.
    A move older than the change the read model holds of that node (by the projection's order;
    keep_nodes ran first, in this transaction) moves it where that later change has it: two moves
    that arrive in the wrong order (two pull loops, two replicas) end in the later department."""
    names = sorted({node.name for node, _, _, _ in changes})
    known, cell_of = {}, {}
    for r in repository.node_states_for_update(uow.session, names):
        known[r.node], cell_of[r.node] = Known(r.state, r.overdue_without_warning, r.generation), r.cell
    stored = set(known)
    held = repository.node_departments(uow.session, sorted({n.name for n, _, _, moved in changes if moved}))
    cells: dict[str, dict] = {}

    def add(cell: str, deltas, sign: int = 1) -> None:
        court, department, stage = cell.split("|")
        counts = cells.setdefault(cell, dict(cell=cell, court=court, department=department, stage=int(stage),
                                             **{k: 0 for k in COUNTERS}))
        counts["open_count"] += sign * deltas.open
        counts["warning_count"] += sign * deltas.warning
        counts["overdue_count"] += sign * deltas.overdue
        counts["overdue_without_warning_count"] += sign * deltas.overdue_without_warning

    def moved_to(node: Node, at: datetime) -> str:
        department, later = held.get(node.name, (node.department, None))
        return department if later is not None and later > projection.order_key(projection.node_row(node, at)) \
            else node.department

    touched: set[str] = set()
    for node, at, without_warning, moved in changes:
        here = cell_key(court_of(node.name), moved_to(node, at) if moved else node.department, node.stage)
        if moved:
            if node.name in known and cell_of[node.name] != here:
                whole = transition(None, known[node.name])   # what the node adds where it is counted
                add(cell_of[node.name], whole, -1)
                add(here, whole)
                cell_of[node.name] = here
                touched.add(node.name)
            continue
        new = Known(node.state, without_warning, node.clock_generation)
        deltas = transition(known.get(node.name), new)
        if deltas is None:
            continue
        known[node.name] = new
        cell_of.setdefault(node.name, here)   # a known node stays in its cell until it moves
        touched.add(node.name)
        add(cell_of[node.name], deltas)
    written = {n: (cell_of[n], known[n]) for n in touched}
    for statement, rows in ((INSERT_STATES, [(n, c, k) for n, (c, k) in written.items() if n not in stored]),
                            (UPDATE_STATES, [(n, c, k) for n, (c, k) in written.items() if n in stored])):
        if rows:
            uow.session.execute(statement, {
                "node": text_array(r[0] for r in rows), "cell": text_array(r[1] for r in rows),
                "state": int_array(r[2].state for r in rows),
                "without_warning": bool_array(r[2].overdue_without_warning for r in rows),
                "generation": int_array(r[2].generation for r in rows)})
    if cells:
        rows = sorted(cells.values(), key=lambda r: r["cell"])   # locked in one order: two loops never deadlock
        uow.session.execute(ADD_COUNTS, {**{k: text_array(r[k] for r in rows) for k in ("cell", "court", "department")},
                                         **{k: int_array(r[k] for r in rows) for k in ("stage", *COUNTERS)}})


def list_node_statistics(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, filters: dict,
                         page: Page) -> list[NodeCountRow]:
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN:
        raise StatisticsNotOpen("统计数据仅向庭室及以上管理角色开放")
    scope.require_court(caller, court)
    with uow_factory() as uow:
        return repository.node_counts_page(uow.session, caller=caller, court=court, filters=filters, page=page)


def keep_nodes(uow: UnitOfWork, changes: list[tuple[Node, datetime, bool]]) -> None:
    """The supervision read model's nodes: every status into the history, the latest of each node
    (over what is stored, if later) as its current row. The flag: the change approved an extension."""
    rows = [projection.node_row(node, at, extended=extended) for node, at, extended in changes]
    by_node: dict[str, list[dict]] = {}
    for row in rows:
        by_node.setdefault(row["node"], []).append(row)
    # The history inside too: Q2's pre-counted tables count from it (the first time overdue, an extension).
    with repository.cube_follows(uow.session, {row["case_id"] for row in rows}, nodes=by_node,
                                 parts={(row["case_id"], row["department"], row["stage"]) for row in rows}):
        repository.keep_node_history(uow.session, rows)
        repository.keep_nodes(uow.session, [projection.latest(same) for same in by_node.values()])


def keep_cases(uow: UnitOfWork, cases: list[Case]) -> None:
    """The supervision read model's cases: the newest snapshot of each."""
    newest: dict = {}
    for row in map(projection.case_row, cases):
        if row["case_id"] not in newest or row["version"] > newest[row["case_id"]]["version"]:
            newest[row["case_id"]] = row
    with repository.cube_follows(uow.session, newest):
        repository.keep_cases(uow.session, list(newest.values()))


@dataclass(frozen=True)
class Summary:
    query: supervision.Query
    as_of: date
    dimensions: list[int]
    rows: list          # group values g0…, then the measures (repository.SupervisionSql.measures)
    totals: object      # the measures over everything
    # Court ids and department names of the groups → their names in the org directory (directory.py).
    names: dict = field(default_factory=dict)


def summarize_supervision(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str,
                          query: SupervisionQuery, group_by) -> Summary:
    """P1–P6: the cases and nodes a query covers in the caller's scope, counted per group."""
    scope.require_court(caller, court)
    dims = supervision.parse_dimensions(group_by)
    with uow_factory() as uow:
        today = legal_today(uow.clock)
        q = supervision.parse_query(query, today=today)
        rows, totals = _summary(uow.session, caller, court, q, dims, today=today)
        named = [i for i, d in enumerate(dims) if d in supervision.NAMED_DIMENSIONS]
        names = directory.names(uow.session, {getattr(r, f"g{i}") for r in rows for i in named})
    return Summary(q, q.as_of or today, dims, rows, totals, names)


def _summary(session, caller: Caller, court: str, q: supervision.Query, dims: list[int], *,
             today: date, totals: bool = True) -> tuple[list, object]:
    """A summary's rows and (unless not wanted) its totals: from the cube, or from a day's
    snapshot, when they keep the question (cube.plan: the pages' questions, today or at a month
    end or one of the last days, or an older day by its chain of deltas); else counted from the
    read model. SummarizeSupervision and the work reports (P7) both ask here, so that a report's
    figure is the summary's, counted the same way."""
    node_dims = any(d in NODE_DIMENSIONS for d in dims)
    registry = repository.snapshot_registry(session) if q.as_of is not None else {False: {}, True: {}}
    snapshots, deltas = registry[False], registry[True]
    plan = cube.plan(q, dims, scope=caller.scope, with_nodes=node_dims, snapshots=snapshots, deltas=deltas)
    if plan is not None:
        return (repository.cube_summary(session, caller, court, plan, q, dims),
                repository.cube_summary(session, caller, court, plan, q, dims, totals=True)[0] if totals else None)
    sql = repository.SupervisionSql(caller, court, q, today=today, with_nodes=node_dims)
    return repository.summarize(session, sql, dims), repository.summarize(session, sql, [])[0] if totals else None


def list_supervised_cases(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str,
                          query: SupervisionQuery, page: Page) -> tuple[list, date]:
    """A page of the cases a query covers (P1, P5 drill-down), and the day it is for."""
    return _supervised(uow_factory, repository.supervised_cases, caller=caller, court=court, query=query, page=page,
                       with_nodes=False)


def list_supervised_nodes(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str,
                          query: SupervisionQuery, page: Page) -> tuple[list, date]:
    """A page of the nodes a query covers (P2, P5 drill-down), and the day it is for."""
    return _supervised(uow_factory, repository.supervised_nodes, caller=caller, court=court, query=query, page=page,
                       with_nodes=True)


def _supervised(uow_factory, read, *, caller: Caller, court: str, query: SupervisionQuery, page: Page,
                with_nodes: bool) -> tuple[list, date]:
    scope.require_court(caller, court)
    with uow_factory() as uow:
        today = legal_today(uow.clock)
        q = supervision.parse_query(query, today=today)
        sql = repository.SupervisionSql(caller, court, q, today=today, with_nodes=with_nodes)
        return read(uow.session, sql, page), q.as_of or today


def keep_cube(uow_factory: Callable[[], UnitOfWork], *, settle: timedelta, months: int, days: int = 0,
              chain: int = cube.LONGEST_CHAIN) -> None:
    """The cube's housekeeping (a background loop): its rows of zeros removed, the snapshots that
    are due taken, and those of days no longer kept whole turned into deltas (summed in chains of
    at most `chain`) or dropped (a month end older than the last `months`), and Q2's no longer
    kept dropped."""
    with uow_factory() as uow:
        repository.prune_cube(uow.session)
        quality_counts.prune(uow.session)
        uow.commit()
    take_snapshots(uow_factory, settle=settle, months=months, days=days)
    with uow_factory() as uow:
        repository.age_snapshots(uow.session, today=legal_today(uow.clock), days=days, months=months, chain=chain)
        uow.commit()
    # One run a turn (minutes for a province): the turns between take yesterday's snapshot on time.
    fill_snapshots(uow_factory, months=months, days=days, chain=chain, runs=1)


def take_snapshots(uow_factory: Callable[[], UnitOfWork], *, settle: timedelta, months: int,
                   days: int = 0) -> list[date]:
    """The snapshots that are due (cube.snapshot_due: the last `months` month ends and the last
    `days` days, the cube's and Q2's tables), newest first, each in its own transaction: a
    province's day takes minutes, and a day taken is kept if the next fails. A day waits until the
    read model holds a node's change from after it: the projection has passed the day (it reads
    the node stream in order), even when it runs behind the clock (after an outage; a clock moved
    on by a test or the demo). The days taken here."""
    taken, waiting = [], set()
    while True:
        with uow_factory() as uow:
            today = legal_today(uow.clock)
            complete = repository.complete_snapshot_days(uow.session, today=today, days=days, months=months)
            day = cube.snapshot_due(uow.clock.now(), today, start_of_legal_day, settle=settle,
                                    taken=complete | waiting, months=months, days=days)
            if day is None:
                return taken
            if not repository.history_reaches(uow.session, start_of_legal_day(supervision.cutoff_day(day))):
                waiting.add(day)   # the next turn looks again; an older day may be ready
                continue
            with_quality = quality.snapshot_wanted(day, today, days=days, months=months)
            if not repository.take_snapshot(uow.session, day, taken_at=uow.clock.now(), with_quality=with_quality):
                return taken   # another replica is taking it
            uow.commit()
        taken.append(day)


def fill_snapshots(uow_factory: Callable[[], UnitOfWork], *, months: int, days: int,
                   chain: int = cube.LONGEST_CHAIN, runs: int | None = None) -> list[date]:
    """Snapshots of the kept months' days that have none (cube.gap_to_fill: before the snapshots
    began, or lost in an outage), counted from the read model's history, newest run first, a run
    (at most a month) in one REPEATABLE READ transaction: its days are counted from one read model,
    so each day's chain sums to what the direct query would answer as of it. A day without a
    snapshot is counted from every node's status as of it when asked (minutes for a province); with one,
    in milliseconds. At most `runs` runs (None: all). The days filled."""
    filled = []
    for _ in itertools.count() if runs is None else range(runs):
        with uow_factory() as uow:
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            if not repository.claim_filling(uow.session):
                return filled   # another replica is filling
            today = legal_today(uow.clock)
            registry = repository.snapshot_registry(uow.session)
            whole, deltas = set(registry[False]), set(registry[True])
            gap = cube.gap_to_fill(today, whole, deltas, days=days, months=months)
            if gap is None or not repository.history_reaches(
                    uow.session, start_of_legal_day(supervision.cutoff_day(gap[1]))):
                return filled
            done = repository.fill_gap(
                uow.session, *gap, whole=whole, deltas=deltas, taken_at=uow.clock.now(),
                kept=lambda day: cube.snapshot_kept(day, today, days=days, months=months, chain=chain))
            uow.commit()
        filled += done
    return filled


def keep_directory(uow: UnitOfWork, *, courts: list[tuple[Court, datetime]],
                   departments: list[tuple[Department, datetime]]) -> None:
    """The org directory's courts and departments (directory.py): each change over an older one."""
    directory.keep(uow.session, courts=[directory.court_row(c, at) for c, at in courts],
                   departments=[directory.department_row(d, at) for d, at in departments])


SCOPE_WORDS = {ScopeLevel.SCOPE_LEVEL_COURT: "本院", ScopeLevel.SCOPE_LEVEL_REGION: "本片区（中级法院及其辖区法院）",
               ScopeLevel.SCOPE_LEVEL_PROVINCE: "全省法院"}


def export_supervision_report(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, period: str,
                              region: str = "", items=()) -> report_files.Report:
    """P7: a court's work report for a period (reports.py), over the caller's scope: the court's
    leaders and trial management office, and those of the courts above it, get the whole report;
    a division head their department's; judges and their staff none."""
    if caller.scope not in (ScopeLevel.SCOPE_LEVEL_DEPARTMENT, *scope.WIDE):
        raise StatisticsNotOpen("工作报表仅向庭室及以上管理角色开放")
    scope.require_court(caller, court)
    department = caller.department if caller.scope == ScopeLevel.SCOPE_LEVEL_DEPARTMENT else ""
    with uow_factory() as uow:
        today = legal_today(uow.clock)
        when = reports.parse_period(period, today=today)
        known = directory.under(uow.session, court)
        info = known.courts.get(court)
        kind = reports.kind_of(court, info.level if info else None, department_scope=bool(department))
        plan = reports.plan(court=court, kind=kind, period=when, region=region, items=items, today=today)
        summaries = {}
        for key, q in plan.queries.items():
            for grouping in plan.definition.groupings:
                summaries[key, grouping] = _summary(uow.session, caller, plan.parent, q, list(grouping),
                                                    today=today, totals=False)[0]
            summaries[key, ()] = [_summary(uow.session, caller, plan.parent, q, [], today=today)[1]]
        made_at = legal_minute(uow.clock.now())
    rows = reports.build_rows(plan, summaries, known, department=department)
    who = caller.user.removeprefix("users/")
    within = (f"本部门（{known.names().get(department, department)}）" if department
              else SCOPE_WORDS.get(caller.scope, ""))
    return report_files.Report(plan, info.display_name if info else court, rows,
                               made_by=report_files.maker(caller.display_name, who),
                               made_at=made_at, scope_words=within)


@dataclass(frozen=True)
class QualityAnalysis:
    analysis: quality.Analysis
    rows: list
    totals: object
    stages: list
    recurring: list     # (dimension, value, counts by month of the window)
    names: dict = field(default_factory=dict)   # court ids and department names → their names


def analyze_quality(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str,
                    request) -> QualityAnalysis:
    """Q2: the efficiency indicators, time per stage and recurring problems (quality.py)."""
    scope.require_court(caller, court)
    with uow_factory() as uow:
        today = legal_today(uow.clock)
        a = quality.parse(request, today=today)
        sql = repository.quality_sql(caller, court, a, today=today)
        # Each part from the pre-counted tables where they answer it (quality.py), else the read model.
        kept = quality_counts.snapshot_registry(uow.session) if a.end < today else {False: set(), True: set()}
        counted = quality.counted_plan(a, today=today, scope_level=caller.scope, scope_prefix=caller.scope_prefix,
                                       court=court, wide_scopes=scope.WIDE, snapshots=kept[False], deltas=kept[True])
        if counted is not None and counted.rollup is not None:
            rows, totals = quality_counts.indicators(uow.session, caller, court, counted, a, a.dimensions)
        else:
            rows, totals = repository.quality_indicators(uow.session, sql, a, a.dimensions)
        rows = [r for r in rows if any(getattr(r, c) for c in quality.COUNTS)]   # groups of no figure: none
        if counted is not None and counted.area is not None:
            stages = quality_counts.stage_durations(uow.session, counted, a)
            overdue = quality_counts.overdue_by_month(uow.session, caller, court, counted, a)
        else:
            stages = repository.stage_durations(uow.session, sql, a)
            overdue = repository.overdue_by_month(uow.session, sql, a, quality.RECURRING_DIMENSIONS)
        by_value: dict[tuple[int, str], dict[str, int]] = {}
        for dimension, value, month, nodes in overdue:
            by_value.setdefault((dimension, value), {})[month] = nodes
        recurring = []
        for (dimension, value), months in by_value.items():
            series = [months.get(m, 0) for m in a.months]
            if sum(1 for n in series if n) >= a.threshold:
                recurring.append((dimension, value, series))
        named = [i for i, d in enumerate(a.dimensions) if d in supervision.NAMED_DIMENSIONS]
        names = directory.names(uow.session, {getattr(r, f"g{i}") for r in rows for i in named}
                                | {value for dimension, value, _ in recurring
                                   if dimension in supervision.NAMED_DIMENSIONS})
    return QualityAnalysis(a, rows, totals, stages, recurring, names)


@dataclass(frozen=True)
class Verification:
    cases_checked: int
    nodes_checked: int
    differences: list   # (name, field, read model, source)


# A difference may be an event still on its way to the read model: it is looked at again this
# many times, this long apart, before it is reported.
RECHECKS, RECHECK_SECONDS = 3, 1.0


def verify_supervision(uow_factory: Callable[[], UnitOfWork], sources, *, caller: Caller, court: str,
                       sleep: Callable[[float], None] = time.sleep) -> Verification:
    """Recount the read model from the case and node services (integrity.py): every case and node
    the caller may see, read from its service first (no database connection is held meanwhile)."""
    scope.require_court(caller, court)
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN:
        raise StatisticsNotOpen("统计数据核对仅向庭室及以上管理角色开放")
    cases = {c.name: c for c in sources.cases(caller, court)}
    nodes = {n.name: n for n in sources.nodes(caller, court)}
    with uow_factory() as uow:
        ours_cases, ours_nodes = repository.read_model_in_scope(uow.session, caller, court)
    differences = _differences(ours_cases, cases, ours_nodes, nodes)
    for _ in range(RECHECKS):
        if not differences:
            break
        sleep(RECHECK_SECONDS)
        names = {d[0] for d in differences}
        case_names = {n for n in names if "/nodes/" not in n}
        node_names = names - case_names
        again_cases = {n: sources.case(caller, n) for n in case_names}
        again_nodes = {n: sources.node(caller, n) for n in node_names}
        with uow_factory() as uow:
            ours_cases, ours_nodes = repository.read_model_in_scope(uow.session, caller, court, names=names)
        differences = _differences(ours_cases, {n: c for n, c in again_cases.items() if c is not None},
                                   ours_nodes, {n: c for n, c in again_nodes.items() if c is not None})
    if caller.scope in scope.WIDE:
        # The cube against a recount of the read model it was kept from, in one snapshot.
        with uow_factory() as uow:
            uow.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            prefix = caller.scope_prefix if court == "-" else court
            differences += [(row, f"cube.{column}", str(kept), str(recount)) for row, column, kept, recount
                            in repository.cube_differences(uow.session, prefix, limit=integrity.MAX_LISTED)]
            if prefix == caller.scope_prefix and len(prefix) <= 2:   # the province's: they are counted province-wide
                differences += [(row, f"quality.{column}", str(kept), str(recount)) for row, column, kept, recount
                                in quality_counts.differences(uow.session, limit=integrity.MAX_LISTED)]
    return Verification(len(cases), len(nodes), differences)


def _differences(ours_cases: dict, cases: dict, ours_nodes: dict, nodes: dict) -> list:
    found = []
    for name in sorted(set(ours_cases) | set(cases)):
        found += integrity.case_differences(name, ours_cases.get(name), cases.get(name))
    for name in sorted(set(ours_nodes) | set(nodes)):
        found += integrity.node_differences(name, ours_nodes.get(name), nodes.get(name))
    return found
