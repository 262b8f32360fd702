"""Bus handlers of the alert service: node events become reminders; org events keep the recipient directory."""
from __future__ import annotations

from datetime import date

from courtflow.alert.v1.alert_pb2 import ReminderKind
from courtflow.gateway.v1.gateway_events_pb2 import UserChanged
from courtflow.node.v1.node_events_pb2 import NodeOpenAtClosing, NodeOverdue, NodeWarned

from services.alert import service
from services.common.consumer import Subscription
from services.common.events import Event
from services.common.uow import UnitOfWork

# The overdue reminder of a node is its rung 0; warning rungs are days before the due date; the
# closing check (S7) has a rung of its own, so it is sent once per node and person.
OVERDUE_RUNG = 0
CLOSING_RUNG = -1


def on_node_warned(uow: UnitOfWork, event: Event) -> None:
    p = event.payload
    service.remind(uow, node=p.node, rung=p.rung_days, kind=ReminderKind.REMINDER_KIND_WARNING, days=p.days_remaining)


def on_node_overdue(uow: UnitOfWork, event: Event) -> None:
    p = event.payload
    service.remind(uow, node=p.node, rung=OVERDUE_RUNG, kind=ReminderKind.REMINDER_KIND_OVERDUE,
                   days=p.days_overdue)


def on_node_open_at_closing(uow: UnitOfWork, event: Event) -> None:
    p = event.payload
    service.remind(uow, node=p.node, rung=CLOSING_RUNG, kind=ReminderKind.REMINDER_KIND_CLOSING_CHECK,
                   on=date(p.closed_on.year, p.closed_on.month, p.closed_on.day))


def on_user_changed(uow: UnitOfWork, event: Event) -> None:
    u = event.payload.user
    service.upsert_recipient(uow, user=u.name, display_name=u.display_name, mobile=event.payload.mobile,
                             court=u.court.removeprefix("courts/"), department=u.department, role=u.role,
                             active=u.active)


def subscriptions() -> list[Subscription]:
    return [
        Subscription(consumer="alert", producer="node", types=(NodeWarned, NodeOverdue, NodeOpenAtClosing),
                     handlers={NodeWarned: on_node_warned, NodeOverdue: on_node_overdue,
                               NodeOpenAtClosing: on_node_open_at_closing}),
        Subscription(consumer="alert", producer="gateway", types=(UserChanged,),
                     handlers={UserChanged: on_user_changed}),
    ]
