"""The SQL of Q2's pre-counted tables (quality.py says what they hold and when they answer): what
a set of cases, stages and nodes adds to them, kept in the projection's transactions as the cube
is (repository.cube_follows takes out what they added before a change and puts in what they add
after it), counted afresh, compared with a recount, and read."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import NodeState
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.common import scope
from services.common.clock import LEGAL_TZ, start_of_legal_day
from services.common.db import count_of, int_array, text_array
from services.common.names import CourtName, NodeName
from services.stats import quality, supervision
from services.stats.models import (CaseViewRow, NodeHistoryRow, NodeViewRow, QualityMonthRow, QualityOpenRow,
                                   QualityOverdueRow, QualitySnapshotMonthRow, QualitySnapshotOpenRow,
                                   QualitySnapshotOverdueRow, QualitySnapshotRow, QualitySnapshotStageRow,
                                   QualityStageRow)

_C, _N, _H = CaseViewRow.__table__.fullname, NodeViewRow.__table__.fullname, NodeHistoryRow.__table__.fullname
_MONTHS, _OPEN = QualityMonthRow.__table__, QualityOpenRow.__table__
_STAGES, _OVERDUE = QualityStageRow.__table__, QualityOverdueRow.__table__
# Each table's month-end snapshots (day first in the key).
SNAPSHOTS = {_MONTHS: QualitySnapshotMonthRow.__table__, _OPEN: QualitySnapshotOpenRow.__table__,
             _STAGES: QualitySnapshotStageRow.__table__, _OVERDUE: QualitySnapshotOverdueRow.__table__}
D = quality.D

_CASE_KEY = ("rollup", "court", "department", "case_type", "procedure")
MONTH_KEY, MONTH_COUNTS = (*_CASE_KEY, "month"), ("received", "closed", "closed_with_limit", "closed_within_limit",
                                                  "extended", "trial_cases", "trial_days")
OPEN_KEY, OPEN_COUNTS = (*_CASE_KEY, "filing_month", "filing_tail"), ("cases",)
STAGE_KEY, STAGE_COUNTS = ("level", "area", "stage", "month", "days"), ("cases",)
OVERDUE_KEY, OVERDUE_COUNTS = ("court", "dimension", "value", "month"), ("nodes",)
# Each table: its key, its counts, and whether it keeps the region beside the key.
TABLES = {_MONTHS.fullname: (MONTH_KEY, MONTH_COUNTS, True), _OPEN.fullname: (OPEN_KEY, OPEN_COUNTS, True),
          _STAGES.fullname: (STAGE_KEY, STAGE_COUNTS, False), _OVERDUE.fullname: (OVERDUE_KEY, OVERDUE_COUNTS, True)}
# An area's rows for each level: the province (""), the case's region, its court.
_AREAS = f"(VALUES ({quality.LEVEL_PROVINCE}, ''), ({quality.LEVEL_REGION}, x.region), ({quality.LEVEL_COURT}, x.court))"


def _rolled(column: str) -> str:
    """A key column of the rollup r: the case's value where the rollup keeps it, ANY elsewhere."""
    keeping = [str(r) for r, kept in quality.ROLLUPS.items() if column in kept]
    value = quality.ANY[column]
    other = f"'{value}'" if isinstance(value, str) else str(value)
    return f"CASE WHEN r.rollup IN ({', '.join(keeping)}) THEN f.{column} ELSE {other} END AS {column}"


