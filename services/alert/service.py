"""Use cases of the alert service. Keyword-only; they raise domain errors."""
from __future__ import annotations

from datetime import date
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.alert.v1.alert_events_pb2 import MessageDelivered
from courtflow.alert.v1.alert_pb2 import DeliveryState
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import Node

from services.alert import templates
from services.alert.convert import message_to_proto
from services.alert.models import MessageRow, RecipientRow, SmsDeliveryRow
from services.common.errors import PermissionDenied
from services.common.events import new_event_id
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork


def notify(uow: UnitOfWork, *, node: Node, kind: int, key: str, recipients: list[str],
           render: Callable[[templates.About], templates.Reminder], application: str = "") -> int:
    """Put a reminder in each recipient's inbox and queue its SMS, once per (`key`, person): the
    key names what is being told (the node's rung in its clock generation, an application's
    decision), so a redelivered event or a second replica tells nobody twice. Returns how many
    were new."""
    due = date(node.due_date.year, node.due_date.month, node.due_date.day)
    case_name = node.name.rsplit("/nodes/", 1)[0]
    court = node.name.split("/")[1]
    handler = display_name(uow, node.responsible)
    now = uow.clock.now()
    new = 0
    for user in recipients:
        person = uow.session.get(RecipientRow, user)
        about = templates.About(case_number=node.case_number, node=node.display_name, due=due, handler=handler,
                                addressee=person.display_name if person else user.removeprefix("users/"),
                                own=user == node.responsible)
        text = render(about)
        dedupe_key = f"{key}|{user}"
        inserted = uow.session.execute(pg_insert(MessageRow).values(
            id=new_event_id(), dedupe_key=dedupe_key, recipient=user, kind=kind, title=text.title, body=text.body,
            case=case_name, node=node.name, case_number=node.case_number, application=application, read=False,
            create_time=now,
        ).on_conflict_do_nothing().returning(MessageRow.id)).first()
        if inserted is None:
            continue
        new += 1
        uow.session.execute(pg_insert(SmsDeliveryRow).values(
            id=new_event_id(), dedupe_key=dedupe_key, recipient=user, node=node.name,
            mobile=person.mobile if person and person.mobile else None, text=text.sms, template=text.template,
            params=text.params, state=DeliveryState.DELIVERY_STATE_PENDING, attempts=0, next_attempt_at=now,
            create_time=now,
        ).on_conflict_do_nothing())
        message = uow.session.get(MessageRow, inserted[0])
        uow.publish(MessageDelivered(message=message_to_proto(message), recipient=user),
                    court=court, aggregate_type="message", aggregate_id=user)
    return new


def node_key(node: Node, what: str) -> str:
    """A node's reminder key within its clock generation: a limit extended after its warning
    warns again before the new date (S4)."""
    generation = f"|g{node.clock_generation}" if node.clock_generation else ""
    return f"{node.name}{generation}|{what}"


def display_name(uow: UnitOfWork, user: str) -> str:
    person = uow.session.get(RecipientRow, user) if user else None
    return person.display_name if person else user.removeprefix("users/")


def upsert_recipient(uow: UnitOfWork, *, user: str, display_name: str, mobile: str, court: str, department: str,
                     role: int, active: bool, absent: bool = False, deputy: str = "") -> None:
    now = uow.clock.now()
    values = dict(display_name=display_name, mobile=mobile, court=court, department=department, role=role,
                  active=active, absent=absent, deputy=deputy, update_time=now)
    uow.session.execute(pg_insert(RecipientRow).values(user=user, **values)
                        .on_conflict_do_update(index_elements=[RecipientRow.user], set_=values))
    if mobile:
        # Reminders that reached this person before their directory entry did are sent now.
        uow.session.execute(update(SmsDeliveryRow).where(
            SmsDeliveryRow.recipient == user, SmsDeliveryRow.state == DeliveryState.DELIVERY_STATE_PENDING,
            SmsDeliveryRow.mobile.is_(None)).values(mobile=mobile, claimed_until=None))


def own_inbox(caller: Caller, parent: str) -> str:
    """An inbox is personal: "users/me" or the caller's own name; anyone else's is denied."""
    user = caller.user if parent == "users/me" else parent
    if user != caller.user:
        raise PermissionDenied("只能查看本人的消息", reason="NOT_OWN_INBOX")
    return user


def list_messages(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str, filters: dict,
                  page: Page) -> tuple[list[MessageRow], int]:
    user = own_inbox(caller, parent)
    query = select(MessageRow).where(MessageRow.recipient == user)
    for field, value in filters.items():
        query = query.where(getattr(MessageRow, field) == value)
    with uow_factory() as uow:
        rows = page_of(uow.session, query, key=MessageRow.id, page=page, descending=True)
        unread = uow.session.scalar(select(func.count()).select_from(MessageRow).where(
            MessageRow.recipient == user, MessageRow.read.is_(False)))
    return rows, unread


def list_sms(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str,
             page: Page) -> list[SmsDeliveryRow]:
    user = own_inbox(caller, parent)
    with uow_factory() as uow:
        return page_of(uow.session, select(SmsDeliveryRow).where(SmsDeliveryRow.recipient == user),
                       key=SmsDeliveryRow.id, page=page, descending=True)
