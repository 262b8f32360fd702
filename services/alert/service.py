"""Use cases of the alert service. Keyword-only; they raise domain errors."""
from __future__ import annotations

from datetime import date
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.alert.v1.alert_events_pb2 import MessageDelivered
from courtflow.alert.v1.alert_pb2 import DeliveryState, ReminderKind
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import Node

from services.alert import templates
from services.alert.convert import message_to_proto
from services.alert.models import MessageRow, RecipientRow, SmsDeliveryRow
from services.common.errors import PermissionDenied
from services.common.events import new_event_id
from services.common.paging import Page, page_of
from services.common.uow import UnitOfWork


def remind(uow: UnitOfWork, *, node: Node, rung: int, kind: int, days: int = 0, on: date | None = None) -> None:
    """Put a reminder in the responsible person's inbox and queue its SMS, once per (node, rung, person).
    `days` counts remaining or overdue days; `on` is the closing date of a closing check."""
    recipients = [node.responsible]
    due = date(node.due_date.year, node.due_date.month, node.due_date.day)
    case_name = node.name.rsplit("/nodes/", 1)[0]
    for user in recipients:
        person = uow.session.get(RecipientRow, user)
        handler = person.display_name if person else user.removeprefix("users/")
        if kind == ReminderKind.REMINDER_KIND_WARNING:
            text = templates.warning(case_number=node.case_number, node=node.display_name, due=due,
                                     days_remaining=days, handler=handler)
        elif kind == ReminderKind.REMINDER_KIND_OVERDUE:
            text = templates.overdue(case_number=node.case_number, node=node.display_name, due=due,
                                     days_overdue=days, handler=handler)
        else:
            text = templates.closing_check(case_number=node.case_number, node=node.display_name, due=due,
                                           closed_on=on, handler=handler)
        # Once per (node, rung, person) and clock generation: a limit extended after its warning
        # warns again before the new date (S4).
        generation = f"|g{node.clock_generation}" if node.clock_generation else ""
        key = f"{node.name}{generation}|{rung}|{user}"
        now = uow.clock.now()
        inserted = uow.session.execute(pg_insert(MessageRow).values(
            id=new_event_id(), dedupe_key=key, recipient=user, kind=kind, title=text.title, body=text.body,
            case=case_name, node=node.name, case_number=node.case_number, read=False, create_time=now,
        ).on_conflict_do_nothing().returning(MessageRow.id)).first()
        if inserted is None:
            continue
        uow.session.execute(pg_insert(SmsDeliveryRow).values(
            id=new_event_id(), dedupe_key=key, recipient=user, node=node.name,
            mobile=person.mobile if person and person.mobile else None, text=text.sms,
            state=DeliveryState.DELIVERY_STATE_PENDING, attempts=0, next_attempt_at=now, create_time=now,
        ).on_conflict_do_nothing())
        message = uow.session.get(MessageRow, inserted[0])
        uow.publish(MessageDelivered(message=message_to_proto(message), recipient=user),
                    court=node.name.split("/")[1], aggregate_type="message", aggregate_id=user)


def upsert_recipient(uow: UnitOfWork, *, user: str, display_name: str, mobile: str, court: str, department: str,
                     role: int, active: bool) -> None:
    now = uow.clock.now()
    values = dict(display_name=display_name, mobile=mobile, court=court, department=department, role=role,
                  active=active, update_time=now)
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
