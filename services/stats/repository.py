"""Queries of the stats service (select()-based, keyset pages)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, distinct, func, not_, or_, select, text, true, tuple_, union_all
from sqlalchemy.dialects.postgresql import distinct_on, insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import NodeState
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.common import scope
from services.common.clock import LEGAL_TZ, legal_date, start_of_legal_day
from services.common.names import CaseName, CourtName
from services.common.db import BulkInsert, Upsert, count_of, int_array, text_array
from services.common.paging import Page, page_of
from services.stats.models import (CaseViewRow, CubeCaseRow, CubeNodeRow, CubeSnapshotCaseRow, CubeSnapshotNodeRow,
                                   CubeSnapshotRow, NodeCountRow, NodeHistoryRow, NodeStateRow, NodeViewRow,
                                   QualitySnapshotRow)
from services.stats import cube, quality, quality_counts, supervision
from services.stats.projection import NODE_FIXED, NODE_STATUS

_STATES = NodeStateRow.__table__.fullname
READ_STATES = text(f"""SELECT node, cell, state, overdue_without_warning, generation FROM {_STATES}
                       WHERE node = ANY(CAST(:nodes AS text[])) ORDER BY node FOR UPDATE""")


def node_states_for_update(session: Session, nodes: list[str]) -> list:
    """The recorded state of each of these nodes that has one (node, cell, state,
    overdue_without_warning, generation), locked, in node order."""
    return list(session.execute(READ_STATES, {"nodes": text_array(nodes)}))


def node_departments(session: Session, nodes: list[str]) -> dict[str, tuple[str, tuple]]:
    """The department each of these nodes is in as the read model holds it now, with that row's
    order key (projection.order_key: generation, time, state, locked)."""
    if not nodes:
        return {}
    n = NodeViewRow
    return {r.node: (r.department, (r.generation, r.at, r.state, r.locked)) for r in session.execute(
        select(n.node, n.department, n.generation, n.at, n.state, n.locked).where(n.node.in_(nodes)))}


def node_counts_page(session: Session, *, caller: Caller, court: str, filters: dict, page: Page) -> list[NodeCountRow]:
    """One page of the counter cells the caller may see, in one court or ("-") all of theirs."""
    query = scope.scoped_select(NodeCountRow, caller, court, owner=None, equal=filters)
    return page_of(session, query, key=NodeCountRow.cell, page=page)


# The read model's rows go in as arrays (BulkInsert): a batch of 500 nodes rendered as VALUES
# cost the projection more client time than all of its SQL.
_KEEP_CASES = BulkInsert(CaseViewRow.__table__, upsert=Upsert(key=("case_id",), where="excluded.version > t.version"))
_KEEP_HISTORY = BulkInsert(NodeHistoryRow.__table__, skip_conflicts=True)
_HISTORY_COLUMNS = ("node", "extended", *NODE_STATUS)
# State numbers rank as counting.RANK does (running 1 … completed 4): the order key compares as a row.
_KEEP_NODES = BulkInsert(NodeViewRow.__table__, upsert=Upsert(
    key=("node",), columns=NODE_STATUS,
    where="(excluded.generation, excluded.at, excluded.state, excluded.locked) > (t.generation, t.at, t.state, t.locked)"))
_NODE_COLUMNS = ("node", *NODE_FIXED, *NODE_STATUS)


def keep_cases(session: Session, rows: list[dict]) -> None:
    """Write case snapshots (one per case), each only over an older one: a late or redelivered
    snapshot changes nothing."""
    if rows:
        _KEEP_CASES.execute(session, rows)


def keep_node_history(session: Session, rows: list[dict]) -> None:
    """Every status of every node, once: a redelivered event's row is already there."""
    if rows:
        _KEEP_HISTORY.execute(session, [{c: r[c] for c in _HISTORY_COLUMNS} for r in rows])


def keep_nodes(session: Session, rows: list[dict]) -> None:
    """Write nodes (one row per node: the latest of the batch), each status only over an older one."""
    if rows:
        _KEEP_NODES.execute(session, [{c: r[c] for c in _NODE_COLUMNS} for r in rows])


# ── the supervision query (supervision.py says what it means) ─────────────────────────────────

_C, _N, _H = CaseViewRow.__table__, NodeViewRow.__table__, NodeHistoryRow.__table__
_WARNING, _OVERDUE = NodeStatus.NODE_STATUS_WARNING, NodeStatus.NODE_STATUS_OVERDUE
_COMPLETED = NodeState.NODE_STATE_COMPLETED
# A node's statuses, the latest first (projection.order_key), and the columns that do not change.
_LATEST_FIRST = (_H.c.generation.desc(), _H.c.at.desc(), _H.c.state.desc(), _H.c.locked.desc())
_FIXED = ("node", "case_id", "stage", "category", "node_type", "display_name", "open_date")


# A past day's node statuses are found one of two ways (node_status, _keep_as_of_nodes): the nodes
# as they are now but those the history has a row of since the day's end, each looked up by its
# key (a few probes per changed node), or every node's last row before then from the sorted
# history (one pass over all the rows before the day). The first pays for what changed since, the
# second for what came before. At a million cases (23.8 million nodes, two years): a day just
# ended 47 s against 107 s, a day a year before 235 s against 57 s; they cost the same with about
# an eighth of the history after the day (some three months there). Days within RECENT take the first.
RECENT = timedelta(days=62)


def _recent(day: date, today: date) -> bool:
    return today - day <= RECENT


def node_status(as_of: date | None, prefix: str = "", *, today: date | None = None):
    """Each node's status: as it is now (as_of None), or the last one recorded before the end of
    as_of (Asia/Shanghai), with the node's fixed columns. ``prefix``: how the names of the nodes
    the question can reach begin (``courts/440101/`` for its court, ``courts/4401`` for a caller's
    region), so that a past day's question about one court reads that court's nodes — a range of
    the primary keys, which start with the node's name — not the province's.
    A past day within RECENT of ``today``: a node nothing happened to since is as it is now (its
    row is its latest history row); only the nodes the history has a row of since then are looked
    up in it, each its last row before then (_AS_OF_STATUS says why). An older day: every node's
    last history row before then.
    A past day's statuses are counted once for the whole statement (a MATERIALIZED CTE), for a
    statement that reads them all or twice (a summary; the `abnormal` term's second look at a
    case's nodes); left inline, the planner may recount them for every case — a basic court's P7
    month took 29–54 s at 100,000 cases that way, 0.9 s with them counted once. A page of a past
    day's list reads its nodes one at a time instead (_nodes_as_of)."""
    fixed = [_N.c[c] for c in _FIXED]
    if as_of is None:
        return select(*fixed, *[_N.c[c] for c in NODE_STATUS]).subquery("ns")
    cutoff = start_of_legal_day(supervision.cutoff_day(as_of))
    # Court ids are digits: nothing to escape in the patterns.
    if today is None or not _recent(as_of, today):
        history = and_(_H.c.at < cutoff, *([_H.c.node.like(f"{prefix}%")] if prefix else []))
        last = (select(_H).where(history).ext(distinct_on(_H.c.node)).order_by(_H.c.node, *_LATEST_FIRST)
                .subquery("last"))
        statuses = select(*fixed, *[last.c[c] for c in NODE_STATUS]).join_from(_N, last, last.c.node == _N.c.node)
        return statuses.cte("ns").prefix_with("MATERIALIZED")
    changed = (select(_H.c.node).where(_H.c.at >= cutoff, *([_H.c.node.like(f"{prefix}%")] if prefix else []))
               .distinct().cte("changed").prefix_with("MATERIALIZED"))
    unchanged = select(*fixed, *[_N.c[c] for c in NODE_STATUS]).where(
        ~select(changed.c.node).where(changed.c.node == _N.c.node).exists(),
        *([_N.c.node.like(f"{prefix}%")] if prefix else []))
    n = _N.alias("changed_nodes")
    last = (select(*[_H.c[c] for c in NODE_STATUS]).where(_H.c.node == n.c.node, _H.c.at < cutoff)
            .order_by(*_LATEST_FIRST).limit(1).lateral("last_status"))
    walked_back = (select(*[n.c[c] for c in _FIXED], *[last.c[c] for c in NODE_STATUS])
                   .select_from(changed.join(n, n.c.node == changed.c.node).join(last, true())))
    return union_all(unchanged, walked_back).cte("ns").prefix_with("MATERIALIZED")


def _nodes_as_of(as_of: date):
    """Nodes as they stood at the end of as_of, a node at a time: each one's last history row
    before then, found by the history's primary key (a LATERAL, LIMIT 1 a node) — for a page of a
    past day's list, which reads the nodes it looks at and stops when it is full, instead of every
    node's history in scope (node_status). Returns the nodes table's alias, the FROM clause, and
    ``ns``, whose ``c`` names the columns as node_status's do (for _node_condition)."""
    n = _N.alias("listed_nodes")
    last = (select(*[_H.c[c] for c in NODE_STATUS])
            .where(_H.c.node == n.c.node, _H.c.at < start_of_legal_day(supervision.cutoff_day(as_of)))
            .order_by(*_LATEST_FIRST).limit(1).lateral("last_status"))
    columns = select(*[n.c[c] for c in _FIXED], *[last.c[c] for c in NODE_STATUS]).selected_columns
    return n, n.join(last, true()), SimpleNamespace(c=columns)