def case_contributions(cases_where: str, limits_where: str, *, cases_from: str = _C, nodes_from: str = _N,
                       as_of: bool = False, on_days: bool = False) -> tuple[str, str]:
    """SELECTs of what the cases `cases_where` (alias c) add to quality_months and quality_open,
    as each table's key, region and counts. `limits_where` (alias n) selects their nodes.
    ``cases_from``, ``nodes_from``: the relations they are read from (for a month end's snapshot,
    repository.take_snapshot's as of that day); ``as_of``: only extensions approved before :cutoff;
    ``on_days``: only what they add on the days :d_first to :d_last (a receipt, a close)."""
    before = "AND h.at < :cutoff" if as_of else ""
    rolled = f"""WITH limits AS MATERIALIZED (
            SELECT n.case_id, bool_or(n.status = {NodeStatus.NODE_STATUS_OVERDUE}) AS overdue,
                   bool_or(EXISTS (SELECT 1 FROM {_H} AS h WHERE h.node = n.node AND h.extended {before}))
                       AS extended
            FROM {nodes_from} AS n WHERE n.category = :limit_category AND NOT n.withdrawn AND {limits_where}
            GROUP BY n.case_id),
        facts AS MATERIALIZED (
            SELECT c.court, c.region, c.department, c.case_type, c.procedure, c.receive_date, c.filing_date,
                   c.close_date, l.case_id IS NOT NULL AS with_limit, coalesce(l.overdue, false) AS limit_overdue,
                   coalesce(l.extended, false) AS limit_extended
            FROM {cases_from} AS c LEFT JOIN limits AS l ON l.case_id = c.case_id WHERE {cases_where}),
        rolled AS MATERIALIZED (
            SELECT CAST(r.rollup AS smallint) AS rollup, f.court, f.region,
                   {", ".join(_rolled(c) for c in ("department", "case_type", "procedure"))},
                   f.receive_date, f.filing_date, f.close_date, f.with_limit, f.limit_overdue, f.limit_extended
            FROM facts AS f CROSS JOIN (VALUES {", ".join(f"({r})" for r in quality.ROLLUPS)}) AS r(rollup))"""
    key = ", ".join(_CASE_KEY)
    months = f"""{rolled}
        SELECT {key}, e.month, min(region) AS region, {", ".join(f"sum(e.{c}) AS {c}" for c in MONTH_COUNTS)}
        FROM rolled CROSS JOIN LATERAL (VALUES
            (receive_date, to_char(receive_date, 'YYYY-MM'), 1, 0, 0, 0, 0, 0, 0),
            (close_date, to_char(close_date, 'YYYY-MM'), 0, 1, with_limit::int, (with_limit AND NOT limit_overdue)::int,
             (with_limit AND limit_extended)::int, (filing_date IS NOT NULL)::int,
             coalesce(close_date - filing_date, 0)))
            AS e(day, month, {", ".join(MONTH_COUNTS)})
        WHERE {"e.day BETWEEN :d_first AND :d_last" if on_days else "e.month IS NOT NULL"} GROUP BY {key}, e.month"""
    open_ = f"""{rolled}
        SELECT {key}, to_char(filing_date, 'YYYY-MM') AS filing_month,
               CAST(greatest(0, extract(day FROM filing_date)::int - 27) AS smallint) AS filing_tail,
               min(region) AS region, count(*) AS cases
        FROM rolled WHERE filing_date IS NOT NULL AND close_date IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7"""
    return months, open_


def stage_contributions(nodes_where: str, *, cases_from: str = _C, nodes_from: str = _N, on_days: bool = False) -> str:
    """What the stages of the nodes `nodes_where` (alias n) add to quality_stages: a case's stage
    whose nodes are all completed, in the month of the last completion, after the days from its
    first node opening (the direct query's definition, repository.stage_durations). ``on_days``:
    only the stages completed on the days :d_first to :d_last."""
    return f"""WITH stages AS MATERIALIZED (
            SELECT c.court, c.region, n.stage, max(n.complete_date) AS done,
                   max(n.complete_date) - min(n.open_date) AS days
            FROM {nodes_from} AS n JOIN {cases_from} AS c ON c.case_id = n.case_id
            WHERE NOT n.withdrawn AND {nodes_where}
            GROUP BY n.case_id, c.court, c.region, n.stage
            HAVING bool_and(n.state = {NodeState.NODE_STATE_COMPLETED}) AND min(n.open_date) IS NOT NULL
               AND max(n.complete_date) IS NOT NULL)
        SELECT CAST(a.level AS smallint) AS level, a.area, x.stage, to_char(x.done, 'YYYY-MM') AS month, x.days,
               count(*) AS cases
        FROM stages AS x CROSS JOIN LATERAL {_AREAS} AS a(level, area)
        {"WHERE x.done BETWEEN :d_first AND :d_last" if on_days else ""} GROUP BY 1, 2, 3, 4, 5"""


