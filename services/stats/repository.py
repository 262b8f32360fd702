"""Queries of the stats service (select()-based, keyset pages)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, distinct, func, not_, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import distinct_on, insert as pg_insert
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import NodeState
from courtflow.stats.v1.supervision_pb2 import NodeStatus

from services.common import scope
from services.common.clock import LEGAL_TZ, start_of_legal_day
from services.common.names import CaseName
from services.common.db import text_array
from services.common.paging import Page, page_of
from services.stats.models import CaseViewRow, NodeCountRow, NodeHistoryRow, NodeStateRow, NodeViewRow
from services.stats import quality, supervision
from services.stats.projection import NODE_FIXED, NODE_STATUS

_STATES = NodeStateRow.__table__.fullname
READ_STATES = text(f"""SELECT node, cell, state, overdue_without_warning, generation FROM {_STATES}
                       WHERE node = ANY(CAST(:nodes AS text[])) ORDER BY node FOR UPDATE""")


def node_states_for_update(session: Session, nodes: list[str]) -> list:
    """The recorded state of each of these nodes that has one (node, cell, state,
    overdue_without_warning, generation), locked, in node order."""
    return list(session.execute(READ_STATES, {"nodes": text_array(nodes)}))


def node_counts_page(session: Session, *, caller: Caller, court: str, filters: dict, page: Page) -> list[NodeCountRow]:
    """One page of the counter cells the caller may see, in one court or ("-") all of theirs."""
    query = scope.scoped_select(NodeCountRow, caller, court, owner=None, equal=filters)
    return page_of(session, query, key=NodeCountRow.cell, page=page)


def keep_cases(session: Session, rows: list[dict]) -> None:
    """Write case snapshots (one per case), each only over an older one: a late or redelivered
    snapshot changes nothing."""
    if not rows:
        return
    insert = pg_insert(CaseViewRow).values(rows)
    changing = [c for c in rows[0] if c != "case_id"]
    session.execute(insert.on_conflict_do_update(
        index_elements=[CaseViewRow.case_id], set_={c: insert.excluded[c] for c in changing},
        where=insert.excluded.version > CaseViewRow.version))


def keep_node_history(session: Session, rows: list[dict]) -> None:
    """Every status of every node, once: a redelivered event's row is already there."""
    if rows:
        session.execute(pg_insert(NodeHistoryRow).values([{c: r[c] for c in ("node", "extended", *NODE_STATUS)}
                                                          for r in rows])
                        .on_conflict_do_nothing())


def keep_nodes(session: Session, rows: list[dict]) -> None:
    """Write nodes (one row per node: the latest of the batch), each status only over an older one.
    State numbers rank as counting.RANK does (running 1 … completed 4), so the order key compares
    as a row in SQL."""
    if not rows:
        return
    insert = pg_insert(NodeViewRow).values([{c: r[c] for c in ("node", *NODE_FIXED, *NODE_STATUS)} for r in rows])
    key = lambda t: tuple_(t.generation, t.at, t.state, t.locked)  # noqa: E731
    session.execute(insert.on_conflict_do_update(
        index_elements=[NodeViewRow.node], set_={c: insert.excluded[c] for c in NODE_STATUS},
        where=key(insert.excluded) > key(NodeViewRow.__table__.c)))


# ── the supervision query (supervision.py says what it means) ─────────────────────────────────

_C, _N, _H = CaseViewRow.__table__, NodeViewRow.__table__, NodeHistoryRow.__table__
_WARNING, _OVERDUE = NodeStatus.NODE_STATUS_WARNING, NodeStatus.NODE_STATUS_OVERDUE
_COMPLETED = NodeState.NODE_STATE_COMPLETED


def _node_status(as_of: date | None):
    """Each node's status: as it is now (as_of None), or the last one recorded before the end of
    as_of (Asia/Shanghai), with the node's fixed columns."""
    fixed = [_N.c.node, _N.c.case_id, _N.c.stage, _N.c.category, _N.c.node_type, _N.c.display_name]
    if as_of is None:
        return select(*fixed, *[_N.c[c] for c in NODE_STATUS]).subquery("ns")
    last = (select(_H).where(_H.c.at < start_of_legal_day(supervision.cutoff_day(as_of)))
            .ext(distinct_on(_H.c.node))
            .order_by(_H.c.node, _H.c.generation.desc(), _H.c.at.desc(), _H.c.state.desc(), _H.c.locked.desc())
            .subquery("last"))
    return (select(*fixed, *[last.c[c] for c in NODE_STATUS]).join_from(_N, last, last.c.node == _N.c.node)
            .subquery("ns"))


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


class SupervisionSql:
    """The query's relations: its cases (scoped, selected by the case terms and the date range)
    joined with their nodes as of the day asked (selected by the node terms)."""

    def __init__(self, caller: Caller, court: str, q: supervision.Query, *, today: date, with_nodes: bool,
                 dated: bool = True) -> None:
        """``dated``: only cases whose date on the query's basis is set and on or before as_of (the
        supervision query); the quality analysis, whose indicators each pick their date, takes all."""
        self.q, self.as_of = q, q.as_of or today
        self.ns = _node_status(q.as_of)
        basis = _C.c[q.basis_column]
        cases = [scope.condition(caller, court=_C.c.court, department=_C.c.department, owner=_C.c.handler)]
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


