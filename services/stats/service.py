"""Use cases of the stats service."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.common.v1.caller_pb2 import Caller, ScopeLevel
from courtflow.node.v1.node_pb2 import Node

from services.common import scope
from services.common.errors import PermissionDenied
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork
from services.stats.counting import Known, transition
from services.stats.models import NodeCountRow, NodeStateRow, cell_key


COUNTERS = ("open_count", "warning_count", "overdue_count", "overdue_without_warning_count")


def apply_node_states(uow: UnitOfWork, changes: list[tuple[Node, bool]]) -> None:
    """Apply node state changes (node, overdue without warning), in stream order, to the per-node
    states and the counters: one read of the nodes involved and one upsert per touched cell."""
    names = {node.name for node, _ in changes}
    states = {r.node: r for r in uow.session.scalars(
        select(NodeStateRow).where(NodeStateRow.node.in_(names)).with_for_update())}
    cells: dict[str, dict] = {}
    for node, without_warning in changes:
        row = states.get(node.name)
        new = Known(node.state, without_warning, node.clock_generation)
        deltas = transition(Known(row.state, row.overdue_without_warning, row.generation) if row else None, new)
        if deltas is None:
            continue
        court = node.name.split("/")[1]
        cell = cell_key(court, node.department, node.stage)
        if row is None:
            row = states[node.name] = NodeStateRow(node=node.name, cell=cell, state=new.state,
                                                   overdue_without_warning=without_warning,
                                                   generation=new.generation)
            uow.session.add(row)
        else:
            row.state, row.overdue_without_warning, row.generation = new.state, without_warning, new.generation
        counts = cells.setdefault(cell, dict(cell=cell, court=court, department=node.department, stage=node.stage,
                                             open_count=0, warning_count=0, overdue_count=0,
                                             overdue_without_warning_count=0))
        counts["open_count"] += deltas.open
        counts["warning_count"] += deltas.warning
        counts["overdue_count"] += deltas.overdue
        counts["overdue_without_warning_count"] += deltas.overdue_without_warning
    if cells:
        insert = pg_insert(NodeCountRow).values(list(cells.values()))
        uow.session.execute(insert.on_conflict_do_update(
            index_elements=[NodeCountRow.cell],
            set_={k: getattr(NodeCountRow, k) + getattr(insert.excluded, k) for k in COUNTERS}))


def list_node_statistics(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, court: str, filters: dict,
                         page: Page) -> list[NodeCountRow]:
    if caller.scope == ScopeLevel.SCOPE_LEVEL_OWN:
        raise PermissionDenied("统计数据仅向庭室及以上管理角色开放", reason="OUT_OF_SCOPE")
    scope.require_court(caller, court)
    query = select(NodeCountRow).where(scope.condition(caller, court=NodeCountRow.court,
                                                       department=NodeCountRow.department, owner=None))
    if court != "-":
        query = query.where(NodeCountRow.court == court)
    for field, value in filters.items():
        query = query.where(getattr(NodeCountRow, field) == value)
    with uow_factory() as uow:
        return page_of(uow.session, query, key=NodeCountRow.cell, page=page)
