"""Use cases of the stats service."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import text

from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel
from courtflow.node.v1.node_pb2 import Node

from services.common import scope
from services.common.db import bool_array, int_array, text_array
from services.common.names import court_of
from services.common.paging import Page
from services.common.uow import UnitOfWork
from services.stats import repository
from services.stats.counting import Known, transition
from services.stats.errors import StatisticsNotOpen
from services.stats.models import NodeCountRow, NodeStateRow, cell_key


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


def apply_node_states(uow: UnitOfWork, changes: list[tuple[Node, bool, bool]]) -> None:
    """Apply node changes (node, overdue without warning, moved to another department), in stream
    order, to the per-node states and the counters: one read of the nodes involved, one insert and
    one update of their new states, and one upsert of the touched cells.

    A node is counted in the cell it was first counted in until it moves (NodeReassigned): then its
    whole contribution leaves the old cell for the new one, so nothing is counted twice or lost."""
    names = sorted({node.name for node, _, _ in changes})
    known, cell_of = {}, {}
    for r in repository.node_states_for_update(uow.session, names):
        known[r.node], cell_of[r.node] = Known(r.state, r.overdue_without_warning, r.generation), r.cell
    stored = set(known)
    cells: dict[str, dict] = {}

    def add(cell: str, deltas, sign: int = 1) -> None:
        court, department, stage = cell.split("|")
        counts = cells.setdefault(cell, dict(cell=cell, court=court, department=department, stage=int(stage),
                                             **{k: 0 for k in COUNTERS}))
        counts["open_count"] += sign * deltas.open
        counts["warning_count"] += sign * deltas.warning
        counts["overdue_count"] += sign * deltas.overdue
        counts["overdue_without_warning_count"] += sign * deltas.overdue_without_warning

    touched: set[str] = set()
    for node, without_warning, moved in changes:
        here = cell_key(court_of(node.name), node.department, node.stage)
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
        rows = list(cells.values())
        uow.session.execute(ADD_COUNTS, {**{k: text_array(r[k] for r in rows) for k in ("cell", "court", "department")},
                                         **{k: int_array(r[k] for r in rows) for k in ("stage", *COUNTERS)}})


def list_node_statistics(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, filters: dict,
                         page: Page) -> list[NodeCountRow]:
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN:
        raise StatisticsNotOpen("统计数据仅向庭室及以上管理角色开放")
    scope.require_court(caller, court)
    with uow_factory() as uow:
        return repository.node_counts_page(uow.session, caller=caller, court=court, filters=filters, page=page)
