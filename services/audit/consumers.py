"""Bus handlers of the audit service: every reporter's operation_recorded events join the chain."""
from __future__ import annotations

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded

from services.audit import service
from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork

REPORTERS = ("gateway", "case", "node", "alert", "stats")


def subscriptions(*, checkpoint_key: str, every: int) -> list[Subscription]:
    def on_operations(uow: UnitOfWork, events: list[Event]) -> None:
        service.append(uow, [e.payload.operation for e in events], checkpoint_key=checkpoint_key, every=every)

    return [Subscription(consumer="audit", producer=reporter, types=(OperationRecorded,),
                         batch_handler=on_operations, batch=500) for reporter in REPORTERS]
