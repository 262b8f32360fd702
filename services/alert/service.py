"""Use cases of the alert service. Keyword-only; they raise domain errors."""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from courtflow.alert.v1.alert_events_pb2 import ReminderDelivered
from courtflow.alert.v1.alert_pb2 import DeliveryState
from courtflow.common.v1.caller_pb2 import Caller
from courtflow.node.v1.node_pb2 import Node

from services.alert import recipients as recipient_directory, repository, templates
from services.alert.court_templates import CourtTemplates
from services.alert.errors import MessageNotFound, NotOwnInbox
from services.alert.models import DepartmentRow, MessageRow, RecipientRow, SmsDeliveryRow
from services.common import metrics
from services.common.dates import event_date
from services.common.db import BulkInsert
from services.common.events import new_event_id
from services.common.names import MessageName, court_of
from services.common.paging import Page
from services.common.uow import UnitOfWork

NO_OVERRIDES = CourtTemplates()
INSERT_MESSAGES = BulkInsert(MessageRow.__table__, skip_conflicts=True, returning="dedupe_key")
INSERT_DELIVERIES = BulkInsert(SmsDeliveryRow.__table__, skip_conflicts=True)
_TOLD = "alert.reminders"   # the transaction's reminders waiting for its commit, in session.info
# Not uow.insert_later (a plain INSERT): only messages new to ON CONFLICT DO NOTHING get an SMS and an event.
# Read once: a protobuf enum's attribute lookup runs Python code, a few percent of a burst per row.
_PENDING = DeliveryState.DELIVERY_STATE_PENDING


@dataclass
class _Told:
    """The reminders of one transaction, written when it commits (`_write`)."""

    keys: set[str] = field(default_factory=set)
    # Per reminder: its event, its court, and (message, delivery) rows for each reader.
    reminders: list[tuple[ReminderDelivered, str, list[tuple[dict, dict]]]] = field(default_factory=list)


def notify(uow: UnitOfWork, *, node: Node, kind: int, key: str, recipients: list[str],
           render: Callable[[templates.About], templates.Reminder], application: str = "",
           wording: CourtTemplates = NO_OVERRIDES) -> None:
    """Put a reminder in each recipient's inbox and queue its SMS, once per (`key`, person): the
    key names what is being told (the node's rung in its clock generation, an application's
    decision), so a redelivered event or a second replica tells nobody twice.

    The rows are written when the unit of work commits, together with every other reminder of
    the transaction: a consumer batch of a hundred overdue nodes writes its three hundred
    messages with one statement."""
    people = recipient_directory.directory(uow.session)
    told = uow.session.info.get(_TOLD)
    if told is None:
        told = uow.session.info[_TOLD] = _Told()
        uow.before_commit(_write)
    due = event_date(node.due_date)
    case_name = node.name.rsplit("/nodes/", 1)[0]
    court = court_of(node.name)
    handler = people.display_name(node.responsible)
    now = uow.clock.now()
    rows = []
    for user in recipients:
        dedupe_key = f"{key}|{user}"
        if dedupe_key in told.keys:   # told already in this transaction (two events of one batch)
            continue
        told.keys.add(dedupe_key)
        person = people.person(user)
        about = templates.About(case_number=node.case_number, node=node.display_name, due=due, handler=handler,
                                addressee=people.display_name(user), own=user == node.responsible,
                                role=node.responsible_role)
        text = wording.apply(court, render(about), addressee=about.addressee, whose=about.whose)
        rows.append((
            dict(id=new_event_id(), dedupe_key=dedupe_key, recipient=user, kind=kind, title=text.title,
                 body=text.body, case=case_name, node=node.name, case_number=node.case_number,
                 application=application, read=False, create_time=now),
            dict(id=new_event_id(), dedupe_key=dedupe_key, recipient=user, node=node.name,
                 mobile=person.mobile if person and person.mobile else None, text=text.sms, template=text.template,
                 params=text.params, state=_PENDING, attempts=0, next_attempt_at=now,
                 create_time=now)))
    if rows:
        event = ReminderDelivered(key=key, kind=kind, node=node.name, case_number=node.case_number,
                                  application=application)
        told.reminders.append((event, court, rows))