def supervised_nodes(session: Session, sql: SupervisionSql, page: Page) -> list:
    """One page of the query's nodes (a SupervisionSql made with_nodes), by node name, with their case."""
    ns = sql.ns
    query = sql.joined(ns, *[_C.c[c].label(f"case_{c}") for c in _C.c.keys()])
    if page.after is not None:
        query = query.where(ns.c.node > page.after)
    return list(session.execute(query.order_by(ns.c.node).limit(page.size + 1)))


# ── Q2 质效分析 (quality.py says what each figure means) ─────────────────────────────────────────

def quality_sql(caller: Caller, court: str, a: quality.Analysis, *, today: date) -> SupervisionSql:
    """The analysis's cases (scope, case terms; registered by the end of the period when it is
    past) and their nodes as they stood at the end of the period."""
    period = supervision.Query(terms=a.query.terms, as_of=a.end if a.end < today else None)
    return SupervisionSql(caller, court, period, today=today, with_nodes=False, dated=False)


def quality_indicators(session: Session, sql: SupervisionSql, a: quality.Analysis, dimensions: list[int]) -> list:
    ns = sql.ns
    limits = (select(ns.c.case_id, func.bool_or(ns.c.status == _OVERDUE).label("overdue"))
              .where(ns.c.category == quality.TRIAL_LIMIT_CATEGORY).group_by(ns.c.case_id).subquery("limits"))
    cutoff = start_of_legal_day(supervision.cutoff_day(a.end))
    extended = (select(_H.c.node).join(_N, _N.c.node == _H.c.node)
                .where(_N.c.case_id == _C.c.case_id, _N.c.category == quality.TRIAL_LIMIT_CATEGORY,
                       _H.c.extended, _H.c.at < cutoff).exists())
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
    if groups:
        query = query.group_by(*groups).order_by(*groups)
    return list(session.execute(query))


def stage_durations(session: Session, sql: SupervisionSql, a: quality.Analysis) -> list:
    ns = sql.ns
    per_case = (select(ns.c.stage, (func.max(ns.c.complete_date) - func.min(_N.c.open_date)).label("days"))
                .select_from(_C.join(ns, ns.c.case_id == _C.c.case_id).join(_N, _N.c.node == ns.c.node))
                .where(*sql.case_conditions)
                .group_by(ns.c.case_id, ns.c.stage)
                .having(func.bool_and(ns.c.state == _COMPLETED),
                        func.max(ns.c.complete_date).between(a.start, a.end),
                        func.min(_N.c.open_date).is_not(None))
                .subquery("stages"))
    return list(session.execute(
        select(per_case.c.stage, func.count().label("cases"),
               func.percentile_cont(0.5).within_group(per_case.c.days).label("median_days"),
               func.percentile_cont(0.9).within_group(per_case.c.days).label("p90_days"))
        .group_by(per_case.c.stage).order_by(per_case.c.stage)))


def overdue_by_month(session: Session, sql: SupervisionSql, a: quality.Analysis, dimension: int) -> list:
    """(value, month, nodes that became overdue in that month) over the window: a node counts in the
    month of the first time it was overdue in each clock generation."""
    first = (select(_H.c.node, _H.c.generation, func.min(_H.c.at).label("at"))
             .where(_H.c.state == NodeState.NODE_STATE_OVERDUE,
                    _H.c.at >= start_of_legal_day(date.fromisoformat(f"{a.months[0]}-01")),
                    _H.c.at < start_of_legal_day(supervision.cutoff_day(a.end)))
             .group_by(_H.c.node, _H.c.generation).subquery("first_overdue"))
    value = {supervision.D.DIMENSION_NODE_TYPE: _N.c.node_type, supervision.D.DIMENSION_COURT: _N.c.court,
             supervision.D.DIMENSION_DEPARTMENT: _N.c.department}[dimension]
    month = func.to_char(func.timezone(LEGAL_TZ.key, first.c.at), "YYYY-MM")
    return list(session.execute(
        select(value.label("value"), month.label("month"), func.count().label("overdue"))
        .select_from(first.join(_N, _N.c.node == first.c.node).join(_C, _C.c.case_id == _N.c.case_id))
        .where(*sql.case_conditions)
        .group_by(value, month).order_by(value, month)))


def read_model_in_scope(session: Session, caller: Caller, court: str, *, names: set[str] | None = None
                        ) -> tuple[dict, dict]:
    """The read model's cases and nodes the caller may see (as their services scope them: a case
    by its handler, a node by its responsible person), as dicts by name; only `names` if given."""
    cases_query = scope.scoped_select(CaseViewRow, caller, court, owner="handler")
    nodes_query = scope.scoped_select(NodeViewRow, caller, court, owner="responsible")
    if names is not None:
        ids = [CaseName.parse(n).case_id for n in names if "/nodes/" not in n]
        cases_query = cases_query.where(CaseViewRow.case_id.in_(ids))
        nodes_query = nodes_query.where(NodeViewRow.node.in_([n for n in names if "/nodes/" in n]))
    cases = {str(CaseName(r.court, r.case_id)): {c: getattr(r, c) for c in r.__table__.columns.keys()}
             for r in session.scalars(cases_query)}
    nodes = {r.node: {c: getattr(r, c) for c in r.__table__.columns.keys()} for r in session.scalars(nodes_query)}
    return cases, nodes