def overdue_contributions(history_where: str, *, cases_from: str = _C) -> str:
    """What the nodes whose history `history_where` (alias h) selects add to quality_overdue: a
    node counts in the month it first became overdue in each clock generation, under its node type,
    court and (current) department (the direct query's definition, repository.overdue_by_month)."""
    return f"""WITH firsts AS MATERIALIZED (
            SELECT h.node, min(h.at) AS at FROM {_H} AS h
            WHERE h.state = {NodeState.NODE_STATE_OVERDUE} AND {history_where} GROUP BY h.node, h.generation),
        counted AS MATERIALIZED (
            SELECT n.court, c.region, n.node_type, n.department,
                   to_char(timezone('{LEGAL_TZ.key}', f.at), 'YYYY-MM') AS month
            FROM firsts AS f JOIN {_N} AS n ON n.node = f.node JOIN {cases_from} AS c ON c.case_id = n.case_id)
        SELECT x.court, CAST(d.dimension AS smallint) AS dimension, d.value, x.month, min(x.region) AS region,
               count(*) AS nodes
        FROM counted AS x CROSS JOIN LATERAL (VALUES ({D.DIMENSION_NODE_TYPE}, x.node_type), ({D.DIMENSION_COURT}, x.court),
                                   ({D.DIMENSION_DEPARTMENT}, x.department)) AS d(dimension, value)
        GROUP BY 1, 2, 3, 4"""


def _columns(table: str) -> tuple[str, ...]:
    key, counts, regional = TABLES[table]
    return (*key, *(("region",) if regional else ()), *counts)


def _keep_delta(table: str, select_sql: str, sign: str):
    columns = _columns(table)
    key, counts, regional = TABLES[table]
    values = [f"{sign}{c}" if c in counts else c for c in columns]
    return text(f"INSERT INTO {_delta(table)} ({', '.join(columns)}) SELECT {', '.join(values)} FROM ({select_sql}) AS x")


def _delta(table: str) -> str:
    return f"{table.split('.')[-1]}_delta"


_IDS = "CAST(:ids AS uuid[])"
# A batch of cases: all they add. A batch of node changes: what its nodes can move (parameters()):
# the cases whose trial-limit nodes changed (:limit_ids), the stages of its nodes that are new,
# completed or were completed (:s_case, :s_stage), and its nodes that went overdue or moved to
# another department (:o_nodes) — a burst of running nodes going overdue recounts only those.
_CASE_BATCH = {
    _MONTHS.fullname: case_contributions(f"c.case_id = ANY({_IDS})", f"n.case_id = ANY({_IDS})")[0],
    _OPEN.fullname: case_contributions(f"c.case_id = ANY({_IDS})", f"n.case_id = ANY({_IDS})")[1],
    _STAGES.fullname: stage_contributions(f"n.case_id = ANY({_IDS})"),
    _OVERDUE.fullname: overdue_contributions(f"h.node IN (SELECT node FROM {_N} WHERE case_id = ANY({_IDS}))"),
}
_LIMIT_IDS = "CAST(:limit_ids AS uuid[])"
_NODE_BATCH = {
    _MONTHS.fullname: case_contributions(f"c.case_id = ANY({_LIMIT_IDS})", f"n.case_id = ANY({_LIMIT_IDS})")[0],
    _STAGES.fullname: stage_contributions("(n.case_id, n.stage) IN (SELECT * FROM unnest(CAST(:s_case AS uuid[]), "
                                          "CAST(:s_stage AS smallint[])))"),
    _OVERDUE.fullname: overdue_contributions("h.node = ANY(CAST(:o_nodes AS text[]))"),
}
DELTAS = {batch: {table: [_keep_delta(table, select_sql, sign) for sign in ("-", "")]
                  for table, select_sql in selects.items()}
          for batch, selects in (("cases", _CASE_BATCH), ("nodes", _NODE_BATCH))}
DELTA_TABLES = text(";".join(f"CREATE TEMP TABLE IF NOT EXISTS {_delta(t)} (LIKE {t}) ON COMMIT DELETE ROWS"
                             for t in TABLES))