def _ever_locked(n, terms: dict):
    """With a locked or unlocked term, only the nodes that have a lock on record: the node service
    keeps a node's lock (its dates) once it was locked, through an unlock or a withdrawal, so a node
    locked or unlocked on any past day has its lock date now (the partial index nodes_lock_record).
    Locks are few: a past day's lock lists read those nodes, not all."""
    return [n.c.lock_date.is_not(None)] if terms.get("locked") is True or terms.get("unlocked") is True else []


def _node_condition(ns, name: str, value):
    if name == "status":
        return ns.c.status == value
    if name == "open":
        return (ns.c.state != _COMPLETED) if value else (ns.c.state == _COMPLETED)
    if name == "unlocked":
        unlocked = and_(ns.c.ever_locked, not_(ns.c.locked))
        return unlocked if value else not_(unlocked)
    if name in ("locked", "overdue_without_warning"):
        return ns.c[name] if value else not_(ns.c[name])
    return ns.c[name] == value


def _abnormal(ns):
    return or_(ns.c.status.in_((_WARNING, _OVERDUE)), ns.c.locked)


def on_team(user: str):
    """The cases whose people `user` is one of (their judge assistant, clerk, a panel member):
    theirs within own scope, as the case service scopes them (the GIN index cases_team)."""
    return _C.c.team.contains([user])


class SupervisionSql:
    """The query's relations: its cases (scoped, selected by the case terms and the date range)
    joined with their nodes as of the day asked (selected by the node terms)."""

    def __init__(self, caller: Caller, court: str, q: supervision.Query, *, today: date, with_nodes: bool,
                 dated: bool = True) -> None:
        """``dated``: only cases whose date on the query's basis is set and on or before as_of (the
        supervision query); the quality analysis, whose indicators each pick their date, takes all."""
        self.q, self.as_of = q, q.as_of or today
        # The narrower of the two (the court is within the caller's scope: scope.require_court);
        # one condition, for the planner's estimate of the rows it reads.
        self.prefix = f"{CourtName(court)}/" if court != "-" else str(CourtName(caller.scope_prefix)) \
            if caller.scope_prefix else ""
        self.ns = node_status(q.as_of, self.prefix, today=today)
        basis = _C.c[q.basis_column]
        cases = [scope.condition(caller, court=_C.c.court, department=_C.c.department, owner=_C.c.handler,
                                 team=on_team)]
        if dated:
            cases += [basis.is_not(None), basis <= self.as_of]
        if court != "-":
            cases.append(_C.c.court == court)
        if q.as_of is not None:   # a past day: only the cases CourtFlow had by its end
            cases.append(_C.c.create_time < start_of_legal_day(supervision.cutoff_day(q.as_of)))
        if q.start:
            cases.append(basis >= q.start)
        if q.end:
            cases.append(basis <= q.end)
        for name, value in q.case_terms().items():
            if name == "month":
                cases.append(func.to_char(basis, "YYYY-MM") == value)
            elif name == "closed":
                closed = and_(_C.c.close_date.is_not(None), _C.c.close_date <= self.as_of)
                cases.append(closed if value else not_(closed))
            else:
                cases.append(_C.c[name] == value)
        self.case_conditions = cases
        self.node_conditions = [_node_condition(self.ns, k, v) for k, v in q.node_terms().items()]
        # Cases are counted with their nodes when the query speaks of nodes (node terms, node dimensions).
        self.with_nodes = with_nodes or bool(self.node_conditions) or "abnormal" in q.terms

    def dimension(self, d: int):
        ns, basis = self.ns, _C.c[self.q.basis_column]
        return {supervision.D.DIMENSION_REGION: _C.c.region, supervision.D.DIMENSION_COURT: _C.c.court,
                supervision.D.DIMENSION_DEPARTMENT: ns.c.department, supervision.D.DIMENSION_STAGE: ns.c.stage,
                supervision.D.DIMENSION_CATEGORY: ns.c.category, supervision.D.DIMENSION_NODE_TYPE: ns.c.node_type,
                supervision.D.DIMENSION_CASE_TYPE: _C.c.case_type, supervision.D.DIMENSION_PROCEDURE: _C.c.procedure,
                supervision.D.DIMENSION_HANDLER: _C.c.handler,
                supervision.D.DIMENSION_MONTH: func.to_char(basis, "YYYY-MM")}[d]

    def joined(self, *columns):
        """SELECT columns FROM the cases JOIN (or LEFT JOIN) their nodes, with every condition."""
        ns = self.ns
        join = _C.join(ns, and_(ns.c.case_id == _C.c.case_id, *self.node_conditions), isouter=not self.with_nodes)
        query = select(*columns).select_from(join).where(*self.case_conditions)
        abnormal = self.q.terms.get("abnormal")
        if abnormal is not None:
            # A case with (true) or without (false) an abnormal node among those selected.
            other = self.ns.alias("abnormal_nodes")
            has = select(other.c.node).where(other.c.case_id == _C.c.case_id,
                                             *[_node_condition(other, k, v) for k, v in self.q.node_terms().items()],
                                             _abnormal(other)).exists()
            query = query.where(has if abnormal else not_(has))
        return query

    def measures(self):
        ns, case = self.ns, _C.c.case_id
        closed = and_(_C.c.close_date.is_not(None), _C.c.close_date <= self.as_of)
        count_cases = lambda *where: func.count(distinct(case)).filter(*where) if where else func.count(distinct(case))  # noqa: E731
        count_nodes = lambda *where: func.count(ns.c.node).filter(*where) if where else func.count(ns.c.node)  # noqa: E731
        unlocked = and_(ns.c.ever_locked, not_(ns.c.locked))
        return [
            count_cases().label("cases_total"), count_cases(_abnormal(ns)).label("cases_abnormal"),
            count_cases(ns.c.status == _WARNING).label("cases_warning"),
            count_cases(ns.c.status == _OVERDUE).label("cases_overdue"),
            count_cases(ns.c.overdue_without_warning).label("cases_overdue_without_warning"),
            count_cases(ns.c.locked).label("cases_locked"), count_cases(unlocked).label("cases_unlocked"),
            count_cases(closed).label("cases_closed"),
            count_nodes().label("nodes_total"), count_nodes(ns.c.state != _COMPLETED).label("nodes_open"),
            count_nodes(ns.c.status == NodeStatus.NODE_STATUS_NORMAL).label("nodes_normal"),
            count_nodes(ns.c.status == _WARNING).label("nodes_warning"),
            count_nodes(ns.c.status == _OVERDUE).label("nodes_overdue"),
            count_nodes(ns.c.overdue_without_warning).label("nodes_overdue_without_warning"),
            count_nodes(ns.c.locked).label("nodes_locked"), count_nodes(unlocked).label("nodes_unlocked"),
        ]


def summarize(session: Session, sql: SupervisionSql, dimensions: list[int]) -> list:
    groups = [sql.dimension(d).label(f"g{i}") for i, d in enumerate(dimensions)]
    query = sql.joined(*groups, *sql.measures())
    if groups:
        query = query.group_by(*[g.element for g in groups]).order_by(*[g.element for g in groups])
    return list(session.execute(query))


def supervised_cases(session: Session, sql: SupervisionSql, page: Page) -> list:
    """One page of the query's cases (distinct), by case id, with their abnormal node counts."""
    if sql.q.as_of is not None:
        return _supervised_cases_as_of(session, sql, page)
    ns = sql.ns
    counted = sql.joined(_C.c.case_id,
                         func.count(ns.c.node).filter(ns.c.status == _WARNING).label("warning_nodes"),
                         func.count(ns.c.node).filter(ns.c.status == _OVERDUE).label("overdue_nodes"),
                         func.count(ns.c.node).filter(ns.c.locked).label("locked_nodes"))
    if page.after is not None:
        counted = counted.where(_C.c.case_id > page.after)
    counted = counted.group_by(_C.c.case_id).order_by(_C.c.case_id).limit(page.size + 1).subquery("page")
    return list(session.execute(select(_C, counted.c.warning_nodes, counted.c.overdue_nodes, counted.c.locked_nodes)
                                .join_from(_C, counted, counted.c.case_id == _C.c.case_id)
                                .order_by(_C.c.case_id)))