def _write(uow: UnitOfWork) -> None:
    """The transaction's reminders: one INSERT for their messages and one for their SMS. The
    dedupe keys leave out whoever was told before (a redelivered event), and only the new go on."""
    told: _Told = uow.session.info.pop(_TOLD)
    messages = [m for _, _, rows in told.reminders for m, _ in rows]
    new = set(INSERT_MESSAGES.execute(uow.session, messages).scalars()) if messages else set()
    if not new:
        return
    INSERT_DELIVERIES.execute(uow.session, [d for _, _, rows in told.reminders for m, d in rows
                                            if m["dedupe_key"] in new])
    delivered: Counter[str] = Counter()
    for event, court, rows in told.reminders:
        fresh = [(m, d) for m, d in rows if m["dedupe_key"] in new]
        if not fresh:
            continue
        event.messages.extend(f"{m['recipient']}/messages/{m['id']}" for m, _ in fresh)
        delivered.update(d["template"] for _, d in fresh)
        uow.publish(event, court=court, aggregate_type="reminder", aggregate_id=event.key)
    for template, n in delivered.items():
        metrics.MESSAGES_DELIVERED.labels(template).inc(n)


def node_key(node: Node, what: str) -> str:
    """A node's reminder key within its clock generation: a limit extended after its warning
    warns again before the new date (S4)."""
    generation = f"|g{node.clock_generation}" if node.clock_generation else ""
    return f"{node.name}{generation}|{what}"


def display_name(uow: UnitOfWork, user: str) -> str:
    return recipient_directory.directory(uow.session).display_name(user)


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


def upsert_department(uow: UnitOfWork, *, name: str, court: str, vice_president: str) -> None:
    values = dict(court=court, vice_president=vice_president, update_time=uow.clock.now())
    uow.session.execute(pg_insert(DepartmentRow).values(name=name, **values)
                        .on_conflict_do_update(index_elements=[DepartmentRow.name], set_=values))


def own_inbox(caller: Caller, parent: str) -> str:
    """An inbox is personal: "users/me" or the caller's own name; anyone else's is denied."""
    user = caller.user if parent == "users/me" else parent
    if user != caller.user:
        raise NotOwnInbox("只能查看本人的消息")
    return user


def list_messages(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str, filters: dict,
                  page: Page) -> tuple[list[MessageRow], int]:
    user = own_inbox(caller, parent)
    with uow_factory() as uow:
        rows = repository.messages_page(uow.session, user=user, filters=filters, page=page)
        unread = repository.unread_count(uow.session, user)
    return rows, unread


def list_sms(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str,
             page: Page) -> list[SmsDeliveryRow]:
    user = own_inbox(caller, parent)
    with uow_factory() as uow:
        return repository.sms_page(uow.session, user=user, page=page)


def message_id(caller: Caller, name: str) -> tuple[str, uuid.UUID]:
    """The inbox and id a message name points at, after checking the inbox is the caller's; a name
    that is no message's is bad input naming the field, not someone else's inbox."""
    parsed = MessageName.parse(name)
    return own_inbox(caller, f"users/{parsed.user}"), parsed.message


def mark_read(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, name: str) -> tuple[MessageRow, int]:
    user, mid = message_id(caller, name)
    with uow_factory() as uow:
        row = repository.message_for_update(uow.session, user, mid)
        if row is None:
            raise MessageNotFound(f"消息不存在: {name}")
        row.read = True
        uow.session.flush()
        unread = repository.unread_count(uow.session, user)
        uow.commit()
        return row, unread


def mark_all_read(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, parent: str,
                  filters: dict) -> tuple[int, int]:
    user = own_inbox(caller, parent)
    query = update(MessageRow).where(MessageRow.recipient == user, MessageRow.read.is_(False))
    for column, value in filters.items():
        query = query.where(getattr(MessageRow, column) == value)
    with uow_factory() as uow:
        marked = uow.session.execute(query.values(read=True)).rowcount
        unread = repository.unread_count(uow.session, user)
        uow.commit()
        return marked, unread


def messages_since(uow_factory: Callable[[], UnitOfWork], *, user: str, after: uuid.UUID | None,
                   limit: int = 1000) -> list[MessageRow]:
    """A stream's start: the messages after the one a client saw last, or else the unread ones."""
    with uow_factory() as uow:
        return repository.messages_after(uow.session, user=user, after=after, limit=limit)


def delivery_stats(uow_factory: Callable[[], UnitOfWork], *, caller: Caller, start: datetime | None,
                   end: datetime | None) -> list[tuple[str, str, int]]:
    """Counts by channel and state of deliveries to people in the caller's scope (A1 status)."""
    with uow_factory() as uow:
        inbox, sms = repository.delivery_counts(uow.session, caller=caller, start=start, end=end)
    counts = [("inbox", "DELIVERED", inbox)]
    counts += [("sms", DeliveryState.Name(state).removeprefix("DELIVERY_STATE_"), n) for n, state in sorted(
        sms, key=lambda r: r[1])]
    return counts
