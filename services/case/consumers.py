"""Bus handlers of the case service: node locks hold the case (S11); the org directory's people
say who may be given a case (people.py)."""
from __future__ import annotations

from courtflow.gateway.v1.gateway_events_pb2 import UserChanged
from courtflow.node.v1.node_events_pb2 import NodeLocked, NodeUnlocked

from services.case import repository
from services.case.models import PersonRow
from services.common.consumer import Subscription
from services.common.dates import instant
from services.common.directory import upsert_person
from services.common.events import Event
from services.common.names import NodeName
from services.common.uow import UnitOfWork


def on_node_locked(uow: UnitOfWork, event: Event) -> None:
    node = event.payload.node
    case_id = NodeName.parse(node.name).case_id
    repository.hold(uow.session, case_id=case_id, node=node.name, display_name=node.display_name,
                    reason=node.lock.reason, lock_time=instant(node.lock, "lock_time"))
    repository.refresh_locked(uow.session, case_id, now=uow.clock.now())


def on_node_unlocked(uow: UnitOfWork, event: Event) -> None:
    node = event.payload.node
    case_id = NodeName.parse(node.name).case_id
    repository.release(uow.session, case_id=case_id, node=node.name)
    repository.refresh_locked(uow.session, case_id, now=uow.clock.now())


def on_user_changed(uow: UnitOfWork, event: Event) -> None:
    upsert_person(uow.session, PersonRow, event.payload)


def subscriptions() -> list[Subscription]:
    return [Subscription(consumer="case", producer="node", types=(NodeLocked, NodeUnlocked),
                         handlers={NodeLocked: on_node_locked, NodeUnlocked: on_node_unlocked}),
            Subscription(consumer="case", producer="gateway", types=(UserChanged,),
                         handlers={UserChanged: on_user_changed})]