def _supervised_cases_as_of(session: Session, sql: SupervisionSql, page: Page) -> list:
    """supervised_cases for a past day: the cases in case id order, each one's nodes counted as
    they stood then (_nodes_as_of, a LATERAL per case), until the page is full. Counting every
    node's last status in scope first and then picking the page took 10–17 s at 100,000 cases
    (beyond the gateway's 15 s at a million); a page now costs the nodes of the cases it reads."""
    n, nodes, ns = _nodes_as_of(sql.q.as_of)
    terms = sql.q.node_terms()
    selected = [_node_condition(ns, k, v) for k, v in terms.items()]
    counted = (select(func.count().filter(*selected).label("matched") if selected else func.count().label("matched"),
                      func.count().filter(*selected, ns.c.status == _WARNING).label("warning_nodes"),
                      func.count().filter(*selected, ns.c.status == _OVERDUE).label("overdue_nodes"),
                      func.count().filter(*selected, ns.c.locked).label("locked_nodes"),
                      func.bool_or(and_(*selected, _abnormal(ns))).label("abnormal"))
               .select_from(nodes).where(n.c.case_id == _C.c.case_id, *_ever_locked(n, terms)).lateral("counted"))
    query = (select(_C, counted.c.warning_nodes, counted.c.overdue_nodes, counted.c.locked_nodes)
             .join_from(_C, counted, true()).where(*sql.case_conditions))
    # As supervised_cases: with node terms (or `abnormal`), only the cases with a node selected.
    if sql.with_nodes:
        query = query.where(counted.c.matched > 0)
    if ever_locked := _ever_locked(_N, terms):   # the cases with such a node, then only those nodes
        query = query.where(select(_N.c.node).where(_N.c.case_id == _C.c.case_id, *ever_locked).exists())
    abnormal = sql.q.terms.get("abnormal")
    if abnormal is not None:
        query = query.where(counted.c.abnormal.is_(True) if abnormal else not_(func.coalesce(counted.c.abnormal, False)))
    if page.after is not None:
        query = query.where(_C.c.case_id > page.after)
    return list(session.execute(query.order_by(_C.c.case_id).limit(page.size + 1)))


def supervised_nodes(session: Session, sql: SupervisionSql, page: Page) -> list:
    """One page of the query's nodes (a SupervisionSql made with_nodes), by node name, with their case."""
    case_columns = [_C.c[c].label(f"case_{c}") for c in _C.c.keys()]
    if sql.q.as_of is not None and "abnormal" not in sql.q.terms:
        # A past day's page: the nodes in name order, each put as it stood then, until it is full.
        n, nodes, ns = _nodes_as_of(sql.q.as_of)
        terms = sql.q.node_terms()
        query = (select(*ns.c, *case_columns).select_from(nodes.join(_C, _C.c.case_id == n.c.case_id))
                 .where(*sql.case_conditions, *[_node_condition(ns, k, v) for k, v in terms.items()],
                        *_ever_locked(n, terms)))
        if sql.prefix:   # the caller's or the court's nodes: a range of the names (court ids are digits)
            query = query.where(n.c.node.like(f"{sql.prefix}%"))
        key = n.c.node
    else:
        ns = sql.ns
        query = sql.joined(ns, *case_columns)
        key = ns.c.node
    if page.after is not None:
        query = query.where(key > page.after)
    return list(session.execute(query.order_by(key).limit(page.size + 1)))


# ── Q2 质效分析 (quality.py says what each figure means) ─────────────────────────────────────────

def quality_sql(caller: Caller, court: str, a: quality.Analysis, *, today: date) -> SupervisionSql:
    """The analysis's cases (scope, case terms; registered by the end of the period when it is
    past) and their nodes as they stood at the end of the period."""
    period = supervision.Query(terms=a.query.terms, as_of=a.end if a.end < today else None)
    return SupervisionSql(caller, court, period, today=today, with_nodes=False, dated=False)


def quality_indicators(session: Session, sql: SupervisionSql, a: quality.Analysis, dimensions: list[int]
                       ) -> tuple[list, object]:
    """The indicators' counts per group of `dimensions`, and over all the groups, in one pass."""
    ns = sql.ns
    cutoff = start_of_legal_day(supervision.cutoff_day(a.end))
    # A case is bound by the trial limits it had then that were not withdrawn (a corrected case
    # attribute: the limit does not apply, e.g. a foreign-related case, 民事诉讼法第二百八十七条).
    limits = (select(ns.c.case_id, func.bool_or(ns.c.status == _OVERDUE).label("overdue"),
                     func.bool_or(select(_H.c.node).where(_H.c.node == ns.c.node, _H.c.extended, _H.c.at < cutoff)
                                  .exists()).label("extended"))
              .where(ns.c.category == quality.TRIAL_LIMIT_CATEGORY, not_(ns.c.withdrawn))
              .group_by(ns.c.case_id).subquery("limits"))
    extended = limits.c.extended
    received = _C.c.receive_date.between(a.start, a.end)
    closed = _C.c.close_date.between(a.start, a.end)
    with_limit = and_(closed, limits.c.case_id.is_not(None))
    filed = and_(_C.c.filing_date.is_not(None), _C.c.filing_date <= a.end)
    still_open = and_(filed, or_(_C.c.close_date.is_(None), _C.c.close_date > a.end))
    groups = [sql.dimension(d) if d != supervision.D.DIMENSION_DEPARTMENT else _C.c.department
              for d in dimensions]
    labelled = [g.label(f"g{i}") for i, g in enumerate(groups)]
    query = (select(*labelled,
                    func.count().filter(received).label("received"),
                    func.count().filter(closed).label("closed"),
                    func.count().filter(with_limit).label("closed_with_limit"),
                    func.count().filter(with_limit, not_(limits.c.overdue)).label("closed_within_limit"),
                    func.avg(_C.c.close_date - _C.c.filing_date).filter(closed, _C.c.filing_date.is_not(None))
                    .label("average_trial_days"),
                    func.count().filter(still_open).label("open"),
                    func.count().filter(still_open, _C.c.filing_date < quality.twelve_months_before(a.end))
                    .label("open_over_12_months"),
                    func.count().filter(with_limit, extended).label("extended"))
             .select_from(_C.outerjoin(limits, limits.c.case_id == _C.c.case_id))
             .where(*sql.case_conditions))
    if not groups:
        return [], session.execute(query).one()
    query = query.add_columns(func.grouping(*groups).label("totals"))
    rows = list(session.execute(query.group_by(func.grouping_sets(tuple_(*groups), tuple_())).order_by(*groups)))
    return [r for r in rows if not r.totals], next(r for r in rows if r.totals)


def stage_durations(session: Session, sql: SupervisionSql, a: quality.Analysis) -> list:
    ns = sql.ns
    per_case = (select(ns.c.stage, (func.max(ns.c.complete_date) - func.min(ns.c.open_date)).label("days"))
                .select_from(_C.join(ns, ns.c.case_id == _C.c.case_id))
                .where(*sql.case_conditions, not_(ns.c.withdrawn))   # a withdrawal is no work done
                .group_by(ns.c.case_id, ns.c.stage)
                .having(func.bool_and(ns.c.state == _COMPLETED),
                        func.max(ns.c.complete_date).between(a.start, a.end),
                        func.min(ns.c.open_date).is_not(None))
                .subquery("stages"))
    return list(session.execute(
        select(per_case.c.stage, func.count().label("cases"),
               func.percentile_cont(0.5).within_group(per_case.c.days).label("median_days"),
               func.percentile_cont(0.9).within_group(per_case.c.days).label("p90_days"))
        .group_by(per_case.c.stage).order_by(per_case.c.stage)))


def overdue_by_month(session: Session, sql: SupervisionSql, a: quality.Analysis, dimensions) -> list:
    """(dimension, value, month, nodes that became overdue in that month) over the window, for each
    of `dimensions` in one pass: a node counts in the month of the first time it was overdue in
    each clock generation — not again in a later month of the window when, still overdue, it was
    locked or escalated (a status of the window with none of its generation overdue before it)."""
    window = start_of_legal_day(date.fromisoformat(f"{a.months[0]}-01"))
    earlier = _H.alias("earlier")
    first = (select(_H.c.node, _H.c.generation, func.min(_H.c.at).label("at"))
             .where(_H.c.state == NodeState.NODE_STATE_OVERDUE, _H.c.at >= window,
                    _H.c.at < start_of_legal_day(supervision.cutoff_day(a.end)))
             .group_by(_H.c.node, _H.c.generation)
             .having(~select(earlier.c.node).where(earlier.c.node == _H.c.node, earlier.c.generation == _H.c.generation,
                                                   earlier.c.state == NodeState.NODE_STATE_OVERDUE,
                                                   earlier.c.at < window).exists())
             .subquery("first_overdue"))
    columns = {supervision.D.DIMENSION_NODE_TYPE: _N.c.node_type, supervision.D.DIMENSION_COURT: _N.c.court,
               supervision.D.DIMENSION_DEPARTMENT: _N.c.department}
    values = [columns[d] for d in dimensions]
    month = func.to_char(func.timezone(LEGAL_TZ.key, first.c.at), "YYYY-MM")
    rows = session.execute(
        select(*values, month.label("month"), func.count().label("overdue"), func.grouping(*values).label("set"))
        .select_from(first.join(_N, _N.c.node == first.c.node).join(_C, _C.c.case_id == _N.c.case_id))
        .where(*sql.case_conditions)
        .group_by(func.grouping_sets(*[tuple_(v, month) for v in values])))
    # grouping() has a bit per value column, the first the highest, set where the row sums over it.
    out = []
    for row in rows:
        i = next(i for i in range(len(values)) if not row.set >> (len(values) - 1 - i) & 1)
        out.append((dimensions[i], row[i], row.month, row.overdue))
    return sorted(out, key=lambda r: (dimensions.index(r[0]), r[1], r[2]))


