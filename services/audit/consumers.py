"""Bus handlers of the audit service: every reporter's operation_recorded events join the chain."""
from __future__ import annotations

from courtflow.audit.v1.audit_events_pb2 import OperationRecorded

from services.audit import service
from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork

REPORTERS = ("gateway", "case", "node", "alert", "stats")


def on_operation(uow: UnitOfWork, event: Event) -> None:
    service.append(uow, op=event.payload.operation)


def subscriptions() -> list[Subscription]:
    name = OperationRecorded.DESCRIPTOR.full_name
    return [Subscription(consumer="audit", producer=reporter, handlers={name: on_operation},
                         types={name: OperationRecorded}, batch=500) for reporter in REPORTERS]