def _apply(table: str):
    key, counts, regional = TABLES[table]
    region = ["min(region)"] if regional else []
    columns = ", ".join(_columns(table))
    return [text(f"""INSERT INTO {table} AS t ({columns})
        SELECT {", ".join(key)}, {", ".join([*region, *(f"sum({c})" for c in counts)])} FROM {_delta(table)}
        GROUP BY {", ".join(key)} HAVING {" OR ".join(f"sum({c}) <> 0" for c in counts)}
        ORDER BY {", ".join(key)}
        ON CONFLICT ({", ".join(key)}) DO UPDATE SET {", ".join(f"{c} = t.{c} + excluded.{c}" for c in counts)}"""),
            text(f"DELETE FROM {_delta(table)}")]


APPLY = [statement for table in TABLES for statement in _apply(table)]


def parameters(params: dict, nodes: dict | None, stored: list) -> dict:
    """The parameters of a node batch's statements (DELTAS["nodes"]), from the changed nodes' new
    rows (`nodes`: name → rows) and their stored (node, case_id, department, stage, state)."""
    before = {r.node: r for r in stored}
    limit_ids, stages, overdue = set(), set(), set()
    for name, rows in (nodes or {}).items():
        old = before.get(name)
        first = rows[0]
        if first["category"] == quality.TRIAL_LIMIT_CATEGORY:
            limit_ids.add(str(first["case_id"]))
        # A stage counts once all its nodes are completed: a node completed (or reopened), and a
        # new node, which may make a completed stage open again.
        if old is None or old.state == NodeState.NODE_STATE_COMPLETED or any(
                r["state"] == NodeState.NODE_STATE_COMPLETED for r in rows):
            stages.add((str(first["case_id"]), first["stage"]))
        if any(r["state"] == NodeState.NODE_STATE_OVERDUE for r in rows) or (
                old is not None and any(r["department"] != old.department for r in rows)):
            overdue.add(name)
    ordered = sorted(stages)
    return {**params, "limit_ids": text_array(sorted(limit_ids)), "s_case": text_array([c for c, _ in ordered]),
            "s_stage": int_array([s for _, s in ordered]), "o_nodes": text_array(sorted(overdue)),
            "limit_category": quality.TRIAL_LIMIT_CATEGORY}


_PRUNE = [text(f"""DELETE FROM {table} WHERE ctid = ANY(ARRAY(
                   SELECT ctid FROM {table} WHERE {" AND ".join(f"{c} = 0" for c in counts)}
                   FOR UPDATE SKIP LOCKED))""") for table, (_, counts, _) in TABLES.items()]


def prune(session: Session) -> int:
    """Remove the rows that count nothing (as repository.prune_cube)."""
    return sum(session.execute(statement).rowcount for statement in _PRUNE)


def _everything() -> dict:
    months, open_ = case_contributions("true", "true")
    return {_MONTHS.fullname: months, _OPEN.fullname: open_, _STAGES.fullname: stage_contributions("true"),
            _OVERDUE.fullname: overdue_contributions("true")}