def read_model_in_scope(session: Session, caller: Caller, court: str, *, names: set[str] | None = None
                        ) -> tuple[dict, dict]:
    """The read model's cases and nodes the caller may see (as their services scope them: a case
    by its handler or its team, a node by its responsible person), as dicts by name; only `names`
    if given."""
    cases_query = scope.scoped_select(CaseViewRow, caller, court, owner="handler", team=on_team)
    nodes_query = scope.scoped_select(NodeViewRow, caller, court, owner="responsible")
    if names is not None:
        ids = [CaseName.parse(n).case_id for n in names if "/nodes/" not in n]
        cases_query = cases_query.where(CaseViewRow.case_id.in_(ids))
        nodes_query = nodes_query.where(NodeViewRow.node.in_([n for n in names if "/nodes/" in n]))
    cases = {str(CaseName(r.court, r.case_id)): {c: getattr(r, c) for c in r.__table__.columns.keys()}
             for r in session.scalars(cases_query)}
    nodes = {r.node: {c: getattr(r, c) for c in r.__table__.columns.keys()} for r in session.scalars(nodes_query)}
    return cases, nodes


# ── the cube (cube.py says what it counts) ───────────────────────────────────────────────────────

_CUBE_CASES, _CUBE_NODES = CubeCaseRow.__table__, CubeNodeRow.__table__
_KEY = ("rollup", "bases", "court", "month", "closed", "case_type", "procedure", "department", "stage")
_KEPT_SQL = {"month": "month", "closed": "closed", "case_type": "case_type", "procedure": "procedure",
             "department": "department", "stage": "stage"}


def _any(column: str) -> str:
    value = cube.ANY[column]
    return f"'{value}'" if isinstance(value, str) else f"CAST({value} AS smallint)"


def _contributions(cases_where: str, nodes_where: str, *, cases_from: str = _C.fullname,
                   nodes_from: str = _N.fullname, rollups=cube.LIVE_ROLLUPS, touched: bool = False
                   ) -> tuple[str, str]:
    """SELECTs of what the cases `cases_where` selects add to the cube's `rollups`: (case rows,
    node rows), each as key columns, region, then mask, cases, closed_cases / node_class, nodes.
    ``cases_from``, ``nodes_from``: the relations the cases and nodes are read from (the read
    model as it is; _AS_OF_CASES and _AS_OF_NODES for a past day).

    The nodes are first summed per case, partition and class, and a case's dates spread over the
    months they fall in, so that each rollup joins a few rows per case instead of every node four
    times.

    ``touched``: only the partitions (department, stage) the array parameters :t_case, :t_department,
    :t_stage name, with the whole case — for a batch of node changes, whose cases' other partitions
    add the same before and after, so that taking out and putting back would cancel anyway."""
    node_class = cube.CLASS_SQL.format(status="status", without_warning="overdue_without_warning",
                                       state="state", locked="locked", ever_locked="ever_locked")
    ctes = [f"""classes AS MATERIALIZED (
            SELECT case_id, department, stage, ({node_class})::smallint AS node_class, count(*) AS nodes
            FROM {nodes_from} AS n WHERE {nodes_where} GROUP BY 1, 2, 3, 4)""",
            f"""dated AS MATERIALIZED (
            SELECT c.case_id, c.court, c.region, b.basis, to_char(b.day, 'YYYY-MM') AS month,
                   CAST((c.close_date IS NOT NULL) AS int)::smallint AS closed, c.case_type, c.procedure
            FROM {cases_from} AS c
            CROSS JOIN LATERAL (VALUES (CAST(1 AS smallint), c.receive_date), (CAST(2 AS smallint), c.filing_date),
                                       (CAST(3 AS smallint), c.close_date), (CAST(4 AS smallint), c.archive_date))
                 AS b(basis, day)
            WHERE b.day IS NOT NULL AND {cases_where})""",
            # A rollup with the month counts a case once per month it has a date in, under the
            # bases whose date falls in it (收案 and 立案 mostly in one month: one row, not two).
            """monthly AS MATERIALIZED (
            SELECT case_id, court, region, month, closed, case_type, procedure,
                   CAST(bit_or(1 << basis) AS smallint) AS bases
            FROM dated GROUP BY case_id, court, region, month, closed, case_type, procedure)""",
            # A rollup without the month counts a case once, under every basis it has a date on.
            """undated AS MATERIALIZED (
            SELECT case_id, court, region, '' AS month, closed, case_type, procedure,
                   CAST(bit_or(1 << basis) AS smallint) AS bases
            FROM dated GROUP BY case_id, court, region, closed, case_type, procedure)"""]
    # Per case, for each way of partitioning it (none, department, stage, both): its classes with
    # their node counts, and the mask of its classes.
    if touched:
        ctes.append("""touched AS MATERIALIZED (
            SELECT DISTINCT * FROM unnest(CAST(:t_case AS uuid[]), CAST(:t_department AS text[]),
                                          CAST(:t_stage AS smallint[])) AS t(case_id, department, stage))""")
    for parts in ((), ("department",), ("stage",), ("department", "stage")):
        name = "_".join(parts) or "whole"
        columns = ", ".join(("case_id", *parts))
        where = f"WHERE ({columns}) IN (SELECT {columns} FROM touched)" if touched and parts else ""
        ctes.append(f"""classes_{name} AS MATERIALIZED (
            SELECT {columns}, node_class, sum(nodes) AS nodes FROM classes {where}
            GROUP BY {columns}, node_class)""")
        ctes.append(f"""masks_{name} AS MATERIALIZED (
            SELECT {columns}, bit_or(CAST(1 AS bigint) << node_class) AS mask FROM classes_{name}
            GROUP BY {columns})""")
    case_parts, node_parts = [], []
    for rollup, kept in cube.ROLLUPS.items():
        if rollup not in rollups:
            continue
        parts = sorted(kept & cube.PARTITIONS, key=("department", "stage").index)
        name = "_".join(parts) or "whole"
        columns = ", ".join(f"{'p.' if c in cube.PARTITIONS else 'd.'}{c}" if c in kept else f"{_any(c)} AS {c}"
                            for c in _KEPT_SQL)
        join = "JOIN" if parts else "LEFT JOIN"
        dates, bases = ("monthly" if "month" in kept else "undated"), "d.bases"
        case_parts.append(f"""SELECT CAST({rollup} AS smallint) AS rollup, {bases} AS bases, d.court, {columns},
                   d.region, COALESCE(p.mask, 0) AS mask, d.closed AS is_closed
            FROM {dates} AS d {join} masks_{name} AS p ON p.case_id = d.case_id""")
        grouped = ", ".join(["d.court", "d.region", bases,
                             *[f"{'p.' if c in cube.PARTITIONS else 'd.'}{c}" for c in sorted(kept)]])
        node_parts.append(f"""SELECT CAST({rollup} AS smallint) AS rollup, {bases} AS bases, d.court, {columns},
                   d.region, p.node_class, sum(p.nodes) AS nodes
            FROM {dates} AS d JOIN classes_{name} AS p ON p.case_id = d.case_id GROUP BY {grouped}, p.node_class""")
    key = ", ".join(_KEY)
    with_ = "WITH " + ",\n".join(ctes)
    cases = f"""{with_}
        SELECT {key}, region, mask, count(*) AS cases, count(*) FILTER (WHERE is_closed = 1) AS closed_cases
        FROM ({" UNION ALL ".join(case_parts)}) AS per_case GROUP BY {key}, region, mask"""
    nodes = f"{with_}\n" + " UNION ALL ".join(node_parts)
    return cases, nodes


_CASES = "c.case_id = ANY(CAST(:ids AS uuid[]))"
_CASE_CONTRIBUTIONS, _NODE_CONTRIBUTIONS = _contributions(_CASES, "case_id = ANY(CAST(:ids AS uuid[]))")
_TOUCHED_CASE_CONTRIBUTIONS = _contributions(_CASES, "case_id = ANY(CAST(:ids AS uuid[]))", touched=True)[0]
# A node counts in the node cube by itself: what a batch of node changes moves there is what those
# nodes added before and add after. (A case's mask needs all its nodes.)
_CHANGED_NODE_CONTRIBUTIONS = _contributions(_CASES, "node = ANY(CAST(:nodes AS text[]))")[1]
_DELTA_TABLES = text(f"""
    CREATE TEMP TABLE IF NOT EXISTS cube_case_delta (LIKE {_CUBE_CASES.fullname}) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS cube_node_delta (LIKE {_CUBE_NODES.fullname}) ON COMMIT DELETE ROWS""")
_KEEP_CASE_DELTA = "INSERT INTO cube_case_delta ({key}, region, mask, cases, closed_cases) " \
                   "SELECT {key}, region, mask, {sign} cases, {sign} closed_cases FROM ({select}) AS x"
_KEEP_NODE_DELTA = "INSERT INTO cube_node_delta ({key}, region, node_class, nodes) " \
                   "SELECT {key}, region, node_class, {sign} nodes FROM ({select}) AS x"
