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


def apply_node_state(uow: UnitOfWork, *, node: Node, overdue_without_warning: bool = False) -> None:
    court = node.name.split("/")[1]
    cell = cell_key(court, node.department, node.stage)
    row = uow.session.get(NodeStateRow, node.name, with_for_update=True)
    old = Known(row.state, row.overdue_without_warning) if row else None
    new = Known(node.state, overdue_without_warning)
    deltas = transition(old, new)
    if deltas is None:
        return
    if row is None:
        uow.session.add(NodeStateRow(node=node.name, cell=cell, state=new.state,
                                     overdue_without_warning=overdue_without_warning))
    else:
        row.state, row.overdue_without_warning = new.state, overdue_without_warning
    if deltas:
        counts = dict(open_count=deltas.open, warning_count=deltas.warning, overdue_count=deltas.overdue,
                      overdue_without_warning_count=deltas.overdue_without_warning)
        insert = pg_insert(NodeCountRow).values(cell=cell, court=court, department=node.department,
                                                stage=node.stage, **counts)
        uow.session.execute(insert.on_conflict_do_update(
            index_elements=[NodeCountRow.cell],
            set_={k: getattr(NodeCountRow, k) + getattr(insert.excluded, k) for k in counts}))


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