def rebuild(connection) -> None:
    """The tables counted again from the whole read model (migration; the benchmark's load)."""
    connection.execute(text(f"TRUNCATE {', '.join(TABLES)}"))
    for table, select_sql in _everything().items():
        columns = ", ".join(_columns(table))
        connection.execute(text(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ({select_sql}) AS x"),
                           {"limit_category": quality.TRIAL_LIMIT_CATEGORY})


def differences(session: Session, *, limit: int) -> list[tuple[str, str, int, int]]:
    """Rows that differ from the same rows counted afresh from the read model: (row, count column,
    kept, recounted) — none, unless something went wrong (they are kept in its transactions)."""
    found = []
    for table, recount in _everything().items():
        key, counts, _ = TABLES[table]
        columns = ", ".join(key)
        compared = " OR ".join(f"coalesce(k.{c}, 0) <> coalesce(r.{c}, 0)" for c in counts)
        rows = session.execute(text(f"""
            SELECT {", ".join(f"coalesce(k.{c}, r.{c}) AS {c}" for c in key)},
                   {", ".join(f"coalesce(k.{c}, 0) AS kept_{c}, coalesce(r.{c}, 0) AS recount_{c}" for c in counts)}
            FROM (SELECT {columns}, {", ".join(counts)} FROM {table}) AS k
            FULL JOIN ({recount}) AS r USING ({columns})
            WHERE {compared} ORDER BY {columns} LIMIT :limit"""),
            {"limit": limit, "limit_category": quality.TRIAL_LIMIT_CATEGORY})
        for r in rows:
            where = " ".join(f"{c}={getattr(r, c)}" for c in key)
            found += [(f"{table} {where}", c, getattr(r, f"kept_{c}"), getattr(r, f"recount_{c}")) for c in counts
                      if getattr(r, f"kept_{c}") != getattr(r, f"recount_{c}")]
    return found[:limit]


# ── the days' snapshots (quality.snapshot_wanted; repository.age_snapshots ages them) ──────

def snapshot_days(session: Session) -> set:
    """The days whose snapshot is kept, whole or as a delta."""
    return set(session.scalars(select(QualitySnapshotRow.day)))


def snapshot_registry(session: Session) -> dict[bool, set[date]]:
    """{False: the days kept whole, True: those kept as deltas}."""
    kept = {False: set(), True: set()}
    for day, delta in session.execute(select(QualitySnapshotRow.day, QualitySnapshotRow.delta)):
        kept[delta].add(day)
    return kept


def claim_snapshot(session: Session, day, *, taken_at) -> bool:
    """Take the day's claim (False: kept already, or another replica is counting it)."""
    return session.execute(pg_insert(QualitySnapshotRow).values(day=day, taken_at=taken_at)
                           .on_conflict_do_nothing().returning(QualitySnapshotRow.day)).first() is not None


def take_snapshot(session: Session, params: dict, *, cases_from: str, nodes_from: str) -> None:
    """Count the tables as of the end of :day into its snapshot, from the read model as it stood
    then (repository.take_snapshot gives the relations: the cases CourtFlow had by then with their
    dates up to :day, each node's last status before :cutoff); extensions and overdue statuses
    from the history before :cutoff."""
    months, open_ = case_contributions("true", "true", cases_from=cases_from, nodes_from=nodes_from, as_of=True)
    counted = {_MONTHS: months, _OPEN: open_,
               _STAGES: stage_contributions("true", cases_from=cases_from, nodes_from=nodes_from),
               _OVERDUE: overdue_contributions("h.at < :cutoff", cases_from=cases_from)}
    for table, select_sql in counted.items():
        columns = ", ".join(_columns(table.fullname))
        session.execute(text(f"INSERT INTO {SNAPSHOTS[table].fullname} (day, {columns}) "
                             f"SELECT :day, {columns} FROM ({select_sql}) AS x"),
                        {**params, "limit_category": quality.TRIAL_LIMIT_CATEGORY})


# ── reading ──────────────────────────────────────────────────────────────────────────────────


_GROUP_COLUMNS = {D.DIMENSION_REGION: "region", D.DIMENSION_COURT: "court", D.DIMENSION_DEPARTMENT: "department",
                  D.DIMENSION_CASE_TYPE: "case_type", D.DIMENSION_PROCEDURE: "procedure"}


def _table(table, plan: quality.Counted):
    """The live table, or its snapshots when the plan reads a past day's."""
    return table if plan.snapshot is None else SNAPSHOTS[table]


def _day(table, plan: quality.Counted) -> list:
    """The rows of the plan's day: its snapshot's, or those of its chain of deltas (each query
    sums its rows by key, so a chain sums to the day's counts)."""
    return [] if plan.snapshot is None else [table.c.day.in_(plan.chain)]


def _case_where(table, caller: Caller, court: str, plan: quality.Counted, rollup: int) -> list:
    where = [table.c.rollup == rollup, scope.condition(caller, court=table.c.court, department=None, owner=None),
             *_day(table, plan)]
    if court != "-":
        where.append(table.c.court == court)
    where += [table.c[name] == value for name, value in plan.key_terms.items()]
    return where


def indicators(session: Session, caller: Caller, court: str, plan: quality.Counted, a: quality.Analysis,
               dimensions: list[int]) -> tuple[list, SimpleNamespace]:
    """The indicators' rows per group of `dimensions` and the row over them all, from
    quality_months and quality_open: what repository.quality_indicators gives from the read model.
    What the read model adds — the first month's days counted apart, the open cases filed early in
    the month 12 months before the end — is read once, per group, and summed for the totals (a
    case is in one group of any rollup)."""
    before = quality.twelve_months_before(a.end)
    on_days = (_indicators_on_days(session, caller, court, plan, dimensions, plan.rollup)
               if plan.days is not None else {})
    # 超12个月未结: filed before the day 12 months before the end. Its month is counted to the day
    # when that day is the 28th or later (filing_tail; always at a month end); before that, the
    # cases of its month filed before it are read from the read model (a few days' cases).
    early = _filed_early_in_month(session, caller, court, plan, dimensions, before) if before.day < 28 else {}
    rows = (_indicator_rows(session, caller, court, plan, a, dimensions, plan.rollup, before, on_days, early)
            if dimensions else [])
    totals = _indicator_rows(session, caller, court, plan, a, [], plan.totals_rollup, before,
                             {(): {c: sum(n[c] for n in on_days.values()) for c in MONTH_COUNTS}} if on_days else {},
                             {(): sum(early.values())} if early else {})
    return rows, totals[0]


def _indicator_rows(session: Session, caller: Caller, court: str, plan: quality.Counted, a: quality.Analysis,
                    dims: list[int], rollup: int, before: date, on_days: dict[tuple, dict],
                    early: dict[tuple, int]) -> list:
    """The rows per group of `dims` (none: the one row over everything, even of zeros) of the
    tables' `rollup`, with what the read model adds per group: `on_days` (plan.days' counts,
    with its sign) and `early` (open cases filed over 12 months before the end)."""
    month_table, open_table = _table(_MONTHS, plan), _table(_OPEN, plan)
    months, open_ = month_table.c, open_table.c
    month_groups = [months[_GROUP_COLUMNS[d]].label(f"g{i}") for i, d in enumerate(dims)]
    month_query = (select(*month_groups, *[count_of(func.sum(months[c])).label(c) for c in MONTH_COUNTS])
                   .where(*_case_where(month_table, caller, court, plan, rollup),
                          months.month.between(plan.first_month, a.end.strftime("%Y-%m"))))
    month_of_before = before.strftime("%Y-%m")
    older = open_.filing_month < month_of_before
    if before.day >= 28:
        older = older | and_(open_.filing_month == month_of_before, open_.filing_tail < before.day - 27)
    open_groups = [open_[_GROUP_COLUMNS[d]].label(f"g{i}") for i, d in enumerate(dims)]
    open_query = (select(*open_groups, count_of(func.sum(open_.cases)).label("open"),
                         count_of(func.sum(open_.cases).filter(older)).label("open_over_12_months"))
                  .where(*_case_where(open_table, caller, court, plan, rollup)))
    if dims:
        month_query = month_query.group_by(*[g.element for g in month_groups])
        open_query = open_query.group_by(*[g.element for g in open_groups])
    found: dict[tuple, dict] = {}
    zero = {c: 0 for c in (*MONTH_COUNTS, "open", "open_over_12_months")}
    for row in session.execute(month_query):
        found.setdefault(tuple(row[:len(dims)]), dict(zero)).update(row._mapping)
    for row in session.execute(open_query):
        found.setdefault(tuple(row[:len(dims)]), dict(zero)).update(row._mapping)
    for group, counts in on_days.items():
        values = found.setdefault(group, dict(zero))
        for c in MONTH_COUNTS:
            values[c] += plan.days.sign * counts[c]
    for group, extra in early.items():
        found.setdefault(group, dict(zero))["open_over_12_months"] += extra
    if not dims and not found:
        found[()] = dict(zero)
    out = []
    for group, values in found.items():
        values.update({f"g{i}": v for i, v in enumerate(group)})
        values["average_trial_days"] = values["trial_days"] / values["trial_cases"] if values["trial_cases"] else None
        if any(values[c] for c in ("received", "closed", "open")) or not dims:
            out.append(values)
    return sorted((SimpleNamespace(**v) for v in out), key=lambda r: tuple(getattr(r, f"g{i}") for i in range(len(dims))))


def _filed_early_in_month(session: Session, caller: Caller, court: str, plan: quality.Counted, dims: list[int],
                          before) -> dict[tuple, int]:
    """The open cases filed in the month of `before` before it, per group (read model: the index
    cases_open_filing). For a snapshot's day, those open then: registered by its end and not
    closed by it (the direct query's as-of rule, repository.quality_sql)."""
    cases = CaseViewRow.__table__.c
    groups = [cases[_GROUP_COLUMNS[d]] for d in dims]
    where = [scope.condition(caller, court=cases.court, department=None, owner=None),
             cases.filing_date >= before.replace(day=1), cases.filing_date < before]
    if plan.snapshot is None:
        where.append(cases.close_date.is_(None))
    else:
        where += [or_(cases.close_date.is_(None), cases.close_date > plan.snapshot),
                  cases.create_time < start_of_legal_day(supervision.cutoff_day(plan.snapshot))]
    if court != "-":
        where.append(cases.court == court)
    where += [cases[name] == value for name, value in plan.key_terms.items()]
    query = select(*groups, func.count()).where(*where)
    if groups:
        query = query.group_by(*groups)
    return {tuple(row[:-1]): row[-1] for row in session.execute(query)}


def _literal(condition) -> str:
    """A condition on the read model's cases (alias c) as SQL text, for the statements this module
    writes as text: its values are court ids (digits: the filter's parser checks them), scope
    prefixes and enum numbers, and SQLAlchemy quotes them."""
    return str(condition.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def _days_parameters(days: quality.Days) -> dict:
    return {"d_first": days.first, "d_last": days.last, "limit_category": quality.TRIAL_LIMIT_CATEGORY}


def _indicators_on_days(session: Session, caller: Caller, court: str, plan: quality.Counted, dims: list[int],
                        rollup: int) -> dict[tuple, dict]:
    """What the cases in the query received or closed on plan.days add to quality_months, per group:
    counted from the read model as the table is kept (case_contributions), on those cases alone
    (the indexes cases_receive_date and cases_close_date)."""
    c = CaseViewRow.__table__.alias("c")
    where = [scope.condition(caller, court=c.c.court, department=None, owner=None),
             *([c.c.court == court] if court != "-" else []),
             *[c.c[name] == value for name, value in plan.key_terms.items()]]
    on_days = ("(c.receive_date BETWEEN :d_first AND :d_last OR c.close_date BETWEEN :d_first AND :d_last) AND "
               + " AND ".join(f"({_literal(w)})" for w in where))
    months, _ = case_contributions(on_days, f"n.case_id IN (SELECT c.case_id FROM {_C} AS c WHERE {on_days})",
                                   on_days=True)
    groups = [_GROUP_COLUMNS[d] for d in dims]
    rows = session.execute(text(
        f"SELECT {''.join(f'{g}, ' for g in groups)}{', '.join(f'sum({c}) AS {c}' for c in MONTH_COUNTS)} "
        f"FROM ({months}) AS m WHERE rollup = :rollup {'GROUP BY ' + ', '.join(groups) if groups else ''}"),
        {**_days_parameters(plan.days), "rollup": rollup})
    return {tuple(row[:len(groups)]): {c: int(row._mapping[c] or 0) for c in MONTH_COUNTS} for row in rows}


def _stages_on_days(session: Session, plan: quality.Counted) -> list[tuple[int, int, int]]:
    """(stage, days, cases) of the stages of plan.area completed on plan.days, counted from the read
    model as quality_stages is kept (stage_contributions), on the cases with a node whose completion
    the history holds on those days: its BRIN index on the times (node_history_at) finds them, and
    their names say the case (an event's time is a moment after its completion's: an hour's slack
    each side). The cases are then passed as a list, as the projection's batches are: the planner
    knows how few they are and reads each one's nodes by its index, not every case."""
    level, area = plan.area
    # Court ids nest: a region's courts' names begin with its 4 digits (quality._area).
    place = {quality.LEVEL_PROVINCE: "", quality.LEVEL_REGION: str(CourtName(area)),
             quality.LEVEL_COURT: f"{CourtName(area)}/"}[level]
    slack = timedelta(hours=1)
    ids = session.scalars(text(
        f"SELECT DISTINCT CAST(split_part(h.node, '/', {NodeName.CASE_PART}) AS uuid) FROM {_H} AS h "
        f"WHERE h.state = {NodeState.NODE_STATE_COMPLETED} AND h.at >= :h_from AND h.at < :h_to AND h.node LIKE :place"),
        {"h_from": start_of_legal_day(plan.days.first) - slack,
         "h_to": start_of_legal_day(plan.days.last + timedelta(days=1)) + slack, "place": f"{place}%"}).all()
    if not ids:
        return []
    stages = stage_contributions(f"n.case_id = ANY({_IDS})", on_days=True)
    rows = session.execute(text(f"SELECT stage, days, sum(cases) FROM ({stages}) AS s "
                                f"WHERE level = :level AND area = :area GROUP BY stage, days"),
                           {**_days_parameters(plan.days), "level": level, "area": area,
                            "ids": text_array(str(i) for i in ids)})
    return [(stage, days, int(cases)) for stage, days, cases in rows]


def _area_where(table, plan: quality.Counted, a: quality.Analysis) -> list:
    level, area = plan.area
    return [table.c.level == level, table.c.area == area, *_day(table, plan),
            table.c.month.between(plan.first_month, a.end.strftime("%Y-%m"))]


def stage_durations(session: Session, plan: quality.Counted, a: quality.Analysis) -> list:
    """Time per stage from quality_stages: the same rows as repository.stage_durations."""
    table = _table(_STAGES, plan)
    stages = table.c
    counted: dict[tuple[int, int], int] = {}
    for stage, days, cases in session.execute(
            select(stages.stage, stages.days, count_of(func.sum(stages.cases)))
            .where(*_area_where(table, plan, a))
            .group_by(stages.stage, stages.days)):
        counted[stage, days] = cases
    if plan.days is not None:
        for stage, days, cases in _stages_on_days(session, plan):
            counted[stage, days] = counted.get((stage, days), 0) + plan.days.sign * cases
    histograms: dict[int, list] = {}
    for (stage, days), cases in counted.items():
        if cases > 0:
            histograms.setdefault(stage, []).append((days, cases))
    return [SimpleNamespace(stage=stage, cases=sum(n for _, n in histogram),
                            median_days=quality.percentile(histogram, 0.5),
                            p90_days=quality.percentile(histogram, 0.9))
            for stage, histogram in sorted(histograms.items())]


def overdue_by_month(session: Session, caller: Caller, court: str, plan: quality.Counted,
                     a: quality.Analysis) -> list:
    """(dimension, value, month, nodes that became overdue in it) over the window, from
    quality_overdue: the same rows as repository.overdue_by_month. Kept per court only (a burst of
    overdue nodes updates a third of the rows a province and a region level would add): a
    province's window sums a few thousand rows per month."""
    table = _table(_OVERDUE, plan)
    overdue = table.c
    where = [scope.condition(caller, court=overdue.court, department=None, owner=None), *_day(table, plan),
             overdue.month.between(a.months[0], a.end.strftime("%Y-%m"))]
    if court != "-":
        where.append(overdue.court == court)
    where += [overdue[name] == value for name, value in plan.key_terms.items()]   # court, region
    rows = session.execute(
        select(overdue.dimension, overdue.value, overdue.month, count_of(func.sum(overdue.nodes)))
        .where(*where)
        .group_by(overdue.dimension, overdue.value, overdue.month).having(func.sum(overdue.nodes) > 0))
    order = list(quality.RECURRING_DIMENSIONS)
    return sorted(((d, v, m, n) for d, v, m, n in rows), key=lambda r: (order.index(r[0]), r[1], r[2]))