_CASE_DELTAS = {touched: [text(_KEEP_CASE_DELTA.format(key=", ".join(_KEY), sign=sign, select=select))
                          for sign in ("-", "")]
                for touched, select in ((False, _CASE_CONTRIBUTIONS), (True, _TOUCHED_CASE_CONTRIBUTIONS))}
# The partitions a batch of node changes touches: each changed node's department and stage as
# stored before the change (and, passed in, after it).
_PARTS_BEFORE = text(f"SELECT node, case_id, department, stage, state FROM {_N.fullname} "
                     f"WHERE node = ANY(CAST(:nodes AS text[]))")
_NODE_DELTAS = {changed: [text(_KEEP_NODE_DELTA.format(key=", ".join(_KEY), sign=sign, select=select))
                          for sign in ("-", "")]
                for changed, select in ((False, _NODE_CONTRIBUTIONS), (True, _CHANGED_NODE_CONTRIBUTIONS))}
_APPLY = [text(sql) for sql in f"""
    INSERT INTO {_CUBE_CASES.fullname} AS t ({", ".join(_KEY)}, region, mask, cases, closed_cases)
    SELECT {", ".join(_KEY)}, min(region), mask, sum(cases), sum(closed_cases) FROM cube_case_delta
    GROUP BY {", ".join(_KEY)}, mask HAVING sum(cases) <> 0 OR sum(closed_cases) <> 0
    ORDER BY {", ".join(_KEY)}, mask
    ON CONFLICT ({", ".join(_KEY)}, mask) DO UPDATE
        SET cases = t.cases + excluded.cases, closed_cases = t.closed_cases + excluded.closed_cases;
    INSERT INTO {_CUBE_NODES.fullname} AS t ({", ".join(_KEY)}, region, node_class, nodes)
    SELECT {", ".join(_KEY)}, min(region), node_class, sum(nodes) FROM cube_node_delta
    GROUP BY {", ".join(_KEY)}, node_class HAVING sum(nodes) <> 0
    ORDER BY {", ".join(_KEY)}, node_class
    ON CONFLICT ({", ".join(_KEY)}, node_class) DO UPDATE SET nodes = t.nodes + excluded.nodes;
    DELETE FROM cube_case_delta;
    DELETE FROM cube_node_delta""".split(";")]
# One lock per case while its contribution is taken out and put back, so that two batches (the
# case consumer's and the node consumer's, or two replicas) never count one case from states
# neither of them sees whole. Taken in one order: no deadlock.
_LOCK_CASES = text("SELECT pg_advisory_xact_lock(7001, hashtext(id)) FROM unnest(CAST(:ids AS text[])) AS id "
                   "ORDER BY hashtext(id)")


@contextmanager
def cube_follows(session: Session, case_ids, *, nodes=None, parts=()) -> Iterator[None]:
    """Inside: change these cases and their nodes in the read model (only the nodes `nodes`, if
    given — name → their new rows — which take the (case id, department, stage) `parts`, and
    their history); the cube and Q2's pre-counted tables (quality_counts.py) follow — what they
    added before is taken out and what they add afterwards put in, in this transaction."""
    ids = sorted({str(i) for i in case_ids})
    if not ids:
        yield
        return
    params = {"ids": text_array(ids), "nodes": text_array(sorted(nodes or ())),
              "limit_category": quality.TRIAL_LIMIT_CATEGORY}
    node_deltas = _NODE_DELTAS[nodes is not None]
    case_deltas = _CASE_DELTAS[nodes is not None]
    session.execute(_LOCK_CASES, params)
    quality_deltas = quality_counts.DELTAS["cases" if nodes is None else "nodes"].values()
    if nodes is not None:
        stored = list(session.execute(_PARTS_BEFORE, params))
        touched = sorted({(str(c), d, s) for c, d, s in (*parts, *((r.case_id, r.department, r.stage)
                                                                  for r in stored))})
        params.update(t_case=text_array([t[0] for t in touched]), t_department=text_array([t[1] for t in touched]),
                      t_stage=int_array([t[2] for t in touched]))
        params = quality_counts.parameters(params, nodes, stored)
    session.execute(_DELTA_TABLES)
    session.execute(quality_counts.DELTA_TABLES)
    for statement in (case_deltas[0], node_deltas[0], *(taken_out for taken_out, _ in quality_deltas)):
        session.execute(statement, params)
    yield
    for statement in (case_deltas[1], node_deltas[1], *(put_in for _, put_in in quality_deltas)):
        session.execute(statement, params)
    for statement in (*_APPLY, *quality_counts.APPLY):
        session.execute(statement)


# Rows whose counts fell to zero stay where the projection left them — removing them in its
# transactions cost an index on the counts, which made every update of a count a non-HOT update
# (half the projection's time) — and are removed now and then (prune_cube). Zero rows count
# nothing; the summary leaves out groups without cases.
# A row a batch of the projection holds is skipped, not waited for: the batch locks its rows in
# key order, the delete would in the table's, and the two could deadlock.
_PRUNE = [text(f"""DELETE FROM {table} WHERE ctid = ANY(ARRAY(
                   SELECT ctid FROM {table} WHERE {empty} FOR UPDATE SKIP LOCKED))""")
          for table, empty in ((_CUBE_CASES.fullname, "cases = 0 AND closed_cases = 0"),
                               (_CUBE_NODES.fullname, "nodes = 0"))]


def prune_cube(session: Session) -> int:
    """Remove the cube's rows that count nothing (a row a concurrent batch holds is left for the
    next time). How many."""
    return sum(session.execute(statement).rowcount for statement in _PRUNE)


def rebuild_cube(connection) -> None:
    """The cube counted again from the whole read model (migration; `courtflow verify` compares)."""
    cases, nodes = _contributions("true", "true")
    connection.execute(text(f"TRUNCATE {_CUBE_CASES.fullname}, {_CUBE_NODES.fullname}"))
    connection.execute(text(f"INSERT INTO {_CUBE_CASES.fullname} ({', '.join(_KEY)}, region, mask, cases, "
                            f"closed_cases) SELECT {', '.join(_KEY)}, region, mask, cases, closed_cases FROM ({cases}) AS x"))
    connection.execute(text(f"INSERT INTO {_CUBE_NODES.fullname} ({', '.join(_KEY)}, region, node_class, nodes) "
                            f"SELECT {', '.join(_KEY)}, region, node_class, nodes FROM ({nodes}) AS x"))


# A past day's cases and nodes for the cube's count (the direct query's as-of rule, supervision.py):
# the cases CourtFlow had by the end of :day, each date only when it is on or before :day (a case
# closed later was open then), and each node's last status recorded before :cutoff.
_AS_OF_CASES = f"""(SELECT case_id, court, region, department, case_type, procedure,
        {", ".join(f"CASE WHEN {d} <= :day THEN {d} END AS {d}" for d in ("receive_date", "filing_date",
                                                                         "close_date", "archive_date"))}
    FROM {_C.fullname} WHERE create_time < :cutoff)"""
# Counted once per snapshot into a temporary table, which the cube's count and Q2's read.
_AS_OF_NODES = "snapshot_nodes"
_AS_OF_COLUMNS = ("department", "status", "overdue_without_warning", "state", "locked", "ever_locked", "withdrawn",
                  "complete_date")
# Nodes' last status before :cutoff from the sorted history ({nodes}: which; all of them for a day
# older than RECENT).
_LAST_STATUS = f"""SELECT DISTINCT ON (h.node) h.node, n.case_id, n.stage, n.category, n.open_date,
           {", ".join(f"h.{c}" for c in _AS_OF_COLUMNS)}
    FROM {_H.fullname} AS h JOIN {_N.fullname} AS n ON n.node = h.node
    WHERE h.at < :cutoff{{nodes}}
    ORDER BY h.node, h.generation DESC, h.at DESC, h.state DESC, h.locked DESC"""
# Every node's last status before :cutoff. A node's row is its latest history row (keep_nodes writes
# the two together, the row only over an older status, in the history's order), so a node the
# history has no row of from :cutoff on is as it is now; only the others are looked up in the
# history, by its primary key, each its last row before :cutoff (none: it did not exist yet). The
# nodes changed since are found by the history's BRIN index on its times: for a day just ended a
# few hours' changes, not the sort of the whole history (RECENT: when each way is the cheaper).
_AS_OF_STATUS = f"""WITH changed AS MATERIALIZED (SELECT DISTINCT node FROM {_H.fullname} WHERE at >= :cutoff)
    SELECT n.node, n.case_id, n.stage, n.category, n.open_date, {", ".join(f"n.{c}" for c in _AS_OF_COLUMNS)}
    FROM {_N.fullname} AS n WHERE NOT EXISTS (SELECT 1 FROM changed AS c WHERE c.node = n.node)
    UNION ALL
    SELECT n.node, n.case_id, n.stage, n.category, n.open_date, {", ".join(f"h.{c}" for c in _AS_OF_COLUMNS)}
    FROM changed AS c JOIN {_N.fullname} AS n ON n.node = c.node
    CROSS JOIN LATERAL (SELECT * FROM {_H.fullname} AS h WHERE h.node = n.node AND h.at < :cutoff
                        ORDER BY h.generation DESC, h.at DESC, h.state DESC, h.locked DESC LIMIT 1) AS h"""
