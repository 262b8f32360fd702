"""Queries of the stats service (select()-based, keyset pages)."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from courtflow.common.v1.caller_pb2 import Caller

from services.common import scope
from services.common.db import text_array
from services.common.paging import Page, page_of
from services.stats.models import NodeCountRow, NodeStateRow

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
