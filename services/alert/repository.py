"""Queries of the alert service (select()-based, keyset pages): inboxes, SMS deliveries and the
recipient directory's projection."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from courtflow.alert.v1.alert_pb2 import DeliveryState
from courtflow.common.v1.caller_pb2 import Caller

from services.alert.models import DepartmentRow, MessageRow, RecipientRow, SmsDeliveryRow
from services.common import scope
from services.common.db import text_array
from services.common.paging import Page, page_of

# --- inboxes --------------------------------------------------------------------------------------


def messages_page(session: Session, *, user: str, filters: dict, page: Page) -> list[MessageRow]:
    """One page of an inbox, newest first."""
    query = select(MessageRow).where(MessageRow.recipient == user)
    for column, value in filters.items():
        query = query.where(getattr(MessageRow, column) == value)
    return page_of(session, query, key=MessageRow.id, page=page, descending=True)


def unread_count(session: Session, user: str) -> int:
    return session.scalar(select(func.count()).select_from(MessageRow).where(
        MessageRow.recipient == user, MessageRow.read.is_(False)))


def message_for_update(session: Session, user: str, message_id: uuid.UUID) -> MessageRow | None:
    """A message of `user`'s inbox, locked for marking it read."""
    return session.scalar(select(MessageRow).where(MessageRow.id == message_id, MessageRow.recipient == user)
                          .with_for_update())


def messages_after(session: Session, *, user: str, after: uuid.UUID | None, limit: int) -> list[MessageRow]:
    """An inbox's messages after `after`, or else its unread ones, oldest first."""
    query = select(MessageRow).where(MessageRow.recipient == user)
    query = query.where(MessageRow.id > after) if after else query.where(MessageRow.read.is_(False))
    return list(session.scalars(query.order_by(MessageRow.id).limit(limit)))


def recent_messages(session: Session, users: list[str], floor: uuid.UUID, *, limit: int = 5000) -> list[MessageRow]:
    """The messages of these inboxes from the id `floor` on, oldest first (the live feed)."""
    return list(session.scalars(select(MessageRow).where(
        MessageRow.recipient.in_(users), MessageRow.id >= floor).order_by(MessageRow.id).limit(limit)))


# --- SMS deliveries -------------------------------------------------------------------------------


def sms_page(session: Session, *, user: str, page: Page) -> list[SmsDeliveryRow]:
    """One page of the SMS sent (or to be sent) to a person, newest first."""
    return page_of(session, select(SmsDeliveryRow).where(SmsDeliveryRow.recipient == user),
                   key=SmsDeliveryRow.id, page=page, descending=True)


def due_deliveries(session: Session, *, now: datetime, batch: int) -> list:
    """Pending deliveries due by `now` that no live claim holds, the earliest due first, locked
    (rows another sender has locked are skipped)."""
    t = SmsDeliveryRow
    return session.execute(
        select(t.id, t.recipient, t.mobile, t.text, t.template, t.params, t.attempts, t.digest_id, t.create_time,
               t.first_try_time)
        .where(t.state == DeliveryState.DELIVERY_STATE_PENDING, t.next_attempt_at <= now,
               (t.claimed_until.is_(None)) | (t.claimed_until < func.now()))
        .order_by(t.next_attempt_at).limit(batch).with_for_update(skip_locked=True)).all()


# Each person's latest SMS, one index probe each (sms_deliveries_last_sent, read backwards): a
# max() grouped by person would read every SMS they were ever sent, thousands after a burst.
_DELIVERIES = SmsDeliveryRow.__table__.fullname
LAST_SENT = text(f"""
    SELECT p.recipient, (SELECT d.send_time FROM {_DELIVERIES} AS d
                         WHERE d.recipient = p.recipient AND d.send_time IS NOT NULL
                         ORDER BY d.send_time DESC LIMIT 1)
    FROM unnest(CAST(:people AS text[])) AS p(recipient)""").columns(
    SmsDeliveryRow.__table__.c.recipient, SmsDeliveryRow.__table__.c.send_time)


def last_sent(session: Session, people) -> dict[str, datetime | None]:
    """When each of these people was last sent an SMS (None: never)."""
    return dict(session.execute(LAST_SENT, {"people": text_array(people)}).all())


def deliveries_for_update(session: Session, ids: list[uuid.UUID]) -> list[SmsDeliveryRow]:
    """These deliveries, locked, in id order."""
    return list(session.scalars(select(SmsDeliveryRow).where(SmsDeliveryRow.id.in_(ids))
                                .order_by(SmsDeliveryRow.id).with_for_update()))


def delivery_counts(session: Session, *, caller: Caller, start: datetime | None,
                    end: datetime | None) -> tuple[int, list[tuple[int, int]]]:
    """Messages, and SMS as (count, state), created in [start, end) for people in the caller's
    scope (the scope applies to the recipient's court and department, the recipient as owner)."""
    def in_scope(table, owner):
        q = (select(func.count()).select_from(table).join(RecipientRow, RecipientRow.user == owner)
             .where(scope.condition(caller, court=RecipientRow.court, department=RecipientRow.department,
                                    owner=owner)))
        if start is not None:
            q = q.where(table.create_time >= start)
        if end is not None:
            q = q.where(table.create_time < end)
        return q
    inbox = session.scalar(in_scope(MessageRow, MessageRow.recipient))
    sms = session.execute(in_scope(SmsDeliveryRow, SmsDeliveryRow.recipient)
                          .add_columns(SmsDeliveryRow.state).group_by(SmsDeliveryRow.state)).all()
    return inbox, sms


# --- the recipient directory's projection ---------------------------------------------------------

_VERSION_TABLE = f"{RecipientRow.__table__.schema}.directory_version"
VERSION = text(f"SELECT token FROM {_VERSION_TABLE}")


def directory_version(session: Session) -> str:
    """The directory's version token ("" when its row is missing)."""
    token = session.scalar(VERSION)
    return "" if token is None else str(token)


def directory_people(session: Session) -> list:
    """Every person of the directory, as rows of the columns recipients.Person holds."""
    return list(session.execute(select(RecipientRow.user, RecipientRow.display_name, RecipientRow.mobile,
                                       RecipientRow.court, RecipientRow.department, RecipientRow.role,
                                       RecipientRow.active, RecipientRow.absent, RecipientRow.deputy)))


def vice_presidents(session: Session) -> dict[str, str]:
    """The vice-president in charge of each department ("" where none is named)."""
    return dict(session.execute(select(DepartmentRow.name, DepartmentRow.vice_president)).all())