_KEEP_AS_OF_NODES = {recent: text(f"CREATE TEMP TABLE {_AS_OF_NODES} ON COMMIT DROP AS {sql}")
                     for recent, sql in ((True, _AS_OF_STATUS), (False, _LAST_STATUS.format(nodes="")))}


def _keep_as_of_nodes(session: Session, day: date, *, taken_at, params: dict) -> None:
    """Every node's last status before the end of `day` into a temporary table (node_status says
    which of the two ways, by how long ago the day was)."""
    session.execute(_KEEP_AS_OF_NODES[_recent(day, legal_date(taken_at))], params)
    session.execute(text(f"ANALYZE {_AS_OF_NODES}"))


_SNAPSHOT_CASES, _SNAPSHOT_NODES = CubeSnapshotCaseRow.__table__, CubeSnapshotNodeRow.__table__


def snapshot_days(session: Session) -> set[date]:
    """The days whose cube snapshot is kept."""
    return set(session.scalars(select(CubeSnapshotRow.day)))


def snapshot_rollups(session: Session, *, deltas: bool = False) -> dict[date, frozenset[int]]:
    """The days whose cube snapshot is kept whole (``deltas``: kept as deltas), with the rollups
    each holds (cube.plan)."""
    return snapshot_registry(session)[deltas]


def snapshot_registry(session: Session) -> dict[bool, dict[date, frozenset[int]]]:
    """The registry in one read: {False: the days kept whole, True: those kept as deltas}, each
    with the rollups it holds."""
    kept = {False: {}, True: {}}
    for day, rollups, delta in session.execute(
            select(CubeSnapshotRow.day, CubeSnapshotRow.rollups, CubeSnapshotRow.delta)):
        kept[delta][day] = frozenset(rollups)
    return kept


def complete_snapshot_days(session: Session, *, today: date, days: int, months: int) -> set[date]:
    """The days whose snapshots are all kept: the cube's, and Q2's where it takes one
    (quality.snapshot_wanted)."""
    kept = quality_counts.snapshot_days(session)
    return {day for day in snapshot_days(session)
            if day in kept or not quality.snapshot_wanted(day, today, days=days, months=months)}


def age_snapshots(session: Session, *, today: date, days: int, months: int, chain: int = cube.LONGEST_CHAIN
                  ) -> tuple[list[date], list[date]]:
    """The whole snapshots no longer kept (cube.snapshot_kept: a day older than the last `days`
    that does not end chains of `chain` deltas, a month end older than the last `months`) become
    deltas or are dropped (cube.snapshots_aging), and so are deltas whose chain no longer reaches a
    whole snapshot; Q2's are aged alike (_age_quality_snapshots). The cube's days turned
    into deltas, and those dropped.

    The registry's rows are locked first: a second replica's housekeeping waits, then finds the
    days turned (a delta taken again from a delta would be wrong)."""
    registry = CubeSnapshotRow.__table__
    kept = session.execute(select(registry.c.day, registry.c.rollups, registry.c.delta)
                           .order_by(registry.c.day).with_for_update()).all()
    whole = {day: frozenset(rollups) for day, rollups, delta in kept if not delta}
    deltas = {day for day, _, delta in kept if delta}
    turned, dropped = cube.snapshots_aging(whole, today, days=days, months=months, chain=chain)
    for day in turned:   # oldest first: the next day's rows are still whole
        _to_delta(session, day, rollups=whole[day])
    whole_now, deltas_now = set(whole) - set(turned) - set(dropped), deltas | set(turned)
    dropped += sorted(d for d in deltas_now if cube.chain_days(d, whole_now, deltas_now) is None)
    if dropped:
        for table in (_SNAPSHOT_CASES, _SNAPSHOT_NODES, CubeSnapshotRow.__table__):
            session.execute(table.delete().where(table.c.day.in_(dropped)))
    _age_quality_snapshots(session, today=today, days=days, months=months, chain=chain)
    return turned, sorted(dropped)


_DELTA = "snapshot_delta"


def _delta_statements(table: str, key: tuple[str, ...], counts: tuple[str, ...], *, regional: bool,
                      among: str = "true") -> list:
    """Statements that keep :day's rows of the snapshot table `table` as their difference from the
    rows of the days :next summed by key (a chain: summed, they are the next day's; of them, those
    `among` selects), where they differ: the day kept as a delta (cube.snapshots_aging). A region
    kept beside the key is taken from either side."""
    keys = ", ".join(key)
    region, summed_region = ((", coalesce(a.region, b.region) AS region", ", min(region) AS region")
                             if regional else ("", ""))
    columns = f"{keys}{', region' if regional else ''}, {', '.join(counts)}"
    return [text(sql) for sql in f"""
        CREATE TEMP TABLE {_DELTA} ON COMMIT DROP AS
        SELECT {keys}{region}, {", ".join(f"coalesce(a.{c}, 0) - coalesce(b.{c}, 0) AS {c}" for c in counts)}
        FROM (SELECT * FROM {table} WHERE day = :day) AS a
        FULL JOIN (SELECT {keys}{summed_region}, {", ".join(f"sum({c}) AS {c}" for c in counts)} FROM {table}
                   WHERE day = ANY(CAST(:next AS date[])) AND {among} GROUP BY {keys}) AS b USING ({keys})
        WHERE {" OR ".join(f"coalesce(a.{c}, 0) <> coalesce(b.{c}, 0)" for c in counts)};
        DELETE FROM {table} WHERE day = :day;
        INSERT INTO {table} (day, {columns}) SELECT :day, {columns} FROM {_DELTA};
        DROP TABLE {_DELTA}""".split(";")]


# The cube's: of the next days' rows, those of the day's rollups.
_TO_DELTA = [statement for table, key, counts in (
    (_SNAPSHOT_CASES.fullname, (*_KEY, "mask"), ("cases", "closed_cases")),
    (_SNAPSHOT_NODES.fullname, (*_KEY, "node_class"), ("nodes",)))
    for statement in _delta_statements(table, key, counts, regional=True,
                                       among="rollup = ANY(CAST(:rollups AS smallint[]))")]
# Q2's four tables (quality_counts.TABLES: key, counts, whether a region is kept beside).
_QUALITY_TO_DELTA = [statement for live, snapshot in quality_counts.SNAPSHOTS.items()
                     for key, counts, regional in [quality_counts.TABLES[live.fullname]]
                     for statement in _delta_statements(snapshot.fullname, key, counts, regional=regional)]


def _to_delta(session: Session, day: date, *, rollups: frozenset[int], chain: tuple[date, ...] = ()) -> None:
    """Keep `day`'s snapshot as its difference from the next day's: whole, or the days of its
    `chain` summed."""
    params = {"day": day, "next": text_array(chain or (day + timedelta(days=1),)),
              "rollups": int_array(sorted(rollups))}
    session.execute(text("SET LOCAL statement_timeout = 0"))   # seconds for a province; in the background
    for statement in _TO_DELTA:
        session.execute(statement, params)
    session.execute(CubeSnapshotRow.__table__.update().where(CubeSnapshotRow.day == day).values(delta=True))


def _age_quality_snapshots(session: Session, *, today: date, days: int, months: int, chain: int) -> None:
    """Q2's snapshots aged as the cube's are (cube.snapshots_aging: whole on the days the cube
    keeps whole, else each a delta from the next day's, or dropped), and the deltas whose chain no
    longer reaches a whole snapshot dropped, the registry's rows locked first (as age_snapshots)."""
    registry = QualitySnapshotRow.__table__
    kept = session.execute(select(registry.c.day, registry.c.delta).order_by(registry.c.day)
                           .with_for_update()).all()
    whole = {day for day, delta in kept if not delta}
    deltas = {day for day, delta in kept if delta}
    turned, dropped = cube.snapshots_aging(whole, today, days=days, months=months, chain=chain)
    session.execute(text("SET LOCAL statement_timeout = 0"))   # in the background
    for day in turned:   # oldest first: the next day's rows are still whole
        following = cube.chain_days(day + timedelta(days=1), whole, deltas)
        for statement in _QUALITY_TO_DELTA:
            session.execute(statement, {"day": day, "next": text_array(following)})
        session.execute(registry.update().where(registry.c.day == day).values(delta=True))
        whole.discard(day)
        deltas.add(day)
    whole -= set(dropped)
    dropped = {*dropped, *(d for d in deltas if cube.chain_days(d, whole, deltas) is None)}
    if dropped:
        for table in (*quality_counts.SNAPSHOTS.values(), registry):
            session.execute(table.delete().where(table.c.day.in_(dropped)))


def history_reaches(session: Session, at) -> bool:
    """Whether the read model holds a node's change at or after `at` (index node_history_at)."""
    return session.execute(select(_H.c.node).where(_H.c.at >= at).limit(1)).first() is not None


