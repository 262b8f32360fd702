"""Bus handlers of the case service: node locks hold the case (S11); the org directory's people
say who may be given a case (people.py)."""
from __future__ import annotations

import uuid
from datetime import timezone

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.gateway.v1.gateway_events_pb2 import UserChanged
from courtflow.node.v1.node_events_pb2 import NodeLocked, NodeUnlocked

from services.case.models import CaseLockRow, CaseRow, PersonRow
from services.common.consumer import Subscription
from services.common.directory import upsert_person
from services.common.events import Event
from services.common.uow import UnitOfWork


def _case_id(node_name: str) -> uuid.UUID:
    return uuid.UUID(node_name.split("/")[3])


def _refresh(uow: UnitOfWork, case_id: uuid.UUID) -> None:
    held = exists().where(CaseLockRow.case_id == case_id)
    uow.session.execute(update(CaseRow).where(CaseRow.id == case_id)
                        .values(locked=select(held).scalar_subquery(), update_time=uow.clock.now()))


def on_node_locked(uow: UnitOfWork, event: Event) -> None:
    node = event.payload.node
    case_id = _case_id(node.name)
    uow.session.execute(pg_insert(CaseLockRow).values(
        case_id=case_id, node=node.name, display_name=node.display_name, reason=node.lock.reason,
        lock_time=node.lock.lock_time.ToDatetime(tzinfo=timezone.utc))
        .on_conflict_do_nothing())
    _refresh(uow, case_id)


def on_node_unlocked(uow: UnitOfWork, event: Event) -> None:
    node = event.payload.node
    case_id = _case_id(node.name)
    uow.session.execute(delete(CaseLockRow).where(CaseLockRow.case_id == case_id, CaseLockRow.node == node.name))
    _refresh(uow, case_id)


def on_user_changed(uow: UnitOfWork, event: Event) -> None:
    upsert_person(uow.session, PersonRow, event.payload)


def subscriptions() -> list[Subscription]:
    return [Subscription(consumer="case", producer="node", types=(NodeLocked, NodeUnlocked),
                         handlers={NodeLocked: on_node_locked, NodeUnlocked: on_node_unlocked}),
            Subscription(consumer="case", producer="gateway", types=(UserChanged,),
                         handlers={UserChanged: on_user_changed})]