def take_snapshot(session: Session, day: date, *, taken_at, with_quality: bool) -> bool:
    """Count the cube and, ``with_quality`` (quality.snapshot_wanted), Q2's tables as of the end of
    `day` into their snapshots, each unless it is kept already (or another replica is counting it:
    the day's claim is taken first; the two are claimed apart, so a system that kept the cube's
    before Q2's existed, or before Q2 kept the last days', fills Q2's beside). True: something was
    counted here."""
    rollups = cube.snapshot_rollups(day)
    cube_claimed = session.execute(
        pg_insert(CubeSnapshotRow).values(day=day, taken_at=taken_at, rollups=sorted(rollups))
        .on_conflict_do_nothing().returning(CubeSnapshotRow.day)).first() is not None
    quality_claimed = with_quality and quality_counts.claim_snapshot(session, day, taken_at=taken_at)
    if not cube_claimed and not quality_claimed:
        return False
    params = {"day": day, "cutoff": start_of_legal_day(supervision.cutoff_day(day))}
    session.execute(text("SET LOCAL statement_timeout = 0"))   # minutes for a province; in the background
    _keep_as_of_nodes(session, day, taken_at=taken_at, params=params)
    if cube_claimed:
        for statement in _SNAPSHOT_WHOLE[rollups]:
            session.execute(statement, params)
    if quality_claimed:
        quality_counts.take_snapshot(session, params, cases_from=_AS_OF_CASES, nodes_from=_AS_OF_NODES)
    session.execute(text(f"DROP TABLE {_AS_OF_NODES}"))
    return True


# A day's whole snapshot, counted from _AS_OF_NODES (per set of rollups a snapshot keeps).
_SNAPSHOT_WHOLE = {rollups: [text(
    f"INSERT INTO {_SNAPSHOT_CASES.fullname} (day, {', '.join(_KEY)}, region, mask, cases, closed_cases) "
    f"SELECT :day, {', '.join(_KEY)}, region, mask, cases, closed_cases FROM ({cases}) AS x"), text(
    f"INSERT INTO {_SNAPSHOT_NODES.fullname} (day, {', '.join(_KEY)}, region, node_class, nodes) "
    f"SELECT :day, {', '.join(_KEY)}, region, node_class, nodes FROM ({nodes}) AS x")]
    for rollups in (cube.SNAPSHOT_ROLLUPS, cube.MONTH_END_ROLLUPS)
    for cases, nodes in [_contributions("true", "true", cases_from=_AS_OF_CASES, nodes_from=_AS_OF_NODES,
                                        rollups=rollups)]}

# Filling a run of days without snapshots (cube.gap_to_fill). Each day's snapshot differs from the
# next day's only by the cases that day's changes touched: a node's change recorded during the
# next day (its history row), a case registered then (create_time), a date that is the next day's
# (a case's dates count from their day on). So a day's delta is what those cases add as of the day
# minus what they add as of the next. The nodes' statuses are walked back from the last day's
# (counted whole) a day at a time: the nodes a day changed are put back to their status before it
# (a few index probes each), instead of every touched case's nodes read from the history twice a
# day (at a million cases, 50 s a day).
_GAP_TOUCHED = "snapshot_gap_touched"
_KEEP_GAP_TOUCHED = text(f"""CREATE TEMP TABLE {_GAP_TOUCHED} ON COMMIT DROP AS
    SELECT DISTINCT CAST(:first AS date) + (bucket - 1) AS day, case_id, node FROM (
        SELECT width_bucket(h.at, CAST(:bounds AS timestamptz[])) AS bucket, n.case_id, h.node
        FROM {_H.fullname} AS h JOIN {_N.fullname} AS n ON n.node = h.node
        WHERE h.at >= :low AND h.at < :high
        UNION ALL
        SELECT width_bucket(c.create_time, CAST(:bounds AS timestamptz[])), c.case_id, NULL FROM {_C.fullname} AS c
        WHERE c.create_time >= :low AND c.create_time < :high
        UNION ALL
        SELECT d.day - CAST(:first AS date), c.case_id, NULL FROM {_C.fullname} AS c
        CROSS JOIN LATERAL (VALUES (c.receive_date), (c.filing_date), (c.close_date), (c.archive_date)) AS d(day)
        WHERE d.day > :first AND d.day <= :after_last) AS x""")
_GAP_TOUCHED_ON = text(f"""SELECT array_agg(DISTINCT CAST(case_id AS text)),
           array_agg(DISTINCT node) FILTER (WHERE node IS NOT NULL)
    FROM {_GAP_TOUCHED} WHERE day = :day""")
_WALKABLE = [text(f"CREATE INDEX ON {_AS_OF_NODES} (case_id)"), text(f"CREATE INDEX ON {_AS_OF_NODES} (node)")]
# The nodes a day changed, put back to their last status before it (gone if they had none).
_WALK_BACK = [text(f"DELETE FROM {_AS_OF_NODES} WHERE node = ANY(CAST(:changed AS text[]))"),
              text(f"INSERT INTO {_AS_OF_NODES} "
                   f"{_LAST_STATUS.format(nodes=' AND h.node = ANY(CAST(:changed AS text[]))')}")]
_GAP_CASES, _GAP_NODES = _contributions(_CASES, "case_id = ANY(CAST(:ids AS uuid[]))", cases_from=_AS_OF_CASES,
                                        nodes_from=_AS_OF_NODES, rollups=cube.SNAPSHOT_ROLLUPS)
_GAP_DELTAS = {sign: [text(_KEEP_CASE_DELTA.format(key=", ".join(_KEY), sign=sign, select=_GAP_CASES)),
                      text(_KEEP_NODE_DELTA.format(key=", ".join(_KEY), sign=sign, select=_GAP_NODES))]
               for sign in ("", "-")}
_SNAPSHOT_OF_DELTA = [text(sql) for sql in f"""
    INSERT INTO {_SNAPSHOT_CASES.fullname} (day, {", ".join(_KEY)}, region, mask, cases, closed_cases)
    SELECT :day, {", ".join(_KEY)}, min(region), mask, sum(cases), sum(closed_cases) FROM cube_case_delta
    GROUP BY {", ".join(_KEY)}, mask HAVING sum(cases) <> 0 OR sum(closed_cases) <> 0;
    INSERT INTO {_SNAPSHOT_NODES.fullname} (day, {", ".join(_KEY)}, region, node_class, nodes)
    SELECT :day, {", ".join(_KEY)}, min(region), node_class, sum(nodes) FROM cube_node_delta
    GROUP BY {", ".join(_KEY)}, node_class HAVING sum(nodes) <> 0;
    DELETE FROM cube_case_delta;
    DELETE FROM cube_node_delta""".split(";")]
# A day kept as a delta made whole: its chain summed (rows that sum to nothing count nothing, as
# a whole count has none).
_TO_WHOLE = [text(sql) for table, extra, counts in ((_SNAPSHOT_CASES.fullname, "mask", ("cases", "closed_cases")),
                                                     (_SNAPSHOT_NODES.fullname, "node_class", ("nodes",)))
             for sql in f"""
    CREATE TEMP TABLE {_DELTA} ON COMMIT DROP AS
    SELECT {", ".join(_KEY)}, {extra}, min(region) AS region, {", ".join(f"sum({c}) AS {c}" for c in counts)}
    FROM {table} WHERE day = ANY(CAST(:chain AS date[])) AND rollup = ANY(CAST(:rollups AS smallint[]))
    GROUP BY {", ".join(_KEY)}, {extra} HAVING {" OR ".join(f"sum({c}) <> 0" for c in counts)};
    DELETE FROM {table} WHERE day = :day;
    INSERT INTO {table} (day, {", ".join(_KEY)}, {extra}, region, {", ".join(counts)})
    SELECT :day, {", ".join(_KEY)}, {extra}, region, {", ".join(counts)} FROM {_DELTA};
    DROP TABLE {_DELTA}""".split(";")]
# One replica fills at a time (the others find the run filled at their next turn).
_FILLING = text("SELECT pg_try_advisory_xact_lock(7002, 0)")


def claim_filling(session: Session) -> bool:
    """Whether this transaction may fill days (fill_gap): no other replica's is filling. Asked as
    the transaction's first statement, so that its snapshot (REPEATABLE READ) sees what a replica
    that filled before it committed."""
    return bool(session.scalar(_FILLING))


def fill_gap(session: Session, first: date, last: date, *, whole: set[date], deltas: set[date],
             kept: Callable[[date], bool], taken_at) -> list[date]:
    """Snapshots of the days `first`…`last` (a run cube.gap_to_fill found, with the registry's
    `whole` and `deltas` it was found in), counted as of each day's end from the read model by the
    direct query's as-of rule, in this transaction — which must be REPEATABLE READ, so that every
    day is counted from the same read model and the chain sums to what that read model says of each
    day. The last day is counted whole from every node's status as of it (_keep_as_of_nodes),
    then kept as its difference from the next day's chain; each earlier day as its difference from
    the next, from the cases its changes touched; the days `kept` (cube.snapshot_kept: where chains
    end) are made whole from their chain (claim_filling first). The days filled, newest first."""
    days = [last - timedelta(days=n) for n in range((last - first).days + 1)]
    rollups = cube.SNAPSHOT_ROLLUPS
    claimed = session.execute(pg_insert(CubeSnapshotRow).values(
        [dict(day=d, taken_at=taken_at, rollups=sorted(rollups), delta=not kept(d)) for d in days])
        .on_conflict_do_nothing().returning(CubeSnapshotRow.day)).scalars().all()
    if len(claimed) != len(days):   # not found in the registry read: nothing is written
        raise RuntimeError(f"快照登记已有 {sorted(set(days) - set(claimed))} 的记录，不能补算")
    session.execute(text("SET LOCAL statement_timeout = 0"))   # minutes for a province; in the background
    whole, deltas = set(whole), set(deltas)
    # The last day: whole, then (unless kept whole) its difference from the next day's chain.
    params = {"day": last, "cutoff": start_of_legal_day(supervision.cutoff_day(last))}
    _keep_as_of_nodes(session, last, taken_at=taken_at, params=params)
    for statement in _SNAPSHOT_WHOLE[rollups]:
        session.execute(statement, params)
    if kept(last):
        whole.add(last)
    else:
        _to_delta(session, last, rollups=rollups, chain=cube.chain_days(last + timedelta(days=1), whole, deltas))
        deltas.add(last)
    if first == last:
        return days
    # The earlier days, walking the last day's statuses back: the cases and nodes each day's
    # changes touched, found in one pass over the run.
    bounds = [start_of_legal_day(supervision.cutoff_day(d)) for d in (*reversed(days[1:]), last)]
    session.execute(_KEEP_GAP_TOUCHED, {"first": first, "after_last": last,
                                        "bounds": text_array(b.isoformat() for b in bounds),
                                        "low": bounds[0], "high": bounds[-1]})
    for statement in (*_WALKABLE, _DELTA_TABLES):
        session.execute(statement)
    for day in days[1:]:
        ids, changed = session.execute(_GAP_TOUCHED_ON, {"day": day}).one()
        if ids:
            ids, changed = text_array(ids), text_array(changed or ())
            after = day + timedelta(days=1)
            for statement in _GAP_DELTAS["-"]:   # as of the next day: the statuses as they stand
                session.execute(statement, {"day": after, "ids": ids,
                                            "cutoff": start_of_legal_day(supervision.cutoff_day(after))})
            params = {"day": day, "ids": ids, "changed": changed,
                      "cutoff": start_of_legal_day(supervision.cutoff_day(day))}
            for statement in (*_WALK_BACK, *_GAP_DELTAS[""]):
                session.execute(statement, params)
            for statement in _SNAPSHOT_OF_DELTA:
                session.execute(statement, {"day": day})
        deltas.add(day)
        if kept(day):
            chain = cube.chain_days(day, whole, deltas)
            for statement in _TO_WHOLE:
                session.execute(statement, {"day": day, "chain": text_array(chain),
                                            "rollups": int_array(sorted(rollups))})
            deltas.discard(day)
            whole.add(day)
    return days


def _cube_where(table, caller: Caller, court: str, plan: cube.Plan, q: supervision.Query, rollup: int) -> list:
    where = [table.c.rollup == rollup, table.c.bases.in_(cube.bases_with(q.basis)),
             scope.condition(caller, court=table.c.court, department=None, owner=None)]
    if plan.snapshot is not None:   # the day's rows, or those of its chain of deltas
        where.append(table.c.day.in_(plan.days))
    if court != "-":
        where.append(table.c.court == court)
    for name, value in plan.key_terms.items():
        where.append(table.c[name] == value)
    if plan.dated and q.start:
        where.append(table.c.month >= q.start.strftime("%Y-%m"))
    if plan.dated and q.end:
        where.append(table.c.month <= q.end.strftime("%Y-%m"))
    return where


_CUBE_DIMENSIONS = {supervision.D.DIMENSION_REGION: "region", supervision.D.DIMENSION_COURT: "court",
                    supervision.D.DIMENSION_DEPARTMENT: "department", supervision.D.DIMENSION_STAGE: "stage",
                    supervision.D.DIMENSION_CASE_TYPE: "case_type", supervision.D.DIMENSION_PROCEDURE: "procedure",
                    supervision.D.DIMENSION_MONTH: "month"}


def cube_summary(session: Session, caller: Caller, court: str, plan: cube.Plan, q: supervision.Query,
                 dimensions: list[int], *, totals: bool = False) -> list:
    """The summary's rows (or, ``totals``, its one row over everything) from the cube: the same
    columns as summarize() gives from the read model."""
    rollup = plan.totals_rollup if totals else plan.rollup
    dims = [] if totals else dimensions
    case_table, node_table = ((_CUBE_CASES, _CUBE_NODES) if plan.snapshot is None
                              else (_SNAPSHOT_CASES, _SNAPSHOT_NODES))
    cases = case_table.c
    counted = lambda bits: count_of(func.sum(cases.cases).filter(cases.mask.op("&")(bits) != 0))  # noqa: E731
    base = [cases.mask.op("&")(plan.selected) != 0] if plan.with_nodes else []
    case_groups = [cases[_CUBE_DIMENSIONS[d]].label(f"g{i}") for i, d in enumerate(dims)]
    total = count_of(func.sum(cases.cases).filter(*base) if base else func.sum(cases.cases))
    closed = count_of(func.sum(cases.closed_cases).filter(*base) if base else func.sum(cases.closed_cases))
    case_query = (select(*case_groups, total.label("cases_total"),
                         *[counted(plan.measure_mask(m)).label(f"cases_{m}") for m in cube.CASE_MEASURES[1:]],
                         closed.label("cases_closed"))
                  .where(*_cube_where(case_table, caller, court, plan, q, rollup)))
    nodes = node_table.c
    node_groups = [nodes[_CUBE_DIMENSIONS[d]].label(f"g{i}") for i, d in enumerate(dims)]
    node_query = (select(*node_groups, *[
        count_of(func.sum(nodes.nodes).filter(
            nodes.node_class.in_(cube.classes_in(plan.measure_mask(m))))).label(f"nodes_{m}")
        for m in cube.NODE_MEASURES]).where(*_cube_where(node_table, caller, court, plan, q, rollup)))
    if dims:
        case_query = case_query.group_by(*[g.element for g in case_groups]).having(total > 0)
        node_query = node_query.group_by(*[g.element for g in node_groups])
    node_rows = {tuple(r[:len(dims)]): r for r in session.execute(node_query)}
    out = []
    for row in session.execute(case_query):
        group = tuple(row[:len(dims)])
        node_row = node_rows.get(group)
        values = {f"g{i}": v for i, v in enumerate(group)}
        values.update(row._mapping)
        values.update({f"nodes_{m}": node_row._mapping[f"nodes_{m}"] if node_row is not None else 0
                       for m in cube.NODE_MEASURES})
        out.append(SimpleNamespace(**values))
    return sorted(out, key=lambda r: tuple(getattr(r, f"g{i}") for i in range(len(dims))))


_CUBE_COLUMNS = {_CUBE_CASES.fullname: ("mask", ("cases", "closed_cases")),
                 _CUBE_NODES.fullname: ("node_class", ("nodes",))}


def cube_differences(session: Session, prefix: str, *, limit: int) -> list[tuple[str, str, int, int]]:
    """Rows of the cube for the courts under `prefix` that differ from the same rows counted
    afresh from the read model: (row, count column, kept, recounted). The cube is kept in the read
    model's transactions, so in one snapshot the two agree unless something went wrong."""
    courts = "starts_with(c.court, :prefix)"
    cases, nodes = _contributions(courts, f"case_id IN (SELECT c.case_id FROM {_C.fullname} AS c WHERE {courts})")
    found = []
    for table, recount in ((_CUBE_CASES.fullname, cases), (_CUBE_NODES.fullname, nodes)):
        extra, counts = _CUBE_COLUMNS[table]
        key = ", ".join((*_KEY, extra))
        kept = f"SELECT {key}, {', '.join(counts)} FROM {table} WHERE starts_with(court, :prefix)"
        # A kept row of zeros is a row the recount does not have (prune_cube removes them later).
        compared = " OR ".join(f"coalesce(k.{c}, 0) <> coalesce(r.{c}, 0)" for c in counts)
        rows = session.execute(text(f"""
            SELECT {", ".join(f"coalesce(k.{c}, r.{c}) AS {c}" for c in (*_KEY, extra))},
                   {", ".join(f"coalesce(k.{c}, 0) AS kept_{c}, coalesce(r.{c}, 0) AS recount_{c}" for c in counts)}
            FROM ({kept}) AS k FULL JOIN ({recount}) AS r USING ({key})
            WHERE {compared}
            ORDER BY {", ".join(f"coalesce(k.{c}, r.{c})" for c in (*_KEY, extra))} LIMIT :limit"""),
            {"prefix": prefix, "limit": limit})
        for r in rows:
            where = " ".join(f"{c}={getattr(r, c)}" for c in (*_KEY, extra))
            for c in counts:
                if getattr(r, f"kept_{c}") != getattr(r, f"recount_{c}"):
                    found.append((f"{table} {where}", c, getattr(r, f"kept_{c}"), getattr(r, f"recount_{c}")))
    return found[:limit]
